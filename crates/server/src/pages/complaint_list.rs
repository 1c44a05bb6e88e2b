//! 执行信访 (/complaints): the complaints of the viewer's court — and, for those who read below
//! it, of the courts below — newest first, open ones filterable, each leading to its case's
//! complaints section, where it is resolved and its recordings uploaded.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::i18n::zh_en;
use super::{PageError, Viewer, layout, page};
use crate::error::Query;
use zhixing_app::oversight::complaints as svc;
use zhixing_app::state::App;

/// The most complaints the page lists (the app's list limit).
const LIMIT: i64 = 500;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// registered (办理中) or resolved (已办结); empty for both.
    #[serde(default)]
    status: String,
}

pub async fn list(
    State(app): State<App>,
    v: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let status = match q.status.as_str() {
        "registered" | "resolved" => Some(q.status.as_str()),
        _ => None,
    };
    let rows = svc::of_court(&app, &v.principal, None, status, LIMIT).await?;
    let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= LIMIT;
    let body = html! {
        section.card #complaints-list-page {
            h1 { (zh_en("执行信访", "Enforcement complaints")) }
            form.filters method="get" action="/complaints" {
                label.inline { (zh_en("状态 ", "Status ")) select name="status" {
                    option value="" { (zh_en("全部", "All")) }
                    option value="registered" selected[status == Some("registered")] { (zh_en("办理中", "In progress")) }
                    option value="resolved" selected[status == Some("resolved")] { (zh_en("已办结", "Closed")) }
                } }
                button type="submit" { (zh_en("查询", "Search")) }
            }
            @if rows.is_empty() { p.muted { (zh_en("没有符合条件的信访。", "No complaints match.")) } }
            @else {
                div.scroll { table #court-complaints {
                    tr { th { (zh_en("编号", "No.")) } th { (zh_en("渠道", "Channel")) } th { (zh_en("信访人", "Complainant")) } th { (zh_en("内容", "Content")) } th { (zh_en("收到", "Received")) } th { (zh_en("办结期限", "Close by")) } th { (zh_en("状态", "Status")) } th { (zh_en("案件", "Cases")) } }
                    @for c in &rows {
                        tr.overdue[c.overdue] data-complaint=(c.id) data-status=(c.status) {
                            td { (c.id) }
                            td { (super::i18n::known(&c.channel_zh)) }
                            td { (c.complainant) }
                            td.findings { (c.summary) }
                            td { (c.received_on) }
                            td { (c.resolve_due) @if c.overdue { " " span.badge.late { (zh_en("已逾期", "Overdue")) } } }
                            td.status { (super::i18n::known(&c.status_zh)) }
                            td { a href=(format!("/cases/{}#complaints", c.case_id)) { (zh_en("办理", "Handle")) } }
                        }
                    }
                } }
                @if full { p.small.muted { (zh_en("仅列出最近的 ", "Only the latest ")) (LIMIT) (zh_en(" 件，请按状态筛选。", " are listed: filter by status.")) } }
            }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(
            v.lang,
            zh_en("执行信访", "Enforcement complaints"),
            Some(&v),
            body,
        ),
    ))
}
