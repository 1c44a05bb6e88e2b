#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::{Date, date};

use super::*;
use crate::case::{ActionKind, Amounts, Basis, BasisKind, NoticeTerms, PartyRecord};
use crate::case_number::CaseType;
use crate::rules::RuleBook;
use crate::testing::{calendar, ctx, notice_served, rules_of};
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

/// A case just filed: no notice, nothing recorded.
fn filed() -> CaseState {
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

/// The notice recorded on `on`, stating `perform_days` and `report_days`.
fn notice(on: Date, perform_days: i64, report_days: i64) -> CaseEvent {
    CaseEvent::ActionRecorded {
        action: ActionKind::NoticeIssued,
        on,
        note: String::new(),
        terms: Some(NoticeTerms {
            perform_days,
            report_days,
        }),
    }
}

fn recorded(action: ActionKind, on: Date, note: &str) -> CaseEvent {
    CaseEvent::ActionRecorded {
        action,
        on,
        note: note.into(),
        terms: None,
    }
}

/// A case whose notice (seven days to perform, ten to report) went out the day after
/// filing: both periods long over by June.
fn case() -> CaseState {
    let mut s = filed();
    notice_served(&mut s, &notice(date(2025, 3, 4), 7, 10), date(2025, 3, 4));
    s
}

/// The codes of a refusal's problems and their `until`, if any.
fn missing(r: &Refusal) -> Vec<(&'static str, Option<String>)> {
    r.problems()
        .iter()
        .map(|p| (p.code, p.params.get("until").map(ToString::to_string)))
        .collect()
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

#[test]
fn a_debtor_is_not_listed_on_the_day_of_filing() {
    // The bug report: listed the day the case was filed, before any notice was served.
    let (r, c) = (rules(), calendar());
    let s = filed();
    let e = decide_listing(&s, &req(2, &[1]), ADULT, &ctx(&r, &c, s.filed_on)).unwrap_err(); // allow-panic: test code
    assert_eq!(e.code, "listing_facts_missing");
    assert_eq!(e.kind, RefusalKind::Conflict);
    assert_eq!(missing(&e), [("notice_missing", None)]);
    assert_eq!(
        e.problems()[0]
            .params
            .get("ground")
            .map(ToString::to_string),
        Some("1".into())
    );
}

#[test]
fn ground_one_waits_for_the_period_to_perform_rolled_past_the_holiday() {
    let (r, c) = (rules(), calendar());
    let mut s = filed();
    // Friday 26 September 2025, five days to perform: the plain end is 1 October, in the
    // National Day holiday (1–8 October), so the period ends on Thursday 9 October.
    notice_served(&mut s, &notice(date(2025, 9, 26), 5, 5), date(2025, 9, 26));
    for day in [date(2025, 9, 26), date(2025, 10, 1), date(2025, 10, 9)] {
        let e = decide_listing(&s, &req(2, &[1]), ADULT, &ctx(&r, &c, day)).unwrap_err(); // allow-panic: test code
        assert_eq!(
            missing(&e),
            [("perform_period_running", Some("2025-10-09".into()))]
        );
    }
    assert!(decide_listing(&s, &req(2, &[1]), ADULT, &ctx(&r, &c, date(2025, 10, 10))).is_ok());
}

#[test]
fn ground_one_still_needs_uncovered_debt_once_the_period_has_run() {
    let (r, c) = (rules(), calendar());
    let mut s = case();
    s.apply(&CaseEvent::SecurityProvided {
        provider: "担保人".into(),
        description: "保证".into(),
        value: Fen::new(1_000_000).unwrap(), // allow-panic: test code
        on: date(2025, 5, 1),
    });
    let e = decide_listing(&s, &req(2, &[1]), ADULT, &ctx(&r, &c, date(2025, 6, 10))).unwrap_err(); // allow-panic: test code
    assert_eq!(e.code, "ground_not_applicable");
}

#[test]
fn ground_four_needs_the_report_period_run_without_a_report_or_a_false_one() {
    let (r, c) = (rules(), calendar());
    let mut s = filed();
    // Monday 3 March 2025, ten days to report: ends Thursday 13 March.
    notice_served(&mut s, &notice(date(2025, 3, 3), 3, 10), date(2025, 3, 3));
    let e = decide_listing(&s, &req(2, &[4]), ADULT, &ctx(&r, &c, date(2025, 3, 13))).unwrap_err(); // allow-panic: test code
    assert_eq!(
        missing(&e),
        [("report_period_running", Some("2025-03-13".into()))]
    );
    // Reported in time: no breach of the report duty.
    let mut reported = s.clone();
    reported.apply(&recorded(
        ActionKind::PropertyReported,
        date(2025, 3, 12),
        "书面报告",
    ));
    let e = decide_listing(
        &reported,
        &req(2, &[4]),
        ADULT,
        &ctx(&r, &c, date(2025, 6, 10)),
    )
    .unwrap_err(); // allow-panic: test code
    assert_eq!(
        missing(&e),
        [("property_reported", Some("2025-03-13".into()))]
    );
    // ... unless the report was found false: that is a breach at once, even in the period.
    reported.apply(&recorded(
        ActionKind::PropertyReportFalse,
        date(2025, 3, 12),
        "隐瞒名下车辆",
    ));
    assert!(
        decide_listing(
            &reported,
            &req(2, &[4]),
            ADULT,
            &ctx(&r, &c, date(2025, 3, 12))
        )
        .is_ok()
    );
    // Reported late: the period passed without a report.
    let mut late = s.clone();
    late.apply(&recorded(
        ActionKind::PropertyReported,
        date(2025, 3, 14),
        "逾期报告",
    ));
    assert!(decide_listing(&late, &req(2, &[4]), ADULT, &ctx(&r, &c, date(2025, 3, 14))).is_ok());
    // Nothing reported, the period over.
    assert!(decide_listing(&s, &req(2, &[4]), ADULT, &ctx(&r, &c, date(2025, 3, 14))).is_ok());
}

#[test]
fn grounds_five_and_six_need_their_recorded_facts_two_and_three_do_not() {
    let (r, c) = (rules(), calendar());
    let today = date(2025, 6, 10);
    let s = filed();
    let e = decide_listing(&s, &req(2, &[5]), ADULT, &ctx(&r, &c, today)).unwrap_err(); // allow-panic: test code
    assert_eq!(missing(&e), [("no_restriction_in_force", None)]);
    let mut ordered = s.clone();
    ordered.apply(&decide_restriction(&s, 2, &[], "限制高消费", today).unwrap()); // allow-panic: test code
    assert!(decide_listing(&ordered, &req(2, &[5]), ADULT, &ctx(&r, &c, today)).is_ok());
    // The order binds party 2, not party 3.
    let e = decide_listing(&ordered, &req(3, &[5]), ADULT, &ctx(&r, &c, today)).unwrap_err(); // allow-panic: test code
    assert_eq!(missing(&e), [("no_restriction_in_force", None)]);

    let e = decide_listing(&s, &req(2, &[6]), ADULT, &ctx(&r, &c, today)).unwrap_err(); // allow-panic: test code
    assert_eq!(missing(&e), [("settlement_breach_missing", None)]);
    let mut breached = s.clone();
    breached.apply(&recorded(
        ActionKind::SettlementBreached,
        today,
        "和解协议约定的第二期款项到期未付",
    ));
    assert!(decide_listing(&breached, &req(2, &[6]), ADULT, &ctx(&r, &c, today)).is_ok());

    // Obstruction and evasion: the conduct the facts state, at any time.
    assert!(decide_listing(&s, &req(2, &[2, 3]), ADULT, &ctx(&r, &c, s.filed_on)).is_ok());
}

#[test]
fn every_missing_fact_is_listed_at_once() {
    let (r, c) = (rules(), calendar());
    let mut s = filed();
    notice_served(&mut s, &notice(date(2025, 3, 4), 7, 10), date(2025, 3, 4));
    let e = decide_listing(
        &s,
        &req(2, &[1, 2, 4, 5, 6]),
        ADULT,
        &ctx(&r, &c, date(2025, 3, 5)),
    )
    .unwrap_err(); // allow-panic: test code
    assert_eq!(
        missing(&e),
        [
            ("perform_period_running", Some("2025-03-11".into())),
            ("report_period_running", Some("2025-03-14".into())),
            ("no_restriction_in_force", None),
            ("settlement_breach_missing", None),
        ]
    );
}

#[test]
fn a_notice_without_stated_periods_has_what_it_said() {
    // Recorded before the periods were stated: perform at once, report within five days.
    let (r, c) = (rules(), calendar());
    let mut s = filed();
    let on = date(2025, 3, 4);
    notice_served(&mut s, &recorded(ActionKind::NoticeIssued, on, ""), on);
    let p = notice_periods(&s, 2, &ctx(&r, &c, date(2025, 3, 4)))
        .unwrap()
        .unwrap(); // allow-panic: test code
    assert_eq!(p.perform.until(), Some(date(2025, 3, 4)));
    assert_eq!(
        p.report.until(),
        Some(date(2025, 3, 10)),
        "Sunday 9 March rolls to Monday"
    );
    assert!(decide_listing(&s, &req(2, &[1]), ADULT, &ctx(&r, &c, date(2025, 3, 5))).is_ok());
}

#[test]
fn a_credit_warning_holds_off_the_listing_for_its_grace() {
    let (r, c) = (rules(), calendar());
    let mut s = case();
    let today = date(2025, 6, 10);
    for bad in [0, MAX_STATED_DAYS + 1] {
        let e = decide_warning(&s, 2, bad, "", &ctx(&r, &c, today)).unwrap_err(); // allow-panic: test code
        assert_eq!(e.code, "invalid_warning");
        assert_eq!(e.problems()[0].code, "invalid_grace");
    }
    assert_eq!(
        decide_warning(&s, 1, 10, "", &ctx(&r, &c, today))
            .unwrap_err()
            .code, // allow-panic: test code
        "not_a_respondent"
    );
    // Ten days from Tuesday 10 June: Friday 20 June.
    let w = decide_warning(&s, 2, 10, "请于期限内履行", &ctx(&r, &c, today)).unwrap(); // allow-panic: test code
    assert!(
        matches!(w, CaseEvent::CreditWarningIssued { until, .. } if until == date(2025, 6, 20))
    );
    s.apply(&w);
    assert_eq!(
        decide_warning(&s, 2, 10, "", &ctx(&r, &c, today))
            .unwrap_err()
            .code, // allow-panic: test code
        "already_warned"
    );
    for day in [today, date(2025, 6, 20)] {
        let e = decide_listing(&s, &req(2, &[1]), ADULT, &ctx(&r, &c, day)).unwrap_err(); // allow-panic: test code
        assert_eq!(e.code, "in_warning_grace");
        assert_eq!(
            e.params.get("until").map(ToString::to_string),
            Some("2025-06-20".into())
        );
    }
    // The other respondent was not warned; after the grace the warned one may be listed.
    assert!(decide_listing(&s, &req(3, &[1]), ADULT, &ctx(&r, &c, today)).is_ok());
    let es = decide_listing(&s, &req(2, &[1]), ADULT, &ctx(&r, &c, date(2025, 6, 21))).unwrap(); // allow-panic: test code
    apply(&mut s, &es);
    // A listed debtor is past warning.
    assert_eq!(
        decide_warning(&s, 2, 10, "", &ctx(&r, &c, date(2025, 6, 21)))
            .unwrap_err()
            .code, // allow-panic: test code
        "already_listed"
    );
}

#[test]
fn old_credit_state_without_warnings_still_reads() {
    let v = serde_json::json!({"listings": [], "orders": [], "corrections": []});
    let s: CreditState = serde_json::from_value(v).unwrap(); // allow-panic: test code
    assert!(s.warnings.is_empty());
}

proptest::proptest! {
    /// Ground 1 is allowed exactly after the stated period's end, and that end is a working
    /// day no earlier than the plain end.
    #[test]
    fn ground_one_opens_exactly_after_the_period(issued in 0i64..600, days in 0i64..60, after in 0i64..80) {
        let (r, c) = (rules(), calendar());
        let on = date(2024, 1, 2).checked_add(jiff::Span::new().days(issued)).unwrap(); // allow-panic: test code
        let mut s = filed();
        notice_served(&mut s, &notice(on, days, 5), on);
        let today = on.checked_add(jiff::Span::new().days(after)).unwrap(); // allow-panic: test code
        let end = notice_periods(&s, 2, &ctx(&r, &c, today)).unwrap().unwrap().perform.until().unwrap(); // allow-panic: test code
        proptest::prop_assert!(c.is_working_day(end));
        proptest::prop_assert!(end >= on.checked_add(jiff::Span::new().days(days)).unwrap()); // allow-panic: test code
        let listed = decide_listing(&s, &req(2, &[1]), ADULT, &ctx(&r, &c, today));
        proptest::prop_assert_eq!(listed.is_ok(), today > end);
    }
}
