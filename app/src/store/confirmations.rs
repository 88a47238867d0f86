//! Links mailed to an address to prove it is the person's (`email_confirmations`): finishing a
//! registration, or moving an account to a new sign-in email. Only the token's hash is stored;
//! a link works once, until it expires, and using one retires the others for the same purpose.

use crate::error::AppError;
use crate::i18n::Locale;
use sqlx::Any;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Registration,
    EmailChange,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Registration => "registration",
            Purpose::EmailChange => "email_change",
        }
    }
}

/// A link that still works.
#[derive(Debug, Clone)]
pub struct Confirmation {
    pub id: i64,
    pub email: String,
    pub user_id: Option<i64>,
    pub display_name: Option<String>,
    pub password_hash: Option<String>,
    pub locale: Locale,
}

pub struct NewConfirmation<'a> {
    pub purpose: Purpose,
    pub token_hash: &'a str,
    pub email: &'a str,
    pub user_id: Option<i64>,
    pub display_name: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub locale: Locale,
}

pub async fn insert(tx: &mut crate::store::WriteTx, c: NewConfirmation<'_>, now: i64, lifetime_ms: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO email_confirmations (purpose, token_hash, email, email_key, user_id, display_name, password_hash, locale, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(c.purpose.as_str())
    .bind(c.token_hash)
    .bind(c.email)
    .bind(crate::domain::validation::email_key(c.email))
    .bind(c.user_id)
    .bind(c.display_name)
    .bind(c.password_hash)
    .bind(c.locale.code())
    .bind(now)
    .bind(now + lifetime_ms)
    .fetch_one(&mut **tx)
    .await?)
}

/// The unused, unexpired link of `purpose` with this token hash.
pub async fn find_valid<'c, E>(executor: E, purpose: Purpose, token_hash: &str, now: i64) -> Result<Option<Confirmation>, AppError>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let row: Option<ConfirmationRow> = sqlx::query_as(
        "SELECT id, email, user_id, display_name, password_hash, locale FROM email_confirmations
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(now)
    .fetch_optional(executor)
    .await?;
    Ok(row.map(Confirmation::from))
}

/// A link as stored (the language as its code).
#[derive(sqlx::FromRow)]
struct ConfirmationRow {
    id: i64,
    email: String,
    user_id: Option<i64>,
    display_name: Option<String>,
    password_hash: Option<String>,
    locale: String,
}

impl From<ConfirmationRow> for Confirmation {
    fn from(r: ConfirmationRow) -> Confirmation {
        Confirmation {
            id: r.id,
            email: r.email,
            user_id: r.user_id,
            display_name: r.display_name,
            password_hash: r.password_hash,
            locale: Locale::parse(&r.locale).unwrap_or_default(),
        }
    }
}

/// Marks `id` used, and every other open link for the same address (registration) or the same
/// account (email change) too: one confirmation settles the question.
pub async fn use_up(tx: &mut crate::store::WriteTx, c: &Confirmation, purpose: Purpose, now: i64) -> Result<(), AppError> {
    let sql = match purpose {
        Purpose::Registration => {
            "UPDATE email_confirmations SET used_at = $1 WHERE used_at IS NULL AND purpose = 'registration'
             AND (id = $2 OR email_key = $3)"
        }
        Purpose::EmailChange => {
            "UPDATE email_confirmations SET used_at = $1 WHERE used_at IS NULL AND purpose = 'email_change'
             AND (id = $2 OR user_id = $4)"
        }
    };
    sqlx::query(sql)
        .bind(now)
        .bind(c.id)
        .bind(crate::domain::validation::email_key(&c.email))
        .bind(c.user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Forgets links that expired more than a week ago (with the password hashes of registrations
/// never finished).
pub async fn prune(db: &super::Db, now: i64) -> Result<u64, AppError> {
    Ok(sqlx::query("DELETE FROM email_confirmations WHERE expires_at < $1")
        .bind(now - 7 * 24 * 3_600_000)
        .execute(db)
        .await?
        .rows_affected())
}
