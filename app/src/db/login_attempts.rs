//! Login attempts, kept for a day, read by the throttle (domain::throttle).

use super::Db;
use crate::domain::throttle::WINDOW_MS;
use crate::error::AppError;

const KEEP_MS: i64 = 24 * 60 * 60 * 1000;

pub async fn record(db: &Db, email_key: &str, ip: &str, succeeded: bool, at: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO login_attempts (email_key, ip, succeeded, at) VALUES ($1, $2, $3, $4)")
        .bind(email_key)
        .bind(ip)
        .bind(succeeded as i64)
        .bind(at)
        .execute(db)
        .await?;
    sqlx::query("DELETE FROM login_attempts WHERE at < $1")
        .bind(at - KEEP_MS)
        .execute(db)
        .await?;
    Ok(())
}

/// Failure times for an account within the window and after its last successful login.
pub async fn account_failures(db: &Db, email_key: &str, now: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT at FROM login_attempts
         WHERE email_key = $1 AND succeeded = 0 AND at > $2
           AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE email_key = $1 AND succeeded = 1), 0)",
    )
    .bind(email_key)
    .bind(now - WINDOW_MS)
    .fetch_all(db)
    .await?)
}

/// Failure times from one client address within the window.
pub async fn address_failures(db: &Db, ip: &str, now: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT at FROM login_attempts WHERE ip = $1 AND succeeded = 0 AND at > $2")
        .bind(ip)
        .bind(now - WINDOW_MS)
        .fetch_all(db)
        .await?)
}
