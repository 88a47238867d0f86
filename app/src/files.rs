//! Files kept outside the database rows (the original of every imported mail, attachments):
//! content-addressed — a file's key is the SHA-256 of its bytes, so the same file stored twice is
//! kept once and a key can never point at other bytes — behind [`FileStore`], so a later backend
//! (object storage) replaces the directory without touching its callers.

use crate::error::AppError;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

/// A stored file's key: 64 lowercase hex digits (checked, so a key from a URL or a row can never
/// name a path outside the store).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileKey(String);

impl FileKey {
    pub fn parse(s: &str) -> Option<FileKey> {
        (s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))).then(|| FileKey(s.to_string()))
    }

    pub fn of(bytes: &[u8]) -> FileKey {
        use sha2::Digest;
        FileKey(crate::mail::hex(&sha2::Sha256::digest(bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

type Fut<'a, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'a>>;

/// Where files live. Object-safe (boxed futures) so the state holds `Arc<dyn FileStore>`.
pub trait FileStore: Send + Sync {
    /// Stores `bytes` (a no-op when the same bytes are already stored) and returns their key.
    fn put<'a>(&'a self, bytes: &'a [u8]) -> Fut<'a, FileKey>;
    /// The bytes stored under `key`, or `None` when there are none.
    fn get<'a>(&'a self, key: &'a FileKey) -> Fut<'a, Option<Vec<u8>>>;
    /// A new spool file to stream an upload into, where [`FileStore::keep`] can take it from.
    fn spool<'a>(&'a self) -> Fut<'a, Spool>;
    /// Stores what was written to `spool` under its key (the spool is used up either way).
    fn keep<'a>(&'a self, spool: Spool) -> Fut<'a, FileKey>;
    /// The file stored under `key` to stream from, with its length; `None` when there is none.
    fn open<'a>(&'a self, key: &'a FileKey) -> Fut<'a, Option<(u64, Reader)>>;
}

/// A stored file being read.
pub type Reader = Pin<Box<dyn tokio::io::AsyncRead + Send>>;

/// An upload on its way in: written chunk by chunk to a temporary file (never whole in memory)
/// and hashed as it goes. Dropped without being kept, its file is removed.
pub struct Spool {
    path: PathBuf,
    file: Option<tokio::fs::File>,
    hasher: sha2::Sha256,
    len: u64,
}

impl Spool {
    async fn create(dir: &std::path::Path) -> Result<Spool, AppError> {
        use sha2::Digest;
        tokio::fs::create_dir_all(dir).await.map_err(|e| AppError::internal("file store: create spool dir", e))?;
        let path = dir.join(format!("up-{}", crate::mail::random_hex(12)?));
        let file = tokio::fs::File::create(&path).await.map_err(|e| AppError::internal("file store: create spool", e))?;
        Ok(Spool { path, file: Some(file), hasher: sha2::Sha256::new(), len: 0 })
    }

    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), AppError> {
        use sha2::Digest;
        use tokio::io::AsyncWriteExt;
        let file = self.file.as_mut().ok_or_else(|| AppError::internal("file store: spool", "written after it was finished"))?;
        file.write_all(chunk).await.map_err(|e| AppError::internal("file store: write spool", e))?;
        self.hasher.update(chunk);
        self.len += chunk.len() as u64;
        Ok(())
    }

    /// Bytes written so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Flushes and closes the file; what was written can then be read back with [`Spool::path`].
    pub async fn finish(&mut self) -> Result<(), AppError> {
        use tokio::io::AsyncWriteExt;
        if let Some(mut file) = self.file.take() {
            file.flush().await.map_err(|e| AppError::internal("file store: flush spool", e))?;
            file.sync_data().await.map_err(|e| AppError::internal("file store: sync spool", e))?;
        }
        Ok(())
    }

    /// The finished spool's file, to judge the content by (read only).
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    fn key(&self) -> FileKey {
        use sha2::Digest;
        FileKey(crate::mail::hex(&self.hasher.clone().finalize()))
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        // kept spools were renamed away; this removes an abandoned one
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Files in a local directory, `root/ab/abcdef…` (two levels keep directories small).
pub struct DirStore {
    root: PathBuf,
}

impl DirStore {
    pub fn new(root: impl Into<PathBuf>) -> DirStore {
        DirStore { root: root.into() }
    }

    fn path(&self, key: &FileKey) -> PathBuf {
        self.root.join(&key.0[..2]).join(&key.0)
    }

    /// Where uploads are spooled: inside the store, so keeping one is a rename.
    fn spool_dir(&self) -> PathBuf {
        self.root.join(".incoming")
    }
}

impl FileStore for DirStore {
    fn put<'a>(&'a self, bytes: &'a [u8]) -> Fut<'a, FileKey> {
        Box::pin(async move {
            let key = FileKey::of(bytes);
            let path = self.path(&key);
            if tokio::fs::try_exists(&path).await.unwrap_or(false) {
                return Ok(key);
            }
            let dir = path.parent().map(PathBuf::from).unwrap_or_else(|| self.root.clone());
            tokio::fs::create_dir_all(&dir).await.map_err(|e| AppError::internal("file store: create dir", e))?;
            // written under a temporary name and renamed: a crash never leaves half a file
            // under a key (the name is unique per write, so two writers never share it)
            let tmp = dir.join(format!(".{}.{}", key.0, crate::mail::random_hex(6)?));
            tokio::fs::write(&tmp, bytes).await.map_err(|e| AppError::internal("file store: write", e))?;
            tokio::fs::rename(&tmp, &path).await.map_err(|e| AppError::internal("file store: rename", e))?;
            Ok(key)
        })
    }

    fn get<'a>(&'a self, key: &'a FileKey) -> Fut<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            match tokio::fs::read(self.path(key)).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(AppError::internal("file store: read", e)),
            }
        })
    }

    fn spool<'a>(&'a self) -> Fut<'a, Spool> {
        Box::pin(async move { Spool::create(&self.spool_dir()).await })
    }

    fn keep<'a>(&'a self, mut spool: Spool) -> Fut<'a, FileKey> {
        Box::pin(async move {
            spool.finish().await?;
            let key = spool.key();
            let path = self.path(&key);
            if tokio::fs::try_exists(&path).await.unwrap_or(false) {
                return Ok(key); // the same bytes are there already; the spool is removed on drop
            }
            let dir = path.parent().map(PathBuf::from).unwrap_or_else(|| self.root.clone());
            tokio::fs::create_dir_all(&dir).await.map_err(|e| AppError::internal("file store: create dir", e))?;
            tokio::fs::rename(&spool.path, &path).await.map_err(|e| AppError::internal("file store: keep spool", e))?;
            Ok(key)
        })
    }

    fn open<'a>(&'a self, key: &'a FileKey) -> Fut<'a, Option<(u64, Reader)>> {
        Box::pin(async move {
            match tokio::fs::File::open(self.path(key)).await {
                Ok(file) => {
                    let len = file.metadata().await.map_err(|e| AppError::internal("file store: stat", e))?.len();
                    Ok(Some((len, Box::pin(file) as Reader)))
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(AppError::internal("file store: open", e)),
            }
        })
    }
}

/// Files in the database (PostgreSQL with several servers: an attachment uploaded through one
/// server downloads through any other, and nothing is lost with one server's disk). Uploads are
/// still spooled to a local folder while they arrive, then copied in chunks of 256 KiB within one
/// transaction; downloads stream chunk by chunk, so neither holds a whole file in memory.
pub struct DbFileStore {
    db: crate::store::Db,
    spool_dir: PathBuf,
}

impl DbFileStore {
    pub fn new(db: crate::store::Db, spool_dir: impl Into<PathBuf>) -> DbFileStore {
        DbFileStore { db, spool_dir: spool_dir.into() }
    }
}

impl FileStore for DbFileStore {
    fn put<'a>(&'a self, bytes: &'a [u8]) -> Fut<'a, FileKey> {
        Box::pin(async move {
            let key = FileKey::of(bytes);
            if let Some(mut w) = crate::store::stored_files::start(&self.db, key.as_str()).await? {
                w.write(bytes).await?;
                w.finish(crate::store::now_ms()).await?;
            }
            Ok(key)
        })
    }

    fn get<'a>(&'a self, key: &'a FileKey) -> Fut<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            use tokio::io::AsyncReadExt;
            let Some((size, mut reader)) = self.open(key).await? else { return Ok(None) };
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            reader.read_to_end(&mut bytes).await.map_err(|e| AppError::internal("file store: read", e))?;
            Ok(Some(bytes))
        })
    }

    fn spool<'a>(&'a self) -> Fut<'a, Spool> {
        Box::pin(async move { Spool::create(&self.spool_dir).await })
    }

    fn keep<'a>(&'a self, mut spool: Spool) -> Fut<'a, FileKey> {
        Box::pin(async move {
            use tokio::io::AsyncReadExt;
            spool.finish().await?;
            let key = spool.key();
            if let Some(mut w) = crate::store::stored_files::start(&self.db, key.as_str()).await? {
                let mut file = tokio::fs::File::open(&spool.path).await.map_err(|e| AppError::internal("file store: reopen spool", e))?;
                let chunk = crate::store::stored_files::CHUNK;
                let mut buf = Vec::with_capacity(chunk);
                // a whole chunk at a time (one read may return less), the last one shorter
                loop {
                    buf.clear();
                    let n = (&mut file).take(chunk as u64).read_to_end(&mut buf).await.map_err(|e| AppError::internal("file store: read spool", e))?;
                    if n == 0 {
                        break;
                    }
                    w.write(&buf).await?;
                }
                w.finish(crate::store::now_ms()).await?;
            }
            // the spool file is removed when `spool` drops
            Ok(key)
        })
    }

    fn open<'a>(&'a self, key: &'a FileKey) -> Fut<'a, Option<(u64, Reader)>> {
        Box::pin(async move {
            let Some(size) = crate::store::stored_files::size(&self.db, key.as_str()).await? else { return Ok(None) };
            // the chunks are read as the reader is read: a pipe of two chunks between them
            let (mut tx, rx) = tokio::io::duplex(2 * crate::store::stored_files::CHUNK);
            let (db, key) = (self.db.clone(), key.as_str().to_string());
            tokio::spawn(async move {
                use tokio::io::AsyncWriteExt;
                let mut n = 0;
                loop {
                    match crate::store::stored_files::chunk(&db, &key, n).await {
                        Ok(Some(chunk)) => {
                            if tx.write_all(&chunk).await.is_err() {
                                return; // the download was abandoned
                            }
                            n += 1;
                        }
                        Ok(None) => return,
                        Err(e) => {
                            // the reader sees the file end early; the response is cut short
                            tracing::warn!(error = %e, file = %key, "reading a stored file failed");
                            return;
                        }
                    }
                }
            });
            Ok(Some((u64::try_from(size).unwrap_or(0), Box::pin(rx) as Reader)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_hex_digests_only() {
        let k = FileKey::of(b"hello");
        assert_eq!(k.as_str(), "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assert_eq!(FileKey::parse(k.as_str()), Some(k));
        assert_eq!(FileKey::parse("../../etc/passwd"), None);
        assert_eq!(FileKey::parse(&"A".repeat(64)), None);
    }

    #[tokio::test]
    async fn stores_once_and_reads_back() {
        let dir = std::env::temp_dir().join(format!("cc-files-{}", crate::mail::random_hex(6).expect("random")));
        let store = DirStore::new(&dir);
        let a = store.put(b"one mail").await.expect("put");
        let b = store.put(b"one mail").await.expect("put again");
        assert_eq!(a, b);
        assert_eq!(store.get(&a).await.expect("get").as_deref(), Some(&b"one mail"[..]));
        assert_eq!(store.get(&FileKey::of(b"other")).await.expect("get"), None);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn spools_are_kept_under_their_hash_or_removed() {
        let dir = std::env::temp_dir().join(format!("cc-files-{}", crate::mail::random_hex(6).expect("random")));
        let store = DirStore::new(&dir);
        let mut spool = store.spool().await.expect("spool");
        spool.write(b"one ").await.expect("write");
        spool.write(b"mail").await.expect("write");
        assert_eq!(spool.len(), 8);
        let key = store.keep(spool).await.expect("keep");
        assert_eq!(key, FileKey::of(b"one mail"));
        let (len, mut reader) = store.open(&key).await.expect("open").expect("there");
        let mut back = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut back).await.expect("read");
        assert_eq!((len, back.as_slice()), (8, &b"one mail"[..]));
        let mut abandoned = store.spool().await.expect("spool");
        abandoned.write(b"half").await.expect("write");
        let path = abandoned.path().to_path_buf();
        drop(abandoned);
        assert!(!path.exists(), "an abandoned spool is removed");
        let _ = std::fs::remove_dir_all(dir);
    }
}
