//! 委托事项 (/entrusted): the tasks other courts entrusted to the viewer's court, with the
//! receiving officer's forms — accept (接收), decline with a reason (拒收), return the result
//! with its documents (办结, multipart like the field-investigation form) — and the tasks the
//! court entrusted to others. The receiving court never reads the entrusting court's case: the
//! page shows only what the task carries. Each form builds the same command as its API route
//! (`/api/v1/entrusted-tasks/{id}/…`); a refusal is shown beside the form it answers, in the
//! viewer's language, with what was typed kept.

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde_json::Value;
use zhixing_domain::access::Action;
use zhixing_domain::field::MAX_ATTACHMENTS;

use super::i18n::zh_en;
use super::{PageError, Viewer, layout, page, refusal_words};
use crate::error::{ApiError, Path};
use zhixing_app::AppError;
use zhixing_app::oversight::entrusted::{self as en, EntrustedCommand, TaskView};
use zhixing_app::state::App;

/// A refusal beside the form of one task, with what was typed there.
struct Note {
    task: i64,
    form: &'static str,
    words: String,
    typed: String,
}

fn respondents(v: &Value) -> String {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    format!(
                        "{}（{}）",
                        p["name"].as_str().unwrap_or_default(),
                        p["identifier"].as_str().unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join(zh_en("、", ", "))
        })
        .unwrap_or_default()
}

fn task_forms(v: &Viewer, t: &TaskView, note: Option<&Note>) -> Markup {
    let id = t.id;
    let refused = |form: &str| note.filter(|n| n.task == id && n.form == form);
    let typed = |form: &str| refused(form).map(|n| n.typed.clone()).unwrap_or_default();
    html! {
        @if let Some(n) = note.filter(|n| n.task == id) { p.error.refusal role="alert" { (n.words) } }
        @match t.status.as_str() {
            "requested" => {
                form.task-accept method="post" action=(format!("/entrusted/{id}/acceptance")) {
                    (v.csrf)
                    button type="submit" { (zh_en("接收", "Accept")) }
                }
                form.task-decline method="post" action=(format!("/entrusted/{id}/decline")) {
                    (v.csrf)
                    label { (zh_en("拒收理由", "Reason for declining")) input name="reason" required maxlength="4000" value=(typed("decline")); }
                    button type="submit" { (zh_en("拒收", "Decline")) }
                }
            }
            "accepted" => {
                form.task-result method="post" enctype="multipart/form-data" action=(format!("/entrusted/{id}/result")) {
                    // First: the token is read from the first part, before the files.
                    (v.csrf)
                    label { (zh_en("办理结果", "Outcome")) textarea name="result" required maxlength="4000" { (typed("result")) } }
                    label { (zh_en("文书（PDF、JPEG、PNG、MP4，至多 5 个，每个不超过 10 MiB）", "Documents (PDF, JPEG, PNG, MP4; at most 5, each at most 10 MiB)"))
                        input type="file" name="document" multiple required accept=".pdf,.jpg,.jpeg,.png,.mp4,application/pdf,image/jpeg,image/png,video/mp4"; }
                    button type="submit" { (zh_en("回复办理结果", "Reply with the result")) }
                }
            }
            _ => {}
        }
    }
}

async fn render(app: &App, v: &Viewer, note: Option<Note>) -> Result<Markup, PageError> {
    let court = v.principal.court_id.clone();
    let received = en::list(app, &v.principal, &court, false).await?;
    let sent = en::list(app, &v.principal, &court, true).await?;
    let handles = v
        .principal
        .may(Action::HandleCases, &v.principal.court_path);
    let body = html! {
        section.card #entrusted-received {
            h1 { (zh_en("委托事项", "Matter entrusted")) }
            h2 { (zh_en("收到的委托（", "Entrusted to this court (")) (received.len()) (zh_en("）", ")")) }
            @if received.is_empty() { p.muted { (zh_en("暂无其他法院委托本院办理的事项。", "No other court has entrusted a matter to this court.")) } }
            @else {
                div.scroll { table #received-tasks {
                    tr { th { (zh_en("委托法院", "Entrusting court")) } th { (zh_en("案号", "Case number")) } th { (zh_en("事项", "Matter")) } th { (zh_en("对象", "Subject")) } th { (zh_en("被执行人", "Respondent")) } th { (zh_en("办理期限", "Due")) } th { (zh_en("状态", "Status")) } th { (zh_en("办理", "Handle")) } }
                    @for t in &received {
                        tr id=(format!("task-{}", t.id)) data-entrusted-task=(t.id) data-status=(t.status) {
                            td { (t.from_court_name) br; span.small.muted { (super::beijing_at(&t.requested_at)) } }
                            td { (t.case_number) }
                            td { (super::i18n::known(&t.act_zh)) }
                            td.small { (t.target) @if !t.instructions.is_empty() { br; span.muted { (t.instructions) } } }
                            td.small { (respondents(&t.respondents)) }
                            td { (t.due_on) @if t.overdue { " " span.badge.late { (zh_en("逾期", "Overdue")) } } }
                            td.status { (super::i18n::known(&t.status_zh)) }
                            td {
                                @if let Some(r) = &t.result { p { (r) } }
                                @if let Some(r) = &t.decline_reason { p { (zh_en("拒收：", "Declined: ")) (r) } }
                                @if !t.documents.is_empty() { ul { @for d in &t.documents { li { a href=(d.url) { (d.name) } } } } }
                                @if handles { (task_forms(v, t, note.as_ref())) }
                            }
                        }
                    }
                } }
            }
        }
        section.card #entrusted-sent {
            h2 { (zh_en("本院委托他院的事项（", "Entrusted by this court to others (")) (sent.len()) (zh_en("）", ")")) }
            @if sent.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @else {
                div.scroll { table #sent-tasks {
                    tr { th { (zh_en("受托法院", "Entrusted court")) } th { (zh_en("案号", "Case number")) } th { (zh_en("事项", "Matter")) } th { (zh_en("办理期限", "Due")) } th { (zh_en("状态", "Status")) } }
                    @for t in &sent {
                        tr data-entrusted-task=(t.id) data-status=(t.status) {
                            td { (t.to_court_name) }
                            td { @if let Some(c) = t.case_id { a href=(format!("/cases/{c}#command")) { (t.case_number) } } @else { (t.case_number) } }
                            td { (super::i18n::known(&t.act_zh)) }
                            td { (t.due_on) @if t.overdue { " " span.badge.late { (zh_en("逾期", "Overdue")) } } }
                            td.status { (super::i18n::known(&t.status_zh)) }
                        }
                    }
                } }
            }
        }
    };
    Ok(layout(
        v.lang,
        zh_en("委托事项", "Matter entrusted"),
        Some(v),
        body,
    ))
}

/// The page.
pub async fn show(State(app): State<App>, v: Viewer) -> Result<Response, PageError> {
    Ok(page(StatusCode::OK, render(&app, &v, None).await?))
}

/// Answers a form: done, back to the task's row; refused, the page again with the reason
/// beside the form and what was typed in it; anything else, the error page.
async fn answer(
    app: &App,
    v: &Viewer,
    task: i64,
    form: &'static str,
    typed: String,
    r: Result<TaskView, AppError>,
) -> Response {
    let e = match r {
        Ok(_) => return Redirect::to(&format!("/entrusted#task-{task}")).into_response(),
        Err(e) if e.is_refusal() => e,
        Err(e) => return PageError::from(e).into_response(),
    };
    let words = refusal_words(v.lang, &e);
    let status = ApiError::from(e).status;
    let note = Note {
        task,
        form,
        words,
        typed,
    };
    match render(app, v, Some(note)).await {
        Ok(m) => page(status, m),
        Err(e) => e.into_response(),
    }
}

/// The receiving court accepts the task.
pub async fn accept(State(app): State<App>, v: Viewer, Path(id): Path<i64>) -> Response {
    let r = en::execute(&app, &v.principal, EntrustedCommand::Accept { id }).await;
    answer(&app, &v, id, "accept", String::new(), r).await
}

/// The receiving court declines the task, with its reason.
pub async fn decline(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<Vec<(String, String)>>,
) -> Response {
    let reason = super::kept::field(&f, "reason").to_owned();
    let cmd = EntrustedCommand::Decline {
        id,
        reason: reason.clone(),
    };
    let r = en::execute(&app, &v.principal, cmd).await;
    answer(&app, &v, id, "decline", reason, r).await
}

/// The receiving court returns the result with its documents (multipart).
pub async fn result(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    // As in the API: who may return the result is settled before the upload is read.
    if let Err(e) = en::for_receiver(&app, &v.principal, id).await {
        return PageError::from(e).into_response();
    }
    let mp = match mp {
        Ok(mp) => mp,
        Err(r) => return PageError(crate::multipart::rejection(r)).into_response(),
    };
    let parts =
        match crate::multipart::read_parts(mp, &["result"], "document", MAX_ATTACHMENTS).await {
            Ok(p) => p,
            // A part refused (one file too many or too large, a field unknown): beside the form.
            Err(ApiError {
                refusal: Some(r), ..
            }) => {
                return answer(
                    &app,
                    &v,
                    id,
                    "result",
                    String::new(),
                    Err(AppError::Refused(*r)),
                )
                .await;
            }
            Err(e) => return PageError(e).into_response(),
        };
    let text = parts.text("result");
    let cmd = EntrustedCommand::Complete {
        id,
        result: text.clone(),
        uploads: parts.files,
    };
    let r = en::execute(&app, &v.principal, cmd).await;
    answer(&app, &v, id, "result", text, r).await
}
