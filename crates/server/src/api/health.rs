//! Liveness, readiness and metrics for operators.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use zhixing_app::AppError;
use zhixing_app::state::App;

use crate::error::ApiError;

/// The process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: the database answers.
pub async fn readyz(State(app): State<App>) -> Response {
    match zhixing_app::platform::rules::ping(&app).await {
        Ok(()) => {
            let gaps = match zhixing_app::platform::rules::calendar_gaps(&app).await {
                Ok(g) => g,
                Err(e) => {
                    tracing::warn!(error = %e, "not ready");
                    return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
                        .into_response();
                }
            };
            if gaps.is_empty() {
                (StatusCode::OK, "ready").into_response()
            } else {
                let years: Vec<String> = gaps.iter().map(ToString::to_string).collect();
                (
                    StatusCode::OK,
                    format!(
                        "ready; no official holiday calendar for {}: deadlines reaching into it are provisional (weekends only) until it is loaded",
                        years.join(", ")
                    ),
                )
                    .into_response()
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Whether the caller may read the metrics: from an allowed address range, or with the
/// configured bearer token (compared as digests, so the time taken says nothing of it).
fn may_read_metrics(app: &App, req: &Request) -> bool {
    let ip = crate::ratelimit::client_of(req, app.config.trust_forwarded_for);
    if app.config.metrics_allow.iter().any(|n| n.contains(&ip)) {
        return true;
    }
    let Some(token) = &app.config.metrics_token else {
        return false;
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    Sha256::digest(given.as_bytes()) == Sha256::digest(token.as_bytes())
}

/// Prometheus text format, for the operators' addresses or token only.
pub async fn metrics(State(app): State<App>, req: Request) -> Response {
    if !may_read_metrics(&app, &req) {
        return ApiError::from(AppError::forbidden_as(
            "metrics_forbidden",
            "the metrics are for the operators' addresses or token",
        ))
        .into_response();
    }
    match crate::metrics::handle() {
        Some(h) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; version=0.0.4",
            )],
            h.render(),
        )
            .into_response(),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "metrics recorder not installed",
        )
            .into_response(),
    }
}
