//! Online investigation (网络查控): one query fanned out to every institution that applies,
//! through the outbox — persisted first, in the transaction that records the investigation on
//! the case; sent by a worker with per-institution limits, retried with back-off; idempotent
//! by message id on both ends. Replies are verified, applied once, and their assets stored.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tokio::sync::Semaphore;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::case::{ActionKind, CaseEvent, PartyRole, Refusal};
use zhixing_exchange::protocol::new_message_id;
use zhixing_exchange::{Body, Envelope, MessageKind, Officer, PROTOCOL, Subject};
use zhixing_store::NewEvent;
use zhixing_store::investigation::{InstitutionRow, NewAsset};

use crate::case::{self as svc};
use crate::error::{AppError, OrInternal};
use crate::runtime::{CheckedReply, PendingReply};
use crate::state::App;

/// Messages older or newer than this (seconds) are refused.
pub const FRESHNESS_WINDOW: i64 = 300;

/// Institutions a court's query goes to: national ones, and local ones of its region.
fn applies(i: &InstitutionRow, court_division: &str) -> bool {
    i.active
        && i.measures.split(',').any(|m| m.trim() == "query")
        && (i.channel == "national"
            || (!i.region.is_empty() && court_division.starts_with(&i.region)))
}

/// The name of the officer a request is made for, as institutions see it.
pub async fn officer_of(app: &App, by: &Principal) -> Result<String, AppError> {
    Ok(app
        .store
        .user(by.user_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_else(|| by.username.clone()))
}

/// A new request from a court to an institution, signed with the platform key.
#[allow(clippy::too_many_arguments)] // every envelope field a request needs, named at the call
pub fn signed_request(
    app: &App,
    court_id: &str,
    institution_id: &str,
    case_number: &str,
    officer_id: i64,
    officer_name: &str,
    kind: MessageKind,
    body: Body,
) -> Envelope {
    let mut env = Envelope {
        protocol: PROTOCOL.into(),
        message_id: new_message_id(),
        kind,
        sent_at: app.wall(),
        sender: format!("court:{court_id}"),
        recipient: format!("institution:{institution_id}"),
        case_number: case_number.to_owned(),
        officer: Officer {
            id: officer_id.to_string(),
            name: officer_name.to_owned(),
        },
        in_reply_to: None,
        body,
        signature: None,
    };
    app.platform_key.sign(&mut env);
    env
}

/// Puts a signed request in the outbox, sealed at rest (queries carry ID numbers).
#[allow(clippy::too_many_arguments)] // one outbox row, every column named at the call
pub async fn queue(
    app: &App,
    tx: &mut zhixing_store::Tx,
    env: &Envelope,
    investigation_id: Option<i64>,
    case_id: i64,
    court_id: &str,
    institution_id: &str,
    kind: &str,
    at_us: i64,
    measure_id: Option<i64>,
) -> Result<(), AppError> {
    let sealed = app
        .cipher
        .seal(&serde_json::to_string(env).or_internal("seal(serde_json::to_string(env)")?)?;
    tx.insert_outbox(
        &env.message_id,
        investigation_id,
        case_id,
        court_id,
        institution_id,
        kind,
        &sealed,
        at_us,
        measure_id,
    )
    .await?;
    Ok(())
}

async fn queue_queries(
    app: &App,
    tx: &mut zhixing_store::Tx,
    messages: &[(String, Envelope)],
    inv: i64,
    case_id: i64,
    court_id: &str,
    wall_us: i64,
) -> Result<(), AppError> {
    for (inst, env) in messages {
        queue(
            app,
            tx,
            env,
            Some(inv),
            case_id,
            court_id,
            inst,
            "query",
            wall_us,
            None,
        )
        .await?;
    }
    Ok(())
}

/// The queries of one investigation: every respondent of the case to every institution that
/// applies to its court.
async fn queries(
    app: &App,
    row: &zhixing_store::cases::CaseRow,
    court: &zhixing_store::courts::CourtRow,
    state: &zhixing_domain::case::CaseState,
    officer_id: i64,
    officer: &str,
) -> Result<(usize, Vec<(String, Envelope)>), AppError> {
    let division = court.division_code.clone().unwrap_or_default();
    let institutions: Vec<InstitutionRow> = app
        .store
        .institutions()
        .await?
        .into_iter()
        .filter(|i| applies(i, &division))
        .collect();
    if institutions.is_empty() {
        return Err(Refusal::conflict("no_institutions").into());
    }
    let mut subjects = Vec::new();
    for p in state
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Respondent)
    {
        let sealed = app
            .store
            .party_cipher(row.id, i64::from(p.no))
            .await?
            .or_internal("party_cipher(row.id, i64::from(p.no))")?;
        let id_number = app.cipher.open(&sealed)?;
        subjects.push(Subject {
            name: p.name.clone(),
            id_kind: if p.kind == "person" {
                "resident_id".into()
            } else {
                "credit_code".into()
            },
            id_number,
        });
    }
    let mut messages = Vec::new();
    for inst in &institutions {
        for subject in &subjects {
            let env = signed_request(
                app,
                &court.id,
                &inst.id,
                &state.number,
                officer_id,
                officer,
                MessageKind::Query,
                Body::Query {
                    subject: subject.clone(),
                },
            );
            messages.push((inst.id.clone(), env));
        }
    }
    Ok((institutions.len(), messages))
}

/// A change an officer or an administrator makes to online investigation (网络查控).
/// Executed by [`execute`].
#[derive(Debug)]
pub enum InvestigationCommand {
    /// Queries every institution that applies about every respondent of case `case_id`.
    Start { case_id: i64, version: Option<i64> },
    /// Registers or updates an institution on the network.
    RegisterInstitution(crate::control::institutions::InstitutionSpec),
}

/// What an investigation command came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Investigated {
    /// Investigation `id` started, with `messages` queries queued.
    Started { id: i64, messages: usize },
    /// The institution was registered (`new`) or updated.
    Registered { new: bool },
}

/// Carries out an investigation command: authorises, decides, and writes its rows, outgoing
/// messages and audited events in one transaction.
pub async fn execute(
    app: &App,
    by: &Principal,
    cmd: InvestigationCommand,
) -> Result<Investigated, AppError> {
    match cmd {
        InvestigationCommand::Start { case_id, version } => {
            let (id, messages) = start(app, by, case_id, version).await?;
            Ok(Investigated::Started { id, messages })
        }
        InvestigationCommand::RegisterInstitution(spec) => {
            let new = crate::control::institutions::register(app, by, spec).await?;
            Ok(Investigated::Registered { new })
        }
    }
}

/// Starts an investigation of every respondent of a case; returns (investigation id, messages).
pub async fn start(
    app: &App,
    by: &Principal,
    case_id: i64,
    version: Option<i64>,
) -> Result<(i64, usize), AppError> {
    let (row, court) = svc::readable(app, by, case_id).await?;
    let state = svc::state_of(&row)?;
    state.ensure_open().map_err(svc::refused)?;
    let officer = officer_of(app, by).await?;
    let (institutions, messages) = queries(app, &row, &court, &state, by.user_id, &officer).await?;
    let count = messages.len();
    let today = app.today();
    let note = format!("网络查控：{institutions} 家机构，{count} 条查询");
    let now_us = app.now_us();
    let wall_us = app.wall_us();
    let mut tx = app.store.begin().await?;
    let c = svc::change_in_tx(
        &mut tx,
        app,
        svc::Actor::User(by, Action::HandleCases),
        case_id,
        version,
        |_, _| {
            Ok::<_, Refusal>(vec![CaseEvent::ActionRecorded {
                action: ActionKind::OnlineInvestigation,
                on: today,
                note: note.clone(),
                terms: None,
            }])
        },
    )
    .await?;
    let inv = tx
        .insert_investigation(
            case_id,
            &c.row.court_id,
            by.user_id,
            now_us,
            i64::try_from(count).unwrap_or(i64::MAX),
            "case",
        )
        .await?;
    queue_queries(
        app,
        &mut tx,
        &messages,
        inv,
        case_id,
        &c.row.court_id,
        wall_us,
    )
    .await?;
    tx.commit().await?;
    Ok((inv, count))
}

/// The periodic re-investigation of a case closed as 终本 (no officer asks: the platform does,
/// in the name of the case's officer). The case stays closed; what is found raises an alert
/// proposing resumption.
pub async fn recheck(app: &App, case_id: i64) -> Result<(i64, usize), AppError> {
    let row = app
        .store
        .case(case_id)
        .await?
        .ok_or_else(|| AppError::not_found("case_not_found", format!("no case {case_id}")))?;
    let court = app
        .store
        .court(&row.court_id)
        .await?
        .or_internal("court(row.court_id)")?;
    let state = svc::state_of(&row)?;
    let officer_id = row.officer_id.unwrap_or(0);
    let officer = match row.officer_id {
        Some(id) => app
            .store
            .user(id)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_else(|| "执行指挥中心".into()),
        None => "执行指挥中心".into(),
    };
    let (_, messages) = queries(app, &row, &court, &state, officer_id, &officer).await?;
    let count = messages.len();
    let now_us = app.now_us();
    let wall_us = app.wall_us();
    let mut tx = app.store.begin().await?;
    let inv = tx
        .insert_investigation(
            case_id,
            &row.court_id,
            officer_id,
            now_us,
            i64::try_from(count).unwrap_or(i64::MAX),
            "recheck",
        )
        .await?;
    queue_queries(
        app,
        &mut tx,
        &messages,
        inv,
        case_id,
        &row.court_id,
        wall_us,
    )
    .await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: "system:recheck".into(),
            court_id: Some(row.court_id.clone()),
            kind: "investigation.recheck_started".into(),
            subject: format!("case:{case_id}"),
            payload: json!({"investigation": inv, "messages": count}),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok((inv, count))
}

/// Why a reply was refused (and logged); nothing of it is applied.
/// `code` is one of the exchange's: invalid_message, stale_message, not_a_reply,
/// unknown_sender, bad_signature, unknown_message; `detail` says what the check found.
fn refuse(code: &'static str, detail: impl Into<String>) -> AppError {
    let e = AppError::from(Refusal::invalid(code).with("detail", detail.into()));
    tracing::warn!(code, error = %e, "exchange reply refused");
    e
}

/// Checks a reply's shape, freshness, sender and signature. Refusals are logged; nothing is
/// applied. Whether it answers a request sent to that institution is checked when it is
/// applied, inside the transaction (one query there rather than one more per reply here).
pub async fn check_reply(app: &App, env: Envelope) -> Result<CheckedReply, AppError> {
    env.validate()
        .map_err(|e| refuse("invalid_message", e.to_string()))?;
    env.check_fresh(app.wall(), FRESHNESS_WINDOW)
        .map_err(|e| refuse("stale_message", e.to_string()))?;
    if env.kind != MessageKind::Reply {
        return Err(refuse("not_a_reply", "this endpoint takes replies only"));
    }
    let inst_id = env
        .sender
        .strip_prefix("institution:")
        .ok_or_else(|| refuse("unknown_sender", "the sender is not an institution"))?;
    let inst = app
        .institutions
        .get(&app.store, inst_id)
        .await?
        .ok_or_else(|| {
            refuse(
                "unknown_sender",
                format!("no institution {inst_id:?} is registered"),
            )
        })?;
    zhixing_exchange::verify(&env, &inst.public_key)
        .map_err(|e| refuse("bad_signature", e.to_string()))?;
    let asked = env.in_reply_to.clone().unwrap_or_default();
    Ok(CheckedReply {
        env,
        institution_id: inst.id,
        asked,
    })
}

/// What applying one reply came to.
enum Applied {
    New(Vec<NewEvent>),
    /// Its message id was applied before (a replay or a repeated delivery): nothing written.
    Duplicate,
    /// It answers no request sent to that institution: nothing written.
    Refused(AppError),
}

impl Applied {
    fn answer(self) -> Result<bool, AppError> {
        match self {
            Applied::New(_) => Ok(true),
            Applied::Duplicate => Ok(false),
            Applied::Refused(e) => Err(e),
        }
    }
}

/// Applies a checked reply inside `tx`, once.
async fn apply_checked(
    app: &App,
    tx: &mut zhixing_store::Tx,
    c: &CheckedReply,
    now_us: i64,
) -> Result<Applied, AppError> {
    let Some(request) = tx
        .answered(&c.asked)
        .await?
        .filter(|r| r.institution_id == c.institution_id)
    else {
        return Ok(Applied::Refused(refuse(
            "unknown_message",
            "in_reply_to names no request sent to this institution",
        )));
    };
    if !tx
        .record_inbox(&c.env.message_id, &c.asked, &c.institution_id, now_us)
        .await?
    {
        return Ok(Applied::Duplicate);
    }
    let (case_id, court_id) = (request.case_id, request.court_id.clone());
    if request.measure_id.is_some() {
        let mut events = crate::control::measures::apply_result(
            app,
            tx,
            &request,
            &c.env.body,
            &c.env.message_id,
            now_us,
        )
        .await?;
        tx.outbox_replied(&c.asked, now_us).await?;
        if events.is_empty() {
            events.push(NewEvent {
                actor: format!("institution:{}", c.institution_id),
                court_id: Some(court_id.clone()),
                kind: "measure.reply_ignored".into(),
                subject: format!("case:{case_id}"),
                payload: json!({"reply": c.env.message_id, "request": c.asked}),
            });
        }
        return Ok(Applied::New(events));
    }
    let mut found = 0usize;
    let mut outcome = String::new();
    if let Body::QueryResult { assets, outcome: o } = &c.env.body {
        outcome = o.clone();
        for a in assets {
            let kind = serde_json::to_value(a.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let new = tx
                .insert_asset(&NewAsset {
                    case_id,
                    court_id: &court_id,
                    institution_id: &c.institution_id,
                    kind: &kind,
                    reference: &a.reference,
                    description: &a.description,
                    value_fen: a.value_fen,
                    encumbrances: &serde_json::to_string(&a.encumbrances).unwrap_or_default(),
                    found_by: &c.env.message_id,
                    at_us: now_us,
                })
                .await?;
            found += usize::from(new);
        }
    }
    tx.outbox_replied(&c.asked, now_us).await?;
    if found > 0 && request.purpose.as_deref() == Some("recheck") {
        tx.raise_alert(
            &court_id,
            Some(case_id),
            "property_found",
            &format!("case:{case_id}"),
            &format!(
                "终本后定期查控发现财产（{}，{found} 项）：建议恢复执行",
                c.institution_id
            ),
            &crate::command_centre::alerts::words(
                "alert_property_found",
                &[
                    ("institution", c.institution_id.clone()),
                    ("found", found.to_string()),
                ],
            ),
            None,
            now_us,
        )
        .await?;
    }
    Ok(Applied::New(vec![NewEvent {
        actor: format!("institution:{}", c.institution_id),
        court_id: Some(court_id),
        kind: "investigation.replied".into(),
        subject: format!("case:{case_id}"),
        payload: json!({"institution": c.institution_id, "outcome": outcome, "assets_found": found, "reply": c.env.message_id, "request": c.asked}),
    }]))
}

/// Applies one reply from an institution, once. Returns whether it was new.
pub async fn apply_reply(app: &App, env: Envelope) -> Result<bool, AppError> {
    let checked = check_reply(app, env).await?;
    let batcher = app.reply_batcher.get().cloned();
    if let Some(tx) = batcher {
        let (answer, rx) = tokio::sync::oneshot::channel();
        let unavailable =
            || AppError::unavailable("the server is stopping; send the reply again", 1);
        tx.send((checked, answer))
            .await
            .map_err(|_| unavailable())?;
        return rx.await.map_err(|_| unavailable())?;
    }
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let applied = apply_checked(app, &mut tx, &checked, now_us).await?;
    if let Applied::New(events) = &applied {
        tx.append_events(now_us, events).await?;
        tx.commit().await?;
    }
    applied.answer()
}

/// Applies replies in groups, one transaction per group: a write transaction costs far more
/// than the rows it writes, and institutions answer in bursts. Each caller gets its own answer
/// once its group has committed (or the error if it has not).
pub async fn apply_batches(app: App, mut rx: tokio::sync::mpsc::Receiver<PendingReply>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < 256 {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let now_us = app.now_us();
        let result: Result<Vec<Applied>, AppError> = async {
            let mut tx = app.store.begin().await?;
            let mut applied = Vec::with_capacity(batch.len());
            for (c, _) in &batch {
                applied.push(apply_checked(&app, &mut tx, c, now_us).await?);
            }
            let events: Vec<NewEvent> = applied
                .iter()
                .flat_map(|a| match a {
                    Applied::New(e) => e.clone(),
                    _ => Vec::new(),
                })
                .collect();
            tx.append_events(now_us, &events).await?;
            tx.commit().await?;
            Ok(applied)
        }
        .await;
        match result {
            Ok(applied) => {
                for ((_, answer), a) in batch.into_iter().zip(applied) {
                    let _ = answer.send(a.answer());
                }
            }
            Err(e) => {
                for (_, answer) in batch {
                    let _ = answer.send(Err(e.clone()));
                }
            }
        }
    }
}

fn backoff(attempts: i64) -> Duration {
    let secs = 2u64
        .saturating_pow(u32::try_from(attempts.clamp(0, 9)).unwrap_or(9))
        .min(300);
    Duration::from_millis(secs * 1000 / 2 + (rand::random::<u64>() % (secs * 500 + 1)))
}

/// After this many attempts a message is marked failed (and shown so on the case).
pub const MAX_ATTEMPTS: i64 = 30;

/// The outbox worker: claims due messages with a lease and sends them, at most
/// `concurrency` at a time per institution. Several rounds run at once, so that a slow
/// institution or the write after a round does not hold the next messages back; their claims
/// never overlap (a claim is one atomic update; on PostgreSQL `SKIP LOCKED`). Runs until the
/// task is dropped (dropping it stops the rounds too).
pub async fn dispatch_forever(app: App) {
    let limits: Arc<tokio::sync::Mutex<HashMap<String, Arc<Semaphore>>>> = Arc::default();
    let mut rounds = tokio::task::JoinSet::new();
    for _ in 0..DISPATCH_ROUNDS {
        let (app, limits) = (app.clone(), limits.clone());
        rounds.spawn(async move {
            loop {
                match dispatch_once(&app, &limits).await {
                    Ok(0) | Err(_) => tokio::time::sleep(app.config.outbox_poll).await,
                    Ok(_) => tokio::task::yield_now().await,
                }
            }
        });
    }
    while rounds.join_next().await.is_some() {}
}

/// Rounds of sending that run at once in one process.
const DISPATCH_ROUNDS: usize = 4;

async fn dispatch_once(
    app: &App,
    limits: &Arc<tokio::sync::Mutex<HashMap<String, Arc<Semaphore>>>>,
) -> Result<usize, AppError> {
    let now = app.wall_us();
    let lease = now + i64::try_from(app.config.outbox_lease.as_micros()).unwrap_or(60_000_000);
    let rows = app.store.claim_outbox(now, lease, 256).await?;
    let n = rows.len();
    if n == 0 {
        return Ok(0);
    }
    // Sends after the first (a failed send, a reply overdue, a lease taken over): the only
    // way a message reaches an institution twice.
    let retries = rows.iter().filter(|r| r.attempts > 1).count();
    metrics::counter!("zhixing_outbox_retries_total").increment(retries as u64);
    // One read of the registry per round rather than one per message.
    let institutions = app.institutions.all(&app.store).await?;
    let mut tasks = Vec::with_capacity(n);
    for row in rows {
        let app = app.clone();
        let inst = institutions.get(&row.institution_id).cloned();
        let sem = {
            let mut map = limits.lock().await;
            let c = inst.as_ref().map_or(4, |i| i.concurrency.clamp(1, 256));
            map.entry(row.institution_id.clone())
                .or_insert_with(|| Arc::new(Semaphore::new(usize::try_from(c).unwrap_or(4))))
                .clone()
        };
        tasks.push(tokio::spawn(async move {
            let outcome = match (sem.acquire_owned().await, inst) {
                (Ok(_permit), Some(inst)) => send(&app, &inst, &row.sealed).await,
                (_, None) => Err("institution removed from the registry".to_owned()),
                (Err(_), _) => Err("worker stopping".to_owned()),
            };
            let now = app.wall_us();
            let (delivered, next, error) = match outcome {
                Ok(()) => (
                    true,
                    now + i64::try_from(app.config.reply_timeout.as_micros())
                        .unwrap_or(i64::MAX / 2),
                    None,
                ),
                Err(e) => (
                    false,
                    now + i64::try_from(backoff(row.attempts).as_micros()).unwrap_or(i64::MAX / 2),
                    Some(e),
                ),
            };
            let give_up = !delivered && row.attempts >= MAX_ATTEMPTS;
            (row.message_id, delivered, next, error, give_up)
        }));
    }
    let mut results = Vec::with_capacity(n);
    for t in tasks {
        if let Ok(r) = t.await {
            results.push(r);
        }
    }
    let delivered = results.iter().filter(|r| r.1).count();
    metrics::counter!("zhixing_outbox_delivered_total").increment(delivered as u64);
    metrics::counter!("zhixing_outbox_failed_sends_total")
        .increment((results.len() - delivered) as u64);
    // The whole round's outcomes in one transaction; a crash before it leaves the leases to
    // expire and the messages are sent again (the receiver deduplicates).
    app.store.outbox_after_sends(&results).await?;
    Ok(n)
}

async fn send(app: &App, inst: &InstitutionRow, sealed: &str) -> Result<(), String> {
    let body = app.cipher.open(sealed).map_err(|e| e.to_string())?;
    app.courier.post_json(&inst.endpoint, body).await
}
