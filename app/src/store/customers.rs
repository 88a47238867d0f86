//! Customer records: the one customer key every other table refers to.

use super::Db;
use crate::error::AppError;

/// Creates the customer record for a new customer account. The customer number is derived
/// from the account id, so it is unique and stable.
pub async fn insert<'c, E>(executor: E, user_id: i64, name: &str, at: i64) -> Result<i64, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
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
