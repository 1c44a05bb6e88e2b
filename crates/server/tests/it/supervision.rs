//! Supervision orders (督办) over real HTTP: a superior court orders a court below it to act on
//! a case or a problem; the subordinate court replies; the superior sends the reply back or
//! closes the order; an order unanswered past its deadline escalates with an alert at the
//! issuing court. Only downward; every step an audited event.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_server::Config;
use zhixing_store::events::EventFilter;
use zhixing_testkit::{TestApp, assert_problem};

/// 朝阳 and 通州, basic courts under the Third Intermediate Court (i1103), under the high court h11.
const BASIC: &str = "b110105";
const SIBLING: &str = "b110112";
const INTERMEDIATE: &str = "i1103";

async fn file_case(t: &TestApp, token: &str) -> i64 {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初7号",
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(token), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

fn in_days(t: &TestApp, n: i64) -> String {
    t.app
        .today()
        .checked_add(jiff::Span::new().days(n))
        .unwrap()
        .to_string()
}

fn order(t: &TestApp, court: &str, case: Option<i64>) -> Value {
    json!({
        "court": court,
        "case_id": case,
        "title": "财产处置迟缓",
        "instructions": "请于期限内查明未处置原因并报送处置计划",
        "deadline": in_days(t, 5),
    })
}

async fn ok_json(r: reqwest::Response, status: StatusCode) -> Value {
    let s = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(s, status, "{v}");
    v
}

async fn kinds_of(t: &TestApp, subject: &str) -> Vec<String> {
    t.app
        .store
        .list_events(&EventFilter {
            subject: Some(subject.into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

#[tokio::test]
async fn an_order_on_a_case_is_replied_sent_back_and_closed_on_the_timeline() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", BASIC, Role::Officer).await;
    let head = t.signed_in("head1", BASIC, Role::DivisionHead).await;
    let sup = t.signed_in("sup1", INTERMEDIATE, Role::Supervisor).await;
    let case = file_case(&t, &officer).await;

    let o = ok_json(
        t.post_json(
            "/api/v1/supervisions",
            Some(&sup),
            &order(&t, BASIC, Some(case)),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = o["id"].as_i64().unwrap();
    assert_eq!(o["status"], "open");
    assert_eq!(o["issuer_court_id"], INTERMEDIATE);
    assert_eq!(o["target_court_id"], BASIC);
    assert_eq!(o["case_id"], case);
    assert!(o["case_number"].as_str().unwrap().contains("执"));
    assert_eq!(o["overdue"], false);

    // Both courts see it: in the issuer's "issued" list and the receiver's "received" list.
    let issued = t
        .get_value(
            &format!("/api/v1/supervisions?court={INTERMEDIATE}&direction=issued"),
            Some(&sup),
        )
        .await;
    assert_eq!(issued.as_array().unwrap().len(), 1);
    let received = t
        .get_value("/api/v1/supervisions?direction=received", Some(&officer))
        .await;
    assert_eq!(received[0]["id"], id);
    let none = t
        .get_value("/api/v1/supervisions?direction=issued", Some(&officer))
        .await;
    assert!(none.as_array().unwrap().is_empty());

    // Closing before any reply is refused: there is nothing to accept.
    assert_problem(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/close"),
            Some(&sup),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "no_reply_to_decide",
    )
    .await;

    // The officer replies, then adds to it; both replies are kept.
    let reply = |text: &str| json!({"text": text});
    ok_json(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/replies"),
            Some(&officer),
            &reply("已查明：评估报告未送达"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let v = ok_json(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/replies"),
            Some(&head),
            &reply("补充：拟于下周送达"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v["status"], "replied");
    assert_eq!(v["notes"].as_array().unwrap().len(), 2);

    // Sent back with a reason; the court replies again; the superior closes it.
    let v = ok_json(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/return"),
            Some(&sup),
            &json!({"text": "请附送达回证"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["status"], "returned");
    ok_json(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/replies"),
            Some(&officer),
            &reply("已送达，回证附后"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let v = ok_json(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/close"),
            Some(&sup),
            &json!({"text": "同意办结"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["status"], "closed");
    let kinds: Vec<&str> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["reply", "reply", "return", "reply", "close"]);

    // Closed: no more replies, no second closure.
    assert_problem(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/replies"),
            Some(&officer),
            &reply("再补充"),
        )
        .await,
        StatusCode::CONFLICT,
        "supervision_closed",
    )
    .await;
    assert_problem(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/return"),
            Some(&sup),
            &json!({"text": "x"}),
        )
        .await,
        StatusCode::CONFLICT,
        "supervision_closed",
    )
    .await;

    // Every step is on the case's timeline and on the audit chain.
    let timeline = t
        .get_value(&format!("/api/v1/cases/{case}/timeline"), Some(&officer))
        .await;
    let on_timeline: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .filter(|k| k.starts_with("supervision."))
        .collect();
    assert_eq!(
        on_timeline,
        [
            "supervision.issued",
            "supervision.replied",
            "supervision.replied",
            "supervision.returned",
            "supervision.replied",
            "supervision.closed"
        ]
    );
    // The case's state is untouched by the order's events.
    let shown = t
        .get_value(&format!("/api/v1/cases/{case}"), Some(&officer))
        .await;
    assert_eq!(shown["id"], case);
}

#[tokio::test]
async fn an_order_about_a_problem_has_no_case_and_its_own_subject() {
    let t = TestApp::spawn().await;
    let sup = t.signed_in("sup-h", "h11", Role::DivisionHead).await;
    let officer = t.signed_in("officer1", BASIC, Role::Officer).await;
    // The high court reaches a basic court two levels down.
    let o = ok_json(
        t.post_json("/api/v1/supervisions", Some(&sup), &order(&t, BASIC, None))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = o["id"].as_i64().unwrap();
    assert!(o["case_id"].is_null());
    ok_json(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/replies"),
            Some(&officer),
            &json!({"text": "已整改"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let kinds = kinds_of(&t, &format!("supervision:{id}")).await;
    assert_eq!(kinds, ["supervision.issued", "supervision.replied"]);
    let events = t
        .app
        .store
        .list_events(&EventFilter {
            subject: Some(format!("supervision:{id}")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events[0].court_id.as_deref(), Some("h11"));
    assert_eq!(events[1].court_id.as_deref(), Some(BASIC));
    assert_eq!(
        events[1].actor,
        format!(
            "user:{}",
            t.app
                .store
                .user_by_username("officer1")
                .await
                .unwrap()
                .unwrap()
                .id
        )
    );
}

#[tokio::test]
async fn only_downward_and_only_to_a_known_court() {
    let t = TestApp::spawn().await;
    let basic_sup = t.signed_in("sup-b", BASIC, Role::Supervisor).await;
    let mid_sup = t.signed_in("sup-i", INTERMEDIATE, Role::Supervisor).await;
    // Itself, a sibling, a superior, a court in another province.
    for (who, court) in [
        (&mid_sup, INTERMEDIATE),
        (&basic_sup, BASIC),
        (&basic_sup, SIBLING),
        (&basic_sup, INTERMEDIATE),
        (&basic_sup, "h11"),
        (&mid_sup, "h11"),
        (&mid_sup, "b130102"),
    ] {
        assert_problem(
            t.post_json("/api/v1/supervisions", Some(who), &order(&t, court, None))
                .await,
            StatusCode::FORBIDDEN,
            "supervision_not_downward",
        )
        .await;
    }
    assert_problem(
        t.post_json(
            "/api/v1/supervisions",
            Some(&mid_sup),
            &order(&t, "b999999", None),
        )
        .await,
        StatusCode::NOT_FOUND,
        "court_not_found",
    )
    .await;
    let none = t
        .app
        .store
        .supervisions_of_court(INTERMEDIATE, true, 10)
        .await
        .unwrap();
    assert!(none.is_empty(), "nothing stored");
}

#[tokio::test]
async fn roles_decide_who_issues_replies_and_decides() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", BASIC, Role::Officer).await;
    let sibling_officer = t.signed_in("officer2", SIBLING, Role::Officer).await;
    let sup = t.signed_in("sup1", INTERMEDIATE, Role::Supervisor).await;
    let high_sup = t.signed_in("sup-h", "h11", Role::Supervisor).await;
    let hebei = t.signed_in("sup-hb", "h13", Role::Supervisor).await;
    // Officers, judges, auditors and administrators of the superior court do not issue.
    for (name, role) in [
        ("o-i", Role::Officer),
        ("j-i", Role::Judge),
        ("a-i", Role::Auditor),
        ("ad-i", Role::Administrator),
    ] {
        let tok = t.signed_in(name, INTERMEDIATE, role).await;
        assert_problem(
            t.post_json("/api/v1/supervisions", Some(&tok), &order(&t, BASIC, None))
                .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let id = ok_json(
        t.post_json("/api/v1/supervisions", Some(&sup), &order(&t, BASIC, None))
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/supervisions/{id}");
    // Courts that may not read either side do not learn it exists.
    for tok in [&sibling_officer, &hebei] {
        assert_problem(
            t.get(&path, Some(tok)).await,
            StatusCode::NOT_FOUND,
            "supervision_not_found",
        )
        .await;
        assert_problem(
            t.post_json(&format!("{path}/replies"), Some(tok), &json!({"text": "x"}))
                .await,
            StatusCode::NOT_FOUND,
            "supervision_not_found",
        )
        .await;
    }
    assert_problem(
        t.get(
            &format!("/api/v1/supervisions?court={BASIC}"),
            Some(&sibling_officer),
        )
        .await,
        StatusCode::NOT_FOUND,
        "court_not_found",
    )
    .await;
    // The high court reads it but neither replies nor decides in the issuer's place.
    assert_eq!(t.get(&path, Some(&high_sup)).await.status(), StatusCode::OK);
    // The issuer does not reply to its own order.
    assert_problem(
        t.post_json(
            &format!("{path}/replies"),
            Some(&sup),
            &json!({"text": "x"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    ok_json(
        t.post_json(
            &format!("{path}/replies"),
            Some(&officer),
            &json!({"text": "已办"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    for tok in [&officer, &high_sup] {
        for step in ["close", "return"] {
            assert_problem(
                t.post_json(&format!("{path}/{step}"), Some(tok), &json!({"text": "x"}))
                    .await,
                StatusCode::FORBIDDEN,
                "forbidden",
            )
            .await;
        }
    }
}

#[tokio::test]
async fn bad_input_is_refused_with_a_code() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", BASIC, Role::Officer).await;
    let other_officer = t.signed_in("officer2", SIBLING, Role::Officer).await;
    let sup = t.signed_in("sup1", INTERMEDIATE, Role::Supervisor).await;
    let other_case = file_case(&t, &other_officer).await;
    let mut b = order(&t, BASIC, None);
    b["title"] = json!("   ");
    assert_problem(
        t.post_json("/api/v1/supervisions", Some(&sup), &b).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "empty_text",
    )
    .await;
    let mut b = order(&t, BASIC, None);
    b["instructions"] = json!("");
    assert_problem(
        t.post_json("/api/v1/supervisions", Some(&sup), &b).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "empty_text",
    )
    .await;
    let mut b = order(&t, BASIC, None);
    b["instructions"] = json!("字".repeat(4001));
    assert_problem(
        t.post_json("/api/v1/supervisions", Some(&sup), &b).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "text_too_long",
    )
    .await;
    let mut b = order(&t, BASIC, None);
    b["deadline"] = json!("next week");
    assert_problem(
        t.post_json("/api/v1/supervisions", Some(&sup), &b).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_date",
    )
    .await;
    let mut b = order(&t, BASIC, None);
    b["deadline"] = json!(in_days(&t, -1));
    assert_problem(
        t.post_json("/api/v1/supervisions", Some(&sup), &b).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "deadline_in_past",
    )
    .await;
    // A case of another court (the sibling's) is not this court's case.
    assert_problem(
        t.post_json(
            "/api/v1/supervisions",
            Some(&sup),
            &order(&t, BASIC, Some(other_case)),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "case_not_of_court",
    )
    .await;
    assert_problem(
        t.post_json(
            "/api/v1/supervisions",
            Some(&sup),
            &order(&t, BASIC, Some(999_999)),
        )
        .await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
    let mut b = order(&t, BASIC, None);
    b["priority"] = json!("high");
    let r = t.post_json("/api/v1/supervisions", Some(&sup), &b).await;
    assert!(
        r.status().is_client_error(),
        "unknown field: {}",
        r.status()
    );
    assert_problem(
        t.get("/api/v1/supervisions?direction=sideways", Some(&sup))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_direction",
    )
    .await;
    assert_problem(
        t.get("/api/v1/supervisions/999999", Some(&sup)).await,
        StatusCode::NOT_FOUND,
        "supervision_not_found",
    )
    .await;

    let id = ok_json(
        t.post_json("/api/v1/supervisions", Some(&sup), &order(&t, BASIC, None))
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    assert_problem(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/replies"),
            Some(&officer),
            &json!({"text": " \n "}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "empty_text",
    )
    .await;
    ok_json(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/replies"),
            Some(&officer),
            &json!({"text": "已办"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    // Sending back needs a reason.
    assert_problem(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/return"),
            Some(&sup),
            &json!({}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "empty_text",
    )
    .await;
    // Only the order's own events were recorded: the refusals left nothing.
    assert_eq!(
        kinds_of(&t, &format!("supervision:{id}")).await,
        ["supervision.issued", "supervision.replied"]
    );
    assert_eq!(
        t.app
            .store
            .supervisions_of_court(INTERMEDIATE, true, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn an_unanswered_order_escalates_once_after_its_deadline() {
    let t = TestApp::spawn_with(Config {
        watch_worker: false,
        ..zhixing_testkit::test_config()
    })
    .await;
    let officer = t.signed_in("officer1", BASIC, Role::Officer).await;
    let sup = t.signed_in("sup1", INTERMEDIATE, Role::Supervisor).await;
    let case = file_case(&t, &officer).await;
    let mut b = order(&t, BASIC, Some(case));
    b["deadline"] = json!(in_days(&t, 2));
    let id = ok_json(
        t.post_json("/api/v1/supervisions", Some(&sup), &b).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    // On the deadline day it is still in time.
    t.clock.advance(Duration::from_secs(2 * 86400));
    assert_eq!(
        zhixing_app::oversight::supervision::escalate_overdue(&t.app)
            .await
            .unwrap(),
        0
    );
    // The day after, the watch worker's pass escalates it.
    t.clock.advance(Duration::from_secs(86400));
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    let v = t
        .get_value(&format!("/api/v1/supervisions/{id}"), Some(&sup))
        .await;
    assert_eq!(v["overdue"], true);
    assert!(v["escalated_at"].is_string());
    let alerts = t
        .get_value(&format!("/api/v1/alerts?court={INTERMEDIATE}"), Some(&sup))
        .await;
    let ours: Vec<&Value> = alerts["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "supervision_overdue")
        .collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0]["court_id"], INTERMEDIATE);
    assert_eq!(ours[0]["subject"], format!("supervision:{id}"));
    // Idempotent: a second pass escalates nothing and records nothing.
    assert_eq!(
        zhixing_app::oversight::supervision::escalate_overdue(&t.app)
            .await
            .unwrap(),
        0
    );
    let escalations = kinds_of(&t, &format!("case:{case}"))
        .await
        .into_iter()
        .filter(|k| k == "supervision.escalated")
        .count();
    assert_eq!(escalations, 1);
    // A reply clears the alert.
    ok_json(
        t.post_json(
            &format!("/api/v1/supervisions/{id}/replies"),
            Some(&officer),
            &json!({"text": "迟复，已办"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let alerts = t
        .get_value(&format!("/api/v1/alerts?court={INTERMEDIATE}"), Some(&sup))
        .await;
    assert!(
        !alerts["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["kind"] == "supervision_overdue")
    );
    let v = t
        .get_value(&format!("/api/v1/supervisions/{id}"), Some(&sup))
        .await;
    assert_eq!(v["overdue"], false);
}

#[tokio::test]
async fn refusals_carry_their_parameters_and_the_catalogue_words_them() {
    let t = TestApp::spawn().await;
    let sup = t.signed_in("sup1", INTERMEDIATE, Role::Supervisor).await;
    let yesterday = in_days(&t, -1);
    let today = in_days(&t, 0);
    let mut b = order(&t, BASIC, None);
    b["deadline"] = json!(yesterday);
    let v = assert_problem(
        t.post_json("/api/v1/supervisions", Some(&sup), &b).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "deadline_in_past",
    )
    .await;
    assert_eq!(v["params"]["deadline"], json!(yesterday));
    assert_eq!(v["params"]["today"], json!(today));
    let detail = v["detail"].as_str().unwrap();
    assert!(
        detail.contains(&yesterday) && detail.contains(&today),
        "{detail}"
    );
    // A text too long goes by the code every context shares; its words and its limit come
    // from its own reason.
    let mut b = order(&t, BASIC, None);
    b["title"] = json!("字".repeat(201));
    let v = assert_problem(
        t.post_json("/api/v1/supervisions", Some(&sup), &b).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "text_too_long",
    )
    .await;
    assert_eq!(v["reasons"][0]["code"], "oversight_text_too_long");
    assert_eq!(v["reasons"][0]["params"]["max"], 200);
    assert!(v["detail"].as_str().unwrap().contains("200"), "{v}");
}
