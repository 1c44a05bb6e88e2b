//! Reference price (参考价) over real HTTP, on property seized through the institution
//! simulator: the four methods in order, the online enquiry's average of timely answers, the
//! appraisal's objection window, validity, who may act, and one determination at a time.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_app::disposal::valuation::current_reference_price;
use zhixing_domain::access::Role;
use zhixing_testkit::sim::{Sim, register_all, sim, wait_until_answered};
use zhixing_testkit::{TestApp, assert_problem};

/// The simulated world (seed 11) gives this person vehicles nobody else holds.
const DEBTOR: &str = "11010519491231002X";
const DAY: u64 = 86_400;

fn fast() -> zhixing_server::Config {
    zhixing_server::Config {
        outbox_poll: Duration::from_millis(50),
        sweep_interval: Duration::from_secs(3600),
        ..zhixing_testkit::test_config()
    }
}

/// A case whose debtor's vehicle is seized (in effect), and another asset of the case that is
/// not. The real flow: filing, online investigation, seizure answered by the institution.
struct Fixture {
    t: TestApp,
    _sim: Sim,
    officer: String,
    case: i64,
    seized: i64,
    unseized: i64,
}

async fn fixture() -> Fixture {
    let t = TestApp::spawn_with(fast()).await;
    let s = sim(&t, 24, 0.0).await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    register_all(&t, &s, &admin).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "110101198001010010"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": DEBTOR}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初8号", "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 5_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(&officer), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let case = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/investigations"),
            Some(&officer),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let inv = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    wait_until_answered(&t, &officer, case, inv, Duration::from_secs(60)).await;
    let assets: Value = t
        .get_value(&format!("/api/v1/cases/{case}/assets"), Some(&officer))
        .await;
    let assets = assets.as_array().unwrap();
    let vehicles: Vec<i64> = assets
        .iter()
        .filter(|a| a["kind"] == "vehicle" && a["encumbrances"] == "[]")
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert!(
        vehicles.len() >= 2,
        "the simulated world (seed 11) gives {DEBTOR} free vehicles: {assets:?}"
    );
    let (seized, unseized) = (vehicles[0], vehicles[1]);
    let r = t
        .post_json(
            &format!("/api/v1/assets/{seized}/measures"),
            Some(&officer),
            &json!({"kind": "seize"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let m = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let start = Instant::now();
    loop {
        let v: Value = t
            .get_value(&format!("/api/v1/measures/{m}"), Some(&officer))
            .await;
        if v["status"] == "active" {
            break;
        }
        assert_eq!(v["status"], "requested", "{v}");
        assert!(start.elapsed() < Duration::from_secs(30), "unanswered: {v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Fixture {
        t,
        _sim: s,
        officer,
        case,
        seized,
        unseized,
    }
}

impl Fixture {
    async fn start(&self, token: &str, asset: i64) -> reqwest::Response {
        self.t
            .post_json(
                &format!("/api/v1/assets/{asset}/valuation"),
                Some(token),
                &json!({}),
            )
            .await
    }

    async fn started(&self) -> Value {
        let r = self.start(&self.officer, self.seized).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json().await.unwrap()
    }

    async fn cmd(&self, token: &str, id: i64, step: &str, body: Value) -> reqwest::Response {
        self.t
            .post_json(
                &format!("/api/v1/valuations/{id}/{step}"),
                Some(token),
                &body,
            )
            .await
    }

    /// A command the officer expects to succeed; the determination after it.
    async fn ok(&self, id: i64, step: &str, body: Value) -> Value {
        let r = self.cmd(&self.officer, id, step, body.clone()).await;
        let status = r.status();
        let v: Value = r.json().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{step} {body}: {v}");
        v
    }

    async fn show(&self, id: i64) -> Value {
        self.t
            .get_value(&format!("/api/v1/valuations/{id}"), Some(&self.officer))
            .await
    }

    fn advance(&self, days: u64) {
        self.t.clock.advance(Duration::from_secs(days * DAY));
    }

    async fn count(&self) -> String {
        self.t
            .raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM valuations")
            .await
    }
}

#[tokio::test]
async fn agreement_gives_a_price_at_once_usable_until_its_validity_ends() {
    let mut f = fixture().await;
    // Started 40 days after the seizure: recorded as late, not refused.
    f.advance(40);
    let v = f.started().await;
    let id = v["id"].as_i64().unwrap();
    assert_eq!(v["status"], "in_progress");
    assert_eq!(v["method"], "agreement");
    assert_eq!(v["late_start"], true, "{v}");
    assert_eq!(v["unusable"]["code"], "no_reference_price");
    let today = f.t.app.today();
    assert!(v["state"]["start_due"].as_str().unwrap() < today.to_string().as_str());
    let r = current_reference_price(&f.t.app, f.seized)
        .await
        .unwrap_err();
    assert_eq!(
        {
            let r = zhixing_server::ApiError::from(r);
            (r.status, r.code)
        },
        (StatusCode::CONFLICT, "no_reference_price")
    );

    // A validity beyond one year is refused; nothing changes.
    let too_long = today.checked_add(jiff::Span::new().years(2)).unwrap();
    let r = f
        .cmd(
            &f.officer,
            id,
            "agreement",
            json!({"price_fen": 1_500_000, "valid_until": too_long}),
        )
        .await;
    let p = assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "validity_too_long").await;
    // The rule of validity, its figure and citation, and the last day it allows.
    assert_eq!(p["params"]["rule"], "auction.price_report.validity", "{p}");
    assert_eq!(
        (&p["params"]["value"], &p["params"]["unit"]),
        (&json!(1), &json!("years"))
    );
    assert_eq!(p["params"]["valid_until"], too_long.to_string());
    assert!(p["detail"].as_str().unwrap().contains("1 years"), "{p}");
    let r = f
        .cmd(&f.officer, id, "agreement", json!({"price_fen": -1}))
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_price").await;
    assert_eq!(f.show(id).await["version"], 1);

    let v = f
        .ok(
            id,
            "agreement",
            json!({"price_fen": 1_500_000, "version": 1}),
        )
        .await;
    assert_eq!(v["status"], "determined");
    assert_eq!(v["version"], 2);
    assert_eq!(v["reference_price"]["price"], 1_500_000);
    assert_eq!(v["reference_price"]["method"], "agreement");
    let valid_until: jiff::civil::Date = v["reference_price"]["valid_until"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        valid_until,
        today
            .checked_add(jiff::Span::new().years(1))
            .unwrap()
            .yesterday()
            .unwrap()
    );
    let (vid, price) = current_reference_price(&f.t.app, f.seized).await.unwrap();
    assert_eq!(vid, id);
    assert_eq!(price.price.get(), 1_500_000);
    // Determined: no second price, and no new determination while this one is valid.
    let r = f
        .cmd(&f.officer, id, "agreement", json!({"price_fen": 1}))
        .await;
    assert_problem(r, StatusCode::CONFLICT, "price_already_determined").await;
    let r = f.start(&f.officer, f.seized).await;
    assert_problem(r, StatusCode::CONFLICT, "reference_price_valid").await;
    // A stale version is refused.
    let r = f
        .cmd(
            &f.officer,
            id,
            "objections",
            json!({"by": "李四", "version": 1}),
        )
        .await;
    assert_problem(r, StatusCode::CONFLICT, "version_conflict").await;

    // The events are audited under the valuation and shown on the case timeline.
    let timeline: Value =
        f.t.get_value(
            &format!("/api/v1/cases/{}/timeline", f.case),
            Some(&f.officer),
        )
        .await;
    let kinds: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .filter(|k| k.starts_with("valuation."))
        .collect();
    assert_eq!(kinds, ["valuation.started", "valuation.agreement_reached"]);
    let v = f.show(id).await;
    assert_eq!(v["history"].as_array().unwrap().len(), 2);
    let auditor = f.t.signed_in("auditor1", "b110105", Role::Auditor).await;
    let chain: Value = f.t.get_value("/api/v1/audit/verify", Some(&auditor)).await;
    assert_eq!(chain["intact"], true, "{chain}");

    // After the validity: refused with the domain's code, and a new determination may start.
    f.advance(400);
    // (The session is older than its lifetime by now: sign in again.)
    f.officer = f.t.login("officer1").await;
    let r = current_reference_price(&f.t.app, f.seized)
        .await
        .unwrap_err();
    assert_eq!(
        {
            let r = zhixing_server::ApiError::from(r);
            (r.status, r.code)
        },
        (StatusCode::CONFLICT, "reference_price_expired")
    );
    let v = f.show(id).await;
    assert!(v["reference_price"].is_null());
    assert_eq!(v["unusable"]["code"], "reference_price_expired");
    let again = f.started().await;
    assert_ne!(again["id"], id);
    let by_asset: Value =
        f.t.get_value(
            &format!("/api/v1/assets/{}/valuation", f.seized),
            Some(&f.officer),
        )
        .await;
    assert_eq!(by_asset["id"], again["id"], "the asset shows its latest");
}

#[tokio::test]
async fn online_enquiry_averages_the_timely_answers_and_ignores_a_late_one() {
    let f = fixture().await;
    let v = f.started().await;
    let id = v["id"].as_i64().unwrap();
    assert_eq!(v["late_start"], false);
    // The parties did not agree; the vehicle has no official price: on to the online enquiry.
    f.ok(
        id,
        "move",
        json!({"to": "targeted_enquiry", "reason": "failed"}),
    )
    .await;
    f.ok(
        id,
        "move",
        json!({"to": "online_enquiry", "reason": "failed"}),
    )
    .await;
    let r = f
        .cmd(
            &f.officer,
            id,
            "enquiry",
            json!({"platforms": ["甲", "甲"]}),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_platforms").await;
    let v = f
        .ok(
            id,
            "enquiry",
            json!({"platforms": ["淘宝询价", "京东询价", "工行融e购询价"]}),
        )
        .await;
    assert!(v["state"]["enquiry"]["answer_due"].is_string(), "{v}");
    let due: jiff::civil::Date = v["state"]["enquiry"]["answer_due"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    f.ok(
        id,
        "platform-answers",
        json!({"platform": "淘宝询价", "price_fen": 1_000_000}),
    )
    .await;
    let r = f
        .cmd(
            &f.officer,
            id,
            "platform-answers",
            json!({"platform": "淘宝询价", "price_fen": 1}),
        )
        .await;
    assert_problem(r, StatusCode::CONFLICT, "already_answered").await;
    let r = f
        .cmd(
            &f.officer,
            id,
            "platform-answers",
            json!({"platform": "拼多多", "price_fen": 1}),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "unknown_platform").await;
    f.advance(1);
    f.ok(
        id,
        "platform-answers",
        json!({"platform": "京东询价", "price_fen": 1_000_001}),
    )
    .await;
    // One platform has not answered and still has time: not yet.
    let r = f.cmd(&f.officer, id, "conclusion", json!({})).await;
    assert_problem(r, StatusCode::CONFLICT, "answers_pending").await;
    // It answers after its time limit: kept, not averaged.
    while f.t.app.today() <= due {
        f.advance(1);
    }
    let v = f
        .ok(
            id,
            "platform-answers",
            json!({"platform": "工行融e购询价", "price_fen": 9_000_000}),
        )
        .await;
    let answers = v["state"]["enquiry"]["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[2]["timely"], false);
    let v = f.ok(id, "conclusion", json!({})).await;
    // (1,000,000 + 1,000,001) / 2, half up.
    assert_eq!(v["state"]["result"]["price"], 1_000_001, "{v}");
    assert_eq!(v["state"]["result"]["method"], "online_enquiry");
    assert_eq!(v["status"], "determined");
    // The parties may still object: not usable yet.
    assert_eq!(v["unusable"]["code"], "objection_period_open");
    let r = current_reference_price(&f.t.app, f.seized)
        .await
        .unwrap_err();
    assert_eq!(r.code(), "objection_period_open");
    f.advance(10);
    let (vid, price) = current_reference_price(&f.t.app, f.seized).await.unwrap();
    assert_eq!((vid, price.price.get()), (id, 1_000_001));
    let kinds: Vec<String> = f.show(id).await["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "valuation.started",
            "valuation.moved_on",
            "valuation.moved_on",
            "valuation.enquiry_commissioned",
            "valuation.platform_answered",
            "valuation.platform_answered",
            "valuation.platform_answered",
            "valuation.enquiry_reported"
        ]
    );
}

#[tokio::test]
async fn appraisal_objection_inside_the_window_is_ruled_and_one_outside_it_refused() {
    let f = fixture().await;
    let id = f.started().await["id"].as_i64().unwrap();
    f.ok(
        id,
        "move",
        json!({"to": "appraisal", "reason": "parties_request"}),
    )
    .await;
    let r = f
        .cmd(&f.officer, id, "appraisal-report", json!({"price_fen": 1}))
        .await;
    assert_problem(r, StatusCode::CONFLICT, "appraisal_not_commissioned").await;
    let v = f
        .ok(
            id,
            "appraisal",
            json!({"appraiser": "北京某资产评估有限公司"}),
        )
        .await;
    assert!(v["state"]["appraisal"]["report_due"].is_string(), "{v}");
    f.advance(20);
    let v = f
        .ok(id, "appraisal-report", json!({"price_fen": 2_000_000}))
        .await;
    let until: jiff::civil::Date = v["state"]["result"]["objection_until"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // An objection within the window holds the price until the court rules.
    f.advance(2);
    assert!(f.t.app.today() <= until);
    let v = f.ok(id, "objections", json!({"by": "被执行人李四"})).await;
    assert_eq!(v["unusable"]["code"], "objection_pending");
    assert_eq!(v["objections"][0]["no"], 1);
    let r = f
        .cmd(&f.officer, id, "objections", json!({"by": "张三"}))
        .await;
    assert_problem(r, StatusCode::CONFLICT, "objection_pending").await;
    let r = current_reference_price(&f.t.app, f.seized)
        .await
        .unwrap_err();
    assert_eq!(r.code(), "objection_pending");
    let r = f
        .cmd(&f.officer, id, "objections/2/ruling", json!({}))
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "objection_not_found").await;
    let v = f
        .ok(
            id,
            "objections/1/ruling",
            json!({"corrected_price_fen": 1_900_000}),
        )
        .await;
    assert_eq!(v["reference_price"]["price"], 1_900_000, "{v}");
    assert_eq!(v["objections"][0]["corrected_price_fen"], 1_900_000);
    let r = f
        .cmd(&f.officer, id, "objections/1/ruling", json!({}))
        .await;
    assert_problem(r, StatusCode::CONFLICT, "objection_already_ruled").await;
    // After the window: refused, the ruled price stands.
    while f.t.app.today() <= until {
        f.advance(1);
    }
    let r = f
        .cmd(&f.officer, id, "objections", json!({"by": "张三"}))
        .await;
    assert_problem(r, StatusCode::CONFLICT, "objection_period_over").await;
    let (_, price) = current_reference_price(&f.t.app, f.seized).await.unwrap();
    assert_eq!(price.price.get(), 1_900_000);
    assert_eq!(price.method.as_str(), "appraisal");
}

#[tokio::test]
async fn methods_out_of_order_are_refused_and_change_nothing() {
    let f = fixture().await;
    let id = f.started().await["id"].as_i64().unwrap();
    for (step, body) in [
        ("enquiry", json!({"platforms": ["淘宝询价"]})),
        ("conclusion", json!({})),
        ("appraisal", json!({"appraiser": "某评估公司"})),
        ("appraisal-report", json!({"price_fen": 100})),
        (
            "targeted-answer",
            json!({"agency": "税务局", "price_fen": 100}),
        ),
        ("move", json!({"to": "appraisal", "reason": "failed"})),
        (
            "move",
            json!({"to": "online_enquiry", "reason": "required_by_law"}),
        ),
    ] {
        let r = f.cmd(&f.officer, id, step, body.clone()).await;
        assert_problem(r, StatusCode::CONFLICT, "wrong_method").await;
    }
    let r = f
        .cmd(&f.officer, id, "objections", json!({"by": "李四"}))
        .await;
    assert_problem(r, StatusCode::CONFLICT, "no_reference_price").await;
    let r = f
        .cmd(
            &f.officer,
            id,
            "move",
            json!({"to": "auction", "reason": "failed"}),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_method").await;
    let r = f
        .cmd(
            &f.officer,
            id,
            "move",
            json!({"to": "appraisal", "reason": "bored"}),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_reason").await;
    let r = f
        .cmd(&f.officer, id, "agreement", json!({"price_fen": "lots"}))
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    let r = f.cmd(&f.officer, 999_999, "conclusion", json!({})).await;
    assert_problem(r, StatusCode::NOT_FOUND, "valuation_not_found").await;
    let v = f.show(id).await;
    assert_eq!(v["version"], 1);
    assert_eq!(v["history"].as_array().unwrap().len(), 1);
    // A move forward can never come back.
    f.ok(
        id,
        "move",
        json!({"to": "online_enquiry", "reason": "parties_request"}),
    )
    .await;
    let r = f
        .cmd(&f.officer, id, "agreement", json!({"price_fen": 100}))
        .await;
    let p = assert_problem(r, StatusCode::CONFLICT, "wrong_method").await;
    // The sentence the API always gave, now from the catalogue with the methods as parameters.
    assert_eq!(
        p["detail"],
        "the determination is at 网络询价（online_enquiry）, not 当事人议价（agreement）: methods are tried in order"
    );
    assert_eq!(
        (&p["params"]["from"], &p["params"]["to"]),
        (&json!("online_enquiry"), &json!("agreement"))
    );
    let r = f
        .cmd(
            &f.officer,
            id,
            "move",
            json!({"to": "agreement", "reason": "parties_request"}),
        )
        .await;
    assert_problem(r, StatusCode::CONFLICT, "wrong_method").await;
}

#[tokio::test]
async fn property_without_a_seizure_in_effect_is_not_priced() {
    let f = fixture().await;
    let r = f.start(&f.officer, f.unseized).await;
    assert_problem(r, StatusCode::CONFLICT, "asset_not_seized").await;
    let r = f.start(&f.officer, 999_999).await;
    assert_problem(r, StatusCode::NOT_FOUND, "asset_not_found").await;
    let r =
        f.t.get(
            &format!("/api/v1/assets/{}/valuation", f.unseized),
            Some(&f.officer),
        )
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "valuation_not_found").await;
    let r = current_reference_price(&f.t.app, f.unseized)
        .await
        .unwrap_err();
    assert_eq!(r.code(), "no_reference_price");
    assert_eq!(f.count().await, "0");
}

#[tokio::test]
async fn another_courts_officer_sees_nothing_and_a_reader_may_not_act() {
    let f = fixture().await;
    let v = f.started().await;
    let id = v["id"].as_i64().unwrap();
    let other = f.t.signed_in("officer2", "b110101", Role::Officer).await;
    let r =
        f.t.get(&format!("/api/v1/valuations/{id}"), Some(&other))
            .await;
    assert_problem(r, StatusCode::NOT_FOUND, "valuation_not_found").await;
    let r =
        f.t.get(
            &format!("/api/v1/assets/{}/valuation", f.seized),
            Some(&other),
        )
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "asset_not_found").await;
    let r = f.start(&other, f.seized).await;
    assert_problem(r, StatusCode::NOT_FOUND, "asset_not_found").await;
    let r = f
        .cmd(&other, id, "agreement", json!({"price_fen": 1}))
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "valuation_not_found").await;
    // An auditor of the court reads but does not act.
    let auditor = f.t.signed_in("auditor1", "b110105", Role::Auditor).await;
    let r =
        f.t.get(&format!("/api/v1/valuations/{id}"), Some(&auditor))
            .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = f
        .cmd(&auditor, id, "agreement", json!({"price_fen": 1}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = f.start(&auditor, f.unseized).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let v = f.show(id).await;
    assert_eq!(v["version"], 1, "nothing changed");
    assert_eq!(v["status"], "in_progress");
    assert_eq!(f.count().await, "1");
}

#[tokio::test]
async fn concurrent_duplicate_starts_give_one_valuation() {
    let f = fixture().await;
    let mut starts = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let req =
            f.t.client
                .post(f.t.url(&format!("/api/v1/assets/{}/valuation", f.seized)))
                .bearer_auth(&f.officer)
                .json(&json!({}));
        starts.spawn(async move { req.send().await.unwrap() });
    }
    let mut created = 0;
    while let Some(r) = starts.join_next().await {
        let r = r.unwrap();
        match r.status() {
            StatusCode::CREATED => created += 1,
            _ => {
                assert_problem(r, StatusCode::CONFLICT, "valuation_in_progress").await;
            }
        }
    }
    assert_eq!(created, 1);
    assert_eq!(f.count().await, "1");
    // Two identical answers at once: one is recorded, the other refused.
    let id = f.show_latest().await;
    f.ok(
        id,
        "move",
        json!({"to": "online_enquiry", "reason": "parties_request"}),
    )
    .await;
    f.ok(id, "enquiry", json!({"platforms": ["甲", "乙"]}))
        .await;
    let body = json!({"platform": "甲", "price_fen": 500});
    let (a, b) = tokio::join!(
        f.cmd(&f.officer, id, "platform-answers", body.clone()),
        f.cmd(&f.officer, id, "platform-answers", body.clone())
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let v = f.show(id).await;
    assert_eq!(
        v["state"]["enquiry"]["answers"].as_array().unwrap().len(),
        1
    );
}

impl Fixture {
    async fn show_latest(&self) -> i64 {
        self.t
            .get_value(
                &format!("/api/v1/assets/{}/valuation", self.seized),
                Some(&self.officer),
            )
            .await["id"]
            .as_i64()
            .unwrap()
    }
}

#[tokio::test]
async fn every_valuation_route_is_documented() {
    let t = TestApp::spawn().await;
    let doc: Value = t.get_value("/api/v1/openapi.json", None).await;
    for (path, method) in [
        ("/api/v1/assets/{id}/valuation", "post"),
        ("/api/v1/assets/{id}/valuation", "get"),
        ("/api/v1/valuations/{id}", "get"),
        ("/api/v1/valuations/{id}/move", "post"),
        ("/api/v1/valuations/{id}/agreement", "post"),
        ("/api/v1/valuations/{id}/targeted-answer", "post"),
        ("/api/v1/valuations/{id}/enquiry", "post"),
        ("/api/v1/valuations/{id}/platform-answers", "post"),
        ("/api/v1/valuations/{id}/conclusion", "post"),
        ("/api/v1/valuations/{id}/appraisal", "post"),
        ("/api/v1/valuations/{id}/appraisal-report", "post"),
        ("/api/v1/valuations/{id}/objections", "post"),
        ("/api/v1/valuations/{id}/objections/{no}/ruling", "post"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} documented"
        );
    }
}
