//! `cybercenter bench-queue [--inquiries N] [--backlog W1,W2,…]`: how the agent queue holds up
//! as the backlog grows. Loads the demo into a temporary SQLite file with N answered inquiries
//! (default 1,000,000), then grows the number waiting in stages (default 3,000 / 30,000 /
//! 100,000) and at each stage times, against `SELECT 1` measured in the same run: the queue
//! query for an agent and for the admin (all groups), a filtered queue, "take next", and over
//! HTTP on a server started on that database the agent's queue page (`/agent`, HTML) and its
//! live refresh (`/api/agent_queue`), beside `/healthz`.

use super::time_ms;
use app::agent::queue::QueueFilter;
use app::agent::queries::queue;
use app::store::workspace::{take_next, Actor};
use app::i18n::Locale;

#[derive(Debug, PartialEq)]
pub struct Options {
    pub inquiries: usize,
    pub backlog: Vec<usize>,
}

pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let usage = || "usage: cybercenter bench-queue [--inquiries N] [--backlog W1,W2,...]".to_string();
    let mut o = Options { inquiries: 1_000_000, backlog: vec![3_000, 30_000, 100_000] };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--inquiries" => o.inquiries = it.next().and_then(|v| v.parse().ok()).ok_or_else(usage)?,
            "--backlog" => {
                o.backlog = it
                    .next()
                    .ok_or_else(usage)?
                    .split(',')
                    .map(|w| w.trim().parse::<usize>().map_err(|_| usage()))
                    .collect::<Result<_, _>>()?;
                if o.backlog.windows(2).any(|w| w[0] >= w[1]) {
                    return Err("--backlog stages must grow: 3000,30000,100000".into());
                }
            }
            _ => return Err(usage()),
        }
    }
    Ok(o)
}

async fn scalar(db: &app::store::Db, sql: &str) -> Result<i64, String> {
    sqlx::query_scalar(sql).fetch_one(db).await.map_err(|e| e.to_string())
}

pub async fn run(args: &[String]) -> Result<(), String> {
    let o = parse_args(args)?;
    let now = app::store::now_ms();
    let (dir, db) = super::bulk_database(o.inquiries, 0.0, now).await?;
    let agent = scalar(&db, "SELECT id FROM users WHERE email_key = 'agent1@example.com'").await?;
    let admin = scalar(&db, "SELECT id FROM users WHERE email_key = 'admin@example.com'").await?;
    let waiting_sql = "SELECT COUNT(*) FROM inquiries WHERE status IN ('new', 'open') AND assigned_agent_id IS NULL";
    println!("                                p50 ms   p99 ms   p50 / SELECT 1");
    for stage in &o.backlog {
        let waiting = scalar(&db, waiting_sql).await? as usize;
        if *stage > waiting {
            app::demo::add_bulk_inquiries(&db, stage - waiting, 1.0, now).await.map_err(|e| e.to_string())?;
        }
        let total = scalar(&db, "SELECT COUNT(*) FROM inquiries").await?;
        let waiting = scalar(&db, waiting_sql).await?;
        let agent_waiting = scalar(
            &db,
            &format!(
                "SELECT COUNT(*) FROM inquiries WHERE status IN ('new', 'open') AND assigned_agent_id IS NULL
                 AND group_id IN (SELECT group_id FROM agent_memberships WHERE agent_user_id = {agent})"
            ),
        )
        .await?;
        println!("\n{waiting} waiting ({agent_waiting} in agent1's groups), {total} inquiries");
        let runs = 50;
        let base = time_ms(runs, || async { sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&db).await.map_err(|e| e.to_string()) }).await?;
        let all = QueueFilter::default();
        let vip = QueueFilter { grade: Some(app::model::Grade::Vip), overdue: true, ..QueueFilter::default() };
        let as_agent = Actor { user_id: agent, is_admin: false };
        let as_admin = Actor { user_id: admin, is_admin: true };
        let agent_q = time_ms(runs, || async { queue(&db, as_agent, &all, Locale::Ko, now).await.map_err(|e| e.to_string()) }).await?;
        let admin_q = time_ms(runs, || async { queue(&db, as_admin, &all, Locale::Ko, now).await.map_err(|e| e.to_string()) }).await?;
        let vip_q = time_ms(runs, || async { queue(&db, as_agent, &vip, Locale::Ko, now).await.map_err(|e| e.to_string()) }).await?;
        let take = time_ms(20, || async { take_next(&db, as_agent, now).await.map_err(|e| e.to_string()) }).await?;
        let http = over_http(dir.path()).await?;
        let rows = [
            ("SELECT 1", base),
            ("queue query (agent1)", agent_q),
            ("queue query (admin, all)", admin_q),
            ("queue query (VIP, overdue)", vip_q),
            ("take next", take),
            ("HTTP /healthz", http.healthz),
            ("HTTP /agent (queue page)", http.page),
            ("HTTP agent_queue (refresh)", http.refresh),
        ];
        for (name, (p50, p99)) in rows {
            println!("{name:<28} {p50:8.2} {p99:8.2} {:>12.1}x", p50 / base.0.max(1e-6));
        }
        println!("queue page {} KB of HTML", http.page_bytes / 1024);
    }
    Ok(())
}

struct Http {
    healthz: (f64, f64),
    page: (f64, f64),
    refresh: (f64, f64),
    page_bytes: usize,
}

/// A server on the bench's database, agent1 signed in, each request on its own connection.
/// The server opens the bench's database file while the bench keeps its own connections open
/// (WAL: readers coexist).
async fn over_http(dir: &std::path::Path) -> Result<Http, String> {
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let (mut server, addr) = super::spawn_server(dir, &url, "error")?;
    let result = async {
        super::wait_until_up(&addr).await?;
        let cookie = super::sign_in(&addr, "agent1@example.com").await?;
        let healthz = time_ms(50, || async { super::http_get(&addr, "/healthz", "").await }).await?;
        let page = time_ms(50, || async { super::http_get(&addr, "/agent", &cookie).await }).await?;
        let refresh = time_ms(50, || async {
            super::http_send(&addr, "POST", "/api/agent_queue", &cookie, "type_code=&grade=&overdue=false&locale=Ko").await
        })
        .await?;
        let page_bytes = super::http_get(&addr, "/agent", &cookie).await?;
        Ok(Http { healthz, page, refresh, page_bytes })
    }
    .await;
    let _ = server.kill();
    let _ = server.wait();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_args(&s(&[])), Ok(Options { inquiries: 1_000_000, backlog: vec![3_000, 30_000, 100_000] }));
        assert_eq!(parse_args(&s(&["--inquiries", "500", "--backlog", "10,20"])), Ok(Options { inquiries: 500, backlog: vec![10, 20] }));
        assert!(parse_args(&s(&["--inquiries", "x"])).is_err());
        assert!(parse_args(&s(&["--backlog", "20,10"])).is_err());
        assert!(parse_args(&s(&["--bogus"])).is_err());
    }
}
