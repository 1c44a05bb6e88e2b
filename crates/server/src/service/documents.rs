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
        e @ (CaseEvent::DishonestListed { .. }
        | CaseEvent::DishonestExtended { .. }
        | CaseEvent::DishonestRemoved { .. }
        | CaseEvent::CorrectionDecided { .. }
        | CaseEvent::RestrictionOrdered { .. }
        | CaseEvent::RestrictionLifted { .. }) => credit_documents(e, state, court, date),
        _ => vec![],
    }
}

fn party_name(state: &CaseState, no: u32) -> String {
    state
        .parties
        .iter()
        .find(|p| p.no == no)
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

/// The decisions of credit discipline (DOMAIN §7).
fn credit_documents(
    e: &CaseEvent,
    state: &CaseState,
    court: &CourtRow,
    date: &str,
) -> Vec<(&'static str, &'static str, String)> {
    let n = &state.number;
    let listing_party = |no: &u32| {
        state
            .credit
            .listing(*no)
            .map(|l| party_name(state, l.party_no))
            .unwrap_or_default()
    };
    match e {
        CaseEvent::DishonestListed { party_no, grounds, facts, on, ends_on, .. } => vec![(
            "dishonest_listing_decision",
            "决定书（纳入失信被执行人名单）",
            frame(court, "决定书", n, html! {
                (parties(state))
                div.body {
                    p { "本院在执行" (basis_text(state)) "一案中，被执行人" (party_name(state, *party_no)) "未履行生效法律文书确定的义务，且有下列情形：" }
                    @for g in grounds { p { "（" (g.no()) "）" (g.name_zh()) "；" } }
                    p { "具体情形：" (facts) "。" }
                    p { "依照《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条、第二条之规定，决定如下：" }
                    p { "将" (party_name(state, *party_no)) "纳入失信被执行人名单，自" (on) "起"
                        @if let Some(end) = ends_on { "至" (end) "止。" } @else { "至履行完毕之日止。" } }
                    p { "被执行人认为本决定有错误的，可以向本院申请纠正。" }
                }
            }, date).into_string(),
        )],
        CaseEvent::DishonestExtended { no, years, reason, ends_on, .. } => vec![(
            "dishonest_extension_decision",
            "决定书（延长失信被执行人名单期限）",
            frame(court, "决定书", n, html! {
                (parties(state))
                div.body {
                    p { "被执行人" (listing_party(no)) "因" (reason) "，依照《最高人民法院关于公布失信被执行人名单信息的若干规定》第二条之规定，决定如下：" }
                    p { "纳入失信被执行人名单的期限延长" (years) "年，至" (ends_on) "止。" }
                }
            }, date).into_string(),
        )],
        CaseEvent::DishonestRemoved { no, trigger, reason, on, .. } => vec![(
            "dishonest_removal_decision",
            "决定书（删除失信信息）",
            frame(court, "决定书", n, html! {
                (parties(state))
                div.body {
                    p { "本院在执行" (basis_text(state)) "一案中，将被执行人" (listing_party(no)) "纳入失信被执行人名单。现因" (trigger.name_zh()) "（" (reason) "），依照《最高人民法院关于公布失信被执行人名单信息的若干规定》第十条之规定，决定如下：" }
                    p { "自" (on) "起删除" (listing_party(no)) "的失信信息。" }
                }
            }, date).into_string(),
        )],
        CaseEvent::CorrectionDecided { no, accepted, reason, .. } => {
            let who = state
                .credit
                .corrections
                .iter()
                .find(|c| c.no == *no)
                .map(|c| listing_party(&c.listing_no))
                .unwrap_or_default();
            vec![(
                "correction_decision",
                "决定书（失信名单纠正申请）",
                frame(court, "决定书", n, html! {
                    (parties(state))
                    div.body {
                        p { (who) "申请纠正其失信信息，本院经审查认为：" (reason) "。" }
                        p { @if *accepted { "申请理由成立，予以纠正。" } @else { "申请理由不成立，驳回纠正申请。" } }
                    }
                }, date).into_string(),
            )]
        }
        CaseEvent::RestrictionOrdered { party_no, bound_persons, kinds, reason, .. } => vec![(
            "restriction_order",
            "限制消费令",
            frame(court, "限制消费令", n, html! {
                (parties(state))
                div.body {
                    p { "本院在执行" (basis_text(state)) "一案中，因" (reason) "，依照《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第一条、第三条之规定，对" (party_name(state, *party_no)) "采取限制消费措施"
                        @if !bound_persons.is_empty() { "，其法定代表人、主要负责人、影响债务履行的直接责任人员、实际控制人" (bound_persons.join("、")) "亦不得实施下列行为" } @else { "，不得实施下列行为" } "：" }
                    @for (i, k) in kinds.iter().enumerate() { p { "（" (i + 1) "）" (k.name_zh()) "；" } }
                    p { "如违反本令，本院将依法追究法律责任。" }
                }
            }, date).into_string(),
        )],
        CaseEvent::RestrictionLifted { no, reason, .. } => {
            let who = state
                .credit
                .order(*no)
                .map(|o| party_name(state, o.party_no))
                .unwrap_or_default();
            vec![(
                "restriction_lift_notice",
                "解除限制消费令通知书",
                frame(court, "解除限制消费令通知书", n, html! {
                    (parties(state))
                    div.body { p { "因" (reason) "，本院决定自即日起解除对" (who) "的限制消费令。" } }
                }, date).into_string(),
            )]
        }
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
    issue_for_actor(tx, app, court, case_id, state, events, &super::actor_of(by)).await
}

/// [`issue_for`] on behalf of an actor that is not a user (the watch worker).
pub async fn issue_for_actor(
    tx: &mut zhixing_store::Tx,
    app: &App,
    court: &CourtRow,
    case_id: i64,
    state: &CaseState,
    events: &[CaseEvent],
    by_actor: &str,
) -> Result<Vec<CaseEvent>, ApiError> {
    let date = app.today();
    let date_zh = format!("{}年{}月{}日", date.year(), date.month(), date.day());
    let mut out = Vec::new();
    for e in events {
        for (kind, title, html) in documents_for(e, state, court, &date_zh) {
            let sha = hex::encode(Sha256::digest(html.as_bytes()));
            let id = tx
                .insert_document(&zhixing_store::cases::NewDocument {
                    case_id,
                    court_id: &court.id,
                    kind,
                    title,
                    html: &html,
                    sha256: &sha,
                    at_us: app.now_us(),
                    by: by_actor,
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
