//! The rule book (规则库): every time limit, duration, threshold and ratio of the law as
//! versioned data with its legal citation, never as a constant in code.
//!
//! A lookup names the rule, the date of the act and the region (the GB/T 2260 division code
//! of the court). The version in force on that date applies; a regional override (a division
//! code prefix) beats the national version, the longest prefix winning.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RuleError {
    #[error("rule file {file}: {message}")]
    BadFile { file: String, message: String },
    #[error("unknown rule {0:?}")]
    UnknownRule(String),
    #[error("rule {id:?} has no version in force on {date} for region {region:?}")]
    NotInForce {
        id: String,
        date: Date,
        region: String,
    },
    #[error("invalid rule version: {0}")]
    Invalid(String),
    #[error("rule {id:?} already has a version from {from} for {region}")]
    Duplicate {
        id: String,
        from: Date,
        region: String,
    },
}

/// The unit of a rule's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Days,
    WorkingDays,
    Hours,
    Minutes,
    Months,
    Years,
    Percent,
    /// Money in fen (分), 1/100 yuan.
    Fen,
    Count,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::WorkingDays => "working_days",
            Unit::Hours => "hours",
            Unit::Minutes => "minutes",
            Unit::Months => "months",
            Unit::Years => "years",
            Unit::Percent => "percent",
            Unit::Fen => "fen",
            Unit::Count => "count",
        }
    }
    pub fn parse(s: &str) -> Option<Unit> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

/// One version of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleVersion {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub title_en: String,
    pub value: i64,
    pub unit: Unit,
    pub citation: String,
    pub effective_from: Date,
    /// The last day this version is in force, if it ceased.
    #[serde(default)]
    pub effective_to: Option<Date>,
    /// A GB/T 2260 division code prefix; none for the national rule.
    #[serde(default)]
    pub region: Option<String>,
    /// The value is widely cited but still to be confirmed against the official text.
    #[serde(default)]
    pub needs_check: bool,
    #[serde(default)]
    pub note: String,
}

impl RuleVersion {
    fn in_force(&self, date: Date) -> bool {
        self.effective_from <= date && self.effective_to.is_none_or(|to| date <= to)
    }

    fn region_key(&self) -> &str {
        self.region.as_deref().unwrap_or("")
    }

    /// Checks what a version must satisfy on its own.
    pub fn validate(&self) -> Result<(), RuleError> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 80
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_');
        if !id_ok {
            return Err(RuleError::Invalid(format!(
                "id {:?}: lowercase ASCII, digits, '.' and '_'",
                self.id
            )));
        }
        if self.citation.trim().is_empty() {
            return Err(RuleError::Invalid(format!(
                "{}: a citation of the legal source is required",
                self.id
            )));
        }
        if self.title.trim().is_empty() {
            return Err(RuleError::Invalid(format!(
                "{}: a title is required",
                self.id
            )));
        }
        if self.value < 0 {
            return Err(RuleError::Invalid(format!(
                "{}: value must not be negative",
                self.id
            )));
        }
        if self.unit == Unit::Percent && self.value > 100 {
            return Err(RuleError::Invalid(format!(
                "{}: a percentage above 100",
                self.id
            )));
        }
        if let Some(to) = self.effective_to
            && to < self.effective_from
        {
            return Err(RuleError::Invalid(format!(
                "{}: effective_to before effective_from",
                self.id
            )));
        }
        if let Some(r) = &self.region
            && (r.is_empty() || r.len() > 6 || !r.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(RuleError::Invalid(format!(
                "{}: region must be a division code prefix (digits)",
                self.id
            )));
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<RuleVersion>,
}

/// All versions of all rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleBook {
    by_id: BTreeMap<String, Vec<RuleVersion>>,
}

impl RuleBook {
    /// Reads `rules/*.toml` texts, given as (file name, text).
    pub fn from_toml<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, RuleError> {
        let mut book = RuleBook::default();
        for (file, text) in files {
            let parsed: RuleFile = toml::from_str(text).map_err(|e| RuleError::BadFile {
                file: file.to_owned(),
                message: e.to_string(),
            })?;
            for v in parsed.rule {
                book.insert_unchecked_unit(v)
                    .map_err(|e| RuleError::BadFile {
                        file: file.to_owned(),
                        message: e.to_string(),
                    })?;
            }
        }
        Ok(book)
    }

    fn insert_unchecked_unit(&mut self, v: RuleVersion) -> Result<(), RuleError> {
        v.validate()?;
        let versions = self.by_id.entry(v.id.clone()).or_default();
        if versions
            .iter()
            .any(|o| o.region_key() == v.region_key() && o.effective_from == v.effective_from)
        {
            return Err(RuleError::Duplicate {
                id: v.id,
                from: v.effective_from,
                region: v.region.unwrap_or_else(|| "national".into()),
            });
        }
        if let Some(first) = versions.first()
            && first.unit != v.unit
        {
            return Err(RuleError::Invalid(format!(
                "{}: unit {} differs from {}",
                v.id,
                v.unit.as_str(),
                first.unit.as_str()
            )));
        }
        versions.push(v);
        versions.sort_by(|a, b| {
            (a.region_key(), a.effective_from).cmp(&(b.region_key(), b.effective_from))
        });
        Ok(())
    }

    /// Checks that `v` can be added as a new version of an existing rule.
    pub fn check_new_version(&self, v: &RuleVersion) -> Result<(), RuleError> {
        if !self.by_id.contains_key(&v.id) {
            return Err(RuleError::UnknownRule(v.id.clone()));
        }
        let mut probe = self.clone();
        probe.insert_unchecked_unit(v.clone())
    }

    /// Adds a version (after [`RuleBook::check_new_version`]).
    pub fn add_version(&mut self, v: RuleVersion) -> Result<(), RuleError> {
        if !self.by_id.contains_key(&v.id) {
            return Err(RuleError::UnknownRule(v.id.clone()));
        }
        self.insert_unchecked_unit(v)
    }

    /// Adds a version during loading from storage, where new ids are allowed.
    pub fn load_version(&mut self, v: RuleVersion) -> Result<(), RuleError> {
        self.insert_unchecked_unit(v)
    }

    /// The version of `id` in force on `date` for a court whose division code is `region`
    /// (empty for the SPC / national).
    pub fn lookup(&self, id: &str, date: Date, region: &str) -> Result<&RuleVersion, RuleError> {
        let versions = self
            .by_id
            .get(id)
            .ok_or_else(|| RuleError::UnknownRule(id.to_owned()))?;
        versions
            .iter()
            .filter(|v| v.in_force(date) && region.starts_with(v.region_key()))
            .max_by(|a, b| {
                (a.region_key().len(), a.effective_from)
                    .cmp(&(b.region_key().len(), b.effective_from))
            })
            .ok_or_else(|| RuleError::NotInForce {
                id: id.to_owned(),
                date,
                region: region.to_owned(),
            })
    }

    /// The value of the version in force, for callers that only need the number.
    pub fn value(&self, id: &str, date: Date, region: &str) -> Result<(i64, Unit), RuleError> {
        self.lookup(id, date, region).map(|v| (v.value, v.unit))
    }

    pub fn versions(&self) -> impl Iterator<Item = &RuleVersion> {
        self.by_id.values().flatten()
    }

    pub fn versions_of(&self, id: &str) -> Option<&[RuleVersion]> {
        self.by_id.get(id).map(Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.by_id.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const FILE: &str = r#"
[[rule]]
id = "case.conclude"
title = "结案期限"
value = 6
unit = "months"
citation = "《最高人民法院关于人民法院办理执行案件若干期限的规定》第一条"
effective_from = "2007-01-01"

[[rule]]
id = "case.conclude"
title = "结案期限"
value = 5
unit = "months"
citation = "hypothetical amendment"
effective_from = "2030-01-01"

[[rule]]
id = "case.conclude"
title = "结案期限（北京）"
value = 4
unit = "months"
citation = "local rule"
effective_from = "2020-01-01"
effective_to = "2020-12-31"
region = "11"
"#;

    fn book() -> Result<RuleBook, RuleError> {
        RuleBook::from_toml([("case.toml", FILE)])
    }

    #[test]
    fn picks_the_version_in_force_on_the_date_of_the_act() -> Result<(), RuleError> {
        let b = book()?;
        assert_eq!(b.value("case.conclude", date(2025, 6, 1), "130102")?.0, 6);
        assert_eq!(b.value("case.conclude", date(2030, 1, 1), "130102")?.0, 5);
        assert_eq!(b.value("case.conclude", date(2029, 12, 31), "")?.0, 6);
        assert!(matches!(
            b.lookup("case.conclude", date(2000, 1, 1), ""),
            Err(RuleError::NotInForce { .. })
        ));
        assert_eq!(
            b.lookup("nope", date(2025, 1, 1), ""),
            Err(RuleError::UnknownRule("nope".into()))
        );
        Ok(())
    }

    #[test]
    fn regional_override_applies_only_in_its_region_and_period() -> Result<(), RuleError> {
        let b = book()?;
        assert_eq!(b.value("case.conclude", date(2020, 6, 1), "110105")?.0, 4);
        assert_eq!(b.value("case.conclude", date(2020, 6, 1), "120101")?.0, 6);
        assert_eq!(b.value("case.conclude", date(2021, 1, 1), "110105")?.0, 6);
        Ok(())
    }

    #[test]
    fn new_versions_are_checked() -> Result<(), RuleError> {
        let b = book()?;
        let mut v = b.lookup("case.conclude", date(2025, 1, 1), "")?.clone();
        v.effective_from = date(2026, 3, 1);
        assert!(b.check_new_version(&v).is_ok());
        let mut dup = v.clone();
        dup.effective_from = date(2007, 1, 1);
        assert!(matches!(
            b.check_new_version(&dup),
            Err(RuleError::Duplicate { .. })
        ));
        let mut unit = v.clone();
        unit.unit = Unit::Days;
        assert!(matches!(
            b.check_new_version(&unit),
            Err(RuleError::Invalid(_))
        ));
        let mut uncited = v.clone();
        uncited.citation = " ".into();
        assert!(matches!(
            b.check_new_version(&uncited),
            Err(RuleError::Invalid(_))
        ));
        let mut unknown = v;
        unknown.id = "case.unknown".into();
        assert!(matches!(
            b.check_new_version(&unknown),
            Err(RuleError::UnknownRule(_))
        ));
        Ok(())
    }

    #[test]
    fn bad_files_name_the_file() {
        let err = RuleBook::from_toml([("x.toml", "[[rule]]\nid = 3\n")]);
        assert!(matches!(err, Err(RuleError::BadFile { file, .. }) if file == "x.toml"));
    }
}
