#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::civil::{Date, date};
use proptest::prelude::*;

use super::*;
use crate::calendar::WorkingCalendar;
use crate::refusal::Param;
use crate::testing::{calendar, ctx, rules_of};
/// The rule files these tests were written against.
fn rules() -> RuleBook {
    rules_of(&["case.toml", "investigation.toml"])
}

fn filed(on: Date, kind: BasisKind) -> CaseState {
    let e = CaseEvent::Filed {
        number: "(2025)京0105执1号".into(),
        case_type: CaseType::Zhi,
        court_id: "b110105".into(),
        filed_on: on,
        parties: vec![
            PartyRecord {
                no: 1,
                role: PartyRole::Applicant,
                kind: "person".into(),
                name: "张三".into(),
                identifier: "110101********0011".into(),
                legal_representative: None,
            },
            PartyRecord {
                no: 2,
                role: PartyRole::Respondent,
                kind: "person".into(),
                name: "李四".into(),
                identifier: "110101********0027".into(),
                legal_representative: None,
            },
        ],
        basis: Basis {
            kind,
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

/// A judgment case filed on 3 March 2025, with the rule book and calendar.
fn judgment() -> (RuleBook, WorkingCalendar, CaseState) {
    (
        rules(),
        calendar(),
        filed(date(2025, 3, 3), BasisKind::Judgment),
    )
}

/// Periods stated with the notice: seven days to perform, ten to report.
const TERMS: StatedPeriods = StatedPeriods {
    perform_days: Some(7),
    report_days: Some(10),
};

fn none() -> StatedPeriods {
    StatedPeriods::default()
}

/// Records the step `a` on `on`. A consumption restriction is an order on the respondent
/// (which records the step too): 终本 asks for the order, not the step.
fn act(s: &mut CaseState, a: ActionKind, on: Date) {
    if a == ActionKind::ConsumptionRestriction {
        s.apply(&order_on(s, 2, on));
        return;
    }
    s.apply(&CaseEvent::ActionRecorded {
        action: a,
        on,
        note: String::new(),
        terms: None,
    });
}

/// A restriction order on party `party_no`.
fn order_on(s: &CaseState, party_no: u32, on: Date) -> CaseEvent {
    CaseEvent::RestrictionOrdered {
        no: u32::try_from(s.credit.orders.len() + 1).unwrap_or(u32::MAX),
        party_no,
        bound_persons: Vec::new(),
        kinds: crate::credit::SpendingKind::ALL.to_vec(),
        reason: "依法限制消费".into(),
        on,
        listing_no: None,
    }
}

/// Nothing held outside the case: no measures, an empty account.
const NOTHING: crate::closure::Holdings = crate::closure::Holdings {
    measures: Vec::new(),
    held: Fen::ZERO,
    undistributed: Fen::ZERO,
};

/// The one event a closure decision records when it has no effects to carry out.
fn only(c: Closing) -> CaseEvent {
    assert!(c.releases.is_empty());
    assert_eq!(c.events.len(), 1, "{:?}", c.events);
    c.events.into_iter().next().expect("one event") // allow-panic: test code
}

fn due(ds: &[Deadline], node: &str) -> Option<Date> {
    ds.iter().find(|d| d.node == node).map(|d| d.due)
}

#[test]
fn actions_are_checked_the_same_way_wherever_they_come_from() {
    let mut s = filed(date(2025, 3, 3), BasisKind::Judgment);
    let d = date(2025, 3, 4);
    assert_eq!(
        decide_action(&s, ActionKind::Interview, "短", none(), d).map_err(|e| e.code),
        Err("note_required")
    );
    assert_eq!(
        decide_action(&s, ActionKind::DebtorSearch, &"长".repeat(2001), none(), d)
            .map_err(|e| e.code),
        Err("invalid_note")
    );
    let e = decide_action(&s, ActionKind::NoticeIssued, "", TERMS, d).expect("first notice"); // allow-panic: test code
    s.apply(&e);
    assert_eq!(
        decide_action(&s, ActionKind::NoticeIssued, "", TERMS, d).map_err(|e| e.code),
        Err("already_done")
    );
    s.apply(&CaseEvent::Closed {
        mode: ClosureMode::Withdrawn,
        reason: "撤回申请".into(),
        on: d,
    });
    assert_eq!(
        decide_action(&s, ActionKind::DebtorSearch, "", none(), d).map_err(|e| e.code),
        Err("case_closed")
    );
}

#[test]
fn deadlines_come_from_the_rule_book() -> Result<(), Refusal> {
    let (r, c) = (rules(), calendar());
    let s = filed(date(2025, 3, 3), BasisKind::Judgment);
    let ds = deadlines(&s, &ctx(&r, &c, date(2025, 3, 4)))?;
    assert_eq!(due(&ds, "notice"), Some(date(2025, 3, 13)), "10 days");
    assert_eq!(
        due(&ds, "officer_assignment"),
        Some(date(2025, 3, 10)),
        "7 days"
    );
    assert_eq!(due(&ds, "conclusion"), Some(date(2025, 9, 3)), "6 months");
    // Non-litigation: 3 months.
    let n = filed(date(2025, 3, 3), BasisKind::ArbitrationAward);
    assert_eq!(
        due(
            &deadlines(&n, &ctx(&r, &c, date(2025, 3, 4)))?,
            "conclusion"
        ),
        Some(date(2025, 6, 3))
    );
    assert!(ds.iter().all(|d| !d.citation.is_empty()));
    Ok(())
}

#[test]
fn a_deadline_in_a_year_without_an_official_calendar_says_it_is_provisional() -> Result<(), Refusal>
{
    // The shipped calendars end with 2026: a case filed in October 2026 concludes in 2027.
    let (r, c) = (rules(), calendar());
    assert!(c.covers(2026) && !c.covers(2027));
    let s = filed(date(2026, 10, 12), BasisKind::Judgment);
    let ds = deadlines(&s, &ctx(&r, &c, date(2026, 10, 13)))?;
    let of = |n: &str| {
        ds.iter()
            .find(|d| d.node == n)
            .and_then(|d| d.provisional_without_calendar)
    };
    assert_eq!(of("notice"), None, "within 2026");
    assert_eq!(of("conclusion"), Some(2027));
    let earlier = filed(date(2025, 3, 3), BasisKind::Judgment);
    let ds = deadlines(&earlier, &ctx(&r, &c, date(2025, 3, 4)))?;
    assert!(ds.iter().all(|d| d.provisional_without_calendar.is_none()));
    Ok(())
}

#[test]
fn overdue_done_and_late() -> Result<(), Refusal> {
    let (r, c, mut s) = judgment();
    act(&mut s, ActionKind::NoticeIssued, date(2025, 3, 20));
    let ds = deadlines(&s, &ctx(&r, &c, date(2025, 3, 25)))?;
    let get = |n: &str| ds.iter().find(|d| d.node == n).map(|d| d.status.clone());
    assert_eq!(get("notice").as_deref(), Some("done_late"));
    assert_eq!(get("officer_assignment").as_deref(), Some("overdue"));
    assert_eq!(get("conclusion").as_deref(), Some("pending"));
    let next = next_actions(&ds);
    assert_eq!(
        next.first().map(|d| d.node.as_str()),
        Some("officer_assignment"),
        "earliest first"
    );
    Ok(())
}

#[test]
fn urgent_clues_get_three_days() -> Result<(), Refusal> {
    let (r, c, mut s) = judgment();
    s.apply(&CaseEvent::ClueSubmitted {
        no: 1,
        description: "房产".into(),
        urgent: true,
        on: date(2025, 3, 10),
    });
    s.apply(&CaseEvent::ClueSubmitted {
        no: 2,
        description: "车辆".into(),
        urgent: false,
        on: date(2025, 3, 10),
    });
    let ds = deadlines(&s, &ctx(&r, &c, date(2025, 3, 11)))?;
    assert_eq!(due(&ds, "clue:1"), Some(date(2025, 3, 13)));
    assert_eq!(due(&ds, "clue:2"), Some(date(2025, 3, 17)));
    Ok(())
}

#[test]
fn suspension_stops_the_clock_and_extension_moves_it() -> Result<(), Refusal> {
    let (r, c, mut s) = judgment();
    s.apply(&decide_suspension(
        &s,
        true,
        "申请执行人申请暂缓执行",
        date(2025, 4, 1),
    )?);
    assert_eq!(s.status, CaseStatus::Suspended);
    s.apply(&decide_suspension(&s, false, "", date(2025, 4, 11))?);
    let today = date(2025, 5, 1);
    let ds = deadlines(&s, &ctx(&r, &c, today))?;
    assert_eq!(
        due(&ds, "conclusion"),
        Some(date(2025, 9, 15)),
        "Sep 3 + 10 days = Sat 13 Sep → Mon 15 Sep"
    );
    s.apply(&decide_extension_request(
        &s,
        3,
        "财产尚待拍卖变价",
        "officer",
        &ctx(&r, &c, today),
    )?);
    s.apply(&decide_extension(
        &s,
        true,
        "院长批准〔2025〕1号",
        "president",
        &ctx(&r, &c, today),
    )?);
    assert_eq!(
        due(&deadlines(&s, &ctx(&r, &c, today))?, "conclusion"),
        Some(date(2025, 12, 15))
    );
    assert_eq!(s.extension_request, None);
    let late =
        decide_extension_request(&s, 1, "仍需变价", "officer", &ctx(&r, &c, date(2026, 1, 5)));
    assert_eq!(late.map_err(|e| e.code), Err("extension_too_late"));
    assert_eq!(
        decide_suspension(&s, false, "", today).map_err(|e| e.code),
        Err("not_suspended")
    );
    assert_eq!(
        decide_suspension(&s, true, "短", today).map_err(|e| e.code),
        Err("reason_required")
    );
    Ok(())
}

#[test]
fn zhongben_refusal_lists_every_unmet_condition() -> Result<(), Refusal> {
    let (r, c, mut s) = judgment();
    let err = decide_closure(
        &s,
        ClosureMode::Zhongben,
        "经穷尽财产调查措施",
        "officer1",
        &NOTHING,
        &ctx(&r, &c, date(2025, 4, 1)),
    )
    .err()
    .ok_or(Refusal::invalid("expected_a_refusal"))?;
    assert_eq!(err.code, "closure_conditions_unmet");
    assert_eq!(err.kind, RefusalKind::Invalid);
    assert_eq!(err.reasons.len(), 9, "{:?}", err.reasons);

    for a in ZHONGBEN_ACTIONS {
        act(&mut s, a, date(2025, 3, 20));
    }
    let early = decide_closure(
        &s,
        ClosureMode::Zhongben,
        "经穷尽财产调查措施",
        "officer1",
        &NOTHING,
        &ctx(&r, &c, date(2025, 5, 1)),
    )
    .err()
    .map(|e| e.reasons);
    assert_eq!(
        early.as_ref().map(Vec::len),
        Some(1),
        "only the three months remain"
    );
    // The period is the rule book's, with its citation: a parameter, not a sentence.
    let rule = r.lookup("case.zhongben.min_since_filing", date(2025, 3, 3), "110105")?;
    let three = early.as_ref().and_then(|e| e.first());
    assert_eq!(three.map(|t| t.code), Some("three_months"));
    let param = |name: &str| three.and_then(|t| t.params.get(name)).cloned();
    assert_eq!(param("value"), Some(Param::Int(rule.value)));
    assert_eq!(param("unit"), Some(Param::from("months")));
    assert_eq!(param("citation"), Some(Param::from(rule.citation.as_str())));
    assert_eq!(param("until"), Some(Param::Date(date(2025, 6, 3))));
    let ok = only(decide_closure(
        &s,
        ClosureMode::Zhongben,
        "经穷尽财产调查措施",
        "officer1",
        &NOTHING,
        &ctx(&r, &c, date(2025, 6, 10)),
    )?);
    assert!(
        matches!(
            ok,
            CaseEvent::ClosureRequested {
                mode: ClosureMode::Zhongben,
                ..
            }
        ),
        "终本 goes to the division head"
    );
    s.apply(&ok);
    assert_eq!(s.status, CaseStatus::PendingClosure);
    // Four eyes: whoever proposed it may neither approve nor send it back.
    for approve in [true, false] {
        let own = decide_approval(
            &s,
            approve,
            "退回重新审查",
            "officer1",
            &NOTHING,
            &ctx(&r, &c, date(2025, 6, 11)),
        );
        assert_eq!(own.map_err(|e| e.code).err(), Some("own_proposal"));
    }
    let closed = only(decide_approval(
        &s,
        true,
        "",
        "head1",
        &NOTHING,
        &ctx(&r, &c, date(2025, 6, 11)),
    )?);
    s.apply(&closed);
    assert_eq!(s.closure.as_ref().map(|c| c.0), Some(ClosureMode::Zhongben));
    assert_eq!(
        decide_closure(
            &s,
            ClosureMode::Withdrawn,
            "重复立案撤销",
            "officer1",
            &NOTHING,
            &ctx(&r, &c, date(2025, 6, 12))
        )
        .map_err(|e| e.code),
        Err("case_closed")
    );
    Ok(())
}

#[test]
fn fully_performed_needs_the_money_and_closes_at_once() -> Result<(), Refusal> {
    let (r, c, mut s) = judgment();
    let cx = ctx(&r, &c, date(2025, 3, 20));
    assert!(
        decide_closure(
            &s,
            ClosureMode::FullyPerformed,
            "全部履行完毕",
            "officer1",
            &NOTHING,
            &cx
        )
        .is_err()
    );
    s.apply(&CaseEvent::PaymentRecorded {
        amount: Fen::new(1_000_000).unwrap_or_default(),
        on: date(2025, 3, 19),
        note: String::new(),
    });
    let e = only(decide_closure(
        &s,
        ClosureMode::FullyPerformed,
        "全部履行完毕",
        "officer1",
        &NOTHING,
        &cx,
    )?);
    assert!(matches!(
        e,
        CaseEvent::Closed {
            mode: ClosureMode::FullyPerformed,
            ..
        }
    ));
    let w = decide_closure(&s, ClosureMode::Withdrawn, "短", "officer1", &NOTHING, &cx)
        .err()
        .map(|e| e.code);
    assert_eq!(w, Some("closure_conditions_unmet"), "a reason is required");
    Ok(())
}

#[test]
fn funds_received_in_the_court_account_count_as_performance() {
    let mut s = filed(date(2025, 3, 3), BasisKind::Judgment);
    let received = CaseEvent::FundsReceived {
        amount: Fen::new(400_000).unwrap_or_default(),
        on: date(2025, 3, 10),
        source: "deduction".into(),
        reference: "BANK-1".into(),
    };
    assert_eq!(received.kind(), "case.funds_received");
    s.apply(&received);
    assert_eq!(s.unpaid(), Fen::new(600_000).unwrap_or_default());
    s.apply(&CaseEvent::PaymentRecorded {
        amount: Fen::new(600_000).unwrap_or_default(),
        on: date(2025, 3, 11),
        note: String::new(),
    });
    assert_eq!(s.unpaid(), Fen::ZERO);
    // The event round-trips through the log's JSON.
    let json = serde_json::to_string(&received).unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<CaseEvent>(&json).ok(),
        Some(received)
    );
}

proptest! {
    #[test]
    fn suspended_days_are_added_to_the_plain_end_then_rolled_once(start in 0i64..300, off in 1i64..60, len in 1i64..60) {
        let (r, c) = (rules(), calendar());
        let filed_on = date(2025, 1, 2).checked_add(jiff::Span::new().days(start)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut s = filed(filed_on, BasisKind::Judgment);
        let today = filed_on.checked_add(jiff::Span::new().days(off + len + 1)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let base = deadlines(&s, &ctx(&r, &c, today)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let from = filed_on.checked_add(jiff::Span::new().days(off)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let to = from.checked_add(jiff::Span::new().days(len)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        s.apply(&CaseEvent::Suspended { on: from, reason: "中止事由".into() });
        s.apply(&CaseEvent::SuspensionEnded { on: to });
        let shifted = deadlines(&s, &ctx(&r, &c, today)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (a, b) = (due(&base, "conclusion"), due(&shifted, "conclusion"));
        // Never earlier; not always later: a day suspended over a weekend end changes nothing.
        prop_assert!(b >= a);
        // The plain end: six months from filing (the rule's figure: without a suspension the
        // deadline is that day or the first working day after it).
        let plain = filed_on.checked_add(jiff::Span::new().months(6)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(a, c.roll_forward(plain).ok());
        // With one: the suspended days are added to the plain end, and the deadline is the
        // first working day on or after that day — not the rolled end plus the days.
        let b = b.unwrap_or(date(2000, 1, 1));
        let mut d = plain.checked_add(jiff::Span::new().days(len)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(b >= d);
        while d < b {
            prop_assert!(!c.is_working_day(d), "{} is a working day before {}", d, b);
            d = d.tomorrow().map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        prop_assert!(c.is_working_day(b));
    }

    #[test]
    fn a_closed_case_has_no_overdue_node(extra in 0i64..400) {
        let (r, c) = (rules(), calendar());
        let mut s = filed(date(2025, 3, 3), BasisKind::Judgment);
        s.apply(&CaseEvent::Closed { mode: ClosureMode::Withdrawn, reason: "误立案撤销".into(), on: date(2025, 3, 4) });
        let today = date(2025, 3, 5).checked_add(jiff::Span::new().days(extra)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let ds = deadlines(&s, &ctx(&r, &c, today)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(ds.iter().all(|d| d.status != "overdue" && d.status != "pending"));
    }
}

const ZHONGBEN_ACTIONS: [ActionKind; 8] = [
    ActionKind::NoticeIssued,
    ActionKind::ConsumptionRestriction,
    ActionKind::DishonestListing,
    ActionKind::OnlineInvestigation,
    ActionKind::TraditionalInvestigation,
    ActionKind::NoEnforceableProperty,
    ActionKind::DebtorSearch,
    ActionKind::Interview,
];

proptest! {
    /// 终本 is decided exactly when every condition holds, and a refusal names exactly the
    /// conditions that do not.
    #[test]
    fn zhongben_is_allowed_iff_every_condition_holds(mask in 0u16..256, clue in 0u8..3, days in 0i64..200, paid_all in any::<bool>()) {
        let (r, c) = (rules(), calendar());
        let filed_on = date(2025, 3, 3);
        let mut s = filed(filed_on, BasisKind::Judgment);
        for (i, a) in ZHONGBEN_ACTIONS.iter().enumerate() {
            if mask & (1 << i) != 0 {
                act(&mut s, *a, filed_on);
            }
        }
        if clue > 0 {
            s.apply(&CaseEvent::ClueSubmitted { no: 1, description: "线索".into(), urgent: false, on: filed_on });
        }
        if clue == 2 {
            s.apply(&CaseEvent::ClueVerified { no: 1, on: filed_on, result: "无".into() });
        }
        if paid_all {
            s.apply(&CaseEvent::PaymentRecorded { amount: s.total_due(), on: filed_on, note: String::new() });
        }
        let today = filed_on.checked_add(jiff::Span::new().days(days)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let cx = ctx(&r, &c, today);
        let expected_unmet = ZHONGBEN_ACTIONS.iter().enumerate().filter(|(i, _)| mask & (1 << i) == 0).count()
            + usize::from(clue == 1)
            + usize::from(today <= date(2025, 6, 3))
            + usize::from(paid_all);
        match decide_closure(&s, ClosureMode::Zhongben, "经穷尽财产调查措施", "officer1", &NOTHING, &cx) {
            Ok(e) => {
                let e = only(e);
                prop_assert_eq!(expected_unmet, 0);
                prop_assert!(matches!(e, CaseEvent::ClosureRequested { mode: ClosureMode::Zhongben, .. }), "needs approval");
            }
            Err(refusal) => {
                prop_assert_eq!(refusal.code, "closure_conditions_unmet");
                prop_assert_eq!(refusal.reasons.len(), expected_unmet);
            }
        }
    }
}

#[test]
fn a_late_extension_is_refused_with_the_rule_that_set_the_time() -> Result<(), Refusal> {
    let (r, c, s) = judgment();
    // Due 3 September 2025; the request must be in by the rule's lead time before it.
    let rule = r.lookup(
        "case.conclude.extension_request",
        date(2025, 8, 1),
        "110105",
    )?;
    let last_day = date(2025, 9, 3)
        .checked_sub(jiff::Span::new().days(rule.value))
        .unwrap();
    assert!(
        decide_extension_request(&s, 1, "财产尚待变价", "officer", &ctx(&r, &c, last_day)).is_ok()
    );
    let after = last_day.tomorrow().unwrap();
    let late = decide_extension_request(&s, 1, "财产尚待变价", "officer", &ctx(&r, &c, after))
        .err()
        .ok_or(Refusal::invalid("expected_a_refusal"))?;
    assert_eq!(late.code, "extension_too_late");
    assert_eq!(late.params.get("value"), Some(&Param::Int(rule.value)));
    assert_eq!(
        late.params.get("rule"),
        Some(&Param::from("case.conclude.extension_request"))
    );
    assert_eq!(
        late.params.get("citation"),
        Some(&Param::from(rule.citation.as_str()))
    );
    assert_eq!(late.params.get("due"), Some(&Param::Date(date(2025, 9, 3))));
    assert_eq!(late.params.get("last_day"), Some(&Param::Date(last_day)));
    let months = decide_extension_request(
        &s,
        13,
        "财产尚待变价",
        "officer",
        &ctx(&r, &c, date(2025, 4, 1)),
    )
    .err()
    .ok_or(Refusal::invalid("expected_a_refusal"))?;
    assert_eq!(
        (months.code, months.reasons[0].code),
        ("invalid_extension", "extension_months")
    );
    Ok(())
}

#[test]
fn refusals_know_their_kind_where_they_are_made() {
    let (r, c, mut s) = judgment();
    let cx = ctx(&r, &c, date(2025, 3, 4));
    let kind = |x: Result<CaseEvent, Refusal>| x.err().map(|e| (e.code, e.kind));
    assert_eq!(
        kind(decide_suspension(&s, false, "", cx.today)),
        Some(("not_suspended", RefusalKind::Conflict))
    );
    assert_eq!(
        kind(decide_suspension(&s, true, "短", cx.today)),
        Some(("reason_required", RefusalKind::Invalid))
    );
    assert_eq!(
        kind(decide_approval(&s, true, "", "head1", &NOTHING, &cx).map(only)),
        Some(("no_closure_pending", RefusalKind::Conflict))
    );
    s.apply(&CaseEvent::Suspended {
        on: cx.today,
        reason: "案外人异议".into(),
    });
    assert_eq!(
        kind(
            decide_closure(
                &s,
                ClosureMode::Zhongben,
                "理由充分的结案",
                "officer1",
                &NOTHING,
                &cx
            )
            .map(only)
        ),
        Some(("case_suspended", RefusalKind::Conflict))
    );
    assert_eq!(
        kind(decide_suspension(&s, true, "再次中止的理由", cx.today)),
        Some(("not_open", RefusalKind::Conflict))
    );
    s.apply(&CaseEvent::Closed {
        mode: ClosureMode::Withdrawn,
        reason: "撤回申请".into(),
        on: cx.today,
    });
    assert_eq!(
        kind(decide_payment(&s, 100, "", cx.today)),
        Some(("case_closed", RefusalKind::Conflict))
    );
}

#[test]
fn assignment_clues_and_payments_are_decided_here() -> Result<(), Refusal> {
    let (_, _, mut s) = judgment();
    let d = date(2025, 3, 4);
    let mut officer = Candidate {
        id: 7,
        name: "王法官".into(),
        court_id: s.court_id.clone(),
        active: true,
        roles: vec![Role::Judge],
    };
    let code = |x: Result<CaseEvent, Refusal>| x.err().map(|e| e.code);
    assert_eq!(
        code(decide_assignment(&s, None, d)),
        Some("invalid_officer")
    );
    officer.roles = vec![Role::Supervisor];
    assert_eq!(
        code(decide_assignment(&s, Some(&officer), d)),
        Some("invalid_officer"),
        "a supervisor handles no case"
    );
    officer.roles = vec![Role::Officer];
    s.apply(&decide_assignment(&s, Some(&officer), d)?);
    assert_eq!(s.officer, Some((7, "王法官".into())));
    assert_eq!(
        code(decide_assignment(&s, Some(&officer), d)),
        Some("already_assigned")
    );

    assert_eq!(code(decide_clue(&s, " ", false, d)), Some("invalid_clue"));
    s.apply(&decide_clue(&s, "被执行人名下车辆", true, d)?);
    assert_eq!(s.clues.first().map(|c| (c.no, c.urgent)), Some((1, true)));
    assert_eq!(
        code(decide_clue_verification(&s, 2, "已核查", d)),
        Some("clue_not_found")
    );
    s.apply(&decide_clue_verification(&s, 1, "车辆已报废", d)?);
    assert_eq!(
        code(decide_clue_verification(&s, 1, "再次核查", d)),
        Some("already_done")
    );

    for bad in [0, -3, MAX_FEN + 1] {
        let e = decide_payment(&s, bad, "", d)
            .err()
            .ok_or(Refusal::invalid("expected_a_refusal"))?;
        assert_eq!(
            (e.code, e.reasons[0].code),
            ("invalid_amount", "amount_invalid")
        );
    }
    s.apply(&decide_payment(&s, MAX_FEN, "", d)?);
    assert_eq!(
        decide_payment(&s, 1, "", d)
            .err()
            .and_then(|e| e.reasons[0].params.get("problem").cloned()),
        Some(Param::from("overflow"))
    );
    let security = decide_security(&s, "", "保证", 0, d)
        .err()
        .ok_or(Refusal::invalid("expected_a_refusal"))?;
    assert_eq!(security.code, "invalid_security");
    assert_eq!(security.reasons.len(), 2, "{security}");
    Ok(())
}

#[test]
fn only_a_terminated_case_is_resumed_and_only_once() -> Result<(), Refusal> {
    let (_, _, mut s) = judgment();
    let code = |x: Result<(), Refusal>| x.err().map(|e| e.code);
    assert_eq!(
        code(check_resumption(&s, "发现新财产")),
        Some("not_terminated")
    );
    s.apply(&CaseEvent::Closed {
        mode: ClosureMode::Zhongben,
        reason: "无财产可供执行".into(),
        on: date(2025, 7, 1),
    });
    assert_eq!(code(check_resumption(&s, "短")), Some("reason_required"));
    s.apply(&decide_resumption(
        &s,
        "发现新财产",
        "(2025)京0105执恢1号",
        9,
    )?);
    assert_eq!(s.resumed_as.as_deref(), Some("(2025)京0105执恢1号"));
    assert_eq!(
        code(check_resumption(&s, "发现新财产")),
        Some("already_resumed")
    );
    Ok(())
}

#[test]
fn the_notice_states_its_periods_and_no_other_step_has_any() {
    let s = filed(date(2025, 3, 3), BasisKind::Judgment);
    let d = date(2025, 3, 4);
    let refused = |a, p| decide_action(&s, a, "", p, d).map_err(|e| (e.code, e.problems()));
    // Without its periods the notice is refused, naming each one missing.
    let (code, problems) = refused(ActionKind::NoticeIssued, none()).unwrap_err(); // allow-panic: test code
    assert_eq!(code, "notice_periods_required");
    let fields: Vec<String> = problems
        .iter()
        .map(|r| {
            r.params
                .get("field")
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(fields, ["perform_days", "report_days"]);
    // Out of bounds: no report period of zero days, nothing beyond the bound typed.
    let (code, problems) = refused(
        ActionKind::NoticeIssued,
        StatedPeriods {
            perform_days: Some(MAX_STATED_DAYS + 1),
            report_days: Some(0),
        },
    )
    .unwrap_err(); // allow-panic: test code
    assert_eq!(code, "notice_periods_required");
    assert_eq!(problems.len(), 2);
    // Zero days to perform is "at once".
    let e = decide_action(
        &s,
        ActionKind::NoticeIssued,
        "",
        StatedPeriods {
            perform_days: Some(0),
            report_days: Some(5),
        },
        d,
    );
    assert!(matches!(
        e,
        Ok(CaseEvent::ActionRecorded {
            terms: Some(NoticeTerms {
                perform_days: 0,
                report_days: 5
            }),
            ..
        })
    ));
    assert_eq!(
        refused(ActionKind::OnlineInvestigation, TERMS).map(|_| ()),
        Err((
            "notice_periods_not_applicable",
            vec![Reason::new("notice_periods_not_applicable")]
        ))
    );
    // A false report and a settlement not performed need what was found.
    for a in [
        ActionKind::PropertyReportFalse,
        ActionKind::SettlementBreached,
    ] {
        assert_eq!(
            refused(a, none()).map(|_| ()).map_err(|e| e.0),
            Err("note_required")
        );
    }
}

#[test]
fn a_notice_recorded_before_periods_were_stated_still_folds_and_writes_back_the_same() {
    let old = r#"{"event":"action_recorded","action":"notice_issued","on":"2025-03-04","note":""}"#;
    let e: CaseEvent = serde_json::from_str(old).expect("an old notice reads"); // allow-panic: test code
    assert!(matches!(e, CaseEvent::ActionRecorded { terms: None, .. }));
    // Written again it is the same text, so the audit chain's hashes hold.
    assert_eq!(serde_json::to_string(&e).expect("writes"), old); // allow-panic: test code
    let mut s = filed(date(2025, 3, 3), BasisKind::Judgment);
    s.apply(&e);
    assert_eq!(s.actions[0].terms, None);
}

#[test]
fn an_extension_is_decided_by_someone_other_than_who_asked() -> Result<(), Refusal> {
    let (r, c, mut s) = judgment();
    let cx = ctx(&r, &c, date(2025, 5, 1));
    assert_eq!(
        decide_extension(&s, true, "同意", "president", &cx).map_err(|e| e.code),
        Err("no_extension_pending")
    );
    s.apply(&decide_extension_request(
        &s,
        2,
        "财产尚待变价",
        "head",
        &cx,
    )?);
    assert_eq!(
        decide_extension_request(&s, 2, "财产尚待变价", "officer", &cx).map_err(|e| e.code),
        Err("extension_pending")
    );
    let own = decide_extension(&s, true, "同意延长", "head", &cx)
        .err()
        .ok_or(Refusal::invalid("expected_a_refusal"))?;
    assert_eq!(own.code, "own_proposal");
    assert_eq!(own.params.get("what"), Some(&Param::from("extension")));
    assert_eq!(
        decide_extension(&s, false, "", "president", &cx).map_err(|e| e.code),
        Err("reason_required")
    );
    s.apply(&decide_extension(
        &s,
        false,
        "理由不充分，应先变价",
        "president",
        &cx,
    )?);
    assert_eq!((s.extension_request.clone(), s.extension_months), (None, 0));
    Ok(())
}
