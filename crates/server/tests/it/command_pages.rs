//! The command-centre dashboard (指挥中心) over HTTP: the page shows the figures the indicator
//! API gives, drills down from a court to the courts below and on to a basic court's cases,
//! hides courts the caller may not read, serves its chart library itself, and its live feed
//! sends the summary again when a case is filed.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_server::Config;
use zhixing_testkit::TestApp;

const CHART_JS: &str = "/static/vendor/chart.js-4.6.1/chart.umd.min.js";

fn filing(doc: &str, principal: i64) -> Value {
    json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": principal},
        "duties": ""
    })
}

async fn spawn() -> TestApp {
    TestApp::spawn_with(Config {
        watch_worker: false,
        ..zhixing_testkit::test_config()
    })
    .await
}

async fn file(t: &TestApp, officer: &str, n: usize) -> i64 {
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(officer),
            &filing(&format!("(2026)京0105民初{n}号"), 100_000),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// Pays a case in full and closes it as performed (a closure that needs no approval), so
/// that the rates have values.
async fn close_performed(t: &TestApp, officer: &str, id: i64) {
    let p = |s: &str| format!("/api/v1/cases/{id}{s}");
    let r = t
        .post_json(&p("/payments"), Some(officer), &json!({"amount": 100_000}))
        .await;
    assert!(r.status().is_success(), "payment: {}", r.status());
    let r = t
        .post_json(
            &p("/closure"),
            Some(officer),
            &json!({"mode": "fully_performed", "reason": "全部履行完毕"}),
        )
        .await;
    assert!(r.status().is_success(), "closure: {}", r.status());
    let v: Value = t
        .get_value(&format!("/api/v1/cases/{id}"), Some(officer))
        .await;
    assert_eq!(v["status"], "closed");
}

/// The text between `start` (exclusive) and the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not in page"))
        + start.len();
    let j = html[i..].find(end).unwrap() + i;
    &html[i..j]
}

/// The `<tr id="ind-KEY">…</tr>` row of the indicator table.
fn indicator_row<'a>(html: &'a str, key: &str) -> &'a str {
    between(html, &format!("<tr id=\"ind-{key}\">"), "</tr>")
}

fn percent_or_number(key: &str, v: &Value) -> String {
    match v.as_f64() {
        None => "—".into(),
        Some(x) if key == "average_days_to_close" || key == "closed_per_officer" => {
            format!("{x:.1}")
        }
        Some(x) => format!("{:.2}%", x * 100.0),
    }
}

fn embedded(html: &str) -> Value {
    let json = between(
        html,
        "<script id=\"command-data\" type=\"application/json\">",
        "</script>",
    );
    serde_json::from_str(json).unwrap()
}

struct World {
    t: TestApp,
    officer: String,
    cases: Vec<i64>,
}

/// Two cases at 朝阳 (one closed as performed), one at 通州, one at Hebei's 长安.
async fn world() -> World {
    let t = spawn().await;
    let officer = t.signed_in("officer-cy", "b110105", Role::Officer).await;
    let officer_hd = t.signed_in("officer-hd", "b110112", Role::Officer).await;
    let officer_he = t.signed_in("officer-ca", "b130102", Role::Officer).await;
    let a = file(&t, &officer, 1).await;
    let b = file(&t, &officer, 2).await;
    close_performed(&t, &officer, a).await;
    let c = file(&t, &officer_hd, 3).await;
    let d = file(&t, &officer_he, 4).await;
    for (u, court) in [
        ("sup-spc", "spc"),
        ("sup-bj", "h11"),
        ("sup-he", "h13"),
        ("sup-i1103", "i1103"),
    ] {
        t.user(u, court, &[Role::Supervisor]).await;
    }
    t.user("officer-bj", "h11", &[Role::Officer]).await;
    World {
        t,
        officer,
        cases: vec![a, b, c, d],
    }
}

#[tokio::test]
async fn the_page_shows_the_subtree_figures_the_api_gives_and_drills_down_to_a_case() {
    let w = world().await;
    let t = &w.t;
    let cookie = t.page_login("sup-bj").await;
    let token = t.login("sup-bj").await;

    // Open alerts at 朝阳 (two kinds) and at Hebei's 长安, a cleared one at 通州: Beijing's
    // dashboard counts its own open ones only.
    for (court, kind, subject, cleared) in [
        ("b110105", "funds_overdue", "receipt:1", "NULL"),
        ("b110105", "funds_overdue", "receipt:2", "NULL"),
        ("b110105", "measure_expiring", "measure:1", "NULL"),
        ("b110112", "measure_expiring", "measure:2", "1"),
        ("b130102", "funds_overdue", "receipt:3", "NULL"),
    ] {
        t.raw_exec(&format!(
            "INSERT INTO alerts (court_id, case_id, kind, subject, message, raised_at, cleared_at) \
             VALUES ('{court}', NULL, '{kind}', '{subject}', '测试', 1, {cleared})"
        ))
        .await;
    }

    // /command is the caller's own court: the Beijing high court and everything under it.
    let (status, html) = t.html("/command", &cookie).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("指挥中心 · 北京市高级人民法院"));
    let api = t
        .get_value("/api/v1/indicators?court=h11", Some(&token))
        .await;
    assert_eq!(api["counters"]["filed"], 3, "three Beijing cases: {api}");
    assert_eq!(between(&html, "id=\"count-filed\">", "<"), "3");
    assert_eq!(between(&html, "id=\"count-closed\">", "<"), "1");
    for i in api["indicators"].as_array().unwrap() {
        let key = i["key"].as_str().unwrap();
        let row = indicator_row(&html, key);
        assert!(
            row.contains(&format!("{} / {}", i["numerator"], i["denominator"])),
            "{key}: {row}"
        );
        assert!(
            row.contains(&format!(
                "<td class=\"num value\">{}</td>",
                percent_or_number(key, &i["value"])
            )),
            "{key}: {row} vs {i}"
        );
        let mark = match i["meets_target"].as_bool() {
            Some(true) => "达标",
            Some(false) => "未达标",
            None if i["target"].is_null() => "无目标",
            None => "无数据",
        };
        assert!(row.contains(&format!(">{mark}</span>")), "{key}: {row}");
        if let Some(target) = i["target"].as_i64() {
            assert!(row.contains(&format!("≥ {target}%")), "{key}: {row}");
        }
    }
    let alerts = between(&html, "<table id=\"alert-table\">", "</table>");
    assert!(
        alerts.contains(
            "<tr data-kind=\"funds_overdue\"><td><a class=\"alert-list\" href=\"/alerts?court=h11&amp;kind=funds_overdue\">案款超期未发放</a></td>\
             <td class=\"num count\"><a href=\"/alerts?court=h11&amp;kind=funds_overdue\">2</a></td></tr>"
        ),
        "{alerts}"
    );
    assert!(
        alerts.contains(
            "<tr data-kind=\"measure_expiring\"><td><a class=\"alert-list\" href=\"/alerts?court=h11&amp;kind=measure_expiring\">控制措施即将到期</a></td>\
             <td class=\"num count\"><a href=\"/alerts?court=h11&amp;kind=measure_expiring\">1</a></td></tr>"
        ),
        "{alerts}"
    );

    // The fully performed rate is met or not, and marked so, with the API's numbers.
    let fp = indicator_row(&html, "fully_performed");
    assert!(fp.contains("1 / 1") && fp.contains("100.00%"), "{fp}");

    // The charts' data is embedded and equals what the page shows.
    let data = embedded(&html);
    assert_eq!(data["court"]["id"], "h11");
    assert_eq!(data["figures"][0]["key"], "filed");
    assert_eq!(data["figures"][0]["display"], "3");
    let months = data["trend"]["months"].as_array().unwrap();
    assert_eq!(months.last().unwrap(), &api["to"]);
    let filed_by_month: i64 = data["trend"]["filed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .sum();
    assert_eq!(filed_by_month, 3);
    assert!(html.contains("<canvas id=\"trend-chart\""));
    assert!(html.contains(&format!("src=\"{CHART_JS}\"")));

    // The ranking of the courts directly below, in the API's order, each a way down.
    let ranking = t
        .get_value("/api/v1/indicators/ranking?court=h11", Some(&token))
        .await;
    let ids: Vec<&str> = ranking["courts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["court"]["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"i1103"), "{ids:?}");
    let table = between(&html, "<table id=\"ranking-table\">", "</table>");
    let shown: Vec<&str> = table
        .split("<tr data-court=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(shown, ids);
    assert!(table.contains("href=\"/command/courts/i1103\""));

    // Down: the intermediate court (the period kept in the links), then the basic court.
    let (status, html) = t
        .html("/command/courts/i1103?from=2026-01&case_type=执", &cookie)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("指挥中心 · 北京市第三中级人民法院"), "{html}");
    assert!(
        html.contains("href=\"/command/courts/b110105?from=2026-01&amp;case_type=%E6%89%A7\""),
        "the drill-down keeps the period and type"
    );
    assert!(
        html.contains("href=\"/command/courts/h11?from=2026-01&amp;case_type=%E6%89%A7\""),
        "the way back up is in the breadcrumbs"
    );
    let (status, html) = t.html("/command/courts/b110105", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(between(&html, "id=\"count-filed\">", "<"), "2");
    assert!(
        html.contains("id=\"drill-cases\""),
        "a basic court leads to its cases"
    );
    assert!(
        !html.contains("id=\"ranking-table\""),
        "and has no courts below"
    );
    assert!(html.contains("href=\"/cases?court=b110105\""));

    // The case list of that court, and a case.
    let (status, list) = t.html("/cases?court=b110105", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("北京市朝阳区人民法院 · 案件"), "{list}");
    for id in &w.cases[..2] {
        assert!(list.contains(&format!("href=\"/cases/{id}\"")), "case {id}");
    }
    assert!(!list.contains(&format!("href=\"/cases/{}\"", w.cases[2])));
    let (status, case) = t.html(&format!("/cases/{}", w.cases[1]), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(case.contains("李四"));

    // The navigation and the home page lead here for supervisors.
    let (_, home) = t.html("/home", &cookie).await;
    assert!(home.contains("id=\"nav-command\" href=\"/command\""));
    assert!(home.contains("id=\"home-command\""));
    let officer_cookie = t.page_login("officer-cy").await;
    let (_, home) = t.html("/home", &officer_cookie).await;
    assert!(!home.contains("nav-command"), "not for an officer");
}

#[tokio::test]
async fn courts_the_caller_may_not_read_are_not_found_and_bad_input_is_a_400() {
    let w = world().await;
    let t = &w.t;

    // A sibling's supervisor: Hebei reads nothing of Beijing, page or stream.
    let he = t.page_login("sup-he").await;
    for path in [
        "/command/courts/h11",
        "/command/courts/i1103",
        "/command/courts/b110105",
        "/command/courts/spc",
        "/command/courts/nowhere",
        "/cases?court=b110105",
    ] {
        let (status, html) = t.html(path, &he).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("court_not_found"), "{path}: {html}");
    }
    let r = t
        .client
        .get(t.url("/command/courts/h11/events"))
        .header("cookie", &he)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (status, _) = t.html("/command/courts/b130102", &he).await;
    assert_eq!(status, StatusCode::OK, "its own province is fine");

    // An intermediate court's supervisor cannot look up to its high court.
    let i = t.page_login("sup-i1103").await;
    let (status, _) = t.html("/command/courts/h11", &i).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // An officer at a basic court opens neither a higher court's page nor a neighbour's.
    let officer = t.page_login("officer-cy").await;
    for path in [
        "/command/courts/i1103",
        "/command/courts/h11",
        "/command/courts/b110112",
    ] {
        let (status, _) = t.html(path, &officer).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // An officer of a high court has no reach below: the subtree is refused.
    let officer_bj = t.page_login("officer-bj").await;
    let (status, html) = t.html("/command", &officer_bj).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("subtree_not_allowed"));

    // Strangers are sent to the login page; the stream answers 401.
    let r = t.client.get(t.url("/command")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login");
    let r = t
        .client
        .get(t.url("/command/courts/h11/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Bad periods, types and ranking keys: a 400 page naming the problem.
    let sup = t.page_login("sup-bj").await;
    for (path, code) in [
        ("/command?from=2026-13", "invalid_period"),
        ("/command?from=2026-05&to=2026-01", "invalid_period"),
        ("/command?from=2000-01&to=2026-01", "invalid_period"),
        ("/command?case_type=%E6%B0%91", "invalid_case_type"),
        ("/command?by=nonsense", "invalid_indicator"),
        ("/command/courts/h11/events?to=x", "invalid_period"),
    ] {
        let (status, body) = t.html(path, &sup).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(body.contains(code), "{path}: {body}");
    }
    // Empty fields of the GET form are the defaults.
    let (status, _) = t.html("/command?from=&to=&case_type=&by=", &sup).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_chart_library_and_the_page_script_are_served_by_the_binary() {
    let t = spawn().await;
    let r = t.client.get(t.url(CHART_JS)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let cache = r.headers()["cache-control"].to_str().unwrap().to_owned();
    assert!(cache.contains("max-age=31536000"), "{cache}");
    let body = r.text().await.unwrap();
    assert!(
        body.starts_with("/*!\n * Chart.js v4.6.1"),
        "the vendored build"
    );
    assert!(body.len() > 150_000);

    let r = t
        .client
        .get(t.url("/static/command.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(r.text().await.unwrap().contains("EventSource"));
}

/// Reads server-sent events from `r` until one named `summary` arrives, or fails after
/// `within`.
async fn next_summary(r: &mut reqwest::Response, buf: &mut String, within: Duration) -> Value {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(end) = buf.find("\n\n") {
            let frame: String = buf.drain(..end + 2).collect();
            let mut name = "";
            let mut data = String::new();
            for line in frame.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                }
            }
            if name == "summary" {
                return serde_json::from_str(&data).unwrap();
            }
            continue;
        }
        let chunk = tokio::time::timeout_at(deadline, r.chunk())
            .await
            .expect("a summary event in time")
            .unwrap()
            .expect("the stream stays open");
        buf.push_str(std::str::from_utf8(&chunk).unwrap());
    }
}

fn filed(d: &Value) -> String {
    d["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "filed")
        .unwrap()["display"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_live_stream_sends_the_summary_again_when_a_case_is_filed() {
    let w = world().await;
    let t = &w.t;
    let cookie = t.page_login("sup-bj").await;
    let mut r = t
        .client
        .get(t.url("/command/courts/h11/events"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut buf = String::new();
    let first = next_summary(&mut r, &mut buf, Duration::from_secs(10)).await;
    assert_eq!(filed(&first), "3", "the figures as they stand");

    // The log moves without changing the counters (a sign-in is an audited event): nothing
    // is sent for it. Then a case is filed in Beijing, and the next summary counts it.
    t.login("officer-hd").await;
    file(t, &w.officer, 5).await;
    let next = next_summary(&mut r, &mut buf, Duration::from_secs(10)).await;
    assert_eq!(filed(&next), "4");
    let months = next["trend"]["filed"].as_array().unwrap();
    assert_eq!(
        months.iter().map(|v| v.as_i64().unwrap()).sum::<i64>(),
        4,
        "the trend moves with it"
    );
    let bj = next["ranking"]["courts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["court"]["id"] == "i1103")
        .unwrap()
        .clone();
    assert_eq!(
        bj["filed"], 4,
        "and the ranking (朝阳 and 通州 are both under it)"
    );

    // A Hebei filing does not concern Beijing's dashboard: nothing within a few polls, then
    // a Beijing filing is the next thing sent.
    let he = t.login("officer-ca").await;
    file(t, &he, 6).await;
    file(t, &w.officer, 7).await;
    let next = next_summary(&mut r, &mut buf, Duration::from_secs(10)).await;
    assert_eq!(filed(&next), "5");
}

/// Every role at 石家庄中院 (i1301) against its own court, a child, a sibling and its parent,
/// page and stream alike; expected answers written out by hand from the rule (read your own
/// court; supervisory roles read below; the subtree sums are for those who read below).
#[tokio::test]
async fn every_role_against_every_court_relation() {
    let t = spawn().await;
    for role in Role::ALL {
        let name = format!("m-{}", role.as_str().replace('_', "-"));
        t.user(&name, "i1301", &[role]).await;
        let cookie = t.page_login(&name).await;
        for (court, rel) in [
            ("i1301", "own"),
            ("b130102", "child"),
            ("i1302", "sibling"),
            ("h13", "parent"),
        ] {
            let reads_below = matches!(
                role,
                Role::Supervisor | Role::DivisionHead | Role::Auditor | Role::Administrator
            );
            let reads_child_cases =
                matches!(role, Role::Supervisor | Role::DivisionHead | Role::Auditor);
            let want = match rel {
                "own" if reads_below => StatusCode::OK,
                "own" => StatusCode::FORBIDDEN,
                "child" if reads_child_cases => StatusCode::OK,
                _ => StatusCode::NOT_FOUND,
            };
            let (status, _) = t.html(&format!("/command/courts/{court}"), &cookie).await;
            assert_eq!(status, want, "{role:?} page of {rel} court");
            let r = t
                .client
                .get(t.url(&format!("/command/courts/{court}/events")))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), want, "{role:?} stream of {rel} court");
        }
    }
}
