//! The documents of the flow as a court issues them (DOMAIN §4c, issue 14 part 10): a document
//! to be served names the parties in full — the whole identifier and the address — on the
//! court's copy and the copy served, while public pages keep them masked; and no document has a
//! doubled punctuation mark or an empty field.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;

const APPLICANT_ID: &str = "11010519491231002X";
const RESPONDENT_ID: &str = "110101198001010010";
const RESPONDENT_ADDRESS: &str = "北京市朝阳区建国路88号3单元501室";

async fn post(t: &TestApp, token: &str, path: &str, body: Value) -> StatusCode {
    t.post_json(path, Some(token), &body).await.status()
}

/// Marks and fields that a court's document never shows: a mark doubled or following another,
/// a label with nothing after it, empty brackets.
const BAD: [&str; 12] = [
    "。。",
    "，，",
    "，。",
    "；。",
    "。，",
    "：。",
    "：，",
    "（）",
    "()",
    "住所 。",
    "住所 ，",
    "号码 。",
];

#[tokio::test]
async fn documents_name_the_parties_in_full_and_read_as_a_court_writes() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let head = t.signed_in("head1", "b110105", Role::DivisionHead).await;
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": APPLICANT_ID, "address": "北京市东城区东四十条1号"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": RESPONDENT_ID, "address": RESPONDENT_ADDRESS},
            {"role": "respondent", "kind": "organisation", "name": "北京某某贸易有限公司", "credit_code": "91350100M000100Y43", "legal_representative": "王五"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初77号", "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(&officer), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let filed: Value = r.json().await.unwrap();
    let id = filed["id"].as_i64().unwrap();
    let path = |p: &str| format!("/api/v1/cases/{id}{p}");

    // A flow that issues every kind of case document but the 终本 ruling.
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/actions"),
            json!({"action": "notice_issued", "perform_days": 7, "report_days": 10})
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/listings"),
            json!({"party_no": 2, "grounds": [2], "facts": "以威胁方法阻碍执行人员执行职务。"})
        )
        .await,
        StatusCode::CREATED
    );
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/suspension"),
            json!({"reason": "案外人对执行标的提出异议。"})
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/closure"),
            json!({"mode": "terminated", "reason": "申请执行人撤回执行申请。"})
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        post(
            &t,
            &head,
            &path("/closure/decision"),
            json!({"approve": true})
        )
        .await,
        StatusCode::OK
    );

    let c: Value = t.get_value(&path(""), Some(&officer)).await;
    let docs = c["case"]["documents"].as_array().unwrap();
    let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    for kind in [
        "acceptance_notice",
        "enforcement_notice",
        "property_report_order",
        "dishonest_listing_decision",
        "restriction_order",
        "suspension_ruling",
        "dishonest_removal_decision",
        "restriction_lift_notice",
        "closure_notice",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    for d in docs {
        let html = t
            .get(
                &format!("/api/v1/documents/{}", d["document_id"]),
                Some(&officer),
            )
            .await
            .text()
            .await
            .unwrap();
        for bad in BAD {
            assert!(!html.contains(bad), "{bad} in {}: {html}", d["kind"]);
        }
        // Named in full: the whole ID number and the address, as filed.
        assert!(
            html.contains(&format!("公民身份号码 {RESPONDENT_ID}")),
            "{}: {html}",
            d["kind"]
        );
        assert!(
            html.contains(&format!("住所 {RESPONDENT_ADDRESS}")),
            "{}: {html}",
            d["kind"]
        );
        assert!(html.contains("法定代表人 王五"), "{}", d["kind"]);
    }
    // The case's own view and the public party page keep the identifier masked.
    let shown = c["case"]["parties"][1]["identifier"].as_str().unwrap();
    assert_ne!(shown, RESPONDENT_ID);
    assert!(shown.contains('*'), "{shown}");
    let code = filed["access_codes"][0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let number = c["number"]
        .as_str()
        .or_else(|| c["case"]["number"].as_str())
        .unwrap()
        .to_owned();
    let r = t
        .post_json(
            "/public/v1/party-access",
            None,
            &json!({"case_number": number, "code": code}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let party: Value = r.json().await.unwrap();
    let text = party.to_string();
    assert!(!text.contains(RESPONDENT_ID), "{text}");
    assert!(!text.contains(RESPONDENT_ADDRESS), "{text}");
}

#[tokio::test]
async fn an_address_is_checked_like_any_typed_text() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let long = "某".repeat(201);
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": APPLICANT_ID},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": RESPONDENT_ID, "address": long}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初78号", "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(&officer), &body).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().await.unwrap();
    assert!(
        p.to_string().contains("住所") || p.to_string().contains("address"),
        "{p}"
    );
    assert_eq!(p["reasons"][0]["params"]["problem"], "address", "{p}");
    let cases: Value = t.get_value("/api/v1/cases", Some(&officer)).await;
    assert_eq!(cases["items"], json!([]), "nothing filed: {cases}");
}
