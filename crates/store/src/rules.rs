//! The rule book as stored: the versions from `rules/*.toml` and those added through the API.

use sqlx::FromRow;
use zhixing_domain::rules::{RuleBook, RuleVersion};

use crate::{Result, Store, StoreError, Tx, on_pool, on_tx};

#[derive(FromRow)]
struct Row {
    body: String,
}

/// Where a stored version came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSource {
    File,
    Api,
}

impl Tx {
    /// Stores a version; returns false if that (rule, region, effective-from) already exists
    /// with the same content, and Conflict if it exists with different content from the API.
    pub async fn put_rule_version(&mut self, v: &RuleVersion, source: RuleSource) -> Result<bool> {
        let body = serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let region = v.region.clone().unwrap_or_default();
        let from = v.effective_from.to_string();
        let existing: Option<(String, String)> = on_tx!(self, c => sqlx::query_as(
            "SELECT body, source FROM rule_versions WHERE rule_id = $1 AND region = $2 AND effective_from = $3")
            .bind(&v.id).bind(&region).bind(&from).fetch_optional(c).await)?;
        match existing {
            Some((old, _)) if old == body => Ok(false),
            Some((_, src)) if source == RuleSource::File && src == "file" => {
                // A corrected file (a citation fixed, say) replaces what the file said before.
                on_tx!(self, c => sqlx::query("UPDATE rule_versions SET body = $1 WHERE rule_id = $2 AND region = $3 AND effective_from = $4")
                    .bind(&body).bind(&v.id).bind(&region).bind(&from).execute(c).await.map(|r| r.rows_affected()))?;
                Ok(true)
            }
            Some(_) => Err(StoreError::Conflict(format!(
                "rule {} version from {from}",
                v.id
            ))),
            None => {
                let src = match source {
                    RuleSource::File => "file",
                    RuleSource::Api => "api",
                };
                on_tx!(self, c => sqlx::query(
                    "INSERT INTO rule_versions (rule_id, region, effective_from, body, source) VALUES ($1, $2, $3, $4, $5)")
                    .bind(&v.id).bind(&region).bind(&from).bind(&body).bind(src).execute(c).await.map(|r| r.rows_affected()))
                .map_err(|e| StoreError::conflict_on_unique(e, &format!("rule {} version from {from}", v.id)))?;
                Ok(true)
            }
        }
    }
}

impl Store {
    /// The whole rule book as stored.
    pub async fn rule_book(&self) -> Result<RuleBook> {
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as("SELECT body FROM rule_versions ORDER BY seq").fetch_all(p).await)?;
        let mut book = RuleBook::default();
        for r in rows {
            let v: RuleVersion = serde_json::from_str(&r.body)
                .map_err(|e| StoreError::Corrupt(format!("rule version: {e}")))?;
            book.load_version(v)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        }
        Ok(book)
    }

    /// A number that changes whenever a version is added or changed, so caches know to reload.
    pub async fn rule_book_generation(&self) -> Result<(i64, i64)> {
        let g: (i64, i64) = on_pool!(self, p => sqlx::query_as(
            "SELECT COALESCE(MAX(seq), 0), COUNT(*) FROM rule_versions").fetch_one(p).await)?;
        Ok(g)
    }
}
