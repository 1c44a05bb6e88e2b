#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::date;

use super::*;
use crate::case::{Amounts, Basis, BasisKind, PartyRecord};
use crate::case_number::CaseType;
use crate::rules::RuleBook;
use crate::testing::{calendar, ctx, rules_of};
/// The rule files these tests were written against.
fn rules() -> RuleBook {
    rules_of(&["case.toml", "credit.toml"])
}

fn party(no: u32, role: PartyRole, kind: &str, rep: Option<&str>) -> PartyRecord {
    PartyRecord {
        no,
        role,
        kind: kind.into(),
        name: format!("当事人{no}"),
        identifier: "1101**********0010".into(),
        legal_representative: rep.map(str::to_owned),
    }
}

fn case() -> CaseState {
    let e = CaseEvent::Filed {
        number: "(2025)京0105执1号".into(),
        case_type: CaseType::Zhi,
        court_id: "b110105".into(),
        filed_on: date(2025, 3, 3),
        parties: vec![
            party(1, PartyRole::Applicant, "person", None),
            party(2, PartyRole::Respondent, "person", None),
            party(3, PartyRole::Respondent, "organisation", Some("王五")),
        ],
        basis: Basis {
            kind: BasisKind::Judgment,
            issuing_body: "北京市朝阳区人民法院".into(),
            document_number: "(2024)京0105民初1号".into(),
            effective_date: date(2024, 12, 1),
            performance_deadline: date(2024, 12, 20),
        },
        amounts: Amounts {
            principal: Fen::new(1_000_000).unwrap(), // allow-panic: test code
            ..Amounts::default()
        },
        duties: String::new(),
        late_reason: None,
        resumed_from: None,
    };
    CaseState::from_filed(&e).unwrap() // allow-panic: test code
}

fn req(party_no: u32, grounds: &[u8]) -> ListingRequest {
    ListingRequest {
        party_no,
        grounds: grounds.iter().filter_map(|n| Ground::from_no(*n)).collect(),
        facts: "拒不申报财产，隐匿收入".into(),
        bound_persons: vec![],
    }
}

const ADULT: ListingFacts = ListingFacts {
    birth_date: Some(date(1980, 1, 1)),
    controlled: Fen::ZERO,
};

fn apply(s: &mut CaseState, es: &[CaseEvent]) {
    for e in es {
        s.apply(e);
    }
}

#[test]
fn listing_lasts_two_years_and_brings_its_restriction_order() {
    let (r, c) = (rules(), calendar());
    let today = date(2025, 6, 10);
    let mut s = case();
    let es = decide_listing(&s, &req(2, &[4]), ADULT, &ctx(&r, &c, today)).unwrap(); // allow-panic: test code
    assert_eq!(es.len(), 2, "the mandatory order comes with the listing");
    apply(&mut s, &es);
    let l = s.credit.listing(1).unwrap(); // allow-panic: test code
    assert_eq!(l.ends_on, Some(date(2027, 6, 10)));
    let o = s.credit.order_in_force(2).unwrap(); // allow-panic: test code
    assert_eq!(o.kinds.len(), 9);
    assert_eq!(o.listing_no, Some(1));
    assert!(s.has(ActionKindCheck::LISTING) && s.has(ActionKindCheck::ORDER));
    // Listed again on the same case: refused.
    let again = decide_listing(&s, &req(2, &[2]), ADULT, &ctx(&r, &c, today)).unwrap_err();
    assert_eq!(again.code, "already_listed");
}

struct ActionKindCheck;
impl ActionKindCheck {
    const LISTING: crate::case::ActionKind = crate::case::ActionKind::DishonestListing;
    const ORDER: crate::case::ActionKind = crate::case::ActionKind::ConsumptionRestriction;
}

#[test]
fn minors_applicants_and_closed_cases_are_refused() {
    let (r, c) = (rules(), calendar());
    let today = date(2025, 6, 10);
    let s = case();
    let minor = ListingFacts {
        birth_date: Some(date(2007, 6, 11)),
        controlled: Fen::ZERO,
    };
    assert_eq!(
        decide_listing(&s, &req(2, &[2]), minor, &ctx(&r, &c, today))
            .unwrap_err()
            .code,
        "minor"
    );
    let eighteen = ListingFacts {
        birth_date: Some(date(2007, 6, 10)),
        controlled: Fen::ZERO,
    };
    assert!(decide_listing(&s, &req(2, &[2]), eighteen, &ctx(&r, &c, today)).is_ok());
    assert_eq!(
        decide_listing(&s, &req(1, &[2]), ADULT, &ctx(&r, &c, today))
            .unwrap_err()
            .code,
        "not_a_respondent"
    );
    assert_eq!(
        decide_listing(&s, &req(2, &[]), ADULT, &ctx(&r, &c, today))
            .unwrap_err()
            .code,
        "invalid_listing"
    );
    let mut closed = case();
    closed.apply(&CaseEvent::Closed {
        mode: ClosureMode::Withdrawn,
        reason: "撤回申请".into(),
        on: today,
    });
    assert_eq!(
        decide_listing(&closed, &req(2, &[2]), ADULT, &ctx(&r, &c, today))
            .unwrap_err()
            .code,
        "case_closed"
    );
}

#[test]
fn ground_one_needs_uncovered_debt_and_has_no_end() {
    let (r, c) = (rules(), calendar());
    let today = date(2025, 6, 10);
    let s = case();
    let covered = ListingFacts {
        birth_date: None,
        controlled: Fen::new(1_000_000).unwrap(), // allow-panic: test code
    };
    assert_eq!(
        decide_listing(&s, &req(2, &[1]), covered, &ctx(&r, &c, today))
            .unwrap_err()
            .code,
        "ground_not_applicable"
    );
    // Another ground is not affected by the controlled property.
    assert!(decide_listing(&s, &req(2, &[3]), covered, &ctx(&r, &c, today)).is_ok());
    let partly = ListingFacts {
        birth_date: None,
        controlled: Fen::new(999_999).unwrap(), // allow-panic: test code
    };
    let es = decide_listing(&s, &req(2, &[1]), partly, &ctx(&r, &c, today)).unwrap(); // allow-panic: test code
    let mut s2 = s.clone();
    apply(&mut s2, &es);
    assert_eq!(s2.credit.listing(1).unwrap().ends_on, None); // allow-panic: test code
    assert_eq!(
        decide_extension(&s2, 1, 1, "情节严重", &ctx(&r, &c, today))
            .unwrap_err()
            .code,
        "not_extendable"
    );
}

#[test]
fn extension_is_one_to_three_years_once() {
    let (r, c) = (rules(), calendar());
    let today = date(2025, 6, 10);
    let mut s = case();
    let es = decide_listing(&s, &req(2, &[2, 4]), ADULT, &ctx(&r, &c, today)).unwrap(); // allow-panic: test code
    apply(&mut s, &es);
    for bad in [0, 4] {
        assert_eq!(
            decide_extension(&s, 1, bad, "多项失信行为", &ctx(&r, &c, today))
                .unwrap_err()
                .code,
            "invalid_extension"
        );
    }
    let e = decide_extension(&s, 1, 3, "多项失信行为", &ctx(&r, &c, today)).unwrap(); // allow-panic: test code
    s.apply(&e);
    assert_eq!(
        s.credit.listing(1).unwrap().ends_on, // allow-panic: test code
        Some(date(2030, 6, 10))
    );
    assert_eq!(
        decide_extension(&s, 1, 1, "多项失信行为", &ctx(&r, &c, today))
            .unwrap_err()
            .code,
        "already_extended"
    );
}

#[test]
fn removal_records_trigger_and_due_day_and_happens_once() {
    let (r, c) = (rules(), calendar());
    let today = date(2025, 9, 30);
    let mut s = case();
    let es = decide_listing(&s, &req(2, &[2]), ADULT, &ctx(&r, &c, today)).unwrap(); // allow-panic: test code
    apply(&mut s, &es);
    assert_eq!(
        decide_removal(
            &s,
            1,
            RemovalTrigger::Performed,
            "已履行完毕",
            None,
            &ctx(&r, &c, today)
        )
        .unwrap_err()
        .code,
        "trigger_not_shown"
    );
    let e = decide_removal(
        &s,
        1,
        RemovalTrigger::ApplicantRequest,
        "申请执行人书面申请",
        None,
        &ctx(&r, &c, today),
    )
    .unwrap(); // allow-panic: test code
    s.apply(&e);
    let rm = s.credit.listing(1).unwrap().removal.clone().unwrap(); // allow-panic: test code
    // Three working days across the National Day holiday.
    assert_eq!(rm.due_by, date(2025, 10, 11));
    assert_eq!(
        decide_removal(
            &s,
            1,
            RemovalTrigger::EarlyDecision,
            "提前删除",
            None,
            &ctx(&r, &c, today)
        )
        .unwrap_err()
        .code,
        "already_removed"
    );
    // The order may now be lifted.
    assert!(decide_lift(&s, 1, "已删除失信信息", today).is_ok());
}

#[test]
fn trigger_shown_by_payment_or_closure() {
    let mut s = case();
    assert_eq!(trigger_shown(&s), None);
    s.apply(&CaseEvent::PaymentRecorded {
        amount: Fen::new(1_000_000).unwrap(), // allow-panic: test code
        on: date(2025, 6, 1),
        note: String::new(),
    });
    assert_eq!(trigger_shown(&s), Some(RemovalTrigger::Performed));
}

#[test]
fn expiry_after_the_last_day_only() {
    let (r, c) = (rules(), calendar());
    let mut s = case();
    let es = decide_listing(&s, &req(2, &[2]), ADULT, &ctx(&r, &c, date(2024, 1, 10))).unwrap(); // allow-panic: test code
    apply(&mut s, &es);
    assert!(decide_expiry(&s, 1, &ctx(&r, &c, date(2026, 1, 10))).is_err());
    let e = decide_expiry(&s, 1, &ctx(&r, &c, date(2026, 1, 11))).unwrap(); // allow-panic: test code
    s.apply(&e);
    let l = s.credit.listing(1).unwrap(); // allow-panic: test code
    assert_eq!(l.status, ListingStatus::Removed);
    assert_eq!(l.removal.as_ref().unwrap().trigger, RemovalTrigger::Expired); // allow-panic: test code
}

#[test]
fn corrections_are_reviewed_and_decided_once() {
    let (r, c) = (rules(), calendar());
    let today = date(2025, 6, 10);
    let mut s = case();
    let es = decide_listing(&s, &req(2, &[2]), ADULT, &ctx(&r, &c, today)).unwrap(); // allow-panic: test code
    apply(&mut s, &es);
    let e = decide_correction_request(&s, 1, "本人已履行，名单有误", &ctx(&r, &c, today)).unwrap(); // allow-panic: test code
    s.apply(&e);
    assert_eq!(s.credit.corrections[0].review_due, date(2025, 6, 25));
    assert_eq!(
        decide_correction(&s, 1, false, "", None, &ctx(&r, &c, today))
            .unwrap_err()
            .code,
        "invalid_text"
    );
    let es =
        decide_correction(&s, 1, true, "理由成立，予以纠正", None, &ctx(&r, &c, today)).unwrap(); // allow-panic: test code
    apply(&mut s, &es);
    assert_eq!(s.credit.listing(1).unwrap().status, ListingStatus::Removed); // allow-panic: test code
    assert_eq!(
        decide_correction(&s, 1, false, "理由不成立", None, &ctx(&r, &c, today))
            .unwrap_err()
            .code,
        "already_decided"
    );
}

#[test]
fn organisation_orders_bind_named_persons() {
    let today = date(2025, 6, 10);
    let s = case();
    let e =
        decide_restriction(&s, 3, &["赵六".into(), "王五".into()], "限制高消费", today).unwrap(); // allow-panic: test code
    let CaseEvent::RestrictionOrdered { bound_persons, .. } = &e else {
        panic!("an order"); // allow-panic: test code
    };
    assert_eq!(bound_persons, &vec!["王五".to_owned(), "赵六".to_owned()]);
    assert_eq!(
        decide_restriction(&s, 2, &["赵六".into()], "限制高消费", today)
            .unwrap_err()
            .code,
        "bound_persons_not_applicable"
    );
    let mut s2 = s.clone();
    s2.apply(&e);
    assert_eq!(
        decide_restriction(&s2, 3, &[], "限制高消费", today)
            .unwrap_err()
            .code,
        "already_ordered"
    );
    assert!(is_minor(date(2008, 1, 1), date(2025, 12, 31), 18));
    assert!(!is_minor(date(2007, 12, 31), date(2025, 12, 31), 18));
}
