//! Entrusted tasks between courts (事项委托) over real HTTP: a Beijing court asks a Hebei court
//! to do one act on its case; the last day comes from the rule book in working days; the
//! receiving court accepts or declines and returns the result with documents, seeing only what
//! the task needs; overdue tasks alert both courts; every step is an audited event on the
//! case's timeline.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use zhixing_domain::access::Role;
use zhixing_server::Config;
use zhixing_testkit::{TestApp, assert_problem};

const FROM: &str = "b110105";
const TO: &str = "b130102";

async fn file_case(t: &TestApp, token: &str) -> i64 {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初9号",
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(token), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

fn pdf() -> Vec<u8> {
    let mut b = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    b.extend((0..3000u32).map(|i| (i * 7 % 251) as u8));
    b.extend_from_slice(b"\n%%EOF\n");
    b
}

fn task(act: &str) -> Value {
    json!({
        "to_court": TO,
        "act": act,
        "target": "李四名下石家庄某银行账户 6222****1234",
        "instructions": "冻结金额以 10,000 元为限",
    })
}

fn result_form(text: &str, docs: Vec<(&str, Vec<u8>)>) -> Form {
    let mut f = Form::new().text("result", text.to_owned());
    for (name, bytes) in docs {
        f = f.part(
            "document",
            Part::bytes(bytes)
                .file_name(name.to_owned())
                .mime_str("application/octet-stream")
                .unwrap(),
        );
    }
    f
}

async fn post_result(t: &TestApp, token: &str, id: i64, form: Form) -> reqwest::Response {
    t.client
        .post(t.url(&format!("/api/v1/entrusted-tasks/{id}/result")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn ok_json(r: reqwest::Response, status: StatusCode) -> Value {
    let s = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(s, status, "{v}");
    v
}

async fn timeline_kinds(t: &TestApp, token: &str, case: i64) -> Vec<String> {
    t.get_value(&format!("/api/v1/cases/{case}/timeline"), Some(token))
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .filter(|k| k.starts_with("entrusted."))
        .collect()
}

/// 10:00 in Beijing on a day.
fn beijing_morning(day: &str) -> jiff::Timestamp {
    format!("{day}T02:00:00Z").parse().unwrap()
}

#[tokio::test]
async fn a_task_is_accepted_done_and_returned_with_documents() {
    let t = TestApp::spawn().await;
    // Tuesday 29 September 2026, before the National Day holiday.
    t.clock.set(beijing_morning("2026-09-29"));
    let officer = t.signed_in("officer1", FROM, Role::Officer).await;
    let receiver = t.signed_in("officer-hb", TO, Role::Officer).await;
    let case = file_case(&t, &officer).await;

    let v = ok_json(
        t.post_json(
            &format!("/api/v1/cases/{case}/entrusted-tasks"),
            Some(&officer),
            &task("freeze"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = v["id"].as_i64().unwrap();
    assert_eq!(v["status"], "requested");
    assert_eq!(v["act"], "freeze");
    assert_eq!(v["act_zh"], "冻结");
    assert_eq!(v["requested_on"], "2026-09-29");
    // commission.task: 10 working days, the request day not counted, by the 2026 calendar:
    // 30 Sep; the holiday to 7 Oct; 8, 9, 10 (a Saturday made a working day), 12–16, 19.
    assert_eq!(v["due_on"], "2026-10-19");
    assert_eq!(v["case_id"], case);

    // The receiving court's inbox shows what the task needs and nothing of the case itself.
    let inbox = t
        .get_value(
            "/api/v1/entrusted-tasks?direction=received",
            Some(&receiver),
        )
        .await;
    let got = &inbox[0];
    assert_eq!(got["id"], id);
    assert!(got["case_number"].as_str().unwrap().contains("京0105执"));
    assert!(got["case_id"].is_null());
    assert_eq!(got["respondents"][0]["name"], "李四");
    let masked = got["respondents"][0]["identifier"].as_str().unwrap();
    assert_ne!(masked, "110101198001010010");
    assert!(masked.contains('*'), "masked: {masked}");
    assert!(!got.to_string().contains("张三"), "no applicant data");
    assert!(!got.to_string().contains("110101198001010010"));
    for path in [
        format!("/api/v1/cases/{case}"),
        format!("/api/v1/cases/{case}/timeline"),
        format!("/api/v1/cases/{case}/entrusted-tasks"),
    ] {
        assert_problem(
            t.get(&path, Some(&receiver)).await,
            StatusCode::NOT_FOUND,
            "case_not_found",
        )
        .await;
    }
    let sent = t
        .get_value("/api/v1/entrusted-tasks?direction=sent", Some(&officer))
        .await;
    assert_eq!(sent[0]["id"], id);

    // Returning a result before accepting is refused.
    assert_problem(
        post_result(
            &t,
            &receiver,
            id,
            result_form("已冻结", vec![("a.pdf", pdf())]),
        )
        .await,
        StatusCode::CONFLICT,
        "task_not_accepted",
    )
    .await;
    let v = ok_json(
        t.post_json(
            &format!("/api/v1/entrusted-tasks/{id}/acceptance"),
            Some(&receiver),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["status"], "accepted");
    assert_problem(
        t.post_json(
            &format!("/api/v1/entrusted-tasks/{id}/acceptance"),
            Some(&receiver),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "task_already_answered",
    )
    .await;

    let doc = pdf();
    let v = ok_json(
        post_result(
            &t,
            &receiver,
            id,
            result_form(
                "已冻结 10,000 元，期限一年",
                vec![("冻结裁定回执.pdf", doc.clone())],
            ),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["status"], "completed");
    assert_eq!(v["result"], "已冻结 10,000 元，期限一年");
    let sha = hex::encode(Sha256::digest(&doc));
    assert_eq!(v["documents"][0]["sha256"], sha);
    assert_problem(
        post_result(
            &t,
            &receiver,
            id,
            result_form("再次", vec![("a.pdf", pdf())]),
        )
        .await,
        StatusCode::CONFLICT,
        "task_finished",
    )
    .await;

    // The entrusting court sees it on its case and downloads the document byte for byte.
    let on_case = t
        .get_value(
            &format!("/api/v1/cases/{case}/entrusted-tasks"),
            Some(&officer),
        )
        .await;
    assert_eq!(on_case[0]["status"], "completed");
    let url = on_case[0]["documents"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = t.get(&url, Some(&officer)).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.headers()["x-content-sha256"].to_str().unwrap(), sha);
    assert_eq!(r.bytes().await.unwrap().to_vec(), doc);
    assert_eq!(t.get(&url, Some(&receiver)).await.status(), StatusCode::OK);
    let stranger = t.signed_in("officer-x", "b110108", Role::Officer).await;
    assert_problem(
        t.get(&url, Some(&stranger)).await,
        StatusCode::NOT_FOUND,
        "document_not_found",
    )
    .await;

    // Every step on the case's timeline; the receiving court's steps carry its court.
    assert_eq!(
        timeline_kinds(&t, &officer, case).await,
        [
            "entrusted.requested",
            "entrusted.accepted",
            "entrusted.completed"
        ]
    );
    let events = t
        .app
        .store
        .case_timeline(case)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.starts_with("entrusted."))
        .collect::<Vec<_>>();
    assert_eq!(events[0].court_id.as_deref(), Some(FROM));
    assert_eq!(events[1].court_id.as_deref(), Some(TO));
    let completed: Value = serde_json::from_str(&events[2].payload).unwrap();
    assert_eq!(completed["documents"][0]["sha256"], sha);
}

#[tokio::test]
async fn a_task_may_be_declined_with_a_reason() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", FROM, Role::Officer).await;
    let receiver = t.signed_in("head-hb", TO, Role::DivisionHead).await;
    let case = file_case(&t, &officer).await;
    let id = ok_json(
        t.post_json(
            &format!("/api/v1/cases/{case}/entrusted-tasks"),
            Some(&officer),
            &task("serve"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    assert_problem(
        t.post_json(
            &format!("/api/v1/entrusted-tasks/{id}/decline"),
            Some(&receiver),
            &json!({"reason": "  "}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "empty_text",
    )
    .await;
    let v = ok_json(
        t.post_json(
            &format!("/api/v1/entrusted-tasks/{id}/decline"),
            Some(&receiver),
            &json!({"reason": "受送达人地址不在本院辖区"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["status"], "declined");
    assert_eq!(v["decline_reason"], "受送达人地址不在本院辖区");
    assert_problem(
        t.post_json(
            &format!("/api/v1/entrusted-tasks/{id}/acceptance"),
            Some(&receiver),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "task_already_answered",
    )
    .await;
    assert_eq!(
        timeline_kinds(&t, &officer, case).await,
        ["entrusted.requested", "entrusted.declined"]
    );
}

#[tokio::test]
async fn who_may_request_and_who_may_answer() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", FROM, Role::Officer).await;
    let sup = t.signed_in("sup1", FROM, Role::Supervisor).await;
    let elsewhere = t.signed_in("officer-x", "b110108", Role::Officer).await;
    let receiver_auditor = t.signed_in("aud-hb", TO, Role::Auditor).await;
    let receiver_sibling = t.signed_in("officer-xj", "b130181", Role::Officer).await;
    let case = file_case(&t, &officer).await;
    let path = format!("/api/v1/cases/{case}/entrusted-tasks");
    // A supervisor of the court reads the case but does not handle it.
    assert_problem(
        t.post_json(&path, Some(&sup), &task("freeze")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // Another court's officer does not learn the case exists.
    assert_problem(
        t.post_json(&path, Some(&elsewhere), &task("freeze")).await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
    let id = ok_json(
        t.post_json(&path, Some(&officer), &task("seal")).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let accept = format!("/api/v1/entrusted-tasks/{id}/acceptance");
    // The entrusting court does not answer its own request; nor does a reader who is not an
    // officer of the receiving court.
    for tok in [&officer, &receiver_auditor] {
        assert_problem(
            t.post_json(&accept, Some(tok), &json!({})).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_problem(
        post_result(&t, &officer, id, result_form("x", vec![("a.pdf", pdf())])).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // A court that is neither side sees nothing.
    for tok in [&elsewhere, &receiver_sibling] {
        assert_problem(
            t.get(&format!("/api/v1/entrusted-tasks/{id}"), Some(tok))
                .await,
            StatusCode::NOT_FOUND,
            "task_not_found",
        )
        .await;
        assert_problem(
            t.post_json(&accept, Some(tok), &json!({})).await,
            StatusCode::NOT_FOUND,
            "task_not_found",
        )
        .await;
    }
    assert_problem(
        t.get(
            &format!("/api/v1/entrusted-tasks?court={TO}"),
            Some(&elsewhere),
        )
        .await,
        StatusCode::NOT_FOUND,
        "court_not_found",
    )
    .await;
}

#[tokio::test]
async fn bad_requests_and_bad_uploads_are_refused_with_a_code() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", FROM, Role::Officer).await;
    let receiver = t.signed_in("officer-hb", TO, Role::Officer).await;
    let case = file_case(&t, &officer).await;
    let path = format!("/api/v1/cases/{case}/entrusted-tasks");
    assert_problem(
        t.post_json(&path, Some(&officer), &task("auction")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_act",
    )
    .await;
    let mut b = task("freeze");
    b["to_court"] = json!("b999999");
    assert_problem(
        t.post_json(&path, Some(&officer), &b).await,
        StatusCode::NOT_FOUND,
        "court_not_found",
    )
    .await;
    b["to_court"] = json!(FROM);
    assert_problem(
        t.post_json(&path, Some(&officer), &b).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "same_court",
    )
    .await;
    let mut b = task("freeze");
    b["target"] = json!("");
    assert_problem(
        t.post_json(&path, Some(&officer), &b).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "empty_text",
    )
    .await;
    assert_problem(
        t.get("/api/v1/entrusted-tasks?direction=up", Some(&officer))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_direction",
    )
    .await;
    assert!(
        t.get_value(&path, Some(&officer))
            .await
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing stored"
    );

    let id = ok_json(
        t.post_json(&path, Some(&officer), &task("investigate"))
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    ok_json(
        t.post_json(
            &format!("/api/v1/entrusted-tasks/{id}/acceptance"),
            Some(&receiver),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    // No documents, an empty one, one that is not a document, one too large, an empty text.
    assert_problem(
        post_result(&t, &receiver, id, result_form("已调查", vec![])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "documents_required",
    )
    .await;
    assert_problem(
        post_result(
            &t,
            &receiver,
            id,
            result_form("已调查", vec![("a.pdf", vec![])]),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "empty_document",
    )
    .await;
    assert_problem(
        post_result(
            &t,
            &receiver,
            id,
            result_form("已调查", vec![("a.pdf", b"just text, not a PDF".to_vec())]),
        )
        .await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_attachment",
    )
    .await;
    let mut big = pdf();
    big.resize(10 * 1024 * 1024 + 1, 0);
    assert_problem(
        post_result(
            &t,
            &receiver,
            id,
            result_form("已调查", vec![("big.pdf", big)]),
        )
        .await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "attachment_too_large",
    )
    .await;
    assert_problem(
        post_result(&t, &receiver, id, result_form(" ", vec![("a.pdf", pdf())])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "empty_text",
    )
    .await;
    let r = t
        .client
        .post(t.url(&format!("/api/v1/entrusted-tasks/{id}/result")))
        .bearer_auth(&receiver)
        .json(&json!({"result": "x"}))
        .send()
        .await
        .unwrap();
    assert_problem(
        r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    // None of it was stored: still accepted, no document, no completion event.
    let v = t
        .get_value(&format!("/api/v1/entrusted-tasks/{id}"), Some(&receiver))
        .await;
    assert_eq!(v["status"], "accepted");
    assert!(v["documents"].as_array().unwrap().is_empty());
    assert_eq!(
        timeline_kinds(&t, &officer, case).await,
        ["entrusted.requested", "entrusted.accepted"]
    );
}

#[tokio::test]
async fn an_overdue_task_alerts_both_courts_once() {
    let t = TestApp::spawn_with(Config {
        watch_worker: false,
        ..zhixing_testkit::test_config()
    })
    .await;
    t.clock.set(beijing_morning("2026-09-29"));
    let officer = t.signed_in("officer1", FROM, Role::Officer).await;
    let receiver = t.signed_in("officer-hb", TO, Role::Officer).await;
    let case = file_case(&t, &officer).await;
    let id = ok_json(
        t.post_json(
            &format!("/api/v1/cases/{case}/entrusted-tasks"),
            Some(&officer),
            &task("deduct"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    // The last day (19 October) is still in time.
    t.clock.set(beijing_morning("2026-10-19"));
    assert_eq!(
        zhixing_app::oversight::entrusted::flag_overdue(&t.app)
            .await
            .unwrap(),
        0
    );
    t.clock.set(beijing_morning("2026-10-20"));
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    let ours = |v: Value| -> Vec<Value> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["kind"] == "entrusted_overdue")
            .cloned()
            .collect()
    };
    let at_from = ours(t.get_value("/api/v1/alerts", Some(&officer)).await);
    assert_eq!(at_from.len(), 1);
    assert_eq!(at_from[0]["case_id"], case);
    let at_to = ours(t.get_value("/api/v1/alerts", Some(&receiver)).await);
    assert_eq!(at_to.len(), 1);
    assert_eq!(at_to[0]["court_id"], TO);
    assert!(
        at_to[0]["case_id"].is_null(),
        "no case link for the receiver"
    );
    let v = t
        .get_value(&format!("/api/v1/entrusted-tasks/{id}"), Some(&receiver))
        .await;
    assert_eq!(v["overdue"], true);
    // Idempotent.
    assert_eq!(
        zhixing_app::oversight::entrusted::flag_overdue(&t.app)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        timeline_kinds(&t, &officer, case).await,
        ["entrusted.requested", "entrusted.overdue"]
    );
    // Finishing the task clears both alerts.
    ok_json(
        t.post_json(
            &format!("/api/v1/entrusted-tasks/{id}/acceptance"),
            Some(&receiver),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    ok_json(
        post_result(
            &t,
            &receiver,
            id,
            result_form("已扣划", vec![("r.pdf", pdf())]),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(ours(t.get_value("/api/v1/alerts", Some(&officer)).await).is_empty());
    assert!(ours(t.get_value("/api/v1/alerts", Some(&receiver)).await).is_empty());
    t.clock.advance(Duration::from_secs(86400));
    assert_eq!(
        zhixing_app::oversight::entrusted::flag_overdue(&t.app)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn the_case_page_lists_the_case_orders_and_tasks() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", FROM, Role::Officer).await;
    t.user("officer-hb", TO, &[Role::Officer]).await;
    let sup = t.signed_in("sup-i", "i1103", Role::Supervisor).await;
    let case = file_case(&t, &officer).await;
    ok_json(
        t.post_json(
            &format!("/api/v1/cases/{case}/entrusted-tasks"),
            Some(&officer),
            &task("freeze"),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let deadline = t
        .app
        .today()
        .checked_add(jiff::Span::new().days(3))
        .unwrap()
        .to_string();
    ok_json(
        t.post_json(
            "/api/v1/supervisions",
            Some(&sup),
            &json!({"court": FROM, "case_id": case, "title": "督促冻结到位",
                    "instructions": "请报告冻结进展", "deadline": deadline}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let cookie = t.page_login("officer1").await;
    let (status, html) = t.html(&format!("/cases/{case}"), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("督办与事项委托"));
    assert!(html.contains("督促冻结到位"));
    assert!(html.contains("data-entrusted-task"));
    assert!(html.contains("待接收"));
    // The receiving court's officer does not get the case page.
    let cookie = t.page_login("officer-hb").await;
    let (status, _) = t.html(&format!("/cases/{case}"), &cookie).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
