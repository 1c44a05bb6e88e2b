//! Data compiled into the binary, so that a fresh machine needs nothing else: the rule book,
//! the working-day calendar and the administrative divisions the court hierarchy is built from.

use include_dir::{Dir, include_dir};
use zhixing_domain::calendar::{CalendarError, WorkingCalendar};
use zhixing_domain::court::{CourtError, Divisions};
use zhixing_domain::rules::{RuleBook, RuleError};

static RULES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../rules");
static DIVISIONS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../data/divisions");

fn toml_files<'a>(dir: &'a Dir<'a>) -> Vec<(&'a str, &'a str)> {
    let mut files: Vec<(&str, &str)> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .filter_map(|f| Some((f.path().to_str()?, f.contents_utf8()?)))
        .collect();
    files.sort();
    files
}

/// The rule book as shipped in `rules/*.toml`.
pub fn rule_book() -> Result<RuleBook, RuleError> {
    RuleBook::from_toml(toml_files(&RULES))
}

/// The working-day calendar as shipped in `rules/calendar/*.toml`.
pub fn calendar() -> Result<WorkingCalendar, CalendarError> {
    match RULES.get_dir("calendar") {
        Some(dir) => WorkingCalendar::from_toml(toml_files(dir)),
        None => Ok(WorkingCalendar::default()),
    }
}

/// The GB/T 2260 divisions and court facts of `data/divisions/`.
pub fn divisions() -> Result<Divisions, CourtError> {
    let text = |name: &str| {
        DIVISIONS
            .get_file(name)
            .and_then(|f| f.contents_utf8())
            .ok_or_else(|| CourtError::BadData(format!("{name} missing from the build")))
    };
    Divisions::parse(
        text("provinces.csv")?,
        text("cities.csv")?,
        text("areas.csv")?,
        text("courts.toml")?,
    )
}
