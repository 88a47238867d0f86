//! Service notices: published by admins, shown on customers' My page, and mailed — in the same
//! transaction — to the customers who agreed to email.

use super::{Db, WriteTx};
use crate::error::AppError;

/// A notice as the admin list shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub title_ko: String,
    pub title_en: String,
    pub published_at: i64,
    pub expires_at: Option<i64>,
    pub mailed: i64,
}

/// The latest notices first.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<NoticeRow>, AppError> {
    Ok(sqlx::query_as("SELECT id, title_ko, title_en, published_at, expires_at, mailed FROM notices ORDER BY published_at DESC, id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(db)
        .await?)
}

/// A notice to publish, checked.
pub struct NewNotice<'a> {
    pub title_ko: &'a str,
    pub title_en: &'a str,
    pub body_ko: &'a str,
    pub body_en: &'a str,
    pub expires_at: Option<i64>,
}

pub async fn insert(tx: &mut WriteTx, n: &NewNotice<'_>, admin: i64, now: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO notices (title_ko, title_en, body_ko, body_en, published_at, expires_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(n.title_ko)
    .bind(n.title_en)
    .bind(n.body_ko)
    .bind(n.body_en)
    .bind(now)
    .bind(n.expires_at)
    .bind(admin)
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn set_mailed(tx: &mut WriteTx, id: i64, mailed: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE notices SET mailed = $1 WHERE id = $2").bind(mailed).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// A customer who agreed to email: whom a notice is mailed to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Subscriber {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub locale: String,
    pub email_consent_at: Option<i64>,
}

/// Every customer who agreed to email and has not withdrawn it (and can be reached: not
/// disabled). Read in the transaction that queues the mails.
pub async fn subscribers(tx: &mut WriteTx) -> Result<Vec<Subscriber>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id AS user_id, u.email, c.name, u.locale, c.email_consent_at
         FROM customers c JOIN users u ON u.id = c.user_id
         WHERE c.email_consent = 1 AND u.disabled = 0 ORDER BY u.id",
    )
    .fetch_all(&mut **tx)
    .await?)
}

/// How many customers a mailed notice would reach now.
pub async fn subscriber_count(db: &Db) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM customers c JOIN users u ON u.id = c.user_id WHERE c.email_consent = 1 AND u.disabled = 0")
        .fetch_one(db)
        .await?)
}
