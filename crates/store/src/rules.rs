//! The rule book as stored: the versions from `rules/*.toml` and those added through the API.

use sqlx::FromRow;
use zhixing_domain::rules::{RuleBook, RuleVersion};

use crate::{Backend, Result, Store, StoreError, Tx, on_pool, on_tx};

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

/// A proposed change to the rule book (a rule version, or a year's official calendar) and
/// what became of it.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ProposalRow {
    pub id: i64,
    /// `rule_version` or `calendar`.
    pub kind: String,
    /// The rule's id, or the calendar's year.
    pub subject: String,
    /// The rule version as JSON, or the calendar year's text.
    pub body: String,
    pub court_id: String,
    pub proposed_by: String,
    pub proposed_at: i64,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub note: String,
}

const PROPOSAL_COLS: &str = "id, kind, subject, body, court_id, proposed_by, proposed_at, status, decided_by, decided_at, note";

/// A new proposal.
pub struct NewProposal<'a> {
    pub kind: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub court_id: &'a str,
    pub proposed_by: &'a str,
    pub at_us: i64,
}

impl Tx {
    pub async fn insert_rule_proposal(&mut self, p: &NewProposal<'_>) -> Result<i64> {
        let (id,): (i64,) = on_tx!(self, c => sqlx::query_as(
            "INSERT INTO rule_proposals (kind, subject, body, court_id, proposed_by, proposed_at, status) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending') RETURNING id")
            .bind(p.kind).bind(p.subject).bind(p.body).bind(p.court_id).bind(p.proposed_by).bind(p.at_us)
            .fetch_one(c).await)?;
        Ok(id)
    }

    /// The proposal, locked until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite's
    /// write transaction holds the database already).
    pub async fn rule_proposal_for_update(&mut self, id: i64) -> Result<Option<ProposalRow>> {
        let sql = match self.backend() {
            Backend::Sqlite => format!("SELECT {PROPOSAL_COLS} FROM rule_proposals WHERE id = $1"),
            Backend::Postgres => {
                format!("SELECT {PROPOSAL_COLS} FROM rule_proposals WHERE id = $1 FOR UPDATE")
            }
        };
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, ProposalRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(c).await)?,
        )
    }

    /// Records the decision on a pending proposal.
    pub async fn decide_rule_proposal(
        &mut self,
        id: i64,
        approved: bool,
        by: &str,
        at_us: i64,
        note: &str,
    ) -> Result<()> {
        let status = if approved { "approved" } else { "rejected" };
        on_tx!(self, c => sqlx::query(
            "UPDATE rule_proposals SET status = $1, decided_by = $2, decided_at = $3, note = $4 WHERE id = $5 AND status = 'pending'")
            .bind(status).bind(by).bind(at_us).bind(note).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Stores an approved year's official calendar; Conflict if that year is stored already.
    pub async fn put_calendar_year(
        &mut self,
        year: i64,
        body: &str,
        proposal_id: i64,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO calendar_years (year, body, proposal_id) VALUES ($1, $2, $3)")
            .bind(year).bind(body).bind(proposal_id).execute(c).await.map(|r| r.rows_affected()))
        .map_err(|e| StoreError::conflict_on_unique(e, &format!("calendar of {year}")))?;
        Ok(())
    }
}

impl Store {
    /// Proposals, pending ones first, then the latest decided; `limit` rows at most.
    pub async fn rule_proposals(&self, limit: i64) -> Result<Vec<ProposalRow>> {
        let sql = format!(
            "SELECT {PROPOSAL_COLS} FROM rule_proposals \
             ORDER BY CASE WHEN status = 'pending' THEN 0 ELSE 1 END, id DESC LIMIT $1"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ProposalRow>(sqlx::AssertSqlSafe(sql.clone())).bind(limit).fetch_all(p).await)?,
        )
    }

    pub async fn rule_proposal(&self, id: i64) -> Result<Option<ProposalRow>> {
        let sql = format!("SELECT {PROPOSAL_COLS} FROM rule_proposals WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ProposalRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    /// The approved calendars stored, as (year, text).
    pub async fn calendar_years(&self) -> Result<Vec<(i64, String)>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT year, body FROM calendar_years ORDER BY year").fetch_all(p).await)?)
    }

    /// A number that changes whenever a year's calendar is stored, so caches know to reload.
    pub async fn calendar_generation(&self) -> Result<i64> {
        let (n,): (i64,) = on_pool!(self, p => sqlx::query_as(
            "SELECT COUNT(*) FROM calendar_years").fetch_one(p).await)?;
        Ok(n)
    }
}
