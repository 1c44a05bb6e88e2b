//! The case page's section for the command centre (指挥中心): the supervision orders (督办)
//! about the case and the tasks entrusted for it to other courts (事项委托), with their forms —
//! a superior court's supervisor or division head issues an order about the case, closes it or
//! sends the reply back; the case's court replies; the case's officers entrust an act to another
//! court. Each form builds the same command as its API route (`/api/v1/supervisions…`,
//! `/api/v1/cases/{id}/entrusted-tasks`) and a refusal is shown beside it (`cases::answer`).

use axum::extract::State;
use axum::response::Response;
use maud::{Markup, html};
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::entrusted::EntrustedAct;
use zhixing_domain::supervision::SupervisionStatus;

use super::Viewer;
use super::cases::{Refused, answer};
use super::i18n::{Label, zh_en};
use super::kept::{self, field, keeping};
use crate::csrf::FormToken;
use crate::error::{ApiError, Path};
use zhixing_app::oversight::entrusted::{self, EntrustedCommand, RequestInput, TaskView};
use zhixing_app::oversight::supervision::{self, IssueInput, SupervisionCommand, SupervisionView};
use zhixing_app::state::App;

/// The section's anchor on the case page, where its refusals are shown.
const SECTION: &str = "command";

/// What the section shows, loaded with the caller's rights (the case is already readable).
pub struct Loaded {
    orders: Vec<SupervisionView>,
    tasks: Vec<TaskView>,
    /// A supervisor or division head of a court above the case's: issues orders about it.
    can_issue: bool,
    /// An officer, judge or head of the case's court: replies to orders, entrusts acts.
    can_handle: bool,
    /// The viewer's court, which decides on the orders it issued.
    own_court: String,
    closed: bool,
}

pub async fn load(app: &App, by: &Principal, case_id: i64) -> Result<Loaded, ApiError> {
    let (case, court) = zhixing_app::case::readable(app, by, case_id).await?;
    Ok(Loaded {
        orders: supervision::of_case(app, by, case_id).await?,
        tasks: entrusted::of_case(app, by, case_id).await?,
        can_issue: by.may(Action::Supervise, &court.path),
        can_handle: by.may(Action::HandleCases, &court.path),
        own_court: by.court_id.clone(),
        closed: case.status == "closed",
    })
}

fn status_of(o: &SupervisionView) -> Option<SupervisionStatus> {
    SupervisionStatus::parse(&o.status)
}

fn note_kind_zh(kind: &str) -> &'static str {
    match kind {
        "reply" => zh_en("回复", "Reply"),
        "return" => zh_en("退回", "Return"),
        "close" => zh_en("办结", "Close"),
        _ => zh_en("备注", "Note"),
    }
}

/// The forms on one order: the reply for the case's court while the order awaits it; closing
/// and sending back for the issuing court once it is replied.
fn order_forms(l: &Loaded, o: &SupervisionView, token: &FormToken, id: i64) -> Markup {
    let status = status_of(o);
    let reply_form = format!("reply-{}", o.id);
    let decide_form = format!("decide-{}", o.id);
    let decides = l.can_issue && o.issuer_court_id == l.own_court;
    html! {
        @if l.can_handle && status.is_some_and(SupervisionStatus::awaits_reply) {
            form.supervision-reply method="post" action=(format!("/cases/{id}/supervisions/{}/reply", o.id)) {
                (token)
                label { (zh_en("回复（办理情况）", "Reply (what was done)")) textarea name="text" required maxlength="4000" { (kept::value(&reply_form, "text")) } }
                button type="submit" { (zh_en("回复督办", "Reply to the supervision")) }
            }
        }
        @if decides && status == Some(SupervisionStatus::Replied) {
            form.supervision-close method="post" action=(format!("/cases/{id}/supervisions/{}/close", o.id)) {
                (token)
                label { (zh_en("办结意见（可不填）", "Closing remarks (optional)")) input name="text" maxlength="4000" value=(kept::value(&decide_form, "close")); }
                button type="submit" { (zh_en("办结", "Close")) }
            }
            form.supervision-return method="post" action=(format!("/cases/{id}/supervisions/{}/return", o.id)) {
                (token)
                label { (zh_en("退回理由", "Reason for returning")) input name="text" required maxlength="4000" value=(kept::value(&decide_form, "return")); }
                button type="submit" { (zh_en("退回重办", "Return to redo")) }
            }
        }
    }
}

pub fn section(l: &Loaded, token: &FormToken, id: i64, refused: Option<Refused<'_>>) -> Markup {
    let issue = |name: &str| kept::value("issue", name);
    let task = |name: &str| kept::value("entrust", name);
    html! {
        section.card #command {
            h2 { (zh_en("督办与事项委托", "Supervision and entrusted matters")) }
            @if let Some(m) = Refused::at(refused, SECTION) { p.error #command-refused role="alert" { (m) } }
            h3 { (zh_en("督办", "Supervision")) }
            @if l.orders.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @else {
                div.scroll { table #supervision-list {
                    tr { th { (zh_en("督办法院", "Supervising court")) } th { (zh_en("事项", "Matter")) } th { (zh_en("期限", "Due")) } th { (zh_en("状态", "Status")) } th { (zh_en("回复与意见", "Replies and remarks")) } th { (zh_en("办理", "Handle")) } }
                    @for o in &l.orders {
                        tr data-supervision=(o.id) data-status=(o.status) {
                            td { (o.issuer_court_name) br; span.small.muted { (super::beijing_at(&o.issued_at)) } }
                            td { strong { (o.title) } br; span.small { (o.instructions) } }
                            td { (o.deadline) @if o.overdue { " " span.badge.late { (zh_en("逾期", "Overdue")) } } }
                            td.status { (super::i18n::known(&o.status_zh)) }
                            td.small { @for n in &o.notes {
                                p data-note=(n.kind) { strong { (note_kind_zh(&n.kind)) } (zh_en("（", " (")) (super::beijing_at(&n.written_at)) (zh_en("）：", "): ")) (n.body) }
                            } }
                            td { (order_forms(l, o, token, id)) }
                        }
                    }
                } }
            }
            @if l.can_issue && !l.closed {
                form #supervision-issue method="post" action=(format!("/cases/{id}/supervisions")) {
                    (token)
                    label { (zh_en("督办事项", "Matter supervised")) input name="title" required maxlength="200" value=(issue("title")); }
                    label { (zh_en("督办要求", "What is required")) textarea name="instructions" required maxlength="4000" { (issue("instructions")) } }
                    label { (zh_en("回复期限", "Reply due")) input type="date" name="deadline" required value=(issue("deadline")); }
                    button type="submit" { (zh_en("发出督办", "Issue the supervision")) }
                }
            }
            h3 { (zh_en("事项委托", "Entrusted matters")) }
            @if l.tasks.is_empty() { p.muted { (zh_en("暂无。", "None yet.")) } }
            @else {
                div.scroll { table #entrusted-list {
                    tr { th { (zh_en("受托法院", "Entrusted court")) } th { (zh_en("事项", "Matter")) } th { (zh_en("对象", "Subject")) } th { (zh_en("办理期限", "Due")) } th { (zh_en("状态", "Status")) } th { (zh_en("结果", "Result")) } }
                    @for t in &l.tasks {
                        tr data-entrusted-task=(t.id) data-status=(t.status) {
                            td { (t.to_court_name) }
                            td { (super::i18n::known(&t.act_zh)) }
                            td.small { (t.target) }
                            td { (t.due_on) @if t.overdue { " " span.badge.late { (zh_en("逾期", "Overdue")) } } }
                            td.status { (super::i18n::known(&t.status_zh)) }
                            td.small {
                                @if let Some(r) = &t.result { (r) }
                                @if let Some(r) = &t.decline_reason { (zh_en("拒收：", "Declined: ")) (r) }
                                @if !t.documents.is_empty() { ul { @for d in &t.documents {
                                    li { a href=(d.url) { (d.name) } }
                                } } }
                            }
                        }
                    }
                } }
            }
            @if l.can_handle && !l.closed {
                form #entrust-form method="post" action=(format!("/cases/{id}/entrusted-tasks")) {
                    (token)
                    label { (zh_en("受托法院（法院代号，如 b130102）", "Entrusted court (court code, e.g. b130102)")) input name="to_court" required value=(task("to_court")); }
                    label { (zh_en("委托事项", "Matter entrusted")) select name="act" {
                        @for a in EntrustedAct::ALL { option value=(a.as_str()) selected[task("act") == a.as_str()] { (a.label()) } }
                    } }
                    label { (zh_en("对象（账户、财产或受送达人）", "Subject (account, property or addressee)")) textarea name="target" required maxlength="4000" { (task("target")) } }
                    label { (zh_en("其他要求（可不填）", "Other requirements (optional)")) textarea name="instructions" maxlength="4000" { (task("instructions")) } }
                    button type="submit" { (zh_en("委托办理", "Entrust")) }
                }
            }
        }
    }
}

/// The values of a form post, in order (kept for the page if the form is refused).
type Fields = axum::Form<Vec<(String, String)>>;

/// 督办 from the case page: an order about this case to the case's court.
pub async fn issue(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    let r = async {
        // The order goes to the court of the case (as the API's `court`), 404 if unreadable.
        let (_, court) = zhixing_app::case::readable(&app, &v.principal, id).await?;
        let cmd = SupervisionCommand::Issue(IssueInput {
            court: court.id,
            case_id: Some(id),
            title: field(&f, "title").to_owned(),
            instructions: field(&f, "instructions").to_owned(),
            deadline: field(&f, "deadline").to_owned(),
        });
        supervision::execute(&app, &v.principal, cmd).await
    }
    .await;
    keeping("issue", f, answer(&app, &v, id, SECTION, r)).await
}

/// The case's court replies to an order (回复).
pub async fn reply(
    State(app): State<App>,
    v: Viewer,
    Path((id, order)): Path<(i64, i64)>,
    axum::Form(f): Fields,
) -> Response {
    let cmd = SupervisionCommand::Reply {
        id: order,
        text: field(&f, "text").to_owned(),
    };
    let r = supervision::execute(&app, &v.principal, cmd).await;
    let form = format!("reply-{order}");
    keeping(form, f, answer(&app, &v, id, SECTION, r)).await
}

/// The issuing court closes the order (办结), with an optional comment.
pub async fn close(
    State(app): State<App>,
    v: Viewer,
    Path((id, order)): Path<(i64, i64)>,
    axum::Form(f): Fields,
) -> Response {
    let text = field(&f, "text").trim().to_owned();
    let cmd = SupervisionCommand::Close {
        id: order,
        note: (!text.is_empty()).then_some(text.clone()),
    };
    let r = supervision::execute(&app, &v.principal, cmd).await;
    let kept = vec![("close".to_owned(), text)];
    keeping(
        format!("decide-{order}"),
        kept,
        answer(&app, &v, id, SECTION, r),
    )
    .await
}

/// The issuing court sends the reply back (退回), with its reason.
pub async fn send_back(
    State(app): State<App>,
    v: Viewer,
    Path((id, order)): Path<(i64, i64)>,
    axum::Form(f): Fields,
) -> Response {
    let text = field(&f, "text").to_owned();
    let cmd = SupervisionCommand::SendBack {
        id: order,
        reason: text.clone(),
    };
    let r = supervision::execute(&app, &v.principal, cmd).await;
    let kept = vec![("return".to_owned(), text)];
    keeping(
        format!("decide-{order}"),
        kept,
        answer(&app, &v, id, SECTION, r),
    )
    .await
}

/// 事项委托 from the case page: one act asked of another court.
pub async fn entrust(
    State(app): State<App>,
    v: Viewer,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    let cmd = EntrustedCommand::Request {
        case_id: id,
        input: RequestInput {
            to_court: field(&f, "to_court").to_owned(),
            act: field(&f, "act").to_owned(),
            target: field(&f, "target").to_owned(),
            instructions: field(&f, "instructions").to_owned(),
        },
    };
    let r = entrusted::execute(&app, &v.principal, cmd).await;
    keeping("entrust", f, answer(&app, &v, id, SECTION, r)).await
}
