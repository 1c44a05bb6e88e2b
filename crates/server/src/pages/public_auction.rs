//! The public auction pages (网络司法拍卖): the list of auctions and the auction room
//! (拍卖厅), the page a bidder lives in during the last minutes — what is sold and on what
//! terms, the countdown to the server's end, the bid log live over the feed, and the
//! bidder's own registration and bids.
//!
//! One command, two doors: registration and bids here build the same `AuctionCommand` as
//! `api/auction.rs` and call the same `disposal::auction::execute`. The bidder's token that
//! registration returns is kept in an HttpOnly cookie for this auction only; every form
//! carries the public form token (`csrf::PublicForm`), and a bid sent by the room's script
//! sends it as `X-CSRF-Token`, with its `Idempotency-Key`.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use maud::{Markup, html};
use serde::{Deserialize, Serialize};

use zhixing_app::AppError;
use zhixing_app::disposal::auction::{
    self as svc, AuctionCommand, Caller, RegistrationView, Room, RoomBid,
};
use zhixing_app::state::App;
use zhixing_domain::auction::beijing_time;
use zhixing_domain::refusal::Params;

use super::cases::{fen_of, yuan};
use super::i18n::Lang;
use super::i18n::zh_en;
use super::{PageLang, layout, page};
use crate::api::auction::StaffSession;
use crate::csrf::PublicForm;

fn status_zh(status: &str, phase: &str) -> &'static str {
    match (status, phase) {
        ("open", "announced") => zh_en("公告中", "Announced"),
        ("open", "bidding") => zh_en("竞价中", "Bidding"),
        ("open", _) => zh_en("竞价结束，待确认", "Bidding ended, to confirm"),
        ("sold", _) => zh_en("已成交", "Sold"),
        ("paid", _) => zh_en("已成交（价款已付清）", "Sold (paid in full)"),
        ("failed", _) => zh_en("流拍", "Unsold"),
        ("defaulted", _) => zh_en("悔拍", "Buyer defaulted"),
        _ => "—",
    }
}

/// A time of the API's views (RFC 3339) in Beijing time to the second, as bidders read it.
fn beijing(rfc3339: &str) -> String {
    rfc3339
        .parse::<Timestamp>()
        .map_or_else(|_| rfc3339.to_owned(), beijing_time)
}

/// The title as the court wrote it, without a round it may already name (a second auction's
/// title often ends in "（二拍）"): the page names the round once, beside it.
fn bare_title<'a>(title: &'a str, round_zh: &str) -> &'a str {
    let suffix = format!("（{round_zh}）");
    title
        .strip_suffix(suffix.as_str())
        .unwrap_or(title)
        .trim_end()
}

/// 网络司法拍卖 — the public list.
pub async fn auctions(State(app): State<App>, PageLang(lang): PageLang) -> Response {
    let list = match svc::public_list(&app, 50).await {
        Ok(l) => l,
        Err(e) => return super::PageError::from(e).into_response(),
    };
    let body = html! {
        section.card #auction-list {
            h1 { (zh_en("网络司法拍卖", "Online judicial auctions")) }
            @if list.is_empty() { p { (zh_en("暂无拍卖。", "No auctions yet.")) } }
            div.scroll {
            table {
                thead { tr { th { (zh_en("标的", "Lot")) } th { (zh_en("轮次", "Round")) } th { (zh_en("状态", "Status")) } th { (zh_en("起拍价", "Starting price")) } th { (zh_en("当前价", "Current price")) } th { (zh_en("竞价开始（北京时间）", "Bidding starts (Beijing time)")) } th { (zh_en("竞价结束（北京时间）", "Bidding ends (Beijing time)")) } } }
                tbody {
                    @for a in &list {
                        tr {
                            td { a href=(format!("/public/auctions/{}", a.id)) { (bare_title(&a.title, &a.round_zh)) } }
                            td { (super::i18n::known(&a.round_zh)) }
                            td { (status_zh(&a.status, &a.phase)) }
                            td.num { (yuan(a.start_price_fen)) }
                            td.num { @if let Some(p) = a.current_price_fen { (yuan(p)) } @else { "—" } }
                            td { (beijing(&a.starts_at)) }
                            td { (beijing(&a.ends_at)) }
                        }
                    }
                }
            }
            }
        }
    };
    page(
        StatusCode::OK,
        layout(
            lang,
            zh_en("网络司法拍卖", "Online judicial auctions"),
            None,
            body,
        ),
    )
}

/// The cookie that keeps a bidder's token for one auction, sent back only to its room.
fn bidder_cookie(id: i64) -> String {
    format!("zx_bidder_{id}")
}

fn bidder_token(parts_headers: &HeaderMap, id: i64) -> Option<String> {
    let name = bidder_cookie(id);
    parts_headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// What the bidder panel shows beside the room.
enum Bidder {
    /// Not registered in this browser: the registration form, with what was typed and why it
    /// was refused, if it was.
    Stranger {
        form: RegisterForm,
        refused: Option<String>,
    },
    /// Registered (or privately refused): the outcome the token's holder may read.
    Known(Box<RegistrationView>),
}

/// The auction room (拍卖厅): the state now, then live through the feed.
pub async fn auction_room(
    State(app): State<App>,
    PageLang(lang): PageLang,
    form: PublicForm,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    let bidder = match bidder_token(&headers, id) {
        Some(token) => match svc::registration(&app, id, &token).await {
            Ok(r) => Bidder::Known(Box::new(r)),
            // A token of another database or an old one: register again.
            Err(_) => Bidder::Stranger {
                form: RegisterForm::default(),
                refused: None,
            },
        },
        None => Bidder::Stranger {
            form: RegisterForm::default(),
            refused: None,
        },
    };
    render_room(&app, lang, &form, id, &bidder, StatusCode::OK, None).await
}

async fn render_room(
    app: &App,
    lang: Lang,
    form: &PublicForm,
    id: i64,
    bidder: &Bidder,
    status: StatusCode,
    bid_result: Option<&BidResult>,
) -> Response {
    let room = match svc::room(app, id).await {
        Ok(r) => r,
        Err(e) => return super::PageError::from(e).into_response(),
    };
    let title = bare_title(&room.auction.title, &room.auction.round_zh).to_owned();
    let body = room_body(lang, &room, &title, form, bidder, bid_result);
    let mut resp = page(status, layout(lang, &title, None, body));
    if let Some(c) = form.set_cookie(app) {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

/// The line that says why the end moved: the last bid that extended it.
fn extension_note(room: &Room) -> Option<String> {
    let mut end = room.scheduled_end;
    let mut last = None;
    for b in &room.bids {
        if b.ends_at != end {
            last = Some(b);
            end = b.ends_at;
        }
    }
    last.map(|b| {
        let (seq, code, at, minutes, ends) = (
            b.seq,
            &b.bidder_code,
            beijing_time(b.at),
            room.extension_minutes,
            beijing_time(b.ends_at),
        );
        if super::i18n::en() {
            format!("Extended: bid no. {seq} ({code}, {at}) came within {minutes} minutes of the end; bidding now ends at {ends}.")
        } else {
            format!("延时：第 {seq} 次出价（{code}，{at}）在结束前 {minutes} 分钟内，竞价结束时间顺延至 {ends}。")
        }
    })
}

fn bid_row(b: &RoomBid) -> Markup {
    html! {
        tr.bid data-seq=(b.seq) {
            td.num { (b.seq) }
            td { (b.bidder_code) @if b.preemptive { (zh_en("（优先购买权人）", " (pre-emption holder)")) } }
            td.num { (yuan(b.amount.get())) }
            td { (beijing_time(b.at)) }
        }
    }
}

fn room_body(
    lang: Lang,
    room: &Room,
    title: &str,
    form: &PublicForm,
    bidder: &Bidder,
    bid_result: Option<&BidResult>,
) -> Markup {
    let a = &room.auction;
    // The extension rule as this auction was announced under: a figure of the rule book.
    let rule = crate::messages::message(
        lang,
        "auction-extension",
        &Params::default().with("minutes", room.extension_minutes),
    )
    .unwrap_or_default();
    let open = a.status == "open";
    let outcome_price = a
        .outcome
        .as_ref()
        .and_then(|o| o.get("price_fen"))
        .and_then(serde_json::Value::as_i64);
    let outcome_winner = a
        .outcome
        .as_ref()
        .and_then(|o| o.get("winner_code"))
        .and_then(serde_json::Value::as_str);
    let last_seq = room.bids.last().map_or(0, |b| b.seq);
    html! {
        section.card #auction-room data-auction=(a.id) data-status=(a.status) data-phase=(a.phase)
            data-live="no" data-after=(room.log_version) data-last-seq=(last_seq)
            data-server-now=(room.server_now.as_millisecond())
            data-starts-at=(room.starts_at.as_millisecond())
            data-ends-at=(room.ends_at.as_millisecond())
            data-scheduled-end=(room.scheduled_end.as_millisecond())
            data-increment=(a.increment_fen) data-start-price=(a.start_price_fen)
            data-extension-minutes=(room.extension_minutes) {
            h1 #auction-title { (title) " " span.badge #auction-round { (super::i18n::known(&a.round_zh)) } }
            p { (zh_en("状态：", "Status: ")) strong #auction-status { (status_zh(&a.status, &a.phase)) }
                " " span #outcome {
                    @if let Some(p) = outcome_price {
                        (zh_en("成交价 ", "Sold for ")) (yuan(p)) @if let Some(w) = outcome_winner { (zh_en("，买受人 ", ", buyer ")) (w) }
                    }
                }
            }
            div.auction-live {
                div.countdown-box {
                    p.small #countdown-label { @if a.phase == "announced" { (zh_en("距竞价开始", "Bidding starts in")) } @else { (zh_en("距竞价结束", "Bidding ends in")) } }
                    p.countdown #countdown role="timer" aria-live="off" { "—" }
                    p { (zh_en("竞价结束（北京时间）：", "Bidding ends (Beijing time): ")) strong #ends-at { (beijing_time(room.ends_at)) } }
                    @if room.ends_at != room.scheduled_end {
                        p.small { (zh_en("原定结束：", "Originally ending: ")) span #scheduled-end { (beijing_time(room.scheduled_end)) } }
                    }
                    p.small #extension-note role="status" { @if let Some(n) = extension_note(room) { (n) } }
                }
                div.price-box {
                    p.small { (zh_en("当前价", "Current price")) }
                    p.current #current-price { @if let Some(p) = a.current_price_fen { (yuan(p)) } @else { "—" } }
                    p.small { (zh_en("出价次数 ", "Bids ")) span #bid-count { (room.bids.len()) } (zh_en(" · 报名 ", " · registered ")) (a.bidders) (zh_en(" 人", "")) }
                }
            }
            p.small #feed-line {
                span #feed-state role="status" { (zh_en("正在连接实时竞价…", "Connecting to live bidding…")) }
                (zh_en(" · 服务器时间 ", " · server time ")) span #server-time { (beijing_time(room.server_now)) }
                " · " span #clock-offset { (zh_en("本机时钟与服务器的差：计算中", "Difference between this device's clock and the server's: measuring")) }
            }
            dl.terms {
                dt { (zh_en("参考价", "Reference price")) } dd #reference-price { (yuan(a.reference_price_fen)) }
                dt { (zh_en("起拍价", "Starting price")) } dd #start-price { (yuan(a.start_price_fen)) }
                dt { (zh_en("加价幅度", "Increment")) } dd #increment { (yuan(a.increment_fen)) }
                dt { (zh_en("保证金", "Deposit")) } dd #deposit { (yuan(a.deposit_fen)) }
                dt { (zh_en("竞价开始（北京时间）", "Bidding starts (Beijing time)")) } dd { (beijing_time(room.starts_at)) }
                dt { (zh_en("公告时间", "Announced")) } dd { (beijing_time(room.announced_at)) }
                @if let Some(n) = &a.case_number { dt { (zh_en("案号", "Case number")) } dd { (n) } }
            }
            p.small { (rule) @if let Some(c) = &room.extension_citation { (zh_en("（依据：", " (under: ")) (c) (zh_en("）", ")")) } }
        }
        (bidder_panel(lang, room, form, bidder, bid_result, open))
        section.card #bid-log-card {
            h2 { (zh_en("竞价记录", "Bids")) }
            p.small { (zh_en("最新出价在前；竞买人只以竞买号显示；时间为北京时间（服务器记录）。", "Latest bid first; bidders are shown by bidder number only; times are Beijing time (as the server recorded them).")) }
            div.scroll {
                table #bid-log {
                    thead { tr { th { (zh_en("序号", "No.")) } th { (zh_en("竞买号", "Bidder no.")) } th { (zh_en("出价", "Bid")) } th { (zh_en("时间", "Time")) } } }
                    tbody #bid-log-body {
                        @for b in room.bids.iter().rev() { (bid_row(b)) }
                    }
                }
            }
            @if room.bids.is_empty() { p #no-bids { (zh_en("暂无出价。", "No bids yet.")) } }
        }
        section.card #item {
            h2 { (zh_en("标的物", "The lot")) }
            p #item-description { (room.description) }
            @if room.files.is_empty() {
                p.small #item-files { (zh_en("法院未上传标的物照片或文件，以上为法院登记的标的物情况；如需看样，请联系承办法院。", "The court uploaded no photos or files of the lot; the above is what the court recorded. To view it, contact the court.")) }
            } @else {
                div #item-files {
                    @for f in room.files.iter().filter(|f| f.content_type.starts_with("image/")) {
                        figure.item-photo {
                            img src=(f.href) alt=(format!("{}{}", zh_en("标的物照片：", "Photo of the lot: "), f.name)) loading="lazy";
                            figcaption.small { (f.name) }
                        }
                    }
                    @let docs: Vec<_> = room.files.iter().filter(|f| !f.content_type.starts_with("image/")).collect();
                    @if !docs.is_empty() {
                        ul #item-documents {
                            @for f in docs {
                                li { a href=(f.href) { (f.name) } " " span.small { "PDF · " (super::file_size(f.size)) } }
                            }
                        }
                    }
                }
            }
        }
        section.card #announcement {
            h2 { (zh_en("拍卖公告", "Auction notice")) }
            p {
                (room.court_name) (zh_en("将于 ", "From ")) (beijing_time(room.starts_at)) (zh_en(" 至 ", " to ")) (beijing_time(room.scheduled_end))
                (zh_en("（北京时间，延时的除外）在本平台对「", " (Beijing time, unless extended) this platform auctions \"")) (title) (zh_en("」进行公开拍卖（", "\" in public (")) (super::i18n::known(&a.round_zh)) (zh_en("）。", ")."))
                (zh_en("起拍价 ", "Starting price ")) (yuan(a.start_price_fen)) (zh_en("，加价幅度 ", ", increment ")) (yuan(a.increment_fen)) (zh_en("，保证金 ", ", deposit ")) (yuan(a.deposit_fen)) (zh_en("。", "."))
                @if let Some(n) = &a.case_number { (zh_en("案号：", "Case number: ")) (n) (zh_en("。", ".")) }
            }
            p { (zh_en("竞买人须实名报名并缴纳保证金，法院确认保证金到账后方可出价。未成交的竞买人所缴保证金在竞价结束后退还。", "Bidders register under their real name and pay the deposit; they may bid once the court confirms it. Deposits of bidders who do not win are returned after bidding ends.")) }
        }
        section.card #notices {
            h2 { (zh_en("特别提示", "Notices")) }
            h3 { (zh_en("标的物瑕疵", "Defects of the lot")) }
            @if room.encumbrances.is_empty() {
                p #defects { (zh_en("法院未登记该标的物的权利负担。标的物按现状拍卖，竞买人应在报名前自行了解标的物状况。", "The court recorded no encumbrance on the lot. It is sold as it is: bidders should learn its condition before registering.")) }
            } @else {
                p { (zh_en("法院登记的权利负担：", "Encumbrances the court recorded: ")) }
                ul #defects { @for e in &room.encumbrances { li { (e) } } }
                p { (zh_en("标的物按现状拍卖，竞买人应在报名前自行了解标的物状况。", "The lot is sold as it is: bidders should learn its condition before registering.")) }
            }
            h3 { (zh_en("优先购买权", "Pre-emption rights")) }
            p #preemptive-notice { (zh_en("经法院确认的优先购买权人可以与当前最高价相同的价格出价；同等价格下优先购买权人优先，顺位在先者优先。出价记录中以「优先购买权人」标明。", "A pre-emption holder confirmed by the court may bid the current highest price; at an equal price the holder wins, the higher-ranked first. Their bids are marked \"pre-emption holder\".")) }
        }
        script src="/static/auction-room.js" defer {}
    }
}

/// The registration form, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct RegisterForm {
    #[serde(default)]
    real_name: String,
    #[serde(default)]
    id_number: String,
}

/// What a bid sent from the page came to, for the bidder.
#[derive(Serialize)]
pub struct BidResult {
    accepted: bool,
    /// The refusal's code, if refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    /// What happened, in the viewer's language (a refusal from the catalogue).
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    ends_at: Option<String>,
}

fn bidder_panel(
    lang: Lang,
    room: &Room,
    form: &PublicForm,
    bidder: &Bidder,
    bid_result: Option<&BidResult>,
    open: bool,
) -> Markup {
    let id = room.auction.id;
    let deposit = yuan(room.auction.deposit_fen);
    html! {
        section.card #bidder {
            h2 { (zh_en("我要竞买", "Bid")) }
            @match bidder {
                Bidder::Stranger { form: typed, refused } => {
                    @if open {
                        p { (zh_en("实名报名后，请按法院要求缴纳保证金 ", "After registering under your real name, pay the deposit of ")) (deposit) (zh_en("；法院确认到账后即可在本页出价。被执行人和本院工作人员不得竞买。", " as the court asks; once the court confirms it you can bid on this page. The respondent and the court's staff may not bid.")) }
                        @if let Some(r) = refused { p.refusal #register-refusal role="alert" { (r) } }
                        form #register-form method="post" action=(format!("/public/auctions/{id}/register")) {
                            (form.token)
                            label { (zh_en("真实姓名或名称", "Real name")) input name="real_name" required autocomplete="name" value=(typed.real_name); }
                            label { (zh_en("居民身份证号码或统一社会信用代码", "ID number or unified social credit code")) input name="id_number" required autocomplete="off" value=(typed.id_number); }
                            button type="submit" { (zh_en("实名报名", "Register")) }
                        }
                    } @else {
                        p { (zh_en("拍卖已结束，不再接受报名。", "The auction has ended: registration is closed.")) }
                    }
                }
                Bidder::Known(r) => {
                    @if r.status == "refused" {
                        p.refusal #register-refusal role="alert" {
                            (zh_en("报名未通过：", "Registration refused: "))
                            (r.refused.as_deref().and_then(|c| crate::messages::message(lang, c, &Params::default())).unwrap_or_default())
                        }
                    } @else {
                        p #my-paddle data-paddle=[r.paddle] {
                            (zh_en("您的竞买号 ", "Your bidder number ")) strong #my-code { (r.paddle.map(|p| format!("P{p:04}")).unwrap_or_default()) }
                            @if let Some(rank) = r.preemptive_rank { (zh_en("（优先购买权人，第 ", " (pre-emption holder, rank ")) (rank) (zh_en(" 顺位）", ")")) }
                        }
                        @if !r.deposit_paid {
                            p #deposit-state data-pending="yes" { (zh_en("保证金 ", "Deposit ")) (deposit) (zh_en(" 尚未确认到账。请以报名人本人名义转账至下列账户；法院确认到账后，本页自动显示出价框。", " not yet confirmed. Transfer it in the registered bidder's own name to the account below; once the court confirms it, this page shows the bid box.")) }
                            @if let Some(a) = &room.deposit_account {
                                dl.terms #deposit-account {
                                    dt { (zh_en("户名", "Account name")) } dd { (a.account_name) }
                                    dt { (zh_en("账号", "Account number")) } dd #deposit-account-number { (a.account_number) }
                                    dt { (zh_en("转账用途（附言）", "Transfer reference")) } dd #deposit-reference { (a.reference) (zh_en(" 拍卖保证金 ", " auction deposit ")) (r.paddle.map(|p| format!("P{p:04}")).unwrap_or_default()) }
                                }
                            }
                        } @else if open {
                            p #deposit-state { (zh_en("保证金 ", "Deposit ")) (deposit) (zh_en(" 已确认到账。", " confirmed.")) }
                            (bid_box(room, form, r, bid_result))
                        } @else {
                            p #deposit-state { (zh_en("保证金 ", "Deposit ")) (deposit) (zh_en(" 已确认到账。未成交的，保证金在竞价结束后退还。", " confirmed. If you do not win, it is returned after bidding ends.")) }
                        }
                    }
                }
            }
        }
    }
}

fn bid_box(
    room: &Room,
    form: &PublicForm,
    r: &RegistrationView,
    bid_result: Option<&BidResult>,
) -> Markup {
    let id = room.auction.id;
    let min = r.next_min_fen.unwrap_or(room.auction.start_price_fen);
    let plain = |fen: i64| yuan(fen).trim_start_matches('¥').replace(',', "");
    html! {
        form #bid-form method="post" action=(format!("/public/auctions/{id}/bid"))
            data-my-code=[r.paddle.map(|p| format!("P{p:04}"))]
            data-preemptive=(r.preemptive_rank.is_some()) {
            (form.token)
            input type="hidden" name="key" value=(zhixing_app::identity::password::new_token());
            p #next-price-line {
                span #leading-note hidden[!r.leading] { (zh_en("您当前为最高出价人。", "You are the highest bidder.")) }
                (zh_en("最低可出价 ", "Lowest bid allowed ")) strong #next-min { (yuan(min)) }
            }
            @if r.preemptive_rank.is_some() {
                p #may-match hidden[r.may_match_fen.is_none()] {
                    (zh_en("您是优先购买权人，可以按当前价 ", "You hold a pre-emption right: you may bid the current price ")) strong #match-price { (r.may_match_fen.map(yuan).unwrap_or_default()) } (zh_en(" 出价（同等价格优先）。", " (you win at an equal price)."))
                }
            }
            label { (zh_en("出价（元）", "Bid (yuan)")) input #bid-amount name="amount" inputmode="decimal" required value=(plain(min)); }
            button #bid-button type="submit" { (zh_en("出价", "Bid")) }
            p #bid-result role="status" data-accepted=[bid_result.map(|b| b.accepted)] {
                @if let Some(b) = bid_result { (b.message) }
            }
        }
    }
}

/// The registration form posted.
pub async fn register_submit(
    State(app): State<App>,
    PageLang(lang): PageLang,
    form: PublicForm,
    StaffSession(staff): StaffSession,
    axum::extract::Path(id): axum::extract::Path<i64>,
    axum::Form(f): axum::Form<TokenAnd<RegisterForm>>,
) -> Response {
    if !form.matches(&app, &f.csrf_token) {
        return refused_form();
    }
    let cmd = AuctionCommand::Register {
        auction_id: id,
        real_name: f.inner.real_name.clone(),
        identifier: f.inner.id_number.clone(),
    };
    let by = staff.as_ref().map_or(Caller::Public, Caller::Court);
    match svc::execute(&app, by, cmd)
        .await
        .and_then(|d| d.registered())
    {
        Ok(c) => {
            let mut resp = Redirect::to(&format!("/public/auctions/{id}#bidder")).into_response();
            let secure = if app.config.secure_cookies {
                "; Secure"
            } else {
                ""
            };
            if let Ok(v) = HeaderValue::from_str(&format!(
                "{}={}; HttpOnly; SameSite=Strict; Path=/public/auctions/{id}{secure}",
                bidder_cookie(id),
                c.token
            )) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            resp
        }
        Err(e @ AppError::Refused(_)) => {
            let words = super::refusal_words(lang, &e);
            let status = crate::error::ApiError::from(e).status;
            let bidder = Bidder::Stranger {
                form: f.inner,
                refused: Some(words),
            };
            render_room(&app, lang, &form, id, &bidder, status, None).await
        }
        Err(e) => super::PageError::from(e).into_response(),
    }
}

/// A form with the public form token beside its fields.
#[derive(Deserialize)]
pub struct TokenAnd<T> {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    inner: T,
}

/// The bid form: the amount in yuan and the idempotency key (the script sends the key as
/// `Idempotency-Key`, and the same key again when it retries).
#[derive(Deserialize, Default)]
pub struct BidForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    key: String,
}

fn refused_form() -> Response {
    crate::error::ApiError::from(AppError::forbidden_as(
        crate::csrf::CODE,
        "refused: the request did not come from the platform's own page or lacks its form token",
    ))
    .into_response()
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// A bid from the page: the same command as `POST /api/v1/auctions/{id}/bids`, with the
/// bidder's token from this auction's cookie. The script asks for JSON; without it the room
/// is drawn again with the answer beside the bid box.
pub async fn bid_submit(
    State(app): State<App>,
    PageLang(lang): PageLang,
    form: PublicForm,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<i64>,
    axum::Form(f): axum::Form<TokenAnd<BidForm>>,
) -> Response {
    let given = headers
        .get(crate::csrf::HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or(&f.csrf_token);
    if !form.matches(&app, given) {
        return refused_form();
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| f.inner.key.clone(), str::to_owned);
    let token = bidder_token(&headers, id).unwrap_or_default();
    let outcome = match fen_of(zh_en("出价", "Bid"), &f.inner.amount) {
        Err(words) => Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount_text_invalid".to_owned(),
            words,
        )),
        Ok(amount_fen) => {
            let cmd = AuctionCommand::Bid {
                auction_id: id,
                key: Some(key),
                amount_fen,
            };
            match svc::execute(&app, Caller::Bidder { token: &token }, cmd)
                .await
                .and_then(|d| d.bid())
            {
                Ok(b) => Ok(b),
                Err(e) => {
                    let words = super::refusal_words(lang, &e);
                    let api = crate::error::ApiError::from(e);
                    Err((api.status, api.code.to_string(), words))
                }
            }
        }
    };
    let (status, result) = match outcome {
        Ok(b) => (
            if b.new {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            },
            BidResult {
                accepted: true,
                code: None,
                message: if super::i18n::en() {
                    format!(
                        "Bid accepted: {} (bid no. {}, {}).",
                        yuan(b.amount_fen),
                        b.seq,
                        beijing(&b.at)
                    )
                } else {
                    format!(
                        "出价已被接受：{}（第 {} 次出价，{}）。",
                        yuan(b.amount_fen),
                        b.seq,
                        beijing(&b.at)
                    )
                },
                ends_at: Some(beijing(&b.ends_at)),
            },
        ),
        Err((status, code, words)) => (
            status,
            BidResult {
                accepted: false,
                code: Some(code),
                message: if super::i18n::en() {
                    format!("Bid not accepted: {words}")
                } else {
                    format!("出价未被接受：{words}")
                },
                ends_at: None,
            },
        ),
    };
    if wants_json(&headers) {
        return (status, axum::Json(result)).into_response();
    }
    let bidder = match svc::registration(&app, id, &token).await {
        Ok(r) => Bidder::Known(Box::new(r)),
        Err(_) => Bidder::Stranger {
            form: RegisterForm::default(),
            refused: None,
        },
    };
    render_room(&app, lang, &form, id, &bidder, status, Some(&result)).await
}

/// The registration of this browser's bidder, for the room's script (it waits for the
/// court to confirm the deposit): the same outcome `GET /public/v1/auctions/{id}/registration`
/// gives the token's holder, with the token from this auction's cookie.
pub async fn my_registration(
    State(app): State<App>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    let token = bidder_token(&headers, id).unwrap_or_default();
    match svc::registration(&app, id, &token).await {
        Ok(r) => axum::Json(r).into_response(),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}
