//! One error type for the HTTP layer, rendered as `application/problem+json` (RFC 9457) with a
//! stable machine-readable `code`. The one place where an application error gets its HTTP
//! status; a refusal's words come from the message catalogue. Internal details are logged
//! where they are raised, never sent.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use zhixing_app::AppError;
use zhixing_domain::refusal::{Refusal, RefusalKind};
use zhixing_store::StoreError;

use crate::messages::Lang;

/// An error answer: HTTP status, stable code, human message.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
    /// Every individual problem, when there are several (a filing, a closure checklist).
    pub details: Vec<String>,
    /// A refusal's parameters and problems, for clients that act on them.
    pub refusal: Option<Box<Refusal>>,
    /// A byte range outside the content: its length, for `Content-Range: bytes */LEN`.
    pub range_length: Option<u64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the problem type (`urn:zhixing:problem:<code>`).
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code.
    pub code: String,
    /// Every individual problem, when there are several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    /// For a refusal: the parameters of the rule that refused (figure, citation, date).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub params: Option<serde_json::Value>,
    /// For a refusal listing several problems: each with its code and parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub reasons: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
            details: Vec::new(),
            refusal: None,
            range_length: None,
        }
    }
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in first: send a valid bearer token or session cookie",
        )
    }
    /// A fault: its context is logged where it is raised (see `AppError::internal`).
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an internal error occurred; it has been logged",
        )
    }
    pub fn with_details(mut self, details: Vec<String>) -> Self {
        self.details = details;
        self
    }
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let params = self
            .refusal
            .as_ref()
            .filter(|r| !r.params.is_empty())
            .and_then(|r| serde_json::to_value(&r.params).ok());
        let reasons = self
            .refusal
            .as_ref()
            .filter(|r| !r.reasons.is_empty())
            .and_then(|r| serde_json::to_value(&r.reasons).ok());
        let problem = Problem {
            type_: format!("urn:zhixing:problem:{}", self.code),
            title: self.status.canonical_reason().unwrap_or("error").to_owned(),
            status: self.status.as_u16(),
            detail: self.message,
            code: self.code.to_owned(),
            errors: self.details,
            params,
            reasons,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut resp = (self.status, body).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if let Some(len) = self.range_length
            && let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}"))
        {
            resp.headers_mut().insert(header::CONTENT_RANGE, v);
        }
        resp
    }
}

impl From<StoreError> for ApiError {
    #[track_caller]
    fn from(e: StoreError) -> Self {
        AppError::from(e).into()
    }
}

impl From<zhixing_domain::refusal::Refusal> for ApiError {
    fn from(r: zhixing_domain::refusal::Refusal) -> Self {
        AppError::from(r).into()
    }
}

impl From<AppError> for ApiError {
    /// The status of each kind of answer. A refusal is 422 when the input is wrong, 409 when
    /// the state of things does not allow it now; its words come from the catalogue (English
    /// on the API), its parameters travel with it.
    fn from(e: AppError) -> Self {
        let words = crate::messages::error(Lang::En, &e);
        let code = e.code();
        let status = match &e {
            AppError::NotFound { .. } => StatusCode::NOT_FOUND,
            AppError::Malformed { .. } => StatusCode::BAD_REQUEST,
            AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AppError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            AppError::Refused(r) => match r.kind {
                RefusalKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
                RefusalKind::Conflict => StatusCode::CONFLICT,
                RefusalKind::Broken => StatusCode::INTERNAL_SERVER_ERROR,
            },
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedContent { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::RangeNotSatisfiable { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let mut out = ApiError::new(status, code, words.detail).with_details(words.errors);
        match e {
            AppError::Throttled { retry_after, .. } | AppError::Unavailable { retry_after, .. } => {
                out.retry_after = Some(retry_after);
            }
            AppError::RangeNotSatisfiable { length } => out.range_length = Some(length),
            AppError::Refused(r) => out.refusal = Some(Box::new(r)),
            _ => {}
        }
        out
    }
}

/// JSON body extractor whose rejections are problem+json. Request types use
/// `#[serde(deny_unknown_fields)]`, so unknown fields are refused too.
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    /// Read as a document first, so that every string is checked and composed (NFC) by the
    /// domain's one text rule before any field is looked at; then into the request type.
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let mut value = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(rej) => return Err(json_rejection(rej)),
        };
        zhixing_domain::text::scrub_json(&mut value)?;
        integral_numbers_as_integers(&mut value);
        serde_path_to_error::deserialize(value)
            .map(Json)
            .map_err(|e| {
                let at = e.path().to_string();
                let at = if at == "." {
                    String::new()
                } else {
                    format!("{at}: ")
                };
                ApiError::unprocessable(
                    "invalid_body",
                    format!(
                        "Failed to deserialize the JSON body into the target type: {at}{}",
                        e.inner()
                    ),
                )
            })
    }
}

/// JSON has one kind of number: `7.0` and `7e0` are the integer 7 as much as `7` is (and JSON
/// Schema's `integer` says so), but serde reads only `7` into an integer field. Numbers with
/// no fractional part, within the range a double holds exactly, become integers before the
/// body is read.
fn integral_numbers_as_integers(v: &mut serde_json::Value) {
    use serde_json::Value;
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() <= EXACT
            {
                // In range and integral: the cast is exact.
                #[allow(clippy::cast_possible_truncation)]
                let i = f as i64;
                *v = Value::from(i);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(integral_numbers_as_integers),
        Value::Object(m) => m.values_mut().for_each(integral_numbers_as_integers),
        _ => {}
    }
}

fn json_rejection(rej: JsonRejection) -> ApiError {
    match rej {
        JsonRejection::JsonDataError(e) => ApiError::unprocessable("invalid_body", e.body_text()),
        JsonRejection::JsonSyntaxError(e) => ApiError::bad_request("malformed_json", e.body_text()),
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON with Content-Type: application/json",
        ),
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "the request body exceeds the size limit",
            )
        }
        other => ApiError::bad_request("bad_body", other.body_text()),
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Query-string extractor with problem+json rejections.
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // No text the API stores or looks up holds a NUL (PostgreSQL's text cannot).
        if parts
            .uri
            .query()
            .is_some_and(|q| q.to_ascii_lowercase().contains("%00"))
        {
            return Err(ApiError::bad_request(
                "invalid_query",
                "a query parameter holds a NUL character",
            ));
        }
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e: QueryRejection| ApiError::bad_request("invalid_query", e.body_text()))
    }
}

/// Path extractor with problem+json rejections.
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|e: PathRejection| ApiError::bad_request("invalid_path", e.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integral_numbers_are_read_as_integers_and_only_they() {
        let mut v = json!({"a": 7.0, "b": [1e2, 0.5, -3.0], "c": {"d": 9007199254740992.0},
                           "e": 1e300, "f": "2.0", "g": 4});
        integral_numbers_as_integers(&mut v);
        assert_eq!(
            v,
            json!({"a": 7, "b": [100, 0.5, -3], "c": {"d": 9007199254740992_i64},
                   "e": 1e300, "f": "2.0", "g": 4})
        );
        assert!(v["a"].is_i64() && v["b"][0].is_i64() && v["c"]["d"].is_i64());
        assert!(
            v["e"].is_f64(),
            "beyond 2^53 a double is not an exact integer"
        );
    }
}
