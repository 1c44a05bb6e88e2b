//! The case generator: reproducible from its seed, every state represented, through the real
//! services (so the audit chain and documents are intact).

use zhixing_fixtures as generate;
use zhixing_testkit::TestApp;

async fn run(seed: u64) -> (TestApp, generate::Report, Vec<(String, String)>) {
    let t = TestApp::spawn().await;
    t.clock.set("2026-11-20T02:00:00Z".parse().unwrap());
    let courts = vec!["b110105".to_owned(), "b110108".to_owned()];
    let report = generate::cases(&t.app, &courts, 150, seed, &|_, _| {})
        .await
        .unwrap();
    let mut rows = Vec::new();
    for court in &courts {
        let f = zhixing_store::cases::CaseFilter {
            court_id: court.clone(),
            limit: 1000,
            ..Default::default()
        };
        for r in t.app.store.list_cases(&f).await.unwrap() {
            rows.push((r.number, r.closure_mode.unwrap_or(r.status)));
        }
    }
    rows.sort();
    (t, report, rows)
}

#[tokio::test]
async fn the_same_seed_gives_the_same_cases() {
    let (t, a, rows_a) = run(42).await;
    let (_, b, rows_b) = run(42).await;
    assert_eq!(a.cases, 150);
    assert!(rows_a.len() >= 150, "resumed cases come on top");
    assert_eq!(rows_a, rows_b, "same numbers, same outcomes");
    assert_eq!(a.by_state, b.by_state);
    for state in [
        "open",
        "closed:fully_performed",
        "closed:zhongben",
        "closed:withdrawn",
    ] {
        assert!(
            a.by_state.get(state).copied().unwrap_or(0) > 0,
            "{state} in {:?}",
            a.by_state
        );
    }
    let (_, c, rows_c) = run(43).await;
    assert_ne!(
        rows_a, rows_c,
        "another seed, other cases: {:?}",
        c.by_state
    );
    assert!(t.app.store.verify_chain().await.unwrap().is_ok());
    // The demo lists debtors, and lawfully: each listing's grounds had their facts on the
    // case on the day it was made — the notice first, the listing after its period.
    assert!(a.listed > 0, "the demo lists debtors");
    let rules = t.app.rules.current(&t.app.store).await.unwrap();
    let mut checked = 0;
    for court_id in ["b110105", "b110108"] {
        let court = t.app.store.court(court_id).await.unwrap().unwrap();
        let region = zhixing_app::case::region(&court);
        let f = zhixing_store::cases::CaseFilter {
            court_id: court_id.to_owned(),
            limit: 1000,
            ..Default::default()
        };
        for row in t.app.store.list_cases(&f).await.unwrap() {
            let s = zhixing_app::case::state_of(&row).unwrap();
            for l in &s.credit.listings {
                let ctx = zhixing_domain::case::Ctx {
                    rules: &rules,
                    calendar: t.app.calendar.last(),
                    region: &region,
                    today: l.listed_on,
                };
                let missing =
                    zhixing_domain::credit::missing_facts(&s, l.party_no, &l.grounds, &ctx)
                        .unwrap();
                assert!(missing.is_empty(), "{}: {missing:?}", row.number);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, a.listed);
    // Numbers are gapless per court, type and year.
    let mut by_key: std::collections::BTreeMap<(i16, String, String), Vec<u32>> =
        Default::default();
    for (n, _) in &rows_a {
        let n = zhixing_domain::case_number::CaseNumber::parse(n).unwrap();
        by_key
            .entry((n.year, n.court.to_string(), n.case_type.code().to_owned()))
            .or_default()
            .push(n.seq);
    }
    for (k, mut seqs) in by_key {
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=seqs.len() as u32).collect::<Vec<_>>(), "{k:?}");
    }
}
