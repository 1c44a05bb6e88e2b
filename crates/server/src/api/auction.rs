//! Online judicial auctions (网络司法拍卖) over HTTP: the court's commands (with a session),
//! bids (with the bidder's token from registration, never a session), and the public side —
//! the list, an auction with its bid log, real-name registration and the live feed.

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, State};
use axum::http::{HeaderMap, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhixing_domain::access::Principal;
use zhixing_domain::money::Fen;

use super::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use zhixing_app::AppError;
use zhixing_app::disposal::auction::{
    self as svc, AuctionCommand, AuctionView, BidAnswer, BidderCredential, Caller, RegistrationView,
};
use zhixing_app::disposal::auction_files::{self, AuctionFileView};
use zhixing_app::state::App;
use zhixing_domain::funds::amount_refused;
use zhixing_domain::refusal::Refusal;

fn fen(v: i64, field: &'static str) -> Result<Fen, AppError> {
    Fen::new(v).map_err(|e| amount_refused(svc::money_reason(&e), field).into())
}

fn time(s: &str, field: &'static str) -> Result<jiff::Timestamp, AppError> {
    s.trim()
        .parse()
        .map_err(|_| Refusal::invalid("invalid_time").with("field", field).into())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuctionIn {
    /// `first` (default), `second` or `sell_off`.
    #[serde(default)]
    pub round: Option<String>,
    /// What is sold, as the announcement names it.
    pub title: String,
    /// 起拍价, fen. For a sell-off the second auction's starting price is used.
    pub start_price_fen: i64,
    /// 加价幅度, fen.
    pub increment_fen: i64,
    /// 保证金, fen, within the rule book's bounds of the starting price
    /// (`auction.deposit.min`, `auction.deposit.max`).
    pub deposit_fen: i64,
    /// Start and scheduled end of bidding (RFC 3339).
    pub starts_at: String,
    pub ends_at: String,
    /// Days after the end by which the buyer pays the balance.
    pub balance_days: i64,
}

impl AuctionIn {
    fn command(self, asset_id: i64) -> Result<AuctionCommand, AppError> {
        Ok(AuctionCommand::Announce {
            asset_id,
            round: svc::round(self.round.as_deref().unwrap_or("first"))?,
            plan: svc::PlanIn {
                title: self.title,
                start_price: fen(self.start_price_fen, "start_price_fen")?,
                increment: fen(self.increment_fen, "increment_fen")?,
                deposit: fen(self.deposit_fen, "deposit_fen")?,
                starts_at: time(&self.starts_at, "starts_at")?,
                ends_at: time(&self.ends_at, "ends_at")?,
                balance_days: self.balance_days,
            },
        })
    }
}

/// A command of the court, answered with the auction as it now stands.
async fn court(
    app: &App,
    ctx: &Ctx,
    cmd: Result<AuctionCommand, AppError>,
) -> Result<AuctionView, ApiError> {
    Ok(svc::execute(app, Caller::Court(&ctx.principal), cmd?)
        .await?
        .auction()?)
}

/// Announces an auction of an asset (拍卖公告): the first from its reference price, or the
/// next round after a failed one. The rule book's limits are the domain's, not the page's.
#[utoipa::path(post, path = "/api/v1/assets/{id}/auctions", params(("id" = i64, Path)), request_body = AuctionIn,
    responses((status = 201, body = crate::openapi::doc::AuctionView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn announce(
    State(app): State<App>,
    ctx: Ctx,
    Path(asset_id): Path<i64>,
    Json(b): Json<AuctionIn>,
) -> Result<(StatusCode, Json<AuctionView>), ApiError> {
    let v = court(&app, &ctx, b.command(asset_id)).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// The auctions of a case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/auctions", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<crate::openapi::doc::AuctionView>)))]
pub async fn of_case(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AuctionView>>, ApiError> {
    Ok(Json(svc::of_case(&app, &ctx.principal, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepositIn {
    /// The bidder's number (竞买号).
    pub paddle: u32,
    pub amount_fen: i64,
    /// The bank's reference of the payment.
    pub reference: String,
}

/// Records a bidder's deposit as the bank reported it.
#[utoipa::path(post, path = "/api/v1/auctions/{id}/deposits", params(("id" = i64, Path)), request_body = DepositIn,
    responses((status = 200, body = crate::openapi::doc::AuctionView)))]
pub async fn deposit(
    State(app): State<App>,
    ctx: Ctx,
    Path(auction_id): Path<i64>,
    Json(b): Json<DepositIn>,
) -> Result<Json<AuctionView>, ApiError> {
    let cmd = fen(b.amount_fen, "amount_fen").map(|amount| AuctionCommand::Deposit {
        auction_id,
        paddle: b.paddle,
        amount,
        reference: b.reference,
    });
    Ok(Json(court(&app, &ctx, cmd).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolderIn {
    pub paddle: u32,
    /// 1 is the first rank.
    pub rank: u32,
}

/// Registers a bidder as a preemptive-right holder (优先购买权人) with the court's rank.
#[utoipa::path(post, path = "/api/v1/auctions/{id}/preemptive-holders", params(("id" = i64, Path)), request_body = HolderIn,
    responses((status = 200, body = crate::openapi::doc::AuctionView)))]
pub async fn preemptive_holder(
    State(app): State<App>,
    ctx: Ctx,
    Path(auction_id): Path<i64>,
    Json(b): Json<HolderIn>,
) -> Result<Json<AuctionView>, ApiError> {
    let cmd = AuctionCommand::PreemptiveHolder {
        auction_id,
        paddle: b.paddle,
        rank: b.rank,
    };
    Ok(Json(court(&app, &ctx, Ok(cmd)).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentIn {
    pub amount_fen: i64,
    pub reference: String,
}

/// Records the buyer's balance; the price enters the case account.
#[utoipa::path(post, path = "/api/v1/auctions/{id}/balance", params(("id" = i64, Path)), request_body = PaymentIn,
    responses((status = 200, body = crate::openapi::doc::AuctionView)))]
pub async fn balance(
    State(app): State<App>,
    ctx: Ctx,
    Path(auction_id): Path<i64>,
    Json(b): Json<PaymentIn>,
) -> Result<Json<AuctionView>, ApiError> {
    let cmd = fen(b.amount_fen, "amount_fen").map(|amount| AuctionCommand::Balance {
        auction_id,
        amount,
        reference: b.reference,
    });
    Ok(Json(court(&app, &ctx, cmd).await?))
}

/// Records the buyer's default (悔拍) after the balance deadline.
#[utoipa::path(post, path = "/api/v1/auctions/{id}/default", params(("id" = i64, Path)),
    responses((status = 200, body = crate::openapi::doc::AuctionView)))]
pub async fn default(
    State(app): State<App>,
    ctx: Ctx,
    Path(auction_id): Path<i64>,
) -> Result<Json<AuctionView>, ApiError> {
    let cmd = AuctionCommand::Default { auction_id };
    Ok(Json(court(&app, &ctx, Ok(cmd)).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidIn {
    pub amount_fen: i64,
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// Places a bid (出价) with the bidder's token and an `Idempotency-Key` header: the same key
/// and bid again gets the first answer (`new: false`) and records nothing.
#[utoipa::path(post, path = "/api/v1/auctions/{id}/bids", params(("id" = i64, Path),
        ("Idempotency-Key" = String, Header, description = "1–200 bytes, unique per intended bid")),
    request_body = BidIn, security(("bidder_token" = [])),
    responses((status = 201, body = crate::openapi::doc::BidAnswer), (status = 200, body = crate::openapi::doc::BidAnswer),
        (status = 401, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn bid(
    State(app): State<App>,
    Path(auction_id): Path<i64>,
    headers: HeaderMap,
    Json(b): Json<BidIn>,
) -> Result<(StatusCode, Json<BidAnswer>), ApiError> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let cmd = AuctionCommand::Bid {
        auction_id,
        key,
        amount_fen: b.amount_fen,
    };
    let token = bearer(&headers).unwrap_or_default();
    let a = svc::execute(&app, Caller::Bidder { token }, cmd)
        .await?
        .bid()?;
    let status = if a.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(a)))
}

// ---------------------------------------------------------------------------------------
// Public

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// At most 100 (default 20).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuctionList {
    #[schema(value_type = Vec<crate::openapi::doc::AuctionView>)]
    pub items: Vec<AuctionView>,
}

/// 司法拍卖: open auctions first, then the latest closed.
#[utoipa::path(get, path = "/public/v1/auctions", params(ListParams), security(()),
    responses((status = 200, body = AuctionList)))]
pub async fn public_list(
    State(app): State<App>,
    Query(p): Query<ListParams>,
) -> Result<Json<AuctionList>, ApiError> {
    Ok(Json(AuctionList {
        items: svc::public_list(&app, p.limit.unwrap_or(20)).await?,
    }))
}

/// An auction with its full bid log (bidders by number only).
#[utoipa::path(get, path = "/public/v1/auctions/{id}", params(("id" = i64, Path)), security(()),
    responses((status = 200, body = crate::openapi::doc::AuctionView), (status = 404, body = crate::error::Problem)))]
pub async fn public_show(
    State(app): State<App>,
    Path(id): Path<i64>,
) -> Result<Json<AuctionView>, ApiError> {
    Ok(Json(svc::public_view(&app, id).await?))
}

/// A staff member's session (bearer token or cookie), if the caller has one: the
/// registration command refuses the court's own staff. Read without the session's form
/// token and never an error — it only ever refuses.
pub struct StaffSession(pub Option<Principal>);

impl FromRequestParts<App> for StaffSession {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Some(token) = crate::api::request_token(parts) else {
            return Ok(StaffSession(None));
        };
        let who = zhixing_app::identity::auth::authenticate(app, &token)
            .await
            .ok()
            .flatten()
            .map(|a| a.principal);
        Ok(StaffSession(who))
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationIn {
    /// 真实姓名 or the organisation's registered name.
    pub real_name: String,
    /// Resident ID number or unified social credit code.
    pub id_number: String,
}

/// Real-name registration (实名竞买登记): returns the bidder's token once. A caller signed in
/// as the court's staff is refused (`court_staff_may_not_bid`). The answer is otherwise the
/// same whatever the outcome; the outcome (the bidder's number, or why not) is read with the
/// token from `GET /public/v1/auctions/{id}/registration`.
#[utoipa::path(post, path = "/public/v1/auctions/{id}/bidders", params(("id" = i64, Path)), request_body = RegistrationIn,
    security(()), responses((status = 201, body = crate::openapi::doc::BidderCredential), (status = 422, body = crate::error::Problem)))]
pub async fn register(
    State(app): State<App>,
    Path(id): Path<i64>,
    StaffSession(staff): StaffSession,
    Json(b): Json<RegistrationIn>,
) -> Result<(StatusCode, Json<BidderCredential>), ApiError> {
    let cmd = AuctionCommand::Register {
        auction_id: id,
        real_name: b.real_name,
        identifier: b.id_number,
    };
    // Signed in, the caller is the court's staff, whom the command refuses.
    let by = staff.as_ref().map_or(Caller::Public, Caller::Court);
    let c = svc::execute(&app, by, cmd).await?.registered()?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// The outcome of a registration, for the holder of its token: the bidder's number and
/// deposit, or why the registration was refused.
#[utoipa::path(get, path = "/public/v1/auctions/{id}/registration", params(("id" = i64, Path)),
    security(("bidder_token" = [])),
    responses((status = 200, body = crate::openapi::doc::RegistrationView), (status = 401, body = crate::error::Problem)))]
pub async fn registration(
    State(app): State<App>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Json<RegistrationView>, ApiError> {
    let token = bearer(&headers).unwrap_or_default();
    Ok(Json(svc::registration(&app, id, token).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeedParams {
    /// Start after this log position, as `Last-Event-ID` does (which wins when both are
    /// sent): a page that already shows the log up to a position opens the feed there.
    pub after: Option<i64>,
}

/// The live feed (server-sent events): each accepted bid (`bid`, with the new end) and the
/// close (`closed`), with the log position as the event id. Reconnecting with
/// `Last-Event-ID` resumes after it; `?after=` opens the feed after a position.
#[utoipa::path(get, path = "/public/v1/auctions/{id}/events", params(("id" = i64, Path), FeedParams), security(()),
    responses((status = 200, description = "text/event-stream"), (status = 404, body = crate::error::Problem)))]
pub async fn events(
    State(app): State<App>,
    Path(id): Path<i64>,
    Query(p): Query<FeedParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // Exists, or 404 before the stream starts.
    svc::ensure_exists(&app, id).await?;
    let mut last: i64 = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .or(p.after)
        .filter(|v: &i64| *v >= 0)
        .unwrap_or(0);
    let feed = app.auctions.feed(id);
    // Told of growth from before the first read, so nothing falls between the two.
    let mut grew = feed.subscribe();
    // Each event is encoded once, when its bid is published; every listener is sent the
    // same bytes from where it stands in the feed.
    let stream = async_stream::stream! {
        loop {
            match svc::feed_after(&app, id, &feed, last).await {
                Ok((frames, upto)) => {
                    for frame in frames {
                        yield Ok::<_, Infallible>(frame);
                    }
                    last = upto;
                }
                Err(_) => break,
            }
            match tokio::time::timeout(svc::FEED_CHECK, grew.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) => break,
                Err(_) => {
                    // Quiet: look for bids another process took, and keep the connection
                    // open through proxies with a comment line.
                    if svc::feed_check(&app, id, &feed).await.is_err() {
                        break;
                    }
                    yield Ok(Bytes::from_static(b":\n\n"));
                }
            }
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// The auction-files form, as OpenAPI describes it; the handler reads the parts one by one.
#[derive(ToSchema)]
#[allow(dead_code)] // a description for the OpenAPI document, never built
pub struct FilesForm {
    /// 1–5 files of at most 10 MiB each: photos (JPEG, PNG) or PDF documents, judged by their
    /// content; at most 12 per auction.
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<Vec<u8>>,
}

/// Attaches photos or documents of the item to an auction still open (multipart/form-data,
/// parts named `file`); answers every file the auction now has.
#[utoipa::path(post, path = "/api/v1/auctions/{id}/files", params(("id" = i64, Path)),
    request_body(content = FilesForm, content_type = "multipart/form-data"),
    responses((status = 201, body = [crate::openapi::doc::AuctionFileView]), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 413, body = crate::error::Problem),
        (status = 415, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn attach_files(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<Vec<AuctionFileView>>), ApiError> {
    auction_files::may_attach(&app, &ctx.principal, id).await?;
    let parts = crate::multipart::read_parts(
        mp.map_err(crate::multipart::rejection)?,
        &[],
        "file",
        zhixing_domain::field::MAX_ATTACHMENTS,
    )
    .await?;
    let files = auction_files::attach(&app, &ctx.principal, id, parts.files).await?;
    Ok((StatusCode::CREATED, Json(files)))
}

/// The photos and documents of an auction's item.
#[utoipa::path(get, path = "/public/v1/auctions/{id}/files", params(("id" = i64, Path)), security(()),
    responses((status = 200, body = [crate::openapi::doc::AuctionFileView]), (status = 404, body = crate::error::Problem)))]
pub async fn files(
    State(app): State<App>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AuctionFileView>>, ApiError> {
    zhixing_app::disposal::auction::room(&app, id).await?;
    Ok(Json(auction_files::files_of(&app, id).await?))
}

/// One photo or document of an auction's item, with its stored type and hash.
#[utoipa::path(get, path = "/public/v1/auctions/{id}/files/{no}", params(("id" = i64, Path), ("no" = i64, Path)), security(()),
    responses((status = 200, description = "the file, with its stored type and X-Content-SHA256",
            content(("image/jpeg"), ("image/png"), ("application/pdf"))),
        (status = 404, body = crate::error::Problem)))]
pub async fn file(
    State(app): State<App>,
    Path((id, no)): Path<(i64, i64)>,
) -> Result<axum::response::Response, ApiError> {
    let (f, bytes) = auction_files::file(&app, id, no).await?;
    Ok(crate::multipart::download(
        bytes,
        &f.name,
        &f.content_type,
        &f.sha256,
    ))
}
