//! The case page's auction section (拍卖): for each seized or detained asset its price
//! determination (参考价) with the forms of the method in use, the announcement of an auction
//! once a usable reference price exists, and each auction of the case with the court's forms
//! (deposits, preemptive holders, balance, default). Every form builds the same command as the
//! JSON API and calls its `execute`; a refused form shows the case page again with the reason
//! from the message catalogue (`cases::answer`), anything else redirects back to the case page
//! (POST-redirect-GET). No figure of the law is written here: the refusals carry them.

use crate::csrf::FormToken;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_domain::auction::Round;
use zhixing_domain::money::Fen;
use zhixing_domain::refusal::Refusal;
use zhixing_domain::valuation::{Objection, PriceMethod};

use super::Viewer;
use super::cases::{fen_of, yuan};
use super::control::asset_kind_zh;
use super::i18n::Lang;
use super::i18n::{Label, zh_en};
use crate::error::Path;
use zhixing_app::AppError;
use zhixing_app::case as cases_svc;
use zhixing_app::disposal::auction::{
    self as auction_svc, AuctionCommand, AuctionView, Caller, PlanIn,
};
use zhixing_app::disposal::valuation::{
    self as valuation_svc, Step, ValuationCommand, ValuationView,
};
use zhixing_app::disposal::{self as disposal, HeldAsset, Named};
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

/// What the auction section is drawn from, in the viewer's language.
pub(super) struct Section {
    lang: Lang,
    /// Today at the court, for whether a report is still open to objection.
    today: Date,
    assets: Vec<HeldAsset>,
    auctions: Vec<AuctionView>,
}

/// Loads the section: the assets under an active seizure or detention of the case (only they
/// may be priced and sold), their determinations, and the case's auctions.
pub(super) async fn load(app: &App, v: &Viewer, id: i64) -> Result<Section, AppError> {
    let s = disposal::section(app, &v.principal, id).await?;
    Ok(Section {
        lang: v.lang,
        today: app.today(),
        assets: s.assets,
        auctions: s.auctions,
    })
}

/// Why no reference price is usable today, in the viewer's language.
fn unusable(lang: Lang, v: &ValuationView) -> String {
    v.unusable.as_ref().map_or_else(String::new, |u| {
        crate::messages::refusal(lang, &u.refusal).detail
    })
}

/// The round the next announcement of an asset would be, if one may be made now: the first
/// from a usable reference price (also after a default), the next after a failed round; none
/// while the property is on sale or sold.
fn next_round(p: &HeldAsset) -> Option<Round> {
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
        "open" => zh_en("进行中", "Running"),
        "sold" => zh_en("已成交，待付尾款", "Sold, balance due"),
        "failed" => zh_en("流拍", "Unsold"),
        "paid" => zh_en("已付清", "Paid in full"),
        "defaulted" => zh_en("悔拍", "Buyer defaulted"),
        _ => "",
    }
}

fn phase_zh(s: &str) -> &'static str {
    match s {
        "announced" => zh_en("公告期", "Announced"),
        "bidding" => zh_en("竞价中", "Bidding"),
        "ended" => zh_en("竞价结束，待确认", "Bidding ended, to confirm"),
        "closed" => zh_en("已结束", "Ended"),
        _ => "",
    }
}

fn valuation_forms(token: &FormToken, id: i64, v: &ValuationView) -> Markup {
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
                    (token)
                    input type="hidden" name="version" value=(v.version);
                    label { (zh_en("议定价格（元）", "Agreed price (yuan)")) input name="price" required inputmode="decimal"; }
                    label { (zh_en("有效至（可空）", "Valid until (optional)")) input type="date" name="valid_until"; }
                    button type="submit" { (zh_en("记录议价结果", "Record the agreed price")) }
                }
            }
            PriceMethod::TargetedEnquiry => {
                form.targeted method="post" action=(format!("{base}/targeted-answer")) {
                    (token)
                    input type="hidden" name="version" value=(v.version);
                    label { (zh_en("询价机构", "Institution asked")) input name="agency" required maxlength=(valuation_svc::MAX_NAME); }
                    label { (zh_en("价格（元）", "Price (yuan)")) input name="price" required inputmode="decimal"; }
                    label { (zh_en("有效至（可空）", "Valid until (optional)")) input type="date" name="valid_until"; }
                    button type="submit" { (zh_en("记录定向询价结果", "Record the directed inquiry's price")) }
                }
            }
            PriceMethod::OnlineEnquiry => {
                @if let Some(q) = &v.state.enquiry {
                    @let open: Vec<&String> = q.platforms.iter().filter(|p| !answered.contains(&p.as_str())).collect();
                    @if !open.is_empty() {
                        form.platform-answer method="post" action=(format!("{base}/platform-answers")) {
                            (token)
                            input type="hidden" name="version" value=(v.version);
                            label { (zh_en("询价平台", "Inquiry platform")) select name="platform" { @for p in &open { option value=(p) { (p) } } } }
                            label { (zh_en("询价结果（元）", "Price given (yuan)")) input name="price" required inputmode="decimal"; }
                            label { (zh_en("有效至（可空）", "Valid until (optional)")) input type="date" name="valid_until"; }
                            button type="submit" { (zh_en("记录平台答复", "Record the platform's answer")) }
                        }
                    }
                    form.conclude method="post" action=(format!("{base}/conclusion")) {
                        (token)
                        input type="hidden" name="version" value=(v.version);
                        button type="submit" { (zh_en("出具询价结果（按期答复的平均价）", "Conclude the inquiry (average of the answers in time)")) }
                    }
                } @else {
                    form.enquiry method="post" action=(format!("{base}/enquiry")) {
                        (token)
                        input type="hidden" name="version" value=(v.version);
                        label { (zh_en("询价平台（以、分隔）", "Inquiry platforms (separated by 、)")) input name="platforms" required maxlength="600"; }
                        button type="submit" { (zh_en("委托网络询价", "Commission an online inquiry")) }
                    }
                }
            }
            PriceMethod::Appraisal => {
                @if v.state.appraisal.is_some() {
                    form.appraisal-report method="post" action=(format!("{base}/appraisal-report")) {
                        (token)
                        input type="hidden" name="version" value=(v.version);
                        label { (zh_en("评估价（元）", "Appraised value (yuan)")) input name="price" required inputmode="decimal"; }
                        label { (zh_en("有效至（可空）", "Valid until (optional)")) input type="date" name="valid_until"; }
                        button type="submit" { (zh_en("记录评估报告", "Record the appraisal report")) }
                    }
                } @else {
                    form.appraisal method="post" action=(format!("{base}/appraisal")) {
                        (token)
                        input type="hidden" name="version" value=(v.version);
                        label { (zh_en("评估机构", "Appraiser")) input name="appraiser" required maxlength=(valuation_svc::MAX_NAME); }
                        button type="submit" { (zh_en("委托评估", "Commission an appraisal")) }
                    }
                }
            }
        }
        @if !later.is_empty() {
            form.move method="post" action=(format!("{base}/move")) {
                (token)
                input type="hidden" name="version" value=(v.version);
                label { (zh_en("改用", "Switch to")) select name="to" { @for m in &later { option value=(m.as_str()) { (m.label()) } } } }
                label { (zh_en("理由", "Reason")) select name="reason" {
                    option value="failed" { (zh_en("本方式不能或者不成", "This method is impossible or failed")) }
                    option value="parties_request" { (zh_en("双方当事人一致要求", "Both parties ask for it")) }
                    option value="required_by_law" { (zh_en("法律、行政法规规定必须委托评估", "Law or regulation requires an appraisal")) }
                } }
                button type="submit" { (zh_en("转入下一方式", "Move to the next method")) }
            }
        }
    }
}

/// A party's objection to an online enquiry's or appraisal's report (recorded by the officer,
/// within the objection period), and the court's ruling on the pending one.
fn objection_forms(token: &FormToken, id: i64, v: &ValuationView, today: Date) -> Markup {
    let base = format!("/cases/{id}/valuations/{}", v.id);
    let open_until = v
        .state
        .result
        .as_ref()
        .and_then(|r| r.objection_until)
        .filter(|until| today <= *until);
    let pending = v
        .objections
        .last()
        .filter(|o| o.ruled_on.is_none() && matches!(v.state.objection, Objection::Pending { .. }));
    html! {
        @if let Some(o) = pending {
            form.objection-ruling method="post" action=(format!("{base}/objections/{}/ruling", o.no)) {
                (token)
                input type="hidden" name="version" value=(v.version);
                h4 { (zh_en("对第 ", "Rule on objection no. ")) (o.no) (zh_en(" 号异议（", " (")) (o.by) (zh_en("）作出裁定", ")")) }
                label { (zh_en("更正后的参考价（元；维持原价的留空）", "Corrected reference price (yuan; empty to keep the price)")) input name="corrected_price" inputmode="decimal" autocomplete="off"; }
                button type="submit" { (zh_en("作出裁定", "Rule")) }
            }
        } @else if let Some(until) = open_until {
            form.objection method="post" action=(format!("{base}/objections")) {
                (token)
                input type="hidden" name="version" value=(v.version);
                h4 { (zh_en("登记当事人异议（异议期至 ", "Register a party's objection (objection period until ")) (until) (zh_en("）", ")")) }
                label { (zh_en("异议人（当事人或利害关系人）", "Objector (party or interested person)")) input name="by" required maxlength=(valuation_svc::MAX_NAME); }
                button type="submit" { (zh_en("登记异议", "Register the objection")) }
            }
        }
    }
}

fn announce_form(token: &FormToken, id: i64, p: &HeldAsset, round: Round) -> Markup {
    let reference = p
        .valuation
        .as_ref()
        .and_then(|v| v.reference_price)
        .map(|r| yuan(r.price.get()));
    html! {
        form.announce method="post" action=(format!("/cases/{id}/assets/{}/auctions", p.asset.id)) {
            (token)
            h4 { (zh_en("发布拍卖公告", "Announce an auction")) @if let Some(r) = &reference { span.small.muted { (zh_en("（参考价 ", "(reference price ")) (r) (zh_en("）", ")")) } } }
            label { (zh_en("轮次", "Round")) select name="round" {
                @for r in [Round::First, Round::Second, Round::SellOff] {
                    option value=(r.as_str()) selected[r == round] { (r.label()) }
                }
            } }
            label { (zh_en("标的名称", "Lot name")) input name="title" required maxlength=(auction_svc::MAX_TITLE) value=(p.asset.description); }
            label { (zh_en("起拍价（元）", "Starting price (yuan)")) input name="start_price" inputmode="decimal"; }
            label { (zh_en("加价幅度（元）", "Bid increment (yuan)")) input name="increment" inputmode="decimal"; }
            label { (zh_en("保证金（元）", "Deposit (yuan)")) input name="deposit" inputmode="decimal"; }
            label { (zh_en("竞价开始（北京时间）", "Bidding starts (Beijing time)")) input type="datetime-local" name="starts_at"; }
            label { (zh_en("竞价结束（北京时间）", "Bidding ends (Beijing time)")) input type="datetime-local" name="ends_at"; }
            label { (zh_en("尾款期限（成交后天数）", "Balance due (days after the sale)")) input type="number" name="balance_days"
                min=(auction_svc::BALANCE_DAYS.start()) max=(auction_svc::BALANCE_DAYS.end())
                value=(auction_svc::DEFAULT_BALANCE_DAYS); }
            button type="submit" { (zh_en("发布拍卖公告", "Announce an auction")) }
        }
    }
}

fn auction_forms(token: &FormToken, id: i64, a: &AuctionView) -> Markup {
    let base = format!("/cases/{id}/auctions/{}", a.id);
    html! {
        @if a.status == "open" && a.phase != "closed" {
            form.deposit method="post" action=(format!("{base}/deposits")) {
                (token)
                label { (zh_en("竞买号", "Bidder no.")) input name="paddle" required inputmode="numeric" size="4"; }
                label { (zh_en("保证金（元）", "Deposit (yuan)")) input name="amount" required inputmode="decimal" value=(plain(a.deposit_fen)); }
                label { (zh_en("银行流水号", "Bank reference")) input name="reference" required maxlength=(auction_svc::MAX_REFERENCE); }
                button type="submit" { (zh_en("登记保证金", "Record the deposit")) }
            }
            form.files method="post" enctype="multipart/form-data" action=(format!("/cases/{id}/auction-files/{}", a.id)) {
                (token)
                label { (zh_en("标的物照片或文件（JPEG、PNG、PDF，每次至多 5 个，每个不超过 10 MiB；在拍卖厅公开）", "Photos or files of the lot (JPEG, PNG, PDF; up to 5 at a time, each at most 10 MiB; shown in the public room)"))
                    input type="file" name="file" multiple accept="image/jpeg,image/png,application/pdf"; }
                button type="submit" { (zh_en("上传到拍卖厅", "Upload to the room")) }
            }
            form.holder method="post" action=(format!("{base}/preemptive-holders")) {
                (token)
                label { (zh_en("竞买号", "Bidder no.")) input name="paddle" required inputmode="numeric" size="4"; }
                label { (zh_en("顺位", "Rank")) input type="number" name="rank" required min="1" value="1"; }
                button type="submit" { (zh_en("登记优先购买权人", "Register a pre-emption holder")) }
            }
        }
        @if a.status == "sold" {
            form.balance method="post" action=(format!("{base}/balance")) {
                (token)
                label { (zh_en("尾款（元）", "Balance (yuan)")) input name="amount" required inputmode="decimal"; }
                label { (zh_en("银行流水号", "Bank reference")) input name="reference" required maxlength=(auction_svc::MAX_REFERENCE); }
                button type="submit" { (zh_en("登记尾款", "Record the balance")) }
            }
            form.default method="post" action=(format!("{base}/default")) {
                (token)
                button type="submit" { (zh_en("登记悔拍（逾期未付尾款）", "Record a default (balance not paid in time)")) }
            }
        }
    }
}

pub(super) fn section(
    s: &Section,
    token: &FormToken,
    id: i64,
    can_act: bool,
    error: Option<&str>,
) -> Markup {
    let lang = s.lang;
    html! {
        section.card #auctions {
            h2 { (zh_en("拍卖（参考价、网络司法拍卖）", "Sale (reference price, online judicial auction)")) }
            @if let Some(e) = error {
                div.error #auction-error role="alert" { (zh_en("未能办理：", "Not done: ")) (e) }
            }
            h3 { (zh_en("查封、扣押的财产", "Sealed and seized property")) }
            @if s.assets.is_empty() { p.muted { (zh_en("暂无查封、扣押的财产。", "No sealed or seized property yet.")) } }
            @for p in &s.assets {
                div.priced-asset data-asset=(p.asset.id) {
                    h4 { (asset_kind_zh(&p.asset.kind)) " " code { (p.asset.reference) } " " (p.asset.description) }
                    @match &p.valuation {
                        None => {
                            p.valuation-state { (zh_en("参考价：尚未启动确定程序。", "Reference price: not yet started.")) }
                            @if can_act {
                                form.start-valuation method="post" action=(format!("/cases/{id}/assets/{}/valuation", p.asset.id)) {
                                    (token)
                                    button type="submit" { (zh_en("启动参考价确定", "Start setting the reference price")) }
                                }
                            }
                        }
                        Some(v) => {
                            p.valuation-state data-valuation=(v.id) data-status=(v.status) {
                                (zh_en("确定方式：", "Method: ")) strong { (super::i18n::known(&v.method_zh)) } " · "
                                (if v.status == "determined" { zh_en("已确定", "Set") } else { zh_en("进行中", "Running") })
                                @if v.late_start { " " span.badge.late { (zh_en("逾期启动", "Started late")) } }
                            }
                            p.price-line {
                                @if let Some(r) = &v.reference_price {
                                    (zh_en("参考价 ", "Reference price ")) strong.reference-price { (yuan(r.price.get())) } (zh_en("（", " (")) (r.method.label()) (zh_en("，", ", ")) (r.determined_on) (zh_en(" 确定，有效至 ", " set, valid until ")) (r.valid_until) (zh_en("）", ")"))
                                } @else {
                                    (zh_en("参考价：", "Reference price: ")) (unusable(lang, v))
                                }
                            }
                            ul.small.due-dates {
                                li { (zh_en("启动期限：", "Start by: ")) (v.state.start_due) (zh_en("（查封、扣押于 ", " (sealed or seized on ")) (v.state.seized_on) (zh_en("，", ", ")) (v.state.started_on) (zh_en(" 启动）", ")")) }
                                @if let Some(q) = &v.state.enquiry {
                                    li { (zh_en("询价平台：", "Inquiry platform: ")) (q.platforms.join(zh_en("、", ", "))) (zh_en("，答复期限 ", ", answer due ")) (q.answer_due) }
                                    @for a in &q.answers {
                                        li { (a.platform) (zh_en("：", ": ")) (yuan(a.price.get())) (zh_en("（", " (")) (a.on) @if !a.timely { (zh_en("，逾期，不计入平均", ", late, not in the average")) } (zh_en("）", ")")) }
                                    }
                                }
                                @if let Some(ap) = &v.state.appraisal {
                                    li { (zh_en("评估机构：", "Appraiser: ")) (ap.appraiser) (zh_en("，报告期限 ", ", report due ")) (ap.report_due) }
                                }
                                @if let Some(r) = &v.state.result {
                                    @if let Some(o) = r.objection_until { li { (zh_en("异议期至 ", "Objections until ")) (o) } }
                                }
                                @for o in &v.objections {
                                    li.objection-entry data-objection=(o.no) {
                                        (zh_en("第 ", "No. ")) (o.no) (zh_en(" 号异议：", " objection: ")) (o.by) (zh_en(" 于 ", " on ")) (o.filed_on) (zh_en(" 提出，", ", "))
                                        @match (o.ruled_on, o.corrected_price_fen) {
                                            (Some(d), Some(p)) => { (d) (zh_en(" 裁定更正参考价为 ", " ruled: reference price corrected to ")) (yuan(p)) }
                                            (Some(d), None) => { (d) (zh_en(" 裁定维持原价", " ruled: price kept")) }
                                            (None, _) => { (zh_en("待裁定", "Awaiting ruling")) }
                                        }
                                    }
                                }
                            }
                            @if can_act && v.status == "in_progress" { (valuation_forms(token, id, v)) }
                            @if can_act { (objection_forms(token, id, v, s.today)) }
                            @if can_act && v.expired() {
                                form.start-valuation method="post" action=(format!("/cases/{id}/assets/{}/valuation", p.asset.id)) {
                                    (token)
                                    button type="submit" { (zh_en("重新确定参考价", "Set the reference price again")) }
                                }
                            }
                        }
                    }
                    @if can_act { @if let Some(round) = next_round(p) { (announce_form(token, id, p, round)) } }
                }
            }
            h3 { (zh_en("拍卖", "Auctions")) }
            @if s.auctions.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @else {
                table #auction-list {
                    tr { th { (zh_en("标的", "Lot")) } th { (zh_en("轮次", "Round")) } th { (zh_en("状态", "Status")) } th { (zh_en("竞价时间", "Bidding")) } th { (zh_en("起拍价", "Starting price")) } th { (zh_en("当前价", "Current price")) } th { (zh_en("竞买人", "Bidders")) } @if can_act { th { (zh_en("办理", "Handle")) } } }
                    @for a in &s.auctions {
                        tr data-auction=(a.id) data-status=(a.status) data-phase=(a.phase) {
                            td { a.live-room href=(format!("/public/auctions/{}", a.id)) { (a.title) } }
                            td { (super::i18n::known(&a.round_zh)) }
                            td.status { (status_zh(&a.status)) " · " (phase_zh(&a.phase)) }
                            td.small { (bj(&a.starts_at)) (zh_en(" 至 ", " to ")) (bj(&a.ends_at)) }
                            td.num { (yuan(a.start_price_fen)) }
                            td.num.current-price { (a.current_price_fen.map(yuan).unwrap_or_else(|| "—".into())) }
                            td.bidders { (a.bidders) }
                            @if can_act { td { (auction_forms(token, id, a)) } }
                        }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Forms

/// A mistake in a form found before the service runs, as a refusal. Reported only to whoever
/// may act on the case: anyone else gets the 403 or 404 the service would give, as if the
/// form were right.
async fn refuse<T>(app: &App, v: &Viewer, id: i64, r: Refusal) -> Result<T, AppError> {
    cases_svc::may_act(
        app,
        &v.principal,
        id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await?;
    Err(r.into())
}

/// The command a form makes: a mistake in the form refused beside it (see [`refuse`]), a
/// name that is no command of the section not found.
async fn made<T>(
    app: &App,
    v: &Viewer,
    id: i64,
    made: Option<Result<T, AppError>>,
) -> Result<T, AppError> {
    match made {
        None => Err(AppError::not_found("not_found", "no such step")),
        Some(Err(AppError::Refused(r))) => refuse(app, v, id, r).await,
        Some(other) => other,
    }
}

/// A form of this section answered: back to the section when done, else the case page with
/// the refusal beside the form, or the error page.
/// The officer attaches photos or documents of the lot to an open auction (multipart).
pub async fn attach_files(
    State(app): State<App>,
    v: Viewer,
    Path((id, aid)): Path<(i64, i64)>,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    // Who may attach is settled before the upload is read.
    let allowed = async {
        disposal::ensure_of_case(&app, Named::Auction(aid), id).await?;
        zhixing_app::disposal::auction_files::may_attach(&app, &v.principal, aid).await
    }
    .await;
    if let Err(e) = allowed {
        return super::PageError::from(e).into_response();
    }
    let mp = match mp {
        Ok(mp) => mp,
        Err(r) => return super::PageError(crate::multipart::rejection(r)).into_response(),
    };
    let max = zhixing_domain::field::MAX_ATTACHMENTS;
    let r = match crate::multipart::read_parts(mp, &[], "file", max).await {
        Ok(parts) => {
            zhixing_app::disposal::auction_files::attach(&app, &v.principal, aid, parts.files).await
        }
        // A file refused (too large, one too many): beside the form.
        Err(crate::error::ApiError {
            refusal: Some(r), ..
        }) => Err(AppError::Refused(*r)),
        Err(e) => return super::PageError(e).into_response(),
    };
    answered(&app, &v, id, r).await
}

async fn answered<T>(app: &App, v: &Viewer, id: i64, r: Result<T, AppError>) -> Response {
    super::cases::answer(app, v, id, "auctions", r).await
}

/// An amount as a form prefills it: yuan with two decimals, no currency sign.
fn plain(fen: i64) -> String {
    yuan(fen).trim_start_matches('¥').to_owned()
}

/// Yuan as entered; the sign an officer copies from the page along with the number is
/// accepted. Blank is no amount.
fn money(s: &str) -> Option<Fen> {
    let s = s
        .trim()
        .trim_start_matches(['¥', '￥'])
        .trim_end_matches('元');
    if s.is_empty() {
        return None;
    }
    fen_of("", s).ok().and_then(|f| Fen::new(f).ok())
}

/// An amount the form must give, or the refusal naming its field.
fn amount(field: &'static str, s: &str) -> Result<Fen, Refusal> {
    money(s).ok_or_else(|| zhixing_domain::funds::amount_refused("format", field))
}

/// A blank optional date is none; anything else must be a date.
fn date(field: &'static str, s: &str) -> Result<Option<Date>, Refusal> {
    match s.trim() {
        "" => Ok(None),
        d => d.parse().map(Some).map_err(|_| {
            let problem = zhixing_domain::refusal::Reason::new("date_refused").with("field", field);
            zhixing_domain::valuation::refused_as("invalid_date", problem)
        }),
    }
}

/// A `datetime-local` value (`YYYY-MM-DDTHH:MM`, seconds optional) as Beijing time.
fn local_time(s: &str) -> Option<Timestamp> {
    let dt: DateTime = s.trim().parse().ok()?;
    dt.to_zoned(beijing()).ok().map(|z| z.timestamp())
}

/// Starts determining the reference price of a seized or detained asset.
pub async fn valuation_start(
    State(app): State<App>,
    v: Viewer,
    Path((id, asset_id)): Path<(i64, i64)>,
) -> Response {
    let r = async {
        disposal::ensure_of_case(&app, Named::Asset(asset_id), id).await?;
        valuation_svc::execute(&app, &v.principal, ValuationCommand::Start { asset_id }).await
    }
    .await;
    answered(&app, &v, id, r).await
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
    #[serde(default)]
    by: String,
    #[serde(default)]
    corrected_price: String,
}

impl ValuationForm {
    /// The step a form of the determination makes, named by the last path segment (the API's
    /// names); none for a name that is no step.
    fn step(self, name: &str) -> Option<Result<Step, AppError>> {
        let priced = || -> Result<(Fen, Option<Date>), Refusal> {
            let price = money(&self.price)
                .ok_or_else(|| Refusal::invalid("invalid_price").with("field", "price"))?;
            Ok((price, date("valid_until", &self.valid_until)?))
        };
        let step = match name {
            "move" => valuation_svc::method(&self.to).and_then(|to| {
                Ok(Step::Move {
                    to,
                    reason: valuation_svc::move_reason(&self.reason)?,
                })
            }),
            "agreement" => priced()
                .map(|(price, valid_until)| Step::Agreement { price, valid_until })
                .map_err(AppError::from),
            "appraisal-report" => priced()
                .map(|(price, valid_until)| Step::AppraisalReport { price, valid_until })
                .map_err(AppError::from),
            "targeted-answer" => priced()
                .map(|(price, valid_until)| Step::TargetedAnswer {
                    agency: self.agency.clone(),
                    price,
                    valid_until,
                })
                .map_err(AppError::from),
            "platform-answers" => priced()
                .map(|(price, valid_until)| Step::PlatformAnswer {
                    platform: self.platform.clone(),
                    price,
                    valid_until,
                })
                .map_err(AppError::from),
            "enquiry" => Ok(Step::CommissionEnquiry {
                platforms: self
                    .platforms
                    .split(['、', ',', '，'])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }),
            "conclusion" => Ok(Step::ConcludeEnquiry),
            "appraisal" => Ok(Step::CommissionAppraisal {
                appraiser: self.appraiser.clone(),
            }),
            "objections" => Ok(Step::Objection {
                by: self.by.clone(),
            }),
            _ => return None,
        };
        Some(step)
    }
}

/// One step of a price determination, named by the last path segment (the API's names).
pub async fn valuation_step(
    State(app): State<App>,
    v: Viewer,
    Path((id, vid, name)): Path<(i64, i64, String)>,
    axum::Form(f): axum::Form<ValuationForm>,
) -> Response {
    let r = async {
        disposal::ensure_of_case(&app, Named::Valuation(vid), id).await?;
        let version = f.version.trim().parse().ok();
        let step = made(&app, &v, id, f.step(&name)).await?;
        let cmd = ValuationCommand::Step {
            valuation_id: vid,
            version,
            step,
        };
        valuation_svc::execute(&app, &v.principal, cmd).await
    }
    .await;
    answered(&app, &v, id, r).await
}

/// The court's ruling on objection `no`: the report stands (no price typed) or its price is
/// corrected, as `POST /api/v1/valuations/{id}/objections/{no}/ruling` builds it.
pub async fn valuation_ruling(
    State(app): State<App>,
    v: Viewer,
    Path((id, vid, no)): Path<(i64, i64, i64)>,
    axum::Form(f): axum::Form<ValuationForm>,
) -> Response {
    let r = async {
        disposal::ensure_of_case(&app, Named::Valuation(vid), id).await?;
        let version = f.version.trim().parse().ok();
        let typed = f.corrected_price.trim();
        let corrected_price = if typed.is_empty() {
            Ok(None)
        } else {
            money(typed)
                .map(Some)
                .ok_or_else(|| Refusal::invalid("invalid_price").with("field", "corrected_price"))
                .map_err(AppError::from)
        };
        let step = made(
            &app,
            &v,
            id,
            Some(corrected_price.map(|corrected_price| Step::Ruling {
                no,
                corrected_price,
            })),
        )
        .await?;
        let cmd = ValuationCommand::Step {
            valuation_id: vid,
            version,
            step,
        };
        valuation_svc::execute(&app, &v.principal, cmd).await
    }
    .await;
    answered(&app, &v, id, r).await
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

impl AnnounceForm {
    /// The announcement the form asks for. A sell-off runs for the period the rule book sets
    /// from now: its times are the domain's, so blank inputs are accepted for it.
    fn command(self, asset_id: i64, now: Timestamp) -> Result<AuctionCommand, AppError> {
        let round = auction_svc::round(&self.round)?;
        let start_price = amount("start_price", &self.start_price)?;
        let increment = amount("increment", &self.increment)?;
        let deposit = amount("deposit", &self.deposit)?;
        let (starts_at, ends_at) = match (local_time(&self.starts_at), local_time(&self.ends_at)) {
            (Some(s), Some(e)) => (s, e),
            _ if round == Round::SellOff => (now, now),
            _ => {
                return Err(Refusal::invalid("invalid_time")
                    .with("field", "starts_at")
                    .into());
            }
        };
        let balance_days = self.balance_days.trim().parse::<i64>().map_err(|_| {
            Refusal::invalid("invalid_plan")
                .with("field", "balance_days")
                .with("min", *auction_svc::BALANCE_DAYS.start())
                .with("max", *auction_svc::BALANCE_DAYS.end())
        })?;
        Ok(AuctionCommand::Announce {
            asset_id,
            round,
            plan: PlanIn {
                title: self.title,
                start_price,
                increment,
                deposit,
                starts_at,
                ends_at,
                balance_days,
            },
        })
    }
}

/// Announces an auction of a seized asset from the case page.
pub async fn announce(
    State(app): State<App>,
    v: Viewer,
    Path((id, asset_id)): Path<(i64, i64)>,
    axum::Form(f): axum::Form<AnnounceForm>,
) -> Response {
    let r = async {
        disposal::ensure_of_case(&app, Named::Asset(asset_id), id).await?;
        let cmd = made(&app, &v, id, Some(f.command(asset_id, app.now()))).await?;
        auction_svc::execute(&app, Caller::Court(&v.principal), cmd).await
    }
    .await;
    answered(&app, &v, id, r).await
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

impl AuctionForm {
    /// The bidder number typed, which must be registered for the auction: the officer's
    /// typing, refused beside the form.
    async fn paddle(&self, app: &App, auction_id: i64) -> Result<u32, AppError> {
        let typed = self.paddle.trim();
        let unknown = || Refusal::invalid("bidder_not_found").with("paddle", typed);
        let n = typed.parse::<u32>().map_err(|_| unknown())?;
        if !auction_svc::has_paddle(app, auction_id, n).await? {
            return Err(unknown().into());
        }
        Ok(n)
    }

    /// The command of the court a form of an auction gives, named by the last path segment
    /// (the API's names); none for a name that is no command.
    async fn command(
        &self,
        app: &App,
        auction_id: i64,
        name: &str,
    ) -> Option<Result<AuctionCommand, AppError>> {
        let cmd = match name {
            "deposits" => match self.paddle(app, auction_id).await {
                Ok(paddle) => {
                    amount("amount", &self.amount)
                        .map_err(AppError::from)
                        .map(|amount| AuctionCommand::Deposit {
                            auction_id,
                            paddle,
                            amount,
                            reference: self.reference.clone(),
                        })
                }
                Err(e) => Err(e),
            },
            "preemptive-holders" => match self.paddle(app, auction_id).await {
                Ok(paddle) => self
                    .rank
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| {
                        Refusal::invalid("invalid_rank")
                            .with("field", "rank")
                            .with("rank", self.rank.trim())
                            .into()
                    })
                    .map(|rank| AuctionCommand::PreemptiveHolder {
                        auction_id,
                        paddle,
                        rank,
                    }),
                Err(e) => Err(e),
            },
            "balance" => amount("amount", &self.amount)
                .map_err(AppError::from)
                .map(|amount| AuctionCommand::Balance {
                    auction_id,
                    amount,
                    reference: self.reference.clone(),
                }),
            "default" => Ok(AuctionCommand::Default { auction_id }),
            _ => return None,
        };
        Some(cmd)
    }
}

/// One command of the court on an auction, named by the last path segment (the API's names).
pub async fn auction_step(
    State(app): State<App>,
    v: Viewer,
    Path((id, aid, name)): Path<(i64, i64, String)>,
    axum::Form(f): axum::Form<AuctionForm>,
) -> Response {
    let r = async {
        disposal::ensure_of_case(&app, Named::Auction(aid), id).await?;
        let cmd = made(&app, &v, id, f.command(&app, aid, &name).await).await?;
        auction_svc::execute(&app, Caller::Court(&v.principal), cmd).await
    }
    .await;
    answered(&app, &v, id, r).await
}
