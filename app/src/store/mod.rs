//! Database access (server only): the one place SQL is written, one module per aggregate.

pub mod agents;
pub mod analytics;
pub mod attachments;
pub mod audit;
pub mod chats;
pub mod confirmations;
pub mod customers;
pub mod faq;
pub mod grades;
pub mod history;
pub mod inbound;
pub mod inquiries;
pub mod login_attempts;
pub mod mailboxes;
pub mod notices;
pub mod orders;
pub mod outbox;
pub mod replies;
pub mod service_metrics;
pub mod staffing;
pub mod types;
pub mod users;
pub mod workspace;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub type Db = SqlitePool;

/// Embedded migrations from the workspace's `migrations/`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Milliseconds since the Unix epoch (UTC): every timestamp in the schema.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The clock every request reads once (`now`) and passes down: the server's clock, moved by an
/// offset that only tests set (to step past a session's lifetime or a reopen window without
/// waiting). Clones share the offset.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_ms: std::sync::Arc<AtomicI64>,
}

impl Clock {
    /// Milliseconds since the Unix epoch, as this clock tells them.
    pub fn now_ms(&self) -> i64 {
        now_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves this clock (and every clone of it) forward by `ms`.
    pub fn advance(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

/// A short id that ties a user-visible "something went wrong" to its log line.
pub fn new_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{:x}-{:x}", now_ms() & 0xff_ffff, n)
}

/// Opens (creating if needed) a SQLite database with WAL, foreign keys and a busy timeout, and
/// runs the migrations.
pub async fn connect_and_migrate(url: &str) -> Result<Db, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(5))
        // a file on this machine does not go away between queries: no ping (a round trip to
        // the connection's thread) before every statement
        .test_before_acquire(false)
        .connect_with(options)
        .await?;
    MIGRATOR.run(&pool).await?;
    service_metrics::build_if_missing(&pool).await?;
    Ok(pool)
}

/// Every transaction that writes starts here: it takes SQLite's write lock at once (`BEGIN
/// IMMEDIATE`, waiting up to the busy timeout). A deferred transaction that reads and then
/// writes (the service rollups read an inquiry's facts first; push routing reads agents' loads)
/// fails with SQLITE_BUSY_SNAPSHOT, busy timeout or not, when another connection commits in
/// between — so no write transaction is left to depend on whether its first statement writes.
///
/// Writers of this process queue in order on a gate per database file before they ask SQLite for
/// its lock: SQLite's own busy handler makes a waiting writer sleep (1, 2, 5, … up to 100 ms) and
/// retry, which left the lock idle between writers and gave inquiry submission a p99 of 156 ms.
/// The gate is held until the transaction ends; waiting for it longer than the busy timeout is
/// the same error as before (busy).
pub async fn write_tx(db: &Db) -> Result<WriteTx, sqlx::Error> {
    let gate = write_gate(db);
    let gate = tokio::time::timeout(BUSY_TIMEOUT, gate.lock_owned())
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)?;
    let tx = db.begin_with("BEGIN IMMEDIATE").await?;
    Ok(WriteTx { tx, _gate: gate })
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// One gate per database file (tests run several databases in one process).
fn write_gate(db: &Db) -> std::sync::Arc<tokio::sync::Mutex<()>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static GATES: OnceLock<Mutex<HashMap<std::path::PathBuf, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let file = db.connect_options().get_filename().to_path_buf();
    GATES.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner()).entry(file).or_default().clone()
}

/// A write transaction (`BEGIN IMMEDIATE`) holding this process's write gate for its database;
/// used like the connection it runs on (`&mut *tx`). Dropped without `commit`, it rolls back.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    _gate: tokio::sync::OwnedMutexGuard<()>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &sqlx::SqliteConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut sqlx::SqliteConnection {
        &mut self.tx
    }
}

/// Refuses one more record when `count_sql` (the key's records since a time: `COUNT(*) AS n` and
/// the oldest time `AS oldest`, parameters key and since) says the quota is used up. Run in the
/// transaction that then adds the record, so parallel requests queue on the write lock and each
/// sees the others.
pub(crate) async fn enforce_quota(
    tx: &mut crate::store::WriteTx,
    count_sql: &'static str,
    key: i64,
    quota: crate::domain::quota::Quota,
    what: crate::error::Limited,
    now: i64,
) -> Result<(), crate::error::AppError> {
    let used: QuotaUse = sqlx::query_as(count_sql).bind(key).bind(now - quota.window_ms).fetch_one(&mut **tx).await?;
    match quota.retry_after(used.n, used.oldest, now) {
        Some(retry_after_s) => Err(crate::error::AppError::RateLimited { retry_after_s, what }),
        None => Ok(()),
    }
}

/// What [`enforce_quota`]'s count reads.
#[derive(sqlx::FromRow)]
struct QuotaUse {
    n: i64,
    oldest: Option<i64>,
}

/// An inquiry type's name in both languages, selected as `t.name_ko AS type_name_ko, t.name_en AS
/// type_name_en` and flattened into a row (`#[sqlx(flatten)]`): the SQL text never depends on the
/// reader; the reader's is picked here.
#[derive(sqlx::FromRow)]
pub struct TypeName {
    type_name_ko: String,
    type_name_en: String,
}

impl TypeName {
    pub fn in_locale(self, locale: crate::i18n::Locale) -> String {
        locale.pick(self.type_name_ko, self.type_name_en)
    }
}

/// An agent group's name in both languages, selected as `g.name_ko AS group_name_ko, g.name_en AS
/// group_name_en` (see [`TypeName`]).
#[derive(sqlx::FromRow)]
pub struct GroupName {
    group_name_ko: String,
    group_name_en: String,
}

impl GroupName {
    pub fn in_locale(self, locale: crate::i18n::Locale) -> String {
        locale.pick(self.group_name_ko, self.group_name_en)
    }
}

/// A code with its name in both languages (inquiry types, agent groups), as selected by
/// `SELECT code, name_ko, name_en`.
#[derive(sqlx::FromRow)]
pub struct NamedRow {
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
}

impl NamedRow {
    /// The code and the name in the reader's language.
    pub fn in_locale(self, locale: crate::i18n::Locale) -> (String, String) {
        (self.code, locale.pick(self.name_ko, self.name_en))
    }
}

/// True when the database answers a trivial query (for `/healthz`).
pub async fn is_reachable(db: &Db) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(db).await.is_ok()
}

/// A `LIKE … ESCAPE` pattern (escape character: backslash) matching `q` anywhere, with `%`, `_`
/// and backslash in `q` taken literally (a search for "50%" does not match everything).
pub fn like_anywhere(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 2);
    out.push('%');
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(super::like_anywhere("김"), "%김%");
        assert_eq!(super::like_anywhere("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
