//! What a backup needs from the database: a consistent copy while the server keeps writing
//! (SQLite's `VACUUM INTO`; PostgreSQL's exported snapshot, which `pg_dump --snapshot` reads),
//! and the facts a manifest records about that copy — schema version, row counts, the audit
//! chain's head, the data key's fingerprint, the recordings it vouches for — read inside the
//! same snapshot, so that a restore can check it got exactly what was copied.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

use crate::{Backend, Db, Result, Store, StoreError, Tx, TxInner, on_tx};

/// A recording's file as the database knows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecordingFile {
    pub storage_key: String,
    pub size: i64,
    pub sha256: String,
}

/// The facts of one consistent view of the database.
#[derive(Debug, Clone)]
pub struct SnapshotFacts {
    /// The newest migration applied.
    pub schema_version: i64,
    /// Rows per table (every table of the schema, the migrations' own included).
    pub counts: BTreeMap<String, i64>,
    /// Entries on the audit chain and the head's hash.
    pub chain_entries: i64,
    pub chain_head: String,
    /// The fingerprint of the data key the database was written with (none before first use).
    pub data_key_fingerprint: Option<String>,
    pub recordings: Vec<RecordingFile>,
}

/// The newest migration this build knows for `backend`: a backup of a newer schema cannot be
/// served by it.
pub fn known_schema_version(backend: Backend) -> i64 {
    let migrator = match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
    };
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

/// A table name as the catalogue gives it, safe to put in a statement unquoted.
fn plain_identifier(name: &str) -> Result<&str> {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        Ok(name)
    } else {
        Err(StoreError::Corrupt(format!(
            "unexpected table name {name:?}"
        )))
    }
}

impl Store {
    /// Writes a consistent copy of a SQLite database to `to` (which must not exist) while the
    /// server goes on writing: `VACUUM INTO` runs as one read transaction, so the copy holds
    /// every transaction committed before it began and nothing of any other.
    pub async fn sqlite_copy_into(&self, to: &Path) -> Result<()> {
        let Db::Sqlite { read, .. } = &self.db else {
            return Err(StoreError::BadUrl(
                "a file copy is for SQLite; PostgreSQL is copied by pg_dump".into(),
            ));
        };
        let path = to
            .to_str()
            .ok_or_else(|| StoreError::BadUrl(format!("{} is not UTF-8", to.display())))?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(read)
            .await?;
        Ok(())
    }

    /// Opens a copy made by [`Store::sqlite_copy_into`] to read its facts, without turning it
    /// into a WAL database (so that it stays one self-contained file).
    pub async fn open_sqlite_copy(path: &Path) -> Result<Store> {
        let path = path
            .to_str()
            .ok_or_else(|| StoreError::BadUrl(format!("{} is not UTF-8", path.display())))?;
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
            .create_if_missing(false)
            .journal_mode(SqliteJournalMode::Delete)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await?;
        Ok(Store::of(Db::Sqlite {
            write: pool.clone(),
            read: pool,
        }))
    }

    /// A read-only transaction on one snapshot of the database. On PostgreSQL the snapshot is
    /// exported: its name lets `pg_dump --snapshot` copy exactly what this transaction sees,
    /// for as long as the transaction stays open.
    pub async fn begin_snapshot(&self) -> Result<(Tx, Option<String>)> {
        match &self.db {
            Db::Sqlite { .. } => Ok((self.begin().await?, None)),
            Db::Postgres(pool) => {
                let mut t = pool.begin().await?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute(&mut *t)
                    .await?;
                let (id,): (String,) = sqlx::query_as("SELECT pg_export_snapshot()")
                    .fetch_one(&mut *t)
                    .await?;
                Ok((self.tx(TxInner::Postgres(t), Backend::Postgres), Some(id)))
            }
        }
    }

    /// Whether the database holds no table at all (a restore goes only into an empty one).
    pub async fn is_empty(&self) -> Result<bool> {
        let mut tx = self.begin().await?;
        let tables = tx.tables().await?;
        Ok(tables.is_empty())
    }

    /// On PostgreSQL, the schema unqualified names resolve to (none if it does not exist).
    pub async fn current_schema(&self) -> Result<Option<String>> {
        match &self.db {
            Db::Sqlite { .. } => Ok(None),
            Db::Postgres(pool) => Ok(sqlx::query_scalar("SELECT CAST(current_schema() AS TEXT)")
                .fetch_one(pool)
                .await?),
        }
    }
}

impl Tx {
    /// The tables of the database (of the current schema on PostgreSQL), by name.
    pub async fn tables(&mut self) -> Result<Vec<String>> {
        let names: Vec<String> = match self.conn() {
            crate::TxConn::Sqlite(c) => {
                sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                )
                .fetch_all(c)
                .await?
            }
            crate::TxConn::Postgres(c) => {
                sqlx::query_scalar(
                    "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
                )
                .fetch_all(c)
                .await?
            }
        };
        Ok(names)
    }

    /// The facts a backup's manifest records, as this transaction sees the database.
    pub async fn snapshot_facts(&mut self) -> Result<SnapshotFacts> {
        let mut counts = BTreeMap::new();
        for table in self.tables().await? {
            let sql = format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM {}",
                plain_identifier(&table)?
            );
            let n: i64 = on_tx!(self, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).fetch_one(c).await)?;
            counts.insert(table, n);
        }
        let schema_version: Option<i64> = on_tx!(self, c => sqlx::query_scalar(
            "SELECT MAX(version) FROM _sqlx_migrations").fetch_one(c).await)?;
        let (chain_entries, chain_head): (i64, String) = on_tx!(self, c => sqlx::query_as(
            "SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(c).await)?;
        let data_key_fingerprint: Option<String> = on_tx!(self, c => sqlx::query_scalar(
            "SELECT value FROM meta WHERE key = 'data_key_fingerprint'").fetch_optional(c).await)?;
        let recordings: Vec<RecordingFile> = on_tx!(self, c => sqlx::query_as(
            "SELECT storage_key, size, sha256 FROM recordings ORDER BY id").fetch_all(c).await)?;
        Ok(SnapshotFacts {
            schema_version: schema_version.unwrap_or(0),
            counts,
            chain_entries,
            chain_head,
            data_key_fingerprint,
            recordings,
        })
    }
}

/// How the PostgreSQL client tools (`pg_dump`, `pg_restore`) reach the database of a
/// `postgres://` URL: libpq's environment variables (so that the password never shows on a
/// command line), and the schema the URL's `options[search_path]` names, if any.
#[derive(Debug, Clone)]
pub struct LibpqTarget {
    pub env: Vec<(String, String)>,
    pub schema: Option<String>,
}

pub fn libpq_target(url: &str) -> Result<LibpqTarget> {
    use sqlx::postgres::{PgConnectOptions, PgSslMode};
    let opts = PgConnectOptions::from_str(url)?;
    let mut env = vec![
        (
            "PGHOST".to_owned(),
            match opts.get_socket() {
                Some(dir) => dir.display().to_string(),
                None => opts.get_host().to_owned(),
            },
        ),
        ("PGPORT".to_owned(), opts.get_port().to_string()),
        ("PGUSER".to_owned(), opts.get_username().to_owned()),
    ];
    if let Some(db) = opts.get_database() {
        env.push(("PGDATABASE".to_owned(), db.to_owned()));
    }
    if let Some(password) = url_password(url) {
        env.push(("PGPASSWORD".to_owned(), password));
    }
    let sslmode = match opts.get_ssl_mode() {
        PgSslMode::Disable => "disable",
        PgSslMode::Allow => "allow",
        PgSslMode::Prefer => "prefer",
        PgSslMode::Require => "require",
        PgSslMode::VerifyCa => "verify-ca",
        PgSslMode::VerifyFull => "verify-full",
    };
    env.push(("PGSSLMODE".to_owned(), sslmode.to_owned()));
    let options = opts.get_options().map(str::to_owned);
    let schema = options.as_deref().and_then(|o| {
        o.split_whitespace()
            .find_map(|w| w.strip_prefix("search_path="))
            .map(|s| s.split(',').next().unwrap_or(s).trim().to_owned())
    });
    if let Some(o) = options {
        env.push(("PGOPTIONS".to_owned(), o));
    }
    Ok(LibpqTarget { env, schema })
}

/// The password of a `scheme://user:password@host/…` URL, percent-decoded.
fn url_password(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let creds = authority.rsplit_once('@')?.0;
    let raw = creds.split_once(':')?.1;
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = raw.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_sees_what_the_url_says() -> Result<()> {
        let t = libpq_target(
            "postgres://zx:p%40ss@db.example:5433/main?options[search_path]=t_1&sslmode=require",
        )?;
        let get = |k: &str| t.env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("PGHOST"), Some("db.example"));
        assert_eq!(get("PGPORT"), Some("5433"));
        assert_eq!(get("PGUSER"), Some("zx"));
        assert_eq!(get("PGPASSWORD"), Some("p@ss"));
        assert_eq!(get("PGDATABASE"), Some("main"));
        assert_eq!(get("PGSSLMODE"), Some("require"));
        assert_eq!(get("PGOPTIONS"), Some("-c search_path=t_1"));
        assert_eq!(t.schema.as_deref(), Some("t_1"));
        let plain = libpq_target("postgres://zx@localhost/main")?;
        assert!(plain.schema.is_none());
        assert!(!plain.env.iter().any(|(k, _)| k == "PGPASSWORD"));
        Ok(())
    }
}
