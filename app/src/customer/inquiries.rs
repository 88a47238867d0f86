//! The customer's inquiries: file one (optionally about an order), list them with a status
//! filter, and follow each thread: reply, close, reopen within 14 days, rate the answer.

#[cfg(feature = "ssr")]
use crate::auth::guard::CustomerCtx;
use crate::auth::pages::{encode_query_value, Guarded};
use crate::domain::inquiry::{BODY_MAX_CHARS, SUBJECT_MAX_CHARS};
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{FilterForm, field_errors, format_date, format_datetime, navigate_on_success, FormAlert, PageError, Pager, SubmitButton};
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
    let CustomerCtx { customer_id, state, now, .. } = CustomerCtx::require().await?;
    let new = crate::domain::inquiry::validate_new_inquiry(&type_code, &order_no, &subject, &body, &idempotency_key)
        .map_err(AppError::Invalid)?;
    // matched in memory before any write: the index is read, never locked while the database works
    let text = crate::faq::index::inquiry_text(&new.subject, &new.body);
    let best = state.faq.current().best(&text).map(Into::into);
    let id = crate::store::inquiries::create(&state.db, customer_id, &new, best, now).await?;
    crate::auth::api::finish_with_redirect(format!("/my/inquiries/{id}"))
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
    super::queries::inquiry(&state.db, customer_id, id, locale, now).await
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

/// One inquiry in a list: status, subject (a link to the thread), type and date.
#[component]
pub fn InquiryEntry(item: InquiryListItem) -> impl IntoView {
    let t = use_i18n().t();
    view! {
        <li>
            <span class=format!("badge status-{}", item.status)>{(t.inquiry_status)(item.status)}</span>
            " " <a href=format!("/my/inquiries/{}", item.id)><strong>{item.subject}</strong></a>
            <span class="meta">{item.type_name} " · " {format_date(item.created_at)}</span>
        </li>
    }
}

#[component]
pub fn InquiriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let status = move || query.read().get("status").filter(|s| !s.is_empty());
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1);
    let list = Resource::new(move || (status(), page(), i18n.locale.get()), |(s, p, l)| list_my_inquiries(s, p, l));
    view! {
        <Guarded area=Some(Area::Customer)>
            <section class="page-head">
                <h1>{move || i18n.t().inquiries_title}</h1>
                <a class="button primary" href="/my/inquiries/new">{move || i18n.t().new_inquiry}</a>
            </section>
            <FilterForm
                action="/my/inquiries"
                name="status"
                label=Signal::derive(move || i18n.t().status)
                options=&InquiryStatus::WORDS
                option_label=|t, word| InquiryStatus::parse(word).map_or("", t.inquiry_status)
                selected=Signal::derive(status)
            />
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match list.await {
                        Ok(p) if p.items.is_empty() => view! { <p class="card">{t.no_inquiries_yet}</p> }.into_any(),
                        Ok(p) => {
                            let status_param = status().map(|s| format!("status={}&", encode_query_value(&s))).unwrap_or_default();
                            view! {
                                <section class="card">
                                    <ul class="item-list">
                                        {p.items.into_iter().map(|q| view! { <InquiryEntry item=q /> }).collect_view()}
                                    </ul>
                                    <Pager base=format!("/my/inquiries?{status_param}") page=p.page pages=p.pages />
                                </section>
                            }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
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

#[component]
pub fn NewInquiryPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let order = query.read_untracked().get("order").unwrap_or_default();
    let types = Resource::new(move || i18n.locale.get(), list_inquiry_types);
    let orders = Resource::new(|| (), |_| super::orders::list_my_orders(None, 1));
    let action = ServerAction::<CreateInquiry>::new();
    let value = Signal::derive(move || action.value().get());
    navigate_on_success(value);
    // kept (Copy) for the guarded view, which may be built more than once on the server
    let key = StoredValue::new(new_form_key());
    let order = StoredValue::new(order);
    // the field errors of the last (plain form) submission, in words, for the islands
    let field_text = move |value: Signal<Option<Result<String, AppError>>>, field: &'static str| {
        let t = i18n.t();
        field_errors(value, field).get_untracked().iter().map(|c| crate::i18n::field_message(t, c)).collect::<Vec<_>>().join(" ")
    };
    view! {
        <Guarded area=Some(Area::Customer)>
            <section class="card">
                <h1>{move || i18n.t().new_inquiry}</h1>
                <FormAlert value=value />
                <ActionForm action=action>
                    <input type="hidden" name="idempotency_key" value=key.get_value() />
                    <div class="field">
                        <label for="field-type_code">{move || i18n.t().inquiry_type}</label>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                let options = types.await.unwrap_or_default();
                                view! {
                                    <select id="field-type_code" name="type_code" aria-describedby="field-type_code-error">
                                        {options.into_iter().map(|o| view! { <option value=o.code>{o.name}</option> }).collect_view()}
                                    </select>
                                }
                            })}
                        </Transition>
                        <p class="field-error" id="field-type_code-error">
                            {move || field_errors(value, "type_code").get().iter().map(|c| crate::i18n::field_message(i18n.t(), c)).collect::<Vec<_>>().join(" ")}
                        </p>
                    </div>
                    <div class="field">
                        <label for="field-order_no">{move || i18n.t().linked_order}</label>
                        <Transition fallback=|| ()>
                            {move || {
                                let order = order.get_value();
                                Suspend::new(async move {
                                    let recent = orders.await.map(|p| p.items).unwrap_or_default();
                                    let t = i18n.t();
                                    // the asked-about order is listed even when it is older than the recent ones
                                    let listed = recent.iter().any(|o| o.order_no == order);
                                    view! {
                                        <select id="field-order_no" name="order_no" aria-describedby="field-order_no-error">
                                            <option value="" selected=order.is_empty()>{t.no_linked_order}</option>
                                            {(!order.is_empty() && !listed).then(|| view! {
                                                <option value=order.clone() selected=true>{(t.order_title)(&order)}</option>
                                            })}
                                            {recent.into_iter().map(|o| {
                                                let selected = o.order_no == order;
                                                let label = format!("{} · {} · {}", o.order_no, format_date(o.placed_at), (t.items_summary)(&o.first_item, o.item_count));
                                                view! { <option value=o.order_no selected=selected>{label}</option> }
                                            }).collect_view()}
                                        </select>
                                    }
                                })
                            }}
                        </Transition>
                        <p class="field-error" id="field-order_no-error">{field_text(value, "order_no")}</p>
                    </div>
                    <CountedField
                        name="subject".to_string()
                        label=i18n.t().subject.to_string()
                        max=SUBJECT_MAX_CHARS
                        multiline=false
                        error=field_text(value, "subject")
                    />
                    <CountedField
                        name="body".to_string()
                        label=i18n.t().inquiry_body.to_string()
                        max=BODY_MAX_CHARS
                        multiline=true
                        error=field_text(value, "body")
                    />
                    <SubmitButton label=Signal::derive(move || i18n.t().send) pending=action.pending().into() />
                </ActionForm>
            </section>
            <FaqSuggestions />
        </Guarded>
    }
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
    let thank = move |id: i64| {
        leptos::task::spawn_local(async move {
            match record_deflection(id).await {
                Ok(()) => deflected.set(true),
                Err(_) => failed.set(true),
            }
        });
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
                    <p class="notice success" role="status">{i18n.t().faq_deflected}</p>
                    <p><a href="/my">{i18n.t().nav_my}</a></p>
                }.into_any()
            } else {
                view! {
                    <h2>{i18n.t().faq_suggest_title}</h2>
                    <p class="hint">{i18n.t().faq_suggest_hint}</p>
                    <ul class="faq-list">
                        {suggestions.get().into_iter().map(|(id, question, answer)| view! {
                            <li data-template=id>
                                <details>
                                    <summary>{question}</summary>
                                    <crate::ui::RichText text=answer />
                                    <button type="button" class="primary" on:click=move |_| thank(id)>{i18n.t().faq_that_answered}</button>
                                </details>
                            </li>
                        }).collect_view()}
                    </ul>
                    <p class="field-error" role="alert">{move || failed.get().then(|| i18n.t().faq_deflect_failed)}</p>
                }.into_any()
            }}
        </section>
    }
}

/// A text input or textarea with a live character counter: an island, the one part of the
/// form that needs the browser. The limit is enforced by the server; `maxlength` is deliberately
/// absent so nothing is silently cut.
#[island]
fn CountedField(name: String, label: String, max: usize, multiline: bool, error: String) -> impl IntoView {
    crate::ui::hydration::island_ready("counted_field");
    let i18n = use_i18n();
    let len = RwSignal::new(0usize);
    let id = format!("field-{name}");
    let counter_id = format!("{id}-count");
    let error_id = format!("{id}-error");
    let described = format!("{counter_id} {error_id}");
    let on_input = move |ev: leptos::ev::Event| len.set(event_target_value(&ev).chars().count());
    let invalid = !error.is_empty();
    let input = if multiline {
        view! { <textarea id=id.clone() name=name.clone() rows="8" aria-invalid=invalid.to_string() aria-describedby=described.clone() on:input=on_input></textarea> }.into_any()
    } else {
        view! { <input id=id.clone() type="text" name=name.clone() aria-invalid=invalid.to_string() aria-describedby=described.clone() on:input=on_input /> }.into_any()
    };
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id.clone()>{label}</label>
            {input}
            <p class="hint counter" id=counter_id class:over={move || len.get() > max}>
                {move || (i18n.t().char_counter)(len.get(), max)}
            </p>
            <p class="field-error" id=error_id>{error}</p>
        </div>
    }
}

#[component]
pub fn InquiryDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let reply = ServerAction::<ReplyToInquiry>::new();
    let close = ServerAction::<CloseInquiry>::new();
    let reopen = ServerAction::<ReopenInquiry>::new();
    let rate = ServerAction::<RateInquiry>::new();
    let decide = ServerAction::<DecideAutoAnswer>::new();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let detail = Resource::new(
        move || (id(), i18n.locale.get(), reply.version().get(), close.version().get(), reopen.version().get(), rate.version().get(), decide.version().get()),
        |(id, locale, ..)| get_my_inquiry(id, locale),
    );
    let reply_value = Signal::derive(move || reply.value().get());
    // a sent reply leaves an empty box for the next one
    Effect::new(move |_| {
        if matches!(reply.value().get(), Some(Ok(()))) {
            #[cfg(feature = "hydrate")]
            {
                use wasm_bindgen::JsCast;
                if let Some(area) = leptos::prelude::document()
                    .get_element_by_id("field-reply")
                    .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                {
                    area.set_value("");
                }
            }
        }
    });
    let rate_value = Signal::derive(move || rate.value().get());
    let other_value =
        Signal::derive(move || close.value().get().or_else(|| reopen.value().get()).or_else(|| decide.value().get()));
    view! {
        <Guarded area=Some(Area::Customer)>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match detail.await {
                        Ok(d) => view! {
                            <section class="page-head">
                                <p><a href="/my/inquiries">{t.back_to_inquiries}</a></p>
                                <h1>{d.subject.clone()}</h1>
                                <p class="lead">
                                    <span class=format!("badge status-{}", d.status)>{(t.inquiry_status)(d.status)}</span>
                                    " " {d.type_name.clone()} " · " {format_datetime(d.created_at)}
                                    {d.order_no.clone().map(|no| view! {
                                        " · " <a href=format!("/my/orders/{}", encode_query_value(&no))>{(t.order_title)(&no)}</a>
                                    })}
                                </p>
                            </section>
                            <section class="card">
                                <ol class="thread">
                                    {d.messages.into_iter().map(|m| {
                                        let who = match m.author_kind.as_str() {
                                            "customer" => t.author_customer.to_string(),
                                            "agent" => m.author_name.clone().unwrap_or_else(|| t.author_agent.to_string()),
                                            "bot" => t.author_bot.to_string(),
                                            _ => t.author_system.to_string(),
                                        };
                                        let body = if m.author_kind == "system" { (t.system_event)(&m.body).to_string() } else { m.body };
                                        view! {
                                            <li class=format!("msg msg-{}", m.author_kind)>
                                                <p class="msg-head"><strong>{who}</strong> " " <time>{format_datetime(m.at)}</time></p>
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
                            <FormAlert value=other_value />
                            {(d.status == InquiryStatus::AutoAnswered).then(|| view! {
                                <section class="card auto-answer" aria-labelledby="auto-answer-title">
                                    <h2 id="auto-answer-title">{t.auto_answer_title}</h2>
                                    <p class="hint">{t.auto_answer_hint}</p>
                                    <div class="actions">
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="id" value=d.id />
                                            <input type="hidden" name="solved" value="true" />
                                            <button type="submit" class="primary">{t.auto_answer_solved}</button>
                                        </ActionForm>
                                        <ActionForm action=decide attr:class="inline-form">
                                            <input type="hidden" name="id" value=d.id />
                                            <input type="hidden" name="solved" value="false" />
                                            <button type="submit">{t.auto_answer_need_person}</button>
                                        </ActionForm>
                                    </div>
                                </section>
                            })}
                            {d.can_reply.then(|| view! {
                                <section class="card">
                                    <h2>{t.reply}</h2>
                                    <FormAlert value=reply_value />
                                    <ActionForm action=reply>
                                        <input type="hidden" name="id" value=d.id />
                                        <div class="field">
                                            <label for="field-reply">{t.reply_label}</label>
                                            <textarea id="field-reply" name="body" rows="5" aria-describedby="field-reply-error"></textarea>
                                            <p class="field-error" id="field-reply-error">
                                                {move || field_errors(reply_value, "body").get().iter().map(|c| crate::i18n::field_message(i18n.t(), c)).collect::<Vec<_>>().join(" ")}
                                            </p>
                                        </div>
                                        <SubmitButton label=Signal::derive(move || i18n.t().send) pending=reply.pending().into() />
                                    </ActionForm>
                                </section>
                            })}
                            {d.can_rate.then(|| view! {
                                <section class="card">
                                    <h2>{t.rate_title}</h2>
                                    <FormAlert value=rate_value />
                                    <ActionForm action=rate>
                                        <input type="hidden" name="id" value=d.id />
                                        <fieldset class="rating">
                                            <legend>{t.rate_legend}</legend>
                                            {(1..=5).map(|n| view! {
                                                <label class="rating-option">
                                                    <input type="radio" name="score" value=n required=true />
                                                    {(t.stars)(n)}
                                                </label>
                                            }).collect_view()}
                                        </fieldset>
                                        <div class="field">
                                            <label for="field-comment">{t.rate_comment}</label>
                                            <textarea id="field-comment" name="comment" rows="3"></textarea>
                                        </div>
                                        <SubmitButton label=Signal::derive(move || i18n.t().rate_submit) pending=rate.pending().into() />
                                    </ActionForm>
                                </section>
                            })}
                            {d.csat.map(|score| view! {
                                <p class="card">{(t.rated)(score)} {d.csat_comment.clone().map(|c| view! { " — " <q>{c}</q> })}</p>
                            })}
                            <div class="actions">
                                {d.can_close.then(|| view! {
                                    <ActionForm action=close attr:class="inline-form">
                                        <input type="hidden" name="id" value=d.id />
                                        <button type="submit">{t.close_inquiry}</button>
                                    </ActionForm>
                                })}
                                {d.can_reopen.then(|| view! {
                                    <ActionForm action=reopen attr:class="inline-form">
                                        <input type="hidden" name="id" value=d.id />
                                        <button type="submit">{t.reopen_inquiry}</button>
                                    </ActionForm>
                                })}
                            </div>
                        }.into_any(),
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}
