//! The customer's orders: a paginated list with a status filter, and each order's detail with
//! items, shipping address and status timeline. Another customer's order number is "not found".

#[cfg(feature = "ssr")]
use crate::auth::guard::CustomerCtx;
use crate::auth::pages::{encode_query_value, Guarded};
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ui::{FilterForm, format_date, format_datetime, PageError, Pager};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderListItem {
    pub order_no: String,
    pub status: crate::model::OrderStatus,
    pub total_won: i64,
    pub placed_at: i64,
    pub item_count: i64,
    pub first_item: String,
}

pub type OrderPage = crate::model::Page<OrderListItem>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrderItem {
    pub product_name: String,
    pub quantity: i64,
    pub unit_price_won: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrderEvent {
    pub status: crate::model::OrderStatus,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShippingAddress {
    pub name: String,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub order_no: String,
    pub status: crate::model::OrderStatus,
    pub total_won: i64,
    pub placed_at: i64,
    pub items: Vec<OrderItem>,
    pub ship: ShippingAddress,
    pub events: Vec<OrderEvent>,
}

/// One page of the signed-in customer's orders, newest first; `status` filters when given.
#[server(endpoint = "my_orders")]
pub async fn list_my_orders(status: Option<String>, page: u32) -> Result<OrderPage, AppError> {
    let CustomerCtx { customer_id, state, .. } = CustomerCtx::require().await?;
    let status = match status.as_deref().unwrap_or("") {
        "" => None,
        word => Some(crate::model::OrderStatus::parse(word).ok_or_else(|| AppError::invalid("status", crate::error::FieldCode::InvalidChoice))?),
    };
    super::queries::orders(&state.db, customer_id, status, page).await
}

/// One of the signed-in customer's orders (404 for anyone else's).
#[server(endpoint = "my_order")]
pub async fn get_my_order(order_no: String) -> Result<OrderDetail, AppError> {
    let CustomerCtx { customer_id, state, .. } = CustomerCtx::require().await?;
    super::queries::order(&state.db, customer_id, &order_no).await
}

#[component]
pub fn OrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let status = move || query.read().get("status").filter(|s| !s.is_empty());
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1);
    let orders = Resource::new(move || (status(), page()), |(s, p)| list_my_orders(s, p));
    view! {
        <Guarded area=Some(Area::Customer)>
            <section class="page-head">
                <h1>{move || i18n.t().orders_title()}</h1>
            </section>
            <FilterForm
                action="/my/orders"
                name="status"
                label=Signal::derive(move || i18n.t().status())
                options=&crate::model::OrderStatus::WORDS
                option_label=|t, word| crate::model::OrderStatus::parse(word).map_or("", |s| t.order_status(s))
                selected=Signal::derive(status)
            />
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match orders.await {
                        Ok(p) if p.items.is_empty() => view! { <p class="card">{t.no_orders()}</p> }.into_any(),
                        Ok(p) => {
                            let status_param = status().map(|s| format!("status={}&", encode_query_value(&s))).unwrap_or_default();
                            view! {
                                <section class="card">
                                    <table class="stack">
                                        <thead><tr>
                                            <th scope="col">{t.order_no()}</th>
                                            <th scope="col">{t.order_date()}</th>
                                            <th scope="col">{t.order_items()}</th>
                                            <th scope="col">{t.status()}</th>
                                            <th scope="col" class="num">{t.order_total()}</th>
                                        </tr></thead>
                                        <tbody>
                                            {p.items.into_iter().map(|o| view! {
                                                <tr>
                                                    <td data-label=t.order_no()><a href=format!("/my/orders/{}", encode_query_value(&o.order_no))>{o.order_no.clone()}</a></td>
                                                    <td data-label=t.order_date()>{format_date(o.placed_at)}</td>
                                                    <td data-label=t.order_items()>{t.items_summary(&o.first_item, o.item_count)}</td>
                                                    <td data-label=t.status()><span class=format!("badge status-{}", o.status)>{t.order_status(o.status)}</span></td>
                                                    <td data-label=t.order_total() class="num">{t.won(o.total_won)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <Pager base=format!("/my/orders?{status_param}") page=p.page pages=p.pages />
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

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let order = Resource::new(move || params.read().get("order_no").unwrap_or_default(), get_my_order);
    view! {
        <Guarded area=Some(Area::Customer)>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match order.await {
                        Ok(o) => {
                            let ask = format!("/my/inquiries/new?order={}", encode_query_value(&o.order_no));
                            let ship = o.ship.clone();
                            view! {
                                <section class="page-head">
                                    <p><a href="/my/orders">{t.back_to_orders()}</a></p>
                                    <h1>{t.order_title(&o.order_no)}</h1>
                                    <p class="lead">
                                        <span class=format!("badge status-{}", o.status)>{t.order_status(o.status)}</span>
                                        " " {format_datetime(o.placed_at)}
                                    </p>
                                    <a class="button primary" href=ask>{t.ask_about_order()}</a>
                                </section>
                                <div class="panels">
                                    <section class="card" aria-labelledby="order-items">
                                        <h2 id="order-items">{t.order_items()}</h2>
                                        <table class="stack">
                                            <thead><tr>
                                                <th scope="col">{t.product()}</th>
                                                <th scope="col" class="num">{t.quantity()}</th>
                                                <th scope="col" class="num">{t.unit_price()}</th>
                                            </tr></thead>
                                            <tbody>
                                                {o.items.into_iter().map(|i| view! {
                                                    <tr>
                                                        <td data-label=t.product()>{i.product_name}</td>
                                                        <td data-label=t.quantity() class="num">{i.quantity}</td>
                                                        <td data-label=t.unit_price() class="num">{t.won(i.unit_price_won)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                            <tfoot><tr>
                                                <th scope="row" colspan="2">{t.order_total()}</th>
                                                <td class="num"><strong>{t.won(o.total_won)}</strong></td>
                                            </tr></tfoot>
                                        </table>
                                    </section>
                                    <section class="card" aria-labelledby="order-timeline">
                                        <h2 id="order-timeline">{t.timeline()}</h2>
                                        <ol class="timeline">
                                            {o.events.into_iter().map(|e| view! {
                                                <li class=format!("step status-{}", e.status)>
                                                    <strong>{t.order_status(e.status)}</strong>
                                                    <time>{format_datetime(e.at)}</time>
                                                </li>
                                            }).collect_view()}
                                        </ol>
                                        <h2>{t.shipping_address()}</h2>
                                        <address>
                                            {ship.name}<br />
                                            {ship.postal_code.map(|p| view! { "(" {p} ") " })}
                                            {ship.address_line1}" "{ship.address_line2}<br />
                                            {ship.phone}
                                        </address>
                                    </section>
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
