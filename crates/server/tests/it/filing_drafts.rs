//! `POST /api/v1/filings/drafts` over HTTP: a draft read from a judgment's text or from a PDF
//! with a text layer, the read audited, nothing stored; and every bad document a 4xx with its
//! code.

use reqwest::StatusCode;
use serde_json::Value;
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem};

const COURT: &str = "b110105";

const JUDGMENT: &str = include_str!("../../../../data/filing-corpus/03-bank-loan-guarantor.txt");

#[path = "../support/pdf.rs"]
mod pdf;
pub(crate) use pdf::pdf_of;

async fn post(t: &TestApp, token: &str, mime: &str, body: Vec<u8>) -> reqwest::Response {
    t.client
        .post(t.url("/api/v1/filings/drafts"))
        .bearer_auth(token)
        .header("content-type", mime)
        .body(body)
        .send()
        .await
        .unwrap()
}

fn party<'a>(d: &'a Value, name: &str) -> &'a Value {
    d["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"]["value"] == name)
        .unwrap_or_else(|| panic!("no party {name} in {d}"))
}

fn checks_the_judgment(d: &Value) {
    assert_eq!(d["basis"]["kind"]["value"], "judgment");
    assert_eq!(
        d["basis"]["document_number"]["value"],
        "(2024)粤0304民初5521号"
    );
    assert_eq!(d["basis"]["parsed_number"]["type_code"], "民初");
    let bank = party(d, "中国工商银行股份有限公司深圳福田支行");
    assert_eq!(bank["role"]["value"], "applicant");
    assert_eq!(bank["kind"]["value"], "organisation");
    assert_eq!(bank["legal_representative"]["value"], "林志强");
    let debtor = party(d, "陈大伟");
    assert_eq!(debtor["role"]["value"], "respondent");
    assert_eq!(debtor["birth_date"]["value"], "1982-07-15");
    assert_eq!(debtor["id_number"]["confirm"], false);
    let duty = &d["duties"][0];
    assert_eq!(duty["principal"]["value"], 50_000_000, "fen");
    assert_eq!(duty["guarantors"][0]["value"], "王秀英");
    assert_eq!(d["performance_period"]["value"]["days"], 10);
    // The span points into the text the draft carries.
    let text: Vec<char> = d["text"].as_str().unwrap().chars().collect();
    let s = &debtor["name"]["span"];
    let (a, b) = (
        s["start"].as_u64().unwrap() as usize,
        s["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(text[a..b].iter().collect::<String>(), "陈大伟");
}

async fn draft_reads(t: &TestApp) -> usize {
    t.app
        .store
        .list_events(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "read.sensitive" && e.subject.starts_with("filing_draft:"))
        .count()
}

#[tokio::test]
async fn a_draft_from_text_and_from_a_pdf_audited_and_nothing_stored() {
    let t = TestApp::spawn_quiet().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let r = post(
        &t,
        &officer,
        "text/plain; charset=utf-8",
        JUDGMENT.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    checks_the_judgment(&r.json().await.unwrap());
    assert_eq!(draft_reads(&t).await, 1, "the read is on the audit chain");

    let r = post(&t, &officer, "application/pdf", pdf_of(JUDGMENT)).await;
    assert_eq!(r.status(), StatusCode::OK);
    checks_the_judgment(&r.json().await.unwrap());
    assert_eq!(draft_reads(&t).await, 2);
    assert!(t.app.store.verify_chain().await.unwrap().is_ok());
    // No case was filed by drafting.
    assert_eq!(
        t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM cases").await,
        "0"
    );
}

#[tokio::test]
async fn bad_documents_answer_a_4xx_with_their_code() {
    let t = TestApp::spawn_quiet().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let cases: [(&str, Vec<u8>, StatusCode, &str); 7] = [
        (
            "text/plain",
            b"   \n".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "draft_document_empty",
        ),
        (
            "text/plain",
            vec![0xff, 0xfe, 0x00, 0x81, 0x9f],
            StatusCode::UNPROCESSABLE_ENTITY,
            "draft_document_binary",
        ),
        (
            "text/plain",
            "今天天气很好，我们去公园散步，然后吃了午饭。"
                .as_bytes()
                .to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "draft_document_not_legal",
        ),
        (
            "text/plain",
            "判".repeat(300_001).into_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "draft_document_too_long",
        ),
        (
            "application/pdf",
            b"%PDF-1.5 not really".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "draft_document_unreadable",
        ),
        // A scan: a page with no text on it.
        (
            "application/pdf",
            pdf_of(""),
            StatusCode::UNPROCESSABLE_ENTITY,
            "draft_document_scanned",
        ),
        (
            "application/json",
            b"{}".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "draft_document_type",
        ),
    ];
    for (mime, body, status, code) in cases {
        let r = post(&t, &officer, mime, body).await;
        let p = assert_problem(r, status, code).await;
        assert!(
            !p["detail"].as_str().unwrap_or("").is_empty(),
            "{code}: {p}"
        );
    }
    let huge = vec![b'a'; 20 * 1024 * 1024 + 1];
    let r = post(&t, &officer, "text/plain", huge).await;
    assert_problem(r, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large").await;
    assert_eq!(draft_reads(&t).await, 0, "a refused document is not a read");
}

#[tokio::test]
async fn only_those_who_file_may_draft() {
    let t = TestApp::spawn_quiet().await;
    for (role, want) in [
        (Role::Officer, StatusCode::OK),
        (Role::Judge, StatusCode::OK),
        (Role::DivisionHead, StatusCode::OK),
        (Role::Auditor, StatusCode::FORBIDDEN),
        (Role::Supervisor, StatusCode::FORBIDDEN),
        (Role::Administrator, StatusCode::FORBIDDEN),
    ] {
        let token = t
            .signed_in(&format!("u-{}", role.as_str()), COURT, role)
            .await;
        let r = post(&t, &token, "text/plain", JUDGMENT.as_bytes().to_vec()).await;
        assert_eq!(r.status(), want, "{role:?}");
    }
    let r = t
        .client
        .post(t.url("/api/v1/filings/drafts"))
        .header("content-type", "text/plain")
        .body(JUDGMENT)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

/// The fields of the page's filing form as a browser would send them: its inputs, the
/// selected option of each select, its textareas.
fn filing_fields(html: &str) -> Vec<(String, String)> {
    let form = &html[html.find("id=\"filing\"").expect("the filing form")..];
    let form = &form[..form.find("</form>").unwrap()];
    let unescape = |s: &str| {
        s.replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    let mut out = Vec::new();
    let input = regex::Regex::new(r#"<input([^>]*)>"#).unwrap();
    let attr = |tag: &str, name: &str| {
        regex::Regex::new(&format!(r#"\b{name}="([^"]*)""#))
            .unwrap()
            .captures(tag)
            .map(|c| unescape(&c[1]))
    };
    for c in input.captures_iter(form) {
        if let Some(name) = attr(&c[1], "name") {
            out.push((name, attr(&c[1], "value").unwrap_or_default()));
        }
    }
    let select = regex::Regex::new(r#"(?s)<select name="([^"]+)">(.*?)</select>"#).unwrap();
    let selected = regex::Regex::new(r#"<option value="([^"]*)" selected"#).unwrap();
    for c in select.captures_iter(form) {
        let v = selected
            .captures(&c[2])
            .map(|s| unescape(&s[1]))
            .unwrap_or_default();
        out.push((c[1].to_owned(), v));
    }
    let textarea =
        regex::Regex::new(r#"(?s)<textarea name="([^"]+)"[^>]*>(.*?)</textarea>"#).unwrap();
    for c in textarea.captures_iter(form) {
        out.push((c[1].to_owned(), unescape(&c[2])));
    }
    out
}

#[tokio::test]
async fn the_filing_page_fills_from_a_pdf_judgment_and_the_officer_files_it() {
    let t = TestApp::spawn_quiet().await;
    t.user("clerk", COURT, &[Role::Officer]).await;
    let cookie = t.page_login("clerk").await;
    let (status, html) = t.html("/cases/new", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("从执行依据填写"), "{html}");
    let token = t.form_token(&cookie).await;
    let judgment = include_str!("../../../../data/filing-corpus/01-loan-individuals.txt");
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part(
            "basis_file",
            reqwest::multipart::Part::bytes(pdf_of(judgment))
                .file_name("判决书.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        )
        .text("basis_text", "");
    let r = t
        .client
        .post(t.url("/cases/new/draft"))
        .header("cookie", &cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    // The document beside the form, each source marked; what the judgment does not say (the
    // day it took effect) is said.
    assert!(html.contains("id=\"draft-source\""), "{html}");
    assert!(html.contains("id=\"src-2\">张三</mark>"), "{html}");
    assert!(html.contains("effective_date_not_stated"), "{html}");
    let mut fields = filing_fields(&html);
    let get = |fields: &[(String, String)], k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(get(&fields, "applicant_name"), "张三");
    assert_eq!(get(&fields, "applicant_id"), "110105198001020011");
    assert_eq!(get(&fields, "respondent_name"), "李四");
    assert_eq!(get(&fields, "document_number"), "(2024)京0105民初1234号");
    assert_eq!(get(&fields, "principal"), "100000.00");
    assert_eq!(get(&fields, "costs"), "1150.00");
    assert_eq!(get(&fields, "effective_date"), "", "not guessed");
    // The officer confirms the draft and adds the dates the judgment's service gives.
    let today = t.app.today();
    let day = |n: i64| {
        today
            .checked_sub(jiff::Span::new().days(n))
            .unwrap()
            .to_string()
    };
    for (k, v) in [
        ("effective_date", day(20)),
        ("performance_deadline", day(10)),
    ] {
        fields.retain(|(n, _)| n != k);
        fields.push((k.to_owned(), v));
    }
    // t.form adds the session's token, as the page's own hidden field would.
    fields.retain(|(n, _)| n != "csrf_token");
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _, page) = t.form("/cases/new", &cookie, &pairs).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("id=\"accepted\""), "{page}");
    assert_eq!(
        t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM cases").await,
        "1"
    );
    assert_eq!(draft_reads(&t).await, 1);
}
