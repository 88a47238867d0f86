//! Attachment rows: written in the transaction of the message they belong to, listed with a
//! thread, and looked up for a download together with what decides who may have it.

use super::{Db, WriteTx};
use crate::domain::attachment::{FileKind, Refusal};
use crate::error::AppError;
use crate::model::attachment::AttachmentInfo;
use crate::uploads::Kept;
use std::collections::HashMap;

/// Where a file belongs: a message of an inquiry's thread, or a message of a chat.
#[derive(Debug, Clone, Copy)]
enum Parent {
    Inquiry { inquiry_id: i64, message_id: i64 },
    Chat { chat_id: i64, message_id: i64 },
}

/// The one place attachment rows of kept files are written; returns the row's id.
async fn insert(tx: &mut WriteTx, parent: Parent, f: &Kept, now: i64) -> Result<i64, AppError> {
    let (inquiry_id, message_id, chat_id, chat_message_id) = match parent {
        Parent::Inquiry { inquiry_id, message_id } => (Some(inquiry_id), Some(message_id), None, None),
        Parent::Chat { chat_id, message_id } => (None, None, Some(chat_id), Some(message_id)),
    };
    Ok(sqlx::query_scalar(
        "INSERT INTO attachments (inquiry_id, message_id, chat_id, chat_message_id, kind, name, size, file_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(inquiry_id)
    .bind(message_id)
    .bind(chat_id)
    .bind(chat_message_id)
    .bind(f.kind.as_str())
    .bind(&f.name)
    .bind(f.size as i64)
    .bind(f.key.as_str())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// Adds kept files to message `message_id` of inquiry `inquiry_id`.
pub async fn add_to_message(tx: &mut WriteTx, inquiry_id: i64, message_id: i64, files: &[Kept], now: i64) -> Result<(), AppError> {
    for f in files {
        insert(tx, Parent::Inquiry { inquiry_id, message_id }, f, now).await?;
    }
    Ok(())
}

/// Adds kept files to chat message `message_id` (the row id) of chat `chat_id`; returns them as
/// the chat room shows them.
pub async fn add_to_chat(tx: &mut WriteTx, chat_id: i64, message_id: i64, files: &[Kept], now: i64) -> Result<Vec<crate::model::chat::ChatFile>, AppError> {
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let id = insert(tx, Parent::Chat { chat_id, message_id }, f, now).await?;
        out.push(crate::model::chat::ChatFile { id, name: f.name.clone(), size: f.size as i64, image: f.kind.is_image() });
    }
    Ok(out)
}

/// The files of chat `chat_id`'s messages after sequence number `after`, by sequence number.
pub async fn of_chat(db: &Db, chat_id: i64, after: i64) -> Result<HashMap<i64, Vec<crate::model::chat::ChatFile>>, AppError> {
    let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
        "SELECT m.seq, a.id, a.kind, a.name, a.size FROM attachments a JOIN chat_messages m ON m.id = a.chat_message_id
         WHERE a.chat_id = $1 AND m.seq > $2 AND a.file_key IS NOT NULL ORDER BY a.id",
    )
    .bind(chat_id)
    .bind(after)
    .fetch_all(db)
    .await?;
    let mut by_seq: HashMap<i64, Vec<crate::model::chat::ChatFile>> = HashMap::new();
    for (seq, id, kind, name, size) in rows {
        let image = FileKind::parse(&kind).is_some_and(FileKind::is_image);
        by_seq.entry(seq).or_default().push(crate::model::chat::ChatFile { id, name, size, image });
    }
    Ok(by_seq)
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

/// A column for a query over inquiry messages `m`: the message's files as JSON (read with
/// [`files_from_json`]), so a thread costs no statement of its own for its files.
pub fn files_of_message_sql(backend: super::Backend) -> &'static str {
    match backend {
        super::Backend::Sqlite => "(SELECT json_group_array(json_array(a.id, a.kind, a.name, a.size, a.refused)) FROM attachments a WHERE a.message_id = m.id) AS files",
        super::Backend::Postgres => {
            "(SELECT COALESCE(json_agg(json_build_array(a.id, a.kind, a.name, a.size, a.refused) ORDER BY a.id)::text, '[]') FROM attachments a WHERE a.message_id = m.id) AS files"
        }
    }
}

/// The files [`files_of_message_sql`] read (none for anything unreadable).
pub fn files_from_json(json: &str) -> Vec<AttachmentInfo> {
    type Raw = (i64, String, String, i64, Option<String>);
    let rows: Vec<Raw> = serde_json::from_str(json).unwrap_or_default();
    rows.into_iter().map(|(id, kind, name, size, refused)| Row { id, message_id: 0, kind, name, size, refused }.info().1).collect()
}

/// A stored attachment and the thread it belongs to (an inquiry or a chat), for the download's
/// access check.
#[derive(sqlx::FromRow)]
pub struct Stored {
    pub file_key: String,
    pub kind: String,
    pub name: String,
    pub inquiry_id: Option<i64>,
    pub chat_id: Option<i64>,
    /// The customer whose inquiry or chat it is (their user id).
    pub owner_user_id: i64,
    /// On an internal note: agents only.
    #[sqlx(try_from = "crate::model::Flag")]
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
        "SELECT a.file_key, a.kind, a.name, a.inquiry_id, a.chat_id, c.user_id AS owner_user_id, COALESCE(m.internal, 0) AS internal
         FROM attachments a
         LEFT JOIN inquiry_messages m ON m.id = a.message_id
         LEFT JOIN inquiries i ON i.id = a.inquiry_id
         LEFT JOIN chats ch ON ch.id = a.chat_id
         JOIN customers c ON c.id = COALESCE(i.customer_id, ch.customer_id)
         WHERE a.id = $1 AND a.file_key IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(db)
    .await?)
}
