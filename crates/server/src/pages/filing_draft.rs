//! The source of a filing draft, beside the filled form: each value read from the basis with
//! the words it came from and how sure the reading is, the fields to confirm marked, and the
//! document itself with every source highlighted (`mark`, linked from the table).

use maud::{Markup, html};
use zhixing_domain::case::PartyRole;
use zhixing_domain::filing_draft::{Draft, Field, Period, Span};

use super::cases::yuan;
use super::i18n::zh_en;

/// One row of the table: what, the value as shown, where, how sure, confirm?
struct Row {
    what: String,
    value: String,
    span: Span,
    confidence: u8,
    confirm: bool,
}

fn row<T>(what: String, f: &Field<T>, value: String) -> Row {
    Row {
        what,
        value,
        span: f.span,
        confidence: f.confidence,
        confirm: f.confirm,
    }
}

fn rows(d: &Draft) -> Vec<Row> {
    let mut out = Vec::new();
    let b = &d.basis;
    if let Some(f) = &b.issuing_body {
        out.push(row(
            zh_en("作出机关", "Issued by").into(),
            f,
            f.value.clone(),
        ));
    }
    if let Some(f) = &b.document_number {
        out.push(row(
            zh_en("文书编号", "Document number").into(),
            f,
            f.value.clone(),
        ));
    }
    if let Some(f) = &b.effective_date {
        out.push(row(
            zh_en("生效日期", "Effective on").into(),
            f,
            f.value.to_string(),
        ));
    }
    for p in &d.parties {
        let role = match p.role.as_ref().map(|r| r.value) {
            Some(PartyRole::Applicant) => zh_en("申请执行人", "Applicant"),
            Some(PartyRole::Respondent) => zh_en("被执行人", "Respondent"),
            None => zh_en("不参加执行", "Not a party to enforcement"),
        };
        let who = format!("{role}（{}）", p.heading_role.value);
        out.push(row(
            format!("{who} {}", zh_en("名称", "name")),
            &p.name,
            p.name.value.clone(),
        ));
        if let Some(r) = &p.role {
            out.push(row(
                format!("{who} {}", zh_en("地位", "role")),
                r,
                role.to_owned(),
            ));
        }
        for (label, f) in [
            (zh_en("身份证号码", "ID number"), &p.id_number),
            (zh_en("统一社会信用代码", "credit code"), &p.credit_code),
            (zh_en("住所", "address"), &p.address),
            (
                zh_en("法定代表人", "representative"),
                &p.legal_representative,
            ),
        ] {
            if let Some(f) = f {
                out.push(row(format!("{who} {label}"), f, f.value.clone()));
            }
        }
    }
    for (i, duty) in d.duties.iter().enumerate() {
        let n = i + 1;
        if let Some(f) = &duty.principal {
            out.push(row(
                format!(
                    "{} {n} {}",
                    zh_en("给付义务", "Duty"),
                    zh_en("本金", "principal")
                ),
                f,
                yuan(f.value.get()),
            ));
        }
        for g in &duty.guarantors {
            out.push(row(
                format!(
                    "{} {n} {}",
                    zh_en("给付义务", "Duty"),
                    zh_en("连带责任人", "jointly liable")
                ),
                g,
                g.value.clone(),
            ));
        }
        if let Some(i) = &duty.interest {
            if let Some(f) = &i.rate {
                out.push(row(
                    format!(
                        "{} {n} {}",
                        zh_en("给付义务", "Duty"),
                        zh_en("利率", "interest rate")
                    ),
                    f,
                    f.value.clone(),
                ));
            }
            if let Some(f) = &i.amount {
                out.push(row(
                    format!(
                        "{} {n} {}",
                        zh_en("给付义务", "Duty"),
                        zh_en("利息", "interest")
                    ),
                    f,
                    yuan(f.value.get()),
                ));
            }
        }
    }
    for c in &d.costs {
        let label = match c.kind.as_str() {
            "acceptance_fee" => zh_en("案件受理费", "Acceptance fee"),
            "preservation_fee" => zh_en("保全费", "Preservation fee"),
            "arbitration_fee" => zh_en("仲裁费", "Arbitration fee"),
            _ => zh_en("公证费", "Notary fee"),
        };
        let by: Vec<&str> = c.borne_by.iter().map(|b| b.value.as_str()).collect();
        out.push(row(
            label.into(),
            &c.amount,
            format!("{}（{}）", yuan(c.amount.value.get()), by.join("、")),
        ));
    }
    if let Some(p) = &d.performance_period {
        let v = match p.value {
            Period::DaysFromEffect { days } => format!(
                "{} {days} {}",
                zh_en("生效后", "within"),
                zh_en("日内", "days of taking effect")
            ),
            Period::ByDate { date } => format!("{} {date}", zh_en("截至", "by")),
        };
        out.push(row(zh_en("履行期限", "Performance period").into(), p, v));
    }
    out
}

/// What a problem of the draft says.
fn problem_words(code: &str) -> &'static str {
    match code {
        "parties_not_found" => zh_en(
            "未找到当事人：请对照文书填写。",
            "No party was found: fill them in from the document.",
        ),
        "no_applicant_found" => zh_en("未找到申请执行人。", "No applicant was found."),
        "no_respondent_found" => zh_en("未找到被执行人。", "No respondent was found."),
        "no_payment_duty_found" => zh_en("未找到金钱给付义务。", "No payment duty was found."),
        "operative_part_not_found" => {
            zh_en("未找到判项（主文）。", "The operative part was not found.")
        }
        "effective_date_not_stated" => zh_en(
            "文书未载明生效日期：请依送达情况填写。",
            "The document does not state when it took effect: fill it in from its service.",
        ),
        "liability_not_drafted" => zh_en(
            "有补充责任等判项未填入：请核对。",
            "A supplementary liability was not drafted: check it.",
        ),
        "number_not_found" => zh_en("未找到文书编号。", "The document number was not found."),
        "issuer_not_found" => zh_en("未找到作出机关。", "The issuer was not found."),
        "document_kind_not_found" => zh_en(
            "未识别文书种类。",
            "The kind of document was not recognised.",
        ),
        _ => zh_en("请核对此项。", "Check this."),
    }
}

/// The source panel.
pub fn source(d: &Draft) -> Markup {
    let rows = rows(d);
    // The document with each source marked; overlapping sources keep the first.
    let chars: Vec<char> = d.text.chars().collect();
    let mut marks: Vec<(usize, &Row, usize)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.span.start, r, i))
        .collect();
    marks.sort_by_key(|m| (m.0, m.2));
    let mut pieces: Vec<(String, Option<(usize, bool)>)> = Vec::new();
    let mut at = 0usize;
    for (start, r, i) in marks {
        let end = r.span.end.min(chars.len());
        if start < at || start >= end {
            continue;
        }
        pieces.push((chars[at..start].iter().collect(), None));
        pieces.push((chars[start..end].iter().collect(), Some((i, r.confirm))));
        at = end;
    }
    pieces.push((chars[at.min(chars.len())..].iter().collect(), None));
    let to_confirm = rows.iter().filter(|r| r.confirm).count();
    html! {
        section.card #draft-source {
            h2 { (zh_en("从执行依据读出的内容", "Read from the enforcement basis")) }
            p { (zh_en("已填入下方立案表，请逐项核对后立案。", "The filing form below is filled in: check each item, then file."))
                @if to_confirm > 0 { " " strong.confirm-count { (zh_en("需确认：", "To confirm: ")) (to_confirm) } } }
            @if !d.problems.is_empty() {
                ul.draft-problems role="alert" { @for p in &d.problems { li data-code=(p.code) { (problem_words(p.code)) } } }
            }
            div.draft-columns {
                div.scroll {
                    table #draft-fields {
                        thead { tr { th { (zh_en("项目", "Item")) } th { (zh_en("读出的值", "Value")) } th { (zh_en("可信度", "Confidence")) } th { (zh_en("出处", "Source")) } } }
                        tbody {
                            @for (i, r) in rows.iter().enumerate() {
                                tr class=[r.confirm.then_some("confirm")] {
                                    td { (r.what) @if r.confirm { " " span.badge { (zh_en("需确认", "confirm")) } } }
                                    td { (r.value) }
                                    td { (r.confidence) "%" }
                                    td { a href=(format!("#src-{i}")) { (zh_en("原文", "source")) } }
                                }
                            }
                        }
                    }
                }
                pre.basis-text #basis-document {
                    @for (text, mark) in &pieces {
                        @match mark {
                            Some((i, confirm)) => { mark id=(format!("src-{i}")) class=[confirm.then_some("confirm")] { (text) } }
                            None => { (text) }
                        }
                    }
                }
            }
        }
    }
}
