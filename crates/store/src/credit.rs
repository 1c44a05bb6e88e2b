//! Credit discipline as published: dishonest-list entries and consumption restriction orders
//! (projections of the case events, written in the same transaction as them).

use sqlx::FromRow;

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ListingRow {
    pub id: i64,
    pub case_id: i64,
    pub court_id: String,
    pub no: i64,
    pub party_no: i64,
    pub name: String,
    pub party_kind: String,
    pub legal_rep: Option<String>,
    pub case_number: String,
    pub basis: String,
    pub duty: String,
    pub total_due_fen: i64,
    /// JSON array of ground numbers (1–6).
    pub grounds: String,
    pub conduct: String,
    pub listed_on: String,
    pub ends_on: Option<String>,
    pub status: String,
    pub removal_trigger: Option<String>,
    pub removal_reason: Option<String>,
    pub removed_on: Option<String>,
}

const LISTING_COLS: &str = "l.id, l.case_id, l.court_id, l.no, l.party_no, l.name, l.party_kind, l.legal_rep, l.case_number, l.basis, \
    l.duty, l.total_due_fen, l.grounds, l.conduct, l.listed_on, l.ends_on, l.status, l.removal_trigger, l.removal_reason, l.removed_on";

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct OrderRow {
    pub id: i64,
    pub case_id: i64,
    pub court_id: String,
    pub no: i64,
    pub party_no: i64,
    pub name: String,
    pub party_kind: String,
    pub legal_rep: Option<String>,
    pub case_number: String,
    /// JSON array of names.
    pub bound_persons: String,
    /// JSON array of the restricted kinds of spending.
    pub kinds: String,
    pub reason: String,
    pub listing_no: Option<i64>,
    pub ordered_on: String,
    pub status: String,
    pub lifted_on: Option<String>,
    pub lift_reason: Option<String>,
}

const ORDER_COLS: &str = "o.id, o.case_id, o.court_id, o.no, o.party_no, o.name, o.party_kind, o.legal_rep, o.case_number, \
    o.bound_persons, o.kinds, o.reason, o.listing_no, o.ordered_on, o.status, o.lifted_on, o.lift_reason";

/// A listing in force as a public portal shows it: the identifier only masked (from the
/// party), what was performed as the case stands now.
#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct PublicListing {
    pub id: i64,
    pub name: String,
    /// Masked resident ID number, or the organisation's credit code.
    pub identifier: String,
    pub legal_rep: Option<String>,
    pub court_id: String,
    pub court_name: String,
    pub case_number: String,
    pub basis: String,
    pub duty: String,
    pub total_due_fen: i64,
    pub performed_fen: i64,
    pub grounds: String,
    pub conduct: String,
    pub listed_on: String,
    pub ends_on: Option<String>,
}

/// A consumption restriction order in force as the public portal shows it.
#[derive(Debug, Clone, FromRow)]
pub struct PublicOrder {
    pub id: i64,
    pub name: String,
    /// As the case records it: masked for persons, whole for organisations.
    pub identifier: String,
    pub party_kind: String,
    pub legal_rep: Option<String>,
    /// JSON array of names.
    pub bound_persons: String,
    /// JSON array of the restricted kinds of spending.
    pub kinds: String,
    pub court_name: String,
    pub case_number: String,
    pub ordered_on: String,
}

/// The party a row names, as the case records it.
pub struct PartyRef<'a> {
    pub case_id: i64,
    pub court_id: &'a str,
    pub party_no: i64,
    pub name: &'a str,
    pub party_kind: &'a str,
    pub legal_rep: Option<&'a str>,
    pub id_index: &'a str,
    pub case_number: &'a str,
}

pub struct NewListing<'a> {
    pub party: PartyRef<'a>,
    pub no: i64,
    pub basis: &'a str,
    pub duty: &'a str,
    pub total_due_fen: i64,
    pub grounds: &'a str,
    pub conduct: &'a str,
    pub listed_on: &'a str,
    pub ends_on: Option<&'a str>,
    pub at_us: i64,
}

pub struct NewOrder<'a> {
    pub party: PartyRef<'a>,
    pub no: i64,
    pub bound_persons: &'a str,
    pub kinds: &'a str,
    pub reason: &'a str,
    pub listing_no: Option<i64>,
    pub ordered_on: &'a str,
    pub at_us: i64,
}

impl Tx {
    /// A party's blind index, read inside the transaction.
    pub async fn party_index(&mut self, case_id: i64, no: i64) -> Result<Option<String>> {
        let r: Option<(String,)> = on_tx!(self, c => sqlx::query_as("SELECT id_index FROM parties WHERE case_id = $1 AND no = $2")
            .bind(case_id).bind(no).fetch_optional(c).await)?;
        Ok(r.map(|r| r.0))
    }

    pub async fn insert_listing(&mut self, n: &NewListing<'_>) -> Result<i64> {
        let p = &n.party;
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(
            "INSERT INTO credit_listings (case_id, court_id, no, party_no, name, party_kind, legal_rep, id_index, case_number, basis, duty, \
             total_due_fen, grounds, conduct, listed_on, ends_on, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'listed', $17, $17) RETURNING id")
            .bind(p.case_id).bind(p.court_id).bind(n.no).bind(p.party_no).bind(p.name).bind(p.party_kind).bind(p.legal_rep)
            .bind(p.id_index).bind(p.case_number).bind(n.basis).bind(n.duty).bind(n.total_due_fen).bind(n.grounds)
            .bind(n.conduct).bind(n.listed_on).bind(n.ends_on).bind(n.at_us)
            .fetch_one(c).await)?;
        Ok(id.0)
    }

    pub async fn extend_listing(
        &mut self,
        case_id: i64,
        no: i64,
        ends_on: &str,
        at_us: i64,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE credit_listings SET ends_on = $1, updated_at = $2 WHERE case_id = $3 AND no = $4")
            .bind(ends_on).bind(at_us).bind(case_id).bind(no).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn amend_listing(
        &mut self,
        case_id: i64,
        no: i64,
        conduct: &str,
        at_us: i64,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE credit_listings SET conduct = $1, updated_at = $2 WHERE case_id = $3 AND no = $4")
            .bind(conduct).bind(at_us).bind(case_id).bind(no).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn remove_listing(
        &mut self,
        case_id: i64,
        no: i64,
        trigger: &str,
        reason: &str,
        on: &str,
        at_us: i64,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "UPDATE credit_listings SET status = 'removed', removal_trigger = $1, removal_reason = $2, removed_on = $3, updated_at = $4 \
             WHERE case_id = $5 AND no = $6")
            .bind(trigger).bind(reason).bind(on).bind(at_us).bind(case_id).bind(no).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn insert_order(&mut self, n: &NewOrder<'_>) -> Result<i64> {
        let p = &n.party;
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(
            "INSERT INTO restriction_orders (case_id, court_id, no, party_no, name, party_kind, legal_rep, id_index, case_number, \
             bound_persons, kinds, reason, listing_no, ordered_on, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'in_force', $15, $15) RETURNING id")
            .bind(p.case_id).bind(p.court_id).bind(n.no).bind(p.party_no).bind(p.name).bind(p.party_kind).bind(p.legal_rep)
            .bind(p.id_index).bind(p.case_number).bind(n.bound_persons).bind(n.kinds).bind(n.reason).bind(n.listing_no)
            .bind(n.ordered_on).bind(n.at_us)
            .fetch_one(c).await)?;
        Ok(id.0)
    }

    pub async fn lift_order(
        &mut self,
        case_id: i64,
        no: i64,
        reason: &str,
        on: &str,
        at_us: i64,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "UPDATE restriction_orders SET status = 'lifted', lifted_on = $1, lift_reason = $2, updated_at = $3 WHERE case_id = $4 AND no = $5")
            .bind(on).bind(reason).bind(at_us).bind(case_id).bind(no).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Store {
    /// Money the case's active freezes and seizures hold (ground 1 does not apply when it
    /// covers what is due).
    pub async fn held_by_active_measures(&self, case_id: i64) -> Result<i64> {
        let r: (Option<i64>,) = on_pool!(self, c => sqlx::query_as(
            "SELECT CAST(SUM(COALESCE(held_fen, amount_fen, 0)) AS BIGINT) FROM measures \
             WHERE case_id = $1 AND kind IN ('freeze', 'seize') AND status = 'active'")
            .bind(case_id).fetch_one(c).await)?;
        Ok(r.0.unwrap_or(0))
    }

    pub async fn listings_of(&self, case_id: i64) -> Result<Vec<ListingRow>> {
        let sql = format!(
            "SELECT {LISTING_COLS} FROM credit_listings l WHERE l.case_id = $1 ORDER BY l.no"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ListingRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(p).await)?,
        )
    }

    pub async fn orders_of(&self, case_id: i64) -> Result<Vec<OrderRow>> {
        let sql = format!(
            "SELECT {ORDER_COLS} FROM restriction_orders o WHERE o.case_id = $1 ORDER BY o.no"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, OrderRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(p).await)?,
        )
    }

    /// Listings in force whose period ended before `date` (walks `credit_listings_ends`).
    pub async fn listings_ending_before(&self, date: &str) -> Result<Vec<ListingRow>> {
        let sql = format!(
            "SELECT {LISTING_COLS} FROM credit_listings l WHERE l.status = 'listed' AND l.ends_on IS NOT NULL AND l.ends_on < $1 ORDER BY l.id"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ListingRow>(sqlx::AssertSqlSafe(sql.clone())).bind(date).fetch_all(p).await)?,
        )
    }

    /// Listings in force on cases that may show a removal trigger: fully paid, or closed other
    /// than by 终本. The domain decides; this only narrows the candidates. With
    /// `changed_since`, only cases changed since then (walks `cases_updated`): a trigger
    /// appears only when its case changes, so the worker need not re-read every listing.
    pub async fn removal_candidates(&self, changed_since: Option<i64>) -> Result<Vec<ListingRow>> {
        let sql = format!(
            "SELECT {LISTING_COLS} FROM credit_listings l JOIN cases c ON c.id = l.case_id \
             WHERE l.status = 'listed' AND c.updated_at >= $1 \
             AND (c.paid >= c.total_due OR (c.closure_mode IS NOT NULL AND c.closure_mode <> 'zhongben')) ORDER BY l.id"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, ListingRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(changed_since.unwrap_or(i64::MIN)).fetch_all(p).await)?,
        )
    }

    /// Orders in force on fully paid cases (a lift may be due), as [`Store::removal_candidates`].
    pub async fn lift_candidates(&self, changed_since: Option<i64>) -> Result<Vec<OrderRow>> {
        let sql = format!(
            "SELECT {ORDER_COLS} FROM restriction_orders o JOIN cases c ON c.id = o.case_id \
             WHERE o.status = 'in_force' AND c.updated_at >= $1 AND c.paid >= c.total_due ORDER BY o.id"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, OrderRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(changed_since.unwrap_or(i64::MIN)).fetch_all(p).await)?,
        )
    }

    /// The public search: listings in force of the person or organisation with exactly this
    /// name and this identifier (`blind_index` = `FieldCipher::index` of the normalised ID
    /// number or credit code). Walks the partial index `credit_listings_public`.
    pub async fn listed_now(&self, name: &str, blind_index: &str) -> Result<Vec<PublicListing>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, PublicListing>(
            "SELECT l.id, l.name, pa.id_shown AS identifier, l.legal_rep, l.court_id, co.name AS court_name, l.case_number, \
             l.basis, l.duty, l.total_due_fen, c.paid AS performed_fen, l.grounds, l.conduct, l.listed_on, l.ends_on \
             FROM credit_listings l JOIN parties pa ON pa.case_id = l.case_id AND pa.no = l.party_no \
             JOIN cases c ON c.id = l.case_id JOIN courts co ON co.id = l.court_id \
             WHERE l.name = $1 AND l.id_index = $2 AND l.status = 'listed' ORDER BY l.listed_on, l.id")
            .bind(name).bind(blind_index).fetch_all(p).await)?)
    }

    /// Orders in force on this name and identifier (same search as [`Store::listed_now`]).
    pub async fn restricted_now(&self, name: &str, blind_index: &str) -> Result<Vec<PublicOrder>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, PublicOrder>(
            "SELECT o.id, o.name, pa.id_shown AS identifier, o.party_kind, o.legal_rep, o.bound_persons, o.kinds, \
             co.name AS court_name, o.case_number, o.ordered_on \
             FROM restriction_orders o JOIN parties pa ON pa.case_id = o.case_id AND pa.no = o.party_no \
             JOIN courts co ON co.id = o.court_id \
             WHERE o.name = $1 AND o.id_index = $2 AND o.status = 'in_force' ORDER BY o.ordered_on, o.id")
            .bind(name).bind(blind_index).fetch_all(p).await)?)
    }
}
