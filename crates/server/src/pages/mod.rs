//! Server-rendered pages (maud), Simplified Chinese by default. Static assets are compiled
//! into the binary: no CDN, no network at run time.

mod accounts;
mod alerts;
mod announcements;
mod auction;
mod auctions_list;
mod case_forms;
mod case_supervision;
mod cases;
mod clock;
mod command;
mod complaint_list;
mod complaints;
mod control;
mod credit;
mod debtors;
mod entrusted;
mod filing_draft;
pub mod i18n;
mod institutions;
mod kept;
mod listings;
mod public;
mod public_auction;
mod public_lists;
mod reviews;
mod rulebook;
mod service;
mod sharing;
mod supervisions;
mod views;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::handler::Handler;
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{DOCTYPE, Markup, html};
use zhixing_domain::access::{Action, Principal};

use crate::api::Ctx;
use i18n::{Lang, zh_en};
use zhixing_app::state::App;

/// A signed-in page visitor; anyone else is sent to the login page.
pub struct Viewer {
    pub principal: Principal,
    pub court_name: String,
    pub display_name: String,
    pub lang: Lang,
    /// The session's form token, which every form that posts carries (`csrf`).
    pub csrf: crate::csrf::FormToken,
}

impl FromRequestParts<App> for Viewer {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_parts(parts);
        let ctx = Ctx::from_request_parts(parts, app).await.map_err(|e| {
            // After an administrator's reset, every page leads to the change form.
            if e.code == "password_change_required" {
                Redirect::to("/account/password").into_response()
            } else {
                Redirect::to("/login").into_response()
            }
        })?;
        let user = app
            .store
            .user(ctx.principal.user_id)
            .await
            .map_err(|e| crate::error::ApiError::from(e).into_response())?
            .ok_or_else(|| Redirect::to("/login").into_response())?;
        let csrf = crate::csrf::FormToken::of_session(app, &ctx.token_hash);
        Ok(Viewer {
            csrf,
            principal: ctx.principal,
            court_name: user.court_name,
            display_name: user.display_name,
            lang,
        })
    }
}

/// The page language, for pages without a signed-in user.
pub struct PageLang(pub Lang);
impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PageLang(Lang::from_parts(parts)))
    }
}

/// The public portal's pages: no sign-in.
pub fn public_router() -> Router<App> {
    Router::new()
        .route("/public", get(public::index))
        .route("/public/dishonest", get(public::dishonest))
        .route("/public/restricted", get(public::restricted))
        .route("/public/announcements", get(public_lists::announcements))
        .route(
            "/public/announcements/{id}",
            get(public_lists::announcement),
        )
        .route("/public/zhongben", get(public_lists::zhongben))
        .route("/public/auctions", get(public_auction::auctions))
        .route("/public/auctions/{id}", get(public_auction::auction_room))
        .route(
            "/public/auctions/{id}/register",
            post(public_auction::register_submit),
        )
        .route(
            "/public/auctions/{id}/bid",
            post(public_auction::bid_submit),
        )
        .route(
            "/public/auctions/{id}/me",
            get(public_auction::my_registration),
        )
        .route(
            "/public/case",
            get(public::case_form).post(public::case_submit),
        )
        .route("/public/case/consent", post(public::consent_submit))
        .route("/public/case/clues", post(public::clue_submit))
        .route("/public/case/complaints", post(public::complaint_submit))
        .route(
            "/public/case/receipt",
            get(public::receipt_lookup).post(public::receipt_submit),
        )
        .route("/public/case/documents/{id}", post(public::document_submit))
}

pub fn router() -> Router<App> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/home") }))
        .route("/login", get(views::login_form).post(views::login_submit))
        .route("/logout", post(views::logout))
        .route("/home", get(views::home))
        .route("/nav/counts", get(views::nav_counts))
        .route("/courts", get(views::court_tree))
        .route("/courts/{id}/children", get(views::court_children))
        .route("/rules", get(rulebook::show))
        .route("/rules/proposals", post(rulebook::propose))
        .route("/rules/calendars", post(rulebook::propose_calendar))
        .route("/rules/proposals/{id}/decision", post(rulebook::decide))
        .route("/users", get(accounts::show).post(accounts::create))
        .route("/users/{id}/disable", post(accounts::disable))
        .route("/users/{id}/enable", post(accounts::enable))
        .route("/users/{id}/password-reset", post(accounts::password_reset))
        .route("/users/{id}/roles", post(accounts::set_roles))
        .route("/users/{id}/identity", post(accounts::set_identity))
        .route(
            "/account/password",
            get(accounts::password_form).post(accounts::password_submit),
        )
        .route("/audit", get(views::audit))
        .route("/audit/export.csv", get(views::audit_export_csv))
        .route("/audit/export.xlsx", get(views::audit_export_xlsx))
        .route("/alerts", get(alerts::list))
        .route("/alerts/export.csv", get(alerts::export_csv))
        .route("/alerts/export.xlsx", get(alerts::export_xlsx))
        .route("/listings", get(listings::list))
        .route("/listings/export.csv", get(listings::export_csv))
        .route("/listings/export.xlsx", get(listings::export_xlsx))
        .route("/auctions", get(auctions_list::list))
        .route("/auctions/export.csv", get(auctions_list::export_csv))
        .route("/auctions/export.xlsx", get(auctions_list::export_xlsx))
        .route("/admin/clock", get(clock::show).post(clock::submit))
        .route("/cases", get(cases::list))
        .route("/cases/export.csv", get(cases::export_csv))
        .route("/cases/export.xlsx", get(cases::export_xlsx))
        .route("/cases/new", get(cases::new_form).post(cases::new_submit))
        .route(
            "/cases/new/draft",
            post(cases::draft_submit).layer(axum::extract::DefaultBodyLimit::max(
                crate::api::filing_drafts::MAX_BODY,
            )),
        )
        .route("/cases/{id}", get(cases::show))
        .route("/cases/{id}/live", get(cases::live))
        .route("/cases/{id}/act", post(cases::act))
        .route("/cases/{id}/extension", post(cases::extension))
        .route(
            "/cases/{id}/extension/decision",
            post(cases::extension_decision),
        )
        .route(
            "/cases/{id}/closure",
            get(cases::closure).post(cases::close),
        )
        .route("/cases/{id}/decision", post(cases::decision))
        .route("/cases/{id}/investigate", post(control::investigate))
        .route(
            "/cases/{id}/field-investigations",
            post(
                control::field_submit.layer(axum::extract::DefaultBodyLimit::max(
                    crate::multipart::MAX_BODY,
                )),
            ),
        )
        .route(
            "/cases/{id}/assets/{asset}/measures",
            post(control::measure_submit),
        )
        .route(
            "/cases/{id}/measures/{m}/renew",
            post(control::renew_submit),
        )
        .route(
            "/cases/{id}/measures/{m}/release",
            post(control::release_submit),
        )
        .route(
            "/cases/{id}/services",
            post(service::record.layer(axum::extract::DefaultBodyLimit::max(
                crate::multipart::MAX_BODY,
            ))),
        )
        .route("/cases/{id}/service-failures", post(service::failure))
        .route("/cases/{id}/assign", post(case_forms::assign))
        .route("/cases/{id}/payments", post(case_forms::payment))
        .route("/cases/{id}/suspend", post(case_forms::suspend))
        .route(
            "/cases/{id}/suspension-end",
            post(case_forms::end_suspension),
        )
        .route("/cases/{id}/resume", post(case_forms::resume))
        .route("/cases/{id}/clues", post(case_forms::clue))
        .route(
            "/cases/{id}/clues/{no}/verify",
            post(case_forms::verify_clue),
        )
        .route("/cases/{id}/securities", post(case_forms::security))
        .route(
            "/cases/{id}/parties/{no}/access-code",
            post(case_forms::access_code),
        )
        .route("/cases/{id}/account/receipts", post(case_forms::receipt))
        .route("/cases/{id}/account/payouts", post(case_forms::payout))
        .route(
            "/cases/{id}/account/payouts/{no}/decision",
            post(case_forms::payout_decision),
        )
        .route(
            "/cases/{id}/account/payouts/{no}/paid",
            post(case_forms::payout_paid),
        )
        .route(
            "/cases/{id}/account/distribution",
            post(case_forms::distribution),
        )
        .route("/cases/{id}/listings", post(credit::listing_submit))
        .route("/cases/{id}/credit-warnings", post(credit::warning_submit))
        .route(
            "/cases/{id}/listings/{no}/removal",
            post(credit::removal_submit),
        )
        .route(
            "/cases/{id}/listings/{no}/extension",
            post(credit::extension_submit),
        )
        .route("/cases/{id}/corrections", post(credit::correction_submit))
        .route(
            "/cases/{id}/corrections/{no}/decision",
            post(credit::correction_decision_submit),
        )
        .route("/cases/{id}/restriction-orders", post(credit::order_submit))
        .route(
            "/cases/{id}/restriction-orders/{no}/lift",
            post(credit::lift_submit),
        )
        .route(
            "/cases/{id}/assets/{asset}/valuation",
            post(auction::valuation_start),
        )
        .route(
            "/cases/{id}/valuations/{v}/{step}",
            post(auction::valuation_step),
        )
        .route(
            "/cases/{id}/valuations/{v}/objections/{no}/ruling",
            post(auction::valuation_ruling),
        )
        .route(
            "/cases/{id}/auction-files/{a}",
            post(auction::attach_files).layer(axum::extract::DefaultBodyLimit::max(
                crate::multipart::MAX_BODY,
            )),
        )
        .route(
            "/cases/{id}/assets/{asset}/auctions",
            post(auction::announce),
        )
        .route(
            "/cases/{id}/auctions/{a}/{step}",
            post(auction::auction_step),
        )
        // 督办, 事项委托, 信访 and recordings (crates/app/src/oversight): the API's commands.
        // 执异, 执复, 执监 (crates/app/src/review.rs): the API's commands.
        .route("/cases/{id}/reviews", post(reviews::file))
        .route("/cases/{id}/reviews/{r}/{step}", post(reviews::act))
        .route("/cases/{id}/supervisions", post(case_supervision::issue))
        .route(
            "/cases/{id}/supervisions/{s}/reply",
            post(case_supervision::reply),
        )
        .route(
            "/cases/{id}/supervisions/{s}/close",
            post(case_supervision::close),
        )
        .route(
            "/cases/{id}/supervisions/{s}/return",
            post(case_supervision::send_back),
        )
        .route(
            "/cases/{id}/entrusted-tasks",
            post(case_supervision::entrust),
        )
        .route("/cases/{id}/complaints", post(complaints::register))
        .route(
            "/cases/{id}/complaints/{c}/resolution",
            post(complaints::resolve),
        )
        .route(
            "/cases/{id}/recordings",
            post(complaints::recording.layer(axum::extract::DefaultBodyLimit::disable())),
        )
        .route(
            "/supervisions",
            get(supervisions::show).post(supervisions::issue),
        )
        .route("/supervisions/{id}/reply", post(supervisions::reply))
        .route("/supervisions/{id}/close", post(supervisions::close))
        .route("/supervisions/{id}/return", post(supervisions::send_back))
        .route("/complaints", get(complaint_list::list))
        .route("/entrusted", get(entrusted::show))
        .route("/entrusted/{id}/acceptance", post(entrusted::accept))
        .route("/entrusted/{id}/decline", post(entrusted::decline))
        .route(
            "/entrusted/{id}/result",
            post(
                entrusted::result.layer(axum::extract::DefaultBodyLimit::max(
                    crate::multipart::MAX_BODY,
                )),
            ),
        )
        // 数据共享协议, 协助执行机构 and 法院公告: the staff's forms of the API's commands.
        .route("/sharing", get(sharing::show).post(sharing::create))
        .route("/sharing/{id}/approval", post(sharing::approve))
        .route("/sharing/{id}/keys", post(sharing::issue_key))
        .route("/sharing/{id}/revocation", post(sharing::revoke))
        .route(
            "/institutions",
            get(institutions::show).post(institutions::register),
        )
        .route("/announcements/new", get(announcements::new_form))
        .route("/announcements", post(announcements::post))
        .route("/command", get(command::own))
        .route("/command/debtors", get(debtors::command_view))
        .route("/command/courts/{id}", get(command::court))
        .route("/command/courts/{id}/events", get(command::events))
        .route("/documents/{id}", get(cases::document))
        .route("/lang/{code}", get(set_lang))
        .route(
            "/static/app.css",
            get(|| async {
                static_file(
                    "text/css; charset=utf-8",
                    include_str!("../../static/app.css"),
                )
            }),
        )
        .route(
            "/static/app.js",
            get(|| async {
                static_file(
                    "text/javascript; charset=utf-8",
                    include_str!("../../static/app.js"),
                )
            }),
        )
        .route(
            "/static/auction-room.js",
            get(|| async {
                static_file(
                    "text/javascript; charset=utf-8",
                    include_str!("../../static/auction-room.js"),
                )
            }),
        )
        .route(
            "/static/command.js",
            get(|| async {
                static_file(
                    "text/javascript; charset=utf-8",
                    include_str!("../../static/command.js"),
                )
            }),
        )
        // Chart.js 4.6.1 (MIT, npm package `chart.js`, its UMD build with @kurkle/color
        // inside, MIT too; licences beside it in static/vendor/): the command centre's charts.
        // The version is in the address, so browsers may keep it for a year.
        .route(
            command::CHART_JS_PATH,
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                    ],
                    include_str!("../../static/vendor/chart.umd.min.js"),
                )
                    .into_response()
            }),
        )
        .route(
            "/static/vendor/htmx.min.js",
            get(|| async {
                static_file(
                    "text/javascript; charset=utf-8",
                    include_str!("../../static/vendor/htmx.min.js"),
                )
            }),
        )
}

fn static_file(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn set_lang(crate::error::Path(code): crate::error::Path<String>) -> Response {
    let code = if code == "en" { "en" } else { "zh" };
    let mut resp = Redirect::to("/home").into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}={code}; Path=/; SameSite=Lax; Max-Age=31536000",
        i18n::LANG_COOKIE
    )) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

/// The frame of every page.
pub fn layout(lang: Lang, title: &str, viewer: Option<&Viewer>, body: Markup) -> Markup {
    let other = if lang == Lang::Zh {
        "/lang/en"
    } else {
        "/lang/zh"
    };
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (lang.t("app")) }
                link rel="stylesheet" href="/static/app.css";
                // htmx would add its indicator styles as an inline <style>, which the
                // Content-Security-Policy refuses; app.css has them.
                meta name="htmx-config" content=r#"{"includeIndicatorStyles":false}"#;
                script src="/static/vendor/htmx.min.js" defer {}
                script src="/static/app.js" defer {}
            }
            // htmx sends the session's form token with each request it makes.
            body hx-headers=[viewer.map(|v| v.csrf.htmx_headers())] {
                header.top {
                    a.brand href="/home" { (zh_en("执行 ", "")) span { (lang.t("app")) } }
                    @if let Some(v) = viewer {
                        // On a phone the navigation folds behind "菜单" (app.css): the box the
                        // label ticks opens it without script; on a wide screen both are hidden
                        // and the navigation stands open. (A <details> stood open by CSS alone
                        // would still count as closed to assistive technology.)
                        input.menu-toggle #menu-toggle type="checkbox" aria-controls="menu";
                        label.menu-button for="menu-toggle" { (zh_en("菜单", "Menu")) }
                        div.menu-body #menu {
                        nav aria-label=(zh_en("主导航", "Main")) {
                            // Counts of waiting work, filled in after load by /nav/counts.
                            span hidden hx-get="/nav/counts" hx-trigger="load" hx-swap="none" {}
                            a href="/home" { (lang.t("home")) " " span.count #count-home {} }
                            a href="/cases" { (zh_en("案件", "Cases")) }
                            @if v.principal.may(Action::HandleCases, &v.principal.court_path) {
                                a #nav-entrusted href="/entrusted" { (zh_en("委托事项", "Entrusted matters")) }
                            }
                            @if v.principal.may(Action::HandleCases, &v.principal.court_path)
                                || v.principal.has(zhixing_domain::access::Role::Supervisor)
                                || v.principal.has(zhixing_domain::access::Role::DivisionHead) {
                                a #nav-supervisions href="/supervisions" { (zh_en("督办", "Supervision")) " " span.count #count-supervisions {} }
                            }
                            @if v.principal.may(Action::HandleCases, &v.principal.court_path) || v.principal.reads_below() {
                                a #nav-complaints href="/complaints" { (zh_en("信访", "Complaints")) }
                                a #nav-listings href="/listings" { (zh_en("失信名单", "Dishonest list")) }
                                a #nav-auctions href="/auctions" { (zh_en("司法拍卖", "Judicial auctions")) }
                            }
                            @if v.principal.may(Action::Command, &v.principal.court_path) {
                                a #nav-command href="/command" { (lang.t("command")) " " span.count #count-command {} }
                                a #nav-alerts href="/alerts" { (zh_en("预警", "Alerts")) }
                            }
                            a href="/courts" { (lang.t("courts")) }
                            a href="/rules" { (lang.t("rules")) }
                            @if v.principal.may(Action::ReadSharing, &v.principal.court_path) { a #nav-sharing href="/sharing" { (zh_en("数据共享", "Data sharing")) } }
                            @if v.principal.may(Action::ManageInstitutions, &v.principal.court_path) { a #nav-institutions href="/institutions" { (zh_en("协助机构", "Institutions")) } }
                            @if announcements::may_announce(&v.principal) { a #nav-announce href="/announcements/new" { (zh_en("发布公告", "Announce")) } }
                            @if v.principal.may(Action::ManageUsers, &v.principal.court_path) { a href="/users" { (lang.t("users")) } }
                            @if v.principal.may(Action::ReadAudit, &v.principal.court_path) { a href="/audit" { (lang.t("audit")) } }
                        }
                        div.who {
                            span #who-name { (v.display_name) } " · " (v.court_name)
                            " · " a #nav-password href="/account/password" { (zh_en("修改密码", "Password")) }
                            form method="post" action="/logout" { (v.csrf) button type="submit" { (lang.t("logout")) } }
                        }
                        }
                    }
                    a.lang href=(other) { (lang.t("lang_other")) }
                }
                (training_banner(lang, viewer))
                main { (body) }
            }
        }
    }
}

tokio::task_local! {
    /// Training mode's simulated time as the request began, for the banner on every page;
    /// not set on a real clock. Set by [`training_mode`] around each request.
    static SIMULATED_NOW: jiff::Timestamp;
}

/// Runs each request with training mode's time at hand, so that every page — signed in,
/// public or an error — says that the clock is simulated.
pub async fn training_mode(
    axum::extract::State(app): axum::extract::State<App>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match app.simulated_now() {
        Some(t) => SIMULATED_NOW.scope(t, next.run(req)).await,
        None => next.run(req).await,
    }
}

/// The banner of training mode (演练模式), or nothing on a real clock.
fn training_banner(lang: Lang, viewer: Option<&Viewer>) -> Markup {
    let Ok(now) = SIMULATED_NOW.try_with(|t| *t) else {
        return html! {};
    };
    let when = zhixing_app::platform::clock::beijing_minutes(now);
    let admin = viewer.is_some_and(|v| zhixing_app::platform::clock::may_advance(&v.principal));
    html! {
        div.training-banner #training-banner role="status" {
            @if lang == Lang::Zh {
                strong { "演练模式" } "：系统时间为模拟时间 " span #simulated-now { (when) } "（北京时间），所办事项仅供演练。"
                @if admin { " " a href="/admin/clock" { "调整演练时钟" } }
            } @else {
                strong { "Training mode" } ": the system time is simulated — " span #simulated-now { (when) } " (Beijing time); nothing done here is real."
                @if admin { " " a href="/admin/clock" { "Set the training clock" } }
            }
        }
    }
}

/// An error on a page: shown as a page, not as JSON.
pub struct PageError(pub crate::error::ApiError);

impl From<crate::error::ApiError> for PageError {
    fn from(e: crate::error::ApiError) -> Self {
        PageError(e)
    }
}

impl From<zhixing_app::AppError> for PageError {
    fn from(e: zhixing_app::AppError) -> Self {
        PageError(e.into())
    }
}

impl From<zhixing_store::StoreError> for PageError {
    fn from(e: zhixing_store::StoreError) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        let body = html! {
            (DOCTYPE)
            html lang=(Lang::current().code()) {
                head { meta charset="utf-8"; title { (e.status.as_u16()) (zh_en(" · 智慧执行", " · Zhixing")) } link rel="stylesheet" href="/static/app.css"; }
                body { (training_banner(Lang::current(), None)) main { section.card #error {
                    h1 { (e.status.as_u16()) " " (e.status.canonical_reason().unwrap_or("")) }
                    p { (e.message) }
                    p.small { "code: " code { (e.code) } }
                    p { a href="/home" { (zh_en("返回首页 / Home", "Home")) } }
                } } }
            }
        };
        page(e.status, body)
    }
}

/// A refusal (or another error) in the viewer's language, from the message catalogue.
pub fn refusal_words(lang: Lang, e: &zhixing_app::AppError) -> String {
    crate::messages::error(lang, e).detail
}

/// Whether a form's error is answered beside the form rather than on the error page: a
/// refusal, a court typed that the user may not reach, or a permission with a code of its own
/// (the drafter approving their own agreement); a plain "not allowed" is the error page.
pub(super) fn shown_beside_form(e: &zhixing_app::AppError) -> bool {
    use zhixing_app::AppError as E;
    e.is_refusal()
        || matches!(e, E::Forbidden { code, .. } if *code != "forbidden")
        || matches!(e, E::NotFound { code, .. } if *code == "court_not_found")
}

pub fn page(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

/// An RFC 3339 moment (as the app's views carry it) in Beijing time to the minute,
/// `2026-12-02 13:41`; the text itself if it is not one.
pub(super) fn beijing_at(at: &str) -> String {
    at.parse::<jiff::Timestamp>()
        .map(zhixing_app::platform::clock::beijing_minutes)
        .unwrap_or_else(|_| at.to_owned())
}

/// A file's size as a reader takes it in: `2.4 MiB`, `380 KiB`.
pub(super) fn file_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KiB", (bytes + 1023) / 1024)
    }
}

/// A moment in microseconds (as the store keeps it) in Beijing time to the minute.
pub(super) fn beijing_us(us: i64) -> String {
    jiff::Timestamp::from_microsecond(us)
        .map(zhixing_app::platform::clock::beijing_minutes)
        .unwrap_or_default()
}

/// A deadline's status in words: (badge class, text).
pub(super) fn deadline_status(status: &str) -> (&'static str, &'static str) {
    match status {
        "done" => ("ok", zh_en("已完成", "Done")),
        "done_late" => ("late", zh_en("超期完成", "Done late")),
        "overdue" => ("late", zh_en("已超期", "Overdue")),
        "moot" => ("muted", zh_en("不再适用", "No longer applies")),
        _ => ("pending", zh_en("待办", "To do")),
    }
}

/// A payout's status in words.
pub(super) fn payout_status_zh(s: &str) -> &'static str {
    match s {
        "proposed" => zh_en("待审批", "Awaiting approval"),
        "approved" => zh_en("已批准，待转账", "Approved, to transfer"),
        "rejected" => zh_en("未批准", "Refused"),
        "paid" => zh_en("已发放", "Paid out"),
        _ => zh_en("办理中", "In progress"),
    }
}
