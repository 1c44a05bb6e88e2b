//! The platform's own records: the court tree, the rule book and the audit chain; its backups.

pub mod audit;
pub mod backup;
pub mod clock;
pub mod courts;
pub mod rules;
