//! The photos and documents the court attaches to an auction: uploaded by the case's officer
//! at either door, checked by content, shown and served in the public room, refused once the
//! auction is over; nothing half-stored on a refusal.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem, form_token_in};

use super::auction::{announce, close_at_end, ok, plan, priced_house};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR photo of the flat";
const PDF: &[u8] = b"%PDF-1.4\n% a valuation report\n";

async fn upload(t: &TestApp, id: i64, token: &str, form: Form) -> reqwest::Response {
    t.client
        .post(t.url(&format!("/api/v1/auctions/{id}/files")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn file(name: &str, bytes: &[u8]) -> Form {
    Form::new().part(
        "file",
        Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
    )
}

async fn listed(t: &TestApp, id: i64) -> Vec<Value> {
    t.get_value(&format!("/public/v1/auctions/{id}/files"), None)
        .await
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn the_court_attaches_photos_and_a_report_that_the_room_shows_to_anyone() {
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id = a["id"].as_i64().unwrap();

    // The API door: a photo and a report, in one request.
    let form =
        file("客厅.png", PNG).part("file", Part::bytes(PDF.to_vec()).file_name("评估报告.pdf"));
    let files = ok(upload(t, id, &f.officer, form).await, StatusCode::CREATED).await;
    assert_eq!(files.as_array().unwrap().len(), 2, "{files}");
    assert_eq!(files[0]["content_type"], "image/png");
    assert_eq!(files[1]["content_type"], "application/pdf");

    // Anyone fetches them, as stored, with their hash.
    let r = t
        .client
        .get(t.url(&format!("/public/v1/auctions/{id}/files/1")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(
        r.headers()["x-content-sha256"].to_str().unwrap(),
        files[0]["sha256"].as_str().unwrap()
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), PNG);

    // The room shows the photo and links the report.
    let html = t
        .client
        .get(t.url(&format!("/public/auctions/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("src=\"/public/v1/auctions/{id}/files/1\"")),
        "{html}"
    );
    assert!(html.contains("评估报告.pdf"), "{html}");
    assert!(!html.contains("法院未上传标的物照片或文件"));

    // A text file named .png is refused by its content, and nothing of the request is kept.
    let form = file("楼道.png", PNG).part(
        "file",
        Part::bytes(b"not a picture".to_vec()).file_name("卧室.png"),
    );
    assert_problem(
        upload(t, id, &f.officer, form).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_attachment",
    )
    .await;
    assert_eq!(
        listed(t, id).await.len(),
        2,
        "the good file of the refused request is not kept"
    );

    // An officer of another court may not attach to this court's auction.
    let other = t.signed_in("other-court", "b110108", Role::Officer).await;
    let r = upload(t, id, &other, file("x.png", PNG)).await;
    assert!(
        r.status() == StatusCode::FORBIDDEN || r.status() == StatusCode::NOT_FOUND,
        "{}",
        r.status()
    );
    assert_eq!(listed(t, id).await.len(), 2);

    // The page door: the case page's form, token first, as a browser sends it.
    let cookie = t.page_login("officer1").await;
    let (_, page) = t.html(&format!("/cases/{}", f.case_id), &cookie).await;
    let token = form_token_in(&page).unwrap();
    assert!(
        page.contains(&format!(
            "action=\"/cases/{}/auction-files/{id}\"",
            f.case_id
        )),
        "the case page offers the upload"
    );
    let form = Form::new()
        .text("csrf_token", token)
        .part("file", Part::bytes(PNG.to_vec()).file_name("厨房.png"));
    let r = t
        .client
        .post(t.url(&format!("/cases/{}/auction-files/{id}", f.case_id)))
        .header("cookie", &cookie)
        .header("origin", &t.base)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    let names: Vec<String> = listed(t, id)
        .await
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["客厅.png", "评估报告.pdf", "厨房.png"]);
    let events = t
        .raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE kind = 'auction.files_attached'")
        .await;
    assert_eq!(events, "2", "one audited event per upload");

    // Once the auction is over, no more.
    let closed = close_at_end(t, id).await;
    assert_ne!(closed["status"], "open");
    assert_problem(
        upload(t, id, &f.officer, file("y.png", PNG)).await,
        StatusCode::CONFLICT,
        "auction_over_files",
    )
    .await;
    assert_eq!(listed(t, id).await.len(), 3);
}
