//! `cybercenter bench-pages [--connections N] [--seconds S]`: what a page costs, signed in and
//! not. A release server (child process) on a temporary database with the demo data and the
//! built site; N clients at once for S seconds per target, each request on its own connection.
//! Prints requests per second, p50 and p99, and each target's throughput as a ratio to the
//! cheapest page of the same binary measured in the same run: an unknown path, which renders
//! the shell with "not found". The stylesheet is also timed with one client (the Nagle stall).

use super::percentile;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, PartialEq)]
pub struct Options {
    pub connections: usize,
    pub seconds: u64,
}

pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let usage = || "usage: cybercenter bench-pages [--connections N] [--seconds S]".to_string();
    let mut o = Options { connections: 32, seconds: 5 };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let n: u64 = it.next().and_then(|v| v.parse().ok()).filter(|n| *n > 0).ok_or_else(usage)?;
        match a.as_str() {
            "--connections" => o.connections = n as usize,
            "--seconds" => o.seconds = n,
            _ => return Err(usage()),
        }
    }
    Ok(o)
}

struct Target {
    name: &'static str,
    method: &'static str,
    path: String,
    cookie: String,
    form: &'static str,
    expect: u16,
    clients: usize,
}

struct Figures {
    rps: f64,
    p50: f64,
    p99: f64,
    bytes: usize,
}

async fn load(addr: Arc<str>, t: &Target, seconds: u64) -> Result<Figures, String> {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..t.clients {
        let (addr, method, path, cookie, form, expect) = (addr.clone(), t.method, t.path.clone(), t.cookie.clone(), t.form, t.expect);
        tasks.push(tokio::spawn(async move {
            let mut ms = Vec::new();
            let mut bytes = 0;
            while Instant::now() < deadline {
                let at = Instant::now();
                let answer = super::http(None, &addr, method, &path, &cookie, form).await?;
                if answer.status != expect {
                    return Err(format!("{method} {path}: {}, expected {expect}", answer.status));
                }
                ms.push(at.elapsed().as_secs_f64() * 1000.0);
                bytes = answer.body.len();
            }
            Ok::<_, String>((ms, bytes))
        }));
    }
    let mut all = Vec::new();
    let mut bytes = 0;
    for task in tasks {
        let (ms, b) = task.await.map_err(|e| e.to_string())??;
        all.extend(ms);
        bytes = b;
    }
    let took = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    Ok(Figures { rps: all.len() as f64 / took, p50: percentile(&all, 0.5), p99: percentile(&all, 0.99), bytes })
}


pub async fn run(args: &[String]) -> Result<(), String> {
    let o = parse_args(args)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let site = std::path::Path::new("target/site").canonicalize().map_err(|_| "no target/site: run make build first".to_string())?;
    std::os::unix::fs::symlink(&site, dir.path().join("site")).map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = app::db::connect_and_migrate(&url).await.map_err(|e| e.to_string())?;
    app::db::demo::load_if_empty(&db).await.map_err(|e| e.to_string())?;
    add_submitters(&db, submitters(o.seconds)).await?;
    let type_code: String = sqlx::query_scalar("SELECT code FROM inquiry_types ORDER BY sort_order, id LIMIT 1")
        .fetch_one(&db)
        .await
        .map_err(|e| e.to_string())?;
    db.close().await;
    let (mut server, addr) = super::spawn_server(dir.path(), &url, "error")?;
    let result = drive(&o, &addr, &type_code).await;
    let _ = server.kill();
    let _ = server.wait();
    result
}

async fn drive(o: &Options, addr: &str, type_code: &str) -> Result<(), String> {
    super::wait_until_up(addr).await?;
    let customer = super::sign_in(addr, "customer1@example.com").await?;
    let agent = super::sign_in(addr, "agent1@example.com").await?;
    let admin = super::sign_in(addr, "admin@example.com").await?;
    let css = {
        let page = super::http(None, addr, "GET", "/", "", "").await?.body;
        let start = page.find("href=\"/pkg/").ok_or("no stylesheet link on the home page")? + 6;
        page[start..].split('"').next().unwrap_or_default().to_string()
    };
    let c = o.connections;
    let t = |name, path: &str, cookie: &str, expect, clients| Target {
        name,
        method: "GET",
        path: path.to_string(),
        cookie: cookie.to_string(),
        form: "",
        expect,
        clients,
    };
    let targets = vec![
        t("shell (unknown path, 404)", "/no-such-page", "", 404, c),
        t("/healthz", "/healthz", "", 200, c),
        t("public home", "/", "", 200, c),
        t("My page (customer1)", "/my", &customer, 200, c),
        t("inquiries list (customer1)", "/my/inquiries", &customer, 200, c),
        t("agent queue (agent1)", "/agent", &agent, 200, c),
        t("admin analytics", "/admin/analytics", &admin, 200, c),
        Target { name: "queue refresh (agent1)", method: "POST", path: "/api/agent_queue".into(), cookie: agent.clone(), form: "type_code=&grade=&overdue=false&locale=Ko", expect: 200, clients: c },
        t("stylesheet, one client", &css, "", 200, 1),
    ];
    let mut submitter_cookies = Vec::new();
    for i in 0..submitters(o.seconds) {
        submitter_cookies.push(super::sign_in(addr, &format!("bench{i}@example.com")).await?);
    }
    let addr: Arc<str> = Arc::from(addr);
    println!("{c} clients, {} s per target, each request on its own connection", o.seconds);
    println!("{:<28} {:>9} {:>8} {:>8} {:>8} {:>9}", "target", "req/s", "p50 ms", "p99 ms", "KB", "vs shell");
    let mut shell = None;
    let row = |name: &str, f: &Figures, base: f64| {
        println!("{:<28} {:>9.0} {:>8.2} {:>8.2} {:>8.1} {:>9.2}", name, f.rps, f.p50, f.p99, f.bytes as f64 / 1024.0, f.rps / base)
    };
    for target in &targets {
        let f = load(addr.clone(), target, o.seconds).await?;
        let base = *shell.get_or_insert(f.rps);
        row(target.name, &f, base);
    }
    let cookies = Arc::new(submitter_cookies);
    let f = submissions(addr.clone(), cookies.clone(), Arc::from(type_code), c, o.seconds).await?;
    row(&format!("inquiry submission ({} customers)", cookies.len()), &f, shell.unwrap_or(f.rps));
    Ok(())
}

/// Customers made for the submission target: enough that none reaches the hourly inquiry quota
/// at 2,000 submissions a second for the run.
fn submitters(seconds: u64) -> usize {
    let per_customer = app::domain::quota::INQUIRIES.max as u64;
    (seconds * 2_000 / per_customer + 1).max(50) as usize
}

/// `count` customer accounts `bench<i>@example.com` with the demo password (its hash copied from
/// customer1, so no hashing here).
async fn add_submitters(db: &app::db::Db, count: usize) -> Result<(), String> {
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'customer1@example.com'")
        .fetch_one(db)
        .await
        .map_err(|e| e.to_string())?;
    let now = app::db::now_ms();
    let mut tx = app::db::write_tx(db).await.map_err(|e| e.to_string())?;
    for i in 0..count {
        app::db::users::create_customer(&mut tx, &format!("Bench {i}"), &format!("bench{i}@example.com"), &hash, app::i18n::Locale::Ko, now)
            .await
            .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())
}

/// New inquiries through the form's server function (validation, FAQ matching, routing, the
/// automatic answer, rollups), spread over the submitters; half of them ask a demo FAQ.
async fn submissions(addr: Arc<str>, cookies: Arc<Vec<String>>, type_code: Arc<str>, clients: usize, seconds: u64) -> Result<Figures, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (addr, cookies, type_code, next) = (addr.clone(), cookies.clone(), type_code.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut ms = Vec::new();
            while Instant::now() < deadline {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let (subject, body) = if n % 2 == 0 {
                    ("%EB%B0%B0%EC%86%A1%EC%9D%80+%EC%96%B8%EC%A0%9C+%EC%98%A4%EB%82%98%EC%9A%94", "%EC%A3%BC%EB%AC%B8%ED%95%9C+%EC%83%81%ED%92%88%EC%9D%B4+%EC%96%B8%EC%A0%9C+%EB%8F%84%EC%B0%A9%ED%95%98%EB%82%98%EC%9A%94")
                } else {
                    ("Strange+noise+from+the+blender", "It+makes+a+grinding+sound+after+two+minutes+of+use+number+{n}")
                };
                let form = format!("type_code={type_code}&order_no=&subject={subject}&body={}&idempotency_key=bench-{n}", body.replace("{n}", &n.to_string()));
                let at = Instant::now();
                let answer = super::http(None, &addr, "POST", "/api/create_inquiry", &cookies[n % cookies.len()], &form).await?;
                if !(200..400).contains(&answer.status) {
                    return Err(format!("inquiry submission: HTTP {}: {}", answer.status, answer.body.chars().take(200).collect::<String>()));
                }
                ms.push(at.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, String>(ms)
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.map_err(|e| e.to_string())??);
    }
    let took = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    Ok(Figures { rps: all.len() as f64 / took, p50: percentile(&all, 0.5), p99: percentile(&all, 0.99), bytes: 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_args(&s(&[])), Ok(Options { connections: 32, seconds: 5 }));
        assert_eq!(parse_args(&s(&["--connections", "4", "--seconds", "1"])), Ok(Options { connections: 4, seconds: 1 }));
        assert!(parse_args(&s(&["--connections", "0"])).is_err());
        assert!(parse_args(&s(&["--bogus", "1"])).is_err());
    }
}
