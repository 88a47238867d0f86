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
use crate::store::{Db, TypeName};

// ---- My page and profile ----

/// The customer's own facts on the dashboard, with the open chat and one of the recent orders
/// (none when the customer has no order: the order columns are then null).
#[derive(sqlx::FromRow)]
struct DashboardRow {
    id: i64,
    name: String,
    customer_no: String,
    grade: crate::model::Grade,
    dashboard_layout: Option<String>,
    open_chat: Option<i64>,
    order_no: Option<String>,
    status: Option<crate::model::OrderStatus>,
    total_won: Option<i64>,
    placed_at: Option<i64>,
}

impl DashboardRow {
    fn order(&self) -> Option<OrderSummary> {
        match (&self.order_no, self.status, self.total_won, self.placed_at) {
            (Some(order_no), Some(status), Some(total_won), Some(placed_at)) => {
                Some(OrderSummary { order_no: order_no.clone(), status, total_won, placed_at })
            }
            _ => None,
        }
    }
}

/// A notice in both languages.
#[derive(sqlx::FromRow)]
struct NoticeRow {
    title_ko: String,
    title_en: String,
    body_ko: String,
    body_en: String,
    published_at: i64,
}

impl NoticeRow {
    fn in_locale(self, locale: Locale) -> Notice {
        Notice { title: locale.pick(self.title_ko, self.title_en), body: locale.pick(self.body_ko, self.body_en), published_at: self.published_at }
    }
}

/// The dashboard of the customer whose account is `user_id`.
pub async fn overview(db: &Db, user_id: i64, locale: Locale, now: i64) -> Result<MyOverview, AppError> {
    // three statements on one connection: each statement run on the pool takes a connection
    // and gives it back, and sqlx pings a connection on its way back (a round trip to its thread)
    let mut conn = db.acquire().await?;
    // the customer row, its open chat (the same rule as `store::chats::current`) and its five
    // latest orders in one statement: a row per order, the customer's columns repeated
    let rows: Vec<DashboardRow> = sqlx::query_as(
        "SELECT c.id, c.name, c.customer_no, c.grade, c.dashboard_layout,
                (SELECT h.id FROM chats h WHERE h.customer_id = c.id AND h.status <> 'ended' ORDER BY h.id DESC LIMIT 1) AS open_chat,
                o.order_no, o.status, o.total_won, o.placed_at
         FROM customers c
         LEFT JOIN (SELECT customer_id, order_no, status, total_won, placed_at FROM orders
                     WHERE customer_id = (SELECT id FROM customers WHERE user_id = $1)
                     ORDER BY placed_at DESC LIMIT 5) o ON o.customer_id = c.id
         WHERE c.user_id = $1
         ORDER BY o.placed_at DESC",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    let row = rows.first().ok_or(AppError::NotFound)?;
    let customer_id = row.id;
    let recent_orders: Vec<OrderSummary> = rows.iter().filter_map(DashboardRow::order).collect();
    let open_inquiries = sqlx::query_as::<_, ListRow>(&format!(
        "SELECT {LIST_COLUMNS}
         FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id
         WHERE i.customer_id = $1 AND i.status NOT IN ('resolved', 'closed')
         ORDER BY i.created_at DESC LIMIT 5"
    ))
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| r.in_locale(locale))
    .collect();
    let notices = sqlx::query_as::<_, NoticeRow>(
        "SELECT title_ko, title_en, body_ko, body_en, published_at FROM notices
         WHERE published_at <= $1 AND (expires_at IS NULL OR expires_at > $1)
         ORDER BY published_at DESC LIMIT 3",
    )
    .bind(now)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| r.in_locale(locale))
    .collect();
    Ok(MyOverview {
        name: row.name.clone(),
        customer_no: row.customer_no.clone(),
        grade: row.grade,
        layout: crate::domain::dashboard::parse_layout(row.dashboard_layout.as_deref()),
        recent_orders,
        open_inquiries,
        notices,
        open_chat: row.open_chat,
    })
}

/// The profile as stored (phone as digits, language as its code, consents as flags).
#[derive(sqlx::FromRow)]
struct ProfileRow {
    name: String,
    customer_no: String,
    phone: Option<String>,
    postal_code: Option<String>,
    address_line1: Option<String>,
    address_line2: Option<String>,
    locale: String,
    #[sqlx(try_from = "crate::model::Flag")]
    email_consent: bool,
    email_consent_at: Option<i64>,
    #[sqlx(try_from = "crate::model::Flag")]
    sms_consent: bool,
    sms_consent_at: Option<i64>,
}

pub async fn profile(db: &Db, customer_id: i64, email: &str) -> Result<Profile, AppError> {
    let r: ProfileRow = sqlx::query_as(
        "SELECT c.name, c.customer_no, c.phone, c.postal_code, c.address_line1, c.address_line2, u.locale,
                c.email_consent, c.email_consent_at, c.sms_consent, c.sms_consent_at
         FROM customers c JOIN users u ON u.id = c.user_id WHERE c.id = $1",
    )
    .bind(customer_id)
    .fetch_one(db)
    .await?;
    Ok(Profile {
        name: r.name,
        email: email.to_string(),
        customer_no: r.customer_no,
        phone: r.phone.map(|p| crate::domain::phone::format_phone(&p)),
        postal_code: r.postal_code,
        address_line1: r.address_line1,
        address_line2: r.address_line2,
        locale: Locale::parse(&r.locale).unwrap_or_default(),
        email_consent: Consent { given: r.email_consent, at: r.email_consent_at },
        sms_consent: Consent { given: r.sms_consent, at: r.sms_consent_at },
    })
}

// ---- inquiries ----

pub async fn inquiries(db: &Db, customer_id: i64, status: Option<InquiryStatus>, page: u32, locale: Locale) -> Result<InquiryPage, AppError> {
    // both statements on one connection (see `overview`)
    let mut conn = db.acquire().await?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inquiries WHERE customer_id = $1 AND ($2 IS NULL OR status = $2)")
        .bind(customer_id)
        .bind(status)
        .fetch_one(&mut *conn)
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
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| r.in_locale(locale))
    .collect();
    Ok(InquiryPage { items, page, pages: paging::page_count(total, paging::PER_PAGE), total })
}

/// An inquiry as its customer's page reads it, its type's name in both languages.
#[derive(sqlx::FromRow)]
struct InquiryRow {
    id: i64,
    subject: String,
    status: InquiryStatus,
    #[sqlx(flatten)]
    type_name: TypeName,
    created_at: i64,
    resolved_at: Option<i64>,
    closed_at: Option<i64>,
    csat: Option<i64>,
    csat_comment: Option<String>,
    order_no: Option<String>,
    #[sqlx(try_from = "crate::model::Flag")]
    auto_answer: bool,
}

/// How long after filing the inquiry page keeps looking for the semantic FAQ head's answer
/// (moments at most; 0.6 s at the 99th percentile at 100 inquiries a second, `bench/semantic.sh`).
pub const DECIDING_MS: i64 = 15_000;

/// A message of the thread as stored, with its author's display name.
#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    author_kind: String,
    author_name: Option<String>,
    body: String,
    created_at: i64,
    files: String,
}

impl From<MessageRow> for InquiryMessage {
    fn from(r: MessageRow) -> InquiryMessage {
        InquiryMessage {
            id: r.id,
            // agents are named by their display name; customers see no account details
            author_name: if r.author_kind == "agent" { r.author_name } else { None },
            author_kind: r.author_kind,
            body: r.body,
            at: r.created_at,
            attachments: crate::store::attachments::files_from_json(&r.files),
        }
    }
}

pub async fn inquiry(db: &Db, customer_id: i64, id: i64, locale: Locale, now: i64) -> Result<InquiryDetail, AppError> {
    let row: InquiryRow = sqlx::query_as(
        "SELECT i.id, i.subject, i.status, t.name_ko AS type_name_ko, t.name_en AS type_name_en, i.created_at, i.resolved_at,
                i.closed_at, i.csat, i.csat_comment, o.order_no, t.auto_answer
         FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id LEFT JOIN orders o ON o.id = i.order_id
         WHERE i.id = $1 AND i.customer_id = $2",
    )
    .bind(id)
    .bind(customer_id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    // internal notes are for agents only: filtered here, in the one query customers reach; an
    // agent by the name customers see
    let messages: Vec<InquiryMessage> = sqlx::query_as::<_, MessageRow>(&format!(
        "SELECT m.id, m.author_kind, COALESCE(NULLIF(a.public_name, ''), u.display_name) AS author_name, m.body, m.created_at, {}
         FROM inquiry_messages m LEFT JOIN users u ON u.id = m.author_user_id LEFT JOIN agents a ON a.user_id = m.author_user_id
         WHERE m.inquiry_id = $1 AND m.internal = 0
         ORDER BY m.created_at, m.id",
        crate::store::attachments::files_of_message_sql(crate::store::Backend::of(db))
    ))
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(InquiryMessage::from)
    .collect();
    let st = row.status;
    let ended_at = row.closed_at.or(row.resolved_at);
    let csat = row.csat;
    // just filed, nobody has answered, and its type answers automatically: an answer by meaning
    // may come in a moment (the server function adds whether the semantic head runs)
    let deciding = st == InquiryStatus::New
        && row.auto_answer
        && now.saturating_sub(row.created_at) < DECIDING_MS
        && messages.iter().all(|m| m.author_kind == "customer");
    Ok(InquiryDetail {
        deciding,
        id: row.id,
        subject: row.subject,
        type_name: row.type_name.in_locale(locale),
        order_no: row.order_no,
        created_at: row.created_at,
        can_reply: status::customer_may_reply(st),
        can_close: status::customer_may_close(st),
        can_reopen: status::customer_may_reopen(st, ended_at, now),
        can_rate: status::customer_may_rate(st, csat.is_some()),
        status: st,
        csat,
        csat_comment: row.csat_comment,
        messages,
    })
}

// ---- orders ----

/// An order in the list; `first_item` is NULL for an order without items.
#[derive(sqlx::FromRow)]
struct OrderListRow {
    order_no: String,
    status: crate::model::OrderStatus,
    total_won: i64,
    placed_at: i64,
    item_count: i64,
    first_item: Option<String>,
}

pub async fn orders(db: &Db, customer_id: i64, status: Option<crate::model::OrderStatus>, page: u32) -> Result<OrderPage, AppError> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders WHERE customer_id = $1 AND ($2 IS NULL OR status = $2)",
    )
    .bind(customer_id)
    .bind(status)
    .fetch_one(db)
    .await?;
    let page = paging::clamp_page(page, total, paging::PER_PAGE);
    let rows: Vec<OrderListRow> = sqlx::query_as(
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
        .into_iter()
        .map(|r| OrderListItem {
            order_no: r.order_no,
            status: r.status,
            total_won: r.total_won,
            placed_at: r.placed_at,
            item_count: r.item_count,
            first_item: r.first_item.unwrap_or_default(),
        })
        .collect();
    Ok(OrderPage { items, page, pages: paging::page_count(total, paging::PER_PAGE), total })
}

/// An order with its shipping address as stored (phone as digits).
#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    order_no: String,
    status: crate::model::OrderStatus,
    total_won: i64,
    placed_at: i64,
    ship_name: String,
    ship_phone: Option<String>,
    ship_postal_code: Option<String>,
    ship_address1: Option<String>,
    ship_address2: Option<String>,
}

pub async fn order(db: &Db, customer_id: i64, order_no: &str) -> Result<OrderDetail, AppError> {
    let row: OrderRow = sqlx::query_as(
        "SELECT id, order_no, status, total_won, placed_at, ship_name, ship_phone, ship_postal_code, ship_address1, ship_address2
         FROM orders WHERE customer_id = $1 AND order_no = $2",
    )
    .bind(customer_id)
    .bind(order_no)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let items: Vec<OrderItem> = sqlx::query_as("SELECT product_name, quantity, unit_price_won FROM order_items WHERE order_id = $1 ORDER BY id")
        .bind(row.id)
        .fetch_all(db)
        .await?;
    let events: Vec<OrderEvent> = sqlx::query_as("SELECT status, at FROM order_events WHERE order_id = $1 ORDER BY at, id")
        .bind(row.id)
        .fetch_all(db)
        .await?;
    Ok(OrderDetail {
        order_no: row.order_no,
        status: row.status,
        total_won: row.total_won,
        placed_at: row.placed_at,
        items,
        ship: ShippingAddress {
            name: row.ship_name,
            phone: row.ship_phone.map(|p| crate::domain::phone::format_phone(&p)),
            postal_code: row.ship_postal_code,
            address_line1: row.ship_address1,
            address_line2: row.ship_address2,
        },
        events,
    })
}
