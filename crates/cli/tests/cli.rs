//! The `zhixing` binary as an operator uses it: separate processes, real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_zhixing");

/// A fresh database: SQLite in a temporary directory, or a new schema in
/// `ZHIXING_TEST_DATABASE_URL`'s PostgreSQL database.
async fn fresh_database() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    match std::env::var("ZHIXING_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let schema = format!(
                "cli_{}_{}",
                std::process::id(),
                Instant::now().elapsed().as_nanos() ^ rand_u32()
            );
            let pool = sqlx::PgPool::connect(&admin).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
            let sep = if admin.contains('?') { '&' } else { '?' };
            (format!("{admin}{sep}options[search_path]={schema}"), dir)
        }
        _ => (
            format!("sqlite://{}", dir.path().join("z.db").display()),
            dir,
        ),
    }
}

fn rand_u32() -> u128 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    t % 1_000_000_007
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
    assert!(text(&o).contains("19 courts"), "{}", text(&o));

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
    let lines = read_until(&mut out, "Password for every demo account");
    let all = lines.concat();
    assert!(all.contains(&format!("http://127.0.0.1:{port}/")), "{all}");
    for user in ["officer", "judge", "head", "supervisor", "auditor", "admin"] {
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
    let (db, _dir) = fresh_database().await;
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
            "--institutions",
            "6",
            "--latency-ms",
            "1",
        ])
        .args([
            "--platform-public-key",
            &platform_key,
            "--reply-to",
            &format!("http://127.0.0.1:{port}"),
        ])
        .env("ZHIXING_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    read_until(
        &mut BufReader::new(sim.stdout.take().unwrap()),
        "institution simulator",
    );
    let o = zhixing(
        &db,
        &[
            "institutions",
            "import",
            "--from",
            &format!("http://127.0.0.1:{sim_port}/institutions"),
        ],
        None,
    );
    assert!(
        o.status.success() && text(&o).contains("6 institutions"),
        "{}",
        text(&o)
    );

    let mut server = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("ZHIXING_DATABASE_URL", &db)
        .env("ZHIXING_DATA_KEY_FILE", key_file(&db))
        .env("ZHIXING_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    read_until(
        &mut BufReader::new(server.stdout.take().unwrap()),
        "serving on",
    );
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
    let filing = serde_json::json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初8号", "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 5_000_000}
    });
    let case: serde_json::Value = client
        .post(format!("{base}/api/v1/cases"))
        .bearer_auth(&token)
        .json(&filing)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = case["id"].as_i64().unwrap();
    let inv: serde_json::Value = client
        .post(format!("{base}/api/v1/cases/{id}/investigations"))
        .bearer_auth(&token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(inv["messages"], 6);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let v: serde_json::Value = client
            .get(format!(
                "{base}/api/v1/cases/{id}/investigations/{}",
                inv["id"]
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if v["replied"] == 6 {
            break;
        }
        assert!(Instant::now() < deadline, "not answered: {v}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let stats: serde_json::Value = client
        .get(format!("http://127.0.0.1:{sim_port}/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        stats["refused"], 0,
        "the simulator verified the platform's signature on every request: {stats}"
    );
    assert!(stats["received"].as_u64().unwrap() >= 6);
    for mut child in [server, sim] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
