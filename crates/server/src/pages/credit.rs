//! The case page's credit section (信用惩戒): listings on the dishonest-debtor list, their
//! extension, removal and correction requests, and consumption restriction orders. Every form
//! calls the same service as the JSON API; a refused form shows the case page again with the
//! reason in Chinese, anything else redirects back to the case page (POST-redirect-GET).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_domain::case::{CaseState, PartyRole};
use zhixing_domain::credit::{Ground, Listing, ListingStatus, RemovalTrigger};
use zhixing_domain::rules::RuleBook;

use super::{PageError, Viewer};
use crate::error::{ApiError, Path};
use zhixing_app::AppError;
use zhixing_app::case as cases_svc;
use zhixing_app::credit::listings as svc;
use zhixing_app::state::App;

/// What the credit section is drawn from.
pub(super) struct Section<'a> {
    pub id: i64,
    pub case: &'a CaseState,
    /// The case is not closed and the viewer handles it: new listings and orders.
    pub open: bool,
    /// The viewer handles the case's court (HandleCases): every other form.
    pub can_act: bool,
    pub today: Date,
    pub rules: &'a RuleBook,
    pub region: &'a str,
    pub error: Option<&'a str>,
}

/// The extension a listing may get, in years, from the rule book in force on the day it was
/// listed (as the domain decides it): none for ground 1 (no period), an extended or removed
/// listing.
fn extension_years(s: &Section<'_>, l: &Listing) -> Option<(i64, i64)> {
    if l.status != ListingStatus::Listed || l.ends_on.is_none() || l.extended_years > 0 {
        return None;
    }
    bounds(s.rules, s.region, l.listed_on)
}

fn bounds(rules: &RuleBook, region: &str, on: Date) -> Option<(i64, i64)> {
    let min = rules
        .lookup("credit.dishonest_extension.min", on, region)
        .ok()?;
    let max = rules
        .lookup("credit.dishonest_extension.max", on, region)
        .ok()?;
    Some((min.value, max.value))
}

/// The outcome of a decided correction request, as the listing shows it now.
fn outcome(c: &zhixing_domain::credit::Correction, l: Option<&Listing>) -> String {
    match &c.decision {
        None => String::new(),
        Some((false, reason, on)) => format!("驳回（{on}）：{reason}"),
        Some((true, reason, on)) => {
            let removed = l
                .and_then(|l| l.removal.as_ref())
                .is_some_and(|r| r.trigger == RemovalTrigger::Corrected && r.on == *on);
            let what = if removed {
                "理由成立，已删除失信信息"
            } else {
                "理由成立，已更正失信行为"
            };
            format!("{what}（{on}）：{reason}")
        }
    }
}

pub(super) fn section(s: &Section<'_>) -> Markup {
    let c = s.case;
    let id = s.id;
    let can_act = s.can_act;
    let name = |no: u32| {
        c.parties
            .iter()
            .find(|p| p.no == no)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let respondents: Vec<_> = c
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Respondent)
        .collect();
    // A listing takes one pending correction request at a time (the domain refuses a second).
    let correctable: Vec<&Listing> = c
        .credit
        .listings
        .iter()
        .filter(|l| {
            l.status == ListingStatus::Listed
                && !c
                    .credit
                    .corrections
                    .iter()
                    .any(|r| r.listing_no == l.no && r.decision.is_none())
        })
        .collect();
    html! {
        section.card #credit {
            h2 { "信用惩戒（失信名单、限制消费）" }
            @if let Some(e) = s.error {
                div.error #credit-error role="alert" { "未能办理：" (e) }
            }
            h3 { "失信被执行人名单" }
            @if c.credit.listings.is_empty() { p.muted { "暂无。" } }
            @else {
                table #listing-list {
                    tr { th { "序号" } th { "被执行人" } th { "情形" } th { "失信行为" } th { "纳入日期" } th { "期限至" } th { "状态" } @if can_act { th { "办理" } } }
                    @for l in &c.credit.listings {
                        tr data-listing=(l.no) data-status=(if l.status == ListingStatus::Listed { "listed" } else { "removed" }) {
                            td { (l.no) }
                            td { (name(l.party_no)) }
                            td { @for g in &l.grounds { span title=(g.name_zh()) { "（" (g.no()) "）" } } }
                            td.facts { (l.facts) }
                            td { (l.listed_on) }
                            td.ends-on { @if let Some(e) = l.ends_on { (e) } @else { "履行完毕时" }
                                @if l.extended_years > 0 { br; span.small.muted.extended { "已延长 " (l.extended_years) " 年" } } }
                            td.listing-status { @if let Some(r) = &l.removal {
                                "已删除（" (r.trigger.name_zh()) "，" (r.on) "）"
                                br; span.small.muted { (r.reason) }
                            } @else { "在册" } }
                            @if can_act { td { @if l.status == ListingStatus::Listed {
                                form.remove method="post" action=(format!("/cases/{id}/listings/{}/removal", l.no)) {
                                    select name="trigger" { @for t in RemovalTrigger::ALL.iter().filter(|t| t.by_decision()) { option value=(t.as_str()) { (t.name_zh()) } } }
                                    input name="reason" required minlength="4" placeholder="删除理由";
                                    button type="submit" { "删除" } }
                                @if let Some((min, max)) = extension_years(s, l) {
                                    form.extend method="post" action=(format!("/cases/{id}/listings/{}/extension", l.no)) {
                                        select name="years" { @for y in min..=max { option value=(y) { "延长 " (y) " 年" } } }
                                        input name="reason" required minlength="4" placeholder="延长理由（情节严重或多项失信行为）";
                                        button type="submit" { "延长" } }
                                }
                            } } }
                        }
                    }
                }
            }
            @if s.open && !respondents.is_empty() {
                form #listing-form method="post" action=(format!("/cases/{id}/listings")) {
                    label { "被执行人" select name="party_no" { @for p in &respondents { option value=(p.no) { (p.name) } } } }
                    fieldset { legend { "失信情形（第一条）" }
                        @for g in Ground::ALL { label.check { input type="checkbox" name=(format!("g{}", g.no())) value="on"; "（" (g.no()) "）" (g.name_zh()) } } }
                    label { "失信行为（具体事实）" textarea name="facts" required minlength="4" maxlength="4000" {} }
                    label { "单位被执行人：限制消费另约束的人员（以、分隔）" input name="bound_persons"; }
                    button type="submit" { "纳入失信名单" }
                }
            }
            h3 { "纠正申请" }
            @if c.credit.corrections.is_empty() { p.muted { "暂无。" } }
            @else {
                table #correction-list {
                    tr { th { "序号" } th { "失信名单" } th { "申请理由" } th { "收到日期" } th { "审查期限" } th { "结果" } }
                    @for r in &c.credit.corrections {
                        tr data-correction=(r.no) data-status=(match &r.decision { None => "pending", Some((true, ..)) => "accepted", Some((false, ..)) => "rejected" }) {
                            td { (r.no) }
                            td { (r.listing_no) "（" (c.credit.listing(r.listing_no).map(|l| name(l.party_no)).unwrap_or_default()) "）" }
                            td { (r.reason) }
                            td { (r.requested_on) }
                            td.review-due { (r.review_due)
                                @if r.decision.is_none() && r.review_due < s.today { " " span.badge.late { "已超期" } } }
                            td.outcome { @if r.decision.is_some() { (outcome(r, c.credit.listing(r.listing_no))) }
                                @else if can_act {
                                    form.decide method="post" action=(format!("/cases/{id}/corrections/{}/decision", r.no)) {
                                        label.check { input type="radio" name="decision" value="accept" required; "理由成立" }
                                        label.check { input type="radio" name="decision" value="reject"; "驳回" }
                                        input name="reason" required minlength="4" placeholder="审查理由";
                                        textarea name="amended_facts" maxlength="4000" placeholder="理由成立且只需更正失信行为时填写更正后的内容；留空则删除失信信息" {}
                                        button type="submit" { "决定" }
                                    }
                                } @else { "待审查" } }
                        }
                    }
                }
            }
            @if can_act && !correctable.is_empty() {
                form #correction-form method="post" action=(format!("/cases/{id}/corrections")) {
                    label { "失信名单" select name="listing_no" { @for l in &correctable { option value=(l.no) { (l.no) "（" (name(l.party_no)) "）" } } } }
                    label { "纠正申请理由（被纳入人书面申请的内容）" textarea name="reason" required minlength="4" maxlength="4000" {} }
                    button type="submit" { "登记纠正申请" }
                }
            }
            h3 { "限制消费令" }
            @if c.credit.orders.is_empty() { p.muted { "暂无。" } }
            @else {
                table #order-list {
                    tr { th { "序号" } th { "被限制人" } th { "约束人员" } th { "发出日期" } th { "状态" } @if can_act { th { "办理" } } }
                    @for o in &c.credit.orders {
                        tr data-order=(o.no) {
                            td { (o.no) }
                            td { (name(o.party_no)) }
                            td { (o.bound_persons.join("、")) }
                            td { (o.ordered_on) }
                            td { @if let Some((d, r)) = &o.lifted { "已解除（" (d) "，" (r) "）" } @else { "有效" } }
                            @if can_act { td { @if o.lifted.is_none() {
                                form.lift method="post" action=(format!("/cases/{id}/restriction-orders/{}/lift", o.no)) {
                                    input name="reason" required minlength="4" placeholder="解除理由"; button type="submit" { "解除" } }
                            } } }
                        }
                    }
                }
            }
            @if s.open && !respondents.is_empty() {
                form #order-form method="post" action=(format!("/cases/{id}/restriction-orders")) {
                    label { "被执行人" select name="party_no" { @for p in &respondents { option value=(p.no) { (p.name) } } } }
                    label { "单位被执行人：另约束的人员（以、分隔）" input name="bound_persons"; }
                    label { "理由" input name="reason" required minlength="4"; }
                    button type="submit" { "发出限制消费令" }
                }
            }
        }
    }
}

/// A text-length refusal from the domain ("{field} needs {min} to {max} characters") in
/// Chinese; the domain's wording is the one format `credit::text` produces.
fn text_zh(message: &str) -> String {
    let Some((field, rest)) = message.split_once(" needs ") else {
        return "填写的文字长度不符合要求。".into();
    };
    let field = match field {
        "reason" => "理由",
        "facts" => "失信行为",
        "amended facts" => "更正后的失信行为",
        "a bound person's name" => "约束人员姓名",
        _ => "填写的文字",
    };
    let nums: Vec<&str> = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect();
    match nums.as_slice() {
        [min, max] => format!("{field}须为 {min} 至 {max} 个字。"),
        _ => format!("{field}长度不符合要求。"),
    }
}

/// A refused credit command in Chinese, by its stable code.
fn refusal_zh(e: &ApiError, years: Option<(i64, i64)>) -> String {
    let s = match e.code {
        "invalid_text" => return text_zh(&e.message),
        "invalid_listing" => {
            let parts: Vec<String> = e
                .details
                .iter()
                .map(|d| {
                    if d.contains(" needs ") {
                        text_zh(d)
                    } else {
                        "请至少选择一项失信情形。".into()
                    }
                })
                .collect();
            return parts.join("");
        }
        "invalid_extension" => {
            return match years {
                Some((min, max)) => format!("延长期限须为 {min} 至 {max} 年。"),
                None => "延长期限不符合规定。".into(),
            };
        }
        "not_extendable" => {
            "依第一项情形（有履行能力而拒不履行）纳入的失信名单至履行完毕时止，没有可延长的期限。"
        }
        "already_extended" => "该失信名单已延长过，只能延长一次。",
        "listing_not_found" => "没有这条失信名单。",
        "already_removed" => "该失信名单已删除。",
        "correction_pending" => "该失信名单已有待审查的纠正申请。",
        "correction_not_found" => "没有这项纠正申请。",
        "already_decided" => "该纠正申请已经审查决定。",
        "invalid_decision" => "请选择“理由成立”或“驳回”。",
        "invalid_correction" => "驳回纠正申请时不更正失信行为，请清空更正内容。",
        "already_listed" => "该被执行人在本案已被纳入失信名单。",
        "minor" => "被执行人未成年，不得纳入失信名单。",
        "ground_not_applicable" => {
            "已控制的财产足以清偿未履行部分，不适用第一项情形（有履行能力而拒不履行）。"
        }
        "party_not_found" | "not_a_respondent" => "只能对本案的被执行人办理。",
        "bound_persons_required" => {
            "对单位的限制消费令须约束其法定代表人或其他人员，请至少填写一人。"
        }
        "bound_persons_not_applicable" => "对自然人的限制消费令约束其本人，无须另填约束人员。",
        "already_ordered" => "该被执行人已有有效的限制消费令。",
        "order_not_found" => "没有这份限制消费令。",
        "already_lifted" => "该限制消费令已解除。",
        "still_listed" => "被限制人仍在失信名单上，须先删除失信信息。",
        "trigger_not_shown" => "案件尚有未履行金额，不能以“已履行全部义务”删除。",
        "invalid_trigger" => "请选择删除事由。",
        "invalid_date" => "日期不正确。",
        "case_closed" => "案件已结案。",
        "version_conflict" => "案件已被他人修改，请刷新后重试。",
        _ => "未能办理，请检查填写的内容。",
    };
    s.to_owned()
}

/// Answers a credit form: back to the case page when done; a refusal (422, 409) shows the
/// case page again with the reason; not being allowed, or no such case, is the error page,
/// as for every other form.
async fn answer(app: &App, v: &Viewer, id: i64, r: Result<(), AppError>) -> Response {
    answer_with(app, v, id, r, None).await
}

async fn answer_with(
    app: &App,
    v: &Viewer,
    id: i64,
    r: Result<(), AppError>,
    years: Option<(i64, i64)>,
) -> Response {
    let e = match r {
        Ok(()) => return Redirect::to(&format!("/cases/{id}")).into_response(),
        Err(e) => ApiError::from(e),
    };
    if !matches!(
        e.status,
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT
    ) {
        return PageError(e).into_response();
    }
    let message = refusal_zh(&e, years);
    super::cases::render(
        app,
        v,
        id,
        e.status,
        Some(super::cases::Refused {
            section: "credit",
            message: &message,
        }),
    )
    .await
    .unwrap_or_else(IntoResponse::into_response)
}

/// A mistake in a form found before the service runs. Reported only to whoever may act on the
/// case: anyone else gets the 403 or 404 the service would give, as if the form were right.
async fn refuse(app: &App, v: &Viewer, id: i64, e: AppError) -> Result<(), AppError> {
    cases_svc::may_act(
        app,
        &v.principal,
        id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await?;
    Err(e)
}

/// The extension a listing could get, for the message when the years asked do not fit.
async fn listing_years(app: &App, v: &Viewer, id: i64, no: u32) -> Option<(i64, i64)> {
    let (row, court) = cases_svc::readable(app, &v.principal, id).await.ok()?;
    let listed_on = cases_svc::state_of(&row)
        .ok()?
        .credit
        .listing(no)?
        .listed_on;
    let rules = app.rules.current(&app.store).await.ok()?;
    bounds(&rules, &cases_svc::region(&court), listed_on)
}

fn names(s: &str) -> Vec<String> {
    s.split(['、', ',', '，'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

#[derive(Deserialize)]
pub struct ListingForm {
    party_no: u32,
    facts: String,
    #[serde(default)]
    bound_persons: String,
    g1: Option<String>,
    g2: Option<String>,
    g3: Option<String>,
    g4: Option<String>,
    g5: Option<String>,
    g6: Option<String>,
}

/// Lists a respondent from the case page.
pub async fn listing_submit(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<ListingForm>,
) -> Response {
    let grounds = [&f.g1, &f.g2, &f.g3, &f.g4, &f.g5, &f.g6]
        .iter()
        .zip(Ground::ALL)
        .filter(|(on, _)| on.is_some())
        .map(|(_, g)| g)
        .collect();
    let req = zhixing_domain::credit::ListingRequest {
        party_no: f.party_no,
        grounds,
        facts: f.facts,
        bound_persons: names(&f.bound_persons),
    };
    let r = svc::list(&app, &v.principal, id, req, None).await;
    answer(&app, &v, id, r.map(|_| ())).await
}

#[derive(Deserialize)]
pub struct RemovalForm {
    trigger: String,
    reason: String,
}

/// Removes a listing from the case page.
pub async fn removal_submit(
    State(app): State<App>,
    v: Viewer,
    Path((id, no)): Path<(i64, u32)>,
    axum::Form(f): axum::Form<RemovalForm>,
) -> Response {
    let r = match svc::trigger(&f.trigger) {
        Ok(t) => svc::remove(&app, &v.principal, id, no, t, &f.reason, None, None).await,
        Err(e) => Err(e),
    };
    answer(&app, &v, id, r.map(|_| ())).await
}

#[derive(Deserialize)]
pub struct OrderForm {
    party_no: u32,
    #[serde(default)]
    bound_persons: String,
    reason: String,
}

/// Orders a consumption restriction from the case page.
pub async fn order_submit(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<OrderForm>,
) -> Response {
    let r = svc::order(
        &app,
        &v.principal,
        id,
        f.party_no,
        &names(&f.bound_persons),
        &f.reason,
        None,
    )
    .await;
    answer(&app, &v, id, r.map(|_| ())).await
}

/// Lifts a restriction order from the case page.
pub async fn lift_submit(
    State(app): State<App>,
    v: Viewer,
    Path((id, no)): Path<(i64, u32)>,
    axum::Form(f): axum::Form<LiftForm>,
) -> Response {
    let r = svc::lift(&app, &v.principal, id, no, &f.reason, None).await;
    answer(&app, &v, id, r.map(|_| ())).await
}

#[derive(Deserialize)]
pub struct LiftForm {
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
pub struct ExtensionForm {
    #[serde(default)]
    years: String,
    #[serde(default)]
    reason: String,
}

/// Extends a listing (grounds 2–6) from its row on the case page.
pub async fn extension_submit(
    State(app): State<App>,
    v: Viewer,
    Path((id, no)): Path<(i64, u32)>,
    axum::Form(f): axum::Form<ExtensionForm>,
) -> Response {
    // A number that does not parse is refused like one out of range.
    let r = match f.years.trim().parse::<i64>() {
        Ok(years) => svc::extend(&app, &v.principal, id, no, years, &f.reason, None)
            .await
            .map(|_| ()),
        Err(_) => {
            refuse(
                &app,
                &v,
                id,
                AppError::unprocessable("invalid_extension", "years must be a whole number"),
            )
            .await
        }
    };
    let years = match &r {
        Err(e) if e.code() == "invalid_extension" => listing_years(&app, &v, id, no).await,
        _ => None,
    };
    answer_with(&app, &v, id, r, years).await
}

#[derive(Deserialize)]
pub struct CorrectionForm {
    #[serde(default)]
    listing_no: String,
    #[serde(default)]
    reason: String,
}

/// Registers a listed person's correction request (纠正申请) as received by the court.
pub async fn correction_submit(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<CorrectionForm>,
) -> Response {
    let r = match f.listing_no.trim().parse::<u32>() {
        Ok(no) => svc::request_correction(&app, &v.principal, id, no, &f.reason, None)
            .await
            .map(|_| ()),
        Err(_) => {
            refuse(
                &app,
                &v,
                id,
                AppError::unprocessable("listing_not_found", "choose a listing"),
            )
            .await
        }
    };
    answer(&app, &v, id, r).await
}

#[derive(Deserialize)]
pub struct CorrectionDecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    amended_facts: String,
}

/// Decides a correction request: upheld (the listing is removed, or amended when new facts
/// are given) or rejected.
pub async fn correction_decision_submit(
    State(app): State<App>,
    v: Viewer,
    Path((id, no)): Path<(i64, u32)>,
    axum::Form(f): axum::Form<CorrectionDecisionForm>,
) -> Response {
    let accepted = match f.decision.as_str() {
        "accept" => Some(true),
        "reject" => Some(false),
        _ => None,
    };
    let amended = Some(f.amended_facts.trim()).filter(|s| !s.is_empty());
    let r = match accepted {
        Some(accepted) => svc::decide_correction(
            &app,
            &v.principal,
            id,
            no,
            accepted,
            &f.reason,
            amended,
            None,
        )
        .await
        .map(|_| ()),
        None => {
            refuse(
                &app,
                &v,
                id,
                AppError::unprocessable("invalid_decision", "decision must be accept or reject"),
            )
            .await
        }
    };
    answer(&app, &v, id, r).await
}
