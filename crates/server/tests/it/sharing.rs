//! Data sharing for joint discipline (联合惩戒): agreements, their approval and keys, the feed
//! partner agencies pull (only agreed fields, in order, paged, audited), revocation, validity,
//! who may do what, scope, and bad input.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem};

const RESPONDENT_ID: &str = "110101198001010010";
const CREDIT_CODE: &str = "91350100M000100Y43";
/// The agreement's court (石家庄市中级人民法院), a court below it, a sibling and the parent.
const OWN: &str = "i1301";
const CHILD: &str = "b130102";
const SIBLING: &str = "i1302";
const PARENT: &str = "h13";

struct Kit {
    t: TestApp,
    admin: String,
    head: String,
}

async fn kit() -> Kit {
    let t = TestApp::spawn_quiet().await;
    let admin = t.signed_in("admin1", OWN, Role::Administrator).await;
    let head = t.signed_in("head1", OWN, Role::DivisionHead).await;
    Kit { t, admin, head }
}

async fn ok(r: reqwest::Response, status: StatusCode) -> Value {
    let got = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// Files a case at `court` and lists its respondent(s); returns (case id, officer token).
async fn listed_case(t: &TestApp, court: &str, officer_name: &str, doc: &str) -> (i64, String) {
    let officer = t.signed_in(officer_name, court, Role::Officer).await;
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": RESPONDENT_ID},
            {"role": "respondent", "kind": "organisation", "name": "某某贸易有限公司", "credit_code": CREDIT_CODE, "legal_representative": "王五"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "某人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000},
        "duties": ""
    });
    let v = ok(
        t.post_json("/api/v1/cases", Some(&officer), &body).await,
        StatusCode::CREATED,
    )
    .await;
    let id = v["id"].as_i64().unwrap();
    list(t, &officer, id, 2).await;
    (id, officer)
}

async fn list(t: &TestApp, officer: &str, case: i64, party: u32) {
    ok(
        t.post_json(
            &format!("/api/v1/cases/{case}/listings"),
            Some(officer),
            &json!({"party_no": party, "grounds": [2], "facts": "以暴力方法抗拒执行"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
}

fn agreement_body(fields: &[&str], from: String, to: String) -> Value {
    json!({
        "agency_name": "中国民用航空局",
        "agency_code": "CAAC",
        "fields": fields,
        "legal_basis": "《关于对失信被执行人实施联合惩戒的合作备忘录》",
        "valid_from": from,
        "valid_to": to,
    })
}

fn plus_days(t: &TestApp, days: i64) -> String {
    t.app
        .today()
        .checked_add(jiff::Span::new().days(days))
        .unwrap()
        .to_string()
}

/// Creates, approves and keys an agreement of `OWN` for these fields; returns (id, key).
async fn agreed(k: &Kit, fields: &[&str]) -> (i64, String) {
    let t = &k.t;
    let body = agreement_body(fields, t.app.today().to_string(), plus_days(t, 365 * 5));
    agreed_with(k, &body).await
}

async fn agreed_with(k: &Kit, body: &Value) -> (i64, String) {
    let t = &k.t;
    let a = ok(
        t.post_json("/api/v1/sharing/agreements", Some(&k.admin), body)
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(a["status"], "draft");
    let id = a["id"].as_i64().unwrap();
    let a = ok(
        t.post_json(
            &format!("/api/v1/sharing/agreements/{id}/approval"),
            Some(&k.head),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["status"], "active");
    let key = ok(
        t.post_json(
            &format!("/api/v1/sharing/agreements/{id}/keys"),
            Some(&k.admin),
            &json!({}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let api_key = key["api_key"].as_str().unwrap().to_owned();
    assert!(api_key.starts_with("zxs_"));
    (id, api_key)
}

async fn pull(t: &TestApp, key: &str, cursor: i64, limit: i64) -> reqwest::Response {
    t.client
        .get(t.url(&format!(
            "/api/v1/sharing/feed?cursor={cursor}&limit={limit}"
        )))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
}

async fn events_seq(t: &TestApp) -> i64 {
    t.app.store.chain_head().await.unwrap().0
}

#[tokio::test]
async fn feed_carries_only_agreed_fields_in_order_with_paging() {
    let k = kit().await;
    let t = &k.t;
    let (case, officer) = listed_case(t, CHILD, "officer-c", "民初1号").await;
    let (_, masked_key) = agreed(&k, &["name", "id_masked", "case_number", "court"]).await;
    let (_, full_key) = agreed(&k, &["name", "id_number", "conduct", "ends_on"]).await;

    let page = ok(pull(t, &masked_key, 0, 100).await, StatusCode::OK).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    let it = &items[0];
    assert_eq!(it["change"], "listed");
    assert_eq!(it["name"], "李四");
    assert_eq!(it["id_masked"], "1101**********0010");
    assert_eq!(it["court"]["id"], CHILD);
    assert!(it["case_number"].as_str().is_some());
    for absent in ["id_number", "conduct", "duty", "ends_on", "legal_rep"] {
        assert!(it.get(absent).is_none(), "{absent} not agreed: {it}");
    }
    let keys: Vec<&String> = it.as_object().unwrap().keys().collect();
    assert_eq!(
        keys.len(),
        4 + 4,
        "fixed part and the four agreed: {keys:?}"
    );
    assert_eq!(page["next"], it["cursor"]);

    // The agreement that grants it gets the real number, through X-Api-Key too.
    let r = t
        .client
        .get(t.url("/api/v1/sharing/feed"))
        .header("X-Api-Key", &full_key)
        .send()
        .await
        .unwrap();
    let full = ok(r, StatusCode::OK).await;
    assert_eq!(full["items"][0]["id_number"], RESPONDENT_ID);
    assert_eq!(full["items"][0]["conduct"], "以暴力方法抗拒执行");
    assert!(full["items"][0].get("id_masked").is_none());

    // A second listing, then the first removed: both after the cursor, in order.
    list(t, &officer, case, 3).await;
    ok(
        t.post_json(
            &format!("/api/v1/cases/{case}/listings/1/removal"),
            Some(&officer),
            &json!({"trigger": "applicant_request", "reason": "申请执行人书面申请删除"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let next = page["next"].as_i64().unwrap();
    let more = ok(pull(t, &masked_key, next, 100).await, StatusCode::OK).await;
    let changes: Vec<(&str, &str)> = more["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["change"].as_str().unwrap(), i["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changes,
        vec![("listed", "某某贸易有限公司"), ("removed", "李四")]
    );
    assert_eq!(more["items"][1]["listing"], it["listing"]);
    // Nothing new: the same cursor back, no items.
    let last = more["next"].as_i64().unwrap();
    let none = ok(pull(t, &masked_key, last, 100).await, StatusCode::OK).await;
    assert_eq!(none["items"], json!([]));
    assert_eq!(none["next"], last);

    // Paging one at a time gives the same three changes, cursors strictly rising.
    let mut cursor = 0;
    let mut seen = Vec::new();
    loop {
        let p = ok(pull(t, &masked_key, cursor, 1).await, StatusCode::OK).await;
        let items = p["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        assert_eq!(items.len(), 1);
        let c = items[0]["cursor"].as_i64().unwrap();
        assert!(c > cursor);
        cursor = p["next"].as_i64().unwrap();
        assert_eq!(cursor, c);
        seen.push(items[0]["change"].as_str().unwrap().to_owned());
    }
    assert_eq!(seen, ["listed", "listed", "removed"]);
}

#[tokio::test]
async fn pulls_are_audited_without_personal_data_or_keys() {
    let k = kit().await;
    let t = &k.t;
    listed_case(t, CHILD, "officer-c", "民初2号").await;
    let (id, key) = agreed(&k, &["name", "id_number"]).await;
    ok(pull(t, &key, 0, 100).await, StatusCode::OK).await;
    ok(pull(t, &key, 0, 100).await, StatusCode::OK).await;
    let auditor = t.signed_in("aud1", OWN, Role::Auditor).await;
    let events = t
        .get_value("/api/v1/events?limit=1000", Some(&auditor))
        .await;
    let all = events
        .as_array()
        .or_else(|| events["items"].as_array())
        .unwrap()
        .clone();
    let pulls: Vec<&Value> = all
        .iter()
        .filter(|e| e["kind"] == "sharing.feed_pulled")
        .collect();
    assert_eq!(pulls.len(), 2, "{all:?}");
    for e in &pulls {
        assert_eq!(e["subject"], format!("sharing_agreement:{id}"));
        let p = e["payload"].to_string();
        assert!(p.contains("\"count\":1") || p.contains("count"), "{p}");
        for secret in [RESPONDENT_ID, "李四", key.as_str()] {
            assert!(!p.contains(secret), "{secret} in {p}");
        }
    }
    for kind in [
        "sharing.agreement_created",
        "sharing.agreement_approved",
        "sharing.key_issued",
    ] {
        assert!(all.iter().any(|e| e["kind"] == kind), "{kind}");
    }
    // The key is in no event at all, and the key table holds only its hash.
    let n = t
        .raw_text(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE payload LIKE '%{}%'",
            &key[4..]
        ))
        .await;
    assert_eq!(n, "0");
    let n = t
        .raw_text(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM sharing_keys WHERE key_hash LIKE '%{}%' OR prefix = '{key}'",
            &key[4..]
        ))
        .await;
    assert_eq!(n, "0");
    // The agreement as shown carries the key's prefix, not the key.
    let a = t
        .get_value(&format!("/api/v1/sharing/agreements/{id}"), Some(&k.admin))
        .await;
    assert!(!a.to_string().contains(&key[4..]), "{a}");
    assert_eq!(a["keys"][0]["prefix"], key[..12]);
    let v = t.get_value("/api/v1/audit/verify", Some(&auditor)).await;
    assert_eq!(v["intact"], true, "{v}");
}

#[tokio::test]
async fn revocation_stops_the_feed_at_once_and_refusals_change_nothing() {
    let k = kit().await;
    let t = &k.t;
    listed_case(t, CHILD, "officer-c", "民初3号").await;
    let (id, old_key) = agreed(&k, &["name"]).await;
    ok(pull(t, &old_key, 0, 100).await, StatusCode::OK).await;

    // A new key revokes the old one.
    let new = ok(
        t.post_json(
            &format!("/api/v1/sharing/agreements/{id}/keys"),
            Some(&k.admin),
            &json!({}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(new["revoked_keys"].as_array().unwrap().len(), 1);
    let key = new["api_key"].as_str().unwrap().to_owned();
    let before = events_seq(t).await;
    assert_problem(
        pull(t, &old_key, 0, 100).await,
        StatusCode::UNAUTHORIZED,
        "api_key_revoked",
    )
    .await;
    assert_problem(
        pull(t, "zxs_0000", 0, 100).await,
        StatusCode::UNAUTHORIZED,
        "invalid_api_key",
    )
    .await;
    let r = t.get("/api/v1/sharing/feed", None).await;
    assert_problem(r, StatusCode::UNAUTHORIZED, "api_key_required").await;
    assert_problem(
        pull(t, &key, -1, 100).await,
        StatusCode::BAD_REQUEST,
        "invalid_cursor",
    )
    .await;
    assert_problem(
        pull(t, &key, 0, 0).await,
        StatusCode::BAD_REQUEST,
        "invalid_limit",
    )
    .await;
    let r = t.get("/api/v1/sharing/feed?cursor=abc", Some(&key)).await;
    assert_problem(r, StatusCode::BAD_REQUEST, "invalid_query").await;
    assert_eq!(events_seq(t).await, before, "refusals record nothing");
    ok(pull(t, &key, 0, 100).await, StatusCode::OK).await;

    // Revocation needs a reason; then the very next pull is refused.
    let r = t
        .post_json(
            &format!("/api/v1/sharing/agreements/{id}/revocation"),
            Some(&k.head),
            &json!({"reason": "  "}),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_reason").await;
    let a = ok(
        t.post_json(
            &format!("/api/v1/sharing/agreements/{id}/revocation"),
            Some(&k.head),
            &json!({"reason": "协议方违反保密义务"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["status"], "revoked");
    assert!(
        a["keys"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| !k["revoked_at"].is_null())
    );
    let before = events_seq(t).await;
    // The key is revoked with its agreement: the key's own refusal comes first.
    assert_problem(
        pull(t, &key, 0, 100).await,
        StatusCode::UNAUTHORIZED,
        "api_key_revoked",
    )
    .await;
    let r = t
        .post_json(
            &format!("/api/v1/sharing/agreements/{id}/revocation"),
            Some(&k.admin),
            &json!({"reason": "再次撤销"}),
        )
        .await;
    assert_problem(r, StatusCode::CONFLICT, "already_revoked").await;
    let r = t
        .post_json(
            &format!("/api/v1/sharing/agreements/{id}/keys"),
            Some(&k.admin),
            &json!({}),
        )
        .await;
    assert_problem(r, StatusCode::CONFLICT, "agreement_not_active").await;
    assert_eq!(events_seq(t).await, before, "refusals record nothing");
}

#[tokio::test]
async fn a_revoked_agreement_refuses_a_live_key() {
    // Should a key ever outlive its agreement's revocation (e.g. restored from a backup
    // taken in between), the agreement's own state still refuses it.
    let k = kit().await;
    let t = &k.t;
    let (id, key) = agreed(&k, &["name"]).await;
    ok(
        t.post_json(
            &format!("/api/v1/sharing/agreements/{id}/revocation"),
            Some(&k.admin),
            &json!({"reason": "协议终止"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    t.raw_exec("UPDATE sharing_keys SET revoked_at = NULL")
        .await;
    assert_problem(
        pull(t, &key, 0, 100).await,
        StatusCode::FORBIDDEN,
        "agreement_revoked",
    )
    .await;
}

#[tokio::test]
async fn expired_and_not_yet_valid_agreements_serve_nothing() {
    let k = kit().await;
    let t = &k.t;
    listed_case(t, CHILD, "officer-c", "民初4号").await;
    let short = agreement_body(&["name"], t.app.today().to_string(), plus_days(t, 1));
    let (_, key) = agreed_with(&k, &short).await;
    let later = agreement_body(&["name"], plus_days(t, 5), plus_days(t, 30));
    let (_, later_key) = agreed_with(&k, &later).await;
    ok(pull(t, &key, 0, 100).await, StatusCode::OK).await;
    let before = events_seq(t).await;
    assert_problem(
        pull(t, &later_key, 0, 100).await,
        StatusCode::FORBIDDEN,
        "agreement_not_yet_valid",
    )
    .await;
    t.clock.advance(Duration::from_secs(86400));
    ok(pull(t, &key, 0, 100).await, StatusCode::OK).await;
    t.clock.advance(Duration::from_secs(86400));
    let before2 = events_seq(t).await;
    assert_eq!(before2, before + 1, "only the one successful pull recorded");
    assert_problem(
        pull(t, &key, 0, 100).await,
        StatusCode::FORBIDDEN,
        "agreement_expired",
    )
    .await;
    assert_eq!(events_seq(t).await, before2);
    t.clock.advance(Duration::from_secs(3 * 86400));
    ok(pull(t, &later_key, 0, 100).await, StatusCode::OK).await;
}

#[tokio::test]
async fn expiry_by_the_watch_worker_is_a_removal_in_the_feed() {
    let k = kit().await;
    let t = &k.t;
    listed_case(t, CHILD, "officer-c", "民初5号").await;
    let (_, key) = agreed(&k, &["name", "ends_on"]).await;
    let first = ok(pull(t, &key, 0, 100).await, StatusCode::OK).await;
    let ends = first["items"][0]["ends_on"].as_str().unwrap().to_owned();
    t.clock.advance(Duration::from_secs(730 * 86400));
    while t.app.today().to_string() <= ends {
        t.clock.advance(Duration::from_secs(86400));
    }
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    let next = ok(
        pull(t, &key, first["next"].as_i64().unwrap(), 100).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(next["items"].as_array().unwrap().len(), 1, "{next}");
    assert_eq!(next["items"][0]["change"], "removed");
    assert_eq!(next["items"][0]["name"], "李四");
}

#[tokio::test]
async fn who_may_draft_approve_and_see() {
    let k = kit().await;
    let t = &k.t;
    let body = agreement_body(&["name"], t.app.today().to_string(), plus_days(t, 30));
    for (name, court, role) in [
        ("officer-x", OWN, Role::Officer),
        ("head-x", OWN, Role::DivisionHead),
        ("aud-x", OWN, Role::Auditor),
    ] {
        let tok = t.signed_in(name, court, role).await;
        let r = t
            .post_json("/api/v1/sharing/agreements", Some(&tok), &body)
            .await;
        assert_problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    }
    // An administrator drafts for its court or one below, not for a sibling.
    let mut sib = body.clone();
    sib["court_id"] = json!(SIBLING);
    let r = t
        .post_json("/api/v1/sharing/agreements", Some(&k.admin), &sib)
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "court_not_found").await;
    let mut child = body.clone();
    child["court_id"] = json!(CHILD);
    let a = ok(
        t.post_json("/api/v1/sharing/agreements", Some(&k.admin), &child)
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(a["court_id"], CHILD);

    // The drafter may not approve even holding the role; nor may an administrator, or the
    // division head of another court; the one of the parent court may.
    t.user("both", OWN, &[Role::Administrator, Role::DivisionHead])
        .await;
    let both = t.login("both").await;
    let a = ok(
        t.post_json("/api/v1/sharing/agreements", Some(&both), &body)
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    let approval = format!("/api/v1/sharing/agreements/{id}/approval");
    let r = t.post_json(&approval, Some(&both), &json!({})).await;
    assert_problem(r, StatusCode::FORBIDDEN, "own_agreement").await;
    let r = t.post_json(&approval, Some(&k.admin), &json!({})).await;
    assert_problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    let other_head = t.signed_in("head-sib", SIBLING, Role::DivisionHead).await;
    let other_admin = t.signed_in("admin-sib", SIBLING, Role::Administrator).await;
    let r = t.post_json(&approval, Some(&other_head), &json!({})).await;
    assert_problem(r, StatusCode::NOT_FOUND, "agreement_not_found").await;
    let r = t
        .get(
            &format!("/api/v1/sharing/agreements/{id}"),
            Some(&other_admin),
        )
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "agreement_not_found").await;
    let r = t
        .post_json(
            &format!("/api/v1/sharing/agreements/{id}/keys"),
            Some(&other_admin),
            &json!({}),
        )
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "agreement_not_found").await;
    let theirs = t
        .get_value("/api/v1/sharing/agreements", Some(&other_admin))
        .await;
    assert_eq!(theirs, json!([]));
    // A key only for an approved agreement.
    let r = t
        .post_json(
            &format!("/api/v1/sharing/agreements/{id}/keys"),
            Some(&k.admin),
            &json!({}),
        )
        .await;
    assert_problem(r, StatusCode::CONFLICT, "agreement_not_active").await;
    let parent_head = t.signed_in("head-parent", PARENT, Role::DivisionHead).await;
    let a = ok(
        t.post_json(&approval, Some(&parent_head), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["status"], "active");
    let r = t.post_json(&approval, Some(&k.head), &json!({})).await;
    assert_problem(r, StatusCode::CONFLICT, "agreement_not_draft").await;
    // A division head may not issue keys; an officer may not even list agreements.
    let r = t
        .post_json(
            &format!("/api/v1/sharing/agreements/{id}/keys"),
            Some(&k.head),
            &json!({}),
        )
        .await;
    assert_problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    let officer = t.signed_in("officer-y", OWN, Role::Officer).await;
    let r = t.get("/api/v1/sharing/agreements", Some(&officer)).await;
    assert_problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = t
        .get(&format!("/api/v1/sharing/agreements/{id}"), Some(&officer))
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "agreement_not_found").await;
    let mine = t
        .get_value("/api/v1/sharing/agreements", Some(&k.head))
        .await;
    assert_eq!(mine.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_feed_covers_the_agreements_court_and_below_only() {
    let k = kit().await;
    let t = &k.t;
    listed_case(t, SIBLING, "officer-s", "民初6号").await;
    listed_case(t, PARENT, "officer-p", "民初7号").await;
    listed_case(t, CHILD, "officer-c", "民初8号").await;
    listed_case(t, OWN, "officer-o", "民初9号").await;
    let (_, key) = agreed(&k, &["court"]).await;
    let page = ok(pull(t, &key, 0, 100).await, StatusCode::OK).await;
    let courts: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["court"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(courts, vec![CHILD, OWN]);
}

#[tokio::test]
async fn bad_drafts_are_refused_and_script_is_kept_inert() {
    let k = kit().await;
    let t = &k.t;
    let today = t.app.today().to_string();
    let good = agreement_body(&["name"], today.clone(), plus_days(t, 30));
    let mut bad = Vec::new();
    for fields in [
        json!([]),
        json!(["name", "name"]),
        json!(["salary"]),
        json!(["<script>"]),
    ] {
        let mut b = good.clone();
        b["fields"] = fields;
        bad.push(b);
    }
    for (from, to) in [
        (plus_days(t, 10), plus_days(t, 5)),
        (plus_days(t, -10), plus_days(t, -1)),
        ("2026-13-01".to_owned(), plus_days(t, 5)),
        (today.clone(), "tomorrow".to_owned()),
    ] {
        let mut b = good.clone();
        b["valid_from"] = json!(from);
        b["valid_to"] = json!(to);
        bad.push(b);
    }
    for (field, value) in [
        ("agency_name", json!("")),
        ("agency_name", json!("x".repeat(101))),
        ("agency_code", json!("<script>alert(1)</script>")),
        (
            "agency_code",
            json!("CAAC'; DROP TABLE sharing_agreements;--"),
        ),
        ("legal_basis", json!("   ")),
    ] {
        let mut b = good.clone();
        b[field] = value;
        bad.push(b);
    }
    for b in &bad {
        let r = t
            .post_json("/api/v1/sharing/agreements", Some(&k.admin), b)
            .await;
        let p = assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_agreement").await;
        assert!(!p["errors"].as_array().unwrap().is_empty(), "{p}");
    }
    let mut extra = good.clone();
    extra["status"] = json!("active");
    let r = t
        .post_json("/api/v1/sharing/agreements", Some(&k.admin), &extra)
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    let r = t
        .get("/api/v1/sharing/agreements/abc", Some(&k.admin))
        .await;
    assert_problem(r, StatusCode::BAD_REQUEST, "invalid_path").await;
    assert_eq!(
        t.get_value("/api/v1/sharing/agreements", Some(&k.admin))
            .await,
        json!([]),
        "nothing was created"
    );

    // Script and SQL in free text are stored and returned as plain data.
    let name = "<script>alert(1)</script>'; DROP TABLE sharing_agreements;--";
    let mut b = good.clone();
    b["agency_name"] = json!(name);
    b["legal_basis"] = json!("<img src=x onerror=alert(1)>");
    let a = ok(
        t.post_json("/api/v1/sharing/agreements", Some(&k.admin), &b)
            .await,
        StatusCode::CREATED,
    )
    .await;
    let got = t
        .get_value(
            &format!("/api/v1/sharing/agreements/{}", a["id"]),
            Some(&k.admin),
        )
        .await;
    assert_eq!(got["agency_name"], name);
    assert_eq!(got["legal_basis"], "<img src=x onerror=alert(1)>");
}

#[tokio::test]
async fn a_session_is_no_key_and_a_key_is_no_session() {
    let k = kit().await;
    let t = &k.t;
    let (_, key) = agreed(&k, &["name"]).await;
    let officer = t.signed_in("officer-z", OWN, Role::Officer).await;
    for tok in [&officer, &k.admin] {
        let r = pull(t, tok, 0, 100).await;
        assert_problem(r, StatusCode::UNAUTHORIZED, "invalid_api_key").await;
        let r = t
            .client
            .get(t.url("/api/v1/sharing/feed"))
            .header("X-Api-Key", tok.as_str())
            .send()
            .await
            .unwrap();
        assert_problem(r, StatusCode::UNAUTHORIZED, "invalid_api_key").await;
    }
    for path in [
        "/api/v1/sharing/agreements",
        "/api/v1/sharing/agreements/1",
        "/api/v1/cases",
        "/api/v1/session",
        "/api/v1/courts",
    ] {
        let r = t.get(path, Some(&key)).await;
        assert_problem(r, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }
    let r = t
        .post_json("/api/v1/sharing/agreements/1/keys", Some(&key), &json!({}))
        .await;
    assert_problem(r, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}
