//! `zhixing bench`: throughput figures, each beside a baseline measured in the same run on the
//! same machine, printed as one JSON object per figure. Not a test: nothing here asserts.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use clap::Args;
use serde_json::json;
use zhixing_app::case::FileCase;
use zhixing_server::{App, Config, ManualClock, SystemClock};
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
    /// Filings for the filings-per-second figure.
    #[arg(long, default_value_t = 500)]
    filings: usize,
    /// Cases bulk-loaded before measuring list and search latency.
    #[arg(long, default_value_t = 1_000_000)]
    cases: usize,
    /// Requests per latency measurement.
    #[arg(long, default_value_t = 400)]
    queries: usize,
    /// Institutions for the investigation fan-out figure.
    #[arg(long, default_value_t = 4000)]
    fanout: usize,
    /// Database to measure on (default: a fresh SQLite file in a temporary directory). A
    /// PostgreSQL URL is used as given: run it against a scratch database.
    #[arg(long)]
    database: Option<String>,
    /// Respondents put on the dishonest list for the public search figure.
    #[arg(long, default_value_t = 1_000_000)]
    listings: usize,
    /// Bidders registered (deposits paid) for the auction figure.
    #[arg(long, default_value_t = 200)]
    auction_bidders: usize,
    /// Live-feed (SSE) listeners connected during the auction figure.
    #[arg(long, default_value_t = 1000)]
    listeners: usize,
    /// Bids per second offered to the auction while the listeners are connected (an open
    /// loop: each bid is sent at its time, whatever the answers to earlier ones).
    #[arg(long, default_value_t = 50.0)]
    bid_rate: f64,
    /// Seconds of offered bids.
    #[arg(long, default_value_t = 20)]
    bid_seconds: u64,
    /// Cases generated across the national court hierarchy for the indicator figure.
    #[arg(long, default_value_t = 10_000_000)]
    national_cases: usize,
    /// Failed sign-ins fired at once for the sign-in figure…
    #[arg(long, default_value_t = 1000)]
    signin_attempts: usize,
    /// …from this many client addresses.
    #[arg(long, default_value_t = 10)]
    signin_addresses: usize,
    /// …in this many bursts, one after the other (is memory kept after one reused by the
    /// next, or does it grow?).
    #[arg(long, default_value_t = 3)]
    signin_rounds: u32,
    /// Only these measurements (comma-separated: auth, events, filings, fanout, latency,
    /// public, auction, indicators, signin); default all.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

async fn load(url: String, token: Option<String>, seconds: u64, concurrency: usize) -> Result<f64> {
    Ok(load_urls(Arc::new(vec![url]), token, seconds, concurrency)
        .await?
        .rps)
}

/// Requests per second and latencies (ms) of `concurrency` clients cycling through `urls`.
struct Load {
    rps: f64,
    latencies: Vec<f64>,
}

async fn load_urls(
    urls: Arc<Vec<String>>,
    token: Option<String>,
    seconds: u64,
    concurrency: usize,
) -> Result<Load> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for k in 0..concurrency {
        let (client, urls, token, done, failed) = (
            client.clone(),
            urls.clone(),
            token.clone(),
            done.clone(),
            failed.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut i = k;
            while Instant::now() < deadline {
                let Some(url) = urls.get(i % urls.len().max(1)) else {
                    break;
                };
                i += concurrency;
                let mut req = client.get(url);
                if let Some(t) = &token {
                    req = req.bearer_auth(t);
                }
                let t0 = Instant::now();
                match req.send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(t0.elapsed().as_secs_f64() * 1000.0);
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            lat
        }));
    }
    let start = Instant::now();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await?);
    }
    let elapsed = start.elapsed().as_secs_f64();
    if failed.load(Ordering::Relaxed) > 0 {
        return Err(anyhow!(
            "{} requests to {} failed",
            failed.load(Ordering::Relaxed),
            urls.first().map(String::as_str).unwrap_or_default()
        ));
    }
    Ok(Load {
        rps: done.load(Ordering::Relaxed) as f64 / elapsed,
        latencies,
    })
}

/// Where the bench's own sign-ins come from.
const LOCALHOST: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

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
    let app = App::new(
        store.clone(),
        config,
        Arc::new(SystemClock),
        zhixing_server::courier(),
    )
    .map_err(|e| anyhow!("{e}"))?;
    zhixing_server::prepare(&app)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    zhixing_app::platform::courts::generate(&app, &crate::scope_of("beijing"), "bench")
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let user = format!("bench{}", std::process::id());
    let password = "bench-password-123".to_owned();
    if store.user_by_username(&user).await?.is_none() {
        zhixing_app::identity::users::create_user(
            &app,
            None,
            zhixing_app::identity::users::UserSpec {
                username: user.clone(),
                display_name: "bench".into(),
                court_id: "b110105".into(),
                roles: vec![zhixing_domain::access::Role::Officer],
                password: password.clone(),
                id_number: None,
            },
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    }

    let want = |name: &str| args.only.is_empty() || args.only.iter().any(|o| o == name);
    if want("auth") {
        auth_reads(&app, &store, &user, &password, &args).await?;
    }
    if want("events") {
        events(&app, &store, args.events).await?;
    }
    if want("filings") {
        filings(&app, &store, args.filings).await?;
    }
    if want("filing-drafts") {
        filing_drafts(&app, &store)?;
    }
    if want("fanout") {
        fanout(&app, &store, args.fanout).await?;
    }
    if want("latency") {
        latency(&app, &store, args.cases, args.queries).await?;
    }
    if want("public") {
        public_search(&store, &url, &args).await?;
    }
    if want("auction") {
        auction(&store, &url, &args).await?;
    }
    if want("indicators") {
        indicators(&app, &store, &args).await?;
    }
    if want("signin") {
        signin(&url, &user, &password, &args).await?;
    }
    store.close().await;
    if args.database.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}

/// (a) Authenticated reads vs a minimal axum handler, same client, same machine.
async fn auth_reads(
    app: &App,
    store: &Store,
    user: &str,
    password: &str,
    args: &BenchArgs,
) -> Result<()> {
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
    let session = zhixing_app::identity::auth::login(app, user, password, LOCALHOST)
        .await
        .map_err(|e| anyhow!("{e}"))?;
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
    Ok(())
}

/// (b) Events appended through the audit chain vs raw inserts of the same rows.
async fn events(app: &App, store: &Store, events: usize) -> Result<()> {
    store.bench_prepare_raw().await?;
    for batch in [1usize, 100] {
        let n = events - events % batch;
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
    Ok(())
}

fn filing(i: usize) -> zhixing_domain::filing::FilingInput {
    use zhixing_domain::case::{Basis, BasisKind, PartyRole};
    use zhixing_domain::filing::PartyInput;
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let body = format!("11010519800101{:03}", i % 1000);
    let body = format!("{}{}", &body[..10], &format!("{:07}", 1010000 + i)[..7]);
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let id = format!("{body}{}", C[(sum % 11) as usize]);
    let today = jiff::Zoned::now().date();
    zhixing_domain::filing::FilingInput {
        case_type: "执".into(),
        parties: vec![
            PartyInput {
                role: PartyRole::Applicant,
                kind: "person".into(),
                name: "张三".into(),
                id_number: Some("11010519491231002X".into()),
                credit_code: None,
                legal_representative: None,
                address: None,
            },
            PartyInput {
                role: PartyRole::Respondent,
                kind: "person".into(),
                name: format!("李四{i}"),
                id_number: Some(id),
                credit_code: None,
                legal_representative: None,
                address: None,
            },
        ],
        basis: Basis {
            kind: BasisKind::Judgment,
            issuing_body: "北京市朝阳区人民法院".into(),
            document_number: format!("(2026)京0105民初{}号", 100_000 + i),
            effective_date: today.saturating_sub(jiff::Span::new().days(30)),
            performance_deadline: today.saturating_sub(jiff::Span::new().days(15)),
        },
        amounts: [1_000_000, 0, 0, 10_000],
        duties: String::new(),
        late_reason: None,
    }
}

/// (c) Filings per second through the whole service, beside raw inserts of the same rows.
async fn filings(app: &App, store: &Store, n: usize) -> Result<()> {
    let by = bench_officer(store).await?;
    let start = Instant::now();
    let mut state = String::new();
    for i in 0..n {
        let id = zhixing_app::case::file(app, &by, FileCase::new(filing(i)))
            .await
            .map_err(|e| anyhow!("{e}"))?
            .id;
        if i == 0 {
            state = store.case(id).await?.map(|r| r.state).unwrap_or_default();
        }
    }
    let service_rate = n as f64 / start.elapsed().as_secs_f64();
    let doc = "<html>".repeat(300);
    let court_path = store
        .court("b110105")
        .await?
        .map(|c| c.path)
        .ok_or_else(|| anyhow!("court b110105"))?;
    // The baseline's events go to a table of their own (the events table's shape without
    // the chain), made here: `--only filings` runs without the events figure that also
    // makes it.
    store.bench_prepare_raw().await?;
    let start = Instant::now();
    for i in 0..n {
        let c = zhixing_store::bench::BulkCase {
            court_id: "b110105".into(),
            seq: 0,
            number: format!("raw-{i}"),
            status: "open",
            filed_on: "2026-01-01".into(),
            next_due: Some("2026-02-01".into()),
            state: state.clone(),
            applicant: "张三".into(),
            respondent: format!("李四{i}"),
            officer_id: None,
        };
        let mut tx = store.begin().await?;
        tx.bench_raw_filing(&c, &court_path, app.now_us(), &doc)
            .await?;
        tx.commit().await?;
    }
    let raw = n as f64 / start.elapsed().as_secs_f64();
    store.bench_drop_raw().await?;
    println!(
        "{}",
        json!({"figure": "filings_per_second", "backend": store.backend().as_str(), "value": service_rate.round(),
               "baseline": "raw INSERTs of the same rows (counter, case, 2 parties, document, 2 access codes, indicator facts, 5 rollup rows, 2 events), one transaction each",
               "baseline_value": raw.round(), "ratio": (service_rate / raw * 1000.0).round() / 1000.0, "filings": n})
    );
    Ok(())
}

/// A judgment of about twenty pages: a corpus judgment whose findings and reasoning are
/// repeated to ~30,000 characters (a page of a judgment holds ~1,500), with its heading,
/// parties and operative part as they are.
fn twenty_page_judgment() -> String {
    let base = include_str!("../../../data/filing-corpus/41-long-reasoning.txt");
    let Some(cut) = base.find("本院经审理认定事实如下") else {
        return base.repeat(15);
    };
    let reasoning_end = base.find("依照《").unwrap_or(cut);
    let reasoning = &base[cut..reasoning_end];
    let mut doc = String::with_capacity(40_000);
    doc.push_str(&base[..cut]);
    while doc.chars().count() < 30_000 {
        doc.push_str(reasoning);
    }
    doc.push_str(&base[reasoning_end..]);
    doc
}

/// Smart filing: the draft of a 20-page judgment (aim: < 200 ms), the extractor alone, which
/// is what a request waits for besides the audit row.
fn filing_drafts(_app: &App, _store: &Store) -> Result<()> {
    let doc = twenty_page_judgment();
    let w = zhixing_domain::filing_draft::Wording::shipped().map_err(|e| anyhow!("{e}"))?;
    let mut ms = Vec::new();
    for _ in 0..30 {
        let start = Instant::now();
        let d = zhixing_domain::filing_draft::extract(&doc, &w).map_err(|e| anyhow!("{e}"))?;
        ms.push(start.elapsed().as_secs_f64() * 1000.0);
        if d.parties.is_empty() {
            return Err(anyhow!("the bench judgment gave no parties"));
        }
    }
    let (p50, max) = (
        percentile(ms.clone(), 0.5),
        ms.iter().copied().fold(0.0, f64::max),
    );
    println!(
        "{}",
        json!({"figure": "filing_draft_ms", "chars": doc.chars().count(), "p50": (p50 * 100.0).round() / 100.0,
               "max": (max * 100.0).round() / 100.0, "aim": 200, "runs": ms.len()})
    );
    Ok(())
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).copied().unwrap_or(0.0)
}

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
];

/// Bulk-loads cases (two persons each) until `total` are stored; returns the basic courts.
async fn ensure_cases(app: &App, store: &Store, total: usize) -> Result<Vec<String>> {
    let courts: Vec<String> = store
        .courts_under("/spc/h11/", "", 1000)
        .await?
        .into_iter()
        .filter(|c| c.level == "basic")
        .map(|c| c.id)
        .collect();
    if store.count_cases().await? == 0 {
        // One case filed through the services: its state is the template of the bulk rows,
        // so that workers and pages can read every case.
        zhixing_fixtures::cases(app, &["b110105".to_owned()], 1, 7, &|_, _| {})
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    let existing = store.count_cases().await? as usize;
    let template = store
        .list_cases(&zhixing_store::cases::CaseFilter {
            court_id: "b110105".into(),
            limit: 1,
            ..Default::default()
        })
        .await?;
    let state = template
        .first()
        .map(|r| r.state.clone())
        .unwrap_or_default();
    let start = Instant::now();
    let mut tx = store.begin().await?;
    let mut rng: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for i in existing..total {
        let court = &courts[(next() as usize) % courts.len()];
        let name = |r: u64| {
            format!(
                "{}{}{}",
                SURNAMES[(r % 12) as usize],
                GIVEN[((r / 12) % 12) as usize],
                (r / 144) % 500
            )
        };
        let day = 1 + (next() % 700) as i64;
        let due = jiff::civil::date(2025, 1, 1).saturating_add(jiff::Span::new().days(day));
        let c = zhixing_store::bench::BulkCase {
            court_id: court.clone(),
            seq: 10_000_000 + i as i64,
            number: format!("(2025)bench{i}"),
            status: if next() % 3 == 0 { "closed" } else { "open" },
            filed_on: due.saturating_sub(jiff::Span::new().days(30)).to_string(),
            next_due: Some(due.to_string()),
            state: state.clone(),
            applicant: name(next()),
            respondent: name(next()),
            officer_id: None,
        };
        tx.bench_bulk_case(&c, app.now_us()).await?;
        if i % 5000 == 4999 {
            tx.commit().await?;
            tx = store.begin().await?;
            eprint!("\rloading cases: {} of {total}   ", i + 1);
        }
    }
    tx.commit().await?;
    store.bench_analyze().await?;
    eprintln!(
        "\rloaded {} cases in {:.0} s",
        store.count_cases().await?,
        start.elapsed().as_secs_f64()
    );
    Ok(courts)
}

/// (d) p99 latency of the case list and of search by party name with `total` cases stored.
async fn latency(app: &App, store: &Store, total: usize, queries: usize) -> Result<()> {
    let courts = ensure_cases(app, store, total).await?;
    let sup = format!("benchsup{}", std::process::id());
    if store.user_by_username(&sup).await?.is_none() {
        zhixing_app::identity::users::create_user(
            app,
            None,
            zhixing_app::identity::users::UserSpec {
                username: sup.clone(),
                display_name: "bench".into(),
                court_id: "h11".into(),
                roles: vec![zhixing_domain::access::Role::Supervisor],
                password: "bench-password-123".into(),
                id_number: None,
            },
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    }
    let token = zhixing_app::identity::auth::login(app, &sup, "bench-password-123", LOCALHOST)
        .await
        .map_err(|e| anyhow!("{e}"))?
        .token;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(zhixing_server::serve(
        listener,
        app.clone(),
        std::future::pending(),
    ));
    let client = reqwest::Client::new();
    let measure = |label: &'static str, paths: Vec<String>| {
        let client = client.clone();
        let token = token.clone();
        async move {
            let mut lat = Vec::new();
            for p in paths {
                let t0 = Instant::now();
                let r = client
                    .get(format!("http://{addr}{p}"))
                    .bearer_auth(&token)
                    .send()
                    .await?;
                if !r.status().is_success() {
                    return Err(anyhow!("{label}: {p} answered {}", r.status()));
                }
                let _ = r.bytes().await?;
                lat.push(t0.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, anyhow::Error>((percentile(lat.clone(), 0.5), percentile(lat, 0.99)))
        }
    };
    let list_paths: Vec<String> = (0..queries)
        .map(|i| {
            format!(
                "/api/v1/cases?court={}&sort=due&limit=50&status=open",
                courts[i % courts.len()]
            )
        })
        .collect();
    let (p50, p99) = measure("list", list_paths).await?;
    println!(
        "{}",
        json!({"figure": "case_list_latency_ms", "backend": store.backend().as_str(), "cases": total, "p50": (p50 * 100.0).round() / 100.0, "p99": (p99 * 100.0).round() / 100.0, "aim_p99": 50, "query": "GET /api/v1/cases?court=…&sort=due&limit=50&status=open"})
    );
    let search_paths: Vec<String> = (0..queries)
        .map(|i| {
            let name = format!(
                "{}{}{}",
                SURNAMES[i % 12],
                GIVEN[(i / 12) % 12],
                (i * 7) % 500
            );
            let enc: String = name.bytes().map(|b| format!("%{b:02X}")).collect();
            format!(
                "/api/v1/cases?court={}&q={enc}&limit=50",
                courts[i % courts.len()]
            )
        })
        .collect();
    let (p50, p99) = measure("search", search_paths).await?;
    println!(
        "{}",
        json!({"figure": "party_name_search_latency_ms", "backend": store.backend().as_str(), "cases": total, "p50": (p50 * 100.0).round() / 100.0, "p99": (p99 * 100.0).round() / 100.0, "aim_p99": 50, "query": "GET /api/v1/cases?court=…&q=<name>"})
    );
    server.abort();
    Ok(())
}

/// (e) One case's online investigation fanned out to `n` simulated institutions at zero
/// latency: wall time until every reply is applied, and replies applied per second beside the
/// same number of bare HTTP round trips to the simulator.
async fn fanout(app: &App, store: &Store, n: usize) -> Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let sim_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let sim_addr = sim_listener.local_addr()?;
    let cfg = zhixing_exchange::sim::SimConfig {
        seed: 5,
        institutions: n,
        latency: Duration::ZERO,
        error_rate: 0.0,
        platform_public_key: Some(app.platform_key.public_base64()),
        reply_to: Some(format!("http://{addr}")),
        base_url: format!("http://{sim_addr}"),
        today: None,
    };
    let institutions = cfg.institutions();
    let sim =
        tokio::spawn(
            async move { axum::serve(sim_listener, zhixing_exchange::sim::router(cfg)).await },
        );
    let fast = App::new(
        store.clone(),
        Config {
            cipher: Some(app.cipher.clone()),
            platform_key: Some(app.platform_key.clone()),
            outbox_poll: Duration::from_millis(20),
            ..Config::default()
        },
        Arc::new(SystemClock),
        zhixing_server::courier(),
    )
    .map_err(|e| anyhow!("{e}"))?;
    let server = tokio::spawn(zhixing_server::serve(
        listener,
        fast.clone(),
        std::future::pending(),
    ));
    let mut tx = store.begin().await?;
    for i in &institutions {
        tx.put_institution(&zhixing_store::investigation::InstitutionRow {
            id: i.id.clone(),
            name: i.name.clone(),
            kind: i.kind.clone(),
            measures: i.measures.clone(),
            channel: "national".into(),
            region: String::new(),
            endpoint: i.endpoint.clone(),
            public_key: i.public_key.clone(),
            concurrency: 8,
            active: true,
            created_at: fast.now_us(),
        })
        .await?;
    }
    tx.commit().await?;
    let by = bench_officer(store).await?;
    let mut input = filing(9999);
    input.parties.truncate(2);
    let case = zhixing_app::case::file(&fast, &by, FileCase::new(input))
        .await
        .map_err(|e| anyhow!("{e}"))?
        .id;
    let start = Instant::now();
    let (_, messages) = zhixing_app::control::investigation::start(&fast, &by, case, None)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let queued = start.elapsed().as_secs_f64();
    let mut delivered_at = None;
    while store.outbox_open().await? > 0 {
        if delivered_at.is_none() && store.outbox_undelivered().await? == 0 {
            delivered_at = Some(start.elapsed().as_secs_f64());
        }
        if start.elapsed() > Duration::from_secs(900) {
            return Err(anyhow!("fan-out did not finish in 15 minutes"));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let wall = start.elapsed().as_secs_f64();
    let applied = messages as f64 / wall;
    // Baseline: the same number of bare round trips to the simulator, 64 at a time.
    let client = reqwest::Client::new();
    let t0 = Instant::now();
    let mut left = messages;
    while left > 0 {
        let batch = left.min(64);
        let mut tasks = Vec::with_capacity(batch);
        for _ in 0..batch {
            let (client, url) = (client.clone(), format!("http://{sim_addr}/stats"));
            tasks.push(tokio::spawn(async move {
                client
                    .get(url)
                    .send()
                    .await
                    .map(|r| r.status().is_success())
            }));
        }
        for t in tasks {
            t.await??;
        }
        left -= batch;
    }
    let bare = messages as f64 / t0.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({"figure": "investigation_replies_applied_per_second", "backend": store.backend().as_str(), "value": applied.round(),
               "baseline": "bare HTTP round trips to the simulator (64 concurrent)", "baseline_value": bare.round(),
               "ratio": (applied / bare * 1000.0).round() / 1000.0, "messages": messages})
    );
    println!(
        "{}",
        json!({"figure": "investigation_fanout_wall_seconds", "backend": store.backend().as_str(), "institutions": n, "messages": messages,
               "value": (wall * 100.0).round() / 100.0, "of_which_signing_and_queueing": (queued * 100.0).round() / 100.0,
               "all_delivered_at": delivered_at.map(|d| (d * 100.0).round() / 100.0)})
    );
    server.abort();
    sim.abort();
    Ok(())
}

/// A valid resident ID number for bulk-loaded respondent `n`: a real check digit, so that the
/// search takes the same path as a real one; unique for n below 14.6 million.
fn synthetic_id(n: i64) -> String {
    resident_id("110101", n)
}

/// A valid resident ID number in district `area` (six digits), unique per `n` below 14.6
/// million: a birth date counted from 1960 and a sequence number.
fn resident_id(area: &str, n: i64) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let birth = jiff::civil::date(1960, 1, 1).saturating_add(jiff::Span::new().days(n % 14_600));
    let body = format!(
        "{area}{:04}{:02}{:02}{:03}",
        birth.year(),
        birth.month(),
        birth.day(),
        (n / 14_600) % 1000
    );
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{body}{}", CHECK[(sum % 11) as usize])
}

/// (f) Public searches of the dishonest list per second with `listings` entries in force,
/// beside the minimal axum handler in the same run, and their latency. The search goes the
/// whole way: rate limiter, validation, blind index, the indexed lookup and masking. Seven in
/// ten searches find someone; the rest are a real number under another name and find nothing.
async fn public_search(store: &Store, url: &str, args: &BenchArgs) -> Result<()> {
    // The rate limit stays in the path but is set out of reach: one client is measuring.
    let config = Config {
        cipher: Some(crate::data_key(url)?),
        public_rate_per_minute: 1_000_000_000,
        public_burst: 1_000_000_000,
        ..Config::default()
    };
    let app = App::new(
        store.clone(),
        config,
        Arc::new(SystemClock),
        zhixing_server::courier(),
    )
    .map_err(|e| anyhow!("{e}"))?;
    let target = args.listings as i64;
    ensure_cases(&app, store, args.listings).await?;
    let start = Instant::now();
    let mut listed = store.bench_count_listed().await?;
    let mut after = 0i64;
    while listed < target {
        let batch = store
            .bench_unlisted_respondents(after, 5000.min(target - listed))
            .await?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.case_id;
        let mut tx = store.begin().await?;
        for r in &batch {
            let id = synthetic_id(r.case_id);
            tx.bench_list(
                r,
                &app.cipher.index(&id),
                &zhixing_domain::identity::mask(&id),
                app.now_us(),
            )
            .await?;
        }
        tx.commit().await?;
        listed += batch.len() as i64;
        eprint!("\rlisting respondents: {listed} of {target}   ");
    }
    store.bench_analyze().await?;
    eprintln!(
        "\r{listed} listings in force ({:.0} s to load)",
        start.elapsed().as_secs_f64()
    );
    let step = (listed / 2000).max(1);
    let sample = store.bench_listing_sample(step, 2000).await?;
    if sample.is_empty() {
        return Err(anyhow!("no listings to search"));
    }
    let enc = |s: &str| -> String { s.bytes().map(|b| format!("%{b:02X}")).collect() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(zhixing_server::serve(
        listener,
        app.clone(),
        std::future::pending(),
    ));
    let urls: Vec<String> = sample
        .iter()
        .enumerate()
        .map(|(i, (name, case_id))| {
            let name = if i % 10 < 7 {
                name.clone()
            } else {
                format!("{name}甲")
            };
            format!(
                "http://{addr}/public/v1/dishonest?name={}&id_number={}",
                enc(&name),
                synthetic_id(*case_id)
            )
        })
        .collect();
    // Check that the searches find what they should before timing them.
    let probe: serde_json::Value = reqwest::get(&urls[0]).await?.json().await?;
    if probe["items"].as_array().map(Vec::len) != Some(1) {
        return Err(anyhow!("the first sample search found nothing: {probe}"));
    }
    let minimal = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let maddr = minimal.local_addr()?;
    let mserver = tokio::spawn(async move {
        let r = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
        axum::serve(minimal, r).await
    });
    let baseline = load(
        format!("http://{maddr}/"),
        None,
        args.seconds,
        args.concurrency,
    )
    .await?;
    let searched = load_urls(Arc::new(urls.clone()), None, args.seconds, args.concurrency).await?;
    // Latency without queueing: one client, one search at a time.
    let one = load_urls(Arc::new(urls), None, args.seconds, 1).await?;
    let round = |x: f64| (x * 100.0).round() / 100.0;
    println!(
        "{}",
        json!({"figure": "public_dishonest_search_rps", "route": "GET /public/v1/dishonest?name=…&id_number=…",
               "backend": store.backend().as_str(), "listings": listed,
               "value": searched.rps.round(), "baseline": "minimal axum handler", "baseline_value": baseline.round(),
               "ratio": (searched.rps / baseline * 1000.0).round() / 1000.0, "aim_ratio": 0.3,
               "concurrency": args.concurrency,
               "p50_ms_loaded": round(percentile(searched.latencies.clone(), 0.5)),
               "p99_ms_loaded": round(percentile(searched.latencies, 0.99)),
               "p50_ms": round(percentile(one.latencies.clone(), 0.5)),
               "p99_ms": round(percentile(one.latencies, 0.99)), "aim_p99_ms": 20})
    );
    server.abort();
    mserver.abort();
    Ok(())
}

/// The bench officer (created in `run`) as a principal, for commands called on the services.
async fn bench_officer(store: &Store) -> Result<zhixing_domain::access::Principal> {
    let officer = store
        .user_by_username(&format!("bench{}", std::process::id()))
        .await?
        .ok_or_else(|| anyhow!("bench user"))?;
    Ok(zhixing_domain::access::Principal {
        user_id: officer.id,
        username: officer.username,
        court_id: officer.court_id,
        court_path: officer.court_path,
        roles: vec![zhixing_domain::access::Role::Officer],
    })
}

/// 1,000 live feeds are 2,000 sockets in this one process (client and server ends), above the
/// soft limit of 1,024 open files that many systems start with: raise the soft limit towards
/// the hard one. If it cannot be raised, the connections fail and the bench says so.
#[cfg(unix)]
fn raise_fd_limit(want: u64) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed by reference.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < want {
            lim.rlim_cur = want.min(lim.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

#[cfg(not(unix))]
fn raise_fd_limit(_want: u64) {}

/// What one live-feed listener received: the log position (`id`) and the bid's number
/// (`seq` in its data) of each `bid` event, in the order they came.
type Received = Vec<(i64, u64)>;

/// The bid's number in an event's data (`"seq":N`), read without parsing the whole object:
/// a thousand listeners in the bench's own process should cost it little.
fn bid_number(data: &[u8]) -> Option<u64> {
    let at = data.windows(6).position(|w| w == b"\"seq\":")? + 6;
    let digits: Vec<u8> = data[at..]
        .iter()
        .copied()
        .skip_while(|b| *b == b' ')
        .take_while(u8::is_ascii_digit)
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// One live-feed listener: reports when the stream is open, then records every `bid` event
/// (lines split across chunks or not) until `stop` is set or the server ends the stream.
async fn listen(
    client: reqwest::Client,
    url: String,
    ready: tokio::sync::oneshot::Sender<Result<()>>,
    received: Arc<std::sync::Mutex<Received>>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut resp = match client.get(&url).send().await {
        Ok(r) if r.status().is_success() => {
            let _ = ready.send(Ok(()));
            r
        }
        Ok(r) => {
            let _ = ready.send(Err(anyhow!("the live feed answered {}", r.status())));
            return;
        }
        Err(e) => {
            let _ = ready.send(Err(anyhow!("opening the live feed: {e}")));
            return;
        }
    };
    let (mut line, mut id, mut name, mut data) = (Vec::new(), None, Vec::new(), Vec::new());
    loop {
        let chunk = tokio::select! {
            c = resp.chunk() => c,
            _ = stop.changed() => break,
        };
        let Ok(Some(chunk)) = chunk else { break };
        for &b in chunk.iter() {
            if b != b'\n' {
                line.push(b);
                continue;
            }
            let l = line.strip_suffix(b"\r").unwrap_or(&line);
            if l.is_empty() {
                // The end of an event.
                if name == b"bid"
                    && let (Some(id), Some(n)) = (id, bid_number(&data))
                    && let Ok(mut r) = received.lock()
                {
                    r.push((id, n));
                }
                name.clear();
                data.clear();
            } else if let Some(v) = l.strip_prefix(b"id:") {
                id = std::str::from_utf8(v)
                    .ok()
                    .and_then(|v| v.trim().parse().ok());
            } else if let Some(v) = l.strip_prefix(b"event:") {
                name = v.trim_ascii().to_vec();
            } else if let Some(v) = l.strip_prefix(b"data:") {
                data.extend_from_slice(v);
            }
            line.clear();
        }
    }
}

/// What the bidding clients saw.
#[derive(Default)]
struct BidStats {
    accepted: u64,
    /// Answers other than 201, by problem code (or status when there is none).
    refused: std::collections::BTreeMap<String, u64>,
    latencies: Vec<f64>,
    accepted_latencies: Vec<f64>,
}

impl BidStats {
    fn add(&mut self, other: BidStats) {
        self.accepted += other.accepted;
        for (k, v) in other.refused {
            *self.refused.entry(k).or_default() += v;
        }
        self.latencies.extend(other.latencies);
        self.accepted_latencies.extend(other.accepted_latencies);
    }
}

/// The bids of one auction: each is above every bid sent before it (one that arrives after a
/// higher one is refused, `bid_below_increment`, as a late bid in a real room is), and the
/// bidders take turns, so that the leader is rarely the next to bid.
struct Bidding {
    client: reqwest::Client,
    url: String,
    tokens: Vec<String>,
    next: AtomicU64,
    start_price: i64,
    increment: i64,
}

impl Bidding {
    /// Sends the next bid; its answer counted in `s`, its latency from `since` (the time it
    /// was due to be sent).
    async fn one(&self, s: &mut BidStats, since: Instant) {
        let k = self.next.fetch_add(1, Ordering::Relaxed);
        let amount = self.start_price + self.increment * i64::try_from(k).unwrap_or(i64::MAX / 2);
        let Some(token) = self.tokens.get(k as usize % self.tokens.len().max(1)) else {
            return;
        };
        let answer = self
            .client
            .post(&self.url)
            .bearer_auth(token)
            .header("idempotency-key", format!("bench-{k}"))
            .json(&json!({"amount_fen": amount}))
            .send()
            .await;
        let r = match answer {
            Ok(r) => r,
            Err(e) => {
                *s.refused.entry(format!("error: {e}")).or_default() += 1;
                return;
            }
        };
        let status = r.status();
        let body = r.bytes().await.unwrap_or_default();
        let ms = since.elapsed().as_secs_f64() * 1000.0;
        s.latencies.push(ms);
        if status == reqwest::StatusCode::CREATED {
            s.accepted += 1;
            s.accepted_latencies.push(ms);
        } else {
            let code = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["code"].as_str().map(str::to_owned))
                .unwrap_or_else(|| status.as_u16().to_string());
            *s.refused.entry(code).or_default() += 1;
        }
    }

    /// `concurrency` clients bidding as fast as they are answered (a closed loop), for
    /// `seconds`; the answers and the seconds taken.
    async fn closed_loop(
        self: &Arc<Self>,
        concurrency: usize,
        seconds: u64,
    ) -> Result<(BidStats, f64)> {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let mut tasks = Vec::with_capacity(concurrency);
        for _ in 0..concurrency {
            let b = self.clone();
            tasks.push(tokio::spawn(async move {
                let mut s = BidStats::default();
                while Instant::now() < deadline {
                    b.one(&mut s, Instant::now()).await;
                }
                s
            }));
        }
        let mut all = BidStats::default();
        for t in tasks {
            all.add(t.await?);
        }
        Ok((all, started.elapsed().as_secs_f64()))
    }

    /// `rate` bids a second offered for `seconds` (an open loop: each is sent at its time
    /// however long earlier ones take, and its latency counts from that time, so that a slow
    /// answer is not hidden by the next bid waiting for it); the answers and the seconds
    /// from the first bid to the last answer.
    async fn open_loop(self: &Arc<Self>, rate: f64, seconds: u64) -> Result<(BidStats, f64)> {
        let n = (rate * seconds as f64).round() as u64;
        let started = Instant::now();
        let mut tasks = Vec::with_capacity(n as usize);
        for i in 0..n {
            let due = started + Duration::from_secs_f64(i as f64 / rate.max(0.001));
            tokio::time::sleep_until(due.into()).await;
            let b = self.clone();
            tasks.push(tokio::spawn(async move {
                let mut s = BidStats::default();
                b.one(&mut s, due).await;
                s
            }));
        }
        let mut all = BidStats::default();
        for t in tasks {
            all.add(t.await?);
        }
        Ok((all, started.elapsed().as_secs_f64()))
    }
}

/// One-row transactions into a table shaped like the auction's log, for `seconds`: by one
/// writer after the other, and by `concurrency` writers at once; rows per second of each.
async fn one_row_transactions(
    store: &Store,
    seconds: u64,
    concurrency: usize,
) -> Result<(f64, f64)> {
    store.bench_prepare_rows().await?;
    let ids = Arc::new(AtomicU64::new(1));
    let event = r#"{"BidAccepted":{"seq":1,"bidder":"bidder-0000000000000000","amount":70000000}}"#;
    let mut rates = [0.0; 2];
    for (k, writers) in [1usize, concurrency.max(1)].into_iter().enumerate() {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let mut tasks = Vec::with_capacity(writers);
        for _ in 0..writers {
            let (store, ids) = (store.clone(), ids.clone());
            tasks.push(tokio::spawn(async move {
                let mut n = 0u64;
                while Instant::now() < deadline {
                    let id = ids.fetch_add(1, Ordering::Relaxed) as i64;
                    let mut tx = store.begin().await?;
                    tx.bench_insert_row(id, "BidAccepted", event, id).await?;
                    tx.commit().await?;
                    n += 1;
                }
                anyhow::Ok(n)
            }));
        }
        let mut rows = 0;
        for t in tasks {
            rows += t.await??;
        }
        rates[k] = rows as f64 / started.elapsed().as_secs_f64();
    }
    store.bench_drop_rows().await?;
    Ok((rates[0], rates[1]))
}

/// (g) The live auction. With nobody listening, accepted bids per second from `concurrency`
/// clients bidding as fast as they are answered, beside one-row-per-transaction inserts on
/// the same engine in the same run. Then, with `listeners` live feeds (SSE) connected, bids
/// offered at `bid_rate` a second by `auction_bidders` bidders: the answers' latency, and
/// whether every listener received every accepted bid once, in order. The minimal axum
/// handler's requests per second stand beside them. Setup goes through the services (the
/// registry's institution, the house and its seizure through the store, as the auction tests
/// insert them); bids and feeds go over HTTP to the served app.
async fn auction(store: &Store, url: &str, args: &BenchArgs) -> Result<()> {
    use zhixing_app::disposal::{auction as svc, valuation};
    use zhixing_domain::money::Fen;
    const COURT: &str = "b110105";
    const REFERENCE: i64 = 100_000_000;
    const INCREMENT: i64 = 1_000_000;
    let fen = |v: i64| Fen::new(v).map_err(|e| anyhow!("{e}"));
    raise_fd_limit(2 * (args.listeners + args.concurrency) as u64 + 256);
    // The rate limit stays in the path but out of reach: every bidder registers and listens
    // from this one address. The worker's sweep has nothing to do while the clock stands.
    let config = Config {
        cipher: Some(crate::data_key(url)?),
        public_rate_per_minute: 1_000_000_000,
        public_burst: 1_000_000_000,
        sweep_interval: Duration::from_secs(24 * 3600),
        ..Config::default()
    };
    // The server's clock rules bidding; it is moved from the announcement to the bidding
    // period instead of waiting the statutory 31 days.
    let clock = Arc::new(ManualClock::new(jiff::Timestamp::now()));
    let app = App::new(
        store.clone(),
        config,
        clock.clone(),
        zhixing_server::courier(),
    )
    .map_err(|e| anyhow!("{e}"))?;
    let by = bench_officer(store).await?;
    // A respondent and judgment of its own per run: the same basis twice is refused, and a
    // PostgreSQL database keeps the last run's case.
    let n = 5_000_000 + store.count_cases().await? as usize % 3_000_000;
    let mut input = filing(n);
    if let Some(debtor) = input.parties.get_mut(1) {
        // filing() makes valid numbers only for small n.
        debtor.id_number = Some(resident_id("110105", n as i64));
    }
    let case_id = zhixing_app::case::file(&app, &by, FileCase::new(input))
        .await
        .map_err(|e| anyhow!("{e}"))?
        .id;
    let now_us = app.now_us();
    let mut tx = store.begin().await?;
    tx.put_institution(&zhixing_store::investigation::InstitutionRow {
        id: "bench-registry".into(),
        name: "北京市不动产登记中心".into(),
        kind: "real_estate_registry".into(),
        measures: "query,seize".into(),
        channel: "local".into(),
        region: "11".into(),
        endpoint: "http://127.0.0.1:9/unused".into(),
        public_key: "unused".into(),
        concurrency: 1,
        // Inactive: a later fan-out on the same database does not send requests to it.
        active: false,
        created_at: now_us,
    })
    .await?;
    let reference = format!("京(2020)朝阳区不动产权第{case_id}号");
    tx.insert_asset(&zhixing_store::investigation::NewAsset {
        case_id,
        court_id: COURT,
        institution_id: "bench-registry",
        kind: "real_estate",
        reference: &reference,
        description: "朝阳区某小区1号楼101室",
        value_fen: Some(120_000_000),
        encumbrances: "[]",
        found_by: "bench",
        at_us: now_us,
    })
    .await?;
    tx.commit().await?;
    let asset_id = store
        .assets_of(case_id)
        .await?
        .first()
        .map(|a| a.id)
        .ok_or_else(|| anyhow!("the bench asset was not stored"))?;
    // The registry holds the house for the case (the seizure over the exchange is not what
    // is measured here).
    let mut tx = store.begin().await?;
    let measure = tx
        .insert_measure(&zhixing_store::measures::NewMeasure {
            case_id,
            court_id: COURT,
            asset_id,
            institution_id: "bench-registry",
            kind: "seize",
            amount_fen: None,
            requested_until: None,
            request_id: &format!("bench-seize-{case_id}"),
            requested_by: by.user_id,
            at_us: now_us,
        })
        .await?;
    let until = app.today().saturating_add(jiff::Span::new().years(2));
    tx.update_measure(
        measure,
        &zhixing_store::measures::MeasureUpdate {
            status: "active".into(),
            until: Some(until.to_string()),
            ..Default::default()
        },
        now_us,
    )
    .await?;
    tx.commit().await?;
    let v = valuation::execute(&app, &by, valuation::ValuationCommand::Start { asset_id })
        .await
        .map_err(|e| anyhow!("{e}"))?;
    valuation::execute(
        &app,
        &by,
        valuation::ValuationCommand::Step {
            valuation_id: v.id,
            version: None,
            step: valuation::Step::Agreement {
                price: fen(REFERENCE)?,
                valid_until: None,
            },
        },
    )
    .await
    .map_err(|e| anyhow!("{e}"))?;
    // The statutory plan: 70% of the reference, a 7% deposit, 31 days of announcement for
    // real estate, 24 hours of bidding.
    let now = app.now();
    let day = |d: i64| {
        now.checked_add(jiff::SignedDuration::from_hours(24 * d))
            .map_err(|e| anyhow!("{e}"))
    };
    let plan = svc::PlanIn {
        title: "朝阳区某小区1号楼101室".into(),
        start_price: fen(REFERENCE * 7 / 10)?,
        increment: fen(INCREMENT)?,
        deposit: fen(REFERENCE * 7 / 100)?,
        starts_at: day(31)?,
        ends_at: day(32)?,
        balance_days: 10,
    };
    let a = svc::execute(
        &app,
        svc::Caller::Court(&by),
        svc::AuctionCommand::Announce {
            asset_id,
            round: zhixing_domain::auction::Round::First,
            plan: plan.clone(),
        },
    )
    .await
    .and_then(svc::Done::auction)
    .map_err(|e| anyhow!("{e}"))?;
    let id = a.id;
    let mut tokens = Vec::with_capacity(args.auction_bidders);
    for n in 0..args.auction_bidders.max(2) {
        let c = svc::execute(
            &app,
            svc::Caller::Public,
            svc::AuctionCommand::Register {
                auction_id: id,
                real_name: format!("竞买人{n}"),
                identifier: resident_id("110102", n as i64),
            },
        )
        .await
        .and_then(svc::Done::registered)
        .map_err(|e| anyhow!("{e}"))?;
        let paddle = svc::registration(&app, id, &c.token)
            .await
            .map_err(|e| anyhow!("{e}"))?
            .paddle
            .ok_or_else(|| anyhow!("bidder {n}'s registration was refused"))?;
        svc::execute(
            &app,
            svc::Caller::Court(&by),
            svc::AuctionCommand::Deposit {
                auction_id: id,
                paddle,
                amount: fen(c.deposit_fen)?,
                reference: format!("BANK-{n}"),
            },
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
        tokens.push(c.token);
    }
    // A minute into bidding, far from the end: the 5-minute rule does not apply.
    clock.set(
        plan.starts_at
            .checked_add(jiff::SignedDuration::from_mins(1))
            .map_err(|e| anyhow!("{e}"))?,
    );

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
    let baseline = load(
        format!("http://{maddr}/"),
        None,
        args.seconds,
        args.concurrency,
    )
    .await?;
    let round = |x: f64| (x * 100.0).round() / 100.0;
    let backend = store.backend().as_str();

    // Nobody listening: how fast bids are taken, beside plain one-row transactions.
    let (sequential, concurrent) =
        one_row_transactions(store, args.seconds, args.concurrency).await?;
    let bidding = Arc::new(Bidding {
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(args.concurrency.max(64))
            .build()?,
        url: format!("http://{addr}/api/v1/auctions/{id}/bids"),
        tokens,
        next: AtomicU64::new(0),
        start_price: plan.start_price.get(),
        increment: INCREMENT,
    });
    let (quiet, elapsed) = bidding.closed_loop(args.concurrency, args.seconds).await?;
    let rate = quiet.accepted as f64 / elapsed;
    println!(
        "{}",
        json!({"figure": "auction_bids_accepted_per_second_no_listeners", "route": "POST /api/v1/auctions/{id}/bids",
               "backend": backend, "value": rate.round(),
               "baseline": "one-row-per-transaction INSERT, same engine, one writer after the other",
               "baseline_value": sequential.round(), "ratio": round(rate / sequential),
               "baseline_concurrent": format!("the same with {} writers at once", args.concurrency),
               "baseline_concurrent_value": concurrent.round(), "ratio_concurrent": round(rate / concurrent),
               "concurrency": args.concurrency, "bidders": bidding.tokens.len(), "seconds": round(elapsed),
               "accepted": quiet.accepted, "refused": quiet.refused,
               "p50_ms": round(percentile(quiet.latencies.clone(), 0.5)),
               "p99_ms": round(percentile(quiet.latencies, 0.99))})
    );

    // The listeners open the feed where the log stands now (as the room's page does) and
    // connect 100 at a time, so that the accept queue does not overflow.
    let (_, before) = svc::state(&app, id).await.map_err(|e| anyhow!("{e}"))?;
    let bids_before = before.bids.len();
    let after = store
        .auction(id)
        .await?
        .ok_or_else(|| anyhow!("the bench auction"))?
        .version;
    let feed_client = reqwest::Client::new();
    let feed_url = format!("http://{addr}/public/v1/auctions/{id}/events?after={after}");
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let received: Vec<Arc<std::sync::Mutex<Received>>> = (0..args.listeners)
        .map(|_| Arc::new(std::sync::Mutex::new(Vec::new())))
        .collect();
    let mut feeds = Vec::with_capacity(args.listeners);
    for batch in received.chunks(100) {
        let mut ready = Vec::with_capacity(batch.len());
        for r in batch {
            let (tx, rx) = tokio::sync::oneshot::channel();
            feeds.push(tokio::spawn(listen(
                feed_client.clone(),
                feed_url.clone(),
                tx,
                r.clone(),
                stopped.clone(),
            )));
            ready.push(rx);
        }
        for r in ready {
            r.await
                .map_err(|_| anyhow!("a live-feed listener ended before connecting"))??;
        }
    }
    eprintln!("{} live-feed listeners connected", feeds.len());

    let (live, elapsed) = bidding.open_loop(args.bid_rate, args.bid_seconds).await?;
    let (_, state) = svc::state(&app, id).await.map_err(|e| anyhow!("{e}"))?;
    let expected: Vec<u64> = state
        .bids
        .iter()
        .skip(bids_before)
        .map(|b| u64::from(b.seq))
        .collect();
    // The listeners get a few seconds to catch up with the last bids.
    let caught_up = Instant::now();
    let count = |r: &Arc<std::sync::Mutex<Received>>| r.lock().map_or(0, |v| v.len());
    while received.iter().map(count).min().unwrap_or(0) < expected.len()
        && caught_up.elapsed() < Duration::from_secs(10)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let catch_up_ms = caught_up.elapsed().as_secs_f64() * 1000.0;
    let _ = stop.send(true);
    for f in feeds {
        let _ = f.await;
    }
    server.abort();
    mserver.abort();

    // Each listener's bids, compared with the log: every accepted bid once, in order, and
    // the log positions rising.
    let (mut exact, mut out_of_order, mut duplicated, mut missing, mut delivered) = (0, 0, 0, 0, 0);
    for r in &received {
        let got = r.lock().map(|v| v.clone()).unwrap_or_default();
        delivered += got.len();
        let numbers: Vec<u64> = got.iter().map(|(_, n)| *n).collect();
        if numbers == expected && got.windows(2).all(|w| w[0].0 < w[1].0) {
            exact += 1;
            continue;
        }
        if got.windows(2).any(|w| w[0].0 >= w[1].0 || w[0].1 >= w[1].1) {
            out_of_order += 1;
        }
        let distinct: std::collections::BTreeSet<u64> = numbers.iter().copied().collect();
        if distinct.len() < numbers.len() {
            duplicated += 1;
        }
        if expected.iter().any(|n| !distinct.contains(n)) {
            missing += 1;
        }
    }
    println!(
        "{}",
        json!({"figure": "auction_bids_with_live_listeners", "route": "POST /api/v1/auctions/{id}/bids",
               "backend": backend, "offered_per_second": args.bid_rate, "bidders": bidding.tokens.len(),
               "listeners": received.len(), "seconds": round(elapsed),
               "accepted_per_second": (live.accepted as f64 / elapsed).round(),
               "accepted": live.accepted, "refused": live.refused, "bids_in_log": expected.len(),
               "p50_ms": round(percentile(live.latencies.clone(), 0.5)),
               "p99_ms": round(percentile(live.latencies.clone(), 0.99)),
               "max_ms": round(percentile(live.latencies, 1.0)),
               "p99_ms_accepted": round(percentile(live.accepted_latencies, 0.99)),
               "listeners_with_every_bid_once_in_order": exact,
               "listeners_out_of_order": out_of_order, "listeners_with_duplicates": duplicated,
               "listeners_missing_bids": missing,
               "events_delivered_total": delivered, "events_expected_total": expected.len() * received.len(),
               "catch_up_ms": catch_up_ms.round(),
               "baseline": "minimal axum handler", "baseline_value": baseline.round()})
    );
    Ok(())
}

/// (h) The command centre's SPC indicator query over a national dataset: the subtree read
/// from the rollups beside the same counters by a plain GROUP BY over the cases, in the same
/// engine; then the cost the rollups add to each case change.
async fn indicators(app: &App, store: &Store, args: &BenchArgs) -> Result<()> {
    use zhixing_domain::indicators::{CaseFacts, ClosureFacts, Metric};
    use zhixing_store::indicators::{RollupQuery, Scope};
    zhixing_app::platform::courts::generate(app, &crate::scope_of("national"), "bench")
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let n = args.national_cases;
    let t0 = Instant::now();
    store.bench_bulk_national(i64::try_from(n)?).await?;
    let load_s = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    store.bench_build_rollups().await?;
    store.bench_analyze().await?;
    let build_s = t0.elapsed().as_secs_f64();
    eprintln!("indicators: {n} cases loaded in {load_s:.0} s, rollups built in {build_s:.0} s");

    // The same counters both ways, for 2025, at the SPC.
    let q = RollupQuery {
        court_id: "spc",
        scope: Scope::Subtree,
        from: "2025-01",
        to: "2025-12",
        case_type: None,
    };
    let rolled = store.rollup_sum(&q).await?;
    let grouped = store
        .bench_groupby("/spc/", "2025-01-01", "2026-01-01")
        .await?;
    let same = rolled.get(Metric::Filed) == grouped.filed
        && rolled.get(Metric::Closed) == grouped.closed
        && rolled.get(Metric::FullyPerformed) == grouped.fully_performed
        && rolled.get(Metric::Zhongben) == grouped.zhongben
        && rolled.get(Metric::AmountDue) == grouped.amount_due
        && rolled.get(Metric::AmountRecovered) == grouped.amount_recovered;
    if !same {
        return Err(anyhow!(
            "rollups and GROUP BY disagree: {rolled:?} vs {grouped:?}"
        ));
    }

    // The whole service call a dashboard makes (two rollup reads, the officer count, the
    // targets), as a supervisor at the SPC.
    let sup = zhixing_domain::access::Principal {
        user_id: 0,
        username: "bench".into(),
        court_id: "spc".into(),
        court_path: "/spc/".into(),
        roles: vec![zhixing_domain::access::Role::Supervisor],
    };
    let req = zhixing_app::command_centre::indicators::Request {
        court_id: Some("spc".into()),
        scope: Some("subtree".into()),
        from: Some("2025-01".into()),
        to: Some("2025-12".into()),
        case_type: None,
    };
    let mut lat = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let s = zhixing_app::command_centre::indicators::summary(app, &sup, &req)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
        if s.counters.get("filed").and_then(|v| v.as_i64()) != Some(grouped.filed) {
            return Err(anyhow!("the service read other sums than the rollups"));
        }
    }
    let mut plain = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        store
            .bench_groupby("/spc/", "2025-01-01", "2026-01-01")
            .await?;
        plain.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let r2 = |v: f64| (v * 100.0).round() / 100.0;
    println!(
        "{}",
        json!({"figure": "spc_subtree_indicators_ms", "backend": store.backend().as_str(), "cases": n,
               "rollup_p50": r2(percentile(lat.clone(), 0.5)), "rollup_p99": r2(percentile(lat, 0.99)), "aim_p99": 100,
               "group_by_p50": r2(percentile(plain.clone(), 0.5)), "group_by_max": r2(percentile(plain, 1.0)),
               "same_counters": same, "counters": grouped})
    );

    // Maintenance: a case closing (two buckets, five rows each) in its own transaction,
    // beside the same transaction writing only the case row.
    let ids = store.bench_case_ids(2000).await?;
    let mut with = Vec::new();
    let mut without = Vec::new();
    for (i, (id, path)) in ids.iter().enumerate() {
        let t = Instant::now();
        let mut tx = store.begin().await?;
        tx.bench_touch_case(*id, app.now_us()).await?;
        tx.commit().await?;
        without.push(t.elapsed().as_secs_f64() * 1e6);
        let facts = CaseFacts {
            case_type: "执".into(),
            filed_month: "2025-03".into(),
            closure: Some(ClosureFacts {
                month: format!("2025-{:02}", i % 12 + 1),
                mode: "fully_performed".into(),
                in_limit: true,
                zhongben_compliant: false,
                days: 40,
                due: 100_000,
                recovered: 100_000,
            }),
        };
        let t = Instant::now();
        let mut tx = store.begin().await?;
        tx.bench_touch_case(*id, app.now_us()).await?;
        tx.record_case_facts(*id, path, &facts).await?;
        tx.commit().await?;
        with.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    println!(
        "{}",
        json!({"figure": "rollup_maintenance_us", "backend": store.backend().as_str(), "changes": ids.len(),
               "case_write_mean": mean(&without).round(), "case_write_with_rollups_mean": mean(&with).round(),
               "added_per_change": (mean(&with) - mean(&without)).round(),
               "p99_with_rollups": percentile(with, 0.99).round()})
    );
    Ok(())
}

/// The resident memory of process `pid` now and at its peak (`VmRSS`, `VmHWM`), in KiB.
fn resident_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The server's count of Argon2 computations, from its `/metrics`.
async fn hashes_performed(client: &reqwest::Client, base: &str) -> Result<u64> {
    let text = client
        .get(format!("{base}/metrics"))
        .send()
        .await?
        .text()
        .await?;
    Ok(text
        .lines()
        .find_map(|l| l.strip_prefix("password_hashes_total "))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map_or(0, |v| v as u64))
}

/// (h) Sign-in under attack. A server process of its own (`zhixing serve`, behind a pretend
/// proxy: `--trust-forwarded-for`) receives `signin_attempts` failed sign-ins at once from
/// `signin_addresses` addresses, aimed at 25 names including a real user's, while that user
/// signs in again and again from the address it signed in from before. Reported: the
/// server's resident memory before, at its peak and after the burst, against the bound the
/// hashing pool sets (one Argon2 memory of 19 MiB per core, plus room for the connections);
/// how the attempts were answered and how many were hashed; the user's successes and
/// latency.
async fn signin(url: &str, user: &str, password: &str, args: &BenchArgs) -> Result<()> {
    use tokio::io::AsyncBufReadExt;
    raise_fd_limit(2 * args.signin_attempts as u64 + 256);
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .args(["serve", "--database", url, "--listen", "127.0.0.1:0"])
        .arg("--trust-forwarded-for")
        .env("ZHIXING_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("starting the server process")?;
    let pid = child
        .id()
        .ok_or_else(|| anyhow!("the server process has no id"))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow!("no stdout from the server process"))?;
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let base = loop {
        match lines.next_line().await? {
            Some(l) => {
                if let Some(addr) = l.strip_prefix("Zhixing serving on ") {
                    break addr.trim().to_owned();
                }
            }
            None => return Err(anyhow!("the server process ended before serving")),
        }
    };
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.signin_attempts)
        .build()?;
    let session = format!("{base}/api/v1/session");
    let attempt = {
        let client = client.clone();
        move |from: String, name: String, pw: String| {
            let (client, session) = (client.clone(), session.clone());
            async move {
                let t0 = Instant::now();
                let r = client
                    .post(&session)
                    .header("x-forwarded-for", from)
                    .json(&json!({"username": name, "password": pw}))
                    .send()
                    .await;
                let ms = t0.elapsed().as_secs_f64() * 1000.0;
                let answer = match r {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let code = r.json::<serde_json::Value>().await.ok().and_then(|v| {
                            v.get("code").and_then(|c| c.as_str()).map(str::to_owned)
                        });
                        match code {
                            Some(c) => format!("{status} {c}"),
                            None => status.to_string(),
                        }
                    }
                    Err(e) => format!("error: {e}"),
                };
                (answer, ms)
            }
        }
    };
    // The user's usual address: one sign-in from there before the attack.
    let home = "10.200.0.1".to_owned();
    let (first, _) = attempt(home.clone(), user.to_owned(), password.to_owned()).await;
    if first != "201" {
        return Err(anyhow!("the user's first sign-in answered {first}"));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (rss_before, _) =
        resident_kib(pid).ok_or_else(|| anyhow!("cannot read /proc/{pid}/status"))?;
    let names: Vec<String> = (0..24)
        .map(|i| format!("staff{i:02}"))
        .chain([user.to_owned()])
        .collect();
    let mib = |kib: u64| (kib as f64 / 1024.0 * 10.0).round() / 10.0;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    // What the hashing pool allows: one Argon2 memory (m = 19,456 KiB) per hashing thread,
    // and 64 MiB for the connections' buffers and the answers in flight.
    let bound_kib = rss_before + cores as u64 * 19_456 + 64 * 1024;
    // Bursts from fresh addresses each: the later ones show whether memory kept after the
    // first grows again.
    for round in 1..=args.signin_rounds.max(1) {
        let hashed_before = hashes_performed(&client, &base).await?;
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let sampler = {
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut peak = 0;
                while !stop.load(Ordering::Relaxed) {
                    if let Some((rss, _)) = resident_kib(pid) {
                        peak = peak.max(rss);
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                peak
            })
        };
        let legit = {
            let (stop, attempt) = (stop.clone(), attempt.clone());
            let (home, user, password) = (home.clone(), user.to_owned(), password.to_owned());
            tokio::spawn(async move {
                let mut seen = Vec::new();
                while !stop.load(Ordering::Relaxed) || seen.len() < 20 {
                    seen.push(attempt(home.clone(), user.clone(), password.clone()).await);
                }
                seen
            })
        };
        let start = Instant::now();
        let burst: Vec<_> = (0..args.signin_attempts)
            .map(|i| {
                let from = format!("10.66.{round}.{}", 1 + i % args.signin_addresses.max(1));
                let name = names[i % names.len()].clone();
                tokio::spawn(attempt(from, name, format!("guess-{round}-{i}")))
            })
            .collect();
        let mut answers = std::collections::BTreeMap::<String, u64>::new();
        for t in burst {
            let (answer, _) = t.await?;
            *answers.entry(answer).or_default() += 1;
        }
        let burst_ms = start.elapsed().as_secs_f64() * 1000.0;
        stop.store(true, Ordering::Relaxed);
        let seen = legit.await?;
        let peak_sampled = sampler.await?;
        let hashed = hashes_performed(&client, &base).await? - hashed_before;
        tokio::time::sleep(Duration::from_secs(2)).await;
        let (rss_after, hwm) =
            resident_kib(pid).ok_or_else(|| anyhow!("cannot read /proc/{pid}/status"))?;

        let succeeded = seen.iter().filter(|(a, _)| a == "201").count();
        let latencies: Vec<f64> = seen.iter().map(|(_, ms)| *ms).collect();
        let mut legit_answers = std::collections::BTreeMap::<String, u64>::new();
        for (a, _) in &seen {
            *legit_answers.entry(a.clone()).or_default() += 1;
        }
        let peak = peak_sampled.max(hwm);
        println!(
            "{}",
            json!({"figure": "signin_under_attack", "round": round, "attempts": args.signin_attempts,
                   "addresses": args.signin_addresses, "names": names.len(), "burst_ms": burst_ms.round(),
                   "answers": answers, "hashes_performed": hashed,
                   "rss_before_mib": mib(rss_before), "rss_peak_mib": mib(peak), "rss_after_mib": mib(rss_after),
                   "bound_mib": mib(bound_kib), "within_bound": peak <= bound_kib, "hashing_threads": cores,
                   "legit_signins": seen.len(), "legit_succeeded": succeeded, "legit_answers": legit_answers,
                   "legit_p50_ms": (percentile(latencies.clone(), 0.5) * 10.0).round() / 10.0,
                   "legit_p99_ms": (percentile(latencies, 0.99) * 10.0).round() / 10.0})
        );
    }
    let _ = child.kill().await;
    Ok(())
}
