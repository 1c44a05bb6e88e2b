//! The case page's auction section (拍卖): for each seized or detained asset its price
//! determination (参考价) with the forms of the method in use, the announcement of an auction
//! once a usable reference price exists, and each auction of the case with the court's forms
//! (deposits, preemptive holders, balance, default). Every form calls the same service as the
//! JSON API; a refused form shows the case page again with the reason in Chinese, anything
//! else redirects back to the case page (POST-redirect-GET), as the credit section does.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_domain::auction::Round;
use zhixing_domain::money::Fen;
use zhixing_domain::valuation::{Objection, PriceMethod};
use zhixing_store::investigation::AssetRow;

use super::cases::{fen_of, yuan};
use super::control::asset_kind_zh;
use super::{PageError, Viewer};
use crate::error::{ApiError, Path};
use zhixing_app::case as cases_svc;
use zhixing_app::disposal::auction::{self as auction_svc, AuctionView, PlanIn};
use zhixing_app::disposal::valuation::{self as valuation_svc, Command, ValuationView};
use zhixing_app::state::App;

/// Court times are entered and shown in Beijing time (UTC+8, no daylight saving), whatever
/// the server's zone: a `datetime-local` input carries no offset of its own.
fn beijing() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::fixed(jiff::tz::offset(8))
}

/// An RFC 3339 time from the services, as Beijing wall time for the page.
fn bj(ts: &str) -> String {
    ts.parse::<Timestamp>()
        .map(|t| t.to_zoned(beijing()).strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| ts.to_owned())
}

/// What a seized or detained asset shows: the asset, its latest determination, its auctions.
pub(super) struct Priced {
    asset: AssetRow,
    valuation: Option<ValuationView>,
    /// The latest auction of the asset, which decides whether and which round may follow.
    last_auction: Option<(i64, String, String)>,
}

/// What the auction section is drawn from.
pub(super) struct Section {
    assets: Vec<Priced>,
    auctions: Vec<AuctionView>,
}

/// Loads the section: the assets under an active seizure or detention of the case (only they
/// may be priced and sold), their determinations, and the case's auctions.
pub(super) async fn load(app: &App, v: &Viewer, id: i64) -> Result<Section, ApiError> {
    let measures = app.store.measures_of(id).await?;
    let auctions = auction_svc::of_case(app, &v.principal, id).await?;
    let mut assets = Vec::new();
    for a in app.store.assets_of(id).await? {
        let held = measures.iter().any(|m| {
            m.asset_id == a.id
                && m.status == "active"
                && matches!(m.kind.as_str(), "seize" | "detain")
        });
        if !held {
            continue;
        }
        let valuation = match valuation_svc::of_asset(app, &v.principal, a.id).await {
            Ok(val) => Some(val),
            Err(e) if e.code() == "valuation_not_found" => None,
            Err(e) => return Err(e.into()),
        };
        let last_auction = auctions
            .iter()
            .filter(|x| x.asset_id == a.id)
            .max_by_key(|x| x.id)
            .map(|x| (x.id, x.round.clone(), x.status.clone()));
        assets.push(Priced {
            asset: a,
            valuation,
            last_auction,
        });
    }
    Ok(Section { assets, auctions })
}

fn unusable_zh(v: &ValuationView) -> String {
    match v.unusable.as_ref().map(|u| u.code.as_str()) {
        Some("objection_pending") => "当事人提出异议，审查中".into(),
        Some("objection_period_open") => {
            match v.state.result.as_ref().and_then(|r| r.objection_until) {
                Some(d) => format!("异议期内（至 {d}），期满后可用"),
                None => "异议期内，期满后可用".into(),
            }
        }
        Some("reference_price_expired") => "参考价已过有效期，须重新确定".into(),
        _ => "尚未确定".into(),
    }
}

/// The round the next announcement of an asset would be, if one may be made now: the first
/// from a usable reference price (also after a default), the next after a failed round; none
/// while the property is on sale or sold.
fn next_round(p: &Priced) -> Option<Round> {
    let usable = p
        .valuation
        .as_ref()
        .is_some_and(|v| v.reference_price.is_some());
    match p
        .last_auction
        .as_ref()
        .map(|(_, r, s)| (r.as_str(), s.as_str()))
    {
        None | Some((_, "defaulted")) => usable.then_some(Round::First),
        Some(("first", "failed")) => Some(Round::Second),
        Some(("second", "failed")) => Some(Round::SellOff),
        _ => None,
    }
}

fn status_zh(s: &str) -> &'static str {
    match s {
        "open" => "进行中",
        "sold" => "已成交，待付尾款",
        "failed" => "流拍",
        "paid" => "已付清",
        "defaulted" => "悔拍",
        _ => "",
    }
}

fn phase_zh(s: &str) -> &'static str {
    match s {
        "announced" => "公告期",
        "bidding" => "竞价中",
        "ended" => "竞价结束，待确认",
        "closed" => "已结束",
        _ => "",
    }
}

fn valuation_forms(id: i64, v: &ValuationView) -> Markup {
    let base = format!("/cases/{id}/valuations/{}", v.id);
    let later: Vec<PriceMethod> = PriceMethod::ALL
        .into_iter()
        .filter(|m| *m > v.state.method)
        .collect();
    let answered: Vec<&str> = v
        .state
        .enquiry
        .as_ref()
        .map(|q| q.answers.iter().map(|a| a.platform.as_str()).collect())
        .unwrap_or_default();
    html! {
        @match v.state.method {
            PriceMethod::Agreement => {
                form.agreement method="post" action=(format!("{base}/agreement")) {
                    input type="hidden" name="version" value=(v.version);
                    label { "议定价格（元）" input name="price" required inputmode="decimal"; }
                    label { "有效至（可空）" input type="date" name="valid_until"; }
                    button type="submit" { "记录议价结果" }
                }
            }
            PriceMethod::TargetedEnquiry => {
                form.targeted method="post" action=(format!("{base}/targeted-answer")) {
                    input type="hidden" name="version" value=(v.version);
                    label { "询价机构" input name="agency" required maxlength="200"; }
                    label { "价格（元）" input name="price" required inputmode="decimal"; }
                    label { "有效至（可空）" input type="date" name="valid_until"; }
                    button type="submit" { "记录定向询价结果" }
                }
            }
            PriceMethod::OnlineEnquiry => {
                @if let Some(q) = &v.state.enquiry {
                    @let open: Vec<&String> = q.platforms.iter().filter(|p| !answered.contains(&p.as_str())).collect();
                    @if !open.is_empty() {
                        form.platform-answer method="post" action=(format!("{base}/platform-answers")) {
                            input type="hidden" name="version" value=(v.version);
                            label { "询价平台" select name="platform" { @for p in &open { option value=(p) { (p) } } } }
                            label { "询价结果（元）" input name="price" required inputmode="decimal"; }
                            label { "有效至（可空）" input type="date" name="valid_until"; }
                            button type="submit" { "记录平台答复" }
                        }
                    }
                    form.conclude method="post" action=(format!("{base}/conclusion")) {
                        input type="hidden" name="version" value=(v.version);
                        button type="submit" { "出具询价结果（按期答复的平均价）" }
                    }
                } @else {
                    form.enquiry method="post" action=(format!("{base}/enquiry")) {
                        input type="hidden" name="version" value=(v.version);
                        label { "询价平台（以、分隔）" input name="platforms" required maxlength="600"; }
                        button type="submit" { "委托网络询价" }
                    }
                }
            }
            PriceMethod::Appraisal => {
                @if v.state.appraisal.is_some() {
                    form.appraisal-report method="post" action=(format!("{base}/appraisal-report")) {
                        input type="hidden" name="version" value=(v.version);
                        label { "评估价（元）" input name="price" required inputmode="decimal"; }
                        label { "有效至（可空）" input type="date" name="valid_until"; }
                        button type="submit" { "记录评估报告" }
                    }
                } @else {
                    form.appraisal method="post" action=(format!("{base}/appraisal")) {
                        input type="hidden" name="version" value=(v.version);
                        label { "评估机构" input name="appraiser" required maxlength="200"; }
                        button type="submit" { "委托评估" }
                    }
                }
            }
        }
        @if !later.is_empty() {
            form.move method="post" action=(format!("{base}/move")) {
                input type="hidden" name="version" value=(v.version);
                label { "改用" select name="to" { @for m in &later { option value=(m.as_str()) { (m.name_zh()) } } } }
                label { "理由" select name="reason" {
                    option value="failed" { "本方式不能或者不成" }
                    option value="parties_request" { "双方当事人一致要求" }
                    option value="required_by_law" { "法律、行政法规规定必须委托评估" }
                } }
                button type="submit" { "转入下一方式" }
            }
        }
    }
}

fn announce_form(id: i64, p: &Priced, round: Round) -> Markup {
    let reference = p
        .valuation
        .as_ref()
        .and_then(|v| v.reference_price)
        .map(|r| yuan(r.price.get()));
    html! {
        form.announce method="post" action=(format!("/cases/{id}/assets/{}/auctions", p.asset.id)) {
            h4 { "发布拍卖公告" @if let Some(r) = &reference { span.small.muted { "（参考价 " (r) "）" } } }
            label { "轮次" select name="round" {
                @for r in [Round::First, Round::Second, Round::SellOff] {
                    option value=(r.as_str()) selected[r == round] { (r.name_zh()) }
                }
            } }
            label { "标的名称" input name="title" required maxlength="200" value=(p.asset.description); }
            label { "起拍价（元）" input name="start_price" inputmode="decimal"; }
            label { "加价幅度（元）" input name="increment" inputmode="decimal"; }
            label { "保证金（元）" input name="deposit" inputmode="decimal"; }
            label { "竞价开始（北京时间）" input type="datetime-local" name="starts_at"; }
            label { "竞价结束（北京时间）" input type="datetime-local" name="ends_at"; }
            label { "尾款期限（成交后天数）" input type="number" name="balance_days" min="1" max="90" value="10"; }
            button type="submit" { "发布拍卖公告" }
        }
    }
}

fn auction_forms(id: i64, a: &AuctionView) -> Markup {
    let base = format!("/cases/{id}/auctions/{}", a.id);
    html! {
        @if a.status == "open" && a.phase != "closed" {
            form.deposit method="post" action=(format!("{base}/deposits")) {
                label { "竞买号" input name="paddle" required inputmode="numeric" size="4"; }
                label { "保证金（元）" input name="amount" required inputmode="decimal" value=(plain(a.deposit_fen)); }
                label { "银行流水号" input name="reference" required maxlength="100"; }
                button type="submit" { "登记保证金" }
            }
            form.holder method="post" action=(format!("{base}/preemptive-holders")) {
                label { "竞买号" input name="paddle" required inputmode="numeric" size="4"; }
                label { "顺位" input type="number" name="rank" required min="1" value="1"; }
                button type="submit" { "登记优先购买权人" }
            }
        }
        @if a.status == "sold" {
            form.balance method="post" action=(format!("{base}/balance")) {
                label { "尾款（元）" input name="amount" required inputmode="decimal"; }
                label { "银行流水号" input name="reference" required maxlength="100"; }
                button type="submit" { "登记尾款" }
            }
            form.default method="post" action=(format!("{base}/default")) {
                button type="submit" { "登记悔拍（逾期未付尾款）" }
            }
        }
    }
}

pub(super) fn section(s: &Section, id: i64, can_act: bool, error: Option<&str>) -> Markup {
    html! {
        section.card #auctions {
            h2 { "拍卖（参考价、网络司法拍卖）" }
            @if let Some(e) = error {
                div.error #auction-error role="alert" { "未能办理：" (e) }
            }
            h3 { "查封、扣押的财产" }
            @if s.assets.is_empty() { p.muted { "暂无查封、扣押的财产。" } }
            @for p in &s.assets {
                div.priced-asset data-asset=(p.asset.id) {
                    h4 { (asset_kind_zh(&p.asset.kind)) " " code { (p.asset.reference) } " " (p.asset.description) }
                    @match &p.valuation {
                        None => {
                            p.valuation-state { "参考价：尚未启动确定程序。" }
                            @if can_act {
                                form.start-valuation method="post" action=(format!("/cases/{id}/assets/{}/valuation", p.asset.id)) {
                                    button type="submit" { "启动参考价确定" }
                                }
                            }
                        }
                        Some(v) => {
                            p.valuation-state data-valuation=(v.id) data-status=(v.status) {
                                "确定方式：" strong { (v.method_zh) } " · "
                                (if v.status == "determined" { "已确定" } else { "进行中" })
                                @if v.late_start { " " span.badge.late { "逾期启动" } }
                            }
                            p.price-line {
                                @if let Some(r) = &v.reference_price {
                                    "参考价 " strong.reference-price { (yuan(r.price.get())) } "（" (r.method.name_zh()) "，" (r.determined_on) " 确定，有效至 " (r.valid_until) "）"
                                } @else {
                                    "参考价：" (unusable_zh(v))
                                }
                            }
                            ul.small.due-dates {
                                li { "启动期限：" (v.state.start_due) "（查封、扣押于 " (v.state.seized_on) "，" (v.state.started_on) " 启动）" }
                                @if let Some(q) = &v.state.enquiry {
                                    li { "询价平台：" (q.platforms.join("、")) "，答复期限 " (q.answer_due) }
                                    @for a in &q.answers {
                                        li { (a.platform) "：" (yuan(a.price.get())) "（" (a.on) @if !a.timely { "，逾期，不计入平均" } "）" }
                                    }
                                }
                                @if let Some(ap) = &v.state.appraisal {
                                    li { "评估机构：" (ap.appraiser) "，报告期限 " (ap.report_due) }
                                }
                                @if let Some(r) = &v.state.result {
                                    @if let Some(o) = r.objection_until { li { "异议期至 " (o) } }
                                }
                                @if let Objection::Pending { by, on } = &v.state.objection {
                                    li { (by) " 于 " (on) " 提出异议，待裁定" }
                                }
                            }
                            @if can_act && v.status == "in_progress" { (valuation_forms(id, v)) }
                            @if can_act && v.unusable.as_ref().is_some_and(|u| u.code == "reference_price_expired") {
                                form.start-valuation method="post" action=(format!("/cases/{id}/assets/{}/valuation", p.asset.id)) {
                                    button type="submit" { "重新确定参考价" }
                                }
                            }
                        }
                    }
                    @if can_act { @if let Some(round) = next_round(p) { (announce_form(id, p, round)) } }
                }
            }
            h3 { "拍卖" }
            @if s.auctions.is_empty() { p.muted { "暂无。" } }
            @else {
                table #auction-list {
                    tr { th { "标的" } th { "轮次" } th { "状态" } th { "竞价时间" } th { "起拍价" } th { "当前价" } th { "竞买人" } @if can_act { th { "办理" } } }
                    @for a in &s.auctions {
                        tr data-auction=(a.id) data-status=(a.status) data-phase=(a.phase) {
                            td { a.live-room href=(format!("/public/auctions/{}", a.id)) { (a.title) } }
                            td { (a.round_zh) }
                            td.status { (status_zh(&a.status)) " · " (phase_zh(&a.phase)) }
                            td.small { (bj(&a.starts_at)) " 至 " (bj(&a.ends_at)) }
                            td.num { (yuan(a.start_price_fen)) }
                            td.num.current-price { (a.current_price_fen.map(yuan).unwrap_or_else(|| "—".into())) }
                            td.bidders { (a.bidders) }
                            @if can_act { td { (auction_forms(id, a)) } }
                        }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Forms

/// A refused auction or valuation command in Chinese, by its stable code; anything not
/// translated here still says which refusal it was.
fn refusal_zh(e: &ApiError) -> String {
    let s = match e.code {
        // Announcement.
        "start_price_too_low" => "起拍价过低：第一次拍卖的起拍价不得低于参考价的百分之七十。",
        "deposit_out_of_range" => "保证金须为起拍价的百分之五至百分之二十。",
        "announcement_too_short" => {
            "公告期不足：动产拍卖应在拍卖十五日前公告，不动产或者其他财产权拍卖应在三十日前公告（再次拍卖分别为七日、十五日）。"
        }
        "bidding_too_short" => "竞价时间不得少于二十四小时。",
        "price_cut_too_large" => "再次拍卖的起拍价降价幅度不得超过前次起拍价的百分之二十。",
        "second_auction_too_late" => "流拍后应在三十日内再次拍卖，已超过期限。",
        "already_auctioned" => "该财产已在拍卖中或已拍卖，请办理其下一轮次。",
        "wrong_round" => "轮次不符：再次拍卖或变卖须在前一轮流拍之后。",
        "bad_schedule" => "竞价时间不正确：结束时间须晚于开始时间，开始时间须晚于公告时间。",
        "increment_not_positive" => "加价幅度须大于零。",
        "invalid_plan" => "拍卖方案填写不完整：标的名称 1 至 200 字，尾款期限 1 至 90 日。",
        "not_auctionable" => "该财产不适用拍卖（存款等直接扣划）。",
        "invalid_time" => "请填写竞价开始和结束时间。",
        "invalid_amount" => "请填写金额（元），最多两位小数。",
        // The reference price.
        "no_reference_price" => "尚无参考价，须先确定参考价。",
        "objection_pending" => "参考价异议审查中，暂不能使用。",
        "objection_period_open" => "参考价异议期未满，暂不能使用。",
        "reference_price_expired" => "参考价已过有效期，须重新确定。",
        // Bidders and payments.
        "bidder_not_found" => "没有这个竞买号。",
        "deposit_already_paid" => "该竞买人的保证金已登记。",
        "deposit_insufficient" | "wrong_amount" => "金额与应缴金额不符。",
        "deposit_not_paid" => "该竞买人尚未缴纳保证金。",
        "already_holder" => "该竞买人已登记为优先购买权人。",
        "invalid_rank" => "顺位须为正整数，且不得与已登记的顺位重复。",
        "invalid_reference" => "请填写银行流水号（1 至 100 字）。",
        "auction_closed" | "bidding_closed" => "拍卖已结束。",
        "not_sold" => "拍卖未成交。",
        "balance_not_yet_due" => "尾款期限未届满，尚不能认定悔拍。",
        "balance_overdue" => "已超过尾款期限。",
        "auction_changed" => "拍卖已被他人更新，请刷新后重试。",
        // Price determination.
        "asset_not_seized" => "只能对本案查封、扣押中的财产确定参考价。",
        "valuation_in_progress" => "该财产已有进行中的参考价确定程序。",
        "reference_price_valid" => "该财产已有有效的参考价。",
        "wrong_method" => "当前确定方式不是这一方式。",
        "invalid_method" => "请选择确定方式。",
        "invalid_reason" => "请选择转入理由。",
        "price_already_determined" => "参考价已经确定。",
        "enquiry_already_commissioned" => "已委托网络询价。",
        "enquiry_not_commissioned" => "尚未委托网络询价。",
        "enquiry_has_answers" => "询价平台已有答复，不能再转入其他方式。",
        "answers_pending" => "询价平台尚在答复期限内，且未全部答复。",
        "already_answered" => "该平台已经答复。",
        "no_timely_answer" => "没有平台按期答复，请转入委托评估。",
        "unknown_platform" => "该平台不在本次询价之列。",
        "invalid_platforms" => "请填写询价平台，每个平台一次。",
        "appraisal_already_commissioned" => "已委托评估。",
        "appraisal_not_commissioned" => "尚未委托评估。",
        "invalid_agency" => "请填写询价机构。",
        "invalid_appraiser" => "请填写评估机构。",
        "invalid_price" => "请填写价格（元），最多两位小数。",
        "invalid_date" | "invalid_validity" => "有效期日期不正确。",
        "validity_too_long" => "有效期不得超过一年。",
        "text_too_long" => "填写的名称过长。",
        "case_closed" => "案件已结案。",
        "version_conflict" => "参考价已被他人更新，请刷新后重试。",
        other => return format!("未能办理（{other}），请检查填写的内容。"),
    };
    s.to_owned()
}

/// Answers a form: back to the case page when done; a refusal shows the case page again with
/// the reason; not being allowed, or no such case, is the error page. A bidder number that
/// does not exist is the officer's typing, not a hidden resource: it is shown as a refusal.
async fn answer<T>(app: &App, v: &Viewer, id: i64, r: Result<T, ApiError>) -> Response {
    let e = match r {
        Ok(_) => return Redirect::to(&format!("/cases/{id}#auctions")).into_response(),
        Err(e) => e,
    };
    let status = if e.code == "bidder_not_found" {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        e.status
    };
    if !matches!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT
    ) {
        return PageError(e).into_response();
    }
    let message = refusal_zh(&e);
    super::cases::render(
        app,
        v,
        id,
        status,
        Some(super::cases::Refused {
            section: "auctions",
            message: &message,
        }),
    )
    .await
    .unwrap_or_else(IntoResponse::into_response)
}

/// A mistake in a form found before the service runs. Reported only to whoever may act on the
/// case: anyone else gets the 403 or 404 the service would give, as if the form were right.
async fn refuse<T>(app: &App, v: &Viewer, id: i64, code: &'static str) -> Result<T, ApiError> {
    cases_svc::may_act(
        app,
        &v.principal,
        id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await?;
    Err(ApiError::unprocessable(code, code))
}

/// The object named in a form's path must be of the case in the path, so that a form never
/// changes another case than the page it came from (404 otherwise, as for a missing one).
fn of_case(found: Option<i64>, id: i64, what: &'static str) -> Result<(), ApiError> {
    if found == Some(id) {
        Ok(())
    } else {
        Err(ApiError::not_found(what, format!("not of case {id}")))
    }
}

/// An amount as a form prefills it: yuan with two decimals, no currency sign.
fn plain(fen: i64) -> String {
    yuan(fen).trim_start_matches('¥').to_owned()
}

/// Yuan as entered; the sign an officer copies from the page along with the number is
/// accepted.
fn money(s: &str) -> Option<Fen> {
    let s = s
        .trim()
        .trim_start_matches(['¥', '￥'])
        .trim_end_matches('元');
    fen_of("", s).ok().and_then(|f| Fen::new(f).ok())
}

/// A blank optional date is none; anything else must be a date.
fn date(s: &str) -> Result<Option<Date>, ()> {
    match s.trim() {
        "" => Ok(None),
        d => d.parse().map(Some).map_err(|_| ()),
    }
}

/// A `datetime-local` value (`2026-07-01T10:00`, seconds optional) as Beijing time.
fn local_time(s: &str) -> Option<Timestamp> {
    let dt: DateTime = s.trim().parse().ok()?;
    dt.to_zoned(beijing()).ok().map(|z| z.timestamp())
}

/// Starts determining the reference price of a seized or detained asset.
pub async fn valuation_start(
    State(app): State<App>,
    v: Viewer,
    Path((id, asset)): Path<(i64, i64)>,
) -> Response {
    let r = async {
        let found = app.store.asset(asset).await?.map(|a| a.case_id);
        of_case(found, id, "asset_not_found")?;
        valuation_svc::start(&app, &v.principal, asset)
            .await
            .map_err(ApiError::from)
    }
    .await;
    answer(&app, &v, id, r).await
}

#[derive(Deserialize)]
pub struct ValuationForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    price: String,
    #[serde(default)]
    valid_until: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    platform: String,
    #[serde(default)]
    platforms: String,
    #[serde(default)]
    appraiser: String,
}

/// One step of a price determination, named by the last path segment (the API's names).
pub async fn valuation_step(
    State(app): State<App>,
    v: Viewer,
    Path((id, vid, step)): Path<(i64, i64, String)>,
    axum::Form(f): axum::Form<ValuationForm>,
) -> Response {
    let r = async {
        let found = app.store.valuation(vid).await?.map(|x| x.case_id);
        of_case(found, id, "valuation_not_found")?;
        let price = || match money(&f.price) {
            Some(p) if !f.price.trim().is_empty() => Ok(p),
            _ => Err("invalid_price"),
        };
        let valid_until = || date(&f.valid_until).map_err(|()| "invalid_date");
        let cmd: Result<Command, &'static str> = match step.as_str() {
            "move" => match (
                PriceMethod::parse(f.to.trim()),
                valuation_svc::move_reason(&f.reason),
            ) {
                (Some(to), Ok(reason)) => Ok(Command::Move { to, reason }),
                (None, _) => Err("invalid_method"),
                (_, Err(_)) => Err("invalid_reason"),
            },
            "agreement" => price().and_then(|price| {
                Ok(Command::Agreement {
                    price,
                    valid_until: valid_until()?,
                })
            }),
            "targeted-answer" => price().and_then(|price| {
                Ok(Command::TargetedAnswer {
                    agency: f.agency.clone(),
                    price,
                    valid_until: valid_until()?,
                })
            }),
            "enquiry" => Ok(Command::CommissionEnquiry {
                platforms: f
                    .platforms
                    .split(['、', ',', '，'])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }),
            "platform-answers" => price().and_then(|price| {
                Ok(Command::PlatformAnswer {
                    platform: f.platform.clone(),
                    price,
                    valid_until: valid_until()?,
                })
            }),
            "conclusion" => Ok(Command::ConcludeEnquiry),
            "appraisal" => Ok(Command::CommissionAppraisal {
                appraiser: f.appraiser.clone(),
            }),
            "appraisal-report" => price().and_then(|price| {
                Ok(Command::AppraisalReport {
                    price,
                    valid_until: valid_until()?,
                })
            }),
            _ => return Err(ApiError::not_found("not_found", "no such step")),
        };
        let cmd = match cmd {
            Ok(c) => c,
            Err(code) => return refuse(&app, &v, id, code).await,
        };
        let version = f.version.trim().parse().ok();
        valuation_svc::command(&app, &v.principal, vid, version, cmd)
            .await
            .map_err(ApiError::from)
    }
    .await;
    answer(&app, &v, id, r).await
}

#[derive(Deserialize)]
pub struct AnnounceForm {
    #[serde(default)]
    round: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    start_price: String,
    #[serde(default)]
    increment: String,
    #[serde(default)]
    deposit: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    balance_days: String,
}

/// Announces an auction of a seized asset from the case page.
pub async fn announce(
    State(app): State<App>,
    v: Viewer,
    Path((id, asset)): Path<(i64, i64)>,
    axum::Form(f): axum::Form<AnnounceForm>,
) -> Response {
    let r = async {
        let found = app.store.asset(asset).await?.map(|a| a.case_id);
        of_case(found, id, "asset_not_found")?;
        let round = match f.round.as_str() {
            "" | "first" => Round::First,
            "second" => Round::Second,
            "sell_off" => Round::SellOff,
            _ => return refuse(&app, &v, id, "wrong_round").await,
        };
        let (Some(start_price), Some(increment), Some(deposit)) = (
            money(&f.start_price),
            money(&f.increment),
            money(&f.deposit),
        ) else {
            return refuse(&app, &v, id, "invalid_amount").await;
        };
        // A sell-off runs for the period the rule book sets from now: its times are the
        // domain's, so blank inputs are accepted for it.
        let now = app.now();
        let times = match (local_time(&f.starts_at), local_time(&f.ends_at)) {
            (Some(s), Some(e)) => (s, e),
            _ if round == Round::SellOff => (now, now),
            _ => return refuse(&app, &v, id, "invalid_time").await,
        };
        let balance_days = match f.balance_days.trim().parse::<i64>() {
            Ok(d) if (1..=90).contains(&d) => d,
            _ => return refuse(&app, &v, id, "invalid_plan").await,
        };
        let plan = PlanIn {
            title: f.title.clone(),
            start_price,
            increment,
            deposit,
            starts_at: times.0,
            ends_at: times.1,
            balance_days,
        };
        auction_svc::announce(&app, &v.principal, asset, round, &plan)
            .await
            .map_err(ApiError::from)
    }
    .await;
    answer(&app, &v, id, r).await
}

#[derive(Deserialize)]
pub struct AuctionForm {
    #[serde(default)]
    paddle: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    rank: String,
}

/// One command of the court on an auction, named by the last path segment (the API's names).
pub async fn auction_step(
    State(app): State<App>,
    v: Viewer,
    Path((id, aid, step)): Path<(i64, i64, String)>,
    axum::Form(f): axum::Form<AuctionForm>,
) -> Response {
    let r = async {
        let found = app.store.auction(aid).await?.map(|a| a.case_id);
        of_case(found, id, "auction_not_found")?;
        let paddle = f.paddle.trim().parse::<u32>().ok();
        let amount = money(&f.amount).filter(|_| !f.amount.trim().is_empty());
        let p = &v.principal;
        match step.as_str() {
            "deposits" => match (paddle, amount) {
                (Some(n), Some(a)) => auction_svc::deposit(&app, p, aid, n, a, &f.reference)
                    .await
                    .map_err(ApiError::from),
                (None, _) => refuse(&app, &v, id, "bidder_not_found").await,
                (_, None) => refuse(&app, &v, id, "invalid_amount").await,
            },
            "preemptive-holders" => match (paddle, f.rank.trim().parse::<u32>()) {
                (Some(n), Ok(rank)) => auction_svc::preemptive_holder(&app, p, aid, n, rank)
                    .await
                    .map_err(ApiError::from),
                (None, _) => refuse(&app, &v, id, "bidder_not_found").await,
                (_, Err(_)) => refuse(&app, &v, id, "invalid_rank").await,
            },
            "balance" => match amount {
                Some(a) => auction_svc::balance(&app, p, aid, a, &f.reference)
                    .await
                    .map_err(ApiError::from),
                None => refuse(&app, &v, id, "invalid_amount").await,
            },
            "default" => auction_svc::default(&app, p, aid)
                .await
                .map_err(ApiError::from),
            _ => Err(ApiError::not_found("not_found", "no such step")),
        }
    }
    .await;
    answer(&app, &v, id, r).await
}
