//! Sessions kept in memory in front of the database store. Every signed-in request loads its
//! session; without this that is one SQLite round trip (a hop to the connection's thread and
//! back, and a MessagePack decode) per request. All writes go through this process, so the copy
//! here is the stored record: saved only after the store took it, dropped before the store
//! deletes it. A copy older than `fresh_for` is read again from the store, which bounds how long
//! a session deleted by another process (a second server, later) can outlive its deletion here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions::ExpiredDeletion;

#[derive(Debug, Clone)]
pub struct CachedStore<S> {
    store: S,
    cache: Arc<Mutex<HashMap<Id, (Record, Instant)>>>,
    capacity: usize,
    fresh_for: Duration,
}

impl<S> CachedStore<S> {
    pub fn new(store: S, capacity: usize, fresh_for: Duration) -> Self {
        Self { store, cache: Arc::new(Mutex::new(HashMap::new())), capacity: capacity.max(1), fresh_for }
    }

    fn cached(&self, id: &Id) -> Option<Record> {
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let (record, at) = cache.get(id)?;
        let live = record.expiry_date > tower_sessions::cookie::time::OffsetDateTime::now_utc();
        (live && at.elapsed() < self.fresh_for).then(|| record.clone())
    }

    fn keep(&self, record: &Record) {
        if self.fresh_for.is_zero() {
            // no copy is ever fresh (another server may end the session): keep none
            return;
        }
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= self.capacity && !cache.contains_key(&record.id) {
            // full: drop the copies that would be read again anyway; if every copy is fresh,
            // start over (each is one store read away)
            let fresh_for = self.fresh_for;
            cache.retain(|_, (_, at)| at.elapsed() < fresh_for);
            if cache.len() >= self.capacity {
                cache.clear();
            }
        }
        cache.insert(record.id, (record.clone(), Instant::now()));
    }

    fn forget(&self, id: &Id) {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

#[async_trait::async_trait]
impl<S: SessionStore> SessionStore for CachedStore<S> {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // the store may change the id (a collision): keep what it stored
        self.store.create(record).await?;
        self.keep(record);
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        // forget first: a failed save must not leave a copy the store does not have
        self.forget(&record.id);
        self.store.save(record).await?;
        self.keep(record);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        if let Some(record) = self.cached(id) {
            return Ok(Some(record));
        }
        let record = self.store.load(id).await?;
        match &record {
            Some(r) => self.keep(r),
            None => self.forget(id),
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.forget(id);
        self.store.delete(id).await
    }
}

/// The session table in the app's own database, whichever backend that is (tower-sessions'
/// SQLite or PostgreSQL store, on a small pool of its own: those stores take a typed pool).
#[derive(Debug, Clone)]
pub enum DbStore {
    Sqlite(tower_sessions_sqlx_store::SqliteStore),
    Postgres(tower_sessions_sqlx_store::PostgresStore),
}

impl DbStore {
    /// Opens the store on `url` (the app's database, already migrated) and makes its table.
    pub async fn open(url: &str) -> Result<DbStore, sqlx::Error> {
        fn small<DB: sqlx::Database>() -> sqlx::pool::PoolOptions<DB> {
            sqlx::pool::PoolOptions::new().max_connections(4).acquire_timeout(Duration::from_secs(5))
        }
        let store = match app::store::Backend::of_url(url) {
            Some(app::store::Backend::Postgres) => DbStore::Postgres(tower_sessions_sqlx_store::PostgresStore::new(small().connect(url).await?)),
            _ => DbStore::Sqlite(tower_sessions_sqlx_store::SqliteStore::new(small().connect(url).await?)),
        };
        match &store {
            DbStore::Sqlite(s) => s.migrate().await?,
            DbStore::Postgres(s) => s.migrate().await?,
        }
        Ok(store)
    }

    /// Deletes expired sessions every `period`, for as long as the server runs.
    pub fn sweep_expired(&self, period: Duration) {
        match self.clone() {
            DbStore::Sqlite(s) => drop(tokio::spawn(s.continuously_delete_expired(period))),
            DbStore::Postgres(s) => drop(tokio::spawn(s.continuously_delete_expired(period))),
        }
    }
}

#[async_trait::async_trait]
impl SessionStore for DbStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            DbStore::Sqlite(s) => s.create(record).await,
            DbStore::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            DbStore::Sqlite(s) => s.save(record).await,
            DbStore::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            DbStore::Sqlite(s) => s.load(id).await,
            DbStore::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            DbStore::Sqlite(s) => s.delete(id).await,
            DbStore::Postgres(s) => s.delete(id).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tower_sessions::cookie::time::{Duration as TimeDuration, OffsetDateTime};
    use tower_sessions::MemoryStore;

    /// The memory store, counting the loads that reach it.
    #[derive(Debug, Clone, Default)]
    struct Counting {
        inner: MemoryStore,
        loads: Arc<AtomicUsize>,
    }

    #[async_trait::async_trait]
    impl SessionStore for Counting {
        async fn create(&self, r: &mut Record) -> session_store::Result<()> {
            self.inner.create(r).await
        }
        async fn save(&self, r: &Record) -> session_store::Result<()> {
            self.inner.save(r).await
        }
        async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
            self.loads.fetch_add(1, Ordering::SeqCst);
            self.inner.load(id).await
        }
        async fn delete(&self, id: &Id) -> session_store::Result<()> {
            self.inner.delete(id).await
        }
    }

    fn record(expires_in: TimeDuration) -> Record {
        Record { id: Id::default(), data: Default::default(), expiry_date: OffsetDateTime::now_utc() + expires_in }
    }

    #[tokio::test]
    async fn a_loaded_session_is_read_from_the_store_once_and_a_deleted_one_is_gone() {
        let store = Counting::default();
        let cached = CachedStore::new(store.clone(), 100, Duration::from_secs(60));
        let mut r = record(TimeDuration::hours(1));
        r.data.insert("user".into(), serde_json::json!(7));
        cached.create(&mut r).await.unwrap();
        for _ in 0..3 {
            assert_eq!(cached.load(&r.id).await.unwrap().map(|x| x.data), Some(r.data.clone()));
        }
        assert_eq!(store.loads.load(Ordering::SeqCst), 0, "created here, so never read back");
        cached.delete(&r.id).await.unwrap();
        assert!(cached.load(&r.id).await.unwrap().is_none());
        assert!(store.inner.load(&r.id).await.unwrap().is_none(), "deleted in the store too");
    }

    #[tokio::test]
    async fn a_save_replaces_the_copy_and_stale_or_expired_copies_are_read_again() {
        let store = Counting::default();
        let cached = CachedStore::new(store.clone(), 100, Duration::from_millis(50));
        let mut r = record(TimeDuration::hours(1));
        cached.create(&mut r).await.unwrap();
        r.data.insert("epoch".into(), serde_json::json!(2));
        cached.save(&r).await.unwrap();
        assert_eq!(cached.load(&r.id).await.unwrap().unwrap().data, r.data);
        // another process deletes it: this copy is honoured only until it is no longer fresh
        store.inner.delete(&r.id).await.unwrap();
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert!(cached.load(&r.id).await.unwrap().is_none());
        assert_eq!(store.loads.load(Ordering::SeqCst), 1);

        let mut gone = record(TimeDuration::milliseconds(-1));
        cached.create(&mut gone).await.unwrap();
        assert!(cached.load(&gone.id).await.unwrap().is_none(), "an expired record is not served");
    }

    #[tokio::test]
    async fn the_cache_stays_within_its_capacity() {
        let cached = CachedStore::new(Counting::default(), 4, Duration::from_secs(60));
        for _ in 0..10 {
            let mut r = record(TimeDuration::hours(1));
            cached.create(&mut r).await.unwrap();
            assert!(cached.len() <= 4);
        }
    }
}
