//! `zhixing`: the one binary of the platform.

mod bench;
mod demo;

use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use zhixing_domain::access::Role;
use zhixing_domain::court::Scope;
use zhixing_server::{App, Config, SystemClock};
use zhixing_store::{DEFAULT_DATABASE_URL, Store};

#[derive(Parser)]
#[command(
    name = "zhixing",
    version,
    about = "Zhixing (执行): intelligent enforcement of court judgments"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The rate limit per client address on the public routes (default: `Config`'s).
#[derive(Args, Clone)]
pub(crate) struct PublicLimit {
    /// Requests per minute one address may make to the public routes, sustained.
    #[arg(long, env = "ZHIXING_PUBLIC_RATE_PER_MINUTE")]
    public_rate_per_minute: Option<u32>,
    /// Requests one address may make to the public routes in a burst.
    #[arg(long, env = "ZHIXING_PUBLIC_BURST")]
    public_burst: Option<u32>,
}

impl PublicLimit {
    pub(crate) fn apply(&self, config: Config) -> Config {
        Config {
            public_rate_per_minute: self
                .public_rate_per_minute
                .unwrap_or(config.public_rate_per_minute),
            public_burst: self.public_burst.unwrap_or(config.public_burst),
            ..config
        }
    }
}

#[derive(Args, Clone)]
struct Db {
    /// sqlite://PATH (created if missing) or postgres://…
    #[arg(long = "database", env = "ZHIXING_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    url: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the pages.
    Serve {
        #[command(flatten)]
        db: Db,
        #[arg(long, env = "ZHIXING_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Mark cookies Secure (when served behind TLS).
        #[arg(long, env = "ZHIXING_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Seconds a worker holds the exchange messages it claimed; another process takes
        /// them over after this if it dies.
        #[arg(long, env = "ZHIXING_OUTBOX_LEASE_SECS", default_value_t = 60)]
        outbox_lease_secs: u64,
        /// Seconds a delivered request waits for its reply before it is sent again.
        #[arg(long, env = "ZHIXING_REPLY_TIMEOUT_SECS", default_value_t = 120)]
        reply_timeout_secs: u64,
        /// Address ranges that may read /metrics, comma-separated (default: this machine).
        #[arg(long, env = "ZHIXING_METRICS_ALLOW", value_delimiter = ',')]
        metrics_allow: Vec<ipnet::IpNet>,
        /// A bearer token that may read /metrics from anywhere.
        #[arg(long, env = "ZHIXING_METRICS_TOKEN")]
        metrics_token: Option<String>,
        /// The platform's origin as browsers reach it (`https://zhixing.example.cn`), when a
        /// proxy in front does not pass the browser's `Host` on: a form posted from any
        /// other origin is refused. Default: the request's `Host`.
        #[arg(long, env = "ZHIXING_PUBLIC_ORIGIN", value_parser = parse_origin)]
        public_origin: Option<String>,
        #[command(flatten)]
        public_limit: PublicLimit,
        /// Behind a reverse proxy: count each client by the last X-Forwarded-For entry (the
        /// one the proxy added) in the sign-in throttle and the rate limits, not as the proxy.
        #[arg(long, env = "ZHIXING_TRUST_FORWARDED_FOR")]
        trust_forwarded_for: bool,
    },
    /// One command on a fresh machine: a database with demo data, demo users, and the server.
    Demo(demo::DemoArgs),
    /// Apply database migrations and load the shipped rule book.
    Migrate {
        #[command(flatten)]
        db: Db,
    },
    /// Generate reference data. Without a subcommand: the courts of `--scope` and `--cases`
    /// cases across them, e.g. `zhixing generate --scope national --cases 100000` for a
    /// national dataset the dashboard can show at the SPC.
    Generate {
        #[command(flatten)]
        db: Db,
        #[command(subcommand)]
        what: Option<GenerateWhat>,
        /// `national`, or a province (code, abbreviation, slug or name).
        #[arg(long, default_value = "national")]
        scope: String,
        /// How many cases to generate across the basic courts of the scope.
        #[arg(long, default_value_t = 1000)]
        cases: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Manage user accounts.
    Users {
        #[command(flatten)]
        db: Db,
        #[command(subcommand)]
        action: UsersAction,
    },
    /// The rule book.
    Rules {
        #[command(flatten)]
        db: Db,
        #[command(subcommand)]
        action: RulesAction,
    },
    /// The audit chain.
    Audit {
        #[command(flatten)]
        db: Db,
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Back up the database (a consistent copy while the server runs), the recordings and a
    /// manifest with the data key's fingerprint into a new directory.
    Backup {
        #[command(flatten)]
        db: Db,
        /// A new or empty directory.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Restore a backup into a new database, after checking its checksums and that the data
    /// key configured for the restored server is the backup's.
    Restore {
        /// The backup's directory.
        #[arg(long)]
        from: std::path::PathBuf,
        /// A SQLite file path (must not exist) or a database URL (an empty database).
        #[arg(long)]
        to: String,
    },
    /// Measure throughput against baselines measured in the same run.
    Bench(bench::BenchArgs),
    /// Play any number of institutions (banks, registries, platforms) over the exchange protocol.
    InstitutionSim(SimArgs),
    /// The institutions on the investigation network.
    Institutions {
        #[command(flatten)]
        db: Db,
        #[command(subcommand)]
        action: InstitutionsAction,
    },
}

#[derive(Args)]
pub(crate) struct SimArgs {
    #[arg(long, default_value = "127.0.0.1:8090")]
    listen: String,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value_t = 24)]
    institutions: usize,
    #[arg(long, default_value_t = 20)]
    latency_ms: u64,
    /// Share of deliveries answered 503, 0.0–1.0.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// The platform's public key (printed by `zhixing institutions platform-key`); requests
    /// not signed with it are refused.
    #[arg(long, env = "ZHIXING_PLATFORM_PUBLIC_KEY")]
    platform_public_key: Option<String>,
    /// The platform's base URL, where replies are posted.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    reply_to: String,
}

#[derive(Subcommand)]
enum InstitutionsAction {
    /// Register every institution a simulator (or any endpoint listing institutions the same
    /// way) offers, as national (总对总) institutions.
    Import {
        /// e.g. http://127.0.0.1:8090/institutions
        #[arg(long)]
        from: String,
    },
    /// List the registered institutions.
    List,
    /// Print the platform's public key, for institutions to verify its requests.
    PlatformKey,
}

#[derive(Subcommand)]
enum GenerateWhat {
    /// The court hierarchy from the GB/T 2260 divisions.
    Courts {
        /// `national`, or a province by code (11), abbreviation (京), slug (beijing) or name.
        #[arg(long, default_value = "national")]
        scope: String,
    },
    /// Realistic cases in every state across the basic courts of a scope, reproducibly.
    Cases {
        #[arg(long, default_value_t = 1000)]
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// `national` or a province (its courts must have been generated).
        #[arg(long, default_value = "beijing")]
        scope: String,
    },
}

#[derive(Subcommand)]
enum UsersAction {
    /// Add an account. The password is read from ZHIXING_PASSWORD or, if unset, from stdin
    /// (never from the command line, where other users could see it).
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: Option<String>,
        /// Court id, e.g. spc, h11, b110105.
        #[arg(long)]
        court: String,
        /// Repeatable: officer, judge, division_head, supervisor, auditor, administrator, president.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// List accounts.
    List,
}

#[derive(Subcommand)]
enum RulesAction {
    /// List every rule version with its citation.
    List {
        /// Only versions in force on this date (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditAction {
    /// Check the whole chain; exit 0 if intact, 1 naming the first bad entry.
    Verify,
}

/// An origin as a browser's `Origin` header spells it: scheme and host (and port), nothing
/// after.
pub(crate) fn parse_origin(s: &str) -> Result<String, String> {
    let s = s.trim().trim_end_matches('/');
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or("an origin begins with https:// or http://")?;
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
        return Err(
            "an origin is a scheme and a host (and port), e.g. https://zhixing.example.cn".into(),
        );
    }
    Ok(s.to_ascii_lowercase())
}

pub(crate) fn scope_of(s: &str) -> Scope {
    if s.eq_ignore_ascii_case("national") {
        Scope::National
    } else {
        Scope::Province(s.to_owned())
    }
}

/// The data key configured for the database at `url`, if there is one: `ZHIXING_DATA_KEY`, else
/// the key file. Never creates one (a restore must find the backup's key, not a new one).
pub(crate) fn configured_data_key(url: &str) -> Result<Option<zhixing_store::crypto::FieldCipher>> {
    use zhixing_store::crypto::FieldCipher;
    if let Ok(hexkey) = std::env::var("ZHIXING_DATA_KEY") {
        let k = FieldCipher::master_from_hex(&hexkey)
            .ok_or_else(|| anyhow!("ZHIXING_DATA_KEY must be 64 hex characters"))?;
        return Ok(Some(FieldCipher::new(k)));
    }
    let path = key_path(url);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let k = FieldCipher::master_from_hex(&text).ok_or_else(|| {
                anyhow!("{} does not hold a 64-hex-character key", path.display())
            })?;
            Ok(Some(FieldCipher::new(k)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading the data key {}", path.display())),
    }
}

/// The master key for personal identifiers: `ZHIXING_DATA_KEY` (64 hex characters), else the
/// key file (`ZHIXING_DATA_KEY_FILE`, default `data.key` beside a SQLite database or
/// `./zhixing-data/data.key`), created with mode 0600 on first use. Never in the database.
pub(crate) fn data_key(url: &str) -> Result<zhixing_store::crypto::FieldCipher> {
    use zhixing_store::crypto::FieldCipher;
    if let Some(c) = configured_data_key(url)? {
        return Ok(c);
    }
    let path = key_path(url);
    let hexkey: String = FieldCipher::generate_master()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if write_secret(&path, &hexkey).is_ok() {
        eprintln!(
            "created a new data key at {} — back it up: without it, encrypted ID numbers cannot be read",
            path.display()
        );
    }
    // Read back what is on disk: another process may have created it first.
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading the data key {}", path.display()))?;
    let k = FieldCipher::master_from_hex(&text)
        .ok_or_else(|| anyhow!("{} does not hold a 64-hex-character key", path.display()))?;
    Ok(FieldCipher::new(k))
}

/// The platform's Ed25519 signing key: `ZHIXING_PLATFORM_KEY` (base64), else `platform.key`
/// beside the data key, created on first use.
pub(crate) fn platform_key(url: &str) -> Result<zhixing_exchange::KeyPair> {
    use zhixing_exchange::KeyPair;
    if let Ok(k) = std::env::var("ZHIXING_PLATFORM_KEY") {
        return KeyPair::from_secret_base64(&k)
            .ok_or_else(|| anyhow!("ZHIXING_PLATFORM_KEY is not a base64 Ed25519 secret key"));
    }
    // Beside the data key: `data.key` → `platform.key`, any other name → `<name>.platform`.
    let data = key_path(url);
    let path = match data.file_name().and_then(|n| n.to_str()) {
        Some("data.key") | None => data.with_file_name("platform.key"),
        Some(name) => data.with_file_name(format!("{name}.platform")),
    };
    let generated = KeyPair::generate();
    // Another process may create it at the same moment: whoever wins, everyone reads the file.
    let _ = write_secret(&path, &generated.secret_base64());
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading the platform key {}", path.display()))?;
    KeyPair::from_secret_base64(&text)
        .ok_or_else(|| anyhow!("{} does not hold a platform key", path.display()))
}

fn key_path(url: &str) -> std::path::PathBuf {
    match std::env::var("ZHIXING_DATA_KEY_FILE") {
        Ok(p) => std::path::PathBuf::from(p),
        Err(_) => match url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            Some(db) => {
                std::path::Path::new(db.split('?').next().unwrap_or(db)).with_file_name("data.key")
            }
            None => std::path::PathBuf::from("zhixing-data/data.key"),
        },
    }
}

/// Where recordings (body-camera video, hotline audio) are kept: `ZHIXING_RECORDINGS_DIR`, else
/// `recordings/` beside a SQLite database, else `./zhixing-data/recordings`.
fn recordings_dir(url: &str) -> std::path::PathBuf {
    match std::env::var("ZHIXING_RECORDINGS_DIR") {
        Ok(p) if !p.is_empty() => std::path::PathBuf::from(p),
        _ => match url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            Some(db) => std::path::Path::new(db.split('?').next().unwrap_or(db))
                .with_file_name("recordings"),
            None => std::path::PathBuf::from("zhixing-data/recordings"),
        },
    }
}

/// Writes a new secret file readable by its owner only; never overwrites one.
fn write_secret(path: &std::path::Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    std::io::Write::write_all(&mut f, text.as_bytes())?;
    Ok(())
}

/// Runs the institution simulator; `today`, in training mode, gives its institutions the
/// platform's simulated calendar.
pub(crate) async fn run_sim(
    listener: tokio::net::TcpListener,
    args: &SimArgs,
    today: Option<zhixing_exchange::sim::SimToday>,
) -> Result<()> {
    let addr = listener.local_addr()?;
    let cfg = zhixing_exchange::sim::SimConfig {
        seed: args.seed,
        institutions: args.institutions,
        latency: std::time::Duration::from_millis(args.latency_ms),
        error_rate: args.error_rate.clamp(0.0, 1.0),
        platform_public_key: args.platform_public_key.clone(),
        reply_to: Some(args.reply_to.clone()),
        base_url: format!("http://{addr}"),
        today,
    };
    if cfg.platform_public_key.is_none() {
        eprintln!(
            "warning: no --platform-public-key: the simulator cannot check who sends requests"
        );
    }
    println!(
        "institution simulator: {} institutions on http://{addr}/institutions, replying to {}",
        cfg.institutions, args.reply_to
    );
    axum::serve(listener, zhixing_exchange::sim::router(cfg))
        .with_graceful_shutdown(zhixing_server::shutdown_signal())
        .await?;
    Ok(())
}

/// Registers the institutions listed at `from`.
pub(crate) async fn import_institutions(app: &App, from: &str) -> Result<usize> {
    let list: Vec<serde_json::Value> = reqwest::get(from).await?.error_for_status()?.json().await?;
    let mut tx = app.store.begin().await?;
    let now = app.now_us();
    let mut events = Vec::new();
    for i in &list {
        let s = |k: &str| i[k].as_str().unwrap_or_default().to_owned();
        let row = zhixing_store::investigation::InstitutionRow {
            id: s("id"),
            name: s("name"),
            kind: s("kind"),
            measures: s("measures"),
            channel: "national".into(),
            region: String::new(),
            endpoint: s("endpoint"),
            public_key: s("public_key"),
            concurrency: i["concurrency"].as_i64().unwrap_or(4).clamp(1, 1024),
            active: true,
            created_at: now,
        };
        if row.id.is_empty() || row.public_key.is_empty() || row.endpoint.is_empty() {
            bail!("{from} lists an institution without id, endpoint or public key");
        }
        let new = tx.put_institution(&row).await?;
        events.push(zhixing_store::NewEvent {
            actor: "cli".into(),
            court_id: Some("spc".into()),
            kind: if new {
                "institution.registered".into()
            } else {
                "institution.updated".into()
            },
            subject: format!("institution:{}", row.id),
            payload: i.clone(),
        });
    }
    tx.append_events(now, &events).await?;
    tx.commit().await?;
    Ok(list.len())
}

/// Opens the store, migrates it and loads the shipped rule book.
pub(crate) async fn open(url: &str, config: Config) -> Result<App> {
    open_with_clock(url, config, Arc::new(SystemClock)).await
}

/// [`open`] on a given clock (training mode's simulated one).
pub(crate) async fn open_with_clock(
    url: &str,
    config: Config,
    clock: Arc<dyn zhixing_server::Clock>,
) -> Result<App> {
    let config = Config {
        cipher: Some(data_key(url)?),
        platform_key: Some(platform_key(url)?),
        recordings_dir: recordings_dir(url),
        ..config
    };
    let store = Store::connect(url)
        .await
        .with_context(|| format!("cannot open database {}", redact(url)))?;
    let app = App::new(store, config, clock, zhixing_server::courier()).map_err(said)?;
    zhixing_server::prepare(&app)
        .await
        .map_err(|e| anyhow!("preparing the database failed: {}", e))?;
    Ok(app)
}

/// The basic courts of a scope that exist in the database.
pub(crate) async fn basic_courts(app: &App, scope: &str) -> Result<Vec<String>> {
    let prefix = match scope_of(scope) {
        Scope::National => "/spc/".to_owned(),
        Scope::Province(p) => {
            let divisions = zhixing_app::embedded::divisions().map_err(|e| anyhow!("{e}"))?;
            let courts = divisions
                .courts(&Scope::Province(p))
                .map_err(|e| anyhow!("{e}"))?;
            let high = courts
                .get(1)
                .ok_or_else(|| anyhow!("no high court in scope {scope}"))?;
            format!("/spc/{}/", high.id)
        }
    };
    Ok(app
        .store
        .courts_under(&prefix, "", 100_000)
        .await?
        .into_iter()
        .filter(|c| c.level == "basic")
        .map(|c| c.id)
        .collect())
}

pub(crate) async fn generate_cases(
    app: &App,
    scope: &str,
    count: usize,
    seed: u64,
) -> Result<zhixing_fixtures::Report> {
    let courts = basic_courts(app, scope).await?;
    if courts.is_empty() {
        bail!(
            "no basic courts in scope {scope}: run `zhixing generate courts --scope {scope}` first"
        );
    }
    let progress = |n: usize, total: usize| eprint!("\rgenerating cases: step {n} of {total}   ");
    let mut report = zhixing_fixtures::cases(app, &courts, count, seed, &progress)
        .await
        .map_err(said)?;
    eprintln!();
    // A few debtors with cases in several courts and one house seized in turn, for the
    // cross-court view (关联案件): one per hundred cases, at most twelve.
    report.debtors_across_courts =
        zhixing_fixtures::debtors_across_courts(app, &courts, (count / 100).clamp(2, 12), seed)
            .await
            .map_err(said)?;
    Ok(report)
}

/// A database URL without its password, for messages and logs.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..s + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

fn read_password() -> Result<String> {
    if let Ok(p) = std::env::var("ZHIXING_PASSWORD") {
        return Ok(p);
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("reading the password from stdin")?;
    let p = s.trim_end_matches(['\n', '\r']).to_owned();
    if p.is_empty() {
        bail!("no password: set ZHIXING_PASSWORD or pipe it on stdin");
    }
    Ok(p)
}

async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Serve {
            db,
            listen,
            secure_cookies,
            outbox_lease_secs,
            reply_timeout_secs,
            metrics_allow,
            metrics_token,
            public_origin,
            public_limit,
            trust_forwarded_for,
        } => {
            let defaults = Config::default();
            let app = open(
                &db.url,
                Config {
                    secure_cookies,
                    metrics_allow: if metrics_allow.is_empty() {
                        defaults.metrics_allow.clone()
                    } else {
                        metrics_allow
                    },
                    metrics_token,
                    public_origin,
                    trust_forwarded_for,
                    outbox_lease: std::time::Duration::from_secs(outbox_lease_secs.max(1)),
                    reply_timeout: std::time::Duration::from_secs(reply_timeout_secs.max(1)),
                    ..public_limit.apply(defaults)
                },
            )
            .await?;
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            tracing::info!(addr = %listener.local_addr()?, database = %redact(&db.url), "serving");
            println!("Zhixing serving on http://{}", listener.local_addr()?);
            warn_calendar_gaps(&app).await;
            zhixing_server::serve(listener, app, zhixing_server::shutdown_signal()).await?;
        }
        Command::Demo(args) => demo::run(args).await?,
        Command::Migrate { db } => {
            open(&db.url, Config::default()).await?;
            println!("database {} is up to date", redact(&db.url));
        }
        Command::Generate {
            db,
            what: None,
            scope,
            cases,
            seed,
        } => {
            let app = open(&db.url, Config::default()).await?;
            let (n, created) =
                zhixing_app::platform::courts::generate(&app, &scope_of(&scope), "cli")
                    .await
                    .map_err(said)?;
            eprintln!("{n} courts in scope {scope}, {created} new");
            let report = generate_cases(&app, &scope, cases, seed).await?;
            println!("{}", serde_json::to_string(&report)?);
        }
        Command::Generate {
            db,
            what: Some(GenerateWhat::Courts { scope }),
            ..
        } => {
            let app = open(&db.url, Config::default()).await?;
            let (n, created) =
                zhixing_app::platform::courts::generate(&app, &scope_of(&scope), "cli")
                    .await
                    .map_err(said)?;
            println!("{n} courts in scope {scope}, {created} new");
        }
        Command::Generate {
            db,
            what: Some(GenerateWhat::Cases { count, seed, scope }),
            ..
        } => {
            let app = open(&db.url, Config::default()).await?;
            let report = generate_cases(&app, &scope, count, seed).await?;
            println!("{}", serde_json::to_string(&report)?);
        }
        Command::Users { db, action } => {
            let app = open(&db.url, Config::default()).await?;
            match action {
                UsersAction::Add {
                    username,
                    display_name,
                    court,
                    roles,
                } => {
                    let mut parsed = Vec::new();
                    for r in &roles {
                        parsed.push(Role::parse(r).ok_or_else(|| anyhow!("unknown role {r:?}"))?);
                    }
                    let password = read_password()?;
                    let id = zhixing_app::identity::users::create_user(
                        &app,
                        None,
                        zhixing_app::identity::users::UserSpec {
                            display_name: display_name.unwrap_or_else(|| username.clone()),
                            username,
                            court_id: court,
                            roles: parsed,
                            password,
                            id_number: None,
                        },
                    )
                    .await
                    .map_err(said)?;
                    println!("created user {id}");
                }
                UsersAction::List => {
                    for u in app.store.users_under("/", 100_000).await? {
                        println!(
                            "{:<20} {:<12} {:<24} {}",
                            u.username, u.court_id, u.roles, u.display_name
                        );
                    }
                }
            }
        }
        Command::Rules {
            db,
            action: RulesAction::List { date },
        } => {
            let app = open(&db.url, Config::default()).await?;
            let date: Option<jiff::civil::Date> = date
                .map(|d| d.parse())
                .transpose()
                .context("date must be YYYY-MM-DD")?;
            let book = app.store.rule_book().await?;
            for v in book.versions() {
                if let Some(d) = date
                    && (v.effective_from > d || v.effective_to.is_some_and(|to| to < d))
                {
                    continue;
                }
                println!(
                    "{:<44} {:>8} {:<13} from {} {:<8} {}{}",
                    v.id,
                    v.value,
                    v.unit.as_str(),
                    v.effective_from,
                    v.region.as_deref().unwrap_or("national"),
                    v.citation,
                    if v.needs_check { "  [check]" } else { "" }
                );
            }
        }
        Command::Audit {
            db,
            action: AuditAction::Verify,
        } => {
            let store = Store::connect(&db.url)
                .await
                .with_context(|| format!("cannot open database {}", redact(&db.url)))?;
            match store.verify_chain().await? {
                Ok(n) => println!("audit chain intact: {n} entries"),
                Err(b) => {
                    eprintln!("audit chain BROKEN at entry {}: {}", b.seq, b.reason);
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Backup { db, to } => {
            use zhixing_app::platform::backup;
            // Opening a SQLite URL creates the file: a mistyped path would back up nothing.
            if let Some(path) = db
                .url
                .strip_prefix("sqlite://")
                .or_else(|| db.url.strip_prefix("sqlite:"))
                .map(|p| p.split('?').next().unwrap_or(p))
                && !std::path::Path::new(path).exists()
            {
                bail!("no database at {path}");
            }
            let store = Store::connect(&db.url)
                .await
                .with_context(|| format!("cannot open database {}", redact(&db.url)))?;
            let cipher = configured_data_key(&db.url)?;
            let recordings = recordings_dir(&db.url);
            let report = backup::backup(
                &backup::Source {
                    store: &store,
                    url: &db.url,
                    recordings_dir: &recordings,
                    cipher: cipher.as_ref(),
                },
                &to,
                jiff::Timestamp::now(),
            )
            .await;
            store.close().await;
            let report = report.map_err(|e| anyhow!("backup failed: {e}"))?;
            let m = &report.manifest;
            println!(
                "backup of {} written to {} at {}: schema migration {}, {} cases, audit chain of {} entries, {} recordings; data key fingerprint {} (keep the key itself apart from the backup)",
                redact(&db.url),
                to.display(),
                m.created_at,
                m.schema_version,
                m.counts.get("cases").copied().unwrap_or(0),
                m.audit_chain.entries,
                m.files
                    .iter()
                    .filter(|f| f.path.starts_with("recordings/"))
                    .count(),
                m.data_key_fingerprint
            );
            if !report.notes.is_empty() {
                for n in &report.notes {
                    eprintln!("not complete: {n}");
                }
                return Ok(ExitCode::from(1));
            }
        }
        Command::Restore { from, to } => {
            use zhixing_app::platform::backup;
            let url = if to.contains("://") || to.starts_with("sqlite:") {
                to
            } else {
                format!("sqlite://{to}")
            };
            let cipher = configured_data_key(&url)?;
            let recordings = recordings_dir(&url);
            let report = backup::restore(
                &from,
                &backup::Target {
                    url: &url,
                    recordings_dir: &recordings,
                    cipher: cipher.as_ref(),
                },
            )
            .await
            .map_err(|e| anyhow!("restore refused: {e}"))?;
            let m = &report.manifest;
            println!(
                "restored the backup of {} into {}: every checksum matched, {} cases, audit chain intact ({} entries, as backed up), {} recordings into {}, data key fingerprint {} matches",
                m.created_at,
                redact(&url),
                m.counts.get("cases").copied().unwrap_or(0),
                m.audit_chain.entries,
                report.recordings,
                recordings.display(),
                m.data_key_fingerprint
            );
        }
        Command::Bench(args) => bench::run(args).await?,
        Command::InstitutionSim(args) => {
            let listener = tokio::net::TcpListener::bind(&args.listen)
                .await
                .with_context(|| format!("cannot listen on {}", args.listen))?;
            run_sim(listener, &args, None).await?;
        }
        Command::Institutions { db, action } => {
            let app = open(&db.url, Config::default()).await?;
            match action {
                InstitutionsAction::Import { from } => {
                    let n = import_institutions(&app, &from).await?;
                    println!("{n} institutions registered from {from}");
                }
                InstitutionsAction::List => {
                    for i in app.store.institutions().await? {
                        println!(
                            "{:<36} {:<24} {:<9} {}",
                            i.id, i.kind, i.channel, i.endpoint
                        );
                    }
                }
                InstitutionsAction::PlatformKey => println!("{}", app.platform_key.public_base64()),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An error of the application as the operator reads it: a refusal in the catalogue's words
/// (English), with its figures, rather than its code.
fn said(e: zhixing_app::AppError) -> anyhow::Error {
    anyhow!(zhixing_server::messages::error(zhixing_server::messages::Lang::En, &e).detail)
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ZHIXING_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Says at start-up which years near today have no official holiday calendar loaded.
async fn warn_calendar_gaps(app: &zhixing_app::App) {
    let gaps = match zhixing_app::platform::rules::calendar_gaps(app).await {
        Ok(g) => g,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the loaded calendars");
            return;
        }
    };
    if !gaps.is_empty() {
        let years: Vec<String> = gaps.iter().map(ToString::to_string).collect();
        tracing::warn!(years = %years.join(","), "no official holiday calendar: deadlines reaching into these years are provisional");
        eprintln!(
            "warning: no official holiday calendar for {}: deadlines reaching into it are provisional (weekends only) until an administrator loads it (rule book page, or POST /api/v1/calendars)",
            years.join(", ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::parse_origin;

    #[test]
    fn an_origin_is_a_scheme_and_a_host() {
        assert_eq!(
            parse_origin("https://Zhixing.Example.cn/"),
            Ok("https://zhixing.example.cn".to_owned())
        );
        assert_eq!(
            parse_origin("http://10.0.0.5:8080"),
            Ok("http://10.0.0.5:8080".to_owned())
        );
        for bad in [
            "zhixing.example.cn",
            "https://",
            "https://x.cn/login",
            "ftp://x.cn",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
