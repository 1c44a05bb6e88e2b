//! The public side's storage: party access codes (当事人查询码), their throttle, court
//! announcements (法院公告) and the published list of 终本 cases.

use sqlx::FromRow;

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow)]
pub struct AnnouncementRow {
    pub id: i64,
    pub court_id: String,
    pub court_name: String,
    pub title: String,
    pub body: String,
    pub posted_at: i64,
}

/// A case closed by 终本, as far as it is published.
#[derive(Debug, Clone, FromRow)]
pub struct TerminatedRow {
    pub id: i64,
    pub number: String,
    pub court_id: String,
    pub court_name: String,
    pub closed_on: Option<String>,
    pub total_due: i64,
    pub paid: i64,
    pub state: String,
}

/// A respondent as published: the name and the masked identifier only.
#[derive(Debug, Clone, FromRow)]
pub struct RespondentRow {
    pub case_id: i64,
    pub name: String,
    pub id_shown: String,
}

impl Tx {
    /// Sets a party's access code, replacing (and so invalidating) any earlier one.
    pub async fn put_access_code(
        &mut self,
        case_id: i64,
        party_no: i64,
        code_hash: &str,
        issued_by: &str,
        at_us: i64,
    ) -> Result<()> {
        let sql = "INSERT INTO party_access_codes (case_id, party_no, code_hash, issued_by, issued_at) VALUES ($1, $2, $3, $4, $5) \
                   ON CONFLICT (case_id, party_no) DO UPDATE SET code_hash = $3, issued_by = $4, issued_at = $5";
        on_tx!(self, c => sqlx::query(sql).bind(case_id).bind(party_no).bind(code_hash).bind(issued_by).bind(at_us)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Counts a wrong code for `case_number` (restarting the count if the last failure is
    /// older than `window_start`); returns the failures so far. One statement, so concurrent
    /// guesses cannot both read the same count.
    pub async fn record_access_failure(
        &mut self,
        case_number: &str,
        now_us: i64,
        window_start: i64,
    ) -> Result<i64> {
        let sql = "INSERT INTO party_access_throttle (case_number, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, NULL) \
                   ON CONFLICT (case_number) DO UPDATE SET \
                     failures = CASE WHEN party_access_throttle.last_failure_at < $3 THEN 1 ELSE party_access_throttle.failures + 1 END, \
                     last_failure_at = $2 \
                   RETURNING failures";
        let n: (i64,) = on_tx!(self, c => sqlx::query_as(sql).bind(case_number).bind(now_us).bind(window_start).fetch_one(c).await)?;
        Ok(n.0)
    }

    pub async fn lock_access(&mut self, case_number: &str, until_us: i64) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE party_access_throttle SET locked_until = $1, failures = 0 WHERE case_number = $2")
            .bind(until_us).bind(case_number).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn insert_announcement(
        &mut self,
        court_id: &str,
        title: &str,
        body: &str,
        posted_by: i64,
        at_us: i64,
    ) -> Result<i64> {
        let sql = "INSERT INTO announcements (court_id, title, body, posted_by, posted_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql).bind(court_id).bind(title).bind(body).bind(posted_by).bind(at_us)
            .fetch_one(c).await)?;
        Ok(id.0)
    }
}

impl Store {
    /// The party of a case whose live code has this hash.
    pub async fn party_with_code(&self, case_id: i64, code_hash: &str) -> Result<Option<i64>> {
        let row: Option<(i64,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT party_no FROM party_access_codes WHERE case_id = $1 AND code_hash = $2")
            .bind(case_id).bind(code_hash).fetch_optional(p).await)?;
        Ok(row.map(|r| r.0))
    }

    /// When a case number's lock ends, if it is locked at `now_us`.
    pub async fn access_locked_until(&self, case_number: &str, now_us: i64) -> Result<Option<i64>> {
        let row: Option<(Option<i64>,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT locked_until FROM party_access_throttle WHERE case_number = $1")
            .bind(case_number).fetch_optional(p).await)?;
        Ok(row.and_then(|r| r.0).filter(|u| *u > now_us))
    }

    /// Announcements, newest first, below the id `before` when given, of one court when
    /// `court_id` is given, with `title_part` in the title when given (taken literally: LIKE's
    /// wildcards in it are escaped).
    pub async fn announcements(
        &self,
        before: Option<i64>,
        limit: i64,
        court_id: Option<&str>,
        title_part: Option<&str>,
    ) -> Result<Vec<AnnouncementRow>> {
        // An empty string stands for "no filter": a NULL text parameter does not type on
        // PostgreSQL without a cast SQLite does not read.
        let sql = "SELECT a.id, a.court_id, c.name AS court_name, a.title, a.body, a.posted_at \
                   FROM announcements a JOIN courts c ON c.id = a.court_id \
                   WHERE a.id < $1 AND ($3 = '' OR a.court_id = $3) \
                   AND ($4 = '' OR a.title LIKE $4 ESCAPE '\\') \
                   ORDER BY a.id DESC LIMIT $2";
        let court = court_id.unwrap_or_default().to_owned();
        let like = title_part.map(contains_pattern).unwrap_or_default();
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AnnouncementRow>(sql)
            .bind(before.unwrap_or(i64::MAX)).bind(limit).bind(&court).bind(&like).fetch_all(p).await)?,
        )
    }

    /// One announcement.
    pub async fn announcement(&self, id: i64) -> Result<Option<AnnouncementRow>> {
        let sql = "SELECT a.id, a.court_id, c.name AS court_name, a.title, a.body, a.posted_at \
                   FROM announcements a JOIN courts c ON c.id = a.court_id WHERE a.id = $1";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AnnouncementRow>(sql).bind(id).fetch_optional(p).await)?,
        )
    }

    /// The courts that have posted announcements, by name: what a filter can choose from.
    pub async fn announcing_courts(&self) -> Result<Vec<(String, String)>> {
        let sql = "SELECT DISTINCT c.id, c.name FROM announcements a JOIN courts c ON c.id = a.court_id ORDER BY c.name";
        Ok(on_pool!(self, p => sqlx::query_as::<_, (String, String)>(sql).fetch_all(p).await)?)
    }

    /// Cases closed by 终本, newest case first, below the id `before` when given; with
    /// `number_part` in the case number and `name_part` in a respondent's name when given
    /// (taken literally).
    pub async fn terminated_cases(
        &self,
        before: Option<i64>,
        limit: i64,
        number_part: Option<&str>,
        name_part: Option<&str>,
    ) -> Result<Vec<TerminatedRow>> {
        let sql = "SELECT c.id, c.number, c.court_id, co.name AS court_name, c.closed_on, c.total_due, c.paid, c.state \
                   FROM cases c JOIN courts co ON co.id = c.court_id \
                   WHERE c.closure_mode = 'zhongben' AND c.status = 'closed' AND c.id < $1 \
                   AND ($3 = '' OR c.number LIKE $3 ESCAPE '\\') \
                   AND ($4 = '' OR EXISTS (SELECT 1 FROM parties p WHERE p.case_id = c.id AND p.role = 'respondent' \
                        AND p.name LIKE $4 ESCAPE '\\')) \
                   ORDER BY c.id DESC LIMIT $2";
        let number = number_part.map(contains_pattern).unwrap_or_default();
        let name = name_part.map(contains_pattern).unwrap_or_default();
        Ok(on_pool!(self, p => sqlx::query_as::<_, TerminatedRow>(sql)
            .bind(before.unwrap_or(i64::MAX)).bind(limit).bind(&number).bind(&name).fetch_all(p).await)?)
    }

    /// The respondents of these cases, name and masked identifier only.
    pub async fn respondents_of(&self, case_ids: &[i64]) -> Result<Vec<RespondentRow>> {
        let mut out = Vec::new();
        // A handful of ids per page: one small indexed query each keeps the SQL portable.
        for id in case_ids {
            let rows: Vec<RespondentRow> = on_pool!(self, p => sqlx::query_as::<_, RespondentRow>(
                "SELECT case_id, name, id_shown FROM parties WHERE case_id = $1 AND role = 'respondent' ORDER BY no")
                .bind(*id).fetch_all(p).await)?;
            out.extend(rows);
        }
        Ok(out)
    }
}

/// A LIKE pattern matching any text that contains `part` as typed: `%`, `_` and the escape
/// character in it match only themselves. Empty for an empty part (no filter).
fn contains_pattern(part: &str) -> String {
    if part.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(part.len() + 2);
    out.push('%');
    for ch in part.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_contains_pattern_escapes_wildcards() {
        assert_eq!(super::contains_pattern(""), "");
        assert_eq!(super::contains_pattern("执50"), "%执50%");
        assert_eq!(super::contains_pattern("5%_\\"), "%5\\%\\_\\\\%");
    }
}

/// A party's online submission (网上提交) as its receipt (回执) finds it.
#[derive(Debug, Clone, FromRow)]
pub struct SubmissionRow {
    pub id: i64,
    pub receipt: String,
    pub case_id: i64,
    pub party_no: i64,
    /// `clue` or `complaint`.
    pub kind: String,
    pub clue_no: Option<i64>,
    pub complaint_id: Option<i64>,
    pub submitted_at: i64,
}

const SUBMISSION_COLS: &str =
    "id, receipt, case_id, party_no, kind, clue_no, complaint_id, submitted_at";

/// What a new submission records: a clue's number on the case, or the complaint's row.
pub enum Submitted {
    Clue(i64),
    Complaint(i64),
}

impl Tx {
    /// Records the receipt of a party's online submission.
    pub async fn insert_submission(
        &mut self,
        receipt: &str,
        case_id: i64,
        party_no: i64,
        what: &Submitted,
        at_us: i64,
    ) -> Result<i64> {
        let (kind, clue_no, complaint_id) = match what {
            Submitted::Clue(no) => ("clue", Some(*no), None),
            Submitted::Complaint(id) => ("complaint", None, Some(*id)),
        };
        let sql = "INSERT INTO public_submissions (receipt, case_id, party_no, kind, clue_no, complaint_id, submitted_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(receipt).bind(case_id).bind(party_no).bind(kind).bind(clue_no).bind(complaint_id).bind(at_us)
            .fetch_one(c).await)?;
        Ok(id.0)
    }
}

impl Store {
    /// The submission with `receipt`, if any.
    pub async fn submission_by_receipt(&self, receipt: &str) -> Result<Option<SubmissionRow>> {
        let sql = format!("SELECT {SUBMISSION_COLS} FROM public_submissions WHERE receipt = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, SubmissionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(receipt).fetch_optional(p).await)?,
        )
    }

    /// A party's submissions on a case, oldest first.
    pub async fn submissions_of(&self, case_id: i64, party_no: i64) -> Result<Vec<SubmissionRow>> {
        let sql = format!(
            "SELECT {SUBMISSION_COLS} FROM public_submissions WHERE case_id = $1 AND party_no = $2 ORDER BY id"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, SubmissionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).bind(party_no).fetch_all(p).await)?,
        )
    }
}
