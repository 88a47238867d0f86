//! Mailbox passwords are stored sealed: what an admin saves never sits in the database as it was
//! typed, one stored before sealing existed is sealed by the next start, and the import reads
//! them back with the server's key.

mod common;

use common::TestServer;

#[tokio::test]
async fn a_saved_mailbox_password_is_stored_sealed_and_opens_with_the_key() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let form = [
        ("id", ""),
        ("address", "help@example.com"),
        ("url", "imap://127.0.0.1:1143?tls=none"),
        ("username", "help"),
        ("password", "s3cret-imap-비번"),
        ("folder", "INBOX"),
        ("type_code", "delivery"),
        ("poll_seconds", "60"),
        ("enabled", "on"),
    ];
    let (status, body) = srv.call(&admin, "admin_mailbox_save", &form).await;
    assert_eq!(status, 200, "{body}");
    let stored: String = sqlx::query_scalar("SELECT password FROM mailboxes").fetch_one(&srv.db).await.expect("row");
    assert!(stored.starts_with("v1:") && !stored.contains("s3cret"), "{stored}");
    assert_eq!(srv.state.secrets.open(&stored).as_deref(), Ok("s3cret-imap-비번"));
    // the admin page never shows it, sealed or not
    let (_, page) = srv.call(&admin, "admin_mail", &[("locale", "Ko")]).await;
    assert!(!page.contains("s3cret") && !page.contains(&stored), "{page}");

    // one written as typed (before sealing existed) is sealed at the next start, and reads the same
    sqlx::query("UPDATE mailboxes SET password = 'plain-old'").execute(&srv.db).await.expect("legacy");
    let sealed = app::store::mailboxes::seal_stored(&srv.db, &srv.state.secrets).await.expect("seal");
    assert_eq!(sealed, 1);
    let stored: String = sqlx::query_scalar("SELECT password FROM mailboxes").fetch_one(&srv.db).await.expect("row");
    assert!(stored.starts_with("v1:"));
    assert_eq!(srv.state.secrets.open(&stored).as_deref(), Ok("plain-old"));
    assert_eq!(app::store::mailboxes::seal_stored(&srv.db, &srv.state.secrets).await.expect("again"), 0, "nothing sealed twice");
}
