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
    calendar_with(&[])
}

/// The shipped calendar with the years administrators loaded since, given as (year, text).
pub fn calendar_with(loaded: &[(i64, String)]) -> Result<WorkingCalendar, CalendarError> {
    let mut files: Vec<(String, &str)> = match RULES.get_dir("calendar") {
        Some(dir) => toml_files(dir)
            .into_iter()
            .map(|(f, t)| (f.to_owned(), t))
            .collect(),
        None => Vec::new(),
    };
    files.extend(
        loaded
            .iter()
            .map(|(y, t)| (format!("calendar of {y} (loaded)"), t.as_str())),
    );
    WorkingCalendar::from_toml(files.iter().map(|(f, t)| (f.as_str(), *t)))
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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use zhixing_domain::court::{CourtLevel, Scope};

    #[test]
    fn the_shipped_rule_book_loads_and_cites_every_version() -> Result<(), RuleError> {
        let book = rule_book()?;
        assert!(book.len() > 40);
        assert!(book.versions().all(|v| !v.citation.trim().is_empty()));
        // Only real provisions ship: no illustrative or demo rule drives a real deadline.
        for v in book.versions() {
            for word in [
                "示意",
                "非真实",
                "演示",
                "illustrative",
                "ILLUSTRATIVE",
                "DEMO",
            ] {
                assert!(
                    !v.citation.contains(word) && !v.title.contains(word) && !v.note.contains(word),
                    "{} ({:?}) is not a real provision",
                    v.id,
                    v.region
                );
            }
        }
        let conclude = book.lookup("case.conclude", jiff::civil::date(2025, 1, 1), "110105")?;
        assert_eq!((conclude.value, conclude.unit.as_str()), (6, "months"));
        Ok(())
    }

    #[test]
    fn the_shipped_calendar_covers_the_published_years() -> Result<(), CalendarError> {
        let cal = calendar()?;
        for y in [2024, 2025, 2026] {
            assert!(cal.covers(y), "{y}");
        }
        // National Day 2026 and its make-up Saturday.
        assert!(!cal.is_working_day(jiff::civil::date(2026, 10, 1)));
        assert!(cal.is_working_day(jiff::civil::date(2026, 10, 10)));
        Ok(())
    }

    #[test]
    fn the_national_hierarchy_is_complete_and_unique() -> Result<(), CourtError> {
        let courts = divisions()?.courts(&Scope::National)?;
        let count = |l: CourtLevel| courts.iter().filter(|c| c.level == l).count();
        assert_eq!(count(CourtLevel::Supreme), 1);
        assert_eq!(count(CourtLevel::High), 31);
        // 342 city-level rows, Beijing's one served by four intermediate courts.
        assert_eq!(count(CourtLevel::Intermediate), 345);
        assert_eq!(count(CourtLevel::Basic), 2978);
        let ids: HashSet<_> = courts.iter().map(|c| c.id.clone()).collect();
        let codes: HashSet<_> = courts.iter().map(|c| c.code.clone()).collect();
        assert_eq!(ids.len(), courts.len(), "ids unique");
        assert_eq!(codes.len(), courts.len(), "court codes unique");
        // Parents come before children.
        let mut seen = HashSet::new();
        for c in &courts {
            if let Some(p) = &c.parent {
                assert!(seen.contains(p), "{} before its parent", c.id);
            }
            seen.insert(c.id.clone());
        }
        let chaoyang = courts
            .iter()
            .find(|c| c.id.as_str() == "b110105")
            .ok_or(CourtError::BadData("b110105".into()))?;
        assert_eq!(
            (chaoyang.name.as_str(), chaoyang.code.as_str()),
            ("北京市朝阳区人民法院", "京0105")
        );
        let hz = courts
            .iter()
            .find(|c| c.id.as_str() == "i3301")
            .ok_or(CourtError::BadData("i3301".into()))?;
        assert_eq!(
            (hz.name.as_str(), hz.code.as_str()),
            ("浙江省杭州市中级人民法院", "浙01")
        );
        Ok(())
    }

    /// Beijing's sixteen district courts under their own intermediate courts (DOMAIN §2), and
    /// the fourth intermediate court with none.
    #[test]
    fn beijings_districts_sit_under_their_own_intermediate_courts() -> Result<(), CourtError> {
        let courts = divisions()?.courts(&Scope::Province("11".into()))?;
        let parent_of = |id: &str| {
            courts
                .iter()
                .find(|c| c.id.as_str() == id)
                .and_then(|c| c.parent.as_ref())
                .map(|p| p.as_str().to_owned())
        };
        let expected = [
            (
                "i1101",
                "北京市第一中级人民法院",
                "京01",
                vec!["110108", "110107", "110109", "110114", "110119"],
            ),
            (
                "i1102",
                "北京市第二中级人民法院",
                "京02",
                vec!["110101", "110102", "110106", "110111", "110115"],
            ),
            (
                "i1103",
                "北京市第三中级人民法院",
                "京03",
                vec!["110105", "110112", "110113", "110116", "110117", "110118"],
            ),
            ("i1104", "北京市第四中级人民法院", "京04", vec![]),
        ];
        for (id, name, code, areas) in &expected {
            let c = courts
                .iter()
                .find(|c| c.id.as_str() == *id)
                .ok_or_else(|| CourtError::BadData((*id).into()))?;
            assert_eq!((c.name.as_str(), c.code.as_str()), (*name, *code));
            assert_eq!(c.parent.as_ref().map(|p| p.as_str()), Some("h11"));
            let under: Vec<&str> = courts
                .iter()
                .filter(|b| b.parent.as_ref().map(|p| p.as_str()) == Some(*id))
                .filter_map(|b| b.division_code.as_deref())
                .collect();
            let mut want = areas.clone();
            want.sort_unstable();
            let mut got = under.clone();
            got.sort_unstable();
            assert_eq!(got, want, "{id}");
        }
        assert_eq!(
            parent_of("b110105").as_deref(),
            Some("i1103"),
            "朝阳 is the Third's"
        );
        assert_eq!(
            courts
                .iter()
                .filter(|c| c.level == CourtLevel::Basic)
                .count(),
            16
        );
        Ok(())
    }
}
