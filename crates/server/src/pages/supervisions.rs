//! 督办 (/supervisions): the supervision orders the viewer's court received, with the reply
//! form for its officers, and those it issued, with closing and sending back for its
//! supervisors and division heads — and the form that issues an order about a problem to a
//! court below (orders about one case are issued from that case's page). Reached from the
//! navigation and from the command centre (`?court=` fills in the court ordered to act). Each
//! form builds the same command as its API route (`/api/v1/supervisions…`); a refusal is shown
//! beside the form it answers, in the viewer's language, with what was typed kept.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_domain::access::{Action, Role};
use zhixing_domain::supervision::SupervisionStatus;

use super::i18n::zh_en;
use super::kept::field;
use super::{PageError, Viewer, layout, page, refusal_words};
use crate::error::{ApiError, Path, Query};
use zhixing_app::oversight::supervision::{
    self as sv, IssueInput, SupervisionCommand, SupervisionView,
};
use zhixing_app::state::App;

/// A refusal beside one form (`issue`, `reply-<id>`, `decide-<id>`), with what was typed.
struct Note {
    form: String,
    words: String,
    typed: Vec<(String, String)>,
}

impl Note {
    fn at<'a>(note: Option<&'a Note>, form: &str) -> Option<&'a Note> {
        note.filter(|n| n.form == form)
    }
}

fn typed(note: Option<&Note>, form: &str, name: &str) -> String {
    Note::at(note, form)
        .map(|n| field(&n.typed, name).to_owned())
        .unwrap_or_default()
}

/// Whether the viewer issues and decides orders (a supervisor or division head; the
/// authorization rule has the last word on each court).
fn supervises(v: &Viewer) -> bool {
    v.principal.has(Role::Supervisor) || v.principal.has(Role::DivisionHead)
}

fn refusal(note: Option<&Note>, form: &str) -> Markup {
    html! { @if let Some(n) = Note::at(note, form) { p.error.refusal role="alert" { (n.words) } } }
}

fn notes(o: &SupervisionView) -> Markup {
    html! {
        @for n in &o.notes {
            p data-note=(n.kind) {
                strong { (match n.kind.as_str() { "reply" => zh_en("回复", "Reply"), "return" => zh_en("退回", "Return"), "close" => zh_en("办结", "Close"), _ => zh_en("备注", "Note") }) }
                (zh_en("（", " (")) (super::beijing_at(&n.written_at)) (zh_en("）：", "): ")) (n.body)
            }
        }
    }
}

fn case_link(o: &SupervisionView) -> Markup {
    html! {
        @match (o.case_id, &o.case_number) {
            (Some(id), Some(n)) => a href=(format!("/cases/{id}#command")) { (n) },
            _ => span.muted { (zh_en("（非个案事项）", " (not about one case)")) },
        }
    }
}

async fn render(
    app: &App,
    v: &Viewer,
    court: &str,
    note: Option<&Note>,
) -> Result<Markup, PageError> {
    let own = v.principal.court_id.clone();
    let received = sv::list(app, &v.principal, &own, false).await?;
    let issued = sv::list(app, &v.principal, &own, true).await?;
    let replies = v
        .principal
        .may(Action::HandleCases, &v.principal.court_path);
    let decides = supervises(v);
    let body = html! {
        section.card #supervisions-received {
            h1 { (zh_en("督办", "Supervision")) }
            h2 { (zh_en("本院收到的督办（", "Supervision received by this court (")) (received.len()) (zh_en("）", ")")) }
            @if received.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @else {
                div.scroll { table #received-orders {
                    tr { th { (zh_en("督办法院", "Supervising court")) } th { (zh_en("案件", "Cases")) } th { (zh_en("事项", "Matter")) } th { (zh_en("期限", "Due")) } th { (zh_en("状态", "Status")) } th { (zh_en("回复与意见", "Replies and remarks")) } }
                    @for o in &received {
                        @let form = format!("reply-{}", o.id);
                        tr id=(format!("order-{}", o.id)) data-supervision=(o.id) data-status=(o.status) {
                            td { (o.issuer_court_name) br; span.small.muted { (super::beijing_at(&o.issued_at)) } }
                            td { (case_link(o)) }
                            td { strong { (o.title) } br; span.small { (o.instructions) } }
                            td { (o.deadline) @if o.overdue { " " span.badge.late { (zh_en("逾期", "Overdue")) } } }
                            td.status { (super::i18n::known(&o.status_zh)) }
                            td.small {
                                (notes(o))
                                (refusal(note, &form))
                                @if replies && SupervisionStatus::parse(&o.status).is_some_and(SupervisionStatus::awaits_reply) {
                                    form.supervision-reply method="post" action=(format!("/supervisions/{}/reply", o.id)) {
                                        (v.csrf)
                                        label { (zh_en("回复（办理情况）", "Reply (what was done)")) textarea name="text" required maxlength="4000" { (typed(note, &form, "text")) } }
                                        button type="submit" { (zh_en("回复督办", "Reply to the supervision")) }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
        }
        @if decides {
            section.card #supervisions-issued {
                h2 { (zh_en("本院发出的督办（", "Supervision issued by this court (")) (issued.len()) (zh_en("）", ")")) }
                @if issued.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
                @else {
                    div.scroll { table #issued-orders {
                        tr { th { (zh_en("被督办法院", "Supervised court")) } th { (zh_en("案件", "Cases")) } th { (zh_en("事项", "Matter")) } th { (zh_en("期限", "Due")) } th { (zh_en("状态", "Status")) } th { (zh_en("回复与意见", "Replies and remarks")) } }
                        @for o in &issued {
                            @let form = format!("decide-{}", o.id);
                            tr id=(format!("order-{}", o.id)) data-supervision=(o.id) data-status=(o.status) {
                                td { (o.target_court_name) }
                                td { (case_link(o)) }
                                td { strong { (o.title) } br; span.small { (o.instructions) } }
                                td { (o.deadline) @if o.overdue { " " span.badge.late { (zh_en("逾期", "Overdue")) } } }
                                td.status { (super::i18n::known(&o.status_zh)) }
                                td.small {
                                    (notes(o))
                                    (refusal(note, &form))
                                    @if o.status == SupervisionStatus::Replied.as_str() {
                                        form.supervision-close method="post" action=(format!("/supervisions/{}/close", o.id)) {
                                            (v.csrf)
                                            label { (zh_en("办结意见（可不填）", "Closing remarks (optional)")) input name="text" maxlength="4000" value=(typed(note, &form, "close")); }
                                            button type="submit" { (zh_en("办结", "Close")) }
                                        }
                                        form.supervision-return method="post" action=(format!("/supervisions/{}/return", o.id)) {
                                            (v.csrf)
                                            label { (zh_en("退回理由", "Reason for returning")) input name="text" required maxlength="4000" value=(typed(note, &form, "return")); }
                                            button type="submit" { (zh_en("退回重办", "Return to redo")) }
                                        }
                                    }
                                }
                            }
                        }
                    } }
                }
                h3 { (zh_en("发出督办（非个案事项；个案督办请在案件页面发出）", "Issue a supervision (not about one case; for a case, issue it on the case page)")) }
                (refusal(note, "issue"))
                form #supervision-issue method="post" action="/supervisions" {
                    (v.csrf)
                    label { (zh_en("被督办法院（下级法院代号）", "Supervised court (code of a court below)")) input name="court" required
                        value=(if Note::at(note, "issue").is_some() { typed(note, "issue", "court") } else { court.to_owned() }); }
                    label { (zh_en("督办事项", "Matter supervised")) input name="title" required maxlength="200" value=(typed(note, "issue", "title")); }
                    label { (zh_en("督办要求", "What is required")) textarea name="instructions" required maxlength="4000" { (typed(note, "issue", "instructions")) } }
                    label { (zh_en("回复期限", "Reply due")) input type="date" name="deadline" required value=(typed(note, "issue", "deadline")); }
                    button type="submit" { (zh_en("发出督办", "Issue the supervision")) }
                }
            }
        }
    };
    Ok(layout(v.lang, zh_en("督办", "Supervision"), Some(v), body))
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    /// The court the issue form is for (from the command centre's court page).
    #[serde(default)]
    court: String,
}

/// The page.
pub async fn show(
    State(app): State<App>,
    v: Viewer,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    // The caller's own court is never ordered by itself: nothing to fill in then.
    let court = q.court.trim();
    let court = if court == v.principal.court_id {
        ""
    } else {
        court
    };
    Ok(page(StatusCode::OK, render(&app, &v, court, None).await?))
}

/// Runs a form's command: done, back to the order's row (or the page); refused, the page again
/// with the reason beside the form and what was typed; anything else, the error page.
async fn answer(
    app: &App,
    v: &Viewer,
    form: String,
    typed: Vec<(String, String)>,
    cmd: SupervisionCommand,
) -> Response {
    let e = match sv::execute(app, &v.principal, cmd).await {
        Ok(o) => return Redirect::to(&format!("/supervisions#order-{}", o.id)).into_response(),
        Err(e) if e.is_refusal() => e,
        Err(e) => return PageError::from(e).into_response(),
    };
    let words = refusal_words(v.lang, &e);
    let status = ApiError::from(e).status;
    let note = Note { form, words, typed };
    match render(app, v, "", Some(&note)).await {
        Ok(m) => page(status, m),
        Err(e) => e.into_response(),
    }
}

type Fields = axum::Form<Vec<(String, String)>>;

/// Issues an order about a problem to a court below.
pub async fn issue(State(app): State<App>, v: Viewer, axum::Form(f): Fields) -> Response {
    let cmd = SupervisionCommand::Issue(IssueInput {
        court: field(&f, "court").to_owned(),
        case_id: None,
        title: field(&f, "title").to_owned(),
        instructions: field(&f, "instructions").to_owned(),
        deadline: field(&f, "deadline").to_owned(),
    });
    answer(&app, &v, "issue".into(), f, cmd).await
}

/// The receiving court replies.
pub async fn reply(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    let cmd = SupervisionCommand::Reply {
        id,
        text: field(&f, "text").to_owned(),
    };
    answer(&app, &v, format!("reply-{id}"), f, cmd).await
}

/// The issuing court closes the order.
pub async fn close(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    let text = field(&f, "text").trim().to_owned();
    let cmd = SupervisionCommand::Close {
        id,
        note: (!text.is_empty()).then_some(text.clone()),
    };
    let typed = vec![("close".to_owned(), text)];
    answer(&app, &v, format!("decide-{id}"), typed, cmd).await
}

/// The issuing court sends the reply back, with its reason.
pub async fn send_back(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    let text = field(&f, "text").to_owned();
    let cmd = SupervisionCommand::SendBack {
        id,
        reason: text.clone(),
    };
    let typed = vec![("return".to_owned(), text)];
    answer(&app, &v, format!("decide-{id}"), typed, cmd).await
}
