//! The outgoing mail queue (`email_outbox`): rows are added in the caller's transaction, so a
//! mail exists exactly when the change that causes it was committed; the sender reads due rows
//! and records each delivery or failure.

use crate::error::AppError;
use crate::i18n::Locale;
use crate::mail::templates::{render, Template};
use crate::mail::transport::Outgoing;
use crate::mail::{random_hex, MailKind, Mailer, UNREQUESTED_PER_ADDRESS_PER_HOUR};
use sqlx::Row;

/// Whether a mail was queued, or left out because its address had enough unrequested mail
/// this hour (the request still succeeds and says the same: the caller cannot tell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queued {
    Yes,
    CappedForAddress,
}

/// Who a mail goes to: the address, the language it is written in, and the account it concerns
/// (its customer record gets the mail in its contact history).
pub struct Recipient<'a> {
    pub address: &'a str,
    pub locale: Locale,
    pub user_id: Option<i64>,
}

/// Renders `template` in the recipient's language and queues it in the caller's transaction.
/// Mails a stranger can cause (see [`MailKind::unrequested_by_recipient`]) are capped per address.
/// Every mail queued so far is transactional (about the person's own account or request).
pub async fn queue(
    tx: &mut crate::db::WriteTx,
    mailer: &Mailer,
    recipient: Recipient<'_>,
    template: Template<'_>,
    now: i64,
) -> Result<Queued, AppError> {
    let Recipient { address: to, locale, user_id } = recipient;
    let kind = template.kind();
    let to_key = crate::domain::validation::email_key(to);
    if kind.unrequested_by_recipient() {
        // the kinds counted are the ones the rule names (fixed words, never input)
        let kinds: Vec<String> =
            MailKind::ALL.into_iter().filter(|k| k.unrequested_by_recipient()).map(|k| format!("'{}'", k.as_str())).collect();
        let recent: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM email_outbox WHERE to_key = $1 AND created_at > $2 AND template IN ({})",
            kinds.join(", ")
        ))
        .bind(&to_key)
        .bind(now - 3_600_000)
        .fetch_one(&mut **tx)
        .await?;
        if recent >= UNREQUESTED_PER_ADDRESS_PER_HOUR {
            return Ok(Queued::CappedForAddress);
        }
    }
    let rendered = render(&template, locale);
    let message_id = format!("<{:x}.{}@{}>", now, random_hex(8)?, mailer.message_id_host);
    sqlx::query(
        "INSERT INTO email_outbox (message_id, template, kind, customer_id, to_address, to_key, locale, subject, body_text, body_html, next_at, created_at)
         VALUES ($1, $2, 'transactional', (SELECT id FROM customers WHERE user_id = $10), $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(message_id)
    .bind(kind.as_str())
    .bind(to)
    .bind(to_key)
    .bind(locale.code())
    .bind(rendered.subject)
    .bind(rendered.text)
    .bind(rendered.html)
    .bind(now)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(Queued::Yes)
}

/// Up to `limit` mails due now, oldest first.
pub async fn due(db: &super::Db, now: i64, limit: i64) -> Result<Vec<(Outgoing, i64)>, AppError> {
    let rows = sqlx::query(
        "SELECT id, message_id, template, to_address, locale, subject, body_text, body_html, tries FROM email_outbox
         WHERE state = 'pending' AND next_at <= $1 ORDER BY next_at, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                Outgoing {
                    id: r.try_get("id")?,
                    message_id: r.try_get("message_id")?,
                    kind: r.try_get("template")?,
                    to: r.try_get("to_address")?,
                    locale: r.try_get("locale")?,
                    subject: r.try_get("subject")?,
                    text: r.try_get("body_text")?,
                    html: r.try_get("body_html")?,
                },
                r.try_get("tries")?,
            ))
        })
        .collect()
}

/// When the next queued mail is due, if any is waiting.
pub async fn next_due_at(db: &super::Db) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT MIN(next_at) FROM email_outbox WHERE state = 'pending'")
        .fetch_one(db)
        .await?)
}

/// Records a delivery. A mail that carries a confirmation link keeps no copy of its body.
pub async fn sent(db: &super::Db, id: i64, kind: &str, now: i64) -> Result<(), AppError> {
    let redact = MailKind::parse(kind).is_some_and(MailKind::carries_link);
    sqlx::query(
        "UPDATE email_outbox SET state = 'sent', sent_at = $1, tries = tries + 1, last_error = NULL,
           body_text = CASE WHEN $2 THEN '(delivered; the link is not kept)' ELSE body_text END,
           body_html = CASE WHEN $2 THEN '' ELSE body_html END
         WHERE id = $3",
    )
    .bind(now)
    .bind(redact)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Records a failed try: tried again at `retry_at`, or given up (`dead`) when `retry_at` is None.
pub async fn failed(db: &super::Db, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), AppError> {
    let error: String = error.chars().take(500).collect();
    sqlx::query(
        "UPDATE email_outbox SET tries = tries + 1, last_error = $1,
           state = CASE WHEN $2 IS NULL THEN 'dead' ELSE 'pending' END,
           next_at = COALESCE($2, next_at)
         WHERE id = $3",
    )
    .bind(error)
    .bind(retry_at)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}
