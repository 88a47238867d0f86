//! The customer's profile and contact consent, and changing the sign-in email.

#[cfg(feature = "ssr")]
use crate::auth::guard::CustomerCtx;
use crate::auth::pages::Guarded;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{field_errors, format_datetime, FormAlert, PageError, SubmitButton, TextField};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub given: bool,
    /// When it was last given or withdrawn.
    pub at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub email: String,
    pub customer_no: String,
    /// As shown (national format for Korean numbers).
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub locale: Locale,
    pub email_consent: Consent,
    pub sms_consent: Consent,
}

#[server(endpoint = "my_profile")]
pub async fn get_my_profile() -> Result<Profile, AppError> {
    let CustomerCtx { user, customer_id, state, .. } = CustomerCtx::require().await?;
    super::queries::profile(&state.db, customer_id, &user.email).await
}

/// Saves the whole profile or nothing: every field is checked first, and a rejected save
/// changes nothing.
#[server(endpoint = "update_profile")]
pub async fn update_profile(
    name: String,
    phone: String,
    postal_code: String,
    address_line1: String,
    address_line2: String,
    locale: String,
) -> Result<(), AppError> {
    let CustomerCtx { user, customer_id, state, now } = CustomerCtx::require().await?;
    let profile = crate::domain::profile::validate_profile(&name, &phone, &postal_code, &address_line1, &address_line2, &locale)
        .map_err(AppError::Invalid)?;
    crate::store::customers::update_profile(&state.db, user.id, customer_id, &profile, now).await?;
    crate::auth::api::redirect_plain_post("/my/profile?done=profile");
    Ok(())
}

/// Gives or withdraws one consent ("email" or "sms"), recording when.
#[server(endpoint = "set_consent")]
pub async fn set_consent(channel: String, given: bool) -> Result<(), AppError> {
    let CustomerCtx { customer_id, state, now, .. } = CustomerCtx::require().await?;
    if channel != "email" && channel != "sms" {
        return Err(AppError::invalid("channel", crate::error::FieldCode::InvalidChoice));
    }
    crate::store::customers::set_consent(&state.db, customer_id, &channel, given, now).await
}

/// Asks to change the sign-in email, after the password is confirmed. Nothing changes yet: the
/// new address gets a link ([`confirm_email_change`]) and the change happens when it is opened,
/// so an account can only move to an address its owner reads. The answer is the same whether
/// or not another account uses the address (that address is told instead), so the form cannot
/// be used to find out who has an account.
#[server(endpoint = "change_email")]
pub async fn change_email(new_email: String, password: String) -> Result<(), AppError> {
    use crate::store::confirmations::{self, NewConfirmation, Purpose};
    use crate::mail::outbox::{self, Recipient};
    use crate::domain::validation;
    use crate::error::FieldCode;
    use crate::mail::templates::Template;
    let CustomerCtx { user, state, now, .. } = CustomerCtx::require().await?;
    let email = validation::validate_email(&new_email).map_err(|c| AppError::invalid("new_email", c))?;
    let key = validation::email_key(&email);
    if key == validation::email_key(&user.email) {
        return Err(AppError::invalid("new_email", FieldCode::SameEmail));
    }
    // each request costs a hash and sends mail: a few an hour
    if let Some(retry_after_s) = state.limits.email_changes.check(&user.id.to_string(), now) {
        return Err(AppError::RateLimited { retry_after_s, what: crate::error::Limited::EmailChanges });
    }
    let stored = crate::store::users::password_hash(&state.db, user.id).await?;
    if password.chars().count() > validation::PASSWORD_MAX_CHARS || !crate::auth::password::verify(password, stored).await? {
        return Err(AppError::invalid("password", FieldCode::WrongPassword));
    }
    let mut tx = crate::store::write_tx(&state.db).await?;
    if crate::store::users::email_exists(&mut *tx, &key).await? {
        outbox::queue(&mut tx, &state.mail, Recipient { address: &email, locale: user.locale, user_id: None }, Template::EmailChangeTaken, now).await?;
    } else {
        let (token, token_hash) = crate::mail::new_token()?;
        let link = state.mail.link("/account/email", &token);
        let template = Template::EmailChangeLink { name: &user.name, new_email: &email, link: &link };
        if outbox::queue(&mut tx, &state.mail, Recipient { address: &email, locale: user.locale, user_id: Some(user.id) }, template, now).await?.is_queued() {
            let pending = NewConfirmation {
                purpose: Purpose::EmailChange,
                token_hash: &token_hash,
                email: &email,
                user_id: Some(user.id),
                display_name: None,
                password_hash: None,
                locale: user.locale,
            };
            confirmations::insert(&mut tx, pending, now, crate::mail::LINK_LIFETIME_MS).await?;
        }
    }
    tx.commit().await?;
    state.mail.queued();
    crate::auth::api::redirect_plain_post("/my/profile?done=email-sent");
    Ok(())
}

/// The new address an email-change link is for, or `None` when the link does not work.
/// Reading it changes nothing (mail scanners open links too).
#[server(endpoint = "email_change_link")]
pub async fn email_change_link(token: String) -> Result<Option<String>, AppError> {
    use crate::store::confirmations::{self, Purpose};
    let state = crate::state::AppState::get()?;
    let hash = crate::mail::token_hash(&token);
    Ok(confirmations::find_valid(&state.db, Purpose::EmailChange, &hash, state.clock.now_ms()).await?.map(|c| c.email))
}

/// Completes an email change from the link mailed to the new address; works in any browser,
/// signed in or not. Every session of the account ends, except this one if it is the
/// account's; the old address gets a notice. Returns the new address.
#[server(endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<String, AppError> {
    use crate::auth::guard;
    use crate::store::confirmations::{self, Purpose};
    use crate::mail::outbox::{self, Recipient};
    use crate::store::users;
    use crate::error::FieldCode;
    use crate::mail::templates::Template;
    let state = crate::state::AppState::get()?;
    let session = guard::session().await?;
    let signed_in_as = guard::session_account(&state, &session).await?.map(|a| a.user.id);
    let now = state.clock.now_ms();
    let mut tx = crate::store::write_tx(&state.db).await?;
    let hash = crate::mail::token_hash(&token);
    let Some(change) = confirmations::find_valid(&mut *tx, Purpose::EmailChange, &hash, now).await? else {
        return Err(AppError::invalid("token", FieldCode::LinkInvalid));
    };
    let user_id = change.user_id.ok_or_else(|| AppError::internal("email_confirmations", "email change without account"))?;
    // a disabled or removed account cannot be moved
    let Some((old_email, name, locale)) = users::contact(&mut *tx, user_id).await? else {
        return Err(AppError::invalid("token", FieldCode::LinkInvalid));
    };
    let epoch = users::set_email(&mut *tx, user_id, &change.email, "token", now).await?;
    confirmations::use_up(&mut tx, &change, Purpose::EmailChange, now).await?;
    let notice = Template::EmailChanged { name: &name, new_email: &change.email };
    outbox::queue(&mut tx, &state.mail, Recipient { address: &old_email, locale, user_id: Some(user_id) }, notice, now).await?;
    tx.commit().await?;
    state.mail.queued();
    state.chat.access_changed(crate::chat::fanout::AccessChange::Account(user_id));
    if signed_in_as == Some(user_id) {
        guard::carry_over(&session, epoch).await?;
    }
    crate::auth::api::redirect_plain_post("/account/email?done=1");
    Ok(change.email)
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateProfile>::new();
    let consent = ServerAction::<SetConsent>::new();
    let email = ServerAction::<ChangeEmail>::new();
    let profile = Resource::new(
        move || (save.version().get(), consent.version().get(), email.version().get()),
        |_| get_my_profile(),
    );
    let done = leptos_router::hooks::use_query_map().read_untracked().get("done").unwrap_or_default();
    let (saved_before, email_before) = (done == "profile", done == "email-sent");
    let save_value = Signal::derive(move || save.value().get());
    let email_value = Signal::derive(move || email.value().get());
    let consent_value = Signal::derive(move || consent.value().get());
    view! {
        <Guarded area=Some(Area::Customer)>
            <section class="page-head">
                <h1>{move || i18n.t().profile_title()}</h1>
            </section>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match profile.await {
                        Ok(p) => {
                            let consent_row = move |channel: &'static str, label: &'static str, c: Consent| {
                                let state = match (c.given, c.at) {
                                    (true, Some(at)) => t.consent_given(&format_datetime(at)),
                                    (false, Some(at)) => t.consent_withdrawn(&format_datetime(at)),
                                    _ => t.consent_never().to_string(),
                                };
                                view! {
                                    <div class="consent-row">
                                        <div>
                                            <strong>{label}</strong>
                                            <p class="meta" data-consent=channel>{state}</p>
                                        </div>
                                        <ActionForm action=consent attr:class="inline-form">
                                            <input type="hidden" name="channel" value=channel />
                                            <input type="hidden" name="given" value=if c.given { "false" } else { "true" } />
                                            <button type="submit" aria-label=format!("{label}: {}", if c.given { t.withdraw() } else { t.agree() })>
                                                {if c.given { t.withdraw() } else { t.agree() }}
                                            </button>
                                        </ActionForm>
                                    </div>
                                }
                            };
                            view! {
                                <div class="panels">
                                    <section class="card" aria-labelledby="profile-form">
                                        <h2 id="profile-form">{t.profile_details()}</h2>
                                        <p class="meta">{t.customer_no()} " " {p.customer_no.clone()}</p>
                                        {move || (saved_before || matches!(save_value.get(), Some(Ok(())))).then(|| view! {
                                            <div class="alert success" role="status">{i18n.t().profile_saved()}</div>
                                        })}
                                        <FormAlert value=save_value />
                                        <ActionForm action=save>
                                            <TextField label=Signal::derive(move || i18n.t().name()) name="name" autocomplete="name" value=p.name.clone() errors=field_errors(save_value, "name") />
                                            <TextField label=Signal::derive(move || i18n.t().phone()) name="phone" kind="tel" autocomplete="tel" value=p.phone.clone().unwrap_or_default() hint=Signal::derive(move || i18n.t().phone_hint()) errors=field_errors(save_value, "phone") />
                                            <TextField label=Signal::derive(move || i18n.t().postal_code()) name="postal_code" autocomplete="postal-code" value=p.postal_code.clone().unwrap_or_default() errors=field_errors(save_value, "postal_code") />
                                            <TextField label=Signal::derive(move || i18n.t().address_line1()) name="address_line1" autocomplete="address-line1" value=p.address_line1.clone().unwrap_or_default() errors=field_errors(save_value, "address_line1") />
                                            <TextField label=Signal::derive(move || i18n.t().address_line2()) name="address_line2" autocomplete="address-line2" value=p.address_line2.clone().unwrap_or_default() errors=field_errors(save_value, "address_line2") />
                                            <div class="field">
                                                <label for="field-locale">{t.preferred_language()}</label>
                                                <select id="field-locale" name="locale">
                                                    <option value="ko" selected=p.locale == Locale::Ko>"한국어"</option>
                                                    <option value="en" selected=p.locale == Locale::En>"English"</option>
                                                </select>
                                            </div>
                                            <SubmitButton label=Signal::derive(move || i18n.t().save()) pending=save.pending().into() />
                                        </ActionForm>
                                    </section>
                                    <div>
                                        <section class="card" aria-labelledby="consent-title">
                                            <h2 id="consent-title">{t.consent_title()}</h2>
                                            <p class="aside">{t.consent_lead()}</p>
                                            <FormAlert value=consent_value />
                                            {consent_row("email", t.email_consent(), p.email_consent)}
                                            {consent_row("sms", t.sms_consent(), p.sms_consent)}
                                        </section>
                                        <section class="card" aria-labelledby="email-title">
                                            <h2 id="email-title">{t.change_email_title()}</h2>
                                            <p class="meta">{t.current_email()} " " <strong>{p.email.clone()}</strong></p>
                                            {move || (email_before || matches!(email_value.get(), Some(Ok(())))).then(|| view! {
                                                <div class="alert success" role="status">{i18n.t().email_change_sent()}</div>
                                            })}
                                            <FormAlert value=email_value />
                                            <ActionForm action=email>
                                                <TextField label=Signal::derive(move || i18n.t().new_email()) name="new_email" kind="email" autocomplete="email" errors=field_errors(email_value, "new_email") />
                                                <TextField label=Signal::derive(move || i18n.t().password_to_confirm()) name="password" kind="password" autocomplete="current-password" errors=field_errors(email_value, "password") />
                                                <SubmitButton label=Signal::derive(move || i18n.t().save()) pending=email.pending().into() />
                                            </ActionForm>
                                        </section>
                                    </div>
                                </div>
                            }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

/// The page an email-change mail links to: names the new address and makes the change with one
/// button (a form post: opening the link alone changes nothing). No sign-in needed: the link is
/// often opened on another device.
#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let token = query.read_untracked().get("token").unwrap_or_default();
    let done_before = query.read_untracked().get("done").is_some();
    let lookup = token.clone();
    let link = Resource::new(|| (), move |_| email_change_link(lookup.clone()));
    let action = ServerAction::<ConfirmEmailChange>::new();
    let value = Signal::derive(move || action.value().get());
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t().confirm_email_title()}</h1>
            {move || {
                let t = i18n.t();
                match value.get() {
                    Some(Ok(email)) => Some(view! {
                        <div class="alert success" role="status">
                            <p>{t.email_changed()}" "{t.email_now(&email)}</p>
                        </div>
                        <p><a href="/my/profile">{t.nav_profile()}</a></p>
                    }.into_any()),
                    _ if done_before => Some(view! {
                        <div class="alert success" role="status"><p>{t.email_changed()}</p></div>
                        <p><a href="/my/profile">{t.nav_profile()}</a></p>
                    }.into_any()),
                    _ => None,
                }
            }}
            <Suspense fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let t = i18n.t();
                        if done_before {
                            return ().into_any();
                        }
                        match link.await {
                            Ok(Some(email)) => view! {
                                <div hidden=move || matches!(value.get(), Some(Ok(_)))>
                                    <p>{t.confirm_email_lead(&email)}</p>
                                    <FormAlert value=value />
                                    <ActionForm action=action>
                                        <input type="hidden" name="token" value=token />
                                        <SubmitButton label=Signal::derive(move || i18n.t().confirm_email_button()) pending=action.pending().into() />
                                    </ActionForm>
                                </div>
                            }.into_any(),
                            Ok(None) => view! {
                                <div class="alert error" role="alert" hidden=move || matches!(value.get(), Some(Ok(_)))>
                                    <p>{t.err_link_invalid()}</p>
                                </div>
                            }.into_any(),
                            Err(e) => view! { <PageError error=e /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
