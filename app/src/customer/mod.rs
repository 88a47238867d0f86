//! The customer's own pages. Every query is keyed by the signed-in customer, never by an id
//! taken from the request.

use crate::auth::pages::Guarded;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{format_date, PageError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub order_no: String,
    pub status: String,
    pub total_won: i64,
    pub placed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InquirySummary {
    pub id: i64,
    pub subject: String,
    pub status: String,
    pub type_name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyOverview {
    pub name: String,
    pub customer_no: String,
    pub grade: String,
    pub recent_orders: Vec<OrderSummary>,
    pub open_inquiries: Vec<InquirySummary>,
}

/// The signed-in customer's dashboard data.
#[server(endpoint = "my_overview")]
pub async fn get_my_overview(locale: Locale) -> Result<MyOverview, AppError> {
    let user = crate::auth::guard::require_area(Area::Customer).await?;
    let state = crate::state::AppState::get()?;
    crate::db::customers::overview(&state.db, user.id, locale).await
}

#[component]
pub fn MyPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::Customer)>
            <MyDashboard />
        </Guarded>
    }
}

#[component]
fn MyDashboard() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(move || i18n.locale.get(), get_my_overview);
    view! {
        <Transition fallback=move || view! { <p class="loading">{i18n.t().loading}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! { <Dashboard overview=o /> }.into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Dashboard(overview: MyOverview) -> impl IntoView {
    let i18n = use_i18n();
    let MyOverview { name, customer_no, grade, recent_orders, open_inquiries } = overview;
    let orders_empty = recent_orders.is_empty();
    let inquiries_empty = open_inquiries.is_empty();
    let orders = StoredValue::new(recent_orders);
    let inquiries = StoredValue::new(open_inquiries);
    view! {
        <section class="page-head">
            <h1>{move || i18n.t().my_title}</h1>
            <p class="lead">{move || (i18n.t().my_welcome)(&name)}</p>
            <dl class="facts">
                <div><dt>{move || i18n.t().customer_no}</dt><dd>{customer_no}</dd></div>
                <div><dt>{move || i18n.t().grade}</dt><dd>{move || (i18n.t().grade_name)(&grade)}</dd></div>
            </dl>
        </section>
        <div class="panels">
            <section class="card panel" aria-labelledby="panel-orders">
                <h2 id="panel-orders">{move || i18n.t().recent_orders}</h2>
                {move || if orders_empty {
                    view! { <p>{i18n.t().no_orders}</p> }.into_any()
                } else {
                    let t = i18n.t();
                    view! {
                        <table>
                            <thead><tr>
                                <th scope="col">{t.order_no}</th>
                                <th scope="col">{t.order_date}</th>
                                <th scope="col">{t.status}</th>
                                <th scope="col" class="num">{t.order_total}</th>
                            </tr></thead>
                            <tbody>
                                {orders.get_value().into_iter().map(|o| view! {
                                    <tr>
                                        <td>{o.order_no}</td>
                                        <td>{format_date(o.placed_at)}</td>
                                        <td><span class=format!("badge status-{}", o.status)>{(t.order_status)(&o.status)}</span></td>
                                        <td class="num">{(t.won)(o.total_won)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>
            <section class="card panel" aria-labelledby="panel-inquiries">
                <h2 id="panel-inquiries">{move || i18n.t().open_inquiries}</h2>
                {move || if inquiries_empty {
                    view! { <p>{i18n.t().no_inquiries}</p> }.into_any()
                } else {
                    let t = i18n.t();
                    view! {
                        <ul class="item-list">
                            {inquiries.get_value().into_iter().map(|q| view! {
                                <li>
                                    <span class=format!("badge status-{}", q.status)>{(t.inquiry_status)(&q.status)}</span>
                                    " " <strong>{q.subject}</strong>
                                    <span class="meta">{q.type_name} " · " {format_date(q.created_at)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </div>
    }
}
