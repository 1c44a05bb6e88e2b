//! The public auction pages (网络司法拍卖): the list of auctions and the live auction room.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

use zhixing_domain::refusal::Params;

use super::cases::yuan;
use super::{PageLang, layout, page};
use zhixing_app::state::App;

fn status_zh(status: &str, phase: &str) -> &'static str {
    match (status, phase) {
        ("open", "announced") => "公告中",
        ("open", "bidding") => "竞价中",
        ("open", _) => "竞价结束，待确认",
        ("sold", _) => "已成交",
        ("paid", _) => "已成交（价款已付清）",
        ("failed", _) => "流拍",
        ("defaulted", _) => "悔拍",
        _ => "—",
    }
}

/// 网络司法拍卖 — the public list.
pub async fn auctions(State(app): State<App>, PageLang(lang): PageLang) -> Response {
    let list = match zhixing_app::disposal::auction::public_list(&app, 50).await {
        Ok(l) => l,
        Err(e) => return super::PageError::from(e).into_response(),
    };
    let body = html! {
        section.card #auction-list {
            h1 { "网络司法拍卖" }
            @if list.is_empty() { p { "暂无拍卖。" } }
            table {
                thead { tr { th { "标的" } th { "轮次" } th { "状态" } th { "起拍价（元）" } th { "当前价（元）" } th { "竞价开始" } th { "竞价结束" } } }
                tbody {
                    @for a in &list {
                        tr {
                            td { a href=(format!("/public/auctions/{}", a.id)) { (a.title) } }
                            td { (a.round_zh) }
                            td { (status_zh(&a.status, &a.phase)) }
                            td { (yuan(a.start_price_fen)) }
                            td { @if let Some(p) = a.current_price_fen { (yuan(p)) } @else { "—" } }
                            td { (a.starts_at) }
                            td { (a.ends_at) }
                        }
                    }
                }
            }
        }
    };
    page(StatusCode::OK, layout(lang, "网络司法拍卖", None, body))
}

/// The live auction room (拍卖直播间): the state now, then live through the feed.
pub async fn auction_room(
    State(app): State<App>,
    PageLang(lang): PageLang,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    let (a, extension_minutes) = match zhixing_app::disposal::auction::room(&app, id).await {
        Ok(r) => (r.auction, r.extension_minutes),
        Err(e) => return super::PageError::from(e).into_response(),
    };
    // The extension rule as this auction was announced under: a figure of the rule book.
    let rule = crate::messages::message(
        lang,
        "auction-extension",
        &Params::default().with("minutes", extension_minutes),
    )
    .unwrap_or_default();
    let body = html! {
        section.card #auction-room data-auction=(a.id) data-status=(a.status) {
            h1 { (a.title) " " small { "（" (a.round_zh) "）" } }
            p { "状态：" strong #auction-status { (status_zh(&a.status, &a.phase)) } " " span #outcome {
                @if let Some(o) = &a.outcome { @if let Some(p) = o.get("price_fen").and_then(|v| v.as_i64()) { "成交价 " (yuan(p)) " 元" } } } }
            dl {
                dt { "参考价" } dd { (yuan(a.reference_price_fen)) " 元" }
                dt { "起拍价" } dd { (yuan(a.start_price_fen)) " 元" }
                dt { "加价幅度" } dd { (yuan(a.increment_fen)) " 元" }
                dt { "保证金" } dd { (yuan(a.deposit_fen)) " 元" }
                dt { "当前价" } dd { strong #current-price { @if let Some(p) = a.current_price_fen { (yuan(p)) } @else { "—" } } " 元" }
                dt { "竞价开始" } dd { (a.starts_at) }
                dt { "竞价结束" } dd #ends-at { (a.ends_at) }
                dt { "出价次数" } dd #bid-count { (a.bids.len()) }
            }
            p.small { "服务器时间 " (a.server_time) "。" (rule) }
            h2 { "竞价记录" }
            table #bid-log {
                thead { tr { th { "序号" } th { "竞买号" } th { "出价（元）" } th { "时间" } } }
                tbody #bid-log-body {
                    @for b in a.bids.iter().rev() {
                        tr.bid { td { (b.seq) } td { (b.bidder_code) @if b.preemptive { "（优先购买权人）" } } td { (yuan(b.amount_fen)) } td { (b.at) } }
                    }
                }
            }
            @if a.bids.is_empty() { p #no-bids { "暂无出价。" } }
        }
        script src="/static/auction-room.js" defer {}
    };
    page(StatusCode::OK, layout(lang, &a.title, None, body))
}
