//! The test kit: a real server on port 0 with a fresh database per test, on SQLite by default
//! or on PostgreSQL when `ZHIXING_TEST_DATABASE_URL` is set (a fresh schema per test).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod sim;

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_domain::court::Scope;

use zhixing_server::{App, Config, ManualClock};
use zhixing_store::Store;

pub struct TestApp {
    pub addr: std::net::SocketAddr,
    pub base: String,
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub db_url: String,
    pub client: Client,
    /// The form token of each session cookie, read from its pages once.
    form_tokens: std::sync::Mutex<std::collections::HashMap<String, String>>,
    /// The answers the servers of this process had given when this one started (see `Drop`).
    answered_before: std::collections::BTreeSet<(String, String, u16)>,
    _dir: Option<tempfile::TempDir>,
    _server: tokio::task::JoinHandle<std::io::Result<()>>,
}

pub const PASSWORD: &str = "correct-horse-battery";

/// A fresh database URL: a SQLite file in a temporary directory, or a new PostgreSQL schema.
pub async fn fresh_database() -> (String, Option<tempfile::TempDir>) {
    if postgres_admin_url().is_some() {
        let dir = tempfile::tempdir().expect("tempdir");
        (fresh_database_in(dir.path()).await, None)
    } else {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = fresh_database_in(dir.path()).await;
        (url, Some(dir))
    }
}

/// The PostgreSQL database the tests run on, if they run on PostgreSQL.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("ZHIXING_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// A fresh database: a new schema of the test PostgreSQL database when there is one, else a
/// SQLite file in `dir`.
pub async fn fresh_database_in(dir: &std::path::Path) -> String {
    match postgres_admin_url() {
        Some(admin) => {
            let schema = format!("t_{}", uuid_like());
            let pool = sqlx::PgPool::connect(&admin)
                .await
                .expect("connect to the test PostgreSQL");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                .execute(&pool)
                .await
                .expect("create schema");
            pool.close().await;
            let sep = if admin.contains('?') { '&' } else { '?' };
            format!("{admin}{sep}options[search_path]={schema}")
        }
        None => format!("sqlite://{}", dir.join("t.db").display()),
    }
}

fn uuid_like() -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().r#gen();
    format!("{n:016x}")
}

pub fn test_config() -> Config {
    // Sessions outlive the long clock jumps of deadline tests; expiry has its own test.
    // Every test signs its users in from 127.0.0.1 while the clock stands still, so the
    // sign-in limits per address and overall are out of reach here; the throttle's tests
    // (tests/it/auth.rs) use the defaults. One hashing thread per test server: many servers
    // run at once in one test process.
    Config {
        session_ttl: Duration::from_secs(400 * 86400),
        login_per_address_burst: 1_000_000,
        login_overall_burst: 1_000_000,
        hash_threads: 1,
        ..Config::default()
    }
}

impl TestApp {
    /// A server whose database holds the courts of Beijing and Hebei.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(test_config()).await
    }

    /// As [`TestApp::spawn`], without the background watch worker: for tests that count the
    /// audit chain's entries, which the worker's own (an alert raised, say) would otherwise
    /// join at a moment no test controls.
    pub async fn spawn_quiet() -> TestApp {
        Self::spawn_with(Config {
            watch_worker: false,
            ..test_config()
        })
        .await
    }

    pub async fn spawn_with(config: Config) -> TestApp {
        Self::spawn_with_store(config, zhixing_store::StoreOptions::from_env()).await
    }

    /// As [`TestApp::spawn_with`], its store connected with `options` (e.g. a lower
    /// slow-statement threshold).
    pub async fn spawn_with_store(config: Config, options: zhixing_store::StoreOptions) -> TestApp {
        let clock = Arc::new(ManualClock::new(jiff::Timestamp::now()));
        Self::spawn_on(config, options, clock.clone(), clock).await
    }

    /// A server in training mode (演练模式), on a simulated clock starting at `start`, as
    /// `zhixing demo --simulated-clock` runs. Its `clock` field is then a stand-in that
    /// moves nothing: such a test moves time through the clock's routes, as people do.
    pub async fn spawn_simulated(start: jiff::Timestamp) -> TestApp {
        let stand_in = Arc::new(ManualClock::new(start));
        let clock = Arc::new(zhixing_server::SimulatedClock::new(start));
        Self::spawn_on(
            test_config(),
            zhixing_store::StoreOptions::from_env(),
            clock,
            stand_in,
        )
        .await
    }

    async fn spawn_on(
        config: Config,
        options: zhixing_store::StoreOptions,
        clock: Arc<dyn zhixing_server::Clock>,
        manual: Arc<ManualClock>,
    ) -> TestApp {
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("warn")
            .try_init();
        let (db_url, dir) = fresh_database().await;
        let store = Store::connect_with(&db_url, options)
            .await
            .expect("connect");
        let app = App::new(store, config, clock, zhixing_server::courier()).expect("app");
        zhixing_server::prepare(&app).await.expect("prepare");
        for p in ["beijing", "hebei"] {
            zhixing_app::platform::courts::generate(&app, &Scope::Province(p.into()), "test")
                .await
                .expect("courts");
        }
        // A regional override, as the demo has: the shipped rule book holds none.
        zhixing_fixtures::load_demo_rules(&app)
            .await
            .expect("demo rules");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(zhixing_server::serve(
            listener,
            app.clone(),
            std::future::pending(),
        ));
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestApp {
            addr,
            base: format!("http://{addr}"),
            app,
            clock: manual,
            db_url,
            client,
            form_tokens: std::sync::Mutex::default(),
            answered_before: answered().into_iter().collect(),
            _dir: dir,
            _server: server,
        }
    }

    /// A second server on this one's database (the same SQLite file, or the same PostgreSQL
    /// schema) with a store, pools and caches of its own — as another process would be — on
    /// the same clock and data key.
    pub async fn second_instance(&self) -> TestApp {
        let store = Store::connect(&self.db_url).await.expect("connect");
        let config = Config {
            cipher: Some(self.app.cipher.clone()),
            platform_key: Some(self.app.platform_key.clone()),
            ..self.app.config.clone()
        };
        let app =
            App::new(store, config, self.clock.clone(), zhixing_server::courier()).expect("app");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(zhixing_server::serve(
            listener,
            app.clone(),
            std::future::pending(),
        ));
        TestApp {
            addr,
            base: format!("http://{addr}"),
            app,
            clock: self.clock.clone(),
            db_url: self.db_url.clone(),
            client: self.client.clone(),
            form_tokens: std::sync::Mutex::default(),
            answered_before: answered().into_iter().collect(),
            _dir: None,
            _server: server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Creates a user directly (as the CLI bootstrap does).
    pub async fn user(&self, username: &str, court: &str, roles: &[Role]) -> i64 {
        zhixing_app::identity::users::create_user(
            &self.app,
            None,
            zhixing_app::identity::users::UserSpec {
                username: username.into(),
                display_name: format!("{username} 测试"),
                court_id: court.into(),
                roles: roles.to_vec(),
                password: PASSWORD.into(),
                id_number: None,
            },
        )
        .await
        .expect("create user")
    }

    pub async fn login(&self, username: &str) -> String {
        let r = self
            .post_json(
                "/api/v1/session",
                None,
                &json!({"username": username, "password": PASSWORD}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "login {username}");
        let v: Value = r.json().await.expect("json");
        v["token"].as_str().expect("token").to_owned()
    }

    /// A user with one role at a court, signed in.
    pub async fn signed_in(&self, username: &str, court: &str, role: Role) -> String {
        self.user(username, court, &[role]).await;
        self.login(username).await
    }

    pub async fn req(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Response {
        let mut r = self.client.request(method, self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        if let Some(b) = body {
            r = r.json(b);
        }
        r.send().await.expect("request")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.req(Method::GET, path, token, None).await
    }

    /// GET, expecting JSON.
    pub async fn get_value(&self, path: &str, token: Option<&str>) -> Value {
        self.get(path, token).await.json().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        self.req(Method::POST, path, token, Some(body)).await
    }

    /// Records case `id`'s 执行通知书 and 报告财产令 through the API, stating seven days to
    /// perform and ten to report, serves both on every respondent that day (their periods run
    /// from service, DOMAIN §4c), and moves the clock 30 days on: past both periods even with a
    /// holiday at their end, so that a listing on any ground may follow (DOMAIN §4a).
    pub async fn notice_and_wait(&self, token: &str, id: i64) {
        let r = self
            .post_json(
                &format!("/api/v1/cases/{id}/actions"),
                Some(token),
                &serde_json::json!({"action": "notice_issued", "perform_days": 7, "report_days": 10}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "the notice is recorded");
        self.serve_documents(token, id, &["enforcement_notice", "property_report_order"])
            .await;
        self.clock
            .advance(std::time::Duration::from_secs(30 * 86_400));
    }

    /// Serves every document of these kinds of case `id` on each recipient not yet served,
    /// directly and today, with a signed return (a small PDF) as proof, through the API.
    pub async fn serve_documents(&self, token: &str, id: i64, kinds: &[&str]) {
        let docs = self
            .get_value(&format!("/api/v1/cases/{id}/services"), Some(token))
            .await;
        let today = self.app.today().to_string();
        for d in docs.as_array().expect("documents") {
            if !kinds.contains(&d["kind"].as_str().unwrap_or_default()) {
                continue;
            }
            for r in d["recipients"].as_array().expect("recipients") {
                if r["status"] == "served" {
                    continue;
                }
                let form = reqwest::multipart::Form::new()
                    .text("document_id", d["document_id"].to_string())
                    .text("party_no", r["party_no"].to_string())
                    .text("method", "direct")
                    .text("on", today.clone())
                    .part(
                        "proof",
                        reqwest::multipart::Part::bytes(signed_return()).file_name("送达回证.pdf"),
                    );
                let a = self
                    .client
                    .post(self.url(&format!("/api/v1/cases/{id}/services")))
                    .bearer_auth(token)
                    .multipart(form)
                    .send()
                    .await
                    .expect("request");
                assert_eq!(a.status(), StatusCode::CREATED, "served: {d} on {r}");
            }
        }
    }

    /// Approves a rule-book proposal (`proposed`: the 201 answer to `POST /api/v1/rules` or
    /// `/api/v1/calendars`) as a second administrator of the Supreme People's Court — the
    /// four eyes every rule-book change needs — and returns the decision's answer.
    pub async fn approve_proposal(&self, proposed: Response) -> Response {
        assert_eq!(proposed.status(), StatusCode::CREATED, "proposed");
        let id = proposed.json::<Value>().await.expect("json")["id"]
            .as_i64()
            .expect("proposal id");
        self.approve_proposal_id(id).await
    }

    /// Approves rule-book proposal `id` as a second administrator of the SPC.
    pub async fn approve_proposal_id(&self, id: i64) -> Response {
        let approver = "rules-approver";
        let exists = self
            .app
            .store
            .user_by_username(approver)
            .await
            .expect("user lookup")
            .is_some();
        if !exists {
            self.user(approver, "spc", &[Role::Administrator]).await;
        }
        let token = self.login(approver).await;
        self.post_json(
            &format!("/api/v1/rules/proposals/{id}/decision"),
            Some(&token),
            &json!({"approve": true, "note": "核对无误"}),
        )
        .await
    }

    /// A raw connection to the test database, for tampering tests.
    pub async fn raw_exec(&self, sql: &str) -> u64 {
        if self.db_url.starts_with("postgres") {
            let pool = sqlx::PgPool::connect(&self.db_url).await.expect("pg");
            let n = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&pool)
                .await
                .expect("exec")
                .rows_affected();
            pool.close().await;
            n
        } else {
            let pool = sqlx::SqlitePool::connect(&self.db_url)
                .await
                .expect("sqlite");
            let n = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&pool)
                .await
                .expect("exec")
                .rows_affected();
            pool.close().await;
            n
        }
    }
}

impl TestApp {
    /// One text value read straight from the test database.
    /// An asset of `case_id` held by an active seizure (查封) of the case, as the registry
    /// would have answered: `kind` is `real_estate` or `vehicle`. Investigation and seizure
    /// over the exchange protocol are tested in measures.rs; this is the short way for tests
    /// of what follows (valuation, auction). Returns the asset id.
    pub async fn seized_asset(
        &self,
        case_id: i64,
        court: &str,
        kind: &str,
        reference: &str,
        description: &str,
        value_fen: i64,
    ) -> i64 {
        let now_us = self.app.now_us();
        let (inst, name, inst_kind) = if kind == "real_estate" {
            ("reg-bj", "北京市不动产登记中心", "real_estate_registry")
        } else {
            ("vmv-bj", "北京市车管所", "vehicle_administration")
        };
        self.raw_exec(&format!(
            "INSERT INTO institutions (id, name, kind, measures, channel, region, endpoint, public_key, concurrency, active, created_at) \
             VALUES ('{inst}', '{name}', '{inst_kind}', 'query,seize', 'local', '11', 'http://127.0.0.1:9/x', 'k', 1, TRUE, {now_us}) \
             ON CONFLICT (id) DO NOTHING"
        ))
        .await;
        self.raw_exec(&format!(
            "INSERT INTO assets (case_id, court_id, institution_id, kind, reference, description, value_fen, encumbrances, found_by, found_at) \
             VALUES ({case_id}, '{court}', '{inst}', '{kind}', '{reference}', '{description}', {value_fen}, '[]', 'test', {now_us})"
        ))
        .await;
        let asset: i64 = self
            .raw_text(&format!(
                "SELECT CAST(id AS TEXT) FROM assets WHERE case_id = {case_id} AND reference = '{reference}'"
            ))
            .await
            .parse()
            .unwrap();
        let until = self.app.today().saturating_add(jiff::Span::new().years(2));
        self.raw_exec(&format!(
            "INSERT INTO measures (case_id, court_id, asset_id, institution_id, kind, status, until, request_id, requested_by, requested_at, updated_at) \
             VALUES ({case_id}, '{court}', {asset}, '{inst}', 'seize', 'active', '{until}', 'm-{case_id}-{asset}', 1, {now_us}, {now_us})"
        ))
        .await;
        asset
    }

    /// The sign-in form as a browser gets it: the `zx_sign_in=…` cookie and the form's token.
    pub async fn sign_in_form(&self) -> (String, String) {
        let r = self.client.get(self.url("/login")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let cookie = set_cookie(&r, "zx_sign_in").expect("the sign-in form sets its cookie");
        let token = form_token_in(&r.text().await.unwrap()).expect("a token in the form");
        (cookie, token)
    }

    /// Signs in through the login form, as a browser does (the form first, then the post
    /// with its token); returns the `zx_session=…` cookie.
    pub async fn page_login(&self, user: &str) -> String {
        let (sign_in, token) = self.sign_in_form().await;
        let r = self
            .client
            .post(self.url("/login"))
            .header("cookie", sign_in)
            .form(&[
                ("username", user),
                ("password", PASSWORD),
                ("csrf_token", &token),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/home");
        set_cookie(&r, "zx_session").expect("a session cookie")
    }

    /// A page with the session cookie: status and body.
    pub async fn html(&self, path: &str, cookie: &str) -> (StatusCode, String) {
        let r = self
            .client
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    /// The form token of the session in `cookie`, read from a page as a browser has it (every
    /// signed-in page has the sign-out form, which carries it).
    pub async fn form_token(&self, cookie: &str) -> String {
        if let Some(t) = self.form_tokens.lock().unwrap().get(cookie) {
            return t.clone();
        }
        let (status, page) = self.html("/home", cookie).await;
        assert_eq!(status, StatusCode::OK, "signed in: {page}");
        let token = form_token_in(&page).expect("a form token on the page");
        self.form_tokens
            .lock()
            .unwrap()
            .insert(cookie.to_owned(), token.clone());
        token
    }

    /// Posts a form with the session cookie and the session's form token, as the page's
    /// form would; returns status, Location and body.
    pub async fn form(
        &self,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let token = self.form_token(cookie).await;
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", &token));
        let r = self
            .client
            .post(self.url(path))
            .header("cookie", cookie)
            .form(&fields)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, location, r.text().await.unwrap())
    }

    pub async fn raw_text(&self, sql: &str) -> String {
        let q = sqlx::AssertSqlSafe(sql.to_owned());
        if self.db_url.starts_with("postgres") {
            let pool = sqlx::PgPool::connect(&self.db_url).await.expect("pg");
            sqlx::query_scalar::<_, String>(q)
                .fetch_one(&pool)
                .await
                .expect("query")
        } else {
            let pool = sqlx::SqlitePool::connect(&self.db_url)
                .await
                .expect("sqlite");
            sqlx::query_scalar::<_, String>(q)
                .fetch_one(&pool)
                .await
                .expect("query")
        }
    }
}

/// The value of the first form token (`csrf_token`) in a page.
pub fn form_token_in(html: &str) -> Option<String> {
    const NEEDLE: &str = "name=\"csrf_token\" value=\"";
    let at = html.find(NEEDLE)? + NEEDLE.len();
    let len = html[at..].find('"')?;
    Some(html[at..at + len].to_owned())
}

/// `name=value` of the cookie `name` an answer sets.
pub fn set_cookie(r: &Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|kv| kv.split_once('=').is_some_and(|(k, _)| k == name))
        .map(str::to_owned)
}

/// Asserts a problem+json answer with this status and code; returns the body.
pub async fn assert_problem(r: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(r.status(), status, "status for expected code {code}");
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(ct, "application/problem+json", "content type");
    let v: Value = r.json().await.expect("problem json");
    assert_eq!(v["code"], code, "problem code in {v}");
    assert_eq!(v["status"], status.as_u16());
    assert!(
        v["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "human message"
    );
    v
}

/// Every answer a test server in this process gave on a documented operation whose status the
/// OpenAPI document does not list for that operation, as `METHOD route status` lines.
///
/// The servers count their answers by method, route template and status (`metrics::track`,
/// one recorder for the process); this reads those counts, so it sees what every test so far
/// made the routes answer.
pub fn undocumented_answers() -> Vec<String> {
    undocumented_in(zhixing_server::openapi::document(), &answered())
}

/// Every `(method, route, status)` the servers of this process have answered.
fn answered() -> Vec<(String, String, u16)> {
    zhixing_server::metrics::handle()
        .map(|h| observed_answers(&h.render()))
        .unwrap_or_default()
}

/// The `(method, route, status)` of each `http_requests_total` series in a Prometheus text.
pub fn observed_answers(metrics: &str) -> Vec<(String, String, u16)> {
    let mut out = Vec::new();
    for line in metrics.lines() {
        let Some(rest) = line.strip_prefix("http_requests_total{") else {
            continue;
        };
        let Some(end) = rest.rfind('}') else {
            continue;
        };
        let (mut method, mut route, mut status) = (None, None, None);
        // key="value" pairs; route templates hold no quotes.
        for pair in rest[..end].split("\",") {
            let Some((k, v)) = pair.split_once("=\"") else {
                continue;
            };
            let v = v.trim_end_matches('"').to_owned();
            match k.trim() {
                "method" => method = Some(v),
                "route" => route = Some(v),
                "status" => status = v.parse().ok(),
                _ => {}
            }
        }
        if let (Some(m), Some(r), Some(s)) = (method, route, status) {
            out.push((m, r, s));
        }
    }
    out
}

/// Which of the observed answers the document does not list: only operations the document
/// describes are judged (the pages, `/metrics` and the like are not in it).
pub fn undocumented_in(doc: &Value, observed: &[(String, String, u16)]) -> Vec<String> {
    let mut out = Vec::new();
    for (method, route, status) in observed {
        let op = &doc["paths"][route.as_str()][method.to_ascii_lowercase()];
        let Some(responses) = op["responses"].as_object() else {
            continue;
        };
        let range = format!("{}XX", status / 100);
        if !(responses.contains_key(&status.to_string())
            || responses.contains_key(&range)
            || responses.contains_key("default"))
        {
            out.push(format!("{method} {route} {status}"));
        }
    }
    out.sort();
    out.dedup();
    out
}

impl Drop for TestApp {
    /// Each test ends by checking that every answer given while its server ran is in the
    /// OpenAPI document (not while a test is already failing: that would hide its own
    /// message). The count is per process, so a test running at the same time as the one whose
    /// route gave the answer fails too; answers given before it started are not its business.
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let new: Vec<_> = answered()
            .into_iter()
            .filter(|a| !self.answered_before.contains(a))
            .collect();
        let missing = undocumented_in(zhixing_server::openapi::document(), &new);
        assert!(
            missing.is_empty(),
            "answers the OpenAPI document does not list for their operation: {missing:?}"
        );
    }
}

/// A small PDF standing for a scanned, signed return of service (送达回证).
pub fn signed_return() -> Vec<u8> {
    b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
        .to_vec()
}
