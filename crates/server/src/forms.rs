//! The pages' forms under the domain's one text rule: every value of a form post
//! (`application/x-www-form-urlencoded`) is checked for the characters no text may hold and
//! composed to NFC before any handler reads it, as the JSON extractor does for API bodies
//! (`error::Json`). Which fields are one line and how long each may be stays the domain's.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::messages::Lang;
use crate::pages::PageError;

fn is_form(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// Middleware: a form whose text is refused answers 422 as a page in the reader's language,
/// and reaches no handler.
pub async fn checked(
    axum::extract::State(limit): axum::extract::State<usize>,
    req: Request,
    next: Next,
) -> Response {
    if !is_form(&req) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let lang = Lang::from_parts(&parts);
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "the request body exceeds the size limit",
        )
        .into_response();
    };
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
    for (name, value) in &mut pairs {
        if let Err(r) = zhixing_domain::text::scrub_field(name, value) {
            let e = zhixing_app::AppError::Refused(r);
            let words = crate::messages::error(lang, &e).detail;
            let mut api = ApiError::from(e);
            api.message = words;
            return PageError(api).into_response();
        }
    }
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    next.run(Request::from_parts(parts, Body::from(encoded)))
        .await
}
