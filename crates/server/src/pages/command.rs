//! 指挥中心 — the command-centre dashboard (issue 7, item 6): a court's subtree indicators
//! against their targets, their monthly trend, the ranking of the courts directly below, the
//! open alerts, and the drill-down from the SPC to a basic court and on to its cases.
//!
//! Everything comes from `service::indicators` (the rollups) and one alert count, called
//! directly rather than over HTTP. The page is complete without JavaScript (tables beside
//! the charts); `static/command.js` draws the charts with the vendored Chart.js from the same
//! data, embedded as JSON, and follows `/command/courts/{id}/events` (server-sent events) to
//! update the figures without a reload.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use maud::{PreEscaped, html};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zhixing_domain::access::Principal;
use zhixing_domain::case_number::CaseType;
use zhixing_domain::indicators::Indicator;
use zhixing_store::courts::CourtRow;

use super::i18n::zh_en;
use super::{PageError, Viewer, layout, page};
use crate::api::Ctx;
use crate::error::{ApiError, Path, Query};
use zhixing_app::AppError;
use zhixing_app::command_centre::indicators::{self as svc, CourtRef, Request};
use zhixing_app::command_centre::query;
use zhixing_app::state::App;

/// How often the live stream looks at the head of the event log. One cheap indexed read per
/// open dashboard; it sees the writes of every server process, which an in-process signal
/// would not.
const POLL: Duration = Duration::from_secs(1);

/// A stream ends after this long and the browser's EventSource reconnects by itself: the
/// reconnection authenticates again, so a revoked session stops receiving data.
const MAX_STREAM: Duration = Duration::from_secs(15 * 60);

/// The rates drawn month by month (the trend chart and its table).
const TREND_KEYS: [&str; 6] = [
    "on_time_with_property",
    "zhongben_compliance",
    "actual_enforcement",
    "recovery",
    "fully_performed",
    "closed_in_limit",
];

/// Indicators that are not ratios shown as percentages.
fn is_percent(key: &str) -> bool {
    !matches!(key, "average_days_to_close" | "closed_per_officer")
}

/// The period form (a plain GET form): empty fields mean the defaults of the service (this
/// year up to this month, every case type, ranked by the first headline indicator).
#[derive(Deserialize, Default, Clone, Debug)]
pub struct PeriodForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    case_type: String,
    #[serde(default)]
    by: String,
}

fn given(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl PeriodForm {
    fn request(&self, court_id: &str) -> Request {
        Request {
            court_id: Some(court_id.to_owned()),
            scope: Some("subtree".into()),
            from: given(&self.from),
            to: given(&self.to),
            case_type: given(&self.case_type),
        }
    }

    fn by(&self) -> Option<String> {
        given(&self.by)
    }

    /// The fields given, as a query string (`?…` or empty), so that a drill-down keeps the
    /// period and filters the supervisor chose.
    fn query_string(&self) -> String {
        let pairs: Vec<String> = [
            ("from", &self.from),
            ("to", &self.to),
            ("case_type", &self.case_type),
            ("by", &self.by),
        ]
        .into_iter()
        .filter_map(|(k, v)| given(v).map(|v| format!("{k}={}", percent_encode(&v))))
        .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }
}

/// Percent-encodes everything but the unreserved characters (a case type is Chinese).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One indicator as the page shows it, formatted once on the server so that the script
/// only copies text.
#[derive(Debug, Clone, Serialize)]
struct IndicatorView {
    #[serde(flatten)]
    indicator: Indicator,
    display: String,
    /// 达标 / 未达标 / 无目标 / 无数据.
    status: &'static str,
    /// `met`, `missed` or `none`: the CSS class of the status.
    status_class: &'static str,
}

fn display(key: &str, value: Option<f64>) -> String {
    match value {
        None => "—".into(),
        Some(v) if is_percent(key) => format!("{:.2}%", v * 100.0),
        Some(v) => format!("{v:.1}"),
    }
}

fn view(i: &Indicator) -> IndicatorView {
    let (status, status_class) = match (i.meets_target, i.target) {
        (Some(true), _) => (zh_en("达标", "Met"), "met"),
        (Some(false), _) => (zh_en("未达标", "Not met"), "missed"),
        (None, Some(_)) => (zh_en("无数据", "No data"), "none"),
        (None, None) => (zh_en("无目标", "No target"), "none"),
    };
    IndicatorView {
        display: display(i.key, i.value),
        indicator: i.clone(),
        status,
        status_class,
    }
}

/// A headline figure (counter) of the period.
#[derive(Debug, Clone, Serialize)]
struct Figure {
    key: &'static str,
    label: &'static str,
    display: String,
}

const FIGURES: [(&str, &str, &str); 6] = [
    ("filed", "收案", "Cases received"),
    ("closed", "结案", "Cases closed"),
    ("fully_performed", "执行完毕", "Fully enforced"),
    ("zhongben", "终结本次执行", "Round terminated"),
    (
        "amount_due",
        "结案标的（元）",
        "Amount of closed cases (yuan)",
    ),
    ("amount_recovered", "执行到位（元）", "Recovered (yuan)"),
];

fn figures(counters: &Map<String, Value>, officers: i64) -> Vec<Figure> {
    let mut out: Vec<Figure> = FIGURES
        .iter()
        .map(|&(key, zh, en)| {
            let n = counters.get(key).and_then(Value::as_i64).unwrap_or(0);
            let display = if key.starts_with("amount") {
                super::cases::yuan(n)
            } else {
                n.to_string()
            };
            Figure {
                key,
                label: zh_en(zh, en),
                display,
            }
        })
        .collect();
    out.push(Figure {
        key: "officers",
        label: (zh_en("执行人员", "Officers")),
        display: officers.to_string(),
    });
    out
}

#[derive(Debug, Clone, Serialize)]
struct AlertCount {
    kind: String,
    name_zh: String,
    count: i64,
}

/// The open alerts of one kind in a court's subtree: the list behind a count.
fn alert_list_href(court: &str, kind: &str) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("court", court);
    q.append_pair("kind", kind);
    format!("/alerts?{}", q.finish())
}

/// An alert kind in Chinese.
pub(super) fn alert_name(kind: &str) -> String {
    match kind {
        "measure_expiring" => zh_en("控制措施即将到期", "Control measure expiring"),
        "measure_expired" => zh_en("控制措施已到期", "Control measure expired"),
        "funds_overdue" => zh_en("案款超期未发放", "Case money held too long"),
        "property_found" => zh_en("终本案件发现财产", "Property found in a terminated case"),
        "dishonest_removal_due" => zh_en("失信名单应予删除", "Dishonest listing to remove"),
        "restriction_lift_due" => zh_en("限制消费令应予解除", "Consumption restriction to lift"),
        "node_overdue" => zh_en("节点超期", "Step overdue"),
        "deadline_due_soon" => zh_en("期限临近", "Deadline near"),
        "case_untouched" => zh_en("案件长期未操作", "Case idle too long"),
        "listing_past_end" => zh_en("失信期满未删除", "Listing expired, not removed"),
        "supervision_overdue" => zh_en("督办逾期未回复", "Supervision reply overdue"),
        "review_overdue" => zh_en("执行审查逾期", "Review case overdue"),
        "entrusted_overdue" => zh_en("委托事项逾期", "Entrusted matter overdue"),
        "complaint_overdue" => zh_en("信访逾期", "Complaint overdue"),
        "calendar_missing" => zh_en(
            "缺少年度官方工作日历",
            "Official calendar missing for the year",
        ),
        "document_unserved" => zh_en("文书逾期未送达", "Document not served in time"),
        // A kind added later shows under its own key until it is named here.
        other => other,
    }
    .to_owned()
}

#[derive(Debug, Clone, Serialize)]
struct Series {
    key: &'static str,
    name_zh: &'static str,
    /// Percent per month; `null` for a month without cases.
    values: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Serialize)]
struct TrendView {
    months: Vec<String>,
    filed: Vec<i64>,
    closed: Vec<i64>,
    series: Vec<Series>,
}

#[derive(Debug, Clone, Serialize)]
struct RankRow {
    court: CourtRef,
    filed: i64,
    closed: i64,
    value: Option<f64>,
    display: String,
    meets_target: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
struct RankingView {
    by: String,
    by_name: String,
    percent: bool,
    courts: Vec<RankRow>,
}

/// Everything the dashboard shows: rendered into the page, embedded as JSON for the charts,
/// and sent again by the live stream.
#[derive(Debug, Clone, Serialize)]
struct Dashboard {
    court: CourtRef,
    from: String,
    to: String,
    case_type: Option<String>,
    figures: Vec<Figure>,
    indicators: Vec<IndicatorView>,
    alerts: Vec<AlertCount>,
    trend: TrendView,
    ranking: RankingView,
}

fn counter(c: &Map<String, Value>, key: &str) -> i64 {
    c.get(key).and_then(Value::as_i64).unwrap_or(0)
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// What the live stream compares to decide whether to send: the period's counters and the
/// open alerts. Cheap (the summary and one count), unlike the whole dashboard.
type ChangeKey = (Map<String, Value>, Vec<(String, i64)>);

async fn change_key(
    app: &App,
    who: &Principal,
    req: &Request,
    court: &CourtRow,
) -> Result<ChangeKey, AppError> {
    let s = svc::summary(app, who, req).await?;
    let alerts = query::open_alert_counts(app, court).await?;
    Ok((s.counters, alerts))
}

async fn load(
    app: &App,
    who: &Principal,
    req: &Request,
    by: Option<&str>,
    court: &CourtRow,
) -> Result<Dashboard, AppError> {
    let summary = svc::summary(app, who, req).await?;
    let trend = svc::trend(app, who, req).await?;
    let ranking = svc::ranking(app, who, req, by).await?;
    let alerts = query::open_alert_counts(app, court)
        .await?
        .into_iter()
        .map(|(kind, count)| AlertCount {
            name_zh: alert_name(&kind),
            kind,
            count,
        })
        .collect();
    let series = TREND_KEYS
        .iter()
        .map(|&key| Series {
            key,
            name_zh: trend
                .months
                .first()
                .and_then(|p| p.indicators.iter().find(|i| i.key == key))
                .map_or("", |i| i.name_zh),
            values: trend
                .months
                .iter()
                .map(|p| {
                    p.indicators
                        .iter()
                        .find(|i| i.key == key)
                        .and_then(|i| i.value)
                        .map(|v| round2(v * 100.0))
                })
                .collect(),
        })
        .collect();
    let trend_view = TrendView {
        months: trend.months.iter().map(|p| p.month.clone()).collect(),
        filed: trend
            .months
            .iter()
            .map(|p| counter(&p.counters, "filed"))
            .collect(),
        closed: trend
            .months
            .iter()
            .map(|p| counter(&p.counters, "closed"))
            .collect(),
        series,
    };
    let by_name = summary
        .indicators
        .iter()
        .find(|i| i.key == ranking.by)
        .map_or_else(
            || ranking.by.clone(),
            |i| super::i18n::known(i.name_zh).to_owned(),
        );
    let percent = is_percent(&ranking.by);
    let courts = ranking
        .courts
        .iter()
        .map(|r| {
            let ind = r.indicators.iter().find(|i| i.key == ranking.by);
            let value = ind.and_then(|i| i.value);
            RankRow {
                court: r.court.clone(),
                filed: counter(&r.counters, "filed"),
                closed: counter(&r.counters, "closed"),
                value: value.map(|v| {
                    if percent {
                        round2(v * 100.0)
                    } else {
                        round2(v)
                    }
                }),
                display: display(&ranking.by, value),
                meets_target: ind.and_then(|i| i.meets_target),
            }
        })
        .collect();
    Ok(Dashboard {
        figures: figures(&summary.counters, summary.officers),
        indicators: summary.indicators.iter().map(view).collect(),
        alerts,
        trend: trend_view,
        ranking: RankingView {
            by: ranking.by.clone(),
            by_name,
            percent,
            courts,
        },
        court: summary.court,
        from: summary.from,
        to: summary.to,
        case_type: summary.case_type,
    })
}

/// JSON that is safe inside a `<script>` element: no `<` (so no `</script>` and no `<!--`),
/// `>` and `&` escaped too; `JSON.parse` reads the `\u` escapes back.
fn script_json<T: Serialize>(value: &T) -> Result<String, AppError> {
    let s = serde_json::to_string(value)
        .map_err(|e| AppError::internal(format_args!("the dashboard as JSON: {e}")))?;
    Ok(s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029"))
}

/// `GET /command`: the caller's own court.
pub async fn own(
    State(app): State<App>,
    v: Viewer,
    Query(f): Query<PeriodForm>,
) -> Result<Response, PageError> {
    let id = v.principal.court_id.clone();
    render(&app, &v, &id, &f).await
}

/// `GET /command/courts/{id}`: a court the caller may read (else 404).
pub async fn court(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<String>,
    Query(f): Query<PeriodForm>,
) -> Result<Response, PageError> {
    render(&app, &v, &id, &f).await
}

async fn render(app: &App, v: &Viewer, id: &str, f: &PeriodForm) -> Result<Response, PageError> {
    let who = &v.principal;
    let court = query::dashboard_court(app, who, id).await?;
    let d = load(app, who, &f.request(id), f.by().as_deref(), &court).await?;
    // The way down from the caller's court: each ancestor the caller may read, linked.
    let crumbs = query::crumbs(app, who, &court).await?;
    let qs = f.query_string();
    let data = script_json(&d)?;
    let basic = d.court.level == "basic";
    let reviews = zhixing_app::review::indicators(app, who, &d.court.id).await?;
    let body = html! {
        section.card #command data-court=(d.court.id) {
            nav.crumbs #crumbs {
                @for (i, c) in crumbs.iter().enumerate() {
                    @if i > 0 { " › " }
                    @if c.id == d.court.id { strong { (c.name) } }
                    @else { a href=(format!("/command/courts/{}{qs}", c.id)) { (c.name) } }
                }
            }
            h1 { (zh_en("指挥中心 · ", "Command centre · ")) (d.court.name) }
            p.muted {
                (zh_en("统计范围：本院及下级法院 · ", "Scope: this court and the courts below · ")) span #period { (d.from) (zh_en(" 至 ", " to ")) (d.to) }
                " · " (d.case_type.as_deref().map_or(zh_en("全部案件类型", "All case types").to_owned(), |t| if super::i18n::en() { format!("{t} cases") } else { format!("{t}字案件") }))
                " · " span #live-status.small { (zh_en("实时更新未连接", "Live updates not connected")) }
            }
            form.filters #period-form method="get" action=(format!("/command/courts/{}", d.court.id)) {
                label.inline { (zh_en("起始月份", "From month")) input type="month" name="from" value=(d.from); }
                label.inline { (zh_en("截止月份", "To month")) input type="month" name="to" value=(d.to); }
                label.inline { (zh_en("案件类型", "Case type")) select name="case_type" {
                    option value="" { (zh_en("全部案件类型", "All case types")) }
                    @for t in CaseType::ALL {
                        option value=(t.code()) selected[d.case_type.as_deref() == Some(t.code())] { (t.code()) }
                    }
                } }
                label.inline { (zh_en("下级法院排名依据", "Rank the courts below by")) select name="by" {
                    @for i in &d.indicators {
                        option value=(i.indicator.key) selected[i.indicator.key == d.ranking.by] { (zh_en("按", "By ")) (super::i18n::known(i.indicator.name_zh)) (zh_en("排名", " ranking")) }
                    }
                } }
                button type="submit" { (zh_en("查询", "Search")) }
                a.button #court-cases href=(format!("/cases?court={}", d.court.id)) { (zh_en("本院案件", "Cases of this court")) }
                a.button #court-supervisions href=(format!("/supervisions?court={}", d.court.id)) { (zh_en("督办", "Supervision")) }
            }
            div.figures #figures {
                @for fg in &d.figures {
                    div.figure { span.label { (fg.label) } span.big id=(format!("count-{}", fg.key)) { (fg.display) } }
                }
            }
        }
        section.card #indicators {
            h2 { (zh_en("考核指标", "Performance indicators")) }
            table #indicator-table {
                tr { th { (zh_en("指标", "Indicator")) } th { (zh_en("分子 / 分母", "Numerator / denominator")) } th { (zh_en("数值", "Value")) } th { (zh_en("目标", "Target")) } th { (zh_en("达标情况", "Met?")) } }
                @for i in &d.indicators {
                    tr id=(format!("ind-{}", i.indicator.key)) {
                        td { (super::i18n::known(i.indicator.name_zh)) }
                        td.num.frac { (i.indicator.numerator) " / " (i.indicator.denominator) }
                        td.num.value { (i.display) }
                        td.num.target { @if let Some(t) = i.indicator.target { "≥ " (t) "%" } @else { "—" } }
                        td.status { span class=(format!("badge {}", i.status_class)) { (i.status) } }
                    }
                }
            }
        }
        section.card #trend {
            h2 { (zh_en("月度趋势", "Monthly trend")) }
            div.chart { canvas #trend-chart aria-label=(zh_en("月度趋势图", "Monthly trend chart")) role="img" {} }
            details #trend-details {
                summary { (zh_en("按月数据", "Monthly figures")) }
                table #trend-table {
                    tr { th { (zh_en("月份", "Month")) } th { (zh_en("收案", "Cases received")) } th { (zh_en("结案", "Cases closed")) } @for s in &d.trend.series { th { (super::i18n::known(s.name_zh)) } } }
                    @for (m, month) in d.trend.months.iter().enumerate() {
                        tr {
                            td { (month) }
                            td.num { (d.trend.filed.get(m).copied().unwrap_or(0)) }
                            td.num { (d.trend.closed.get(m).copied().unwrap_or(0)) }
                            @for s in &d.trend.series {
                                td.num { @match s.values.get(m).copied().flatten() { Some(v) => { (format!("{v:.2}%")) } None => { "—" } } }
                            }
                        }
                    }
                }
            }
        }
        section.card #ranking {
            h2 { (zh_en("下级法院排名 · ", "Courts below ranked · ")) span #ranking-by { (d.ranking.by_name) } }
            @if d.ranking.courts.is_empty() {
                p.muted { (zh_en("本院为基层法院，没有下级法院。", "This is a basic court: there are no courts below it.")) a href=(format!("/cases?court={}", d.court.id)) { (zh_en("查看本院案件", "See this court's cases")) } }
            } @else {
                div.chart { canvas #ranking-chart aria-label=(zh_en("下级法院排名图", "Ranking chart of the courts below")) role="img" {} }
                table #ranking-table {
                    tr { th { (zh_en("名次", "Rank")) } th { (zh_en("法院", "Court")) } th { (zh_en("收案", "Cases received")) } th { (zh_en("结案", "Close")) } th { (d.ranking.by_name) } th { (zh_en("达标情况", "Met?")) } }
                    @for (n, r) in d.ranking.courts.iter().enumerate() {
                        tr data-court=(r.court.id) {
                            td.num { (n + 1) }
                            td { a.drill href=(format!("/command/courts/{}{qs}", r.court.id)) { (r.court.name) } }
                            td.num { (r.filed) }
                            td.num { (r.closed) }
                            td.num.value { (r.display) }
                            td { @match r.meets_target { Some(true) => { span.badge.met { (zh_en("达标", "Met")) } } Some(false) => { span.badge.missed { (zh_en("未达标", "Not met")) } } None => { span.muted { "—" } } } }
                        }
                    }
                }
            }
        }
        section.card #review-indicators {
            h2 { (zh_en("执行审查案件（执异 · 执复 · 执监）", "Review cases (objections, reconsideration, supervision)")) }
            p.small.muted { (zh_en("单独统计，不计入执行案件结案率。", "Counted apart, not in the closure rates of enforcement cases.")) }
            dl {
                dt { (zh_en("受理", "Filed")) } dd #reviews-filed { (reviews.filed) }
                dt { (zh_en("已裁定", "Ruled")) } dd #reviews-ruled { (reviews.ruled) }
                dt { (zh_en("审查中", "Being examined")) } dd #reviews-examining { (reviews.examining) }
                dt { (zh_en("逾期未审结", "Overdue")) } dd #reviews-overdue { (reviews.overdue) }
                dt { (zh_en("法定期限内审结率", "Ruled within the limit")) } dd #reviews-in-time { (reviews.in_time_rate_percent.map_or("—".to_owned(), |r| format!("{r:.1}%"))) }
            }
        }
        section.card #alerts {
            h2 { (zh_en("预警（本院及下级法院，未处理）", "Alerts (this court and below, open)")) }
            @if d.alerts.is_empty() {
                p.muted #no-alerts { (zh_en("当前没有未处理的预警。", "No open alerts.")) }
            }
            table #alert-table {
                @for a in &d.alerts {
                    // Each count opens the list behind it, and each row there its case.
                    tr data-kind=(a.kind) {
                        td { a.alert-list href=(alert_list_href(&d.court.id, &a.kind)) { (a.name_zh) } }
                        td.num.count { a href=(alert_list_href(&d.court.id, &a.kind)) { (a.count) } }
                    }
                }
            }
            p { a #all-alerts href=(format!("/alerts?court={}", d.court.id)) { (zh_en("查看全部未处理预警", "See all open alerts")) } }
        }
        @if basic {
            section.card #drill-cases {
                h2 { (zh_en("案件", "Cases")) }
                p { a href=(format!("/cases?court={}", d.court.id)) { (zh_en("查看", "See ")) (d.court.name) (zh_en("的全部案件", ": all cases")) } }
            }
        }
        section.card #debtors-link {
            h2 { (zh_en("同一被执行人跨院案件", "One debtor across courts")) }
            p { a href="/command/debtors" { (zh_en("按案号查看被执行人在各法院的案件与财产控制顺位", "See a case's respondents' cases in every court and the order of measures on their property")) } }
        }
        script #command-data type="application/json" { (PreEscaped(data)) }
        script src=(CHART_JS_PATH) defer {}
        script src="/static/command.js" defer {}
    };
    Ok(page(
        StatusCode::OK,
        layout(v.lang, zh_en("指挥中心", "Command centre"), Some(v), body),
    ))
}

/// Where the vendored Chart.js is served: the version is in the path, so the file may be
/// cached for a year and an upgrade is a new address.
pub const CHART_JS_PATH: &str = "/static/vendor/chart.js-4.6.1/chart.umd.min.js";

/// `GET /command/courts/{id}/events`: the dashboard again (event `summary`) at the start and
/// whenever the event log has moved and the court's counters or open alerts changed. The
/// session and the court are checked before the stream starts (401, 404, 400 as the page).
pub async fn events(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(f): Query<PeriodForm>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let who = ctx.principal;
    let court = query::dashboard_court(&app, &who, &id).await?;
    let req = f.request(&id);
    let by = f.by();
    // Read the head before the first figures: a write landing in between moves the head
    // past `seen` and is sent on the next poll.
    let mut seen = query::event_head(&app).await?;
    let first = load(&app, &who, &req, by.as_deref(), &court).await?;
    let mut last = change_key(&app, &who, &req, &court).await?;
    let first = Event::default()
        .event("summary")
        .json_data(&first)
        .map_err(|e| AppError::internal(format_args!("the dashboard as an event: {e}")))?;
    let stream = async_stream::stream! {
        yield Ok(first);
        let started = tokio::time::Instant::now();
        loop {
            tokio::time::sleep(POLL).await;
            if started.elapsed() > MAX_STREAM {
                break;
            }
            // A failing read ends the stream; the browser reconnects and starts afresh.
            let Ok(seq) = query::event_head(&app).await else { break };
            if seq == seen {
                continue;
            }
            seen = seq;
            let Ok(key) = change_key(&app, &who, &req, &court).await else { break };
            if key == last {
                continue;
            }
            let Ok(d) = load(&app, &who, &req, by.as_deref(), &court).await else { break };
            let Ok(event) = Event::default().event("summary").json_data(&d) else { break };
            last = key;
            yield Ok(event);
        }
    };
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_json_cannot_close_its_script_element() {
        let s = script_json(&serde_json::json!({"name": "</script><!-- & \u{2028}"}))
            .unwrap_or_default();
        assert!(!s.contains('<'));
        assert!(!s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap_or_default();
        assert_eq!(back["name"], "</script><!-- & \u{2028}");
    }

    #[test]
    fn a_case_type_is_percent_encoded_in_drill_down_links() {
        let f = PeriodForm {
            from: "2026-01".into(),
            case_type: "执".into(),
            ..PeriodForm::default()
        };
        assert_eq!(f.query_string(), "?from=2026-01&case_type=%E6%89%A7");
        assert_eq!(PeriodForm::default().query_string(), "");
    }

    #[test]
    fn rates_are_percentages_and_averages_are_plain_numbers() {
        assert_eq!(display("recovery", Some(0.56744)), "56.74%");
        assert_eq!(display("average_days_to_close", Some(12.34)), "12.3");
        assert_eq!(display("recovery", None), "—");
    }
}
