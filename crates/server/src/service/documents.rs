//! Documents of the flow (法律文书): generated from templates with the case's data when the
//! event that calls for them happens, stored once with their SHA-256, never changed (the
//! database refuses updates and deletes of issued documents).

use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest, Sha256};
use zhixing_domain::access::Principal;
use zhixing_domain::case::{ActionKind, CaseEvent, CaseState, ClosureMode, PartyRole};
use zhixing_store::courts::CourtRow;

use crate::error::ApiError;
use crate::state::App;

const PRINT_CSS: &str = "@page { size: A4; margin: 25mm 22mm; } \
body { font-family: 'FangSong', 'STFangsong', 'Noto Serif CJK SC', serif; font-size: 16pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 0 auto; } \
h1 { text-align: center; font-size: 22pt; letter-spacing: .3em; margin: 0; } h2 { text-align: center; font-size: 20pt; margin: .2em 0 .6em; } \
.no { text-align: right; } .parties p { margin: .1em 0; } .body p { text-indent: 2em; margin: .3em 0; } \
.sign { text-align: right; margin-top: 3em; } .note { font-size: 11pt; color: #333; margin-top: 2em; }";

fn frame(court: &CourtRow, title: &str, number: &str, body: Markup, date: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head { meta charset="utf-8"; title { (court.name) " " (title) } style { (PreEscaped(PRINT_CSS)) } }
            body {
                h1 { (court.name) }
                h2 { (title) }
                p.no { (number) }
                (body)
                div.sign { p { (court.name) } p { (date) } p { "（院印）" } }
            }
        }
    }
}

fn parties(state: &CaseState) -> Markup {
    html! {
        div.parties {
            @for p in &state.parties {
                p {
                    (if p.role == PartyRole::Applicant { "申请执行人：" } else { "被执行人：" })
                    (p.name) "，" (if p.kind == "person" { "公民身份号码 " } else { "统一社会信用代码 " }) (p.identifier)
                    @if let Some(l) = &p.legal_representative { "，法定代表人 " (l) }
                    "。"
                }
            }
        }
    }
}

fn respondents(state: &CaseState) -> String {
    state
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Respondent)
        .map(|p| p.name.clone())
        .collect::<Vec<_>>()
        .join("、")
}

fn basis_text(state: &CaseState) -> String {
    format!(
        "{}作出的{}",
        state.basis.issuing_body, state.basis.document_number
    )
}

/// The documents one event calls for: (kind, title, html).
fn documents_for(
    e: &CaseEvent,
    state: &CaseState,
    court: &CourtRow,
    date: &str,
) -> Vec<(&'static str, &'static str, String)> {
    let n = &state.number;
    let owed = format!("{}", state.total_due());
    match e {
        CaseEvent::Filed { .. } => vec![(
            "acceptance_notice",
            "受理案件通知书",
            frame(court, "受理案件通知书", n, html! {
                (parties(state))
                div.body {
                    p { "你（单位）申请执行" (basis_text(state)) "一案，本院经审查符合受理条件，已于" (state.filed_on) "立案执行，案号为" (n) "。" }
                    p { "申请执行标的金额：" (owed) "。" @if !state.duties.is_empty() { "非金钱义务：" (state.duties) "。" } }
                    p { "本院将依法在法定期限内办理。你（单位）可凭案号及查询码查询案件进展。" }
                }
            }, date).into_string(),
        )],
        CaseEvent::ActionRecorded { action: ActionKind::NoticeIssued, .. } => vec![
            (
                "enforcement_notice",
                "执行通知书",
                frame(court, "执行通知书", n, html! {
                    (parties(state))
                    div.body {
                        p { "申请执行人申请执行" (basis_text(state)) "一案，本院已立案执行。" }
                        p { "依照《中华人民共和国民事诉讼法》的规定，责令被执行人" (respondents(state)) "自收到本通知之日起立即履行下列义务：" }
                        p { "一、支付" (owed) "（含本金、利息、迟延履行期间的债务利息及费用）；" }
                        @if !state.duties.is_empty() { p { "二、" (state.duties) "；" } }
                        p { "逾期不履行的，本院将依法强制执行，并可依法将被执行人纳入失信被执行人名单、限制高消费。" }
                    }
                }, date).into_string(),
            ),
            (
                "property_report_order",
                "报告财产令",
                frame(court, "报告财产令", n, html! {
                    (parties(state))
                    div.body {
                        p { "依照《中华人民共和国民事诉讼法》及《最高人民法院关于民事执行中财产调查若干问题的规定》，责令被执行人" (respondents(state)) "在收到本令后五日内，如实向本院报告当前以及收到执行通知之日前一年的财产情况。" }
                        p { "被执行人拒绝报告或者虚假报告的，本院将根据情节轻重予以罚款、拘留；构成犯罪的，依法追究刑事责任。" }
                    }
                }, date).into_string(),
            ),
        ],
        CaseEvent::Suspended { reason, .. } => vec![(
            "suspension_ruling",
            "执行裁定书（中止执行）",
            frame(court, "执行裁定书", n, html! {
                (parties(state))
                div.body { p { "本院在执行" (basis_text(state)) "一案中，因" (reason) "，依照《中华人民共和国民事诉讼法》的规定，裁定如下：" } p { "中止" (basis_text(state)) "的执行。" } }
            }, date).into_string(),
        )],
        CaseEvent::Closed { mode: ClosureMode::Zhongben, reason, .. } => vec![(
            "zhongben_ruling",
            "执行裁定书（终结本次执行程序）",
            frame(court, "执行裁定书", n, html! {
                (parties(state))
                div.body {
                    p { "本院在执行" (basis_text(state)) "一案中，" (reason) "。" }
                    p { "本院已向被执行人发出执行通知书、报告财产令及限制消费令，通过网络执行查控系统及传统调查方式对被执行人的财产进行了调查，未发现可供执行的财产，并已约谈申请执行人、听取其意见。尚未履行金额：" (state.unpaid()) "。" }
                    p { "依照《最高人民法院关于严格规范终结本次执行程序的规定（试行）》第一条之规定，裁定如下：" }
                    p { "终结本次执行程序。" }
                    p { "申请执行人发现被执行人有可供执行财产的，可以再次申请执行。终结本次执行程序后，被执行人应当继续履行义务，限制消费措施继续有效。" }
                }
            }, date).into_string(),
        )],
        CaseEvent::Closed { mode, reason, .. } => vec![(
            "closure_notice",
            "结案通知书",
            frame(court, "结案通知书", n, html! {
                (parties(state))
                div.body { p { (basis_text(state)) "一案，本院已以“" (mode.name_zh()) "”方式结案。" } p { "结案理由：" (reason) "。" } }
            }, date).into_string(),
        )],
        _ => vec![],
    }
}

/// Issues, stores and returns as events the documents `events` call for.
pub async fn issue_for(
    tx: &mut zhixing_store::Tx,
    app: &App,
    court: &CourtRow,
    case_id: i64,
    state: &CaseState,
    events: &[CaseEvent],
    by: &Principal,
) -> Result<Vec<CaseEvent>, ApiError> {
    let date = app.today();
    let date_zh = format!("{}年{}月{}日", date.year(), date.month(), date.day());
    let mut out = Vec::new();
    for e in events {
        for (kind, title, html) in documents_for(e, state, court, &date_zh) {
            let sha = hex::encode(Sha256::digest(html.as_bytes()));
            let by_actor = super::actor_of(by);
            let id = tx
                .insert_document(&zhixing_store::cases::NewDocument {
                    case_id,
                    court_id: &court.id,
                    kind,
                    title,
                    html: &html,
                    sha256: &sha,
                    at_us: app.now_us(),
                    by: &by_actor,
                })
                .await?;
            out.push(CaseEvent::DocumentIssued {
                document_id: id,
                doc_kind: kind.to_owned(),
                title: title.to_owned(),
                sha256: sha,
            });
        }
    }
    Ok(out)
}
