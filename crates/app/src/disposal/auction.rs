//! Online judicial auctions (网络司法拍卖): announcing a round from a priced asset, bidders'
//! real-name registration and deposits, live bidding, closing by the server's clock, the
//! buyer's balance into the case account, default (悔拍), and the live feed of accepted bids.
//!
//! Every command locks the auction's row, brings the folded state up to the row's version
//! (from a per-process cache, or by replaying the log), decides in the domain, and appends
//! the domain's events to the auction's log together with an audited event — one
//! transaction. The cache is only a shortcut: a version mismatch means another process wrote,
//! and the log is replayed; a restart replays it from the start, so no accepted bid and no
//! extended end is lost.

use std::sync::Arc;

use jiff::Timestamp;
use rand::RngCore;
use serde::Serialize;
use serde_json::json;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::auction::{
    self as dom, Auction, AuctionEvent, AuctionPlan, AuctionStatus, Bid, Registration, Round, Sale,
};
use zhixing_domain::funds::amount_refused;
use zhixing_domain::measure::PropertyClass;
use zhixing_domain::money::Fen;
use zhixing_domain::refusal::{Reason, Refusal};
use zhixing_domain::valuation::refused_as;
use zhixing_store::NewEvent;
use zhixing_store::auction::{AuctionRow, NewAuction, Summary};
use zhixing_store::cases::CaseRow;
use zhixing_store::courts::CourtRow;

use crate::case as svc;
use crate::error::{AppError, OrInternal};
use crate::runtime::{Feed, FeedEntry, FeedRead, Turn};
use crate::state::App;

fn micros(t: Timestamp) -> i64 {
    t.as_microsecond()
}

fn not_found(id: i64) -> AppError {
    AppError::not_found("auction_not_found", format!("no auction {id}"))
}

#[track_caller]
fn bad_log() -> AppError {
    AppError::internal("unreadable auction log entry")
}

/// The state of auction `id` at the row's version, inside the transaction that locked it.
async fn state_in_tx(
    tx: &mut zhixing_store::Tx,
    app: &App,
    row: &AuctionRow,
) -> Result<Arc<Auction>, AppError> {
    let (mut base, from) = match app.auctions.cached(row.id) {
        Some((v, s)) if v == row.version => return Ok(s),
        Some((v, s)) if v < row.version => (Some((*s).clone()), v),
        _ => (None, 0),
    };
    for entry in tx.auction_log_after(row.id, from).await? {
        let e: AuctionEvent = serde_json::from_str(&entry.event).map_err(|_| bad_log())?;
        match base.as_mut() {
            Some(s) => s.apply(&e),
            None => base = Auction::from_announced(&e),
        }
    }
    let state = Arc::new(base.ok_or_else(bad_log)?);
    app.auctions.put(row.id, row.version, state.clone());
    Ok(state)
}

/// The state as of now, outside a transaction (for reads).
pub async fn state(app: &App, id: i64) -> Result<(AuctionRow, Arc<Auction>), AppError> {
    let row = app.store.auction(id).await?.ok_or_else(|| not_found(id))?;
    if let Some((v, s)) = app.auctions.cached(id)
        && v == row.version
    {
        return Ok((row, s));
    }
    let mut events = Vec::new();
    for entry in app.store.auction_log(id, 0).await? {
        events.push(serde_json::from_str::<AuctionEvent>(&entry.event).map_err(|_| bad_log())?);
    }
    let state = Arc::new(Auction::fold(&events).ok_or_else(bad_log)?);
    // The row may have moved on meanwhile: cache only what the log we read says.
    let version = i64::try_from(events.len()).unwrap_or(0);
    app.auctions.put(id, version, state.clone());
    Ok((row, state))
}

/// Where a log is appended: the auction, its case and court, and the version it is at.
struct At<'a> {
    id: i64,
    case_id: i64,
    court_id: &'a str,
    version: i64,
}

/// The audited event of a command.
struct Audit<'a> {
    actor: &'a str,
    kind: &'a str,
    payload: serde_json::Value,
}

/// Appends `events` to the log at `at` with the summary of `after` (the state they lead to)
/// and the audited event; returns the new version. Another process that appended meanwhile
/// makes it `auction_changed`.
async fn write(
    tx: &mut zhixing_store::Tx,
    app: &App,
    at: At<'_>,
    events: &[AuctionEvent],
    after: &Auction,
    audit: Audit<'_>,
) -> Result<i64, AppError> {
    let mut entries = Vec::with_capacity(events.len());
    for e in events {
        let (kind, value) = super::tagged(e)?;
        entries.push((kind, value.to_string()));
    }
    let now_us = app.now_us();
    let bid_count = i64::try_from(after.bids.len()).unwrap_or(i64::MAX);
    let moved = tx
        .append_auction(
            at.id,
            at.version,
            &entries,
            &Summary {
                status: after.status.as_str(),
                ends_at: micros(after.ends_at),
                current_price: after.current_price().map(Fen::get),
                bid_count,
            },
            now_us,
        )
        .await?;
    if !moved {
        return Err(AppError::conflict(
            "auction_changed",
            "the auction changed meanwhile; try again",
        ));
    }
    let mut payload = audit.payload;
    if let Some(o) = payload.as_object_mut() {
        o.insert("auction".into(), json!(at.id));
    }
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: audit.actor.to_owned(),
            court_id: Some(at.court_id.to_owned()),
            kind: audit.kind.to_owned(),
            subject: format!("case:{}", at.case_id),
            payload,
        }],
    )
    .await?;
    Ok(at.version + i64::try_from(events.len()).unwrap_or(0))
}

/// An auction locked in a transaction of its own (PostgreSQL: FOR UPDATE; SQLite: the single
/// writer), with its state at the row's version.
struct Locked {
    tx: zhixing_store::Tx,
    row: AuctionRow,
    before: Arc<Auction>,
    /// This process's writers of the auction take turns: held until the commit is
    /// published, so the live feed grows in the log's order.
    _turn: Turn,
}

impl Locked {
    async fn open(app: &App, id: i64) -> Result<Locked, AppError> {
        let turn = app.auctions.turn(id).await;
        let mut tx = app.store.begin().await?;
        let row = tx.lock_auction(id).await?.ok_or_else(|| not_found(id))?;
        let before = state_in_tx(&mut tx, app, &row).await?;
        Ok(Locked {
            tx,
            row,
            before,
            _turn: turn,
        })
    }

    /// Appends `events` decided on the state, with the audited event; the state they lead to
    /// and the new version.
    async fn append(
        &mut self,
        app: &App,
        events: &[AuctionEvent],
        audit: Audit<'_>,
    ) -> Result<(Arc<Auction>, i64), AppError> {
        let mut after = (*self.before).clone();
        for e in events {
            after.apply(e);
        }
        let at = At {
            id: self.row.id,
            case_id: self.row.case_id,
            court_id: &self.row.court_id,
            version: self.row.version,
        };
        let version = write(&mut self.tx, app, at, events, &after, audit).await?;
        Ok((Arc::new(after), version))
    }

    /// Commits, then caches the new state and tells this process's live feeds.
    async fn publish(
        self,
        app: &App,
        (after, version): (Arc<Auction>, i64),
        events: &[AuctionEvent],
    ) -> Result<AuctionRow, AppError> {
        self.tx.commit().await?;
        published(app, &self.row, after, version, events);
        Ok(self.row)
    }
}

/// After a commit, in the writer's turn: cache the state and give the live feed, if anyone
/// listens, the public entries (each serialised once, for every listener).
fn published(
    app: &App,
    row: &AuctionRow,
    state: Arc<Auction>,
    version: i64,
    events: &[AuctionEvent],
) {
    app.auctions.put(row.id, version, state.clone());
    let Some(feed) = app.auctions.listened(row.id) else {
        return;
    };
    let before = version - i64::try_from(events.len()).unwrap_or(0);
    let entries = (before + 1..)
        .zip(events)
        .filter_map(|(seq, e)| public_entry(&state, e).map(|p| feed_entry(seq, &p)))
        .collect();
    feed.append(before, version, entries);
}

/// The public form of a log entry: an accepted bid or the close, as `state` (the state after
/// the entry, or later) names the bidders.
fn public_entry(state: &Auction, e: &AuctionEvent) -> Option<PublicEntry> {
    match e {
        AuctionEvent::BidAccepted(b) => Some(bid_entry(state, b)),
        AuctionEvent::Closed { .. } => Some(closed_entry(state)),
        _ => None,
    }
}

fn feed_entry(seq: i64, p: &PublicEntry) -> FeedEntry {
    FeedEntry::new(seq, &p.event, &p.data.to_string())
}

/// A public feed entry (a bid or the close), as the live room shows it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PublicEntry {
    /// `bid` or `closed`.
    pub event: String,
    pub data: serde_json::Value,
}

fn bid_entry(state: &Auction, b: &dom::AcceptedBid) -> PublicEntry {
    let code = state
        .bidders
        .get(&b.bidder)
        .map_or_else(|| "?".to_owned(), |x| format!("P{:04}", x.paddle));
    PublicEntry {
        event: "bid".into(),
        data: json!({"seq": b.seq, "bidder_code": code, "amount_fen": b.amount.get(),
                     "at": b.at.to_string(), "ends_at": b.ends_at.to_string(),
                     "preemptive": b.preemptive_rank.is_some()}),
    }
}

fn closed_entry(state: &Auction) -> PublicEntry {
    let (result, price, code) = match &state.status {
        AuctionStatus::Sold(Sale { winner, price, .. }) | AuctionStatus::Paid { winner, price } => {
            (
                "sold",
                Some(price.get()),
                state
                    .bidders
                    .get(winner)
                    .map(|b| format!("P{:04}", b.paddle)),
            )
        }
        AuctionStatus::Defaulted { .. } => ("defaulted", None, None),
        _ => ("failed", None, None),
    };
    PublicEntry {
        event: "closed".into(),
        data: json!({"result": result, "price_fen": price, "winner_code": code,
                     "ended_at": state.ended_at.map(|t| t.to_string())}),
    }
}

/// The public entries of a log after `after`, read from the store: each accepted bid and
/// the close, with the log position as its id; and the log's last position.
async fn public_entries_after(
    app: &App,
    id: i64,
    after: i64,
) -> Result<(Vec<FeedEntry>, i64), AppError> {
    // Only when the log moved past `after`: a quiet feed checks the row, not the log.
    let row = app.store.auction(id).await?.ok_or_else(|| not_found(id))?;
    if row.version <= after {
        return Ok((Vec::new(), after));
    }
    let mut last = after;
    let mut out = Vec::new();
    let mut state: Option<Auction> = None;
    for entry in app.store.auction_log(id, 0).await? {
        let e: AuctionEvent = serde_json::from_str(&entry.event).map_err(|_| bad_log())?;
        match state.as_mut() {
            Some(s) => s.apply(&e),
            None => state = Auction::from_announced(&e),
        }
        last = last.max(entry.seq);
        if entry.seq <= after {
            continue;
        }
        if let Some(p) = state.as_ref().and_then(|s| public_entry(s, &e)) {
            out.push(feed_entry(entry.seq, &p));
        }
    }
    Ok((out, last))
}

/// How often the live feed of an auction compares itself with the stored log, for bids
/// another process of a scaled-out deployment took (once for all its listeners).
pub const FEED_CHECK: std::time::Duration = std::time::Duration::from_secs(3);

/// For a listener of the live feed at position `after`: the server-sent events after it,
/// and the position they bring it to. From memory while the feed holds the log; the feed
/// is loaded from the store by one listener for all (in the writers' turn, so that no
/// commit of this process falls between the read and the feed), and a listener further
/// behind than the feed keeps reads the store for itself.
pub async fn feed_after(
    app: &App,
    id: i64,
    feed: &Feed,
    after: i64,
) -> Result<(Vec<bytes::Bytes>, i64), AppError> {
    for _ in 0..3 {
        match feed.read(after) {
            FeedRead::Entries(frames, upto) => return Ok((frames, upto)),
            FeedRead::Older => break,
            FeedRead::Unloaded => {
                let _one = feed.loading.lock().await;
                if feed.loaded().is_none() {
                    let _turn = app.auctions.turn(id).await;
                    let (entries, upto) = public_entries_after(app, id, 0).await?;
                    feed.fill(upto, entries);
                }
            }
        }
    }
    // Behind what the feed keeps, or the log keeps moving under another process.
    let (entries, upto) = public_entries_after(app, id, after).await?;
    Ok((entries.into_iter().map(|e| e.frame).collect(), upto))
}

/// For a quiet listener: once per [`FEED_CHECK`] for all the feed's listeners, whether the
/// stored log moved past the feed (another process took a bid); then the feed is loaded
/// again.
pub async fn feed_check(app: &App, id: i64, feed: &Feed) -> Result<(), AppError> {
    if feed.check_due(FEED_CHECK) {
        let row = app.store.auction(id).await?.ok_or_else(|| not_found(id))?;
        feed.stored_at(row.version);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Views

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct BidView {
    pub seq: u32,
    /// The bidder's number (竞买号) only: the log is public.
    pub bidder_code: String,
    pub amount_fen: i64,
    pub at: String,
    pub preemptive: bool,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct AuctionView {
    pub id: i64,
    pub case_number: Option<String>,
    pub court_id: String,
    pub asset_id: i64,
    pub title: String,
    /// first, second or sell_off.
    pub round: String,
    pub round_zh: String,
    /// open, sold, failed, paid or defaulted.
    pub status: String,
    /// announced, bidding, ended or closed (by the server's clock).
    pub phase: String,
    pub reference_price_fen: i64,
    pub start_price_fen: i64,
    pub increment_fen: i64,
    pub deposit_fen: i64,
    pub announced_at: String,
    pub starts_at: String,
    /// The end of bidding now (extended by late bids).
    pub ends_at: String,
    pub current_price_fen: Option<i64>,
    pub bidders: usize,
    pub bids: Vec<BidView>,
    /// For a sale: the price and the winner's number.
    pub outcome: Option<serde_json::Value>,
    pub server_time: String,
}

fn view(app: &App, row: &AuctionRow, s: &Auction, case_number: Option<String>) -> AuctionView {
    let now = app.now();
    let phase = match s.phase(now) {
        dom::Phase::Announced => "announced",
        dom::Phase::Bidding => "bidding",
        dom::Phase::Ended => "ended",
        dom::Phase::Closed => "closed",
    };
    AuctionView {
        id: row.id,
        case_number,
        court_id: row.court_id.clone(),
        asset_id: row.asset_id,
        title: row.title.clone(),
        round: s.round.as_str().into(),
        round_zh: s.round.name_zh().into(),
        status: s.status.as_str().into(),
        phase: phase.into(),
        reference_price_fen: s.reference.price.get(),
        start_price_fen: s.plan.start_price.get(),
        increment_fen: s.plan.increment.get(),
        deposit_fen: s.plan.deposit.get(),
        announced_at: s.plan.announced_at.to_string(),
        starts_at: s.plan.starts_at.to_string(),
        ends_at: s.ends_at.to_string(),
        current_price_fen: s.current_price().map(Fen::get),
        bidders: s.bidders.len(),
        bids: dom::public_log(s)
            .into_iter()
            .map(|b| BidView {
                seq: b.seq,
                bidder_code: b.bidder_code,
                amount_fen: b.amount.get(),
                at: b.at.to_string(),
                preemptive: b.preemptive,
            })
            .collect(),
        outcome: (s.status != AuctionStatus::Open).then(|| closed_entry(s).data),
        server_time: now.to_string(),
    }
}

/// An auction as anyone may see it (the bid log is public, bidders pseudonymous).
pub async fn public_view(app: &App, id: i64) -> Result<AuctionView, AppError> {
    let (row, s) = state(app, id).await?;
    let number = app.store.case(row.case_id).await?.map(|c| c.number);
    Ok(view(app, &row, &s, number))
}

/// Whether auction `id` exists (404 otherwise), for a feed before it starts.
pub async fn ensure_exists(app: &App, id: i64) -> Result<(), AppError> {
    app.store.auction(id).await?.ok_or_else(|| not_found(id))?;
    Ok(())
}

/// One line of the room's bid log: bidders by number only, times as the server recorded
/// them, and the end of bidding each bid left (so the room can say which bid extended it).
#[derive(Debug, Clone)]
pub struct RoomBid {
    pub seq: u32,
    pub bidder_code: String,
    pub amount: Fen,
    pub at: Timestamp,
    pub ends_at: Timestamp,
    pub preemptive: bool,
}

/// The live room (拍卖厅): the auction as anyone may see it, what is sold as the court
/// recorded it, the rule a late bid extends bidding by (as fixed when it was announced, with
/// its citation from the rule book), and the log's position for the live feed to resume
/// after.
#[derive(Debug)]
pub struct Room {
    pub auction: AuctionView,
    pub extension_minutes: i64,
    /// The citation of `auction.bidding.extension` in force today, if the rule book has it.
    pub extension_citation: Option<String>,
    pub court_name: String,
    /// The asset as the court recorded it when it was found.
    pub description: String,
    /// 权利负担 the court recorded on the asset (mortgages, other seizures): the 标的物瑕疵
    /// a bidder must know.
    pub encumbrances: Vec<String>,
    /// Where a registered bidder pays the deposit: the case's own account (一案一账号),
    /// through which the court confirms it as a receipt of the case.
    pub deposit_account: Option<super::funds::PaymentAccount>,
    /// The photos and documents the court attached.
    pub files: Vec<super::auction_files::AuctionFileView>,
    /// The log's last position: the live feed resumes after it.
    pub log_version: i64,
    pub server_now: Timestamp,
    pub announced_at: Timestamp,
    pub starts_at: Timestamp,
    /// The end as announced, before any extension.
    pub scheduled_end: Timestamp,
    /// The end now.
    pub ends_at: Timestamp,
    /// The bid log, in order (the page shows it newest first).
    pub bids: Vec<RoomBid>,
}

/// The live room of auction `id`.
pub async fn room(app: &App, id: i64) -> Result<Room, AppError> {
    let (row, s) = state(app, id).await?;
    let case = app.store.case(row.case_id).await?;
    let asset = app.store.asset(row.asset_id).await?;
    let court = app.store.court(&row.court_id).await?;
    let deposit_account = match (&court, &case) {
        (Some(court), Some(case)) => Some(super::funds::payment_account(court, case)),
        _ => None,
    };
    let number = case.map(|c| c.number);
    let extension_citation = match &court {
        Some(c) => super::Rules::of(app, c)
            .await?
            .ctx()
            .rules
            .lookup(
                "auction.bidding.extension",
                app.today(),
                &crate::case::region(c),
            )
            .ok()
            .map(|r| r.citation.clone()),
        None => None,
    };
    let bids = s
        .bids
        .iter()
        .map(|b| RoomBid {
            seq: b.seq,
            bidder_code: s
                .bidders
                .get(&b.bidder)
                .map_or_else(|| "?".to_owned(), |x| format!("P{:04}", x.paddle)),
            amount: b.amount,
            at: b.at,
            ends_at: b.ends_at,
            preemptive: b.preemptive_rank.is_some(),
        })
        .collect();
    // The row's version is at most the state's (the log may have been read after the row):
    // the feed resumes there, and the room skips a bid it already shows by its number.
    let log_version = row.version;
    Ok(Room {
        auction: view(app, &row, &s, number),
        extension_minutes: s.terms.extension.as_secs() / 60,
        extension_citation,
        deposit_account,
        files: super::auction_files::files_of(app, id).await?,
        court_name: court.map(|c| c.name).unwrap_or_default(),
        description: asset
            .as_ref()
            .map(|a| a.description.clone())
            .unwrap_or_default(),
        encumbrances: asset
            .and_then(|a| serde_json::from_str::<Vec<String>>(&a.encumbrances).ok())
            .unwrap_or_default(),
        log_version,
        server_now: app.now(),
        announced_at: s.plan.announced_at,
        starts_at: s.plan.starts_at,
        scheduled_end: s.plan.ends_at,
        ends_at: s.ends_at,
        bids,
    })
}

/// The public list: open auctions first.
pub async fn public_list(app: &App, limit: i64) -> Result<Vec<AuctionView>, AppError> {
    let mut out = Vec::new();
    for row in app.store.public_auctions(limit.clamp(1, 100)).await? {
        let (row, s) = state(app, row.id).await?;
        out.push(view(app, &row, &s, None));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Commands

/// An auction as the officer plans it.
#[derive(Debug, Clone)]
pub struct PlanIn {
    pub title: String,
    pub start_price: Fen,
    pub increment: Fen,
    pub deposit: Fen,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub balance_days: i64,
}

/// The days after the end within which the court may set the balance due: a bound of the
/// platform's form, not a rule of law (the court sets the period in the announcement).
pub const BALANCE_DAYS: std::ops::RangeInclusive<i64> = 1..=90;
/// The balance period the announcement form suggests.
pub const DEFAULT_BALANCE_DAYS: i64 = 10;
/// The longest title of an auction, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest bank reference of a payment, in characters.
pub const MAX_REFERENCE: usize = 100;
/// The longest real name of a bidder, in characters.
pub const MAX_REAL_NAME: usize = 100;

/// A command of the online auction. Sell-off (变卖) is announced as a round
/// (`Round::SellOff`) after a failed second auction.
#[derive(Debug, Clone)]
pub enum AuctionCommand {
    /// Announce a round for an asset (拍卖公告): the first from its reference price, a second
    /// after a failed first, a sell-off after a failed second, or a re-auction after a
    /// default.
    Announce {
        asset_id: i64,
        round: Round,
        plan: PlanIn,
    },
    /// Real-name registration of a bidder (实名竞买).
    Register {
        auction_id: i64,
        real_name: String,
        identifier: String,
    },
    /// A bidder's deposit (保证金), as the bank reported it.
    Deposit {
        auction_id: i64,
        paddle: u32,
        amount: Fen,
        reference: String,
    },
    /// A bidder registered as a preemptive-right holder (优先购买权人) with the court's rank.
    PreemptiveHolder {
        auction_id: i64,
        paddle: u32,
        rank: u32,
    },
    /// A bid (出价) by the server's clock, with the client's idempotency key (1 to
    /// `MAX_KEY` bytes; a retry sends the same key).
    Bid {
        auction_id: i64,
        key: Option<String>,
        amount_fen: i64,
    },
    /// The buyer's balance (尾款): the whole price enters the case account.
    Balance {
        auction_id: i64,
        amount: Fen,
        reference: String,
    },
    /// The buyer's default (悔拍) after the balance deadline.
    Default { auction_id: i64 },
}

/// Who gives a command: the court's officers act with their session; anyone may register
/// as a bidder; a bid is placed with the token registration gave, never a session.
#[derive(Debug, Clone, Copy)]
pub enum Caller<'a> {
    Court(&'a Principal),
    Public,
    Bidder { token: &'a str },
}

/// What a command answers.
#[derive(Debug)]
pub enum Done {
    /// The auction as it now stands.
    Auction(Box<AuctionView>),
    /// The bidder's number and token, shown once.
    Registered(BidderCredential),
    /// The accepted bid (or, for a repeated key, the earlier answer).
    Bid(BidAnswer),
}

impl Done {
    pub fn auction(self) -> Result<AuctionView, AppError> {
        match self {
            Done::Auction(v) => Ok(*v),
            _ => Err(AppError::internal("an auction command answered no auction")),
        }
    }
    pub fn registered(self) -> Result<BidderCredential, AppError> {
        match self {
            Done::Registered(c) => Ok(c),
            _ => Err(AppError::internal("a registration answered no credential")),
        }
    }
    pub fn bid(self) -> Result<BidAnswer, AppError> {
        match self {
            Done::Bid(b) => Ok(b),
            _ => Err(AppError::internal("a bid answered no bid")),
        }
    }
}

/// Runs a command of the online auction: authorises the caller (a court command needs
/// `Action::HandleCases` at the case's court, a bid the bidder's token), locks the auction,
/// lets the domain decide on its state, and appends the events with the audited event — and
/// any money for the case account — in one transaction.
pub async fn execute(app: &App, by: Caller<'_>, cmd: AuctionCommand) -> Result<Done, AppError> {
    match cmd {
        AuctionCommand::Announce {
            asset_id,
            round,
            plan,
        } => announce(app, court(by)?, asset_id, round, &plan)
            .await
            .map(boxed),
        AuctionCommand::Register {
            auction_id,
            real_name,
            identifier,
        } => {
            // A signed-in officer registering is the court's own staff (or a superior
            // court's): refused openly, for they know who they are.
            let staff = match by {
                Caller::Court(p) => Some(p),
                _ => None,
            };
            register(app, auction_id, &real_name, &identifier, staff)
                .await
                .map(Done::Registered)
        }
        AuctionCommand::Bid {
            auction_id,
            key,
            amount_fen,
        } => {
            // Who bids comes first: without a valid token nothing else is looked at.
            let Caller::Bidder { token } = by else {
                return Err(invalid_token());
            };
            let bidder = bidder_of(app, auction_id, token).await?;
            let key = key
                .as_deref()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= dom::MAX_KEY)
                .ok_or_else(|| {
                    AppError::bad_request(
                        "idempotency_key_required",
                        "send an Idempotency-Key header (1–200 bytes) with each bid",
                    )
                })?;
            let amount =
                Fen::new(amount_fen).map_err(|e| amount_refused(money_reason(&e), "amount_fen"))?;
            bid(app, auction_id, &bidder, key, amount)
                .await
                .map(Done::Bid)
        }
        AuctionCommand::Deposit {
            auction_id,
            paddle,
            amount,
            reference,
        } => {
            let reference = bank_reference(&reference)?;
            court_command(app, court(by)?, auction_id, "auction.deposit_paid", |s, now| {
                let bidder = bidder_by_paddle(s, paddle)?;
                let e = dom::decide_deposit(s, &bidder, amount, now)?;
                // 保证金: held in the case account for the bidder, booked once per bidder.
                Ok(Decided {
                    deposit: Some(DepositBooking::Paid {
                        reference: deposit_reference(auction_id, paddle),
                        amount,
                        note: format!("竞买保证金（{paddle}号竞买人，银行流水 {reference}）"),
                    }),
                    ..Decided::of(
                        e,
                        json!({"paddle": paddle, "amount_fen": amount.get(), "reference": reference}),
                    )
                })
            })
            .await
            .map(boxed)
        }
        AuctionCommand::PreemptiveHolder {
            auction_id,
            paddle,
            rank,
        } => court_command(
            app,
            court(by)?,
            auction_id,
            "auction.preemptive_holder",
            |s, now| {
                let bidder = bidder_by_paddle(s, paddle)?;
                let e = dom::decide_preemptive_holder(s, &bidder, rank, now)?;
                Ok(Decided::of(e, json!({"paddle": paddle, "rank": rank})))
            },
        )
        .await
        .map(boxed),
        AuctionCommand::Balance {
            auction_id,
            amount,
            reference,
        } => {
            court_command(
                app,
                court(by)?,
                auction_id,
                "auction.balance_paid",
                |s, now| {
                    let reference = bank_reference(&reference)?;
                    let e = dom::decide_balance_payment(s, amount, now)?;
                    // 拍卖款: the whole price (the deposit counts toward it) enters the case
                    // account once.
                    let after = before_with(s, &e);
                    let price = dom::proceeds(&after).or_internal("dom::proceeds")?;
                    // The winner's deposit, already in the account, counts toward the price:
                    // only the rest is new money.
                    let deposit = match &after.status {
                        AuctionStatus::Paid { winner, .. } => {
                            winner_deposit(auction_id, &after, winner)
                        }
                        _ => None,
                    };
                    Ok(Decided {
                        deposit,
                        proceeds: Some(Proceeds {
                            amount: price,
                            reference: format!("auction:{auction_id}"),
                            note: "司法拍卖成交价款",
                        }),
                        ..Decided::of(
                            e,
                            json!({"amount_fen": amount.get(), "reference": reference}),
                        )
                    })
                },
            )
            .await
            .map(boxed)
        }
        AuctionCommand::Default { auction_id } => court_command(
            app,
            court(by)?,
            auction_id,
            "auction.defaulted",
            |s, now| {
                let e = dom::decide_default(s, now)?;
                let (forfeited, deposit) = match &e {
                    AuctionEvent::Defaulted {
                        forfeited, bidder, ..
                    } => (*forfeited, winner_deposit(auction_id, s, bidder)),
                    _ => (Fen::ZERO, None),
                };
                // 悔拍: the deposit, already in the account, becomes the case's money.
                Ok(Decided {
                    deposit,
                    proceeds: (forfeited > Fen::ZERO).then(|| Proceeds {
                        amount: forfeited,
                        reference: format!("auction:{auction_id}:forfeit"),
                        note: "悔拍保证金不予退还",
                    }),
                    ..Decided::of(e, json!({"forfeited_fen": forfeited.get()}))
                })
            },
        )
        .await
        .map(boxed),
    }
}

/// The officer giving a command of the court.
fn court(by: Caller<'_>) -> Result<&Principal, AppError> {
    match by {
        Caller::Court(p) => Ok(p),
        _ => Err(AppError::unauthenticated()),
    }
}

fn boxed(v: AuctionView) -> Done {
    Done::Auction(Box::new(v))
}

/// Why an amount is not one, as a refusal names it.
pub fn money_reason(e: &zhixing_domain::money::MoneyError) -> &'static str {
    match e {
        zhixing_domain::money::MoneyError::Negative => "negative",
        zhixing_domain::money::MoneyError::TooLarge => "too_large",
    }
}

/// Parses a round (first, second, sell_off); blank is the first.
pub fn round(s: &str) -> Result<Round, AppError> {
    match s.trim() {
        "" | "first" => Ok(Round::First),
        "second" => Ok(Round::Second),
        "sell_off" => Ok(Round::SellOff),
        other => Err(Refusal::invalid("invalid_round")
            .with("value", other)
            .into()),
    }
}

/// The bank's reference of a payment, trimmed.
fn bank_reference(s: &str) -> Result<String, AppError> {
    let r = s.trim();
    if r.is_empty() || r.chars().count() > MAX_REFERENCE {
        return Err(refused_as(
            "invalid_reference",
            Reason::new("reference_length")
                .with("field", "reference")
                .with("min", 1)
                .with("max", MAX_REFERENCE),
        )
        .into());
    }
    Ok(r.to_owned())
}

async fn case_and_court(
    app: &App,
    by: &Principal,
    case_id: i64,
) -> Result<(CaseRow, CourtRow), AppError> {
    let (row, court) = svc::readable(app, by, case_id).await?;
    svc::authorise(by, &court, case_id, Action::HandleCases)?;
    Ok((row, court))
}

/// Checks what the domain does not: the title, the balance period the form allows, and that
/// the asset is property sold by auction.
fn plan_of(plan_in: &PlanIn, kind: &str, now: Timestamp) -> Result<AuctionPlan, AppError> {
    let title = plan_in.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(Refusal::invalid("invalid_plan")
            .with("field", "title")
            .with("max", MAX_TITLE)
            .into());
    }
    if !BALANCE_DAYS.contains(&plan_in.balance_days) {
        return Err(Refusal::invalid("invalid_plan")
            .with("field", "balance_days")
            .with("min", *BALANCE_DAYS.start())
            .with("max", *BALANCE_DAYS.end())
            .into());
    }
    let class = PropertyClass::of_asset_kind(kind)
        .filter(|c| *c != PropertyClass::Deposit)
        .ok_or_else(|| Refusal::invalid("not_auctionable").with("kind", kind))?;
    Ok(AuctionPlan {
        class,
        start_price: plan_in.start_price,
        increment: plan_in.increment,
        deposit: plan_in.deposit,
        announced_at: now,
        starts_at: plan_in.starts_at,
        ends_at: plan_in.ends_at,
        balance_days: plan_in.balance_days,
    })
}

/// The property is on sale already, or sold.
fn already_auctioned(status: &str) -> AppError {
    Refusal::conflict("already_auctioned")
        .with("status", status)
        .into()
}

/// Announces a round for an asset: the first from its reference price, a second after a
/// failed first, a sell-off after a failed second, or a re-auction after a default.
async fn announce(
    app: &App,
    by: &Principal,
    asset_id: i64,
    round: Round,
    plan_in: &PlanIn,
) -> Result<AuctionView, AppError> {
    let asset =
        app.store.asset(asset_id).await?.ok_or_else(|| {
            AppError::not_found("asset_not_found", format!("no asset {asset_id}"))
        })?;
    let (case_row, court) = case_and_court(app, by, asset.case_id).await?;
    let now = app.now();
    let plan = plan_of(plan_in, &asset.kind, now)?;
    let prior = match app.store.last_auction_of_asset(asset_id).await? {
        Some(p) => Some(state(app, p.id).await?),
        None => None,
    };
    let rules = super::Rules::of(app, &court).await?;
    let ctx = rules.ctx();
    let debtor_keys = app.store.respondent_indexes(asset.case_id).await?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    if !tx.lock_case(asset.case_id).await? {
        return Err(AppError::not_found("case_not_found", "no such case"));
    }
    crate::review::check_disposal_in_tx(
        app,
        &mut tx,
        asset.case_id,
        Some(asset.id),
        zhixing_domain::review::Disposal::Auction,
    )
    .await?;
    let prior_state = prior.as_ref().map(|(_, s)| s.as_ref());
    let (reference, prior_id) = match round {
        Round::First => {
            if let Some((_, s)) = &prior
                && !matches!(s.status, AuctionStatus::Defaulted { .. })
            {
                return Err(already_auctioned(s.status.as_str()));
            }
            let (_, reference) =
                crate::disposal::valuation::current_reference_price(app, asset_id).await?;
            (reference, prior.as_ref().map(|(p, _)| p.id))
        }
        Round::Second | Round::SellOff => {
            let (p, s) = prior
                .as_ref()
                .ok_or_else(|| Refusal::invalid("wrong_round").with("round", round.as_str()))?;
            (s.reference, Some(p.id))
        }
    };
    let id = tx
        .insert_auction(&NewAuction {
            case_id: asset.case_id,
            asset_id,
            court_id: &court.id,
            round: round.as_str(),
            prior_id,
            title: plan_in.title.trim(),
            starts_at: micros(plan.starts_at),
            ends_at: micros(plan.ends_at),
            start_price: plan.start_price.get(),
            at_us: now_us,
        })
        .await
        .map_err(|e| match e {
            zhixing_store::StoreError::Conflict(_) => already_auctioned("open"),
            other => other.into(),
        })?;
    let event = match round {
        Round::SellOff => {
            let second = prior_state.or_internal("the failed second auction")?;
            dom::decide_sell_off(&format!("A{id}"), second, now, &ctx)?
        }
        _ => dom::decide_announce(
            &format!("A{id}"),
            round,
            &plan,
            &reference,
            prior_state,
            &debtor_keys,
            &ctx,
        )?,
    };
    let state = Arc::new(Auction::from_announced(&event).or_internal("an announced auction")?);
    // A sell-off sets its own period: the row takes the state's times.
    tx.set_auction_times(id, micros(state.plan.starts_at), micros(state.ends_at))
        .await?;
    let version = write(
        &mut tx,
        app,
        At {
            id,
            case_id: asset.case_id,
            court_id: &court.id,
            version: 0,
        },
        std::slice::from_ref(&event),
        &state,
        Audit {
            actor: &crate::actor_of(by),
            kind: "auction.announced",
            payload: json!({"round": round.as_str(), "asset": asset_id,
                            "start_price_fen": state.plan.start_price.get(),
                            "starts_at": state.plan.starts_at.to_string(), "ends_at": state.ends_at.to_string()}),
        },
    )
    .await?;
    tx.commit().await?;
    app.auctions.put(id, version, state.clone());
    let row = app.store.auction(id).await?.or_internal("auction(id)")?;
    Ok(view(app, &row, &state, Some(case_row.number)))
}

/// Money a command brings into the case account.
struct Proceeds {
    amount: Fen,
    /// With the source `auction`, what identifies the receipt (booked once).
    reference: String,
    note: &'static str,
}

/// A bidder's deposit (保证金) in the case account.
enum DepositBooking {
    /// Arrived: booked as a receipt of source `auction_deposit`, held for the bidder.
    Paid {
        reference: String,
        amount: Fen,
        note: String,
    },
    /// The winner's deposit becomes the case's money (toward the price, or forfeited).
    Applied { reference: String },
}

/// What identifies a bidder's deposit in the case account: the auction and the bidder's
/// number (one deposit each).
fn deposit_reference(auction_id: i64, paddle: u32) -> String {
    format!("auction:{auction_id}:deposit:{paddle}")
}

/// The deposit of the winner (or the defaulter) to apply, if they paid one.
fn winner_deposit(auction_id: i64, s: &Auction, bidder: &str) -> Option<DepositBooking> {
    s.bidders
        .get(bidder)
        .filter(|b| b.deposit > Fen::ZERO)
        .map(|b| DepositBooking::Applied {
            reference: deposit_reference(auction_id, b.paddle),
        })
}

/// What the domain decided on a court command: the events, what the audit records, and any
/// money for the case account.
struct Decided {
    events: Vec<AuctionEvent>,
    payload: serde_json::Value,
    proceeds: Option<Proceeds>,
    deposit: Option<DepositBooking>,
}

impl Decided {
    fn of(e: AuctionEvent, payload: serde_json::Value) -> Decided {
        Decided {
            events: vec![e],
            payload,
            proceeds: None,
            deposit: None,
        }
    }
}

/// Runs a command of the court on an auction: authorise, lock, decide, append, audit, book
/// the proceeds into the case account — one transaction.
async fn court_command<F>(
    app: &App,
    by: &Principal,
    id: i64,
    audit_kind: &str,
    decide: F,
) -> Result<AuctionView, AppError>
where
    F: FnOnce(&Auction, Timestamp) -> Result<Decided, AppError>,
{
    let row = app.store.auction(id).await?.ok_or_else(|| not_found(id))?;
    let (case_row, _) = case_and_court(app, by, row.case_id).await?;
    let actor = crate::actor_of(by);
    let mut l = Locked::open(app, id).await?;
    let d = decide(&l.before, app.now())?;
    let audit = Audit {
        actor: &actor,
        kind: audit_kind,
        payload: d.payload,
    };
    let appended = l.append(app, &d.events, audit).await?;
    let mut proceeds = d.proceeds;
    match d.deposit {
        Some(DepositBooking::Paid {
            reference,
            amount,
            note,
        }) => {
            let receipt = crate::disposal::funds::Receipt {
                amount,
                source: zhixing_domain::funds::Source::AuctionDeposit,
                reference: &reference,
                note: &format!("{note}（{}）", l.row.title),
                on: app.today(),
            };
            let booked = crate::disposal::funds::receive_in_tx(
                &mut l.tx,
                app,
                l.row.case_id,
                &receipt,
                &actor,
                app.now_us(),
            )
            .await?
            .unwrap_or_default();
            l.tx.append_events(app.now_us(), &booked).await?;
        }
        Some(DepositBooking::Applied { reference }) => {
            let applied = crate::disposal::funds::apply_deposit_in_tx(
                &mut l.tx,
                app,
                l.row.case_id,
                &reference,
                &actor,
                app.now_us(),
            )
            .await?;
            // A deposit booked before the account held deposits is not in it: then the whole
            // sum arrives as before.
            if let (Some(applied), Some(p)) = (applied, proceeds.as_mut()) {
                p.amount = p.amount.saturating_sub(applied);
            }
        }
        None => {}
    }
    if let Some(p) = proceeds.filter(|p| p.amount > Fen::ZERO) {
        let receipt = crate::disposal::funds::Receipt {
            amount: p.amount,
            source: zhixing_domain::funds::Source::Auction,
            reference: &p.reference,
            note: &format!("{}（{}）", p.note, l.row.title),
            on: app.today(),
        };
        let booked = crate::disposal::funds::receive_in_tx(
            &mut l.tx,
            app,
            l.row.case_id,
            &receipt,
            &actor,
            app.now_us(),
        )
        .await?
        .unwrap_or_default();
        l.tx.append_events(app.now_us(), &booked).await?;
    }
    let after = appended.0.clone();
    let row = l.publish(app, appended, &d.events).await?;
    Ok(view(app, &row, &after, Some(case_row.number)))
}

fn bidder_by_paddle(s: &Auction, paddle: u32) -> Result<String, AppError> {
    s.bidders
        .iter()
        .find(|(_, b)| b.paddle == paddle)
        .map(|(k, _)| k.clone())
        .ok_or_else(|| {
            AppError::not_found("bidder_not_found", format!("no bidder number {paddle}"))
        })
}

/// Whether bidder number `paddle` is registered for auction `id` (the case page checks the
/// number an officer typed before it records a payment).
pub async fn has_paddle(app: &App, id: i64, paddle: u32) -> Result<bool, AppError> {
    let (_, s) = state(app, id).await?;
    Ok(s.bidders.values().any(|b| b.paddle == paddle))
}

/// Auctions of a case (for its page and API).
pub async fn of_case(
    app: &App,
    by: &Principal,
    case_id: i64,
) -> Result<Vec<AuctionView>, AppError> {
    let (case_row, _) = svc::readable(app, by, case_id).await?;
    let mut out = Vec::new();
    for r in app.store.auctions_of_case(case_id).await? {
        let (row, s) = state(app, r.id).await?;
        out.push(view(app, &row, &s, Some(case_row.number.clone())));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Bidders

/// What a registration returns, once, whatever its outcome: the bidder's secret token. The
/// answer is the same whether the identifier is new, already registered, the debtor's or
/// barred, so that it tells no one who bids or whose property it is; the outcome is read with
/// the token ([`registration`]), which only the applicant holds.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct BidderCredential {
    pub auction_id: i64,
    /// The bearer token for reading the registration's outcome and for bids
    /// (`Authorization: Bearer zxb_…`), shown only here.
    pub token: String,
    pub deposit_fen: i64,
}

/// A registration's outcome, as its token's holder reads it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RegistrationView {
    pub auction_id: i64,
    /// `registered` or `refused`.
    pub status: String,
    /// 竞买号: the bidder's public number in this auction, once registered.
    pub paddle: Option<u32>,
    pub deposit_fen: i64,
    pub deposit_paid: bool,
    /// Why the registration was refused: the refusal's code (`debtor_may_not_bid`,
    /// `bidder_barred`, `already_registered`, `identity_name_mismatch`).
    pub refused: Option<String>,
    /// 优先购买权人: the rank the court gave this bidder (1 first), if any.
    pub preemptive_rank: Option<u32>,
    /// The lowest bid this bidder may place now (the starting price before any bid, else the
    /// current price plus the increment), fen.
    pub next_min_fen: Option<i64>,
    /// The current price, fen, when this bidder is a preemptive-right holder who may match
    /// it (同等价格优先).
    pub may_match_fen: Option<i64>,
    /// This bidder holds the highest bid.
    pub leading: bool,
}

const TOKEN_PREFIX: &str = "zxb_";

/// The refusals of a registration that would tell a stranger something about a person (that
/// they already bid, that the property is theirs, that they defaulted, that the identifier is
/// known under another name): told only to the token's holder.
const PRIVATE_REFUSALS: [&str; 5] = [
    "already_registered",
    "debtor_may_not_bid",
    "bidder_barred",
    "identity_name_mismatch",
    "court_staff_may_not_bid",
];

/// Registers a bidder in real name (实名竞买): name and ID number or credit code. The
/// debtor, a buyer who defaulted on an earlier round, an identifier registered twice and a
/// name that is not the one the identifier is known under are refused — privately.
async fn register(
    app: &App,
    id: i64,
    real_name: &str,
    identifier: &str,
    staff: Option<&Principal>,
) -> Result<BidderCredential, AppError> {
    if let Some(p) = staff {
        let row = app.store.auction(id).await?.ok_or_else(|| not_found(id))?;
        let court = app.store.court(&row.court_id).await?;
        if court.is_none_or(|c| c.path.starts_with(&p.court_path)) {
            return Err(Refusal::invalid("court_staff_may_not_bid").into());
        }
    }
    let real_name = zhixing_domain::text::required(
        "name",
        real_name,
        zhixing_domain::text::Bounds::line(MAX_REAL_NAME),
    )
    .map_err(|_| {
        Refusal::invalid("invalid_identity")
            .with("field", "real_name")
            .with("max", MAX_REAL_NAME)
    })?;
    let normalised = zhixing_domain::identity::normalise(identifier)
        .ok_or_else(|| Refusal::invalid("invalid_identity").with("field", "id_number"))?;
    let identity_key = app.cipher.index(&normalised);
    let mut raw = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(raw));
    let token_hash = app.cipher.bidder_token_hash(&token);
    let mut acct = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut acct);
    let account = format!("bidder-{}", hex::encode(acct));
    let mut l = Locked::open(app, id).await?;
    let known = l.tx.names_of_identity(&identity_key).await?;
    // The court's own staff, by the ID number their administrator recorded: a member of
    // staff who registers from the public portal without signing in is refused all the same.
    let auction_court_path = app.store.court(&l.row.court_id).await?.map(|c| c.path);
    let staff_here =
        l.tx.staff_court_paths(&identity_key)
            .await?
            .iter()
            .any(|p| {
                auction_court_path
                    .as_deref()
                    .is_none_or(|a| a.starts_with(p.as_str()))
            });
    let decided = if staff_here {
        Err(Refusal::invalid("court_staff_may_not_bid"))
    } else if l
        .before
        .bidders
        .values()
        .any(|b| b.identity_key == identity_key)
    {
        Err(Refusal::conflict("already_registered"))
    } else if !known.is_empty() && !known.contains(&real_name) {
        Err(Refusal::invalid("identity_name_mismatch"))
    } else {
        dom::decide_register(
            &l.before,
            &Registration {
                bidder: account.clone(),
                real_name: real_name.clone(),
                identifier: normalised,
                identity_key: identity_key.clone(),
            },
            app.now(),
        )
    };
    let deposit_fen = l.before.plan.deposit.get();
    let e = match decided {
        Ok(e) => e,
        Err(r) if PRIVATE_REFUSALS.contains(&r.code) => {
            l.tx.insert_bidder_token(&zhixing_store::auction::BidderToken {
                auction_id: id,
                bidder: &account,
                token_hash: &token_hash,
                at_us: app.now_us(),
                refused_code: Some(r.code),
                identity_key: None,
                real_name: None,
            })
            .await?;
            l.tx.append_events(
                app.now_us(),
                &[NewEvent {
                    actor: format!("bidder:{id}:{account}"),
                    court_id: Some(l.row.court_id.clone()),
                    kind: "auction.registration_refused".into(),
                    subject: format!("auction:{id}"),
                    payload: json!({"code": r.code}),
                }],
            )
            .await?;
            l.tx.commit().await?;
            return Ok(BidderCredential {
                auction_id: id,
                token,
                deposit_fen,
            });
        }
        Err(r) => return Err(r.into()),
    };
    let paddle = match &e {
        AuctionEvent::BidderRegistered { paddle, .. } => *paddle,
        _ => 0,
    };
    let audit = Audit {
        actor: &format!("bidder:{id}:{paddle}"),
        kind: "auction.bidder_registered",
        payload: json!({"paddle": paddle}),
    };
    let appended = l.append(app, std::slice::from_ref(&e), audit).await?;
    l.tx.insert_bidder_token(&zhixing_store::auction::BidderToken {
        auction_id: id,
        bidder: &account,
        token_hash: &token_hash,
        at_us: app.now_us(),
        refused_code: None,
        identity_key: Some(&identity_key),
        real_name: Some(&real_name),
    })
    .await?;
    l.publish(app, appended, std::slice::from_ref(&e)).await?;
    Ok(BidderCredential {
        auction_id: id,
        token,
        deposit_fen,
    })
}

/// The outcome of the registration a bidder's token stands for.
pub async fn registration(app: &App, id: i64, token: &str) -> Result<RegistrationView, AppError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Err(invalid_token());
    }
    let (account, refused) = app
        .store
        .registration_of_token(id, &app.cipher.bidder_token_hash(token))
        .await?
        .ok_or_else(invalid_token)?;
    let (_, s) = state(app, id).await?;
    let bidder = s.bidders.get(&account);
    let next = bidder.and_then(|_| dom::next_bid(&s, &account));
    Ok(RegistrationView {
        preemptive_rank: bidder.and_then(|b| b.preemptive_rank),
        next_min_fen: next.map(|n| n.min.get()),
        may_match_fen: next.and_then(|n| n.may_match).map(Fen::get),
        leading: next.is_some_and(|n| n.leading),
        auction_id: id,
        status: if bidder.is_some() {
            "registered"
        } else {
            "refused"
        }
        .to_owned(),
        paddle: bidder.map(|b| b.paddle),
        deposit_fen: s.plan.deposit.get(),
        deposit_paid: bidder.is_some_and(|b| b.deposit.get() > 0),
        refused,
    })
}

fn invalid_token() -> AppError {
    AppError::Unauthenticated {
        code: "invalid_bidder_token",
        message: "register for this auction to bid: its token goes in Authorization: Bearer".into(),
    }
}

/// The bidder a bearer token stands for in auction `id`.
async fn bidder_of(app: &App, id: i64, token: &str) -> Result<String, AppError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Err(invalid_token());
    }
    app.store
        .bidder_of_token(id, &app.cipher.bidder_token_hash(token))
        .await?
        .ok_or_else(invalid_token)
}

/// The answer to a bid: accepted (now or, for a repeated key, earlier) with the new end.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct BidAnswer {
    pub seq: u32,
    pub amount_fen: i64,
    pub at: String,
    /// The end of bidding after this bid.
    pub ends_at: String,
    /// False when the idempotency key was seen before: the earlier answer, nothing recorded.
    pub new: bool,
}

/// Places a bid by the server's clock. A repeated idempotency key with the same bid returns
/// the first answer and records nothing.
async fn bid(
    app: &App,
    id: i64,
    bidder: &str,
    key: &str,
    amount: Fen,
) -> Result<BidAnswer, AppError> {
    let mut l = Locked::open(app, id).await?;
    // The clock is read under the lock, so bids are judged in the order they are recorded.
    let now = app.now();
    let d = dom::decide_bid(
        &l.before,
        &Bid {
            key: key.to_owned(),
            bidder: bidder.to_owned(),
            amount,
        },
        now,
    )?;
    let answer = |b: &dom::AcceptedBid, new: bool| BidAnswer {
        seq: b.seq,
        amount_fen: b.amount.get(),
        at: b.at.to_string(),
        ends_at: b.ends_at.to_string(),
        new,
    };
    if d.events.is_empty() {
        return Ok(answer(&d.bid, false));
    }
    let paddle = l.before.bidders.get(bidder).map_or(0, |b| b.paddle);
    let audit = Audit {
        actor: &format!("bidder:{id}:{paddle}"),
        kind: "auction.bid_accepted",
        payload: json!({"seq": d.bid.seq, "paddle": paddle, "amount_fen": amount.get(), "ends_at": d.bid.ends_at.to_string()}),
    };
    let appended = l.append(app, &d.events, audit).await?;
    l.publish(app, appended, &d.events).await?;
    Ok(answer(&d.bid, true))
}

// ---------------------------------------------------------------------------------------
// The worker

/// Closes every open auction whose bidding ended by the server's clock: the outcome, the
/// sale ruling (成交裁定) for a sale, and the release of losers' deposits, each audited.
pub async fn sweep(app: &App) -> Result<usize, AppError> {
    let mut closed = 0;
    for r in app.store.auctions_ended(app.now_us()).await? {
        match close_one(app, r.id).await {
            Ok(true) => closed += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(auction = r.id, error = %e, "auction not closed"),
        }
    }
    Ok(closed)
}

async fn close_one(app: &App, id: i64) -> Result<bool, AppError> {
    let mut l = Locked::open(app, id).await?;
    // Another process closed it, or a late bid moved the end: nothing to do.
    let Ok(e) = dom::close(&l.before, app.now()) else {
        return Ok(false);
    };
    let audit = Audit {
        actor: "system:auction",
        kind: "auction.closed",
        payload: closed_entry(&before_with(&l.before, &e)).data,
    };
    let appended = l.append(app, std::slice::from_ref(&e), audit).await?;
    let (after, row) = (appended.0.clone(), l.row.clone());
    let mut events = Vec::new();
    for r in dom::deposit_releases(&after) {
        let paddle = after.bidders.get(&r.bidder).map_or(0, |b| b.paddle);
        // Returned out of the case account, where the deposit was held for the bidder.
        crate::disposal::funds::refund_deposit_in_tx(
            &mut l.tx,
            app,
            row.case_id,
            &deposit_reference(id, paddle),
            "system:auction",
            app.now_us(),
        )
        .await?;
        events.push(NewEvent {
            actor: "system:auction".into(),
            court_id: Some(row.court_id.clone()),
            kind: "auction.deposit_released".into(),
            subject: format!("case:{}", row.case_id),
            payload: json!({"auction": id, "paddle": paddle, "amount_fen": r.amount.get(), "due": r.due.to_string()}),
        });
    }
    if let AuctionStatus::Sold(sale) = &after.status {
        let paddle = after.bidders.get(&sale.winner).map_or(0, |b| b.paddle);
        let html = sale_ruling_html(&row, &after, paddle, sale)?;
        let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(html.as_bytes()));
        let doc =
            l.tx.insert_document(&zhixing_store::cases::NewDocument {
                case_id: row.case_id,
                court_id: &row.court_id,
                kind: "sale_ruling",
                title: "执行裁定书（拍卖成交）",
                html: &html,
                sha256: &sha,
                at_us: app.now_us(),
                by: "system:auction",
            })
            .await?;
        // The ruling is one of the case's documents, recorded in its state like any other.
        let issued = zhixing_domain::case::CaseEvent::DocumentIssued {
            document_id: doc,
            doc_kind: "sale_ruling".into(),
            title: "执行裁定书（拍卖成交）".into(),
            sha256: sha,
            on: Some(app.today()),
            to: Vec::new(),
        };
        svc::change_in_tx(
            &mut l.tx,
            app,
            svc::Actor::System("system:auction"),
            row.case_id,
            None,
            |_, _| Ok(vec![issued]),
        )
        .await?;
    }
    l.tx.append_events(app.now_us(), &events).await?;
    l.publish(app, appended, std::slice::from_ref(&e)).await?;
    Ok(true)
}

fn before_with(before: &Auction, e: &AuctionEvent) -> Auction {
    let mut s = before.clone();
    s.apply(e);
    s
}

/// The sale ruling (成交裁定) as issued, from `templates/documents/sale_ruling.html`.
#[derive(askama::Template)]
#[template(path = "documents/sale_ruling.html")]
struct SaleRuling<'a> {
    round: &'static str,
    title: &'a str,
    paddle: u32,
    buyer: String,
    price: Fen,
    /// Beijing time.
    balance_due: String,
}

fn sale_ruling_html(
    row: &AuctionRow,
    s: &Auction,
    paddle: u32,
    sale: &Sale,
) -> Result<String, AppError> {
    use askama::Template;
    let buyer = s
        .bidders
        .values()
        .find(|b| b.paddle == paddle)
        .map_or_else(String::new, |b| {
            format!("{}（{}）", b.real_name, b.identifier)
        });
    SaleRuling {
        round: s.round.name_zh(),
        title: &row.title,
        paddle,
        buyer,
        price: sale.price,
        balance_due: dom::beijing_time(sale.balance_due),
    }
    .render()
    .or_internal("the sale ruling")
}

/// A page of a court's judicial auctions, as asked (the staff list 司法拍卖).
#[derive(Debug, Default)]
pub struct AuctionList {
    /// A court the caller may read; default the caller's own.
    pub court: Option<String>,
    /// `self` or `subtree` (default).
    pub scope: Option<String>,
    /// One status (`open`, `sold`, `failed`, `paid`, `defaulted`); none for all.
    pub status: Option<String>,
    /// At most this many (1–500, default 100).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One page of auctions, newest first.
#[derive(Debug)]
pub struct AuctionPage {
    pub court_id: String,
    /// The scope applied: `self` or `subtree`.
    pub scope: String,
    pub items: Vec<zhixing_store::lists::AuctionItem>,
    pub next_cursor: Option<String>,
}

/// The statuses an auction row takes.
pub const STATUSES: [&str; 5] = ["open", "sold", "failed", "paid", "defaulted"];

/// The judicial auctions of a court and, for those who read below it, of the courts below:
/// the same reach as the alert list (a court out of reach is not found).
pub async fn auction_page(
    app: &App,
    by: &Principal,
    q: &AuctionList,
) -> Result<AuctionPage, AppError> {
    use crate::command_centre::query as cq;
    if let Some(s) = q.status.as_deref()
        && !STATUSES.contains(&s)
    {
        return Err(AppError::bad_request(
            "invalid_status",
            format!(
                "unknown auction status {s:?}; known: {}",
                STATUSES.join(", ")
            ),
        ));
    }
    let limit = cq::list_limit(q.limit)?;
    let before_id = cq::list_cursor(q.cursor.as_deref())?;
    let (court, subtree) = cq::list_scope(app, by, q.court.as_deref(), q.scope.as_deref()).await?;
    let mut items = app
        .store
        .auction_page(&zhixing_store::lists::AuctionQuery {
            court_id: &court.id,
            subtree: subtree.then_some(court.path.as_str()),
            status: q.status.as_deref(),
            before_id,
            limit: limit + 1,
        })
        .await?;
    let more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = if more {
        items.last().map(|a| cq::next_cursor(a.id))
    } else {
        None
    };
    Ok(AuctionPage {
        court_id: court.id,
        scope: if subtree { "subtree" } else { "self" }.into(),
        items,
        next_cursor,
    })
}
