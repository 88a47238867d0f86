//! Login attempts, kept for a day, read by the throttle (domain::throttle). An attempt is
//! recorded as a failure *before* its password is checked, in the same transaction as the count
//! that allowed it: parallel guesses queue on the write lock (on PostgreSQL on locks of the account
//! and the address) and each sees the ones before it.
//! A correct password turns its row into a success afterwards.

use super::Db;
use crate::domain::throttle::{self, Failures, PAIR_LOOKBACK_MS, WINDOW_MS};
use crate::error::AppError;

const KEEP_MS: i64 = 24 * 60 * 60 * 1000;

/// Either a reserved attempt (its row id) or the seconds to wait.
pub enum Reservation {
    Go(i64),
    Wait(u64),
}

/// Counts the failures that decide this attempt and, when it may go ahead, records it as a
/// failure — both in one write transaction.
pub async fn reserve(db: &Db, email_key: &str, ip: &str, now: i64) -> Result<Reservation, AppError> {
    let mut tx = super::write_tx(db).await?;
    // parallel guesses at one account, or from one address, count one after another (on
    // PostgreSQL; SQLite's one writer does this already): the account first, then the address,
    // always in that order
    tx.lock(super::Lock::Key(&format!("login-account:{email_key}"))).await?;
    tx.lock(super::Lock::Key(&format!("login-address:{ip}"))).await?;
    let pair: Vec<i64> = sqlx::query_scalar(
        "SELECT at FROM login_attempts
         WHERE email_key = $1 AND ip = $2 AND succeeded = 0 AND at > $3
           AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE email_key = $1 AND ip = $2 AND succeeded = 1), 0)",
    )
    .bind(email_key)
    .bind(ip)
    .bind(now - PAIR_LOOKBACK_MS)
    .fetch_all(&mut *tx)
    .await?;
    let address: Vec<i64> = sqlx::query_scalar("SELECT at FROM login_attempts WHERE ip = $1 AND succeeded = 0 AND at > $2")
        .bind(ip)
        .bind(now - WINDOW_MS)
        .fetch_all(&mut *tx)
        .await?;
    let account: Vec<i64> = sqlx::query_scalar(
        "SELECT at FROM login_attempts
         WHERE email_key = $1 AND succeeded = 0 AND at > $2
           AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE email_key = $1 AND succeeded = 1), 0)",
    )
    .bind(email_key)
    .bind(now - WINDOW_MS)
    .fetch_all(&mut *tx)
    .await?;
    if let Some(wait) = throttle::login_wait(&Failures { pair, address, account }, now) {
        tx.rollback().await?;
        return Ok(Reservation::Wait(wait));
    }
    let id: i64 = sqlx::query_scalar("INSERT INTO login_attempts (email_key, ip, succeeded, at) VALUES ($1, $2, 0, $3) RETURNING id")
        .bind(email_key)
        .bind(ip)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Reservation::Go(id))
}

/// The reserved attempt turned out right.
pub async fn succeeded(db: &Db, attempt: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE login_attempts SET succeeded = 1 WHERE id = $1").bind(attempt).execute(db).await?;
    Ok(())
}

/// Forgets attempts older than a day (the throttle never looks further back).
pub async fn prune(db: &Db, now: i64) -> Result<u64, AppError> {
    Ok(sqlx::query("DELETE FROM login_attempts WHERE at < $1").bind(now - KEEP_MS).execute(db).await?.rows_affected())
}
