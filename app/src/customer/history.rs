//! Contact history: every contact with the centre on one timeline (the "one-stop" view).

#[cfg(feature = "ssr")]
use crate::auth::guard::CustomerCtx;
use crate::auth::pages::{encode_query_value, Guarded};
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ui::{FilterForm, format_datetime, PageError, Pager};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub const KINDS: [&str; 5] = ["inquiry", "message", "order", "chat", "email"];

use crate::model::history::HistoryPage;

#[server(endpoint = "my_history")]
pub async fn get_my_history(kind: Option<String>, page: u32) -> Result<HistoryPage, AppError> {
    let CustomerCtx { customer_id, state, .. } = CustomerCtx::require().await?;
    let kind = kind.filter(|k| !k.is_empty());
    if let Some(k) = &kind {
        if !KINDS.contains(&k.as_str()) {
            return Err(AppError::invalid("kind", crate::error::FieldCode::InvalidChoice));
        }
    }
    crate::store::history::page(&state.db, customer_id, kind.as_deref(), page).await
}

#[component]
pub fn HistoryPageView() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let kind = move || query.read().get("kind").filter(|k| !k.is_empty());
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1);
    let data = Resource::new(move || (kind(), page()), |(k, p)| get_my_history(k, p));
    view! {
        <Guarded area=Some(Area::Customer)>
            <section class="page-head">
                <h1>{move || i18n.t().history_title()}</h1>
            </section>
            <FilterForm
                action="/my/history"
                name="kind"
                label=Signal::derive(move || i18n.t().kind_label())
                options=&KINDS
                option_label=|t, kind| t.history_kind(kind)
                selected=Signal::derive(kind)
            />
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(p) if p.items.is_empty() => view! { <p class="card">{t.history_empty()}</p> }.into_any(),
                        Ok(p) => {
                            let kind_param = kind().map(|k| format!("kind={}&", encode_query_value(&k))).unwrap_or_default();
                            view! {
                                <section class="card">
                                    <ol class="history">
                                        {p.items.into_iter().map(|e| {
                                            let (href, what) = match e.kind.as_str() {
                                                "inquiry" => (Some(format!("/my/inquiries/{}", e.ref_id)), e.title.clone()),
                                                "message" => (
                                                    Some(format!("/my/inquiries/{}", e.ref_id)),
                                                    format!("{} — {}", e.title, if e.detail == "bot" { t.author_bot() } else { t.author_agent() }),
                                                ),
                                                "order" => (
                                                    Some(format!("/my/orders/{}", encode_query_value(&e.title))),
                                                    format!("{} — {}", t.order_title(&e.title), crate::model::OrderStatus::parse(&e.detail).map_or(e.detail.as_str(), |s| t.order_status(s))),
                                                ),
                                                "chat" => (Some(format!("/my/chats/{}", e.ref_id)), t.chat_transcript_title(e.ref_id)),
                                                _ => (None, e.title.clone()),
                                            };
                                            view! {
                                                <li class=format!("history-{}", e.kind)>
                                                    <span class="badge">{t.history_kind(&e.kind)}</span>
                                                    " "
                                                    {match href {
                                                        Some(h) => view! { <a href=h>{what}</a> }.into_any(),
                                                        None => view! { <span>{what}</span> }.into_any(),
                                                    }}
                                                    <time class="meta">{format_datetime(e.at)}</time>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                    <Pager base=format!("/my/history?{kind_param}") page=p.page pages=p.pages />
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
