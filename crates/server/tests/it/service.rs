//! Service of documents (送达, DOMAIN §4c) over real HTTP: each method recorded with its proof,
//! the refusals of the law, electronic service through the party's portal inbox with its
//! notice, the periods of the notice running from service, and the command centre's alert on
//! documents left unserved.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem, signed_return};

const COURT: &str = "b110105";

/// A case with one applicant (1) and two respondents (2, 3): its id and each party's code.
async fn file_case(t: &TestApp, token: &str, doc: &str) -> (i64, Vec<String>) {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"},
            {"role": "respondent", "kind": "person", "name": "王五", "id_number": "110101199001010031"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000}
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
    (v["id"].as_i64().unwrap(), codes)
}

async fn notice(t: &TestApp, token: &str, id: i64) {
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/actions"),
            Some(token),
            &json!({"action": "notice_issued", "perform_days": 7, "report_days": 10}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
}

async fn services(t: &TestApp, token: &str, id: i64) -> Vec<Value> {
    t.get_value(&format!("/api/v1/cases/{id}/services"), Some(token))
        .await
        .as_array()
        .unwrap()
        .clone()
}

/// The document of `kind` and its recipient `party_no` in the service list.
fn find<'a>(docs: &'a [Value], kind: &str, party_no: i64) -> (&'a Value, &'a Value) {
    let d = docs.iter().rev().find(|d| d["kind"] == kind).unwrap();
    let r = d["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["party_no"] == party_no)
        .unwrap();
    (d, r)
}

fn form(doc: i64, party: i64, method: &str, on: Option<&str>, proof: Option<Vec<u8>>) -> Form {
    let mut f = Form::new()
        .text("document_id", doc.to_string())
        .text("party_no", party.to_string())
        .text("method", method.to_owned());
    if let Some(on) = on {
        f = f.text("on", on.to_owned());
    }
    if let Some(bytes) = proof {
        f = f.part("proof", Part::bytes(bytes).file_name("送达回证.pdf"));
    }
    f
}

async fn serve(t: &TestApp, token: &str, id: i64, f: Form) -> reqwest::Response {
    t.client
        .post(t.url(&format!("/api/v1/cases/{id}/services")))
        .bearer_auth(token)
        .multipart(f)
        .send()
        .await
        .unwrap()
}

async fn count(t: &TestApp, table: &str) -> i64 {
    t.raw_text(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}"))
        .await
        .parse()
        .unwrap()
}

fn day(t: &TestApp, offset: i64) -> String {
    t.app
        .today()
        .checked_add(jiff::Span::new().days(offset))
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn each_method_is_recorded_with_its_proof_and_the_law_refuses_the_rest() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("officer", COURT, Role::Officer).await;
    let (id, _) = file_case(&t, &token, "(2026)京0105民初9001号").await;
    notice(&t, &token, id).await;
    let docs = services(&t, &token, id).await;
    let (notice_doc, r2) = find(&docs, "enforcement_notice", 2);
    assert_eq!(r2["status"], "unserved");
    assert_eq!(
        r2["periods"][0]["started"], false,
        "unserved: no period runs"
    );
    let nd = notice_doc["document_id"].as_i64().unwrap();
    let (order, _) = find(&docs, "property_report_order", 2);
    let od = order["document_id"].as_i64().unwrap();
    let (acceptance, _) = find(&docs, "acceptance_notice", 1);
    let ad = acceptance["document_id"].as_i64().unwrap();
    let today = day(&t, 0);
    let proofs_before = count(&t, "service_proofs").await;

    // The law's refusals, each leaving nothing stored.
    let r = serve(&t, &token, id, form(nd, 2, "direct", Some(&today), None)).await;
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "service_proof_required",
    )
    .await;
    let r = serve(
        &t,
        &token,
        id,
        form(nd, 2, "post", Some(&day(&t, 1)), Some(signed_return())),
    )
    .await;
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "service_date_in_future",
    )
    .await;
    let r = serve(&t, &token, id, form(nd, 2, "electronic", None, None)).await;
    assert_problem(r, StatusCode::CONFLICT, "electronic_consent_missing").await;
    let r = serve(
        &t,
        &token,
        id,
        form(nd, 2, "announcement", Some(&today), Some(signed_return())),
    )
    .await;
    assert_problem(r, StatusCode::CONFLICT, "announcement_not_allowed").await;
    let r = serve(
        &t,
        &token,
        id,
        form(nd, 1, "direct", Some(&today), Some(signed_return())),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "not_a_recipient").await;
    let r = serve(
        &t,
        &token,
        id,
        form(nd, 2, "fax", Some(&today), Some(signed_return())),
    )
    .await;
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "service_method_invalid",
    )
    .await;
    let r = serve(
        &t,
        &token,
        id,
        form(nd, 2, "direct", Some(&today), Some(b"not a file".to_vec())),
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "a proof is a PDF, JPEG, PNG or MP4"
    );
    assert_eq!(
        count(&t, "service_proofs").await,
        proofs_before,
        "nothing stored by a refusal"
    );

    // Direct service on respondent 2: the signed return, downloadable byte for byte.
    let r = serve(
        &t,
        &token,
        id,
        form(nd, 2, "direct", Some(&today), Some(signed_return())),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // Post on respondent 3, left at the domicile for the order on respondent 2, and the
    // acceptance notice on the applicant by post.
    for (doc, party, method) in [
        (nd, 3, "post"),
        (od, 2, "left_at_domicile"),
        (ad, 1, "post"),
    ] {
        let r = serve(
            &t,
            &token,
            id,
            form(doc, party, method, Some(&today), Some(signed_return())),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED, "{method}");
    }
    let r = serve(
        &t,
        &token,
        id,
        form(nd, 2, "post", Some(&today), Some(signed_return())),
    )
    .await;
    assert_problem(r, StatusCode::CONFLICT, "already_served").await;

    let docs = services(&t, &token, id).await;
    let (_, r2) = find(&docs, "enforcement_notice", 2);
    assert_eq!(r2["status"], "served");
    assert_eq!(r2["method"], "direct");
    assert_eq!(r2["method_zh"], "直接送达");
    assert_eq!(r2["served_on"], today.as_str());
    assert_eq!(r2["periods"][0]["what"], "perform");
    assert_eq!(
        r2["periods"][0]["from"],
        today.as_str(),
        "the period runs from service"
    );
    let url = r2["proof_url"].as_str().unwrap();
    let got = t.get(url, Some(&token)).await;
    assert_eq!(got.status(), StatusCode::OK);
    let sha = got.headers()["x-content-sha256"]
        .to_str()
        .unwrap()
        .to_owned();
    let bytes = got.bytes().await.unwrap();
    assert_eq!(bytes.as_ref(), signed_return().as_slice());
    assert_eq!(sha, hex::encode(Sha256::digest(&bytes)));
    assert_eq!(r2["proof_sha256"], sha.as_str());
    assert_eq!(find(&docs, "enforcement_notice", 3).1["method"], "post");
    assert_eq!(
        find(&docs, "property_report_order", 2).1["method"],
        "left_at_domicile"
    );
    assert_eq!(
        find(&docs, "property_report_order", 3).1["status"],
        "unserved"
    );

    // Announcement on respondent 3 of the order: after a failed attempt, deemed served 30
    // days later (the rule book's figure), and shown as running, not served.
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/service-failures"),
            Some(&token),
            &json!({"document_id": od, "party_no": 3, "method": "post", "reason": "whereabouts_unknown",
                    "note": "邮件以查无此人退回，经走访下落不明"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = serve(
        &t,
        &token,
        id,
        form(od, 3, "announcement", Some(&today), Some(signed_return())),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let docs = services(&t, &token, id).await;
    let (_, r3) = find(&docs, "property_report_order", 3);
    assert_eq!(r3["status"], "announced");
    assert_eq!(r3["announced_on"], today.as_str());
    let deemed: jiff::civil::Date = r3["served_on"].as_str().unwrap().parse().unwrap();
    assert!(
        deemed
            >= t.app
                .today()
                .checked_add(jiff::Span::new().days(30))
                .unwrap()
    );
    assert_eq!(r3["failures"][0]["reason"], "whereabouts_unknown");

    // Each service is an event of the case, on its timeline.
    let timeline = t
        .get_value(&format!("/api/v1/cases/{id}/timeline"), Some(&token))
        .await;
    let kinds: Vec<&str> = timeline
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "case.document_served")
            .count(),
        5
    );
    assert!(kinds.contains(&"case.service_failed"));

    // Another court's officer cannot read the proof, nor learn it exists.
    let stranger = t.signed_in("stranger", "b110108", Role::Officer).await;
    assert_eq!(
        t.get(url, Some(&stranger)).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_notice_periods_run_from_service_and_an_unserved_notice_blocks_the_listing() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("officer", COURT, Role::Officer).await;
    let (id, _) = file_case(&t, &token, "(2026)京0105民初9002号").await;
    notice(&t, &token, id).await;
    // Long past the stated days, but never served: the listing names the missing service.
    t.clock.advance(Duration::from_secs(40 * 86_400));
    let listing = json!({"party_no": 2, "grounds": [1], "facts": "有履行能力而拒不履行生效法律文书确定的义务"});
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/listings"),
            Some(&token),
            &listing,
        )
        .await;
    let p = assert_problem(r, StatusCode::CONFLICT, "listing_facts_missing").await;
    assert_eq!(p["reasons"][0]["code"], "notice_unserved", "{p}");
    assert_eq!(p["reasons"][0]["params"]["document"], "执行通知书");
    // Served today: the seven days run from today.
    t.serve_documents(&token, id, &["enforcement_notice"]).await;
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/listings"),
            Some(&token),
            &listing,
        )
        .await;
    let p = assert_problem(r, StatusCode::CONFLICT, "listing_facts_missing").await;
    assert_eq!(p["reasons"][0]["code"], "perform_period_running");
    assert_eq!(p["reasons"][0]["params"]["from"], day(&t, 0).as_str());
    t.clock.advance(Duration::from_secs(15 * 86_400));
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/listings"),
            Some(&token),
            &listing,
        )
        .await;
    assert!(
        r.status().is_success(),
        "listed once the period from service has passed"
    );
}

#[tokio::test]
async fn electronic_service_reaches_the_inbox_with_its_notice_and_the_opening_is_recorded() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("officer", COURT, Role::Officer).await;
    let number_doc = "(2026)京0105民初9003号";
    let (id, codes) = file_case(&t, &token, number_doc).await;
    let case: Value = t
        .get_value(&format!("/api/v1/cases/{id}"), Some(&token))
        .await;
    let number = case["number"].as_str().unwrap().to_owned();
    let code2 = &codes[1];

    // A bad address is refused; consent with an SMS number is recorded, masked.
    let consent = |c: &str, body: Value| {
        let mut b = body;
        b["case_number"] = json!(number);
        b["code"] = json!(c);
        b
    };
    let r = t
        .post_json(
            "/public/v1/party-consent",
            None,
            &consent(
                code2,
                json!({"consent": true, "channel": "sms", "address": "12345"}),
            ),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "contact_invalid").await;
    let r = t
        .post_json(
            "/public/v1/party-consent",
            None,
            &consent(
                code2,
                json!({"consent": true, "channel": "sms", "address": "13812345678"}),
            ),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["notify"], "短信 138****5678");
    let r = t
        .post_json(
            "/public/v1/party-consent",
            None,
            &consent(code2, json!({"consent": true})),
        )
        .await;
    assert_problem(r, StatusCode::CONFLICT, "consent_already_given").await;
    let r = t
        .post_json(
            "/public/v1/party-consent",
            None,
            &consent("WRONGCODE2", json!({"consent": true})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The notice issued now reaches respondent 2's inbox at once, served today by the system;
    // respondent 3, who did not consent, is not served.
    notice(&t, &token, id).await;
    let docs = services(&t, &token, id).await;
    let (nd, r2) = find(&docs, "enforcement_notice", 2);
    assert_eq!(r2["status"], "served");
    assert_eq!(r2["method"], "electronic");
    assert_eq!(r2["served_on"], day(&t, 0).as_str());
    assert_eq!(r2["recorded_by"], "system:service");
    assert_eq!(
        r2["proof_sha256"], nd["sha256"],
        "the receipt names the document's hash"
    );
    assert_eq!(find(&docs, "enforcement_notice", 3).1["status"], "unserved");
    let nd = nd["document_id"].as_i64().unwrap();

    // The notice goes out through the outbox to the sender, with no content of the document.
    let mut sent = Vec::new();
    for _ in 0..100 {
        sent = t.app.sender.as_local().unwrap().sent();
        if !sent.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!sent.is_empty(), "a notice was sent");
    assert_eq!(sent[0].channel, "sms");
    assert_eq!(sent[0].address, "13812345678");
    assert!(sent[0].body.contains(&number) && sent[0].body.contains("收件箱"));
    assert_eq!(
        t.raw_text("SELECT status FROM service_notices ORDER BY id LIMIT 1")
            .await,
        "sent"
    );

    // The party's view shows it served, how and when; the other respondent's documents are
    // not theirs to see.
    let view: Value = t
        .post_json(
            "/public/v1/party-access",
            None,
            &json!({"case_number": number, "code": code2}),
        )
        .await
        .json()
        .await
        .unwrap();
    let mine = view["documents"].as_array().unwrap();
    let d = mine.iter().find(|d| d["document_id"] == nd).unwrap();
    assert_eq!(d["status_zh"], "已送达");
    assert_eq!(d["method_zh"], "电子送达");
    assert!(
        mine.iter().all(|d| d["title"] != "受理案件通知书"),
        "the acceptance notice is the applicant's"
    );
    assert_eq!(view["electronic_consent"]["notify"], "短信 138****5678");

    // Opening it: the text and its hash; the first opening is on the case.
    let r = t
        .post_json(
            &format!("/public/v1/party-documents/{nd}"),
            None,
            &json!({"case_number": number, "code": code2}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let doc: Value = r.json().await.unwrap();
    assert_eq!(
        doc["sha256"],
        hex::encode(Sha256::digest(doc["html"].as_str().unwrap().as_bytes()))
    );
    assert_eq!(doc["method_zh"], "电子送达");
    let docs = services(&t, &token, id).await;
    assert_eq!(
        find(&docs, "enforcement_notice", 2).1["opened_on"],
        day(&t, 0).as_str()
    );
    // Respondent 3 cannot open what was not served on them.
    let r = t
        .post_json(
            &format!("/public/v1/party-documents/{nd}"),
            None,
            &json!({"case_number": number, "code": codes[2]}),
        )
        .await;
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "service_document_not_found",
    )
    .await;

    // Revoked: the next document is not served electronically, and the officer cannot either.
    let r = t
        .post_json(
            "/public/v1/party-consent",
            None,
            &consent(code2, json!({"consent": false})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/suspension"),
            Some(&token),
            &json!({"reason": "案外人提起执行异议之诉，需等待审理结果"}),
        )
        .await;
    assert!(r.status().is_success(), "suspended");
    let docs = services(&t, &token, id).await;
    let (ruling, r2) = find(&docs, "suspension_ruling", 2);
    assert_eq!(r2["status"], "unserved");
    let r = serve(
        &t,
        &token,
        id,
        form(
            ruling["document_id"].as_i64().unwrap(),
            2,
            "electronic",
            None,
            None,
        ),
    )
    .await;
    assert_problem(r, StatusCode::CONFLICT, "electronic_consent_missing").await;
}

#[tokio::test]
async fn documents_unserved_past_the_lead_time_raise_an_alert_until_served() {
    let t = TestApp::spawn_quiet().await;
    let token = t.signed_in("officer", COURT, Role::Officer).await;
    let (id, _) = file_case(&t, &token, "(2026)京0105民初9004号").await;
    notice(&t, &token, id).await;
    let alerts = |t: &TestApp| {
        let app = t.app.clone();
        async move {
            app.store
                .open_alerts_of_kind("document_unserved")
                .await
                .unwrap()
                .into_iter()
                .filter(|a| a.case_id == Some(id))
                .count()
        }
    };
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert_eq!(alerts(&t).await, 0, "within the lead time");
    t.clock.advance(Duration::from_secs(11 * 86_400));
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    // The acceptance notice (applicant), and the notice and the order on two respondents.
    assert_eq!(alerts(&t).await, 5);
    t.serve_documents(
        &token,
        id,
        &[
            "enforcement_notice",
            "property_report_order",
            "acceptance_notice",
        ],
    )
    .await;
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert_eq!(alerts(&t).await, 0, "cleared by service");
}
