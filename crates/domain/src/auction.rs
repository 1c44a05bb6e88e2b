//! Online judicial auction (网络司法拍卖), DOMAIN §6, under the SPC provisions on online
//! judicial auctions (法释〔2016〕18号) and the notice on sell-off after a failed auction.
//!
//! An auction is event-sourced: [`Auction`] is the fold of its [`AuctionEvent`]s, and each
//! `decide_*` function is pure — state, input and the server's clock (`now`, injected, never
//! read here) in; the events to record or a [`Refusal`] with a machine-readable code out. The
//! rule values an auction runs under (extension, deposit return, sell-off bidding) are read
//! from the rule book once, when it is announced, and written into the announcement, so the
//! bid log replays to the same state without the rule book and a rule change never alters an
//! auction already announced.
//!
//! Days (announcement lead, the 30 days to the second auction) are counted on the civil
//! calendar of Beijing time (UTC+8, no daylight saving); hours and minutes on the clock.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::case::Ctx;
use crate::identity::{CreditCode, IdNumber};
use crate::measure::PropertyClass;
use crate::money::Fen;
use crate::refusal::{Problems, Reason, Refusal, RefusalKind};
use crate::rules::{RuleVersion, Unit};
use crate::valuation::{ReferencePrice, expired, period_end, rule, uncountable};

/// Which sale this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Round {
    /// 一拍 — the first auction, from the reference price.
    First,
    /// 二拍 — the second auction after a failed first one (art. 26).
    Second,
    /// 变卖 — the online sell-off after a failed second auction, at the second starting price.
    SellOff,
}

impl Round {
    pub fn as_str(self) -> &'static str {
        match self {
            Round::First => "first",
            Round::Second => "second",
            Round::SellOff => "sell_off",
        }
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            Round::First => "一拍",
            Round::Second => "二拍",
            Round::SellOff => "变卖",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Round::First => "First auction",
            Round::Second => "Second auction",
            Round::SellOff => "Sale at a fixed price",
        }
    }
}

/// An auction as the court plans it, before the announcement (拍卖公告).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuctionPlan {
    pub class: PropertyClass,
    /// 起拍价.
    pub start_price: Fen,
    /// 加价幅度 — every bid beats the current price by at least this much.
    pub increment: Fen,
    /// 保证金 — what each bidder pays before bidding.
    pub deposit: Fen,
    pub announced_at: Timestamp,
    pub starts_at: Timestamp,
    /// The scheduled end, before any extension.
    pub ends_at: Timestamp,
    /// Days after the end within which the buyer pays the balance (尾款). Set by the court in
    /// the announcement: the rule book has no rule for it.
    pub balance_days: i64,
}

/// The rule values an auction runs under, fixed when it is announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuctionTerms {
    /// `auction.bidding.extension`: a bid this close to the end moves it to the bid + this.
    pub extension: SignedDuration,
    /// `auction.deposit.return`: losers' deposits are released within this after the end.
    pub deposit_return: SignedDuration,
    /// `auction.selloff.bidding`: the bidding a first sell-off offer opens.
    pub selloff_bidding: SignedDuration,
}

/// A bidder as registered (实名): the identifier only masked; `identity_key` is what the
/// platform compares to recognise a person (the store's blind index of the normalised
/// identifier), so that the debtor and a barred defaulter are known without the full number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bidder {
    /// The bidder's number in this auction (竞买号), the only name the public log shows.
    pub paddle: u32,
    pub real_name: String,
    pub identifier: String,
    pub identity_key: String,
    pub deposit: Fen,
    /// 优先购买权人 and the court's rank (1 is first); none for an ordinary bidder.
    pub preemptive_rank: Option<u32>,
}

/// A bid the auction accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedBid {
    /// 1-based position in the bid log.
    pub seq: u32,
    /// The client's idempotency key.
    pub key: String,
    pub bidder: String,
    pub amount: Fen,
    /// The server's clock when the bid was accepted.
    pub at: Timestamp,
    /// The end of bidding after this bid (extended, or opened by a first sell-off offer).
    pub ends_at: Timestamp,
    /// The bidder's preemptive rank, if a holder.
    pub preemptive_rank: Option<u32>,
}

/// A sale (成交): to whom, for how much, and by when the balance is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sale {
    pub winner: String,
    pub price: Fen,
    /// The winner's deposit, which counts toward the price.
    pub deposit: Fen,
    pub balance_due: Timestamp,
}

/// How bidding ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// 成交.
    Sold(Sale),
    /// 流拍 (or, for a sell-off, 变卖不成): nobody bid.
    Failed,
}

/// What happened in an auction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuctionEvent {
    Announced {
        auction_id: String,
        round: Round,
        plan: AuctionPlan,
        reference: ReferencePrice,
        /// The first auction's starting price, which bounds the second's cut.
        first_start_price: Fen,
        terms: AuctionTerms,
        /// Identity keys of the debtors (被执行人), who may not bid.
        debtor_keys: Vec<String>,
        /// Identity keys of defaulting buyers of earlier rounds (悔拍人), who may not bid.
        barred_keys: Vec<String>,
    },
    BidderRegistered {
        bidder: String,
        paddle: u32,
        real_name: String,
        identifier: String,
        identity_key: String,
        at: Timestamp,
    },
    DepositPaid {
        bidder: String,
        amount: Fen,
        at: Timestamp,
    },
    PreemptiveHolderRegistered {
        bidder: String,
        rank: u32,
        at: Timestamp,
    },
    BidAccepted(AcceptedBid),
    Closed {
        at: Timestamp,
        /// The real end of bidding (extensions included).
        ended_at: Timestamp,
        outcome: Outcome,
    },
    BalancePaid {
        amount: Fen,
        at: Timestamp,
    },
    /// 悔拍: the buyer did not pay in time; the deposit is forfeited.
    Defaulted {
        bidder: String,
        forfeited: Fen,
        at: Timestamp,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AuctionStatus {
    /// Announced; bidding or not yet, by the clock (see [`Auction::phase`]).
    Open,
    Sold(Sale),
    /// 流拍.
    Failed,
    /// The buyer paid in full: the proceeds go to the case account.
    Paid {
        winner: String,
        price: Fen,
    },
    /// 悔拍.
    Defaulted {
        bidder: String,
        forfeited: Fen,
    },
}

impl AuctionStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            AuctionStatus::Open => "open",
            AuctionStatus::Sold(_) => "sold",
            AuctionStatus::Failed => "failed",
            AuctionStatus::Paid { .. } => "paid",
            AuctionStatus::Defaulted { .. } => "defaulted",
        }
    }
}

/// Where an open auction stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// 公告期: announced, bidding not begun.
    Announced,
    /// 竞价期.
    Bidding,
    /// Bidding over, the outcome not yet recorded.
    Ended,
    Closed,
}

/// An auction: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Auction {
    pub id: String,
    pub round: Round,
    pub plan: AuctionPlan,
    pub reference: ReferencePrice,
    pub first_start_price: Fen,
    pub terms: AuctionTerms,
    pub debtor_keys: BTreeSet<String>,
    pub barred_keys: BTreeSet<String>,
    pub bidders: BTreeMap<String, Bidder>,
    /// The full bid log, in order.
    pub bids: Vec<AcceptedBid>,
    /// Idempotency key → index in `bids`.
    pub keys: BTreeMap<String, usize>,
    /// Index in `bids` of the leading bid.
    pub leader: Option<usize>,
    /// The current end of bidding (for a sell-off without an offer, the end of the period).
    pub ends_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub status: AuctionStatus,
}

impl Auction {
    pub fn from_announced(e: &AuctionEvent) -> Option<Auction> {
        match e {
            AuctionEvent::Announced {
                auction_id,
                round,
                plan,
                reference,
                first_start_price,
                terms,
                debtor_keys,
                barred_keys,
            } => Some(Auction {
                id: auction_id.clone(),
                round: *round,
                plan: plan.clone(),
                reference: *reference,
                first_start_price: *first_start_price,
                terms: *terms,
                debtor_keys: debtor_keys.iter().cloned().collect(),
                barred_keys: barred_keys.iter().cloned().collect(),
                bidders: BTreeMap::new(),
                bids: Vec::new(),
                keys: BTreeMap::new(),
                leader: None,
                ends_at: plan.ends_at,
                ended_at: None,
                status: AuctionStatus::Open,
            }),
            _ => None,
        }
    }

    pub fn apply(&mut self, e: &AuctionEvent) {
        match e {
            AuctionEvent::Announced { .. } => {}
            AuctionEvent::BidderRegistered {
                bidder,
                paddle,
                real_name,
                identifier,
                identity_key,
                ..
            } => {
                self.bidders.insert(
                    bidder.clone(),
                    Bidder {
                        paddle: *paddle,
                        real_name: real_name.clone(),
                        identifier: identifier.clone(),
                        identity_key: identity_key.clone(),
                        deposit: Fen::ZERO,
                        preemptive_rank: None,
                    },
                );
            }
            AuctionEvent::DepositPaid { bidder, amount, .. } => {
                if let Some(b) = self.bidders.get_mut(bidder) {
                    b.deposit = *amount;
                }
            }
            AuctionEvent::PreemptiveHolderRegistered { bidder, rank, .. } => {
                if let Some(b) = self.bidders.get_mut(bidder) {
                    b.preemptive_rank = Some(*rank);
                }
            }
            AuctionEvent::BidAccepted(b) => {
                // The decision accepts only a bid that takes the lead.
                self.keys.insert(b.key.clone(), self.bids.len());
                self.leader = Some(self.bids.len());
                self.ends_at = b.ends_at;
                self.bids.push(b.clone());
            }
            AuctionEvent::Closed {
                ended_at, outcome, ..
            } => {
                self.ended_at = Some(*ended_at);
                self.status = match outcome {
                    Outcome::Sold(sale) => AuctionStatus::Sold(sale.clone()),
                    Outcome::Failed => AuctionStatus::Failed,
                };
            }
            AuctionEvent::BalancePaid { .. } => {
                if let AuctionStatus::Sold(s) = &self.status {
                    self.status = AuctionStatus::Paid {
                        winner: s.winner.clone(),
                        price: s.price,
                    };
                }
            }
            AuctionEvent::Defaulted {
                bidder, forfeited, ..
            } => {
                self.status = AuctionStatus::Defaulted {
                    bidder: bidder.clone(),
                    forfeited: *forfeited,
                };
            }
        }
    }

    /// The state after `events`; `None` unless the first is `Announced`.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a AuctionEvent>) -> Option<Auction> {
        let mut it = events.into_iter();
        let mut a = Auction::from_announced(it.next()?)?;
        for e in it {
            a.apply(e);
        }
        Some(a)
    }

    /// The leading bid.
    pub fn leading(&self) -> Option<&AcceptedBid> {
        self.leader.and_then(|i| self.bids.get(i))
    }

    /// The current price: the leading bid, if any.
    pub fn current_price(&self) -> Option<Fen> {
        self.leading().map(|b| b.amount)
    }

    pub fn phase(&self, now: Timestamp) -> Phase {
        if self.status != AuctionStatus::Open {
            Phase::Closed
        } else if now < self.plan.starts_at {
            Phase::Announced
        } else if now < self.ends_at {
            Phase::Bidding
        } else {
            Phase::Ended
        }
    }

    /// Identity keys barred from the next sale of the same property: those barred here and a
    /// buyer who defaulted here (art. 24: 悔拍人不得参加重新拍卖).
    pub fn barred_for_next(&self) -> Vec<String> {
        let mut keys = self.barred_keys.clone();
        if let AuctionStatus::Defaulted { bidder, .. } = &self.status
            && let Some(b) = self.bidders.get(bidder)
        {
            keys.insert(b.identity_key.clone());
        }
        keys.into_iter().collect()
    }

    fn ensure_open(&self) -> Result<(), Refusal> {
        if self.status != AuctionStatus::Open {
            return Err(Refusal::invalid("auction_closed"));
        }
        Ok(())
    }

    /// Open, and bidding not over at `now`: bidders may still register and pay.
    fn ensure_before_end(&self, now: Timestamp) -> Result<(), Refusal> {
        self.ensure_open()?;
        if now >= self.ends_at {
            return Err(
                Refusal::invalid("bidding_closed").with("ends_at", beijing_time(self.ends_at))
            );
        }
        Ok(())
    }

    /// The sale waiting for its balance: (winner, price, deposit, due).
    fn sale(&self) -> Result<&Sale, Refusal> {
        match &self.status {
            AuctionStatus::Sold(s) => Ok(s),
            other => Err(Refusal::invalid("not_sold").with("status", other.as_str())),
        }
    }
}

/// The civil date of a moment in Beijing time (UTC+8, no daylight saving).
pub fn beijing_date(t: Timestamp) -> Date {
    t.to_zoned(TimeZone::fixed(tz::offset(8))).date()
}

/// A moment as Beijing wall time to the second (`2026-12-02 13:41:07`), as refusals name it.
pub fn beijing_time(t: Timestamp) -> String {
    t.to_zoned(TimeZone::fixed(tz::offset(8)))
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The rule `id` in force, which must be in `unit`.
fn rule_in<'a>(ctx: &Ctx<'a>, id: &str, unit: Unit) -> Result<&'a RuleVersion, Refusal> {
    let r = rule(ctx, id)?;
    if r.unit != unit {
        return Err(uncountable(
            id,
            format_args!("in {}, not {}", r.unit.as_str(), unit.as_str()),
        ));
    }
    Ok(r)
}

/// A rule in minutes, hours or (whole, 24-hour) days as a clock duration.
fn duration_of(r: &RuleVersion) -> Result<SignedDuration, Refusal> {
    let secs = match r.unit {
        Unit::Minutes => r.value.checked_mul(60),
        Unit::Hours => r.value.checked_mul(3600),
        Unit::Days => r.value.checked_mul(86_400),
        other => {
            return Err(uncountable(
                &r.id,
                format_args!("in {}, not a duration", other.as_str()),
            ));
        }
    };
    secs.map(SignedDuration::from_secs)
        .ok_or_else(|| uncountable(&r.id, "out of range"))
}

/// A rule in minutes, hours or (whole, 24-hour) days as a clock duration.
pub fn rule_duration(ctx: &Ctx<'_>, id: &str) -> Result<SignedDuration, Refusal> {
    duration_of(rule(ctx, id)?)
}

fn add(t: Timestamp, d: SignedDuration) -> Result<Timestamp, Refusal> {
    t.checked_add(d)
        .map_err(|_| Refusal::invalid("invalid_time").with("field", "ends_at"))
}

/// `a * 100 >= b * pct`, without overflow.
fn at_least_pct(a: Fen, b: Fen, pct: i64) -> bool {
    i128::from(a.get()) * 100 >= i128::from(b.get()) * i128::from(pct)
}

fn at_most_pct(a: Fen, b: Fen, pct: i64) -> bool {
    i128::from(a.get()) * 100 <= i128::from(b.get()) * i128::from(pct)
}

/// Every problem found, or none: one problem is refused on its own, several together under
/// the first one's code.
fn all_of(p: Problems) -> Result<(), Refusal> {
    p.finish_single("invalid_plan", RefusalKind::Invalid)
        .map_err(|mut r| {
            if let Some(first) = r.reasons.first() {
                r.code = first.code;
            }
            r
        })
}

/// The name a refusal gives a class of property.
fn class_name(c: PropertyClass) -> &'static str {
    match c {
        PropertyClass::Deposit => "deposit",
        PropertyClass::Movable => "movable",
        PropertyClass::ImmovableOrRight => "immovable",
    }
}

/// The rule of the announcement period of `round` for property of `class`.
fn announcement_rule(round: Round, class: PropertyClass) -> &'static str {
    match (round, class) {
        (Round::Second, PropertyClass::Movable) => "auction.second_announcement.movable",
        (Round::Second, _) => "auction.second_announcement.immovable",
        (_, PropertyClass::Movable) => "auction.announcement.movable",
        (_, _) => "auction.announcement.immovable",
    }
}

/// Checks a plan of a first or second auction against the rule book; every problem at once.
/// `prior` is the previous sale of the same property: none for a first auction, the failed
/// first auction for a second one, or a sale the buyer defaulted on for a re-auction of the
/// same round. Each problem names the rule that refused, its figure and its citation.
pub fn validate_plan(
    round: Round,
    plan: &AuctionPlan,
    reference: &ReferencePrice,
    prior: Option<&Auction>,
    ctx: &Ctx<'_>,
) -> Result<(), Refusal> {
    let mut p = Problems::new();
    if plan.class == PropertyClass::Deposit {
        p.push(Reason::new("not_auctionable").with("kind", "deposit"));
    }
    if plan.increment.get() == 0 {
        p.push(Reason::new("increment_not_positive"));
    }
    if plan.balance_days <= 0 {
        p.push(Reason::new("invalid_plan").with("field", "balance_days"));
    }
    if !(plan.announced_at < plan.starts_at && plan.starts_at < plan.ends_at) {
        p.push(Reason::new("bad_schedule").with("reason", "order"));
    }
    // Which round this is, and what came before.
    let reauction = matches!(
        prior.map(|a| &a.status),
        Some(AuctionStatus::Defaulted { .. })
    );
    let prior_ok = match (round, prior) {
        (Round::First, None) => true,
        (Round::First, Some(a)) => a.round == Round::First && reauction,
        (Round::Second, Some(a)) => {
            (a.round == Round::First && a.status == AuctionStatus::Failed)
                || (a.round == Round::Second && reauction)
        }
        (Round::Second, None) | (Round::SellOff, _) => false,
    };
    if !prior_ok {
        p.push(Reason::new("wrong_round").with("round", round.as_str()));
    }
    let announced_on = beijing_date(plan.announced_at);
    let starts_on = beijing_date(plan.starts_at);
    match round {
        Round::First => {
            let min = rule_in(ctx, "auction.start_price.min_ratio", Unit::Percent)?;
            if plan.start_price.get() == 0
                || !at_least_pct(plan.start_price, reference.price, min.value)
            {
                p.push(
                    Reason::new("start_price_too_low")
                        .with("start_price", plan.start_price)
                        .with("reference_price", reference.price)
                        .with("min_percent", min.value)
                        .rule(min),
                );
            }
            // The price must be valid when the first auction is announced (art. 27 of the
            // reference-price provisions); a re-auction after a default keeps that price.
            if prior.is_none() && announced_on > reference.valid_until {
                let r = expired(reference.valid_until).with("announced_on", announced_on);
                p.push(Reason {
                    code: r.code,
                    params: r.params,
                });
            }
        }
        Round::Second => {
            let first = prior.map_or(plan.start_price, |a| a.first_start_price);
            let cut = rule_in(ctx, "auction.second.max_price_cut", Unit::Percent)?;
            if plan.start_price.get() == 0
                || !at_least_pct(plan.start_price, first, 100 - cut.value)
            {
                p.push(
                    Reason::new("price_cut_too_large")
                        .with("start_price", plan.start_price)
                        .with("first_start_price", first)
                        .with("max_cut_percent", cut.value)
                        .rule(cut),
                );
            }
            if let Some(a) = prior
                && a.status == AuctionStatus::Failed
                && let Some(failed_at) = a.ended_at
            {
                let within = "auction.second.within";
                let failed_on = beijing_date(failed_at);
                let last = period_end(ctx, within, failed_on)?;
                if starts_on > last {
                    p.push(
                        Reason::new("second_auction_too_late")
                            .with("failed_on", failed_on)
                            .with("last", last)
                            .rule(rule(ctx, within)?),
                    );
                }
            }
        }
        Round::SellOff => {}
    }
    let (dmin, dmax) = (
        rule_in(ctx, "auction.deposit.min", Unit::Percent)?,
        rule_in(ctx, "auction.deposit.max", Unit::Percent)?,
    );
    let below = !at_least_pct(plan.deposit, plan.start_price, dmin.value);
    if below || !at_most_pct(plan.deposit, plan.start_price, dmax.value) {
        p.push(
            Reason::new("deposit_out_of_range")
                .with("deposit", plan.deposit)
                .with("start_price", plan.start_price)
                .with("min_percent", dmin.value)
                .with("max_percent", dmax.value)
                .rule(if below { dmin } else { dmax }),
        );
    }
    let lead_rule = announcement_rule(round, plan.class);
    let lead = rule_in(ctx, lead_rule, Unit::Days)?;
    let earliest = announced_on
        .checked_add(jiff::Span::new().days(lead.value))
        .map_err(|e| uncountable(lead_rule, e))?;
    if starts_on < earliest {
        p.push(
            Reason::new("announcement_too_short")
                .with("round", round.as_str())
                .with("class", class_name(plan.class))
                .with("announced_on", announced_on)
                .with("earliest", earliest)
                .with("days", lead.value)
                .rule(lead),
        );
    }
    let bidding = rule(ctx, "auction.bidding.min_duration")?;
    if plan.ends_at.duration_since(plan.starts_at) < duration_of(bidding)? {
        p.push(Reason::new("bidding_too_short").rule(bidding));
    }
    all_of(p)
}

fn terms(ctx: &Ctx<'_>) -> Result<AuctionTerms, Refusal> {
    Ok(AuctionTerms {
        extension: rule_duration(ctx, "auction.bidding.extension")?,
        deposit_return: rule_duration(ctx, "auction.deposit.return")?,
        selloff_bidding: rule_duration(ctx, "auction.selloff.bidding")?,
    })
}

fn auction_id(id: &str) -> Result<(), Refusal> {
    if id.trim().is_empty() {
        return Err(Refusal::invalid("invalid_plan").with("field", "auction_id"));
    }
    Ok(())
}

/// Announces a first or second auction (or a re-auction after a default) once its plan
/// passes [`validate_plan`]. The debtors and any defaulter of `prior` are barred from bidding.
pub fn decide_announce(
    auction_id_: &str,
    round: Round,
    plan: &AuctionPlan,
    reference: &ReferencePrice,
    prior: Option<&Auction>,
    debtor_keys: &[String],
    ctx: &Ctx<'_>,
) -> Result<AuctionEvent, Refusal> {
    auction_id(auction_id_)?;
    validate_plan(round, plan, reference, prior, ctx)?;
    Ok(AuctionEvent::Announced {
        auction_id: auction_id_.to_owned(),
        round,
        plan: plan.clone(),
        reference: *reference,
        first_start_price: match round {
            Round::First => plan.start_price,
            _ => prior.map_or(plan.start_price, |a| a.first_start_price),
        },
        terms: terms(ctx)?,
        debtor_keys: debtor_keys.to_vec(),
        barred_keys: prior.map(Auction::barred_for_next).unwrap_or_default(),
    })
}

/// Opens the sell-off (变卖) after a failed second auction: at the second starting price, for
/// `auction.selloff.period`, with the same increment and deposit. Bidding starts only with the
/// first offer at or above that price.
pub fn decide_sell_off(
    auction_id_: &str,
    second: &Auction,
    opens_at: Timestamp,
    ctx: &Ctx<'_>,
) -> Result<AuctionEvent, Refusal> {
    if second.round != Round::Second || second.status != AuctionStatus::Failed {
        return Err(Refusal::invalid("wrong_round").with("round", Round::SellOff.as_str()));
    }
    if second.ended_at.is_some_and(|e| opens_at < e) {
        return Err(Refusal::invalid("bad_schedule").with("reason", "sell_off"));
    }
    auction_id(auction_id_)?;
    let period = rule_duration(ctx, "auction.selloff.period")?;
    let plan = AuctionPlan {
        announced_at: opens_at,
        starts_at: opens_at,
        ends_at: add(opens_at, period)?,
        ..second.plan.clone()
    };
    Ok(AuctionEvent::Announced {
        auction_id: auction_id_.to_owned(),
        round: Round::SellOff,
        plan,
        reference: second.reference,
        first_start_price: second.first_start_price,
        terms: terms(ctx)?,
        debtor_keys: second.debtor_keys.iter().cloned().collect(),
        barred_keys: second.barred_for_next(),
    })
}

/// A bidder's registration (实名报名) as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The platform's account id.
    pub bidder: String,
    pub real_name: String,
    /// Resident ID number or unified social credit code.
    pub identifier: String,
    /// The store's blind index of the normalised identifier.
    pub identity_key: String,
}

fn barred(state: &Auction, key: &str) -> Result<(), Refusal> {
    if state.debtor_keys.contains(key) {
        return Err(Refusal::invalid("debtor_may_not_bid"));
    }
    if state.barred_keys.contains(key) {
        return Err(Refusal::invalid("bidder_barred"));
    }
    Ok(())
}

/// The next number in a sequence of `len` (a paddle, a bid's place in the log).
fn next_number(len: usize, code: &'static str) -> Result<u32, Refusal> {
    u32::try_from(len)
        .ok()
        .and_then(|n| n.checked_add(1))
        .ok_or_else(|| Refusal::invalid(code))
}

/// Registers a bidder under real name and identifier.
pub fn decide_register(
    state: &Auction,
    reg: &Registration,
    now: Timestamp,
) -> Result<AuctionEvent, Refusal> {
    state.ensure_before_end(now)?;
    if state.bidders.contains_key(&reg.bidder) {
        return Err(Refusal::invalid("already_registered"));
    }
    let identifier = if let Ok(id) = IdNumber::parse(&reg.identifier) {
        id.masked()
    } else if let Ok(code) = CreditCode::parse(&reg.identifier) {
        crate::identity::mask(code.as_str())
    } else {
        return Err(Refusal::invalid("invalid_identity").with("field", "id_number"));
    };
    if reg.bidder.trim().is_empty()
        || reg.real_name.trim().is_empty()
        || reg.identity_key.is_empty()
    {
        return Err(Refusal::invalid("invalid_identity").with("field", "real_name"));
    }
    barred(state, &reg.identity_key)?;
    let paddle = next_number(state.bidders.len(), "too_many_bidders")?;
    Ok(AuctionEvent::BidderRegistered {
        bidder: reg.bidder.clone(),
        paddle,
        real_name: reg.real_name.trim().to_owned(),
        identifier,
        identity_key: reg.identity_key.clone(),
        at: now,
    })
}

fn registered<'a>(state: &'a Auction, bidder: &str) -> Result<&'a Bidder, Refusal> {
    state
        .bidders
        .get(bidder)
        .ok_or_else(|| Refusal::invalid("not_registered"))
}

/// A registered bidder's deposit, at least the announced one.
pub fn decide_deposit(
    state: &Auction,
    bidder: &str,
    amount: Fen,
    now: Timestamp,
) -> Result<AuctionEvent, Refusal> {
    state.ensure_before_end(now)?;
    let b = registered(state, bidder)?;
    if b.deposit.get() > 0 {
        return Err(Refusal::invalid("deposit_already_paid").with("paddle", b.paddle));
    }
    if amount < state.plan.deposit {
        return Err(Refusal::invalid("deposit_insufficient")
            .with("deposit", state.plan.deposit)
            .with("amount", amount));
    }
    Ok(AuctionEvent::DepositPaid {
        bidder: bidder.to_owned(),
        amount,
        at: now,
    })
}

/// The court registers a registered bidder as a preemptive-right holder (优先购买权人) with a
/// rank (1 first).
pub fn decide_preemptive_holder(
    state: &Auction,
    bidder: &str,
    rank: u32,
    now: Timestamp,
) -> Result<AuctionEvent, Refusal> {
    state.ensure_before_end(now)?;
    let b = registered(state, bidder)?;
    if b.preemptive_rank.is_some() {
        return Err(Refusal::invalid("already_holder").with("paddle", b.paddle));
    }
    if rank == 0 {
        return Err(Refusal::invalid("invalid_rank")
            .with("field", "rank")
            .with("rank", rank));
    }
    Ok(AuctionEvent::PreemptiveHolderRegistered {
        bidder: bidder.to_owned(),
        rank,
        at: now,
    })
}

/// A bid as the client sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bid {
    /// The client's idempotency key: a retry sends the same key.
    pub key: String,
    pub bidder: String,
    pub amount: Fen,
}

/// The answer to a bid: the accepted bid, and the events to record (none for a repeat).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidDecision {
    pub bid: AcceptedBid,
    pub events: Vec<AuctionEvent>,
}

/// Whether a holder of rank `rank` takes a tie from the leader: holders beat ordinary bidders,
/// a higher rank (smaller number) beats a lower, and at equal rank the earlier bid stands.
fn wins_tie(rank: Option<u32>, leader_rank: Option<u32>) -> bool {
    match (rank, leader_rank) {
        (Some(_), None) => true,
        (Some(r), Some(l)) => r < l,
        (None, _) => false,
    }
}

/// The longest idempotency key kept, in bytes.
pub const MAX_KEY: usize = 200;

/// Decides a bid at `now` (the server's clock). The same idempotency key with the same bid
/// returns the earlier answer and records nothing; with another bid it is refused. A refused
/// bid records nothing, so its retry is decided afresh.
pub fn decide_bid(state: &Auction, bid: &Bid, now: Timestamp) -> Result<BidDecision, Refusal> {
    if let Some(earlier) = state.keys.get(&bid.key).and_then(|i| state.bids.get(*i)) {
        if earlier.bidder == bid.bidder && earlier.amount == bid.amount {
            return Ok(BidDecision {
                bid: earlier.clone(),
                events: Vec::new(),
            });
        }
        return Err(Refusal::invalid("idempotency_key_reused"));
    }
    if bid.key.is_empty() || bid.key.len() > MAX_KEY {
        return Err(Refusal::invalid("invalid_bid")
            .with("reason", "key")
            .with("max", MAX_KEY));
    }
    state.ensure_open()?;
    let b = registered(state, &bid.bidder)?;
    barred(state, &b.identity_key)?;
    if b.deposit < state.plan.deposit || b.deposit.get() == 0 {
        return Err(Refusal::invalid("deposit_not_paid").with("deposit", state.plan.deposit));
    }
    match state.phase(now) {
        Phase::Announced => {
            return Err(Refusal::invalid("bidding_not_started")
                .with("starts_at", beijing_time(state.plan.starts_at)));
        }
        Phase::Ended | Phase::Closed => {
            return Err(
                Refusal::invalid("bidding_closed").with("ends_at", beijing_time(state.ends_at))
            );
        }
        Phase::Bidding => {}
    }
    let rank = b.preemptive_rank;
    match state.leading() {
        None => {
            if bid.amount < state.plan.start_price {
                return Err(Refusal::invalid("bid_below_minimum")
                    .with("start_price", state.plan.start_price));
            }
        }
        Some(lead) => {
            if lead.bidder == bid.bidder {
                return Err(Refusal::invalid("already_leading"));
            }
            let min = lead
                .amount
                .checked_add(state.plan.increment)
                .map_err(|_| Refusal::invalid("invalid_bid").with("reason", "range"))?;
            let matches = bid.amount == lead.amount && wins_tie(rank, lead.preemptive_rank);
            if bid.amount < min && !matches {
                return Err(Refusal::invalid("bid_below_increment")
                    .with("min", min)
                    .with("current", lead.amount)
                    .with("increment", state.plan.increment));
            }
        }
    }
    let ends_at = if state.round == Round::SellOff && state.bids.is_empty() {
        add(now, state.terms.selloff_bidding)?
    } else {
        state.ends_at.max(add(now, state.terms.extension)?)
    };
    let seq = next_number(state.bids.len(), "invalid_bid")?;
    let accepted = AcceptedBid {
        seq,
        key: bid.key.clone(),
        bidder: bid.bidder.clone(),
        amount: bid.amount,
        at: now,
        ends_at,
        preemptive_rank: rank,
    };
    Ok(BidDecision {
        events: vec![AuctionEvent::BidAccepted(accepted.clone())],
        bid: accepted,
    })
}

/// The bids a bidder may place now, as the bid box offers them: the lowest raise (the
/// starting price before any bid, else the current price plus the increment) and, for a
/// preemptive-right holder who would take a tie from the leader, the current price itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextBid {
    /// The lowest bid that beats the current price (or opens the bidding).
    pub min: Fen,
    /// The current price, when this bidder may match it (优先购买权: 同等价格优先).
    pub may_match: Option<Fen>,
    /// This bidder holds the lead: no bid of theirs is accepted until someone outbids them.
    pub leading: bool,
}

/// What `bidder` may bid next, by the same rules [`decide_bid`] applies (none when the
/// figures leave the range of an amount).
pub fn next_bid(state: &Auction, bidder: &str) -> Option<NextBid> {
    let rank = state.bidders.get(bidder).and_then(|b| b.preemptive_rank);
    match state.leading() {
        None => Some(NextBid {
            min: state.plan.start_price,
            may_match: None,
            leading: false,
        }),
        Some(lead) => Some(NextBid {
            min: lead.amount.checked_add(state.plan.increment).ok()?,
            may_match: (lead.bidder != bidder && wins_tie(rank, lead.preemptive_rank))
                .then_some(lead.amount),
            leading: lead.bidder == bidder,
        }),
    }
}

/// Closes bidding once its (extended) end has passed: sold to the leading bid, or failed
/// (流拍) when nobody bid.
pub fn close(state: &Auction, now: Timestamp) -> Result<AuctionEvent, Refusal> {
    state.ensure_open()?;
    if now < state.ends_at {
        return Err(
            Refusal::invalid("bidding_not_over").with("ends_at", beijing_time(state.ends_at))
        );
    }
    let outcome = match state.leading() {
        None => Outcome::Failed,
        Some(lead) => {
            let deposit = state
                .bidders
                .get(&lead.bidder)
                .map_or(Fen::ZERO, |b| b.deposit);
            let days = SignedDuration::from_hours(state.plan.balance_days.saturating_mul(24));
            Outcome::Sold(Sale {
                winner: lead.bidder.clone(),
                price: lead.amount,
                deposit,
                balance_due: add(state.ends_at, days)?,
            })
        }
    };
    Ok(AuctionEvent::Closed {
        at: now,
        ended_at: state.ends_at,
        outcome,
    })
}

/// A deposit to give back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositRelease {
    pub bidder: String,
    pub amount: Fen,
    /// `auction.deposit.return` after the end of bidding.
    pub due: Timestamp,
}

/// The deposits to release once bidding is over: everyone's but the winner's (whose deposit
/// counts toward the price, or is forfeited on default).
pub fn deposit_releases(state: &Auction) -> Vec<DepositRelease> {
    let Some(ended) = state.ended_at else {
        return Vec::new();
    };
    let winner = match &state.status {
        AuctionStatus::Sold(Sale { winner, .. }) | AuctionStatus::Paid { winner, .. } => {
            Some(winner)
        }
        AuctionStatus::Defaulted { bidder, .. } => Some(bidder),
        AuctionStatus::Open | AuctionStatus::Failed => None,
    };
    let due = ended
        .checked_add(state.terms.deposit_return)
        .unwrap_or(ended);
    state
        .bidders
        .iter()
        .filter(|(id, b)| b.deposit.get() > 0 && Some(*id) != winner)
        .map(|(id, b)| DepositRelease {
            bidder: id.clone(),
            amount: b.deposit,
            due,
        })
        .collect()
}

/// The buyer pays the balance (price less deposit) by the announced deadline.
pub fn decide_balance_payment(
    state: &Auction,
    amount: Fen,
    now: Timestamp,
) -> Result<AuctionEvent, Refusal> {
    let s = state.sale()?;
    if now > s.balance_due {
        return Err(Refusal::invalid("balance_overdue").with("due", beijing_time(s.balance_due)));
    }
    let owed = s.price.saturating_sub(s.deposit);
    if amount != owed {
        return Err(Refusal::invalid("wrong_amount")
            .with("owed", owed)
            .with("amount", amount));
    }
    Ok(AuctionEvent::BalancePaid { amount, at: now })
}

/// The buyer did not pay by the deadline (悔拍): the deposit is forfeited and the buyer is
/// barred from the re-auction.
pub fn decide_default(state: &Auction, now: Timestamp) -> Result<AuctionEvent, Refusal> {
    let s = state.sale()?;
    if now <= s.balance_due {
        return Err(
            Refusal::invalid("balance_not_yet_due").with("due", beijing_time(s.balance_due))
        );
    }
    Ok(AuctionEvent::Defaulted {
        bidder: s.winner.clone(),
        forfeited: s.deposit,
        at: now,
    })
}

/// What goes into the case account once the buyer paid in full: the whole price.
pub fn proceeds(state: &Auction) -> Option<Fen> {
    match &state.status {
        AuctionStatus::Paid { price, .. } => Some(*price),
        _ => None,
    }
}

/// One line of the public bid log (竞价记录): bidders shown by number only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicBid {
    pub seq: u32,
    pub bidder_code: String,
    pub amount: Fen,
    pub at: Timestamp,
    pub preemptive: bool,
}

/// The full bid log as published: pseudonymous.
pub fn public_log(state: &Auction) -> Vec<PublicBid> {
    state
        .bids
        .iter()
        .map(|b| PublicBid {
            seq: b.seq,
            bidder_code: state
                .bidders
                .get(&b.bidder)
                .map_or_else(|| "?".to_owned(), |x| format!("P{:04}", x.paddle)),
            amount: b.amount,
            at: b.at,
            preemptive: b.preemptive_rank.is_some(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
