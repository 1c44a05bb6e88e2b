//! `zhixing demo`: everything a first look needs, from nothing.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use clap::Args;
use rand::Rng;
use rand::distributions::Alphanumeric;
use zhixing_domain::access::Role;
use zhixing_server::Config;

#[derive(Args)]
pub struct DemoArgs {
    /// Where the SQLite database lives (created if missing).
    #[arg(long, default_value = "zhixing-data")]
    data_dir: PathBuf,
    /// `beijing` (default), another province, or `national` for all ≈3,400 courts.
    #[arg(long, default_value = "beijing")]
    scope: String,
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Use this database instead of the SQLite file under --data-dir.
    #[arg(long)]
    database: Option<String>,
    /// Where the institution simulator listens (it plays the banks and registries).
    #[arg(long, default_value = "127.0.0.1:0")]
    sim_listen: String,
    /// Cases generated on first start (none if the database already has cases).
    #[arg(long, default_value_t = 2000)]
    cases: usize,
    /// Mark cookies Secure and send HSTS (when the demo is served behind TLS).
    #[arg(long, env = "ZHIXING_SECURE_COOKIES")]
    secure_cookies: bool,
    /// The demo's origin as browsers reach it, when a proxy in front does not pass the
    /// browser's `Host` on (see `serve --public-origin`).
    #[arg(long, env = "ZHIXING_PUBLIC_ORIGIN", value_parser = crate::parse_origin)]
    public_origin: Option<String>,
    #[command(flatten)]
    public_limit: crate::PublicLimit,
    /// Training mode (演练模式): run on a simulated clock starting at this moment —
    /// RFC 3339 with its offset (`2026-01-05T09:00+08:00`) or a date (09:00 Beijing time) —
    /// which an administrator advances at /admin/clock or `POST /api/v1/clock/advance`.
    /// Every page then says the time is simulated. (`serve` has no such option.)
    #[arg(long, value_name = "START", value_parser = parse_start)]
    simulated_clock: Option<jiff::Timestamp>,
}

fn parse_start(s: &str) -> Result<jiff::Timestamp, String> {
    zhixing_app::platform::clock::parse_moment(s).ok_or_else(|| {
        format!("{s:?} is not a moment: give RFC 3339 with an offset (2026-01-05T09:00+08:00) or a date (2026-01-05)")
    })
}

/// How long a session lasts in training mode: advancing the clock by days must not sign the
/// administrator (and everyone practising) out.
const TRAINING_SESSION_TTL: std::time::Duration = std::time::Duration::from_secs(3 * 366 * 86400);

/// The demo accounts: one role each, at courts where that role makes sense, and two people
/// wherever an approval needs someone other than who proposed it (four eyes): the officer
/// proposes, the division head approves closures and payouts and the president extensions;
/// one administrator proposes a rule-book version or a year's calendar, the other approves.
/// (username, display name, court id, role)
pub const DEMO_USERS: [(&str, &str, &str, Role); 8] = [
    ("officer", "王执行（执行员）", "b110105", Role::Officer),
    ("judge", "李法官（执行法官）", "b110105", Role::Judge),
    ("head", "赵局长（执行局长）", "b110105", Role::DivisionHead),
    ("president", "钱院长（院长）", "b110105", Role::President),
    ("supervisor", "陈监督（指挥中心）", "h11", Role::Supervisor),
    ("auditor", "周审计（审计员）", "h11", Role::Auditor),
    ("admin", "孙管理（系统管理员）", "spc", Role::Administrator),
    ("admin2", "吴管理（系统管理员）", "spc", Role::Administrator),
];

pub async fn run(args: DemoArgs) -> Result<()> {
    // The ports first: a port already taken fails at once, not after the minutes that
    // generating the cases takes. Connections that arrive meanwhile wait in the backlog.
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    // The institution simulator runs beside the server and is registered as the network.
    let sim_listener = tokio::net::TcpListener::bind(&args.sim_listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.sim_listen))?;
    let sim_addr = sim_listener.local_addr()?;
    let url = match &args.database {
        Some(u) => u.clone(),
        None => {
            std::fs::create_dir_all(&args.data_dir)
                .with_context(|| format!("cannot create {}", args.data_dir.display()))?;
            format!("sqlite://{}", args.data_dir.join("zhixing.db").display())
        }
    };
    let mut config = Config {
        secure_cookies: args.secure_cookies,
        public_origin: args.public_origin.clone(),
        ..args.public_limit.apply(Config::default())
    };
    let app = match args.simulated_clock {
        None => crate::open(&url, config).await?,
        Some(start) => {
            config.session_ttl = TRAINING_SESSION_TTL;
            // The clock starts no earlier than the newest record of a database used before.
            let probe = zhixing_store::Store::connect(&url)
                .await
                .with_context(|| format!("cannot open database {}", crate::redact(&url)))?;
            probe.migrate().await?;
            let begins = zhixing_app::platform::clock::start_after_records(&probe, start)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            probe.close().await;
            if begins > start {
                println!(
                    "training mode: this database has records up to {} (Beijing time); the clock goes on from there",
                    zhixing_app::platform::clock::beijing_minutes(begins)
                );
            }
            let clock = std::sync::Arc::new(zhixing_server::SimulatedClock::new(begins));
            crate::open_with_clock(&url, config, clock).await?
        }
    };
    let (n, created) =
        zhixing_app::platform::courts::generate(&app, &crate::scope_of(&args.scope), "demo")
            .await
            .map_err(|e| anyhow!("{e}"))?;
    // The demo accounts sit at Beijing courts; a scope without them still gets Beijing.
    if app.store.court("b110105").await?.is_none() {
        zhixing_app::platform::courts::generate(&app, &crate::scope_of("beijing"), "demo")
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    // The demo's regional rule, labelled 演示 wherever it is shown (`serve` never loads it).
    zhixing_fixtures::load_demo_rules(&app)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let password = match std::env::var("ZHIXING_DEMO_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(16)
            .map(char::from)
            .collect(),
    };
    for (username, name, court, role) in DEMO_USERS {
        if app.store.user_by_username(username).await?.is_some() {
            zhixing_app::identity::users::reset_password(&app, username, &password, "demo")
                .await
                .map_err(|e| anyhow!("{e}"))?;
        } else {
            zhixing_app::identity::users::create_user(
                &app,
                None,
                zhixing_app::identity::users::UserSpec {
                    username: username.to_owned(),
                    display_name: name.to_owned(),
                    court_id: court.to_owned(),
                    roles: vec![role],
                    password: password.clone(),
                    id_number: None,
                },
            )
            .await
            .map_err(|e| anyhow!("demo user {username}: {}", e))?;
        }
    }
    let mut example = None;
    if args.cases > 0 && !app.store.has_cases().await? {
        let report = crate::generate_cases(&app, "beijing", args.cases, 1).await?;
        println!(
            "generated {} cases: {}; {} respondents on the dishonest list",
            report.cases,
            serde_json::to_string(&report.by_state)?,
            report.listed
        );
        if let Some((name, id)) = &report.example_listing {
            // Synthetic data: a name and number to try the public search with.
            example = Some(format!(
                "/public/dishonest?name={}&id_number={id}",
                url_escape(name)
            ));
        }
        give_officer_cases(&app).await?;
        let n = zhixing_fixtures::auctions(&app, "b110105", 1)
            .await
            .map_err(|e| anyhow!("demo auctions: {}", e))?;
        println!(
            "{n} judicial auctions (sold, awaiting payment, failed, two bidding now, one announced)"
        );
    }
    let sim_args = crate::SimArgs {
        listen: sim_addr.to_string(),
        seed: 1,
        institutions: 24,
        latency_ms: 50,
        error_rate: 0.05,
        platform_public_key: Some(app.platform_key.public_base64()),
        reply_to: format!("http://{addr}"),
    };
    // In training mode the simulated institutions keep the platform's simulated calendar.
    let sim_today = app.simulated_now().map(|_| {
        let app = app.clone();
        zhixing_exchange::sim::SimToday(std::sync::Arc::new(move || app.today()))
    });
    tokio::spawn(async move {
        if let Err(e) = crate::run_sim(sim_listener, &sim_args, sim_today).await {
            eprintln!("institution simulator stopped: {e:#}");
        }
    });
    let n_inst =
        crate::import_institutions(&app, &format!("http://{sim_addr}/institutions")).await?;
    println!(
        "{n_inst} simulated institutions (banks, registries, platforms) on http://{sim_addr}/institutions"
    );
    println!(
        "Zhixing demo: {n} courts ({created} new), database {}",
        crate::redact(&url)
    );
    println!("Open http://{addr}/ and sign in with one of these accounts:");
    for (username, name, court, _) in DEMO_USERS {
        println!("  {username:<11} {name}  @ {court}");
    }
    println!("Password for every demo account: {password}");
    println!("The public portal needs no account: http://{addr}/public");
    println!("  live judicial auctions: http://{addr}/public/auctions");
    if let Some(path) = example {
        println!("  e.g. a listed debtor: http://{addr}{path}");
    }
    if let Some(now) = app.simulated_now() {
        println!(
            "Training mode (演练模式): the clock is simulated, now {} (Beijing time); the administrator advances it at http://{addr}/admin/clock",
            zhixing_app::platform::clock::beijing_minutes(now)
        );
    }
    println!("Stop with Ctrl-C.");
    crate::warn_calendar_gaps(&app).await;
    zhixing_server::serve(listener, app, zhixing_server::shutdown_signal()).await?;
    Ok(())
}

/// Hands the demo officer some open cases of its court, so that "my cases" has content.
async fn give_officer_cases(app: &zhixing_server::App) -> Result<()> {
    let Some(officer) = app.store.user_by_username("officer").await? else {
        return Ok(());
    };
    let principal = zhixing_domain::access::Principal {
        user_id: officer.id,
        username: officer.username.clone(),
        court_id: officer.court_id.clone(),
        court_path: officer.court_path.clone(),
        roles: vec![Role::Officer],
    };
    let filter = zhixing_store::cases::CaseFilter {
        court_id: officer.court_id.clone(),
        status: Some("open".into()),
        limit: 25,
        ..Default::default()
    };
    for row in app.store.list_cases(&filter).await? {
        let assign = zhixing_app::case::CaseCommand::Assign {
            officer_id: officer.id,
        };
        // A case already the officer's (a demo started again) is refused: nothing to do.
        if let Err(e) = zhixing_app::case::execute(app, &principal, row.id, None, assign).await
            && !e.is_refusal()
        {
            return Err(anyhow!("{e}"));
        }
    }
    Ok(())
}

/// Percent-encodes a query value (the demo's example link only).
fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
