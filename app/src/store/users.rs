//! Users (every account) and the customer record created with a customer's account.

use super::Db;
use crate::model::CurrentUser;
use crate::domain::roles::Role;
use crate::error::{AppError, FieldCode};
use crate::i18n::Locale;

/// What login needs to know about an account.
pub struct LoginRecord {
    pub id: i64,
    pub password_hash: String,
    pub disabled: bool,
    pub locale: Locale,
    pub role: Role,
    pub session_epoch: i64,
}

/// A stored role word as a role; a word the code does not know is an internal error.
fn role_of(word: &str) -> Result<Role, AppError> {
    Role::parse(word).ok_or_else(|| AppError::internal("users.role", word))
}

/// A stored language code as a locale (an unknown one falls back to the default).
fn locale_of(code: &str) -> Locale {
    Locale::parse(code).unwrap_or_default()
}

/// An enabled account as stored, with its customer record and session epoch.
#[derive(sqlx::FromRow)]
struct ActiveRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    locale: String,
    session_epoch: i64,
    customer_id: Option<i64>,
}

/// The signed-in user behind a session and the account's session epoch, unless the account is
/// gone or disabled.
pub async fn find_active(db: &Db, id: i64) -> Result<Option<(CurrentUser, i64)>, AppError> {
    let row: Option<ActiveRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.role, u.locale, u.session_epoch, c.id AS customer_id
         FROM users u LEFT JOIN customers c ON c.user_id = u.id WHERE u.id = $1 AND u.disabled = 0",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let user = CurrentUser {
        id: row.id,
        email: row.email,
        name: row.display_name,
        role: role_of(&row.role)?,
        locale: locale_of(&row.locale),
        customer_id: row.customer_id,
    };
    Ok(Some((user, row.session_epoch)))
}

/// An account as login reads it.
#[derive(sqlx::FromRow)]
struct LoginRow {
    id: i64,
    password_hash: String,
    #[sqlx(try_from = "crate::model::Flag")]
    disabled: bool,
    locale: String,
    role: String,
    session_epoch: i64,
}

pub async fn find_for_login(db: &Db, email_key: &str) -> Result<Option<LoginRecord>, AppError> {
    let row: Option<LoginRow> = sqlx::query_as(
        // an account made from a mail (no password) cannot sign in: as if there were none
        "SELECT id, password_hash, disabled, locale, role, session_epoch FROM users WHERE email_key = $1 AND mail_only = 0",
    )
    .bind(email_key)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(LoginRecord {
        id: row.id,
        password_hash: row.password_hash,
        disabled: row.disabled,
        locale: locale_of(&row.locale),
        role: role_of(&row.role)?,
        session_epoch: row.session_epoch,
    }))
}

/// True when an account uses this email (any case).
pub async fn email_exists<'c, E>(executor: E, email_key: &str) -> Result<bool, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE email_key = $1")
        .bind(email_key)
        .fetch_optional(executor)
        .await?
        .is_some())
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    email: String,
    display_name: String,
    locale: String,
}

/// An enabled account's sign-in email, name and language (for mails about the account).
pub async fn contact<'c, E>(executor: E, id: i64) -> Result<Option<(String, String, Locale)>, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let row: Option<ContactRow> = sqlx::query_as("SELECT email, display_name, locale FROM users WHERE id = $1 AND disabled = 0")
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.map(|r| (r.email, r.display_name, locale_of(&r.locale))))
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
    E: sqlx::Executor<'c, Database = sqlx::Any>,
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

/// Who uses a mail address, as the mail import needs it: the customer record it belongs to, or
/// `Err(())` when it is staff's (agents' and admins' mail is not filed as inquiries).
pub async fn customer_by_email(conn: &mut crate::store::Conn, email: &str) -> Result<Option<Result<i64, ()>>, AppError> {
    let row: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT u.role, c.id FROM users u LEFT JOIN customers c ON c.user_id = u.id WHERE u.email_key = $1",
    )
    .bind(crate::domain::validation::email_key(email))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(role, customer)| match (role.as_str(), customer) {
        ("customer", Some(id)) => Ok(id),
        _ => Err(()),
    }))
}

/// A customer who wrote from an address with no account: an account without a password
/// (`mail_only`), which cannot sign in until the address is proven by registering with it.
/// Returns the customer id.
pub async fn create_mail_only_customer(tx: &mut crate::store::WriteTx, name: &str, email: &str, locale: Locale, at: i64) -> Result<i64, AppError> {
    let user_id = insert_user(&mut **tx, email, "", Role::Customer, name, locale, at).await?;
    sqlx::query("UPDATE users SET mail_only = 1 WHERE id = $1").bind(user_id).execute(&mut **tx).await?;
    super::customers::insert(&mut **tx, user_id, name, at).await
}

/// The account made from mails at this address, if it has not been claimed yet.
pub async fn mail_only_id<'c, E>(executor: E, email_key: &str) -> Result<Option<i64>, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    Ok(sqlx::query_scalar("SELECT id FROM users WHERE email_key = $1 AND mail_only = 1")
        .bind(email_key)
        .fetch_optional(executor)
        .await?)
}

/// Gives an account made from mails the name, password and language its owner registered with
/// (after the registration link proved the address): it signs in from now on, with its history.
pub async fn claim_mail_only(tx: &mut crate::store::WriteTx, user_id: i64, name: &str, password_hash: &str, locale: Locale, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET mail_only = 0, password_hash = $1, display_name = $2, locale = $3, updated_at = $4 WHERE id = $5 AND mail_only = 1")
        .bind(password_hash)
        .bind(name)
        .bind(locale.code())
        .bind(now)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE customers SET name = $1, updated_at = $2 WHERE user_id = $3").bind(name).bind(now).bind(user_id).execute(&mut **tx).await?;
    Ok(())
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
    E: sqlx::Executor<'c, Database = sqlx::Any>,
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
    E: sqlx::Executor<'c, Database = sqlx::Any>,
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
