//! The case page's documents and their service (送达): per document and recipient, how and
//! when it was served with its proof, or that it is not yet served; the periods it set
//! running; the forms to record a service with its proof, a failed attempt, or to send a
//! document to a consenting party's portal inbox. Both forms build the same commands as the
//! API (`api::service`).

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_app::case::service::{self as svc, DocumentService, ServiceCommand};
use zhixing_app::state::App;
use zhixing_domain::case::CaseState;
use zhixing_domain::service::{FailureReason, ServiceMethod};

use super::cases::{Refused, answer};
use super::i18n::{Label, zh_en};
use super::{PageError, Viewer};
use crate::csrf::FormToken;
use crate::error::Path;

fn badge(status: &str) -> Markup {
    let cls = match status {
        "served" => "ok",
        "announced" => "pending",
        _ => "late",
    };
    html! { span class=(format!("badge {cls}")) data-service-status=(status) { (super::i18n::known(svc::status_zh(status))) } }
}

/// The section: documents, their recipients and service, and the forms.
pub(super) fn section(
    token: &FormToken,
    id: i64,
    state: &CaseState,
    docs: &[DocumentService],
    can_act: bool,
    today: jiff::civil::Date,
    refused: Option<Refused<'_>>,
) -> Markup {
    let consents: Vec<_> = state
        .parties
        .iter()
        .filter_map(|p| state.service.consent(p.no).map(|c| (p, c)))
        .collect();
    html! {
        section.card #documents {
            h2 { (zh_en("法律文书与送达", "Documents and service")) }
            @if let Some(m) = Refused::at(refused, "documents") { p.error role="alert" { (m) } }
            p.small.muted { (zh_en("文书自送达之日起对受送达人发生效力；其载明的期间自送达之日起计算，未送达的不起算。", "A document takes effect on its addressee on the day it is served; the periods it states run from service and do not start before.")) }
            @if docs.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @for d in docs {
                article.document data-document=(d.document_id) {
                    h3 { a href=(format!("/documents/{}", d.document_id)) target="_blank" { (super::i18n::known(&d.title)) }
                        " " span.small.muted { (zh_en("制作日期 ", "Made on ")) (d.issued_on.as_deref().unwrap_or("—")) " · SHA-256 " code { (d.sha256.get(..12).unwrap_or("")) "…" } } }
                    div.scroll { table.services {
                        tr { th { (zh_en("受送达人", "Addressee")) } th { (zh_en("状态", "Status")) } th { (zh_en("方式", "Method")) } th { (zh_en("送达日期", "Served on")) } th { (zh_en("送达凭证", "Proof of service")) } th { (zh_en("查阅", "Read")) } th { (zh_en("期间", "Periods")) } }
                        @for r in &d.recipients {
                            tr data-party=(r.party_no) data-status=(r.status) {
                                td { (r.name) @if r.electronic_consent { br; span.small.muted { (zh_en("已同意电子送达", "Agreed to electronic service")) } } }
                                td { (badge(&r.status)) }
                                td { (r.method_zh.as_deref().map_or("—", super::i18n::known)) }
                                td { @match (&r.served_on, &r.announced_on) {
                                    (Some(s), Some(a)) => { (zh_en("公告 ", "Announced ")) (a) br; (zh_en("视为送达 ", "deemed served ")) (s) }
                                    (Some(s), None) => { (s) }
                                    _ => { "—" }
                                } }
                                td.small { @if let Some(name) = &r.proof_name {
                                    @if let Some(url) = &r.proof_url { a href=(url) data-proof { (name) } } @else { (name) }
                                } @else { "—" } }
                                td.small { (r.opened_on.as_deref().unwrap_or("—")) }
                                td.small { @for p in &r.periods {
                                    (super::i18n::known(&p.what_zh)) (zh_en("（", " (")) (p.days) (zh_en(" 日）：", " days): "))
                                    @if let (Some(from), Some(until)) = (&p.from, &p.until) { (from) (zh_en(" 起，至 ", " until ")) (until) } @else { (zh_en("未送达，未起算", "not served, not running")) }
                                    br;
                                } }
                            }
                            @if !r.failures.is_empty() {
                                tr.failures { td colspan="7" { span.small { (zh_en("送达未果：", "Service failed: ")) @for f in &r.failures {
                                    (f.on) " " (super::i18n::known(&f.method_zh)) (zh_en("（", " (")) (super::i18n::known(&f.reason_zh)) (zh_en("）", ")")) (f.note) (zh_en("；", "; "))
                                } } } }
                            }
                        }
                    } }
                    @if can_act {
                        @for r in d.recipients.iter().filter(|r| r.status != "served" && r.electronic_consent) {
                            form.inline method="post" enctype="multipart/form-data" action=(format!("/cases/{id}/services")) {
                                (token)
                                input type="hidden" name="document_id" value=(d.document_id);
                                input type="hidden" name="party_no" value=(r.party_no);
                                input type="hidden" name="method" value="electronic";
                                button type="submit" data-electronic=(r.party_no) { (zh_en("电子送达至 ", "Served electronically to ")) (r.name) (zh_en(" 的收件箱", "'s inbox")) }
                            }
                        }
                    }
                }
            }
            @if !consents.is_empty() {
                p.small #consents { (zh_en("电子送达同意：", "Consent to electronic service: ")) @for (p, c) in &consents {
                    (p.name) (zh_en("（", " (")) (c.given_on) (zh_en(" 同意", " agreed")) @if let Some(n) = &c.notify { (zh_en("，提醒 ", ", reminders ")) (n) } (zh_en("）；", "); "))
                } }
            }
            @if can_act && !docs.is_empty() {
                details #service-forms open {
                    summary { (zh_en("记录送达", "Record service")) }
                    form #service-form method="post" enctype="multipart/form-data" action=(format!("/cases/{id}/services")) {
                        // First: the token is read from the first part, before the file.
                        (token)
                        label { (zh_en("文书", "Document")) select name="document_id" required { @for d in docs { option value=(d.document_id) { (super::i18n::known(&d.title)) (zh_en("（", " (")) (d.issued_on.as_deref().unwrap_or("")) (zh_en("）", ")")) } } } }
                        label { (zh_en("受送达人", "Addressee")) select name="party_no" required { @for p in &state.parties { option value=(p.no) { (p.name) } } } }
                        label { (zh_en("送达方式", "Method of service")) select name="method" required { @for m in ServiceMethod::ALL { option value=(m.as_str()) { (m.label()) } } } }
                        label { (zh_en("送达日期（签收、留置、邮件签收日；公告送达填公告发布日）", "Served on (day signed for, left, or mail signed for; for announcement, the day announced)")) input type="date" name="on" value=(today) max=(today); }
                        label { (zh_en("送达凭证（送达回证、留置送达记录或照片、邮件回执、公告；PDF、JPEG、PNG、MP4，不超过 10 MiB；电子送达无需上传）", "Proof of service (receipt, record or photo of leaving, mail receipt, announcement; PDF, JPEG, PNG, MP4, at most 10 MiB; none for electronic service)"))
                            input type="file" name="proof" accept=".pdf,.jpg,.jpeg,.png,.mp4,application/pdf,image/jpeg,image/png,video/mp4"; }
                        label { (zh_en("备注（可选）", "Note (optional)")) textarea name="note" maxlength="2000" {} }
                        button type="submit" { (zh_en("记录送达", "Record service")) }
                    }
                    form #service-failure-form method="post" action=(format!("/cases/{id}/service-failures")) {
                        (token)
                        label { (zh_en("文书", "Document")) select name="document_id" required { @for d in docs { option value=(d.document_id) { (super::i18n::known(&d.title)) (zh_en("（", " (")) (d.issued_on.as_deref().unwrap_or("")) (zh_en("）", ")")) } } } }
                        label { (zh_en("受送达人", "Addressee")) select name="party_no" required { @for p in &state.parties { option value=(p.no) { (p.name) } } } }
                        label { (zh_en("尝试的方式", "Method tried")) select name="method" required { @for m in ServiceMethod::ALL.into_iter().filter(|m| *m != ServiceMethod::Announcement) { option value=(m.as_str()) { (m.label()) } } } }
                        label { (zh_en("原因", "Cause")) select name="reason" required {
                            @for r in [FailureReason::MeansFailed, FailureReason::WhereaboutsUnknown] { option value=(r.as_str()) { (r.label()) } } } }
                        label { (zh_en("具体情况", "Details")) textarea name="note" required minlength="4" maxlength="2000" {} }
                        button type="submit" { (zh_en("记录送达未果", "Record a failed service")) }
                    }
                }
            }
        }
    }
}

/// Records a service from the case page (with its proof file), or sends a document to a
/// consenting party's inbox.
pub async fn record(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    // As in the API: who may record is settled before the upload is read.
    if let Err(e) = zhixing_app::case::may_act(
        &app,
        &v.principal,
        id,
        zhixing_domain::access::Action::HandleCases,
    )
    .await
    {
        return PageError::from(e).into_response();
    }
    let parts = match mp.map_err(crate::multipart::rejection) {
        Ok(mp) => {
            match crate::multipart::read_parts(mp, &crate::api::service::SERVICE_FIELDS, "proof", 1)
                .await
            {
                Ok(p) => p,
                Err(e) => return PageError(e).into_response(),
            }
        }
        Err(e) => return PageError(e).into_response(),
    };
    let r = match crate::api::service::command_of(parts) {
        Ok((cmd, version)) => svc::execute(&app, &v.principal, id, version, cmd).await,
        Err(e) => Err(e),
    };
    answer(&app, &v, id, "documents", r).await
}

#[derive(Deserialize)]
pub struct FailureForm {
    document_id: String,
    party_no: String,
    method: String,
    reason: String,
    #[serde(default)]
    note: String,
}

/// Records a failed attempt from the case page.
pub async fn failure(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<FailureForm>,
) -> Response {
    let cmd = (|| {
        Ok::<_, zhixing_app::AppError>(ServiceCommand::RecordFailure {
            document_id: crate::api::service::number(&f.document_id, "document_id")?,
            party_no: crate::api::service::number(&f.party_no, "party_no")?,
            method: svc::method(&f.method)?,
            reason: svc::failure_reason(&f.reason)?,
            note: f.note.clone(),
        })
    })();
    let r = match cmd {
        Ok(cmd) => svc::execute(&app, &v.principal, id, None, cmd).await,
        Err(e) => Err(e),
    };
    answer(&app, &v, id, "documents", r).await
}
