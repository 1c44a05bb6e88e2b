//! Indicators of the command centre over HTTP: the rollups kept in the transaction of each
//! case change equal a full recomputation from the cases after random sequences of events,
//! and the API reads them for a court alone or with its subtree, by period and case type.

use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use zhixing_app::command_centre::indicators::{rebuild, recompute};
use zhixing_domain::access::Role;
use zhixing_domain::indicators::Metric;
use zhixing_server::Config;
use zhixing_testkit::{TestApp, assert_problem};

const APPLICANT_ID: &str = "11010519491231002X";
const RESPONDENT_ID: &str = "110101198001010010";
const PDF: &[u8] =
    b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";
/// Two basic courts of Beijing and one of Hebei.
const COURTS: [&str; 3] = ["b110105", "b110108", "b130102"];

fn filing(doc: &str, principal: i64) -> Value {
    json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": APPLICANT_ID},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": RESPONDENT_ID}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": principal},
        "duties": ""
    })
}

struct Court {
    officer: String,
    head: String,
}

async fn spawn() -> TestApp {
    TestApp::spawn_with(Config {
        watch_worker: false,
        ..zhixing_testkit::test_config()
    })
    .await
}

async fn courts(t: &TestApp) -> Vec<Court> {
    let mut out = Vec::new();
    for (i, id) in COURTS.iter().enumerate() {
        out.push(Court {
            officer: t.signed_in(&format!("officer{i}"), id, Role::Officer).await,
            head: t
                .signed_in(&format!("head{i}"), id, Role::DivisionHead)
                .await,
        });
    }
    out
}

async fn file(t: &TestApp, c: &Court, n: usize, principal: i64) -> Option<i64> {
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&c.officer),
            &filing(&format!("(2026)京0105民初{n}号"), principal),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64()
}

async fn post(t: &TestApp, token: &str, path: &str, body: Value) -> StatusCode {
    t.post_json(path, Some(token), &body).await.status()
}

/// Compares the stored rollups with a recomputation from the cases, row by row.
async fn assert_consistent(t: &TestApp) {
    let stored: Vec<_> = t
        .app
        .store
        .rollup_rows()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| !r.4.is_zero())
        .map(|(c, s, m, ty, k)| ((c, s, m, ty), k))
        .collect();
    let fresh: Vec<_> = recompute(&t.app).await.unwrap().into_iter().collect();
    assert_eq!(stored.len(), fresh.len(), "same rows");
    for (a, b) in stored.iter().zip(fresh.iter()) {
        assert_eq!(a, b);
    }
}

async fn sql_count(t: &TestApp, sql: &str) -> i64 {
    t.raw_text(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM cases {sql}"))
        .await
        .parse()
        .unwrap()
}

#[tokio::test]
async fn rollups_equal_a_full_recomputation_after_random_sequences_of_events() {
    let t = spawn().await;
    let cs = courts(&t).await;
    for seed in 0..3u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut cases: Vec<(usize, i64)> = Vec::new();
        let mut complaints: Vec<(usize, i64)> = Vec::new();
        let mut tasks: Vec<(usize, i64)> = Vec::new();
        for step in 0..60usize {
            let op = if cases.is_empty() {
                0
            } else {
                rng.gen_range(0..13)
            };
            match op {
                0 => {
                    let k = rng.gen_range(0..cs.len());
                    let n = seed as usize * 1000 + step;
                    if let Some(id) = file(&t, &cs[k], n, rng.gen_range(1..20) * 100_000).await {
                        cases.push((k, id));
                    }
                }
                _ => {
                    let (k, id) = cases[rng.gen_range(0..cases.len())];
                    let c = &cs[k];
                    let p = |s: &str| format!("/api/v1/cases/{id}{s}");
                    let _ = match op {
                        1 => {
                            post(
                                &t,
                                &c.officer,
                                &p("/payments"),
                                json!({"amount": rng.gen_range(1..12) * 100_000}),
                            )
                            .await
                        }
                        2 => {
                            post(
                                &t,
                                &c.officer,
                                &p("/closure"),
                                json!({"mode": "fully_performed", "reason": "全部履行完毕"}),
                            )
                            .await
                        }
                        3 => {
                            post(
                                &t,
                                &c.officer,
                                &p("/closure"),
                                json!({"mode": "terminated", "reason": "申请执行人撤回申请"}),
                            )
                            .await
                        }
                        4 => {
                            post(
                                &t,
                                &c.head,
                                &p("/closure/decision"),
                                json!({"approve": rng.gen_bool(0.8)}),
                            )
                            .await
                        }
                        9 => {
                            let on = t.app.today().to_string();
                            let r = t
                                .post_json(
                                    &p("/complaints"),
                                    Some(&c.officer),
                                    &json!({"channel": "hotline", "complainant": "张三",
                                            "summary": "反映执行款未发放", "received_on": on}),
                                )
                                .await;
                            let s = r.status();
                            if s == StatusCode::CREATED || s == StatusCode::OK {
                                let v: Value = r.json().await.unwrap();
                                complaints.push((k, v["id"].as_i64().unwrap()));
                            }
                            s
                        }
                        10 if !complaints.is_empty() => {
                            let (ck, cid) = complaints[rng.gen_range(0..complaints.len())];
                            post(
                                &t,
                                &cs[ck].officer,
                                &format!("/api/v1/complaints/{cid}/resolution"),
                                json!({"result": "已核实并答复信访人"}),
                            )
                            .await
                        }
                        11 => {
                            let to = (k + 1 + rng.gen_range(0..cs.len() - 1)) % cs.len();
                            let r = t
                                .post_json(
                                    &p("/entrusted-tasks"),
                                    Some(&c.officer),
                                    &json!({"to_court": COURTS[to], "act": "freeze",
                                            "target": "被执行人银行账户", "instructions": ""}),
                                )
                                .await;
                            let s = r.status();
                            if s == StatusCode::CREATED || s == StatusCode::OK {
                                let v: Value = r.json().await.unwrap();
                                tasks.push((to, v["id"].as_i64().unwrap()));
                            }
                            s
                        }
                        12 if !tasks.is_empty() => {
                            let (to, tid) = tasks[rng.gen_range(0..tasks.len())];
                            let receiver = &cs[to].officer;
                            post(
                                &t,
                                receiver,
                                &format!("/api/v1/entrusted-tasks/{tid}/acceptance"),
                                json!({}),
                            )
                            .await;
                            let form = Form::new().text("result", "已冻结").part(
                                "document",
                                Part::bytes(PDF.to_vec())
                                    .file_name("回执.pdf")
                                    .mime_str("application/pdf")
                                    .unwrap(),
                            );
                            t.client
                                .post(t.url(&format!("/api/v1/entrusted-tasks/{tid}/result")))
                                .bearer_auth(receiver)
                                .multipart(form)
                                .send()
                                .await
                                .unwrap()
                                .status()
                        }
                        5 => {
                            t.clock
                                .advance(Duration::from_secs(rng.gen_range(1..20) * 86400));
                            StatusCode::OK
                        }
                        6 => {
                            post(
                                &t,
                                &c.officer,
                                &p("/suspension"),
                                json!({"reason": "案外人提出异议"}),
                            )
                            .await
                        }
                        7 => t
                            .req(
                                reqwest::Method::DELETE,
                                &p("/suspension"),
                                Some(&c.officer),
                                None,
                            )
                            .await
                            .status(),
                        _ => {
                            post(
                                &t,
                                &c.officer,
                                &p("/actions"),
                                json!({"action": "notice_issued", "perform_days": 7, "report_days": 10}),
                            )
                            .await
                        }
                    };
                }
            }
        }
        assert_consistent(&t).await;
    }

    // The rollups also agree with plain counts over the cases' own columns.
    let filed_here = sql_count(&t, "WHERE court_id = 'b110105'").await;
    let fully = sql_count(
        &t,
        "WHERE court_id = 'b110105' AND status = 'closed' AND closure_mode = 'fully_performed'",
    )
    .await;
    let closed = sql_count(&t, "WHERE status = 'closed'").await;
    assert!(closed > 0, "the random walk closed some cases");
    let spc = t.app.store.rollup_rows().await.unwrap();
    let total = |m: Metric| -> i64 {
        spc.iter()
            .filter(|r| r.0 == "spc" && r.1 == "subtree")
            .map(|r| r.4.get(m))
            .sum()
    };
    assert!(
        total(Metric::ComplaintsResolved) > 0,
        "complaints were resolved"
    );
    assert!(
        total(Metric::EntrustedDone) > 0,
        "entrusted tasks were done"
    );
    assert_eq!(
        total(Metric::EntrustedSent),
        total(Metric::EntrustedReceived),
        "every task counts once at each end"
    );
    let head = t.signed_in("spc_sup", "spc", Role::Supervisor).await;
    let v = t
        .get_value(
            "/api/v1/indicators?court=b110105&scope=self&from=2020-01&to=2029-12",
            Some(&head),
        )
        .await;
    assert_eq!(v["counters"]["filed"], filed_here, "{v}");
    assert_eq!(v["counters"]["fully_performed"], fully);
    let all = t
        .get_value(
            "/api/v1/indicators?court=spc&from=2020-01&to=2029-12",
            Some(&head),
        )
        .await;
    assert_eq!(all["counters"]["closed"], closed);
    assert_eq!(all["counters"]["filed"], sql_count(&t, "").await);

    // A rebuild from the cases lands on the same sums.
    let before = t.app.store.rollup_rows().await.unwrap();
    rebuild(&t.app).await.unwrap();
    let after = t.app.store.rollup_rows().await.unwrap();
    let nonzero = |v: Vec<(
        String,
        String,
        String,
        String,
        zhixing_domain::indicators::Counters,
    )>| { v.into_iter().filter(|r| !r.4.is_zero()).collect::<Vec<_>>() };
    assert_eq!(nonzero(before), nonzero(after));
}

#[tokio::test]
async fn a_supervisor_reads_a_subtree_and_its_ranking_an_officer_only_their_own() {
    let t = spawn().await;
    let cs = courts(&t).await;
    // Two cases at b110105 (one paid and closed), one at b110108.
    let a = file(&t, &cs[0], 1, 1_000_000).await.unwrap();
    file(&t, &cs[0], 2, 500_000).await.unwrap();
    file(&t, &cs[1], 3, 700_000).await.unwrap();
    let pa = |s: &str| format!("/api/v1/cases/{a}{s}");
    assert_eq!(
        post(
            &t,
            &cs[0].officer,
            &pa("/payments"),
            json!({"amount": 1_000_000})
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        post(
            &t,
            &cs[0].officer,
            &pa("/closure"),
            json!({"mode": "fully_performed", "reason": "全部履行完毕"})
        )
        .await,
        StatusCode::OK
    );
    let month = t.app.today().strftime("%Y-%m").to_string();
    let q = format!("from={month}&to={month}");

    let sup = t.signed_in("sup_bj", "h11", Role::Supervisor).await;
    let v = t
        .get_value(&format!("/api/v1/indicators?court=h11&{q}"), Some(&sup))
        .await;
    assert_eq!(v["scope"], "subtree");
    assert_eq!(v["counters"]["filed"], 3);
    assert_eq!(v["counters"]["closed"], 1);
    let get = |v: &Value, k: &str| {
        v["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == k)
            .cloned()
            .unwrap()
    };
    assert_eq!(get(&v, "fully_performed")["value"], 1.0);
    assert_eq!(get(&v, "recovery")["value"], 1.0);
    assert_eq!(get(&v, "on_time_with_property")["target"], 90);
    assert_eq!(get(&v, "on_time_with_property")["meets_target"], true);
    assert_eq!(get(&v, "zhongben_compliance")["value"], Value::Null);
    // Two officers, one closure.
    assert_eq!(get(&v, "closed_per_officer")["value"], 0.5, "{v}");
    // Hebei is not under Beijing's high court.
    let own = t
        .get_value(
            &format!("/api/v1/indicators?court=h11&scope=self&{q}"),
            Some(&sup),
        )
        .await;
    assert_eq!(own["counters"]["filed"], 0);

    // The ranking of the courts below: the intermediate court over both basic courts.
    let r = t
        .get_value(
            &format!("/api/v1/indicators/ranking?court=h11&{q}&by=fully_performed"),
            Some(&sup),
        )
        .await;
    let courts = r["courts"].as_array().unwrap();
    assert!(!courts.is_empty());
    let with_cases: Vec<&Value> = courts
        .iter()
        .filter(|c| c["counters"]["filed"].as_i64().unwrap() > 0)
        .collect();
    let filed: i64 = with_cases
        .iter()
        .map(|c| c["counters"]["filed"].as_i64().unwrap())
        .sum();
    assert_eq!(filed, 3);
    assert!(
        courts[0]["counters"]["closed"].as_i64().unwrap() == 1,
        "the court with the closure ranks first: {r}"
    );

    // Trend: one point per month, this month holding the filings.
    let tr = t
        .get_value(
            &format!("/api/v1/indicators/trend?court=h11&from=2026-01&to={month}"),
            Some(&sup),
        )
        .await;
    let months = tr["months"].as_array().unwrap();
    assert_eq!(months.last().unwrap()["month"], month.as_str());
    assert_eq!(months.last().unwrap()["counters"]["filed"], 3);

    // An officer reads their own court; not a sibling, not the sums below a court.
    let o = &cs[0].officer;
    let mine = t
        .get_value(&format!("/api/v1/indicators?{q}"), Some(o))
        .await;
    assert_eq!(mine["court"]["id"], "b110105");
    assert_eq!(mine["counters"]["filed"], 2);
    assert_problem(
        t.get(&format!("/api/v1/indicators?court=b110108&{q}"), Some(o))
            .await,
        StatusCode::NOT_FOUND,
        "court_not_found",
    )
    .await;
    let mid_officer = t.signed_in("mid", "h11", Role::Officer).await;
    assert_problem(
        t.get(
            &format!("/api/v1/indicators?court=h11&{q}"),
            Some(&mid_officer),
        )
        .await,
        StatusCode::FORBIDDEN,
        "subtree_not_allowed",
    )
    .await;
    // Hebei's supervisor does not see Beijing.
    let heb = t.signed_in("sup_heb", "h13", Role::Supervisor).await;
    assert_problem(
        t.get("/api/v1/indicators?court=h11", Some(&heb)).await,
        StatusCode::NOT_FOUND,
        "court_not_found",
    )
    .await;
    assert_eq!(
        t.get("/api/v1/indicators", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn bad_parameters_are_refused_with_codes() {
    let t = spawn().await;
    let sup = t.signed_in("sup", "h11", Role::Supervisor).await;
    for (q, code) in [
        ("from=2026-13&to=2026-12", "invalid_period"),
        ("from=2026-06&to=2026-01", "invalid_period"),
        ("from=2001-01&to=2026-01", "invalid_period"),
        ("from=2026-1&to=2026-02", "invalid_period"),
        ("scope=everything", "invalid_scope"),
        ("case_type=民", "invalid_case_type"),
    ] {
        assert_problem(
            t.get(&format!("/api/v1/indicators?{q}"), Some(&sup)).await,
            StatusCode::BAD_REQUEST,
            code,
        )
        .await;
    }
    assert_problem(
        t.get("/api/v1/indicators/ranking?by=nonsense", Some(&sup))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_indicator",
    )
    .await;
    assert_problem(
        t.get("/api/v1/indicators?court=nowhere", Some(&sup)).await,
        StatusCode::NOT_FOUND,
        "court_not_found",
    )
    .await;
    // Every metric has a counter in the answer.
    let v = t.get_value("/api/v1/indicators", Some(&sup)).await;
    for m in Metric::ALL {
        assert!(v["counters"][m.column()].is_i64(), "{m:?} in {v}");
    }
}
