//! Customer search for agents (name, email, phone, customer number, order number, or a question:
//! the inquiries that asked it, by meaning) and the customer's page: the 360° view with every
//! inquiry.

#[cfg(feature = "ssr")]
use crate::auth::guard::AgentCtx;
use crate::auth::pages::{encode_query_value, Guarded};
use crate::model::inquiry::InquiryListItem;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{format_date, PageError};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::workspace::{Customer360, CustomerPanel};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerHit {
    pub customer_no: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub grade: crate::model::Grade,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRecord {
    pub customer: Customer360,
    pub inquiries: Vec<InquiryListItem>,
}

/// A search needs at least this many characters (a single letter would list everyone).
pub const MIN_QUERY_CHARS: usize = 2;

#[server(endpoint = "search_customers")]
pub async fn search_customers(q: String) -> Result<Vec<CustomerHit>, AppError> {
    let AgentCtx { state, .. } = AgentCtx::require().await?;
    let q = q.trim();
    if q.chars().count() < MIN_QUERY_CHARS {
        return Err(AppError::invalid("q", crate::error::FieldCode::TooShort { min: MIN_QUERY_CHARS }));
    }
    if q.chars().count() > 100 {
        return Err(AppError::invalid("q", crate::error::FieldCode::TooLong { max: 100 }));
    }
    super::queries::search_customers(&state.db, q).await
}

/// Inquiries asking what `q` asks, by meaning (when `q` reads as a question and the semantic
/// model runs; otherwise none): those the agent may open, with their customers.
#[server(endpoint = "search_questions")]
pub async fn search_questions(q: String) -> Result<Vec<crate::domain::similar::QuestionHit>, AppError> {
    let AgentCtx { actor, state, .. } = AgentCtx::require().await?;
    let q = q.trim();
    if q.chars().count() > 100 {
        return Err(AppError::invalid("q", crate::error::FieldCode::TooLong { max: 100 }));
    }
    if !crate::domain::similar::looks_like_question(q) {
        return Ok(Vec::new());
    }
    crate::faq::similar::search(&state, actor, q).await
}

#[server(endpoint = "agent_customer")]
pub async fn get_customer_record(customer_no: String, locale: Locale) -> Result<CustomerRecord, AppError> {
    let AgentCtx { actor, state, .. } = AgentCtx::require().await?;
    super::queries::customer_record(&state.db, customer_no.trim(), locale, actor).await
}

#[component]
pub fn CustomerSearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let hits = Resource::new(q, |q| async move {
        if q.trim().is_empty() { Ok(Vec::new()) } else { search_customers(q).await }
    });
    let questions = Resource::new(q, |q| async move {
        if q.trim().is_empty() { Ok(Vec::new()) } else { search_questions(q).await }
    });
    view! {
        <Guarded area=Some(Area::Agent)>
            <section class="page-head">
                <h1>{move || i18n.t().customer_search()}</h1>
                <p class="lead">{move || i18n.t().customer_search_hint()}</p>
            </section>
            <form method="get" action="/agent/customers" class="filters" role="search">
                <label for="field-q">{move || i18n.t().search()}</label>
                <input id="field-q" type="search" name="q" value=q />
                <button type="submit" class="primary">{move || i18n.t().search()}</button>
            </form>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match hits.await {
                        // a question finds inquiries below, not customers: no "no customer" then
                        Ok(h) if h.is_empty() && crate::domain::similar::looks_like_question(&q()) => ().into_any(),
                        Ok(h) if h.is_empty() && !q().trim().is_empty() => view! { <p class="card">{t.no_customers_found()}</p> }.into_any(),
                        Ok(h) => view! {
                            <ul class="item-list card">
                                {h.into_iter().map(|c| view! {
                                    <li>
                                        <a href=format!("/agent/customers/{}", encode_query_value(&c.customer_no))><strong>{c.name}</strong></a>
                                        " " <span class=format!("badge grade-{}", c.grade)>{t.grade_name(c.grade)}</span>
                                        <span class="meta">{c.customer_no} " · " {c.email} {c.phone.map(|p| format!(" · {p}"))}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    // inquiries that asked the same, when the search reads as a question
                    let asked = crate::domain::similar::looks_like_question(&q());
                    questions.await.ok().filter(|h| !h.is_empty() || asked).map(|h| view! {
                        <section class="card question-hits" aria-labelledby="question-hits-title">
                            <h2 id="question-hits-title">{t.question_hits()}</h2>
                            {h.is_empty().then(|| view! { <p class="hint">{t.no_question_hits()}</p> })}
                            <ul class="item-list">
                                {h.into_iter().map(|h| view! {
                                    <li>
                                        <a href=format!("/agent/inquiries/{}", h.inquiry_id)><strong>{h.subject}</strong></a>
                                        " " <span class=format!("badge status-{}", h.status)>{t.inquiry_status(h.status)}</span>
                                        " " <span class="badge">{t.similarity(h.similarity)}</span>
                                        <span class="meta">
                                            <a href=format!("/agent/customers/{}", encode_query_value(&h.customer_no))>{h.customer_name}</a>
                                            " · " {h.customer_no} " · " {format_date(h.created_at)}
                                        </span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })
                })}
            </Transition>
        </Guarded>
    }
}

#[component]
pub fn CustomerRecordPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let no = move || params.read().get("no").unwrap_or_default();
    let record = Resource::new(move || (no(), i18n.locale.get()), |(no, l)| get_customer_record(no, l));
    view! {
        <Guarded area=Some(Area::Agent)>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match record.await {
                        Ok(r) => view! {
                            <section class="page-head">
                                <p><a href="/agent/customers">{t.customer_search()}</a></p>
                                <h1>{r.customer.name.clone()}</h1>
                            </section>
                            <div class="workspace">
                                <section class="card workspace-main">
                                    <h2>{t.inquiries_title()}</h2>
                                    <ul class="item-list">
                                        {r.inquiries.into_iter().map(|q| view! {
                                            <li>
                                                <span class=format!("badge status-{}", q.status)>{t.inquiry_status(q.status)}</span>
                                                " " <a href=format!("/agent/inquiries/{}", q.id)><strong>{q.subject}</strong></a>
                                                <span class="meta">{q.type_name} " · " {format_date(q.created_at)}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                                <CustomerPanel c=r.customer />
                            </div>
                        }.into_any(),
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}
