//! Zhixing's domain: the rules of enforcement (执行) as pure, synchronous code.
//!
//! Nothing here does I/O. Types hold only valid values ("parse, don't validate"), so the
//! layers above can trust what they are given. Time limits and thresholds are never
//! constants here: they come from the [`rules::RuleBook`].

pub mod access;
pub mod auction;
pub mod audit;
pub mod calendar;
pub mod case;
pub mod case_number;
pub mod closure;
pub mod complaint;
pub mod court;
pub mod credit;
pub mod debtor;
pub mod entrusted;
pub mod field;
pub mod filing;
pub mod filing_draft;
pub mod funds;
pub mod identity;
pub mod indicators;
pub mod measure;
pub mod money;
pub mod recording;
pub mod refusal;
pub mod review;
pub mod rules;
pub mod service;
pub mod sharing;
pub mod supervision;
#[cfg(test)]
pub(crate) mod testing;
pub mod text;
pub mod valuation;
