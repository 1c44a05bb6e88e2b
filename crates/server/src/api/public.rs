//! The public API (`/public/v1`, no session, rate limited): a party's view of its case,
//! court announcements and the 终本 list; and the two officer routes that feed it.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use zhixing_app::credit::publication::{self as publ, PublishedListing, PublishedRestriction};
use zhixing_app::portal::{
    self as svc, AccessCode, Announcement, PartyCaseView, SubmissionView, TerminatedCase,
    submissions,
};
use zhixing_app::state::App;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyAccessIn {
    /// The case number, e.g. `(2025)京0105执12号` (full-width brackets accepted).
    pub case_number: String,
    /// The party's access code from the acceptance of the case.
    pub code: String,
}

/// 当事人查询: a party's view of its case, by case number and access code.
#[utoipa::path(post, path = "/public/v1/party-access", request_body = PartyAccessIn, security(()),
    responses((status = 200, body = crate::openapi::doc::PartyCaseView), (status = 403, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn party_access(
    State(app): State<App>,
    Json(body): Json<PartyAccessIn>,
) -> Result<Json<PartyCaseView>, ApiError> {
    Ok(Json(
        svc::party_access(&app, &body.case_number, &body.code).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyClueIn {
    /// The case number, e.g. `(2025)京0105执12号` (full-width brackets accepted).
    pub case_number: String,
    /// The access code of an applicant of the case (a respondent is refused,
    /// 422 `clue_applicant_only`).
    pub code: String,
    /// The property and where it may be found; at most 1000 characters (422 `invalid_clue`).
    pub description: String,
}

/// 网上提交财产线索: an applicant gives a property clue with their case number and access
/// code; it lands on the case as a clue to verify within the rule book's days, and the answer
/// carries the receipt number to follow it by. Each use of a code is throttled like the party
/// view (429 `access_locked`).
#[utoipa::path(post, path = "/public/v1/party-clues", request_body = PartyClueIn, security(()),
    responses((status = 201, body = crate::openapi::doc::SubmissionView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn party_clue(
    State(app): State<App>,
    Json(body): Json<PartyClueIn>,
) -> Result<(StatusCode, Json<SubmissionView>), ApiError> {
    let v =
        submissions::submit_clue(&app, &body.case_number, &body.code, &body.description).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyComplaintIn {
    /// The case number, e.g. `(2025)京0105执12号` (full-width brackets accepted).
    pub case_number: String,
    /// The access code of a party of the case.
    pub code: String,
    /// What the complaint is about; at most 4000 characters (422 `invalid_summary`).
    pub summary: String,
}

/// 网上信访: a party complains about the enforcement of their case with their case number
/// and access code; it is registered against the case (channel `online`) with its
/// working-day deadlines, and the answer carries the receipt number to follow it by.
#[utoipa::path(post, path = "/public/v1/party-complaints", request_body = PartyComplaintIn, security(()),
    responses((status = 201, body = crate::openapi::doc::SubmissionView), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn party_complaint(
    State(app): State<App>,
    Json(body): Json<PartyComplaintIn>,
) -> Result<(StatusCode, Json<SubmissionView>), ApiError> {
    let v =
        submissions::submit_complaint(&app, &body.case_number, &body.code, &body.summary).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyReceiptIn {
    pub case_number: String,
    /// The access code of the party who submitted it.
    pub code: String,
    /// The receipt number (回执号) the submission answered.
    pub receipt: String,
}

/// Follows a clue or a complaint submitted online: the clue's verification or the
/// complaint's status and reply. Only the party who submitted it, with their access code;
/// any other receipt is 404 `receipt_not_found`.
#[utoipa::path(post, path = "/public/v1/party-receipts", request_body = PartyReceiptIn, security(()),
    responses((status = 200, body = crate::openapi::doc::SubmissionView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn party_receipt(
    State(app): State<App>,
    Json(body): Json<PartyReceiptIn>,
) -> Result<Json<SubmissionView>, ApiError> {
    Ok(Json(
        submissions::follow(&app, &body.case_number, &body.code, &body.receipt).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct AnnouncementPage {
    #[schema(value_type = Vec<crate::openapi::doc::Announcement>)]
    pub items: Vec<Announcement>,
    pub next: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TerminatedPage {
    #[schema(value_type = Vec<crate::openapi::doc::TerminatedCase>)]
    pub items: Vec<TerminatedCase>,
    pub next: Option<i64>,
}

/// The announcements a reader asks for.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementParams {
    /// At most 100 (default 20).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<i64>,
    /// One court's announcements only (its id, e.g. `b110105`).
    pub court_id: Option<String>,
    /// A part of the title, taken literally; at most 64 characters (400 `search_too_long`).
    pub q: Option<String>,
}

/// 法院公告, newest first; by court and by a part of the title.
#[utoipa::path(get, path = "/public/v1/announcements", params(AnnouncementParams), security(()),
    responses((status = 200, body = AnnouncementPage), (status = 400, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn announcements(
    State(app): State<App>,
    Query(p): Query<AnnouncementParams>,
) -> Result<Json<AnnouncementPage>, ApiError> {
    let q = svc::AnnouncementQuery {
        before: p.cursor,
        limit: p.limit.unwrap_or(20),
        court_id: p.court_id,
        title: p.q,
    };
    let (items, next) = svc::announcements(&app, &q).await?;
    Ok(Json(AnnouncementPage { items, next }))
}

/// The 终本 cases a reader asks for.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TerminatedParams {
    /// At most 100 (default 20).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<i64>,
    /// A part of the case number, e.g. `执50`; at most 64 characters.
    pub number: Option<String>,
    /// A part of a respondent's name as published; at most 64 characters.
    pub name: Option<String>,
}

/// Cases closed by 终结本次执行程序 (终本), with masked identifiers, newest first; by a
/// part of the case number and of a respondent's name.
#[utoipa::path(get, path = "/public/v1/terminated-cases", params(TerminatedParams), security(()),
    responses((status = 200, body = TerminatedPage), (status = 400, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn terminated(
    State(app): State<App>,
    Query(p): Query<TerminatedParams>,
) -> Result<Json<TerminatedPage>, ApiError> {
    let q = svc::TerminatedQuery {
        before: p.cursor,
        limit: p.limit.unwrap_or(20),
        number: p.number,
        name: p.name,
    };
    let (items, next) = svc::terminated(&app, &q).await?;
    Ok(Json(TerminatedPage { items, next }))
}

/// A search of the published credit lists: both the name and the identifier are required.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// 姓名/名称, exactly as registered (a name alone is refused, 400 `name_required`).
    #[param(required, inline, value_type = crate::openapi::vocab::SearchName)]
    pub name: Option<String>,
    /// The resident ID number (身份证号码, 18 characters with its check character) or the
    /// unified social credit code (统一社会信用代码); one that fails its check is refused, 400
    /// `invalid_identifier`, and none at all, 400 `search_too_broad`.
    #[param(required, inline, value_type = crate::openapi::vocab::Identifier)]
    pub id_number: Option<String>,
    /// Another name for `id_number`, for organisations, read when `id_number` is absent.
    #[param(inline, value_type = Option<crate::openapi::vocab::Identifier>)]
    pub credit_code: Option<String>,
}

impl SearchParams {
    fn identifier(&self) -> Option<&str> {
        self.id_number
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .or(self.credit_code.as_deref())
    }
}

#[derive(Serialize, ToSchema)]
pub struct DishonestResults {
    #[schema(value_type = Vec<crate::openapi::doc::PublishedListing>)]
    pub items: Vec<PublishedListing>,
}

#[derive(Serialize, ToSchema)]
pub struct RestrictedResults {
    #[schema(value_type = Vec<crate::openapi::doc::PublishedRestriction>)]
    pub items: Vec<PublishedRestriction>,
}

/// 失信被执行人名单查询: listings in force on a name plus ID number or credit code. A name
/// alone is refused (`search_too_broad`); identifiers come back masked.
#[utoipa::path(get, path = "/public/v1/dishonest", params(SearchParams), security(()),
    responses((status = 200, body = DishonestResults), (status = 400, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn dishonest(
    State(app): State<App>,
    Query(p): Query<SearchParams>,
) -> Result<Json<DishonestResults>, ApiError> {
    let items = publ::dishonest(&app, p.name.as_deref(), p.identifier()).await?;
    Ok(Json(DishonestResults { items }))
}

/// 限制消费人员查询: consumption restriction orders in force, searched like the dishonest list.
#[utoipa::path(get, path = "/public/v1/restricted", params(SearchParams), security(()),
    responses((status = 200, body = RestrictedResults), (status = 400, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn restricted(
    State(app): State<App>,
    Query(p): Query<SearchParams>,
) -> Result<Json<RestrictedResults>, ApiError> {
    let items = publ::restricted(&app, p.name.as_deref(), p.identifier()).await?;
    Ok(Json(RestrictedResults { items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementIn {
    /// The court (default: the caller's).
    #[serde(default)]
    pub court_id: Option<String>,
    pub title: String,
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct Posted {
    pub id: i64,
}

/// Posts a court announcement (officers and administrators of the court).
#[utoipa::path(post, path = "/api/v1/announcements", request_body = AnnouncementIn,
    responses((status = 201, body = Posted), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn announce(
    State(app): State<App>,
    ctx: Ctx,
    Json(body): Json<AnnouncementIn>,
) -> Result<(StatusCode, Json<Posted>), ApiError> {
    let cmd = svc::AnnouncementCommand::Post {
        court_id: body.court_id,
        title: body.title,
        body: body.body,
    };
    let id = svc::post_announcement(&app, &ctx.principal, cmd).await?;
    Ok((StatusCode::CREATED, Json(Posted { id })))
}

/// (Re)issues a party's access code; the old code stops working. The code is shown once.
#[utoipa::path(post, path = "/api/v1/cases/{id}/parties/{no}/access-code",
    params(("id" = i64, Path), ("no" = i64, Path)),
    responses((status = 201, body = crate::openapi::doc::AccessCode), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn access_code(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, i64)>,
) -> Result<(StatusCode, Json<AccessCode>), ApiError> {
    let cmd = svc::AccessCodeCommand::Reissue {
        case_id: id,
        party_no: no,
    };
    Ok((
        StatusCode::CREATED,
        Json(svc::reissue_code(&app, &ctx.principal, cmd).await?),
    ))
}
