//! What lives in one process beside the database: caches of what is read on every request,
//! the auctions' folded states with their live feed, and the queue of institutions' replies
//! waiting to be applied in groups. Services use these; nothing here calls a service.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use zhixing_domain::auction::Auction;
use zhixing_domain::calendar::WorkingCalendar;
use zhixing_domain::rules::RuleBook;
use zhixing_exchange::Envelope;
use zhixing_store::Store;

use crate::error::{AppError, OrInternal};

/// The rule book, cached and reloaded when the stored generation changes (so a version
/// added through another server process is seen without a restart).
#[derive(Default)]
pub struct RuleCache {
    book: RwLock<Cached>,
}

/// The stored generation a cached book was read at, and the book.
type Cached = (Option<(i64, i64)>, Arc<RuleBook>);

impl RuleCache {
    pub async fn current(&self, store: &Store) -> Result<Arc<RuleBook>, AppError> {
        let generation = store.rule_book_generation().await?;
        if let Ok(guard) = self.book.read()
            && guard.0 == Some(generation)
        {
            return Ok(guard.1.clone());
        }
        let book = Arc::new(store.rule_book().await?);
        if let Ok(mut guard) = self.book.write() {
            *guard = (Some(generation), book.clone());
        }
        Ok(book)
    }
}

/// The working-day calendar: the shipped years and those administrators loaded (approved
/// rule-book proposals), reloaded when another year is stored — here or by another process.
///
/// Each calendar read is leaked on purpose: a year is loaded about once a year, and a
/// `'static` calendar lets the deadline arithmetic borrow it (`case::Ctx`) from synchronous
/// code without a lock or a clone on every case read.
pub struct CalendarCache {
    current: RwLock<(Option<i64>, &'static WorkingCalendar)>,
}

impl CalendarCache {
    /// Starts from `shipped` until the store is first read.
    pub fn new(shipped: WorkingCalendar) -> Self {
        CalendarCache {
            current: RwLock::new((None, Box::leak(Box::new(shipped)))),
        }
    }

    /// The calendar with every year stored so far (one count query when nothing changed).
    pub async fn current(&self, store: &Store) -> Result<&'static WorkingCalendar, AppError> {
        let generation = store.calendar_generation().await?;
        if let Ok(guard) = self.current.read()
            && guard.0 == Some(generation)
        {
            return Ok(guard.1);
        }
        let loaded = store.calendar_years().await?;
        let cal: &'static WorkingCalendar = Box::leak(Box::new(
            crate::embedded::calendar_with(&loaded).or_internal("stored calendar years")?,
        ));
        if let Ok(mut guard) = self.current.write() {
            *guard = (Some(generation), cal);
        }
        Ok(cal)
    }

    /// The calendar as last read by [`CalendarCache::current`] (the shipped one before the
    /// store was first read): for synchronous code on a path that read it first.
    pub fn last(&self) -> &'static WorkingCalendar {
        match self.current.read() {
            Ok(g) => g.1,
            Err(p) => p.into_inner().1,
        }
    }
}

type Registry =
    Arc<std::collections::HashMap<String, zhixing_store::investigation::InstitutionRow>>;

/// The institution registry in memory. Every reply needs its sender's public key; reading
/// the table each time costs a pooled connection per reply. A change (here, or by another
/// process) shows within [`InstitutionCache::MAX_AGE`]; a registration here shows at once.
#[derive(Default)]
pub struct InstitutionCache {
    current: std::sync::RwLock<Option<(std::time::Instant, Registry)>>,
    /// One reload at a time: when the registry ages out under a burst of replies, one request
    /// reads the table and the others wait for its result instead of each reading it.
    reloading: tokio::sync::Mutex<()>,
}

impl InstitutionCache {
    pub const MAX_AGE: Duration = Duration::from_secs(1);

    /// The whole registry, fresh within `MAX_AGE`.
    fn fresh(&self) -> Option<Registry> {
        let g = self.current.read().ok()?;
        let (at, reg) = g.as_ref()?;
        (at.elapsed() < Self::MAX_AGE).then(|| reg.clone())
    }

    pub async fn all(&self, store: &Store) -> Result<Registry, AppError> {
        if let Some(reg) = self.fresh() {
            return Ok(reg);
        }
        let _one = self.reloading.lock().await;
        if let Some(reg) = self.fresh() {
            return Ok(reg);
        }
        let reg: Registry = Arc::new(
            store
                .institutions()
                .await?
                .into_iter()
                .map(|i| (i.id.clone(), i))
                .collect(),
        );
        if let Ok(mut g) = self.current.write() {
            *g = Some((std::time::Instant::now(), reg.clone()));
        }
        Ok(reg)
    }

    pub async fn get(
        &self,
        store: &Store,
        id: &str,
    ) -> Result<Option<zhixing_store::investigation::InstitutionRow>, AppError> {
        Ok(self.all(store).await?.get(id).cloned())
    }

    pub fn invalidate(&self) {
        if let Ok(mut g) = self.current.write() {
            *g = None;
        }
    }
}

/// A notice to the live feeds of this process: an auction's log grew to `seq`.
#[derive(Debug, Clone)]
pub struct Notice {
    pub auction_id: i64,
    pub seq: i64,
    /// The public form of the entry (`None` for entries the public does not see): the
    /// event name and its data, serialised once here rather than once per listener.
    pub public: Option<(&'static str, Arc<str>)>,
}

/// Shared by the requests of one process: folded states by auction, and the live feed.
pub struct Hub {
    states: Mutex<HashMap<i64, (i64, Arc<Auction>)>>,
    pub feed: tokio::sync::broadcast::Sender<Notice>,
}

impl Default for Hub {
    fn default() -> Self {
        // A listener that falls this far behind re-reads the log instead (see the feed).
        let (feed, _) = tokio::sync::broadcast::channel(4096);
        Hub {
            states: Mutex::new(HashMap::new()),
            feed,
        }
    }
}

impl Hub {
    pub(crate) fn cached(&self, id: i64) -> Option<(i64, Arc<Auction>)> {
        self.states.lock().ok().and_then(|m| m.get(&id).cloned())
    }
    pub(crate) fn put(&self, id: i64, version: i64, state: Arc<Auction>) {
        if let Ok(mut m) = self.states.lock() {
            // Keep only newer versions: two requests may finish out of order.
            let newer = m.get(&id).is_none_or(|(v, _)| *v < version);
            if newer {
                m.insert(id, (version, state));
            }
        }
    }
}

/// A reply that passed every check that needs no database: shape, freshness, sender and
/// signature.
pub struct CheckedReply {
    pub(crate) env: Envelope,
    pub(crate) institution_id: String,
    pub(crate) asked: String,
}

/// A reply waiting for its batch, and where its answer goes.
pub type PendingReply = (
    CheckedReply,
    tokio::sync::oneshot::Sender<Result<bool, AppError>>,
);

/// How messages reach the institutions: a POST of a JSON body to an endpoint, success being a
/// 2xx answer. The application says what to send where; the edge (the server's HTTP client)
/// carries it, so this crate needs no HTTP stack.
pub trait Courier: Send + Sync + 'static {
    /// Delivers `body` to `url`; the error says why not, without the URL's query.
    fn post_json<'a>(
        &'a self,
        url: &'a str,
        body: String,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'a>>;
}

/// How a notice of electronic service reaches a party: an SMS gateway or a mail server in a
/// court's installation. This repository ships only [`LocalSender`], which sends nothing over
/// a network: the application says what to send to whom, the sender carries it.
pub trait NoticeSender: Send + Sync + 'static {
    /// Sends `body` to `address` by `channel` (`sms`, `email`); the error says why not.
    fn send<'a>(
        &'a self,
        channel: &'a str,
        address: &'a str,
        body: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'a>>;

    /// The local sender's record of what it was given, where the sender is the local one.
    fn as_local(&self) -> Option<&LocalSender> {
        None
    }
}

/// One notice as the local sender took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentNotice {
    pub channel: String,
    pub address: String,
    pub body: String,
}

/// The sender of the demo and the tests: keeps the last notices it was given in memory (for the
/// tests to read) and logs that it took one, without the address — nothing leaves the machine.
#[derive(Debug, Default)]
pub struct LocalSender {
    sent: std::sync::Mutex<std::collections::VecDeque<SentNotice>>,
}

impl LocalSender {
    /// How many notices it remembers.
    const KEEP: usize = 1000;

    /// The notices it took, oldest first.
    pub fn sent(&self) -> Vec<SentNotice> {
        self.sent
            .lock()
            .map(|q| q.iter().cloned().collect())
            .unwrap_or_default()
    }
}

impl NoticeSender for LocalSender {
    fn send<'a>(
        &'a self,
        channel: &'a str,
        address: &'a str,
        body: &'a str,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            let mut q = self
                .sent
                .lock()
                .map_err(|_| "the local sender's log is poisoned".to_owned())?;
            if q.len() == Self::KEEP {
                q.pop_front();
            }
            q.push_back(SentNotice {
                channel: channel.to_owned(),
                address: address.to_owned(),
                body: body.to_owned(),
            });
            tracing::info!(
                channel,
                "notice of electronic service taken by the local sender"
            );
            Ok(())
        })
    }

    fn as_local(&self) -> Option<&LocalSender> {
        Some(self)
    }
}

/// Set while a server runs: replies are applied in groups by its batcher.
pub type ReplyQueue = std::sync::OnceLock<tokio::sync::mpsc::Sender<PendingReply>>;
