//! Router assembly: Leptos pages and server functions, static files, health, and the layers
//! every request passes (logging, body limit, timeout, cross-origin refusal, sessions).

use crate::config::Config;
use crate::middleware::{refuse_cross_origin, security_headers};
use app::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::time::Duration;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tracing::Level;

/// Loads the e5 encoder, retrains the FAQ index with the semantic head, and starts its worker and
/// the job that embeds past inquiries (similar inquiries, search by question); in
/// the background, so the server answers at once (lexically) while the phrasings are encoded.
async fn start_semantic(state: AppState, path: std::path::PathBuf) {
    let started = std::time::Instant::now();
    let shown = path.display().to_string();
    match tokio::task::spawn_blocking(move || app::faq::semantic::Semantic::load(&path)).await {
        Ok(Ok(encoder)) => {
            state.faq.semantic.install(encoder);
            tokio::spawn(app::faq::semantic::run(state.clone()));
            match state.faq.rebuild(&state.db).await {
                Ok(index) => tracing::info!(model = %shown, ready_s = started.elapsed().as_secs_f64(), semantic = index.has_semantic(), "semantic FAQ head ready"),
                Err(e) => tracing::warn!(error = %e, "FAQ index with the semantic head failed; matching stays lexical until the next rebuild"),
            }
            // similar past inquiries: after the training, which needs the cores first
            tokio::spawn(app::faq::similar::run(state.clone()));
        }
        Ok(Err(e @ e5::LoadError::Io { .. })) => {
            tracing::info!(model = %shown, reason = %e, "no semantic FAQ head: matching is lexical only (scripts/install-tools.sh model installs it)")
        }
        Ok(Err(e)) => tracing::warn!(model = %shown, reason = %e, "the semantic FAQ model file is damaged: matching is lexical only (scripts/install-tools.sh model installs it again)"),
        Err(e) => tracing::warn!(error = %e, "loading the semantic FAQ head failed"),
    }
}

pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the database folder {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("session store: {0}")]
    Sessions(String),
    #[error("demo data: {0}")]
    Demo(String),
    #[error("FAQ index: {0}")]
    Faq(String),
    #[error("mail: {0}")]
    Mail(#[from] app::mail::MailConfigError),
    #[error("{0}")]
    Secrets(#[from] app::secrets::SecretError),
    #[error("sealing the stored mailbox passwords: {0}")]
    Sealing(String),
    #[error("connecting live delivery to PostgreSQL: {0}")]
    Fanout(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
}

/// Everything a running server needs, built from the configuration.
pub struct Built {
    pub router: Router,
    pub connections: ConnectionLimits,
    pub state: AppState,
    pub demo_loaded: bool,
}

pub async fn build(config: &Config) -> Result<Built, StartError> {
    if let Some(path) = config.sqlite_path() {
        if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| StartError::DataDir { path: dir.display().to_string(), source })?;
        }
    }
    let db = app::store::connect_and_migrate(&config.database_url).await?;
    let demo_loaded = if config.demo_data {
        app::demo::load_if_empty(&db).await.map_err(|e| StartError::Demo(e.to_string()))?
    } else {
        false
    };

    let backend = app::store::Backend::of(&db);
    let store = crate::sessions::DbStore::open(&config.database_url).await.map_err(|e| StartError::Sessions(e.to_string()))?;
    store.sweep_expired(Duration::from_secs(3600));
    // every signed-in request loads its session: from memory, not from the database — on SQLite,
    // where this process is the only writer; with PostgreSQL another server may end a session
    // (logout), so each load reads the table
    let fresh_for = match backend {
        app::store::Backend::Sqlite => Duration::from_secs(60),
        app::store::Backend::Postgres => Duration::ZERO,
    };
    let store = crate::sessions::CachedStore::new(store, 100_000, fresh_for);
    let sessions = SessionManagerLayer::new(store)
        .with_name("cc_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::days(7)));

    let ca_pem = match &config.mail_ca_file {
        Some(path) => Some(std::fs::read(path).map_err(|e| app::mail::MailConfigError::Ca(app::mail::tls::CaError(format!("{}: {e}", path.display()))))?),
        None => None,
    };
    let secrets = std::sync::Arc::new(app::secrets::Secrets::from_key_file(&config.secret_key_file)?);
    // passwords saved before they were sealed are sealed now
    let sealed = app::store::mailboxes::seal_stored(&db, &secrets).await.map_err(|e| StartError::Sealing(e.to_string()))?;
    if sealed > 0 {
        tracing::info!(sealed, "mailbox passwords sealed");
    }
    // attachments and mail originals: in a folder on SQLite; in the database on PostgreSQL, so
    // that every server reads what any of them stored
    let files: std::sync::Arc<dyn app::files::FileStore> = match backend {
        app::store::Backend::Sqlite => std::sync::Arc::new(app::files::DirStore::new(config.files_dir.clone())),
        app::store::Backend::Postgres => std::sync::Arc::new(app::files::DbFileStore::new(db.clone(), config.files_dir.join(".incoming"))),
    };
    let faq = std::sync::Arc::new(app::faq::index::FaqLive::default());
    let index = faq.rebuild(&db).await.map_err(|e| StartError::Faq(e.to_string()))?;
    tracing::info!(templates = index.template_count(), examples = index.example_count(), "FAQ index built");
    // live delivery: within this process on SQLite; across every server sharing the database on
    // PostgreSQL (LISTEN/NOTIFY, on a small pool of its own)
    let pg_fanout = match backend {
        app::store::Backend::Sqlite => None,
        app::store::Backend::Postgres => {
            let options: sqlx::postgres::PgPoolOptions = sqlx::pool::PoolOptions::new().max_connections(3).acquire_timeout(Duration::from_secs(5));
            let pool = options.connect(&config.database_url).await.map_err(|e| StartError::Fanout(e.to_string()))?;
            Some((app::chat::pg_fanout::PgFanout::start(pool.clone()), pool))
        }
    };
    let chat = match &pg_fanout {
        None => std::sync::Arc::new(app::chat::fanout::ChatHub::default()),
        Some((fanout, _)) => std::sync::Arc::new(app::chat::fanout::ChatHub::new(fanout.clone())),
    };
    let state = AppState {
        db,
        secure_cookies: config.secure_cookies,
        faq,
        chat,
        session_lifetime_ms: config.session_lifetime.as_millis().min(i64::MAX as u128) as i64,
        limits: std::sync::Arc::new(app::limits::Limits::default()),
        mail: std::sync::Arc::new(
            app::mail::Mailer::new(&config.mail_from, &config.public_url, config.smtp_url.as_deref(), config.outbox_dir.clone(), ca_pem.as_deref())?
                .with_files(files.clone()),
        ),
        files,
        inbound: config.inbound,
        attach: config.attach,
        secrets,
        assets: std::sync::Arc::new(app::assets::Assets::of_this_build("cybercenter", &config.site_root)),
        clock: app::store::Clock::default(),
    };
    if let Some((fanout, pool)) = pg_fanout {
        fanout.listen(pool, app::chat::pg_fanout::Links { hub: std::sync::Arc::downgrade(&state.chat), faq: state.faq.clone(), db: state.db.clone() });
    }
    crate::workers::spawn(state.clone());
    if let Some(path) = config.e5_model.clone() {
        tokio::spawn(start_semantic(state.clone(), path));
    }
    let options = LeptosOptions::builder()
        .output_name("cybercenter")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        // the hydration scripts link the hashed JS and WASM when the build wrote hashes
        .hash_files(state.assets.hashed)
        .build();

    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_context(app::auth::guard::RequestUser::default());
            provide_context(app::ui::hydration::Preloaded::default());
        }
    };
    let app_fn = {
        let options = options.clone();
        move || shell(options.clone())
    };
    let not_found = leptos_axum::render_app_async_with_context(context.clone(), app_fn.clone());

    let pkg_dir = format!("{}/pkg", config.site_root);
    // content-hashed names never change: cached for a year; unhashed ones (a dev build) are
    // revalidated on every use
    let pkg_cache = if state.assets.hashed { "public, max-age=31536000, immutable" } else { "no-cache" };
    let static_files = Router::new()
        .fallback_service(ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip())
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(pkg_cache)))
        // a cache must keep the brotli, gzip and plain answers apart
        .layer(SetResponseHeaderLayer::appending(header::VARY, HeaderValue::from_static("accept-encoding")));

    let router = Router::new()
        .route("/healthz", get({
            let (db, chat, faq) = (state.db.clone(), state.chat.clone(), state.faq.clone());
            move || healthz(db.clone(), chat.clone(), faq.clone())
        }))
        .route(
            "/faq/pack",
            get({
                let faq = state.faq.clone();
                let packed = std::sync::Arc::new(PackCache::default());
                move |headers: axum::http::HeaderMap| faq_pack(faq.clone(), packed.clone(), headers)
            }),
        )
        .route(
            "/admin/analytics.csv",
            get({
                let state = state.clone();
                move |session: tower_sessions::Session, axum::extract::Query(q): axum::extract::Query<crate::exports::VolumeQuery>| {
                    crate::exports::report_csv(state.clone(), session, q, crate::exports::Report::Volume)
                }
            }),
        )
        .route(
            "/admin/service.csv",
            get({
                let state = state.clone();
                move |session: tower_sessions::Session, axum::extract::Query(q): axum::extract::Query<crate::exports::VolumeQuery>| {
                    crate::exports::report_csv(state.clone(), session, q, crate::exports::Report::Service)
                }
            }),
        )
        .route(
            "/admin/staffing.csv",
            get({
                let state = state.clone();
                move |session: tower_sessions::Session, axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>| {
                    crate::exports::staffing_csv(state.clone(), session, q)
                }
            }),
        )
        .route(
            "/mail/inbound/{id}/original.eml",
            get({
                let state = state.clone();
                move |session: tower_sessions::Session, axum::extract::Path(id): axum::extract::Path<String>| {
                    crate::exports::inbound_original(state.clone(), session, id)
                }
            }),
        )
        .route(
            "/js/{name}",
            get(|axum::extract::Path(name): axum::extract::Path<String>| async move {
                // the one script file: its address carries its content hash, so it is cached for good
                if format!("/js/{name}") == app::ui::upload_script_src() {
                    (
                        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")],
                        app::ui::UPLOAD_SCRIPT,
                    )
                        .into_response()
                } else {
                    (StatusCode::NOT_FOUND, "not found").into_response()
                }
            }),
        )
        .route(
            "/attachments/{id}",
            get({
                let state = state.clone();
                move |session: tower_sessions::Session, axum::extract::Path(id): axum::extract::Path<String>| {
                    crate::attachments::download(state.clone(), session, id)
                }
            }),
        )
        .route(
            "/admin/voc.csv",
            get({
                let state = state.clone();
                move |session: tower_sessions::Session, axum::extract::Query(q): axum::extract::Query<crate::exports::VolumeQuery>| {
                    crate::exports::report_csv(state.clone(), session, q, crate::exports::Report::Voc)
                }
            }),
        )
        .route(
            "/ws/chats/{id}",
            get({
                let state = state.clone();
                move |ws: axum::extract::ws::WebSocketUpgrade,
                      axum::extract::Path(id): axum::extract::Path<i64>,
                      axum::extract::Query(resume): axum::extract::Query<crate::chat_ws::Resume>,
                      session: tower_sessions::Session,
                      headers: axum::http::HeaderMap| crate::chat_ws::upgrade(state.clone(), ws, id, resume, session, headers)
            }),
        )
        .leptos_routes_with_context(&options, routes, context, app_fn)
        .nest_service("/pkg", static_files)
        .fallback(move |req: Request<Body>| not_found(req))
        // leptos_routes also mounts every server function under /api with the same context
        .layer(sessions)
        .layer(axum::middleware::from_fn(refuse_cross_origin))
        // forms with attachments get a larger body and longer to arrive (a phone's upload)
        .layer(axum::middleware::from_fn_with_state(crate::middleware::UploadLimits::of(config.attach), crate::middleware::body_limits))
        // outside the timeout and the body limit: their 408 and 413 carry the secure headers too
        .layer(axum::middleware::from_fn_with_state(config.secure_cookies, security_headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(options);

    Ok(Built { router, connections: ConnectionLimits::of(config), state, demo_loaded })
}

/// The FAQ pack as sent: plain and gzip-compressed, made once per pack version (compressing a
/// 1,000-template pack takes tens of milliseconds; doing it per request made the pack the
/// cheapest way to burn the server's CPU).
#[derive(Default)]
struct PackCache {
    current: std::sync::Mutex<Option<std::sync::Arc<PackedFaq>>>,
}

struct PackedFaq {
    tag: String,
    plain: axum::body::Bytes,
    gzip: axum::body::Bytes,
}

impl PackCache {
    fn get(&self, faq: &app::faq::index::FaqLive) -> std::sync::Arc<PackedFaq> {
        let index = faq.current();
        let (bytes, tag) = index.pack_bytes();
        if let Some(p) = self.current.lock().unwrap_or_else(|p| p.into_inner()).as_ref().filter(|p| p.tag == tag) {
            return p.clone();
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::default());
        let gzip = match std::io::Write::write_all(&mut gz, &bytes).and_then(|()| gz.finish()) {
            Ok(v) => axum::body::Bytes::from(v),
            Err(_) => axum::body::Bytes::new(),
        };
        let packed = std::sync::Arc::new(PackedFaq { tag: tag.to_string(), plain: axum::body::Bytes::from(bytes.as_ref().clone()), gzip });
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = Some(packed.clone());
        packed
    }
}

/// The FAQ pack the browser uses for live suggestions and instant search (public: the same
/// questions and answers as the public FAQ page). Revalidated on every page load by its entity
/// tag, so a template saved a second ago is there on the next page and an unchanged pack costs
/// a 304.
async fn faq_pack(faq: std::sync::Arc<app::faq::index::FaqLive>, cache: std::sync::Arc<PackCache>, headers: axum::http::HeaderMap) -> axum::response::Response {
    let packed = cache.get(&faq);
    let etag = format!("\"{}\"", packed.tag);
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag));
    let common = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, "no-cache".to_string()),
        (header::VARY, "accept-encoding".to_string()),
    ];
    if cached {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    let gzip_ok = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.split(';').next().is_some_and(|name| name.trim().eq_ignore_ascii_case("gzip"))));
    if gzip_ok && !packed.gzip.is_empty() {
        (common, [(header::CONTENT_TYPE, "application/octet-stream"), (header::CONTENT_ENCODING, "gzip")], packed.gzip.clone()).into_response()
    } else {
        (common, [(header::CONTENT_TYPE, "application/octet-stream")], packed.plain.clone()).into_response()
    }
}

/// Whether this server can answer: 200 when its database answers, 503 when not; the body names
/// the backend (`{"status":"ok","backend":"sqlite"}`), for a load balancer's check and for people.
async fn healthz(db: app::store::Db, chat: std::sync::Arc<app::chat::fanout::ChatHub>, faq: std::sync::Arc<app::faq::index::FaqLive>) -> impl IntoResponse {
    let backend = app::store::Backend::of(&db).name();
    let (status, word) = if app::store::is_reachable(&db).await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    };
    // on PostgreSQL: whether this server hears the others (live chat across servers)
    let listener = match chat.fanout.linked() {
        None => String::new(),
        Some(true) => r#","listener":"connected""#.to_string(),
        Some(false) => r#","listener":"reconnecting""#.to_string(),
    };
    // which FAQ heads answer now: "semantic" once the encoder is loaded and the blend trained;
    // "overflowed": inquiries left to the agents because the semantic queue was full
    let heads = if faq.current().has_semantic() { "semantic" } else { "lexical" };
    let overflowed = faq.semantic.overflowed.load(std::sync::atomic::Ordering::Relaxed);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        format!(r#"{{"status":"{word}","backend":"{backend}"{listener},"faq":"{heads}","faq_overflowed":{overflowed}}}"#),
    )
}

/// How the server treats connections: a cap on how many are open at once (beyond it a new one
/// gets a short 503 and is closed), and how long a client may take to send a request's headers —
/// also how long an idle keep-alive connection stays open, since hyper's header timer starts as
/// soon as the connection waits for its next request.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub header_timeout: Duration,
}

impl ConnectionLimits {
    pub fn of(config: &Config) -> ConnectionLimits {
        ConnectionLimits { max_connections: config.max_connections, header_timeout: config.header_timeout }
    }
}

/// Binds and serves until `shutdown` completes; in-flight requests finish first.
pub async fn serve(
    router: Router,
    addr: SocketAddr,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| StartError::Bind { addr, source })?;
    serve_on(listener, router, limits, shutdown).await
}

/// What a connection beyond the cap is told before it is closed.
const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 44\r\n\r\nthe server is at its connection limit; retry";

/// Serves connections from `listener` with hyper's HTTP/1 server directly (axum's `serve` runs
/// hyper without a timer, so no header timeout ever fires): a header read timeout, the
/// connection cap, TCP_NODELAY, the client's address for every request, WebSocket upgrades
/// (an upgraded socket keeps its place under the cap until it closes).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tokio::io::AsyncWriteExt;

    let places = std::sync::Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    // every connection task holds a clone; when all are gone the receiver sees the end
    let (alive_tx, mut alive_rx) = tokio::sync::mpsc::channel::<()>(1);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                // out of file descriptors and the like: wait a little instead of spinning
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(place) = places.clone().try_acquire_owned() else {
            tracing::warn!(%peer, max = limits.max_connections, "connection refused: at the connection limit");
            tokio::spawn(async move {
                let mut stream = stream;
                let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(REFUSAL)).await;
            });
            continue;
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(Counted { inner: stream, _place: place });
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: axum::http::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            let router = router.clone();
            async move { tower::ServiceExt::oneshot(router, req.map(Body::new)).await }
        });
        let mut stop = stop_rx.clone();
        let alive = alive_tx.clone();
        let header_timeout = limits.header_timeout;
        tokio::spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(io, service)
                .with_upgrades();
            let mut conn = std::pin::pin!(conn);
            let stopping = tokio::select! {
                _ = conn.as_mut() => false,
                stopped = stop.wait_for(|stopping| *stopping) => stopped.is_ok(),
            };
            if stopping {
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
            drop(alive);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(alive_tx);
    // in-flight requests finish (upgraded WebSockets are on their own by then)
    let _ = alive_rx.recv().await;
    Ok(())
}

/// A connection's socket together with its place under the connection cap: the place is given
/// back when the socket is dropped, also after a WebSocket upgrade took it over.
struct Counted {
    inner: tokio::net::TcpStream,
    _place: tokio::sync::OwnedSemaphorePermit,
}

impl tokio::io::AsyncRead for Counted {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Counted {
    fn poll_write(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>, buf: &[u8]) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_is_a_complete_http_response() {
        let text = std::str::from_utf8(REFUSAL).expect("ascii");
        let (head, body) = text.split_once("\r\n\r\n").expect("head and body");
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .and_then(|n| n.parse().ok())
            .expect("content length");
        assert_eq!(body.len(), length);
        assert!(head.starts_with("HTTP/1.1 503 "));
    }
}
