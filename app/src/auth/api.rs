//! Server functions for accounts: who am I, log in, register (and confirm by mail), log out,
//! change password, language.

use super::CurrentUser;
use crate::error::AppError;
use crate::i18n::Locale;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::guard::{self, USER_ID_KEY},
    super::password,
    crate::chat::fanout::AccessChange,
    crate::store::{self, login_attempts, users},
    crate::domain::validation,
    crate::error::{FieldCode, Limited},
    crate::store::confirmations::{self, NewConfirmation, Purpose},
    crate::mail::outbox::{self, Recipient},
    crate::mail::templates::Template,
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
    if crate::error::is_plain_form_post() {
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
    let now = state.clock.now_ms();
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
    guard::sign_in(&session, record.id, record.session_epoch, state.clock.now_ms()).await?;
    // A language chosen on this device wins and becomes the account's; otherwise the device
    // takes the account's language.
    match guard::request_cookie_locale() {
        Some(chosen) if chosen != record.locale => users::set_locale(&state.db, record.id, chosen, state.clock.now_ms()).await?,
        Some(_) => {}
        None => set_locale_cookie(&state, record.locale),
    }
    let target = validation::safe_return_path(next.as_deref())
        .unwrap_or_else(|| record.role.home_path().to_string());
    finish_with_redirect(target)
}

/// Registers a customer account (staff accounts are created by admins), in two steps so the
/// answer never tells whether an address has an account: every valid form gets "check your
/// inbox". A new address gets a link that finishes the registration ([`confirm_registration`]);
/// an address with an account gets a mail saying so. Both paths cost one hash, so they also take
/// as long. Cheap checks (fields, the per-address limit) come first, so bad input costs none.
#[server(endpoint = "register")]
pub async fn register(
    name: String,
    email: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let state = AppState::get()?;
    let form = validation::validate_registration(&name, &email, &password, &password_confirm)
        .map_err(AppError::Invalid)?;
    let now = state.clock.now_ms();
    if let Some(retry_after_s) = state.limits.registrations.check(&guard::client_address(), now) {
        return Err(AppError::RateLimited { retry_after_s, what: Limited::Registration });
    }
    match users::find_for_login(&state.db, &validation::email_key(&form.email)).await? {
        Some(existing) => {
            password::verify_dummy(form.password).await?;
            let login_link = format!("{}/login", state.mail.public_url);
            let mut tx = store::write_tx(&state.db).await?;
            let template = Template::RegistrationExisting { login_link: &login_link };
            outbox::queue(&mut tx, &state.mail, Recipient { address: &form.email, locale: existing.locale, user_id: Some(existing.id) }, template, now).await?;
            tx.commit().await?;
        }
        None => {
            let hash = password::hash(form.password).await?;
            let (token, token_hash) = crate::mail::new_token()?;
            let link = state.mail.link("/register/confirm", &token);
            let locale = crate::i18n::initial_locale();
            let mut tx = store::write_tx(&state.db).await?;
            let template = Template::RegistrationLink { name: &form.name, link: &link };
            // a link is kept only if its mail goes out (an address gets a few an hour)
            if outbox::queue(&mut tx, &state.mail, Recipient { address: &form.email, locale, user_id: None }, template, now).await?.is_queued() {
                let pending = NewConfirmation {
                    purpose: Purpose::Registration,
                    token_hash: &token_hash,
                    email: &form.email,
                    user_id: None,
                    display_name: Some(&form.name),
                    password_hash: Some(&hash),
                    locale,
                };
                confirmations::insert(&mut tx, pending, now, crate::mail::LINK_LIFETIME_MS).await?;
            }
            tx.commit().await?;
        }
    }
    state.mail.queued();
    redirect_plain_post("/register?done=sent");
    Ok(())
}

/// The address a registration link is for, or `None` when the link does not work (unknown,
/// used, expired). Reading it changes nothing: mail scanners open links too.
#[server(endpoint = "registration_link")]
pub async fn registration_link(token: String) -> Result<Option<String>, AppError> {
    let state = AppState::get()?;
    let found = confirmations::find_valid(&state.db, Purpose::Registration, &crate::mail::token_hash(&token), state.clock.now_ms()).await?;
    Ok(found.map(|c| c.email))
}

/// Finishes a registration from its mailed link: creates the account as it was entered and
/// signs it in. The link works once; an address that got an account meanwhile is refused.
#[server(endpoint = "confirm_registration")]
pub async fn confirm_registration(token: String) -> Result<String, AppError> {
    let state = AppState::get()?;
    let now = state.clock.now_ms();
    let mut tx = store::write_tx(&state.db).await?;
    let found = confirmations::find_valid(&mut *tx, Purpose::Registration, &crate::mail::token_hash(&token), now).await?;
    let Some(pending) = found else {
        return Err(AppError::invalid("token", FieldCode::LinkInvalid));
    };
    let (Some(name), Some(hash)) = (pending.display_name.as_deref(), pending.password_hash.as_deref()) else {
        return Err(AppError::internal("email_confirmations", "registration without name or password"));
    };
    let key = validation::email_key(&pending.email);
    let user_id = match users::mail_only_id(&mut *tx, &key).await? {
        // the address wrote to us by mail before: the link proved it, so the account (with
        // its inquiries) becomes this person's
        Some(id) => {
            users::claim_mail_only(&mut tx, id, name, hash, pending.locale, now).await?;
            id
        }
        None if users::email_exists(&mut *tx, &key).await? => return Err(AppError::invalid("token", FieldCode::EmailTaken)),
        None => users::create_customer(&mut tx, name, &pending.email, hash, pending.locale, now).await?,
    };
    confirmations::use_up(&mut tx, &pending, Purpose::Registration, now).await?;
    tx.commit().await?;
    let session = guard::session().await?;
    guard::sign_in(&session, user_id, 0, state.clock.now_ms()).await?;
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
/// The account's address gets a security notice.
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
    let mut tx = store::write_tx(&state.db).await?;
    let epoch = users::set_password_hash(&mut *tx, user.id, &hash, state.clock.now_ms()).await?;
    let notice = Template::PasswordChanged { name: &user.name };
    outbox::queue(&mut tx, &state.mail, Recipient { address: &user.email, locale: user.locale, user_id: Some(user.id) }, notice, state.clock.now_ms()).await?;
    tx.commit().await?;
    state.mail.queued();
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
        users::set_locale(&state.db, user.id, locale, state.clock.now_ms()).await?;
    }
    Ok(locale)
}
