//! The rule book over the API: versions with citations, lookup by date and region, and new
//! versions and years' official calendars proposed by one administrator and approved by
//! another (four eyes), in force at once and audited.

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
async fn a_version_proposed_by_one_administrator_is_in_force_once_another_approves_it() {
    let t = TestApp::spawn().await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    let regional = t.signed_in("admin13", "h13", Role::Administrator).await;
    let reader = t.signed_in("officer1", "b110105", Role::Officer).await;
    let in_force = |date: &'static str| {
        let t = &t;
        let reader = reader.clone();
        async move {
            t.get_value(
                &format!("/api/v1/rules/case.conclude/in-force?date={date}"),
                Some(&reader),
            )
            .await["value"]
                .clone()
        }
    };
    let r = t
        .post_json("/api/v1/rules", Some(&admin), &version("2030-01-01", 5))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let p: Value = r.json().await.unwrap();
    assert_eq!(
        (p["kind"].as_str(), p["status"].as_str()),
        (Some("rule_version"), Some("pending"))
    );
    let id = p["id"].as_i64().unwrap();
    assert_eq!(
        in_force("2030-01-01").await,
        json!(6),
        "not before approval"
    );
    let listed = t.get_value("/api/v1/rules/proposals", Some(&admin)).await;
    assert_eq!(listed[0]["id"], id, "{listed}");
    assert_problem(
        t.get("/api/v1/rules/proposals", Some(&reader)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Four eyes: the proposer may neither approve nor reject it; an administrator of a court
    // below does not even see it.
    let decide = |token: String, approve: bool, note: &'static str| {
        let t = &t;
        async move {
            t.post_json(
                &format!("/api/v1/rules/proposals/{id}/decision"),
                Some(&token),
                &json!({"approve": approve, "note": note}),
            )
            .await
        }
    };
    for approve in [true, false] {
        let p = assert_problem(
            decide(admin.clone(), approve, "自己审批").await,
            StatusCode::CONFLICT,
            "own_proposal",
        )
        .await;
        assert_eq!(p["params"]["what"], "rule_version");
        assert_eq!(
            p["detail"],
            "a rule version is approved by an administrator other than who proposed it"
        );
    }
    assert_problem(
        decide(regional.clone(), true, "").await,
        StatusCode::NOT_FOUND,
        "proposal_not_found",
    )
    .await;
    assert_problem(
        decide(reader.clone(), true, "").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(in_force("2030-01-01").await, json!(6), "still not in force");

    let r = t.approve_proposal_id(id).await;
    assert_eq!(r.status(), StatusCode::OK);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["status"], "approved");
    assert_eq!(
        (in_force("2029-12-31").await, in_force("2030-01-01").await),
        (json!(6), json!(5))
    );
    assert_problem(
        decide(admin.clone(), true, "").await,
        StatusCode::CONFLICT,
        "proposal_decided",
    )
    .await;

    // A provincial administrator proposes for its province; the SPC's administrator, above
    // it, approves; a rejection needs its reason.
    let mut own = version("2031-01-01", 4);
    own["region"] = json!("13");
    let r = t.post_json("/api/v1/rules", Some(&regional), &own).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let second = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = t
        .post_json(
            &format!("/api/v1/rules/proposals/{second}/decision"),
            Some(&admin),
            &json!({"approve": false, "note": ""}),
        )
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "reason_required").await;
    let r = t
        .post_json(
            &format!("/api/v1/rules/proposals/{second}/decision"),
            Some(&admin),
            &json!({"approve": false, "note": "依据不明"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "rejected");

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

    let kinds: Vec<String> = t
        .app
        .store
        .list_events(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| {
            e.kind.starts_with("rule.")
                && e.kind != "rule.version_loaded"
                && e.actor != "system:demo"
        })
        .map(|e| e.kind)
        .collect();
    for (kind, n) in [
        ("rule.rule_version_proposed", 2),
        ("rule.proposal_approved", 1),
        ("rule.version_added", 1),
        ("rule.proposal_rejected", 1),
    ] {
        assert_eq!(
            kinds.iter().filter(|k| *k == kind).count(),
            n,
            "{kind}: {kinds:?}"
        );
    }
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

    // An administrator loads the year's official calendar; another approves it; the
    // deadlines in that year stop being provisional. The calendar here is a test fixture
    // (made-up days, not the State Council's notice): no year's calendar is invented in
    // `rules/calendar/`.
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    // The watch worker puts the missing year on the administrators' queue (their home page).
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    let admin_cookie = t.page_login("admin0").await;
    let (_, home) = t.html("/home", &admin_cookie).await;
    assert!(
        home.contains(&format!("data-subject=\"calendar:{missing}\""))
            && home.contains(&format!("尚未载入 {missing} 年的官方节假日安排")),
        "{home}"
    );
    let calendars = t.get_value("/api/v1/calendars", Some(&officer)).await;
    assert_eq!(calendars["missing"], json!([missing]), "{calendars}");
    let fixture = fixture_calendar(missing);
    let r = t
        .post_json("/api/v1/calendars", Some(&admin), &json!({"text": fixture}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let p: Value = r.json().await.unwrap();
    assert_eq!(
        (p["kind"].as_str(), p["subject"].as_str()),
        (Some("calendar"), Some(year.as_str()))
    );
    let own = assert_problem(
        t.post_json(
            &format!("/api/v1/rules/proposals/{}/decision", p["id"]),
            Some(&admin),
            &json!({"approve": true}),
        )
        .await,
        StatusCode::CONFLICT,
        "own_proposal",
    )
    .await;
    assert_eq!(own["params"]["what"], "calendar");
    let still = super::cases::case(&t, &officer, id).await;
    let conclusion_of = |c: &Value| {
        c["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["node"] == "conclusion")
            .unwrap()["provisional_without_calendar"]
            .clone()
    };
    assert_eq!(conclusion_of(&still), json!(missing), "not before approval");
    let r = t.approve_proposal_id(p["id"].as_i64().unwrap()).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let c = super::cases::case(&t, &officer, id).await;
    assert!(conclusion_of(&c).is_null(), "{c}");
    let (_, page) = t.html(&format!("/cases/{id}"), &cookie).await;
    assert!(!page.contains("暂定：缺"), "{page}");
    let ready = t.get("/readyz", None).await.text().await.unwrap();
    assert_eq!(ready, "ready");
    let (_, home) = t.html("/home", &admin_cookie).await;
    assert!(!home.contains("calendar:"), "the alert is cleared: {home}");
    let cleared = t
        .raw_text(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM alerts WHERE subject = 'calendar:{missing}' AND cleared_at IS NOT NULL"
        ))
        .await;
    assert_eq!(cleared, "1");
    let calendars = t.get_value("/api/v1/calendars", Some(&officer)).await;
    assert_eq!(calendars["missing"], json!([]), "{calendars}");
    // An official calendar is not replaced, and a provincial administrator loads none.
    assert_problem(
        t.post_json("/api/v1/calendars", Some(&admin), &json!({"text": fixture}))
            .await,
        StatusCode::CONFLICT,
        "calendar_exists",
    )
    .await;
    let regional = t.signed_in("admin11", "h11", Role::Administrator).await;
    assert_problem(
        t.post_json(
            "/api/v1/calendars",
            Some(&regional),
            &json!({"text": fixture_calendar(missing + 1)}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        t.post_json(
            "/api/v1/calendars",
            Some(&admin),
            &json!({"text": "year = 20"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_calendar",
    )
    .await;
}

/// A calendar text for `year` made up for the tests: two days off around the first of May
/// and one weekend made a working day. Not anyone's official calendar.
fn fixture_calendar(year: i16) -> String {
    // The first Saturday of February is a weekend day in any year.
    let feb = jiff::civil::date(year, 2, 1);
    let saturday = (0..7)
        .map(|i| feb.checked_add(jiff::Span::new().days(i)).unwrap())
        .find(|d| d.weekday() == jiff::civil::Weekday::Saturday)
        .unwrap();
    format!(
        "year = {year}\nsource = \"测试夹具（虚构，非官方通知）\"\nholidays = [\"{year}-05-01\", \"{year}-05-04\"]\nworkdays = [\"{saturday}\"]\n"
    )
}
