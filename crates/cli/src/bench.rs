//! `zhixing bench`: throughput figures, each beside a baseline measured in the same run on the
//! same machine, printed as one JSON object per figure. Not a test: nothing here asserts.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use clap::Args;
use serde_json::json;
use zhixing_server::{App, Config, SystemClock, service};
use zhixing_store::{NewEvent, Store};

#[derive(Args)]
pub struct BenchArgs {
    /// Seconds per HTTP measurement.
    #[arg(long, default_value_t = 3)]
    seconds: u64,
    /// Concurrent HTTP clients.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Events per append measurement.
    #[arg(long, default_value_t = 2000)]
    events: usize,
    /// Database to measure on (default: a fresh SQLite file in a temporary directory). A
    /// PostgreSQL URL is used as given: run it against a scratch database.
    #[arg(long)]
    database: Option<String>,
}

async fn load(url: String, token: Option<String>, seconds: u64, concurrency: usize) -> Result<f64> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url, token, done, failed) = (
            client.clone(),
            url.clone(),
            token.clone(),
            done.clone(),
            failed.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let mut req = client.get(&url);
                if let Some(t) = &token {
                    req = req.bearer_auth(t);
                }
                match req.send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let start = Instant::now();
    for t in tasks {
        t.await?;
    }
    let elapsed = start.elapsed().as_secs_f64();
    if failed.load(Ordering::Relaxed) > 0 {
        return Err(anyhow!(
            "{} requests to {url} failed",
            failed.load(Ordering::Relaxed)
        ));
    }
    Ok(done.load(Ordering::Relaxed) as f64 / elapsed)
}

fn event(i: usize) -> NewEvent {
    NewEvent {
        actor: "user:1".into(),
        court_id: Some("b110105".into()),
        kind: "bench.event".into(),
        subject: format!("case:{i}"),
        payload: json!({"i": i, "note": "benchmark"}),
    }
}

pub async fn run(args: BenchArgs) -> Result<()> {
    let tmp = std::env::temp_dir().join(format!("zhixing-bench-{}", std::process::id()));
    let url = match &args.database {
        Some(u) => u.clone(),
        None => format!("sqlite://{}", tmp.join("bench.db").display()),
    };
    let store = Store::connect(&url)
        .await
        .context("opening the bench database")?;
    let config = Config {
        cipher: Some(crate::data_key(&url)?),
        ..Config::default()
    };
    let app =
        App::new(store.clone(), config, Arc::new(SystemClock)).map_err(|e| anyhow!(e.message))?;
    zhixing_server::prepare(&app)
        .await
        .map_err(|e| anyhow!(e.message))?;
    service::courts::generate(&app, &crate::scope_of("beijing"), "bench")
        .await
        .map_err(|e| anyhow!(e.message))?;
    let user = format!("bench{}", std::process::id());
    let password = "bench-password-123".to_owned();
    if store.user_by_username(&user).await?.is_none() {
        service::users::create_user(
            &app,
            None,
            service::users::UserSpec {
                username: user.clone(),
                display_name: "bench".into(),
                court_id: "b110105".into(),
                roles: vec![zhixing_domain::access::Role::Officer],
                password: password.clone(),
            },
        )
        .await
        .map_err(|e| anyhow!(e.message))?;
    }

    // (a) authenticated reads vs a minimal axum handler, same client, same machine.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(zhixing_server::serve(
        listener,
        app.clone(),
        std::future::pending(),
    ));
    let minimal = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let maddr = minimal.local_addr()?;
    let mserver = tokio::spawn(async move {
        let r = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
        axum::serve(minimal, r).await
    });
    let session = service::auth::login(&app, &user, &password)
        .await
        .map_err(|e| anyhow!(e.message))?;
    let baseline = load(
        format!("http://{maddr}/"),
        None,
        args.seconds,
        args.concurrency,
    )
    .await?;
    let authed = load(
        format!("http://{addr}/api/v1/courts/b110105"),
        Some(session.token),
        args.seconds,
        args.concurrency,
    )
    .await?;
    println!(
        "{}",
        json!({"figure": "authenticated_read_rps", "route": "GET /api/v1/courts/{id}", "backend": store.backend().as_str(),
               "value": authed.round(), "baseline": "minimal axum handler", "baseline_value": baseline.round(),
               "ratio": (authed / baseline * 1000.0).round() / 1000.0, "concurrency": args.concurrency})
    );
    server.abort();
    mserver.abort();

    // (b) events appended through the audit chain vs raw inserts of the same rows.
    store.bench_prepare_raw().await?;
    for batch in [1usize, 100] {
        let n = args.events - args.events % batch;
        let start = Instant::now();
        for chunk in (0..n).collect::<Vec<_>>().chunks(batch) {
            let evs: Vec<NewEvent> = chunk.iter().map(|i| event(*i)).collect();
            let mut tx = store.begin().await?;
            tx.append_events(app.now_us(), &evs).await?;
            tx.commit().await?;
        }
        let chained = n as f64 / start.elapsed().as_secs_f64();
        let start = Instant::now();
        for chunk in (0..n).collect::<Vec<_>>().chunks(batch) {
            let evs: Vec<NewEvent> = chunk.iter().map(|i| event(*i)).collect();
            let mut tx = store.begin().await?;
            tx.bench_raw_insert(app.now_us(), &evs).await?;
            tx.commit().await?;
        }
        let raw = n as f64 / start.elapsed().as_secs_f64();
        println!(
            "{}",
            json!({"figure": "events_appended_per_second", "events_per_transaction": batch, "backend": store.backend().as_str(),
                   "value": chained.round(), "baseline": "raw INSERT of the same rows, same engine", "baseline_value": raw.round(),
                   "ratio": (chained / raw * 1000.0).round() / 1000.0, "events": n})
        );
    }
    store.bench_drop_raw().await?;
    store.close().await;
    if args.database.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}
