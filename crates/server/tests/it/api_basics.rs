//! API conventions: health, metrics, OpenAPI, request ids, and problem+json for bad input.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem, test_config};

#[tokio::test]
async fn health_readiness_metrics_and_request_ids() {
    let t = TestApp::spawn().await;
    let r = t.get("/healthz", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers().contains_key("x-request-id"),
        "a request id is assigned"
    );
    assert_eq!(t.get("/readyz", None).await.status(), StatusCode::OK);

    let r = t
        .client
        .get(t.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["x-request-id"],
        "abc-123",
        "a caller's request id is propagated"
    );

    let token = t.signed_in("officer1", "b110105", Role::Officer).await;
    assert_eq!(
        t.get("/api/v1/courts/b110105", Some(&token)).await.status(),
        StatusCode::OK
    );
    let metrics = t.get("/metrics", None).await.text().await.unwrap();
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(
        metrics.contains("route=\"/api/v1/courts/{id}\""),
        "labels use the route template"
    );
    assert!(
        !metrics.contains("b110105"),
        "ids never reach metric labels"
    );
}

#[tokio::test]
async fn openapi_describes_the_routes() {
    let t = TestApp::spawn().await;
    let r = t.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let doc: Value = r.json().await.unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "OpenAPI 3.1"
    );
    for path in [
        "/api/v1/session",
        "/api/v1/courts",
        "/api/v1/courts/{id}",
        "/api/v1/courts/{id}/children",
        "/api/v1/users",
        "/api/v1/rules",
        "/api/v1/rules/{id}/in-force",
        "/api/v1/audit/verify",
        "/api/v1/events",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn bad_input_gets_problem_json_never_500() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("admin1", "h13", Role::Administrator).await;
    let tok = Some(token.as_str());

    assert_problem(
        t.get("/no/such/route", None).await,
        StatusCode::NOT_FOUND,
        "route_not_found",
    )
    .await;
    assert_problem(
        t.req(Method::PUT, "/api/v1/courts", tok, None).await,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;

    let malformed = t
        .client
        .post(t.url("/api/v1/users"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"username\":")
        .send()
        .await
        .unwrap();
    assert_problem(malformed, StatusCode::BAD_REQUEST, "malformed_json").await;

    let unknown_field = json!({"username": "x1x", "display_name": "x", "court_id": "h13", "roles": ["officer"], "password": "long-enough-password", "admin": true});
    assert_problem(
        t.post_json("/api/v1/users", tok, &unknown_field).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;

    let wrong_type = json!({"username": 7, "display_name": "x", "court_id": "h13", "roles": ["officer"], "password": "long-enough-password"});
    assert_problem(
        t.post_json("/api/v1/users", tok, &wrong_type).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;

    let no_ct = t
        .client
        .post(t.url("/api/v1/users"))
        .bearer_auth(&token)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(
        no_ct,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;

    let huge = "x".repeat(2 * 1024 * 1024);
    let big = t
        .client
        .post(t.url("/api/v1/session"))
        .header("content-type", "application/json")
        .body(format!("{{\"username\":\"{huge}\",\"password\":\"p\"}}"))
        .send()
        .await
        .unwrap();
    assert_problem(big, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large").await;

    assert_problem(
        t.get("/api/v1/courts/b999999", tok).await,
        StatusCode::NOT_FOUND,
        "court_not_found",
    )
    .await;
    assert_problem(
        t.get("/api/v1/courts/NOT%20A%20COURT", tok).await,
        StatusCode::BAD_REQUEST,
        "invalid_court_id",
    )
    .await;
    assert_problem(
        t.get("/api/v1/courts?limit=0", tok).await,
        StatusCode::BAD_REQUEST,
        "invalid_limit",
    )
    .await;
    assert_problem(
        t.get("/api/v1/courts?limit=abc", tok).await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
    assert_problem(
        t.get("/api/v1/courts?cursor=zz", tok).await,
        StatusCode::BAD_REQUEST,
        "invalid_cursor",
    )
    .await;
    assert_problem(
        t.get("/api/v1/courts?level=galactic", tok).await,
        StatusCode::BAD_REQUEST,
        "invalid_level",
    )
    .await;
    assert_problem(
        t.get("/api/v1/courts?bogus=1", tok).await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
    assert_problem(
        t.get("/api/v1/rules/case.conclude/in-force?date=2025-13-01", tok)
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_date",
    )
    .await;
    assert_problem(
        t.get("/api/v1/events?after=x", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    // Nothing stored was lost: the admin still works and the chain is intact.
    assert_eq!(t.get("/api/v1/users", tok).await.status(), StatusCode::OK);
    assert!(t.app.store.verify_chain().await.unwrap().is_ok());
}

/// `/metrics` answers only the operators: an allowed address range (this machine by default,
/// as the test above reads it) or the configured bearer token; anyone else gets 403.
#[tokio::test]
async fn metrics_answer_only_allowed_addresses_or_the_token() {
    let mut config = test_config();
    config.metrics_allow = Vec::new();
    config.metrics_token = Some("metrics-s3cret".into());
    let t = TestApp::spawn_with(config).await;
    assert_problem(
        t.get("/metrics", None).await,
        StatusCode::FORBIDDEN,
        "metrics_forbidden",
    )
    .await;
    assert_problem(
        t.get("/metrics", Some("wrong")).await,
        StatusCode::FORBIDDEN,
        "metrics_forbidden",
    )
    .await;
    let r = t.get("/metrics", Some("metrics-s3cret")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("http_requests_total"));

    // Behind a trusted proxy the client is the forwarded address, not the proxy's loopback.
    let mut config = test_config();
    config.trust_forwarded_for = true;
    let t = TestApp::spawn_with(config).await;
    let r = t
        .client
        .get(t.url("/metrics"))
        .header("x-forwarded-for", "203.0.113.7")
        .send()
        .await
        .unwrap();
    assert_problem(r, StatusCode::FORBIDDEN, "metrics_forbidden").await;
    let r = t
        .client
        .get(t.url("/metrics"))
        .header("x-forwarded-for", "127.0.0.1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}
