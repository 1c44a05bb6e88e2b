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
use zhixing_app::AppError;
use zhixing_app::disposal::funds::{
    self as svc, AccountView, DistributionPlan, FundsCommand, FundsDone, ReceiptView,
};
use zhixing_app::state::App;
use zhixing_domain::funds::amount_refused;
use zhixing_domain::refusal::{Reason, Refusal};
use zhixing_domain::valuation::refused_as;

/// Runs a command of the case account.
async fn run(
    app: &App,
    ctx: &Ctx,
    cmd: Result<FundsCommand, AppError>,
) -> Result<FundsDone, ApiError> {
    Ok(svc::execute(app, &ctx.principal, cmd?).await?)
}

/// A payout's number and status, as its commands answer.
fn payout_status(done: FundsDone) -> Result<Json<PayoutStatus>, ApiError> {
    match done {
        FundsDone::Payout { no, status } => Ok(Json(PayoutStatus {
            no,
            status: status.into(),
        })),
        _ => Err(AppError::internal("a payout command answered no payout").into()),
    }
}

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
    let on = b
        .received_on
        .as_deref()
        .map(|s| {
            s.parse::<Date>().map_err(|_| {
                refused_as(
                    "invalid_date",
                    Reason::new("date_refused").with("field", "received_on"),
                )
            })
        })
        .transpose();
    let cmd = on
        .map_err(AppError::from)
        .map(|received_on| FundsCommand::Receipt {
            case_id: id,
            amount: b.amount_fen,
            received_on,
            reference: b.reference,
            note: b.note,
        });
    match run(&app, &ctx, cmd).await? {
        FundsDone::Receipt { receipt, new } => {
            let status = if new {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, Json(receipt)))
        }
        _ => Err(AppError::internal("a receipt answered no receipt").into()),
    }
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
    let cmd = FundsCommand::Propose {
        case_id: id,
        payout: svc::PayoutRequest {
            party_no: b.party_no,
            amount: b.amount_fen,
            note: b.note,
            delay_reason: b.delay_reason,
        },
    };
    match run(&app, &ctx, Ok(cmd)).await? {
        FundsDone::Proposed { no } => Ok((
            StatusCode::CREATED,
            Json(PayoutCreated {
                no,
                status: "proposed".into(),
            }),
        )),
        _ => Err(AppError::internal("a proposal answered no payout").into()),
    }
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
    let cmd = FundsCommand::Decide {
        case_id: id,
        no,
        approve: b.approve,
        reason: b.reason,
    };
    payout_status(run(&app, &ctx, Ok(cmd)).await?)
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
    let cmd = FundsCommand::Paid {
        case_id: id,
        no,
        transfer_reference: b.transfer_reference,
    };
    payout_status(run(&app, &ctx, Ok(cmd)).await?)
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
    let claims: Result<Vec<Claim>, AppError> = b.claims.iter().map(claim).collect();
    let cmd = claims.map(|claims| FundsCommand::Distribute {
        case_id: id,
        claims,
        note: b.note,
        delay_reason: b.delay_reason,
    });
    match run(&app, &ctx, cmd).await? {
        FundsDone::Distributed(plan) => Ok((StatusCode::CREATED, Json(plan))),
        _ => Err(AppError::internal("a distribution answered no plan").into()),
    }
}

/// A claim as given: its rank named, its amount above zero.
fn claim(c: &ClaimIn) -> Result<Claim, AppError> {
    let rank = Rank::parse(&c.rank).ok_or_else(|| {
        Refusal::invalid("invalid_rank")
            .with("field", "claim")
            .with("value", &c.rank)
    })?;
    let amount = Fen::new(c.amount_fen)
        .ok()
        .filter(|a| *a > Fen::ZERO)
        .ok_or_else(|| amount_refused("zero", "amount_fen"))?;
    Ok(Claim {
        party_no: c.party_no,
        amount,
        rank,
    })
}
