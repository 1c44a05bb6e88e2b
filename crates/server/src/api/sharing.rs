//! Data sharing for joint discipline (联合惩戒) over HTTP: data-sharing agreements
//! (数据共享协议), managed with a session, and the feed partner agencies pull with an API key.
//!
//! The feed handler takes no `Ctx`: it is authenticated by the agreement's API key alone, so a
//! session token is never accepted there (it fails as an unknown key), and a sharing key sent
//! to any other route fails there as an unknown session.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use zhixing_app::credit::sharing::{self as svc, Agreement, FeedPage, IssuedKey, SharingCommand};
use zhixing_app::state::App;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementIn {
    /// The partner agency, e.g. 中国民用航空局; 1–100 characters.
    pub agency_name: String,
    /// The agency's code: 1–32 of A–Z, a–z, 0–9, '-', '_'.
    pub agency_code: String,
    /// The agreement covers this court's listings and those of every court below it; the
    /// caller's court if absent.
    #[serde(default)]
    pub court_id: Option<String>,
    /// At least one of name, id_number, id_masked, party_kind, legal_rep, court, case_number,
    /// basis, duty, performed, grounds, conduct, listed_on, ends_on; no repeats.
    pub fields: Vec<String>,
    /// The legal basis of the sharing (memorandum, regulation …).
    pub legal_basis: String,
    /// YYYY-MM-DD, both ends included.
    pub valid_from: String,
    pub valid_to: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevocationIn {
    #[schema(min_length = 1)]
    pub reason: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Agreements with an id above this.
    #[serde(default)]
    pub after: i64,
    #[serde(default)]
    pub limit: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    /// The `next` of the previous page; 0 (the default) for the beginning.
    #[serde(default)]
    #[param(minimum = 0)]
    pub cursor: i64,
    /// 1–500, default 100.
    #[serde(default)]
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// Drafts a data-sharing agreement (administrators of the court or above).
#[utoipa::path(post, path = "/api/v1/sharing/agreements", request_body = AgreementIn, responses((status = 201, body = crate::openapi::doc::Agreement)))]
pub async fn create(
    State(app): State<App>,
    ctx: Ctx,
    Json(b): Json<AgreementIn>,
) -> Result<(StatusCode, Json<Agreement>), ApiError> {
    let cmd = SharingCommand::Draft(svc::DraftIn {
        agency_name: b.agency_name,
        agency_code: b.agency_code,
        court_id: b.court_id,
        fields: b.fields,
        legal_basis: b.legal_basis,
        valid_from: b.valid_from,
        valid_to: b.valid_to,
    });
    let out = svc::execute(&app, &ctx.principal, cmd).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// The agreements of the caller's court and below (no key material).
#[utoipa::path(get, path = "/api/v1/sharing/agreements", params(ListQuery), responses((status = 200, body = Vec<crate::openapi::doc::Agreement>)))]
pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<Agreement>>, ApiError> {
    Ok(Json(
        svc::list(&app, &ctx.principal, q.after, q.limit.unwrap_or(100)).await?,
    ))
}

/// One agreement (no key material).
#[utoipa::path(get, path = "/api/v1/sharing/agreements/{id}", params(("id" = i64, Path)), responses((status = 200, body = crate::openapi::doc::Agreement)))]
pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Agreement>, ApiError> {
    Ok(Json(svc::show(&app, &ctx.principal, id).await?))
}

/// Approves a draft (a division head of the court or above, not its drafter).
#[utoipa::path(post, path = "/api/v1/sharing/agreements/{id}/approval", params(("id" = i64, Path)), responses((status = 200, body = crate::openapi::doc::Agreement)))]
pub async fn approve(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Agreement>, ApiError> {
    let cmd = SharingCommand::Approve { id };
    Ok(Json(svc::execute(&app, &ctx.principal, cmd).await?))
}

/// Issues the agreement's API key, shown this once; earlier keys are revoked.
#[utoipa::path(post, path = "/api/v1/sharing/agreements/{id}/keys", params(("id" = i64, Path)), responses((status = 201, body = crate::openapi::doc::IssuedKey)))]
pub async fn issue_key(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<(StatusCode, Json<IssuedKey>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(svc::issue_key(&app, &ctx.principal, id).await?),
    ))
}

/// Revokes an agreement and its keys: the feed stops at the next pull.
#[utoipa::path(post, path = "/api/v1/sharing/agreements/{id}/revocation", params(("id" = i64, Path)), request_body = RevocationIn, responses((status = 200, body = crate::openapi::doc::Agreement)))]
pub async fn revoke(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<RevocationIn>,
) -> Result<Json<Agreement>, ApiError> {
    let cmd = SharingCommand::Revoke {
        id,
        reason: b.reason,
    };
    Ok(Json(svc::execute(&app, &ctx.principal, cmd).await?))
}

/// The API key of a feed request: `X-Api-Key`, else `Authorization: Bearer …`.
fn api_key(headers: &HeaderMap) -> Option<String> {
    if let Some(k) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(k.trim().to_owned());
    }
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
}

/// The incremental feed of listing changes for a partner agency, authenticated by the
/// agreement's API key only (not a session).
#[utoipa::path(get, path = "/api/v1/sharing/feed", params(FeedQuery), security(("api_key" = [])), responses((status = 200, body = crate::openapi::doc::FeedPage)))]
pub async fn feed(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<FeedQuery>,
) -> Result<Json<FeedPage>, ApiError> {
    let key = api_key(&headers).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "api_key_required",
            "send the agreement's API key as X-Api-Key or Authorization: Bearer",
        )
    })?;
    Ok(Json(
        svc::pull(
            &app,
            &key,
            q.cursor,
            q.limit.unwrap_or(svc::FEED_DEFAULT_LIMIT),
        )
        .await?,
    ))
}
