//! The case page's investigation and control sections (查控): online investigations and
//! what they found, traditional investigations with their files, control measures with their
//! countdowns — and the forms that act on them, each calling the same service as its API route.

use std::collections::HashMap;

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::response::Response;
use jiff::civil::Date;
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_domain::field::FieldMethod;
use zhixing_domain::measure::{MeasureKind, MeasureStatus, PropertyClass};
use zhixing_store::investigation::{AssetRow, InvestigationRow, OutboxStatus};
use zhixing_store::measures::{AlertRow, MeasureRow};

use super::cases::{Refused, answer, back, fen_of, yuan};
use super::i18n::{Label, zh_en};
use super::{PageError, Viewer};
use crate::csrf::FormToken;
use crate::error::{ApiError, Path};
use zhixing_app::AppError;
use zhixing_app::case::{self as svc};
use zhixing_app::control::field::{self, FieldCommand, FieldInvestigationView};
use zhixing_app::control::investigation::{self as inv, InvestigationCommand};
use zhixing_app::control::measures::{self as ms, MeasureCommand};
use zhixing_app::state::App;
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};

/// An investigation with its messages counted: (investigation, replied, pending, failed, messages).
type Progress = (InvestigationRow, usize, usize, usize, Vec<OutboxStatus>);

/// What the sections show of a case.
pub(super) struct Section {
    pub investigations: Vec<Progress>,
    pub assets: Vec<AssetRow>,
    pub measures: Vec<MeasureRow>,
    pub institution_names: HashMap<String, String>,
    pub alerts: Vec<AlertRow>,
    pub field_records: Vec<FieldInvestigationView>,
    /// The viewer's form token, which the sections' forms carry.
    pub token: FormToken,
}

pub(super) async fn load(app: &App, v: &Viewer, id: i64) -> Result<Section, PageError> {
    let c = zhixing_app::control::query::case_control(app, &v.principal, id).await?;
    let investigations = c
        .investigations
        .into_iter()
        .map(|p| {
            let (replied, pending, failed) = (p.replied(), p.pending(), p.failed());
            (p.investigation, replied, pending, failed, p.messages)
        })
        .collect();
    let field_records = zhixing_app::control::field::list(app, &v.principal, id).await?;
    Ok(Section {
        investigations,
        assets: c.assets,
        measures: c.measures,
        institution_names: c.institution_names,
        alerts: c.alerts,
        field_records,
        token: v.csrf.clone(),
    })
}

/// Online investigation, the property found, traditional investigation.
pub(super) fn investigation_sections(
    s: &Section,
    id: i64,
    open: bool,
    version: Option<i64>,
    today: Date,
    filed_on: Date,
    refused: Option<Refused<'_>>,
) -> Markup {
    let Section {
        investigations,
        assets,
        institution_names,
        field_records,
        token,
        ..
    } = s;
    let can_start = open;
    html! {
        section.card #investigation {
            h2 { (zh_en("网络查控", "Online property search")) }
            @if let Some(m) = Refused::at(refused, "investigation") { p.error role="alert" { (m) } }
            @if can_start {
                form method="post" action=(format!("/cases/{id}/investigate")) { (token) button #start-investigation type="submit" { (zh_en("发起网络查控（全部被执行人）", "Start an online search (every respondent)")) } }
            }
            @for (inv, replied, pending, failed, _) in investigations.iter().filter(|i| i.2 > 0) {
                // While answers are awaited the page says so, and refreshes as they arrive.
                p.investigation-progress data-investigation=(inv.id) {
                    label for=(format!("inv-progress-{}", inv.id)) { (zh_en("查询进行中：已答复 ", "Search under way: answered ")) (replied + failed) " / " (inv.messages) (zh_en("，待答复 ", ", waiting ")) (pending) " " }
                    progress id=(format!("inv-progress-{}", inv.id)) max=(inv.messages) value=(replied + failed) { (replied + failed) " / " (inv.messages) }
                }
            }
            @if !investigations.is_empty() {
                table #investigations {
                    tr { th { (zh_en("发起时间", "Started")) } th { (zh_en("查询数", "Queries")) } th { (zh_en("已答复", "Answered")) } th { (zh_en("待答复", "Waiting")) } th { (zh_en("失败", "Failed")) } }
                    @for (inv, replied, pending, failed, msgs) in investigations {
                        tr data-investigation=(inv.id) { td.small { (super::beijing_us(inv.requested_at)) } td { (inv.messages) } td.replied { (replied) } td.pending { (pending) } td { (failed) } }
                        tr { td colspan="5" { details.per-institution {
                            summary { (zh_en("各机构进度", "Progress by institution")) }
                            table { @for m in msgs { tr data-institution=(m.institution_id) data-status=(m.status) {
                                td { (institution_names.get(&m.institution_id).map_or(m.institution_id.as_str(), String::as_str)) }
                                td { (match m.status.as_str() { "replied" => zh_en("已答复", "Answered"), "failed" => zh_en("失败", "Failed"), "sent" => zh_en("已送达，待答复", "Delivered, awaiting answer"), _ => zh_en("待发送", "To send") }) }
                                td.small { (zh_en("尝试 ", "tried ")) (m.attempts) (zh_en(" 次", " times")) @if let Some(e) = &m.last_error { (zh_en("；", "; ")) (e) } } } } }
                        } } }
                    }
                }
            }
            h2 { (zh_en("查控到的财产", "Property found")) }
            @if assets.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @else {
                table #assets {
                    tr { th { (zh_en("类别", "Kind")) } th { (zh_en("机构", "Institution")) } th { (zh_en("账号／权证号", "Account / title number")) } th { (zh_en("余额／价值", "Balance / value")) } th { (zh_en("他案查控", "Held in other cases")) } @if open { th { (zh_en("控制措施", "Control measures")) } } }
                    @for a in assets {
                        @let held_by: Vec<String> = serde_json::from_str(&a.encumbrances).unwrap_or_default();
                        tr data-asset=(a.id) data-kind=(a.kind) data-free=(if held_by.is_empty() { "yes" } else { "no" }) {
                            td { (asset_kind_zh(&a.kind)) }
                            td { (institution_names.get(&a.institution_id).map_or(a.institution_id.as_str(), String::as_str)) }
                            td { code { (a.reference) } }
                            td.num { (a.value_fen.map(yuan).unwrap_or_default()) }
                            td.small { @if held_by.is_empty() { "—" } @else { (held_by.join(zh_en("、", ", "))) } }
                            @if open { td { (measure_form(token, id, a)) } }
                        }
                    }
                }
            }
        }
        section.card #field-investigations {
            h2 { (zh_en("传统查控（实地调查、搜查、悬赏、审计）", "Traditional investigation (site visit, search, reward, audit)")) }
            @if let Some(m) = Refused::at(refused, "field-investigations") { p.error role="alert" { (m) } }
            @if field_records.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @else {
                table #field-list {
                    tr { th { (zh_en("日期", "Date")) } th { (zh_en("方式", "Method")) } th { (zh_en("地点", "Place")) } th { (zh_en("调查情况", "Findings")) } th { (zh_en("附件", "Attachments")) } th { (zh_en("记录人", "Recorded by")) } }
                    @for r in field_records {
                        tr data-field-investigation=(r.id) data-method=(r.method) {
                            td { (r.on) }
                            td { (super::i18n::known(&r.method_zh)) }
                            td { (r.place.as_deref().unwrap_or("—")) }
                            td.findings { (r.findings) }
                            td { @if r.attachments.is_empty() { "—" } @else { ul.attachments { @for a in &r.attachments {
                                li { a href=(a.url) data-attachment=(a.id) { (a.name) } " " span.small.muted { (super::file_size(a.size)) } }
                            } } } }
                            td.small { (r.recorded_by_name.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
            @if open {
                form #field-form method="post" enctype="multipart/form-data" action=(format!("/cases/{id}/field-investigations")) {
                    // First: the token is read from the first part, before the files.
                    (token)
                    input type="hidden" name="version" value=(version.unwrap_or(0));
                    label { (zh_en("方式", "Method")) select name="method" { @for m in FieldMethod::ALL { option value=(m.as_str()) { (m.label()) } } } }
                    label { (zh_en("日期", "Date")) input type="date" name="on" required value=(today) max=(today) min=(filed_on); }
                    label { (zh_en("地点（实地调查、搜查须填写）", "Place (required for a site visit or search)")) input name="place" maxlength="200"; }
                    label { (zh_en("调查情况", "Findings")) textarea name="findings" required maxlength="4000" {} }
                    label { (zh_en("附件（PDF、JPEG、PNG、MP4，至多 5 个，每个不超过 10 MiB）", "Attachments (PDF, JPEG, PNG, MP4; at most 5, each at most 10 MiB)"))
                        input type="file" name="attachment" multiple accept=".pdf,.jpg,.jpeg,.png,.mp4,application/pdf,image/jpeg,image/png,video/mp4"; }
                    button type="submit" { (zh_en("记录传统查控", "Record the investigation")) }
                }
            }
        }
    }
}

/// Control measures with their countdowns, renewal and release.
pub(super) fn measures_section(
    s: &Section,
    id: i64,
    can_act: bool,
    today: Date,
    error: Option<&str>,
) -> Markup {
    let Section {
        assets,
        measures,
        alerts,
        token,
        ..
    } = s;
    html! {
        section.card #measures {
            h2 { (zh_en("控制措施", "Control measures")) }
            @if let Some(m) = error { p.error role="alert" { (m) } }
            @if !alerts.is_empty() {
                ul #alerts { @for al in alerts { li.alert data-kind=(al.kind) { span.badge.late { (alert_kind_zh(&al.kind)) } " " (super::alerts::words(&al.message, al.params.as_deref())) } } }
            }
            @if measures.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @else {
                table #measure-list {
                    tr { th { (zh_en("措施", "Measure")) } th { (zh_en("财产", "Property")) } th { (zh_en("状态", "Status")) } th { (zh_en("金额", "Amount")) } th { (zh_en("期限至", "Until")) } th { (zh_en("剩余", "Left")) } @if can_act { th { (zh_en("办理", "Handle")) } } }
                    @for m in measures {
                        tr data-measure=(m.id) data-status=(m.status) {
                            td { (MeasureKind::parse(&m.kind).map_or("", MeasureKind::label)) }
                            td { code { (assets.iter().find(|a| a.id == m.asset_id).map_or("", |a| a.reference.as_str())) } }
                            td.status { (measure_status_zh(&m.status))
                                @if let Some(q) = m.queue_position { (zh_en("（第 ", " (no. ")) (q) (zh_en(" 位）", " in line)")) }
                                @if let Some(p) = &m.pending { " · " (if p == "renew" { zh_en("续行待回复", "Renewal awaiting reply") } else { zh_en("解除待回复", "Release awaiting reply") }) }
                                @if let Some(r) = &m.last_reason { br; span.small.muted { (r) } } }
                            td.num { (m.held_fen.or(m.amount_fen).map(yuan).unwrap_or_default()) }
                            td { (m.until.as_deref().unwrap_or("—")) }
                            td.countdown { (countdown(m, today)) }
                            @if can_act { td { @if m.status == "active" && m.pending.is_none() && m.kind != "deduct" {
                                form.renew method="post" action=(format!("/cases/{id}/measures/{}/renew", m.id)) { (token) button type="submit" { (zh_en("续行", "Renew")) } }
                                form.release method="post" action=(format!("/cases/{id}/measures/{}/release", m.id)) {
                                    (token) label.inline { (zh_en("解除理由", "Reason for release")) input name="reason" required; } button type="submit" { (zh_en("解除", "Release")) } }
                            } } }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn asset_kind_zh(k: &str) -> &str {
    super::i18n::known(zhixing_domain::measure::asset_kind_zh(k))
}

pub(super) fn measure_status_zh(s: &str) -> &'static str {
    match MeasureStatus::parse(s) {
        Some(MeasureStatus::Requested) => zh_en("已发送，待回复", "Sent, awaiting reply"),
        Some(MeasureStatus::Active) => zh_en("生效中", "In force"),
        Some(MeasureStatus::Queued) => zh_en("轮候中", "Queued"),
        Some(MeasureStatus::Done) => zh_en("已扣划", "Deducted"),
        Some(MeasureStatus::Refused) => zh_en("被拒绝", "Refused"),
        Some(MeasureStatus::Released) => zh_en("已解除", "Released"),
        Some(MeasureStatus::Expired) => zh_en("已失效（未续行）", "Lapsed (not renewed)"),
        None => "",
    }
}

pub(super) fn alert_kind_zh(k: &str) -> &'static str {
    match k {
        "measure_expiring" => zh_en("即将到期", "Expiring soon"),
        "measure_expired" => zh_en("已失效", "Lapsed"),
        "property_found" => zh_en("发现财产", "Property found"),
        "funds_overdue" => zh_en("案款逾期未发放", "Case money held too long"),
        "dishonest_removal_due" => zh_en("应删除失信信息", "Listing to remove"),
        "restriction_lift_due" => zh_en("应解除限制消费", "Restriction to lift"),
        "node_overdue" => zh_en("节点超期", "Step overdue"),
        "deadline_due_soon" => zh_en("节点即将到期", "Step due soon"),
        "case_untouched" => zh_en("长期未办理", "Idle too long"),
        "listing_past_end" => zh_en("失信期满未删除", "Listing expired, not removed"),
        "supervision_overdue" => zh_en("督办逾期未回复", "Supervision reply overdue"),
        "review_overdue" => zh_en("执行审查逾期", "Review case overdue"),
        "entrusted_overdue" => zh_en("委托事项逾期", "Entrusted matter overdue"),
        "complaint_overdue" => zh_en("信访逾期未办结", "Complaint not closed in time"),
        "document_unserved" => zh_en("文书逾期未送达", "Document not served in time"),
        _ => zh_en("预警", "Alerts"),
    }
}

/// Days left on a measure in effect, red within the alert lead.
fn countdown(m: &zhixing_store::measures::MeasureRow, today: jiff::civil::Date) -> Markup {
    let left = (m.status == "active")
        .then(|| m.until.as_deref().and_then(|d| d.parse().ok()))
        .flatten()
        .map(|u| zhixing_domain::measure::days_left(u, today));
    html! {
        @match left {
            Some(n) if n < 0 => span.badge.late { (zh_en("已过期", "Expired")) },
            Some(n) if n <= 30 => span.badge.late data-days=(n) { (zh_en("剩 ", "")) (n) (zh_en(" 天", " days left")) },
            Some(n) => span.badge.ok data-days=(n) { (zh_en("剩 ", "")) (n) (zh_en(" 天", " days left")) },
            None => "—",
        }
    }
}

/// The measures that fit a property, as a small form on its row.
fn measure_form(
    token: &FormToken,
    case: i64,
    a: &zhixing_store::investigation::AssetRow,
) -> Markup {
    let class = PropertyClass::of_asset_kind(&a.kind);
    let kinds: Vec<MeasureKind> = MeasureKind::ALL
        .into_iter()
        .filter(|k| class.is_some_and(|c| c.allows(*k)))
        .collect();
    let money = kinds.iter().any(|k| k.takes_amount());
    html! {
        form.measure method="post" action=(format!("/cases/{case}/assets/{}/measures", a.id)) {
            (token)
            label.inline { (zh_en("措施", "Measure")) select name="kind" { @for k in &kinds { option value=(k.as_str()) { (k.label()) } } } }
            @if money { label.inline { (zh_en("金额（元）", "Amount (yuan)")) input name="amount" size="10"; } }
            label.inline { (zh_en("期限至", "Until")) input type="date" name="until" title=(zh_en("空：法定最长期限", "empty: the longest legal term")); }
            button type="submit" { (zh_en("申请", "Apply")) }
        }
    }
}

#[derive(Deserialize)]
pub struct MeasureForm {
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    until: String,
}

/// A form value the case page could not read as a measure's amount or last day.
fn unreadable(reason: &'static str, value: &str) -> AppError {
    AppError::from(Refusal::of_reasons(
        "invalid_measure",
        RefusalKind::Invalid,
        vec![Reason::new(reason).with("value", value.trim())],
    ))
}

/// Asks for a measure from the case page.
pub async fn measure_submit(
    State(app): State<App>,
    v: Viewer,
    Path((id, asset)): Path<(i64, i64)>,
    axum::Form(f): axum::Form<MeasureForm>,
) -> Response {
    let r = async {
        let amount = match f.amount.trim() {
            "" => None,
            a => Some(
                fen_of(zh_en("金额", "Amount"), a)
                    .map_err(|_| unreadable("measure_amount_unreadable", a))?,
            ),
        };
        let until = match f.until.trim() {
            "" => None,
            d => Some(
                d.parse()
                    .map_err(|_| unreadable("measure_until_unreadable", d))?,
            ),
        };
        ms::execute(
            &app,
            &v.principal,
            MeasureCommand::Request {
                asset_id: asset,
                input: ms::MeasureInput {
                    kind: f.kind,
                    amount_fen: amount,
                    until,
                },
            },
        )
        .await
    }
    .await;
    answer(&app, &v, id, "measures", r).await
}

/// Renews a measure from the case page (by one legal period).
pub async fn renew_submit(
    State(app): State<App>,
    v: Viewer,
    Path((id, m)): Path<(i64, i64)>,
) -> Response {
    let r = ms::execute(
        &app,
        &v.principal,
        MeasureCommand::Renew { id: m, until: None },
    )
    .await;
    answer(&app, &v, id, "measures", r).await
}

#[derive(Deserialize)]
pub struct ReleaseForm {
    reason: String,
}

/// Releases a measure from the case page.
pub async fn release_submit(
    State(app): State<App>,
    v: Viewer,
    Path((id, m)): Path<(i64, i64)>,
    axum::Form(f): axum::Form<ReleaseForm>,
) -> Response {
    let r = ms::execute(
        &app,
        &v.principal,
        MeasureCommand::Release {
            id: m,
            reason: f.reason,
        },
    )
    .await;
    answer(&app, &v, id, "measures", r).await
}

/// Records a traditional investigation from the case page, with its files.
pub async fn field_submit(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    let r = async {
        // As in the API: who may record is settled before the upload is read.
        svc::may_act(
            &app,
            &v.principal,
            id,
            zhixing_domain::access::Action::HandleCases,
        )
        .await?;
        let input = crate::multipart::read_form(mp.map_err(crate::multipart::rejection)?).await?;
        field::execute(
            &app,
            &v.principal,
            FieldCommand::Record { case_id: id, input },
        )
        .await
        .map_err(ApiError::from)
    }
    .await;
    back(id, r.err())
}

/// Starts an online investigation from the case page.
pub async fn investigate(State(app): State<App>, v: Viewer, Path(id): Path<i64>) -> Response {
    let r = inv::execute(
        &app,
        &v.principal,
        InvestigationCommand::Start {
            case_id: id,
            version: None,
        },
    )
    .await;
    answer(&app, &v, id, "investigation", r).await
}
