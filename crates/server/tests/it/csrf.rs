//! Cross-site request forgery: a post another site makes a signed-in browser send, or a
//! sign-in it makes the browser perform, is refused with 403 and changes nothing; the
//! platform's own forms, carrying the session's token, work.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, form_token_in, set_cookie};

const EVIL: &str = "http://evil.example";

/// A server without the watch worker: its sweeps add system events, and these tests count
/// events to show that nothing happened.
async fn spawn() -> TestApp {
    TestApp::spawn_with(zhixing_server::Config {
        watch_worker: false,
        ..zhixing_testkit::test_config()
    })
    .await
}

/// A case filed through the API by `officer1`: (bearer token, page cookie, case id).
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

/// What a refused post must leave as it was: the case's version, its recorded actions and
/// the length of the event log.
async fn state(t: &TestApp, token: &str, id: i64) -> (i64, Value, String) {
    let c = super::cases::case(t, token, id).await;
    let events = t
        .raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM events")
        .await;
    (
        c["version"].as_i64().unwrap(),
        c["case"]["actions"].clone(),
        events,
    )
}

/// Posts `fields` to `path` with the session cookie and extra headers.
async fn post(
    t: &TestApp,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut r = t
        .client
        .post(t.url(path))
        .header("cookie", cookie)
        .form(fields);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.send().await.unwrap()
}

/// A refusal page: 403, HTML in Chinese from the catalogue, with its code.
async fn assert_refused(r: reqwest::Response, what: &str) {
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "{what}");
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{what}: a page"
    );
    assert!(
        set_cookie(&r, "zx_session").is_none(),
        "{what}: no session cookie"
    );
    let body = r.text().await.unwrap();
    assert!(
        body.contains("lang=\"zh-CN\"") && body.contains("未予办理，什么也没有改变"),
        "{what}: {body}"
    );
    assert!(body.contains("csrf_rejected"), "{what}: the code");
}

#[tokio::test]
async fn a_case_form_posted_from_another_site_is_refused_and_changes_nothing() {
    let t = spawn().await;
    let (token, cookie, id) = case_with_cookie(&t, "(2026)京0105民初501号").await;
    let form_token = t.form_token(&cookie).await;
    let path = format!("/cases/{id}/act");
    let act = [
        ("action", "notice_issued"),
        ("perform_days", "7"),
        ("report_days", "10"),
        ("csrf_token", &form_token),
    ];
    let before = state(&t, &token, id).await;

    // The session cookie and a valid token, but sent from another origin or site.
    let own = t.base.clone();
    for (what, headers) in [
        ("another origin", vec![("origin", EVIL)]),
        (
            "another origin, claiming same-origin",
            vec![("origin", EVIL), ("sec-fetch-site", "same-origin")],
        ),
        ("cross-site", vec![("sec-fetch-site", "cross-site")]),
        (
            "a sibling system under the same domain",
            vec![("sec-fetch-site", "same-site"), ("origin", own.as_str())],
        ),
        ("an opaque origin", vec![("origin", "null")]),
    ] {
        assert_refused(post(&t, &path, &cookie, &act, &headers).await, what).await;
        assert_eq!(
            state(&t, &token, id).await,
            before,
            "{what}: nothing changed"
        );
    }

    // From the platform's own page but without the token, with a made-up one, with two, or
    // with another session's: refused too.
    let other = {
        t.user("officer2", "b110105", &[Role::Officer]).await;
        let c = t.page_login("officer2").await;
        t.form_token(&c).await
    };
    let second_own_session = {
        let c = t.page_login("officer1").await;
        t.form_token(&c).await
    };
    assert_ne!(second_own_session, form_token, "a token per session");
    // Signing in is an event too.
    let before = state(&t, &token, id).await;
    let forged = "0".repeat(64);
    let same_origin = [("origin", own.as_str()), ("sec-fetch-site", "same-origin")];
    for (what, fields) in [
        ("no token", vec![("action", "notice_issued")]),
        (
            "another user's token",
            vec![("action", "notice_issued"), ("csrf_token", &other)],
        ),
        (
            "the token of another session of the same user",
            vec![
                ("action", "notice_issued"),
                ("csrf_token", &second_own_session),
            ],
        ),
        (
            "a made-up token",
            vec![("action", "notice_issued"), ("csrf_token", &forged)],
        ),
        (
            "two tokens",
            vec![
                ("action", "notice_issued"),
                ("csrf_token", &forged),
                ("csrf_token", &form_token),
            ],
        ),
    ] {
        assert_refused(post(&t, &path, &cookie, &fields, &same_origin).await, what).await;
        assert_eq!(
            state(&t, &token, id).await,
            before,
            "{what}: nothing changed"
        );
    }

    // The same post from the platform's own page: done.
    let r = post(&t, &path, &cookie, &act, &same_origin).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], format!("/cases/{id}#act"));
    let after = super::cases::case(&t, &token, id).await;
    assert_eq!(after["version"].as_i64().unwrap(), before.0 + 1);
    assert_eq!(after["case"]["actions"][0]["action"], "notice_issued");
}

#[tokio::test]
async fn the_token_travels_in_a_header_for_htmx_and_the_page_says_so() {
    let t = spawn().await;
    let (token, cookie, id) = case_with_cookie(&t, "(2026)京0105民初502号").await;
    let form_token = t.form_token(&cookie).await;
    let (_, page) = t.html(&format!("/cases/{id}"), &cookie).await;
    assert!(
        page.contains(&format!(
            "hx-headers=\"{{&quot;X-CSRF-Token&quot;:&quot;{form_token}&quot;}}\""
        )),
        "htmx requests carry the token"
    );
    let r = post(
        &t,
        &format!("/cases/{id}/act"),
        &cookie,
        &[
            ("action", "notice_issued"),
            ("perform_days", "7"),
            ("report_days", "10"),
        ],
        &[("x-csrf-token", &form_token)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let after = super::cases::case(&t, &token, id).await;
    assert_eq!(after["case"]["actions"][0]["action"], "notice_issued");
}

/// Every form that posts, on the pages that have them, begins with the session's token.
#[tokio::test]
async fn every_form_on_the_pages_carries_the_token() {
    let t = spawn().await;
    let (_token, cookie, id) = case_with_cookie(&t, "(2026)京0105民初503号").await;
    t.seized_asset(
        id,
        "b110105",
        "real_estate",
        "京(2026)朝阳区不动产权第0000503号",
        "朝阳区某小区 3 号楼 503",
        80_000_000,
    )
    .await;
    let form_token = t.form_token(&cookie).await;
    let hidden = format!("<input type=\"hidden\" name=\"csrf_token\" value=\"{form_token}\">");
    let form = regex::Regex::new(r#"<form[^>]*method="post"[^>]*>"#).unwrap();
    for path in [
        format!("/cases/{id}"),
        "/cases/new".to_owned(),
        format!("/cases/{id}/closure"),
        "/home".to_owned(),
    ] {
        let (status, page) = t.html(&path, &cookie).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let forms: Vec<_> = form.find_iter(&page).collect();
        assert!(!forms.is_empty(), "{path} has forms");
        for f in &forms {
            assert!(
                page[f.end()..].starts_with(&hidden),
                "{path}: {} begins with the token",
                f.as_str()
            );
        }
        if path.ends_with(&format!("/cases/{id}")) {
            assert!(forms.len() >= 8, "the case page's forms: {}", forms.len());
            assert!(
                page.contains("id=\"field-form\""),
                "the upload form is there"
            );
        }
    }
}

#[tokio::test]
async fn an_upload_needs_its_token_as_the_first_part() {
    let t = spawn().await;
    let (token, cookie, id) = case_with_cookie(&t, "(2026)京0105民初504号").await;
    let form_token = t.form_token(&cookie).await;
    let path = format!("/cases/{id}/field-investigations");
    let today = t.app.today().to_string();
    let fields = |form: Form| {
        form.text("method", "field_visit")
            .text("on", today.clone())
            .text("place", "被执行人住所")
            .text("findings", "现场无人")
            .part(
                "attachment",
                Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec())
                    .file_name("笔录.pdf")
                    .mime_str("application/pdf")
                    .unwrap(),
            )
    };
    let send = |form: Form, headers: Vec<(&'static str, String)>| {
        let (t, cookie, path) = (&t, &cookie, &path);
        async move {
            let mut r = t
                .client
                .post(t.url(path))
                .header("cookie", cookie)
                .multipart(form);
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r.send().await.unwrap()
        }
    };
    let records = || async {
        t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM field_investigations")
            .await
    };
    let before = (state(&t, &token, id).await, records().await);

    assert_refused(send(fields(Form::new()), vec![]).await, "no token").await;
    assert_refused(
        send(
            fields(Form::new()).text("csrf_token", form_token.clone()),
            vec![],
        )
        .await,
        "the token after the files",
    )
    .await;
    assert_refused(
        send(
            fields(Form::new().text("csrf_token", form_token.clone())),
            vec![("origin", EVIL.to_owned())],
        )
        .await,
        "from another site",
    )
    .await;
    assert_eq!(
        (state(&t, &token, id).await, records().await),
        before,
        "nothing recorded"
    );

    // As the page's form sends it: the token first, then the record and its file.
    let r = send(
        fields(Form::new().text("csrf_token", form_token.clone())),
        vec![("origin", t.base.clone())],
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    let list: Value = t
        .get_value(
            &format!("/api/v1/cases/{id}/field-investigations"),
            Some(&token),
        )
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["attachments"][0]["name"], "笔录.pdf");

    // As Chromium frames it: a boundary in mixed case, which must be kept as it is.
    let boundary = "----WebKitFormBoundaryQx7ZaBcD";
    let part = |name: &str, value: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
    };
    let body = [
        part("csrf_token", &form_token),
        part("method", "field_visit"),
        part("on", &today),
        part("place", "被执行人经营场所"),
        part("findings", "大门紧闭"),
        format!("--{boundary}--\r\n"),
    ]
    .concat();
    let r = t
        .client
        .post(t.url(&path))
        .header("cookie", &cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    assert_eq!(records().await, "2");
}

#[tokio::test]
async fn a_sign_in_posted_from_elsewhere_sets_no_session() {
    let t = spawn().await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let sessions = || async {
        t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM sessions")
            .await
    };
    let (cookie, token) = t.sign_in_form().await;
    let (other_cookie, other_token) = t.sign_in_form().await;
    assert_ne!(cookie, other_cookie, "a nonce per browser");
    let credentials = [
        ("username", "officer1"),
        ("password", zhixing_testkit::PASSWORD),
    ];
    let with = |token: &str| {
        let mut f = credentials.to_vec();
        f.push(("csrf_token", token));
        f.into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect::<Vec<_>>()
    };
    let send = |cookie: Option<String>,
                fields: Vec<(String, String)>,
                headers: Vec<(&'static str, String)>| {
        let t = &t;
        async move {
            let mut r = t.client.post(t.url("/login")).form(&fields);
            if let Some(c) = cookie {
                r = r.header("cookie", c);
            }
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r.send().await.unwrap()
        }
    };
    let own = t.base.clone();
    for (what, c, fields, headers) in [
        ("no cookie, no token", None, with(""), vec![]),
        (
            "no cookie, no token field",
            None,
            credentials
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            vec![],
        ),
        (
            "the cookie but no token",
            Some(cookie.clone()),
            with(""),
            vec![],
        ),
        (
            "another browser's token",
            Some(cookie.clone()),
            with(&other_token),
            vec![],
        ),
        (
            "a pair, from another site",
            Some(cookie.clone()),
            with(&token),
            vec![("origin", EVIL.to_owned())],
        ),
        (
            "a pair, cross-site",
            Some(cookie.clone()),
            with(&token),
            vec![("sec-fetch-site", "cross-site".to_owned())],
        ),
        (
            "a pair, from a sibling system",
            Some(cookie.clone()),
            with(&token),
            vec![
                ("sec-fetch-site", "same-site".to_owned()),
                ("origin", own.clone()),
            ],
        ),
    ] {
        assert_refused(send(c, fields, headers).await, what).await;
    }
    assert_eq!(sessions().await, "0", "no session was opened");

    // The form as the browser got it, from the platform's own page: signed in.
    let r = send(
        Some(cookie),
        with(&token),
        vec![
            ("origin", own),
            ("sec-fetch-site", "same-origin".to_owned()),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/home");
    assert!(set_cookie(&r, "zx_session").is_some());
    assert_eq!(sessions().await, "1");
}

#[tokio::test]
async fn the_sign_in_form_sets_its_cookie_once_and_keeps_it() {
    let t = spawn().await;
    let r = t.get("/login", None).await;
    let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/login"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_owned();
    let token = form_token_in(&r.text().await.unwrap()).unwrap();
    // A second tab: the same nonce, the same token, no new cookie.
    let r = t
        .client
        .get(t.url("/login"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("set-cookie").is_none());
    assert_eq!(form_token_in(&r.text().await.unwrap()), Some(token));
}

#[tokio::test]
async fn sign_out_from_another_site_is_refused() {
    let t = spawn().await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let cookie = t.page_login("officer1").await;
    let token = t.form_token(&cookie).await;
    assert_refused(
        post(
            &t,
            "/logout",
            &cookie,
            &[("csrf_token", &token)],
            &[("origin", EVIL)],
        )
        .await,
        "sign-out from another site",
    )
    .await;
    assert_refused(post(&t, "/logout", &cookie, &[], &[]).await, "no token").await;
    let (status, _) = t.html("/home", &cookie).await;
    assert_eq!(status, StatusCode::OK, "still signed in");
}

#[tokio::test]
async fn the_api_takes_the_session_cookie_for_changes_only_with_the_token() {
    let t = spawn().await;
    let (token, cookie, id) = case_with_cookie(&t, "(2026)京0105民初505号").await;
    let form_token = t.form_token(&cookie).await;
    let path = format!("/api/v1/cases/{id}/actions");
    let body = json!({"action": "notice_issued", "perform_days": 7, "report_days": 10});
    let send = |headers: Vec<(&'static str, String)>| {
        let (t, path, body, cookie) = (&t, &path, &body, &cookie);
        async move {
            let mut r = t
                .client
                .post(t.url(path))
                .header("cookie", cookie)
                .json(body);
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r.send().await.unwrap()
        }
    };
    let before = state(&t, &token, id).await;
    for (what, headers) in [
        ("no token", vec![]),
        ("another token", vec![("x-csrf-token", "0".repeat(64))]),
        (
            "from another site",
            vec![
                ("x-csrf-token", form_token.clone()),
                ("origin", EVIL.to_owned()),
            ],
        ),
        (
            "cross-site",
            vec![
                ("x-csrf-token", form_token.clone()),
                ("sec-fetch-site", "cross-site".to_owned()),
            ],
        ),
    ] {
        let p = zhixing_testkit::assert_problem(
            send(headers).await,
            StatusCode::FORBIDDEN,
            "csrf_rejected",
        )
        .await;
        assert!(
            p["detail"]
                .as_str()
                .unwrap()
                .contains("nothing was changed"),
            "{what}: {p}"
        );
        assert_eq!(
            state(&t, &token, id).await,
            before,
            "{what}: nothing changed"
        );
    }
    // Reading with the cookie needs no token (a recording plays in the page that way).
    let r = t
        .client
        .get(t.url(&format!("/api/v1/cases/{id}")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // With the token from the platform's page: done.
    let r = send(vec![
        ("x-csrf-token", form_token),
        ("origin", t.base.clone()),
    ])
    .await;
    assert!(r.status().is_success(), "{}", r.status());
    let after = super::cases::case(&t, &token, id).await;
    assert_eq!(after["case"]["actions"][0]["action"], "notice_issued");
}

#[tokio::test]
async fn the_public_case_form_refuses_posts_from_other_sites() {
    let t = spawn().await;
    let events = || async {
        t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM events")
            .await
    };
    let before = events().await;
    let r = t
        .client
        .post(t.url("/public/case"))
        .header("origin", EVIL)
        .form(&[("case_number", "(2026)京0105执1号"), ("code", "ABCDEFGH")])
        .send()
        .await
        .unwrap();
    assert_refused(r, "the party form from another site").await;
    assert_eq!(
        events().await,
        before,
        "not even a failed attempt is recorded"
    );
}

/// Behind a proxy that does not pass the browser's Host on, the configured origin is the
/// platform's own.
#[tokio::test]
async fn a_configured_public_origin_is_the_one_accepted() {
    let t = TestApp::spawn_with(zhixing_server::Config {
        public_origin: Some("https://zhixing.court.example".into()),
        watch_worker: false,
        ..zhixing_testkit::test_config()
    })
    .await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let (cookie, token) = t.sign_in_form().await;
    let fields = [
        ("username", "officer1"),
        ("password", zhixing_testkit::PASSWORD),
        ("csrf_token", token.as_str()),
    ];
    let r = post(&t, "/login", &cookie, &fields, &[("origin", &t.base)]).await;
    assert_refused(r, "the server's address is not the public origin").await;
    let r = post(
        &t,
        "/login",
        &cookie,
        &fields,
        &[("origin", "https://zhixing.court.example")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}
