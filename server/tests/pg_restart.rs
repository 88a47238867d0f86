//! Live chat between two servers comes back by itself after PostgreSQL restarts, and what was
//! written meanwhile is caught up from the database. A test binary of its own: the restart cuts
//! every connection to the test PostgreSQL, which no other test may be using at the time.

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

    // the sockets are closed so that their clients catch up; the clients reconnect (as the
    // browser's room does) once both servers hear each other again
    for ws in [&mut c, &mut g] {
        closed_with(ws, Duration::from_secs(10)).await;
    }
    linked(&a, &b).await;
    let resumed = started.elapsed();
    let mut g = connect(&b, chat, 0, &agent_cookie).await;
    let (status, _) = b.call(&agent, "current_user", &[]).await;
    assert_eq!(status, 200, "the agent's session survived the restart");
    // written while the customer is away: it comes with the customer's catch-up
    say(&mut g, "b-2", "after the restart").await;
    until(&mut g, "ack").await;
    let mut c = connect(&a, chat, last_seen, &customer_cookie).await;
    let (m, _) = until(&mut c, "message").await;
    assert_eq!(m["body"], "after the restart", "caught up from the database by sequence number, from where it left off");
    last_seen = m["seq"].as_i64().expect("seq");
    // and live across the servers again
    say(&mut g, "b-3", "live again").await;
    let (m, _) = until(&mut c, "message").await;
    assert_eq!((m["body"].as_str(), m["seq"].as_i64()), (Some("live again"), Some(last_seen + 1)));
    say(&mut c, "a-3", "customer live again").await;
    message_with(&mut g, "customer live again").await;
    eprintln!("live delivery across servers resumed {resumed:?} after the restart");
}
