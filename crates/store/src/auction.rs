//! Online judicial auctions (网络司法拍卖): the summary row, the auction's own event log and
//! bidders' credentials. The log is the record; the row is what lists and the worker read.

use sqlx::FromRow;

use crate::{Backend, Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow)]
pub struct AuctionRow {
    pub id: i64,
    pub case_id: i64,
    pub asset_id: i64,
    pub court_id: String,
    pub round: String,
    pub prior_id: Option<i64>,
    pub title: String,
    pub status: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub start_price: i64,
    pub current_price: Option<i64>,
    pub bid_count: i64,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLS: &str = "id, case_id, asset_id, court_id, round, prior_id, title, status, starts_at, ends_at, start_price, \
    current_price, bid_count, version, created_at, updated_at";

/// One entry of an auction's log.
#[derive(Debug, Clone, FromRow)]
pub struct LogRow {
    pub seq: i64,
    pub kind: String,
    /// The domain's `AuctionEvent` as JSON.
    pub event: String,
    pub at_us: i64,
}

pub struct NewAuction<'a> {
    pub case_id: i64,
    pub asset_id: i64,
    pub court_id: &'a str,
    pub round: &'a str,
    pub prior_id: Option<i64>,
    pub title: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub start_price: i64,
    pub at_us: i64,
}

/// The summary after a change.
pub struct Summary<'a> {
    pub status: &'a str,
    pub ends_at: i64,
    pub current_price: Option<i64>,
    pub bid_count: i64,
}

impl Tx {
    /// Inserts the row of a new auction (version 0: its log is still empty). Fails on the
    /// unique index when the property is already on sale.
    pub async fn insert_auction(&mut self, a: &NewAuction<'_>) -> Result<i64> {
        let sql = "INSERT INTO auctions (case_id, asset_id, court_id, round, prior_id, title, status, starts_at, ends_at, \
                   start_price, current_price, bid_count, version, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, NULL, 0, 0, $10, $10) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql).bind(a.case_id).bind(a.asset_id).bind(a.court_id)
            .bind(a.round).bind(a.prior_id).bind(a.title).bind(a.starts_at).bind(a.ends_at).bind(a.start_price).bind(a.at_us)
            .fetch_one(c).await)
        .map_err(|e| crate::StoreError::conflict_on_unique(e, "a sale of this property in progress"))?;
        Ok(id.0)
    }

    /// The row, locked for the rest of the transaction (PostgreSQL: `FOR UPDATE`; SQLite's
    /// single writer already serialises writes).
    pub async fn lock_auction(&mut self, id: i64) -> Result<Option<AuctionRow>> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let sql = format!("SELECT {COLS} FROM auctions WHERE id = $1{lock}");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, AuctionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(c).await)?,
        )
    }

    /// The log from `after` on (to bring a cached state up to date).
    pub async fn auction_log_after(&mut self, id: i64, after: i64) -> Result<Vec<LogRow>> {
        Ok(on_tx!(self, c => sqlx::query_as::<_, LogRow>(
            "SELECT seq, kind, event, at_us FROM auction_log WHERE auction_id = $1 AND seq > $2 ORDER BY seq")
            .bind(id).bind(after).fetch_all(c).await)?)
    }

    /// Appends entries to the log after `version` and moves the row to the new version. The
    /// row must be locked by this transaction; `false` if another writer moved it meanwhile.
    pub async fn append_auction(
        &mut self,
        id: i64,
        version: i64,
        entries: &[(String, String)],
        summary: &Summary<'_>,
        at_us: i64,
    ) -> Result<bool> {
        let mut seq = version;
        for (kind, event) in entries {
            seq += 1;
            on_tx!(self, c => sqlx::query("INSERT INTO auction_log (auction_id, seq, kind, event, at_us) VALUES ($1, $2, $3, $4, $5)")
                .bind(id).bind(seq).bind(kind).bind(event).bind(at_us).execute(c).await.map(|r| r.rows_affected()))?;
        }
        let n = on_tx!(self, c => sqlx::query(
            "UPDATE auctions SET version = $1, status = $2, ends_at = $3, current_price = $4, bid_count = $5, updated_at = $6 \
             WHERE id = $7 AND version = $8")
            .bind(seq).bind(summary.status).bind(summary.ends_at).bind(summary.current_price).bind(summary.bid_count)
            .bind(at_us).bind(id).bind(version).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    pub async fn set_auction_times(&mut self, id: i64, starts_at: i64, ends_at: i64) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE auctions SET starts_at = $1, ends_at = $2 WHERE id = $3")
            .bind(starts_at).bind(ends_at).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// A registration's token: for an accepted one with the name and blind index it was
    /// made under, for a refused one with the refusal's code.
    pub async fn insert_bidder_token(&mut self, t: &BidderToken<'_>) -> Result<()> {
        on_tx!(self, c => sqlx::query("INSERT INTO auction_bidders (auction_id, bidder, token_hash, created_at, refused_code, identity_key, real_name) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(t.auction_id).bind(t.bidder).bind(t.token_hash).bind(t.at_us).bind(t.refused_code)
            .bind(t.identity_key).bind(t.real_name).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The names an identifier is known under: the parties of cases and the accepted
    /// registrations of auctions that carry its blind index.
    pub async fn names_of_identity(&mut self, identity_key: &str) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = on_tx!(self, c => sqlx::query_as(
            "SELECT name FROM parties WHERE id_index = $1 \
             UNION SELECT real_name FROM auction_bidders WHERE identity_key = $1 AND refused_code IS NULL AND real_name IS NOT NULL")
            .bind(identity_key).fetch_all(c).await)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}

impl Store {
    pub async fn auction(&self, id: i64) -> Result<Option<AuctionRow>> {
        let sql = format!("SELECT {COLS} FROM auctions WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AuctionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    /// The whole log of an auction, or its entries after `after`.
    pub async fn auction_log(&self, id: i64, after: i64) -> Result<Vec<LogRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, LogRow>(
            "SELECT seq, kind, event, at_us FROM auction_log WHERE auction_id = $1 AND seq > $2 ORDER BY seq")
            .bind(id).bind(after).fetch_all(p).await)?)
    }

    pub async fn auctions_of_case(&self, case_id: i64) -> Result<Vec<AuctionRow>> {
        let sql = format!("SELECT {COLS} FROM auctions WHERE case_id = $1 ORDER BY id");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AuctionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(p).await)?,
        )
    }

    /// The latest sale of a property (the prior of its next round).
    pub async fn last_auction_of_asset(&self, asset_id: i64) -> Result<Option<AuctionRow>> {
        let sql =
            format!("SELECT {COLS} FROM auctions WHERE asset_id = $1 ORDER BY id DESC LIMIT 1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AuctionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(asset_id).fetch_optional(p).await)?,
        )
    }

    /// Open auctions whose bidding ended by `now_us` (for the worker).
    pub async fn auctions_ended(&self, now_us: i64) -> Result<Vec<AuctionRow>> {
        let sql = format!(
            "SELECT {COLS} FROM auctions WHERE status = 'open' AND ends_at <= $1 ORDER BY ends_at, id"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AuctionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(now_us).fetch_all(p).await)?,
        )
    }

    /// Auctions for the public list: open ones first by start, then the latest closed.
    pub async fn public_auctions(&self, limit: i64) -> Result<Vec<AuctionRow>> {
        let sql = format!(
            "SELECT {COLS} FROM auctions ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, starts_at DESC, id DESC LIMIT $1"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AuctionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(limit).fetch_all(p).await)?,
        )
    }

    /// The blind indexes of a case's respondents (who may not bid for their own property).
    pub async fn respondent_indexes(&self, case_id: i64) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id_index FROM parties WHERE case_id = $1 AND role = 'respondent' ORDER BY no")
            .bind(case_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The bidder a token belongs to, in this auction.
    pub async fn bidder_of_token(
        &self,
        auction_id: i64,
        token_hash: &str,
    ) -> Result<Option<String>> {
        let row: Option<(String,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT bidder FROM auction_bidders WHERE auction_id = $1 AND token_hash = $2")
            .bind(auction_id).bind(token_hash).fetch_optional(p).await)?;
        Ok(row.map(|r| r.0))
    }

    /// The registration a token stands for: its bidder account and, when it was refused,
    /// the refusal's code.
    pub async fn registration_of_token(
        &self,
        auction_id: i64,
        token_hash: &str,
    ) -> Result<Option<(String, Option<String>)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT bidder, refused_code FROM auction_bidders WHERE auction_id = $1 AND token_hash = $2")
            .bind(auction_id).bind(token_hash).fetch_optional(p).await)?)
    }
}

/// A registration's row (see [`Tx::insert_bidder_token`]).
pub struct BidderToken<'a> {
    pub auction_id: i64,
    pub bidder: &'a str,
    pub token_hash: &'a str,
    pub at_us: i64,
    pub refused_code: Option<&'a str>,
    pub identity_key: Option<&'a str>,
    pub real_name: Option<&'a str>,
}

/// A file the court attached to an auction, without its bytes.
#[derive(Debug, Clone, FromRow)]
pub struct AuctionFile {
    pub no: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: i64,
}

/// A file to attach.
pub struct NewAuctionFile<'a> {
    pub auction_id: i64,
    pub no: i64,
    pub name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: i64,
    pub at_us: i64,
}

impl Tx {
    /// How many files an auction has, read in the transaction that adds the next ones (which
    /// holds the auction's lock, so that two uploads do not take the same numbers).
    pub async fn auction_file_count(&mut self, auction_id: i64) -> Result<i64> {
        Ok(
            on_tx!(self, c => sqlx::query_scalar("SELECT COUNT(*) FROM auction_files WHERE auction_id = $1")
            .bind(auction_id).fetch_one(c).await)?,
        )
    }

    pub async fn insert_auction_file(&mut self, f: &NewAuctionFile<'_>) -> Result<()> {
        let size = i64::try_from(f.content.len()).unwrap_or(i64::MAX);
        on_tx!(self, c => sqlx::query(
            "INSERT INTO auction_files (auction_id, no, name, content_type, size, sha256, content, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(f.auction_id).bind(f.no).bind(f.name).bind(f.content_type).bind(size).bind(f.sha256)
            .bind(f.content).bind(f.uploaded_by).bind(f.at_us)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Store {
    /// The files of an auction, in the order they were attached.
    pub async fn auction_files(&self, auction_id: i64) -> Result<Vec<AuctionFile>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, AuctionFile>(
            "SELECT no, name, content_type, size, sha256, uploaded_at FROM auction_files WHERE auction_id = $1 ORDER BY no")
            .bind(auction_id).fetch_all(p).await)?)
    }

    /// One file of an auction with its bytes.
    pub async fn auction_file(
        &self,
        auction_id: i64,
        no: i64,
    ) -> Result<Option<(AuctionFile, Vec<u8>)>> {
        let meta: Option<AuctionFile> = on_pool!(self, p => sqlx::query_as::<_, AuctionFile>(
            "SELECT no, name, content_type, size, sha256, uploaded_at FROM auction_files WHERE auction_id = $1 AND no = $2")
            .bind(auction_id).bind(no).fetch_optional(p).await)?;
        let Some(meta) = meta else { return Ok(None) };
        let bytes: (Vec<u8>,) = on_pool!(self, p => sqlx::query_as(
            "SELECT content FROM auction_files WHERE auction_id = $1 AND no = $2")
            .bind(auction_id).bind(no).fetch_one(p).await)?;
        Ok(Some((meta, bytes.0)))
    }
}
