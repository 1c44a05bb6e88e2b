//! Review cases (执异, 执复, 执监) over real HTTP, on property seized through the institution
//! simulator: numbering of their own type, who files what where, the examination limit, an
//! outsider's claim holding back the valuation, auction and payout of the property until it is
//! ruled on (or security is given, or while a suit runs), and a revoked seizure released once.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::sim::{Sim, register_all, sim, wait_until_answered};
use zhixing_testkit::{TestApp, assert_problem};

/// The simulated world (seed 11) gives this person vehicles nobody else holds.
const DEBTOR: &str = "11010519491231002X";
const DAY: u64 = 86_400;

fn fast() -> zhixing_server::Config {
    zhixing_server::Config {
        outbox_poll: Duration::from_millis(50),
        sweep_interval: Duration::from_secs(3600),
        ..zhixing_testkit::test_config()
    }
}

struct Fixture {
    t: TestApp,
    _sim: Sim,
    officer: String,
    case: i64,
    number: String,
    /// The parties' access codes (当事人查询码), by party number from 1.
    codes: Vec<String>,
    /// A vehicle of the debtor's, seized (in effect).
    seized: i64,
    seizure: i64,
}

async fn fixture() -> Fixture {
    let t = TestApp::spawn_with(fast()).await;
    let s = sim(&t, 24, 0.0).await;
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    register_all(&t, &s, &admin).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "110101198001010010"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": DEBTOR}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初8号", "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 5_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(&officer), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let filed: Value = r.json().await.unwrap();
    let case = filed["id"].as_i64().unwrap();
    let number = filed["number"].as_str().unwrap().to_owned();
    let codes = filed["access_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect();
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/investigations"),
            Some(&officer),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let inv = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    wait_until_answered(&t, &officer, case, inv, Duration::from_secs(60)).await;
    let assets: Value = t
        .get_value(&format!("/api/v1/cases/{case}/assets"), Some(&officer))
        .await;
    let seized = assets
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "vehicle" && a["encumbrances"] == "[]")
        .and_then(|a| a["id"].as_i64())
        .expect("the simulated world gives the debtor a free vehicle");
    let r = t
        .post_json(
            &format!("/api/v1/assets/{seized}/measures"),
            Some(&officer),
            &json!({"kind": "seize"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let seizure = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let start = Instant::now();
    loop {
        let v: Value = t
            .get_value(&format!("/api/v1/measures/{seizure}"), Some(&officer))
            .await;
        if v["status"] == "active" {
            break;
        }
        assert_eq!(v["status"], "requested", "{v}");
        assert!(start.elapsed() < Duration::from_secs(30), "unanswered: {v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Fixture {
        t,
        _sim: s,
        officer,
        case,
        number,
        codes,
        seized,
        seizure,
    }
}

impl Fixture {
    async fn file(&self, token: &str, body: Value) -> reqwest::Response {
        self.t
            .post_json(
                &format!("/api/v1/cases/{}/reviews", self.case),
                Some(token),
                &body,
            )
            .await
    }

    async fn filed(&self, token: &str, body: Value) -> Value {
        let r = self.file(token, body.clone()).await;
        let status = r.status();
        let v: Value = r.json().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body}: {v}");
        v
    }

    async fn act(&self, token: &str, id: i64, what: &str, body: Value) -> reqwest::Response {
        self.t
            .post_json(&format!("/api/v1/reviews/{id}/{what}"), Some(token), &body)
            .await
    }

    async fn start_valuation(&self) -> reqwest::Response {
        self.t
            .post_json(
                &format!("/api/v1/assets/{}/valuation", self.seized),
                Some(&self.officer),
                &json!({}),
            )
            .await
    }
}

fn claim() -> Value {
    json!({"kind": "outsider_objection", "challenged": "property", "challenged_id": null,
           "applicant": "王五（案外人）", "grounds": "该车辆系案外人王五所有，已付清全款，未办理过户。"})
}

#[tokio::test]
async fn an_outsiders_claim_holds_the_property_until_ruled_unless_security_is_given() {
    let f = fixture().await;
    let mut body = claim();
    body["challenged_id"] = json!(f.seized);
    let v = f.filed(&f.officer, body).await;
    let year = v["received_on"].as_str().unwrap()[..4].to_owned();
    assert_eq!(v["number"], format!("({year})京0105执异1号"), "{v}");
    assert_eq!(v["status"], "examining");
    assert_eq!(v["asset_id"], f.seized);
    assert_eq!(v["holds_disposal"], true);
    assert!(v["due_on"].as_str().unwrap() > v["received_on"].as_str().unwrap());
    let id = v["id"].as_i64().unwrap();

    // The valuation of the claimed vehicle is refused, naming the review case.
    let p = assert_problem(
        f.start_valuation().await,
        StatusCode::CONFLICT,
        "property_under_review",
    )
    .await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains(v["number"].as_str().unwrap()),
        "{p}"
    );
    assert_eq!(
        f.t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM valuations")
            .await,
        "0"
    );

    // The applicant's security lets disposal go on.
    let r = f
        .act(
            &f.officer,
            id,
            "security",
            json!({"note": "申请执行人提供银行保函 50 万元"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["security_recorded"], true);
    assert_eq!(v["holds_disposal"], false);
    assert_eq!(f.start_valuation().await.status(), StatusCode::CREATED);

    // On the case's timeline, by name of the event.
    let events: Value =
        f.t.get_value(
            &format!("/api/v1/events?subject=case:{}", f.case),
            Some(&f.t.signed_in("auditor1", "b110105", Role::Auditor).await),
        )
        .await;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"review.filed"), "{kinds:?}");
    assert!(kinds.contains(&"review.security_recorded"), "{kinds:?}");
}

#[tokio::test]
async fn a_dismissed_claim_frees_the_property_and_a_suit_holds_it_again() {
    let f = fixture().await;
    let mut body = claim();
    body["challenged_id"] = json!(f.seized);
    let id = f.filed(&f.officer, body).await["id"].as_i64().unwrap();
    let judge = f.t.signed_in("judge1", "b110105", Role::Judge).await;
    // A claim's ruling cannot revoke an act: its outcomes are dismissal or suspension.
    let r = f
        .act(
            &judge,
            id,
            "ruling",
            json!({"outcome": "revoked", "reasons": "理由"}),
        )
        .await;
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "review_outcome_mismatch",
    )
    .await;
    let r = f
        .act(
            &judge,
            id,
            "ruling",
            json!({"outcome": "dismissed", "reasons": "案外人未能证明其对该车辆享有足以排除强制执行的民事权益。"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["status"].as_str(), v["outcome"].as_str()),
        (Some("ruled"), Some("dismissed"))
    );
    // Ruled once: a second ruling is refused.
    let r = f
        .act(
            &judge,
            id,
            "ruling",
            json!({"outcome": "dismissed", "reasons": "再次"}),
        )
        .await;
    assert_problem(r, StatusCode::CONFLICT, "review_not_examining").await;

    let r = f
        .act(
            &f.officer,
            id,
            "suit",
            json!({"started": true, "note": "案外人提起执行异议之诉"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_problem(
        f.start_valuation().await,
        StatusCode::CONFLICT,
        "property_under_review",
    )
    .await;
    let r = f
        .act(
            &f.officer,
            id,
            "suit",
            json!({"started": false, "note": "判决驳回案外人诉讼请求"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(f.start_valuation().await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn an_upheld_claim_suspends_the_property_for_good() {
    let f = fixture().await;
    let mut body = claim();
    body["challenged_id"] = json!(f.seized);
    let id = f.filed(&f.officer, body).await["id"].as_i64().unwrap();
    let r = f
        .act(
            &f.officer,
            id,
            "ruling",
            json!({"outcome": "property_suspended", "reasons": "案外人对该车辆享有所有权。"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_problem(
        f.start_valuation().await,
        StatusCode::CONFLICT,
        "property_under_review",
    )
    .await;
}

#[tokio::test]
async fn a_revoked_seizure_is_released_once_and_reconsideration_goes_one_level_up_in_time() {
    let f = fixture().await;
    let objection = f
        .filed(
            &f.officer,
            json!({"kind": "act_objection", "challenged": "measure", "challenged_id": f.seizure,
                   "applicant": "李四（被执行人）", "grounds": "查封的车辆为生活必需品。"}),
        )
        .await;
    let id = objection["id"].as_i64().unwrap();
    // An objection to an act does not hold disposal unless the court orders it.
    assert_eq!(objection["holds_disposal"], false);

    // Reconsideration before any ruling, and at the same court, are refused.
    let head_up =
        f.t.signed_in("head_i1103", "i1103", Role::DivisionHead)
            .await;
    let recon = json!({"kind": "reconsideration", "challenged": "ruling", "challenged_id": id,
                       "applicant": "李四", "grounds": "不服异议裁定。"});
    assert_problem(
        f.file(&head_up, recon.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "review_target_not_found",
    )
    .await;

    let r = f
        .act(
            &f.officer,
            id,
            "ruling",
            json!({"outcome": "revoked", "reasons": "查封超标的。"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let m: Value =
        f.t.get_value(&format!("/api/v1/measures/{}", f.seizure), Some(&f.officer))
            .await;
    assert!(
        m["pending"] == "release" || m["status"] == "released",
        "the revoked seizure is being released: {m}"
    );
    let orders =
        f.t.raw_text(&format!(
            "SELECT CAST(COUNT(*) AS TEXT) FROM outbox WHERE measure_id = {} AND kind = 'release'",
            f.seizure
        ))
        .await;
    assert_eq!(orders, "1", "one release order");

    assert_problem(
        f.file(&f.officer, recon.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reconsideration_wrong_court",
    )
    .await;

    // The ruling is a document of the case, hashed, with the period from the rule book; the
    // period to seek reconsideration runs only once it is served.
    let docs: Value =
        f.t.get_value(
            &format!("/api/v1/cases/{}/services", f.case),
            Some(&f.officer),
        )
        .await;
    let ruling = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "review_ruling")
        .unwrap_or_else(|| panic!("the ruling is a document to serve: {docs}"));
    let doc = ruling["document_id"].as_i64().unwrap();
    let html =
        f.t.raw_text(&format!("SELECT html FROM documents WHERE id = {doc}"))
            .await;
    assert!(
        html.contains("执行裁定书") && html.contains(objection["number"].as_str().unwrap()),
        "{html}"
    );
    assert!(
        html.contains("十日内") && html.contains("申请复议"),
        "{html}"
    );
    assert_problem(
        f.file(&head_up, recon.clone()).await,
        StatusCode::CONFLICT,
        "ruling_unserved",
    )
    .await;
    let today = f.t.app.today().to_string();
    let form = reqwest::multipart::Form::new()
        .text("document_id", doc.to_string())
        .text("party_no", "2")
        .text("method", "direct")
        .text("on", today)
        .part(
            "proof",
            reqwest::multipart::Part::bytes(zhixing_testkit::signed_return())
                .file_name("送达回证.pdf"),
        );
    let r =
        f.t.client
            .post(f.t.url(&format!("/api/v1/cases/{}/services", f.case)))
            .bearer_auth(&f.officer)
            .multipart(form)
            .send()
            .await
            .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());

    let v = f.filed(&head_up, recon.clone()).await;
    assert!(v["number"].as_str().unwrap().contains("执复1号"), "{v}");
    assert_eq!(v["court_id"], "i1103");

    // Past the period from the ruling's service, no more.
    f.t.clock.advance(Duration::from_secs(40 * DAY));
    let p = assert_problem(
        f.file(&head_up, recon).await,
        StatusCode::CONFLICT,
        "reconsideration_period_over",
    )
    .await;
    assert!(
        p["params"]["citation"].is_string() || p.to_string().contains("citation"),
        "{p}"
    );
    // The reconsideration still examined 40 days on is overdue.
    let shown: Value =
        f.t.get_value(&format!("/api/v1/reviews/{}", v["id"]), Some(&head_up))
            .await;
    assert_eq!(shown["overdue"], true, "{shown}");
}

#[tokio::test]
async fn filings_that_name_the_wrong_thing_or_court_are_refused_and_numbers_stay_gapless() {
    let f = fixture().await;
    // An outsider's objection names property, not a measure.
    let r = f
        .file(
            &f.officer,
            json!({"kind": "outsider_objection", "challenged": "measure", "challenged_id": f.seizure,
                   "applicant": "王五", "grounds": "理由"}),
        )
        .await;
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "review_target_mismatch",
    )
    .await;
    // A measure of no case of this one.
    let r = f
        .file(
            &f.officer,
            json!({"kind": "act_objection", "challenged": "measure", "challenged_id": 999_999,
                   "applicant": "李四", "grounds": "理由"}),
        )
        .await;
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "review_target_not_found",
    )
    .await;
    // Unknown kinds are typed 400s.
    let r = f
        .file(&f.officer, json!({"kind": "appeal", "challenged": "case", "challenged_id": null, "applicant": "x", "grounds": "y"}))
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_review_kind").await;
    // Another court's officer does not see the case.
    let other = f.t.signed_in("officer9", "b110101", Role::Officer).await;
    let mut body = claim();
    body["challenged_id"] = json!(f.seized);
    assert_problem(
        f.file(&other, body.clone()).await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
    // Supervision is a higher court's.
    let r = f
        .file(&f.officer, json!({"kind": "supervision", "challenged": "case", "challenged_id": null, "applicant": "本院", "grounds": "理由"}))
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "supervision_not_above").await;
    let high = f.t.signed_in("head_h11", "h11", Role::DivisionHead).await;
    let v = f
        .filed(&high, json!({"kind": "supervision", "challenged": "case", "challenged_id": null, "applicant": "北京市高级人民法院依职权", "grounds": "执行行为可能违法。"}))
        .await;
    assert!(v["number"].as_str().unwrap().starts_with('('));
    assert!(v["number"].as_str().unwrap().contains("执监1号"), "{v}");
    assert_eq!(
        v["due_on"],
        Value::Null,
        "supervision has no examination limit"
    );

    // The refused filings took no number: the next objection is 执异1号, then 2.
    let a = f.filed(&f.officer, body.clone()).await;
    let b = f.filed(&f.officer, body).await;
    assert!(a["number"].as_str().unwrap().ends_with("执异1号"), "{a}");
    assert!(b["number"].as_str().unwrap().ends_with("执异2号"), "{b}");
    let listed: Value =
        f.t.get_value(
            &format!("/api/v1/cases/{}/reviews", f.case),
            Some(&f.officer),
        )
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn review_cases_are_filed_and_ruled_from_the_case_page_with_refusals_in_place() {
    let f = fixture().await;
    let page = f.t.page_login("officer1").await;
    let (_, html) = f.t.html(&format!("/cases/{}", f.case), &page).await;
    assert!(html.contains("id=\"review-file\""), "{html}");
    assert!(
        html.contains(&format!("value=\"property:{}\"", f.seized)),
        "the claimed property is offered"
    );

    // An outsider's objection naming a measure: refused beside the form, in Chinese, the
    // grounds kept.
    let post = format!("/cases/{}/reviews", f.case);
    let (status, location, html) =
        f.t.form(
            &post,
            &page,
            &[
                ("kind", "outsider_objection"),
                ("target", &format!("measure:{}", f.seizure)),
                ("applicant", "王五"),
                ("grounds", "车辆系王五所有"),
            ],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{location} {html}"
    );
    assert!(html.contains("id=\"reviews-refused\""), "{html}");
    assert!(html.contains("案外人异议"), "{html}");
    assert!(html.contains("车辆系王五所有"), "kept: {html}");

    let (status, location, _) =
        f.t.form(
            &post,
            &page,
            &[
                ("kind", "outsider_objection"),
                ("target", &format!("property:{}", f.seized)),
                ("applicant", "王五"),
                ("grounds", "车辆系王五所有"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/cases/{}#reviews", f.case));
    let listed: Value =
        f.t.get_value(
            &format!("/api/v1/cases/{}/reviews", f.case),
            Some(&f.officer),
        )
        .await;
    let review = listed[0]["id"].as_i64().unwrap();
    let number = listed[0]["number"].as_str().unwrap().to_owned();
    let (_, html) = f.t.html(&format!("/cases/{}", f.case), &page).await;
    assert!(
        html.contains(&number) && html.contains("暂停处置该财产"),
        "{html}"
    );
    assert!(html.contains("class=\"review-ruling\""), "{html}");

    // Ruled from the page: the outcome the kind allows.
    let (status, _, html) =
        f.t.form(
            &format!("/cases/{}/reviews/{review}/ruling", f.case),
            &page,
            &[("outcome", "dismissed"), ("reasons", "证据不足")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let shown: Value =
        f.t.get_value(&format!("/api/v1/reviews/{review}"), Some(&f.officer))
            .await;
    assert_eq!(
        (shown["status"].as_str(), shown["outcome"].as_str()),
        (Some("ruled"), Some("dismissed"))
    );
    let (_, html) = f.t.html(&format!("/cases/{}", f.case), &page).await;
    assert!(
        html.contains("登记执行异议之诉"),
        "the suit can now be recorded: {html}"
    );
}

#[tokio::test]
async fn an_objection_examined_past_its_limit_alerts_its_court_once_until_ruled() {
    let f = fixture().await;
    let v = f
        .filed(
            &f.officer,
            json!({"kind": "act_objection", "challenged": "measure", "challenged_id": f.seizure,
                   "applicant": "李四", "grounds": "查封超标的。"}),
        )
        .await;
    let id = v["id"].as_i64().unwrap();
    zhixing_app::command_centre::watch::sweep(&f.t.app)
        .await
        .unwrap();
    assert!(review_alerts(&f).await.is_empty(), "not yet due");
    f.t.clock.advance(Duration::from_secs(40 * DAY));
    zhixing_app::command_centre::watch::sweep(&f.t.app)
        .await
        .unwrap();
    zhixing_app::command_centre::watch::sweep(&f.t.app)
        .await
        .unwrap();
    let open = review_alerts(&f).await;
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0]["subject"], format!("review:{id}"));
    assert!(
        open[0]["message"]
            .as_str()
            .unwrap()
            .contains(v["number"].as_str().unwrap())
    );
    // The command centre counts review cases apart, with their own limit.
    f.t.signed_in("head1", "b110105", Role::DivisionHead).await;
    let head = f.t.page_login("head1").await;
    let (status, html) = f.t.html("/command/courts/b110105", &head).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"reviews-overdue\">1<"), "{html}");
    assert!(html.contains("id=\"reviews-in-time\">—<"), "{html}");
    let r = f
        .act(
            &f.officer,
            id,
            "ruling",
            json!({"outcome": "dismissed", "reasons": "查封未超标的。"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    zhixing_app::command_centre::watch::sweep(&f.t.app)
        .await
        .unwrap();
    assert!(review_alerts(&f).await.is_empty(), "cleared once ruled");
    let (_, html) = f.t.html("/command/courts/b110105", &head).await;
    assert!(
        html.contains("id=\"reviews-in-time\">0.0%<"),
        "ruled late: {html}"
    );
    assert!(html.contains("id=\"reviews-ruled\">1<"), "{html}");
}

async fn review_alerts(f: &Fixture) -> Vec<Value> {
    let all: Value =
        f.t.get_value(
            &format!("/api/v1/cases/{}/alerts", f.case),
            Some(&f.officer),
        )
        .await;
    all.as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "review_overdue")
        .cloned()
        .collect()
}

#[tokio::test]
async fn the_parties_see_the_review_case_and_its_ruling_through_their_access_code() {
    let f = fixture().await;
    let mut body = claim();
    body["challenged_id"] = json!(f.seized);
    let v = f.filed(&f.officer, body).await;
    let id = v["id"].as_i64().unwrap();
    let r = f
        .act(
            &f.officer,
            id,
            "ruling",
            json!({"outcome": "property_suspended", "reasons": "案外人对该车辆享有所有权。"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r =
        f.t.post_json(
            "/public/v1/party-access",
            None,
            &json!({"case_number": f.number, "code": f.codes[1]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let view: Value = r.json().await.unwrap();
    let reviews = view["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 1, "{view}");
    assert_eq!(reviews[0]["number"], v["number"]);
    assert_eq!(reviews[0]["outcome_zh"], "中止对该标的的执行");
    // Who applied, and why, stay with the court: an outsider is no party to the case.
    assert!(!view.to_string().contains("王五"), "{view}");
    // The ruling is addressed to the party, not yet served.
    let docs = view["documents"].as_array().unwrap();
    assert!(docs.iter().any(|d| d["title"] == "执行裁定书"), "{view}");
}
