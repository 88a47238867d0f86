//! The workspace for one inquiry: the thread with internal notes, FAQ suggestions (one click puts
//! an answer into the reply box for editing), reply, internal note, status, re-type, transfer,
//! and the customer's 360° panel.

mod keys;
mod pages;
pub use keys::{replace_query, slash_query, WorkspaceKeys, SHORTCUTS};
pub use pages::*;

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
use crate::ui::{format_date, format_datetime, FormAlert, PageError, PostForm};
use leptos::server_fn::ServerFn;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AgentMessage {
    pub id: i64,
    pub author_kind: String,
    pub author_name: Option<String>,
    pub body: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::model::Flag"))]
    pub internal: bool,
    pub at: i64,
    /// The inbound mail this message was imported from (its original can be opened).
    pub mail_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub attachments: Vec<crate::model::attachment::AttachmentInfo>,
    /// The files as the thread's query reads them (JSON, turned into `attachments`).
    #[serde(skip)]
    #[cfg_attr(feature = "ssr", sqlx(rename = "files"))]
    pub files_json: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
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
    /// Who it is assigned to, and who it may be assigned to (the group's active agents).
    pub assigned_id: Option<i64>,
    pub agents: Vec<AgentOption>,
}

/// An agent an inquiry may be assigned to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AgentOption {
    pub id: i64,
    pub name: String,
}

/// The workspace data, with the answer of template `use_template` (or of past inquiry `reuse`)
/// ready for the reply box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub inquiry: AgentInquiry,
    /// the reply box's text, and the template it came from (counted when sent)
    pub prefill: Option<(Option<i64>, String)>,
    /// Resolved inquiries asking the same by meaning, with the answers that resolved them.
    pub similar: Vec<crate::domain::similar::SimilarPast>,
    /// The agent's own inquiries, then the top of the queue: to move on without leaving.
    pub queue: Vec<crate::agent::queue::QueueItem>,
    pub now: i64,
    /// Changes whenever the inquiry or its thread does.
    pub version: String,
}

/// Internal notes and transfer notes are shorter than replies.
#[cfg(feature = "ssr")]
const NOTE_MAX_CHARS: usize = 2_000;

/// How many waiting inquiries the workspace lists under the agent's own.
#[cfg(feature = "ssr")]
const QUEUE_IN_WORKSPACE: usize = 8;

#[server(endpoint = "agent_inquiry")]
pub async fn get_workspace(id: i64, use_template: Option<i64>, reuse: Option<i64>, locale: Locale) -> Result<Workspace, AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let faq = state.faq.current();
    // the three best above the floor the customer's form uses too: a 0 % answer is no suggestion
    let suggest = |text: &str| {
        faq.suggest(text, 3)
            .into_iter()
            .filter(|s| s.confidence >= crate::domain::faq_pack::SUGGESTION_FLOOR)
            .map(|s| (s.template_id, s.confidence))
            .collect()
    };
    // the queue beside the inquiry brings the inquiry types the properties form offers
    let lists = super::queries::queue(&state.db, actor, &crate::agent::queue::QueueFilter::default(), locale, now).await?;
    let (inquiry, version) = super::queries::detail(&state.db, actor, id, suggest, lists.types, locale).await?;
    let prefill = match (use_template, reuse) {
        (Some(t), _) => crate::store::workspace::template_answer(&state.db, t).await?.map(|a| (Some(t), a)),
        // a past inquiry's answer: only one this agent may open
        (None, Some(past)) => crate::store::embeddings::resolving_answer(&state.db, actor, past).await?.map(|a| (None, a)),
        (None, None) => None,
    };
    let similar = crate::faq::similar::like_inquiry(&state, actor, id).await?;
    let mut queue = lists.mine;
    queue.extend(lists.waiting.into_iter().filter(|w| w.id != id).take(QUEUE_IN_WORKSPACE));
    Ok(Workspace { inquiry, prefill, similar, queue, now, version })
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

/// An agent's answer and the mail that brings it to the customer, in one transaction: the mail
/// exists exactly when the answer does. An answer to the customer's own inquiry is
/// transactional: it goes whatever the marketing consent says.
#[cfg(feature = "ssr")]
async fn send_reply(
    state: &crate::state::AppState,
    actor: crate::store::workspace::Actor,
    id: i64,
    body: &str,
    template_id: Option<i64>,
    next_status: Option<crate::model::InquiryStatus>,
    files: &[crate::uploads::Kept],
    now: i64,
) -> Result<(), AppError> {
    use crate::mail::outbox::{queue_answer, AnsweredBy};
    let mut tx = crate::store::write_tx(&state.db).await?;
    let (to, message) = crate::store::workspace::reply(&mut tx, actor, id, body, template_id, next_status, now).await?;
    crate::store::attachments::add_to_message(&mut tx, id, message, files, now).await?;
    // an answer that resolves the inquiry asks for a rating in the same mail
    let resolved = next_status == Some(crate::model::InquiryStatus::Resolved);
    let queued = queue_answer(&mut tx, &state.mail, &to, body, AnsweredBy::Agent { resolved }, now).await?;
    // the answer's files go with its mail
    if let (false, crate::mail::outbox::Queued::Yes { id: mail }) = (files.is_empty(), queued) {
        crate::store::outbox::attach_message_files(&mut tx, mail, message).await?;
    }
    tx.commit().await?;
    state.mail.queued();
    Ok(())
}

/// Saves a properties change; one that resolves the inquiry mails the customer the notice with
/// the link to rate the answer, in the same transaction.
#[cfg(feature = "ssr")]
async fn save_properties(
    state: &crate::state::AppState,
    actor: crate::store::workspace::Actor,
    id: i64,
    change: crate::store::workspace::PropertyChange<'_>,
    files: &[crate::uploads::Kept],
    now: i64,
) -> Result<(), AppError> {
    let mut tx = crate::store::write_tx(&state.db).await?;
    let crate::store::workspace::Updated { resolved, note } = crate::store::workspace::update_properties(&mut tx, actor, id, change, now).await?;
    if let Some(message) = note {
        crate::store::attachments::add_to_message(&mut tx, id, message, files, now).await?;
    }
    if resolved {
        let to = crate::store::inquiries::answer_for(&mut tx, id).await?;
        crate::mail::outbox::queue_resolved(&mut tx, &state.mail, &to, now).await?;
    }
    tx.commit().await?;
    if resolved {
        state.mail.queued();
    }
    Ok(())
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
    send_reply(&state, actor, id, &body, template_id, Some(next_status), &[], now).await?;
    // without JavaScript, back to the inquiry (not to the "use this answer" address)
    crate::auth::api::redirect_plain_post(&format!("/agent/inquiries/{id}"));
    Ok(())
}

/// The composer: a reply the customer sees (`kind` "reply") or an internal note ("note"), and
/// the status to set with it (empty: waiting for the customer after a reply, as it is after a
/// note; "keep": as it is).
#[server(endpoint = "agent_send")]
pub async fn agent_send(id: i64, kind: String, body: String, template_id: String, next_status: String) -> Result<(), AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let composed = compose(&kind, &body, &template_id, &next_status).map_err(AppError::Invalid)?;
    send_composed(&state, actor, id, composed, &[], now).await?;
    crate::auth::api::redirect_plain_post(&format!("/agent/inquiries/{id}"));
    Ok(())
}

/// What the composer's fields say, checked.
#[cfg(feature = "ssr")]
enum Composed {
    Reply { body: String, template_id: Option<i64>, next_status: Option<crate::model::InquiryStatus> },
    Note { body: String, next_status: Option<crate::model::InquiryStatus> },
}

/// Checks the composer's fields (every problem at once).
#[cfg(feature = "ssr")]
fn compose(kind: &str, body: &str, template_id: &str, next_status: &str) -> Result<Composed, Vec<crate::error::FieldError>> {
    use crate::error::FieldError;
    let mut errors = Vec::new();
    // "" automatic: a reply waits for the customer, a note leaves the status; "keep": as it is
    let next_status = match (next_status.trim(), kind) {
        ("", "reply") => Some(crate::model::InquiryStatus::WaitingCustomer),
        ("", _) | ("keep", _) => None,
        (word, _) => agent_status(word).or_else(|| {
            errors.push(FieldError::new("next_status", FieldCode::InvalidChoice));
            None
        }),
    };
    let composed = match kind {
        "reply" => {
            let body = crate::domain::inquiry::validate_text(body, crate::domain::inquiry::BODY_MAX_CHARS, true)
                .map_err(|c| errors.push(FieldError::new("body", c)))
                .ok();
            let template_id = match template_id.trim() {
                "" => None,
                t => t.parse::<i64>().map_err(|_| errors.push(FieldError::new("template_id", FieldCode::InvalidChoice))).ok(),
            };
            body.map(|body| Composed::Reply { body, template_id, next_status })
        }
        "note" => crate::domain::inquiry::validate_text(body, NOTE_MAX_CHARS, true)
            .map_err(|c| errors.push(FieldError::new("body", c)))
            .ok()
            .map(|body| Composed::Note { body, next_status }),
        _ => {
            errors.push(FieldError::new("kind", FieldCode::InvalidChoice));
            None
        }
    };
    match composed {
        Some(c) if errors.is_empty() => Ok(c),
        _ => Err(errors),
    }
}

#[cfg(feature = "ssr")]
async fn send_composed(state: &crate::state::AppState, actor: crate::store::workspace::Actor, id: i64, composed: Composed, files: &[crate::uploads::Kept], now: i64) -> Result<(), AppError> {
    match composed {
        Composed::Reply { body, template_id, next_status } => send_reply(state, actor, id, &body, template_id, next_status, files, now).await,
        Composed::Note { body, next_status } => {
            let change = crate::store::workspace::PropertyChange { status: next_status, note: Some(&body), ..Default::default() };
            save_properties(state, actor, id, change, files, now).await
        }
    }
}

/// The composer with files (multipart; see [`agent_send`] for its fields, and `files`).
#[cfg(feature = "ssr")]
mod with_files {
    use super::*;
    use leptos::server_fn::codec::{MultipartData, MultipartFormData};

    #[server(endpoint = "agent_compose", input = MultipartFormData)]
    pub async fn agent_compose(data: MultipartData) -> Result<(), AppError> {
        let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
        let upload = crate::uploads::read(data, &*state.files, state.attach).await?;
        let id: i64 = upload.field("id").trim().parse().map_err(|_| AppError::BadRequest("id is not a number".into()))?;
        let composed = upload.checked(compose(upload.field("kind"), upload.field("body"), upload.field("template_id"), upload.field("next_status")))?;
        let files = upload.keep(&*state.files).await?;
        send_composed(&state, actor, id, composed, &files, now).await?;
        crate::auth::api::redirect_plain_post(&format!("/agent/inquiries/{id}"));
        Ok(())
    }

    #[cfg(test)]
    #[test]
    fn the_composer_posts_where_the_function_is() {
        use leptos::server_fn::ServerFn;
        assert_eq!(<AgentCompose as ServerFn>::PATH, crate::model::attachment::forms::AGENT_COMPOSE);
    }
}

/// The properties form: status, type, VOC category, group, assignee and a note, saved together.
/// `status` empty: as it is (a closed inquiry has none to choose); `voc` and `assignee` empty:
/// none; `assignee` otherwise an agent's user id.
#[server(endpoint = "agent_update")]
pub async fn agent_update(
    id: i64,
    status: String,
    type_code: String,
    voc: String,
    group_code: String,
    assignee: String,
    note: String,
) -> Result<(), AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let status = match status.trim() {
        "" => None,
        word => Some(agent_status(word).ok_or_else(|| AppError::invalid("status", FieldCode::InvalidChoice))?),
    };
    let voc = match voc.trim() {
        "" => None,
        word => Some(crate::model::VocCategory::parse(word).ok_or_else(|| AppError::invalid("voc", FieldCode::InvalidChoice))?),
    };
    let assignee = match assignee.trim() {
        "" => None,
        n => Some(n.parse::<i64>().map_err(|_| AppError::invalid("assignee", FieldCode::InvalidChoice))?),
    };
    let note = match note.trim() {
        "" => None,
        n => Some(crate::domain::inquiry::validate_text(n, NOTE_MAX_CHARS, true).map_err(|c| AppError::invalid("note", c))?),
    };
    let change = crate::store::workspace::PropertyChange {
        status,
        type_code: Some(type_code.trim()).filter(|c| !c.is_empty()),
        voc: Some(voc),
        group_code: Some(group_code.trim()).filter(|c| !c.is_empty()),
        assignee: Some(assignee),
        note: note.as_deref(),
    };
    save_properties(&state, actor, id, change, &[], now).await?;
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
    save_properties(&state, actor, id, crate::store::workspace::PropertyChange { status: Some(status), ..Default::default() }, &[], now).await
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
                    {i18n.t().thread_changed()} " " <a href=format!("/agent/inquiries/{id}")>{i18n.t().show_latest()}</a>
                </p>
            })}
        </div>
    }
}
