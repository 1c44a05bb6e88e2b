//! Credit discipline (信用惩戒, DOMAIN §7): listing on the dishonest-debtor list, its
//! extension, removal and correction, and consumption restriction orders. Each command is a
//! case change (one transaction: the case events, their documents and the published rows in
//! `credit_listings` / `restriction_orders`); the watch worker expires listings and proposes
//! removals and lifts by alerts.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::case::{CaseEvent, CaseState};
use zhixing_domain::credit::{
    self, CreditState, Ground, ListingFacts, ListingRequest, RemovalTrigger,
};
use zhixing_domain::identity::IdNumber;
use zhixing_domain::money::Fen;
use zhixing_domain::refusal::Refusal;
use zhixing_store::cases::CaseRow;
use zhixing_store::credit::{NewListing, NewOrder, PartyRef};

use crate::case::{self as svc};
use crate::error::{AppError, OrInternal};
use crate::state::App;

/// What a credit command answers.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CreditChanged {
    /// The case's new version.
    pub version: i64,
    /// The listing, order, correction request or warning created, when the command creates one.
    pub no: Option<u32>,
    /// The restriction order made together with a listing, if none was in force.
    pub order_no: Option<u32>,
}

/// A case's listings, orders and correction requests (the case state's credit part).
#[derive(Debug, Serialize, JsonSchema)]
pub struct CreditView {
    #[schemars(with = "serde_json::Value")]
    pub credit: CreditState,
}

/// The grounds of art. 1 named by their numbers (1–6).
pub fn grounds(nos: &[u8]) -> Result<Vec<Ground>, AppError> {
    nos.iter()
        .map(|n| {
            Ground::from_no(*n).ok_or_else(|| {
                AppError::from(Refusal::invalid("invalid_ground").with("ground", i64::from(*n)))
            })
        })
        .collect()
}

/// A removal trigger by its name (`performed`, `early_decision`, …).
pub fn trigger(s: &str) -> Result<RemovalTrigger, AppError> {
    RemovalTrigger::parse(s.trim()).ok_or_else(|| {
        AppError::from(Refusal::invalid("invalid_trigger").with("trigger", s.trim()))
    })
}

/// A change to a case's credit record (信用惩戒), as the officer asks for it from a form or a
/// JSON body. Executed by [`execute`].
#[derive(Debug, Clone)]
pub enum CreditCommand {
    /// Lists a respondent on the dishonest-debtor list (with a restriction order if none is in
    /// force).
    List(ListingRequest),
    /// Extends listing `no` (grounds 2–6) by `years`.
    Extend { no: u32, years: i64, reason: String },
    /// Removes listing `no` on a statutory trigger or by early decision.
    Remove {
        no: u32,
        trigger: RemovalTrigger,
        reason: String,
        /// The day of the trigger; today if none.
        trigger_on: Option<Date>,
    },
    /// Records a listed person's request to correct listing `listing_no`.
    RequestCorrection { listing_no: u32, reason: String },
    /// Decides correction request `no`: accepted (removal, or amendment with new facts) or
    /// rejected.
    DecideCorrection {
        no: u32,
        accepted: bool,
        reason: String,
        amended_facts: Option<String>,
    },
    /// Orders a consumption restriction on respondent `party_no`.
    Order {
        party_no: u32,
        bound_persons: Vec<String>,
        reason: String,
    },
    /// Lifts restriction order `no`.
    Lift { no: u32, reason: String },
    /// Warns respondent `party_no` before listing (信用惩戒预警): not listed for `grace_days`.
    Warn {
        party_no: u32,
        grace_days: i64,
        note: String,
    },
}

/// Writes the published rows the credit events call for, and clears the proposals they
/// settle. `before` is the state before the events (its parties do not change).
pub(crate) async fn project(
    tx: &mut zhixing_store::Tx,
    row: &CaseRow,
    before: &CaseState,
    events: &[CaseEvent],
    now_us: i64,
) -> Result<(), AppError> {
    for e in events {
        match e {
            CaseEvent::DishonestListed {
                no,
                party_no,
                grounds,
                facts,
                on,
                ends_on,
            } => {
                let (p, index) = party_of(tx, row, before, *party_no).await?;
                let nos: Vec<u8> = grounds.iter().map(|g| g.no()).collect();
                let duty = if before.duties.trim().is_empty() {
                    format!("支付 {}", before.total_due())
                } else {
                    format!("支付 {}；{}", before.total_due(), before.duties)
                };
                tx.insert_listing(&NewListing {
                    party: PartyRef {
                        case_id: row.id,
                        court_id: &row.court_id,
                        party_no: i64::from(*party_no),
                        name: &p.name,
                        party_kind: &p.kind,
                        legal_rep: p.legal_representative.as_deref(),
                        id_index: &index,
                        case_number: &row.number,
                    },
                    no: i64::from(*no),
                    basis: &format!(
                        "{} {}",
                        before.basis.issuing_body, before.basis.document_number
                    ),
                    duty: &duty,
                    total_due_fen: before.total_due().get(),
                    grounds: &serde_json::to_string(&nos)
                        .or_internal("serde_json::to_string(nos)")?,
                    conduct: facts,
                    listed_on: &on.to_string(),
                    ends_on: ends_on.map(|d| d.to_string()).as_deref(),
                    at_us: now_us,
                })
                .await?;
            }
            CaseEvent::DishonestExtended { no, ends_on, .. } => {
                tx.extend_listing(row.id, i64::from(*no), &ends_on.to_string(), now_us)
                    .await?;
            }
            CaseEvent::DishonestAmended { no, facts, .. } => {
                tx.amend_listing(row.id, i64::from(*no), facts, now_us)
                    .await?;
            }
            CaseEvent::DishonestRemoved {
                no,
                trigger,
                reason,
                on,
                ..
            } => {
                tx.remove_listing(
                    row.id,
                    i64::from(*no),
                    trigger.as_str(),
                    reason,
                    &on.to_string(),
                    now_us,
                )
                .await?;
                tx.clear_alerts(
                    &listing_subject(row.id, *no),
                    &["dishonest_removal_due"],
                    now_us,
                )
                .await?;
            }
            CaseEvent::RestrictionOrdered {
                no,
                party_no,
                bound_persons,
                kinds,
                reason,
                on,
                listing_no,
            } => {
                let (p, index) = party_of(tx, row, before, *party_no).await?;
                tx.insert_order(&NewOrder {
                    party: PartyRef {
                        case_id: row.id,
                        court_id: &row.court_id,
                        party_no: i64::from(*party_no),
                        name: &p.name,
                        party_kind: &p.kind,
                        legal_rep: p.legal_representative.as_deref(),
                        id_index: &index,
                        case_number: &row.number,
                    },
                    no: i64::from(*no),
                    bound_persons: &serde_json::to_string(bound_persons)
                        .or_internal("serde_json::to_string(bound_persons)")?,
                    kinds: &serde_json::to_string(kinds)
                        .or_internal("serde_json::to_string(kinds)")?,
                    reason,
                    listing_no: listing_no.map(i64::from),
                    ordered_on: &on.to_string(),
                    at_us: now_us,
                })
                .await?;
            }
            CaseEvent::RestrictionLifted { no, reason, on } => {
                tx.lift_order(row.id, i64::from(*no), reason, &on.to_string(), now_us)
                    .await?;
                tx.clear_alerts(
                    &order_subject(row.id, *no),
                    &["restriction_lift_due"],
                    now_us,
                )
                .await?;
            }
            _ => {}
        }
    }
    Ok(())
}

async fn party_of(
    tx: &mut zhixing_store::Tx,
    row: &CaseRow,
    state: &CaseState,
    no: u32,
) -> Result<(zhixing_domain::case::PartyRecord, String), AppError> {
    let p = state
        .parties
        .iter()
        .find(|p| p.no == no)
        .cloned()
        .or_internal("iter().find(|p| p.no == no).cloned()")?;
    let index = tx
        .party_index(row.id, i64::from(no))
        .await?
        .or_internal("party_index(row.id, i64::from(no))")?;
    Ok((p, index))
}

pub fn listing_subject(case_id: i64, no: u32) -> String {
    format!("listing:{case_id}/{no}")
}

pub fn order_subject(case_id: i64, no: u32) -> String {
    format!("restriction:{case_id}/{no}")
}

/// Runs a credit command as a case change, projecting its events in the same transaction.
async fn run<F>(
    app: &App,
    by: &Principal,
    case_id: i64,
    version: Option<i64>,
    decide: F,
) -> Result<(i64, Vec<CaseEvent>), AppError>
where
    F: FnOnce(
        &CaseState,
        &zhixing_domain::case::Ctx<'_>,
    ) -> Result<Vec<CaseEvent>, zhixing_domain::case::Refusal>,
{
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let c = svc::change_in_tx(
        &mut tx,
        app,
        svc::Actor::User(by, Action::HandleCases),
        case_id,
        version,
        decide,
    )
    .await?;
    project(&mut tx, &c.row, &c.before, &c.decided, now_us).await?;
    tx.commit().await?;
    Ok((c.version, c.decided))
}

/// What the domain cannot see itself when it decides a listing: the respondent's age, from
/// the ID number (opened here, never shown or stored again), and the property under control,
/// from the case's active measures.
async fn listing_facts(
    app: &App,
    by: &Principal,
    case_id: i64,
    party_no: u32,
) -> Result<ListingFacts, AppError> {
    let (row, _) = svc::may_act(app, by, case_id, Action::HandleCases).await?;
    let state = svc::state_of(&row)?;
    let birth_date = match state.parties.iter().find(|p| p.no == party_no) {
        Some(p) if p.kind == "person" => {
            let sealed = app
                .store
                .party_cipher(case_id, i64::from(party_no))
                .await?
                .or_internal("party_cipher(case_id, party_no)")?;
            let plain = app.cipher.open(&sealed)?;
            IdNumber::parse(&plain)
                .ok()
                .and_then(|id| id.birth_date().ok())
        }
        _ => None,
    };
    let controlled = Fen::new(app.store.held_by_active_measures(case_id).await?)
        .or_internal("Fen::new(held_by_active_measures(case_id))")?;
    Ok(ListingFacts {
        birth_date,
        controlled,
    })
}

/// Carries out a credit command on case `case_id` as one case change: the domain decides, the
/// events, their documents and the published rows are written in one transaction.
pub async fn execute(
    app: &App,
    by: &Principal,
    case_id: i64,
    version: Option<i64>,
    cmd: CreditCommand,
) -> Result<CreditChanged, AppError> {
    let facts = match &cmd {
        CreditCommand::List(req) => Some(listing_facts(app, by, case_id, req.party_no).await?),
        _ => None,
    };
    let (version, events) = run(app, by, case_id, version, |s, ctx| match &cmd {
        CreditCommand::List(req) => {
            let facts = facts.unwrap_or(ListingFacts {
                birth_date: None,
                controlled: Fen::ZERO,
            });
            credit::decide_listing(s, req, facts, ctx)
        }
        CreditCommand::Extend { no, years, reason } => {
            credit::decide_extension(s, *no, *years, reason, ctx).map(|e| vec![e])
        }
        CreditCommand::Remove {
            no,
            trigger,
            reason,
            trigger_on,
        } => credit::decide_removal(s, *no, *trigger, reason, *trigger_on, ctx).map(|e| vec![e]),
        CreditCommand::RequestCorrection { listing_no, reason } => {
            credit::decide_correction_request(s, *listing_no, reason, ctx).map(|e| vec![e])
        }
        CreditCommand::DecideCorrection {
            no,
            accepted,
            reason,
            amended_facts,
        } => credit::decide_correction(s, *no, *accepted, reason, amended_facts.as_deref(), ctx),
        CreditCommand::Order {
            party_no,
            bound_persons,
            reason,
        } => credit::decide_restriction(s, *party_no, bound_persons, reason, ctx.today)
            .map(|e| vec![e]),
        CreditCommand::Lift { no, reason } => {
            credit::decide_lift(s, *no, reason, ctx.today).map(|e| vec![e])
        }
        CreditCommand::Warn {
            party_no,
            grace_days,
            note,
        } => credit::decide_warning(s, *party_no, *grace_days, note, ctx).map(|e| vec![e]),
    })
    .await?;
    let mut out = CreditChanged {
        version,
        no: None,
        order_no: None,
    };
    let listing = matches!(cmd, CreditCommand::List(_));
    for e in &events {
        match e {
            CaseEvent::DishonestListed { no, .. } => out.no = Some(*no),
            CaseEvent::RestrictionOrdered { no, .. } if listing => out.order_no = Some(*no),
            CaseEvent::RestrictionOrdered { no, .. }
            | CaseEvent::CorrectionRequested { no, .. }
            | CaseEvent::CreditWarningIssued { no, .. } => {
                out.no = Some(*no);
            }
            _ => {}
        }
    }
    Ok(out)
}

/// A case's credit record, for whoever may read the case.
pub async fn of_case(app: &App, by: &Principal, case_id: i64) -> Result<CreditView, AppError> {
    let (row, _) = svc::readable(app, by, case_id).await?;
    Ok(CreditView {
        credit: svc::state_of(&row)?.credit,
    })
}

/// The watch worker's credit step: listings past their period expire (a case event and its
/// document); listings whose case shows a removal trigger, and orders on debtors who have
/// performed and are no longer listed, raise alerts proposing the removal or lift — the
/// officer decides. Proposals that no longer hold are cleared. Returns (expired, raised).
pub async fn sweep(app: &App, changed_since: Option<i64>) -> Result<(usize, usize), AppError> {
    let today = app.today();
    let now_us = app.now_us();
    let mut expired = 0;
    for l in app.store.listings_ending_before(&today.to_string()).await? {
        let no = u32::try_from(l.no).unwrap_or(u32::MAX);
        let r = async {
            let mut tx = app.store.begin().await?;
            let c = svc::change_in_tx(
                &mut tx,
                app,
                svc::Actor::System("system:watch"),
                l.case_id,
                None,
                |s, ctx| {
                    // Another process may have expired or removed it meanwhile: nothing to do.
                    match credit::decide_expiry(s, no, ctx) {
                        Ok(e) => Ok(vec![e]),
                        Err(_) => Ok(vec![]),
                    }
                },
            )
            .await?;
            if !c.decided.is_empty() {
                project(&mut tx, &c.row, &c.before, &c.decided, now_us).await?;
                tx.commit().await?;
            }
            Ok::<_, AppError>(c.decided)
        }
        .await;
        match r {
            Ok(es) if !es.is_empty() => expired += 1,
            Ok(_) => {}
            Err(e) => tracing::warn!(case = l.case_id, error = %e, "listing not expired"),
        }
    }

    let mut raised = 0;
    let rules = app.rules.current(&app.store).await?;
    let calendar = app.calendar.current(&app.store).await?;
    let mut proposed: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut states: std::collections::HashMap<i64, (CaseState, String)> =
        std::collections::HashMap::new();
    let mut listings = app.store.removal_candidates(changed_since).await?;
    let mut orders = app.store.lift_candidates(changed_since).await?;
    // Cases with an open proposal are always re-read, so that a proposal the case no longer
    // calls for is withdrawn even if the case changed before `changed_since`.
    let mut open = Vec::new();
    for kind in ["dishonest_removal_due", "restriction_lift_due"] {
        open.extend(app.store.open_alerts_of_kind(kind).await?);
    }
    let mut reread: Vec<i64> = open.iter().filter_map(|a| a.case_id).collect();
    reread.sort_unstable();
    reread.dedup();
    for case_id in reread {
        for l in app.store.listings_of(case_id).await? {
            if l.status == "listed" && !listings.iter().any(|x| x.id == l.id) {
                listings.push(l);
            }
        }
        for o in app.store.orders_of(case_id).await? {
            if o.status == "in_force" && !orders.iter().any(|x| x.id == o.id) {
                orders.push(o);
            }
        }
    }
    let mut tx = app.store.begin().await?;
    let mut events = Vec::new();
    for (case_id, court_id) in listings
        .iter()
        .map(|l| (l.case_id, &l.court_id))
        .chain(orders.iter().map(|o| (o.case_id, &o.court_id)))
    {
        if states.contains_key(&case_id) {
            continue;
        }
        let Some(row) = app.store.case(case_id).await? else {
            continue;
        };
        let court = app
            .store
            .court(court_id)
            .await?
            .or_internal("court(court_id)")?;
        states.insert(case_id, (svc::state_of(&row)?, svc::region(&court)));
    }
    for l in &listings {
        let Some((state, region)) = states.get(&l.case_id) else {
            continue;
        };
        let Some(trigger) = credit::trigger_shown(state) else {
            continue;
        };
        let no = u32::try_from(l.no).unwrap_or(u32::MAX);
        let ctx = zhixing_domain::case::Ctx {
            rules: &rules,
            calendar,
            region,
            today,
        };
        let due = credit::removal_due(today, &ctx).map_err(svc::refused)?;
        let subject = listing_subject(l.case_id, no);
        proposed.insert(subject.clone());
        if tx
            .raise_alert(
                &l.court_id,
                Some(l.case_id),
                "dishonest_removal_due",
                &subject,
                &format!(
                    "{}（失信名单 {}）：{}，应于 {due} 前删除失信信息",
                    l.name,
                    l.no,
                    trigger.name_zh()
                ),
                &crate::command_centre::alerts::words(
                    "alert_dishonest_removal_due",
                    &[
                        ("name", l.name.clone()),
                        ("no", l.no.to_string()),
                        ("trigger", trigger.as_str().to_owned()),
                        ("due", due.to_string()),
                    ],
                ),
                Some(&due.to_string()),
                now_us,
            )
            .await?
        {
            raised += 1;
            events.push(zhixing_store::NewEvent {
                actor: "system:watch".into(),
                court_id: Some(l.court_id.clone()),
                kind: "alert.dishonest_removal_due".into(),
                subject: format!("case:{}", l.case_id),
                payload: serde_json::json!({"listing": l.no, "trigger": trigger.as_str(), "due": due}),
            });
        }
    }
    for o in &orders {
        let Some((state, _)) = states.get(&o.case_id) else {
            continue;
        };
        let no = u32::try_from(o.no).unwrap_or(u32::MAX);
        let still_listed = state.credit.listings.iter().any(|l| {
            i64::from(l.party_no) == o.party_no
                && l.status == zhixing_domain::credit::ListingStatus::Listed
        });
        if state.unpaid() != Fen::ZERO || still_listed {
            continue;
        }
        let subject = order_subject(o.case_id, no);
        proposed.insert(subject.clone());
        if tx
            .raise_alert(
                &o.court_id,
                Some(o.case_id),
                "restriction_lift_due",
                &subject,
                &format!(
                    "{}（限制消费令 {}）：已履行完毕，应解除限制消费令",
                    o.name, o.no
                ),
                &crate::command_centre::alerts::words(
                    "alert_restriction_lift_due",
                    &[("name", o.name.clone()), ("no", o.no.to_string())],
                ),
                None,
                now_us,
            )
            .await?
        {
            raised += 1;
            events.push(zhixing_store::NewEvent {
                actor: "system:watch".into(),
                court_id: Some(o.court_id.clone()),
                kind: "alert.restriction_lift_due".into(),
                subject: format!("case:{}", o.case_id),
                payload: serde_json::json!({"order": o.no}),
            });
        }
    }
    for a in &open {
        if !proposed.contains(&a.subject) {
            tx.clear_alerts(&a.subject, &[a.kind.as_str()], now_us)
                .await?;
        }
    }
    tx.append_events(now_us, &events).await?;
    tx.commit().await?;
    Ok((expired, raised))
}

/// A page of a court's dishonest listings, as asked (the staff list 失信名单).
#[derive(Debug, Default)]
pub struct ListingList {
    /// A court the caller may read; default the caller's own.
    pub court: Option<String>,
    /// `self` or `subtree` (default).
    pub scope: Option<String>,
    /// `listed` (in force) or `removed`; none for both.
    pub status: Option<String>,
    /// Part of the respondent's name.
    pub name: Option<String>,
    /// At most this many (1–500, default 100).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One page of listings, newest first.
#[derive(Debug)]
pub struct ListingPage {
    /// The court read.
    pub court_id: String,
    /// The scope applied: `self` or `subtree`.
    pub scope: String,
    pub items: Vec<zhixing_store::lists::ListingItem>,
    pub next_cursor: Option<String>,
}

/// The dishonest listings of a court and, for those who read below it, of the courts below:
/// the same reach as the alert list (`Action::ReadCaseData` on the court; a court out of reach
/// is not found). Identifiers come as the case records them; the caller masks them.
pub async fn listing_page(
    app: &App,
    by: &Principal,
    q: &ListingList,
) -> Result<ListingPage, AppError> {
    use crate::command_centre::query as cq;
    if let Some(s) = q.status.as_deref()
        && !["listed", "removed"].contains(&s)
    {
        return Err(AppError::bad_request(
            "invalid_status",
            "status is `listed` or `removed`",
        ));
    }
    let limit = cq::list_limit(q.limit)?;
    let before_id = cq::list_cursor(q.cursor.as_deref())?;
    let (court, subtree) = cq::list_scope(app, by, q.court.as_deref(), q.scope.as_deref()).await?;
    let mut items = app
        .store
        .listing_page(&zhixing_store::lists::ListingQuery {
            court_id: &court.id,
            subtree: subtree.then_some(court.path.as_str()),
            status: q.status.as_deref(),
            name: q.name.as_deref(),
            before_id,
            limit: limit + 1,
        })
        .await?;
    let more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = if more {
        items.last().map(|l| cq::next_cursor(l.id))
    } else {
        None
    };
    Ok(ListingPage {
        court_id: court.id,
        scope: if subtree { "subtree" } else { "self" }.into(),
        items,
        next_cursor,
    })
}
