//! The platform's own records: the court tree, the rule book and the audit chain.

pub mod audit;
pub mod courts;
pub mod rules;
