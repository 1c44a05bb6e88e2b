//! Multipart forms: the record of a traditional investigation with its evidence files, read
//! part by part the same way for the API and for the case page's form.

use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use zhixing_app::AppError;
use zhixing_app::control::field::{self, FieldInput, Upload};
use zhixing_domain::field::{MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS};
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};

use crate::error::ApiError;

/// The body limit of the routes that take a record: every file at its largest, plus room for
/// the text fields and the multipart framing.
pub const MAX_BODY: usize = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 1024 * 1024;

/// At most this many bytes in a text field (4,000 characters of findings fit several times).
const MAX_TEXT_BYTES: usize = 64 * 1024;

/// A form part that cannot be taken: `code` for the API, `reason` for the words, naming the
/// part.
fn form_refusal(code: &'static str, reason: &'static str, name: &str) -> ApiError {
    AppError::from(Refusal::of_reasons(
        code,
        RefusalKind::Invalid,
        vec![Reason::new(reason).with("field", name)],
    ))
    .into()
}

pub fn rejection(_: MultipartRejection) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send the record as multipart/form-data",
    )
}

pub fn multipart_error(e: &MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!(
                "a record with its files is at most {} MiB",
                MAX_BODY / (1024 * 1024)
            ),
        )
    } else {
        ApiError::bad_request(
            "malformed_multipart",
            format!("the multipart body could not be read: {}", e.body_text()),
        )
    }
}

/// Reads the form. Files are refused as soon as one is too large or one too many arrives,
/// before the rest is buffered.
pub async fn read_form(mp: Multipart) -> Result<FieldInput, ApiError> {
    let parts = read_parts(
        mp,
        &["method", "on", "place", "findings", "version"],
        "attachment",
        MAX_ATTACHMENTS,
    )
    .await?;
    Ok(FieldInput {
        method: parts.text("method"),
        on: parts.text("on"),
        place: parts.text("place"),
        findings: parts.text("findings"),
        version: parts.version()?,
        attachments: parts.files,
    })
}

/// The parts of a multipart form: its text fields (each at most once) and its files.
pub struct Parts {
    texts: Vec<(String, String)>,
    pub files: Vec<Upload>,
}

impl Parts {
    /// The text of field `name`, empty if it was not sent.
    pub fn text(&self, name: &str) -> String {
        self.texts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    }

    /// The case version the form was made from, if given.
    pub fn version(&self) -> Result<Option<i64>, AppError> {
        let t = self.text("version");
        let t = t.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse().map(Some).map_err(|_| {
            AppError::from(Refusal::of_reasons(
                "invalid_version",
                RefusalKind::Invalid,
                vec![Reason::new("form_version_invalid").with("field", "version")],
            ))
        })
    }
}

/// Reads a multipart form part by part: the text fields in `fields` (each once, at most 64 KiB,
/// through `domain::text`), up to `max_files` files under `file_field` (each checked against the
/// size limit as it arrives), the CSRF token skipped (checked before the handler), anything
/// else refused.
pub async fn read_parts(
    mut mp: Multipart,
    fields: &[&str],
    file_field: &str,
    max_files: usize,
) -> Result<Parts, ApiError> {
    let mut parts = Parts {
        texts: Vec::new(),
        files: Vec::new(),
    };
    while let Some(mut f) = mp.next_field().await.map_err(|e| multipart_error(&e))? {
        let name = f.name().unwrap_or_default().to_owned();
        if name == file_field {
            let file_name = f.file_name().unwrap_or_default().to_owned();
            let no = parts.files.len() + 1;
            if no > max_files {
                return Err(AppError::from(Refusal::of_reasons(
                    "too_many_attachments",
                    RefusalKind::Invalid,
                    vec![Reason::new("field_too_many_attachments").with("max", max_files)],
                ))
                .into());
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = f.chunk().await.map_err(|e| multipart_error(&e))? {
                field::check_size(no, &file_name, bytes.len() + chunk.len())?;
                bytes.extend_from_slice(&chunk);
            }
            // A browser sends an empty file part when no file was chosen.
            if !(file_name.is_empty() && bytes.is_empty()) {
                parts.files.push(Upload {
                    name: file_name,
                    bytes,
                });
            }
            continue;
        }
        // A page's form begins with its CSRF token, checked before the handler
        // (`csrf::guard`); it is no part of the record.
        if name == crate::csrf::FIELD {
            while f.chunk().await.map_err(|e| multipart_error(&e))?.is_some() {}
            continue;
        }
        if !fields.contains(&name.as_str()) {
            return Err(form_refusal("unknown_field", "form_field_unknown", &name));
        }
        if parts.texts.iter().any(|(n, _)| *n == name) {
            return Err(form_refusal(
                "duplicate_field",
                "form_field_repeated",
                &name,
            ));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = f.chunk().await.map_err(|e| multipart_error(&e))? {
            if bytes.len() + chunk.len() > MAX_TEXT_BYTES {
                return Err(form_refusal("field_too_long", "form_field_too_long", &name));
            }
            bytes.extend_from_slice(&chunk);
        }
        let mut text = String::from_utf8(bytes)
            .map_err(|_| form_refusal("invalid_field", "form_field_not_text", &name))?;
        zhixing_domain::text::scrub_field(&name, &mut text).map_err(AppError::from)?;
        parts.texts.push((name, text));
    }
    Ok(parts)
}

/// `attachment; filename="…"` with an ASCII stand-in, and the real name in `filename*`
/// (RFC 6266, RFC 8187): Chinese file names survive the download.
pub fn disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or(HeaderValue::from_static("attachment"))
}

/// The headers of every stored file served back (evidence, documents, recordings): its stored
/// type and SHA-256. Files are personal data, so no cache keeps them; and should a browser
/// open one in place after all, it runs no script in the application's origin.
pub fn evidence_headers(h: &mut HeaderMap, content_type: &str, sha256: &str) {
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    if let Ok(v) = HeaderValue::from_str(sha256) {
        h.insert("x-content-sha256", v);
    }
}

/// A stored file as a download under its own name.
pub fn download(bytes: Vec<u8>, name: &str, content_type: &str, sha256: &str) -> Response {
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    evidence_headers(h, content_type, sha256);
    h.insert(header::CONTENT_DISPOSITION, disposition(name));
    resp
}
