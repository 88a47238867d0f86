//! Two app servers on one PostgreSQL database (`two_servers.rs`, `pg_restart.rs`).

#![allow(dead_code)]

use super::ws::*;
use super::TestServer;
use std::time::Duration;

/// Two servers sharing a fresh database with demo data, or `None` on SQLite.
pub async fn pair() -> Option<(TestServer, TestServer)> {
    if !super::on_postgres() {
        eprintln!("skipped: two servers share a database only on PostgreSQL (make test runs this in its PostgreSQL pass)");
        return None;
    }
    let a = TestServer::start(true).await;
    let b = a.start_beside().await;
    Some((a, b))
}

/// Polls `check` every 50 ms for up to `within`.
pub async fn eventually<F, Fut>(within: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// Frames until the message with `body` arrives (earlier messages and events are skipped).
pub async fn message_with(ws: &mut Ws, body: &str) -> serde_json::Value {
    loop {
        let (m, _) = until(ws, "message").await;
        if m["body"] == body {
            return m;
        }
    }
}

pub async fn health(srv: &TestServer) -> String {
    reqwest::get(srv.url("/healthz")).await.expect("healthz").text().await.expect("body")
}

/// Both servers hear each other (the listener connects just after start-up).
pub async fn linked(a: &TestServer, b: &TestServer) {
    for srv in [a, b] {
        let up = eventually(Duration::from_secs(10), || async { health(srv).await.contains(r#""listener":"connected""#) }).await;
        assert!(up, "listener of {} not connected: {}", srv.base, health(srv).await);
    }
}
