//! My page: the customer's dashboard. The customer chooses which panels it shows and in what
//! order (buttons, so it works by keyboard and without JavaScript); the choice is stored per
//! customer and follows them to every device.

#[cfg(feature = "ssr")]
use crate::auth::guard::CustomerCtx;
use crate::auth::pages::Guarded;
use crate::customer::inquiries::InquiryEntry;
use crate::model::inquiry::InquiryListItem;
use crate::domain::dashboard::PanelPref;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale, Texts};
use crate::ui::{format_date, PageError, PostForm};
use leptos::server_fn::ServerFn;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrderSummary {
    pub order_no: String,
    pub status: crate::model::OrderStatus,
    pub total_won: i64,
    pub placed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub title: String,
    pub body: String,
    pub published_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyOverview {
    pub name: String,
    pub customer_no: String,
    pub grade: crate::model::Grade,
    pub layout: Vec<PanelPref>,
    pub recent_orders: Vec<OrderSummary>,
    pub open_inquiries: Vec<InquiryListItem>,
    pub notices: Vec<Notice>,
    /// The customer's open chat (waiting or active), if any.
    pub open_chat: Option<i64>,
}

/// The signed-in customer's dashboard data.
#[server(endpoint = "my_overview")]
pub async fn get_my_overview(locale: Locale) -> Result<MyOverview, AppError> {
    let CustomerCtx { user, state, now, .. } = CustomerCtx::require().await?;
    super::queries::overview(&state.db, user.id, locale, now).await
}

/// Moves a panel up or down, or shows or hides it.
#[server(endpoint = "arrange_panel")]
pub async fn arrange_panel(panel: String, change: String) -> Result<Vec<PanelPref>, AppError> {
    use crate::domain::dashboard;
    use crate::error::FieldCode;
    let CustomerCtx { customer_id, state, .. } = CustomerCtx::require().await?;
    let change = dashboard::Arrange::parse(&change).ok_or_else(|| AppError::invalid("change", FieldCode::InvalidChoice))?;
    let current = crate::store::customers::layout(&state.db, customer_id).await?;
    let layout = dashboard::arrange(current, &panel, change).ok_or_else(|| AppError::invalid("panel", FieldCode::InvalidChoice))?;
    crate::store::customers::save_layout(&state.db, customer_id, &layout).await?;
    Ok(layout)
}

fn panel_title(t: &Texts, id: &str) -> &'static str {
    match id {
        "orders" => t.recent_orders(),
        "inquiries" => t.open_inquiries(),
        "faq" => t.faq_title(),
        "chat" => t.chat_title(),
        _ => t.notices(),
    }
}

#[component]
pub fn MyPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(move || i18n.locale.get(), get_my_overview);
    view! {
        <Guarded area=Some(Area::Customer)>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => view! { <Dashboard overview=o /> }.into_any(),
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

#[component]
fn Dashboard(overview: MyOverview) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let MyOverview { name, customer_no, grade, layout, recent_orders, open_inquiries, notices, open_chat } = overview;
    let panels = layout
        .iter()
        .filter(|p| p.shown)
        .map(|p| {
            let body = match p.id.as_str() {
                "orders" if recent_orders.is_empty() => view! { <p>{t.no_orders()}</p> }.into_any(),
                "orders" => view! {
                    <table class="stack">
                        <thead><tr>
                            <th scope="col">{t.order_no()}</th>
                            <th scope="col">{t.order_date()}</th>
                            <th scope="col">{t.status()}</th>
                            <th scope="col" class="num">{t.order_total()}</th>
                        </tr></thead>
                        <tbody>
                            {recent_orders.iter().cloned().map(|o| view! {
                                <tr>
                                    <td data-label=t.order_no()><a href=format!("/my/orders/{}", crate::auth::pages::encode_query_value(&o.order_no))>{o.order_no.clone()}</a></td>
                                    <td data-label=t.order_date()>{format_date(o.placed_at)}</td>
                                    <td data-label=t.status()><span class=format!("badge status-{}", o.status)>{t.order_status(o.status)}</span></td>
                                    <td data-label=t.order_total() class="num">{t.won(o.total_won)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <p><a href="/my/orders">{t.view_all()}</a></p>
                }.into_any(),
                "inquiries" if open_inquiries.is_empty() => view! {
                    <p>{t.no_inquiries()}</p>
                    <p><a class="button" href="/my/inquiries/new">{t.new_inquiry()}</a></p>
                }.into_any(),
                "inquiries" => view! {
                    <ul class="item-list">
                        {open_inquiries.iter().cloned().map(|q| view! { <InquiryEntry item=q /> }).collect_view()}
                    </ul>
                    <p><a href="/my/inquiries">{t.view_all()}</a> " · " <a href="/my/inquiries/new">{t.new_inquiry()}</a></p>
                }.into_any(),
                "faq" => view! {
                    <form class="search" method="get" action="/faq" role="search">
                        <label for="my-faq-q">{t.faq_search_label()}</label>
                        <div class="search-row">
                            <input id="my-faq-q" type="search" name="q" placeholder=t.faq_search_placeholder() />
                            <button type="submit" class="primary">{t.faq_search_button()}</button>
                        </div>
                    </form>
                }.into_any(),
                "chat" => match open_chat {
                    Some(_) => view! {
                        <p>{t.chat_in_progress()}</p>
                        <p><a class="button" href="/my/chat">{t.chat_back_to_live()}</a></p>
                    }.into_any(),
                    None => view! {
                        <p>{t.chat_panel_hint()}</p>
                        <p><a class="button" href="/my/chat">{t.chat_start()}</a></p>
                    }.into_any(),
                },
                _ if notices.is_empty() => view! { <p>{t.no_notices()}</p> }.into_any(),
                _ => view! {
                    <ul class="item-list">
                        {notices.iter().cloned().map(|n| view! {
                            <li><strong>{n.title}</strong> <span class="meta">{format_date(n.published_at)}</span><p>{n.body}</p></li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            };
            let heading = format!("panel-{}", p.id);
            let labelled_by = heading.clone();
            view! {
                <section class="card panel" aria-labelledby=labelled_by data-panel=p.id.clone()>
                    <h2 id=heading>{panel_title(t, &p.id)}</h2>
                    {body}
                </section>
            }
        })
        .collect_view();
    let count = layout.len();
    let controls = layout
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let title = panel_title(t, &p.id);
            let button = move |change: &'static str, label: &'static str, enabled: bool| {
                let panel = p.id.clone();
                view! {
                    <PostForm action=ArrangePanel::url() class="inline-form">
                        <input type="hidden" name="panel" value=panel />
                        <input type="hidden" name="change" value=change />
                        <button type="submit" disabled=!enabled aria-label=format!("{title}: {label}")>{label}</button>
                    </PostForm>
                }
            };
            view! {
                <li class:hidden-panel=!p.shown>
                    <span class="panel-name">{title}</span>
                    {button("up", t.move_up(), i > 0)}
                    {button("down", t.move_down(), i + 1 < count)}
                    {if p.shown { button("hide", t.hide_panel(), true) } else { button("show", t.show_panel(), true) }}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="page-head">
            <h1>{t.my_title()}</h1>
            <p class="lead">{t.my_welcome(&name)}</p>
            <dl class="facts">
                <div><dt>{t.customer_no()}</dt><dd>{customer_no}</dd></div>
                <div><dt>{t.grade()}</dt><dd>{t.grade_name(grade)}</dd></div>
            </dl>
        </section>
        <div class="panels">{panels}</div>
        <details class="card arrange">
            <summary>{t.arrange_panels()}</summary>
            <ol class="arrange-list">{controls}</ol>
        </details>
    }
}
