//! The rule book: every legal time limit and threshold with its citation.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};
use zhixing_domain::rules::{RuleError, RuleVersion, Unit};

use super::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use zhixing_app::state::App;

/// One version of one rule.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleVersionDto {
    /// e.g. `case.conclude`
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub title_en: String,
    pub value: i64,
    /// days, working_days, hours, minutes, months, years, percent, fen, count
    pub unit: String,
    /// The legal source.
    pub citation: String,
    /// YYYY-MM-DD
    pub effective_from: String,
    /// Last day in force, if it ceased.
    #[serde(default)]
    pub effective_to: Option<String>,
    /// GB/T 2260 division code prefix of a regional override.
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub needs_check: bool,
    #[serde(default)]
    pub note: String,
}

impl From<&RuleVersion> for RuleVersionDto {
    fn from(v: &RuleVersion) -> Self {
        RuleVersionDto {
            id: v.id.clone(),
            title: v.title.clone(),
            title_en: v.title_en.clone(),
            value: v.value,
            unit: v.unit.as_str().to_owned(),
            citation: v.citation.clone(),
            effective_from: v.effective_from.to_string(),
            effective_to: v.effective_to.map(|d| d.to_string()),
            region: v.region.clone(),
            needs_check: v.needs_check,
            note: v.note.clone(),
        }
    }
}

fn parse_date(field: &str, s: &str) -> Result<jiff::civil::Date, ApiError> {
    s.parse().map_err(|_| {
        ApiError::from(Refusal::of_reasons(
            "invalid_date",
            RefusalKind::Invalid,
            vec![Reason::new("rule_date_invalid").with("field", field)],
        ))
    })
}

impl TryFrom<RuleVersionDto> for RuleVersion {
    type Error = ApiError;
    fn try_from(d: RuleVersionDto) -> Result<Self, ApiError> {
        let unit = Unit::parse(&d.unit).ok_or_else(|| {
            ApiError::from(Refusal::of_reasons(
                "invalid_rule",
                RefusalKind::Invalid,
                vec![Reason::new("rule_unit_unknown").with("unit", d.unit.as_str())],
            ))
        })?;
        let v = RuleVersion {
            id: d.id,
            title: d.title,
            title_en: d.title_en,
            value: d.value,
            unit,
            citation: d.citation,
            effective_from: parse_date("effective_from", &d.effective_from)?,
            effective_to: d
                .effective_to
                .as_deref()
                .map(|s| parse_date("effective_to", s))
                .transpose()?,
            region: d.region.filter(|r| !r.is_empty()),
            needs_check: d.needs_check,
            note: d.note,
        };
        v.validate().map_err(|e| {
            ApiError::from(zhixing_app::platform::rules::rule_refused(e.to_string()))
        })?;
        Ok(v)
    }
}

/// Every version of every rule.
#[utoipa::path(get, path = "/api/v1/rules", responses((status = 200, body = [RuleVersionDto])))]
pub async fn list(
    State(app): State<App>,
    _ctx: Ctx,
) -> Result<Json<Vec<RuleVersionDto>>, ApiError> {
    let book = zhixing_app::platform::rules::book(&app).await?;
    Ok(Json(book.versions().map(RuleVersionDto::from).collect()))
}

/// Every version of one rule.
#[utoipa::path(get, path = "/api/v1/rules/{id}", params(("id" = String, Path)),
    responses((status = 200, body = [RuleVersionDto]), (status = 404, body = crate::error::Problem)))]
pub async fn versions(
    State(app): State<App>,
    _ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<Vec<RuleVersionDto>>, ApiError> {
    let book = zhixing_app::platform::rules::book(&app).await?;
    let versions = book
        .versions_of(&id)
        .ok_or_else(|| ApiError::not_found("unknown_rule", format!("no rule {id:?}")))?;
    Ok(Json(versions.iter().map(RuleVersionDto::from).collect()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InForceParams {
    /// Date of the act, YYYY-MM-DD (default: today).
    #[param(inline, value_type = Option<crate::openapi::vocab::Date>)]
    pub date: Option<String>,
    /// The court whose region applies (default: the caller's).
    #[param(inline, value_type = Option<crate::openapi::vocab::CourtId>)]
    pub court: Option<String>,
}

/// The version in force on a date for a court's region.
#[utoipa::path(get, path = "/api/v1/rules/{id}/in-force", params(("id" = String, Path), InForceParams),
    responses((status = 200, body = RuleVersionDto), (status = 404, body = crate::error::Problem)))]
pub async fn in_force(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<InForceParams>,
) -> Result<Json<RuleVersionDto>, ApiError> {
    let date = match &q.date {
        Some(d) => d
            .parse()
            .map_err(|_| ApiError::bad_request("invalid_date", "date must be YYYY-MM-DD"))?,
        None => app.today(),
    };
    let court_id = q
        .court
        .clone()
        .unwrap_or_else(|| ctx.principal.court_id.clone());
    let court = super::courts::visible_court(&app, &ctx, &court_id).await?;
    let region = court.division_code.clone().unwrap_or_default();
    let region = zhixing_app::platform::rules::region_of(&court.level, Some(&region));
    let book = zhixing_app::platform::rules::book(&app).await?;
    let v = book.lookup(&id, date, &region).map_err(|e| match e {
        RuleError::UnknownRule(_) => ApiError::not_found("unknown_rule", e.to_string()),
        other => ApiError::not_found("rule_not_in_force", other.to_string()),
    })?;
    Ok(Json(v.into()))
}

/// A proposed change to the rule book: a rule version or a year's official calendar, and
/// what became of it.
#[derive(Serialize, ToSchema)]
pub struct ProposalOut {
    pub id: i64,
    /// rule_version or calendar
    pub kind: String,
    /// The rule's id, or the calendar's year.
    pub subject: String,
    /// The proposed rule version; for a calendar its year, source and text.
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
    pub court_id: String,
    /// Who proposed it (`user:ID`).
    pub proposed_by: String,
    /// Beijing time, `YYYY-MM-DD HH:MM`.
    pub proposed_at: String,
    /// pending, approved or rejected
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    /// The approver's note, or the reason of a rejection.
    pub note: String,
}

/// A moment in Beijing time as the pages show it.
fn beijing(us: i64) -> String {
    jiff::Timestamp::from_microsecond(us)
        .map(|t| {
            t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

impl From<zhixing_app::platform::rules::Proposal> for ProposalOut {
    fn from(p: zhixing_app::platform::rules::Proposal) -> Self {
        ProposalOut {
            id: p.id,
            kind: p.kind,
            subject: p.subject,
            body: p.body,
            court_id: p.court_id,
            proposed_by: p.proposed_by,
            proposed_at: beijing(p.proposed_at_us),
            status: p.status,
            decided_by: p.decided_by,
            decided_at: p.decided_at_us.map(beijing),
            note: p.note,
        }
    }
}

/// Proposes a version of an existing rule (administrators). It takes effect only when another
/// administrator of the court or of a court above approves it (four eyes; audited; no
/// restart).
#[utoipa::path(post, path = "/api/v1/rules", request_body = RuleVersionDto,
    responses((status = 201, body = ProposalOut), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add(
    State(app): State<App>,
    ctx: Ctx,
    Json(dto): Json<RuleVersionDto>,
) -> Result<(StatusCode, Json<ProposalOut>), ApiError> {
    let v = RuleVersion::try_from(dto)?;
    let cmd = zhixing_app::platform::rules::RuleBookCommand::ProposeVersion(v);
    let p = zhixing_app::platform::rules::execute(&app, &ctx.principal, cmd).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// The proposals of the administrator's court and the courts below it: pending ones first,
/// then the latest decided.
#[utoipa::path(get, path = "/api/v1/rules/proposals",
    responses((status = 200, body = [ProposalOut]), (status = 403, body = crate::error::Problem)))]
pub async fn proposals(
    State(app): State<App>,
    ctx: Ctx,
) -> Result<Json<Vec<ProposalOut>>, ApiError> {
    let ps = zhixing_app::platform::rules::proposals(&app, &ctx.principal).await?;
    Ok(Json(ps.into_iter().map(ProposalOut::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalDecisionIn {
    pub approve: bool,
    /// The reason, required to reject.
    #[serde(default)]
    pub note: String,
}

/// Another administrator approves a proposal (it takes effect at once) or rejects it with the
/// reason. The one who proposed it may do neither (`own_proposal`).
#[utoipa::path(post, path = "/api/v1/rules/proposals/{id}/decision", params(("id" = i64, Path)), request_body = ProposalDecisionIn,
    responses((status = 200, body = ProposalOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn decide(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(b): Json<ProposalDecisionIn>,
) -> Result<Json<ProposalOut>, ApiError> {
    let cmd = zhixing_app::platform::rules::RuleBookCommand::Decide {
        proposal: id,
        approve: b.approve,
        note: b.note,
    };
    let p = zhixing_app::platform::rules::execute(&app, &ctx.principal, cmd).await?;
    Ok(Json(p.into()))
}

/// One year's official working-day calendar.
#[derive(Serialize, ToSchema)]
pub struct CalendarYearOut {
    pub year: i16,
    /// The State Council notice it follows.
    pub source: String,
}

#[derive(Serialize, ToSchema)]
pub struct CalendarsOut {
    /// The years whose official calendar is loaded.
    pub years: Vec<CalendarYearOut>,
    /// This year and the next when either has none: deadlines reaching into them are
    /// provisional (weekends only) until it is loaded.
    pub missing: Vec<i16>,
}

/// The official working-day calendars loaded, and the years near today that have none.
#[utoipa::path(get, path = "/api/v1/calendars", responses((status = 200, body = CalendarsOut)))]
pub async fn calendars(State(app): State<App>, _ctx: Ctx) -> Result<Json<CalendarsOut>, ApiError> {
    let (years, missing) = zhixing_app::platform::rules::calendars(&app).await?;
    Ok(Json(CalendarsOut {
        years: years
            .into_iter()
            .map(|(year, source)| CalendarYearOut { year, source })
            .collect(),
        missing,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarIn {
    /// The year's calendar in the format of `rules/calendar/YYYY.toml`: `year`, `source` (the
    /// State Council's notice), `holidays` (every day off of each holiday period) and
    /// `workdays` (weekend days made working days).
    pub text: String,
}

/// Proposes a year's official calendar (an administrator of the Supreme People's Court); it
/// is loaded when another such administrator approves it, and deadlines in that year stop
/// being provisional.
#[utoipa::path(post, path = "/api/v1/calendars", request_body = CalendarIn,
    responses((status = 201, body = ProposalOut), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn propose_calendar(
    State(app): State<App>,
    ctx: Ctx,
    Json(b): Json<CalendarIn>,
) -> Result<(StatusCode, Json<ProposalOut>), ApiError> {
    let cmd = zhixing_app::platform::rules::RuleBookCommand::ProposeCalendar { text: b.text };
    let p = zhixing_app::platform::rules::execute(&app, &ctx.principal, cmd).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}
