//! The public lists as pages (no sign-in, rate limited with the rest of `/public`): court
//! announcements (法院公告) by court and title, one announcement in full, and the list of
//! cases closed by 终结本次执行程序 (终本) searched by case number and respondent's name. They
//! read the same app functions as `/public/v1/announcements` and `/public/v1/terminated-cases`,
//! so a page shows what the JSON publishes and nothing more.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::cases::yuan;
use super::i18n::zh_en;
use super::{PageLang, layout, page};
use zhixing_app::AppError;
use zhixing_app::portal::{self as svc, MAX_SEARCH_CHARS};
use zhixing_app::state::App;

/// Items on one page of a public list.
const PAGE_SIZE: i64 = 20;

/// Percent-encodes everything but the unreserved characters (names and numbers are Chinese).
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

/// `path?k=v&…` with the given (non-empty) values.
fn link(path: &str, pairs: &[(&str, &str)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect();
    if q.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

/// Why a search was refused, in the words a member of the public reads.
fn refusal_zh(e: &AppError) -> String {
    match e.code() {
        "search_too_long" if super::i18n::en() => {
            format!("The search is too long: at most {MAX_SEARCH_CHARS} characters a field.")
        }
        "search_too_long" => format!("查询内容过长：每项最多 {MAX_SEARCH_CHARS} 个字。"),
        _ => zh_en(
            "查询条件有误，请检查后重试。",
            "The search is malformed: check it and try again.",
        )
        .to_owned(),
    }
}

/// Paging links: back to the first page, and on to the next when there is one.
fn pager(path: &str, filters: &[(&str, &str)], cursor: Option<i64>, next: Option<i64>) -> Markup {
    let next = next.map(|n| {
        let n = n.to_string();
        let mut with = filters.to_vec();
        with.push(("cursor", &n));
        link(path, &with)
    });
    html! {
        nav.pager {
            @if cursor.is_some() { a #first-page href=(link(path, filters)) { (zh_en("« 第一页", "« First page")) } " " }
            @if let Some(href) = next { a #next-page href=(href) { (zh_en("下一页 »", "Next page »")) } }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct AnnouncementFilter {
    #[serde(default)]
    court: String,
    #[serde(default)]
    q: String,
    cursor: Option<i64>,
}

/// 法院公告 — newest first, by court and by a part of the title.
pub async fn announcements(
    State(app): State<App>,
    PageLang(lang): PageLang,
    axum::extract::Query(f): axum::extract::Query<AnnouncementFilter>,
) -> Response {
    let courts = match svc::announcing_courts(&app).await {
        Ok(c) => c,
        Err(e) => return super::PageError::from(e).into_response(),
    };
    let q = svc::AnnouncementQuery {
        before: f.cursor,
        limit: PAGE_SIZE,
        court_id: Some(f.court.clone()),
        title: Some(f.q.clone()),
    };
    let (found, status) = match svc::announcements(&app, &q).await {
        Ok(found) => (Ok(found), StatusCode::OK),
        Err(e @ AppError::Malformed { .. }) => (Err(refusal_zh(&e)), StatusCode::BAD_REQUEST),
        Err(e) => return super::PageError::from(e).into_response(),
    };
    let filters = [("court", f.court.as_str()), ("q", f.q.as_str())];
    let body = html! {
        section.card #announcements {
            h1 { (zh_en("法院公告", "Court announcements")) }
            form.filters method="get" action="/public/announcements" {
                label.inline { (zh_en("法院 ", "Court "))
                    select #court name="court" {
                        option value="" { (zh_en("全部法院", "All courts")) }
                        @for (id, name) in &courts { option value=(id) selected[*id == f.court] { (name) } }
                    }
                }
                label.inline { (zh_en("标题含 ", "Title contains ")) input #q name="q" maxlength=(MAX_SEARCH_CHARS) value=(f.q); }
                button #search-submit type="submit" { (zh_en("查询", "Search")) }
            }
            @match &found {
                Err(msg) => p.error #search-error role="alert" { (msg) },
                Ok((items, next)) => {
                    @if items.is_empty() { p #no-results { (zh_en("暂无公告。", "No announcements yet.")) } }
                    @else {
                        div.scroll {
                            table #announcement-list {
                                thead { tr { th { (zh_en("发布时间", "Posted")) } th { (zh_en("法院", "Court")) } th { (zh_en("标题", "Title")) } } }
                                tbody {
                                    @for a in items {
                                        tr.announcement {
                                            td.num { (super::beijing_at(&a.posted_at)) }
                                            td { (a.court_name) }
                                            td { a href=(format!("/public/announcements/{}", a.id)) { (a.title) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    (pager("/public/announcements", &filters, f.cursor, *next))
                }
            }
            p.small { (zh_en("同一内容以数据接口提供：", "The same content as an API: ")) a href="/public/v1/announcements" { "/public/v1/announcements" } (zh_en("。", ".")) }
        }
    };
    page(
        status,
        layout(lang, zh_en("法院公告", "Court announcements"), None, body),
    )
}

/// One announcement in full.
pub async fn announcement(
    State(app): State<App>,
    PageLang(lang): PageLang,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    let a = match svc::announcement(&app, id).await {
        Ok(a) => a,
        Err(e) => return super::PageError::from(e).into_response(),
    };
    let body = html! {
        section.card #announcement {
            nav.crumbs { a href="/public/announcements" { (zh_en("法院公告", "Court announcements")) } }
            h1 #announcement-title { (a.title) }
            p.muted { span #announcement-court { (a.court_name) } (zh_en(" · 发布于 ", " · posted ")) (super::beijing_at(&a.posted_at)) }
            div #announcement-body .prewrap { (a.body) }
        }
    };
    page(StatusCode::OK, layout(lang, &a.title, None, body))
}

#[derive(Deserialize, Default)]
pub struct ZhongbenFilter {
    #[serde(default)]
    number: String,
    #[serde(default)]
    name: String,
    cursor: Option<i64>,
}

/// 终结本次执行程序案件公开 — by a part of the case number and of a respondent's name.
pub async fn zhongben(
    State(app): State<App>,
    PageLang(lang): PageLang,
    axum::extract::Query(f): axum::extract::Query<ZhongbenFilter>,
) -> Response {
    let q = svc::TerminatedQuery {
        before: f.cursor,
        limit: PAGE_SIZE,
        number: Some(f.number.clone()),
        name: Some(f.name.clone()),
    };
    let (found, status) = match svc::terminated(&app, &q).await {
        Ok(found) => (Ok(found), StatusCode::OK),
        Err(e @ AppError::Malformed { .. }) => (Err(refusal_zh(&e)), StatusCode::BAD_REQUEST),
        Err(e) => return super::PageError::from(e).into_response(),
    };
    let filters = [("number", f.number.as_str()), ("name", f.name.as_str())];
    let title = zh_en(
        "终结本次执行程序案件公开",
        "Cases whose round of enforcement was terminated",
    );
    let body = html! {
        section.card #zhongben {
            h1 { (title) }
            p { (zh_en("经穷尽财产调查措施，未发现被执行人有可供执行的财产而终结本次执行程序的案件。申请执行人发现被执行人有可供执行财产的，可以再次申请执行。", "Cases whose round of enforcement was terminated because every property search found nothing to enforce against. An applicant who finds property may apply for enforcement again.")) }
            form.filters method="get" action="/public/zhongben" {
                label.inline { (zh_en("案号含 ", "Case number contains ")) input #number name="number" maxlength=(MAX_SEARCH_CHARS) placeholder=(zh_en("如 执50", "e.g. 执50")) value=(f.number); }
                label.inline { (zh_en("被执行人 ", "Respondent ")) input #name name="name" maxlength=(MAX_SEARCH_CHARS) value=(f.name); }
                button #search-submit type="submit" { (zh_en("查询", "Search")) }
            }
            @match &found {
                Err(msg) => p.error #search-error role="alert" { (msg) },
                Ok((items, next)) => {
                    @if items.is_empty() { p #no-results { (zh_en("未查询到符合条件的案件。", "No cases match.")) } }
                    @else {
                        div.scroll {
                            table #zhongben-list {
                                thead { tr { th { (zh_en("案号", "Case number")) } th { (zh_en("执行法院", "Enforcing court")) } th { (zh_en("被执行人", "Respondent")) } th { (zh_en("未履行金额", "Outstanding")) } th { (zh_en("终本日期", "Terminated on")) } } }
                                tbody {
                                    @for c in items {
                                        tr.terminated {
                                            td.case-number.num { (c.number) }
                                            td { (c.court_name) }
                                            td { @for r in &c.respondents { div.respondent { span.name { (r.name) } " " span.id-masked.code { (r.id_masked) } } } }
                                            td.num.unpaid { (yuan(c.unpaid_fen)) }
                                            td.num { (c.closed_on.as_deref().unwrap_or("—")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    (pager("/public/zhongben", &filters, f.cursor, *next))
                }
            }
            p.small { (zh_en("公布的身份证号码和统一社会信用代码均已部分遮蔽。已恢复执行的案件不再显示。数据接口：", "ID numbers and unified social credit codes are partly masked. Cases resumed are no longer shown. API: ")) a href="/public/v1/terminated-cases" { "/public/v1/terminated-cases" } (zh_en("。", ".")) }
        }
    };
    page(status, layout(lang, title, None, body))
}
