//! Training mode's clock (演练模式): on a simulated clock an administrator of the SPC moves
//! time forward — audited, never back — through the API and the page, every page says the
//! time is simulated, and what time decides follows at once: a freeze raises its alert, is
//! renewed, then expires. On a real clock (`serve`) the clock's advance is refused.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::sim::{register_all, sim, wait_until_answered};
use zhixing_testkit::{TestApp, assert_problem};

/// Monday 5 January 2026, 09:00 in Beijing.
fn start() -> jiff::Timestamp {
    "2026-01-05T01:00:00Z".parse().unwrap()
}

async fn advance(t: &TestApp, token: &str, body: Value) -> reqwest::Response {
    t.post_json("/api/v1/clock/advance", Some(token), &body)
        .await
}

#[tokio::test]
async fn a_real_clock_is_not_advanced_and_no_page_says_training() {
    let t = TestApp::spawn().await;
    let admin = t.signed_in("clock-admin", "spc", Role::Administrator).await;
    let clock = t.get_value("/api/v1/clock", Some(&admin)).await;
    assert_eq!(clock["simulated"], false, "{clock}");
    assert_eq!(clock["today"], t.app.today().to_string());
    assert_problem(
        advance(&t, &admin, json!({"days": 1})).await,
        StatusCode::CONFLICT,
        "clock_not_simulated",
    )
    .await;
    // Who may not advance a clock is told so before anything else.
    let officer = t.signed_in("clock-off", "b110105", Role::Officer).await;
    assert_eq!(
        advance(&t, &officer, json!({"days": 1})).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.app.today(),
        jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
            .date()
    );

    // The page says the time is real and offers no form; a form posted anyway is refused.
    let cookie = t.page_login("clock-admin").await;
    let (status, page) = t.html("/admin/clock", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"clock-real\""), "{page}");
    assert!(!page.contains("advance-day"), "{page}");
    assert!(!page.contains("training-banner"), "{page}");
    let (status, _, page) = t.form("/admin/clock", &cookie, &[("days", "1")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("系统时间为真实时间"), "{page}");
    let (_, home) = t.html("/home", &cookie).await;
    assert!(!home.contains("training-banner"), "{home}");
    let public = t.client.get(t.url("/public")).send().await.unwrap();
    assert!(!public.text().await.unwrap().contains("training-banner"));
}

#[tokio::test]
async fn an_administrator_of_the_spc_advances_the_training_clock_audited_and_never_back() {
    let t = TestApp::spawn_simulated(start()).await;
    let admin = t.signed_in("clock-admin", "spc", Role::Administrator).await;
    let clock = t.get_value("/api/v1/clock", Some(&admin)).await;
    assert_eq!(clock["simulated"], true, "{clock}");
    assert_eq!(clock["today"], "2026-01-05", "{clock}");
    assert!(
        clock["now_beijing"]
            .as_str()
            .unwrap()
            .starts_with("2026-01-05 09:0"),
        "{clock}"
    );

    let moved = advance(&t, &admin, json!({"days": 1})).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(moved["clock"]["today"], "2026-01-06", "{moved}");
    assert!(moved["sweep"].is_object(), "the watch worker ran: {moved}");
    assert_eq!(t.app.today().to_string(), "2026-01-06");
    let moved: Value = advance(&t, &admin, json!({"to": "2026-02-02"}))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        moved["clock"]["now_beijing"]
            .as_str()
            .unwrap()
            .starts_with("2026-02-02 09:0"),
        "a bare date is 09:00 Beijing time: {moved}"
    );
    assert_eq!(
        advance(&t, &admin, json!({"to": "2026-02-02T14:30+08:00"}))
            .await
            .status(),
        StatusCode::OK
    );

    // Never back, and one of days or a moment, well formed.
    let p = assert_problem(
        advance(&t, &admin, json!({"to": "2026-01-31"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "clock_backwards",
    )
    .await;
    assert!(
        p["detail"].as_str().unwrap().contains("2026-02-02 14:3"),
        "the refusal says what time it is: {p}"
    );
    for (body, code) in [
        (json!({"days": 0}), "clock_days_invalid"),
        (json!({"days": -3}), "clock_days_invalid"),
        (json!({"days": 100000}), "clock_days_invalid"),
        (json!({"to": "next monday"}), "clock_time_invalid"),
        (
            json!({"days": 1, "to": "2027-01-01"}),
            "clock_advance_invalid",
        ),
        (json!({}), "clock_advance_invalid"),
    ] {
        assert_problem(
            advance(&t, &admin, body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
    }
    assert_eq!(
        t.app.today().to_string(),
        "2026-02-02",
        "nothing refused moved it"
    );

    // Only an administrator of the SPC: not a provincial one, not an officer.
    let provincial = t
        .signed_in("clock-admin-bj", "h11", Role::Administrator)
        .await;
    let officer = t.signed_in("clock-off", "b110105", Role::Officer).await;
    for token in [&provincial, &officer] {
        assert_eq!(
            advance(&t, token, json!({"days": 1})).await.status(),
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        t.get("/api/v1/clock", Some(&officer)).await.status(),
        StatusCode::OK,
        "everyone may read the time"
    );

    // Every advance is on the audit trail, with who moved it from when to when.
    let admin_id = t.get_value("/api/v1/session", Some(&admin)).await["id"].clone();
    let n = t
        .raw_text(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE kind = 'platform.clock_advanced' AND actor = 'user:{admin_id}'"
        ))
        .await;
    assert_eq!(n, "3");
    let last = t
        .raw_text(
            "SELECT CAST(payload AS TEXT) FROM events WHERE kind = 'platform.clock_advanced' ORDER BY seq DESC LIMIT 1",
        )
        .await;
    let last: Value = serde_json::from_str(&last).unwrap();
    assert_eq!(last["to"], "2026-02-02T06:30:00Z", "{last}");
    let auditor = t.signed_in("clock-aud", "spc", Role::Auditor).await;
    let chain = t.get_value("/api/v1/audit/verify", Some(&auditor)).await;
    assert_eq!(chain["intact"], true, "{chain}");

    // The page: every page carries the banner, signed in or public; the administrator's
    // forms move the clock, and a refusal is shown beside its form with what was typed.
    let cookie = t.page_login("clock-admin").await;
    let (_, home) = t.html("/home", &cookie).await;
    assert!(home.contains("id=\"training-banner\""), "{home}");
    assert!(home.contains("演练模式"), "{home}");
    assert!(home.contains("2026-02-02 14:3"), "{home}");
    assert!(home.contains("href=\"/admin/clock\""), "{home}");
    let public = t.client.get(t.url("/public")).send().await.unwrap();
    let public = public.text().await.unwrap();
    assert!(public.contains("id=\"training-banner\""), "{public}");
    assert!(!public.contains("href=\"/admin/clock\""), "{public}");
    let (_, page) = t.html("/admin/clock", &cookie).await;
    assert!(
        page.contains("advance-day") && page.contains("advance-to"),
        "{page}"
    );
    let (status, location, _) = t.form("/admin/clock", &cookie, &[("days", "1")]).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/admin/clock")
    );
    assert_eq!(t.app.today().to_string(), "2026-02-03");
    let (status, _, page) = t
        .form("/admin/clock", &cookie, &[("to", "2026-02-10T10:00")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let (_, page) = t.html("/admin/clock", &cookie).await;
    assert!(page.contains("2026-02-10 10:0"), "{page}");
    let (status, _, page) = t
        .form("/admin/clock", &cookie, &[("to", "2026-02-09T10:00")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("时钟只能向前拨"), "{page}");
    assert!(
        page.contains("value=\"2026-02-09T10:00\""),
        "keeps what was typed: {page}"
    );
    let officer_cookie = t.page_login("clock-off").await;
    let (status, _) = t.html("/admin/clock", &officer_cookie).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, home) = t.html("/home", &officer_cookie).await;
    assert!(home.contains("id=\"training-banner\""), "{home}");
    assert!(!home.contains("href=\"/admin/clock\""), "{home}");
}

/// Waits until the institution has answered the measure (and any renewal).
async fn settled(t: &TestApp, token: &str, id: i64) -> Value {
    let start = std::time::Instant::now();
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

fn alerts_of(alerts: &Value, kind: &str) -> usize {
    alerts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == kind)
        .count()
}

#[tokio::test]
async fn a_freeze_alerts_is_renewed_and_expires_as_the_training_clock_advances() {
    let t = TestApp::spawn_simulated(start()).await;
    let s = sim(&t, 24, 0.0).await;
    let admin = t.signed_in("clock-admin", "spc", Role::Administrator).await;
    register_all(&t, &s, &admin).await;
    let officer = t.signed_in("clock-off", "b110105", Role::Officer).await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2025)京0105民初9号",
                          "effective_date": "2025-11-01", "performance_deadline": "2025-11-15"},
                "amounts": {"principal": 50_000}
            }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let case = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/investigations"),
            Some(&officer),
            &json!({}),
        )
        .await;
    let inv = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    wait_until_answered(&t, &officer, case, inv, Duration::from_secs(60)).await;
    let assets = t
        .get_value(&format!("/api/v1/cases/{case}/assets"), Some(&officer))
        .await;
    let deposit = assets
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["kind"] == "bank_deposit"
                && a["encumbrances"] == "[]"
                && a["value_fen"].as_i64().unwrap_or(0) > 10_000
        })
        .unwrap_or_else(|| panic!("a free deposit: {assets}"))
        .clone();
    // Frozen until 14 February 2026 (40 days on).
    let r = t
        .post_json(
            &format!("/api/v1/assets/{}/measures", deposit["id"]),
            Some(&officer),
            &json!({"kind": "freeze", "amount_fen": 1_000, "until": "2026-02-14"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert_eq!(settled(&t, &officer, id).await["status"], "active");

    // Twenty days before the last day the advance's own pass raises the alert.
    let moved: Value = advance(&t, &admin, json!({"to": "2026-01-25"}))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        moved["sweep"]["alerts_raised"].as_u64().unwrap() >= 1,
        "{moved}"
    );
    let alerts = t
        .get_value(&format!("/api/v1/cases/{case}/alerts"), Some(&officer))
        .await;
    assert_eq!(alerts_of(&alerts, "measure_expiring"), 1, "{alerts}");
    let m = t
        .get_value(&format!("/api/v1/measures/{id}"), Some(&officer))
        .await;
    assert_eq!(m["days_left"], 20, "{m}");

    // Renewed to 14 March; the alert is gone.
    let r = t
        .post_json(
            &format!("/api/v1/measures/{id}/renewal"),
            Some(&officer),
            &json!({"until": "2026-03-14"}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::ACCEPTED,
        "{}",
        r.text().await.unwrap()
    );
    let m = settled(&t, &officer, id).await;
    assert_eq!(m["until"], "2026-03-14", "{m}");
    let alerts = t
        .get_value(&format!("/api/v1/cases/{case}/alerts"), Some(&officer))
        .await;
    assert_eq!(alerts_of(&alerts, "measure_expiring"), 0, "{alerts}");

    // The old last day passes: still held. The new one passes: lost, and said so.
    advance(&t, &admin, json!({"to": "2026-02-15"})).await;
    let m = t
        .get_value(&format!("/api/v1/measures/{id}"), Some(&officer))
        .await;
    assert_eq!(m["status"], "active", "{m}");
    let moved: Value = advance(&t, &admin, json!({"to": "2026-03-15"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(moved["sweep"]["measures_expired"], 1, "{moved}");
    let m = t
        .get_value(&format!("/api/v1/measures/{id}"), Some(&officer))
        .await;
    assert_eq!(m["status"], "expired", "{m}");
    let alerts = t
        .get_value(&format!("/api/v1/cases/{case}/alerts"), Some(&officer))
        .await;
    assert_eq!(alerts_of(&alerts, "measure_expired"), 1, "{alerts}");
    let timeline = t
        .get_value(&format!("/api/v1/cases/{case}/timeline"), Some(&officer))
        .await;
    let kinds: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    for k in ["measure.in_effect", "measure.renewed", "measure.expired"] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
}
