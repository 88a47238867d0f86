//! `cybercenter bench-hostile [--requests 500] [--parallel 250] [--idle 2000]`: one
//! unauthenticated client doing its worst against a release server on loopback (DESIGN 7,
//! "hostile load"). The server runs from this same binary in a child process on a temporary
//! SQLite file with the demo data. Phases, one after another:
//!
//! 1. registrations: N sign-ups with an email that exists, P at a time, spread over 250 source
//!    addresses (127.0.0.2 …) so the per-address limit does not hide the hashing;
//! 2. logins: N wrong passwords for N different emails (known and unknown), the same way;
//! 3. slow headers: I connections that send half a request and then nothing.
//!
//! For each it prints the answers by status, the server's peak RSS (sampled every 10 ms; target
//! ≤ 200 MiB), and `/healthz` latency p50/p99 measured while the phase runs, with its ratio to
//! the idle `/healthz` measured first in the same run. The slow-header phase also prints how long
//! the server took to drop the connections (its header timeout).

use super::{http_request, percentile, rss_mib};
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub requests: usize,
    pub parallel: usize,
    pub idle: usize,
}

pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options { requests: 500, parallel: 250, idle: 2_000 };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let n: usize = value.parse().ok().filter(|&n| n > 0).ok_or(format!("{flag} must be a positive whole number, got {value:?}"))?;
        match flag.as_str() {
            "--requests" => o.requests = n,
            "--parallel" => o.parallel = n,
            "--idle" => o.idle = n,
            _ => return Err(format!("unknown argument {flag:?}; usage: cybercenter bench-hostile [--requests N] [--parallel N] [--idle N]")),
        }
    }
    Ok(o)
}

/// Source addresses the attack is spread over.
const SOURCES: u32 = 250;

fn source(i: usize) -> IpAddr {
    IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 2 + (i as u32 % SOURCES) as u8))
}

pub async fn run(args: &[String]) -> Result<(), String> {
    let o = parse_args(args)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = app::store::connect_and_migrate(&url).await.map_err(|e| e.to_string())?;
    app::demo::load_if_empty(&db).await.map_err(|e| e.to_string())?;
    db.close().await;

    let (mut server, addr) = super::spawn_server(dir.path(), &url, "error")?;
    let result = drive(&o, &addr, server.id()).await;
    let _ = server.kill();
    let _ = server.wait();
    result
}

/// The server's peak RSS while sampling runs.
struct PeakRss {
    peak_kib: Arc<AtomicU64>,
    running: Arc<AtomicBool>,
}

impl PeakRss {
    fn start(pid: u32) -> PeakRss {
        let peak_kib = Arc::new(AtomicU64::new(0));
        let running = Arc::new(AtomicBool::new(true));
        let (p, r) = (peak_kib.clone(), running.clone());
        tokio::spawn(async move {
            while r.load(Ordering::Relaxed) {
                p.fetch_max((rss_mib(pid) * 1024.0) as u64, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        });
        PeakRss { peak_kib, running }
    }

    fn stop(self) -> f64 {
        self.running.store(false, Ordering::Relaxed);
        self.peak_kib.load(Ordering::Relaxed) as f64 / 1024.0
    }
}

/// `/healthz` round trips, one after another, until `stop` is set (or `count` of them).
async fn probe_healthz(addr: String, stop: Arc<AtomicBool>, count: Option<usize>) -> Vec<f64> {
    let mut ms = Vec::new();
    while !stop.load(Ordering::Relaxed) && count.is_none_or(|n| ms.len() < n) {
        let started = Instant::now();
        match http_request(None, &addr, "GET", "/healthz", "").await {
            Ok((200, _, _)) => ms.push(started.elapsed().as_secs_f64() * 1000.0),
            _ => ms.push(f64::INFINITY),
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    ms.sort_by(f64::total_cmp);
    ms
}

struct PhaseResult {
    statuses: BTreeMap<String, usize>,
    peak_mib: f64,
    healthz: Vec<f64>,
    took: Duration,
}

/// Sends `n` form posts built by `request(i)`, `parallel` at a time, from spread source
/// addresses, while `/healthz` is probed and the server's RSS sampled.
async fn phase(addr: &str, pid: u32, n: usize, parallel: usize, request: impl Fn(usize) -> (&'static str, String)) -> PhaseResult {
    let peak = PeakRss::start(pid);
    let stop = Arc::new(AtomicBool::new(false));
    let prober = tokio::spawn(probe_healthz(addr.to_string(), stop.clone(), None));
    let gate = Arc::new(tokio::sync::Semaphore::new(parallel));
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let (path, form) = request(i);
        let (addr, gate) = (addr.to_string(), gate.clone());
        set.spawn(async move {
            let _turn = gate.acquire_owned().await;
            match http_request(Some(source(i)), &addr, "POST", path, &form).await {
                Ok((status, _, Some(_))) => format!("{status} (with Retry-After)"),
                Ok((status, _, None)) => status.to_string(),
                Err(e) => format!("error: {e}"),
            }
        });
    }
    let mut statuses = BTreeMap::new();
    while let Some(done) = set.join_next().await {
        *statuses.entry(done.unwrap_or_else(|e| format!("task: {e}"))).or_insert(0) += 1;
    }
    let took = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let healthz = prober.await.unwrap_or_default();
    PhaseResult { statuses, peak_mib: peak.stop(), healthz, took }
}

fn report(name: &str, r: &PhaseResult, idle_p50: f64, idle_p99: f64) {
    let (p50, p99) = (percentile(&r.healthz, 0.5), percentile(&r.healthz, 0.99));
    println!("{name}: {:.1} s", r.took.as_secs_f64());
    for (status, count) in &r.statuses {
        println!("  {count:>6} × {status}");
    }
    println!("  server peak RSS {:.0} MiB (target ≤ 200)", r.peak_mib);
    println!(
        "  /healthz during it: {} probes, p50 {p50:.2} ms ({:.1}× idle), p99 {p99:.2} ms ({:.1}× idle)",
        r.healthz.len(),
        p50 / idle_p50.max(1e-6),
        p99 / idle_p99.max(1e-6)
    );
}

async fn drive(o: &Options, addr: &str, pid: u32) -> Result<(), String> {
    super::wait_until_up(addr).await?;
    let idle_rss = rss_mib(pid);
    let idle = probe_healthz(addr.to_string(), Arc::new(AtomicBool::new(false)), Some(200)).await;
    let (idle_p50, idle_p99) = (percentile(&idle, 0.5), percentile(&idle, 0.99));
    println!("server idle: RSS {idle_rss:.0} MiB; /healthz p50 {idle_p50:.2} ms, p99 {idle_p99:.2} ms (baseline, same run)");
    println!("{} requests per phase, {} at a time, from {SOURCES} source addresses", o.requests, o.parallel);

    let r = phase(addr, pid, o.requests, o.parallel, |_| {
        ("/api/register", "name=Mallory&email=customer1%40example.com&password=a+long+password&password_confirm=a+long+password".to_string())
    })
    .await;
    report("registrations with a taken email", &r, idle_p50, idle_p99);

    let r = phase(addr, pid, o.requests, o.parallel, |i| {
        // every fifth a real account, the rest unknown: both cost one hash
        let email = if i % 5 == 0 { format!("customer{}%40example.com", 1 + i % 20) } else { format!("nobody{i}%40example.com") };
        ("/api/login", format!("email={email}&password=not+the+password&next="))
    })
    .await;
    report("logins with wrong passwords", &r, idle_p50, idle_p99);

    slow_headers(o, addr, pid, idle_p50, idle_p99).await
}

/// Opens `o.idle` connections that send half a request, then waits for the server to drop them.
async fn slow_headers(o: &Options, addr: &str, pid: u32, idle_p50: f64, idle_p99: f64) -> Result<(), String> {
    let peak = PeakRss::start(pid);
    let stop = Arc::new(AtomicBool::new(false));
    let prober = tokio::spawn(probe_healthz(addr.to_string(), stop.clone(), None));
    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..o.idle {
        let addr = addr.to_string();
        set.spawn(async move {
            let target: std::net::SocketAddr = addr.parse().map_err(|e| format!("{e}"))?;
            let socket = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
            socket.bind(std::net::SocketAddr::new(source(i), 0)).map_err(|e| e.to_string())?;
            let mut s = socket.connect(target).await.map_err(|e| e.to_string())?;
            s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: sl").await.map_err(|e| e.to_string())?;
            let mut buf = [0u8; 1024];
            // the server should close it; give up after a minute
            match tokio::time::timeout(Duration::from_secs(60), s.read(&mut buf)).await {
                Ok(_) => Ok::<Duration, String>(started.elapsed()),
                Err(_) => Err("still open after 60 s".to_string()),
            }
        });
    }
    let mut closed_after = Vec::new();
    let mut failures = BTreeMap::new();
    while let Some(done) = set.join_next().await {
        match done.map_err(|e| e.to_string()).and_then(|r| r) {
            Ok(t) => closed_after.push(t.as_secs_f64()),
            Err(e) => *failures.entry(e).or_insert(0usize) += 1,
        }
    }
    stop.store(true, Ordering::Relaxed);
    let healthz = prober.await.unwrap_or_default();
    closed_after.sort_by(f64::total_cmp);
    println!("connections sending half a request: {}", o.idle);
    println!(
        "  closed by the server: {} (first after {:.1} s, all after {:.1} s)",
        closed_after.len(),
        closed_after.first().copied().unwrap_or(0.0),
        closed_after.last().copied().unwrap_or(0.0)
    );
    let r = PhaseResult { statuses: failures, peak_mib: peak.stop(), healthz, took: started.elapsed() };
    report("  the server meanwhile", &r, idle_p50, idle_p99);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_args(&s(&[])), Ok(Options { requests: 500, parallel: 250, idle: 2_000 }));
        assert_eq!(parse_args(&s(&["--requests", "60", "--idle", "10"])).map(|o| (o.requests, o.idle)), Ok((60, 10)));
        assert!(parse_args(&s(&["--requests", "0"])).is_err());
        assert!(parse_args(&s(&["--bogus", "1"])).is_err());
    }

    #[test]
    fn sources_stay_on_loopback_and_spread() {
        assert_eq!(source(0).to_string(), "127.0.0.2");
        assert_eq!(source(249).to_string(), "127.0.0.251");
        assert_eq!(source(250), source(0));
    }
}
