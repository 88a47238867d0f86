//! Customer records: the one customer key every other table refers to.

use super::Db;
use crate::customer::my_page::Notice;
use crate::customer::{MyOverview, OrderSummary};
use crate::error::AppError;
use crate::i18n::Locale;
use sqlx::Row;

/// Creates the customer record for a new customer account. The customer number is derived
/// from the account id, so it is unique and stable.
pub async fn insert<'c, E>(executor: E, user_id: i64, name: &str, at: i64) -> Result<i64, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Sqlite>,
{
    Ok(sqlx::query_scalar(
        "INSERT INTO customers (user_id, customer_no, name, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(format!("C{user_id:07}"))
    .bind(name)
    .bind(at)
    .fetch_one(executor)
    .await?)
}

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
    let name_col = super::inquiries::type_name_col(locale);
    let open_inquiries = sqlx::query(&format!(
        "SELECT i.id, i.subject, i.status, {name_col} AS type_name, i.created_at, i.updated_at
         FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id
         WHERE i.customer_id = $1 AND i.status NOT IN ('resolved', 'closed')
         ORDER BY i.created_at DESC LIMIT 5"
    ))
    .bind(customer_id)
    .fetch_all(db)
    .await?
    .iter()
    .map(super::inquiries::list_item)
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let (title, body) = match locale {
        Locale::Ko => ("title_ko", "body_ko"),
        Locale::En => ("title_en", "body_en"),
    };
    let notices = sqlx::query(&format!(
        "SELECT {title} AS title, {body} AS body, published_at FROM notices
         WHERE published_at <= $1 AND (expires_at IS NULL OR expires_at > $1)
         ORDER BY published_at DESC LIMIT 3"
    ))
    .bind(now)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| Ok(Notice { title: r.try_get("title")?, body: r.try_get("body")?, published_at: r.try_get("published_at")? }))
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
        open_chat: super::chats::current(db, customer_id).await?,
    })
}

pub async fn profile(db: &Db, customer_id: i64, email: &str) -> Result<crate::customer::profile::Profile, AppError> {
    use crate::customer::profile::{Consent, Profile};
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

/// Saves a validated profile: customer record, display name and language, in one transaction.
pub async fn update_profile(
    db: &Db,
    user_id: i64,
    customer_id: i64,
    p: &crate::domain::profile::ValidProfile,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    sqlx::query(
        "UPDATE customers SET name = $1, phone = $2, postal_code = $3, address_line1 = $4, address_line2 = $5, updated_at = $6
         WHERE id = $7",
    )
    .bind(&p.name)
    .bind(&p.phone)
    .bind(&p.postal_code)
    .bind(&p.address_line1)
    .bind(&p.address_line2)
    .bind(now)
    .bind(customer_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE users SET display_name = $1, locale = $2, updated_at = $3 WHERE id = $4")
        .bind(&p.name)
        .bind(p.locale.code())
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a consent change with its time; giving or withdrawing twice keeps the first time.
pub async fn set_consent(db: &Db, customer_id: i64, channel: &str, given: bool, now: i64) -> Result<(), AppError> {
    // channel is checked by the caller to be exactly "email" or "sms": fixed column names
    let (flag, at) = match channel {
        "email" => ("email_consent", "email_consent_at"),
        "sms" => ("sms_consent", "sms_consent_at"),
        _ => return Err(AppError::invalid("channel", crate::error::FieldCode::InvalidChoice)),
    };
    sqlx::query(&format!(
        "UPDATE customers SET {flag} = $1, {at} = $2, updated_at = $2 WHERE id = $3 AND {flag} <> $1"
    ))
    .bind(given as i64)
    .bind(now)
    .bind(customer_id)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn layout(db: &Db, customer_id: i64) -> Result<Vec<crate::domain::dashboard::PanelPref>, AppError> {
    let json: Option<String> = sqlx::query_scalar("SELECT dashboard_layout FROM customers WHERE id = $1")
        .bind(customer_id)
        .fetch_one(db)
        .await?;
    Ok(crate::domain::dashboard::parse_layout(json.as_deref()))
}

pub async fn save_layout(db: &Db, customer_id: i64, layout: &[crate::domain::dashboard::PanelPref]) -> Result<(), AppError> {
    let json = serde_json::to_string(layout).map_err(|e| AppError::internal("layout json", e))?;
    sqlx::query("UPDATE customers SET dashboard_layout = $1 WHERE id = $2")
        .bind(json)
        .bind(customer_id)
        .execute(db)
        .await?;
    Ok(())
}
