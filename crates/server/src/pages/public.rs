//! The public portal's pages (公开服务): no sign-in. The index, and the party page where a
//! party follows its case (当事人查询) with its case number and access code.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::cases::yuan;
use super::{PageLang, layout, page};
use zhixing_app::AppError;
use zhixing_app::credit::publication::{self as publ, PublishedListing, PublishedRestriction};
use zhixing_app::portal::{self as svc, PartyCaseView};
use zhixing_app::state::App;

/// 公开服务 — the public index.
pub async fn index(PageLang(lang): PageLang) -> Response {
    let body = html! {
        section.card #public-index {
            h1 { "执行公开服务" }
            p { "本页面向公众和案件当事人开放，无需登录。" }
            ul {
                li { a #party-link href="/public/case" { "当事人查询案件进度" } " — 凭案号和查询码查看本人案件的立案、通知、措施、案款和结案情况。" }
                li { a #announcements-link href="/public/announcements" { "法院公告" } " — 各法院发布的执行公告，可按法院和标题查询。" }
                li { a #zhongben-link href="/public/zhongben" { "终结本次执行程序案件公开" } " — 终本案件的案号、被执行人（证件号已遮蔽）和未履行金额，可按案号或姓名查询。" }
            }
            h2 { "信用惩戒公示" }
            ul {
                li { a #dishonest-link href="/public/dishonest" { "失信被执行人名单查询" } " — 凭姓名和身份证号码（或统一社会信用代码）查询。" }
                li { a #restricted-link href="/public/restricted" { "限制消费人员查询" } " — 查询方式同上。" }
            }
            h2 { "司法拍卖" }
            ul { li { a #auctions-link href="/public/auctions" { "网络司法拍卖" } " — 正在进行和即将开始的拍卖，竞价实时更新。" } }
        }
    };
    page(StatusCode::OK, layout(lang, "执行公开服务", None, body))
}

#[derive(Deserialize, Default)]
pub struct AccessForm {
    #[serde(default)]
    case_number: String,
    #[serde(default)]
    code: String,
}

fn form(f: &AccessForm, error: Option<&str>) -> Markup {
    html! {
        section.card #party-access {
            h1 { "当事人查询" }
            p { "请输入案号和立案时告知您的查询码。" }
            @if let Some(e) = error { p.error #access-error role="alert" { (e) } }
            form method="post" action="/public/case" {
                label { "案号 " input #case_number name="case_number" required maxlength="64" value=(f.case_number); }
                label { "查询码 " input #code name="code" required maxlength="32" autocomplete="off"; }
                button #access-submit type="submit" { "查询" }
            }
            p.small { "连续输错 5 次，该案号将被锁定 15 分钟。" }
        }
    }
}

/// The party page's form.
pub async fn case_form(PageLang(lang): PageLang) -> Response {
    page(
        StatusCode::OK,
        layout(lang, "当事人查询", None, form(&AccessForm::default(), None)),
    )
}

/// The party page: the case as its party sees it, or the form again with the reason.
pub async fn case_submit(
    State(app): State<App>,
    PageLang(lang): PageLang,
    axum::Form(f): axum::Form<AccessForm>,
) -> Response {
    match svc::party_access(&app, &f.case_number, &f.code).await {
        Ok(v) => page(StatusCode::OK, layout(lang, "当事人查询", None, view(&v))),
        // A wrong number or code, or too many of them: the form again, with the reason.
        Err(e @ (AppError::Forbidden { .. } | AppError::Throttled { .. })) => {
            let msg = super::refusal_words(lang, &e);
            let status = crate::error::ApiError::from(e).status;
            page(
                status,
                layout(lang, "当事人查询", None, form(&f, Some(&msg))),
            )
        }
        Err(e) => super::PageError::from(e).into_response(),
    }
}

fn view(v: &PartyCaseView) -> Markup {
    html! {
        section.card #party-case {
            h1 { "案件 " span #case-number { (v.number) } }
            p { (v.court_name) " · 立案日期 " (v.filed_on) " · 状态 " strong #case-status { (v.status_zh) } }
            p { "您是本案的 " (if v.you.role == "applicant" { "申请执行人" } else { "被执行人" }) "：" (v.you.name) }
            p { "执行标的 " (yuan(v.total_due_fen)) " 元，尚未履行 " (yuan(v.unpaid_fen)) " 元" }
            h2 { "当事人" }
            ul { @for p in &v.parties { li { (if p.role == "applicant" { "申请执行人" } else { "被执行人" }) "：" (p.name) } } }
            h2 { "办理进程" }
            ol #timeline { @for s in &v.timeline { li { (s.on) " " (s.title) } } }
            h2 { "期限" }
            ul #deadlines { @for d in &v.deadlines { li { (d.title) " — " (d.due) " (" (d.status) ")" } } }
            h2 { "控制措施" }
            @if v.measures.is_empty() { p { "暂无。" } }
            ul #measures { @for m in &v.measures { li { (m.kind_zh) " — " (m.status) @if let Some(u) = &m.until { " 至 " (u) } } } }
            h2 { "案款发放" }
            @if v.payments.is_empty() { p { "暂无。" } }
            ul #payments { @for p in &v.payments { li { (yuan(p.amount_fen)) " 元 — " (p.status) @if let Some(d) = &p.paid_on { " （" (d) " 已付）" } } } }
        }
    }
}

/// Which published list a search page reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Dishonest,
    Restricted,
}

impl List {
    fn title(self) -> &'static str {
        match self {
            List::Dishonest => "失信被执行人名单查询",
            List::Restricted => "限制消费人员查询",
        }
    }
    fn path(self) -> &'static str {
        match self {
            List::Dishonest => "/public/dishonest",
            List::Restricted => "/public/restricted",
        }
    }
}

#[derive(Deserialize, Default)]
pub struct SearchForm {
    name: Option<String>,
    id_number: Option<String>,
}

/// Why a search was refused, in the words a member of the public reads.
fn refusal_zh(code: &str) -> &'static str {
    match code {
        "search_too_broad" => {
            "仅凭姓名无法查询：同名者众多，为保护个人信息，请同时填写身份证号码或统一社会信用代码。"
        }
        "invalid_identifier" => "身份证号码或统一社会信用代码格式不正确，请核对位数和最后一位。",
        "invalid_name" => "姓名或名称过长。",
        _ => "请填写姓名（名称）和身份证号码（统一社会信用代码）。",
    }
}

fn search_form(list: List, f: &SearchForm, error: Option<&str>) -> Markup {
    html! {
        section.card #credit-search {
            h1 { (list.title()) }
            p { "请输入被查询人的姓名（或单位名称）及身份证号码（或统一社会信用代码）。两项均须填写。" }
            @if let Some(e) = error { p.error #search-error role="alert" { (e) } }
            form method="get" action=(list.path()) {
                label { "姓名/名称 " input #name name="name" required maxlength="100" value=(f.name.as_deref().unwrap_or_default()); }
                label { "身份证号码/统一社会信用代码 " input #id_number name="id_number" required maxlength="18" autocomplete="off"; }
                button #search-submit type="submit" { "查询" }
            }
            p.small { "公布信息中的身份证号码和统一社会信用代码均已部分遮蔽。被移出名单或解除限制的人员不再显示。" }
        }
    }
}

fn listing_rows(items: &[PublishedListing]) -> Markup {
    html! {
        @for l in items {
            article.card.result {
                h2 { span.name { (l.name) } " " span.id-masked { (l.id_masked) } }
                dl {
                    @if let Some(r) = &l.legal_rep { dt { "法定代表人" } dd { (r) } }
                    dt { "执行法院" } dd { (l.court) }
                    dt { "执行案号" } dd.case-number { (l.case_number) }
                    dt { "执行依据" } dd { (l.basis) }
                    dt { "生效法律文书确定的义务" } dd { (l.duty) }
                    dt { "履行情况" } dd.performance { (l.performance) @if l.performed_fen > 0 { "（已履行 " (yuan(l.performed_fen)) " 元）" } }
                    dt { "失信被执行人行为具体情形" } dd { @for g in &l.grounds { (g) "；" } (l.conduct) }
                    dt { "发布时间" } dd { (l.listed_on) }
                }
            }
        }
    }
}

fn restriction_rows(items: &[PublishedRestriction]) -> Markup {
    html! {
        @for o in items {
            article.card.result {
                h2 { span.name { (o.name) } " " span.id-masked { (o.id_masked) } }
                dl {
                    @if let Some(r) = &o.legal_rep { dt { "法定代表人" } dd { (r) } }
                    @if !o.bound_persons.is_empty() { dt { "同受限制的人员" } dd { (o.bound_persons.join("、")) } }
                    dt { "执行法院" } dd { (o.court) }
                    dt { "执行案号" } dd.case-number { (o.case_number) }
                    dt { "限制消费令发布日期" } dd { (o.ordered_on) }
                    dt { "不得实施的消费行为" } dd { ul { @for k in &o.restricted { li { (k) } } } }
                }
            }
        }
    }
}

async fn search(app: &App, lang: super::i18n::Lang, list: List, f: SearchForm) -> Response {
    let asked = f.name.is_some() || f.id_number.is_some();
    if !asked {
        return page(
            StatusCode::OK,
            layout(lang, list.title(), None, search_form(list, &f, None)),
        );
    }
    let (name, id) = (f.name.as_deref(), f.id_number.as_deref());
    let found = match list {
        List::Dishonest => publ::dishonest(app, name, id)
            .await
            .map(|v| (v.len(), listing_rows(&v))),
        List::Restricted => publ::restricted(app, name, id)
            .await
            .map(|v| (v.len(), restriction_rows(&v))),
    };
    match found {
        Ok((n, rows)) => {
            let body = html! {
                (search_form(list, &f, None))
                section #results {
                    @if n == 0 { p #no-results { "未查询到符合条件的记录。" } }
                    @else { p #result-count { "共 " (n) " 条记录" } (rows) }
                }
            };
            page(StatusCode::OK, layout(lang, list.title(), None, body))
        }
        Err(e @ zhixing_app::AppError::Malformed { .. }) => page(
            StatusCode::BAD_REQUEST,
            layout(
                lang,
                list.title(),
                None,
                search_form(list, &f, Some(refusal_zh(e.code()))),
            ),
        ),
        Err(e) => super::PageError::from(e).into_response(),
    }
}

/// 失信被执行人名单查询 — the form, and the results of a search.
pub async fn dishonest(
    State(app): State<App>,
    PageLang(lang): PageLang,
    axum::extract::Query(f): axum::extract::Query<SearchForm>,
) -> Response {
    search(&app, lang, List::Dishonest, f).await
}

/// 限制消费人员查询 — the form, and the results of a search.
pub async fn restricted(
    State(app): State<App>,
    PageLang(lang): PageLang,
    axum::extract::Query(f): axum::extract::Query<SearchForm>,
) -> Response {
    search(&app, lang, List::Restricted, f).await
}
