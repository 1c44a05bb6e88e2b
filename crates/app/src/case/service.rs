//! Service of documents (送达, DOMAIN §4c) as commands: the officer records how a document
//! reached a recipient, with its proof file, or that an attempt failed; a document goes to the
//! portal inbox of a party who consented to electronic service — when it is issued, or when the
//! officer sends it — and a notice of it goes out through the outbox. The domain decides
//! (`zhixing_domain::service`); every service is a case event, written through
//! [`super::change_in_tx`] with its proof in the same transaction.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::case::{CaseEvent, CaseState, Ctx};
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};
use zhixing_domain::service::{
    self, FailureReason, Period, Proof, ServiceInput, ServiceMethod, ServiceRecord,
};
use zhixing_store::courts::CourtRow;
use zhixing_store::service::{NewNotice, NewProof};

use super::{Actor, change_in_tx};
use crate::control::field::{self, Upload};
use crate::error::{AppError, OrInternal};
use crate::state::App;

/// The actor that serves a document on issue, to a party who consented.
pub const SYSTEM_SERVICE: &str = "system:service";

/// A change to the service of a case's documents, as the officer asked for it.
#[derive(Debug)]
pub enum ServiceCommand {
    /// Records that `document_id` was served on `party_no` by `method` (on the day `on` the
    /// proof shows; for an announcement the day it was published), with the proof file;
    /// electronic service sends it to the party's portal inbox now and needs no file.
    Serve {
        document_id: i64,
        party_no: u32,
        method: ServiceMethod,
        on: Option<Date>,
        note: String,
        proof: Option<Upload>,
    },
    /// Records an attempt that did not reach the recipient (what opens announcement).
    RecordFailure {
        document_id: i64,
        party_no: u32,
        method: ServiceMethod,
        reason: FailureReason,
        note: String,
    },
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("name", &self.name)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// A method named in a form or a body.
pub fn method(s: &str) -> Result<ServiceMethod, AppError> {
    ServiceMethod::parse(s.trim()).ok_or_else(|| {
        AppError::from(Refusal::of_reasons(
            "service_method_invalid",
            RefusalKind::Invalid,
            vec![Reason::new("service_method_unknown").with("value", s.trim())],
        ))
    })
}

/// A reason for a failed attempt named in a form or a body.
pub fn failure_reason(s: &str) -> Result<FailureReason, AppError> {
    FailureReason::parse(s.trim()).ok_or_else(|| {
        AppError::from(Refusal::of_reasons(
            "failure_reason_invalid",
            RefusalKind::Invalid,
            vec![Reason::new("failure_reason_unknown").with("value", s.trim())],
        ))
    })
}

/// What a service command answers.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ServiceDone {
    /// The case's new version.
    pub version: i64,
    /// The service recorded (none for a failed attempt).
    pub service_no: Option<u32>,
}

/// Carries out `cmd` on case `case_id` for `by`: the proof, the event and any notice to the
/// party in one transaction, or nothing.
pub async fn execute(
    app: &App,
    by: &Principal,
    case_id: i64,
    expected_version: Option<i64>,
    cmd: ServiceCommand,
) -> Result<ServiceDone, AppError> {
    // Who may record is settled before a proof is read or stored.
    let (_, court) = super::may_act(app, by, case_id, Action::HandleCases).await?;
    let actor_name = crate::actor_of(by);
    let mut tx = app.store.begin().await?;
    let changed = match cmd {
        ServiceCommand::Serve {
            document_id,
            party_no,
            method,
            on,
            note,
            proof,
        } => {
            let proof = match (method, proof) {
                // The system's receipt is the proof of electronic service: a file sent with
                // it is not one.
                (ServiceMethod::Electronic, _) | (_, None) => None,
                (_, Some(upload)) => {
                    Some(store_proof(&mut tx, app, case_id, &court, upload, &actor_name).await?)
                }
            };
            let input = ServiceInput {
                document_id,
                party_no,
                method,
                on,
                proof,
                note,
            };
            let actor = Actor::User(by, Action::HandleCases);
            change_in_tx(&mut tx, app, actor, case_id, expected_version, |s, c| {
                service::decide_service(s, &input, &by.username, c).map(|e| vec![e])
            })
            .await?
        }
        ServiceCommand::RecordFailure {
            document_id,
            party_no,
            method,
            reason,
            note,
        } => {
            let actor = Actor::User(by, Action::HandleCases);
            change_in_tx(&mut tx, app, actor, case_id, expected_version, |s, c| {
                let input = service::FailureInput {
                    document_id,
                    party_no,
                    method,
                    reason,
                    note: note.clone(),
                };
                service::decide_failure(s, &input, &by.username, c.today).map(|e| vec![e])
            })
            .await?
        }
    };
    let mut service_no = None;
    for e in &changed.decided {
        if let CaseEvent::DocumentServed { record } = e {
            service_no = Some(record.no);
            if record.method == ServiceMethod::Electronic {
                queue_notice(
                    &mut tx,
                    app,
                    case_id,
                    &changed.court,
                    &changed.row.number,
                    record,
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(ServiceDone {
        version: changed.version,
        service_no,
    })
}

/// Checks a proof file (PDF, JPEG, PNG or MP4 by its content, at most 10 MiB) and stores it in
/// the caller's transaction.
async fn store_proof(
    tx: &mut zhixing_store::Tx,
    app: &App,
    case_id: i64,
    court: &CourtRow,
    upload: Upload,
    by: &str,
) -> Result<Proof, AppError> {
    let checked = field::check(1, upload)?;
    let id = tx
        .insert_service_proof(&NewProof {
            case_id,
            court_id: &court.id,
            name: &checked.name,
            content_type: checked.kind.content_type(),
            sha256: &checked.sha256,
            content: &checked.bytes,
            at_us: app.now_us(),
            by,
        })
        .await?;
    Ok(Proof {
        file_id: Some(id),
        sha256: checked.sha256,
        name: checked.name,
    })
}

/// The documents just issued go to the portal inbox of each recipient who consented to
/// electronic service: served today, by the system, with a notice queued. Called by
/// [`change_in_tx`] with the state after the documents.
pub(crate) async fn serve_on_issue(
    tx: &mut zhixing_store::Tx,
    app: &App,
    case_id: i64,
    court: &CourtRow,
    state: &CaseState,
    issued: &[CaseEvent],
    ctx: &Ctx<'_>,
) -> Result<Vec<CaseEvent>, AppError> {
    if state
        .service
        .consents
        .iter()
        .all(|c| c.revoked_on.is_some())
    {
        return Ok(Vec::new());
    }
    let mut state = state.clone();
    let mut out = Vec::new();
    for e in issued {
        let CaseEvent::DocumentIssued { document_id, .. } = e else {
            continue;
        };
        let Some(doc) = state
            .documents
            .iter()
            .find(|d| d.document_id == *document_id)
            .cloned()
        else {
            continue;
        };
        for party_no in service::recipients(&doc, &state) {
            if state.service.consent(party_no).is_none() {
                continue;
            }
            let input = ServiceInput {
                document_id: *document_id,
                party_no,
                method: ServiceMethod::Electronic,
                on: None,
                proof: None,
                note: String::new(),
            };
            let served = service::decide_service(&state, &input, SYSTEM_SERVICE, ctx)
                .map_err(AppError::from)?;
            if let CaseEvent::DocumentServed { record } = &served {
                queue_notice(tx, app, case_id, court, &state.number, record).await?;
            }
            state.apply(&served);
            out.push(served);
        }
    }
    Ok(out)
}

/// Keeps the watch worker's list of unserved recipients in step with the events just recorded:
/// each recipient of a new document not served with it is due for service by the rule book's
/// lead time after issue; a service removes them.
pub(crate) async fn track_unserved(
    tx: &mut zhixing_store::Tx,
    case_id: i64,
    court: &CourtRow,
    state: &CaseState,
    recorded: &[CaseEvent],
    ctx: &Ctx<'_>,
    now_us: i64,
) -> Result<(), AppError> {
    for e in recorded {
        match e {
            CaseEvent::DocumentIssued {
                document_id,
                on: Some(issued),
                title,
                ..
            } => {
                let lead = match ctx.rules.lookup(
                    "service.unserved_alert_days",
                    *issued,
                    ctx.region,
                ) {
                    Ok(r) => r.value,
                    Err(e) => {
                        tracing::error!(error = %e, "no lead time for unserved documents: no alert");
                        continue;
                    }
                };
                let Ok(due) = issued.checked_add(jiff::Span::new().days(lead)) else {
                    continue;
                };
                let Some(doc) = state
                    .documents
                    .iter()
                    .find(|d| d.document_id == *document_id)
                else {
                    continue;
                };
                for party_no in service::recipients(doc, state) {
                    if state.service.served_on(*document_id, party_no).is_some() {
                        continue;
                    }
                    let name = state
                        .parties
                        .iter()
                        .find(|p| p.no == party_no)
                        .map(|p| p.name.clone())
                        .unwrap_or_default();
                    tx.insert_unserved(&zhixing_store::service::UnservedRow {
                        case_id,
                        document_id: *document_id,
                        party_no: i64::from(party_no),
                        court_id: court.id.clone(),
                        title: title.clone(),
                        party_name: name,
                        issued_on: issued.to_string(),
                        due_on: due.to_string(),
                    })
                    .await?;
                }
            }
            CaseEvent::DocumentServed { record } => {
                let party_no = i64::from(record.party_no);
                tx.remove_unserved(case_id, record.document_id, party_no)
                    .await?;
                // The service ends the alert in its own transaction.
                tx.clear_alerts(
                    &unserved_subject(record.document_id, party_no),
                    &[UNSERVED_ALERT],
                    now_us,
                )
                .await?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The command centre's alert on documents still unserved past the lead time (kind
/// `document_unserved`, one per document and recipient); a service clears it. Run by the watch
/// worker.
pub async fn alert_unserved(app: &App, today: Date, now_us: i64) -> Result<usize, AppError> {
    // In bounded batches, each its own transaction: the first pass over a large court reads
    // no more than a batch per statement, and later passes only the newly overdue.
    const BATCH: i64 = 500;
    let mut raised = 0;
    loop {
        let mut tx = app.store.begin().await?;
        let late = tx.unserved_to_alert(&today.to_string(), BATCH).await?;
        let mut events = Vec::new();
        for r in &late {
            let new = tx
                .raise_alert(
                    &r.court_id,
                    Some(r.case_id),
                    UNSERVED_ALERT,
                    &unserved_subject(r.document_id, r.party_no),
                    &format!(
                        "《{}》于 {} 制作，至 {} 仍未向 {} 送达：期间自送达起算，请及时送达",
                        r.title, r.issued_on, r.due_on, r.party_name
                    ),
                    &crate::command_centre::alerts::words(
                        "alert_document_unserved",
                        &[
                            ("document", r.title.clone()),
                            ("issued", r.issued_on.to_string()),
                            ("due", r.due_on.to_string()),
                            ("party", r.party_name.clone()),
                        ],
                    ),
                    Some(&r.due_on),
                    now_us,
                )
                .await?;
            tx.mark_unserved_alerted(r.case_id, r.document_id, r.party_no, now_us)
                .await?;
            if new {
                raised += 1;
                events.push(zhixing_store::NewEvent {
                    actor: "system:watch".into(),
                    court_id: Some(r.court_id.clone()),
                    kind: format!("alert.{UNSERVED_ALERT}"),
                    subject: format!("case:{}", r.case_id),
                    payload: serde_json::json!({"document": r.document_id, "party_no": r.party_no, "due": r.due_on}),
                });
            }
        }
        tx.append_events(now_us, &events).await?;
        tx.commit().await?;
        if i64::try_from(late.len()).unwrap_or(i64::MAX) < BATCH {
            return Ok(raised);
        }
    }
}

/// The subject of the unserved alert on one recipient of one document.
fn unserved_subject(document_id: i64, party_no: i64) -> String {
    format!("document:{document_id}:party:{party_no}")
}

/// The alert kind of a document unserved past the lead time.
pub const UNSERVED_ALERT: &str = "document_unserved";

/// Queues the notice of an electronic service where the party gave an address for it.
async fn queue_notice(
    tx: &mut zhixing_store::Tx,
    app: &App,
    case_id: i64,
    court: &CourtRow,
    number: &str,
    record: &ServiceRecord,
) -> Result<(), AppError> {
    let Some((channel, cipher)) = tx
        .service_contact_tx(case_id, i64::from(record.party_no))
        .await?
    else {
        return Ok(());
    };
    // The notice says only that a document waits and where: its content stays behind the
    // party's access code.
    let body = format!(
        "【{}】您在执行案件{number}中有一份法律文书已送达至当事人收件箱，请凭案号和本人查询码登录 /public/case 查看。",
        court.name
    );
    tx.insert_service_notice(&NewNotice {
        case_id,
        party_no: i64::from(record.party_no),
        document_id: record.document_id,
        channel: &channel,
        address_cipher: &cipher,
        body: &body,
        at_us: app.wall_us(),
    })
    .await?;
    Ok(())
}

/// One recipient of one document, as the officer's service list shows it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RecipientService {
    pub party_no: u32,
    pub name: String,
    /// `served`, `announced` (deemed served on `served_on`, which is still to come) or
    /// `unserved`.
    pub status: String,
    pub status_zh: String,
    /// direct, left_at_domicile, electronic, post, announcement
    pub method: Option<String>,
    pub method_zh: Option<String>,
    /// The day of service as the law counts it.
    pub served_on: Option<String>,
    /// For an announcement: the day it was published.
    pub announced_on: Option<String>,
    /// The proof: its name and SHA-256, and where to download the file if one was uploaded.
    pub proof_name: Option<String>,
    pub proof_sha256: Option<String>,
    pub proof_url: Option<String>,
    pub recorded_by: Option<String>,
    pub note: Option<String>,
    /// Attempts that failed, oldest first.
    pub failures: Vec<FailureView>,
    /// The day the party opened it in their inbox.
    pub opened_on: Option<String>,
    /// Whether the party's consent to electronic service is in force.
    pub electronic_consent: bool,
    /// The periods the document sets running on this party.
    pub periods: Vec<PeriodView>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct FailureView {
    pub on: String,
    pub method: String,
    pub method_zh: String,
    /// whereabouts_unknown or means_failed
    pub reason: String,
    pub reason_zh: String,
    pub note: String,
}

/// A period a served document sets running.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PeriodView {
    /// perform, report or reconsideration
    pub what: String,
    pub what_zh: String,
    pub days: i64,
    /// Not started while the document is unserved on the party.
    pub started: bool,
    pub from: Option<String>,
    pub until: Option<String>,
}

/// One document of the case with its service on each recipient.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DocumentService {
    pub document_id: i64,
    pub kind: String,
    pub title: String,
    pub sha256: String,
    pub issued_on: Option<String>,
    pub recipients: Vec<RecipientService>,
}

fn what_zh(what: &str) -> &'static str {
    match what {
        "perform" => "履行期间",
        "report" => "报告财产期间",
        "reconsideration" => "申请复议期间",
        _ => "期间",
    }
}

/// Every document of a case with its service per recipient and the periods it set running,
/// as of `ctx.today`.
pub fn services_of(state: &CaseState, ctx: &Ctx<'_>) -> Result<Vec<DocumentService>, AppError> {
    let name = |no: u32| {
        state
            .parties
            .iter()
            .find(|p| p.no == no)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let deliveries = service::deliveries(state, ctx.today);
    let mut out = Vec::new();
    for doc in &state.documents {
        let mut recipients = Vec::new();
        for d in deliveries
            .iter()
            .filter(|d| d.document_id == doc.document_id)
        {
            let s = d.service.as_ref();
            let periods = service::periods_of(state, doc, d.party_no, ctx)
                .map_err(AppError::from)?
                .into_iter()
                .map(|p| {
                    let (from, until) = match p.period {
                        Period::Runs { from, until } => {
                            (Some(from.to_string()), Some(until.to_string()))
                        }
                        Period::NotStarted { .. } => (None, None),
                    };
                    PeriodView {
                        what: p.what.into(),
                        what_zh: what_zh(p.what).into(),
                        days: p.days,
                        started: from.is_some(),
                        from,
                        until,
                    }
                })
                .collect();
            recipients.push(RecipientService {
                party_no: d.party_no,
                name: name(d.party_no),
                status: d.status.into(),
                status_zh: status_zh(d.status).into(),
                method: s.map(|s| s.method.as_str().into()),
                method_zh: s.map(|s| s.method.name_zh().into()),
                served_on: s.map(|s| s.served_on.to_string()),
                announced_on: s.and_then(|s| s.announced_on).map(|d| d.to_string()),
                proof_name: s.map(|s| s.proof.name.clone()),
                proof_sha256: s.map(|s| s.proof.sha256.clone()),
                proof_url: s
                    .and_then(|s| s.proof.file_id)
                    .map(|id| format!("/api/v1/service-proofs/{id}")),
                recorded_by: s.map(|s| s.by.clone()),
                note: s.map(|s| s.note.clone()).filter(|n| !n.is_empty()),
                failures: d
                    .failures
                    .iter()
                    .map(|f| FailureView {
                        on: f.on.to_string(),
                        method: f.method.as_str().into(),
                        method_zh: f.method.name_zh().into(),
                        reason: f.reason.as_str().into(),
                        reason_zh: f.reason.name_zh().into(),
                        note: f.note.clone(),
                    })
                    .collect(),
                opened_on: d.opened_on.map(|d| d.to_string()),
                electronic_consent: state.service.consent(d.party_no).is_some(),
                periods,
            });
        }
        out.push(DocumentService {
            document_id: doc.document_id,
            kind: doc.kind.clone(),
            title: doc.title.clone(),
            sha256: doc.sha256.clone(),
            issued_on: doc.issued_on.map(|d| d.to_string()),
            recipients,
        });
    }
    Ok(out)
}

/// The words for a delivery's status.
pub fn status_zh(status: &str) -> &'static str {
    match status {
        "served" => "已送达",
        "announced" => "公告送达中",
        _ => "未送达",
    }
}

/// A case's documents with their service, for `by` (who must be able to read the case).
pub async fn list(
    app: &App,
    by: &Principal,
    case_id: i64,
) -> Result<Vec<DocumentService>, AppError> {
    let (row, court) = super::readable(app, by, case_id).await?;
    let state = super::state_of(&row)?;
    let rules = app.rules.current(&app.store).await?;
    app.calendar.current(&app.store).await?;
    let region = super::region(&court);
    let ctx = super::rule_ctx(app, &rules, &region, app.today());
    services_of(&state, &ctx)
}

/// A proof of service as a download, for whoever may read its case (404 otherwise); the read
/// is on the audit chain.
pub async fn proof(
    app: &App,
    by: &Principal,
    id: i64,
) -> Result<(zhixing_store::service::ProofMeta, Vec<u8>), AppError> {
    let missing = || AppError::not_found("proof_not_found", format!("no proof of service {id}"));
    let meta = app.store.service_proof(id).await?.ok_or_else(missing)?;
    let (_, court) = super::readable(app, by, meta.case_id)
        .await
        .map_err(|e| if e.is_not_found() { missing() } else { e })?;
    let bytes = app
        .store
        .service_proof_content(id)
        .await?
        .or_internal("the bytes of a stored proof")?;
    crate::platform::audit::record_sensitive_read(
        app,
        by,
        &court.id,
        &format!("case:{}", meta.case_id),
        &[&format!("service_proof:{id}")],
    )
    .await?;
    Ok((meta, bytes))
}

/// After this many attempts a notice is marked failed.
const NOTICE_ATTEMPTS: i64 = 10;

/// Sends the notices due, at most `limit`; answers how many it tried.
pub async fn send_notices_once(app: &App, limit: i64) -> Result<usize, AppError> {
    let now = app.wall_us();
    let due = app.store.due_service_notices(now, limit).await?;
    for n in &due {
        let outcome = match app.cipher.open(&n.address_cipher) {
            Ok(address) => app.sender.send(&n.channel, &address, &n.body).await,
            Err(_) => Err("the sealed address does not open".to_owned()),
        };
        let retry = now + 60_000_000 * (1 << n.attempts.clamp(0, 6));
        app.store
            .finish_service_notice(
                n.id,
                outcome.as_ref().map(|_| ()).map_err(String::as_str),
                app.wall_us(),
                retry,
                NOTICE_ATTEMPTS,
            )
            .await?;
    }
    Ok(due.len())
}

/// The notice worker: sends what is due, then waits the outbox's poll interval.
pub async fn send_notices_forever(app: App) {
    loop {
        match send_notices_once(&app, 100).await {
            Ok(n) if n > 0 => tokio::task::yield_now().await,
            Ok(_) => tokio::time::sleep(app.config.outbox_poll).await,
            Err(e) => {
                tracing::warn!(error = %e, "sending notices of electronic service failed");
                tokio::time::sleep(app.config.outbox_poll).await;
            }
        }
    }
}
