//! The rule book over the API: versions with citations, lookup by date and region, and new
//! versions added by administrators, in force at once and audited.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem};

#[tokio::test]
async fn the_shipped_rule_book_is_served_with_citations() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("officer1", "b110105", Role::Officer).await;
    let all: Value = t
        .get("/api/v1/rules", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let all = all.as_array().unwrap();
    assert!(all.len() > 40, "{} versions", all.len());
    for v in all {
        assert!(!v["citation"].as_str().unwrap().trim().is_empty(), "{v}");
    }
    let find = |id: &str| {
        all.iter()
            .find(|v| v["id"] == id && v["region"].is_null())
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    assert_eq!(
        (
            find("case.conclude")["value"].clone(),
            find("case.conclude")["unit"].clone()
        ),
        (json!(6), json!("months"))
    );
    assert_eq!(find("credit.dishonest.removal")["unit"], "working_days");
}

#[tokio::test]
async fn lookup_takes_the_date_of_the_act_and_the_courts_region() {
    let t = TestApp::spawn().await;
    let bj = t.signed_in("sup-bj", "h11", Role::Supervisor).await;
    let hb = t.signed_in("sup-hb", "h13", Role::Supervisor).await;
    let versions: Value = t
        .get("/api/v1/rules/case.first_online_investigation", Some(&bj))
        .await
        .json()
        .await
        .unwrap();
    let regional = versions
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["region"] == "11")
        .expect("the demo's Beijing override, loaded by the test kit as by `zhixing demo`")
        .clone();
    let national = versions
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["region"].is_null())
        .unwrap()
        .clone();
    assert_ne!(regional["value"], national["value"]);
    assert!(
        regional["title"].as_str().unwrap().contains("演示"),
        "the demo rule says what it is: {regional}"
    );

    let at = |token: String, court: &'static str| {
        let t = &t;
        async move {
            let r = t.get(&format!("/api/v1/rules/case.first_online_investigation/in-force?date=2025-06-01&court={court}"), Some(&token)).await;
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<Value>().await.unwrap()["value"].clone()
        }
    };
    assert_eq!(
        at(bj.clone(), "b110105").await,
        regional["value"],
        "a Beijing basic court gets the override"
    );
    assert_eq!(
        at(hb.clone(), "b130102").await,
        national["value"],
        "Hebei gets the national rule"
    );
    assert_problem(
        t.get(
            "/api/v1/rules/case.conclude/in-force?date=1990-01-01",
            Some(&bj),
        )
        .await,
        StatusCode::NOT_FOUND,
        "rule_not_in_force",
    )
    .await;
    assert_problem(
        t.get("/api/v1/rules/no.such.rule/in-force", Some(&bj))
            .await,
        StatusCode::NOT_FOUND,
        "unknown_rule",
    )
    .await;
    assert_problem(
        t.get("/api/v1/rules/no.such.rule", Some(&bj)).await,
        StatusCode::NOT_FOUND,
        "unknown_rule",
    )
    .await;
}

fn version(from: &str, value: i64) -> Value {
    json!({"id": "case.conclude", "title": "结案期限", "title_en": "Conclude", "value": value, "unit": "months",
           "citation": "《某修正》第一条", "effective_from": from})
}

#[tokio::test]
async fn an_administrator_adds_a_version_in_force_at_once_and_audited() {
    let t = TestApp::spawn().await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    let reader = t.signed_in("officer1", "b110105", Role::Officer).await;
    let r = t
        .post_json("/api/v1/rules", Some(&admin), &version("2030-01-01", 5))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let now: Value = t
        .get(
            "/api/v1/rules/case.conclude/in-force?date=2029-12-31",
            Some(&reader),
        )
        .await
        .json()
        .await
        .unwrap();
    let then: Value = t
        .get(
            "/api/v1/rules/case.conclude/in-force?date=2030-01-01",
            Some(&reader),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (now["value"].clone(), then["value"].clone()),
        (json!(6), json!(5))
    );

    // Another server process on the same database sees it without a restart.
    let other_store = zhixing_store::Store::connect(&t.db_url).await.unwrap();
    let other = zhixing_server::App::new(
        other_store,
        zhixing_testkit::test_config(),
        std::sync::Arc::new(zhixing_server::SystemClock),
        zhixing_server::courier(),
    )
    .unwrap();
    let book = other.rules.current(&other.store).await.unwrap();
    assert_eq!(
        book.value("case.conclude", jiff::civil::date(2030, 6, 1), "")
            .unwrap()
            .0,
        5
    );

    let added = t
        .app
        .store
        .list_events(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "rule.version_added" && e.actor != "system:demo")
        .count();
    assert_eq!(added, 1);
}

#[tokio::test]
async fn bad_rule_versions_are_refused_and_nothing_changes() {
    let t = TestApp::spawn().await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    let regional_admin = t.signed_in("admin13", "h13", Role::Administrator).await;
    let officer = t.signed_in("officer1", "h13", Role::Officer).await;
    let before = t.app.store.rule_book_generation().await.unwrap();

    assert_problem(
        t.post_json("/api/v1/rules", Some(&admin), &version("2007-01-01", 5))
            .await,
        StatusCode::CONFLICT,
        "rule_version_exists",
    )
    .await;
    let mut unknown = version("2030-01-01", 5);
    unknown["id"] = json!("case.made_up");
    assert_problem(
        t.post_json("/api/v1/rules", Some(&admin), &unknown).await,
        StatusCode::NOT_FOUND,
        "unknown_rule",
    )
    .await;
    let mut unit = version("2030-01-01", 5);
    unit["unit"] = json!("days");
    assert_problem(
        t.post_json("/api/v1/rules", Some(&admin), &unit).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_rule",
    )
    .await;
    let mut bogus_unit = version("2030-01-01", 5);
    bogus_unit["unit"] = json!("fortnights");
    assert_problem(
        t.post_json("/api/v1/rules", Some(&admin), &bogus_unit)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_rule",
    )
    .await;
    let mut uncited = version("2030-01-01", 5);
    uncited["citation"] = json!("");
    assert_problem(
        t.post_json("/api/v1/rules", Some(&admin), &uncited).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_rule",
    )
    .await;
    assert_problem(
        t.post_json("/api/v1/rules", Some(&admin), &version("30 Jan", 5))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_date",
    )
    .await;
    assert_problem(
        t.post_json("/api/v1/rules", Some(&admin), &version("2030-01-01", -1))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_rule",
    )
    .await;

    // A provincial administrator writes for its province only.
    assert_problem(
        t.post_json(
            "/api/v1/rules",
            Some(&regional_admin),
            &version("2030-01-01", 5),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let mut elsewhere = version("2030-01-01", 5);
    elsewhere["region"] = json!("11");
    assert_problem(
        t.post_json("/api/v1/rules", Some(&regional_admin), &elsewhere)
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        t.post_json("/api/v1/rules", Some(&officer), &version("2030-01-01", 5))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    assert_eq!(
        t.app.store.rule_book_generation().await.unwrap(),
        before,
        "nothing stored"
    );
    let mut own = version("2030-01-01", 5);
    own["region"] = json!("13");
    assert_eq!(
        t.post_json("/api/v1/rules", Some(&regional_admin), &own)
            .await
            .status(),
        StatusCode::CREATED
    );
}

/// A deadline reaching into a year with no official holiday calendar is never silent: the API
/// and the case page say it is provisional, and `/readyz` names the year.
#[tokio::test]
async fn a_year_without_an_official_calendar_makes_its_deadlines_provisional() {
    let t = TestApp::spawn().await;
    // The first year the shipped calendars do not cover (2027 as they stand); a case filed in
    // November of the year before concludes in it.
    let missing = (2026i16..2100)
        .find(|y| !t.app.calendar.last().covers(*y))
        .unwrap();
    let year = missing.to_string();
    t.clock.set(
        jiff::civil::date(missing - 1, 11, 16)
            .at(10, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
            .unwrap()
            .timestamp(),
    );
    let ready = t.get("/readyz", None).await;
    assert_eq!(ready.status(), StatusCode::OK);
    let said = ready.text().await.unwrap();
    assert!(
        said.contains(&year) && said.contains("provisional"),
        "{said}"
    );

    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (id, _) = super::cases::file(
        &t,
        &officer,
        &super::cases::filing("(2025)京0105民初300号", super::cases::RESPONDENT_ID),
    )
    .await;
    let c = super::cases::case(&t, &officer, id).await;
    let of = |node: &str| {
        c["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["node"] == node)
            .unwrap()["provisional_without_calendar"]
            .clone()
    };
    assert_eq!(of("conclusion"), json!(missing), "{c}");
    assert_eq!(of("notice"), Value::Null, "within the year before: {c}");
    t.user("officer2", "b110105", &[Role::Officer]).await;
    let cookie = t.page_login("officer2").await;
    let (status, page) = t.html(&format!("/cases/{id}"), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("暂定：缺{missing}年节假日安排")),
        "{page}"
    );
}
