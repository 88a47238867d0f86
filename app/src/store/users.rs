//! Users (every account) and the customer record created with a customer's account.

use super::Db;
use crate::model::CurrentUser;
use crate::domain::roles::Role;
use crate::error::{AppError, FieldCode};
use crate::i18n::Locale;
use sqlx::Row;

/// What login needs to know about an account.
pub struct LoginRecord {
    pub id: i64,
    pub password_hash: String,
    pub disabled: bool,
    pub locale: Locale,
    pub role: Role,
    pub session_epoch: i64,
}

fn row_to_user(row: &sqlx::sqlite::SqliteRow) -> Result<CurrentUser, AppError> {
    let role: String = row.try_get("role")?;
    let locale: String = row.try_get("locale")?;
    Ok(CurrentUser {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("display_name")?,
        role: Role::parse(&role).ok_or_else(|| AppError::internal("users.role", &role))?,
        locale: Locale::parse(&locale).unwrap_or_default(),
        customer_id: row.try_get("customer_id")?,
    })
}

/// The signed-in user behind a session and the account's session epoch, unless the account is
/// gone or disabled.
pub async fn find_active(db: &Db, id: i64) -> Result<Option<(CurrentUser, i64)>, AppError> {
    let row = sqlx::query(
        "SELECT u.id, u.email, u.display_name, u.role, u.locale, u.session_epoch, c.id AS customer_id
         FROM users u LEFT JOIN customers c ON c.user_id = u.id WHERE u.id = $1 AND u.disabled = 0",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some((row_to_user(&row)?, row.try_get("session_epoch")?)))
}

pub async fn find_for_login(db: &Db, email_key: &str) -> Result<Option<LoginRecord>, AppError> {
    let row = sqlx::query(
        "SELECT id, password_hash, disabled, locale, role, session_epoch FROM users WHERE email_key = $1",
    )
    .bind(email_key)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let role: String = row.try_get("role")?;
    let locale: String = row.try_get("locale")?;
    Ok(Some(LoginRecord {
        id: row.try_get("id")?,
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        locale: Locale::parse(&locale).unwrap_or_default(),
        role: Role::parse(&role).ok_or_else(|| AppError::internal("users.role", &role))?,
        session_epoch: row.try_get("session_epoch")?,
    }))
}

/// True when an account uses this email (any case).
pub async fn email_exists<'c, E>(executor: E, email_key: &str) -> Result<bool, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Sqlite>,
{
    Ok(sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE email_key = $1")
        .bind(email_key)
        .fetch_optional(executor)
        .await?
        .is_some())
}

/// An enabled account's sign-in email, name and language (for mails about the account).
pub async fn contact<'c, E>(executor: E, id: i64) -> Result<Option<(String, String, Locale)>, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Sqlite>,
{
    let row = sqlx::query("SELECT email, display_name, locale FROM users WHERE id = $1 AND disabled = 0")
        .bind(id)
        .fetch_optional(executor)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let locale: String = row.try_get("locale")?;
    Ok(Some((row.try_get("email")?, row.try_get("display_name")?, Locale::parse(&locale).unwrap_or_default())))
}

/// True when `err` is a unique violation on `column` of `table` (SQLite names the column,
/// PostgreSQL the constraint, so both are checked).
pub fn is_unique_violation(err: &sqlx::Error, constraint: &str, table_column: &str) -> bool {
    match err {
        sqlx::Error::Database(db_err) => {
            db_err.is_unique_violation()
                && (db_err.constraint() == Some(constraint) || db_err.message().contains(table_column))
        }
        _ => false,
    }
}

/// Inserts a user of any role; an existing email (any case) is a field error.
pub async fn insert_user<'c, E>(
    executor: E,
    email: &str,
    password_hash: &str,
    role: Role,
    display_name: &str,
    locale: Locale,
    at: i64,
) -> Result<i64, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Sqlite>,
{
    sqlx::query_scalar::<_, i64>(
        "INSERT INTO users (email, email_key, password_hash, role, display_name, locale, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(email)
    .bind(crate::domain::validation::email_key(email))
    .bind(password_hash)
    .bind(role.as_str())
    .bind(display_name)
    .bind(locale.code())
    .bind(at)
    .fetch_one(executor)
    .await
    .map_err(|e| {
        if is_unique_violation(&e, "users_email_key_unique", "users.email_key") {
            AppError::invalid("email", FieldCode::EmailTaken)
        } else {
            e.into()
        }
    })
}

/// Creates a customer account and its customer record in the caller's transaction.
pub async fn create_customer(
    tx: &mut crate::store::WriteTx,
    name: &str,
    email: &str,
    password_hash: &str,
    locale: Locale,
    at: i64,
) -> Result<i64, AppError> {
    let user_id = insert_user(&mut **tx, email, password_hash, Role::Customer, name, locale, at).await?;
    super::customers::insert(&mut **tx, user_id, name, at).await?;
    Ok(user_id)
}

pub async fn password_hash(db: &Db, id: i64) -> Result<String, AppError> {
    Ok(sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(db)
        .await?)
}

/// Sets a new password and moves the account's session epoch on, which ends every session
/// signed in before; returns the new epoch (for the session that changed it).
pub async fn set_password_hash<'c, E>(executor: E, id: i64, hash: &str, now: i64) -> Result<i64, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Sqlite>,
{
    Ok(sqlx::query_scalar(
        "UPDATE users SET password_hash = $1, session_epoch = session_epoch + 1, updated_at = $2 WHERE id = $3 RETURNING session_epoch",
    )
    .bind(hash)
    .bind(now)
    .bind(id)
    .fetch_one(executor)
    .await?)
}

pub async fn set_locale(db: &Db, id: i64, locale: Locale, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3")
        .bind(locale.code())
        .bind(now)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Changes the sign-in email and, like a password change, ends every session (returns the new
/// epoch); an email another account uses (any case) is a field error on `field`.
pub async fn set_email<'c, E>(executor: E, id: i64, email: &str, field: &str, now: i64) -> Result<i64, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Sqlite>,
{
    sqlx::query_scalar(
        "UPDATE users SET email = $1, email_key = $2, session_epoch = session_epoch + 1, updated_at = $3 WHERE id = $4 RETURNING session_epoch",
    )
    .bind(email)
    .bind(crate::domain::validation::email_key(email))
    .bind(now)
    .bind(id)
    .fetch_one(executor)
    .await
    .map_err(|e| {
        if is_unique_violation(&e, "users_email_key_unique", "users.email_key") {
            AppError::invalid(field, FieldCode::EmailTaken)
        } else {
            e.into()
        }
    })
}
