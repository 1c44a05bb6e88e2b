//! The case page's everyday forms over plain HTTP, signed in with the session cookie as a
//! browser is: each builds the command its API route builds, the effect is read back through
//! the API, and a refusal comes back on the case page beside the form, in Chinese.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;

const COURT: &str = "b110105";

/// A case filed by `officer1` (applicant 1, respondent 2); the officer's token and cookie.
async fn filed(t: &TestApp) -> (String, String, i64) {
    let token = t.signed_in("officer1", COURT, Role::Officer).await;
    let cookie = t.page_login("officer1").await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&token),
            &json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初71号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 1_000_000}
            }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    (token, cookie, id)
}

async fn case(t: &TestApp, token: &str, id: i64) -> Value {
    t.get_value(&format!("/api/v1/cases/{id}"), Some(token))
        .await["case"]
        .clone()
}

#[tokio::test]
async fn an_officer_assigns_records_payment_suspends_and_registers_clues_from_the_page() {
    let t = TestApp::spawn().await;
    let (token, cookie, id) = filed(&t).await;
    let me = t
        .app
        .store
        .user_by_username("officer1")
        .await
        .unwrap()
        .unwrap()
        .id;
    let at = |p: &str| format!("/cases/{id}/{p}");

    // Assignment: the form offers the court's officers; the case then names its officer.
    let (_, page) = t.html(&format!("/cases/{id}"), &cookie).await;
    assert!(
        page.contains("id=\"assign-form\"") && page.contains("确定承办人"),
        "{page}"
    );
    let (status, location, _) = t
        .form(&at("assign"), &cookie, &[("officer_id", &me.to_string())])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.ends_with("#handling"), "{location}");
    assert_eq!(case(&t, &token, id).await["officer"][0], me);
    // Now on the officer's home page, in their queue by nearest deadline.
    let (_, home) = t.html("/home", &cookie).await;
    let queue = home.split("id=\"queue-cases\"").nth(1).unwrap();
    assert!(queue.contains(&format!("data-case=\"{id}\"")), "{queue}");
    // The same officer again: refused beside the form, in Chinese, nothing changed.
    let (status, _, body) = t
        .form(&at("assign"), &cookie, &[("officer_id", &me.to_string())])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("role=\"alert\"") && body.contains("id=\"handling\""),
        "{body}"
    );

    // A payment in yuan, recorded in fen.
    let (status, _, _) = t
        .form(
            &at("payments"),
            &cookie,
            &[("amount", "1,234.50"), ("note", "被执行人主动履行")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(case(&t, &token, id).await["paid"], 123_450);
    let (status, _, body) = t
        .form(
            &at("payments"),
            &cookie,
            &[("amount", "一千元"), ("note", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("请填写金额（元），最多两位小数"),
        "the catalogue's words"
    );
    assert_eq!(
        case(&t, &token, id).await["paid"],
        123_450,
        "nothing recorded"
    );

    // A clue, then its verification.
    let (status, _, _) = t
        .form(
            &at("clues"),
            &cookie,
            &[
                ("description", "被执行人在某银行另有账户"),
                ("urgent", "on"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let c = case(&t, &token, id).await;
    assert_eq!(c["clues"][0]["urgent"], true);
    let (status, _, _) = t
        .form(
            &at("clues/1/verify"),
            &cookie,
            &[("result", "经查询该账户余额为零")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        case(&t, &token, id).await["clues"][0]["result"],
        "经查询该账户余额为零"
    );

    // Security for performance, in yuan.
    let (status, _, _) = t
        .form(
            &at("securities"),
            &cookie,
            &[
                ("provider", "王五"),
                ("description", "以其名下房产提供担保"),
                ("value", "5000"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        case(&t, &token, id).await["securities"][0]["value"],
        500_000
    );

    // Suspension with its reason, and its end.
    let (status, _, body) = t.form(&at("suspend"), &cookie, &[("reason", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _, _) = t
        .form(
            &at("suspend"),
            &cookie,
            &[("reason", "案外人对执行标的提出异议")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(case(&t, &token, id).await["status"], "suspended");
    let (_, page) = t.html(&format!("/cases/{id}"), &cookie).await;
    assert!(page.contains("id=\"end-suspension-form\""));
    let (status, _, _) = t.form(&at("suspension-end"), &cookie, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(case(&t, &token, id).await["status"], "open");

    // A new access code for the respondent alone: shown once on its own sheet, and it works.
    let (status, _, sheet) = t.form(&at("parties/2/access-code"), &cookie, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        sheet.contains("李四") && !sheet.contains("张三"),
        "only that party"
    );
    let code = sheet
        .split("id=\"access-code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_owned();
    let number = t
        .get_value(&format!("/api/v1/cases/{id}"), Some(&token))
        .await["number"]
        .as_str()
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

    // The timeline names each step in Chinese, in Beijing time, by the officer's name; the
    // sensitive reads stay on the audit trail, counted.
    let (_, page) = t.html(&format!("/cases/{id}"), &cookie).await;
    let timeline = page.split("id=\"timeline\"").nth(1).unwrap();
    assert!(
        timeline.contains("<td>立案</td>") && timeline.contains("<td>记录履行</td>"),
        "{timeline}"
    );
    assert!(
        timeline.contains("officer1 测试") && !timeline.contains("user:"),
        "{timeline}"
    );
    assert!(!timeline.contains(">case.filed<") && !timeline.contains("查阅敏感信息</td>"));
    let minute = zhixing_app::platform::clock::beijing_minutes(jiff::Timestamp::now());
    assert!(timeline.contains(&minute[..10]), "Beijing date {minute}");

    // Someone of another court can post none of these.
    t.user("stranger", "b110108", &[Role::Officer]).await;
    let other = t.page_login("stranger").await;
    let (status, _, _) = t.form(&at("payments"), &other, &[("amount", "1")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn money_moves_through_the_account_forms_with_the_heads_approval() {
    let t = TestApp::spawn().await;
    let (token, cookie, id) = filed(&t).await;
    t.user("head1", COURT, &[Role::DivisionHead]).await;
    let head = t.page_login("head1").await;
    let at = |p: &str| format!("/cases/{id}/account/{p}");
    let today = t.app.today().to_string();

    let (status, _, _) = t
        .form(
            &at("receipts"),
            &cookie,
            &[
                ("amount", "3,000"),
                ("received_on", &today),
                ("reference", "BANK-001"),
                ("note", "主动履行"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let account = t
        .get_value(&format!("/api/v1/cases/{id}/account"), Some(&token))
        .await;
    assert_eq!(account["balance_fen"], 300_000);

    // More than the account holds: refused beside the form.
    let (status, _, body) = t
        .form(
            &at("payouts"),
            &cookie,
            &[("party_no", "1"), ("amount", "5000"), ("note", "")],
        )
        .await;
    assert!(status.is_client_error(), "{status}");
    assert!(
        body.contains("id=\"account-forms\"") && body.contains("role=\"alert\""),
        "{body}"
    );
    let (status, _, _) = t
        .form(
            &at("payouts"),
            &cookie,
            &[("party_no", "1"), ("amount", "2000"), ("note", "发放案款")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The officer cannot approve their own proposal; the head sees it in full and approves.
    let (status, _, _) = t
        .form(&at("payouts/1/decision"), &cookie, &[("approve", "true")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, page) = t.html(&format!("/cases/{id}"), &head).await;
    assert!(page.contains("待审批：向 张三 发放 ¥2,000.00"), "{page}");
    // The head's home page has it in the approvals queue, proposed by the officer by name.
    let (_, home) = t.html("/home", &head).await;
    let queue = home.split("id=\"pending-payouts\"").nth(1).unwrap();
    assert!(
        queue.contains("¥2,000.00") && queue.contains("officer1 测试") && queue.contains("张三"),
        "{queue}"
    );
    let (status, _, _) = t
        .form(
            &at("payouts/1/decision"),
            &head,
            &[("approve", "true"), ("reason", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = t
        .form(
            &at("payouts/1/paid"),
            &cookie,
            &[("transfer_reference", "TR-9")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let account = t
        .get_value(&format!("/api/v1/cases/{id}/account"), Some(&token))
        .await;
    assert_eq!(account["payouts"][0]["status"], "paid");
    let (_, page) = t.html(&format!("/cases/{id}"), &cookie).await;
    let payouts = page.split("id=\"payouts\"").nth(1).unwrap();
    assert!(
        payouts.contains("已发放") && !payouts.contains(">paid<"),
        "the status in Chinese"
    );
    assert_eq!(account["balance_fen"], 100_000);

    // Distribution of what remains among the claims.
    let (status, _, _) = t
        .form(
            &at("distribution"),
            &cookie,
            &[
                ("amount_1", "8000"),
                ("rank_1", "ordinary"),
                ("note", "参与分配"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let account = t
        .get_value(&format!("/api/v1/cases/{id}/account"), Some(&token))
        .await;
    let proposed: Vec<&Value> = account["payouts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "proposed")
        .collect();
    assert_eq!(proposed.len(), 1);
    assert_eq!(
        proposed[0]["amount_fen"], 100_000,
        "all that remained, to the one claim"
    );
}

#[tokio::test]
async fn the_case_list_pages_through_every_case_finds_part_of_a_number_and_honours_its_boxes() {
    let t = TestApp::spawn_quiet().await;
    let (token, cookie, first) = filed(&t).await;
    for i in 0..51 {
        let r = t
            .post_json(
                "/api/v1/cases",
                Some(&token),
                &json!({
                    "case_type": "执",
                    "parties": [
                        {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                        {"role": "respondent", "kind": "person", "name": format!("被执行人{i}"), "id_number": "110101198001010010"}
                    ],
                    "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院",
                              "document_number": format!("(2026)京0105民初{}号", 500 + i),
                              "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                    "amounts": {"principal": 1_000_000}
                }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let me = t
        .app
        .store
        .user_by_username("officer1")
        .await
        .unwrap()
        .unwrap()
        .id;
    let (status, _, _) = t
        .form(
            &format!("/cases/{first}/assign"),
            &cookie,
            &[("officer_id", &me.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let rows = |page: &str| page.matches("<td><a href=\"/cases/").count();

    // First visit: the officer's own (one case); the box unchecked and sent: every case.
    let (_, page) = t.html("/cases", &cookie).await;
    assert_eq!(rows(&page), 1, "{page}");
    let (_, page) = t.html("/cases?submitted=1&q=&status=", &cookie).await;
    assert_eq!(rows(&page), 50, "a page of fifty");
    let next = page
        .split("id=\"next-page\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    let (_, page2) = t.html(&next, &cookie).await;
    assert_eq!(rows(&page2), 2, "the rest: 52 in all");
    assert!(!page2.contains("id=\"next-page\""));

    // Part of a number: 执5 finds 执5 and 执50–52, nothing else.
    let (_, page) = t.html("/cases?submitted=1&q=%E6%89%A75", &cookie).await;
    assert_eq!(rows(&page), 4, "{page}");
    let (_, page) = t
        .html("/cases?submitted=1&q=%E6%89%A752%E5%8F%B7", &cookie)
        .await;
    assert_eq!(rows(&page), 1, "执52号");
}

#[tokio::test]
async fn the_open_case_page_learns_of_a_change_but_not_of_a_read_and_only_for_its_court() {
    // The watch worker's alerts are changes of the case too; off, so that only this test's
    // steps move the case.
    let t = TestApp::spawn_with(zhixing_server::Config {
        watch_worker: false,
        ..zhixing_testkit::test_config()
    })
    .await;
    let (token, cookie, id) = filed(&t).await;
    let live = |cookie: String| {
        let t = &t;
        async move {
            let r = t
                .client
                .get(t.url(&format!("/cases/{id}/live")))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            let status = r.status();
            let cache = r
                .headers()
                .get("cache-control")
                .map(|v| v.to_str().unwrap().to_owned());
            (status, cache, r.json::<Value>().await.ok())
        }
    };
    // The page carries the change it was built at; the endpoint agrees once the workers
    // that follow a filing (electronic service of the acceptance notice) are done with it.
    let mut agreed = None;
    for _ in 0..50 {
        let (_, page) = t.html(&format!("/cases/{id}"), &cookie).await;
        let (status, cache, body) = live(cookie.clone()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(cache.as_deref(), Some("no-store"));
        let seq = body.unwrap()["seq"].as_i64().unwrap();
        assert!(seq > 0);
        let mark = page
            .split("data-seen=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|n| n.parse::<i64>().ok())
            .expect("the page's mark");
        assert!(mark <= seq, "never ahead of the case");
        if mark == seq {
            agreed = Some(seq);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let seen = agreed.expect("the page's mark is the case's newest change");
    // Reading the case (even its sensitive fields) is no change.
    let _ = t
        .get_value(&format!("/api/v1/cases/{id}/timeline"), Some(&token))
        .await;
    let (_, _, again) = live(cookie.clone()).await;
    assert_eq!(again.unwrap()["seq"].as_i64().unwrap(), seen);
    // A change moves it.
    let (status, _, _) = t
        .form(
            &format!("/cases/{id}/clues"),
            &cookie,
            &[("description", "被执行人在某银行开有账户")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, moved) = live(cookie.clone()).await;
    assert!(moved.unwrap()["seq"].as_i64().unwrap() > seen);
    // An officer of another court learns nothing of the case, not even that it exists.
    t.user("officer-hd", "b110108", &[Role::Officer]).await;
    let other = t.page_login("officer-hd").await;
    let (status, _, _) = live(other).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_name_with_the_letter_zhi_is_found_as_a_name() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("officer1", COURT, Role::Officer).await;
    let cookie = t.page_login("officer1").await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&token),
            &json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "张执中", "id_number": "110101198001010010"}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初72号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 1_000_000}
            }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // 执 reads as a piece of a case number first; no number holds 张执中, so it is a name.
    let (_, page) = t
        .html("/cases?submitted=1&q=%E5%BC%A0%E6%89%A7%E4%B8%AD", &cookie)
        .await;
    assert!(page.contains(&format!("href=\"/cases/{id}\"")), "{page}");
    // A piece of a number still finds by number.
    let (_, page) = t.html("/cases?submitted=1&q=%E6%89%A71", &cookie).await;
    assert!(page.contains(&format!("href=\"/cases/{id}\"")), "{page}");
}
