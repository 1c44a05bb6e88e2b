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
use zhixing_app::portal::{self as svc, PartyCaseView, SubmissionView, submissions};
use zhixing_app::state::App;

/// 公开服务 — the public index.
pub async fn index(PageLang(lang): PageLang) -> Response {
    let body = html! {
        section.card #public-index {
            h1 { "执行公开服务" }
            p { "本页面向公众和案件当事人开放，无需登录。" }
            ul {
                li { a #party-link href="/public/case" { "当事人查询案件进度" } " — 凭案号和查询码查看本人案件的立案、通知、措施、案款和结案情况。" }
                li { a #receipt-link href="/public/case/receipt" { "网上提交查询" } " — 当事人在网上提交财产线索或信访后，凭回执号查询核查或办理情况。" }
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
    party_page(&app, lang, &f, None).await
}

/// The party's view again, with what the last form did (or why not) at its top.
async fn party_page(
    app: &App,
    lang: super::i18n::Lang,
    f: &AccessForm,
    said: Option<Said<'_>>,
) -> Response {
    party_page_with(app, lang, f, said, &Draft::default()).await
}

/// [`party_page`], with what the party typed into a refused form.
async fn party_page_with(
    app: &App,
    lang: super::i18n::Lang,
    f: &AccessForm,
    said: Option<Said<'_>>,
    draft: &Draft,
) -> Response {
    match svc::party_access(app, &f.case_number, &f.code).await {
        Ok(v) => {
            let status = said.as_ref().map_or(StatusCode::OK, |s| s.status);
            page(
                status,
                layout(lang, "当事人查询", None, view(&v, f, said, draft)),
            )
        }
        // A wrong number or code, or too many of them: the form again, with the reason.
        Err(e @ (AppError::Forbidden { .. } | AppError::Throttled { .. })) => {
            let msg = super::refusal_words(lang, &e);
            let status = crate::error::ApiError::from(e).status;
            page(
                status,
                layout(lang, "当事人查询", None, form(f, Some(&msg))),
            )
        }
        Err(e) => super::PageError::from(e).into_response(),
    }
}

/// What the party's last form did, or why it was refused.
struct Said<'a> {
    status: StatusCode,
    ok: bool,
    words: &'a str,
}

/// The case number and code carried by each form of the party's page: the page has no session.
fn credentials(f: &AccessForm) -> Markup {
    html! {
        input type="hidden" name="case_number" value=(f.case_number);
        input type="hidden" name="code" value=(f.code);
    }
}

/// The documents addressed to the party and the inbox for electronic service.
fn inbox(v: &PartyCaseView, f: &AccessForm) -> Markup {
    html! {
        section #inbox {
            h2 { "法律文书送达" }
            @if v.documents.is_empty() { p { "暂无送达给您的文书。" } }
            @else {
                div.scroll { table #party-documents {
                    tr { th { "文书" } th { "送达状态" } th { "送达日期" } th { "方式" } th { "查阅" } }
                    @for d in &v.documents {
                        tr data-document=(d.document_id) data-status=(d.status) {
                            td { (d.title) }
                            td { (d.status_zh) }
                            td { (d.served_on.as_deref().unwrap_or("—")) }
                            td { (d.method_zh.as_deref().unwrap_or("—")) }
                            td { @if d.openable {
                                form method="post" action=(format!("/public/case/documents/{}", d.document_id)) {
                                    (credentials(f))
                                    button type="submit" data-open=(d.document_id) { @if d.opened_on.is_some() { "再次查看" } @else { "查看文书" } }
                                }
                                @if let Some(o) = &d.opened_on { span.small.muted { (o) " 已查阅" } }
                            } @else { "—" } }
                        }
                    }
                } }
                p.small.muted { "文书自送达之日起发生效力，其载明的期间自送达之日起计算；“未送达”的文书尚未对您发生效力。" }
            }
            h3 { "电子送达" }
            @match &v.electronic_consent {
                Some(c) => {
                    p #consent-state { "您已于 " (c.given_on) " 同意以本收件箱接收电子送达的法律文书"
                        @if let Some(n) = &c.notify { "，新文书送达时提醒至 " (n) } "。文书到达收件箱之日即为送达之日。" }
                    form #revoke-form method="post" action="/public/case/consent" {
                        (credentials(f))
                        input type="hidden" name="consent" value="no";
                        button type="submit" { "撤回电子送达同意" }
                    }
                }
                None => {
                    p #consent-state { "您尚未同意电子送达。同意后，本院的法律文书将送达至本页面的收件箱，文书到达之日即为送达之日；您可随时撤回。" }
                    form #consent-form method="post" action="/public/case/consent" {
                        (credentials(f))
                        input type="hidden" name="consent" value="yes";
                        label { "新文书提醒方式（可选）" select name="channel" {
                            option value="" { "不提醒" } option value="sms" { "短信" } option value="email" { "电子邮件" } } }
                        label { "手机号码或电子邮箱" input name="address" maxlength="254" autocomplete="off"; }
                        button type="submit" { "同意电子送达" }
                    }
                }
            }
        }
    }
}

fn view(v: &PartyCaseView, f: &AccessForm, said: Option<Said<'_>>, draft: &Draft) -> Markup {
    html! {
        @if let Some(s) = &said {
            @if s.ok { p.notice #party-said role="status" { (s.words) } } @else { p.error #party-said role="alert" { (s.words) } }
        }
        section.card #party-case {
            h1 { "案件 " span #case-number { (v.number) } }
            p { (v.court_name) " · 立案日期 " (v.filed_on) " · 状态 " strong #case-status { (v.status_zh) } }
            p { "您是本案的 " (if v.you.role == "applicant" { "申请执行人" } else { "被执行人" }) "：" (v.you.name) }
            p { "执行标的 " (yuan(v.total_due_fen)) "，尚未履行 " (yuan(v.unpaid_fen)) }
            h2 { "当事人" }
            ul { @for p in &v.parties { li { (if p.role == "applicant" { "申请执行人" } else { "被执行人" }) "：" (p.name) } } }
            h2 { "办理进程" }
            ol #timeline { @for s in &v.timeline { li { (s.on) " " (s.title) } } }
            h2 { "期限" }
            ul #deadlines { @for d in &v.deadlines { li { (d.title) " — " (d.due) "（" (super::deadline_status(&d.status).1) "）" } } }
            h2 { "控制措施" }
            @if v.measures.is_empty() { p { "暂无。" } }
            @else {
                div.scroll { table #measures {
                    tr { th { "措施" } th { "财产" } th { "金额" } th { "状态" } th { "期限至" } }
                    @for m in &v.measures {
                        tr data-status=(m.status) {
                            td { (m.kind_zh) }
                            td.asset { (m.asset) }
                            td.num { (m.amount_fen.map(yuan).unwrap_or_else(|| "—".into())) }
                            td { (super::control::measure_status_zh(&m.status)) }
                            td { (m.until.as_deref().unwrap_or("—")) }
                        }
                    }
                } }
            }
            @if let Some(pay) = &v.how_to_pay {
                section #how-to-pay {
                    h2 { "如何履行（案款缴纳）" }
                    p { "尚未履行金额 " strong #outstanding { (yuan(pay.outstanding_fen)) } "。请将款项转入本案案款账户（一案一账号），转账用途请填写案号。" }
                    dl #payment-account {
                        dt { "户名" } dd #account-name { (pay.account.account_name) }
                        dt { "账号" } dd #account-number { (pay.account.account_number) }
                        dt { "用途／附言" } dd { (pay.account.reference) }
                    }
                    p.small.muted { "款项到账后由法院登记入案，并计入已履行金额。" }
                }
            }
            h2 { "案款发放" }
            @if v.payments.is_empty() { p { "暂无。" } }
            ul #payments { @for p in &v.payments { li { (yuan(p.amount_fen)) " — " (super::payout_status_zh(&p.status)) @if let Some(d) = &p.paid_on { " （" (d) " 已付）" } } } }
            @if !v.reviews.is_empty() {
                h2 { "执行审查（异议、复议、监督）" }
                div.scroll { table #party-reviews {
                    tr { th { "案号" } th { "类型" } th { "立案日期" } th { "审查期限" } th { "状态" } th { "裁定" } }
                    @for r in &v.reviews {
                        tr { td { (r.number) } td { (r.kind_zh) } td { (r.received_on) } td { (r.due_on.as_deref().unwrap_or("—")) }
                             td { (r.status_zh) } td { (r.outcome_zh.as_deref().unwrap_or("—")) @if let Some(d) = &r.ruled_on { "（" (d) "）" } } }
                    }
                } }
                p.small.muted { "裁定书送达后列于下方“法律文书送达”，复议、起诉期间自送达之日起计算。" }
            }
            (inbox(v, f))
            (submissions(v, f, draft))
        }
    }
}

/// What the party typed into a form that was refused, kept for the form shown again.
#[derive(Default)]
struct Draft {
    clue: String,
    complaint: String,
}

/// The party's clues and complaints submitted online, and the forms to submit more.
fn submissions(v: &PartyCaseView, f: &AccessForm, draft: &Draft) -> Markup {
    html! {
        section #submissions {
            h2 { "网上提交" }
            @if v.submissions.is_empty() { p { "您尚未在网上提交财产线索或信访。" } }
            @else {
                div.scroll { table #submission-list {
                    tr { th { "回执号" } th { "类别" } th { "提交日期" } th { "状态" } th { "办理期限" } }
                    @for x in &v.submissions {
                        tr data-receipt=(x.receipt) data-status=(x.status) {
                            td { code { (x.receipt) } } td { (x.kind_zh) } td { (x.submitted_on) }
                            td { (x.status_zh) } td { (x.due.as_deref().unwrap_or("—")) }
                        }
                    }
                } }
            }
            @if v.you.role == "applicant" {
                h3 { "提供财产线索" }
                p.small { "请写明财产的种类、所在地或开户机构及能够查找的信息。法院将在规定期限内核查，您可凭回执号查询核查情况。" }
                form #clue-form method="post" action="/public/case/clues" {
                    (credentials(f))
                    label { "财产线索（不超过 " (zhixing_domain::case::MAX_CLUE_CHARS) " 字）"
                        textarea #clue-description name="description" required rows="4" { (draft.clue) } }
                    button #clue-submit type="submit" { "提交财产线索" }
                }
            }
            h3 { "网上信访" }
            p.small { "对本案执行有意见或投诉，可在此提交。法院登记后在规定的工作日内办结并答复，您可凭回执号查询办理情况和答复。" }
            form #complaint-form method="post" action="/public/case/complaints" {
                (credentials(f))
                label { "信访事项（不超过 " (zhixing_domain::complaint::MAX_TEXT_CHARS) " 字）"
                    textarea #complaint-summary name="summary" required rows="4" { (draft.complaint) } }
                button #complaint-submit type="submit" { "提交信访" }
            }
            p.small { a href="/public/case/receipt" { "凭回执号查询办理情况" } }
        }
    }
}

#[derive(Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    case_number: String,
    #[serde(default)]
    code: String,
    /// yes or no
    consent: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    address: String,
}

/// The party consents to electronic service, or revokes it; their page again with the answer.
pub async fn consent_submit(
    State(app): State<App>,
    PageLang(lang): PageLang,
    axum::Form(c): axum::Form<ConsentForm>,
) -> Response {
    let give = c.consent == "yes";
    let contact = zhixing_app::portal::inbox::ContactInput {
        channel: c.channel,
        address: c.address,
    };
    let f = AccessForm {
        case_number: c.case_number,
        code: c.code,
    };
    match zhixing_app::portal::inbox::consent(&app, &f.case_number, &f.code, give, &contact).await {
        Ok(_) => {
            let words = if give {
                "已记录您同意电子送达。"
            } else {
                "已撤回电子送达同意。"
            };
            party_page(
                &app,
                lang,
                &f,
                Some(Said {
                    status: StatusCode::OK,
                    ok: true,
                    words,
                }),
            )
            .await
        }
        Err(e) => party_refused(&app, lang, &f, e).await,
    }
}

/// A party's form refused: beside it on their page (a refusal of the law), or the access form
/// again (a wrong or locked code), or the error page.
async fn party_refused(
    app: &App,
    lang: super::i18n::Lang,
    f: &AccessForm,
    e: AppError,
) -> Response {
    party_refused_with(app, lang, f, e, &Draft::default()).await
}

/// [`party_refused`], keeping what the party typed.
async fn party_refused_with(
    app: &App,
    lang: super::i18n::Lang,
    f: &AccessForm,
    e: AppError,
    draft: &Draft,
) -> Response {
    match e {
        e if e.is_refusal() => {
            let words = super::refusal_words(lang, &e);
            let status = crate::error::ApiError::from(e).status;
            party_page_with(
                app,
                lang,
                f,
                Some(Said {
                    status,
                    ok: false,
                    words: &words,
                }),
                draft,
            )
            .await
        }
        e @ (AppError::Forbidden { .. } | AppError::Throttled { .. }) => {
            let msg = super::refusal_words(lang, &e);
            let status = crate::error::ApiError::from(e).status;
            page(
                status,
                layout(lang, "当事人查询", None, form(f, Some(&msg))),
            )
        }
        e => super::PageError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    case_number: String,
    #[serde(default)]
    code: String,
    /// Present: the document as a file to keep, rather than the page.
    #[serde(default)]
    download: Option<String>,
}

/// A served document opened from the party's inbox: a page with its service and hash and the
/// document itself (sandboxed), or the document as a file.
pub async fn document_submit(
    State(app): State<App>,
    PageLang(lang): PageLang,
    crate::error::Path(id): crate::error::Path<i64>,
    axum::Form(o): axum::Form<OpenForm>,
) -> Response {
    let f = AccessForm {
        case_number: o.case_number,
        code: o.code,
    };
    match zhixing_app::portal::inbox::open_document(&app, &f.case_number, &f.code, id).await {
        Ok(d) if o.download.is_some() => crate::multipart::download(
            d.html.into_bytes(),
            &format!("{}.html", d.title),
            "text/html; charset=utf-8",
            &d.sha256,
        ),
        Ok(d) => {
            let body = html! {
                section.card #party-document {
                    h1 { (d.title) }
                    p { "送达日期 " strong #served-on { (d.served_on) } " · 送达方式 " (d.method_zh) }
                    p.small { "SHA-256：" code #document-sha256 { (d.sha256) } }
                    form method="post" action=(format!("/public/case/documents/{id}")) {
                        (credentials(&f))
                        input type="hidden" name="download" value="1";
                        button type="submit" #download { "下载文书" }
                    }
                    form method="post" action="/public/case" {
                        (credentials(&f))
                        button type="submit" { "返回案件" }
                    }
                    iframe #document-frame title=(d.title) sandbox="" srcdoc=(d.html) {}
                }
            };
            page(StatusCode::OK, layout(lang, &d.title, None, body))
        }
        Err(e) => party_refused(&app, lang, &f, e).await,
    }
}

#[derive(Deserialize)]
pub struct ClueForm {
    #[serde(default)]
    case_number: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    description: String,
}

/// A property clue submitted from the party's page: the receipt page, or their page again with
/// the reason (and what they typed).
pub async fn clue_submit(
    State(app): State<App>,
    PageLang(lang): PageLang,
    axum::Form(c): axum::Form<ClueForm>,
) -> Response {
    let f = AccessForm {
        case_number: c.case_number,
        code: c.code,
    };
    match submissions::submit_clue(&app, &f.case_number, &f.code, &c.description).await {
        Ok(s) => receipt_page(lang, &f, &s, true),
        Err(e) => {
            let draft = Draft {
                clue: c.description,
                ..Draft::default()
            };
            party_refused_with(&app, lang, &f, e, &draft).await
        }
    }
}

#[derive(Deserialize)]
pub struct ComplaintForm {
    #[serde(default)]
    case_number: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    summary: String,
}

/// A complaint submitted from the party's page: the receipt page, or their page again with the
/// reason (and what they typed).
pub async fn complaint_submit(
    State(app): State<App>,
    PageLang(lang): PageLang,
    axum::Form(c): axum::Form<ComplaintForm>,
) -> Response {
    let f = AccessForm {
        case_number: c.case_number,
        code: c.code,
    };
    match submissions::submit_complaint(&app, &f.case_number, &f.code, &c.summary).await {
        Ok(s) => receipt_page(lang, &f, &s, true),
        Err(e) => {
            let draft = Draft {
                complaint: c.summary,
                ..Draft::default()
            };
            party_refused_with(&app, lang, &f, e, &draft).await
        }
    }
}

/// A submission as its party follows it; `fresh` when it was just submitted.
fn receipt_page(
    lang: super::i18n::Lang,
    f: &AccessForm,
    s: &SubmissionView,
    fresh: bool,
) -> Response {
    let due_label = if s.kind == "clue" {
        "核查期限"
    } else {
        "办结期限"
    };
    let answer_label = if s.kind == "clue" {
        "核查结果"
    } else {
        "答复"
    };
    let body = html! {
        @if fresh {
            p.notice #submitted role="status" { "已收到您提交的" (s.kind_zh) "。请记下回执号，凭回执号、案号和查询码可随时查询办理情况。" }
        }
        section.card #submission {
            h1 { (s.kind_zh) " · 回执" }
            dl {
                dt { "回执号" } dd { strong #receipt { (s.receipt) } }
                dt { "案号" } dd { (s.case_number) }
                dt { "提交日期" } dd { (s.submitted_on) }
                dt { "状态" } dd #submission-status data-status=(s.status) { (s.status_zh) }
                dt { (due_label) } dd #submission-due { (s.due.as_deref().unwrap_or("—")) }
                @if let Some(on) = &s.answered_on { dt { "办结日期" } dd { (on) } }
                @if let Some(a) = &s.answer { dt { (answer_label) } dd #submission-answer { (a) } }
                dt { "内容" } dd #submission-text { (s.text) }
            }
            form method="post" action="/public/case" {
                (credentials(f))
                button type="submit" { "返回案件" }
            }
        }
    };
    let status = if fresh {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    page(status, layout(lang, "网上提交回执", None, body))
}

#[derive(Deserialize, Default)]
pub struct ReceiptForm {
    #[serde(default)]
    case_number: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    receipt: String,
}

fn receipt_form(r: &ReceiptForm, error: Option<&str>) -> Markup {
    html! {
        section.card #receipt-lookup {
            h1 { "网上提交查询" }
            p { "凭回执号、案号和查询码，查询您在网上提交的财产线索的核查情况或信访的办理情况。" }
            @if let Some(e) = error { p.error #receipt-error role="alert" { (e) } }
            form method="post" action="/public/case/receipt" {
                label { "回执号 " input #receipt_no name="receipt" required maxlength="32" autocomplete="off" value=(r.receipt); }
                label { "案号 " input #receipt_case_number name="case_number" required maxlength="64" value=(r.case_number); }
                label { "查询码 " input #receipt_code name="code" required maxlength="32" autocomplete="off"; }
                button #receipt-submit type="submit" { "查询" }
            }
            p.small { "连续输错查询码 5 次，该案号将被锁定 15 分钟。" }
        }
    }
}

/// The form to follow a submission by its receipt.
pub async fn receipt_lookup(PageLang(lang): PageLang) -> Response {
    page(
        StatusCode::OK,
        layout(
            lang,
            "网上提交查询",
            None,
            receipt_form(&ReceiptForm::default(), None),
        ),
    )
}

/// A submission followed by its receipt, or the form again with the reason.
pub async fn receipt_submit(
    State(app): State<App>,
    PageLang(lang): PageLang,
    axum::Form(r): axum::Form<ReceiptForm>,
) -> Response {
    let f = AccessForm {
        case_number: r.case_number.clone(),
        code: r.code.clone(),
    };
    match submissions::follow(&app, &r.case_number, &r.code, &r.receipt).await {
        Ok(s) => receipt_page(lang, &f, &s, false),
        Err(
            e @ (AppError::Forbidden { .. }
            | AppError::Throttled { .. }
            | AppError::NotFound { .. }),
        ) => {
            let msg = super::refusal_words(lang, &e);
            let status = crate::error::ApiError::from(e).status;
            page(
                status,
                layout(lang, "网上提交查询", None, receipt_form(&r, Some(&msg))),
            )
        }
        Err(e) => super::PageError::from(e).into_response(),
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
