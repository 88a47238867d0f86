//! Orders as their customer sees them. Every query is keyed by the customer id, so another
//! customer's order number simply is not found.

use super::Db;
use crate::customer::orders::{OrderDetail, OrderEvent, OrderItem, OrderListItem, OrderPage, ShippingAddress};
use crate::domain::paging;
use crate::error::AppError;
use sqlx::Row;

pub async fn list(db: &Db, customer_id: i64, status: Option<&str>, page: u32) -> Result<OrderPage, AppError> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders WHERE customer_id = $1 AND ($2 IS NULL OR status = $2)",
    )
    .bind(customer_id)
    .bind(status)
    .fetch_one(db)
    .await?;
    let page = paging::clamp_page(page, total, paging::PER_PAGE);
    let rows = sqlx::query(
        "SELECT o.order_no, o.status, o.total_won, o.placed_at,
                (SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.id) AS item_count,
                (SELECT MIN(i.product_name) FROM order_items i WHERE i.order_id = o.id) AS first_item
         FROM orders o
         WHERE o.customer_id = $1 AND ($2 IS NULL OR o.status = $2)
         ORDER BY o.placed_at DESC, o.id DESC
         LIMIT $3 OFFSET $4",
    )
    .bind(customer_id)
    .bind(status)
    .bind(paging::PER_PAGE as i64)
    .bind(paging::offset(page, paging::PER_PAGE))
    .fetch_all(db)
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(OrderListItem {
                order_no: r.try_get("order_no")?,
                status: r.try_get("status")?,
                total_won: r.try_get("total_won")?,
                placed_at: r.try_get("placed_at")?,
                item_count: r.try_get("item_count")?,
                first_item: r.try_get::<Option<String>, _>("first_item")?.unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(OrderPage { items, page, pages: paging::page_count(total, paging::PER_PAGE), total })
}

/// The order's internal id if it belongs to this customer.
pub async fn id_for_customer(db: &Db, customer_id: i64, order_no: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM orders WHERE customer_id = $1 AND order_no = $2")
        .bind(customer_id)
        .bind(order_no)
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn detail(db: &Db, customer_id: i64, order_no: &str) -> Result<OrderDetail, AppError> {
    let row = sqlx::query(
        "SELECT id, order_no, status, total_won, placed_at, ship_name, ship_phone, ship_postal_code, ship_address1, ship_address2
         FROM orders WHERE customer_id = $1 AND order_no = $2",
    )
    .bind(customer_id)
    .bind(order_no)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let order_id: i64 = row.try_get("id")?;
    let items = sqlx::query("SELECT product_name, quantity, unit_price_won FROM order_items WHERE order_id = $1 ORDER BY id")
        .bind(order_id)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| {
            Ok(OrderItem {
                product_name: r.try_get("product_name")?,
                quantity: r.try_get("quantity")?,
                unit_price_won: r.try_get("unit_price_won")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let events = sqlx::query("SELECT status, at FROM order_events WHERE order_id = $1 ORDER BY at, id")
        .bind(order_id)
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| Ok(OrderEvent { status: r.try_get("status")?, at: r.try_get("at")? }))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(OrderDetail {
        order_no: row.try_get("order_no")?,
        status: row.try_get("status")?,
        total_won: row.try_get("total_won")?,
        placed_at: row.try_get("placed_at")?,
        items,
        ship: ShippingAddress {
            name: row.try_get("ship_name")?,
            phone: row.try_get::<Option<String>, _>("ship_phone")?.map(|p| crate::domain::phone::format_phone(&p)),
            postal_code: row.try_get("ship_postal_code")?,
            address_line1: row.try_get("ship_address1")?,
            address_line2: row.try_get("ship_address2")?,
        },
        events,
    })
}
