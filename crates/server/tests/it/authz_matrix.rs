//! The authorization matrix: every route × role × (own / child / sibling / parent court).
//! Expected answers are written out by hand from the issue's rule, not computed by the code
//! under test.

use reqwest::{Method, StatusCode};
use serde_json::json;
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;

/// The caller's court is 石家庄市中级人民法院 (i1301): its parent is the Hebei high court
/// (h13), a child is 长安区法院 (b130102), a sibling is 唐山市中级人民法院 (i1302).
const OWN: &str = "i1301";
const CHILD: &str = "b130102";
const SIBLING: &str = "i1302";
const PARENT: &str = "h13";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Rel {
    Own,
    Child,
    Sibling,
    Parent,
}

fn tok_of(token: &str) -> Option<&str> {
    Some(token)
}

fn target(rel: Rel) -> &'static str {
    match rel {
        Rel::Own => OWN,
        Rel::Child => CHILD,
        Rel::Sibling => SIBLING,
        Rel::Parent => PARENT,
    }
}

/// Reading a court's directory entry: everyone at their own court; supervisors, division
/// heads, auditors (and administrators, who provision accounts) below it; nobody elsewhere.
fn expect_read_court(role: Role, rel: Rel) -> StatusCode {
    match rel {
        Rel::Own => StatusCode::OK,
        Rel::Child => match role {
            Role::Supervisor | Role::DivisionHead | Role::Auditor | Role::Administrator => {
                StatusCode::OK
            }
            Role::Officer | Role::Judge | Role::President => StatusCode::NOT_FOUND,
        },
        Rel::Sibling | Rel::Parent => StatusCode::NOT_FOUND,
    }
}

fn expect_create_user(role: Role, rel: Rel) -> StatusCode {
    match (role, rel) {
        (Role::Administrator, Rel::Own | Rel::Child) => StatusCode::CREATED,
        (Role::Administrator, _) => StatusCode::NOT_FOUND,
        _ => StatusCode::FORBIDDEN,
    }
}

/// Acting on an existing account: administrators of its court or one above it; to another
/// administrator the account is absent; nobody else manages accounts.
fn expect_manage_user(role: Role, rel: Rel) -> StatusCode {
    match (role, rel) {
        (Role::Administrator, Rel::Own | Rel::Child) => StatusCode::OK,
        (Role::Administrator, _) => StatusCode::NOT_FOUND,
        _ => StatusCode::FORBIDDEN,
    }
}

#[tokio::test]
async fn every_route_every_role_every_court_relation() {
    let t = TestApp::spawn().await;
    let mut tokens = Vec::new();
    for role in Role::ALL {
        let name = format!("m-{}", role.as_str().replace('_', "-"));
        tokens.push((role, t.signed_in(&name, OWN, role).await));
    }
    // An account at each court, for the commands on an existing account.
    let mut accounts = Vec::new();
    for rel in [Rel::Own, Rel::Child, Rel::Sibling, Rel::Parent] {
        let name = format!("target-{}", target(rel));
        accounts.push((rel, t.user(&name, target(rel), &[Role::Officer]).await));
    }
    let mut checked = 0;
    let mut n = 0;
    for (role, token) in &tokens {
        for (rel, id) in &accounts {
            let want = expect_manage_user(*role, *rel);
            // Both idempotent, so every role meets the same account as it was.
            let r = t
                .post_json(
                    &format!("/api/v1/users/{id}/password-reset"),
                    tok_of(token),
                    &json!({}),
                )
                .await;
            assert_eq!(r.status(), want, "{role:?} resets a password at {rel:?}");
            let r = t
                .req(
                    Method::PUT,
                    &format!("/api/v1/users/{id}/roles"),
                    tok_of(token),
                    Some(&json!({"roles": ["officer"]})),
                )
                .await;
            assert_eq!(r.status(), want, "{role:?} sets roles at {rel:?}");
            let r = t
                .req(
                    Method::PUT,
                    &format!("/api/v1/users/{id}/identity"),
                    tok_of(token),
                    Some(&json!({"id_number": null})),
                )
                .await;
            assert_eq!(r.status(), want, "{role:?} records an ID number at {rel:?}");
            checked += 3;
        }
        let tok = Some(token.as_str());
        for rel in [Rel::Own, Rel::Child, Rel::Sibling, Rel::Parent] {
            let court = target(rel);
            let want = expect_read_court(*role, rel);
            for path in [
                format!("/api/v1/courts/{court}"),
                format!("/api/v1/courts/{court}/children"),
                format!("/api/v1/rules/case.conclude/in-force?court={court}"),
                format!("/courts/{court}/children"),
            ] {
                let r = t.get(&path, tok).await;
                assert_eq!(r.status(), want, "{role:?} GET {path} ({rel:?})");
                checked += 1;
            }
            n += 1;
            let body = json!({"username": format!("made-{n}"), "display_name": "x", "court_id": court, "roles": ["officer"], "password": "a-long-enough-password"});
            let r = t.post_json("/api/v1/users", tok, &body).await;
            assert_eq!(
                r.status(),
                expect_create_user(*role, rel),
                "{role:?} POST /api/v1/users at {rel:?}"
            );
            checked += 1;
        }

        // Routes without a target court: allowed by role alone.
        let is = |r: Role| *role == r;
        let cases: Vec<(Method, &str, Option<serde_json::Value>, StatusCode)> = vec![
            (Method::GET, "/api/v1/session", None, StatusCode::OK),
            (Method::GET, "/api/v1/courts", None, StatusCode::OK),
            (Method::GET, "/api/v1/rules", None, StatusCode::OK),
            (
                Method::GET,
                "/api/v1/rules/case.conclude",
                None,
                StatusCode::OK,
            ),
            (
                Method::GET,
                "/api/v1/users",
                None,
                if is(Role::Administrator) {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                },
            ),
            (
                Method::GET,
                "/api/v1/audit/verify",
                None,
                if is(Role::Auditor) {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                },
            ),
            (
                Method::GET,
                "/api/v1/events",
                None,
                if is(Role::Auditor) {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                },
            ),
            (
                Method::POST,
                "/api/v1/rules",
                Some(
                    json!({"id": "case.conclude", "title": "结案期限", "value": 6, "unit": "months", "citation": "测试", "effective_from": format!("2031-01-{:02}", 1 + checked % 28), "region": "1301"}),
                ),
                if is(Role::Administrator) {
                    StatusCode::CREATED
                } else {
                    StatusCode::FORBIDDEN
                },
            ),
            // Everyone reads the time; advancing training mode's clock is for administrators
            // of the SPC only — the caller's court here is not the SPC.
            (Method::GET, "/api/v1/clock", None, StatusCode::OK),
            (
                Method::POST,
                "/api/v1/clock/advance",
                Some(json!({"days": 1})),
                StatusCode::FORBIDDEN,
            ),
            (Method::GET, "/admin/clock", None, StatusCode::FORBIDDEN),
            (
                Method::GET,
                "/api/v1/rules/proposals",
                None,
                if is(Role::Administrator) {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                },
            ),
            (
                Method::POST,
                "/api/v1/rules/proposals/999999/decision",
                Some(json!({"approve": true})),
                if is(Role::Administrator) {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::FORBIDDEN
                },
            ),
            (Method::GET, "/api/v1/calendars", None, StatusCode::OK),
            // The official calendar is national: only an administrator of the SPC proposes
            // one, and the caller's court here is an intermediate court.
            (
                Method::POST,
                "/api/v1/calendars",
                Some(json!({"text": "year = 2099"})),
                StatusCode::FORBIDDEN,
            ),
            // Everyone changes their own password (here with a wrong current one).
            (
                Method::POST,
                "/api/v1/me/password",
                Some(
                    json!({"current_password": "not-the-password", "new_password": "a-long-enough-password"}),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (Method::GET, "/account/password", None, StatusCode::OK),
            (Method::GET, "/home", None, StatusCode::OK),
            (Method::GET, "/courts", None, StatusCode::OK),
            (Method::GET, "/rules", None, StatusCode::OK),
            (
                Method::GET,
                "/users",
                None,
                if is(Role::Administrator) {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                },
            ),
            (
                Method::GET,
                "/audit",
                None,
                if is(Role::Auditor) {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                },
            ),
        ];
        for (method, path, body, want) in cases {
            let r = t.req(method.clone(), path, tok, body.as_ref()).await;
            assert_eq!(r.status(), want, "{role:?} {method} {path}");
            checked += 1;
        }
        // Smart filing: a draft is read by those who file at their court.
        let r = t
            .client
            .post(t.url("/api/v1/filings/drafts"))
            .bearer_auth(token)
            .header("content-type", "text/plain")
            .body(include_str!(
                "../../../../data/filing-corpus/01-loan-individuals.txt"
            ))
            .send()
            .await
            .unwrap();
        let want = if matches!(role, Role::Officer | Role::Judge | Role::DivisionHead) {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(r.status(), want, "{role:?} drafts a filing");
        checked += 1;
        let r = t.req(Method::DELETE, "/api/v1/session", tok, None).await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT, "{role:?} signs out");
        checked += 1;
    }
    assert_eq!(checked, Role::ALL.len() * (4 * 8 + 24), "{checked} checks");
}

#[tokio::test]
async fn every_api_route_needs_a_session() {
    let t = TestApp::spawn().await;
    let routes: [(Method, &str); 122] = [
        (Method::PUT, "/api/v1/users/1/identity"),
        (Method::POST, "/api/v1/auctions/1/files"),
        (Method::POST, "/api/v1/filings/drafts"),
        (Method::POST, "/api/v1/users/1/disable"),
        (Method::POST, "/api/v1/users/1/enable"),
        (Method::POST, "/api/v1/users/1/password-reset"),
        (Method::PUT, "/api/v1/users/1/roles"),
        (Method::POST, "/api/v1/me/password"),
        (Method::GET, "/api/v1/rules/proposals"),
        (Method::POST, "/api/v1/rules/proposals/1/decision"),
        (Method::GET, "/api/v1/calendars"),
        (Method::POST, "/api/v1/calendars"),
        (Method::POST, "/api/v1/cases/1/extension"),
        (Method::POST, "/api/v1/cases/1/extension/decision"),
        (Method::GET, "/api/v1/clock"),
        (Method::POST, "/api/v1/clock/advance"),
        (Method::GET, "/api/v1/indicators"),
        (Method::GET, "/api/v1/indicators/trend"),
        (Method::GET, "/api/v1/indicators/ranking"),
        (Method::POST, "/api/v1/cases/1/complaints"),
        (Method::GET, "/api/v1/cases/1/complaints"),
        (Method::GET, "/api/v1/complaints"),
        (Method::GET, "/api/v1/complaints/1"),
        (Method::POST, "/api/v1/complaints/1/resolution"),
        (Method::POST, "/api/v1/cases/1/recordings"),
        (Method::GET, "/api/v1/cases/1/recordings"),
        (Method::POST, "/api/v1/complaints/1/recordings"),
        (Method::GET, "/api/v1/recordings/1"),
        (Method::GET, "/api/v1/recordings/1/content"),
        (Method::POST, "/api/v1/cases/1/securities"),
        (Method::POST, "/api/v1/assets/1/valuation"),
        (Method::GET, "/api/v1/assets/1/valuation"),
        (Method::GET, "/api/v1/valuations/1"),
        (Method::POST, "/api/v1/valuations/1/move"),
        (Method::POST, "/api/v1/valuations/1/agreement"),
        (Method::POST, "/api/v1/valuations/1/targeted-answer"),
        (Method::POST, "/api/v1/valuations/1/enquiry"),
        (Method::POST, "/api/v1/valuations/1/platform-answers"),
        (Method::POST, "/api/v1/valuations/1/conclusion"),
        (Method::POST, "/api/v1/valuations/1/appraisal"),
        (Method::POST, "/api/v1/valuations/1/appraisal-report"),
        (Method::POST, "/api/v1/valuations/1/objections"),
        (Method::POST, "/api/v1/valuations/1/objections/1/ruling"),
        (Method::POST, "/api/v1/assets/1/auctions"),
        (Method::GET, "/api/v1/cases/1/auctions"),
        (Method::POST, "/api/v1/auctions/1/deposits"),
        (Method::POST, "/api/v1/auctions/1/preemptive-holders"),
        (Method::POST, "/api/v1/auctions/1/balance"),
        (Method::POST, "/api/v1/auctions/1/default"),
        (Method::GET, "/api/v1/sharing/agreements"),
        (Method::POST, "/api/v1/sharing/agreements"),
        (Method::GET, "/api/v1/sharing/agreements/1"),
        (Method::POST, "/api/v1/sharing/agreements/1/approval"),
        (Method::POST, "/api/v1/sharing/agreements/1/keys"),
        (Method::POST, "/api/v1/sharing/agreements/1/revocation"),
        (Method::GET, "/api/v1/cases/1/credit"),
        (Method::POST, "/api/v1/cases/1/listings"),
        (Method::POST, "/api/v1/cases/1/credit-warnings"),
        (Method::POST, "/api/v1/cases/1/listings/1/extension"),
        (Method::POST, "/api/v1/cases/1/listings/1/removal"),
        (Method::POST, "/api/v1/cases/1/corrections"),
        (Method::POST, "/api/v1/cases/1/corrections/1/decision"),
        (Method::POST, "/api/v1/cases/1/restriction-orders"),
        (Method::POST, "/api/v1/cases/1/restriction-orders/1/lift"),
        (Method::POST, "/api/v1/announcements"),
        (Method::POST, "/api/v1/cases/1/parties/1/access-code"),
        (Method::POST, "/api/v1/assets/1/measures"),
        (Method::GET, "/api/v1/cases/1/measures"),
        (Method::GET, "/api/v1/measures/1"),
        (Method::POST, "/api/v1/measures/1/renewal"),
        (Method::POST, "/api/v1/measures/1/release"),
        (Method::GET, "/api/v1/cases/1/alerts"),
        (Method::GET, "/api/v1/alerts"),
        (Method::GET, "/api/v1/alerts/summary"),
        (Method::GET, "/api/v1/session"),
        (Method::DELETE, "/api/v1/session"),
        (Method::GET, "/api/v1/courts"),
        (Method::GET, "/api/v1/courts/h13"),
        (Method::GET, "/api/v1/courts/h13/children"),
        (Method::GET, "/api/v1/users"),
        (Method::POST, "/api/v1/users"),
        (Method::GET, "/api/v1/rules"),
        (Method::POST, "/api/v1/rules"),
        (Method::GET, "/api/v1/audit/verify"),
        (Method::GET, "/api/v1/events"),
        (Method::GET, "/api/v1/cases/1/account"),
        (Method::POST, "/api/v1/cases/1/account/receipts"),
        (Method::POST, "/api/v1/cases/1/account/payouts"),
        (Method::POST, "/api/v1/cases/1/account/payouts/1/decision"),
        (Method::POST, "/api/v1/cases/1/account/payouts/1/paid"),
        (Method::POST, "/api/v1/cases/1/account/distribution"),
        (Method::POST, "/api/v1/legacy/investigation-requests"),
        (Method::GET, "/api/v1/legacy/investigation-requests/1"),
        (Method::GET, "/api/v1/cases/1/field-investigations"),
        (Method::POST, "/api/v1/cases/1/field-investigations"),
        (Method::GET, "/api/v1/attachments/1"),
        (Method::GET, "/api/v1/cases/1/services"),
        (Method::POST, "/api/v1/cases/1/services"),
        (Method::POST, "/api/v1/cases/1/service-failures"),
        (Method::GET, "/api/v1/service-proofs/1"),
        (Method::POST, "/api/v1/supervisions"),
        (Method::GET, "/api/v1/supervisions"),
        (Method::GET, "/api/v1/supervisions/1"),
        (Method::POST, "/api/v1/supervisions/1/replies"),
        (Method::POST, "/api/v1/supervisions/1/close"),
        (Method::POST, "/api/v1/supervisions/1/return"),
        (Method::GET, "/api/v1/cases/1/reviews"),
        (Method::POST, "/api/v1/cases/1/reviews"),
        (Method::GET, "/api/v1/reviews/1"),
        (Method::POST, "/api/v1/reviews/1/ruling"),
        (Method::POST, "/api/v1/reviews/1/extension"),
        (Method::POST, "/api/v1/reviews/1/security"),
        (Method::POST, "/api/v1/reviews/1/suspension"),
        (Method::POST, "/api/v1/reviews/1/suit"),
        (Method::POST, "/api/v1/cases/1/entrusted-tasks"),
        (Method::GET, "/api/v1/cases/1/entrusted-tasks"),
        (Method::GET, "/api/v1/entrusted-tasks"),
        (Method::GET, "/api/v1/entrusted-tasks/1"),
        (Method::POST, "/api/v1/entrusted-tasks/1/acceptance"),
        (Method::POST, "/api/v1/entrusted-tasks/1/decline"),
        (Method::POST, "/api/v1/entrusted-tasks/1/result"),
        (Method::GET, "/api/v1/entrusted-tasks/1/documents/1"),
    ];
    for (m, path) in routes {
        let body = if m == Method::POST || m == Method::PUT {
            Some(json!({}))
        } else {
            None
        };
        let r = t.req(m.clone(), path, None, body.as_ref()).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{m} {path}");
    }
    // The sharing feed needs no session but an agreement's API key: 401 without one.
    let r = t.get("/api/v1/sharing/feed", None).await;
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "GET /api/v1/sharing/feed"
    );
    // A bid needs the bidder's token from registration: 401 without one.
    let r = t
        .req(
            Method::POST,
            "/api/v1/auctions/1/bids",
            None,
            Some(&json!({"amount_fen": 1})),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "POST /api/v1/auctions/1/bids"
    );
    // Pages send strangers to the login page.
    for path in [
        "/home",
        "/courts",
        "/rules",
        "/users",
        "/account/password",
        "/audit",
        "/admin/clock",
    ] {
        let r = t.get(path, None).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.headers()["location"], "/login");
    }
}

#[tokio::test]
async fn listing_shows_only_what_the_caller_may_read() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("off1", OWN, Role::Officer).await;
    let sup = t.signed_in("sup1", OWN, Role::Supervisor).await;
    let list = |token: String| {
        let t = &t;
        async move {
            let v: serde_json::Value = t
                .get("/api/v1/courts?limit=1000", Some(&token))
                .await
                .json()
                .await
                .unwrap();
            v["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(list(officer.clone()).await, vec![OWN.to_owned()]);
    let seen = list(sup.clone()).await;
    assert!(seen.contains(&OWN.to_owned()) && seen.contains(&CHILD.to_owned()));
    assert!(
        !seen.contains(&SIBLING.to_owned())
            && !seen.contains(&PARENT.to_owned())
            && !seen.contains(&"spc".to_owned())
    );
    assert!(
        seen.iter().all(|id| id == OWN || id.starts_with("b1301")),
        "{seen:?}"
    );

    let kids: serde_json::Value = t
        .get(&format!("/api/v1/courts/{OWN}/children"), Some(&officer))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kids, json!([]), "an officer sees no courts below");
}

fn expect_read_case(role: Role, rel: Rel) -> StatusCode {
    match rel {
        Rel::Own => StatusCode::OK,
        Rel::Child => match role {
            Role::Supervisor | Role::DivisionHead | Role::Auditor => StatusCode::OK,
            Role::Officer | Role::Judge | Role::Administrator | Role::President => {
                StatusCode::NOT_FOUND
            }
        },
        Rel::Sibling | Rel::Parent => StatusCode::NOT_FOUND,
    }
}

/// Acting on a case: handlers of its own court only; readers who may not act get 403, those
/// who may not even read get 404.
fn expect_act_on_case(role: Role, rel: Rel) -> StatusCode {
    match (expect_read_case(role, rel), rel, role) {
        (StatusCode::NOT_FOUND, _, _) => StatusCode::NOT_FOUND,
        (_, Rel::Own, Role::Officer | Role::Judge | Role::DivisionHead) => StatusCode::OK,
        _ => StatusCode::FORBIDDEN,
    }
}

/// The debtor's other cases (关联案件): those who handle the case, and a supervisor or
/// division head at or above its court; other readers are refused (403), the rest do not
/// know of the case (404).
fn expect_related_cases(role: Role, rel: Rel) -> StatusCode {
    match (expect_read_case(role, rel), rel, role) {
        (StatusCode::NOT_FOUND, _, _) => StatusCode::NOT_FOUND,
        (_, Rel::Own, Role::Officer | Role::Judge | Role::DivisionHead | Role::Supervisor) => {
            StatusCode::OK
        }
        (_, Rel::Child, Role::Supervisor | Role::DivisionHead) => StatusCode::OK,
        _ => StatusCode::FORBIDDEN,
    }
}

/// A traditional investigation with one PNG, as multipart/form-data.
fn field_form(on: String) -> reqwest::multipart::Form {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR matrix".to_vec();
    reqwest::multipart::Form::new()
        .text("method", "audit")
        .text("on", on)
        .text("findings", "审计未发现可供执行的财产")
        .part(
            "attachment",
            reqwest::multipart::Part::bytes(png).file_name("a.png"),
        )
}

/// Posting a court announcement: its handlers, and administrators of it or a court above.
fn expect_announce(role: Role, rel: Rel) -> StatusCode {
    match (role, rel) {
        (Role::Officer | Role::Judge | Role::DivisionHead, Rel::Own)
        | (Role::Administrator, Rel::Own | Rel::Child) => StatusCode::CREATED,
        _ => StatusCode::FORBIDDEN,
    }
}

/// What a successful start of an investigation answers, where acting is allowed.
fn created_if_ok(s: StatusCode) -> StatusCode {
    if s == StatusCode::OK {
        StatusCode::CREATED
    } else {
        s
    }
}

#[tokio::test]
async fn case_routes_every_role_every_court_relation() {
    let t = TestApp::spawn().await;
    // One institution on the network, so that starting an investigation gets as far as the
    // authorization check; nothing listens at its endpoint, and nothing here waits for it.
    let spc_admin = t.signed_in("inst-admin", "spc", Role::Administrator).await;
    let key = zhixing_exchange::KeyPair::generate().public_base64();
    let r = t
        .post_json(
            "/api/v1/institutions",
            Some(&spc_admin),
            &json!({"id": "bank-x", "name": "测试银行", "kind": "bank", "measures": "query", "channel": "national",
                    "endpoint": "http://127.0.0.1:9/x", "public_key": key, "concurrency": 1}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // A case at each court, filed by an officer there.
    let mut case_at = std::collections::HashMap::new();
    t.raw_exec(
        "INSERT INTO institutions (id, name, kind, measures, channel, region, endpoint, public_key, concurrency, active, created_at) \
         VALUES ('matrix-bank', '银行', 'bank', 'query,freeze,deduct,renew,release', 'national', '', 'http://127.0.0.1:9/', 'x', 1, TRUE, 0)",
    )
    .await;
    for (i, rel) in [Rel::Own, Rel::Child, Rel::Sibling, Rel::Parent]
        .into_iter()
        .enumerate()
    {
        let court = target(rel);
        let filer = t
            .signed_in(&format!("filer-{court}"), court, Role::Officer)
            .await;
        let body = json!({
            "case_type": "执",
            "parties": [
                {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
            ],
            "basis": {"kind": "judgment", "issuing_body": "某法院", "document_number": format!("民初{i}号"), "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
            "amounts": {"principal": 100000}
        });
        let r = t.post_json("/api/v1/cases", Some(&filer), &body).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let filed = r.json::<serde_json::Value>().await.unwrap();
        let id = filed["id"].as_i64().unwrap();
        let r = t
            .post_json(
                &format!("/api/v1/cases/{id}/investigations"),
                Some(&filer),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let inv = r.json::<serde_json::Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap();
        let number = filed["number"].as_str().unwrap().to_owned();
        let r = t
            .client
            .post(t.url(&format!("/api/v1/cases/{id}/field-investigations")))
            .bearer_auth(&filer)
            .multipart(field_form(t.app.today().to_string()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let att = r.json::<serde_json::Value>().await.unwrap()["attachments"][0]["id"]
            .as_i64()
            .unwrap();
        case_at.insert(court, (id, number, inv, att));
        // An asset found and a measure asked on it, written directly: the matrix is about who
        // may reach them, not how they came to be.
        t.raw_exec(&format!(
            "INSERT INTO assets (id, case_id, court_id, institution_id, kind, reference, description, value_fen, encumbrances, found_by, found_at) \
             VALUES ({id}, {id}, '{court}', 'matrix-bank', 'bank_deposit', 'acct-{id}', '存款', 100000, '[]', 'test', 0)"
        ))
        .await;
        t.raw_exec(&format!(
            "INSERT INTO measures (id, case_id, court_id, asset_id, institution_id, kind, status, amount_fen, request_id, requested_by, requested_at, updated_at) \
             VALUES ({id}, {id}, '{court}', {id}, 'matrix-bank', 'freeze', 'requested', 100, 'req-{id}', 0, 0, 0)"
        ))
        .await;
        // A seized vehicle with a price determination at its first method, likewise.
        let v = 1000 + id;
        t.raw_exec(&format!(
            "INSERT INTO assets (id, case_id, court_id, institution_id, kind, reference, description, value_fen, encumbrances, found_by, found_at) \
             VALUES ({v}, {id}, '{court}', 'matrix-bank', 'vehicle', 'car-{id}', '车辆', 100000, '[]', 'test', 0)"
        ))
        .await;
        t.raw_exec(&format!(
            "INSERT INTO measures (id, case_id, court_id, asset_id, institution_id, kind, status, request_id, requested_by, requested_at, updated_at) \
             VALUES ({v}, {id}, '{court}', {v}, 'matrix-bank', 'seize', 'active', 'req-{v}', 0, 0, 0)"
        ))
        .await;
        let state = format!(
            r#"{{"asset_id":"{v}","seized_on":"2026-01-05","started_on":"2026-01-05","start_due":"2026-02-04","method":"agreement","moves":[],"enquiry":null,"appraisal":null,"result":null,"objection":{{"status":"none"}}}}"#
        );
        t.raw_exec(&format!(
            "INSERT INTO valuations (id, case_id, asset_id, court_id, measure_id, status, method, state, version, created_by, created_at, updated_at) \
             VALUES ({id}, {id}, {v}, '{court}', {v}, 'in_progress', 'agreement', '{state}', 1, 0, 0, 0)"
        ))
        .await;
    }
    let mut checked = 0;
    for role in Role::ALL {
        let name = format!("c-{}", role.as_str().replace('_', "-"));
        let token = t.signed_in(&name, OWN, role).await;
        let tok = Some(token.as_str());
        for rel in [Rel::Own, Rel::Child, Rel::Sibling, Rel::Parent] {
            let court = target(rel);
            let (id, number, inv, att) = &case_at[court];
            let read = expect_read_case(role, rel);
            for path in [
                format!("/api/v1/cases/{id}"),
                format!("/api/v1/cases/{id}/timeline"),
                format!("/api/v1/cases/{id}/closure-checklist?mode=zhongben"),
                format!("/cases/{id}"),
                format!("/api/v1/cases/{id}/measures"),
                format!("/api/v1/cases/{id}/alerts"),
                format!("/api/v1/measures/{id}"),
                format!("/api/v1/cases/{id}/investigations/{inv}"),
                format!("/api/v1/legacy/investigation-requests/{inv}"),
                format!("/api/v1/cases/{id}/field-investigations"),
                format!("/api/v1/attachments/{att}"),
                format!("/api/v1/cases/{id}/services"),
                format!("/api/v1/cases/{id}/credit"),
                format!("/api/v1/valuations/{id}"),
                format!("/api/v1/assets/{}/valuation", 1000 + id),
            ] {
                let r = t.get(&path, tok).await;
                assert_eq!(r.status(), read, "{role:?} GET {path} ({rel:?})");
                checked += 1;
            }
            let list = t.get(&format!("/api/v1/cases?court={court}"), tok).await;
            assert_eq!(list.status(), read, "{role:?} list at {rel:?}");
            let act = expect_act_on_case(role, rel);
            let r = t
                .get(&format!("/api/v1/cases/{id}/parties/2/identifier"), tok)
                .await;
            assert_eq!(r.status(), act, "{role:?} reveals an ID number at {rel:?}");
            let r = t
                .get(&format!("/api/v1/cases/{id}/parties/2/related-cases"), tok)
                .await;
            assert_eq!(
                r.status(),
                expect_related_cases(role, rel),
                "{role:?} sees the debtor's other cases at {rel:?}"
            );
            let r = t
                .get(&format!("/api/v1/cases/{id}/related-parties"), tok)
                .await;
            assert_eq!(
                r.status(),
                expect_related_cases(role, rel),
                "{role:?} sees the web of related parties at {rel:?}"
            );
            let r = t
                .post_json(
                    &format!("/api/v1/cases/{id}/parties/1/access-code"),
                    tok,
                    &json!({}),
                )
                .await;
            assert_eq!(
                r.status(),
                created_if_ok(act),
                "{role:?} issues an access code at {rel:?}"
            );
            let r = t
                .post_json(
                    "/api/v1/announcements",
                    tok,
                    &json!({"court_id": court, "title": "公告", "body": "正文"}),
                )
                .await;
            assert_eq!(
                r.status(),
                expect_announce(role, rel),
                "{role:?} announces at {rel:?}"
            );
            let r = t
                .post_json(
                    &format!("/api/v1/cases/{id}/clues"),
                    tok,
                    &json!({"description": format!("线索 {role:?}")}),
                )
                .await;
            assert_eq!(r.status(), act, "{role:?} acts on a case at {rel:?}");
            // Measures: a handler gets the domain's answer (no amount: 422; a measure not yet
            // in effect cannot be released: 409); everyone else 403 or 404 as for the case.
            let r = t
                .post_json(
                    &format!("/api/v1/assets/{id}/measures"),
                    tok,
                    &json!({"kind": "freeze"}),
                )
                .await;
            let want = if act == StatusCode::OK {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                act
            };
            assert_eq!(r.status(), want, "{role:?} asks a measure at {rel:?}");
            let r = t
                .post_json(
                    &format!("/api/v1/measures/{id}/release"),
                    tok,
                    &json!({"reason": "x"}),
                )
                .await;
            let want = if act == StatusCode::OK {
                StatusCode::CONFLICT
            } else {
                act
            };
            assert_eq!(r.status(), want, "{role:?} releases a measure at {rel:?}");
            let r = t
                .post_json(
                    &format!("/api/v1/cases/{id}/investigations"),
                    tok,
                    &json!({}),
                )
                .await;
            assert_eq!(
                r.status(),
                created_if_ok(act),
                "{role:?} starts an investigation at {rel:?}"
            );
            let r = t
                .client
                .post(t.url("/api/v1/legacy/investigation-requests"))
                .bearer_auth(&token)
                .header("content-type", "application/xml")
                .body(format!(
                    "<CKQQ version=\"1.0\"><AH>{number}</AH><QQLX>CX</QQLX></CKQQ>"
                ))
                .send()
                .await
                .unwrap();
            assert_eq!(
                r.status(),
                created_if_ok(act),
                "{role:?} starts an investigation in legacy XML at {rel:?}"
            );
            // Traditional investigation: recorded by the case's handlers only.
            let r = t
                .client
                .post(t.url(&format!("/api/v1/cases/{id}/field-investigations")))
                .bearer_auth(&token)
                .multipart(field_form(t.app.today().to_string()))
                .send()
                .await
                .unwrap();
            assert_eq!(
                r.status(),
                created_if_ok(act),
                "{role:?} records a field investigation at {rel:?}"
            );
            checked += 8;

            // Service of documents: recorded by the case's handlers only, who get the domain's
            // answer for a document the case does not have (422).
            let domain_or = |act: StatusCode| {
                if act == StatusCode::OK {
                    StatusCode::UNPROCESSABLE_ENTITY
                } else {
                    act
                }
            };
            let r = t
                .post_json(
                    &format!("/api/v1/cases/{id}/service-failures"),
                    tok,
                    &json!({"document_id": 999_999, "party_no": 2, "method": "post",
                            "reason": "means_failed", "note": "邮件被退回"}),
                )
                .await;
            assert_eq!(
                r.status(),
                domain_or(act),
                "{role:?} records a failed service at {rel:?}"
            );
            let form = reqwest::multipart::Form::new()
                .text("document_id", "999999")
                .text("party_no", "2")
                .text("method", "direct")
                .text("on", t.app.today().to_string())
                .part(
                    "proof",
                    reqwest::multipart::Part::bytes(zhixing_testkit::signed_return())
                        .file_name("r.pdf"),
                );
            let r = t
                .client
                .post(t.url(&format!("/api/v1/cases/{id}/services")))
                .bearer_auth(&token)
                .multipart(form)
                .send()
                .await
                .unwrap();
            assert_eq!(
                r.status(),
                domain_or(act),
                "{role:?} records a service at {rel:?}"
            );
            checked += 2;

            // Extension of the time to conclude: asked by the case's handlers (who get the
            // domain's answer to 0 months: 422), decided by the president of the case's court
            // only (nothing is pending: 409).
            let r = t
                .post_json(
                    &format!("/api/v1/cases/{id}/extension"),
                    tok,
                    &json!({"months": 0, "reason": "财产尚待变价"}),
                )
                .await;
            let want = if act == StatusCode::OK {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                act
            };
            assert_eq!(r.status(), want, "{role:?} asks an extension at {rel:?}");
            let r = t
                .post_json(
                    &format!("/api/v1/cases/{id}/extension/decision"),
                    tok,
                    &json!({"approve": true}),
                )
                .await;
            let want = match (read, role, rel) {
                (StatusCode::NOT_FOUND, _, _) => StatusCode::NOT_FOUND,
                (_, Role::President, Rel::Own) => StatusCode::CONFLICT,
                _ => StatusCode::FORBIDDEN,
            };
            assert_eq!(r.status(), want, "{role:?} decides an extension at {rel:?}");
            checked += 2;

            // Credit discipline: commands for the case's handlers. A handler gets the domain's
            // answer (no listing 1 yet: 422; no order 1: 422; no such party: 422).
            let dom = |ok: StatusCode| if act == StatusCode::OK { ok } else { act };
            for (path, body) in [
                (
                    format!("/api/v1/cases/{id}/listings"),
                    json!({"party_no": 9, "grounds": [2], "facts": "抗拒执行情节"}),
                ),
                (
                    format!("/api/v1/cases/{id}/listings/1/extension"),
                    json!({"years": 1, "reason": "情节严重的"}),
                ),
                (
                    format!("/api/v1/cases/{id}/listings/1/removal"),
                    json!({"trigger": "early_decision", "reason": "提前删除的"}),
                ),
                (
                    format!("/api/v1/cases/{id}/corrections"),
                    json!({"listing_no": 1, "reason": "名单有误的"}),
                ),
                (
                    format!("/api/v1/cases/{id}/corrections/1/decision"),
                    json!({"accepted": false, "reason": "理由不成立"}),
                ),
                (
                    format!("/api/v1/cases/{id}/restriction-orders"),
                    json!({"party_no": 9, "reason": "限制消费的"}),
                ),
                (
                    format!("/api/v1/cases/{id}/restriction-orders/1/lift"),
                    json!({"reason": "已经履行的"}),
                ),
                (
                    format!("/api/v1/cases/{id}/credit-warnings"),
                    json!({"party_no": 9, "grace_days": 10}),
                ),
            ] {
                let r = t.post_json(&path, tok, &body).await;
                assert_eq!(
                    r.status(),
                    dom(StatusCode::UNPROCESSABLE_ENTITY),
                    "{role:?} POST {path} ({rel:?})"
                );
            }
            checked += 8;

            // Reference price: commands for the case's handlers, who get the domain's answer
            // (the deposit is not seized: 409; the determination is at the parties' agreement,
            // so every later step is out of order: 409; a zero price: 422; no objection: 404).
            let valuation = |rest: &str| format!("/api/v1/valuations/{id}{rest}");
            for (path, body, ok) in [
                (
                    format!("/api/v1/assets/{id}/valuation"),
                    json!({}),
                    StatusCode::CONFLICT,
                ),
                (
                    valuation("/move"),
                    json!({"to": "appraisal", "reason": "failed"}),
                    StatusCode::CONFLICT,
                ),
                (
                    valuation("/agreement"),
                    json!({"price_fen": 0}),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                (
                    valuation("/targeted-answer"),
                    json!({"agency": "税务局", "price_fen": 1}),
                    StatusCode::CONFLICT,
                ),
                (
                    valuation("/enquiry"),
                    json!({"platforms": ["甲"]}),
                    StatusCode::CONFLICT,
                ),
                (
                    valuation("/platform-answers"),
                    json!({"platform": "甲", "price_fen": 1}),
                    StatusCode::CONFLICT,
                ),
                (valuation("/conclusion"), json!({}), StatusCode::CONFLICT),
                (
                    valuation("/appraisal"),
                    json!({"appraiser": "某评估公司"}),
                    StatusCode::CONFLICT,
                ),
                (
                    valuation("/appraisal-report"),
                    json!({"price_fen": 1}),
                    StatusCode::CONFLICT,
                ),
                (
                    valuation("/objections"),
                    json!({"by": "李四"}),
                    StatusCode::CONFLICT,
                ),
                (
                    valuation("/objections/1/ruling"),
                    json!({}),
                    StatusCode::NOT_FOUND,
                ),
            ] {
                let r = t.post_json(&path, tok, &body).await;
                assert_eq!(r.status(), dom(ok), "{role:?} POST {path} ({rel:?})");
            }
            checked += 11;

            // The case account: read like the case, booked and paid by its handlers, payouts
            // decided by the division head only.
            let account = |rest: &str| format!("/api/v1/cases/{id}/account{rest}");
            let created = if act == StatusCode::OK {
                StatusCode::CREATED
            } else {
                act
            };
            let r = t.get(&account(""), tok).await;
            assert_eq!(r.status(), read, "{role:?} reads the account at {rel:?}");
            let r = t
                .post_json(
                    &account("/receipts"),
                    tok,
                    &json!({"amount_fen": 1000, "reference": format!("M-{role:?}")}),
                )
                .await;
            assert_eq!(r.status(), created, "{role:?} books a receipt at {rel:?}");
            let r = t
                .post_json(
                    &account("/payouts"),
                    tok,
                    &json!({"party_no": 1, "amount_fen": 1}),
                )
                .await;
            assert_eq!(r.status(), created, "{role:?} proposes a payout at {rel:?}");
            let r = t
                .post_json(
                    &account("/distribution"),
                    tok,
                    &json!({"claims": [{"party_no": 1, "amount_fen": 1, "rank": "ordinary"}]}),
                )
                .await;
            assert_eq!(r.status(), created, "{role:?} distributes at {rel:?}");
            // Payout 1 of the own case was proposed by the officer, who comes first.
            let r = t
                .post_json(
                    &account("/payouts/1/decision"),
                    tok,
                    &json!({"approve": true}),
                )
                .await;
            let decide = match (act, role) {
                (StatusCode::OK, Role::DivisionHead) => StatusCode::OK,
                (StatusCode::OK, _) => StatusCode::FORBIDDEN,
                (other, _) => other,
            };
            assert_eq!(r.status(), decide, "{role:?} decides a payout at {rel:?}");
            // Payout 2 is the officer's distribution share, never approved: not transferable.
            let r = t
                .post_json(
                    &account("/payouts/2/paid"),
                    tok,
                    &json!({"transfer_reference": "T"}),
                )
                .await;
            let pay = if act == StatusCode::OK {
                StatusCode::CONFLICT
            } else {
                act
            };
            assert_eq!(r.status(), pay, "{role:?} records a transfer at {rel:?}");
            checked += 6;
        }
        let filing = json!({"case_type": "执", "parties": [], "basis": {"kind": "judgment", "issuing_body": "x", "document_number": "y", "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"}});
        let r = t.post_json("/api/v1/cases", tok, &filing).await;
        let want = if matches!(role, Role::Officer | Role::Judge | Role::DivisionHead) {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(r.status(), want, "{role:?} files");
        checked += 1;
    }
    assert_eq!(checked, Role::ALL.len() * (4 * 52 + 1));
}

/// Seeing data-sharing agreements: administrators, division heads and auditors of the
/// agreement's court or above; everyone else 404 (or 403 for the list as a whole).
fn expect_read_agreement(role: Role, rel: Rel) -> StatusCode {
    match (role, rel) {
        (Role::Administrator | Role::DivisionHead | Role::Auditor, Rel::Own | Rel::Child) => {
            StatusCode::OK
        }
        _ => StatusCode::NOT_FOUND,
    }
}

/// An action on a visible agreement allowed to `allowed` roles only: 403 for the others.
fn expect_on_agreement(role: Role, rel: Rel, allowed: &[Role], ok: StatusCode) -> StatusCode {
    match expect_read_agreement(role, rel) {
        StatusCode::OK if allowed.contains(&role) => ok,
        StatusCode::OK => StatusCode::FORBIDDEN,
        other => other,
    }
}

#[tokio::test]
async fn sharing_routes_every_role_every_court_relation() {
    let t = TestApp::spawn().await;
    // Agreements at each court, drafted by the national administrator (so that nobody in the
    // matrix is their drafter): one to approve and key, one to revoke.
    let spc = t.signed_in("spc-admin", "spc", Role::Administrator).await;
    let today = t.app.today().to_string();
    let mut at = std::collections::HashMap::new();
    for rel in [Rel::Own, Rel::Child, Rel::Sibling, Rel::Parent] {
        let court = target(rel);
        let mut ids = Vec::new();
        for _ in 0..2 {
            let r = t
                .post_json(
                    "/api/v1/sharing/agreements",
                    Some(&spc),
                    &json!({"agency_name": "民航局", "agency_code": "CAAC", "court_id": court, "fields": ["name"],
                            "legal_basis": "合作备忘录", "valid_from": today, "valid_to": "2099-12-31"}),
                )
                .await;
            assert_eq!(r.status(), StatusCode::CREATED);
            ids.push(
                r.json::<serde_json::Value>().await.unwrap()["id"]
                    .as_i64()
                    .unwrap(),
            );
        }
        at.insert(court, (ids[0], ids[1]));
    }
    let mut checked = 0;
    // Role::ALL puts the division head (who approves and revokes first) before the
    // administrator (who then issues a key, or finds the agreement already revoked).
    for role in Role::ALL {
        let name = format!("s-{}", role.as_str().replace('_', "-"));
        let token = t.signed_in(&name, OWN, role).await;
        let tok = Some(token.as_str());
        let r = t.get("/api/v1/sharing/agreements", tok).await;
        let want = if matches!(
            role,
            Role::Administrator | Role::DivisionHead | Role::Auditor
        ) {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(r.status(), want, "{role:?} lists agreements");
        checked += 1;
        for rel in [Rel::Own, Rel::Child, Rel::Sibling, Rel::Parent] {
            let court = target(rel);
            let (id, rid) = at[court];
            let r = t
                .get(&format!("/api/v1/sharing/agreements/{id}"), tok)
                .await;
            assert_eq!(
                r.status(),
                expect_read_agreement(role, rel),
                "{role:?} reads an agreement at {rel:?}"
            );
            let r = t
                .post_json(
                    "/api/v1/sharing/agreements",
                    tok,
                    &json!({"agency_name": "铁路总公司", "agency_code": "RAIL", "court_id": court, "fields": ["name"],
                            "legal_basis": "合作备忘录", "valid_from": today, "valid_to": "2099-12-31"}),
                )
                .await;
            assert_eq!(
                r.status(),
                expect_create_user(role, rel),
                "{role:?} drafts an agreement at {rel:?}"
            );
            let r = t
                .post_json(
                    &format!("/api/v1/sharing/agreements/{id}/approval"),
                    tok,
                    &json!({}),
                )
                .await;
            assert_eq!(
                r.status(),
                expect_on_agreement(role, rel, &[Role::DivisionHead], StatusCode::OK),
                "{role:?} approves an agreement at {rel:?}"
            );
            let r = t
                .post_json(
                    &format!("/api/v1/sharing/agreements/{id}/keys"),
                    tok,
                    &json!({}),
                )
                .await;
            assert_eq!(
                r.status(),
                expect_on_agreement(role, rel, &[Role::Administrator], StatusCode::CREATED),
                "{role:?} issues a key at {rel:?}"
            );
            let r = t
                .post_json(
                    &format!("/api/v1/sharing/agreements/{rid}/revocation"),
                    tok,
                    &json!({"reason": "撤销"}),
                )
                .await;
            let revoked = if role == Role::DivisionHead {
                StatusCode::OK
            } else {
                StatusCode::CONFLICT
            };
            assert_eq!(
                r.status(),
                expect_on_agreement(
                    role,
                    rel,
                    &[Role::DivisionHead, Role::Administrator],
                    revoked
                ),
                "{role:?} revokes an agreement at {rel:?}"
            );
            checked += 5;
        }
    }
    assert_eq!(checked, Role::ALL.len() * (1 + 4 * 5));
}

/// The party's online submissions are public routes: no session is asked for (never 401);
/// the case number and the party's access code are the credential (403 `access_denied`
/// without them, whoever is signed in).
#[tokio::test]
async fn party_submission_routes_are_public_and_take_the_access_code() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("off1", OWN, Role::Officer).await;
    let routes = [
        (
            "/public/v1/party-clues",
            json!({"case_number": "(2026)京0105执1号", "code": "WRONG", "description": "线索"}),
        ),
        (
            "/public/v1/party-complaints",
            json!({"case_number": "(2026)京0105执2号", "code": "WRONG", "summary": "信访"}),
        ),
        (
            "/public/v1/party-receipts",
            json!({"case_number": "(2026)京0105执3号", "code": "WRONG", "receipt": "AAAAAAAAAAAA"}),
        ),
    ];
    for (path, body) in routes {
        for token in [None, Some(officer.as_str())] {
            let r = t.post_json(path, token, &body).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path} {token:?}");
            let p: serde_json::Value = r.json().await.unwrap();
            assert_eq!(p["code"], "access_denied", "{path}");
        }
    }
}
