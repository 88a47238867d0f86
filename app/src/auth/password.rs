//! Password hashing with argon2id at OWASP's parameters (m = 19 MiB, t = 2, p = 1).
//!
//! Every hash and verification of a request runs on a small pool of dedicated threads (two per
//! core) fed by a bounded queue: at most `threads` hashes are in memory at once (each needs
//! 19 MiB), and when the queue is full the caller gets `AppError::Busy` (503 with Retry-After) at
//! once instead of a thread and 19 MiB more (on tokio's blocking pool, 500 parallel
//! registrations peaked at 9 GiB). Each hashing thread keeps one argon2 memory block and reuses
//! it for every hash (see `MEMORY`), so the pool's memory is fixed, not whatever the allocator
//! keeps after a burst.

use crate::error::AppError;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, OnceLock};

/// Hashes waiting for a thread before new ones are refused (a few hundred milliseconds of work).
pub const QUEUE_BOUND: usize = 32;
/// What a refused caller is told to wait.
const BUSY_RETRY_S: u64 = 1;

fn params() -> Result<Params, AppError> {
    Params::new(19 * 1024, 2, 1, None).map_err(|e| AppError::internal("argon2 params", e))
}

thread_local! {
    /// This thread's argon2 memory (19 MiB at our parameters), allocated at its first hash and
    /// reused by every later one: a hashing thread holds one block of memory for its life, and
    /// the allocator is never asked for 19 MiB again (each fresh allocation was kept by the
    /// allocator's per-thread arenas afterwards: 444 MiB after 40 hashes one at a time).
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs argon2 with this thread's memory.
fn argon2_into(argon: &Argon2<'_>, blocks: usize, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), AppError> {
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() != blocks {
            *memory = vec![Block::new(); blocks];
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut memory[..])
    })
    .map_err(|e| AppError::internal("argon2", e))
}

/// Hashes synchronously (for the hashing threads, the demo loader and tests): argon2id with a
/// fresh 16-byte salt, as a PHC string.
pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    let params = params()?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = argon2::password_hash::try_generate_salt().map_err(|e| AppError::internal("salt", e))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(&argon, params.block_count(), password.as_bytes(), &salt, &mut out)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| AppError::internal("argon2 params", e))?,
        salt: Some(Salt::new(&salt).map_err(|e| AppError::internal("salt", e))?),
        hash: Some(Output::new(&out).map_err(|e| AppError::internal("argon2 output", e))?),
    };
    Ok(phc.to_string())
}

/// Checks a password against a stored PHC string with the parameters it was made with; the
/// outputs are compared in constant time.
fn verify_blocking(password: &str, phc: &str) -> Result<bool, AppError> {
    let parsed = PasswordHash::new(phc).map_err(|e| AppError::internal("stored hash", e))?;
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return Err(AppError::internal("stored hash", "no salt or output"));
    };
    let params = Params::try_from(&parsed).map_err(|e| AppError::internal("stored hash params", e))?;
    let algorithm = Algorithm::try_from(parsed.algorithm.as_str()).map_err(|e| AppError::internal("stored hash algorithm", e))?;
    let version = match parsed.version {
        Some(v) => Version::try_from(v).map_err(|e| AppError::internal("stored hash version", e))?,
        None => Version::default(),
    };
    let argon = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    argon2_into(&argon, params.block_count(), password.as_bytes(), salt.as_ref(), &mut out)?;
    Ok(Output::new(&out).map_err(|e| AppError::internal("argon2 output", e))? == *expected)
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
    fn hashes_made_by_the_argon2_crate_itself_verify_and_ours_verify_there() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let theirs_argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params().expect("params"));
        let theirs = theirs_argon.hash_password(b"shared secret phrase").expect("hash").to_string();
        assert!(verify_blocking("shared secret phrase", &theirs).expect("verify"));
        assert!(!verify_blocking("another phrase", &theirs).expect("verify"));
        let ours = hash_blocking("shared secret phrase").expect("hash");
        let parsed = PasswordHash::new(&ours).expect("phc");
        assert!(theirs_argon.verify_password(b"shared secret phrase", &parsed).is_ok());
        assert!(theirs_argon.verify_password(b"another phrase", &parsed).is_err());
    }

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
