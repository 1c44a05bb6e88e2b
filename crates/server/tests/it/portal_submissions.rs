//! What a party submits online with their case number and access code — a property clue, a
//! complaint — landing on the case as the staff's own would (with their deadlines), followed
//! by receipt; the access-code throttle on every use; the size limits; and the debtor's view:
//! the measures in effect and the case account, never the court's investigations.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem};

const COURT: &str = "b110105";

/// Files a case with one applicant and one respondent; returns (id, number, [applicant's
/// code, respondent's code]).
async fn file(t: &TestApp, token: &str, doc: &str) -> (i64, String, Vec<String>) {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 8_000_000, "interest": 0, "costs": 0},
        "duties": ""
    });
    let r = t.post_json("/api/v1/cases", Some(token), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let codes = v["access_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect();
    (
        v["id"].as_i64().unwrap(),
        v["number"].as_str().unwrap().to_owned(),
        codes,
    )
}

async fn submit(t: &TestApp, what: &str, body: &Value) -> reqwest::Response {
    t.post_json(&format!("/public/v1/party-{what}"), None, body)
        .await
}

async fn follow(t: &TestApp, number: &str, code: &str, receipt: &str) -> reqwest::Response {
    t.post_json(
        "/public/v1/party-receipts",
        None,
        &json!({"case_number": number, "code": code, "receipt": receipt}),
    )
    .await
}

async fn count(t: &TestApp, sql: &str) -> i64 {
    t.raw_text(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM {sql}"))
        .await
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_clue_and_a_complaint_land_on_the_case_with_their_deadlines_and_are_followed_by_receipt()
{
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let (id, number, codes) = file(&t, &officer, "(2026)京0105民初501号").await;
    // As people type it: full-width brackets.
    let typed = number.replace('(', "（").replace(')', "）");

    // The applicant gives a clue.
    let r = submit(
        &t,
        "clues",
        &json!({"case_number": typed, "code": codes[0], "description": "被执行人在某银行朝阳支行有存款"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let clue: Value = r.json().await.unwrap();
    assert_eq!(clue["kind"], "clue");
    assert_eq!(clue["status"], "pending");
    assert_eq!(clue["status_zh"], "待核查");
    let clue_receipt = clue["receipt"].as_str().unwrap().to_owned();
    assert_eq!(clue_receipt.len(), 12);

    // Staff see it on the case as a clue to verify, with its statutory deadline.
    let case: Value = t
        .get_value(&format!("/api/v1/cases/{id}"), Some(&officer))
        .await;
    assert_eq!(
        case["case"]["clues"][0]["description"],
        "被执行人在某银行朝阳支行有存款"
    );
    let deadline = case["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["node"] == "clue:1")
        .unwrap_or_else(|| panic!("a deadline to verify the clue: {case}"))
        .clone();
    assert_eq!(deadline["rule_id"], "investigation.clue_verify");
    assert_eq!(deadline["status"], "pending");
    assert_eq!(clue["due"], deadline["due"]);
    // Recorded as the party's act, not a user's.
    assert_eq!(
        t.raw_text("SELECT actor FROM events WHERE kind = 'case.clue_submitted'")
            .await,
        format!("party:{id}/1")
    );

    // The respondent complains.
    let r = submit(
        &t,
        "complaints",
        &json!({"case_number": number, "code": codes[1], "summary": "执行人员态度粗暴，要求更换承办人"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let complaint: Value = r.json().await.unwrap();
    assert_eq!(complaint["kind"], "complaint");
    assert_eq!(complaint["status"], "registered");
    let complaint_receipt = complaint["receipt"].as_str().unwrap().to_owned();

    // Staff see it registered against the case, online, with its working-day deadlines.
    let list: Value = t
        .get_value(&format!("/api/v1/cases/{id}/complaints"), Some(&officer))
        .await;
    let c = &list[0];
    assert_eq!(c["channel"], "online");
    assert_eq!(c["complainant"], "李四");
    assert_eq!(c["status"], "registered");
    assert_eq!(c["registered_by"], 0);
    assert_eq!(c["registered_on"], t.app.today().to_string());
    assert_eq!(complaint["due"], c["resolve_due"]);
    assert!(c["resolve_due"].as_str().unwrap() > c["registered_on"].as_str().unwrap());
    assert_eq!(
        t.raw_text("SELECT actor FROM events WHERE kind = 'complaint.registered'")
            .await,
        format!("party:{id}/2")
    );

    // A respondent does not give clues.
    let r = submit(
        &t,
        "clues",
        &json!({"case_number": number, "code": codes[1], "description": "线索"}),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "clue_applicant_only").await;

    // Each follows their own by receipt (as typed, in lower case); another party's receipt is
    // not found. Each following is on the audit chain.
    let r = follow(&t, &number, &codes[0], &clue_receipt.to_lowercase()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "pending");
    assert_eq!(
        count(&t, "events WHERE kind = 'public.party_receipt'").await,
        1
    );
    let r = follow(&t, &number, &codes[1], &clue_receipt).await;
    assert_problem(r, StatusCode::NOT_FOUND, "receipt_not_found").await;
    let r = follow(&t, &number, &codes[0], &complaint_receipt).await;
    assert_problem(r, StatusCode::NOT_FOUND, "receipt_not_found").await;

    // Staff verify the clue and answer the complaint: the receipts say so.
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/clues/1/verification"),
            Some(&officer),
            &json!({"result": "已查实存款 5 万元并冻结"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let cid = c["id"].as_i64().unwrap();
    let r = t
        .post_json(
            &format!("/api/v1/complaints/{cid}/resolution"),
            Some(&officer),
            &json!({"result": "经核查，已批评教育承办人并当面致歉"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = follow(&t, &number, &codes[0], &clue_receipt)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["status"], "verified");
    assert_eq!(v["answer"], "已查实存款 5 万元并冻结");
    let v: Value = follow(&t, &number, &codes[1], &complaint_receipt)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["status"], "resolved");
    assert_eq!(v["status_zh"], "已办结");
    assert_eq!(v["answer"], "经核查，已批评教育承办人并当面致歉");

    // The party's view lists what they submitted.
    let v: Value = t
        .post_json(
            "/public/v1/party-access",
            None,
            &json!({"case_number": number, "code": codes[1]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["submissions"].as_array().unwrap().len(), 1);
    assert_eq!(v["submissions"][0]["receipt"], complaint_receipt.as_str());

    // The receipt page shows the same.
    let r = t
        .client
        .post(t.url("/public/case/receipt"))
        .form(&[
            ("case_number", number.as_str()),
            ("code", codes[1].as_str()),
            ("receipt", complaint_receipt.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains(&complaint_receipt) && html.contains("已办结"));
    assert!(html.contains("经核查，已批评教育承办人并当面致歉"));
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_counts_towards_the_same_lock_on_every_door() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let (id, number, codes) = file(&t, &officer, "(2026)京0105民初502号").await;
    let clue = |code: &str| json!({"case_number": number, "code": code, "description": "某处房产"});
    let complaint = |code: &str| json!({"case_number": number, "code": code, "summary": "投诉"});

    // Four wrong codes across the three doors, refused alike; the fifth locks the number.
    for r in [
        submit(&t, "clues", &clue("WRONGCODE2")).await,
        submit(&t, "complaints", &complaint("WRONGCODE2")).await,
        follow(&t, &number, "WRONGCODE2", "AAAAAAAAAAAA").await,
        submit(&t, "clues", &clue("")).await,
        submit(&t, "complaints", &complaint("WRONGCODE3")).await,
    ] {
        assert_problem(r, StatusCode::FORBIDDEN, "access_denied").await;
    }
    // Locked now, even for the right code, on every door and on the party view.
    let r = submit(&t, "clues", &clue(&codes[0])).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "access_locked").await;
    let r = submit(&t, "complaints", &complaint(&codes[1])).await;
    assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "access_locked").await;
    let r = t
        .post_json(
            "/public/v1/party-access",
            None,
            &json!({"case_number": number, "code": codes[0]}),
        )
        .await;
    assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "access_locked").await;

    // Nothing landed.
    assert_eq!(count(&t, "public_submissions").await, 0);
    assert_eq!(
        count(&t, &format!("complaints WHERE case_id = {id}")).await,
        0
    );
    let case: Value = t
        .get_value(&format!("/api/v1/cases/{id}"), Some(&officer))
        .await;
    assert!(case["case"]["clues"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn oversized_text_is_refused_with_the_limit_and_nothing_is_recorded() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let (id, number, codes) = file(&t, &officer, "(2026)京0105民初503号").await;

    let long_clue = "房".repeat(zhixing_domain::case::MAX_CLUE_CHARS + 1);
    let r = submit(
        &t,
        "clues",
        &json!({"case_number": number, "code": codes[0], "description": long_clue}),
    )
    .await;
    let p = assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_clue").await;
    assert_eq!(p["params"]["max"], zhixing_domain::case::MAX_CLUE_CHARS);

    let long_summary = "诉".repeat(zhixing_domain::complaint::MAX_TEXT_CHARS + 1);
    let r = submit(
        &t,
        "complaints",
        &json!({"case_number": number, "code": codes[1], "summary": long_summary}),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_summary").await;
    // Empty is refused as well.
    let r = submit(
        &t,
        "complaints",
        &json!({"case_number": number, "code": codes[1], "summary": "   "}),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_summary").await;

    // The page keeps what was typed and says why, beside the form.
    let r = t
        .client
        .post(t.url("/public/case/clues"))
        .form(&[
            ("case_number", number.as_str()),
            ("code", codes[0].as_str()),
            ("description", long_clue.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("party-said") && html.contains(&long_clue));

    assert_eq!(count(&t, "public_submissions").await, 0);
    assert_eq!(
        count(&t, &format!("complaints WHERE case_id = {id}")).await,
        0
    );
}

#[tokio::test]
async fn the_debtor_sees_the_measures_in_effect_and_where_to_pay_but_no_investigation() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let (id, number, codes) = file(&t, &officer, "(2026)京0105民初504号").await;
    // A vehicle seized; a second measure still out to the institution.
    t.seized_asset(
        id,
        COURT,
        "vehicle",
        "LSVAB4BR0JN123456",
        "小型轿车",
        9_000_000,
    )
    .await;
    let pending = t
        .seized_asset(
            id,
            COURT,
            "real_estate",
            "京(2020)朝阳区不动产权第0099887号",
            "住宅",
            300_000_000,
        )
        .await;
    t.raw_exec(&format!(
        "UPDATE measures SET status = 'requested' WHERE asset_id = {pending}"
    ))
    .await;
    // The applicant gives a clue: a deadline of the court's investigation.
    let r = submit(
        &t,
        "clues",
        &json!({"case_number": number, "code": codes[0], "description": "被执行人名下另有一处商铺"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let access = |code: String| {
        let t = &t;
        let number = number.clone();
        async move {
            let r = t
                .post_json(
                    "/public/v1/party-access",
                    None,
                    &json!({"case_number": number, "code": code}),
                )
                .await;
            assert_eq!(r.status(), StatusCode::OK);
            r.text().await.unwrap()
        }
    };
    let debtor_json = access(codes[1].clone()).await;
    let debtor: Value = serde_json::from_str(&debtor_json).unwrap();
    let measures = debtor["measures"].as_array().unwrap();
    assert_eq!(
        measures.len(),
        1,
        "only the measure in effect: {measures:?}"
    );
    assert_eq!(measures[0]["kind"], "seize");
    assert_eq!(measures[0]["status"], "active");
    assert_eq!(measures[0]["asset"], "车辆（北京市车管所，尾号 3456）");
    assert!(!debtor_json.contains("LSVAB4BR0JN123456"));
    assert!(!debtor_json.contains("0099887"));
    let pay = &debtor["how_to_pay"];
    assert_eq!(pay["outstanding_fen"], 8_000_000);
    let account = pay["account_number"].as_str().unwrap();
    assert_eq!(account.len(), 16);
    assert!(account.chars().all(|c| c.is_ascii_digit()));
    assert!(
        pay["account_name"]
            .as_str()
            .unwrap()
            .ends_with("执行款专户")
    );
    assert_eq!(pay["reference"], number.as_str());
    // No investigation: not the first online investigation's deadline, not the clue's.
    assert!(!debtor_json.contains("网络查控"), "{debtor_json}");
    assert!(!debtor_json.contains("核查财产线索"), "{debtor_json}");
    assert!(!debtor_json.contains("商铺"));

    // The applicant sees both measures and the clue's deadline, and no account to pay into.
    let applicant: Value = serde_json::from_str(&access(codes[0].clone()).await).unwrap();
    assert_eq!(applicant["measures"].as_array().unwrap().len(), 2);
    assert!(applicant["how_to_pay"].is_null());
    assert!(applicant.to_string().contains("核查财产线索"));

    // The page: the measure's property and status in Chinese, the account, no investigation.
    let r = t
        .client
        .post(t.url("/public/case"))
        .form(&[
            ("case_number", number.as_str()),
            ("code", codes[1].as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("车辆（北京市车管所，尾号 3456）") && html.contains("生效中"));
    assert!(html.contains(account) && html.contains("¥80,000.00"));
    assert!(!html.contains("网络查控") && !html.contains("核查财产线索"));
    assert!(!html.contains("0099887") && !html.contains("已发送，待回复"));
    // A debtor gives no clues: no such form; a complaint form, yes.
    assert!(!html.contains("clue-form") && html.contains("complaint-form"));
}

#[tokio::test]
async fn the_submissions_share_the_public_rate_limit_per_address() {
    let t = TestApp::spawn_with(zhixing_server::Config {
        public_rate_per_minute: 1,
        public_burst: 2,
        ..zhixing_testkit::test_config()
    })
    .await;
    let body = json!({"case_number": "(2026)京0105执9号", "code": "WRONGCODE2", "summary": "投诉"});
    for _ in 0..2 {
        let r = submit(&t, "complaints", &body).await;
        assert_problem(r, StatusCode::FORBIDDEN, "access_denied").await;
    }
    let r = submit(&t, "clues", &body).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn the_submission_forms_refuse_posts_from_other_sites() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let (id, number, codes) = file(&t, &officer, "(2026)京0105民初505号").await;
    for (path, field, text) in [
        ("/public/case/clues", "description", "某处房产"),
        ("/public/case/complaints", "summary", "投诉"),
        ("/public/case/receipt", "receipt", "AAAAAAAAAAAA"),
    ] {
        let r = t
            .client
            .post(t.url(path))
            .header("origin", "https://evil.example")
            .form(&[
                ("case_number", number.as_str()),
                ("code", codes[0].as_str()),
                (field, text),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(r.text().await.unwrap().contains("csrf"), "{path}");
    }
    assert_eq!(count(&t, "public_submissions").await, 0);
    assert_eq!(
        count(&t, &format!("complaints WHERE case_id = {id}")).await,
        0
    );
}
