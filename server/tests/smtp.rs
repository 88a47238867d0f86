//! Outgoing mail over real SMTP: the server sends to a real SMTP server on loopback (PyPI's
//! aiosmtpd, with the handler in `fixtures/smtp_sink.py`, installed by
//! `scripts/install-tools.sh`), which keeps each mail in a maildir as a mail client would see it.
//! What arrives is parsed by a real MIME parser; a server that is down, busy (4xx) or refusing
//! (5xx) is retried or given up as it should be, and nothing arrives twice.

mod common;

use common::sink::SmtpSink;
use common::TestServer;
use std::time::Duration;

/// A registration from a Korean browser: its mail is written in Korean.
async fn register(srv: &TestServer, email: &str) {
    let res = srv
        .client()
        .post(srv.url("/api/register"))
        .header("origin", &srv.base)
        .header("accept-language", "ko-KR,ko;q=0.9")
        .form(&[("name", "김하나"), ("email", email), ("password", "a long enough pw"), ("password_confirm", "a long enough pw")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status().as_u16(), 200, "{:?}", res.text().await);
}

/// The outbox row of the mail to `to`, once it was tried at least `tries` times or left.
async fn row(srv: &TestServer, to: &str, done: impl Fn(&(String, i64, Option<String>)) -> bool) -> (String, i64, Option<String>) {
    let mut last = (String::new(), 0, None);
    for _ in 0..200 {
        last = sqlx::query_as("SELECT state, tries, last_error FROM email_outbox WHERE to_key = $1")
            .bind(to)
            .fetch_one(&srv.db)
            .await
            .expect("row");
        if done(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the mail to {to} did not get there: {last:?}");
}

#[tokio::test]
async fn mails_leave_over_smtp_multipart_with_their_message_id() {
    let sink = SmtpSink::started().await;
    let url = sink.url();
    let srv = TestServer::start_with(false, |c| c.smtp_url = Some(url)).await;
    register(&srv, "smtp.new@example.com").await;
    let mails = sink.mails_to("smtp.new@example.com").await;
    assert_eq!(mails.len(), 1);
    let raw = &mails[0];
    let parsed = mail_parser::MessageParser::default().parse(raw.as_bytes()).expect("MIME");
    let (state, _, _) = row(&srv, "smtp.new@example.com", |r| r.0 == "sent").await;
    assert_eq!(state, "sent");
    let stored: String = sqlx::query_scalar("SELECT message_id FROM email_outbox WHERE to_key = 'smtp.new@example.com'").fetch_one(&srv.db).await.expect("id");
    assert_eq!(format!("<{}>", parsed.message_id().expect("Message-ID")), stored, "the row's Message-ID is the mail's");
    assert!(raw.contains("X-MailFrom: no-reply@example.com"), "the envelope sender is the configured one: {raw}");
    assert!(raw.contains("Auto-Submitted: auto-generated") && raw.contains("Content-Language: ko"), "{raw}");
    assert!(parsed.subject().expect("subject").contains("회원가입"), "a Korean subject, decoded: {:?}", parsed.subject());
    assert!(parsed.body_text(0).expect("text part").contains("/register/confirm?token="));
    assert!(parsed.body_html(0).expect("HTML part").contains("<a "));
    // no file was written: the mail went to the server
    assert!(srv.mails().is_empty());
}

#[tokio::test]
async fn a_server_that_is_down_or_busy_is_tried_again_and_nothing_arrives_twice() {
    let mut sink = SmtpSink::stopped();
    let url = sink.url();
    let srv = TestServer::start_with(false, |c| c.smtp_url = Some(url)).await;
    // down: connection refused is temporary
    register(&srv, "while.down@example.com").await;
    let (state, tries, error) = row(&srv, "while.down@example.com", |r| r.1 > 0).await;
    assert_eq!((state.as_str(), tries), ("pending", 1));
    assert!(error.as_deref().unwrap_or_default().starts_with("SMTP: "), "the reason is kept: {error:?}");

    // back up: the retry (made due now; a new mail wakes the sender) delivers it, once
    sink.start().await;
    sqlx::query("UPDATE email_outbox SET next_at = 0").execute(&srv.db).await.expect("due now");
    register(&srv, "wake.up@example.com").await;
    assert_eq!(sink.mails_to("while.down@example.com").await.len(), 1);
    assert_eq!(sink.mails_to("wake.up@example.com").await.len(), 1);

    // a 4xx for the recipient is tried again later; a 5xx is given up at once, with the reply kept
    register(&srv, "busy.box@example.com").await;
    let (state, tries, error) = row(&srv, "busy.box@example.com", |r| r.1 > 0).await;
    assert_eq!((state.as_str(), tries), ("pending", 1), "{error:?}");
    assert!(error.as_deref().unwrap_or_default().contains("451"), "{error:?}");
    register(&srv, "refused.box@example.com").await;
    let (state, _, error) = row(&srv, "refused.box@example.com", |r| r.0 == "dead").await;
    assert_eq!(state, "dead");
    assert!(error.as_deref().unwrap_or_default().starts_with("permanent: SMTP") && error.as_deref().unwrap_or_default().contains("550"), "{error:?}");

    // after all that, each delivered mail is in the mailbox exactly once
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut rcpts: Vec<String> = sink.mails().into_iter().map(|m| m.0).collect();
    rcpts.sort();
    assert_eq!(rcpts, ["wake.up@example.com", "while.down@example.com"]);
}

#[tokio::test]
async fn an_agents_answer_reaches_the_customer_by_mail_threaded_under_the_inquiry() {
    let sink = SmtpSink::started().await;
    let url = sink.url();
    let srv = TestServer::start_with(true, |c| c.smtp_url = Some(url)).await;
    sqlx::query("UPDATE inquiry_types SET auto_answer = 0").execute(&srv.db).await.expect("automation off");
    // customer3 withdrew marketing consent: an answer to their own inquiry goes all the same
    sqlx::query("UPDATE customers SET email_consent = 0 WHERE user_id = (SELECT id FROM users WHERE email = 'customer3@example.com')")
        .execute(&srv.db)
        .await
        .expect("no consent");
    let customer = srv.signed_in("customer3@example.com").await;
    let (status, res) = srv
        .call(&customer, "create_inquiry", &[("type_code", "delivery"), ("order_no", ""), ("subject", "택배 <언제> 와요?"), ("body", "주문한 물건이 아직 안 왔어요."), ("idempotency_key", "smtp-answer")])
        .await;
    assert_eq!(status, 200, "{res}");
    let path: String = serde_json::from_str(&res).expect("path");
    let id = path.trim_start_matches("/my/inquiries/").to_string();
    let agent = srv.signed_in("agent1@example.com").await;
    let send = |body: &'static str, kind: &'static str| {
        let (agent, id) = (agent.clone(), id.clone());
        let srv = &srv;
        async move { srv.call(&agent, "agent_send", &[("id", id.as_str()), ("kind", kind), ("body", body), ("template_id", ""), ("next_status", "")]).await }
    };
    assert_eq!(send("내부 메모: 물류팀 확인 중", "note").await.0, 200);
    assert_eq!(send("**내일** 도착 예정입니다.\n\n- 송장 번호: 1234", "reply").await.0, 200);
    assert_eq!(send("도착하셨는지 확인 부탁드립니다.", "reply").await.0, 200);

    let mut mails = Vec::new();
    for _ in 0..200 {
        mails = sink.mails_to("customer3@example.com").await;
        if mails.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(mails.len(), 2, "one mail per answer, none for the note");
    let parsed: Vec<_> = mails.iter().map(|m| mail_parser::MessageParser::default().parse(m.as_bytes()).expect("MIME")).collect();
    let thread = format!("<inquiry-{id}.");
    for (raw, p) in mails.iter().zip(&parsed) {
        let in_reply_to = p.in_reply_to().as_text().expect("In-Reply-To").to_string();
        assert!(format!("<{in_reply_to}>").starts_with(&thread), "{in_reply_to}");
        assert_eq!(p.references().as_text(), Some(in_reply_to.as_str()), "the same thread in References");
        assert!(!raw.contains("Auto-Submitted"), "an agent wrote it: {raw}");
        assert_eq!(p.subject(), Some(format!("[cybercenter] 문의에 답변드립니다: 택배 <언제> 와요? [#Q-{id}]").as_str()), "the inquiry's tag ends the subject");
        assert!(p.body_text(0).expect("text").contains(&format!("/my/inquiries/{id}")));
        assert!(!p.body_html(0).expect("html").contains("<언제>"), "the subject is escaped in HTML");
        assert!(!p.body_text(0).expect("text").contains("내부 메모"), "the note never leaves");
    }
    // (the maildir's file names do not keep the order of arrival)
    let first = parsed.iter().find(|p| p.body_text(0).is_some_and(|t| t.contains("**내일** 도착 예정입니다."))).expect("the first answer, as written");
    assert!(first.body_html(0).expect("html").contains("<strong>내일</strong>"), "formatted in HTML");
    assert!(parsed.iter().any(|p| p.body_text(0).is_some_and(|t| t.contains("도착하셨는지 확인 부탁드립니다."))), "the second answer");
    assert_eq!(parsed[0].in_reply_to().as_text(), parsed[1].in_reply_to().as_text(), "both answers in one thread");
    assert_ne!(parsed[0].message_id(), parsed[1].message_id());
    // the mails are in the customer's contact history, tied to the inquiry
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE template = 'inquiry_answered' AND inquiry_id = $1 AND customer_id IS NOT NULL")
        .bind(id.parse::<i64>().expect("id"))
        .fetch_one(&srv.db)
        .await
        .expect("rows");
    assert_eq!(rows, 2);
}

#[tokio::test]
async fn an_automatic_answer_is_mailed_as_auto_replied_in_the_customers_language() {
    let sink = SmtpSink::started().await;
    let url = sink.url();
    let srv = TestServer::start_with(true, |c| c.smtp_url = Some(url)).await;
    sqlx::query("UPDATE inquiry_types SET auto_answer = 1, auto_answer_threshold = 0 WHERE code = 'delivery'").execute(&srv.db).await.expect("automation on");
    sqlx::query("UPDATE users SET locale = 'en' WHERE email = 'customer4@example.com'").execute(&srv.db).await.expect("English");
    let customer = srv.signed_in("customer4@example.com").await;
    let file = |key: &'static str| {
        let (srv, customer) = (&srv, customer.clone());
        async move {
            let (status, res) = srv
                .call(&customer, "create_inquiry", &[("type_code", "delivery"), ("order_no", ""), ("subject", "배송 언제 도착하나요?"), ("body", "주문한 상품 언제 와요? 배송 기간이 얼마나 걸리나요"), ("idempotency_key", key)])
                .await;
            assert_eq!(status, 200, "{res}");
            serde_json::from_str::<String>(&res).expect("path")
        }
    };
    let path = file("auto-mail").await;
    // the same submission again (a double click) is the same inquiry and no second mail
    assert_eq!(file("auto-mail").await, path);
    let id: i64 = path.trim_start_matches("/my/inquiries/").parse().expect("id");
    let status: String = sqlx::query_scalar("SELECT status FROM inquiries WHERE id = $1").bind(id).fetch_one(&srv.db).await.expect("status");
    assert_eq!(status, "auto_answered");
    let answer: String = sqlx::query_scalar("SELECT body FROM inquiry_messages WHERE inquiry_id = $1 AND author_kind = 'bot'").bind(id).fetch_one(&srv.db).await.expect("bot answer");

    let mails = sink.mails_to("customer4@example.com").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.mails_to("customer4@example.com").await.len(), 1, "one mail for one inquiry");
    let raw = &mails[0];
    let p = mail_parser::MessageParser::default().parse(raw.as_bytes()).expect("MIME");
    assert!(raw.contains("Auto-Submitted: auto-replied"), "{raw}");
    assert!(raw.contains("Content-Language: en"), "{raw}");
    assert!(p.subject().is_some_and(|s| s.starts_with("[cybercenter] Automatic answer: 배송 언제 도착하나요? [#Q-")), "{:?}", p.subject());
    let first_line = answer.lines().next().unwrap_or_default();
    assert!(p.body_text(0).expect("text").contains(first_line), "the FAQ answer itself: {first_line}");
    assert!(p.body_text(0).expect("text").contains("I still need a person"));
    assert!(format!("<{}>", p.in_reply_to().as_text().expect("threaded")).starts_with(&format!("<inquiry-{id}.")));
}
