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
use super::{PageLang, layout, page};
use crate::api::auction::StaffSession;
use crate::csrf::PublicForm;

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
            h1 { "网络司法拍卖" }
            @if list.is_empty() { p { "暂无拍卖。" } }
            div.scroll {
            table {
                thead { tr { th { "标的" } th { "轮次" } th { "状态" } th { "起拍价" } th { "当前价" } th { "竞价开始（北京时间）" } th { "竞价结束（北京时间）" } } }
                tbody {
                    @for a in &list {
                        tr {
                            td { a href=(format!("/public/auctions/{}", a.id)) { (bare_title(&a.title, &a.round_zh)) } }
                            td { (a.round_zh) }
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
    page(StatusCode::OK, layout(lang, "网络司法拍卖", None, body))
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
        format!(
            "延时：第 {} 次出价（{}，{}）在结束前 {} 分钟内，竞价结束时间顺延至 {}。",
            b.seq,
            b.bidder_code,
            beijing_time(b.at),
            room.extension_minutes,
            beijing_time(b.ends_at)
        )
    })
}

fn bid_row(b: &RoomBid) -> Markup {
    html! {
        tr.bid data-seq=(b.seq) {
            td.num { (b.seq) }
            td { (b.bidder_code) @if b.preemptive { "（优先购买权人）" } }
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
            h1 #auction-title { (title) " " span.badge #auction-round { (a.round_zh) } }
            p { "状态：" strong #auction-status { (status_zh(&a.status, &a.phase)) }
                " " span #outcome {
                    @if let Some(p) = outcome_price {
                        "成交价 " (yuan(p)) @if let Some(w) = outcome_winner { "，买受人 " (w) }
                    }
                }
            }
            div.auction-live {
                div.countdown-box {
                    p.small #countdown-label { @if a.phase == "announced" { "距竞价开始" } @else { "距竞价结束" } }
                    p.countdown #countdown role="timer" aria-live="off" { "—" }
                    p { "竞价结束（北京时间）：" strong #ends-at { (beijing_time(room.ends_at)) } }
                    @if room.ends_at != room.scheduled_end {
                        p.small { "原定结束：" span #scheduled-end { (beijing_time(room.scheduled_end)) } }
                    }
                    p.small #extension-note role="status" { @if let Some(n) = extension_note(room) { (n) } }
                }
                div.price-box {
                    p.small { "当前价" }
                    p.current #current-price { @if let Some(p) = a.current_price_fen { (yuan(p)) } @else { "—" } }
                    p.small { "出价次数 " span #bid-count { (room.bids.len()) } " · 报名 " (a.bidders) " 人" }
                }
            }
            p.small #feed-line {
                span #feed-state role="status" { "正在连接实时竞价…" }
                " · 服务器时间 " span #server-time { (beijing_time(room.server_now)) }
                " · " span #clock-offset { "本机时钟与服务器的差：计算中" }
            }
            dl.terms {
                dt { "参考价" } dd #reference-price { (yuan(a.reference_price_fen)) }
                dt { "起拍价" } dd #start-price { (yuan(a.start_price_fen)) }
                dt { "加价幅度" } dd #increment { (yuan(a.increment_fen)) }
                dt { "保证金" } dd #deposit { (yuan(a.deposit_fen)) }
                dt { "竞价开始（北京时间）" } dd { (beijing_time(room.starts_at)) }
                dt { "公告时间" } dd { (beijing_time(room.announced_at)) }
                @if let Some(n) = &a.case_number { dt { "案号" } dd { (n) } }
            }
            p.small { (rule) @if let Some(c) = &room.extension_citation { "（依据：" (c) "）" } }
        }
        (bidder_panel(lang, room, form, bidder, bid_result, open))
        section.card #bid-log-card {
            h2 { "竞价记录" }
            p.small { "最新出价在前；竞买人只以竞买号显示；时间为北京时间（服务器记录）。" }
            div.scroll {
                table #bid-log {
                    thead { tr { th { "序号" } th { "竞买号" } th { "出价" } th { "时间" } } }
                    tbody #bid-log-body {
                        @for b in room.bids.iter().rev() { (bid_row(b)) }
                    }
                }
            }
            @if room.bids.is_empty() { p #no-bids { "暂无出价。" } }
        }
        section.card #item {
            h2 { "标的物" }
            p #item-description { (room.description) }
            p.small #item-files { "法院未上传标的物照片或文件，以上为法院登记的标的物情况；如需看样，请联系承办法院。" }
        }
        section.card #announcement {
            h2 { "拍卖公告" }
            p {
                (room.court_name) "将于 " (beijing_time(room.starts_at)) " 至 " (beijing_time(room.scheduled_end))
                "（北京时间，延时的除外）在本平台对「" (title) "」进行公开拍卖（" (a.round_zh) "）。"
                "起拍价 " (yuan(a.start_price_fen)) "，加价幅度 " (yuan(a.increment_fen)) "，保证金 " (yuan(a.deposit_fen)) "。"
                @if let Some(n) = &a.case_number { "案号：" (n) "。" }
            }
            p { "竞买人须实名报名并缴纳保证金，法院确认保证金到账后方可出价。未成交的竞买人所缴保证金在竞价结束后退还。" }
        }
        section.card #notices {
            h2 { "特别提示" }
            h3 { "标的物瑕疵" }
            @if room.encumbrances.is_empty() {
                p #defects { "法院未登记该标的物的权利负担。标的物按现状拍卖，竞买人应在报名前自行了解标的物状况。" }
            } @else {
                p { "法院登记的权利负担：" }
                ul #defects { @for e in &room.encumbrances { li { (e) } } }
                p { "标的物按现状拍卖，竞买人应在报名前自行了解标的物状况。" }
            }
            h3 { "优先购买权" }
            p #preemptive-notice { "经法院确认的优先购买权人可以与当前最高价相同的价格出价；同等价格下优先购买权人优先，顺位在先者优先。出价记录中以「优先购买权人」标明。" }
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
            h2 { "我要竞买" }
            @match bidder {
                Bidder::Stranger { form: typed, refused } => {
                    @if open {
                        p { "实名报名后，请按法院要求缴纳保证金 " (deposit) "；法院确认到账后即可在本页出价。被执行人和本院工作人员不得竞买。" }
                        @if let Some(r) = refused { p.refusal #register-refusal role="alert" { (r) } }
                        form #register-form method="post" action=(format!("/public/auctions/{id}/register")) {
                            (form.token)
                            label { "真实姓名或名称" input name="real_name" required autocomplete="name" value=(typed.real_name); }
                            label { "居民身份证号码或统一社会信用代码" input name="id_number" required autocomplete="off" value=(typed.id_number); }
                            button type="submit" { "实名报名" }
                        }
                    } @else {
                        p { "拍卖已结束，不再接受报名。" }
                    }
                }
                Bidder::Known(r) => {
                    @if r.status == "refused" {
                        p.refusal #register-refusal role="alert" {
                            "报名未通过："
                            (r.refused.as_deref().and_then(|c| crate::messages::message(lang, c, &Params::default())).unwrap_or_default())
                        }
                    } @else {
                        p #my-paddle data-paddle=[r.paddle] {
                            "您的竞买号 " strong #my-code { (r.paddle.map(|p| format!("P{p:04}")).unwrap_or_default()) }
                            @if let Some(rank) = r.preemptive_rank { "（优先购买权人，第 " (rank) " 顺位）" }
                        }
                        @if !r.deposit_paid {
                            p #deposit-state data-pending="yes" { "保证金 " (deposit) " 尚未确认到账。请按法院告知的账户缴纳；法院确认到账后，本页自动显示出价框。" }
                        } @else if open {
                            p #deposit-state { "保证金 " (deposit) " 已确认到账。" }
                            (bid_box(room, form, r, bid_result))
                        } @else {
                            p #deposit-state { "保证金 " (deposit) " 已确认到账。未成交的，保证金在竞价结束后退还。" }
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
                span #leading-note hidden[!r.leading] { "您当前为最高出价人。" }
                "最低可出价 " strong #next-min { (yuan(min)) }
            }
            @if r.preemptive_rank.is_some() {
                p #may-match hidden[r.may_match_fen.is_none()] {
                    "您是优先购买权人，可以按当前价 " strong #match-price { (r.may_match_fen.map(yuan).unwrap_or_default()) } " 出价（同等价格优先）。"
                }
            }
            label { "出价（元）" input #bid-amount name="amount" inputmode="decimal" required value=(plain(min)); }
            button #bid-button type="submit" { "出价" }
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
    let outcome = match fen_of("出价", &f.inner.amount) {
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
                message: format!(
                    "出价已被接受：{}（第 {} 次出价，{}）。",
                    yuan(b.amount_fen),
                    b.seq,
                    beijing(&b.at)
                ),
                ends_at: Some(beijing(&b.ends_at)),
            },
        ),
        Err((status, code, words)) => (
            status,
            BidResult {
                accepted: false,
                code: Some(code),
                message: format!("出价未被接受：{words}"),
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
