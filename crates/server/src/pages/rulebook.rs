//! The rule book page (规则库): every version of every rule with its citation, the official
//! working-day calendars loaded and the years without one; for administrators, the forms that
//! propose a rule version or a year's calendar and the proposals awaiting another
//! administrator's approval (four eyes). The forms build the same commands as the API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use zhixing_app::AppError;
use zhixing_app::platform::rules::{self as svc, Proposal, RuleBookCommand};
use zhixing_app::state::App;
use zhixing_domain::access::Action;
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};
use zhixing_domain::rules::RuleVersion;

use super::i18n::Lang;
use super::i18n::zh_en;
use super::{PageError, Viewer, layout, page};
use crate::error::Path;

pub async fn show(State(app): State<App>, v: Viewer) -> Result<Response, PageError> {
    render(&app, &v, StatusCode::OK, None).await
}

fn kind_zh(kind: &str) -> &'static str {
    match kind {
        svc::KIND_CALENDAR => zh_en("官方工作日历", "Official working calendar"),
        _ => zh_en("规则版本", "Rule version"),
    }
}

fn status_zh(status: &str) -> &'static str {
    match status {
        "pending" => zh_en("待审批", "Awaiting approval"),
        "approved" => zh_en("已批准", "Approved"),
        _ => zh_en("已驳回", "Rejected"),
    }
}

/// What a proposal proposes, in one line.
fn summary(lang: Lang, p: &Proposal) -> String {
    match p.version() {
        Some(r) if lang == Lang::En => format!(
            "{} {}: {} {}, in force from {}{} ({})",
            r.id,
            r.title,
            r.value,
            lang.unit(r.unit.as_str()),
            r.effective_from,
            r.region
                .as_deref()
                .map(|g| format!(", region {g}"))
                .unwrap_or_default(),
            r.citation
        ),
        Some(r) => format!(
            "{} {}：{} {}，自 {} 起施行{}（{}）",
            r.id,
            r.title,
            r.value,
            lang.unit(r.unit.as_str()),
            r.effective_from,
            r.region
                .as_deref()
                .map(|g| format!("，适用地区 {g}"))
                .unwrap_or_default(),
            r.citation
        ),
        None if lang == Lang::En => format!(
            "{}: {}",
            p.subject,
            p.body["source"].as_str().unwrap_or_default()
        ),
        None => format!(
            "{} 年：{}",
            p.subject,
            p.body["source"].as_str().unwrap_or_default()
        ),
    }
}

/// The page, answered with `status`; a refused form's reason shown above the forms.
async fn render(
    app: &App,
    v: &Viewer,
    status: StatusCode,
    refused: Option<&str>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let book = svc::book(app).await?;
    let (years, missing) = svc::calendars(app).await?;
    let admin = v
        .principal
        .may(Action::ManageRules, &v.principal.court_path);
    let proposals = if admin {
        svc::proposals(app, &v.principal).await?
    } else {
        Vec::new()
    };
    let me = zhixing_app::actor_of(&v.principal);
    let mut rule_ids: Vec<&str> = book.versions().map(|r| r.id.as_str()).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    let body = html! {
        @if admin {
            section.card #rule-proposals {
                h1 { (zh_en("规则库变更（双人审批）", "Rule book changes (two-person approval)")) }
                p.small { (zh_en("系统管理员提出的规则版本或年度官方工作日历，须由本院或上级法院的另一名系统管理员批准后生效；本人提出的不能由本人审批。", "A rule version or yearly official calendar proposed by an administrator takes effect once another administrator of this court or a higher one approves it; nobody approves their own.")) }
                @if let Some(m) = refused { p.error role="alert" { (m) } }
                @let pending: Vec<&Proposal> = proposals.iter().filter(|p| p.status == "pending").collect();
                h2 { (zh_en("待审批", "Awaiting approval")) }
                @if pending.is_empty() { p #no-pending { (zh_en("没有待审批的提议。", "No proposals await approval.")) } }
                @for p in &pending {
                    div.proposal data-proposal=(p.id) {
                        p { strong { (kind_zh(&p.kind)) } " · " (summary(lang, p)) " · " span.small { (p.proposed_by) (zh_en(" 提出于 ", " proposed on ")) (super::beijing_us(p.proposed_at_us)) } }
                        @if p.proposed_by == me {
                            p.small { (zh_en("本人提出，须由另一名系统管理员审批。", "Proposed by you: another administrator must approve it.")) }
                        } @else {
                            form.decide method="post" action=(format!("/rules/proposals/{}/decision", p.id)) {
                                (v.csrf)
                                label.inline { (zh_en("审批意见（驳回须写明理由）", "Remarks (a rejection needs a reason)")) input name="note"; }
                                button name="approve" value="true" { (zh_en("批准", "Approve")) }
                                button name="approve" value="false" { (zh_en("驳回", "Dismiss")) }
                            }
                        }
                    }
                }
                @let decided: Vec<&Proposal> = proposals.iter().filter(|p| p.status != "pending").take(20).collect();
                @if !decided.is_empty() {
                    h2 { (zh_en("最近的审批", "Latest decisions")) }
                    table #decided-proposals {
                        tr { th { (zh_en("类别", "Kind")) } th { (zh_en("内容", "Content")) } th { (zh_en("提出", "Proposed")) } th { (zh_en("结果", "Result")) } th { (zh_en("审批", "Decision")) } }
                        @for p in decided {
                            tr { td { (kind_zh(&p.kind)) } td.small { (summary(lang, p)) } td.small { (p.proposed_by) } td { (status_zh(&p.status)) } td.small { (p.decided_by.as_deref().unwrap_or("")) " " (p.decided_at_us.map(super::beijing_us).unwrap_or_default()) " " (p.note) } }
                        }
                    }
                }
                h2 { (zh_en("提出新的规则版本", "Propose a new rule version")) }
                form #propose-rule method="post" action="/rules/proposals" {
                    (v.csrf)
                    label { (zh_en("规则 ", "Rule ")) select name="id" { @for id in &rule_ids { option value=(id) { (id) } } } }
                    label { (zh_en("数值 ", "Value ")) input type="number" name="value" required; }
                    label { (zh_en("施行日期 ", "In force from ")) input type="date" name="effective_from" required; }
                    label { (zh_en("适用地区（行政区划代码前缀，全国留空） ", "Region (administrative code prefix; empty for national) ")) input name="region"; }
                    label { (zh_en("依据 ", "Citation ")) input name="citation" required; }
                    label { (zh_en("说明 ", "Note ")) input name="note"; }
                    button type="submit" { (zh_en("提交审批", "Submit for approval")) }
                }
                h2 { (zh_en("载入年度官方工作日历", "Load a yearly official calendar")) }
                p.small { (zh_en("按国务院办公厅当年部分节假日安排的通知填写（格式同 rules/calendar/YYYY.toml：year、source、holidays、workdays）。", "Fill in from the State Council General Office's notice of that year's holidays (same format as rules/calendar/YYYY.toml: year, source, holidays, workdays).")) }
                form #propose-calendar method="post" action="/rules/calendars" {
                    (v.csrf)
                    label { (zh_en("日历（TOML）", "Calendar (TOML)")) textarea name="text" rows="8" cols="80" required {} }
                    button type="submit" { (zh_en("提交审批", "Submit for approval")) }
                }
            }
        }
        section.card #calendars {
            h2 { (zh_en("官方工作日历", "Official working calendar")) }
            @if !missing.is_empty() {
                p.error #calendar-missing role="status" {
                    (zh_en("尚未载入 ", "The official holidays of ")) @for (i, y) in missing.iter().enumerate() { @if i > 0 { (zh_en("、", ", ")) } (y) } (zh_en(" 年的官方节假日安排：涉及该年的期限暂按周末计算，标为“暂定”，载入后重新计算。", " are not loaded: time limits in that year count weekends only, are marked provisional, and are computed again once loaded."))
                }
            }
            table { @for (y, s) in &years { tr { td { (y) } td.small { (s) } } } }
        }
        section.card {
            h1 { (lang.t("rules")) }
            table #rule-book {
                tr { th { (lang.t("rule")) } th { (lang.t("value")) } th { (lang.t("effective")) } th { (lang.t("region")) } th { (lang.t("citation")) } }
                @for r in book.versions() {
                    tr {
                        td { (if lang == Lang::Zh { &r.title } else { &r.title_en }) br; code.small { (r.id) } }
                        td.num { (r.value) " " (lang.unit(r.unit.as_str())) @if r.needs_check { " " span.badge { (lang.t("needs_check")) } } }
                        td { (r.effective_from) @if let Some(to) = r.effective_to { " – " (to) } }
                        td { (r.region.as_deref().unwrap_or(lang.t("national"))) }
                        td.small { (r.citation) }
                    }
                }
            }
        }
    };
    Ok(page(status, layout(lang, lang.t("rules"), Some(v), body)))
}

/// How a form of the page answers: done, back to the page; refused, the page again with the
/// reason in the viewer's language (422 or 409); anything else the error page.
async fn answer(app: &App, v: &Viewer, r: Result<Proposal, AppError>) -> Response {
    let e = match r {
        Ok(_) => return Redirect::to("/rules#rule-proposals").into_response(),
        Err(e) => e,
    };
    if !e.is_refusal() {
        return PageError::from(e).into_response();
    }
    let message = super::refusal_words(v.lang, &e);
    let status = crate::error::ApiError::from(e).status;
    render(app, v, status, Some(&message))
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

#[derive(Deserialize)]
pub struct RuleForm {
    id: String,
    value: String,
    effective_from: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    citation: String,
    #[serde(default)]
    note: String,
}

fn invalid(reason: Reason) -> AppError {
    Refusal::of_reasons("invalid_rule", RefusalKind::Invalid, vec![reason]).into()
}

/// The version the form proposes: the rule's title and unit are those of its latest version.
async fn version_of(app: &App, f: RuleForm) -> Result<RuleVersion, AppError> {
    let book = svc::book(app).await?;
    let latest = book
        .versions_of(&f.id)
        .and_then(|vs| vs.last())
        .ok_or_else(|| AppError::not_found("unknown_rule", format!("no rule {:?}", f.id)))?;
    let value = f.value.trim().parse::<i64>().map_err(|_| {
        invalid(Reason::new("rule_version_invalid").with(
            "detail",
            zh_en(
                "数值须为整数 / value must be an integer",
                "数值须为整数 / value must be an integer",
            ),
        ))
    })?;
    let effective_from = f.effective_from.trim().parse().map_err(|_| {
        AppError::from(Refusal::of_reasons(
            "invalid_date",
            RefusalKind::Invalid,
            vec![Reason::new("rule_date_invalid").with("field", "effective_from")],
        ))
    })?;
    let v = RuleVersion {
        id: latest.id.clone(),
        title: latest.title.clone(),
        title_en: latest.title_en.clone(),
        value,
        unit: latest.unit,
        citation: f.citation.trim().to_owned(),
        effective_from,
        effective_to: None,
        region: Some(f.region.trim().to_owned()).filter(|r| !r.is_empty()),
        needs_check: false,
        note: f.note.trim().to_owned(),
    };
    v.validate()
        .map_err(|e| AppError::from(svc::rule_refused(e.to_string())))?;
    Ok(v)
}

pub async fn propose(
    State(app): State<App>,
    v: Viewer,
    axum::Form(f): axum::Form<RuleForm>,
) -> Response {
    let r = match version_of(&app, f).await {
        Ok(version) => {
            svc::execute(&app, &v.principal, RuleBookCommand::ProposeVersion(version)).await
        }
        Err(e) => Err(e),
    };
    answer(&app, &v, r).await
}

#[derive(Deserialize)]
pub struct CalendarForm {
    text: String,
}

pub async fn propose_calendar(
    State(app): State<App>,
    v: Viewer,
    axum::Form(f): axum::Form<CalendarForm>,
) -> Response {
    let cmd = RuleBookCommand::ProposeCalendar { text: f.text };
    let r = svc::execute(&app, &v.principal, cmd).await;
    answer(&app, &v, r).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    approve: bool,
    #[serde(default)]
    note: String,
}

pub async fn decide(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<DecisionForm>,
) -> Response {
    let cmd = RuleBookCommand::Decide {
        proposal: id,
        approve: f.approve,
        note: f.note,
    };
    let r = svc::execute(&app, &v.principal, cmd).await;
    answer(&app, &v, r).await
}
