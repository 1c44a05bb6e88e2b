//! Sign-in, tokens, revocation, expiry and the login throttle; accounts.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{PASSWORD, TestApp, assert_problem};

#[tokio::test]
async fn sign_in_bearer_cookie_and_sign_out() {
    let t = TestApp::spawn().await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let r = t
        .post_json(
            "/api/v1/session",
            None,
            &json!({"username": "officer1", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("zx_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let v: Value = r.json().await.unwrap();
    let token = v["token"].as_str().unwrap().to_owned();
    assert_eq!(v["user"]["court_id"], "b110105");
    assert_eq!(v["user"]["roles"], json!(["officer"]));

    let me: Value = t
        .get("/api/v1/session", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "officer1");
    // The cookie works as well as the bearer token.
    let via_cookie = t
        .client
        .get(t.url("/api/v1/session"))
        .header("cookie", format!("zx_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(via_cookie.status(), StatusCode::OK);

    let out = t
        .req(Method::DELETE, "/api/v1/session", Some(&token), None)
        .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_problem(
        t.get("/api/v1/session", Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_problem(
        t.get("/api/v1/session", Some("not-a-token")).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_problem(
        t.get("/api/v1/session", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    // The token is never stored in the clear.
    let kinds: Vec<String> = t
        .app
        .store
        .list_events(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .map(|e| {
            assert!(!e.payload.contains(&token));
            e.kind
        })
        .collect();
    assert!(
        kinds.contains(&"session.created".to_owned())
            && kinds.contains(&"session.revoked".to_owned()),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn tokens_expire() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("officer1", "b110105", Role::Officer).await;
    assert_eq!(
        t.get("/api/v1/session", Some(&token)).await.status(),
        StatusCode::OK
    );
    t.clock
        .advance(t.app.config.session_ttl + Duration::from_secs(1));
    assert_problem(
        t.get("/api/v1/session", Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn wrong_username_and_wrong_password_look_the_same() {
    let t = TestApp::spawn().await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let a = t
        .post_json(
            "/api/v1/session",
            None,
            &json!({"username": "officer1", "password": "wrong-password"}),
        )
        .await;
    let a = assert_problem(a, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let b = t
        .post_json(
            "/api/v1/session",
            None,
            &json!({"username": "nobody", "password": "wrong-password"}),
        )
        .await;
    let b = assert_problem(b, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(a, b, "identical answers");
}

#[tokio::test]
async fn repeated_failures_lock_the_name_for_a_while() {
    let t = TestApp::spawn().await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let max = t.app.config.login_max_failures;
    for name in ["officer1", "ghost"] {
        for _ in 0..max {
            let r = t
                .post_json(
                    "/api/v1/session",
                    None,
                    &json!({"username": name, "password": "wrong-password"}),
                )
                .await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        // Locked, even for the right password; and an unknown name locks the same way.
        let r = t
            .post_json(
                "/api/v1/session",
                None,
                &json!({"username": name, "password": PASSWORD}),
            )
            .await;
        let retry: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(retry > 0 && retry <= t.app.config.login_lock.as_secs());
        assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "login_locked").await;
    }
    t.clock
        .advance(t.app.config.login_lock + Duration::from_secs(1));
    let r = t
        .post_json(
            "/api/v1/session",
            None,
            &json!({"username": "officer1", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED, "the lock ends");
    let locks = t
        .app
        .store
        .list_events(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "auth.locked")
        .count();
    assert_eq!(locks, 2, "each lock is an audited event");
}

#[tokio::test]
async fn failures_slow_down_before_locking() {
    let config = zhixing_server::Config {
        login_slow_step: Duration::from_millis(300),
        ..zhixing_testkit::test_config()
    };
    let t = TestApp::spawn_with(config).await;
    let first = timed_failure(&t).await;
    timed_failure(&t).await;
    let third = timed_failure(&t).await;
    assert!(
        third >= Duration::from_millis(300),
        "third failure delayed: {third:?}"
    );
    assert!(first < third, "{first:?} < {third:?}");
}

#[tokio::test]
async fn administrators_create_accounts_within_their_reach() {
    let t = TestApp::spawn().await;
    let admin = t.signed_in("admin13", "h13", Role::Administrator).await;
    let officer = t.signed_in("officer13", "h13", Role::Officer).await;
    let body = |user: &str, court: &str| json!({"username": user, "display_name": "新用户", "court_id": court, "roles": ["officer", "judge"], "password": "a-long-enough-password"});

    let r = t
        .post_json("/api/v1/users", Some(&admin), &body("new1", "b130102"))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert!(id > 0);
    let r = t
        .post_json(
            "/api/v1/session",
            None,
            &json!({"username": "new1", "password": "a-long-enough-password"}),
        )
        .await;
    let token = r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me: Value = t
        .get("/api/v1/session", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["roles"], json!(["officer", "judge"]));

    assert_problem(
        t.post_json("/api/v1/users", Some(&admin), &body("new1", "b130102"))
            .await,
        StatusCode::CONFLICT,
        "username_taken",
    )
    .await;
    assert_problem(
        t.post_json("/api/v1/users", Some(&admin), &body("new2", "b110105"))
            .await,
        StatusCode::NOT_FOUND,
        "court_not_found",
    )
    .await;
    assert_problem(
        t.post_json("/api/v1/users", Some(&admin), &body("new3", "spc"))
            .await,
        StatusCode::NOT_FOUND,
        "court_not_found",
    )
    .await;
    assert_problem(
        t.post_json("/api/v1/users", Some(&officer), &body("new4", "h13"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let mut weak = body("new5", "h13");
    weak["password"] = json!("short");
    assert_problem(
        t.post_json("/api/v1/users", Some(&admin), &weak).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "weak_password",
    )
    .await;
    let mut bad_role = body("new6", "h13");
    bad_role["roles"] = json!(["emperor"]);
    assert_problem(
        t.post_json("/api/v1/users", Some(&admin), &bad_role).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_roles",
    )
    .await;
    assert_problem(
        t.post_json("/api/v1/users", Some(&admin), &body("Bad Name", "h13"))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_username",
    )
    .await;

    let users: Value = t
        .get("/api/v1/users", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"new1") && names.contains(&"officer13"));
    let created = t
        .app
        .store
        .list_events(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "user.created" && e.subject == format!("user:{id}"))
        .count();
    assert_eq!(created, 1, "the account's creation is an event");
    // No password or hash in any event.
    for e in t
        .app
        .store
        .list_events(&zhixing_store::events::EventFilter {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
    {
        assert!(
            !e.payload.contains("a-long-enough-password") && !e.payload.contains("argon2"),
            "{}",
            e.payload
        );
    }
}

async fn timed_failure(t: &TestApp) -> Duration {
    let start = std::time::Instant::now();
    let r = t
        .post_json(
            "/api/v1/session",
            None,
            &json!({"username": "slow", "password": "wrong-password"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    start.elapsed()
}
