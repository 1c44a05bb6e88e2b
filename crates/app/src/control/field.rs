//! Traditional investigation (传统查控): an officer records a field visit, search, reward notice
//! or audit with its evidence files. The case event (so that the 终本 checklist counts it), the
//! record, its files and the audit entry naming each file's SHA-256 are written in one
//! transaction: a failure anywhere leaves nothing.

use std::collections::HashMap;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::field::{
    self, FieldMethod, FieldReport, FileKind, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS,
};
use zhixing_store::NewEvent;
use zhixing_store::field::{AttachmentMeta, NewAttachment, NewFieldInvestigation};

use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};

use crate::case::{self as svc};
use crate::error::AppError;
use crate::state::App;

/// A file as it was sent: the sender's name for it and its bytes.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A traditional investigation as typed in a form or sent to the API.
pub struct FieldInput {
    /// field_visit, search, reward_notice or audit.
    pub method: String,
    /// YYYY-MM-DD.
    pub on: String,
    pub place: String,
    pub findings: String,
    pub version: Option<i64>,
    pub attachments: Vec<Upload>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct AttachmentView {
    pub id: i64,
    /// 1-based position in its record.
    pub no: i64,
    /// The sender's file name, sanitised: for display only.
    pub name: String,
    /// Told by the file's first bytes: application/pdf, image/jpeg, image/png or video/mp4.
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// Where to download it.
    pub url: String,
}

impl From<&AttachmentMeta> for AttachmentView {
    fn from(a: &AttachmentMeta) -> Self {
        AttachmentView {
            id: a.id,
            no: a.no,
            name: a.name.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
            sha256: a.sha256.clone(),
            url: format!("/api/v1/attachments/{}", a.id),
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct FieldInvestigationView {
    pub id: i64,
    pub case_id: i64,
    /// field_visit, search, reward_notice, audit
    pub method: String,
    pub method_zh: String,
    /// The day it was made.
    pub on: String,
    pub place: Option<String>,
    pub findings: String,
    pub recorded_by: i64,
    pub recorded_by_name: Option<String>,
    pub recorded_at: String,
    pub attachments: Vec<AttachmentView>,
}

/// What recording answers.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Recorded {
    pub id: i64,
    /// The case's new version.
    pub version: i64,
    pub attachments: Vec<AttachmentView>,
}

/// A file that passed the checks (also used for the documents of entrusted tasks).
pub struct Checked {
    pub name: String,
    pub kind: FileKind,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// A refusal under a code other contexts share (`invalid_date`), worded by its own reason.
fn refused_as(code: &'static str, reason: Reason) -> AppError {
    AppError::from(Refusal::of_reasons(
        code,
        RefusalKind::Invalid,
        vec![reason],
    ))
}

fn too_many() -> AppError {
    AppError::from(Refusal::of_reasons(
        "too_many_attachments",
        RefusalKind::Invalid,
        vec![Reason::new("field_too_many_attachments").with("max", MAX_ATTACHMENTS)],
    ))
}

fn too_large(no: usize, name: &str) -> AppError {
    AppError::too_large(
        "attachment_too_large",
        format!(
            "attachment {no} ({name:?}) is larger than {} MiB",
            MAX_ATTACHMENT_BYTES / (1024 * 1024)
        ),
    )
}

/// An upload whose bytes run past the limit, refused as soon as it does.
pub fn check_size(no: usize, name: &str, len: usize) -> Result<(), AppError> {
    if len > MAX_ATTACHMENT_BYTES {
        Err(too_large(no, name))
    } else {
        Ok(())
    }
}

/// Refuses a record with more files than allowed, as soon as one too many arrives.
pub fn check_count(n: usize) -> Result<(), AppError> {
    if n > MAX_ATTACHMENTS {
        Err(too_many())
    } else {
        Ok(())
    }
}

/// Checks one file: its size, its kind by its first bytes; hashes it.
pub fn check(no: usize, u: Upload) -> Result<Checked, AppError> {
    check_size(no, &u.name, u.bytes.len())?;
    let kind = FileKind::sniff(&u.bytes).ok_or_else(|| {
        AppError::unsupported(
            "unsupported_attachment",
            format!(
                "attachment {no} ({:?}) is not a PDF, JPEG, PNG or MP4 file (judged by its content, not its name)",
                u.name
            ),
        )
    })?;
    Ok(Checked {
        name: field::display_name(&u.name, kind),
        kind,
        sha256: hex::encode(Sha256::digest(&u.bytes)),
        bytes: u.bytes,
    })
}

/// A change an officer makes to the traditional investigation (传统查控) of a case. Executed
/// by [`execute`]. (No `Debug`: its files are bytes.)
pub enum FieldCommand {
    /// Records an investigation of case `case_id` with its files.
    Record { case_id: i64, input: FieldInput },
}

/// Carries out a field command: authorises, decides in the domain, and writes the case event,
/// the record and its files in one transaction.
pub async fn execute(app: &App, by: &Principal, cmd: FieldCommand) -> Result<Recorded, AppError> {
    match cmd {
        FieldCommand::Record { case_id, input } => record(app, by, case_id, input).await,
    }
}

/// Records a traditional investigation on a case, with its files.
async fn record(
    app: &App,
    by: &Principal,
    case_id: i64,
    input: FieldInput,
) -> Result<Recorded, AppError> {
    let method = FieldMethod::parse(input.method.trim()).ok_or_else(|| {
        AppError::from(Refusal::of_reasons(
            "unknown_method",
            RefusalKind::Invalid,
            vec![Reason::new("unknown_field_method").with("method", input.method.trim())],
        ))
    })?;
    let on: Date = input.on.trim().parse().map_err(|_| {
        refused_as(
            "invalid_date",
            Reason::new("field_date_invalid").with("on", input.on.trim()),
        )
    })?;
    check_count(input.attachments.len())?;
    let files = input
        .attachments
        .into_iter()
        .enumerate()
        .map(|(i, u)| check(i + 1, u))
        .collect::<Result<Vec<_>, _>>()?;
    let place = input.place.trim().to_owned();
    let findings = input.findings.trim().to_owned();
    let report = FieldReport {
        method,
        on,
        place: &place,
        findings: &findings,
        attachments: files.len(),
    };
    let today = app.today();
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let c = svc::change_in_tx(
        &mut tx,
        app,
        svc::Actor::User(by, Action::HandleCases),
        case_id,
        input.version,
        |s, _| field::decide_field_investigation(s, &report, today).map(|e| vec![e]),
    )
    .await?;
    let row = &c.row;
    {
        let id = tx
            .insert_field_investigation(&NewFieldInvestigation {
                case_id,
                court_id: &row.court_id,
                method: method.as_str(),
                on_date: &on.to_string(),
                place: &place,
                findings: &findings,
                recorded_by: by.user_id,
                at_us: now_us,
            })
            .await?;
        let mut views = Vec::with_capacity(files.len());
        for (i, f) in files.iter().enumerate() {
            let no = i64::try_from(i + 1).unwrap_or(i64::MAX);
            let aid = tx
                .insert_field_attachment(&NewAttachment {
                    investigation_id: id,
                    case_id,
                    court_id: &row.court_id,
                    no,
                    name: &f.name,
                    content_type: f.kind.content_type(),
                    sha256: &f.sha256,
                    content: &f.bytes,
                })
                .await?;
            views.push(AttachmentView {
                id: aid,
                no,
                name: f.name.clone(),
                content_type: f.kind.content_type().to_owned(),
                size: i64::try_from(f.bytes.len()).unwrap_or(i64::MAX),
                sha256: f.sha256.clone(),
                url: format!("/api/v1/attachments/{aid}"),
            });
        }
        // The chain names every file by its hash: a file changed in the database later no
        // longer matches the record the chain vouches for.
        tx.append_events(
            now_us,
            &[NewEvent {
                actor: crate::actor_of(by),
                court_id: Some(row.court_id.clone()),
                kind: "field_investigation.recorded".into(),
                subject: format!("case:{case_id}"),
                payload: json!({
                    "field_investigation": id,
                    "method": method.as_str(),
                    "on": on.to_string(),
                    "place": place,
                    "findings": findings,
                    "attachments": views.iter().map(|a| json!({
                        "id": a.id, "no": a.no, "name": a.name, "content_type": a.content_type,
                        "size": a.size, "sha256": a.sha256,
                    })).collect::<Vec<_>>(),
                }),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(Recorded {
            id,
            version: c.version,
            attachments: views,
        })
    }
}

/// A case's traditional investigations with their files' metadata, oldest first.
pub async fn list(
    app: &App,
    by: &Principal,
    case_id: i64,
) -> Result<Vec<FieldInvestigationView>, AppError> {
    svc::readable(app, by, case_id).await?;
    let rows = app.store.field_investigations_of(case_id).await?;
    let mut files: HashMap<i64, Vec<AttachmentView>> = HashMap::new();
    for a in app.store.field_attachments_of(case_id).await? {
        files
            .entry(a.investigation_id)
            .or_default()
            .push(AttachmentView::from(&a));
    }
    let mut names: HashMap<i64, Option<String>> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let name = match names.get(&r.recorded_by) {
            Some(n) => n.clone(),
            None => {
                let n = app.store.user(r.recorded_by).await?.map(|u| u.display_name);
                names.insert(r.recorded_by, n.clone());
                n
            }
        };
        out.push(FieldInvestigationView {
            id: r.id,
            case_id: r.case_id,
            method_zh: FieldMethod::parse(&r.method)
                .map(FieldMethod::name_zh)
                .unwrap_or_default()
                .to_owned(),
            method: r.method,
            on: r.on_date,
            place: Some(r.place).filter(|p| !p.is_empty()),
            findings: r.findings,
            recorded_by: r.recorded_by,
            recorded_by_name: name,
            recorded_at: zhixing_store::from_micros(r.recorded_at)?.to_string(),
            attachments: files.remove(&r.id).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// An attachment's bytes, for whoever may read its case (404 for anyone else, so that its
/// existence is not revealed). Every read is recorded on the audit chain.
pub async fn download(
    app: &App,
    by: &Principal,
    id: i64,
) -> Result<(AttachmentMeta, Vec<u8>), AppError> {
    let not_found = || AppError::not_found("attachment_not_found", format!("no attachment {id}"));
    let meta = app
        .store
        .field_attachment(id)
        .await?
        .ok_or_else(not_found)?;
    let (_, court) = svc::readable(app, by, meta.case_id)
        .await
        .map_err(|e| if e.is_not_found() { not_found() } else { e })?;
    let bytes = app
        .store
        .field_attachment_content(id)
        .await?
        .ok_or_else(not_found)?;
    crate::platform::audit::record_sensitive_read(
        app,
        by,
        &court.id,
        &format!("case:{}", meta.case_id),
        &[&format!("field_attachment:{id}")],
    )
    .await?;
    Ok((meta, bytes))
}
