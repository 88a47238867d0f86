//! Files kept outside the database rows (the original of every imported mail; attachments next):
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
}
