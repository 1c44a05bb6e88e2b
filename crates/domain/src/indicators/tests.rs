#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::civil::{Date, date};
use proptest::prelude::*;

use super::*;
use crate::case::{ActionKind, Amounts, Basis, BasisKind, CaseEvent, Ctx};
use crate::case_number::CaseType;
use crate::money::Fen;
use crate::rules::RuleBook;
use crate::testing::{calendar, rules_of};
/// The rule files these tests were written against.
fn rules() -> RuleBook {
    rules_of(&["case.toml", "investigation.toml"])
}

fn filed(on: Date) -> CaseState {
    let e = CaseEvent::Filed {
        number: "(2025)京0105执1号".into(),
        case_type: CaseType::Zhi,
        court_id: "b110105".into(),
        filed_on: on,
        parties: vec![crate::case::PartyRecord {
            no: 1,
            role: crate::case::PartyRole::Respondent,
            kind: "person".into(),
            name: "李四".into(),
            identifier: "110101********0027".into(),
            legal_representative: None,
        }],
        basis: Basis {
            kind: BasisKind::Judgment,
            issuing_body: "北京市朝阳区人民法院".into(),
            document_number: "(2024)京0105民初1号".into(),
            effective_date: date(2024, 12, 1),
            performance_deadline: date(2024, 12, 20),
        },
        amounts: Amounts {
            principal: Fen::new(1_000_000).unwrap_or_default(),
            ..Amounts::default()
        },
        duties: String::new(),
        late_reason: None,
        resumed_from: None,
    };
    CaseState::from_filed(&e).expect("a Filed event starts a case") // allow-panic: test code
}

fn facts(s: &CaseState) -> CaseFacts {
    let (r, c) = (rules(), calendar());
    let ctx = Ctx {
        rules: &r,
        calendar: &c,
        region: "110105",
        today: date(2026, 12, 31),
    };
    CaseFacts::of(s, &ctx).unwrap() // allow-panic: test code
}

fn close(s: &mut CaseState, mode: ClosureMode, on: Date) {
    s.apply(&CaseEvent::Closed {
        mode,
        reason: "依法结案处理".into(),
        on,
    });
}

#[test]
fn an_open_case_counts_only_as_filed_in_its_month() {
    let s = filed(date(2025, 3, 3));
    let c = facts(&s).contribution();
    assert_eq!(c.len(), 1);
    let k = c[&("2025-03".to_owned(), "执".to_owned())];
    assert_eq!(k.get(Metric::Filed), 1);
    assert_eq!(k.get(Metric::FiledClosed), 0);
    assert_eq!(k.get(Metric::Closed), 0);
}

#[test]
fn a_closure_counts_in_its_month_and_marks_the_filing_month_closed() {
    let mut s = filed(date(2025, 3, 3));
    s.apply(&CaseEvent::PaymentRecorded {
        amount: Fen::new(1_000_000).unwrap(), // allow-panic: test code
        on: date(2025, 4, 1),
        note: String::new(),
    });
    close(&mut s, ClosureMode::FullyPerformed, date(2025, 4, 2));
    let c = facts(&s).contribution();
    let filing = c[&("2025-03".to_owned(), "执".to_owned())];
    assert_eq!(filing.get(Metric::FiledClosed), 1);
    let k = c[&("2025-04".to_owned(), "执".to_owned())];
    assert_eq!(k.get(Metric::Closed), 1);
    assert_eq!(k.get(Metric::FullyPerformed), 1);
    assert_eq!(k.get(Metric::Actual), 1);
    assert_eq!(k.get(Metric::WithProperty), 1);
    assert_eq!(
        k.get(Metric::ClosedInLimit),
        1,
        "30 days is within six months"
    );
    assert_eq!(k.get(Metric::DaysToClose), 30);
    assert_eq!(k.get(Metric::AmountDue), 1_000_000);
    assert_eq!(k.get(Metric::AmountRecovered), 1_000_000);
}

#[test]
fn a_late_closure_is_not_in_limit_and_zhongben_is_not_with_property() {
    let mut s = filed(date(2025, 3, 3));
    close(&mut s, ClosureMode::Zhongben, date(2025, 10, 10));
    let k = facts(&s).contribution()[&("2025-10".to_owned(), "执".to_owned())];
    assert_eq!(k.get(Metric::ClosedInLimit), 0);
    assert_eq!(k.get(Metric::WithProperty), 0);
    assert_eq!(k.get(Metric::Zhongben), 1);
    assert_eq!(
        k.get(Metric::ZhongbenCompliant),
        0,
        "no checklist item was done"
    );
}

#[test]
fn a_zhongben_with_every_checklist_item_is_compliant() {
    let mut s = filed(date(2025, 3, 3));
    // 终本 asks for an order in force on the respondent, not the recorded step.
    s.apply(&CaseEvent::RestrictionOrdered {
        no: 1,
        party_no: 1,
        bound_persons: Vec::new(),
        kinds: crate::credit::SpendingKind::ALL.to_vec(),
        reason: "依法限制消费".into(),
        on: date(2025, 4, 1),
        listing_no: None,
    });
    for a in [
        ActionKind::NoticeIssued,
        ActionKind::DishonestNotApplicable,
        ActionKind::OnlineInvestigation,
        ActionKind::TraditionalInvestigation,
        ActionKind::NoEnforceableProperty,
        ActionKind::DebtorSearch,
        ActionKind::Interview,
    ] {
        s.apply(&CaseEvent::ActionRecorded {
            action: a,
            on: date(2025, 4, 1),
            note: String::new(),
            terms: None,
        });
    }
    close(&mut s, ClosureMode::Zhongben, date(2025, 7, 10));
    let k = facts(&s).contribution()[&("2025-07".to_owned(), "执".to_owned())];
    assert_eq!(k.get(Metric::ZhongbenCompliant), 1);
}

#[test]
fn rates_are_ratios_of_sums_with_targets() {
    let mut period = Counters::default();
    period.set(Metric::WithProperty, 10);
    period.set(Metric::WithPropertyInLimit, 9);
    period.set(Metric::Closed, 20);
    period.set(Metric::DaysToClose, 2000);
    let mut three = Counters::default();
    three.set(Metric::Filed, 100);
    three.set(Metric::FiledClosed, 79);
    let t = Targets {
        on_time_with_property: Some(90),
        overall_closure_3y: Some(80),
        ..Targets::default()
    };
    let v = compute(&period, &three, 4, &t);
    let get = |k: &str| v.iter().find(|i| i.key == k).unwrap(); // allow-panic: test code
    assert_eq!(get("on_time_with_property").value, Some(0.9));
    assert_eq!(get("on_time_with_property").meets_target, Some(true));
    assert_eq!(get("overall_closure_3y").meets_target, Some(false));
    assert_eq!(get("average_days_to_close").value, Some(100.0));
    assert_eq!(get("closed_per_officer").value, Some(5.0));
    assert_eq!(get("zhongben_compliance").value, None, "no 终本: no rate");
}

#[test]
fn month_ranges() {
    assert_eq!(
        months("2025-11", "2026-02").unwrap(), // allow-panic: test code
        ["2025-11", "2025-12", "2026-01", "2026-02"]
    );
    assert!(months("2026-02", "2025-11").is_none());
    assert!(months("2026-13", "2026-12").is_none());
    assert!(months("26-01", "2026-12").is_none());
    assert_eq!(months_before("2026-02", 35).unwrap(), "2023-03"); // allow-panic: test code
    assert_eq!(months_before("2026-12", 12).unwrap(), "2025-12"); // allow-panic: test code
}

proptest! {
    /// Applying the deltas of any sequence of contributions leaves exactly the last one.
    #[test]
    fn deltas_telescope(steps in proptest::collection::vec((0u8..4, 0i64..5, 1u32..30), 1..12)) {
        let mut s = filed(date(2025, 1, 6));
        let mut applied = Contribution::new();
        let mut last = Contribution::new();
        for (what, amount, day) in steps {
            let on = date(2025, 2, 1).checked_add(jiff::Span::new().days(i64::from(day))).unwrap(); // allow-panic: test code
            match what {
                0 => s.apply(&CaseEvent::PaymentRecorded { amount: Fen::new(amount * 100_000).unwrap(), on, note: String::new() }), // allow-panic: test code
                1 => close(&mut s, ClosureMode::FullyPerformed, on),
                2 => close(&mut s, ClosureMode::Zhongben, on),
                _ => s.status = CaseStatus::Open,
            }
            let now = facts(&s).contribution();
            for (b, c) in delta(&last, &now) {
                applied.entry(b).or_default().add(&c);
            }
            applied.retain(|_, c| !c.is_zero());
            last = now;
        }
        prop_assert_eq!(applied, last);
    }
}

#[test]
fn an_entrusted_task_counts_at_both_courts_and_its_result_only_at_the_receiver() {
    let (from, to) = entrusted("执", "2026-09", None);
    let b = ("2026-09".to_owned(), "执".to_owned());
    assert_eq!(from[&b].get(Metric::EntrustedSent), 1);
    assert_eq!(to[&b].get(Metric::EntrustedReceived), 1);
    assert_eq!(to[&b].get(Metric::EntrustedDone), 0);
    let (from_done, to_done) = entrusted("执", "2026-09", Some(false));
    assert_eq!(
        from_done, from,
        "the result changes nothing at the entrusting court"
    );
    let d = delta(&to, &to_done);
    assert_eq!(d[&b].get(Metric::EntrustedDone), 1);
    assert_eq!(d[&b].get(Metric::EntrustedDoneInTime), 0);
    assert_eq!(d[&b].get(Metric::EntrustedReceived), 0);
}

#[test]
fn a_complaint_resolved_in_time_counts_three_times() {
    let c = complaint("执", "2026-10", Some(true));
    let k = c[&("2026-10".to_owned(), "执".to_owned())];
    assert_eq!(
        (
            k.get(Metric::Complaints),
            k.get(Metric::ComplaintsResolved),
            k.get(Metric::ComplaintsResolvedInTime)
        ),
        (1, 1, 1)
    );
}
