//! Secrets the server must keep and use again — the passwords of support mailboxes — sealed
//! before they are stored: ChaCha20-Poly1305 under a 32-byte key kept in a file beside the
//! database (`CYBERCENTER_SECRET_KEY_FILE`, made on first start, readable by the server's user
//! only). A copy of the database alone gives away no password.
//!
//! Sealed values read `v1:<nonce hex>:<ciphertext hex>`. A value without the prefix is one stored
//! before sealing existed (or written straight into the table by a tool): read as it is, and
//! sealed at the next start.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use std::path::Path;

const PREFIX: &str = "v1:";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("the secret key file {path}: {reason}")]
    KeyFile { path: String, reason: String },
    #[error("the saved password cannot be read with this server's key (was the secret key file replaced?): enter the password again")]
    Unreadable,
    #[error("no randomness: {0}")]
    Random(String),
}

pub struct Secrets {
    key: LessSafeKey,
}

impl Secrets {
    /// The key from `path`, made (32 random bytes, mode 0600) when there is none.
    pub fn from_key_file(path: &Path) -> Result<Secrets, SecretError> {
        let err = |reason: String| SecretError::KeyFile { path: path.display().to_string(), reason };
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                getrandom::fill(&mut key).map_err(|e| SecretError::Random(e.to_string()))?;
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
                }
                write_private(path, &key).map_err(|e| err(e.to_string()))?;
                key.to_vec()
            }
            Err(e) => return Err(err(e.to_string())),
        };
        Secrets::from_key(&bytes).ok_or_else(|| err(format!("must hold 32 bytes, holds {}", bytes.len())))
    }

    pub fn from_key(bytes: &[u8]) -> Option<Secrets> {
        let key = UnboundKey::new(&CHACHA20_POLY1305, bytes).ok()?;
        (bytes.len() == 32).then(|| Secrets { key: LessSafeKey::new(key) })
    }

    pub fn seal(&self, plain: &str) -> Result<String, SecretError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|e| SecretError::Random(e.to_string()))?;
        let mut data = plain.as_bytes().to_vec();
        self.key
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut data)
            .map_err(|_| SecretError::Unreadable)?;
        Ok(format!("{PREFIX}{}:{}", crate::mail::hex(&nonce), crate::mail::hex(&data)))
    }

    /// The secret `stored` holds (a value stored before sealing existed, as it is).
    pub fn open(&self, stored: &str) -> Result<String, SecretError> {
        let Some(rest) = stored.strip_prefix(PREFIX) else { return Ok(stored.to_string()) };
        let (nonce, data) = rest.split_once(':').ok_or(SecretError::Unreadable)?;
        let nonce: [u8; NONCE_LEN] = unhex(nonce).and_then(|n| n.try_into().ok()).ok_or(SecretError::Unreadable)?;
        let mut data = unhex(data).ok_or(SecretError::Unreadable)?;
        let plain = self
            .key
            .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut data)
            .map_err(|_| SecretError::Unreadable)?;
        String::from_utf8(plain.to_vec()).map_err(|_| SecretError::Unreadable)
    }

    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_untouched() {
        let s = Secrets::from_key(&[7u8; 32]).expect("key");
        let sealed = s.seal("imap-비밀번호").expect("seal");
        assert!(Secrets::is_sealed(&sealed) && !sealed.contains("imap"));
        assert_ne!(sealed, s.seal("imap-비밀번호").expect("seal"), "a fresh nonce every time");
        assert_eq!(s.open(&sealed).as_deref(), Ok("imap-비밀번호"));
        let other = Secrets::from_key(&[8u8; 32]).expect("key");
        assert_eq!(other.open(&sealed), Err(SecretError::Unreadable));
        let mut tampered = sealed.clone();
        let last = tampered.pop().map(|c| if c == '0' { '1' } else { '0' }).expect("char");
        tampered.push(last);
        assert_eq!(s.open(&tampered), Err(SecretError::Unreadable));
        // stored before sealing existed: read as it is
        assert_eq!(s.open("plain-old").as_deref(), Ok("plain-old"));
        assert!(Secrets::from_key(&[1u8; 16]).is_none());
    }

    #[test]
    fn the_key_file_is_made_once_and_private() {
        let dir = std::env::temp_dir().join(format!("cc-secret-{}", crate::mail::random_hex(6).expect("random")));
        let path = dir.join("secret.key");
        let a = Secrets::from_key_file(&path).expect("made");
        let sealed = a.seal("x").expect("seal");
        let b = Secrets::from_key_file(&path).expect("read");
        assert_eq!(b.open(&sealed).as_deref(), Ok("x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&path, b"short").expect("write");
        assert!(matches!(Secrets::from_key_file(&path), Err(SecretError::KeyFile { .. })));
        let _ = std::fs::remove_dir_all(dir);
    }
}
