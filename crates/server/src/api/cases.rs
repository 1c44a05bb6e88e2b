//! Case handling over HTTP.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhixing_domain::access::Action;
use zhixing_domain::case::{self, ActionKind, Basis, BasisKind, CaseEvent, ClosureMode};
use zhixing_domain::case_number::CaseNumber;
use zhixing_domain::filing::{FilingInput, PartyInput};
use zhixing_domain::money::Fen;
use zhixing_store::cases::{CaseFilter, CaseRow};

use super::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use zhixing_app::case::{self as svc, CaseView};
use zhixing_app::state::App;

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
    /// Required when the 2-year limitation has run out.
    #[serde(default)]
    pub late_reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Filed {
    pub id: i64,
    pub number: String,
    /// Each party's access code for the public party page, shown this once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<crate::openapi::doc::AccessCode>)]
    pub access_codes: Vec<zhixing_app::portal::AccessCode>,
}

fn date(field: &str, s: &str) -> Result<Date, ApiError> {
    s.parse().map_err(|_| {
        ApiError::unprocessable("invalid_date", format!("{field} must be a date YYYY-MM-DD"))
    })
}

fn basis_kind(s: &str) -> Result<BasisKind, ApiError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| ApiError::unprocessable("invalid_basis", format!("unknown basis kind {s:?}")))
}

impl FileCaseIn {
    pub fn into_input(self) -> Result<FilingInput, ApiError> {
        Ok(FilingInput {
            case_type: self.case_type,
            parties: self.parties,
            basis: Basis {
                kind: basis_kind(&self.basis.kind)?,
                issuing_body: self.basis.issuing_body,
                document_number: self.basis.document_number,
                effective_date: date("basis.effective_date", &self.basis.effective_date)?,
                performance_deadline: date(
                    "basis.performance_deadline",
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
        })
    }
}

/// Files a case at the caller's court.
#[utoipa::path(post, path = "/api/v1/cases", request_body = FileCaseIn,
    responses((status = 201, body = Filed), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn file(
    State(app): State<App>,
    ctx: Ctx,
    Json(body): Json<FileCaseIn>,
) -> Result<(StatusCode, Json<Filed>), ApiError> {
    if let Some(c) = &body.court_id
        && c != &ctx.principal.court_id
    {
        return Err(ApiError::forbidden(
            "a case is filed at the caller's own court",
        ));
    }
    let input = body.into_input()?;
    let (id, number, access_codes) =
        svc::file_with_codes(&app, &ctx.principal, input, None).await?;
    Ok((
        StatusCode::CREATED,
        Json(Filed {
            id,
            number,
            access_codes,
        }),
    ))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Court id (default: the caller's).
    pub court: Option<String>,
    /// open, suspended, pending_closure, closed
    pub status: Option<String>,
    /// A user id, or `me`.
    pub officer: Option<String>,
    /// 执, 执恢, 执保
    #[serde(rename = "type")]
    pub case_type: Option<String>,
    /// Only cases with a missed deadline.
    pub overdue: Option<bool>,
    pub filed_from: Option<String>,
    pub filed_to: Option<String>,
    /// A case number, a party's name (prefix), or an ID number / credit code.
    pub q: Option<String>,
    /// `due` (next deadline first) or `filed` (newest first, default).
    pub sort: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: i64,
    pub number: String,
    pub case_type: String,
    pub status: String,
    pub closure_mode: Option<String>,
    pub officer_id: Option<i64>,
    pub officer_name: Option<String>,
    pub filed_on: String,
    pub next_due: Option<String>,
    pub overdue: bool,
    pub applicants: Vec<String>,
    pub respondents: Vec<String>,
    pub total_due: i64,
    pub paid: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    pub next_cursor: Option<String>,
}

pub fn summary(row: &CaseRow, today: Date) -> CaseSummary {
    let state: Option<case::CaseState> = serde_json::from_str(&row.state).ok();
    let names = |role: case::PartyRole| -> Vec<String> {
        state
            .as_ref()
            .map(|s| {
                s.parties
                    .iter()
                    .filter(|p| p.role == role)
                    .map(|p| p.name.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    CaseSummary {
        id: row.id,
        number: row.number.clone(),
        case_type: row.case_type.clone(),
        status: row.status.clone(),
        closure_mode: row.closure_mode.clone(),
        officer_id: row.officer_id,
        officer_name: state
            .as_ref()
            .and_then(|s| s.officer.as_ref().map(|o| o.1.clone())),
        filed_on: row.filed_on.clone(),
        next_due: Some(row.next_due.clone()).filter(|d| d != zhixing_store::cases::NO_DEADLINE),
        overdue: row.status != "closed" && row.next_due.as_str() < today.to_string().as_str(),
        applicants: names(case::PartyRole::Applicant),
        respondents: names(case::PartyRole::Respondent),
        total_due: row.total_due,
        paid: row.paid,
    }
}

/// Builds the store filter from the query; shared with the pages.
pub async fn filter_of(app: &App, ctx: &Ctx, q: &ListParams) -> Result<CaseFilter, ApiError> {
    let court_id = q
        .court
        .clone()
        .unwrap_or_else(|| ctx.principal.court_id.clone());
    let court = super::courts::visible_court(app, ctx, &court_id).await?;
    if !ctx.principal.may(Action::ReadCaseData, &court.path) {
        return Err(ApiError::not_found(
            "court_not_found",
            format!("no court {court_id:?}"),
        ));
    }
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            "limit must be between 1 and 500",
        ));
    }
    if let Some(s) = &q.status
        && case::CaseStatus::parse(s).is_none()
    {
        return Err(ApiError::bad_request(
            "invalid_status",
            "status is open, suspended, pending_closure or closed",
        ));
    }
    if let Some(t) = &q.case_type
        && zhixing_domain::case_number::CaseType::parse(t).is_none()
    {
        return Err(ApiError::bad_request(
            "unknown_case_type",
            format!("unknown case type {t:?}"),
        ));
    }
    let officer_id = match q.officer.as_deref() {
        None => None,
        Some("me") => Some(ctx.principal.user_id),
        Some(s) => Some(s.parse().map_err(|_| {
            ApiError::bad_request("invalid_officer", "officer is a user id or `me`")
        })?),
    };
    for (name, v) in [("filed_from", &q.filed_from), ("filed_to", &q.filed_to)] {
        if let Some(d) = v {
            d.parse::<Date>().map_err(|_| {
                ApiError::bad_request("invalid_date", format!("{name} must be YYYY-MM-DD"))
            })?;
        }
    }
    let by_due = match q.sort.as_deref() {
        None | Some("filed") => false,
        Some("due") => true,
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_sort",
                "sort is `due` or `filed`",
            ));
        }
    };
    let after = match &q.cursor {
        None => None,
        Some(c) => {
            let text = hex::decode(c).ok().and_then(|b| String::from_utf8(b).ok());
            let parsed = text
                .as_deref()
                .and_then(|t| t.split_once('|'))
                .and_then(|(k, id)| Some((k.to_owned(), id.parse::<i64>().ok()?)));
            Some(parsed.ok_or_else(|| {
                ApiError::bad_request("invalid_cursor", "the cursor is not one this API returned")
            })?)
        }
    };
    let ids = match q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => Some(search(app, &court.id, text).await?),
    };
    Ok(CaseFilter {
        court_id: court.id,
        status: q.status.clone(),
        officer_id,
        case_type: q.case_type.clone(),
        overdue_before: q.overdue.filter(|o| *o).map(|_| app.today().to_string()),
        filed_from: q.filed_from.clone(),
        filed_to: q.filed_to.clone(),
        ids,
        by_due,
        after,
        limit: limit + 1,
    })
}

/// Case ids matching a search: a case number, an identifier (blind index) or a name prefix.
async fn search(app: &App, court_id: &str, text: &str) -> Result<Vec<i64>, ApiError> {
    if let Ok(n) = CaseNumber::parse(text) {
        return Ok(app
            .store
            .case_by_number(&n.to_string())
            .await?
            .filter(|c| c.court_id == court_id)
            .map(|c| vec![c.id])
            .unwrap_or_default());
    }
    let looks_like_id = text.len() == 18 && text.chars().all(|c| c.is_ascii_alphanumeric());
    if looks_like_id {
        return Ok(app
            .store
            .cases_by_identifier(court_id, &app.cipher.index(text), 500)
            .await?);
    }
    Ok(app.store.cases_by_party_name(court_id, text, 500).await?)
}

/// The cases of a court, filtered, a page at a time.
#[utoipa::path(get, path = "/api/v1/cases", params(ListParams), responses((status = 200, body = CasePage)))]
pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<ListParams>,
) -> Result<Json<CasePage>, ApiError> {
    let f = filter_of(&app, &ctx, &q).await?;
    let mut rows = app.store.list_cases(&f).await?;
    let more = rows.len() as i64 >= f.limit;
    rows.truncate((f.limit - 1) as usize);
    let next_cursor = if more {
        rows.last().map(|r| {
            hex::encode(format!(
                "{}|{}",
                if f.by_due {
                    r.next_due.clone()
                } else {
                    String::new()
                },
                r.id
            ))
        })
    } else {
        None
    };
    let today = app.today();
    Ok(Json(CasePage {
        items: rows.iter().map(|r| summary(r, today)).collect(),
        next_cursor,
    }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ShowParams {
    /// Show the case as it stood at this moment (RFC 3339).
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

#[derive(Serialize, ToSchema)]
pub struct TimelineEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub payload: serde_json::Value,
}

/// Every event of the case, in order, with actor and time — including those of its price
/// determinations (`valuation.*`).
#[utoipa::path(get, path = "/api/v1/cases/{id}/timeline", params(("id" = i64, Path)), responses((status = 200, body = [TimelineEntry])))]
pub async fn timeline(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Vec<TimelineEntry>>, ApiError> {
    svc::readable(&app, &ctx.principal, id).await?;
    let events = app.store.case_timeline(id).await?;
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        out.push(TimelineEntry {
            seq: e.seq,
            at: zhixing_store::from_micros(e.at_us)?.to_string(),
            actor: e.actor,
            kind: e.kind,
            payload: serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null),
        });
    }
    Ok(Json(out))
}

#[derive(Serialize, ToSchema)]
pub struct Changed {
    /// The case's new version.
    pub version: i64,
}

/// The body of every change: `version` (optional) refuses the change if the case moved on.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignIn {
    pub officer_id: i64,
    pub version: Option<i64>,
}

/// Assigns or reassigns the officer (分案).
#[utoipa::path(post, path = "/api/v1/cases/{id}/assignment", params(("id" = i64, Path)), request_body = AssignIn, responses((status = 200, body = Changed), (status = 409, body = crate::error::Problem)))]
pub async fn assign(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<AssignIn>,
) -> Result<Json<Changed>, ApiError> {
    let officer = app.store.user(b.officer_id).await?;
    let (row, _) = svc::readable(&app, &ctx.principal, id).await?;
    let officer = officer
        .filter(|u| u.court_id == row.court_id && u.active)
        .filter(|u| {
            zhixing_app::identity::auth::parse_roles(&u.roles)
                .iter()
                .any(|r| {
                    matches!(
                        r,
                        zhixing_domain::access::Role::Officer | zhixing_domain::access::Role::Judge
                    )
                })
        })
        .ok_or_else(|| {
            ApiError::unprocessable(
                "invalid_officer",
                "the officer must be an active officer or judge of the case's court",
            )
        })?;
    let today = app.today();
    let version = svc::change(
        &app,
        svc::Actor::User(&ctx.principal, zhixing_domain::access::Action::HandleCases),
        id,
        b.version,
        |s, _| {
            s.ensure_open()?;
            if s.officer.as_ref().map(|o| o.0) == Some(officer.id) {
                return Err(case::Refusal::one(
                    "already_assigned",
                    "that officer already handles the case",
                ));
            }
            Ok(vec![CaseEvent::OfficerAssigned {
                officer_id: officer.id,
                officer_name: officer.display_name.clone(),
                on: today,
            }])
        },
    )
    .await?
    .version;
    Ok(Json(Changed { version }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionIn {
    /// notice_issued, online_investigation, traditional_investigation, consumption_restriction,
    /// dishonest_listing, dishonest_not_applicable, debtor_search, interview,
    /// no_enforceable_property, duties_performed
    pub action: String,
    #[serde(default)]
    pub note: String,
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
    let kind = ActionKind::parse(&b.action).ok_or_else(|| {
        ApiError::unprocessable("unknown_action", format!("unknown action {:?}", b.action))
    })?;
    let today = app.today();
    let version = svc::change(
        &app,
        svc::Actor::User(&ctx.principal, zhixing_domain::access::Action::HandleCases),
        id,
        b.version,
        |s, _| case::decide_action(s, kind, &b.note, today).map(|e| vec![e]),
    )
    .await?
    .version;
    Ok(Json(Changed { version }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClueIn {
    pub description: String,
    #[serde(default)]
    pub urgent: bool,
    pub version: Option<i64>,
}

/// Records a property clue given by the applicant (7 days to verify, 3 if urgent).
#[utoipa::path(post, path = "/api/v1/cases/{id}/clues", params(("id" = i64, Path)), request_body = ClueIn, responses((status = 200, body = Changed)))]
pub async fn clue(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ClueIn>,
) -> Result<Json<Changed>, ApiError> {
    let d = b.description.trim().to_owned();
    if d.is_empty() || d.chars().count() > 1000 {
        return Err(ApiError::unprocessable(
            "invalid_clue",
            "describe the clue in 1–1,000 characters",
        ));
    }
    let today = app.today();
    let version = svc::change(
        &app,
        svc::Actor::User(&ctx.principal, zhixing_domain::access::Action::HandleCases),
        id,
        b.version,
        |s, _| {
            s.ensure_open()?;
            let no = u32::try_from(s.clues.len() + 1).unwrap_or(u32::MAX);
            Ok(vec![CaseEvent::ClueSubmitted {
                no,
                description: d.clone(),
                urgent: b.urgent,
                on: today,
            }])
        },
    )
    .await?
    .version;
    Ok(Json(Changed { version }))
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
    let result = b.result.trim().to_owned();
    if result.chars().count() < 2 {
        return Err(ApiError::unprocessable(
            "invalid_result",
            "record the result of the verification",
        ));
    }
    let today = app.today();
    let version = svc::change(
        &app,
        svc::Actor::User(&ctx.principal, zhixing_domain::access::Action::HandleCases),
        id,
        b.version,
        |s, _| match s.clues.iter().find(|c| c.no == no) {
            None => Err(case::Refusal::one(
                "clue_not_found",
                format!("no clue {no}"),
            )),
            Some(c) if c.verified_on.is_some() => Err(case::Refusal::one(
                "already_done",
                "the clue was already verified",
            )),
            Some(_) => Ok(vec![CaseEvent::ClueVerified {
                no,
                on: today,
                result: result.clone(),
            }]),
        },
    )
    .await?
    .version;
    Ok(Json(Changed { version }))
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
    let value = Fen::new(b.value_fen)
        .map_err(|e| ApiError::unprocessable("invalid_security", format!("value_fen: {e}")))?;
    let today = app.today();
    let version = svc::change(
        &app,
        svc::Actor::User(&ctx.principal, zhixing_domain::access::Action::HandleCases),
        id,
        b.version,
        |s, _| case::decide_security(s, &b.provider, &b.description, value, today).map(|e| vec![e]),
    )
    .await?
    .version;
    Ok(Json(Changed { version }))
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
    let amount =
        Fen::new(b.amount).map_err(|e| ApiError::unprocessable("invalid_amount", e.to_string()))?;
    if amount == Fen::ZERO {
        return Err(ApiError::unprocessable(
            "invalid_amount",
            "an amount above zero",
        ));
    }
    let today = app.today();
    let version = svc::change(
        &app,
        svc::Actor::User(&ctx.principal, zhixing_domain::access::Action::HandleCases),
        id,
        b.version,
        |s, _| {
            s.ensure_open()?;
            if s.paid.checked_add(amount).is_err() {
                return Err(case::Refusal::one(
                    "invalid_amount",
                    "the total paid would overflow",
                ));
            }
            Ok(vec![CaseEvent::PaymentRecorded {
                amount,
                on: today,
                note: b.note.trim().to_owned(),
            }])
        },
    )
    .await?
    .version;
    Ok(Json(Changed { version }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonIn {
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
    let today = app.today();
    let v = svc::change(
        &app,
        svc::Actor::User(&ctx.principal, zhixing_domain::access::Action::HandleCases),
        id,
        b.version,
        |s, _| case::decide_suspension(s, true, &b.reason, today).map(|e| vec![e]),
    )
    .await?
    .version;
    Ok(Json(Changed { version: v }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct VersionIn {
    pub version: Option<i64>,
}

/// Ends the suspension: the clock runs again.
#[utoipa::path(delete, path = "/api/v1/cases/{id}/suspension", params(("id" = i64, Path)), responses((status = 200, body = Changed)))]
pub async fn end_suspension(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<Changed>, ApiError> {
    let today = app.today();
    let v = svc::change(
        &app,
        svc::Actor::User(&ctx.principal, zhixing_domain::access::Action::HandleCases),
        id,
        None,
        |s, _| case::decide_suspension(s, false, "", today).map(|e| vec![e]),
    )
    .await?
    .version;
    Ok(Json(Changed { version: v }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionIn {
    pub months: i64,
    /// Reference of the court president's approval.
    pub approval_ref: String,
    pub version: Option<i64>,
}

/// Records an extension approved by the court president (before the time runs out).
#[utoipa::path(post, path = "/api/v1/cases/{id}/extension", params(("id" = i64, Path)), request_body = ExtensionIn, responses((status = 200, body = Changed)))]
pub async fn extension(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ExtensionIn>,
) -> Result<Json<Changed>, ApiError> {
    let v = svc::change(
        &app,
        svc::Actor::User(&ctx.principal, zhixing_domain::access::Action::Approve),
        id,
        b.version,
        |s, c| case::decide_extension(s, b.months, &b.approval_ref, c).map(|e| vec![e]),
    )
    .await?
    .version;
    Ok(Json(Changed { version: v }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ChecklistParams {
    /// fully_performed, zhongben, terminated, withdrawn, refused, rejected
    pub mode: String,
}

#[derive(Serialize, ToSchema)]
pub struct Checklist {
    pub mode: String,
    pub needs_approval: bool,
    #[schema(value_type = Vec<Object>)]
    pub conditions: Vec<case::Condition>,
}

fn mode_of(s: &str) -> Result<ClosureMode, ApiError> {
    ClosureMode::parse(s).ok_or_else(|| {
        ApiError::unprocessable(
            "unknown_closure_mode",
            format!("unknown closure mode {s:?}"),
        )
    })
}

/// The preconditions of a closure mode and whether each is met.
#[utoipa::path(get, path = "/api/v1/cases/{id}/closure-checklist", params(("id" = i64, Path), ChecklistParams), responses((status = 200, body = Checklist)))]
pub async fn checklist(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ChecklistParams>,
) -> Result<Json<Checklist>, ApiError> {
    let mode = mode_of(&q.mode)?;
    Ok(Json(checklist_of(&app, &ctx, id, mode).await?))
}

pub async fn checklist_of(
    app: &App,
    ctx: &Ctx,
    id: i64,
    mode: ClosureMode,
) -> Result<Checklist, ApiError> {
    let (row, court) = svc::readable(app, &ctx.principal, id).await?;
    let state = svc::state_of(&row)?;
    let rules = app.rules.current(&app.store).await?;
    let region =
        zhixing_app::platform::rules::region_of(&court.level, court.division_code.as_deref());
    let cx = case::Ctx {
        rules: &rules,
        calendar: &app.calendar,
        region: &region,
        today: app.today(),
    };
    let mut conditions = case::closure_checklist(&state, mode, "", &cx).map_err(svc::refused)?;
    conditions.retain(|c| c.code != "reason");
    Ok(Checklist {
        mode: mode.as_str().to_owned(),
        needs_approval: mode.needs_approval(),
        conditions,
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureIn {
    pub mode: String,
    pub reason: String,
    pub version: Option<i64>,
}

/// Closes the case, or sends the closure to the division head where the mode needs approval.
/// A refusal lists every unmet condition.
#[utoipa::path(post, path = "/api/v1/cases/{id}/closure", params(("id" = i64, Path)), request_body = ClosureIn, responses((status = 200, body = Changed), (status = 422, body = crate::error::Problem)))]
pub async fn close(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ClosureIn>,
) -> Result<Json<Changed>, ApiError> {
    let mode = mode_of(&b.mode)?;
    let v = svc::change(
        &app,
        svc::Actor::User(&ctx.principal, zhixing_domain::access::Action::HandleCases),
        id,
        b.version,
        |s, c| case::decide_closure(s, mode, &b.reason, c).map(|e| vec![e]),
    )
    .await?
    .version;
    Ok(Json(Changed { version: v }))
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
    let v = svc::change(
        &app,
        svc::Actor::User(&ctx.principal, zhixing_domain::access::Action::Approve),
        id,
        b.version,
        |s, c| case::decide_approval(s, b.approve, &b.note, c).map(|e| vec![e]),
    )
    .await?
    .version;
    Ok(Json(Changed { version: v }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResumeIn {
    pub reason: String,
}

/// Resumes a terminated (终本) case as a new 执恢 case linked to it.
#[utoipa::path(post, path = "/api/v1/cases/{id}/resumption", params(("id" = i64, Path)), request_body = ResumeIn, responses((status = 201, body = Filed)))]
pub async fn resume(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ResumeIn>,
) -> Result<(StatusCode, Json<Filed>), ApiError> {
    let (new_id, number) = svc::resume(&app, &ctx.principal, id, &b.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(Filed {
            id: new_id,
            number,
            access_codes: Vec::new(),
        }),
    ))
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

/// An issued document, print-ready HTML, with its hash in `X-Content-SHA256`.
#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = i64, Path)), responses((status = 200, content_type = "text/html")))]
pub async fn document(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::not_found("document_not_found", format!("no document {id}"));
    let doc = app.store.document(id).await?.ok_or_else(not_found)?;
    let court = app
        .store
        .court(&doc.court_id)
        .await?
        .ok_or_else(not_found)?;
    if !ctx.principal.may(Action::ReadCaseData, &court.path) {
        return Err(not_found());
    }
    let mut resp = Html(doc.html).into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&doc.sha256) {
        resp.headers_mut().insert("x-content-sha256", v);
    }
    Ok(resp)
}
