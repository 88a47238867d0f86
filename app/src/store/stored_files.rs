//! Files kept in the database in chunks (see `files::DbFileStore`): the SQL of that store.

use super::{Db, Lock};
use crate::error::AppError;

/// Bytes per chunk row.
pub const CHUNK: usize = 256 * 1024;

/// The size of the file stored under `key`, if it is stored (whole).
pub async fn size(db: &Db, key: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT size FROM stored_files WHERE file_key = $1").bind(key).fetch_optional(db).await?)
}

/// Chunk `n` of the file under `key`.
pub async fn chunk(db: &Db, key: &str, n: i64) -> Result<Option<Vec<u8>>, AppError> {
    Ok(sqlx::query_scalar("SELECT bytes FROM file_chunks WHERE file_key = $1 AND n = $2").bind(key).bind(n).fetch_optional(db).await?)
}

/// A file being written: its chunks go into one transaction, and the file is listed when it is
/// finished; dropped unfinished, nothing of it stays.
pub struct Writing {
    tx: super::WriteTx,
    key: String,
    next: i64,
    size: i64,
}

/// Starts storing the file under `key`, or `None` when it is stored already (the same bytes).
pub async fn start(db: &Db, key: &str) -> Result<Option<Writing>, AppError> {
    let mut tx = super::write_tx(db).await?;
    // two servers storing the same bytes at once: one writes, the other finds it there
    tx.lock(Lock::Key(&format!("file:{key}"))).await?;
    let there: Option<i64> = sqlx::query_scalar("SELECT size FROM stored_files WHERE file_key = $1").bind(key).fetch_optional(&mut *tx).await?;
    if there.is_some() {
        tx.rollback().await?;
        return Ok(None);
    }
    // no chunks are there either: chunks and their listing commit together or not at all
    Ok(Some(Writing { tx, key: key.to_string(), next: 0, size: 0 }))
}

impl Writing {
    pub async fn write(&mut self, bytes: &[u8]) -> Result<(), AppError> {
        for part in bytes.chunks(CHUNK) {
            sqlx::query("INSERT INTO file_chunks (file_key, n, bytes) VALUES ($1, $2, $3)")
                .bind(&self.key)
                .bind(self.next)
                .bind(part.to_vec())
                .execute(&mut *self.tx)
                .await?;
            self.next += 1;
            self.size += part.len() as i64;
        }
        Ok(())
    }

    pub async fn finish(mut self, now: i64) -> Result<(), AppError> {
        sqlx::query("INSERT INTO stored_files (file_key, size, created_at) VALUES ($1, $2, $3)")
            .bind(&self.key)
            .bind(self.size)
            .bind(now)
            .execute(&mut *self.tx)
            .await?;
        self.tx.commit().await?;
        Ok(())
    }
}
