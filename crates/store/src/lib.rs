//! Zhixing's storage: one [`Store`] API over SQLite (the embedded default) and PostgreSQL.
//!
//! Both backends run the same SQL wherever it is portable (`$n` placeholders, `RETURNING`,
//! `ON CONFLICT`, integer times); each has its own migrations. We do not use sqlx's
//! `AnyPool`: the [`on_pool!`] and [`on_tx!`] macros expand one query body for each backend,
//! so every query is type-checked against both drivers.
//!
//! Every write goes through a [`Tx`]; its events are appended to the audit chain inside the
//! same transaction, so a change and its record commit or fail together.

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub mod alerts;
pub mod auction;
pub mod backup;
pub mod bench;
pub mod cases;
pub mod complaints;
pub mod courts;
pub mod credit;
pub mod crypto;
pub mod dashboard;
pub mod debtors;
pub mod entrusted;
pub mod events;
pub mod field;
pub mod funds;
pub mod indicators;
pub mod investigation;
pub mod lists;
pub mod measures;
pub mod portal;
pub mod recordings;
pub mod review;
pub mod rules;
pub mod service;
pub mod sharing;
pub mod supervision;
pub mod users;
pub mod valuation;

pub use events::{EventRecord, NewEvent};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL {0:?} is neither sqlite://PATH nor postgres://…")]
    BadUrl(String),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// The database could not be reached (as opposed to refusing a statement).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Db(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
            )
        )
    }

    /// Turns a unique-constraint violation into [`StoreError::Conflict`].
    pub fn conflict_on_unique(e: sqlx::Error, what: &str) -> StoreError {
        match e.as_database_error() {
            Some(db) if db.is_unique_violation() => StoreError::Conflict(what.to_owned()),
            _ => StoreError::Db(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone, Debug)]
enum Db {
    /// SQLite allows one writer: a single-connection pool serialises writes in-process
    /// (and `BEGIN IMMEDIATE` with `busy_timeout` across processes); reads use their own pool.
    Sqlite {
        write: SqlitePool,
        read: SqlitePool,
    },
    Postgres(PgPool),
}

/// The handle every service holds. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    /// Bumped after every commit that changed what a session may do (see
    /// [`Tx::auth_changed`]), and by the revocation listener for another process's: the
    /// in-process session cache keeps an entry only while this is what it was filled at.
    auth_epoch: Arc<AtomicU64>,
}

/// Runs `$body` with `$c` bound to the read pool of whichever backend the store uses.
#[macro_export]
macro_rules! on_pool {
    ($store:expr, $c:ident => $body:expr) => {
        match $store.pools() {
            $crate::Pools::Sqlite($c) => $body,
            $crate::Pools::Postgres($c) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the open transaction's connection.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx.conn() {
            $crate::TxConn::Sqlite($c) => $body,
            $crate::TxConn::Postgres($c) => $body,
        }
    };
}

/// The read pool, for [`on_pool!`].
pub enum Pools<'a> {
    Sqlite(&'a SqlitePool),
    Postgres(&'a PgPool),
}

/// The connection of an open transaction, for [`on_tx!`].
pub enum TxConn<'a> {
    Sqlite(&'a mut sqlx::SqliteConnection),
    Postgres(&'a mut sqlx::PgConnection),
}

/// An open write transaction. Dropped without [`Tx::commit`], it rolls back.
pub struct Tx {
    inner: TxInner,
    backend: Backend,
    /// The store's [`Store::auth_epoch`], bumped on commit when `auth_changed`.
    auth_epoch: Arc<AtomicU64>,
    auth_changed: bool,
}

enum TxInner {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    pub fn conn(&mut self) -> TxConn<'_> {
        match &mut self.inner {
            TxInner::Sqlite(t) => TxConn::Sqlite(t),
            TxInner::Postgres(t) => TxConn::Postgres(t),
        }
    }
    pub fn backend(&self) -> Backend {
        self.backend
    }
    pub async fn commit(self) -> Result<()> {
        match self.inner {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Postgres(t) => t.commit().await?,
        }
        // After the commit, not before: a session read between a bump and the commit would
        // be cached as still live under the new epoch.
        if self.auth_changed {
            self.auth_epoch.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }
}

/// The default database: `./zhixing-data/zhixing.db`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://zhixing-data/zhixing.db";

/// The environment variable that sets [`StoreOptions::slow_statement`] in milliseconds.
pub const SLOW_STATEMENT_ENV: &str = "ZHIXING_SLOW_STATEMENT_MS";

/// How a store connects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// A statement that takes at least this long is logged at WARN (target `sqlx::query`,
    /// message `slow statement: execution time exceeded alert threshold`, with its SQL).
    pub slow_statement: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            slow_statement: Duration::from_secs(1),
        }
    }
}

impl StoreOptions {
    /// The defaults, with the slow-statement threshold from `ZHIXING_SLOW_STATEMENT_MS` when
    /// it holds a number of milliseconds (anything else is ignored, with a warning).
    pub fn from_env() -> StoreOptions {
        let mut o = StoreOptions::default();
        if let Ok(v) = std::env::var(SLOW_STATEMENT_ENV) {
            match v.trim().parse::<u64>() {
                Ok(ms) => o.slow_statement = Duration::from_millis(ms),
                Err(_) => tracing::warn!(
                    value = %v,
                    "{SLOW_STATEMENT_ENV} is not a number of milliseconds: the default applies"
                ),
            }
        }
        o
    }
}

impl Store {
    fn of(db: Db) -> Store {
        Store {
            db,
            auth_epoch: Arc::default(),
        }
    }

    /// Opens (and for SQLite creates) the database at `url`, with the options of the
    /// environment ([`StoreOptions::from_env`]). Does not migrate.
    pub async fn connect(url: &str) -> Result<Store> {
        Self::connect_with(url, StoreOptions::from_env()).await
    }

    /// Opens (and for SQLite creates) the database at `url`. Does not migrate.
    pub async fn connect_with(url: &str, options: StoreOptions) -> Result<Store> {
        use sqlx::ConnectOptions as _;
        let slow = (log::LevelFilter::Warn, options.slow_statement);
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() {
                return Err(StoreError::BadUrl(url.to_owned()));
            }
            if let Some(dir) = std::path::Path::new(path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir {
                    path: dir.display().to_string(),
                    source,
                })?;
            }
            let opts = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .log_slow_statements(slow.0, slow.1);
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(opts.clone())
                .await?;
            let read = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(opts)
                .await?;
            Ok(Store::of(Db::Sqlite { write, read }))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?.log_slow_statements(slow.0, slow.1);
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Store::of(Db::Postgres(pool)))
        } else {
            Err(StoreError::BadUrl(url.to_owned()))
        }
    }

    /// Applies the backend's pending migrations.
    pub async fn migrate(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite { write, .. } => sqlx::migrate!("./migrations/sqlite").run(write).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub fn pools(&self) -> Pools<'_> {
        match &self.db {
            Db::Sqlite { read, .. } => Pools::Sqlite(read),
            Db::Postgres(p) => Pools::Postgres(p),
        }
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE` on SQLite, so a writer never has to
    /// upgrade its lock half-way and fail).
    pub async fn begin(&self) -> Result<Tx> {
        let (inner, backend) = match &self.db {
            Db::Sqlite { write, .. } => (
                TxInner::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?),
                Backend::Sqlite,
            ),
            Db::Postgres(pool) => (TxInner::Postgres(pool.begin().await?), Backend::Postgres),
        };
        Ok(self.tx(inner, backend))
    }

    fn tx(&self, inner: TxInner, backend: Backend) -> Tx {
        Tx {
            inner,
            backend,
            auth_epoch: self.auth_epoch.clone(),
            auth_changed: false,
        }
    }

    /// A trivial query, for readiness probes.
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite { write, read } => {
                write.close().await;
                read.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }
}

/// Microseconds since the epoch, the unit every stored time uses.
pub fn micros(t: jiff::Timestamp) -> i64 {
    t.as_microsecond()
}

/// The inverse of [`micros`].
pub fn from_micros(us: i64) -> Result<jiff::Timestamp> {
    jiff::Timestamp::from_microsecond(us)
        .map_err(|e| StoreError::Corrupt(format!("time {us}: {e}")))
}
