//! Backups that restore. A backup is a directory: the database as one consistent copy
//! (SQLite: `zhixing.db` by `VACUUM INTO`; PostgreSQL: `database.pgdump` by `pg_dump` reading
//! an exported snapshot), the recordings that copy vouches for (`recordings/`), and
//! `manifest.json`, written last, which records when, the schema version, the row counts, the
//! audit chain's head, the data key's fingerprint (never the key) and the size and SHA-256 of
//! every file. A restore checks every checksum and the key configured for the restored server
//! before it writes anything, and afterwards checks the restored database against the
//! manifest: its counts, its chain (verified), its key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zhixing_store::backup::{RecordingFile, SnapshotFacts, known_schema_version, libpq_target};
use zhixing_store::crypto::FieldCipher;
use zhixing_store::{Backend, Store, StoreError};

pub const FORMAT: &str = "zhixing-backup/1";
pub const MANIFEST: &str = "manifest.json";
const SQLITE_FILE: &str = "zhixing.db";
const PG_DUMP_FILE: &str = "database.pgdump";
const RECORDINGS: &str = "recordings";

/// What a backup holds, written beside it as `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub created_at: Timestamp,
    pub zhixing_version: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// On PostgreSQL, the schema the dump holds (none: the database's default schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres_schema: Option<String>,
    /// The newest migration applied to the copied database.
    pub schema_version: i64,
    /// The fingerprint of the data key the ID numbers are encrypted with: a restored server
    /// needs that key (kept apart from the backup) to read them.
    pub data_key_fingerprint: String,
    pub audit_chain: ChainHead,
    /// Rows per table in the copy.
    pub counts: BTreeMap<String, i64>,
    /// The file of `files` holding the database; none when no dump could be taken here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChainHead {
    pub entries: i64,
    pub head: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the backup directory, `/`-separated.
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// A backup or restore that could not be done, in words for the operator.
#[derive(Debug)]
pub struct BackupError(pub String);

impl std::fmt::Display for BackupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BackupError {}

impl From<StoreError> for BackupError {
    fn from(e: StoreError) -> Self {
        BackupError(e.to_string())
    }
}

fn fail<T>(msg: impl Into<String>) -> Result<T, BackupError> {
    Err(BackupError(msg.into()))
}

fn io_at(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |e| BackupError(format!("{}: {e}", path.display()))
}

/// The database being backed up and what lives beside it.
pub struct Source<'a> {
    pub store: &'a Store,
    pub url: &'a str,
    pub recordings_dir: &'a Path,
    /// The data key configured for this database, if one is: checked against the database.
    pub cipher: Option<&'a FieldCipher>,
}

/// What a backup did, and what the operator must still do.
pub struct BackupReport {
    pub manifest: Manifest,
    pub notes: Vec<String>,
}

/// Backs `src` up into `to` (a new or empty directory) while the server goes on writing.
pub async fn backup(
    src: &Source<'_>,
    to: &Path,
    now: Timestamp,
) -> Result<BackupReport, BackupError> {
    prepare_empty_dir(to).await?;
    let mut notes = Vec::new();
    let backend = src.store.backend();
    let (facts, database, postgres_schema) = match backend {
        Backend::Sqlite => {
            let copy = to.join(SQLITE_FILE);
            src.store.sqlite_copy_into(&copy).await?;
            let snapshot = Store::open_sqlite_copy(&copy).await?;
            let facts = {
                let mut tx = snapshot.begin().await?;
                tx.snapshot_facts().await?
            };
            snapshot.close().await;
            (facts, Some(SQLITE_FILE.to_owned()), None)
        }
        Backend::Postgres => {
            let target = libpq_target(src.url)?;
            // The facts and the dump come from one snapshot, held open until pg_dump is done.
            let (mut tx, snapshot) = src.store.begin_snapshot().await?;
            let facts = tx.snapshot_facts().await?;
            let dumped = match (&snapshot, pg_tool_present("pg_dump").await) {
                (Some(id), true) => {
                    let mut cmd = tokio::process::Command::new("pg_dump");
                    cmd.args(["--format=custom", "--no-owner", "--no-privileges"])
                        .arg(format!("--snapshot={id}"))
                        .arg("--file")
                        .arg(to.join(PG_DUMP_FILE));
                    if let Some(s) = &target.schema {
                        cmd.arg(format!("--schema={s}"));
                    }
                    run_tool(cmd, &target.env, "pg_dump").await?;
                    true
                }
                _ => false,
            };
            drop(tx);
            if !dumped {
                notes.push(format!(
                    "pg_dump (PostgreSQL's client tools) was not found, so this backup holds no copy of the database: \
                     take one now with `pg_dump --format=custom --no-owner --file {}/{PG_DUMP_FILE} <database URL>`{}, \
                     or a physical copy with `pg_basebackup -D <dir> -Ft -z -X stream`; the manifest records the counts \
                     and the key's fingerprint to check it against",
                    to.display(),
                    target
                        .schema
                        .as_deref()
                        .map(|s| format!(" --schema={s}"))
                        .unwrap_or_default()
                ));
            }
            (
                facts,
                dumped.then(|| PG_DUMP_FILE.to_owned()),
                target.schema,
            )
        }
    };
    let fingerprint = key_of(&facts, src.cipher)?;
    let mut files = Vec::new();
    if let Some(db) = &database {
        files.push(file_entry(to, db).await?);
    }
    files.extend(
        copy_recordings(&facts.recordings, src.recordings_dir, &to.join(RECORDINGS)).await?,
    );
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        created_at: now,
        zhixing_version: env!("CARGO_PKG_VERSION").to_owned(),
        backend: backend.as_str().to_owned(),
        postgres_schema,
        schema_version: facts.schema_version,
        data_key_fingerprint: fingerprint,
        audit_chain: ChainHead {
            entries: facts.chain_entries,
            head: facts.chain_head,
        },
        counts: facts.counts,
        database,
        files,
    };
    // Last, and whole or not at all: a directory without a manifest is no backup.
    let text = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| BackupError(format!("writing the manifest: {e}")))?;
    write_durably(&to.join(MANIFEST), &text).await?;
    Ok(BackupReport { manifest, notes })
}

/// The fingerprint to record: the one the database keeps, which the configured key (if any)
/// must match — a backup taken with the wrong key at hand would be restored with it.
fn key_of(facts: &SnapshotFacts, cipher: Option<&FieldCipher>) -> Result<String, BackupError> {
    match (&facts.data_key_fingerprint, cipher) {
        (Some(stored), Some(c)) if stored != c.fingerprint() => fail(format!(
            "the data key configured here (fingerprint {}) is not the one this database was written with \
             (fingerprint {stored}): find that key before relying on this backup",
            c.fingerprint()
        )),
        (Some(stored), _) => Ok(stored.clone()),
        (None, Some(c)) => Ok(c.fingerprint().to_owned()),
        (None, None) => fail(
            "the database records no data key and none is configured: start the server once (or run `zhixing migrate`) first",
        ),
    }
}

async fn prepare_empty_dir(dir: &Path) -> Result<(), BackupError> {
    tokio::fs::create_dir_all(dir).await.map_err(io_at(dir))?;
    let mut entries = tokio::fs::read_dir(dir).await.map_err(io_at(dir))?;
    if entries.next_entry().await.map_err(io_at(dir))?.is_some() {
        return fail(format!(
            "{} is not empty: a backup goes into a new directory",
            dir.display()
        ));
    }
    Ok(())
}

/// Whether a PostgreSQL client tool can be run here.
async fn pg_tool_present(name: &str) -> bool {
    tokio::process::Command::new(name)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .await
        .is_ok_and(|s| s.success())
}

async fn run_tool(
    mut cmd: tokio::process::Command,
    env: &[(String, String)],
    name: &str,
) -> Result<(), BackupError> {
    let out = cmd
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| BackupError(format!("cannot run {name}: {e}")))?;
    if !out.status.success() {
        return fail(format!(
            "{name} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(())
}

/// A recording's storage key as a file name, refusing anything that could leave the directory.
fn safe_name(key: &str) -> Result<&str, BackupError> {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(key)
    } else {
        fail(format!(
            "a recording's storage key {key:?} is not a plain file name"
        ))
    }
}

/// Copies the recordings the database vouches for, checking each against its row: a backup
/// never carries a file the database would not recognise. Files are immutable once their row
/// commits, and the row commits only once the file is in place, so every one is there.
async fn copy_recordings(
    rows: &[RecordingFile],
    from: &Path,
    to: &Path,
) -> Result<Vec<FileEntry>, BackupError> {
    let mut out = Vec::with_capacity(rows.len());
    if rows.is_empty() {
        return Ok(out);
    }
    tokio::fs::create_dir_all(to).await.map_err(io_at(to))?;
    for r in rows {
        let name = safe_name(&r.storage_key)?;
        let (src, dst) = (from.join(name), to.join(name));
        let (size, sha256) = copy_hashing(&src, &dst).await?;
        if sha256 != r.sha256 || i64::try_from(size).ok() != Some(r.size) {
            return fail(format!(
                "the recording file {} is not what the database recorded (size {size} vs {}, SHA-256 {sha256} vs {}): it was damaged after upload",
                src.display(),
                r.size,
                r.sha256
            ));
        }
        out.push(FileEntry {
            path: format!("{RECORDINGS}/{name}"),
            size,
            sha256,
        });
    }
    Ok(out)
}

/// Copies `from` to `to` (new), synced, returning its size and SHA-256.
async fn copy_hashing(from: &Path, to: &Path) -> Result<(u64, String), BackupError> {
    let mut src = tokio::fs::File::open(from).await.map_err(io_at(from))?;
    let mut dst = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)
        .await
        .map_err(io_at(to))?;
    let mut hash = Sha256::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = src.read(&mut buf).await.map_err(io_at(from))?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        size += n as u64;
        dst.write_all(&buf[..n]).await.map_err(io_at(to))?;
    }
    dst.sync_all().await.map_err(io_at(to))?;
    Ok((size, hex::encode(hash.finalize())))
}

async fn hash_file(path: &Path) -> Result<(u64, String), BackupError> {
    let mut f = tokio::fs::File::open(path).await.map_err(io_at(path))?;
    let mut hash = Sha256::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).await.map_err(io_at(path))?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, hex::encode(hash.finalize())))
}

async fn file_entry(dir: &Path, rel: &str) -> Result<FileEntry, BackupError> {
    let (size, sha256) = hash_file(&dir.join(rel)).await?;
    Ok(FileEntry {
        path: rel.to_owned(),
        size,
        sha256,
    })
}

/// Writes a new file and syncs it before it takes its name.
async fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    let tmp = path.with_extension("partial");
    let mut f = tokio::fs::File::create(&tmp).await.map_err(io_at(&tmp))?;
    f.write_all(bytes).await.map_err(io_at(&tmp))?;
    f.sync_all().await.map_err(io_at(&tmp))?;
    drop(f);
    tokio::fs::rename(&tmp, path).await.map_err(io_at(path))
}

/// Where a backup is restored to.
pub struct Target<'a> {
    /// `sqlite://PATH` (the file must not exist) or `postgres://…` (an empty database/schema).
    pub url: &'a str,
    pub recordings_dir: &'a Path,
    /// The data key configured for the restored server.
    pub cipher: Option<&'a FieldCipher>,
}

/// What a restore checked.
pub struct RestoreReport {
    pub manifest: Manifest,
    pub recordings: usize,
}

/// Reads and checks a backup's manifest and files: the format, every file's size and
/// SHA-256.
pub async fn check(from: &Path) -> Result<Manifest, BackupError> {
    let path = from.join(MANIFEST);
    let text = match tokio::fs::read(&path).await {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return fail(format!(
                "{} has no {MANIFEST}: it is not a finished backup",
                from.display()
            ));
        }
        Err(e) => return Err(io_at(&path)(e)),
    };
    let manifest: Manifest = serde_json::from_slice(&text)
        .map_err(|e| BackupError(format!("{} cannot be read: {e}", path.display())))?;
    if manifest.format != FORMAT {
        return fail(format!(
            "{} is a backup of format {:?}; this build restores {FORMAT:?}",
            from.display(),
            manifest.format
        ));
    }
    for f in &manifest.files {
        let rel = relative(&f.path)?;
        let (size, sha256) = hash_file(&from.join(&rel)).await?;
        if size != f.size || sha256 != f.sha256 {
            return fail(format!(
                "{} does not match the manifest (size {size}, SHA-256 {sha256}; the manifest says {} and {}): the backup is damaged",
                from.join(&rel).display(),
                f.size,
                f.sha256
            ));
        }
    }
    Ok(manifest)
}

/// A manifest's relative path, refusing one that leaves the backup directory.
fn relative(p: &str) -> Result<PathBuf, BackupError> {
    let path = PathBuf::from(p);
    if p.is_empty()
        || !path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return fail(format!(
            "the manifest names a file outside the backup: {p:?}"
        ));
    }
    Ok(path)
}

fn sqlite_path(url: &str) -> Option<PathBuf> {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .map(|p| PathBuf::from(p.split('?').next().unwrap_or(p)))
}

/// Restores the backup in `from` into `to`. Nothing is written unless every file matches its
/// checksum, the configured data key is the backup's, the target is empty and this build can
/// serve the backup's schema.
pub async fn restore(from: &Path, to: &Target<'_>) -> Result<RestoreReport, BackupError> {
    let manifest = check(from).await?;
    match to.cipher {
        None => {
            return fail(format!(
                "no data key is configured for the restored server: put the key this backup was written with \
                 (fingerprint {}) in its key file or ZHIXING_DATA_KEY, then restore",
                manifest.data_key_fingerprint
            ));
        }
        Some(c) if c.fingerprint() != manifest.data_key_fingerprint => {
            return fail(format!(
                "the data key configured for the restored server (fingerprint {}) is not the key this backup was written with \
                 (fingerprint {}): its ID numbers would be unreadable. Configure that key (its key file or ZHIXING_DATA_KEY), then restore",
                c.fingerprint(),
                manifest.data_key_fingerprint
            ));
        }
        Some(_) => {}
    }
    let backend = match sqlite_path(to.url) {
        Some(_) => Backend::Sqlite,
        None => Backend::Postgres,
    };
    if manifest.backend != backend.as_str() {
        return fail(format!(
            "this is a backup of a {} database; it restores to a {} one (a {} URL)",
            manifest.backend,
            manifest.backend,
            if manifest.backend == "sqlite" {
                "sqlite://PATH"
            } else {
                "postgres://…"
            }
        ));
    }
    let known = known_schema_version(backend);
    if manifest.schema_version > known {
        return fail(format!(
            "the backup's schema is at migration {}, newer than this build knows ({known}): restore it with the version that took it ({})",
            manifest.schema_version, manifest.zhixing_version
        ));
    }
    let Some(database) = &manifest.database else {
        return fail(
            "this backup holds no copy of the database (pg_dump was not found when it was taken): \
             restore the dump taken beside it with pg_restore, then start the server to check the key",
        );
    };
    let database = relative(database)?;
    // Recordings already at the target must be the same files (a re-run); anything else stays.
    let recordings: Vec<&FileEntry> = manifest
        .files
        .iter()
        .filter(|f| f.path.starts_with(&format!("{RECORDINGS}/")))
        .collect();
    let mut to_copy = Vec::new();
    for f in &recordings {
        let name = safe_name(f.path.trim_start_matches(&format!("{RECORDINGS}/")))?;
        let dst = to.recordings_dir.join(name);
        if tokio::fs::try_exists(&dst).await.map_err(io_at(&dst))? {
            let (size, sha256) = hash_file(&dst).await?;
            if size != f.size || sha256 != f.sha256 {
                return fail(format!(
                    "{} exists and is another file: restore into an empty recordings directory",
                    dst.display()
                ));
            }
        } else {
            to_copy.push((from.join(relative(&f.path)?), dst));
        }
    }

    match backend {
        Backend::Sqlite => {
            let path = sqlite_path(to.url).unwrap_or_default();
            for p in [
                path.clone(),
                PathBuf::from(format!("{}-wal", path.display())),
            ] {
                if tokio::fs::try_exists(&p).await.map_err(io_at(&p))? {
                    return fail(format!(
                        "{} exists: a restore goes to a new database file, never over one",
                        p.display()
                    ));
                }
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                tokio::fs::create_dir_all(dir).await.map_err(io_at(dir))?;
            }
            let tmp = PathBuf::from(format!("{}.restoring", path.display()));
            let _ = tokio::fs::remove_file(&tmp).await;
            copy_hashing(&from.join(&database), &tmp).await?;
            tokio::fs::rename(&tmp, &path).await.map_err(io_at(&path))?;
        }
        Backend::Postgres => {
            let target = libpq_target(to.url)?;
            if target.schema != manifest.postgres_schema {
                return fail(format!(
                    "the backup holds the schema {}; the target URL names {} (options[search_path]): restore to a URL naming the same schema",
                    manifest.postgres_schema.as_deref().unwrap_or("(default)"),
                    target.schema.as_deref().unwrap_or("(default)")
                ));
            }
            let store = Store::connect(to.url).await?;
            let empty = store.is_empty().await?;
            store.close().await;
            if !empty {
                return fail(
                    "the target database already holds tables: a restore goes into an empty database (or schema), never over one",
                );
            }
            if !pg_tool_present("pg_restore").await {
                return fail(format!(
                    "pg_restore (PostgreSQL's client tools) was not found: install them, or run \
                     `pg_restore --no-owner --no-privileges --exit-on-error --single-transaction -d <database URL> {}` \
                     and copy {} into the recordings directory",
                    from.join(&database).display(),
                    from.join(RECORDINGS).display()
                ));
            }
            let mut cmd = tokio::process::Command::new("pg_restore");
            cmd.args([
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
            ])
            .arg(from.join(&database));
            if let Some((_, db)) = target.env.iter().find(|(k, _)| k == "PGDATABASE") {
                cmd.arg(format!("--dbname={db}"));
            }
            run_tool(cmd, &target.env, "pg_restore").await?;
        }
    }
    if !to_copy.is_empty() {
        tokio::fs::create_dir_all(to.recordings_dir)
            .await
            .map_err(io_at(to.recordings_dir))?;
    }
    for (src, dst) in &to_copy {
        let tmp = dst.with_extension("restoring");
        let _ = tokio::fs::remove_file(&tmp).await;
        copy_hashing(src, &tmp).await?;
        tokio::fs::rename(&tmp, dst).await.map_err(io_at(dst))?;
    }
    verify_restored(to, &manifest).await?;
    Ok(RestoreReport {
        recordings: recordings.len(),
        manifest,
    })
}

/// The restored database is the one the manifest describes: the same counts, the same chain
/// head and an intact chain, the same data key.
async fn verify_restored(to: &Target<'_>, manifest: &Manifest) -> Result<(), BackupError> {
    let store = Store::connect(to.url).await?;
    let result = async {
        let facts = {
            let mut tx = store.begin().await?;
            tx.snapshot_facts().await?
        };
        if facts.counts != manifest.counts {
            let differ: Vec<String> = manifest
                .counts
                .iter()
                .filter(|(t, n)| facts.counts.get(*t) != Some(n))
                .map(|(t, n)| format!("{t}: {n} in the backup, {:?} restored", facts.counts.get(t)))
                .collect();
            return fail(format!(
                "the restored database does not hold what the backup recorded: {}",
                differ.join("; ")
            ));
        }
        let head = ChainHead {
            entries: facts.chain_entries,
            head: facts.chain_head,
        };
        if head != manifest.audit_chain {
            return fail(format!(
                "the restored audit chain ends at entry {} ({}), the backup's at {} ({})",
                head.entries, head.head, manifest.audit_chain.entries, manifest.audit_chain.head
            ));
        }
        if let Err(b) = store.verify_chain().await? {
            return fail(format!(
                "the restored audit chain is broken at entry {}: {}",
                b.seq, b.reason
            ));
        }
        if let Some(c) = to.cipher {
            store.check_data_key(c).await?;
        }
        Ok(())
    }
    .await;
    store.close().await;
    result
}
