//! 失信名单 (/listings): the dishonest listings of a court's subtree, in force or removed, by
//! part of the respondent's name, newest first, a page at a time by id (keyset: no OFFSET).
//! Every row leads to its case's credit section; identifiers are masked as on the portal. The
//! same list downloads as CSV or an Excel workbook (`/listings/export.csv|xlsx`) with the same
//! filters; the file names people, so the export is a sensitive read on the audit chain.
//! Reads through `credit::listings::listing_page`, the court check of the alert list.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::cases::yuan;
use super::i18n::{Label, zh_en};
use super::{PageError, Viewer, layout, page};
use crate::error::Query;
use crate::export::{self, Cell, Format, Table};
use zhixing_app::command_centre::query;
use zhixing_app::credit::listings::{self as svc, ListingList};
use zhixing_app::state::App;
use zhixing_domain::credit::Ground;
use zhixing_domain::identity::mask;
use zhixing_store::lists::ListingItem;

/// Listings per page.
const PAGE: i64 = 50;

#[derive(Deserialize, Default, Clone)]
pub struct ListForm {
    /// A court the viewer may read; default the viewer's own.
    #[serde(default)]
    court: String,
    /// `listed` (在册), `removed` (已删除) or empty for both.
    #[serde(default)]
    status: String,
    /// Part of the respondent's name.
    #[serde(default)]
    name: String,
    /// `subtree` (default) or `self`.
    #[serde(default)]
    scope: String,
    /// The next page's cursor.
    #[serde(default)]
    cursor: String,
    /// Listings per page (1–500).
    #[serde(default)]
    limit: Option<i64>,
}

impl ListForm {
    fn asked(&self, limit: i64, cursor: Option<String>) -> ListingList {
        let given = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        ListingList {
            court: given(&self.court),
            scope: given(&self.scope),
            status: given(&self.status),
            name: given(&self.name),
            limit: Some(limit),
            cursor,
        }
    }

    /// The filters as a query string (without the cursor), for the next page and the exports.
    fn filters(&self) -> form_urlencoded::Serializer<'static, String> {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("court", &self.court),
            ("status", &self.status),
            ("name", &self.name),
            ("scope", &self.scope),
        ] {
            if !v.trim().is_empty() {
                q.append_pair(k, v.trim());
            }
        }
        q
    }
}

fn status_zh(s: &str) -> &'static str {
    match s {
        "listed" => zh_en("在册", "Listed"),
        "removed" => zh_en("已删除", "Removed"),
        _ => "",
    }
}

/// The grounds of a listing (a JSON array of item numbers) in words.
fn grounds_zh(json: &str) -> String {
    serde_json::from_str::<Vec<u8>>(json)
        .unwrap_or_default()
        .into_iter()
        .filter_map(Ground::from_no)
        .map(Ground::label)
        .collect::<Vec<_>>()
        .join(zh_en("；", "; "))
}

fn court_ids(items: &[ListingItem]) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> = items.iter().map(|l| l.court_id.as_str()).collect();
    set.into_iter().map(str::to_owned).collect()
}

/// `GET /listings`.
pub async fn list(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    let limit = f.limit.unwrap_or(PAGE);
    let cursor = Some(f.cursor.trim().to_owned()).filter(|c| !c.is_empty());
    let listed = svc::listing_page(&app, &v.principal, &f.asked(limit, cursor)).await?;
    let court = query::readable_court(&app, &v.principal, Some(&listed.court_id)).await?;
    let names = query::court_names(&app, &court_ids(&listed.items)).await?;
    let filters = f.filters().finish();
    let next = listed.next_cursor.as_ref().map(|c| {
        let mut q = f.filters();
        if let Some(l) = f.limit {
            q.append_pair("limit", &l.to_string());
        }
        q.append_pair("cursor", c);
        format!("/listings?{}", q.finish())
    });
    let body = html! {
        section.card #listings-page {
            h1 { (court.name) (zh_en(" · 失信被执行人名单", " · Dishonest judgment debtors")) }
            p.muted #listing-scope {
                @if listed.scope == "subtree" { (zh_en("本院及下级法院纳入的失信被执行人，最新的在前。", "Dishonest judgment debtors listed by this court and the courts below, newest first.")) }
                @else { (zh_en("本院纳入的失信被执行人，最新的在前。", "Dishonest judgment debtors listed by this court, newest first.")) }
            }
            form.filters method="get" action="/listings" {
                @if !f.court.trim().is_empty() { input type="hidden" name="court" value=(f.court.trim()); }
                label { (zh_en("状态", "Status"))
                    select name="status" {
                        option value="" { (zh_en("全部", "All")) }
                        option value="listed" selected[f.status.trim() == "listed"] { (zh_en("在册", "Listed")) }
                        option value="removed" selected[f.status.trim() == "removed"] { (zh_en("已删除", "Removed")) }
                    }
                }
                label { (zh_en("被执行人姓名/名称", "Respondent's name")) input name="name" value=(f.name.trim()) maxlength="100"; }
                label { (zh_en("范围", "Scope"))
                    select name="scope" {
                        option value="subtree" selected[f.scope.trim() != "self"] { (zh_en("本院及下级法院", "This court and the courts below")) }
                        option value="self" selected[f.scope.trim() == "self"] { (zh_en("仅本院", "This court only")) }
                    }
                }
                button type="submit" { (zh_en("查询", "Search")) }
                a.button #export-csv href=(format!("/listings/export.csv?{filters}")) { (zh_en("导出CSV", "Export CSV")) }
                a.button #export-xlsx href=(format!("/listings/export.xlsx?{filters}")) { (zh_en("导出Excel", "Export Excel")) }
                span.muted { (zh_en("（导出最多 10,000 行，记入审计）", "(exports hold at most 10,000 rows and are audited)")) }
            }
            div.scroll { table #listing-list {
                tr { th { (zh_en("纳入日期", "Listed on")) } th { (zh_en("被执行人", "Respondent")) } th { (zh_en("证件号码", "ID number")) } th { (zh_en("案号", "Case number")) } th { (zh_en("法院", "Court")) } th { (zh_en("失信情形", "Ground")) } th { (zh_en("执行标的", "Amount to enforce")) } th { (zh_en("期限至", "Until")) } th { (zh_en("状态", "Status")) } }
                @for l in &listed.items {
                    tr data-id=(l.id) data-status=(l.status) {
                        td { (l.listed_on) }
                        td { (l.name) }
                        td.code { (mask(&l.identifier)) }
                        td { a.case-link href=(format!("/cases/{}#credit", l.case_id)) { (l.case_number) } }
                        td { (names.get(&l.court_id).map_or(l.court_id.as_str(), String::as_str)) }
                        td.small { (grounds_zh(&l.grounds)) }
                        td.money { (yuan(l.total_due_fen)) }
                        td { @if let Some(e) = &l.ends_on { (e) } @else { (zh_en("履行完毕时", "Until performed")) } }
                        td { (status_zh(&l.status))
                            @if let Some(on) = &l.removed_on { br; span.small.muted { (on) } } }
                    }
                }
            } }
            @if listed.items.is_empty() { p.muted #no-listings { (zh_en("没有符合条件的失信被执行人。", "No listed debtors match.")) } }
            @if let Some(href) = next { p { a #next-page href=(href) { (zh_en("下一页", "Next page")) } } }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(v.lang, zh_en("失信名单", "Dishonest list"), Some(&v), body),
    ))
}

const HEADERS: &[&str] = &[
    "名单编号",
    "纳入日期",
    "被执行人",
    "证件号码",
    "案号",
    "案件编号",
    "法院",
    "失信情形",
    "执行标的（元）",
    "期限至",
    "状态",
    "删除日期",
];

/// `GET /listings/export.csv` and `/listings/export.xlsx`: the same list, every page up to
/// [`export::MAX_ROWS`], recorded as a sensitive read (it names people).
async fn export(
    app: &App,
    v: &Viewer,
    f: &ListForm,
    format: Format,
) -> Result<Response, PageError> {
    let mut items: Vec<ListingItem> = Vec::new();
    let mut cursor: Option<String> = None;
    let (cut, court_id) = loop {
        let listed = svc::listing_page(app, &v.principal, &f.asked(500, cursor.take())).await?;
        let court_id = listed.court_id;
        items.extend(listed.items);
        if items.len() > export::MAX_ROWS {
            items.truncate(export::MAX_ROWS);
            break (true, court_id);
        }
        match listed.next_cursor {
            Some(c) if items.len() == export::MAX_ROWS => {
                // Exactly full: one more row would say whether there is more.
                let more = !svc::listing_page(app, &v.principal, &f.asked(1, Some(c)))
                    .await?
                    .items
                    .is_empty();
                break (more, court_id);
            }
            Some(c) => cursor = Some(c),
            None => break (false, court_id),
        }
    };
    zhixing_app::platform::audit::record_sensitive_read(
        app,
        &v.principal,
        &court_id,
        &format!("export:listings:{court_id}"),
        &["party_names", "id_numbers_masked"],
    )
    .await?;
    let names = query::court_names(app, &court_ids(&items)).await?;
    let rows = items
        .iter()
        .map(|l| {
            vec![
                Cell::Int(l.id),
                l.listed_on.as_str().into(),
                l.name.as_str().into(),
                mask(&l.identifier).into(),
                l.case_number.as_str().into(),
                Cell::Int(l.case_id),
                names
                    .get(&l.court_id)
                    .cloned()
                    .unwrap_or_else(|| l.court_id.clone())
                    .into(),
                grounds_zh(&l.grounds).into(),
                Cell::Yuan(l.total_due_fen),
                l.ends_on
                    .clone()
                    .unwrap_or_else(|| "履行完毕时".into())
                    .into(),
                status_zh(&l.status).into(),
                l.removed_on.clone().unwrap_or_default().into(),
            ]
        })
        .collect();
    let table = Table {
        title: "失信被执行人名单",
        stem: "listings",
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
