use jiff::civil::date;
use proptest::prelude::*;

use super::*;

fn fen(v: i64) -> Fen {
    Fen::new(v).unwrap_or_default()
}

fn claim(party_no: u32, amount: i64, rank: Rank) -> Claim {
    Claim {
        party_no,
        amount: fen(amount),
        rank,
    }
}

#[test]
fn an_entry_balances_and_has_no_zero_line() {
    let line = |account, side, amount| Posting {
        account,
        side,
        amount: fen(amount),
    };
    assert_eq!(
        Entry::new(vec![line(Account::CourtBank, Side::Debit, 5)]),
        Err(FundsError::Unbalanced)
    );
    assert_eq!(
        Entry::new(vec![
            line(Account::CourtBank, Side::Debit, 5),
            line(Account::Undistributed, Side::Credit, 4),
        ]),
        Err(FundsError::Unbalanced)
    );
    assert_eq!(
        Entry::new(vec![
            line(Account::CourtBank, Side::Debit, 0),
            line(Account::Undistributed, Side::Credit, 0),
        ]),
        Err(FundsError::NotPositive)
    );
    assert_eq!(Entry::new(vec![]), Err(FundsError::Unbalanced));
    assert!(
        Entry::new(vec![
            line(Account::CourtBank, Side::Debit, 5),
            line(Account::Applicant(1), Side::Credit, 2),
            line(Account::Undistributed, Side::Credit, 3),
        ])
        .is_ok()
    );
}

#[test]
fn accounts_are_named_and_parsed_back() {
    for a in [
        Account::CourtBank,
        Account::Undistributed,
        Account::Applicant(7),
    ] {
        assert_eq!(Account::parse(&a.to_string()), Some(a));
    }
    assert_eq!(Account::parse("applicant:x"), None);
    assert_eq!(Account::parse("debtor"), None);
}

#[test]
fn money_moves_in_through_allotment_and_out_never_below_zero() -> Result<(), FundsError> {
    let mut b = Balances::default();
    b.post(&Entry::receipt(fen(10_000))?)?;
    b.post(&Entry::receipt(fen(5_000))?)?;
    assert_eq!((b.held(), b.undistributed()), (fen(15_000), fen(15_000)));
    b.post(&Entry::allocation(1, fen(9_000))?)?;
    assert_eq!((b.undistributed(), b.payable(1)), (fen(6_000), fen(9_000)));
    // More than is undistributed cannot be allotted, and the refusal changes nothing.
    let before = b.clone();
    assert_eq!(
        b.post(&Entry::allocation(2, fen(6_001))?),
        Err(FundsError::Insufficient {
            account: Account::Undistributed,
            held: fen(6_000),
            needed: fen(6_001)
        })
    );
    assert_eq!(b, before);
    // Nor can more be transferred than was approved for that applicant.
    assert!(matches!(
        b.post(&Entry::transfer(1, fen(9_001))?),
        Err(FundsError::Insufficient { .. })
    ));
    assert!(matches!(
        b.post(&Entry::transfer(2, fen(1))?),
        Err(FundsError::Insufficient { .. })
    ));
    b.post(&Entry::transfer(1, fen(9_000))?)?;
    assert_eq!(
        (b.held(), b.undistributed(), b.payable(1)),
        (fen(6_000), fen(6_000), Fen::ZERO)
    );
    assert_eq!(b.payables().count(), 0);
    Ok(())
}

#[test]
fn reserved_proposals_lower_what_a_payout_may_take() -> Result<(), FundsError> {
    let b = Balances::of(&[Entry::receipt(fen(1_000))?])?;
    assert_eq!(check_payout(&b, fen(600), fen(400)), Ok(()));
    assert_eq!(
        check_payout(&b, fen(600), fen(401)),
        Err(FundsError::Insufficient {
            account: Account::Undistributed,
            held: fen(400),
            needed: fen(401)
        })
    );
    assert_eq!(
        check_payout(&b, Fen::ZERO, Fen::ZERO),
        Err(FundsError::NotPositive)
    );
    let r = Refusal::from(FundsError::Insufficient {
        account: Account::Undistributed,
        held: fen(1),
        needed: fen(2),
    });
    assert_eq!(r.code, "insufficient_funds");
    assert_eq!(r.kind, crate::refusal::RefusalKind::Conflict);
    assert_eq!(
        (r.params.get("held"), r.params.get("needed")),
        (
            Some(&crate::refusal::Param::Money(fen(1))),
            Some(&crate::refusal::Param::Money(fen(2)))
        )
    );
    Ok(())
}

#[test]
fn the_payout_limit_comes_from_the_rule_book_and_ends_on_a_working_day() -> Result<(), Refusal> {
    let rules = crate::testing::rules_of(&["funds.toml"]);
    let cal = crate::testing::calendar();
    // 2025-03-03 + 30 days = 2025-04-02, a Wednesday.
    assert_eq!(
        payout_due(date(2025, 3, 3), &rules, &cal, "110105")?,
        date(2025, 4, 2)
    );
    // 2025-09-01 + 30 days = 2025-10-01, National Day: the next working day is 10-09.
    assert_eq!(
        payout_due(date(2025, 9, 1), &rules, &cal, "110105")?,
        date(2025, 10, 9)
    );
    // Before the 2017 provisions there is no rule: refused, not guessed.
    assert_eq!(
        payout_due(date(2016, 1, 4), &rules, &cal, "110105").map_err(|r| r.code),
        Err("rule_unavailable")
    );
    Ok(())
}

#[test]
fn overdue_means_past_due_with_money_still_held() {
    let due = date(2025, 4, 2);
    assert!(!overdue(due, fen(1), due));
    assert!(overdue(due, fen(1), date(2025, 4, 3)));
    assert!(!overdue(due, Fen::ZERO, date(2025, 4, 3)));
}

#[test]
fn transfers_settle_the_oldest_receipts_first() {
    assert_eq!(
        settle(&[fen(100), fen(50), fen(70)], fen(120)),
        vec![fen(100), fen(20), Fen::ZERO]
    );
    assert_eq!(settle(&[fen(10)], fen(25)), vec![fen(10)]);
}

#[test]
fn distribution_pays_costs_then_priority_then_ordinary_pro_rata() -> Result<(), FundsError> {
    let claims = [
        claim(1, 60_000, Rank::Ordinary),
        claim(2, 10_000, Rank::Costs),
        claim(3, 30_000, Rank::Ordinary),
        claim(4, 20_000, Rank::Priority),
    ];
    let shares: Vec<i64> = distribute(fen(60_000), &claims)?
        .iter()
        .map(|s| s.share.get())
        .collect();
    // 10,000 costs, 20,000 priority, the remaining 30,000 split 2:1.
    assert_eq!(shares, vec![20_000, 10_000, 10_000, 20_000]);
    // Thirds of 100 fen: 34 + 33 + 33, the extra fen to the earliest of equal remainders.
    let thirds: Vec<i64> = distribute(
        fen(100),
        &[
            claim(1, 300, Rank::Ordinary),
            claim(2, 300, Rank::Ordinary),
            claim(3, 300, Rank::Ordinary),
        ],
    )?
    .iter()
    .map(|s| s.share.get())
    .collect();
    assert_eq!(thirds, vec![34, 33, 33]);
    // More than enough: everyone in full, the rest stays in the account.
    let full: i64 = distribute(fen(1_000_000), &claims)?
        .iter()
        .map(|s| s.share.get())
        .sum();
    assert_eq!(full, 120_000);
    assert_eq!(distribute(fen(1), &[]), Err(FundsError::NoClaims));
    assert_eq!(
        distribute(fen(1), &[claim(1, 0, Rank::Costs)]),
        Err(FundsError::NotPositive)
    );
    Ok(())
}

fn arb_claim() -> impl Strategy<Value = Claim> {
    (1u32..20, 1i64..=MAX_FEN / 64, 0usize..3).prop_map(|(p, a, r)| Claim {
        party_no: p,
        amount: fen(a),
        rank: Rank::ALL[r],
    })
}

fn arb_small_claim() -> impl Strategy<Value = Claim> {
    (1u32..20, 1i64..10_000, 0usize..3).prop_map(|(p, a, r)| Claim {
        party_no: p,
        amount: fen(a),
        rank: Rank::ALL[r],
    })
}

fn check_plan(amount: i64, claims: &[Claim]) -> Result<(), TestCaseError> {
    let shares = distribute(fen(amount), claims).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(shares.len(), claims.len());
    let total: i128 = claims.iter().map(|c| i128::from(c.amount.get())).sum();
    let paid: i128 = shares.iter().map(|s| i128::from(s.share.get())).sum();
    prop_assert_eq!(paid, total.min(i128::from(amount)), "shares sum exactly");
    for (s, c) in shares.iter().zip(claims) {
        prop_assert!(s.share <= c.amount, "no share above its claim");
        prop_assert_eq!(
            (s.party_no, s.rank, s.claimed),
            (c.party_no, c.rank, c.amount)
        );
    }
    for high in Rank::ALL {
        for low in Rank::ALL.into_iter().filter(|r| *r > high) {
            let lower_gets = shares.iter().any(|s| s.rank == low && s.share > Fen::ZERO);
            let higher_full = shares
                .iter()
                .filter(|s| s.rank == high)
                .all(|s| s.share == s.claimed);
            prop_assert!(
                !lower_gets || higher_full,
                "{high:?} is paid in full before {low:?} gets anything"
            );
        }
    }
    // Within a rank, a larger claim never gets less than a smaller one.
    for a in &shares {
        for b in shares
            .iter()
            .filter(|b| b.rank == a.rank && b.claimed > a.claimed)
        {
            prop_assert!(b.share >= a.share);
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn distribution_of_small_sums(amount in 0i64..100_000, claims in prop::collection::vec(arb_small_claim(), 1..12)) {
        check_plan(amount, &claims)?;
    }

    #[test]
    fn distribution_of_large_sums(amount in 0i64..=MAX_FEN, claims in prop::collection::vec(arb_claim(), 1..12)) {
        check_plan(amount, &claims)?;
    }

    #[test]
    fn balances_never_go_below_zero(ops in prop::collection::vec((0u8..3, 1u32..4, 1i64..5_000), 0..60)) {
        let mut b = Balances::default();
        for (kind, party, amount) in ops {
            let e = match kind {
                0 => Entry::receipt(fen(amount)),
                1 => Entry::allocation(party, fen(amount)),
                _ => Entry::transfer(party, fen(amount)),
            }.map_err(|e| TestCaseError::fail(e.to_string()))?;
            let _ = b.post(&e);
            let payable: i64 = b.payables().map(|(_, v)| v.get()).sum();
            prop_assert_eq!(b.held().get(), b.undistributed().get() + payable, "the ledger balances");
        }
    }
}

#[test]
fn money_goes_to_applicants_and_claims_are_named_once() {
    let party = |no, role| crate::case::PartyRecord {
        no,
        role,
        kind: "person".into(),
        name: format!("当事人{no}"),
        identifier: String::new(),
        legal_representative: None,
    };
    let parties = [
        party(1, crate::case::PartyRole::Applicant),
        party(2, crate::case::PartyRole::Respondent),
    ];
    assert_eq!(check_payee(&parties, 1), Ok(()));
    let code = |r: Result<(), Refusal>| r.err().map(|r| r.code);
    assert_eq!(code(check_payee(&parties, 2)), Some("not_an_applicant"));
    assert_eq!(code(check_payee(&parties, 3)), Some("unknown_party"));
    let one = claim(1, 10, Rank::Ordinary);
    assert_eq!(check_claims(&[one], 2), Ok(()));
    assert_eq!(code(check_claims(&[], 2)), Some("no_claims"));
    assert_eq!(code(check_claims(&[one; 3], 2)), Some("no_claims"));
    assert_eq!(code(check_claims(&[one, one], 2)), Some("duplicate_claim"));
    assert_eq!(
        code(check_claims(&[claim(1, 0, Rank::Costs)], 2)),
        Some("invalid_amount")
    );
    let max = check_claims(&[], 200)
        .err()
        .and_then(|r| r.params.get("max").cloned());
    assert_eq!(max, Some(crate::refusal::Param::Int(200)));
}

#[test]
fn deposits_are_held_apart_refunded_or_applied_never_paid_out() -> Result<(), FundsError> {
    let mut b = Balances::default();
    b.post(&Entry::deposit_received(fen(1_000))?)?;
    b.post(&Entry::deposit_received(fen(1_500))?)?;
    assert_eq!(
        (b.held(), b.get(Account::Deposits)),
        (fen(2_500), fen(2_500))
    );
    // Held for the bidders: nothing is available for a payout.
    assert!(check_payout(&b, Fen::ZERO, fen(1)).is_err());
    let refund = Entry::deposit_refunded(fen(1_000))?;
    b.post(&refund)?;
    b.post(&Entry::deposit_applied(fen(1_500))?)?;
    assert_eq!(
        (b.held(), b.get(Account::Deposits), b.undistributed()),
        (fen(1_500), Fen::ZERO, fen(1_500))
    );
    // A refund the account does not hold is refused.
    assert!(matches!(
        b.post(&refund),
        Err(FundsError::Insufficient {
            account: Account::Deposits,
            ..
        })
    ));
    assert_eq!(Account::parse("deposits"), Some(Account::Deposits));
    assert_eq!(
        Source::parse("auction_deposit"),
        Some(Source::AuctionDeposit)
    );
    assert_eq!(Source::AuctionDeposit.label(), "保证金");
    Ok(())
}
