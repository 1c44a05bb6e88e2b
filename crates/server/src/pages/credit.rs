//! The case page's credit section (信用惩戒): listings on the dishonest-debtor list, their
//! extension, removal and correction requests, and consumption restriction orders. Every form
//! calls the same service as the JSON API; a refused form shows the case page again with the
//! reason in Chinese, anything else redirects back to the case page (POST-redirect-GET).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_domain::access::Action;
use zhixing_domain::case::MAX_STATED_DAYS;
use zhixing_domain::case::{CaseState, PartyRole};
use zhixing_domain::credit::{
    Ground, Listing, ListingRequest, ListingStatus, NoticePeriods, RemovalTrigger,
};
use zhixing_domain::refusal::Refusal;
use zhixing_domain::rules::RuleBook;

use super::i18n::{Label, zh_en};
use super::{PageError, Viewer};
use crate::error::{ApiError, Path};
use zhixing_app::AppError;
use zhixing_app::case as cases_svc;
use zhixing_app::credit::listings::{self as svc, CreditCommand};
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
    /// The periods of the case's notice on each respondent (by name), if one was issued.
    pub periods: Vec<(String, NoticePeriods)>,
    pub error: Option<&'a str>,
    /// The viewer's form token.
    pub token: &'a crate::csrf::FormToken,
}

/// A period of the notice as the listing form tells it: from service, or not started.
fn period_words(p: &zhixing_domain::service::Period) -> String {
    match p {
        zhixing_domain::service::Period::Runs { from, until } => {
            if super::i18n::en() {
                format!("served {from}, due {until}")
            } else {
                format!("{from} 送达，期限至 {until}")
            }
        }
        zhixing_domain::service::Period::NotStarted { .. } => zh_en(
            "尚未送达，期间未开始",
            "Not served yet: the period has not begun",
        )
        .to_owned(),
    }
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
        Some((false, reason, on)) if super::i18n::en() => format!("Dismissed ({on}): {reason}"),
        Some((false, reason, on)) => format!("驳回（{on}）：{reason}"),
        Some((true, reason, on)) => {
            let removed = l
                .and_then(|l| l.removal.as_ref())
                .is_some_and(|r| r.trigger == RemovalTrigger::Corrected && r.on == *on);
            let what = if removed {
                "理由成立，已删除失信信息"
            } else {
                zh_en(
                    "理由成立，已更正失信行为",
                    "Upheld: dishonest conduct corrected",
                )
            };
            if super::i18n::en() {
                format!("{what} ({on}): {reason}")
            } else {
                format!("{what}（{on}）：{reason}")
            }
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
            h2 { (zh_en("信用惩戒（失信名单、限制消费）", "Credit sanctions (dishonest list, consumption restrictions)")) }
            @if let Some(e) = s.error {
                div.error #credit-error role="alert" { (zh_en("未能办理：", "Not done: ")) (e) }
            }
            h3 { (zh_en("失信被执行人名单", "List of dishonest judgment debtors")) }
            @if c.credit.listings.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @else {
                table #listing-list {
                    tr { th { (zh_en("序号", "No.")) } th { (zh_en("被执行人", "Respondent")) } th { (zh_en("情形", "Ground")) } th { (zh_en("失信行为", "Dishonest conduct")) } th { (zh_en("纳入日期", "Listed on")) } th { (zh_en("期限至", "Until")) } th { (zh_en("状态", "Status")) } @if can_act { th { (zh_en("办理", "Handle")) } } }
                    @for l in &c.credit.listings {
                        tr data-listing=(l.no) data-status=(if l.status == ListingStatus::Listed { "listed" } else { "removed" }) {
                            td { (l.no) }
                            td { (name(l.party_no)) }
                            td { @for g in &l.grounds { span title=(g.label()) { (zh_en("（", " (")) (g.no()) (zh_en("）", ")")) } } }
                            td.facts { (l.facts) }
                            td { (l.listed_on) }
                            td.ends-on { @if let Some(e) = l.ends_on { (e) } @else { (zh_en("履行完毕时", "Until performed")) }
                                @if l.extended_years > 0 { br; span.small.muted.extended { (zh_en("已延长 ", "extended by ")) (l.extended_years) (zh_en(" 年", " years")) } } }
                            td.listing-status { @if let Some(r) = &l.removal {
                                (zh_en("已删除（", "Removed (")) (r.trigger.label()) (zh_en("，", ", ")) (r.on) (zh_en("）", ")"))
                                br; span.small.muted { (r.reason) }
                            } @else { (zh_en("在册", "Listed")) } }
                            @if can_act { td { @if l.status == ListingStatus::Listed {
                                form.remove method="post" action=(format!("/cases/{id}/listings/{}/removal", l.no)) {
                                    (s.token)
                                    label.inline { (zh_en("删除事由", "Ground for removal")) select name="trigger" { @for t in RemovalTrigger::ALL.iter().filter(|t| t.by_decision()) { option value=(t.as_str()) { (t.label()) } } } }
                                    label.inline { (zh_en("删除理由", "Reason for removal")) input name="reason" required minlength="4"; }
                                    button type="submit" { (zh_en("删除", "Remove")) } }
                                @if let Some((min, max)) = extension_years(s, l) {
                                    form.extend method="post" action=(format!("/cases/{id}/listings/{}/extension", l.no)) {
                                        (s.token)
                                        label.inline { (zh_en("延长期限", "Extend the term")) select name="years" { @for y in min..=max { option value=(y) { (zh_en("延长 ", "Extend by ")) (y) (zh_en(" 年", " years")) } } } }
                                        label.inline { (zh_en("延长理由（情节严重或多项失信行为）", "Reason for extending (serious case or several dishonest acts)")) input name="reason" required minlength="4"; }
                                        button type="submit" { (zh_en("延长", "Extend")) } }
                                }
                            } } }
                        }
                    }
                }
            }
            h3 { (zh_en("信用惩戒预警", "Credit sanction warnings")) }
            @if c.credit.warnings.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @else {
                table #warning-list {
                    tr { th { (zh_en("序号", "No.")) } th { (zh_en("被执行人", "Respondent")) } th { (zh_en("发出日期", "Issued on")) } th { (zh_en("宽限期至", "Grace period until")) } th { (zh_en("说明", "Details")) } th { (zh_en("状态", "Status")) } }
                    @for w in &c.credit.warnings {
                        tr data-warning=(w.no) data-status=(if s.today <= w.until { "grace" } else { "ended" }) {
                            td { (w.no) }
                            td { (name(w.party_no)) }
                            td { (w.on) }
                            td.until { (w.until) (zh_en("（", " (")) (w.grace_days) (zh_en(" 日）", " days)")) }
                            td { (w.note) }
                            td { @if s.today <= w.until { (zh_en("宽限期内，不予纳入失信名单", "In the grace period: not to be listed")) } @else { (zh_en("宽限期已届满", "Grace period over")) } }
                        }
                    }
                }
            }
            @if s.open && !respondents.is_empty() {
                form #warning-form method="post" action=(format!("/cases/{id}/credit-warnings")) {
                    (s.token)
                    label { (zh_en("被执行人", "Respondent")) select name="party_no" { @for p in &respondents { option value=(p.no) { (p.name) } } } }
                    label { (zh_en("宽限期（日，由本院确定）", "Grace period (days, set by the court)")) input type="number" name="grace_days" required min="1" max=(MAX_STATED_DAYS) step="1"; }
                    label { (zh_en("预警内容（可选）", "Warning text (optional)")) textarea name="note" maxlength="2000" {} }
                    button type="submit" { (zh_en("发出信用惩戒预警", "Issue a credit sanction warning")) }
                }
            }
            @if s.open && !respondents.is_empty() {
                p.small #listing-timing {
                    @if s.periods.is_empty() {
                        (zh_en("尚未发出执行通知书、报告财产令：不能依第一项、第四项情形纳入。", "No enforcement notice or order to report property yet: cannot list on ground 1 or 4."))
                    } @else {
                        @for (name, p) in &s.periods {
                            (name) (zh_en("：执行通知书 ", ": enforcement notice ")) (period_words(&p.perform)) (zh_en("；报告财产令 ", "; order to report property ")) (period_words(&p.report)) (zh_en("。", "."))
                            br;
                        }
                        (zh_en("期间自文书送达之日起计算。依第一项情形须履行期限届满后、依第四项情形须报告期限届满后方可纳入。", "Periods run from service. Listing on ground 1 waits for the time to perform to end; on ground 4, for the time to report."))
                    }
                }
                form #listing-form method="post" action=(format!("/cases/{id}/listings")) {
                    (s.token)
                    label { (zh_en("被执行人", "Respondent")) select name="party_no" { @for p in &respondents { option value=(p.no) { (p.name) } } } }
                    fieldset { legend { (zh_en("失信情形（第一条）", "Ground for listing (article 1)")) }
                        @for g in Ground::ALL { label.check { input type="checkbox" name=(format!("g{}", g.no())) value="on"; (zh_en("（", " (")) (g.no()) (zh_en("）", ")")) (g.label()) } } }
                    label { (zh_en("失信行为（具体事实）", "Dishonest conduct (the facts)")) textarea name="facts" required minlength="4" maxlength="4000" {} }
                    label { (zh_en("单位被执行人：限制消费另约束的人员（以、分隔）", "Organisation respondent: persons also restricted (separated by 、)")) input name="bound_persons"; }
                    button type="submit" { (zh_en("纳入失信名单", "List as dishonest")) }
                }
            }
            h3 { (zh_en("纠正申请", "Correction requests")) }
            @if c.credit.corrections.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @else {
                table #correction-list {
                    tr { th { (zh_en("序号", "No.")) } th { (zh_en("失信名单", "Dishonest list")) } th { (zh_en("申请理由", "Reason for the request")) } th { (zh_en("收到日期", "Received on")) } th { (zh_en("审查期限", "Review by")) } th { (zh_en("结果", "Result")) } }
                    @for r in &c.credit.corrections {
                        tr data-correction=(r.no) data-status=(match &r.decision { None => "pending", Some((true, ..)) => "accepted", Some((false, ..)) => "rejected" }) {
                            td { (r.no) }
                            td { (r.listing_no) (zh_en("（", " (")) (c.credit.listing(r.listing_no).map(|l| name(l.party_no)).unwrap_or_default()) (zh_en("）", ")")) }
                            td { (r.reason) }
                            td { (r.requested_on) }
                            td.review-due { (r.review_due)
                                @if r.decision.is_none() && r.review_due < s.today { " " span.badge.late { (zh_en("已超期", "Overdue")) } } }
                            td.outcome { @if r.decision.is_some() { (outcome(r, c.credit.listing(r.listing_no))) }
                                @else if can_act {
                                    form.decide method="post" action=(format!("/cases/{id}/corrections/{}/decision", r.no)) {
                                        (s.token)
                                        label.check { input type="radio" name="decision" value="accept" required; (zh_en("理由成立", "Upheld")) }
                                        label.check { input type="radio" name="decision" value="reject"; (zh_en("驳回", "Dismiss")) }
                                        label { (zh_en("审查理由", "Grounds of the decision")) input name="reason" required minlength="4"; }
                                        label { (zh_en("更正后的失信行为（理由成立且只需更正时填写；留空则删除失信信息）", "Corrected conduct (when upheld and a correction is enough; empty removes the listing)")) textarea name="amended_facts" maxlength="4000" {} }
                                        button type="submit" { (zh_en("决定", "Decide")) }
                                    }
                                } @else { (zh_en("待审查", "To review")) } }
                        }
                    }
                }
            }
            @if can_act && !correctable.is_empty() {
                form #correction-form method="post" action=(format!("/cases/{id}/corrections")) {
                    (s.token)
                    label { (zh_en("失信名单", "Dishonest list")) select name="listing_no" { @for l in &correctable { option value=(l.no) { (l.no) (zh_en("（", " (")) (name(l.party_no)) (zh_en("）", ")")) } } } }
                    label { (zh_en("纠正申请理由（被纳入人书面申请的内容）", "Grounds of the request (as the listed person wrote them)")) textarea name="reason" required minlength="4" maxlength="4000" {} }
                    button type="submit" { (zh_en("登记纠正申请", "Register the correction request")) }
                }
            }
            h3 { (zh_en("限制消费令", "Consumption restriction orders")) }
            @if c.credit.orders.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @else {
                table #order-list {
                    tr { th { (zh_en("序号", "No.")) } th { (zh_en("被限制人", "Restricted person")) } th { (zh_en("约束人员", "Also restricted")) } th { (zh_en("发出日期", "Issued on")) } th { (zh_en("状态", "Status")) } @if can_act { th { (zh_en("办理", "Handle")) } } }
                    @for o in &c.credit.orders {
                        tr data-order=(o.no) {
                            td { (o.no) }
                            td { (name(o.party_no)) }
                            td { (o.bound_persons.join(zh_en("、", ", "))) }
                            td { (o.ordered_on) }
                            td { @if let Some((d, r)) = &o.lifted { (zh_en("已解除（", "Lifted (")) (d) (zh_en("，", ", ")) (r) (zh_en("）", ")")) } @else { (zh_en("有效", "In force")) } }
                            @if can_act { td { @if o.lifted.is_none() {
                                form.lift method="post" action=(format!("/cases/{id}/restriction-orders/{}/lift", o.no)) {
                                    (s.token)
                                    label.inline { (zh_en("解除理由", "Reason for release")) input name="reason" required minlength="4"; } button type="submit" { (zh_en("解除", "Release")) } }
                            } } }
                        }
                    }
                }
            }
            @if s.open && !respondents.is_empty() {
                form #order-form method="post" action=(format!("/cases/{id}/restriction-orders")) {
                    (s.token)
                    label { (zh_en("被执行人", "Respondent")) select name="party_no" { @for p in &respondents { option value=(p.no) { (p.name) } } } }
                    label { (zh_en("单位被执行人：另约束的人员（以、分隔）", "Organisation respondent: persons also restricted (separated by 、)")) input name="bound_persons"; }
                    label { (zh_en("理由", "Reason")) input name="reason" required minlength="4"; }
                    button type="submit" { (zh_en("发出限制消费令", "Issue a consumption restriction order")) }
                }
            }
        }
    }
}

/// Answers a credit form: back to the case page when done; a refusal (422, 409) shows the
/// case page again with the catalogue's words beside the credit forms; not being allowed, or
/// no such case, is the error page, as for every other form.
async fn answer<T>(app: &App, v: &Viewer, id: i64, r: Result<T, AppError>) -> Response {
    let e = match r {
        Ok(_) => return Redirect::to(&format!("/cases/{id}")).into_response(),
        Err(e) => e,
    };
    if !e.is_refusal() {
        return PageError::from(e).into_response();
    }
    let message = super::refusal_words(v.lang, &e);
    let status = ApiError::from(e).status;
    super::cases::render(
        app,
        v,
        id,
        status,
        Some(super::cases::Refused {
            section: "credit",
            message: &message,
        }),
    )
    .await
    .unwrap_or_else(IntoResponse::into_response)
}

/// Carries out a credit form's command on case `id`.
async fn act(app: &App, v: &Viewer, id: i64, cmd: CreditCommand) -> Response {
    let r = svc::execute(app, &v.principal, id, None, cmd).await;
    answer(app, v, id, r).await
}

/// A mistake in a form found before the service runs. Reported only to whoever may act on the
/// case: anyone else gets the 403 or 404 the service would give, as if the form were right.
async fn refuse(app: &App, v: &Viewer, id: i64, r: Refusal) -> Response {
    let e = match cases_svc::may_act(app, &v.principal, id, Action::HandleCases).await {
        Ok(_) => AppError::from(r),
        Err(e) => e,
    };
    answer::<()>(app, v, id, Err(e)).await
}

fn names(s: &str) -> Vec<String> {
    s.split(['、', ',', '，'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

#[derive(Deserialize)]
pub struct WarningForm {
    #[serde(default)]
    party_no: String,
    #[serde(default)]
    grace_days: String,
    #[serde(default)]
    note: String,
}

/// Warns a respondent before listing, from the case page.
pub async fn warning_submit(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<WarningForm>,
) -> Response {
    let Ok(party_no) = f.party_no.trim().parse() else {
        let r = Refusal::invalid("party_not_found").with("party_no", f.party_no.trim());
        return refuse(&app, &v, id, r).await;
    };
    // What is not a whole number is refused as the domain refuses a grace out of bounds.
    let grace_days = f.grace_days.trim().parse().unwrap_or(0);
    let cmd = CreditCommand::Warn {
        party_no,
        grace_days,
        note: f.note,
    };
    act(&app, &v, id, cmd).await
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
    let cmd = CreditCommand::List(ListingRequest {
        party_no: f.party_no,
        grounds,
        facts: f.facts,
        bound_persons: names(&f.bound_persons),
    });
    act(&app, &v, id, cmd).await
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
    match RemovalTrigger::parse(f.trigger.trim()) {
        Some(trigger) => {
            let cmd = CreditCommand::Remove {
                no,
                trigger,
                reason: f.reason,
                trigger_on: None,
            };
            act(&app, &v, id, cmd).await
        }
        None => {
            let r = Refusal::invalid("invalid_trigger").with("trigger", f.trigger.trim());
            refuse(&app, &v, id, r).await
        }
    }
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
    let cmd = CreditCommand::Order {
        party_no: f.party_no,
        bound_persons: names(&f.bound_persons),
        reason: f.reason,
    };
    act(&app, &v, id, cmd).await
}

/// Lifts a restriction order from the case page.
pub async fn lift_submit(
    State(app): State<App>,
    v: Viewer,
    Path((id, no)): Path<(i64, u32)>,
    axum::Form(f): axum::Form<LiftForm>,
) -> Response {
    let cmd = CreditCommand::Lift {
        no,
        reason: f.reason,
    };
    act(&app, &v, id, cmd).await
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
    // A number that does not parse is refused like one out of range: the domain then names
    // the range the rule book allows.
    let cmd = CreditCommand::Extend {
        no,
        years: f.years.trim().parse::<i64>().unwrap_or(0),
        reason: f.reason,
    };
    act(&app, &v, id, cmd).await
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
    // No listing chosen is refused as a listing that does not exist (there is no listing 0).
    let cmd = CreditCommand::RequestCorrection {
        listing_no: f.listing_no.trim().parse::<u32>().unwrap_or(0),
        reason: f.reason,
    };
    act(&app, &v, id, cmd).await
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
        "accept" => true,
        "reject" => false,
        _ => return refuse(&app, &v, id, Refusal::invalid("invalid_decision")).await,
    };
    let amended_facts = Some(f.amended_facts.trim().to_owned()).filter(|s| !s.is_empty());
    let cmd = CreditCommand::DecideCorrection {
        no,
        accepted,
        reason: f.reason,
        amended_facts,
    };
    act(&app, &v, id, cmd).await
}
