//! Documents of the flow (法律文书): generated from templates with the case's data when the
//! event that calls for them happens, stored once with their SHA-256, never changed (the
//! database refuses updates and deletes of issued documents).

use askama::Template;
use sha2::{Digest, Sha256};
use zhixing_domain::access::Principal;
use zhixing_domain::case::{ActionKind, CaseEvent, CaseState, ClosureMode, NoticeTerms, PartyRole};
use zhixing_store::courts::CourtRow;

use crate::error::{AppError, OrInternal};
use crate::state::App;

const PRINT_CSS: &str = "@page { size: A4; margin: 25mm 22mm; } \
body { font-family: 'FangSong', 'STFangsong', 'Noto Serif CJK SC', serif; font-size: 16pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 0 auto; } \
h1 { text-align: center; font-size: 22pt; letter-spacing: .3em; margin: 0; } h2 { text-align: center; font-size: 20pt; margin: .2em 0 .6em; } \
.no { text-align: right; } .parties p { margin: .1em 0; } .body p { text-indent: 2em; margin: .3em 0; } \
.sign { text-align: right; margin-top: 3em; } .note { font-size: 11pt; color: #333; margin-top: 2em; }";

/// The escaping of text in documents: `&`, `<`, `>` and `"` as named entities.
#[derive(Debug, Clone, Copy)]
pub struct Entities;

impl askama::filters::Escaper for Entities {
    fn write_escaped_str<W: std::fmt::Write>(&self, mut dest: W, text: &str) -> std::fmt::Result {
        let mut last = 0;
        for (i, c) in text.char_indices() {
            let entity = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => continue,
            };
            dest.write_str(&text[last..i])?;
            dest.write_str(entity)?;
            last = i + 1;
        }
        dest.write_str(&text[last..])
    }
}

/// One party as a document names it.
struct PartyLine<'a> {
    role: &'static str,
    name: &'a str,
    id_label: &'static str,
    identifier: &'a str,
    legal_representative: &'a Option<String>,
    /// 住所 (a person) or 住所地 (an organisation).
    address_label: &'static str,
    address: Option<&'a str>,
}

/// A party in full, as a document to be served names it (DOMAIN §4c): the whole identifier and
/// the address, opened from their sealed copies. The case's state holds only the masked one.
#[derive(Debug, Clone)]
pub struct FullParty {
    pub no: u32,
    pub identifier: String,
    pub address: Option<String>,
}

/// Every document of the flow has the same frame: the court, the title, the case number, the
/// parties, the paragraphs of its body, the date and the seal.
#[derive(Template)]
#[template(path = "documents/document.html")]
struct Document<'a> {
    css: &'static str,
    court: &'a str,
    title: &'static str,
    number: &'a str,
    parties: Vec<PartyLine<'a>>,
    paragraphs: Vec<String>,
    date: &'a str,
}

/// What the documents an event calls for are written on: the court's letterhead, the case
/// with its parties, the date of issue.
struct Letterhead<'a> {
    court: &'a CourtRow,
    state: &'a CaseState,
    date: &'a str,
    /// The parties in full; empty while only finding out whether an event issues documents.
    full: &'a [FullParty],
}

impl Letterhead<'_> {
    /// A document headed `title` with these paragraphs.
    fn render(&self, title: &'static str, paragraphs: Vec<String>) -> Result<String, AppError> {
        let parties = self
            .state
            .parties
            .iter()
            .map(|p| {
                let full = self.full.iter().find(|f| f.no == p.no);
                PartyLine {
                    role: if p.role == PartyRole::Applicant {
                        "申请执行人："
                    } else {
                        "被执行人："
                    },
                    name: &p.name,
                    id_label: if p.kind == "person" {
                        "公民身份号码 "
                    } else {
                        "统一社会信用代码 "
                    },
                    identifier: full.map_or(p.identifier.as_str(), |f| f.identifier.as_str()),
                    legal_representative: &p.legal_representative,
                    address_label: if p.kind == "person" {
                        "住所 "
                    } else {
                        "住所地 "
                    },
                    address: full.and_then(|f| f.address.as_deref()),
                }
            })
            .collect();
        let paragraphs: Vec<String> = paragraphs.iter().map(|p| tidy(p)).collect();
        Document {
            css: PRINT_CSS,
            court: &self.court.name,
            title,
            number: &self.state.number,
            parties,
            paragraphs,
            date: self.date,
        }
        .render()
        .or_internal(title)
    }

    /// The one document of `kind`, listed as `title`, headed `heading`.
    fn one(
        &self,
        kind: &'static str,
        title: &'static str,
        heading: &'static str,
        paragraphs: Vec<String>,
    ) -> Result<Issued, AppError> {
        Ok(vec![(kind, title, self.render(heading, paragraphs)?)])
    }
}

/// A paragraph as a court writes it: what the officer typed (a reason, the facts, the duties)
/// is set inside the template's own sentence, so where the typed text ends with a punctuation
/// mark and the template adds one ("理由：资不抵债。" + "。"), the template's is kept alone.
fn tidy(p: &str) -> String {
    const ENDS: [char; 12] = [
        '。', '．', '.', '；', ';', '，', ',', '！', '!', '？', '?', '、',
    ];
    const TEMPLATE: [char; 4] = ['。', '，', '；', '：'];
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        if TEMPLATE.contains(&c) {
            while out.ends_with(|e: char| ENDS.contains(&e) || e.is_whitespace()) {
                out.pop();
            }
        }
        out.push(c);
    }
    out
}

/// A number of days as a court's document writes it: 五, 十五, 三十, 一百零五.
fn days_in_words(n: i64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |d: i64| DIGITS[usize::try_from(d.rem_euclid(10)).unwrap_or(0)];
    if !(0..1000).contains(&n) {
        return n.to_string();
    }
    let (h, t, u) = (n / 100, n / 10 % 10, n % 10);
    let mut out = String::new();
    if h > 0 {
        out.push_str(digit(h));
        out.push('百');
        if t == 0 && u > 0 {
            out.push('零');
        }
    }
    if t > 0 {
        if !(h == 0 && t == 1) {
            out.push_str(digit(t));
        }
        out.push('十');
    }
    if u > 0 || n == 0 {
        out.push_str(digit(u));
    }
    out
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

type Issued = Vec<(&'static str, &'static str, String)>;

/// The documents one event calls for: (kind, title, html).
fn documents_for(e: &CaseEvent, paper: &Letterhead<'_>) -> Result<Issued, AppError> {
    let state = paper.state;
    let n = &state.number;
    let owed = format!("{}", state.total_due());
    let basis = basis_text(state);
    match e {
        CaseEvent::Filed { .. } => {
            let mut owed_line = format!("申请执行标的金额：{owed}。");
            if !state.duties.is_empty() {
                owed_line.push_str(&format!("非金钱义务：{}。", state.duties));
            }
            paper.one(
                "acceptance_notice",
                "受理案件通知书",
                "受理案件通知书",
                vec![
                    format!(
                        "你（单位）申请执行{basis}一案，本院经审查符合受理条件，已于{}立案执行，案号为{n}。",
                        state.filed_on
                    ),
                    owed_line,
                    "本院将依法在法定期限内办理。你（单位）可凭案号及查询码查询案件进展。".into(),
                ],
            )
        }
        CaseEvent::ActionRecorded { action: ActionKind::NoticeIssued, terms, .. } => {
            let who = respondents(state);
            // The periods the officer stated (the law fixes none); a notice recorded before
            // they were stated said what LEGACY holds.
            let terms = terms.unwrap_or(NoticeTerms::LEGACY);
            let perform = match terms.perform_days {
                0 => "立即履行".to_owned(),
                n => format!("{}日内履行", days_in_words(n)),
            };
            let report = days_in_words(terms.report_days);
            let mut notice = vec![
                format!("申请执行人申请执行{basis}一案，本院已立案执行。"),
                format!("依照《中华人民共和国民事诉讼法》的规定，责令被执行人{who}自收到本通知之日起{perform}下列义务："),
                format!("一、支付{owed}（含本金、利息、迟延履行期间的债务利息及费用）；"),
            ];
            if !state.duties.is_empty() {
                notice.push(format!("二、{}；", state.duties));
            }
            notice.push("逾期不履行的，本院将依法强制执行，并可依法将被执行人纳入失信被执行人名单、限制高消费。".into());
            Ok(vec![
                ("enforcement_notice", "执行通知书", paper.render("执行通知书", notice)?),
                (
                    "property_report_order",
                    "报告财产令",
                    paper.render("报告财产令", vec![
                        format!("依照《中华人民共和国民事诉讼法》及《最高人民法院关于民事执行中财产调查若干问题的规定》，责令被执行人{who}在收到本令后{report}日内，如实向本院报告当前以及收到执行通知之日前一年的财产情况。"),
                        "被执行人拒绝报告或者虚假报告的，本院将根据情节轻重予以罚款、拘留；构成犯罪的，依法追究刑事责任。".into(),
                    ])?,
                ),
            ])
        }
        CaseEvent::Suspended { reason, .. } => paper.one(
            "suspension_ruling",
            "执行裁定书（中止执行）",
            "执行裁定书",
            vec![
                format!("本院在执行{basis}一案中，因{reason}，依照《中华人民共和国民事诉讼法》的规定，裁定如下："),
                format!("中止{basis}的执行。"),
            ],
        ),
        CaseEvent::Closed { mode: ClosureMode::Zhongben, reason, .. } => paper.one(
            "zhongben_ruling",
            "执行裁定书（终结本次执行程序）",
            "执行裁定书",
            vec![
                format!("本院在执行{basis}一案中，{reason}。"),
                format!("本院已向被执行人发出执行通知书、报告财产令及限制消费令，通过网络执行查控系统及传统调查方式对被执行人的财产进行了调查，未发现可供执行的财产，并已约谈申请执行人、听取其意见。尚未履行金额：{}。", state.unpaid()),
                "依照《最高人民法院关于严格规范终结本次执行程序的规定（试行）》第一条之规定，裁定如下：".into(),
                "终结本次执行程序。".into(),
                "申请执行人发现被执行人有可供执行财产的，可以再次申请执行。终结本次执行程序后，被执行人应当继续履行义务，限制消费措施继续有效。".into(),
            ],
        ),
        CaseEvent::Closed { mode, reason, .. } => paper.one(
            "closure_notice",
            "结案通知书",
            "结案通知书",
            vec![
                format!("{basis}一案，本院已以“{}”方式结案。", mode.name_zh()),
                format!("结案理由：{reason}。"),
            ],
        ),
        e @ (CaseEvent::DishonestListed { .. }
        | CaseEvent::DishonestExtended { .. }
        | CaseEvent::DishonestRemoved { .. }
        | CaseEvent::CorrectionDecided { .. }
        | CaseEvent::RestrictionOrdered { .. }
        | CaseEvent::RestrictionLifted { .. }
        | CaseEvent::CreditWarningIssued { .. }) => credit_documents(e, paper),
        _ => Ok(vec![]),
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
fn credit_documents(e: &CaseEvent, paper: &Letterhead<'_>) -> Result<Issued, AppError> {
    let state = paper.state;
    let basis = basis_text(state);
    let listing_party = |no: &u32| {
        state
            .credit
            .listing(*no)
            .map(|l| party_name(state, l.party_no))
            .unwrap_or_default()
    };
    match e {
        CaseEvent::DishonestListed {
            party_no,
            grounds,
            facts,
            on,
            ends_on,
            ..
        } => {
            let who = party_name(state, *party_no);
            let mut body = vec![format!(
                "本院在执行{basis}一案中，被执行人{who}未履行生效法律文书确定的义务，且有下列情形："
            )];
            body.extend(
                grounds
                    .iter()
                    .map(|g| format!("（{}）{}；", g.no(), g.name_zh())),
            );
            body.push(format!("具体情形：{facts}。"));
            body.push("依照《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条、第二条之规定，决定如下：".into());
            body.push(match ends_on {
                Some(end) => format!("将{who}纳入失信被执行人名单，自{on}起至{end}止。"),
                None => format!("将{who}纳入失信被执行人名单，自{on}起至履行完毕之日止。"),
            });
            body.push("被执行人认为本决定有错误的，可以向本院申请纠正。".into());
            paper.one(
                "dishonest_listing_decision",
                "决定书（纳入失信被执行人名单）",
                "决定书",
                body,
            )
        }
        CaseEvent::DishonestExtended {
            no,
            years,
            reason,
            ends_on,
            ..
        } => paper.one(
            "dishonest_extension_decision",
            "决定书（延长失信被执行人名单期限）",
            "决定书",
            vec![
                format!(
                    "被执行人{}因{reason}，依照《最高人民法院关于公布失信被执行人名单信息的若干规定》第二条之规定，决定如下：",
                    listing_party(no)
                ),
                format!("纳入失信被执行人名单的期限延长{years}年，至{ends_on}止。"),
            ],
        ),
        CaseEvent::DishonestRemoved {
            no,
            trigger,
            reason,
            on,
            ..
        } => {
            let who = listing_party(no);
            paper.one(
                "dishonest_removal_decision",
                "决定书（删除失信信息）",
                "决定书",
                vec![
                    format!(
                        "本院在执行{basis}一案中，将被执行人{who}纳入失信被执行人名单。现因{}（{reason}），依照《最高人民法院关于公布失信被执行人名单信息的若干规定》第十条之规定，决定如下：",
                        trigger.name_zh()
                    ),
                    format!("自{on}起删除{who}的失信信息。"),
                ],
            )
        }
        CaseEvent::CorrectionDecided {
            no,
            accepted,
            reason,
            ..
        } => {
            let who = state
                .credit
                .corrections
                .iter()
                .find(|c| c.no == *no)
                .map(|c| listing_party(&c.listing_no))
                .unwrap_or_default();
            paper.one(
                "correction_decision",
                "决定书（失信名单纠正申请）",
                "决定书",
                vec![
                    format!("{who}申请纠正其失信信息，本院经审查认为：{reason}。"),
                    if *accepted {
                        "申请理由成立，予以纠正。".into()
                    } else {
                        "申请理由不成立，驳回纠正申请。".into()
                    },
                ],
            )
        }
        CaseEvent::RestrictionOrdered {
            party_no,
            bound_persons,
            kinds,
            reason,
            ..
        } => {
            let bound = if bound_persons.is_empty() {
                "，不得实施下列行为".to_owned()
            } else {
                format!(
                    "，其法定代表人、主要负责人、影响债务履行的直接责任人员、实际控制人{}亦不得实施下列行为",
                    bound_persons.join("、")
                )
            };
            let mut body = vec![format!(
                "本院在执行{basis}一案中，因{reason}，依照《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第一条、第三条之规定，对{}采取限制消费措施{bound}：",
                party_name(state, *party_no)
            )];
            body.extend(
                kinds
                    .iter()
                    .enumerate()
                    .map(|(i, k)| format!("（{}）{}；", i + 1, k.name_zh())),
            );
            body.push("如违反本令，本院将依法追究法律责任。".into());
            paper.one("restriction_order", "限制消费令", "限制消费令", body)
        }
        CaseEvent::CreditWarningIssued {
            party_no,
            note,
            until,
            ..
        } => {
            let who = party_name(state, *party_no);
            let mut body = vec![
                format!("本院在执行{basis}一案中，被执行人{who}未履行生效法律文书确定的义务。"),
                format!("依照《最高人民法院关于在执行工作中进一步强化善意文明执行理念的意见》的规定，本院向你发出信用惩戒预警：请你于{until}前履行上述义务，或者与申请执行人达成执行和解协议。"),
            ];
            if !note.is_empty() {
                body.push(format!("{note}。"));
            }
            body.push("在上述期限内履行或者达成和解的，本院不将你纳入失信被执行人名单；逾期仍不履行的，本院将依法将你纳入失信被执行人名单。".into());
            paper.one(
                "credit_warning_notice",
                "信用惩戒预警通知书",
                "信用惩戒预警通知书",
                body,
            )
        }
        CaseEvent::RestrictionLifted { no, reason, .. } => {
            let who = state
                .credit
                .order(*no)
                .map(|o| party_name(state, o.party_no))
                .unwrap_or_default();
            paper.one(
                "restriction_lift_notice",
                "解除限制消费令通知书",
                "解除限制消费令通知书",
                vec![format!(
                    "因{reason}，本院决定自即日起解除对{who}的限制消费令。"
                )],
            )
        }
        _ => Ok(vec![]),
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
) -> Result<Vec<CaseEvent>, AppError> {
    issue_for_actor(tx, app, court, case_id, state, events, &crate::actor_of(by)).await
}

/// The case's parties in full, opened from their sealed identifiers and addresses.
async fn parties_in_full(
    tx: &mut zhixing_store::Tx,
    app: &App,
    case_id: i64,
) -> Result<Vec<FullParty>, AppError> {
    let mut out = Vec::new();
    for p in tx.party_secrets_tx(case_id).await? {
        out.push(FullParty {
            no: u32::try_from(p.no).or_internal("party no")?,
            identifier: app.cipher.open(&p.id_cipher)?,
            address: match &p.address_cipher {
                Some(a) => Some(app.cipher.open(a)?),
                None => None,
            },
        });
    }
    Ok(out)
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
) -> Result<Vec<CaseEvent>, AppError> {
    let date = app.today();
    let date_zh = format!("{}年{}月{}日", date.year(), date.month(), date.day());
    let mut paper = Letterhead {
        court,
        state,
        date: &date_zh,
        full: &[],
    };
    // Most changes issue no document: the parties are opened only for those that do.
    let mut issued = Vec::new();
    for e in events {
        issued.extend(documents_for(e, &paper)?.into_iter().map(|d| d.0));
    }
    if issued.is_empty() {
        return Ok(Vec::new());
    }
    let full = parties_in_full(tx, app, case_id).await?;
    paper.full = &full;
    let mut out = Vec::new();
    for e in events {
        for (kind, title, html) in documents_for(e, &paper)? {
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
                on: Some(date),
                to: zhixing_domain::service::recipients_of(e, kind, state),
            });
        }
    }
    Ok(out)
}

/// What a ruling on a review case (执行裁定书) says, as the review module assembles it.
pub(crate) struct RulingText<'a> {
    /// The review case's number, which heads the ruling.
    pub number: &'a str,
    /// The body, paragraph by paragraph (the facts, the grounds, the court's reasons, what it
    /// rules, the remedy and its period).
    pub paragraphs: Vec<String>,
}

/// Issues the ruling on a review case as a document of the enforcement case, on the examining
/// court's letterhead under the review's number, to every party; returns the event that
/// records it (the caller appends it through the case's write path). Served like every
/// document (`case::service`): its service starts the periods the ruling sets.
pub(crate) async fn issue_ruling(
    tx: &mut zhixing_store::Tx,
    app: &App,
    court: &CourtRow,
    case_id: i64,
    state: &CaseState,
    text: RulingText<'_>,
    by_actor: &str,
) -> Result<CaseEvent, AppError> {
    let date = app.today();
    let date_zh = format!("{}年{}月{}日", date.year(), date.month(), date.day());
    let full = parties_in_full(tx, app, case_id).await?;
    let mut headed = state.clone();
    text.number.clone_into(&mut headed.number);
    let paper = Letterhead {
        court,
        state: &headed,
        date: &date_zh,
        full: &full,
    };
    let html = paper.render("执行裁定书", text.paragraphs)?;
    let sha = hex::encode(Sha256::digest(html.as_bytes()));
    let kind = "review_ruling";
    let title = "执行裁定书";
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
    Ok(CaseEvent::DocumentIssued {
        document_id: id,
        doc_kind: kind.to_owned(),
        title: title.to_owned(),
        sha256: sha,
        on: Some(date),
        to: state.parties.iter().map(|p| p.no).collect(),
    })
}

/// A number of days in a document's words, for the review module's remedy sentences.
pub(crate) fn days_written(n: i64) -> String {
    days_in_words(n)
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn days_are_written_in_words() {
        let w = |n| super::days_in_words(n);
        assert_eq!(
            [
                w(0),
                w(5),
                w(10),
                w(15),
                w(20),
                w(30),
                w(100),
                w(105),
                w(110),
                w(365)
            ],
            [
                "零",
                "五",
                "十",
                "十五",
                "二十",
                "三十",
                "一百",
                "一百零五",
                "一百一十",
                "三百六十五"
            ]
        );
    }

    #[test]
    fn typed_text_ending_in_a_mark_does_not_double_the_templates() {
        assert_eq!(tidy("结案理由：资不抵债。。"), "结案理由：资不抵债。");
        assert_eq!(tidy("因资不抵债。，裁定如下："), "因资不抵债，裁定如下：");
        assert_eq!(tidy("二、交付车辆；；"), "二、交付车辆；");
        assert_eq!(tidy("具体情形：拒不履行 。"), "具体情形：拒不履行。");
        // What is not doubled stays as written.
        assert_eq!(
            tidy("自2026年12月2日起至2027年12月1日止。"),
            "自2026年12月2日起至2027年12月1日止。"
        );
        assert_eq!(
            tidy("一、支付¥1,234.50（含本金）；"),
            "一、支付¥1,234.50（含本金）；"
        );
    }
}
