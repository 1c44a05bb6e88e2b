//! One debtor across courts: the cases against a respondent found by the blind index of
//! their identifier, and the measures on their property in those cases.

use sqlx::FromRow;

use crate::{Result, Store, on_pool};

/// A party of a case as the cross-court view starts from it.
#[derive(Debug, Clone, FromRow)]
pub struct PartyKey {
    pub name: String,
    pub role: String,
    pub kind: String,
    pub id_shown: String,
    pub id_index: String,
}

/// A case against the respondent, with its court.
#[derive(Debug, Clone, FromRow)]
pub struct DebtorCase {
    pub case_id: i64,
    pub number: String,
    pub court_id: String,
    pub court_name: String,
    pub court_path: String,
    pub status: String,
    pub filed_on: String,
    pub total_due: i64,
    pub paid: i64,
}

/// A measure on a piece of the respondent's property in one of their cases. The property is
/// the institution's record (`institution_id`, `reference`): the same house found in two
/// cases is two asset rows with one reference.
#[derive(Debug, Clone, FromRow)]
pub struct DebtorMeasure {
    pub measure_id: i64,
    pub case_id: i64,
    pub institution_id: String,
    pub institution_name: String,
    pub reference: String,
    pub asset_kind: String,
    pub description: String,
    pub kind: String,
    pub status: String,
    pub queue_position: Option<i64>,
    pub until: Option<String>,
    pub requested_at: i64,
}

impl Store {
    /// A party of a case, with its blind index.
    pub async fn party_key(&self, case_id: i64, no: i64) -> Result<Option<PartyKey>> {
        let sql = "SELECT name, role, kind, id_shown, id_index FROM parties WHERE case_id = $1 AND no = $2";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, PartyKey>(sql).bind(case_id).bind(no).fetch_optional(p).await)?,
        )
    }

    /// Every case (any court) with a respondent whose identifier has this blind index, oldest
    /// first, `limit` at most: the `parties_index (id_index, case_id)` range, then each case
    /// and its court by primary key.
    pub async fn cases_against(&self, index: &str, limit: i64) -> Result<Vec<DebtorCase>> {
        let sql = "SELECT c.id AS case_id, c.number, c.court_id, ct.name AS court_name, ct.path AS court_path, \
                   c.status, c.filed_on, c.total_due, c.paid \
                   FROM parties p JOIN cases c ON c.id = p.case_id JOIN courts ct ON ct.id = c.court_id \
                   WHERE p.id_index = $1 AND p.role = 'respondent' \
                   GROUP BY c.id, c.number, c.court_id, ct.name, ct.path, c.status, c.filed_on, c.total_due, c.paid \
                   ORDER BY c.id LIMIT $2";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, DebtorCase>(sql).bind(index).bind(limit).fetch_all(p).await)?,
        )
    }

    /// The measures on property found in the cases against the respondent with this blind
    /// index, in the order they were asked: each case's assets by `assets (case_id, …)`, their
    /// measures by `measures_asset`.
    pub async fn measures_against(&self, index: &str, limit: i64) -> Result<Vec<DebtorMeasure>> {
        let sql = "SELECT m.id AS measure_id, m.case_id, a.institution_id, i.name AS institution_name, a.reference, \
                   a.kind AS asset_kind, a.description, m.kind, m.status, m.queue_position, m.until, m.requested_at \
                   FROM (SELECT DISTINCT case_id FROM parties WHERE id_index = $1 AND role = 'respondent') p \
                   JOIN assets a ON a.case_id = p.case_id \
                   JOIN measures m ON m.asset_id = a.id \
                   JOIN institutions i ON i.id = a.institution_id \
                   ORDER BY m.requested_at, m.id LIMIT $2";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, DebtorMeasure>(sql).bind(index).bind(limit).fetch_all(p).await)?,
        )
    }
}

/// The same property found in another case, with that case's respondents: one row per
/// respondent.
#[derive(Debug, Clone, FromRow)]
pub struct PropertyElsewhere {
    pub case_id: i64,
    pub number: String,
    pub court_name: String,
    pub court_path: String,
    pub respondent_no: i64,
    pub respondent_name: String,
    pub respondent_index: String,
    pub found_by: String,
    pub found_at: i64,
}

impl Store {
    /// The other cases in which the institution's record `reference` was found, with their
    /// respondents, oldest first: `assets_property (institution_id, reference, case_id)`.
    pub async fn property_elsewhere(
        &self,
        institution_id: &str,
        reference: &str,
        except_case: i64,
        limit: i64,
    ) -> Result<Vec<PropertyElsewhere>> {
        let sql = "SELECT a.case_id, c.number, ct.name AS court_name, ct.path AS court_path, \
                   p.no AS respondent_no, p.name AS respondent_name, p.id_index AS respondent_index, a.found_by, a.found_at \
                   FROM assets a JOIN cases c ON c.id = a.case_id JOIN courts ct ON ct.id = c.court_id \
                   JOIN parties p ON p.case_id = a.case_id AND p.role = 'respondent' \
                   WHERE a.institution_id = $1 AND a.reference = $2 AND a.case_id <> $3 \
                   ORDER BY a.case_id, p.no LIMIT $4";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, PropertyElsewhere>(sql).bind(institution_id).bind(reference).bind(except_case).bind(limit).fetch_all(p).await)?,
        )
    }

    /// How many cases other than `except_case` have a respondent with this blind index (at
    /// most `limit`): whether a related party is a debtor elsewhere.
    pub async fn cases_against_count(
        &self,
        index: &str,
        except_case: i64,
        limit: i64,
    ) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM (SELECT DISTINCT case_id FROM parties \
                   WHERE id_index = $1 AND role = 'respondent' AND case_id <> $2 LIMIT $3) x";
        let n: (i64,) = on_pool!(self, p => sqlx::query_as(sql).bind(index).bind(except_case).bind(limit).fetch_one(p).await)?;
        Ok(n.0)
    }

    /// The blind indexes of a case's parties, by their number.
    pub async fn party_indexes(&self, case_id: i64) -> Result<Vec<(i64, String)>> {
        let sql = "SELECT no, id_index FROM parties WHERE case_id = $1 ORDER BY no";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, (i64, String)>(sql).bind(case_id).fetch_all(p).await)?,
        )
    }
}
