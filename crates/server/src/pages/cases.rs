//! Case pages: my cases (deadlines first), the filing form, the case page, closure.

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_domain::access::Action;
use zhixing_domain::case::{ActionKind, CaseStatus, ClosureMode, PartyRole};
use zhixing_domain::field::FieldMethod;
use zhixing_domain::filing::{BASIS_KINDS, PartyInput};
use zhixing_domain::measure::{MeasureKind, MeasureStatus, PropertyClass};

use super::i18n::Lang;
use super::{PageError, Viewer, layout, page};
use crate::api::Ctx;
use crate::api::cases::{AmountsIn, BasisIn, FileCaseIn, ListParams, summary};
use crate::error::{ApiError, Path, Query};
use zhixing_app::case::{self as svc, Need};
use zhixing_app::state::App;

fn ctx_of(v: &Viewer) -> Ctx {
    Ctx {
        principal: v.principal.clone(),
        token_hash: String::new(),
    }
}

pub(super) fn yuan(fen: i64) -> String {
    zhixing_domain::money::Fen::new(fen)
        .map(|f| f.to_string())
        .unwrap_or_else(|_| fen.to_string())
}

fn status_zh(s: &str) -> &'static str {
    CaseStatus::parse(s).map_or("", CaseStatus::name_zh)
}

#[derive(Deserialize, Default)]
pub struct ListForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    overdue: Option<String>,
    #[serde(default)]
    mine: Option<String>,
    /// A court the viewer may read (the command centre's drill-down); default the viewer's.
    #[serde(default)]
    court: String,
}

/// 我的案件 — the officer's cases, the nearest deadline first.
pub async fn list(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let court = Some(f.court.trim().to_owned()).filter(|c| !c.is_empty());
    let mine = f.mine.is_some()
        || (f.q.is_empty()
            && f.status.is_empty()
            && f.overdue.is_none()
            && court.is_none()
            && v.principal.carries_a_caseload());
    let params = ListParams {
        court: court.clone(),
        status: Some(f.status.clone()).filter(|s| !s.is_empty()),
        officer: mine.then(|| "me".to_owned()),
        case_type: None,
        overdue: f.overdue.as_ref().map(|_| true),
        filed_from: None,
        filed_to: None,
        q: Some(f.q.clone()).filter(|s| !s.is_empty()),
        sort: Some("due".into()),
        limit: Some(200),
        cursor: None,
    };
    let filter = crate::api::cases::filter_of(&app, &ctx_of(&v), &params).await?;
    let rows = app.store.list_cases(&filter).await?;
    let today = app.today();
    // Another court's cases (reached from the command centre) are titled with its name;
    // `filter_of` has already answered 404 for a court the viewer may not read.
    let other_court = match &court {
        Some(id) if *id != v.principal.court_id => app.store.court(id).await?.map(|c| c.name),
        _ => None,
    };
    let body = html! {
        section.card {
            h1 {
                @if let Some(name) = &other_court { (name) " · 案件" }
                @else { (if mine { "我的案件" } else { "本院案件" }) }
            }
            form.filters method="get" action="/cases" {
                @if let Some(id) = &court { input type="hidden" name="court" value=(id); }
                input name="q" value=(f.q) placeholder="案号、当事人姓名或身份证号";
                select name="status" {
                    option value="" { "全部状态" }
                    @for s in ["open", "suspended", "pending_closure", "closed"] {
                        option value=(s) selected[f.status == s] { (status_zh(s)) }
                    }
                }
                label.inline { input type="checkbox" name="overdue" value="1" checked[f.overdue.is_some()]; "仅超期" }
                label.inline { input type="checkbox" name="mine" value="1" checked[mine]; "仅我承办" }
                button type="submit" { "查询" }
                @if v.principal.may(Action::HandleCases, &v.principal.court_path) {
                    a.button href="/cases/new" { "立案" }
                }
            }
            table #case-list {
                tr { th { "案号" } th { "申请执行人" } th { "被执行人" } th { "状态" } th { "最近期限" } th { "立案日期" } }
                @for r in &rows {
                    @let s = summary(r, today);
                    tr.overdue[s.overdue] {
                        td { a href=(format!("/cases/{}", s.id)) { (s.number) } }
                        td { (s.applicants.join("、")) }
                        td { (s.respondents.join("、")) }
                        td { (status_zh(&s.status)) }
                        td { @if let Some(d) = &s.next_due { (d) @if s.overdue { " " span.badge.late { "超期" } } } }
                        td { (s.filed_on) }
                    }
                }
            }
            @if rows.is_empty() { p.muted { "没有符合条件的案件。" } }
        }
    };
    Ok(page(StatusCode::OK, layout(lang, "案件", Some(&v), body)))
}

/// The filing form, as typed (kept when the filing is refused).
#[derive(Deserialize, Default, Clone)]
pub struct FilingForm {
    #[serde(default)]
    case_type: String,
    #[serde(default)]
    applicant_kind: String,
    #[serde(default)]
    applicant_name: String,
    #[serde(default)]
    applicant_id: String,
    #[serde(default)]
    applicant_rep: String,
    #[serde(default)]
    respondent_kind: String,
    #[serde(default)]
    respondent_name: String,
    #[serde(default)]
    respondent_id: String,
    #[serde(default)]
    respondent_rep: String,
    #[serde(default)]
    basis_kind: String,
    #[serde(default)]
    issuing_body: String,
    #[serde(default)]
    document_number: String,
    #[serde(default)]
    effective_date: String,
    #[serde(default)]
    performance_deadline: String,
    #[serde(default)]
    principal: String,
    #[serde(default)]
    interest: String,
    #[serde(default)]
    costs: String,
    #[serde(default)]
    duties: String,
    #[serde(default)]
    late_reason: String,
}

/// "1,234.56" yuan → fen.
pub(super) fn fen_of(field: &str, s: &str) -> Result<i64, String> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    if t.is_empty() {
        return Ok(0);
    }
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    let ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 2
        && frac.bytes().all(|b| b.is_ascii_digit())
        && whole.len() <= 14;
    if !ok {
        return Err(format!("{field}：请填写金额（元），最多两位小数"));
    }
    let w: i64 = whole.parse().map_err(|_| format!("{field}：金额过大"))?;
    let f: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
    Ok(w * 100 + f)
}

fn party(role: PartyRole, kind: &str, name: &str, id: &str, rep: &str) -> PartyInput {
    let org = kind == "organisation";
    PartyInput {
        role,
        kind: if org {
            "organisation".into()
        } else {
            "person".into()
        },
        name: name.into(),
        id_number: (!org).then(|| id.trim().to_owned()),
        credit_code: org.then(|| id.trim().to_owned()),
        legal_representative: (org && !rep.trim().is_empty()).then(|| rep.trim().to_owned()),
    }
}

fn filing_form(lang: Lang, v: &Viewer, f: &FilingForm, errors: &[String]) -> Markup {
    let sel = |cur: &str, val: &str| cur == val;
    layout(
        lang,
        "立案",
        Some(v),
        html! {
            section.card {
                h1 { "立案" }
                @if !errors.is_empty() {
                    div.error #filing-errors role="alert" { p { "未能立案：" } ul { @for e in errors { li { (e) } } } }
                }
                form #filing method="post" action="/cases/new" {
                    fieldset {
                        legend { "案件类型" }
                        select name="case_type" { option value="执" selected[sel(&f.case_type, "执")] { "执（首次执行）" } option value="执保" selected[sel(&f.case_type, "执保")] { "执保（财产保全执行）" } }
                    }
                    @for (role, label, kind, name, id, rep) in [
                        ("applicant", "申请执行人", &f.applicant_kind, &f.applicant_name, &f.applicant_id, &f.applicant_rep),
                        ("respondent", "被执行人", &f.respondent_kind, &f.respondent_name, &f.respondent_id, &f.respondent_rep),
                    ] {
                        fieldset {
                            legend { (label) }
                            select name=(format!("{role}_kind")) { option value="person" selected[sel(kind, "person")] { "自然人" } option value="organisation" selected[sel(kind, "organisation")] { "法人或其他组织" } }
                            label { "姓名／名称" input name=(format!("{role}_name")) value=(name) required; }
                            label { "公民身份号码／统一社会信用代码" input name=(format!("{role}_id")) value=(id) required; }
                            label { "法定代表人（组织填写）" input name=(format!("{role}_rep")) value=(rep); }
                        }
                    }
                    fieldset {
                        legend { "执行依据" }
                        select name="basis_kind" { @for (k, zh) in BASIS_KINDS { @let val = serde_json::to_value(k).ok().and_then(|x| x.as_str().map(str::to_owned)).unwrap_or_default(); option value=(val) selected[f.basis_kind == val] { (zh) } } }
                        label { "作出机关" input name="issuing_body" value=(f.issuing_body) required; }
                        label { "文书编号" input name="document_number" value=(f.document_number) required; }
                        label { "生效日期" input type="date" name="effective_date" value=(f.effective_date) required; }
                        label { "履行期限届满日" input type="date" name="performance_deadline" value=(f.performance_deadline) required; }
                    }
                    fieldset {
                        legend { "执行标的（元）" }
                        label { "本金" input name="principal" value=(f.principal) inputmode="decimal"; }
                        label { "利息" input name="interest" value=(f.interest) inputmode="decimal"; }
                        label { "费用" input name="costs" value=(f.costs) inputmode="decimal"; }
                        label { "非金钱义务" textarea name="duties" { (f.duties) } }
                        label { "超过申请执行时效的受理理由（如有）" input name="late_reason" value=(f.late_reason); }
                    }
                    button type="submit" { "立案" }
                }
            }
        },
    )
}

pub async fn new_form(v: Viewer) -> Response {
    let f = FilingForm {
        case_type: "执".into(),
        applicant_kind: "person".into(),
        respondent_kind: "person".into(),
        basis_kind: "judgment".into(),
        ..FilingForm::default()
    };
    page(StatusCode::OK, filing_form(v.lang, &v, &f, &[]))
}

pub async fn new_submit(
    State(app): State<App>,
    v: Viewer,
    axum::Form(f): axum::Form<FilingForm>,
) -> Response {
    let mut errors = Vec::new();
    let mut amounts = [0i64; 3];
    for (i, (name, val)) in [
        ("本金", &f.principal),
        ("利息", &f.interest),
        ("费用", &f.costs),
    ]
    .into_iter()
    .enumerate()
    {
        match fen_of(name, val) {
            Ok(x) => amounts[i] = x,
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        let body = FileCaseIn {
            case_type: f.case_type.clone(),
            court_id: None,
            parties: vec![
                party(
                    PartyRole::Applicant,
                    &f.applicant_kind,
                    &f.applicant_name,
                    &f.applicant_id,
                    &f.applicant_rep,
                ),
                party(
                    PartyRole::Respondent,
                    &f.respondent_kind,
                    &f.respondent_name,
                    &f.respondent_id,
                    &f.respondent_rep,
                ),
            ],
            basis: BasisIn {
                kind: f.basis_kind.clone(),
                issuing_body: f.issuing_body.clone(),
                document_number: f.document_number.clone(),
                effective_date: f.effective_date.clone(),
                performance_deadline: f.performance_deadline.clone(),
            },
            amounts: AmountsIn {
                principal: amounts[0],
                interest: amounts[1],
                delay_interest: 0,
                costs: amounts[2],
            },
            duties: f.duties.clone(),
            late_reason: Some(f.late_reason.clone()).filter(|s| !s.trim().is_empty()),
        };
        let result = match body.into_input() {
            Ok(input) => svc::file_with_codes(&app, &v.principal, input, None)
                .await
                .map_err(ApiError::from),
            Err(e) => Err(e),
        };
        match result {
            // Not a redirect: the parties' access codes exist only in this answer.
            Ok((id, number, codes)) => {
                return page(StatusCode::OK, accepted(&v, id, &number, &codes));
            }
            Err(e) if e.details.is_empty() => errors.push(e.message),
            Err(e) => errors.extend(e.details),
        }
    }
    page(
        StatusCode::UNPROCESSABLE_ENTITY,
        filing_form(v.lang, &v, &f, &errors),
    )
}

/// 受理成功: the new case's number and each party's access code (当事人查询码), shown this
/// once for the officer to print and hand over with the acceptance notice. A lost code is
/// re-issued from the case page (the old one then stops working).
fn accepted(
    v: &Viewer,
    id: i64,
    number: &str,
    codes: &[zhixing_app::portal::AccessCode],
) -> Markup {
    layout(
        v.lang,
        "立案成功",
        Some(v),
        html! {
            section.card #accepted {
                h1 { "立案成功：" span #case-number { (number) } }
                h2 { "当事人查询码告知单" }
                p { "当事人可凭案号和本人的查询码在 " code { "/public/case" } " 查询案件进度。"
                    strong { "查询码只显示这一次" } "，请打印本页，随受理通知书一并送达各当事人。" }
                table #access-codes {
                    thead { tr { th { "序号" } th { "当事人" } th { "查询码" } } }
                    tbody {
                        @for c in codes {
                            tr { td { (c.party_no) } td.party { (c.name) } td.code { code { (c.code) } } }
                        }
                    }
                }
                p {
                    button type="button" onclick="window.print()" { "打印" }
                    " "
                    a #to-case href=(format!("/cases/{id}")) { "进入案件" }
                }
            }
        },
    )
}

fn deadline_badge(status: &str) -> Markup {
    let (cls, text) = match status {
        "done" => ("ok", "已完成"),
        "done_late" => ("late", "超期完成"),
        "overdue" => ("late", "已超期"),
        "moot" => ("muted", "不再适用"),
        _ => ("pending", "待办"),
    };
    html! { span class=(format!("badge {cls}")) { (text) } }
}

/// The case page.
pub async fn show(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    render(&app, &v, id, StatusCode::OK, None).await
}

/// The case page, answered with `status`; `credit_error` is the reason a credit form was
/// refused, shown in the credit section so the officer sees it beside the form.
pub(super) async fn render(
    app: &App,
    v: &Viewer,
    id: i64,
    status: StatusCode,
    credit_error: Option<&str>,
) -> Result<Response, PageError> {
    render_with(app, v, id, status, credit_error, None).await
}

/// The case page with the reason a credit or an auction form was refused, each shown in its
/// own section.
pub(super) async fn render_with(
    app: &App,
    v: &Viewer,
    id: i64,
    status: StatusCode,
    credit_error: Option<&str>,
    auction_error: Option<&str>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let view = svc::show(app, &v.principal, id, None).await?;
    let (_, court) = svc::readable(app, &v.principal, id).await?;
    let timeline = app.store.case_timeline(id).await?;
    let mut investigations = Vec::new();
    for inv in app.store.investigations_of(id).await? {
        let msgs = app.store.investigation_messages(inv.id).await?;
        let count = |s: &str| msgs.iter().filter(|m| m.status == s).count();
        investigations.push((
            inv,
            count("replied"),
            count("pending") + count("sent"),
            count("failed"),
            msgs,
        ));
    }
    let assets = app.store.assets_of(id).await?;
    let measures = app.store.measures_of(id).await?;
    let institution_names: std::collections::HashMap<String, String> =
        if assets.is_empty() && investigations.is_empty() {
            std::collections::HashMap::new()
        } else {
            app.store
                .institutions()
                .await?
                .into_iter()
                .map(|i| (i.id, i.name))
                .collect()
        };
    let alerts = app.store.alerts_of_case(id).await?;
    let field_records = zhixing_app::control::field::list(app, &v.principal, id).await?;
    let complaints = zhixing_app::oversight::complaints::of_case(app, &v.principal, id).await?;
    let recordings = zhixing_app::oversight::recordings::of_case(app, &v.principal, id).await?;
    let account = zhixing_app::disposal::funds::account(app, &v.principal, id).await?;
    let today = app.today();
    let rules = app.rules.current(&app.store).await?;
    let auctions = super::auction::load(app, v, id).await?;
    let command = super::case_supervision::load(app, &v.principal, id).await?;
    if !assets.is_empty() {
        zhixing_app::platform::audit::record_sensitive_read(
            app,
            &v.principal,
            &court.id,
            &format!("case:{id}"),
            &["assets.value_fen"],
        )
        .await?;
    }
    let c = &view.case;
    let can_act = v
        .principal
        .may(zhixing_domain::access::Action::HandleCases, &court.path);
    let is_head = v.principal.may(Action::Approve, &court.path);
    let open = can_act && c.status != CaseStatus::Closed;
    let body = html! {
        section.card #case-head {
            h1 #case-number { (view.number) }
            p { span.badge #case-status { (c.status.name_zh()) } " · " (court.name) " · 立案 " (c.filed_on)
                @if let Some((_, name)) = &c.officer { " · 承办人 " (name) } }
            @if let Some((mode, reason, on)) = &c.closure { p { "结案方式：" strong #closure-mode { (mode.name_zh()) } "（" (on) "）" (reason) } }
            @if let Some(r) = &c.resumed_from { p { "恢复执行自 " (r) } }
            @if let Some(r) = &c.resumed_as { p { "已恢复执行为 " (r) } }
        }
        section.card {
            h2 { "当事人" }
            table { @for p in &c.parties { tr { td { (if p.role == PartyRole::Applicant { "申请执行人" } else { "被执行人" }) } td { (p.name) } td { code { (p.identifier) } } td { @if let Some(l) = &p.legal_representative { "法定代表人 " (l) } } } } }
            p { "执行依据：" (c.basis.issuing_body) " " (c.basis.document_number) "（" (c.basis.effective_date) " 生效）" }
            p { "执行标的：" (yuan(view.total_due)) " · 已履行 " (yuan(c.paid.get())) " · 未履行 " (yuan(view.unpaid)) }
            @if !c.duties.is_empty() { p { "非金钱义务：" (c.duties) } }
        }
        section.card #deadlines {
            h2 { "法定期限" }
            table {
                tr { th { "节点" } th { "期限" } th { "状态" } th { "依据" } }
                @for d in &view.deadlines { tr data-node=(d.node) { td { (d.title) } td { (d.due) @if d.working_days { "（工作日）" } } td { (deadline_badge(&d.status)) } td.small { (d.citation) } } }
            }
            @if !view.next_actions.is_empty() {
                h2 { "下一步（系统建议，由承办人确认）" }
                ol #next-actions { @for d in &view.next_actions { li { (d.title) " — " (d.due) " 前" } } }
            }
        }
        @if can_act && c.status != CaseStatus::Closed {
            section.card #act {
                h2 { "办理" }
                form method="post" action=(format!("/cases/{id}/act")) {
                    input type="hidden" name="version" value=(view.version.unwrap_or(0));
                    select name="action" { @for a in ActionKind::ALL { option value=(a.as_str()) { (a.name_zh()) } } }
                    input name="note" placeholder="说明（约谈、不纳入失信的理由等须填写）";
                    button type="submit" { "记录" }
                }
                p { a #to-closure href=(format!("/cases/{id}/closure")) { "报结／结案…" } }
                @if is_head && c.status == CaseStatus::PendingClosure {
                    form #approval method="post" action=(format!("/cases/{id}/decision")) {
                        input type="hidden" name="version" value=(view.version.unwrap_or(0));
                        input name="note" placeholder="退回理由";
                        button name="approve" value="true" { "批准结案" }
                        button name="approve" value="false" { "退回" }
                    }
                }
            }
        }
        section.card #investigation {
            h2 { "网络查控" }
            @if can_act && c.status != CaseStatus::Closed {
                form method="post" action=(format!("/cases/{id}/investigate")) { button #start-investigation type="submit" { "发起网络查控（全部被执行人）" } }
            }
            @if !investigations.is_empty() {
                table #investigations {
                    tr { th { "发起时间" } th { "查询数" } th { "已答复" } th { "待答复" } th { "失败" } }
                    @for (inv, replied, pending, failed, msgs) in &investigations {
                        tr data-investigation=(inv.id) { td.small { (zhixing_store::from_micros(inv.requested_at).map(|t| t.to_string()).unwrap_or_default()) } td { (inv.messages) } td.replied { (replied) } td.pending { (pending) } td { (failed) } }
                        tr { td colspan="5" { details.per-institution {
                            summary { "各机构进度" }
                            table { @for m in msgs { tr data-institution=(m.institution_id) data-status=(m.status) {
                                td { (institution_names.get(&m.institution_id).map_or(m.institution_id.as_str(), String::as_str)) }
                                td { (match m.status.as_str() { "replied" => "已答复", "failed" => "失败", "sent" => "已送达，待答复", _ => "待发送" }) }
                                td.small { "尝试 " (m.attempts) " 次" @if let Some(e) = &m.last_error { "；" (e) } } } } }
                        } } }
                    }
                }
            }
            h2 { "查控到的财产" }
            @if assets.is_empty() { p.muted { "暂无。" } }
            @else {
                table #assets {
                    tr { th { "类别" } th { "机构" } th { "账号／权证号" } th { "余额／价值" } th { "他案查控" } @if open { th { "控制措施" } } }
                    @for a in &assets {
                        @let held_by: Vec<String> = serde_json::from_str(&a.encumbrances).unwrap_or_default();
                        tr data-asset=(a.id) data-kind=(a.kind) data-free=(if held_by.is_empty() { "yes" } else { "no" }) {
                            td { (asset_kind_zh(&a.kind)) }
                            td { (institution_names.get(&a.institution_id).map_or(a.institution_id.as_str(), String::as_str)) }
                            td { code { (a.reference) } }
                            td.num { (a.value_fen.map(yuan).unwrap_or_default()) }
                            td.small { @if held_by.is_empty() { "—" } @else { (held_by.join("、")) } }
                            @if open { td { (measure_form(id, a)) } }
                        }
                    }
                }
            }
        }
        section.card #field-investigations {
            h2 { "传统查控（实地调查、搜查、悬赏、审计）" }
            @if field_records.is_empty() { p.muted { "暂无。" } }
            @else {
                table #field-list {
                    tr { th { "日期" } th { "方式" } th { "地点" } th { "调查情况" } th { "附件" } th { "记录人" } }
                    @for r in &field_records {
                        tr data-field-investigation=(r.id) data-method=(r.method) {
                            td { (r.on) }
                            td { (r.method_zh) }
                            td { (r.place.as_deref().unwrap_or("—")) }
                            td.findings { (r.findings) }
                            td { @if r.attachments.is_empty() { "—" } @else { ul.attachments { @for a in &r.attachments {
                                li { a href=(a.url) data-attachment=(a.id) { (a.name) } " " span.small.muted { (size_text(a.size)) } }
                            } } } }
                            td.small { (r.recorded_by_name.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
            @if open {
                form #field-form method="post" enctype="multipart/form-data" action=(format!("/cases/{id}/field-investigations")) {
                    input type="hidden" name="version" value=(view.version.unwrap_or(0));
                    label { "方式" select name="method" { @for m in FieldMethod::ALL { option value=(m.as_str()) { (m.name_zh()) } } } }
                    label { "日期" input type="date" name="on" required value=(today) max=(today) min=(c.filed_on); }
                    label { "地点（实地调查、搜查须填写）" input name="place" maxlength="200"; }
                    label { "调查情况" textarea name="findings" required maxlength="4000" {} }
                    label { "附件（PDF、JPEG、PNG、MP4，至多 5 个，每个不超过 10 MiB）"
                        input type="file" name="attachment" multiple accept=".pdf,.jpg,.jpeg,.png,.mp4,application/pdf,image/jpeg,image/png,video/mp4"; }
                    button type="submit" { "记录传统查控" }
                }
            }
        }
        (super::credit::section(&super::credit::Section {
            id,
            case: c,
            open,
            can_act,
            today,
            rules: &rules,
            region: &svc::region(&court),
            error: credit_error,
        }))
        section.card #measures {
            h2 { "控制措施" }
            @if !alerts.is_empty() {
                ul #alerts { @for al in &alerts { li.alert data-kind=(al.kind) { span.badge.late { (alert_kind_zh(&al.kind)) } " " (al.message) } } }
            }
            @if measures.is_empty() { p.muted { "暂无。" } }
            @else {
                table #measure-list {
                    tr { th { "措施" } th { "财产" } th { "状态" } th { "金额" } th { "期限至" } th { "剩余" } @if can_act { th { "办理" } } }
                    @for m in &measures {
                        tr data-measure=(m.id) data-status=(m.status) {
                            td { (MeasureKind::parse(&m.kind).map_or("", MeasureKind::name_zh)) }
                            td { code { (assets.iter().find(|a| a.id == m.asset_id).map_or("", |a| a.reference.as_str())) } }
                            td.status { (measure_status_zh(&m.status))
                                @if let Some(q) = m.queue_position { "（第 " (q) " 位）" }
                                @if let Some(p) = &m.pending { " · " (if p == "renew" { "续行待回复" } else { "解除待回复" }) }
                                @if let Some(r) = &m.last_reason { br; span.small.muted { (r) } } }
                            td.num { (m.held_fen.or(m.amount_fen).map(yuan).unwrap_or_default()) }
                            td { (m.until.as_deref().unwrap_or("—")) }
                            td.countdown { (countdown(m, today)) }
                            @if can_act { td { @if m.status == "active" && m.pending.is_none() && m.kind != "deduct" {
                                form.renew method="post" action=(format!("/cases/{id}/measures/{}/renew", m.id)) { button type="submit" { "续行" } }
                                form.release method="post" action=(format!("/cases/{id}/measures/{}/release", m.id)) {
                                    input name="reason" required placeholder="解除理由"; button type="submit" { "解除" } }
                            } } }
                        }
                    }
                }
            }
        }
        (super::auction::section(&auctions, id, can_act, auction_error))
        (super::case_supervision::section(&command))
        (super::complaints::section(&complaints, &recordings))
        section.card #account {
            h2 { "案款（一案一账号）" }
            p { "账户余额 " strong #balance { (yuan(account.balance_fen)) } " · 累计到账 " (yuan(account.received_fen)) " · 已发放 " (yuan(account.paid_out_fen))
                @if account.overdue { " " span.badge.late { "有逾期未发放款项" } } }
            @if !account.receipts.is_empty() {
                table #receipts {
                    tr { th { "到账日" } th { "来源" } th { "金额" } th { "已发放" } th { "应发放期限" } }
                    @for r in &account.receipts {
                        tr { td { (r.received_on) } td { (match r.source.as_str() { "deduction" => "扣划", "voluntary" => "主动履行", "auction" => "拍卖款", o => o }) }
                             td.num { (yuan(r.amount_fen)) } td.num { (yuan(r.paid_out_fen)) }
                             td { (r.payout_due) @if r.overdue { " " span.badge.late { "逾期" } } } }
                    }
                }
            }
            @if !account.payouts.is_empty() {
                table #payouts {
                    tr { th { "领款人" } th { "金额" } th { "状态" } th { "提出" } th { "转账凭证" } }
                    @for p in &account.payouts {
                        tr { td { (p.party_name) } td.num { (yuan(p.amount_fen)) } td { (p.status) } td.small { (p.proposed_by) " " (p.proposed_on) }
                             td { (p.transfer_reference.as_deref().unwrap_or("—")) } }
                    }
                }
            }
        }
        section.card #documents {
            h2 { "法律文书" }
            ul { @for d in &c.documents { li { a href=(format!("/documents/{}", d.document_id)) target="_blank" { (d.title) } " " code.small { (d.sha256.get(..12).unwrap_or("")) "…" } } } }
        }
        section.card #timeline {
            h2 { "流程记录" }
            table { @for e in &timeline { tr { td.small { (zhixing_store::from_micros(e.at_us).map(|t| t.to_string()).unwrap_or_default()) } td { code { (e.kind) } } td { (e.actor) } } } }
        }
    };
    Ok(page(status, layout(lang, &view.number, Some(v), body)))
}

#[derive(Deserialize)]
pub struct ActForm {
    action: String,
    #[serde(default)]
    note: String,
    version: Option<i64>,
}

fn back(id: i64, e: Option<ApiError>) -> Response {
    match e {
        None => Redirect::to(&format!("/cases/{id}")).into_response(),
        Some(e) => PageError(e).into_response(),
    }
}

pub async fn act(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<ActForm>,
) -> Response {
    let Some(kind) = ActionKind::parse(&f.action) else {
        return back(
            id,
            Some(ApiError::unprocessable("unknown_action", "unknown action")),
        );
    };
    let today = app.today();
    let r = svc::change(&app, &v.principal, id, f.version, Need::Handler, |s, _| {
        zhixing_domain::case::decide_action(s, kind, &f.note, today).map(|e| vec![e])
    })
    .await;
    back(id, r.err().map(ApiError::from))
}

#[derive(Deserialize)]
pub struct ClosureQuery {
    mode: Option<String>,
}

/// The closure page: the checklist of the chosen mode, and the form.
pub async fn closure(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<ClosureQuery>,
) -> Result<Response, PageError> {
    let mode = q
        .mode
        .as_deref()
        .and_then(ClosureMode::parse)
        .unwrap_or(ClosureMode::Zhongben);
    let view = svc::show(&app, &v.principal, id, None).await?;
    let list = crate::api::cases::checklist_of(&app, &ctx_of(&v), id, mode).await?;
    let body = html! {
        section.card {
            h1 { (view.number) " — 结案" }
            p { @for m in ClosureMode::ALL { a.tab.active[m == mode] href=(format!("/cases/{id}/closure?mode={}", m.as_str())) { (m.name_zh()) } " " } }
            h2 { (mode.name_zh()) @if mode.needs_approval() { " （须执行局长批准）" } }
            ul #checklist { @for c in &list.conditions { li.met[c.met] data-code=(c.code) { (if c.met { "✔ " } else { "✘ " }) (c.description) } } }
            form #closure method="post" action=(format!("/cases/{id}/closure")) {
                input type="hidden" name="mode" value=(mode.as_str());
                input type="hidden" name="version" value=(view.version.unwrap_or(0));
                label { "结案理由" textarea name="reason" required {} }
                button type="submit" { (if mode.needs_approval() { "提交审批" } else { "结案" }) }
            }
        }
    };
    Ok(page(StatusCode::OK, layout(v.lang, "结案", Some(&v), body)))
}

#[derive(Deserialize)]
pub struct CloseForm {
    mode: String,
    reason: String,
    version: Option<i64>,
}

pub async fn close(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<CloseForm>,
) -> Response {
    let Some(mode) = ClosureMode::parse(&f.mode) else {
        return back(
            id,
            Some(ApiError::unprocessable(
                "unknown_closure_mode",
                "unknown closure mode",
            )),
        );
    };
    let r = svc::change(&app, &v.principal, id, f.version, Need::Handler, |s, c| {
        zhixing_domain::case::decide_closure(s, mode, &f.reason, c).map(|e| vec![e])
    })
    .await;
    back(id, r.err().map(ApiError::from))
}

#[derive(Deserialize)]
pub struct DecisionForm {
    approve: bool,
    #[serde(default)]
    note: String,
    version: Option<i64>,
}

pub async fn decision(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<DecisionForm>,
) -> Response {
    let r = svc::change(
        &app,
        &v.principal,
        id,
        f.version,
        Need::DivisionHead,
        |s, c| zhixing_domain::case::decide_approval(s, f.approve, &f.note, c).map(|e| vec![e]),
    )
    .await;
    back(id, r.err().map(ApiError::from))
}

pub(super) fn asset_kind_zh(k: &str) -> &str {
    match k {
        "bank_deposit" => "银行存款",
        "wealth_product" => "理财产品",
        "securities" => "证券",
        "fund_shares" => "基金份额",
        "real_estate" => "不动产",
        "vehicle" => "车辆",
        "ship" => "船舶",
        "equity" => "股权",
        "housing_fund" => "住房公积金",
        "social_insurance" => "社会保险",
        "tax_refund" => "退税",
        "online_payment" => "网络支付账户",
        "internet_bank" => "互联网银行存款",
        "online_lending" => "网络借贷",
        "virtual_property" => "虚拟财产",
        "intellectual_property" => "知识产权",
        other => other,
    }
}

fn measure_status_zh(s: &str) -> &'static str {
    match MeasureStatus::parse(s) {
        Some(MeasureStatus::Requested) => "已发送，待回复",
        Some(MeasureStatus::Active) => "生效中",
        Some(MeasureStatus::Queued) => "轮候中",
        Some(MeasureStatus::Done) => "已扣划",
        Some(MeasureStatus::Refused) => "被拒绝",
        Some(MeasureStatus::Released) => "已解除",
        Some(MeasureStatus::Expired) => "已失效（未续行）",
        None => "",
    }
}

fn alert_kind_zh(k: &str) -> &'static str {
    match k {
        "measure_expiring" => "即将到期",
        "measure_expired" => "已失效",
        "property_found" => "发现财产",
        "funds_overdue" => "案款逾期未发放",
        "dishonest_removal_due" => "应删除失信信息",
        "restriction_lift_due" => "应解除限制消费",
        "node_overdue" => "节点超期",
        "deadline_due_soon" => "节点即将到期",
        "case_untouched" => "长期未办理",
        "listing_past_end" => "失信期满未删除",
        "supervision_overdue" => "督办逾期未回复",
        "entrusted_overdue" => "委托事项逾期",
        "complaint_overdue" => "信访逾期未办结",
        _ => "预警",
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
            Some(n) if n < 0 => span.badge.late { "已过期" },
            Some(n) if n <= 30 => span.badge.late data-days=(n) { "剩 " (n) " 天" },
            Some(n) => span.badge.ok data-days=(n) { "剩 " (n) " 天" },
            None => "—",
        }
    }
}

/// The measures that fit a property, as a small form on its row.
fn measure_form(case: i64, a: &zhixing_store::investigation::AssetRow) -> Markup {
    let class = PropertyClass::of_asset_kind(&a.kind);
    let kinds: Vec<MeasureKind> = MeasureKind::ALL
        .into_iter()
        .filter(|k| class.is_some_and(|c| c.allows(*k)))
        .collect();
    let money = kinds.iter().any(|k| k.takes_amount());
    html! {
        form.measure method="post" action=(format!("/cases/{case}/assets/{}/measures", a.id)) {
            select name="kind" { @for k in &kinds { option value=(k.as_str()) { (k.name_zh()) } } }
            @if money { input name="amount" size="10" placeholder="金额（元）"; }
            input type="date" name="until" title="期限至（空：法定最长期限）";
            button type="submit" { "申请" }
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

/// Asks for a measure from the case page.
pub async fn measure_submit(
    State(app): State<App>,
    v: Viewer,
    Path((id, asset)): Path<(i64, i64)>,
    axum::Form(f): axum::Form<MeasureForm>,
) -> Response {
    let amount = if f.amount.trim().is_empty() {
        None
    } else {
        match fen_of("金额", &f.amount) {
            Ok(a) => Some(a),
            Err(m) => return back(id, Some(ApiError::unprocessable("invalid_measure", m))),
        }
    };
    let until = match f.until.trim() {
        "" => None,
        d => match d.parse() {
            Ok(d) => Some(d),
            Err(_) => {
                return back(
                    id,
                    Some(ApiError::unprocessable(
                        "invalid_measure",
                        "期限：请填写日期",
                    )),
                );
            }
        },
    };
    let r = zhixing_app::control::measures::request(
        &app,
        &v.principal,
        asset,
        zhixing_app::control::measures::MeasureInput {
            kind: f.kind,
            amount_fen: amount,
            until,
        },
    )
    .await;
    back(id, r.err().map(ApiError::from))
}

/// Renews a measure from the case page (by one legal period).
pub async fn renew_submit(
    State(app): State<App>,
    v: Viewer,
    Path((id, m)): Path<(i64, i64)>,
) -> Response {
    let r = zhixing_app::control::measures::renew(&app, &v.principal, m, None).await;
    back(id, r.err().map(ApiError::from))
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
    let r = zhixing_app::control::measures::release(&app, &v.principal, m, &f.reason).await;
    back(id, r.err().map(ApiError::from))
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KiB", (bytes + 1023) / 1024)
    }
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
        svc::may_change(&app, &v.principal, id, Need::Handler).await?;
        let input = crate::api::field::read_form(mp.map_err(crate::api::field::rejection)?).await?;
        zhixing_app::control::field::record(&app, &v.principal, id, input)
            .await
            .map_err(ApiError::from)
    }
    .await;
    back(id, r.err())
}

/// Starts an online investigation from the case page.
pub async fn investigate(State(app): State<App>, v: Viewer, Path(id): Path<i64>) -> Response {
    let r = zhixing_app::control::investigation::start(&app, &v.principal, id, None).await;
    back(id, r.err().map(ApiError::from))
}

/// An issued document, for printing.
pub async fn document(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let ctx = ctx_of(&v);
    let resp = crate::api::cases::document(State(app), ctx, Path(id)).await?;
    Ok(resp)
}
