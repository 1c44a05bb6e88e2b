//! Reads for the command-centre dashboard (指挥中心): the open alerts of a subtree counted by
//! kind, and the head of the event log that the live view polls.

use crate::{Result, Store, on_pool};

impl Store {
    /// Open alerts of the courts whose path starts with `path_prefix`, counted per kind
    /// (kind order). The alerts table keeps one open row per kind and subject, so the count
    /// is what is waiting to be dealt with now.
    pub async fn open_alert_counts(&self, path_prefix: &str) -> Result<Vec<(String, i64)>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, (String, i64)>(
            "SELECT a.kind, COUNT(*) FROM alerts a JOIN courts c ON c.id = a.court_id \
             WHERE a.cleared_at IS NULL AND substr(c.path, 1, length($1)) = $1 \
             GROUP BY a.kind ORDER BY a.kind")
            .bind(path_prefix).fetch_all(p).await)?)
    }

    /// The sequence number of the newest event (0 on an empty log). Every write of the
    /// platform appends events in its own transaction, so a reader that sees this number
    /// move knows something changed — whichever process wrote it.
    pub async fn last_event_seq(&self) -> Result<i64> {
        let (n,): (i64,) = on_pool!(self, p => sqlx::query_as(
            "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM events")
            .fetch_one(p).await)?;
        Ok(n)
    }
}
