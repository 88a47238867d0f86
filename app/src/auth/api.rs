//! Server functions for accounts: who am I, log in, register, log out, change password, language.

use super::CurrentUser;
use crate::error::AppError;
use crate::i18n::Locale;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::guard::{self, USER_ID_KEY},
    super::password,
    crate::chat::fanout::AccessChange,
    crate::db::{self, login_attempts, users},
    crate::domain::validation,
    crate::error::{FieldCode, Limited},
    crate::state::AppState,
};

/// The signed-in user, or `None`. Never an error for a signed-out visitor.
#[server(endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    guard::current_user().await
}

/// Sends a plain form post to `path`; a JavaScript caller gets `path` back and navigates itself.
#[cfg(feature = "ssr")]
pub fn finish_with_redirect(path: String) -> Result<String, AppError> {
    redirect_plain_post(&path);
    Ok(path)
}

/// A plain form post (no JavaScript) goes on to `path`, e.g. a page with a "saved" notice;
/// other callers get the result as data.
#[cfg(feature = "ssr")]
pub fn redirect_plain_post(path: &str) {
    if guard::is_plain_form_post() {
        leptos_axum::redirect(path);
    }
}

/// Logs in. Returns where to go next. A wrong email and a wrong password fail the same way;
/// too many failures slow down that account from that address (see `domain::throttle`).
#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<String, AppError> {
    let state = AppState::get()?;
    // Something that cannot be any account's email (too long, not an address, hidden
    // characters) gets the same answer as a wrong password, and nothing is stored or hashed.
    let key = match validation::validate_email(&email) {
        Ok(valid) => validation::email_key(&valid),
        Err(_) => return Err(AppError::BadCredentials),
    };
    if password.is_empty() || password.chars().count() > validation::PASSWORD_MAX_CHARS {
        return Err(AppError::BadCredentials);
    }
    let ip = guard::client_address();
    let now = db::now_ms();
    // counted and recorded as a failure before the hash, in one transaction: parallel guesses
    // cannot all pass the same count
    let attempt = match login_attempts::reserve(&state.db, &key, &ip, now).await? {
        login_attempts::Reservation::Go(id) => id,
        login_attempts::Reservation::Wait(retry_after_s) => {
            return Err(AppError::RateLimited { retry_after_s, what: Limited::Login })
        }
    };

    let record = users::find_for_login(&state.db, &key).await?;
    let ok = match &record {
        Some(r) => password::verify(password, r.password_hash.clone()).await? && !r.disabled,
        None => {
            password::verify_dummy(password).await?;
            false
        }
    };
    let record = match record {
        Some(r) if ok => r,
        _ => return Err(AppError::BadCredentials),
    };
    login_attempts::succeeded(&state.db, attempt).await?;

    let session = guard::session().await?;
    guard::sign_in(&session, record.id, record.session_epoch).await?;
    // A language chosen on this device wins and becomes the account's; otherwise the device
    // takes the account's language.
    match guard::request_cookie_locale() {
        Some(chosen) if chosen != record.locale => users::set_locale(&state.db, record.id, chosen).await?,
        Some(_) => {}
        None => set_locale_cookie(&state, record.locale),
    }
    let target = validation::safe_return_path(next.as_deref())
        .unwrap_or_else(|| record.role.home_path().to_string());
    finish_with_redirect(target)
}

/// Registers a customer account (staff accounts are created by admins) and signs it in.
/// Everything cheap comes first (fields, the per-address limit, whether the email is free), so
/// bad input costs no hash; a taken email still costs one (a throwaway verification), so the
/// answer takes as long as a registration.
#[server(endpoint = "register")]
pub async fn register(
    name: String,
    email: String,
    password: String,
    password_confirm: String,
) -> Result<String, AppError> {
    let state = AppState::get()?;
    let form = validation::validate_registration(&name, &email, &password, &password_confirm)
        .map_err(AppError::Invalid)?;
    if let Some(retry_after_s) = state.limits.registrations.check(&guard::client_address(), db::now_ms()) {
        return Err(AppError::RateLimited { retry_after_s, what: Limited::Registration });
    }
    if users::email_exists(&state.db, &validation::email_key(&form.email)).await? {
        password::verify_dummy(form.password).await?;
        return Err(AppError::invalid("email", FieldCode::EmailTaken));
    }
    let locale = crate::i18n::initial_locale();
    let hash = password::hash(form.password).await?;
    let user_id = users::create_customer(&state.db, &form.name, &form.email, &hash, locale).await?;
    let session = guard::session().await?;
    guard::sign_in(&session, user_id, 0).await?;
    finish_with_redirect("/my".to_string())
}

/// Logs out: the session is deleted from the store, so its cookie is worth nothing afterwards,
/// and the chat connections opened with it close.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<String, AppError> {
    let session = guard::session().await?;
    let user_id = session.get::<i64>(USER_ID_KEY).await?;
    let id = session.id().map(|id| id.to_string());
    session.flush().await?;
    if let (Some(user_id), Some(session)) = (user_id, id) {
        if let Ok(state) = AppState::get() {
            state.chat.access_changed(AccessChange::SessionEnded { user_id, session });
        }
    }
    finish_with_redirect("/".to_string())
}

/// Changes the signed-in user's password after checking the current one. Every other session of
/// the account ends (and its chat connections close); this one stays signed in under a new id.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    let user = guard::require_user().await?;
    let state = AppState::get()?;
    if let Err(code) = validation::validate_password(&new_password) {
        return Err(AppError::invalid("new_password", code));
    }
    if new_password != new_password_confirm {
        return Err(AppError::invalid("new_password_confirm", FieldCode::PasswordMismatch));
    }
    let stored = users::password_hash(&state.db, user.id).await?;
    if current_password.chars().count() > validation::PASSWORD_MAX_CHARS
        || !password::verify(current_password, stored).await?
    {
        return Err(AppError::invalid("current_password", FieldCode::WrongPassword));
    }
    let hash = password::hash(new_password).await?;
    let epoch = users::set_password_hash(&state.db, user.id, &hash).await?;
    guard::carry_over(&guard::session().await?, epoch).await?;
    state.chat.access_changed(AccessChange::Account(user.id));
    redirect_plain_post("/account/password?done=password");
    Ok(())
}

#[cfg(feature = "ssr")]
fn set_locale_cookie(state: &AppState, locale: Locale) {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        crate::i18n::LOCALE_COOKIE,
        locale.code()
    );
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        res.append_header(http::header::SET_COOKIE, value);
    }
}

/// Remembers the chosen language (cookie; and on the account when signed in).
#[server(endpoint = "set_locale")]
pub async fn set_locale(locale: String) -> Result<Locale, AppError> {
    let locale = Locale::parse(&locale).ok_or_else(|| AppError::invalid("locale", FieldCode::InvalidChoice))?;
    let state = AppState::get()?;
    set_locale_cookie(&state, locale);
    if let Some(user) = guard::current_user().await? {
        users::set_locale(&state.db, user.id, locale).await?;
    }
    Ok(locale)
}
