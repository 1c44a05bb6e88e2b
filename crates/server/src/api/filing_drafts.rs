//! `POST /api/v1/filings/drafts`: a draft filing read from the enforcement basis — its text
//! (`text/plain`, UTF-8) or a PDF with a text layer (`application/pdf`). Nothing is kept; the
//! read is audited (`zhixing_app::case::draft`). A scan (a PDF without text), an empty, binary
//! or non-legal document is refused with its code.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use zhixing_app::AppError;
use zhixing_app::case::draft as svc;
use zhixing_app::state::App;
use zhixing_domain::filing_draft::Draft;

use super::Ctx;
use crate::error::{ApiError, Json};

/// The largest document accepted: a long judgment as a PDF with its fonts is a few MB.
pub const MAX_BODY: usize = 20 * 1024 * 1024;

/// The text of a PDF's pages, in order; a refusal if it is not a PDF or has no text layer.
pub async fn pdf_text(bytes: Bytes) -> Result<String, AppError> {
    // A malformed file can make the parser fail in any way; it runs on a blocking thread, and
    // whatever goes wrong there is "cannot be read".
    let read = tokio::task::spawn_blocking(move || -> Option<String> {
        let doc = lopdf::Document::load_mem(&bytes).ok()?;
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        let mut out = String::new();
        for p in pages {
            // A page whose text cannot be decoded is left out; a document of such pages only
            // reads as a scan.
            if let Ok(t) = doc.extract_text(&[p]) {
                out.push_str(&t);
                out.push('\n');
            }
        }
        Some(out)
    })
    .await;
    match read {
        Ok(Some(text)) if text.chars().filter(|c| !c.is_whitespace()).count() >= 20 => Ok(text),
        Ok(Some(_)) => Err(svc::scanned()),
        Ok(None) | Err(_) => Err(svc::unreadable_pdf()),
    }
}

/// Reads a draft filing from the enforcement basis (判决书, 调解书, 裁定书, 仲裁裁决书,
/// 公证债权文书): every field with its span in `text` and a confidence, fields to confirm
/// marked. Nothing is filed or kept.
#[utoipa::path(post, path = "/api/v1/filings/drafts",
    request_body(content(
        (String = "text/plain"),
        (Vec<u8> = "application/pdf"),
    ), description = "The document: its text (UTF-8), or a PDF with a text layer."),
    responses((status = 200, body = Object, description = "The draft: `text` (normalised), `basis`, `parties`, `duties`, `costs`, `performance_period`, `problems`; each field `{value, span: {start, end} (characters of text), confidence (0-100), flags, confirm}`."),
        (status = 413, body = crate::error::Problem), (status = 415, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn draft(
    State(app): State<App>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Draft>, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::too_large(
                "body_too_large",
                format!("a document is at most {MAX_BODY} bytes"),
            )
        } else {
            AppError::bad_request("bad_body", e.body_text())
        }
    })?;
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let text = match mime.as_str() {
        "text/plain" => match String::from_utf8(body.to_vec()) {
            Ok(t) => t,
            // Not UTF-8: a binary file sent as text.
            Err(_) => {
                return Err(AppError::from(svc::refusal_of(
                    &zhixing_domain::filing_draft::DraftError::Binary,
                ))
                .into());
            }
        },
        "application/pdf" => pdf_text(body).await?,
        _ => {
            return Err(AppError::unsupported(
                "draft_document_type",
                "send text/plain (UTF-8) or application/pdf",
            )
            .into());
        }
    };
    Ok(Json(svc::read_basis(&app, &ctx.principal, text).await?))
}
