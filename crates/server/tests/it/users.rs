//! Account administration (issue 12): disable and enable, password reset with the change it
//! forces at the next sign-in, roles — through the API and through the accounts page; each an
//! audited event; an administrator acts only within their court's subtree.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{PASSWORD, TestApp, assert_problem, form_token_in, set_cookie};

/// 石家庄市中级人民法院; 长安区法院 below it; 唐山市中级人民法院 beside it.
const OWN: &str = "i1301";
const CHILD: &str = "b130102";
const SIBLING: &str = "i1302";

async fn count_events(t: &TestApp, kind: &str) -> String {
    t.raw_text(&format!(
        "SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE kind = '{kind}'"
    ))
    .await
}

async fn payloads(t: &TestApp, kind: &str) -> String {
    t.raw_text(&format!(
        "SELECT COALESCE(MAX(payload), '') FROM events WHERE kind = '{kind}'"
    ))
    .await
}

#[tokio::test]
async fn disable_ends_a_live_session_at_once_and_enable_lets_the_user_back() {
    let t = TestApp::spawn().await;
    let admin = t.signed_in("admin1", OWN, Role::Administrator).await;
    let id = t.user("officer1", CHILD, &[Role::Officer]).await;
    let officer = t.login("officer1").await;
    assert_eq!(
        t.get("/api/v1/session", Some(&officer)).await.status(),
        StatusCode::OK
    );

    let r = t
        .post_json(
            &format!("/api/v1/users/{id}/disable"),
            Some(&admin),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // The open session ends at once: the very next request is unauthenticated.
    assert_problem(
        t.get("/api/v1/cases", Some(&officer)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let r = t
        .post_json(
            "/api/v1/session",
            None,
            &json!({"username": "officer1", "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "a disabled account cannot sign in"
    );
    assert_eq!(count_events(&t, "user.disabled").await, "1");
    assert!(
        payloads(&t, "user.disabled")
            .await
            .contains("\"sessions_revoked\":1")
    );
    let list = t.get_value("/api/v1/users", Some(&admin)).await;
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(row["active"], false);

    assert_problem(
        t.post_json(
            &format!("/api/v1/users/{id}/disable"),
            Some(&admin),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "account_already_disabled",
    )
    .await;

    let r = t
        .post_json(
            &format!("/api/v1/users/{id}/enable"),
            Some(&admin),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(count_events(&t, "user.enabled").await, "1");
    // The ended session stays ended; a new sign-in works.
    assert_eq!(
        t.get("/api/v1/session", Some(&officer)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let again = t.login("officer1").await;
    assert_eq!(
        t.get("/api/v1/cases", Some(&again)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_administrator_cannot_lock_their_court_out() {
    let t = TestApp::spawn().await;
    let me = t.user("admin1", OWN, &[Role::Administrator]).await;
    let admin = t.login("admin1").await;
    assert_problem(
        t.post_json(
            &format!("/api/v1/users/{me}/disable"),
            Some(&admin),
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "own_account_disable",
    )
    .await;
    let put = |body: Value| {
        let admin = admin.clone();
        let t = &t;
        async move {
            t.req(
                Method::PUT,
                &format!("/api/v1/users/{me}/roles"),
                Some(&admin),
                Some(&body),
            )
            .await
        }
    };
    assert_problem(
        put(json!({"roles": ["officer"]})).await,
        StatusCode::CONFLICT,
        "own_administrator_role",
    )
    .await;
    assert_problem(
        put(json!({"roles": []})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_roles",
    )
    .await;
    assert_problem(
        put(json!({"roles": ["boss"]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_roles",
    )
    .await;
    // Adding a role to oneself is fine, as long as Administrator stays.
    let r = put(json!({"roles": ["administrator", "auditor"]})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(count_events(&t, "user.disabled").await, "0");
    assert_eq!(count_events(&t, "user.roles_changed").await, "1");
}

#[tokio::test]
async fn outside_the_administrators_subtree_an_account_is_absent() {
    let t = TestApp::spawn().await;
    let sibling_admin = t.signed_in("admin-ts", SIBLING, Role::Administrator).await;
    let child_admin = t.signed_in("admin-ca", CHILD, Role::Administrator).await;
    let officer = t.signed_in("officer-sjz", OWN, Role::Officer).await;
    let below = t.user("officer-ca", CHILD, &[Role::Officer]).await;
    let above = t.user("officer-own", OWN, &[Role::Officer]).await;
    for (token, id) in [(&sibling_admin, below), (&child_admin, above)] {
        for path in ["disable", "enable", "password-reset"] {
            assert_problem(
                t.post_json(
                    &format!("/api/v1/users/{id}/{path}"),
                    Some(token),
                    &json!({}),
                )
                .await,
                StatusCode::NOT_FOUND,
                "user_not_found",
            )
            .await;
        }
        assert_problem(
            t.req(
                Method::PUT,
                &format!("/api/v1/users/{id}/roles"),
                Some(token),
                Some(&json!({"roles": ["judge"]})),
            )
            .await,
            StatusCode::NOT_FOUND,
            "user_not_found",
        )
        .await;
    }
    assert_problem(
        t.post_json(
            &format!("/api/v1/users/{}/disable", 999_999),
            Some(&child_admin),
            &json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "user_not_found",
    )
    .await;
    // Not an administrator at all: forbidden, whoever the account.
    let r = t
        .post_json(
            &format!("/api/v1/users/{below}/disable"),
            Some(&officer),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The child court's administrator acts on the account below it.
    let r = t
        .post_json(
            &format!("/api/v1/users/{below}/disable"),
            Some(&child_admin),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let seen: Vec<String> = t
        .get_value("/api/v1/users", Some(&child_admin))
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_owned())
        .collect();
    assert!(seen.contains(&"officer-ca".to_owned()));
    assert!(!seen.contains(&"officer-own".to_owned()), "{seen:?}");
}

#[tokio::test]
async fn a_reset_password_must_be_changed_at_the_next_sign_in() {
    let t = TestApp::spawn().await;
    let admin = t.signed_in("admin1", OWN, Role::Administrator).await;
    let id = t.user("officer1", OWN, &[Role::Officer]).await;
    let old = t.login("officer1").await;

    let r = t
        .post_json(
            &format!("/api/v1/users/{id}/password-reset"),
            Some(&admin),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    let temporary = v["temporary_password"].as_str().unwrap().to_owned();
    assert!(temporary.len() >= 12);
    assert_eq!(
        t.get("/api/v1/session", Some(&old)).await.status(),
        StatusCode::UNAUTHORIZED,
        "a reset ends the sessions"
    );
    let r = t
        .post_json(
            "/api/v1/session",
            None,
            &json!({"username": "officer1", "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "the old password is gone"
    );
    let r = t
        .post_json(
            "/api/v1/session",
            None,
            &json!({"username": "officer1", "password": temporary}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let signed_in = r.json::<Value>().await.unwrap();
    assert_eq!(
        signed_in["user"]["must_change_password"], true,
        "{signed_in}"
    );
    let token = signed_in["token"].as_str().unwrap().to_owned();
    assert_problem(
        t.get("/api/v1/cases", Some(&token)).await,
        StatusCode::FORBIDDEN,
        "password_change_required",
    )
    .await;
    assert_eq!(
        t.get("/api/v1/session", Some(&token)).await.status(),
        StatusCode::OK
    );
    let change = |current: &str, new: &str| {
        let body = json!({"current_password": current, "new_password": new});
        let t = &t;
        let token = token.clone();
        async move {
            t.post_json("/api/v1/me/password", Some(&token), &body)
                .await
        }
    };
    assert_problem(
        change("not-the-password", "a-brand-new-password").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "current_password_wrong",
    )
    .await;
    assert_problem(
        change(&temporary, "short").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "weak_password",
    )
    .await;
    assert_problem(
        change(&temporary, &temporary).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "password_unchanged",
    )
    .await;
    assert_eq!(
        change(&temporary, "a-brand-new-password").await.status(),
        StatusCode::NO_CONTENT
    );
    // The same session goes on, now everywhere.
    assert_eq!(
        t.get_value("/api/v1/session", Some(&token)).await["must_change_password"],
        false
    );
    assert_eq!(
        t.get("/api/v1/cases", Some(&token)).await.status(),
        StatusCode::OK
    );
    let r = t
        .post_json(
            "/api/v1/session",
            None,
            &json!({"username": "officer1", "password": "a-brand-new-password"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    assert_eq!(count_events(&t, "user.password_reset").await, "1");
    assert_eq!(count_events(&t, "user.password_changed").await, "1");
    for kind in ["user.password_reset", "user.password_changed"] {
        let p = payloads(&t, kind).await;
        assert!(!p.contains(&temporary), "{kind}: {p}");
        assert!(!p.contains("argon2"), "{kind}: {p}");
        assert!(!p.contains("a-brand-new-password"), "{kind}: {p}");
    }
}

#[tokio::test]
async fn new_roles_take_effect_on_the_next_request() {
    let t = TestApp::spawn().await;
    let admin = t.signed_in("admin1", OWN, Role::Administrator).await;
    let id = t.user("officer1", CHILD, &[Role::Officer]).await;
    let officer = t.login("officer1").await;
    assert_eq!(
        t.get("/api/v1/events", Some(&officer)).await.status(),
        StatusCode::FORBIDDEN
    );
    let r = t
        .req(
            Method::PUT,
            &format!("/api/v1/users/{id}/roles"),
            Some(&admin),
            Some(&json!({"roles": ["auditor", "officer"]})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        t.get("/api/v1/events", Some(&officer)).await.status(),
        StatusCode::OK,
        "the open session has the new role"
    );
    assert_eq!(count_events(&t, "user.roles_changed").await, "1");
    let p = payloads(&t, "user.roles_changed").await;
    let p: Value = serde_json::from_str(&p).unwrap();
    assert_eq!(p["before"], json!(["officer"]));
    assert_eq!(p["after"], json!(["officer", "auditor"]));
}

/// Signs in through the login form with a password; the session cookie.
async fn page_login_with(t: &TestApp, user: &str, password: &str) -> (String, String) {
    let (sign_in, token) = t.sign_in_form().await;
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(t.url("/login"))
        .header("cookie", sign_in)
        .form(&[
            ("username", user),
            ("password", password),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    (
        set_cookie(&r, "zx_session").expect("a session cookie"),
        location,
    )
}

#[tokio::test]
async fn the_accounts_page_does_each_command() {
    let t = TestApp::spawn().await;
    let me = t.user("admin1", OWN, &[Role::Administrator]).await;
    let cookie = t.page_login("admin1").await;
    let (status, html) = t.html("/users", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("系统管理员") && html.contains("启用"),
        "{html}"
    );

    // Create, with two roles.
    let (status, location, _) = t
        .form(
            "/users",
            &cookie,
            &[
                ("username", "clerk1"),
                ("display_name", "王书记员"),
                ("court_id", CHILD),
                ("password", "a-long-enough-password"),
                ("roles", "officer"),
                ("roles", "judge"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/users")
    );
    assert_eq!(count_events(&t, "user.created").await, "2");
    let id: i64 = t
        .raw_text("SELECT CAST(id AS TEXT) FROM users WHERE username = 'clerk1'")
        .await
        .parse()
        .unwrap();
    let (_, html) = t.html("/users", &cookie).await;
    assert!(
        html.contains("王书记员") && html.contains("执行员、执行法官"),
        "{html}"
    );

    // A refusal beside the form, in Chinese.
    let (status, _, html) = t.form(&format!("/users/{me}/disable"), &cookie, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("不能停用本人的账号"), "{html}");
    let (status, _, html) = t
        .form(
            &format!("/users/{me}/roles"),
            &cookie,
            &[("roles", "officer")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("不能取消本人的系统管理员角色"), "{html}");

    // The staff member's ID number: a bad one is refused beside its form and nothing is
    // kept; a good one is kept as its blind index only, and the event never carries it.
    let (status, _, html) = t
        .form(
            &format!("/users/{id}/identity"),
            &cookie,
            &[("id_number", "110102197001010011")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("请填写有效的居民身份证号码（18 位"), "{html}");
    assert!(html.contains("身份证号码（未登记）"), "{html}");
    let number = super::auction::person_id(7);
    let (status, _, _) = t
        .form(
            &format!("/users/{id}/identity"),
            &cookie,
            &[("id_number", number.as_str())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = t.html("/users", &cookie).await;
    assert!(html.contains("身份证号码（已登记；留空则删除）"), "{html}");
    let kept = t
        .raw_text(&format!("SELECT identity_key FROM users WHERE id = {id}"))
        .await;
    assert!(!kept.is_empty() && !kept.contains(&number[..10]), "{kept}");
    let events = payloads(&t, "user.identity_recorded").await;
    assert!(
        events.contains("true") && !events.contains(&number[..10]),
        "{events}"
    );

    // Roles, disable, enable.
    let (status, _, _) = t
        .form(
            &format!("/users/{id}/roles"),
            &cookie,
            &[("roles", "supervisor")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(count_events(&t, "user.roles_changed").await, "1");
    let (status, _, _) = t.form(&format!("/users/{id}/disable"), &cookie, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = t.html("/users", &cookie).await;
    assert!(
        html.contains("停用") && html.contains("指挥中心监督员"),
        "{html}"
    );
    assert_eq!(count_events(&t, "user.disabled").await, "1");
    let (status, _, _) = t.form(&format!("/users/{id}/enable"), &cookie, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(count_events(&t, "user.enabled").await, "1");

    // Reset: the temporary password is shown once.
    let (status, _, html) = t
        .form(&format!("/users/{id}/password-reset"), &cookie, &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count_events(&t, "user.password_reset").await, "1");
    let at = html.find("data-user=").expect("the temporary password");
    let code = &html[at..];
    let start = code.find('>').unwrap() + 1;
    let temporary = code[start..start + code[start..].find('<').unwrap()].to_owned();
    assert_eq!(temporary.len(), 16, "{temporary}");
    let (_, again) = t.html("/users", &cookie).await;
    assert!(!again.contains(&temporary), "shown once only");

    // The user signs in with it and is led to the change form, whatever page they ask for.
    let (user_cookie, _) = page_login_with(&t, "clerk1", &temporary).await;
    let (status, _) = t.html("/cases", &user_cookie).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(t.url("/home"))
        .header("cookie", &user_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/account/password");
    let (status, html) = t.html("/account/password", &user_cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("管理员已重置您的密码"), "{html}");
    let token = form_token_in(&html).unwrap();
    let post = |current: String, new: &'static str| {
        let token = token.clone();
        let user_cookie = user_cookie.clone();
        let t = &t;
        async move {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap()
                .post(t.url("/account/password"))
                .header("cookie", user_cookie)
                .form(&[
                    ("current_password", current.as_str()),
                    ("new_password", new),
                    ("csrf_token", token.as_str()),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let r = post("wrong-password-here".into(), "a-brand-new-password").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("当前密码不正确"));
    let r = post(temporary.clone(), "a-brand-new-password").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/home");
    let (status, _) = t.html("/home", &user_cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count_events(&t, "user.password_changed").await, "1");
}
