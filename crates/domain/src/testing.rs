//! Fixtures the domain's tests share: the shipped rule book, the shipped working-day calendars,
//! and the rule context of a Beijing court on a given day.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::Date;

use crate::calendar::WorkingCalendar;
use crate::case::Ctx;
use crate::rules::RuleBook;

/// Every file of `rules/`, as shipped.
pub const RULE_FILES: [(&str, &str); 9] = [
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
