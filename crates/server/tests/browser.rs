//! A real browser (Debian's headless Chromium over WebDriver) signs in and uses the pages.
//! Runs when chromedriver is installed; `ZHIXING_REQUIRE_BROWSER=1` (set by CI) makes a
//! missing browser a failure instead of a skip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/browser.rs"]
mod support;
use support::{sign_in, start_browser};

use std::time::Duration;

use fantoccini::Locator;
use zhixing_domain::access::Role;
use zhixing_testkit::{PASSWORD, TestApp};

#[tokio::test]
async fn a_supervisor_signs_in_sees_home_and_opens_the_court_tree() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    t.user("browser-sup", "h13", &[Role::Supervisor]).await;

    b.goto(&t.url("/home")).await.unwrap();
    assert!(
        b.current_url().await.unwrap().path().ends_with("/login"),
        "strangers land on the login page"
    );
    b.find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys("browser-sup")
        .await
        .unwrap();
    b.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    b.find(Locator::Css("form[action='/login'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let court = b
        .wait()
        .for_element(Locator::Id("home-court"))
        .await
        .unwrap();
    assert_eq!(court.text().await.unwrap(), "河北省高级人民法院");
    let who = b
        .find(Locator::Id("who-name"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(who, "browser-sup 测试");
    assert!(b.find(Locator::Id("panel-supervision")).await.is_ok());

    // The tree loads children through htmx, served by the binary itself.
    b.goto(&t.url("/courts")).await.unwrap();
    let node = b
        .wait()
        .for_element(Locator::Css("li[data-court='i1301'] > details > summary"))
        .await
        .unwrap();
    node.click().await.unwrap();
    let leaf = b
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("li[data-court='b130102']"))
        .await
        .unwrap();
    assert!(
        leaf.text()
            .await
            .unwrap()
            .contains("石家庄市长安区人民法院")
    );

    let png = b.screenshot().await.unwrap();
    assert!(
        png.len() > 5_000,
        "a rendered page, not a blank one ({} bytes)",
        png.len()
    );
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("court-tree.png");
    std::fs::write(&out, &png).unwrap();
    b.close().await.unwrap();
}

#[tokio::test]
async fn an_officer_files_a_case_through_the_form_and_withdraws_it() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    t.user("browser-officer", "b110105", &[Role::Officer]).await;
    sign_in(&b, &t, "browser-officer").await;

    b.goto(&t.url("/cases/new")).await.unwrap();
    let fill = |name: &'static str, value: &'static str| {
        let b = b.clone();
        async move {
            let el = b
                .find(Locator::Css(&format!("[name={name}]")))
                .await
                .unwrap();
            el.clear().await.unwrap();
            el.send_keys(value).await.unwrap();
        }
    };
    fill("applicant_name", "张三").await;
    fill("applicant_id", "11010519491231002X").await;
    fill("respondent_name", "李四").await;
    fill("respondent_id", "110101198001010010").await;
    fill("issuing_body", "北京市朝阳区人民法院").await;
    fill("document_number", "(2026)京0105民初77号").await;
    // Date inputs take the date typed in the browser's locale order; set them directly.
    b.execute("document.querySelector('[name=effective_date]').value = '2026-05-01'; document.querySelector('[name=performance_deadline]').value = '2026-05-15';", vec![]).await.unwrap();
    fill("principal", "120000.50").await;
    b.find(Locator::Css("form#filing button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // The acceptance page shows each party's access code once, to print.
    let codes = b
        .wait()
        .for_element(Locator::Id("access-codes"))
        .await
        .unwrap();
    let rows = codes.find_all(Locator::Css("td.code")).await.unwrap();
    assert_eq!(rows.len(), 2, "one code per party");
    let mut shown = Vec::new();
    for r in rows {
        let code = r.text().await.unwrap();
        assert_eq!(code.len(), 10, "{code}");
        shown.push(code);
    }
    b.find(Locator::Id("to-case"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait()
        .for_element(Locator::Id("case-status"))
        .await
        .unwrap();
    let number = b
        .find(Locator::Id("case-number"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        number.contains("京0105执") && number.ends_with('号'),
        "{number}"
    );
    // The printed code opens the case to its party.
    let r = t
        .post_json(
            "/public/v1/party-access",
            None,
            &serde_json::json!({"case_number": number, "code": shown[1]}),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["you"]["role"],
        "respondent"
    );
    assert_eq!(
        b.find(Locator::Id("case-status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "执行中"
    );
    assert!(
        b.find(Locator::Id("deadlines"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("首次网络查控")
    );

    // Withdraw it (销案): no approval needed.
    b.find(Locator::Id("to-closure"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait()
        .for_element(Locator::Css("a.tab[href$='mode=withdrawn']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let reason = b
        .wait()
        .for_element(Locator::Css("form#closure textarea[name=reason]"))
        .await
        .unwrap();
    assert!(
        b.current_url()
            .await
            .unwrap()
            .as_str()
            .ends_with("mode=withdrawn")
    );
    reason.send_keys("申请执行人撤回执行申请").await.unwrap();
    b.find(Locator::Css("form#closure button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let status = b
        .wait()
        .for_element(Locator::Id("closure-mode"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(status, "销案");
    assert_eq!(
        b.find(Locator::Id("case-status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "已结案"
    );
    let png = b.screenshot().await.unwrap();
    std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("case-withdrawn.png"),
        &png,
    )
    .unwrap();
    assert!(png.len() > 5_000);

    let listed: serde_json::Value = {
        let token = t.login("browser-officer").await;
        t.get("/api/v1/cases?status=closed", Some(&token))
            .await
            .json()
            .await
            .unwrap()
    };
    assert_eq!(listed["items"][0]["number"], number.as_str());
    assert_eq!(listed["items"][0]["closure_mode"], "withdrawn");
    assert_eq!(listed["items"][0]["total_due"], 12_000_050);
    b.close().await.unwrap();
}

#[tokio::test]
async fn an_officer_runs_an_online_investigation_from_the_case_page_and_freezes_a_deposit() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let config = zhixing_server::Config {
        outbox_poll: Duration::from_millis(50),
        ..zhixing_testkit::test_config()
    };
    let t = TestApp::spawn_with(config).await;
    // The institution simulator over real HTTP, registered as the network.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sim_base = format!("http://{}", listener.local_addr().unwrap());
    let cfg = zhixing_exchange::sim::SimConfig {
        seed: 11,
        institutions: 12,
        // Slow enough that the page is open before the first answer: it must show them
        // arriving without a reload.
        latency: Duration::from_millis(2000),
        error_rate: 0.0,
        platform_public_key: Some(t.app.platform_key.public_base64()),
        reply_to: Some(t.base.clone()),
        base_url: sim_base.clone(),
        today: None,
    };
    let router = zhixing_exchange::sim::router(cfg);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let admin = t.signed_in("admin0", "spc", Role::Administrator).await;
    let list: serde_json::Value = t
        .client
        .get(format!("{sim_base}/institutions"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for i in list.as_array().unwrap() {
        let body = serde_json::json!({"id": i["id"], "name": i["name"], "kind": i["kind"], "measures": i["measures"], "channel": "national", "endpoint": i["endpoint"], "public_key": i["public_key"], "concurrency": 4});
        assert_eq!(
            t.post_json("/api/v1/institutions", Some(&admin), &body)
                .await
                .status(),
            201
        );
    }
    t.user("browser-officer", "b110105", &[Role::Officer]).await;
    let token = t.login("browser-officer").await;
    let filing = serde_json::json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"},
            {"role": "respondent", "kind": "person", "name": "王五", "id_number": "110101199001010015"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初66号", "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 5_000_000}
    });
    let id = t
        .post_json("/api/v1/cases", Some(&token), &filing)
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();

    sign_in(&b, &t, "browser-officer").await;
    b.goto(&t.url(&format!("/cases/{id}"))).await.unwrap();
    b.wait()
        .for_element(Locator::Id("start-investigation"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let started = b
        .wait()
        .for_element(Locator::Css("#investigations tr[data-investigation]"))
        .await
        .unwrap();
    assert!(
        started.text().await.unwrap().contains("24"),
        "12 institutions × 2 respondents"
    );
    // While answers are awaited the page says so, with a progress bar.
    let progress = b
        .find(Locator::Css("p.investigation-progress"))
        .await
        .expect("a progress indicator while the investigation is out")
        .text()
        .await
        .unwrap();
    assert!(progress.contains("查询进行中"), "{progress}");
    assert!(
        b.find(Locator::Css("p.investigation-progress progress"))
            .await
            .is_ok()
    );
    // A mark on this very document: a reload would lose it.
    b.execute("window.__notReloaded = true; return null;", vec![])
        .await
        .unwrap();
    // Replies arrive in the background; the open page shows them without a reload.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let pending = b
            .wait()
            .for_element(Locator::Css("#investigations td.pending"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if pending == "0" && b.find(Locator::Id("assets")).await.is_ok() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "replies still pending on the open page"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(
        b.execute("return window.__notReloaded === true;", vec![])
            .await
            .unwrap(),
        serde_json::json!(true),
        "the page updated in place, not by reloading"
    );
    assert!(
        b.find(Locator::Css("p.investigation-progress"))
            .await
            .is_err(),
        "no progress bar once every answer is in"
    );
    let notice = b
        .find(Locator::Id("case-live"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        notice.contains("已于"),
        "the page says it was updated: {notice}"
    );
    // Each institution's progress, behind the investigation's summary row.
    let per_institution = b
        .find_all(Locator::Css(
            "details.per-institution tr[data-status=replied]",
        ))
        .await
        .unwrap();
    assert_eq!(
        per_institution.len(),
        24,
        "each query answered, shown per institution"
    );
    let assets = b
        .find(Locator::Id("assets"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(assets.contains('¥'), "balances shown: {assets}");
    assert_eq!(
        b.find(Locator::Css("#investigations td.replied"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "24"
    );

    // Freeze a deposit from its row: 100 yuan, for the legal maximum period.
    let mut row = None;
    for r in b
        .find_all(Locator::Css("#assets tr[data-asset]"))
        .await
        .unwrap()
    {
        let kind = r.attr("data-kind").await.unwrap().unwrap_or_default();
        let free = r.attr("data-free").await.unwrap().unwrap_or_default();
        if matches!(
            kind.as_str(),
            "bank_deposit" | "internet_bank" | "online_payment"
        ) && free == "yes"
        {
            row = Some(r);
            break;
        }
    }
    let row = row.expect("a free deposit among the assets found");
    let asset = row.attr("data-asset").await.unwrap().unwrap();
    row.find(Locator::Css("select[name=kind] option[value=freeze]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    row.find(Locator::Css("input[name=amount]"))
        .await
        .unwrap()
        .send_keys("100")
        .await
        .unwrap();
    row.find(Locator::Css("form.measure button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let countdown = loop {
        b.wait().for_element(Locator::Id("measures")).await.unwrap();
        if let Ok(active) = b
            .find(Locator::Css(
                "#measure-list tr[data-status=active] td.countdown",
            ))
            .await
        {
            break active.text().await.unwrap();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the freeze never took effect"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        b.refresh().await.unwrap();
    };
    assert!(
        countdown.starts_with("剩 36"),
        "a year's freeze: {countdown}"
    );
    assert!(
        b.find(Locator::Css(
            "#measure-list tr[data-status=active] form.renew"
        ))
        .await
        .is_ok(),
        "renewal offered"
    );
    let m: serde_json::Value = t
        .get(&format!("/api/v1/cases/{id}/measures"), Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(m[0]["asset_id"].to_string(), asset);
    assert_eq!(m[0]["held_fen"], 10_000, "100 yuan frozen");
    let balance = b
        .find(Locator::Id("balance"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        balance, "¥0.00",
        "a freeze holds the money where it is: nothing in the case account"
    );
    b.execute(
        "document.getElementById('investigation').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    let png = b.screenshot().await.unwrap();
    std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("investigation.png"),
        &png,
    )
    .unwrap();
    b.close().await.unwrap();
}

/// Signs in through the login form and waits for the home page.

#[tokio::test]
async fn a_party_follows_its_case_through_the_public_page() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    let officer = t.signed_in("browser-off", "b110105", Role::Officer).await;
    let respondent_id = "110101198001010010";
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &serde_json::json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": respondent_id}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初9号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 1_000_000, "interest": 0, "costs": 0},
                "duties": ""
            }),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let v: serde_json::Value = r.json().await.unwrap();
    let number = v["number"].as_str().unwrap().to_owned();
    let code = v["access_codes"][0]["code"].as_str().unwrap().to_owned();

    // No sign-in: the public index links to the party page.
    b.goto(&t.url("/public")).await.unwrap();
    b.wait()
        .for_element(Locator::Id("party-link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let submit = |case_number: String, code: String| {
        let b = b.clone();
        async move {
            let field = b
                .wait()
                .for_element(Locator::Id("case_number"))
                .await
                .unwrap();
            field.clear().await.unwrap();
            field.send_keys(&case_number).await.unwrap();
            b.find(Locator::Id("code"))
                .await
                .unwrap()
                .send_keys(&code)
                .await
                .unwrap();
            b.find(Locator::Id("access-submit"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        }
    };
    submit(number.clone(), "WRONGCODE2".into()).await;
    let err = b
        .wait()
        .for_element(Locator::Id("access-error"))
        .await
        .unwrap();
    assert!(err.text().await.unwrap().contains("不正确"));

    submit(number.clone(), code).await;
    let shown = b
        .wait()
        .for_element(Locator::Id("case-number"))
        .await
        .unwrap();
    assert_eq!(shown.text().await.unwrap(), number);
    let timeline = b.find(Locator::Id("timeline")).await.unwrap();
    assert!(timeline.text().await.unwrap().contains("立案受理"));
    let source = b.source().await.unwrap();
    assert!(source.contains("李四"));
    assert!(
        !source.contains(respondent_id),
        "the other side's ID number"
    );
    b.close().await.unwrap();
}

#[tokio::test]
async fn a_party_consents_to_electronic_service_and_opens_the_served_notice_in_the_portal() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    t.user("browser-serve", "b110105", &[Role::Officer]).await;
    let officer = t.login("browser-serve").await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &serde_json::json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初31号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 1_000_000}
            }),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let v: serde_json::Value = r.json().await.unwrap();
    let id = v["id"].as_i64().unwrap();
    let number = v["number"].as_str().unwrap().to_owned();
    let debtor_code = v["access_codes"][1]["code"].as_str().unwrap().to_owned();

    // The debtor opens their page and consents to electronic service, with an SMS number.
    let open_party_page = |b: fantoccini::Client, url: String, number: String, code: String| async move {
        b.goto(&url).await.unwrap();
        b.wait()
            .for_element(Locator::Id("case_number"))
            .await
            .unwrap()
            .send_keys(&number)
            .await
            .unwrap();
        b.find(Locator::Id("code"))
            .await
            .unwrap()
            .send_keys(&code)
            .await
            .unwrap();
        b.find(Locator::Id("access-submit"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        b.wait().for_element(Locator::Id("inbox")).await.unwrap();
    };
    open_party_page(
        b.clone(),
        t.url("/public/case"),
        number.clone(),
        debtor_code.clone(),
    )
    .await;
    b.find(Locator::Css(
        "#consent-form select[name=channel] option[value=sms]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    b.find(Locator::Css("#consent-form input[name=address]"))
        .await
        .unwrap()
        .send_keys("13812345678")
        .await
        .unwrap();
    b.find(Locator::Css("#consent-form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let said = b
        .wait()
        .for_element(Locator::Id("party-said"))
        .await
        .unwrap();
    assert!(said.text().await.unwrap().contains("同意电子送达"));
    let state = b
        .find(Locator::Id("consent-state"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(state.contains("138****5678"), "{state}");

    // The officer issues the notice from the case page: it reaches the debtor's inbox at once.
    sign_in(&b, &t, "browser-serve").await;
    b.goto(&t.url(&format!("/cases/{id}"))).await.unwrap();
    b.wait()
        .for_element(Locator::Css(
            "#act form[action$='/act'] select[name=action] option[value=notice_issued]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.find(Locator::Css("#act input[name=perform_days]"))
        .await
        .unwrap()
        .send_keys("7")
        .await
        .unwrap();
    b.find(Locator::Css("#act input[name=report_days]"))
        .await
        .unwrap()
        .send_keys("10")
        .await
        .unwrap();
    b.find(Locator::Css(
        "#act form[action$='/act'] button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let served = b
        .wait()
        .for_element(Locator::Css(
            "#documents table.services tr[data-party='2'][data-status=served]",
        ))
        .await
        .unwrap();
    assert!(served.text().await.unwrap().contains("电子送达"));

    // The acceptance notice is served on the applicant by post, with the return uploaded.
    let docs = t
        .get_value(&format!("/api/v1/cases/{id}/services"), Some(&officer))
        .await;
    let acceptance = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "acceptance_notice")
        .unwrap()["document_id"]
        .as_i64()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("邮件回执.pdf");
    std::fs::write(&scan, zhixing_testkit::signed_return()).unwrap();
    b.find(Locator::Css(&format!(
        "#service-form select[name=document_id] option[value='{acceptance}']"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    b.find(Locator::Css(
        "#service-form select[name=party_no] option[value='1']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    b.find(Locator::Css(
        "#service-form select[name=method] option[value=post]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    b.find(Locator::Css("#service-form input[type=file]"))
        .await
        .unwrap()
        .send_keys(scan.to_str().unwrap())
        .await
        .unwrap();
    b.find(Locator::Css("#service-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let row = b
        .wait()
        .for_element(Locator::Css(&format!(
            "article[data-document='{acceptance}'] tr[data-party='1'][data-status=served]"
        )))
        .await
        .unwrap();
    let text = row.text().await.unwrap();
    assert!(
        text.contains("邮寄送达") && text.contains("邮件回执.pdf"),
        "{text}"
    );

    // The debtor sees the notice as served (electronically, today) and opens it: its hash.
    open_party_page(
        b.clone(),
        t.url("/public/case"),
        number.clone(),
        debtor_code.clone(),
    )
    .await;
    let docs = t
        .get_value(&format!("/api/v1/cases/{id}/services"), Some(&officer))
        .await;
    let notice = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "enforcement_notice")
        .unwrap()
        .clone();
    let nd = notice["document_id"].as_i64().unwrap();
    let row = b
        .find(Locator::Css(&format!(
            "#party-documents tr[data-document='{nd}']"
        )))
        .await
        .unwrap();
    let text = row.text().await.unwrap();
    assert!(
        text.contains("已送达")
            && text.contains("电子送达")
            && text.contains(&t.app.today().to_string()),
        "{text}"
    );
    b.find(Locator::Css(&format!("button[data-open='{nd}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let sha = b
        .wait()
        .for_element(Locator::Id("document-sha256"))
        .await
        .unwrap();
    assert_eq!(
        sha.text().await.unwrap(),
        notice["sha256"].as_str().unwrap()
    );
    let docs = t
        .get_value(&format!("/api/v1/cases/{id}/services"), Some(&officer))
        .await;
    let opened = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "enforcement_notice")
        .unwrap()["recipients"][0]
        .clone();
    assert_eq!(opened["party_no"], 2);
    let opened = opened["opened_on"].clone();
    assert_eq!(
        opened,
        t.app.today().to_string().as_str(),
        "the opening is on the case"
    );
    b.close().await.unwrap();
}

#[tokio::test]
async fn a_member_of_the_public_searches_the_dishonest_list() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    let officer = t.signed_in("browser-off", "b110105", Role::Officer).await;
    let respondent_id = "110101198001010010";
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &serde_json::json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": respondent_id}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初19号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 1_000_000, "interest": 0, "costs": 0},
                "duties": ""
            }),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    // Ground 4 waits for the report period of the notice.
    t.notice_and_wait(&officer, id).await;
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/listings"),
            Some(&officer),
            &serde_json::json!({"party_no": 2, "grounds": [4], "facts": "拒不申报财产"}),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);

    b.goto(&t.url("/public")).await.unwrap();
    b.wait()
        .for_element(Locator::Id("dishonest-link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let search = |name: &'static str, id: &'static str| {
        let b = b.clone();
        async move {
            let field = b.wait().for_element(Locator::Id("name")).await.unwrap();
            field.clear().await.unwrap();
            field.send_keys(name).await.unwrap();
            let idf = b.find(Locator::Id("id_number")).await.unwrap();
            idf.clear().await.unwrap();
            idf.send_keys(id).await.unwrap();
            b.find(Locator::Id("search-submit"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        }
    };
    // A wrong check digit is explained on the page.
    search("李四", "110101198001010011").await;
    let err = b
        .wait()
        .for_element(Locator::Id("search-error"))
        .await
        .unwrap();
    assert!(err.text().await.unwrap().contains("格式不正确"));

    search("李四", respondent_id).await;
    let count = b
        .wait()
        .for_element(Locator::Id("result-count"))
        .await
        .unwrap();
    assert!(count.text().await.unwrap().contains("共 1 条"));
    let results = b.find(Locator::Id("results")).await.unwrap();
    let text = results.text().await.unwrap();
    assert!(text.contains("1101**********0010"), "{text}");
    assert!(text.contains("违反财产报告制度"), "{text}");
    assert!(text.contains("全部未履行"), "{text}");
    assert!(!b.source().await.unwrap().contains(respondent_id));
    b.close().await.unwrap();
}

#[tokio::test]
async fn the_zhongben_list_is_searched_on_a_phone_without_the_page_scrolling_sideways() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    let officer = t.signed_in("browser-off", "b110105", Role::Officer).await;
    let respondent_id = "110101198001010010";
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &serde_json::json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": respondent_id}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初29号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 123_450, "interest": 0, "costs": 0},
                "duties": ""
            }),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    // The closure itself is tested elsewhere; the list reads the row's state.
    t.raw_exec(&format!(
        "UPDATE cases SET status = 'closed', closure_mode = 'zhongben', closed_on = '2026-06-30' WHERE id = {id}"
    ))
    .await;

    b.set_window_size(390, 844).await.unwrap();
    b.goto(&t.url("/public")).await.unwrap();
    b.wait()
        .for_element(Locator::Id("zhongben-link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let field = b.wait().for_element(Locator::Id("name")).await.unwrap();
    field.send_keys("李").await.unwrap();
    b.find(Locator::Id("search-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let list = b
        .wait()
        .for_element(Locator::Id("zhongben-list"))
        .await
        .unwrap();
    let text = list.text().await.unwrap();
    assert!(text.contains("李四"), "{text}");
    assert!(text.contains("¥1,234.50"), "{text}");
    assert!(text.contains("1101**********0010"), "{text}");
    assert!(!b.source().await.unwrap().contains(respondent_id));
    // The table scrolls inside its card; the page itself fits the phone's width.
    let widths = b
        .execute(
            "return [window.innerWidth, document.documentElement.scrollWidth];",
            vec![],
        )
        .await
        .unwrap();
    let (inner, scroll) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    assert!(inner <= 400, "the window is a phone's: {inner}");
    let wide = b
        .execute(
            "return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 12).map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right));",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        scroll <= inner,
        "the page scrolls sideways: {scroll} > {inner}: {wide}"
    );
    // The announcements, their list and one in full, fit the same way.
    let r = t
        .post_json(
            "/api/v1/announcements",
            Some(&officer),
            &serde_json::json!({"title": "关于执行案款发放的公告", "body": "正文".repeat(200)}),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let posted = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    for path in [
        "/public/announcements".to_owned(),
        format!("/public/announcements/{posted}"),
    ] {
        b.goto(&t.url(&path)).await.unwrap();
        b.wait()
            .for_element(Locator::Css("section.card"))
            .await
            .unwrap();
        let text = b
            .find(Locator::Css("main"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(text.contains("关于执行案款发放的公告"), "{path}: {text}");
        let widths = b
            .execute(
                "return [window.innerWidth, document.documentElement.scrollWidth];",
                vec![],
            )
            .await
            .unwrap();
        let (inner, scroll) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
        assert!(
            scroll <= inner,
            "{path} scrolls sideways: {scroll} > {inner}"
        );
    }
    b.close().await.unwrap();
}

#[tokio::test]
async fn an_officer_lists_extends_and_reviews_a_correction_from_the_case_page() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    let officer = t
        .signed_in("credit-officer", "b110105", Role::Officer)
        .await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &serde_json::json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初29号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 1_000_000},
                "duties": ""
            }),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    // Ground 4 waits for the report period of the notice.
    t.notice_and_wait(&officer, id).await;
    let today = t.app.today();
    let years = |n: i64| {
        today
            .checked_add(jiff::Span::new().years(n))
            .unwrap()
            .to_string()
    };

    sign_in(&b, &t, "credit-officer").await;
    b.goto(&t.url(&format!("/cases/{id}"))).await.unwrap();

    // Listed on ground 4 (reporting breach): two years.
    b.wait()
        .for_element(Locator::Css("#listing-form input[name=g4]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.find(Locator::Css("#listing-form textarea[name=facts]"))
        .await
        .unwrap()
        .send_keys("拒不申报财产")
        .await
        .unwrap();
    b.find(Locator::Css("#listing-form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let ends = b
        .wait()
        .for_element(Locator::Css(
            "#listing-list tr[data-listing='1'] td.ends-on",
        ))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(ends, years(2));

    // Extended by three years from its row.
    b.find(Locator::Css(
        "tr[data-listing='1'] form.extend select[name=years] option[value='3']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    b.find(Locator::Css(
        "tr[data-listing='1'] form.extend input[name=reason]",
    ))
    .await
    .unwrap()
    .send_keys("具有多项失信行为，情节严重")
    .await
    .unwrap();
    b.find(Locator::Css("tr[data-listing='1'] form.extend button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait()
        .for_element(Locator::Css("tr[data-listing='1'] .extended"))
        .await
        .unwrap();
    let ends = b
        .find(Locator::Css("tr[data-listing='1'] td.ends-on"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ends.starts_with(&years(5)) && ends.contains("已延长 3 年"),
        "{ends}"
    );

    // The listed person's correction request, registered and then rejected.
    b.find(Locator::Css("#correction-form textarea[name=reason]"))
        .await
        .unwrap()
        .send_keys("本人已如实申报财产，系误列")
        .await
        .unwrap();
    b.find(Locator::Css("#correction-form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let pending = b
        .wait()
        .for_element(Locator::Css(
            "#correction-list tr[data-correction='1'][data-status='pending']",
        ))
        .await
        .unwrap();
    let due = pending
        .find(Locator::Css("td.review-due"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        due.as_str() > today.to_string().as_str(),
        "review due {due}"
    );
    pending
        .find(Locator::Css("form.decide input[value=reject]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    pending
        .find(Locator::Css("form.decide input[name=reason]"))
        .await
        .unwrap()
        .send_keys("财产报告与查控结果不符")
        .await
        .unwrap();
    pending
        .find(Locator::Css("form.decide button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let outcome = b
        .wait()
        .for_element(Locator::Css(
            "#correction-list tr[data-correction='1'][data-status='rejected'] td.outcome",
        ))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        outcome.contains("驳回") && outcome.contains("财产报告与查控结果不符"),
        "{outcome}"
    );
    let status = b
        .find(Locator::Css("tr[data-listing='1']"))
        .await
        .unwrap()
        .attr("data-status")
        .await
        .unwrap();
    assert_eq!(
        status.as_deref(),
        Some("listed"),
        "a rejected request changes nothing"
    );
    b.close().await.unwrap();
}

#[tokio::test]
async fn the_live_auction_room_shows_each_bid_without_reloading() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    let officer = t.signed_in("browser-off", "b110105", Role::Officer).await;
    let post = |path: String, body: serde_json::Value| {
        let (t, officer) = (&t, officer.clone());
        async move {
            let r = t.post_json(&path, Some(&officer), &body).await;
            let status = r.status();
            let v: serde_json::Value = r.json().await.unwrap();
            assert!(status.is_success(), "{path}: {status} {v}");
            v
        }
    };
    let case_id = post(
        "/api/v1/cases".into(),
        serde_json::json!({
            "case_type": "执",
            "parties": [
                {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
            ],
            "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初41号",
                      "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
            "amounts": {"principal": 150_000_000}
        }),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let asset = t
        .seized_asset(
            case_id,
            "b110105",
            "vehicle",
            "京A12345",
            "小型轿车 京A12345",
            20_000_000,
        )
        .await;
    let vid = post(
        format!("/api/v1/assets/{asset}/valuation"),
        serde_json::json!({}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    post(
        format!("/api/v1/valuations/{vid}/agreement"),
        serde_json::json!({"price_fen": 20_000_000}),
    )
    .await;
    let at = |days: i64| {
        t.app
            .now()
            .checked_add(jiff::SignedDuration::from_hours(days * 24))
            .unwrap()
            .to_string()
    };
    let a = post(
        format!("/api/v1/assets/{asset}/auctions"),
        serde_json::json!({"title": "小型轿车 京A12345", "start_price_fen": 14_000_000, "increment_fen": 100_000,
                           "deposit_fen": 1_400_000, "starts_at": at(16), "ends_at": at(17), "balance_days": 10}),
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    let mut tokens = Vec::new();
    for (n, idn) in ["110102197001010012", "110102198002020022"]
        .iter()
        .enumerate()
    {
        let r = t
            .post_json(
                &format!("/public/v1/auctions/{id}/bidders"),
                None,
                &serde_json::json!({"real_name": format!("竞买人{n}"), "id_number": idn}),
            )
            .await;
        let c: serde_json::Value = r.json().await.unwrap();
        let outcome: serde_json::Value = t
            .get(
                &format!("/public/v1/auctions/{id}/registration"),
                c["token"].as_str(),
            )
            .await
            .json()
            .await
            .unwrap();
        let paddle = outcome["paddle"]
            .as_u64()
            .unwrap_or_else(|| panic!("{outcome}"));
        post(
            format!("/api/v1/auctions/{id}/deposits"),
            serde_json::json!({"paddle": paddle, "amount_fen": 1_400_000, "reference": format!("B{n}")}),
        )
        .await;
        tokens.push(c["token"].as_str().unwrap().to_owned());
    }
    t.clock
        .set(a["starts_at"].as_str().unwrap().parse().unwrap());
    let bid = |token: String, key: &'static str, amount: i64| {
        let t = &t;
        async move {
            let r = t
                .client
                .post(t.url(&format!("/api/v1/auctions/{id}/bids")))
                .bearer_auth(token)
                .header("idempotency-key", key)
                .json(&serde_json::json!({"amount_fen": amount}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), reqwest::StatusCode::CREATED);
        }
    };

    // The public finds the room from the list.
    b.goto(&t.url("/public/auctions")).await.unwrap();
    b.wait()
        .for_element(Locator::LinkText("小型轿车 京A12345"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait().for_element(Locator::Id("bid-log")).await.unwrap();
    // The feed is open before the bids come.
    b.wait()
        .for_element(Locator::Css("#auction-room[data-live='yes']"))
        .await
        .unwrap();
    bid(tokens[0].clone(), "k1", 14_000_000).await;
    let price = b.find(Locator::Id("current-price")).await.unwrap();
    for _ in 0..100 {
        if price.text().await.unwrap() == "¥140,000.00" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(price.text().await.unwrap(), "¥140,000.00");
    bid(tokens[1].clone(), "k2", 14_100_000).await;
    for _ in 0..100 {
        if b.find_all(Locator::Css("#bid-log-body tr.bid"))
            .await
            .unwrap()
            .len()
            == 2
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let rows = b
        .find_all(Locator::Css("#bid-log-body tr.bid"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 2, "both bids arrived without a reload");
    assert!(rows[0].text().await.unwrap().contains("141,000.00"));
    assert_eq!(price.text().await.unwrap(), "¥141,000.00");
    assert_eq!(
        b.find(Locator::Id("bid-count"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "2"
    );
    let source = b.source().await.unwrap();
    assert!(!source.contains("竞买人0") && !source.contains("110102197001010012"));
    b.close().await.unwrap();
}

/// The text of element `css` once it satisfies `ok`, within a generous wait (10 s).
async fn text_when(b: &fantoccini::Client, css: &str, ok: impl Fn(&str) -> bool) -> String {
    let mut last = String::new();
    for _ in 0..300 {
        if let Ok(e) = b.find(Locator::Css(css)).await {
            last = e.text().await.unwrap_or_default();
            if ok(&last) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css}: still {last:?}");
}

#[tokio::test]
async fn two_bidders_outbid_each_other_in_the_last_five_minutes_and_each_sees_the_other_through_a_dropped_feed()
 {
    let Some((_driver1, b1, _profile1)) = start_browser().await else {
        return;
    };
    let Some((_driver2, b2, _profile2)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    let officer = t.signed_in("browser-off", "b110105", Role::Officer).await;
    let post = |path: String, body: serde_json::Value| {
        let (t, officer) = (&t, officer.clone());
        async move {
            let r = t.post_json(&path, Some(&officer), &body).await;
            let status = r.status();
            let v: serde_json::Value = r.json().await.unwrap();
            assert!(status.is_success(), "{path}: {status} {v}");
            v
        }
    };
    let case_id = post(
        "/api/v1/cases".into(),
        serde_json::json!({
            "case_type": "执",
            "parties": [
                {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
            ],
            "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初42号",
                      "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
            "amounts": {"principal": 150_000_000}
        }),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let asset = t
        .seized_asset(
            case_id,
            "b110105",
            "vehicle",
            "京B54321",
            "小型轿车 京B54321",
            20_000_000,
        )
        .await;
    let vid = post(
        format!("/api/v1/assets/{asset}/valuation"),
        serde_json::json!({}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    post(
        format!("/api/v1/valuations/{vid}/agreement"),
        serde_json::json!({"price_fen": 20_000_000}),
    )
    .await;
    let at = |days: i64| {
        t.app
            .now()
            .checked_add(jiff::SignedDuration::from_hours(days * 24))
            .unwrap()
            .to_string()
    };
    let a = post(
        format!("/api/v1/assets/{asset}/auctions"),
        serde_json::json!({"title": "小型轿车 京B54321", "start_price_fen": 14_000_000, "increment_fen": 100_000,
                           "deposit_fen": 1_400_000, "starts_at": at(16), "ends_at": at(17), "balance_days": 10}),
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    let room = t.url(&format!("/public/auctions/{id}"));

    // Each registers in real name in the page; the court confirms each deposit.
    for (b, name, idn) in [
        (&b1, "竞买人甲", "110102197001010012"),
        (&b2, "竞买人乙", "110102198002020022"),
    ] {
        b.goto(&room).await.unwrap();
        b.wait()
            .for_element(Locator::Css("#register-form input[name=real_name]"))
            .await
            .unwrap()
            .send_keys(name)
            .await
            .unwrap();
        b.find(Locator::Css("#register-form input[name=id_number]"))
            .await
            .unwrap()
            .send_keys(idn)
            .await
            .unwrap();
        b.find(Locator::Css("#register-form button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let paddle = b
            .wait()
            .for_element(Locator::Id("my-paddle"))
            .await
            .unwrap()
            .attr("data-paddle")
            .await
            .unwrap()
            .unwrap();
        post(
            format!("/api/v1/auctions/{id}/deposits"),
            serde_json::json!({"paddle": paddle.parse::<u32>().unwrap(), "amount_fen": 1_400_000, "reference": format!("B{paddle}")}),
        )
        .await;
        // The page waits for the confirmation and then shows the bid box by itself.
        b.wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Id("bid-form"))
            .await
            .unwrap();
    }

    // Three minutes before the scheduled end, by the server's clock.
    let end: jiff::Timestamp = a["ends_at"].as_str().unwrap().parse().unwrap();
    let now = end.checked_sub(jiff::SignedDuration::from_mins(3)).unwrap();
    t.clock.set(now);
    for b in [&b1, &b2] {
        b.goto(&room).await.unwrap();
        b.wait().for_element(Locator::Id("bid-form")).await.unwrap();
        b.wait()
            .for_element(Locator::Css("#auction-room[data-live='yes']"))
            .await
            .unwrap();
        assert_eq!(
            b.find(Locator::Id("next-min"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
            "¥140,000.00"
        );
    }
    let beijing = zhixing_domain::auction::beijing_time;
    // The feed's state and the clock's offset are shown: the server's clock is set weeks
    // ahead of the browser's here.
    text_when(&b1, "#feed-state", |s| s == "实时更新中").await;
    text_when(&b1, "#clock-offset", |s| s.contains("本机时钟比服务器慢")).await;
    assert_eq!(
        b1.find(Locator::Id("ends-at"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        beijing(end)
    );
    // The countdown runs on the server's clock: minutes, not the days the browser's
    // clock would say.
    let left = text_when(&b1, "#countdown", |s| s.starts_with("00:0")).await;
    assert!(
        left.starts_with("00:02") || left.starts_with("00:03"),
        "{left}"
    );

    // The first bids the prefilled next price.
    b1.find(Locator::Id("bid-button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    text_when(&b1, "#bid-result", |s| s.contains("出价已被接受")).await;
    let end1 = beijing(now.checked_add(jiff::SignedDuration::from_mins(5)).unwrap());
    // The other sees the bid, the new end and why it moved.
    text_when(&b2, "#current-price", |s| s == "¥140,000.00").await;
    text_when(&b2, "#ends-at", |s| s == end1).await;
    text_when(&b2, "#extension-note", |s| {
        s.contains("延时") && s.contains(&end1)
    })
    .await;
    text_when(&b2, "#next-min", |s| s == "¥141,000.00").await;

    // The first's feed drops (the page stops its connections): the room says so.
    b1.execute("window.stop(); return true;", vec![])
        .await
        .unwrap();
    text_when(&b1, "#feed-state", |s| s.contains("连接中断")).await;

    // A minute later the second outbids at its next price; the first's feed comes back,
    // catches up from the last event it saw, and shows the bid and the end moving again.
    let now2 = now.checked_add(jiff::SignedDuration::from_mins(1)).unwrap();
    t.clock.set(now2);
    b2.find(Locator::Id("bid-button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    text_when(&b2, "#bid-result", |s| s.contains("出价已被接受")).await;
    text_when(&b1, "#feed-state", |s| s.contains("已重新连接")).await;
    let end2 = beijing(
        now2.checked_add(jiff::SignedDuration::from_mins(5))
            .unwrap(),
    );
    text_when(&b1, "#current-price", |s| s == "¥141,000.00").await;
    text_when(&b1, "#ends-at", |s| s == end2).await;
    text_when(&b1, "#next-min", |s| s == "¥142,000.00").await;
    for b in [&b1, &b2] {
        let rows = b
            .find_all(Locator::Css("#bid-log-body tr.bid"))
            .await
            .unwrap();
        assert_eq!(rows.len(), 2, "each bid once");
        assert!(rows[0].text().await.unwrap().contains("¥141,000.00"));
    }
    // A bid under the increment is refused with the reason and the figures.
    let amount = b1.find(Locator::Id("bid-amount")).await.unwrap();
    amount.clear().await.unwrap();
    amount.send_keys("141500").await.unwrap();
    b1.find(Locator::Id("bid-button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let refused = text_when(&b1, "#bid-result", |s| s.contains("未被接受")).await;
    assert!(refused.contains("¥142,000.00"), "{refused}");
    let source = b1.source().await.unwrap();
    assert!(!source.contains("竞买人乙") && !source.contains("110102198002020022"));
    let png = b1.screenshot().await.unwrap();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("auction-room.png");
    std::fs::write(&out, &png).unwrap();
    // On a phone the room stacks: nothing scrolls the page sideways.
    b2.set_window_size(390, 844).await.unwrap();
    b2.goto(&room).await.unwrap();
    b2.wait()
        .for_element(Locator::Id("bid-form"))
        .await
        .unwrap();
    let widths = b2
        .execute(
            "return [window.innerWidth, document.documentElement.scrollWidth];",
            vec![],
        )
        .await
        .unwrap();
    let (inner, scroll) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    assert!(
        scroll <= inner,
        "the room scrolls sideways at 390 px: {scroll} > {inner}"
    );
    let png = b2.screenshot().await.unwrap();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("auction-room-390.png");
    std::fs::write(&out, &png).unwrap();

    // The end comes; the worker closes the auction. Both rooms follow the close live: sold
    // to the second bidder at the last price, the countdown ended, the feed closed.
    t.clock.set(
        now2.checked_add(jiff::SignedDuration::from_mins(5))
            .unwrap(),
    );
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    for b in [&b1, &b2] {
        text_when(b, "#auction-status", |s| s == "已成交").await;
        text_when(b, "#outcome", |s| {
            s.contains("成交价 ¥141,000.00") && s.contains("P0002")
        })
        .await;
        text_when(b, "#countdown", |s| s == "已结束").await;
    }
    b1.close().await.unwrap();
    b2.close().await.unwrap();
}

#[tokio::test]
async fn an_officer_prices_a_seized_car_and_announces_its_auction_from_the_case_page() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    let officer = t
        .signed_in("auction-officer", "b110105", Role::Officer)
        .await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &serde_json::json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初43号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 150_000_000}
            }),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    t.seized_asset(
        id,
        "b110105",
        "vehicle",
        "京B54321",
        "小型轿车 京B54321",
        20_000_000,
    )
    .await;
    let local = |days: i64| {
        t.app
            .now()
            .checked_add(jiff::SignedDuration::from_hours(days * 24))
            .unwrap()
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
            .strftime("%Y-%m-%dT%H:%M")
            .to_string()
    };

    sign_in(&b, &t, "auction-officer").await;
    b.goto(&t.url(&format!("/cases/{id}"))).await.unwrap();
    b.wait()
        .for_element(Locator::Css("#auctions form.start-valuation button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // 当事人议价: the parties agree 200,000.00 yuan.
    b.wait()
        .for_element(Locator::Css("#auctions form.agreement input[name=price]"))
        .await
        .unwrap()
        .send_keys("200,000.00")
        .await
        .unwrap();
    b.find(Locator::Css("#auctions form.agreement button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let price = b
        .wait()
        .for_element(Locator::Css("#auctions .reference-price"))
        .await
        .unwrap();
    assert_eq!(price.text().await.unwrap(), "¥200,000.00");

    // The announcement: 70% of the reference price, bidding 16 days from now for one day.
    for (name, value) in [
        ("start_price", "140,000.00"),
        ("increment", "1,000.00"),
        ("deposit", "14,000.00"),
    ] {
        b.find(Locator::Css(&format!(
            "#auctions form.announce input[name={name}]"
        )))
        .await
        .unwrap()
        .send_keys(value)
        .await
        .unwrap();
    }
    // A datetime-local input's keyboard segments depend on the browser's locale: set it as
    // the browser would submit it.
    b.execute(
        "document.querySelector('#auctions form.announce [name=starts_at]').value = arguments[0];\
         document.querySelector('#auctions form.announce [name=ends_at]').value = arguments[1];",
        vec![serde_json::json!(local(16)), serde_json::json!(local(17))],
    )
    .await
    .unwrap();
    b.find(Locator::Css("#auctions form.announce button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let room = b
        .wait()
        .for_element(Locator::Css("#auction-list a.live-room"))
        .await
        .unwrap();
    assert_eq!(room.text().await.unwrap(), "小型轿车 京B54321");
    let status = b
        .find(Locator::Css("#auction-list td.status"))
        .await
        .unwrap();
    assert!(status.text().await.unwrap().contains("公告期"));
    room.click().await.unwrap();
    b.wait().for_element(Locator::Id("bid-log")).await.unwrap();
    assert!(
        b.current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/public/auctions/")
    );
    assert!(b.source().await.unwrap().contains("140,000.00"));
    b.close().await.unwrap();
}

/// Whether a canvas has a size and something drawn on it (a pixel that is not transparent).
async fn canvas_drawn(b: &fantoccini::Client, id: &str) -> (i64, i64, bool) {
    let v = b
        .execute(
            "var c = document.getElementById(arguments[0]);\
             if (!c) { return [0, 0, false]; }\
             var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;\
             var ink = false;\
             for (var i = 3; i < d.length; i += 4) { if (d[i] !== 0) { ink = true; break; } }\
             return [c.width, c.height, ink];",
            vec![serde_json::json!(id)],
        )
        .await
        .unwrap();
    (
        v[0].as_i64().unwrap(),
        v[1].as_i64().unwrap(),
        v[2].as_bool().unwrap(),
    )
}

#[tokio::test]
async fn a_supervisor_at_the_spc_drills_down_the_command_centre_to_a_case() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    let officer = t.signed_in("cc-officer", "b110105", Role::Officer).await;
    let officer_he = t.signed_in("cc-officer-he", "b130102", Role::Officer).await;
    let file = |token: String, n: u32| {
        let t = &t;
        async move {
            let r = t
                .post_json(
                    "/api/v1/cases",
                    Some(&token),
                    &serde_json::json!({
                        "case_type": "执",
                        "parties": [
                            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
                        ],
                        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院",
                                  "document_number": format!("(2026)京0105民初{n}号"),
                                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                        "amounts": {"principal": 100_000}
                    }),
                )
                .await;
            assert_eq!(r.status(), reqwest::StatusCode::CREATED);
            r.json::<serde_json::Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap()
        }
    };
    let first_case = file(officer.clone(), 1).await;
    file(officer.clone(), 2).await;
    // One case paid and closed as performed, so that the rates have values to draw.
    for (path, body) in [
        ("payments", serde_json::json!({"amount": 100_000})),
        (
            "closure",
            serde_json::json!({"mode": "fully_performed", "reason": "全部履行完毕"}),
        ),
    ] {
        let r = t
            .post_json(
                &format!("/api/v1/cases/{first_case}/{path}"),
                Some(&officer),
                &body,
            )
            .await;
        assert!(r.status().is_success(), "{path}: {}", r.status());
    }
    file(officer_he.clone(), 3).await;
    t.user("cc-spc", "spc", &[Role::Supervisor]).await;
    sign_in(&b, &t, "cc-spc").await;

    // From the navigation to the SPC's dashboard: figures, and both charts drawn.
    b.wait()
        .for_element(Locator::Id("nav-command"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait()
        .for_element(Locator::Css("#command[data-charts='drawn']"))
        .await
        .unwrap();
    assert!(
        b.find(Locator::Css("h1"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("最高人民法院")
    );
    let filed = b.find(Locator::Id("count-filed")).await.unwrap();
    assert_eq!(filed.text().await.unwrap(), "3");
    for canvas in ["trend-chart", "ranking-chart"] {
        let (w, h, ink) = canvas_drawn(&b, canvas).await;
        assert!(w > 0 && h > 0, "{canvas} has a size: {w}×{h}");
        assert!(ink, "{canvas} has something drawn on it");
    }

    // Live: once the feed is open, a case filed elsewhere shows up without a reload.
    b.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#command[data-live='yes']"))
        .await
        .unwrap();
    b.execute("window.__same_page = true;", vec![])
        .await
        .unwrap();
    file(officer.clone(), 4).await;
    b.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath("//span[@id='count-filed' and text()='4']"))
        .await
        .unwrap();
    let same = b
        .execute("return window.__same_page === true;", vec![])
        .await
        .unwrap();
    assert_eq!(
        same,
        serde_json::json!(true),
        "updated in place, not reloaded"
    );
    let row = b
        .find(Locator::Css(
            "#ranking-table tr[data-court='h11'] td:nth-child(3)",
        ))
        .await
        .unwrap();
    assert_eq!(row.text().await.unwrap(), "3", "the ranking table follows");

    // The top of the dashboard (figures and indicators), kept for people to look at.
    let top = b.screenshot().await.unwrap();
    std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("command-centre-top.png"),
        &top,
    )
    .unwrap();
    // A screenshot of the charts, kept and checked: not one flat colour.
    b.execute("document.getElementById('trend').scrollIntoView();", vec![])
        .await
        .unwrap();
    let png_bytes = b.screenshot().await.unwrap();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("command-centre.png");
    std::fs::write(&out, &png_bytes).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(&png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let bytes_per_pixel = info.color_type.samples() * usize::from(info.bit_depth as u8) / 8;
    let colours: std::collections::HashSet<&[u8]> = pixels[..info.buffer_size()]
        .chunks(bytes_per_pixel)
        .collect();
    assert!(
        info.width > 100 && info.height > 100,
        "{}×{}",
        info.width,
        info.height
    );
    assert!(
        colours.len() > 16,
        "a drawn page has many colours, not a blank one ({} in {})",
        colours.len(),
        out.display()
    );

    // Down: SPC → the Beijing high court → its third intermediate court → 朝阳 → cases → a case.
    for (link, heading) in [
        (
            "#ranking-table a.drill[href^='/command/courts/h11']",
            "北京市高级人民法院",
        ),
        (
            "#ranking-table a.drill[href^='/command/courts/i1103']",
            "北京市第三中级人民法院",
        ),
        (
            "#ranking-table a.drill[href^='/command/courts/b110105']",
            "北京市朝阳区人民法院",
        ),
    ] {
        b.find(Locator::Css(link))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let h1 = b
            .wait()
            .for_element(Locator::XPath(&format!("//h1[contains(., '{heading}')]")))
            .await
            .unwrap();
        assert!(h1.text().await.unwrap().starts_with("指挥中心"));
        b.wait()
            .for_element(Locator::Css("#command[data-charts='drawn']"))
            .await
            .unwrap();
    }
    assert_eq!(
        b.find(Locator::Id("count-filed"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "3",
        "朝阳's own cases"
    );
    b.find(Locator::Css("#drill-cases a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let first = b
        .wait()
        .for_element(Locator::Css("#case-list td a"))
        .await
        .unwrap();
    assert_eq!(
        b.find_all(Locator::Css("#case-list td a[href^='/cases/']"))
            .await
            .unwrap()
            .len(),
        3
    );
    let number = first.text().await.unwrap();
    first.click().await.unwrap();
    b.wait()
        .for_element(Locator::XPath(&format!("//h1[contains(., '{number}')]")))
        .await
        .unwrap();
    assert!(b.current_url().await.unwrap().path().starts_with("/cases/"));
    b.close().await.unwrap();
}

/// A WAV file of `seconds` of 8 kHz mono 16-bit PCM: something Chromium decodes.
fn wav(seconds: usize) -> Vec<u8> {
    let samples = seconds * 8000;
    let data_len = u32::try_from(samples * 2).unwrap();
    let mut b = Vec::with_capacity(44 + samples * 2);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&8000u32.to_le_bytes());
    b.extend_from_slice(&16000u32.to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..samples {
        b.extend_from_slice(&(((i * 37 % 2000) as i16) - 1000).to_le_bytes());
    }
    b
}

#[tokio::test]
async fn an_officer_plays_a_hotline_recording_from_the_case_page() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::spawn_with(zhixing_server::Config {
        recordings_dir: dir.path().to_path_buf(),
        ..zhixing_testkit::test_config()
    })
    .await;
    let officer = t.signed_in("browser-rec", "b110105", Role::Officer).await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &serde_json::json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初29号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 1_000_000, "interest": 0, "costs": 0},
                "duties": ""
            }),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = t
        .client
        .post(t.url(&format!(
            "/api/v1/cases/{id}/recordings?kind=hotline&name=12368.wav"
        )))
        .bearer_auth(&officer)
        .header("content-type", "application/octet-stream")
        .body(wav(2))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());

    sign_in(&b, &t, "browser-rec").await;
    b.goto(&t.url(&format!("/cases/{id}"))).await.unwrap();
    b.wait()
        .for_element(Locator::Css("#complaints audio[data-recording]"))
        .await
        .unwrap();
    // The browser fetches the recording itself (with range requests), decodes it — two
    // seconds, as uploaded — and seeks into it, as an officer skipping to a moment does.
    let mut state = serde_json::Value::Null;
    for _ in 0..100 {
        state = b
            .execute(
                "const a = document.querySelector('#complaints audio[data-recording]'); \
                 if (a.readyState >= 1 && !a.dataset.sought) { a.dataset.sought = '1'; a.currentTime = 1.5; } \
                 return {ready: a.readyState, duration: a.duration, time: a.currentTime, seeking: a.seeking, error: a.error && a.error.code};",
                vec![],
            )
            .await
            .unwrap();
        if state["time"].as_f64().unwrap_or(0.0) > 1.4 && state["seeking"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(state["error"], serde_json::Value::Null, "{state}");
    let duration = state["duration"].as_f64().unwrap_or(0.0);
    assert!(
        (duration - 2.0).abs() < 0.01,
        "two seconds decoded: {state}"
    );
    assert!(
        (state["time"].as_f64().unwrap_or(0.0) - 1.5).abs() < 0.01 && state["seeking"] == false,
        "it seeks to 1.5 s: {state}"
    );
    // Who played what is on the audit trail, with the byte range the browser asked for.
    let played: i64 = t
        .raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE kind = 'recording.played'")
        .await
        .parse()
        .unwrap();
    assert!(played >= 1, "each playback request is audited");
    let actor = t
        .raw_text("SELECT actor FROM events WHERE kind = 'recording.played' ORDER BY seq LIMIT 1")
        .await;
    let user_id = t
        .raw_text("SELECT CAST(id AS TEXT) FROM users WHERE username = 'browser-rec'")
        .await;
    assert_eq!(actor, format!("user:{user_id}"));
}

/// The forms a browser sends carry the session's token, the upload's first of all; a form on
/// a sibling system (same site, another origin: here another port of the same host) that
/// posts to a case is refused although the browser sends the session cookie with it.
#[tokio::test]
async fn an_officer_uploads_a_record_a_sibling_site_cannot_post_and_signing_out_works() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    t.user("browser-field", "b110105", &[Role::Officer]).await;
    let token = t.login("browser-field").await;
    let filing = serde_json::json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初77号", "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 5_000_000}
    });
    let id = t
        .post_json("/api/v1/cases", Some(&token), &filing)
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    sign_in(&b, &t, "browser-field").await;

    // A traditional investigation with a photo, through the case page's upload form.
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("现场照片.png");
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, 1, 1);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[0]).unwrap();
    }
    std::fs::write(&photo, &png).unwrap();
    b.goto(&t.url(&format!("/cases/{id}"))).await.unwrap();
    b.wait()
        .for_element(Locator::Css("#field-form input[name=place]"))
        .await
        .unwrap()
        .send_keys("被执行人住所")
        .await
        .unwrap();
    b.find(Locator::Css("#field-form textarea[name=findings]"))
        .await
        .unwrap()
        .send_keys("现场无人，拍照留存")
        .await
        .unwrap();
    b.find(Locator::Css("#field-form input[type=file]"))
        .await
        .unwrap()
        .send_keys(photo.to_str().unwrap())
        .await
        .unwrap();
    b.find(Locator::Css("#field-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let row = b
        .wait()
        .for_element(Locator::Css("#field-list tr[data-field-investigation]"))
        .await
        .unwrap();
    let text = row.text().await.unwrap();
    assert!(
        text.contains("现场无人，拍照留存") && text.contains("现场照片.png"),
        "{text}"
    );

    // A sibling system's page with a form that posts to the case.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sibling = format!("http://{}", listener.local_addr().unwrap());
    let target = t.url(&format!("/cases/{id}/act"));
    let html = format!(
        "<!doctype html><html><body><form id=\"forged\" method=\"post\" action=\"{target}\">\
         <input type=\"hidden\" name=\"action\" value=\"notice_issued\">\
         <button type=\"submit\">领取奖品</button></form></body></html>"
    );
    let page = axum::Router::new().route(
        "/",
        axum::routing::get(move || {
            let html = html.clone();
            async move { axum::response::Html(html) }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, page).await;
    });
    let before: serde_json::Value = t
        .get_value(&format!("/api/v1/cases/{id}"), Some(&token))
        .await;
    b.goto(&sibling).await.unwrap();
    b.find(Locator::Css("#forged button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let refused = b
        .wait()
        .for_element(Locator::Id("csrf-rejected"))
        .await
        .unwrap();
    assert!(
        refused.text().await.unwrap().contains("什么也没有改变"),
        "the refusal in Chinese"
    );
    let after: serde_json::Value = t
        .get_value(&format!("/api/v1/cases/{id}"), Some(&token))
        .await;
    assert_eq!(after["version"], before["version"], "the case did not move");
    assert_eq!(after["case"]["actions"], before["case"]["actions"]);

    // Signing out through the header's form.
    b.goto(&t.url("/home")).await.unwrap();
    b.wait()
        .for_element(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait()
        .for_element(Locator::Css("form[action='/login']"))
        .await
        .unwrap();
    b.goto(&t.url("/home")).await.unwrap();
    assert!(
        b.current_url().await.unwrap().path().ends_with("/login"),
        "signed out"
    );
    b.close().await.unwrap();
}

/// Monday 5 January 2026, 09:00 in Beijing: where the training clock starts.
fn training_start() -> jiff::Timestamp {
    "2026-01-05T01:00:00Z".parse().unwrap()
}

/// The administrator moves the training clock on its page to `to` (a `datetime-local`
/// value, Beijing time) and sees the banner say the new time.
async fn advance_on_page(b: &fantoccini::Client, t: &TestApp, to: &str) {
    b.goto(&t.url("/admin/clock")).await.unwrap();
    b.wait()
        .for_element(Locator::Css("form.advance-to input[name=to]"))
        .await
        .unwrap();
    // A datetime-local input's keyboard segments depend on the browser's locale: set it as
    // the browser would submit it.
    b.execute(
        "document.querySelector('form.advance-to [name=to]').value = arguments[0];",
        vec![serde_json::json!(to)],
    )
    .await
    .unwrap();
    b.find(Locator::Css("form.advance-to button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let shown = to.replace('T', " ");
    for _ in 0..100 {
        if let Ok(e) = b.find(Locator::Id("simulated-now")).await
            && e.text().await.unwrap_or_default() >= shown
            && b.current_url().await.unwrap().path() == "/admin/clock"
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let now = b
        .find(Locator::Id("simulated-now"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(now >= shown, "the banner says {now}, moved to {shown}");
    assert!(
        b.find(Locator::Css(".refusal")).await.is_err(),
        "not refused: {}",
        b.source().await.unwrap()
    );
}

/// The text of an element of the page at `path`, freshly loaded.
async fn text_at(b: &fantoccini::Client, t: &TestApp, path: &str, id: &str) -> String {
    b.goto(&t.url(path)).await.unwrap();
    b.wait()
        .for_element(Locator::Id(id))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn training_mode_an_administrator_advances_the_clock_through_two_auctions_to_a_sale() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn_simulated(training_start()).await;
    t.user("trainer", "spc", &[Role::Administrator]).await;
    let officer = t
        .signed_in("training-officer", "b110105", Role::Officer)
        .await;
    let post = |path: String, body: serde_json::Value| {
        let (t, officer) = (&t, officer.clone());
        async move {
            let r = t.post_json(&path, Some(&officer), &body).await;
            let status = r.status();
            let v: serde_json::Value = r.json().await.unwrap();
            (status, v)
        }
    };
    let ok = |(status, v): (reqwest::StatusCode, serde_json::Value)| {
        assert!(status.is_success(), "{status} {v}");
        v
    };
    let case_id = ok(post(
        "/api/v1/cases".into(),
        serde_json::json!({
            "case_type": "执",
            "parties": [
                {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
            ],
            "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2025)京0105民初51号",
                      "effective_date": "2025-11-01", "performance_deadline": "2025-11-15"},
            "amounts": {"principal": 150_000_000}
        }),
    )
    .await)["id"]
        .as_i64()
        .unwrap();
    let asset = t
        .seized_asset(
            case_id,
            "b110105",
            "vehicle",
            "京A54321",
            "小型轿车 京A54321",
            20_000_000,
        )
        .await;
    let vid = ok(post(
        format!("/api/v1/assets/{asset}/valuation"),
        serde_json::json!({}),
    )
    .await)["id"]
        .as_i64()
        .unwrap();
    ok(post(
        format!("/api/v1/valuations/{vid}/agreement"),
        serde_json::json!({"price_fen": 20_000_000}),
    )
    .await);
    // Registers two bidders and books their deposits: their tokens.
    let bidders = |id: i64, deposit: i64| {
        let t = &t;
        let post = &post;
        async move {
            let mut tokens = Vec::new();
            for (n, idn) in ["110102197001010012", "110102198002020022"]
                .iter()
                .enumerate()
            {
                let r = t
                    .post_json(
                        &format!("/public/v1/auctions/{id}/bidders"),
                        None,
                        &serde_json::json!({"real_name": format!("竞买人{n}"), "id_number": idn}),
                    )
                    .await;
                let c: serde_json::Value = r.json().await.unwrap();
                let token = c["token"].as_str().unwrap().to_owned();
                let outcome = t
                    .get_value(
                        &format!("/public/v1/auctions/{id}/registration"),
                        Some(&token),
                    )
                    .await;
                let paddle = outcome["paddle"]
                    .as_u64()
                    .unwrap_or_else(|| panic!("{outcome}"));
                let (status, v) = post(
                    format!("/api/v1/auctions/{id}/deposits"),
                    serde_json::json!({"paddle": paddle, "amount_fen": deposit, "reference": format!("A{id}-B{n}")}),
                )
                .await;
                assert!(status.is_success(), "{v}");
                tokens.push(token);
            }
            tokens
        }
    };
    let bid = |id: i64, token: String, key: &'static str, amount: i64| {
        let t = &t;
        async move {
            let r = t
                .client
                .post(t.url(&format!("/api/v1/auctions/{id}/bids")))
                .bearer_auth(token)
                .header("idempotency-key", key)
                .json(&serde_json::json!({"amount_fen": amount}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), reqwest::StatusCode::CREATED);
            r.json::<serde_json::Value>().await.unwrap()
        }
    };

    // The first auction at 70 % of the reference price, its announcement period running
    // from today (5 January) to 21 January.
    let first = ok(post(
        format!("/api/v1/assets/{asset}/auctions"),
        serde_json::json!({"title": "小型轿车 京A54321", "start_price_fen": 14_000_000, "increment_fen": 100_000,
                           "deposit_fen": 1_400_000, "starts_at": "2026-01-21T10:00:00+08:00",
                           "ends_at": "2026-01-22T10:00:00+08:00", "balance_days": 10}),
    )
    .await);
    let first_id = first["id"].as_i64().unwrap();
    bidders(first_id, 1_400_000).await;
    let room = |id: i64| format!("/public/auctions/{id}");

    sign_in(&b, &t, "trainer").await;
    let banner = b
        .find(Locator::Id("training-banner"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        banner.contains("演练模式") && banner.contains("2026-01-05 09:0"),
        "{banner}"
    );
    assert_eq!(
        text_at(&b, &t, &room(first_id), "auction-status").await,
        "公告中"
    );
    assert!(
        b.find(Locator::Id("training-banner")).await.is_ok(),
        "the public room says it too"
    );

    // The announcement period passes: bidding is open; nobody bids, and at its end the
    // advance's own pass of the watch worker closes it unsold.
    advance_on_page(&b, &t, "2026-01-21T10:01").await;
    assert_eq!(
        text_at(&b, &t, &room(first_id), "auction-status").await,
        "竞价中"
    );
    advance_on_page(&b, &t, "2026-01-22T10:00").await;
    assert_eq!(
        text_at(&b, &t, &room(first_id), "auction-status").await,
        "流拍"
    );

    // The second auction: more than 20 % off the first starting price is refused, 20 % is
    // taken; 7 days of announcement for a movable.
    let second = |price: i64| {
        serde_json::json!({"round": "second", "title": "小型轿车 京A54321（二拍）", "start_price_fen": price,
                           "increment_fen": 100_000, "deposit_fen": price / 10,
                           "starts_at": "2026-01-30T10:00:00+08:00", "ends_at": "2026-01-31T10:00:00+08:00",
                           "balance_days": 10})
    };
    let (status, refused) = post(
        format!("/api/v1/assets/{asset}/auctions"),
        second(14_000_000 * 79 / 100),
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["code"], "price_cut_too_large", "{refused}");
    let second = ok(post(
        format!("/api/v1/assets/{asset}/auctions"),
        second(14_000_000 * 8 / 10),
    )
    .await);
    let second_id = second["id"].as_i64().unwrap();
    assert_eq!(second["start_price_fen"], 11_200_000);
    let tokens = bidders(second_id, 1_120_000).await;
    assert_eq!(
        text_at(&b, &t, &room(second_id), "auction-status").await,
        "公告中"
    );

    advance_on_page(&b, &t, "2026-01-30T10:01").await;
    bid(second_id, tokens[0].clone(), "s1", 11_200_000).await;
    let price = text_at(&b, &t, &room(second_id), "current-price").await;
    assert!(price.contains("112,000.00"), "{price}");
    // Two minutes before the end a bid moves the end to five minutes after it.
    advance_on_page(&b, &t, "2026-01-31T09:58").await;
    let late = bid(second_id, tokens[1].clone(), "s2", 11_300_000).await;
    let scheduled: jiff::Timestamp = "2026-01-31T02:00:00Z".parse().unwrap();
    let extended: jiff::Timestamp = late["ends_at"].as_str().unwrap().parse().unwrap();
    assert!(extended > scheduled, "{late}");
    let at: jiff::Timestamp = late["at"].as_str().map_or(extended, |s| s.parse().unwrap());
    assert_eq!(
        extended.duration_since(at),
        jiff::SignedDuration::from_mins(5),
        "{late}"
    );
    // The room shows the moved end (drawn so, and the feed's replay of the bids ends there).
    // Beijing time to the second, as bidders read it.
    let moved =
        zhixing_domain::auction::beijing_time(late["ends_at"].as_str().unwrap().parse().unwrap());
    let mut shown = text_at(&b, &t, &room(second_id), "ends-at").await;
    for _ in 0..50 {
        if shown == moved {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        shown = b
            .find(Locator::Id("ends-at"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
    }
    assert_eq!(shown, moved);
    // The scheduled end passes: still bidding until the moved one.
    advance_on_page(&b, &t, "2026-01-31T10:01").await;
    assert_eq!(
        text_at(&b, &t, &room(second_id), "auction-status").await,
        "竞价中"
    );
    // The moved end passes: the advance's pass closes it, sold to the top bid.
    advance_on_page(&b, &t, "2026-01-31T10:05").await;
    assert_eq!(
        text_at(&b, &t, &room(second_id), "auction-status").await,
        "已成交"
    );
    assert!(
        b.find(Locator::Id("outcome"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("113,000.00")
    );
    // The buyer pays the balance: the sale is complete.
    let paid = ok(post(
        format!("/api/v1/auctions/{second_id}/balance"),
        serde_json::json!({"amount_fen": 11_300_000 - 1_120_000, "reference": "BANK-BAL"}),
    )
    .await);
    assert_eq!(paid["status"], "paid", "{paid}");
    let public = t
        .get_value(&format!("/public/v1/auctions/{second_id}"), None)
        .await;
    assert_eq!(public["status"], "paid", "{public}");
    assert_eq!(
        text_at(&b, &t, &room(second_id), "auction-status").await,
        "已成交（价款已付清）"
    );

    // Never back: the page refuses beside its form and the clock stays.
    b.goto(&t.url("/admin/clock")).await.unwrap();
    b.execute(
        "document.querySelector('form.advance-to [name=to]').value = '2026-01-05T09:00';",
        vec![],
    )
    .await
    .unwrap();
    b.find(Locator::Css("form.advance-to button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let refusal = b
        .wait()
        .for_element(Locator::Css("form.advance-to .refusal"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(refusal.contains("时钟只能向前拨"), "{refusal}");
    assert_eq!(t.app.today().to_string(), "2026-01-31");
    b.close().await.unwrap();
}

/// Signs out from the header and in again as `user`.
async fn switch_to(b: &fantoccini::Client, t: &TestApp, user: &str) {
    b.find(Locator::Css("form[action='/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait()
        .for_element(Locator::Css("input[name=username]"))
        .await
        .unwrap();
    sign_in(b, t, user).await;
}

#[tokio::test]
async fn training_mode_a_freeze_is_renewed_from_the_case_page_then_expires() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn_simulated(training_start()).await;
    let s = zhixing_testkit::sim::sim(&t, 24, 0.0).await;
    let admin = t.signed_in("trainer", "spc", Role::Administrator).await;
    zhixing_testkit::sim::register_all(&t, &s, &admin).await;
    let officer = t
        .signed_in("training-officer", "b110105", Role::Officer)
        .await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &serde_json::json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2025)京0105民初52号",
                          "effective_date": "2025-11-01", "performance_deadline": "2025-11-15"},
                "amounts": {"principal": 50_000}
            }),
        )
        .await;
    let case = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = t
        .post_json(
            &format!("/api/v1/cases/{case}/investigations"),
            Some(&officer),
            &serde_json::json!({}),
        )
        .await;
    let inv = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    zhixing_testkit::sim::wait_until_answered(&t, &officer, case, inv, Duration::from_secs(60))
        .await;
    let assets = t
        .get_value(&format!("/api/v1/cases/{case}/assets"), Some(&officer))
        .await;
    let deposit = assets
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["kind"] == "bank_deposit"
                && a["encumbrances"] == "[]"
                && a["value_fen"].as_i64().unwrap_or(0) > 10_000
        })
        .unwrap_or_else(|| panic!("a free deposit: {assets}"))
        .clone();
    let r = t
        .post_json(
            &format!("/api/v1/assets/{}/measures", deposit["id"]),
            Some(&officer),
            &serde_json::json!({"kind": "freeze", "amount_fen": 1_000, "until": "2026-02-14"}),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    // The bank answers; the freeze is in effect.
    let row = format!("tr[data-measure='{id}']");
    let status_of = |b: fantoccini::Client, path: String, row: String| async move {
        b.goto(&path).await.unwrap();
        b.wait()
            .for_element(Locator::Css(&row))
            .await
            .unwrap()
            .attr("data-status")
            .await
            .unwrap()
            .unwrap_or_default()
    };
    let case_page = t.url(&format!("/cases/{case}"));

    // Twenty days before its last day: the advance raises the alert on the case page.
    sign_in(&b, &t, "trainer").await;
    advance_on_page(&b, &t, "2026-01-25T09:00").await;
    switch_to(&b, &t, "training-officer").await;
    assert_eq!(
        status_of(b.clone(), case_page.clone(), row.clone()).await,
        "active"
    );
    let alert = b
        .find(Locator::Css("#alerts li[data-kind='measure_expiring']"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(alert.contains("2026-02-14"), "{alert}");
    let left = b
        .find(Locator::Css(&format!("{row} td.countdown")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(left.contains("20"), "{left}");
    // The officer renews from the row; the bank confirms one more legal period.
    b.find(Locator::Css(&format!("{row} form.renew button")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let mut until = String::new();
    for _ in 0..100 {
        b.goto(&case_page).await.unwrap();
        until = b
            .wait()
            .for_element(Locator::Css(&format!("{row} td:nth-child(5)")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if until != "2026-02-14" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(until.as_str() > "2026-02-14", "renewed: {until}");
    assert!(
        b.find(Locator::Css("#alerts li[data-kind='measure_expiring']"))
            .await
            .is_err(),
        "the renewal clears the alert"
    );

    // Its new last day passes without another renewal: the freeze is lost, and said so.
    let after: jiff::civil::Date = until.parse().unwrap();
    let after = after.tomorrow().unwrap();
    switch_to(&b, &t, "trainer").await;
    advance_on_page(&b, &t, &format!("{after}T09:00")).await;
    switch_to(&b, &t, "training-officer").await;
    assert_eq!(
        status_of(b.clone(), case_page.clone(), row.clone()).await,
        "expired"
    );
    let status = b
        .find(Locator::Css(&format!("{row} td.status")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.contains("已失效（未续行）"), "{status}");
    assert!(
        b.find(Locator::Css("#alerts li[data-kind='measure_expired']"))
            .await
            .is_ok()
    );
    assert!(
        b.find(Locator::Id("training-banner"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains(&after.to_string())
    );
    b.close().await.unwrap();
}

/// Types `text` into the element at `css`.
async fn type_into(b: &fantoccini::Client, css: &str, text: &str) {
    b.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// Clicks the element at `css`.
async fn click_on(b: &fantoccini::Client, css: &str) {
    b.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Opens the party page with a case number and code.
async fn party_page(b: &fantoccini::Client, t: &TestApp, number: &str, code: &str) {
    b.goto(&t.url("/public/case")).await.unwrap();
    type_into(b, "#case_number", number).await;
    type_into(b, "#code", code).await;
    click_on(b, "#access-submit").await;
    b.wait()
        .for_element(Locator::Id("submissions"))
        .await
        .unwrap();
}

/// Reads the receipt page: (receipt number, status).
async fn receipt_shown(b: &fantoccini::Client) -> (String, String) {
    let receipt = b
        .wait()
        .for_element(Locator::Id("receipt"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let status = b
        .find(Locator::Id("submission-status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (receipt, status)
}

#[tokio::test]
async fn a_party_submits_a_clue_and_a_complaint_from_the_public_page_and_follows_both_by_receipt() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    t.user("browser-clue", "b110105", &[Role::Officer]).await;
    let officer = t.login("browser-clue").await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &serde_json::json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初77号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 1_000_000}
            }),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let v: serde_json::Value = r.json().await.unwrap();
    let id = v["id"].as_i64().unwrap();
    let number = v["number"].as_str().unwrap().to_owned();
    let code = v["access_codes"][0]["code"].as_str().unwrap().to_owned();

    // The applicant gives a clue from their page: a receipt, the clue to be verified.
    party_page(&b, &t, &number, &code).await;
    type_into(&b, "#clue-description", "被执行人在朝阳区有一辆白色轿车").await;
    click_on(&b, "#clue-submit").await;
    let (clue_receipt, status) = receipt_shown(&b).await;
    assert_eq!(status, "待核查");
    let due = b
        .find(Locator::Id("submission-due"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(due.len(), 10, "a date: {due}");

    // Back to the case, then a complaint.
    click_on(&b, "#submission form button").await;
    b.wait()
        .for_element(Locator::Id("submissions"))
        .await
        .unwrap();
    type_into(&b, "#complaint-summary", "执行进度缓慢，三个月无任何进展").await;
    click_on(&b, "#complaint-submit").await;
    let (complaint_receipt, status) = receipt_shown(&b).await;
    assert_eq!(status, "办理中");
    assert_ne!(clue_receipt, complaint_receipt);

    // The court verifies the clue and answers the complaint.
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/clues/1/verification"),
            Some(&officer),
            &serde_json::json!({"result": "已查封该车辆"}),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    let list: serde_json::Value = t
        .get_value(&format!("/api/v1/cases/{id}/complaints"), Some(&officer))
        .await;
    let cid = list[0]["id"].as_i64().unwrap();
    let r = t
        .post_json(
            &format!("/api/v1/complaints/{cid}/resolution"),
            Some(&officer),
            &serde_json::json!({"result": "已督促承办人加快办理"}),
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::OK);

    // The party follows both from the public index, by receipt.
    for (receipt, status, answer) in [
        (&clue_receipt, "已核查", "已查封该车辆"),
        (&complaint_receipt, "已办结", "已督促承办人加快办理"),
    ] {
        b.goto(&t.url("/public")).await.unwrap();
        click_on(&b, "#receipt-link").await;
        type_into(&b, "#receipt_no", receipt).await;
        type_into(&b, "#receipt_case_number", &number).await;
        type_into(&b, "#receipt_code", &code).await;
        click_on(&b, "#receipt-submit").await;
        let (shown, now) = receipt_shown(&b).await;
        assert_eq!(&shown, receipt);
        assert_eq!(now, status);
        let said = b
            .find(Locator::Id("submission-answer"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(said, answer);
    }

    // And on their case page, both listed with their receipts.
    party_page(&b, &t, &number, &code).await;
    let listed = b
        .find(Locator::Id("submission-list"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        listed.contains(&clue_receipt) && listed.contains(&complaint_receipt),
        "{listed}"
    );
}

/// Clicks the element `css` once it is there.
async fn click(b: &fantoccini::Client, css: &str) {
    b.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Types `value` into the field `name` of the form `form`.
async fn type_in(b: &fantoccini::Client, form: &str, name: &str, value: &str) {
    let el = b
        .find(Locator::Css(&format!("{form} [name={name}]")))
        .await
        .unwrap_or_else(|e| panic!("{form} [name={name}]: {e}"));
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

/// Waits, without reloading, until `css` is on the page.
async fn appears(b: &fantoccini::Client, css: &str, what: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while b.find(Locator::Css(css)).await.is_err() {
        assert!(std::time::Instant::now() < deadline, "{what}: no {css}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A working day in court, role by role, through the pages only: every step a user takes is
/// a click or a keystroke in the browser. (The institutions' network is the world the day runs
/// in: it is registered beforehand, as a deployment has it.)
#[tokio::test]
async fn a_day_in_court_each_role_through_the_pages() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn_with(zhixing_server::Config {
        outbox_poll: Duration::from_millis(50),
        watch_worker: false,
        ..zhixing_testkit::test_config()
    })
    .await;
    let sim =
        zhixing_testkit::sim::sim_with_latency(&t, 12, 0.0, Duration::from_millis(1500)).await;
    let admin_token = t.signed_in("net-admin", "spc", Role::Administrator).await;
    zhixing_testkit::sim::register_all(&t, &sim, &admin_token).await;
    t.user("officer-wang", "b110105", &[Role::Officer]).await;
    t.user("head-li", "b110105", &[Role::DivisionHead]).await;
    t.user("head-wu", "b110105", &[Role::DivisionHead]).await;
    t.user("sup-zhao", "i1103", &[Role::Supervisor]).await;
    t.user("admin-chen", "b110105", &[Role::Administrator])
        .await;
    t.user("auditor-sun", "b110105", &[Role::Auditor]).await;

    // The officer files a case with two applicants and two respondents.
    sign_in(&b, &t, "officer-wang").await;
    b.goto(&t.url("/cases/new")).await.unwrap();
    type_in(&b, "#filing", "applicant_name", "张三").await;
    type_in(&b, "#filing", "applicant_id", "11010519491231002X").await;
    type_in(&b, "#filing", "respondent_name", "李四").await;
    type_in(&b, "#filing", "respondent_id", "110101198001010010").await;
    click(&b, "#add-applicant").await;
    appears(&b, "[name=applicant_name_2]", "a second applicant row").await;
    type_in(&b, "#filing", "applicant_name_2", "赵六").await;
    type_in(&b, "#filing", "applicant_id_2", "110101199001010015").await;
    click(&b, "#add-respondent").await;
    appears(&b, "[name=respondent_name_2]", "a second respondent row").await;
    type_in(&b, "#filing", "respondent_name_2", "钱七").await;
    type_in(&b, "#filing", "respondent_id_2", "110101198001010029").await;
    type_in(&b, "#filing", "issuing_body", "北京市朝阳区人民法院").await;
    type_in(&b, "#filing", "document_number", "(2026)京0105民初88号").await;
    b.execute("document.querySelector('[name=effective_date]').value = '2026-05-01'; document.querySelector('[name=performance_deadline]').value = '2026-05-15';", vec![]).await.unwrap();
    type_in(&b, "#filing", "principal", "50,000").await;
    click(&b, "#file-case").await;
    appears(&b, "#access-codes", "the acceptance page").await;
    let codes = b
        .find_all(Locator::Css("#access-codes td.code"))
        .await
        .unwrap();
    assert_eq!(codes.len(), 4, "a code for each of the four parties");
    let case_link = b
        .find(Locator::Id("to-case"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let id: i64 = case_link
        .trim_start_matches("/cases/")
        .split(['#', '?'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    b.goto(&t.url(&format!("/cases/{id}"))).await.unwrap();

    // … assigns the case to herself, …
    click(&b, "#assign-form button[type=submit]").await;
    appears(&b, "#handling", "the case page again").await;
    let head = b
        .find(Locator::Id("case-head"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(head.contains("承办人"), "{head}");
    // … runs an online investigation and watches the answers arrive without reloading, …
    click(&b, "#start-investigation").await;
    appears(
        &b,
        "p.investigation-progress",
        "the progress of the investigation",
    )
    .await;
    const DEPOSIT: &str = "#assets tr[data-free=yes][data-kind=bank_deposit], #assets tr[data-free=yes][data-kind=internet_bank], #assets tr[data-free=yes][data-kind=online_payment]";
    appears(&b, DEPOSIT, "a deposit found, live").await;
    // … deducts from a deposit, and sees the money arrive in the case account, …
    let row = b.find(Locator::Css(DEPOSIT)).await.unwrap();
    row.find(Locator::Css("select[name=kind] option[value=deduct]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let amount = row.find(Locator::Css("input[name=amount]")).await.unwrap();
    amount.send_keys("100").await.unwrap();
    row.find(Locator::Css("form.measure button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        // The live section is replaced while it is read: a stale element is read again.
        let balance = match b.find(Locator::Id("balance")).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if balance == "¥100.00" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the deduction never arrived: {balance}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    // … and proposes paying it out to the first applicant.
    type_in(&b, "#payout-form", "amount", "100").await;
    type_in(&b, "#payout-form", "note", "扣划款发放").await;
    click(&b, "#payout-form button[type=submit]").await;
    appears(&b, "#payouts", "the proposed payout").await;

    // The division head approves it from the queue on the home page.
    switch_to(&b, &t, "head-li").await;
    click(&b, "#pending-payouts a").await;
    click(&b, "form.payout-decision button[data-approve]").await;
    appears(
        &b,
        "form.payout-paid",
        "the approved payout, to be transferred",
    )
    .await;
    let payouts = b
        .find(Locator::Id("payouts"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(payouts.contains("¥100.00"), "{payouts}");

    // Weeks pass with the notice never issued: the watch raises the case's alerts. The
    // supervisor above follows an alert count on the home page down to the case and issues a
    // 督办 about it.
    t.clock.advance(Duration::from_secs(40 * 86400));
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    b.delete_all_cookies().await.unwrap();
    sign_in(&b, &t, "sup-zhao").await;
    click(&b, "#queue-alerts li[data-kind=node_overdue] a").await;
    let row = format!("a[href='/cases/{id}']");
    appears(&b, &row, "the case among the overdue alerts").await;
    click(&b, &row).await;
    appears(&b, "#supervision-issue", "the 督办 form").await;
    type_in(&b, "#supervision-issue", "title", "执行通知长期未发出").await;
    type_in(
        &b,
        "#supervision-issue",
        "instructions",
        "请立即发出执行通知书并报告原因",
    )
    .await;
    let due = t
        .app
        .today()
        .checked_add(jiff::Span::new().days(7))
        .unwrap();
    b.execute(
        &format!("document.querySelector('#supervision-issue [name=deadline]').value = '{due}';"),
        vec![],
    )
    .await
    .unwrap();
    click(&b, "#supervision-issue button[type=submit]").await;
    appears(
        &b,
        "form.supervision-close, tr[data-supervision]",
        "the order on the case",
    )
    .await;

    // The officer finds it waiting on her home page and replies from the case.
    b.delete_all_cookies().await.unwrap();
    sign_in(&b, &t, "officer-wang").await;
    click(&b, "#queue-supervisions-received a[href$='#command']").await;
    appears(&b, "form.supervision-reply", "the reply form").await;
    type_in(&b, "form.supervision-reply", "text", "已发出执行通知书").await;
    click(&b, "form.supervision-reply button[type=submit]").await;
    appears(&b, "tr[data-supervision]", "the order again").await;
    assert!(
        b.find(Locator::Css("form.supervision-reply"))
            .await
            .is_err(),
        "answered"
    );

    // The money leaves the account, and the officer does what 终本 asks, each step a form of
    // the case page: the notice, the investigations, the search, the interview, the credit
    // decision, a restriction order on each respondent.
    type_in(&b, "form.payout-paid", "transfer_reference", "ZZ20260001").await;
    click(&b, "form.payout-paid button[data-paid]").await;
    appears(&b, "#account", "the case page after the transfer").await;
    let balance = b
        .find(Locator::Id("balance"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(balance, "¥0.00", "paid out");
    for (action, note) in [
        ("notice_issued", ""),
        ("online_investigation", ""),
        ("traditional_investigation", ""),
        ("no_enforceable_property", ""),
        ("debtor_search", ""),
        ("interview", "申请执行人同意终结本次执行程序"),
        (
            "dishonest_not_applicable",
            "被执行人已如实报告财产，不符合纳入条件",
        ),
    ] {
        appears(&b, "#act form", "the action form").await;
        click(
            &b,
            &format!("#act select[name=action] option[value={action}]"),
        )
        .await;
        type_in(&b, "#act form", "note", note).await;
        if action == "notice_issued" {
            type_in(&b, "#act form", "perform_days", "0").await;
            type_in(&b, "#act form", "report_days", "5").await;
        }
        click(&b, "#act form button[type=submit]").await;
        // Back on the case page; a step the system had already recorded (the online
        // investigation) is refused beside the form, and the checklist below says what is
        // missing.
        appears(&b, "#case-head", "the case page after the action").await;
    }
    for party in ["李四", "钱七"] {
        appears(&b, "#order-form", "the restriction-order form").await;
        let options = b
            .find_all(Locator::Css("#order-form select[name=party_no] option"))
            .await
            .unwrap();
        let mut picked = false;
        for o in options {
            if o.text().await.unwrap() == party {
                o.click().await.unwrap();
                picked = true;
            }
        }
        assert!(picked, "{party} offered");
        type_in(
            &b,
            "#order-form",
            "reason",
            "被执行人未履行生效法律文书确定的义务",
        )
        .await;
        click(&b, "#order-form button[type=submit]").await;
        appears(&b, "#case-head", "the case page after the order").await;
    }
    // Three months after filing the officer proposes 终本 from the closure page, every
    // condition ticked.
    t.clock.advance(Duration::from_secs(60 * 86400));
    b.delete_all_cookies().await.unwrap();
    sign_in(&b, &t, "officer-wang").await;
    b.goto(&t.url(&format!("/cases/{id}/closure?mode=zhongben")))
        .await
        .unwrap();
    let checklist = b
        .find(Locator::Id("checklist"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!checklist.contains('✘'), "every condition met: {checklist}");
    type_in(
        &b,
        "form#closure",
        "reason",
        "穷尽财产调查措施未发现可供执行的财产",
    )
    .await;
    click(&b, "form#closure button[type=submit]").await;
    appears(&b, "#case-status", "the case page after the proposal").await;
    let status = b
        .find(Locator::Id("case-status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(status, "报结待批");
    // A second division head approves it from the queue, the proposal in full before them.
    b.delete_all_cookies().await.unwrap();
    sign_in(&b, &t, "head-wu").await;
    click(&b, "#pending-closures a").await;
    appears(&b, "#proposal", "the proposal in full").await;
    let proposal = b
        .find(Locator::Id("proposal"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        proposal.contains("终结本次执行程序") && proposal.contains("穷尽财产调查措施"),
        "{proposal}"
    );
    click(&b, "#approval button[name=approve][value=true]").await;
    appears(&b, "#closure-mode", "the closed case").await;
    let status = b
        .find(Locator::Id("case-status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(status, "已结案");

    // The administrator creates an account, its holder signs in, the administrator disables
    // it and the open session stops at once.
    switch_to(&b, &t, "admin-chen").await;
    b.goto(&t.url("/users")).await.unwrap();
    type_in(&b, "form.create", "username", "clerk-zhou").await;
    type_in(&b, "form.create", "display_name", "周书记员").await;
    type_in(&b, "form.create", "password", zhixing_testkit::PASSWORD).await;
    click(&b, "form.create input[name=roles][value=officer]").await;
    click(&b, "form.create button[type=submit]").await;
    appears(&b, "tr[id^=user-] form.disable", "the new account").await;
    let clerk = t.page_login("clerk-zhou").await;
    assert_eq!(t.html("/home", &clerk).await.0, reqwest::StatusCode::OK);
    let clerk_id = t
        .app
        .store
        .user_by_username("clerk-zhou")
        .await
        .unwrap()
        .unwrap()
        .id;
    click(&b, &format!("#user-{clerk_id} form.disable button")).await;
    appears(
        &b,
        &format!("#user-{clerk_id} form.enable"),
        "the account disabled",
    )
    .await;
    let (status, page) = t.html("/home", &clerk).await;
    assert!(
        status != reqwest::StatusCode::OK || !page.contains("home-court"),
        "the disabled account's session ended: {status}"
    );

    // The auditor finds the payout's approval in the event search.
    switch_to(&b, &t, "auditor-sun").await;
    b.goto(&t.url("/audit")).await.unwrap();
    type_in(&b, "#audit-search", "kind", "funds.payout").await;
    type_in(&b, "#audit-search", "subject", &format!("case:{id}")).await;
    click(&b, "#audit-search button[type=submit]").await;
    appears(
        &b,
        "tr[data-kind='funds.payout_approved']",
        "the approval in the audit trail",
    )
    .await;
    let rows = b.find_all(Locator::Css("tr[data-seq]")).await.unwrap();
    for r in rows {
        let kind = r.attr("data-kind").await.unwrap().unwrap_or_default();
        assert!(
            kind.starts_with("funds.payout"),
            "only what was asked: {kind}"
        );
    }
    b.close().await.unwrap();
}

#[path = "support/pdf.rs"]
mod pdf;

#[tokio::test]
async fn an_officer_files_a_case_from_a_pdf_judgment_after_confirming_the_draft() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    t.user("browser-officer", "b110105", &[Role::Officer]).await;
    sign_in(&b, &t, "browser-officer").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("judgment.pdf");
    let judgment = include_str!("../../../data/filing-corpus/01-loan-individuals.txt");
    std::fs::write(&file, pdf::pdf_of(judgment)).unwrap();

    b.goto(&t.url("/cases/new")).await.unwrap();
    b.find(Locator::Id("basis-file"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    b.find(Locator::Id("read-basis"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The form comes back filled, the judgment beside it with each source marked.
    b.wait()
        .for_element(Locator::Id("draft-source"))
        .await
        .unwrap();
    let value = |name: &'static str| {
        let b = b.clone();
        async move {
            b.find(Locator::Css(&format!("form#filing [name={name}]")))
                .await
                .unwrap()
                .prop("value")
                .await
                .unwrap()
                .unwrap_or_default()
        }
    };
    assert_eq!(value("applicant_name").await, "张三");
    assert_eq!(value("respondent_name").await, "李四");
    assert_eq!(value("respondent_id").await, "110108197511200236");
    assert_eq!(value("principal").await, "100000.00");
    let marked = b
        .find(Locator::Css("#basis-document mark"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(marked, "北京市朝阳区人民法院");
    // The judgment does not say when it took effect: the officer confirms the draft and
    // gives the dates from its service, then files through the ordinary form.
    let today = t.app.today();
    let day = |n: i64| today.checked_sub(jiff::Span::new().days(n)).unwrap();
    b.execute(
        &format!(
            "document.querySelector('form#filing [name=effective_date]').value = '{}'; document.querySelector('form#filing [name=performance_deadline]').value = '{}';",
            day(20),
            day(10)
        ),
        vec![],
    )
    .await
    .unwrap();
    b.find(Locator::Css("form#filing button#file-case"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let codes = b
        .wait()
        .for_element(Locator::Id("access-codes"))
        .await
        .unwrap();
    assert_eq!(
        codes.find_all(Locator::Css("td.code")).await.unwrap().len(),
        2
    );
    let number = b
        .find(Locator::Id("case-number"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(number.contains("京0105执"), "{number}");
}
