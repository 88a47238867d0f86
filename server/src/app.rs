//! Router assembly: Leptos pages and server functions, static files, health, and the layers
//! every request passes (logging, body limit, timeout, cross-origin refusal, sessions).

use crate::config::Config;
use crate::middleware::{refuse_cross_origin, server_fn_error_status};
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
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{ExpiredDeletion, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;
use tracing::Level;

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
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
}

/// Everything a running server needs, built from the configuration.
pub struct Built {
    pub router: Router,
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
    let db = app::db::connect_and_migrate(&config.database_url).await?;
    let demo_loaded = if config.demo_data {
        app::db::demo::load_if_empty(&db).await.map_err(|e| StartError::Demo(e.to_string()))?
    } else {
        false
    };

    let store = SqliteStore::new(db.clone());
    store.migrate().await.map_err(|e| StartError::Sessions(e.to_string()))?;
    tokio::spawn(store.clone().continuously_delete_expired(Duration::from_secs(3600)));
    let sessions = SessionManagerLayer::new(store)
        .with_name("cc_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::days(7)));

    let faq = std::sync::Arc::new(app::faq::index::FaqLive::default());
    let index = faq.rebuild(&db).await.map_err(|e| StartError::Faq(e.to_string()))?;
    tracing::info!(templates = index.template_count(), examples = index.example_count(), "FAQ index built");
    let state = AppState { db, secure_cookies: config.secure_cookies, faq, chat: std::sync::Arc::new(app::chat::fanout::ChatHub::default()) };
    crate::workers::spawn(state.clone());
    let options = LeptosOptions::builder()
        .output_name("cybercenter")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .build();

    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let app_fn = {
        let options = options.clone();
        move || shell(options.clone())
    };
    let not_found = leptos_axum::render_app_async_with_context(context.clone(), app_fn.clone());

    let pkg_dir = format!("{}/pkg", config.site_root);
    let static_files = Router::new()
        .fallback_service(ServeDir::new(pkg_dir).precompressed_gzip().precompressed_br())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        ));

    let router = Router::new()
        .route("/healthz", get({
            let db = state.db.clone();
            move || healthz(db.clone())
        }))
        .route(
            "/faq/pack",
            get({
                let faq = state.faq.clone();
                move |headers: axum::http::HeaderMap| faq_pack(faq.clone(), headers)
            })
            .layer(tower_http::compression::CompressionLayer::new()),
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
        .layer(axum::middleware::from_fn(server_fn_error_status))
        .layer(sessions)
        .layer(axum::middleware::from_fn(refuse_cross_origin))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(options);

    Ok(Built { router, state, demo_loaded })
}

/// The FAQ pack the browser uses for live suggestions and instant search (public: the same
/// questions and answers as the public FAQ page). Revalidated on every page load by its entity
/// tag, so a template saved a second ago is there on the next page and an unchanged pack costs
/// a 304.
async fn faq_pack(faq: std::sync::Arc<app::faq::index::FaqLive>, headers: axum::http::HeaderMap) -> axum::response::Response {
    let index = faq.current();
    let (bytes, tag) = index.pack_bytes();
    let etag = format!("\"{tag}\"");
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag));
    let common = [(header::ETAG, etag.clone()), (header::CACHE_CONTROL, "no-cache".to_string())];
    if cached {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (common, [(header::CONTENT_TYPE, "application/octet-stream")], bytes.as_ref().clone()).into_response()
}

async fn healthz(db: app::db::Db) -> impl IntoResponse {
    if app::db::is_reachable(&db).await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}

/// Binds and serves until `shutdown` completes; in-flight requests finish first.
pub async fn serve(
    router: Router,
    addr: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| StartError::Bind { addr, source })?;
    serve_on(listener, router, shutdown).await
}

pub async fn serve_on(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let addr = listener.local_addr().map_err(|source| StartError::Bind { addr: ([0, 0, 0, 0], 0).into(), source })?;
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|source| StartError::Bind { addr, source })
}
