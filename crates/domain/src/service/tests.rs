#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::{Date, date};

use super::*;
use crate::calendar::WorkingCalendar;
use crate::case::{
    ActionKind, Amounts, Basis, BasisKind, CaseState, NoticeTerms, PartyRecord, PartyRole,
};
use crate::case_number::CaseType;
use crate::credit::{Ground, ListingFacts, ListingRequest, decide_listing};

const ADULT: ListingFacts = ListingFacts {
    birth_date: Some(date(1980, 1, 1)),
    controlled: Fen::ZERO,
};
use crate::money::Fen;
use crate::rules::RuleBook;
use crate::testing::{calendar, ctx, notice_documents, rules_of};

fn rules() -> RuleBook {
    rules_of(&["case.toml", "credit.toml", "service.toml"])
}

fn party(no: u32, role: PartyRole) -> PartyRecord {
    PartyRecord {
        no,
        role,
        kind: "person".into(),
        name: format!("当事人{no}"),
        identifier: "1101**********0010".into(),
        legal_representative: None,
    }
}

/// A case filed on 3 March 2025 with one applicant (1) and two respondents (2, 3), whose
/// notice (7 days to perform, 10 to report) was issued on `on`: documents 1000 and 1001,
/// unserved.
fn noticed(on: Date) -> CaseState {
    let e = CaseEvent::Filed {
        number: "(2025)京0105执1号".into(),
        case_type: CaseType::Zhi,
        court_id: "b110105".into(),
        filed_on: date(2025, 3, 3),
        parties: vec![
            party(1, PartyRole::Applicant),
            party(2, PartyRole::Respondent),
            party(3, PartyRole::Respondent),
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
    };
    let mut s = CaseState::from_filed(&e).unwrap();
    s.apply(&CaseEvent::ActionRecorded {
        action: ActionKind::NoticeIssued,
        on,
        note: String::new(),
        terms: Some(NoticeTerms {
            perform_days: 7,
            report_days: 10,
        }),
    });
    for d in notice_documents(on, 1000) {
        s.apply(&d);
    }
    s
}

fn proof() -> Option<Proof> {
    Some(Proof {
        file_id: Some(7),
        sha256: "cd".repeat(32),
        name: "送达回证.pdf".into(),
    })
}

fn input(method: ServiceMethod, party_no: u32, on: Date) -> ServiceInput {
    ServiceInput {
        document_id: 1000,
        party_no,
        method,
        on: Some(on),
        proof: proof(),
        note: String::new(),
    }
}

fn serve(s: &mut CaseState, i: &ServiceInput, today: Date) -> Result<ServiceRecord, Refusal> {
    let (r, c) = (rules(), calendar());
    let e = decide_service(s, i, "officer", &ctx(&r, &c, today))?;
    s.apply(&e);
    match e {
        CaseEvent::DocumentServed { record } => Ok(record),
        other => panic!("not a service: {other:?}"),
    }
}

fn code(r: Result<ServiceRecord, Refusal>) -> &'static str {
    r.unwrap_err().code
}

#[test]
fn each_method_serves_on_the_day_the_law_fixes() {
    let issued = date(2025, 3, 4);
    let today = date(2025, 3, 20);
    // Direct: the day signed; post: the day of receipt on the return; left at the domicile:
    // the day it was left.
    for (method, on) in [
        (ServiceMethod::Direct, date(2025, 3, 5)),
        (ServiceMethod::Post, date(2025, 3, 8)),
        (ServiceMethod::LeftAtDomicile, date(2025, 3, 6)),
    ] {
        let mut s = noticed(issued);
        let rec = serve(&mut s, &input(method, 2, on), today).unwrap();
        assert_eq!((rec.method, rec.served_on), (method, on));
        assert_eq!(rec.proof.file_id, Some(7));
        assert_eq!(s.service.served_on(1000, 2), Some(on));
        assert_eq!(s.service.served_on(1000, 3), None, "one recipient only");
    }
}

#[test]
fn electronic_service_needs_consent_in_force_and_serves_on_arrival() {
    let mut s = noticed(date(2025, 3, 4));
    let today = date(2025, 3, 6);
    let mut i = input(ServiceMethod::Electronic, 2, date(2025, 3, 5));
    i.proof = None;
    assert_eq!(code(serve(&mut s, &i, today)), "electronic_consent_missing");
    s.apply(&decide_consent(&s, 2, true, Some("sms 138****5678".into()), today).unwrap());
    assert_eq!(
        decide_consent(&s, 2, true, None, today).unwrap_err().code,
        "consent_already_given"
    );
    let rec = serve(&mut s, &i, today).unwrap();
    assert_eq!(
        rec.served_on, today,
        "the day it reached the inbox, not the day typed"
    );
    assert_eq!(
        rec.proof.sha256, s.documents[0].sha256,
        "the receipt names the document's hash"
    );
    // Consent revoked: no more electronic service on that party.
    s.apply(&decide_consent(&s, 2, false, None, today).unwrap());
    assert_eq!(
        decide_consent(&s, 2, false, None, today).unwrap_err().code,
        "consent_not_given"
    );
    let mut j = i.clone();
    j.document_id = 1001;
    assert_eq!(code(serve(&mut s, &j, today)), "electronic_consent_missing");
}

#[test]
fn announcement_needs_a_failed_attempt_and_serves_thirty_days_later() {
    let (r, c) = (rules(), calendar());
    let mut s = noticed(date(2025, 3, 4));
    let today = date(2025, 3, 20);
    let i = input(ServiceMethod::Announcement, 2, date(2025, 3, 10));
    assert_eq!(code(serve(&mut s, &i, today)), "announcement_not_allowed");
    let failure = decide_failure(
        &s,
        &FailureInput {
            document_id: 1000,
            party_no: 2,
            method: ServiceMethod::Post,
            reason: FailureReason::MeansFailed,
            note: "邮件以查无此人退回".into(),
        },
        "officer",
        today,
    )
    .unwrap();
    s.apply(&failure);
    let rec = serve(&mut s, &i, today).unwrap();
    // 10 March + 30 days = 9 April 2025, a Wednesday.
    assert_eq!(rec.announced_on, Some(date(2025, 3, 10)));
    assert_eq!(rec.served_on, date(2025, 4, 9));
    assert_eq!(
        rec.served_on,
        announcement_served_on(date(2025, 3, 10), &ctx(&r, &c, today)).unwrap()
    );
    // Still running: a direct service meanwhile is the service that counts.
    let d = input(ServiceMethod::Direct, 2, date(2025, 3, 19));
    serve(&mut s, &d, today).unwrap();
    assert_eq!(s.service.served_on(1000, 2), Some(date(2025, 3, 19)));
    let list = deliveries(&s, today);
    assert_eq!(
        list.iter()
            .find(|x| x.document_id == 1000 && x.party_no == 2)
            .unwrap()
            .status,
        "served"
    );
}

#[test]
fn an_announcement_before_the_2023_amendment_ran_sixty_days() {
    let (r, c) = (rules(), calendar());
    let on = date(2023, 6, 1);
    assert_eq!(
        announcement_served_on(on, &ctx(&r, &c, on)).unwrap(),
        date(2023, 7, 31)
    );
}

#[test]
fn the_law_refuses_what_it_refuses() {
    let issued = date(2025, 3, 4);
    let today = date(2025, 3, 10);
    let mut s = noticed(issued);
    assert_eq!(
        code(serve(
            &mut s,
            &input(ServiceMethod::Direct, 2, date(2025, 3, 11)),
            today
        )),
        "service_date_in_future"
    );
    assert_eq!(
        code(serve(
            &mut s,
            &input(ServiceMethod::Direct, 2, date(2025, 3, 3)),
            today
        )),
        "service_before_issue"
    );
    let mut no_proof = input(ServiceMethod::Post, 2, date(2025, 3, 8));
    no_proof.proof = None;
    let e = serve(&mut s, &no_proof, today).unwrap_err();
    assert_eq!(e.code, "service_proof_required");
    assert_eq!(
        e.params.get("proof").map(ToString::to_string),
        Some("邮件回执".into())
    );
    let mut no_date = input(ServiceMethod::Direct, 2, today);
    no_date.on = None;
    assert_eq!(
        code(serve(&mut s, &no_date, today)),
        "service_date_required"
    );
    assert_eq!(
        code(serve(
            &mut s,
            &input(ServiceMethod::Direct, 1, today),
            today
        )),
        "not_a_recipient",
        "the notice to the debtor is not served on the applicant"
    );
    let mut unknown = input(ServiceMethod::Direct, 2, today);
    unknown.document_id = 9;
    assert_eq!(
        code(serve(&mut s, &unknown, today)),
        "service_document_not_found"
    );
    serve(&mut s, &input(ServiceMethod::Direct, 2, today), today).unwrap();
    assert_eq!(
        code(serve(&mut s, &input(ServiceMethod::Post, 2, today), today)),
        "already_served"
    );
    assert_eq!(
        decide_failure(
            &s,
            &FailureInput {
                document_id: 1000,
                party_no: 2,
                method: ServiceMethod::Post,
                reason: FailureReason::MeansFailed,
                note: "邮件被退回".into()
            },
            "o",
            today
        )
        .unwrap_err()
        .code,
        "already_served"
    );
    assert_eq!(
        decide_failure(
            &s,
            &FailureInput {
                document_id: 1000,
                party_no: 3,
                method: ServiceMethod::Post,
                reason: FailureReason::MeansFailed,
                note: "退".into()
            },
            "o",
            today
        )
        .unwrap_err()
        .code,
        "failure_note_required"
    );
}

#[test]
fn a_party_opens_only_what_was_served_on_them_and_once_is_recorded() {
    let today = date(2025, 3, 10);
    let mut s = noticed(date(2025, 3, 4));
    assert_eq!(
        decide_opening(&s, 1000, 2, today).unwrap_err().code,
        "service_document_not_found"
    );
    serve(&mut s, &input(ServiceMethod::Direct, 2, today), today).unwrap();
    assert_eq!(
        decide_opening(&s, 1000, 3, today).unwrap_err().code,
        "service_document_not_found",
        "served on 2, not on 3"
    );
    let e = decide_opening(&s, 1000, 2, today).unwrap().unwrap();
    s.apply(&e);
    assert_eq!(s.service.opened(1000, 2), Some(today));
    assert_eq!(
        decide_opening(&s, 1000, 2, date(2025, 3, 11)).unwrap(),
        None
    );
}

#[test]
fn credit_decisions_are_served_on_the_party_concerned() {
    let s = noticed(date(2025, 3, 4));
    let warning = CaseEvent::CreditWarningIssued {
        no: 1,
        grace_days: 10,
        party_no: 3,
        note: String::new(),
        on: date(2025, 3, 5),
        until: date(2025, 3, 15),
    };
    assert_eq!(
        recipients_of(&warning, "credit_warning_notice", &s),
        vec![3]
    );
    assert_eq!(default_recipients("acceptance_notice", &s), vec![1]);
    assert_eq!(default_recipients("suspension_ruling", &s), vec![1, 2, 3]);
}

#[test]
fn unserved_documents_past_the_lead_time_are_overdue() {
    let mut s = noticed(date(2025, 3, 4));
    assert!(overdue_unserved(&s, date(2025, 3, 13), 10).is_empty());
    assert_eq!(
        overdue_unserved(&s, date(2025, 3, 14), 10),
        vec![(1000, 2), (1000, 3), (1001, 2), (1001, 3)]
    );
    serve(
        &mut s,
        &input(ServiceMethod::Direct, 2, date(2025, 3, 5)),
        date(2025, 3, 14),
    )
    .unwrap();
    assert_eq!(overdue_unserved(&s, date(2025, 3, 14), 10).len(), 3);
}

#[test]
fn a_notice_unserved_starts_no_period_and_names_the_missing_service() {
    let (r, c) = (rules(), calendar());
    let mut s = noticed(date(2025, 3, 4));
    let today = date(2025, 6, 1);
    let doc = s.documents[0].clone();
    assert_eq!(
        periods_of(&s, &doc, 2, &ctx(&r, &c, today)).unwrap()[0].period,
        Period::NotStarted {
            document_id: 1000,
            document: "执行通知书".into()
        }
    );
    let req = ListingRequest {
        party_no: 2,
        grounds: vec![Ground::AbleButRefuses, Ground::ReportingBreach],
        facts: "有能力履行而拒不履行".into(),
        bound_persons: vec![],
    };
    let e = decide_listing(&s, &req, ADULT, &ctx(&r, &c, today)).unwrap_err();
    let codes: Vec<_> = e
        .problems()
        .iter()
        .map(|p| (p.code, p.params.get("document").map(ToString::to_string)))
        .collect();
    assert_eq!(
        codes,
        [
            ("notice_unserved", Some("执行通知书".into())),
            ("notice_unserved", Some("报告财产令".into()))
        ]
    );
    // Served on the debtor: the periods run, and long after them the listing may go ahead.
    serve(
        &mut s,
        &input(ServiceMethod::Direct, 2, date(2025, 3, 5)),
        today,
    )
    .unwrap();
    let mut report = input(ServiceMethod::Direct, 2, date(2025, 3, 5));
    report.document_id = 1001;
    serve(&mut s, &report, today).unwrap();
    assert!(decide_listing(&s, &req, ADULT, &ctx(&r, &c, today)).is_ok());
}

/// A calendar of 2024–2026 with these days off (besides weekends) and these Saturdays worked.
fn random_calendar(off: &[i64], on_saturdays: &[i64]) -> WorkingCalendar {
    let start = date(2024, 1, 1);
    let day = |n: i64| start.checked_add(jiff::Span::new().days(n)).unwrap();
    let texts: Vec<(String, String)> = [2024i16, 2025, 2026]
        .into_iter()
        .map(|y| {
            let list = |days: &mut dyn Iterator<Item = Date>| {
                days.filter(|d| d.year() == y)
                    .map(|d| format!("\"{d}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let holidays = list(&mut off.iter().map(|n| day(*n)));
            let workdays = list(
                &mut on_saturdays
                    .iter()
                    .map(|n| day(*n))
                    .filter(|d| d.weekday() == jiff::civil::Weekday::Saturday)
                    .filter(|d| !off.iter().any(|n| day(*n) == *d)),
            );
            (
                format!("{y}.toml"),
                format!("year = {y}\nsource = \"test\"\nholidays = [{holidays}]\nworkdays = [{workdays}]\n"),
            )
        })
        .collect();
    WorkingCalendar::from_toml(texts.iter().map(|(f, t)| (f.as_str(), t.as_str()))).unwrap()
}

proptest::proptest! {
    /// Over random calendars and random days of service, the period to perform runs from the
    /// day of service: its last day is the first working day on or after service + the stated
    /// days, and a listing on ground 1 is allowed exactly after it — and never before service.
    #[test]
    fn the_period_to_perform_runs_from_service(
        issued in 0i64..400,
        delay in 0i64..60,
        days in 0i64..40,
        after in 0i64..120,
        off in proptest::collection::vec(0i64..1000, 0..60),
        saturdays in proptest::collection::vec(0i64..1000, 0..10),
    ) {
        let r = rules();
        let c = random_calendar(&off, &saturdays);
        let start = date(2024, 3, 1);
        let add = |d: Date, n: i64| d.checked_add(jiff::Span::new().days(n)).unwrap();
        let on = add(start, issued);
        let served_on = add(on, delay);
        let today = add(on, after);
        let mut s = noticed(on);
        s.actions[0].terms = Some(NoticeTerms { perform_days: days, report_days: 5 });
        let req = ListingRequest {
            party_no: 2,
            grounds: vec![Ground::AbleButRefuses],
            facts: "有能力履行而拒不履行".into(),
            bound_persons: vec![],
        };
        if today < served_on {
            // Not yet served: no period has started, whatever the day.
            let e = decide_listing(&s, &req, ADULT, &ctx(&r, &c, today)).unwrap_err();
            proptest::prop_assert_eq!(e.problems()[0].code, "notice_unserved");
            return Ok(());
        }
        let i = input(ServiceMethod::Direct, 2, served_on);
        let e = decide_service(&s, &i, "officer", &ctx(&r, &c, today)).unwrap();
        s.apply(&e);
        let p = crate::credit::notice_periods(&s, 2, &ctx(&r, &c, today)).unwrap().unwrap();
        let until = p.perform.until().unwrap();
        let plain = add(served_on, days);
        proptest::prop_assert!(until >= plain);
        proptest::prop_assert!(c.is_working_day(until));
        let mut d = plain;
        while d < until {
            proptest::prop_assert!(!c.is_working_day(d), "{} skipped but a working day", d);
            d = add(d, 1);
        }
        proptest::prop_assert_eq!(p.perform, Period::Runs { from: served_on, until });
        // The other respondent was not served: their period has not started.
        let other = crate::credit::notice_periods(&s, 3, &ctx(&r, &c, today)).unwrap().unwrap();
        let not_started = matches!(other.perform, Period::NotStarted { .. });
        proptest::prop_assert!(not_started, "respondent 3 was never served");
        let listed = decide_listing(&s, &req, ADULT, &ctx(&r, &c, today));
        proptest::prop_assert_eq!(listed.is_ok(), today > until);
    }
}
