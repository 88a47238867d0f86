//! Subcommands of the `cybercenter` binary besides `serve`.
pub mod bench_chaos;
mod chat_accounts;
pub mod bench_chat;
pub mod bench_faq;
pub mod bench_hostile;
pub mod bench_mail;
pub mod bench_pages;
pub mod bench_queue;
pub mod bench_reports;
pub mod bench_semantic;
pub mod bench_staffing;
pub mod embeddings;
pub mod eval_faq;
pub mod eval_mining;
pub mod staffing;

/// The value at quantile `p` (0..=1) of sorted samples; the default for none.
pub(crate) fn percentile<T: Copy + Default>(sorted: &[T], p: f64) -> T {
    if sorted.is_empty() {
        return T::default();
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Resident memory of a process in MiB, from /proc.
pub(crate) fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// What a server answered to one request.
pub(crate) struct Answer {
    pub status: u16,
    head: String,
    pub body: String,
}

impl Answer {
    /// The values of every header called `name` (any case).
    fn headers(&self, name: &str) -> Vec<String> {
        self.head
            .lines()
            .filter_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_string()))
            .collect()
    }
}

/// The benches' one HTTP/1.1 client (they have no other): a request on its own connection,
/// optionally from a given local address (127.0.0.x, to look like many clients) and with a
/// session cookie, the whole answer read.
pub(crate) async fn http(
    from: Option<std::net::IpAddr>,
    addr: &str,
    method: &str,
    path: &str,
    cookie: &str,
    form: &str,
) -> Result<Answer, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let target: std::net::SocketAddr = addr.parse().map_err(|e| format!("{addr}: {e}"))?;
    let socket = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
    if let Some(ip) = from {
        socket.bind(std::net::SocketAddr::new(ip, 0)).map_err(|e| format!("bind {ip}: {e}"))?;
    }
    let mut s = socket.connect(target).await.map_err(|e| e.to_string())?;
    let cookie = if cookie.is_empty() { String::new() } else { format!("Cookie: {cookie}\r\n") };
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n{cookie}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    s.write_all(req.as_bytes()).await.map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&buf);
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).ok_or("no HTTP status")?;
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Ok(Answer { status, head: head.to_string(), body: body.to_string() })
}

/// A form post: status and cookies set.
pub(crate) async fn http_post_form(addr: &str, path: &str, form: &str) -> Result<(u16, Vec<String>), String> {
    http_request(None, addr, "POST", path, form).await.map(|(status, cookies, _)| (status, cookies))
}

/// Status, cookies set (`name=value`), and the `Retry-After` seconds if any.
pub(crate) async fn http_request(
    from: Option<std::net::IpAddr>,
    addr: &str,
    method: &str,
    path: &str,
    form: &str,
) -> Result<(u16, Vec<String>, Option<u64>), String> {
    let answer = http(from, addr, method, path, "", form).await?;
    let cookies = answer.headers("set-cookie").into_iter().filter_map(|c| c.split(';').next().map(str::to_string)).collect();
    let retry = answer.headers("retry-after").first().and_then(|v| v.parse().ok());
    Ok((answer.status, cookies, retry))
}

/// The body's size, or an error for any status but 200.
pub(crate) async fn http_send(addr: &str, method: &str, path: &str, cookie: &str, form: &str) -> Result<usize, String> {
    match http(None, addr, method, path, cookie, form).await? {
        Answer { status: 200, body, .. } => Ok(body.len()),
        Answer { status, .. } => Err(format!("{method} {path}: {status}")),
    }
}

pub(crate) async fn http_get(addr: &str, path: &str, cookie: &str) -> Result<usize, String> {
    http_send(addr, "GET", path, cookie, "").await
}

/// Signs a demo account in (demo password): its session cookie, `cc_session=…`.
pub(crate) async fn sign_in(addr: &str, email: &str) -> Result<String, String> {
    let form = format!("email={}&password=cybercenter-demo&next=", email.replace('@', "%40"));
    let (status, cookies) = http_post_form(addr, "/api/login", &form).await?;
    if status != 200 {
        return Err(format!("login {email}: HTTP {status}"));
    }
    cookies.into_iter().find(|c| c.starts_with("cc_session=")).ok_or(format!("login {email}: no session cookie"))
}

/// Waits until a server started by [`spawn_server`] accepts connections (it listens only once
/// it is ready), at most a minute.
pub(crate) async fn wait_until_up(addr: &str) -> Result<(), String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        if std::time::Instant::now() > deadline {
            return Err("the server did not start in 60 s".into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Ok(())
}

/// A free loopback address (`127.0.0.1:PORT`) for a server to listen on.
pub(crate) fn free_addr() -> Result<String, String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    Ok(format!("127.0.0.1:{port}"))
}

/// This same binary as a server at `addr`, on the database `url`, with the site root and the
/// outbox under `dir`, no demo load (the bench has filled the database), matching lexical only,
/// logging at `log`, its standard output discarded.
pub(crate) fn server_command(dir: &std::path::Path, url: &str, addr: &str, log: &str) -> Result<std::process::Command, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut command = std::process::Command::new(exe);
    command
        .env("LEPTOS_SITE_ADDR", addr)
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .env("DATABASE_URL", url)
        .env("CYBERCENTER_DEMO_DATA", "0")
        .env("CYBERCENTER_OUTBOX_DIR", dir.join("outbox"))
        // lexical matching only, unless the bench says otherwise (bench-semantic): the semantic
        // head's training and the job embedding past inquiries would share the cores with what
        // is measured
        .env("CYBERCENTER_E5_MODEL", "off")
        .env("RUST_LOG", log)
        .stdout(std::process::Stdio::null());
    Ok(command)
}

/// Starts [`server_command`] on a free loopback port. Returns the child and its address.
pub(crate) fn spawn_server(dir: &std::path::Path, url: &str, log: &str) -> Result<(std::process::Child, String), String> {
    let addr = free_addr()?;
    let server = server_command(dir, url, &addr, log)?.spawn().map_err(|e| format!("cannot start the server: {e}"))?;
    Ok((server, addr))
}

/// `[--inquiries N]` of the benches that fill a database, `default` without it.
pub(crate) fn parse_inquiries(args: &[String], default: usize, command: &str) -> Result<usize, String> {
    match args {
        [] => Ok(default),
        [flag, n] if flag == "--inquiries" => n.parse::<usize>().map_err(|_| format!("--inquiries needs a whole number, got {n:?}")),
        _ => Err(format!("usage: cybercenter {command} [--inquiries N]")),
    }
}

/// A temporary SQLite database (or `BENCH_DATABASE_URL`, an empty database elsewhere) with the
/// demo and `n` bulk inquiries (the rollups rebuilt); the directory goes away with the returned
/// guard.
pub(crate) async fn bulk_database(n: usize, waiting_share: f64, now: i64) -> Result<(tempfile::TempDir, app::store::Db), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    println!("backend: {}", if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" });
    let db = app::store::connect_and_migrate(&url).await.map_err(|e| e.to_string())?;
    app::demo::load_if_empty(&db).await.map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let added = app::demo::add_bulk_inquiries(&db, n, waiting_share, now).await.map_err(|e| e.to_string())?;
    println!("added {added} inquiries (and rebuilt the rollups) in {:.1} s", started.elapsed().as_secs_f64());
    if url.starts_with("postgres") {
        // what autovacuum would do shortly after such a load: the planner's statistics
        sqlx::query("ANALYZE").execute(&db).await.map_err(|e| e.to_string())?;
    }
    Ok((dir, db))
}

/// Runs `f` `runs` times one after another: (p50, p99) in milliseconds.
pub(crate) async fn time_ms<F, Fut, T>(runs: usize, mut f: F) -> Result<(f64, f64), String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let mut ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = std::time::Instant::now();
        f().await?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    Ok((percentile(&ms, 0.5), percentile(&ms, 0.99)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inquiry_counts_from_the_arguments() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_inquiries(&s(&[]), 7, "bench-x"), Ok(7));
        assert_eq!(parse_inquiries(&s(&["--inquiries", "500"]), 7, "bench-x"), Ok(500));
        assert!(parse_inquiries(&s(&["--inquiries", "x"]), 7, "bench-x").is_err());
        assert_eq!(parse_inquiries(&s(&["--bogus"]), 7, "bench-x"), Err("usage: cybercenter bench-x [--inquiries N]".to_string()));
    }

    #[test]
    fn percentiles_of_sorted_samples() {
        assert_eq!(percentile(&[1.0, 2.0, 3.0], 0.5), 2.0);
        assert_eq!(percentile(&[1.0, 2.0, 3.0], 0.99), 3.0);
        assert_eq!(percentile::<f64>(&[], 0.5), 0.0);
    }

    #[tokio::test]
    async fn timing_runs_each_call() {
        let mut calls = 0;
        let (p50, p99) = time_ms(5, || {
            calls += 1;
            async { Ok::<_, String>(()) }
        })
        .await
        .expect("timed");
        assert_eq!(calls, 5);
        assert!(p50 >= 0.0 && p99 >= p50);
        assert!(time_ms(3, || async { Err::<(), _>("boom".to_string()) }).await.is_err());
    }
}
