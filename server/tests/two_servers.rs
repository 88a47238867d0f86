//! Two app servers on one PostgreSQL database, as behind a load balancer: a session made on one
//! holds on the other and a logout on one ends it on both; a customer on one server chats with an
//! agent on the other; "take next" called on both at once never hands out one inquiry twice; an
//! FAQ edit on one reaches the other's index (`pg_restart.rs`: live chat after PostgreSQL
//! restarts). On SQLite (one process owns the file) these tests have nothing to do and
//! say so; `make test` runs them in its PostgreSQL pass.

mod common;

use common::pair::*;
use common::ws::*;
use std::time::Duration;

#[tokio::test]
async fn a_session_made_on_one_server_holds_on_the_other_and_a_logout_ends_it_on_both() {
    let Some((a, b)) = pair().await else { return };
    // one browser: cookies are per host, not per port, so it sends the same cookie to both
    let browser = a.signed_in("customer1@example.com").await;
    let (status, body) = b.call(&browser, "my_overview", &[("locale", "Ko")]).await;
    assert_eq!(status, 200, "signed in on B with the session made on A: {body}");
    let (status, _) = a.call(&browser, "logout", &[]).await;
    assert_eq!(status, 200);
    let (status, _) = b.call(&browser, "my_overview", &[("locale", "Ko")]).await;
    assert_eq!(status, 401, "the logout on A ended the session on B");
}

#[tokio::test]
async fn take_next_on_both_servers_at_once_never_hands_out_one_inquiry_twice() {
    let Some((a, b)) = pair().await else { return };
    let agents = [a.signed_in("agent1@example.com").await, b.signed_in("agent2@example.com").await];
    let mut tasks = Vec::new();
    for n in 0..20 {
        let srv = if n % 2 == 0 { &a } else { &b };
        let c = agents[n % 2].clone();
        let (url, origin) = (srv.url("/api/take_next_inquiry"), srv.base.clone());
        tasks.push(tokio::spawn(async move {
            let res = c.post(url).header("origin", origin).form(&[("", "")]).send().await.expect("send");
            (res.status().as_u16(), res.text().await.expect("body"))
        }));
    }
    let mut taken = Vec::new();
    for t in tasks {
        let (status, body) = t.await.expect("task");
        assert_eq!(status, 200, "{body}");
        let path: String = serde_json::from_str(&body).expect("path");
        if let Some(id) = path.strip_prefix("/agent/inquiries/") {
            taken.push(id.parse::<i64>().expect("id"));
        }
    }
    assert!(taken.len() >= 2, "the demo queue has inquiries waiting for these agents: {taken:?}");
    let mut unique = taken.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), taken.len(), "an inquiry was handed out twice: {taken:?}");
}

#[tokio::test]
async fn accepting_one_chat_on_both_servers_at_once_gives_it_to_one_agent() {
    let Some((a, b)) = pair().await else { return };
    let customer = a.signed_in("customer5@example.com").await;
    let chat = start_chat(&a, &customer, "delivery", "배송이 아직 안 왔어요").await;
    let agents = [a.signed_in("agent1@example.com").await, b.signed_in("agent2@example.com").await];
    let mut tasks = Vec::new();
    for n in 0..20 {
        let srv = if n % 2 == 0 { &a } else { &b };
        let c = agents[n % 2].clone();
        let (url, origin) = (srv.url("/api/accept_chat"), srv.base.clone());
        tasks.push(tokio::spawn(async move {
            let res = c.post(url).header("origin", origin).form(&[("chat_id", chat.to_string())]).send().await.expect("send");
            res.status().as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "exactly one accept wins: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 422), "{statuses:?}");
    let accepted: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM chat_messages WHERE chat_id = $1 AND body = 'accepted'").bind(chat).fetch_one(&a.db).await.expect("count");
    assert_eq!(accepted, 1);
}

#[tokio::test]
async fn a_customer_on_one_server_chats_with_an_agent_on_the_other() {
    let Some((a, b)) = pair().await else { return };
    linked(&a, &b).await;
    let (customer, customer_cookie) = a.signed_in_cookie("customer5@example.com").await;
    let chat = start_chat(&a, &customer, "delivery", "배송이 아직 안 왔어요").await;
    let mut c = connect(&a, chat, 0, &customer_cookie).await;
    until_status(&mut c, "waiting").await;
    let (agent, agent_cookie) = b.signed_in_cookie("agent1@example.com").await;
    let mut g = connect(&b, chat, 0, &agent_cookie).await;
    let (first, _) = until(&mut g, "message").await;
    assert_eq!(first["body"], "배송이 아직 안 왔어요");

    let (status, body) = accept(&b, &agent, chat).await;
    assert_eq!(status, 200, "{body}");
    let state = until_status(&mut c, "active").await;
    assert_eq!(state["agent_name"], "한상담", "the accept on B reached the customer on A");

    say(&mut g, "b-1", "안녕하세요, 확인해 드릴게요").await;
    let m = message_with(&mut c, "안녕하세요, 확인해 드릴게요").await;
    assert_eq!(m["author"], "agent");
    say(&mut c, "a-1", "주문번호는 A-1").await;
    message_with(&mut g, "주문번호는 A-1").await;
    // a message longer than a notification can carry (2,000 characters, escaped twice over)
    // goes by its sequence number and is read from the database on the other side
    let long = "\"😀".repeat(1_000);
    say(&mut g, "b-long", &long).await;
    message_with(&mut c, &long).await;
    send(&mut g, serde_json::json!({"t": "typing"})).await;
    let (typing, _) = until(&mut c, "typing").await;
    assert_eq!(typing["who"], "agent");

    // a logout on A closes the customer's socket on A, and a logout on B the agent's on B
    let (status, _) = b.call(&agent, "logout", &[]).await;
    assert_eq!(status, 200);
    assert_ne!(closed_with(&mut g, Duration::from_secs(5)).await, 1000);
}

#[tokio::test]
async fn an_faq_edit_on_one_server_reaches_the_index_of_the_other() {
    let Some((a, b)) = pair().await else { return };
    linked(&a, &b).await;
    let before = b.state.faq.current().template_count();
    let admin = a.signed_in("admin@example.com").await;
    let (status, body) = a
        .call(
            &admin,
            "admin_faq_save",
            &[("id", ""), ("type_code", "product"), ("language", "ko"), ("question", "선물 포장이 되나요?"), ("phrasings", "선물 포장 가능한가요\n포장해서 보내주실 수 있나요"), ("answer", "주문서에서 '선물 포장'을 선택하면 2,000원에 포장해 드립니다.")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let rebuilt = eventually(Duration::from_secs(10), || async { b.state.faq.current().template_count() == before + 1 }).await;
    assert!(rebuilt, "B's index has {} templates, A's {}", b.state.faq.current().template_count(), a.state.faq.current().template_count());
}

#[tokio::test]
async fn a_queued_mail_is_sent_once_by_one_of_the_servers() {
    let Some((a, b)) = pair().await else { return };
    // both servers' senders wake at once for mail queued on either
    let mut tasks = Vec::new();
    for n in 0..12 {
        let srv = if n % 2 == 0 { &a } else { &b };
        let (url, origin, client) = (srv.url("/api/register"), srv.base.clone(), srv.client());
        tasks.push(tokio::spawn(async move {
            let form = [
                ("name", "두 서버".to_string()),
                ("email", format!("twice{n}@example.org")),
                ("password", "a long enough pw".to_string()),
                ("password_confirm", "a long enough pw".to_string()),
            ];
            client.post(url).header("origin", origin).form(&form).send().await.expect("register").status().as_u16()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.expect("task"), 200);
    }
    let sent = eventually(Duration::from_secs(20), || async {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE to_key LIKE 'twice%' AND state = 'sent'")
            .fetch_one(&a.db)
            .await
            .expect("count");
        n == 12
    })
    .await;
    assert!(sent, "all twelve sent");
    let files: Vec<String> = a.mails().into_iter().chain(b.mails()).filter(|m| m.to.starts_with("twice")).map(|m| m.to).collect();
    let mut unique = files.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((files.len(), unique.len()), (12, 12), "each mail once, by one server or the other: {files:?}");
}

#[tokio::test]
async fn a_file_uploaded_through_one_server_downloads_through_the_other() {
    let Some((a, b)) = pair().await else { return };
    let customer = a.signed_in("customer1@example.com").await;
    // several chunks of the database store, not all of the same size
    let text: String = (0..30_000).map(|i| format!("line {i}: 반품 사유를 적습니다\n")).collect();
    assert!(text.len() > 3 * 256 * 1024, "{}", text.len());
    let fields = [("type_code", "returns"), ("order_no", ""), ("subject", "반품 사유서"), ("body", "사유서를 첨부합니다. 확인 부탁드립니다."), ("idempotency_key", "k-two-servers")];
    let (status, body) = common::post_multipart(&a, &customer, "file_inquiry", &fields, &[("사유서.txt", text.as_bytes())]).await;
    assert_eq!(status, 200, "{body}");
    let id: i64 = sqlx::query_scalar("SELECT id FROM attachments ORDER BY id DESC LIMIT 1").fetch_one(&a.db).await.expect("attachment");
    let res = customer.get(b.url(&format!("/attachments/{id}"))).send().await.expect("download on B");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-length"].to_str().ok().and_then(|l| l.parse::<usize>().ok()), Some(text.len()));
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), text.as_bytes(), "the same bytes through the other server");
    // and a stranger gets nothing on either
    let stranger = b.signed_in("customer2@example.com").await;
    assert_eq!(stranger.get(b.url(&format!("/attachments/{id}"))).send().await.expect("get").status().as_u16(), 404);
}
