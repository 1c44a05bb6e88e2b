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

/// Shared by the requests of one process: by auction, the folded state, the turn its
/// writers take, and the live feed of its public entries.
///
/// Writers of one auction take turns in memory ([`Hub::turn`]) before they open their
/// transaction, and publish to the feed after their commit while still holding the turn:
/// so the feed grows in the log's order, and waiting bidders wait here rather than each
/// holding a database connection on the row's lock. The row's version (the transaction
/// appends only after the version it read) still guards against another process.
#[derive(Default)]
pub struct Hub {
    states: Mutex<HashMap<i64, (i64, Arc<Auction>)>>,
    turns: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
    feeds: Mutex<HashMap<i64, Arc<Feed>>>,
}

/// A writer's turn on one auction: held from before its transaction begins until after it
/// published what it committed.
pub type Turn = tokio::sync::OwnedMutexGuard<()>;

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

    /// Waits for the turn to write auction `id` (first come, first served).
    pub(crate) async fn turn(&self, id: i64) -> Turn {
        let lock = match self.turns.lock() {
            Ok(mut m) => {
                if !m.contains_key(&id) {
                    // Forget the turns nobody holds or waits for (one entry per auction
                    // otherwise stays for the process's life).
                    m.retain(|_, t| Arc::strong_count(t) > 1);
                }
                m.entry(id).or_default().clone()
            }
            // A poisoned map: a turn of its own still serialises this process's writers
            // through the database's lock, only the feed's order is no longer kept.
            Err(_) => Arc::default(),
        };
        lock.lock_owned().await
    }

    /// The live feed of auction `id`, made (empty, to be loaded) for its first listener.
    pub fn feed(&self, id: i64) -> Arc<Feed> {
        match self.feeds.lock() {
            Ok(mut m) => {
                if !m.contains_key(&id) {
                    // Feeds nobody listens to any more are dropped; a later listener loads
                    // the log again.
                    m.retain(|_, f| Arc::strong_count(f) > 1);
                }
                m.entry(id).or_insert_with(|| Arc::new(Feed::new())).clone()
            }
            Err(_) => Arc::new(Feed::new()),
        }
    }

    /// The feed of auction `id` if it has one (someone listens, or listened).
    pub(crate) fn listened(&self, id: i64) -> Option<Arc<Feed>> {
        self.feeds.lock().ok().and_then(|m| m.get(&id).cloned())
    }
}

/// One public entry of an auction's log (an accepted bid, the close) as the live feed
/// sends it: a server-sent event whose id is the log position, encoded once here rather
/// than once per listener.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub seq: i64,
    pub frame: bytes::Bytes,
}

impl FeedEntry {
    pub fn new(seq: i64, event: &str, data: &str) -> FeedEntry {
        // `data` is one line of JSON: serde_json escapes every line break.
        FeedEntry {
            seq,
            frame: bytes::Bytes::from(format!("id: {seq}\nevent: {event}\ndata: {data}\n\n")),
        }
    }
}

/// The public entries of one auction's log kept in memory for its listeners: each listener
/// keeps its own position and reads what came after it, so a slow listener loses nothing
/// (it reads more at once) and no listener reads the database while the feed is whole.
pub struct Feed {
    log: Mutex<FeedLog>,
    /// One listener loads the log for all.
    pub(crate) loading: tokio::sync::Mutex<()>,
    /// Moves each time the log grows or must be loaded again.
    grew: tokio::sync::watch::Sender<u64>,
}

#[derive(Default)]
struct FeedLog {
    /// The log position the entries are complete up to; `None` until loaded, and after a
    /// gap (another process appended).
    upto: Option<i64>,
    /// The entries are complete after this position (older ones were let go).
    from: i64,
    entries: std::collections::VecDeque<FeedEntry>,
    /// When a listener last compared the feed with the stored log.
    checked: Option<std::time::Instant>,
}

/// What a listener at a position finds in the feed.
pub enum FeedRead {
    /// The entries after the position, and the position they bring the listener to.
    Entries(Vec<bytes::Bytes>, i64),
    /// The feed is to be loaded from the log first.
    Unloaded,
    /// The position is older than what the feed keeps: read the log for this listener.
    Older,
}

impl Feed {
    /// The most entries one feed keeps (about 250 bytes each); a listener further behind
    /// reads the log.
    pub const KEEP: usize = 20_000;

    fn new() -> Feed {
        Feed {
            log: Mutex::new(FeedLog::default()),
            loading: tokio::sync::Mutex::new(()),
            grew: tokio::sync::watch::channel(0).0,
        }
    }

    /// Told when the feed grows (subscribe before reading, so nothing falls between).
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.grew.subscribe()
    }

    fn moved(&self) {
        self.grew.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// The entries after position `after`.
    pub fn read(&self, after: i64) -> FeedRead {
        let Ok(log) = self.log.lock() else {
            return FeedRead::Older;
        };
        let Some(upto) = log.upto else {
            return FeedRead::Unloaded;
        };
        if after < log.from {
            return FeedRead::Older;
        }
        if after >= upto {
            return FeedRead::Entries(Vec::new(), after);
        }
        let first = log.entries.partition_point(|e| e.seq <= after);
        let frames = log
            .entries
            .range(first..)
            .map(|e| e.frame.clone())
            .collect();
        FeedRead::Entries(frames, upto)
    }

    /// Whether the feed holds the log (up to some position).
    pub fn loaded(&self) -> Option<i64> {
        self.log.lock().ok().and_then(|l| l.upto)
    }

    /// The whole log's public entries up to `upto`, read by a writer's turn.
    pub(crate) fn fill(&self, upto: i64, entries: Vec<FeedEntry>) {
        if let Ok(mut log) = self.log.lock() {
            let skip = entries.len().saturating_sub(Self::KEEP);
            log.from = match skip.checked_sub(1) {
                Some(last_dropped) => entries.get(last_dropped).map_or(0, |e| e.seq),
                None => 0,
            };
            log.entries = entries.into_iter().skip(skip).collect();
            log.upto = Some(upto);
            log.checked = Some(std::time::Instant::now());
        }
        self.moved();
    }

    /// After a commit, in the writer's turn: entries it committed after `before`, up to
    /// `after`; if the feed is not at `before` (another process wrote, or it is not
    /// loaded) it is to be loaded again.
    pub(crate) fn append(&self, before: i64, after: i64, entries: Vec<FeedEntry>) {
        if let Ok(mut log) = self.log.lock() {
            if log.upto == Some(before) {
                log.entries.extend(entries);
                while log.entries.len() > Self::KEEP {
                    if let Some(e) = log.entries.pop_front() {
                        log.from = e.seq;
                    }
                }
                log.upto = Some(after);
            } else {
                log.upto = None;
            }
        }
        self.moved();
    }

    /// Whether a listener should compare the feed with the stored log now: once per `every`
    /// for all the feed's listeners.
    pub fn check_due(&self, every: Duration) -> bool {
        let Ok(mut log) = self.log.lock() else {
            return false;
        };
        if log.checked.is_some_and(|t| t.elapsed() < every) {
            return false;
        }
        log.checked = Some(std::time::Instant::now());
        true
    }

    /// The stored log is at `version`: if that is past the feed, it is to be loaded again.
    pub fn stored_at(&self, version: i64) {
        let behind = match self.log.lock() {
            Ok(mut log) if log.upto.is_some_and(|u| u < version) => {
                log.upto = None;
                true
            }
            _ => false,
        };
        if behind {
            self.moved();
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
