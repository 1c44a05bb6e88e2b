//! Support for `zhixing bench`: a table of the same shape as `events`, without the chain,
//! so that appending through the chain can be compared with plain inserts.

use zhixing_domain::audit::canonical_json;

use crate::{Result, Store, Tx, events::NewEvent, on_pool, on_tx};

impl Store {
    pub async fn bench_prepare_raw(&self) -> Result<()> {
        self.bench_drop_raw().await?;
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query(
            "CREATE TABLE bench_raw_events (seq BIGINT PRIMARY KEY, at_us BIGINT NOT NULL, actor TEXT NOT NULL, \
             court_id TEXT, kind TEXT NOT NULL, subject TEXT NOT NULL, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)")
            .execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await
    }

    pub async fn bench_drop_raw(&self) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query("DROP TABLE IF EXISTS bench_raw_events").execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await?;
        let _ = on_pool!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|r| r.rows_affected()));
        Ok(())
    }
}

impl Tx {
    /// The same rows as [`Tx::append_events`] writes, with a placeholder hash and no head.
    pub async fn bench_raw_insert(&mut self, at_us: i64, events: &[NewEvent]) -> Result<()> {
        let next: (i64,) = on_tx!(self, c => sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM bench_raw_events").fetch_one(c).await)?;
        let mut seq = next.0;
        for e in events {
            seq += 1;
            let payload = canonical_json(&e.payload);
            on_tx!(self, c => sqlx::query(
                "INSERT INTO bench_raw_events (seq, at_us, actor, court_id, kind, subject, payload, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(seq).bind(at_us).bind(&e.actor).bind(&e.court_id).bind(&e.kind).bind(&e.subject)
                .bind(&payload).bind("-").bind("-")
                .execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }
}
