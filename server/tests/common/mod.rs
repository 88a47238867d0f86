//! Starts the real server (real SQLite file, real sessions, real hashing) on a free port.

#![allow(dead_code)]

pub mod imap;
pub mod pair;
pub mod sink;
pub mod ws;

use server::{build, serve_on, Config};
use std::net::SocketAddr;

pub struct TestServer {
    pub addr: SocketAddr,
    /// The server's own database, for checks a browser could not make.
    pub db: app::store::Db,
    /// The server's state, for driving its workers (the mail import) from a test.
    pub state: app::state::AppState,
    pub base: String,
    /// Where the server writes each mail as an `.eml` file.
    pub outbox: std::path::PathBuf,
    /// The server's clock: `clock.advance(ms)` moves the server's time forward.
    pub clock: app::store::Clock,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    /// The PostgreSQL database this server made (none on SQLite, or beside another server),
    /// dropped after the server stops.
    _pg: Option<PgDatabase>,
    pub database_url: String,
}

/// The PostgreSQL server the tests run against instead of SQLite: an admin URL in
/// `CYBERCENTER_TEST_PG` (set by `scripts/with-postgres.sh`), on which every test server makes a
/// database of its own.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("CYBERCENTER_TEST_PG").ok().filter(|u| !u.trim().is_empty())
}

/// Whether this run's test servers use PostgreSQL.
pub fn on_postgres() -> bool {
    postgres_admin_url().is_some()
}

/// A database made for one test server on the test PostgreSQL, dropped with it.
pub struct PgDatabase {
    admin: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    pub async fn create(admin: &str) -> PgDatabase {
        use sqlx::Connection;
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let name = format!("cc_test_{}_{}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let mut conn = sqlx::PgConnection::connect(admin).await.expect("connect to the test PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut conn).await.expect("create a test database");
        let (server, _) = admin.rsplit_once('/').expect("admin URL names a database");
        PgDatabase { admin: admin.to_string(), url: format!("{server}/{name}"), name }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // a runtime of its own: the test's may be shutting down
        let _ = std::thread::spawn(move || {
            use sqlx::Connection;
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&mut conn).await;
                }
            });
        })
        .join();
    }
}

impl TestServer {
    pub async fn start(demo_data: bool) -> TestServer {
        Self::start_with(demo_data, |_| {}).await
    }

    /// A server whose configuration `adjust` changes first (short timeouts, few connections).
    pub async fn start_with(demo_data: bool, adjust: impl FnOnce(&mut Config)) -> TestServer {
        Self::start_on(None, demo_data, adjust).await
    }

    /// A second server on this server's PostgreSQL database, with its own port, folder, pools,
    /// caches and workers: another machine behind the same load balancer.
    pub async fn start_beside(&self) -> TestServer {
        assert!(on_postgres(), "two servers share a database only on PostgreSQL");
        Self::start_on(Some(self.database_url.clone()), false, |_| {}).await
    }

    async fn start_on(shared: Option<String>, demo_data: bool, adjust: impl FnOnce(&mut Config)) -> TestServer {
        // TEST_LOG=warn (or any filter) shows the servers' logs, for a failure to explain itself
        if let Ok(filter) = std::env::var("TEST_LOG") {
            let _ = tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new(filter)).with_test_writer().try_init();
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let pg = match (&shared, postgres_admin_url()) {
            (None, Some(admin)) => Some(PgDatabase::create(&admin).await),
            _ => None,
        };
        let mut config = Config {
            site_addr: "127.0.0.1:0".parse().expect("addr"),
            site_root: dir.path().join("site").display().to_string(),
            database_url: match (&shared, &pg) {
                (Some(url), _) => url.clone(),
                (None, Some(pg)) => pg.url.clone(),
                (None, None) => format!("sqlite://{}", dir.path().join("test.db").display()),
            },
            demo_data,
            secure_cookies: false,
            session_lifetime: std::time::Duration::from_secs(30 * 24 * 3600),
            max_connections: 10_000,
            header_timeout: std::time::Duration::from_secs(10),
            public_url: "http://127.0.0.1:3000".to_string(),
            mail_from: "cybercenter <no-reply@example.com>".to_string(),
            smtp_url: None,
            outbox_dir: dir.path().join("outbox"),
            files_dir: dir.path().join("files"),
            mail_ca_file: None,
            inbound: Default::default(),
            attach: Default::default(),
            secret_key_file: dir.path().join("secret.key"),
            e5_model: None,
        };
        adjust(&mut config);
        let built = build(&config).await.expect("server builds");
        let db = built.state.db.clone();
        let state = built.state.clone();
        let clock = built.state.clock.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve_on(listener, built.router, built.connections, async move {
            let _ = rx.await;
        }));
        let outbox = config.outbox_dir.clone();
        let database_url = config.database_url.clone();
        TestServer { addr, db, state, base: format!("http://{addr}"), outbox, clock, _dir: dir, shutdown: Some(tx), _pg: pg, database_url }
    }

    /// Where the server keeps files (attachments, mail originals).
    pub fn files_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("files")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client with its own cookie jar (one browser), which does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Calls a server function the way the hydrated app does (form-encoded POST, JSON back).
    pub async fn call(&self, client: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> (u16, String) {
        let res = client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("origin", &self.base)
            .form(form)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.text().await.expect("body"))
    }

    /// A client already signed in as `email` (demo password).
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let client = self.client();
        let (status, body) = self.login(&client, email, DEMO_PASSWORD).await;
        assert_eq!(status, 200, "login {email}: {body}");
        client
    }

    /// A signed-in client and its session cookie (`name=value`), for WebSocket handshakes.
    pub async fn signed_in_cookie(&self, email: &str) -> (reqwest::Client, String) {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let (status, body) = self.login(&client, email, DEMO_PASSWORD).await;
        assert_eq!(status, 200, "login {email}: {body}");
        let url: reqwest::Url = self.base.parse().expect("base url");
        use reqwest::cookie::CookieStore;
        let cookie = jar.cookies(&url).and_then(|v| v.to_str().ok().map(str::to_string)).expect("session cookie");
        (client, cookie)
    }

    pub async fn login(&self, client: &reqwest::Client, email: &str, password: &str) -> (u16, String) {
        self.call(client, "login", &[("email", email), ("password", password), ("next", "")]).await
    }
}

/// A mail the server wrote to its outbox, parsed by a real MIME parser.
#[derive(Debug, Clone)]
pub struct Mail {
    pub file: String,
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
    pub raw: String,
}

impl Mail {
    /// The `token` of the first link in the text part.
    pub fn token(&self) -> String {
        let start = self.text.find("?token=").expect("a link with a token") + "?token=".len();
        self.text[start..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect()
    }
}

impl TestServer {
    /// Every mail written so far, oldest first.
    pub fn mails(&self) -> Vec<Mail> {
        let Ok(dir) = std::fs::read_dir(&self.outbox) else { return Vec::new() };
        let mut names: Vec<String> = dir
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.ends_with(".eml") && !n.starts_with('.'))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|file| {
                let bytes = std::fs::read(self.outbox.join(&file)).expect("read mail");
                let parsed = mail_parser::MessageParser::default().parse(&bytes).expect("a MIME message");
                let to = parsed
                    .to()
                    .and_then(|a| a.first())
                    .and_then(|a| a.address())
                    .unwrap_or_default()
                    .to_string();
                Mail {
                    to,
                    subject: parsed.subject().unwrap_or_default().to_string(),
                    message_id: parsed.message_id().unwrap_or_default().to_string(),
                    text: parsed.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
                    html: parsed.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
                    raw: String::from_utf8_lossy(&bytes).into_owned(),
                    file,
                }
            })
            .collect()
    }

    /// Waits (up to 10 s) for a mail of `kind` to `to` (any case), the newest if several.
    pub async fn mail_to(&self, to: &str, kind: &str) -> Mail {
        for _ in 0..200 {
            let found = self
                .mails()
                .into_iter()
                .filter(|m| m.to.eq_ignore_ascii_case(to) && m.file.ends_with(&format!("-{kind}.eml")))
                .last();
            if let Some(m) = found {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("no {kind} mail to {to}; outbox: {:?}", self.mails().iter().map(|m| (&m.file, &m.to)).collect::<Vec<_>>());
    }

    /// The mails of `kind` to `to`, once every queued mail has been delivered.
    pub async fn delivered_to(&self, to: &str, kind: &str) -> Vec<Mail> {
        for _ in 0..200 {
            let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_outbox WHERE state = 'pending'")
                .fetch_one(&self.db)
                .await
                .expect("count");
            if pending == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        self.mails()
            .into_iter()
            .filter(|m| m.to.eq_ignore_ascii_case(to) && m.file.ends_with(&format!("-{kind}.eml")))
            .collect()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub const DEMO_PASSWORD: &str = "cybercenter-demo";

/// A `multipart/form-data` body: text fields, then files as `files` parts.
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----cc-test-boundary-7d0a";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    for (name, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub async fn post_multipart(srv: &TestServer, c: &reqwest::Client, endpoint: &str, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (u16, String) {
    let (ct, body) = multipart(fields, files);
    let res = c
        .post(srv.url(&format!("/api/{endpoint}")))
        .header("origin", &srv.base)
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .expect("request");
    (res.status().as_u16(), res.text().await.expect("body"))
}

