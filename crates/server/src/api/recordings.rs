//! Recordings over HTTP: the raw body of an upload streamed to disk, metadata, and playback
//! with single HTTP range requests (RFC 9110 §14), every playback audited.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use utoipa::IntoParams;

use super::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use zhixing_app::AppError;
use zhixing_app::oversight::recordings::{self as svc, RecordingCommand, RecordingView, Target};
use zhixing_app::state::App;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadParams {
    /// body_camera (执法记录仪视频), hotline (热线录音) or other.
    #[param(inline, value_type = crate::openapi::vocab::RecordingKind)]
    pub kind: String,
    /// The file's name, for display.
    pub name: Option<String>,
}

fn declared_len(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

async fn upload(
    app: &App,
    ctx: &Ctx,
    target: Target,
    q: &UploadParams,
    headers: &HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<RecordingView>), ApiError> {
    let cmd = RecordingCommand::Upload {
        target,
        kind: q.kind.clone(),
        name: q.name.clone(),
        declared_len: declared_len(headers),
        body: body.into_data_stream(),
    };
    let v = svc::execute(app, &ctx.principal, cmd).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Uploads a recording to a case: the raw bytes as the body (any Content-Type; the type is
/// judged by the content), streamed to disk with its SHA-256.
#[utoipa::path(post, path = "/api/v1/cases/{id}/recordings", params(("id" = i64, Path), UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = crate::openapi::doc::RecordingView), (status = 404, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 415, body = crate::error::Problem)))]
pub async fn upload_to_case(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<UploadParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<RecordingView>), ApiError> {
    upload(&app, &ctx, Target::Case(id), &q, &headers, body).await
}

/// Uploads a recording to a complaint (a hotline call, say), as for a case.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/recordings", params(("id" = i64, Path), UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = crate::openapi::doc::RecordingView), (status = 404, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 415, body = crate::error::Problem)))]
pub async fn upload_to_complaint(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<UploadParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<RecordingView>), ApiError> {
    upload(&app, &ctx, Target::Complaint(id), &q, &headers, body).await
}

/// A case's recordings, its complaints' included.
#[utoipa::path(get, path = "/api/v1/cases/{id}/recordings", params(("id" = i64, Path)),
    responses((status = 200, body = [crate::openapi::doc::RecordingView]), (status = 404, body = crate::error::Problem)))]
pub async fn of_case(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<RecordingView>>, ApiError> {
    Ok(Json(svc::of_case(&app, &ctx.principal, id).await?))
}

/// A recording's metadata.
#[utoipa::path(get, path = "/api/v1/recordings/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = crate::openapi::doc::RecordingView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<RecordingView>, ApiError> {
    Ok(Json(RecordingView::from(
        svc::show(&app, &ctx.principal, id).await?,
    )))
}

/// What a Range header asks of a file of `len` bytes.
enum Wanted {
    All,
    Part(u64, u64),
    Unsatisfiable(&'static str),
}

fn wanted(headers: &HeaderMap, len: u64) -> Wanted {
    use http_range_header::RangeUnsatisfiableError as E;
    let Some(raw) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Wanted::All;
    };
    match http_range_header::parse_range_header(raw).and_then(|r| r.validate(len)) {
        Ok(ranges) => match ranges.as_slice() {
            [one] => Wanted::Part(*one.start(), *one.end()),
            // Only an empty file validates to no range; it is played whole.
            [] => Wanted::All,
            _ => Wanted::Unsatisfiable("one range at a time: multipart ranges are not served"),
        },
        // A Range header that does not parse is ignored (RFC 9110 §14.2).
        Err(E::Invalid(_)) => Wanted::All,
        Err(E::Rejected(_)) => Wanted::Unsatisfiable("the ranges overlap or are too many"),
        Err(_) => Wanted::Unsatisfiable("the range lies past the end of the recording"),
    }
}

fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

/// Plays a recording: the whole file, or the single byte range asked for (206 with
/// `Content-Range`); a range past the end is 416 with `Content-Range: bytes */LEN`. Readable by
/// whoever may read its case (404 otherwise); every playback is an audited event naming the
/// range.
#[utoipa::path(get, path = "/api/v1/recordings/{id}/content", params(("id" = i64, Path)),
    responses((status = 200, description = "the whole recording"), (status = 206, description = "the range asked for"),
        (status = 404, body = crate::error::Problem), (status = 416, body = crate::error::Problem)))]
pub async fn content(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let row = svc::show(&app, &ctx.principal, id).await?;
    let (mut file, len) = svc::open(&app, &row).await?;
    let (status, start, end) = match wanted(&headers, len) {
        Wanted::All => (StatusCode::OK, 0, len.saturating_sub(1)),
        Wanted::Part(a, b) => (StatusCode::PARTIAL_CONTENT, a, b),
        Wanted::Unsatisfiable(why) => {
            let mut r = ApiError::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "range_not_satisfiable",
                why,
            )
            .into_response();
            r.headers_mut().insert(
                header::CONTENT_RANGE,
                header_value(&format!("bytes */{len}")),
            );
            r.headers_mut()
                .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            return Ok(r);
        }
    };
    let count = if len == 0 { 0 } else { end - start + 1 };
    let range = format!("bytes {start}-{end}/{len}");
    // A HEAD request reads nothing, so it is not a playback.
    if method != Method::HEAD {
        svc::record_playback(&app, &ctx.principal, &row, &range, count).await?;
    }
    file.seek(std::io::SeekFrom::Start(start))
        .await
        .map_err(|e| AppError::internal(format_args!("recording {id}: seek to {start}: {e}")))?;
    let stream = tokio_util::io::ReaderStream::new(file.take(count));
    let mut resp = Response::new(Body::from_stream(stream));
    *resp.status_mut() = status;
    let h = resp.headers_mut();
    crate::multipart::evidence_headers(h, &row.content_type, &row.sha256);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if status == StatusCode::PARTIAL_CONTENT {
        h.insert(header::CONTENT_RANGE, header_value(&range));
    }
    Ok(resp)
}

/// Whether a request is a recording upload, which gets its own, longer timeout.
fn is_upload(req: &Request) -> bool {
    let p = req.uri().path();
    // The case page's upload form (`/cases/{id}/recordings`) streams the same command.
    req.method() == Method::POST
        && (p.starts_with("/api/v1/") || p.starts_with("/cases/"))
        && p.ends_with("/recordings")
}

/// The request timeout of the whole application: `request_timeout`, except for recording
/// uploads, which stream hours of video and get `recording_upload_timeout`. Answers 408 as the
/// general timeout layer did.
pub async fn timeout(
    State(limits): State<(Duration, Duration)>,
    req: Request,
    next: Next,
) -> Response {
    let limit = if is_upload(&req) { limits.1 } else { limits.0 };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}
