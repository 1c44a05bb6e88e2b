//! Refusals (不予办理): why the domain will not do what was asked, as data.
//!
//! A refusal names a stable `code`, says whether the input itself is wrong or the state of
//! things does not allow it now, and carries the parameters of the rule that refused — the
//! figure, its citation, the date — never a sentence. Sentences are the message catalogue's
//! business (zh-CN and English, in the server): a new version of a rule changes the figure a
//! refusal carries, and so what every door says, without a line of code changing.

use std::fmt;

use jiff::civil::Date;
use serde::Serialize;
use serde::ser::SerializeMap;

use crate::money::Fen;
use crate::rules::{RuleError, RuleVersion, Unit};

/// What kind of "no" a refusal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalKind {
    /// The input itself is wrong: correct it and send it again.
    Invalid,
    /// The input is well formed, but the state of the case (or the law's calendar) does not
    /// allow it now: another step comes first, or it is too late.
    Conflict,
    /// The rule book or the calendar cannot answer (no version in force, a unit that does not
    /// fit): a fault of the installation, not of the request.
    Broken,
}

/// One parameter of a refusal. Serialised as plain JSON (numbers, strings, amounts in fen,
/// dates as `YYYY-MM-DD`); the catalogue formats each by its type (yuan for money).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Param {
    Int(i64),
    Text(String),
    Date(Date),
    Money(Fen),
}

impl From<i64> for Param {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}
impl From<u32> for Param {
    fn from(v: u32) -> Self {
        Param::Int(i64::from(v))
    }
}
impl From<i32> for Param {
    fn from(v: i32) -> Self {
        Param::Int(i64::from(v))
    }
}
impl From<usize> for Param {
    fn from(v: usize) -> Self {
        Param::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<String> for Param {
    fn from(v: String) -> Self {
        Param::Text(v)
    }
}
impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Param::Text(v.to_owned())
    }
}
impl From<&String> for Param {
    fn from(v: &String) -> Self {
        Param::Text(v.clone())
    }
}
impl From<Date> for Param {
    fn from(v: Date) -> Self {
        Param::Date(v)
    }
}
impl From<Fen> for Param {
    fn from(v: Fen) -> Self {
        Param::Money(v)
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Param::Int(v) => write!(f, "{v}"),
            Param::Text(v) => f.write_str(v),
            Param::Date(v) => write!(f, "{v}"),
            Param::Money(v) => write!(f, "{v}"),
        }
    }
}

/// The named parameters of a refusal or of one of its reasons, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(&'static str, Param)>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&Param> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Param)> {
        self.0.iter().map(|(n, v)| (*n, v))
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// These parameters and one more (or `name` given again).
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<Param>) -> Params {
        self.set(name, value.into());
        self
    }
    fn set(&mut self, name: &'static str, value: Param) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }
    /// The rule that refused: its id and citation, and its figure with its unit under
    /// `value` / `unit` unless the caller names the figure itself.
    fn set_rule(&mut self, rule: &RuleVersion) {
        self.set("rule", Param::Text(rule.id.clone()));
        self.set("citation", Param::Text(rule.citation.clone()));
        if self.get("value").is_none() {
            self.set("value", Param::Int(rule.value));
        }
        if self.get("unit").is_none() {
            self.set("unit", Param::Text(rule.unit.as_str().to_owned()));
        }
    }
}

impl Serialize for Params {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One problem among several reported at once (every reason a filing or a closure fails).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub code: &'static str,
    #[serde(skip_serializing_if = "Params::is_empty")]
    pub params: Params,
}

impl Reason {
    pub fn new(code: &'static str) -> Reason {
        Reason {
            code,
            params: Params::default(),
        }
    }
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<Param>) -> Reason {
        self.params.set(name, value.into());
        self
    }
    /// Names the rule behind the problem (id, citation, figure and unit).
    #[must_use]
    pub fn rule(mut self, rule: &RuleVersion) -> Reason {
        self.params.set_rule(rule);
        self
    }
}

/// A refused command: what the domain says instead of events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub code: &'static str,
    pub kind: RefusalKind,
    #[serde(skip_serializing_if = "Params::is_empty")]
    pub params: Params,
    /// Every individual problem, when several are reported at once; empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
}

impl Refusal {
    fn new(code: &'static str, kind: RefusalKind) -> Refusal {
        Refusal {
            code,
            kind,
            params: Params::default(),
            reasons: Vec::new(),
        }
    }
    /// The input is wrong.
    pub fn invalid(code: &'static str) -> Refusal {
        Refusal::new(code, RefusalKind::Invalid)
    }
    /// The state of things does not allow it now.
    pub fn conflict(code: &'static str) -> Refusal {
        Refusal::new(code, RefusalKind::Conflict)
    }
    /// Several problems at once, under one code.
    pub fn of_reasons(code: &'static str, kind: RefusalKind, reasons: Vec<Reason>) -> Refusal {
        Refusal {
            reasons,
            ..Refusal::new(code, kind)
        }
    }
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<Param>) -> Refusal {
        self.params.set(name, value.into());
        self
    }
    /// Names the rule that refused (id, citation, figure and unit).
    #[must_use]
    pub fn rule(mut self, rule: &RuleVersion) -> Refusal {
        self.params.set_rule(rule);
        self
    }
    #[must_use]
    pub fn kind(mut self, kind: RefusalKind) -> Refusal {
        self.kind = kind;
        self
    }

    /// The individual problems: the reasons, or the refusal itself when it has none.
    pub fn problems(&self) -> Vec<Reason> {
        if self.reasons.is_empty() {
            vec![Reason {
                code: self.code,
                params: self.params.clone(),
            }]
        } else {
            self.reasons.clone()
        }
    }

    /// Whether any problem has this code.
    pub fn has(&self, code: &str) -> bool {
        self.code == code || self.reasons.iter().any(|r| r.code == code)
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)?;
        let write_params = |f: &mut fmt::Formatter<'_>, p: &Params| -> fmt::Result {
            for (i, (k, v)) in p.iter().enumerate() {
                write!(f, "{}{k}={v}", if i == 0 { " " } else { ", " })?;
            }
            Ok(())
        };
        write_params(f, &self.params)?;
        for r in &self.reasons {
            write!(f, "; {}", r.code)?;
            write_params(f, &r.params)?;
        }
        Ok(())
    }
}

impl std::error::Error for Refusal {}

impl From<RuleError> for Refusal {
    fn from(e: RuleError) -> Self {
        let r = Refusal::new("rule_unavailable", RefusalKind::Broken);
        match e {
            RuleError::UnknownRule(id) => r.with("rule", id),
            RuleError::NotInForce { id, date, region } => {
                r.with("rule", id).with("date", date).with("region", region)
            }
            other => r.with("message", other.to_string()),
        }
    }
}

/// Collects every problem found, to report them all at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<Reason>);

impl Problems {
    pub fn new() -> Problems {
        Problems::default()
    }
    pub fn push(&mut self, r: Reason) {
        self.0.push(r);
    }
    /// Takes over the problems of another refusal.
    pub fn absorb(&mut self, r: Refusal) {
        self.0.extend(r.problems());
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// None found, or a refusal under `code` listing them all.
    pub fn finish(self, code: &'static str, kind: RefusalKind) -> Result<(), Refusal> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Refusal::of_reasons(code, kind, self.0))
        }
    }
    /// None found; one, as a refusal of its own; or several under `code`.
    pub fn finish_single(self, code: &'static str, kind: RefusalKind) -> Result<(), Refusal> {
        let mut v = self.0;
        match v.len() {
            0 => Ok(()),
            1 => {
                let r = v.remove(0);
                Err(Refusal {
                    code: r.code,
                    kind,
                    params: r.params,
                    reasons: Vec::new(),
                })
            }
            _ => Err(Refusal::of_reasons(code, kind, v)),
        }
    }
}

/// A figure of the rule book with its unit, for a refusal that names it (`value`, `unit`).
pub fn figure(value: i64, unit: Unit) -> [(&'static str, Param); 2] {
    [
        ("value", Param::Int(value)),
        ("unit", Param::Text(unit.as_str().to_owned())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_keep_their_order_and_the_last_value_given() {
        let r = Refusal::invalid("x")
            .with("a", 1i64)
            .with("b", "two")
            .with("a", 3i64);
        let names: Vec<_> = r.params.iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(r.params.get("a"), Some(&Param::Int(3)));
        assert_eq!(r.to_string(), "x a=3, b=two");
    }

    #[test]
    fn serialises_as_plain_json() -> Result<(), serde_json::Error> {
        let d = Date::constant(2026, 12, 2);
        let r = Refusal::conflict("late")
            .with("due", d)
            .with("amount", Fen::new(12_345).unwrap_or(Fen::ZERO));
        let v = serde_json::to_value(&r)?;
        assert_eq!(v["kind"], "conflict");
        assert_eq!(v["params"]["due"], "2026-12-02");
        assert_eq!(v["params"]["amount"], 12_345);
        Ok(())
    }

    #[test]
    fn problems_report_one_alone_and_several_together() {
        let mut p = Problems::new();
        p.push(Reason::new("a").with("n", 1i64));
        let one = p.finish_single("many", RefusalKind::Invalid);
        assert!(matches!(one, Err(ref r) if r.code == "a" && r.reasons.is_empty()));
        let mut p = Problems::new();
        p.push(Reason::new("a"));
        p.push(Reason::new("b"));
        let two = p.finish_single("many", RefusalKind::Invalid);
        assert!(
            matches!(two, Err(ref r) if r.code == "many" && r.reasons.len() == 2 && r.has("b"))
        );
    }
}
