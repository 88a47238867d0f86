//! Attachment rows: written in the transaction of the message they belong to, listed with a
//! thread, and looked up for a download together with what decides who may have it.

use super::{Db, WriteTx};
use crate::domain::attachment::{FileKind, Refusal};
use crate::error::AppError;
use crate::model::attachment::AttachmentInfo;
use crate::uploads::Kept;
use std::collections::HashMap;

/// Adds kept files to message `message_id` of inquiry `inquiry_id`.
pub async fn add_to_message(tx: &mut WriteTx, inquiry_id: i64, message_id: i64, files: &[Kept], now: i64) -> Result<(), AppError> {
    for f in files {
        sqlx::query(
            "INSERT INTO attachments (inquiry_id, message_id, kind, name, size, file_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(inquiry_id)
        .bind(message_id)
        .bind(f.kind.as_str())
        .bind(&f.name)
        .bind(f.size as i64)
        .bind(f.key.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The message agent `author` last wrote in inquiry `id` (internal note or reply), read in the
/// transaction that wrote it — it holds the write lock, so it is that message.
pub async fn last_agent_message(tx: &mut WriteTx, id: i64, author: i64, internal: bool) -> Result<i64, AppError> {
    sqlx::query_scalar::<_, Option<i64>>(
        "SELECT MAX(id) FROM inquiry_messages WHERE inquiry_id = $1 AND author_kind = 'agent' AND author_user_id = $2 AND internal = $3",
    )
    .bind(id)
    .bind(author)
    .bind(internal as i64)
    .fetch_one(&mut **tx)
    .await?
    .ok_or_else(|| AppError::internal("attachments", "no message to attach to"))
}

/// Records a mail's attachment that was not kept (a program, a kind not taken), so the thread
/// says a file came and why it is not there.
pub async fn add_refused(tx: &mut WriteTx, inquiry_id: i64, message_id: i64, name: &str, size: u64, why: Refusal, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO attachments (inquiry_id, message_id, kind, name, size, file_key, refused, created_at) VALUES ($1, $2, 'refused', $3, $4, NULL, $5, $6)",
    )
    .bind(inquiry_id)
    .bind(message_id)
    .bind(name)
    .bind(size as i64)
    .bind(why.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    message_id: i64,
    kind: String,
    name: String,
    size: i64,
    refused: Option<String>,
}

impl Row {
    fn info(self) -> (i64, AttachmentInfo) {
        let kind = match FileKind::parse(&self.kind) {
            Some(k) => Ok(k),
            None => Err(self.refused.as_deref().and_then(Refusal::parse).unwrap_or(Refusal::NotAllowed)),
        };
        (self.message_id, AttachmentInfo { id: self.id, name: self.name, size: self.size, kind })
    }
}

/// The attachments of inquiry `inquiry_id`'s messages, by message id (the caller has already
/// decided which messages the reader sees, and only looks those up).
pub async fn of_inquiry(db: &Db, inquiry_id: i64) -> Result<HashMap<i64, Vec<AttachmentInfo>>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, message_id, kind, name, size, refused FROM attachments WHERE inquiry_id = $1 AND message_id IS NOT NULL ORDER BY id",
    )
    .bind(inquiry_id)
    .fetch_all(db)
    .await?;
    let mut by_message: HashMap<i64, Vec<AttachmentInfo>> = HashMap::new();
    for r in rows {
        let (message, info) = r.info();
        by_message.entry(message).or_default().push(info);
    }
    Ok(by_message)
}

/// A stored attachment and the thread it belongs to, for the download's access check.
#[derive(sqlx::FromRow)]
pub struct Stored {
    pub file_key: String,
    pub kind: String,
    pub name: String,
    pub inquiry_id: i64,
    /// The customer whose inquiry it is (their user id).
    pub owner_user_id: i64,
    /// On an internal note: agents only.
    pub internal: bool,
}

impl Stored {
    pub fn kind(&self) -> Option<FileKind> {
        FileKind::parse(&self.kind)
    }
}

/// Attachment `id` when its file was kept (a refused one has nothing to download).
pub async fn stored(db: &Db, id: i64) -> Result<Option<Stored>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.file_key, a.kind, a.name, a.inquiry_id, c.user_id AS owner_user_id, m.internal
         FROM attachments a
         JOIN inquiry_messages m ON m.id = a.message_id
         JOIN inquiries i ON i.id = a.inquiry_id
         JOIN customers c ON c.id = i.customer_id
         WHERE a.id = $1 AND a.file_key IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(db)
    .await?)
}
