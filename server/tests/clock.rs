//! One clock: every request reads the server's clock once and passes it down, so a test can move
//! the server's time and see the rules that depend on it (a session's absolute lifetime, the
//! window in which a customer may reopen an inquiry) take effect without waiting.

mod common;

use common::TestServer;

const DAY_MS: i64 = 24 * 3_600_000;

#[tokio::test]
async fn a_resolved_inquiry_may_be_reopened_only_within_its_window() {
    let srv = TestServer::start(true).await;
    let customer = srv.signed_in("customer1@example.com").await;
    let id: i64 = sqlx::query_scalar(
        "SELECT i.id FROM inquiries i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = c.user_id
         WHERE u.email_key = 'customer1@example.com' ORDER BY i.id LIMIT 1",
    )
    .fetch_one(&srv.db)
    .await
    .expect("an inquiry of customer1");
    let resolve = |at: i64| {
        sqlx::query("UPDATE inquiries SET status = 'resolved', resolved_at = $1, closed_at = NULL WHERE id = $2").bind(at).bind(id)
    };
    // resolved by the server's clock now: the customer may reopen it
    resolve(srv.clock.now_ms()).execute(&srv.db).await.expect("resolve");
    let (status, body) = srv.call(&customer, "reopen_inquiry", &[("id", &id.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    // resolved again, and the server's time moves 15 days on: past the 14-day window
    resolve(srv.clock.now_ms()).execute(&srv.db).await.expect("resolve");
    srv.clock.advance(15 * DAY_MS);
    let (status, body) = srv.call(&customer, "reopen_inquiry", &[("id", &id.to_string())]).await;
    assert_eq!(status, 422, "{body}");
    let state: String = sqlx::query_scalar("SELECT status FROM inquiries WHERE id = $1").bind(id).fetch_one(&srv.db).await.expect("status");
    assert_eq!(state, "resolved");
}

#[tokio::test]
async fn a_session_ends_when_the_server_time_passes_its_lifetime() {
    let srv = TestServer::start_with(true, |c| c.session_lifetime = std::time::Duration::from_secs(3600)).await;
    let customer = srv.signed_in("customer1@example.com").await;
    let (status, _) = srv.call(&customer, "my_inquiries", &[("page", "1"), ("locale", "En")]).await;
    assert_eq!(status, 200);
    srv.clock.advance(3_600_000 + 1);
    let (status, body) = srv.call(&customer, "my_inquiries", &[("page", "1"), ("locale", "En")]).await;
    assert_eq!(status, 401, "{body}");
}
