//! Mail read from support mailboxes (`inbound_mails`): one row per Message-ID, written in the
//! transaction that files what the mail became, so a mail read twice is recognised; and the
//! threads a reply's headers name.

use super::{Db, WriteTx};
use crate::error::AppError;
use crate::model::inbound::{InboundOutcome, InboundReason};

pub struct NewInbound<'a> {
    pub mailbox_id: Option<i64>,
    pub message_id: &'a str,
    pub sender: &'a str,
    pub subject: &'a str,
    pub outcome: InboundOutcome,
    pub reason: Option<InboundReason>,
    pub detail: Option<&'a str>,
    pub inquiry_id: Option<i64>,
    pub message_row_id: Option<i64>,
    pub raw_key: Option<&'a str>,
    pub size: i64,
}

/// Whether a mail with this Message-ID was read before.
pub async fn seen(db: &Db, message_id: &str) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar::<_, i64>("SELECT id FROM inbound_mails WHERE message_id = $1")
        .bind(message_id)
        .fetch_optional(db)
        .await?
        .is_some())
}

/// Records a mail. `Ok(false)` when another import recorded the same Message-ID first (the
/// caller rolls back what it wrote for it).
pub async fn record(tx: &mut WriteTx, m: NewInbound<'_>, now: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO inbound_mails (mailbox_id, message_id, sender, sender_key, subject, outcome, reason, detail, inquiry_id, message_row_id, raw_key, size, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (message_id) DO NOTHING",
    )
    .bind(m.mailbox_id)
    .bind(m.message_id)
    .bind(m.sender)
    .bind(crate::domain::validation::email_key(m.sender))
    .bind(m.subject)
    .bind(m.outcome)
    .bind(m.reason)
    .bind(m.detail)
    .bind(m.inquiry_id)
    .bind(m.message_row_id)
    .bind(m.raw_key)
    .bind(m.size)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many mails this sender's address sent since `since` (all outcomes: a flood of
/// auto-replies counts too).
pub async fn count_from(conn: &mut crate::store::Conn, sender: &str, since: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM inbound_mails WHERE sender_key = $1 AND received_at > $2")
        .bind(crate::domain::validation::email_key(sender))
        .bind(since)
        .fetch_one(&mut *conn)
        .await?)
}

/// Marks the outbox mails a bounce names as bounced; returns how many.
pub async fn mark_bounced(tx: &mut WriteTx, message_ids: &[String], now: i64) -> Result<u64, AppError> {
    let mut n = 0;
    for id in message_ids {
        n += sqlx::query("UPDATE email_outbox SET bounced_at = $1 WHERE message_id = $2 AND bounced_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    Ok(n)
}

/// The inquiry of `customer_id` that a reply's `In-Reply-To`/`References` name: an inquiry's
/// thread id (checked against the inquiry's creation time), a mail we sent about it, or an
/// earlier mail of the customer's that joined it. Another customer's inquiry is never found.
pub async fn thread_of(conn: &mut crate::store::Conn, customer_id: i64, refers_to: &[String], host: &str) -> Result<Option<i64>, AppError> {
    for id in refers_to {
        if let Some((inquiry, created)) = crate::domain::email::thread_inquiry(id, host) {
            let found: Option<i64> = sqlx::query_scalar("SELECT id FROM inquiries WHERE id = $1 AND created_at = $2 AND customer_id = $3")
                .bind(inquiry)
                .bind(created)
                .bind(customer_id)
                .fetch_optional(&mut *conn)
                .await?;
            if found.is_some() {
                return Ok(found);
            }
        }
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT i.id FROM email_outbox o JOIN inquiries i ON i.id = o.inquiry_id WHERE o.message_id = $1 AND i.customer_id = $2
             UNION ALL
             SELECT i.id FROM inbound_mails m JOIN inquiries i ON i.id = m.inquiry_id WHERE m.message_id = $1 AND i.customer_id = $2
             LIMIT 1",
        )
        .bind(id)
        .bind(customer_id)
        .fetch_optional(&mut *conn)
        .await?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// The inquiry `id` when it is `customer_id`'s (a `[#Q-…]` subject tag from the same customer).
pub async fn own_inquiry(conn: &mut crate::store::Conn, customer_id: i64, id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM inquiries WHERE id = $1 AND customer_id = $2")
        .bind(id)
        .bind(customer_id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// The latest mails that were ignored or could not be imported, newest first.
pub async fn problems(db: &Db, limit: i64) -> Result<Vec<crate::model::inbound::NotImported>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.id, b.address AS mailbox, m.sender, m.subject, m.outcome, m.reason, m.detail, m.size, m.received_at,
                m.raw_key IS NOT NULL AS has_raw
         FROM inbound_mails m LEFT JOIN mailboxes b ON b.id = m.mailbox_id
         WHERE m.outcome IN ('ignored', 'failed') ORDER BY m.received_at DESC, m.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// The stored original of inbound mail `id`, and the inquiry it joined (for the access check).
pub async fn raw_of(db: &Db, id: i64) -> Result<Option<(Option<String>, Option<i64>)>, AppError> {
    Ok(sqlx::query_as("SELECT raw_key, inquiry_id FROM inbound_mails WHERE id = $1").bind(id).fetch_optional(db).await?)
}
