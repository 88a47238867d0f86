//! Notices: an admin publishes one to customers' My page and mails it — the one mail that needs
//! consent — only to the customers who agreed to email; a withdrawal stops the next one, and the
//! outbox refuses a consent-bound mail for anyone without consent however it is queued.

mod common;

use common::TestServer;

async fn consenting(srv: &TestServer) -> Vec<String> {
    sqlx::query_scalar("SELECT u.email FROM customers c JOIN users u ON u.id = c.user_id WHERE c.email_consent = 1 AND u.disabled = 0 ORDER BY u.email")
        .fetch_all(&srv.db)
        .await
        .expect("consenting")
}

async fn notice_mails(srv: &TestServer, title: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT to_address, kind FROM email_outbox WHERE template = 'notice' AND subject LIKE '%' || $1 || '%' ORDER BY to_address")
        .bind(title)
        .fetch_all(&srv.db)
        .await
        .expect("mails")
}

fn form<'a>(title: &'a str, mail: bool) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![("title_ko", title), ("title_en", ""), ("body_ko", "설 연휴(2월 16~18일)에는 채팅 상담을 쉽니다.\n문의는 평소처럼 남겨 주세요."), ("body_en", ""), ("expires", "")];
    if mail {
        f.push(("mail", "1"));
    }
    f
}

#[tokio::test]
async fn a_mailed_notice_reaches_exactly_the_customers_who_agreed() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let agreed = consenting(&srv).await;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers").fetch_one(&srv.db).await.expect("count");
    assert!(!agreed.is_empty() && (agreed.len() as i64) < total, "the demo has customers on both sides");

    let (status, body) = srv.call(&admin, "publish_notice", &form("설 연휴 상담 안내", true)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, agreed.len().to_string());
    let mails = notice_mails(&srv, "설 연휴 상담 안내").await;
    let to: Vec<String> = mails.iter().map(|(a, _)| a.to_lowercase()).collect();
    let mut expected: Vec<String> = agreed.iter().map(|a| a.to_lowercase()).collect();
    expected.sort();
    let mut got = to.clone();
    got.sort();
    assert_eq!(got, expected);
    assert!(mails.iter().all(|(_, kind)| kind == "marketing"));
    // the mail says why it came and how to stop it
    let one = agreed[0].clone();
    let mail = srv.mail_to(&one, "notice").await;
    assert!(mail.text.contains("이메일 수신에 동의하셔서") || mail.text.contains("agreed to receive email"), "{}", mail.text);
    assert!(mail.text.contains("/my/profile"));
    // and it is on My page
    let customer = srv.signed_in("customer2@example.com").await;
    let (_, page) = srv.call(&customer, "my_overview", &[("locale", "Ko")]).await;
    assert!(page.contains("설 연휴 상담 안내"), "{page}");

    // a customer who withdraws gets the next one on My page only
    let (status, _) = srv.call(&srv.signed_in(&one).await, "set_consent", &[("channel", "email"), ("given", "false")]).await;
    assert_eq!(status, 200);
    let (status, body) = srv.call(&admin, "publish_notice", &form("시스템 점검 안내", true)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, (agreed.len() - 1).to_string());
    assert!(!notice_mails(&srv, "시스템 점검 안내").await.iter().any(|(a, _)| a.eq_ignore_ascii_case(&one)));
    // without "mail", nobody gets one
    let (status, body) = srv.call(&admin, "publish_notice", &form("게시만 하는 공지", false)).await;
    assert_eq!((status, body.as_str()), (200, "0"));
    assert!(notice_mails(&srv, "게시만 하는 공지").await.is_empty());
}

#[tokio::test]
async fn the_outbox_refuses_a_consent_bound_mail_for_anyone_without_consent() {
    use app::mail::outbox::{queue, Queued, Recipient};
    use app::mail::templates::Template;
    let srv = TestServer::start(true).await;
    let (user_id, email): (i64, String) =
        sqlx::query_as("SELECT u.id, u.email FROM customers c JOIN users u ON u.id = c.user_id WHERE c.email_consent = 0 ORDER BY u.id LIMIT 1")
            .fetch_one(&srv.db)
            .await
            .expect("a customer without consent");
    let now = srv.state.clock.now_ms();
    let mut tx = app::store::write_tx(&srv.db).await.expect("tx");
    let template = Template::Notice { name: "x", title: "t", body: "b", link: "l", consented_on: "", profile_link: "p" };
    let queued = queue(&mut tx, &srv.state.mail, Recipient { address: &email, locale: app::i18n::Locale::Ko, user_id: Some(user_id) }, template, now).await.expect("queue");
    assert_eq!(queued, Queued::NoConsent);
    // nor to an address that is not the account's (consent belongs to the account's address)
    let (agreed_id,): (i64,) = sqlx::query_as("SELECT user_id FROM customers WHERE email_consent = 1 LIMIT 1").fetch_one(&srv.db).await.expect("agreed");
    let template = Template::Notice { name: "x", title: "t", body: "b", link: "l", consented_on: "", profile_link: "p" };
    let queued = queue(&mut tx, &srv.state.mail, Recipient { address: "someone.else@example.org", locale: app::i18n::Locale::Ko, user_id: Some(agreed_id) }, template, now).await.expect("queue");
    assert_eq!(queued, Queued::NoConsent);
    tx.commit().await.expect("commit");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE template = 'notice'").fetch_one(&srv.db).await.expect("count");
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn only_admins_publish_and_bad_notices_are_refused() {
    let srv = TestServer::start(true).await;
    for email in ["customer1@example.com", "agent1@example.com"] {
        let c = srv.signed_in(email).await;
        let (status, _) = srv.call(&c, "publish_notice", &form("x", true)).await;
        assert_eq!(status, 403, "{email}");
    }
    let admin = srv.signed_in("admin@example.com").await;
    let (status, body) = srv.call(&admin, "publish_notice", &[("title_ko", ""), ("title_en", ""), ("body_ko", "b"), ("body_en", ""), ("expires", "2020-01-01")]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("title_ko") && body.contains("expires"), "{body}");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE created_by IS NOT NULL").fetch_one(&srv.db).await.expect("count");
    assert_eq!(count, 0);
}
