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

/// Adds a version of an existing rule (administrators; audited; effective without restart).
#[utoipa::path(post, path = "/api/v1/rules", request_body = RuleVersionDto,
    responses((status = 201, body = RuleVersionDto), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add(
    State(app): State<App>,
    ctx: Ctx,
    Json(dto): Json<RuleVersionDto>,
) -> Result<(StatusCode, Json<RuleVersionDto>), ApiError> {
    let v = RuleVersion::try_from(dto)?;
    let cmd = zhixing_app::platform::rules::RuleBookCommand::AddVersion(v.clone());
    zhixing_app::platform::rules::execute(&app, &ctx.principal, cmd).await?;
    Ok((StatusCode::CREATED, Json((&v).into())))
}
