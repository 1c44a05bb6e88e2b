//! Security headers on every answer (one layer), and pages that a strict Content-Security-
//! Policy does not break: no inline script, no event-handler attribute.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use zhixing_domain::access::Role;
use zhixing_server::headers::CONTENT_SECURITY_POLICY;
use zhixing_testkit::{TestApp, test_config};

fn assert_secure(h: &HeaderMap, what: &str) {
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["referrer-policy"], "same-origin", "{what}");
}

#[tokio::test]
async fn every_kind_of_answer_carries_the_security_headers() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("officer1", "b110105", Role::Officer).await;
    let cookie = t.page_login("officer1").await;
    let answers = [
        (
            "an API answer",
            t.get("/api/v1/session", Some(&token)).await,
        ),
        ("an API refusal", t.get("/api/v1/session", None).await),
        (
            "a public answer",
            t.get("/public/v1/announcements", None).await,
        ),
        ("an unknown address", t.get("/no/such/page", None).await),
        ("the login page", t.get("/login", None).await),
        ("a static file", t.get("/static/app.css", None).await),
        ("health", t.get("/healthz", None).await),
    ];
    for (what, r) in &answers {
        assert_secure(r.headers(), what);
    }
    // Personal data by default: nothing is kept by caches unless the route says otherwise.
    for (what, r) in &answers[..5] {
        assert_eq!(r.headers()["cache-control"], "no-store", "{what}");
        assert_eq!(
            r.headers()["content-security-policy"],
            CONTENT_SECURITY_POLICY,
            "{what}"
        );
    }
    assert_eq!(
        answers[5].1.headers()["cache-control"],
        "public, max-age=3600"
    );
    assert_eq!(answers[1].1.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(answers[3].1.status(), StatusCode::NOT_FOUND);
    // A signed-in page too; and no HSTS while the cookies are not marked Secure.
    let r = t
        .client
        .get(t.url("/home"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_secure(r.headers(), "a signed-in page");
    assert!(r.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn hsts_is_sent_once_the_cookies_are_secure() {
    let mut config = test_config();
    config.secure_cookies = true;
    let t = TestApp::spawn_with(config).await;
    let r = t.get("/login", None).await;
    assert_secure(r.headers(), "the login page");
    assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000");
}

/// Every `<script>` of a page loads a file of this origin or is inert JSON data, and no
/// element carries an inline event handler: what the policy's `script-src 'self'` requires.
fn assert_no_inline_script(page: &str, what: &str) {
    let scripts = regex::Regex::new(r"<script([^>]*)>").unwrap();
    for s in scripts.captures_iter(page) {
        let attrs = &s[1];
        assert!(
            attrs.contains("src=\"/") || attrs.contains("type=\"application/json\""),
            "{what}: inline script <script{attrs}>"
        );
    }
    let handlers = regex::Regex::new(r#"\son[a-z]+\s*=\s*""#).unwrap();
    assert!(
        !handlers.is_match(page),
        "{what}: an inline event handler: {:?}",
        handlers.find(page).map(|m| m.as_str())
    );
    assert!(!page.contains("<style"), "{what}: an inline style element");
    assert!(
        !page.contains(" style=\""),
        "{what}: an inline style attribute"
    );
}

#[tokio::test]
async fn pages_have_no_inline_script_or_style() {
    let t = TestApp::spawn().await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    t.user("watch1", "b110105", &[Role::Supervisor]).await;
    let officer = t.page_login("officer1").await;
    let supervisor = t.page_login("watch1").await;
    // The acceptance page (with its print button) of a case filed through the form.
    let form = [
        ("case_type", "执"),
        ("applicant_kind", "person"),
        ("applicant_name", "张三"),
        ("applicant_id", "11010519491231002X"),
        ("respondent_kind", "person"),
        ("respondent_name", "李四"),
        ("respondent_id", "110101199003074514"),
        ("basis_kind", "judgment"),
        ("issuing_body", "北京市朝阳区人民法院"),
        ("document_number", "(2026)京0105民初77号"),
        ("effective_date", "2026-01-05"),
        ("performance_deadline", "2026-01-20"),
        ("principal", "1000"),
    ];
    let (status, _, accepted) = t.form("/cases/new", &officer, &form).await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert!(accepted.contains("data-print"), "{accepted}");
    assert_no_inline_script(&accepted, "the acceptance page");
    for (path, cookie) in [
        ("/home", &officer),
        ("/cases", &officer),
        ("/cases/1", &officer),
        ("/cases/new", &officer),
        ("/command", &supervisor),
    ] {
        let (status, page) = t.html(path, cookie).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_no_inline_script(&page, path);
    }
    for path in ["/login", "/public", "/public/auctions", "/public/case"] {
        let r = t.get(path, None).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let page = r.text().await.unwrap();
        assert_no_inline_script(&page, path);
    }
}
