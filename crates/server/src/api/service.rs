//! Service of documents (送达) over HTTP: the officer's list of a case's documents with their
//! service per recipient, a service recorded with its proof (multipart/form-data), a failed
//! attempt, the proof file back; and the party's side on the public API — consent to
//! electronic service and opening a served document — by case number and access code.

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;
use utoipa::ToSchema;

use super::Ctx;
use crate::error::{ApiError, Json, Path};
use crate::multipart::{download, read_parts, rejection};
use zhixing_app::AppError;
use zhixing_app::case::service::{self as svc, DocumentService, ServiceCommand, ServiceDone};
use zhixing_app::portal::inbox::{self, ContactInput};
use zhixing_app::portal::{PartyDocument, PublicConsent};
use zhixing_app::state::App;
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};

/// The service form, as OpenAPI describes it; the handler reads the parts one by one.
#[derive(ToSchema)]
#[allow(dead_code)] // a description for the OpenAPI document, never built
pub struct ServiceForm {
    /// The document served (its id in the case's documents).
    document_id: i64,
    /// The recipient, by party number.
    party_no: i64,
    /// direct (直接送达), left_at_domicile (留置送达), electronic (电子送达: to the party's portal
    /// inbox now, with their consent), post (邮寄送达), announcement (公告送达: after a failed
    /// attempt is recorded).
    method: String,
    /// YYYY-MM-DD: the day the proof shows (signed, left, received); for an announcement the
    /// day it was published. Not for electronic service.
    on: Option<String>,
    /// A note, at most 2,000 characters.
    note: Option<String>,
    /// The case's version, to refuse the record if the case changed meanwhile.
    version: Option<i64>,
    /// The proof: the signed return, the record or photographs, the postal return, the
    /// announcement — PDF, JPEG, PNG or MP4 of at most 10 MiB. Required except for electronic
    /// service, whose receipt the system makes.
    #[schema(value_type = Option<String>, format = Binary)]
    proof: Option<Vec<u8>>,
}

fn invalid(code: &'static str, reason: &'static str, field: &str) -> AppError {
    AppError::from(Refusal::of_reasons(
        code,
        RefusalKind::Invalid,
        vec![Reason::new(reason).with("field", field)],
    ))
}

pub fn number<T: std::str::FromStr>(s: &str, field: &str) -> Result<T, AppError> {
    s.trim()
        .parse()
        .map_err(|_| invalid("invalid_field", "form_field_not_number", field))
}

/// A day typed in a form, or none when the field is empty.
pub fn day(s: &str) -> Result<Option<Date>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<Date>()
        .map(Some)
        .map_err(|_| invalid("invalid_date", "date_refused", "on"))
}

/// The service command a form's parts make (the case page posts the same form).
pub fn command_of(
    parts: crate::multipart::Parts,
) -> Result<(ServiceCommand, Option<i64>), AppError> {
    let version = parts.version()?;
    let cmd = ServiceCommand::Serve {
        document_id: number(&parts.text("document_id"), "document_id")?,
        party_no: number(&parts.text("party_no"), "party_no")?,
        method: svc::method(&parts.text("method"))?,
        on: day(&parts.text("on"))?,
        note: parts.text("note"),
        proof: {
            let mut files = parts.files;
            files.pop()
        },
    };
    Ok((cmd, version))
}

/// The fields of the service form.
pub const SERVICE_FIELDS: [&str; 6] =
    ["document_id", "party_no", "method", "on", "note", "version"];

/// Records the service of a document on one recipient with its proof, or sends it to the
/// party's portal inbox (electronic service, with their consent): the proof, the case event
/// and any notice to the party in one transaction.
#[utoipa::path(post, path = "/api/v1/cases/{id}/services", params(("id" = i64, Path)),
    request_body(content = ServiceForm, content_type = "multipart/form-data"),
    responses((status = 201, body = crate::openapi::doc::ServiceDone), (status = 409, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 415, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn record(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<ServiceDone>), ApiError> {
    // Who may record is settled before the upload is read.
    zhixing_app::case::may_act(
        &app,
        &ctx.principal,
        id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await?;
    let parts = read_parts(mp.map_err(rejection)?, &SERVICE_FIELDS, "proof", 1).await?;
    let (cmd, version) = command_of(parts)?;
    let done = svc::execute(&app, &ctx.principal, id, version, cmd).await?;
    Ok((StatusCode::CREATED, Json(done)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FailureIn {
    pub document_id: i64,
    pub party_no: u32,
    /// The method tried: direct, left_at_domicile, electronic or post.
    pub method: String,
    /// whereabouts_unknown (受送达人下落不明) or means_failed (其他方式无法送达).
    pub reason: String,
    /// What happened, 4–2,000 characters.
    pub note: String,
    pub version: Option<i64>,
}

/// Records an attempt to serve that did not reach the recipient: the record that opens
/// service by announcement.
#[utoipa::path(post, path = "/api/v1/cases/{id}/service-failures", params(("id" = i64, Path)),
    request_body = FailureIn,
    responses((status = 201, body = crate::openapi::doc::ServiceDone), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn failure(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(body): Json<FailureIn>,
) -> Result<(StatusCode, Json<ServiceDone>), ApiError> {
    let cmd = ServiceCommand::RecordFailure {
        document_id: body.document_id,
        party_no: body.party_no,
        method: svc::method(&body.method)?,
        reason: svc::failure_reason(&body.reason)?,
        note: body.note,
    };
    let done = svc::execute(&app, &ctx.principal, id, body.version, cmd).await?;
    Ok((StatusCode::CREATED, Json(done)))
}

/// A case's documents, each with its service on every recipient (method, day, proof, failed
/// attempts, opening) and the periods it set running.
#[utoipa::path(get, path = "/api/v1/cases/{id}/services", params(("id" = i64, Path)),
    responses((status = 200, body = [crate::openapi::doc::DocumentService]), (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<DocumentService>>, ApiError> {
    Ok(Json(svc::list(&app, &ctx.principal, id).await?))
}

/// A proof of service as a download (its stored type, X-Content-SHA256); every read is on the
/// audit chain.
#[utoipa::path(get, path = "/api/v1/service-proofs/{id}", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", description = "the file, with its stored type and X-Content-SHA256"),
        (status = 404, body = crate::error::Problem)))]
pub async fn proof(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (meta, bytes) = svc::proof(&app, &ctx.principal, id).await?;
    Ok(download(
        bytes,
        &meta.name,
        &meta.content_type,
        &meta.sha256,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentIn {
    pub case_number: String,
    pub code: String,
    /// true: consent to electronic service through the portal inbox; false: revoke it.
    pub consent: bool,
    /// Where to be told of a new document: sms or email (optional).
    pub channel: Option<String>,
    /// The mobile number or e-mail address for that.
    pub address: Option<String>,
}

/// A party consents to electronic service through their portal inbox (with an address for
/// notices if they wish), or revokes it. Answers the consent now in force, if any.
#[utoipa::path(post, path = "/public/v1/party-consent", request_body = ConsentIn, security(()),
    responses((status = 200, body = Option<crate::openapi::doc::PublicConsent>), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn consent(
    State(app): State<App>,
    Json(body): Json<ConsentIn>,
) -> Result<Json<Option<PublicConsent>>, ApiError> {
    let contact = ContactInput {
        channel: body.channel.unwrap_or_default(),
        address: body.address.unwrap_or_default(),
    };
    Ok(Json(
        inbox::consent(&app, &body.case_number, &body.code, body.consent, &contact).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyCodeIn {
    pub case_number: String,
    pub code: String,
}

/// A document served on the party, opened from their inbox: its text and SHA-256. The first
/// opening is recorded on the case.
#[utoipa::path(post, path = "/public/v1/party-documents/{id}", params(("id" = i64, Path)),
    request_body = PartyCodeIn, security(()),
    responses((status = 200, body = crate::openapi::doc::PartyDocument), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn open(
    State(app): State<App>,
    Path(id): Path<i64>,
    Json(body): Json<PartyCodeIn>,
) -> Result<Json<PartyDocument>, ApiError> {
    Ok(Json(
        inbox::open_document(&app, &body.case_number, &body.code, id).await?,
    ))
}
