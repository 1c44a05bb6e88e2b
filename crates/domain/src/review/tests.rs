#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::{Date, date};

use super::*;
use crate::testing::{calendar, ctx, rules};

fn facts() -> FilingFacts {
    FilingFacts {
        property_disposal_ended: false,
        ruling: None,
        right_court: true,
    }
}

fn claim(id: i64, asset: i64, security: bool) -> PendingReview {
    PendingReview {
        id,
        number: format!("(2026)京0105执异{id}号"),
        kind: ReviewKind::OutsiderObjection,
        challenged: Challenged::Property { asset_id: asset },
        asset_id: Some(asset),
        security_recorded: security,
        suspension_ordered: false,
    }
}

#[test]
fn each_kind_carries_its_case_type() {
    assert_eq!(ReviewKind::ActObjection.case_type(), CaseType::ZhiYi);
    assert_eq!(ReviewKind::OutsiderObjection.case_type(), CaseType::ZhiYi);
    assert_eq!(ReviewKind::Reconsideration.case_type(), CaseType::ZhiFu);
    assert_eq!(ReviewKind::Supervision.case_type(), CaseType::ZhiJian);
}

#[test]
fn a_review_names_what_its_kind_may_challenge_and_is_filed_at_the_right_court() {
    let (r, c) = (rules(), calendar());
    let cx = ctx(&r, &c, date(2026, 3, 2));
    let refused = |kind, what: Challenged, f: &FilingFacts| {
        decide_filing(kind, &what, f, &cx).unwrap_err().code
    };
    assert_eq!(
        refused(
            ReviewKind::OutsiderObjection,
            Challenged::Measure { id: 1 },
            &facts()
        ),
        "review_target_mismatch"
    );
    assert_eq!(
        refused(
            ReviewKind::ActObjection,
            Challenged::Property { asset_id: 1 },
            &facts()
        ),
        "review_target_mismatch"
    );
    let elsewhere = FilingFacts {
        right_court: false,
        ..facts()
    };
    assert_eq!(
        refused(ReviewKind::Supervision, Challenged::Case, &elsewhere),
        "supervision_not_above"
    );
    assert!(
        decide_filing(
            ReviewKind::ActObjection,
            &Challenged::Measure { id: 1 },
            &facts(),
            &cx
        )
        .is_ok()
    );
}

#[test]
fn an_outsider_claims_property_only_before_its_enforcement_ends() {
    let (r, c) = (rules(), calendar());
    let cx = ctx(&r, &c, date(2026, 3, 2));
    let what = Challenged::Property { asset_id: 7 };
    assert!(decide_filing(ReviewKind::OutsiderObjection, &what, &facts(), &cx).is_ok());
    let ended = FilingFacts {
        property_disposal_ended: true,
        ..facts()
    };
    assert_eq!(
        decide_filing(ReviewKind::OutsiderObjection, &what, &ended, &cx)
            .unwrap_err()
            .code,
        "outsider_objection_too_late"
    );
}

#[test]
fn reconsideration_runs_ten_days_from_the_rulings_service_and_only_against_an_act_ruling() {
    let (r, c) = (rules(), calendar());
    let what = Challenged::Ruling { review_id: 3 };
    // Served Friday 2026-03-06: ten days end Monday the 16th.
    let served = |of| FilingFacts {
        ruling: Some(RulingFacts {
            of,
            served_on: Some(date(2026, 3, 6)),
        }),
        ..facts()
    };
    let on = |d: Date| ctx(&r, &c, d);
    assert!(
        decide_filing(
            ReviewKind::Reconsideration,
            &what,
            &served(ReviewKind::ActObjection),
            &on(date(2026, 3, 16))
        )
        .is_ok()
    );
    let late = decide_filing(
        ReviewKind::Reconsideration,
        &what,
        &served(ReviewKind::ActObjection),
        &on(date(2026, 3, 17)),
    )
    .unwrap_err();
    assert_eq!(late.code, "reconsideration_period_over");
    assert!(late.params.get("citation").is_some(), "names the rule");
    assert_eq!(
        decide_filing(
            ReviewKind::Reconsideration,
            &what,
            &served(ReviewKind::OutsiderObjection),
            &on(date(2026, 3, 9))
        )
        .unwrap_err()
        .code,
        "reconsideration_not_allowed"
    );
    let unserved = FilingFacts {
        ruling: Some(RulingFacts {
            of: ReviewKind::ActObjection,
            served_on: None,
        }),
        ..facts()
    };
    assert_eq!(
        decide_filing(
            ReviewKind::Reconsideration,
            &what,
            &unserved,
            &on(date(2026, 3, 9))
        )
        .unwrap_err()
        .code,
        "ruling_unserved"
    );
}

#[test]
fn examination_limits_come_from_the_rule_book_with_at_most_the_presidents_extension() {
    let (r, c) = (rules(), calendar());
    let cx = ctx(&r, &c, date(2026, 3, 2));
    let received = date(2026, 3, 2);
    let objection = examination_due(ReviewKind::ActObjection, received, 0, &cx)
        .unwrap()
        .unwrap();
    assert_eq!(objection, date(2026, 3, 17), "15 days");
    let recon = examination_due(ReviewKind::Reconsideration, received, 0, &cx)
        .unwrap()
        .unwrap();
    assert_eq!(recon, date(2026, 4, 1), "30 days");
    let extended = examination_due(ReviewKind::Reconsideration, received, 30, &cx)
        .unwrap()
        .unwrap();
    assert!(extended > recon);
    assert_eq!(
        examination_due(ReviewKind::Reconsideration, received, 31, &cx)
            .unwrap_err()
            .code,
        "review_extension_too_long"
    );
    assert_eq!(
        examination_due(ReviewKind::ActObjection, received, 5, &cx)
            .unwrap_err()
            .code,
        "review_extension_not_allowed"
    );
    assert_eq!(
        examination_due(ReviewKind::Supervision, received, 0, &cx).unwrap(),
        None
    );
}

#[test]
fn an_objection_to_an_act_holds_nothing_back_unless_the_court_ordered_it() {
    let act = |ordered| PendingReview {
        id: 9,
        number: "(2026)京0105执异9号".into(),
        kind: ReviewKind::ActObjection,
        challenged: Challenged::Measure { id: 4 },
        asset_id: Some(7),
        security_recorded: false,
        suspension_ordered: ordered,
    };
    assert!(check_disposal(7, Disposal::Auction, &[act(false)]).is_ok());
    let e = check_disposal(7, Disposal::Auction, &[act(true)]).unwrap_err();
    assert_eq!(e.code, "property_under_review");
    assert!(check_disposal(8, Disposal::Auction, &[act(true)]).is_ok());
}

/// One step of a random history of an asset under claims.
#[derive(Debug, Clone)]
enum Step {
    Claim(i64),
    Security(usize),
    Rule(usize),
    Dispose(i64, u8),
}

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    prop_oneof![
        (0i64..3).prop_map(Step::Claim),
        (0usize..6).prop_map(Step::Security),
        (0usize..6).prop_map(Step::Rule),
        ((0i64..3), (0u8..3)).prop_map(|(a, h)| Step::Dispose(a, h)),
    ]
}

proptest::proptest! {
    /// Across random sequences of claims, securities, rulings and disposals, no asset is
    /// disposed of while an outsider's claim on it is pending without security; and every
    /// other disposal is allowed.
    #[test]
    fn no_disposal_of_property_under_a_pending_outsider_claim(
        steps in proptest::collection::vec(step(), 0..40)
    ) {
        let mut pending: Vec<PendingReview> = Vec::new();
        let mut next = 1;
        for s in steps {
            match s {
                Step::Claim(asset) => {
                    pending.push(claim(next, asset, false));
                    next += 1;
                }
                Step::Security(i) => {
                    if let Some(r) = pending.get_mut(i) {
                        r.security_recorded = true;
                    }
                }
                Step::Rule(i) => {
                    if i < pending.len() {
                        pending.remove(i);
                    }
                }
                Step::Dispose(asset, h) => {
                    let how = [Disposal::Valuation, Disposal::Auction, Disposal::Payout][usize::from(h)];
                    let blocked = pending
                        .iter()
                        .any(|r| r.asset_id == Some(asset) && !r.security_recorded);
                    let answer = check_disposal(asset, how, &pending);
                    proptest::prop_assert_eq!(answer.is_err(), blocked);
                    if let Err(e) = answer {
                        proptest::prop_assert_eq!(e.code, "property_under_review");
                        let named = e.params.get("review").is_some();
                        proptest::prop_assert!(named, "the refusal names the review case");
                    }
                }
            }
        }
    }
}

#[test]
fn a_ruling_fits_its_kind_and_comes_once() {
    use super::{Outcome, ReviewStatus, decide_ruling};
    assert!(
        decide_ruling(
            ReviewKind::OutsiderObjection,
            ReviewStatus::Examining,
            Outcome::PropertySuspended,
            "理由"
        )
        .is_ok()
    );
    let r = decide_ruling(
        ReviewKind::ActObjection,
        ReviewStatus::Examining,
        Outcome::PropertySuspended,
        "理由",
    );
    assert_eq!(r.map_err(|r| r.code), Err("review_outcome_mismatch"));
    let r = decide_ruling(
        ReviewKind::ActObjection,
        ReviewStatus::Ruled,
        Outcome::Revoked,
        "理由",
    );
    assert_eq!(r.map_err(|r| r.code), Err("review_not_examining"));
    let r = decide_ruling(
        ReviewKind::ActObjection,
        ReviewStatus::Examining,
        Outcome::Revoked,
        "  ",
    );
    assert_eq!(r.map_err(|r| r.code), Err("review_text_length"));
}

#[test]
fn only_a_ruling_on_an_outsiders_claim_is_sued_against_and_holds_until_the_suit_ends() {
    use super::{ReviewStatus, decide_hold_change, decide_suit};
    assert_eq!(
        decide_suit(ReviewKind::OutsiderObjection, ReviewStatus::Ruled, true),
        Ok(ReviewStatus::Suit)
    );
    assert_eq!(
        decide_suit(ReviewKind::OutsiderObjection, ReviewStatus::Suit, false),
        Ok(ReviewStatus::Ended)
    );
    assert!(decide_suit(ReviewKind::ActObjection, ReviewStatus::Ruled, true).is_err());
    assert!(decide_suit(ReviewKind::OutsiderObjection, ReviewStatus::Examining, true).is_err());
    assert!(
        decide_hold_change(ReviewKind::OutsiderObjection, ReviewStatus::Examining, true).is_ok()
    );
    assert!(decide_hold_change(ReviewKind::ActObjection, ReviewStatus::Examining, true).is_err());
    assert!(decide_hold_change(ReviewKind::ActObjection, ReviewStatus::Examining, false).is_ok());
    assert!(decide_hold_change(ReviewKind::OutsiderObjection, ReviewStatus::Ended, true).is_err());
}
