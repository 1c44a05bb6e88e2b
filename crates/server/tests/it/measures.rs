//! Control measures against the institution simulator over real HTTP: freezes within what is
//! due and the legal period, the waiting list between courts, renewal before expiry, release,
//! expiry and its alerts.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::sim::{Sim, register_all, sim, sim_with_latency, stats, wait_until_answered};
use zhixing_testkit::{TestApp, assert_problem};

pub(crate) const DEBTOR: &str = "110101198001010010";

pub(crate) fn fast() -> zhixing_server::Config {
    zhixing_server::Config {
        outbox_poll: Duration::from_millis(50),
        sweep_interval: Duration::from_secs(3600),
        ..zhixing_testkit::test_config()
    }
}

pub(crate) async fn file(t: &TestApp, token: &str, doc: &str, principal: i64) -> i64 {
    file_against(t, token, doc, principal, DEBTOR).await
}

async fn file_against(t: &TestApp, token: &str, doc: &str, principal: i64, debtor: &str) -> i64 {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": debtor}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc, "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": principal}
    });
    let r = t.post_json("/api/v1/cases", Some(token), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// Investigates a case and returns what was found.
pub(crate) async fn investigate(t: &TestApp, token: &str, case: i64) -> Vec<Value> {
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/investigations"),
            Some(token),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let inv = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    wait_until_answered(t, token, case, inv, Duration::from_secs(60)).await;
    let assets: Value = t
        .get_value(&format!("/api/v1/cases/{case}/assets"), Some(token))
        .await;
    assets.as_array().unwrap().clone()
}

/// A deposit nobody else holds, with money on it.
pub(crate) fn free_deposit(assets: &[Value]) -> Value {
    assets
        .iter()
        .find(|a| {
            a["kind"] == "bank_deposit"
                && a["encumbrances"] == "[]"
                && a["value_fen"].as_i64().unwrap_or(0) > 10_000
        })
        .unwrap_or_else(|| panic!("the simulated world holds a free deposit: {assets:?}"))
        .clone()
}

pub(crate) async fn measure(
    t: &TestApp,
    token: &str,
    asset: i64,
    body: Value,
) -> reqwest::Response {
    t.post_json(
        &format!("/api/v1/assets/{asset}/measures"),
        Some(token),
        &body,
    )
    .await
}

/// Waits until the institution has answered the measure (and any renewal or release).
pub(crate) async fn settled(t: &TestApp, token: &str, id: i64) -> Value {
    let start = Instant::now();
    loop {
        let m: Value = t
            .get_value(&format!("/api/v1/measures/{id}"), Some(token))
            .await;
        if m["status"] != "requested" && m["pending"].is_null() {
            return m;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "unanswered: {m}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn setup(t: &TestApp) -> Sim {
    let s = sim(t, 24, 0.0).await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    register_all(t, &s, &admin).await;
    s
}

/// How many of a case's open alerts are of this kind (the command centre's deadline and
/// untouched-case alerts come and go beside them as the clock jumps).
fn of_kind(alerts: &Value, kind: &str) -> usize {
    alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == kind)
        .count()
}

#[tokio::test]
async fn a_deposit_is_frozen_within_what_is_due_for_the_legal_period_then_renewed_and_released() {
    let t = TestApp::spawn_with(fast()).await;
    // The institutions answer after a second, so that a renewal asked twice in a row finds
    // the first still open however loaded the machine is.
    let s = sim_with_latency(&t, 24, 0.0, Duration::from_secs(1)).await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    register_all(&t, &s, &admin).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let case = file(&t, &officer, "(2026)京0105民初7号", 50_000).await;
    let assets = investigate(&t, &officer, case).await;
    let deposit = free_deposit(&assets);
    let asset = deposit["id"].as_i64().unwrap();

    // Above what is due: refused, nothing sent.
    let r = measure(
        &t,
        &officer,
        asset,
        json!({"kind": "freeze", "amount_fen": 50_001}),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "amount_above_due").await;
    // Beyond the legal maximum (one year for deposits): refused.
    let too_long = t
        .app
        .today()
        .checked_add(jiff::Span::new().years(1))
        .unwrap();
    let r = measure(
        &t,
        &officer,
        asset,
        json!({"kind": "freeze", "amount_fen": 100, "until": too_long}),
    )
    .await;
    let p = assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_measure").await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("legal maximum")
            || p.to_string().contains("legal maximum"),
        "{p}"
    );
    // Wrong measure for the property, a deduction with a period, an unknown kind.
    for body in [
        json!({"kind": "seize"}),
        json!({"kind": "deduct", "amount_fen": 10, "until": "2027-01-01"}),
        json!({"kind": "melt", "amount_fen": 10}),
        json!({"kind": "freeze"}),
        json!({"kind": "freeze", "amount_fen": -5}),
    ] {
        let r = measure(&t, &officer, asset, body.clone()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    // Another court's officer does not see the asset; an auditor may not act.
    let other = t.signed_in("officer2", "b110101", Role::Officer).await;
    let r = measure(
        &t,
        &other,
        asset,
        json!({"kind": "freeze", "amount_fen": 100}),
    )
    .await;
    assert_problem(r, StatusCode::NOT_FOUND, "asset_not_found").await;
    let auditor = t.signed_in("auditor1", "b110105", Role::Auditor).await;
    let r = measure(
        &t,
        &auditor,
        asset,
        json!({"kind": "freeze", "amount_fen": 100}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM measures")
            .await,
        "0",
        "no refused request left anything behind"
    );

    let amount = 40_000.min(deposit["value_fen"].as_i64().unwrap());
    let r = measure(
        &t,
        &officer,
        asset,
        json!({"kind": "freeze", "amount_fen": amount}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let m: Value = r.json().await.unwrap();
    let id = m["id"].as_i64().unwrap();
    let legal_last_day = t
        .app
        .today()
        .checked_add(jiff::Span::new().years(1))
        .unwrap()
        .yesterday()
        .unwrap();
    assert_eq!(m["requested_until"], legal_last_day.to_string());
    let m = settled(&t, &officer, id).await;
    assert_eq!(m["status"], "active", "{m}");
    assert_eq!(m["held_fen"], amount);
    assert_eq!(m["until"], legal_last_day.to_string());
    assert_eq!(
        m["days_left"].as_i64().unwrap(),
        364.max(m["days_left"].as_i64().unwrap()).min(365)
    );

    // What is left of the debt may still be frozen, no more; the same measure twice is refused.
    let r = measure(
        &t,
        &officer,
        asset,
        json!({"kind": "freeze", "amount_fen": 100}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let sim_view: Value = t
        .client
        .get(format!(
            "{}/institutions/{}/property/{}",
            s.base,
            deposit["institution_id"].as_str().unwrap(),
            deposit["reference"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        sim_view["holders"].as_array().unwrap().len(),
        1,
        "{sim_view}"
    );

    // Alerts well before expiry: 20 days before the last day the watch worker raises one.
    t.clock.set(
        legal_last_day
            .checked_sub(jiff::Span::new().days(20))
            .unwrap()
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
            .unwrap()
            .timestamp(),
    );
    let swept = zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert_eq!(swept.alerts_raised, 1);
    let again = zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert_eq!(again.alerts_raised, 0, "one alert, not one per sweep");
    let alerts: Value = t
        .get_value(&format!("/api/v1/cases/{case}/alerts"), Some(&officer))
        .await;
    assert_eq!(of_kind(&alerts, "measure_expiring"), 1, "{alerts}");
    let head = t.signed_in("head1", "b110105", Role::DivisionHead).await;
    // The case's deadline alerts are listed too: only this kind is counted here.
    let listed: Value = t
        .get_value("/api/v1/alerts?kind=measure_expiring", Some(&head))
        .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    let elsewhere: Value = t.get_value("/api/v1/alerts", Some(&other)).await;
    assert_eq!(
        elsewhere["items"].as_array().unwrap().len(),
        0,
        "another court sees none of them"
    );

    // Renewal: by default one more legal period after the current last day.
    let r = t
        .post_json(
            &format!("/api/v1/measures/{id}/renewal"),
            Some(&officer),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let r = t
        .post_json(
            &format!("/api/v1/measures/{id}/renewal"),
            Some(&officer),
            &json!({}),
        )
        .await;
    assert_problem(r, StatusCode::CONFLICT, "measure_busy").await;
    let m = settled(&t, &officer, id).await;
    let renewed_to = legal_last_day
        .checked_add(jiff::Span::new().years(1))
        .unwrap();
    assert_eq!(m["until"], renewed_to.to_string(), "{m}");
    let alerts: Value = t
        .get_value(&format!("/api/v1/cases/{case}/alerts"), Some(&officer))
        .await;
    assert_eq!(
        of_kind(&alerts, "measure_expiring"),
        0,
        "renewal clears the alert"
    );

    // Release on payment.
    let r = t
        .post_json(
            &format!("/api/v1/measures/{id}/release"),
            Some(&officer),
            &json!({"reason": ""}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = t
        .post_json(
            &format!("/api/v1/measures/{id}/release"),
            Some(&officer),
            &json!({"reason": "被执行人已履行"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let m = settled(&t, &officer, id).await;
    assert_eq!(m["status"], "released");
    let r = t
        .post_json(
            &format!("/api/v1/measures/{id}/renewal"),
            Some(&officer),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let st = stats(&t, &s).await;
    assert_eq!(st["duplicate_measures"], 0, "{st}");
    let timeline: Value = t
        .get_value(&format!("/api/v1/cases/{case}/timeline"), Some(&officer))
        .await;
    let kinds: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    for k in [
        "measure.requested",
        "measure.in_effect",
        "measure.renewed",
        "measure.released",
    ] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
}

#[tokio::test]
async fn an_unrenewed_measure_expires_and_cannot_be_renewed_after() {
    let t = TestApp::spawn_with(fast()).await;
    let _s = setup(&t).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let case = file(&t, &officer, "(2026)京0105民初8号", 50_000).await;
    let assets = investigate(&t, &officer, case).await;
    let asset = free_deposit(&assets)["id"].as_i64().unwrap();
    let until = t
        .app
        .today()
        .checked_add(jiff::Span::new().days(40))
        .unwrap();
    let r = measure(
        &t,
        &officer,
        asset,
        json!({"kind": "freeze", "amount_fen": 1_000, "until": until}),
    )
    .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert_eq!(settled(&t, &officer, id).await["status"], "active");

    t.clock.advance(Duration::from_secs(41 * 86_400 + 3_600));
    let swept = zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert_eq!(swept.expired, 1);
    let m: Value = t
        .get_value(&format!("/api/v1/measures/{id}"), Some(&officer))
        .await;
    assert_eq!(m["status"], "expired");
    let r = t
        .post_json(
            &format!("/api/v1/measures/{id}/renewal"),
            Some(&officer),
            &json!({}),
        )
        .await;
    assert_problem(r, StatusCode::CONFLICT, "measure_expired").await;
    let alerts: Value = t
        .get_value(&format!("/api/v1/cases/{case}/alerts"), Some(&officer))
        .await;
    assert_eq!(of_kind(&alerts, "measure_expired"), 1, "{alerts}");
}

#[tokio::test]
async fn a_second_court_waits_in_line_and_takes_effect_when_the_first_lifts() {
    let t = TestApp::spawn_with(fast()).await;
    let s = setup(&t).await;
    let first = t.signed_in("officer1", "b110105", Role::Officer).await;
    let second = t.signed_in("officer2", "b110101", Role::Officer).await;
    let case_a = file(&t, &first, "(2026)京0105民初9号", 50_000).await;
    let case_b = file(&t, &second, "(2026)京0101民初9号", 50_000).await;
    let assets_a = investigate(&t, &first, case_a).await;
    let assets_b = investigate(&t, &second, case_b).await;
    let a = free_deposit(&assets_a);
    let b = assets_b
        .iter()
        .find(|x| x["institution_id"] == a["institution_id"] && x["reference"] == a["reference"])
        .expect("the same property, found by both courts")
        .clone();

    let r = measure(
        &t,
        &first,
        a["id"].as_i64().unwrap(),
        json!({"kind": "freeze", "amount_fen": 1_000}),
    )
    .await;
    let ma = settled(
        &t,
        &first,
        r.json::<Value>().await.unwrap()["id"].as_i64().unwrap(),
    )
    .await;
    assert_eq!(ma["status"], "active");

    // The second court may not deduct what the first holds, but may wait in line (轮候).
    let r = measure(
        &t,
        &second,
        b["id"].as_i64().unwrap(),
        json!({"kind": "deduct", "amount_fen": 1_000}),
    )
    .await;
    assert_problem(r, StatusCode::CONFLICT, "held_by_other_court").await;
    let r = measure(
        &t,
        &second,
        b["id"].as_i64().unwrap(),
        json!({"kind": "freeze", "amount_fen": 2_000}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let mb_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let mb = settled(&t, &second, mb_id).await;
    assert_eq!(mb["status"], "queued", "{mb}");
    assert_eq!(mb["queue_position"], 1);
    assert!(mb["until"].is_null(), "a waiting measure has no period yet");

    // The first lifts: the institution tells the second court its measure is now in effect.
    let r = t
        .post_json(
            &format!("/api/v1/measures/{}/release", ma["id"]),
            Some(&first),
            &json!({"reason": "已履行完毕"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(
        settled(&t, &first, ma["id"].as_i64().unwrap()).await["status"],
        "released"
    );
    let start = Instant::now();
    let mb = loop {
        let m: Value = t
            .get_value(&format!("/api/v1/measures/{mb_id}"), Some(&second))
            .await;
        if m["status"] == "active" {
            break m;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "still waiting: {m}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(mb["until"].is_string(), "{mb}");
    assert!(mb["queue_position"].is_null());
    let st = stats(&t, &s).await;
    assert_eq!(st["duplicate_measures"], 0, "{st}");
}

#[tokio::test]
async fn property_another_court_already_holds_puts_a_measure_on_the_waiting_list() {
    let t = TestApp::spawn_with(fast()).await;
    let _s = setup(&t).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let case = file_against(
        &t,
        &officer,
        "(2026)京0105民初10号",
        50_000,
        "110101199001010015",
    )
    .await;
    let assets = investigate(&t, &officer, case).await;
    // The simulated world marks some property as held by a court outside the platform.
    let a = assets
        .iter()
        .find(|a| a["encumbrances"] != "[]")
        .unwrap_or_else(|| {
            panic!(
                "the simulated world (seed 11) holds encumbered property of this debtor: {assets:?}"
            )
        })
        .clone();
    let body = match a["kind"].as_str().unwrap() {
        "vehicle" | "ship" | "real_estate" => json!({"kind": "seize"}),
        _ => json!({"kind": "freeze", "amount_fen": 100}),
    };
    let id = a["id"].as_i64().unwrap();
    if body["kind"] == "freeze" {
        let r = measure(
            &t,
            &officer,
            id,
            json!({"kind": "deduct", "amount_fen": 100}),
        )
        .await;
        let deposit = matches!(
            a["kind"].as_str(),
            Some("bank_deposit" | "internet_bank" | "online_payment")
        );
        let expected = if deposit {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        assert_eq!(r.status(), expected, "no deduction from held property");
    }
    let r = measure(&t, &officer, id, body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let m = settled(
        &t,
        &officer,
        r.json::<Value>().await.unwrap()["id"].as_i64().unwrap(),
    )
    .await;
    assert_eq!(m["status"], "queued", "{m}");
    assert_eq!(m["queue_position"], 1);
}

/// Closes a case as 终本 the way an officer and the division head do.
async fn close_zhongben(t: &TestApp, officer: &str, head: &str, id: i64) {
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/restriction-orders"),
            Some(officer),
            &json!({"party_no": 2, "reason": "被执行人未履行生效法律文书确定的义务"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    for (a, note) in [
        ("notice_issued", ""),
        ("online_investigation", ""),
        ("traditional_investigation", ""),
        ("no_enforceable_property", ""),
        ("debtor_search", ""),
        ("dishonest_not_applicable", "被执行人已提供担保"),
        ("interview", "申请执行人同意终结本次执行程序"),
    ] {
        let r = t
            .post_json(
                &format!("/api/v1/cases/{id}/actions"),
                Some(officer),
                &if a == "notice_issued" {
                    json!({"action": a, "perform_days": 7, "report_days": 10})
                } else {
                    json!({"action": a, "note": note})
                },
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{a}");
    }
    t.clock.advance(Duration::from_secs(100 * 86_400));
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/closure"),
            Some(officer),
            &json!({"mode": "zhongben", "reason": "穷尽财产调查措施未发现财产"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/closure/decision"),
            Some(head),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_zhongben_case_is_reinvestigated_every_six_months_and_found_property_proposes_resumption()
{
    let t = TestApp::spawn_with(fast()).await;
    let _s = setup(&t).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let head = t.signed_in("head1", "b110105", Role::DivisionHead).await;
    let case = file(&t, &officer, "(2026)京0105民初12号", 50_000).await;
    close_zhongben(&t, &officer, &head, case).await;
    let watch = || zhixing_app::command_centre::watch::sweep(&t.app);

    assert_eq!(watch().await.unwrap().rechecks_started, 0, "not yet due");
    t.clock.advance(Duration::from_secs(190 * 86_400));
    assert_eq!(watch().await.unwrap().rechecks_started, 1);
    assert_eq!(
        watch().await.unwrap().rechecks_started,
        0,
        "one re-investigation per interval, however often the worker runs"
    );
    let inv: i64 = t
        .raw_text("SELECT CAST(id AS TEXT) FROM investigations WHERE purpose = 'recheck'")
        .await
        .parse()
        .unwrap();
    let done = wait_until_answered(&t, &officer, case, inv, Duration::from_secs(60)).await;
    assert_eq!(done["failed"], 0);
    let c = t
        .get_value(&format!("/api/v1/cases/{case}"), Some(&officer))
        .await;
    assert_eq!(
        c["status"], "closed",
        "the case stays closed: resuming is the officer's decision"
    );
    let alerts = t
        .get_value(&format!("/api/v1/cases/{case}/alerts"), Some(&officer))
        .await;
    let found = alerts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "property_found")
        .unwrap_or_else(|| panic!("an alert proposes resumption: {alerts}"));
    assert!(found["message"].as_str().unwrap().contains("恢复执行"));

    // Every six months for five years, then no more.
    t.clock.advance(Duration::from_secs(5 * 366 * 86_400));
    assert_eq!(
        watch().await.unwrap().rechecks_started,
        0,
        "the period is over"
    );
    assert_eq!(
        t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM zhongben_rechecks")
            .await,
        "0",
        "and the case is no longer read by the scan"
    );
}

#[tokio::test]
async fn a_deduction_lands_in_the_case_account_once_and_must_be_paid_out_in_time() {
    let t = TestApp::spawn_with(fast()).await;
    let _s = setup(&t).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let head = t.signed_in("head1", "b110105", Role::DivisionHead).await;
    let case = file(&t, &officer, "(2026)京0105民初13号", 50_000).await;
    let assets = investigate(&t, &officer, case).await;
    let deposit = free_deposit(&assets);
    let r = measure(
        &t,
        &officer,
        deposit["id"].as_i64().unwrap(),
        json!({"kind": "deduct", "amount_fen": 30_000}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let m = settled(&t, &officer, id).await;
    assert_eq!(m["status"], "done", "{m}");
    assert_eq!(m["held_fen"], 30_000);

    let account = t
        .get_value(&format!("/api/v1/cases/{case}/account"), Some(&officer))
        .await;
    assert_eq!(account["balance_fen"], 30_000, "{account}");
    assert_eq!(account["receipts"].as_array().unwrap().len(), 1);
    assert_eq!(account["receipts"][0]["source"], "deduction");
    let c = t
        .get_value(&format!("/api/v1/cases/{case}"), Some(&officer))
        .await;
    assert_eq!(
        c["unpaid"], 20_000,
        "the deduction counts as performance: {c}"
    );
    // What remains due bounds the next measure.
    let r = measure(
        &t,
        &officer,
        deposit["id"].as_i64().unwrap(),
        json!({"kind": "deduct", "amount_fen": 20_001}),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "amount_above_due").await;

    // The day after the payout is due (30 days, moved to a working day: read from the
    // account, not counted here, since the weekday it falls on depends on today), the money
    // still in the account raises an alert.
    let due: jiff::civil::Date = account["receipts"][0]["payout_due"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let days = t.app.today().until(due).unwrap().get_days();
    assert!(days >= 30, "due {due}, {days} days on");
    t.clock.advance(Duration::from_secs(
        u64::try_from(days + 1).unwrap() * 86_400,
    ));
    let swept = zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert_eq!(swept.alerts_raised, 1, "{swept:?}");
    let alerts = t
        .get_value(&format!("/api/v1/cases/{case}/alerts"), Some(&officer))
        .await;
    assert_eq!(of_kind(&alerts, "funds_overdue"), 1, "{alerts}");
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/account/payouts"),
            Some(&officer),
            &json!({"party_no": 1, "amount_fen": 30_000, "delay_reason": "申请执行人账户变更，待核实"}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/account/payouts/1/decision"),
            Some(&head),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/account/payouts/1/paid"),
            Some(&officer),
            &json!({"transfer_reference": "BANK-001"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    let alerts = t
        .get_value(&format!("/api/v1/cases/{case}/alerts"), Some(&officer))
        .await;
    assert_eq!(
        of_kind(&alerts, "funds_overdue"),
        0,
        "paid out: the alert is cleared"
    );
}

/// The case page's measure form: a refused request is answered with the case page again, the
/// reason beside the measures in the catalogue's Chinese words, under the API's status; nothing
/// is asked of the institution.
#[tokio::test]
async fn the_case_page_shows_a_refused_measure_beside_its_form() {
    let t = TestApp::spawn_with(fast()).await;
    let _s = setup(&t).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let cookie = t.page_login("officer1").await;
    let case = file(&t, &officer, "(2026)京0105民初70号", 50_000).await;
    let assets = investigate(&t, &officer, case).await;
    let asset = free_deposit(&assets)["id"].as_i64().unwrap();
    let path = format!("/cases/{case}/assets/{asset}/measures");
    let measures_part = |page: &str| {
        page.split("id=\"measures\"")
            .nth(1)
            .unwrap_or_else(|| panic!("no measures section: {page}"))
            .to_owned()
    };

    // Above what is due (500 yuan): 422, with the amounts.
    let (status, _, page) = t
        .form(
            &path,
            &cookie,
            &[("kind", "freeze"), ("amount", "500.01"), ("until", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let section = measures_part(&page);
    assert!(section.contains("超过尚未履行且未控制的金额"), "{section}");
    assert!(section.contains("role=\"alert\""), "{section}");

    // A last day that is not a date: the form's own reading, worded the same way.
    let (status, _, page) = t
        .form(
            &path,
            &cookie,
            &[("kind", "freeze"), ("amount", "1"), ("until", "明年")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(measures_part(&page).contains("期限：请填写日期"), "{page}");

    let list: Value = t
        .get_value(&format!("/api/v1/cases/{case}/measures"), Some(&officer))
        .await;
    assert_eq!(list, json!([]), "nothing was asked");
}
