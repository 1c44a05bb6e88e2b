//! Layout and accessibility in a real browser (Debian's headless Chromium over WebDriver):
//! axe-core (vendored in tests/vendor, for the tests only) on every page family, staff and
//! public, failing on any serious or critical violation; each role's home page at 1440 and
//! 390 px with nothing past the viewport's right edge; every control with a visible label;
//! the public pages with no request leaving the binary; the case page and a document in
//! print. Runs when chromedriver is installed; `ZHIXING_REQUIRE_BROWSER=1` (set by CI) makes
//! a missing browser a failure instead of a skip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/browser.rs"]
mod support;

use std::time::Duration;

use fantoccini::Locator;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;
use zhixing_testkit::sim::{register_all, sim, wait_until_answered};

/// axe-core 4.14.1, MPL-2.0 (tests/vendor/README.md).
const AXE: &str = include_str!("vendor/axe.min.js");

/// A browser at the desktop width the screenshots are taken at.
async fn start_browser() -> Option<(support::Driver, fantoccini::Client, tempfile::TempDir)> {
    support::start_browser_sized(1440, 900).await
}

/// Signs in through the login form, afresh, and waits for the home page.
async fn sign_in(b: &fantoccini::Client, t: &TestApp, user: &str) {
    b.delete_all_cookies().await.unwrap();
    support::sign_in(b, t, user).await;
}

/// Opens `path` and waits for its main content.
async fn open(b: &fantoccini::Client, t: &TestApp, path: &str) {
    b.goto(&t.url(path)).await.unwrap();
    b.wait().for_element(Locator::Css("body")).await.unwrap();
}

/// The page's serious and critical axe-core violations, each as its rule id, what it asks and
/// the nodes that break it.
async fn axe_violations(b: &fantoccini::Client) -> Vec<String> {
    // WebDriver runs the script as a function body, outside the page's Content-Security-Policy.
    let loaded = b
        .execute(&format!("{AXE}\n;return typeof window.axe;"), vec![])
        .await
        .unwrap();
    assert_eq!(loaded, "object", "axe-core loaded");
    let found = b
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, {resultTypes: ['violations']}).then(r => done(
                 [r.passes.length + ' rules passed; minor or moderate: ' + r.violations.filter(v => v.impact !== 'serious' && v.impact !== 'critical').map(v => v.id).join(',')].concat(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                   .map(v => v.id + ' [' + v.impact + '] ' + v.help + ': '
                     + v.nodes.slice(0, 6).map(n => n.target.join(' ') + ' — '
                       + (n.failureSummary || '').replace(/\s+/g, ' ')).join(' | ')))
               )).catch(e => done(['axe failed: ' + e]));"#,
            vec![],
        )
        .await
        .unwrap();
    let mut found: Vec<String> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect();
    let url = b.current_url().await.unwrap();
    eprintln!("axe on {}: {}", url.path(), found.remove(0));
    found
}

/// Elements past the viewport's right edge that no scrolling box of their own contains, and
/// the page's width against the window's.
const OVERFLOW_JS: &str = r#"
const w = window.innerWidth;
const clipped = e => {
  for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    const s = getComputedStyle(p);
    if (s.overflowX !== 'visible' && p.getBoundingClientRect().right <= w + 1) return true;
  }
  return false;
};
const wide = Array.from(document.querySelectorAll('body *')).filter(e => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.right > w + 1 && !clipped(e);
}).slice(0, 15).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
  + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '')
  + ' right=' + Math.round(e.getBoundingClientRect().right));
return [w, document.documentElement.scrollWidth, wide];
"#;

/// Fails if anything on the page reaches past the viewport's right edge.
async fn assert_fits(b: &fantoccini::Client, what: &str) {
    let v = b.execute(OVERFLOW_JS, vec![]).await.unwrap();
    let (inner, scroll) = (v[0].as_i64().unwrap(), v[1].as_i64().unwrap());
    let wide: Vec<&str> = v[2]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    assert!(
        scroll <= inner && wide.is_empty(),
        "{what} at {inner} px reaches past the viewport (page {scroll} px wide): {wide:?}"
    );
}

/// Headline figures (`.figure`, `.big`) that overlap each other or overflow their own box.
const OVERLAP_JS: &str = r#"
const boxes = Array.from(document.querySelectorAll('.figure, .auction-live > div'));
const bad = [];
boxes.forEach(e => {
  if (e.scrollWidth > e.clientWidth + 1) bad.push((e.id || e.textContent.trim().slice(0, 30)) + ' overflows its box');
});
for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
  const a = boxes[i].getBoundingClientRect(), b = boxes[j].getBoundingClientRect();
  if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
    bad.push(boxes[i].textContent.trim().slice(0, 30) + ' overlaps ' + boxes[j].textContent.trim().slice(0, 30));
}
return bad;
"#;

/// Form controls a person sees without a label they can read: a placeholder vanishes as one
/// types and is no label.
const UNLABELLED_JS: &str = r#"
const seen = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
const text = e => (e.innerText || e.textContent || '').trim();
const own = l => { const c = l.cloneNode(true); c.querySelectorAll('input, select, textarea, button').forEach(x => x.remove()); return (c.textContent || '').trim(); };
return Array.from(document.querySelectorAll('input, select, textarea')).filter(e => {
  if (['hidden', 'submit', 'button', 'reset', 'image'].includes(e.type) || !seen(e)) return false;
  if (Array.from(e.labels || []).some(l => seen(l) && own(l).length > 0)) return false;
  const by = e.getAttribute('aria-labelledby');
  if (by && by.split(/\s+/).some(id => { const l = document.getElementById(id); return l && seen(l) && text(l); })) return false;
  return true;
}).slice(0, 12).map(e => e.tagName.toLowerCase() + '[name=' + e.name + ']' + (e.placeholder ? ' placeholder=' + e.placeholder : ''));
"#;

/// Every check a page must pass, at the window's current width: axe-core, nothing past the
/// right edge, no overlapping figures, every control labelled. Returns what failed.
async fn check_page(b: &fantoccini::Client, what: &str) -> Vec<String> {
    let mut failed = Vec::new();
    for v in axe_violations(b).await {
        failed.push(format!("{what}: axe {v}"));
    }
    let v = b.execute(OVERFLOW_JS, vec![]).await.unwrap();
    let (inner, scroll) = (v[0].as_i64().unwrap(), v[1].as_i64().unwrap());
    if scroll > inner || !v[2].as_array().unwrap().is_empty() {
        failed.push(format!(
            "{what}: at {inner} px the page is {scroll} px wide: {}",
            v[2]
        ));
    }
    let bad = b.execute(OVERLAP_JS, vec![]).await.unwrap();
    if bad != json!([]) {
        failed.push(format!("{what}: figures overlap: {bad}"));
    }
    let unlabelled = b.execute(UNLABELLED_JS, vec![]).await.unwrap();
    if unlabelled != json!([]) {
        failed.push(format!(
            "{what}: controls without a visible label: {unlabelled}"
        ));
    }
    failed
}

/// Every page of a family at 1440 px, then at 390 px.
async fn check_pages(b: &fantoccini::Client, t: &TestApp, paths: &[String]) -> Vec<String> {
    let mut failed = Vec::new();
    for (w, h) in [(1440, 900), (390, 844)] {
        b.set_window_size(w, h).await.unwrap();
        for path in paths {
            open(b, t, path).await;
            // axe at one width is enough; the layout at both.
            if w == 1440 {
                failed.extend(check_page(b, path).await);
            } else {
                let v = b.execute(OVERFLOW_JS, vec![]).await.unwrap();
                let (inner, scroll) = (v[0].as_i64().unwrap(), v[1].as_i64().unwrap());
                if scroll > inner || !v[2].as_array().unwrap().is_empty() {
                    failed.push(format!(
                        "{path}: at {inner} px the page is {scroll} px wide: {}",
                        v[2]
                    ));
                }
                let bad = b.execute(OVERLAP_JS, vec![]).await.unwrap();
                if bad != json!([]) {
                    failed.push(format!("{path} at {inner} px: figures overlap: {bad}"));
                }
            }
        }
    }
    failed
}

fn screenshot_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("layout");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn post(t: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let r = t.post_json(path, Some(token), &body).await;
    let status = r.status();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{path}: {status} {v}");
    v
}

async fn file(t: &TestApp, token: &str, doc: &str, principal: i64) -> Value {
    post(
        t,
        token,
        "/api/v1/cases",
        json!({
            "case_type": "执",
            "parties": [
                {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
            ],
            "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                      "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
            "amounts": {"principal": principal}
        }),
    )
    .await
}

/// A case with what a case page shows at its fullest: an investigation answered, a freeze in
/// force, the debtor listed (with its restriction order), money received and a payout
/// proposed. Returns the filing's answer.
async fn busy_case(t: &TestApp, officer: &str) -> Value {
    // Sums in the hundreds of millions of yuan: the command centre's money figures are at
    // their widest (they ran into each other at 1440 px).
    let filed = file(t, officer, "(2026)京0105民初51号", 123_456_789_012).await;
    let case = filed["id"].as_i64().unwrap();
    let inv = post(
        t,
        officer,
        &format!("/api/v1/cases/{case}/investigations"),
        json!({}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    wait_until_answered(t, officer, case, inv, Duration::from_secs(60)).await;
    let assets = t
        .get_value(&format!("/api/v1/cases/{case}/assets"), Some(officer))
        .await;
    let deposit = assets
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["kind"] == "bank_deposit"
                && a["encumbrances"] == "[]"
                && a["value_fen"].as_i64().unwrap_or(0) > 10_000
        })
        .unwrap_or_else(|| panic!("a free deposit: {assets}"))
        .clone();
    post(
        t,
        officer,
        &format!("/api/v1/assets/{}/measures", deposit["id"]),
        json!({"kind": "freeze", "amount_fen": 10_000}),
    )
    .await;
    post(
        t,
        officer,
        &format!("/api/v1/cases/{case}/listings"),
        json!({"party_no": 2, "grounds": [2], "facts": "以威胁方法阻碍执行人员执行职务"}),
    )
    .await;
    post(
        t,
        officer,
        &format!("/api/v1/cases/{case}/account/receipts"),
        json!({"amount_fen": 98_765_432_101_i64, "reference": "BANK-LAYOUT-1"}),
    )
    .await;
    post(
        t,
        officer,
        &format!("/api/v1/cases/{case}/account/payouts"),
        json!({"party_no": 1, "amount_fen": 5_000_000, "note": "发放案款"}),
    )
    .await;
    filed
}

#[tokio::test]
async fn each_roles_home_page_passes_axe_and_fits_1440_and_390_px() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    let officer = t.signed_in("lay-officer", "b110105", Role::Officer).await;
    // Work in every queue: a case of the officer's own, its payout awaiting the head.
    let filed = busy_case_light(&t, &officer).await;
    let case = filed["id"].as_i64().unwrap();
    post(
        &t,
        &officer,
        &format!("/api/v1/cases/{case}/account/payouts"),
        json!({"party_no": 1, "amount_fen": 1_000, "note": "发放案款"}),
    )
    .await;
    t.user("lay-head", "b110105", &[Role::DivisionHead]).await;
    t.user("lay-sup", "h13", &[Role::Supervisor]).await;
    t.user("lay-auditor", "b110105", &[Role::Auditor]).await;
    t.user("lay-admin", "b110105", &[Role::Administrator]).await;

    let dir = screenshot_dir();
    let mut failed = Vec::new();
    for user in [
        "lay-officer",
        "lay-head",
        "lay-sup",
        "lay-auditor",
        "lay-admin",
    ] {
        b.set_window_size(1440, 900).await.unwrap();
        sign_in(&b, &t, user).await;
        for (w, h) in [(1440, 900), (390, 844)] {
            b.set_window_size(w, h).await.unwrap();
            open(&b, &t, "/home").await;
            let png = b.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("home-{user}-{w}.png")), &png).unwrap();
            if w == 1440 {
                failed.extend(check_page(&b, &format!("{user} /home")).await);
            }
            let v = b.execute(OVERFLOW_JS, vec![]).await.unwrap();
            let (inner, scroll) = (v[0].as_i64().unwrap(), v[1].as_i64().unwrap());
            assert!(inner <= w as i64, "the window is {w} px wide: {inner}");
            if scroll > inner || !v[2].as_array().unwrap().is_empty() {
                failed.push(format!(
                    "{user} /home at {inner} px is {scroll} px wide: {}",
                    v[2]
                ));
            }
        }
        // At 390 px the navigation folds into a menu that opens and shows every link.
        let menu = b.find(Locator::Css("header.top label.menu-button")).await;
        let menu = menu.unwrap_or_else(|_| panic!("{user}: the navigation folds at 390 px"));
        assert!(
            !b.find(Locator::Css("header.top nav a[href='/cases']"))
                .await
                .unwrap()
                .is_displayed()
                .await
                .unwrap(),
            "{user}: the folded menu hides its links until opened"
        );
        menu.click().await.unwrap();
        assert!(
            b.find(Locator::Css("header.top nav a[href='/cases']"))
                .await
                .unwrap()
                .is_displayed()
                .await
                .unwrap(),
            "{user}: the opened menu shows its links"
        );
        assert_fits(&b, &format!("{user} /home, menu open")).await;
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    b.close().await.unwrap();
}

/// A case with money received, for the home pages' queues (no institutions needed).
async fn busy_case_light(t: &TestApp, officer: &str) -> Value {
    let filed = file(t, officer, "(2026)京0105民初52号", 15_505_050).await;
    let case = filed["id"].as_i64().unwrap();
    post(
        t,
        officer,
        &format!("/api/v1/cases/{case}/account/receipts"),
        json!({"amount_fen": 15_505_050, "reference": "BANK-LAYOUT-2"}),
    )
    .await;
    filed
}

#[tokio::test]
async fn the_staff_work_pages_pass_axe_fit_a_phone_and_print_the_case_without_its_forms() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn_with(zhixing_server::Config {
        outbox_poll: Duration::from_millis(50),
        ..zhixing_testkit::test_config()
    })
    .await;
    let s = sim(&t, 24, 0.0).await;
    let admin = t.signed_in("lay-admin0", "spc", Role::Administrator).await;
    register_all(&t, &s, &admin).await;
    let officer = t.signed_in("lay-officer", "b110105", Role::Officer).await;
    let filed = busy_case(&t, &officer).await;
    let case = filed["id"].as_i64().unwrap();
    let services = t
        .get_value(&format!("/api/v1/cases/{case}/services"), Some(&officer))
        .await;
    let document = services[0]["document_id"].as_i64().unwrap();
    // The same debtor owes at another court, and the house seized here waits there (关联案件).
    let elsewhere = t
        .signed_in("lay-officer-hd", "b110108", Role::Officer)
        .await;
    let other = file(&t, &elsewhere, "(2026)京0108民初7号", 2_000_000).await;
    let house = "京(2021)朝阳区不动产权第0012345号";
    t.seized_asset(
        case,
        "b110105",
        "real_estate",
        house,
        "朝阳区某小区3号楼1201",
        500_000_000,
    )
    .await;
    let queued = t
        .seized_asset(
            other["id"].as_i64().unwrap(),
            "b110108",
            "real_estate",
            house,
            "朝阳区某小区3号楼1201",
            500_000_000,
        )
        .await;
    t.raw_exec(&format!(
        "UPDATE measures SET status = 'queued', queue_position = 1 WHERE asset_id = {queued}"
    ))
    .await;
    // One user with every staff role at the court, so that one session sees every page.
    t.user(
        "lay-all",
        "b110105",
        &[
            Role::Officer,
            Role::DivisionHead,
            Role::Supervisor,
            Role::Auditor,
            Role::Administrator,
        ],
    )
    .await;
    sign_in(&b, &t, "lay-all").await;
    let paths: Vec<String> = [
        "/cases".to_owned(),
        "/cases?mine=0&q=执".to_owned(),
        "/cases/new".to_owned(),
        format!("/cases/{case}"),
        format!("/cases/{case}/closure"),
        format!("/documents/{document}"),
        "/command".to_owned(),
        "/command/courts/b110105".to_owned(),
        format!(
            "/command/debtors?case={}",
            filed["number"].as_str().unwrap()
        ),
        "/audit".to_owned(),
        "/users".to_owned(),
        "/rules".to_owned(),
        "/courts".to_owned(),
        "/supervisions".to_owned(),
        "/complaints".to_owned(),
        "/entrusted".to_owned(),
        "/account/password".to_owned(),
        "/alerts".to_owned(),
        "/sharing".to_owned(),
        "/institutions".to_owned(),
        "/announcements/new".to_owned(),
        "/listings".to_owned(),
        "/auctions".to_owned(),
    ]
    .into();
    let mut failed = check_pages(&b, &t, &paths).await;

    // The command centre's money figures side by side, and the case page, at widths from
    // phone to desktop (either side of the menu's fold at 768 px).
    for w in [390, 600, 768, 800, 1024, 1280, 1440, 1920] {
        b.set_window_size(w, 900).await.unwrap();
        for path in ["/command".to_owned(), format!("/cases/{case}")] {
            open(&b, &t, &path).await;
            if path == "/command" {
                // The widest sums a court shows (the period's money figures count closed
                // cases only, so the test writes them in): they must stay in their boxes.
                b.execute(
                    "document.querySelectorAll('.figure .big').forEach(e => { if (e.textContent.includes('¥')) e.textContent = '¥12,345,678,901.23'; });",
                    vec![],
                )
                .await
                .unwrap();
                let png = b.screenshot().await.unwrap();
                std::fs::write(screenshot_dir().join(format!("command-{w}.png")), png).unwrap();
            }
            let bad = b.execute(OVERLAP_JS, vec![]).await.unwrap();
            if bad != json!([]) {
                failed.push(format!("{path} at {w} px: figures overlap: {bad}"));
            }
            let v = b.execute(OVERFLOW_JS, vec![]).await.unwrap();
            if v[1].as_i64() > v[0].as_i64() || !v[2].as_array().unwrap().is_empty() {
                failed.push(format!("{path} at {w} px overflows: {v}"));
            }
        }
    }
    let dir = screenshot_dir();
    b.set_window_size(390, 844).await.unwrap();
    open(&b, &t, &format!("/cases/{case}")).await;
    std::fs::write(dir.join("case-390.png"), b.screenshot().await.unwrap()).unwrap();

    // A document's own print styles (A4, centred heading) apply: its answer's policy allows
    // its inline <style>, and nothing else.
    open(&b, &t, &format!("/documents/{document}")).await;
    let centred = b
        .execute(
            "return getComputedStyle(document.querySelector('h1')).textAlign;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(centred, "center", "the document's own styles apply");

    // In print: the case and the document without navigation or forms.
    b.set_window_size(1440, 900).await.unwrap();
    for path in [format!("/cases/{case}"), format!("/documents/{document}")] {
        open(&b, &t, &path).await;
        emulate_media(&b, "print").await;
        let hidden = b
            .execute(
                r#"const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
                   return {
                     nav: Array.from(document.querySelectorAll('header.top, nav')).filter(shown).length,
                     forms: Array.from(document.querySelectorAll('form, button, input, select, textarea')).filter(shown).map(e => e.tagName + (e.id ? '#' + e.id : '')).slice(0, 10),
                     text: document.body.innerText.length,
                   };"#,
                vec![],
            )
            .await
            .unwrap();
        emulate_media(&b, "").await;
        if hidden["nav"] != 0 || hidden["forms"] != json!([]) {
            failed.push(format!(
                "{path} in print shows navigation or forms: {hidden}"
            ));
        }
        assert!(
            hidden["text"].as_i64().unwrap_or(0) > 100,
            "{path} prints its content: {hidden}"
        );
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    b.close().await.unwrap();
}

/// Chromium's own command (through chromedriver) to render the page for `media` ("print"), or
/// back for the screen ("").
async fn emulate_media(b: &fantoccini::Client, media: &str) {
    #[derive(Debug)]
    struct Cdp(Value);
    impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
        fn endpoint(
            &self,
            base: &url::Url,
            session: Option<&str>,
        ) -> Result<url::Url, url::ParseError> {
            base.join(&format!(
                "session/{}/goog/cdp/execute",
                session.unwrap_or_default()
            ))
        }
        fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
            (axum::http::Method::POST, Some(self.0.to_string()))
        }
    }
    b.issue_cmd(Cdp(json!({
        "cmd": "Emulation.setEmulatedMedia",
        "params": {"media": media}
    })))
    .await
    .unwrap();
}

/// Resources the page loaded from anywhere but the binary, and elements that point at one.
const EXTERNAL_JS: &str = r#"
const here = location.origin;
const loaded = performance.getEntriesByType('resource').map(e => e.name)
  .filter(n => !n.startsWith(here + '/'));
const pointed = Array.from(document.querySelectorAll('[src], link[href], form[action]'))
  .map(e => e.src || e.href || e.action).filter(u => u && !u.startsWith(here + '/') && !u.startsWith('data:'));
return loaded.concat(pointed);
"#;

#[tokio::test]
async fn the_public_pages_pass_axe_fit_a_phone_and_load_nothing_from_elsewhere() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    // The walk opens some forty public pages within seconds, past the default burst of the
    // per-address limit (which `it::public` tests); here the pages are under test.
    let t = TestApp::spawn_with(zhixing_server::Config {
        public_rate_per_minute: 6_000,
        public_burst: 1_000,
        ..zhixing_testkit::test_config()
    })
    .await;
    let officer = t.signed_in("lay-pub-off", "b110105", Role::Officer).await;
    // A listed debtor (with its restriction order), an announcement, a 终本 case and an
    // auction with its room.
    let filed = file(&t, &officer, "(2026)京0105民初61号", 150_000_000).await;
    let case = filed["id"].as_i64().unwrap();
    let number = filed["number"].as_str().unwrap().to_owned();
    let code = filed["access_codes"][0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    post(
        &t,
        &officer,
        &format!("/api/v1/cases/{case}/listings"),
        json!({"party_no": 2, "grounds": [2], "facts": "以威胁方法阻碍执行人员执行职务"}),
    )
    .await;
    let announcement = post(
        &t,
        &officer,
        "/api/v1/announcements",
        json!({"title": "关于执行案款发放的公告", "body": "正文".repeat(200)}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let closed = file(&t, &officer, "(2026)京0105民初62号", 123_450).await["id"]
        .as_i64()
        .unwrap();
    t.raw_exec(&format!(
        "UPDATE cases SET status = 'closed', closure_mode = 'zhongben', closed_on = '2026-06-30' WHERE id = {closed}"
    ))
    .await;
    let asset = t
        .seized_asset(
            case,
            "b110105",
            "vehicle",
            "京A12345",
            "小型轿车 京A12345",
            20_000_000,
        )
        .await;
    let vid = post(
        &t,
        &officer,
        &format!("/api/v1/assets/{asset}/valuation"),
        json!({}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    post(
        &t,
        &officer,
        &format!("/api/v1/valuations/{vid}/agreement"),
        json!({"price_fen": 20_000_000}),
    )
    .await;
    let at = |days: i64| {
        t.app
            .now()
            .checked_add(jiff::SignedDuration::from_hours(days * 24))
            .unwrap()
            .to_string()
    };
    let auction = post(
        &t,
        &officer,
        &format!("/api/v1/assets/{asset}/auctions"),
        json!({"title": "小型轿车 京A12345", "start_price_fen": 14_000_000, "increment_fen": 100_000,
               "deposit_fen": 1_400_000, "starts_at": at(16), "ends_at": at(17), "balance_days": 10}),
    )
    .await["id"]
        .as_i64()
        .unwrap();

    let paths: Vec<String> = [
        "/login".to_owned(),
        "/public".to_owned(),
        "/public/dishonest".to_owned(),
        "/public/dishonest?name=李".to_owned(),
        "/public/restricted".to_owned(),
        "/public/restricted?name=李".to_owned(),
        "/public/announcements".to_owned(),
        format!("/public/announcements/{announcement}"),
        "/public/zhongben".to_owned(),
        "/public/zhongben?name=李".to_owned(),
        "/public/auctions".to_owned(),
        format!("/public/auctions/{auction}"),
        "/public/case".to_owned(),
        "/public/case/receipt".to_owned(),
    ]
    .into();
    let mut failed = check_pages(&b, &t, &paths).await;
    for path in &paths {
        open(&b, &t, path).await;
        let out = b.execute(EXTERNAL_JS, vec![]).await.unwrap();
        if out != json!([]) {
            failed.push(format!("{path} reaches outside the binary: {out}"));
        }
    }

    // The party's own view, reached through the access form.
    for (w, h) in [(1440, 900), (390, 844)] {
        b.set_window_size(w, h).await.unwrap();
        open(&b, &t, "/public/case").await;
        let field = b.find(Locator::Id("case_number")).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(&number).await.unwrap();
        b.find(Locator::Id("code"))
            .await
            .unwrap()
            .send_keys(&code)
            .await
            .unwrap();
        b.find(Locator::Id("access-submit"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        b.wait()
            .for_element(Locator::Id("case-number"))
            .await
            .unwrap();
        if w == 1440 {
            failed.extend(check_page(&b, "party view").await);
            let out = b.execute(EXTERNAL_JS, vec![]).await.unwrap();
            if out != json!([]) {
                failed.push(format!("party view reaches outside the binary: {out}"));
            }
        } else {
            let v = b.execute(OVERFLOW_JS, vec![]).await.unwrap();
            if v[1].as_i64() > v[0].as_i64() || !v[2].as_array().unwrap().is_empty() {
                failed.push(format!("party view at {w} px overflows: {v}"));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    b.close().await.unwrap();
}
