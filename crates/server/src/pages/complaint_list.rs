//! 执行信访 (/complaints): the complaints of the viewer's court — and, for those who read below
//! it, of the courts below — newest first, open ones filterable, each leading to its case's
//! complaints section, where it is resolved and its recordings uploaded.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use serde::Deserialize;

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
            h1 { "执行信访" }
            form.filters method="get" action="/complaints" {
                label.inline { "状态 " select name="status" {
                    option value="" { "全部" }
                    option value="registered" selected[status == Some("registered")] { "办理中" }
                    option value="resolved" selected[status == Some("resolved")] { "已办结" }
                } }
                button type="submit" { "查询" }
            }
            @if rows.is_empty() { p.muted { "没有符合条件的信访。" } }
            @else {
                div.scroll { table #court-complaints {
                    tr { th { "编号" } th { "渠道" } th { "信访人" } th { "内容" } th { "收到" } th { "办结期限" } th { "状态" } th { "案件" } }
                    @for c in &rows {
                        tr.overdue[c.overdue] data-complaint=(c.id) data-status=(c.status) {
                            td { (c.id) }
                            td { (c.channel_zh) }
                            td { (c.complainant) }
                            td.findings { (c.summary) }
                            td { (c.received_on) }
                            td { (c.resolve_due) @if c.overdue { " " span.badge.late { "已逾期" } } }
                            td.status { (c.status_zh) }
                            td { a href=(format!("/cases/{}#complaints", c.case_id)) { "办理" } }
                        }
                    }
                } }
                @if full { p.small.muted { "仅列出最近的 " (LIMIT) " 件，请按状态筛选。" } }
            }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(v.lang, "执行信访", Some(&v), body),
    ))
}
