//! Mail over TLS, the way real mail servers are reached: a throwaway certificate authority
//! (made with Debian's `openssl` for this run) signs a certificate for `localhost`; dovecot offers
//! IMAP with STARTTLS and IMAP over TLS, aiosmtpd SMTP with STARTTLS and SMTP over TLS. The server
//! trusts that authority through `CYBERCENTER_MAIL_CA_FILE`; without it, every handshake fails.

mod common;

use app::mail::inbound::imap;
use common::imap::Dovecot;
use common::sink::SmtpSink;
use common::TestServer;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A certificate authority and a `localhost` certificate it signed, in `dir`: (ca, cert, key).
fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs (Debian's openssl)");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=cybercenter test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    run(&["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]);
    std::fs::write(dir.join("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n").expect("ext");
    run(&["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf"]);
    // dovecot's unprivileged processes read nothing of these (the master loads them as root)
    (dir.join("ca.pem"), dir.join("server.pem"), dir.join("server.key"))
}

async fn mailbox(srv: &TestServer, url: &str) -> app::store::mailboxes::Mailbox {
    common::imap::add_mailbox(&srv.db, url).await
}

#[tokio::test]
async fn imap_with_starttls_and_over_tls_trusting_the_configured_authority_only() {
    let dir = tempfile::tempdir().expect("dir");
    let (ca, cert, key) = certificates(dir.path());
    let srv = TestServer::start_with(true, |c| c.mail_ca_file = Some(ca.clone())).await;
    let dovecot = Dovecot::start_with_tls(&cert, &key).await;
    dovecot.deliver("one", b"From: customer1@example.com\r\nSubject: over TLS\r\nMessage-ID: <tls-1@example.com>\r\n\r\nRead over imaps.\r\n");

    let over_tls = mailbox(&srv, &format!("imaps://localhost:{}", dovecot.tls_port.expect("imaps port"))).await;
    let round = imap::read_once(&srv.state, &over_tls).await.expect("imaps with the configured authority");
    assert_eq!(round.imported, 1);

    dovecot.deliver("two", b"From: customer1@example.com\r\nSubject: STARTTLS\r\nMessage-ID: <tls-2@example.com>\r\n\r\nRead after STARTTLS.\r\n");
    let starttls = mailbox(&srv, &format!("imap://localhost:{}", dovecot.port)).await;
    let round = imap::read_once(&srv.state, &starttls).await.expect("STARTTLS with the configured authority");
    assert_eq!(round.imported, 1);

    // the web's roots alone do not know this authority: refused, and said so
    let untrusting = app::mail::tls::MailTls::default();
    let err = imap::connect(&untrusting, &over_tls).await.err().expect("an unknown authority is refused");
    assert!(err.to_string().starts_with("TLS with localhost failed"), "{err}");
    let err = imap::connect(&untrusting, &starttls).await.err().expect("also after STARTTLS");
    assert!(err.to_string().starts_with("TLS with localhost failed"), "{err}");
}

#[tokio::test]
async fn smtp_with_starttls_and_over_tls() {
    let dir = tempfile::tempdir().expect("dir");
    let (ca, cert, key) = certificates(dir.path());
    let (cert, key) = (cert.display().to_string(), key.display().to_string());
    for (scheme, args) in [("smtp", ["--tlscert", cert.as_str(), "--tlskey", key.as_str()]), ("smtps", ["--smtpscert", cert.as_str(), "--smtpskey", key.as_str()])] {
        let sink = SmtpSink::started_with(&args).await;
        let url = format!("{scheme}://localhost:{}", sink.port());
        let ca = ca.clone();
        let srv = TestServer::start_with(false, move |c| {
            c.smtp_url = Some(url);
            c.mail_ca_file = Some(ca);
        })
        .await;
        let to = format!("{scheme}.tls@example.com");
        let res = srv
            .client()
            .post(srv.url("/api/register"))
            .header("origin", &srv.base)
            .form(&[("name", "Kim"), ("email", to.as_str()), ("password", "a long enough pw"), ("password_confirm", "a long enough pw")])
            .send()
            .await
            .expect("post");
        assert_eq!(res.status().as_u16(), 200);
        let mails = sink.mails_to(&to).await;
        assert_eq!(mails.len(), 1, "{scheme}: delivered once");
    }
    // a mail server whose certificate nobody vouches for: the mail waits, with the reason
    let sink = SmtpSink::started_with(&["--smtpscert", cert.as_str(), "--smtpskey", key.as_str()]).await;
    let url = format!("smtps://localhost:{}", sink.port());
    let srv = TestServer::start_with(false, move |c| c.smtp_url = Some(url)).await;
    let res = srv
        .client()
        .post(srv.url("/api/register"))
        .header("origin", &srv.base)
        .form(&[("name", "Kim"), ("email", "untrusted@example.com"), ("password", "a long enough pw"), ("password_confirm", "a long enough pw")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status().as_u16(), 200);
    let mut last = None;
    for _ in 0..200 {
        last = sqlx::query_scalar::<_, Option<String>>("SELECT last_error FROM email_outbox WHERE to_key = 'untrusted@example.com'").fetch_one(&srv.db).await.expect("row");
        if last.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let last = last.expect("the failure is kept");
    assert!(last.contains("TLS with localhost"), "{last}");
    assert!(sink.mails().is_empty());
}
