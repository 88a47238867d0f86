//! Every signed-in page loads its data once. The statements one page view runs are read from
//! sqlx's own query log (a tracing layer of this test binary, which runs this one test so no
//! other server shares the log), and no statement may run twice for one view: a resource created
//! inside a `<Suspense>` is fetched again each time the Suspense walks its children on the
//! server (twice or three times), which is what made My page run 16 statements instead of 6.

mod common;

use common::TestServer;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

#[derive(Clone, Default)]
struct Statements(Arc<Mutex<Vec<String>>>);

impl Statements {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().expect("statement log"))
    }
}

struct StatementText {
    summary: String,
    full: String,
}

impl tracing::field::Visit for StatementText {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        match field.name() {
            "summary" => self.summary = value.to_string(),
            "db.statement" => self.full = value.trim().to_string(),
            _ => {}
        }
    }
    fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Statements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut text = StatementText { summary: String::new(), full: String::new() };
        event.record(&mut text);
        // sqlx leaves the full text empty when the summary is the whole statement
        let sql = if text.full.is_empty() { text.summary } else { text.full };
        if sql.starts_with("PRAGMA") {
            return; // a new pooled connection being set up, not the page's work
        }
        if sql.contains("next_at") {
            return; // the mail sender's poll (every 30 s when idle), which may land mid-page
        }
        self.0.lock().expect("statement log").push(sql);
    }
}

/// The statements of one GET of `path`, which must answer 200.
async fn statements_of(srv: &TestServer, log: &Statements, client: &reqwest::Client, path: &str) -> Vec<String> {
    log.take();
    let res = client.get(srv.url(path)).send().await.expect("request");
    let status = res.status().as_u16();
    let body = res.text().await.expect("body");
    assert_eq!(status, 200, "GET {path}: {}", &body[..body.len().min(300)]);
    log.take()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_signed_in_page_runs_each_statement_once() {
    let log = Statements::default();
    let subscriber = tracing_subscriber::registry()
        .with(log.clone().with_filter(tracing_subscriber::filter::Targets::new().with_target("sqlx::query", tracing::Level::DEBUG)));
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this test binary");

    let srv = TestServer::start(true).await;
    let customer = srv.signed_in("customer1@example.com").await;
    let agent = srv.signed_in("agent1@example.com").await;
    let admin = srv.signed_in("admin@example.com").await;
    let (inquiry, order_no): (i64, String) = sqlx::query_as(
        "SELECT i.id, o.order_no FROM inquiries i JOIN customers c ON c.id = i.customer_id
         JOIN users u ON u.id = c.user_id JOIN orders o ON o.customer_id = c.id
         WHERE u.email_key = 'customer1@example.com' ORDER BY i.id, o.id LIMIT 1",
    )
    .fetch_one(&srv.db)
    .await
    .expect("an inquiry and an order of customer1");
    let in_agents_group: i64 = sqlx::query_scalar(
        "SELECT i.id FROM inquiries i JOIN agent_memberships m ON m.group_id = i.group_id
         JOIN users u ON u.id = m.agent_user_id WHERE u.email_key = 'agent1@example.com' ORDER BY i.id LIMIT 1",
    )
    .fetch_one(&srv.db)
    .await
    .expect("an inquiry of agent1's groups");
    let customer_no: String = sqlx::query_scalar("SELECT customer_no FROM customers ORDER BY id LIMIT 1")
        .fetch_one(&srv.db)
        .await
        .expect("a customer");
    // the start-up work (mail sender, pruning, index build) is done before the first count
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    // what each page costs at most, in statements (the session's account check included): the
    // figures of today, so a page that starts loading something twice, or one more thing, says so
    let pages: Vec<(&reqwest::Client, String, usize)> = vec![
        (&customer, "/my".into(), 4),
        (&customer, "/my/inquiries".into(), 3),
        (&customer, "/my/inquiries/new".into(), 4),
        (&customer, format!("/my/inquiries/{inquiry}"), 3),
        (&customer, "/my/orders".into(), 3),
        (&customer, format!("/my/orders/{order_no}"), 4),
        (&customer, "/my/profile".into(), 2),
        (&customer, "/my/history".into(), 3),
        (&customer, "/my/chat".into(), 4),
        (&agent, "/agent".into(), 4),
        // 10 before issue 17, + the queue pane (the agent's groups, the lists) and the group's agents
        (&agent, format!("/agent/inquiries/{in_agents_group}"), 13),
        (&agent, "/agent/customers?q=kim".into(), 2),
        (&agent, format!("/agent/customers/{customer_no}"), 6),
        (&agent, "/agent/chats".into(), 5),
        (&admin, "/admin".into(), 7),
        (&admin, "/admin/faq".into(), 3),
        (&admin, "/admin/types".into(), 3),
        (&admin, "/admin/agents".into(), 3),
        (&admin, "/admin/grades".into(), 4),
        (&admin, "/admin/audit".into(), 2),
    ];
    let mut report = Vec::new();
    let mut failures = Vec::new();
    // on PostgreSQL every request reads its session from the session table (another server may
    // have ended it); each page may run that one statement more, and only once
    let session_reads = usize::from(common::on_postgres());
    for (client, path, most) in &pages {
        let most = &(*most + session_reads);
        let ran = statements_of(&srv, &log, client, path).await;
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for s in &ran {
            *seen.entry(s.as_str()).or_default() += 1;
        }
        report.push(format!("{path}: {} statements", ran.len()));
        for (sql, n) in seen.iter().filter(|(_, n)| **n > 1) {
            failures.push(format!("{path}: ran {n} times: {}", sql.lines().next().unwrap_or_default()));
        }
        if ran.len() > *most {
            failures.push(format!("{path}: {} statements, at most {most}:\n  {}", ran.len(), ran.join("\n  ")));
        }
    }
    println!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
