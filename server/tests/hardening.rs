//! One hostile client against the real server: login throttling that cannot be raced or used to
//! lock the owner out, sessions that end with a password change, disabling and their lifetime,
//! chat sockets that follow their account, connections that must send their headers in time and
//! stay under a cap, and the headers every answer carries.

mod common;

use common::ws::*;
use common::{TestServer, DEMO_PASSWORD};
use std::net::IpAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A login from a client bound to `local` (127.0.0.x): the status and the Retry-After seconds.
async fn login_from(base: &str, local: IpAddr, email: &str, password: &str) -> (u16, Option<u64>) {
    let client = reqwest::Client::builder()
        .local_address(local)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let res = client
        .post(format!("{base}/api/login"))
        .header("origin", base)
        .form(&[("email", email), ("password", password), ("next", "")])
        .send()
        .await
        .expect("request");
    let retry = res.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    (res.status().as_u16(), retry)
}

fn ip(text: &str) -> IpAddr {
    text.parse().expect("ip")
}

#[tokio::test]
async fn forty_parallel_wrong_passwords_get_exactly_five_tries() {
    let srv = TestServer::start(true).await;
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let base = srv.base.clone();
        set.spawn(async move { login_from(&base, ip("127.0.0.1"), "agent2@example.com", "not the password").await });
    }
    let mut answers = Vec::new();
    while let Some(a) = set.join_next().await {
        answers.push(a.expect("task"));
    }
    let tried = answers.iter().filter(|(s, _)| *s == 401).count();
    let refused: Vec<_> = answers.iter().filter(|(s, _)| *s == 429).collect();
    assert_eq!(tried, 5, "{answers:?}");
    assert_eq!(refused.len(), 35, "{answers:?}");
    assert!(refused.iter().all(|(_, retry)| retry.is_some_and(|s| s >= 1)), "every 429 says when to retry: {answers:?}");
}

#[tokio::test]
async fn failures_from_one_address_do_not_lock_the_owner_out_from_another() {
    let srv = TestServer::start(true).await;
    for _ in 0..5 {
        assert_eq!(login_from(&srv.base, ip("127.0.0.1"), "agent2@example.com", "wrong password!").await.0, 401);
    }
    // that address now waits (a minute, doubling with each further failure)…
    let (status, retry) = login_from(&srv.base, ip("127.0.0.1"), "agent2@example.com", DEMO_PASSWORD).await;
    assert_eq!(status, 429);
    assert!(retry.is_some_and(|s| (1..=60).contains(&s)), "{retry:?}");
    // …but the owner, somewhere else, signs in with the right password
    assert_eq!(login_from(&srv.base, ip("127.0.0.2"), "agent2@example.com", DEMO_PASSWORD).await.0, 200);
    // and other accounts from the first address are not affected by this account's failures
    assert_eq!(login_from(&srv.base, ip("127.0.0.1"), "agent1@example.com", DEMO_PASSWORD).await.0, 200);
}

#[tokio::test]
async fn an_overlong_login_email_is_refused_like_a_wrong_password_and_not_stored() {
    let srv = TestServer::start(true).await;
    let long = format!("{}@example.com", "a".repeat(10_000));
    assert_eq!(login_from(&srv.base, ip("127.0.0.1"), &long, "whatever password").await.0, 401);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE LENGTH(email_key) > 254")
        .fetch_one(&srv.db)
        .await
        .expect("count");
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn a_burst_of_registrations_from_one_address_is_limited_and_a_taken_email_answers_the_same() {
    let srv = TestServer::start(true).await;
    let users_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&srv.db).await.expect("count");
    let mut statuses = Vec::new();
    for i in 0..14 {
        let c = srv.client();
        let email = if i % 2 == 0 { "customer1@example.com".to_string() } else { format!("new{i}@example.com") };
        let (status, body) = srv
            .call(&c, "register", &[("name", "Kim"), ("email", &email), ("password", "a long password"), ("password_confirm", "a long password")])
            .await;
        assert!(matches!(status, 200 | 429), "{status} {body}");
        statuses.push(status);
    }
    // the first ten go through (a taken email answers the same, after a throwaway hash), then 429s
    assert!(statuses[..10].iter().all(|s| *s == 200), "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
    let users_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&srv.db).await.expect("count");
    assert_eq!(users_after, users_before, "accounts exist only once their address is confirmed");
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_confirmations").fetch_one(&srv.db).await.expect("count");
    assert_eq!(links, 5);
    // the taken address got at most three of the five mails: a form cannot flood a mailbox
    assert_eq!(srv.delivered_to("customer1@example.com", "registration_existing").await.len(), 3);
}

async fn current_user(srv: &TestServer, c: &reqwest::Client) -> String {
    let (status, body) = srv.call(c, "current_user", &[]).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn a_password_change_ends_every_other_session_and_keeps_this_one() {
    let srv = TestServer::start(true).await;
    let here = srv.signed_in("customer3@example.com").await;
    let there = srv.signed_in("customer3@example.com").await;
    assert!(current_user(&srv, &there).await.contains("customer3@"));
    let (status, body) = srv
        .call(&here, "change_password", &[("current_password", DEMO_PASSWORD), ("new_password", "a brand new password"), ("new_password_confirm", "a brand new password")])
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(current_user(&srv, &here).await.contains("customer3@"), "this device stays signed in");
    assert_eq!(current_user(&srv, &there).await, "null", "the other session ended");
    assert_eq!(srv.login(&there, "customer3@example.com", DEMO_PASSWORD).await.0, 401);
    assert_eq!(srv.login(&there, "customer3@example.com", "a brand new password").await.0, 200);
}

#[tokio::test]
async fn a_session_ends_after_its_absolute_lifetime_however_active() {
    let lifetime = Duration::from_secs(3);
    let srv = TestServer::start_with(true, |c| c.session_lifetime = lifetime).await;
    let before_sign_in = Instant::now();
    let c = srv.signed_in("customer4@example.com").await;
    // in use all along…
    while before_sign_in.elapsed() < lifetime / 2 {
        assert!(current_user(&srv, &c).await.contains("customer4@"));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // …and still over once the lifetime has passed since sign-in
    tokio::time::sleep(lifetime.saturating_sub(before_sign_in.elapsed()) + Duration::from_millis(200)).await;
    assert_eq!(current_user(&srv, &c).await, "null");
}

async fn user_id(srv: &TestServer, email: &str) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email_key = $1").bind(email).fetch_one(&srv.db).await.expect("user");
    id.to_string()
}

/// An admin sets an agent's groups and disabled flag (chat limit 3, no shifts).
async fn set_agent(srv: &TestServer, admin: &reqwest::Client, email: &str, groups: &[&str], disabled: bool) {
    let id = user_id(srv, email).await;
    let names: Vec<String> = (0..groups.len()).map(|i| format!("groups[{i}]")).collect();
    let mut form: Vec<(&str, &str)> = vec![("user_id", &id), ("chat_limit", "3")];
    form.extend(names.iter().map(String::as_str).zip(groups.iter().copied()));
    if disabled {
        form.push(("disabled", "on"));
    }
    let (status, body) = srv.call(admin, "admin_agent_update", &form).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn disabling_ends_sessions_and_enabling_again_does_not_bring_them_back() {
    let srv = TestServer::start(true).await;
    let admin = srv.signed_in("admin@example.com").await;
    let agent = srv.signed_in("agent2@example.com").await;
    set_agent(&srv, &admin, "agent2@example.com", &["payments_delivery"], true).await;
    assert_eq!(current_user(&srv, &agent).await, "null");
    set_agent(&srv, &admin, "agent2@example.com", &["payments_delivery"], false).await;
    assert_eq!(current_user(&srv, &agent).await, "null", "the old session stays ended");
    assert_eq!(srv.login(&agent, "agent2@example.com", DEMO_PASSWORD).await.0, 200);
}

/// A customer's delivery chat accepted by agent1, with agent1's socket on it. Returns the agent's
/// client (its cookie jar holds the session), the agent's socket and the chat.
async fn agent_on_a_chat(srv: &TestServer) -> (reqwest::Client, Ws, i64) {
    let customer = srv.signed_in("customer6@example.com").await;
    let chat = start_chat(srv, &customer, "delivery", "택배가 안 와요").await;
    let (agent, cookie) = srv.signed_in_cookie("agent1@example.com").await;
    assert_eq!(accept(srv, &agent, chat).await.0, 200);
    let mut ws = connect(srv, chat, 0, &cookie).await;
    until(&mut ws, "state").await;
    (agent, ws, chat)
}

const SIGNED_OUT: u16 = 4401;
const NOT_ALLOWED: u16 = 4403;
const WITHIN: Duration = Duration::from_secs(1);

#[tokio::test]
async fn logout_closes_the_sessions_chat_socket() {
    let srv = TestServer::start(true).await;
    let (agent, mut ws, _) = agent_on_a_chat(&srv).await;
    assert_eq!(srv.call(&agent, "logout", &[]).await.0, 200);
    assert_eq!(closed_with(&mut ws, WITHIN).await, SIGNED_OUT);
}

#[tokio::test]
async fn disabling_an_agent_closes_their_chat_sockets() {
    let srv = TestServer::start(true).await;
    let (_agent, mut ws, chat) = agent_on_a_chat(&srv).await;
    let admin = srv.signed_in("admin@example.com").await;
    set_agent(&srv, &admin, "agent1@example.com", &["payments_delivery"], true).await;
    assert_eq!(closed_with(&mut ws, WITHIN).await, SIGNED_OUT);
    let status: String = sqlx::query_scalar("SELECT status FROM chats WHERE id = $1").bind(chat).fetch_one(&srv.db).await.expect("status");
    assert_eq!(status, "waiting", "the disabled agent's chat is back in the queue");
    // and the message path is closed too: nothing the agent sends can be stored
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM chat_messages WHERE chat_id = $1 AND author_kind = 'agent'")
        .bind(chat)
        .fetch_one(&srv.db)
        .await
        .expect("count");
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn taking_an_agent_out_of_the_chats_group_closes_their_socket_and_their_writes() {
    let srv = TestServer::start(true).await;
    let (agent, mut ws, chat) = agent_on_a_chat(&srv).await;
    let admin = srv.signed_in("admin@example.com").await;
    set_agent(&srv, &admin, "agent1@example.com", &["general"], false).await;
    assert_eq!(closed_with(&mut ws, WITHIN).await, NOT_ALLOWED);
    // the chat went back to its group's queue, with an event the customer sees
    let status: String = sqlx::query_scalar("SELECT status FROM chats WHERE id = $1").bind(chat).fetch_one(&srv.db).await.expect("status");
    assert_eq!(status, "waiting");
    let requeued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM chat_messages WHERE chat_id = $1 AND author_kind = 'system' AND body = 'requeued'")
        .bind(chat)
        .fetch_one(&srv.db)
        .await
        .expect("event");
    assert_eq!(requeued, 1);
    // the plain form path refuses as well, and a new socket is refused at the handshake
    let (status, _) = srv.call(&agent, "chat_send", &[("chat_id", &chat.to_string()), ("body", "still here?"), ("client_id", "x-1")]).await;
    assert!(matches!(status, 403 | 404 | 422), "{status}");
    let (_, cookie) = srv.signed_in_cookie("agent1@example.com").await;
    assert_eq!(refused(&srv, chat, Some(&cookie), Some(&srv.base)).await, 403);
}

#[tokio::test]
async fn a_transfer_closes_the_socket_of_an_agent_outside_the_new_group() {
    let srv = TestServer::start(true).await;
    let (agent, mut ws, chat) = agent_on_a_chat(&srv).await;
    let (status, body) = srv.call(&agent, "transfer_chat", &[("chat_id", &chat.to_string()), ("group_code", "general")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(closed_with(&mut ws, WITHIN).await, NOT_ALLOWED);
}

#[tokio::test]
async fn a_password_change_closes_the_accounts_chat_sockets() {
    let srv = TestServer::start(true).await;
    let (agent, mut ws, _) = agent_on_a_chat(&srv).await;
    let (status, body) = srv
        .call(&agent, "change_password", &[("current_password", DEMO_PASSWORD), ("new_password", "another long password"), ("new_password_confirm", "another long password")])
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(closed_with(&mut ws, WITHIN).await, SIGNED_OUT);
}

#[tokio::test]
async fn an_account_holds_a_bounded_number_of_chat_sockets() {
    let srv = TestServer::start(true).await;
    let (customer, cookie) = srv.signed_in_cookie("customer7@example.com").await;
    let chat = start_chat(&srv, &customer, "delivery", "문의").await;
    let mut open = Vec::new();
    for _ in 0..app::chat::fanout::MAX_CONNECTIONS_PER_USER {
        open.push(connect(&srv, chat, 0, &cookie).await);
    }
    assert_eq!(refused(&srv, chat, Some(&cookie), Some(&srv.base)).await, 429);
    drop(open);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _again = connect(&srv, chat, 0, &cookie).await;
}

/// Reads until the peer closes the connection; how long it took, and what it sent.
async fn read_until_closed(stream: &mut tokio::net::TcpStream, limit: Duration) -> (Duration, Vec<u8>) {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(limit.saturating_sub(started.elapsed()), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (started.elapsed(), got),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => panic!("still open after {limit:?}; got {:?}", String::from_utf8_lossy(&got)),
        }
    }
}

#[tokio::test]
async fn a_client_that_sends_half_a_request_is_cut_off_after_the_header_timeout() {
    let srv = TestServer::start_with(false, |c| c.header_timeout = Duration::from_secs(1)).await;
    let mut s = tokio::net::TcpStream::connect(srv.addr).await.expect("connect");
    s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: sl").await.expect("write");
    let (took, _) = read_until_closed(&mut s, Duration::from_secs(5)).await;
    assert!(took >= Duration::from_millis(900), "closed too early: {took:?}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let srv = TestServer::start_with(false, |c| c.header_timeout = Duration::from_secs(1)).await;
    let mut s = tokio::net::TcpStream::connect(srv.addr).await.expect("connect");
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await.expect("write");
    let (_, got) = read_until_closed(&mut s, Duration::from_secs(5)).await;
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
}

#[tokio::test]
async fn connections_beyond_the_cap_get_a_clear_refusal_and_places_come_back() {
    let srv = TestServer::start_with(false, |c| c.max_connections = 16).await;
    let mut held = Vec::new();
    for _ in 0..16 {
        held.push(tokio::net::TcpStream::connect(srv.addr).await.expect("connect"));
    }
    // The accept loop may not have taken all 16 yet when the next one connects (a slow CI
    // machine): then that one gets a place and the next is refused. A refusal is answered at
    // once; a connection that got a place would wait for its headers.
    let mut refusal = None;
    for _ in 0..4 {
        let mut extra = tokio::net::TcpStream::connect(srv.addr).await.expect("connect");
        let mut buf = Vec::new();
        match tokio::time::timeout(Duration::from_secs(2), extra.read_to_end(&mut buf)).await {
            Ok(_) => {
                refusal = Some(String::from_utf8_lossy(&buf).to_string());
                break;
            }
            Err(_) => held.push(extra),
        }
    }
    let text = refusal.expect("a connection beyond the cap was refused");
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("Retry-After: 5"), "{text}");
    drop(held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let res = reqwest::get(srv.url("/healthz")).await.expect("request");
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn answers_carry_the_secure_headers_and_are_not_stored() {
    let srv = TestServer::start(true).await;
    let page = reqwest::get(srv.url("/")).await.expect("page");
    // (a 408 here means the machine was too busy to render the page in 30 s: it has the headers too)
    assert!([200, 408].contains(&page.status().as_u16()), "{}", page.status());
    let h = page.headers();
    for (name, value) in [
        ("cache-control", "no-store"),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        ("referrer-policy", "same-origin"),
    ] {
        assert_eq!(h.get(name).and_then(|v| v.to_str().ok()), Some(value), "{name}");
    }
    assert!(h.get("permissions-policy").is_some());
    assert!(h.get("content-security-policy").and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("frame-ancestors 'none'")));
    assert!(h.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
    let c = srv.signed_in("customer2@example.com").await;
    let res = c.post(srv.url("/api/current_user")).header("origin", &srv.base).send().await.expect("api");
    assert_eq!(res.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));

    let tls = TestServer::start_with(false, |c| c.secure_cookies = true).await;
    let page = reqwest::get(tls.url("/")).await.expect("page");
    assert!(page.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("max-age=")));
}

#[tokio::test]
async fn the_faq_pack_is_served_gzip_to_who_accepts_it() {
    let srv = TestServer::start(true).await;
    let client = reqwest::Client::new();
    let plain = client.get(srv.url("/faq/pack")).send().await.expect("plain");
    let tag = plain.headers().get("etag").cloned().expect("etag");
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.expect("body");
    let gz = client.get(srv.url("/faq/pack")).header("accept-encoding", "br;q=1, gzip;q=0.8").send().await.expect("gzip");
    assert_eq!(gz.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
    assert_eq!(gz.headers().get("etag"), Some(&tag));
    let packed = gz.bytes().await.expect("body");
    assert!(packed.len() < plain.len() / 2, "{} vs {}", packed.len(), plain.len());
    let mut unpacked = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&packed[..]), &mut unpacked).expect("gunzip");
    assert_eq!(unpacked, plain.to_vec());
}

async fn file_inquiry(srv: &TestServer, c: &reqwest::Client, key: &str) -> (u16, String) {
    srv.call(c, "create_inquiry", &[("type_code", "delivery"), ("order_no", ""), ("subject", "배송 문의"), ("body", "언제 도착하나요? 확인 부탁드립니다."), ("idempotency_key", key)])
        .await
}

async fn count(srv: &TestServer, sql: &str, key: i64) -> i64 {
    sqlx::query_scalar(sql).bind(key).fetch_one(&srv.db).await.expect("count")
}

async fn customer_id(srv: &TestServer, email: &str) -> i64 {
    sqlx::query_scalar("SELECT c.id FROM customers c JOIN users u ON u.id = c.user_id WHERE u.email_key = $1").bind(email).fetch_one(&srv.db).await.expect("customer")
}

#[tokio::test]
async fn a_customer_files_a_bounded_number_of_inquiries_an_hour_and_a_retry_is_not_counted() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer9@example.com").await;
    let me = customer_id(&srv, "customer9@example.com").await;
    let before = count(&srv, "SELECT COUNT(*) FROM inquiries WHERE customer_id = $1", me).await;
    let quota = app::domain::quota::INQUIRIES.max;
    // demo inquiries of this customer from the last hour count too
    let recent = count(&srv, &format!("SELECT COUNT(*) FROM inquiries WHERE customer_id = $1 AND created_at > {}", app::store::now_ms() - 3_600_000), me).await;
    for i in 0..(quota - recent) {
        let (status, body) = file_inquiry(&srv, &c, &format!("q-{i}")).await;
        assert_eq!(status, 200, "{i}: {body}");
    }
    // a resend of the last one (same key) is the same inquiry, not a new one
    assert_eq!(file_inquiry(&srv, &c, &format!("q-{}", quota - recent - 1)).await.0, 200);
    let (status, body) = file_inquiry(&srv, &c, "q-over").await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(count(&srv, "SELECT COUNT(*) FROM inquiries WHERE customer_id = $1", me).await, before + quota - recent);
}

#[tokio::test]
async fn a_customer_starts_a_bounded_number_of_chats_an_hour() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer10@example.com").await;
    let me = customer_id(&srv, "customer10@example.com").await;
    let (type_id, group_id): (i64, i64) = sqlx::query_as("SELECT id, group_id FROM inquiry_types WHERE code = 'delivery'").fetch_one(&srv.db).await.expect("type");
    let now = app::store::now_ms();
    for i in 0..app::domain::quota::CHATS.max {
        sqlx::query("INSERT INTO chats (customer_id, type_id, group_id, status, created_at, ended_at, last_seq) VALUES ($1, $2, $3, 'ended', $4, $4, 0)")
            .bind(me)
            .bind(type_id)
            .bind(group_id)
            .bind(now - 60_000 + i)
            .execute(&srv.db)
            .await
            .expect("ended chat");
    }
    let (status, body) = srv.call(&c, "start_chat", &[("type_code", "delivery"), ("body", "또 문의")]).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(count(&srv, "SELECT COUNT(*) FROM chats WHERE customer_id = $1 AND status <> 'ended'", me).await, 0);
}

#[tokio::test]
async fn an_agent_sends_a_bounded_number_of_faq_proposals_an_hour() {
    let srv = TestServer::start(true).await;
    let agent = srv.signed_in("agent1@example.com").await;
    let agent_id: i64 = user_id(&srv, "agent1@example.com").await.parse().expect("id");
    let (inquiry, type_id): (i64, i64) = sqlx::query_as(
        "SELECT i.id, i.type_id FROM inquiries i JOIN agent_groups g ON g.id = i.group_id WHERE g.code = 'payments_delivery' LIMIT 1",
    )
    .fetch_one(&srv.db)
    .await
    .expect("inquiry");
    let now = app::store::now_ms();
    for i in 0..app::domain::quota::FAQ_PROPOSALS.max {
        sqlx::query("INSERT INTO faq_proposals (inquiry_id, proposed_by, type_id, language, question, answer, created_at) VALUES ($1, $2, $3, 'ko', 'q', 'a', $4)")
            .bind(inquiry)
            .bind(agent_id)
            .bind(type_id)
            .bind(now - 60_000 + i)
            .execute(&srv.db)
            .await
            .expect("proposal");
    }
    let (status, body) = srv.call(&agent, "propose_faq", &[("id", &inquiry.to_string()), ("question", "배송은 언제 오나요?"), ("answer", "보통 2~3일 걸립니다.")]).await;
    assert_eq!(status, 429, "{body}");
}

#[tokio::test]
async fn plain_form_chat_messages_are_limited_per_account() {
    let srv = TestServer::start(true).await;
    let c = srv.signed_in("customer11@example.com").await;
    let chat = start_chat(&srv, &c, "delivery", "첫 메시지").await.to_string();
    // all at once, so the refill (2 a second) cannot hide the limit on a slow machine
    let mut set = tokio::task::JoinSet::new();
    for i in 0..24 {
        let (c, base, chat) = (c.clone(), srv.base.clone(), chat.clone());
        set.spawn(async move {
            let form = [("chat_id", chat), ("client_id", format!("f-{i}")), ("body", "빨리요".to_string())];
            let res = c.post(format!("{base}/api/chat_send")).header("origin", &base).form(&form).send().await.expect("request");
            res.status().as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(s) = set.join_next().await {
        statuses.push(s.expect("task"));
    }
    let sent = statuses.iter().filter(|s| **s == 200).count();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(sent + limited, 24, "{statuses:?}");
    assert!((10..=12).contains(&sent), "a burst of 10 (and what refilled meanwhile): {statuses:?}");
}

/// Writers queue on the process's gate in front of SQLite's write lock: a second write
/// transaction waits while the first is open (no busy error, no sleep in SQLite's busy handler)
/// and starts as soon as the first ends; fifty at once all commit.
#[tokio::test]
async fn write_transactions_wait_their_turn_and_all_commit() {
    let server = TestServer::start(false).await;
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notices").fetch_one(&server.db).await.unwrap();
    if common::on_postgres() {
        // PostgreSQL's writers do not queue behind one another (they lock rows): only the second
        // half applies
        return all_of_fifty_writers_commit(&server, before).await;
    }
    let first = app::store::write_tx(&server.db).await.expect("first");
    let db = server.db.clone();
    let second = tokio::spawn(async move {
        let mut tx = app::store::write_tx(&db).await.expect("second");
        let started = std::time::Instant::now();
        sqlx::query("INSERT INTO notices (title_ko, title_en, body_ko, body_en, published_at) VALUES ('a', 'a', 'b', 'b', 0)")
            .execute(&mut *tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        started
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!second.is_finished(), "the second writer waits while the first is open");
    first.commit().await.expect("commit first");
    let ended = std::time::Instant::now();
    let started = second.await.expect("join");
    // woken by the gate at once; SQLite's busy handler would still be in a 50–100 ms sleep
    let lag = started.saturating_duration_since(ended);
    assert!(lag < std::time::Duration::from_millis(40), "the second began {lag:?} after the first ended");
    all_of_fifty_writers_commit(&server, before + 1).await;
}

/// Fifty write transactions at once all commit.
async fn all_of_fifty_writers_commit(server: &TestServer, before: i64) {
    let writers: Vec<_> = (0..50)
        .map(|i| {
            let db = server.db.clone();
            tokio::spawn(async move {
                let mut tx = app::store::write_tx(&db).await?;
                sqlx::query("INSERT INTO notices (title_ko, title_en, body_ko, body_en, published_at) VALUES ($1, $1, 'b', 'b', 0)")
                    .bind(format!("n{i}"))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await
            })
        })
        .collect();
    for w in writers {
        w.await.expect("join").expect("every writer commits");
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notices").fetch_one(&server.db).await.unwrap();
    assert_eq!(count, before + 50);
}
