//! Control measures (控制措施) on the property investigation found: freeze, seize, detain and
//! deduct; renewal (续行) and release (解除). The domain decides; the request goes out through
//! the outbox like a query; the state of each measure follows the institution's replies
//! (including a later notice when a waiting measure takes effect: 轮候).

use jiff::civil::Date;
use serde_json::json;
use zhixing_domain::access::Principal;
use zhixing_domain::measure::{
    self, Exposure, MeasureCtx, MeasureKind, MeasureRequest, MeasureStatus,
};
use zhixing_domain::money::Fen;
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};
use zhixing_exchange::{Body, MessageKind};
use zhixing_store::NewEvent;
use zhixing_store::investigation::{Answered, AssetRow};
use zhixing_store::measures::{MeasureRow, MeasureUpdate, NewMeasure};

use crate::case as svc;
use crate::control::investigation as inv;
use crate::error::{AppError, OrInternal};
use crate::state::App;

/// What an officer asks.
#[derive(Debug)]
pub struct MeasureInput {
    /// freeze, seize, detain or deduct (checked after authorization, so that a stranger
    /// learns nothing from the answer).
    pub kind: String,
    pub amount_fen: Option<i64>,
    pub until: Option<Date>,
}

fn not_found(id: i64) -> AppError {
    AppError::not_found("measure_not_found", format!("no measure {id}"))
}

fn busy() -> AppError {
    AppError::from(Refusal::conflict("measure_busy"))
}

/// Loads an asset the caller may handle, with its case's court.
async fn handled_asset(
    app: &App,
    by: &Principal,
    asset_id: i64,
) -> Result<
    (
        AssetRow,
        zhixing_store::cases::CaseRow,
        zhixing_store::courts::CourtRow,
    ),
    AppError,
> {
    let asset =
        app.store.asset(asset_id).await?.ok_or_else(|| {
            AppError::not_found("asset_not_found", format!("no asset {asset_id}"))
        })?;
    let (row, court) = svc::readable(app, by, asset.case_id)
        .await
        .map_err(|_| AppError::not_found("asset_not_found", format!("no asset {asset_id}")))?;
    svc::handles(by, &court)?;
    Ok((asset, row, court))
}

/// A change an officer asks for on the control measures of a case (控制措施). Executed by
/// [`execute`]; each answers the measure as it now stands.
#[derive(Debug)]
pub enum MeasureCommand {
    /// Asks the institution holding asset `asset_id` for a measure on it.
    Request { asset_id: i64, input: MeasureInput },
    /// Asks for a renewal (续行) of measure `id`: to `until`, or one legal period.
    Renew { id: i64, until: Option<Date> },
    /// Asks for a release (解除) of measure `id`, for `reason`.
    Release { id: i64, reason: String },
}

/// Carries out a measure command: loads, authorises, decides in the domain, and writes the
/// measure, its outgoing request and the audited event in one transaction.
pub async fn execute(
    app: &App,
    by: &Principal,
    cmd: MeasureCommand,
) -> Result<MeasureRow, AppError> {
    match cmd {
        MeasureCommand::Request { asset_id, input } => request(app, by, asset_id, input).await,
        MeasureCommand::Renew { id, until } => renew(app, by, id, until).await,
        MeasureCommand::Release { id, reason } => release(app, by, id, &reason).await,
    }
}

/// The measures of a case the caller may read.
pub async fn of_case(app: &App, by: &Principal, case_id: i64) -> Result<Vec<MeasureRow>, AppError> {
    svc::readable(app, by, case_id).await?;
    Ok(app.store.measures_of(case_id).await?)
}

/// One measure, if the caller may read its case (not found otherwise).
pub async fn show(app: &App, by: &Principal, id: i64) -> Result<MeasureRow, AppError> {
    let m = app.store.measure(id).await?.ok_or_else(|| not_found(id))?;
    svc::readable(app, by, m.case_id)
        .await
        .map_err(|_| not_found(id))?;
    Ok(m)
}

/// The open alerts of a case the caller may read.
pub async fn alerts_of_case(
    app: &App,
    by: &Principal,
    case_id: i64,
) -> Result<Vec<zhixing_store::measures::AlertRow>, AppError> {
    svc::readable(app, by, case_id).await?;
    Ok(app.store.alerts_of_case(case_id).await?)
}

/// Asks an institution for a measure on an asset of the case.
async fn request(
    app: &App,
    by: &Principal,
    asset_id: i64,
    input: MeasureInput,
) -> Result<MeasureRow, AppError> {
    let (asset, row, court) = handled_asset(app, by, asset_id).await?;
    let kind = MeasureKind::parse(&input.kind).ok_or_else(|| {
        AppError::from(Refusal::of_reasons(
            "invalid_measure",
            RefusalKind::Invalid,
            vec![Reason::new("unknown_measure_kind").with("kind", input.kind.trim())],
        ))
    })?;
    let state = svc::state_of(&row)?;
    state.ensure_open().map_err(svc::refused)?;
    let inst = app
        .store
        .institution(&asset.institution_id)
        .await?
        .or_internal("institution(asset.institution_id)")?;
    if !inst.measures.split(',').any(|m| m.trim() == kind.as_str()) {
        return Err(Refusal::invalid("measure_not_supported")
            .with("institution", inst.name.as_str())
            .with("measure", kind.as_str())
            .into());
    }
    let amount = input
        .amount_fen
        .map(|a| {
            Fen::new(a).map_err(|_| {
                AppError::from(Refusal::of_reasons(
                    "invalid_measure",
                    RefusalKind::Invalid,
                    vec![Reason::new("measure_amount_negative").with("amount_fen", a)],
                ))
            })
        })
        .transpose()?;
    let rules = app.rules.current(&app.store).await?;
    let region = svc::region(&court);
    let today = app.today();
    let ctx = MeasureCtx {
        rules: &rules,
        region: &region,
        today,
    };
    let officer = inv::officer_of(app, by).await?;
    let now_us = app.now_us();
    let wall_us = app.wall_us();
    let mut tx = app.store.begin().await?;
    // Decided inside the transaction, with the case locked: two freezes asked at once must
    // not together exceed what is due.
    tx.lock_case(row.id).await?;
    let ours = tx.measures_on_asset_tx(asset.id).await?;
    let already_held = ours
        .iter()
        .any(|m| m.kind == kind.as_str() && status_of(m).holds());
    let holds_it_ourselves = ours
        .iter()
        .any(|m| m.kind != "deduct" && m.status == MeasureStatus::Active.as_str());
    let elsewhere = tx
        .holders_elsewhere(&asset.institution_id, &asset.reference, &row.court_id)
        .await?;
    let encumbered = serde_json::from_str::<Vec<String>>(&asset.encumbrances)
        .map(|v| !v.is_empty())
        .unwrap_or(false);
    let exposure = Exposure {
        unpaid: state.unpaid(),
        controlled: Fen::new(tx.controlled_fen(row.id).await?).unwrap_or(Fen::ZERO),
        held_by_other_court: (elsewhere > 0 || encumbered) && !holds_it_ourselves,
        already_held,
    };
    let decided = measure::decide_measure(
        &MeasureRequest {
            kind,
            asset_kind: asset.kind.clone(),
            amount,
            until: input.until,
        },
        &exposure,
        &ctx,
    )
    .map_err(AppError::from)?;
    let asset_kind = serde_json::from_value(json!(asset.kind)).map_err(|_| {
        AppError::from(Refusal::of_reasons(
            "invalid_measure",
            RefusalKind::Invalid,
            vec![Reason::new("unknown_property_kind").with("asset_kind", asset.kind.as_str())],
        ))
    })?;
    let env = inv::signed_request(
        app,
        &court.id,
        &inst.id,
        &state.number,
        by.user_id,
        &officer,
        message_kind(kind),
        Body::Measure {
            asset_kind,
            asset_reference: asset.reference.clone(),
            amount_fen: decided.amount.map(Fen::get),
            until: decided.until,
        },
    );
    let id = tx
        .insert_measure(&NewMeasure {
            case_id: row.id,
            court_id: &row.court_id,
            asset_id: asset.id,
            institution_id: &inst.id,
            kind: kind.as_str(),
            amount_fen: decided.amount.map(Fen::get),
            requested_until: decided.until.map(|d| d.to_string()),
            request_id: &env.message_id,
            requested_by: by.user_id,
            at_us: now_us,
        })
        .await?;
    inv::queue(
        app,
        &mut tx,
        &env,
        None,
        row.id,
        &row.court_id,
        &inst.id,
        kind.as_str(),
        wall_us,
        Some(id),
    )
    .await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(row.court_id.clone()),
            kind: "measure.requested".into(),
            subject: format!("case:{}", row.id),
            payload: json!({"measure": id, "kind": kind.as_str(), "asset": asset.id, "institution": inst.id,
                            "amount_fen": decided.amount.map(Fen::get), "until": decided.until, "legal_maximum": decided.max_until,
                            "rule": decided.rule_id, "request": env.message_id}),
        }],
    )
    .await?;
    tx.commit().await?;
    app.store.measure(id).await?.or_internal("measure(id)")
}

fn message_kind(k: MeasureKind) -> MessageKind {
    match k {
        MeasureKind::Freeze => MessageKind::Freeze,
        MeasureKind::Seize => MessageKind::Seize,
        MeasureKind::Detain => MessageKind::Detain,
        MeasureKind::Deduct => MessageKind::Deduct,
    }
}

pub fn status_of(m: &MeasureRow) -> MeasureStatus {
    MeasureStatus::parse(&m.status).unwrap_or(MeasureStatus::Refused)
}

fn parse_date(s: &Option<String>) -> Option<Date> {
    s.as_deref().and_then(|d| d.parse().ok())
}

/// Loads a measure the caller may handle.
async fn handled_measure(
    app: &App,
    by: &Principal,
    id: i64,
) -> Result<
    (
        MeasureRow,
        AssetRow,
        zhixing_store::cases::CaseRow,
        zhixing_store::courts::CourtRow,
    ),
    AppError,
> {
    let m = app.store.measure(id).await?.ok_or_else(|| not_found(id))?;
    let (asset, row, court) = handled_asset(app, by, m.asset_id).await.map_err(|e| {
        if e.code() == "asset_not_found" {
            not_found(id)
        } else {
            e
        }
    })?;
    Ok((m, asset, row, court))
}

/// Asks for a renewal (续行) before the measure's last day.
async fn renew(
    app: &App,
    by: &Principal,
    id: i64,
    until: Option<Date>,
) -> Result<MeasureRow, AppError> {
    let (m, asset, row, court) = handled_measure(app, by, id).await?;
    if m.pending.is_some() {
        return Err(busy());
    }
    let kind = MeasureKind::parse(&m.kind).or_internal("MeasureKind::parse(m.kind)")?;
    let rules = app.rules.current(&app.store).await?;
    let region = svc::region(&court);
    let ctx = MeasureCtx {
        rules: &rules,
        region: &region,
        today: app.today(),
    };
    let new_until = measure::decide_renewal(
        kind,
        &asset.kind,
        status_of(&m),
        parse_date(&m.until),
        until,
        &ctx,
    )
    .map_err(AppError::from)?;
    let reference = m.reference.clone().or_internal("m.reference.clone()")?;
    let officer = inv::officer_of(app, by).await?;
    let env = inv::signed_request(
        app,
        &court.id,
        &m.institution_id,
        &svc::state_of(&row)?.number,
        by.user_id,
        &officer,
        MessageKind::Renew,
        Body::Renew {
            measure_reference: reference,
            until: new_until,
        },
    );
    pending_change(app, by, &m, &env, "renew", Some(new_until), None).await
}

/// Asks for a release (解除): on payment, closure or another reason.
async fn release(app: &App, by: &Principal, id: i64, reason: &str) -> Result<MeasureRow, AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(Refusal::invalid("invalid_release")
            .with("min", 1)
            .with("max", 500)
            .into());
    }
    let (m, _, row, court) = handled_measure(app, by, id).await?;
    if m.pending.is_some() {
        return Err(busy());
    }
    let status = status_of(&m);
    if !matches!(status, MeasureStatus::Active | MeasureStatus::Queued) || m.kind == "deduct" {
        return Err(Refusal::conflict("not_releasable")
            .with("status", status.as_str())
            .into());
    }
    let reference = m.reference.clone().or_internal("m.reference.clone()")?;
    let officer = inv::officer_of(app, by).await?;
    let env = inv::signed_request(
        app,
        &court.id,
        &m.institution_id,
        &svc::state_of(&row)?.number,
        by.user_id,
        &officer,
        MessageKind::Release,
        Body::Release {
            measure_reference: reference,
            reason: reason.to_owned(),
        },
    );
    pending_change(app, by, &m, &env, "release", None, Some(reason)).await
}

async fn pending_change(
    app: &App,
    by: &Principal,
    m: &MeasureRow,
    env: &zhixing_exchange::Envelope,
    what: &str,
    until: Option<Date>,
    reason: Option<&str>,
) -> Result<MeasureRow, AppError> {
    let mut tx = app.store.begin().await?;
    let change = Change {
        actor: crate::actor_of(by),
        what,
        until,
        reason,
    };
    pending_change_in_tx(app, &mut tx, m, env, &change).await?;
    tx.commit().await?;
    app.store.measure(m.id).await?.or_internal("measure(m.id)")
}

/// A request about a measure on its way to the institution.
struct Change<'a> {
    actor: String,
    /// renew or release.
    what: &'a str,
    until: Option<Date>,
    reason: Option<&'a str>,
}

/// Marks the measure as awaiting the institution's answer, queues the request and records the
/// audited event, in the caller's transaction.
async fn pending_change_in_tx(
    app: &App,
    tx: &mut zhixing_store::Tx,
    m: &MeasureRow,
    env: &zhixing_exchange::Envelope,
    change: &Change<'_>,
) -> Result<(), AppError> {
    let now_us = app.now_us();
    let fresh = tx.measure_tx(m.id).await?.ok_or_else(|| not_found(m.id))?;
    if fresh.pending.is_some() || fresh.status != m.status {
        return Err(busy());
    }
    let what = change.what;
    tx.set_measure_pending(
        m.id,
        Some((what, &env.message_id, change.until.map(|d| d.to_string()))),
        None,
        now_us,
    )
    .await?;
    inv::queue(
        app,
        tx,
        env,
        None,
        m.case_id,
        &m.court_id,
        &m.institution_id,
        what,
        app.wall_us(),
        Some(m.id),
    )
    .await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: change.actor.clone(),
            court_id: Some(m.court_id.clone()),
            kind: format!("measure.{what}_requested"),
            subject: format!("case:{}", m.case_id),
            payload: json!({"measure": m.id, "until": change.until, "reason": change.reason, "request": env.message_id}),
        }],
    )
    .await?;
    Ok(())
}

/// The case's measures as a closure sees them, read in the transaction that holds the case's
/// lock.
pub(crate) async fn held_in_tx(
    tx: &mut zhixing_store::Tx,
    case_id: i64,
) -> Result<Vec<zhixing_domain::closure::HeldMeasure>, AppError> {
    tx.measures_of_tx(case_id)
        .await?
        .iter()
        .map(|m| {
            Ok(zhixing_domain::closure::HeldMeasure {
                id: m.id,
                kind: MeasureKind::parse(&m.kind).or_internal("MeasureKind::parse(m.kind)")?,
                status: status_of(m),
                awaiting: m.pending.is_some(),
            })
        })
        .collect()
}

/// Sends the release orders a closure calls for (DOMAIN §4a), in the closing transaction: each
/// through the outbox to the institution that holds the property, exactly once — a measure
/// already awaiting an answer is refused by the closure's conditions, and the release marks
/// it as awaiting, so neither a second closure nor a retry sends another.
pub(crate) async fn release_for_closure(
    app: &App,
    tx: &mut zhixing_store::Tx,
    by: &Principal,
    case_number: &str,
    ids: &[i64],
    reason: &str,
) -> Result<(), AppError> {
    if ids.is_empty() {
        return Ok(());
    }
    let officer = inv::officer_of(app, by).await?;
    for id in ids {
        let m = tx.measure_tx(*id).await?.ok_or_else(|| not_found(*id))?;
        let reference = m.reference.clone().or_internal("m.reference.clone()")?;
        let env = inv::signed_request(
            app,
            &m.court_id,
            &m.institution_id,
            case_number,
            by.user_id,
            &officer,
            MessageKind::Release,
            Body::Release {
                measure_reference: reference,
                reason: reason.to_owned(),
            },
        );
        let change = Change {
            actor: crate::actor_of(by),
            what: "release",
            until: None,
            reason: Some(reason),
        };
        pending_change_in_tx(app, tx, &m, &env, &change).await?;
    }
    Ok(())
}

/// Applies an institution's answer about a measure (inside the reply's transaction). Returns
/// the events to record. A confirmed deduction is booked into the case account (一案一账号)
/// in the same transaction, once: the receipt's reference is the measure's request id.
pub async fn apply_result(
    app: &App,
    tx: &mut zhixing_store::Tx,
    req: &Answered,
    body: &Body,
    reply_id: &str,
    now_us: i64,
) -> Result<Vec<NewEvent>, AppError> {
    let Some(measure_id) = req.measure_id else {
        return Ok(Vec::new());
    };
    let Body::MeasureResult {
        status,
        measure_reference,
        amount_fen,
        until,
        queue_position,
        reason,
    } = body
    else {
        return Ok(Vec::new());
    };
    let Some(m) = tx.measure_tx(measure_id).await? else {
        return Ok(Vec::new());
    };
    let mut booked = Vec::new();
    use zhixing_exchange::MeasureStatus as S;
    let subject = format!("measure:{measure_id}");
    let (kind, payload) = match req.kind.as_str() {
        "renew" => match (status, until) {
            (S::Done | S::Partial, Some(u)) => {
                tx.renew_measure(measure_id, &u.to_string(), now_us).await?;
                tx.clear_alerts(&subject, &["measure_expiring"], now_us)
                    .await?;
                ("measure.renewed", json!({"until": u}))
            }
            _ => {
                tx.set_measure_pending(measure_id, None, reason.as_deref(), now_us)
                    .await?;
                ("measure.renewal_refused", json!({"reason": reason}))
            }
        },
        "release" => match status {
            S::Done | S::Partial => {
                tx.set_measure_pending(measure_id, None, None, now_us)
                    .await?;
                tx.update_measure(
                    measure_id,
                    &MeasureUpdate {
                        status: MeasureStatus::Released.as_str().into(),
                        last_reason: reason.clone(),
                        ..MeasureUpdate::default()
                    },
                    now_us,
                )
                .await?;
                tx.clear_alerts(&subject, &["measure_expiring"], now_us)
                    .await?;
                ("measure.released", json!({}))
            }
            _ => {
                tx.set_measure_pending(measure_id, None, reason.as_deref(), now_us)
                    .await?;
                ("measure.release_refused", json!({"reason": reason}))
            }
        },
        _ => {
            // A released or expired measure stays so, whatever arrives late about it.
            if matches!(
                status_of(&m),
                MeasureStatus::Released | MeasureStatus::Expired | MeasureStatus::Done
            ) {
                return Ok(Vec::new());
            }
            let new_status = match (status, m.kind.as_str()) {
                (S::Done | S::Partial, "deduct") => MeasureStatus::Done,
                (S::Done | S::Partial, _) => MeasureStatus::Active,
                (S::Queued, _) => MeasureStatus::Queued,
                (S::Refused, _) => MeasureStatus::Refused,
            };
            tx.update_measure(
                measure_id,
                &MeasureUpdate {
                    status: new_status.as_str().into(),
                    held_fen: *amount_fen,
                    until: until.map(|d| d.to_string()),
                    queue_position: queue_position.map(i64::from),
                    reference: measure_reference.clone(),
                    last_reason: reason.clone(),
                },
                now_us,
            )
            .await?;
            if new_status == MeasureStatus::Done
                && let Some(a) = amount_fen.filter(|a| *a > 0)
            {
                let on = zhixing_store::from_micros(now_us)
                    .map(crate::state::china_date)
                    .or_internal(
                        "zhixing_store::from_micros(now_us).map(crate::state::china_date)",
                    )?;
                let receipt = crate::disposal::funds::Receipt {
                    amount: Fen::new(a).or_internal("Fen::new(a)")?,
                    source: zhixing_domain::funds::Source::Deduction,
                    reference: &m.request_id,
                    note: &format!("扣划（{}）", req.institution_id),
                    on,
                };
                booked = crate::disposal::funds::receive_in_tx(
                    tx,
                    app,
                    m.case_id,
                    &receipt,
                    &format!("institution:{}", req.institution_id),
                    now_us,
                )
                .await?
                .unwrap_or_default();
            }
            (
                match new_status {
                    MeasureStatus::Active => "measure.in_effect",
                    MeasureStatus::Queued => "measure.queued",
                    MeasureStatus::Done => "measure.deducted",
                    _ => "measure.refused",
                },
                json!({"status": status, "held_fen": amount_fen, "until": until, "queue_position": queue_position, "reason": reason}),
            )
        }
    };
    let mut payload = payload;
    if let Some(o) = payload.as_object_mut() {
        o.insert("measure".into(), json!(measure_id));
        o.insert("reply".into(), json!(reply_id));
        o.insert("request".into(), json!(req.message_id));
    }
    let mut events = vec![NewEvent {
        actor: format!("institution:{}", req.institution_id),
        court_id: Some(req.court_id.clone()),
        kind: kind.into(),
        subject: format!("case:{}", req.case_id),
        payload,
    }];
    events.extend(booked);
    Ok(events)
}
