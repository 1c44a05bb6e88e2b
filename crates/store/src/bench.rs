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

impl Store {
    /// A table of the shape of one auction log entry, for the one-row-per-transaction
    /// baseline of the auction figure.
    pub async fn bench_prepare_rows(&self) -> Result<()> {
        self.bench_drop_rows().await?;
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query(
            "CREATE TABLE bench_raw_rows (id BIGINT PRIMARY KEY, kind TEXT NOT NULL, event TEXT NOT NULL, at_us BIGINT NOT NULL)")
            .execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await
    }

    pub async fn bench_drop_rows(&self) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query("DROP TABLE IF EXISTS bench_raw_rows").execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await
    }
}

impl Tx {
    /// One row into `bench_raw_rows` (the caller picks distinct ids).
    pub async fn bench_insert_row(
        &mut self,
        id: i64,
        kind: &str,
        event: &str,
        at_us: i64,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query("INSERT INTO bench_raw_rows (id, kind, event, at_us) VALUES ($1, $2, $3, $4)")
            .bind(id).bind(kind).bind(event).bind(at_us)
            .execute(c).await.map(|r| r.rows_affected()))?;
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

/// One synthetic case row for bulk loading (benchmarks only).
pub struct BulkCase {
    pub court_id: String,
    pub seq: i64,
    pub number: String,
    pub status: &'static str,
    pub filed_on: String,
    pub next_due: Option<String>,
    pub state: String,
    pub applicant: String,
    pub respondent: String,
    pub officer_id: Option<i64>,
}

impl Tx {
    /// The rows one filing writes, inserted plainly: the counter, the case, two parties, a
    /// document, the parties' two access codes, the case's indicator facts and its five
    /// rollup rows (the court's own and the subtree rows up to the SPC, one statement as the
    /// service writes them), and two events (without hashing or chain). The baseline for
    /// filings/second; `court_path` is the court's.
    pub async fn bench_raw_filing(
        &mut self,
        c: &BulkCase,
        court_path: &str,
        at_us: i64,
        doc_html: &str,
    ) -> Result<()> {
        let seq: (i64,) = on_tx!(self, x => sqlx::query_as(
            "INSERT INTO case_counters (court_id, case_type, year, last) VALUES ($1, 'bench', 1, 1) \
             ON CONFLICT (court_id, case_type, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last")
            .bind(&c.court_id).fetch_one(x).await)?;
        let id = self.bench_insert_case(c, seq.0, "bench", at_us).await?;
        self.bench_insert_parties(id, c).await?;
        on_tx!(self, x => sqlx::query("INSERT INTO documents (case_id, court_id, kind, title, html, sha256, created_at, created_by) VALUES ($1, $2, 'bench', 'bench', $3, '-', $4, 'bench')")
            .bind(id).bind(&c.court_id).bind(doc_html).bind(at_us).execute(x).await.map(|r| r.rows_affected()))?;
        for party_no in [1i64, 2] {
            on_tx!(self, x => sqlx::query(
                "INSERT INTO party_access_codes (case_id, party_no, code_hash, issued_by, issued_at) VALUES ($1, $2, $3, 'bench', $4)")
                .bind(id).bind(party_no).bind(format!("{id}-{party_no}")).bind(at_us).execute(x).await.map(|r| r.rows_affected()))?;
        }
        let month = c.filed_on.get(..7).unwrap_or("2026-01");
        on_tx!(self, x => sqlx::query("INSERT INTO case_indicator_facts (case_id, facts) VALUES ($1, $2)")
            .bind(id).bind(format!("{{\"case_type\":\"bench\",\"filed_month\":\"{month}\",\"closure\":null}}"))
            .execute(x).await.map(|r| r.rows_affected()))?;
        let rows = crate::indicators::rows_of(court_path);
        let values = (0..rows.len())
            .map(|i| {
                format!(
                    "(${}, ${}, ${}, 'bench', 1)",
                    3 * i + 1,
                    3 * i + 2,
                    3 * i + 3
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO indicator_rollups (court_id, scope, month, case_type, filed) VALUES {values} \
             ON CONFLICT (court_id, scope, month, case_type) DO UPDATE SET filed = indicator_rollups.filed + excluded.filed"
        );
        on_tx!(self, x => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for (court, scope) in &rows {
                q = q.bind(*court).bind(*scope).bind(month);
            }
            q.execute(x).await.map(|r| r.rows_affected())
        })?;
        let next: (i64,) = on_tx!(self, x => sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM bench_raw_events").fetch_one(x).await)?;
        for k in 1..=2 {
            on_tx!(self, x => sqlx::query(
                "INSERT INTO bench_raw_events (seq, at_us, actor, court_id, kind, subject, payload, prev_hash, hash) VALUES ($1, $2, 'bench', $3, 'case.filed', $4, $5, '-', '-')")
                .bind(next.0 + k).bind(at_us).bind(&c.court_id).bind(format!("case:{id}")).bind(&c.state).execute(x).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }

    async fn bench_insert_case(
        &mut self,
        c: &BulkCase,
        seq: i64,
        case_type: &str,
        at_us: i64,
    ) -> Result<i64> {
        let id: (i64,) = on_tx!(self, x => sqlx::query_as(
            "INSERT INTO cases (court_id, case_type, year, seq, number, status, officer_id, filed_on, next_due, total_due, paid, basis_doc, version, state, created_at, updated_at) \
             VALUES ($1, $2, 2025, $3, $4, $5, $6, $7, $8, 100000, 0, $4, 1, $9, $10, $10) RETURNING id")
            .bind(&c.court_id).bind(case_type).bind(seq).bind(&c.number).bind(c.status).bind(c.officer_id).bind(&c.filed_on).bind(c.next_due.as_deref().unwrap_or(crate::cases::NO_DEADLINE)).bind(&c.state).bind(at_us)
            .fetch_one(x).await)?;
        Ok(id.0)
    }

    async fn bench_insert_parties(&mut self, id: i64, c: &BulkCase) -> Result<()> {
        for (no, role, name) in [
            (1i64, "applicant", &c.applicant),
            (2, "respondent", &c.respondent),
        ] {
            on_tx!(self, x => sqlx::query(
                "INSERT INTO parties (case_id, court_id, no, role, kind, name, id_cipher, id_index, id_shown, legal_rep) VALUES ($1, $2, $3, $4, 'person', $5, '00', $6, '-', NULL)")
                .bind(id).bind(&c.court_id).bind(no).bind(role).bind(name).bind(format!("{id}-{no}")).execute(x).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }

    /// Bulk-loads cases with their two parties (benchmarks only).
    pub async fn bench_bulk_case(&mut self, c: &BulkCase, at_us: i64) -> Result<()> {
        let id = self.bench_insert_case(c, c.seq, "执", at_us).await?;
        self.bench_insert_parties(id, c).await
    }
}

impl Store {
    /// Refreshes planner statistics after a bulk load.
    pub async fn bench_analyze(&self) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query("ANALYZE").execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await
    }
}

/// A respondent to put on the list in bulk (benchmarks only).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BenchRespondent {
    pub case_id: i64,
    pub court_id: String,
    pub name: String,
    pub number: String,
}

impl Store {
    /// Respondents (party 2) of cases after `after` without a listing, in case order.
    pub async fn bench_unlisted_respondents(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<BenchRespondent>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, BenchRespondent>(
            "SELECT p.case_id, p.court_id, p.name, c.number FROM parties p JOIN cases c ON c.id = p.case_id \
             WHERE p.no = 2 AND p.case_id > $1 AND NOT EXISTS (SELECT 1 FROM credit_listings l WHERE l.case_id = p.case_id) \
             ORDER BY p.case_id LIMIT $2")
            .bind(after).bind(limit).fetch_all(p).await)?)
    }

    pub async fn bench_count_listed(&self) -> Result<i64> {
        let n: (i64,) = on_pool!(self, p => sqlx::query_as(
            "SELECT COUNT(*) FROM credit_listings WHERE status = 'listed'").fetch_one(p).await)?;
        Ok(n.0)
    }

    /// Every `step`-th listing in force: (name, case id), to search for.
    pub async fn bench_listing_sample(&self, step: i64, limit: i64) -> Result<Vec<(String, i64)>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, (String, i64)>(
            "SELECT name, case_id FROM credit_listings WHERE status = 'listed' AND id % $1 = 0 ORDER BY id LIMIT $2")
            .bind(step).bind(limit).fetch_all(p).await)?)
    }
}

impl Tx {
    /// Lists a bulk-loaded respondent as the service would leave it: the party's blind index
    /// and masked identifier, and a listing in force (benchmarks only).
    pub async fn bench_list(
        &mut self,
        r: &BenchRespondent,
        id_index: &str,
        id_shown: &str,
        at_us: i64,
    ) -> Result<()> {
        on_tx!(self, x => sqlx::query("UPDATE parties SET id_index = $1, id_shown = $2 WHERE case_id = $3 AND no = 2")
            .bind(id_index).bind(id_shown).bind(r.case_id).execute(x).await.map(|r| r.rows_affected()))?;
        on_tx!(self, x => sqlx::query(
            "INSERT INTO credit_listings (case_id, court_id, no, party_no, name, party_kind, legal_rep, id_index, case_number, basis, duty, \
             total_due_fen, grounds, conduct, listed_on, ends_on, status, created_at, updated_at) \
             VALUES ($1, $2, 1, 2, $3, 'person', NULL, $4, $5, '本院 (2025)民初1号', '支付 1000.00 元', 100000, '[4]', '拒不申报财产', '2025-06-01', '2027-06-01', 'listed', $6, $6)")
            .bind(r.case_id).bind(&r.court_id).bind(&r.name).bind(id_index).bind(&r.number).bind(at_us)
            .execute(x).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

/// The counters the indicator bench compares: computed once from the rollups and once by a
/// plain GROUP BY over the cases; both must agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct BenchCounters {
    pub filed: i64,
    pub closed: i64,
    pub fully_performed: i64,
    pub zhongben: i64,
    pub amount_due: i64,
    pub amount_recovered: i64,
}

/// A case's month, per backend: `substr` works on both, the date text being `YYYY-MM-DD`.
const CLOSURE_SUMS: &str = "CAST(COALESCE(SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN closure_mode = 'fully_performed' THEN 1 ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN closure_mode = 'zhongben' THEN 1 ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN status = 'closed' THEN total_due ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN status = 'closed' THEN paid ELSE 0 END), 0) AS BIGINT)";

impl Store {
    /// Bulk-loads `n` synthetic cases spread over every basic court, filed over the two years
    /// before `2026-11`, 70% closed (benchmarks only). Generated inside the database: at ten
    /// million rows a round trip per case would take hours.
    pub async fn bench_bulk_national(&self, n: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query("DROP TABLE IF EXISTS bench_basic").execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(tx, c => sqlx::query("CREATE TABLE bench_basic (n BIGINT PRIMARY KEY, id TEXT NOT NULL)").execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO bench_basic (n, id) SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM courts WHERE level = 'basic'")
            .execute(c).await.map(|r| r.rows_affected()))?;
        let nb: (i64,) =
            on_tx!(tx, c => sqlx::query_as("SELECT COUNT(*) FROM bench_basic").fetch_one(c).await)?;
        if nb.0 == 0 {
            return Err(crate::StoreError::Corrupt(
                "no basic courts: generate courts first".into(),
            ));
        }
        // x → court x mod nb, filed (x·7919 mod 700) days after 2024-12-01, closed 70% of the
        // time (x mod 10 < 7) (x·31 mod 240) days later, by mode x mod 10.
        let select = "SELECT b.id, '执', 2026, g.x, 'bench-' || g.x, \
             CASE WHEN g.x % 10 < 7 THEN 'closed' ELSE 'open' END, \
             CASE g.x % 10 WHEN 0 THEN 'fully_performed' WHEN 1 THEN 'fully_performed' WHEN 2 THEN 'fully_performed' \
                 WHEN 3 THEN 'zhongben' WHEN 4 THEN 'zhongben' WHEN 5 THEN 'terminated' WHEN 6 THEN 'withdrawn' ELSE NULL END, \
             NULL, FILED, CASE WHEN g.x % 10 < 7 THEN CLOSED ELSE NULL END, '9999-12-31', \
             (g.x % 97 + 1) * 100000, CASE WHEN g.x % 10 < 3 THEN (g.x % 97 + 1) * 100000 ELSE (g.x % 13) * 10000 END, \
             'bench', NULL, 1, '{}', 0, 0";
        let cols = "INSERT INTO cases (court_id, case_type, year, seq, number, status, closure_mode, officer_id, filed_on, \
             closed_on, next_due, total_due, paid, basis_doc, resumed_from, version, state, created_at, updated_at) ";
        let sql = match self.backend() {
            crate::Backend::Sqlite => format!(
                "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < {n}) {cols} {} FROM g JOIN bench_basic b ON b.n = g.x % {nb}",
                select
                    .replace("FILED", "date('2024-12-01', '+' || ((g.x * 7919) % 700) || ' days')")
                    .replace("CLOSED", "date('2024-12-01', '+' || ((g.x * 7919) % 700 + (g.x * 31) % 240) || ' days')"),
                nb = nb.0
            ),
            crate::Backend::Postgres => format!(
                "{cols} {} FROM generate_series(1::bigint, {n}::bigint) AS g(x) JOIN bench_basic b ON b.n = g.x % {nb}",
                select
                    .replace("FILED", "to_char(DATE '2024-12-01' + ((g.x * 7919) % 700)::int, 'YYYY-MM-DD')")
                    .replace("CLOSED", "to_char(DATE '2024-12-01' + ((g.x * 7919) % 700 + (g.x * 31) % 240)::int, 'YYYY-MM-DD')"),
                nb = nb.0
            ),
        };
        on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(tx, c => sqlx::query("DROP TABLE bench_basic").execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await
    }

    /// Builds the rollups of the bulk-loaded cases (the columns this bench compares) with
    /// GROUP BY: the cases have no event history to fold (benchmarks only).
    pub async fn bench_build_rollups(&self) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.clear_rollups().await?;
        let filed = "INSERT INTO indicator_rollups (court_id, scope, month, case_type, filed, filed_closed) \
             SELECT court_id, 'self', substr(filed_on, 1, 7), case_type, COUNT(*), \
             CAST(SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END) AS BIGINT) FROM cases GROUP BY court_id, substr(filed_on, 1, 7), case_type";
        on_tx!(tx, c => sqlx::query(filed).execute(c).await.map(|r| r.rows_affected()))?;
        let closed = format!(
            "INSERT INTO indicator_rollups (court_id, scope, month, case_type, closed, fully_performed, zhongben, amount_due, amount_recovered) \
             SELECT court_id, 'self', substr(closed_on, 1, 7), case_type, {CLOSURE_SUMS} FROM cases WHERE status = 'closed' \
             GROUP BY court_id, substr(closed_on, 1, 7), case_type \
             ON CONFLICT (court_id, scope, month, case_type) DO UPDATE SET closed = excluded.closed, \
             fully_performed = excluded.fully_performed, zhongben = excluded.zhongben, amount_due = excluded.amount_due, \
             amount_recovered = excluded.amount_recovered"
        );
        on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(closed.clone())).execute(c).await.map(|r| r.rows_affected()))?;
        // Each court with itself and its ancestors, through the parent links (at most four).
        let subtree = "WITH RECURSIVE anc(court_id, anc_id) AS (SELECT id, id FROM courts \
             UNION ALL SELECT a.court_id, k.parent_id FROM anc a JOIN courts k ON k.id = a.anc_id WHERE k.parent_id IS NOT NULL) \
             INSERT INTO indicator_rollups (court_id, scope, month, case_type, filed, filed_closed, closed, fully_performed, zhongben, amount_due, amount_recovered) \
             SELECT a.anc_id, 'subtree', r.month, r.case_type, SUM(r.filed), SUM(r.filed_closed), SUM(r.closed), SUM(r.fully_performed), \
             SUM(r.zhongben), SUM(r.amount_due), SUM(r.amount_recovered) \
             FROM indicator_rollups r JOIN anc a ON a.court_id = r.court_id \
             WHERE r.scope = 'self' GROUP BY a.anc_id, r.month, r.case_type";
        on_tx!(tx, c => sqlx::query(subtree).execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await
    }

    /// The compared counters by a plain GROUP BY over the cases of a subtree: filings with
    /// `filed_on`, closures with `closed_on`, in `[from, to)` (dates).
    pub async fn bench_groupby(&self, path: &str, from: &str, to: &str) -> Result<BenchCounters> {
        let like = format!("{path}%");
        let filed: (i64,) = on_pool!(self, p => sqlx::query_as(
            "SELECT COUNT(*) FROM cases c JOIN courts k ON k.id = c.court_id \
             WHERE k.path LIKE $1 AND c.filed_on >= $2 AND c.filed_on < $3")
            .bind(&like).bind(from).bind(to).fetch_one(p).await)?;
        let sql = format!(
            "SELECT {CLOSURE_SUMS} FROM cases c JOIN courts k ON k.id = c.court_id \
             WHERE k.path LIKE $1 AND c.closed_on >= $2 AND c.closed_on < $3"
        );
        let r: (i64, i64, i64, i64, i64) = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(&like).bind(from).bind(to).fetch_one(p).await)?;
        Ok(BenchCounters {
            filed: filed.0,
            closed: r.0,
            fully_performed: r.1,
            zhongben: r.2,
            amount_due: r.3,
            amount_recovered: r.4,
        })
    }

    /// Ids of `n` bulk-loaded cases, for the maintenance-cost figure.
    pub async fn bench_case_ids(&self, n: i64) -> Result<Vec<(i64, String)>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, (i64, String)>(
            "SELECT c.id, k.path FROM cases c JOIN courts k ON k.id = c.court_id ORDER BY c.id LIMIT $1")
            .bind(n).fetch_all(p).await)?)
    }
}

impl Tx {
    /// The plain write of a case change without its rollups: the baseline of the
    /// maintenance-cost figure.
    pub async fn bench_touch_case(&mut self, id: i64, at_us: i64) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE cases SET updated_at = $1, version = version + 1 WHERE id = $2")
            .bind(at_us).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}
