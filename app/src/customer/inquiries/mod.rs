//! The customer's inquiries: file one (optionally about an order), list them with a status
//! filter, and follow each thread: reply, close, reopen within 14 days, rate the answer.

mod pages;
pub use pages::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::CustomerCtx;
use crate::auth::pages::{encode_query_value, Guarded};
use crate::domain::inquiry::{BODY_MAX_CHARS, SUBJECT_MAX_CHARS};
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{FilterForm, field_errors, format_date, format_datetime, FormAlert, PageError, Pager, SubmitButton};
use crate::model::InquiryStatus;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::model::inquiry::InquiryListItem;
use crate::model::TypeOption;

pub type InquiryPage = crate::model::Page<InquiryListItem>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InquiryMessage {
    pub id: i64,
    pub author_kind: String,
    pub author_name: Option<String>,
    pub body: String,
    pub at: i64,
    pub attachments: Vec<crate::model::attachment::AttachmentInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InquiryDetail {
    pub id: i64,
    pub subject: String,
    pub status: InquiryStatus,
    pub type_name: String,
    pub order_no: Option<String>,
    pub created_at: i64,
    pub csat: Option<i64>,
    pub csat_comment: Option<String>,
    pub can_reply: bool,
    pub can_close: bool,
    pub can_reopen: bool,
    pub can_rate: bool,
    /// Just filed and the semantic FAQ head may still answer it: the page looks again shortly.
    pub deciding: bool,
    pub messages: Vec<InquiryMessage>,
}

/// Inquiry types a customer can choose, in their language.
#[server(endpoint = "inquiry_types")]
pub async fn list_inquiry_types(locale: Locale) -> Result<Vec<TypeOption>, AppError> {
    let CustomerCtx { state, .. } = CustomerCtx::require().await?;
    crate::store::inquiries::types(&state.db, locale).await
}

/// Files an inquiry. The same idempotency key always yields the same inquiry, so a double click
/// or a resend after a network error creates one inquiry, not two.
#[server(endpoint = "create_inquiry")]
pub async fn create_inquiry(
    type_code: String,
    order_no: String,
    subject: String,
    body: String,
    idempotency_key: String,
) -> Result<String, AppError> {
    let ctx = CustomerCtx::require().await?;
    let new = crate::domain::inquiry::validate_new_inquiry(&type_code, &order_no, &subject, &body, &idempotency_key)
        .map_err(AppError::Invalid)?;
    let id = file_new(&ctx, &new, &[]).await?;
    crate::auth::api::finish_with_redirect(format!("/my/inquiries/{id}"))
}

/// Files a validated inquiry with its attachments (see [`create_inquiry`]); returns its id. A
/// resend with the same key finds the first one and attaches nothing again.
#[cfg(feature = "ssr")]
async fn file_new(ctx: &CustomerCtx, new: &crate::domain::inquiry::NewInquiry, files: &[crate::uploads::Kept]) -> Result<i64, AppError> {
    let CustomerCtx { customer_id, state, now, .. } = ctx;
    // matched in memory before any write: the index is read, never locked while the database works
    let text = crate::faq::index::inquiry_text(&new.subject, &new.body);
    let best = state.faq.current().best(&text).map(Into::into);
    match crate::store::inquiries::create(&state.db, *customer_id, new, crate::model::Channel::Web, best, *now).await? {
        crate::store::inquiries::Created::Existing(id) => Ok(id),
        crate::store::inquiries::Created::New { id, mut tx, auto_answer, first_message, semantic } => {
            crate::store::attachments::add_to_message(&mut tx, id, first_message, files, *now).await?;
            // an automatic answer also goes by mail, in the same transaction as the inquiry
            if let Some(answer) = &auto_answer {
                use crate::mail::outbox::{queue_answer, AnsweredBy};
                let to = crate::store::inquiries::answer_for(&mut tx, id).await?;
                queue_answer(&mut tx, &state.mail, &to, answer, AnsweredBy::Faq, *now).await?;
            }
            tx.commit().await?;
            if auto_answer.is_some() {
                state.mail.queued();
            } else if semantic {
                // not sure enough by the words alone: the semantic head decides in a moment
                state.faq.semantic.submit(crate::faq::semantic::Pending { inquiry_id: id, submitted_at: *now });
            }
            Ok(id)
        }
    }
}

/// The forms with attachments: posted as `multipart/form-data` (natively, with or without
/// JavaScript), read by `uploads`, then the same as their plain counterparts.
#[cfg(feature = "ssr")]
mod with_files {
    use super::*;
    use leptos::server_fn::codec::{MultipartData, MultipartFormData};

    /// The new-inquiry form with files: [`create_inquiry`]'s fields and `files`.
    #[server(endpoint = "file_inquiry", input = MultipartFormData)]
    pub async fn file_inquiry(data: MultipartData) -> Result<String, AppError> {
        let ctx = CustomerCtx::require().await?;
        let upload = crate::uploads::read(data, &*ctx.state.files, ctx.state.attach).await?;
        let f = |k| upload.field(k);
        let new = upload.checked(crate::domain::inquiry::validate_new_inquiry(f("type_code"), f("order_no"), f("subject"), f("body"), f("idempotency_key")))?;
        let files = upload.keep(&*ctx.state.files).await?;
        let id = file_new(&ctx, &new, &files).await?;
        crate::auth::api::finish_with_redirect(format!("/my/inquiries/{id}"))
    }

    /// A reply with files: `id`, `body` (may be empty when files come with it) and `files`.
    #[server(endpoint = "reply_with_files", input = MultipartFormData)]
    pub async fn reply_with_files(data: MultipartData) -> Result<(), AppError> {
        let CustomerCtx { customer_id, state, now, .. } = CustomerCtx::require().await?;
        let upload = crate::uploads::read(data, &*state.files, state.attach).await?;
        let id: i64 = upload.field("id").trim().parse().map_err(|_| AppError::BadRequest("id is not a number".into()))?;
        let body = match crate::domain::inquiry::validate_text(upload.field("body"), BODY_MAX_CHARS, true) {
            Ok(body) => Ok(body),
            Err(crate::error::FieldCode::Required) if !upload.files.is_empty() => Ok(String::new()),
            Err(code) => Err(vec![crate::error::FieldError::new("body", code)]),
        };
        let body = upload.checked(body)?;
        let files = upload.keep(&*state.files).await?;
        let mut tx = crate::store::write_tx(&state.db).await?;
        let message = crate::store::inquiries::reply_in(&mut tx, customer_id, id, &body, now).await?;
        crate::store::attachments::add_to_message(&mut tx, id, message, &files, now).await?;
        tx.commit().await?;
        crate::auth::api::redirect_plain_post(&format!("/my/inquiries/{id}"));
        Ok(())
    }

    #[cfg(test)]
    #[test]
    fn the_forms_post_where_the_functions_are() {
        use crate::model::attachment::forms;
        use leptos::server_fn::ServerFn;
        assert_eq!(<FileInquiry as ServerFn>::PATH, forms::FILE_INQUIRY);
        assert_eq!(<ReplyWithFiles as ServerFn>::PATH, forms::REPLY_WITH_FILES);
    }
}

#[server(endpoint = "my_inquiries")]
pub async fn list_my_inquiries(status: Option<String>, page: u32, locale: Locale) -> Result<InquiryPage, AppError> {
    let CustomerCtx { customer_id, state, .. } = CustomerCtx::require().await?;
    let status = match status.as_deref().unwrap_or("") {
        "" => None,
        word => Some(InquiryStatus::parse(word).ok_or_else(|| AppError::invalid("status", crate::error::FieldCode::InvalidChoice))?),
    };
    super::queries::inquiries(&state.db, customer_id, status, page, locale).await
}

#[server(endpoint = "my_inquiry")]
pub async fn get_my_inquiry(id: i64, locale: Locale) -> Result<InquiryDetail, AppError> {
    let CustomerCtx { customer_id, state, now, .. } = CustomerCtx::require().await?;
    let mut detail = super::queries::inquiry(&state.db, customer_id, id, locale, now).await?;
    detail.deciding &= state.faq.current().has_semantic();
    Ok(detail)
}

#[server(endpoint = "reply_inquiry")]
pub async fn reply_to_inquiry(id: i64, body: String) -> Result<(), AppError> {
    let CustomerCtx { customer_id, state, now, .. } = CustomerCtx::require().await?;
    let body = crate::domain::inquiry::validate_text(&body, BODY_MAX_CHARS, true)
        .map_err(|c| AppError::invalid("body", c))?;
    crate::store::inquiries::reply(&state.db, customer_id, id, &body, now).await
}

/// The customer's verdict on an automatic answer: solved (closes it) or "I still need a person"
/// (routes it to agents with the bot's answer kept).
#[server(endpoint = "decide_auto_answer")]
pub async fn decide_auto_answer(id: i64, solved: bool) -> Result<(), AppError> {
    let CustomerCtx { customer_id, state, now, .. } = CustomerCtx::require().await?;
    crate::store::inquiries::decide_auto_answer(&state.db, customer_id, id, solved, now).await
}

/// A suggested answer shown while typing solved the question: counted for the template (its
/// stats and the automation rate), and no inquiry is filed.
#[server(endpoint = "record_deflection")]
pub async fn record_deflection(template_id: i64) -> Result<(), AppError> {
    let CustomerCtx { customer_id, state, now, .. } = CustomerCtx::require().await?;
    crate::store::faq::record_deflection(&state.db, customer_id, template_id, now).await.map(|_| ())
}

#[server(endpoint = "close_inquiry")]
pub async fn close_inquiry(id: i64) -> Result<(), AppError> {
    let CustomerCtx { customer_id, state, now, .. } = CustomerCtx::require().await?;
    crate::store::inquiries::close(&state.db, customer_id, id, now).await
}

#[server(endpoint = "reopen_inquiry")]
pub async fn reopen_inquiry(id: i64) -> Result<(), AppError> {
    let CustomerCtx { customer_id, state, now, .. } = CustomerCtx::require().await?;
    crate::store::inquiries::reopen(&state.db, customer_id, id, now).await
}

#[server(endpoint = "rate_inquiry")]
pub async fn rate_inquiry(id: i64, score: i64, comment: String) -> Result<(), AppError> {
    let CustomerCtx { customer_id, state, now, .. } = CustomerCtx::require().await?;
    let (score, comment) = crate::domain::inquiry::validate_rating(score, &comment).map_err(AppError::Invalid)?;
    crate::store::inquiries::rate(&state.db, customer_id, id, score, comment.as_deref(), now).await
}

/// A fresh key for one rendering of the new-inquiry form.
fn new_form_key() -> String {
    #[cfg(feature = "ssr")]
    {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_i64(crate::store::now_ms());
        format!("k{:016x}{}", h.finish(), crate::store::new_request_id())
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        let now = js_sys::Date::now() as u64;
        let r = (js_sys::Math::random() * 1e15) as u64;
        format!("k{now:x}-{r:x}")
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    String::new()
}

/// The value of a form field by id (input or textarea), empty when there is none.
#[cfg(feature = "hydrate")]
fn field_value(id: &str) -> String {
    use wasm_bindgen::JsCast;
    let Some(el) = leptos::prelude::document().get_element_by_id(id) else { return String::new() };
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        return i.value();
    }
    el.dyn_ref::<web_sys::HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default()
}

/// The three FAQ answers that best match what the customer is typing, computed in the browser
/// from the FAQ pack fetched once when the page loads: typing sends no request. "That answered
/// it" records a deflection and no inquiry is filed.
#[island]
fn FaqSuggestions() -> impl IntoView {
    crate::ui::hydration::island_ready("faq_suggestions");
    use crate::domain::faq_pack::FaqPack;
    use std::sync::Arc;
    let i18n = use_i18n();
    let pack: RwSignal<Option<Arc<FaqPack>>> = RwSignal::new(None);
    let text = RwSignal::new(String::new());
    let deflected = RwSignal::new(false);
    let failed = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        leptos::task::spawn_local(async move {
            if let Some(p) = crate::ui::load_faq_pack().await {
                pack.set(Some(Arc::new(p)));
            }
        });
        let handle = window_event_listener(leptos::ev::input, move |ev| {
            let id = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|e| e.id()).unwrap_or_default();
            if id == "field-subject" || id == "field-body" {
                text.set(format!("{}\n{}", field_value("field-subject"), field_value("field-body")));
            }
        });
        on_cleanup(move || handle.remove());
    }
    let suggestions = Memo::new(move |_| {
        pack.with(|p| {
            let Some(p) = p else { return Vec::new() };
            text.with(|t| p.suggest(t, 3))
                .into_iter()
                .filter_map(|m| p.templates.get(m.template).map(|t| (t.id, t.question.clone(), t.answer.clone())))
                .collect::<Vec<_>>()
        })
    });
    // a plain form POST to the server function's endpoint: the one call this island makes, so
    // the main WASM carries no server-function client for it
    let thank = move |id: i64| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if crate::ui::post_form(<RecordDeflection as leptos::server_fn::ServerFn>::url(), &format!("template_id={id}")).await {
                deflected.set(true);
            } else {
                failed.set(true);
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, deflected, failed);
    };
    view! {
        <section
            class="card faq-suggest"
            aria-live="polite"
            data-ready=move || pack.with(|p| p.is_some()).to_string()
            hidden=move || suggestions.with(Vec::is_empty) && !deflected.get()
        >
            {move || if deflected.get() {
                view! {
                    <p class="notice success" role="status">{i18n.t().faq_deflected()}</p>
                    <p><a href="/my">{i18n.t().nav_my()}</a></p>
                }.into_any()
            } else {
                view! {
                    <h2>{i18n.t().faq_suggest_title()}</h2>
                    <p class="hint">{i18n.t().faq_suggest_hint()}</p>
                    <ul class="faq-list">
                        {suggestions.get().into_iter().map(|(id, question, answer)| view! {
                            <li data-template=id>
                                <details>
                                    <summary>{question}</summary>
                                    <crate::ui::RichText text=answer />
                                    <button type="button" class="primary" on:click=move |_| thank(id)>{i18n.t().faq_that_answered()}</button>
                                </details>
                            </li>
                        }).collect_view()}
                    </ul>
                    <p class="field-error" role="alert">{move || failed.get().then(|| i18n.t().faq_deflect_failed())}</p>
                }.into_any()
            }}
        </section>
    }
}

/// A text input or textarea with a character counter. The field itself is plain server-rendered
/// HTML; only the counter is an island. The limit is enforced by the server; `maxlength` is
/// deliberately absent so nothing is silently cut.
#[component]
fn CountedField(name: String, label: String, max: usize, multiline: bool, error: String) -> impl IntoView {
    let id = format!("field-{name}");
    let counter_id = format!("{id}-count");
    let error_id = format!("{id}-error");
    let described = format!("{counter_id} {error_id}");
    let invalid = !error.is_empty();
    let input = if multiline {
        view! { <textarea id=id.clone() name=name.clone() rows="8" aria-invalid=invalid.to_string() aria-describedby=described.clone()></textarea> }.into_any()
    } else {
        view! { <input id=id.clone() type="text" name=name.clone() aria-invalid=invalid.to_string() aria-describedby=described.clone() /> }.into_any()
    };
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id.clone()>{label}</label>
            {input}
            <CharCounter field=id max=max />
            <p class="field-error" id=error_id>{error}</p>
        </div>
    }
}

/// The live "n / max" under a field (`field` is its id): the one part of the form that needs the
/// browser. It counts what is in the field when the page wakes up (a browser may have kept what
/// was typed) and on every input.
#[island]
fn CharCounter(field: String, max: usize) -> impl IntoView {
    crate::ui::hydration::island_ready("char_counter");
    let i18n = use_i18n();
    let len = RwSignal::new(0usize);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        // after hydration (the server rendered 0): what the browser kept in the field
        let kept = field.clone();
        Effect::new(move |_| len.set(field_value(&kept).chars().count()));
        let watched = field.clone();
        let handle = window_event_listener(leptos::ev::input, move |ev| {
            let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|e| e.id()).unwrap_or_default();
            if target == watched {
                len.set(field_value(&watched).chars().count());
            }
        });
        on_cleanup(move || handle.remove());
    }
    view! {
        <p class="hint counter" id=format!("{field}-count") class:over={move || len.get() > max}>
            {move || i18n.t().char_counter(len.get(), max)}
        </p>
    }
}
