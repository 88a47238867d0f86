//! Live chat between two servers comes back by itself after PostgreSQL restarts, on the same
//! sockets, and what was written meanwhile is caught up from the database. A test binary of its
//! own: the restart cuts every connection to the test PostgreSQL, which no other test may be
//! using at the time.

mod common;

use common::pair::*;
use common::ws::*;
use std::time::Duration;

#[tokio::test]
async fn live_chat_comes_back_by_itself_after_postgresql_restarts() {
    let Some((a, b)) = pair().await else { return };
    let Ok(restart) = std::env::var("CYBERCENTER_TEST_PG_RESTART") else {
        panic!("CYBERCENTER_TEST_PG_RESTART is not set (run through scripts/with-postgres.sh)");
    };
    linked(&a, &b).await;
    let (customer, customer_cookie) = a.signed_in_cookie("customer5@example.com").await;
    let chat = start_chat(&a, &customer, "delivery", "배송이 아직 안 왔어요").await;
    let (agent, agent_cookie) = b.signed_in_cookie("agent1@example.com").await;
    let (status, body) = accept(&b, &agent, chat).await;
    assert_eq!(status, 200, "{body}");
    let mut c = connect(&a, chat, 0, &customer_cookie).await;
    let mut g = connect(&b, chat, 0, &agent_cookie).await;
    say(&mut g, "b-1", "before the restart").await;
    let m = message_with(&mut c, "before the restart").await;
    let mut last_seen = m["seq"].as_i64().expect("seq");

    let out = std::process::Command::new("bash").arg("-c").arg(&restart).output().expect("restart PostgreSQL");
    assert!(out.status.success(), "restart: {}", String::from_utf8_lossy(&out.stderr));
    let started = std::time::Instant::now();

    // the sockets stay open. Written as soon as PostgreSQL takes writes again, perhaps before
    // server A listens again: it reaches the customer live or with A's catch-up, on the same
    // socket (sent again under the same client id while the write fails, as the browser does)
    loop {
        say(&mut g, "b-2", "after the restart").await;
        let acked = loop {
            let f = next(&mut g).await;
            match f["t"].as_str() {
                Some("ack") => break true,
                Some("error") => break false,
                _ => {}
            }
        };
        if acked {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the agent's message was not stored within 20 s of the restart");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let m = message_with(&mut c, "after the restart").await;
    assert_eq!(m["seq"].as_i64(), Some(last_seen + 1), "caught up on the same socket, from where it left off");
    last_seen += 1;
    let resumed = started.elapsed();
    linked(&a, &b).await;
    let (status, _) = b.call(&agent, "current_user", &[]).await;
    assert_eq!(status, 200, "the agent's session survived the restart");
    // and live across the servers again, both ways, on the sockets opened before the restart
    say(&mut g, "b-3", "live again").await;
    let m = message_with(&mut c, "live again").await;
    assert_eq!(m["seq"].as_i64(), Some(last_seen + 1));
    say(&mut c, "a-3", "customer live again").await;
    message_with(&mut g, "customer live again").await;
    // a reconnect with the last sequence number gets nothing twice
    let mut c2 = connect(&a, chat, last_seen + 2, &customer_cookie).await;
    say(&mut g, "b-4", "one more").await;
    let (m, before) = until(&mut c2, "message").await;
    assert_eq!(m["body"], "one more", "nothing replayed before it: {before:?}");
    eprintln!("live delivery across servers resumed {resumed:?} after the restart");
}
