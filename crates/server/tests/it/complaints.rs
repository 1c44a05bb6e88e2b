//! Complaints (执行信访) and hotline reports over real HTTP: registration with working-day
//! deadlines from the rule book and the calendar (a public holiday in between), resolution,
//! the overdue alert of the watch worker after the clock moves, lists per case and per court,
//! the case timeline, bad input refused with nothing stored, other courts answered 404.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_server::Config;
use zhixing_testkit::{TestApp, assert_problem, test_config};

const COURT: &str = "b110105";

/// Noon in Beijing on that day.
fn beijing_noon(day: &str) -> jiff::Timestamp {
    format!("{day}T04:00:00Z").parse().unwrap()
}

async fn app() -> TestApp {
    // The test steps the watch worker itself, so that a background pass never races it.
    TestApp::spawn_with(Config {
        watch_worker: false,
        ..test_config()
    })
    .await
}

async fn file_case(t: &TestApp, token: &str, doc: &str) -> i64 {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(token), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn count(t: &TestApp, sql: &str) -> i64 {
    t.raw_text(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM {sql}"))
        .await
        .parse()
        .unwrap()
}

fn complaint(channel: &str, received_on: &str) -> Value {
    json!({
        "channel": channel,
        "complainant": "张三",
        "summary": "申请执行人反映执行款到账后迟迟未发放",
        "received_on": received_on,
    })
}

async fn open_alerts(t: &TestApp, token: &str, case: i64) -> Vec<Value> {
    t.get_value(&format!("/api/v1/cases/{case}/alerts"), Some(token))
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "complaint_overdue")
        .cloned()
        .collect()
}

#[tokio::test]
async fn deadlines_in_working_days_overdue_alert_and_resolution() {
    let t = app().await;
    // Tuesday 29 September 2026: the Mid-Autumn and National Day holidays (1–7 October) lie
    // ahead, and Saturday 10 October is a make-up working day.
    t.clock.set(beijing_noon("2026-09-29"));
    let officer = t.signed_in("officer", COURT, Role::Officer).await;
    let case = file_case(&t, &officer, "（2026）京0105民初1号").await;

    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/complaints"),
            Some(&officer),
            &complaint("hotline", "2026-09-29"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let c: Value = r.json().await.unwrap();
    let id = c["id"].as_i64().unwrap();
    assert_eq!(c["status"], "registered");
    assert_eq!(c["channel_zh"], "热线");
    assert_eq!(c["registered_on"], "2026-09-29");
    // 5 working days: 30 Sep, 8 Oct, 9 Oct, Sat 10 Oct (worked), Mon 12 Oct.
    assert_eq!(c["register_due"], "2026-10-12");
    assert_eq!(c["registered_late"], false);
    // 30 working days from registration, the holiday week not counted: Mon 16 November.
    assert_eq!(c["resolve_due"], "2026-11-16");
    assert_eq!(c["overdue"], false);

    // The last day itself is not overdue.
    t.clock.set(beijing_noon("2026-11-16"));
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert!(open_alerts(&t, &officer, case).await.is_empty());

    // The day after, the watch worker raises the alert, once.
    t.clock.set(beijing_noon("2026-11-17"));
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    let alerts = open_alerts(&t, &officer, case).await;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["subject"], format!("complaint:{id}"));
    assert_eq!(alerts[0]["due_on"], "2026-11-16");
    assert_eq!(
        count(&t, "events WHERE kind = 'alert.complaint_overdue'").await,
        1
    );
    let shown = t
        .get_value(&format!("/api/v1/complaints/{id}"), Some(&officer))
        .await;
    assert_eq!(shown["overdue"], true);

    // Resolution clears the alert and records the reply; a second one is refused.
    let r = t
        .post_json(
            &format!("/api/v1/complaints/{id}/resolution"),
            Some(&officer),
            &json!({"result": "已核实，执行款已于当日发放，并电话答复信访人"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["status"], "resolved");
    assert_eq!(done["resolved_on"], "2026-11-17");
    assert_eq!(done["resolved_late"], true);
    assert_eq!(done["overdue"], false);
    assert!(open_alerts(&t, &officer, case).await.is_empty());
    let again = t
        .post_json(
            &format!("/api/v1/complaints/{id}/resolution"),
            Some(&officer),
            &json!({"result": "再次办结"}),
        )
        .await;
    assert_problem(again, StatusCode::CONFLICT, "already_resolved").await;
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert!(open_alerts(&t, &officer, case).await.is_empty());

    // Both steps are on the case timeline.
    let timeline = t
        .get_value(&format!("/api/v1/cases/{case}/timeline"), Some(&officer))
        .await;
    let kinds: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"complaint.registered"), "{kinds:?}");
    assert!(kinds.contains(&"complaint.resolved"), "{kinds:?}");
    let resolved = timeline
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "complaint.resolved")
        .unwrap();
    assert_eq!(resolved["payload"]["complaint"], id);
    assert!(resolved["actor"].as_str().unwrap().starts_with("user:"));
}

#[tokio::test]
async fn late_registration_is_recorded_not_refused() {
    let t = app().await;
    t.clock.set(beijing_noon("2026-10-09"));
    let officer = t.signed_in("officer", COURT, Role::Officer).await;
    let case = file_case(&t, &officer, "（2026）京0105民初2号").await;
    // Received Fri 25 Sep, a holiday: the 5 working days are 28, 29, 30 Sep, 8 and 9 Oct —
    // due Fri 9 Oct; registered that day, in time.
    let c: Value = t
        .post_json(
            &format!("/api/v1/cases/{case}/complaints"),
            Some(&officer),
            &complaint("letter", "2026-09-25"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["register_due"], "2026-10-09");
    assert_eq!(c["registered_late"], false);
    // Received on 1 September: due 8 September, registered a month later.
    let c: Value = t
        .post_json(
            &format!("/api/v1/cases/{case}/complaints"),
            Some(&officer),
            &complaint("visit", "2026-09-01"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["register_due"], "2026-09-08");
    assert_eq!(c["registered_late"], true);
}

#[tokio::test]
async fn bad_input_is_refused_and_nothing_stored() {
    let t = app().await;
    t.clock.set(beijing_noon("2026-09-29"));
    let officer = t.signed_in("officer", COURT, Role::Officer).await;
    let case = file_case(&t, &officer, "（2026）京0105民初3号").await;
    let path = format!("/api/v1/cases/{case}/complaints");

    let r = t
        .post_json(&path, Some(&officer), &complaint("fax", "2026-09-29"))
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "unknown_channel").await;
    let r = t
        .post_json(&path, Some(&officer), &complaint("visit", "2026-10-01"))
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "received_in_future").await;
    let mut empty = complaint("visit", "2026-09-29");
    empty["complainant"] = json!("  ");
    empty["summary"] = json!("");
    let v = assert_problem(
        t.post_json(&path, Some(&officer), &empty).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_complainant",
    )
    .await;
    assert_eq!(v["errors"].as_array().unwrap().len(), 2);
    let r = t
        .post_json(
            &path,
            Some(&officer),
            &json!({"channel": "visit", "complainant": "张三", "summary": "x", "received_on": "29/09/2026"}),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    let r = t
        .post_json(
            &path,
            Some(&officer),
            &json!({"channel": "visit", "complainant": "张三", "summary": "x", "received_on": "2026-09-29", "extra": 1}),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    let r = t
        .post_json(
            "/api/v1/cases/999999/complaints",
            Some(&officer),
            &complaint("visit", "2026-09-29"),
        )
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "case_not_found").await;
    assert_eq!(count(&t, "complaints").await, 0);
    assert_eq!(count(&t, "events WHERE kind LIKE 'complaint.%'").await, 0);

    // An empty resolution is refused; the complaint stays open.
    let c: Value = t
        .post_json(&path, Some(&officer), &complaint("online", "2026-09-29"))
        .await
        .json()
        .await
        .unwrap();
    let id = c["id"].as_i64().unwrap();
    let r = t
        .post_json(
            &format!("/api/v1/complaints/{id}/resolution"),
            Some(&officer),
            &json!({"result": " "}),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_result").await;
    let shown = t
        .get_value(&format!("/api/v1/complaints/{id}"), Some(&officer))
        .await;
    assert_eq!(shown["status"], "registered");
    assert_eq!(shown["recordings"], json!([]));
    let r = t
        .get("/api/v1/complaints?status=open", Some(&officer))
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "unknown_status").await;
}

#[tokio::test]
async fn lists_per_case_and_court_and_other_courts_see_nothing() {
    let t = app().await;
    t.clock.set(beijing_noon("2026-09-29"));
    let officer = t.signed_in("officer", COURT, Role::Officer).await;
    let supervisor = t.signed_in("super", "h11", Role::Supervisor).await;
    let stranger = t.signed_in("stranger", "b110101", Role::Officer).await;
    let judge_above = t.signed_in("judge", "h11", Role::Judge).await;
    let case = file_case(&t, &officer, "（2026）京0105民初4号").await;
    let mut ids = Vec::new();
    for ch in ["visit", "hotline", "online"] {
        let c: Value = t
            .post_json(
                &format!("/api/v1/cases/{case}/complaints"),
                Some(&officer),
                &complaint(ch, "2026-09-28"),
            )
            .await
            .json()
            .await
            .unwrap();
        ids.push(c["id"].as_i64().unwrap());
    }
    t.post_json(
        &format!("/api/v1/complaints/{}/resolution", ids[0]),
        Some(&officer),
        &json!({"result": "已答复"}),
    )
    .await;

    let of_case = t
        .get_value(&format!("/api/v1/cases/{case}/complaints"), Some(&officer))
        .await;
    assert_eq!(of_case.as_array().unwrap().len(), 3);
    assert_eq!(of_case[0]["id"], ids[0]);

    let own = t.get_value("/api/v1/complaints", Some(&officer)).await;
    assert_eq!(own.as_array().unwrap().len(), 3);
    let open = t
        .get_value("/api/v1/complaints?status=registered", Some(&officer))
        .await;
    assert_eq!(open.as_array().unwrap().len(), 2);
    // Newest first.
    assert_eq!(open[0]["id"], ids[2]);

    // The supervisor of the high court reads the courts below it.
    let below = t
        .get_value("/api/v1/complaints?court=h11", Some(&supervisor))
        .await;
    assert_eq!(below.as_array().unwrap().len(), 3);
    let one = t
        .get(&format!("/api/v1/complaints/{}", ids[1]), Some(&supervisor))
        .await;
    assert_eq!(one.status(), StatusCode::OK);
    // A judge of the high court handles its own cases only: nothing from below.
    let none = t
        .get_value("/api/v1/complaints?court=h11", Some(&judge_above))
        .await;
    assert_eq!(none.as_array().unwrap().len(), 0);

    // Another court's officer: every route answers 404, and nothing is changed.
    for path in [
        format!("/api/v1/complaints/{}", ids[1]),
        format!("/api/v1/cases/{case}/complaints"),
        format!("/api/v1/complaints?court={COURT}"),
    ] {
        let r = t.get(&path, Some(&stranger)).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let r = t
        .post_json(
            &format!("/api/v1/complaints/{}/resolution", ids[1]),
            Some(&stranger),
            &json!({"result": "越权办结"}),
        )
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "complaint_not_found").await;
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/complaints"),
            Some(&stranger),
            &complaint("visit", "2026-09-28"),
        )
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "case_not_found").await;
    // The supervisor reads but does not handle.
    let r = t
        .post_json(
            &format!("/api/v1/complaints/{}/resolution", ids[1]),
            Some(&supervisor),
            &json!({"result": "越级办结"}),
        )
        .await;
    assert_problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(count(&t, "complaints WHERE status = 'resolved'").await, 1);
}

#[tokio::test]
async fn each_problem_of_a_registration_is_worded_with_its_limit() {
    let t = app().await;
    t.clock.set(beijing_noon("2026-09-29"));
    let officer = t.signed_in("officer", COURT, Role::Officer).await;
    let case = file_case(&t, &officer, "（2026）京0105民初9号").await;
    let mut empty = complaint("fax", "2026-09-29");
    empty["complainant"] = json!("");
    let v = assert_problem(
        t.post_json(
            &format!("/api/v1/cases/{case}/complaints"),
            Some(&officer),
            &empty,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_channel",
    )
    .await;
    let codes: Vec<&str> = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unknown_channel", "invalid_complainant"]);
    assert_eq!(v["reasons"][1]["params"]["max"], 100);
    let errors = v["errors"].as_array().unwrap();
    assert!(errors[0].as_str().unwrap().contains("fax"), "{v}");
    assert!(errors[1].as_str().unwrap().contains("100"), "{v}");
}
