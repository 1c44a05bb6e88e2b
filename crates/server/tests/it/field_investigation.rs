//! Traditional investigation (传统查控) over real HTTP: records with evidence files sent as
//! multipart/form-data, listed, downloaded byte for byte, counted by the 终本 checklist; every
//! bad record refused with a problem+json answer and nothing stored.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use zhixing_domain::access::Role;
use zhixing_store::events::EventFilter;
use zhixing_testkit::{TestApp, assert_problem};

const COURT: &str = "b110105";

async fn file_case(t: &TestApp, token: &str, doc: &str) -> i64 {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(token), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// Bytes that start like a real file of the kind, followed by a recognisable body.
fn pdf() -> Vec<u8> {
    let mut b = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    b.extend((0..5000u32).map(|i| (i * 7 % 251) as u8));
    b.extend_from_slice(b"\n%%EOF\n");
    b
}

fn jpeg() -> Vec<u8> {
    let mut b = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
    ];
    b.extend((0..20_000u32).map(|i| (i * 13 % 256) as u8));
    b.extend_from_slice(&[0xFF, 0xD9]);
    b
}

fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend((0..300u32).map(|i| (i % 256) as u8));
    b
}

fn text_form(method: &str, on: &str, place: &str, findings: &str) -> Form {
    Form::new()
        .text("method", method.to_owned())
        .text("on", on.to_owned())
        .text("place", place.to_owned())
        .text("findings", findings.to_owned())
}

fn with_file(form: Form, name: &str, mime: &str, bytes: Vec<u8>) -> Form {
    form.part(
        "attachment",
        Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(mime)
            .unwrap(),
    )
}

async fn post_form(t: &TestApp, token: &str, path: &str, form: Form) -> reqwest::Response {
    t.client
        .post(t.url(path))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn count(t: &TestApp, sql: &str) -> i64 {
    t.raw_text(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM {sql}"))
        .await
        .parse()
        .unwrap()
}

/// What a record leaves behind: its rows, its events, and the case's version.
async fn traces(t: &TestApp, token: &str, id: i64) -> (i64, i64, i64, i64, i64) {
    let case: Value = t
        .get_value(&format!("/api/v1/cases/{id}"), Some(token))
        .await;
    (
        count(t, "field_investigations").await,
        count(t, "field_attachments").await,
        count(
            t,
            "events WHERE kind IN ('field_investigation.recorded', 'case.action_recorded')",
        )
        .await,
        case["version"].as_i64().unwrap(),
        case["case"]["actions"].as_array().unwrap().len() as i64,
    )
}

fn traditional_met(checklist: &Value) -> bool {
    checklist["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "traditional_investigation")
        .unwrap()["met"]
        .as_bool()
        .unwrap()
}

#[tokio::test]
async fn a_field_visit_with_a_pdf_and_a_jpeg_is_recorded_listed_and_downloaded() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let auditor = t.signed_in("auditor1", COURT, Role::Auditor).await;
    let id = file_case(&t, &officer, "(2026)京0105民初1号").await;
    let filed_on = t.app.today();
    t.clock.advance(Duration::from_secs(5 * 86400));
    let checklist = format!("/api/v1/cases/{id}/closure-checklist?mode=zhongben");
    assert!(!traditional_met(
        &t.get_value(&checklist, Some(&officer)).await
    ));
    let version = t
        .get_value(&format!("/api/v1/cases/{id}"), Some(&officer))
        .await["version"]
        .as_i64()
        .unwrap();

    let visited = filed_on.checked_add(jiff::Span::new().days(2)).unwrap();
    let form = text_form(
        "field_visit",
        &visited.to_string(),
        "北京市朝阳区某某路1号",
        "被执行人住所无人，邻居称其已外出务工；未发现车辆。",
    )
    .text("version", version.to_string());
    let form = with_file(form, "询问笔录.pdf", "application/pdf", pdf());
    let form = with_file(form, "C:\\照片\\现场 1.JPG", "image/jpeg", jpeg());
    let path = format!("/api/v1/cases/{id}/field-investigations");
    let r = post_form(&t, &officer, &path, form).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let rec: Value = r.json().await.unwrap();
    assert_eq!(rec["version"], version + 1);
    let atts = rec["attachments"].as_array().unwrap();
    assert_eq!(atts.len(), 2);
    assert_eq!(atts[0]["content_type"], "application/pdf");
    assert_eq!(atts[1]["content_type"], "image/jpeg");
    assert_eq!(atts[1]["name"], "现场 1.JPG", "the directory is dropped");

    // Listed, with the files' metadata.
    let list: Value = t.get_value(&path, Some(&auditor)).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let r0 = &list[0];
    assert_eq!(r0["id"], rec["id"]);
    assert_eq!(r0["method"], "field_visit");
    assert_eq!(r0["method_zh"], "实地调查");
    assert_eq!(r0["on"], visited.to_string());
    assert_eq!(r0["place"], "北京市朝阳区某某路1号");
    assert_eq!(r0["recorded_by_name"], "officer1 测试");
    assert_eq!(r0["attachments"], rec["attachments"]);

    // Downloaded byte for byte, with the type told by the content and a safe disposition.
    for (a, bytes, ct) in [
        (&atts[0], pdf(), "application/pdf"),
        (&atts[1], jpeg(), "image/jpeg"),
    ] {
        assert_eq!(a["size"], bytes.len());
        assert_eq!(a["sha256"], hex::encode(Sha256::digest(&bytes)));
        let r = t.get(a["url"].as_str().unwrap(), Some(&auditor)).await;
        assert_eq!(r.status(), StatusCode::OK);
        let h = r.headers().clone();
        assert_eq!(h["content-type"], ct);
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["x-content-sha256"], a["sha256"].as_str().unwrap());
        let disposition = h["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\""),
            "{disposition}"
        );
        assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
        assert_eq!(r.bytes().await.unwrap().as_ref(), bytes.as_slice());
    }
    let h = t
        .get(atts[0]["url"].as_str().unwrap(), Some(&officer))
        .await;
    assert!(
        h.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with("UTF-8''%E8%AF%A2%E9%97%AE%E7%AC%94%E5%BD%95.pdf")
    );

    // The case records the traditional investigation on its day, and the 终本 checklist counts it.
    let case: Value = t
        .get_value(&format!("/api/v1/cases/{id}"), Some(&officer))
        .await;
    let action = case["case"]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "traditional_investigation")
        .unwrap()
        .clone();
    assert_eq!(action["on"], visited.to_string());
    assert!(traditional_met(
        &t.get_value(&checklist, Some(&officer)).await
    ));

    // The chain holds the record with each file's hash, and every download.
    let events = t
        .app
        .store
        .list_events(&EventFilter {
            subject: Some(format!("case:{id}")),
            ..Default::default()
        })
        .await
        .unwrap();
    let recorded: Vec<Value> = events
        .iter()
        .filter(|e| e.kind == "field_investigation.recorded")
        .map(|e| serde_json::from_str(&e.payload).unwrap())
        .collect();
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        recorded[0]["attachments"][1]["sha256"], atts[1]["sha256"],
        "{}",
        recorded[0]
    );
    let reads = events
        .iter()
        .filter(|e| e.kind == "read.sensitive" && e.payload.contains("field_attachment:"))
        .count();
    assert_eq!(reads, 3);
    let verify: Value = t.get_value("/api/v1/audit/verify", Some(&auditor)).await;
    assert_eq!(verify["intact"], true, "{verify}");

    // A search at another place, with no file, is a second record.
    let r = post_form(
        &t,
        &officer,
        &path,
        text_form(
            "reward_notice",
            &t.app.today().to_string(),
            "",
            "悬赏公告已在报纸刊登",
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let list: Value = t.get_value(&path, Some(&officer)).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["place"], Value::Null);
    assert_eq!(list[1]["attachments"], json!([]));
}

#[tokio::test]
async fn bad_records_are_refused_and_nothing_is_stored() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let id = file_case(&t, &officer, "(2026)京0105民初2号").await;
    let path = format!("/api/v1/cases/{id}/field-investigations");
    let today = t.app.today();
    let good = || {
        text_form(
            "field_visit",
            &today.to_string(),
            "北京市朝阳区某某路1号",
            "现场无可供执行的财产",
        )
    };
    let before = traces(&t, &officer, id).await;
    assert_eq!(
        (before.0, before.1),
        (0, 0),
        "nothing recorded to begin with"
    );

    let exe = {
        let mut b = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0".to_vec();
        b.extend_from_slice(b"This program cannot be run in DOS mode.");
        b
    };
    let six = (0..6).fold(good(), |f, i| {
        with_file(f, &format!("p{i}.png"), "image/png", png())
    });
    let mut big = pdf();
    big.resize(11 * 1024 * 1024, b'x');
    let mut nine = pdf();
    nine.resize(9 * 1024 * 1024, b'y');
    let tomorrow = today.checked_add(jiff::Span::new().days(1)).unwrap();
    let before_filing = today.checked_sub(jiff::Span::new().days(1)).unwrap();
    let bad: Vec<(&str, Form, StatusCode, &str)> = vec![
        (
            "an .exe renamed .pdf",
            with_file(good(), "判决书.pdf", "application/pdf", exe),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_attachment",
        ),
        (
            "an HTML file declared image/png",
            with_file(
                good(),
                "photo.png",
                "image/png",
                b"<!DOCTYPE html><script>alert(1)</script>".to_vec(),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_attachment",
        ),
        (
            "six attachments",
            six,
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_many_attachments",
        ),
        (
            "an 11 MiB file, more files after it",
            (0..3).fold(
                with_file(good(), "big.pdf", "application/pdf", big),
                |f, i| with_file(f, &format!("more{i}.pdf"), "application/pdf", nine.clone()),
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "attachment_too_large",
        ),
        (
            "a date in the future",
            text_form("audit", &tomorrow.to_string(), "", "审计报告"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "date_in_future",
        ),
        (
            "a date before the filing",
            text_form("audit", &before_filing.to_string(), "", "审计报告"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "date_before_filing",
        ),
        (
            "a date that is not one",
            text_form("audit", "2026-02-30", "", "审计报告"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_date",
        ),
        (
            "a search without a place",
            text_form("search", &today.to_string(), "  ", "搜查未发现财产"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "place_required",
        ),
        (
            "an unknown method",
            text_form("divination", &today.to_string(), "x", "y"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_method",
        ),
        (
            "empty findings",
            text_form("field_visit", &today.to_string(), "某地", " \n "),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_findings",
        ),
        (
            "an unknown field",
            good().text("colour", "red"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_field",
        ),
        (
            "a stale version",
            good().text("version", "999"),
            StatusCode::CONFLICT,
            "version_conflict",
        ),
    ];
    for (what, form, status, code) in bad {
        let r = post_form(&t, &officer, &path, form).await;
        let p = assert_problem(r, status, code).await;
        assert_eq!(
            traces(&t, &officer, id).await,
            before,
            "{what} stored something: {p}"
        );
    }
    // Not multipart at all.
    let r = t
        .post_json(&path, Some(&officer), &json!({"method": "audit"}))
        .await;
    assert_problem(
        r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    // Another court's officer does not learn that the case exists; an auditor reads, not acts.
    let stranger = t.signed_in("officer2", "b110108", Role::Officer).await;
    let auditor = t.signed_in("auditor1", COURT, Role::Auditor).await;
    let with_pdf = || with_file(good(), "a.pdf", "application/pdf", pdf());
    assert_problem(
        post_form(&t, &stranger, &path, with_pdf()).await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
    assert_problem(
        t.get(&path, Some(&stranger)).await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
    assert_problem(
        post_form(&t, &auditor, &path, with_pdf()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(traces(&t, &officer, id).await, before);

    // One good record, whose file the stranger cannot fetch either.
    let r = post_form(&t, &officer, &path, with_pdf()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let url = r.json::<Value>().await.unwrap()["attachments"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_problem(
        t.get(&url, Some(&stranger)).await,
        StatusCode::NOT_FOUND,
        "attachment_not_found",
    )
    .await;
    assert_problem(
        t.get("/api/v1/attachments/999999", Some(&officer)).await,
        StatusCode::NOT_FOUND,
        "attachment_not_found",
    )
    .await;
    let after_one = traces(&t, &officer, id).await;
    assert_eq!((after_one.0, after_one.1), (1, 1));

    // A closed case takes no more.
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/closure"),
            Some(&officer),
            &json!({"mode": "withdrawn", "reason": "申请执行人撤回申请"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let closed = traces(&t, &officer, id).await;
    assert_problem(
        post_form(&t, &officer, &path, with_pdf()).await,
        StatusCode::CONFLICT,
        "case_closed",
    )
    .await;
    assert_eq!(traces(&t, &officer, id).await, closed);
    assert_eq!((closed.0, closed.1), (1, 1));
}

#[tokio::test]
async fn the_case_page_lists_records_and_its_form_posts_them() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let auditor = t.signed_in("auditor1", COURT, Role::Auditor).await;
    let id = file_case(&t, &officer, "(2026)京0105民初3号").await;
    let page = |token: String| {
        let t = &t;
        async move {
            let r = t.get(&format!("/cases/{id}"), Some(&token)).await;
            assert_eq!(r.status(), StatusCode::OK);
            r.text().await.unwrap()
        }
    };
    let html = page(officer.clone()).await;
    assert!(html.contains("id=\"field-investigations\""));
    assert!(html.contains("id=\"field-form\"") && html.contains("enctype=\"multipart/form-data\""));
    assert!(
        !page(auditor.clone()).await.contains("id=\"field-form\""),
        "an auditor gets no form"
    );

    // The form as a browser sends it: no file chosen is an empty file part.
    let today = t.app.today().to_string();
    let form = text_form("search", &today, "被执行人经营场所", "搜查发现库存货物一批")
        .text("version", "")
        .part(
            "attachment",
            Part::bytes(Vec::new())
                .file_name("")
                .mime_str("application/octet-stream")
                .unwrap(),
        );
    let r = post_form(
        &t,
        &officer,
        &format!("/cases/{id}/field-investigations"),
        form,
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], format!("/cases/{id}"));
    let form = with_file(
        text_form("field_visit", &today, "某小区3号楼", "现场拍照"),
        "现场.png",
        "image/png",
        png(),
    );
    let r = post_form(
        &t,
        &officer,
        &format!("/cases/{id}/field-investigations"),
        form,
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let list: Value = t
        .get_value(
            &format!("/api/v1/cases/{id}/field-investigations"),
            Some(&officer),
        )
        .await;
    assert_eq!(list[0]["attachments"], json!([]));
    let aid = list[1]["attachments"][0]["id"].as_i64().unwrap();

    let html = page(auditor.clone()).await;
    assert!(html.contains("搜查发现库存货物一批") && html.contains("被执行人经营场所"));
    assert!(html.contains(&format!("href=\"/api/v1/attachments/{aid}\"")));
    assert!(html.contains("现场.png"));

    // A refused record is shown as the other page errors are, and stores nothing.
    let form = text_form("search", &today, "", "无地点");
    let r = post_form(
        &t,
        &officer,
        &format!("/cases/{id}/field-investigations"),
        form,
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(r.text().await.unwrap().contains("place_required"));
    assert_eq!(count(&t, "field_investigations").await, 2);
}

#[tokio::test]
async fn a_failure_inside_the_transaction_leaves_nothing_and_records_are_immutable() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let id = file_case(&t, &officer, "(2026)京0105民初4号").await;
    let path = format!("/api/v1/cases/{id}/field-investigations");
    let today = t.app.today().to_string();
    let two_files = || {
        let f = text_form("audit", &today, "", "审计被执行人公司账簿");
        let f = with_file(f, "账簿.pdf", "application/pdf", pdf());
        with_file(f, "凭证.png", "image/png", png())
    };
    // The database refuses the second file, after the case event, the record and the first
    // file were written in the same transaction.
    if t.db_url.starts_with("postgres") {
        t.raw_exec(
            "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN IF NEW.no = 2 THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END; $$",
        )
        .await;
        t.raw_exec(
            "CREATE TRIGGER boom BEFORE INSERT ON field_attachments FOR EACH ROW EXECUTE FUNCTION boom()",
        )
        .await;
    } else {
        t.raw_exec(
            "CREATE TRIGGER boom BEFORE INSERT ON field_attachments WHEN NEW.no = 2 \
             BEGIN SELECT RAISE(ABORT, 'boom'); END",
        )
        .await;
    }
    let before = traces(&t, &officer, id).await;
    let r = post_form(&t, &officer, &path, two_files()).await;
    assert_problem(r, StatusCode::INTERNAL_SERVER_ERROR, "internal").await;
    assert_eq!(traces(&t, &officer, id).await, before, "all or nothing");
    t.raw_exec(if t.db_url.starts_with("postgres") {
        "DROP TRIGGER boom ON field_attachments"
    } else {
        "DROP TRIGGER boom"
    })
    .await;
    let r = post_form(&t, &officer, &path, two_files()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let after = traces(&t, &officer, id).await;
    assert_eq!((after.0, after.1, after.3), (1, 2, before.3 + 1));

    // Evidence is never rewritten or removed.
    for sql in [
        "UPDATE field_attachments SET name = 'x.pdf'",
        "DELETE FROM field_attachments",
        "UPDATE field_investigations SET findings = 'x'",
        "DELETE FROM field_investigations",
    ] {
        let mut tx = t.app.store.begin().await.unwrap();
        let r = zhixing_store::on_tx!(tx, c => sqlx::query(sql).execute(c).await.map(|r| r.rows_affected()));
        assert!(r.is_err(), "{sql} must be refused");
    }

    let doc: Value = t.get_value("/api/v1/openapi.json", None).await;
    let post = &doc["paths"]["/api/v1/cases/{id}/field-investigations"]["post"];
    assert!(
        post["requestBody"]["content"]["multipart/form-data"].is_object(),
        "{post}"
    );
    assert!(doc["paths"]["/api/v1/cases/{id}/field-investigations"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/attachments/{id}"]["get"].is_object());
}
