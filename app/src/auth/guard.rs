//! Server-side role guards: every server function starts with one of these.

use super::CurrentUser;
use crate::domain::roles::{Area, Role};
use crate::error::AppError;
use crate::state::AppState;
use tower_sessions::Session;

pub const USER_ID_KEY: &str = "uid";

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| AppError::internal("session layer missing", e))
}

/// The signed-in user, if any. A session whose account was disabled or deleted counts as
/// signed out, so disabling an account ends its sessions at once.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let session = session().await?;
    let state = AppState::get()?;
    session_user(&state, &session).await
}

/// The enabled account a session belongs to; a session of a disabled or deleted account is
/// emptied. For plain axum handlers (WebSocket, downloads) as much as for server functions.
pub async fn session_user(state: &AppState, session: &Session) -> Result<Option<CurrentUser>, AppError> {
    let Some(user_id) = session.get::<i64>(USER_ID_KEY).await? else {
        return Ok(None);
    };
    let user = crate::db::users::find_active(&state.db, user_id).await?;
    if user.is_none() {
        session.flush().await?;
    }
    Ok(user)
}

/// 401 unless signed in.
pub async fn require_user() -> Result<CurrentUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

/// 401 unless signed in, 403 unless the role may use the area.
pub async fn require_area(area: Area) -> Result<CurrentUser, AppError> {
    let user = require_user().await?;
    if user.role.may_enter(area) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// 401/403 unless the user has exactly this role.
pub async fn require_role(role: Role) -> Result<CurrentUser, AppError> {
    let user = require_user().await?;
    if user.role == role {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// True when the request is a plain HTML form post (no JavaScript): it expects a redirect.
pub fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// The client's address for throttling (the peer address the server accepted).
pub fn client_address() -> String {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// The language remembered in this request's cookie, if any.
pub fn request_cookie_locale() -> Option<crate::i18n::Locale> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).and_then(crate::i18n::locale::from_cookie_header))
}

/// The signed-in customer and their customer id (401/403 for anyone else).
pub async fn require_customer() -> Result<(CurrentUser, i64, AppState), AppError> {
    let user = require_area(Area::Customer).await?;
    let state = AppState::get()?;
    let customer_id = crate::db::customers::id_for_user(&state.db, user.id).await?;
    Ok((user, customer_id, state))
}
