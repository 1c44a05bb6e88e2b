//! What a closure does to the rest of the case (结案效果), DOMAIN §4a: which control measures
//! are released, which dishonest listings end, which consumption restriction orders are lifted,
//! and what must have happened to the money in the case account first. Decided here, in one
//! place, for every mode; the application carries it out in the closing transaction.
//!
//! The case's own state holds the listings and orders; the measures (control context) and the
//! case account (disposal context) live elsewhere, so the application reads them into
//! [`Holdings`] under the case's lock and hands them in.

use crate::case::{CaseEvent, CaseState, ClosureMode, Condition, Ctx, Refusal};
use crate::credit::{ListingStatus, RemovalTrigger, removal_due};
use crate::measure::{MeasureKind, MeasureStatus};
use crate::money::Fen;
use crate::refusal::Reason;

/// A control measure of the case as the closure sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldMeasure {
    pub id: i64,
    pub kind: MeasureKind,
    pub status: MeasureStatus,
    /// A request about it (renewal, release) awaits the institution's answer.
    pub awaiting: bool,
}

impl HeldMeasure {
    /// Holds property now or will once answered: what a closure that ends the case must not
    /// leave behind. A deduction moves money and holds nothing afterwards.
    fn live(&self) -> bool {
        self.kind != MeasureKind::Deduct
            && matches!(
                self.status,
                MeasureStatus::Requested | MeasureStatus::Active | MeasureStatus::Queued
            )
    }
}

/// What the case holds outside its own state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Holdings {
    pub measures: Vec<HeldMeasure>,
    /// Money in the case's sub-account (一案一账号), not yet transferred to anyone.
    pub held: Fen,
    /// Of that, what no approved payout or distribution has yet assigned.
    pub undistributed: Fen,
}

/// What must become of the money before a mode closes the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyRule {
    /// Everything received is paid out first.
    PaidOut,
    /// Paid out, or its payout (or return) approved.
    PaidOutOrApproved,
}

/// A mode's effects (DOMAIN §4a's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Control measures are released (解除).
    pub releases_measures: bool,
    /// Listings end, on this art. 10 trigger; `None` keeps them.
    pub ends_listings: Option<RemovalTrigger>,
    /// Consumption restriction orders are lifted.
    pub lifts_restrictions: bool,
    pub money: MoneyRule,
}

/// The effects of closing in `mode`.
pub fn policy(mode: ClosureMode) -> Policy {
    let ends = |trigger| Policy {
        releases_measures: true,
        ends_listings: Some(trigger),
        lifts_restrictions: true,
        money: MoneyRule::PaidOutOrApproved,
    };
    match mode {
        // Performed in full: list provisions art. 10 (1); restriction provisions art. 9.
        ClosureMode::FullyPerformed => Policy {
            money: MoneyRule::PaidOut,
            ..ends(RemovalTrigger::Performed)
        },
        // 终本 keeps the hold on property and the restrictions; a listing ends only on art. 10
        // (4), later, after two searches find nothing.
        ClosureMode::Zhongben => Policy {
            releases_measures: false,
            ends_listings: None,
            lifts_restrictions: false,
            money: MoneyRule::PaidOut,
        },
        ClosureMode::Terminated => ends(RemovalTrigger::Terminated),
        ClosureMode::Refused => ends(RemovalTrigger::EnforcementRefused),
        // The application withdrawn or rejected: art. 10 (3), as DOMAIN §4a reads it.
        ClosureMode::Withdrawn | ClosureMode::Rejected => ends(RemovalTrigger::ApplicantRequest),
    }
}

/// The closure's preconditions on what the case holds: the money settled as the mode requires,
/// and no measure it releases still awaiting an institution's answer (a release cannot be sent
/// while another request about the same measure is open).
pub fn conditions(mode: ClosureMode, holdings: &Holdings) -> Vec<Condition> {
    let p = policy(mode);
    let mut v = Vec::new();
    match p.money {
        MoneyRule::PaidOut => v.push(Condition {
            code: "account_paid_out",
            met: holdings.held == Fen::ZERO,
            params: Reason::new("account_paid_out")
                .with("held", holdings.held)
                .params,
        }),
        MoneyRule::PaidOutOrApproved => v.push(Condition {
            code: "account_settled",
            met: holdings.undistributed == Fen::ZERO,
            params: Reason::new("account_settled")
                .with("undistributed", holdings.undistributed)
                .params,
        }),
    }
    if p.releases_measures {
        let waiting: Vec<String> = holdings
            .measures
            .iter()
            .filter(|m| m.live() && (m.awaiting || m.status == MeasureStatus::Requested))
            .map(|m| m.id.to_string())
            .collect();
        v.push(Condition {
            code: "measures_answered",
            met: waiting.is_empty(),
            params: Reason::new("measures_answered")
                .with("count", waiting.len())
                .with("measures", waiting.join("、"))
                .params,
        });
    }
    v
}

/// What closing does, once the closure takes effect.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Effects {
    /// Measures to release through their institutions (ids).
    pub releases: Vec<i64>,
    /// Listing removals and order lifts, as case events recorded before the closure itself.
    pub events: Vec<CaseEvent>,
}

/// The effects of closing `state` in `mode` today. The conditions are the caller's to have
/// checked; measures still awaiting an answer are not released here.
pub fn effects(
    state: &CaseState,
    mode: ClosureMode,
    holdings: &Holdings,
    ctx: &Ctx<'_>,
) -> Result<Effects, Refusal> {
    let p = policy(mode);
    let mut out = Effects::default();
    if p.releases_measures {
        out.releases = holdings
            .measures
            .iter()
            .filter(|m| m.live() && !m.awaiting && m.status != MeasureStatus::Requested)
            .map(|m| m.id)
            .collect();
    }
    if let Some(trigger) = p.ends_listings {
        let reason = format!("本案以{}方式结案", mode.name_zh());
        for l in state
            .credit
            .listings
            .iter()
            .filter(|l| l.status == ListingStatus::Listed)
        {
            out.events.push(CaseEvent::DishonestRemoved {
                no: l.no,
                trigger,
                reason: reason.clone(),
                trigger_on: ctx.today,
                due_by: removal_due(ctx.today, ctx)?,
                on: ctx.today,
            });
        }
    }
    if p.lifts_restrictions {
        for o in state.credit.orders.iter().filter(|o| o.lifted.is_none()) {
            out.events.push(CaseEvent::RestrictionLifted {
                no: o.no,
                reason: format!("本案以{}方式结案，依法解除限制消费令", mode.name_zh()),
                on: ctx.today,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
