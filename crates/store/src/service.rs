//! Service of documents (送达): the proofs uploaded with a service, the sealed addresses
//! parties give for notices of electronic service, and the outbox of those notices.

use sqlx::FromRow;

use crate::{Result, Store, Tx, on_pool, on_tx};

/// A proof of service without its bytes.
#[derive(Debug, Clone, FromRow)]
pub struct ProofMeta {
    pub id: i64,
    pub case_id: i64,
    pub court_id: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

pub struct NewProof<'a> {
    pub case_id: i64,
    pub court_id: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub at_us: i64,
    pub by: &'a str,
}

/// A notice of electronic service waiting to be sent, or sent.
#[derive(Debug, Clone, FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub case_id: i64,
    pub party_no: i64,
    pub document_id: i64,
    pub channel: String,
    pub address_cipher: String,
    pub body: String,
    pub status: String,
    pub attempts: i64,
}

pub struct NewNotice<'a> {
    pub case_id: i64,
    pub party_no: i64,
    pub document_id: i64,
    pub channel: &'a str,
    pub address_cipher: &'a str,
    pub body: &'a str,
    pub at_us: i64,
}

impl Tx {
    pub async fn insert_service_proof(&mut self, p: &NewProof<'_>) -> Result<i64> {
        let size = i64::try_from(p.content.len()).unwrap_or(i64::MAX);
        let sql = "INSERT INTO service_proofs (case_id, court_id, name, content_type, size, sha256, content, at_us, by_actor) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(p.case_id).bind(p.court_id).bind(p.name).bind(p.content_type).bind(size)
            .bind(p.sha256).bind(p.content).bind(p.at_us).bind(p.by)
            .fetch_one(c).await)?;
        Ok(id.0)
    }

    /// Sets (or replaces) the sealed address a party gave for notices; `None` forgets it.
    pub async fn put_service_contact(
        &mut self,
        case_id: i64,
        party_no: i64,
        contact: Option<(&str, &str)>,
        at_us: i64,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query("DELETE FROM service_contacts WHERE case_id = $1 AND party_no = $2")
            .bind(case_id).bind(party_no).execute(c).await.map(|r| r.rows_affected()))?;
        if let Some((channel, cipher)) = contact {
            on_tx!(self, c => sqlx::query("INSERT INTO service_contacts (case_id, party_no, channel, address_cipher, at_us) VALUES ($1, $2, $3, $4, $5)")
                .bind(case_id).bind(party_no).bind(channel).bind(cipher).bind(at_us).execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }

    /// The sealed address of a party for notices: (channel, cipher).
    pub async fn service_contact_tx(
        &mut self,
        case_id: i64,
        party_no: i64,
    ) -> Result<Option<(String, String)>> {
        Ok(on_tx!(self, c => sqlx::query_as::<_, (String, String)>(
            "SELECT channel, address_cipher FROM service_contacts WHERE case_id = $1 AND party_no = $2")
            .bind(case_id).bind(party_no).fetch_optional(c).await)?)
    }

    pub async fn insert_service_notice(&mut self, n: &NewNotice<'_>) -> Result<i64> {
        let sql = "INSERT INTO service_notices (case_id, party_no, document_id, channel, address_cipher, body, next_at_us, created_us) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(n.case_id).bind(n.party_no).bind(n.document_id).bind(n.channel).bind(n.address_cipher)
            .bind(n.body).bind(n.at_us)
            .fetch_one(c).await)?;
        Ok(id.0)
    }
}

impl Store {
    pub async fn service_proof(&self, id: i64) -> Result<Option<ProofMeta>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, ProofMeta>(
            "SELECT id, case_id, court_id, name, content_type, size, sha256 FROM service_proofs WHERE id = $1")
            .bind(id).fetch_optional(p).await)?)
    }

    pub async fn service_proof_content(&self, id: i64) -> Result<Option<Vec<u8>>> {
        let r: Option<(Vec<u8>,)> = on_pool!(self, p => sqlx::query_as("SELECT content FROM service_proofs WHERE id = $1")
            .bind(id).fetch_optional(p).await)?;
        Ok(r.map(|r| r.0))
    }

    /// Notices due for sending at `now_us`, oldest first, at most `limit`.
    pub async fn due_service_notices(&self, now_us: i64, limit: i64) -> Result<Vec<NoticeRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, NoticeRow>(
            "SELECT id, case_id, party_no, document_id, channel, address_cipher, body, status, attempts \
             FROM service_notices WHERE status = 'pending' AND next_at_us <= $1 ORDER BY next_at_us, id LIMIT $2")
            .bind(now_us).bind(limit).fetch_all(p).await)?)
    }

    /// A case's notices, newest first (what the officer and the tests see of the outbox).
    pub async fn service_notices_of(&self, case_id: i64) -> Result<Vec<NoticeRow>> {
        Ok(on_pool!(self, p => sqlx::query_as::<_, NoticeRow>(
            "SELECT id, case_id, party_no, document_id, channel, address_cipher, body, status, attempts \
             FROM service_notices WHERE case_id = $1 ORDER BY id DESC")
            .bind(case_id).fetch_all(p).await)?)
    }

    /// Marks a notice sent, or schedules another attempt (or gives up after `max_attempts`).
    pub async fn finish_service_notice(
        &self,
        id: i64,
        outcome: std::result::Result<(), &str>,
        now_us: i64,
        retry_at_us: i64,
        max_attempts: i64,
    ) -> Result<()> {
        match outcome {
            Ok(()) => {
                on_pool!(self, p => sqlx::query("UPDATE service_notices SET status = 'sent', attempts = attempts + 1, sent_us = $2, last_error = NULL WHERE id = $1 AND status = 'pending'")
                    .bind(id).bind(now_us).execute(p).await.map(|r| r.rows_affected()))?;
            }
            Err(e) => {
                on_pool!(self, p => sqlx::query("UPDATE service_notices SET attempts = attempts + 1, next_at_us = $2, last_error = $3, \
                     status = CASE WHEN attempts + 1 >= $4 THEN 'failed' ELSE 'pending' END WHERE id = $1 AND status = 'pending'")
                    .bind(id).bind(retry_at_us).bind(e).bind(max_attempts).execute(p).await.map(|r| r.rows_affected()))?;
            }
        }
        Ok(())
    }
}

/// A recipient of a document still unserved, as the watch worker reads it.
#[derive(Debug, Clone, FromRow)]
pub struct UnservedRow {
    pub case_id: i64,
    pub document_id: i64,
    pub party_no: i64,
    pub court_id: String,
    pub title: String,
    pub party_name: String,
    pub issued_on: String,
    pub due_on: String,
}

impl Tx {
    pub async fn insert_unserved(&mut self, r: &UnservedRow) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "INSERT INTO unserved_documents (case_id, document_id, party_no, court_id, title, party_name, issued_on, due_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING")
            .bind(r.case_id).bind(r.document_id).bind(r.party_no).bind(&r.court_id).bind(&r.title)
            .bind(&r.party_name).bind(&r.issued_on).bind(&r.due_on)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn remove_unserved(
        &mut self,
        case_id: i64,
        document_id: i64,
        party_no: i64,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "DELETE FROM unserved_documents WHERE case_id = $1 AND document_id = $2 AND party_no = $3")
            .bind(case_id).bind(document_id).bind(party_no)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Tx {
    /// At most `limit` recipients whose document is still unserved after its due day
    /// (`due_on < today`) and who were not alerted yet, earliest due first.
    pub async fn unserved_to_alert(&mut self, today: &str, limit: i64) -> Result<Vec<UnservedRow>> {
        Ok(on_tx!(self, c => sqlx::query_as::<_, UnservedRow>(
            "SELECT case_id, document_id, party_no, court_id, title, party_name, issued_on, due_on \
             FROM unserved_documents WHERE due_on < $1 AND alerted_at IS NULL \
             ORDER BY due_on, case_id, document_id, party_no LIMIT $2")
            .bind(today).bind(limit).fetch_all(c).await)?)
    }

    /// Notes that the alert on this recipient's unserved document was raised.
    pub async fn mark_unserved_alerted(
        &mut self,
        case_id: i64,
        document_id: i64,
        party_no: i64,
        at_us: i64,
    ) -> Result<()> {
        on_tx!(self, c => sqlx::query(
            "UPDATE unserved_documents SET alerted_at = $1 WHERE case_id = $2 AND document_id = $3 AND party_no = $4")
            .bind(at_us).bind(case_id).bind(document_id).bind(party_no)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}
