#![allow(clippy::expect_used)]

use jiff::civil::{Date, date};

use super::*;
use crate::case::{Amounts, Basis, BasisKind, CaseStatus, ClosureMode};
use crate::case_number::CaseType;

fn filed(on: Date) -> CaseState {
    CaseState::from_filed(&CaseEvent::Filed {
        number: "(2026)京0105执1号".into(),
        case_type: CaseType::Zhi,
        court_id: "b110105".into(),
        filed_on: on,
        parties: vec![],
        basis: Basis {
            kind: BasisKind::Judgment,
            issuing_body: "北京市朝阳区人民法院".into(),
            document_number: "(2025)京0105民初1号".into(),
            effective_date: date(2025, 12, 1),
            performance_deadline: date(2025, 12, 20),
        },
        amounts: Amounts::default(),
        duties: String::new(),
        late_reason: None,
        resumed_from: None,
    })
    .expect("a Filed event starts a case") // allow-panic: test code
}

fn report<'a>(method: FieldMethod, on: Date, place: &'a str, findings: &'a str) -> FieldReport<'a> {
    FieldReport {
        method,
        on,
        place,
        findings,
        attachments: 0,
    }
}

#[test]
fn a_field_visit_is_a_traditional_investigation_on_its_own_day() {
    let mut s = filed(date(2026, 3, 2));
    let today = date(2026, 3, 20);
    let mut r = report(
        FieldMethod::FieldVisit,
        date(2026, 3, 10),
        " 北京市朝阳区某路1号 ",
        "未发现可供执行的财产",
    );
    r.attachments = 2;
    let e = decide_field_investigation(&s, &r, today);
    assert_eq!(
        e,
        Ok(CaseEvent::ActionRecorded {
            action: ActionKind::TraditionalInvestigation,
            on: date(2026, 3, 10),
            note: "实地调查：北京市朝阳区某路1号（附件 2 件）".into(),
            terms: None,
        })
    );
    if let Ok(e) = e {
        s.apply(&e);
    }
    assert!(s.has(ActionKind::TraditionalInvestigation));
    // A reward notice and an audit need no place; the filing day and today are allowed.
    for (m, on) in [
        (FieldMethod::RewardNotice, date(2026, 3, 2)),
        (FieldMethod::Audit, today),
    ] {
        assert!(decide_field_investigation(&s, &report(m, on, "", "x"), today).is_ok());
    }
}

#[test]
fn bad_reports_are_refused_with_every_problem() {
    let mut s = filed(date(2026, 3, 2));
    let today = date(2026, 3, 20);
    let code = |s: &CaseState, r: FieldReport<'_>| {
        decide_field_investigation(s, &r, today).map_err(|e| (e.code, e.problems().len()))
    };
    let ok = date(2026, 3, 10);
    assert_eq!(
        code(&s, report(FieldMethod::Audit, date(2026, 3, 21), "", "x")),
        Err(("date_in_future", 1))
    );
    assert_eq!(
        code(&s, report(FieldMethod::Audit, date(2026, 3, 1), "", "x")),
        Err(("date_before_filing", 1))
    );
    assert_eq!(
        code(&s, report(FieldMethod::Search, ok, "  ", "x")),
        Err(("place_required", 1))
    );
    assert_eq!(
        code(&s, report(FieldMethod::Audit, ok, &"地".repeat(201), "x")),
        Err(("invalid_place", 1))
    );
    assert_eq!(
        code(&s, report(FieldMethod::Audit, ok, "", " \n ")),
        Err(("invalid_findings", 1))
    );
    assert_eq!(
        code(&s, report(FieldMethod::Audit, ok, "", &"查".repeat(4001))),
        Err(("invalid_findings", 1))
    );
    assert!(code(&s, report(FieldMethod::Audit, ok, "", &"查".repeat(4000))).is_ok());
    let mut six = report(FieldMethod::Audit, ok, "", "x");
    six.attachments = 6;
    assert_eq!(code(&s, six), Err(("too_many_attachments", 1)));
    assert_eq!(
        code(&s, report(FieldMethod::Search, date(2026, 4, 1), "", "")),
        Err(("invalid_field_investigation", 3))
    );
    s.apply(&CaseEvent::Closed {
        mode: ClosureMode::Withdrawn,
        reason: "撤回申请".into(),
        on: today,
    });
    assert_eq!(s.status, CaseStatus::Closed);
    assert_eq!(
        code(&s, report(FieldMethod::Audit, ok, "", "x")),
        Err(("case_closed", 1))
    );
}

#[test]
fn methods_round_trip() {
    for m in FieldMethod::ALL {
        assert_eq!(FieldMethod::parse(m.as_str()), Some(m));
    }
    assert_eq!(FieldMethod::parse("séance"), None);
}

#[test]
fn file_kinds_come_from_magic_bytes() {
    assert_eq!(FileKind::sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
    assert_eq!(
        FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F']),
        Some(FileKind::Jpeg)
    );
    assert_eq!(
        FileKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        Some(FileKind::Png)
    );
    assert_eq!(
        FileKind::sniff(b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41"),
        Some(FileKind::Mp4)
    );
    for bad in [
        &b"MZ\x90\0\x03\0\0\0"[..],
        b"<!DOCTYPE html><html>",
        b"%PD",
        b"",
        b"\0\0\0\x18ftypqt  \0\0\0\0qt  ",
        b"\0\0\0\x18ftypheic\0\0\0\0mif1",
        b"\0\0\0\x04ftypisom",
        b"GIF89a",
    ] {
        assert_eq!(FileKind::sniff(bad), None, "{bad:?}");
    }
    for k in FileKind::ALL {
        assert_eq!(FileKind::from_content_type(k.content_type()), Some(k));
    }
}

#[test]
fn display_names_are_plain_and_fit_their_kind() {
    let cases = [
        ("现场照片.jpg", FileKind::Jpeg, "现场照片.jpg"),
        ("C:\\Users\\x\\扫描件.PDF", FileKind::Pdf, "扫描件.PDF"),
        ("../../etc/passwd", FileKind::Pdf, "passwd.pdf"),
        ("photo\u{202E}gpj.exe", FileKind::Jpeg, "photogpj.exe.jpg"),
        ("a\"b;c\r\nd<e>.png", FileKind::Png, "abcde.png"),
        ("  ...  ", FileKind::Mp4, "附件.mp4"),
        ("", FileKind::Png, "附件.png"),
        ("report.pdf", FileKind::Jpeg, "report.pdf.jpg"),
        ("two   spaces .pdf", FileKind::Pdf, "two spaces .pdf"),
    ];
    for (raw, kind, want) in cases {
        assert_eq!(display_name(raw, kind), want, "{raw:?}");
    }
    let long = display_name(&"名".repeat(300), FileKind::Png);
    assert_eq!(long.chars().count(), 104);
}
