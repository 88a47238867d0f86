//! Support mailboxes an admin connected (`mailboxes`): where the mail import reads, and the
//! reply address answers to their inquiries name.

use super::{Db, WriteTx};
use crate::error::AppError;

/// A mailbox as the import reads it (with its password).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Mailbox {
    pub id: i64,
    pub address: String,
    pub url: String,
    pub username: String,
    pub password: String,
    pub folder: String,
    pub type_id: i64,
    pub type_code: String,
    pub poll_seconds: i64,
    #[sqlx(try_from = "crate::model::Flag")]
    pub enabled: bool,
    pub last_polled_at: Option<i64>,
    pub last_error: Option<String>,
    pub updated_at: i64,
}

const COLUMNS: &str = "SELECT b.id, b.address, b.url, b.username, b.password, b.folder, b.type_id, t.code AS type_code, b.poll_seconds,
                              b.enabled, b.last_polled_at, b.last_error, b.updated_at
                       FROM mailboxes b JOIN inquiry_types t ON t.id = b.type_id";

/// Every mailbox, oldest first (the admin page blanks the passwords before showing them).
pub async fn all(db: &Db) -> Result<Vec<Mailbox>, AppError> {
    Ok(sqlx::query_as(&format!("{COLUMNS} ORDER BY b.id")).fetch_all(db).await?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Mailbox>, AppError> {
    Ok(sqlx::query_as(&format!("{COLUMNS} WHERE b.id = $1")).bind(id).fetch_optional(db).await?)
}

/// A mailbox's settings as an admin saved them (validated by the caller).
pub struct MailboxSettings<'a> {
    pub address: &'a str,
    pub url: &'a str,
    pub username: &'a str,
    /// `None` keeps the saved password (the form never shows it).
    pub password: Option<&'a str>,
    pub folder: &'a str,
    pub type_id: i64,
    pub poll_seconds: i64,
    pub enabled: bool,
}

pub async fn insert(tx: &mut WriteTx, m: &MailboxSettings<'_>, now: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO mailboxes (address, url, username, password, folder, type_id, poll_seconds, enabled, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(m.address)
    .bind(m.url)
    .bind(m.username)
    .bind(m.password.unwrap_or_default())
    .bind(m.folder)
    .bind(m.type_id)
    .bind(m.poll_seconds)
    .bind(i64::from(m.enabled))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// Saves new settings; `false` when there is no such mailbox.
pub async fn update(tx: &mut WriteTx, id: i64, m: &MailboxSettings<'_>, now: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE mailboxes SET address = $1, url = $2, username = $3, password = COALESCE($4, password), folder = $5, type_id = $6,
                poll_seconds = $7, enabled = $8, last_error = NULL, updated_at = $9
         WHERE id = $10",
    )
    .bind(m.address)
    .bind(m.url)
    .bind(m.username)
    .bind(m.password)
    .bind(m.folder)
    .bind(m.type_id)
    .bind(m.poll_seconds)
    .bind(i64::from(m.enabled))
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Seals the passwords stored before sealing existed (see `secrets`); returns how many.
pub async fn seal_stored(db: &Db, secrets: &crate::secrets::Secrets) -> Result<u64, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, password FROM mailboxes WHERE password NOT LIKE 'v1:%'").fetch_all(db).await?;
    let mut tx = super::write_tx(db).await?;
    for (id, plain) in &rows {
        let sealed = secrets.seal(plain).map_err(|e| AppError::internal("secrets", e))?;
        // only if it is still the value read (an admin may have saved meanwhile)
        sqlx::query("UPDATE mailboxes SET password = $1 WHERE id = $2 AND password = $3").bind(sealed).bind(id).bind(plain).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

/// Removes a mailbox (the mails read from it stay, without it); `false` when there was none.
pub async fn delete(tx: &mut WriteTx, id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query("DELETE FROM mailboxes WHERE id = $1").bind(id).execute(&mut **tx).await?.rows_affected() == 1)
}

/// Notes a poll: when, and why it failed (`None` after a good one).
pub async fn polled(db: &Db, id: i64, error: Option<&str>, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE mailboxes SET last_polled_at = $1, last_error = $2 WHERE id = $3")
        .bind(now)
        .bind(error)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// The address a customer's answer to inquiry `id` should go to: the mailbox its first mail came
/// in by, else an enabled mailbox of its type, else any enabled one; `None` without mailboxes.
pub async fn reply_address(conn: &mut crate::store::Conn, inquiry_id: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT address FROM (
             SELECT b.address, 0 AS rank, m.id AS n FROM inbound_mails m JOIN mailboxes b ON b.id = m.mailbox_id WHERE m.inquiry_id = $1
             UNION ALL
             SELECT b.address, 1, b.id FROM mailboxes b JOIN inquiries i ON i.type_id = b.type_id WHERE i.id = $1 AND b.enabled = 1
             UNION ALL
             SELECT b.address, 2, b.id FROM mailboxes b WHERE b.enabled = 1
         ) AS candidates ORDER BY rank, n LIMIT 1",
    )
    .bind(inquiry_id)
    .fetch_optional(&mut *conn)
    .await?)
}

fn audit_json(d: &crate::domain::mailbox::MailboxDraft) -> serde_json::Value {
    // never the password
    serde_json::json!({
        "address": d.address, "url": d.url, "username": d.username, "folder": d.folder,
        "type": d.type_code, "poll_seconds": d.poll_seconds, "enabled": d.enabled,
        "password_changed": d.password.is_some(),
    })
}

/// Connects (`id` none) or edits a mailbox from a checked form, audited. An unknown inquiry type
/// is a field error; an unknown mailbox is not found.
pub async fn save(db: &Db, id: Option<i64>, d: &crate::domain::mailbox::MailboxDraft, admin: i64, now: i64) -> Result<i64, AppError> {
    let mut tx = super::write_tx(db).await?;
    let type_id: i64 = sqlx::query_scalar("SELECT id FROM inquiry_types WHERE code = $1 AND retired = 0")
        .bind(&d.type_code)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::invalid("type_code", crate::error::FieldCode::InvalidChoice))?;
    let settings = MailboxSettings {
        address: &d.address,
        url: &d.url,
        username: &d.username,
        password: d.password.as_deref(),
        folder: &d.folder,
        type_id,
        poll_seconds: d.poll_seconds,
        enabled: d.enabled,
    };
    let (id, action) = match id {
        None => (insert(&mut tx, &settings, now).await?, "create"),
        Some(id) => {
            if !update(&mut tx, id, &settings, now).await? {
                return Err(AppError::NotFound);
            }
            (id, "update")
        }
    };
    super::audit::record(&mut tx, admin, action, "mailbox", id, None, Some(&audit_json(d)), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a mailbox, audited; not found when there is none.
pub async fn remove(db: &Db, id: i64, admin: i64, now: i64) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    if !delete(&mut tx, id).await? {
        return Err(AppError::NotFound);
    }
    super::audit::record(&mut tx, admin, "delete", "mailbox", id, None, None, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The right to read mailbox `id`, for as long as it is held. SQLite: always this server's (it
/// is the only one). PostgreSQL: a session advisory lock on a connection of its own, taken
/// without waiting — `None` when another server holds it (that server reads the mailbox). Once
/// taken, the connection leaves the pool, so dropping the claim closes it and frees the lock, as
/// does a server that dies.
pub async fn claim_reader(db: &Db, id: i64) -> Option<ReaderClaim> {
    if super::Backend::of(db) == super::Backend::Sqlite {
        return Some(ReaderClaim(None));
    }
    let mut conn = match db.acquire().await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, mailbox = id, "no connection to claim the mailbox with; trying again later");
            return None;
        }
    };
    let got: Result<crate::model::Flag, _> =
        sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtextextended($1, 0))").bind(format!("mailbox:{id}")).fetch_one(&mut *conn).await;
    match got {
        // taken: the connection leaves the pool with its lock
        Ok(crate::model::Flag(true)) => Some(ReaderClaim(Some(conn.detach()))),
        // held elsewhere: this connection holds nothing and goes back to the pool
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(error = %e, mailbox = id, "claiming the mailbox failed; trying again later");
            None
        }
    }
}

/// See [`claim_reader`]: the lock's connection, if there is one.
pub struct ReaderClaim(#[allow(dead_code)] Option<super::Conn>);
