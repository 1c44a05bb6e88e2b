//! The application state every handler and service receives.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use zhixing_store::Store;

use crate::error::{AppError, OrInternal};
use crate::runtime::{CalendarCache, Courier, Hub, InstitutionCache, ReplyQueue, RuleCache};

/// Where time comes from. Tests inject a [`ManualClock`] so that periods of days are tested
/// without sleeping.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
    /// The training mode's clock (`zhixing demo --simulated-clock`), if this is one: only
    /// that clock may be advanced by an administrator.
    fn simulated(&self) -> Option<&SimulatedClock> {
        None
    }
}

pub struct SystemClock;
impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that only moves when told to.
pub struct ManualClock(Mutex<Timestamp>);
impl ManualClock {
    pub fn new(t: Timestamp) -> Self {
        ManualClock(Mutex::new(t))
    }
    pub fn set(&self, to: Timestamp) {
        if let Ok(mut t) = self.0.lock() {
            *t = to;
        }
    }
    pub fn advance(&self, d: Duration) {
        if let Ok(mut t) = self.0.lock()
            && let Ok(s) = jiff::SignedDuration::try_from(d)
            && let Ok(n) = t.checked_add(s)
        {
            *t = n;
        }
    }
}
impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        self.0
            .lock()
            .map(|t| *t)
            .unwrap_or_else(|p| *p.into_inner())
    }
}

/// Training mode's clock (演练模式): it starts at a chosen moment, runs on in real time — so
/// that a bid in an auction's last five minutes still moves its end five real minutes on — and
/// jumps forward when an administrator advances it. Never backwards: every record already
/// written carries a time, and a clock that went back would put new records before them.
pub struct SimulatedClock {
    start: Timestamp,
    began: std::time::Instant,
    /// How far the administrator has advanced the clock in all.
    offset: Mutex<jiff::SignedDuration>,
}

impl SimulatedClock {
    pub fn new(start: Timestamp) -> Self {
        SimulatedClock {
            start,
            began: std::time::Instant::now(),
            offset: Mutex::new(jiff::SignedDuration::ZERO),
        }
    }

    fn at(&self, offset: jiff::SignedDuration) -> Timestamp {
        let run = jiff::SignedDuration::try_from(self.began.elapsed())
            .unwrap_or(jiff::SignedDuration::MAX);
        self.start
            .checked_add(run.saturating_add(offset))
            .unwrap_or(Timestamp::MAX)
    }

    /// Moves the clock forward to `to`: the time before, or `Err(now)` if `to` is not after
    /// now. The check and the move happen under one lock, so two advances at once cannot
    /// take the clock back.
    pub fn advance_to(&self, to: Timestamp) -> Result<Timestamp, Timestamp> {
        let mut offset = self.offset.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.at(*offset);
        if to <= now {
            return Err(now);
        }
        *offset = offset.saturating_add(to.duration_since(now));
        Ok(now)
    }
}

impl Clock for SimulatedClock {
    fn now(&self) -> Timestamp {
        let offset = *self.offset.lock().unwrap_or_else(|p| p.into_inner());
        self.at(offset)
    }
    fn simulated(&self) -> Option<&SimulatedClock> {
        Some(self)
    }
}

/// Operational settings (security thresholds here are not legal rules, so they are
/// configuration, not rule-book entries).
#[derive(Debug, Clone)]
pub struct Config {
    pub session_ttl: Duration,
    /// The sign-in throttle (`identity::throttle`; the policy is in the README). Attempts one
    /// client address may make per minute, sustained, and in a burst — counted before any
    /// password is hashed. Behind a reverse proxy set `trust_forwarded_for`, or every client
    /// counts as the proxy.
    pub login_per_address_per_minute: u32,
    pub login_per_address_burst: u32,
    /// Attempts everyone together may make per minute and in a burst, sign-ins from an
    /// account's usual address aside: what keeps a flood from many addresses off the CPU.
    pub login_overall_per_minute: u32,
    pub login_overall_burst: u32,
    /// Failures of one account name (from anywhere, and from one address) before it backs
    /// off; then each failure makes the next attempt wait `login_backoff_base`, doubled per
    /// further failure, at most `login_backoff_cap`.
    pub login_free_failures: i64,
    pub login_backoff_base: Duration,
    pub login_backoff_cap: Duration,
    /// Failures are forgotten after this long without another (at least the cap).
    pub login_failure_window: Duration,
    /// How long after a successful sign-in an address stays the account's usual address,
    /// from which only its own failures hold the account back.
    pub login_usual_address_for: Duration,
    /// Threads hashing passwords (0: one per core), each with one Argon2 memory (19 MiB),
    /// and how many hashing jobs may wait for them (in each of the two queues: sign-ins from
    /// a usual address, and the rest) before more are refused `login_busy`.
    pub hash_threads: usize,
    pub hash_queue: usize,
    pub body_limit: usize,
    pub request_timeout: Duration,
    /// Mark cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// The key personal identifiers are encrypted with. `None` makes a random one, which
    /// only suits throw-away databases (tests): a stored database refuses a different key.
    pub cipher: Option<zhixing_store::crypto::FieldCipher>,
    /// The platform's Ed25519 key for exchange messages. `None` makes a random one.
    pub platform_key: Option<zhixing_exchange::KeyPair>,
    /// How often the outbox worker looks for messages to send.
    pub outbox_poll: Duration,
    /// How long a delivered request waits for its reply before it is sent again.
    pub reply_timeout: Duration,
    /// How long a worker holds the messages it claimed: another process takes them over
    /// after this if the worker dies.
    pub outbox_lease: Duration,
    /// How often the watch worker expires measures, raises alerts and starts the periodic
    /// re-investigation of 终本 cases.
    pub sweep_interval: Duration,
    /// Whether the server runs the watch worker itself. Off only where something else drives
    /// the sweeps (a test stepping them by hand, or a deployment with one dedicated worker).
    pub watch_worker: bool,
    /// Requests per minute one client may make to the public routes (`/public…`), sustained.
    pub public_rate_per_minute: u32,
    /// Requests one client may make to the public routes in a burst.
    pub public_burst: u32,
    /// Behind a reverse proxy: take the client's address from the last `X-Forwarded-For`
    /// entry (the one the proxy added) instead of the connection. Off by default, since
    /// otherwise any client could pick its own rate-limit key.
    pub trust_forwarded_for: bool,
    /// Where recordings (body-camera video, hotline audio) are kept, one file each; uploads
    /// are written to temporary files in the same directory and renamed into place.
    pub recordings_dir: std::path::PathBuf,
    /// The largest recording accepted, in bytes (the general `body_limit` does not apply to
    /// the upload routes, which stream to disk).
    pub recording_max_bytes: u64,
    /// How long one recording upload may take: hours of video over a court's link take far
    /// longer than the general `request_timeout`.
    pub recording_upload_timeout: Duration,
    /// Who may read `/metrics` (operational figures, not for the public): clients in these
    /// address ranges — by default this machine only — or anyone presenting
    /// `metrics_token` as a bearer token. The client's address is the one the rate limit
    /// counts (`trust_forwarded_for`).
    pub metrics_allow: Vec<ipnet::IpNet>,
    pub metrics_token: Option<String>,
    /// The platform's own origin as browsers see it (`https://zhixing.example.cn`), which a
    /// state-changing page request's `Origin` must match. `None`: the request's `Host`, for a
    /// platform reached directly or through a proxy that keeps the `Host` header.
    pub public_origin: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            session_ttl: Duration::from_secs(8 * 3600),
            login_per_address_per_minute: 10,
            login_per_address_burst: 10,
            login_overall_per_minute: 600,
            login_overall_burst: 60,
            login_free_failures: 5,
            login_backoff_base: Duration::from_secs(1),
            login_backoff_cap: Duration::from_secs(15 * 60),
            login_failure_window: Duration::from_secs(3600),
            login_usual_address_for: Duration::from_secs(90 * 86400),
            hash_threads: 0,
            hash_queue: 128,
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            secure_cookies: false,
            cipher: None,
            platform_key: None,
            outbox_poll: Duration::from_millis(200),
            reply_timeout: Duration::from_secs(120),
            outbox_lease: Duration::from_secs(60),
            sweep_interval: Duration::from_secs(60),
            watch_worker: true,
            public_rate_per_minute: 120,
            public_burst: 30,
            trust_forwarded_for: false,
            recordings_dir: std::path::PathBuf::from("zhixing-data/recordings"),
            recording_max_bytes: 2 * 1024 * 1024 * 1024,
            recording_upload_timeout: Duration::from_secs(2 * 3600),
            metrics_allow: vec![
                ipnet::IpNet::new_assert(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8)
                    .trunc(),
                ipnet::IpNet::new_assert(std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), 128),
            ],
            metrics_token: None,
            public_origin: None,
        }
    }
}

pub struct AppInner {
    pub store: Store,
    pub config: Config,
    pub clock: Arc<dyn Clock>,
    pub rules: RuleCache,
    /// The working-day calendar: read it with `calendar.current(&store)`, which sees a year
    /// loaded since (here or by another process).
    pub calendar: CalendarCache,
    /// An Argon2id hash of a random password, verified against when a username is unknown so
    /// that the answer takes as long as for a known one.
    pub dummy_hash: String,
    /// The threads every password hash and verification runs on.
    pub hasher: crate::identity::password::HashPool,
    /// The sign-in attempt limits per client address and overall.
    pub sign_in: crate::identity::throttle::SignInLimits,
    pub cipher: zhixing_store::crypto::FieldCipher,
    pub platform_key: zhixing_exchange::KeyPair,
    /// Carries the outbox's messages to the institutions.
    pub courier: Arc<dyn Courier>,
    /// The institution registry, read once a second at most rather than once per message.
    pub institutions: InstitutionCache,
    /// Set while a server runs: replies are applied in groups by its batcher.
    pub reply_batcher: ReplyQueue,
    /// Auctions' folded states and the live feed of accepted bids.
    pub auctions: Hub,
    /// Carries notices of electronic service (SMS, e-mail) to the parties.
    pub sender: Arc<dyn crate::runtime::NoticeSender>,
    /// Sessions authenticated lately, with what revokes them (`identity::session_cache`).
    pub sessions: crate::identity::session_cache::SessionCache,
}

/// Cheap to clone; shared by every request.
#[derive(Clone)]
pub struct App(pub Arc<AppInner>);

impl std::ops::Deref for App {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

impl App {
    pub fn new(
        store: Store,
        config: Config,
        clock: Arc<dyn Clock>,
        courier: Arc<dyn Courier>,
    ) -> Result<App, AppError> {
        let calendar = crate::embedded::calendar().or_internal("calendar")?;
        let dummy_hash = crate::identity::password::hash_password_blocking(
            &crate::identity::password::new_token(),
        )?;
        let cipher = config.cipher.clone().unwrap_or_else(|| {
            zhixing_store::crypto::FieldCipher::new(
                zhixing_store::crypto::FieldCipher::generate_master(),
            )
        });
        let platform_key = config
            .platform_key
            .clone()
            .unwrap_or_else(zhixing_exchange::KeyPair::generate);
        let hasher =
            crate::identity::password::HashPool::new(config.hash_threads, config.hash_queue)?;
        let sign_in = crate::identity::throttle::SignInLimits::new(&config, clock.clone());
        Ok(App(Arc::new(AppInner {
            store,
            config,
            clock,
            rules: RuleCache::default(),
            calendar: CalendarCache::new(calendar),
            dummy_hash,
            hasher,
            sign_in,
            cipher,
            platform_key,
            courier,
            reply_batcher: std::sync::OnceLock::new(),
            institutions: InstitutionCache::default(),
            auctions: Hub::default(),
            sender: Arc::new(crate::runtime::LocalSender::default()),
            sessions: crate::identity::session_cache::SessionCache::default(),
        })))
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The real time, whatever the injected clock says: for what other machines check (the
    /// exchange protocol's timestamps) and for infrastructure timing (retries, leases).
    pub fn wall(&self) -> Timestamp {
        Timestamp::now()
    }

    pub fn wall_us(&self) -> i64 {
        Timestamp::now().as_microsecond()
    }

    /// Today in China Standard Time (UTC+8), the date legal periods count in.
    pub fn today(&self) -> jiff::civil::Date {
        china_date(self.clock.now())
    }

    pub fn now_us(&self) -> i64 {
        self.clock.now().as_microsecond()
    }

    /// The simulated time when the platform runs in training mode (演练模式), which every
    /// page announces; `None` on a real clock.
    pub fn simulated_now(&self) -> Option<Timestamp> {
        self.clock.simulated().map(Clock::now)
    }
}

/// The calendar date of a moment in China Standard Time (UTC+8), the date legal periods
/// count in.
pub fn china_date(t: Timestamp) -> jiff::civil::Date {
    t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .date()
}

/// The first moment of a date in China Standard Time, in microseconds since the epoch.
pub fn china_day_start_us(d: jiff::civil::Date) -> Option<i64> {
    d.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .ok()
        .map(|z| z.timestamp().as_microsecond())
}
