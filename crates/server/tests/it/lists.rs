//! Lists that scale (issue 12, item 5): each alert count on the command centre opens the list
//! behind it, down to the cases; lists page by keyset, each row once; cases, alerts and
//! audit events download as CSV and as an Excel workbook with the list's filters, Chinese
//! headers and yuan with two decimals, refused to whoever may not read the list; a case is
//! found by a party's ID number through the blind index.

use std::collections::BTreeSet;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_app::command_centre::watch::sweep;
use zhixing_domain::access::Role;
use zhixing_server::Config;
use zhixing_testkit::TestApp;

async fn spawn() -> TestApp {
    TestApp::spawn_with(Config {
        watch_worker: false,
        ..zhixing_testkit::test_config()
    })
    .await
}

use super::alerts::at;

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

/// Files a case at the officer's court against respondent `n` (its own ID number), for
/// `principal` fen; returns (id, number).
async fn file(t: &TestApp, officer: &str, n: u32, principal: i64) -> (i64, String) {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": format!("王某{n}"), "id_number": id_number(n)}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院",
                  "document_number": format!("(2026)京0105民初{n}号"),
                  "effective_date": "2026-01-05", "performance_deadline": "2026-01-20"},
        "amounts": {"principal": principal},
        "duties": ""
    });
    let r = t.post_json("/api/v1/cases", Some(officer), &body).await;
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{v}");
    (
        v["id"].as_i64().unwrap(),
        v["number"].as_str().unwrap().to_owned(),
    )
}

/// A GET with the session cookie: status, headers and body bytes.
async fn download(
    t: &TestApp,
    path: &str,
    cookie: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let r = t
        .client
        .get(t.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    (status, headers, r.bytes().await.unwrap().to_vec())
}

/// The records of a CSV export (the BOM stripped), headers first.
fn csv_records(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for Excel");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The first sheet of a workbook export: its name and rows.
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

/// `href="…"` values on a page that start with `prefix`, unescaped.
fn links(html: &str, prefix: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"href="([^"]*)""#).unwrap();
    re.captures_iter(html)
        .map(|c| c[1].replace("&amp;", "&"))
        .filter(|h| h.starts_with(prefix))
        .collect()
}

/// The ids of the rows of the alert list on a page.
fn alert_rows(html: &str) -> Vec<i64> {
    let re = regex::Regex::new(r#"<tr data-id="(\d+)""#).unwrap();
    re.captures_iter(html)
        .map(|c| c[1].parse().unwrap())
        .collect()
}

/// Three overdue cases at 朝阳 (each with its node-overdue alerts raised by the worker's
/// pass), a supervisor of the Beijing high court signed in to the pages.
struct World {
    t: TestApp,
    officer: String,
    officer_cookie: String,
    cases: Vec<(i64, String)>,
}

async fn world() -> World {
    let t = spawn().await;
    at(&t, "2026-03-02");
    let officer = t.signed_in("officer-cy", "b110105", Role::Officer).await;
    let mut cases = Vec::new();
    for (n, fen) in [(1, 100_050), (2, 15_505_050), (3, 2_000_000)] {
        cases.push(file(&t, &officer, n, fen).await);
    }
    // Past the first investigation's deadline: the pass raises node_overdue on each case.
    at(&t, "2026-04-20");
    sweep(&t.app).await.unwrap();
    let officer_cookie = t.page_login("officer-cy").await;
    World {
        t,
        officer,
        officer_cookie,
        cases,
    }
}

#[tokio::test]
async fn an_alert_count_on_the_command_centre_opens_its_list_down_to_the_cases() {
    let w = world().await;
    let t = &w.t;
    t.user("sup-bj", "h11", &[Role::Supervisor]).await;
    let sup = t.page_login("sup-bj").await;
    let (status, html) = t.html("/command/courts/b110105", &sup).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let row_re = regex::Regex::new(
        r#"(?s)<tr data-kind="node_overdue">.*?<td class="num count"><a href="([^"]+)">(\d+)</a>"#,
    )
    .unwrap();
    let caps = row_re
        .captures(&html)
        .unwrap_or_else(|| panic!("a linked node_overdue count: {html}"));
    let href = caps[1].replace("&amp;", "&");
    let count: usize = caps[2].parse().unwrap();
    assert_eq!(href, "/alerts?court=b110105&kind=node_overdue");
    assert!(count >= 3, "each overdue case has an alert: {count}");

    // The list behind the count: as many rows as the count, each leading to its case.
    let (status, list) = t.html(&href, &sup).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(alert_rows(&list).len(), count, "{list}");
    assert!(list.contains("节点超期"), "kind in Chinese");
    assert!(list.contains("未处理"), "status in Chinese");
    assert!(!list.contains("node_overdue</td>"), "no code shown");
    // Beijing time to the minute: the pass ran on 2026-04-20 at 10:00 Beijing time.
    assert!(list.contains("2026-04-20 10:00"), "{list}");
    let case_links: BTreeSet<String> = links(&list, "/cases/").into_iter().collect();
    let ours: BTreeSet<String> = w
        .cases
        .iter()
        .map(|(id, _)| format!("/cases/{id}"))
        .collect();
    assert_eq!(
        case_links, ours,
        "every row leads to one of the overdue cases"
    );
    for (_, number) in &w.cases {
        assert!(list.contains(number.as_str()), "{number} in the list");
    }
    let first = case_links.iter().next().unwrap();
    let (status, case_page) = t.html(first, &sup).await;
    assert_eq!(status, StatusCode::OK, "{case_page}");

    // The exports carry the same filters.
    assert!(
        list.contains("/alerts/export.csv?court=b110105&amp;kind=node_overdue"),
        "{list}"
    );
    let (status, headers, body) = download(
        t,
        "/alerts/export.csv?court=b110105&kind=node_overdue",
        &sup,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"alerts-20260420.csv\""),
        "{disposition}"
    );
    let records = csv_records(&body);
    assert_eq!(
        records[0][..5],
        ["预警编号", "预警时间（北京时间）", "类型", "状态", "案号"]
    );
    assert_eq!(records.len() - 1, count, "one record per alert in the list");
    assert!(
        records[1..]
            .iter()
            .all(|r| r[2] == "节点超期" && r[3] == "未处理")
    );

    let (status, _, body) = download(
        t,
        "/alerts/export.xlsx?court=b110105&kind=node_overdue",
        &sup,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (sheet, rows) = xlsx_rows(body);
    assert_eq!(sheet, "预警列表");
    assert_eq!(text(&rows[0][2]), "类型");
    assert_eq!(rows.len() - 1, count);
}

#[tokio::test]
async fn keyset_pages_list_every_row_once() {
    let w = world().await;
    let t = &w.t;
    // The alert page two rows at a time, following its own next-page links.
    let (_, all) = t.html("/alerts?limit=500", &w.officer_cookie).await;
    let expected = alert_rows(&all);
    assert!(expected.len() >= 3, "{all}");
    let mut seen = Vec::new();
    let mut next = Some("/alerts?limit=2".to_owned());
    while let Some(href) = next.take() {
        let (status, html) = t.html(&href, &w.officer_cookie).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        let rows = alert_rows(&html);
        assert!(rows.len() <= 2);
        seen.extend(rows);
        next = links(&html, "/alerts?")
            .into_iter()
            .find(|h| h.contains("cursor="));
    }
    assert_eq!(seen, expected, "every alert once, newest first");

    // The case list by amount, both ways, a case per page: each case once, in order.
    for (sort, descending) in [
        ("amount", true),
        ("amount_asc", false),
        ("due", false),
        ("filed", true),
    ] {
        let mut ids = Vec::new();
        let mut amounts = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                None => format!("/api/v1/cases?sort={sort}&limit=1"),
                Some(c) => format!("/api/v1/cases?sort={sort}&limit=1&cursor={c}"),
            };
            let page = t.get_value(&path, Some(&w.officer)).await;
            for i in page["items"].as_array().unwrap_or_else(|| panic!("{page}")) {
                ids.push(i["id"].as_i64().unwrap());
                amounts.push(i["total_due"].as_i64().unwrap());
            }
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(
            unique.len(),
            w.cases.len(),
            "{sort}: each case once: {ids:?}"
        );
        if sort.starts_with("amount") {
            let mut sorted = amounts.clone();
            sorted.sort_unstable();
            if descending {
                sorted.reverse();
            }
            assert_eq!(amounts, sorted, "{sort}");
        }
    }
    // The page offers the sorts and keeps the chosen one.
    let (_, html) = t
        .html("/cases?submitted=1&sort=amount", &w.officer_cookie)
        .await;
    assert!(
        html.contains(r#"<option value="amount" selected>"#),
        "{html}"
    );
    let first = w.cases[1].1.as_str(); // the largest amount
    let pos = |n: &str| html.find(n).unwrap_or_else(|| panic!("{n} in {html}"));
    assert!(pos(first) < pos(&w.cases[2].1) && pos(&w.cases[2].1) < pos(&w.cases[0].1));
}

#[tokio::test]
async fn the_case_list_exports_with_its_filters_and_the_export_is_audited() {
    let w = world().await;
    let t = &w.t;
    let (_, html) = t.html("/cases?submitted=1&q=王某", &w.officer_cookie).await;
    let csv_link = links(&html, "/cases/export.csv?")
        .pop()
        .unwrap_or_else(|| panic!("an export link: {html}"));
    assert!(
        csv_link.contains("q=%E7%8E%8B%E6%9F%90"),
        "the search carried: {csv_link}"
    );
    let (status, headers, body) = download(t, &csv_link, &w.officer_cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''%E6%A1%88%E4%BB%B6%E5%88%97%E8%A1%A8-20260420.csv")
    );
    let records = csv_records(&body);
    assert_eq!(
        records[0],
        [
            "案号",
            "案件类型",
            "状态",
            "承办人",
            "申请执行人",
            "被执行人",
            "立案日期",
            "最近期限",
            "是否超期",
            "执行标的（元）",
            "已到位（元）"
        ]
    );
    assert_eq!(records.len() - 1, 3);
    let row = records
        .iter()
        .find(|r| r[0] == w.cases[1].1)
        .expect("the case in the file");
    assert_eq!(row[5], "王某2");
    assert_eq!(row[9], "155050.50", "yuan with two decimals");
    assert_eq!(row[2], "执行中");
    assert_eq!(row[8], "是");

    // The search narrows the file as it narrows the page.
    let (_, _, body) = download(
        t,
        "/cases/export.csv?submitted=1&q=%E7%8E%8B%E6%9F%903",
        &w.officer_cookie,
    )
    .await;
    let records = csv_records(&body);
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[1][0], w.cases[2].1);

    let (status, headers, body) = download(
        t,
        "/cases/export.xlsx?submitted=1&sort=amount",
        &w.officer_cookie,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let (sheet, rows) = xlsx_rows(body);
    assert_eq!(sheet, "案件列表");
    assert_eq!(text(&rows[0][0]), "案号");
    assert_eq!(text(&rows[0][9]), "执行标的（元）");
    assert_eq!(rows.len(), 4);
    assert_eq!(text(&rows[1][0]), w.cases[1].1, "in the list's order");
    assert_eq!(rows[1][9], Data::Float(155_050.5), "a number, not text");

    // Party names left the system: each export is a sensitive read on the chain.
    let n = t
        .raw_text(
            "SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE kind = 'read.sensitive' \
             AND subject = 'export:cases:b110105'",
        )
        .await;
    assert_eq!(n, "3");
}

#[tokio::test]
async fn exports_are_refused_to_whoever_may_not_read_the_list() {
    let w = world().await;
    let t = &w.t;
    // An officer reads no audit trail, nor may export it.
    let (status, _, _) = download(t, "/audit/export.csv", &w.officer_cookie).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = download(t, "/audit/export.xlsx", &w.officer_cookie).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // An administrator above reads the court but not its cases: as the list, so the export.
    t.user("admin-bj", "h11", &[Role::Administrator]).await;
    let admin = t.page_login("admin-bj").await;
    for path in [
        "/cases?court=b110105",
        "/cases/export.csv?court=b110105",
        "/cases/export.xlsx?court=b110105",
        "/alerts?court=b110105",
        "/alerts/export.csv?court=b110105",
        "/alerts/export.xlsx?court=b110105",
    ] {
        let (status, _, _) = download(t, path, &admin).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // An officer of another court likewise.
    t.user("officer-ca", "b130102", &[Role::Officer]).await;
    let other = t.page_login("officer-ca").await;
    let (status, _, _) = download(t, "/cases/export.csv?court=b110105", &other).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Signed out: no file at all.
    let r = t
        .client
        .get(t.url("/cases/export.csv"))
        .send()
        .await
        .unwrap();
    assert!(
        r.status() == StatusCode::SEE_OTHER || r.status() == StatusCode::UNAUTHORIZED,
        "{}",
        r.status()
    );

    // An auditor gets the events, headers in Chinese and times in Beijing time.
    t.user("auditor-cy", "b110105", &[Role::Auditor]).await;
    let auditor = t.page_login("auditor-cy").await;
    let (status, html) = t.html("/audit?kind=case.", &auditor).await;
    assert_eq!(status, StatusCode::OK);
    let link = links(&html, "/audit/export.xlsx?")
        .pop()
        .expect("an export link");
    assert!(link.contains("kind=case."), "{link}");
    let (status, _, body) = download(t, &link, &auditor).await;
    assert_eq!(status, StatusCode::OK);
    let (sheet, rows) = xlsx_rows(body);
    assert_eq!(sheet, "审计记录");
    assert_eq!(text(&rows[0][1]), "时间（北京时间）");
    assert!(rows.len() > 3, "the filings at least: {}", rows.len());
    assert!(
        rows[1..].iter().all(|r| text(&r[4]).starts_with("case.")),
        "the kind filter holds"
    );
    let filed = rows[1..]
        .iter()
        .find(|r| text(&r[4]) == "case.filed")
        .expect("a filing");
    assert_eq!(text(&filed[1]), "2026-03-02 10:00");
    let (status, _, body) = download(t, "/audit/export.csv?kind=case.filed", &auditor).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(csv_records(&body).len() - 1, 3, "three filings");
}

#[tokio::test]
async fn a_case_is_found_by_a_partys_id_number() {
    let w = world().await;
    let t = &w.t;
    // Typed with a lowercase check character and spaces around it: the canonical form's
    // blind index finds it.
    let id = id_number(2);
    for typed in [id.clone(), format!(" {} ", id.to_lowercase())] {
        let q: String = form_urlencoded::byte_serialize(typed.as_bytes()).collect();
        let (status, html) = t
            .html(&format!("/cases?submitted=1&q={q}"), &w.officer_cookie)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(w.cases[1].1.as_str()), "{typed}: {html}");
        assert!(
            !html.contains(w.cases[0].1.as_str()),
            "only that party's case"
        );
        assert!(!html.contains(w.cases[2].1.as_str()));
    }
    // The applicant is on every case.
    let page = t
        .get_value("/api/v1/cases?q=11010519491231002x", Some(&w.officer))
        .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 3, "{page}");
    // A well-formed number no party has finds nothing.
    let page = t
        .get_value(
            &format!("/api/v1/cases?q={}", id_number(9)),
            Some(&w.officer),
        )
        .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 0, "{page}");
}
