//! The public side over HTTP: the rate limit, parties following their case with an access
//! code, announcements, the 终本 list, and that none of it needs (or leaks) more than it should.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem, test_config};

const APPLICANT_ID: &str = "11010519491231002X";
const RESPONDENT_ID: &str = "110101198001010010";
const CREDIT_CODE: &str = "91350100M000100Y43";

fn filing(doc: &str) -> Value {
    json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": APPLICANT_ID},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": RESPONDENT_ID},
            {"role": "respondent", "kind": "organisation", "name": "北京某某贸易有限公司", "credit_code": CREDIT_CODE, "legal_representative": "王五"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 12_000_000, "interest": 300_000, "costs": 45_000},
        "duties": ""
    })
}

/// Files a case; returns (id, number, the codes by party number).
async fn file(t: &TestApp, token: &str, doc: &str) -> (i64, String, Vec<String>) {
    let r = t
        .post_json("/api/v1/cases", Some(token), &filing(doc))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let codes: Vec<String> = v["access_codes"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            assert_eq!(c["party_no"], i64::try_from(i + 1).unwrap());
            c["code"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(codes.len(), 3);
    (
        v["id"].as_i64().unwrap(),
        v["number"].as_str().unwrap().to_owned(),
        codes,
    )
}

async fn access(t: &TestApp, number: &str, code: &str) -> reqwest::Response {
    t.post_json(
        "/public/v1/party-access",
        None,
        &json!({"case_number": number, "code": code}),
    )
    .await
}

async fn count_events(t: &TestApp, kind: &str) -> i64 {
    t.raw_text(&format!(
        "SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE kind = '{kind}'"
    ))
    .await
    .parse()
    .unwrap()
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after_and_recovers() {
    // One request's worth every 2 s: the burst of three and the refused fourth must fit in
    // that time even on a loaded machine (at 10 a second, a slow CI run refilled the bucket
    // before the fourth request).
    let t = TestApp::spawn_with(zhixing_server::Config {
        public_rate_per_minute: 30,
        public_burst: 3,
        ..test_config()
    })
    .await;
    // Pages and the API share one bucket per client.
    for path in ["/public", "/public/v1/announcements", "/public/case"] {
        assert_eq!(t.get(path, None).await.status(), StatusCode::OK, "{path}");
    }
    let r = t.get("/public/v1/terminated-cases", None).await;
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=2).contains(&retry),
        "whole seconds until the next token: {retry}"
    );
    assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let r = access(&t, "x", "y").await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the party route too"
    );
    // A page answers a person with a page in Chinese that says how long to wait.
    let r = t.get("/public/dishonest", None).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = r.headers()["retry-after"].to_str().unwrap().to_owned();
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = r.text().await.unwrap();
    assert!(
        html.contains(&format!("访问过于频繁，请 {wait} 秒后再试")),
        "{html}"
    );
    assert!(html.contains("href=\"/public\""));
    // A forwarded-for header is not trusted unless configured: it does not open a new bucket.
    let r = t
        .client
        .get(t.url("/public"))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // Authenticated and operational routes are not limited here.
    assert_eq!(t.get("/healthz", None).await.status(), StatusCode::OK);
    // One request's worth comes back after 2 s.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(t.get("/public", None).await.status(), StatusCode::OK);
    assert_eq!(
        t.get("/public", None).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket() {
    let t = TestApp::spawn_with(zhixing_server::Config {
        public_rate_per_minute: 1,
        public_burst: 1,
        trust_forwarded_for: true,
        ..test_config()
    })
    .await;
    let get = |ip: &'static str| {
        t.client
            .get(t.url("/public"))
            .header("x-forwarded-for", format!("198.51.100.1, {ip}"))
            .send()
    };
    assert_eq!(get("203.0.113.1").await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        get("203.0.113.1").await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(get("203.0.113.2").await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn public_routes_work_without_a_session() {
    let t = TestApp::spawn().await;
    let r = t.get("/public", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("href=\"/public/case\""));
    assert!(html.contains("href=\"/public/dishonest\""));
    assert!(html.contains("href=\"/public/restricted\""));
    for path in ["/public/case", "/public/dishonest", "/public/restricted"] {
        assert_eq!(t.get(path, None).await.status(), StatusCode::OK, "{path}");
    }
    for path in ["/public/v1/announcements", "/public/v1/terminated-cases"] {
        let v = t.get_value(path, None).await;
        assert!(v["items"].as_array().unwrap().is_empty(), "{path}");
    }
    // The officer routes that feed them do need one.
    assert_problem(
        t.post_json(
            "/api/v1/announcements",
            None,
            &json!({"title": "t", "body": "b"}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let r = t
        .post_json("/api/v1/cases/1/parties/1/access-code", None, &json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_party_follows_its_case_without_seeing_the_other_sides_identifiers() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (id, number, codes) = file(&t, &officer, "(2026)京0105民初1号").await;
    for c in &codes {
        assert_eq!(c.len(), 10);
        assert!(
            c.chars()
                .all(|ch| "23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains(ch))
        );
    }
    // Only a keyed hash is stored, and the filing's events do not hold the codes.
    let stored = t
        .raw_text("SELECT code_hash FROM party_access_codes WHERE party_no = 1")
        .await;
    assert_ne!(stored, codes[0]);
    for c in &codes {
        let n = t
            .raw_text(&format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE payload LIKE '%{c}%'"
            ))
            .await;
        assert_eq!(n, "0", "a code in the event log");
    }

    // A receipt and a payout to the applicant, to be seen as a payment due to it.
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/account/receipts"),
            Some(&officer),
            &json!({"amount_fen": 500_000, "reference": "BANK-1"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/account/payouts"),
            Some(&officer),
            &json!({"party_no": 1, "amount_fen": 400_000}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    // The applicant, with lower-case, spaced input and full-width brackets.
    let typed = format!(" {} ", number.replace('(', "（").replace(')', "）"));
    let r = access(&t, &typed, &codes[0].to_lowercase()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    for secret in [
        APPLICANT_ID,
        RESPONDENT_ID,
        CREDIT_CODE,
        "1101011980",
        "M000100Y",
    ] {
        assert!(!body.contains(secret), "{secret} in {body}");
    }
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["number"], number.as_str());
    assert_eq!(v["you"]["name"], "张三");
    assert_eq!(v["you"]["role"], "applicant");
    assert_eq!(v["parties"][1]["name"], "李四");
    assert_eq!(v["timeline"][0]["title"], "立案受理");
    assert!(
        v["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["title"].as_str().unwrap().contains("案款到账"))
    );
    assert!(!v["deadlines"].as_array().unwrap().is_empty());
    assert_eq!(v["payments"][0]["amount_fen"], 400_000);
    assert_eq!(v["payments"][0]["status"], "proposed");
    assert_eq!(v["unpaid_fen"], 12_345_000 - 500_000);

    // The respondent sees the case too, but no payments and not the applicant's number.
    let r = access(&t, &number, &codes[1]).await;
    let body = r.text().await.unwrap();
    assert!(!body.contains(APPLICANT_ID) && !body.contains(RESPONDENT_ID));
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["you"]["role"], "respondent");
    assert!(v["payments"].as_array().unwrap().is_empty());

    assert_eq!(count_events(&t, "public.party_access").await, 2);

    // The page shows the same.
    let r = t
        .client
        .post(t.url("/public/case"))
        .form(&[
            ("case_number", number.as_str()),
            ("code", codes[0].as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains(&number) && html.contains("立案受理"));
    assert!(!html.contains(APPLICANT_ID) && !html.contains(RESPONDENT_ID));
}

#[tokio::test]
async fn wrong_codes_and_unknown_cases_answer_alike_and_five_failures_lock() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (_, number, codes) = file(&t, &officer, "(2026)京0105民初2号").await;
    let wrong = assert_problem(
        access(&t, &number, "ABCDEFGHJK").await,
        StatusCode::FORBIDDEN,
        "access_denied",
    )
    .await;
    let unknown = assert_problem(
        access(&t, "(2026)京0105执999号", &codes[0]).await,
        StatusCode::FORBIDDEN,
        "access_denied",
    )
    .await;
    assert_eq!(wrong, unknown);
    // SQL in a field is only data.
    let sql = assert_problem(
        access(&t, "' OR 1=1 --", "' OR '1'='1").await,
        StatusCode::FORBIDDEN,
        "access_denied",
    )
    .await;
    assert_eq!(sql, wrong);
    // Empty fields too.
    assert_problem(
        access(&t, &number, "").await,
        StatusCode::FORBIDDEN,
        "access_denied",
    )
    .await;
    // Three more wrong codes make five: the case number locks, even for the right code.
    for _ in 0..3 {
        access(&t, &number, "ZZZZZZZZZZ").await;
    }
    let r = access(&t, &number, &codes[0]).await;
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 800 && retry <= 900, "{retry}");
    assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "access_locked").await;
    assert_eq!(count_events(&t, "public.party_access_locked").await, 1);
    // Another case number is not locked.
    assert_problem(
        access(&t, "(2026)京0105执998号", "x").await,
        StatusCode::FORBIDDEN,
        "access_denied",
    )
    .await;
    t.clock.advance(Duration::from_secs(15 * 60 + 1));
    assert_eq!(
        access(&t, &number, &codes[0]).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_reissued_code_replaces_the_old_one() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (id, number, codes) = file(&t, &officer, "(2026)京0105民初3号").await;
    let path = format!("/api/v1/cases/{id}/parties/2/access-code");
    let r = t.post_json(&path, Some(&officer), &json!({})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["party_no"], 2);
    assert_eq!(v["name"], "李四");
    let new = v["code"].as_str().unwrap().to_owned();
    assert_ne!(new, codes[1]);
    assert_problem(
        access(&t, &number, &codes[1]).await,
        StatusCode::FORBIDDEN,
        "access_denied",
    )
    .await;
    assert_eq!(access(&t, &number, &new).await.status(), StatusCode::OK);
    // The other parties' codes still work.
    assert_eq!(
        access(&t, &number, &codes[0]).await.status(),
        StatusCode::OK
    );
    assert_eq!(count_events(&t, "party.access_code_issued").await, 1);
    let n = t
        .raw_text(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE payload LIKE '%{new}%'"
        ))
        .await;
    assert_eq!(n, "0");
    // No such party; another court's officer does not learn the case exists.
    assert_problem(
        t.post_json(
            &format!("/api/v1/cases/{id}/parties/9/access-code"),
            Some(&officer),
            &json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "party_not_found",
    )
    .await;
    let other = t.signed_in("officer2", "b110101", Role::Officer).await;
    assert_problem(
        t.post_json(&path, Some(&other), &json!({})).await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
}

#[tokio::test]
async fn announcements_are_posted_by_officers_and_listed_newest_first() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let auditor = t.signed_in("auditor1", "b110105", Role::Auditor).await;
    let titles = [
        "关于春节期间执行工作的公告",
        "<script>alert(1)</script>",
        "'; DROP TABLE cases; --",
    ];
    for title in titles {
        let r = t
            .post_json(
                "/api/v1/announcements",
                Some(&officer),
                &json!({"title": title, "body": "正文 <b>x</b>"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        t.clock.advance(Duration::from_secs(60));
    }
    assert_problem(
        t.post_json(
            "/api/v1/announcements",
            Some(&auditor),
            &json!({"title": "t", "body": "b"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        t.post_json(
            "/api/v1/announcements",
            Some(&officer),
            &json!({"title": " ", "body": ""}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_announcement",
    )
    .await;
    assert_problem(
        t.post_json(
            "/api/v1/announcements",
            Some(&officer),
            &json!({"court_id": "b110101", "title": "t", "body": "b"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "announcement_court_forbidden",
    )
    .await;

    let r = t.get("/public/v1/announcements?limit=2", None).await;
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let page1: Value = r.json().await.unwrap();
    let items = page1["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["title"], titles[2], "stored as typed, inert");
    assert_eq!(items[1]["title"], titles[1]);
    assert_eq!(items[0]["court_id"], "b110105");
    assert!(!items[0]["court_name"].as_str().unwrap().is_empty());
    let next = page1["next"].as_i64().unwrap();
    let page2 = t
        .get_value(
            &format!("/public/v1/announcements?limit=2&cursor={next}"),
            None,
        )
        .await;
    assert_eq!(page2["items"][0]["title"], titles[0]);
    assert!(page2["next"].is_null());
    // The cases table is still there.
    assert_eq!(
        t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM cases").await,
        "0"
    );
    assert_problem(
        t.get("/public/v1/announcements?cursor=abc", None).await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
}

#[tokio::test]
async fn the_terminated_list_publishes_masked_identifiers_only() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (id, number, _) = file(&t, &officer, "(2026)京0105民初4号").await;
    let (_, open_number, _) = file(&t, &officer, "(2026)京0105民初5号").await;
    // The closure process itself is tested in tests/cases.rs; here only the row's state
    // matters to the list.
    t.raw_exec(&format!(
        "UPDATE cases SET status = 'closed', closure_mode = 'zhongben', closed_on = '2026-06-30' WHERE id = {id}"
    ))
    .await;
    let r = t.get("/public/v1/terminated-cases", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    for secret in [APPLICANT_ID, RESPONDENT_ID, CREDIT_CODE, "张三"] {
        assert!(!body.contains(secret), "{secret} published: {body}");
    }
    let v: Value = serde_json::from_str(&body).unwrap();
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["number"], number.as_str());
    assert_ne!(items[0]["number"], open_number.as_str());
    assert_eq!(items[0]["closed_on"], "2026-06-30");
    assert_eq!(items[0]["unpaid_fen"], 12_345_000);
    let rs = items[0]["respondents"].as_array().unwrap();
    assert_eq!(rs[0]["name"], "李四");
    let masked = rs[0]["id_masked"].as_str().unwrap();
    assert_eq!(masked.chars().count(), RESPONDENT_ID.len());
    assert!(masked.contains('*'), "{masked}");
    assert_eq!(rs[1]["name"], "北京某某贸易有限公司");
    assert_eq!(rs[1]["id_masked"], "9135**********0Y43");
}

#[tokio::test]
async fn script_in_the_party_form_is_escaped() {
    let t = TestApp::spawn().await;
    let r = t
        .client
        .post(t.url("/public/case"))
        .form(&[("case_number", "<script>alert(1)</script>"), ("code", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let html = r.text().await.unwrap();
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("案号或查询码不正确"));
}
