//! The data-sharing agreements page (数据共享协议, `/sharing`): the agreements of the viewer's
//! court and below with their status in words, the draft form for administrators, approval
//! for a division head other than the drafter, the API key issued (shown this once, like a
//! password) and revocation with a reason. Each form builds the same command as its route in
//! `api/sharing.rs` and calls the same app function; a refusal comes back beside its form, in
//! the viewer's language, with what was typed kept. The division head's 待审批 queue on the
//! home page lists the drafts that wait for them ([`approval_queue`]).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_app::AppError;
use zhixing_app::credit::sharing::{self as svc, Agreement, IssuedKey, SharingCommand};
use zhixing_app::state::App;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::sharing::Field;

use super::i18n::zh_en;
use super::{PageError, Viewer, beijing_at, layout, page};
use crate::error::{ApiError, Path};

/// A shared field in words.
fn field_zh(f: &str) -> &str {
    match Field::parse(f) {
        Some(Field::Name) => zh_en("姓名或名称", "Name"),
        Some(Field::IdNumber) => zh_en(
            "完整证件号码（身份证号码、统一社会信用代码）",
            "Full ID number (ID card, unified social credit code)",
        ),
        Some(Field::IdMasked) => zh_en("证件号码（隐去部分）", "ID number (partly hidden)"),
        Some(Field::PartyKind) => zh_en("自然人或单位", "Person or organisation"),
        Some(Field::LegalRep) => zh_en("法定代表人或负责人", "Legal representative or head"),
        Some(Field::Court) => zh_en("执行法院", "Enforcing court"),
        Some(Field::CaseNumber) => zh_en("案号", "Case number"),
        Some(Field::Basis) => zh_en("执行依据", "Basis for enforcement"),
        Some(Field::Duty) => zh_en(
            "生效法律文书确定的义务",
            "Obligation under the effective judgment",
        ),
        Some(Field::Performed) => zh_en("履行情况", "Performance"),
        Some(Field::Grounds) => zh_en("失信情形", "Ground"),
        Some(Field::Conduct) => zh_en("失信行为的具体情形", "Dishonest conduct"),
        Some(Field::ListedOn) => zh_en("纳入日期", "Listed on"),
        Some(Field::EndsOn) => zh_en("届满日期", "Ends on"),
        None => f,
    }
}

/// An agreement's status in words, as it stands today.
fn status_zh(a: &Agreement, today: &str) -> &'static str {
    match a.status.as_str() {
        "draft" if a.valid_to.as_str() < today => zh_en("草案，有效期已过", "Draft, expired"),
        "draft" => zh_en("草案，待审批", "Draft, awaiting approval"),
        "active" if a.valid_to.as_str() < today => zh_en("已批准，有效期已过", "Approved, expired"),
        "active" if a.valid_from.as_str() > today => {
            zh_en("已批准，尚未到生效日期", "Approved, not yet in force")
        }
        "active" => zh_en("已生效", "In force"),
        "revoked" => zh_en("已撤销", "Revoked"),
        _ => "—",
    }
}

fn may_read(p: &Principal) -> bool {
    p.may(Action::ReadSharing, &p.court_path)
}

/// The agreements listed are all of the viewer's court or below, where the authorization rule
/// gives these actions by role alone: asking at the viewer's own court asks for all of them.
fn may_manage(p: &Principal) -> bool {
    p.may(Action::ManageSharing, &p.court_path)
}

fn may_approve(p: &Principal) -> bool {
    p.may(Action::ApproveSharing, &p.court_path)
}

/// What a draft form held, kept when it is refused.
#[derive(Default)]
struct Typed {
    agency_name: String,
    agency_code: String,
    court_id: String,
    fields: Vec<String>,
    legal_basis: String,
    valid_from: String,
    valid_to: String,
}

/// What the page says beside one form: a refusal (the form named as `create`, `approve-7`,
/// `key-7`, `revoke-7`), or the key just issued.
enum Note {
    Refused {
        form: String,
        words: String,
        typed: Typed,
        reason: String,
    },
    Key(IssuedKey),
}

/// Agreements listed on one page (after the one named by `?after=`).
const PAGE: i64 = 100;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    after: i64,
}

async fn render(
    app: &App,
    v: &Viewer,
    after: i64,
    note: Option<Note>,
) -> Result<maud::Markup, PageError> {
    let p = &v.principal;
    let list = svc::list(app, p, after, PAGE).await?;
    let mut ids: Vec<String> = Vec::new();
    for a in &list {
        ids.push(format!("user:{}", a.created_by));
        ids.extend(a.approved_by.map(|u| format!("user:{u}")));
        ids.extend(a.revoked_by.map(|u| format!("user:{u}")));
    }
    let names = zhixing_app::case::query::actor_names(app, &ids).await?;
    let name = |u: i64| {
        let k = format!("user:{u}");
        names.get(&k).cloned().unwrap_or(k)
    };
    let today = app.today().to_string();
    let refused = |form: &str| match &note {
        Some(Note::Refused { form: f, words, .. }) if f == form => Some(words.clone()),
        _ => None,
    };
    let empty = Typed::default();
    let (typed, kept_reason) = match &note {
        Some(Note::Refused {
            form,
            typed,
            reason,
            ..
        }) => (
            if form == "create" { typed } else { &empty },
            Some((form.clone(), reason.clone())),
        ),
        _ => (&empty, None),
    };
    let reason_for = |id: i64| match &kept_reason {
        Some((f, r)) if *f == format!("revoke-{id}") => r.clone(),
        _ => String::new(),
    };
    let next = (i64::try_from(list.len()).unwrap_or(0) == PAGE)
        .then(|| list.last().map(|a| a.id))
        .flatten();
    let court_default = if typed.court_id.is_empty() {
        p.court_id.clone()
    } else {
        typed.court_id.clone()
    };
    let body = html! {
        section.card #sharing {
            h1 { (zh_en("数据共享协议（联合惩戒）", "Data-sharing agreements (joint sanctions)")) }
            p.small.muted { (zh_en("协议约定向共享单位提供本院及下级法院失信被执行人名单的哪些信息；由系统管理员拟定，拟定人以外的执行局长批准后，系统管理员签发接口密钥。", "An agreement says which fields of the dishonest list of this court and the courts below a partner receives; an administrator drafts it, a division head other than the drafter approves it, and an administrator then issues the API key.")) }
            @if let Some(Note::Key(k)) = &note {
                div.ok #issued-key role="status" {
                    p { (zh_en("已为第 ", "API key issued for agreement no. ")) (k.agreement_id) (zh_en(" 号协议签发接口密钥。密钥仅显示这一次，系统不保存密钥本身，请立即通过安全渠道交给共享单位；遗失的，重新签发即可（原密钥随之失效）。", ". The key is shown this once only and the system keeps no copy: give it to the partner through a secure channel now; if lost, issue another (the old one stops working).")) }
                    p { (zh_en("接口密钥：", "API key: ")) code #api-key { (k.api_key) } }
                    @if !k.revoked_keys.is_empty() { p.small { (zh_en("原有密钥 ", "Previous keys: ")) (k.revoked_keys.len()) (zh_en(" 个已同时作废。", " revoked at the same time.")) } }
                }
            }
            @if list.is_empty() { p #no-agreements { (zh_en("暂无数据共享协议。", "No data-sharing agreements yet.")) } }
            @else {
                div.scroll { table #agreements {
                    tr { th { (zh_en("共享单位", "Partner")) } th { (zh_en("覆盖法院（含下级法院）", "Courts covered (with those below)")) } th { (zh_en("共享信息", "Fields shared")) } th { (zh_en("法律依据", "Legal basis")) } th { (zh_en("有效期", "Valid")) } th { (zh_en("状态", "Status")) } th { (zh_en("拟定、批准", "Drafted, approved")) } th { (zh_en("接口密钥", "API keys")) } th { (zh_en("办理", "Handle")) } }
                    @for a in &list {
                        tr id=(format!("agreement-{}", a.id)) data-agreement=(a.id) data-status=(a.status) {
                            td { (a.agency_name) br; span.small.muted { (a.agency_code) } }
                            td { (a.court_name) }
                            td.small { (a.fields.iter().map(|f| field_zh(f)).collect::<Vec<_>>().join(zh_en("、", ", "))) }
                            td.small { (a.legal_basis) }
                            td.small { (a.valid_from) (zh_en(" 至 ", " to ")) (a.valid_to) }
                            td.status { (status_zh(a, &today))
                                @if let (Some(at), Some(r)) = (&a.revoked_at, &a.revoke_reason) { br; span.small { (beijing_at(at)) (zh_en(" 撤销：", " revoked: ")) (r) } } }
                            td.small {
                                (zh_en("拟定：", "Drafted: ")) (name(a.created_by)) " " (beijing_at(&a.created_at))
                                @if let (Some(u), Some(at)) = (a.approved_by, &a.approved_at) { br; (zh_en("批准：", "Approved: ")) (name(u)) " " (beijing_at(at)) }
                            }
                            td.small {
                                @for k in &a.keys {
                                    div.key data-key=(k.id) { code { (k.prefix) "…" } " " (beijing_at(&k.issued_at)) (zh_en(" 签发", " issued"))
                                        @if let Some(r) = &k.revoked_at { (zh_en("，", ", ")) (beijing_at(r)) (zh_en(" 作废", " revoked")) } }
                                }
                                @if a.keys.is_empty() { "—" }
                            }
                            td { (actions(v, a, &today, &refused, &reason_for(a.id))) }
                        }
                    }
                } }
                @if let Some(n) = next { p { a #next-page href=(format!("/sharing?after={n}")) { (zh_en("下一页", "Next page")) } } }
            }
        }
        @if may_manage(p) {
            section.card #new-agreement {
                h2 { (zh_en("拟定数据共享协议", "Draft a data-sharing agreement")) }
                @if let Some(w) = refused("create") { p.error.refusal role="alert" { (w) } }
                form #agreement-form method="post" action="/sharing" {
                    (v.csrf)
                    label { (zh_en("共享单位名称", "Partner name")) input name="agency_name" required maxlength=(zhixing_domain::sharing::MAX_AGENCY_NAME) value=(typed.agency_name); }
                    label { (zh_en("共享单位代码（英文字母、数字、“-”或“_”）", "Partner code (letters, digits, '-' or '_')")) input name="agency_code" required maxlength=(zhixing_domain::sharing::MAX_AGENCY_CODE) value=(typed.agency_code); }
                    label { (zh_en("覆盖的法院代号（含其下级法院，默认本院）", "Court code covered (with the courts below; this court by default)")) input name="court_id" required value=(court_default); }
                    fieldset {
                        legend { (zh_en("共享的信息", "Fields shared")) }
                        @for f in Field::ALL {
                            label.check { input type="checkbox" name="fields" value=(f.as_str()) checked[typed.fields.iter().any(|t| t == f.as_str())]; (field_zh(f.as_str())) }
                        }
                    }
                    label { (zh_en("法律依据（合作备忘录、法规等）", "Legal basis (memorandum, regulation, etc.)")) textarea name="legal_basis" required maxlength=(zhixing_domain::sharing::MAX_LEGAL_BASIS) { (typed.legal_basis) } }
                    label { (zh_en("生效日期", "Effective on")) input type="date" name="valid_from" required value=(typed.valid_from); }
                    label { (zh_en("失效日期", "Expires on")) input type="date" name="valid_to" required value=(typed.valid_to); }
                    button type="submit" { (zh_en("提交审批", "Submit for approval")) }
                }
            }
        }
    };
    Ok(layout(
        v.lang,
        zh_en("数据共享协议", "Data-sharing agreements"),
        Some(v),
        body,
    ))
}

/// The forms of one agreement the viewer may use now.
fn actions(
    v: &Viewer,
    a: &Agreement,
    today: &str,
    refused: &dyn Fn(&str) -> Option<String>,
    reason: &str,
) -> Markup {
    let p = &v.principal;
    let id = a.id;
    let approvable =
        a.status == "draft" && a.created_by != p.user_id && a.valid_to.as_str() >= today;
    let keyable = a.status == "active" && a.valid_to.as_str() >= today;
    let revocable = a.status != "revoked";
    html! {
        @if approvable && may_approve(p) {
            form.approve method="post" action=(format!("/sharing/{id}/approval")) {
                (v.csrf)
                button type="submit" data-approve=(id) { (zh_en("批准", "Approve")) }
            }
        }
        @if let Some(w) = refused(&format!("approve-{id}")) { p.error.refusal role="alert" { (w) } }
        @if keyable && may_manage(p) {
            form.issue-key method="post" action=(format!("/sharing/{id}/keys")) {
                (v.csrf)
                button type="submit" data-issue-key=(id) { (if a.keys.is_empty() { zh_en("签发接口密钥", "Issue an API key") } else { zh_en("重新签发密钥（原密钥作废）", "Issue a new key (the old one is revoked)") }) }
            }
        }
        @if let Some(w) = refused(&format!("key-{id}")) { p.error.refusal role="alert" { (w) } }
        @if revocable && (may_manage(p) || may_approve(p)) {
            form.revoke method="post" action=(format!("/sharing/{id}/revocation")) {
                (v.csrf)
                label { (zh_en("撤销理由", "Reason for revoking")) input name="reason" required maxlength=(zhixing_domain::sharing::MAX_REASON) value=(reason); }
                button type="submit" data-revoke=(id) { (zh_en("撤销协议", "Revoke the agreement")) }
            }
        }
        @if let Some(w) = refused(&format!("revoke-{id}")) { p.error.refusal role="alert" { (w) } }
    }
}

fn check(v: &Viewer) -> Result<(), PageError> {
    if may_read(&v.principal) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            zh_en("只有系统管理员、执行局长和审计员可以查看数据共享协议 / only administrators, division heads and auditors see data-sharing agreements", "Only administrators, division heads and auditors see data-sharing agreements"),
        )
        .into())
    }
}

pub async fn show(
    State(app): State<App>,
    v: Viewer,
    axum::extract::Query(q): axum::extract::Query<ListQuery>,
) -> Result<Response, PageError> {
    check(&v)?;
    Ok(page(StatusCode::OK, render(&app, &v, q.after, None).await?))
}

/// A form's answer: back to the list when done; the refusal beside the form that was refused,
/// with what was typed; anything else the error page.
async fn answer<T>(
    app: &App,
    v: &Viewer,
    form: String,
    typed: Typed,
    reason: String,
    r: Result<T, AppError>,
) -> Result<Response, PageError> {
    match r {
        Ok(_) => Ok(Redirect::to("/sharing").into_response()),
        Err(e) if super::shown_beside_form(&e) => {
            let words = super::refusal_words(v.lang, &e);
            let status = ApiError::from(e).status;
            let note = Note::Refused {
                form,
                words,
                typed,
                reason,
            };
            Ok(page(status, render(app, v, 0, Some(note)).await?))
        }
        Err(e) => Err(e.into()),
    }
}

fn field<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Drafts an agreement, as `POST /api/v1/sharing/agreements` does.
pub async fn create(
    State(app): State<App>,
    v: Viewer,
    axum::Form(f): axum::Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let typed = Typed {
        agency_name: field(&f, "agency_name").to_owned(),
        agency_code: field(&f, "agency_code").to_owned(),
        court_id: field(&f, "court_id").trim().to_owned(),
        fields: f
            .iter()
            .filter(|(k, _)| k == "fields")
            .map(|(_, v)| v.clone())
            .collect(),
        legal_basis: field(&f, "legal_basis").to_owned(),
        valid_from: field(&f, "valid_from").to_owned(),
        valid_to: field(&f, "valid_to").to_owned(),
    };
    let cmd = SharingCommand::Draft(svc::DraftIn {
        agency_name: typed.agency_name.clone(),
        agency_code: typed.agency_code.clone(),
        court_id: (!typed.court_id.is_empty()).then(|| typed.court_id.clone()),
        fields: typed.fields.clone(),
        legal_basis: typed.legal_basis.clone(),
        valid_from: typed.valid_from.clone(),
        valid_to: typed.valid_to.clone(),
    });
    let r = svc::execute(&app, &v.principal, cmd).await;
    answer(&app, &v, "create".into(), typed, String::new(), r).await
}

/// Approves a draft, as `POST /api/v1/sharing/agreements/{id}/approval` does.
pub async fn approve(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let r = svc::execute(&app, &v.principal, SharingCommand::Approve { id }).await;
    answer(
        &app,
        &v,
        format!("approve-{id}"),
        Typed::default(),
        String::new(),
        r,
    )
    .await
}

/// Issues the agreement's key, shown on the answer page this once (never redirected to, so
/// that it is in no address and no history entry).
pub async fn issue_key(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    match svc::issue_key(&app, &v.principal, id).await {
        Ok(key) => {
            let mut resp = page(
                StatusCode::OK,
                render(&app, &v, 0, Some(Note::Key(key))).await?,
            );
            resp.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(resp)
        }
        Err(e) => {
            answer::<()>(
                &app,
                &v,
                format!("key-{id}"),
                Typed::default(),
                String::new(),
                Err(e),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct RevocationForm {
    #[serde(default)]
    reason: String,
}

/// Revokes an agreement and its keys, as `POST /api/v1/sharing/agreements/{id}/revocation`.
pub async fn revoke(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<RevocationForm>,
) -> Result<Response, PageError> {
    let cmd = SharingCommand::Revoke {
        id,
        reason: f.reason.clone(),
    };
    let r = svc::execute(&app, &v.principal, cmd).await;
    answer(
        &app,
        &v,
        format!("revoke-{id}"),
        Typed::default(),
        f.reason,
        r,
    )
    .await
}

/// The home page's share of the 待审批 queue: the drafts that wait for this division head
/// (nothing for one who does not approve agreements).
pub(super) async fn approval_queue(app: &App, p: &Principal) -> Result<Markup, AppError> {
    if !may_approve(p) {
        return Ok(html! {});
    }
    let drafts = svc::awaiting_approval(app, p).await?;
    let ids: Vec<String> = drafts
        .iter()
        .map(|a| format!("user:{}", a.created_by))
        .collect();
    let names = zhixing_app::case::query::actor_names(app, &ids).await?;
    Ok(html! {
        section.card #queue-sharing {
            h2 { (zh_en("待审批的数据共享协议（", "Data-sharing agreements awaiting approval (")) (drafts.len()) (zh_en("）", ")")) }
            @if drafts.is_empty() { p { (zh_en("暂无待审批的协议。", "No agreements await approval.")) } }
            @else {
                div.scroll { table #pending-agreements {
                    tr { th { (zh_en("共享单位", "Partner")) } th { (zh_en("覆盖法院", "Courts covered")) } th { (zh_en("共享信息", "Fields shared")) } th { (zh_en("有效期", "Valid")) } th { (zh_en("拟定", "Drafted")) } }
                    @for a in &drafts {
                        tr data-agreement=(a.id) {
                            td { a href=(format!("/sharing#agreement-{}", a.id)) { (a.agency_name) } }
                            td { (a.court_name) }
                            td.small { (a.fields.iter().map(|f| field_zh(f)).collect::<Vec<_>>().join(zh_en("、", ", "))) }
                            td.small { (a.valid_from) (zh_en(" 至 ", " to ")) (a.valid_to) }
                            td.small { (names.get(&format!("user:{}", a.created_by)).map_or("", String::as_str)) " " (beijing_at(&a.created_at)) }
                        }
                    }
                } }
            }
        }
    })
}
