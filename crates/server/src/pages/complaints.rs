//! The case page's section on complaints (执行信访) and recordings (音视频记录): each complaint
//! with its deadlines and result, each recording playable in the browser — and the forms that
//! register a complaint, resolve one, and upload a recording (to the case or to one of its
//! complaints), each building the same command as its API route. The players fetch the
//! content route with the session cookie, in byte ranges; every range played is audited.

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use zhixing_domain::complaint::Channel;
use zhixing_domain::recording::Kind;
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};

use super::Viewer;
use super::cases::{Refused, answer};
use super::i18n::{Label, zh_en};
use super::kept::{self, field, keeping};
use crate::csrf::FormToken;
use crate::error::{ApiError, Path};
use crate::multipart::{multipart_error, rejection};
use zhixing_app::AppError;
use zhixing_app::oversight::complaints::{
    self as svc, ComplaintCommand, ComplaintInput, ComplaintView,
};
use zhixing_app::oversight::recordings::{self as rec, RecordingCommand, RecordingView, Target};
use zhixing_app::state::App;

/// The section's anchor on the case page, where its refusals are shown.
const SECTION: &str = "complaints";

fn player(r: &RecordingView) -> Markup {
    let src = format!("/api/v1/recordings/{}/content", r.id);
    html! {
        @if zhixing_domain::recording::is_video(&r.content_type) {
            video controls preload="metadata" data-recording=(r.id) src=(src) {}
        } @else {
            audio controls preload="metadata" data-recording=(r.id) src=(src) {}
        }
    }
}

/// The section: complaints, then recordings (those of a complaint name it), then the forms
/// for those who handle the case (`can_act`).
pub(super) fn section(
    complaints: &[ComplaintView],
    recordings: &[RecordingView],
    token: &FormToken,
    id: i64,
    can_act: bool,
    refused: Option<Refused<'_>>,
) -> Markup {
    let reg = |name: &str| kept::value("complaint", name);
    html! {
        section.card #complaints {
            h2 { (zh_en("执行信访与音视频记录", "Complaints and audio/video recordings")) }
            @if let Some(m) = Refused::at(refused, SECTION) { p.error #complaints-refused role="alert" { (m) } }
            @if complaints.is_empty() { p.muted { (zh_en("暂无信访。", "No complaints yet.")) } }
            @else {
                div.scroll { table #complaint-list {
                    tr { th { (zh_en("编号", "No.")) } th { (zh_en("渠道", "Channel")) } th { (zh_en("信访人", "Complainant")) } th { (zh_en("内容", "Content")) } th { (zh_en("收到", "Received")) } th { (zh_en("登记期限", "Register by")) } th { (zh_en("办结期限", "Close by")) } th { (zh_en("状态", "Status")) } th { (zh_en("办理结果", "Outcome")) } }
                    @for c in complaints {
                        tr data-complaint=(c.id) data-status=(c.status) {
                            td { (c.id) }
                            td { (super::i18n::known(&c.channel_zh)) }
                            td { (c.complainant) }
                            td.findings { (c.summary) }
                            td { (c.received_on) }
                            td { (c.register_due) @if c.registered_late { " " span.badge.late { (zh_en("逾期登记", "Registered late")) } } }
                            td { (c.resolve_due) @if c.overdue { " " span.badge.late { (zh_en("已逾期", "Overdue")) } } }
                            td.status { (super::i18n::known(&c.status_zh)) @if let Some(on) = &c.resolved_on { " " span.small.muted { (on) } } }
                            td {
                                @if let Some(r) = &c.result { (r) }
                                @else if can_act {
                                    @let form = format!("resolve-{}", c.id);
                                    form.complaint-resolve method="post" action=(format!("/cases/{id}/complaints/{}/resolution", c.id)) {
                                        (token)
                                        label { (zh_en("办理结果及答复", "Outcome and answer")) textarea name="result" required maxlength="4000" { (kept::value(&form, "result")) } }
                                        button type="submit" { (zh_en("办结", "Close")) }
                                    }
                                } @else { "—" }
                            }
                        }
                    }
                } }
            }
            @if can_act {
                form #complaint-form method="post" action=(format!("/cases/{id}/complaints")) {
                    (token)
                    h3 { (zh_en("登记信访", "Register a complaint")) }
                    label { (zh_en("渠道", "Channel")) select name="channel" {
                        @for ch in Channel::ALL { option value=(ch.as_str()) selected[reg("channel") == ch.as_str()] { (ch.label()) } }
                    } }
                    label { (zh_en("信访人", "Complainant")) input name="complainant" required maxlength="100" value=(reg("complainant")); }
                    label { (zh_en("信访内容", "Complaint")) textarea name="summary" required maxlength="4000" { (reg("summary")) } }
                    label { (zh_en("收到日期", "Received on")) input type="date" name="received_on" required value=(reg("received_on")); }
                    button type="submit" { (zh_en("登记", "Register")) }
                }
            }
            @if recordings.is_empty() { p.muted { (zh_en("暂无音视频记录。", "No recordings yet.")) } }
            @else {
                ul #recording-list {
                    @for r in recordings {
                        li data-recording=(r.id) {
                            strong { (super::i18n::known(&r.kind_zh)) } " " (r.name)
                            @if let Some(c) = r.complaint_id { " " span.small.muted { (zh_en("（信访 ", " (complaint ")) (c) (zh_en("）", ")")) } }
                            " " span.small.muted { (super::beijing_at(&r.uploaded_at)) }
                            br;
                            (player(r))
                            br;
                            span.small.muted { "SHA-256 " code { (r.sha256) } }
                        }
                    }
                }
            }
            @if can_act {
                form #recording-form method="post" enctype="multipart/form-data" action=(format!("/cases/{id}/recordings")) {
                    // First: the token is read from the first part, before the file.
                    (token)
                    h3 { (zh_en("上传录音录像", "Upload a recording")) }
                    label { (zh_en("类别", "Kind")) select name="kind" { @for k in Kind::ALL { option value=(k.as_str()) { (k.label()) } } } }
                    label { (zh_en("所属信访（可不选）", "Complaint it belongs to (optional)")) select name="complaint" {
                        option value="" { (zh_en("本案（不属某件信访）", "This case (no complaint)")) }
                        @for c in complaints { option value=(c.id) { (zh_en("信访 ", "Complaint ")) (c.id) (zh_en("（", " (")) (c.complainant) (zh_en("）", ")")) } }
                    } }
                    label { (zh_en("文件（音频或视频）", "File (audio or video)")) input type="file" name="recording" required accept="audio/*,video/*"; }
                    button type="submit" { (zh_en("上传", "Upload")) }
                }
            }
        }
    }
}

/// The values of a form post, in order (kept for the page if the form is refused).
type Fields = axum::Form<Vec<(String, String)>>;

/// A date the complaint form could not read, refused as the domain refuses a bad date.
fn unreadable_date(s: &str) -> AppError {
    AppError::from(Refusal::of_reasons(
        "invalid_date",
        RefusalKind::Invalid,
        vec![Reason::new("complaint_received_date").with("received_on", s.trim())],
    ))
}

/// Registers a complaint against the case.
pub async fn register(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    let received = field(&f, "received_on");
    let r = match received.trim().parse() {
        Ok(received_on) => {
            let cmd = ComplaintCommand::Register {
                case_id: id,
                input: ComplaintInput {
                    channel: field(&f, "channel").to_owned(),
                    complainant: field(&f, "complainant").to_owned(),
                    summary: field(&f, "summary").to_owned(),
                    received_on,
                },
            };
            svc::execute(&app, &v.principal, cmd).await
        }
        Err(_) => Err(unreadable_date(received)),
    };
    keeping("complaint", f, answer(&app, &v, id, SECTION, r)).await
}

/// Resolves one of the case's complaints (办结) with its result.
pub async fn resolve(
    State(app): State<App>,
    v: Viewer,
    Path((id, complaint)): Path<(i64, i64)>,
    axum::Form(f): Fields,
) -> Response {
    let cmd = ComplaintCommand::Resolve {
        id: complaint,
        result: field(&f, "result").to_owned(),
    };
    let r = svc::execute(&app, &v.principal, cmd).await;
    keeping(
        format!("resolve-{complaint}"),
        f,
        answer(&app, &v, id, SECTION, r),
    )
    .await
}

/// Why an upload from the page did not happen: a refusal (or another error of the command),
/// answered as the case page's forms answer; or a body that is no form at all, the error page.
enum Failed {
    Command(AppError),
    Body(ApiError),
}

impl From<AppError> for Failed {
    fn from(e: AppError) -> Self {
        Failed::Command(e)
    }
}

fn body_error(e: &axum::extract::multipart::MultipartError) -> Failed {
    Failed::Body(multipart_error(e))
}

/// A part of the recording form refused, as the field records' form refuses it.
fn form_refused(code: &'static str, reason: &'static str, name: &str) -> AppError {
    AppError::from(Refusal::of_reasons(
        code,
        RefusalKind::Invalid,
        vec![Reason::new(reason).with("field", name)],
    ))
}

/// Reads the recording form — the kind and the complaint, then the file — and streams the
/// file into the same command as the API's upload: nothing of it is held in memory.
async fn upload(
    app: &App,
    v: &Viewer,
    id: i64,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<RecordingView, Failed> {
    let mut mp = mp.map_err(|r| Failed::Body(rejection(r)))?;
    let mut kind = String::new();
    let mut complaint = String::new();
    while let Some(f) = mp.next_field().await.map_err(|e| body_error(&e))? {
        let name = f.name().unwrap_or_default().to_owned();
        match name.as_str() {
            // Checked before the handler (`csrf::guard`).
            crate::csrf::FIELD => {
                f.text().await.map_err(|e| body_error(&e))?;
            }
            "kind" | "complaint" => {
                let mut text = f.text().await.map_err(|e| body_error(&e))?;
                zhixing_domain::text::scrub_field(&name, &mut text).map_err(AppError::from)?;
                if name == "kind" {
                    kind = text;
                } else {
                    complaint = text;
                }
            }
            "recording" => {
                let target = match complaint.trim() {
                    "" => Target::Case(id),
                    c => Target::Complaint(c.parse().map_err(|_| {
                        AppError::not_found("complaint_not_found", format!("no complaint {c:?}"))
                    })?),
                };
                let file_name = f.file_name().map(str::to_owned);
                let cmd = RecordingCommand::Upload {
                    target,
                    kind: kind.clone(),
                    name: file_name.filter(|n| !n.is_empty()),
                    declared_len: None,
                    body: Box::pin(f),
                };
                return Ok(rec::execute(app, &v.principal, cmd).await?);
            }
            other => return Err(form_refused("unknown_field", "form_field_unknown", other).into()),
        }
    }
    // No file part at all: nothing was uploaded.
    Err(AppError::from(Refusal::invalid("empty_recording")).into())
}

/// Uploads a recording (录音录像) to the case or one of its complaints from the case page.
pub async fn recording(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    match upload(&app, &v, id, mp).await {
        Ok(done) => answer(&app, &v, id, SECTION, Ok(done)).await,
        Err(Failed::Command(e)) => answer::<()>(&app, &v, id, SECTION, Err(e)).await,
        Err(Failed::Body(e)) => super::PageError(e).into_response(),
    }
}
