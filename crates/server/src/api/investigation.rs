//! Institutions, investigations and assets over HTTP, and the reply endpoint institutions post to.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zhixing_store::investigation::{AssetRow, InstitutionRow, OutboxStatus};

use super::Ctx;
use crate::error::{ApiError, Json, Path};
use zhixing_app::control::investigation::{self as inv, Investigated, InvestigationCommand};
use zhixing_app::control::query;
use zhixing_app::state::App;

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstitutionIn {
    /// Stable ASCII id.
    pub id: String,
    pub name: String,
    /// bank, securities, real_estate_registry, vehicle_administration, housing_fund,
    /// social_insurance, tax, online_payment, internet_bank, online_lending, virtual_property, ip_office
    pub kind: String,
    /// Comma-separated: query, freeze, seize, detain, deduct, renew, release.
    pub measures: String,
    /// national (总对总) or local (点对点).
    pub channel: String,
    /// For local institutions: the division-code prefix they serve.
    #[serde(default)]
    pub region: String,
    pub endpoint: String,
    /// Base64 Ed25519 public key.
    pub public_key: String,
    pub concurrency: i64,
}

/// Institutions on the network.
#[utoipa::path(get, path = "/api/v1/institutions", responses((status = 200, body = [Object])))]
pub async fn list(
    State(app): State<App>,
    _ctx: Ctx,
) -> Result<Json<Vec<InstitutionRow>>, ApiError> {
    Ok(Json(zhixing_app::control::institutions::list(&app).await?))
}

/// Registers or updates an institution (administrators: national ones at the SPC, local ones
/// within their region). Audited.
#[utoipa::path(post, path = "/api/v1/institutions", request_body = InstitutionIn, responses((status = 201), (status = 200), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn register(
    State(app): State<App>,
    ctx: Ctx,
    Json(i): Json<InstitutionIn>,
) -> Result<StatusCode, ApiError> {
    let done = inv::execute(
        &app,
        &ctx.principal,
        InvestigationCommand::RegisterInstitution(
            zhixing_app::control::institutions::InstitutionSpec {
                id: i.id,
                name: i.name,
                kind: i.kind,
                measures: i.measures,
                channel: i.channel,
                region: i.region,
                endpoint: i.endpoint,
                public_key: i.public_key,
                concurrency: i.concurrency,
            },
        ),
    )
    .await?;
    Ok(if done == (Investigated::Registered { new: true }) {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    })
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct StartIn {
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Started {
    pub id: i64,
    pub messages: usize,
}

/// Fans a query about every respondent out to every institution that applies.
#[utoipa::path(post, path = "/api/v1/cases/{id}/investigations", params(("id" = i64, Path)), request_body = StartIn, responses((status = 201, body = Started)))]
pub async fn start(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<StartIn>,
) -> Result<(StatusCode, Json<Started>), ApiError> {
    let Investigated::Started {
        id: inv_id,
        messages,
    } = inv::execute(
        &app,
        &ctx.principal,
        InvestigationCommand::Start {
            case_id: id,
            version: b.version,
        },
    )
    .await?
    else {
        return Err(ApiError::from(zhixing_app::AppError::internal(
            "InvestigationCommand::Start answered no investigation",
        )));
    };
    Ok((
        StatusCode::CREATED,
        Json(Started {
            id: inv_id,
            messages,
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct InvestigationOut {
    pub id: i64,
    pub case_id: i64,
    pub requested_at: String,
    pub messages: i64,
    pub replied: usize,
    pub pending: usize,
    pub failed: usize,
    #[schema(value_type = Vec<Object>)]
    pub institutions: Vec<OutboxStatus>,
}

/// Each institution's status for one investigation.
#[utoipa::path(get, path = "/api/v1/cases/{id}/investigations/{inv}", params(("id" = i64, Path), ("inv" = i64, Path)), responses((status = 200, body = InvestigationOut)))]
pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, inv_id)): Path<(i64, i64)>,
) -> Result<Json<InvestigationOut>, ApiError> {
    let (_, out) = status(&app, &ctx.principal, id, inv_id).await?;
    Ok(Json(out))
}

/// One investigation of a case the caller may read, with the case row: shared with the legacy
/// adapter so that both answer from the same reads and the same authorization.
pub(crate) async fn status(
    app: &App,
    by: &zhixing_domain::access::Principal,
    id: i64,
    inv_id: i64,
) -> Result<(zhixing_store::cases::CaseRow, InvestigationOut), ApiError> {
    let (case, p) = query::progress(app, by, id, inv_id).await?;
    Ok((case, out_of(p)?))
}

/// An investigation as the API shows it.
pub(crate) fn out_of(p: query::Progress) -> Result<InvestigationOut, ApiError> {
    let row = &p.investigation;
    Ok(InvestigationOut {
        id: row.id,
        case_id: row.case_id,
        requested_at: zhixing_store::from_micros(row.requested_at)?.to_string(),
        messages: row.messages,
        replied: p.replied(),
        pending: p.pending(),
        failed: p.failed(),
        institutions: p.messages,
    })
}

/// What was found. Balances are sensitive: reading them is an audited event.
#[utoipa::path(get, path = "/api/v1/cases/{id}/assets", params(("id" = i64, Path)), responses((status = 200, body = [Object])))]
pub async fn assets(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AssetRow>>, ApiError> {
    Ok(Json(query::assets(&app, &ctx.principal, id).await?))
}

#[derive(Serialize)]
pub struct ReplyAck {
    pub status: &'static str,
}

/// Institutions post their signed replies here. No session: the signature authenticates.
pub async fn reply(
    State(app): State<App>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ReplyAck>), ApiError> {
    let env: zhixing_exchange::Envelope = serde_json::from_slice(&body).map_err(|e| {
        tracing::warn!(error = %e, "malformed exchange reply");
        ApiError::bad_request("malformed_message", format!("not a protocol envelope: {e}"))
    })?;
    let new = inv::apply_reply(&app, env).await?;
    Ok(if new {
        (StatusCode::ACCEPTED, Json(ReplyAck { status: "applied" }))
    } else {
        (
            StatusCode::OK,
            Json(ReplyAck {
                status: "duplicate",
            }),
        )
    })
}
