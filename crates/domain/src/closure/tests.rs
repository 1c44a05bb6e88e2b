#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::civil::{Date, date};
use proptest::prelude::*;

use super::*;
use crate::case::{
    Amounts, Basis, BasisKind, CaseStatus, PartyRecord, PartyRole, decide_approval, decide_closure,
};
use crate::case_number::CaseType;
use crate::credit::{Ground, SpendingKind};
use crate::testing::{calendar, ctx, rules_of};

fn rules() -> crate::rules::RuleBook {
    rules_of(&["case.toml", "credit.toml"])
}

fn party(no: u32, role: PartyRole, name: &str) -> PartyRecord {
    PartyRecord {
        no,
        role,
        kind: "person".into(),
        name: name.into(),
        identifier: format!("110101********00{no}1"),
        legal_representative: None,
    }
}

/// A judgment case filed on 3 March 2025 against two respondents, paid in full.
fn case() -> CaseState {
    let filed_on = date(2025, 3, 3);
    let mut s = CaseState::from_filed(&CaseEvent::Filed {
        number: "(2025)京0105执1号".into(),
        case_type: CaseType::Zhi,
        court_id: "b110105".into(),
        filed_on,
        parties: vec![
            party(1, PartyRole::Applicant, "张三"),
            party(2, PartyRole::Respondent, "李四"),
            party(3, PartyRole::Respondent, "王五"),
        ],
        basis: Basis {
            kind: BasisKind::Judgment,
            issuing_body: "北京市朝阳区人民法院".into(),
            document_number: "(2024)京0105民初1号".into(),
            effective_date: date(2024, 12, 1),
            performance_deadline: date(2024, 12, 20),
        },
        amounts: Amounts {
            principal: Fen::new(1_000_000).unwrap(),
            ..Amounts::default()
        },
        duties: String::new(),
        late_reason: None,
        resumed_from: None,
    })
    .expect("a Filed event starts a case"); // allow-panic: test code
    s.apply(&CaseEvent::PaymentRecorded {
        amount: s.total_due(),
        on: filed_on,
        note: String::new(),
    });
    s
}

/// The table of DOMAIN §4a, written out again: (releases measures, ends listings, lifts
/// orders, money must be paid out rather than only approved).
fn table(mode: ClosureMode) -> (bool, bool, bool, bool) {
    match mode {
        ClosureMode::FullyPerformed => (true, true, true, true),
        ClosureMode::Zhongben => (false, false, false, true),
        ClosureMode::Terminated
        | ClosureMode::Refused
        | ClosureMode::Withdrawn
        | ClosureMode::Rejected => (true, true, true, false),
    }
}

const KINDS: [MeasureKind; 4] = [
    MeasureKind::Freeze,
    MeasureKind::Seize,
    MeasureKind::Detain,
    MeasureKind::Deduct,
];
const STATUSES: [MeasureStatus; 7] = [
    MeasureStatus::Requested,
    MeasureStatus::Active,
    MeasureStatus::Queued,
    MeasureStatus::Done,
    MeasureStatus::Refused,
    MeasureStatus::Released,
    MeasureStatus::Expired,
];

fn on(d: u32) -> Date {
    date(2025, 4, 1)
        .checked_add(jiff::Span::new().days(i64::from(d)))
        .unwrap()
}

proptest! {
    /// For every mode and random holdings: after the closure takes effect, nothing the mode
    /// ends is left live, nothing it keeps is ended, and the refusal names exactly the unmet
    /// conditions on money and on measures awaiting an answer.
    #[test]
    fn a_closure_ends_what_its_mode_ends_and_keeps_the_rest(
        mode_i in 0usize..6,
        listings in proptest::collection::vec((2u32..4, any::<bool>()), 0..3),
        orders in proptest::collection::vec((2u32..4, any::<bool>()), 0..3),
        measures in proptest::collection::vec((0usize..4, 0usize..7, any::<bool>()), 0..5),
        held in 0i64..3,
        approved_part in any::<bool>(),
    ) {
        let mode = ClosureMode::ALL[mode_i];
        let (r, c) = (rules(), calendar());
        let mut s = case();
        // Listings: one per respondent at most (a listed person is not listed again).
        let mut listed_parties = Vec::new();
        for (i, (party_no, removed)) in listings.iter().enumerate() {
            if listed_parties.contains(party_no) { continue; }
            listed_parties.push(*party_no);
            let no = u32::try_from(s.credit.listings.len() + 1).unwrap();
            s.apply(&CaseEvent::DishonestListed { no, party_no: *party_no, grounds: vec![Ground::Obstruction], facts: "妨碍执行".into(), on: on(u32::try_from(i).unwrap()), ends_on: None });
            if *removed {
                s.apply(&CaseEvent::DishonestRemoved { no, trigger: RemovalTrigger::EarlyDecision, reason: "提前删除".into(), trigger_on: on(5), due_by: on(8), on: on(5) });
            }
        }
        for (party_no, lifted) in &orders {
            let no = u32::try_from(s.credit.orders.len() + 1).unwrap();
            s.apply(&CaseEvent::RestrictionOrdered { no, party_no: *party_no, bound_persons: Vec::new(), kinds: SpendingKind::ALL.to_vec(), reason: "限制消费".into(), on: on(1), listing_no: None });
            if *lifted {
                s.apply(&CaseEvent::RestrictionLifted { no, reason: "解除".into(), on: on(6) });
            }
        }
        let holdings = Holdings {
            measures: measures.iter().enumerate().map(|(i, (k, st, awaiting))| HeldMeasure {
                id: i64::try_from(i).unwrap() + 1, kind: KINDS[*k], status: STATUSES[*st], awaiting: *awaiting,
            }).collect(),
            held: Fen::new(held * 10_000).unwrap(),
            undistributed: Fen::new(if approved_part { 0 } else { held * 10_000 }).unwrap(),
        };
        let (releases, ends, lifts, paid_out) = table(mode);
        let live = |m: &HeldMeasure| m.kind != MeasureKind::Deduct
            && matches!(m.status, MeasureStatus::Requested | MeasureStatus::Active | MeasureStatus::Queued);
        let waiting = holdings.measures.iter().filter(|m| live(m) && (m.awaiting || m.status == MeasureStatus::Requested)).count();
        let money_ok = if paid_out { held == 0 } else { held == 0 || approved_part };
        let expected_unmet = usize::from(!money_ok) + usize::from(releases && waiting > 0);

        let today = date(2025, 7, 1);
        let cx = ctx(&r, &c, today);
        let reason = "依法结案，理由充分";
        // Zhongben's own checklist (its steps) is not under test here: only what it holds.
        if mode == ClosureMode::Zhongben {
            let unmet = conditions(mode, &holdings).iter().filter(|c| !c.met).count();
            prop_assert_eq!(unmet, expected_unmet);
            let fx = effects(&s, mode, &holdings, &cx).unwrap();
            prop_assert!(fx.releases.is_empty() && fx.events.is_empty(), "终本 keeps measures, listings and orders");
            return Ok(());
        }
        let decided = decide_closure(&s, mode, reason, "officer1", &holdings, &cx);
        let closing = match decided {
            Err(refusal) => {
                prop_assert_eq!(refusal.code, "closure_conditions_unmet");
                prop_assert_eq!(refusal.reasons.len(), expected_unmet);
                return Ok(());
            }
            Ok(closing) => closing,
        };
        prop_assert_eq!(expected_unmet, 0);
        let closing = if mode.needs_approval() {
            prop_assert!(closing.releases.is_empty(), "nothing is released before approval");
            for e in &closing.events { s.apply(e); }
            prop_assert_eq!(s.status, CaseStatus::PendingClosure);
            decide_approval(&s, true, "", "head1", &holdings, &cx).unwrap()
        } else {
            closing
        };
        for e in &closing.events { s.apply(e); }
        prop_assert_eq!(s.status, CaseStatus::Closed);
        // Measures: every live one released, none other.
        let expected: Vec<i64> = holdings.measures.iter().filter(|m| releases && live(m)).map(|m| m.id).collect();
        prop_assert_eq!(&closing.releases, &expected);
        // Listings and orders: none left that the mode ends.
        let still_listed = s.credit.listings.iter().filter(|l| l.status == ListingStatus::Listed).count();
        let in_force = s.credit.orders.iter().filter(|o| o.lifted.is_none()).count();
        prop_assert!(!ends || still_listed == 0);
        prop_assert!(!lifts || in_force == 0);
        for l in s.credit.listings.iter().filter(|l| l.removal.as_ref().is_some_and(|r| r.on == today)) {
            let removal = l.removal.as_ref().unwrap();
            prop_assert_eq!(removal.trigger_on, today);
            prop_assert!(removal.due_by > today, "removal within the rule book's working days");
        }
    }
}

#[test]
fn zhongben_keeps_everything_and_asks_for_the_money_paid_out() {
    let (r, c) = (rules(), calendar());
    let mut s = case();
    s.apply(&CaseEvent::DishonestListed {
        no: 1,
        party_no: 2,
        grounds: vec![Ground::Obstruction],
        facts: "妨碍执行".into(),
        on: on(0),
        ends_on: None,
    });
    let holdings = Holdings {
        measures: vec![HeldMeasure {
            id: 7,
            kind: MeasureKind::Freeze,
            status: MeasureStatus::Active,
            awaiting: false,
        }],
        held: Fen::new(2_000_000).unwrap(),
        undistributed: Fen::ZERO,
    };
    let cx = ctx(&r, &c, date(2025, 7, 1));
    let unmet: Vec<_> = conditions(ClosureMode::Zhongben, &holdings)
        .into_iter()
        .filter(|c| !c.met)
        .collect();
    assert_eq!(unmet.len(), 1);
    assert_eq!(unmet[0].code, "account_paid_out");
    assert_eq!(
        unmet[0].params.get("held"),
        Some(&crate::refusal::Param::Money(Fen::new(2_000_000).unwrap()))
    );
    let fx = effects(&s, ClosureMode::Zhongben, &holdings, &cx).unwrap();
    assert_eq!(fx, Effects::default());
    // 终结执行 with the same holdings: the approved payout suffices, the freeze is released,
    // the listing removed and the order it needs lifted.
    let fx = effects(&s, ClosureMode::Terminated, &holdings, &cx).unwrap();
    assert_eq!(fx.releases, vec![7]);
    assert!(matches!(
        fx.events[0],
        CaseEvent::DishonestRemoved {
            no: 1,
            trigger: RemovalTrigger::Terminated,
            ..
        }
    ));
    assert!(
        conditions(ClosureMode::Terminated, &holdings)
            .iter()
            .all(|c| c.met)
    );
}

#[test]
fn the_measures_condition_counts_what_awaits_an_answer() {
    let h = Holdings {
        measures: vec![HeldMeasure {
            id: 3,
            kind: MeasureKind::Seize,
            status: MeasureStatus::Active,
            awaiting: true,
        }],
        held: Fen::ZERO,
        undistributed: Fen::ZERO,
    };
    let c = conditions(ClosureMode::Terminated, &h);
    let m = c.iter().find(|c| c.code == "measures_answered").unwrap();
    assert!(!m.met);
    assert_eq!(m.params.get("count"), Some(&crate::refusal::Param::Int(1)));
    assert_eq!(
        m.params.get("measures"),
        Some(&crate::refusal::Param::from("3"))
    );
}
