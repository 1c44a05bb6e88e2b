//! Fixtures the domain's tests share: the shipped rule book, the shipped working-day calendars,
//! and the rule context of a Beijing court on a given day.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::Date;

use crate::calendar::WorkingCalendar;
use crate::case::Ctx;
use crate::rules::RuleBook;

/// Every file of `rules/`, as shipped.
pub const RULE_FILES: [(&str, &str); 11] = [
    ("alerts.toml", include_str!("../../../rules/alerts.toml")),
    ("auction.toml", include_str!("../../../rules/auction.toml")),
    ("case.toml", include_str!("../../../rules/case.toml")),
    (
        "commission.toml",
        include_str!("../../../rules/commission.toml"),
    ),
    (
        "complaints.toml",
        include_str!("../../../rules/complaints.toml"),
    ),
    ("credit.toml", include_str!("../../../rules/credit.toml")),
    ("funds.toml", include_str!("../../../rules/funds.toml")),
    (
        "indicators.toml",
        include_str!("../../../rules/indicators.toml"),
    ),
    (
        "investigation.toml",
        include_str!("../../../rules/investigation.toml"),
    ),
    ("review.toml", include_str!("../../../rules/review.toml")),
    ("service.toml", include_str!("../../../rules/service.toml")),
];

/// The shipped rule book.
pub fn rules() -> RuleBook {
    RuleBook::from_toml(RULE_FILES).expect("the shipped rule book loads")
}

/// The shipped files named, only: for a test that a rule outside them is not consulted.
pub fn rules_of(files: &[&str]) -> RuleBook {
    RuleBook::from_toml(RULE_FILES.into_iter().filter(|(f, _)| files.contains(f)))
        .expect("the shipped rule files load")
}

/// The shipped working-day calendars.
pub fn calendar() -> WorkingCalendar {
    WorkingCalendar::from_toml([
        (
            "2024.toml",
            include_str!("../../../rules/calendar/2024.toml"),
        ),
        (
            "2025.toml",
            include_str!("../../../rules/calendar/2025.toml"),
        ),
        (
            "2026.toml",
            include_str!("../../../rules/calendar/2026.toml"),
        ),
    ])
    .expect("the shipped calendars load")
}

/// The rules as a court of Chaoyang district, Beijing (110105) applies them on `today`.
pub fn ctx<'a>(rules: &'a RuleBook, cal: &'a WorkingCalendar, today: Date) -> Ctx<'a> {
    Ctx {
        rules,
        calendar: cal,
        region: "110105",
        today,
    }
}

/// The documents a notice issues (执行通知书, 报告财产令) as the case records them, issued on
/// `on` with ids `first_id` and `first_id + 1`.
pub fn notice_documents(on: Date, first_id: i64) -> [crate::case::CaseEvent; 2] {
    let doc = |id: i64, kind: &str, title: &str| crate::case::CaseEvent::DocumentIssued {
        document_id: id,
        doc_kind: kind.into(),
        title: title.into(),
        sha256: format!("{id:064x}"),
        on: Some(on),
        to: Vec::new(),
    };
    [
        doc(first_id, "enforcement_notice", "执行通知书"),
        doc(first_id + 1, "property_report_order", "报告财产令"),
    ]
}

/// `document_id` served directly on `party_no` on `on`, with a signed return as proof.
pub fn served(
    state: &crate::case::CaseState,
    document_id: i64,
    party_no: u32,
    on: Date,
) -> crate::case::CaseEvent {
    crate::case::CaseEvent::DocumentServed {
        record: crate::service::ServiceRecord {
            no: u32::try_from(state.service.records.len()).unwrap() + 1,
            document_id,
            party_no,
            method: crate::service::ServiceMethod::Direct,
            served_on: on,
            announced_on: None,
            proof: crate::service::Proof {
                file_id: Some(1),
                sha256: "ab".repeat(32),
                name: "送达回证.pdf".into(),
            },
            note: String::new(),
            recorded_on: on,
            by: "officer".into(),
        },
    }
}

/// Records `notice` on `on`, issues its two documents and serves both on every respondent
/// that day: the periods then run as the notice's date says.
pub fn notice_served(
    state: &mut crate::case::CaseState,
    notice: &crate::case::CaseEvent,
    on: Date,
) {
    state.apply(notice);
    let first = 1000 + i64::try_from(state.documents.len()).unwrap();
    for d in notice_documents(on, first) {
        state.apply(&d);
    }
    let respondents: Vec<u32> = state
        .parties
        .iter()
        .filter(|p| p.role == crate::case::PartyRole::Respondent)
        .map(|p| p.no)
        .collect();
    for p in respondents {
        for id in [first, first + 1] {
            let e = served(state, id, p, on);
            state.apply(&e);
        }
    }
}
