//! Case pages: my cases (deadlines first), the filing form, the case page, closure.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_app::AppError;
use zhixing_app::case::query::{self, ListQuery};
use zhixing_app::case::{self as svc, CaseCommand};
use zhixing_app::state::App;
use zhixing_domain::access::Action;
use zhixing_domain::case::{self, ActionKind, CaseStatus, ClosureMode, PartyRole};
use zhixing_domain::filing::{BASIS_KINDS, PartyInput};
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};

use super::i18n::Lang;
use super::i18n::{Label, zh_en};
use super::{PageError, Viewer, layout, page};
use crate::api::cases::{AmountsIn, BasisIn, FileCaseIn, described, document_response};
use crate::error::{ApiError, Path, Query};

pub(super) fn yuan(fen: i64) -> String {
    zhixing_domain::money::Fen::new(fen)
        .map(|f| f.to_string())
        .unwrap_or_else(|_| fen.to_string())
}

fn status_zh(s: &str) -> &'static str {
    CaseStatus::parse(s).map_or("", CaseStatus::label)
}

#[derive(Deserialize, Default, Clone)]
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
    /// Present once the filter form was sent: "仅我承办" then means what its box says.
    #[serde(default)]
    submitted: Option<String>,
    /// The next page's cursor.
    #[serde(default)]
    cursor: Option<String>,
    /// The order (`due`, `filed`, `amount`, `amount_asc`); default `due`.
    #[serde(default)]
    sort: String,
}

/// Cases per page of the list.
const LIST_PAGE: i64 = 50;

/// 我的案件 — the officer's cases, the nearest deadline first.
pub async fn list(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let (params, mine, court) = list_params(&f, &v, LIST_PAGE);
    let listed = query::list(&app, &v.principal, &params).await?;
    let sort = params.sort.clone().unwrap_or_default();
    let filters = list_filters(&f, mine, court.as_deref()).finish();
    let rows = &listed.page.items;
    // Another court's cases (reached from the command centre) are titled with its name.
    let other_court = (listed.court_id != v.principal.court_id).then_some(&listed.court_name);
    let body = html! {
        section.card {
            h1 {
                @if let Some(name) = &other_court { (name) (zh_en(" · 案件", " · Cases")) }
                @else { (if mine { zh_en("我的案件", "My cases") } else { zh_en("本院案件", "Cases of this court") }) }
            }
            form.filters method="get" action="/cases" {
                @if let Some(id) = &court { input type="hidden" name="court" value=(id); }
                input type="hidden" name="submitted" value="1";
                label { (zh_en("查找", "Find")) input name="q" value=(f.q) placeholder=(zh_en("案号（可只填一部分，如 执50）、当事人姓名或身份证号", "Case number (or part of it, e.g. 执50), party name or ID number")); }
                label { (zh_en("状态", "Status")) select name="status" {
                    option value="" { (zh_en("全部状态", "All statuses")) }
                    @for s in ["open", "suspended", "pending_closure", "closed"] {
                        option value=(s) selected[f.status == s] { (status_zh(s)) }
                    }
                } }
                label.inline { input type="checkbox" name="overdue" value="1" checked[f.overdue.is_some()]; (zh_en("仅超期", "Overdue only")) }
                label.inline { input type="checkbox" name="mine" value="1" checked[mine]; (zh_en("仅我承办", "Mine only")) }
                label { (zh_en("排序", "Sort"))
                    select name="sort" {
                        @for (key, zh, en) in SORTS {
                            option value=(key) selected[sort == key] { (zh_en(zh, en)) }
                        }
                    }
                }
                button type="submit" { (zh_en("查询", "Search")) }
                a.button #export-csv href=(format!("/cases/export.csv?{filters}")) { (zh_en("导出CSV", "Export CSV")) }
                a.button #export-xlsx href=(format!("/cases/export.xlsx?{filters}")) { (zh_en("导出Excel", "Export Excel")) }
                span.muted { (zh_en("（导出最多 10,000 行）", "(exports hold at most 10,000 rows)")) }
                @if v.principal.may(Action::HandleCases, &v.principal.court_path) {
                    a.button href="/cases/new" { (zh_en("立案", "File a case")) }
                }
            }
            table #case-list {
                tr { th { (zh_en("案号", "Case number")) } th { (zh_en("申请执行人", "Applicant")) } th { (zh_en("被执行人", "Respondent")) } th { (zh_en("状态", "Status")) } th { (zh_en("最近期限", "Next deadline")) } th { (zh_en("立案日期", "Filed on")) } }
                @for s in rows {
                    tr.overdue[s.overdue] {
                        td { a href=(format!("/cases/{}", s.id)) { (s.number) } }
                        td { (s.applicants.join(zh_en("、", ", "))) }
                        td { (s.respondents.join(zh_en("、", ", "))) }
                        td { (status_zh(&s.status)) }
                        td { @if let Some(d) = &s.next_due { (d) @if s.overdue { " " span.badge.late { (zh_en("超期", "Overdue")) } } } }
                        td { (s.filed_on) }
                    }
                }
            }
            @if rows.is_empty() { p.muted { (zh_en("没有符合条件的案件。", "No cases match.")) } }
            @if let Some(next) = &listed.page.next_cursor {
                p { a #next-page href=(list_href(&f, mine, court.as_deref(), next)) { (zh_en("下一页", "Next page")) } }
            }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(lang, zh_en("案件", "Cases"), Some(&v), body),
    ))
}

/// The orders the list offers: (the query's `sort`, its name in Chinese, in English). Each pages by its own key.
const SORTS: [(&str, &str, &str); 4] = [
    ("due", "最近期限在前", "Next deadline first"),
    ("filed", "立案日期（新的在前）", "Filed (newest first)"),
    ("amount", "执行标的（大的在前）", "Amount (largest first)"),
    (
        "amount_asc",
        "执行标的（小的在前）",
        "Amount (smallest first)",
    ),
];

/// What the list form asks for, as the app's query: (query, 仅我承办, court named).
fn list_params(f: &ListForm, v: &Viewer, limit: i64) -> (ListQuery, bool, Option<String>) {
    let court = Some(f.court.trim().to_owned()).filter(|c| !c.is_empty());
    // On a first visit an officer sees their own cases; once the form is sent, the box says.
    let mine = f.mine.is_some()
        || (f.submitted.is_none()
            && f.q.is_empty()
            && f.status.is_empty()
            && f.overdue.is_none()
            && court.is_none()
            && v.principal.carries_a_caseload());
    let sort = Some(f.sort.trim())
        .filter(|s| SORTS.iter().any(|(k, _, _)| k == s))
        .unwrap_or("due");
    let params = ListQuery {
        court: court.clone(),
        status: Some(f.status.clone()).filter(|s| !s.is_empty()),
        officer: mine.then(|| "me".to_owned()),
        case_type: None,
        overdue: f.overdue.as_ref().map(|_| true),
        filed_from: None,
        filed_to: None,
        q: Some(f.q.clone()).filter(|s| !s.is_empty()),
        sort: Some(sort.to_owned()),
        limit: Some(limit),
        cursor: f.cursor.clone().filter(|c| !c.is_empty()),
    };
    (params, mine, court)
}

/// The list's filters as a query string, without the position: the next page and the
/// exports carry them.
fn list_filters(
    f: &ListForm,
    mine: bool,
    court: Option<&str>,
) -> form_urlencoded::Serializer<'static, String> {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("submitted", "1");
    q.append_pair("q", &f.q);
    q.append_pair("status", &f.status);
    if f.overdue.is_some() {
        q.append_pair("overdue", "1");
    }
    if mine {
        q.append_pair("mine", "1");
    }
    if let Some(c) = court {
        q.append_pair("court", c);
    }
    if !f.sort.trim().is_empty() {
        q.append_pair("sort", f.sort.trim());
    }
    q
}

/// The list's link to its next page, with the same filters.
fn list_href(f: &ListForm, mine: bool, court: Option<&str>, cursor: &str) -> String {
    let mut q = list_filters(f, mine, court);
    q.append_pair("cursor", cursor);
    format!("/cases?{}", q.finish())
}

const CASE_HEADERS: &[&str] = &[
    "案号",
    "案件类型",
    "状态",
    "承办人",
    "申请执行人",
    "被执行人",
    "立案日期",
    "最近期限",
    "是否超期",
    "执行标的（元）",
    "已到位（元）",
];

/// `GET /cases/export.csv|xlsx`: the list with the same filters and order, every page up to
/// [`crate::export::MAX_ROWS`], read as the page reads it (the same court check). The file
/// names the parties, so the export is a sensitive read on the audit chain.
async fn export(
    app: &App,
    v: &Viewer,
    f: &ListForm,
    format: crate::export::Format,
) -> Result<Response, PageError> {
    use crate::export::{Cell, MAX_ROWS, Table};
    let mut f = f.clone();
    f.cursor = None;
    let (mut params, _, _) = list_params(&f, v, 500);
    let mut items = Vec::new();
    let (cut, court_id) = loop {
        let listed = query::list(app, &v.principal, &params).await?;
        let court_id = listed.court_id;
        items.extend(listed.page.items);
        match listed.page.next_cursor {
            Some(_) if items.len() > MAX_ROWS => {
                items.truncate(MAX_ROWS);
                break (true, court_id);
            }
            Some(c) if items.len() == MAX_ROWS => {
                // Exactly full: one more row says whether the list went on.
                params.cursor = Some(c);
                params.limit = Some(1);
                let more = !query::list(app, &v.principal, &params)
                    .await?
                    .page
                    .items
                    .is_empty();
                break (more, court_id);
            }
            Some(c) => params.cursor = Some(c),
            None => {
                let over = items.len() > MAX_ROWS;
                items.truncate(MAX_ROWS);
                break (over, court_id);
            }
        }
    };
    zhixing_app::platform::audit::record_sensitive_read(
        app,
        &v.principal,
        &court_id,
        &format!("export:cases:{court_id}"),
        &["party_names"],
    )
    .await?;
    let rows = items
        .iter()
        .map(|s| {
            vec![
                Cell::from(s.number.as_str()),
                s.case_type.as_str().into(),
                status_zh(&s.status).into(),
                s.officer_name.clone().unwrap_or_default().into(),
                s.applicants.join("、").into(),
                s.respondents.join("、").into(),
                s.filed_on.as_str().into(),
                s.next_due.clone().unwrap_or_default().into(),
                (if s.overdue { "是" } else { "否" }).into(),
                Cell::Yuan(s.total_due),
                Cell::Yuan(s.paid),
            ]
        })
        .collect();
    let table = Table {
        title: "案件列表",
        stem: "cases",
        headers: CASE_HEADERS,
        rows,
        cut,
    };
    Ok(crate::export::response(&table, format, app.today())?)
}

pub async fn export_csv(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    super::i18n::in_chinese(export(&app, &v, &f, crate::export::Format::Csv)).await
}

pub async fn export_xlsx(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    super::i18n::in_chinese(export(&app, &v, &f, crate::export::Format::Xlsx)).await
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
    applicant_address: String,
    #[serde(default)]
    respondent_kind: String,
    #[serde(default)]
    respondent_name: String,
    #[serde(default)]
    respondent_id: String,
    #[serde(default)]
    respondent_rep: String,
    #[serde(default)]
    respondent_address: String,
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
    /// How many rows of each side the form shows (the first row's fields have no suffix, the
    /// n-th's end in `_n`).
    #[serde(default)]
    applicants: String,
    #[serde(default)]
    respondents: String,
    /// `applicant` or `respondent`: the officer asked for one more row of that side, not to
    /// file yet.
    #[serde(default)]
    add: String,
    /// The fields of the rows after the first (`applicant_name_2`, …).
    #[serde(flatten)]
    more: std::collections::BTreeMap<String, String>,
}

/// The most parties of one side the filing form takes (the API takes more).
const MAX_FORM_PARTIES: usize = 20;

/// The fields of one party's row of the filing form.
const PARTY_FIELDS: [&str; 5] = ["kind", "name", "id", "rep", "address"];

impl FilingForm {
    /// The rows shown for `role` (`applicant`, `respondent`): as many as asked, or as filled.
    fn rows_of(&self, role: &str) -> usize {
        let asked = if role == "applicant" {
            &self.applicants
        } else {
            &self.respondents
        };
        let filled = self
            .more
            .keys()
            .filter_map(|k| k.strip_prefix(role)?.strip_prefix('_'))
            .filter_map(|k| k.rsplit_once('_')?.1.parse::<usize>().ok())
            .max()
            .unwrap_or(1);
        asked
            .trim()
            .parse::<usize>()
            .unwrap_or(1)
            .max(filled)
            .clamp(1, MAX_FORM_PARTIES)
    }

    /// Row `n` (from 1) of `role`: kind, name, identifier, representative, address.
    fn row(&self, role: &str, n: usize) -> [String; 5] {
        if n == 1 {
            let first = if role == "applicant" {
                [
                    &self.applicant_kind,
                    &self.applicant_name,
                    &self.applicant_id,
                    &self.applicant_rep,
                    &self.applicant_address,
                ]
            } else {
                [
                    &self.respondent_kind,
                    &self.respondent_name,
                    &self.respondent_id,
                    &self.respondent_rep,
                    &self.respondent_address,
                ]
            };
            return first.map(String::clone);
        }
        PARTY_FIELDS.map(|field| {
            self.more
                .get(&format!("{role}_{field}_{n}"))
                .cloned()
                .unwrap_or_default()
        })
    }

    /// The parties typed: the first row of each side always, a later row unless left blank.
    fn parties(&self) -> Vec<PartyInput> {
        let mut out = Vec::new();
        for (role, r) in [
            ("applicant", PartyRole::Applicant),
            ("respondent", PartyRole::Respondent),
        ] {
            for n in 1..=self.rows_of(role) {
                let row = self.row(role, n);
                if n > 1 && row[1..].iter().all(|x| x.trim().is_empty()) {
                    continue;
                }
                out.push(party(r, row.each_ref().map(String::as_str)));
            }
        }
        out
    }
}

/// What is wrong with an amount typed in yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Yuan {
    /// Not a number of yuan with at most two decimals.
    NotAnAmount,
    TooLarge,
}

/// An amount typed in yuan, in fen; empty is refused. The problem is named as the catalogue's
/// `amount_text_invalid` words it (`not_an_amount`, `too_large`).
pub(super) fn parse_yuan_amount(s: &str) -> Result<i64, &'static str> {
    if s.trim().is_empty() {
        return Err("not_an_amount");
    }
    parse_yuan(s).map_err(|e| match e {
        Yuan::NotAnAmount => "not_an_amount",
        Yuan::TooLarge => "too_large",
    })
}

/// "1,234.56" yuan → fen; nothing typed is zero.
fn parse_yuan(s: &str) -> Result<i64, Yuan> {
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
        return Err(Yuan::NotAnAmount);
    }
    let w: i64 = whole.parse().map_err(|_| Yuan::TooLarge)?;
    let f: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
    Ok(w * 100 + f)
}

/// "1,234.56" yuan → fen, or a Chinese sentence naming `field`.
pub(super) fn fen_of(field: &str, s: &str) -> Result<i64, String> {
    parse_yuan(s).map_err(|e| match e {
        Yuan::NotAnAmount if super::i18n::en() => {
            format!("{field}: enter an amount in yuan, at most two decimals")
        }
        Yuan::NotAnAmount => format!("{field}：请填写金额（元），最多两位小数"),
        Yuan::TooLarge if super::i18n::en() => format!("{field}: amount too large"),
        Yuan::TooLarge => format!("{field}：金额过大"),
    })
}

/// An amount of the filing form (`field`: principal, interest, costs) in fen, or the problem
/// with it, for the message catalogue to word.
fn amount_of(field: &'static str, s: &str) -> Result<i64, Reason> {
    parse_yuan(s).map_err(|e| {
        Reason::new("amount_text_invalid")
            .with("field", field)
            .with(
                "problem",
                match e {
                    Yuan::NotAnAmount => "not_an_amount",
                    Yuan::TooLarge => "too_large",
                },
            )
    })
}

/// A party as the form has it: kind, name, identifier, representative, address.
fn party(role: PartyRole, [kind, name, id, rep, address]: [&str; 5]) -> PartyInput {
    let org = kind == "organisation";
    PartyInput {
        address: (!address.trim().is_empty()).then(|| address.trim().to_owned()),
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

fn filing_form(
    lang: Lang,
    v: &Viewer,
    f: &FilingForm,
    errors: &[String],
    source: Option<Markup>,
) -> Markup {
    let sel = |cur: &str, val: &str| cur == val;
    layout(
        lang,
        zh_en("立案", "File a case"),
        Some(v),
        html! {
            (from_basis_card(v))
            @if let Some(src) = &source { (src) }
            section.card {
                h1 { (zh_en("立案", "File a case")) }
                @if !errors.is_empty() {
                    div.error #filing-errors role="alert" { p { (zh_en("未能立案：", "Not filed: ")) } ul { @for e in errors { li { (e) } } } }
                }
                form #filing method="post" action="/cases/new" {
                    (v.csrf)
                    label { (zh_en("案件类型", "Case type")) select name="case_type" { option value=(zh_en("执", "Enforcement (执)")) selected[sel(&f.case_type, zh_en("执", "Enforcement (执)"))] { (zh_en("执（首次执行）", "执 (first enforcement)")) } option value=(zh_en("执保", "Preservation (执保)")) selected[sel(&f.case_type, zh_en("执保", "Preservation (执保)"))] { (zh_en("执保（财产保全执行）", "执保 (enforcing a preservation order)")) } } }
                    @for (role, label) in [("applicant", zh_en("申请执行人", "Applicant")), ("respondent", zh_en("被执行人", "Respondent"))] {
                        @let rows = f.rows_of(role);
                        input type="hidden" name=(format!("{role}s")) value=(rows);
                        @for n in 1..=rows {
                            @let [kind, name, id, rep, address] = f.row(role, n);
                            // The first row's fields keep their plain names; later rows end in `_n`.
                            @let key = |field: &str| if n == 1 { format!("{role}_{field}") } else { format!("{role}_{field}_{n}") };
                            fieldset.party data-role=(role) data-row=(n) {
                                legend { (label) @if rows > 1 { " " (n) } }
                                label { (zh_en("主体类别", "Kind of party")) select name=(key("kind")) { option value="person" selected[sel(&kind, "person")] { (zh_en("自然人", "Natural person")) } option value="organisation" selected[sel(&kind, "organisation")] { (zh_en("法人或其他组织", "Legal person or other organisation")) } } }
                                label { (zh_en("姓名／名称", "Name")) input name=(key("name")) value=(name) required[n == 1]; }
                                label { (zh_en("公民身份号码／统一社会信用代码", "Citizen ID number / unified social credit code")) input name=(key("id")) value=(id) required[n == 1]; }
                                label { (zh_en("法定代表人（组织填写）", "Legal representative (organisations)")) input name=(key("rep")) value=(rep); }
                                label { (zh_en("住所／住所地（送达文书载明）", "Address (as on served documents)")) input name=(key("address")) value=(address) autocomplete="street-address"; }
                                @if n > 1 { p.small.muted { (zh_en("不需要的行留空即可。", "Leave the rows you do not need empty.")) } }
                            }
                        }
                    }
                    fieldset {
                        legend { (zh_en("执行依据", "Basis for enforcement")) }
                        label { (zh_en("依据种类", "Kind of basis")) select name="basis_kind" { @for (k, zh) in BASIS_KINDS { @let val = serde_json::to_value(k).ok().and_then(|x| x.as_str().map(str::to_owned)).unwrap_or_default(); option value=(val) selected[f.basis_kind == val] { (super::i18n::known(zh)) } } } }
                        label { (zh_en("作出机关", "Issued by")) input name="issuing_body" value=(f.issuing_body) required; }
                        label { (zh_en("文书编号", "Document number")) input name="document_number" value=(f.document_number) required; }
                        label { (zh_en("生效日期", "Effective on")) input type="date" name="effective_date" value=(f.effective_date) required; }
                        label { (zh_en("履行期限届满日", "Performance due by")) input type="date" name="performance_deadline" value=(f.performance_deadline) required; }
                    }
                    fieldset {
                        legend { (zh_en("执行标的（元）", "Amount to enforce (yuan)")) }
                        label { (zh_en("本金", "Principal")) input name="principal" value=(f.principal) inputmode="decimal"; }
                        label { (zh_en("利息", "Interest")) input name="interest" value=(f.interest) inputmode="decimal"; }
                        label { (zh_en("费用", "Costs")) input name="costs" value=(f.costs) inputmode="decimal"; }
                        label { (zh_en("非金钱义务", "Non-monetary obligation")) textarea name="duties" { (f.duties) } }
                        label { (zh_en("超过申请执行时效的受理理由（如有）", "Why the application is accepted past the time limit (if so)")) input name="late_reason" value=(f.late_reason); }
                    }
                    // 立案 first: Enter in a field files, as the first submit button does.
                    button #file-case type="submit" { (zh_en("立案", "File a case")) }
                    p.add-party {
                        // Adds a row without filing: the form comes back with what was typed.
                        @for (role, label) in [("applicant", zh_en("申请执行人", "Applicant")), ("respondent", zh_en("被执行人", "Respondent"))] {
                            @if f.rows_of(role) < MAX_FORM_PARTIES {
                                button.secondary type="submit" name="add" value=(role) formnovalidate id=(format!("add-{role}")) { (zh_en("增加", "Add")) (label) }
                                " "
                            }
                        }
                    }
                }
            }
        },
    )
}

pub async fn new_form(v: Viewer) -> Response {
    let f = FilingForm {
        case_type: (zh_en("执", "Enforcement (执)")).into(),
        applicant_kind: "person".into(),
        respondent_kind: "person".into(),
        basis_kind: "judgment".into(),
        ..FilingForm::default()
    };
    page(StatusCode::OK, filing_form(v.lang, &v, &f, &[], None))
}

pub async fn new_submit(
    State(app): State<App>,
    v: Viewer,
    axum::Form(mut f): axum::Form<FilingForm>,
) -> Response {
    if f.add == "applicant" || f.add == "respondent" {
        let more = (f.rows_of(&f.add) + 1).min(MAX_FORM_PARTIES).to_string();
        if f.add == "applicant" {
            f.applicants = more;
        } else {
            f.respondents = more;
        }
        f.add.clear();
        return page(StatusCode::OK, filing_form(v.lang, &v, &f, &[], None));
    }
    let result = match filing_of(&f) {
        Ok(cmd) => svc::file(&app, &v.principal, cmd).await,
        Err(e) => Err(e),
    };
    let e = match result {
        // Not a redirect: the parties' access codes exist only in this answer.
        Ok(filed) => {
            return page(
                StatusCode::OK,
                accepted(&v, filed.id, &filed.number, &filed.access_codes),
            );
        }
        Err(e) if e.is_refusal() => e,
        Err(e) => return PageError::from(e).into_response(),
    };
    // Each problem, from the message catalogue in the viewer's language.
    let words = crate::messages::error(v.lang, &e);
    let problems = match &e {
        AppError::Refused(_) => words.errors,
        _ => vec![words.detail],
    };
    page(status_of(e), filing_form(v.lang, &v, &f, &problems, None))
}

/// 从执行依据填写: the card of the filing page that reads the enforcement basis (a PDF with a
/// text layer, a text file, or pasted text) and brings the form back filled, the document
/// beside it.
fn from_basis_card(v: &Viewer) -> Markup {
    html! {
        section.card #from-basis {
            h2 { (zh_en("从执行依据填写", "Fill from the enforcement basis")) }
            p.small.muted { (zh_en(
                "上传带文字层的 PDF 或文本文件，或粘贴文书文字：读出的当事人、执行依据和金额填入下表，每项注明出处，需确认的项目已标出。不会自动立案，文书不予保存。",
                "Upload a PDF with a text layer or a text file, or paste the document's text: the parties, basis and amounts read from it fill the form below, each with its source, the ones to confirm marked. Nothing is filed and the document is not kept.",
            )) }
            form #from-basis-form method="post" action="/cases/new/draft" enctype="multipart/form-data" {
                (v.csrf)
                label { (zh_en("文书文件（PDF 或 TXT）", "Document file (PDF or text)")) input #basis-file type="file" name="basis_file" accept=".pdf,.txt,application/pdf,text/plain"; }
                label { (zh_en("或粘贴文书文字", "Or paste its text")) textarea #basis-text name="basis_text" rows="5" {} }
                button #read-basis type="submit" { (zh_en("读取并填写", "Read and fill")) }
            }
        }
    }
}

/// The text of the basis the officer sent: the file if one was chosen (a PDF's text layer, or
/// a text file), else the pasted text.
async fn basis_text(
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<String, AppError> {
    use zhixing_app::case::draft;
    use zhixing_domain::filing_draft::DraftError;
    let malformed = || {
        AppError::bad_request(
            "bad_body",
            "send the filing-draft form as multipart/form-data",
        )
    };
    let mut mp = mp.map_err(|_| malformed())?;
    let mut file = None;
    let mut pasted = String::new();
    while let Some(mut field) = mp.next_field().await.map_err(|_| malformed())? {
        let name = field.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| malformed())? {
            if bytes.len() + chunk.len() > crate::api::filing_drafts::MAX_BODY {
                return Err(AppError::too_large(
                    "body_too_large",
                    "the document is too large",
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "basis_file" if !bytes.is_empty() => file = Some(bytes),
            "basis_text" => {
                pasted = String::from_utf8(bytes)
                    .map_err(|_| AppError::from(draft::refusal_of(&DraftError::Binary)))?;
            }
            // The CSRF token, checked before the handler.
            _ => {}
        }
    }
    match file {
        Some(bytes) if bytes.starts_with(b"%PDF") => {
            crate::api::filing_drafts::pdf_text(axum::body::Bytes::from(bytes)).await
        }
        Some(bytes) => String::from_utf8(bytes)
            .map_err(|_| AppError::from(draft::refusal_of(&DraftError::Binary))),
        None => Ok(pasted),
    }
}

/// `POST /cases/new/draft`: the filing form filled from the basis, the document beside it.
pub async fn draft_submit(
    State(app): State<App>,
    v: Viewer,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let read = match basis_text(mp).await {
        Ok(text) => zhixing_app::case::draft::read_basis(&app, &v.principal, text).await,
        Err(e) => Err(e),
    };
    match read {
        Ok(d) => {
            let f = form_of_draft(&d);
            page(
                StatusCode::OK,
                filing_form(v.lang, &v, &f, &[], Some(super::filing_draft::source(&d))),
            )
        }
        Err(e) if e.is_refusal() || matches!(e, AppError::TooLarge { .. }) => {
            let words = crate::messages::error(v.lang, &e);
            let f = FilingForm {
                case_type: (zh_en("执", "Enforcement (执)")).into(),
                basis_kind: "judgment".into(),
                ..FilingForm::default()
            };
            let status = if e.is_refusal() {
                status_of(e)
            } else {
                StatusCode::PAYLOAD_TOO_LARGE
            };
            page(status, filing_form(v.lang, &v, &f, &[words.detail], None))
        }
        Err(e) => PageError::from(e).into_response(),
    }
}

/// The filing form as the draft fills it: the parties by their role in the operative part, the
/// basis, and the sums — principal and stated interest of the duties, the costs the respondents
/// bear — in yuan. The officer confirms and corrects before filing.
fn form_of_draft(d: &zhixing_domain::filing_draft::Draft) -> FilingForm {
    use zhixing_domain::filing_draft::{PartyKind, Period};
    let yuan = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);
    let mut f = FilingForm {
        case_type: (zh_en("执", "Enforcement (执)")).into(),
        basis_kind: "judgment".into(),
        ..FilingForm::default()
    };
    let mut counts = [0usize; 2];
    for p in &d.parties {
        let (side, role) = match p.role.as_ref().map(|r| r.value) {
            Some(PartyRole::Applicant) => (0, "applicant"),
            Some(PartyRole::Respondent) => (1, "respondent"),
            None => continue,
        };
        counts[side] += 1;
        let n = counts[side];
        let kind = match p.kind.value {
            PartyKind::Person => "person",
            PartyKind::Organisation => "organisation",
        };
        let id = p
            .id_number
            .as_ref()
            .or(p.credit_code.as_ref())
            .map(|x| x.value.clone())
            .unwrap_or_default();
        let rep = p
            .legal_representative
            .as_ref()
            .map(|x| x.value.clone())
            .unwrap_or_default();
        let address = p
            .address
            .as_ref()
            .map(|x| x.value.clone())
            .unwrap_or_default();
        let values = [kind.to_owned(), p.name.value.clone(), id, rep, address];
        if n == 1 {
            let slots = if side == 0 {
                [
                    &mut f.applicant_kind,
                    &mut f.applicant_name,
                    &mut f.applicant_id,
                    &mut f.applicant_rep,
                    &mut f.applicant_address,
                ]
            } else {
                [
                    &mut f.respondent_kind,
                    &mut f.respondent_name,
                    &mut f.respondent_id,
                    &mut f.respondent_rep,
                    &mut f.respondent_address,
                ]
            };
            for (slot, value) in slots.into_iter().zip(values) {
                *slot = value;
            }
        } else if n <= MAX_FORM_PARTIES {
            for (field, value) in PARTY_FIELDS.iter().zip(values) {
                f.more.insert(format!("{role}_{field}_{n}"), value);
            }
        }
    }
    f.applicants = counts[0].max(1).to_string();
    f.respondents = counts[1].max(1).to_string();
    if f.applicant_kind.is_empty() {
        f.applicant_kind = "person".into();
    }
    if f.respondent_kind.is_empty() {
        f.respondent_kind = "person".into();
    }
    let b = &d.basis;
    if let Some(k) = &b.kind {
        f.basis_kind = serde_json::to_value(k.value)
            .ok()
            .and_then(|x| x.as_str().map(str::to_owned))
            .unwrap_or_else(|| "judgment".into());
    }
    f.issuing_body = b
        .issuing_body
        .as_ref()
        .map(|x| x.value.clone())
        .unwrap_or_default();
    f.document_number = b
        .document_number
        .as_ref()
        .map(|x| x.value.clone())
        .unwrap_or_default();
    let effective = b.effective_date.as_ref().map(|x| x.value);
    f.effective_date = effective.map(|x| x.to_string()).unwrap_or_default();
    f.performance_deadline = match (d.performance_period.as_ref().map(|p| p.value), effective) {
        (Some(Period::ByDate { date }), _) => date.to_string(),
        (Some(Period::DaysFromEffect { days }), Some(e)) => e
            .checked_add(jiff::Span::new().days(i64::from(days)))
            .map(|x| x.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    };
    let principal: i64 = d
        .duties
        .iter()
        .filter_map(|x| x.principal.as_ref())
        .map(|x| x.value.get())
        .sum();
    let interest: i64 = d
        .duties
        .iter()
        .filter_map(|x| x.interest.as_ref()?.amount.as_ref())
        .map(|x| x.value.get())
        .sum();
    let respondents: Vec<&str> = d
        .parties
        .iter()
        .filter(|p| {
            p.role
                .as_ref()
                .is_some_and(|r| r.value == PartyRole::Respondent)
        })
        .map(|p| p.name.value.as_str())
        .collect();
    let costs: i64 = d
        .costs
        .iter()
        .filter(|c| {
            c.borne_by
                .iter()
                .any(|b| respondents.contains(&b.value.as_str()))
        })
        .map(|c| c.amount.value.get())
        .sum();
    f.principal = yuan(principal);
    f.interest = if interest > 0 {
        yuan(interest)
    } else {
        String::new()
    };
    f.costs = if costs > 0 {
        yuan(costs)
    } else {
        String::new()
    };
    f
}

/// The filing the form asks for, or what in it is not a filing: the amounts in yuan first.
fn filing_of(f: &FilingForm) -> Result<svc::FileCase, AppError> {
    let mut amounts = [0i64; 3];
    let mut problems = Vec::new();
    for (slot, (field, val)) in amounts.iter_mut().zip([
        ("principal", &f.principal),
        ("interest", &f.interest),
        ("costs", &f.costs),
    ]) {
        match amount_of(field, val) {
            Ok(x) => *slot = x,
            Err(r) => problems.push(r),
        }
    }
    if !problems.is_empty() {
        return Err(Refusal::of_reasons("invalid_amount", RefusalKind::Invalid, problems).into());
    }
    FileCaseIn {
        case_type: f.case_type.clone(),
        court_id: None,
        parties: f.parties(),
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
    }
    .into_command()
}

/// The status a page answers a refusal with: 422 for a wrong input, 409 for a state that does
/// not allow it now.
fn status_of(e: AppError) -> StatusCode {
    ApiError::from(e).status
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
        zh_en("立案成功", "Case filed"),
        Some(v),
        html! {
            section.card #accepted {
                h1 { (zh_en("立案成功：", "Case filed: ")) span #case-number { (number) } }
                h2 { (zh_en("当事人查询码告知单", "Access code notices")) }
                p { (zh_en("当事人可凭案号和本人的查询码在 ", "Each party can follow the case and receive documents served electronically at ")) code { "/public/case" } (zh_en(" 查询案件进度、接收电子送达的文书。", " with the case number and their own access code."))
                    strong { (zh_en("查询码只显示这一次", "The codes are shown this once only")) } (zh_en("。每位当事人一页，打印后分别随受理通知书交付本人：任何人只能拿到自己的查询码。", ". One page per party: print and hand each to the party with the acceptance notice; nobody gets anyone else's code.")) }
                div #access-codes {
                    @for c in codes {
                        article.code-sheet data-party=(c.party_no) {
                            h3 { (zh_en("查询码告知单（交 ", "Access code notice (for ")) (c.name) (zh_en(" 本人）", " only)")) }
                            table {
                                tr { th { (zh_en("案号", "Case number")) } td { (number) } }
                                tr { th { (zh_en("当事人", "Party")) } td.party { (c.name) } }
                                tr { th { (zh_en("查询码", "Access code")) } td.code { code { (c.code) } } }
                            }
                            p.small { (zh_en("请妥善保管，勿告知他人。遗失的，可向承办法院申请补发，原查询码随即失效。", "Keep it safe and tell nobody. If lost, ask the court to reissue it; the old code then stops working.")) }
                        }
                    }
                }
                p {
                    button type="button" data-print { (zh_en("打印", "Print")) }
                    " "
                    a #to-case href=(format!("/cases/{id}")) { (zh_en("进入案件", "Open the case")) }
                }
            }
        },
    )
}

fn deadline_badge(status: &str) -> Markup {
    let (cls, text) = super::deadline_status(status);
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

/// The newest change of the case, as a number the open case page compares with the one it
/// was built at (`data-seen`).
pub async fn live(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let seq = query::last_change(&app, &v.principal, id).await?;
    Ok((
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        axum::Json(serde_json::json!({ "seq": seq })),
    )
        .into_response())
}

/// A form of the case page that was refused: which section it was in (its anchor) and why,
/// in the viewer's language.
#[derive(Debug, Clone, Copy)]
pub(super) struct Refused<'a> {
    pub section: &'static str,
    pub message: &'a str,
}

impl<'a> Refused<'a> {
    /// The message, if the refused form was in `section`.
    pub(super) fn at(this: Option<Refused<'a>>, section: &str) -> Option<&'a str> {
        this.filter(|r| r.section == section).map(|r| r.message)
    }
}

/// The case page, answered with `status`; a refused form's reason is shown in its section,
/// beside the form.
pub(super) async fn render(
    app: &App,
    v: &Viewer,
    id: i64,
    status: StatusCode,
    refused: Option<Refused<'_>>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    // Read before the case, so that a change made while the page is built shows as newer
    // than the page and the open page refreshes for it.
    let seen = query::last_change(app, &v.principal, id).await?;
    let query::CaseFile {
        view,
        court,
        timeline,
        rules,
        region,
    } = query::case_file(app, &v.principal, id).await?;
    let control = super::control::load(app, v, id).await?;
    let complaints = zhixing_app::oversight::complaints::of_case(app, &v.principal, id).await?;
    let recordings = zhixing_app::oversight::recordings::of_case(app, &v.principal, id).await?;
    let account = zhixing_app::disposal::funds::account(app, &v.principal, id).await?;
    let today = app.today();
    let auctions = super::auction::load(app, v, id).await?;
    let command = super::case_supervision::load(app, &v.principal, id).await?;
    let reviews = super::reviews::load(app, &v.principal, id).await?;
    let related = zhixing_app::case::debtor::of_case(app, &v.principal, id).await?;
    let web = match zhixing_app::case::web::of_case(app, &v.principal, id).await {
        Ok(w) => Some(w),
        Err(zhixing_app::AppError::Forbidden { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    if !control.assets.is_empty() {
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
    let can_act = v.principal.may(Action::HandleCases, &court.path);
    let is_head = v.principal.may(Action::Approve, &court.path);
    let proposal = if is_head && c.status == CaseStatus::PendingClosure {
        query::proposed_closure(app, &v.principal, id).await?
    } else {
        None
    };
    let is_president = v.principal.may(Action::ApproveExtension, &court.path);
    let open = can_act && c.status != CaseStatus::Closed;
    // When the notice's periods end, as the listing checks them (none if no notice yet, or
    // if the calendar cannot count them: the listing itself then says why).
    let calendar = app.calendar.current(&app.store).await?;
    let period_ctx = case::Ctx {
        rules: &rules,
        calendar,
        region: &region,
        today,
    };
    let notice_periods: Vec<(String, zhixing_domain::credit::NoticePeriods)> = c
        .parties
        .iter()
        .filter(|p| p.role == zhixing_domain::case::PartyRole::Respondent)
        .filter_map(|p| {
            zhixing_domain::credit::notice_periods(c, p.no, &period_ctx)
                .ok()
                .flatten()
                .map(|n| (p.name.clone(), n))
        })
        .collect();
    let services = zhixing_app::case::service::services_of(c, &period_ctx)?;
    let officers = query::assignable(app, &v.principal, id).await?;
    let mut actor_ids: Vec<String> = timeline.iter().map(|e| e.actor.clone()).collect();
    actor_ids.extend(account.payouts.iter().map(|p| p.proposed_by.clone()));
    let actors = query::actor_names(app, &actor_ids).await?;
    let payout_names = &actors;
    let sensitive_reads = timeline
        .iter()
        .filter(|e| e.kind == "read.sensitive")
        .count();
    let body = html! {
        // The open page asks for the case's newest change every few seconds (app.js) and
        // refreshes the sections that changed, unless the user is typing in them.
        p.small.muted #case-live data-live=(format!("/cases/{id}/live")) data-seen=(seen) aria-live="polite" {}
        section.card #case-head {
            h1 #case-number { (view.number) }
            p { span.badge #case-status { (c.status.label()) } " · " (court.name) (zh_en(" · 立案 ", " · filed ")) (c.filed_on)
                @if let Some((_, name)) = &c.officer { (zh_en(" · 承办人 ", " · officer ")) (name) } }
            @if let Some((mode, reason, on)) = &c.closure { p { (zh_en("结案方式：", "Closed by: ")) strong #closure-mode { (mode.label()) } (zh_en("（", " (")) (on) (zh_en("）", ")")) (reason) } }
            @if let Some(r) = &c.resumed_from { p { (zh_en("恢复执行自 ", "Resumed from ")) (r) } }
            @if let Some(r) = &c.resumed_as { p { (zh_en("已恢复执行为 ", "Resumed as ")) (r) } }
        }
        section.card {
            h2 { (zh_en("当事人", "Party")) }
            table { @for p in &c.parties { tr { td { (if p.role == PartyRole::Applicant { zh_en("申请执行人", "Applicant") } else { zh_en("被执行人", "Respondent") }) } td { (p.name) } td { code { (p.identifier) } } td { @if let Some(l) = &p.legal_representative { (zh_en("法定代表人 ", "legal representative ")) (l) } } } } }
            p { (zh_en("执行依据：", "Basis for enforcement: ")) (c.basis.issuing_body) " " (c.basis.document_number) (zh_en("（", " (")) (c.basis.effective_date) (zh_en(" 生效）", " in force)")) }
            p { (zh_en("执行标的：", "Amount to enforce: ")) (yuan(view.total_due)) (zh_en(" · 已履行 ", " · performed ")) (yuan(c.paid.get())) (zh_en(" · 未履行 ", " · outstanding ")) (yuan(view.unpaid)) }
            @if !c.duties.is_empty() { p { (zh_en("非金钱义务：", "Non-monetary obligation: ")) (c.duties) } }
        }
        section.card #deadlines {
            h2 { (zh_en("法定期限", "Legal time limits")) }
            table {
                tr { th { (zh_en("节点", "Step")) } th { (zh_en("期限", "Due")) } th { (zh_en("状态", "Status")) } th { (zh_en("依据", "Citation")) } }
                @for d in &view.deadlines { tr data-node=(d.node) { td { (super::i18n::known(&d.title)) } td { (d.due) @if d.working_days { (zh_en("（工作日）", " (working days)")) } @if let Some(y) = d.provisional_without_calendar { " " span.provisional title=(if super::i18n::en() { format!("The official holidays of {y} are not loaded: this time limit counts weekends only for now and may change once they are") } else { format!("{y}年官方节假日安排尚未载入，本期限暂按周末计算，载入后可能变动") }) { (zh_en("（暂定：缺", " (provisional: no holiday calendar for ")) (y) (zh_en("年节假日安排）", ")")) } } } td { (deadline_badge(&d.status)) } td.small { (d.citation) } } }
            }
            @if !view.next_actions.is_empty() {
                h2 { (zh_en("下一步（系统建议，由承办人确认）", "Next steps (suggested; the officer confirms)")) }
                ol #next-actions { @for d in &view.next_actions { li { (super::i18n::known(&d.title)) " — " (d.due) (zh_en(" 前", " by")) } } }
            }
        }
        @if can_act && c.status != CaseStatus::Closed {
            section.card #act {
                h2 { (zh_en("办理", "Handle")) }
                @if let Some(m) = Refused::at(refused, "act") { p.error role="alert" { (m) } }
                form method="post" action=(format!("/cases/{id}/act")) {
                    (v.csrf)
                    input type="hidden" name="version" value=(view.version.unwrap_or(0));
                    label { (zh_en("事项", "Matter")) select name="action" { @for a in ActionKind::ALL { option value=(a.as_str()) { (a.label()) } } } }
                    label { (zh_en("说明（约谈、不纳入失信的理由、报告不实、和解协议未履行等须填写）", "Note (required for an interview, a reason not to list as dishonest, a false report, an unperformed settlement, etc.)")) input name="note"; }
                    fieldset #notice-periods { legend { (zh_en("执行通知书、报告财产令载明的期限（仅发出通知时填写，自送达之日起算）", "Periods stated in the enforcement notice and the order to report property (only when issuing the notice; counted from service)")) }
                        label { (zh_en("履行期限（日，0 为立即履行）", "Time to perform (days, 0 for at once)")) input type="number" name="perform_days" min="0" max=(case::MAX_STATED_DAYS) step="1"; }
                        label { (zh_en("报告财产期限（日）", "Time to report property (days)")) input type="number" name="report_days" min="1" max=(case::MAX_STATED_DAYS) step="1"; } }
                    button type="submit" { (zh_en("记录", "Record")) }
                }
                p { a #to-closure href=(format!("/cases/{id}/closure")) { (zh_en("报结／结案…", "Close the case…")) } }
                @if let Some(pr) = &proposal {
                    div #proposal {
                        h3 { (zh_en("报结审批", "Closure approval")) }
                        p { (zh_en("结案方式：", "Closed by: ")) strong #proposal-mode { (pr.mode.label()) }
                            (zh_en(" · 提出：", " · proposed by: ")) span #proposal-by { (pr.proposed_by.as_deref().unwrap_or("—")) } " " (pr.proposed_on) }
                        p { (zh_en("理由：", "Reason: ")) span #proposal-reason { (pr.reason) } }
                        h4 { (zh_en("报结时核对的结案条件", "Conditions checked when proposed")) }
                        ul #proposal-checklist { @for d in described(lang, &pr.conditions) {
                            li.met[d.met] data-code=(d.code) { (if d.met { "✔ " } else { "✘ " }) (d.description) } } }
                        p.small { a href=(format!("/cases/{id}/closure?mode={}", pr.mode.as_str())) { (zh_en("按今天的情况重新核对", "Check again as of today")) } }
                    }
                }
                @if is_head && c.status == CaseStatus::PendingClosure {
                    form #approval method="post" action=(format!("/cases/{id}/decision")) {
                        (v.csrf)
                        input type="hidden" name="version" value=(view.version.unwrap_or(0));
                        label { (zh_en("审批意见（退回须写明理由）", "Remarks (a return needs a reason)")) input name="note"; }
                        button name="approve" value="true" { (zh_en("批准结案", "Approve the closure")) }
                        button name="approve" value="false" { (zh_en("退回", "Return")) }
                    }
                }
            }
        }
        @if c.status != CaseStatus::Closed && (can_act || is_president || c.extension_request.is_some() || c.extension_months > 0) {
            section.card #extension {
                h2 { (zh_en("延长执行期限", "Extend the enforcement time limit")) }
                @if let Some(m) = Refused::at(refused, "extension") { p.error role="alert" { (m) } }
                @if c.extension_months > 0 { p { (zh_en("已批准延长 ", "Extension approved: ")) strong #extended-months { (c.extension_months) } (zh_en(" 个月。", " months.")) } }
                @if let Some(r) = &c.extension_request {
                    p #extension-request { (zh_en("待院长审批：延长 ", "Awaiting the president's approval: extend by ")) strong { (r.months) } (zh_en(" 个月 · ", " months · ")) (r.by) " " (r.on) (zh_en(" 提出 · 理由：", " proposed · reason: ")) (r.reason) }
                    @if is_president {
                        form #extension-decision method="post" action=(format!("/cases/{id}/extension/decision")) {
                            (v.csrf)
                            input type="hidden" name="version" value=(view.version.unwrap_or(0));
                            label { (zh_en("审批意见（不批准须写明理由）", "Remarks (a refusal needs a reason)")) input name="note"; }
                            button name="approve" value="true" { (zh_en("批准延长", "Approve the extension")) }
                            button name="approve" value="false" { (zh_en("不予批准", "Refuse")) }
                        }
                    }
                } @else if can_act {
                    form #extension-request-form method="post" action=(format!("/cases/{id}/extension")) {
                        (v.csrf)
                        input type="hidden" name="version" value=(view.version.unwrap_or(0));
                        label { (zh_en("延长月数 ", "Months to extend ")) input type="number" name="months" min="1" required; }
                        label { (zh_en("申请理由", "Reason for the request")) input name="reason" required; }
                        button type="submit" { (zh_en("报请院长批准", "Ask the president to approve")) }
                    }
                }
            }
        }
        (super::case_forms::handling_section(&v.csrf, id, c, &officers, can_act, refused))
        (super::control::investigation_sections(&control, id, open, view.version, today, c.filed_on, refused))
        (super::credit::section(&super::credit::Section {
            id,
            case: c,
            open,
            can_act,
            today,
            rules: &rules,
            region: &region,
            periods: notice_periods,
            error: Refused::at(refused, "credit"),
            token: &v.csrf,
        }))
        (super::control::measures_section(&control, id, can_act, today, Refused::at(refused, "measures")))
        (super::debtors::section(related.as_deref()))
        (super::debtors::web_section(web.as_ref()))
        (super::auction::section(&auctions, &v.csrf, id, can_act, Refused::at(refused, "auctions")))
        (super::case_supervision::section(&command, &v.csrf, id, refused))
        (super::reviews::section(lang, &reviews, &v.csrf, id, refused))
        (super::complaints::section(&complaints, &recordings, &v.csrf, id, can_act, refused))
        section.card #account {
            h2 { (zh_en("案款（一案一账号）", "Case money (one account per case)")) }
            p { (zh_en("账户余额 ", "Balance ")) strong #balance { (yuan(account.balance_fen)) } (zh_en(" · 累计到账 ", " · received in all ")) (yuan(account.received_fen)) (zh_en(" · 已发放 ", " · paid out ")) (yuan(account.paid_out_fen))
                @if account.overdue { " " span.badge.late { (zh_en("有逾期未发放款项", "Money held past its payout limit")) } } }
            @if !account.receipts.is_empty() {
                table #receipts {
                    tr { th { (zh_en("到账日", "Received")) } th { (zh_en("来源", "From")) } th { (zh_en("金额", "Amount")) } th { (zh_en("已发放", "Paid out")) } th { (zh_en("应发放期限", "Pay out by")) } }
                    @for r in &account.receipts {
                        tr { td { (r.received_on) } td { (zhixing_domain::funds::Source::parse(&r.source).map_or_else(|| r.source.clone(), |s| s.label().to_owned())) }
                             td.num { (yuan(r.amount_fen)) } td.num { (yuan(r.paid_out_fen)) }
                             td { (r.payout_due) @if r.overdue { " " span.badge.late { (zh_en("逾期", "Overdue")) } } } }
                    }
                }
            }
            @if !account.payouts.is_empty() {
                table #payouts {
                    tr { th { (zh_en("领款人", "Payee")) } th { (zh_en("金额", "Amount")) } th { (zh_en("状态", "Status")) } th { (zh_en("提出", "Proposed")) } th { (zh_en("转账凭证", "Transfer reference")) } }
                    @for p in &account.payouts {
                        tr { td { (p.party_name) } td.num { (yuan(p.amount_fen)) } td { (super::payout_status_zh(&p.status)) } td.small { (actors.get(&p.proposed_by).map_or(p.proposed_by.as_str(), String::as_str)) " " (p.proposed_on) }
                             td { (p.transfer_reference.as_deref().unwrap_or("—")) } }
                    }
                }
            }
        }
        (super::case_forms::account_forms(&v.csrf, id, c, &account, payout_names, can_act, is_head, refused))
        (super::service::section(&v.csrf, id, c, &services, can_act, today, refused))
        section.card #timeline {
            h2 { (zh_en("流程记录", "Timeline")) }
            div.scroll { table {
                tr { th { (zh_en("时间", "Time")) } th { (zh_en("事项", "Matter")) } th { (zh_en("办理人", "By")) } }
                @for e in timeline.iter().filter(|e| e.kind != "read.sensitive") {
                    tr data-kind=(e.kind) {
                        td.small { (super::beijing_at(&e.at)) }
                        td { (crate::messages::event_label(lang, &e.kind)) }
                        td { (super::i18n::known(actors.get(&e.actor).map_or(e.actor.as_str(), String::as_str))) }
                    }
                }
            } }
            @if sensitive_reads > 0 {
                p.small.muted #sensitive-reads { (zh_en("另有查阅敏感信息记录 ", "Also ")) (sensitive_reads) (zh_en(" 条，保留在审计记录中。", " reads of sensitive information, kept in the audit trail.")) }
            }
        }
    };
    Ok(page(status, layout(lang, &view.number, Some(v), body)))
}

#[derive(Deserialize)]
pub struct ActForm {
    action: String,
    #[serde(default)]
    note: String,
    /// The notice's periods, in days (empty for any other step).
    #[serde(default)]
    perform_days: String,
    #[serde(default)]
    report_days: String,
    version: Option<i64>,
}

/// A period in days as typed in a form: none when left empty; what is not a whole number is
/// refused as the domain refuses a period out of bounds.
fn stated_days(field: &'static str, s: &str, min: i64) -> Result<Option<i64>, Refusal> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| {
        Refusal::of_reasons(
            "notice_periods_required",
            RefusalKind::Invalid,
            vec![
                Reason::new("invalid_notice_period")
                    .with("field", field)
                    .with("min", min)
                    .with("max", case::MAX_STATED_DAYS),
            ],
        )
    })
}

pub(super) fn back(id: i64, e: Option<ApiError>) -> Response {
    match e {
        None => Redirect::to(&format!("/cases/{id}")).into_response(),
        Some(e) => PageError(e).into_response(),
    }
}

/// How a form of the case page answers: done, back to its section of the case page; refused
/// (a wrong input, or a state that does not allow it now), the case page again with the reason
/// from the message catalogue beside the form, as 422 or 409; not allowed, no such case, or a
/// fault, the error page.
pub(super) async fn answer<T>(
    app: &App,
    v: &Viewer,
    id: i64,
    section: &'static str,
    r: Result<T, AppError>,
) -> Response {
    let e = match r {
        Ok(_) => return Redirect::to(&format!("/cases/{id}#{section}")).into_response(),
        Err(e) => e,
    };
    if !e.is_refusal() {
        return PageError::from(e).into_response();
    }
    let message = super::refusal_words(v.lang, &e);
    let status = status_of(e);
    render(
        app,
        v,
        id,
        status,
        Some(Refused {
            section,
            message: &message,
        }),
    )
    .await
    .unwrap_or_else(IntoResponse::into_response)
}

/// Carries out a form's command on case `id` and answers as the case page's forms do.
async fn act_on(
    app: &App,
    v: &Viewer,
    id: i64,
    section: &'static str,
    version: Option<i64>,
    cmd: Result<CaseCommand, Refusal>,
) -> Response {
    let r = match cmd {
        Ok(cmd) => svc::execute(app, &v.principal, id, version, cmd).await,
        Err(r) => Err(r.into()),
    };
    answer(app, v, id, section, r).await
}

pub async fn act(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<ActForm>,
) -> Response {
    let cmd = (|| {
        Ok(CaseCommand::RecordAction {
            action: case::action_of(&f.action)?,
            note: f.note,
            periods: case::StatedPeriods {
                perform_days: stated_days("perform_days", &f.perform_days, 0)?,
                report_days: stated_days("report_days", &f.report_days, 1)?,
            },
        })
    })();
    act_on(&app, &v, id, "act", f.version, cmd).await
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
    closure_page(&app, &v, id, mode, StatusCode::OK, None).await
}

/// The closure page of `mode`, answered with `status`; a refused closure's reason is shown
/// above its form, in the viewer's language.
async fn closure_page(
    app: &App,
    v: &Viewer,
    id: i64,
    mode: ClosureMode,
    status: StatusCode,
    refused: Option<&str>,
) -> Result<Response, PageError> {
    let view = svc::show(app, &v.principal, id, None).await?;
    let list = query::checklist(app, &v.principal, id, mode).await?;
    let conditions = described(v.lang, &list.conditions);
    let body = html! {
        section.card {
            h1 { (view.number) (zh_en(" — 结案", " — Closure")) }
            p { @for m in ClosureMode::ALL { a.tab.active[m == mode] href=(format!("/cases/{id}/closure?mode={}", m.as_str())) { (m.label()) } " " } }
            h2 { (mode.label()) @if mode.needs_approval() { (zh_en(" （须执行局长批准）", " (needs the division head's approval)")) } }
            ul #checklist { @for c in &conditions { li.met[c.met] data-code=(c.code) { (if c.met { "✔ " } else { "✘ " }) (c.description) } } }
            h3 { (zh_en("结案后依法一并办理", "Done with the closure, as the law requires")) }
            @let fx = &list.effects;
            @if fx.releases.is_empty() && fx.listings_removed.is_empty() && fx.orders_lifted.is_empty() {
                p #closure-effects { (if mode == ClosureMode::Zhongben { zh_en("终结本次执行程序：控制措施、限制消费令和失信名单依法保留。", "Terminating this round of enforcement: control measures, consumption restrictions and the dishonest listing stay, as the law requires.") } else { zh_en("无须解除的措施、名单或限制消费令。", "No measure, listing or consumption restriction to lift.") }) }
            } @else {
                ul #closure-effects {
                    @if !fx.releases.is_empty() { li data-effect="release" { (zh_en("向协助执行单位发送解除通知：措施 ", "Send release notices to the assisting bodies: measures ")) (fx.releases.iter().map(|n| format!("#{n}")).collect::<Vec<_>>().join(zh_en("、", ", "))) } }
                    @if !fx.listings_removed.is_empty() { li data-effect="remove" { (zh_en("删除失信被执行人名单信息 ", "Remove dishonest-list entries: ")) (fx.listings_removed.len()) (zh_en(" 条", "")) } }
                    @if !fx.orders_lifted.is_empty() { li data-effect="lift" { (zh_en("解除限制消费令 ", "Lift consumption restrictions: ")) (fx.orders_lifted.len()) (zh_en(" 项", "")) } }
                }
            }
            @if let Some(m) = refused { p.error #closure-refused role="alert" { (m) } }
            form #closure method="post" action=(format!("/cases/{id}/closure")) {
                (v.csrf)
                input type="hidden" name="mode" value=(mode.as_str());
                input type="hidden" name="version" value=(view.version.unwrap_or(0));
                label { (zh_en("结案理由", "Reason for closing")) textarea name="reason" required {} }
                button type="submit" { (if mode.needs_approval() { zh_en("提交审批", "Submit for approval") } else { zh_en("结案", "Close") }) }
            }
        }
    };
    Ok(page(
        status,
        layout(v.lang, zh_en("结案", "Close"), Some(v), body),
    ))
}

#[derive(Deserialize)]
pub struct CloseForm {
    mode: String,
    reason: String,
    version: Option<i64>,
}

/// A closure from its page: done, back to the case page; refused, the closure page again with
/// the reason; anything else, the error page.
pub async fn close(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<CloseForm>,
) -> Response {
    let mode = case::closure_mode_of(&f.mode);
    let r = match &mode {
        Ok(mode) => {
            let cmd = CaseCommand::RequestClosure {
                mode: *mode,
                reason: f.reason,
            };
            svc::execute(&app, &v.principal, id, f.version, cmd).await
        }
        Err(r) => Err(r.clone().into()),
    };
    let e = match r {
        Ok(_) => return Redirect::to(&format!("/cases/{id}")).into_response(),
        Err(e) if e.is_refusal() => e,
        Err(e) => return PageError::from(e).into_response(),
    };
    let message = super::refusal_words(v.lang, &e);
    let mode = mode.unwrap_or(ClosureMode::Zhongben);
    closure_page(&app, &v, id, mode, status_of(e), Some(&message))
        .await
        .unwrap_or_else(IntoResponse::into_response)
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
    let cmd = CaseCommand::DecideClosure {
        approve: f.approve,
        note: f.note,
    };
    act_on(&app, &v, id, "act", f.version, Ok(cmd)).await
}

#[derive(Deserialize)]
pub struct ExtensionForm {
    months: String,
    #[serde(default)]
    reason: String,
    version: Option<i64>,
}

/// The officer asks the president for more time.
pub async fn extension(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<ExtensionForm>,
) -> Response {
    let cmd = f
        .months
        .trim()
        .parse::<i64>()
        .map(|months| CaseCommand::RequestExtension {
            months,
            reason: f.reason,
        })
        .map_err(|_| {
            let (min, max) = case::EXTENSION_MONTHS;
            Refusal::of_reasons(
                "invalid_extension",
                RefusalKind::Invalid,
                vec![
                    Reason::new("extension_months")
                        .with("min", min)
                        .with("max", max),
                ],
            )
        });
    act_on(&app, &v, id, "extension", f.version, cmd).await
}

/// The president grants or refuses the requested extension.
pub async fn extension_decision(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<DecisionForm>,
) -> Response {
    let cmd = CaseCommand::DecideExtension {
        approve: f.approve,
        note: f.note,
    };
    act_on(&app, &v, id, "extension", f.version, Ok(cmd)).await
}

/// An issued document, for printing.
pub async fn document(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let doc = query::document(&app, &v.principal, id).await?;
    Ok(document_response(doc))
}
