//! Customer records: the one customer key every other table refers to.

use super::Db;
use crate::customer::{InquirySummary, MyOverview, OrderSummary};
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
pub async fn overview(db: &Db, user_id: i64, locale: Locale) -> Result<MyOverview, AppError> {
    let row = sqlx::query("SELECT id, name, customer_no, grade FROM customers WHERE user_id = $1")
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
    let name_col = match locale {
        Locale::Ko => "t.name_ko",
        Locale::En => "t.name_en",
    };
    // name_col is one of two fixed column names, never user input
    let open_inquiries = sqlx::query(&format!(
        "SELECT i.id, i.subject, i.status, {name_col} AS type_name, i.created_at
         FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id
         WHERE i.customer_id = $1 AND i.status NOT IN ('resolved', 'closed')
         ORDER BY i.created_at DESC LIMIT 5"
    ))
    .bind(customer_id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(InquirySummary {
            id: r.try_get("id")?,
            subject: r.try_get("subject")?,
            status: r.try_get("status")?,
            type_name: r.try_get("type_name")?,
            created_at: r.try_get("created_at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(MyOverview {
        name: row.try_get("name")?,
        customer_no: row.try_get("customer_no")?,
        grade: row.try_get("grade")?,
        recent_orders,
        open_inquiries,
    })
}
