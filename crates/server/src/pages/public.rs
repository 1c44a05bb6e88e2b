//! The public portal's pages (公开服务): no sign-in. The index, and the party page where a
//! party follows its case (当事人查询) with its case number and access code.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::{PageLang, layout, page};
use crate::service::portal::{self as svc, PartyCaseView};
use crate::state::App;

fn yuan(fen: i64) -> String {
    zhixing_domain::money::Fen::new(fen)
        .map(|f| f.to_string())
        .unwrap_or_else(|_| fen.to_string())
}

/// 公开服务 — the public index.
pub async fn index(PageLang(lang): PageLang) -> Response {
    let body = html! {
        section.card #public-index {
            h1 { "执行公开服务" }
            p { "本页面向公众和案件当事人开放，无需登录。" }
            ul {
                li { a #party-link href="/public/case" { "当事人查询案件进度" } " — 凭案号和查询码查看本人案件的立案、通知、措施、案款和结案情况。" }
                li { a href="/public/v1/announcements" { "法院公告" } "（数据接口）" }
                li { a href="/public/v1/terminated-cases" { "终结本次执行程序案件" } "（数据接口，身份证号已遮蔽）" }
            }
            h2 { "即将开放" }
            ul {
                li #dishonest-placeholder { "失信被执行人名单查询 — 即将开放。" }
                li #restriction-placeholder { "限制消费人员查询 — 即将开放。" }
            }
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
        Err(e) if e.code == "access_denied" || e.code == "access_locked" => {
            let msg = if e.code == "access_locked" {
                "输错次数过多，该案号已被暂时锁定，请稍后再试。"
            } else {
                "案号或查询码不正确。"
            };
            page(
                e.status,
                layout(lang, "当事人查询", None, form(&f, Some(msg))),
            )
        }
        Err(e) => super::PageError(e).into_response(),
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
