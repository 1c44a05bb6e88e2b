//! Services: one transaction per command — load, decide (in the domain), persist the change
//! and its events together. Handlers and the CLI both call these.

pub mod alerts;
pub mod auction;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod complaints;
pub mod courts;
pub mod credit;
pub mod documents;
pub mod entrusted;
pub mod field;
pub mod funds;
pub mod generate;
pub mod indicators;
pub mod investigation;
pub mod measures;
pub mod portal;
pub mod publication;
pub mod recordings;
pub mod rules;
pub mod sharing;
pub mod supervision;
pub mod users;
pub mod valuation;
pub mod watch;

use zhixing_domain::access::Principal;

/// Who did something, as the event log names them.
pub fn actor_of(p: &Principal) -> String {
    format!("user:{}", p.user_id)
}
