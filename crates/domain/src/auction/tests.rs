#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::date;
use proptest::prelude::*;

use super::*;
use crate::refusal::Param;
use crate::testing::{calendar, ctx, rules};
use crate::valuation::PriceMethod;

fn fen(v: i64) -> Fen {
    Fen::new(v).unwrap() // allow-panic: test code
}

/// A moment in Beijing time, `2026-04-01T10:00`.
fn t(s: &str) -> Timestamp {
    format!("{s}:00+08:00").parse().unwrap() // allow-panic: test code
}

fn mins(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

fn code<T: std::fmt::Debug>(r: Result<T, Refusal>) -> &'static str {
    r.map(|v| format!("{v:?}")).err().map_or("ok", |r| r.code)
}

/// A reference price of ¥1,000,000.
fn reference() -> ReferencePrice {
    ReferencePrice {
        price: fen(100_000_000),
        method: PriceMethod::Appraisal,
        determined_on: date(2026, 2, 2),
        valid_until: date(2027, 2, 1),
    }
}

/// Real estate at 70% of the reference price, deposit 10%, announced 30 days ahead, 24 hours
/// of bidding.
fn plan() -> AuctionPlan {
    AuctionPlan {
        class: PropertyClass::ImmovableOrRight,
        start_price: fen(70_000_000),
        increment: fen(100_000),
        deposit: fen(7_000_000),
        announced_at: t("2026-03-02T10:00"),
        starts_at: t("2026-04-01T10:00"),
        ends_at: t("2026-04-02T10:00"),
        balance_days: 10,
    }
}

const DEBTOR: &str = "key-debtor";

fn announce(round: Round, plan: &AuctionPlan, prior: Option<&Auction>) -> Auction {
    let (r, c) = (rules(), calendar());
    let today = beijing_date(plan.announced_at);
    let e = decide_announce(
        "auction-1",
        round,
        plan,
        &reference(),
        prior,
        &[DEBTOR.to_owned()],
        &ctx(&r, &c, today),
    )
    .unwrap(); // allow-panic: test code
    Auction::from_announced(&e).unwrap() // allow-panic: test code
}

/// A valid resident ID number for person `n`.
fn id_number(n: u32) -> String {
    let body = format!(
        "110105{:04}{:02}{:02}{:03}",
        1980,
        1,
        1 + (n / 1000) % 28,
        n % 1000
    );
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let checks = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = body
        .bytes()
        .zip(weights)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{body}{}", checks[(sum % 11) as usize])
}

/// A valid unified social credit code.
fn credit_code() -> String {
    "0123456789ABCDEFGHJKLMNPQRTUWXY"
        .chars()
        .map(|c| format!("91110000100000000{c}"))
        .find(|s| CreditCode::parse(s).is_ok())
        .unwrap() // allow-panic: test code
}

fn registration(n: u32) -> Registration {
    Registration {
        bidder: format!("u{n}"),
        real_name: format!("竞买人{n}"),
        identifier: id_number(n),
        identity_key: format!("key-{n}"),
    }
}

/// Registers bidder `n` and pays the deposit; the events go to `log`.
fn join(a: &mut Auction, log: &mut Vec<AuctionEvent>, n: u32, at: Timestamp) {
    let e = decide_register(a, &registration(n), at).unwrap(); // allow-panic: test code
    a.apply(&e);
    log.push(e);
    let e = decide_deposit(a, &format!("u{n}"), a.plan.deposit, at).unwrap(); // allow-panic: test code
    a.apply(&e);
    log.push(e);
}

fn holder(a: &mut Auction, log: &mut Vec<AuctionEvent>, n: u32, rank: u32, at: Timestamp) {
    join(a, log, n, at);
    let e = decide_preemptive_holder(a, &format!("u{n}"), rank, at).unwrap(); // allow-panic: test code
    a.apply(&e);
    log.push(e);
}

fn bid(key: &str, n: u32, amount: i64) -> Bid {
    Bid {
        key: key.to_owned(),
        bidder: format!("u{n}"),
        amount: fen(amount),
    }
}

/// Decides a bid and applies its events.
fn place(
    a: &mut Auction,
    log: &mut Vec<AuctionEvent>,
    b: &Bid,
    at: Timestamp,
) -> Result<AcceptedBid, Refusal> {
    let d = decide_bid(a, b, at)?;
    for e in &d.events {
        a.apply(e);
        log.push(e.clone());
    }
    Ok(d.bid)
}

/// Decides a bid that must be accepted and applies its events.
fn placed(a: &mut Auction, log: &mut Vec<AuctionEvent>, b: &Bid, at: Timestamp) -> AcceptedBid {
    place(a, log, b, at).unwrap() // allow-panic: test code
}

/// A first auction of [`plan`] with bidders `ns` registered and paid on 2026-03-10.
fn first_with(ns: &[u32]) -> (Auction, Vec<AuctionEvent>) {
    let mut a = announce(Round::First, &plan(), None);
    let mut log = Vec::new();
    for n in ns {
        join(&mut a, &mut log, *n, t("2026-03-10T10:00"));
    }
    (a, log)
}

fn closed(a: &mut Auction, now: Timestamp) -> AuctionEvent {
    let e = close(a, now).unwrap(); // allow-panic: test code
    a.apply(&e);
    e
}

fn check(round: Round, p: &AuctionPlan, prior: Option<&Auction>) -> Result<(), Refusal> {
    let (r, c) = (rules(), calendar());
    validate_plan(
        round,
        p,
        &reference(),
        prior,
        &ctx(&r, &c, beijing_date(p.announced_at)),
    )
}

#[test]
fn a_plan_follows_the_rule_book() {
    assert_eq!(check(Round::First, &plan(), None), Ok(()));
    let with = |f: &dyn Fn(&mut AuctionPlan)| {
        let mut p = plan();
        f(&mut p);
        code(check(Round::First, &p, None))
    };
    // Starting price at least 70% of the reference price.
    assert_eq!(
        with(&|p| {
            p.start_price = fen(69_999_999);
            p.deposit = fen(7_000_000);
        }),
        "start_price_too_low"
    );
    // Deposit 5%–20% of the starting price.
    assert_eq!(
        with(&|p| p.deposit = fen(3_499_999)),
        "deposit_out_of_range"
    );
    assert_eq!(with(&|p| p.deposit = fen(3_500_000)), "ok");
    assert_eq!(with(&|p| p.deposit = fen(14_000_000)), "ok");
    assert_eq!(
        with(&|p| p.deposit = fen(14_000_001)),
        "deposit_out_of_range"
    );
    assert_eq!(with(&|p| p.increment = Fen::ZERO), "increment_not_positive");
    // Real estate: announced 30 days before; movables 15.
    assert_eq!(
        with(&|p| p.announced_at = t("2026-03-03T09:00")),
        "announcement_too_short"
    );
    assert_eq!(
        with(&|p| {
            p.class = PropertyClass::Movable;
            p.announced_at = t("2026-03-17T10:00");
        }),
        "ok"
    );
    assert_eq!(
        with(&|p| {
            p.class = PropertyClass::Movable;
            p.announced_at = t("2026-03-18T10:00");
        }),
        "announcement_too_short"
    );
    // Bidding lasts at least 24 hours.
    assert_eq!(
        with(&|p| p.ends_at = t("2026-04-02T09:59")),
        "bidding_too_short"
    );
    assert_eq!(with(&|p| p.ends_at = t("2026-03-31T10:00")), "bad_schedule");
    assert_eq!(
        with(&|p| p.class = PropertyClass::Deposit),
        "not_auctionable"
    );
    assert_eq!(with(&|p| p.balance_days = 0), "invalid_plan");
    // Every problem at once, under the first one's code.
    let mut p = plan();
    p.start_price = fen(60_000_000);
    p.deposit = fen(1);
    p.increment = Fen::ZERO;
    let r = check(Round::First, &p, None).unwrap_err();
    assert_eq!(r.code, "increment_not_positive");
    assert_eq!(r.reasons.len(), 3, "{:?}", r.reasons);
}

#[test]
fn an_expired_reference_price_cannot_start_an_auction() {
    let (r, c) = (rules(), calendar());
    let with_validity = |valid_until: Date| {
        let old = ReferencePrice {
            valid_until,
            ..reference()
        };
        decide_announce(
            "a",
            Round::First,
            &plan(),
            &old,
            None,
            &[],
            &ctx(&r, &c, date(2026, 3, 2)),
        )
    };
    let e = with_validity(date(2026, 3, 1));
    assert_eq!(code(e.clone()), "reference_price_expired");
    assert_eq!(
        e.err().and_then(|r| r.params.get("valid_until").cloned()),
        Some(date(2026, 3, 1).into())
    );
    assert!(with_validity(date(2026, 3, 2)).is_ok());
}

#[test]
fn a_refusal_names_the_rule_in_force_with_its_figure_and_citation() {
    let mut p = plan();
    p.start_price = fen(69_999_999);
    let r = check(Round::First, &p, None).unwrap_err(); // allow-panic: test code
    assert_eq!(r.code, "start_price_too_low");
    assert!(r.reasons.is_empty(), "one problem is refused on its own");
    assert_eq!(r.params.get("min_percent"), Some(&Param::Int(70)));
    assert_eq!(
        r.params.get("rule"),
        Some(&Param::from("auction.start_price.min_ratio"))
    );
    assert!(
        r.params
            .get("citation")
            .is_some_and(|c| c.to_string().contains("第十条")),
        "{r}"
    );
    assert_eq!(
        r.params.get("start_price"),
        Some(&Param::Money(fen(69_999_999)))
    );
    // A new version of the rule in force on the day of the act changes the figure.
    let mut book = rules();
    let mut v = book
        .lookup("auction.start_price.min_ratio", date(2026, 3, 2), "")
        .unwrap() // allow-panic: test code
        .clone();
    v.value = 75;
    v.citation = "amended".into();
    v.effective_from = date(2026, 1, 1);
    book.add_version(v).unwrap(); // allow-panic: test code
    let c = calendar();
    p.start_price = fen(72_000_000);
    p.deposit = fen(7_200_000);
    let r = validate_plan(
        Round::First,
        &p,
        &reference(),
        None,
        &ctx(&book, &c, date(2026, 3, 2)),
    )
    .unwrap_err(); // allow-panic: test code
    assert_eq!(r.params.get("min_percent"), Some(&Param::Int(75)));
    assert_eq!(r.params.get("citation"), Some(&Param::from("amended")));
    // Several problems: each reason carries its own rule.
    p.start_price = fen(60_000_000);
    p.deposit = fen(1);
    let r = check(Round::First, &p, None).unwrap_err(); // allow-panic: test code
    assert_eq!(r.code, "start_price_too_low", "the first one's code");
    let d = &r.reasons[1];
    assert_eq!(
        (d.params.get("min_percent"), d.params.get("max_percent")),
        (Some(&Param::Int(5)), Some(&Param::Int(20)))
    );
    assert_eq!(
        d.params.get("rule"),
        Some(&Param::from("auction.deposit.min"))
    );
}

fn failed_first() -> Auction {
    let mut a = announce(Round::First, &plan(), None);
    closed(&mut a, t("2026-04-02T10:00"));
    assert_eq!(a.status, AuctionStatus::Failed);
    a
}

fn second_plan() -> AuctionPlan {
    AuctionPlan {
        start_price: fen(56_000_000),
        deposit: fen(5_600_000),
        announced_at: t("2026-04-10T10:00"),
        starts_at: t("2026-04-25T10:00"),
        ends_at: t("2026-04-26T10:00"),
        ..plan()
    }
}

#[test]
fn a_second_auction_comes_within_thirty_days_with_a_cut_of_at_most_twenty_percent() {
    let first = failed_first();
    assert_eq!(check(Round::Second, &second_plan(), Some(&first)), Ok(()));
    // The 70% floor is the first auction's: 56% of the reference is fine here, but not a cut
    // of more than 20% of the first starting price.
    let mut p = second_plan();
    p.start_price = fen(55_999_999);
    assert_eq!(
        code(check(Round::Second, &p, Some(&first))),
        "price_cut_too_large"
    );
    // Failed on Thu 2 Apr: 30 days end on Sat 2 May, in the Labour Day holiday (1–5 May), so
    // the second auction may start on Wed 6 May at the latest.
    let mut p = second_plan();
    p.announced_at = t("2026-04-20T10:00");
    p.starts_at = t("2026-05-06T10:00");
    p.ends_at = t("2026-05-07T10:00");
    assert_eq!(check(Round::Second, &p, Some(&first)), Ok(()));
    p.starts_at = t("2026-05-07T10:00");
    p.ends_at = t("2026-05-08T10:00");
    assert_eq!(
        code(check(Round::Second, &p, Some(&first))),
        "second_auction_too_late"
    );
    // Real estate: announced 15 days before the second auction; movables 7.
    let mut p = second_plan();
    p.announced_at = t("2026-04-11T10:00");
    assert_eq!(
        code(check(Round::Second, &p, Some(&first))),
        "announcement_too_short"
    );
    p.class = PropertyClass::Movable;
    p.announced_at = t("2026-04-18T10:00");
    assert_eq!(check(Round::Second, &p, Some(&first)), Ok(()));
    p.announced_at = t("2026-04-19T10:00");
    assert_eq!(
        code(check(Round::Second, &p, Some(&first))),
        "announcement_too_short"
    );
    // Rounds follow one another.
    assert_eq!(
        code(check(Round::Second, &second_plan(), None)),
        "wrong_round"
    );
    assert_eq!(
        code(check(Round::First, &second_plan(), Some(&first))),
        "wrong_round"
    );
    assert_eq!(
        code(check(Round::SellOff, &second_plan(), Some(&first))),
        "wrong_round"
    );
    let second = announce(Round::Second, &second_plan(), Some(&first));
    assert_eq!(second.first_start_price, fen(70_000_000));
}

#[test]
fn bidders_register_in_real_name_and_the_debtor_is_refused() {
    let mut a = announce(Round::First, &plan(), None);
    let now = t("2026-03-10T10:00");
    let mut bad = registration(1);
    bad.identifier = "110105199001010011".into();
    assert_eq!(code(decide_register(&a, &bad, now)), "invalid_identity");
    let mut nameless = registration(1);
    nameless.real_name = " ".into();
    assert_eq!(
        code(decide_register(&a, &nameless, now)),
        "invalid_identity"
    );
    let mut debtor = registration(2);
    debtor.identity_key = DEBTOR.into();
    assert_eq!(
        code(decide_register(&a, &debtor, now)),
        "debtor_may_not_bid"
    );
    let e = decide_register(&a, &registration(1), now).unwrap(); // allow-panic: test code
    a.apply(&e);
    let b = &a.bidders["u1"];
    assert_eq!(b.paddle, 1);
    assert!(b.identifier.contains('*'), "only the masked number is kept");
    assert_eq!(
        code(decide_register(&a, &registration(1), now)),
        "already_registered"
    );
    let org = Registration {
        bidder: "org".into(),
        real_name: "某某有限公司".into(),
        identifier: credit_code(),
        identity_key: "key-org".into(),
    };
    assert_eq!(code(decide_register(&a, &org, now)), "ok");
    assert_eq!(
        code(decide_register(&a, &registration(3), t("2026-04-02T10:00"))),
        "bidding_closed"
    );
    // Deposits: at least the announced amount, once.
    assert_eq!(
        code(decide_deposit(&a, "u9", fen(7_000_000), now)),
        "not_registered"
    );
    assert_eq!(
        code(decide_deposit(&a, "u1", fen(6_999_999), now)),
        "deposit_insufficient"
    );
    a.apply(&decide_deposit(&a, "u1", fen(7_000_000), now).unwrap()); // allow-panic: test code
    assert_eq!(
        code(decide_deposit(&a, "u1", fen(7_000_000), now)),
        "deposit_already_paid"
    );
    assert_eq!(
        code(decide_preemptive_holder(&a, "u1", 0, now)),
        "invalid_rank"
    );
    assert_eq!(
        code(decide_preemptive_holder(&a, "u9", 1, now)),
        "not_registered"
    );
    a.apply(&decide_preemptive_holder(&a, "u1", 1, now).unwrap()); // allow-panic: test code
    assert_eq!(
        code(decide_preemptive_holder(&a, "u1", 2, now)),
        "already_holder"
    );
}

#[test]
fn a_bid_needs_a_deposit_and_the_bidding_window() {
    let mut a = announce(Round::First, &plan(), None);
    let mut log = Vec::new();
    let early = t("2026-03-10T10:00");
    join(&mut a, &mut log, 1, early);
    let e = decide_register(&a, &registration(2), early).unwrap(); // allow-panic: test code
    a.apply(&e);
    assert_eq!(
        code(decide_bid(
            &a,
            &bid("k", 2, 70_000_000),
            t("2026-04-01T12:00")
        )),
        "deposit_not_paid"
    );
    assert_eq!(
        code(decide_bid(
            &a,
            &bid("k", 9, 70_000_000),
            t("2026-04-01T12:00")
        )),
        "not_registered"
    );
    assert_eq!(
        code(decide_bid(
            &a,
            &bid("k", 1, 70_000_000),
            t("2026-04-01T09:59")
        )),
        "bidding_not_started"
    );
    assert_eq!(
        code(decide_bid(
            &a,
            &bid("k", 1, 70_000_000),
            t("2026-04-02T10:00")
        )),
        "bidding_closed"
    );
    assert_eq!(
        code(decide_bid(
            &a,
            &bid("", 1, 70_000_000),
            t("2026-04-01T12:00")
        )),
        "invalid_bid"
    );
    assert_eq!(
        code(decide_bid(
            &a,
            &bid("k", 1, 69_999_999),
            t("2026-04-01T12:00")
        )),
        "bid_below_minimum"
    );
    assert!(decide_bid(&a, &bid("k", 1, 70_000_000), t("2026-04-01T10:00")).is_ok());
}

#[test]
fn a_single_bid_at_the_starting_price_wins() {
    let (mut a, mut log) = first_with(&[1, 2]);
    placed(
        &mut a,
        &mut log,
        &bid("k1", 1, 70_000_000),
        t("2026-04-01T11:00"),
    );
    assert_eq!(code(close(&a, t("2026-04-02T09:59"))), "bidding_not_over");
    let e = closed(&mut a, t("2026-04-02T10:00"));
    assert_eq!(
        e,
        AuctionEvent::Closed {
            at: t("2026-04-02T10:00"),
            ended_at: t("2026-04-02T10:00"),
            outcome: Outcome::Sold(Sale {
                winner: "u1".into(),
                price: fen(70_000_000),
                deposit: fen(7_000_000),
                balance_due: t("2026-04-12T10:00"),
            }),
        }
    );
    assert_eq!(code(close(&a, t("2026-04-03T10:00"))), "auction_closed");
    assert_eq!(
        code(decide_bid(
            &a,
            &bid("k2", 2, 80_000_000),
            t("2026-04-02T10:00")
        )),
        "auction_closed"
    );
    // The loser's deposit is released within 24 hours of the end; the winner's is kept.
    assert_eq!(
        deposit_releases(&a),
        vec![DepositRelease {
            bidder: "u2".into(),
            amount: fen(7_000_000),
            due: t("2026-04-03T10:00"),
        }]
    );
}

#[test]
fn bids_rise_by_the_increment() {
    let mut a = announce(Round::First, &plan(), None);
    let mut log = Vec::new();
    for n in 1..=3 {
        join(&mut a, &mut log, n, t("2026-03-10T10:00"));
    }
    let at = t("2026-04-01T12:00");
    place(&mut a, &mut log, &bid("a", 1, 70_000_000), at).unwrap(); // allow-panic: test code
    assert_eq!(
        code(place(&mut a, &mut log, &bid("b", 2, 70_099_999), at)),
        "bid_below_increment"
    );
    assert_eq!(
        code(place(&mut a, &mut log, &bid("b", 2, 70_000_000), at)),
        "bid_below_increment",
        "an ordinary bidder cannot match"
    );
    place(&mut a, &mut log, &bid("b", 2, 70_100_000), at).unwrap(); // allow-panic: test code
    assert_eq!(
        code(place(&mut a, &mut log, &bid("c", 2, 70_500_000), at)),
        "already_leading"
    );
    place(&mut a, &mut log, &bid("c", 3, 75_000_000), at).unwrap(); // allow-panic: test code
    assert_eq!(a.current_price(), Some(fen(75_000_000)));
    let public = public_log(&a);
    assert_eq!(public.len(), 3);
    assert_eq!(public[2].bidder_code, "P0003");
    let json = serde_json::to_string(&public).unwrap(); // allow-panic: test code
    assert!(!json.contains("u3") && !json.contains("竞买人"), "{json}");
}

#[test]
fn a_bid_in_the_last_five_minutes_moves_the_end() {
    let (mut a, mut log) = first_with(&[1, 2]);
    let end = t("2026-04-02T10:00");
    // Ten minutes before the end: no change.
    let b = placed(
        &mut a,
        &mut log,
        &bid("1", 1, 70_000_000),
        t("2026-04-02T09:50"),
    );
    assert_eq!(b.ends_at, end);
    // Three minutes before: the end moves to the bid + 5 minutes.
    let b = placed(
        &mut a,
        &mut log,
        &bid("2", 2, 70_100_000),
        t("2026-04-02T09:57"),
    );
    assert_eq!(b.ends_at, t("2026-04-02T10:02"));
    assert_eq!(a.ends_at, t("2026-04-02T10:02"));
    // After the scheduled end, within the extension: accepted, and extended again.
    let at = end.checked_add(SignedDuration::from_secs(90)).unwrap(); // allow-panic: test code
    let b = place(&mut a, &mut log, &bid("3", 1, 70_200_000), at).unwrap(); // allow-panic: test code
    assert_eq!(b.ends_at, at.checked_add(mins(5)).unwrap()); // allow-panic: test code
    assert_eq!(code(close(&a, t("2026-04-02T10:06"))), "bidding_not_over");
    // Nothing at or after the extended end.
    assert_eq!(
        code(decide_bid(&a, &bid("4", 2, 80_000_000), b.ends_at)),
        "bidding_closed"
    );
    let e = closed(&mut a, b.ends_at);
    assert!(matches!(
        e,
        AuctionEvent::Closed { ended_at, outcome: Outcome::Sold(Sale { ref winner, .. }), .. }
            if ended_at == b.ends_at && winner == "u1"
    ));
    // Deposits are released 24 hours after the real end.
    assert_eq!(
        deposit_releases(&a)
            .iter()
            .map(|d| d.due)
            .collect::<Vec<_>>(),
        vec![
            b.ends_at
                .checked_add(SignedDuration::from_hours(24))
                .unwrap() // allow-panic: test code
        ]
    );
}

#[test]
fn preemptive_holders_match_and_win_ties_by_rank_then_time() {
    let mut a = announce(Round::First, &plan(), None);
    let mut log = Vec::new();
    let reg = t("2026-03-10T10:00");
    join(&mut a, &mut log, 1, reg);
    join(&mut a, &mut log, 2, reg);
    holder(&mut a, &mut log, 11, 1, reg);
    holder(&mut a, &mut log, 12, 2, reg);
    holder(&mut a, &mut log, 13, 2, reg);
    holder(&mut a, &mut log, 14, 3, reg);
    let at = t("2026-04-01T12:00");
    place(&mut a, &mut log, &bid("a", 1, 70_000_000), at).unwrap(); // allow-panic: test code
    // A holder matches the ordinary bidder's price and takes the lead.
    let m = place(&mut a, &mut log, &bid("b", 12, 70_000_000), at).unwrap(); // allow-panic: test code
    assert_eq!(m.preemptive_rank, Some(2));
    assert_eq!(a.leading().map(|b| b.bidder.as_str()), Some("u12"));
    // A lower rank cannot take the tie; an equal rank neither (the earlier bid stands).
    assert_eq!(
        code(place(&mut a, &mut log, &bid("c", 14, 70_000_000), at)),
        "bid_below_increment"
    );
    assert_eq!(
        code(place(&mut a, &mut log, &bid("c", 13, 70_000_000), at)),
        "bid_below_increment"
    );
    // Between the current price and the increment: neither a match nor a raise.
    assert_eq!(
        code(place(&mut a, &mut log, &bid("c", 11, 70_000_001), at)),
        "bid_below_increment"
    );
    // A higher rank takes it.
    place(&mut a, &mut log, &bid("c", 11, 70_000_000), at).unwrap(); // allow-panic: test code
    assert_eq!(a.leading().map(|b| b.bidder.as_str()), Some("u11"));
    // An ordinary bidder must raise; a holder may match again.
    place(&mut a, &mut log, &bid("d", 2, 70_100_000), at).unwrap(); // allow-panic: test code
    place(&mut a, &mut log, &bid("e", 13, 70_100_000), at).unwrap(); // allow-panic: test code
    assert_eq!(
        code(place(&mut a, &mut log, &bid("f", 12, 70_100_000), at)),
        "bid_below_increment",
        "same rank, later"
    );
    closed(&mut a, t("2026-04-02T10:00"));
    assert!(matches!(
        &a.status,
        AuctionStatus::Sold(Sale { winner, price, .. }) if winner == "u13" && *price == fen(70_100_000)
    ));
    assert!(public_log(&a).iter().filter(|b| b.preemptive).count() == 3);
}

#[test]
fn the_bid_box_offers_what_decide_bid_accepts() {
    let mut a = announce(Round::First, &plan(), None);
    let mut log = Vec::new();
    let reg = t("2026-03-10T10:00");
    join(&mut a, &mut log, 1, reg);
    join(&mut a, &mut log, 2, reg);
    holder(&mut a, &mut log, 11, 1, reg);
    let at = t("2026-04-01T12:00");
    let n = next_bid(&a, "u1").unwrap(); // allow-panic: test code
    assert_eq!(
        (n.min, n.may_match, n.leading),
        (a.plan.start_price, None, false)
    );
    let below = n.min.get() - 1;
    assert_eq!(
        code(place(&mut a, &mut log, &bid("a", 1, below), at)),
        "bid_below_minimum"
    );
    placed(&mut a, &mut log, &bid("a", 1, n.min.get()), at);
    // The leader is told they lead; the other bidder must raise by the increment.
    assert!(next_bid(&a, "u1").unwrap().leading); // allow-panic: test code
    let n2 = next_bid(&a, "u2").unwrap(); // allow-panic: test code
    assert_eq!(n2.min, n.min.checked_add(a.plan.increment).unwrap()); // allow-panic: test code
    assert_eq!(n2.may_match, None);
    // The holder may match the current price, and that bid is accepted.
    let h = next_bid(&a, "u11").unwrap(); // allow-panic: test code
    assert_eq!(h.may_match, Some(n.min));
    placed(&mut a, &mut log, &bid("b", 11, n.min.get()), at);
    assert_eq!(a.leading().map(|b| b.bidder.as_str()), Some("u11"));
    // Now the ordinary bidder who led may not match the holder back.
    assert_eq!(next_bid(&a, "u1").unwrap().may_match, None); // allow-panic: test code
    let m = next_bid(&a, "u1").unwrap().min; // allow-panic: test code
    placed(&mut a, &mut log, &bid("c", 1, m.get()), at);
}

#[test]
fn a_repeated_bid_is_answered_once() {
    let (mut a, mut log) = first_with(&[1, 2]);
    let first = placed(
        &mut a,
        &mut log,
        &bid("k1", 1, 70_000_000),
        t("2026-04-01T11:00"),
    );
    placed(
        &mut a,
        &mut log,
        &bid("k2", 2, 70_100_000),
        t("2026-04-01T11:01"),
    );
    let before = a.clone();
    let n = log.len();
    // The same key and bid: the earlier answer, nothing recorded — even after the end.
    for at in [t("2026-04-01T11:05"), t("2026-04-03T00:00")] {
        let d = decide_bid(&a, &bid("k1", 1, 70_000_000), at).unwrap(); // allow-panic: test code
        assert_eq!(d.bid, first);
        assert!(d.events.is_empty());
    }
    placed(
        &mut a,
        &mut log,
        &bid("k1", 1, 70_000_000),
        t("2026-04-01T11:05"),
    );
    assert_eq!((a.clone(), log.len()), (before, n));
    // The same key for another bid.
    assert_eq!(
        code(decide_bid(
            &a,
            &bid("k1", 1, 70_200_000),
            t("2026-04-01T11:06")
        )),
        "idempotency_key_reused"
    );
    assert_eq!(
        code(decide_bid(
            &a,
            &bid("k1", 2, 70_000_000),
            t("2026-04-01T11:06")
        )),
        "idempotency_key_reused"
    );
}

#[test]
fn no_bid_fails_and_every_deposit_is_released() {
    let (mut a, _) = first_with(&[1, 2]);
    assert_eq!(code(close(&a, t("2026-04-01T10:00"))), "bidding_not_over");
    let e = closed(&mut a, t("2026-04-02T11:00"));
    assert!(matches!(
        e,
        AuctionEvent::Closed { outcome: Outcome::Failed, ended_at, .. } if ended_at == t("2026-04-02T10:00")
    ));
    let r = deposit_releases(&a);
    assert_eq!(r.len(), 2);
    assert!(r.iter().all(|d| d.due == t("2026-04-03T10:00")));
    assert_eq!(proceeds(&a), None);
}

fn sold_to_u1() -> Auction {
    let (mut a, mut log) = first_with(&[1, 2]);
    placed(
        &mut a,
        &mut log,
        &bid("a", 2, 70_000_000),
        t("2026-04-01T11:00"),
    );
    placed(
        &mut a,
        &mut log,
        &bid("b", 1, 80_000_000),
        t("2026-04-01T12:00"),
    );
    closed(&mut a, t("2026-04-02T10:00"));
    a
}

#[test]
fn the_buyer_pays_the_balance_and_the_proceeds_go_to_the_case_account() {
    let mut a = sold_to_u1();
    assert_eq!(
        code(decide_balance_payment(
            &a,
            fen(80_000_000),
            t("2026-04-05T10:00")
        )),
        "wrong_amount"
    );
    assert_eq!(
        code(decide_balance_payment(
            &a,
            fen(73_000_000),
            t("2026-04-12T10:01")
        )),
        "balance_overdue"
    );
    assert_eq!(
        code(decide_default(&a, t("2026-04-12T10:00"))),
        "balance_not_yet_due"
    );
    let e = decide_balance_payment(&a, fen(73_000_000), t("2026-04-12T10:00")).unwrap(); // allow-panic: test code
    a.apply(&e);
    assert_eq!(proceeds(&a), Some(fen(80_000_000)));
    assert_eq!(code(decide_default(&a, t("2026-04-20T10:00"))), "not_sold");
    assert_eq!(deposit_releases(&a).len(), 1);
}

#[test]
fn a_defaulting_buyer_forfeits_the_deposit_and_is_barred_from_the_reauction() {
    let mut a = sold_to_u1();
    let e = decide_default(&a, t("2026-04-12T10:01")).unwrap(); // allow-panic: test code
    assert_eq!(
        e,
        AuctionEvent::Defaulted {
            bidder: "u1".into(),
            forfeited: fen(7_000_000),
            at: t("2026-04-12T10:01"),
        }
    );
    a.apply(&e);
    // The forfeited deposit is not released; the other one is.
    assert_eq!(
        deposit_releases(&a)
            .iter()
            .map(|d| d.bidder.as_str())
            .collect::<Vec<_>>(),
        vec!["u2"]
    );
    assert_eq!(a.barred_for_next(), vec!["key-1".to_owned()]);
    assert_eq!(
        code(decide_balance_payment(
            &a,
            fen(73_000_000),
            t("2026-04-12T10:02")
        )),
        "not_sold"
    );
    // The re-auction (same round) bars the defaulter.
    let mut p = plan();
    p.announced_at = t("2026-04-13T10:00");
    p.starts_at = t("2026-05-20T10:00");
    p.ends_at = t("2026-05-21T10:00");
    let mut re = announce(Round::First, &p, Some(&a));
    assert!(re.barred_keys.contains("key-1"));
    assert_eq!(
        code(decide_register(
            &re,
            &registration(1),
            t("2026-04-20T10:00")
        )),
        "bidder_barred"
    );
    assert!(decide_register(&re, &registration(2), t("2026-04-20T10:00")).is_ok());
    // Even if registered before the bar was known, the bid is refused.
    re.apply(&AuctionEvent::BidderRegistered {
        bidder: "u1".into(),
        paddle: 9,
        real_name: "x".into(),
        identifier: "x".into(),
        identity_key: "key-1".into(),
        at: t("2026-04-20T10:00"),
    });
    re.apply(&AuctionEvent::DepositPaid {
        bidder: "u1".into(),
        amount: fen(7_000_000),
        at: t("2026-04-20T10:00"),
    });
    assert_eq!(
        code(decide_bid(
            &re,
            &bid("x", 1, 70_000_000),
            t("2026-05-20T11:00")
        )),
        "bidder_barred"
    );
}

fn failed_second() -> Auction {
    let first = failed_first();
    let mut s = announce(Round::Second, &second_plan(), Some(&first));
    closed(&mut s, t("2026-04-26T10:00"));
    s
}

#[test]
fn a_sell_off_follows_a_failed_second_auction_and_its_first_offer_opens_24_hours() {
    let (r, c) = (rules(), calendar());
    let x = ctx(&r, &c, date(2026, 4, 27));
    assert_eq!(
        code(decide_sell_off(
            "s",
            &failed_first(),
            t("2026-04-27T10:00"),
            &x
        )),
        "wrong_round"
    );
    let second = failed_second();
    assert_eq!(
        code(decide_sell_off("s", &second, t("2026-04-26T09:00"), &x)),
        "bad_schedule"
    );
    let e = decide_sell_off("s", &second, t("2026-04-27T10:00"), &x).unwrap(); // allow-panic: test code
    let mut s = Auction::from_announced(&e).unwrap(); // allow-panic: test code
    assert_eq!(s.round, Round::SellOff);
    assert_eq!(s.plan.start_price, fen(56_000_000));
    assert_eq!(s.ends_at, t("2026-06-26T10:00"), "60 days");
    let mut log = vec![e];
    join(&mut s, &mut log, 1, t("2026-05-10T10:00"));
    join(&mut s, &mut log, 2, t("2026-05-10T10:00"));
    assert_eq!(
        code(place(
            &mut s,
            &mut log,
            &bid("a", 1, 55_999_999),
            t("2026-05-20T10:00")
        )),
        "bid_below_minimum"
    );
    let first = placed(
        &mut s,
        &mut log,
        &bid("a", 1, 56_000_000),
        t("2026-05-20T10:00"),
    );
    assert_eq!(first.ends_at, t("2026-05-21T10:00"));
    // The same five-minute rule in the 24 hours.
    let b = placed(
        &mut s,
        &mut log,
        &bid("b", 2, 56_100_000),
        t("2026-05-21T09:58"),
    );
    assert_eq!(b.ends_at, t("2026-05-21T10:03"));
    closed(&mut s, t("2026-05-21T10:03"));
    assert!(matches!(&s.status, AuctionStatus::Sold(Sale { winner, .. }) if winner == "u2"));
    assert_eq!(
        Auction::fold(&log).map(|mut a| {
            a.apply(&close(&a, t("2026-05-21T10:03")).unwrap()); // allow-panic: test code
            a
        }),
        Some(s)
    );

    // Nobody offers in 60 days: the sell-off fails.
    let e = decide_sell_off("s2", &second, t("2026-04-27T10:00"), &x).unwrap(); // allow-panic: test code
    let mut quiet = Auction::from_announced(&e).unwrap(); // allow-panic: test code
    assert_eq!(
        code(close(&quiet, t("2026-06-26T09:59"))),
        "bidding_not_over"
    );
    closed(&mut quiet, t("2026-06-26T10:00"));
    assert_eq!(quiet.status, AuctionStatus::Failed);
}

/// splitmix64: a small seeded generator, so a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Runs `attempts` random bids of `bidders` bidders (a few of them preemptive-right holders)
/// against one auction and checks the outcome and the replay.
fn crowd(seed: u64, bidders: u32, attempts: usize) -> Auction {
    let mut rng = Rng(seed);
    let mut a = announce(Round::First, &plan(), None);
    let mut log = vec![AuctionEvent::Announced {
        auction_id: a.id.clone(),
        round: a.round,
        plan: a.plan.clone(),
        reference: a.reference,
        first_start_price: a.first_start_price,
        terms: a.terms,
        debtor_keys: a.debtor_keys.iter().cloned().collect(),
        barred_keys: Vec::new(),
    }];
    let reg = t("2026-03-10T10:00");
    for n in 1..=bidders {
        if rng.below(25) == 0 {
            let rank = 1 + u32::try_from(rng.below(4)).unwrap(); // allow-panic: test code
            holder(&mut a, &mut log, n, rank, reg);
        } else {
            join(&mut a, &mut log, n, reg);
        }
    }
    let setup = log.len();
    // Arrival times: spread over the day, with a crowd in the last minutes, in order (the
    // server's clock); which bidder comes when is random.
    let start = a.plan.starts_at;
    let day = a.plan.ends_at.duration_since(start).as_secs();
    let mut times: Vec<Timestamp> = (0..attempts)
        .map(|_| {
            let off = if rng.below(3) == 0 {
                day - 600 + i64::try_from(rng.below(1800)).unwrap() // allow-panic: test code
            } else {
                i64::try_from(rng.below(u64::try_from(day).unwrap())).unwrap() // allow-panic: test code
            };
            start.checked_add(SignedDuration::from_secs(off)).unwrap() // allow-panic: test code
        })
        .collect();
    times.sort();
    let inc = a.plan.increment.get();
    let mut sent: Vec<(Bid, Timestamp)> = Vec::new();
    let mut accepted_decisions = 0usize;
    for (i, at) in times.into_iter().enumerate() {
        let b = if !sent.is_empty() && rng.below(10) == 0 {
            // A retry of an earlier request (same key and content), or a key reused for
            // another amount.
            let (old, _) = sent[usize::try_from(rng.below(sent.len() as u64)).unwrap()].clone(); // allow-panic: test code
            if rng.below(2) == 0 {
                old
            } else {
                Bid {
                    amount: fen(old.amount.get() + inc),
                    ..old
                }
            }
        } else {
            let n = 1 + u32::try_from(rng.below(u64::from(bidders))).unwrap(); // allow-panic: test code
            let cur = a.current_price().map_or(a.plan.start_price.get(), Fen::get);
            let amount = match rng.below(6) {
                0 => cur - 1,
                1 => cur,
                2 => cur + inc - 1,
                3 => cur + inc,
                _ => cur + inc * i64::try_from(1 + rng.below(5)).unwrap(), // allow-panic: test code
            };
            bid(&format!("k{i}"), n, amount.max(1))
        };
        let before = log.len();
        let was_known = a.keys.get(&b.key).map(|j| a.bids[*j].clone());
        match place(&mut a, &mut log, &b, at) {
            Ok(acc) => {
                accepted_decisions += 1;
                if let Some(earlier) = was_known {
                    assert_eq!(acc, earlier, "a retry answers as before");
                    assert_eq!(log.len(), before, "a retry records nothing");
                } else {
                    assert_eq!(log.len(), before + 1);
                }
            }
            Err(r) => {
                assert_eq!(log.len(), before);
                assert!(!r.code.is_empty());
            }
        }
        sent.push((b, at));
    }
    assert!(accepted_decisions >= a.bids.len());
    let end = a.ends_at;
    let e = close(&a, end).unwrap(); // allow-panic: test code
    a.apply(&e);
    log.push(e);

    // Exactly one winner, at the highest price bid; among bids at that price the holder of
    // the highest rank, then the earliest.
    if a.bids.is_empty() {
        assert_eq!(a.status, AuctionStatus::Failed);
    } else {
        let max = a.bids.iter().map(|b| b.amount).max().unwrap(); // allow-panic: test code
        let expected = a
            .bids
            .iter()
            .filter(|b| b.amount == max)
            .min_by_key(|b| (b.preemptive_rank.unwrap_or(u32::MAX), b.seq))
            .unwrap(); // allow-panic: test code
        match &a.status {
            AuctionStatus::Sold(Sale { winner, price, .. }) => {
                assert_eq!((winner, *price), (&expected.bidder, max));
            }
            other => panic!("seed {seed}: {other:?}"),
        }
    }
    // The log obeys the rules on its own: prices never fall, each bid came before the end
    // then in force and moved it by the extension rule.
    let mut end = a.plan.ends_at;
    let mut prev: Option<&AcceptedBid> = None;
    for b in &a.bids {
        assert!(
            b.at >= start && b.at < end,
            "seed {seed}: bid {} after the end",
            b.seq
        );
        assert_eq!(b.ends_at, end.max(b.at.checked_add(mins(5)).unwrap())); // allow-panic: test code
        if let Some(p) = prev {
            assert!(
                b.amount.get() >= p.amount.get() + inc
                    || (b.amount == p.amount && b.preemptive_rank.is_some()),
                "seed {seed}: bid {}",
                b.seq
            );
        } else {
            assert!(b.amount >= a.plan.start_price);
        }
        end = b.ends_at;
        prev = Some(b);
    }
    // Folding the log again, or its JSON, gives the same state.
    assert_eq!(Auction::fold(&log).as_ref(), Some(&a));
    let json = serde_json::to_string(&log).unwrap(); // allow-panic: test code
    let back: Vec<AuctionEvent> = serde_json::from_str(&json).unwrap(); // allow-panic: test code
    assert_eq!(Auction::fold(&back).as_ref(), Some(&a));
    // Deciding the logged bids afresh from the registrations gives the same events.
    let mut again = Auction::fold(&log[..setup]).unwrap(); // allow-panic: test code
    for b in &a.bids {
        let d = decide_bid(
            &again,
            &Bid {
                key: b.key.clone(),
                bidder: b.bidder.clone(),
                amount: b.amount,
            },
            b.at,
        )
        .unwrap(); // allow-panic: test code
        assert_eq!(d.events, vec![AuctionEvent::BidAccepted(b.clone())]);
        for e in &d.events {
            again.apply(e);
        }
    }
    again.apply(&close(&again, a.ends_at).unwrap()); // allow-panic: test code
    assert_eq!(again, a);
    a
}

#[test]
fn five_hundred_bidders_end_with_one_winner_and_a_log_that_replays() {
    for seed in [1, 2, 3, 20_260_401] {
        let a = crowd(seed, 500, 5_000);
        let holders = a
            .bids
            .iter()
            .filter(|b| b.preemptive_rank.is_some())
            .count();
        let extended = a.ends_at > a.plan.ends_at;
        assert!(
            a.bids.len() > 500 && holders > 0 && extended,
            "seed {seed}: {} bids, {holders} by holders, end {}",
            a.bids.len(),
            a.ends_at
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn any_crowd_replays_to_the_same_result(seed in any::<u64>(), bidders in 2u32..60, attempts in 1usize..400) {
        crowd(seed, bidders, attempts);
    }
}
