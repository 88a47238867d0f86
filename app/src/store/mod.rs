//! Database access (server only): the one place SQL is written, one module per aggregate.

pub mod agents;
pub mod analytics;
pub mod attachments;
pub mod audit;
pub mod chats;
pub mod confirmations;
pub mod dialect;
pub mod customers;
pub mod embeddings;
pub mod faq;
pub mod grades;
pub mod history;
pub mod inbound;
pub mod inquiries;
pub mod login_attempts;
pub mod mailboxes;
pub mod mining;
pub mod notices;
pub mod orders;
pub mod outbox;
pub mod replies;
pub mod service_metrics;
pub mod staffing;
pub mod stored_files;
pub mod types;
pub mod users;
pub mod workspace;

use sqlx::any::AnyPoolOptions;
use sqlx::Executor;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The database, whichever backend `DATABASE_URL` names: every query is written once, in SQL both
/// backends read, and runs through `sqlx::Any`.
pub type Db = sqlx::AnyPool;

/// One connection of [`Db`] (a transaction derefs to it).
pub type Conn = sqlx::AnyConnection;

/// The database engine behind a [`Db`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// One file on this machine (the default): one writer at a time, in this process.
    Sqlite,
    /// A server several app servers share.
    Postgres,
}

impl Backend {
    /// The backend a `DATABASE_URL` names, by its scheme.
    pub fn of_url(url: &str) -> Option<Backend> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }

    /// The backend a pool talks to.
    pub fn of(db: &Db) -> Backend {
        match db.connect_options().database_url.scheme() {
            "sqlite" => Backend::Sqlite,
            _ => Backend::Postgres,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    fn migrator(self) -> &'static sqlx::migrate::Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        }
    }
}

/// Embedded migrations, one folder per backend with the same versions (`migrations/`).
pub static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
pub static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// A `DATABASE_URL` this build cannot open.
#[derive(Debug, thiserror::Error)]
#[error("DATABASE_URL must start with sqlite: or postgres:, got {0:?}")]
pub struct UnknownBackend(pub String);

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

/// Opens the database `url` names and brings its schema up to date. SQLite: the file is created
/// if missing, with WAL, foreign keys and a busy timeout on every connection. PostgreSQL: the
/// migrations run under the migrator's advisory lock, so servers starting together apply each one
/// once.
pub async fn connect_and_migrate(url: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url).ok_or_else(|| sqlx::Error::Configuration(Box::new(UnknownBackend(url.to_string()))))?;
    let pool = match backend {
        Backend::Sqlite => {
            // options reach SQLite through the URL (`mode=rwc`: create if missing) and, for the
            // ones a URL cannot carry, a PRAGMA on every new connection
            let url = if url.contains("mode=") {
                url.to_string()
            } else if url.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            AnyPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(5))
                // a file on this machine does not go away between queries: no ping (a round trip
                // to the connection's thread) before every statement
                .test_before_acquire(false)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute(SQLITE_PRAGMAS).await?;
                        Ok(())
                    })
                })
                .connect(&url)
                .await?
        }
        Backend::Postgres => AnyPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(5)).connect(url).await?,
    };
    backend.migrator().run(&pool).await?;
    service_metrics::build_if_missing(&pool).await?;
    Ok(pool)
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

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
///
/// On PostgreSQL there is no gate and no database-wide lock: a transaction that reads before it
/// writes locks what it reads first ([`WriteTx::lock`]) or writes conditionally.
pub async fn write_tx(db: &Db) -> Result<WriteTx, sqlx::Error> {
    if Backend::of(db) == Backend::Postgres {
        return Ok(WriteTx { tx: db.begin().await?, _gate: None, backend: Backend::Postgres });
    }
    let gate = write_gate(db);
    let gate = tokio::time::timeout(BUSY_TIMEOUT, gate.lock_owned())
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)?;
    let tx = db.begin_with("BEGIN IMMEDIATE").await?;
    Ok(WriteTx { tx, _gate: Some(gate), backend: Backend::Sqlite })
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// One gate per database file (tests run several databases in one process).
fn write_gate(db: &Db) -> std::sync::Arc<tokio::sync::Mutex<()>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static GATES: OnceLock<Mutex<HashMap<std::path::PathBuf, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let url = db.connect_options().database_url.to_string();
    let file = std::path::PathBuf::from(url.split('?').next().unwrap_or_default());
    GATES.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner()).entry(file).or_default().clone()
}

/// A write transaction: on SQLite `BEGIN IMMEDIATE` holding this process's write gate for its
/// database, on PostgreSQL a plain transaction; used like the connection it runs on (`&mut *tx`).
/// Dropped without `commit`, it rolls back.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
    backend: Backend,
}

/// A row (or, for `Key`, a name) a write transaction locks before it reads what it will change.
#[derive(Clone, Copy, Debug)]
pub enum Lock<'a> {
    Inquiry(i64),
    Template(i64),
    Proposal(i64),
    Account(i64),
    Customer(i64),
    TypeCode(&'a str),
    GroupCode(&'a str),
    /// Anything without a row of its own (a quota's key, an address): an advisory lock on the name.
    Key(&'a str),
}

impl WriteTx {
    /// Locks `what` until the transaction ends, so that a change which reads before it writes runs
    /// after any other change of the same thing, not beside it. SQLite runs one write transaction
    /// at a time anyway (this costs nothing there); PostgreSQL locks the row (`SELECT … FOR
    /// UPDATE`) or, for a name, takes a transaction-scoped advisory lock.
    pub async fn lock(&mut self, what: Lock<'_>) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Sqlite {
            return Ok(());
        }
        let sql = match what {
            Lock::Inquiry(_) => "SELECT id FROM inquiries WHERE id = $1 FOR UPDATE",
            Lock::Template(_) => "SELECT id FROM faq_templates WHERE id = $1 FOR UPDATE",
            Lock::Proposal(_) => "SELECT id FROM faq_proposals WHERE id = $1 FOR UPDATE",
            Lock::Account(_) => "SELECT id FROM users WHERE id = $1 FOR UPDATE",
            Lock::Customer(_) => "SELECT id FROM customers WHERE id = $1 FOR UPDATE",
            Lock::TypeCode(_) => "SELECT id FROM inquiry_types WHERE code = $1 FOR UPDATE",
            Lock::GroupCode(_) => "SELECT id FROM agent_groups WHERE code = $1 FOR UPDATE",
            Lock::Key(_) => "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended($1, 0))) AS locked",
        };
        let q = sqlx::query(sql);
        let q = match what {
            Lock::Inquiry(id) | Lock::Template(id) | Lock::Proposal(id) | Lock::Account(id) | Lock::Customer(id) => q.bind(id),
            Lock::TypeCode(key) | Lock::GroupCode(key) | Lock::Key(key) => q.bind(key),
        };
        q.execute(&mut *self.tx).await?;
        Ok(())
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
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
    // one count-and-add per key at a time (PostgreSQL; SQLite's writer is one anyway)
    tx.lock(Lock::Key(&format!("quota:{key}:{count_sql}"))).await?;
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

/// A number that may be missing, bound as text and read with `CAST($n AS DOUBLE PRECISION)`.
/// sqlx's `Any` sends a missing `f64` to PostgreSQL as a missing `real` (float4), and the statement
/// prepared with that then refuses the 8-byte `double` of the next call ("incorrect binary data
/// format"); text is text either way, and both backends cast it exactly.
pub fn optional_real(v: Option<f64>) -> Option<String> {
    v.map(|v| v.to_string())
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
    fn both_backends_have_the_same_migrations() {
        let list = |m: &sqlx::migrate::Migrator| m.iter().map(|m| (m.version, m.description.to_string())).collect::<Vec<_>>();
        let sqlite = list(&super::SQLITE_MIGRATOR);
        assert!(sqlite.len() >= 21, "{sqlite:?}");
        assert_eq!(sqlite, list(&super::POSTGRES_MIGRATOR), "migrations/sqlite and migrations/postgres must have the same versions");
    }

    #[test]
    fn a_database_url_names_its_backend() {
        use super::Backend;
        assert_eq!(Backend::of_url("sqlite://data/cybercenter.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("sqlite::memory:"), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("postgres://cc@127.0.0.1:5432/cc"), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("postgresql://cc@db/cc"), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("mysql://x"), None);
        assert_eq!(Backend::of_url("data/cybercenter.db"), None);
    }

    #[test]
    fn optional_reals_are_written_exactly() {
        for v in [0.9, 0.905, 1.0 / 3.0, 1e-300, 0.0] {
            let text = super::optional_real(Some(v)).expect("some");
            assert_eq!(text.parse::<f64>().ok(), Some(v), "{text}");
        }
        assert_eq!(super::optional_real(None), None);
    }

    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(super::like_anywhere("김"), "%김%");
        assert_eq!(super::like_anywhere("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
