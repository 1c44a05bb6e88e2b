//! The public search of the credit lists (失信被执行人名单 / 限制消费人员查询): name plus
//! identifier or nothing, masked identifiers, only the published fields, and a removed person
//! gone from the very next search.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem};

const COURT: &str = "b110105";
const APPLICANT_ID: &str = "11010519491231002X";
const RESPONDENT_ID: &str = "110101198001010010";
const RESPONDENT_MASKED: &str = "1101**********0010";
const CREDIT_CODE: &str = "91350100M000100Y43";

fn filing() -> Value {
    json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": APPLICANT_ID},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": RESPONDENT_ID},
            {"role": "respondent", "kind": "organisation", "name": "北京某某贸易有限公司", "credit_code": CREDIT_CODE, "legal_representative": "王五"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初77号",
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000},
        "duties": ""
    })
}

async fn post_ok(t: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let r = t.post_json(path, Some(token), &body).await;
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {text}");
    serde_json::from_str(&text).unwrap()
}

/// A case whose person respondent is listed (grounds 2 and 4, so an order comes with it) and
/// whose organisation respondent has its own order binding named persons.
async fn listed() -> (TestApp, String, i64) {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let id = post_ok(&t, &officer, "/api/v1/cases", filing()).await["id"]
        .as_i64()
        .unwrap();
    // Ground 4 waits for the report period of the notice.
    t.notice_and_wait(&officer, id).await;
    post_ok(
        &t,
        &officer,
        &format!("/api/v1/cases/{id}/listings"),
        json!({"party_no": 2, "grounds": [2, 4], "facts": "拒不申报财产，以威胁方法抗拒执行"}),
    )
    .await;
    post_ok(
        &t,
        &officer,
        &format!("/api/v1/cases/{id}/listings"),
        json!({"party_no": 3, "grounds": [4], "facts": "未按执行通知申报财产",
               "bound_persons": ["王五", "赵六"]}),
    )
    .await;
    (t, officer, id)
}

fn search_path(list: &str, name: &str, id: &str) -> String {
    format!(
        "/public/v1/{list}?name={}&id_number={}",
        urlencoding(name),
        urlencoding(id)
    )
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn items(t: &TestApp, list: &str, name: &str, id: &str) -> Vec<Value> {
    let r = t.get(&search_path(list, name, id), None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(!text.contains(RESPONDENT_ID), "unmasked ID number: {text}");
    assert!(!text.contains(CREDIT_CODE), "unmasked credit code: {text}");
    assert!(
        !text.contains(APPLICANT_ID) && !text.contains("张三"),
        "{text}"
    );
    serde_json::from_str::<Value>(&text).unwrap()["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[tokio::test]
async fn a_listed_person_is_found_by_name_and_id_with_only_the_published_fields_masked() {
    let (t, _officer, _id) = listed().await;
    let found = items(&t, "dishonest", "李四", RESPONDENT_ID).await;
    assert_eq!(found.len(), 1);
    let l = &found[0];
    // DOMAIN §7: name, identifier (masked), legal representative, court, case number, basis,
    // the duty and what was performed, the conduct, the date. Nothing else.
    let published: BTreeSet<String> = [
        "name",
        "id_masked",
        "legal_rep",
        "court",
        "case_number",
        "basis",
        "duty",
        "performance",
        "performed_fen",
        "grounds",
        "conduct",
        "listed_on",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(keys(l), published);
    assert_eq!(l["name"], "李四");
    assert_eq!(l["id_masked"], RESPONDENT_MASKED);
    assert_eq!(l["court"], "北京市朝阳区人民法院");
    assert!(l["case_number"].as_str().unwrap().contains("执"));
    assert!(
        l["basis"]
            .as_str()
            .unwrap()
            .contains("(2026)京0105民初77号")
    );
    assert_eq!(l["performance"], "全部未履行");
    assert_eq!(l["performed_fen"], 0);
    assert_eq!(
        l["grounds"],
        json!([
            "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
            "违反财产报告制度"
        ])
    );
    assert_eq!(l["conduct"], "拒不申报财产，以威胁方法抗拒执行");
    assert_eq!(l["listed_on"], t.app.today().to_string());

    // The identifier is read in any case and with surrounding blanks.
    let lower = format!(" {} ", RESPONDENT_ID.to_lowercase());
    assert_eq!(items(&t, "dishonest", "李四", &lower).await.len(), 1);
    // The organisation, by its credit code, masked too.
    let org = items(&t, "dishonest", "北京某某贸易有限公司", CREDIT_CODE).await;
    assert_eq!(org.len(), 1);
    assert_eq!(org[0]["id_masked"], "9135**********0Y43");
    assert_eq!(org[0]["legal_rep"], "王五");
    // Another person's valid number, or the right number under another name: nothing.
    assert!(
        items(&t, "dishonest", "李四", APPLICANT_ID)
            .await
            .is_empty()
    );
    assert!(items(&t, "dishonest", "李", RESPONDENT_ID).await.is_empty());
}

#[tokio::test]
async fn restriction_orders_are_searched_the_same_way_and_show_the_restricted_spending() {
    let (t, _officer, _id) = listed().await;
    let found = items(&t, "restricted", "李四", RESPONDENT_ID).await;
    assert_eq!(found.len(), 1);
    let o = &found[0];
    assert_eq!(o["id_masked"], RESPONDENT_MASKED);
    assert_eq!(o["party_kind"], "person");
    let restricted = o["restricted"].as_array().unwrap();
    assert_eq!(restricted.len(), 9, "the nine kinds of art. 3: {o}");
    assert!(restricted.iter().any(|k| k == "旅游、度假"));
    let org = items(&t, "restricted", "北京某某贸易有限公司", CREDIT_CODE).await;
    assert_eq!(org.len(), 1);
    assert_eq!(org[0]["bound_persons"], json!(["王五", "赵六"]));
    assert_eq!(org[0]["legal_rep"], "王五");
    // The order's reason is the court's record, not published.
    assert!(o.get("reason").is_none());
}

#[tokio::test]
async fn a_name_alone_and_malformed_searches_are_refused_and_hostile_text_is_inert() {
    let (t, _officer, _id) = listed().await;
    for list in ["dishonest", "restricted"] {
        let r = t
            .get(&format!("/public/v1/{list}?name=%E6%9D%8E%E5%9B%9B"), None)
            .await;
        assert_problem(r, StatusCode::BAD_REQUEST, "search_too_broad").await;
        let r = t
            .get(
                &format!("/public/v1/{list}?name=%E6%9D%8E%E5%9B%9B&id_number=%20"),
                None,
            )
            .await;
        assert_problem(r, StatusCode::BAD_REQUEST, "search_too_broad").await;
        let r = t
            .get(
                &format!("/public/v1/{list}?id_number={RESPONDENT_ID}"),
                None,
            )
            .await;
        assert_problem(r, StatusCode::BAD_REQUEST, "name_required").await;
        // One character off: the check digit refuses it before anything is read.
        let r = t
            .get(&search_path(list, "李四", "110101198001010011"), None)
            .await;
        assert_problem(r, StatusCode::BAD_REQUEST, "invalid_identifier").await;
        let r = t
            .get(&search_path(list, &"李".repeat(101), RESPONDENT_ID), None)
            .await;
        assert_problem(r, StatusCode::BAD_REQUEST, "invalid_name").await;
        // Unknown parameters (e.g. trying a page size to harvest) are refused.
        let r = t
            .get(
                &format!("{}&limit=100000", search_path(list, "李四", RESPONDENT_ID)),
                None,
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
    // SQL in the name is a name like any other.
    for name in ["李四' OR '1'='1", "李四\" OR 1=1 --", "%", "_"] {
        assert!(
            items(&t, "dishonest", name, RESPONDENT_ID).await.is_empty(),
            "{name}"
        );
    }
    assert_eq!(
        t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM credit_listings WHERE status = 'listed'")
            .await,
        "2"
    );
    // Script in the page's input comes back escaped.
    let html = t
        .get(
            &format!(
                "/public/dishonest?name={}&id_number={RESPONDENT_ID}",
                urlencoding("<script>alert(1)</script>")
            ),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
}

#[tokio::test]
async fn removal_and_lifting_take_effect_on_the_next_search() {
    let (t, officer, id) = listed().await;
    assert_eq!(items(&t, "dishonest", "李四", RESPONDENT_ID).await.len(), 1);
    post_ok(
        &t,
        &officer,
        &format!("/api/v1/cases/{id}/listings/1/removal"),
        json!({"trigger": "applicant_request", "reason": "申请执行人书面申请删除"}),
    )
    .await;
    assert!(
        items(&t, "dishonest", "李四", RESPONDENT_ID)
            .await
            .is_empty()
    );
    let html = t
        .get(
            &format!("/public/dishonest?name=%E6%9D%8E%E5%9B%9B&id_number={RESPONDENT_ID}"),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"no-results\""), "{html}");
    // The order stays until lifted; then it is gone too.
    assert_eq!(
        items(&t, "restricted", "李四", RESPONDENT_ID).await.len(),
        1
    );
    post_ok(
        &t,
        &officer,
        &format!("/api/v1/cases/{id}/restriction-orders/1/lift"),
        json!({"reason": "已删除失信信息，解除限制"}),
    )
    .await;
    assert!(
        items(&t, "restricted", "李四", RESPONDENT_ID)
            .await
            .is_empty()
    );
    // The organisation's listing is untouched.
    assert_eq!(
        items(&t, "dishonest", "北京某某贸易有限公司", CREDIT_CODE)
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn the_search_pages_show_masked_results_and_explain_refusals_in_chinese() {
    let (t, _officer, _id) = listed().await;
    let r = t.get("/public/dishonest", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("失信被执行人名单查询") && html.contains("id=\"id_number\""));
    let r = t
        .get(
            &format!("/public/dishonest?name=%E6%9D%8E%E5%9B%9B&id_number={RESPONDENT_ID}"),
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains(RESPONDENT_MASKED), "{html}");
    assert!(!html.contains(RESPONDENT_ID));
    assert!(html.contains("共 1 条记录"), "{html}");
    let r = t
        .get(
            "/public/restricted?name=%E6%9D%8E%E5%9B%9B&id_number=",
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let html = r.text().await.unwrap();
    assert!(html.contains("仅凭姓名无法查询"), "{html}");
    let html = t
        .get(
            &format!("/public/restricted?name=%E6%9D%8E%E5%9B%9B&id_number={RESPONDENT_ID}"),
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("旅游、度假") && html.contains(RESPONDENT_MASKED),
        "{html}"
    );
}
