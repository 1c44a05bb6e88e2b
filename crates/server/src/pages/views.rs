//! The pages themselves.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_app::platform::courts;
use zhixing_domain::access::{Action, Role};

use super::i18n::Lang;
use super::i18n::{Label, zh_en};
use super::{PageError, PageLang, Viewer, layout, page};
use crate::api::Ctx;
use crate::csrf::{FormToken, SignInForm};
use crate::error::{ApiError, Path};
use zhixing_app::oversight::supervision::SupervisionView;
use zhixing_app::state::App;

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

fn login_markup(lang: Lang, token: &FormToken, error: Option<&str>) -> Markup {
    layout(
        lang,
        lang.t("login"),
        None,
        html! {
            section.card.login {
                h1 { (lang.t("app")) }
                p.muted { (lang.t("tagline")) }
                @if let Some(e) = error { p.error role="alert" { (e) } }
                form method="post" action="/login" {
                    (token)
                    label { (lang.t("username")) input name="username" autocomplete="username" required; }
                    label { (lang.t("password")) input type="password" name="password" autocomplete="current-password" required; }
                    button type="submit" { (lang.t("login")) }
                }
            }
        },
    )
}

/// The sign-in form, with the nonce cookie its token is bound to (`csrf::SignInForm`).
pub async fn login_form(
    State(app): State<App>,
    PageLang(lang): PageLang,
    form: SignInForm,
) -> Response {
    let mut resp = page(StatusCode::OK, login_markup(lang, &form.token, None));
    if let Some(c) = form.set_cookie(&app) {
        resp.headers_mut().insert(header::SET_COOKIE, c);
    }
    resp
}

pub async fn login_submit(
    State(app): State<App>,
    PageLang(lang): PageLang,
    // Its token was checked by `csrf::guard`; the form shown again carries it.
    form: SignInForm,
    crate::ratelimit::ClientAddr(client): crate::ratelimit::ClientAddr,
    axum::Form(f): axum::Form<LoginForm>,
) -> Response {
    match zhixing_app::identity::auth::login(&app, &f.username, &f.password, client).await {
        Ok(s) => {
            let mut headers = HeaderMap::new();
            if let Some(c) = crate::api::session::session_cookie(
                &app,
                &s.token,
                app.config.session_ttl.as_secs(),
            ) {
                headers.insert(header::SET_COOKIE, c);
            }
            (headers, Redirect::to("/home")).into_response()
        }
        // The throttle's refusal (with its Retry-After), and a failed sign-in, told apart by
        // their kind.
        Err(e @ zhixing_app::AppError::Throttled { retry_after, .. }) => {
            let words = super::refusal_words(lang, &e);
            let mut r = page(
                StatusCode::TOO_MANY_REQUESTS,
                login_markup(lang, &form.token, Some(&words)),
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, retry_after.into());
            r
        }
        Err(zhixing_app::AppError::Unauthenticated { .. }) => page(
            StatusCode::UNAUTHORIZED,
            login_markup(lang, &form.token, Some(lang.t("bad_login"))),
        ),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

pub async fn logout(State(app): State<App>, ctx: Option<Ctx>) -> Response {
    if let Some(ctx) = ctx
        && let Err(e) =
            zhixing_app::identity::auth::logout(&app, &ctx.principal, &ctx.token_hash).await
    {
        return crate::error::ApiError::from(e).into_response();
    }
    let mut headers = HeaderMap::new();
    if let Some(c) = crate::api::session::session_cookie(&app, "", 0) {
        headers.insert(header::SET_COOKIE, c);
    }
    (headers, Redirect::to("/login")).into_response()
}

fn role_names(lang: Lang, roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| {
            if lang == Lang::Zh {
                r.label()
            } else {
                r.name_en()
            }
        })
        .collect::<Vec<_>>()
        .join(zh_en("、", ", "))
}

/// The rules an officer meets every day, shown on the home page with their values at the
/// viewer's court today.
const DAILY_RULES: [&str; 5] = [
    "case.enforcement_notice",
    "case.officer_assignment",
    "case.first_online_investigation",
    "case.conclude",
    "funds.payout",
];

pub async fn home(State(app): State<App>, v: Viewer) -> Result<Response, PageError> {
    let lang = v.lang;
    let p = &v.principal;
    let court = courts::own(&app, p).await?;
    let region =
        zhixing_app::platform::rules::region_of(&court.level, court.division_code.as_deref());
    let book = zhixing_app::platform::rules::book(&app).await?;
    let date = app.today();
    let handles = p.may(Action::HandleCases, &p.court_path);
    let below = courts::count_below(&app, p).await?;
    let chain = zhixing_app::platform::audit::head_for(&app, p).await?;
    let accounts = if p.may(Action::ManageUsers, &p.court_path) {
        Some(
            zhixing_app::identity::users::list(&app, p, 10_000)
                .await?
                .len(),
        )
    } else {
        None
    };
    let queue = if p.may(Action::ManageRules, &p.court_path) {
        Some(zhixing_app::platform::rules::admin_queue(&app, p).await?)
    } else {
        None
    };
    let extensions = zhixing_app::case::query::pending_extensions(&app, p).await?;
    let work = zhixing_app::case::query::work_queue(&app, p).await?;
    let sensitive = if p.may(Action::ReadAudit, &p.court_path) {
        let q = zhixing_app::platform::audit::EventQuery {
            before: Some(i64::MAX),
            limit: 10,
            kind: Some("read.sensitive".into()),
            ..Default::default()
        };
        let events = zhixing_app::platform::audit::events(&app, p, &q).await?;
        let ids: Vec<String> = events.iter().map(|e| e.actor.clone()).collect();
        let names = zhixing_app::case::query::actor_names(&app, &ids).await?;
        Some((events, names))
    } else {
        None
    };
    let decides_extensions = p.may(Action::ApproveExtension, &p.court_path);
    let oversight = oversight_queue(&app, p).await?;
    let sharing_queue = super::sharing::approval_queue(&app, p).await?;
    let body = html! {
        (oversight_sections(&oversight))
        @if handles {
            section.card #queue-cases {
                h2 { (zh_en("我承办的案件（按最近期限，超期在前）", "My cases (by next deadline, overdue first)")) }
                @if work.my_cases.is_empty() { p { (zh_en("暂无承办的案件。", "No cases assigned to you.")) } }
                @else {
                    div.scroll { table {
                        tr { th { (zh_en("案号", "Case number")) } th { (zh_en("当事人", "Party")) } th { (zh_en("最近期限", "Next deadline")) } th { (zh_en("状态", "Status")) } }
                        @for c in &work.my_cases {
                            tr data-case=(c.id) {
                                td { a href=(format!("/cases/{}", c.id)) { (c.number) } }
                                td.small { (c.applicants.join(zh_en("、", ", "))) (zh_en(" 诉 ", " v. ")) (c.respondents.join(zh_en("、", ", "))) }
                                td { (c.next_due.as_deref().unwrap_or("—")) @if c.overdue { " " span.badge.late { (zh_en("已超期", "Overdue")) } } }
                                td { (zhixing_domain::case::CaseStatus::parse(&c.status).map_or(c.status.as_str(), |s| s.label())) }
                            }
                        }
                    } }
                    p { a href="/cases?mine=1" { (zh_en("全部承办案件", "All my cases")) } }
                }
            }
        }
        @if p.may(Action::Approve, &p.court_path) {
            section.card #queue-approvals {
                h2 { (zh_en("待审批（", "Awaiting approval (")) (work.closures.len() + work.payouts.len()) (zh_en("）", ")")) }
                @if work.closures.is_empty() && work.payouts.is_empty() { p { (zh_en("暂无待审批事项。", "Nothing awaits approval.")) } }
                @if !work.closures.is_empty() {
                    h3 { (zh_en("结案", "Close")) }
                    div.scroll { table #pending-closures {
                        tr { th { (zh_en("案号", "Case number")) } th { (zh_en("结案方式", "Closure")) } th { (zh_en("理由", "Reason")) } th { (zh_en("提出", "Proposed")) } }
                        @for c in &work.closures {
                            tr { td { a href=(format!("/cases/{}#act", c.case_id)) { (c.number) } } td { (c.mode.label()) } td { (c.reason) }
                                 td.small { (c.proposed_by.as_deref().unwrap_or("")) " " (c.proposed_on) } }
                        }
                    } }
                }
                @if !work.payouts.is_empty() {
                    h3 { (zh_en("案款发放", "Payouts")) }
                    div.scroll { table #pending-payouts {
                        tr { th { (zh_en("案号", "Case number")) } th { (zh_en("领款人", "Payee")) } th { (zh_en("金额", "Amount")) } th { (zh_en("说明", "Details")) } th { (zh_en("提出", "Proposed")) } }
                        @for x in &work.payouts {
                            tr { td { a href=(format!("/cases/{}#account-forms", x.case_id)) { (x.number) } } td { (x.party_name) }
                                 td.num { (super::cases::yuan(x.amount_fen)) } td { (x.note) } td.small { (x.proposed_by) " " (x.proposed_on) } }
                        }
                    } }
                }
            }
        }
        (sharing_queue)
        @if let Some((events, names)) = &sensitive {
            section.card #queue-sensitive {
                h2 { (zh_en("最近的敏感信息查阅", "Latest reads of sensitive information")) }
                @if events.is_empty() { p { (zh_en("暂无记录。", "None yet.")) } }
                @else {
                    div.scroll { table {
                        tr { th { (zh_en("时间", "Time")) } th { (zh_en("查阅人", "Reader")) } th { (zh_en("对象", "Subject")) } }
                        @for e in events {
                            tr { td.small { (super::beijing_us(e.at_us)) }
                                 td { (super::i18n::known(names.get(&e.actor).map_or(e.actor.as_str(), String::as_str))) } td { code.small { (e.subject) } } }
                        }
                    } }
                    p { a href="/audit?kind=read.sensitive" { (zh_en("全部查阅记录", "All reads")) } }
                }
            }
        }
        @if decides_extensions {
            section.card #panel-extensions {
                h2 { (zh_en("待审批的延长执行期限申请", "Extension requests awaiting approval")) }
                @if extensions.is_empty() { p { (zh_en("暂无待审批的申请。", "No requests await approval.")) } }
                @if !extensions.is_empty() {
                    table {
                        tr { th { (zh_en("案号", "Case number")) } th { (zh_en("延长", "Extend")) } th { (zh_en("理由", "Reason")) } th { (zh_en("提出", "Proposed")) } }
                        @for e in &extensions {
                            tr { td { a href=(format!("/cases/{}#extension", e.case_id)) { (e.number) } } td.num { (e.months) (zh_en(" 个月", " months")) } td { (e.reason) } td.small { (e.requested_by) " " (e.requested_on) } }
                        }
                    }
                }
            }
        }
        @if let Some(q) = &queue {
            section.card #admin-queue {
                h2 { (zh_en("待办（系统管理员）", "To do (administrator)")) }
                @if q.calendar_alerts.is_empty() && q.proposals_to_decide == 0 { p { (zh_en("暂无待办事项。", "Nothing to do.")) } }
                @for a in &q.calendar_alerts {
                    p.error.calendar-alert role="alert" data-subject=(a.subject) { (super::alerts::words(&a.message, a.params.as_deref())) " · " a href="/rules#propose-calendar" { (zh_en("载入工作日历", "Load the working calendar")) } }
                }
                @if q.proposals_to_decide > 0 {
                    p #proposals-to-decide { (zh_en("待您审批的规则库变更 ", "Rule book changes awaiting your approval: ")) strong { (q.proposals_to_decide) } (zh_en(" 项 · ", " · ")) a href="/rules#rule-proposals" { (zh_en("前往审批", "Review")) } }
                }
            }
        }
        section.card #home {
            h1 { (lang.t("welcome")) (zh_en("，", ", ")) (v.display_name) }
            p { (lang.t("your_court")) (zh_en("：", ": ")) strong #home-court { (v.court_name) } " (" (court.code) ")" }
            p { (lang.t("your_roles")) (zh_en("：", ": ")) span #home-roles { (role_names(lang, &p.roles)) } }
        }
        @if handles {
            section.card #panel-deadlines {
                h2 { (lang.t("deadlines_here")) }
                table {
                    tr { th { (lang.t("rule")) } th { (lang.t("value")) } th { (lang.t("citation")) } }
                    @for id in DAILY_RULES {
                        @if let Ok(r) = book.lookup(id, date, &region) {
                            tr {
                                td { (if lang == Lang::Zh { &r.title } else { &r.title_en }) }
                                td.num { (r.value) " " (lang.unit(r.unit.as_str())) @if r.needs_check { " " span.badge { (lang.t("needs_check")) } } }
                                td.small { (r.citation) }
                            }
                        }
                    }
                }
            }
        }
        @if p.reads_below() {
            section.card #panel-supervision {
                h2 { (lang.t("supervised")) }
                p { span.big { (below) } " · " a href="/courts" { (lang.t("court_tree")) } @if p.may(Action::Command, &p.court_path) { " · " a #home-command href="/command" { (lang.t("command")) } } }
            }
        }
        @if let Some((n, h)) = &chain {
            section.card #panel-audit {
                h2 { (lang.t("chain")) }
                p { span.big { (n) } " " (lang.t("entries")) " · " code.small { (h.get(..16).unwrap_or(h)) "…" } " · " a href="/audit" { (lang.t("audit")) } }
            }
        }
        @if let Some(n) = accounts {
            section.card #panel-accounts {
                h2 { (lang.t("accounts")) }
                p { span.big { (n) } " · " a href="/users" { (lang.t("users")) } }
            }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(lang, lang.t("home"), Some(&v), body),
    ))
}

/// What waits on a supervisor or on the court a 督办 was sent to: open alerts by kind over the
/// subtree, orders issued here whose reply awaits a decision, orders issued here still
/// unanswered (overdue first), and orders received here awaiting this court's reply.
#[derive(Default)]
pub(super) struct OversightQueue {
    pub alerts: Option<Vec<(String, i64)>>,
    pub to_decide: Vec<SupervisionView>,
    pub awaiting_reply: Vec<SupervisionView>,
    pub to_answer: Vec<SupervisionView>,
    /// Whether the viewer may see the received orders (answering them is their court's work).
    pub answers: bool,
    pub issues: bool,
}

impl OversightQueue {
    /// The items that wait on the viewer: what the navigation counts.
    pub(super) fn waiting(&self) -> usize {
        self.to_decide.len() + self.to_answer.len()
    }

    pub(super) fn open_alerts(&self) -> i64 {
        self.alerts.iter().flatten().map(|(_, n)| n).sum()
    }
}

pub(super) async fn oversight_queue(
    app: &App,
    p: &zhixing_domain::access::Principal,
) -> Result<OversightQueue, PageError> {
    use zhixing_domain::supervision::SupervisionStatus;
    let mut q = OversightQueue::default();
    let awaits = |s: &SupervisionView| {
        SupervisionStatus::parse(&s.status).is_some_and(SupervisionStatus::awaits_reply)
    };
    if p.may(Action::Command, &p.court_path) {
        q.issues = true;
        let court =
            zhixing_app::command_centre::query::dashboard_court(app, p, &p.court_id).await?;
        q.alerts = Some(zhixing_app::command_centre::query::open_alert_counts(app, &court).await?);
        let issued = zhixing_app::oversight::supervision::list(app, p, &p.court_id, true).await?;
        for s in issued {
            if s.status == SupervisionStatus::Replied.as_str() {
                q.to_decide.push(s);
            } else if awaits(&s) {
                q.awaiting_reply.push(s);
            }
        }
        q.awaiting_reply
            .sort_by_key(|s| (!s.overdue, s.deadline.clone()));
    }
    if p.may(Action::HandleCases, &p.court_path) || p.may(Action::Approve, &p.court_path) {
        q.answers = true;
        q.to_answer = zhixing_app::oversight::supervision::list(app, p, &p.court_id, false)
            .await?
            .into_iter()
            .filter(awaits)
            .collect();
        q.to_answer
            .sort_by_key(|s| (!s.overdue, s.deadline.clone()));
    }
    Ok(q)
}

/// The navigation's counts of waiting work, fetched by the layout after the page loads (so
/// that no page waits on them) and swapped into the links by id.
pub async fn nav_counts(State(app): State<App>, v: Viewer) -> Result<Response, PageError> {
    let p = &v.principal;
    let work = zhixing_app::case::query::work_queue(&app, p).await?;
    let mut home = work.my_cases.iter().filter(|c| c.overdue).count()
        + work.closures.len()
        + work.payouts.len();
    if p.may(Action::ApproveExtension, &p.court_path) {
        home += zhixing_app::case::query::pending_extensions(&app, p)
            .await?
            .len();
    }
    home += zhixing_app::credit::sharing::awaiting_approval(&app, p)
        .await?
        .len();
    let q = oversight_queue(&app, p).await?;
    let count = |id: &str, n: usize, what: &str| {
        html! {
            span.count id=(id) hx-swap-oob="true" title=[(n > 0).then(|| if super::i18n::en() { format!("{what}: {n}") } else { format!("{what} {n} 项") })] {
                @if n > 0 { (n) }
            }
        }
    };
    let body = html! {
        (count("count-home", home, zh_en("待办", "To do")))
        (count("count-supervisions", q.waiting(), zh_en("待处理的督办", "Supervision to handle")))
        (count("count-command", usize::try_from(q.open_alerts()).unwrap_or(0), zh_en("未处理的预警", "Open alerts")))
    };
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        page(StatusCode::OK, body),
    )
        .into_response())
}

fn supervision_rows(list: &[SupervisionView], court_of: fn(&SupervisionView) -> &str) -> Markup {
    html! {
        div.scroll { table {
            tr { th { (zh_en("督办事项", "Matter supervised")) } th { (zh_en("法院", "Court")) } th { (zh_en("案号", "Case number")) } th { (zh_en("期限", "Due")) } th { (zh_en("状态", "Status")) } }
            @for s in list {
                tr data-supervision=(s.id) {
                    td { a href=(format!("/supervisions#order-{}", s.id)) { (s.title) } }
                    td { (court_of(s)) }
                    td { @if let (Some(id), Some(n)) = (s.case_id, &s.case_number) { a href=(format!("/cases/{id}#command")) { (n) } } @else { "—" } }
                    td { (s.deadline) @if s.overdue { " " span.badge.late { (zh_en("已逾期", "Overdue")) } } }
                    td { (super::i18n::known(&s.status_zh)) }
                }
            }
        } }
    }
}

fn oversight_sections(q: &OversightQueue) -> Markup {
    html! {
        @if let Some(alerts) = &q.alerts {
            section.card #queue-alerts {
                h2 { (zh_en("待处理的预警（本院及下级法院，", "Alerts to handle (this court and below, ")) (q.open_alerts()) (zh_en(" 条）", ")")) }
                @if alerts.is_empty() { p { (zh_en("暂无未处理的预警。", "No open alerts.")) } }
                @else {
                    ul.counts {
                        @for (kind, n) in alerts {
                            li data-kind=(kind) { a href=(format!("/alerts?kind={kind}")) { (super::control::alert_kind_zh(kind)) " " strong { (n) } } }
                        }
                    }
                    p { a href="/command" { (zh_en("指挥中心", "Command centre")) } }
                }
            }
        }
        @if q.issues {
            section.card #queue-supervisions {
                h2 { (zh_en("督办（本院发出）", "Supervision (issued by this court)")) }
                h3 { (zh_en("已回复，待审查（", "Replied, to review (")) (q.to_decide.len()) (zh_en("）", ")")) }
                @if q.to_decide.is_empty() { p { (zh_en("暂无。", "None yet.")) } } @else { (supervision_rows(&q.to_decide, |s| &s.target_court_name)) }
                h3 { (zh_en("待下级法院回复（", "Awaiting the lower court's reply (")) (q.awaiting_reply.len()) (zh_en("，逾期在前）", ", overdue first)")) }
                @if q.awaiting_reply.is_empty() { p { (zh_en("暂无。", "None yet.")) } } @else { (supervision_rows(&q.awaiting_reply, |s| &s.target_court_name)) }
            }
        }
        @if q.answers && !q.to_answer.is_empty() {
            section.card #queue-supervisions-received {
                h2 { (zh_en("上级法院督办，待本院回复（", "Supervision from a higher court, awaiting our reply (")) (q.to_answer.len()) (zh_en("）", ")")) }
                (supervision_rows(&q.to_answer, |s| &s.issuer_court_name))
            }
        }
    }
}

fn court_node(lang: Lang, c: &zhixing_store::courts::CourtRow, children: i64) -> Markup {
    html! {
        li.court data-court=(c.id) {
            @if children > 0 {
                details hx-get=(format!("/courts/{}/children", c.id)) hx-trigger="toggle once" hx-target="find ul" hx-swap="innerHTML" {
                    summary { (c.name) " " span.code { (c.code) } " " span.muted { (lang.t(level_key(&c.level))) " · " (children) } }
                    ul {}
                }
            } @else {
                span { (c.name) " " span.code { (c.code) } }
            }
        }
    }
}

fn level_key(level: &str) -> &'static str {
    match level {
        "supreme" => "supreme",
        "high" => "high",
        "intermediate" => "intermediate",
        _ => "basic",
    }
}

pub async fn court_tree(State(app): State<App>, v: Viewer) -> Result<Response, PageError> {
    let lang = v.lang;
    let own = courts::own(&app, &v.principal).await?;
    let kids = courts::children_counts(&app, &v.principal, &own).await?;
    let body = html! {
        section.card {
            h1 { (lang.t("court_tree")) }
            ul.tree #court-tree {
                li.court data-court=(own.id) {
                    strong { (own.name) } " " span.code { (own.code) }
                    ul { @for (c, n) in &kids { (court_node(lang, c, *n)) } }
                }
            }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(lang, lang.t("court_tree"), Some(&v), body),
    ))
}

/// The children of a court, as an HTML fragment for the tree.
pub async fn court_children(
    State(app): State<App>,
    ctx: Ctx,
    PageLang(lang): PageLang,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let court = courts::visible(&app, &ctx.principal, &id).await?;
    let kids = courts::children_counts(&app, &ctx.principal, &court).await?;
    let body = html! {
        @for (c, n) in &kids { (court_node(lang, c, *n)) }
    };
    Ok(page(StatusCode::OK, body))
}

#[derive(Deserialize, Default)]
pub struct AuditSearch {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    court: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    before: Option<i64>,
}

/// The search's filters as a query string (no position): for the next page and the exports.
fn filters_qs(q: &AuditSearch) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("subject", &q.subject),
        ("court", &q.court),
        ("kind", &q.kind),
        ("from", &q.from),
        ("to", &q.to),
    ] {
        out.append_pair(k, v);
    }
    out.finish()
}

impl AuditSearch {
    fn query(&self, before: i64, limit: i64) -> zhixing_app::platform::audit::EventQuery {
        let day = |s: &str| s.trim().parse::<jiff::civil::Date>().ok();
        zhixing_app::platform::audit::EventQuery {
            after: None,
            before: Some(before),
            limit,
            subject: Some(self.subject.trim().to_owned()),
            court: Some(self.court.trim().to_owned()),
            kind: Some(self.kind.trim().to_owned()),
            from: day(&self.from),
            to: day(&self.to),
        }
    }
}

const AUDIT_HEADERS: &[&str] = &[
    "序号",
    "时间（北京时间）",
    "操作人",
    "事项",
    "事项代码",
    "对象",
    "法院",
];

/// `GET /audit/export.csv|xlsx`: the audit search as a file, newest first, at most
/// [`crate::export::MAX_ROWS`] events. Auditors only, as the page; the file names people (the
/// actors), so the export is itself a sensitive read on the chain.
async fn audit_export(
    app: &App,
    v: &Viewer,
    q: &AuditSearch,
    format: crate::export::Format,
) -> Result<Response, PageError> {
    use crate::export::{Cell, MAX_ROWS, Table};
    if !v.principal.may(Action::ReadAudit, &v.principal.court_path) {
        return Err(ApiError::forbidden(
            "只有审计员可以导出审计记录 / only an auditor may export the audit trail",
        )
        .into());
    }
    let mut events = Vec::new();
    let mut before = q.before.unwrap_or(i64::MAX);
    let cut = loop {
        let page =
            zhixing_app::platform::audit::events(app, &v.principal, &q.query(before, 1000)).await?;
        let full = page.len() == 1000;
        if let Some(last) = page.last() {
            before = last.seq;
        }
        events.extend(page);
        if events.len() > MAX_ROWS {
            events.truncate(MAX_ROWS);
            break true;
        }
        if !full {
            break false;
        }
    };
    let actor_ids: Vec<String> = events.iter().map(|e| e.actor.clone()).collect();
    let actors = zhixing_app::case::query::actor_names(app, &actor_ids).await?;
    let court_ids: std::collections::BTreeSet<String> =
        events.iter().filter_map(|e| e.court_id.clone()).collect();
    let court_ids: Vec<String> = court_ids.into_iter().collect();
    let courts = zhixing_app::command_centre::query::court_names(app, &court_ids).await?;
    zhixing_app::platform::audit::record_sensitive_read(
        app,
        &v.principal,
        &v.principal.court_id,
        "export:audit",
        &["actor", "subject"],
    )
    .await?;
    let rows = events
        .iter()
        .map(|e| {
            let court = e.court_id.as_deref().unwrap_or("");
            vec![
                Cell::Int(e.seq),
                super::beijing_us(e.at_us).into(),
                actors
                    .get(&e.actor)
                    .cloned()
                    .unwrap_or_else(|| e.actor.clone())
                    .into(),
                crate::messages::event_label(super::i18n::Lang::current(), &e.kind).into(),
                e.kind.clone().into(),
                e.subject.clone().into(),
                courts
                    .get(court)
                    .cloned()
                    .unwrap_or_else(|| court.to_owned())
                    .into(),
            ]
        })
        .collect();
    let table = Table {
        title: "审计记录",
        stem: "audit",
        headers: AUDIT_HEADERS,
        rows,
        cut,
    };
    Ok(crate::export::response(&table, format, app.today())?)
}

pub async fn audit_export_csv(
    State(app): State<App>,
    v: Viewer,
    axum::extract::Query(q): axum::extract::Query<AuditSearch>,
) -> Result<Response, PageError> {
    super::i18n::in_chinese(audit_export(&app, &v, &q, crate::export::Format::Csv)).await
}

pub async fn audit_export_xlsx(
    State(app): State<App>,
    v: Viewer,
    axum::extract::Query(q): axum::extract::Query<AuditSearch>,
) -> Result<Response, PageError> {
    super::i18n::in_chinese(audit_export(&app, &v, &q, crate::export::Format::Xlsx)).await
}

/// Events shown per page of the audit trail.
const AUDIT_PAGE: i64 = 50;

pub async fn audit(
    State(app): State<App>,
    v: Viewer,
    axum::extract::Query(q): axum::extract::Query<AuditSearch>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    if !v.principal.may(Action::ReadAudit, &v.principal.court_path) {
        return Err(ApiError::forbidden(zh_en(
            "只有审计员可以查看审计记录 / only an auditor may read the audit trail",
            "Only an auditor may read the audit trail",
        ))
        .into());
    }
    let report = zhixing_app::platform::audit::chain(&app, &v.principal).await?;
    let n = report.entries;
    let head = report.head_hash.clone().unwrap_or_default();
    let query = q.query(q.before.unwrap_or(i64::MAX), AUDIT_PAGE);
    let events = zhixing_app::platform::audit::events(&app, &v.principal, &query).await?;
    let actor_ids: Vec<String> = events.iter().map(|e| e.actor.clone()).collect();
    let actors = zhixing_app::case::query::actor_names(&app, &actor_ids).await?;
    let next = (events.len() == usize::try_from(AUDIT_PAGE).unwrap_or(50))
        .then(|| events.last().map(|e| e.seq))
        .flatten()
        .map(|seq| format!("/audit?{}&before={seq}", filters_qs(&q)));
    let body = html! {
        section.card #chain {
            h1 { (lang.t("chain")) }
            @match (&report.first_bad, report.intact) {
                (_, true) => p.ok #chain-status { (lang.t("chain_ok")) " · " (n) " " (lang.t("entries")) },
                (Some(b), _) => p.error #chain-status { (lang.t("chain_bad")) " · " (lang.t("first_bad")) " #" (b.seq) ": " (b.reason) },
                (None, false) => p.error #chain-status { (lang.t("chain_bad")) " · " (lang.t("chain_bad_elsewhere")) },
            }
            p { code.small { (head) } }
        }
        section.card {
            h2 { (lang.t("recent_events")) }
            form #audit-search method="get" action="/audit" {
                label { (zh_en("对象（如 case:12、user:3）", "Subject (e.g. case:12, user:3)")) input name="subject" value=(q.subject); }
                label { (zh_en("法院代码（含下级法院）", "Court code (with the courts below)")) input name="court" value=(q.court); }
                label { (zh_en("事项类型（前缀，如 funds.payout、case.）", "Event kind (prefix, e.g. funds.payout, case.)")) input name="kind" value=(q.kind); }
                label { (zh_en("自（北京时间日期）", "From (Beijing date)")) input type="date" name="from" value=(q.from); }
                label { (zh_en("至", "To")) input type="date" name="to" value=(q.to); }
                button type="submit" { (zh_en("查询", "Search")) }
                a.button #export-csv href=(format!("/audit/export.csv?{}", filters_qs(&q))) { (zh_en("导出CSV", "Export CSV")) }
                a.button #export-xlsx href=(format!("/audit/export.xlsx?{}", filters_qs(&q))) { (zh_en("导出Excel", "Export Excel")) }
                span.muted { (zh_en("（导出最多 10,000 行）", "(exports hold at most 10,000 rows)")) }
            }
            div.scroll { table #events {
                tr { th { "#" } th { (lang.t("time")) } th { (lang.t("actor")) } th { (lang.t("kind")) } th { (lang.t("subject")) } }
                @for e in &events {
                    tr data-seq=(e.seq) data-kind=(e.kind) {
                        td.num { (e.seq) }
                        td.small { (super::beijing_us(e.at_us)) }
                        td { (super::i18n::known(actors.get(&e.actor).map_or(e.actor.as_str(), String::as_str))) }
                        td { (crate::messages::event_label(lang, &e.kind)) }
                        td { code.small { (e.subject) } }
                    }
                }
            } }
            @if events.is_empty() { p.muted { (zh_en("没有符合条件的记录。", "No records match.")) } }
            @if let Some(href) = next { p { a #audit-next href=(href) { (zh_en("更早的记录", "Older records")) } } }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(lang, lang.t("audit"), Some(&v), body),
    ))
}
