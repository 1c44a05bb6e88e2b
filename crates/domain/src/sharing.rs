//! Data sharing for joint discipline (联合惩戒, DOMAIN §7): a data-sharing agreement
//! (数据共享协议) lets a partner agency (aviation, rail, banks, regulators …) pull the changes
//! to the dishonest-debtor list of a court's subtree — only the fields the agreement names,
//! only while it is approved, in force and not revoked.
//!
//! Pure rules: the field vocabulary, the validation of a draft, and whether an agreement may
//! be served on a given day.

use crate::refusal::{Problems, Reason, Refusal, RefusalKind};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A field a feed item may carry. Each item always carries its cursor, the change, the
/// listing reference and the change's date; every field here only when agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    /// The full identifier (ID number or credit code), decrypted: partners such as airlines
    /// must match it exactly. Only when the agreement grants it.
    IdNumber,
    /// The masked identifier, as published.
    IdMasked,
    PartyKind,
    LegalRep,
    Court,
    CaseNumber,
    Basis,
    Duty,
    Performed,
    Grounds,
    Conduct,
    ListedOn,
    EndsOn,
}

impl Field {
    pub const ALL: [Field; 14] = [
        Field::Name,
        Field::IdNumber,
        Field::IdMasked,
        Field::PartyKind,
        Field::LegalRep,
        Field::Court,
        Field::CaseNumber,
        Field::Basis,
        Field::Duty,
        Field::Performed,
        Field::Grounds,
        Field::Conduct,
        Field::ListedOn,
        Field::EndsOn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::IdNumber => "id_number",
            Field::IdMasked => "id_masked",
            Field::PartyKind => "party_kind",
            Field::LegalRep => "legal_rep",
            Field::Court => "court",
            Field::CaseNumber => "case_number",
            Field::Basis => "basis",
            Field::Duty => "duty",
            Field::Performed => "performed",
            Field::Grounds => "grounds",
            Field::Conduct => "conduct",
            Field::ListedOn => "listed_on",
            Field::EndsOn => "ends_on",
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// Where an agreement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Created by an administrator, awaiting approval: serves nothing.
    Draft,
    /// Approved: serves while `valid_from <= today <= valid_to`.
    Active,
    /// Revoked: serves nothing, for good.
    Revoked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Active => "active",
            Status::Revoked => "revoked",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Draft, Status::Active, Status::Revoked]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

pub const MAX_AGENCY_NAME: usize = 100;
pub const MAX_AGENCY_CODE: usize = 32;
pub const MAX_LEGAL_BASIS: usize = 1000;
pub const MAX_REASON: usize = 1000;

/// A draft as submitted (strings, so that every problem can be reported at once).
#[derive(Debug, Clone)]
pub struct DraftInput<'a> {
    pub agency_name: &'a str,
    pub agency_code: &'a str,
    pub fields: &'a [String],
    pub legal_basis: &'a str,
    pub valid_from: &'a str,
    pub valid_to: &'a str,
}

/// A validated draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub agency_name: String,
    pub agency_code: String,
    pub fields: Vec<Field>,
    pub legal_basis: String,
    pub valid_from: Date,
    pub valid_to: Date,
}

fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\n')
}

/// Checks a draft; every problem at once. Free text (agency name, legal basis) may hold any
/// printable characters: it is stored and served as data, never interpreted, so `<script>` or
/// `'; DROP TABLE` is kept inert. The agency code is an identifier and is held to
/// `[A-Za-z0-9_-]`.
pub fn validate_draft(d: &DraftInput<'_>, today: Date) -> Result<Draft, Refusal> {
    let mut problems = Problems::new();
    let name = d.agency_name.trim();
    if name.is_empty() || name.chars().count() > MAX_AGENCY_NAME || has_control(name) {
        problems.push(Reason::new("agency_name_invalid").with("max", MAX_AGENCY_NAME));
    }
    let code = d.agency_code.trim();
    if code.is_empty()
        || code.len() > MAX_AGENCY_CODE
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        problems.push(Reason::new("agency_code_invalid").with("max", MAX_AGENCY_CODE));
    }
    let basis = d.legal_basis.trim();
    if basis.is_empty() || basis.chars().count() > MAX_LEGAL_BASIS || has_control(basis) {
        problems.push(Reason::new("legal_basis_invalid").with("max", MAX_LEGAL_BASIS));
    }
    let mut fields = Vec::new();
    if d.fields.is_empty() {
        problems.push(Reason::new("no_shared_field"));
    }
    for f in d.fields {
        match Field::parse(f) {
            Some(x) if fields.contains(&x) => {
                problems.push(Reason::new("shared_field_twice").with("field", x.as_str()));
            }
            Some(x) => fields.push(x),
            None => problems.push(
                Reason::new("shared_field_unknown")
                    .with("field", f.as_str())
                    .with("known", Field::ALL.map(Field::as_str).join(", ")),
            ),
        }
    }
    let from = d.valid_from.trim().parse::<Date>();
    let to = d.valid_to.trim().parse::<Date>();
    if from.is_err() {
        problems.push(Reason::new("validity_date_invalid").with("field", "valid_from"));
    }
    if to.is_err() {
        problems.push(Reason::new("validity_date_invalid").with("field", "valid_to"));
    }
    if let (Ok(f), Ok(t)) = (&from, &to) {
        if f > t {
            problems.push(
                Reason::new("validity_reversed")
                    .with("valid_from", *f)
                    .with("valid_to", *t),
            );
        }
        if *t < today {
            problems.push(
                Reason::new("validity_ended")
                    .with("valid_to", *t)
                    .with("today", today),
            );
        }
    }
    problems.finish("invalid_agreement", RefusalKind::Invalid)?;
    match (from, to) {
        (Ok(valid_from), Ok(valid_to)) => Ok(Draft {
            agency_name: name.to_owned(),
            agency_code: code.to_owned(),
            fields,
            legal_basis: basis.to_owned(),
            valid_from,
            valid_to,
        }),
        // Both dates parsed, or a problem was reported above.
        _ => Err(Refusal::invalid("invalid_agreement")),
    }
}

/// Why an agreement serves nothing today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    Revoked,
    NotApproved,
    NotYetValid,
    Expired,
}

impl Closed {
    pub fn code(self) -> &'static str {
        match self {
            Closed::Revoked => "agreement_revoked",
            Closed::NotApproved => "agreement_not_active",
            Closed::NotYetValid => "agreement_not_yet_valid",
            Closed::Expired => "agreement_expired",
        }
    }
}

/// Whether an agreement in this state serves data on `today` (both ends of the period
/// included).
pub fn serves(status: Status, from: Date, to: Date, today: Date) -> Result<(), Closed> {
    match status {
        Status::Revoked => Err(Closed::Revoked),
        Status::Draft => Err(Closed::NotApproved),
        Status::Active if today < from => Err(Closed::NotYetValid),
        Status::Active if today > to => Err(Closed::Expired),
        Status::Active => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn input<'a>(fields: &'a [String], from: &'a str, to: &'a str) -> DraftInput<'a> {
        DraftInput {
            agency_name: "中国民用航空局",
            agency_code: "CAAC",
            fields,
            legal_basis: "《关于对失信被执行人实施联合惩戒的合作备忘录》",
            valid_from: from,
            valid_to: to,
        }
    }

    #[test]
    fn a_good_draft_passes_and_every_problem_is_reported() {
        let today = date(2026, 6, 1);
        let f = vec!["name".to_owned(), "id_number".to_owned()];
        let d = validate_draft(&input(&f, "2026-06-01", "2027-05-31"), today);
        assert_eq!(d.map(|d| d.fields), Ok(vec![Field::Name, Field::IdNumber]));
        let bad = vec!["name".to_owned(), "name".to_owned(), "salary".to_owned()];
        let mut i = input(&bad, "2026-07-01", "2026-05-01");
        i.agency_code = "<script>";
        let e = validate_draft(&i, today)
            .err()
            .map(|r| r.reasons)
            .unwrap_or_default();
        assert_eq!(e.len(), 5, "{e:?}");
        assert!(validate_draft(&input(&[], "2026-06-01", "2026-06-01"), today).is_err());
    }

    #[test]
    fn serving_follows_status_and_period() {
        let (from, to) = (date(2026, 6, 1), date(2026, 6, 30));
        assert_eq!(serves(Status::Active, from, to, date(2026, 6, 1)), Ok(()));
        assert_eq!(serves(Status::Active, from, to, date(2026, 6, 30)), Ok(()));
        assert_eq!(
            serves(Status::Active, from, to, date(2026, 7, 1)),
            Err(Closed::Expired)
        );
        assert_eq!(
            serves(Status::Active, from, to, date(2026, 5, 31)),
            Err(Closed::NotYetValid)
        );
        assert_eq!(
            serves(Status::Revoked, from, to, date(2026, 6, 5)),
            Err(Closed::Revoked)
        );
        assert_eq!(
            serves(Status::Draft, from, to, date(2026, 6, 5)),
            Err(Closed::NotApproved)
        );
    }
}
