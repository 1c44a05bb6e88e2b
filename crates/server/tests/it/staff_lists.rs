//! Staff lists of a court's dishonest listings (/listings) and judicial auctions (/auctions):
//! rows as created through the API, keyset pages that give every row once, filters that do
//! what they say, nothing for another court (404 for a court out of reach), and exports with
//! Chinese headers (the listings export a sensitive read on the audit chain).

use std::collections::BTreeSet;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;

use crate::auction::{announce, ok, plan, priced_house};

const COURT: &str = "b110105";

/// A resident ID number born on 1980-01-01 with sequence `seq` and its check character.
fn id_number(seq: u32) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8] = b"10X98765432";
    let body = format!("11010119800101{seq:03}");
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{body}{}", CHECK[(sum % 11) as usize] as char)
}

/// Files a case against 王某{n} and lists them on the dishonest list: (case id, number).
async fn listed(t: &TestApp, officer: &str, n: u32) -> (i64, String) {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": format!("王某{n}"), "id_number": id_number(n)}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院",
                  "document_number": format!("(2026)京0105民初{n}号"),
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 100_000 * i64::from(n) + 50},
        "duties": ""
    });
    let v = ok(
        t.post_json("/api/v1/cases", Some(officer), &body).await,
        StatusCode::CREATED,
    )
    .await;
    let id = v["id"].as_i64().unwrap();
    t.notice_and_wait(officer, id).await;
    ok(
        t.post_json(
            &format!("/api/v1/cases/{id}/listings"),
            Some(officer),
            &json!({"party_no": 2, "grounds": [2, 4], "facts": "拒不申报财产，以威胁方法抗拒执行"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    (id, v["number"].as_str().unwrap().to_owned())
}

async fn download(t: &TestApp, path: &str, cookie: &str) -> (StatusCode, Vec<u8>) {
    let r = t
        .client
        .get(t.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (r.status(), r.bytes().await.unwrap().to_vec())
}

fn csv_records(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn xlsx_rows(bytes: Vec<u8>) -> (String, Vec<Vec<Data>>) {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    (name, range.rows().map(<[Data]>::to_vec).collect())
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

/// The ids of the rows of a list page.
fn row_ids(html: &str) -> Vec<i64> {
    let re = regex::Regex::new(r#"<tr data-id="(\d+)""#).unwrap();
    re.captures_iter(html)
        .map(|c| c[1].parse().unwrap())
        .collect()
}

fn next_link(html: &str) -> Option<String> {
    let re = regex::Regex::new(r#"id="next-page" href="([^"]*)""#).unwrap();
    re.captures(html).map(|c| c[1].replace("&amp;", "&"))
}

/// Walks a list from `first` page by page: every row id in order.
async fn walk(t: &TestApp, first: &str, cookie: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut path = Some(first.to_owned());
    while let Some(p) = path {
        let (status, html) = t.html(&p, cookie).await;
        assert_eq!(status, StatusCode::OK, "{p}: {html}");
        ids.extend(row_ids(&html));
        path = next_link(&html);
    }
    ids
}

/// The `<tr data-id="…">…</tr>` of one row.
fn row(html: &str, id: i64) -> &str {
    let start = html
        .find(&format!("<tr data-id=\"{id}\""))
        .unwrap_or_else(|| panic!("row {id} in {html}"));
    let end = html[start..].find("</tr>").unwrap() + start;
    &html[start..end]
}

#[tokio::test]
async fn the_listings_of_a_court_page_filter_export_and_stay_in_the_court() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer-cy", COURT, Role::Officer).await;
    let mut cases = Vec::new();
    for n in 1..=3 {
        cases.push(listed(&t, &officer, n).await);
    }
    // The first listing is removed at the applicant's request.
    ok(
        t.post_json(
            &format!("/api/v1/cases/{}/listings/1/removal", cases[0].0),
            Some(&officer),
            &json!({"trigger": "applicant_request", "reason": "申请执行人书面申请删除"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let cookie = t.page_login("officer-cy").await;

    // Newest first, two a page: every listing once.
    let ids = walk(&t, "/listings?limit=2", &cookie).await;
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 3, "each once");
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");

    let (status, html) = t.html("/listings", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("失信被执行人名单"));
    assert!(html.contains(r#"id="nav-listings""#), "in the navigation");
    // The newest row is the third case's listing, as created.
    let newest = row(&html, ids[0]);
    assert!(newest.contains("王某3"), "{newest}");
    let idn = id_number(3);
    let masked = zhixing_domain::identity::mask(&idn);
    assert!(newest.contains(&masked), "masked: {newest}");
    assert!(!html.contains(&idn), "never the whole ID number");
    assert!(
        newest.contains(&format!("href=\"/cases/{}#credit\"", cases[2].0)),
        "{newest}"
    );
    assert!(newest.contains(&cases[2].1));
    assert!(newest.contains("¥3,000.50"), "yuan: {newest}");
    assert!(newest.contains("在册"));
    assert!(newest.contains("违反财产报告制度"), "grounds in words");
    let oldest = row(&html, ids[2]);
    assert!(
        oldest.contains("王某1") && oldest.contains("已删除"),
        "{oldest}"
    );

    // Filters.
    let (_, html) = t.html("/listings?status=removed", &cookie).await;
    assert_eq!(row_ids(&html), vec![ids[2]]);
    let (_, html) = t.html("/listings?status=listed", &cookie).await;
    assert_eq!(row_ids(&html), vec![ids[0], ids[1]]);
    let (_, html) = t.html("/listings?name=%E7%8E%8B%E6%9F%902", &cookie).await;
    assert_eq!(row_ids(&html), vec![ids[1]], "by part of the name");
    let (_, html) = t.html("/listings?name=%25", &cookie).await;
    assert!(
        row_ids(&html).is_empty(),
        "a % is a character, not a wildcard"
    );
    let (status, _) = t.html("/listings?status=bogus", &cookie).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The export carries the filters; headers in Chinese; yuan with two decimals.
    let (_, html) = t.html("/listings?status=listed", &cookie).await;
    assert!(
        html.contains("/listings/export.csv?status=listed"),
        "{html}"
    );
    let (status, body) = download(&t, "/listings/export.csv?status=listed", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    let records = csv_records(&body);
    assert_eq!(records[0][1], "纳入日期");
    assert_eq!(records[0][2], "被执行人");
    assert_eq!(records[0][8], "执行标的（元）");
    assert_eq!(records.len() - 1, 2, "{records:?}");
    assert_eq!(records[1][2], "王某3");
    assert_eq!(records[1][3], masked);
    assert_eq!(records[1][4], cases[2].1);
    assert_eq!(records[1][8], "3000.50");
    assert_eq!(records[1][10], "在册");
    let (status, body) = download(&t, "/listings/export.xlsx", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    let (sheet, rows) = xlsx_rows(body);
    assert_eq!(sheet, "失信被执行人名单");
    assert_eq!(text(&rows[0][0]), "名单编号");
    assert_eq!(rows.len(), 4);
    assert_eq!(text(&rows[3][10]), "已删除");
    // Names and identifiers left the system: each export is a sensitive read.
    let n = t
        .raw_text(
            "SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE kind = 'read.sensitive' \
             AND subject = 'export:listings:b110105'",
        )
        .await;
    assert_eq!(n, "2");

    // Another court's officer sees none of them, and 朝阳 is out of reach.
    t.user("officer-ca", "b130102", &[Role::Officer]).await;
    let other = t.page_login("officer-ca").await;
    let (status, html) = t.html("/listings", &other).await;
    assert_eq!(status, StatusCode::OK);
    assert!(row_ids(&html).is_empty(), "{html}");
    for path in [
        "/listings?court=b110105",
        "/listings/export.csv?court=b110105",
        "/listings/export.xlsx?court=b110105",
    ] {
        let (status, _) = download(&t, path, &other).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}

/// 议价: the parties agree the reference price of a newly seized asset.
async fn agree_price(t: &TestApp, officer: &str, asset_id: i64) {
    let v = ok(
        t.post_json(
            &format!("/api/v1/assets/{asset_id}/valuation"),
            Some(officer),
            &json!({}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let vid = v["id"].as_i64().unwrap();
    ok(
        t.post_json(
            &format!("/api/v1/valuations/{vid}/agreement"),
            Some(officer),
            &json!({"price_fen": 100_000_000}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn the_auctions_of_a_court_page_filter_export_and_stay_in_the_court() {
    let mut f = priced_house().await;
    // The first house's auction fails: nobody bids by its end.
    let first = ok(announce(&f, &plan(&f.t)).await, StatusCode::CREATED).await;
    let first_id = first["id"].as_i64().unwrap();
    let v =
        f.t.get_value(&format!("/public/v1/auctions/{first_id}"), None)
            .await;
    f.t.clock
        .set(v["ends_at"].as_str().unwrap().parse().unwrap());
    zhixing_app::command_centre::watch::sweep(&f.t.app)
        .await
        .unwrap();
    // Two more houses of the case go on sale.
    let mut open = Vec::new();
    for n in 2..=3 {
        let asset =
            f.t.seized_asset(
                f.case_id,
                COURT,
                "real_estate",
                &format!("京(2020)朝阳区不动产权第000{n}号"),
                &format!("朝阳区某小区1号楼10{n}室"),
                120_000_000,
            )
            .await;
        agree_price(&f.t, &f.officer, asset).await;
        f.asset_id = asset;
        let a: Value = ok(announce(&f, &plan(&f.t)).await, StatusCode::CREATED).await;
        open.push(a["id"].as_i64().unwrap());
    }
    let t = &f.t;
    let number = t
        .get_value(&format!("/api/v1/cases/{}", f.case_id), Some(&f.officer))
        .await["number"]
        .as_str()
        .unwrap()
        .to_owned();
    t.user("officer-page", COURT, &[Role::Officer]).await;
    let cookie = t.page_login("officer-page").await;

    let ids = walk(t, "/auctions?limit=1", &cookie).await;
    assert_eq!(
        ids,
        vec![open[1], open[0], first_id],
        "newest first, each once"
    );

    let (status, html) = t.html("/auctions", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="nav-auctions""#));
    let r = row(&html, open[0]);
    assert!(
        r.contains("朝阳区某小区1号楼101室"),
        "the plan's title: {r}"
    );
    assert!(r.contains(&format!("href=\"/cases/{}#auctions\"", f.case_id)));
    assert!(r.contains(&number));
    assert!(r.contains("一拍") && r.contains("进行中"), "{r}");
    assert!(r.contains("¥700,000.00"), "the start price in yuan: {r}");
    assert!(
        regex::Regex::new(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}<")
            .unwrap()
            .is_match(r),
        "Beijing time to the minute: {r}"
    );
    assert!(row(&html, first_id).contains("流拍"));

    let (_, html) = t.html("/auctions?status=failed", &cookie).await;
    assert_eq!(row_ids(&html), vec![first_id]);
    let (_, html) = t.html("/auctions?status=open", &cookie).await;
    assert_eq!(row_ids(&html), vec![open[1], open[0]]);
    let (_, html) = t.html("/auctions?status=paid", &cookie).await;
    assert!(row_ids(&html).is_empty());
    let (status, _) = t.html("/auctions?status=bogus", &cookie).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, body) = download(t, "/auctions/export.csv?status=open", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    let records = csv_records(&body);
    assert_eq!(records[0][1], "标的");
    assert_eq!(records[0][8], "起拍价（元）");
    assert_eq!(records.len() - 1, 2);
    assert_eq!(records[2][0], open[0].to_string());
    assert_eq!(records[2][8], "700000.00");
    assert_eq!(records[2][11], "进行中");
    let (status, body) = download(t, "/auctions/export.xlsx", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    let (sheet, rows) = xlsx_rows(body);
    assert_eq!(sheet, "司法拍卖列表");
    assert_eq!(text(&rows[0][0]), "拍卖编号");
    assert_eq!(rows.len(), 4);
    assert_eq!(text(&rows[3][11]), "流拍");

    t.user("officer-ca", "b130102", &[Role::Officer]).await;
    let other = t.page_login("officer-ca").await;
    let (status, html) = t.html("/auctions", &other).await;
    assert_eq!(status, StatusCode::OK);
    assert!(row_ids(&html).is_empty(), "{html}");
    for path in [
        "/auctions?court=b110105",
        "/auctions/export.csv?court=b110105",
        "/auctions/export.xlsx?court=b110105",
    ] {
        let (status, _) = download(t, path, &other).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
}
