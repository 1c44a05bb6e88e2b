//! Reference price (参考价, DOMAIN §6) of seized or detained property: the four methods in
//! order — parties' agreement, targeted enquiry, online enquiry, commissioned appraisal — as
//! decided by `zhixing_domain::valuation`. Each command is one transaction: the determination's
//! row is locked, the domain decides on its state, and the new state and the audited event
//! (`valuation.<event>`, subject `valuation:<id>`) land together. The case timeline shows these
//! events beside the case's own (`Store::case_timeline`).

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::json;
use zhixing_domain::access::Principal;
use zhixing_domain::case::{Ctx, Refusal};
use zhixing_domain::money::Fen;
use zhixing_domain::valuation::{
    self, MoveReason, Objection, PriceMethod, ReferencePrice, Valuation, ValuationEvent,
};
use zhixing_store::NewEvent;
use zhixing_store::cases::CaseRow;
use zhixing_store::courts::CourtRow;
use zhixing_store::investigation::AssetRow;
use zhixing_store::valuation::{NewValuation, ValuationRow, ValuationUpdate};

use crate::case as svc;
use crate::error::{AppError, OrInternal};
use crate::state::App;

/// The longest name of a platform, agency, appraiser or objector we keep.
const MAX_NAME: usize = 200;
/// The most platforms one online enquiry may ask.
const MAX_PLATFORMS: usize = 20;

/// A price determination as the API shows it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ValuationView {
    pub id: i64,
    pub case_id: i64,
    pub asset_id: i64,
    pub court_id: String,
    /// The seizure or detention (查封/扣押) whose property is priced.
    pub measure_id: i64,
    /// `in_progress` until a method gives a price, then `determined`.
    pub status: String,
    /// The current method: agreement, targeted_enquiry, online_enquiry or appraisal.
    pub method: String,
    pub method_zh: String,
    /// The row's version, for `version` in the commands.
    pub version: i64,
    /// Started after the time limit from the seizure (`auction.price_determination.start`).
    pub late_start: bool,
    /// The folded domain state: method, moves, the enquiry with its platforms, answers and
    /// due date, the appraisal with its report due date, the result with its validity and
    /// objection period, and the objection's status.
    #[schemars(with = "serde_json::Value")]
    pub state: Valuation,
    /// The reference price usable today, if any.
    #[schemars(with = "Option<serde_json::Value>")]
    pub reference_price: Option<ReferencePrice>,
    /// Why no price is usable today: the domain's code and reason.
    pub unusable: Option<Unusable>,
    /// Every objection filed, numbered from 1 (the ruling route names one).
    pub objections: Vec<ObjectionView>,
    /// The recorded events, in order.
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Unusable {
    pub code: String,
    pub reason: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ObjectionView {
    pub no: i64,
    pub by: String,
    #[schemars(with = "String")]
    pub filed_on: jiff::civil::Date,
    #[schemars(with = "Option<String>")]
    pub ruled_on: Option<jiff::civil::Date>,
    /// The price the ruling corrected the report to, if it did.
    pub corrected_price_fen: Option<i64>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct HistoryEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    /// The domain event as recorded (tagged by `kind`).
    #[schemars(with = "serde_json::Value")]
    pub event: serde_json::Value,
}

/// What a command on a determination asks the domain.
pub enum Command {
    Move {
        to: PriceMethod,
        reason: MoveReason,
    },
    Agreement {
        price: Fen,
        valid_until: Option<jiff::civil::Date>,
    },
    TargetedAnswer {
        agency: String,
        price: Fen,
        valid_until: Option<jiff::civil::Date>,
    },
    CommissionEnquiry {
        platforms: Vec<String>,
    },
    PlatformAnswer {
        platform: String,
        price: Fen,
        valid_until: Option<jiff::civil::Date>,
    },
    ConcludeEnquiry,
    CommissionAppraisal {
        appraiser: String,
    },
    AppraisalReport {
        price: Fen,
        valid_until: Option<jiff::civil::Date>,
    },
    Objection {
        by: String,
    },
    Ruling {
        no: i64,
        corrected_price: Option<Fen>,
    },
}

fn not_found(id: i64) -> AppError {
    AppError::not_found("valuation_not_found", format!("no valuation {id}"))
}

fn asset_not_found(id: i64) -> AppError {
    AppError::not_found("asset_not_found", format!("no asset {id}"))
}

/// A case the caller may not read answers as this resource not found (its existence is not
/// revealed); any other error stays what it is.
fn hidden(e: AppError, as_missing: impl FnOnce() -> AppError) -> AppError {
    if e.is_not_found() { as_missing() } else { e }
}

fn version_conflict(current: i64) -> AppError {
    AppError::conflict(
        "version_conflict",
        "the valuation was changed by someone else meanwhile; reload it and try again",
    )
    .with_details(vec![format!("current version: {current}")])
}

/// A domain refusal as a problem: 409 when the command does not fit the determination's
/// present state (another step first, or too late), 422 when the input itself is wrong.
pub fn refused(r: Refusal) -> AppError {
    crate::error::refused_with(
        r,
        &[
            "wrong_method",
            "price_already_determined",
            "enquiry_already_commissioned",
            "enquiry_not_commissioned",
            "enquiry_has_answers",
            "answers_pending",
            "already_answered",
            "no_timely_answer",
            "appraisal_already_commissioned",
            "appraisal_not_commissioned",
            "not_objectionable",
            "objection_pending",
            "objection_period_over",
            "objection_period_open",
            "no_objection",
            "no_reference_price",
            "reference_price_expired",
            "case_closed",
        ],
    )
}

/// Parses a method name (agreement, targeted_enquiry, online_enquiry, appraisal).
pub fn method(s: &str) -> Result<PriceMethod, AppError> {
    PriceMethod::parse(s.trim()).ok_or_else(|| {
        AppError::unprocessable(
            "invalid_method",
            format!(
                "unknown method {s:?}: {}",
                PriceMethod::ALL.map(|m| m.as_str()).join(", ")
            ),
        )
    })
}

/// Parses a reason to move on (failed, parties_request, required_by_law).
pub fn move_reason(s: &str) -> Result<MoveReason, AppError> {
    serde_json::from_value(json!(s.trim())).map_err(|_| {
        AppError::unprocessable(
            "invalid_reason",
            format!("unknown reason {s:?}: failed, parties_request, required_by_law"),
        )
    })
}

/// A price in fen from the request.
pub fn price(fen: i64) -> Result<Fen, AppError> {
    Fen::new(fen).map_err(|_| AppError::unprocessable("invalid_price", "price_fen is fen, ≥ 0"))
}

fn name(field: &'static str, s: &str) -> Result<(), AppError> {
    if s.chars().count() > MAX_NAME {
        return Err(AppError::unprocessable(
            "text_too_long",
            format!("{field} is at most {MAX_NAME} characters"),
        ));
    }
    Ok(())
}

/// The event log's name for a domain event (`valuation.<this>`).
fn event_kind(e: &ValuationEvent) -> &'static str {
    match e {
        ValuationEvent::Started { .. } => "started",
        ValuationEvent::MovedOn { .. } => "moved_on",
        ValuationEvent::AgreementReached { .. } => "agreement_reached",
        ValuationEvent::TargetedEnquiryAnswered { .. } => "targeted_enquiry_answered",
        ValuationEvent::EnquiryCommissioned { .. } => "enquiry_commissioned",
        ValuationEvent::PlatformAnswered(_) => "platform_answered",
        ValuationEvent::EnquiryReported { .. } => "enquiry_reported",
        ValuationEvent::AppraisalCommissioned { .. } => "appraisal_commissioned",
        ValuationEvent::AppraisalReported { .. } => "appraisal_reported",
        ValuationEvent::ObjectionFiled { .. } => "objection_filed",
        ValuationEvent::ObjectionRuled { .. } => "objection_ruled",
    }
}

fn audited(
    by: &Principal,
    row_ids: (i64, i64, i64),
    court_id: &str,
    e: &ValuationEvent,
) -> NewEvent {
    let (id, case_id, asset_id) = row_ids;
    NewEvent {
        actor: crate::actor_of(by),
        court_id: Some(court_id.to_owned()),
        kind: format!("valuation.{}", event_kind(e)),
        subject: format!("valuation:{id}"),
        // The case and asset ride along so that an auditor reading the log alone sees what
        // the determination is about.
        payload: json!({"valuation": id, "case": case_id, "asset": asset_id, "event": e}),
    }
}

fn state_of(row: &ValuationRow) -> Result<Valuation, AppError> {
    serde_json::from_str(&row.state).map_err(|e| {
        AppError::internal(format_args!(
            "unreadable state of valuation {}: {e}",
            row.id
        ))
    })
}

/// The listing columns of a state.
fn update_of<'a>(state: &Valuation, objections: i64, json: &'a str) -> ValuationUpdate<'a> {
    ValuationUpdate {
        status: if state.result.is_some() {
            "determined"
        } else {
            "in_progress"
        },
        method: state.method.as_str(),
        price_fen: state.result.as_ref().map(|r| r.price.get()),
        valid_until: state.result.as_ref().map(|r| r.valid_until.to_string()),
        objections,
        state: json,
    }
}

/// Loads an asset the caller may read, with its case and court (404 otherwise, so that its
/// existence is not revealed).
async fn readable_asset(
    app: &App,
    by: &Principal,
    asset_id: i64,
) -> Result<(AssetRow, CaseRow, CourtRow), AppError> {
    let asset = app
        .store
        .asset(asset_id)
        .await?
        .ok_or_else(|| asset_not_found(asset_id))?;
    let (row, court) = svc::readable(app, by, asset.case_id)
        .await
        .map_err(|e| hidden(e, || asset_not_found(asset_id)))?;
    Ok((asset, row, court))
}

/// Loads a determination the caller may read, with its court.
async fn readable(
    app: &App,
    by: &Principal,
    id: i64,
) -> Result<(ValuationRow, CourtRow), AppError> {
    let v = app
        .store
        .valuation(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let (_, court) = svc::readable(app, by, v.case_id)
        .await
        .map_err(|e| hidden(e, || not_found(id)))?;
    Ok((v, court))
}

/// Starts determining the price of an asset under an active seizure or detention of its case.
/// A start after the time limit is recorded as late, not refused: the property must still be
/// priced.
pub async fn start(app: &App, by: &Principal, asset_id: i64) -> Result<ValuationView, AppError> {
    let (asset, case_row, court) = readable_asset(app, by, asset_id).await?;
    svc::handles(by, &court)?;
    svc::state_of(&case_row)?.ensure_open().map_err(refused)?;
    let rules = app.rules.current(&app.store).await?;
    let region = svc::region(&court);
    let today = app.today();
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    // With the case locked, a release of the seizure or a second start cannot slip in
    // between the checks and the insert (the unique index guards the start regardless).
    tx.lock_case(case_row.id).await?;
    let seizure = tx
        .measures_on_asset_tx(asset.id)
        .await?
        .into_iter()
        .filter(|m| {
            m.case_id == case_row.id
                && matches!(m.kind.as_str(), "seize" | "detain")
                && m.status == "active"
        })
        .min_by_key(|m| (m.requested_at, m.id))
        .ok_or_else(|| {
            AppError::conflict(
                "asset_not_seized",
                format!(
                    "asset {asset_id} is under no seizure or detention (查封/扣押) of the case in effect: only such property is priced for sale"
                ),
            )
        })?;
    if let Some(prev) = tx.latest_valuation_tx(asset.id).await? {
        if prev.status == "in_progress" {
            return Err(AppError::conflict(
                "valuation_in_progress",
                format!("valuation {} of this asset is in progress", prev.id),
            ));
        }
        // A determined price still valid is the asset's price: it is determined again only
        // once it expires (art. 27).
        if prev.valid_until.as_deref() >= Some(today.to_string().as_str()) {
            return Err(AppError::conflict(
                "reference_price_valid",
                format!(
                    "valuation {} determined a price valid until {}: determine it again after that",
                    prev.id,
                    prev.valid_until.as_deref().unwrap_or_default()
                ),
            ));
        }
    }
    // The 30 days run from the day the court ordered the seizure (its ruling and the request
    // go out that day); the institution's registration may come later, so this is the
    // stricter start of the period.
    let seized_on = zhixing_store::from_micros(seizure.requested_at)
        .map(crate::state::china_date)
        .or_internal("zhixing_store::from_micros(seizure.requested_at).map(crate::state:...")?;
    let ctx = Ctx {
        rules: &rules,
        calendar: &app.calendar,
        region: &region,
        today,
    };
    let e = valuation::decide_start(&asset.id.to_string(), seized_on, &ctx).map_err(refused)?;
    let state = Valuation::from_started(&e).or_internal("Valuation::from_started(e)")?;
    let json = serde_json::to_string(&state).or_internal("serde_json::to_string(state)")?;
    let id = tx
        .insert_valuation(&NewValuation {
            case_id: case_row.id,
            asset_id: asset.id,
            court_id: &case_row.court_id,
            measure_id: seizure.id,
            method: state.method.as_str(),
            state: &json,
            created_by: by.user_id,
            at_us: now_us,
        })
        .await
        .map_err(|e| match e {
            zhixing_store::StoreError::Conflict(_) => AppError::conflict(
                "valuation_in_progress",
                "a valuation of this asset is in progress",
            ),
            other => other.into(),
        })?;
    tx.append_events(
        now_us,
        &[audited(
            by,
            (id, case_row.id, asset.id),
            &case_row.court_id,
            &e,
        )],
    )
    .await?;
    tx.commit().await?;
    view_of(app, id).await
}

/// Runs one command on a determination: lock, decide on its state, write state and event.
pub async fn command(
    app: &App,
    by: &Principal,
    id: i64,
    version: Option<i64>,
    cmd: Command,
) -> Result<ValuationView, AppError> {
    let (_, court) = readable(app, by, id).await?;
    svc::handles(by, &court)?;
    // Bounds on what is kept, before anything is opened.
    match &cmd {
        Command::TargetedAnswer { agency: s, .. } => name("agency", s)?,
        Command::PlatformAnswer { platform: s, .. } => name("platform", s)?,
        Command::CommissionAppraisal { appraiser: s } => name("appraiser", s)?,
        Command::Objection { by: s } => name("by", s)?,
        Command::CommissionEnquiry { platforms } => {
            if platforms.len() > MAX_PLATFORMS {
                return Err(AppError::unprocessable(
                    "invalid_platforms",
                    format!("at most {MAX_PLATFORMS} platforms"),
                ));
            }
            for p in platforms {
                name("platforms", p)?;
            }
        }
        _ => {}
    }
    let rules = app.rules.current(&app.store).await?;
    let region = svc::region(&court);
    let ctx = Ctx {
        rules: &rules,
        calendar: &app.calendar,
        region: &region,
        today: app.today(),
    };
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    // Locked (PostgreSQL: FOR UPDATE; SQLite: the single writer): a concurrent command waits
    // and then decides on the state this one leaves.
    let row = tx.valuation_tx(id).await?.ok_or_else(|| not_found(id))?;
    if let Some(v) = version
        && v != row.version
    {
        return Err(version_conflict(row.version));
    }
    let mut state = state_of(&row)?;
    let e = match cmd {
        Command::Move { to, reason } => valuation::decide_move(&state, to, reason, &ctx),
        Command::Agreement { price, valid_until } => {
            valuation::decide_agreement(&state, price, valid_until, &ctx)
        }
        Command::TargetedAnswer {
            agency,
            price,
            valid_until,
        } => valuation::decide_targeted_answer(&state, &agency, price, valid_until, &ctx),
        Command::CommissionEnquiry { platforms } => {
            valuation::decide_commission_enquiry(&state, &platforms, &ctx)
        }
        Command::PlatformAnswer {
            platform,
            price,
            valid_until,
        } => valuation::decide_platform_answer(&state, platform.trim(), price, valid_until, &ctx),
        Command::ConcludeEnquiry => valuation::decide_conclude_enquiry(&state, &ctx),
        Command::CommissionAppraisal { appraiser } => {
            valuation::decide_commission_appraisal(&state, &appraiser, &ctx)
        }
        Command::AppraisalReport { price, valid_until } => {
            valuation::decide_appraisal_report(&state, price, valid_until, &ctx)
        }
        Command::Objection { by } => valuation::decide_objection(&state, &by, &ctx),
        Command::Ruling {
            no,
            corrected_price,
        } => {
            // The domain keeps one objection at a time; the row counts them, so that a ruling
            // names the objection it answers and a stale form cannot rule on a later one.
            if no < 1 || no > row.objections {
                return Err(AppError::not_found(
                    "objection_not_found",
                    format!("valuation {id} has no objection {no}"),
                ));
            }
            if no < row.objections || !matches!(state.objection, Objection::Pending { .. }) {
                return Err(AppError::conflict(
                    "objection_already_ruled",
                    format!("objection {no} was already ruled on"),
                ));
            }
            valuation::decide_objection_ruling(&state, corrected_price, &ctx)
        }
    }
    .map_err(refused)?;
    state.apply(&e);
    let objections = row.objections + i64::from(matches!(e, ValuationEvent::ObjectionFiled { .. }));
    let json = serde_json::to_string(&state).or_internal("serde_json::to_string(state)")?;
    if !tx
        .update_valuation(
            id,
            row.version,
            &update_of(&state, objections, &json),
            now_us,
        )
        .await?
    {
        return Err(version_conflict(row.version));
    }
    tx.append_events(
        now_us,
        &[audited(
            by,
            (id, row.case_id, row.asset_id),
            &row.court_id,
            &e,
        )],
    )
    .await?;
    tx.commit().await?;
    view_of(app, id).await
}

/// A determination, for whoever may read its case.
pub async fn show(app: &App, by: &Principal, id: i64) -> Result<ValuationView, AppError> {
    readable(app, by, id).await?;
    view_of(app, id).await
}

/// The asset's latest determination, for whoever may read its case.
pub async fn of_asset(app: &App, by: &Principal, asset_id: i64) -> Result<ValuationView, AppError> {
    readable_asset(app, by, asset_id).await?;
    let row = app.store.latest_valuation(asset_id).await?.ok_or_else(|| {
        AppError::not_found(
            "valuation_not_found",
            format!("no valuation of asset {asset_id} was started"),
        )
    })?;
    view(app, row).await
}

async fn view_of(app: &App, id: i64) -> Result<ValuationView, AppError> {
    let row = app
        .store
        .valuation(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    view(app, row).await
}

async fn view(app: &App, row: ValuationRow) -> Result<ValuationView, AppError> {
    let state = state_of(&row)?;
    let (reference_price, unusable) = match valuation::reference_price(&state, app.today()) {
        Ok(p) => (Some(p), None),
        Err(r) => (
            None,
            Some(Unusable {
                code: r.code.to_owned(),
                reason: r.text(),
            }),
        ),
    };
    let mut history = Vec::new();
    let mut objections: Vec<ObjectionView> = Vec::new();
    for e in app.store.valuation_events(row.id).await? {
        let payload: serde_json::Value =
            serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null);
        let event = payload.get("event").cloned().unwrap_or_default();
        match serde_json::from_value::<ValuationEvent>(event.clone()) {
            Ok(ValuationEvent::ObjectionFiled { by, on }) => objections.push(ObjectionView {
                no: i64::try_from(objections.len()).unwrap_or(i64::MAX) + 1,
                by,
                filed_on: on,
                ruled_on: None,
                corrected_price_fen: None,
            }),
            Ok(ValuationEvent::ObjectionRuled {
                on,
                corrected_price,
            }) => {
                if let Some(o) = objections.last_mut() {
                    o.ruled_on = Some(on);
                    o.corrected_price_fen = corrected_price.map(Fen::get);
                }
            }
            _ => {}
        }
        history.push(HistoryEntry {
            seq: e.seq,
            at: zhixing_store::from_micros(e.at_us)?.to_string(),
            actor: e.actor,
            kind: e.kind,
            event,
        });
    }
    Ok(ValuationView {
        id: row.id,
        case_id: row.case_id,
        asset_id: row.asset_id,
        court_id: row.court_id,
        measure_id: row.measure_id,
        status: row.status,
        method: state.method.as_str().to_owned(),
        method_zh: state.method.name_zh().to_owned(),
        version: row.version,
        late_start: state.started_on > state.start_due,
        reference_price,
        unusable,
        objections,
        history,
        state,
    })
}

/// The reference price of an asset usable today, for the auction layer: the id of the
/// determination that gave it and the price, or a 409 problem with the domain's code
/// (`no_reference_price`, `objection_pending`, `objection_period_open`,
/// `reference_price_expired`). It checks no caller: the auction service authorizes first.
pub async fn current_reference_price(
    app: &App,
    asset_id: i64,
) -> Result<(i64, zhixing_domain::valuation::ReferencePrice), AppError> {
    let row = app.store.latest_valuation(asset_id).await?.ok_or_else(|| {
        refused(Refusal::one(
            "no_reference_price",
            format!("no price determination of asset {asset_id} was started"),
        ))
    })?;
    let state = state_of(&row)?;
    let price = valuation::reference_price(&state, app.today()).map_err(refused)?;
    Ok((row.id, price))
}
