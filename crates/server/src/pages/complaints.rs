//! The case page's section on complaints (执行信访) and recordings (音视频记录): each complaint
//! with its deadlines and result, each recording playable in the browser. The players fetch
//! the content route with the session cookie, in byte ranges; every range played is audited.

use maud::{Markup, html};

use zhixing_app::oversight::complaints::ComplaintView;
use zhixing_app::oversight::recordings::RecordingView;

fn player(r: &RecordingView) -> Markup {
    let src = format!("/api/v1/recordings/{}/content", r.id);
    html! {
        @if zhixing_domain::recording::is_video(&r.content_type) {
            video controls preload="metadata" data-recording=(r.id) src=(src) {}
        } @else {
            audio controls preload="metadata" data-recording=(r.id) src=(src) {}
        }
    }
}

/// The section: complaints, then recordings (those of a complaint name it).
pub(super) fn section(complaints: &[ComplaintView], recordings: &[RecordingView]) -> Markup {
    html! {
        section.card #complaints {
            h2 { "执行信访与音视频记录" }
            @if complaints.is_empty() { p.muted { "暂无信访。" } }
            @else {
                table #complaint-list {
                    tr { th { "编号" } th { "渠道" } th { "信访人" } th { "内容" } th { "收到" } th { "登记期限" } th { "办结期限" } th { "状态" } th { "办理结果" } }
                    @for c in complaints {
                        tr data-complaint=(c.id) data-status=(c.status) {
                            td { (c.id) }
                            td { (c.channel_zh) }
                            td { (c.complainant) }
                            td.findings { (c.summary) }
                            td { (c.received_on) }
                            td { (c.register_due) @if c.registered_late { " " span.badge.late { "逾期登记" } } }
                            td { (c.resolve_due) @if c.overdue { " " span.badge.late { "已逾期" } } }
                            td.status { (c.status_zh) @if let Some(on) = &c.resolved_on { " " span.small.muted { (on) } } }
                            td { (c.result.as_deref().unwrap_or("—")) }
                        }
                    }
                }
            }
            @if recordings.is_empty() { p.muted { "暂无音视频记录。" } }
            @else {
                ul #recording-list {
                    @for r in recordings {
                        li data-recording=(r.id) {
                            strong { (r.kind_zh) } " " (r.name)
                            @if let Some(c) = r.complaint_id { " " span.small.muted { "（信访 " (c) "）" } }
                            br;
                            (player(r))
                            br;
                            span.small.muted { "SHA-256 " code { (r.sha256) } }
                        }
                    }
                }
            }
        }
    }
}
