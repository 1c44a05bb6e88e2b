//! Sign-in, tokens, revocation, expiry and the sign-in throttle; accounts.

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

/// A sign-in from `from` (sent as `X-Forwarded-For`, which the throttle believes only when
/// `trust_forwarded_for`; without it the connection's 127.0.0.1 counts).
async fn sign_in(t: &TestApp, name: &str, password: &str, from: Option<&str>) -> reqwest::Response {
    let mut r = t
        .client
        .post(t.url("/api/v1/session"))
        .json(&json!({"username": name, "password": password}));
    if let Some(ip) = from {
        r = r.header("x-forwarded-for", ip);
    }
    r.send().await.unwrap()
}

fn retry_after(r: &reqwest::Response) -> u64 {
    r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// The policy as shipped: one address spraying many names gets its burst of attempts, then
/// 429 with Retry-After for every name — and a refused attempt hashes nothing. The page's
/// form is refused the same way, in Chinese.
#[tokio::test]
async fn one_address_spraying_names_is_refused_before_any_hashing() {
    let t = TestApp::spawn_with(zhixing_server::Config::default()).await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let burst = t.app.config.login_per_address_burst as usize;
    let hashed_before = t.app.hasher.performed();
    let mut answers = Vec::new();
    for i in 0..25 {
        let name = if i == 20 {
            "officer1".to_owned()
        } else {
            format!("user{i}")
        };
        let r = sign_in(&t, &name, "wrong-password", None).await;
        answers.push(r.status());
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            // One attempt per 60/rate seconds comes back.
            let per = 60 / u64::from(t.app.config.login_per_address_per_minute);
            assert_eq!(retry_after(&r), per);
            assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "login_rate_limited").await;
        }
    }
    let unauthorized = answers
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(unauthorized, burst, "{answers:?}");
    assert!(
        answers[burst..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "{answers:?}"
    );
    assert_eq!(
        t.app.hasher.performed() - hashed_before,
        burst as u64,
        "only the admitted attempts were hashed"
    );
    // Even the right password of a real account waits: the address is out of attempts.
    let r = sign_in(&t, "officer1", PASSWORD, None).await;
    assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "login_rate_limited").await;

    // The page's form goes through the same throttle and shows its refusal.
    let (form_cookie, token) = t.sign_in_form().await;
    let r = t
        .client
        .post(t.url("/login"))
        .header("cookie", &form_cookie)
        .form(&[
            ("username", "officer1"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&r) > 0);
    let html = r.text().await.unwrap();
    assert!(html.contains("本地址登录尝试过于频繁"), "{html}");
    assert!(
        html.contains(r#"action="/login""#),
        "the form again: {html}"
    );
    assert_eq!(t.app.hasher.performed() - hashed_before, burst as u64);

    // Time gives the address its attempts back.
    t.clock.advance(Duration::from_secs(60));
    let r = sign_in(&t, "officer1", PASSWORD, None).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

/// A flood from many addresses, each within its own limit, meets the overall limit: 429
/// `login_busy`, again before hashing.
#[tokio::test]
async fn many_addresses_together_meet_the_overall_limit() {
    let config = zhixing_server::Config {
        trust_forwarded_for: true,
        login_overall_burst: 8,
        ..zhixing_server::Config::default()
    };
    let t = TestApp::spawn_with(config).await;
    let hashed_before = t.app.hasher.performed();
    let mut busy = 0;
    for i in 0..20 {
        let r = sign_in(
            &t,
            &format!("user{i}"),
            "wrong-password",
            Some(&format!("10.9.0.{i}")),
        )
        .await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(retry_after(&r) > 0);
            assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "login_busy").await;
            busy += 1;
        } else {
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
    }
    assert_eq!(busy, 12);
    assert_eq!(t.app.hasher.performed() - hashed_before, 8);
}

/// Failures of one name back off exponentially — for a name that exists and one that does
/// not, alike — instead of locking it: each failure past the free ones doubles the wait, up
/// to the cap; the wait answers 429 `login_locked` with Retry-After, without hashing.
#[tokio::test]
async fn failures_back_off_exponentially_up_to_the_cap() {
    let t = TestApp::spawn_with(zhixing_server::Config {
        trust_forwarded_for: true,
        ..zhixing_server::Config::default()
    })
    .await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let c = t.app.config.clone();
    let base = c.login_backoff_base.as_secs();
    let cap = c.login_backoff_cap.as_secs();
    for name in ["officer1", "ghost"] {
        // From a new address each time: the account's count is what backs off.
        let mut addr = 0;
        let mut from = || {
            addr += 1;
            format!("10.1.{}.{}", addr / 200, addr % 200)
        };
        for _ in 0..c.login_free_failures {
            let r = sign_in(&t, name, "wrong-password", Some(&from())).await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        let mut waits = Vec::new();
        loop {
            let r = sign_in(&t, name, "wrong-password", Some(&from())).await;
            assert_eq!(
                r.status(),
                StatusCode::UNAUTHORIZED,
                "{name} after {waits:?}"
            );
            // Now even the right password waits, and is not hashed.
            let hashed = t.app.hasher.performed();
            let r = sign_in(&t, name, PASSWORD, Some(&from())).await;
            let wait = retry_after(&r);
            assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "login_locked").await;
            assert_eq!(t.app.hasher.performed(), hashed);
            waits.push(wait);
            t.clock.advance(Duration::from_secs(wait));
            if wait == cap {
                break;
            }
            assert!(waits.len() < 20, "{waits:?}");
        }
        let expected: Vec<u64> = (0..)
            .map(|k| (base << k).min(cap))
            .take(waits.len())
            .collect();
        assert_eq!(waits, expected, "{name}");
        assert!(waits.len() > 3);
    }
    // The wait over, the right password works; the failures were audited with their wait.
    let r = sign_in(&t, "officer1", PASSWORD, Some("10.1.9.9")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let events = t
        .app
        .store
        .list_events(&zhixing_store::events::EventFilter {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    let failed: Vec<Value> = events
        .iter()
        .filter(|e| e.kind == "auth.login_failed" && e.subject == "username:officer1")
        .map(|e| serde_json::from_str(&e.payload).unwrap())
        .collect();
    assert!(failed.len() > c.login_free_failures as usize);
    assert!(failed.iter().all(|p| {
        p["address"]
            .as_str()
            .is_some_and(|a| a.starts_with("10.1."))
    }));
    assert_eq!(
        failed
            .iter()
            .filter(|p| p.get("backoff_until_us").is_some())
            .count(),
        failed.len() - c.login_free_failures as usize
    );

    // After a quiet window the count starts over.
    for _ in 0..c.login_free_failures {
        sign_in(&t, "ghost", "wrong-password", Some("10.2.0.1")).await;
    }
    t.clock
        .advance(c.login_failure_window + Duration::from_secs(1));
    let r = sign_in(&t, "ghost", "wrong-password", Some("10.2.0.1")).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = sign_in(&t, "ghost", "wrong-password", Some("10.2.0.1")).await;
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "one failure after the window is free"
    );
}

/// A stranger cannot aim the throttle at the owner: failures from other addresses hold the
/// account back everywhere except at the address it signed in from before, where only the
/// failures made from there count.
#[tokio::test]
async fn strangers_failures_elsewhere_do_not_keep_the_owner_out_of_the_usual_address() {
    let t = TestApp::spawn_with(zhixing_server::Config {
        trust_forwarded_for: true,
        ..zhixing_server::Config::default()
    })
    .await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let office = "10.0.0.7";
    let r = sign_in(&t, "officer1", PASSWORD, Some(office)).await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "the owner signs in at the office"
    );

    // Strangers at many addresses fail on the owner's name until it backs off.
    let mut refused = 0;
    for i in 0..30 {
        let r = sign_in(
            &t,
            "officer1",
            &format!("guess-{i}"),
            Some(&format!("203.0.113.{i}")),
        )
        .await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "login_locked").await;
            refused += 1;
        }
    }
    assert!(refused > 20, "the name backs off for strangers: {refused}");
    // From a new address the owner waits too…
    let r = sign_in(&t, "officer1", PASSWORD, Some("198.51.100.1")).await;
    assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "login_locked").await;
    // …but not at the office.
    let r = sign_in(&t, "officer1", PASSWORD, Some(office)).await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "the usual address is not held back"
    );
    let payload: Value = serde_json::from_str(
        &t.app
            .store
            .list_events(&Default::default())
            .await
            .unwrap()
            .into_iter()
            .rfind(|e| e.kind == "session.created")
            .unwrap()
            .payload,
    )
    .unwrap();
    assert_eq!(payload["usual_address"], json!(true));

    // The office's own failures still count there: someone at the office guessing backs off.
    let free = t.app.config.login_free_failures;
    for _ in 0..=free {
        let r = sign_in(&t, "officer1", "wrong-password", Some(office)).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = sign_in(&t, "officer1", PASSWORD, Some(office)).await;
    assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "login_locked").await;
    // Once that short wait is over, signing in there forgets the office's failures.
    t.clock.advance(t.app.config.login_backoff_base);
    let r = sign_in(&t, "officer1", PASSWORD, Some(office)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = sign_in(&t, "officer1", "wrong-password", Some(office)).await;
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "a fresh count at the office"
    );
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
