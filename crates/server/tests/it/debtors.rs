//! One debtor across courts (关联案件, issue 17 part 1): found through the blind index of the
//! identifier across courts, never by name; shown only to those who hold a case against the
//! respondent or supervise above both courts; each view an audited read; the measures on
//! the same property in their order (first seizure, waiting list).

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem};

/// The debtor with cases in Beijing and Hebei.
const DEBTOR_ID: &str = "110101198001010010";
/// Another person of the same name.
const NAMESAKE_ID: &str = "110108198507150031";
/// The applicant of every case.
const APPLICANT_ID: &str = "11010519491231002X";

async fn file(
    t: &TestApp,
    token: &str,
    respondent_id: &str,
    doc: &str,
    principal: i64,
) -> (i64, String) {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": APPLICANT_ID},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": respondent_id}
        ],
        "basis": {"kind": "judgment", "issuing_body": "某法院", "document_number": doc, "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": principal}
    });
    let r = t.post_json("/api/v1/cases", Some(token), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    (
        v["id"].as_i64().unwrap(),
        v["number"].as_str().unwrap().to_owned(),
    )
}

struct World {
    t: TestApp,
    beijing: String,
    hebei: String,
    namesake_officer: String,
    a: (i64, String),
    b: (i64, String),
    c: (i64, String),
}

/// Case A at 东城 (Beijing) and case B at 长安区 (Hebei) against the same person, the same
/// house seized first by A and waiting in B; case C at 海淀 against a namesake.
async fn world() -> World {
    let t = TestApp::spawn().await;
    let beijing = t.signed_in("officer-bj", "b110101", Role::Officer).await;
    let hebei = t.signed_in("officer-he", "b130102", Role::Officer).await;
    let namesake_officer = t.signed_in("officer-hd", "b110108", Role::Officer).await;
    let a = file(&t, &beijing, DEBTOR_ID, "民初1号", 1_000_000).await;
    let b = file(&t, &hebei, DEBTOR_ID, "民初2号", 500_000).await;
    let c = file(&t, &namesake_officer, NAMESAKE_ID, "民初3号", 300_000).await;
    t.seized_asset(
        a.0,
        "b110101",
        "real_estate",
        "京(2020)东城区不动产权第0001号",
        "东城区某小区1号楼101",
        300_000_000,
    )
    .await;
    let asset_b = t
        .seized_asset(
            b.0,
            "b130102",
            "real_estate",
            "京(2020)东城区不动产权第0001号",
            "东城区某小区1号楼101",
            300_000_000,
        )
        .await;
    // B's seizure waits behind A's (轮候), first on the list.
    t.raw_exec(&format!(
        "UPDATE measures SET status = 'queued', queue_position = 1 WHERE asset_id = {asset_b}"
    ))
    .await;
    World {
        t,
        beijing,
        hebei,
        namesake_officer,
        a,
        b,
        c,
    }
}

fn related(path_case: i64) -> String {
    format!("/api/v1/cases/{path_case}/parties/2/related-cases")
}

#[tokio::test]
async fn found_by_identifier_across_two_courts_with_the_order_on_the_same_property() {
    let w = world().await;
    let r = w.t.get(&related(w.a.0), Some(&w.beijing)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["reach"], "national");
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(
        cases.len(),
        1,
        "B only: not A itself, not the namesake: {v}"
    );
    assert_eq!(cases[0]["case_id"], w.b.0);
    assert_eq!(cases[0]["number"], w.b.1.as_str());
    assert_eq!(cases[0]["court_id"], "b130102");
    assert_eq!(cases[0]["status"], "open");
    assert!(cases[0]["outstanding_fen"].as_i64().unwrap() >= 500_000);
    // Only the fields the view gives: no identifier, no parties, no state.
    let keys: Vec<&str> = cases[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in &keys {
        assert!(
            [
                "case_id",
                "number",
                "court_id",
                "court_name",
                "status",
                "filed_on",
                "total_due_fen",
                "paid_fen",
                "outstanding_fen"
            ]
            .contains(k),
            "unexpected field {k}"
        );
    }
    assert!(
        !v.to_string().contains(DEBTOR_ID),
        "the identifier stays masked"
    );
    // The house: A seized it first, B waits first on the list.
    let property = v["property"].as_array().unwrap();
    assert_eq!(property.len(), 1, "{v}");
    let holds = property[0]["measures"].as_array().unwrap();
    assert_eq!(holds.len(), 2);
    assert_eq!(holds[0]["case_id"], w.a.0);
    assert_eq!(holds[0]["status"], "active");
    assert_eq!(holds[0]["rank"], 1);
    assert_eq!(holds[1]["case_id"], w.b.0);
    assert_eq!(holds[1]["status"], "queued");
    assert_eq!(holds[1]["queue_position"], 1);
    assert_eq!(property[0]["in_this_case"], true);

    // From Hebei the same debtor leads back to Beijing.
    let v = w.t.get_value(&related(w.b.0), Some(&w.hebei)).await;
    assert_eq!(v["cases"][0]["case_id"], w.a.0);
    assert_eq!(v["cases"][0]["court_id"], "b110101");
}

#[tokio::test]
async fn not_found_by_the_same_name_with_another_identifier() {
    let w = world().await;
    let v =
        w.t.get_value(&related(w.c.0), Some(&w.namesake_officer))
            .await;
    assert_eq!(v["name"], "李四");
    assert_eq!(v["cases"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(v["property"].as_array().unwrap().len(), 0, "{v}");
    let v = w.t.get_value(&related(w.a.0), Some(&w.beijing)).await;
    assert!(
        v["cases"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["case_id"] != w.c.0),
        "the namesake's case is not the debtor's: {v}"
    );
}

#[tokio::test]
async fn refused_to_those_without_a_case_against_the_debtor() {
    let w = world().await;
    // An officer of another court, with no case against the debtor: the case is not theirs
    // to know of.
    let r = w.t.get(&related(w.a.0), Some(&w.namesake_officer)).await;
    assert_problem(r, StatusCode::NOT_FOUND, "case_not_found").await;
    // Readers of the court who handle no case (an auditor, the president): typed refusal.
    for (name, role) in [("aud-bj", Role::Auditor), ("pres-bj", Role::President)] {
        let token = w.t.signed_in(name, "b110101", role).await;
        let r = w.t.get(&related(w.a.0), Some(&token)).await;
        assert_problem(r, StatusCode::FORBIDDEN, "related_cases_not_allowed").await;
    }
    // The applicant is nobody's debtor here.
    let r =
        w.t.get(
            &format!("/api/v1/cases/{}/parties/1/related-cases", w.a.0),
            Some(&w.beijing),
        )
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "respondent_not_found").await;
    let r =
        w.t.get(
            &format!("/api/v1/cases/{}/parties/9/related-cases", w.a.0),
            Some(&w.beijing),
        )
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, "party_not_found").await;
}

#[tokio::test]
async fn a_supervisor_sees_the_courts_below_only() {
    let w = world().await;
    // Beijing's high court is above A's court, not B's (Hebei).
    let bj = w.t.signed_in("sup-bj", "h11", Role::Supervisor).await;
    let v = w.t.get_value(&related(w.a.0), Some(&bj)).await;
    assert_eq!(v["reach"], "subtree");
    assert_eq!(v["cases"].as_array().unwrap().len(), 0, "{v}");
    let holds = v["property"][0]["measures"].as_array().unwrap();
    assert_eq!(holds.len(), 1, "B's seizure is Hebei's: {v}");
    // The SPC's supervisor is above both.
    let spc = w.t.signed_in("sup-spc", "spc", Role::Supervisor).await;
    let v = w.t.get_value(&related(w.a.0), Some(&spc)).await;
    assert_eq!(v["cases"][0]["case_id"], w.b.0);
    // The command centre's view: from A's number, both courts' cases, linked.
    let cookie = w.t.page_login("sup-spc").await;
    let (status, html) =
        w.t.html(
            &format!("/command/debtors?case={}", urlencode(&w.a.1)),
            &cookie,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&w.b.1), "{html}");
    assert!(html.contains(&format!("/cases/{}", w.b.0)));
    assert!(html.contains("首封") && html.contains("轮候中"), "{html}");
    // An officer has no command centre.
    let cookie = w.t.page_login("officer-bj").await;
    let (status, _) = w.t.html("/command/debtors", &cookie).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn every_view_is_an_audited_read_and_the_case_page_shows_it() {
    let w = world().await;
    let reads = |t: &TestApp, id: i64| {
        let store = t.app.store.clone();
        async move {
            store
                .list_events(&Default::default())
                .await
                .unwrap()
                .into_iter()
                .filter(|e| {
                    e.kind == "read.sensitive"
                        && e.subject == format!("case:{id}")
                        && e.payload.contains("related_cases")
                })
                .collect::<Vec<_>>()
        }
    };
    assert!(reads(&w.t, w.a.0).await.is_empty());
    w.t.get_value(&related(w.a.0), Some(&w.beijing)).await;
    let seen = reads(&w.t, w.a.0).await;
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].payload.contains(&w.b.0.to_string()),
        "names the cases shown"
    );
    assert!(!seen[0].payload.contains(DEBTOR_ID));
    // A refused look records nothing.
    let aud = w.t.signed_in("aud-bj", "b110101", Role::Auditor).await;
    w.t.get(&related(w.a.0), Some(&aud)).await;
    assert_eq!(reads(&w.t, w.a.0).await.len(), 1);
    // The case page: the section, in Chinese, with yuan; and the view recorded again.
    let cookie = w.t.page_login("officer-bj").await;
    let (status, html) = w.t.html(&format!("/cases/{}", w.a.0), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("关联案件（同一被执行人）"), "{html}");
    assert!(html.contains(&w.b.1));
    assert!(html.contains("首封") && html.contains("轮候中"));
    assert!(html.contains("¥"));
    assert_eq!(reads(&w.t, w.a.0).await.len(), 2);
    // The auditor's case page has no such section and records no such read.
    let _ = &w.hebei;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_generator_makes_debtors_with_cases_in_several_courts() {
    let t = TestApp::spawn().await;
    let courts: Vec<String> = ["b110105", "b110108", "b130102"]
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    let n = zhixing_fixtures::debtors_across_courts(&t.app, &courts, 3, 1)
        .await
        .unwrap();
    assert_eq!(n, 3);
    let officer = t.signed_in("officer-cy", "b110105", Role::Officer).await;
    let f = zhixing_store::cases::CaseFilter {
        court_id: "b110105".into(),
        limit: 100,
        ..Default::default()
    };
    let mut shown = 0;
    for c in t.app.store.list_cases(&f).await.unwrap() {
        let v = t.get_value(&related(c.id), Some(&officer)).await;
        let others = v["cases"].as_array().unwrap();
        if others.is_empty() {
            // The third debtor's relative, who holds the same house: no case elsewhere.
            continue;
        }
        assert!(others.iter().all(|o| o["court_id"] != "b110105"));
        let holds = v["property"][0]["measures"].as_array().unwrap();
        assert_eq!(
            holds.len(),
            others.len() + 1,
            "the house in every case: {v}"
        );
        assert_eq!(holds[0]["case_id"], c.id, "seized first here");
        assert!(holds[1..].iter().all(|h| h["status"] == "queued"));
        shown += 1;
    }
    // The third debtor's house is also held against another person: a link in the web.
    let spc = t.signed_in("sup-gen", "spc", Role::Supervisor).await;
    let mut elsewhere = 0;
    for court in &courts {
        let f = zhixing_store::cases::CaseFilter {
            court_id: court.clone(),
            limit: 100,
            ..Default::default()
        };
        for c in t.app.store.list_cases(&f).await.unwrap() {
            let web = t
                .get_value(
                    &format!("/api/v1/cases/{}/related-parties", c.id),
                    Some(&spc),
                )
                .await;
            elsewhere += web["links"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["relation"] == "property_elsewhere" && l["debtor_elsewhere"] == 1)
                .count();
        }
    }
    assert!(
        elsewhere >= 2,
        "from each of the debtor's cases to the relative, a debtor in one case"
    );
    assert_eq!(shown, 3, "the first debtors start at the demo's court");
    assert!(t.app.store.verify_chain().await.unwrap().is_ok());
}

/// The web of related parties and property (part 2): a company and its guarantor as
/// respondents, a house found by a registry's reply, the same house found in another
/// person's case.
#[tokio::test]
async fn the_web_of_related_parties_names_each_links_source_and_marks_debtors_elsewhere() {
    let w = world().await;
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": APPLICANT_ID},
            {"role": "respondent", "kind": "organisation", "name": "北京某某贸易有限公司", "credit_code": "91110101MA01ABCD19", "legal_representative": "王五"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": DEBTOR_ID}
        ],
        "basis": {"kind": "judgment", "issuing_body": "某法院", "document_number": "(2026)京0101民初9号", "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 800_000}
    });
    let r =
        w.t.post_json("/api/v1/cases", Some(&w.beijing), &body)
            .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let case = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // A flat the registry's reply found in this case, and in the namesake's case at 海淀.
    let reply = "0123456789abcdef0123456789abcdef";
    let flat = "京(2019)东城区不动产权第0098765号";
    for (case_id, court, found_by) in [(case, "b110101", reply), (w.c.0, "b110108", "test")] {
        w.t.raw_exec(&format!(
            "INSERT INTO assets (case_id, court_id, institution_id, kind, reference, description, value_fen, encumbrances, found_by, found_at) \
             VALUES ({case_id}, '{court}', 'reg-bj', 'real_estate', '{flat}', '东城区某街5号', 100000000, '[]', '{found_by}', 1780000000000000)"
        ))
        .await;
    }
    let v =
        w.t.get_value(
            &format!("/api/v1/cases/{case}/related-parties"),
            Some(&w.beijing),
        )
        .await;
    let links = v["links"].as_array().unwrap();
    let find = |relation: &str, to: &str| {
        links
            .iter()
            .find(|l| l["relation"] == relation && l["to"] == to)
            .unwrap_or_else(|| panic!("{relation} → {to} in {v}"))
    };
    let rep = find("legal_representative", "王五");
    assert_eq!(rep["from"], "北京某某贸易有限公司");
    assert_eq!(rep["source_kind"], "filing");
    assert!(
        rep["source"]
            .as_str()
            .unwrap()
            .contains("(2026)京0101民初9号")
    );
    assert!(rep["debtor_elsewhere"].is_null(), "a name is never matched");
    // The guarantor owes in Beijing (A) and Hebei (B) as well: marked.
    let guarantor = find("co_respondent", "李四");
    assert_eq!(guarantor["debtor_elsewhere"], 2);
    let company = find("co_respondent", "北京某某贸易有限公司");
    assert_eq!(company["debtor_elsewhere"], 0);
    let flat_link = find("property", "东城区某街5号");
    assert_eq!(flat_link["source_kind"], "reply");
    assert_eq!(flat_link["source"], reply);
    assert_eq!(flat_link["institution"], "北京市不动产登记中心");
    assert_eq!(flat_link["source_on"], "2026-05-29");
    // The same flat in the namesake's case: that respondent, their case, marked a debtor.
    let elsewhere = find("property_elsewhere", "李四");
    assert_eq!(elsewhere["case_number"], w.c.1.as_str());
    assert_eq!(elsewhere["debtor_elsewhere"], 1);
    assert_eq!(elsewhere["reference"], flat);
    // Audited, and refused as the related cases are.
    let reads =
        w.t.app
            .store
            .list_events(&Default::default())
            .await
            .unwrap()
            .into_iter()
            .filter(|e| {
                e.kind == "read.sensitive"
                    && e.subject == format!("case:{case}")
                    && e.payload.contains("related_parties")
            })
            .count();
    assert_eq!(reads, 1);
    let aud = w.t.signed_in("aud-web", "b110101", Role::Auditor).await;
    let r =
        w.t.get(&format!("/api/v1/cases/{case}/related-parties"), Some(&aud))
            .await;
    assert_problem(r, StatusCode::FORBIDDEN, "related_cases_not_allowed").await;
    // The case page's table, without any script.
    let cookie = w.t.page_login("officer-bj").await;
    let (_, html) = w.t.html(&format!("/cases/{case}"), &cookie).await;
    assert!(html.contains("关联关系（当事人与财产）"), "{html}");
    assert!(html.contains("法定代表人") && html.contains("王五"));
    assert!(html.contains("同一财产在他案被查控"));
    assert!(html.contains("他案被执行人 2 件"), "{html}");
    assert!(html.contains(reply));
}
