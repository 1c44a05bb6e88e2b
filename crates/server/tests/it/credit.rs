//! Credit discipline over HTTP: the dishonest-debtor list (listing, refusals, duration and
//! extension, removal, proposals by the watch worker, expiry, correction) and consumption
//! restriction orders.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_server::Config;
use zhixing_testkit::{TestApp, assert_problem};

const APPLICANT_ID: &str = "11010519491231002X";
const RESPONDENT_ID: &str = "110101198001010010";
/// Born on 2015-01-01: a minor.
const MINOR_ID: &str = "110101201501010011";
const CREDIT_CODE: &str = "91350100M000100Y43";
const COURT: &str = "b110105";

fn filing(doc: &str, respondent_id: &str) -> Value {
    json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": APPLICANT_ID},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": respondent_id},
            {"role": "respondent", "kind": "organisation", "name": "北京某某贸易有限公司", "credit_code": CREDIT_CODE, "legal_representative": "王五"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000},
        "duties": ""
    })
}

async fn setup(respondent_id: &str) -> (TestApp, String, i64) {
    setup_with(respondent_id, zhixing_testkit::test_config()).await
}

async fn setup_with(respondent_id: &str, config: Config) -> (TestApp, String, i64) {
    let (t, officer, id) = filed(respondent_id, config).await;
    // The notice first, its periods run: every ground's listing may follow (DOMAIN §4a).
    t.notice_and_wait(&officer, id).await;
    (t, officer, id)
}

/// A case just filed: no notice yet.
async fn filed(respondent_id: &str, config: Config) -> (TestApp, String, i64) {
    let t = TestApp::spawn_with(config).await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &filing("(2026)京0105民初9号", respondent_id),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    (t, officer, id)
}

async fn post(t: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    t.post_json(path, Some(token), &body).await
}

async fn ok(r: reqwest::Response, status: StatusCode) -> Value {
    let got = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn credit(t: &TestApp, token: &str, id: i64) -> Value {
    t.get_value(&format!("/api/v1/cases/{id}/credit"), Some(token))
        .await["credit"]
        .clone()
}

async fn case(t: &TestApp, token: &str, id: i64) -> Value {
    t.get_value(&format!("/api/v1/cases/{id}"), Some(token))
        .await
}

async fn doc_kinds(t: &TestApp, token: &str, id: i64) -> Vec<String> {
    case(t, token, id).await["case"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn event_kinds(t: &TestApp, token: &str, id: i64) -> Vec<(String, String)> {
    t.get_value(&format!("/api/v1/cases/{id}/timeline"), Some(token))
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["actor"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn alerts(t: &TestApp, token: &str, id: i64) -> Vec<String> {
    t.get_value(&format!("/api/v1/cases/{id}/alerts"), Some(token))
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap().to_owned())
        .collect()
}

fn plus_years(d: jiff::civil::Date, y: i64) -> String {
    d.checked_add(jiff::Span::new().years(y))
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn listing_with_order_documents_events_duration_extension_and_removal() {
    let (t, officer, id) = setup(RESPONDENT_ID).await;
    let today = t.app.today();
    let v = ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings"),
            json!({"party_no": 2, "grounds": [2, 4], "facts": "拒不申报财产，以威胁方法抗拒执行"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v["no"], 1);
    assert_eq!(
        v["order_no"], 1,
        "the mandatory order comes with the listing"
    );
    let c = credit(&t, &officer, id).await;
    assert_eq!(c["listings"][0]["ends_on"], plus_years(today, 2));
    assert_eq!(c["listings"][0]["status"], "listed");
    assert_eq!(c["orders"][0]["kinds"].as_array().unwrap().len(), 9);
    assert_eq!(c["orders"][0]["listing_no"], 1);
    let kinds = doc_kinds(&t, &officer, id).await;
    assert!(
        kinds.contains(&"dishonest_listing_decision".to_owned()),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"restriction_order".to_owned()), "{kinds:?}");
    let events: Vec<String> = event_kinds(&t, &officer, id)
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert!(events.contains(&"case.dishonest_listed".to_owned()));
    assert!(events.contains(&"case.restriction_ordered".to_owned()));
    // The 终本 checklist counts the listing; the restriction condition asks for an order on
    // every respondent, and the organisation has none yet.
    let checklist = || async {
        t.get_value(
            &format!("/api/v1/cases/{id}/closure-checklist?mode=zhongben"),
            Some(&officer),
        )
        .await
    };
    let met = |cl: &Value, code: &str| {
        cl["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == code && c["met"] == true)
    };
    let cl = checklist().await;
    assert!(met(&cl, "dishonest_decided"), "{cl}");
    assert!(!met(&cl, "consumption_restriction"), "{cl}");
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/restriction-orders"),
            json!({"party_no": 3, "reason": "被执行人未履行生效法律文书确定的义务"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let cl = checklist().await;
    assert!(met(&cl, "consumption_restriction"), "{cl}");

    // The public search finds the listing by name and blind index, masked.
    let idx = t.app.cipher.index(RESPONDENT_ID);
    let found = t.app.store.listed_now("李四", &idx).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].identifier, "1101**********0010");
    assert!(
        t.app
            .store
            .listed_now("李五", &idx)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        t.app
            .store
            .restricted_now("李四", &idx)
            .await
            .unwrap()
            .len(),
        1
    );

    // Listed twice on the same case: refused.
    assert_problem(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings"),
            json!({"party_no": 2, "grounds": [3], "facts": "隐匿财产规避执行"}),
        )
        .await,
        StatusCode::CONFLICT,
        "already_listed",
    )
    .await;

    // Extension: 1–3 years.
    for bad in [0, 4] {
        assert_problem(
            post(
                &t,
                &officer,
                &format!("/api/v1/cases/{id}/listings/1/extension"),
                json!({"years": bad, "reason": "多项失信行为"}),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_extension",
        )
        .await;
    }
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings/1/extension"),
            json!({"years": 2, "reason": "多项失信行为，情节严重"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        credit(&t, &officer, id).await["listings"][0]["ends_on"],
        plus_years(today, 4)
    );
    assert!(
        doc_kinds(&t, &officer, id)
            .await
            .contains(&"dishonest_extension_decision".to_owned())
    );

    // The order cannot be lifted while the person is listed.
    assert_problem(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/restriction-orders/1/lift"),
            json!({"reason": "已履行完毕"}),
        )
        .await,
        StatusCode::CONFLICT,
        "still_listed",
    )
    .await;
    // Removal: performed is not shown yet; the applicant's request is.
    assert_problem(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings/1/removal"),
            json!({"trigger": "performed", "reason": "已履行完毕"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "trigger_not_shown",
    )
    .await;
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings/1/removal"),
            json!({"trigger": "applicant_request", "reason": "申请执行人书面申请删除"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let c = credit(&t, &officer, id).await;
    assert_eq!(c["listings"][0]["status"], "removed");
    assert_eq!(c["listings"][0]["removal"]["trigger"], "applicant_request");
    assert!(c["listings"][0]["removal"]["due_by"].is_string());
    assert!(
        t.app
            .store
            .listed_now("李四", &idx)
            .await
            .unwrap()
            .is_empty()
    );
    assert_problem(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings/1/removal"),
            json!({"trigger": "early_decision", "reason": "提前删除"}),
        )
        .await,
        StatusCode::CONFLICT,
        "already_removed",
    )
    .await;
    assert!(
        doc_kinds(&t, &officer, id)
            .await
            .contains(&"dishonest_removal_decision".to_owned())
    );
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/restriction-orders/1/lift"),
            json!({"reason": "已删除失信信息，解除限制"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_problem(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/restriction-orders/1/lift"),
            json!({"reason": "再次解除"}),
        )
        .await,
        StatusCode::CONFLICT,
        "already_lifted",
    )
    .await;
    assert!(
        t.app
            .store
            .restricted_now("李四", &idx)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn minors_applicants_bad_grounds_and_closed_cases_are_refused() {
    let (t, officer, id) = setup(MINOR_ID).await;
    let path = format!("/api/v1/cases/{id}/listings");
    let body = |party: i64, grounds: Value| json!({"party_no": party, "grounds": grounds, "facts": "拒不申报财产"});
    assert_problem(
        post(&t, &officer, &path, body(2, json!([2]))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "minor",
    )
    .await;
    assert_problem(
        post(&t, &officer, &path, body(1, json!([2]))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_a_respondent",
    )
    .await;
    assert_problem(
        post(&t, &officer, &path, body(3, json!([7]))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_ground",
    )
    .await;
    assert_problem(
        post(&t, &officer, &path, body(3, json!([]))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_listing",
    )
    .await;
    assert_problem(
        post(&t, &officer, &path, body(9, json!([2]))).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "party_not_found",
    )
    .await;
    // Nothing was stored.
    let c = credit(&t, &officer, id).await;
    assert_eq!(c["listings"], json!([]));
    assert_eq!(c["orders"], json!([]));
    assert_eq!(
        t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM credit_listings")
            .await,
        "0"
    );
    // A closed case takes no listing.
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/closure"),
            json!({"mode": "withdrawn", "reason": "申请人撤回申请"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_problem(
        post(&t, &officer, &path, body(3, json!([2]))).await,
        StatusCode::CONFLICT,
        "case_closed",
    )
    .await;
}

#[tokio::test]
async fn ground_one_is_refused_when_controlled_property_suffices() {
    let (t, officer, id) = setup(RESPONDENT_ID).await;
    t.raw_exec(
        "INSERT INTO institutions (id, name, kind, measures, channel, region, endpoint, public_key, concurrency, active, created_at) \
         VALUES ('bank-c', '银行', 'bank', 'query,freeze', 'national', '', 'http://127.0.0.1:9/', 'x', 1, TRUE, 0)",
    )
    .await;
    t.raw_exec(&format!(
        "INSERT INTO assets (id, case_id, court_id, institution_id, kind, reference, description, value_fen, encumbrances, found_by, found_at) \
         VALUES (1, {id}, '{COURT}', 'bank-c', 'bank_deposit', 'acct-1', '存款', 2000000, '[]', 'test', 0)"
    ))
    .await;
    t.raw_exec(&format!(
        "INSERT INTO measures (id, case_id, court_id, asset_id, institution_id, kind, status, amount_fen, held_fen, request_id, requested_by, requested_at, updated_at) \
         VALUES (1, {id}, '{COURT}', 1, 'bank-c', 'freeze', 'active', 1000000, 1000000, 'req-c1', 0, 0, 0)"
    ))
    .await;
    let path = format!("/api/v1/cases/{id}/listings");
    assert_problem(
        post(
            &t,
            &officer,
            &path,
            json!({"party_no": 2, "grounds": [1], "facts": "有能力拒不履行"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ground_not_applicable",
    )
    .await;
    // Once the freeze no longer holds enough, ground 1 applies and lasts until performance.
    t.raw_exec("UPDATE measures SET held_fen = 999999 WHERE id = 1")
        .await;
    ok(
        post(
            &t,
            &officer,
            &path,
            json!({"party_no": 2, "grounds": [1], "facts": "有能力拒不履行"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let c = credit(&t, &officer, id).await;
    assert_eq!(c["listings"][0]["ends_on"], Value::Null);
    assert_problem(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings/1/extension"),
            json!({"years": 1, "reason": "情节严重的"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_extendable",
    )
    .await;
}

#[tokio::test]
async fn full_performance_proposes_removal_and_lift_by_alerts() {
    let (t, officer, id) = setup(RESPONDENT_ID).await;
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings"),
            json!({"party_no": 2, "grounds": [4], "facts": "违反财产报告制度"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert!(
        !alerts(&t, &officer, id)
            .await
            .contains(&"dishonest_removal_due".to_owned())
    );
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/payments"),
            json!({"amount": 1_000_000}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    let a = alerts(&t, &officer, id).await;
    assert!(a.contains(&"dishonest_removal_due".to_owned()), "{a:?}");
    assert!(
        !a.contains(&"restriction_lift_due".to_owned()),
        "not while listed: {a:?}"
    );
    // Proposed, not done: the listing is still in force until the officer decides.
    assert_eq!(
        credit(&t, &officer, id).await["listings"][0]["status"],
        "listed"
    );
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings/1/removal"),
            json!({"trigger": "performed", "reason": "已全部履行完毕"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        !alerts(&t, &officer, id)
            .await
            .contains(&"dishonest_removal_due".to_owned())
    );
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert!(
        alerts(&t, &officer, id)
            .await
            .contains(&"restriction_lift_due".to_owned())
    );
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/restriction-orders/1/lift"),
            json!({"reason": "已全部履行完毕"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        alerts(&t, &officer, id).await.is_empty()
            || !alerts(&t, &officer, id)
                .await
                .contains(&"restriction_lift_due".to_owned())
    );
    assert!(
        doc_kinds(&t, &officer, id)
            .await
            .contains(&"restriction_lift_notice".to_owned())
    );
}

#[tokio::test]
async fn the_worker_expires_a_listing_at_the_end_of_its_period() {
    let (t, officer, id) = setup(RESPONDENT_ID).await;
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings"),
            json!({"party_no": 2, "grounds": [2], "facts": "以暴力方法抗拒执行"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let ends = credit(&t, &officer, id).await["listings"][0]["ends_on"]
        .as_str()
        .unwrap()
        .to_owned();
    // On the last day it is still listed.
    t.clock.advance(Duration::from_secs(730 * 86400));
    while t.app.today().to_string() < ends {
        t.clock.advance(Duration::from_secs(86400));
    }
    let s = zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert_eq!(s.listings_expired, 0);
    t.clock.advance(Duration::from_secs(86400));
    let s = zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert_eq!(s.listings_expired, 1);
    // Two years on, the morning session has long expired.
    let officer = t.login("officer1").await;
    let c = credit(&t, &officer, id).await;
    assert_eq!(c["listings"][0]["status"], "removed");
    assert_eq!(c["listings"][0]["removal"]["trigger"], "expired");
    let events = event_kinds(&t, &officer, id).await;
    assert!(
        events.contains(&(
            "case.dishonest_removed".to_owned(),
            "system:watch".to_owned()
        )),
        "{events:?}"
    );
    assert!(
        doc_kinds(&t, &officer, id)
            .await
            .contains(&"dishonest_removal_decision".to_owned())
    );
    assert!(
        t.app
            .store
            .listed_now("李四", &t.app.cipher.index(RESPONDENT_ID))
            .await
            .unwrap()
            .is_empty()
    );
    // Idempotent.
    let s = zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert_eq!(s.listings_expired, 0);
}

#[tokio::test]
async fn correction_requests_are_reviewed_and_decided() {
    let (t, officer, id) = setup(RESPONDENT_ID).await;
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings"),
            json!({"party_no": 2, "grounds": [3], "facts": "转移财产规避执行"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let v = ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/corrections"),
            json!({"listing_no": 1, "reason": "转移财产一事不实"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v["no"], 1);
    assert_problem(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/corrections"),
            json!({"listing_no": 1, "reason": "再次申请纠正"}),
        )
        .await,
        StatusCode::CONFLICT,
        "correction_pending",
    )
    .await;
    let c = credit(&t, &officer, id).await;
    let due: jiff::civil::Date = c["corrections"][0]["review_due"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        due >= t
            .app
            .today()
            .checked_add(jiff::Span::new().days(15))
            .unwrap()
    );
    // Rejected: with a reason; the listing stays.
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/corrections/1/decision"),
            json!({"accepted": false, "reason": "有银行流水为证，理由不成立"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_problem(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/corrections/1/decision"),
            json!({"accepted": true, "reason": "改变主意了"}),
        )
        .await,
        StatusCode::CONFLICT,
        "already_decided",
    )
    .await;
    // A second request, accepted with amended facts; a third, accepted: removed.
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/corrections"),
            json!({"listing_no": 1, "reason": "事实表述有误"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    ok(post(&t, &officer, &format!("/api/v1/cases/{id}/corrections/2/decision"),
        json!({"accepted": true, "reason": "表述有误，予以更正", "amended_facts": "隐匿财产规避执行"})).await, StatusCode::OK).await;
    let c = credit(&t, &officer, id).await;
    assert_eq!(c["listings"][0]["facts"], "隐匿财产规避执行");
    assert_eq!(c["listings"][0]["status"], "listed");
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/corrections"),
            json!({"listing_no": 1, "reason": "已提供担保"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/corrections/3/decision"),
            json!({"accepted": true, "reason": "理由成立，予以纠正"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let c = credit(&t, &officer, id).await;
    assert_eq!(c["listings"][0]["removal"]["trigger"], "corrected");
    let kinds = doc_kinds(&t, &officer, id).await;
    assert_eq!(
        kinds.iter().filter(|k| *k == "correction_decision").count(),
        3
    );
}

#[tokio::test]
async fn organisation_orders_bind_named_persons() {
    let (t, officer, id) = setup(RESPONDENT_ID).await;
    let path = format!("/api/v1/cases/{id}/restriction-orders");
    assert_problem(
        post(
            &t,
            &officer,
            &path,
            json!({"party_no": 2, "bound_persons": ["赵六"], "reason": "未履行义务"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bound_persons_not_applicable",
    )
    .await;
    let v = ok(post(&t, &officer, &path, json!({"party_no": 3, "bound_persons": ["赵六", "钱七"], "reason": "未履行生效法律文书确定的义务"})).await, StatusCode::CREATED).await;
    assert_eq!(v["no"], 1);
    assert_problem(
        post(
            &t,
            &officer,
            &path,
            json!({"party_no": 3, "reason": "再次限制消费"}),
        )
        .await,
        StatusCode::CONFLICT,
        "already_ordered",
    )
    .await;
    let c = credit(&t, &officer, id).await;
    assert_eq!(
        c["orders"][0]["bound_persons"],
        json!(["王五", "赵六", "钱七"])
    );
    // Listing the organisation uses the order in force: no second order.
    let v = ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings"),
            json!({"party_no": 3, "grounds": [5], "facts": "违反限制消费令"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v["order_no"], Value::Null);
    let html = t
        .get(
            &format!(
                "/api/v1/documents/{}",
                document_id(&t, &officer, id, "restriction_order").await
            ),
            Some(&officer),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("王五、赵六、钱七"), "{html}");
    assert_eq!(
        t.app
            .store
            .restricted_now("北京某某贸易有限公司", &t.app.cipher.index(CREDIT_CODE))
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn document_id(t: &TestApp, token: &str, id: i64, kind: &str) -> i64 {
    case(t, token, id).await["case"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == kind)
        .unwrap()["document_id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn sql_and_script_in_text_fields_are_stored_as_text_and_escaped() {
    let (t, officer, id) = setup(RESPONDENT_ID).await;
    let evil = "<script>alert(1)</script>'); DROP TABLE credit_listings;--";
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings"),
            json!({"party_no": 2, "grounds": [2], "facts": evil}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(credit(&t, &officer, id).await["listings"][0]["facts"], evil);
    assert_eq!(
        t.raw_text("SELECT conduct FROM credit_listings").await,
        evil
    );
    let html = t
        .get(
            &format!(
                "/api/v1/documents/{}",
                document_id(&t, &officer, id, "dishonest_listing_decision").await
            ),
            Some(&officer),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let page = t
        .get(&format!("/cases/{id}"), Some(&officer))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("id=\"credit\""),
        "the case page has the credit section"
    );
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn after_its_first_pass_the_worker_reads_only_cases_changed_since() {
    use zhixing_app::command_centre::watch::sweep_changed;
    // The background worker's own first pass is a full one: were it to run after the
    // payment, it would raise the proposal this test expects a narrow pass not to see.
    let (t, officer, id) = setup_with(
        RESPONDENT_ID,
        Config {
            watch_worker: false,
            ..zhixing_testkit::test_config()
        },
    )
    .await;
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings"),
            json!({"party_no": 2, "grounds": [4], "facts": "违反财产报告制度"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let before_payment = t.app.now_us();
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/payments"),
            json!({"amount": 1_000_000}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let updated: i64 = t
        .raw_text(&format!(
            "SELECT CAST(updated_at AS TEXT) FROM cases WHERE id = {id}"
        ))
        .await
        .parse()
        .unwrap();
    assert!(updated >= before_payment);
    // A pass that looks only at cases changed after the payment does not see it …
    sweep_changed(&t.app, Some(updated + 1)).await.unwrap();
    assert!(
        !alerts(&t, &officer, id)
            .await
            .contains(&"dishonest_removal_due".to_owned())
    );
    // … one that looks from the payment on does, and so does a full pass.
    let s = sweep_changed(&t.app, Some(updated)).await.unwrap();
    assert!(s.alerts_raised >= 1, "{s:?}");
    assert!(
        alerts(&t, &officer, id)
            .await
            .contains(&"dishonest_removal_due".to_owned())
    );
    // An open proposal is re-read on every pass, however old its case's change: it stays
    // while its case still calls for it …
    sweep_changed(&t.app, Some(i64::MAX)).await.unwrap();
    assert!(
        alerts(&t, &officer, id)
            .await
            .contains(&"dishonest_removal_due".to_owned())
    );
    // … and goes when the listing is removed behind the worker's back (as another process
    // would).
    t.raw_exec(&format!(
        "UPDATE credit_listings SET status = 'removed' WHERE case_id = {id}"
    ))
    .await;
    sweep_changed(&t.app, Some(i64::MAX)).await.unwrap();
    assert!(
        !alerts(&t, &officer, id)
            .await
            .contains(&"dishonest_removal_due".to_owned())
    );
}

#[tokio::test]
async fn ground_one_is_refused_when_adequate_security_is_recorded() {
    let (t, officer, id) = setup(RESPONDENT_ID).await;
    let path = format!("/api/v1/cases/{id}/listings");
    let ground_one = json!({"party_no": 2, "grounds": [1], "facts": "有履行能力而拒不履行"});
    // Bad security is refused and changes nothing.
    for bad in [
        json!({"provider": "", "description": "房产抵押", "value_fen": 1_000}),
        json!({"provider": "王五", "description": "", "value_fen": 1_000}),
        json!({"provider": "王五", "description": "保证", "value_fen": 0}),
        json!({"provider": "王五", "description": "保证", "value_fen": -5}),
    ] {
        assert_problem(
            post(&t, &officer, &format!("/api/v1/cases/{id}/securities"), bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_security",
        )
        .await;
    }
    // Security for part of the debt (ground 1 still applies then: the next test) …
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/securities"),
            json!({"provider": "王五", "description": "以其名下房产提供抵押担保", "value_fen": 600_000}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    // … and for the rest: ground 1 is refused; another ground is not.
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/securities"),
            json!({"provider": "赵六", "description": "连带责任保证", "value_fen": 400_000}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_problem(
        post(&t, &officer, &path, ground_one.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ground_not_applicable",
    )
    .await;
    assert_eq!(credit(&t, &officer, id).await["listings"], json!([]));
    let c = case(&t, &officer, id).await;
    assert_eq!(c["case"]["securities"].as_array().unwrap().len(), 2);
    ok(
        post(
            &t,
            &officer,
            &path,
            json!({"party_no": 2, "grounds": [4], "facts": "违反财产报告制度"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
}

#[tokio::test]
async fn ground_one_applies_while_security_covers_only_part_of_the_debt() {
    let (t, officer, id) = setup(RESPONDENT_ID).await;
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/securities"),
            json!({"provider": "王五", "description": "以其名下房产提供抵押担保", "value_fen": 999_999}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/listings"),
            json!({"party_no": 2, "grounds": [1], "facts": "有履行能力而拒不履行"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
}

/// The codes and `until` dates of a refused listing's problems.
fn problems(p: &Value) -> Vec<(String, Option<String>)> {
    p["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap().to_owned(),
                e["params"]["until"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_listing_waits_for_the_notice_and_the_end_of_its_periods() {
    let (t, officer, id) = filed(RESPONDENT_ID, zhixing_testkit::test_config()).await;
    let path = format!("/api/v1/cases/{id}/listings");
    let body = |grounds: Value| json!({"party_no": 2, "grounds": grounds, "facts": "有能力履行而拒不履行，拒不申报财产"});

    // The bug report: listed on the day of filing, before any notice. Refused, naming what
    // is missing for each ground.
    let p = assert_problem(
        post(&t, &officer, &path, body(json!([1, 4]))).await,
        StatusCode::CONFLICT,
        "listing_facts_missing",
    )
    .await;
    assert_eq!(
        problems(&p),
        [
            ("notice_missing".into(), None),
            ("notice_missing".into(), None)
        ]
    );
    assert!(p["detail"].as_str().unwrap().contains("ground 1"), "{p}");

    // The notice, seven days to perform and ten to report, from today.
    ok(
        post(
            &t,
            &officer,
            &format!("/api/v1/cases/{id}/actions"),
            json!({"action": "notice_issued", "perform_days": 7, "report_days": 10}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    // Unserved, the notice starts no period: each ground names the missing service.
    let p = assert_problem(
        post(&t, &officer, &path, body(json!([1, 4]))).await,
        StatusCode::CONFLICT,
        "listing_facts_missing",
    )
    .await;
    assert_eq!(
        problems(&p),
        [
            ("notice_unserved".into(), None),
            ("notice_unserved".into(), None)
        ]
    );
    t.serve_documents(
        &officer,
        id,
        &["enforcement_notice", "property_report_order"],
    )
    .await;
    let issued = t.app.today();
    let calendar = t.app.calendar.last();
    let end = |days: i64| {
        calendar
            .period_end(issued, days, zhixing_domain::rules::Unit::Days)
            .unwrap()
    };
    let (perform_until, report_until) = (end(7), end(10));
    let p = assert_problem(
        post(&t, &officer, &path, body(json!([1, 4]))).await,
        StatusCode::CONFLICT,
        "listing_facts_missing",
    )
    .await;
    assert_eq!(
        problems(&p),
        [
            (
                "perform_period_running".into(),
                Some(perform_until.to_string())
            ),
            (
                "report_period_running".into(),
                Some(report_until.to_string())
            ),
        ]
    );
    // On the period's last day still refused; the day after, ground 1 may be decided.
    let days =
        |to: jiff::civil::Date| u64::try_from(to.since(t.app.today()).unwrap().get_days()).unwrap();
    t.clock
        .advance(Duration::from_secs(days(perform_until) * 86_400));
    assert_eq!(t.app.today(), perform_until);
    let p = assert_problem(
        post(&t, &officer, &path, body(json!([1]))).await,
        StatusCode::CONFLICT,
        "listing_facts_missing",
    )
    .await;
    assert_eq!(
        problems(&p),
        [(
            "perform_period_running".into(),
            Some(perform_until.to_string())
        )]
    );
    t.clock.advance(Duration::from_secs(86_400));
    if t.app.today() <= report_until {
        // Ground 4 still waits for its own period.
        assert_problem(
            post(&t, &officer, &path, body(json!([1, 4]))).await,
            StatusCode::CONFLICT,
            "listing_facts_missing",
        )
        .await;
    }
    let v = ok(
        post(&t, &officer, &path, body(json!([1]))).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v["no"], 1);
    assert!(
        credit(&t, &officer, id).await["listings"][0]["listed_on"]
            .as_str()
            .is_some_and(|d| d > perform_until.to_string().as_str())
    );
}

#[tokio::test]
async fn grounds_four_five_and_six_need_their_recorded_facts() {
    let (t, officer, id) = setup(RESPONDENT_ID).await;
    let path = format!("/api/v1/cases/{id}/listings");
    let act = |action: &str, note: &str| {
        let (t, officer) = (&t, &officer);
        let body = json!({"action": action, "note": note});
        async move {
            ok(
                post(t, officer, &format!("/api/v1/cases/{id}/actions"), body).await,
                StatusCode::OK,
            )
            .await
        }
    };
    // Ground 6 needs the settlement not performed, ground 5 an order in force on the party.
    let p = assert_problem(
        post(
            &t,
            &officer,
            &path,
            json!({"party_no": 2, "grounds": [5, 6], "facts": "违反限制消费令，不履行和解协议"}),
        )
        .await,
        StatusCode::CONFLICT,
        "listing_facts_missing",
    )
    .await;
    assert_eq!(
        problems(&p),
        [
            ("no_restriction_in_force".into(), None),
            ("settlement_breach_missing".into(), None)
        ]
    );
    act("settlement_breached", "和解协议约定的第二期款项到期未付").await;
    ok(
        post(
            &t,
            &officer,
            &path,
            json!({"party_no": 2, "grounds": [6], "facts": "不履行执行和解协议"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    // Ground 4 for the organisation, which reported in time: refused; once the report is
    // found false, listed.
    let (t2, officer2, id2) = filed(RESPONDENT_ID, zhixing_testkit::test_config()).await;
    drop(t);
    let act2 = |action: &'static str, note: &'static str| {
        let (t2, officer2) = (&t2, &officer2);
        async move {
            ok(
                post(
                    t2,
                    officer2,
                    &format!("/api/v1/cases/{id2}/actions"),
                    json!({"action": action, "note": note}),
                )
                .await,
                StatusCode::OK,
            )
            .await
        }
    };
    ok(
        post(
            &t2,
            &officer2,
            &format!("/api/v1/cases/{id2}/actions"),
            json!({"action": "notice_issued", "perform_days": 3, "report_days": 5}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    t2.serve_documents(
        &officer2,
        id2,
        &["enforcement_notice", "property_report_order"],
    )
    .await;
    act2("property_reported", "书面报告银行存款及车辆").await;
    t2.clock.advance(Duration::from_secs(30 * 86_400));
    let path2 = format!("/api/v1/cases/{id2}/listings");
    let p = assert_problem(
        post(
            &t2,
            &officer2,
            &path2,
            json!({"party_no": 3, "grounds": [4], "facts": "违反财产报告制度"}),
        )
        .await,
        StatusCode::CONFLICT,
        "listing_facts_missing",
    )
    .await;
    assert_eq!(p["reasons"][0]["code"], "property_reported");
    act2("property_report_false", "隐瞒名下不动产一处").await;
    ok(
        post(
            &t2,
            &officer2,
            &path2,
            json!({"party_no": 3, "grounds": [4], "facts": "虚假报告财产"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
}

#[tokio::test]
async fn a_credit_warning_holds_off_the_listing_for_its_grace() {
    let (t, officer, id) = setup(RESPONDENT_ID).await;
    let warn = format!("/api/v1/cases/{id}/credit-warnings");
    let list = format!("/api/v1/cases/{id}/listings");
    let listing = json!({"party_no": 2, "grounds": [1], "facts": "有能力履行而拒不履行"});
    let p = assert_problem(
        post(&t, &officer, &warn, json!({"party_no": 2, "grace_days": 0})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_warning",
    )
    .await;
    assert_eq!(p["reasons"][0]["code"], "invalid_grace");
    let v = ok(
        post(
            &t,
            &officer,
            &warn,
            json!({"party_no": 2, "grace_days": 15, "note": "请于宽限期内履行或与申请执行人和解"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v["no"], 1);
    let until = t
        .app
        .calendar
        .last()
        .period_end(t.app.today(), 15, zhixing_domain::rules::Unit::Days)
        .unwrap();
    let w = &credit(&t, &officer, id).await["warnings"][0];
    assert_eq!(w["until"], until.to_string());
    assert!(
        doc_kinds(&t, &officer, id)
            .await
            .contains(&"credit_warning_notice".to_owned())
    );
    let html = t
        .get(
            &format!(
                "/api/v1/documents/{}",
                document_id(&t, &officer, id, "credit_warning_notice").await
            ),
            Some(&officer),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("信用惩戒预警通知书") && html.contains(&until.to_string()),
        "{html}"
    );
    assert!(
        event_kinds(&t, &officer, id)
            .await
            .iter()
            .any(|(k, _)| k == "case.credit_warning_issued")
    );
    // A second warning within the grace: refused. A listing within it: refused with the date.
    assert_problem(
        post(&t, &officer, &warn, json!({"party_no": 2, "grace_days": 5})).await,
        StatusCode::CONFLICT,
        "already_warned",
    )
    .await;
    let p = assert_problem(
        post(&t, &officer, &list, listing.clone()).await,
        StatusCode::CONFLICT,
        "in_warning_grace",
    )
    .await;
    assert_eq!(p["params"]["until"], until.to_string());
    // The other respondent was not warned.
    ok(
        post(
            &t,
            &officer,
            &list,
            json!({"party_no": 3, "grounds": [1], "facts": "有能力履行而拒不履行"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    // After the grace, the warned respondent may be listed.
    let days = u64::try_from(until.since(t.app.today()).unwrap().get_days()).unwrap();
    t.clock.advance(Duration::from_secs(days * 86_400));
    assert_problem(
        post(&t, &officer, &list, listing.clone()).await,
        StatusCode::CONFLICT,
        "in_warning_grace",
    )
    .await;
    t.clock.advance(Duration::from_secs(86_400));
    ok(
        post(&t, &officer, &list, listing).await,
        StatusCode::CREATED,
    )
    .await;
}
