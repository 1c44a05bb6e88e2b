//! The case page's credit forms over plain HTTP, signed in with the session cookie as a
//! browser is: extending a listing, registering and deciding correction requests, the Chinese
//! refusals that leave everything as it was, and who sees and may post the forms.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;

const RESPONDENT_ID: &str = "110101198001010010";
const COURT: &str = "b110105";

/// A case with a person (party 2) and an organisation (party 3) as respondents, filed by
/// `officer1`; returns the app, the officer's bearer token and cookie, and the case id.
async fn setup() -> (TestApp, String, String, i64) {
    let (t, token, cookie, id) = filed().await;
    // The notice first, its periods run: every ground's listing may follow (DOMAIN §4a).
    t.notice_and_wait(&token, id).await;
    (t, token, cookie, id)
}

/// The same case just filed: no notice yet.
async fn filed() -> (TestApp, String, String, i64) {
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
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": RESPONDENT_ID},
                    {"role": "respondent", "kind": "organisation", "name": "北京某某贸易有限公司",
                     "credit_code": "91350100M000100Y43", "legal_representative": "王五"}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初9号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 1_000_000},
                "duties": ""
            }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    (t, token, cookie, id)
}

/// The case as the API shows it (its version and credit record), to prove a refused form
/// changed nothing.
async fn snapshot(t: &TestApp, token: &str, id: i64) -> (Value, Value) {
    let case = t
        .get_value(&format!("/api/v1/cases/{id}"), Some(token))
        .await;
    let credit = t
        .get_value(&format!("/api/v1/cases/{id}/credit"), Some(token))
        .await["credit"]
        .clone();
    (case["version"].clone(), credit)
}

fn plus_years(d: jiff::civil::Date, y: i64) -> String {
    d.checked_add(jiff::Span::new().years(y))
        .unwrap()
        .to_string()
}

/// The `<tr>` of a listing or correction on the page, as text.
fn row<'a>(page: &'a str, attr: &str, no: u32) -> &'a str {
    let start = page
        .find(&format!("{attr}=\"{no}\""))
        .unwrap_or_else(|| panic!("no {attr} {no} in {page}"));
    let rest = &page[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

#[tokio::test]
async fn extension_through_the_form_and_refusals_in_chinese() {
    let (t, token, cookie, id) = setup().await;
    let today = t.app.today();
    let case = format!("/cases/{id}");

    // Listed through the case page's form, on grounds 2 and 4: two years.
    let (status, location, _) = t
        .form(
            &format!("/cases/{id}/listings"),
            &cookie,
            &[
                ("party_no", "2"),
                ("g2", "on"),
                ("g4", "on"),
                ("facts", "拒不申报财产，以威胁方法抗拒执行"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, case);
    let (_, page) = t.html(&case, &cookie).await;
    let listing = row(&page, "data-listing", 1);
    assert!(listing.contains(&plus_years(today, 2)), "{listing}");
    assert!(
        listing.contains(&format!("action=\"/cases/{id}/listings/1/extension\"")),
        "{listing}"
    );
    for y in 1..=3 {
        assert!(
            listing.contains(&format!("<option value=\"{y}\">")),
            "{listing}"
        );
    }

    // Out of range, not a number, no reason: the page again, in Chinese; nothing changes.
    let before = snapshot(&t, &token, id).await;
    for (years, reason, expected) in [
        ("0", "多项失信行为，情节严重", "延长期限须为 1 至 3 年"),
        ("4", "多项失信行为，情节严重", "延长期限须为 1 至 3 年"),
        ("两", "多项失信行为，情节严重", "延长期限须为 1 至 3 年"),
        ("2", "", "理由须为 4 至 2000 个字"),
        ("2", "  严重 ", "理由须为 4 至 2000 个字"),
    ] {
        let (status, _, body) = t
            .form(
                &format!("/cases/{id}/listings/1/extension"),
                &cookie,
                &[("years", years), ("reason", reason)],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{years} {reason}");
        assert!(body.contains("id=\"credit-error\""), "{body}");
        assert!(body.contains(expected), "{years} {reason:?}: {body}");
        assert!(
            body.contains("id=\"listing-list\""),
            "the case page, not an error page"
        );
        assert_eq!(snapshot(&t, &token, id).await, before, "{years} {reason:?}");
    }

    // Two years more: the end date moves and the form goes (one extension only).
    let (status, location, _) = t
        .form(
            &format!("/cases/{id}/listings/1/extension"),
            &cookie,
            &[("years", "2"), ("reason", "多项失信行为，情节严重")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, case);
    let (_, page) = t.html(&case, &cookie).await;
    let listing = row(&page, "data-listing", 1);
    assert!(listing.contains(&plus_years(today, 4)), "{listing}");
    assert!(listing.contains("已延长 2 年"), "{listing}");
    assert!(!listing.contains("/extension"), "{listing}");
    let (_, credit) = snapshot(&t, &token, id).await;
    assert_eq!(credit["listings"][0]["ends_on"], plus_years(today, 4));
    let published = t
        .raw_text(&format!(
            "SELECT ends_on FROM credit_listings WHERE case_id = {id} AND no = 1"
        ))
        .await;
    assert_eq!(published, plus_years(today, 4), "the published row too");

    // A second extension is refused in Chinese.
    let before = snapshot(&t, &token, id).await;
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/listings/1/extension"),
            &cookie,
            &[("years", "1"), ("reason", "再次延长的理由")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("只能延长一次"), "{body}");
    assert_eq!(snapshot(&t, &token, id).await, before);

    // A ground-1 listing has no end date: no form on its row, and a posted one is refused.
    let (status, _, _) = t
        .form(
            &format!("/cases/{id}/listings"),
            &cookie,
            &[
                ("party_no", "3"),
                ("g1", "on"),
                ("facts", "有履行能力而拒不履行"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = t.html(&case, &cookie).await;
    let listing = row(&page, "data-listing", 2);
    assert!(listing.contains("履行完毕时"), "{listing}");
    assert!(!listing.contains("/extension"), "{listing}");
    let before = snapshot(&t, &token, id).await;
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/listings/2/extension"),
            &cookie,
            &[("years", "2"), ("reason", "多项失信行为，情节严重")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("没有可延长的期限"), "{body}");
    assert_eq!(snapshot(&t, &token, id).await, before);
}

#[tokio::test]
async fn corrections_registered_and_decided_through_the_forms() {
    let (t, token, cookie, id) = setup().await;
    let today = t.app.today();
    let case = format!("/cases/{id}");
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/listings"),
            Some(&token),
            &json!({"party_no": 2, "grounds": [4], "facts": "拒不申报财产"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let (_, page) = t.html(&case, &cookie).await;
    assert!(page.contains("id=\"correction-form\""), "{page}");

    // No reason: refused in Chinese, nothing registered.
    let before = snapshot(&t, &token, id).await;
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/corrections"),
            &cookie,
            &[("listing_no", "1"), ("reason", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("理由须为 4 至 4000 个字"), "{body}");
    assert_eq!(snapshot(&t, &token, id).await, before);

    // Registered: pending, with its review deadline and a decision form.
    let (status, location, _) = t
        .form(
            &format!("/cases/{id}/corrections"),
            &cookie,
            &[
                ("listing_no", "1"),
                ("reason", "本人已如实申报财产，系误列"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, case);
    let (_, credit) = snapshot(&t, &token, id).await;
    let due = credit["corrections"][0]["review_due"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(due > today.to_string());
    let (_, page) = t.html(&case, &cookie).await;
    let c1 = row(&page, "data-correction", 1);
    assert!(c1.contains("data-status=\"pending\""), "{c1}");
    assert!(
        c1.contains(&due) && c1.contains("本人已如实申报财产，系误列"),
        "{c1}"
    );
    assert!(
        c1.contains(&format!("action=\"/cases/{id}/corrections/1/decision\"")),
        "{c1}"
    );
    assert!(
        !page.contains("id=\"correction-form\""),
        "one pending request per listing"
    );

    // A second request while one is pending, and a decision without a choice: refused.
    let before = snapshot(&t, &token, id).await;
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/corrections"),
            &cookie,
            &[("listing_no", "1"), ("reason", "再次申请纠正")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("已有待审查的纠正申请"), "{body}");
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/corrections/1/decision"),
            &cookie,
            &[("reason", "经审查理由不成立")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("请选择"), "{body}");
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/corrections/1/decision"),
            &cookie,
            &[("decision", "reject"), ("reason", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("理由须为"), "{body}");
    assert_eq!(snapshot(&t, &token, id).await, before);

    // Rejected: shown with its outcome; the listing stays.
    let (status, _, _) = t
        .form(
            &format!("/cases/{id}/corrections/1/decision"),
            &cookie,
            &[
                ("decision", "reject"),
                ("reason", "财产报告与查控结果不符"),
                ("amended_facts", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = t.html(&case, &cookie).await;
    let c1 = row(&page, "data-correction", 1);
    assert!(c1.contains("data-status=\"rejected\""), "{c1}");
    assert!(
        c1.contains("驳回") && c1.contains("财产报告与查控结果不符"),
        "{c1}"
    );
    assert!(!c1.contains("<form"), "{c1}");
    assert!(row(&page, "data-listing", 1).contains("data-status=\"listed\""));

    // Upheld with new facts: the listing is amended, on the page and where it is published.
    t.form(
        &format!("/cases/{id}/corrections"),
        &cookie,
        &[("listing_no", "1"), ("reason", "失信行为表述有误")],
    )
    .await;
    let (status, _, _) = t
        .form(
            &format!("/cases/{id}/corrections/2/decision"),
            &cookie,
            &[
                ("decision", "accept"),
                ("reason", "表述确有错误"),
                ("amended_facts", "未按执行通知如实报告财产"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = t.html(&case, &cookie).await;
    assert!(row(&page, "data-correction", 2).contains("已更正失信行为"));
    let listing = row(&page, "data-listing", 1);
    assert!(
        listing.contains("未按执行通知如实报告财产") && listing.contains("data-status=\"listed\""),
        "{listing}"
    );
    let conduct = t
        .raw_text(&format!(
            "SELECT conduct FROM credit_listings WHERE case_id = {id} AND no = 1"
        ))
        .await;
    assert_eq!(conduct, "未按执行通知如实报告财产");

    // Upheld without new facts: the listing is removed, with its trigger and day.
    t.form(
        &format!("/cases/{id}/corrections"),
        &cookie,
        &[("listing_no", "1"), ("reason", "本人不应被纳入失信名单")],
    )
    .await;
    let (status, _, _) = t
        .form(
            &format!("/cases/{id}/corrections/3/decision"),
            &cookie,
            &[
                ("decision", "accept"),
                ("reason", "申报期限尚未届满，纳入有误"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = t.html(&case, &cookie).await;
    assert!(row(&page, "data-correction", 3).contains("已删除失信信息"));
    let listing = row(&page, "data-listing", 1);
    assert!(
        listing.contains("data-status=\"removed\"")
            && listing.contains(&format!("已删除（纠正申请理由成立，{today}）")),
        "{listing}"
    );
    assert!(
        !page.contains("id=\"correction-form\""),
        "nothing left to correct"
    );
    let idx = t.app.cipher.index(RESPONDENT_ID);
    assert!(
        t.app
            .store
            .listed_now("李四", &idx)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn only_handlers_of_the_court_see_and_post_the_forms() {
    let (t, token, cookie, id) = setup().await;
    let case = format!("/cases/{id}");
    for body in [
        json!({"party_no": 2, "grounds": [4], "facts": "拒不申报财产"}),
        json!({"party_no": 3, "grounds": [2], "facts": "以威胁方法抗拒执行"}),
    ] {
        let r = t
            .post_json(&format!("/api/v1/cases/{id}/listings"), Some(&token), &body)
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/corrections"),
            Some(&token),
            &json!({"listing_no": 1, "reason": "本人已如实申报财产"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let (_, page) = t.html(&case, &cookie).await;
    assert!(page.contains("class=\"extend\"") && page.contains("class=\"decide\""));
    assert!(page.contains("id=\"correction-form\""));

    // Same court, reading only; the division head of the court above (reads, never
    // handles): the page without the forms, and 403 on each.
    t.user("sup", COURT, &[Role::Supervisor]).await;
    t.user("head-above", "i1103", &[Role::DivisionHead]).await;
    // A sibling court does not even learn the case exists: 404.
    t.user("sibling", "b110101", &[Role::Officer]).await;
    let posts: [(String, Vec<(&str, &str)>); 4] = [
        (
            format!("/cases/{id}/listings/2/extension"),
            vec![("years", "2"), ("reason", "多项失信行为，情节严重")],
        ),
        // Bad input too: whoever may not act learns nothing from the form's checks.
        (
            format!("/cases/{id}/listings/2/extension"),
            vec![("years", "x"), ("reason", "")],
        ),
        (
            format!("/cases/{id}/corrections"),
            vec![("listing_no", "2"), ("reason", "本人不应被纳入")],
        ),
        (
            format!("/cases/{id}/corrections/1/decision"),
            vec![("decision", "reject"), ("reason", "经审查理由不成立")],
        ),
    ];
    let before = snapshot(&t, &token, id).await;
    for (user, status) in [
        ("sup", StatusCode::FORBIDDEN),
        ("head-above", StatusCode::FORBIDDEN),
        ("sibling", StatusCode::NOT_FOUND),
    ] {
        let c = t.page_login(user).await;
        let (got, page) = t.html(&case, &c).await;
        if status == StatusCode::FORBIDDEN {
            assert_eq!(got, StatusCode::OK, "{user} reads the case");
            assert!(page.contains("id=\"correction-list\""), "{user}");
            for form_marker in [
                "class=\"extend\"",
                "class=\"decide\"",
                "id=\"correction-form\"",
                "/extension",
                "/decision\"",
            ] {
                assert!(!page.contains(form_marker), "{user} sees {form_marker}");
            }
            assert!(page.contains("待审查"), "{user} sees the pending request");
        } else {
            assert_eq!(got, StatusCode::NOT_FOUND, "{user}");
        }
        for (path, fields) in &posts {
            let (got, _, body) = t.form(path, &c, fields).await;
            assert_eq!(got, status, "{user} {path} {fields:?}: {body}");
        }
    }
    assert_eq!(snapshot(&t, &token, id).await, before);
}

/// The credit section's refusal, as the page shows it.
fn credit_error(body: &str) -> &str {
    let start = body
        .find("id=\"credit-error\"")
        .unwrap_or_else(|| panic!("no refusal in {body}"));
    let rest = &body[start..];
    &rest[..rest.find("</div>").unwrap()]
}

#[tokio::test]
async fn a_listing_before_the_notice_or_in_a_warnings_grace_is_refused_in_chinese() {
    let (t, token, cookie, id) = filed().await;
    let case = format!("/cases/{id}");
    let (_, page) = t.html(&case, &cookie).await;
    assert!(page.contains("尚未发出执行通知书、报告财产令"), "{page}");

    // The bug report, through the form: listed on the day of filing, before any notice.
    let before = snapshot(&t, &token, id).await;
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/listings"),
            &cookie,
            &[
                ("party_no", "2"),
                ("g1", "on"),
                ("facts", "有履行能力而拒不履行"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let e = credit_error(&body);
    assert!(
        e.contains("尚未向被执行人发出执行通知书、报告财产令，不能依第 1 项情形纳入失信名单"),
        "{e}"
    );
    assert_eq!(snapshot(&t, &token, id).await, before);

    // The notice through the case page's form, with its periods; the section says when they
    // end, and a listing before then names the day.
    let (status, _, _) = t
        .form(
            &format!("/cases/{id}/act"),
            &cookie,
            &[
                ("action", "notice_issued"),
                ("perform_days", "7"),
                ("report_days", "10"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = t.html(&case, &cookie).await;
    assert!(page.contains("执行通知书 尚未送达，期间未开始"), "{page}");
    t.serve_documents(&token, id, &["enforcement_notice", "property_report_order"])
        .await;
    let until = t
        .app
        .calendar
        .last()
        .period_end(t.app.today(), 7, zhixing_domain::rules::Unit::Days)
        .unwrap()
        .to_string();
    let (_, page) = t.html(&case, &cookie).await;
    assert!(
        page.contains(&format!("{} 送达，期限至 {until}", t.app.today())),
        "{page}"
    );
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/listings"),
            &cookie,
            &[
                ("party_no", "2"),
                ("g1", "on"),
                ("facts", "有履行能力而拒不履行"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let e = credit_error(&body);
    assert!(e.contains(&format!("至 {until} 届满")), "{e}");

    // A warning from the form: the grace shows in its table, and a listing in it is refused.
    t.clock.advance(std::time::Duration::from_secs(30 * 86_400));
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/credit-warnings"),
            &cookie,
            &[("party_no", "2"), ("grace_days", "十"), ("note", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        credit_error(&body).contains("宽限期须为 1 至 365 日"),
        "{body}"
    );
    let (status, _, _) = t
        .form(
            &format!("/cases/{id}/credit-warnings"),
            &cookie,
            &[
                ("party_no", "2"),
                ("grace_days", "10"),
                ("note", "请于宽限期内履行"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let grace = t
        .app
        .calendar
        .last()
        .period_end(t.app.today(), 10, zhixing_domain::rules::Unit::Days)
        .unwrap()
        .to_string();
    let (_, page) = t.html(&case, &cookie).await;
    let w = row(&page, "data-warning", 1);
    assert!(w.contains(&grace) && w.contains("宽限期内"), "{w}");
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/listings"),
            &cookie,
            &[
                ("party_no", "2"),
                ("g1", "on"),
                ("facts", "有履行能力而拒不履行"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let e = credit_error(&body);
    assert!(
        e.contains(&format!("宽限期至 {grace} 届满，期内不予纳入失信名单")),
        "{e}"
    );
}
