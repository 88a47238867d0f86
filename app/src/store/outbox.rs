//! The outgoing mail queue (`email_outbox`): rows are added in the caller's transaction, so a
//! mail exists exactly when the change that causes it was committed; the sender reads due rows
//! and records each delivery or failure. What a mail says and whom it may go to is `mail`'s.

use crate::error::AppError;
use crate::i18n::Locale;

/// A rendered mail to queue.
pub struct NewMail<'a> {
    pub message_id: &'a str,
    /// The template's word (`MailKind::as_str`).
    pub template: &'a str,
    pub to: &'a str,
    pub to_key: &'a str,
    pub locale: Locale,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// The account the mail concerns: its customer record gets it in the contact history.
    pub user_id: Option<i64>,
    /// The inquiry the mail is about and its mail thread's Message-ID.
    pub thread: Option<(i64, &'a str)>,
    /// The address replies should go to (the support mailbox), when it is not the sender.
    pub reply_to: Option<&'a str>,
}

/// How many mails of `templates` went to the address `to_key` since `since` (in the caller's
/// transaction, so parallel requests queue on the write lock and each sees the others).
pub async fn count_recent(tx: &mut crate::store::WriteTx, to_key: &str, templates: &[&str], since: i64) -> Result<i64, AppError> {
    // the count and the mail it allows, one at a time per address (PostgreSQL; SQLite's writer
    // is one anyway)
    tx.lock(super::Lock::Key(&format!("mail-to:{to_key}"))).await?;
    // one parameter per template word, after the address and the time
    let marks: Vec<String> = (0..templates.len()).map(|n| format!("${}", n + 3)).collect();
    let sql = format!(
        "SELECT COUNT(*) FROM email_outbox WHERE to_key = $1 AND created_at > $2 AND template IN ({})",
        if marks.is_empty() { "NULL".to_string() } else { marks.join(", ") }
    );
    let mut q = sqlx::query_scalar(&sql).bind(to_key).bind(since);
    for t in templates {
        q = q.bind(*t);
    }
    Ok(q.fetch_one(&mut **tx).await?)
}

/// Queues a rendered mail, due now. One that needs consent is written only for an account
/// (`user_id`) that agreed to email, has not withdrawn it and still signs in with this address;
/// returns the row's id when it was written.
pub async fn insert(tx: &mut crate::store::WriteTx, mail: NewMail<'_>, consent: Consent, now: i64) -> Result<Option<i64>, AppError> {
    // the consent is read in the statement that writes the row: a withdrawal committed before it
    // is seen, one after it comes after the mail
    Ok(sqlx::query_scalar(
        "INSERT INTO email_outbox (message_id, template, kind, customer_id, to_address, to_key, locale, subject, body_text, body_html, next_at, created_at,
                                   inquiry_id, thread_id, reply_to)
         SELECT $1, $2, CASE WHEN $14 = 1 THEN 'marketing' ELSE 'transactional' END, (SELECT id FROM customers WHERE user_id = $10),
                $3, $4, $5, $6, $7, $8, $9, $9, $11, $12, $13
          WHERE $14 = 0
             OR EXISTS (SELECT 1 FROM customers c JOIN users u ON u.id = c.user_id
                        WHERE c.user_id = $10 AND c.email_consent = 1 AND u.disabled = 0 AND u.email_key = $4)
         RETURNING id",
    )
    .bind(mail.message_id)
    .bind(mail.template)
    .bind(mail.to)
    .bind(mail.to_key)
    .bind(mail.locale.code())
    .bind(mail.subject)
    .bind(mail.text)
    .bind(mail.html)
    .bind(now)
    .bind(mail.user_id)
    .bind(mail.thread.map(|t| t.0))
    .bind(mail.thread.map(|t| t.1))
    .bind(mail.reply_to)
    .bind(matches!(consent, Consent::Required) as i64)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Whether a mail may go only with the recipient's consent to email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    /// Transactional: an answer to the person's own request, a security notice.
    NotNeeded,
    /// Anything else: only to the account's current address, with consent given and not withdrawn.
    Required,
}

/// A queued mail as the sender takes it and the transport sends it, with how often it was tried.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueMail {
    pub id: i64,
    pub message_id: String,
    pub template: String,
    #[sqlx(rename = "to_address")]
    pub to: String,
    pub locale: String,
    pub subject: String,
    #[sqlx(rename = "body_text")]
    pub text: String,
    #[sqlx(rename = "body_html")]
    pub html: String,
    pub tries: i64,
    /// The Message-ID of the inquiry's mail thread, for a mail about an inquiry.
    pub thread_id: Option<String>,
    pub reply_to: Option<String>,
    /// The files it carries, read from the file store just before it is sent.
    #[sqlx(skip)]
    pub files: Vec<MailFile>,
}

/// A file a mail carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFile {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// The most a mail carries in files (their bytes; base64 adds a third): larger files stay behind
/// the mail's link to the inquiry, so the mail still fits the 25 MB most mail servers take.
pub const MAIL_FILES_MAX_BYTES: i64 = 10 * 1024 * 1024;

/// Has mail `mail` carry the kept files of inquiry message `message_id`, as many as fit
/// [`MAIL_FILES_MAX_BYTES`] in order.
pub async fn attach_message_files(tx: &mut crate::store::WriteTx, mail: i64, message_id: i64) -> Result<(), AppError> {
    let files: Vec<(i64, i64)> = sqlx::query_as("SELECT id, size FROM attachments WHERE message_id = $1 AND file_key IS NOT NULL ORDER BY id")
        .bind(message_id)
        .fetch_all(&mut **tx)
        .await?;
    let mut total = 0;
    for (id, size) in files {
        if total + size > MAIL_FILES_MAX_BYTES {
            continue;
        }
        total += size;
        sqlx::query("INSERT INTO email_outbox_files (outbox_id, attachment_id) VALUES ($1, $2)").bind(mail).bind(id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// The files mail `id` carries: (file key, name, kind).
pub async fn files_of(db: &super::Db, id: i64) -> Result<Vec<(String, String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.file_key, a.name, a.kind FROM email_outbox_files f JOIN attachments a ON a.id = f.attachment_id
         WHERE f.outbox_id = $1 AND a.file_key IS NOT NULL ORDER BY a.id",
    )
    .bind(id)
    .fetch_all(db)
    .await?)
}

/// Claims the mails due now (at most `limit`) for this sender: each is leased for
/// [`SEND_LEASE_MS`] (its `next_at` moves past the lease), so a sender on another server does not
/// take it meanwhile, and a sender that dies mid-batch leaves its mails to another once the
/// lease runs out — a mail may then go twice (with the same Message-ID), never not at all. On
/// PostgreSQL the claim skips rows another sender is claiming (`FOR UPDATE SKIP LOCKED`).
pub async fn due(db: &super::Db, now: i64, limit: i64) -> Result<Vec<DueMail>, AppError> {
    let sql = format!(
        "UPDATE email_outbox SET next_at = $1 + $3 WHERE id IN (
             SELECT id FROM email_outbox WHERE state = 'pending' AND next_at <= $1 ORDER BY next_at, id LIMIT $2{})
         RETURNING id, message_id, template, to_address, locale, subject, body_text, body_html, tries, thread_id, reply_to",
        super::dialect::skip_locked(super::Backend::of(db))
    );
    let mut tx = super::write_tx(db).await?;
    let mut mails: Vec<DueMail> = sqlx::query_as(&sql).bind(now).bind(limit).bind(SEND_LEASE_MS).fetch_all(&mut *tx).await?;
    tx.commit().await?;
    // oldest first, as queued
    mails.sort_by_key(|m| m.id);
    Ok(mails)
}

/// How long a claimed mail is left to its sender before another may take it.
pub const SEND_LEASE_MS: i64 = 10 * 60 * 1000;

/// When the next queued mail is due, if any is waiting.
pub async fn next_due_at(db: &super::Db) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT MIN(next_at) FROM email_outbox WHERE state = 'pending'")
        .fetch_one(db)
        .await?)
}

/// Records a delivery; `redact` drops the stored body (a mail that carried a confirmation link
/// keeps no copy of it).
pub async fn sent(db: &super::Db, id: i64, redact: bool, now: i64) -> Result<(), AppError> {
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

/// An outgoing mail that failed at least once (admins' list).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Troubled {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub state: String,
    pub tries: i64,
    pub last_error: String,
    pub next_at: i64,
}

/// Mails given up or still retrying, the given-up first, newest first.
pub async fn troubled(db: &super::Db, limit: i64) -> Result<Vec<Troubled>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, to_address, subject, state, tries, last_error, next_at FROM email_outbox
         WHERE last_error IS NOT NULL AND state IN ('pending', 'dead')
         ORDER BY state = 'dead' DESC, created_at DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Makes a given-up or retrying mail due now with a fresh count of tries; `false` when there is
/// no such unsent mail.
pub async fn retry_now(db: &super::Db, id: i64, now: i64) -> Result<bool, AppError> {
    Ok(sqlx::query("UPDATE email_outbox SET state = 'pending', tries = 0, next_at = $1 WHERE id = $2 AND state IN ('pending', 'dead')")
        .bind(now)
        .bind(id)
        .execute(db)
        .await?
        .rows_affected()
        == 1)
}
