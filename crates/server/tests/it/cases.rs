//! Case handling over HTTP: filing, numbers, duplicates, lists and search, the process and its
//! deadlines, closure with its conditions, documents, timeline and playback.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem};

const APPLICANT_ID: &str = "11010519491231002X";
pub(crate) const RESPONDENT_ID: &str = "110101198001010010";

pub(crate) fn filing(doc: &str, respondent_id: &str) -> Value {
    json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": APPLICANT_ID},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": respondent_id},
            {"role": "respondent", "kind": "organisation", "name": "北京某某贸易有限公司", "credit_code": "91350100M000100Y43", "legal_representative": "王五"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 12_000_000, "interest": 300_000, "costs": 45_000},
        "duties": ""
    })
}

pub(crate) async fn file(t: &TestApp, token: &str, body: &Value) -> (i64, String) {
    let r = t.post_json("/api/v1/cases", Some(token), body).await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let v: Value = r.json().await.unwrap();
    (
        v["id"].as_i64().unwrap(),
        v["number"].as_str().unwrap().to_owned(),
    )
}

pub(crate) async fn case(t: &TestApp, token: &str, id: i64) -> Value {
    let r = t.get(&format!("/api/v1/cases/{id}"), Some(token)).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

pub(crate) async fn post(t: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    t.post_json(path, Some(token), &body).await
}

/// Asks for 终本 on case `id`, which is refused: the problem, every unmet condition in it.
async fn zhongben_refused(t: &TestApp, token: &str, id: i64) -> Value {
    assert_problem(
        post(
            t,
            token,
            &format!("/api/v1/cases/{id}/closure"),
            json!({"mode": "zhongben", "reason": "穷尽财产调查措施未发现财产"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "closure_conditions_unmet",
    )
    .await
}

fn year(t: &TestApp) -> i16 {
    t.app.today().year()
}

#[tokio::test]
async fn filing_gives_a_number_deadlines_and_an_acceptance_notice() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (id, number) = file(&t, &officer, &filing("(2026)京0105民初1号", RESPONDENT_ID)).await;
    assert_eq!(number, format!("({})京0105执1号", year(&t)));
    let c = case(&t, &officer, id).await;
    assert_eq!(c["status"], "open");
    assert_eq!(c["total_due"], 12_345_000);
    let nodes: Vec<&str> = c["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["node"].as_str().unwrap())
        .collect();
    assert_eq!(
        nodes,
        [
            "notice",
            "officer_assignment",
            "first_online_investigation",
            "conclusion"
        ]
    );
    assert!(
        c["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| !d["citation"].as_str().unwrap().is_empty())
    );
    // Beijing's regional rule (5 days) makes the first online investigation the earliest deadline.
    assert_eq!(
        c["next_actions"][0]["node"], "first_online_investigation",
        "the earliest deadline first"
    );
    let docs = c["case"]["documents"].as_array().unwrap();
    assert_eq!(docs[0]["kind"], "acceptance_notice");

    // ID numbers: masked in the record, full only through the audited route.
    let text = serde_json::to_string(&c).unwrap();
    assert!(
        !text.contains(RESPONDENT_ID) && text.contains("1101**********0010"),
        "{text}"
    );
    let r: Value = t
        .get(
            &format!("/api/v1/cases/{id}/parties/2/identifier"),
            Some(&officer),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["identifier"], RESPONDENT_ID);
    let reads = t
        .app
        .store
        .list_events(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "read.sensitive" && e.subject == format!("case:{id}"))
        .count();
    assert_eq!(reads, 1);
    for e in t.app.store.list_events(&Default::default()).await.unwrap() {
        assert!(
            !e.payload.contains(RESPONDENT_ID),
            "no full ID number in the event log"
        );
    }

    let doc_id = docs[0]["document_id"].as_i64().unwrap();
    let r = t
        .get(&format!("/api/v1/documents/{doc_id}"), Some(&officer))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let sha = r.headers()["x-content-sha256"].to_str().unwrap().to_owned();
    let html = r.text().await.unwrap();
    assert!(html.contains("受理案件通知书") && html.contains(&number));
    assert_eq!(sha, docs[0]["sha256"]);
    use sha2::Digest;
    assert_eq!(
        hex::encode(sha2::Sha256::digest(html.as_bytes())),
        sha,
        "the stored hash is the document's"
    );
    // Issued documents cannot be changed, even from inside the database.
    let tampered = if t.db_url.starts_with("postgres") {
        let p = sqlx::PgPool::connect(&t.db_url).await.unwrap();
        sqlx::query("UPDATE documents SET html = 'x'")
            .execute(&p)
            .await
            .is_err()
    } else {
        let p = sqlx::SqlitePool::connect(&t.db_url).await.unwrap();
        sqlx::query("UPDATE documents SET html = 'x'")
            .execute(&p)
            .await
            .is_err()
    };
    assert!(
        tampered,
        "the database refuses to change an issued document"
    );
}

#[tokio::test]
async fn bad_filings_are_refused_with_every_problem_and_nothing_is_written() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let tok = Some(officer.as_str());
    let mut bad = filing("(2026)京0105民初2号", "110101198001010011");
    bad["parties"][2]["credit_code"] = json!("91350100M000100Y44");
    bad["amounts"]["principal"] = json!(-1);
    bad["basis"]["effective_date"] = json!("2099-01-01");
    let p = assert_problem(
        t.post_json("/api/v1/cases", tok, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_id_number",
    )
    .await;
    assert!(p["errors"].as_array().unwrap().len() >= 4, "{p}");

    let mut birth = filing("x", "110101198013010013");
    birth["parties"][1]["id_number"] = json!("110101198013320011");
    let r = t.post_json("/api/v1/cases", tok, &birth).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let mut overflow = filing("x", RESPONDENT_ID);
    overflow["amounts"] =
        json!({"principal": 1_000_000_000_000_000i64, "interest": 1_000_000_000_000_000i64});
    assert_problem(
        t.post_json("/api/v1/cases", tok, &overflow).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_amount",
    )
    .await;
    let mut huge = filing("x", RESPONDENT_ID);
    huge["amounts"]["principal"] = json!(1e30);
    assert_problem(
        t.post_json("/api/v1/cases", tok, &huge).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;

    let mut unknown = filing("x", RESPONDENT_ID);
    unknown["case_type"] = json!("执王");
    assert_problem(
        t.post_json("/api/v1/cases", tok, &unknown).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_case_type",
    )
    .await;
    // A review case is filed from the case it concerns, and the refusal says where.
    let mut review = filing("x", RESPONDENT_ID);
    review["case_type"] = json!("执异");
    let p = assert_problem(
        t.post_json("/api/v1/cases", tok, &review).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "review_case_type",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("执行审查"), "{p}");
    let mut other = filing("x", RESPONDENT_ID);
    other["case_type"] = json!("执协");
    assert_problem(
        t.post_json("/api/v1/cases", tok, &other).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unsupported_case_type",
    )
    .await;
    let mut resumed = filing("x", RESPONDENT_ID);
    resumed["case_type"] = json!("执恢");
    assert_problem(
        t.post_json("/api/v1/cases", tok, &resumed).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "resumption_only",
    )
    .await;
    let mut elsewhere = filing("x", RESPONDENT_ID);
    elsewhere["court_id"] = json!("b110101");
    assert_problem(
        t.post_json("/api/v1/cases", tok, &elsewhere).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let mut bad_date = filing("x", RESPONDENT_ID);
    bad_date["basis"]["effective_date"] = json!("2026-02-30");
    assert_problem(
        t.post_json("/api/v1/cases", tok, &bad_date).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_date",
    )
    .await;
    let mut late = filing("x", RESPONDENT_ID);
    late["basis"]["effective_date"] = json!("2020-01-01");
    late["basis"]["performance_deadline"] = json!("2020-01-15");
    assert_problem(
        t.post_json("/api/v1/cases", tok, &late).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "limitation_expired",
    )
    .await;
    late["late_reason"] = json!("申请执行人提交了时效中断的证据");
    assert_eq!(
        t.post_json("/api/v1/cases", tok, &late).await.status(),
        StatusCode::CREATED,
        "a recorded reason admits a late filing"
    );

    // A supervisor reads but does not file.
    let sup = t.signed_in("sup1", "b110105", Role::Supervisor).await;
    assert_problem(
        t.post_json("/api/v1/cases", Some(&sup), &filing("y", RESPONDENT_ID))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        t.app.store.count_cases().await.unwrap(),
        1,
        "only the good filing was stored"
    );
    // Its number is the first: refused filings used none.
    let c: Value = t.get("/api/v1/cases", tok).await.json().await.unwrap();
    assert_eq!(
        c["items"][0]["number"],
        format!("({})京0105执1号", year(&t))
    );
}

#[tokio::test]
async fn the_same_basis_against_the_same_respondent_is_a_duplicate() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (_, first) = file(&t, &officer, &filing("(2026)京0105民初3号", RESPONDENT_ID)).await;
    let p = assert_problem(
        t.post_json(
            "/api/v1/cases",
            Some(&officer),
            &filing("（2026）京0105民初3号", RESPONDENT_ID),
        )
        .await,
        StatusCode::CONFLICT,
        "duplicate_case",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains(&first), "{p}");
    assert_eq!(p["errors"][0], first);
    // Another respondent on the same basis is a different case.
    let mut other = filing("(2026)京0105民初3号", "110101199001010015");
    other["parties"].as_array_mut().unwrap().truncate(2);
    file(&t, &officer, &other).await;
}

#[tokio::test]
async fn two_hundred_concurrent_filings_get_two_hundred_consecutive_numbers() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let mut tasks = Vec::new();
    for i in 0..200 {
        let client = t.client.clone();
        let url = t.url("/api/v1/cases");
        let tok = officer.clone();
        let body = filing(&format!("(2026)京0105民初{}号", 1000 + i), RESPONDENT_ID);
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(tok)
                .json(&body)
                .send()
                .await
                .unwrap()
        }));
    }
    let mut seqs = Vec::new();
    for task in tasks {
        let r = task.await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        let n =
            zhixing_domain::case_number::CaseNumber::parse(v["number"].as_str().unwrap()).unwrap();
        seqs.push(n.seq);
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=200).collect::<Vec<u32>>());
}

#[tokio::test]
async fn lists_filter_search_and_page() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let other_officer = t.user("officer2", "b110105", &[Role::Officer]).await;
    let me = t
        .app
        .store
        .user_by_username("officer1")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut ids = Vec::new();
    for i in 0..7 {
        let mut f = filing(&format!("(2026)京0105民初{}号", 500 + i), RESPONDENT_ID);
        f["parties"][1]["name"] = json!(format!("李四{i}"));
        ids.push(file(&t, &officer, &f).await.0);
    }
    for (i, id) in ids.iter().enumerate() {
        let who = if i % 2 == 0 { me } else { other_officer };
        assert_eq!(
            post(
                &t,
                &officer,
                &format!("/api/v1/cases/{id}/assignment"),
                json!({"officer_id": who})
            )
            .await
            .status(),
            StatusCode::OK
        );
    }
    let items = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    let mine: Value = t
        .get("/api/v1/cases?officer=me", Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(items(&mine).len(), 4);
    let by_name: Value = t
        .get("/api/v1/cases?q=%E6%9D%8E%E5%9B%9B3", Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(items(&by_name), vec![ids[3]]);
    let by_id: Value = t
        .get(&format!("/api/v1/cases?q={RESPONDENT_ID}"), Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(items(&by_id).len(), 7, "found through the blind index");
    let number = case(&t, &officer, ids[5]).await["number"]
        .as_str()
        .unwrap()
        .replace('(', "（")
        .replace(')', "）");
    let by_number: Value = t
        .get(
            &format!("/api/v1/cases?q={}", urlencode(&number)),
            Some(&officer),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(items(&by_number), vec![ids[5]]);
    let typed: Value = t
        .get("/api/v1/cases?type=%E6%89%A7%E4%BF%9D", Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    assert!(items(&typed).is_empty());
    let today = t.app.today();
    let range: Value = t
        .get(
            &format!("/api/v1/cases?filed_from={today}&filed_to={today}"),
            Some(&officer),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(items(&range).len(), 7);

    // Paging, newest first and by deadline, visits each case once.
    for sort in ["filed", "due"] {
        let mut seen = Vec::new();
        let mut cursor = String::new();
        loop {
            let v: Value = t
                .get(
                    &format!("/api/v1/cases?limit=3&sort={sort}{cursor}"),
                    Some(&officer),
                )
                .await
                .json()
                .await
                .unwrap();
            seen.extend(items(&v));
            match v["next_cursor"].as_str() {
                Some(c) => cursor = format!("&cursor={c}"),
                None => break,
            }
        }
        let mut sorted = seen.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 7, "{sort}: {seen:?}");
    }
    // Overdue: nothing yet; after the notice deadline passes, all of them.
    let over: Value = t
        .get("/api/v1/cases?overdue=true", Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    assert!(items(&over).is_empty());
    t.clock.advance(Duration::from_secs(40 * 86400));
    let over: Value = t
        .get("/api/v1/cases?overdue=true", Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(items(&over).len(), 7);
    assert_eq!(over["items"][0]["overdue"], true);

    for (q, code) in [
        ("status=lost", "invalid_status"),
        ("sort=up", "invalid_sort"),
        ("officer=x", "invalid_officer"),
        ("filed_from=yesterday", "invalid_date"),
        ("cursor=zz", "invalid_cursor"),
        ("limit=0", "invalid_limit"),
        ("court=i1302", "court_not_found"),
    ] {
        assert_problem(
            t.get(&format!("/api/v1/cases?{q}"), Some(&officer)).await,
            StatusCode::BAD_REQUEST.max(if code == "court_not_found" {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::BAD_REQUEST
            }),
            code,
        )
        .await;
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn the_process_from_notice_to_zhongben_approval_and_resumption() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let head = t.signed_in("head1", "b110105", Role::DivisionHead).await;
    let (id, _) = file(&t, &officer, &filing("(2026)京0105民初9号", RESPONDENT_ID)).await;
    let path = |p: &str| format!("/api/v1/cases/{id}{p}");

    // The notice states its periods: without them it is refused, naming each; no other
    // step takes them.
    let p = assert_problem(
        post(
            &t,
            &officer,
            &path("/actions"),
            json!({"action": "notice_issued", "report_days": 0}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "notice_periods_required",
    )
    .await;
    assert_eq!(p["errors"].as_array().map(Vec::len), Some(2), "{p}");
    assert_problem(
        post(
            &t,
            &officer,
            &path("/actions"),
            json!({"action": "debtor_search", "perform_days": 7}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "notice_periods_not_applicable",
    )
    .await;
    // The notice issues its two documents, each saying the period it states.
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/actions"),
            json!({"action": "notice_issued", "perform_days": 15, "report_days": 10})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let c = case(&t, &officer, id).await;
    assert_eq!(
        c["case"]["actions"][0]["terms"],
        json!({"perform_days": 15, "report_days": 10})
    );
    for (kind, says) in [
        (
            "enforcement_notice",
            "自收到本通知之日起十五日内履行下列义务",
        ),
        ("property_report_order", "在收到本令后十日内"),
    ] {
        let doc = c["case"]["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == kind)
            .unwrap()["document_id"]
            .clone();
        let html = t
            .get(&format!("/api/v1/documents/{doc}"), Some(&officer))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains(says), "{kind}: {html}");
        assert!(
            !html.contains("五日内，如实") && !html.contains("立即履行"),
            "{html}"
        );
    }
    let kinds: Vec<&str> = c["case"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "acceptance_notice",
            "enforcement_notice",
            "property_report_order"
        ]
    );
    assert_eq!(c["deadlines"][0]["status"], "done");
    assert_problem(
        post(
            &t,
            &officer,
            &path("/actions"),
            json!({"action": "notice_issued", "perform_days": 15, "report_days": 10}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "already_done",
    )
    .await;
    assert_problem(
        post(&t, &officer, &path("/actions"), json!({"action": "dance"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_action",
    )
    .await;

    // 终本 too early: every unmet condition is listed.
    let p = zhongben_refused(&t, &officer, id).await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 8, "{p}");
    let list: Value = t
        .get(&path("/closure-checklist?mode=zhongben"), Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["needs_approval"], true);
    assert_eq!(
        list["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["met"] == false)
            .count(),
        8
    );

    // A recorded step is not a restriction order: 终本 asks for an order in force on each
    // respondent, and an order since lifted does not count either.
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/actions"),
            json!({"action": "consumption_restriction"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let order = |party_no: u32| json!({"party_no": party_no, "reason": "被执行人未履行生效法律文书确定的义务"});
    for party_no in [2, 3] {
        assert_eq!(
            post(&t, &officer, &path("/restriction-orders"), order(party_no))
                .await
                .status(),
            StatusCode::CREATED
        );
    }
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/restriction-orders/2/lift"),
            json!({"reason": "被执行人提供了担保"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let list: Value = t
        .get_value(&path("/closure-checklist?mode=zhongben"), Some(&officer))
        .await;
    let unmet: Vec<&str> = list["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["met"] == false)
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(unmet.contains(&"consumption_restriction"), "{list}");
    assert_eq!(
        post(&t, &officer, &path("/restriction-orders"), order(3))
            .await
            .status(),
        StatusCode::CREATED
    );
    for a in [
        "online_investigation",
        "traditional_investigation",
        "no_enforceable_property",
        "debtor_search",
    ] {
        assert_eq!(
            post(&t, &officer, &path("/actions"), json!({"action": a}))
                .await
                .status(),
            StatusCode::OK,
            "{a}"
        );
    }
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/actions"),
            json!({"action": "dishonest_not_applicable", "note": "被执行人已提供担保"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/actions"),
            json!({"action": "interview", "note": "申请执行人同意终结本次执行程序"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/clues"),
            json!({"description": "被执行人名下车辆", "urgent": true})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let p = zhongben_refused(&t, &officer, id).await;
    assert_eq!(
        p["errors"].as_array().unwrap().len(),
        2,
        "the clue and the three months remain: {p}"
    );
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/clues/1/verification"),
            json!({"result": "车辆已报废"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    t.clock.advance(Duration::from_secs(100 * 86400));

    // The officer requests; only the division head approves.
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/closure"),
            json!({"mode": "zhongben", "reason": "穷尽财产调查措施未发现财产"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(case(&t, &officer, id).await["status"], "pending_closure");
    assert_problem(
        post(
            &t,
            &officer,
            &path("/closure/decision"),
            json!({"approve": true}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        post(
            &t,
            &head,
            &path("/closure/decision"),
            json!({"approve": true})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let c = case(&t, &officer, id).await;
    assert_eq!(c["status"], "closed");
    assert!(
        c["case"]["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["kind"] == "zhongben_ruling")
    );
    let marked =
        format!("SELECT CAST(COUNT(*) AS TEXT) FROM zhongben_rechecks WHERE case_id = {id}");
    assert_eq!(
        t.raw_text(&marked).await,
        "1",
        "the watch worker owes the 终本 case its periodic re-investigation"
    );
    assert!(c["next_actions"].as_array().unwrap().is_empty());
    assert_problem(
        post(
            &t,
            &officer,
            &path("/closure"),
            json!({"mode": "withdrawn", "reason": "申请人撤回申请"}),
        )
        .await,
        StatusCode::CONFLICT,
        "case_closed",
    )
    .await;

    // Resumption files a linked 执恢 case.
    let r = post(
        &t,
        &officer,
        &path("/resumption"),
        json!({"reason": "发现被执行人新的财产"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert!(v["number"].as_str().unwrap().contains("执恢1号"));
    let new = case(&t, &officer, v["id"].as_i64().unwrap()).await;
    assert_eq!(new["case"]["resumed_from"], c["number"]);
    assert_eq!(new["total_due"], 12_345_000, "what is still unpaid");
    assert_eq!(
        case(&t, &officer, id).await["case"]["resumed_as"],
        v["number"]
    );
    assert_eq!(
        t.raw_text(&marked).await,
        "0",
        "a resumed case is enforced again: no more re-investigations of the 终本 case"
    );
    assert_problem(
        post(
            &t,
            &officer,
            &path("/resumption"),
            json!({"reason": "再次恢复执行"}),
        )
        .await,
        StatusCode::CONFLICT,
        "already_resumed",
    )
    .await;
}

#[tokio::test]
async fn suspension_extension_payment_and_direct_closure() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let head = t.signed_in("head1", "b110105", Role::DivisionHead).await;
    let president = t.signed_in("president1", "b110105", Role::President).await;
    let (id, _) = file(&t, &officer, &filing("(2026)京0105民初10号", RESPONDENT_ID)).await;
    let path = |p: &str| format!("/api/v1/cases/{id}{p}");
    let conclusion = |c: &Value| {
        c["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["node"] == "conclusion")
            .unwrap()["due"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let before = conclusion(&case(&t, &officer, id).await);
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/suspension"),
            json!({"reason": "案外人提出异议"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    t.clock.advance(Duration::from_secs(20 * 86400));
    assert_eq!(
        t.req(Method::DELETE, &path("/suspension"), Some(&officer), None)
            .await
            .status(),
        StatusCode::OK
    );
    let after = conclusion(&case(&t, &officer, id).await);
    assert!(
        after > before,
        "{before} → {after}: suspension stops the clock"
    );
    assert_problem(
        t.req(Method::DELETE, &path("/suspension"), Some(&officer), None)
            .await,
        StatusCode::CONFLICT,
        "not_suspended",
    )
    .await;

    // The officer asks; the division head may not decide; the president does, never the one
    // who asked.
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/extension"),
            json!({"months": 3, "reason": "拍卖尚未完成，需要更多时间"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        case(&t, &officer, id).await["case"]["extension_request"]["months"],
        3
    );
    assert_eq!(
        conclusion(&case(&t, &officer, id).await),
        after,
        "not yet granted"
    );
    for who in [&officer, &head] {
        assert_problem(
            post(
                &t,
                who,
                &path("/extension/decision"),
                json!({"approve": true, "note": "同意"}),
            )
            .await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    assert_eq!(
        post(
            &t,
            &president,
            &path("/extension/decision"),
            json!({"approve": true, "note": "院长审批〔2026〕5号"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert!(conclusion(&case(&t, &officer, id).await) > after);

    assert_problem(
        post(
            &t,
            &officer,
            &path("/closure"),
            json!({"mode": "fully_performed", "reason": "全部履行完毕"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "closure_conditions_unmet",
    )
    .await;
    assert_problem(
        post(&t, &officer, &path("/payments"), json!({"amount": -3})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_amount",
    )
    .await;
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/payments"),
            json!({"amount": 12_345_000, "note": "被执行人自动履行"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        post(
            &t,
            &officer,
            &path("/closure"),
            json!({"mode": "fully_performed", "reason": "全部履行完毕"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let c = case(&t, &officer, id).await;
    assert_eq!(
        (c["status"].as_str(), c["case"]["closure"][0].as_str()),
        (Some("closed"), Some("fully_performed"))
    );
    assert!(
        c["case"]["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["kind"] == "closure_notice")
    );
}

#[tokio::test]
async fn stale_versions_conflict_and_change_nothing() {
    let t = TestApp::spawn_quiet().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (id, _) = file(&t, &officer, &filing("(2026)京0105民初11号", RESPONDENT_ID)).await;
    let v = case(&t, &officer, id).await["version"].as_i64().unwrap();
    let r: Value = post(
        &t,
        &officer,
        &format!("/api/v1/cases/{id}/actions"),
        json!({"action": "online_investigation", "version": v}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(r["version"], v + 1);
    let head = t.app.store.chain_head().await.unwrap().0;
    let stale = post(
        &t,
        &officer,
        &format!("/api/v1/cases/{id}/actions"),
        json!({"action": "debtor_search", "version": v}),
    )
    .await;
    assert_problem(stale, StatusCode::CONFLICT, "version_conflict").await;
    assert_eq!(
        t.app.store.chain_head().await.unwrap().0,
        head,
        "no event written"
    );
    assert!(
        !case(&t, &officer, id).await["case"]["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "debtor_search")
    );

    // Two officers at once: exactly one wins each round.
    let mut tasks = Vec::new();
    for note in ["甲", "乙"] {
        let (client, url, tok) = (
            t.client.clone(),
            t.url(&format!("/api/v1/cases/{id}/actions")),
            officer.clone(),
        );
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(tok)
                .json(
                    &json!({"action": "traditional_investigation", "note": note, "version": v + 1}),
                )
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::OK, StatusCode::CONFLICT]);
}

#[tokio::test]
async fn timeline_and_playback() {
    // No watch worker: its first pass, running late, may add a system event to the timeline
    // this test expects to hold only the officer's.
    let t = TestApp::spawn_with(zhixing_server::Config {
        watch_worker: false,
        ..zhixing_testkit::test_config()
    })
    .await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (id, _) = file(&t, &officer, &filing("(2026)京0105民初12号", RESPONDENT_ID)).await;
    t.clock.advance(Duration::from_secs(3600));
    let between = t.app.now();
    t.clock.advance(Duration::from_secs(3600));
    post(
        &t,
        &officer,
        &format!("/api/v1/cases/{id}/actions"),
        json!({"action": "notice_issued", "perform_days": 7, "report_days": 10}),
    )
    .await;
    let timeline: Value = t
        .get(&format!("/api/v1/cases/{id}/timeline"), Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds[0], "case.filed");
    assert!(kinds.contains(&"case.action_recorded") && kinds.contains(&"case.document_issued"));
    let uid = t
        .app
        .store
        .user_by_username("officer1")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert!(
        timeline
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor"] == format!("user:{uid}"))
    );

    let then: Value = t
        .get(
            &format!("/api/v1/cases/{id}?as_of={between}"),
            Some(&officer),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        then["case"]["actions"].as_array().unwrap().is_empty(),
        "as it stood before the notice"
    );
    assert_eq!(then["case"]["documents"].as_array().unwrap().len(), 1);
    assert_eq!(then["version"], Value::Null);
    let now = case(&t, &officer, id).await;
    assert_eq!(now["case"]["actions"].as_array().unwrap().len(), 1);
    assert_problem(
        t.get(
            &format!("/api/v1/cases/{id}?as_of=2000-01-01T00:00:00Z"),
            Some(&officer),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_yet_filed",
    )
    .await;
    assert_problem(
        t.get(
            &format!("/api/v1/cases/{id}?as_of=yesterday"),
            Some(&officer),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_as_of",
    )
    .await;
}

#[tokio::test]
async fn cases_are_court_scoped() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let (id, _) = file(&t, &officer, &filing("(2026)京0105民初13号", RESPONDENT_ID)).await;
    let stranger = t.signed_in("officer9", "b110101", Role::Officer).await;
    assert_problem(
        t.get(&format!("/api/v1/cases/{id}"), Some(&stranger)).await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
    assert_problem(
        t.get(&format!("/api/v1/cases/{id}/timeline"), Some(&stranger))
            .await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
    assert_problem(
        post(
            &t,
            &stranger,
            &format!("/api/v1/cases/{id}/actions"),
            json!({"action": "interview", "note": "约谈记录内容"}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
    let doc = case(&t, &officer, id).await["case"]["documents"][0]["document_id"]
        .as_i64()
        .unwrap();
    assert_problem(
        t.get(&format!("/api/v1/documents/{doc}"), Some(&stranger))
            .await,
        StatusCode::NOT_FOUND,
        "document_not_found",
    )
    .await;
    // A supervisor above reads, but does not act.
    let sup = t.signed_in("sup-bj", "h11", Role::Supervisor).await;
    assert_eq!(
        t.get(&format!("/api/v1/cases/{id}"), Some(&sup))
            .await
            .status(),
        StatusCode::OK
    );
    let listed: Value = t
        .get("/api/v1/cases?court=b110105", Some(&sup))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_problem(
        post(
            &t,
            &sup,
            &format!("/api/v1/cases/{id}/actions"),
            json!({"action": "debtor_search"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        t.get(
            &format!("/api/v1/cases/{id}/parties/2/identifier"),
            Some(&sup),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

/// The version of a rule in force for a court of Chaoyang district, Beijing, on `on`.
pub(crate) async fn rule(t: &TestApp, id: &str, on: jiff::civil::Date) -> (i64, String, String) {
    let book = t.app.rules.current(&t.app.store).await.unwrap();
    let r = book.lookup(id, on, "110105").unwrap();
    (r.value, r.unit.as_str().to_owned(), r.citation.clone())
}

#[tokio::test]
async fn refusals_carry_the_figure_and_the_citation_of_the_rule_book() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let head = t.signed_in("head1", "b110105", Role::DivisionHead).await;
    let filed_on = t.app.today();
    let (id, _) = file(&t, &officer, &filing("(2026)京0105民初31号", RESPONDENT_ID)).await;
    let path = |p: &str| format!("/api/v1/cases/{id}{p}");

    // 终本 before the rule book's period since filing has run: the reason carries the period.
    let p = zhongben_refused(&t, &officer, id).await;
    let (value, unit, citation) = rule(&t, "case.zhongben.min_since_filing", filed_on).await;
    let period = p["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "three_months")
        .unwrap_or_else(|| panic!("{p}"))
        .clone();
    assert_eq!(period["params"]["value"], value);
    assert_eq!(period["params"]["unit"], unit.as_str());
    assert_eq!(period["params"]["citation"], citation.as_str());
    assert_eq!(period["params"]["rule"], "case.zhongben.min_since_filing");
    let words = format!("more than {value} {unit} have passed since filing");
    assert!(
        p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.as_str().unwrap().ends_with(&words)),
        "{p}"
    );
    // The checklist says the same, from the same rule.
    let list = t
        .get_value(&path("/closure-checklist?mode=zhongben"), Some(&officer))
        .await;
    let item = list["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "three_months")
        .unwrap()
        .clone();
    assert_eq!(
        (item["met"].clone(), item["params"]["value"].clone()),
        (json!(false), json!(value))
    );
    assert!(
        item["description"].as_str().unwrap().contains(&words),
        "{item}"
    );

    // An extension asked for after the rule book's lead time: refused with that rule.
    t.clock.advance(Duration::from_secs(200 * 86400));
    let p = assert_problem(
        post(
            &t,
            &head,
            &path("/extension"),
            json!({"months": 3, "reason": "拍卖尚未完成，需要更多时间"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "extension_too_late",
    )
    .await;
    let today = t.app.today();
    let (value, unit, citation) = rule(&t, "case.conclude.extension_request", today).await;
    assert_eq!(p["params"]["value"], value);
    assert_eq!(p["params"]["unit"], unit.as_str());
    assert_eq!(p["params"]["citation"], citation.as_str());
    let due = p["params"]["due"].as_str().unwrap().to_owned();
    let last_day = p["params"]["last_day"].as_str().unwrap().to_owned();
    assert_eq!(
        p["detail"],
        format!(
            "an extension is asked for {value} {unit} before the time to conclude ends: it ends on {due}, so the last day to ask was {last_day}"
        )
    );
}

#[tokio::test]
async fn each_change_is_refused_with_its_own_words() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let auditor_id = t.user("auditor1", "b110105", &[Role::Auditor]).await;
    let (id, _) = file(&t, &officer, &filing("(2026)京0105民初32号", RESPONDENT_ID)).await;
    let path = |p: &str| format!("/api/v1/cases/{id}{p}");
    // An auditor handles no case: the refusal names the rule, under its code.
    let p = assert_problem(
        post(
            &t,
            &officer,
            &path("/assignment"),
            json!({"officer_id": auditor_id}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_officer",
    )
    .await;
    assert_eq!(p["reasons"][0]["code"], "officer_not_eligible");
    assert_eq!(
        p["detail"],
        "the officer must be an active officer or judge of the case's court"
    );
    for (route, body, code, detail) in [
        (
            "/payments",
            json!({"amount": 0}),
            "invalid_amount",
            "an amount above zero",
        ),
        (
            "/payments",
            json!({"amount": -3}),
            "invalid_amount",
            "an amount cannot be negative",
        ),
        (
            "/clues",
            json!({"description": " "}),
            "invalid_clue",
            "describe the clue in 1–1000 characters",
        ),
        (
            "/clues/4/verification",
            json!({"result": "无财产"}),
            "clue_not_found",
            "no clue 4",
        ),
        (
            "/suspension",
            json!({"reason": "短"}),
            "reason_required",
            "state the ground of suspension (at least 4 characters)",
        ),
        (
            "/closure",
            json!({"mode": "melt", "reason": "理由充分"}),
            "unknown_closure_mode",
            "unknown closure mode \"melt\"",
        ),
        (
            "/securities",
            json!({"provider": "", "description": "保证", "value_fen": 0}),
            "invalid_security",
            "2 problems: provider: who gave the security, 1 to 200 characters; value: an amount above zero",
        ),
    ] {
        let p = assert_problem(
            post(&t, &officer, &path(route), body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(p["detail"], detail, "{route}: {p}");
    }
    // A refused resumption files nothing: the new case and the record on the old one are one
    // transaction.
    assert_problem(
        post(
            &t,
            &officer,
            &path("/resumption"),
            json!({"reason": "发现被执行人新的财产"}),
        )
        .await,
        StatusCode::CONFLICT,
        "not_terminated",
    )
    .await;
    assert_eq!(t.app.store.count_cases().await.unwrap(), 1);
}

/// Four eyes: an account that holds both roles proposes a 终结执行 and may neither approve it
/// nor send it back; another division head of the court decides.
#[tokio::test]
async fn a_closure_is_not_approved_by_who_proposed_it() {
    let t = TestApp::spawn().await;
    t.user("both", "b110105", &[Role::Officer, Role::DivisionHead])
        .await;
    let both = t.login("both").await;
    let head = t.signed_in("head2", "b110105", Role::DivisionHead).await;
    let (id, _) = file(&t, &both, &filing("(2026)京0105民初77号", RESPONDENT_ID)).await;
    let path = |p: &str| format!("/api/v1/cases/{id}{p}");
    let r = post(
        &t,
        &both,
        &path("/closure"),
        json!({"mode": "terminated", "reason": "申请执行人撤销执行申请。"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    for decision in [
        json!({"approve": true}),
        json!({"approve": false, "note": "退回补充材料"}),
    ] {
        let p = assert_problem(
            post(&t, &both, &path("/closure/decision"), decision).await,
            StatusCode::CONFLICT,
            "own_proposal",
        )
        .await;
        assert!(
            p["detail"]
                .as_str()
                .unwrap()
                .contains("other than who proposed"),
            "{p}"
        );
    }
    assert_eq!(case(&t, &both, id).await["status"], "pending_closure");
    let r = post(
        &t,
        &head,
        &path("/closure/decision"),
        json!({"approve": true}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let c = case(&t, &both, id).await;
    assert_eq!(c["status"], "closed");
    // Every document of the case reads as a court writes: the reason typed with its own full
    // stop is not doubled by the template's, and no field is left empty.
    let docs = c["case"]["documents"].as_array().unwrap();
    assert!(
        docs.iter().any(|d| d["kind"] == "closure_notice"),
        "{docs:?}"
    );
    for d in docs {
        let html = t
            .get(
                &format!("/api/v1/documents/{}", d["document_id"]),
                Some(&both),
            )
            .await
            .text()
            .await
            .unwrap();
        for bad in ["。。", "，。", "；。", "。，", "：。", "（）"] {
            assert!(!html.contains(bad), "{bad} in {}: {html}", d["kind"]);
        }
    }
}

/// Four eyes on an extension (DOMAIN §4a, Approvals): a president who asked for it (here a
/// president who also handles cases, which no demo account does) may not grant it; the
/// refusal names the reason, and another president decides.
#[tokio::test]
async fn an_extension_is_never_granted_by_who_asked_for_it() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    t.user("both1", "b110105", &[Role::Judge, Role::President])
        .await;
    let both = t.login("both1").await;
    let president = t.signed_in("president1", "b110105", Role::President).await;
    let (id, _) = file(&t, &officer, &filing("(2026)京0105民初41号", RESPONDENT_ID)).await;
    let path = |p: &str| format!("/api/v1/cases/{id}{p}");
    let asked = post(
        &t,
        &both,
        &path("/extension"),
        json!({"months": 2, "reason": "财产尚待评估拍卖"}),
    )
    .await;
    assert_eq!(asked.status(), StatusCode::OK);
    let p = assert_problem(
        post(
            &t,
            &both,
            &path("/extension/decision"),
            json!({"approve": true, "note": "同意"}),
        )
        .await,
        StatusCode::CONFLICT,
        "own_proposal",
    )
    .await;
    assert_eq!(p["params"]["what"], "extension");
    assert_eq!(
        p["detail"],
        "an extension is decided by a court president other than who asked for it"
    );
    // A refusal must say why.
    assert_problem(
        post(
            &t,
            &president,
            &path("/extension/decision"),
            json!({"approve": false, "note": ""}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reason_required",
    )
    .await;
    assert_eq!(
        post(
            &t,
            &president,
            &path("/extension/decision"),
            json!({"approve": false, "note": "应先完成变价，不予延长"}),
        )
        .await
        .status(),
        StatusCode::OK
    );
    let c = case(&t, &officer, id).await;
    assert!(c["case"]["extension_request"].is_null(), "{c}");
    assert_eq!(c["case"]["extension_months"], 0);
}
