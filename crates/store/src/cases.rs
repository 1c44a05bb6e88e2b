//! Cases, parties and documents as stored.

use sqlx::FromRow;
use zhixing_domain::indicators::CaseFacts;

use crate::{Backend, Result, Store, StoreError, Tx, on_pool, on_tx};

/// Stored as `next_due` when a case has no open deadline: it sorts last and keeps the column
/// NOT NULL, so that ordering by it can walk the index.
pub const NO_DEADLINE: &str = "9999-12-31";

/// A case row: filterable columns and the state snapshot (JSON of the domain's `CaseState`).
#[derive(Debug, Clone, FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub court_id: String,
    pub case_type: String,
    pub year: i64,
    pub seq: i64,
    pub number: String,
    pub status: String,
    pub closure_mode: Option<String>,
    pub officer_id: Option<i64>,
    pub filed_on: String,
    pub closed_on: Option<String>,
    /// [`NO_DEADLINE`] when no deadline is open.
    pub next_due: String,
    pub total_due: i64,
    pub paid: i64,
    pub basis_doc: String,
    pub resumed_from: Option<i64>,
    pub version: i64,
    pub state: String,
    pub created_at: i64,
    pub updated_at: i64,
}

pub(crate) const COLS: &str = "c.id, c.court_id, c.case_type, c.year, c.seq, c.number, c.status, c.closure_mode, c.officer_id, \
    c.filed_on, c.closed_on, c.next_due, c.total_due, c.paid, c.basis_doc, c.resumed_from, c.version, c.state, c.created_at, c.updated_at";

/// The columns of a new case.
pub struct NewCase<'a> {
    pub court_id: &'a str,
    pub case_type: &'a str,
    pub year: i64,
    pub seq: i64,
    pub number: &'a str,
    pub status: &'a str,
    pub filed_on: &'a str,
    pub next_due: Option<&'a str>,
    pub total_due: i64,
    pub basis_doc: &'a str,
    pub resumed_from: Option<i64>,
    pub state: &'a str,
    pub at_us: i64,
    /// The court's materialised path and what the case contributes to the indicators: the
    /// rollups move in the same transaction as the case.
    pub court_path: &'a str,
    pub facts: &'a CaseFacts,
}

/// The columns a change rewrites.
pub struct CaseUpdate<'a> {
    pub status: &'a str,
    pub closure_mode: Option<&'a str>,
    pub officer_id: Option<i64>,
    pub closed_on: Option<&'a str>,
    pub next_due: Option<&'a str>,
    pub paid: i64,
    pub state: &'a str,
    pub at_us: i64,
    /// As in [`NewCase`]: every rewrite of a case moves its indicator rollups.
    pub court_path: &'a str,
    pub facts: &'a CaseFacts,
}

pub struct NewParty<'a> {
    pub case_id: i64,
    pub court_id: &'a str,
    pub no: i64,
    pub role: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub id_cipher: &'a str,
    pub id_index: &'a str,
    pub id_shown: &'a str,
    pub legal_rep: Option<&'a str>,
    /// The sealed address, if one was given.
    pub address_cipher: Option<&'a str>,
}

/// A party's sealed identifier and address, for the documents that name the party in full.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartySecrets {
    pub no: i64,
    pub id_cipher: String,
    pub address_cipher: Option<String>,
}

/// A document to store.
pub struct NewDocument<'a> {
    pub case_id: i64,
    pub court_id: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    pub html: &'a str,
    pub sha256: &'a str,
    pub at_us: i64,
    pub by: &'a str,
}

#[derive(Debug, Clone, FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub case_id: i64,
    pub court_id: String,
    pub kind: String,
    pub title: String,
    pub html: String,
    pub sha256: String,
    pub created_at: i64,
    pub created_by: String,
}

impl Tx {
    /// The next sequence number for (court, type, year). The counter row is locked by the
    /// update until commit, and a rolled-back filing rolls its number back: no gaps, no twins.
    pub async fn next_case_seq(
        &mut self,
        court_id: &str,
        case_type: &str,
        year: i64,
    ) -> Result<i64> {
        let sql = "INSERT INTO case_counters (court_id, case_type, year, last) VALUES ($1, $2, $3, 1) \
                   ON CONFLICT (court_id, case_type, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last";
        let n: (i64,) = on_tx!(self, c => sqlx::query_as(sql).bind(court_id).bind(case_type).bind(year).fetch_one(c).await)?;
        Ok(n.0)
    }

    pub async fn insert_case(&mut self, n: &NewCase<'_>) -> Result<i64> {
        let sql = "INSERT INTO cases (court_id, case_type, year, seq, number, status, closure_mode, officer_id, filed_on, closed_on, \
                   next_due, total_due, paid, basis_doc, resumed_from, version, state, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, $7, NULL, $8, $9, 0, $10, $11, 1, $12, $13, $13) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(n.court_id).bind(n.case_type).bind(n.year).bind(n.seq).bind(n.number).bind(n.status).bind(n.filed_on)
            .bind(n.next_due.unwrap_or(NO_DEADLINE)).bind(n.total_due).bind(n.basis_doc).bind(n.resumed_from).bind(n.state).bind(n.at_us)
            .fetch_one(c).await)
        .map_err(|e| StoreError::conflict_on_unique(e, &format!("case number {}", n.number)))?;
        if let Some(from) = n.resumed_from {
            // A resumed 终本 case is enforced again under its new number: no more rechecks.
            self.unmark_zhongben_recheck(from).await?;
        }
        self.record_case_facts(id.0, n.court_path, n.facts).await?;
        Ok(id.0)
    }

    /// Rewrites a case if it is still at `expected_version`; false if someone else changed it.
    pub async fn update_case(
        &mut self,
        id: i64,
        expected_version: i64,
        u: &CaseUpdate<'_>,
    ) -> Result<bool> {
        let sql = "UPDATE cases SET status = $1, closure_mode = $2, officer_id = $3, closed_on = $4, next_due = $5, paid = $6, \
                   state = $7, updated_at = $8, version = version + 1 WHERE id = $9 AND version = $10";
        let n = on_tx!(self, c => sqlx::query(sql)
            .bind(u.status).bind(u.closure_mode).bind(u.officer_id).bind(u.closed_on).bind(u.next_due.unwrap_or(NO_DEADLINE)).bind(u.paid)
            .bind(u.state).bind(u.at_us).bind(id).bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n == 1 {
            self.record_case_facts(id, u.court_path, u.facts).await?;
        }
        Ok(n == 1)
    }

    pub async fn insert_party(&mut self, p: &NewParty<'_>) -> Result<()> {
        let sql = "INSERT INTO parties (case_id, court_id, no, role, kind, name, id_cipher, id_index, id_shown, legal_rep, address_cipher) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        on_tx!(self, c => sqlx::query(sql)
            .bind(p.case_id).bind(p.court_id).bind(p.no).bind(p.role).bind(p.kind).bind(p.name)
            .bind(p.id_cipher).bind(p.id_index).bind(p.id_shown).bind(p.legal_rep).bind(p.address_cipher)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The sealed identifiers and addresses of a case's parties, in party order.
    pub async fn party_secrets_tx(&mut self, case_id: i64) -> Result<Vec<PartySecrets>> {
        Ok(on_tx!(self, c => sqlx::query_as::<_, PartySecrets>(
            "SELECT no, id_cipher, address_cipher FROM parties WHERE case_id = $1 ORDER BY no")
            .bind(case_id).fetch_all(c).await)?)
    }

    /// An earlier case at this court on the same basis document against the same respondent
    /// (withdrawn cases aside, and resumed cases, which are meant to repeat their basis).
    pub async fn duplicate_case(
        &mut self,
        court_id: &str,
        basis_doc: &str,
        respondent_index: &str,
    ) -> Result<Option<String>> {
        let sql = "SELECT c.number FROM cases c JOIN parties p ON p.case_id = c.id \
                   WHERE c.court_id = $1 AND c.basis_doc = $2 AND p.role = 'respondent' AND p.id_index = $3 \
                   AND c.case_type <> '执恢' AND (c.closure_mode IS NULL OR c.closure_mode <> 'withdrawn') ORDER BY c.id LIMIT 1";
        let r: Option<(String,)> = on_tx!(self, c => sqlx::query_as(sql).bind(court_id).bind(basis_doc).bind(respondent_index).fetch_optional(c).await)?;
        Ok(r.map(|r| r.0))
    }

    /// Reads a case inside the transaction and, on PostgreSQL, locks its row until commit
    /// (SQLite's `BEGIN IMMEDIATE` already holds the database): a read-decide-write on the
    /// case, such as checking its account's balance before a payout, cannot interleave.
    pub async fn case_tx(&mut self, id: i64) -> Result<Option<CaseRow>> {
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let sql = format!("SELECT {COLS} FROM cases c WHERE c.id = $1{lock}");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, CaseRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(c).await)?,
        )
    }

    pub async fn insert_document(&mut self, d: &NewDocument<'_>) -> Result<i64> {
        let sql = "INSERT INTO documents (case_id, court_id, kind, title, html, sha256, created_at, created_by) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(d.case_id).bind(d.court_id).bind(d.kind).bind(d.title).bind(d.html).bind(d.sha256).bind(d.at_us).bind(d.by)
            .fetch_one(c).await)?;
        Ok(id.0)
    }
}

/// How a list of cases is ordered; every order ends on the id, so that a keyset is total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseOrder {
    /// Newest filing first (id descending).
    #[default]
    Newest,
    /// The nearest deadline first; cases without one last.
    Due,
    /// The largest amount to enforce (`total_due`) first.
    AmountDesc,
    /// The smallest amount to enforce first.
    AmountAsc,
}

/// Filters of the case list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub court_id: String,
    pub status: Option<String>,
    pub officer_id: Option<i64>,
    pub case_type: Option<String>,
    /// Only cases with a deadline before this date still open (`next_due < date`).
    pub overdue_before: Option<String>,
    pub filed_from: Option<String>,
    pub filed_to: Option<String>,
    /// Case ids found by a search (party name or ID number); `None` for no search.
    pub ids: Option<Vec<i64>>,
    /// The order, each with its own keyset.
    pub order: CaseOrder,
    /// Keyset cursor: (the order's key of the last row seen — next_due, total_due in fen, or
    /// "" for newest first —, its id).
    pub after: Option<(String, i64)>,
    pub limit: i64,
}

impl Store {
    pub async fn case(&self, id: i64) -> Result<Option<CaseRow>> {
        let sql = format!("SELECT {COLS} FROM cases c WHERE c.id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, CaseRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    pub async fn case_by_number(&self, number: &str) -> Result<Option<CaseRow>> {
        let sql = format!("SELECT {COLS} FROM cases c WHERE c.number = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, CaseRow>(sqlx::AssertSqlSafe(sql.clone())).bind(number).fetch_optional(p).await)?,
        )
    }

    /// One page of the case list of a court.
    pub async fn list_cases(&self, f: &CaseFilter) -> Result<Vec<CaseRow>> {
        // Keyset pagination. Sorting by due date puts cases without a deadline last ('9999').
        // The amount's key comes as text (one parameter type for every order) and is cast;
        // it is always a number ("0" without a cursor), which PostgreSQL needs even where the
        // OR would not reach it.
        let (order, keyset) = match f.order {
            CaseOrder::Due => (
                "c.next_due ASC, c.id ASC",
                "(c.next_due > $9 OR (c.next_due = $9 AND c.id > $10))",
            ),
            CaseOrder::Newest => ("c.id DESC", "($9 = '' AND c.id < $10)"),
            CaseOrder::AmountDesc => (
                "c.total_due DESC, c.id DESC",
                "(c.total_due < CAST(CAST($9 AS TEXT) AS BIGINT) OR (c.total_due = CAST(CAST($9 AS TEXT) AS BIGINT) AND c.id < $10))",
            ),
            CaseOrder::AmountAsc => (
                "c.total_due ASC, c.id ASC",
                "(c.total_due > CAST(CAST($9 AS TEXT) AS BIGINT) OR (c.total_due = CAST(CAST($9 AS TEXT) AS BIGINT) AND c.id > $10))",
            ),
        };
        let ids_clause = match &f.ids {
            Some(ids) if ids.is_empty() => return Ok(Vec::new()),
            Some(ids) => format!(
                " AND c.id IN ({})",
                ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
            ),
            None => String::new(),
        };
        let sql = format!(
            "SELECT {COLS} FROM cases c WHERE c.court_id = $1 \
             AND (CAST($2 AS TEXT) IS NULL OR c.status = CAST($2 AS TEXT)) \
             AND (CAST($3 AS BIGINT) IS NULL OR c.officer_id = CAST($3 AS BIGINT)) \
             AND (CAST($4 AS TEXT) IS NULL OR c.case_type = CAST($4 AS TEXT)) \
             AND (CAST($5 AS TEXT) IS NULL OR (c.next_due < CAST($5 AS TEXT) AND c.status <> 'closed')) \
             AND (CAST($6 AS TEXT) IS NULL OR c.filed_on >= CAST($6 AS TEXT)) \
             AND (CAST($7 AS TEXT) IS NULL OR c.filed_on <= CAST($7 AS TEXT)) \
             AND ($8 = 0 OR {keyset}){ids_clause} \
             ORDER BY {order} LIMIT $11"
        );
        let (after_key, after_id, has_after) = match &f.after {
            Some((k, id)) => (k.clone(), *id, 1i64),
            None => (String::new(), i64::MAX, 0i64),
        };
        let after_key = match f.order {
            CaseOrder::Newest => String::new(),
            CaseOrder::Due => after_key,
            CaseOrder::AmountDesc | CaseOrder::AmountAsc => {
                after_key.parse::<i64>().unwrap_or(0).to_string()
            }
        };
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, CaseRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(&f.court_id).bind(&f.status).bind(f.officer_id).bind(&f.case_type).bind(&f.overdue_before)
            .bind(&f.filed_from).bind(&f.filed_to).bind(has_after).bind(&after_key).bind(after_id).bind(f.limit)
            .fetch_all(p).await)?,
        )
    }

    /// Cases of a court with a party whose name starts with `prefix` (an index range scan).
    pub async fn cases_by_party_name(
        &self,
        court_id: &str,
        prefix: &str,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let upper = format!("{prefix}\u{10FFFF}");
        let sql = "SELECT DISTINCT case_id FROM parties WHERE name >= $1 AND name < $2 AND court_id = $3 LIMIT $4";
        let rows: Vec<(i64,)> = on_pool!(self, p => sqlx::query_as(sql).bind(prefix).bind(&upper).bind(court_id).bind(limit).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Cases of a court whose number contains `part` (`执50`, `京0105执`), newest first. The
    /// text is matched literally: `%` and `_` in it are no wildcards.
    pub async fn cases_by_number_part(
        &self,
        court_id: &str,
        part: &str,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let escaped: String = part
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let pattern = format!("%{escaped}%");
        let sql = "SELECT id FROM cases WHERE court_id = $1 AND number LIKE $2 ESCAPE '\\' ORDER BY id DESC LIMIT $3";
        let rows: Vec<(i64,)> = on_pool!(self, p => sqlx::query_as(sql).bind(court_id).bind(&pattern).bind(limit).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Cases of a court with a party whose identifier has this blind index.
    pub async fn cases_by_identifier(
        &self,
        court_id: &str,
        index: &str,
        limit: i64,
    ) -> Result<Vec<i64>> {
        let sql =
            "SELECT DISTINCT case_id FROM parties WHERE id_index = $1 AND court_id = $2 LIMIT $3";
        let rows: Vec<(i64,)> = on_pool!(self, p => sqlx::query_as(sql).bind(index).bind(court_id).bind(limit).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The sealed identifier of a party.
    /// A party's sealed address, if one was given.
    pub async fn party_address_cipher(&self, case_id: i64, no: i64) -> Result<Option<String>> {
        let r: Option<(Option<String>,)> = on_pool!(self, p => sqlx::query_as("SELECT address_cipher FROM parties WHERE case_id = $1 AND no = $2")
            .bind(case_id).bind(no).fetch_optional(p).await)?;
        Ok(r.and_then(|r| r.0))
    }

    pub async fn party_cipher(&self, case_id: i64, no: i64) -> Result<Option<String>> {
        let r: Option<(String,)> = on_pool!(self, p => sqlx::query_as("SELECT id_cipher FROM parties WHERE case_id = $1 AND no = $2")
            .bind(case_id).bind(no).fetch_optional(p).await)?;
        Ok(r.map(|r| r.0))
    }

    pub async fn document(&self, id: i64) -> Result<Option<DocumentRow>> {
        let sql = "SELECT id, case_id, court_id, kind, title, html, sha256, created_at, created_by FROM documents WHERE id = $1";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, DocumentRow>(sql).bind(id).fetch_optional(p).await)?,
        )
    }

    /// The payloads of a case's events up to a time, in order.
    pub async fn case_events(
        &self,
        case_id: i64,
        until_us: i64,
    ) -> Result<Vec<crate::EventRecord>> {
        let sql = "SELECT seq, at_us, actor, court_id, kind, subject, payload, prev_hash, hash FROM events \
                   WHERE subject = $1 AND at_us <= $2 ORDER BY seq";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, crate::EventRecord>(sql).bind(format!("case:{case_id}")).bind(until_us).fetch_all(p).await)?,
        )
    }

    /// The case's timeline: its own events and those of the things recorded under their own
    /// subject that belong to it (the price determinations of its assets, `valuation:<id>`),
    /// in order. The case fold reads [`Store::case_events`] only.
    pub async fn case_timeline(&self, case_id: i64) -> Result<Vec<crate::EventRecord>> {
        let sql = "SELECT seq, at_us, actor, court_id, kind, subject, payload, prev_hash, hash FROM events \
                   WHERE subject = $1 \
                   OR subject IN (SELECT 'valuation:' || CAST(v.id AS TEXT) FROM valuations v WHERE v.case_id = $2) \
                   ORDER BY seq";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, crate::EventRecord>(sql).bind(format!("case:{case_id}")).bind(case_id).fetch_all(p).await)?,
        )
    }

    /// The newest event that changed the case (reads of it excluded), for the open case page
    /// to know it must refresh: walks the `(subject, seq)` index from its end.
    pub async fn case_last_change(&self, case_id: i64) -> Result<i64> {
        let sql = "SELECT seq FROM events WHERE subject = $1 AND kind NOT LIKE 'read.%' \
                   ORDER BY seq DESC LIMIT 1";
        let seq: Option<(i64,)> = on_pool!(self, p => sqlx::query_as(sql).bind(format!("case:{case_id}")).fetch_optional(p).await)?;
        Ok(seq.map_or(0, |s| s.0))
    }

    /// Whether there is any case: one index probe, where counting them all reads every case
    /// (a second at ten million, at every start).
    pub async fn has_cases(&self) -> Result<bool> {
        let one: Option<(i64,)> = on_pool!(self, p => sqlx::query_as("SELECT id FROM cases LIMIT 1").fetch_optional(p).await)?;
        Ok(one.is_some())
    }

    pub async fn count_cases(&self) -> Result<i64> {
        let n: (i64,) =
            on_pool!(self, p => sqlx::query_as("SELECT COUNT(*) FROM cases").fetch_one(p).await)?;
        Ok(n.0)
    }
}

impl Store {
    /// The cases (`case:ID`) of `court_id` with the latest requests to extend the time to
    /// conclude, newest first, `limit` requests at most: the president's queue reads which of
    /// them are still pending from the cases themselves.
    pub async fn extension_request_subjects(
        &self,
        court_id: &str,
        limit: i64,
    ) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT subject FROM events WHERE court_id = $1 AND kind = 'case.extension_requested' ORDER BY seq DESC LIMIT $2")
            .bind(court_id).bind(limit).fetch_all(p).await)?;
        let mut out: Vec<String> = Vec::with_capacity(rows.len());
        for (s,) in rows {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        Ok(out)
    }
}
