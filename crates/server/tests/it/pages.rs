//! The pages over plain HTTP: login, a home page per role, language, the court tree, assets.

use reqwest::StatusCode;
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;

#[tokio::test]
async fn login_page_is_chinese_and_refuses_wrong_passwords() {
    let t = TestApp::spawn().await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let r = t.get("/login", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("lang=\"zh-CN\"") && body.contains("登录"),
        "{body}"
    );
    let (sign_in, token) = t.sign_in_form().await;
    let r = t
        .client
        .post(t.url("/login"))
        .header("cookie", &sign_in)
        .form(&[
            ("username", "officer1"),
            ("password", "nope-nope-nope"),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let again = r.text().await.unwrap();
    assert!(again.contains("用户名或密码错误"));
    assert_eq!(
        zhixing_testkit::form_token_in(&again).as_deref(),
        Some(token.as_str()),
        "the form shown again can be sent again"
    );
}

#[tokio::test]
async fn each_role_gets_its_home_page() {
    let t = TestApp::spawn().await;
    let cases = [
        (Role::Officer, "b110105", "panel-deadlines"),
        (Role::Judge, "b110105", "panel-deadlines"),
        (Role::DivisionHead, "b110105", "panel-supervision"),
        (Role::Supervisor, "h13", "panel-supervision"),
        (Role::Auditor, "h13", "panel-audit"),
        (Role::Administrator, "h13", "panel-accounts"),
        (Role::Administrator, "h13", "admin-queue"),
        (Role::President, "b110105", "panel-extensions"),
    ];
    for (i, (role, court, panel)) in cases.into_iter().enumerate() {
        let name = format!("u{i}-{}", role.as_str().replace('_', "-"));
        t.user(&name, court, &[role]).await;
        let cookie = t.page_login(&name).await;
        let (status, body) = t.html("/home", &cookie).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            body.contains(&format!("{name} 测试")),
            "{role:?} sees their name"
        );
        assert!(body.contains(role.name_zh()), "{role:?} sees their role");
        assert!(
            body.contains(&format!("id=\"{panel}\"")),
            "{role:?} has {panel}"
        );
        if role == Role::Officer {
            assert!(
                body.contains("6 个月"),
                "the officer sees the 6-month limit from the rule book"
            );
            assert!(!body.contains("panel-audit") && !body.contains("panel-accounts"));
        }
    }
}

#[tokio::test]
async fn english_on_request_tree_and_sign_out() {
    let t = TestApp::spawn().await;
    t.user("sup13", "h13", &[Role::Supervisor]).await;
    let cookie = t.page_login("sup13").await;
    let r = t
        .client
        .get(t.url("/lang/en"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let lang = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let both = format!("{cookie}; {lang}");
    let (_, body) = t.html("/home", &both).await;
    assert!(
        body.contains("lang=\"en\"") && body.contains("Welcome"),
        "{body}"
    );

    let (status, tree) = t.html("/courts", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(tree.contains("河北省高级人民法院") && tree.contains("河北省石家庄市中级人民法院"));
    assert!(
        tree.contains("hx-get=\"/courts/i1301/children\""),
        "children load lazily"
    );
    let (status, frag) = t.html("/courts/i1301/children", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        frag.contains("石家庄市长安区人民法院") && !frag.contains("<html"),
        "{frag}"
    );

    let (status, location, _) = t.form("/logout", &cookie, &[]).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/login")
    );
    let r = t
        .client
        .get(t.url("/home"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "the old cookie no longer works"
    );
}

#[tokio::test]
async fn static_assets_are_served_by_the_binary() {
    let t = TestApp::spawn().await;
    let css = t.get("/static/app.css", None).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let js = t.get("/static/vendor/htmx.min.js", None).await;
    assert_eq!(js.status(), StatusCode::OK);
    assert!(js.text().await.unwrap().contains("htmx"));
    let (_, login) = (
        StatusCode::OK,
        t.get("/login", None).await.text().await.unwrap(),
    );
    assert!(
        !login.contains("http://") && !login.contains("https://"),
        "no external assets"
    );
}

#[tokio::test]
async fn page_errors_are_pages() {
    let t = TestApp::spawn().await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let cookie = t.page_login("officer1").await;
    let r = t
        .client
        .get(t.url("/users"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let body = r.text().await.unwrap();
    assert!(
        body.contains("只有系统管理员可以查看账号") && body.contains("forbidden"),
        "{body}"
    );
    let r = t
        .client
        .get(t.url("/courts/h13/children"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "another court's subtree is not found"
    );
}

/// A case filed through the API by `officer1`, with its session cookie for the pages.
async fn case_with_cookie(t: &TestApp, doc: &str) -> (String, String, i64) {
    let token = t.signed_in("officer1", "b110105", Role::Officer).await;
    let cookie = t.page_login("officer1").await;
    let (id, _) = super::cases::file(
        t,
        &token,
        &super::cases::filing(doc, super::cases::RESPONDENT_ID),
    )
    .await;
    (token, cookie, id)
}

#[tokio::test]
async fn the_filing_form_shows_each_problem_in_chinese_from_the_catalogue() {
    let t = TestApp::spawn().await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let cookie = t.page_login("officer1").await;
    let long_address = "某".repeat(201);
    let mut form = vec![
        ("respondent_address", long_address.as_str()),
        ("case_type", "执"),
        ("applicant_kind", "person"),
        ("applicant_name", "张三"),
        ("applicant_id", "11010519491231002X"),
        ("respondent_kind", "person"),
        ("respondent_name", "李四"),
        ("respondent_id", "110101198001010011"),
        ("basis_kind", "judgment"),
        ("issuing_body", "北京市朝阳区人民法院"),
        ("document_number", "(2026)京0105民初41号"),
        ("effective_date", "2099-01-01"),
        ("performance_deadline", "2099-01-15"),
        ("principal", "1000"),
    ];
    let (status, _, body) = t.form("/cases/new", &cookie, &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = &body[body.find("filing-errors").unwrap()..];
    assert!(
        errors.contains("第 2 个当事人（李四）：公民身份号码的校验码不正确，请核对。")
            && errors.contains("第 2 个当事人（李四）：住所最多 200 个字。")
            && errors.contains("执行依据于 2099-01-01 生效，尚未生效。"),
        "{errors}"
    );
    assert!(
        body.contains("value=\"李四\""),
        "the form keeps what was typed"
    );
    // An amount that is not one is refused before the filing, in the same words.
    form.retain(|(k, _)| *k != "principal");
    form.push(("principal", "一千"));
    let (status, _, body) = t.form("/cases/new", &cookie, &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("本金：请填写金额（元），最多两位小数。"),
        "{body}"
    );
    // The limitation period comes from the rule book, as a figure.
    form.retain(|(k, _)| {
        ![
            "principal",
            "respondent_id",
            "effective_date",
            "performance_deadline",
        ]
        .contains(k)
    });
    form.retain(|(k, _)| *k != "respondent_address");
    form.extend([
        ("respondent_address", "北京市朝阳区建国路88号"),
        ("principal", "1000"),
        ("respondent_id", "110101198001010010"),
        ("effective_date", "2020-01-01"),
        ("performance_deadline", "2020-01-15"),
    ]);
    let (value, _, _) = super::cases::rule(
        &t,
        "case.application_limitation",
        "2020-01-15".parse().unwrap(),
    )
    .await;
    let (status, _, body) = t.form("/cases/new", &cookie, &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains(&format!("申请执行期间（{value}年）已于")),
        "{body}"
    );
    assert_eq!(t.app.store.count_cases().await.unwrap(), 0);
}

#[tokio::test]
async fn a_form_and_the_api_run_the_same_command() {
    let t = TestApp::spawn().await;
    let (token, cookie, id) = case_with_cookie(&t, "(2026)京0105民初42号").await;
    let version = |c: &serde_json::Value| c["version"].as_i64().unwrap();
    let before = super::cases::case(&t, &token, id).await;
    // Periods not typed as whole numbers: refused in Chinese beside the form, nothing
    // recorded.
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/act"),
            &cookie,
            &[
                ("action", "notice_issued"),
                ("perform_days", "七"),
                ("report_days", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let act = &body[body.find("id=\"act\"").unwrap()..];
    assert!(act.contains("履行期限须为 0 至 365 日的整数天数"), "{act}");
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/act"),
            &cookie,
            &[("action", "notice_issued"), ("perform_days", "7")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let act = &body[body.find("id=\"act\"").unwrap()..];
    assert!(
        act.contains("报告财产期限须为 1 至 365 日的整数天数"),
        "{act}"
    );
    assert_eq!(
        version(&super::cases::case(&t, &token, id).await),
        version(&before)
    );
    // Through the page: the notice is recorded with its periods, back to the form's section.
    let v = version(&before).to_string();
    let (status, location, _) = t
        .form(
            &format!("/cases/{id}/act"),
            &cookie,
            &[
                ("action", "notice_issued"),
                ("perform_days", "0"),
                ("report_days", "5"),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/cases/{id}#act"));
    let after = super::cases::case(&t, &token, id).await;
    assert_eq!(version(&after), version(&before) + 1);
    assert_eq!(after["case"]["actions"][0]["action"], "notice_issued");
    assert_eq!(
        after["case"]["actions"][0]["terms"],
        serde_json::json!({"perform_days": 0, "report_days": 5})
    );
    // Again: the API and the page refuse it alike, each in its language.
    let p = zhixing_testkit::assert_problem(
        super::cases::post(
            &t,
            &token,
            &format!("/api/v1/cases/{id}/actions"),
            serde_json::json!({"action": "notice_issued", "perform_days": 7, "report_days": 10}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "already_done",
    )
    .await;
    assert_eq!(p["detail"], "the enforcement notice was already issued");
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/act"),
            &cookie,
            &[("action", "notice_issued")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let act = &body[body.find("id=\"act\"").unwrap()..];
    assert!(act.contains("执行通知书已经发出。"), "{act}");
    let (status, _, body) = t
        .form(&format!("/cases/{id}/act"), &cookie, &[("action", "dance")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("未知的办理事项：dance。"), "{body}");
    // A decision with none pending: a state that does not allow it, 409 beside the form.
    let head = t.user("head1", "b110105", &[Role::DivisionHead]).await;
    assert!(head > 0);
    let head_cookie = t.page_login("head1").await;
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/decision"),
            &head_cookie,
            &[("approve", "true")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("没有等待审批的结案申请。"), "{body}");
    assert_eq!(
        version(&super::cases::case(&t, &token, id).await),
        version(&after),
        "refusals change nothing"
    );
}

#[tokio::test]
async fn the_closure_page_shows_its_refusal_and_the_rule_book_figure() {
    let t = TestApp::spawn().await;
    let (token, cookie, id) = case_with_cookie(&t, "(2026)京0105民初43号").await;
    let (value, _, _) =
        super::cases::rule(&t, "case.zhongben.min_since_filing", t.app.today()).await;
    let period = format!("（四）自立案之日起已超过{value}个月");
    let (status, page) = t
        .html(&format!("/cases/{id}/closure?mode=zhongben"), &cookie)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("data-code=\"three_months\">✘ {period}")),
        "{page}"
    );
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/closure"),
            &cookie,
            &[
                ("mode", "zhongben"),
                ("reason", "穷尽财产调查措施未发现财产"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = &body[body.find("closure-refused").unwrap()..];
    assert!(refused.contains(&period), "{refused}");
    assert!(
        body.contains("form id=\"closure\""),
        "the closure page again"
    );
    // Withdrawn through the same form: closed, back to the case page.
    let (status, location, _) = t
        .form(
            &format!("/cases/{id}/closure"),
            &cookie,
            &[("mode", "withdrawn"), ("reason", "申请执行人撤回申请")],
        )
        .await;
    assert_eq!(
        (status, location),
        (StatusCode::SEE_OTHER, format!("/cases/{id}"))
    );
    let c = super::cases::case(&t, &token, id).await;
    assert_eq!(c["status"], "closed");
}

/// The extension through the case page's forms: the officer asks, the president sees the
/// request with approve and refuse, the refusal of a decision without its reason is shown
/// beside the form in Chinese, and a grant moves the time to conclude.
#[tokio::test]
async fn an_extension_is_asked_and_decided_on_the_case_page() {
    let t = TestApp::spawn().await;
    let (token, cookie, id) = case_with_cookie(&t, "(2026)京0105民初45号").await;
    let (status, page) = t.html(&format!("/cases/{id}"), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"extension-request-form\""), "{page}");
    assert!(!page.contains("id=\"extension-decision\""));
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/extension"),
            &cookie,
            &[("months", "20"), ("reason", "财产尚待拍卖")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("延长期限为 1 至 12 个月"), "{body}");
    let (status, location, _) = t
        .form(
            &format!("/cases/{id}/extension"),
            &cookie,
            &[("months", "2"), ("reason", "财产尚待拍卖")],
        )
        .await;
    assert_eq!(
        (status, location),
        (StatusCode::SEE_OTHER, format!("/cases/{id}#extension"))
    );
    t.user("president1", "b110105", &[Role::President]).await;
    let president = t.page_login("president1").await;
    let (_, home) = t.html("/home", &president).await;
    let number = super::cases::case(&t, &token, id).await["number"]
        .as_str()
        .unwrap()
        .to_owned();
    let queue = &home[home.find("panel-extensions").unwrap()..];
    assert!(
        queue.contains(&number) && queue.contains(&format!("/cases/{id}#extension")),
        "{home}"
    );
    let (status, page) = t.html(&format!("/cases/{id}"), &president).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("id=\"extension-request\"") && page.contains("id=\"extension-decision\""),
        "{page}"
    );
    let (status, _, body) = t
        .form(
            &format!("/cases/{id}/extension/decision"),
            &president,
            &[("approve", "false"), ("note", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("请写明不予批准的理由"), "{body}");
    let (status, _, _) = t
        .form(
            &format!("/cases/{id}/extension/decision"),
            &president,
            &[("approve", "true"), ("note", "同意延长")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let c = super::cases::case(&t, &token, id).await;
    assert_eq!(c["case"]["extension_months"], 2);
    let (_, home) = t.html("/home", &president).await;
    assert!(home.contains("暂无待审批的申请"), "decided: {home}");
}

/// The rule book page for administrators: a version proposed through the form waits for
/// another administrator, who approves it through the same page; the proposer sees no
/// approve button for their own proposal, and a self-approval posted anyway is refused in
/// Chinese.
#[tokio::test]
async fn a_rule_version_is_proposed_and_approved_on_the_rule_book_page() {
    let t = TestApp::spawn().await;
    t.user("admin-a", "spc", &[Role::Administrator]).await;
    t.user("admin-b", "spc", &[Role::Administrator]).await;
    let a = t.page_login("admin-a").await;
    let b = t.page_login("admin-b").await;
    let (status, page) = t.html("/rules", &a).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"propose-rule\"") && page.contains("id=\"propose-calendar\""));
    let (status, location, _) = t
        .form(
            "/rules/proposals",
            &a,
            &[
                ("id", "case.conclude"),
                ("value", "5"),
                ("effective_from", "2031-01-01"),
                ("region", ""),
                ("citation", "《某修正》第一条"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/rules#rule-proposals")
    );
    let (_, page) = t.html("/rules", &a).await;
    assert!(
        page.contains("本人提出，须由另一名系统管理员审批"),
        "{page}"
    );
    assert!(!page.contains("class=\"decide\""), "{page}");
    let id = t
        .raw_text("SELECT CAST(MAX(id) AS TEXT) FROM rule_proposals")
        .await;
    let (status, _, body) = t
        .form(
            &format!("/rules/proposals/{id}/decision"),
            &a,
            &[("approve", "true"), ("note", "")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        body.contains("规则版本须由提议人以外的系统管理员审批"),
        "{body}"
    );
    let (_, home) = t.html("/home", &b).await;
    assert!(home.contains("id=\"proposals-to-decide\""), "{home}");
    let (_, page) = t.html("/rules", &b).await;
    assert!(page.contains("class=\"decide\""), "{page}");
    let (status, _, _) = t
        .form(
            &format!("/rules/proposals/{id}/decision"),
            &b,
            &[("approve", "true"), ("note", "核对无误")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let book = t.app.rules.current(&t.app.store).await.unwrap();
    assert_eq!(
        book.value("case.conclude", jiff::civil::date(2031, 6, 1), "")
            .unwrap()
            .0,
        5
    );
}

/// The division head approves from the case page with the proposal in full before them: the
/// mode, the reason, who proposed it and when, and the conditions as they stood then.
#[tokio::test]
async fn the_head_sees_the_proposed_closure_in_full_beside_approve_and_return() {
    let t = TestApp::spawn().await;
    let (token, cookie, id) = case_with_cookie(&t, "(2026)京0105民初47号").await;
    let reason = "被执行人死亡，无遗产可供执行";
    let (status, _, _) = t
        .form(
            &format!("/cases/{id}/closure"),
            &cookie,
            &[("mode", "terminated"), ("reason", reason)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        super::cases::case(&t, &token, id).await["status"],
        "pending_closure"
    );
    // The officer who proposed it sees no approval form and no proposal panel.
    let (_, page) = t.html(&format!("/cases/{id}"), &cookie).await;
    assert!(!page.contains("id=\"proposal\""));
    t.user("head1", "b110105", &[Role::DivisionHead]).await;
    let head = t.page_login("head1").await;
    let (status, page) = t.html(&format!("/cases/{id}"), &head).await;
    assert_eq!(status, StatusCode::OK);
    let panel = &page[page.find("id=\"proposal\"").expect("the proposal panel")..];
    let panel = &panel[..panel
        .find("id=\"approval\"")
        .expect("approve/return after it")];
    assert!(panel.contains("终结执行"), "{panel}");
    assert!(panel.contains(reason), "{panel}");
    let officer_name = t
        .app
        .store
        .user_by_username("officer1")
        .await
        .unwrap()
        .unwrap()
        .display_name;
    assert!(
        panel.contains(&officer_name),
        "the proposer by name: {panel}"
    );
    assert!(panel.contains(&t.app.today().to_string()), "{panel}");
    assert!(
        panel.contains("id=\"proposal-checklist\"") && panel.contains("✔ "),
        "the conditions as checked: {panel}"
    );
    assert!(
        !panel.contains("✘ "),
        "a proposal met every condition: {panel}"
    );
    // Approving from there closes the case.
    let (status, _, _) = t
        .form(
            &format!("/cases/{id}/decision"),
            &head,
            &[("approve", "true"), ("note", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(super::cases::case(&t, &token, id).await["status"], "closed");
}

/// Two applicants and two respondents through the filing form: a row is added without filing
/// (what was typed comes back), a blank extra row is left out, and the case holds all four.
#[tokio::test]
async fn the_filing_form_takes_several_applicants_and_respondents() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("officer1", "b110105", Role::Officer).await;
    let cookie = t.page_login("officer1").await;
    let mut form = vec![
        ("case_type", "执"),
        ("applicant_kind", "person"),
        ("applicant_name", "张三"),
        ("applicant_id", "11010519491231002X"),
        ("respondent_kind", "person"),
        ("respondent_name", "李四"),
        ("respondent_id", "110101198001010010"),
        ("basis_kind", "judgment"),
        ("issuing_body", "北京市朝阳区人民法院"),
        ("document_number", "(2026)京0105民初48号"),
        ("effective_date", "2026-05-01"),
        ("performance_deadline", "2026-05-15"),
        ("principal", "12,000.50"),
    ];
    // Asking for a second respondent row files nothing and keeps what was typed.
    let mut asking = form.clone();
    asking.push(("add", "respondent"));
    let (status, _, body) = t.form("/cases/new", &cookie, &asking).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("name=\"respondent_name_2\""), "{body}");
    assert!(!body.contains("name=\"applicant_name_2\""));
    assert!(body.contains("value=\"李四\"") && body.contains("value=\"12,000.50\""));
    let listed = t.get_value("/api/v1/cases", Some(&token)).await;
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(0),
        "{listed}"
    );

    form.extend([
        ("applicants", "3"),
        ("applicant_kind_2", "organisation"),
        ("applicant_name_2", "北京某某科技有限公司"),
        ("applicant_id_2", "91350100M000100Y43"),
        ("applicant_rep_2", "赵六"),
        // A third applicant row left blank: not a party.
        ("applicant_kind_3", "person"),
        ("applicant_name_3", ""),
        ("applicant_id_3", ""),
        ("respondents", "2"),
        ("respondent_kind_2", "person"),
        ("respondent_name_2", "王五"),
        ("respondent_id_2", "110101199001010015"),
    ]);
    let (status, _, body) = t.form("/cases/new", &cookie, &form).await;
    if status != StatusCode::OK || !body.contains("立案成功") {
        panic!("{status}: {body}");
    }
    let listed = t.get_value("/api/v1/cases", Some(&token)).await;
    let id = listed["items"][0]["id"].as_i64().unwrap();
    let c = super::cases::case(&t, &token, id).await;
    let parties: Vec<(String, String)> = c["case"]["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["role"].as_str().unwrap().to_owned(),
                p["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        parties,
        [
            ("applicant".to_owned(), "张三".to_owned()),
            ("applicant".to_owned(), "北京某某科技有限公司".to_owned()),
            ("respondent".to_owned(), "李四".to_owned()),
            ("respondent".to_owned(), "王五".to_owned()),
        ]
    );
}
