//! The command centre's alerts over HTTP (issue 7, item 2): overdue and near deadlines,
//! untouched cases and stuck dishonest listings, raised by the watch worker on the right day
//! and not before, cleared when their condition goes; the list by court, scope and kind a page
//! at a time; the counts rolled up the court hierarchy; who may see them.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_app::command_centre::watch::{sweep, sweep_changed};
use zhixing_domain::access::Role;
use zhixing_server::Config;
use zhixing_testkit::{TestApp, assert_problem};

const APPLICANT_ID: &str = "11010519491231002X";
const RESPONDENT_ID: &str = "110101198001010010";

/// The background worker stays off: each test runs the passes it asserts on.
async fn spawn() -> TestApp {
    TestApp::spawn_with(Config {
        watch_worker: false,
        ..zhixing_testkit::test_config()
    })
    .await
}

/// Sets the clock to 10:00 Beijing time on `day`.
pub(super) fn at(t: &TestApp, day: &str) {
    let d: jiff::civil::Date = day.parse().unwrap();
    t.clock.set(
        d.at(10, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
            .unwrap()
            .timestamp(),
    );
}

fn filing(doc: &str) -> Value {
    json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": APPLICANT_ID},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": RESPONDENT_ID}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-01-05", "performance_deadline": "2026-01-20"},
        "amounts": {"principal": 1_000_000},
        "duties": ""
    })
}

async fn file(t: &TestApp, token: &str, doc: &str) -> (i64, String) {
    let r = t
        .post_json("/api/v1/cases", Some(token), &filing(doc))
        .await;
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{v}");
    (
        v["id"].as_i64().unwrap(),
        v["number"].as_str().unwrap().to_owned(),
    )
}

/// The open alerts of a case as (kind, subject).
async fn of_case(t: &TestApp, token: &str, id: i64) -> Vec<(String, String)> {
    let v = t
        .get_value(&format!("/api/v1/cases/{id}/alerts"), Some(token))
        .await;
    v.as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|a| {
            (
                a["kind"].as_str().unwrap().to_owned(),
                a["subject"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn has(alerts: &[(String, String)], kind: &str, subject: &str) -> bool {
    alerts.iter().any(|(k, s)| k == kind && s == subject)
}

fn kinds(alerts: &[(String, String)], kind: &str) -> usize {
    alerts.iter().filter(|(k, _)| k == kind).count()
}

async fn deadline_due(t: &TestApp, token: &str, id: i64, node: &str) -> String {
    let c = t
        .get_value(&format!("/api/v1/cases/{id}"), Some(token))
        .await;
    c["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["node"] == node)
        .unwrap_or_else(|| panic!("no deadline {node} in {c}"))["due"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn ok(r: reqwest::Response) -> Value {
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn deadlines_raise_due_soon_then_overdue_on_their_day_and_clear_when_done() {
    let t = spawn().await;
    // Monday 2 March 2026: Beijing's first online investigation is due in 5 days, the 7th, a
    // Saturday, so Monday the 9th; the lead is 3 working days.
    at(&t, "2026-03-02");
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (id, _) = file(&t, &officer, "(2026)京0105民初101号").await;
    assert_eq!(
        deadline_due(&t, &officer, id, "first_online_investigation").await,
        "2026-03-09"
    );
    let node = format!("case:{id}:node:first_online_investigation");

    // Tuesday the 3rd: three working days ahead is Friday the 6th — not yet.
    at(&t, "2026-03-03");
    let s = sweep(&t.app).await.unwrap();
    let a = of_case(&t, &officer, id).await;
    assert!(!has(&a, "deadline_due_soon", &node), "{a:?} {s:?}");
    assert_eq!(kinds(&a, "node_overdue"), 0, "{a:?}");

    // Wednesday the 4th: Monday the 9th is three working days ahead.
    at(&t, "2026-03-04");
    let s = sweep(&t.app).await.unwrap();
    assert!(s.case_alerts_raised >= 1, "{s:?}");
    let a = of_case(&t, &officer, id).await;
    assert!(has(&a, "deadline_due_soon", &node), "{a:?}");
    let again = sweep(&t.app).await.unwrap();
    assert_eq!(
        (again.case_alerts_raised, again.case_alerts_cleared),
        (0, 0),
        "a pass that finds nothing new writes nothing"
    );

    // On the day itself it is still due, not overdue …
    at(&t, "2026-03-09");
    sweep(&t.app).await.unwrap();
    let a = of_case(&t, &officer, id).await;
    assert!(has(&a, "deadline_due_soon", &node), "{a:?}");
    assert!(!has(&a, "node_overdue", &node), "{a:?}");
    // … the day after it is overdue, and the due-soon alert has gone. The narrow pass of a
    // new day does the day's work once (the mark), without a full pass.
    at(&t, "2026-03-10");
    let s = sweep_changed(&t.app, Some(t.app.now_us())).await.unwrap();
    let a = of_case(&t, &officer, id).await;
    assert!(has(&a, "node_overdue", &node), "{a:?} {s:?}");
    assert!(!has(&a, "deadline_due_soon", &node), "{a:?}");
    let listed = t
        .get_value("/api/v1/alerts?kind=node_overdue", Some(&officer))
        .await;
    let item = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["subject"] == node.as_str())
        .unwrap_or_else(|| panic!("{listed}"))
        .clone();
    assert_eq!(item["case_id"], id, "the alert links to its case");
    assert!(item["case_number"].as_str().unwrap().contains("京0105执"));
    assert_eq!(item["due_on"], "2026-03-09");

    // The investigation is recorded: the next narrow pass sees the change and clears it.
    let before = t.app.now_us();
    ok(t.post_json(
        &format!("/api/v1/cases/{id}/actions"),
        Some(&officer),
        &json!({"action": "online_investigation", "note": "总对总查控"}),
    )
    .await)
    .await;
    let s = sweep_changed(&t.app, Some(before)).await.unwrap();
    assert!(s.case_alerts_cleared >= 1, "{s:?}");
    let a = of_case(&t, &officer, id).await;
    assert!(!has(&a, "node_overdue", &node), "{a:?}");
    // Raising and clearing are in the audit trail of the case.
    let timeline = t
        .get_value(&format!("/api/v1/cases/{id}/timeline"), Some(&officer))
        .await;
    let kinds_seen: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(kinds_seen.contains(&"alert.node_overdue"), "{kinds_seen:?}");
    assert!(kinds_seen.contains(&"alert.cleared"), "{kinds_seen:?}");

    // The other nodes still call for alerts until the case closes; closing clears them all.
    let a = of_case(&t, &officer, id).await;
    assert!(
        kinds(&a, "node_overdue") + kinds(&a, "deadline_due_soon") >= 1,
        "{a:?}"
    );
    let before = t.app.now_us();
    ok(t.post_json(
        &format!("/api/v1/cases/{id}/payments"),
        Some(&officer),
        &json!({"amount": 1_000_000, "note": "被执行人自动履行"}),
    )
    .await)
    .await;
    ok(t.post_json(
        &format!("/api/v1/cases/{id}/closure"),
        Some(&officer),
        &json!({"mode": "fully_performed", "reason": "全部履行完毕"}),
    )
    .await)
    .await;
    sweep_changed(&t.app, Some(before)).await.unwrap();
    let a = of_case(&t, &officer, id).await;
    for kind in ["node_overdue", "deadline_due_soon", "case_untouched"] {
        assert_eq!(kinds(&a, kind), 0, "closed: {a:?}");
    }
    // Nor does the next day's pass bring them back.
    at(&t, "2026-03-11");
    sweep(&t.app).await.unwrap();
    let a = of_case(&t, &officer, id).await;
    assert_eq!(
        kinds(&a, "node_overdue") + kinds(&a, "deadline_due_soon"),
        0,
        "{a:?}"
    );
}

#[tokio::test]
async fn an_untouched_case_is_flagged_after_the_rule_books_days_and_cleared_when_touched() {
    let t = spawn().await;
    at(&t, "2026-03-02");
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (id, _) = file(&t, &officer, "(2026)京0105民初102号").await;
    let subject = format!("case:{id}:untouched");
    // 29 days without a change: not yet.
    at(&t, "2026-03-31");
    sweep(&t.app).await.unwrap();
    assert!(!has(
        &of_case(&t, &officer, id).await,
        "case_untouched",
        &subject
    ));
    // 30 days (rule alerts.untouched_days): flagged, by the next day's first narrow pass.
    at(&t, "2026-04-01");
    sweep_changed(&t.app, Some(t.app.now_us())).await.unwrap();
    assert!(has(
        &of_case(&t, &officer, id).await,
        "case_untouched",
        &subject
    ));
    // Any change to the case clears it at the next pass.
    let before = t.app.now_us();
    ok(t.post_json(
        &format!("/api/v1/cases/{id}/actions"),
        Some(&officer),
        &json!({"action": "notice_issued", "perform_days": 7, "report_days": 10}),
    )
    .await)
    .await;
    sweep_changed(&t.app, Some(before)).await.unwrap();
    assert!(!has(
        &of_case(&t, &officer, id).await,
        "case_untouched",
        &subject
    ));
    // A full pass (a process starting) does not raise it again.
    sweep(&t.app).await.unwrap();
    assert!(!has(
        &of_case(&t, &officer, id).await,
        "case_untouched",
        &subject
    ));
}

#[tokio::test]
async fn a_listing_still_published_after_its_end_is_reported_from_the_next_day() {
    let t = spawn().await;
    at(&t, "2026-03-02");
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (id, _) = file(&t, &officer, "(2026)京0105民初103号").await;
    ok(t.post_json(
        &format!("/api/v1/cases/{id}/listings"),
        Some(&officer),
        &json!({"party_no": 2, "grounds": [2], "facts": "以威胁方法抗拒执行"}),
    )
    .await)
    .await;
    // The published row says it ends today while the case says two years: the expiry step
    // will refuse it (the case data disagrees) and the listing stays up — stuck.
    at(&t, "2026-03-10");
    t.raw_exec(&format!(
        "UPDATE credit_listings SET ends_on = '2026-03-10' WHERE case_id = {id}"
    ))
    .await;
    let subject = format!("case:{id}:listing:1");
    sweep(&t.app).await.unwrap();
    assert!(
        !has(
            &of_case(&t, &officer, id).await,
            "listing_past_end",
            &subject
        ),
        "its last day is not past"
    );
    at(&t, "2026-03-11");
    sweep(&t.app).await.unwrap();
    let a = of_case(&t, &officer, id).await;
    assert!(has(&a, "listing_past_end", &subject), "{a:?}");
    // Removed by the officer: the alert goes at the next pass.
    ok(t.post_json(
        &format!("/api/v1/cases/{id}/listings/1/removal"),
        Some(&officer),
        &json!({"trigger": "applicant_request", "reason": "申请执行人书面申请删除失信信息"}),
    )
    .await)
    .await;
    sweep_changed(&t.app, Some(t.app.now_us())).await.unwrap();
    assert!(!has(
        &of_case(&t, &officer, id).await,
        "listing_past_end",
        &subject
    ));
}

/// Counts per kind of a summary's `by_kind`.
fn by_kind(v: &Value) -> BTreeMap<String, i64> {
    v["by_kind"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, n)| (k.clone(), n.as_i64().unwrap()))
        .collect()
}

/// Every open alert of a court's list, page after page.
async fn all_pages(t: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => format!("/api/v1/alerts?{query}"),
            Some(c) => format!("/api/v1/alerts?{query}&cursor={c}"),
        };
        let page = t.get_value(&path, Some(token)).await;
        out.extend(
            page["items"]
                .as_array()
                .unwrap_or_else(|| panic!("{page}"))
                .iter()
                .cloned(),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return out,
        }
    }
}

fn tally(items: &[Value]) -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    for i in items {
        *m.entry(i["kind"].as_str().unwrap().to_owned()).or_default() += 1;
    }
    m
}

#[tokio::test]
async fn counts_roll_up_the_hierarchy_and_only_for_those_who_may_read() {
    let t = spawn().await;
    at(&t, "2026-03-02");
    let chaoyang = t.signed_in("officer1", "b110105", Role::Officer).await;
    let dongcheng = t.signed_in("officer2", "b110112", Role::Officer).await;
    let (a, a_number) = file(&t, &chaoyang, "(2026)京0105民初104号").await;
    let (b, _) = file(&t, &chaoyang, "(2026)京0105民初105号").await;
    let (c, _) = file(&t, &dongcheng, "(2026)京0101民初106号").await;
    at(&t, "2026-03-10");
    sweep(&t.app).await.unwrap();

    let supervisor = t.signed_in("sup-h11", "h11", Role::Supervisor).await;
    let own_a = all_pages(&t, &supervisor, "court=b110105&scope=self").await;
    let own_c = all_pages(&t, &supervisor, "court=b110112&scope=self").await;
    assert!(
        own_a
            .iter()
            .any(|i| i["case_id"] == a && i["case_number"] == a_number.as_str())
    );
    assert!(own_a.iter().any(|i| i["case_id"] == b));
    assert!(own_c.iter().all(|i| i["case_id"] == c) && !own_c.is_empty());

    // The high court: nothing of its own; its one intermediate court carries both basic
    // courts' alerts.
    let s = t
        .get_value("/api/v1/alerts/summary?court=h11", Some(&supervisor))
        .await;
    assert_eq!(s["own"]["total"], 0, "{s}");
    let i1103 = s["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|ch| ch["court_id"] == "i1103")
        .unwrap_or_else(|| panic!("{s}"));
    let mut expected = tally(&own_a);
    for (k, n) in tally(&own_c) {
        *expected.entry(k).or_default() += n;
    }
    assert_eq!(by_kind(i1103), expected, "{s}");
    assert_eq!(
        i1103["total"].as_i64().unwrap(),
        (own_a.len() + own_c.len()) as i64
    );
    assert_eq!(by_kind(&s["total"]), expected);
    assert!(
        expected["node_overdue"] >= 3,
        "each case has an overdue node: {expected:?}"
    );

    // One level down, each basic court apart; courts without alerts are listed with zero.
    let s = t
        .get_value("/api/v1/alerts/summary?court=i1103", Some(&supervisor))
        .await;
    let child = |id: &str| {
        s["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|ch| ch["court_id"] == id)
            .unwrap_or_else(|| panic!("{id} in {s}"))
            .clone()
    };
    assert_eq!(by_kind(&child("b110105")), tally(&own_a));
    assert_eq!(by_kind(&child("b110112")), tally(&own_c));
    assert_eq!(child("b110113")["total"], 0);

    // The subtree list agrees with the counts, a page of one at a time.
    let subtree = all_pages(
        &t,
        &supervisor,
        "court=h11&scope=subtree&kind=node_overdue&limit=1",
    )
    .await;
    assert_eq!(subtree.len() as i64, expected["node_overdue"]);
    let mut ids: Vec<i64> = subtree.iter().map(|i| i["id"].as_i64().unwrap()).collect();
    ids.dedup();
    assert_eq!(ids.len(), subtree.len(), "no alert twice across pages");

    // A basic court's officer sees its own court, nothing of a sibling's or a superior's.
    let s = t.get_value("/api/v1/alerts/summary", Some(&chaoyang)).await;
    assert_eq!(by_kind(&s["own"]), tally(&own_a), "{s}");
    let sibling = t.signed_in("officer3", "b110113", Role::Officer).await;
    for path in [
        "/api/v1/alerts/summary?court=b110105",
        "/api/v1/alerts?court=b110105",
        "/api/v1/alerts/summary?court=i1103",
    ] {
        assert_problem(
            t.get(path, Some(&sibling)).await,
            StatusCode::NOT_FOUND,
            "court_not_found",
        )
        .await;
    }
    let theirs = all_pages(&t, &sibling, "scope=subtree").await;
    assert!(theirs.is_empty(), "{theirs:?}");
    // An officer of the intermediate court reads its own court only: no children in the
    // roll-up, and the subtree list narrows to `self`.
    let mid = t.signed_in("officer4", "i1103", Role::Officer).await;
    let s = t.get_value("/api/v1/alerts/summary", Some(&mid)).await;
    assert_eq!(s["children"], json!([]), "{s}");
    let page = t
        .get_value("/api/v1/alerts?scope=subtree", Some(&mid))
        .await;
    assert_eq!(page["scope"], "self");
    assert_eq!(page["items"], json!([]));
    // Hebei's supervisor does not see Beijing at all.
    let hebei = t.signed_in("sup-h13", "h13", Role::Supervisor).await;
    assert_problem(
        t.get("/api/v1/alerts/summary?court=h11", Some(&hebei))
            .await,
        StatusCode::NOT_FOUND,
        "court_not_found",
    )
    .await;
}

#[tokio::test]
async fn bad_parameters_are_refused_with_a_code() {
    let t = spawn().await;
    let sup = t.signed_in("sup1", "h11", Role::Supervisor).await;
    for (query, code) in [
        ("/api/v1/alerts?scope=everything", "invalid_scope"),
        ("/api/v1/alerts?kind=bogus", "unknown_alert_kind"),
        ("/api/v1/alerts?limit=0", "invalid_limit"),
        ("/api/v1/alerts?limit=501", "invalid_limit"),
        ("/api/v1/alerts?cursor=zz", "invalid_cursor"),
        ("/api/v1/alerts?court=..%2F", "invalid_court_id"),
        ("/api/v1/alerts?colour=red", "invalid_query"),
        ("/api/v1/alerts?limit=ten", "invalid_query"),
        ("/api/v1/alerts/summary?court=..%2F", "invalid_court_id"),
        ("/api/v1/alerts/summary?scope=self", "invalid_query"),
    ] {
        assert_problem(
            t.get(query, Some(&sup)).await,
            StatusCode::BAD_REQUEST,
            code,
        )
        .await;
    }
    assert_problem(
        t.get("/api/v1/alerts/summary?court=b999999", Some(&sup))
            .await,
        StatusCode::NOT_FOUND,
        "court_not_found",
    )
    .await;
    for path in ["/api/v1/alerts", "/api/v1/alerts/summary"] {
        assert_eq!(t.get(path, None).await.status(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn the_lead_time_is_the_rule_books_for_the_courts_region() {
    let t = spawn().await;
    at(&t, "2026-03-02");
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    // Beijing warns one working day ahead instead of the national three.
    let r = t
        .approve_proposal(
            t.post_json(
                "/api/v1/rules",
                Some(&admin),
                &json!({"id": "alerts.deadline_lead", "title": "节点期限届满预警提前量（北京示例）",
                        "value": 1, "unit": "working_days", "region": "11",
                        "citation": "示意性地方规则（非真实条文）", "effective_from": "2026-01-01"}),
            )
            .await,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let (id, _) = file(&t, &officer, "(2026)京0105民初107号").await;
    let node = format!("case:{id}:node:first_online_investigation");
    // Thursday the 5th: within three working days of Monday the 9th, not within one.
    at(&t, "2026-03-05");
    sweep(&t.app).await.unwrap();
    assert!(!has(
        &of_case(&t, &officer, id).await,
        "deadline_due_soon",
        &node
    ));
    // Friday the 6th: one working day ahead is Monday the 9th.
    at(&t, "2026-03-06");
    sweep(&t.app).await.unwrap();
    assert!(has(
        &of_case(&t, &officer, id).await,
        "deadline_due_soon",
        &node
    ));
}
