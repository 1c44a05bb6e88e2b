//! Traditional investigation (传统查控) over HTTP: records sent as multipart/form-data with
//! their evidence files, the list of a case's records, and the files themselves.

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::Response;
use utoipa::ToSchema;

use super::Ctx;
use crate::error::{ApiError, Json, Path};
use zhixing_app::case::{self as svc};
use zhixing_app::control::field::{self, FieldCommand, FieldInvestigationView, Recorded};
use zhixing_app::state::App;

// Shared with the entrusted tasks' document uploads.
use crate::multipart::read_form;
use crate::multipart::{download, rejection};

/// The form, as OpenAPI describes it; the handler reads the parts one by one.
#[derive(ToSchema)]
#[allow(dead_code)] // a description for the OpenAPI document, never built
pub struct FieldInvestigationForm {
    /// field_visit (实地调查), search (搜查), reward_notice (悬赏公告) or audit (审计).
    method: String,
    /// The day it was made, YYYY-MM-DD: not in the future, not before the filing.
    on: String,
    /// Where: required for a field visit and a search.
    place: Option<String>,
    /// What was found, 1–4,000 characters.
    findings: String,
    /// The case's version, to refuse the record if the case changed meanwhile.
    version: Option<i64>,
    /// 0–5 files of at most 10 MiB each: PDF, JPEG, PNG or MP4, judged by their content.
    #[schema(value_type = Vec<String>, format = Binary)]
    attachment: Vec<Vec<u8>>,
}

/// Records a traditional investigation (field visit, search, reward notice, audit) with its
/// evidence files: the case event the 终本 checklist counts, the record and the files, in one
/// transaction.
#[utoipa::path(post, path = "/api/v1/cases/{id}/field-investigations", params(("id" = i64, Path)),
    request_body(content = FieldInvestigationForm, content_type = "multipart/form-data"),
    responses((status = 201, body = crate::openapi::doc::Recorded), (status = 409, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 415, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn record(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Recorded>), ApiError> {
    // Who may record is settled before the upload is read: a stranger's files are never buffered.
    svc::may_act(
        &app,
        &ctx.principal,
        id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await?;
    let input = read_form(mp.map_err(rejection)?).await?;
    let recorded = field::execute(
        &app,
        &ctx.principal,
        FieldCommand::Record { case_id: id, input },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(recorded)))
}

/// A case's traditional investigations with their files' metadata, oldest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/field-investigations", params(("id" = i64, Path)),
    responses((status = 200, body = [crate::openapi::doc::FieldInvestigationView]), (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<FieldInvestigationView>>, ApiError> {
    Ok(Json(field::list(&app, &ctx.principal, id).await?))
}

/// An evidence file, with its stored type, as a download. Readable by whoever may read its
/// case (404 otherwise); every read is recorded on the audit chain.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", description = "the file, with its stored type and X-Content-SHA256"),
        (status = 404, body = crate::error::Problem)))]
pub async fn attachment(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (meta, bytes) = field::download(&app, &ctx.principal, id).await?;
    Ok(download(
        bytes,
        &meta.name,
        &meta.content_type,
        &meta.sha256,
    ))
}
