//! Recordings (音视频记录): body-camera video and hotline audio on a case or a complaint. The
//! bytes live in a file under the recordings directory (named by `storage_key`); the row keeps
//! what the upload measured: size, SHA-256 and the type told by the first bytes.

use sqlx::FromRow;

use crate::{Result, Store, Tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct RecordingRow {
    pub id: i64,
    pub case_id: i64,
    pub complaint_id: Option<i64>,
    pub court_id: String,
    pub kind: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// The file's name in the recordings directory; never shown.
    #[serde(skip)]
    pub storage_key: String,
    pub uploaded_by: i64,
    pub uploaded_at: i64,
}

const COLS: &str = "id, case_id, complaint_id, court_id, kind, name, content_type, size, sha256, storage_key, uploaded_by, uploaded_at";

pub struct NewRecording<'a> {
    pub case_id: i64,
    pub complaint_id: Option<i64>,
    pub court_id: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub storage_key: &'a str,
    pub uploaded_by: i64,
    pub at_us: i64,
}

impl Tx {
    pub async fn insert_recording(&mut self, n: &NewRecording<'_>) -> Result<i64> {
        let sql = "INSERT INTO recordings (case_id, complaint_id, court_id, kind, name, content_type, size, sha256, storage_key, uploaded_by, uploaded_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(n.case_id).bind(n.complaint_id).bind(n.court_id).bind(n.kind).bind(n.name).bind(n.content_type)
            .bind(n.size).bind(n.sha256).bind(n.storage_key).bind(n.uploaded_by).bind(n.at_us)
            .fetch_one(c).await)?;
        Ok(id.0)
    }
}

impl Store {
    pub async fn recording(&self, id: i64) -> Result<Option<RecordingRow>> {
        let sql = format!("SELECT {COLS} FROM recordings WHERE id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, RecordingRow>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    /// A case's recordings, its complaints' included, oldest first.
    pub async fn recordings_of_case(&self, case_id: i64) -> Result<Vec<RecordingRow>> {
        let sql = format!("SELECT {COLS} FROM recordings WHERE case_id = $1 ORDER BY id");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, RecordingRow>(sqlx::AssertSqlSafe(sql.clone())).bind(case_id).fetch_all(p).await)?,
        )
    }

    pub async fn recordings_of_complaint(&self, complaint_id: i64) -> Result<Vec<RecordingRow>> {
        let sql = format!("SELECT {COLS} FROM recordings WHERE complaint_id = $1 ORDER BY id");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, RecordingRow>(sqlx::AssertSqlSafe(sql.clone())).bind(complaint_id).fetch_all(p).await)?,
        )
    }
}
