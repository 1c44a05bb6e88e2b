//! The `zhixing` binary as an operator uses it: separate processes, real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_zhixing");

/// A fresh database (the test kit's) and a directory for what lives beside it (the data key
/// file, recordings), whichever backend it is on.
async fn fresh_database() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (zhixing_testkit::fresh_database_in(dir.path()).await, dir)
}

fn zhixing(db: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env("ZHIXING_DATABASE_URL", db)
        .env("ZHIXING_DATA_KEY_FILE", key_file(db))
        .env_remove("ZHIXING_PASSWORD")
        .env("ZHIXING_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

/// One key file per test database, outside the source tree.
fn key_file(db: &str) -> String {
    let name: String = db.chars().filter(char::is_ascii_alphanumeric).collect();
    std::env::temp_dir()
        .join(format!(
            "zhixing-test-{}.key",
            &name[name.len().saturating_sub(40)..]
        ))
        .display()
        .to_string()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

async fn tamper(db: &str, sql: &str) {
    if db.starts_with("postgres") {
        let p = sqlx::PgPool::connect(db).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&p)
            .await
            .unwrap();
        p.close().await;
    } else {
        let p = sqlx::SqlitePool::connect(db).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&p)
            .await
            .unwrap();
        p.close().await;
    }
}

#[tokio::test]
async fn operator_commands_and_audit_verify_exit_codes() {
    let (db, _dir) = fresh_database().await;
    let o = zhixing(&db, &["migrate"], None);
    assert!(o.status.success(), "{}", text(&o));
    if let Some((creds, _)) = db
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        && let Some((_, password)) = creds.split_once(':')
    {
        assert!(
            !text(&o).contains(&format!(":{password}@")),
            "no database password in output"
        );
        assert!(text(&o).contains(":***@"), "{}", text(&o));
    }

    let o = zhixing(&db, &["generate", "courts", "--scope", "beijing"], None);
    assert!(o.status.success(), "{}", text(&o));
    // The SPC, the high court, Beijing's four intermediate courts and its sixteen districts.
    assert!(text(&o).contains("22 courts"), "{}", text(&o));

    let add = [
        "users",
        "add",
        "--username",
        "root",
        "--court",
        "spc",
        "--role",
        "administrator",
    ];
    let o = zhixing(&db, &add, Some("a-very-long-secret\n"));
    assert!(o.status.success(), "{}", text(&o));
    let o = zhixing(
        &db,
        &[
            "users",
            "add",
            "--username",
            "weak",
            "--court",
            "spc",
            "--role",
            "auditor",
        ],
        Some("short\n"),
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("12 characters"), "{}", text(&o));
    let o = zhixing(
        &db,
        &[
            "users",
            "add",
            "--username",
            "x",
            "--court",
            "spc",
            "--role",
            "auditor",
            "--password",
            "a-very-long-secret",
        ],
        None,
    );
    assert!(
        !o.status.success(),
        "a password on the command line is refused"
    );
    let o = zhixing(&db, &["users", "list"], None);
    assert!(text(&o).contains("root") && text(&o).contains("administrator"));

    let o = zhixing(&db, &["rules", "list", "--date", "2025-01-01"], None);
    assert!(o.status.success());
    let listing = text(&o);
    assert!(
        listing.lines().any(|l| l.starts_with("case.conclude ")
            && l.contains("months")
            && l.contains("最高人民法院")),
        "{listing}"
    );

    let o = zhixing(&db, &["audit", "verify"], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("intact"));

    tamper(
        &db,
        "UPDATE events SET actor = 'someone-else' WHERE seq = 3",
    )
    .await;
    let o = zhixing(&db, &["audit", "verify"], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("entry 3"), "{}", text(&o));
}

/// Waits for a line of a child's stdout that contains `needle`; returns all lines read.
fn read_until(reader: &mut impl BufRead, needle: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let done = line.contains(needle);
        lines.push(line);
        if done {
            return lines;
        }
    }
    panic!("never printed {needle:?}: {lines:?}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn the_demo_on_a_taken_port_fails_before_it_makes_anything() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let data = dir.path().join("data");
    let o = Command::new(BIN)
        .args([
            "demo",
            "--data-dir",
            &data.display().to_string(),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--cases",
            "40",
        ])
        .env("ZHIXING_DEMO_PASSWORD", "demo-password-for-tests")
        .env("ZHIXING_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{}",
        text(&o)
    );
    // Refused before the database was opened, let alone the cases generated.
    assert!(!text(&o).contains("generated"), "{}", text(&o));
    assert!(!data.join("zhixing.db").exists(), "no database was made");
    drop(taken);
}

#[tokio::test]
async fn the_demo_starts_from_nothing_and_its_accounts_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = Command::new(BIN)
        .args([
            "demo",
            "--data-dir",
            &dir.path().join("data").display().to_string(),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--cases",
            "40",
        ])
        .env("ZHIXING_DEMO_PASSWORD", "demo-password-for-tests")
        .env("ZHIXING_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let lines = read_until(&mut out, "Stop with Ctrl-C");
    let all = lines.concat();
    assert!(all.contains(&format!("http://127.0.0.1:{port}/")), "{all}");
    for user in [
        "officer",
        "judge",
        "head",
        "president",
        "supervisor",
        "auditor",
        "admin",
        "admin2",
    ] {
        assert!(all.contains(user), "{user} listed");
    }
    assert!(
        dir.path().join("data/zhixing.db").exists(),
        "the SQLite database is under --data-dir"
    );
    assert!(
        all.contains("generated 40 cases") && all.contains("24 simulated institutions"),
        "{all}"
    );

    let client = reqwest::Client::new();
    let r = client
        .post(format!("http://127.0.0.1:{port}/api/v1/session"))
        .json(&serde_json::json!({"username": "officer", "password": "demo-password-for-tests"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let court: serde_json::Value = client
        .get(format!("http://127.0.0.1:{port}/api/v1/courts/b110105"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(court["name"], "北京市朝阳区人民法院");

    // Some respondents are on the dishonest list, and the printed example finds one on the
    // public portal, masked.
    let listed: usize = all
        .split("; ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(listed > 0, "{all}");
    let example = all
        .lines()
        .find_map(|l| l.trim().strip_prefix("e.g. a listed debtor: "))
        .unwrap_or_else(|| panic!("no example search: {all}"))
        .to_owned();
    let id_number = example.rsplit('=').next().unwrap().to_owned();
    let page = client.get(&example).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("result-count"), "{html}");
    assert!(!html.contains(&id_number), "the identifier is masked");

    // Auctions in every stage, two of them bidding now.
    assert!(all.contains("6 judicial auctions"), "{all}");
    let list: serde_json::Value = client
        .get(format!("http://127.0.0.1:{port}/public/v1/auctions"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = list["items"].as_array().unwrap();
    let stage = |s: &str, p: &str| {
        items
            .iter()
            .filter(|a| a["status"] == s && (p.is_empty() || a["phase"] == p))
            .count()
    };
    assert_eq!(stage("open", "bidding"), 2, "{list}");
    assert_eq!(stage("open", "announced"), 1, "{list}");
    assert_eq!(stage("paid", ""), 1, "{list}");
    assert_eq!(stage("sold", ""), 1, "{list}");
    assert_eq!(stage("failed", ""), 1, "{list}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn serve_answers_over_http_and_shuts_down_gracefully() {
    let (db, _dir) = fresh_database().await;
    let port = free_port();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("ZHIXING_DATABASE_URL", &db)
        .env("ZHIXING_DATA_KEY_FILE", key_file(&db))
        .env("ZHIXING_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    read_until(&mut out, "serving on");
    let client = reqwest::Client::new();
    let r = client
        .get(format!("http://127.0.0.1:{port}/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = client
        .get(format!("http://127.0.0.1:{port}/api/v1/courts"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // SIGTERM: finish in-flight requests and exit cleanly.
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "clean exit on SIGTERM: {status}");
            break;
        }
        assert!(Instant::now() < deadline, "did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_investigation_runs_between_separate_processes() {
    let net = Network::new(6, 1).await;
    let o = zhixing(&net.db, &["institutions", "list"], None);
    assert_eq!(text(&o).lines().count(), 6, "{}", text(&o));
    let _server = net.serve(net.port, 60, 30);
    let api = Api::sign_in(net.port).await;
    let case = api.file(8).await;
    let inv = api.investigate(case).await;
    drained(&net, Duration::from_secs(30)).await;
    let v = api
        .get(&format!("/api/v1/cases/{case}/investigations/{inv}"))
        .await;
    assert_eq!(v["replied"], 6, "{v}");
    let stats = net.stats().await;
    assert_eq!(
        stats["refused"], 0,
        "the simulator verified the platform's signature on every request: {stats}"
    );
    assert!(stats["received"].as_u64().unwrap() >= 6);
}

/// A fresh database with the courts of Beijing and an officer at 朝阳 (`officer`).
async fn officer_database() -> (String, tempfile::TempDir) {
    let (db, dir) = fresh_database().await;
    assert!(
        zhixing(&db, &["generate", "courts", "--scope", "beijing"], None)
            .status
            .success()
    );
    let o = zhixing(
        &db,
        &[
            "users",
            "add",
            "--username",
            "officer",
            "--court",
            "b110105",
            "--role",
            "officer",
        ],
        Some("a-very-long-secret\n"),
    );
    assert!(o.status.success(), "{}", text(&o));
    (db, dir)
}

/// A prepared network: courts, an officer, the simulator with `institutions` registered.
struct Network {
    db: String,
    _dir: tempfile::TempDir,
    sim: std::process::Child,
    sim_base: String,
    port: u16,
}

impl Network {
    async fn new(institutions: usize, latency_ms: u64) -> Network {
        let (db, dir) = officer_database().await;
        let o = zhixing(&db, &["institutions", "platform-key"], None);
        let platform_key = String::from_utf8_lossy(&o.stdout).trim().to_owned();
        assert_eq!(
            platform_key.len(),
            44,
            "a base64 Ed25519 public key: {}",
            text(&o)
        );
        let (port, sim_port) = (free_port(), free_port());
        let mut sim = Command::new(BIN)
            .args([
                "institution-sim",
                "--listen",
                &format!("127.0.0.1:{sim_port}"),
            ])
            .args(["--institutions", &institutions.to_string()])
            .args(["--latency-ms", &latency_ms.to_string()])
            .args(["--platform-public-key", &platform_key])
            .args(["--reply-to", &format!("http://127.0.0.1:{port}")])
            .env("ZHIXING_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        read_until(
            &mut BufReader::new(sim.stdout.take().unwrap()),
            "institution simulator",
        );
        let sim_base = format!("http://127.0.0.1:{sim_port}");
        let o = zhixing(
            &db,
            &[
                "institutions",
                "import",
                "--from",
                &format!("{sim_base}/institutions"),
            ],
            None,
        );
        assert!(o.status.success(), "{}", text(&o));
        Network {
            db,
            _dir: dir,
            sim,
            sim_base,
            port,
        }
    }

    /// Starts `zhixing serve` on `port`; `lease_secs`: how soon a dead worker's messages are
    /// taken over; `reply_secs`: how long a delivered request waits for its reply before it is
    /// sent again.
    fn serve(&self, port: u16, lease_secs: u64, reply_secs: u64) -> Proc {
        let mut server = Command::new(BIN)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--outbox-lease-secs", &lease_secs.to_string()])
            .args(["--reply-timeout-secs", &reply_secs.to_string()])
            .env("ZHIXING_DATABASE_URL", &self.db)
            .env("ZHIXING_DATA_KEY_FILE", key_file(&self.db))
            .env("ZHIXING_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        read_until(
            &mut BufReader::new(server.stdout.take().unwrap()),
            "serving on",
        );
        Proc(server)
    }

    async fn stats(&self) -> serde_json::Value {
        reqwest::get(format!("{}/stats", self.sim_base))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn count(&self, sql: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        if self.db.starts_with("postgres") {
            let p = sqlx::PgPool::connect(&self.db).await.unwrap();
            let n: (i64,) = sqlx::query_as(sql).fetch_one(&p).await.unwrap();
            p.close().await;
            n.0
        } else {
            let p = sqlx::SqlitePool::connect(&self.db).await.unwrap();
            let n: (i64,) = sqlx::query_as(sql).fetch_one(&p).await.unwrap();
            p.close().await;
            n.0
        }
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        let _ = self.sim.kill();
        let _ = self.sim.wait();
    }
}

/// A filing at 朝阳 on the judgment numbered `n` (each filing its own judgment).
fn filing(n: usize) -> serde_json::Value {
    serde_json::json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": format!("(2026)京0105民初{n}号"), "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 5_000_000}
    })
}

/// An API client signed in as the officer.
struct Api {
    base: String,
    client: reqwest::Client,
    token: String,
}

impl Api {
    async fn sign_in(port: u16) -> Api {
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let token = client
            .post(format!("{base}/api/v1/session"))
            .json(&serde_json::json!({"username": "officer", "password": "a-very-long-secret"}))
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        Api {
            base,
            client,
            token,
        }
    }

    async fn post(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn get(&self, path: &str) -> serde_json::Value {
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn file(&self, n: usize) -> i64 {
        let r = self.post("/api/v1/cases", filing(n)).await;
        assert_eq!(r.status(), 201);
        r.json::<serde_json::Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    async fn investigate(&self, case: i64) -> i64 {
        let r = self
            .post(
                &format!("/api/v1/cases/{case}/investigations"),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(r.status(), 201);
        r.json::<serde_json::Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    /// (institution, reference) of each asset found on a case, sorted.
    async fn asset_refs(&self, case: i64) -> Vec<(String, String)> {
        let v = self.get(&format!("/api/v1/cases/{case}/assets")).await;
        let mut refs: Vec<(String, String)> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["institution_id"].as_str().unwrap().to_owned(),
                    a["reference"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        refs.sort();
        refs
    }
}

/// Waits until nothing in the outbox awaits a reply.
async fn drained(net: &Network, limit: Duration) {
    let deadline = Instant::now() + limit;
    loop {
        let open = net
            .count("SELECT COUNT(*) FROM outbox WHERE status <> 'replied'")
            .await;
        if open == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{open} messages still unanswered"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A child process that does not outlive its test, whatever the test's outcome.
struct Proc(std::process::Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn kill9(p: &mut Proc) {
    let ok = Command::new("kill")
        .args(["-KILL", &p.0.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
    p.0.wait().unwrap();
}

#[tokio::test]
async fn a_server_killed_with_a_thousand_requests_in_flight_loses_and_doubles_nothing() {
    let net = Network::new(100, 400).await;
    let mut server = net.serve(net.port, 3, 30);
    let api = Api::sign_in(net.port).await;

    // A control case: what the simulated world holds for this debtor, found without a crash.
    let control = api.file(0).await;
    api.investigate(control).await;
    drained(&net, Duration::from_secs(60)).await;
    let expected = api.asset_refs(control).await;
    assert!(!expected.is_empty());

    // Sixteen investigations (1,600 queries) and a measure on every asset of the control case.
    let mut cases = Vec::new();
    for n in 1..=16 {
        cases.push(api.file(n).await);
    }
    for c in &cases {
        api.investigate(*c).await;
    }
    let assets = api.get(&format!("/api/v1/cases/{control}/assets")).await;
    let mut deducted_from = Vec::new();
    for a in assets.as_array().unwrap() {
        let free = a["encumbrances"] == "[]";
        let body = match a["kind"].as_str().unwrap() {
            "bank_deposit" | "internet_bank" | "online_payment" if free => {
                deducted_from.push(a.clone());
                serde_json::json!({"kind": "deduct", "amount_fen": 1_000})
            }
            "bank_deposit" | "internet_bank" | "online_payment" => {
                serde_json::json!({"kind": "freeze", "amount_fen": 1_000})
            }
            // Registries and funds take seizures (查封) over the network in this world.
            _ => serde_json::json!({"kind": "seize"}),
        };
        let r = api
            .post(
                &format!("/api/v1/assets/{}/measures", a["id"]),
                body.clone(),
            )
            .await;
        assert_eq!(
            r.status(),
            201,
            "{body} on {a}: {}",
            r.text().await.unwrap()
        );
    }
    let measures = net.count("SELECT COUNT(*) FROM measures").await;
    assert!(measures > 0 && !deducted_from.is_empty());

    // Kill the server once the institutions have some of it, before they have answered.
    let deadline = Instant::now() + Duration::from_secs(30);
    while net.stats().await["received"].as_u64().unwrap() < 100 + 200 {
        assert!(Instant::now() < deadline, "the simulator received nothing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    kill9(&mut server);
    let in_flight = net
        .count("SELECT COUNT(*) FROM outbox WHERE status <> 'replied'")
        .await;
    assert!(
        in_flight >= 1_000,
        "the kill came with {in_flight} requests in flight"
    );

    // Restart: every request is delivered and answered, each reply applied once in effect.
    let mut server = net.serve(net.port, 3, 30);
    drained(&net, Duration::from_secs(240)).await;
    let stats = net.stats().await;
    assert_eq!(stats["duplicate_measures"], 0, "{stats}");
    for c in &cases {
        assert_eq!(
            api.asset_refs(*c).await,
            expected,
            "case {c}: every asset found once, none lost"
        );
    }
    assert_eq!(
        net.count("SELECT COUNT(*) FROM events WHERE kind = 'investigation.replied'")
            .await,
        1_700,
        "one applied reply per query"
    );
    assert_eq!(
        net.count("SELECT COUNT(*) FROM measures WHERE status = 'requested'")
            .await,
        0
    );
    // The institution took each deduction once: its balance fell by exactly what the
    // platform recorded.
    for a in &deducted_from {
        let view: serde_json::Value = reqwest::get(format!(
            "{}/institutions/{}/property/{}",
            net.sim_base,
            a["institution_id"].as_str().unwrap(),
            a["reference"].as_str().unwrap()
        ))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        let held = net
            .count(&format!(
                "SELECT CAST(COALESCE(SUM(held_fen), 0) AS BIGINT) FROM measures WHERE asset_id = {} AND kind = 'deduct' AND status = 'done'",
                a["id"]
            ))
            .await;
        assert_eq!(
            view["balance_fen"].as_i64().unwrap(),
            a["value_fen"].as_i64().unwrap() - held,
            "{view}"
        );
    }
    // Each deduction is one receipt in the case account, for what the institution took.
    let done = net
        .count("SELECT COUNT(*) FROM measures WHERE kind = 'deduct' AND status = 'done'")
        .await;
    assert!(done > 0);
    assert_eq!(
        net.count("SELECT COUNT(*) FROM fund_receipts WHERE source = 'deduction'")
            .await,
        done,
        "one ledger receipt per deduction"
    );
    assert_eq!(
        net.count("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM fund_receipts")
            .await,
        net.count("SELECT CAST(COALESCE(SUM(held_fen), 0) AS BIGINT) FROM measures WHERE kind = 'deduct' AND status = 'done'")
            .await
    );
    let o = zhixing(&net.db, &["audit", "verify"], None);
    assert!(o.status.success(), "{}", text(&o));
    kill9(&mut server);
}

/// A counter of one server process: messages it delivered, or sends that failed.
async fn counter(port: u16, name: &str) -> u64 {
    let text = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().last())
        .map_or(0, |v| v.parse::<f64>().unwrap() as u64)
}

#[tokio::test]
async fn several_servers_share_the_outbox_and_only_retries_reach_an_institution_twice() {
    let Ok(url) = std::env::var("ZHIXING_TEST_DATABASE_URL") else {
        eprintln!(
            "skipped: several processes share work through PostgreSQL (set ZHIXING_TEST_DATABASE_URL)"
        );
        return;
    };
    assert!(url.starts_with("postgres"));
    let net = Network::new(200, 5).await;
    let mut a = net.serve(net.port, 60, 30);
    let b_port = free_port();
    let mut b = net.serve(b_port, 60, 30);
    let api = Api::sign_in(net.port).await;
    let mut cases = Vec::new();
    for n in 1..=5 {
        cases.push(api.file(n).await);
    }
    for c in &cases {
        api.investigate(*c).await;
    }
    drained(&net, Duration::from_secs(240)).await;
    let stats = net.stats().await;
    let sent = "zhixing_outbox_delivered_total";
    let (by_a, by_b) = (counter(net.port, sent).await, counter(b_port, sent).await);
    let lost = "zhixing_outbox_failed_sends_total";
    let failed = counter(net.port, lost).await + counter(b_port, lost).await;
    assert!(by_a > 0 && by_b > 0, "both processes sent: {by_a} + {by_b}");
    // Delivery is at least once: a send that failed, or whose reply is overdue, is sent again
    // and the institution may see it twice. A message claimed by two processes at once would
    // reach it twice without any retry: every duplicate must be explained by a retry.
    let retried = counter(net.port, "zhixing_outbox_retries_total").await
        + counter(b_port, "zhixing_outbox_retries_total").await;
    assert!(
        by_a + by_b + failed >= 1_000,
        "{by_a} + {by_b} delivered, {failed} failed sends: {stats}"
    );
    let duplicates = stats["duplicates"].as_u64().unwrap();
    assert!(
        duplicates <= retried,
        "{duplicates} duplicate deliveries but only {retried} retries: {stats}"
    );
    kill9(&mut a);
    kill9(&mut b);
}

#[tokio::test]
async fn generate_national_builds_every_court_and_rolls_its_cases_up_to_the_spc() {
    let (db, _dir) = fresh_database().await;
    let o = zhixing(
        &db,
        &[
            "generate", "--scope", "national", "--cases", "40", "--seed", "7",
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o));
    let report: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&o.stdout).trim()).unwrap();
    assert_eq!(report["cases"], 40, "{report}");
    let count = async |sql: &str| -> i64 {
        if db.starts_with("postgres") {
            let p = sqlx::PgPool::connect(&db).await.unwrap();
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(&p)
                .await
                .unwrap();
            p.close().await;
            n
        } else {
            let p = sqlx::SqlitePool::connect(&db).await.unwrap();
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
                .fetch_one(&p)
                .await
                .unwrap();
            p.close().await;
            n
        }
    };
    // ≈3,350 courts at four levels, every province.
    let courts = count("SELECT COUNT(*) FROM courts").await;
    assert!((3300..3400).contains(&courts), "{courts} courts");
    assert_eq!(
        count("SELECT COUNT(*) FROM courts WHERE level = 'high'").await,
        31,
        "one high court per province-level division of the mainland"
    );
    // Every case (resumed ones included) is counted once at the SPC's subtree.
    let cases = count("SELECT COUNT(*) FROM cases").await;
    assert!(cases >= 40);
    let at_spc = count(
        "SELECT CAST(SUM(filed) AS BIGINT) FROM indicator_rollups WHERE court_id = 'spc' AND scope = 'subtree'",
    )
    .await;
    assert_eq!(at_spc, cases);
    let provinces = count("SELECT COUNT(DISTINCT substr(court_id, 2, 2)) FROM cases").await;
    assert!(provinces > 10, "cases spread over the country: {provinces}");
}

/// Runs `zhixing` with exactly the environment given (beside the log level), never the
/// caller's data key.
fn zhixing_with(args: &[&str], env: &[(&str, String)]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("ZHIXING_DATABASE_URL")
        .env_remove("ZHIXING_DATA_KEY")
        .env_remove("ZHIXING_DATA_KEY_FILE")
        .env_remove("ZHIXING_RECORDINGS_DIR")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("ZHIXING_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Starts `zhixing serve` on `port` with the environment given.
fn serve_with(port: u16, env: &[(&str, String)]) -> Proc {
    let mut server = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env_remove("ZHIXING_DATA_KEY")
        .env_remove("ZHIXING_RECORDINGS_DIR")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("ZHIXING_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    read_until(
        &mut BufReader::new(server.stdout.take().unwrap()),
        "serving on",
    );
    Proc(server)
}

/// The environment of a server on `db`: its key file and a recordings directory in `dir`.
fn server_env(db: &str, dir: &std::path::Path) -> Vec<(&'static str, String)> {
    vec![
        ("ZHIXING_DATABASE_URL", db.to_owned()),
        ("ZHIXING_DATA_KEY_FILE", key_file(db)),
        (
            "ZHIXING_RECORDINGS_DIR",
            dir.join("recordings").display().to_string(),
        ),
    ]
}

/// Clients filing cases in parallel, each on its own judgments, until stopped or until the
/// server stops answering. Keeps every filing the server acknowledged (201): id and number.
struct Filers {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    acked: std::sync::Arc<std::sync::Mutex<Vec<(i64, String)>>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Filers {
    fn start(api: &std::sync::Arc<Api>, clients: usize) -> Filers {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let tasks = (0..clients)
            .map(|c| {
                let (api, stop, acked) = (api.clone(), stop.clone(), acked.clone());
                tokio::spawn(async move {
                    for i in 0.. {
                        if stop.load(std::sync::atomic::Ordering::Relaxed) {
                            return;
                        }
                        let n = 100_000 * (c + 1) + i;
                        let Ok(r) = api
                            .client
                            .post(format!("{}/api/v1/cases", api.base))
                            .bearer_auth(&api.token)
                            .json(&filing(n))
                            .send()
                            .await
                        else {
                            // The server is gone: whatever it did not answer, it did not promise.
                            return;
                        };
                        let status = r.status();
                        let Ok(v) = r.json::<serde_json::Value>().await else {
                            return;
                        };
                        assert_eq!(status, 201, "{v}");
                        acked.lock().unwrap().push((
                            v["id"].as_i64().unwrap(),
                            v["number"].as_str().unwrap().to_owned(),
                        ));
                    }
                })
            })
            .collect();
        Filers { stop, acked, tasks }
    }

    fn acked(&self) -> Vec<(i64, String)> {
        self.acked.lock().unwrap().clone()
    }

    async fn wait_for(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(120);
        while self.acked.lock().unwrap().len() < n {
            assert!(Instant::now() < deadline, "fewer than {n} filings answered");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Stops the clients once their requests are answered; every acknowledged filing.
    async fn stop(self) -> Vec<(i64, String)> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for t in self.tasks {
            t.await.unwrap();
        }
        self.acked.lock().unwrap().clone()
    }
}

/// A WAV recording (8 kHz mono 16-bit PCM) of `samples` samples.
fn wav(samples: usize) -> Vec<u8> {
    let data_len = u32::try_from(samples * 2).unwrap();
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&8000u32.to_le_bytes());
    b.extend_from_slice(&16000u32.to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..samples {
        b.extend_from_slice(&((i * 37 % 2000) as i16 - 1000).to_le_bytes());
    }
    b
}

/// Every acknowledged filing is on the server at `port` under its number.
async fn all_there(port: u16, acked: &[(i64, String)]) {
    let api = Api::sign_in(port).await;
    for (id, number) in acked {
        let v = api.get(&format!("/api/v1/cases/{id}")).await;
        assert_eq!(v["case"]["number"], number.as_str(), "case {id}: {v}");
    }
}

#[tokio::test]
async fn a_backup_taken_while_filings_arrive_restores_every_acknowledged_write() {
    let (db, dir) = officer_database().await;
    let env = server_env(&db, dir.path());
    let port = free_port();
    let mut server = serve_with(port, &env);
    let api = std::sync::Arc::new(Api::sign_in(port).await);

    // A recording: its bytes live in a file, not in the database.
    let case = api.file(1).await;
    let audio = wav(30_000);
    let r = api
        .client
        .post(format!(
            "{}/api/v1/cases/{case}/recordings?kind=hotline&name=call.wav",
            api.base
        ))
        .bearer_auth(&api.token)
        .header("content-type", "application/octet-stream")
        .body(audio.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let recording = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();

    // Four clients file without pause; the backup starts once some filings are answered.
    let filers = Filers::start(&api, 4);
    filers.wait_for(12).await;
    let before = filers.acked();
    let backup = dir.path().join("backup");
    let backup_env = env.clone();
    let backup_dir = backup.display().to_string();
    let o = tokio::task::spawn_blocking(move || {
        zhixing_with(&["backup", "--to", &backup_dir], &backup_env)
    })
    .await
    .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let during = filers.acked().len() - before.len();
    let acked = filers.stop().await;
    assert!(
        during > 0,
        "filings were answered while the backup ran: {}",
        text(&o)
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).unwrap()).unwrap();
    let in_backup = manifest["counts"]["cases"].as_u64().unwrap() as usize;
    assert!(
        (1 + before.len()..=1 + acked.len()).contains(&in_backup),
        "{in_backup} cases backed up, {} acknowledged before, {} in all",
        before.len(),
        acked.len()
    );
    let manifest_text = manifest.to_string();
    let key_hex = std::fs::read_to_string(key_file(&db)).unwrap();
    assert!(
        !manifest_text.contains(key_hex.trim()),
        "the manifest holds the key's fingerprint, never the key"
    );
    let fingerprint = manifest["data_key_fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(fingerprint.len(), 32, "{manifest}");
    let files = manifest["files"].as_array().unwrap();
    assert!(
        files
            .iter()
            .any(|f| f["path"].as_str().unwrap().starts_with("recordings/")
                && f["size"] == audio.len()),
        "{manifest}"
    );

    // The disaster: the server dies. On PostgreSQL its schema is lost too, and the backup is
    // restored into the same place; on SQLite, into a fresh directory.
    kill9(&mut server);
    let fresh = tempfile::tempdir().unwrap();
    let target = match db.split_once("options[search_path]=") {
        Some((_, schema)) => {
            tamper(&db, &format!("DROP SCHEMA {schema} CASCADE")).await;
            db.clone()
        }
        None => format!("sqlite://{}/zhixing.db", fresh.path().display()),
    };
    let restored_recordings = fresh.path().join("recordings").display().to_string();

    // Another key: refused, and nothing written.
    let o = zhixing_with(
        &[
            "restore",
            "--from",
            &backup.display().to_string(),
            "--to",
            &target,
        ],
        &[
            ("ZHIXING_DATA_KEY", "ab".repeat(32)),
            ("ZHIXING_RECORDINGS_DIR", restored_recordings.clone()),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("would be unreadable") && text(&o).contains(&fingerprint),
        "{}",
        text(&o)
    );
    assert!(
        std::fs::read_dir(fresh.path()).unwrap().next().is_none(),
        "a refused restore writes nothing"
    );

    // The backup's key: restored, checked against the manifest.
    let restored_env = vec![
        ("ZHIXING_DATABASE_URL", target.clone()),
        ("ZHIXING_DATA_KEY_FILE", key_file(&db)),
        ("ZHIXING_RECORDINGS_DIR", restored_recordings),
    ];
    let o = zhixing_with(
        &[
            "restore",
            "--from",
            &backup.display().to_string(),
            "--to",
            &target,
        ],
        &restored_env,
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("audit chain intact"), "{}", text(&o));
    let o = zhixing_with(&["audit", "verify"], &restored_env);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("intact"), "{}", text(&o));

    // Served again: every filing acknowledged before the backup began, the recording's bytes,
    // and the ID numbers readable with the key.
    let port = free_port();
    let _restored = serve_with(port, &restored_env);
    all_there(port, &before).await;
    let api = Api::sign_in(port).await;
    let bytes = api
        .client
        .get(format!(
            "{}/api/v1/recordings/{recording}/content",
            api.base
        ))
        .bearer_auth(&api.token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(
        bytes.as_ref() == audio.as_slice(),
        "the recording restored whole"
    );
    let id = api
        .get(&format!(
            "/api/v1/cases/{}/parties/2/identifier",
            before[0].0
        ))
        .await;
    assert_eq!(id["identifier"], "110101198001010010");

    // A damaged backup is refused before anything is written.
    let database = manifest["database"].as_str().unwrap();
    let path = backup.join(database);
    let mut damaged = std::fs::read(&path).unwrap();
    let mid = damaged.len() / 2;
    damaged[mid] ^= 0xff;
    std::fs::write(&path, damaged).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let o = zhixing_with(
        &[
            "restore",
            "--from",
            &backup.display().to_string(),
            "--to",
            &elsewhere.path().join("z.db").display().to_string(),
        ],
        &restored_env,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("damaged"), "{}", text(&o));
    assert!(
        std::fs::read_dir(elsewhere.path())
            .unwrap()
            .next()
            .is_none()
    );

    // A recording file changed on disk after its upload: the backup says so and fails.
    let stored = std::fs::read_dir(dir.path().join("recordings"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::write(&stored, wav(10)).unwrap();
    let again = dir.path().join("backup-again").display().to_string();
    let o = zhixing_with(&["backup", "--to", &again], &env);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("damaged after upload"), "{}", text(&o));

    // PostgreSQL without pg_dump: the manifest and the key check, and what to run.
    if db.starts_with("postgres") {
        let bare = dir.path().join("backup-bare");
        let mut without_tools = env.clone();
        without_tools.push(("PATH", "/nonexistent".to_owned()));
        std::fs::write(&stored, &audio).unwrap();
        let o = zhixing_with(
            &["backup", "--to", &bare.display().to_string()],
            &without_tools,
        );
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(
            text(&o).contains("pg_dump --format=custom") && text(&o).contains(&fingerprint),
            "{}",
            text(&o)
        );
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(bare.join("manifest.json")).unwrap()).unwrap();
        assert!(m.get("database").is_none(), "{m}");
        let o = zhixing_with(
            &[
                "restore",
                "--from",
                &bare.display().to_string(),
                "--to",
                &db,
            ],
            &restored_env,
        );
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("holds no copy"), "{}", text(&o));
    }
}

#[tokio::test]
async fn a_server_killed_during_parallel_filings_loses_and_doubles_none() {
    let (db, dir) = officer_database().await;
    let env = server_env(&db, dir.path());
    let port = free_port();
    let mut server = serve_with(port, &env);
    let api = std::sync::Arc::new(Api::sign_in(port).await);
    let clients = 8;
    let filers = Filers::start(&api, clients);
    filers.wait_for(24).await;
    kill9(&mut server);
    let acked = filers.stop().await;

    let _server = serve_with(port, &env);
    all_there(port, &acked).await;
    let count = async |sql: &str| {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        if db.starts_with("postgres") {
            let p = sqlx::PgPool::connect(&db).await.unwrap();
            let n: i64 = sqlx::query_scalar(sql).fetch_one(&p).await.unwrap();
            p.close().await;
            n
        } else {
            let p = sqlx::SqlitePool::connect(&db).await.unwrap();
            let n: i64 = sqlx::query_scalar(sql).fetch_one(&p).await.unwrap();
            p.close().await;
            n
        }
    };
    let cases = count("SELECT COUNT(*) FROM cases").await as usize;
    // Acknowledged filings are all there; at most the ones in flight at the kill committed
    // without an answer.
    assert!(
        (acked.len()..=acked.len() + clients).contains(&cases),
        "{cases} cases, {} acknowledged",
        acked.len()
    );
    assert_eq!(
        count("SELECT COUNT(DISTINCT basis_doc) FROM cases").await as usize,
        cases,
        "no filing recorded twice"
    );
    assert_eq!(
        count("SELECT CAST(MAX(seq) AS BIGINT) FROM cases").await as usize,
        cases,
        "the case numbers have no gap"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM events WHERE kind = 'case.filed'").await as usize,
        cases,
        "one filing event per case"
    );
    let o = zhixing_with(&["audit", "verify"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Filing goes on after the restart, numbered after the last.
    let next = api_after_restart_files(port).await;
    assert!(next.ends_with(&format!("执{}号", cases + 1)), "{next}");
}

async fn api_after_restart_files(port: u16) -> String {
    let api = Api::sign_in(port).await;
    let r = api.post("/api/v1/cases", filing(999_999)).await;
    assert_eq!(r.status(), 201);
    r.json::<serde_json::Value>().await.unwrap()["number"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Starts `zhixing demo` in training mode on `db`; the process and everything it printed up
/// to "Stop with Ctrl-C".
fn training_demo(db: &str, port: u16, start: &str) -> (std::process::Child, String) {
    let mut child = Command::new(BIN)
        .args([
            "demo",
            "--database",
            db,
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--cases",
            "20",
            "--simulated-clock",
            start,
        ])
        .env("ZHIXING_DATA_KEY_FILE", key_file(db))
        .env("ZHIXING_DEMO_PASSWORD", "demo-password-for-tests")
        .env("ZHIXING_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let all = read_until(&mut out, "Stop with Ctrl-C").concat();
    (child, all)
}

#[tokio::test]
async fn the_demo_in_training_mode_runs_on_a_clock_the_administrator_advances() {
    let (db, _dir) = fresh_database().await;
    let port = free_port();
    let (mut child, all) = training_demo(&db, port, "2026-01-05T09:00+08:00");
    assert!(
        all.contains("Training mode (演练模式)") && all.contains("now 2026-01-05 09:0"),
        "{all}"
    );
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{base}/api/v1/session"))
        .json(&serde_json::json!({"username": "admin", "password": "demo-password-for-tests"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let token = r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let clock: serde_json::Value = client
        .get(format!("{base}/api/v1/clock"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(clock["simulated"], true, "{clock}");
    assert_eq!(clock["today"], "2026-01-05", "{clock}");
    // The demo's data is made around the simulated time: its two auctions bidding now bid
    // in January 2026.
    let list: serde_json::Value = client
        .get(format!("{base}/public/v1/auctions"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bidding: Vec<&serde_json::Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == "open" && a["phase"] == "bidding")
        .collect();
    assert_eq!(bidding.len(), 2, "{list}");
    for a in bidding {
        assert!(a["ends_at"].as_str().unwrap().starts_with("2026-01"), "{a}");
    }
    let page = client
        .get(format!("{base}/public"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("演练模式"), "every page says so: {page}");
    let r = client
        .post(format!("{base}/api/v1/clock/advance"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"days": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let moved: serde_json::Value = r.json().await.unwrap();
    assert_eq!(moved["clock"]["today"], "2026-01-06", "{moved}");
    child.kill().unwrap();
    child.wait().unwrap();

    // Started again from the same moment, the clock goes on from the newest record rather
    // than before it.
    let port = free_port();
    let (mut child, all) = training_demo(&db, port, "2026-01-05T09:00+08:00");
    assert!(
        all.contains("this database has records up to 2026-01-06"),
        "{all}"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn serve_has_no_simulated_clock_and_a_bad_start_is_refused() {
    let o = zhixing_with(&["serve", "--simulated-clock", "2026-01-05"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("unexpected argument '--simulated-clock'"),
        "{}",
        text(&o)
    );
    let o = zhixing_with(&["demo", "--simulated-clock", "next monday"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("is not a moment"), "{}", text(&o));
}
