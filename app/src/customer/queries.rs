//! What the customer pages read (server only), each query keyed by the customer: another
//! customer's record is "not found". Writes live in `store/`.

use super::inquiries::{InquiryDetail, InquiryMessage, InquiryPage};
use super::my_page::Notice;
use super::orders::{OrderDetail, OrderEvent, OrderItem, OrderListItem, OrderPage, ShippingAddress};
use super::profile::{Consent, Profile};
use super::{MyOverview, OrderSummary};
use crate::domain::{paging, status};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::InquiryStatus;
use crate::store::inquiries::{ListRow, LIST_COLUMNS};
use crate::store::{localized, TYPE_NAME};
use crate::store::Db;
use sqlx::Row;

// ---- My page and profile ----

/// The dashboard of the customer whose account is `user_id`.
pub async fn overview(db: &Db, user_id: i64, locale: Locale, now: i64) -> Result<MyOverview, AppError> {
    let row = sqlx::query("SELECT id, name, customer_no, grade, dashboard_layout FROM customers WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let customer_id: i64 = row.try_get("id")?;
    let recent_orders = sqlx::query(
        "SELECT order_no, status, total_won, placed_at FROM orders
         WHERE customer_id = $1 ORDER BY placed_at DESC LIMIT 5",
    )
    .bind(customer_id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(OrderSummary {
            order_no: r.try_get("order_no")?,
            status: r.try_get("status")?,
            total_won: r.try_get("total_won")?,
            placed_at: r.try_get("placed_at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let open_inquiries = sqlx::query_as::<_, ListRow>(&format!(
        "SELECT {LIST_COLUMNS}
         FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id
         WHERE i.customer_id = $1 AND i.status NOT IN ('resolved', 'closed')
         ORDER BY i.created_at DESC LIMIT 5"
    ))
    .bind(customer_id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| r.in_locale(locale))
    .collect();
    let notices = sqlx::query(
        "SELECT title_ko, title_en, body_ko, body_en, published_at FROM notices
         WHERE published_at <= $1 AND (expires_at IS NULL OR expires_at > $1)
         ORDER BY published_at DESC LIMIT 3",
    )
    .bind(now)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| Ok(Notice { title: localized(r, ["title_ko", "title_en"], locale)?, body: localized(r, ["body_ko", "body_en"], locale)?, published_at: r.try_get("published_at")? }))
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let layout: Option<String> = row.try_get("dashboard_layout")?;
    Ok(MyOverview {
        name: row.try_get("name")?,
        customer_no: row.try_get("customer_no")?,
        grade: row.try_get("grade")?,
        layout: crate::domain::dashboard::parse_layout(layout.as_deref()),
        recent_orders,
        open_inquiries,
        notices,
        open_chat: crate::store::chats::current(db, customer_id).await?,
    })
}

pub async fn profile(db: &Db, customer_id: i64, email: &str) -> Result<Profile, AppError> {
    let r = sqlx::query(
        "SELECT c.name, c.customer_no, c.phone, c.postal_code, c.address_line1, c.address_line2, u.locale,
                c.email_consent, c.email_consent_at, c.sms_consent, c.sms_consent_at
         FROM customers c JOIN users u ON u.id = c.user_id WHERE c.id = $1",
    )
    .bind(customer_id)
    .fetch_one(db)
    .await?;
    let locale: String = r.try_get("locale")?;
    Ok(Profile {
        name: r.try_get("name")?,
        email: email.to_string(),
        customer_no: r.try_get("customer_no")?,
        phone: r.try_get::<Option<String>, _>("phone")?.map(|p| crate::domain::phone::format_phone(&p)),
        postal_code: r.try_get("postal_code")?,
        address_line1: r.try_get("address_line1")?,
        address_line2: r.try_get("address_line2")?,
        locale: Locale::parse(&locale).unwrap_or_default(),
        email_consent: Consent { given: r.try_get::<i64, _>("email_consent")? != 0, at: r.try_get("email_consent_at")? },
        sms_consent: Consent { given: r.try_get::<i64, _>("sms_consent")? != 0, at: r.try_get("sms_consent_at")? },
    })
}

// ---- inquiries ----

pub async fn inquiries(db: &Db, customer_id: i64, status: Option<InquiryStatus>, page: u32, locale: Locale) -> Result<InquiryPage, AppError> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiries WHERE customer_id = $1 AND ($2 IS NULL OR status = $2)")
        .bind(customer_id)
        .bind(status)
        .fetch_one(db)
        .await?;
    let page = paging::clamp_page(page, total, paging::PER_PAGE);
    let items = sqlx::query_as::<_, ListRow>(&format!(
        "SELECT {LIST_COLUMNS}
         FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id
         WHERE i.customer_id = $1 AND ($2 IS NULL OR i.status = $2)
         ORDER BY i.created_at DESC, i.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(customer_id)
    .bind(status)
    .bind(paging::PER_PAGE as i64)
    .bind(paging::offset(page, paging::PER_PAGE))
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| r.in_locale(locale))
    .collect();
    Ok(InquiryPage { items, page, pages: paging::page_count(total, paging::PER_PAGE), total })
}

pub async fn inquiry(db: &Db, customer_id: i64, id: i64, locale: Locale, now: i64) -> Result<InquiryDetail, AppError> {
    let row = sqlx::query(
        "SELECT i.id, i.subject, i.status, t.name_ko AS type_name_ko, t.name_en AS type_name_en, i.created_at, i.resolved_at,
                i.closed_at, i.csat, i.csat_comment, o.order_no
         FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id LEFT JOIN orders o ON o.id = i.order_id
         WHERE i.id = $1 AND i.customer_id = $2",
    )
    .bind(id)
    .bind(customer_id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    // internal notes are for agents only: filtered here, in the one query customers reach
    let messages = sqlx::query(
        "SELECT m.id, m.author_kind, u.display_name AS author_name, m.body, m.created_at
         FROM inquiry_messages m LEFT JOIN users u ON u.id = m.author_user_id
         WHERE m.inquiry_id = $1 AND m.internal = 0
         ORDER BY m.created_at, m.id",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        let kind: String = r.try_get("author_kind")?;
        Ok(InquiryMessage {
            id: r.try_get("id")?,
            // agents are named by their display name; customers see no account details
            author_name: if kind == "agent" { r.try_get("author_name")? } else { None },
            author_kind: kind,
            body: r.try_get("body")?,
            at: r.try_get("created_at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let st: InquiryStatus = row.try_get("status")?;
    let ended_at: Option<i64> = row.try_get::<Option<i64>, _>("closed_at")?.or(row.try_get("resolved_at")?);
    let csat: Option<i64> = row.try_get("csat")?;
    Ok(InquiryDetail {
        id: row.try_get("id")?,
        subject: row.try_get("subject")?,
        type_name: localized(&row, TYPE_NAME, locale)?,
        order_no: row.try_get("order_no")?,
        created_at: row.try_get("created_at")?,
        can_reply: status::customer_may_reply(st),
        can_close: status::customer_may_close(st),
        can_reopen: status::customer_may_reopen(st, ended_at, now),
        can_rate: status::customer_may_rate(st, csat.is_some()),
        status: st,
        csat,
        csat_comment: row.try_get("csat_comment")?,
        messages,
    })
}

// ---- orders ----

pub async fn orders(db: &Db, customer_id: i64, status: Option<crate::model::OrderStatus>, page: u32) -> Result<OrderPage, AppError> {
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

pub async fn order(db: &Db, customer_id: i64, order_no: &str) -> Result<OrderDetail, AppError> {
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
