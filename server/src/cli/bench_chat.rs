//! `cybercenter bench-chat [--connections 5000] [--rate 1000] [--seconds 10]`: the chat server
//! under load on loopback (DESIGN 7: 5,000 concurrent WebSocket connections; fan-out p99 ≤ 50 ms
//! at 1,000 messages/s). It loads the demo into a temporary SQLite file, adds one active chat per
//! two connections (a customer of its own and an agent with ten chats at each end), starts this same binary as the server in
//! a child process, signs the demo accounts in over HTTP, opens every connection, then sends
//! messages at the given rate, spread over the chats and both sides. It prints connections held,
//! messages sent, acknowledged and received by the other side, lost (sent − refused − received:
//! must be 0, and every acknowledged message must be in the database), the fan-out latency from
//! send to arrival at the other side (p50/p99/max), the server's resident memory, and as the
//! baseline measured in the same run, the round trip of a ping answered by the server without
//! touching the database. With `--kill-after S` the server is killed (SIGKILL) S seconds into the
//! load instead (DESIGN 7: a kill -9 under write load loses no acknowledged write), and every
//! message the client saw acknowledged is looked up in the database.

use app::chat::protocol::{Author, ServerFrame};
use futures_util::{SinkExt, StreamExt};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use super::{percentile, rss_mib};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub connections: usize,
    pub rate: usize,
    pub seconds: u64,
    /// Kill the server this many seconds into the load, then check the acknowledged messages.
    pub kill_after: Option<u64>,
}

pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options { connections: 5_000, rate: 1_000, seconds: 10, kill_after: None };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let n: u64 = value.parse().ok().filter(|&n| n > 0).ok_or(format!("{flag} must be a positive whole number, got {value:?}"))?;
        match flag.as_str() {
            "--connections" if n >= 2 => o.connections = n as usize,
            "--connections" => return Err("--connections must be at least 2 (a customer and an agent)".into()),
            "--rate" => o.rate = n as usize,
            "--seconds" => o.seconds = n,
            "--kill-after" => o.kill_after = Some(n),
            _ => return Err(format!("unknown argument {flag:?}; usage: cybercenter bench-chat [--connections N] [--rate MSGS_PER_S] [--seconds S] [--kill-after S]")),
        }
    }
    Ok(o)
}



/// What every connection's reader adds to.
#[derive(Default)]
struct Tally {
    received: AtomicU64,
    acked: AtomicU64,
    refused: AtomicU64,
    latencies_us: Mutex<Vec<u64>>,
    /// Client ids the server acknowledged.
    acked_ids: Mutex<Vec<String>>,
}

struct Conn {
    tx: mpsc::UnboundedSender<Message>,
}

/// Opens one connection; its reader counts what arrives from the other side.
async fn open(addr: &str, chat: i64, cookie: &str, me: Author, start: Instant, tally: Arc<Tally>, pongs: Option<mpsc::UnboundedSender<Instant>>) -> Result<Conn, String> {
    let mut req = format!("ws://{addr}/ws/chats/{chat}").into_client_request().map_err(|e| e.to_string())?;
    req.headers_mut().insert("cookie", cookie.parse().map_err(|_| "bad cookie")?);
    req.headers_mut().insert("origin", format!("http://{addr}").parse().map_err(|_| "bad origin")?);
    let (ws, _) = tokio_tungstenite::connect_async(req).await.map_err(|e| format!("chat {chat}: {e}"))?;
    let (mut sink, mut stream) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Message>();
    tokio::spawn(async move {
        while let Some(m) = rx.recv().await {
            if sink.send(m).await.is_err() {
                break;
            }
        }
    });
    tokio::spawn(async move {
        while let Some(Ok(msg)) = stream.next().await {
            let Message::Text(text) = msg else { continue };
            match serde_json::from_str::<ServerFrame>(text.as_str()) {
                Ok(ServerFrame::Message(m)) if m.author != me => {
                    if let Some(sent) = m.body.strip_prefix("b:").and_then(|us| us.parse::<u64>().ok()) {
                        let now = start.elapsed().as_micros() as u64;
                        tally.received.fetch_add(1, Ordering::Relaxed);
                        if let Ok(mut l) = tally.latencies_us.lock() {
                            l.push(now.saturating_sub(sent));
                        }
                    }
                }
                Ok(ServerFrame::Ack { client_id, .. }) => {
                    tally.acked.fetch_add(1, Ordering::Relaxed);
                    if let Ok(mut ids) = tally.acked_ids.lock() {
                        ids.push(client_id);
                    }
                }
                Ok(ServerFrame::Error { .. }) => {
                    tally.refused.fetch_add(1, Ordering::Relaxed);
                }
                Ok(ServerFrame::Pong) => {
                    if let Some(p) = &pongs {
                        let _ = p.send(Instant::now());
                    }
                }
                _ => {}
            }
        }
    });
    Ok(Conn { tx })
}

pub async fn run(args: &[String]) -> Result<(), String> {
    let o = parse_args(args)?;
    let chats = o.connections / 2;
    let per_connection = o.rate as f64 / (2 * chats) as f64;
    if per_connection > app::domain::chat::RATE_PER_S {
        println!("note: {per_connection:.1} messages/s per connection is above the server's limit of {}: expect refusals", app::domain::chat::RATE_PER_S);
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = app::store::connect_and_migrate(&url).await.map_err(|e| e.to_string())?;
    app::demo::load_if_empty(&db).await.map_err(|e| e.to_string())?;
    let plan = super::chat_accounts::prepare(&db, chats, "bench").await?;
    db.close().await;

    let (mut server, addr) = super::spawn_server(dir.path(), &url, "warn")?;
    let result = drive(&o, &addr, &mut server, &plan, &url).await;
    let _ = server.kill();
    let _ = server.wait();
    result
}

async fn drive(
    o: &Options,
    addr: &str,
    server: &mut std::process::Child,
    plan: &super::chat_accounts::ChatPlan,
    url: &str,
) -> Result<(), String> {
    super::wait_until_up(addr).await?;
    let server_pid = server.id();
    let idle_rss = rss_mib(server_pid);
    let started = Instant::now();
    let addrs = [addr.to_string()];
    let customer_cookies = super::chat_accounts::sign_in_all(&addrs, &plan.customers).await?;
    let agent_cookies = super::chat_accounts::sign_in_all(&addrs, &plan.agents).await?;
    println!("signed in {} customers and {} agents in {:.1} s", plan.customers.len(), plan.agents.len(), started.elapsed().as_secs_f64());

    let start = Instant::now();
    let tally = Arc::new(Tally::default());
    let opening = Instant::now();
    let limit = Arc::new(tokio::sync::Semaphore::new(128));
    let mut tasks = Vec::with_capacity(plan.chats.len() * 2);
    for &(chat, c, a) in &plan.chats {
        for (me, cookie) in [(Author::Customer, customer_cookies[c].clone()), (Author::Agent, agent_cookies[a].clone())] {
            let (addr, tally, limit) = (addr.to_string(), tally.clone(), limit.clone());
            tasks.push(tokio::spawn(async move {
                let _permit = limit.acquire().await.map_err(|e| e.to_string())?;
                open(&addr, chat, &cookie, me, start, tally, None).await
            }));
        }
    }
    let mut conns = Vec::with_capacity(tasks.len());
    for t in tasks {
        conns.push(t.await.map_err(|e| e.to_string())??);
    }
    println!("connections held: {} (opened in {:.1} s); server RSS {:.1} MiB (idle {:.1} MiB)", conns.len(), opening.elapsed().as_secs_f64(), rss_mib(server_pid), idle_rss);

    // baseline: ping → pong through the server, no database
    let (pong_tx, mut pong_rx) = mpsc::unbounded_channel();
    let probe = open(addr, plan.chats[0].0, &customer_cookies[plan.chats[0].1], Author::Customer, start, Arc::new(Tally::default()), Some(pong_tx)).await?;
    let mut rtts = Vec::new();
    tokio::time::sleep(Duration::from_millis(200)).await;
    for _ in 0..200 {
        let sent = Instant::now();
        probe.tx.send(Message::Text(r#"{"t":"ping"}"#.into())).map_err(|e| e.to_string())?;
        match tokio::time::timeout(Duration::from_secs(5), pong_rx.recv()).await {
            Ok(Some(at)) => rtts.push(at.duration_since(sent).as_micros() as u64),
            _ => return Err("no pong within 5 s".into()),
        }
        // stays under the server's limit for non-message frames
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    rtts.sort_unstable();

    // the load: `rate` messages a second over all chats, alternating sides
    let total = o.rate as u64 * o.seconds;
    let load_start = Instant::now();
    let mut sent = 0u64;
    let mut tick = tokio::time::interval(Duration::from_millis(1));
    while sent < total {
        tick.tick().await;
        if o.kill_after.is_some_and(|k| load_start.elapsed() >= Duration::from_secs(k)) {
            return killed(server, &tally, sent, url).await;
        }
        let due = ((load_start.elapsed().as_secs_f64() * o.rate as f64) as u64).min(total);
        while sent < due {
            let i = (sent as usize) % plan.chats.len();
            let side = ((sent as usize) / plan.chats.len()) % 2;
            let conn = &conns[2 * i + side];
            let body = format!("b:{}", start.elapsed().as_micros());
            let frame = format!(r#"{{"t":"send","client_id":"b{sent}","body":"{body}"}}"#);
            conn.tx.send(Message::Text(frame.into())).map_err(|e| e.to_string())?;
            sent += 1;
        }
    }
    let load_s = load_start.elapsed().as_secs_f64();
    let drain_deadline = Instant::now() + Duration::from_secs(15);
    while tally.received.load(Ordering::Relaxed) + tally.refused.load(Ordering::Relaxed) < sent && Instant::now() < drain_deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let busy_rss = rss_mib(server_pid);
    let received = tally.received.load(Ordering::Relaxed);
    let acked = tally.acked.load(Ordering::Relaxed);
    let refused = tally.refused.load(Ordering::Relaxed);
    let lost = sent.saturating_sub(refused).saturating_sub(received);
    let mut lat = tally.latencies_us.lock().map_err(|_| "latency lock")?.clone();
    lat.sort_unstable();
    let db = app::store::connect_and_migrate(url).await.map_err(|e| e.to_string())?;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM chat_messages WHERE client_msg_id LIKE 'b%'").fetch_one(&db).await.map_err(|e| e.to_string())?;
    let ms = |us: u64| us as f64 / 1000.0;
    println!("messages: sent {sent} in {load_s:.1} s ({:.0}/s), acknowledged {acked}, refused {refused}, received by the other side {received}, lost {lost}, stored {stored}", sent as f64 / load_s);
    println!("fan-out latency (send → other side): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (budget: p99 ≤ 50 ms)", ms(percentile(&lat, 0.5)), ms(percentile(&lat, 0.99)), ms(lat.last().copied().unwrap_or(0)));
    println!("baseline ping round trip: p50 {:.2} ms, p99 {:.2} ms; fan-out p50 / ping p50 = {:.1}x", ms(percentile(&rtts, 0.5)), ms(percentile(&rtts, 0.99)), percentile(&lat, 0.5) as f64 / percentile(&rtts, 0.5).max(1) as f64);
    println!("server RSS under load: {busy_rss:.1} MiB");
    println!(
        "connections={} sent={sent} received={received} lost={lost} p50_ms={:.2} p99_ms={:.2} max_ms={:.2} rss_mib={busy_rss:.1}",
        conns.len(),
        ms(percentile(&lat, 0.5)),
        ms(percentile(&lat, 0.99)),
        ms(lat.last().copied().unwrap_or(0))
    );
    if lost > 0 || stored as u64 != acked {
        return Err(format!("{lost} messages lost; {stored} stored vs {acked} acknowledged"));
    }
    Ok(())
}

/// Kills the server mid-load and checks that every acknowledged message is in the database.
async fn killed(server: &mut std::process::Child, tally: &Tally, sent: u64, url: &str) -> Result<(), String> {
    // SIGKILL: no graceful shutdown, no flush
    server.kill().map_err(|e| format!("cannot kill the server: {e}"))?;
    let _ = server.wait();
    // acks already on their way to this process
    tokio::time::sleep(Duration::from_millis(300)).await;
    let acked: Vec<String> = tally.acked_ids.lock().map_err(|_| "ack lock")?.clone();
    let db = app::store::connect_and_migrate(url).await.map_err(|e| e.to_string())?;
    let stored: std::collections::HashSet<String> =
        sqlx::query_scalar::<_, String>("SELECT client_msg_id FROM chat_messages WHERE client_msg_id LIKE 'b%'")
            .fetch_all(&db)
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .collect();
    let missing = acked.iter().filter(|id| !stored.contains(*id)).count();
    println!(
        "kill -9 under load: {sent} sent, {} acknowledged before the kill, {} in the database after it, acknowledged but missing: {missing}",
        acked.len(),
        stored.len()
    );
    println!("killed_sent={sent} acked={} stored={} acked_missing={missing}", acked.len(), stored.len());
    if missing > 0 {
        return Err(format!("{missing} acknowledged messages were lost"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_args(&s(&[])), Ok(Options { connections: 5_000, rate: 1_000, seconds: 10, kill_after: None }));
        assert_eq!(
            parse_args(&s(&["--connections", "200", "--rate", "50", "--seconds", "3", "--kill-after", "2"])),
            Ok(Options { connections: 200, rate: 50, seconds: 3, kill_after: Some(2) })
        );
        assert!(parse_args(&s(&["--connections", "1"])).is_err());
        assert!(parse_args(&s(&["--rate", "0"])).is_err());
        assert!(parse_args(&s(&["--rate"])).is_err());
        assert!(parse_args(&s(&["--bogus", "1"])).is_err());
        assert_eq!(percentile(&[1, 2, 3], 0.5), 2);
        assert_eq!(percentile::<u64>(&[], 0.99), 0);
    }
}
