//! Starts the real server (real SQLite file, real sessions, real hashing) on a free port.

#![allow(dead_code)]

pub mod ws;

use server::{build, serve_on, Config};
use std::net::SocketAddr;

pub struct TestServer {
    pub addr: SocketAddr,
    /// The server's own database, for checks a browser could not make.
    pub db: sqlx::SqlitePool,
    pub base: String,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    pub async fn start(demo_data: bool) -> TestServer {
        Self::start_with(demo_data, |_| {}).await
    }

    /// A server whose configuration `adjust` changes first (short timeouts, few connections).
    pub async fn start_with(demo_data: bool, adjust: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config {
            site_addr: "127.0.0.1:0".parse().expect("addr"),
            site_root: dir.path().join("site").display().to_string(),
            database_url: format!("sqlite://{}", dir.path().join("test.db").display()),
            demo_data,
            secure_cookies: false,
            session_lifetime: std::time::Duration::from_secs(30 * 24 * 3600),
            max_connections: 10_000,
            header_timeout: std::time::Duration::from_secs(10),
        };
        adjust(&mut config);
        let built = build(&config).await.expect("server builds");
        let db = built.state.db.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve_on(listener, built.router, built.connections, async move {
            let _ = rx.await;
        }));
        TestServer { addr, db, base: format!("http://{addr}"), _dir: dir, shutdown: Some(tx) }
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

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub const DEMO_PASSWORD: &str = "cybercenter-demo";
