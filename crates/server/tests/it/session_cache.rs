//! Sessions cached in memory (issue 15): a revocation — logout, disable, new roles, a
//! password reset or change — reaches the very next request, in the process that made it and
//! in another process on the same database (a second server here: its own store, pools and
//! cache); a cached session still expires on time.
//!
//! On SQLite the other process reads the change at its next request. On PostgreSQL it hears
//! of it by notification, which arrives after the commit: the tests wait until it has (not a
//! fixed time), and would time out if nothing told it.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_store::Backend;
use zhixing_testkit::{PASSWORD, TestApp, assert_problem};

const OWN: &str = "i1301";
const COURT: &str = "/api/v1/courts/i1301";

/// Two servers on one database, the second listening (PostgreSQL) before anything happens.
async fn two() -> (TestApp, TestApp) {
    let a = TestApp::spawn().await;
    let b = a.second_instance().await;
    for t in [&a, &b] {
        if t.app.store.backend() == Backend::Postgres {
            tokio::time::timeout(Duration::from_secs(10), async {
                while !t.app.sessions.is_listening() {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            })
            .await
            .expect("the server listens for auth changes");
        }
    }
    (a, b)
}

/// A GET that succeeds, and leaves the session cached in `t`.
async fn cached(t: &TestApp, path: &str, token: &str) {
    for _ in 0..2 {
        assert_eq!(t.get(path, Some(token)).await.status(), StatusCode::OK);
    }
    assert!(!t.app.sessions.is_empty(), "the session is cached");
}

/// The auth epoch of `t` now: see [`heard_since`].
fn epoch(t: &TestApp) -> u64 {
    t.app.store.auth_epoch()
}

/// On PostgreSQL, waits until `t` has heard of a change announced since `before` (on
/// SQLite there is nothing to wait for: the next request reads the generation).
async fn heard_since(t: &TestApp, before: u64) {
    if t.app.store.backend() == Backend::Sqlite {
        return;
    }
    tokio::time::timeout(Duration::from_secs(10), async {
        while t.app.store.auth_epoch() == before {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    })
    .await
    .expect("the other server heard of the change");
}

#[tokio::test]
async fn logout_ends_the_cached_session_in_every_process() {
    let (a, b) = two().await;
    let token = a.signed_in("officer1", OWN, Role::Officer).await;
    cached(&a, COURT, &token).await;
    cached(&b, COURT, &token).await;
    let before = epoch(&b);
    let r = a
        .req(Method::DELETE, "/api/v1/session", Some(&token), None)
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    assert_problem(
        a.get(COURT, Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    heard_since(&b, before).await;
    assert_problem(
        b.get(COURT, Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[tokio::test]
async fn a_disabled_account_is_refused_by_every_process() {
    let (a, b) = two().await;
    let admin = a.signed_in("admin1", OWN, Role::Administrator).await;
    let id = a.user("officer1", OWN, &[Role::Officer]).await;
    let token = a.login("officer1").await;
    cached(&a, COURT, &token).await;
    cached(&b, COURT, &token).await;
    let before = epoch(&b);
    let r = a
        .post_json(
            &format!("/api/v1/users/{id}/disable"),
            Some(&admin),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        a.get(COURT, Some(&token)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    heard_since(&b, before).await;
    assert_eq!(
        b.get(COURT, Some(&token)).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn new_roles_reach_a_session_cached_in_another_process() {
    let (a, b) = two().await;
    let admin = a.signed_in("admin1", OWN, Role::Administrator).await;
    let id = a.user("officer1", OWN, &[Role::Officer]).await;
    let token = a.login("officer1").await;
    cached(&b, COURT, &token).await;
    assert_eq!(
        b.get("/api/v1/events", Some(&token)).await.status(),
        StatusCode::FORBIDDEN
    );
    let before = epoch(&b);
    let r = a
        .req(
            Method::PUT,
            &format!("/api/v1/users/{id}/roles"),
            Some(&admin),
            Some(&json!({"roles": ["auditor", "officer"]})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    heard_since(&b, before).await;
    assert_eq!(
        b.get("/api/v1/events", Some(&token)).await.status(),
        StatusCode::OK,
        "the cached session has the new role"
    );
    // And back: the role taken away is gone at once too.
    let before = epoch(&b);
    let r = a
        .req(
            Method::PUT,
            &format!("/api/v1/users/{id}/roles"),
            Some(&admin),
            Some(&json!({"roles": ["officer"]})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    heard_since(&b, before).await;
    assert_eq!(
        b.get("/api/v1/events", Some(&token)).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_password_reset_and_change_reach_sessions_cached_elsewhere() {
    let (a, b) = two().await;
    let admin = a.signed_in("admin1", OWN, Role::Administrator).await;
    let id = a.user("officer1", OWN, &[Role::Officer]).await;
    let old = a.login("officer1").await;
    cached(&b, COURT, &old).await;

    // The administrator's reset ends the sessions.
    let before = epoch(&b);
    let r = a
        .post_json(
            &format!("/api/v1/users/{id}/password-reset"),
            Some(&admin),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let temporary = r.json::<Value>().await.unwrap()["temporary_password"]
        .as_str()
        .unwrap()
        .to_owned();
    heard_since(&b, before).await;
    assert_eq!(
        b.get(COURT, Some(&old)).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Two new sessions; the one that must change the password is cached as such on `b`.
    let sign_in = || async {
        let r = a
            .post_json(
                "/api/v1/session",
                None,
                &json!({"username": "officer1", "password": temporary}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let keep = sign_in().await;
    let other = sign_in().await;
    for token in [&keep, &other] {
        assert_problem(
            b.get(COURT, Some(token)).await,
            StatusCode::FORBIDDEN,
            "password_change_required",
        )
        .await;
    }
    assert_eq!(
        b.get("/api/v1/session", Some(&keep)).await.status(),
        StatusCode::OK
    );

    // Changing it ends the other session, and frees the one it was made in — on `b` too.
    let before = epoch(&b);
    let r = a
        .post_json(
            "/api/v1/me/password",
            Some(&keep),
            &json!({"current_password": temporary, "new_password": PASSWORD}),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    heard_since(&b, before).await;
    assert_eq!(
        b.get(COURT, Some(&other)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(b.get(COURT, Some(&keep)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_cached_session_expires_on_time() {
    let (a, b) = two().await;
    let token = a.signed_in("officer1", OWN, Role::Officer).await;
    cached(&a, COURT, &token).await;
    cached(&b, COURT, &token).await;
    // Both servers share the test's clock.
    a.clock
        .advance(a.app.config.session_ttl - Duration::from_secs(1));
    assert_eq!(a.get(COURT, Some(&token)).await.status(), StatusCode::OK);
    assert_eq!(b.get(COURT, Some(&token)).await.status(), StatusCode::OK);
    a.clock.advance(Duration::from_secs(1));
    for t in [&a, &b] {
        assert_problem(
            t.get(COURT, Some(&token)).await,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        )
        .await;
    }
}
