//! The OpenAPI document tells the truth: it is a valid OpenAPI 3.1 document, parameters are
//! declared where the routes read them, every error answer is documented as the
//! `application/problem+json` the server sends, and every answer a test observes is listed
//! for its operation (each `TestApp` checks that when it is dropped; see
//! `zhixing_testkit::undocumented_answers`).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem, observed_answers, test_config, undocumented_in};

/// The OpenAPI 3.1 meta-schema as published by the OpenAPI Initiative
/// (`https://spec.openapis.org/oas/3.1/schema/2022-10-07`, the repository's
/// `schemas/v3.1/schema.json`), vendored so that the test needs no network.
const OAS_3_1_SCHEMA: &str = include_str!("data/openapi-3.1-schema-2022-10-07.json");

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Every operation of the document: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                out.push((m.to_owned(), path.clone(), op.clone()));
            }
        }
    }
    out
}

fn is_public(doc: &Value, op: &Value) -> bool {
    let security = op.get("security").unwrap_or(&doc["security"]);
    security.as_array().is_none_or(|a| {
        a.iter()
            .any(|s| s.as_object().is_some_and(|o| o.is_empty()))
    })
}

async fn served(t: &TestApp) -> Value {
    let r = t.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

#[tokio::test]
async fn the_served_document_is_valid_openapi_3_1() {
    let t = TestApp::spawn().await;
    let doc = served(&t).await;
    let meta: Value = serde_json::from_str(OAS_3_1_SCHEMA).unwrap();
    let validator = jsonschema::validator_for(&meta).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "not OpenAPI 3.1: {errors:#?}");
    // The meta-schema leaves the schemas themselves to JSON Schema 2020-12.
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        if let Err(e) = jsonschema::meta::validate(schema) {
            panic!("components.schemas.{name} is not JSON Schema 2020-12: {e}");
        }
    }
    // The document describes the API that serves it.
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(
        operations(&doc).len() >= 120,
        "{} operations",
        operations(&doc).len()
    );
}

#[tokio::test]
async fn parameters_are_declared_where_the_routes_read_them() {
    let t = TestApp::spawn().await;
    let doc = served(&t).await;
    for (m, path, op) in operations(&doc) {
        let in_template: Vec<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        for p in &params {
            let name = p["name"].as_str().unwrap();
            match p["in"].as_str().unwrap() {
                "path" => assert!(
                    in_template.contains(&name),
                    "{m} {path}: `{name}` declared in the path but the path has no {{{name}}}"
                ),
                "query" | "header" => {}
                other => panic!("{m} {path}: `{name}` in {other}"),
            }
        }
        for name in in_template {
            assert!(
                params
                    .iter()
                    .any(|p| p["name"] == name && p["in"] == "path" && p["required"] == true),
                "{m} {path}: {{{name}}} not declared as a required path parameter"
            );
        }
    }
    // A sample of query parameters, as the routes read them.
    let query = |path: &str, m: &str, name: &str| -> Value {
        doc["paths"][path][m]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{m} {path}: no parameter {name}"))
    };
    for (path, name) in [
        ("/api/v1/alerts", "limit"),
        ("/api/v1/events", "after"),
        ("/api/v1/courts", "cursor"),
        ("/api/v1/indicators/ranking", "by"),
        ("/public/v1/announcements", "cursor"),
        ("/api/v1/sharing/feed", "cursor"),
    ] {
        let p = query(path, "get", name);
        assert_eq!(p["in"], "query", "{path} {name}");
        assert_ne!(p["required"], true, "{path} {name} is optional");
    }
    let mode = query("/api/v1/cases/{id}/closure-checklist", "get", "mode");
    assert_eq!(
        (&mode["in"], &mode["required"]),
        (&json!("query"), &json!(true))
    );
}

#[tokio::test]
async fn every_error_answer_is_problem_json_and_listed_by_how_the_route_is_reached() {
    let t = TestApp::spawn().await;
    let doc = served(&t).await;
    let problem = json!({"$ref": "#/components/schemas/Problem"});
    for (m, path, op) in operations(&doc) {
        let responses = op["responses"].as_object().unwrap();
        if responses.contains_key("4XX") {
            // The legacy XML routes answer their errors in their own XML form.
            assert!(path.starts_with("/api/v1/legacy/"), "{m} {path}");
            continue;
        }
        for (status, r) in responses {
            if status.as_str() >= "400" {
                assert_eq!(
                    r["content"]["application/problem+json"]["schema"], problem,
                    "{m} {path} {status}: problem+json"
                );
                assert!(
                    r["content"].get("application/json").is_none(),
                    "{m} {path} {status}: errors are not application/json"
                );
            }
        }
        let has = |s: &str| responses.contains_key(s);
        assert!(has("500"), "{m} {path}: 500");
        if is_public(&doc, &op) {
            if path.starts_with("/public/") {
                assert!(has("429"), "{m} {path}: rate limited, 429");
            }
        } else {
            assert!(has("401") && has("403"), "{m} {path}: 401 and 403");
        }
        if op.get("requestBody").is_some() {
            for s in ["400", "413", "415", "422"] {
                assert!(has(s), "{m} {path} reads a body: {s}");
            }
        }
        if path.contains('{') {
            assert!(has("400") && has("404"), "{m} {path}: 400 and 404");
        }
    }
    assert!(
        doc["paths"]["/api/v1/session"]["post"]["responses"]["429"].is_object(),
        "sign-in is throttled"
    );
}

/// Each class of error, provoked on a sample of routes: the answer is problem+json and its
/// status is one the document lists for the operation.
#[tokio::test]
async fn each_error_class_is_answered_as_documented() {
    let t = TestApp::spawn_with(zhixing_server::Config {
        public_rate_per_minute: 1,
        public_burst: 2,
        ..test_config()
    })
    .await;
    let doc = served(&t).await;
    let officer = t.signed_in("officer1", "b110105", Role::Officer).await;
    let auditor = t.signed_in("auditor1", "h11", Role::Auditor).await;
    let tok = Some(officer.as_str());
    let documented = |m: &str, path: &str, status: StatusCode| {
        let listed = doc["paths"][path][m]["responses"][status.as_str()].is_object();
        assert!(listed, "{m} {path} answered {status}, not documented");
    };

    let r = t.get("/api/v1/cases", None).await;
    assert_problem(r, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    documented("get", "/api/v1/cases", StatusCode::UNAUTHORIZED);

    let r = t.get("/api/v1/cases/not-a-number", tok).await;
    assert_problem(r, StatusCode::BAD_REQUEST, "invalid_path").await;
    documented("get", "/api/v1/cases/{id}", StatusCode::BAD_REQUEST);

    let r = t.get("/api/v1/cases?limit=many", tok).await;
    assert_problem(r, StatusCode::BAD_REQUEST, "invalid_query").await;
    documented("get", "/api/v1/cases", StatusCode::BAD_REQUEST);

    let r = t.get("/api/v1/cases/987654321", tok).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    documented("get", "/api/v1/cases/{id}", StatusCode::NOT_FOUND);

    let r = t
        .client
        .post(t.url("/api/v1/cases"))
        .bearer_auth(&officer)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(
        r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    documented("post", "/api/v1/cases", StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let r = t
        .post_json("/api/v1/cases", tok, &json!({"case_type": 7}))
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    documented("post", "/api/v1/cases", StatusCode::UNPROCESSABLE_ENTITY);

    let r = t
        .post_json("/api/v1/cases", Some(&auditor), &json!({}))
        .await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::UNPROCESSABLE_ENTITY].contains(&r.status()),
        "{}",
        r.status()
    );
    let r = t
        .req(Method::GET, "/api/v1/users", Some(&auditor), None)
        .await;
    assert_problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    documented("get", "/api/v1/users", StatusCode::FORBIDDEN);

    let mut limited = false;
    for _ in 0..4 {
        let r = t.get("/public/v1/announcements", None).await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(r.headers().get("retry-after").is_some());
            assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
            limited = true;
            break;
        }
    }
    assert!(limited, "the public routes are rate limited");
    documented(
        "get",
        "/public/v1/announcements",
        StatusCode::TOO_MANY_REQUESTS,
    );

    // No NUL reaches the database (PostgreSQL refused it with an error, answered 500): in a
    // query it is refused, and a court id with one names no court.
    let r = t.get("/api/v1/indicators/ranking?court=b%00x", tok).await;
    assert_problem(r, StatusCode::BAD_REQUEST, "invalid_query").await;
    documented("get", "/api/v1/indicators/ranking", StatusCode::BAD_REQUEST);
    let r = t.get("/api/v1/courts/b110105%00", tok).await;
    assert!(
        [StatusCode::BAD_REQUEST, StatusCode::NOT_FOUND].contains(&r.status()),
        "{}",
        r.status()
    );
    assert_eq!(
        t.app.store.court("b110105\0").await.unwrap().map(|c| c.id),
        None,
        "not a court id: no court, no database error"
    );

    // And everything the routes answered here, whatever it was, is in the document.
    let missing = zhixing_testkit::undocumented_answers();
    assert!(missing.is_empty(), "{missing:?}");
}

/// The check each test ends with would catch a route answering a status its operation does not
/// list.
#[test]
fn the_check_catches_an_undocumented_answer() {
    let doc = zhixing_server::openapi::document();
    let seen = observed_answers(
        "# TYPE http_requests_total counter\n\
         http_requests_total{method=\"GET\",route=\"/api/v1/courts/{id}\",status=\"200\"} 3\n\
         http_requests_total{method=\"GET\",route=\"/api/v1/courts/{id}\",status=\"418\"} 1\n\
         http_requests_total{method=\"GET\",route=\"/cases/{id}\",status=\"418\"} 1\n\
         http_requests_total{method=\"PUT\",route=\"/api/v1/courts\",status=\"405\"} 1\n",
    );
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert_eq!(
        undocumented_in(doc, &seen),
        vec!["GET /api/v1/courts/{id} 418".to_owned()],
        "only documented operations are judged, and a status they do not list is caught"
    );
}

/// What the server refuses, the schema says: required search terms, vocabularies, bounds,
/// reasons that must say something, bodies that take no unknown field.
#[tokio::test]
async fn the_constraints_the_server_enforces_are_in_the_schema() {
    let t = TestApp::spawn().await;
    let doc = served(&t).await;
    let param = |path: &str, name: &str| -> Value {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{path}: no {name}"))
    };
    for path in ["/public/v1/dishonest", "/public/v1/restricted"] {
        for name in ["name", "id_number"] {
            let p = param(path, name);
            assert_eq!(p["required"], true, "{path} {name}");
        }
        assert_eq!(param(path, "name")["schema"]["minLength"], 1);
    }
    let kinds = param("/api/v1/alerts", "kind")["schema"]["enum"].clone();
    assert!(kinds.as_array().unwrap().contains(&json!("node_overdue")));
    assert_eq!(
        (
            &param("/api/v1/alerts", "limit")["schema"]["minimum"],
            &param("/api/v1/alerts", "limit")["schema"]["maximum"]
        ),
        (&json!(1), &json!(500))
    );
    assert_eq!(
        param("/api/v1/cases/{id}/closure-checklist", "mode")["schema"]["enum"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert_eq!(
        param("/api/v1/courts/{id}", "id")["schema"]["pattern"],
        "^[a-z0-9-]{1,32}$"
    );
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in [
        ("ReasonIn", "reason"),
        ("ReleaseIn", "reason"),
        ("RevocationIn", "reason"),
        ("ResumeIn", "reason"),
        ("ReplyIn", "text"),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["minLength"], 1,
            "{schema}.{field}"
        );
    }
    // An inlined schema with a description of its own comes as a one-element `oneOf`.
    let kind = &schemas["MeasureIn"]["properties"]["kind"];
    let kinds = kind.get("enum").unwrap_or(&kind["oneOf"][0]["enum"]);
    assert_eq!(kinds, &json!(["freeze", "seize", "detain", "deduct"]));
    for schema in ["FileCaseIn", "MeasureIn", "LoginRequest"] {
        assert_eq!(
            schemas[schema]["additionalProperties"], false,
            "{schema} takes no unknown field"
        );
    }
    // Signing in needs no session.
    assert_eq!(
        doc["paths"]["/api/v1/session"]["post"]["security"],
        json!([{}])
    );
    // Operation ids are unique.
    let mut ids: Vec<String> = operations(&doc)
        .iter()
        .map(|(_, _, op)| op["operationId"].as_str().unwrap().to_owned())
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "operation ids are unique");
}
