//! The case page's section for the command centre (指挥中心): the supervision orders (督办)
//! about the case and the tasks entrusted for it to other courts (事项委托), read-only — the
//! commands go through the API (`/api/v1/supervisions…`, `/api/v1/entrusted-tasks…`).

use maud::{Markup, html};
use zhixing_domain::access::Principal;

use crate::error::ApiError;
use zhixing_app::oversight::entrusted::{self, TaskView};
use zhixing_app::oversight::supervision::{self, SupervisionView};
use zhixing_app::state::App;

/// What the section shows, loaded with the caller's rights (the case is already readable).
pub struct Loaded {
    orders: Vec<SupervisionView>,
    tasks: Vec<TaskView>,
}

pub async fn load(app: &App, by: &Principal, case_id: i64) -> Result<Loaded, ApiError> {
    Ok(Loaded {
        orders: supervision::of_case(app, by, case_id).await?,
        tasks: entrusted::of_case(app, by, case_id).await?,
    })
}

pub fn section(l: &Loaded) -> Markup {
    html! {
        section.card #command {
            h2 { "督办与事项委托" }
            h3 { "督办" }
            @if l.orders.is_empty() { p.muted { "暂无。" } }
            @else {
                table #supervision-list {
                    tr { th { "督办法院" } th { "事项" } th { "期限" } th { "状态" } th { "回复" } }
                    @for o in &l.orders {
                        tr data-supervision=(o.id) data-status=(o.status) {
                            td { (o.issuer_court_name) }
                            td { strong { (o.title) } br; span.small { (o.instructions) } }
                            td { (o.deadline) @if o.overdue { " " span.badge.late { "逾期" } } }
                            td.status { (o.status_zh) }
                            td.small { @for n in o.notes.iter().filter(|n| n.kind == "reply") { p { (n.body) } } }
                        }
                    }
                }
            }
            h3 { "事项委托" }
            @if l.tasks.is_empty() { p.muted { "暂无。" } }
            @else {
                table #entrusted-list {
                    tr { th { "受托法院" } th { "事项" } th { "对象" } th { "办理期限" } th { "状态" } th { "结果" } }
                    @for t in &l.tasks {
                        tr data-entrusted-task=(t.id) data-status=(t.status) {
                            td { (t.to_court_name) }
                            td { (t.act_zh) }
                            td.small { (t.target) }
                            td { (t.due_on) @if t.overdue { " " span.badge.late { "逾期" } } }
                            td.status { (t.status_zh) }
                            td.small {
                                @if let Some(r) = &t.result { (r) }
                                @if let Some(r) = &t.decline_reason { "拒收：" (r) }
                                @if !t.documents.is_empty() { ul { @for d in &t.documents {
                                    li { a href=(d.url) { (d.name) } }
                                } } }
                            }
                        }
                    }
                }
            }
        }
    }
}
