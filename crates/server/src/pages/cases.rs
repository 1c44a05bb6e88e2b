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
use super::{PageError, Viewer, layout, page};
use crate::api::cases::{AmountsIn, BasisIn, FileCaseIn, described, document_response};
use crate::error::{ApiError, Path, Query};

pub(super) fn yuan(fen: i64) -> String {
    zhixing_domain::money::Fen::new(fen)
        .map(|f| f.to_string())
        .unwrap_or_else(|_| fen.to_string())
}

fn status_zh(s: &str) -> &'static str {
    CaseStatus::parse(s).map_or("", CaseStatus::name_zh)
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
                @if let Some(name) = &other_court { (name) " · 案件" }
                @else { (if mine { "我的案件" } else { "本院案件" }) }
            }
            form.filters method="get" action="/cases" {
                @if let Some(id) = &court { input type="hidden" name="court" value=(id); }
                input type="hidden" name="submitted" value="1";
                label { "查找" input name="q" value=(f.q) placeholder="案号（可只填一部分，如 执50）、当事人姓名或身份证号"; }
                label { "状态" select name="status" {
                    option value="" { "全部状态" }
                    @for s in ["open", "suspended", "pending_closure", "closed"] {
                        option value=(s) selected[f.status == s] { (status_zh(s)) }
                    }
                } }
                label.inline { input type="checkbox" name="overdue" value="1" checked[f.overdue.is_some()]; "仅超期" }
                label.inline { input type="checkbox" name="mine" value="1" checked[mine]; "仅我承办" }
                label { "排序"
                    select name="sort" {
                        @for (key, name) in SORTS {
                            option value=(key) selected[sort == key] { (name) }
                        }
                    }
                }
                button type="submit" { "查询" }
                a.button #export-csv href=(format!("/cases/export.csv?{filters}")) { "导出CSV" }
                a.button #export-xlsx href=(format!("/cases/export.xlsx?{filters}")) { "导出Excel" }
                span.muted { "（导出最多 10,000 行）" }
                @if v.principal.may(Action::HandleCases, &v.principal.court_path) {
                    a.button href="/cases/new" { "立案" }
                }
            }
            table #case-list {
                tr { th { "案号" } th { "申请执行人" } th { "被执行人" } th { "状态" } th { "最近期限" } th { "立案日期" } }
                @for s in rows {
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
            @if let Some(next) = &listed.page.next_cursor {
                p { a #next-page href=(list_href(&f, mine, court.as_deref(), next)) { "下一页" } }
            }
        }
    };
    Ok(page(StatusCode::OK, layout(lang, "案件", Some(&v), body)))
}

/// The orders the list offers: (the query's `sort`, its name). Each pages by its own key.
const SORTS: [(&str, &str); 4] = [
    ("due", "最近期限在前"),
    ("filed", "立案日期（新的在前）"),
    ("amount", "执行标的（大的在前）"),
    ("amount_asc", "执行标的（小的在前）"),
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
        .filter(|s| SORTS.iter().any(|(k, _)| k == s))
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
    export(&app, &v, &f, crate::export::Format::Csv).await
}

pub async fn export_xlsx(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    export(&app, &v, &f, crate::export::Format::Xlsx).await
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
        Yuan::NotAnAmount => format!("{field}：请填写金额（元），最多两位小数"),
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
                    (v.csrf)
                    label { "案件类型" select name="case_type" { option value="执" selected[sel(&f.case_type, "执")] { "执（首次执行）" } option value="执保" selected[sel(&f.case_type, "执保")] { "执保（财产保全执行）" } } }
                    @for (role, label) in [("applicant", "申请执行人"), ("respondent", "被执行人")] {
                        @let rows = f.rows_of(role);
                        input type="hidden" name=(format!("{role}s")) value=(rows);
                        @for n in 1..=rows {
                            @let [kind, name, id, rep, address] = f.row(role, n);
                            // The first row's fields keep their plain names; later rows end in `_n`.
                            @let key = |field: &str| if n == 1 { format!("{role}_{field}") } else { format!("{role}_{field}_{n}") };
                            fieldset.party data-role=(role) data-row=(n) {
                                legend { (label) @if rows > 1 { " " (n) } }
                                label { "主体类别" select name=(key("kind")) { option value="person" selected[sel(&kind, "person")] { "自然人" } option value="organisation" selected[sel(&kind, "organisation")] { "法人或其他组织" } } }
                                label { "姓名／名称" input name=(key("name")) value=(name) required[n == 1]; }
                                label { "公民身份号码／统一社会信用代码" input name=(key("id")) value=(id) required[n == 1]; }
                                label { "法定代表人（组织填写）" input name=(key("rep")) value=(rep); }
                                label { "住所／住所地（送达文书载明）" input name=(key("address")) value=(address) autocomplete="street-address"; }
                                @if n > 1 { p.small.muted { "不需要的行留空即可。" } }
                            }
                        }
                    }
                    fieldset {
                        legend { "执行依据" }
                        label { "依据种类" select name="basis_kind" { @for (k, zh) in BASIS_KINDS { @let val = serde_json::to_value(k).ok().and_then(|x| x.as_str().map(str::to_owned)).unwrap_or_default(); option value=(val) selected[f.basis_kind == val] { (zh) } } } }
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
                    // 立案 first: Enter in a field files, as the first submit button does.
                    button #file-case type="submit" { "立案" }
                    p.add-party {
                        // Adds a row without filing: the form comes back with what was typed.
                        @for (role, label) in [("applicant", "申请执行人"), ("respondent", "被执行人")] {
                            @if f.rows_of(role) < MAX_FORM_PARTIES {
                                button.secondary type="submit" name="add" value=(role) formnovalidate id=(format!("add-{role}")) { "增加" (label) }
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
        return page(StatusCode::OK, filing_form(v.lang, &v, &f, &[]));
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
    page(status_of(e), filing_form(v.lang, &v, &f, &problems))
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
        "立案成功",
        Some(v),
        html! {
            section.card #accepted {
                h1 { "立案成功：" span #case-number { (number) } }
                h2 { "当事人查询码告知单" }
                p { "当事人可凭案号和本人的查询码在 " code { "/public/case" } " 查询案件进度、接收电子送达的文书。"
                    strong { "查询码只显示这一次" } "。每位当事人一页，打印后分别随受理通知书交付本人：任何人只能拿到自己的查询码。" }
                div #access-codes {
                    @for c in codes {
                        article.code-sheet data-party=(c.party_no) {
                            h3 { "查询码告知单（交 " (c.name) " 本人）" }
                            table {
                                tr { th { "案号" } td { (number) } }
                                tr { th { "当事人" } td.party { (c.name) } }
                                tr { th { "查询码" } td.code { code { (c.code) } } }
                            }
                            p.small { "请妥善保管，勿告知他人。遗失的，可向承办法院申请补发，原查询码随即失效。" }
                        }
                    }
                }
                p {
                    button type="button" data-print { "打印" }
                    " "
                    a #to-case href=(format!("/cases/{id}")) { "进入案件" }
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
                @for d in &view.deadlines { tr data-node=(d.node) { td { (d.title) } td { (d.due) @if d.working_days { "（工作日）" } @if let Some(y) = d.provisional_without_calendar { " " span.provisional title=(format!("{y}年官方节假日安排尚未载入，本期限暂按周末计算，载入后可能变动")) { "（暂定：缺" (y) "年节假日安排）" } } } td { (deadline_badge(&d.status)) } td.small { (d.citation) } } }
            }
            @if !view.next_actions.is_empty() {
                h2 { "下一步（系统建议，由承办人确认）" }
                ol #next-actions { @for d in &view.next_actions { li { (d.title) " — " (d.due) " 前" } } }
            }
        }
        @if can_act && c.status != CaseStatus::Closed {
            section.card #act {
                h2 { "办理" }
                @if let Some(m) = Refused::at(refused, "act") { p.error role="alert" { (m) } }
                form method="post" action=(format!("/cases/{id}/act")) {
                    (v.csrf)
                    input type="hidden" name="version" value=(view.version.unwrap_or(0));
                    label { "事项" select name="action" { @for a in ActionKind::ALL { option value=(a.as_str()) { (a.name_zh()) } } } }
                    label { "说明（约谈、不纳入失信的理由、报告不实、和解协议未履行等须填写）" input name="note"; }
                    fieldset #notice-periods { legend { "执行通知书、报告财产令载明的期限（仅发出通知时填写，自送达之日起算）" }
                        label { "履行期限（日，0 为立即履行）" input type="number" name="perform_days" min="0" max=(case::MAX_STATED_DAYS) step="1"; }
                        label { "报告财产期限（日）" input type="number" name="report_days" min="1" max=(case::MAX_STATED_DAYS) step="1"; } }
                    button type="submit" { "记录" }
                }
                p { a #to-closure href=(format!("/cases/{id}/closure")) { "报结／结案…" } }
                @if let Some(pr) = &proposal {
                    div #proposal {
                        h3 { "报结审批" }
                        p { "结案方式：" strong #proposal-mode { (pr.mode.name_zh()) }
                            " · 提出：" span #proposal-by { (pr.proposed_by.as_deref().unwrap_or("—")) } " " (pr.proposed_on) }
                        p { "理由：" span #proposal-reason { (pr.reason) } }
                        h4 { "报结时核对的结案条件" }
                        ul #proposal-checklist { @for d in described(lang, &pr.conditions) {
                            li.met[d.met] data-code=(d.code) { (if d.met { "✔ " } else { "✘ " }) (d.description) } } }
                        p.small { a href=(format!("/cases/{id}/closure?mode={}", pr.mode.as_str())) { "按今天的情况重新核对" } }
                    }
                }
                @if is_head && c.status == CaseStatus::PendingClosure {
                    form #approval method="post" action=(format!("/cases/{id}/decision")) {
                        (v.csrf)
                        input type="hidden" name="version" value=(view.version.unwrap_or(0));
                        label { "审批意见（退回须写明理由）" input name="note"; }
                        button name="approve" value="true" { "批准结案" }
                        button name="approve" value="false" { "退回" }
                    }
                }
            }
        }
        @if c.status != CaseStatus::Closed && (can_act || is_president || c.extension_request.is_some() || c.extension_months > 0) {
            section.card #extension {
                h2 { "延长执行期限" }
                @if let Some(m) = Refused::at(refused, "extension") { p.error role="alert" { (m) } }
                @if c.extension_months > 0 { p { "已批准延长 " strong #extended-months { (c.extension_months) } " 个月。" } }
                @if let Some(r) = &c.extension_request {
                    p #extension-request { "待院长审批：延长 " strong { (r.months) } " 个月 · " (r.by) " " (r.on) " 提出 · 理由：" (r.reason) }
                    @if is_president {
                        form #extension-decision method="post" action=(format!("/cases/{id}/extension/decision")) {
                            (v.csrf)
                            input type="hidden" name="version" value=(view.version.unwrap_or(0));
                            label { "审批意见（不批准须写明理由）" input name="note"; }
                            button name="approve" value="true" { "批准延长" }
                            button name="approve" value="false" { "不予批准" }
                        }
                    }
                } @else if can_act {
                    form #extension-request-form method="post" action=(format!("/cases/{id}/extension")) {
                        (v.csrf)
                        input type="hidden" name="version" value=(view.version.unwrap_or(0));
                        label { "延长月数 " input type="number" name="months" min="1" required; }
                        label { "申请理由" input name="reason" required; }
                        button type="submit" { "报请院长批准" }
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
        (super::auction::section(&auctions, &v.csrf, id, can_act, Refused::at(refused, "auctions")))
        (super::case_supervision::section(&command, &v.csrf, id, refused))
        (super::reviews::section(lang, &reviews, &v.csrf, id, refused))
        (super::complaints::section(&complaints, &recordings, &v.csrf, id, can_act, refused))
        section.card #account {
            h2 { "案款（一案一账号）" }
            p { "账户余额 " strong #balance { (yuan(account.balance_fen)) } " · 累计到账 " (yuan(account.received_fen)) " · 已发放 " (yuan(account.paid_out_fen))
                @if account.overdue { " " span.badge.late { "有逾期未发放款项" } } }
            @if !account.receipts.is_empty() {
                table #receipts {
                    tr { th { "到账日" } th { "来源" } th { "金额" } th { "已发放" } th { "应发放期限" } }
                    @for r in &account.receipts {
                        tr { td { (r.received_on) } td { (zhixing_domain::funds::Source::parse(&r.source).map_or_else(|| r.source.clone(), |s| s.label().to_owned())) }
                             td.num { (yuan(r.amount_fen)) } td.num { (yuan(r.paid_out_fen)) }
                             td { (r.payout_due) @if r.overdue { " " span.badge.late { "逾期" } } } }
                    }
                }
            }
            @if !account.payouts.is_empty() {
                table #payouts {
                    tr { th { "领款人" } th { "金额" } th { "状态" } th { "提出" } th { "转账凭证" } }
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
            h2 { "流程记录" }
            div.scroll { table {
                tr { th { "时间" } th { "事项" } th { "办理人" } }
                @for e in timeline.iter().filter(|e| e.kind != "read.sensitive") {
                    tr data-kind=(e.kind) {
                        td.small { (super::beijing_at(&e.at)) }
                        td { (crate::messages::event_label(lang, &e.kind)) }
                        td { (actors.get(&e.actor).map_or(e.actor.as_str(), String::as_str)) }
                    }
                }
            } }
            @if sensitive_reads > 0 {
                p.small.muted #sensitive-reads { "另有查阅敏感信息记录 " (sensitive_reads) " 条，保留在审计记录中。" }
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
            h1 { (view.number) " — 结案" }
            p { @for m in ClosureMode::ALL { a.tab.active[m == mode] href=(format!("/cases/{id}/closure?mode={}", m.as_str())) { (m.name_zh()) } " " } }
            h2 { (mode.name_zh()) @if mode.needs_approval() { " （须执行局长批准）" } }
            ul #checklist { @for c in &conditions { li.met[c.met] data-code=(c.code) { (if c.met { "✔ " } else { "✘ " }) (c.description) } } }
            h3 { "结案后依法一并办理" }
            @let fx = &list.effects;
            @if fx.releases.is_empty() && fx.listings_removed.is_empty() && fx.orders_lifted.is_empty() {
                p #closure-effects { (if mode == ClosureMode::Zhongben { "终结本次执行程序：控制措施、限制消费令和失信名单依法保留。" } else { "无须解除的措施、名单或限制消费令。" }) }
            } @else {
                ul #closure-effects {
                    @if !fx.releases.is_empty() { li data-effect="release" { "向协助执行单位发送解除通知：措施 " (fx.releases.iter().map(|n| format!("#{n}")).collect::<Vec<_>>().join("、")) } }
                    @if !fx.listings_removed.is_empty() { li data-effect="remove" { "删除失信被执行人名单信息 " (fx.listings_removed.len()) " 条" } }
                    @if !fx.orders_lifted.is_empty() { li data-effect="lift" { "解除限制消费令 " (fx.orders_lifted.len()) " 项" } }
                }
            }
            @if let Some(m) = refused { p.error #closure-refused role="alert" { (m) } }
            form #closure method="post" action=(format!("/cases/{id}/closure")) {
                (v.csrf)
                input type="hidden" name="mode" value=(mode.as_str());
                input type="hidden" name="version" value=(view.version.unwrap_or(0));
                label { "结案理由" textarea name="reason" required {} }
                button type="submit" { (if mode.needs_approval() { "提交审批" } else { "结案" }) }
            }
        }
    };
    Ok(page(status, layout(v.lang, "结案", Some(v), body)))
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
