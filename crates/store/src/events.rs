//! The event log (事件) and its audit chain. Every state change appends events here inside the
//! transaction that makes the change; reads of sensitive fields append `read.*` events too.

use futures_util::TryStreamExt;
use sqlx::FromRow;
use zhixing_domain::audit::{self, ChainBreak, ChainEntry, Verifier, canonical_json};

use crate::{Backend, Result, Store, StoreError, Tx, on_pool, on_tx};

/// An event to append.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// `user:<id>`, `system`, or `cli:<name>`.
    pub actor: String,
    pub court_id: Option<String>,
    /// Dotted kind, e.g. `user.created`, `rule.version_added`, `read.id_number`.
    pub kind: String,
    /// What the event is about, e.g. `court:b110105`, `user:7`.
    pub subject: String,
    pub payload: serde_json::Value,
}

/// What a walk of the chain found: its verdict, and the figures of the entries within a
/// reach.
#[derive(Debug, Clone)]
pub struct ChainCheck {
    pub verdict: std::result::Result<i64, ChainBreak>,
    /// Whether the first bad entry is one of the reach's (always, for the whole chain).
    pub break_within: bool,
    pub entries_within: i64,
    /// The last good entry of the reach: its number and hash.
    pub last_within: Option<(i64, String)>,
}

/// A stored event.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct EventRecord {
    pub seq: i64,
    pub at_us: i64,
    pub actor: String,
    pub court_id: Option<String>,
    pub kind: String,
    pub subject: String,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<EventRecord> for ChainEntry {
    fn from(e: EventRecord) -> ChainEntry {
        ChainEntry {
            seq: e.seq,
            at_us: e.at_us,
            actor: e.actor,
            court: e.court_id,
            kind: e.kind,
            subject: e.subject,
            payload: e.payload,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

#[derive(FromRow)]
struct Head {
    seq: i64,
    hash: String,
}

const COLS: &str = "seq, at_us, actor, court_id, kind, subject, payload, prev_hash, hash";

impl Tx {
    /// Appends events to the chain at time `at_us`; returns their sequence numbers.
    pub async fn append_events(&mut self, at_us: i64, events: &[NewEvent]) -> Result<Vec<i64>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        // The head row is the chain's lock: PostgreSQL takes it FOR UPDATE (concurrent
        // writers queue here); SQLite's BEGIN IMMEDIATE already holds the database lock.
        let head_sql = match self.backend() {
            Backend::Sqlite => "SELECT seq, hash FROM audit_head WHERE id = 1",
            Backend::Postgres => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
        };
        let head: Head = on_tx!(self, c => sqlx::query_as(head_sql).fetch_one(c).await)?;
        let mut seq = head.seq;
        let mut prev = head.hash;
        let mut seqs = Vec::with_capacity(events.len());
        for e in events {
            seq += 1;
            let payload = canonical_json(&e.payload);
            let hash = audit::entry_hash(
                &prev,
                audit::Fields {
                    seq,
                    at_us,
                    actor: &e.actor,
                    court: e.court_id.as_deref(),
                    kind: &e.kind,
                    subject: &e.subject,
                    payload: &payload,
                },
            );
            let sql = "INSERT INTO events (seq, at_us, actor, court_id, kind, subject, payload, prev_hash, hash) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
            on_tx!(self, c => sqlx::query(sql)
                .bind(seq)
                .bind(at_us)
                .bind(&e.actor)
                .bind(&e.court_id)
                .bind(&e.kind)
                .bind(&e.subject)
                .bind(&payload)
                .bind(&prev)
                .bind(&hash)
                .execute(c).await.map(|r| r.rows_affected()))?;
            seqs.push(seq);
            prev = hash;
        }
        on_tx!(self, c => sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(&prev)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(seqs)
    }
}

/// A filter for listing events.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub after_seq: i64,
    pub limit: i64,
    pub subject: Option<String>,
    /// Only events of courts whose path starts with this (the caller's reach).
    pub court_path_prefix: Option<String>,
    /// The last `limit` events rather than the first (still returned newest first).
    pub newest_first: bool,
    /// Only events before this sequence number (the next page, newest first).
    pub before_seq: Option<i64>,
    /// Only events whose kind starts with this (`case.`, `funds.payout`).
    pub kind_prefix: Option<String>,
    /// Only events at or after this moment, and before that one (µs).
    pub from_us: Option<i64>,
    pub until_us: Option<i64>,
}

impl Store {
    /// Events in order, filtered.
    pub async fn list_events(&self, f: &EventFilter) -> Result<Vec<EventRecord>> {
        let sql = format!(
            "SELECT {cols} FROM events e WHERE e.seq > $1 \
               AND (CAST($2 AS TEXT) IS NULL OR e.subject = CAST($2 AS TEXT)) \
               AND (CAST($3 AS TEXT) IS NULL OR e.court_id IN \
                    (SELECT id FROM courts WHERE substr(path, 1, length(CAST($3 AS TEXT))) = CAST($3 AS TEXT))) \
               AND (CAST($5 AS BIGINT) IS NULL OR e.seq < CAST($5 AS BIGINT)) \
               AND (CAST($6 AS TEXT) IS NULL OR substr(e.kind, 1, length(CAST($6 AS TEXT))) = CAST($6 AS TEXT)) \
               AND (CAST($7 AS BIGINT) IS NULL OR e.at_us >= CAST($7 AS BIGINT)) \
               AND (CAST($8 AS BIGINT) IS NULL OR e.at_us < CAST($8 AS BIGINT)) \
             ORDER BY e.seq {order} LIMIT $4",
            order = if f.newest_first { "DESC" } else { "ASC" },
            cols = COLS
                .split(", ")
                .map(|c| format!("e.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let limit = if f.limit <= 0 {
            1000
        } else {
            f.limit.min(1000)
        };
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, EventRecord>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(f.after_seq)
            .bind(&f.subject)
            .bind(&f.court_path_prefix)
            .bind(limit)
            .bind(f.before_seq)
            .bind(&f.kind_prefix)
            .bind(f.from_us)
            .bind(f.until_us)
            .fetch_all(p)
            .await)?,
        )
    }

    /// Walks the whole chain in order and checks every link and the head. Streams, so the
    /// chain's length does not bound memory.
    pub async fn verify_chain(&self) -> Result<Result<i64, ChainBreak>> {
        Ok(self.verify_chain_within(None).await?.verdict)
    }

    /// [`Store::verify_chain`], with the figures of the entries of `courts` (all when `None`):
    /// the one chain is walked whole — every entry's link runs through the entries before it,
    /// whichever court wrote them — but what is told of it can be kept to a court's reach.
    pub async fn verify_chain_within(
        &self,
        courts: Option<&std::collections::HashSet<String>>,
    ) -> Result<ChainCheck> {
        let within = |c: Option<&str>| courts.is_none_or(|set| c.is_some_and(|c| set.contains(c)));
        let head: Option<Head> = on_pool!(self, p => sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(p)
            .await)?;
        let mut verifier = Verifier::default();
        let mut check = ChainCheck {
            verdict: Ok(0),
            break_within: false,
            entries_within: 0,
            last_within: None,
        };
        let sql = format!("SELECT {COLS} FROM events ORDER BY seq");
        let outcome: Result<Option<ChainBreak>> = on_pool!(self, p => {
            let mut rows = sqlx::query_as::<_, EventRecord>(sqlx::AssertSqlSafe(sql.clone())).fetch(p);
            let mut broken = None;
            while let Some(row) = rows.try_next().await? {
                let mine = within(row.court_id.as_deref());
                let (seq, hash) = (row.seq, row.hash.clone());
                if let Err(b) = verifier.check(&row.into()) {
                    check.break_within = mine;
                    broken = Some(b);
                    break;
                }
                if mine {
                    check.entries_within += 1;
                    check.last_within = Some((seq, hash));
                }
            }
            Ok(broken)
        });
        if let Some(b) = outcome? {
            check.verdict = Err(b);
            return Ok(check);
        }
        let head = head.ok_or_else(|| StoreError::Corrupt("audit_head row missing".into()))?;
        check.verdict = verifier.finish(Some((head.seq, head.hash.as_str())));
        // A chain cut short or a head moved is a fault of the whole; only the national view
        // (no court set) is told where.
        check.break_within = check.verdict.is_err() && courts.is_none();
        Ok(check)
    }

    /// The number of events of the courts under `path_prefix` and the hash of the last, read
    /// without walking the chain (for a home page; verification walks it).
    pub async fn chain_figures_under(&self, path_prefix: &str) -> Result<(i64, Option<String>)> {
        let row: (i64, Option<String>) = on_pool!(self, p => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM events e WHERE e.court_id IN (SELECT id FROM courts WHERE substr(path, 1, length(CAST($1 AS TEXT))) = CAST($1 AS TEXT))), \
                    (SELECT hash FROM events e WHERE e.court_id IN (SELECT id FROM courts WHERE substr(path, 1, length(CAST($1 AS TEXT))) = CAST($1 AS TEXT)) ORDER BY seq DESC LIMIT 1)",
        )
        .bind(path_prefix)
        .fetch_one(p)
        .await)?;
        Ok(row)
    }

    /// The number of events and the head hash.
    pub async fn chain_head(&self) -> Result<(i64, String)> {
        let head: Head = on_pool!(self, p => sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(p).await)?;
        Ok((head.seq, head.hash))
    }
}
