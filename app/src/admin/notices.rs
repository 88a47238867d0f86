//! Service notices, for admins: publish one (Korean, optional English, an optional last day) to
//! customers' My page, and optionally mail it — the one mail that is not an answer or a security
//! notice, so it goes only to customers who agreed to email (checked per row where the mail is
//! queued; see `store::outbox::insert`).

#[cfg(feature = "ssr")]
use crate::auth::guard::AdminCtx;
use crate::auth::pages::Guarded;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{field_errors, format_date, format_datetime, FormAlert, PageError, PostForm};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i64,
    pub title: String,
    pub published_at: i64,
    pub expires_at: Option<i64>,
    pub mailed: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticesAdminView {
    pub notices: Vec<NoticeView>,
    /// Customers who agreed to email now: whom a mailed notice would reach.
    pub subscribers: i64,
}

#[server(endpoint = "admin_notices")]
pub async fn admin_notices(locale: Locale) -> Result<NoticesAdminView, AppError> {
    let AdminCtx { state, .. } = AdminCtx::require().await?;
    let notices = crate::store::notices::recent(&state.db, 50)
        .await?
        .into_iter()
        .map(|n| NoticeView { id: n.id, title: locale.pick(n.title_ko, n.title_en), published_at: n.published_at, expires_at: n.expires_at, mailed: n.mailed })
        .collect();
    let subscribers = crate::store::notices::subscriber_count(&state.db).await?;
    Ok(NoticesAdminView { notices, subscribers })
}

/// Publishes a notice; with `mail` checked, also mails it (in each customer's language) to every
/// customer who agreed to email, in the same transaction. Returns how many mails were queued.
#[server(endpoint = "publish_notice")]
pub async fn publish_notice(
    title_ko: String,
    title_en: String,
    body_ko: String,
    body_en: String,
    expires: String,
    mail: Option<String>,
) -> Result<i64, AppError> {
    use crate::mail::outbox::{queue, Recipient};
    use crate::mail::templates::Template;
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    let d = crate::domain::notice::validate_notice(&title_ko, &title_en, &body_ko, &body_en, &expires, now).map_err(AppError::Invalid)?;
    let mut tx = crate::store::write_tx(&state.db).await?;
    let new = crate::store::notices::NewNotice { title_ko: &d.title_ko, title_en: &d.title_en, body_ko: &d.body_ko, body_en: &d.body_en, expires_at: d.expires_at };
    let id = crate::store::notices::insert(&mut tx, &new, admin.id, now).await?;
    let mut mailed = 0;
    if mail.is_some() {
        let link = format!("{}/my", state.mail.public_url);
        let profile_link = format!("{}/my/profile", state.mail.public_url);
        for s in crate::store::notices::subscribers(&mut tx).await? {
            let locale = Locale::parse(&s.locale).unwrap_or_default();
            let (title, body) = match locale {
                Locale::Ko => (d.title_ko.as_str(), d.body_ko.as_str()),
                Locale::En => (d.title_en.as_str(), d.body_en.as_str()),
            };
            let consented_on = s.email_consent_at.map(format_date).unwrap_or_default();
            let template = Template::Notice { name: &s.name, title, body, link: &link, consented_on: &consented_on, profile_link: &profile_link };
            if queue(&mut tx, &state.mail, Recipient { address: &s.email, locale, user_id: Some(s.user_id) }, template, now).await?.is_queued() {
                mailed += 1;
            }
        }
        crate::store::notices::set_mailed(&mut tx, id, mailed).await?;
    }
    let after = serde_json::json!({ "title_ko": d.title_ko, "expires_at": d.expires_at, "mailed": mailed });
    crate::store::audit::record(&mut tx, admin.id, "publish", "notice", id, None, Some(&after), now).await?;
    tx.commit().await?;
    if mailed > 0 {
        state.mail.queued();
    }
    crate::auth::api::redirect_plain_post(&format!("/admin/notices?published={mailed}"));
    Ok(mailed)
}

#[component]
pub fn NoticesAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let publish = ServerAction::<PublishNotice>::new();
    let value = Signal::derive(move || publish.value().get());
    let query = leptos_router::hooks::use_query_map();
    let published = move || {
        query.read().get("published").and_then(|n| n.parse::<i64>().ok()).or_else(|| publish.value().get().and_then(Result::ok))
    };
    let data = Resource::new(move || (i18n.locale.get(), publish.version().get()), |(l, _)| admin_notices(l));
    let err = move |field: &'static str| {
        move || field_errors(value, field).get().iter().map(|c| crate::i18n::field_message(i18n.t(), c)).collect::<Vec<_>>().join(" ")
    };
    view! {
        <Guarded area=Some(Area::Admin)>
            <section class="page-head">
                <h1>{move || i18n.t().notices_admin_title()}</h1>
                <p class="lead">{move || i18n.t().notices_admin_lead()}</p>
            </section>
            <FormAlert value=value />
            {move || published().map(|n| view! { <p class="card notice" role="status">{i18n.t().notice_published(n)}</p> })}
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(v) => view! {
                            <section class="card">
                                <h2>{t.notice_new()}</h2>
                                <PostForm action=PublishNotice::url() class="grid-form notice-form">
                                    <div class="field">
                                        <label for="notice-title-ko">{t.notice_title_ko()}</label>
                                        <input id="notice-title-ko" type="text" name="title_ko" />
                                        <p class="field-error">{err("title_ko")}</p>
                                    </div>
                                    <div class="field">
                                        <label for="notice-title-en">{t.notice_title_en()}</label>
                                        <input id="notice-title-en" type="text" name="title_en" />
                                        <p class="field-error">{err("title_en")}</p>
                                    </div>
                                    <div class="field">
                                        <label for="notice-body-ko">{t.notice_body_ko()}</label>
                                        <textarea id="notice-body-ko" name="body_ko" rows="5"></textarea>
                                        <p class="field-error">{err("body_ko")}</p>
                                    </div>
                                    <div class="field">
                                        <label for="notice-body-en">{t.notice_body_en()}</label>
                                        <textarea id="notice-body-en" name="body_en" rows="5"></textarea>
                                        <p class="field-error">{err("body_en")}</p>
                                    </div>
                                    <div class="field">
                                        <label for="notice-expires">{t.notice_expires()}</label>
                                        <input id="notice-expires" type="date" name="expires" />
                                        <p class="field-error">{err("expires")}</p>
                                    </div>
                                    <label class="check">
                                        <input type="checkbox" name="mail" value="1" />
                                        " " {t.notice_mail(v.subscribers)}
                                    </label>
                                    <p class="hint">{t.notice_mail_hint()}</p>
                                    <div class="actions"><button type="submit" class="primary">{t.notice_publish()}</button></div>
                                </PostForm>
                            </section>
                            <section class="card">
                                <h2>{t.notices_published()}</h2>
                                {if v.notices.is_empty() {
                                    view! { <p>{t.notices_none()}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="data">
                                            <thead><tr><th>{t.notice_title_col()}</th><th>{t.notice_published_col()}</th><th>{t.notice_expires_col()}</th><th>{t.notice_mailed_col()}</th></tr></thead>
                                            <tbody>
                                                {v.notices.into_iter().map(|n| view! {
                                                    <tr>
                                                        <td>{n.title}</td>
                                                        <td>{format_datetime(n.published_at)}</td>
                                                        // stored as the end of the last day: shown as that day
                                                        <td>{n.expires_at.map(|e| format_date(e - 1)).unwrap_or_else(|| "—".into())}</td>
                                                        <td class="num">{n.mailed}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any(),
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}
