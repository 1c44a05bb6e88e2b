//! Filing (立案): turning what the clerk typed into a case that can only hold valid facts.
//! Every problem of the input is reported at once, so the form can show them together.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::WorkingCalendar;
use crate::case::{
    Amounts, Basis, BasisKind, CaseState, PartyRole, Refusal, amount_problem, fen_of,
    limitation_end, refused_as,
};
use crate::case_number::CaseType;
use crate::identity::{CreditCode, IdNumber};
use crate::money::Fen;
use crate::refusal::{Reason, RefusalKind};
use crate::rules::RuleBook;
use crate::text::{Bounds, Lines, TextProblem};

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
    /// 住所 (domicile, or an organisation's seat): what a document to be served names the
    /// party by, beside the identifier. Kept sealed like the identifier.
    #[serde(default)]
    pub address: Option<String>,
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
    pub address: Option<String>,
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

/// A typed text by the one rule ([`crate::text`]): `Ok(None)` when it is blank, empty or too
/// long (each caller words that its own way), `Err` with the reason when it holds a character
/// no text may hold.
fn text(field: &'static str, s: &str, max: usize, b: Lines) -> Result<Option<String>, Reason> {
    let bounds = Bounds {
        min: 1,
        max,
        lines: b,
    };
    match crate::text::clean(s, bounds) {
        Ok(t) => Ok(Some(t)),
        Err(TextProblem::Chars(f)) => Err(crate::text::fault_reason(field, f)),
        Err(_) => Ok(None),
    }
}

/// The most characters of a party's name, and of a basis's issuing body or number.
pub const MAX_NAME_CHARS: usize = 100;
/// The most characters of an organisation's legal representative.
pub const MAX_REPRESENTATIVE_CHARS: usize = 50;
/// Longest address (住所) a filing accepts.
pub const MAX_ADDRESS_CHARS: usize = 200;
/// The most parties of one filing.
pub const MAX_PARTIES: usize = 50;
/// The most characters of the non-monetary duties.
pub const MAX_DUTIES_CHARS: usize = 2000;
/// The most characters of the reason a late filing is accepted.
pub const MAX_LATE_REASON_CHARS: usize = 500;

/// The problems of a filing as they are found, each with the code the refusal takes when it
/// is the first.
#[derive(Default)]
struct Found(Vec<(&'static str, Reason)>);

impl Found {
    fn push(&mut self, code: &'static str, r: Reason) {
        self.0.push((code, r));
    }
    /// A problem whose code is the refusal's too.
    fn add(&mut self, r: Reason) {
        self.push(r.code, r);
    }
    /// A problem of party `no` (1-based), named if it has a name.
    fn party(&mut self, code: &'static str, no: usize, name: Option<&str>, r: Reason) {
        let r = r.with("no", no);
        self.push(
            code,
            if let Some(n) = name {
                r.with("name", n)
            } else {
                r
            },
        );
    }
    /// Every problem at once, under the first one's code.
    fn finish(self) -> Result<(), Refusal> {
        match self.0.first() {
            None => Ok(()),
            Some((code, _)) => Err(Refusal::of_reasons(
                code,
                RefusalKind::Invalid,
                self.0.into_iter().map(|(_, r)| r).collect(),
            )),
        }
    }
}

fn invalid_party(problem: &'static str) -> Reason {
    Reason::new("invalid_party").with("problem", problem)
}

fn invalid_basis(problem: &'static str) -> Reason {
    Reason::new("invalid_basis").with("problem", problem)
}

/// A party's identifier, or what is wrong with it.
fn identifier_of(p: &PartyInput, n: usize, name: &str, found: &mut Found) -> Option<Identifier> {
    match p.kind.as_str() {
        "person" => match p.id_number.as_deref().map(IdNumber::parse) {
            Some(Ok(id)) => Some(Identifier::Person(id)),
            Some(Err(e)) => {
                let r = Reason::new("invalid_id_number").with("problem", e.code());
                found.party(r.code, n, Some(name), r);
                None
            }
            None => {
                found.party(
                    "invalid_party",
                    n,
                    Some(name),
                    invalid_party("id_number_missing"),
                );
                None
            }
        },
        "organisation" => {
            let rep = p.legal_representative.as_deref().map(|l| {
                text(
                    "legal_representative",
                    l,
                    MAX_REPRESENTATIVE_CHARS,
                    Lines::One,
                )
            });
            if let Some(Err(r)) = rep {
                found.party("invalid_party", n, Some(name), r);
            } else if !matches!(rep, Some(Ok(Some(_)))) {
                let r = invalid_party("legal_representative").with("max", MAX_REPRESENTATIVE_CHARS);
                found.party("invalid_party", n, Some(name), r);
            }
            match p.credit_code.as_deref().map(CreditCode::parse) {
                Some(Ok(c)) => Some(Identifier::Organisation(c)),
                Some(Err(e)) => {
                    let r = Reason::new("invalid_credit_code").with("problem", e.code());
                    found.party(r.code, n, Some(name), r);
                    None
                }
                None => {
                    let r = invalid_party("credit_code_missing");
                    found.party("invalid_party", n, Some(name), r);
                    None
                }
            }
        }
        other => {
            let r = invalid_party("kind").with("kind", other);
            found.party("invalid_party", n, None, r);
            None
        }
    }
}

/// Validates a filing made on `today` at a court of `region`. Every problem of the input is
/// reported at once.
pub fn validate(
    input: &FilingInput,
    today: Date,
    rules: &RuleBook,
    calendar: &WorkingCalendar,
    region: &str,
) -> Result<ValidFiling, Refusal> {
    let mut found = Found::default();
    let case_type = match CaseType::parse(&input.case_type) {
        Some(t) if t.is_enforcement() => Some(t),
        // Review cases are filed from the enforcement case they concern (`review`).
        Some(t @ (CaseType::ZhiYi | CaseType::ZhiFu | CaseType::ZhiJian)) => {
            found.add(Reason::new("review_case_type").with("case_type", t.code()));
            None
        }
        Some(t) => {
            found.add(Reason::new("unsupported_case_type").with("case_type", t.code()));
            None
        }
        None => {
            found.push(
                "unknown_case_type",
                Reason::new("case_type_unknown").with("case_type", &input.case_type),
            );
            None
        }
    };
    let mut parties = Vec::new();
    for (i, p) in input.parties.iter().enumerate() {
        let n = i + 1;
        let name = match text("name", &p.name, MAX_NAME_CHARS, Lines::One) {
            Ok(Some(name)) => name,
            Ok(None) => {
                let r = invalid_party("name").with("max", MAX_NAME_CHARS);
                found.party("invalid_party", n, None, r);
                continue;
            }
            Err(r) => {
                found.party("invalid_party", n, None, r);
                continue;
            }
        };
        let address = match p
            .address
            .as_deref()
            .map(|a| text("address", a, MAX_ADDRESS_CHARS, Lines::One))
        {
            Some(Err(r)) => {
                found.party("invalid_party", n, Some(&name), r);
                None
            }
            // Left blank: no address. Too long: said so, with the bound.
            Some(Ok(None)) if !p.address.as_deref().unwrap_or_default().trim().is_empty() => {
                let r = invalid_party("address").with("max", MAX_ADDRESS_CHARS);
                found.party("invalid_party", n, Some(&name), r);
                None
            }
            Some(Ok(a)) => a,
            None => None,
        };
        if let Some(identifier) = identifier_of(p, n, &name, &mut found) {
            parties.push(ValidParty {
                address,
                role: p.role,
                name,
                legal_representative: p.legal_representative.as_deref().and_then(|l| {
                    text(
                        "legal_representative",
                        l,
                        MAX_REPRESENTATIVE_CHARS,
                        Lines::One,
                    )
                    .ok()
                    .flatten()
                }),
                identifier,
            });
        }
    }
    for (role, problem) in [
        (PartyRole::Applicant, "no_applicant"),
        (PartyRole::Respondent, "no_respondent"),
    ] {
        if !input.parties.iter().any(|p| p.role == role) {
            found.add(invalid_party(problem));
        }
    }
    if input.parties.len() > MAX_PARTIES {
        found.add(invalid_party("too_many").with("max", MAX_PARTIES));
    }
    let b = &input.basis;
    let body = text("issuing_body", &b.issuing_body, MAX_NAME_CHARS, Lines::One);
    let number = text(
        "document_number",
        &b.document_number,
        MAX_NAME_CHARS,
        Lines::One,
    );
    match (body, number) {
        (Err(r), _) | (_, Err(r)) => found.push("invalid_basis", r),
        (Ok(Some(_)), Ok(Some(_))) => {}
        _ => found.add(invalid_basis("document").with("max", MAX_NAME_CHARS)),
    }
    if b.effective_date > today {
        found.add(Reason::new("basis_not_effective").with("effective_date", b.effective_date));
    }
    if b.performance_deadline < b.effective_date {
        found.add(invalid_basis("deadline_before_effective"));
    }
    let mut fen = [Fen::ZERO; 4];
    for (i, (v, name)) in input
        .amounts
        .iter()
        .zip(["principal", "interest", "delay_interest", "costs"])
        .enumerate()
    {
        match fen_of(name, *v) {
            Ok(f) => fen[i] = f,
            Err(r) => found.push("invalid_amount", r),
        }
    }
    let amounts = Amounts {
        principal: fen[0],
        interest: fen[1],
        delay_interest: fen[2],
        costs: fen[3],
    };
    if amounts.total().is_err() {
        found.push("invalid_amount", amount_problem("total", "too_large"));
    }
    let duties = match crate::text::clean(
        &input.duties,
        Bounds {
            min: 0,
            max: MAX_DUTIES_CHARS,
            lines: Lines::Many,
        },
    ) {
        Ok(d) => d,
        Err(TextProblem::Chars(f)) => {
            found.push("invalid_duties", crate::text::fault_reason("duties", f));
            String::new()
        }
        Err(TextProblem::Invisible) => {
            found.push(
                "invalid_duties",
                crate::text::problem_reason("duties", TextProblem::Invisible),
            );
            String::new()
        }
        Err(_) => {
            found.add(Reason::new("invalid_duties").with("max", MAX_DUTIES_CHARS));
            String::new()
        }
    };
    if amounts.total().is_ok_and(|t| t == Fen::ZERO) && duties.is_empty() {
        found.add(Reason::new("nothing_to_enforce"));
    }
    let late_reason = match input
        .late_reason
        .as_deref()
        .map(|r| text("late_reason", r, MAX_LATE_REASON_CHARS, Lines::Many))
    {
        Some(Err(r)) => {
            found.push("invalid_late_reason", r);
            None
        }
        Some(Ok(t)) => t,
        None => None,
    };
    if b.performance_deadline <= today && b.performance_deadline >= b.effective_date {
        let (rule, end) = limitation_end(b, rules, calendar, region)?;
        if today > end && late_reason.is_none() {
            found.add(
                Reason::new("limitation_expired")
                    .rule(rule)
                    .with("ended_on", end),
            );
        }
    }
    found.finish()?;
    let case_type = case_type
        .ok_or_else(|| Refusal::invalid("unknown_case_type").with("case_type", &input.case_type))?;
    Ok(ValidFiling {
        case_type,
        parties,
        basis: b.clone(),
        amounts,
        duties,
        late_reason,
    })
}

/// A 执恢 case is filed only by resuming a terminated (终本) case, never directly.
pub fn check_origin(case_type: CaseType, resuming: bool) -> Result<(), Refusal> {
    if case_type == CaseType::ZhiHui && !resuming {
        Err(Refusal::invalid("resumption_only"))
    } else {
        Ok(())
    }
}

/// What resuming `old` files: a 执恢 case against the same parties (`identifiers`, in the
/// parties' order, as stored) on the same basis, for what is still unpaid.
pub fn resumption_input(
    old: &CaseState,
    reason: &str,
    identifiers: Vec<(String, Option<String>)>,
) -> FilingInput {
    let parties = old
        .parties
        .iter()
        .zip(identifiers)
        .map(|(p, (ident, address))| PartyInput {
            address,
            role: p.role,
            kind: p.kind.clone(),
            name: p.name.clone(),
            id_number: (p.kind == "person").then(|| ident.clone()),
            credit_code: (p.kind == "organisation").then_some(ident),
            legal_representative: p.legal_representative.clone(),
        })
        .collect();
    FilingInput {
        case_type: CaseType::ZhiHui.code().to_owned(),
        parties,
        basis: old.basis.clone(),
        amounts: [old.unpaid().get(), 0, 0, 0],
        duties: old.duties.clone(),
        late_reason: Some(format!("恢复执行：{}", reason.trim())),
    }
}

/// A date of the basis as typed (`YYYY-MM-DD`); `field` names it.
pub fn date_of(field: &'static str, s: &str) -> Result<Date, Refusal> {
    s.parse().map_err(|_| {
        refused_as(
            "invalid_date",
            RefusalKind::Invalid,
            Reason::new("date_invalid").with("field", field),
        )
    })
}

/// The kind of basis named `s` (`judgment`, `ruling`, …).
pub fn basis_kind_of(s: &str) -> Result<BasisKind, Refusal> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(|_| {
        Refusal::of_reasons(
            "invalid_basis",
            RefusalKind::Invalid,
            vec![invalid_basis("unknown_kind").with("kind", s)],
        )
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
    use crate::refusal::Param;
    use crate::testing::{calendar, rules};
    use jiff::civil::date;

    /// The filing validated on `today` at a court of Chaoyang district, Beijing.
    fn check(i: &FilingInput, today: Date) -> Result<ValidFiling, Refusal> {
        validate(i, today, &rules(), &calendar(), "110105")
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
                    address: Some("北京市东城区东长安街1号".into()),
                },
                PartyInput {
                    role: PartyRole::Respondent,
                    kind: "organisation".into(),
                    name: "某某有限公司".into(),
                    id_number: None,
                    credit_code: Some("91350100M000100Y43".into()),
                    legal_representative: Some("李四".into()),
                    address: None,
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
        let f = check(&input(), date(2025, 1, 10)).unwrap(); // allow-panic: test code
        assert_eq!(f.case_type, CaseType::Zhi);
        assert_eq!(f.amounts.total().unwrap().get(), 10_050_000); // allow-panic: test code
        assert_eq!(f.parties[0].identifier.shown(), "1101**********002X");
    }

    #[test]
    fn names_and_texts_hold_no_hidden_characters() {
        let today = date(2025, 1, 10);
        for (bad, code) in [
            ("张\u{0}三", "text_control_character"),
            ("张三\u{202E}cod.exe", "text_bidi_control"),
        ] {
            let mut i = input();
            i.parties[0].name = bad.into();
            let e = check(&i, today).unwrap_err();
            assert_eq!(e.code, "invalid_party", "{bad:?}");
            assert_eq!(e.reasons[0].code, code, "{bad:?}");
            assert_eq!(e.reasons[0].params.get("no"), Some(&Param::Int(1)));
        }
        let mut i = input();
        i.parties[1].name = "\u{200B}\u{200B}".into();
        let e = check(&i, today).unwrap_err();
        assert_eq!(
            e.reasons[0].params.get("problem"),
            Some(&Param::from("name"))
        );
        let mut i = input();
        i.basis.document_number = "(2024)京0105民初100号\u{7}".into();
        assert_eq!(check(&i, today).unwrap_err().code, "invalid_basis");
        let mut i = input();
        i.duties = "\u{FEFF}".into();
        assert_eq!(check(&i, today).unwrap_err().code, "invalid_duties");
        // Composed to NFC: the same name typed two ways is stored one way.
        let mut i = input();
        i.parties[0].name = "Jose\u{301}".into();
        assert_eq!(check(&i, today).unwrap().parties[0].name, "José");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut i = input();
        i.case_type = "执王".into();
        i.parties[0].id_number = Some("110105194912310021".into());
        i.parties[1].credit_code = Some("91350100M000100Y44".into());
        i.amounts = [-5, 0, 0, 0];
        i.basis.effective_date = date(2030, 1, 1);
        let e = check(&i, date(2025, 1, 10)).unwrap_err();
        assert_eq!(e.code, "unknown_case_type");
        assert!(e.reasons.len() >= 5, "{:?}", e.reasons);
        // Each problem names what it is about, for the catalogue to word.
        let id = e.reasons.iter().find(|r| r.code == "invalid_id_number");
        assert_eq!(
            id.and_then(|r| r.params.get("no")),
            Some(&Param::Int(1)),
            "{e}"
        );
        let amount = e.reasons.iter().find(|r| r.code == "amount_invalid");
        assert_eq!(
            amount.and_then(|r| r.params.get("field")),
            Some(&Param::from("principal"))
        );
        assert!(e.reasons.iter().all(|r| r.params.get("message").is_none()));
    }

    #[test]
    fn late_filings_need_a_reason_and_are_refused_with_the_rule() {
        let i = input();
        let e = check(&i, date(2026, 7, 1)).unwrap_err();
        assert_eq!(e.code, "limitation_expired");
        let r = &e.reasons[0];
        let rule = rules()
            .lookup("case.application_limitation", date(2024, 6, 15), "110105")
            .unwrap() // allow-panic: test code
            .clone();
        assert_eq!(r.params.get("value"), Some(&Param::Int(rule.value)));
        assert_eq!(r.params.get("citation"), Some(&Param::Text(rule.citation)));
        assert!(matches!(r.params.get("ended_on"), Some(Param::Date(_))));
        let mut i = i;
        i.late_reason = Some("申请人曾提出中断时效的主张".into());
        assert!(check(&i, date(2026, 7, 1)).is_ok());
    }

    #[test]
    fn overflowing_amounts_are_refused() {
        let mut i = input();
        i.amounts = [crate::money::MAX_FEN, crate::money::MAX_FEN, 0, 0];
        assert_eq!(
            check(&i, date(2025, 1, 10)).unwrap_err().code,
            "invalid_amount"
        );
    }

    #[test]
    fn a_resumed_case_is_filed_only_by_resumption() {
        assert_eq!(
            check_origin(CaseType::ZhiHui, false).map_err(|e| e.code),
            Err("resumption_only")
        );
        assert!(check_origin(CaseType::ZhiHui, true).is_ok());
        assert!(check_origin(CaseType::Zhi, false).is_ok());
    }
}
