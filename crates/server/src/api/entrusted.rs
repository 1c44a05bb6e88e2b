//! Entrusted tasks between courts (事项委托) over HTTP: the request on a case, the case's list,
//! a court's inbox and outbox, acceptance, decline, the result with its documents
//! (multipart/form-data) and the documents themselves.

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use zhixing_domain::field::{MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS};
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};

use super::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use crate::multipart::{download, multipart_error, rejection};
use zhixing_app::control::field::{self as fs, Upload};
use zhixing_app::oversight::entrusted::{self as en, EntrustedCommand, RequestInput, TaskView};
use zhixing_app::state::App;

/// The body limit of the result route: every document at its largest, plus the text.
pub const MAX_BODY: usize = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 1024 * 1024;

/// At most this many bytes in the result text.
const MAX_TEXT_BYTES: usize = 64 * 1024;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestIn {
    /// The court asked to act: any other court in the country.
    pub to_court: String,
    /// freeze (冻结), renew (续冻), deduct (扣划), seal (查封), investigate (调查) or serve (送达).
    #[schema(inline, value_type = crate::openapi::vocab::EntrustedAct)]
    pub act: String,
    /// What to act on (account, property, person to serve), 1–4,000 characters.
    pub target: String,
    /// Anything else the receiving court needs.
    #[serde(default)]
    pub instructions: String,
}

/// Entrusts one act on a case to another court; the last day comes from the rule book.
#[utoipa::path(post, path = "/api/v1/cases/{id}/entrusted-tasks", params(("id" = i64, Path)), request_body = RequestIn,
    responses((status = 201, body = crate::openapi::doc::TaskView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn request(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<RequestIn>,
) -> Result<(StatusCode, Json<TaskView>), ApiError> {
    let cmd = EntrustedCommand::Request {
        case_id: id,
        input: RequestInput {
            to_court: b.to_court,
            act: b.act,
            target: b.target,
            instructions: b.instructions,
        },
    };
    let v = en::execute(&app, &ctx.principal, cmd).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The tasks entrusted for a case, with their status and results.
#[utoipa::path(get, path = "/api/v1/cases/{id}/entrusted-tasks", params(("id" = i64, Path)),
    responses((status = 200, body = [crate::openapi::doc::TaskView]), (status = 404, body = crate::error::Problem)))]
pub async fn of_case(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<TaskView>>, ApiError> {
    Ok(Json(en::of_case(&app, &ctx.principal, id).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// The court; default the caller's own.
    #[param(inline, value_type = Option<crate::openapi::vocab::CourtId>)]
    pub court: Option<String>,
    /// received (the inbox, default) or sent.
    #[param(inline, value_type = Option<crate::openapi::vocab::EntrustedDirection>)]
    pub direction: Option<String>,
}

/// A court's entrusted tasks, received or sent, newest first.
#[utoipa::path(get, path = "/api/v1/entrusted-tasks", params(ListParams),
    responses((status = 200, body = [crate::openapi::doc::TaskView]), (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<ListParams>,
) -> Result<Json<Vec<TaskView>>, ApiError> {
    let sent = match q.direction.as_deref().unwrap_or("received") {
        "sent" => true,
        "received" => false,
        other => {
            return Err(ApiError::bad_request(
                "invalid_direction",
                format!("direction {other:?}: received or sent"),
            ));
        }
    };
    let court = q.court.unwrap_or_else(|| ctx.principal.court_id.clone());
    Ok(Json(en::list(&app, &ctx.principal, &court, sent).await?))
}

/// One entrusted task.
#[utoipa::path(get, path = "/api/v1/entrusted-tasks/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = crate::openapi::doc::TaskView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<TaskView>, ApiError> {
    Ok(Json(en::show(&app, &ctx.principal, id).await?))
}

/// The receiving court accepts the task.
#[utoipa::path(post, path = "/api/v1/entrusted-tasks/{id}/acceptance", params(("id" = i64, Path)),
    responses((status = 200, body = crate::openapi::doc::TaskView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn accept(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<TaskView>, ApiError> {
    let cmd = EntrustedCommand::Accept { id };
    Ok(Json(en::execute(&app, &ctx.principal, cmd).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineIn {
    /// Why the court does not do it, 1–4,000 characters.
    #[schema(min_length = 1)]
    pub reason: String,
}

/// The receiving court declines the task, with its reason.
#[utoipa::path(post, path = "/api/v1/entrusted-tasks/{id}/decline", params(("id" = i64, Path)), request_body = DeclineIn,
    responses((status = 200, body = crate::openapi::doc::TaskView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn decline(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<DeclineIn>,
) -> Result<Json<TaskView>, ApiError> {
    let cmd = EntrustedCommand::Decline {
        id,
        reason: b.reason,
    };
    Ok(Json(en::execute(&app, &ctx.principal, cmd).await?))
}

/// The result form, as OpenAPI describes it; the handler reads the parts one by one.
#[derive(ToSchema)]
#[allow(dead_code)] // a description for the OpenAPI document, never built
pub struct ResultForm {
    /// What was done, 1–4,000 characters.
    result: String,
    /// 1–5 files of at most 10 MiB each: PDF, JPEG, PNG or MP4, judged by their content.
    #[schema(value_type = Vec<String>, format = Binary)]
    document: Vec<Vec<u8>>,
}

/// A part of the result form refused under a code the field records' form shares; the words
/// come from the reason.
fn form_refused(code: &'static str, reason: Reason) -> ApiError {
    Refusal::of_reasons(code, RefusalKind::Invalid, vec![reason]).into()
}

/// Reads the result form; a document is refused as soon as it is too large or one too many.
async fn read_form(mut mp: Multipart) -> Result<(String, Vec<Upload>), ApiError> {
    let mut result: Option<String> = None;
    let mut docs: Vec<Upload> = Vec::new();
    while let Some(mut f) = mp.next_field().await.map_err(|e| multipart_error(&e))? {
        let name = f.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "document" => {
                let file_name = f.file_name().unwrap_or_default().to_owned();
                let no = docs.len() + 1;
                fs::check_count(no)?;
                let mut bytes = Vec::new();
                while let Some(chunk) = f.chunk().await.map_err(|e| multipart_error(&e))? {
                    fs::check_size(no, &file_name, bytes.len() + chunk.len())?;
                    bytes.extend_from_slice(&chunk);
                }
                docs.push(Upload {
                    name: file_name,
                    bytes,
                });
            }
            "result" => {
                if result.is_some() {
                    return Err(form_refused(
                        "duplicate_field",
                        Reason::new("entrusted_field_duplicate").with("field", "result"),
                    ));
                }
                let mut bytes = Vec::new();
                while let Some(chunk) = f.chunk().await.map_err(|e| multipart_error(&e))? {
                    if bytes.len() + chunk.len() > MAX_TEXT_BYTES {
                        return Err(form_refused(
                            "field_too_long",
                            Reason::new("entrusted_field_too_long")
                                .with("field", "result")
                                .with("max", MAX_TEXT_BYTES),
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                result = Some(String::from_utf8(bytes).map_err(|_| {
                    form_refused(
                        "invalid_field",
                        Reason::new("entrusted_field_not_text").with("field", "result"),
                    )
                })?);
            }
            other => {
                return Err(form_refused(
                    "unknown_field",
                    Reason::new("entrusted_field_unknown").with("field", other),
                ));
            }
        }
    }
    Ok((result.unwrap_or_default(), docs))
}

/// The receiving court returns the result with its documents (multipart/form-data).
#[utoipa::path(post, path = "/api/v1/entrusted-tasks/{id}/result", params(("id" = i64, Path)),
    request_body(content = ResultForm, content_type = "multipart/form-data"),
    responses((status = 200, body = crate::openapi::doc::TaskView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 413, body = crate::error::Problem),
        (status = 415, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn result(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<Json<TaskView>, ApiError> {
    // Who may return the result is settled before the upload is read: a stranger's files
    // are never buffered.
    en::for_receiver(&app, &ctx.principal, id).await?;
    let (result, uploads) = read_form(mp.map_err(rejection)?).await?;
    let cmd = EntrustedCommand::Complete {
        id,
        result,
        uploads,
    };
    Ok(Json(en::execute(&app, &ctx.principal, cmd).await?))
}

/// A document returned with a task's result, as a download (audited).
#[utoipa::path(get, path = "/api/v1/entrusted-tasks/{id}/documents/{no}", params(("id" = i64, Path), ("no" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", description = "the document, with its stored type and X-Content-SHA256"),
        (status = 404, body = crate::error::Problem)))]
pub async fn document(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (meta, bytes) = en::document(&app, &ctx.principal, id, no).await?;
    Ok(download(
        bytes,
        &meta.name,
        &meta.content_type,
        &meta.sha256,
    ))
}
