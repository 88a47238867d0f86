//! Server-side role guards: every server function starts with one of these.

use super::CurrentUser;
use crate::domain::roles::{Area, Role};
use crate::error::AppError;
use crate::state::AppState;
use tower_sessions::Session;

pub const USER_ID_KEY: &str = "uid";
/// The account's session epoch when this session signed in (see `users.session_epoch`).
const EPOCH_KEY: &str = "epoch";
/// When this session signed in (ms): sessions end after an absolute lifetime, however active.
const SINCE_KEY: &str = "since";

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| AppError::internal("session layer missing", e))
}

/// The signed-in user, if any. A session whose account was disabled or deleted counts as
/// signed out, so disabling an account ends its sessions at once. Looked up once per request:
/// rendering a page calls several server functions (the header's user, the page's data, …),
/// and each asks.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let memo = leptos::prelude::use_context::<RequestUser>();
    let lookup = || async {
        let session = session().await?;
        let state = AppState::get()?;
        session_user(&state, &session).await
    };
    match memo {
        Some(memo) => memo.0.get_or_try_init(lookup).await.cloned(),
        None => lookup().await,
    }
}

/// The signed-in user of one request, once known (provided fresh for every request by the
/// server). A request that signs in or out reads the session itself, not this.
#[derive(Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::OnceCell<Option<CurrentUser>>>);

/// The enabled account a session belongs to. A session of a disabled or deleted account, one
/// from before the account's last password change (its epoch moved on), or one older than the
/// absolute lifetime is emptied. For plain axum handlers (WebSocket, downloads) as much as for
/// server functions.
pub async fn session_user(state: &AppState, session: &Session) -> Result<Option<CurrentUser>, AppError> {
    Ok(session_account(state, session).await?.map(|a| a.user))
}

/// A signed-in session's account and what the session knows of it.
pub struct SessionAccount {
    pub user: CurrentUser,
    pub epoch: i64,
    /// When the session signed in (ms).
    pub since: i64,
}

pub async fn session_account(state: &AppState, session: &Session) -> Result<Option<SessionAccount>, AppError> {
    let Some(user_id) = session.get::<i64>(USER_ID_KEY).await? else {
        return Ok(None);
    };
    let epoch = session.get::<i64>(EPOCH_KEY).await?.unwrap_or(0);
    let now = state.clock.now_ms();
    let since = match session.get::<i64>(SINCE_KEY).await? {
        Some(t) => t,
        None => {
            // a session from before lifetimes were kept: its lifetime starts now
            session.insert(SINCE_KEY, now).await?;
            now
        }
    };
    match still_signed_in(state, user_id, epoch, since).await? {
        Some(user) => Ok(Some(SessionAccount { user, epoch, since })),
        None => {
            session.flush().await?;
            Ok(None)
        }
    }
}

/// The account of a session that signed in at `since` under `epoch`, if that session still
/// counts: the account is enabled, its epoch has not moved on, and the absolute lifetime has not
/// passed. The one rule for requests and for live chat connections checking themselves again.
pub async fn still_signed_in(state: &AppState, user_id: i64, epoch: i64, since: i64) -> Result<Option<CurrentUser>, AppError> {
    if state.clock.now_ms() - since >= state.session_lifetime_ms {
        return Ok(None);
    }
    Ok(crate::store::users::find_active(&state.db, user_id).await?.filter(|(_, current)| *current == epoch).map(|(user, _)| user))
}

/// Signs `user_id` in on this session under a fresh id (a session id planted before sign-in is
/// worth nothing after it), with the account's current epoch and a new lifetime.
pub async fn sign_in(session: &Session, user_id: i64, epoch: i64, now: i64) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.insert(USER_ID_KEY, user_id).await?;
    session.insert(EPOCH_KEY, epoch).await?;
    session.insert(SINCE_KEY, now).await?;
    Ok(())
}

/// Keeps this session signed in after its account's epoch moved on (the password was changed
/// here): a fresh id, the new epoch; its lifetime is kept.
pub async fn carry_over(session: &Session, epoch: i64) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.insert(EPOCH_KEY, epoch).await?;
    Ok(())
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

// ---- the one guard shape: every server function of an area starts with its `require()` ----

/// A signed-in customer's request (401/403 for anyone else): the account, its customer record,
/// the server's state and the request's time (read once, passed down to every write).
pub struct CustomerCtx {
    pub user: CurrentUser,
    pub customer_id: i64,
    pub state: AppState,
    pub now: i64,
}

impl CustomerCtx {
    pub async fn require() -> Result<CustomerCtx, AppError> {
        let user = require_area(Area::Customer).await?;
        let state = AppState::get()?;
        // read with the account; a customer account without its record is not found
        let customer_id = user.customer_id.ok_or(AppError::NotFound)?;
        let now = state.clock.now_ms();
        Ok(CustomerCtx { user, customer_id, state, now })
    }
}

/// A console request by an agent or an admin (401/403 for anyone else). `actor` is what the
/// store's access checks take: agents act on their groups' inquiries, admins on all.
pub struct AgentCtx {
    pub user: CurrentUser,
    pub actor: crate::store::workspace::Actor,
    pub state: AppState,
    pub now: i64,
}

impl AgentCtx {
    pub async fn require() -> Result<AgentCtx, AppError> {
        let user = require_area(Area::Agent).await?;
        let state = AppState::get()?;
        let actor = crate::store::workspace::Actor { user_id: user.id, is_admin: user.role == Role::Admin };
        let now = state.clock.now_ms();
        Ok(AgentCtx { user, actor, state, now })
    }
}

/// An admin's request (401/403 for anyone else).
pub struct AdminCtx {
    pub user: CurrentUser,
    pub state: AppState,
    pub now: i64,
}

impl AdminCtx {
    pub async fn require() -> Result<AdminCtx, AppError> {
        let user = require_role(Role::Admin).await?;
        let state = AppState::get()?;
        let now = state.clock.now_ms();
        Ok(AdminCtx { user, state, now })
    }
}
