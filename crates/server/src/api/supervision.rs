//! Supervision orders (督办) over HTTP: issue, list by court and direction, show, reply, close,
//! send back.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use zhixing_app::oversight::supervision::{
    self as sv, IssueInput, SupervisionCommand, SupervisionView,
};
use zhixing_app::state::App;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueIn {
    /// The court ordered to act: strictly below the caller's court.
    pub court: String,
    /// A case of that court; none for an order about a problem.
    pub case_id: Option<i64>,
    /// A short title, 1–200 characters.
    pub title: String,
    /// What to do, 1–4,000 characters.
    pub instructions: String,
    /// The last day for a reply, YYYY-MM-DD, not before today.
    pub deadline: String,
}

/// Issues a supervision order to a court below the caller's.
#[utoipa::path(post, path = "/api/v1/supervisions", request_body = IssueIn,
    responses((status = 201, body = crate::openapi::doc::SupervisionView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn issue(
    State(app): State<App>,
    ctx: Ctx,
    Json(b): Json<IssueIn>,
) -> Result<(StatusCode, Json<SupervisionView>), ApiError> {
    let cmd = SupervisionCommand::Issue(IssueInput {
        court: b.court,
        case_id: b.case_id,
        title: b.title,
        instructions: b.instructions,
        deadline: b.deadline,
    });
    let v = sv::execute(&app, &ctx.principal, cmd).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// The court whose orders to list; default the caller's own.
    #[param(inline, value_type = Option<crate::openapi::vocab::CourtId>)]
    pub court: Option<String>,
    /// issued (sent by the court) or received (sent to it); default received.
    #[param(inline, value_type = Option<crate::openapi::vocab::SupervisionDirection>)]
    pub direction: Option<String>,
}

/// The supervision orders a court issued or received, newest first.
#[utoipa::path(get, path = "/api/v1/supervisions", params(ListParams),
    responses((status = 200, body = [crate::openapi::doc::SupervisionView]), (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<ListParams>,
) -> Result<Json<Vec<SupervisionView>>, ApiError> {
    let issued = match q.direction.as_deref().unwrap_or("received") {
        "issued" => true,
        "received" => false,
        other => {
            return Err(ApiError::bad_request(
                "invalid_direction",
                format!("direction {other:?}: issued or received"),
            ));
        }
    };
    let court = q.court.unwrap_or_else(|| ctx.principal.court_id.clone());
    Ok(Json(sv::list(&app, &ctx.principal, &court, issued).await?))
}

/// One supervision order with its replies and decisions.
#[utoipa::path(get, path = "/api/v1/supervisions/{id}", params(("id" = i64, Path)),
    responses((status = 200, body = crate::openapi::doc::SupervisionView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<SupervisionView>, ApiError> {
    Ok(Json(sv::show(&app, &ctx.principal, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyIn {
    /// What the court did, 1–4,000 characters.
    #[schema(min_length = 1)]
    pub text: String,
}

/// The subordinate court's reply (回复).
#[utoipa::path(post, path = "/api/v1/supervisions/{id}/replies", params(("id" = i64, Path)), request_body = ReplyIn,
    responses((status = 201, body = crate::openapi::doc::SupervisionView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn reply(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ReplyIn>,
) -> Result<(StatusCode, Json<SupervisionView>), ApiError> {
    let cmd = SupervisionCommand::Reply { id, text: b.text };
    let v = sv::execute(&app, &ctx.principal, cmd).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    /// For a closure, an optional comment; for a return, the reason (required).
    pub text: Option<String>,
}

/// The issuing court accepts the reply and closes the order (办结).
#[utoipa::path(post, path = "/api/v1/supervisions/{id}/close", params(("id" = i64, Path)), request_body = DecisionIn,
    responses((status = 200, body = crate::openapi::doc::SupervisionView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn close(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<DecisionIn>,
) -> Result<Json<SupervisionView>, ApiError> {
    let cmd = SupervisionCommand::Close { id, note: b.text };
    Ok(Json(sv::execute(&app, &ctx.principal, cmd).await?))
}

/// The issuing court sends the reply back (退回) with its reason.
#[utoipa::path(post, path = "/api/v1/supervisions/{id}/return", params(("id" = i64, Path)), request_body = DecisionIn,
    responses((status = 200, body = crate::openapi::doc::SupervisionView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn send_back(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<DecisionIn>,
) -> Result<Json<SupervisionView>, ApiError> {
    let cmd = SupervisionCommand::SendBack {
        id,
        reason: b.text.unwrap_or_default(),
    };
    Ok(Json(sv::execute(&app, &ctx.principal, cmd).await?))
}
