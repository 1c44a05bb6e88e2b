//! The audit chain: intact after real work, and every kind of tampering caught at the first
//! bad entry — changed, removed, reordered, cut from the end.

use reqwest::StatusCode;
use serde_json::Value;
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem};

async fn verify(t: &TestApp, token: &str) -> Value {
    let r = t.get("/api/v1/audit/verify", Some(token)).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// A server with some history and the token of an auditor of the SPC, who sees the whole
/// chain.
async fn with_history() -> (TestApp, String) {
    let t = TestApp::spawn_quiet().await;
    let auditor = t.signed_in("auditor1", "spc", Role::Auditor).await;
    for i in 0..3 {
        t.user(&format!("user{i}"), "b130102", &[Role::Officer])
            .await;
    }
    (t, auditor)
}

#[tokio::test]
async fn a_busy_chain_verifies() {
    let (t, auditor) = with_history().await;
    let v = verify(&t, &auditor).await;
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(v["scope"], "national");
    assert!(v["entries"].as_i64().unwrap() > 5);
    assert_eq!(v["first_bad_entry"], Value::Null);
    let (n, head) = t.app.store.chain_head().await.unwrap();
    assert_eq!(v["entries"], n);
    assert_eq!(v["head_hash"], head);
}

async fn seq_of(t: &TestApp, kind: &str, subject: &str) -> i64 {
    t.app
        .store
        .list_events(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.kind == kind && e.subject == subject)
        .map(|e| e.seq)
        .unwrap()
}

/// Changes the payload of the event that created `user1`, behind the chain's back; its number.
async fn tamper_with_user1(t: &TestApp) -> i64 {
    let uid = t
        .app
        .store
        .user_by_username("user1")
        .await
        .unwrap()
        .unwrap()
        .id;
    let seq = seq_of(t, "user.created", &format!("user:{uid}")).await;
    let n = t
        .raw_exec(&format!(
            "UPDATE events SET payload = replace(payload, 'user1', 'userX') WHERE seq = {seq}"
        ))
        .await;
    assert_eq!(n, 1);
    seq
}

#[tokio::test]
async fn a_changed_entry_is_named() {
    let (t, auditor) = with_history().await;
    let seq = tamper_with_user1(&t).await;
    let v = verify(&t, &auditor).await;
    assert_eq!(v["intact"], false);
    assert_eq!(v["first_bad_entry"], seq, "{v}");
}

#[tokio::test]
async fn a_removed_entry_is_named() {
    let (t, auditor) = with_history().await;
    let uid = t
        .app
        .store
        .user_by_username("user0")
        .await
        .unwrap()
        .unwrap()
        .id;
    let seq = seq_of(&t, "user.created", &format!("user:{uid}")).await;
    t.raw_exec(&format!("DELETE FROM events WHERE seq = {seq}"))
        .await;
    let v = verify(&t, &auditor).await;
    assert_eq!(v["intact"], false);
    assert_eq!(v["first_bad_entry"], seq, "{v}");
}

#[tokio::test]
async fn reordered_entries_are_named() {
    let (t, auditor) = with_history().await;
    let (n, _) = t.app.store.chain_head().await.unwrap();
    let (a, b) = (n - 2, n - 1);
    // Swap the positions of two entries through a free sequence number.
    t.raw_exec(&format!("UPDATE events SET seq = -1 WHERE seq = {a}"))
        .await;
    t.raw_exec(&format!("UPDATE events SET seq = {a} WHERE seq = {b}"))
        .await;
    t.raw_exec(&format!("UPDATE events SET seq = {b} WHERE seq = -1"))
        .await;
    let v = verify(&t, &auditor).await;
    assert_eq!(v["intact"], false);
    assert_eq!(v["first_bad_entry"], a, "{v}");
}

#[tokio::test]
async fn entries_cut_from_the_end_are_caught() {
    let (t, auditor) = with_history().await;
    let (n, _) = t.app.store.chain_head().await.unwrap();
    t.raw_exec(&format!("DELETE FROM events WHERE seq = {n}"))
        .await;
    let v = verify(&t, &auditor).await;
    assert_eq!(v["intact"], false);
    assert_eq!(v["first_bad_entry"], n, "{v}");
}

#[tokio::test]
async fn an_auditor_below_the_spc_sees_their_courts_figures_only() {
    let (t, spc) = with_history().await;
    // Hebei's high court (h13) has the three accounts of b130102; Beijing's gets one of its own.
    let hebei = t.signed_in("auditor_he", "h13", Role::Auditor).await;
    let beijing = t.signed_in("auditor_bj", "h11", Role::Auditor).await;
    t.user("officer_bj", "b110105", &[Role::Officer]).await;
    let national = verify(&t, &spc).await;
    let he = verify(&t, &hebei).await;
    let bj = verify(&t, &beijing).await;
    assert_eq!(
        (he["scope"].as_str(), he["intact"].as_bool()),
        (Some("h13"), Some(true)),
        "{he}"
    );
    let (n, head) = t.app.store.chain_head().await.unwrap();
    assert_eq!(national["entries"], n);
    assert_eq!(national["head_hash"], head);
    // Their own entries: the accounts made in their reach, not the nation's chain.
    let (he_n, he_last) = t.app.store.chain_figures_under("/spc/h13/").await.unwrap();
    assert_eq!(he["entries"], he_n, "{he}");
    assert!(he_n >= 3 && he_n < n, "{he_n} of {n}");
    assert_eq!(he["head_hash"].as_str(), he_last.as_deref());
    assert_ne!(
        he["head_hash"], head,
        "the national head is not shown below the SPC"
    );
    assert_ne!(he["entries"], bj["entries"]);

    // A break in Hebei's entries: Hebei's auditor and the SPC's are told where; Beijing's is
    // told that the chain is broken, not where.
    let seq = tamper_with_user1(&t).await;
    for token in [&spc, &hebei] {
        let v = verify(&t, token).await;
        assert_eq!(
            (v["intact"].as_bool(), v["first_bad_entry"].as_i64()),
            (Some(false), Some(seq)),
            "{v}"
        );
    }
    let v = verify(&t, &beijing).await;
    assert_eq!(v["intact"], false, "{v}");
    assert_eq!(v["first_bad_entry"], Value::Null, "{v}");
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("outside your courts"),
        "{v}"
    );
}

#[tokio::test]
async fn every_state_change_is_an_event_in_the_same_transaction() {
    let t = TestApp::spawn_quiet().await;
    let before = t.app.store.chain_head().await.unwrap().0;
    t.user("someone", "b110105", &[Role::Judge]).await;
    let after = t.app.store.chain_head().await.unwrap().0;
    assert_eq!(after, before + 1);
    // A refused change leaves no event and no row.
    let err = zhixing_app::identity::users::create_user(
        &t.app,
        None,
        zhixing_app::identity::users::UserSpec {
            username: "someone".into(),
            display_name: "dup".into(),
            court_id: "b110105".into(),
            roles: vec![Role::Officer],
            password: zhixing_testkit::PASSWORD.into(),
            id_number: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "username_taken");
    assert_eq!(t.app.store.chain_head().await.unwrap().0, after);
    assert_eq!(t.app.store.count_users().await.unwrap(), 1);
}

#[tokio::test]
async fn sensitive_reads_are_recorded_on_the_chain() {
    let t = TestApp::spawn_quiet().await;
    t.user("judge1", "b110105", &[Role::Judge]).await;
    let p = zhixing_app::identity::auth::login(
        &t.app,
        "judge1",
        zhixing_testkit::PASSWORD,
        std::net::Ipv4Addr::LOCALHOST.into(),
    )
    .await
    .unwrap()
    .principal;
    zhixing_app::platform::audit::record_sensitive_read(
        &t.app,
        &p,
        "b110105",
        "party:17",
        &["id_number"],
    )
    .await
    .unwrap();
    let e = t
        .app
        .store
        .list_events(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.kind == "read.sensitive")
        .unwrap();
    assert_eq!(e.actor, format!("user:{}", p.user_id));
    assert_eq!(e.subject, "party:17");
    assert!(e.payload.contains("id_number"));
    assert!(t.app.store.verify_chain().await.unwrap().is_ok());
}

#[tokio::test]
async fn auditors_read_events_of_their_reach_only() {
    let t = TestApp::spawn_quiet().await;
    let auditor = t.signed_in("auditor1", "i1301", Role::Auditor).await;
    let below = t.user("below1", "b130102", &[Role::Officer]).await;
    let sibling = t.user("sibling1", "i1302", &[Role::Officer]).await;
    let events: Value = t
        .get("/api/v1/events?limit=1000", Some(&auditor))
        .await
        .json()
        .await
        .unwrap();
    let subjects: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["subject"].as_str().unwrap())
        .collect();
    assert!(
        subjects.contains(&format!("user:{below}").as_str()),
        "{subjects:?}"
    );
    assert!(
        !subjects.contains(&format!("user:{sibling}").as_str()),
        "a sibling's events stay hidden"
    );
    let filtered: Value = t
        .get(
            &format!("/api/v1/events?subject=user:{below}"),
            Some(&auditor),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        filtered
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["subject"] == format!("user:{below}"))
    );
    assert_problem(
        t.get("/api/v1/events?limit=5000", Some(&auditor)).await,
        StatusCode::BAD_REQUEST,
        "invalid_limit",
    )
    .await;
}

#[tokio::test]
async fn the_audit_trail_is_searched_by_kind_subject_court_and_day_and_paged_back() {
    let t = TestApp::spawn_quiet().await;
    let auditor = t.signed_in("auditor_bj", "h11", Role::Auditor).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let filing = serde_json::json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初81号",
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000}
    });
    let id = t
        .post_json("/api/v1/cases", Some(&officer), &filing)
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let events = |q: String| {
        let (t, auditor) = (&t, &auditor);
        async move {
            let r = t.get(&format!("/api/v1/events?{q}"), Some(auditor)).await;
            assert_eq!(r.status(), StatusCode::OK, "{q}");
            r.json::<Value>().await.unwrap().as_array().unwrap().clone()
        }
    };
    // By kind, newest first before a sequence number.
    let cases = events(format!("kind=case.&before={}", i64::MAX)).await;
    assert!(cases.len() >= 2, "{cases:?}");
    assert!(
        cases
            .iter()
            .all(|e| e["kind"].as_str().unwrap().starts_with("case."))
    );
    let seqs: Vec<i64> = cases.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] > w[1]),
        "newest first: {seqs:?}"
    );
    // The page before the newest: the rest, and nothing newer.
    let older = events(format!("kind=case.&before={}", seqs[0])).await;
    assert_eq!(older.len(), cases.len() - 1);
    // By subject, by court (the case's, within the auditor's reach), by day.
    let subject = events(format!("subject=case:{id}")).await;
    assert!(!subject.is_empty() && subject.iter().all(|e| e["subject"] == format!("case:{id}")));
    let court = events("court=b110105&kind=case.filed".into()).await;
    assert_eq!(court.len(), 1);
    let today = t.app.today();
    let tomorrow = today.checked_add(jiff::Span::new().days(1)).unwrap();
    assert!(
        !events(format!("kind=case.filed&from={today}&to={today}"))
            .await
            .is_empty()
    );
    assert!(
        events(format!("kind=case.filed&from={tomorrow}"))
            .await
            .is_empty()
    );
    // A court outside the auditor's reach is not searched.
    let r = t.get("/api/v1/events?court=b130102", Some(&auditor)).await;
    assert_problem(r, StatusCode::NOT_FOUND, "court_not_found").await;

    // The page: the same search as a form, steps named, actors by name, Beijing time.
    let cookie = t.page_login("auditor_bj").await;
    let (status, page) = t
        .html(
            &format!("/audit?subject=case:{id}&kind=case.filed"),
            &cookie,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let table = page.split("id=\"events\"").nth(1).unwrap();
    assert!(
        table.contains("<td>立案</td>") && table.contains("officer1 测试"),
        "{table}"
    );
    assert_eq!(table.matches("data-seq=").count(), 1);
    assert!(table.contains(&today.to_string()));
}
