//! 司法拍卖 (/auctions): the judicial auctions of a court's subtree, of one status or all,
//! newest first, a page at a time by id (keyset: no OFFSET). Every row leads to its case's
//! auction section. The same list downloads as CSV or an Excel workbook
//! (`/auctions/export.csv|xlsx`) with the same filters. Reads through
//! `disposal::auction::auction_page`, the court check of the alert list.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::cases::yuan;
use super::i18n::zh_en;
use super::{PageError, Viewer, beijing_us, layout, page};
use crate::error::Query;
use crate::export::{self, Cell, Format, Table};
use zhixing_app::command_centre::query;
use zhixing_app::disposal::auction::{self as svc, AuctionList, STATUSES};
use zhixing_app::state::App;
use zhixing_store::lists::AuctionItem;

/// Auctions per page.
const PAGE: i64 = 50;

#[derive(Deserialize, Default, Clone)]
pub struct ListForm {
    /// A court the viewer may read; default the viewer's own.
    #[serde(default)]
    court: String,
    /// One status; empty for all.
    #[serde(default)]
    status: String,
    /// `subtree` (default) or `self`.
    #[serde(default)]
    scope: String,
    /// The next page's cursor.
    #[serde(default)]
    cursor: String,
    /// Auctions per page (1–500).
    #[serde(default)]
    limit: Option<i64>,
}

impl ListForm {
    fn asked(&self, limit: i64, cursor: Option<String>) -> AuctionList {
        let given = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        AuctionList {
            court: given(&self.court),
            scope: given(&self.scope),
            status: given(&self.status),
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
        "open" => zh_en("进行中", "Running"),
        "sold" => zh_en("已成交，待付尾款", "Sold, balance due"),
        "failed" => zh_en("流拍", "Unsold"),
        "paid" => zh_en("已付清", "Paid in full"),
        "defaulted" => zh_en("悔拍", "Buyer defaulted"),
        _ => "",
    }
}

fn round_zh(s: &str) -> &'static str {
    match s {
        "first" => zh_en("一拍", "First auction"),
        "second" => zh_en("二拍", "Second auction"),
        "sell_off" => zh_en("变卖", "Sale at a fixed price"),
        _ => "",
    }
}

fn court_ids(items: &[AuctionItem]) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> = items.iter().map(|a| a.court_id.as_str()).collect();
    set.into_iter().map(str::to_owned).collect()
}

/// `GET /auctions`.
pub async fn list(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<ListForm>,
) -> Result<Response, PageError> {
    let limit = f.limit.unwrap_or(PAGE);
    let cursor = Some(f.cursor.trim().to_owned()).filter(|c| !c.is_empty());
    let listed = svc::auction_page(&app, &v.principal, &f.asked(limit, cursor)).await?;
    let court = query::readable_court(&app, &v.principal, Some(&listed.court_id)).await?;
    let names = query::court_names(&app, &court_ids(&listed.items)).await?;
    let filters = f.filters().finish();
    let next = listed.next_cursor.as_ref().map(|c| {
        let mut q = f.filters();
        if let Some(l) = f.limit {
            q.append_pair("limit", &l.to_string());
        }
        q.append_pair("cursor", c);
        format!("/auctions?{}", q.finish())
    });
    let body = html! {
        section.card #auctions-page {
            h1 { (court.name) (zh_en(" · 司法拍卖", " · Judicial auctions")) }
            p.muted #auction-scope {
                @if listed.scope == "subtree" { (zh_en("本院及下级法院的网络司法拍卖，最新的在前。", "Online judicial auctions of this court and the courts below, newest first.")) }
                @else { (zh_en("本院的网络司法拍卖，最新的在前。", "Online judicial auctions of this court, newest first.")) }
            }
            form.filters method="get" action="/auctions" {
                @if !f.court.trim().is_empty() { input type="hidden" name="court" value=(f.court.trim()); }
                label { (zh_en("状态", "Status"))
                    select name="status" {
                        option value="" { (zh_en("全部", "All")) }
                        @for s in STATUSES {
                            option value=(s) selected[f.status.trim() == s] { (status_zh(s)) }
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
                a.button #export-csv href=(format!("/auctions/export.csv?{filters}")) { (zh_en("导出CSV", "Export CSV")) }
                a.button #export-xlsx href=(format!("/auctions/export.xlsx?{filters}")) { (zh_en("导出Excel", "Export Excel")) }
                span.muted { (zh_en("（导出最多 10,000 行）", "(exports hold at most 10,000 rows)")) }
            }
            div.scroll { table #staff-auction-list {
                tr { th { (zh_en("标的", "Lot")) } th { (zh_en("轮次", "Round")) } th { (zh_en("案号", "Case number")) } th { (zh_en("法院", "Court")) } th { (zh_en("开始时间", "Starts")) } th { (zh_en("结束时间", "Ends")) } th { (zh_en("起拍价", "Starting price")) } th { (zh_en("当前价", "Current price")) } th { (zh_en("出价次数", "Bids")) } th { (zh_en("状态", "Status")) } }
                @for a in &listed.items {
                    tr data-id=(a.id) data-status=(a.status) {
                        td { (a.title) }
                        td { (round_zh(&a.round)) }
                        td { a.case-link href=(format!("/cases/{}#auctions", a.case_id)) { (a.case_number) } }
                        td { (names.get(&a.court_id).map_or(a.court_id.as_str(), String::as_str)) }
                        td.small { (beijing_us(a.starts_at)) }
                        td.small { (beijing_us(a.ends_at)) }
                        td.money { (yuan(a.start_price)) }
                        td.money { @if let Some(p) = a.current_price { (yuan(p)) } @else { "—" } }
                        td { (a.bid_count) }
                        td { (status_zh(&a.status)) }
                    }
                }
            } }
            @if listed.items.is_empty() { p.muted #no-auctions { (zh_en("没有符合条件的拍卖。", "No auctions match.")) } }
            @if let Some(href) = next { p { a #next-page href=(href) { (zh_en("下一页", "Next page")) } } }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(
            v.lang,
            zh_en("司法拍卖", "Judicial auctions"),
            Some(&v),
            body,
        ),
    ))
}

const HEADERS: &[&str] = &[
    "拍卖编号",
    "标的",
    "轮次",
    "案号",
    "案件编号",
    "法院",
    "开始时间（北京时间）",
    "结束时间（北京时间）",
    "起拍价（元）",
    "当前价（元）",
    "出价次数",
    "状态",
];

/// `GET /auctions/export.csv` and `/auctions/export.xlsx`: the same list, every page up to
/// [`export::MAX_ROWS`]. Auctions name cases and property, not people: no sensitive read.
async fn export(
    app: &App,
    v: &Viewer,
    f: &ListForm,
    format: Format,
) -> Result<Response, PageError> {
    let mut items: Vec<AuctionItem> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut cut = false;
    loop {
        let listed = svc::auction_page(app, &v.principal, &f.asked(500, cursor.take())).await?;
        items.extend(listed.items);
        if items.len() > export::MAX_ROWS {
            items.truncate(export::MAX_ROWS);
            cut = true;
            break;
        }
        match listed.next_cursor {
            Some(c) if items.len() == export::MAX_ROWS => {
                // Exactly full: one more row would say whether there is more.
                cut = !svc::auction_page(app, &v.principal, &f.asked(1, Some(c)))
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
                a.title.as_str().into(),
                round_zh(&a.round).into(),
                a.case_number.as_str().into(),
                Cell::Int(a.case_id),
                names
                    .get(&a.court_id)
                    .cloned()
                    .unwrap_or_else(|| a.court_id.clone())
                    .into(),
                beijing_us(a.starts_at).into(),
                beijing_us(a.ends_at).into(),
                Cell::Yuan(a.start_price),
                a.current_price
                    .map_or(Cell::Text(String::new()), Cell::Yuan),
                Cell::Int(a.bid_count),
                status_zh(&a.status).into(),
            ]
        })
        .collect();
    let table = Table {
        title: "司法拍卖列表",
        stem: "auctions",
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
