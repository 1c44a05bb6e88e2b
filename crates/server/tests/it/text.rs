//! Text hygiene at the boundary: every typed text, through either door, holds no control or
//! direction-changing character, is not invisible, and is stored composed (NFC).

use reqwest::StatusCode;
use serde_json::Value;
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem};

use super::cases::{RESPONDENT_ID, filing};

async fn case_count(t: &TestApp) -> String {
    t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM cases").await
}

#[tokio::test]
async fn hidden_characters_in_a_filing_are_refused_and_nothing_is_filed() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("officer1", "b110105", Role::Officer).await;
    let before = case_count(&t).await;
    for (name, code) in [
        ("张\u{0}三", "text_control_character"),
        ("张三\u{202E}cod.exe", "text_bidi_control"),
        ("\u{200B}\u{200B}", "text_invisible"),
    ] {
        let mut body = filing("(2026)京0105民初900号", RESPONDENT_ID);
        body["parties"][1]["name"] = Value::from(name);
        let r = t.post_json("/api/v1/cases", Some(&token), &body).await;
        let p = assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        assert_eq!(p["params"]["path"], "parties[1].name", "{p}");
        assert!(
            p["detail"].as_str().unwrap().starts_with("the name"),
            "the field is named: {p}"
        );
    }
    // A reason anywhere in a body is held to the same rule.
    let mut body = filing("(2026)京0105民初900号", RESPONDENT_ID);
    body["late_reason"] = Value::from("迟延\u{1b}[31m");
    let r = t.post_json("/api/v1/cases", Some(&token), &body).await;
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "text_control_character",
    )
    .await;
    assert_eq!(case_count(&t).await, before, "nothing was filed");
}

#[tokio::test]
async fn a_name_typed_decomposed_is_stored_composed() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("officer1", "b110105", Role::Officer).await;
    let mut body = filing("(2026)京0105民初901号", RESPONDENT_ID);
    body["parties"][0]["name"] = Value::from("Jose\u{301} 张");
    let (id, _) = super::cases::file(&t, &token, &body).await;
    let case = super::cases::case(&t, &token, id).await;
    let names: Vec<&str> = case["case"]["parties"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(names.contains(&"Jos\u{e9} 张"), "{names:?}");
}

#[tokio::test]
async fn the_filing_page_refuses_a_direction_override_in_chinese() {
    let t = TestApp::spawn().await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let cookie = t.page_login("officer1").await;
    let before = case_count(&t).await;
    let form = [
        ("case_type", "执"),
        ("applicant_kind", "person"),
        ("applicant_name", "张三"),
        ("applicant_id", "11010519491231002X"),
        ("respondent_kind", "person"),
        ("respondent_name", "李四\u{202E}"),
        ("respondent_id", RESPONDENT_ID),
        ("basis_kind", "judgment"),
        ("issuing_body", "北京市朝阳区人民法院"),
        ("document_number", "(2026)京0105民初902号"),
        ("effective_date", "2026-05-01"),
        ("performance_deadline", "2026-05-15"),
        ("principal", "1000"),
    ];
    let (status, _, body) = t.form("/cases/new", &cookie, &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains("含有改变文字方向的字符（U+202E）"),
        "the page says what and where, in Chinese: {body}"
    );
    assert_eq!(case_count(&t).await, before, "nothing was filed");
}
