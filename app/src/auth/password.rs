//! Password hashing with argon2id at OWASP's parameters (m = 19 MiB, t = 2, p = 1), run on the
//! blocking pool so a login never stalls the async executor.

use crate::error::AppError;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

fn hasher() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| AppError::internal("argon2 params", e))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes synchronously (for the demo loader and tests, which are already off the executor).
pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    let hash = hasher()?
        .hash_password(password.as_bytes())
        .map_err(|e| AppError::internal("argon2 hash", e))?;
    Ok(hash.to_string())
}

fn verify_blocking(password: &str, phc: &str) -> Result<bool, AppError> {
    let parsed = PasswordHash::new(phc).map_err(|e| AppError::internal("stored hash", e))?;
    Ok(hasher()?.verify_password(password.as_bytes(), &parsed).is_ok())
}

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| AppError::internal("hash task", e))?
}

pub async fn verify(password: String, phc: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || verify_blocking(&password, &phc))
        .await
        .map_err(|e| AppError::internal("verify task", e))?
}

/// Verifies against a throwaway hash, so that an unknown email costs the same time as a known
/// one and timing does not tell which accounts exist.
pub async fn verify_dummy(password: String) -> Result<(), AppError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = match DUMMY.get() {
        Some(h) => h.clone(),
        None => {
            let h = hash("not-a-real-password".to_string()).await?;
            DUMMY.get_or_init(|| h).clone()
        }
    };
    verify(password, dummy).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let phc = hash_blocking("correct horse battery").expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_blocking("correct horse battery", &phc).expect("verify"));
        assert!(!verify_blocking("wrong horse battery", &phc).expect("verify"));
        // a fresh salt each time
        assert_ne!(phc, hash_blocking("correct horse battery").expect("hash"));
    }
}
