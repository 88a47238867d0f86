//! `cybercenter bench-pages [--connections N] [--seconds S] [--rounds R]`: what a page costs,
//! signed in and not. A release server (child process) on a temporary database with the demo
//! data and the built site; N clients at once for S seconds per target, each request on its own
//! connection, every target once per round. Prints, as the median over the rounds, requests per
//! second, p50 and p99, and each target's throughput as a ratio to the cheapest page of the same
//! binary measured in the same round: an unknown path, which renders the shell with "not found".
//! On this shared 2-core machine one 5 s pass moves by ±15 % from run to run; rounds that
//! alternate the targets and a median of ratios taken round by round keep that drift out of the
//! ratios. The stylesheet is also timed with one client (the Nagle stall).
//!
//! `--servers N` runs N servers on the same database (two need PostgreSQL: `BENCH_DATABASE_URL`)
//! behind a round-robin TCP proxy in this process, each new connection to the next server: one
//! vs two servers behind the same proxy (`bench/scale.sh`).

use super::percentile;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, PartialEq)]
pub struct Options {
    pub connections: usize,
    pub seconds: u64,
    pub rounds: usize,
    /// Only the targets whose name contains one of these (the shell always runs: it is the
    /// baseline); empty: every target. For profiling one page.
    pub only: Vec<String>,
    /// Servers behind the in-process proxy; 0: one server, no proxy.
    pub servers: usize,
}

pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let usage = || "usage: cybercenter bench-pages [--connections N] [--seconds S] [--rounds R] [--only NAME,NAME] [--servers N]".to_string();
    let mut o = Options { connections: 32, seconds: 3, rounds: 3, only: Vec::new(), servers: 0 };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--only" {
            let names = it.next().ok_or_else(usage)?;
            o.only = names.split(',').map(str::trim).filter(|n| !n.is_empty()).map(String::from).collect();
            continue;
        }
        let n: u64 = it.next().and_then(|v| v.parse().ok()).filter(|n| *n > 0).ok_or_else(usage)?;
        match a.as_str() {
            "--connections" => o.connections = n as usize,
            "--seconds" => o.seconds = n,
            "--rounds" => o.rounds = n as usize,
            "--servers" if n <= 8 => o.servers = n as usize,
            _ => return Err(usage()),
        }
    }
    Ok(o)
}

/// One request of a target; `n` counts the target's requests across its clients.
pub(crate) struct Request {
    pub method: &'static str,
    pub path: String,
    pub cookie: String,
    pub form: String,
}

pub(crate) struct Target {
    pub name: String,
    /// The `n`th request.
    pub request: Arc<dyn Fn(usize) -> Request + Send + Sync>,
    /// The statuses that count as answered.
    pub expect: std::ops::RangeInclusive<u16>,
    pub clients: usize,
}

pub(crate) struct Figures {
    pub rps: f64,
    pub p50: f64,
    pub p99: f64,
    pub bytes: usize,
}

/// `t`'s clients, each sending its next request as soon as the last is answered, for `seconds`;
/// an answer outside `t.expect` stops the run with an error.
pub(crate) async fn load(addr: Arc<str>, t: &Target, seconds: u64) -> Result<Figures, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..t.clients {
        let (addr, request, expect, next) = (addr.clone(), t.request.clone(), t.expect.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut ms = Vec::new();
            let mut bytes = 0;
            while Instant::now() < deadline {
                let r = request(next.fetch_add(1, Ordering::Relaxed));
                let at = Instant::now();
                let answer = super::http(None, &addr, r.method, &r.path, &r.cookie, &r.form).await?;
                if !expect.contains(&answer.status) {
                    let body: String = answer.body.chars().take(200).collect();
                    return Err(format!("{} {}: {}, expected {expect:?}: {body}", r.method, r.path, answer.status));
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
    // BENCH_DATABASE_URL: an empty database elsewhere (PostgreSQL: bench/backends.sh)
    let url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let db = app::store::connect_and_migrate(&url).await.map_err(|e| e.to_string())?;
    app::demo::load_if_empty(&db).await.map_err(|e| e.to_string())?;
    add_submitters(&db, submitters(o.seconds)).await?;
    let type_code: String = sqlx::query_scalar("SELECT code FROM inquiry_types ORDER BY sort_order, id LIMIT 1")
        .fetch_one(&db)
        .await
        .map_err(|e| e.to_string())?;
    db.close().await;
    if o.servers > 1 && !url.starts_with("postgres") {
        return Err("several servers share one database: set BENCH_DATABASE_URL to an empty PostgreSQL database".into());
    }
    let mut servers = Vec::new();
    for _ in 0..o.servers.max(1) {
        servers.push(super::spawn_server(dir.path(), &url, "error")?);
    }
    let result = async {
        let mut addr = servers[0].1.clone();
        if o.servers > 0 {
            for (_, backend) in &servers {
                super::wait_until_up(backend).await?;
            }
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
            addr = listener.local_addr().map_err(|e| e.to_string())?.to_string();
            tokio::spawn(round_robin(listener, servers.iter().map(|(_, a)| a.clone()).collect()));
            println!("{} server(s) behind a round-robin proxy at {addr}", o.servers);
        }
        let windows = Windows { server_pid: servers[0].0.id(), on: std::env::var_os("BENCH_PAGES_WINDOWS").is_some() };
        drive(&o, &addr, &type_code, &windows).await
    }
    .await;
    for (server, _) in &mut servers {
        let _ = server.kill();
        let _ = server.wait();
    }
    result
}

/// A round-robin TCP proxy: each accepted connection is joined to the next backend in turn (what
/// haproxy's `balance roundrobin` in TCP mode does), with Nagle off on both sides.
async fn round_robin(listener: tokio::net::TcpListener, backends: Vec<String>) {
    let mut next = 0usize;
    while let Ok((mut inbound, _)) = listener.accept().await {
        let to = backends[next % backends.len()].clone();
        next = next.wrapping_add(1);
        tokio::spawn(async move {
            let _ = inbound.set_nodelay(true);
            if let Ok(mut outbound) = tokio::net::TcpStream::connect(&to).await {
                let _ = outbound.set_nodelay(true);
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            }
        });
    }
}

/// With `BENCH_PAGES_WINDOWS` set, each target's time window goes to stderr as
/// `window <server pid> <start> <end> <target>`, in seconds since boot (`CLOCK_BOOTTIME`, what
/// `/proc/uptime` counts): `bench/profile-page.sh` cuts a `perf record -k boottime` of the whole
/// run into the shell's and the page's windows.
struct Windows {
    server_pid: u32,
    on: bool,
}

impl Windows {
    fn now() -> f64 {
        std::fs::read_to_string("/proc/uptime").ok().and_then(|s| s.split_whitespace().next()?.parse().ok()).unwrap_or(0.0)
    }

    fn report(&self, start: f64, name: &str) {
        if self.on {
            eprintln!("window {} {start:.2} {:.2} {name}", self.server_pid, Self::now());
        }
    }
}

async fn drive(o: &Options, addr: &str, type_code: &str, windows: &Windows) -> Result<(), String> {
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
    let fixed = |name: &str, method: &'static str, path: &str, cookie: &str, form: &'static str, expect: u16, clients| {
        let (path, cookie) = (path.to_string(), cookie.to_string());
        Target {
            name: name.to_string(),
            request: Arc::new(move |_| Request { method, path: path.clone(), cookie: cookie.clone(), form: form.to_string() }),
            expect: expect..=expect,
            clients,
        }
    };
    let t = |name, path: &str, cookie: &str, expect, clients| fixed(name, "GET", path, cookie, "", expect, clients);
    let mut targets = vec![
        t("shell (unknown path, 404)", "/no-such-page", "", 404, c),
        t("/healthz", "/healthz", "", 200, c),
        t("public home", "/", "", 200, c),
        t("My page (customer1)", "/my", &customer, 200, c),
        t("inquiries list (customer1)", "/my/inquiries", &customer, 200, c),
        t("agent queue (agent1)", "/agent", &agent, 200, c),
        t("admin analytics", "/admin/analytics", &admin, 200, c),
        fixed("queue refresh (agent1)", "POST", "/api/agent_queue", &agent, "type_code=&grade=&overdue=false&locale=Ko", 200, c),
        t("stylesheet, one client", &css, "", 200, 1),
    ];
    let wanted = |name: &str| o.only.is_empty() || o.only.iter().any(|w| name.contains(w.as_str()));
    let shell = targets.remove(0);
    targets.retain(|t| wanted(&t.name));
    targets.insert(0, shell);
    // signing the submitters in hashes a password each (seconds in all): only when that target runs
    let submit = wanted("inquiry submission");
    let mut submitter_cookies = Vec::new();
    for i in 0..if submit { submitters(o.seconds) } else { 0 } {
        submitter_cookies.push(super::sign_in(addr, &format!("bench{i}@example.com")).await?);
    }
    // writes run once, after the rounds: every round of the pages must see the same data (the
    // submissions would fill agent1's queue with thousands of waiting inquiries)
    let submission = submissions(submitter_cookies, type_code, c);
    let addr: Arc<str> = Arc::from(addr);
    println!(
        "{c} clients, {} s per target, each request on its own connection; median of {} rounds (ratios: each round against its own shell)",
        o.seconds, o.rounds
    );
    // rounds[r][t]: target t in round r; the shell is the first target of every round
    let mut rounds: Vec<Vec<Figures>> = Vec::with_capacity(o.rounds);
    for _ in 0..o.rounds {
        let mut round = Vec::with_capacity(targets.len());
        for target in &targets {
            let start = Windows::now();
            round.push(load(addr.clone(), target, o.seconds).await?);
            windows.report(start, &target.name);
        }
        rounds.push(round);
    }
    println!("{:<36} {:>9} {:>8} {:>8} {:>8} {:>9} {:>11}", "target", "req/s", "p50 ms", "p99 ms", "KB", "vs shell", "ratio range");
    for (t, target) in targets.iter().enumerate() {
        let of = |f: fn(&Figures) -> f64| median(rounds.iter().map(|r| f(&r[t])).collect());
        let ratios: Vec<f64> = rounds.iter().map(|r| r[t].rps / r[0].rps).collect();
        let (low, high) = ratios.iter().fold((f64::MAX, f64::MIN), |(l, h), x| (l.min(*x), h.max(*x)));
        println!(
            "{:<36} {:>9.0} {:>8.2} {:>8.2} {:>8.1} {:>9.2} {:>5.2}–{:<5.2}",
            target.name,
            of(|f| f.rps),
            of(|f| f.p50),
            of(|f| f.p99),
            rounds[0][t].bytes as f64 / 1024.0,
            median(ratios),
            low,
            high
        );
    }
    if !submit {
        return Ok(());
    }
    let shell = median(rounds.iter().map(|r| r[0].rps).collect());
    let f = load(addr.clone(), &submission, o.seconds).await?;
    println!(
        "{:<36} {:>9.0} {:>8.2} {:>8.2} {:>8} {:>9.2} {:>11}",
        submission.name,
        f.rps,
        f.p50,
        f.p99,
        "",
        f.rps / shell,
        "(one run)"
    );
    Ok(())
}

/// The middle value of the rounds' figures.
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    percentile(&v, 0.5)
}

/// Customers made for the submission target: enough that none reaches the hourly inquiry quota
/// at 2,000 submissions a second for the run.
fn submitters(seconds: u64) -> usize {
    let per_customer = app::domain::quota::INQUIRIES.max as u64;
    (seconds * 2_000 / per_customer + 1).max(50) as usize
}

/// `count` customer accounts `bench<i>@example.com` with the demo password (its hash copied from
/// customer1, so no hashing here).
pub(crate) async fn add_submitters(db: &app::store::Db, count: usize) -> Result<(), String> {
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'customer1@example.com'")
        .fetch_one(db)
        .await
        .map_err(|e| e.to_string())?;
    let now = app::store::now_ms();
    let mut tx = app::store::write_tx(db).await.map_err(|e| e.to_string())?;
    for i in 0..count {
        app::store::users::create_customer(&mut tx, &format!("Bench {i}"), &format!("bench{i}@example.com"), &hash, app::i18n::Locale::Ko, now)
            .await
            .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())
}

/// New inquiries through the form's server function (validation, FAQ matching, routing, the
/// automatic answer, rollups), spread over the submitters; half of them ask a demo FAQ.
fn submissions(cookies: Vec<String>, type_code: &str, clients: usize) -> Target {
    let type_code = type_code.to_string();
    let name = format!("inquiry submission ({} customers)", cookies.len());
    Target {
        name,
        request: Arc::new(move |n| {
            let (subject, body) = if n % 2 == 0 {
                ("%EB%B0%B0%EC%86%A1%EC%9D%80+%EC%96%B8%EC%A0%9C+%EC%98%A4%EB%82%98%EC%9A%94", "%EC%A3%BC%EB%AC%B8%ED%95%9C+%EC%83%81%ED%92%88%EC%9D%B4+%EC%96%B8%EC%A0%9C+%EB%8F%84%EC%B0%A9%ED%95%98%EB%82%98%EC%9A%94".to_string())
            } else {
                ("Strange+noise+from+the+blender", format!("It+makes+a+grinding+sound+after+two+minutes+of+use+number+{n}"))
            };
            Request {
                method: "POST",
                path: "/api/create_inquiry".into(),
                cookie: cookies[n % cookies.len()].clone(),
                form: format!("type_code={type_code}&order_no=&subject={subject}&body={body}&idempotency_key=bench-{n}"),
            }
        }),
        expect: 200..=399,
        clients,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_args(&s(&[])), Ok(Options { connections: 32, seconds: 3, rounds: 3, only: vec![], servers: 0 }));
        assert_eq!(
            parse_args(&s(&["--connections", "4", "--seconds", "1", "--rounds", "5", "--servers", "2"])),
            Ok(Options { connections: 4, seconds: 1, rounds: 5, only: vec![], servers: 2 })
        );
        assert!(parse_args(&s(&["--servers", "9"])).is_err());
        assert_eq!(parse_args(&s(&["--only", "My page, agent"])).map(|o| o.only), Ok(vec!["My page".to_string(), "agent".to_string()]));
        assert!(parse_args(&s(&["--only"])).is_err());
        assert!(parse_args(&s(&["--rounds", "0"])).is_err());
        assert!(parse_args(&s(&["--connections", "0"])).is_err());
        assert!(parse_args(&s(&["--bogus", "1"])).is_err());
    }
}
