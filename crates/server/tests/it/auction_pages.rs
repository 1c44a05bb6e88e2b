//! The case page's auction section over plain HTTP, signed in with the session cookie as a
//! browser is: pricing a seized house by the parties' agreement, the Chinese refusal of a
//! too-low starting price that creates nothing, announcing with the live room's link,
//! recording a deposit, and who sees and may post the forms.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;

const COURT: &str = "b110105";
const DEBTOR: &str = "110101198001010010";
const HOUSE: &str = "京(2020)朝阳区不动产权第0001号";

/// The auction section of a case page.
fn section(page: &str) -> &str {
    let start = page
        .find("id=\"auctions\"")
        .unwrap_or_else(|| panic!("no auction section in {page}"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").unwrap()]
}

/// A case against DEBTOR with a seized house not yet priced, filed by `officer1`; returns the
/// app, the officer's cookie, the case and the asset.
async fn seized_house() -> (TestApp, String, i64, i64) {
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
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": DEBTOR}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初31号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 150_000_000}
            }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let case_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let asset_id = t
        .seized_asset(
            case_id,
            COURT,
            "real_estate",
            HOUSE,
            "朝阳区某小区1号楼101室",
            120_000_000,
        )
        .await;
    (t, cookie, case_id, asset_id)
}

/// Starts the determination and records the agreed price through the page's forms.
async fn agree(t: &TestApp, cookie: &str, id: i64, asset: i64, price: &str) {
    let (s, loc, body) = t
        .form(
            &format!("/cases/{id}/assets/{asset}/valuation"),
            cookie,
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert!(loc.starts_with(&format!("/cases/{id}")));
    let vid = t
        .raw_text(&format!(
            "SELECT CAST(id AS TEXT) FROM valuations WHERE asset_id = {asset}"
        ))
        .await;
    let (s, _, body) = t
        .form(
            &format!("/cases/{id}/valuations/{vid}/agreement"),
            cookie,
            &[("version", "1"), ("price", price), ("valid_until", "")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
}

/// Beijing wall time `days` from the test clock, as a `datetime-local` input gives it.
fn local(t: &TestApp, days: i64) -> String {
    t.app
        .now()
        .checked_add(jiff::SignedDuration::from_hours(days * 24))
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

fn plan<'a>(start: &'a str, starts: &'a str, ends: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("round", "first"),
        ("title", "朝阳区某小区1号楼101室"),
        ("start_price", start),
        ("increment", "10,000.00"),
        ("deposit", "70,000.00"),
        ("starts_at", starts),
        ("ends_at", ends),
        ("balance_days", "10"),
    ]
}

async fn count(t: &TestApp, table: &str) -> String {
    t.raw_text(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}"))
        .await
}

#[tokio::test]
async fn an_officer_prices_a_seized_house_and_announces_its_auction_from_the_case_page() {
    let (t, cookie, id, asset) = seized_house().await;
    let page = format!("/cases/{id}");
    let (s, body) = t.html(&page, &cookie).await;
    assert_eq!(s, StatusCode::OK);
    let sec = section(&body);
    assert!(sec.contains(HOUSE), "{sec}");
    assert!(sec.contains("尚未启动确定程序"));
    assert!(sec.contains(&format!("/cases/{id}/assets/{asset}/valuation")));
    // No announcement before a reference price.
    assert!(!sec.contains("class=\"announce\""));

    agree(&t, &cookie, id, asset, "1,000,000.00").await;
    let (_, body) = t.html(&page, &cookie).await;
    let sec = section(&body);
    assert!(
        sec.contains("class=\"reference-price\">¥1,000,000.00<"),
        "{sec}"
    );
    assert!(sec.contains("当事人议价"));
    assert!(sec.contains("class=\"announce\""));
    assert_eq!(
        t.raw_text(&format!(
            "SELECT CAST(price_fen AS TEXT) FROM valuations WHERE asset_id = {asset}"
        ))
        .await,
        "100000000"
    );

    // 690,000.00 is below 70% of the reference price: the domain refuses, in Chinese on the
    // page, and nothing is created.
    let (starts, ends) = (local(&t, 31), local(&t, 32));
    let announce = format!("/cases/{id}/assets/{asset}/auctions");
    let (s, _, body) = t
        .form(&announce, &cookie, &plan("690,000.00", &starts, &ends))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"auction-error\""), "{body}");
    assert!(body.contains("起拍价过低"));
    assert_eq!(count(&t, "auctions").await, "0");
    // Too short an announcement period, and money that is not money.
    let (early, early_end) = (local(&t, 5), local(&t, 6));
    let (s, _, body) = t
        .form(&announce, &cookie, &plan("700,000.00", &early, &early_end))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("公告期不足"), "{body}");
    let (s, _, body) = t
        .form(&announce, &cookie, &plan("70万", &starts, &ends))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("请填写金额"), "{body}");
    assert_eq!(count(&t, "auctions").await, "0");

    let (s, loc, body) = t
        .form(&announce, &cookie, &plan("700,000.00", &starts, &ends))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert!(loc.starts_with(&page));
    let aid = t.raw_text("SELECT CAST(id AS TEXT) FROM auctions").await;
    assert_eq!(
        t.raw_text("SELECT CAST(start_price AS TEXT) FROM auctions")
            .await,
        "70000000"
    );
    let (_, body) = t.html(&page, &cookie).await;
    let sec = section(&body);
    let room = format!("/public/auctions/{aid}");
    assert!(sec.contains(&format!("href=\"{room}\"")), "{sec}");
    assert!(sec.contains("公告期"));
    // The property is on sale: no second announcement form.
    assert!(!sec.contains("class=\"announce\""));
    // The start shows in Beijing time as entered.
    assert!(sec.contains(&starts.replace('T', " ")), "{sec}");
    let (s, _) = t.html(&room, "").await;
    assert_eq!(s, StatusCode::OK);

    // A bidder registers on the public side; the officer records the bank's deposit.
    let r = t
        .post_json(
            &format!("/public/v1/auctions/{aid}/bidders"),
            None,
            &json!({"real_name": "竞买人甲", "id_number": "110102197001010012"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let token = r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let paddle = super::auction::registration(&t, aid.parse().unwrap(), &token).await["paddle"]
        .as_u64()
        .unwrap()
        .to_string();
    let deposits = format!("/cases/{id}/auctions/{aid}/deposits");
    let (s, _, body) = t
        .form(
            &deposits,
            &cookie,
            &[
                ("paddle", "999"),
                ("amount", "70,000.00"),
                ("reference", "BANK-1"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("没有这个竞买号"), "{body}");
    let (s, _, body) = t
        .form(
            &deposits,
            &cookie,
            &[
                ("paddle", &paddle),
                ("amount", "70,000.00"),
                ("reference", "BANK-1"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(
        t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM auction_log WHERE kind = 'deposit_paid'")
            .await,
        "1"
    );
    // Twice is refused in Chinese.
    let (s, _, body) = t
        .form(
            &deposits,
            &cookie,
            &[
                ("paddle", &paddle),
                ("amount", "70,000.00"),
                ("reference", "BANK-1"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("保证金已登记"), "{body}");
}

#[tokio::test]
async fn another_courts_officer_gets_404_and_a_supervisor_sees_no_forms() {
    let (t, cookie, id, asset) = seized_house().await;
    agree(&t, &cookie, id, asset, "1,000,000.00").await;
    let (starts, ends) = (local(&t, 31), local(&t, 32));
    let announce = format!("/cases/{id}/assets/{asset}/auctions");
    let (s, _, _) = t
        .form(&announce, &cookie, &plan("700,000.00", &starts, &ends))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let aid = t.raw_text("SELECT CAST(id AS TEXT) FROM auctions").await;

    t.user("sibling", "b110101", &[Role::Officer]).await;
    let other = t.page_login("sibling").await;
    let (s, _) = t.html(&format!("/cases/{id}"), &other).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let vid = t
        .raw_text(&format!(
            "SELECT CAST(id AS TEXT) FROM valuations WHERE asset_id = {asset}"
        ))
        .await;
    for (path, fields) in [
        (format!("/cases/{id}/assets/{asset}/valuation"), vec![]),
        (
            format!("/cases/{id}/valuations/{vid}/agreement"),
            vec![("price", "1.00")],
        ),
        (announce.clone(), plan("700,000.00", &starts, &ends)),
        (announce.clone(), plan("1", "", "")),
        (
            format!("/cases/{id}/auctions/{aid}/deposits"),
            vec![("paddle", "1"), ("amount", "70,000.00"), ("reference", "X")],
        ),
        (
            format!("/cases/{id}/auctions/{aid}/preemptive-holders"),
            vec![("paddle", "x"), ("rank", "1")],
        ),
        (format!("/cases/{id}/auctions/{aid}/default"), vec![]),
    ] {
        let (s, _, body) = t.form(&path, &other, &fields).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {body}");
        assert!(
            !body.contains("起拍价"),
            "{path}: nothing about the case leaks"
        );
    }
    assert_eq!(count(&t, "auctions").await, "1");
    assert_eq!(count(&t, "valuations").await, "1");

    // A supervisor of the court reads the section but has no forms, and may not post.
    t.user("sup", COURT, &[Role::Supervisor]).await;
    let sup = t.page_login("sup").await;
    let (s, body) = t.html(&format!("/cases/{id}"), &sup).await;
    assert_eq!(s, StatusCode::OK);
    let sec = section(&body);
    assert!(sec.contains(HOUSE));
    assert!(sec.contains(&format!("/public/auctions/{aid}")));
    assert!(!sec.contains("<form"), "{sec}");
    let (s, _, _) = t
        .form(
            &format!("/cases/{id}/auctions/{aid}/deposits"),
            &sup,
            &[("paddle", "1"), ("amount", "70,000.00"), ("reference", "X")],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = t.form(&announce, &sup, &plan("1", "", "")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(count(&t, "auctions").await, "1");
}

/// The text of the section's refusal (`#auction-error`), tags stripped.
fn refusal_text(page: &str) -> String {
    let start = page
        .find("id=\"auction-error\"")
        .unwrap_or_else(|| panic!("no refusal in {page}"));
    let rest = &page[start..];
    let body = &rest[rest.find('>').unwrap() + 1..rest.find("</div>").unwrap()];
    body.to_owned()
}

#[tokio::test]
async fn a_new_version_of_the_start_price_rule_is_what_both_doors_say() {
    let (t, cookie, id, asset) = seized_house().await;
    agree(&t, &cookie, id, asset, "1,000,000.00").await;
    // An administrator raises the floor to 75% from a day before today.
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    let from = t.app.today().saturating_sub(jiff::Span::new().days(3));
    let citation = "《网络司法拍卖规定（试行修正）》第十条";
    let r = t
        .approve_proposal(
            t.post_json(
                "/api/v1/rules",
                Some(&admin),
                &json!({"id": "auction.start_price.min_ratio", "title": "起拍价下限比例",
                        "title_en": "Minimum starting price", "value": 75, "unit": "percent",
                        "citation": citation, "effective_from": from.to_string()}),
            )
            .await,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "the new version is added");

    // The API: a starting price at 72% of the reference price is refused by the new figure.
    let officer = t.login("officer1").await;
    let (starts, ends) = (local(&t, 31), local(&t, 32));
    let at = |local: &str| format!("{local}:00+08:00");
    let r = t
        .post_json(
            &format!("/api/v1/assets/{asset}/auctions"),
            Some(&officer),
            &json!({"title": "朝阳区某小区1号楼101室", "start_price_fen": 72_000_000,
                    "increment_fen": 1_000_000, "deposit_fen": 7_200_000,
                    "starts_at": at(&starts), "ends_at": at(&ends), "balance_days": 10}),
        )
        .await;
    let p =
        zhixing_testkit::assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "start_price_too_low")
            .await;
    assert_eq!(p["params"]["min_percent"], 75, "{p}");
    assert_eq!(p["params"]["rule"], "auction.start_price.min_ratio");
    assert_eq!(p["params"]["citation"], citation);
    assert_eq!(p["params"]["start_price"], 72_000_000);
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("75%") && detail.contains(citation),
        "{detail}"
    );
    assert!(!detail.contains("70"), "{detail}");

    // The case page: the same refusal, in Chinese, from the catalogue.
    let (s, _, body) = t
        .form(
            &format!("/cases/{id}/assets/{asset}/auctions"),
            &cookie,
            &plan("720,000.00", &starts, &ends),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let said = refusal_text(&body);
    assert!(said.contains("起拍价过低"), "{said}");
    assert!(said.contains("75%") && said.contains(citation), "{said}");
    assert!(!said.contains("70"), "{said}");
    assert_eq!(count(&t, "auctions").await, "0");
    // At 75% it is announced.
    let (s, _, body) = t
        .form(
            &format!("/cases/{id}/assets/{asset}/auctions"),
            &cookie,
            &[
                ("round", "first"),
                ("title", "朝阳区某小区1号楼101室"),
                ("start_price", "750,000.00"),
                ("increment", "10,000.00"),
                ("deposit", "75,000.00"),
                ("starts_at", &starts),
                ("ends_at", &ends),
                ("balance_days", "10"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
}
