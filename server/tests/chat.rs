//! Live chat against the real server over real WebSockets: messages in order both ways,
//! reconnect with the last seen sequence number, idempotent resends, refusals before the
//! upgrade, bad frames answered with errors on a connection that stays usable, the chat limit,
//! queue positions, presence, transfer, rating and turning a chat into an inquiry.

mod common;

use common::ws::*;
use common::TestServer;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

async fn message_count(srv: &TestServer, chat: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM chat_messages WHERE chat_id = $1 AND author_kind <> 'system'").bind(chat).fetch_one(&srv.db).await.expect("count")
}

#[tokio::test]
async fn customer_and_agent_exchange_messages_in_order_and_a_reconnect_gets_exactly_what_it_missed() {
    let srv = TestServer::start(true).await;
    let (customer, customer_cookie) = srv.signed_in_cookie("customer5@example.com").await;
    let chat = start_chat(&srv, &customer, "delivery", "배송이 아직 안 왔어요").await;
    let mut c = connect(&srv, chat, 0, &customer_cookie).await;
    let state = next(&mut c).await;
    assert_eq!(state["t"], "state");
    assert_eq!(state["status"], "waiting");
    assert_eq!(state["position"], 1);
    assert!(state["wait_s"].as_i64().expect("wait") > 0);
    let first = next(&mut c).await;
    assert_eq!((first["t"].as_str(), first["seq"].as_i64(), first["body"].as_str()), (Some("message"), Some(1), Some("배송이 아직 안 왔어요")));

    // the customer may write while waiting; the agent may not before accepting
    let (agent, agent_cookie) = srv.signed_in_cookie("agent1@example.com").await;
    let mut a = connect(&srv, chat, 0, &agent_cookie).await;
    until(&mut a, "message").await;
    say(&mut a, "a-early", "hello").await;
    let (err, _) = until(&mut a, "error").await;
    assert_eq!(err["code"], "not_allowed");

    let (status, body) = accept(&srv, &agent, chat).await;
    assert_eq!(status, 200, "{body}");
    // the customer is told at once, with the agent's public name (never the login handle)
    let (state, before) = until(&mut c, "state").await;
    assert_eq!(state["status"], "active", "the accept is announced before any queue update");
    assert_eq!(state["agent_name"].as_str().expect("agent name"), "한상담");
    assert!(before.iter().any(|f| f["t"] == "message" && f["body"] == "accepted"), "{before:?}");

    say(&mut a, "a-1", "안녕하세요, 확인해 드릴게요").await;
    let (ack, _) = until(&mut a, "ack").await;
    assert_eq!(ack["client_id"], "a-1");
    let (m, _) = until(&mut c, "message").await;
    assert_eq!(m["body"], "안녕하세요, 확인해 드릴게요");
    assert_eq!(m["author"], "agent");
    let agent_seq = m["seq"].as_i64().expect("seq");

    for (i, text) in ["주문번호는 A-1", "어제 결제했어요", "감사합니다"].iter().enumerate() {
        say(&mut c, &format!("c-{i}"), text).await;
    }
    let mut got = Vec::new();
    while got.len() < 3 {
        let f = next(&mut a).await;
        if f["t"] == "message" {
            got.push((f["seq"].as_i64().expect("seq"), f["body"].as_str().expect("body").to_string()));
        }
    }
    assert_eq!(got.iter().map(|g| g.1.as_str()).collect::<Vec<_>>(), ["주문번호는 A-1", "어제 결제했어요", "감사합니다"]);
    assert!(got.windows(2).all(|w| w[1].0 == w[0].0 + 1), "sequence numbers without gaps: {got:?}");
    assert_eq!(got[0].0, agent_seq + 1);

    // the customer drops; the agent writes two messages meanwhile
    drop(c);
    say(&mut a, "a-2", "배송 조회해 보니 오늘 도착 예정입니다").await;
    say(&mut a, "a-3", "다른 문의 있으신가요?").await;
    until(&mut a, "ack").await;
    until(&mut a, "ack").await;
    let mut c = connect(&srv, chat, got[2].0, &customer_cookie).await;
    assert_eq!(next(&mut c).await["t"], "state");
    let m1 = next(&mut c).await;
    let m2 = next(&mut c).await;
    assert_eq!((m1["body"].as_str(), m2["body"].as_str()), (Some("배송 조회해 보니 오늘 도착 예정입니다"), Some("다른 문의 있으신가요?")));
    assert_eq!(m2["seq"].as_i64(), Some(got[2].0 + 2));
    // and nothing else: a ping is answered next, no replayed message in between
    send(&mut c, json!({"t": "ping"})).await;
    assert_eq!(next(&mut c).await["t"], "pong");

    // read receipts reach the other side
    send(&mut c, json!({"t": "read", "seq": m2["seq"]})).await;
    let (read, _) = until(&mut a, "read").await;
    assert_eq!((read["who"].as_str(), read["seq"].as_i64()), (Some("customer"), m2["seq"].as_i64()));
    // typing indicators too
    send(&mut a, json!({"t": "typing"})).await;
    let (typing, _) = until(&mut c, "typing").await;
    assert_eq!(typing["who"], "agent");
}

#[tokio::test]
async fn resending_a_client_id_stores_the_message_once() {
    let srv = TestServer::start(true).await;
    let (customer, cookie) = srv.signed_in_cookie("customer6@example.com").await;
    let chat = start_chat(&srv, &customer, "payment", "").await;
    let mut c = connect(&srv, chat, 0, &cookie).await;
    next(&mut c).await;
    say(&mut c, "same-id", "결제가 두 번 됐어요").await;
    let (first, _) = until(&mut c, "ack").await;
    // the connection drops before the client saw the ack; it resends on a new connection
    drop(c);
    let mut c = connect(&srv, chat, 0, &cookie).await;
    say(&mut c, "same-id", "결제가 두 번 됐어요").await;
    let (again, _) = until(&mut c, "ack").await;
    assert_eq!(first["seq"], again["seq"]);
    assert_eq!(message_count(&srv, chat).await, 1);
    // the plain form path is idempotent the same way
    for _ in 0..2 {
        let (status, body) = srv.call(&customer, "chat_send", &[("chat_id", &chat.to_string()), ("client_id", "form-1"), ("body", "폼에서 보냄")]).await;
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(message_count(&srv, chat).await, 2);
}

#[tokio::test]
async fn strangers_are_refused_before_the_upgrade() {
    let srv = TestServer::start(true).await;
    let (customer, cookie) = srv.signed_in_cookie("customer7@example.com").await;
    let chat = start_chat(&srv, &customer, "delivery", "").await;
    let (_, other_customer) = srv.signed_in_cookie("customer8@example.com").await;
    let (_, other_group_agent) = srv.signed_in_cookie("agent3@example.com").await;
    assert_eq!(refused(&srv, chat, None, Some(&srv.base)).await, 401, "no session");
    assert_eq!(refused(&srv, chat, Some("cc_session=forged"), Some(&srv.base)).await, 401, "unknown session");
    assert_eq!(refused(&srv, chat, Some(&other_customer), Some(&srv.base)).await, 404, "another customer's chat does not exist for them");
    assert_eq!(refused(&srv, chat, Some(&other_group_agent), Some(&srv.base)).await, 403, "an agent of another group");
    assert_eq!(refused(&srv, chat, Some(&cookie), Some("http://evil.example")).await, 403, "another site");
    assert_eq!(refused(&srv, 999_999, Some(&cookie), Some(&srv.base)).await, 404);
    // and the owner gets in
    let mut ws = connect(&srv, chat, 0, &cookie).await;
    assert_eq!(next(&mut ws).await["t"], "state");
    // other customers cannot read it through the pages' server functions either
    let (stranger, _) = srv.signed_in_cookie("customer9@example.com").await;
    let (status, _) = srv.call(&stranger, "my_chat_transcript", &[("chat_id", &chat.to_string()), ("locale", "Ko")]).await;
    assert_eq!(status, 404);
    let (status, _) = srv.call(&stranger, "chat_send", &[("chat_id", &chat.to_string()), ("client_id", "x1"), ("body", "hi")]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn bad_frames_get_error_frames_and_the_connection_stays_usable() {
    let srv = TestServer::start(true).await;
    let (customer, cookie) = srv.signed_in_cookie("customer10@example.com").await;
    let chat = start_chat(&srv, &customer, "delivery", "").await;
    let mut c = connect(&srv, chat, 0, &cookie).await;
    next(&mut c).await;
    ws_text(&mut c, "this is not json").await;
    assert_eq!(next(&mut c).await["code"], "malformed");
    send(&mut c, json!({"t": "shout", "body": "x"})).await;
    assert_eq!(next(&mut c).await["code"], "malformed");
    c.send(Message::Binary(vec![1, 2, 3].into())).await.expect("binary");
    assert_eq!(next(&mut c).await["code"], "malformed");
    say(&mut c, "long", &"가".repeat(2_001)).await;
    let e = next(&mut c).await;
    assert_eq!((e["code"].as_str(), e["client_id"].as_str()), (Some("too_long"), Some("long")));
    say(&mut c, "blank", "   ").await;
    assert_eq!(next(&mut c).await["code"], "invalid");
    say(&mut c, "bad id!", "hello").await;
    assert_eq!(next(&mut c).await["code"], "invalid");
    // exactly 2,000 characters is fine, and the connection still works
    say(&mut c, "max", &"가".repeat(2_000)).await;
    let (ack, _) = until(&mut c, "ack").await;
    assert_eq!(ack["client_id"], "max");
    assert_eq!(message_count(&srv, chat).await, 1);

    // a flood: the burst passes, then "rate_limited", and nothing is stored twice
    for i in 0..30 {
        say(&mut c, &format!("f{i}"), "flood").await;
    }
    let mut limited = 0;
    let mut acked = 0;
    while acked + limited < 30 {
        let f = next(&mut c).await;
        match f["t"].as_str() {
            Some("ack") => acked += 1,
            Some("error") if f["code"] == "rate_limited" => limited += 1,
            _ => {}
        }
    }
    assert!(limited > 0 && acked >= 5, "acked {acked}, limited {limited}");
    assert_eq!(message_count(&srv, chat).await, 1 + acked);
    // a frame over 64 KiB closes the connection (the protocol limit), without harming the server
    let (_, cookie2) = srv.signed_in_cookie("customer10@example.com").await;
    ws_text(&mut c, &"x".repeat(70 * 1024)).await;
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match c.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return true,
                _ => {}
            }
        }
    })
    .await
    .unwrap_or(false);
    assert!(closed);
    let mut again = connect(&srv, chat, 0, &cookie2).await;
    assert_eq!(next(&mut again).await["t"], "state");
}

async fn ws_text(ws: &mut Ws, text: &str) {
    let _ = ws.send(Message::Text(text.to_string().into())).await;
}

#[tokio::test]
async fn accepting_respects_the_chat_limit_and_the_queue_tells_positions() {
    let srv = TestServer::start(true).await;
    sqlx::query("UPDATE agents SET chat_limit = 2").execute(&srv.db).await.expect("limit");
    let mut chats = Vec::new();
    for n in 11..=14 {
        let c = srv.signed_in(&format!("customer{n}@example.com")).await;
        chats.push(start_chat(&srv, &c, "returns", "").await);
    }
    let (agent, _) = srv.signed_in_cookie("agent2@example.com").await;
    // the desk lists them in queue order
    let (status, body) = srv.call(&agent, "agent_waiting_chats", &[("locale", "En")]).await;
    assert_eq!(status, 200, "{body}");
    let listed: Vec<i64> = json_of(&body).as_array().expect("list").iter().map(|c| c["id"].as_i64().expect("id")).collect();
    assert_eq!(listed.len(), 4);
    let positions = app::store::chats::waiting_positions(&srv.db, group_of(&srv, chats[0]).await, app::store::now_ms()).await.expect("positions");
    assert_eq!(positions.iter().map(|p| p.0).collect::<Vec<_>>(), listed, "the desk and the positions agree");
    assert_eq!(positions.iter().map(|p| p.1).collect::<Vec<_>>(), [1, 2, 3, 4]);

    assert_eq!(accept(&srv, &agent, listed[0]).await.0, 200);
    assert_eq!(accept(&srv, &agent, listed[1]).await.0, 200);
    let (status, body) = accept(&srv, &agent, listed[2]).await;
    assert_eq!(status, 422, "third chat over a limit of 2: {body}");
    assert!(body.contains("ChatLimitReached"), "{body}");
    // another agent cannot take one already accepted
    let other = srv.signed_in("agent1@example.com").await;
    let (status, body) = accept(&srv, &other, listed[0]).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("AlreadyTaken"), "{body}");
    // an agent of another group cannot accept at all
    let general = srv.signed_in("agent3@example.com").await;
    assert_eq!(accept(&srv, &general, listed[2]).await.0, 403);
    // the queue moved up
    let left = app::store::chats::waiting_positions(&srv.db, group_of(&srv, chats[0]).await, app::store::now_ms()).await.expect("positions");
    assert_eq!(left.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(), [(listed[2], 1), (listed[3], 2)]);
}

async fn group_of(srv: &TestServer, chat: i64) -> i64 {
    sqlx::query_scalar("SELECT group_id FROM chats WHERE id = $1").bind(chat).fetch_one(&srv.db).await.expect("group")
}

#[tokio::test]
async fn an_agent_goes_offline_when_the_last_chat_connection_closes() {
    let srv = TestServer::start(true).await;
    let (customer, _) = srv.signed_in_cookie("customer15@example.com").await;
    let chat = start_chat(&srv, &customer, "delivery", "").await;
    let (agent, cookie) = srv.signed_in_cookie("agent1@example.com").await;
    let presence = || async {
        sqlx::query_scalar::<_, String>("SELECT a.presence FROM agents a JOIN users u ON u.id = a.user_id WHERE u.email = 'agent1@example.com'")
            .fetch_one(&srv.db)
            .await
            .expect("presence")
    };
    assert_eq!(presence().await, "offline");
    let mut one = connect(&srv, chat, 0, &cookie).await;
    next(&mut one).await;
    let mut two = connect(&srv, chat, 0, &cookie).await;
    next(&mut two).await;
    assert_eq!(presence().await, "online", "a chat connection brings the agent online");
    one.close(None).await.expect("close");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(presence().await, "online", "one connection is still open");
    two.close(None).await.expect("close");
    let mut offline = false;
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if presence().await == "offline" {
            offline = true;
            break;
        }
    }
    assert!(offline, "the last connection closed");
    let _ = agent;
}

#[tokio::test]
async fn transfer_end_rate_and_turn_into_an_inquiry() {
    let srv = TestServer::start(true).await;
    let (customer, cookie) = srv.signed_in_cookie("customer16@example.com").await;
    let chat = start_chat(&srv, &customer, "delivery", "상품이 파손되어 왔어요").await;
    let id = chat.to_string();
    let agent1 = srv.signed_in("agent1@example.com").await;
    assert_eq!(accept(&srv, &agent1, chat).await.0, 200);
    let mut c = connect(&srv, chat, 0, &cookie).await;
    until(&mut c, "state").await;

    // a colleague who did not accept it cannot end or transfer it
    let agent2 = srv.signed_in("agent2@example.com").await;
    assert_eq!(srv.call(&agent2, "end_chat", &[("chat_id", &id)]).await.0, 422);
    assert_eq!(srv.call(&agent2, "transfer_chat", &[("chat_id", &id), ("group_code", "general")]).await.0, 422);

    // transfer to the general desk: back in a queue, the customer is told
    let (status, body) = srv.call(&agent1, "transfer_chat", &[("chat_id", &id), ("group_code", "general")]).await;
    assert_eq!(status, 200, "{body}");
    let state = until_status(&mut c, "waiting").await;
    assert_eq!(state["position"], 1);
    let agent3 = srv.signed_in("agent3@example.com").await;
    assert_eq!(accept(&srv, &agent3, chat).await.0, 200);
    let state = until_status(&mut c, "active").await;
    assert_eq!(state["agent_name"].as_str().expect("name"), "문지원");

    // a follow-up inquiry with the transcript, once
    let (status, body) = srv.call(&agent3, "chat_to_inquiry", &[("chat_id", &id)]).await;
    assert_eq!(status, 200, "{body}");
    let path: String = serde_json::from_str(&body).expect("path");
    let (status, again) = srv.call(&agent3, "chat_to_inquiry", &[("chat_id", &id)]).await;
    assert_eq!((status, serde_json::from_str::<String>(&again).expect("path")), (200, path.clone()));
    let inquiry: i64 = path.trim_start_matches("/agent/inquiries/").parse().expect("inquiry id");
    let (channel, text): (String, String) = sqlx::query_as(
        "SELECT i.channel, m.body FROM inquiries i JOIN inquiry_messages m ON m.inquiry_id = i.id WHERE i.id = $1",
    )
    .bind(inquiry)
    .fetch_one(&srv.db)
    .await
    .expect("inquiry");
    assert_eq!(channel, "chat");
    assert!(text.contains("상품이 파손되어 왔어요"), "{text}");

    // rating before the end is refused; the customer ends it, the socket hears it, then rates once
    assert_eq!(srv.call(&customer, "rate_chat", &[("chat_id", &id), ("csat", "5")]).await.0, 422);
    assert_eq!(srv.call(&customer, "end_chat", &[("chat_id", &id)]).await.0, 200);
    until_status(&mut c, "ended").await;
    say(&mut c, "late", "one more thing").await;
    assert_eq!(until(&mut c, "error").await.0["code"], "not_allowed");
    assert_eq!(srv.call(&customer, "rate_chat", &[("chat_id", &id), ("csat", "9")]).await.0, 422);
    assert_eq!(srv.call(&customer, "rate_chat", &[("chat_id", &id), ("csat", "4")]).await.0, 200);
    let (status, body) = srv.call(&customer, "rate_chat", &[("chat_id", &id), ("csat", "5")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("AlreadyRated"), "{body}");
    // the transcript is in the customer's history
    let (status, body) = srv.call(&customer, "my_history", &[("kind", "chat"), ("page", "1")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(json_of(&body)["items"].as_array().expect("items").iter().any(|e| e["ref_id"] == chat));
    // and a new chat can start
    let next_chat = start_chat(&srv, &customer, "delivery", "").await;
    assert_ne!(next_chat, chat);
}
