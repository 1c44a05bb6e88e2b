//! 预警 (/alerts): the open alerts of a court's subtree, of one kind or all, newest first, a
//! page at a time by id (keyset: no OFFSET). What each count on the command centre opens;
//! every row leads to its case. The same list downloads as CSV or an Excel workbook
//! (`/alerts/export.csv`, `/alerts/export.xlsx`) with the same filters. Reads through
//! `command_centre::query`, the same as `GET /api/v1/alerts`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::command::alert_name;
use super::i18n::{Label, Lang, known, zh_en};
use super::{PageError, Viewer, layout, page};
use crate::error::Query;
use crate::export::{self, Cell, Format, Table};
use zhixing_app::command_centre::alerts::KINDS;
use zhixing_app::command_centre::query::{self, AlertList};
use zhixing_app::state::App;
use zhixing_store::alerts::AlertItem;

/// Alerts per page.
const PAGE: i64 = 50;

/// An alert's words in the viewer's language: its message from the catalogue with the
/// parameters the app stored beside it (`command_centre::alerts::words`), each code among them
/// named in the viewer's language. An alert raised before its parameters were stored, or one
/// whose message the catalogue lacks, shows the Chinese sentence the app wrote.
pub fn words(message: &str, params: Option<&str>) -> String {
    params
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
        .and_then(|v| {
            let code = v.get("code")?.as_str()?.to_owned();
            let args: Vec<(&str, String)> = v
                .get("args")?
                .as_object()?
                .iter()
                .map(|(k, v)| (k.as_str(), named(k, v.as_str().unwrap_or_default())))
                .collect();
            crate::messages::worded(Lang::current(), &code, &args)
        })
        .unwrap_or_else(|| message.to_owned())
}

/// A parameter of an alert in the viewer's language: the code of a domain value by its name,
/// a deadline's or a document's title by its English where one is known (else as stored); a
/// date, a figure, a name or a court's id as it is.
fn named(key: &str, value: &str) -> String {
    use zhixing_domain as d;
    let label = match key {
        "measure" => Some(
            d::measure::MeasureKind::parse(value).map_or(zh_en("控制", "control"), Label::label),
        ),
        "trigger" => d::credit::RemovalTrigger::parse(value).map(Label::label),
        "act" => d::entrusted::EntrustedAct::parse(value).map(Label::label),
        "channel" => Some(
            d::complaint::Channel::parse(value).map_or(zh_en("信访", "complaint"), Label::label),
        ),
        "review" => Some(
            d::review::ReviewKind::parse(value).map_or(zh_en("执行审查", "Review"), Label::label),
        ),
        "title" | "document" => Some(known(value)),
        _ => None,
    };
    label.unwrap_or(value).to_owned()
}

#[derive(Deserialize, Default, Clone)]
pub struct ListForm {
    /// A court the viewer may read; default the viewer's own.
    #[serde(default)]
    court: String,
    /// One kind (e.g. `node_overdue`); empty for every kind.
    #[serde(default)]
    kind: String,
    /// `subtree` (default) or `self`.
    #[serde(default)]
    scope: String,
    /// The next page's cursor.
    #[serde(default)]
    cursor: String,
    /// Alerts per page (1–500).
    #[serde(default)]
    limit: Option<i64>,
}

impl ListForm {
    fn asked(&self, limit: i64, cursor: Option<String>) -> AlertList {
        let given = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        AlertList {
            court: given(&self.court),
            scope: given(&self.scope),
            kind: given(&self.kind),
            limit: Some(limit),
            cursor,
        }
    }

    /// The filters as a query string (without the cursor), for the next page and the exports.
    fn filters(&self) -> form_urlencoded::Serializer<'static, String> {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("court", &self.court),
            ("kind", &self.kind),
            ("scope", &self.scope),
        ] {
            if !v.trim().is_empty() {
                q.append_pair(k, v.trim());
            }
        }
        q
    }
}

/// The distinct courts of the alerts, to name them.
fn court_ids(items: &[AlertItem]) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> = items.iter().map(|a| a.court_id.as_str()).collect();
    set.into_iter().map(str::to_owned).collect()
}

fn raised(a: &AlertItem) -> String {
    super::beijing_us(a.raised_at)
}

/// `GET /alerts`.
pub async fn list(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    let limit = f.limit.unwrap_or(PAGE);
    let cursor = Some(f.cursor.trim().to_owned()).filter(|c| !c.is_empty());
    let listed = query::alert_page(&app, &v.principal, &f.asked(limit, cursor)).await?;
    let court_id = Some(f.court.trim())
        .filter(|c| !c.is_empty())
        .unwrap_or(&v.principal.court_id)
        .to_owned();
    let court = query::readable_court(&app, &v.principal, Some(&court_id)).await?;
    let names = query::court_names(&app, &court_ids(&listed.items)).await?;
    let filters = f.filters().finish();
    let next = listed.next_cursor.as_ref().map(|c| {
        let mut q = f.filters();
        if let Some(l) = f.limit {
            q.append_pair("limit", &l.to_string());
        }
        q.append_pair("cursor", c);
        format!("/alerts?{}", q.finish())
    });
    let kind_name = Some(f.kind.trim())
        .filter(|k| !k.is_empty())
        .map(alert_name);
    let body = html! {
        section.card #alerts-page {
            h1 {
                (court.name) (zh_en(" · 预警", " · Alerts"))
                @if let Some(k) = &kind_name { (zh_en("：", ": ")) (k) }
            }
            p.muted #alert-scope {
                @if listed.scope == "subtree" { (zh_en("本院及下级法院的未处理预警，最新的在前。", "Open alerts of this court and the courts below it, newest first.")) }
                @else { (zh_en("本院的未处理预警，最新的在前。", "Open alerts of this court, newest first.")) }
            }
            form.filters method="get" action="/alerts" {
                @if !f.court.trim().is_empty() { input type="hidden" name="court" value=(f.court.trim()); }
                label { (zh_en("预警类型", "Alert kind"))
                    select name="kind" {
                        option value="" { (zh_en("全部类型", "All kinds")) }
                        @for k in KINDS {
                            option value=(k) selected[f.kind.trim() == k] { (alert_name(k)) }
                        }
                    }
                }
                label { (zh_en("范围", "Scope"))
                    select name="scope" {
                        option value="subtree" selected[f.scope.trim() != "self"] { (zh_en("本院及下级法院", "This court and the courts below")) }
                        option value="self" selected[f.scope.trim() == "self"] { (zh_en("仅本院", "This court only")) }
                    }
                }
                button type="submit" { (zh_en("查询", "Search")) }
                a.button #export-csv href=(format!("/alerts/export.csv?{filters}")) { (zh_en("导出CSV", "Export CSV")) }
                a.button #export-xlsx href=(format!("/alerts/export.xlsx?{filters}")) { (zh_en("导出Excel", "Export Excel")) }
                span.muted { (zh_en("（导出最多 10,000 行）", "(exports hold at most 10,000 rows)")) }
            }
            div.scroll { table #alert-list {
                tr { th { (zh_en("预警时间", "Raised")) } th { (zh_en("类型", "Kind")) } th { (zh_en("状态", "Status")) } th { (zh_en("案号", "Case number")) } th { (zh_en("法院", "Court")) } th { (zh_en("说明", "Details")) } th { (zh_en("到期日", "Due")) } }
                @for a in &listed.items {
                    tr data-id=(a.id) data-kind=(a.kind) {
                        td.small { (raised(a)) }
                        td { (alert_name(&a.kind)) }
                        td { (zh_en("未处理", "Open")) }
                        td {
                            @match (a.case_id, &a.case_number) {
                                (Some(id), Some(n)) => a.case-link href=(format!("/cases/{id}")) { (n) },
                                (Some(id), None) => a.case-link href=(format!("/cases/{id}")) { (zh_en("案件 ", "Case ")) (id) },
                                _ => span.muted { "—" },
                            }
                        }
                        td { (names.get(&a.court_id).map_or(a.court_id.as_str(), String::as_str)) }
                        td { (words(&a.message, a.params.as_deref())) }
                        td { (a.due_on.as_deref().unwrap_or("")) }
                    }
                }
            } }
            @if listed.items.is_empty() { p.muted #no-alerts { (zh_en("没有符合条件的未处理预警。", "No open alerts match.")) } }
            @if let Some(href) = next { p { a #next-page href=(href) { (zh_en("下一页", "Next page")) } } }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(v.lang, zh_en("预警", "Alerts"), Some(&v), body),
    ))
}

const HEADERS: &[&str] = &[
    "预警编号",
    "预警时间（北京时间）",
    "类型",
    "状态",
    "案号",
    "案件编号",
    "法院",
    "说明",
    "到期日",
];

/// `GET /alerts/export.csv` and `/alerts/export.xlsx`: the same list, every page up to
/// [`export::MAX_ROWS`]. Alerts name cases and courts, not people: no sensitive read.
async fn export(
    app: &App,
    v: &Viewer,
    f: &ListForm,
    format: Format,
) -> Result<Response, PageError> {
    let mut items: Vec<AlertItem> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut cut = false;
    loop {
        let listed = query::alert_page(app, &v.principal, &f.asked(500, cursor.take())).await?;
        items.extend(listed.items);
        if items.len() > export::MAX_ROWS {
            items.truncate(export::MAX_ROWS);
            cut = true;
            break;
        }
        match listed.next_cursor {
            Some(c) if items.len() == export::MAX_ROWS => {
                // Exactly full: one more row would say whether there is more.
                cut = !query::alert_page(app, &v.principal, &f.asked(1, Some(c)))
                    .await?
                    .items
                    .is_empty();
                break;
            }
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let names = query::court_names(app, &court_ids(&items)).await?;
    let rows = items
        .iter()
        .map(|a| {
            vec![
                Cell::Int(a.id),
                raised(a).into(),
                alert_name(&a.kind).into(),
                "未处理".into(),
                a.case_number.clone().unwrap_or_default().into(),
                a.case_id.map_or(Cell::Text(String::new()), Cell::Int),
                names
                    .get(&a.court_id)
                    .cloned()
                    .unwrap_or_else(|| a.court_id.clone())
                    .into(),
                a.message.clone().into(),
                a.due_on.clone().unwrap_or_default().into(),
            ]
        })
        .collect();
    let table = Table {
        title: "预警列表",
        stem: "alerts",
        headers: HEADERS,
        rows,
        cut,
    };
    Ok(export::response(&table, format, app.today())?)
}

pub async fn export_csv(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    super::i18n::in_chinese(export(&app, &v, &f, Format::Csv)).await
}

pub async fn export_xlsx(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    super::i18n::in_chinese(export(&app, &v, &f, Format::Xlsx)).await
}
