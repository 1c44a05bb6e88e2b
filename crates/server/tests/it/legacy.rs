//! The legacy XML adapter (旧系统适配) over real HTTP against the institution simulator: an XML
//! request gives the same investigation as the JSON route, under the same authorization, and
//! every bad request is a clear 4xx in XML that stores nothing.

use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;
use zhixing_testkit::sim::{register_all, sim, wait_until_answered};

const PATH: &str = "/api/v1/legacy/investigation-requests";

/// Files a case with two respondents; returns (id, case number).
async fn file(t: &TestApp, token: &str, doc: &str) -> (i64, String) {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"},
            {"role": "respondent", "kind": "person", "name": "王五", "id_number": "110101199001010015"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc, "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 5_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(token), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    (
        v["id"].as_i64().unwrap(),
        v["number"].as_str().unwrap().to_owned(),
    )
}

fn request(number: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CKQQ version=\"1.0\">\n  <AH>{number}</AH>\n  <QQLX>CX</QQLX>\n</CKQQ>\n"
    )
}

async fn post_xml(t: &TestApp, token: Option<&str>, body: impl Into<String>) -> reqwest::Response {
    let mut r = t
        .client
        .post(t.url(PATH))
        .header("content-type", "application/xml")
        .body(body.into());
    if let Some(token) = token {
        r = r.bearer_auth(token);
    }
    r.send().await.unwrap()
}

#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(rename = "@version")]
    version: String,
    #[serde(rename = "ZT")]
    status: String,
    #[serde(rename = "DCID")]
    investigation: Option<i64>,
    #[serde(rename = "XXS")]
    messages: Option<usize>,
    #[serde(rename = "DM")]
    code: Option<String>,
    #[serde(rename = "XX")]
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
struct StatusDoc {
    #[serde(rename = "DCID")]
    investigation: i64,
    #[serde(rename = "AH")]
    case_number: String,
    #[serde(rename = "XXS")]
    messages: i64,
    #[serde(rename = "YHF")]
    replied: usize,
    #[serde(rename = "DDF")]
    pending: usize,
    #[serde(rename = "SB")]
    failed: usize,
    #[serde(rename = "JGLB")]
    institutions: InstitutionList,
}

#[derive(Debug, Deserialize)]
struct InstitutionList {
    #[serde(rename = "JG", default)]
    items: Vec<Institution>,
}

#[derive(Debug, Deserialize)]
struct Institution {
    #[serde(rename = "JGID")]
    id: String,
    #[serde(rename = "ZT")]
    status: String,
    #[serde(rename = "XXS")]
    messages: usize,
    #[serde(rename = "YHF")]
    replied: usize,
}

/// Reads an XML answer, checking its status and content type.
async fn xml_body(r: reqwest::Response, status: StatusCode) -> String {
    assert_eq!(r.status(), status);
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/xml")
    );
    let text = r.text().await.unwrap();
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{text}"
    );
    text
}

/// Asserts an XML refusal with this status and code; returns its message.
async fn assert_refused(r: reqwest::Response, status: StatusCode, code: &str) -> String {
    let text = xml_body(r, status).await;
    let a: Answer = quick_xml::de::from_str(&text).unwrap();
    assert_eq!(
        (a.status.as_str(), a.code.as_deref()),
        ("CW", Some(code)),
        "{text}"
    );
    let message = a.message.unwrap();
    assert!(!message.is_empty());
    message
}

async fn status_of(t: &TestApp, token: &str, inv: i64) -> StatusDoc {
    let r = t.get(&format!("{PATH}/{inv}"), Some(token)).await;
    quick_xml::de::from_str(&xml_body(r, StatusCode::OK).await).unwrap()
}

async fn json_investigation(t: &TestApp, token: &str, case: i64, inv: i64) -> Value {
    t.get(
        &format!("/api/v1/cases/{case}/investigations/{inv}"),
        Some(token),
    )
    .await
    .json()
    .await
    .unwrap()
}

async fn count(t: &TestApp, table: &str) -> i64 {
    t.raw_text(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}"))
        .await
        .parse()
        .unwrap()
}

/// Replies quickly, and without the watch worker: its alerts (a deadline falling due
/// on one case and not on its twin, depending on when the test runs) would make two
/// timelines that the investigation left alike look different.
fn fast() -> zhixing_server::Config {
    zhixing_server::Config {
        outbox_poll: Duration::from_millis(50),
        watch_worker: false,
        ..zhixing_testkit::test_config()
    }
}

/// What an investigation left on a case, in a form two cases can be compared by.
async fn outcome(t: &TestApp, token: &str, case: i64) -> (Vec<String>, Vec<String>, Value) {
    let assets: Value = t
        .get(&format!("/api/v1/cases/{case}/assets"), Some(token))
        .await
        .json()
        .await
        .unwrap();
    let mut assets: Vec<String> = assets
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            format!(
                "{} {} {} {}",
                a["institution_id"], a["kind"], a["reference"], a["value_fen"]
            )
        })
        .collect();
    assets.sort();
    let timeline: Value = t
        .get(&format!("/api/v1/cases/{case}/timeline"), Some(token))
        .await
        .json()
        .await
        .unwrap();
    let mut kinds: Vec<String> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    kinds.sort();
    let c: Value = t
        .get(&format!("/api/v1/cases/{case}"), Some(token))
        .await
        .json()
        .await
        .unwrap();
    let node = c["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["node"] == "first_online_investigation")
        .unwrap()["status"]
        .clone();
    (assets, kinds, node)
}

#[tokio::test]
async fn an_xml_request_investigates_as_the_json_route_does() {
    let t = TestApp::spawn_with(fast()).await;
    let s = sim(&t, 3, 0.0).await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    register_all(&t, &s, &admin).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    // Two cases against the same respondents: one started in XML, one in JSON.
    let (by_xml, number) = file(&t, &officer, "(2026)京0105民初5号").await;
    let (by_json, _) = file(&t, &officer, "(2026)京0105民初6号").await;

    let r = post_xml(&t, Some(&officer), request(&number)).await;
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let a: Answer = quick_xml::de::from_str(&xml_body(r, StatusCode::CREATED).await).unwrap();
    assert_eq!((a.version.as_str(), a.status.as_str()), ("1.0", "SL"));
    assert_eq!(a.messages, Some(6), "3 institutions × 2 respondents");
    let inv = a.investigation.unwrap();
    assert_eq!(location, format!("{PATH}/{inv}"));

    // Followed in XML while it runs: every institution is listed from the start.
    let first = status_of(&t, &officer, inv).await;
    assert_eq!(
        (
            first.investigation,
            first.case_number.as_str(),
            first.messages
        ),
        (inv, number.as_str(), 6)
    );
    assert_eq!(first.institutions.items.len(), 3);
    assert_eq!(first.replied + first.pending + first.failed, 6);

    let r = t
        .post_json(
            &format!("/api/v1/cases/{by_json}/investigations"),
            Some(&officer),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let json_inv = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    wait_until_answered(&t, &officer, by_xml, inv, Duration::from_secs(30)).await;
    wait_until_answered(&t, &officer, by_json, json_inv, Duration::from_secs(30)).await;

    let done = status_of(&t, &officer, inv).await;
    assert_eq!((done.replied, done.pending, done.failed), (6, 0, 0));
    let mut ids = Vec::new();
    for i in &done.institutions.items {
        assert_eq!(
            (i.status.as_str(), i.messages, i.replied),
            ("YHF", 2, 2),
            "{i:?}"
        );
        ids.push(i.id.clone());
    }
    let json_view = json_investigation(&t, &officer, by_xml, inv).await;
    assert_eq!(
        json_view["replied"], 6,
        "the JSON route sees the same investigation"
    );
    let mut json_ids: Vec<String> = json_view["institutions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["institution_id"].as_str().unwrap().to_owned())
        .collect();
    json_ids.dedup();
    assert_eq!(ids, json_ids);

    let (xml_assets, xml_events, xml_node) = outcome(&t, &officer, by_xml).await;
    let (json_assets, json_events, json_node) = outcome(&t, &officer, by_json).await;
    assert!(
        !xml_assets.is_empty(),
        "the simulated world holds something"
    );
    assert_eq!(xml_assets, json_assets, "the same replies, applied alike");
    assert_eq!(xml_events, json_events);
    assert_eq!(
        (xml_node.as_str(), json_node.as_str()),
        (Some("done"), Some("done"))
    );
    let timeline = t
        .get(&format!("/api/v1/cases/{by_xml}/timeline"), Some(&officer))
        .await
        .text()
        .await
        .unwrap();
    assert!(timeline.contains("online_investigation"), "{timeline}");
    assert!(t.app.store.verify_chain().await.unwrap().is_ok());
}

#[tokio::test]
async fn the_caller_is_authorized_as_on_the_json_route() {
    let t = TestApp::spawn_with(fast()).await;
    let s = sim(&t, 1, 0.0).await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    register_all(&t, &s, &admin).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let elsewhere = t.signed_in("officer2", "b110108", Role::Officer).await;
    let reader = t.signed_in("sup1", "b110105", Role::Supervisor).await;
    let (case, number) = file(&t, &officer, "(2026)京0105民初5号").await;

    assert_refused(
        post_xml(&t, None, request(&number)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_refused(
        post_xml(&t, Some("not-a-token"), request(&number)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    // Another court's officer: the case does not exist for them, by number as by id.
    let message = assert_refused(
        post_xml(&t, Some(&elsewhere), request(&number)).await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
    let unknown = assert_refused(
        post_xml(&t, Some(&elsewhere), request("(2026)京0105执999号")).await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
    assert_eq!(
        message.replace(&number, "N"),
        unknown.replace("(2026)京0105执999号", "N"),
        "a hidden case and a missing one read alike"
    );
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/investigations"),
            Some(&elsewhere),
            &json!({}),
        )
        .await;
    zhixing_testkit::assert_problem(r, StatusCode::NOT_FOUND, "case_not_found").await;

    // A reader who may not act: 403 on both routes.
    assert_refused(
        post_xml(&t, Some(&reader), request(&number)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/investigations"),
            Some(&reader),
            &json!({}),
        )
        .await;
    zhixing_testkit::assert_problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(count(&t, "investigations").await, 0);

    let r = post_xml(&t, Some(&officer), request(&number)).await;
    let a: Answer = quick_xml::de::from_str(&xml_body(r, StatusCode::CREATED).await).unwrap();
    let inv = a.investigation.unwrap();

    // Following it: the reader sees it, the other court does not, nor does a stranger.
    assert_eq!(status_of(&t, &reader, inv).await.investigation, inv);
    let hidden = assert_refused(
        t.get(&format!("{PATH}/{inv}"), Some(&elsewhere)).await,
        StatusCode::NOT_FOUND,
        "investigation_not_found",
    )
    .await;
    let missing = assert_refused(
        t.get(&format!("{PATH}/{}", inv + 1000), Some(&elsewhere))
            .await,
        StatusCode::NOT_FOUND,
        "investigation_not_found",
    )
    .await;
    assert_eq!(
        hidden.replace(&inv.to_string(), "N"),
        missing.replace(&(inv + 1000).to_string(), "N")
    );
    assert_refused(
        t.get(&format!("{PATH}/{inv}"), None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_refused(
        t.get(&format!("{PATH}/x"), Some(&officer)).await,
        StatusCode::BAD_REQUEST,
        "invalid_path",
    )
    .await;
}

#[tokio::test]
async fn bad_requests_get_clear_xml_errors_and_store_nothing() {
    let t = TestApp::spawn_with(fast()).await;
    let s = sim(&t, 1, 0.0).await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    register_all(&t, &s, &admin).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (case, number) = file(&t, &officer, "(2026)京0105民初5号").await;
    let tok = Some(officer.as_str());

    let bad: Vec<(String, StatusCode, &str)> = vec![
        (
            "<CKQQ version=\"1.0\"><AH>".into(),
            StatusCode::BAD_REQUEST,
            "malformed_xml",
        ),
        (
            "{\"version\": 1}".into(),
            StatusCode::BAD_REQUEST,
            "malformed_xml",
        ),
        (
            format!("<CKQQ version=\"1.0\"><AH>{number}</AH><QQLX>CX</QQLX></CKQX>"),
            StatusCode::BAD_REQUEST,
            "malformed_xml",
        ),
        (
            format!(
                "<?xml version=\"1.0\"?><!DOCTYPE CKQQ [<!ENTITY ah \"{number}\"><!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><CKQQ version=\"1.0\"><AH>&ah;</AH><QQLX>CX</QQLX></CKQQ>"
            ),
            StatusCode::BAD_REQUEST,
            "doctype_refused",
        ),
        (
            format!(
                "<!DOCTYPE CKQQ SYSTEM \"file:///etc/passwd\">{}",
                request(&number).replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "")
            ),
            StatusCode::BAD_REQUEST,
            "doctype_refused",
        ),
        (
            request(&number).replace("UTF-8", "GB2312"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_encoding",
        ),
        (
            request(&number).replace("<QQLX>CX", "<QQLX>KZ"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unsupported_request_type",
        ),
        (
            request(&number).replace("</QQLX>", "</QQLX><BZ>备注</BZ>"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            request(&number)
                .replace("<AH>", "<AJ>")
                .replace("</AH>", "</AJ>"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            request(&number).replace("  <QQLX>CX</QQLX>\n", ""),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            request(&number).replace("version=\"1.0\">", "version=\"0.9\">"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unsupported_version",
        ),
        (
            request("执123"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_case_number",
        ),
        (
            request("(2026)京0105执999号"),
            StatusCode::NOT_FOUND,
            "case_not_found",
        ),
        (
            format!(
                "<CKQQ version=\"1.0\"><AH>{number}</AH><QQLX>CX</QQLX>{}</CKQQ>",
                "<!-- padding -->".repeat(2000)
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
        ),
    ];
    for (body, status, code) in bad {
        let message = assert_refused(post_xml(&t, tok, body.clone()).await, status, code).await;
        if code == "unsupported_request_type" {
            assert!(
                message.contains("not supported by this adapter"),
                "{message}"
            );
        }
    }
    let r = t
        .client
        .post(t.url(PATH))
        .bearer_auth(&officer)
        .header("content-type", "application/json")
        .body(request(&number))
        .send()
        .await
        .unwrap();
    assert_refused(
        r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let r = t
        .client
        .post(t.url(PATH))
        .bearer_auth(&officer)
        .header("content-type", "application/xml")
        .body(vec![0xff_u8, 0xfe, b'<', 0, b'C', 0])
        .send()
        .await
        .unwrap();
    assert_refused(r, StatusCode::BAD_REQUEST, "malformed_xml").await;

    // A closed case: paid in full, closed, then asked about.
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/payments"),
            tok,
            &json!({"amount": 5_000_000, "note": "被执行人自动履行"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/closure"),
            tok,
            &json!({"mode": "fully_performed", "reason": "全部履行完毕"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    assert_refused(
        post_xml(&t, tok, request(&number)).await,
        StatusCode::CONFLICT,
        "case_closed",
    )
    .await;

    assert_eq!(count(&t, "investigations").await, 0, "nothing stored");
    assert_eq!(count(&t, "outbox").await, 0);
    let timeline: Value = t
        .get(&format!("/api/v1/cases/{case}/timeline"), tok)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !timeline.to_string().contains("online_investigation"),
        "no investigation recorded on the case: {timeline}"
    );
}
