//! Outgoing mail over the real server: what account mails say and how they are built, that a
//! form cannot tell whether an address has an account, and how the sender retries and gives up.

mod common;

use common::{TestServer, DEMO_PASSWORD};

fn registration(email: &str) -> [(&'static str, String); 4] {
    [
        ("name", "김하나".to_string()),
        ("email", email.to_string()),
        ("password", "a long enough pw".to_string()),
        ("password_confirm", "a long enough pw".to_string()),
    ]
}

async fn register(srv: &TestServer, c: &reqwest::Client, email: &str) -> (u16, String) {
    let form = registration(email);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    srv.call(c, "register", &form).await
}

#[tokio::test]
async fn registration_answers_the_same_for_a_new_and_a_taken_address() {
    let srv = TestServer::start(true).await;
    let new = register(&srv, &srv.client(), "brand.new@example.com").await;
    let taken = register(&srv, &srv.client(), "customer2@example.com").await;
    assert_eq!(new, taken);
    assert_eq!(new, (200, "null".to_string()));
    // a plain form post (no JavaScript) is sent to the same "check your inbox" page either way
    for email in ["other.new@example.com", "customer4@example.com"] {
        let res = srv
            .client()
            .post(srv.url("/api/register"))
            .header("origin", &srv.base)
            .header("accept", "text/html")
            .form(&registration(email))
            .send()
            .await
            .expect("post");
        assert_eq!(res.status().as_u16(), 302, "{email}");
        assert_eq!(res.headers()["location"], "/register?done=sent", "{email}");
    }
    srv.mail_to("brand.new@example.com", "registration_link").await;
    srv.mail_to("customer2@example.com", "registration_existing").await;
}

#[tokio::test]
async fn mails_are_multipart_in_the_persons_language_and_say_why_they_were_sent() {
    let srv = TestServer::start(true).await;
    // a registration from an English browser is mailed in English
    let english = srv.client();
    let res = english
        .post(srv.url("/api/register"))
        .header("origin", &srv.base)
        .header("accept-language", "en-US,en;q=0.9")
        .form(&registration("english@example.com"))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status().as_u16(), 200);
    let mail = srv.mail_to("english@example.com", "registration_link").await;
    assert_eq!(mail.subject, "[cybercenter] Finish your registration");
    assert!(mail.text.starts_with("Hello 김하나,"), "{}", mail.text);
    assert!(mail.text.contains("You get this mail because"), "{}", mail.text);
    assert!(mail.html.contains("Finish registration</a>"), "{}", mail.html);
    assert!(mail.message_id.ends_with("@127.0.0.1"), "{}", mail.message_id);
    for header in ["Auto-Submitted: auto-generated", "Content-Language: en", "multipart/alternative", "From: cybercenter <no-reply@example.com>"] {
        assert!(mail.raw.contains(header), "{header} missing:\n{}", mail.raw);
    }
    assert!(mail.text.contains(&format!("http://127.0.0.1:3000/register/confirm?token={}", mail.token())));

    // the account's own language for mails about the account (customer5 is Korean)
    let c = srv.signed_in("customer5@example.com").await;
    let (status, body) = srv
        .call(&c, "change_password", &[("current_password", DEMO_PASSWORD), ("new_password", "another long one"), ("new_password_confirm", "another long one")])
        .await;
    assert_eq!(status, 200, "{body}");
    let notice = srv.mail_to("customer5@example.com", "password_changed").await;
    assert_eq!(notice.subject, "[cybercenter] 비밀번호가 변경되었습니다");
    assert!(notice.text.contains("계정 보안 알림입니다"), "{}", notice.text);
    assert!(notice.raw.contains("Content-Language: ko"));
}

#[tokio::test]
async fn a_delivered_link_is_not_kept_in_the_database() {
    let srv = TestServer::start(false).await;
    register(&srv, &srv.client(), "kept@example.com").await;
    let token = srv.mail_to("kept@example.com", "registration_link").await.token();
    srv.delivered_to("kept@example.com", "registration_link").await;
    let (text, html, state): (String, String, String) =
        sqlx::query_as("SELECT body_text, body_html, state FROM email_outbox WHERE template = 'registration_link'")
            .fetch_one(&srv.db)
            .await
            .expect("row");
    assert_eq!(state, "sent");
    assert!(!text.contains(&token) && !html.contains(&token), "{text}");
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM email_confirmations").fetch_one(&srv.db).await.expect("hash");
    assert_ne!(stored, token, "only a hash of the token is stored");
}

#[tokio::test]
async fn an_undeliverable_mail_is_retried_later_and_given_up_after_eight_tries() {
    let srv = TestServer::start(false).await;
    // the outbox folder cannot be created: a file stands in its place
    std::fs::write(&srv.outbox, b"not a folder").expect("block the outbox");
    register(&srv, &srv.client(), "retry@example.com").await;
    let mut row = (String::new(), 0i64, None::<String>, 0i64);
    for _ in 0..200 {
        row = sqlx::query_as("SELECT state, tries, last_error, next_at FROM email_outbox").fetch_one(&srv.db).await.expect("row");
        if row.1 > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (state, tries, error, next_at) = row;
    assert_eq!((state.as_str(), tries), ("pending", 1));
    assert!(error.unwrap_or_default().contains("outbox"), "the error names the folder");
    assert!(next_at > app::store::now_ms() + 20_000, "tried again in about 30 s, not at once");

    // once the folder can be written, the retry delivers it (made due now; a new mail wakes the sender)
    std::fs::remove_file(&srv.outbox).expect("unblock");
    sqlx::query("UPDATE email_outbox SET next_at = 0").execute(&srv.db).await.expect("due now");
    register(&srv, &srv.client(), "wake@example.com").await;
    srv.mail_to("retry@example.com", "registration_link").await;
    srv.mail_to("wake@example.com", "registration_link").await;

    // a mail that keeps failing is given up after the last try, with its error kept for admins
    std::fs::remove_dir_all(&srv.outbox).expect("clear");
    std::fs::write(&srv.outbox, b"blocked again").expect("block");
    register(&srv, &srv.client(), "dead@example.com").await;
    for _ in 0..200 {
        let tries: i64 = sqlx::query_scalar("SELECT tries FROM email_outbox WHERE to_key = 'dead@example.com'").fetch_one(&srv.db).await.expect("tries");
        if tries > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    sqlx::query("UPDATE email_outbox SET tries = 7, next_at = 0 WHERE to_key = 'dead@example.com'").execute(&srv.db).await.expect("last try");
    register(&srv, &srv.client(), "wake2@example.com").await;
    for _ in 0..200 {
        let state: String = sqlx::query_scalar("SELECT state FROM email_outbox WHERE to_key = 'dead@example.com'").fetch_one(&srv.db).await.expect("state");
        if state == "dead" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the mail was not given up");
}

/// A mail from an unknown address makes a customer who cannot sign in; registering with that
/// address (the link mailed there proves it) makes the record theirs, with the mailed inquiry.
#[tokio::test]
async fn a_customer_made_from_a_mail_is_claimed_by_registering_with_its_address() {
    let srv = TestServer::start(true).await;
    let source = app::mail::inbound::import::Source { mailbox_id: None, type_code: "delivery".into() };
    let raw = b"From: Claim Me <claim.me@example.org>\r\nTo: help@example.com\r\nSubject: Where is my parcel 42\r\nMessage-ID: <claim-1@example.org>\r\n\r\nMy parcel 42 has not moved for a week.\r\n";
    let done = app::mail::inbound::import::import(&srv.state, &source, raw, srv.clock.now_ms()).await.expect("import");
    let app::mail::inbound::import::Imported::Recorded { inquiry_id: Some(inquiry), .. } = done else { panic!("not filed: {done:?}") };
    // cannot sign in: the same answer as an unknown address
    let (status, body) = srv.login(&srv.client(), "claim.me@example.org", "whatever it is").await;
    assert_eq!(status, 401, "{body}");

    let browser = srv.client();
    assert_eq!(register(&srv, &browser, "Claim.Me@example.org").await.0, 200);
    let token = srv.mail_to("Claim.Me@example.org", "registration_link").await.token();
    let (status, body) = srv.call(&browser, "confirm_registration", &[("token", &token)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, list) = srv.call(&browser, "my_inquiries", &[("page", "1"), ("locale", "En")]).await;
    assert_eq!(status, 200, "{list}");
    assert!(list.contains("Where is my parcel 42") && list.contains(&format!("\"id\":{inquiry}")), "{list}");
    let (mail_only, name): (i64, String) = sqlx::query_as("SELECT mail_only, display_name FROM users WHERE email_key = 'claim.me@example.org'").fetch_one(&srv.db).await.expect("user");
    assert_eq!((mail_only, name.as_str()), (0, "김하나"));
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email_key = 'claim.me@example.org'").fetch_one(&srv.db).await.expect("count");
    assert_eq!(users, 1, "the same record, not a second account");
    // and the password entered at registration signs in from now on
    assert_eq!(srv.login(&srv.client(), "claim.me@example.org", "a long enough pw").await.0, 200);
}

/// An agent resolving an inquiry mails the customer the link to rate the answer.
#[tokio::test]
async fn resolving_an_inquiry_mails_the_rating_link() {
    let srv = TestServer::start(true).await;
    // an unassigned open inquiry of agent1's group
    let id: i64 = sqlx::query_scalar(
        "SELECT i.id FROM inquiries i JOIN agent_memberships m ON m.group_id = i.group_id JOIN users a ON a.id = m.agent_user_id
         WHERE i.status IN ('open', 'new') AND i.assigned_agent_id IS NULL AND a.email = 'agent1@example.com' ORDER BY i.id LIMIT 1",
    )
    .fetch_one(&srv.db)
    .await
    .expect("an open inquiry of agent1's group");
    let to: String = sqlx::query_scalar("SELECT u.email FROM inquiries i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = c.user_id WHERE i.id = $1").bind(id).fetch_one(&srv.db).await.expect("customer");
    let agent = srv.signed_in("agent1@example.com").await;
    let id_s = id.to_string();
    let (status, body) = srv.call(&agent, "agent_update", &[("id", &id_s), ("status", "resolved"), ("type_code", ""), ("voc", ""), ("group_code", ""), ("assignee", ""), ("note", "")]).await;
    assert_eq!(status, 200, "{body}");
    let notice = srv.mail_to(&to, "inquiry_resolved").await;
    assert!(notice.text.contains(&format!("/my/inquiries/{id}#rate")), "{}", notice.text);
    assert!(notice.subject.ends_with(&format!("[#Q-{id}]")), "{}", notice.subject);
    assert!(notice.raw.contains(&format!("In-Reply-To: <inquiry-{id}.")), "threaded: {}", notice.raw);
    // saving again (already resolved) sends nothing more
    let (status, _) = srv.call(&agent, "agent_update", &[("id", &id_s), ("status", "resolved"), ("type_code", ""), ("voc", ""), ("group_code", ""), ("assignee", ""), ("note", "")]).await;
    assert_eq!(status, 200);
    assert_eq!(srv.delivered_to(&to, "inquiry_resolved").await.len(), 1);
}

/// A customer asks for a chat's transcript by mail: it arrives with every message; another
/// customer's chat is not found; a few an hour, then "too often".
#[tokio::test]
async fn a_chat_transcript_is_mailed_on_request_to_its_customer_only() {
    let srv = TestServer::start(true).await;
    let customer = srv.signed_in("customer2@example.com").await;
    let (status, body) = srv.call(&customer, "start_chat", &[("type_code", "delivery"), ("body", "택배 송장 번호를 알고 싶어요")]).await;
    assert_eq!(status, 200, "{body}");
    let chat_id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM chats").fetch_one(&srv.db).await.expect("chat");
    let id = chat_id.to_string();
    let agent = srv.signed_in("agent2@example.com").await;
    assert_eq!(srv.call(&agent, "accept_chat", &[("chat_id", &id)]).await.0, 200);
    assert_eq!(srv.call(&agent, "chat_send", &[("chat_id", &id), ("client_id", "a-1"), ("body", "송장 번호는 1234-5678 입니다.")]).await.0, 200);
    assert_eq!(srv.call(&customer, "end_chat", &[("chat_id", &id)]).await.0, 200);

    let stranger = srv.signed_in("customer3@example.com").await;
    assert_eq!(srv.call(&stranger, "mail_chat_transcript", &[("chat_id", &id)]).await.0, 404, "not another customer's chat");
    let (status, body) = srv.call(&customer, "mail_chat_transcript", &[("chat_id", &id)]).await;
    assert_eq!(status, 200, "{body}");
    let mail = srv.mail_to("customer2@example.com", "chat_transcript").await;
    assert!(mail.text.contains("택배 송장 번호를 알고 싶어요") && mail.text.contains("송장 번호는 1234-5678 입니다."), "{}", mail.text);
    assert!(mail.text.contains(&format!("/my/chats/{chat_id}")), "{}", mail.text);
    assert!(srv.mails().iter().all(|m| m.to != "customer3@example.com"), "nothing to the stranger");
    for _ in 0..4 {
        assert_eq!(srv.call(&customer, "mail_chat_transcript", &[("chat_id", &id)]).await.0, 200);
    }
    assert_eq!(srv.call(&customer, "mail_chat_transcript", &[("chat_id", &id)]).await.0, 429, "the sixth within an hour");
}
