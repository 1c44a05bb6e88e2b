//! The case account (一案一账号) over HTTP: receipts, payouts and their approval, distribution.
//! Amounts are in fen.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zhixing_domain::funds::{Claim, Rank};
use zhixing_domain::money::Fen;

use super::Ctx;
use crate::error::{ApiError, Json, Path};
use zhixing_app::disposal::funds::{self as svc, AccountView, DistributionPlan, ReceiptView};
use zhixing_app::state::App;

/// The case's account: balance, receipts with their payout due dates, payouts, journal.
#[utoipa::path(get, path = "/api/v1/cases/{id}/account", params(("id" = i64, Path)),
    responses((status = 200, body = crate::openapi::doc::AccountView), (status = 404, body = crate::error::Problem)))]
pub async fn account(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<AccountView>, ApiError> {
    Ok(Json(svc::account(&app, &ctx.principal, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptIn {
    pub amount_fen: i64,
    /// YYYY-MM-DD, between the filing and today; today if left out.
    #[serde(default)]
    pub received_on: Option<String>,
    /// The bank's reference of the payment; the same reference is booked once.
    pub reference: String,
    #[serde(default)]
    pub note: String,
}

/// Books a payment by the debtor into the case's account (201; 200 when the same reference and
/// amount were already booked).
#[utoipa::path(post, path = "/api/v1/cases/{id}/account/receipts", params(("id" = i64, Path)), request_body = ReceiptIn,
    responses((status = 201, body = crate::openapi::doc::ReceiptView), (status = 200, body = crate::openapi::doc::ReceiptView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn receipt(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ReceiptIn>,
) -> Result<(StatusCode, Json<ReceiptView>), ApiError> {
    let on = match b.received_on.as_deref() {
        None => None,
        Some(s) => Some(s.parse::<Date>().map_err(|_| {
            ApiError::unprocessable("invalid_date", "received_on must be a date YYYY-MM-DD")
        })?),
    };
    let (view, new) = svc::receive_voluntary(
        &app,
        &ctx.principal,
        id,
        b.amount_fen,
        on,
        &b.reference,
        &b.note,
    )
    .await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(view)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutIn {
    /// The applicant's party number in the case.
    pub party_no: u32,
    pub amount_fen: i64,
    #[serde(default)]
    pub note: String,
    /// Required when money of the case is already past its payout day.
    #[serde(default)]
    pub delay_reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PayoutCreated {
    pub no: i64,
    pub status: String,
}

/// Proposes a payout to an applicant; the division head decides it.
#[utoipa::path(post, path = "/api/v1/cases/{id}/account/payouts", params(("id" = i64, Path)), request_body = PayoutIn,
    responses((status = 201, body = PayoutCreated), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn propose(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<PayoutIn>,
) -> Result<(StatusCode, Json<PayoutCreated>), ApiError> {
    let no = svc::propose(
        &app,
        &ctx.principal,
        id,
        &svc::PayoutRequest {
            party_no: b.party_no,
            amount: b.amount_fen,
            note: b.note,
            delay_reason: b.delay_reason,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(PayoutCreated {
            no,
            status: "proposed".into(),
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutDecisionIn {
    pub approve: bool,
    /// Required to reject.
    #[serde(default)]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct PayoutStatus {
    pub no: i64,
    pub status: String,
}

/// The division head approves or rejects a proposed payout (not their own).
#[utoipa::path(post, path = "/api/v1/cases/{id}/account/payouts/{no}/decision", params(("id" = i64, Path), ("no" = i64, Path)), request_body = PayoutDecisionIn,
    responses((status = 200, body = PayoutStatus), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn decide(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, i64)>,
    Json(b): Json<PayoutDecisionIn>,
) -> Result<Json<PayoutStatus>, ApiError> {
    svc::decide(&app, &ctx.principal, id, no, b.approve, &b.reason).await?;
    Ok(Json(PayoutStatus {
        no,
        status: if b.approve { "approved" } else { "rejected" }.into(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaidIn {
    /// The bank's reference of the transfer to the applicant.
    pub transfer_reference: String,
}

/// Records the transfer of an approved payout.
#[utoipa::path(post, path = "/api/v1/cases/{id}/account/payouts/{no}/paid", params(("id" = i64, Path), ("no" = i64, Path)), request_body = PaidIn,
    responses((status = 200, body = PayoutStatus), (status = 409, body = crate::error::Problem)))]
pub async fn paid(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, i64)>,
    Json(b): Json<PaidIn>,
) -> Result<Json<PayoutStatus>, ApiError> {
    svc::paid(&app, &ctx.principal, id, no, &b.transfer_reference).await?;
    Ok(Json(PayoutStatus {
        no,
        status: "paid".into(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimIn {
    /// An applicant's party number in the case.
    pub party_no: u32,
    pub amount_fen: i64,
    /// costs, priority or ordinary.
    pub rank: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DistributionIn {
    pub claims: Vec<ClaimIn>,
    #[serde(default)]
    pub note: String,
    /// Required when money of the case is already past its payout day.
    #[serde(default)]
    pub delay_reason: Option<String>,
}

/// Distributes the money available among the claims (参与分配) in legal order and proposes one
/// payout per share.
#[utoipa::path(post, path = "/api/v1/cases/{id}/account/distribution", params(("id" = i64, Path)), request_body = DistributionIn,
    responses((status = 201, body = crate::openapi::doc::DistributionPlan), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn distribution(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<DistributionIn>,
) -> Result<(StatusCode, Json<DistributionPlan>), ApiError> {
    let mut claims = Vec::with_capacity(b.claims.len());
    for c in &b.claims {
        let rank = Rank::parse(&c.rank).ok_or_else(|| {
            ApiError::unprocessable(
                "invalid_rank",
                format!("rank is costs, priority or ordinary, not {:?}", c.rank),
            )
        })?;
        let amount = Fen::new(c.amount_fen)
            .ok()
            .filter(|a| *a > Fen::ZERO)
            .ok_or_else(|| {
                ApiError::unprocessable("invalid_amount", "a claim is an amount above zero, in fen")
            })?;
        claims.push(Claim {
            party_no: c.party_no,
            amount,
            rank,
        });
    }
    let plan = svc::distribute(
        &app,
        &ctx.principal,
        id,
        &claims,
        &b.note,
        b.delay_reason.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(plan)))
}
