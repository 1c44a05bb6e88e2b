//! Staff lists of a court's dishonest listings and judicial auctions (失信名单, 司法拍卖):
//! newest first, a page at a time by id (keyset: no OFFSET), for one court or the courts under
//! a path, each row naming its case for the link.

use sqlx::FromRow;

use crate::{Result, Store, on_pool};

/// A dishonest listing as the staff list shows it: the identifier as the case records it
/// (the list masks it).
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ListingItem {
    pub id: i64,
    pub case_id: i64,
    pub court_id: String,
    pub no: i64,
    pub name: String,
    pub party_kind: String,
    pub identifier: String,
    pub case_number: String,
    pub total_due_fen: i64,
    /// JSON array of ground numbers (1–6).
    pub grounds: String,
    pub listed_on: String,
    pub ends_on: Option<String>,
    pub status: String,
    pub removed_on: Option<String>,
}

/// Which listings a list shows.
pub struct ListingQuery<'a> {
    /// The court itself…
    pub court_id: &'a str,
    /// …or, if given, every court whose path starts with this one.
    pub subtree: Option<&'a str>,
    /// `listed` or `removed`; none for both.
    pub status: Option<&'a str>,
    /// Part of the respondent's name.
    pub name: Option<&'a str>,
    /// Only listings with a smaller id (the cursor).
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// An auction as the staff list shows it, with its case's number.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct AuctionItem {
    pub id: i64,
    pub case_id: i64,
    pub case_number: String,
    pub court_id: String,
    pub round: String,
    pub title: String,
    pub status: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub start_price: i64,
    pub current_price: Option<i64>,
    pub bid_count: i64,
}

/// Which auctions a list shows.
pub struct AuctionQuery<'a> {
    pub court_id: &'a str,
    pub subtree: Option<&'a str>,
    /// One status (`open`, `sold`, `failed`, `paid`, `defaulted`); none for all.
    pub status: Option<&'a str>,
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// The court condition on `col` and its first parameter: one court, or the courts under a
/// path. Court ids are lowercase letters and digits: the path holds no LIKE wildcard.
fn scope(col: &str, court_id: &str, subtree: Option<&str>) -> (String, String) {
    match subtree {
        None => (format!("{col} = $1"), court_id.to_owned()),
        Some(path) => (
            format!("{col} IN (SELECT id FROM courts WHERE path LIKE $1)"),
            format!("{path}%"),
        ),
    }
}

/// A LIKE pattern matching any name that contains `part` literally.
fn contains(part: &str) -> String {
    let escaped = part
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

impl Store {
    /// Dishonest listings, newest first.
    pub async fn listing_page(&self, q: &ListingQuery<'_>) -> Result<Vec<ListingItem>> {
        let (court, first) = scope("l.court_id", q.court_id, q.subtree);
        let sql = format!(
            "SELECT l.id, l.case_id, l.court_id, l.no, l.name, l.party_kind, pa.id_shown AS identifier, l.case_number, \
             l.total_due_fen, l.grounds, l.listed_on, l.ends_on, l.status, l.removed_on \
             FROM credit_listings l JOIN parties pa ON pa.case_id = l.case_id AND pa.no = l.party_no \
             WHERE {court} AND ($2 = '' OR l.status = $2) AND l.name LIKE $3 ESCAPE '\\' AND l.id < $4 \
             ORDER BY l.id DESC LIMIT $5"
        );
        let name = q.name.map_or_else(|| "%".to_owned(), contains);
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ListingItem>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(&first).bind(q.status.unwrap_or("")).bind(&name)
            .bind(q.before_id.unwrap_or(i64::MAX)).bind(q.limit)
            .fetch_all(p).await)?,
        )
    }

    /// Judicial auctions, newest first.
    pub async fn auction_page(&self, q: &AuctionQuery<'_>) -> Result<Vec<AuctionItem>> {
        let (court, first) = scope("a.court_id", q.court_id, q.subtree);
        let sql = format!(
            "SELECT a.id, a.case_id, k.number AS case_number, a.court_id, a.round, a.title, a.status, a.starts_at, \
             a.ends_at, a.start_price, a.current_price, a.bid_count \
             FROM auctions a JOIN cases k ON k.id = a.case_id \
             WHERE {court} AND ($2 = '' OR a.status = $2) AND a.id < $3 ORDER BY a.id DESC LIMIT $4"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AuctionItem>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(&first).bind(q.status.unwrap_or(""))
            .bind(q.before_id.unwrap_or(i64::MAX)).bind(q.limit)
            .fetch_all(p).await)?,
        )
    }
}
