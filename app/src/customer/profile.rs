//! The customer's profile and contact consent, and changing the sign-in email.

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
    let (user, customer_id, state) = crate::auth::guard::require_customer().await?;
    crate::db::customers::profile(&state.db, customer_id, &user.email).await
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
    let (user, customer_id, state) = crate::auth::guard::require_customer().await?;
    let profile = crate::domain::profile::validate_profile(&name, &phone, &postal_code, &address_line1, &address_line2, &locale)
        .map_err(AppError::Invalid)?;
    crate::db::customers::update_profile(&state.db, user.id, customer_id, &profile, crate::db::now_ms()).await?;
    crate::auth::api::redirect_plain_post("/my/profile?done=profile");
    Ok(())
}

/// Gives or withdraws one consent ("email" or "sms"), recording when.
#[server(endpoint = "set_consent")]
pub async fn set_consent(channel: String, given: bool) -> Result<(), AppError> {
    let (_, customer_id, state) = crate::auth::guard::require_customer().await?;
    if channel != "email" && channel != "sms" {
        return Err(AppError::invalid("channel", crate::error::FieldCode::InvalidChoice));
    }
    crate::db::customers::set_consent(&state.db, customer_id, &channel, given, crate::db::now_ms()).await
}

/// Changes the sign-in email after the password is confirmed.
#[server(endpoint = "change_email")]
pub async fn change_email(new_email: String, password: String) -> Result<(), AppError> {
    use crate::error::FieldCode;
    let (user, _, state) = crate::auth::guard::require_customer().await?;
    let email = crate::domain::validation::validate_email(&new_email).map_err(|c| AppError::invalid("new_email", c))?;
    // each answer tells whether an address is taken, and each costs a hash: a few an hour
    if let Some(retry_after_s) = state.limits.email_changes.check(&user.id.to_string(), crate::db::now_ms()) {
        return Err(AppError::RateLimited { retry_after_s, what: crate::error::Limited::EmailChanges });
    }
    let stored = crate::db::users::password_hash(&state.db, user.id).await?;
    if password.chars().count() > crate::domain::validation::PASSWORD_MAX_CHARS
        || !crate::auth::password::verify(password, stored).await?
    {
        return Err(AppError::invalid("password", FieldCode::WrongPassword));
    }
    // a new sign-in email is a new credential: other sessions end, this one gets a new id
    let epoch = crate::db::users::set_email(&state.db, user.id, &email).await?;
    crate::auth::guard::carry_over(&crate::auth::guard::session().await?, epoch).await?;
    state.chat.access_changed(crate::chat::fanout::AccessChange::Account(user.id));
    crate::auth::api::redirect_plain_post("/my/profile?done=email");
    Ok(())
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::Customer)>
            <ProfileView />
        </Guarded>
    }
}

#[component]
fn ProfileView() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<UpdateProfile>::new();
    let consent = ServerAction::<SetConsent>::new();
    let email = ServerAction::<ChangeEmail>::new();
    let profile = Resource::new(
        move || (save.version().get(), consent.version().get(), email.version().get()),
        |_| get_my_profile(),
    );
    let done = leptos_router::hooks::use_query_map().read_untracked().get("done").unwrap_or_default();
    let (saved_before, email_before) = (done == "profile", done == "email");
    let save_value = Signal::derive(move || save.value().get());
    let email_value = Signal::derive(move || email.value().get());
    let consent_value = Signal::derive(move || consent.value().get());
    view! {
        <section class="page-head">
            <h1>{move || i18n.t().profile_title}</h1>
        </section>
        <Transition fallback=move || view! { <p class="loading">{i18n.t().loading}</p> }>
            {move || Suspend::new(async move {
                let t = i18n.t();
                match profile.await {
                    Ok(p) => {
                        let consent_row = move |channel: &'static str, label: &'static str, c: Consent| {
                            let state = match (c.given, c.at) {
                                (true, Some(at)) => (t.consent_given)(&format_datetime(at)),
                                (false, Some(at)) => (t.consent_withdrawn)(&format_datetime(at)),
                                _ => t.consent_never.to_string(),
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
                                        <button type="submit" aria-label=format!("{label}: {}", if c.given { t.withdraw } else { t.agree })>
                                            {if c.given { t.withdraw } else { t.agree }}
                                        </button>
                                    </ActionForm>
                                </div>
                            }
                        };
                        view! {
                            <div class="panels">
                                <section class="card" aria-labelledby="profile-form">
                                    <h2 id="profile-form">{t.profile_details}</h2>
                                    <p class="meta">{t.customer_no} " " {p.customer_no.clone()}</p>
                                    {move || (saved_before || matches!(save_value.get(), Some(Ok(())))).then(|| view! {
                                        <div class="alert success" role="status">{i18n.t().profile_saved}</div>
                                    })}
                                    <FormAlert value=save_value />
                                    <ActionForm action=save>
                                        <TextField label=Signal::derive(move || i18n.t().name) name="name" autocomplete="name" value=p.name.clone() errors=field_errors(save_value, "name") />
                                        <TextField label=Signal::derive(move || i18n.t().phone) name="phone" kind="tel" autocomplete="tel" value=p.phone.clone().unwrap_or_default() hint=Signal::derive(move || i18n.t().phone_hint) errors=field_errors(save_value, "phone") />
                                        <TextField label=Signal::derive(move || i18n.t().postal_code) name="postal_code" autocomplete="postal-code" value=p.postal_code.clone().unwrap_or_default() errors=field_errors(save_value, "postal_code") />
                                        <TextField label=Signal::derive(move || i18n.t().address_line1) name="address_line1" autocomplete="address-line1" value=p.address_line1.clone().unwrap_or_default() errors=field_errors(save_value, "address_line1") />
                                        <TextField label=Signal::derive(move || i18n.t().address_line2) name="address_line2" autocomplete="address-line2" value=p.address_line2.clone().unwrap_or_default() errors=field_errors(save_value, "address_line2") />
                                        <div class="field">
                                            <label for="field-locale">{t.preferred_language}</label>
                                            <select id="field-locale" name="locale">
                                                <option value="ko" selected=p.locale == Locale::Ko>"한국어"</option>
                                                <option value="en" selected=p.locale == Locale::En>"English"</option>
                                            </select>
                                        </div>
                                        <SubmitButton label=Signal::derive(move || i18n.t().save) pending=save.pending().into() />
                                    </ActionForm>
                                </section>
                                <div>
                                    <section class="card" aria-labelledby="consent-title">
                                        <h2 id="consent-title">{t.consent_title}</h2>
                                        <p class="aside">{t.consent_lead}</p>
                                        <FormAlert value=consent_value />
                                        {consent_row("email", t.email_consent, p.email_consent)}
                                        {consent_row("sms", t.sms_consent, p.sms_consent)}
                                    </section>
                                    <section class="card" aria-labelledby="email-title">
                                        <h2 id="email-title">{t.change_email_title}</h2>
                                        <p class="meta">{t.current_email} " " <strong>{p.email.clone()}</strong></p>
                                        {move || (email_before || matches!(email_value.get(), Some(Ok(())))).then(|| view! {
                                            <div class="alert success" role="status">{i18n.t().email_changed}</div>
                                        })}
                                        <FormAlert value=email_value />
                                        <ActionForm action=email>
                                            <TextField label=Signal::derive(move || i18n.t().new_email) name="new_email" kind="email" autocomplete="email" errors=field_errors(email_value, "new_email") />
                                            <TextField label=Signal::derive(move || i18n.t().password_to_confirm) name="password" kind="password" autocomplete="current-password" errors=field_errors(email_value, "password") />
                                            <SubmitButton label=Signal::derive(move || i18n.t().save) pending=email.pending().into() />
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
    }
}
