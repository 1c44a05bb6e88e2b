//! The public list pages over HTTP: 法院公告 (`/public/announcements`) and the 终本 list
//! (`/public/zhongben`) list what their JSON lists, filter, search and page, mask what the JSON
//! masks, are linked from `/public` and share its rate limit.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem, test_config};

const APPLICANT_ID: &str = "11010519491231002X";
const RESPONDENT_ID: &str = "110101198001010010";
const CREDIT_CODE: &str = "91350100M000100Y43";

async fn html(t: &TestApp, path: &str) -> (StatusCode, String) {
    let r = t.get(path, None).await;
    let status = r.status();
    (status, r.text().await.unwrap())
}

/// The `href` of the element with this id, unescaped.
fn href_of(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let start = at + html[at..].find("href=\"")? + 6;
    let end = start + html[start..].find('"')?;
    Some(html[start..end].replace("&amp;", "&"))
}

async fn post(t: &TestApp, token: &str, title: &str, body: &str) -> i64 {
    let r = t
        .post_json(
            "/api/v1/announcements",
            Some(token),
            &json!({"title": title, "body": body}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    v["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_public_index_links_both_lists() {
    let t = TestApp::spawn().await;
    let (s, page) = html(&t, "/public").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("href=\"/public/announcements\""), "{page}");
    assert!(page.contains("href=\"/public/zhongben\""), "{page}");
    for path in ["/public/announcements", "/public/zhongben"] {
        let (s, page) = html(&t, path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(page.contains("id=\"no-results\""), "{path}: {page}");
    }
}

#[tokio::test]
async fn the_list_pages_share_the_public_rate_limit() {
    let t = TestApp::spawn_with(zhixing_server::Config {
        public_rate_per_minute: 1,
        public_burst: 2,
        ..test_config()
    })
    .await;
    assert_eq!(
        t.get("/public/announcements", None).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        t.get("/public/zhongben", None).await.status(),
        StatusCode::OK
    );
    // A page answers a person with a page that says how long to wait.
    let r = t.get("/public/zhongben", None).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    let page = r.text().await.unwrap();
    assert!(
        page.contains("访问过于频繁") && page.contains("rate_limited"),
        "{page}"
    );
    assert_eq!(
        t.get("/public/announcements/1", None).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn announcements_page_by_court_title_and_page() {
    let t = TestApp::spawn().await;
    // 05:41 UTC is 13:41 in Beijing.
    t.clock.set("2026-12-02T05:41:00Z".parse().unwrap());
    let chaoyang = t.signed_in("officer1", "b110105", Role::Officer).await;
    let dongcheng = t.signed_in("officer2", "b110101", Role::Officer).await;
    let spring = post(
        &t,
        &chaoyang,
        "关于春节期间执行工作的公告",
        "第一段。\n第二段 <b>不加粗</b>。",
    )
    .await;
    t.clock.advance(Duration::from_secs(60));
    let other = post(&t, &dongcheng, "东城法院悬赏公告", "悬赏正文").await;
    t.clock.advance(Duration::from_secs(60));
    post(&t, &chaoyang, "<script>alert(1)</script>", "x").await;

    // The page lists what the JSON lists, newest first, in Beijing time.
    let json = t.get_value("/public/v1/announcements", None).await;
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let (s, page) = html(&t, "/public/announcements").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page.matches("class=\"announcement\"").count(), 3);
    assert!(page.contains("2026-12-02 13:41"), "{page}");
    assert!(page.contains("2026-12-02 13:43"), "{page}");
    assert!(!page.contains("<script>alert(1)"), "escaped");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let mut last = 0;
    for it in items {
        let at = page
            .find(&format!("/public/announcements/{}", it["id"]))
            .unwrap_or_else(|| panic!("{it} not on the page"));
        assert!(at > last, "newest first, as the JSON");
        last = at;
        assert!(page.contains(it["court_name"].as_str().unwrap()));
    }
    // The courts that posted are the filter's choices.
    assert!(page.contains("<option value=\"b110101\""), "{page}");

    // By court: the page and the JSON.
    let (_, page) = html(&t, "/public/announcements?court=b110101").await;
    assert_eq!(page.matches("class=\"announcement\"").count(), 1);
    assert!(page.contains("东城法院悬赏公告"));
    assert!(
        page.contains("<option value=\"b110101\" selected"),
        "{page}"
    );
    let v = t
        .get_value("/public/v1/announcements?court_id=b110101", None)
        .await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    assert_eq!(v["items"][0]["id"], other);

    // By a part of the title; LIKE's wildcards are only themselves.
    let (_, page) = html(&t, "/public/announcements?q=%E6%98%A5%E8%8A%82").await;
    assert_eq!(page.matches("class=\"announcement\"").count(), 1);
    assert!(page.contains("关于春节期间执行工作的公告"));
    let v = t.get_value("/public/v1/announcements?q=%25", None).await;
    assert!(v["items"].as_array().unwrap().is_empty(), "{v}");
    let (_, page) = html(&t, "/public/announcements?q=_").await;
    assert!(page.contains("id=\"no-results\""));

    // A search text is bounded.
    let long = "长".repeat(65);
    assert_problem(
        t.get(&format!("/public/v1/announcements?q={long}"), None)
            .await,
        StatusCode::BAD_REQUEST,
        "search_too_long",
    )
    .await;
    let (s, page) = html(&t, &format!("/public/announcements?q={long}")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(page.contains("id=\"search-error\""));

    // The full text.
    let (s, page) = html(&t, &format!("/public/announcements/{spring}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("第一段。\n第二段 &lt;b&gt;不加粗&lt;/b&gt;。"),
        "{page}"
    );
    assert!(page.contains("2026-12-02 13:41"));
    let (s, _) = html(&t, "/public/announcements/999999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Paging: 20 to a page, the next link carries the filter on.
    for i in 0..20 {
        post(&t, &chaoyang, &format!("朝阳公告第{i}号"), "正文").await;
    }
    let (_, page) = html(&t, "/public/announcements?court=b110105").await;
    assert_eq!(page.matches("class=\"announcement\"").count(), 20);
    assert!(page.contains("朝阳公告第19号"));
    assert!(!page.contains("关于春节期间执行工作的公告"));
    let next = href_of(&page, "next-page").expect("a next page");
    assert!(next.contains("court=b110105"), "{next}");
    let (_, page2) = html(&t, &next).await;
    assert_eq!(page2.matches("class=\"announcement\"").count(), 2);
    assert!(page2.contains("关于春节期间执行工作的公告"));
    assert!(!page2.contains("东城法院悬赏公告"), "still one court");
    assert!(href_of(&page2, "next-page").is_none());
    assert!(href_of(&page2, "first-page").is_some());
    // The JSON's page is bounded.
    let v = t
        .get_value("/public/v1/announcements?limit=100000", None)
        .await;
    assert_eq!(v["items"].as_array().unwrap().len(), 23);
}

fn filing(doc: &str, respondent: &str) -> Value {
    json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": APPLICANT_ID},
            {"role": "respondent", "kind": "person", "name": respondent, "id_number": RESPONDENT_ID},
            {"role": "respondent", "kind": "organisation", "name": "北京某某贸易有限公司", "credit_code": CREDIT_CODE, "legal_representative": "王五"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 12_000_000, "interest": 300_000, "costs": 45_000},
        "duties": ""
    })
}

/// Files a case and closes it by 终本 (the closure itself is tested in closure.rs; here only
/// the row's state matters to the list): its number.
async fn terminated(t: &TestApp, token: &str, doc: &str, respondent: &str) -> String {
    let r = t
        .post_json("/api/v1/cases", Some(token), &filing(doc, respondent))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let id = v["id"].as_i64().unwrap();
    t.raw_exec(&format!(
        "UPDATE cases SET status = 'closed', closure_mode = 'zhongben', closed_on = '2026-06-30' WHERE id = {id}"
    ))
    .await;
    v["number"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_zhongben_page_searches_pages_and_masks() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let first = terminated(&t, &officer, "(2026)京0105民初1号", "李四").await;
    let second = terminated(&t, &officer, "(2026)京0105民初2号", "赵六").await;
    // An open case is not on the list.
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &filing("(2026)京0105民初3号", "钱七"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let json = t.get_value("/public/v1/terminated-cases", None).await;
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let (s, page) = html(&t, "/public/zhongben").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page.matches("class=\"terminated\"").count(), 2);
    for it in items {
        assert!(page.contains(it["number"].as_str().unwrap()));
        assert!(page.contains(it["court_name"].as_str().unwrap()));
        for r in it["respondents"].as_array().unwrap() {
            assert!(page.contains(r["name"].as_str().unwrap()));
            // Exactly the JSON's mask.
            assert!(
                page.contains(&format!(
                    "<span class=\"id-masked code\">{}</span>",
                    r["id_masked"].as_str().unwrap()
                )),
                "{r}"
            );
        }
    }
    assert!(page.contains("¥123,450.00"), "{page}");
    assert!(page.contains("2026-06-30"));
    for secret in [
        APPLICANT_ID,
        RESPONDENT_ID,
        CREDIT_CODE,
        "张三",
        "钱七",
        "王五",
    ] {
        assert!(!page.contains(secret), "{secret} published: {page}");
    }
    assert!(page.find(&second).unwrap() < page.find(&first).unwrap());

    // By any part of the case number, full-width brackets as typed.
    let part: String = first.chars().skip_while(|c| *c != '执').collect::<String>();
    assert!(part.starts_with('执') && part.len() > 3, "{part}");
    let (_, page) = html(&t, &format!("/public/zhongben?number={part}")).await;
    assert_eq!(page.matches("class=\"terminated\"").count(), 1, "{page}");
    assert!(page.contains(&first));
    let fullwidth = first.replace('(', "（").replace(')', "）");
    let (_, page) = html(&t, &format!("/public/zhongben?number={fullwidth}")).await;
    assert_eq!(page.matches("class=\"terminated\"").count(), 1, "{page}");
    let v = t
        .get_value(&format!("/public/v1/terminated-cases?number={part}"), None)
        .await;
    assert_eq!(v["items"][0]["number"], first.as_str());
    assert_eq!(v["items"].as_array().unwrap().len(), 1);

    // By a respondent's name, and both together.
    let (_, page) = html(&t, "/public/zhongben?name=赵").await;
    assert_eq!(page.matches("class=\"terminated\"").count(), 1);
    assert!(page.contains(&second));
    let (_, page) = html(&t, "/public/zhongben?name=某某贸易").await;
    assert_eq!(page.matches("class=\"terminated\"").count(), 2);
    let (_, page) = html(&t, &format!("/public/zhongben?name=赵六&number={part}")).await;
    assert!(page.contains("id=\"no-results\""));
    // Not the applicant, not a legal representative, not an open case.
    for name in ["张三", "王五", "钱七"] {
        let v = t
            .get_value(&format!("/public/v1/terminated-cases?name={name}"), None)
            .await;
        assert!(v["items"].as_array().unwrap().is_empty(), "{name}: {v}");
    }
    // An ID number is not a search key: nothing, and nothing unmasked.
    let (s, page) = html(&t, &format!("/public/zhongben?name={RESPONDENT_ID}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("id=\"no-results\""));
    assert_eq!(page.matches(RESPONDENT_ID).count(), 1, "only in the form");
    let long = "长".repeat(65);
    let (s, page) = html(&t, &format!("/public/zhongben?name={long}")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(page.contains("id=\"search-error\""));
    assert_problem(
        t.get(&format!("/public/v1/terminated-cases?number={long}"), None)
            .await,
        StatusCode::BAD_REQUEST,
        "search_too_long",
    )
    .await;

    // Paging: 20 to a page, the search carried on.
    for i in 0..19 {
        terminated(
            &t,
            &officer,
            &format!("(2026)京0105民初{}号", 10 + i),
            "孙八",
        )
        .await;
    }
    let (_, page) = html(&t, "/public/zhongben?name=某某").await;
    assert_eq!(page.matches("class=\"terminated\"").count(), 20);
    assert!(!page.contains(&first), "the oldest is on page two");
    let next = href_of(&page, "next-page").expect("a next page");
    assert!(next.contains("name="), "{next}");
    let (_, page2) = html(&t, &next).await;
    assert_eq!(page2.matches("class=\"terminated\"").count(), 1);
    assert!(page2.contains(&first));
    assert!(href_of(&page2, "next-page").is_none());
}
