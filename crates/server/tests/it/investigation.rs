//! Online investigation against the institution simulator over real HTTP: fan-out through the
//! outbox, retries through errors and outages, replies verified and applied once.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::sim::{register_all, sim, wait_until_answered};
use zhixing_testkit::{TestApp, assert_problem};

async fn file(t: &TestApp, token: &str) -> i64 {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"},
            {"role": "respondent", "kind": "person", "name": "王五", "id_number": "110101199001010015"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初5号", "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 5_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(token), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

fn fast() -> zhixing_server::Config {
    zhixing_server::Config {
        outbox_poll: Duration::from_millis(50),
        ..zhixing_testkit::test_config()
    }
}

#[tokio::test]
async fn an_investigation_reaches_every_institution_and_applies_each_reply_once() {
    let t = TestApp::spawn_with(fast()).await;
    let s = sim(&t, 24, 0.3).await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    register_all(&t, &s, &admin).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let case = file(&t, &officer).await;

    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/investigations"),
            Some(&officer),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let started: Value = r.json().await.unwrap();
    assert_eq!(started["messages"], 48, "24 institutions × 2 respondents");
    let inv = started["id"].as_i64().unwrap();

    // A guard against a hang, not a timing goal: 48 round trips through the outbox take ~12 s
    // on an idle debug build and several times that while the machine compiles beside it.
    let done = wait_until_answered(&t, &officer, case, inv, Duration::from_secs(180)).await;
    assert_eq!(done["replied"], 48, "{done}");
    assert_eq!(done["failed"], 0);
    let stats: Value = t
        .client
        .get(format!("{}/stats", s.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        stats["injected_errors"].as_u64().unwrap() > 0,
        "errors were injected and retried: {stats}"
    );
    assert_eq!(stats["refused"], 0, "every request was signed and fresh");

    let assets: Value = t
        .get(&format!("/api/v1/cases/{case}/assets"), Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    let assets = assets.as_array().unwrap();
    assert!(
        !assets.is_empty(),
        "the simulated world holds something for these two"
    );
    let mut refs: Vec<(String, String)> = assets
        .iter()
        .map(|a| {
            (
                a["institution_id"].as_str().unwrap().into(),
                a["reference"].as_str().unwrap().into(),
            )
        })
        .collect();
    let n = refs.len();
    refs.sort();
    refs.dedup();
    assert_eq!(refs.len(), n, "no asset applied twice");

    // The case records the investigation (the first-online-investigation deadline is met) and
    // its timeline shows each reply; reading balances was audited.
    let c: Value = t
        .get(&format!("/api/v1/cases/{case}"), Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    let node = c["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["node"] == "first_online_investigation")
        .unwrap()
        .clone();
    assert_eq!(node["status"], "done");
    let timeline: Value = t
        .get(&format!("/api/v1/cases/{case}/timeline"), Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        timeline
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "investigation.replied")
            .count(),
        48
    );
    assert!(
        t.app
            .store
            .list_events(&Default::default())
            .await
            .unwrap()
            .iter()
            .any(|e| e.kind == "read.sensitive" && e.payload.contains("assets"))
    );
    // No ID number is stored in the clear in the outbox.
    let raw = t.raw_text("SELECT sealed FROM outbox LIMIT 1").await;
    assert!(!raw.contains("110101198001010010"));
    assert!(t.app.store.verify_chain().await.unwrap().is_ok());
}

#[tokio::test]
async fn an_institution_down_for_a_while_gets_its_requests_later() {
    let t = TestApp::spawn_with(fast()).await;
    let s = sim(&t, 3, 0.0).await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    register_all(&t, &s, &admin).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let case = file(&t, &officer).await;
    let r = t
        .client
        .post(format!("{}/control/outage", s.base))
        .json(&json!({"seconds": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let inv = start_investigation(&t, &officer, case).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let during: Value = t
        .get(
            &format!("/api/v1/cases/{case}/investigations/{inv}"),
            Some(&officer),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        during["pending"], 6,
        "shown pending while the institution is down: {during}"
    );
    assert!(
        during["institutions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["last_error"].as_str().is_some_and(|e| e.contains("503")))
    );
    let done = wait_until_answered(&t, &officer, case, inv, Duration::from_secs(30)).await;
    assert_eq!(done["replied"], 6);
}

#[tokio::test]
async fn forged_replayed_unknown_and_malformed_replies_are_refused() {
    let t = TestApp::spawn_with(fast()).await;
    let s = sim(&t, 1, 0.0).await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    register_all(&t, &s, &admin).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let case = file(&t, &officer).await;
    let inv = start_investigation(&t, &officer, case).await;
    wait_until_answered(&t, &officer, case, inv, Duration::from_secs(30)).await;
    let assets_before = t.app.store.assets_of(case).await.unwrap().len();
    let status: Value = t
        .get(
            &format!("/api/v1/cases/{case}/investigations/{inv}"),
            Some(&officer),
        )
        .await
        .json()
        .await
        .unwrap();
    let request_id = status["institutions"][0]["message_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let inst_id = status["institutions"][0]["institution_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let forged_key = zhixing_exchange::KeyPair::generate();
    let reply = |key: &zhixing_exchange::KeyPair, in_reply_to: &str, sent_at: jiff::Timestamp| {
        let mut e = zhixing_exchange::Envelope {
            protocol: zhixing_exchange::PROTOCOL.into(),
            message_id: zhixing_exchange::protocol::new_message_id(),
            kind: zhixing_exchange::MessageKind::Reply,
            sent_at,
            sender: format!("institution:{inst_id}"),
            recipient: "court:b110105".into(),
            case_number: "(2026)京0105执1号".into(),
            officer: zhixing_exchange::Officer {
                id: "1".into(),
                name: "x".into(),
            },
            in_reply_to: Some(in_reply_to.to_owned()),
            body: zhixing_exchange::Body::QueryResult {
                outcome: "found".into(),
                assets: vec![zhixing_exchange::Asset {
                    kind: zhixing_exchange::AssetKind::BankDeposit,
                    reference: "FORGED".into(),
                    description: "x".into(),
                    value_fen: Some(1),
                    encumbrances: vec![],
                }],
            },
            signature: None,
        };
        key.sign(&mut e);
        e
    };
    let post = |e: &zhixing_exchange::Envelope| {
        t.client.post(t.url("/exchange/v1/replies")).json(e).send()
    };
    assert_problem(
        post(&reply(&forged_key, &request_id, jiff::Timestamp::now()))
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "bad_signature",
    )
    .await;
    let stale = reply(
        &forged_key,
        &request_id,
        jiff::Timestamp::now()
            .checked_sub(jiff::SignedDuration::from_secs(3600))
            .unwrap(),
    );
    assert_problem(
        post(&stale).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "stale_message",
    )
    .await;
    let malformed = t
        .client
        .post(t.url("/exchange/v1/replies"))
        .header("content-type", "application/json")
        .body("{\"protocol\": 1}")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, StatusCode::BAD_REQUEST, "malformed_message").await;

    // The institution's own key, but a request it never received.
    let sims: Vec<Value> = t
        .client
        .get(format!("{}/institutions", s.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sims[0]["id"], inst_id.as_str());
    // The simulator re-sends the same reply when a request is delivered again: a replay.
    let again = t
        .client
        .post(format!("{}/institutions/{inst_id}/messages", s.base))
        .body(decrypt_first_request(&t).await)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "the simulator saw it before"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let stats: Value = t
        .client
        .get(format!("{}/stats", s.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["duplicates"], 1);
    assert_eq!(
        t.app.store.assets_of(case).await.unwrap().len(),
        assets_before,
        "nothing applied twice or forged"
    );
    let replied = t
        .app
        .store
        .list_events(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "investigation.replied")
        .count();
    assert_eq!(
        replied, 2,
        "two respondents, one reply each, the replay applied nothing"
    );
}

/// The first outbox message, opened, as the platform sent it.
async fn decrypt_first_request(t: &TestApp) -> String {
    let sealed = t
        .raw_text("SELECT sealed FROM outbox ORDER BY created_at, message_id LIMIT 1")
        .await;
    t.app.cipher.open(&sealed).unwrap()
}

#[tokio::test]
async fn institutions_are_registered_by_the_right_administrators() {
    let t = TestApp::spawn_with(fast()).await;
    let national = t.signed_in("admin0", "spc", Role::Administrator).await;
    let provincial = t.signed_in("admin13", "h13", Role::Administrator).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let key = zhixing_exchange::KeyPair::generate().public_base64();
    let body = |channel: &str, region: &str| {
        json!({"id": "hb-land", "name": "河北省不动产登记中心", "kind": "real_estate_registry", "measures": "query,seize",
        "channel": channel, "region": region, "endpoint": "http://127.0.0.1:9/x", "public_key": key, "concurrency": 4})
    };
    assert_problem(
        t.post_json(
            "/api/v1/institutions",
            Some(&provincial),
            &body("national", ""),
        )
        .await,
        StatusCode::FORBIDDEN,
        "national_institution_at_spc",
    )
    .await;
    assert_problem(
        t.post_json(
            "/api/v1/institutions",
            Some(&provincial),
            &body("local", "11"),
        )
        .await,
        StatusCode::FORBIDDEN,
        "institution_region_outside",
    )
    .await;
    assert_problem(
        t.post_json("/api/v1/institutions", Some(&officer), &body("local", "13"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        t.post_json(
            "/api/v1/institutions",
            Some(&provincial),
            &body("local", "13")
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        t.post_json(
            "/api/v1/institutions",
            Some(&national),
            &body("local", "13")
        )
        .await
        .status(),
        StatusCode::OK,
        "an update"
    );
    let mut bad = body("local", "13");
    bad["public_key"] = json!("nope");
    assert_problem(
        t.post_json("/api/v1/institutions", Some(&national), &bad)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_institution",
    )
    .await;
    bad = body("local", "13");
    bad["kind"] = json!("casino");
    assert_problem(
        t.post_json("/api/v1/institutions", Some(&national), &bad)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_institution",
    )
    .await;
    // A Beijing case does not query a Hebei local registry: no institution applies.
    let case = file(&t, &officer).await;
    assert_problem(
        t.post_json(
            &format!("/api/v1/cases/{case}/investigations"),
            Some(&officer),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "no_institutions",
    )
    .await;
    let events = t.app.store.list_events(&Default::default()).await.unwrap();
    assert!(
        events.iter().any(|e| e.kind == "institution.registered")
            && events.iter().any(|e| e.kind == "institution.updated")
    );
}

/// Starts an investigation of a case; returns its id.
async fn start_investigation(t: &TestApp, token: &str, case: i64) -> i64 {
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/investigations"),
            Some(token),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}
