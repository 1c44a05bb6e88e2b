//! Filing (立案): turning what the clerk typed into a case that can only hold valid facts.
//! Every problem of the input is reported at once, so the form can show them together.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::WorkingCalendar;
use crate::case::{Amounts, Basis, BasisKind, PartyRole, Refusal, limitation_end};
use crate::case_number::CaseType;
use crate::identity::{CreditCode, IdNumber};
use crate::money::Fen;
use crate::rules::RuleBook;

/// A party as submitted.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    pub role: PartyRole,
    /// `person` or `organisation`
    pub kind: String,
    pub name: String,
    /// For a person: the resident ID number.
    #[serde(default)]
    pub id_number: Option<String>,
    /// For an organisation: the unified social credit code.
    #[serde(default)]
    pub credit_code: Option<String>,
    /// For an organisation.
    #[serde(default)]
    pub legal_representative: Option<String>,
}

/// A party's identifier, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identifier {
    Person(IdNumber),
    Organisation(CreditCode),
}

impl Identifier {
    /// The text the blind index is computed from.
    pub fn normalized(&self) -> &str {
        match self {
            Identifier::Person(i) => i.reveal(),
            Identifier::Organisation(c) => c.as_str(),
        }
    }
    /// As shown in records: masked for persons; credit codes are public.
    pub fn shown(&self) -> String {
        match self {
            Identifier::Person(i) => i.masked(),
            Identifier::Organisation(c) => c.as_str().to_owned(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ValidParty {
    pub role: PartyRole,
    pub name: String,
    pub identifier: Identifier,
    pub legal_representative: Option<String>,
}

impl ValidParty {
    pub fn kind(&self) -> &'static str {
        match self.identifier {
            Identifier::Person(_) => "person",
            Identifier::Organisation(_) => "organisation",
        }
    }
}

/// What a filing needs, as submitted.
#[derive(Debug, Clone)]
pub struct FilingInput {
    pub case_type: String,
    pub parties: Vec<PartyInput>,
    pub basis: Basis,
    pub amounts: [i64; 4],
    pub duties: String,
    pub late_reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ValidFiling {
    pub case_type: CaseType,
    pub parties: Vec<ValidParty>,
    pub basis: Basis,
    pub amounts: Amounts,
    pub duties: String,
    pub late_reason: Option<String>,
}

fn text(s: &str, max: usize) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && t.chars().count() <= max).then(|| t.to_owned())
}

/// Validates a filing made on `today` at a court of `region`.
pub fn validate(
    input: &FilingInput,
    today: Date,
    rules: &RuleBook,
    calendar: &WorkingCalendar,
    region: &str,
) -> Result<ValidFiling, Refusal> {
    let mut problems: Vec<(&'static str, String)> = Vec::new();
    let case_type = match CaseType::parse(&input.case_type) {
        Some(t) if t.is_enforcement() => Some(t),
        Some(t) => {
            problems.push((
                "unsupported_case_type",
                format!("{} cases cannot be filed here yet", t.code()),
            ));
            None
        }
        None => {
            problems.push((
                "unknown_case_type",
                format!(
                    "unknown case type {:?}: use 执, 执恢 or 执保",
                    input.case_type
                ),
            ));
            None
        }
    };
    let mut parties = Vec::new();
    for (i, p) in input.parties.iter().enumerate() {
        let n = i + 1;
        let Some(name) = text(&p.name, 100) else {
            problems.push((
                "invalid_party",
                format!("party {n}: a name of 1–100 characters is required"),
            ));
            continue;
        };
        let identifier = match p.kind.as_str() {
            "person" => match p.id_number.as_deref().map(IdNumber::parse) {
                Some(Ok(id)) => Some(Identifier::Person(id)),
                Some(Err(e)) => {
                    problems.push(("invalid_id_number", format!("party {n} ({name}): {e}")));
                    None
                }
                None => {
                    problems.push((
                        "invalid_party",
                        format!("party {n} ({name}): a natural person needs a resident ID number"),
                    ));
                    None
                }
            },
            "organisation" => {
                if p.legal_representative
                    .as_deref()
                    .and_then(|l| text(l, 50))
                    .is_none()
                {
                    problems.push((
                        "invalid_party",
                        format!(
                            "party {n} ({name}): an organisation needs its legal representative"
                        ),
                    ));
                }
                match p.credit_code.as_deref().map(CreditCode::parse) {
                    Some(Ok(c)) => Some(Identifier::Organisation(c)),
                    Some(Err(e)) => {
                        problems.push(("invalid_credit_code", format!("party {n} ({name}): {e}")));
                        None
                    }
                    None => {
                        problems.push(("invalid_party", format!("party {n} ({name}): an organisation needs its unified social credit code")));
                        None
                    }
                }
            }
            other => {
                problems.push((
                    "invalid_party",
                    format!("party {n}: kind {other:?} is neither person nor organisation"),
                ));
                None
            }
        };
        if let Some(identifier) = identifier {
            parties.push(ValidParty {
                role: p.role,
                name,
                legal_representative: p.legal_representative.as_deref().and_then(|l| text(l, 50)),
                identifier,
            });
        }
    }
    if !input.parties.iter().any(|p| p.role == PartyRole::Applicant) {
        problems.push((
            "invalid_party",
            "at least one applicant (申请执行人) is required".into(),
        ));
    }
    if !input
        .parties
        .iter()
        .any(|p| p.role == PartyRole::Respondent)
    {
        problems.push((
            "invalid_party",
            "at least one respondent (被执行人) is required".into(),
        ));
    }
    if input.parties.len() > 50 {
        problems.push(("invalid_party", "at most 50 parties".into()));
    }
    let b = &input.basis;
    if text(&b.issuing_body, 100).is_none() || text(&b.document_number, 100).is_none() {
        problems.push((
            "invalid_basis",
            "the basis needs its issuing body and document number".into(),
        ));
    }
    if b.effective_date > today {
        problems.push((
            "basis_not_effective",
            format!(
                "the basis takes effect on {}, after today",
                b.effective_date
            ),
        ));
    }
    if b.performance_deadline < b.effective_date {
        problems.push((
            "invalid_basis",
            "the performance period cannot end before the basis takes effect".into(),
        ));
    }
    let mut fen = [Fen::ZERO; 4];
    for (i, (v, name)) in input
        .amounts
        .iter()
        .zip(["principal", "interest", "delay_interest", "costs"])
        .enumerate()
    {
        match Fen::new(*v) {
            Ok(f) => fen[i] = f,
            Err(e) => problems.push(("invalid_amount", format!("{name}: {e}"))),
        }
    }
    let amounts = Amounts {
        principal: fen[0],
        interest: fen[1],
        delay_interest: fen[2],
        costs: fen[3],
    };
    if let Err(e) = amounts.total() {
        problems.push(("invalid_amount", format!("total: {e}")));
    }
    let duties = input.duties.trim().to_owned();
    if duties.chars().count() > 2000 {
        problems.push((
            "invalid_duties",
            "non-monetary duties: at most 2,000 characters".into(),
        ));
    }
    if amounts.total().is_ok_and(|t| t == Fen::ZERO) && duties.is_empty() {
        problems.push((
            "nothing_to_enforce",
            "give an amount or a non-monetary duty".into(),
        ));
    }
    let late_reason = input.late_reason.as_deref().and_then(|r| text(r, 500));
    if b.performance_deadline <= today && b.performance_deadline >= b.effective_date {
        let end = limitation_end(b, rules, calendar, region)?;
        if today > end && late_reason.is_none() {
            problems.push((
                "limitation_expired",
                format!("the 2-year limitation ended on {end}; record the reason for accepting a late application (late_reason)"),
            ));
        }
    }
    if let Some((code, _)) = problems.first() {
        return Err(Refusal::many(
            code,
            problems.into_iter().map(|(_, r)| r).collect(),
        ));
    }
    let case_type = case_type.ok_or_else(|| Refusal::one("unknown_case_type", "case type"))?;
    Ok(ValidFiling {
        case_type,
        parties,
        basis: b.clone(),
        amounts,
        duties,
        late_reason,
    })
}

/// The basis kinds, for forms.
pub const BASIS_KINDS: [(BasisKind, &str); 7] = [
    (BasisKind::Judgment, "判决书"),
    (BasisKind::Ruling, "裁定书"),
    (BasisKind::Mediation, "调解书"),
    (BasisKind::ArbitrationAward, "仲裁裁决"),
    (BasisKind::NotarizedDebt, "公证债权文书"),
    (BasisKind::AdministrativeDecision, "行政决定"),
    (BasisKind::Other, "其他"),
];

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use jiff::civil::date;

    fn rules() -> RuleBook {
        RuleBook::from_toml([("case.toml", include_str!("../../../rules/case.toml"))]).unwrap() // allow-panic: test code
    }

    fn input() -> FilingInput {
        FilingInput {
            case_type: "执".into(),
            parties: vec![
                PartyInput {
                    role: PartyRole::Applicant,
                    kind: "person".into(),
                    name: "张三".into(),
                    id_number: Some("11010519491231002X".into()),
                    credit_code: None,
                    legal_representative: None,
                },
                PartyInput {
                    role: PartyRole::Respondent,
                    kind: "organisation".into(),
                    name: "某某有限公司".into(),
                    id_number: None,
                    credit_code: Some("91350100M000100Y43".into()),
                    legal_representative: Some("李四".into()),
                },
            ],
            basis: Basis {
                kind: BasisKind::Judgment,
                issuing_body: "北京市朝阳区人民法院".into(),
                document_number: "(2024)京0105民初100号".into(),
                effective_date: date(2024, 6, 1),
                performance_deadline: date(2024, 6, 15),
            },
            amounts: [10_000_000, 0, 0, 50_000],
            duties: String::new(),
            late_reason: None,
        }
    }

    #[test]
    fn a_good_filing_passes() {
        let f = validate(
            &input(),
            date(2025, 1, 10),
            &rules(),
            &WorkingCalendar::default(),
            "110105",
        )
        .unwrap(); // allow-panic: test code
        assert_eq!(f.case_type, CaseType::Zhi);
        assert_eq!(f.amounts.total().unwrap().get(), 10_050_000); // allow-panic: test code
        assert_eq!(f.parties[0].identifier.shown(), "1101**********002X");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut i = input();
        i.case_type = "执王".into();
        i.parties[0].id_number = Some("110105194912310021".into());
        i.parties[1].credit_code = Some("91350100M000100Y44".into());
        i.amounts = [-5, 0, 0, 0];
        i.basis.effective_date = date(2030, 1, 1);
        let e = validate(
            &i,
            date(2025, 1, 10),
            &rules(),
            &WorkingCalendar::default(),
            "",
        )
        .unwrap_err();
        assert_eq!(e.code, "unknown_case_type");
        assert!(e.reasons.len() >= 5, "{:?}", e.reasons);
    }

    #[test]
    fn late_filings_need_a_reason() {
        let i = input();
        let e = validate(
            &i,
            date(2026, 7, 1),
            &rules(),
            &WorkingCalendar::default(),
            "",
        )
        .unwrap_err();
        assert_eq!(e.code, "limitation_expired");
        let mut i = i;
        i.late_reason = Some("申请人曾提出中断时效的主张".into());
        assert!(
            validate(
                &i,
                date(2026, 7, 1),
                &rules(),
                &WorkingCalendar::default(),
                ""
            )
            .is_ok()
        );
    }

    #[test]
    fn overflowing_amounts_are_refused() {
        let mut i = input();
        i.amounts = [crate::money::MAX_FEN, crate::money::MAX_FEN, 0, 0];
        assert_eq!(
            validate(
                &i,
                date(2025, 1, 10),
                &rules(),
                &WorkingCalendar::default(),
                ""
            )
            .unwrap_err()
            .code,
            "invalid_amount"
        );
    }
}
