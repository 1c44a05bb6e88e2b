//! Traditional investigations (传统查控) and their evidence files, bytes included.

use sqlx::FromRow;

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow)]
pub struct FieldInvestigationRow {
    pub id: i64,
    pub case_id: i64,
    pub court_id: String,
    pub method: String,
    pub on_date: String,
    /// Empty where the method needs no place.
    pub place: String,
    pub findings: String,
    pub recorded_by: i64,
    pub recorded_at: i64,
}

/// An attachment without its bytes.
#[derive(Debug, Clone, FromRow)]
pub struct AttachmentMeta {
    pub id: i64,
    pub investigation_id: i64,
    pub case_id: i64,
    pub court_id: String,
    pub no: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

const META_COLS: &str =
    "id, investigation_id, case_id, court_id, no, name, content_type, size, sha256";

pub struct NewFieldInvestigation<'a> {
    pub case_id: i64,
    pub court_id: &'a str,
    pub method: &'a str,
    pub on_date: &'a str,
    pub place: &'a str,
    pub findings: &'a str,
    pub recorded_by: i64,
    pub at_us: i64,
}

pub struct NewAttachment<'a> {
    pub investigation_id: i64,
    pub case_id: i64,
    pub court_id: &'a str,
    pub no: i64,
    pub name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
}

impl Tx {
    pub async fn insert_field_investigation(
        &mut self,
        n: &NewFieldInvestigation<'_>,
    ) -> Result<i64> {
        let sql = "INSERT INTO field_investigations (case_id, court_id, method, on_date, place, findings, recorded_by, recorded_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(n.case_id).bind(n.court_id).bind(n.method).bind(n.on_date).bind(n.place).bind(n.findings)
            .bind(n.recorded_by).bind(n.at_us)
            .fetch_one(c).await)?;
        Ok(id.0)
    }

    pub async fn insert_field_attachment(&mut self, a: &NewAttachment<'_>) -> Result<i64> {
        let size = i64::try_from(a.content.len()).unwrap_or(i64::MAX);
        let sql = "INSERT INTO field_attachments (investigation_id, case_id, court_id, no, name, content_type, size, sha256, content) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(a.investigation_id).bind(a.case_id).bind(a.court_id).bind(a.no).bind(a.name).bind(a.content_type)
            .bind(size).bind(a.sha256).bind(a.content)
            .fetch_one(c).await)?;
        Ok(id.0)
    }
}

impl Store {
    /// A case's traditional investigations, oldest first.
    pub async fn field_investigations_of(
        &self,
        case_id: i64,
    ) -> Result<Vec<FieldInvestigationRow>> {
        let sql = "SELECT id, case_id, court_id, method, on_date, place, findings, recorded_by, recorded_at \
                   FROM field_investigations WHERE case_id = $1 ORDER BY id";
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, FieldInvestigationRow>(sql).bind(case_id).fetch_all(p).await)?,
        )
    }

    /// The attachments of a case's traditional investigations, without their bytes.
    pub async fn field_attachments_of(&self, case_id: i64) -> Result<Vec<AttachmentMeta>> {
        let sql = format!(
            "SELECT {META_COLS} FROM field_attachments WHERE case_id = $1 ORDER BY investigation_id, no"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AttachmentMeta>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(p).await)?,
        )
    }

    pub async fn field_attachment(&self, id: i64) -> Result<Option<AttachmentMeta>> {
        let sql = format!("SELECT {META_COLS} FROM field_attachments WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, AttachmentMeta>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    /// The bytes of an attachment.
    pub async fn field_attachment_content(&self, id: i64) -> Result<Option<Vec<u8>>> {
        let r: Option<(Vec<u8>,)> = on_pool!(self, p => sqlx::query_as("SELECT content FROM field_attachments WHERE id = $1")
            .bind(id).fetch_optional(p).await)?;
        Ok(r.map(|r| r.0))
    }
}
