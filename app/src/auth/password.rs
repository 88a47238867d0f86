//! Password hashing with argon2id at OWASP's parameters (m = 19 MiB, t = 2, p = 1).
//!
//! Every hash and verification of a request runs on a small pool of dedicated threads (two per
//! core) fed by a bounded queue: at most `threads` hashes are in memory at once (each needs
//! 19 MiB), and when the queue is full the caller gets `AppError::Busy` (503 with Retry-After) at
//! once instead of a thread and 19 MiB more. Dedicated threads also keep the allocator's
//! per-thread arenas to a fixed few: on the blocking pool, hundreds of threads each kept their
//! own 19 MiB after a burst (9 GiB peak RSS for 500 parallel registrations).

use crate::error::AppError;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, OnceLock};

/// Hashes waiting for a thread before new ones are refused (a few hundred milliseconds of work).
pub const QUEUE_BOUND: usize = 32;
/// What a refused caller is told to wait.
const BUSY_RETRY_S: u64 = 1;

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

type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed set of hashing threads behind a bounded queue.
pub struct HashPool {
    jobs: SyncSender<Job>,
    threads: usize,
}

impl HashPool {
    pub fn start(threads: usize, queue: usize) -> HashPool {
        let (tx, rx) = sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        for i in 0..threads {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new().name(format!("argon2-{i}")).spawn(move || loop {
                // the lock is held only while waiting for the next job, never while hashing
                let next = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                match next {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        HashPool { jobs: tx, threads }
    }

    /// How many hashes may run at once.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Queues `work` for a hashing thread; `Busy` at once when the queue is full.
    pub fn submit<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<tokio::sync::oneshot::Receiver<T>, AppError> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        match self.jobs.try_send(job) {
            Ok(()) => Ok(result),
            Err(TrySendError::Full(_)) => Err(AppError::Busy { retry_after_s: BUSY_RETRY_S }),
            Err(TrySendError::Disconnected(_)) => Err(AppError::internal("password hashing", "no hashing threads")),
        }
    }

    /// Runs `work` on a hashing thread and waits for it.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        self.submit(work)?.await.map_err(|e| AppError::internal("password hashing", e))
    }
}

/// The process's hashing pool: two threads per core (at least two).
pub fn pool() -> &'static HashPool {
    static POOL: OnceLock<HashPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        HashPool::start((cores * 2).max(2), QUEUE_BOUND)
    })
}

pub async fn hash(password: String) -> Result<String, AppError> {
    pool().run(move || hash_blocking(&password)).await?
}

pub async fn verify(password: String, phc: String) -> Result<bool, AppError> {
    pool().run(move || verify_blocking(&password, &phc)).await?
}

/// A throwaway hash with the real parameters, made once.
async fn dummy_hash() -> Result<String, AppError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    match DUMMY.get() {
        Some(h) => Ok(h.clone()),
        None => {
            let h = hash("not-a-real-password".to_string()).await?;
            Ok(DUMMY.get_or_init(|| h).clone())
        }
    }
}

/// Verifies against a throwaway hash, so that an unknown email costs the same time as a known
/// one and timing does not tell which accounts exist.
pub async fn verify_dummy(password: String) -> Result<(), AppError> {
    let dummy = dummy_hash().await?;
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

    #[tokio::test]
    async fn a_full_queue_refuses_at_once_instead_of_growing() {
        let pool = HashPool::start(1, 2);
        let (release, gate) = std::sync::mpsc::channel::<()>();
        let gate = Arc::new(Mutex::new(gate));
        // one job holds the only thread, two more fill the queue (the first may still be queued
        // when the next is submitted, so one more place may be free: fill until refused)
        let mut waiting = Vec::new();
        let refused = loop {
            let gate = gate.clone();
            match pool.submit(move || {
                let _ = gate.lock().map(|g| g.recv());
            }) {
                Ok(rx) => waiting.push(rx),
                Err(e) => break e,
            }
            assert!(waiting.len() <= 3, "the queue took more than its bound");
        };
        assert_eq!(refused, AppError::Busy { retry_after_s: BUSY_RETRY_S });
        assert!(waiting.len() >= 2);
        for _ in 0..waiting.len() {
            release.send(()).expect("release");
        }
        for rx in waiting {
            rx.await.expect("queued work runs");
        }
        assert_eq!(pool.run(|| 7).await, Ok(7), "room again once the queue drains");
    }
}
