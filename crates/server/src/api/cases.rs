//! Case handling over HTTP.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhixing_app::AppError;
use zhixing_app::case::query::{self, CasePage, ListQuery, TimelineEntry};
use zhixing_app::case::{self as svc, CaseCommand, CaseView, FileCase, Filed};
use zhixing_app::state::App;
use zhixing_domain::case::{self, Basis, Condition};
use zhixing_domain::filing::{self, FilingInput, PartyInput};

use super::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use crate::messages::{self, Lang};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BasisIn {
    /// judgment, ruling, mediation, arbitration_award, notarized_debt, administrative_decision, other
    pub kind: String,
    pub issuing_body: String,
    pub document_number: String,
    /// YYYY-MM-DD
    pub effective_date: String,
    /// Last day of the performance period, YYYY-MM-DD.
    pub performance_deadline: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AmountsIn {
    #[serde(default)]
    pub principal: i64,
    #[serde(default)]
    pub interest: i64,
    #[serde(default)]
    pub delay_interest: i64,
    #[serde(default)]
    pub costs: i64,
}

/// A filing. Amounts are in fen.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileCaseIn {
    /// 执 or 执保 (执恢 comes from resuming a case).
    pub case_type: String,
    /// Optional: must be the caller's own court.
    #[serde(default)]
    pub court_id: Option<String>,
    #[schema(value_type = Vec<Object>)]
    pub parties: Vec<PartyInput>,
    pub basis: BasisIn,
    #[serde(default)]
    pub amounts: AmountsIn,
    #[serde(default)]
    pub duties: String,
    /// Required when the limitation period of the rule book has run out.
    #[serde(default)]
    pub late_reason: Option<String>,
}

impl FileCaseIn {
    /// The filing command, or what in the body cannot be read as a filing (a date, the kind
    /// of basis) — refused as the filing's own problems are.
    pub fn into_command(self) -> Result<FileCase, AppError> {
        let input = FilingInput {
            case_type: self.case_type,
            parties: self.parties,
            basis: Basis {
                kind: filing::basis_kind_of(&self.basis.kind)?,
                issuing_body: self.basis.issuing_body,
                document_number: self.basis.document_number,
                effective_date: filing::date_of("effective_date", &self.basis.effective_date)?,
                performance_deadline: filing::date_of(
                    "performance_deadline",
                    &self.basis.performance_deadline,
                )?,
            },
            amounts: [
                self.amounts.principal,
                self.amounts.interest,
                self.amounts.delay_interest,
                self.amounts.costs,
            ],
            duties: self.duties,
            late_reason: self.late_reason,
        };
        Ok(FileCase {
            input,
            court_id: self.court_id,
        })
    }
}

/// Files a case at the caller's court.
#[utoipa::path(post, path = "/api/v1/cases", request_body = FileCaseIn,
    responses((status = 201, body = crate::openapi::doc::Filed), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn file(
    State(app): State<App>,
    ctx: Ctx,
    Json(body): Json<FileCaseIn>,
) -> Result<(StatusCode, Json<Filed>), ApiError> {
    let filed = svc::file(&app, &ctx.principal, body.into_command()?).await?;
    Ok((StatusCode::CREATED, Json(filed)))
}

/// The query of `GET /api/v1/cases` as the document describes it: the application's
/// `ListQuery` (which knows no OpenAPI) is what the route reads.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct ListParams {
    /// Court id (default: the caller's).
    #[param(inline, value_type = Option<crate::openapi::vocab::CourtId>)]
    court: Option<String>,
    /// open, suspended, pending_closure, closed
    #[param(inline, value_type = Option<crate::openapi::vocab::CaseStatus>)]
    status: Option<String>,
    /// A user id, or `me`.
    #[param(pattern = "^(me|[0-9]{1,18})$")]
    officer: Option<String>,
    /// 执, 执恢, 执保, …
    #[param(rename = "type", inline, value_type = Option<crate::openapi::vocab::CaseType>)]
    case_type: Option<String>,
    /// Only cases with a missed deadline.
    overdue: Option<bool>,
    /// Filed on or after this day.
    #[param(inline, value_type = Option<crate::openapi::vocab::Date>)]
    filed_from: Option<String>,
    /// Filed on or before this day.
    #[param(inline, value_type = Option<crate::openapi::vocab::Date>)]
    filed_to: Option<String>,
    /// A case number, a party's name (prefix), or an ID number / credit code.
    q: Option<String>,
    /// `due` (next deadline first), `filed` (newest first, default), `amount` (largest amount
    /// to enforce first) or `amount_asc` (smallest first); each pages by its own keyset.
    #[param(inline, value_type = Option<crate::openapi::vocab::CaseSort>)]
    sort: Option<String>,
    /// 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// `next_cursor` of the page before (opaque: any other value is refused, 400
    /// `invalid_cursor`).
    cursor: Option<String>,
}

/// The cases of a court, filtered, a page at a time.
#[utoipa::path(get, path = "/api/v1/cases", params(ListParams), responses((status = 200, body = crate::openapi::doc::CasePage)))]
pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Json<CasePage>, ApiError> {
    Ok(Json(query::list(&app, &ctx.principal, &q).await?.page))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ShowParams {
    /// Show the case as it stood at this moment (RFC 3339).
    #[param(inline, value_type = Option<crate::openapi::vocab::DateTime>)]
    pub as_of: Option<String>,
}

/// One case with its deadlines and next actions; `as_of` plays it back.
#[utoipa::path(get, path = "/api/v1/cases/{id}", params(("id" = i64, Path), ShowParams), responses((status = 200, body = crate::openapi::doc::CaseView), (status = 404, body = crate::error::Problem)))]
pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ShowParams>,
) -> Result<Json<CaseView>, ApiError> {
    let as_of = match q.as_of.as_deref() {
        None => None,
        Some(s) => Some(s.parse::<jiff::Timestamp>().map_err(|_| {
            ApiError::bad_request(
                "invalid_as_of",
                "as_of must be a timestamp like 2025-03-01T08:00:00Z",
            )
        })?),
    };
    Ok(Json(svc::show(&app, &ctx.principal, id, as_of).await?))
}

/// Every event of the case, in order, with actor and time — including those of its price
/// determinations (`valuation.*`).
#[utoipa::path(get, path = "/api/v1/cases/{id}/timeline", params(("id" = i64, Path)), responses((status = 200, body = [crate::openapi::doc::TimelineEntry])))]
pub async fn timeline(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<TimelineEntry>>, ApiError> {
    Ok(Json(query::timeline(&app, &ctx.principal, id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Changed {
    /// The case's new version.
    pub version: i64,
}

/// Carries out a change to case `id` and answers with the case's new version.
async fn change(
    app: &App,
    ctx: &Ctx,
    id: i64,
    version: Option<i64>,
    cmd: CaseCommand,
) -> Result<Json<Changed>, ApiError> {
    let done = svc::execute(app, &ctx.principal, id, version, cmd).await?;
    Ok(Json(Changed {
        version: done.version,
    }))
}

/// The body of every change: `version` (optional) refuses the change if the case moved on.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignIn {
    pub officer_id: i64,
    pub version: Option<i64>,
}

/// Assigns or reassigns the officer (分案): an active officer or judge of the case's court.
#[utoipa::path(post, path = "/api/v1/cases/{id}/assignment", params(("id" = i64, Path)), request_body = AssignIn, responses((status = 200, body = Changed), (status = 409, body = crate::error::Problem)))]
pub async fn assign(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<AssignIn>,
) -> Result<Json<Changed>, ApiError> {
    let cmd = CaseCommand::Assign {
        officer_id: b.officer_id,
    };
    change(&app, &ctx, id, b.version, cmd).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionIn {
    /// notice_issued, online_investigation, traditional_investigation, consumption_restriction,
    /// dishonest_listing, dishonest_not_applicable, debtor_search, interview,
    /// no_enforceable_property, duties_performed, property_reported, property_report_false,
    /// settlement_breached
    #[schema(inline, value_type = crate::openapi::vocab::ActionKind)]
    pub action: String,
    #[serde(default)]
    pub note: String,
    /// For notice_issued only, and required there: the days the 执行通知书 gives to perform
    /// (0: at once), counted from service.
    #[serde(default)]
    pub perform_days: Option<i64>,
    /// For notice_issued only, and required there: the days the 报告财产令 gives to report
    /// property (at least 1), counted from service.
    #[serde(default)]
    pub report_days: Option<i64>,
    pub version: Option<i64>,
}

/// Records a step of the process (it may issue documents: the notice issues 执行通知书 and 报告财产令).
#[utoipa::path(post, path = "/api/v1/cases/{id}/actions", params(("id" = i64, Path)), request_body = ActionIn, responses((status = 200, body = Changed)))]
pub async fn action(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ActionIn>,
) -> Result<Json<Changed>, ApiError> {
    let cmd = CaseCommand::RecordAction {
        action: case::action_of(&b.action).map_err(AppError::from)?,
        note: b.note,
        periods: case::StatedPeriods {
            perform_days: b.perform_days,
            report_days: b.report_days,
        },
    };
    change(&app, &ctx, id, b.version, cmd).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClueIn {
    pub description: String,
    #[serde(default)]
    pub urgent: bool,
    pub version: Option<i64>,
}

/// Records a property clue given by the applicant, to be verified within the rule book's
/// days (fewer if urgent).
#[utoipa::path(post, path = "/api/v1/cases/{id}/clues", params(("id" = i64, Path)), request_body = ClueIn, responses((status = 200, body = Changed)))]
pub async fn clue(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ClueIn>,
) -> Result<Json<Changed>, ApiError> {
    let cmd = CaseCommand::SubmitClue {
        description: b.description,
        urgent: b.urgent,
    };
    change(&app, &ctx, id, b.version, cmd).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyIn {
    pub result: String,
    pub version: Option<i64>,
}

/// Records the verification of a clue.
#[utoipa::path(post, path = "/api/v1/cases/{id}/clues/{no}/verification", params(("id" = i64, Path), ("no" = u32, Path)), request_body = VerifyIn, responses((status = 200, body = Changed)))]
pub async fn verify_clue(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, u32)>,
    Json(b): Json<VerifyIn>,
) -> Result<Json<Changed>, ApiError> {
    let cmd = CaseCommand::VerifyClue {
        no,
        result: b.result,
    };
    change(&app, &ctx, id, b.version, cmd).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityIn {
    /// Who gave the security: the debtor or a guarantor (担保人).
    pub provider: String,
    /// What it is (保证、抵押、质押 …).
    pub description: String,
    /// The value the court accepts, in fen.
    pub value_fen: i64,
    pub version: Option<i64>,
}

/// Records security for performance (执行担保). Security covering what is still due rules
/// out listing on ground 1 (SPC provisions on the dishonest list, art. 3).
#[utoipa::path(post, path = "/api/v1/cases/{id}/securities", params(("id" = i64, Path)), request_body = SecurityIn, responses((status = 200, body = Changed)))]
pub async fn security(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<SecurityIn>,
) -> Result<Json<Changed>, ApiError> {
    let cmd = CaseCommand::RecordSecurity {
        provider: b.provider,
        description: b.description,
        value_fen: b.value_fen,
    };
    change(&app, &ctx, id, b.version, cmd).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentIn {
    /// In fen.
    pub amount: i64,
    #[serde(default)]
    pub note: String,
    pub version: Option<i64>,
}

/// Records an amount performed (paid by the respondent or recovered).
#[utoipa::path(post, path = "/api/v1/cases/{id}/payments", params(("id" = i64, Path)), request_body = PaymentIn, responses((status = 200, body = Changed)))]
pub async fn payment(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<PaymentIn>,
) -> Result<Json<Changed>, ApiError> {
    let cmd = CaseCommand::RecordPayment {
        amount_fen: b.amount,
        note: b.note,
    };
    change(&app, &ctx, id, b.version, cmd).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonIn {
    #[schema(min_length = 1)]
    pub reason: String,
    pub version: Option<i64>,
}

/// Suspends the case (中止): its clock stops.
#[utoipa::path(post, path = "/api/v1/cases/{id}/suspension", params(("id" = i64, Path)), request_body = ReasonIn, responses((status = 200, body = Changed)))]
pub async fn suspend(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ReasonIn>,
) -> Result<Json<Changed>, ApiError> {
    let cmd = CaseCommand::Suspend { reason: b.reason };
    change(&app, &ctx, id, b.version, cmd).await
}

/// Ends the suspension: the clock runs again.
#[utoipa::path(delete, path = "/api/v1/cases/{id}/suspension", params(("id" = i64, Path)), responses((status = 200, body = Changed)))]
pub async fn end_suspension(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Changed>, ApiError> {
    change(&app, &ctx, id, None, CaseCommand::EndSuspension).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionIn {
    /// Months asked for.
    pub months: i64,
    /// Why the case needs more time.
    pub reason: String,
    pub version: Option<i64>,
}

/// Asks the court president to extend the time to conclude (延长执行期限). A request later
/// than the rule book's lead time before the time runs out is refused with that rule
/// (`params`: its figure, citation, the day the time ends and the last day to ask).
#[utoipa::path(post, path = "/api/v1/cases/{id}/extension", params(("id" = i64, Path)), request_body = ExtensionIn, responses((status = 200, body = Changed), (status = 422, body = crate::error::Problem)))]
pub async fn extension(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ExtensionIn>,
) -> Result<Json<Changed>, ApiError> {
    let cmd = CaseCommand::RequestExtension {
        months: b.months,
        reason: b.reason,
    };
    change(&app, &ctx, id, b.version, cmd).await
}

/// The court president grants the requested extension or refuses it (`note`: the reason,
/// required for a refusal). Whoever asked may not decide (`own_proposal`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/extension/decision", params(("id" = i64, Path)), request_body = DecisionIn, responses((status = 200, body = Changed)))]
pub async fn decide_extension(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<DecisionIn>,
) -> Result<Json<Changed>, ApiError> {
    let cmd = CaseCommand::DecideExtension {
        approve: b.approve,
        note: b.note,
    };
    change(&app, &ctx, id, b.version, cmd).await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ChecklistParams {
    /// fully_performed, zhongben, terminated, withdrawn, refused, rejected
    #[param(inline, value_type = crate::openapi::vocab::ClosureMode)]
    pub mode: String,
}

/// One precondition of a closure: its code, what it asks (from the message catalogue, with
/// the figures of the rule book), whether it is met, and the rule's parameters.
#[derive(Serialize, ToSchema)]
pub struct ConditionOut {
    pub code: &'static str,
    pub description: String,
    pub met: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub params: Option<serde_json::Value>,
}

/// The conditions in `lang`; shared with the closure page.
pub fn described(lang: Lang, conditions: &[Condition]) -> Vec<ConditionOut> {
    conditions
        .iter()
        .map(|c| ConditionOut {
            code: c.code,
            description: messages::message(lang, c.code, &c.params)
                .unwrap_or_else(|| c.code.to_owned()),
            met: c.met,
            params: (!c.params.is_empty())
                .then(|| serde_json::to_value(&c.params).ok())
                .flatten(),
        })
        .collect()
}

#[derive(Serialize, ToSchema)]
pub struct Checklist {
    pub mode: String,
    pub needs_approval: bool,
    pub conditions: Vec<ConditionOut>,
    /// What the closure would end, were it to take effect today: measures released (their
    /// ids), listings removed and restriction orders lifted (their numbers on the case).
    #[schema(value_type = crate::openapi::doc::ClosureEffects)]
    pub effects: zhixing_app::case::query::ClosureEffects,
}

/// The preconditions of a closure mode and whether each is met.
#[utoipa::path(get, path = "/api/v1/cases/{id}/closure-checklist", params(("id" = i64, Path), ChecklistParams), responses((status = 200, body = Checklist)))]
pub async fn checklist(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ChecklistParams>,
) -> Result<Json<Checklist>, ApiError> {
    let mode = case::closure_mode_of(&q.mode).map_err(AppError::from)?;
    let list = query::checklist(&app, &ctx.principal, id, mode).await?;
    Ok(Json(Checklist {
        mode: list.mode.as_str().to_owned(),
        needs_approval: list.needs_approval,
        conditions: described(Lang::En, &list.conditions),
        effects: list.effects,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureIn {
    #[schema(inline, value_type = crate::openapi::vocab::ClosureMode)]
    pub mode: String,
    #[schema(min_length = 1)]
    pub reason: String,
    pub version: Option<i64>,
}

/// Closes the case, or sends the closure to the division head where the mode needs approval.
/// A refusal lists every unmet condition (`reasons`, each with its rule's parameters).
#[utoipa::path(post, path = "/api/v1/cases/{id}/closure", params(("id" = i64, Path)), request_body = ClosureIn, responses((status = 200, body = Changed), (status = 422, body = crate::error::Problem)))]
pub async fn close(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ClosureIn>,
) -> Result<Json<Changed>, ApiError> {
    let cmd = CaseCommand::RequestClosure {
        mode: case::closure_mode_of(&b.mode).map_err(AppError::from)?,
        reason: b.reason,
    };
    change(&app, &ctx, id, b.version, cmd).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    pub approve: bool,
    #[serde(default)]
    pub note: String,
    pub version: Option<i64>,
}

/// The division head approves or sends back a requested closure.
#[utoipa::path(post, path = "/api/v1/cases/{id}/closure/decision", params(("id" = i64, Path)), request_body = DecisionIn, responses((status = 200, body = Changed)))]
pub async fn decide(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<DecisionIn>,
) -> Result<Json<Changed>, ApiError> {
    let cmd = CaseCommand::DecideClosure {
        approve: b.approve,
        note: b.note,
    };
    change(&app, &ctx, id, b.version, cmd).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResumeIn {
    #[schema(min_length = 1)]
    pub reason: String,
}

/// Resumes a terminated (终本) case as a new 执恢 case linked to it.
#[utoipa::path(post, path = "/api/v1/cases/{id}/resumption", params(("id" = i64, Path)), request_body = ResumeIn, responses((status = 201, body = crate::openapi::doc::Filed)))]
pub async fn resume(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ResumeIn>,
) -> Result<(StatusCode, Json<Filed>), ApiError> {
    let cmd = CaseCommand::Resume { reason: b.reason };
    let done = svc::execute(&app, &ctx.principal, id, None, cmd).await?;
    let filed = done
        .resumed_as
        .ok_or_else(|| AppError::internal("a resumption filed no case"))?;
    Ok((StatusCode::CREATED, Json(filed)))
}

#[derive(Serialize, ToSchema)]
pub struct Identifier {
    pub identifier: String,
}

/// A party's full ID number or credit code. Every such read is recorded on the audit chain.
#[utoipa::path(get, path = "/api/v1/cases/{id}/parties/{no}/identifier", params(("id" = i64, Path), ("no" = i64, Path)), responses((status = 200, body = Identifier)))]
pub async fn identifier(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, i64)>,
) -> Result<Json<Identifier>, ApiError> {
    Ok(Json(Identifier {
        identifier: svc::reveal_identifier(&app, &ctx.principal, id, no).await?,
    }))
}

/// The other enforcement cases against respondent `no` of this case in every court, found by
/// the blind index of their ID number or credit code (never by name), with the measures on
/// their property in order of precedence (who holds it first, the waiting list). Seen by
/// those who handle the case (nationally) and by a supervisor or division head above its
/// court (the courts below theirs). Every view is recorded on the audit chain.
#[utoipa::path(get, path = "/api/v1/cases/{id}/parties/{no}/related-cases", params(("id" = i64, Path), ("no" = i64, Path)), responses((status = 200, body = crate::openapi::doc::RelatedCases), (status = 404, body = crate::error::Problem, description = "No such case, or the party is not a respondent of it: `respondent_not_found`.")))]
pub async fn related_cases(
    State(app): State<App>,
    ctx: Ctx,
    Path((id, no)): Path<(i64, i64)>,
) -> Result<Json<zhixing_app::case::debtor::RelatedCases>, ApiError> {
    Ok(Json(
        zhixing_app::case::debtor::of_party(&app, &ctx.principal, id, no).await?,
    ))
}

/// The web of related parties and property of this case: its respondents' legal
/// representatives and co-respondents (from the filing), the property found (from the
/// institutions' replies) and the other cases in which the same property was found, with
/// their respondents — each link with its source (document or reply, and its day), and each
/// related party who is a debtor in other cases marked (by blind index, never by name). Seen
/// as the related cases are; every view is recorded on the audit chain.
#[utoipa::path(get, path = "/api/v1/cases/{id}/related-parties", params(("id" = i64, Path)), responses((status = 200, body = crate::openapi::doc::Web)))]
pub async fn related_parties(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<zhixing_app::case::web::Web>, ApiError> {
    Ok(Json(
        zhixing_app::case::web::of_case(&app, &ctx.principal, id).await?,
    ))
}

/// An issued document, print-ready HTML, with its hash in `X-Content-SHA256`.
#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = i64, Path)), responses((status = 200, content_type = "text/html")))]
pub async fn document(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let doc = query::document(&app, &ctx.principal, id).await?;
    Ok(document_response(doc))
}

/// The policy of an issued document: its own inline style only.
const DOCUMENT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// An issued document as an answer: its HTML, its hash in `X-Content-SHA256`. Shared with the
/// page that prints it.
pub fn document_response(doc: query::IssuedDocument) -> Response {
    let mut resp = Html(doc.html).into_response();
    // A document carries its print styles (A4, 仿宋) in its own `<style>`, kept byte for byte
    // under its hash: this answer allows that inline style and nothing else — no script, no
    // request out, no form.
    resp.headers_mut().insert(
        axum::http::header::CONTENT_SECURITY_POLICY,
        axum::http::HeaderValue::from_static(DOCUMENT_CSP),
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&doc.sha256) {
        resp.headers_mut().insert("x-content-sha256", v);
    }
    resp
}
