//! Online investigation (网络查控): one query fanned out to every institution that applies,
//! through the outbox — persisted first, in the transaction that records the investigation on
//! the case; sent by a worker with per-institution limits, retried with back-off; idempotent
//! by message id on both ends. Replies are verified, applied once, and their assets stored.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tokio::sync::Semaphore;
use zhixing_domain::access::Principal;
use zhixing_domain::case::{ActionKind, CaseEvent, PartyRole, Refusal};
use zhixing_exchange::protocol::new_message_id;
use zhixing_exchange::{Body, Envelope, MessageKind, Officer, PROTOCOL, Subject};
use zhixing_store::NewEvent;
use zhixing_store::investigation::{InstitutionRow, NewAsset};

use super::cases::{self as svc, Need};
use crate::error::ApiError;
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

/// Starts an investigation of every respondent of a case; returns (investigation id, messages).
pub async fn start(
    app: &App,
    by: &Principal,
    case_id: i64,
    version: Option<i64>,
) -> Result<(i64, usize), ApiError> {
    let (row, court) = svc::readable(app, by, case_id).await?;
    let state = svc::state_of(&row)?;
    state.ensure_open().map_err(svc::refused)?;
    let division = court.division_code.clone().unwrap_or_default();
    let institutions: Vec<InstitutionRow> = app
        .store
        .institutions()
        .await?
        .into_iter()
        .filter(|i| applies(i, &division))
        .collect();
    if institutions.is_empty() {
        return Err(ApiError::conflict(
            "no_institutions",
            "no institution on the network answers queries for this court",
        ));
    }
    let mut subjects = Vec::new();
    for p in state
        .parties
        .iter()
        .filter(|p| p.role == PartyRole::Respondent)
    {
        let sealed = app
            .store
            .party_cipher(case_id, i64::from(p.no))
            .await?
            .ok_or_else(ApiError::internal)?;
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
    let officer = app
        .store
        .user(by.user_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_else(|| by.username.clone());
    let mut messages = Vec::new();
    for inst in &institutions {
        for subject in &subjects {
            let mut env = Envelope {
                protocol: PROTOCOL.into(),
                message_id: new_message_id(),
                kind: MessageKind::Query,
                sent_at: app.wall(),
                sender: format!("court:{}", court.id),
                recipient: format!("institution:{}", inst.id),
                case_number: state.number.clone(),
                officer: Officer {
                    id: by.user_id.to_string(),
                    name: officer.clone(),
                },
                in_reply_to: None,
                body: Body::Query {
                    subject: subject.clone(),
                },
                signature: None,
            };
            app.platform_key.sign(&mut env);
            messages.push((inst.id.clone(), env));
        }
    }
    let count = messages.len();
    let today = app.today();
    let note = format!("网络查控：{} 家机构，{} 条查询", institutions.len(), count);
    let now_us = app.now_us();
    let wall_us = app.wall_us();
    let cipher = app.cipher.clone();
    let investigation = std::sync::Mutex::new(0i64);
    svc::change_with(
        app,
        by,
        case_id,
        version,
        Need::Handler,
        |_, _| {
            Ok::<_, Refusal>(vec![CaseEvent::ActionRecorded {
                action: ActionKind::OnlineInvestigation,
                on: today,
                note: note.clone(),
            }])
        },
        async |tx: &mut zhixing_store::Tx, row: &zhixing_store::cases::CaseRow| {
            let inv = tx
                .insert_investigation(
                    case_id,
                    &row.court_id,
                    by.user_id,
                    now_us,
                    i64::try_from(count).unwrap_or(i64::MAX),
                )
                .await?;
            for (inst, env) in &messages {
                // The envelope carries an ID number: it is sealed at rest like the party record.
                let sealed =
                    cipher.seal(&serde_json::to_string(env).map_err(|_| ApiError::internal())?)?;
                tx.insert_outbox(
                    &env.message_id,
                    Some(inv),
                    case_id,
                    &row.court_id,
                    inst,
                    "query",
                    &sealed,
                    wall_us,
                )
                .await?;
            }
            if let Ok(mut g) = investigation.lock() {
                *g = inv;
            }
            Ok(())
        },
    )
    .await?;
    let id = investigation.lock().map(|g| *g).unwrap_or(0);
    Ok((id, count))
}

/// Why a reply was refused (and logged); nothing of it is applied.
fn refuse(code: &'static str, message: impl Into<String>) -> ApiError {
    let e = ApiError::unprocessable(code, message);
    tracing::warn!(code, detail = %e.message, "exchange reply refused");
    e
}

/// A reply that passed every check that needs no transaction.
pub struct Checked {
    env: Envelope,
    institution_id: String,
    case_id: i64,
    court_id: String,
    asked: String,
}

/// Checks a reply: shape, freshness, sender, signature, and that it answers a request sent to
/// that institution. Refusals are logged; nothing is applied.
pub async fn check_reply(app: &App, env: Envelope) -> Result<Checked, ApiError> {
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
    let inst = app.store.institution(inst_id).await?.ok_or_else(|| {
        refuse(
            "unknown_sender",
            format!("no institution {inst_id:?} is registered"),
        )
    })?;
    zhixing_exchange::verify(&env, &inst.public_key)
        .map_err(|e| refuse("bad_signature", e.to_string()))?;
    let asked = env.in_reply_to.clone().unwrap_or_default();
    let request = app
        .store
        .answered(&asked)
        .await?
        .filter(|r| r.institution_id == inst.id)
        .ok_or_else(|| {
            refuse(
                "unknown_message",
                "in_reply_to names no request sent to this institution",
            )
        })?;
    Ok(Checked {
        env,
        institution_id: inst.id,
        case_id: request.case_id,
        court_id: request.court_id,
        asked,
    })
}

/// Applies a checked reply inside `tx`: false (and nothing written) if its message id was
/// already applied. Returns the event to append.
async fn apply_checked(
    tx: &mut zhixing_store::Tx,
    c: &Checked,
    now_us: i64,
) -> Result<Option<NewEvent>, ApiError> {
    if !tx
        .record_inbox(&c.env.message_id, &c.asked, &c.institution_id, now_us)
        .await?
    {
        return Ok(None);
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
                    case_id: c.case_id,
                    court_id: &c.court_id,
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
    Ok(Some(NewEvent {
        actor: format!("institution:{}", c.institution_id),
        court_id: Some(c.court_id.clone()),
        kind: "investigation.replied".into(),
        subject: format!("case:{}", c.case_id),
        payload: json!({"institution": c.institution_id, "outcome": outcome, "assets_found": found, "reply": c.env.message_id, "request": c.asked}),
    }))
}

/// Applies one reply from an institution, once. Returns whether it was new.
pub async fn apply_reply(app: &App, env: Envelope) -> Result<bool, ApiError> {
    let checked = check_reply(app, env).await?;
    let batcher = app.reply_batcher.get().cloned();
    if let Some(tx) = batcher {
        let (answer, rx) = tokio::sync::oneshot::channel();
        let unavailable = || {
            ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the server is stopping; send the reply again",
            )
            .with_retry_after(1)
        };
        tx.send((checked, answer))
            .await
            .map_err(|_| unavailable())?;
        return rx.await.map_err(|_| unavailable())?;
    }
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let event = apply_checked(&mut tx, &checked, now_us).await?;
    let new = event.is_some();
    tx.append_events(now_us, &event.into_iter().collect::<Vec<_>>())
        .await?;
    tx.commit().await?;
    Ok(new)
}

/// A reply waiting for its batch, and where its answer goes.
pub type Pending = (
    Checked,
    tokio::sync::oneshot::Sender<Result<bool, ApiError>>,
);

/// Applies replies in groups, one transaction per group: a write transaction costs far more
/// than the rows it writes, and institutions answer in bursts. Each caller gets its own answer
/// once its group has committed (or the error if it has not).
pub async fn apply_batches(app: App, mut rx: tokio::sync::mpsc::Receiver<Pending>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < 256 {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let now_us = app.now_us();
        let result: Result<Vec<bool>, ApiError> = async {
            let mut tx = app.store.begin().await?;
            let mut events = Vec::new();
            let mut applied = Vec::with_capacity(batch.len());
            for (c, _) in &batch {
                let e = apply_checked(&mut tx, c, now_us).await?;
                applied.push(e.is_some());
                events.extend(e);
            }
            tx.append_events(now_us, &events).await?;
            tx.commit().await?;
            Ok(applied)
        }
        .await;
        match result {
            Ok(applied) => {
                for ((_, answer), new) in batch.into_iter().zip(applied) {
                    let _ = answer.send(Ok(new));
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
/// `concurrency` at a time per institution. Runs until the task is dropped.
pub async fn dispatch_forever(app: App) {
    let limits: Arc<tokio::sync::Mutex<HashMap<String, Arc<Semaphore>>>> = Arc::default();
    loop {
        match dispatch_once(&app, &limits).await {
            Ok(0) | Err(_) => tokio::time::sleep(app.config.outbox_poll).await,
            Ok(_) => tokio::task::yield_now().await,
        }
    }
}

async fn dispatch_once(
    app: &App,
    limits: &Arc<tokio::sync::Mutex<HashMap<String, Arc<Semaphore>>>>,
) -> Result<usize, ApiError> {
    let now = app.wall_us();
    let lease = now + 60_000_000;
    let rows = app.store.claim_outbox(now, lease, 256).await?;
    let n = rows.len();
    if n == 0 {
        return Ok(0);
    }
    // One read of the registry per round rather than one per message.
    let institutions: HashMap<String, InstitutionRow> = app
        .store
        .institutions()
        .await?
        .into_iter()
        .map(|i| (i.id.clone(), i))
        .collect();
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
    // The whole round's outcomes in one transaction; a crash before it leaves the leases to
    // expire and the messages are sent again (the receiver deduplicates).
    app.store.outbox_after_sends(&results).await?;
    Ok(n)
}

async fn send(app: &App, inst: &InstitutionRow, sealed: &str) -> Result<(), String> {
    let body = app.cipher.open(sealed).map_err(|e| e.to_string())?;
    let r = app
        .http
        .post(&inst.endpoint)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("delivery failed: {}", e.without_url()))?;
    if r.status().is_success() {
        Ok(())
    } else {
        Err(format!("institution answered {}", r.status()))
    }
}
