//! Mail, for admins: the support mailboxes read over IMAP (connect, edit, disable, remove; each
//! with when it was last read and its last error), the mails that were not imported and why,
//! and outgoing mails that are retrying or were given up, with their last error and "send again".

#[cfg(feature = "ssr")]
use crate::auth::guard::AdminCtx;
use crate::auth::pages::Guarded;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::model::inbound::NotImported;
use crate::model::TypeOption;
use crate::ui::{field_errors, format_datetime, FormAlert, PageError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A mailbox as the page shows it: never its password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailboxView {
    pub id: i64,
    pub address: String,
    pub url: String,
    pub username: String,
    pub folder: String,
    pub type_code: String,
    pub poll_seconds: i64,
    pub enabled: bool,
    pub last_polled_at: Option<i64>,
    pub last_error: Option<String>,
}

/// An outgoing mail that failed at least once: retrying (`dead` false) or given up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TroubledMail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub dead: bool,
    pub tries: i64,
    pub last_error: String,
    pub next_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailAdminView {
    pub mailboxes: Vec<MailboxView>,
    pub types: Vec<TypeOption>,
    pub not_imported: Vec<NotImported>,
    pub outgoing: Vec<TroubledMail>,
}

#[server(endpoint = "admin_mail")]
pub async fn admin_mail(locale: Locale) -> Result<MailAdminView, AppError> {
    let AdminCtx { state, .. } = AdminCtx::require().await?;
    let mailboxes = crate::store::mailboxes::all(&state.db)
        .await?
        .into_iter()
        .map(|m| MailboxView {
            id: m.id,
            address: m.address,
            url: m.url,
            username: m.username,
            folder: m.folder,
            type_code: m.type_code,
            poll_seconds: m.poll_seconds,
            enabled: m.enabled,
            last_polled_at: m.last_polled_at,
            last_error: m.last_error,
        })
        .collect();
    let not_imported = crate::store::inbound::problems(&state.db, 50).await?;
    let outgoing = crate::store::outbox::troubled(&state.db, 50)
        .await?
        .into_iter()
        .map(|t| TroubledMail { id: t.id, to: t.to_address, subject: t.subject, dead: t.state == "dead", tries: t.tries, last_error: t.last_error, next_at: t.next_at })
        .collect();
    Ok(MailAdminView { mailboxes, types: crate::store::inquiries::types(&state.db, locale).await?, not_imported, outgoing })
}

/// Connects (`id` empty) or edits a mailbox. An empty password keeps the saved one.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "admin_mailbox_save")]
pub async fn admin_mailbox_save(
    id: String,
    address: String,
    url: String,
    username: String,
    password: String,
    folder: String,
    type_code: String,
    poll_seconds: String,
    enabled: Option<String>,
) -> Result<(), AppError> {
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    let existing = match id.trim() {
        "" => None,
        n => Some(n.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    let mut draft = crate::domain::mailbox::validate_mailbox(existing.is_none(), &address, &url, &username, &password, &folder, &type_code, &poll_seconds, enabled.is_some())
        .map_err(AppError::Invalid)?;
    // stored sealed: the database alone gives the password away to no one
    if let Some(p) = draft.password.take() {
        draft.password = Some(state.secrets.seal(&p).map_err(|e| AppError::internal("secrets", e))?);
    }
    crate::store::mailboxes::save(&state.db, existing, &draft, admin.id, now).await?;
    crate::auth::api::redirect_plain_post("/admin/mail?saved=1");
    Ok(())
}

#[server(endpoint = "admin_mailbox_delete")]
pub async fn admin_mailbox_delete(id: i64) -> Result<(), AppError> {
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    crate::store::mailboxes::remove(&state.db, id, admin.id, now).await?;
    crate::auth::api::redirect_plain_post("/admin/mail?saved=1");
    Ok(())
}

/// Sends a given-up (or retrying) outgoing mail again now.
#[server(endpoint = "admin_outbox_retry")]
pub async fn admin_outbox_retry(id: i64) -> Result<(), AppError> {
    let AdminCtx { state, now, .. } = AdminCtx::require().await?;
    if !crate::store::outbox::retry_now(&state.db, id, now).await? {
        return Err(AppError::NotFound);
    }
    state.mail.queued();
    crate::auth::api::redirect_plain_post("/admin/mail?retried=1");
    Ok(())
}

#[component]
pub fn MailAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<AdminMailboxSave>::new();
    let delete = ServerAction::<AdminMailboxDelete>::new();
    let retry = ServerAction::<AdminOutboxRetry>::new();
    let value = Signal::derive(move || save.value().get());
    let query = leptos_router::hooks::use_query_map();
    let saved = move || query.read().get("saved").is_some() || matches!(save.value().get(), Some(Ok(()))) || matches!(delete.value().get(), Some(Ok(())));
    let retried = move || query.read().get("retried").is_some() || matches!(retry.value().get(), Some(Ok(())));
    let data = Resource::new(
        move || (i18n.locale.get(), save.version().get(), delete.version().get(), retry.version().get()),
        |(l, ..)| admin_mail(l),
    );
    view! {
        <Guarded area=Some(Area::Admin)>
            <section class="page-head">
                <h1>{move || i18n.t().mail_admin_title()}</h1>
                <p class="lead">{move || i18n.t().mail_admin_lead()}</p>
            </section>
            <FormAlert value=value />
            {move || saved().then(|| view! { <p class="card notice" role="status">{i18n.t().saved()}</p> })}
            {move || retried().then(|| view! { <p class="card notice" role="status">{i18n.t().mail_retry_queued()}</p> })}
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(v) => {
                            let types = v.types;
                            view! {
                                <h2>{t.mailboxes_title()}</h2>
                                {v.mailboxes.into_iter().map(|m| view! { <MailboxForm mailbox=Some(m) types=types.clone() save=save value=value delete=delete /> }).collect_view()}
                                <MailboxForm mailbox=None types=types.clone() save=save value=value delete=delete />
                                <NotImportedList rows=v.not_imported />
                                <OutgoingList rows=v.outgoing retry=retry />
                            }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

#[component]
fn MailboxForm(
    mailbox: Option<MailboxView>,
    types: Vec<TypeOption>,
    save: ServerAction<AdminMailboxSave>,
    value: Signal<Option<Result<(), AppError>>>,
    delete: ServerAction<AdminMailboxDelete>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let creating = mailbox.is_none();
    let m = mailbox.unwrap_or(MailboxView {
        id: 0,
        address: String::new(),
        url: String::new(),
        username: String::new(),
        folder: "INBOX".into(),
        type_code: types.first().map(|t| t.code.clone()).unwrap_or_default(),
        poll_seconds: 60,
        enabled: true,
        last_polled_at: None,
        last_error: None,
    });
    let key = if creating { "new".to_string() } else { m.id.to_string() };
    let form_id = if creating { String::new() } else { m.id.to_string() };
    let id = move |f: &str| format!("mailbox-{key}-{f}");
    // field errors only beside the form that was sent (without JavaScript the page does not
    // know which one it was: beside every form, as the other admin pages do)
    let sent_here = {
        let form_id = form_id.clone();
        move || save.input().get().is_none_or(|i| i.id.trim() == form_id)
    };
    let err = move |field: &'static str| {
        let sent_here = sent_here.clone();
        move || {
            if !sent_here() {
                return String::new();
            }
            field_errors(value, field).get().iter().map(|c| crate::i18n::field_message(i18n.t(), c)).collect::<Vec<_>>().join(" ")
        }
    };
    let status = (!creating).then(|| match (&m.last_error, m.last_polled_at, m.enabled) {
        (_, _, false) => view! { <p class="mailbox-status muted">{t.mailbox_disabled()}</p> }.into_any(),
        (Some(e), _, _) => view! { <p class="mailbox-status field-error" role="status">{t.mailbox_failing()} " " {e.clone()}</p> }.into_any(),
        (None, Some(at), _) => view! { <p class="mailbox-status ok">{t.mailbox_read_at()} " " {format_datetime(at)}</p> }.into_any(),
        (None, None, _) => view! { <p class="mailbox-status muted">{t.mailbox_not_read_yet()}</p> }.into_any(),
    });
    let title = if creating { t.mailbox_new().to_string() } else { m.address.clone() };
    view! {
        <section class="card mailbox-form" class:retired=!m.enabled>
            <h3>{title}</h3>
            {status}
            <ActionForm action=save attr:class="grid-form">
                <input type="hidden" name="id" value=form_id.clone() />
                <div class="field">
                    <label for=id("address")>{t.mailbox_address()}</label>
                    <input id=id("address") type="email" name="address" value=m.address.clone() autocomplete="off" />
                    <p class="field-error">{err("address")}</p>
                </div>
                <div class="field">
                    <label for=id("url")>{t.mailbox_url()}</label>
                    <input id=id("url") type="text" name="url" value=m.url.clone() placeholder="imaps://imap.example.com" autocomplete="off" />
                    <p class="field-error">{err("url")}</p>
                </div>
                <div class="field">
                    <label for=id("username")>{t.mailbox_username()}</label>
                    <input id=id("username") type="text" name="username" value=m.username.clone() autocomplete="off" />
                    <p class="field-error">{err("username")}</p>
                </div>
                <div class="field">
                    <label for=id("password")>{t.mailbox_password()}</label>
                    <input id=id("password") type="password" name="password" autocomplete="new-password" placeholder=if creating { "" } else { t.mailbox_password_kept() } />
                    <p class="field-error">{err("password")}</p>
                </div>
                <div class="field">
                    <label for=id("folder")>{t.mailbox_folder()}</label>
                    <input id=id("folder") type="text" name="folder" value=m.folder.clone() />
                    <p class="field-error">{err("folder")}</p>
                </div>
                <div class="field">
                    <label for=id("type")>{t.mailbox_type()}</label>
                    <select id=id("type") name="type_code">
                        {types.into_iter().map(|ty| { let s = ty.code == m.type_code; view! { <option value=ty.code selected=s>{ty.name}</option> } }).collect_view()}
                    </select>
                    <p class="field-error">{err("type_code")}</p>
                </div>
                <div class="field">
                    <label for=id("poll")>{t.mailbox_poll_seconds()}</label>
                    <input id=id("poll") type="number" name="poll_seconds" min="10" max="3600" value=m.poll_seconds />
                    <p class="field-error">{err("poll_seconds")}</p>
                </div>
                <div class="field">
                    <label class="check"><input type="checkbox" name="enabled" value="on" checked=m.enabled /> {t.mailbox_enabled()}</label>
                </div>
                <button type="submit" class="primary">{if creating { t.mailbox_connect() } else { t.save() }}</button>
            </ActionForm>
            {(!creating).then(|| view! {
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="id" value=m.id />
                    <button type="submit" class="secondary danger">{t.mailbox_remove()}</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn NotImportedList(rows: Vec<NotImported>) -> impl IntoView {
    let t = use_i18n().t();
    view! {
        <section class="card">
            <h2>{t.mail_not_imported_title()}</h2>
            {if rows.is_empty() {
                view! { <p class="muted">{t.mail_not_imported_none()}</p> }.into_any()
            } else {
                view! {
                    <table class="stack mail-table">
                        <thead><tr>
                            <th scope="col">{t.received_at()}</th>
                            <th scope="col">{t.mail_sender()}</th>
                            <th scope="col">{t.subject()}</th>
                            <th scope="col">{t.mail_why()}</th>
                            <th scope="col">{t.mail_original()}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let why = match r.reason {
                                    Some(reason) => t.inbound_reason(reason).to_string(),
                                    None => t.inbound_outcome(r.outcome).to_string(),
                                };
                                let detail = r.detail.clone().map(|d| format!(" ({d})")).unwrap_or_default();
                                view! {
                                    <tr class=format!("inbound-{}", r.outcome.as_str())>
                                        <td data-label=t.received_at()>{format_datetime(r.received_at)}</td>
                                        <td data-label=t.mail_sender()>{if r.sender.is_empty() { "—".to_string() } else { r.sender.clone() }}</td>
                                        <td data-label=t.subject()>{r.subject.clone()}</td>
                                        <td data-label=t.mail_why()>{why}{detail}</td>
                                        <td data-label=t.mail_original()>
                                            {r.has_raw.then(|| view! { <a href=format!("/mail/inbound/{}/original.eml", r.id) download="">{t.mail_open_original()}</a> })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn OutgoingList(rows: Vec<TroubledMail>, retry: ServerAction<AdminOutboxRetry>) -> impl IntoView {
    let t = use_i18n().t();
    view! {
        <section class="card">
            <h2>{t.mail_outgoing_title()}</h2>
            {if rows.is_empty() {
                view! { <p class="muted">{t.mail_outgoing_none()}</p> }.into_any()
            } else {
                view! {
                    <table class="stack mail-table">
                        <thead><tr>
                            <th scope="col">{t.mail_recipient()}</th>
                            <th scope="col">{t.subject()}</th>
                            <th scope="col">{t.mail_state()}</th>
                            <th scope="col">{t.mail_last_error()}</th>
                            <th scope="col"><span class="visually-hidden">{t.mail_send_again()}</span></th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr class:dead=r.dead>
                                    <td data-label=t.mail_recipient()>{r.to.clone()}</td>
                                    <td data-label=t.subject()>{r.subject.clone()}</td>
                                    <td data-label=t.mail_state()>
                                        {if r.dead { t.mail_dead(r.tries) } else { t.mail_retrying(r.tries, format_datetime(r.next_at)) }}
                                    </td>
                                    <td data-label=t.mail_last_error()><code>{r.last_error.clone()}</code></td>
                                    <td>
                                        <ActionForm action=retry attr:class="inline-form">
                                            <input type="hidden" name="id" value=r.id />
                                            <button type="submit" class="secondary">{t.mail_send_again()}</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
