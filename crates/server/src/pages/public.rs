//! The public portal's pages (公开服务): no sign-in. The index, and the party page where a
//! party follows its case (当事人查询) with its case number and access code.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::cases::yuan;
use super::i18n::{known, zh_en};
use super::{PageLang, layout, page};
use zhixing_app::AppError;
use zhixing_app::credit::publication::{self as publ, PublishedListing, PublishedRestriction};
use zhixing_app::portal::{self as svc, PartyCaseView, SubmissionView, submissions};
use zhixing_app::state::App;

/// 公开服务 — the public index.
pub async fn index(PageLang(lang): PageLang) -> Response {
    let body = html! {
        section.card #public-index {
            h1 { (zh_en("执行公开服务", "Public enforcement services")) }
            p { (zh_en("本页面向公众和案件当事人开放，无需登录。", "Open to the public and to parties, without signing in.")) }
            ul {
                li { a #party-link href="/public/case" { (zh_en("当事人查询案件进度", "Parties: follow your case")) } (zh_en(" — 凭案号和查询码查看本人案件的立案、通知、措施、案款和结案情况。", " — with the case number and access code, see your case's filing, notices, measures, money and closure.")) }
                li { a #receipt-link href="/public/case/receipt" { (zh_en("网上提交查询", "Follow an online submission")) } (zh_en(" — 当事人在网上提交财产线索或信访后，凭回执号查询核查或办理情况。", " — after submitting a property lead or complaint online, follow it with the receipt number.")) }
                li { a #announcements-link href="/public/announcements" { (zh_en("法院公告", "Court announcements")) } (zh_en(" — 各法院发布的执行公告，可按法院和标题查询。", " — enforcement announcements of every court, searchable by court and title.")) }
                li { a #zhongben-link href="/public/zhongben" { (zh_en("终结本次执行程序案件公开", "Cases whose round of enforcement was terminated")) } (zh_en(" — 终本案件的案号、被执行人（证件号已遮蔽）和未履行金额，可按案号或姓名查询。", " — case number, respondent (ID masked) and amount outstanding, searchable by case number or name.")) }
            }
            h2 { (zh_en("信用惩戒公示", "Credit sanctions")) }
            ul {
                li { a #dishonest-link href="/public/dishonest" { (zh_en("失信被执行人名单查询", "Search the dishonest judgment debtors")) } (zh_en(" — 凭姓名和身份证号码（或统一社会信用代码）查询。", " — by name and ID number (or unified social credit code).")) }
                li { a #restricted-link href="/public/restricted" { (zh_en("限制消费人员查询", "Search persons restricted in consumption")) } (zh_en(" — 查询方式同上。", " — searched the same way.")) }
            }
            h2 { (zh_en("司法拍卖", "Judicial auctions")) }
            ul { li { a #auctions-link href="/public/auctions" { (zh_en("网络司法拍卖", "Online judicial auctions")) } (zh_en(" — 正在进行和即将开始的拍卖，竞价实时更新。", " — auctions running and about to start, bids live.")) } }
        }
    };
    page(
        StatusCode::OK,
        layout(
            lang,
            zh_en("执行公开服务", "Public enforcement services"),
            None,
            body,
        ),
    )
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
            h1 { (zh_en("当事人查询", "Party access")) }
            p { (zh_en("请输入案号和立案时告知您的查询码。", "Enter the case number and the access code you were given at filing.")) }
            @if let Some(e) = error { p.error #access-error role="alert" { (e) } }
            form method="post" action="/public/case" {
                label { (zh_en("案号 ", "Case number ")) input #case_number name="case_number" required maxlength="64" value=(f.case_number); }
                label { (zh_en("查询码 ", "Access code ")) input #code name="code" required maxlength="32" autocomplete="off"; }
                button #access-submit type="submit" { (zh_en("查询", "Search")) }
            }
            p.small { (zh_en("连续输错 5 次，该案号将被锁定 15 分钟。", "After 5 wrong tries in a row, the case number is locked for 15 minutes.")) }
        }
    }
}

/// The party page's form.
pub async fn case_form(PageLang(lang): PageLang) -> Response {
    page(
        StatusCode::OK,
        layout(
            lang,
            zh_en("当事人查询", "Party access"),
            None,
            form(&AccessForm::default(), None),
        ),
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
                layout(
                    lang,
                    zh_en("当事人查询", "Party access"),
                    None,
                    view(&v, f, said, draft),
                ),
            )
        }
        // A wrong number or code, or too many of them: the form again, with the reason.
        Err(e @ (AppError::Forbidden { .. } | AppError::Throttled { .. })) => {
            let msg = super::refusal_words(lang, &e);
            let status = crate::error::ApiError::from(e).status;
            page(
                status,
                layout(
                    lang,
                    zh_en("当事人查询", "Party access"),
                    None,
                    form(f, Some(&msg)),
                ),
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
            h2 { (zh_en("法律文书送达", "Documents served")) }
            @if v.documents.is_empty() { p { (zh_en("暂无送达给您的文书。", "No documents served on you yet.")) } }
            @else {
                div.scroll { table #party-documents {
                    tr { th { (zh_en("文书", "Document")) } th { (zh_en("送达状态", "Service")) } th { (zh_en("送达日期", "Served on")) } th { (zh_en("方式", "Method")) } th { (zh_en("查阅", "Read")) } }
                    @for d in &v.documents {
                        tr data-document=(d.document_id) data-status=(d.status) {
                            td { (super::i18n::known(&d.title)) }
                            td { (super::i18n::known(&d.status_zh)) }
                            td { (d.served_on.as_deref().unwrap_or("—")) }
                            td { (d.method_zh.as_deref().map_or("—", super::i18n::known)) }
                            td { @if d.openable {
                                form method="post" action=(format!("/public/case/documents/{}", d.document_id)) {
                                    (credentials(f))
                                    button type="submit" data-open=(d.document_id) { @if d.opened_on.is_some() { (zh_en("再次查看", "View again")) } @else { (zh_en("查看文书", "View")) } }
                                }
                                @if let Some(o) = &d.opened_on { span.small.muted { (o) (zh_en(" 已查阅", " read")) } }
                            } @else { "—" } }
                        }
                    }
                } }
                p.small.muted { (zh_en("文书自送达之日起发生效力，其载明的期间自送达之日起计算；“未送达”的文书尚未对您发生效力。", "A document takes effect on the day it is served, and the periods it states run from then; a document marked 'not served' has no effect on you yet.")) }
            }
            h3 { (zh_en("电子送达", "Electronic service")) }
            @match &v.electronic_consent {
                Some(c) => {
                    p #consent-state { (zh_en("您已于 ", "On ")) (c.given_on) (zh_en(" 同意以本收件箱接收电子送达的法律文书", " you agreed to receive documents served electronically in this inbox"))
                        @if let Some(n) = &c.notify { (zh_en("，新文书送达时提醒至 ", ", with reminders of new documents to ")) (n) } (zh_en("。文书到达收件箱之日即为送达之日。", ". A document is served on the day it reaches the inbox.")) }
                    form #revoke-form method="post" action="/public/case/consent" {
                        (credentials(f))
                        input type="hidden" name="consent" value="no";
                        button type="submit" { (zh_en("撤回电子送达同意", "Withdraw consent to electronic service")) }
                    }
                }
                None => {
                    p #consent-state { (zh_en("您尚未同意电子送达。同意后，本院的法律文书将送达至本页面的收件箱，文书到达之日即为送达之日；您可随时撤回。", "You have not agreed to electronic service. Once you agree, the court's documents are served to this page's inbox, served on the day they arrive; you may withdraw at any time.")) }
                    form #consent-form method="post" action="/public/case/consent" {
                        (credentials(f))
                        input type="hidden" name="consent" value="yes";
                        label { (zh_en("新文书提醒方式（可选）", "Reminder of new documents (optional)")) select name="channel" {
                            option value="" { (zh_en("不提醒", "None")) } option value="sms" { (zh_en("短信", "Text message")) } option value="email" { (zh_en("电子邮件", "Email")) } } }
                        label { (zh_en("手机号码或电子邮箱", "Mobile number or email address")) input name="address" maxlength="254" autocomplete="off"; }
                        button type="submit" { (zh_en("同意电子送达", "Agree to electronic service")) }
                    }
                }
            }
        }
    }
}

/// A step of the case in the reader's language, from its code and parameters; the app's
/// Chinese words if the catalogue lacks the code.
fn step_words(s: &zhixing_app::portal::PublicStep) -> String {
    use super::i18n::Label;
    use zhixing_domain as d;
    let args: Vec<(&str, String)> = s
        .args
        .iter()
        .map(|(k, v)| {
            let named = match *k {
                "action" => d::case::ActionKind::parse(v).map(Label::label),
                "mode" => d::case::ClosureMode::parse(v).map(Label::label),
                "method" => d::service::ServiceMethod::parse(v).map(Label::label),
                "document" => Some(known(v)),
                _ => None,
            };
            (*k, named.unwrap_or(v).to_owned())
        })
        .collect();
    crate::messages::worded(super::i18n::Lang::current(), s.code, &args)
        .unwrap_or_else(|| known(&s.title).to_owned())
}

/// A measure's property in the reader's language: in Chinese as the app words it
/// (`银行存款（某银行，尾号 1234）`); in English its kind by name, the institution by its
/// registered name — a name, Chinese as registered, with no stable English — and the tail of
/// its number.
fn asset_words(m: &zhixing_app::portal::PublicMeasure) -> String {
    if !super::i18n::en() {
        return m.asset.clone();
    }
    let p = &m.asset_parts;
    if p.kind.is_empty() {
        return m.asset.clone();
    }
    let kind = known(zhixing_domain::measure::asset_kind_zh(&p.kind));
    let mut within = Vec::new();
    if !p.held_at.is_empty() {
        within.push(p.held_at.clone());
    }
    if !p.tail.is_empty() {
        within.push(format!("number ending {}", p.tail));
    }
    if within.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind} ({})", within.join(", "))
    }
}

fn view(v: &PartyCaseView, f: &AccessForm, said: Option<Said<'_>>, draft: &Draft) -> Markup {
    html! {
        @if let Some(s) = &said {
            @if s.ok { p.notice #party-said role="status" { (s.words) } } @else { p.error #party-said role="alert" { (s.words) } }
        }
        section.card #party-case {
            h1 { (zh_en("案件 ", "Case ")) span #case-number { (v.number) } }
            p { (v.court_name) (zh_en(" · 立案日期 ", " · filed on ")) (v.filed_on) (zh_en(" · 状态 ", " · status ")) strong #case-status { (super::i18n::known(&v.status_zh)) } }
            p { (zh_en("您是本案的 ", "You are, in this case, the ")) (if v.you.role == "applicant" { zh_en("申请执行人", "Applicant") } else { zh_en("被执行人", "Respondent") }) (zh_en("：", ": ")) (v.you.name) }
            p { (zh_en("执行标的 ", "Amount to enforce ")) (yuan(v.total_due_fen)) (zh_en("，尚未履行 ", ", outstanding ")) (yuan(v.unpaid_fen)) }
            h2 { (zh_en("当事人", "Party")) }
            ul { @for p in &v.parties { li { (if p.role == "applicant" { zh_en("申请执行人", "Applicant") } else { zh_en("被执行人", "Respondent") }) (zh_en("：", ": ")) (p.name) } } }
            h2 { (zh_en("办理进程", "Progress")) }
            ol #timeline { @for s in &v.timeline { li { (s.on) " " (step_words(s)) } } }
            h2 { (zh_en("期限", "Due")) }
            ul #deadlines { @for d in &v.deadlines { li { (super::i18n::known(&d.title)) " — " (d.due) (zh_en("（", " (")) (super::deadline_status(&d.status).1) (zh_en("）", ")")) } } }
            h2 { (zh_en("控制措施", "Control measures")) }
            @if v.measures.is_empty() { p { (zh_en("暂无。", "None yet.")) } }
            @else {
                div.scroll { table #measures {
                    tr { th { (zh_en("措施", "Measure")) } th { (zh_en("财产", "Property")) } th { (zh_en("金额", "Amount")) } th { (zh_en("状态", "Status")) } th { (zh_en("期限至", "Until")) } }
                    @for m in &v.measures {
                        tr data-status=(m.status) {
                            td { (super::i18n::known(&m.kind_zh)) }
                            td.asset { (asset_words(m)) }
                            td.num { (m.amount_fen.map(yuan).unwrap_or_else(|| "—".into())) }
                            td { (super::control::measure_status_zh(&m.status)) }
                            td { (m.until.as_deref().unwrap_or("—")) }
                        }
                    }
                } }
            }
            @if let Some(pay) = &v.how_to_pay {
                section #how-to-pay {
                    h2 { (zh_en("如何履行（案款缴纳）", "How to pay")) }
                    p { (zh_en("尚未履行金额 ", "Amount outstanding ")) strong #outstanding { (yuan(pay.outstanding_fen)) } (zh_en("。请将款项转入本案案款账户（一案一账号），转账用途请填写案号。", ". Transfer it to the case's account (one account per case), with the case number as the reference.")) }
                    dl #payment-account {
                        dt { (zh_en("户名", "Account name")) } dd #account-name { (pay.account.account_name) }
                        dt { (zh_en("账号", "Account number")) } dd #account-number { (pay.account.account_number) }
                        dt { (zh_en("用途／附言", "Reference")) } dd { (pay.account.reference) }
                    }
                    p.small.muted { (zh_en("款项到账后由法院登记入案，并计入已履行金额。", "Once received, the court records the money in the case and counts it as performed.")) }
                }
            }
            h2 { (zh_en("案款发放", "Payouts")) }
            @if v.payments.is_empty() { p { (zh_en("暂无。", "None yet.")) } }
            ul #payments { @for p in &v.payments { li { (yuan(p.amount_fen)) " — " (super::payout_status_zh(&p.status)) @if let Some(d) = &p.paid_on { (zh_en(" （", " (")) (d) (zh_en(" 已付）", " paid)")) } } } }
            @if !v.reviews.is_empty() {
                h2 { (zh_en("执行审查（异议、复议、监督）", "Review cases (objections, reconsideration, supervision)")) }
                div.scroll { table #party-reviews {
                    tr { th { (zh_en("案号", "Number")) } th { (zh_en("类型", "Kind")) } th { (zh_en("立案日期", "Filed")) } th { (zh_en("审查期限", "Due")) } th { (zh_en("状态", "Status")) } th { (zh_en("裁定", "Ruling")) } }
                    @for r in &v.reviews {
                        tr { td { (r.number) } td { (known(&r.kind_zh)) } td { (r.received_on) } td { (r.due_on.as_deref().unwrap_or("—")) }
                             td { (known(&r.status_zh)) } td { (r.outcome_zh.as_deref().map_or("—".to_owned(), |o| known(o).to_string())) @if let Some(d) = &r.ruled_on { " (" (d) ")" } } }
                    }
                } }
                p.small.muted { (zh_en("裁定书送达后列于下方“法律文书送达”，复议、起诉期间自送达之日起计算。", "A ruling is listed under the documents served below once served; the periods to seek reconsideration or to sue run from its service.")) }
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
            h2 { (zh_en("网上提交", "Online submissions")) }
            @if v.submissions.is_empty() { p { (zh_en("您尚未在网上提交财产线索或信访。", "You have not submitted a property lead or complaint online.")) } }
            @else {
                div.scroll { table #submission-list {
                    tr { th { (zh_en("回执号", "Receipt no.")) } th { (zh_en("类别", "Kind")) } th { (zh_en("提交日期", "Submitted on")) } th { (zh_en("状态", "Status")) } th { (zh_en("办理期限", "Due")) } }
                    @for x in &v.submissions {
                        tr data-receipt=(x.receipt) data-status=(x.status) {
                            td { code { (x.receipt) } } td { (super::i18n::known(&x.kind_zh)) } td { (x.submitted_on) }
                            td { (super::i18n::known(&x.status_zh)) } td { (x.due.as_deref().unwrap_or("—")) }
                        }
                    }
                } }
            }
            @if v.you.role == "applicant" {
                h3 { (zh_en("提供财产线索", "Give a property lead")) }
                p.small { (zh_en("请写明财产的种类、所在地或开户机构及能够查找的信息。法院将在规定期限内核查，您可凭回执号查询核查情况。", "Say what the property is, where it is or which institution holds the account, and anything that helps find it. The court checks it within the set time limit; follow the check with the receipt number.")) }
                form #clue-form method="post" action="/public/case/clues" {
                    (credentials(f))
                    label { (zh_en("财产线索（不超过 ", "Property lead (at most ")) (zhixing_domain::case::MAX_CLUE_CHARS) (zh_en(" 字）", " characters)"))
                        textarea #clue-description name="description" required rows="4" { (draft.clue) } }
                    button #clue-submit type="submit" { (zh_en("提交财产线索", "Submit the lead")) }
                }
            }
            h3 { (zh_en("网上信访", "Online complaint")) }
            p.small { (zh_en("对本案执行有意见或投诉，可在此提交。法院登记后在规定的工作日内办结并答复，您可凭回执号查询办理情况和答复。", "Submit an opinion or complaint about the enforcement of this case here. The court registers it and closes and answers it within the set working days; follow it with the receipt number.")) }
            form #complaint-form method="post" action="/public/case/complaints" {
                (credentials(f))
                label { (zh_en("信访事项（不超过 ", "Complaint (at most ")) (zhixing_domain::complaint::MAX_TEXT_CHARS) (zh_en(" 字）", " characters)"))
                    textarea #complaint-summary name="summary" required rows="4" { (draft.complaint) } }
                button #complaint-submit type="submit" { (zh_en("提交信访", "Submit the complaint")) }
            }
            p.small { a href="/public/case/receipt" { (zh_en("凭回执号查询办理情况", "Follow a submission by its receipt number")) } }
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
                zh_en(
                    "已撤回电子送达同意。",
                    "Consent to electronic service withdrawn.",
                )
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
                layout(
                    lang,
                    zh_en("当事人查询", "Party access"),
                    None,
                    form(f, Some(&msg)),
                ),
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
                    h1 { (super::i18n::known(&d.title)) }
                    p { (zh_en("送达日期 ", "Served on ")) strong #served-on { (d.served_on) } (zh_en(" · 送达方式 ", " · method ")) (super::i18n::known(&d.method_zh)) }
                    p.small { (zh_en("SHA-256：", "SHA-256: ")) code #document-sha256 { (d.sha256) } }
                    form method="post" action=(format!("/public/case/documents/{id}")) {
                        (credentials(&f))
                        input type="hidden" name="download" value="1";
                        button type="submit" #download { (zh_en("下载文书", "Download")) }
                    }
                    form method="post" action="/public/case" {
                        (credentials(&f))
                        button type="submit" { (zh_en("返回案件", "Back to the case")) }
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
        zh_en("办结期限", "Close by")
    };
    let answer_label = if s.kind == "clue" {
        "核查结果"
    } else {
        zh_en("答复", "Answer")
    };
    let body = html! {
        @if fresh {
            p.notice #submitted role="status" { (zh_en("已收到您提交的", "Received: your ")) (super::i18n::known(&s.kind_zh)) (zh_en("。请记下回执号，凭回执号、案号和查询码可随时查询办理情况。", ". Note the receipt number: with it, the case number and the access code you can follow it at any time.")) }
        }
        section.card #submission {
            h1 { (super::i18n::known(&s.kind_zh)) (zh_en(" · 回执", " · Receipt")) }
            dl {
                dt { (zh_en("回执号", "Receipt no.")) } dd { strong #receipt { (s.receipt) } }
                dt { (zh_en("案号", "Case number")) } dd { (s.case_number) }
                dt { (zh_en("提交日期", "Submitted on")) } dd { (s.submitted_on) }
                dt { (zh_en("状态", "Status")) } dd #submission-status data-status=(s.status) { (super::i18n::known(&s.status_zh)) }
                dt { (due_label) } dd #submission-due { (s.due.as_deref().unwrap_or("—")) }
                @if let Some(on) = &s.answered_on { dt { (zh_en("办结日期", "Closed on")) } dd { (on) } }
                @if let Some(a) = &s.answer { dt { (answer_label) } dd #submission-answer { (a) } }
                dt { (zh_en("内容", "Content")) } dd #submission-text { (s.text) }
            }
            form method="post" action="/public/case" {
                (credentials(f))
                button type="submit" { (zh_en("返回案件", "Back to the case")) }
            }
        }
    };
    let status = if fresh {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    page(
        status,
        layout(
            lang,
            zh_en("网上提交回执", "Online submission receipt"),
            None,
            body,
        ),
    )
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
            h1 { (zh_en("网上提交查询", "Follow an online submission")) }
            p { (zh_en("凭回执号、案号和查询码，查询您在网上提交的财产线索的核查情况或信访的办理情况。", "With the receipt number, case number and access code, follow the check of a property lead or the handling of a complaint you submitted online.")) }
            @if let Some(e) = error { p.error #receipt-error role="alert" { (e) } }
            form method="post" action="/public/case/receipt" {
                label { (zh_en("回执号 ", "Receipt no. ")) input #receipt_no name="receipt" required maxlength="32" autocomplete="off" value=(r.receipt); }
                label { (zh_en("案号 ", "Case number ")) input #receipt_case_number name="case_number" required maxlength="64" value=(r.case_number); }
                label { (zh_en("查询码 ", "Access code ")) input #receipt_code name="code" required maxlength="32" autocomplete="off"; }
                button #receipt-submit type="submit" { (zh_en("查询", "Search")) }
            }
            p.small { (zh_en("连续输错查询码 5 次，该案号将被锁定 15 分钟。", "After 5 wrong access codes in a row, the case number is locked for 15 minutes.")) }
        }
    }
}

/// The form to follow a submission by its receipt.
pub async fn receipt_lookup(PageLang(lang): PageLang) -> Response {
    page(
        StatusCode::OK,
        layout(
            lang,
            zh_en("网上提交查询", "Follow an online submission"),
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
                layout(
                    lang,
                    zh_en("网上提交查询", "Follow an online submission"),
                    None,
                    receipt_form(&r, Some(&msg)),
                ),
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
            List::Dishonest => zh_en(
                "失信被执行人名单查询",
                "Search the dishonest judgment debtors",
            ),
            List::Restricted => zh_en(
                "限制消费人员查询",
                "Search persons restricted in consumption",
            ),
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
        "search_too_broad" => zh_en(
            "仅凭姓名无法查询：同名者众多，为保护个人信息，请同时填写身份证号码或统一社会信用代码。",
            "A name alone cannot be searched: many people share a name; to protect personal information, give the ID number or unified social credit code too.",
        ),
        "invalid_identifier" => zh_en(
            "身份证号码或统一社会信用代码格式不正确，请核对位数和最后一位。",
            "The ID number or unified social credit code is malformed: check its length and last character.",
        ),
        "invalid_name" => zh_en("姓名或名称过长。", "The name is too long."),
        _ => zh_en(
            "请填写姓名（名称）和身份证号码（统一社会信用代码）。",
            "Enter the name and the ID number (unified social credit code).",
        ),
    }
}

fn search_form(list: List, f: &SearchForm, error: Option<&str>) -> Markup {
    html! {
        section.card #credit-search {
            h1 { (list.title()) }
            p { (zh_en("请输入被查询人的姓名（或单位名称）及身份证号码（或统一社会信用代码）。两项均须填写。", "Enter the person's name (or organisation's name) and ID number (or unified social credit code). Both are required.")) }
            @if let Some(e) = error { p.error #search-error role="alert" { (e) } }
            form method="get" action=(list.path()) {
                label { (zh_en("姓名/名称 ", "Name ")) input #name name="name" required maxlength="100" value=(f.name.as_deref().unwrap_or_default()); }
                label { (zh_en("身份证号码/统一社会信用代码 ", "ID number / unified social credit code ")) input #id_number name="id_number" required maxlength="18" autocomplete="off"; }
                button #search-submit type="submit" { (zh_en("查询", "Search")) }
            }
            p.small { (zh_en("公布信息中的身份证号码和统一社会信用代码均已部分遮蔽。被移出名单或解除限制的人员不再显示。", "ID numbers and unified social credit codes are partly masked. Persons removed from the list or whose restriction was lifted are no longer shown.")) }
        }
    }
}

fn listing_rows(items: &[PublishedListing]) -> Markup {
    html! {
        @for l in items {
            article.card.result {
                h2 { span.name { (l.name) } " " span.id-masked { (l.id_masked) } }
                dl {
                    @if let Some(r) = &l.legal_rep { dt { (zh_en("法定代表人", "Legal representative")) } dd { (r) } }
                    dt { (zh_en("执行法院", "Enforcing court")) } dd { (l.court) }
                    dt { (zh_en("执行案号", "Case number")) } dd.case-number { (l.case_number) }
                    dt { (zh_en("执行依据", "Basis for enforcement")) } dd { (l.basis) }
                    dt { (zh_en("生效法律文书确定的义务", "Obligation under the effective judgment")) } dd { (l.duty) }
                    dt { (zh_en("履行情况", "Performance")) } dd.performance { (l.performance) @if l.performed_fen > 0 { (zh_en("（已履行 ", " (performed ")) (yuan(l.performed_fen)) (zh_en(" 元）", " yuan)")) } }
                    dt { (zh_en("失信被执行人行为具体情形", "Dishonest conduct")) } dd { @for g in &l.grounds { (g) (zh_en("；", "; ")) } (l.conduct) }
                    dt { (zh_en("发布时间", "Posted")) } dd { (l.listed_on) }
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
                    @if let Some(r) = &o.legal_rep { dt { (zh_en("法定代表人", "Legal representative")) } dd { (r) } }
                    @if !o.bound_persons.is_empty() { dt { (zh_en("同受限制的人员", "Also restricted")) } dd { (o.bound_persons.join(zh_en("、", ", "))) } }
                    dt { (zh_en("执行法院", "Enforcing court")) } dd { (o.court) }
                    dt { (zh_en("执行案号", "Case number")) } dd.case-number { (o.case_number) }
                    dt { (zh_en("限制消费令发布日期", "Restriction issued on")) } dd { (o.ordered_on) }
                    dt { (zh_en("不得实施的消费行为", "Consumption forbidden")) } dd { ul { @for k in &o.restricted { li { (k) } } } }
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
                    @if n == 0 { p #no-results { (zh_en("未查询到符合条件的记录。", "No records match.")) } }
                    @else { p #result-count { (zh_en("共 ", "")) (n) (zh_en(" 条记录", " records")) } (rows) }
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
