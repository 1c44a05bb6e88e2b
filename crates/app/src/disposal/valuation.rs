//! Reference price (参考价, DOMAIN §6) of seized or detained property: the four methods in
//! order — parties' agreement, targeted enquiry, online enquiry, commissioned appraisal — as
//! decided by `zhixing_domain::valuation`. Each command is one transaction: the determination's
//! row is locked, the domain decides on its state, and the new state and the audited event
//! (`valuation.<event>`, subject `valuation:<id>`) land together. The case timeline shows these
//! events beside the case's own (`Store::case_timeline`).

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::json;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::case::Ctx;
use zhixing_domain::money::Fen;
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};
use zhixing_domain::valuation::{
    self, MoveReason, Objection, PriceMethod, ReferencePrice, Valuation, ValuationEvent, refused_as,
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
pub const MAX_NAME: usize = 200;
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

/// Why no price is usable today: the domain's refusal, with its parameters.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Unusable {
    pub code: String,
    /// In words: the edge fills it from the message catalogue (see [`Unusable::refusal`]).
    pub reason: String,
    /// The refusal's parameters (the dates and the rule).
    #[schemars(with = "serde_json::Value")]
    pub params: zhixing_domain::refusal::Params,
    /// The refusal itself, for the words of the page or the API.
    #[serde(skip)]
    #[schemars(skip)]
    pub refusal: Refusal,
}

impl Unusable {
    fn of(r: Refusal) -> Unusable {
        Unusable {
            code: r.code.to_owned(),
            reason: String::new(),
            params: r.params.clone(),
            refusal: r,
        }
    }
}

impl ValuationView {
    /// Whether its reference price has expired, so that the price is determined again.
    pub fn expired(&self) -> bool {
        self.unusable
            .as_ref()
            .is_some_and(|u| u.refusal.code == "reference_price_expired")
    }
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

/// A command of the reference price (参考价): start a determination of a seized or detained
/// asset, or one step of the determination under way.
pub enum ValuationCommand {
    Start {
        asset_id: i64,
    },
    Step {
        valuation_id: i64,
        /// The version the caller saw; given, a determination changed since is refused.
        version: Option<i64>,
        step: Step,
    },
}

/// One step of a determination, as the domain decides it.
pub enum Step {
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

/// One of `all` by its name; else refused under `code`, the words those of the problem
/// `reason` naming what is allowed.
fn one_of<T: Copy>(
    (code, reason): (&'static str, &'static str),
    s: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, AppError> {
    let s = s.trim();
    all.iter().copied().find(|x| name(*x) == s).ok_or_else(|| {
        let allowed: Vec<&str> = all.iter().map(|x| name(*x)).collect();
        let problem = Reason::new(reason)
            .with("value", s)
            .with("allowed", allowed.join(", "));
        refused_as(code, problem).into()
    })
}

/// Parses a method name (agreement, targeted_enquiry, online_enquiry, appraisal).
pub fn method(s: &str) -> Result<PriceMethod, AppError> {
    let codes = ("invalid_method", "method_unknown");
    one_of(codes, s, &PriceMethod::ALL, PriceMethod::as_str)
}

/// Parses a reason to move on (failed, parties_request, required_by_law).
pub fn move_reason(s: &str) -> Result<MoveReason, AppError> {
    let codes = ("invalid_reason", "move_reason_unknown");
    one_of(codes, s, &MoveReason::ALL, MoveReason::as_str)
}

/// A price in fen from the request.
pub fn price(fen: i64) -> Result<Fen, AppError> {
    Fen::new(fen).map_err(|_| {
        Refusal::invalid("invalid_price")
            .with("field", "price_fen")
            .into()
    })
}

fn name(field: &'static str, s: &str) -> Result<(), AppError> {
    if s.chars().count() > MAX_NAME {
        return Err(refused_as(
            "text_too_long",
            Reason::new("name_too_long")
                .with("field", field)
                .with("max", MAX_NAME),
        )
        .into());
    }
    Ok(())
}

/// Bounds on what a step keeps, before anything is opened.
fn bounded(step: &Step) -> Result<(), AppError> {
    match step {
        Step::TargetedAnswer { agency: s, .. } => name("agency", s),
        Step::PlatformAnswer { platform: s, .. } => name("platform", s),
        Step::CommissionAppraisal { appraiser: s } => name("appraiser", s),
        Step::Objection { by: s } => name("by", s),
        Step::CommissionEnquiry { platforms } => {
            if platforms.len() > MAX_PLATFORMS {
                return Err(Refusal::invalid("invalid_platforms")
                    .with("reason", "too_many")
                    .with("max", MAX_PLATFORMS)
                    .into());
            }
            platforms.iter().try_for_each(|p| name("platforms", p))
        }
        _ => Ok(()),
    }
}

fn audited(
    by: &Principal,
    row_ids: (i64, i64, i64),
    court_id: &str,
    e: &ValuationEvent,
) -> Result<NewEvent, AppError> {
    let (id, case_id, asset_id) = row_ids;
    let (kind, event) = super::tagged(e)?;
    Ok(NewEvent {
        actor: crate::actor_of(by),
        court_id: Some(court_id.to_owned()),
        kind: format!("valuation.{kind}"),
        subject: format!("valuation:{id}"),
        // The case and asset ride along so that an auditor reading the log alone sees what
        // the determination is about.
        payload: json!({"valuation": id, "case": case_id, "asset": asset_id, "event": event}),
    })
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

/// Runs a command of the reference price: loads what it acts on, authorises the caller
/// (`Action::HandleCases` at the case's court; 404 for who may not read the case), lets the
/// domain decide, and writes the new state with its audited event in one transaction.
/// Returns the determination as it now stands.
pub async fn execute(
    app: &App,
    by: &Principal,
    cmd: ValuationCommand,
) -> Result<ValuationView, AppError> {
    match cmd {
        ValuationCommand::Start { asset_id } => start(app, by, asset_id).await,
        ValuationCommand::Step {
            valuation_id,
            version,
            step,
        } => run_step(app, by, valuation_id, version, step).await,
    }
}

/// Starts determining the price of an asset under an active seizure or detention of its case.
/// A start after the time limit is recorded as late, not refused: the property must still be
/// priced.
async fn start(app: &App, by: &Principal, asset_id: i64) -> Result<ValuationView, AppError> {
    let (asset, case_row, court) = readable_asset(app, by, asset_id).await?;
    svc::authorise(by, &court, case_row.id, Action::HandleCases)?;
    svc::state_of(&case_row)?
        .ensure_open()
        .map_err(|r| r.kind(RefusalKind::Conflict))?;
    let rules = super::Rules::of(app, &court).await?;
    let ctx = rules.ctx();
    let today = ctx.today;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    // With the case locked, a release of the seizure or a second start cannot slip in
    // between the checks and the insert (the unique index guards the start regardless).
    tx.lock_case(case_row.id).await?;
    crate::review::check_disposal_in_tx(
        app,
        &mut tx,
        case_row.id,
        Some(asset.id),
        zhixing_domain::review::Disposal::Valuation,
    )
    .await?;
    let seizure = tx
        .measures_on_asset_tx(asset.id)
        .await?
        .into_iter()
        .filter(|m| super::holds(m, case_row.id))
        .min_by_key(|m| (m.requested_at, m.id))
        .ok_or_else(|| Refusal::conflict("asset_not_seized").with("asset", asset_id))?;
    if let Some(prev) = tx.latest_valuation_tx(asset.id).await? {
        if prev.status == "in_progress" {
            return Err(in_progress(Some(prev.id)));
        }
        // A determined price still valid is the asset's price: it is determined again only
        // once it expires (art. 27).
        if let Some(until) = prev.valid_until.as_deref()
            && until >= today.to_string().as_str()
        {
            return Err(Refusal::conflict("reference_price_valid")
                .with("valuation", prev.id)
                .with("valid_until", until)
                .into());
        }
    }
    // The period to start runs from the day the court ordered the seizure (its ruling and the request
    // go out that day); the institution's registration may come later, so this is the
    // stricter start of the period.
    let seized_on = zhixing_store::from_micros(seizure.requested_at)
        .map(crate::state::china_date)
        .or_internal("the day a seizure was requested")?;
    let e = valuation::decide_start(&asset.id.to_string(), seized_on, &ctx)?;
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
            zhixing_store::StoreError::Conflict(_) => in_progress(None),
            other => other.into(),
        })?;
    tx.append_events(
        now_us,
        &[audited(
            by,
            (id, case_row.id, asset.id),
            &case_row.court_id,
            &e,
        )?],
    )
    .await?;
    tx.commit().await?;
    view_of(app, id).await
}

/// Another determination of the asset is under way.
fn in_progress(id: Option<i64>) -> AppError {
    let r = Refusal::conflict("valuation_in_progress");
    match id {
        Some(id) => r.with("valuation", id),
        None => r,
    }
    .into()
}

/// One step of a determination: lock, decide on its state, write state and event.
async fn run_step(
    app: &App,
    by: &Principal,
    id: i64,
    version: Option<i64>,
    step: Step,
) -> Result<ValuationView, AppError> {
    let (v, court) = readable(app, by, id).await?;
    svc::authorise(by, &court, v.case_id, Action::HandleCases)?;
    bounded(&step)?;
    let rules = super::Rules::of(app, &court).await?;
    let ctx = rules.ctx();
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
    let e = decide(&state, &row, step, &ctx)?;
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
        )?],
    )
    .await?;
    tx.commit().await?;
    view_of(app, id).await
}

/// What the domain decides for a step on the determination in `row`.
fn decide(
    state: &Valuation,
    row: &ValuationRow,
    step: Step,
    ctx: &Ctx<'_>,
) -> Result<ValuationEvent, AppError> {
    Ok(match step {
        Step::Move { to, reason } => valuation::decide_move(state, to, reason, ctx),
        Step::Agreement { price, valid_until } => {
            valuation::decide_agreement(state, price, valid_until, ctx)
        }
        Step::TargetedAnswer {
            agency,
            price,
            valid_until,
        } => valuation::decide_targeted_answer(state, &agency, price, valid_until, ctx),
        Step::CommissionEnquiry { platforms } => {
            valuation::decide_commission_enquiry(state, &platforms, ctx)
        }
        Step::PlatformAnswer {
            platform,
            price,
            valid_until,
        } => valuation::decide_platform_answer(state, platform.trim(), price, valid_until, ctx),
        Step::ConcludeEnquiry => valuation::decide_conclude_enquiry(state, ctx),
        Step::CommissionAppraisal { appraiser } => {
            valuation::decide_commission_appraisal(state, &appraiser, ctx)
        }
        Step::AppraisalReport { price, valid_until } => {
            valuation::decide_appraisal_report(state, price, valid_until, ctx)
        }
        Step::Objection { by } => valuation::decide_objection(state, &by, ctx),
        Step::Ruling {
            no,
            corrected_price,
        } => {
            // The domain keeps one objection at a time; the row counts them, so that a ruling
            // names the objection it answers and a stale form cannot rule on a later one.
            if no < 1 || no > row.objections {
                return Err(AppError::not_found(
                    "objection_not_found",
                    format!("valuation {} has no objection {no}", row.id),
                ));
            }
            if no < row.objections || !matches!(state.objection, Objection::Pending { .. }) {
                return Err(Refusal::conflict("objection_already_ruled")
                    .with("no", no)
                    .into());
            }
            valuation::decide_objection_ruling(state, corrected_price, ctx)
        }
    }?)
}

/// A determination, for whoever may read its case.
pub async fn show(app: &App, by: &Principal, id: i64) -> Result<ValuationView, AppError> {
    readable(app, by, id).await?;
    view_of(app, id).await
}

/// The asset's latest determination, for whoever may read its case.
pub async fn of_asset(app: &App, by: &Principal, asset_id: i64) -> Result<ValuationView, AppError> {
    latest_of_asset(app, by, asset_id).await?.ok_or_else(|| {
        AppError::not_found(
            "valuation_not_found",
            format!("no valuation of asset {asset_id} was started"),
        )
    })
}

/// The asset's latest determination if one was started, for whoever may read its case.
pub async fn latest_of_asset(
    app: &App,
    by: &Principal,
    asset_id: i64,
) -> Result<Option<ValuationView>, AppError> {
    readable_asset(app, by, asset_id).await?;
    match app.store.latest_valuation(asset_id).await? {
        Some(row) => Ok(Some(view(app, row).await?)),
        None => Ok(None),
    }
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
        Err(r) => (None, Some(Unusable::of(r))),
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
/// determination that gave it and the price, or the domain's refusal (`no_reference_price`,
/// `objection_pending`, `objection_period_open`, `reference_price_expired`). It checks no
/// caller: the auction service authorises first.
pub async fn current_reference_price(
    app: &App,
    asset_id: i64,
) -> Result<(i64, ReferencePrice), AppError> {
    let row = app.store.latest_valuation(asset_id).await?.ok_or_else(|| {
        Refusal::conflict("no_reference_price")
            .with("method", "none")
            .with("asset", asset_id)
    })?;
    let state = state_of(&row)?;
    let price = valuation::reference_price(&state, app.today())?;
    Ok((row.id, price))
}
