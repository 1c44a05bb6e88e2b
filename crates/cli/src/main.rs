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
use zhixing_server::service;
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
    },
    /// One command on a fresh machine: a database with demo data, demo users, and the server.
    Demo(demo::DemoArgs),
    /// Apply database migrations and load the shipped rule book.
    Migrate {
        #[command(flatten)]
        db: Db,
    },
    /// Generate reference data.
    Generate {
        #[command(flatten)]
        db: Db,
        #[command(subcommand)]
        what: GenerateWhat,
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
    /// Measure throughput against baselines measured in the same run.
    Bench(bench::BenchArgs),
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
        /// Repeatable: officer, judge, division_head, supervisor, auditor, administrator.
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

pub(crate) fn scope_of(s: &str) -> Scope {
    if s.eq_ignore_ascii_case("national") {
        Scope::National
    } else {
        Scope::Province(s.to_owned())
    }
}

/// The master key for personal identifiers: `ZHIXING_DATA_KEY` (64 hex characters), else the
/// key file (`ZHIXING_DATA_KEY_FILE`, default `data.key` beside a SQLite database or
/// `./zhixing-data/data.key`), created with mode 0600 on first use. Never in the database.
pub(crate) fn data_key(url: &str) -> Result<zhixing_store::crypto::FieldCipher> {
    use zhixing_store::crypto::FieldCipher;
    if let Ok(hexkey) = std::env::var("ZHIXING_DATA_KEY") {
        let k = FieldCipher::master_from_hex(&hexkey)
            .ok_or_else(|| anyhow!("ZHIXING_DATA_KEY must be 64 hex characters"))?;
        return Ok(FieldCipher::new(k));
    }
    let path = match std::env::var("ZHIXING_DATA_KEY_FILE") {
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
    };
    if let Ok(text) = std::fs::read_to_string(&path) {
        let k = FieldCipher::master_from_hex(&text)
            .ok_or_else(|| anyhow!("{} does not hold a 64-hex-character key", path.display()))?;
        return Ok(FieldCipher::new(k));
    }
    let k = FieldCipher::generate_master();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let hexkey: String = k.iter().map(|b| format!("{b:02x}")).collect();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(&path)
        .with_context(|| format!("creating the data key {}", path.display()))?;
    std::io::Write::write_all(&mut f, hexkey.as_bytes())?;
    eprintln!(
        "created a new data key at {} — back it up: without it, encrypted ID numbers cannot be read",
        path.display()
    );
    Ok(FieldCipher::new(k))
}

/// Opens the store, migrates it and loads the shipped rule book.
pub(crate) async fn open(url: &str, config: Config) -> Result<App> {
    let config = Config {
        cipher: Some(data_key(url)?),
        ..config
    };
    let store = Store::connect(url)
        .await
        .with_context(|| format!("cannot open database {}", redact(url)))?;
    let app = App::new(store, config, Arc::new(SystemClock)).map_err(|e| anyhow!(e.message))?;
    zhixing_server::prepare(&app)
        .await
        .map_err(|e| anyhow!("preparing the database failed: {}", e.message))?;
    Ok(app)
}

/// The basic courts of a scope that exist in the database.
pub(crate) async fn basic_courts(app: &App, scope: &str) -> Result<Vec<String>> {
    let prefix = match scope_of(scope) {
        Scope::National => "/spc/".to_owned(),
        Scope::Province(p) => {
            let divisions = zhixing_server::embedded::divisions().map_err(|e| anyhow!("{e}"))?;
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
) -> Result<service::generate::Report> {
    let courts = basic_courts(app, scope).await?;
    if courts.is_empty() {
        bail!(
            "no basic courts in scope {scope}: run `zhixing generate courts --scope {scope}` first"
        );
    }
    let progress = |n: usize, total: usize| eprint!("\rgenerating cases: step {n} of {total}   ");
    let report = service::generate::cases(app, &courts, count, seed, &progress)
        .await
        .map_err(|e| anyhow!(e.message))?;
    eprintln!();
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
        } => {
            let app = open(
                &db.url,
                Config {
                    secure_cookies,
                    ..Config::default()
                },
            )
            .await?;
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            tracing::info!(addr = %listener.local_addr()?, database = %redact(&db.url), "serving");
            println!("Zhixing serving on http://{}", listener.local_addr()?);
            zhixing_server::serve(listener, app, zhixing_server::shutdown_signal()).await?;
        }
        Command::Demo(args) => demo::run(args).await?,
        Command::Migrate { db } => {
            open(&db.url, Config::default()).await?;
            println!("database {} is up to date", redact(&db.url));
        }
        Command::Generate {
            db,
            what: GenerateWhat::Courts { scope },
        } => {
            let app = open(&db.url, Config::default()).await?;
            let (n, created) = service::courts::generate(&app, &scope_of(&scope), "cli")
                .await
                .map_err(|e| anyhow!(e.message))?;
            println!("{n} courts in scope {scope}, {created} new");
        }
        Command::Generate {
            db,
            what: GenerateWhat::Cases { count, seed, scope },
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
                    let id = service::users::create_user(
                        &app,
                        None,
                        service::users::UserSpec {
                            display_name: display_name.unwrap_or_else(|| username.clone()),
                            username,
                            court_id: court,
                            roles: parsed,
                            password,
                        },
                    )
                    .await
                    .map_err(|e| anyhow!(e.message))?;
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
        Command::Bench(args) => bench::run(args).await?,
    }
    Ok(ExitCode::SUCCESS)
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
