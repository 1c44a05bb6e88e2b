#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::{Date, date};

use super::*;
use crate::calendar::WorkingCalendar;
use crate::rules::RuleBook;
use crate::testing::{calendar, ctx, rules_of};
/// The rule files these tests were written against.
fn rules() -> RuleBook {
    rules_of(&["auction.toml"])
}

fn fen(v: i64) -> Fen {
    Fen::new(v).unwrap() // allow-panic: test code
}

/// Folds `e` into `v` and keeps the log.
fn push(v: &mut Valuation, log: &mut Vec<ValuationEvent>, e: ValuationEvent) {
    v.apply(&e);
    log.push(e);
}

fn started(r: &RuleBook, c: &WorkingCalendar, on: Date) -> (Valuation, Vec<ValuationEvent>) {
    let e = decide_start("asset-1", date(2026, 2, 2), &ctx(r, c, on)).unwrap(); // allow-panic: test code
    (Valuation::from_started(&e).unwrap(), vec![e]) // allow-panic: test code
}

fn code<T: std::fmt::Debug>(r: Result<T, Refusal>) -> &'static str {
    r.map(|v| format!("{v:?}")).err().map_or("ok", |r| r.code)
}

#[test]
fn price_determination_starts_within_thirty_days_of_seizure() {
    let (r, c) = (rules(), calendar());
    // Seized Mon 2 Feb 2026: 30 days end on Wed 4 Mar.
    assert_eq!(
        start_due(date(2026, 2, 2), &ctx(&r, &c, date(2026, 2, 2))),
        Ok(date(2026, 3, 4))
    );
    let on_time = decide_start("a", date(2026, 2, 2), &ctx(&r, &c, date(2026, 3, 4))).unwrap(); // allow-panic: test code
    assert!(matches!(
        on_time,
        ValuationEvent::Started { late: false, .. }
    ));
    let late = decide_start("a", date(2026, 2, 2), &ctx(&r, &c, date(2026, 3, 5))).unwrap(); // allow-panic: test code
    assert!(matches!(late, ValuationEvent::Started { late: true, .. }));
    assert_eq!(
        code(decide_start(
            "a",
            date(2026, 2, 2),
            &ctx(&r, &c, date(2026, 2, 1))
        )),
        "invalid_date"
    );
    assert_eq!(
        code(decide_start(
            " ",
            date(2026, 2, 2),
            &ctx(&r, &c, date(2026, 2, 3))
        )),
        "invalid_asset"
    );
}

#[test]
fn methods_are_tried_in_order() {
    let (r, c) = (rules(), calendar());
    let today = date(2026, 3, 2);
    let x = ctx(&r, &c, today);
    let (v, _) = started(&r, &c, today);
    assert_eq!(v.method, PriceMethod::Agreement);
    // Nothing but the current method produces a price.
    assert_eq!(
        code(decide_targeted_answer(&v, "税务局", fen(100), None, &x)),
        "wrong_method"
    );
    assert_eq!(
        code(decide_commission_enquiry(&v, &["p1".into()], &x)),
        "wrong_method"
    );
    assert_eq!(
        code(decide_commission_appraisal(&v, "评估所", &x)),
        "wrong_method"
    );
    // A failure leads to the next method only.
    assert_eq!(
        code(decide_move(
            &v,
            PriceMethod::OnlineEnquiry,
            MoveReason::Failed,
            &x
        )),
        "wrong_method"
    );
    let e = decide_move(&v, PriceMethod::TargetedEnquiry, MoveReason::Failed, &x).unwrap(); // allow-panic: test code
    let mut t = v.clone();
    t.apply(&e);
    assert_eq!(t.method, PriceMethod::TargetedEnquiry);
    assert_eq!(
        code(decide_move(
            &t,
            PriceMethod::Agreement,
            MoveReason::PartiesRequest,
            &x
        )),
        "wrong_method"
    );
    // Both parties may ask for a later method directly; a law may require an appraisal.
    assert!(
        decide_move(
            &v,
            PriceMethod::OnlineEnquiry,
            MoveReason::PartiesRequest,
            &x
        )
        .is_ok()
    );
    assert!(decide_move(&v, PriceMethod::Appraisal, MoveReason::RequiredByLaw, &x).is_ok());
    assert_eq!(
        code(decide_move(
            &v,
            PriceMethod::OnlineEnquiry,
            MoveReason::RequiredByLaw,
            &x
        )),
        "wrong_method"
    );
    let mut a = v.clone();
    a.apply(&decide_move(&v, PriceMethod::Appraisal, MoveReason::RequiredByLaw, &x).unwrap()); // allow-panic: test code
    assert_eq!(
        code(decide_move(
            &a,
            PriceMethod::Appraisal,
            MoveReason::Failed,
            &x
        )),
        "wrong_method"
    );
    // A targeted enquiry's answer is final at once.
    t.apply(&decide_targeted_answer(&t, "税务局", fen(5_000_000), None, &x).unwrap()); // allow-panic: test code
    assert_eq!(
        reference_price(&t, today).map(|p| (p.price, p.method)),
        Ok((fen(5_000_000), PriceMethod::TargetedEnquiry))
    );
    assert_eq!(
        code(decide_move(
            &t,
            PriceMethod::OnlineEnquiry,
            MoveReason::Failed,
            &x
        )),
        "price_already_determined"
    );
    assert_eq!(
        code(decide_objection(&t, "被执行人", &x)),
        "not_objectionable"
    );
}

#[test]
fn an_agreed_price_is_final_at_once_and_valid_one_year_at_most() {
    let (r, c) = (rules(), calendar());
    let today = date(2026, 3, 2);
    let x = ctx(&r, &c, today);
    let (v, _) = started(&r, &c, today);
    assert_eq!(
        code(decide_agreement(&v, Fen::ZERO, None, &x)),
        "invalid_price"
    );
    let long = decide_agreement(&v, fen(100), Some(date(2027, 3, 2)), &x).unwrap_err(); // allow-panic: test code
    assert_eq!(long.code, "validity_too_long");
    assert_eq!(long.kind, crate::refusal::RefusalKind::Invalid);
    assert_eq!(
        (
            long.params.get("value"),
            long.params.get("unit"),
            long.params.get("max")
        ),
        (
            Some(&1i64.into()),
            Some(&"years".into()),
            Some(&date(2027, 3, 1).into())
        ),
        "the rule's figure and the last day it allows: {long}"
    );
    assert!(long.params.get("citation").is_some(), "{long}");
    assert_eq!(
        code(decide_agreement(&v, fen(100), Some(date(2026, 3, 1)), &x)),
        "invalid_validity"
    );
    let mut shorter = v.clone();
    shorter.apply(&decide_agreement(&v, fen(100), Some(date(2026, 9, 1)), &x).unwrap()); // allow-panic: test code
    assert_eq!(
        code(reference_price(&shorter, date(2026, 9, 2))),
        "reference_price_expired"
    );
    let mut v = v;
    v.apply(&decide_agreement(&v, fen(80_000_000), None, &x).unwrap()); // allow-panic: test code
    let p = reference_price(&v, today).unwrap(); // allow-panic: test code
    assert_eq!(p.price, fen(80_000_000));
    assert_eq!(p.valid_until, date(2027, 3, 1));
    assert!(reference_price(&v, date(2027, 3, 1)).is_ok());
    assert_eq!(
        code(reference_price(&v, date(2027, 3, 2))),
        "reference_price_expired"
    );
}

#[test]
fn online_enquiry_averages_the_answers_received_in_time() {
    let (r, c) = (rules(), calendar());
    // Commissioned Wed 1 Apr 2026: three days end on Sat 4 Apr, a holiday (清明) until Mon 6:
    // the platforms have until Tue 7 Apr.
    let (mut v, mut log) = started(&r, &c, date(2026, 3, 2));
    let d0 = date(2026, 4, 1);
    let x0 = ctx(&r, &c, d0);
    {
        let e = decide_move(&v, PriceMethod::TargetedEnquiry, MoveReason::Failed, &x0).unwrap(); // allow-panic: test code
        push(&mut v, &mut log, e);
    }
    {
        let e = decide_move(&v, PriceMethod::OnlineEnquiry, MoveReason::Failed, &x0).unwrap(); // allow-panic: test code
        push(&mut v, &mut log, e);
    }
    let platforms: Vec<String> = ["淘宝", "京东", "工商银行融e购"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(
        code(decide_platform_answer(&v, "淘宝", fen(1), None, &x0)),
        "enquiry_not_commissioned"
    );
    assert_eq!(
        code(decide_commission_enquiry(
            &v,
            &["a".into(), "a".into()],
            &x0
        )),
        "invalid_platforms"
    );
    assert_eq!(
        code(decide_commission_enquiry(&v, &[], &x0)),
        "invalid_platforms"
    );
    let e = decide_commission_enquiry(&v, &platforms, &x0).unwrap(); // allow-panic: test code
    assert!(
        matches!(e, ValuationEvent::EnquiryCommissioned { answer_due, .. } if answer_due == date(2026, 4, 7))
    );
    push(&mut v, &mut log, e);
    assert_eq!(
        code(decide_commission_enquiry(&v, &platforms, &x0)),
        "enquiry_already_commissioned"
    );

    let x2 = ctx(&r, &c, date(2026, 4, 2));
    {
        let e = decide_platform_answer(&v, "淘宝", fen(10_000_000), None, &x2).unwrap(); // allow-panic: test code
        push(&mut v, &mut log, e);
    }
    assert_eq!(
        code(decide_platform_answer(&v, "淘宝", fen(1), None, &x2)),
        "already_answered"
    );
    assert_eq!(
        code(decide_platform_answer(&v, "拼多多", fen(1), None, &x2)),
        "unknown_platform"
    );
    // Not every platform answered and there is still time.
    assert_eq!(code(decide_conclude_enquiry(&v, &x2)), "answers_pending");
    assert_eq!(
        code(decide_move(
            &v,
            PriceMethod::Appraisal,
            MoveReason::Failed,
            &x2
        )),
        "enquiry_has_answers"
    );
    let x7 = ctx(&r, &c, date(2026, 4, 7));
    {
        let e = decide_platform_answer(&v, "京东", fen(10_000_001), Some(date(2026, 10, 6)), &x7)
            .unwrap(); // allow-panic: test code
        push(&mut v, &mut log, e);
    }
    // After the limit: kept on record, left out of the average.
    let x8 = ctx(&r, &c, date(2026, 4, 8));
    let late = decide_platform_answer(&v, "工商银行融e购", fen(1), None, &x8).unwrap(); // allow-panic: test code
    assert!(matches!(&late, ValuationEvent::PlatformAnswered(a) if !a.timely));
    push(&mut v, &mut log, late);
    let e = decide_conclude_enquiry(&v, &x8).unwrap(); // allow-panic: test code
    match &e {
        ValuationEvent::EnquiryReported {
            price,
            counted,
            valid_until,
            objection_until,
            ..
        } => {
            // (10,000,000 + 10,000,001) / 2 rounds half up.
            assert_eq!(*price, fen(10_000_001));
            assert_eq!(counted.len(), 2);
            // The shortest validity of the answers averaged.
            assert_eq!(*valid_until, date(2026, 10, 6));
            // Five days from Wed 8 Apr: Mon 13 Apr.
            assert_eq!(*objection_until, date(2026, 4, 13));
        }
        other => panic!("{other:?}"),
    }
    push(&mut v, &mut log, e);
    assert_eq!(
        code(reference_price(&v, date(2026, 4, 13))),
        "objection_period_open"
    );
    assert_eq!(
        reference_price(&v, date(2026, 4, 14)).map(|p| p.price),
        Ok(fen(10_000_001))
    );
    assert_eq!(
        code(decide_objection(
            &v,
            "被执行人",
            &ctx(&r, &c, date(2026, 4, 14))
        )),
        "objection_period_over"
    );
    // The log folds back to the same state, also through JSON.
    assert_eq!(Valuation::fold(&log), Some(v.clone()));
    let json = serde_json::to_string(&log).unwrap(); // allow-panic: test code
    let back: Vec<ValuationEvent> = serde_json::from_str(&json).unwrap(); // allow-panic: test code
    assert_eq!(Valuation::fold(&back), Some(v));
}

#[test]
fn an_enquiry_without_timely_answers_fails_over_to_appraisal() {
    let (r, c) = (rules(), calendar());
    let d0 = date(2026, 3, 2);
    let x0 = ctx(&r, &c, d0);
    let (mut v, mut log) = started(&r, &c, d0);
    {
        let e = decide_move(
            &v,
            PriceMethod::OnlineEnquiry,
            MoveReason::PartiesRequest,
            &x0,
        )
        .unwrap(); // allow-panic: test code
        push(&mut v, &mut log, e);
    }
    {
        let e = decide_commission_enquiry(&v, &["淘宝".into()], &x0).unwrap(); // allow-panic: test code
        push(&mut v, &mut log, e);
    }
    // Due Thu 5 Mar; the only answer comes on Fri 6.
    assert_eq!(
        code(decide_move(
            &v,
            PriceMethod::Appraisal,
            MoveReason::Failed,
            &x0
        )),
        "answers_pending"
    );
    let x6 = ctx(&r, &c, date(2026, 3, 6));
    {
        let e = decide_platform_answer(&v, "淘宝", fen(500), None, &x6).unwrap(); // allow-panic: test code
        push(&mut v, &mut log, e);
    }
    assert_eq!(code(decide_conclude_enquiry(&v, &x6)), "no_timely_answer");
    assert!(decide_move(&v, PriceMethod::Appraisal, MoveReason::Failed, &x6).is_ok());
}

#[test]
fn an_appraisal_report_is_due_in_thirty_days_and_open_to_objection_for_five() {
    let (r, c) = (rules(), calendar());
    let d0 = date(2026, 3, 2);
    let x0 = ctx(&r, &c, d0);
    let (mut v, mut log) = started(&r, &c, d0);
    {
        let e = decide_move(&v, PriceMethod::Appraisal, MoveReason::RequiredByLaw, &x0).unwrap(); // allow-panic: test code
        push(&mut v, &mut log, e);
    }
    assert_eq!(
        code(decide_appraisal_report(&v, fen(1), None, &x0)),
        "appraisal_not_commissioned"
    );
    assert_eq!(
        code(decide_commission_appraisal(&v, " ", &x0)),
        "invalid_appraiser"
    );
    let e = decide_commission_appraisal(&v, "某某评估有限公司", &x0).unwrap(); // allow-panic: test code
    // 2 Mar + 30 days = Wed 1 Apr.
    assert!(
        matches!(e, ValuationEvent::AppraisalCommissioned { report_due, .. } if report_due == date(2026, 4, 1))
    );
    push(&mut v, &mut log, e);
    assert_eq!(
        code(decide_commission_appraisal(&v, "另一家", &x0)),
        "appraisal_already_commissioned"
    );
    assert_eq!(
        code(decide_objection(&v, "被执行人", &x0)),
        "no_reference_price"
    );
    assert_eq!(code(reference_price(&v, d0)), "no_reference_price");
    // Reported on Fri 3 Apr, after the due day: accepted, marked late. Five days end on Wed 8.
    let x3 = ctx(&r, &c, date(2026, 4, 3));
    let e = decide_appraisal_report(&v, fen(90_000_000), None, &x3).unwrap(); // allow-panic: test code
    assert!(matches!(
        e,
        ValuationEvent::AppraisalReported { late: true, objection_until, .. } if objection_until == date(2026, 4, 8)
    ));
    push(&mut v, &mut log, e);
    let x8 = ctx(&r, &c, date(2026, 4, 8));
    assert_eq!(code(decide_objection(&v, " ", &x8)), "invalid_objection");
    assert_eq!(code(decide_objection_ruling(&v, None, &x8)), "no_objection");
    {
        let e = decide_objection(&v, "申请执行人", &x8).unwrap(); // allow-panic: test code
        push(&mut v, &mut log, e);
    }
    assert_eq!(
        code(decide_objection(&v, "被执行人", &x8)),
        "objection_pending"
    );
    assert_eq!(
        code(reference_price(&v, date(2026, 5, 1))),
        "objection_pending"
    );
    // The objection is upheld: the price is corrected, and final.
    let x20 = ctx(&r, &c, date(2026, 4, 20));
    {
        let e = decide_objection_ruling(&v, Some(fen(95_000_000)), &x20).unwrap(); // allow-panic: test code
        push(&mut v, &mut log, e);
    }
    let p = reference_price(&v, date(2026, 4, 20)).unwrap(); // allow-panic: test code
    assert_eq!(
        (p.price, p.method),
        (fen(95_000_000), PriceMethod::Appraisal)
    );
    assert_eq!(p.valid_until, date(2027, 4, 2));
    assert_eq!(Valuation::fold(&log), Some(v));
}

#[test]
fn average_rounds_half_up_to_the_fen() {
    assert_eq!(average(&[]), None);
    assert_eq!(average(&[fen(1), fen(2)]), Some(fen(2)));
    assert_eq!(average(&[fen(1), fen(1), fen(2)]), Some(fen(1)));
    assert_eq!(average(&[fen(3), fen(4), fen(4)]), Some(fen(4)));
    assert_eq!(
        average(&[Fen::new(crate::money::MAX_FEN).unwrap(); 3]), // allow-panic: test code
        Some(Fen::new(crate::money::MAX_FEN).unwrap())           // allow-panic: test code
    );
}
