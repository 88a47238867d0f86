//! The workspace for one inquiry: the thread with internal notes, FAQ suggestions (one click puts
//! an answer into the reply box for editing), reply, internal note, status, re-type, transfer,
//! and the customer's 360° panel.

#[cfg(feature = "ssr")]
use crate::auth::guard::AgentCtx;
use crate::auth::pages::{encode_query_value, Guarded};
use crate::model::history::HistoryEntry;
use crate::model::{GroupOption, TypeOption};
use crate::domain::queue::AGENT_STATUSES;
use crate::domain::roles::Area;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FieldCode;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{format_date, format_datetime, FormAlert, PageError};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentMessage {
    pub id: i64,
    pub author_kind: String,
    pub author_name: Option<String>,
    pub body: String,
    pub internal: bool,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderBrief {
    pub order_no: String,
    pub status: crate::model::OrderStatus,
    pub total_won: i64,
    pub placed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer360 {
    pub customer_no: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub grade: crate::model::Grade,
    pub watch_flag: bool,
    pub watch_reason: Option<String>,
    pub email_consent: bool,
    pub sms_consent: bool,
    pub locale: String,
    pub orders: Vec<OrderBrief>,
    pub contacts: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestionView {
    pub template_id: i64,
    pub question: String,
    pub answer: String,
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentInquiry {
    pub id: i64,
    pub subject: String,
    pub status: crate::model::InquiryStatus,
    pub type_code: String,
    pub type_name: String,
    pub group_code: String,
    pub group_name: String,
    pub assigned_name: Option<String>,
    pub assigned_to_me: bool,
    pub created_at: i64,
    pub sla_due_at: i64,
    pub first_response_at: Option<i64>,
    pub order_no: Option<String>,
    pub escalated: bool,
    /// Voice-of-customer category, if an agent filed one.
    pub voc: Option<crate::model::VocCategory>,
    pub messages: Vec<AgentMessage>,
    pub customer: Customer360,
    pub suggestions: Vec<SuggestionView>,
    pub types: Vec<TypeOption>,
    pub groups: Vec<GroupOption>,
}

/// The workspace data, with the answer of template `use_template` ready for the reply box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub inquiry: AgentInquiry,
    pub prefill: Option<(i64, String)>,
    pub now: i64,
    /// Changes whenever the inquiry or its thread does.
    pub version: String,
}

/// Internal notes and transfer notes are shorter than replies.
#[cfg(feature = "ssr")]
const NOTE_MAX_CHARS: usize = 2_000;

#[server(endpoint = "agent_inquiry")]
pub async fn get_workspace(id: i64, use_template: Option<i64>, locale: Locale) -> Result<Workspace, AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let faq = state.faq.current();
    let suggest = |text: &str| faq.suggest(text, 3).into_iter().map(|s| (s.template_id, s.confidence)).collect();
    let (inquiry, version) = super::queries::detail(&state.db, actor, id, suggest, locale).await?;
    let prefill = match use_template {
        Some(t) => crate::store::workspace::template_answer(&state.db, t).await?.map(|a| (t, a)),
        None => None,
    };
    Ok(Workspace { inquiry, prefill, now, version })
}

#[server(endpoint = "agent_inquiry_version")]
pub async fn inquiry_version(id: i64) -> Result<String, AppError> {
    let AgentCtx { actor, state, .. } = AgentCtx::require().await?;
    crate::store::workspace::version(&state.db, actor, id).await
}

#[server(endpoint = "take_inquiry")]
pub async fn take_inquiry(id: i64) -> Result<(), AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    crate::store::workspace::take(&state.db, actor, id, now).await
}

/// A reply the customer sees. `template_id` (may be empty) names the FAQ answer it started from.
/// One of the statuses an agent may set, from its word.
#[cfg(feature = "ssr")]
fn agent_status(word: &str) -> Option<crate::model::InquiryStatus> {
    crate::model::InquiryStatus::parse(word).filter(|s| AGENT_STATUSES.contains(s))
}

#[server(endpoint = "agent_reply")]
pub async fn agent_reply(id: i64, body: String, template_id: String, next_status: String) -> Result<(), AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let body = crate::domain::inquiry::validate_text(&body, crate::domain::inquiry::BODY_MAX_CHARS, true).map_err(|c| AppError::invalid("body", c))?;
    let next_status = agent_status(&next_status).ok_or_else(|| AppError::invalid("next_status", FieldCode::InvalidChoice))?;
    let template_id = match template_id.trim() {
        "" => None,
        t => Some(t.parse::<i64>().map_err(|_| AppError::invalid("template_id", FieldCode::InvalidChoice))?),
    };
    crate::store::workspace::reply(&state.db, actor, id, &body, template_id, next_status, now).await?;
    // without JavaScript, back to the inquiry (not to the "use this answer" address)
    crate::auth::api::redirect_plain_post(&format!("/agent/inquiries/{id}"));
    Ok(())
}

#[server(endpoint = "agent_note")]
pub async fn agent_note(id: i64, body: String) -> Result<(), AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let body = crate::domain::inquiry::validate_text(&body, NOTE_MAX_CHARS, true).map_err(|c| AppError::invalid("note", c))?;
    crate::store::workspace::note(&state.db, actor, id, &body, now).await
}

#[server(endpoint = "agent_set_status")]
pub async fn agent_set_status(id: i64, status: String) -> Result<(), AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let status = agent_status(&status).ok_or_else(|| AppError::invalid("status", FieldCode::InvalidChoice))?;
    crate::store::workspace::set_status(&state.db, actor, id, status, now).await
}

#[server(endpoint = "agent_retype")]
pub async fn agent_retype(id: i64, type_code: String) -> Result<(), AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    crate::store::workspace::retype(&state.db, actor, id, type_code.trim(), now).await
}

#[server(endpoint = "agent_set_voc")]
pub async fn agent_set_voc(id: i64, voc: String) -> Result<(), AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let category = match voc.trim() {
        "" => None,
        word => Some(crate::model::VocCategory::parse(word).ok_or_else(|| AppError::invalid("voc", FieldCode::InvalidChoice))?),
    };
    crate::store::workspace::set_voc(&state.db, actor, id, category, now).await
}

#[server(endpoint = "agent_transfer")]
pub async fn agent_transfer(id: i64, group_code: String, note: String) -> Result<(), AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let note = crate::domain::inquiry::validate_text(&note, NOTE_MAX_CHARS, true).map_err(|c| AppError::invalid("transfer_note", c))?;
    crate::store::workspace::transfer(&state.db, actor, id, group_code.trim(), &note, now).await?;
    // the inquiry may now be out of the agent's groups: back to the queue
    crate::auth::api::redirect_plain_post("/agent");
    Ok(())
}

/// Sends the agent's reply to the admins as a proposed FAQ template.
#[server(endpoint = "propose_faq")]
pub async fn propose_faq(id: i64, question: String, answer: String) -> Result<(), AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    // the same access rule as every other action on the inquiry
    crate::store::workspace::inquiry_text(&state.db, actor, id).await?;
    let question = crate::domain::inquiry::validate_text(&question, crate::domain::faq_template::QUESTION_MAX_CHARS, false)
        .map_err(|c| AppError::invalid("question", c))?;
    let answer = crate::domain::inquiry::validate_text(&answer, crate::domain::faq_template::ANSWER_MAX_CHARS, true)
        .map_err(|c| AppError::invalid("answer", c))?;
    crate::store::faq::propose(&state.db, actor.user_id, id, &question, &answer, now).await?;
    crate::auth::api::redirect_plain_post(&format!("/agent/inquiries/{id}?proposed=1"));
    Ok(())
}

#[component]
pub fn AgentInquiryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let use_template = move || query.read().get("use").and_then(|s| s.parse::<i64>().ok());
    let take = ServerAction::<TakeInquiry>::new();
    let reply = ServerAction::<AgentReply>::new();
    let note = ServerAction::<AgentNote>::new();
    let status = ServerAction::<AgentSetStatus>::new();
    let retype = ServerAction::<AgentRetype>::new();
    let voc = ServerAction::<AgentSetVoc>::new();
    let transfer = ServerAction::<AgentTransfer>::new();
    let propose = ServerAction::<ProposeFaq>::new();
    let data = Resource::new(
        move || (id(), use_template(), i18n.locale.get()),
        |(id, t, locale)| get_workspace(id, t, locale),
    );
    let result = Signal::derive(move || {
        reply
            .value()
            .get()
            .or_else(|| note.value().get())
            .or_else(|| status.value().get())
            .or_else(|| retype.value().get())
            .or_else(|| voc.value().get())
            .or_else(|| transfer.value().get())
            .or_else(|| take.value().get())
            .or_else(|| propose.value().get())
    });
    let proposed = move || matches!(propose.value().get(), Some(Ok(()))) || query.read().get("proposed").is_some();
    view! {
        <Guarded area=Some(Area::Agent)>
            <FormAlert value=result />
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(w) => {
                            let q = w.inquiry;
                            let left = crate::domain::queue::time_left(q.sla_due_at, w.now);
                            let (prefill_id, prefill_text) = w.prefill.map(|(i, a)| (i.to_string(), a)).unwrap_or_default();
                            let last_reply = q.messages.iter().rev().find(|m| m.author_kind == "agent" && !m.internal).map(|m| m.body.clone());
                            let subject = q.subject.clone();
                            view! {
                                <section class="page-head">
                                    <p><a href="/agent">{t.back_to_queue}</a></p>
                                    <h1>{q.subject.clone()}</h1>
                                    <p class="lead">
                                        <span class=format!("badge status-{}", q.status)>{(t.inquiry_status)(q.status)}</span>
                                        " " {q.type_name.clone()} " · " {q.group_name.clone()} " · " {format_datetime(q.created_at)}
                                        " · " <span class:warn={left < 0}>{t.sla_due} ": " {(t.time_left)(left / 60_000)}</span>
                                        {q.escalated.then(|| view! { " " <span class="badge">{t.escalated_badge}</span> })}
                                        {q.order_no.clone().map(|no| view! { " · " {(t.order_title)(&no)} })}
                                    </p>
                                    <p>
                                        {match q.assigned_name.clone() {
                                            Some(n) => view! { <span>{t.assigned_to} ": " {n}</span> }.into_any(),
                                            None => view! { <span>{t.unassigned}</span> }.into_any(),
                                        }}
                                        {(!q.assigned_to_me).then(|| view! {
                                            " "
                                            <ActionForm action=take attr:class="inline-form">
                                                <input type="hidden" name="id" value=q.id />
                                                <button type="submit">{t.take_this}</button>
                                            </ActionForm>
                                        })}
                                    </p>
                                </section>
                                <ThreadWatcher id=q.id version=w.version.clone() />
                                <div class="workspace">
                                    <div class="workspace-main">
                                        <section class="card" aria-labelledby="thread-title">
                                            <h2 id="thread-title">{t.thread}</h2>
                                            <ol class="thread">
                                                {q.messages.into_iter().map(|m| {
                                                    let who = match m.author_kind.as_str() {
                                                        "customer" => t.author_customer.to_string(),
                                                        "agent" => m.author_name.clone().unwrap_or_else(|| t.author_agent.to_string()),
                                                        "bot" => t.author_bot.to_string(),
                                                        _ => t.author_system.to_string(),
                                                    };
                                                    let body = if m.author_kind == "system" { (t.agent_system_event)(&m.body) } else { m.body };
                                                    view! {
                                                        <li class=format!("msg msg-{}", m.author_kind) class:internal=m.internal>
                                                            <p class="msg-head">
                                                                <strong>{who}</strong> " " <time>{format_datetime(m.at)}</time>
                                                                {m.internal.then(|| view! { " " <span class="badge internal">{t.internal_note}</span> })}
                                                            </p>
                                                            {if m.author_kind == "bot" {
                                                                // the bot's words are an FAQ answer: its simple formatting is rendered (safely)
                                                                view! { <div class="msg-body rich"><crate::ui::RichText text=body /></div> }.into_any()
                                                            } else {
                                                                view! { <p class="msg-body">{body}</p> }.into_any()
                                                            }}
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ol>
                                        </section>
                                        <section class="card" aria-labelledby="suggest-title">
                                            <h2 id="suggest-title">{t.faq_suggestions}</h2>
                                            {if q.suggestions.is_empty() {
                                                view! { <p>{t.no_suggestions}</p> }.into_any()
                                            } else {
                                                view! {
                                                    <ol class="suggestions">
                                                        {q.suggestions.into_iter().map(|s| view! {
                                                            <li>
                                                                <p>
                                                                    <strong>{s.question}</strong> " "
                                                                    <span class="badge">{(t.confidence)(s.confidence)}</span>
                                                                </p>
                                                                <p class="hint">{s.answer}</p>
                                                                <a class="button" href=format!("/agent/inquiries/{}?use={}#reply", q.id, s.template_id)>{t.use_answer}</a>
                                                            </li>
                                                        }).collect_view()}
                                                    </ol>
                                                }.into_any()
                                            }}
                                        </section>
                                        <section class="card" id="reply" aria-labelledby="reply-title">
                                            <h2 id="reply-title">{t.reply_to_customer}</h2>
                                            <ActionForm action=reply>
                                                <input type="hidden" name="id" value=q.id />
                                                <input type="hidden" name="template_id" value=prefill_id />
                                                <div class="field">
                                                    <label for="field-agent-reply">{t.reply_label}</label>
                                                    <textarea id="field-agent-reply" name="body" rows="6">{prefill_text}</textarea>
                                                </div>
                                                <div class="field">
                                                    <label for="field-next-status">{t.status_after_reply}</label>
                                                    <select id="field-next-status" name="next_status">
                                                        {AGENT_STATUSES.iter().map(|s| view! {
                                                            <option value=s.as_str() selected=*s == crate::model::InquiryStatus::WaitingCustomer>{(t.inquiry_status)(*s)}</option>
                                                        }).collect_view()}
                                                    </select>
                                                </div>
                                                <button type="submit" class="primary">{t.send}</button>
                                            </ActionForm>
                                        </section>
                                        <section class="card" aria-labelledby="note-title">
                                            <h2 id="note-title">{t.internal_note}</h2>
                                            <p class="hint">{t.internal_note_hint}</p>
                                            <ActionForm action=note>
                                                <input type="hidden" name="id" value=q.id />
                                                <div class="field">
                                                    <label for="field-note">{t.note_label}</label>
                                                    <textarea id="field-note" name="body" rows="3"></textarea>
                                                </div>
                                                <button type="submit">{t.add_note}</button>
                                            </ActionForm>
                                        </section>
                                        {last_reply.map(|answer| view! {
                                            <section class="card" aria-labelledby="propose-title">
                                                <h2 id="propose-title">{t.propose_faq}</h2>
                                                <p class="hint">{t.propose_faq_hint}</p>
                                                {move || proposed().then(|| view! { <p role="status">{i18n.t().proposal_sent}</p> })}
                                                <ActionForm action=propose>
                                                    <input type="hidden" name="id" value=q.id />
                                                    <div class="field">
                                                        <label for="field-propose-question">{t.question}</label>
                                                        <input id="field-propose-question" type="text" name="question" value=subject />
                                                    </div>
                                                    <div class="field">
                                                        <label for="field-propose-answer">{t.answer}</label>
                                                        <textarea id="field-propose-answer" name="answer" rows="4">{answer}</textarea>
                                                    </div>
                                                    <button type="submit">{t.propose_faq}</button>
                                                </ActionForm>
                                            </section>
                                        })}
                                        <section class="card actions-grid" aria-labelledby="manage-title">
                                            <h2 id="manage-title">{t.manage_inquiry}</h2>
                                            <ActionForm action=status attr:class="inline-form">
                                                <input type="hidden" name="id" value=q.id />
                                                <label for="field-status">{t.status}</label>
                                                <select id="field-status" name="status">
                                                    {AGENT_STATUSES.iter().map(|s| view! {
                                                        <option value=s.as_str() selected=*s == q.status>{(t.inquiry_status)(*s)}</option>
                                                    }).collect_view()}
                                                </select>
                                                <button type="submit">{t.save}</button>
                                            </ActionForm>
                                            <ActionForm action=retype attr:class="inline-form">
                                                <input type="hidden" name="id" value=q.id />
                                                <label for="field-retype">{t.inquiry_type}</label>
                                                <select id="field-retype" name="type_code">
                                                    {q.types.into_iter().map(|o| {
                                                        let sel = o.code == q.type_code;
                                                        view! { <option value=o.code selected=sel>{o.name}</option> }
                                                    }).collect_view()}
                                                </select>
                                                <button type="submit">{t.retype}</button>
                                            </ActionForm>
                                            <ActionForm action=voc attr:class="inline-form">
                                                <input type="hidden" name="id" value=q.id />
                                                <label for="field-voc">{t.voc_label}</label>
                                                <select id="field-voc" name="voc">
                                                    <option value="" selected=q.voc.is_none()>{t.voc_none}</option>
                                                    {crate::model::VocCategory::ALL.into_iter().map(|c| {
                                                        let sel = q.voc == Some(c);
                                                        view! { <option value=c.as_str() selected=sel>{(t.voc_name)(c)}</option> }
                                                    }).collect_view()}
                                                </select>
                                                <button type="submit">{t.save}</button>
                                            </ActionForm>
                                            <ActionForm action=transfer attr:class="inline-form">
                                                <input type="hidden" name="id" value=q.id />
                                                <label for="field-transfer">{t.queue_group}</label>
                                                <select id="field-transfer" name="group_code">
                                                    {q.groups.into_iter().map(|g| {
                                                        let sel = g.code == q.group_code;
                                                        view! { <option value=g.code selected=sel>{g.name}</option> }
                                                    }).collect_view()}
                                                </select>
                                                <label for="field-transfer-note">{t.transfer_note}</label>
                                                <input id="field-transfer-note" type="text" name="note" />
                                                <button type="submit">{t.transfer}</button>
                                            </ActionForm>
                                        </section>
                                    </div>
                                    <CustomerPanel c=q.customer />
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

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const WATCH_EVERY_MS: u64 = 10_000;

/// Watches the inquiry while the agent works on it: when the customer replies or a colleague
/// changes it, a notice offers the fresh thread (the reply box is never wiped by surprise).
#[island(lazy)]
fn ThreadWatcher(id: i64, version: String) -> impl IntoView {
    crate::ui::hydration::island_ready("thread_watcher");
    let i18n = use_i18n();
    let changed = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        let seen = version.clone();
        let handle = set_interval_with_handle(
            move || {
                if changed.get_untracked() || leptos::prelude::document().hidden() {
                    return;
                }
                let seen = seen.clone();
                leptos::task::spawn_local(async move {
                    if let Ok(v) = inquiry_version(id).await {
                        if v != seen {
                            changed.set(true);
                        }
                    }
                });
            },
            std::time::Duration::from_millis(WATCH_EVERY_MS),
        );
        if let Ok(h) = handle {
            on_cleanup(move || h.clear());
        }
    }
    let _ = &version;
    view! {
        <div aria-live="polite">
            {move || changed.get().then(|| view! {
                <p class="card notice" role="status">
                    {i18n.t().thread_changed} " " <a href=format!("/agent/inquiries/{id}")>{i18n.t().show_latest}</a>
                </p>
            })}
        </div>
    }
}

/// The 360° view of the customer: who they are, how to reach them, what they bought, and every
/// contact so far.
#[component]
pub(crate) fn CustomerPanel(c: Customer360) -> impl IntoView {
    let t = use_i18n().t();
    let yes_no = move |b: bool| if b { t.consent_yes } else { t.consent_no };
    view! {
        <aside class="card customer-360" aria-labelledby="c360-title">
            <h2 id="c360-title">{t.customer_360}</h2>
            <p><strong>{c.name.clone()}</strong> " " <span class=format!("badge grade-{}", c.grade)>{(t.grade_name)(c.grade)}</span></p>
            {c.watch_flag.then(|| view! {
                <p class="warn" role="note">{t.watch_flag} {c.watch_reason.clone().map(|r| format!(": {r}"))}</p>
            })}
            <dl class="facts">
                <dt>{t.customer_no}</dt><dd>{c.customer_no.clone()}</dd>
                <dt>{t.email}</dt><dd>{c.email.clone()}</dd>
                <dt>{t.phone}</dt><dd>{c.phone.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{t.email_consent}</dt><dd>{yes_no(c.email_consent)}</dd>
                <dt>{t.sms_consent}</dt><dd>{yes_no(c.sms_consent)}</dd>
                <dt>{t.language}</dt><dd>{c.locale.clone()}</dd>
            </dl>
            <h3>{t.recent_orders}</h3>
            {if c.orders.is_empty() {
                view! { <p>{t.no_orders}</p> }.into_any()
            } else {
                view! {
                    <ul class="item-list orders-360">
                        {c.orders.into_iter().map(|o| view! {
                            <li>
                                <strong>{o.order_no.clone()}</strong> " "
                                <span class=format!("badge status-{}", o.status)>{(t.order_status)(o.status)}</span>
                                <span class="meta">{format_date(o.placed_at)} " · " {(t.won)(o.total_won)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3>{t.contact_history}</h3>
            <ul class="item-list contacts-360">
                {c.contacts.into_iter().map(|h| {
                    let link = matches!(h.kind.as_str(), "inquiry" | "message" | "note")
                        .then(|| format!("/agent/inquiries/{}", h.ref_id));
                    let title = if h.kind == "chat" { (t.chat_transcript_title)(h.ref_id) } else { h.title.clone() };
                    let detail = if h.kind == "note" { h.detail.clone() } else { String::new() };
                    view! {
                        <li class=format!("kind-{}", h.kind)>
                            <span class="badge">{(t.agent_history_kind)(&h.kind)}</span> " "
                            {match link {
                                Some(l) => view! { <a href=l>{title}</a> }.into_any(),
                                None => view! { <span>{title}</span> }.into_any(),
                            }}
                            {(!detail.is_empty()).then(|| view! { <span class="hint">" — " {detail}</span> })}
                            <span class="meta">{format_datetime(h.at)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p><a href=format!("/agent/customers?q={}", encode_query_value(&c.customer_no))>{t.customer_search}</a></p>
        </aside>
    }
}
