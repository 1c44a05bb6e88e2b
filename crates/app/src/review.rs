//! Review cases (执异, 执复, 执监; DOMAIN §4b): filed from the enforcement case they concern,
//! numbered like every case under their own type, examined within the rule book's limits, ruled,
//! and — while an outsider claims the property — holding back its disposal.
//!
//! Each command is one transaction: the review's row moves by a conditional update and an event
//! records it on the enforcement case's subject (`case:<id>`), so that it shows on the case's
//! timeline and in its playback. A ruling's effect on the enforcement case (a measure revoked is
//! released, a listing revoked is removed) is carried out in the ruling's own transaction,
//! through the same paths the officer's commands take, so that the release order goes to the
//! institution exactly once. The decisions are the domain's (`zhixing_domain::review`).

use std::collections::HashSet;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::json;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::case_number::CaseNumber;
use zhixing_domain::court::CourtCode;
use zhixing_domain::credit::RemovalTrigger;
use zhixing_domain::refusal::Refusal;
use zhixing_domain::review::{
    self as rv, Challenged, Disposal, FilingFacts, MAX_TEXT_CHARS, Outcome, PendingReview,
    ReviewKind, ReviewStatus, RulingFacts,
};
use zhixing_store::NewEvent;
use zhixing_store::courts::CourtRow;
use zhixing_store::review::{NewReview, ReviewChange, ReviewRow};

use crate::case as svc;
use crate::error::{AppError, OrInternal};
use crate::state::App;

/// The alert a review case still examined past its last day raises at its court.
pub const OVERDUE_ALERT: &str = "review_overdue";

/// A change to review cases, as a form or a JSON body asks for it. Executed by [`execute`].
#[derive(Debug, Clone)]
pub enum ReviewCommand {
    /// Files a review of enforcement case `case_id` at the caller's court: an objection at the
    /// enforcing court, a reconsideration one level up, supervision from any court above.
    File {
        case_id: i64,
        kind: ReviewKind,
        challenged: Challenged,
        /// Who applies (the objector, the outsider, the petitioner; the court itself for
        /// supervision of its own motion).
        applicant: String,
        grounds: String,
    },
    /// Rules on a review being examined.
    Rule {
        id: i64,
        outcome: Outcome,
        reasons: String,
    },
    /// The president extends a reconsideration's examination (at most the rule book's days).
    Extend { id: i64, days: i64, reason: String },
    /// The applicant's security to continue disposing of the claimed property is recorded.
    RecordSecurity { id: i64, note: String },
    /// The court orders enforcement of the challenged act suspended while it examines.
    OrderSuspension { id: i64, reason: String },
    /// A suit against the ruling on an outsider's objection was brought (`started`) or ended.
    Suit {
        id: i64,
        started: bool,
        note: String,
    },
}

/// A review case as the API and the pages show it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReviewView {
    pub id: i64,
    /// e.g. `(2026)京0105执异1号`.
    pub number: String,
    /// act_objection, outsider_objection, reconsideration or supervision.
    pub kind: String,
    pub kind_zh: String,
    pub court_id: String,
    pub court_name: String,
    /// The enforcement case it concerns.
    pub case_id: i64,
    pub case_number: String,
    /// What it challenges, as filed.
    #[schemars(with = "serde_json::Value")]
    pub challenged: Challenged,
    /// The asset it concerns, if any.
    pub asset_id: Option<i64>,
    pub applicant: String,
    pub grounds: String,
    pub received_on: String,
    /// The last day of examination; none for supervision.
    pub due_on: Option<String>,
    pub extended_days: i64,
    /// Still being examined past its last day.
    pub overdue: bool,
    /// examining, ruled, suit or ended.
    pub status: String,
    pub status_zh: String,
    pub outcome: Option<String>,
    pub outcome_zh: Option<String>,
    pub ruling: Option<String>,
    pub ruled_on: Option<String>,
    pub security_recorded: bool,
    pub suspension_ordered: bool,
    /// Whether it now holds back disposal of its asset.
    pub holds_disposal: bool,
    pub filed_by: i64,
}

/// What is challenged, from the two fields a form or a JSON body names it by: its kind
/// (measure, listing, distribution, valuation, auction, property, ruling, case) and its id
/// (the measure's, the listing's number, the asset's, the ruling's review case…).
pub fn challenged_from(kind: &str, id: Option<i64>) -> Result<Challenged, AppError> {
    let need = || {
        id.ok_or_else(|| {
            AppError::from(
                Refusal::invalid("review_target_not_found")
                    .with("what", kind.to_owned())
                    .with("id", "—"),
            )
        })
    };
    Ok(match kind {
        "measure" => Challenged::Measure { id: need()? },
        "listing" => Challenged::Listing { no: need()? },
        "distribution" => Challenged::Distribution,
        "valuation" => Challenged::Valuation { id: need()? },
        "auction" => Challenged::Auction { id: need()? },
        "property" => Challenged::Property { asset_id: need()? },
        "ruling" => Challenged::Ruling { review_id: need()? },
        "case" => Challenged::Case,
        other => {
            return Err(Refusal::invalid("invalid_challenged")
                .with("challenged", other.to_owned())
                .into());
        }
    })
}

/// A review kind from its name; a typed 422 otherwise.
pub fn kind_from(s: &str) -> Result<ReviewKind, AppError> {
    ReviewKind::parse(s).ok_or_else(|| {
        Refusal::invalid("invalid_review_kind")
            .with("kind", s.to_owned())
            .into()
    })
}

/// A ruling's outcome from its name; a typed 422 otherwise.
pub fn outcome_from(s: &str) -> Result<Outcome, AppError> {
    Outcome::parse(s).ok_or_else(|| {
        Refusal::invalid("invalid_outcome")
            .with("outcome", s.to_owned())
            .into()
    })
}

fn not_found(id: i64) -> AppError {
    AppError::not_found("review_not_found", format!("no review case {id}"))
}

fn moved_meanwhile(id: i64) -> AppError {
    AppError::conflict(
        "concurrent_change",
        format!("review case {id} changed meanwhile; read it again"),
    )
}

fn kind_of(row: &ReviewRow) -> Result<ReviewKind, AppError> {
    ReviewKind::parse(&row.kind).or_internal("unknown review kind")
}

fn status_of(row: &ReviewRow) -> Result<ReviewStatus, AppError> {
    ReviewStatus::parse(&row.status).or_internal("unknown review status")
}

fn challenged_of(row: &ReviewRow) -> Result<Challenged, AppError> {
    serde_json::from_str(&row.challenged).or_internal("review challenged")
}

/// A typed text of 1 to [`MAX_TEXT_CHARS`] characters.
fn text(s: &str) -> Result<String, AppError> {
    let t = s.trim();
    let n = t.chars().count();
    if n == 0 || n > MAX_TEXT_CHARS {
        return Err(Refusal::invalid("review_text_length")
            .with("max", MAX_TEXT_CHARS as i64)
            .into());
    }
    Ok(t.to_owned())
}

async fn court(app: &App, id: &str) -> Result<CourtRow, AppError> {
    app.store.court(id).await?.or_internal("court of a review")
}

/// Carries out a review command; returns the review case as it now stands.
pub async fn execute(
    app: &App,
    by: &Principal,
    cmd: ReviewCommand,
) -> Result<ReviewView, AppError> {
    let id = match cmd {
        ReviewCommand::File {
            case_id,
            kind,
            challenged,
            applicant,
            grounds,
        } => file(app, by, case_id, kind, challenged, &applicant, &grounds).await?,
        ReviewCommand::Rule {
            id,
            outcome,
            reasons,
        } => rule(app, by, id, outcome, &reasons).await?,
        ReviewCommand::Extend { id, days, reason } => extend(app, by, id, days, &reason).await?,
        ReviewCommand::RecordSecurity { id, note } => hold_change(app, by, id, true, &note).await?,
        ReviewCommand::OrderSuspension { id, reason } => {
            hold_change(app, by, id, false, &reason).await?
        }
        ReviewCommand::Suit { id, started, note } => suit(app, by, id, started, &note).await?,
    };
    show(app, by, id).await
}

/// The asset a challenged act concerns, checked to be of the case (404 for another case's).
async fn asset_of(app: &App, case_id: i64, what: &Challenged) -> Result<Option<i64>, AppError> {
    let missing = |what: &str, id: i64| {
        AppError::from(
            Refusal::invalid("review_target_not_found")
                .with("what", what.to_owned())
                .with("id", id),
        )
    };
    Ok(match what {
        Challenged::Measure { id } => {
            let m = app.store.measure(*id).await?;
            match m {
                Some(m) if m.case_id == case_id => Some(m.asset_id),
                _ => return Err(missing("measure", *id)),
            }
        }
        Challenged::Valuation { id } => match app.store.valuation(*id).await? {
            Some(v) if v.case_id == case_id => Some(v.asset_id),
            _ => return Err(missing("valuation", *id)),
        },
        Challenged::Auction { id } => match app.store.auction(*id).await? {
            Some(a) if a.case_id == case_id => Some(a.asset_id),
            _ => return Err(missing("auction", *id)),
        },
        Challenged::Property { asset_id } => match app.store.asset(*asset_id).await? {
            Some(a) if a.case_id == case_id => Some(a.id),
            _ => return Err(missing("asset", *asset_id)),
        },
        Challenged::Listing { .. }
        | Challenged::Distribution
        | Challenged::Ruling { .. }
        | Challenged::Case => None,
    })
}

/// Whether enforcement of `asset_id` has ended: sold and paid for, or deducted.
async fn disposal_ended(app: &App, case_id: i64, asset_id: i64) -> Result<bool, AppError> {
    let sold = app
        .store
        .auctions_of_case(case_id)
        .await?
        .iter()
        .any(|a| a.asset_id == asset_id && a.status == "paid");
    let deducted = app
        .store
        .measures_of(case_id)
        .await?
        .iter()
        .any(|m| m.asset_id == asset_id && m.kind == "deduct" && m.status == "done");
    Ok(sold || deducted)
}

async fn file(
    app: &App,
    by: &Principal,
    case_id: i64,
    kind: ReviewKind,
    challenged: Challenged,
    applicant: &str,
    grounds: &str,
) -> Result<i64, AppError> {
    let own = court(app, &by.court_id).await?;
    // The enforcement case must be readable by the caller's court: its own, or one below.
    let (case_row, case_court) = svc::readable(app, by, case_id).await?;
    if !by.may(Action::HandleCases, &own.path) {
        return Err(AppError::forbidden(
            "review cases are filed by the officers and judges of a court",
        ));
    }
    let applicant = text(applicant)?;
    let grounds = text(grounds)?;
    if let Challenged::Listing { no } = challenged {
        let state = svc::state_of(&case_row)?;
        if !state.credit.listings.iter().any(|l| i64::from(l.no) == no) {
            return Err(Refusal::invalid("review_target_not_found")
                .with("what", "listing")
                .with("id", no)
                .into());
        }
    }
    let asset_id = asset_of(app, case_id, &challenged).await?;
    let right_court = match kind {
        ReviewKind::ActObjection | ReviewKind::OutsiderObjection => own.id == case_court.id,
        ReviewKind::Reconsideration => case_court.parent_id.as_deref() == Some(own.id.as_str()),
        ReviewKind::Supervision => {
            case_court.path.starts_with(&own.path) && case_court.path != own.path
        }
    };
    let ruling = match &challenged {
        Challenged::Ruling { review_id } => match app.store.review(*review_id).await? {
            Some(r) if r.case_id == case_id && r.ruled_on.is_some() => Some(RulingFacts {
                of: kind_of(&r)?,
                served_on: ruling_served_on(app, &r).await?,
            }),
            _ => {
                return Err(Refusal::invalid("review_target_not_found")
                    .with("what", "ruling")
                    .with("id", *review_id)
                    .into());
            }
        },
        _ => None,
    };
    let property_disposal_ended = match (kind, asset_id) {
        (ReviewKind::OutsiderObjection, Some(a)) => disposal_ended(app, case_id, a).await?,
        _ => false,
    };
    let facts = FilingFacts {
        property_disposal_ended,
        ruling,
        right_court,
    };
    let rules = app.rules.current(&app.store).await?;
    let region = svc::region(&own);
    let today = app.today();
    let ctx = svc::rule_ctx(app, &rules, &region, today);
    rv::decide_filing(kind, &challenged, &facts, &ctx)?;
    let due = rv::examination_due(kind, today, 0, &ctx)?;

    let now_us = app.now_us();
    let year = i64::from(today.year());
    let case_type = kind.case_type();
    let mut tx = app.store.begin().await?;
    // The case's lock orders a filing against a disposal of its property: the disposal that
    // comes after sees the claim.
    tx.lock_case(case_id).await?;
    let seq = tx.next_case_seq(&own.id, case_type.code(), year).await?;
    let number = CaseNumber {
        year: today.year(),
        court: CourtCode::parse(&own.code).or_internal("CourtCode::parse(court.code)")?,
        case_type,
        seq: u32::try_from(seq).or_internal("u32::try_from(seq)")?,
    }
    .to_string();
    let challenged_json = serde_json::to_string(&challenged).or_internal("challenged json")?;
    let id = tx
        .insert_review(&NewReview {
            court_id: &own.id,
            case_id,
            kind: kind.as_str(),
            number: &number,
            challenged: &challenged_json,
            asset_id,
            applicant: &applicant,
            grounds: &grounds,
            received_on: &today.to_string(),
            due_on: due.map(|d| d.to_string()).as_deref(),
            filed_by: by.user_id,
            at_us: now_us,
        })
        .await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(own.id.clone()),
            kind: "review.filed".into(),
            subject: format!("case:{case_id}"),
            payload: json!({
                "review": id, "number": number, "review_kind": kind.as_str(),
                "challenged": challenged, "asset": asset_id, "applicant": applicant,
                "grounds": grounds, "received_on": today.to_string(), "due_on": due.map(|d| d.to_string()),
            }),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The day the ruling of review `r` was served, as the enforcement case's service records
/// have it: the latest day among the parties it was served on — the period counts for each
/// party from their own service, and the latest keeps the right of the party served last.
/// None while it was served on nobody.
async fn ruling_served_on(app: &App, r: &ReviewRow) -> Result<Option<Date>, AppError> {
    let Some(doc) = r.ruling_document_id else {
        return Ok(None);
    };
    let case = app
        .store
        .case(r.case_id)
        .await?
        .or_internal("case of a review")?;
    let state = svc::state_of(&case)?;
    Ok(state
        .parties
        .iter()
        .filter_map(|p| state.service.served_on(doc, p.no))
        .max())
}

/// The review, locked, with its court, if the caller may `action` at `at` (the review's court
/// unless named).
async fn locked(
    app: &App,
    tx: &mut zhixing_store::Tx,
    by: &Principal,
    id: i64,
) -> Result<(ReviewRow, CourtRow), AppError> {
    let row = tx
        .review_for_update(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let court = court(app, &row.court_id).await?;
    let case_court = svc::readable(app, by, row.case_id)
        .await
        .map(|(_, c)| c)
        .ok();
    if !by.may(Action::ReadCaseData, &court.path) && case_court.is_none() {
        return Err(not_found(id));
    }
    Ok((row, court))
}

async fn rule(
    app: &App,
    by: &Principal,
    id: i64,
    outcome: Outcome,
    reasons: &str,
) -> Result<i64, AppError> {
    let reasons = text(reasons)?;
    let now_us = app.now_us();
    let today = app.today();
    let mut tx = app.store.begin().await?;
    let (row, court) = locked(app, &mut tx, by, id).await?;
    if !by.may(Action::HandleCases, &court.path) || by.court_id != court.id {
        return Err(AppError::forbidden(
            "a review case is ruled by the court that examines it",
        ));
    }
    let kind = kind_of(&row)?;
    rv::decide_ruling(kind, status_of(&row)?, outcome, &reasons)?;
    let challenged = challenged_of(&row)?;

    // The ruling (执行裁定书) is a document of the enforcement case, served on its parties.
    let case = tx
        .case_tx(row.case_id)
        .await?
        .or_internal("case of a review")?;
    let state = svc::state_of(&case)?;
    let case_court = app
        .store
        .court(&case.court_id)
        .await?
        .or_internal("court of a case")?;
    let paragraphs = ruling_paragraphs(
        app,
        &row,
        kind,
        &challenged,
        outcome,
        &reasons,
        &case,
        &case_court,
    )
    .await?;
    let actor = crate::actor_of(by);
    let issued = crate::case::documents::issue_ruling(
        &mut tx,
        app,
        &court,
        row.case_id,
        &state,
        crate::case::documents::RulingText {
            number: &row.number,
            paragraphs,
        },
        &actor,
    )
    .await?;
    let document_id = match &issued {
        zhixing_domain::case::CaseEvent::DocumentIssued { document_id, .. } => Some(*document_id),
        _ => None,
    };
    let on_case = if by.court_id == case.court_id {
        svc::Actor::User(by, Action::HandleCases)
    } else {
        // A higher court's ruling (reconsideration, supervision) enters the case below as the
        // platform's act; the ruling's event names who decided.
        svc::Actor::System("system:review")
    };
    svc::change_in_tx(&mut tx, app, on_case, row.case_id, None, |_, _| {
        Ok(vec![issued.clone()])
    })
    .await?;

    let moved = tx
        .change_review(
            id,
            &row.status,
            &ReviewChange {
                status: Some(ReviewStatus::Ruled.as_str()),
                outcome: Some(outcome.as_str()),
                ruling: Some(&reasons),
                ruled_on: Some(&today.to_string()),
                ruling_document_id: document_id,
                ..ReviewChange::default()
            },
            now_us,
        )
        .await?;
    if !moved {
        return Err(moved_meanwhile(id));
    }
    tx.clear_alerts(&format!("review:{id}"), &[OVERDUE_ALERT], now_us)
        .await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor,
            court_id: Some(court.id.clone()),
            kind: "review.ruled".into(),
            subject: format!("case:{}", row.case_id),
            payload: json!({
                "review": id, "number": row.number, "outcome": outcome.as_str(),
                "reasons": reasons, "ruled_on": today.to_string(), "document": document_id,
            }),
        }],
    )
    .await?;
    // The act revoked by an objection (or by a reconsideration that revokes the ruling below)
    // is undone here, in the ruling's transaction.
    let revokes = match (kind, outcome) {
        (ReviewKind::ActObjection, Outcome::Revoked) => Some(challenged.clone()),
        (ReviewKind::Reconsideration, Outcome::Revoked) => match &challenged {
            Challenged::Ruling { review_id } => {
                let below = app.store.review(*review_id).await?;
                below.map(|b| challenged_of(&b)).transpose()?
            }
            _ => None,
        },
        _ => None,
    };
    if let Some(act) = revokes {
        revoke_act(app, &mut tx, by, &row, &act).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The body of the ruling: what was filed, the grounds, the court's reasons, what it rules,
/// and the remedy with its period from the rule book.
#[allow(clippy::too_many_arguments)]
async fn ruling_paragraphs(
    app: &App,
    row: &ReviewRow,
    kind: ReviewKind,
    challenged: &Challenged,
    outcome: Outcome,
    reasons: &str,
    case: &zhixing_store::cases::CaseRow,
    case_court: &CourtRow,
) -> Result<Vec<String>, AppError> {
    let what = match challenged {
        Challenged::Measure { id } => format!("控制措施（第{id}号）"),
        Challenged::Listing { no } => format!("将被执行人纳入失信被执行人名单（第{no}号）的决定"),
        Challenged::Distribution => "案款分配".to_owned(),
        Challenged::Valuation { id } => format!("确定财产处置参考价（第{id}号）"),
        Challenged::Auction { id } => format!("司法拍卖（第{id}号）"),
        Challenged::Property { asset_id } => format!("执行标的（财产第{asset_id}号）"),
        Challenged::Ruling { review_id } => match app.store.review(*review_id).await? {
            Some(r) => format!("{}执行裁定", r.number),
            None => "异议裁定".to_owned(),
        },
        Challenged::Case => "执行工作".to_owned(),
    };
    let mut out = vec![
        format!(
            "{}在{}执行{}一案中，对{}{}提出{}，本院于{}立案审查。",
            row.applicant,
            case_court.name,
            case.number,
            if matches!(kind, ReviewKind::OutsiderObjection) {
                ""
            } else {
                "本案"
            },
            what,
            if kind == ReviewKind::Supervision {
                "执行监督"
            } else {
                kind.name_zh()
            },
            row.received_on
        ),
        format!("{}称：{}", row.applicant, row.grounds),
        format!("本院认为：{reasons}"),
        format!(
            "裁定如下：{}",
            match outcome {
                Outcome::Dismissed => format!(
                    "驳回{}的{}。",
                    row.applicant,
                    match kind {
                        ReviewKind::Reconsideration => "复议申请",
                        ReviewKind::Supervision => "申诉请求",
                        _ => "异议请求",
                    }
                ),
                Outcome::Revoked => format!("撤销{what}。"),
                Outcome::Corrected => format!("变更（纠正）{what}。"),
                Outcome::PropertySuspended => format!("中止对{what}的执行。"),
                Outcome::OrderCorrection => format!("责令{}纠正{}。", case_court.name, what),
            }
        ),
    ];
    let rules = app.rules.current(&app.store).await?;
    let region = svc::region(case_court);
    let today = app.today();
    match kind {
        ReviewKind::ActObjection => {
            let r = rules
                .lookup("service.reconsideration_days", today, &region)
                .map_err(Refusal::from)?;
            out.push(format!(
                "如不服本裁定，可以自本裁定送达之日起{}日内，向上一级人民法院申请复议。",
                crate::case::documents::days_written(r.value)
            ));
        }
        ReviewKind::OutsiderObjection => {
            let r = rules
                .lookup("review.outsider_suit_days", today, &region)
                .map_err(Refusal::from)?;
            out.push(format!(
                "案外人、当事人对本裁定不服，认为原判决、裁定错误的，依照审判监督程序办理；与原判决、裁定无关的，可以自本裁定送达之日起{}日内向人民法院提起诉讼。",
                crate::case::documents::days_written(r.value)
            ));
        }
        ReviewKind::Reconsideration | ReviewKind::Supervision => {
            out.push("本裁定送达后即发生法律效力。".to_owned());
        }
    }
    Ok(out)
}

/// Undoes a revoked act through the path its own command takes: a measure is released (the
/// release order queued once — a measure already released or awaiting an answer is left as
/// it is), a listing is removed as corrected.
async fn revoke_act(
    app: &App,
    tx: &mut zhixing_store::Tx,
    by: &Principal,
    review: &ReviewRow,
    act: &Challenged,
) -> Result<(), AppError> {
    let reason = format!("依{}裁定撤销", review.number);
    match act {
        Challenged::Measure { id } => {
            let Some(m) = tx.measure_tx(*id).await? else {
                return Ok(());
            };
            let releasable =
                matches!(m.status.as_str(), "active" | "queued") && m.pending.is_none();
            if releasable && m.kind != "deduct" {
                let case = tx
                    .case_tx(review.case_id)
                    .await?
                    .or_internal("case of a review")?;
                crate::control::measures::release_for_closure(
                    app,
                    tx,
                    by,
                    &case.number,
                    &[m.id],
                    &reason,
                )
                .await?;
            }
        }
        Challenged::Listing { no } => {
            let no = u32::try_from(*no).or_internal("listing no")?;
            // A higher court's ruling (reconsideration) is carried out on the case below as
            // the platform's act, the ruling naming who decided.
            let actor = if by.court_id == review_case_court(app, review).await? {
                svc::Actor::User(by, Action::HandleCases)
            } else {
                svc::Actor::System("system:review")
            };
            let c = svc::change_in_tx(tx, app, actor, review.case_id, None, |s, ctx| {
                // Already removed (by another trigger): nothing left to undo.
                let listed = s
                    .credit
                    .listings
                    .iter()
                    .any(|l| l.no == no && l.removal.is_none());
                if !listed {
                    return Ok(vec![]);
                }
                zhixing_domain::credit::decide_removal(
                    s,
                    no,
                    RemovalTrigger::Corrected,
                    &reason,
                    None,
                    ctx,
                )
                .map(|e| vec![e])
            })
            .await?;
            if !c.decided.is_empty() {
                crate::credit::listings::project(tx, &c.row, &c.before, &c.decided, app.now_us())
                    .await?;
            }
        }
        // Valuations, auction steps and distributions are corrected by the officer through
        // their own forms, which the ruling now allows; nothing is undone automatically.
        _ => {}
    }
    Ok(())
}

async fn extend(
    app: &App,
    by: &Principal,
    id: i64,
    days: i64,
    reason: &str,
) -> Result<i64, AppError> {
    let reason = text(reason)?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let (row, court) = locked(app, &mut tx, by, id).await?;
    if !by.may(Action::ApproveExtension, &court.path) || by.court_id != court.id {
        return Err(AppError::forbidden(
            "the president (院长) of the examining court extends a reconsideration",
        ));
    }
    let status = status_of(&row)?;
    if status != ReviewStatus::Examining {
        return Err(Refusal::conflict("review_not_examining")
            .with("status", status.name_zh())
            .into());
    }
    let kind = kind_of(&row)?;
    let received: Date = row.received_on.parse().or_internal("received_on")?;
    let rules = app.rules.current(&app.store).await?;
    let region = svc::region(&court);
    let ctx = svc::rule_ctx(app, &rules, &region, app.today());
    let total = row.extended_days + days;
    if days <= 0 {
        return Err(Refusal::invalid("review_extension_invalid").into());
    }
    let due = rv::examination_due(kind, received, total, &ctx)?
        .or_internal("an extended review has a due day")?;
    let moved = tx
        .change_review(
            id,
            &row.status,
            &ReviewChange {
                due_on: Some(&due.to_string()),
                extended_days: Some(total),
                ..ReviewChange::default()
            },
            now_us,
        )
        .await?;
    if !moved {
        return Err(moved_meanwhile(id));
    }
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(court.id.clone()),
            kind: "review.extended".into(),
            subject: format!("case:{}", row.case_id),
            payload: json!({"review": id, "number": row.number, "days": days, "due_on": due.to_string(), "reason": reason}),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Records the applicant's security (`security`) or the court's order suspending the act.
async fn hold_change(
    app: &App,
    by: &Principal,
    id: i64,
    security: bool,
    note: &str,
) -> Result<i64, AppError> {
    let note = text(note)?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let (row, court) = locked(app, &mut tx, by, id).await?;
    // Security is given to the enforcing court; the suspension is the examining court's order
    // (for objections, the same court).
    let (_, case_court) = svc::readable(app, by, row.case_id).await?;
    let at = if security { &case_court } else { &court };
    if !by.may(Action::HandleCases, &at.path) || by.court_id != at.id {
        return Err(AppError::forbidden(if security {
            "the enforcing court records the applicant's security"
        } else {
            "the examining court orders the suspension"
        }));
    }
    rv::decide_hold_change(kind_of(&row)?, status_of(&row)?, security)?;
    let change = if security {
        ReviewChange {
            security_recorded: Some(true),
            ..ReviewChange::default()
        }
    } else {
        ReviewChange {
            suspension_ordered: Some(true),
            ..ReviewChange::default()
        }
    };
    let kind = if security {
        "review.security_recorded"
    } else {
        "review.suspension_ordered"
    };
    let event = Noted {
        by,
        court_id: &at.id,
        kind,
        note: &note,
    };
    commit_change(tx, &row, &change, event, now_us).await
}

async fn suit(
    app: &App,
    by: &Principal,
    id: i64,
    started: bool,
    note: &str,
) -> Result<i64, AppError> {
    let note = text(note)?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let (row, court) = locked(app, &mut tx, by, id).await?;
    let (_, case_court) = svc::readable(app, by, row.case_id).await?;
    if !by.may(Action::HandleCases, &case_court.path) || by.court_id != case_court.id {
        return Err(AppError::forbidden(
            "the enforcing court records a suit against the ruling",
        ));
    }
    let to = rv::decide_suit(kind_of(&row)?, status_of(&row)?, started)?;
    let change = ReviewChange {
        status: Some(to.as_str()),
        ..ReviewChange::default()
    };
    let kind = if started {
        "review.suit_started"
    } else {
        "review.suit_ended"
    };
    let event = Noted {
        by,
        court_id: &court.id,
        kind,
        note: &note,
    };
    commit_change(tx, &row, &change, event, now_us).await
}

/// A noted act on a review case, as its event records it.
struct Noted<'a> {
    by: &'a Principal,
    court_id: &'a str,
    kind: &'static str,
    note: &'a str,
}

/// The end of every noted act: the row moves from the status it was read in (else it moved
/// meanwhile), the event goes on the enforcement case's subject, and the transaction commits.
async fn commit_change(
    mut tx: zhixing_store::Tx,
    row: &ReviewRow,
    change: &ReviewChange<'_>,
    e: Noted<'_>,
    now_us: i64,
) -> Result<i64, AppError> {
    if !tx
        .change_review(row.id, &row.status, change, now_us)
        .await?
    {
        return Err(moved_meanwhile(row.id));
    }
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(e.by),
            court_id: Some(e.court_id.to_owned()),
            kind: e.kind.into(),
            subject: format!("case:{}", row.case_id),
            payload: json!({"review": row.id, "number": row.number, "note": e.note}),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

async fn review_case_court(app: &App, review: &ReviewRow) -> Result<String, AppError> {
    Ok(app
        .store
        .case(review.case_id)
        .await?
        .or_internal("case of a review")?
        .court_id)
}

fn pending_of(row: &ReviewRow) -> Result<PendingReview, AppError> {
    Ok(PendingReview {
        id: row.id,
        number: row.number.clone(),
        kind: kind_of(row)?,
        challenged: challenged_of(row)?,
        asset_id: row.asset_id,
        // A claim upheld suspends the property for good: security no longer lifts it.
        security_recorded: row.security_recorded
            && row.outcome.as_deref() != Some(Outcome::PropertySuspended.as_str()),
        suspension_ordered: row.suspension_ordered,
    })
}

/// Refuses disposing of `asset_id` (`how`) while a review holds it, naming the review; read in
/// the disposing transaction. A payout (`asset_id` none) is held by a claim on any asset whose
/// sale brought money into the account, and by an order suspending the distribution.
pub(crate) async fn check_disposal_in_tx(
    app: &App,
    tx: &mut zhixing_store::Tx,
    case_id: i64,
    asset_id: Option<i64>,
    how: Disposal,
) -> Result<(), AppError> {
    let rows = tx.holding_reviews(case_id).await?;
    if rows.is_empty() {
        return Ok(());
    }
    let pending = rows.iter().map(pending_of).collect::<Result<Vec<_>, _>>()?;
    match asset_id {
        Some(a) => rv::check_disposal(a, how, &pending)?,
        None => {
            let sold: Vec<i64> = app
                .store
                .auctions_of_case(case_id)
                .await?
                .iter()
                .filter(|a| matches!(a.status.as_str(), "sold" | "paid"))
                .map(|a| a.asset_id)
                .collect();
            for a in sold {
                rv::check_disposal(a, how, &pending)?;
            }
            // No asset is numbered 0: only a hold on the distribution itself applies.
            rv::check_disposal(0, how, &pending)?;
        }
    }
    Ok(())
}

fn holds(row: &ReviewRow) -> bool {
    match pending_of(row) {
        Ok(p) => match p.asset_id {
            Some(a) => rv::check_disposal(a, Disposal::Auction, &[p]).is_err(),
            None => rv::check_disposal(0, Disposal::Payout, &[p]).is_err(),
        },
        Err(_) => false,
    }
}

async fn view(app: &App, row: ReviewRow) -> Result<ReviewView, AppError> {
    let kind = kind_of(&row)?;
    let status = status_of(&row)?;
    let court = court(app, &row.court_id).await?;
    let case_number = app
        .store
        .case(row.case_id)
        .await?
        .map(|c| c.number)
        .unwrap_or_default();
    let outcome = row.outcome.as_deref().and_then(Outcome::parse);
    let holding = matches!(status, ReviewStatus::Examining | ReviewStatus::Suit)
        || outcome == Some(Outcome::PropertySuspended);
    let today = app.today().to_string();
    Ok(ReviewView {
        id: row.id,
        kind: kind.as_str().to_owned(),
        kind_zh: kind.name_zh().to_owned(),
        court_id: court.id.clone(),
        court_name: court.name.clone(),
        case_id: row.case_id,
        case_number,
        challenged: challenged_of(&row)?,
        asset_id: row.asset_id,
        overdue: status == ReviewStatus::Examining
            && row.due_on.as_deref().is_some_and(|d| d < today.as_str()),
        holds_disposal: holding && holds(&row),
        number: row.number,
        applicant: row.applicant,
        grounds: row.grounds,
        received_on: row.received_on,
        due_on: row.due_on,
        extended_days: row.extended_days,
        status: status.as_str().to_owned(),
        status_zh: status.name_zh().to_owned(),
        outcome: outcome.map(|o| o.as_str().to_owned()),
        outcome_zh: outcome.map(|o| o.name_zh().to_owned()),
        ruling: row.ruling,
        ruled_on: row.ruled_on,
        security_recorded: row.security_recorded,
        suspension_ordered: row.suspension_ordered,
        filed_by: row.filed_by,
    })
}

/// One review case, for whoever may read its court's or its enforcement case's records.
pub async fn show(app: &App, by: &Principal, id: i64) -> Result<ReviewView, AppError> {
    let row = app.store.review(id).await?.ok_or_else(|| not_found(id))?;
    let court = court(app, &row.court_id).await?;
    if !by.may(Action::ReadCaseData, &court.path)
        && svc::readable(app, by, row.case_id).await.is_err()
    {
        return Err(not_found(id));
    }
    view(app, row).await
}

/// The review cases of an enforcement case the caller may read.
pub async fn of_case(app: &App, by: &Principal, case_id: i64) -> Result<Vec<ReviewView>, AppError> {
    svc::readable(app, by, case_id).await?;
    let mut out = Vec::new();
    for row in app.store.reviews_of_case(case_id).await? {
        out.push(view(app, row).await?);
    }
    Ok(out)
}

/// The watch worker's step: a review case still examined past its last day raises an alert at
/// its court (once: the alert is unique per review); a review ruled since, or extended past
/// today, clears it. Returns how many alerts it raised.
pub async fn flag_overdue(app: &App) -> Result<usize, AppError> {
    let today = app.today();
    let now_us = app.now_us();
    let late = app.store.reviews_overdue(&today.to_string()).await?;
    let still: HashSet<String> = late.iter().map(|r| format!("review:{}", r.id)).collect();
    let mut tx = app.store.begin().await?;
    let mut raised = 0;
    let mut events = Vec::new();
    for r in &late {
        let kind = ReviewKind::parse(&r.kind).map_or("执行审查", ReviewKind::name_zh);
        let due = r.due_on.as_deref().unwrap_or("");
        let new = tx
            .raise_alert(
                &r.court_id,
                Some(r.case_id),
                OVERDUE_ALERT,
                &format!("review:{}", r.id),
                &format!("{kind}案件 {} 应于 {due} 前审查完毕，已逾期", r.number),
                &crate::command_centre::alerts::words(
                    "alert_review_overdue",
                    &[
                        ("review", r.kind.clone()),
                        ("number", r.number.clone()),
                        ("due", due.to_owned()),
                    ],
                ),
                r.due_on.as_deref(),
                now_us,
            )
            .await?;
        if new {
            raised += 1;
            events.push(NewEvent {
                actor: "system:watch".into(),
                court_id: Some(r.court_id.clone()),
                kind: "alert.review_overdue".into(),
                subject: format!("case:{}", r.case_id),
                payload: json!({"review": r.id, "number": r.number, "due_on": r.due_on}),
            });
        }
    }
    for a in app.store.open_alerts_of_kind(OVERDUE_ALERT).await? {
        if !still.contains(&a.subject) {
            tx.clear_alerts(&a.subject, &[OVERDUE_ALERT], now_us)
                .await?;
        }
    }
    tx.append_events(now_us, &events).await?;
    tx.commit().await?;
    Ok(raised)
}

/// The review cases of a court and below, as the command centre shows them: how many were
/// filed, ruled, ruled within their limit (examined within the limit: their own indicator,
/// apart from the closure rates of enforcement cases), still examined, and overdue.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReviewIndicators {
    pub filed: i64,
    pub ruled: i64,
    pub examining: i64,
    pub overdue: i64,
    /// Ruled within the limit, of those ruled that had one (none ruled yet: none).
    pub in_time_rate_percent: Option<f64>,
}

pub async fn indicators(
    app: &App,
    by: &Principal,
    court_id: &str,
) -> Result<ReviewIndicators, AppError> {
    let c =
        app.store.court(court_id).await?.ok_or_else(|| {
            AppError::not_found("court_not_found", format!("no court {court_id:?}"))
        })?;
    if !by.may(Action::Command, &c.path) && !by.may(Action::ReadCaseData, &c.path) {
        return Err(AppError::not_found(
            "court_not_found",
            format!("no court {court_id:?}"),
        ));
    }
    let n = app
        .store
        .review_counts(&c.path, &app.today().to_string())
        .await?;
    Ok(ReviewIndicators {
        filed: n.filed,
        ruled: n.ruled,
        examining: n.examining,
        overdue: n.overdue,
        #[allow(clippy::cast_precision_loss)]
        in_time_rate_percent: (n.ruled_limited > 0)
            .then(|| (n.ruled_in_time as f64 * 1000.0 / n.ruled_limited as f64).round() / 10.0),
    })
}
