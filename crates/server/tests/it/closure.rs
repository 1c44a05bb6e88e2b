//! What a closure does to the rest of the case (DOMAIN §4a), through the API against the
//! institution simulator: a closure that ends the case waits for the money, then releases the
//! freeze through its institution exactly once, takes the debtor off the public lists and
//! lifts the restriction, in the closing transaction; 终本 keeps all of it.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;

use crate::measures::{DEBTOR, fast, file, free_deposit, investigate, measure, settled, setup};

async fn post(t: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    t.post_json(path, Some(token), &body).await
}

async fn status(t: &TestApp, token: &str, path: &str, body: Value) -> StatusCode {
    post(t, token, path, body).await.status()
}

/// A case with a live freeze, the debtor listed (with the order the listing brings) and
/// money received into its account: (officer, head, case, measure).
async fn case_holding_everything(t: &TestApp) -> (String, String, i64, i64) {
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let head = t.signed_in("head1", "b110105", Role::DivisionHead).await;
    let case = file(t, &officer, "(2026)京0105民初31号", 500_000).await;
    let assets = investigate(t, &officer, case).await;
    let deposit = free_deposit(&assets);
    let r = measure(
        t,
        &officer,
        deposit["id"].as_i64().unwrap(),
        json!({"kind": "freeze", "amount_fen": 10_000}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let m = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert_eq!(settled(t, &officer, m).await["status"], "active");
    let listed = post(
        t,
        &officer,
        &format!("/api/v1/cases/{case}/listings"),
        json!({"party_no": 2, "grounds": [2], "facts": "以威胁方法阻碍执行人员执行职务"}),
    )
    .await;
    assert_eq!(listed.status(), StatusCode::CREATED);
    let received = status(
        t,
        &officer,
        &format!("/api/v1/cases/{case}/account/receipts"),
        json!({"amount_fen": 20_000, "reference": "BANK-CL-1"}),
    )
    .await;
    assert!(received.is_success(), "{received}");
    (officer, head, case, m)
}

fn codes(problem: &Value) -> Vec<String> {
    problem["reasons"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["code"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn listed_publicly(t: &TestApp) -> (usize, usize) {
    let idx = t.app.cipher.index(DEBTOR);
    (
        t.app.store.listed_now("李四", &idx).await.unwrap().len(),
        t.app
            .store
            .restricted_now("李四", &idx)
            .await
            .unwrap()
            .len(),
    )
}

/// How many release orders went out for measure `m`.
async fn releases_sent(t: &TestApp, token: &str, case: i64, m: i64) -> usize {
    let events: Value = t
        .get_value(&format!("/api/v1/cases/{case}/timeline"), Some(token))
        .await;
    events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "measure.release_requested" && e["payload"]["measure"] == m)
        .count()
}

#[tokio::test]
async fn terminating_waits_for_the_money_then_releases_removes_and_lifts_at_once() {
    let t = TestApp::spawn_with(fast()).await;
    let _sim = setup(&t).await;
    let (officer, head, case, m) = case_holding_everything(&t).await;
    let head2 = t.signed_in("head2", "b110105", Role::DivisionHead).await;
    let closure = format!("/api/v1/cases/{case}/closure");
    let terminate =
        json!({"mode": "terminated", "reason": "申请执行人撤回执行申请后法院裁定终结执行"});

    // The checklist says what the closure would do, and what stands in its way.
    let cl: Value = t
        .get_value(
            &format!("/api/v1/cases/{case}/closure-checklist?mode=terminated"),
            Some(&officer),
        )
        .await;
    assert_eq!(cl["effects"]["releases"], json!([m]), "{cl}");
    assert_eq!(cl["effects"]["listings_removed"], json!([1]), "{cl}");
    assert_eq!(cl["effects"]["orders_lifted"], json!([1]), "{cl}");

    // ¥200.00 sits unassigned in the account: refused, naming it.
    let r = post(&t, &officer, &closure, terminate.clone()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().await.unwrap();
    assert_eq!(codes(&p), ["account_settled"], "{p}");
    assert_eq!(
        p["reasons"][0]["params"]["undistributed"], 20_000,
        "the amount held, in fen: {p}"
    );

    // Its payout approved by another than who proposed it: the closure may go ahead.
    let r = post(
        &t,
        &officer,
        &format!("/api/v1/cases/{case}/account/payouts"),
        json!({"party_no": 1, "amount_fen": 20_000}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let no = r.json::<Value>().await.unwrap()["no"].as_i64().unwrap();
    assert_eq!(
        status(
            &t,
            &head2,
            &format!("/api/v1/cases/{case}/account/payouts/{no}/decision"),
            json!({"approve": true})
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        status(&t, &officer, &closure, terminate).await,
        StatusCode::OK
    );
    // Requested, not yet in effect: nothing is ended before the division head approves.
    assert_eq!(listed_publicly(&t).await, (1, 1));
    assert_eq!(releases_sent(&t, &officer, case, m).await, 0);
    assert_eq!(
        status(
            &t,
            &head,
            &format!("/api/v1/cases/{case}/closure/decision"),
            json!({"approve": true})
        )
        .await,
        StatusCode::OK
    );

    // In the same transaction: the listing and the order are gone from the public search,
    // the release went to the bank once, and the bank's answer releases the freeze.
    assert_eq!(listed_publicly(&t).await, (0, 0));
    let credit: Value = t
        .get_value(&format!("/api/v1/cases/{case}/credit"), Some(&officer))
        .await;
    let removal = &credit["credit"]["listings"][0]["removal"];
    assert_eq!(removal["trigger"], "terminated", "{credit}");
    assert!(removal["due_by"].as_str().unwrap() > removal["on"].as_str().unwrap());
    assert!(
        !credit["credit"]["orders"][0]["lifted"].is_null(),
        "{credit}"
    );
    assert_eq!(releases_sent(&t, &officer, case, m).await, 1);
    assert_eq!(settled(&t, &officer, m).await["status"], "released");
    // A second decision finds nothing pending, and sends nothing again.
    assert_eq!(
        status(
            &t,
            &head,
            &format!("/api/v1/cases/{case}/closure/decision"),
            json!({"approve": true})
        )
        .await,
        StatusCode::CONFLICT
    );
    assert_eq!(releases_sent(&t, &officer, case, m).await, 1);
}

#[tokio::test]
async fn zhongben_keeps_the_freeze_the_listing_and_the_order_but_not_the_money() {
    let t = TestApp::spawn_with(fast()).await;
    let _sim = setup(&t).await;
    let (officer, _head, case, m) = case_holding_everything(&t).await;
    let cl: Value = t
        .get_value(
            &format!("/api/v1/cases/{case}/closure-checklist?mode=zhongben"),
            Some(&officer),
        )
        .await;
    assert_eq!(
        cl["effects"],
        json!({"releases": [], "listings_removed": [], "orders_lifted": []})
    );
    let money = cl["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "account_paid_out")
        .cloned()
        .unwrap_or_default();
    assert_eq!(money["met"], false, "{cl}");
    assert!(
        money["description"].as_str().unwrap().contains("¥200.00"),
        "{money}"
    );
    // The page shows the same, in Chinese.
    let cookie = t.page_login("officer1").await;
    let (code, page) = t
        .html(&format!("/cases/{case}/closure?mode=zhongben"), &cookie)
        .await;
    assert_eq!(code, StatusCode::OK);
    assert!(
        page.contains("控制措施、限制消费令和失信名单依法保留"),
        "{page}"
    );
    assert!(
        page.contains("案款账户内款项已全部发放（现存 ¥200.00）"),
        "{page}"
    );
    assert_eq!(settled(&t, &officer, m).await["status"], "active");
}
