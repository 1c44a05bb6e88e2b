//! The working-day calendar (工作日历) and procedural periods (期间).
//!
//! Working days follow the State Council's yearly holiday notice: public holidays are off,
//! and some weekend days are made into working days (调休). Each year is a data file under
//! `rules/calendar/`. For a year without a published notice only weekends are off; callers
//! can tell with [`WorkingCalendar::covers`] and show the result as provisional.
//!
//! Periods (Civil Procedure Law art. 85; Civil Code arts. 201–203): the starting day is not
//! counted; a period in months or years ends on the corresponding day of the last month, or
//! that month's last day when it has none; a period whose last day is not a working day ends
//! on the next working day.

use std::collections::{BTreeMap, BTreeSet};

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::Deserialize;

use crate::rules::Unit;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    #[error("calendar file {file}: {message}")]
    BadFile { file: String, message: String },
    #[error("a period in {0} cannot be counted in days")]
    NotAPeriod(&'static str),
    #[error("period out of range")]
    OutOfRange,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i16,
    source: String,
    holidays: Vec<Date>,
    workdays: Vec<Date>,
}

#[derive(Debug, Clone, Default)]
struct Year {
    source: String,
    holidays: BTreeSet<Date>,
    workdays: BTreeSet<Date>,
}

/// Which days are working days, by year.
#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    years: BTreeMap<i16, Year>,
}

impl WorkingCalendar {
    /// Reads `rules/calendar/YYYY.toml` texts, given as (file name, text).
    pub fn from_toml<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, CalendarError> {
        let mut cal = WorkingCalendar::default();
        for (file, text) in files {
            let bad = |message: String| CalendarError::BadFile {
                file: file.to_owned(),
                message,
            };
            let y: YearFile = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
            if let Some(d) = y
                .holidays
                .iter()
                .chain(&y.workdays)
                .find(|d| d.year() != y.year)
            {
                return Err(bad(format!("{d} is not in {}", y.year)));
            }
            if let Some(d) = y.workdays.iter().find(|d| !is_weekend(**d)) {
                return Err(bad(format!("make-up working day {d} is not a weekend day")));
            }
            if let Some(d) = y.workdays.iter().find(|d| y.holidays.contains(d)) {
                return Err(bad(format!("{d} is both a holiday and a working day")));
            }
            if cal.years.contains_key(&y.year) {
                return Err(bad(format!("year {} given twice", y.year)));
            }
            cal.years.insert(
                y.year,
                Year {
                    source: y.source,
                    holidays: y.holidays.into_iter().collect(),
                    workdays: y.workdays.into_iter().collect(),
                },
            );
        }
        Ok(cal)
    }

    /// The year one calendar text (the format of `rules/calendar/YYYY.toml`) is for, and its
    /// source, if the text is a valid calendar.
    pub fn year_of(text: &str) -> Result<(i16, String), CalendarError> {
        let cal = WorkingCalendar::from_toml([("proposed", text)])?;
        cal.years()
            .next()
            .map(|(y, s)| (y, s.to_owned()))
            .ok_or(CalendarError::OutOfRange)
    }

    /// Whether the official schedule of `year` is loaded.
    pub fn covers(&self, year: i16) -> bool {
        self.years.contains_key(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = (i16, &str)> {
        self.years.iter().map(|(y, v)| (*y, v.source.as_str()))
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        match self.years.get(&d.year()) {
            Some(y) if y.workdays.contains(&d) => true,
            Some(y) if y.holidays.contains(&d) => false,
            _ => !is_weekend(d),
        }
    }

    /// The first working day on or after `d`.
    pub fn roll_forward(&self, mut d: Date) -> Result<Date, CalendarError> {
        // A holiday run is never longer than a few weeks; the bound only guards bad data.
        for _ in 0..366 {
            if self.is_working_day(d) {
                return Ok(d);
            }
            d = d.tomorrow().map_err(|_| CalendarError::OutOfRange)?;
        }
        Err(CalendarError::OutOfRange)
    }

    /// The day `n` working days after `start` (the starting day not counted).
    pub fn add_working_days(&self, start: Date, n: i64) -> Result<Date, CalendarError> {
        let mut d = start;
        let mut left = n;
        let mut guard = 0i64;
        while left > 0 {
            d = d.tomorrow().map_err(|_| CalendarError::OutOfRange)?;
            if self.is_working_day(d) {
                left -= 1;
            }
            guard += 1;
            if guard > n.saturating_mul(3).saturating_add(400) {
                return Err(CalendarError::OutOfRange);
            }
        }
        Ok(d)
    }

    /// The last day of a period of `amount` `unit`s starting on `start`.
    pub fn period_end(&self, start: Date, amount: i64, unit: Unit) -> Result<Date, CalendarError> {
        self.period_end_excluding(start, amount, unit, 0)
    }

    /// The last day of a period from which `excluded_days` do not count (a time limit that
    /// does not run during suspension): the plain end (Civil Code arts. 201–203) plus the
    /// excluded days, then — once — the first working day on or after it (Civil Procedure Law
    /// art. 85). Rolling the plain end first and adding the days afterwards would land up to
    /// two days late when the plain end falls on a weekend.
    pub fn period_end_excluding(
        &self,
        start: Date,
        amount: i64,
        unit: Unit,
        excluded_days: i64,
    ) -> Result<Date, CalendarError> {
        let plain = match unit {
            Unit::WorkingDays => self.add_working_days(start, amount),
            Unit::Days => start
                .checked_add(amount.days())
                .map_err(|_| CalendarError::OutOfRange),
            Unit::Months => start
                .checked_add(amount.months())
                .map_err(|_| CalendarError::OutOfRange),
            Unit::Years => start
                .checked_add(amount.years())
                .map_err(|_| CalendarError::OutOfRange),
            other => Err(CalendarError::NotAPeriod(other.as_str())),
        }?;
        let shifted = plain
            .checked_add(excluded_days.days())
            .map_err(|_| CalendarError::OutOfRange)?;
        self.roll_forward(shifted)
    }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    const Y2025: &str = r#"
year = 2025
source = "国务院办公厅关于2025年部分节假日安排的通知"
holidays = ["2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04",
            "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08"]
workdays = ["2025-01-26", "2025-02-08", "2025-09-28", "2025-10-11"]
"#;

    fn cal() -> Result<WorkingCalendar, CalendarError> {
        WorkingCalendar::from_toml([("2025.toml", Y2025)])
    }

    #[test]
    fn excluded_days_are_added_to_the_plain_end_and_rolled_once() -> Result<(), CalendarError> {
        // (2026)京0101执45号: filed 2026-10-10; the plain end 2027-04-10 is a Saturday; 25 days
        // suspended. Rolling first (to Monday 04-12) and adding 25 gives 05-07; the law's
        // order gives 05-05, a Wednesday (no official 2027 calendar here: weekends only).
        let c = WorkingCalendar::default();
        assert_eq!(
            c.period_end_excluding(date(2026, 10, 10), 6, Unit::Months, 25)?,
            date(2027, 5, 5)
        );
        assert_eq!(
            c.period_end_excluding(date(2026, 10, 10), 6, Unit::Months, 0)?,
            date(2027, 4, 12)
        );
        Ok(())
    }

    proptest! {
        /// Against an independent reckoning over a random holiday calendar: the plain end by
        /// months as the Civil Code counts them (the same day number, or the month's last day),
        /// plus the excluded days, then the first day that is not off.
        #[test]
        fn period_end_excluding_matches_an_independent_reckoning(
            start_offset in 0i64..700,
            months in 1i64..13,
            excluded in 0i64..400,
            holiday_offsets in prop::collection::vec(0i64..1200, 0..40),
            workday_offsets in prop::collection::vec(0i64..1200, 0..10),
        ) {
            let origin = date(2025, 1, 1);
            let start = origin.checked_add(start_offset.days()).unwrap_or(origin);
            let day = |o: i64| origin.checked_add(o.days()).unwrap_or(origin);
            let holidays: std::collections::BTreeSet<Date> = holiday_offsets.iter().map(|o| day(*o)).collect();
            let workdays: std::collections::BTreeSet<Date> = workday_offsets
                .iter()
                .map(|o| day(*o))
                .filter(|d| !holidays.contains(d) && is_weekend(*d))
                .collect();
            let mut files = Vec::new();
            for y in 2025..=2028 {
                let list = |set: &std::collections::BTreeSet<Date>| {
                    set.iter().filter(|d| d.year() == y).map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(", ")
                };
                files.push((format!("{y}.toml"), format!(
                    "year = {y}\nsource = \"test\"\nholidays = [{}]\nworkdays = [{}]\n",
                    list(&holidays), list(&workdays)
                )));
            }
            let c = WorkingCalendar::from_toml(files.iter().map(|(n, t)| (n.as_str(), t.as_str())));
            prop_assume!(c.is_ok());
            let c = c.map_err(|e| TestCaseError::fail(e.to_string()))?;
            // Independently: month arithmetic by hand, clamped to the month's last day.
            let total = i64::from(start.month()) - 1 + months;
            let (y, m) = (i64::from(start.year()) + total / 12, total % 12 + 1);
            let first = date(i16::try_from(y).unwrap_or(2030), i8::try_from(m).unwrap_or(1), 1);
            let last_day = i64::from(first.days_in_month());
            let plain = first.checked_add((i64::from(start.day()).min(last_day) - 1).days()).unwrap_or(first);
            let mut expected = plain.checked_add(excluded.days()).unwrap_or(plain);
            let off = |d: Date| holidays.contains(&d)
                || (matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && !workdays.contains(&d));
            while off(expected) {
                expected = expected.tomorrow().unwrap_or(expected);
            }
            prop_assert_eq!(c.period_end_excluding(start, months, Unit::Months, excluded).ok(), Some(expected));
        }
    }

    #[test]
    fn holidays_and_make_up_days() -> Result<(), CalendarError> {
        let c = cal()?;
        assert!(!c.is_working_day(date(2025, 1, 29)));
        assert!(
            c.is_working_day(date(2025, 1, 26)),
            "Sunday made a working day"
        );
        assert!(!c.is_working_day(date(2025, 3, 1)), "ordinary Saturday");
        assert!(c.is_working_day(date(2025, 3, 3)));
        assert!(c.covers(2025) && !c.covers(2027));
        Ok(())
    }

    #[test]
    fn three_working_days_across_national_day() -> Result<(), CalendarError> {
        let c = cal()?;
        // Decided on Tue 30 Sep: Oct 1–8 are off, Sat 11 Oct is worked.
        assert_eq!(
            c.add_working_days(date(2025, 9, 30), 3)?,
            date(2025, 10, 11)
        );
        assert_eq!(c.add_working_days(date(2025, 9, 26), 1)?, date(2025, 9, 28));
        Ok(())
    }

    #[test]
    fn periods_end_on_corresponding_day_or_month_end_then_roll() -> Result<(), CalendarError> {
        let c = cal()?;
        assert_eq!(
            c.period_end(date(2025, 3, 3), 6, Unit::Months)?,
            date(2025, 9, 3)
        );
        // Aug 31 + 6 months → Feb 28 2026 (Saturday) → Monday 2 March.
        assert_eq!(
            c.period_end(date(2025, 8, 31), 6, Unit::Months)?,
            date(2026, 3, 2)
        );
        // 10 days from 21 Sep → 1 Oct, a holiday → Thursday 9 Oct.
        assert_eq!(
            c.period_end(date(2025, 9, 21), 10, Unit::Days)?,
            date(2025, 10, 9)
        );
        assert_eq!(
            c.period_end(date(2025, 1, 1), 1, Unit::Percent),
            Err(CalendarError::NotAPeriod("percent"))
        );
        Ok(())
    }

    #[test]
    fn bad_calendar_files_are_refused() {
        let wrong_year =
            "year = 2025\nsource = \"x\"\nholidays = [\"2024-01-01\"]\nworkdays = []\n";
        assert!(WorkingCalendar::from_toml([("a", wrong_year)]).is_err());
        let weekday_workday =
            "year = 2025\nsource = \"x\"\nholidays = []\nworkdays = [\"2025-01-02\"]\n";
        assert!(WorkingCalendar::from_toml([("a", weekday_workday)]).is_err());
    }

    proptest! {
        #[test]
        fn working_day_arithmetic_is_monotone_and_lands_on_working_days(day in 0i64..700, n in 0i64..40) {
            let c = cal().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let start = date(2025, 1, 1).checked_add(day.days()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let end = c.add_working_days(start, n).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let next = c.add_working_days(start, n + 1).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(next > end);
            prop_assert!(c.is_working_day(next));
            if n > 0 { prop_assert!(c.is_working_day(end)); }
            let rolled = c.period_end(start, n, Unit::Days).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(c.is_working_day(rolled) && rolled >= start);
        }
    }
}
