//! `cybercenter bench-chaos [--connections 2000] [--rate 500] [--seconds 60]`: two servers on one
//! PostgreSQL under chat load while things break (issue 19). Run beside a throwaway PostgreSQL
//! (`bench/chaos.sh`: `CYBERCENTER_TEST_PG` is its admin URL, `CYBERCENTER_TEST_PG_RESTART` the
//! command that restarts it).
//!
//! It makes a database, loads the demo, adds 100 agents and one customer with one active chat per
//! two connections, starts this binary twice as servers A and B, and opens every connection: in each
//! chat the customer on one server and the agent on the other, so every message crosses servers.
//! Then it sends `rate` messages a second over all chats and both sides. A quarter into the run
//! server A is killed (SIGKILL) and started again a second later; at 60% PostgreSQL is restarted.
//!
//! Each connection behaves like the browser's chat room: a message written while it is offline
//! waits, an unacknowledged one is sent again with the same client id (the server stores it once),
//! a dropped connection reconnects with backoff and `after` = the last sequence number up to which
//! it saw every message (messages can arrive out of order across servers), to
//! its own server first and, when that does not answer, to the other one (what a proxy with
//! health checks does).
//!
//! It prints sent, acknowledged, stored, delivered to the other side, lost (acknowledged but not
//! stored or never delivered: must be 0), never acknowledged, duplicates (delivered more than once,
//! stored more than once), the fan-out latency before the first event, and per event how long
//! until live updates were back: from the event to the first moment after which every message
//! reached the other side within a second.

use app::chat::protocol::{Author, ServerFrame};
use futures_util::{SinkExt, StreamExt};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use super::chat_accounts::{sign_in_all, ChatPlan};
use super::percentile;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub connections: usize,
    pub rate: usize,
    pub seconds: u64,
}

const USAGE: &str = "usage: cybercenter bench-chaos [--connections N] [--rate MSGS_PER_S] [--seconds S] (beside scripts/with-postgres.sh: bench/chaos.sh)";

pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options { connections: 2_000, rate: 500, seconds: 60 };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value; {USAGE}"))?;
        let n: u64 = value.parse().ok().filter(|&n| n > 0).ok_or(format!("{flag} must be a positive whole number, got {value:?}"))?;
        match flag.as_str() {
            "--connections" if n >= 4 && n % 2 == 0 => o.connections = n as usize,
            "--connections" => return Err("--connections must be even and at least 4 (a customer and an agent per chat)".into()),
            "--rate" => o.rate = n as usize,
            "--seconds" if n >= 10 => o.seconds = n,
            "--seconds" => return Err("--seconds must be at least 10 (a kill, a restart and a recovery fit in it)".into()),
            _ => return Err(format!("unknown argument {flag:?}; {USAGE}")),
        }
    }
    Ok(o)
}

/// A message not delivered within this long counts as "live updates not yet back".
const LIVE_US: u64 = 1_000_000;
/// Unacknowledged messages are sent again after this long (same client id).
const RESEND_AFTER: Duration = Duration::from_secs(2);

/// What every connection adds to, indexed by message number (client id `x<n>`).
struct Tally {
    start: Instant,
    sent_us: Vec<AtomicU64>,
    acked: Vec<AtomicBool>,
    /// Deliveries to the other side under a new sequence number (more than one: stored twice).
    delivered: Vec<AtomicU32>,
    /// The first delivery, microseconds since `start` plus one (0: none yet).
    delivered_us: Vec<AtomicU64>,
    refused: AtomicU64,
    /// Message frames with a sequence number the connection had already seen.
    replayed: AtomicU64,
    reconnects: AtomicU64,
    connected: [AtomicI64; 2],
}

impl Tally {
    fn new(total: usize) -> Tally {
        let zeros = |_| AtomicU64::new(0);
        Tally {
            start: Instant::now(),
            sent_us: (0..total).map(zeros).collect(),
            acked: (0..total).map(|_| AtomicBool::new(false)).collect(),
            delivered: (0..total).map(|_| AtomicU32::new(0)).collect(),
            delivered_us: (0..total).map(zeros).collect(),
            refused: AtomicU64::new(0),
            replayed: AtomicU64::new(0),
            reconnects: AtomicU64::new(0),
            connected: [AtomicI64::new(0), AtomicI64::new(0)],
        }
    }

    fn now_us(&self) -> u64 {
        self.start.elapsed().as_micros() as u64
    }

    fn count(&self, f: impl Fn(usize) -> bool) -> usize {
        (0..self.sent_us.len()).filter(|&n| f(n)).count()
    }
}

/// The message number in a client id `x<n>`.
fn number(client_id: &str, total: usize) -> Option<usize> {
    client_id.strip_prefix('x')?.parse::<usize>().ok().filter(|&n| n < total)
}

/// One participant's connection to one chat.
struct Spec {
    chat: i64,
    me: Author,
    home: usize,
    cookie: String,
}

async fn connect(addr: &str, spec: &Spec, after: i64) -> Result<tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>, String> {
    let mut req = format!("ws://{addr}/ws/chats/{}?after={after}", spec.chat).into_client_request().map_err(|e| e.to_string())?;
    req.headers_mut().insert("cookie", spec.cookie.parse().map_err(|_| "bad cookie")?);
    req.headers_mut().insert("origin", format!("http://{addr}").parse().map_err(|_| "bad origin")?);
    let connecting = tokio_tungstenite::connect_async(req);
    match tokio::time::timeout(Duration::from_secs(5), connecting).await {
        Ok(Ok((ws, _))) => Ok(ws),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("timed out".into()),
    }
}

/// A connection that keeps itself alive like the browser's chat room until `stop`.
async fn participant(spec: Spec, addrs: Arc<[String; 2]>, tally: Arc<Tally>, mut orders: mpsc::UnboundedReceiver<usize>, mut stop: watch::Receiver<bool>, opened: mpsc::UnboundedSender<()>) {
    let total = tally.sent_us.len();
    let mut seen = app::chat::resume::Seen::default();
    // unacknowledged messages and when each was last written to a socket
    let mut pending: BTreeMap<usize, Option<Instant>> = BTreeMap::new();
    let mut server = spec.home;
    let mut backoff = Duration::from_millis(100);
    let mut first = true;
    let frame = |n: usize| Message::Text(format!(r#"{{"t":"send","client_id":"x{n}","body":"m{n}"}}"#).into());
    while !*stop.borrow() {
        let ws = match connect(&addrs[server], &spec, seen.resume_after()).await {
            Ok(ws) => ws,
            Err(_) => {
                // the other server, after a pause (a proxy's health check would do the same)
                server = 1 - server;
                let jitter = Duration::from_millis(u64::from(spec.chat.unsigned_abs() as u32 % 100));
                tokio::select! {
                    _ = tokio::time::sleep(backoff + jitter) => {}
                    _ = stop.changed() => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(2));
                while let Ok(n) = orders.try_recv() {
                    pending.insert(n, None);
                }
                continue;
            }
        };
        backoff = Duration::from_millis(100);
        if first {
            first = false;
            let _ = opened.send(());
        } else {
            tally.reconnects.fetch_add(1, Ordering::Relaxed);
        }
        tally.connected[server].fetch_add(1, Ordering::Relaxed);
        let (mut sink, mut stream) = ws.split();
        let mut resend = tokio::time::interval(Duration::from_millis(500));
        loop {
            tokio::select! {
                _ = stop.changed() => break,
                order = orders.recv() => {
                    let Some(n) = order else {
                        let _ = stop.changed().await;
                        break;
                    };
                    pending.insert(n, Some(Instant::now()));
                    if sink.send(frame(n)).await.is_err() {
                        break;
                    }
                }
                _ = resend.tick() => {
                    let due: Vec<usize> = pending.iter().filter(|(_, at)| at.is_none_or(|at| at.elapsed() >= RESEND_AFTER)).map(|(&n, _)| n).collect();
                    let mut broken = false;
                    for n in due {
                        pending.insert(n, Some(Instant::now()));
                        if sink.send(frame(n)).await.is_err() {
                            broken = true;
                            break;
                        }
                    }
                    if broken {
                        break;
                    }
                }
                incoming = stream.next() => {
                    let Some(Ok(msg)) = incoming else { break };
                    let Message::Text(text) = msg else { continue };
                    match serde_json::from_str::<ServerFrame>(text.as_str()) {
                        // a sequence number already seen is a replay the browser ignores
                        Ok(ServerFrame::Message(m)) if !seen.insert(m.seq) => {
                            tally.replayed.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(ServerFrame::Message(m)) => {
                            if m.author != spec.me {
                                if let Some(n) = m.client_id.as_deref().and_then(|c| number(c, total)) {
                                    tally.delivered[n].fetch_add(1, Ordering::Relaxed);
                                    let _ = tally.delivered_us[n].compare_exchange(0, tally.now_us() + 1, Ordering::Relaxed, Ordering::Relaxed);
                                }
                            }
                        }
                        Ok(ServerFrame::Ack { client_id, .. }) => {
                            if let Some(n) = number(&client_id, total) {
                                tally.acked[n].store(true, Ordering::Relaxed);
                                pending.remove(&n);
                            }
                        }
                        Ok(ServerFrame::Error { code, client_id }) => {
                            use app::chat::protocol::ErrorCode;
                            // "unavailable" and "rate limited" are sent again; anything else is final
                            if !matches!(code, ErrorCode::Unavailable | ErrorCode::RateLimited) {
                                if let Some(n) = client_id.as_deref().and_then(|c| number(c, total)) {
                                    pending.remove(&n);
                                    tally.refused.fetch_add(1, Ordering::Relaxed);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        tally.connected[server].fetch_sub(1, Ordering::Relaxed);
        // the next try goes to its own server first, as a round-robin proxy spreads reconnects
        server = spec.home;
        // everything unacknowledged goes again on the next connection
        for at in pending.values_mut() {
            *at = None;
        }
    }
}

/// One of the two servers (`name` A or B): at a fixed address (a restart reuses it), with a
/// files folder of its own and its log in `dir`.
fn start_server(dir: &std::path::Path, url: &str, addr: &str, name: &str) -> Result<std::process::Child, String> {
    let log = std::fs::OpenOptions::new().create(true).append(true).open(dir.join(format!("server-{name}.log"))).map_err(|e| e.to_string())?;
    super::server_command(dir, url, addr, "warn")?
        .env("CYBERCENTER_FILES_DIR", dir.join(format!("files-{name}")))
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start server {name}: {e}"))
}

pub async fn run(args: &[String]) -> Result<(), String> {
    let o = parse_args(args)?;
    // the store logs what an internal error was
    let _ = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new("error")).with_writer(std::io::stderr).try_init();
    let admin_url = std::env::var("CYBERCENTER_TEST_PG").map_err(|_| format!("CYBERCENTER_TEST_PG is not set; {USAGE}"))?;
    let restart = std::env::var("CYBERCENTER_TEST_PG_RESTART").map_err(|_| format!("CYBERCENTER_TEST_PG_RESTART is not set; {USAGE}"))?;
    let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).ok_or("CYBERCENTER_TEST_PG is not a URL")?;
    sqlx::any::install_default_drivers();
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await.map_err(|e| e.to_string())?;
    sqlx::query("DROP DATABASE IF EXISTS chaos WITH (FORCE)").execute(&mut admin).await.map_err(|e| e.to_string())?;
    sqlx::query("CREATE DATABASE chaos").execute(&mut admin).await.map_err(|e| e.to_string())?;
    let url = format!("{base}/chaos");
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let plan = {
        let db = app::store::connect_and_migrate(&url).await.map_err(|e| e.to_string())?;
        app::demo::load_if_empty(&db).await.map_err(|e| e.to_string())?;
        let plan = super::chat_accounts::prepare(&db, o.connections / 2, "chaos").await?;
        db.close().await;
        plan
    };
    let addrs = Arc::new([super::free_addr()?, super::free_addr()?]);
    let mut servers = [start_server(dir.path(), &url, &addrs[0], "A")?, start_server(dir.path(), &url, &addrs[1], "B")?];
    let result = drive(&o, &addrs, &mut servers, &plan, &url, &restart, dir.path()).await;
    for s in &mut servers {
        let _ = s.kill();
        let _ = s.wait();
    }
    let _ = sqlx::query("DROP DATABASE IF EXISTS chaos WITH (FORCE)").execute(&mut admin).await;
    result
}

/// An event of the run and when it happened (microseconds since the tally's start).
struct Event {
    what: &'static str,
    at_us: u64,
}

#[allow(clippy::too_many_arguments)]
async fn drive(o: &Options, addrs: &Arc<[String; 2]>, servers: &mut [std::process::Child; 2], plan: &ChatPlan, url: &str, restart: &str, dir: &std::path::Path) -> Result<(), String> {
    super::wait_until_up(&addrs[0]).await?;
    super::wait_until_up(&addrs[1]).await?;
    let signing = Instant::now();
    // a session made on one server is good on both (sessions are in PostgreSQL)
    let customer_cookies = sign_in_all(&addrs[..], &plan.customers).await?;
    let agent_cookies = sign_in_all(&addrs[..], &plan.agents).await?;
    println!("two servers on one PostgreSQL: A {} and B {}; signed in {} customers and {} agents in {:.1} s", addrs[0], addrs[1], plan.customers.len(), plan.agents.len(), signing.elapsed().as_secs_f64());

    let total = o.rate * o.seconds as usize;
    let tally = Arc::new(Tally::new(total));
    let (stop_tx, stop_rx) = watch::channel(false);
    let (opened_tx, mut opened_rx) = mpsc::unbounded_channel();
    let mut orders = Vec::with_capacity(plan.chats.len() * 2);
    let mut tasks = Vec::with_capacity(plan.chats.len() * 2);
    let opening = Instant::now();
    for (i, &(chat, c, a)) in plan.chats.iter().enumerate() {
        // the customer on one server, the agent on the other
        for (me, cookie, home) in [(Author::Customer, &customer_cookies[c], i % 2), (Author::Agent, &agent_cookies[a], (i + 1) % 2)] {
            let (tx, rx) = mpsc::unbounded_channel();
            orders.push(tx);
            let spec = Spec { chat, me, home, cookie: cookie.clone() };
            tasks.push(tokio::spawn(participant(spec, addrs.clone(), tally.clone(), rx, stop_rx.clone(), opened_tx.clone())));
            // a gentle ramp: a few hundred connections a second, as browsers arrive
            if tasks.len() % 64 == 0 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    let mut open = 0;
    while open < tasks.len() {
        match tokio::time::timeout(Duration::from_secs(60), opened_rx.recv()).await {
            Ok(Some(())) => open += 1,
            _ => return Err(format!("only {open} of {} connections opened in a minute", tasks.len())),
        }
    }
    println!("connections held: {open} (opened in {:.1} s), {} on A and {} on B; every chat's two sides on different servers", opening.elapsed().as_secs_f64(), tally.connected[0].load(Ordering::Relaxed), tally.connected[1].load(Ordering::Relaxed));

    let mut events: Vec<Event> = Vec::new();
    let kill_at = Duration::from_secs_f64(o.seconds as f64 * 0.25);
    let pg_at = Duration::from_secs_f64(o.seconds as f64 * 0.6);
    let (mut killed, mut restarted_a, mut restarted_pg) = (false, false, false);
    let mut pg_restart: Option<tokio::task::JoinHandle<Result<f64, String>>> = None;
    let load_start = Instant::now();
    let mut sent = 0usize;
    let mut tick = tokio::time::interval(Duration::from_millis(1));
    let mut last_report = 0u64;
    while sent < total {
        tick.tick().await;
        let elapsed = load_start.elapsed();
        if !killed && elapsed >= kill_at {
            servers[0].kill().map_err(|e| format!("cannot kill server A: {e}"))?;
            let _ = servers[0].wait();
            events.push(Event { what: "kill -9 of server A (started again 1 s later)", at_us: tally.now_us() });
            killed = true;
        }
        if killed && !restarted_a && elapsed >= kill_at + Duration::from_secs(1) {
            servers[0] = start_server(dir, url, &addrs[0], "A")?;
            restarted_a = true;
        }
        if !restarted_pg && elapsed >= pg_at {
            events.push(Event { what: "PostgreSQL restart (pg_ctl restart -m fast)", at_us: tally.now_us() });
            let command = restart.to_string();
            pg_restart = Some(tokio::task::spawn_blocking(move || {
                let began = Instant::now();
                let status = std::process::Command::new("sh").arg("-c").arg(&command).stdout(std::process::Stdio::null()).status().map_err(|e| e.to_string())?;
                if !status.success() {
                    return Err(format!("restarting PostgreSQL failed: {status}"));
                }
                Ok(began.elapsed().as_secs_f64())
            }));
            restarted_pg = true;
        }
        let due = ((elapsed.as_secs_f64() * o.rate as f64) as usize).min(total);
        while sent < due {
            let i = sent % plan.chats.len();
            let side = (sent / plan.chats.len()) % 2;
            tally.sent_us[sent].store(tally.now_us(), Ordering::Relaxed);
            // a closed channel only means that participant stopped: the message then counts as lost
            let _ = orders[2 * i + side].send(sent);
            sent += 1;
        }
        let second = elapsed.as_secs();
        if second >= last_report + 5 {
            last_report = second;
            let acked = tally.count(|n| tally.acked[n].load(Ordering::Relaxed));
            let delivered = tally.count(|n| tally.delivered[n].load(Ordering::Relaxed) > 0);
            println!(
                "  {second:>3} s: sent {sent}, acknowledged {acked}, delivered {delivered}; connected A {} B {}; reconnects {}",
                tally.connected[0].load(Ordering::Relaxed),
                tally.connected[1].load(Ordering::Relaxed),
                tally.reconnects.load(Ordering::Relaxed)
            );
        }
    }
    let load_s = load_start.elapsed().as_secs_f64();
    let pg_restart_s = match pg_restart {
        Some(h) => h.await.map_err(|e| e.to_string())??,
        None => 0.0,
    };
    // drain: every message acknowledged and delivered, or a minute
    let drain = Instant::now();
    while drain.elapsed() < Duration::from_secs(60) {
        let done = (0..total).all(|n| tally.acked[n].load(Ordering::Relaxed) && tally.delivered[n].load(Ordering::Relaxed) > 0);
        if done {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let drain_s = drain.elapsed().as_secs_f64();
    let (on_a, on_b) = (tally.connected[0].load(Ordering::Relaxed), tally.connected[1].load(Ordering::Relaxed));
    let _ = stop_tx.send(true);
    for t in tasks {
        let _ = t.await;
    }

    // what the database holds
    let db = app::store::connect_and_migrate(url).await.map_err(|e| e.to_string())?;
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT client_msg_id, COUNT(*) FROM chat_messages WHERE client_msg_id LIKE 'x%' GROUP BY client_msg_id")
        .fetch_all(&db)
        .await
        .map_err(|e| e.to_string())?;
    db.close().await;
    let mut stored = vec![0i64; total];
    for (id, count) in rows {
        if let Some(n) = number(&id, total) {
            stored[n] = count;
        }
    }
    let acked = tally.count(|n| tally.acked[n].load(Ordering::Relaxed));
    let delivered = tally.count(|n| tally.delivered[n].load(Ordering::Relaxed) > 0);
    let stored_once = stored.iter().filter(|&&c| c > 0).count();
    let lost = tally.count(|n| tally.acked[n].load(Ordering::Relaxed) && (stored[n] == 0 || tally.delivered[n].load(Ordering::Relaxed) == 0));
    let never_acked = total - acked;
    let delivered_twice: u64 = tally.delivered.iter().map(|d| u64::from(d.load(Ordering::Relaxed).saturating_sub(1))).sum();
    let stored_twice: i64 = stored.iter().map(|&c| (c - 1).max(0)).sum();
    let latency = |n: usize| tally.delivered_us[n].load(Ordering::Relaxed).checked_sub(1).map(|d| d.saturating_sub(tally.sent_us[n].load(Ordering::Relaxed)));
    let quiet_end = events.first().map_or(u64::MAX, |e| e.at_us);
    let mut quiet: Vec<u64> = (0..total).filter(|&n| tally.sent_us[n].load(Ordering::Relaxed) < quiet_end).filter_map(latency).collect();
    quiet.sort_unstable();
    let ms = |us: u64| us as f64 / 1000.0;

    println!();
    println!("messages: sent {total} in {load_s:.1} s ({:.0}/s); acknowledged {acked}; stored {stored_once}; delivered to the other side {delivered} (drained in {drain_s:.1} s after the load)", total as f64 / load_s);
    println!("lost (acknowledged, then not stored or never delivered): {lost}; never acknowledged: {never_acked}; refused: {}", tally.refused.load(Ordering::Relaxed));
    println!(
        "duplicates: delivered more than once {delivered_twice}, stored more than once {stored_twice}; frames replayed with a sequence number already seen (ignored, as the browser does): {}",
        tally.replayed.load(Ordering::Relaxed)
    );
    println!("fan-out latency across servers before the first event: p50 {:.2} ms, p99 {:.2} ms ({} messages)", ms(percentile(&quiet, 0.5)), ms(percentile(&quiet, 0.99)), quiet.len());
    println!("reconnects: {}; at the end {on_a} connections on A and {on_b} on B; PostgreSQL restart took {pg_restart_s:.1} s", tally.reconnects.load(Ordering::Relaxed));
    for (k, e) in events.iter().enumerate() {
        let until = events.get(k + 1).map_or(u64::MAX, |next| next.at_us);
        let (resumed, late) = resume(&tally, e.at_us, until);
        match resumed {
            Some(after) => println!("{}: live updates back after {:.2} s ({late} messages sent in between arrived later than 1 s)", e.what, after as f64 / 1e6),
            None => println!("{}: live updates did not come back before the next event or the end", e.what),
        }
    }
    println!(
        "chaos: sent={total} acked={acked} stored={stored_once} delivered={delivered} lost={lost} never_acked={never_acked} dup_delivered={delivered_twice} dup_stored={stored_twice} p99_ms={:.2}",
        ms(percentile(&quiet, 0.99))
    );
    if lost > 0 || stored_twice > 0 {
        return Err(format!("{lost} acknowledged messages lost, {stored_twice} stored twice"));
    }
    Ok(())
}

/// From an event at `from` to `until`: how long until every message sent from then on reached the
/// other side within [`LIVE_US`], and how many sent in that window did not.
fn resume(tally: &Tally, from: u64, until: u64) -> (Option<u64>, usize) {
    let total = tally.sent_us.len();
    let window: Vec<usize> = (0..total).filter(|&n| (from..until).contains(&tally.sent_us[n].load(Ordering::Relaxed))).collect();
    let late = |n: usize| match tally.delivered_us[n].load(Ordering::Relaxed) {
        0 => true,
        d => (d - 1).saturating_sub(tally.sent_us[n].load(Ordering::Relaxed)) > LIVE_US,
    };
    let late_count = window.iter().filter(|&&n| late(n)).count();
    match window.iter().rposition(|&n| late(n)) {
        None => (Some(0), 0),
        Some(last) => match window.get(last + 1) {
            Some(&n) => (Some(tally.sent_us[n].load(Ordering::Relaxed) - from), late_count),
            None => (None, late_count),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_args(&s(&[])), Ok(Options { connections: 2_000, rate: 500, seconds: 60 }));
        assert_eq!(parse_args(&s(&["--connections", "200", "--rate", "50", "--seconds", "20"])), Ok(Options { connections: 200, rate: 50, seconds: 20 }));
        assert!(parse_args(&s(&["--connections", "3"])).is_err());
        assert!(parse_args(&s(&["--connections", "201"])).is_err());
        assert!(parse_args(&s(&["--seconds", "5"])).is_err());
        assert!(parse_args(&s(&["--rate"])).is_err());
        assert!(parse_args(&s(&["--bogus", "1"])).is_err());
    }

    #[test]
    fn message_numbers_come_from_client_ids() {
        assert_eq!(number("x12", 100), Some(12));
        assert_eq!(number("x100", 100), None);
        assert_eq!(number("b12", 100), None);
        assert_eq!(number("x", 100), None);
    }

    #[test]
    fn live_updates_resume_after_the_last_late_message() {
        let tally = Tally::new(6);
        // sent at 0, 1, 2, 3, 4, 5 s; the 2nd and 3rd arrive 3 s late, the others at once
        for n in 0..6 {
            tally.sent_us[n].store(n as u64 * 1_000_000, Ordering::Relaxed);
            let delay = if n == 1 || n == 2 { 3_000_000 } else { 1_000 };
            tally.delivered_us[n].store(n as u64 * 1_000_000 + delay + 1, Ordering::Relaxed);
        }
        assert_eq!(resume(&tally, 500_000, u64::MAX), (Some(2_500_000), 2));
        assert_eq!(resume(&tally, 3_000_000, u64::MAX), (Some(0), 0));
        // never delivered at the end: not back
        tally.delivered_us[5].store(0, Ordering::Relaxed);
        assert_eq!(resume(&tally, 3_000_000, u64::MAX).0, None);
    }
}
