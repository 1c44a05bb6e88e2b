//! Recordings (音视频记录): body-camera video and hotline audio uploaded to a case or a
//! complaint, and played back.
//!
//! An upload is streamed to a temporary file in the recordings directory while its SHA-256 is
//! computed — hours of video are never held in memory. Its type is judged by the first bytes
//! before anything is written; its size is counted as it arrives. Only when the whole body is
//! on disk is the file renamed into place, inside the transaction that inserts the row and
//! its audited event: a refused, failed or interrupted upload leaves no file and no row.
//! Every playback is an audited `recording.played` event naming who read which bytes.

use std::path::PathBuf;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use zhixing_domain::access::Principal;
use zhixing_domain::recording::{self, Kind, SNIFF_BYTES};
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};
use zhixing_store::NewEvent;
use zhixing_store::recordings::{NewRecording, RecordingRow};

use crate::case::{self as svc};
use crate::error::{AppError, OrInternal};
use crate::state::App;

/// What a recording is uploaded to.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    Case(i64),
    Complaint(i64),
}

/// A recording as the API shows it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RecordingView {
    pub id: i64,
    pub case_id: i64,
    pub complaint_id: Option<i64>,
    pub court_id: String,
    /// body_camera (执法记录仪视频), hotline (热线录音) or other.
    pub kind: String,
    pub kind_zh: String,
    /// The sender's file name, cleaned: for display only.
    pub name: String,
    /// Told by the file's first bytes.
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the bytes as received, hex.
    pub sha256: String,
    pub uploaded_by: i64,
    pub uploaded_at: String,
    /// Where to play it (HTTP range requests).
    pub url: String,
}

impl From<RecordingRow> for RecordingView {
    fn from(r: RecordingRow) -> Self {
        RecordingView {
            kind_zh: Kind::parse(&r.kind)
                .map(Kind::name_zh)
                .unwrap_or_default()
                .to_owned(),
            url: format!("/api/v1/recordings/{}/content", r.id),
            uploaded_at: zhixing_store::from_micros(r.uploaded_at)
                .map(|t| t.to_string())
                .unwrap_or_default(),
            id: r.id,
            case_id: r.case_id,
            complaint_id: r.complaint_id,
            court_id: r.court_id,
            kind: r.kind,
            name: r.name,
            content_type: r.content_type,
            size: r.size,
            sha256: r.sha256,
            uploaded_by: r.uploaded_by,
        }
    }
}

/// The code an unknown kind goes by in every context; the reason says a recording's.
const UNKNOWN_KIND: &str = "unknown_kind";

fn not_found(id: i64) -> AppError {
    AppError::not_found("recording_not_found", format!("no recording {id}"))
}

fn too_large(max: u64) -> AppError {
    AppError::too_large(
        "recording_too_large",
        format!("a recording is at most {max} bytes"),
    )
}

#[track_caller]
fn storage_error(e: &std::io::Error) -> AppError {
    AppError::internal(format_args!("recording storage: {e}"))
}

/// A file that is removed when dropped unless kept: a refused or interrupted upload (the
/// handler's future dropped when the client goes away included) leaves nothing behind.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            // It may not exist (refused before the first write, or already renamed).
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A change to the recordings (音视频记录), as an officer sends it. Executed by [`execute`].
pub enum RecordingCommand<S> {
    /// Keeps a recording for a case or a complaint: `body` streamed to disk with its SHA-256,
    /// the type judged by its first bytes; `declared_len` is the length the sender announced.
    Upload {
        target: Target,
        /// body_camera, hotline or other.
        kind: String,
        /// The sender's name for the file.
        name: Option<String>,
        declared_len: Option<u64>,
        body: S,
    },
}

/// Carries out a recording command for `by`: who may upload, and what, is settled (through
/// `access::Action`) before a byte of the body is read; then the file is received and renamed
/// into place, and its row and audited event written in one transaction.
pub async fn execute<S, E>(
    app: &App,
    by: &Principal,
    cmd: RecordingCommand<S>,
) -> Result<RecordingView, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    match cmd {
        RecordingCommand::Upload {
            target,
            kind,
            name,
            declared_len,
            body,
        } => {
            let owner = authorize_upload(app, by, target).await?;
            let (kind, name) = check_params(&kind, name.as_deref())?;
            upload(app, by, owner, kind, &name, declared_len, body).await
        }
    }
}

/// Who the upload is for: the case (and complaint), checked before a byte is read.
async fn authorize_upload(
    app: &App,
    by: &Principal,
    target: Target,
) -> Result<(i64, Option<i64>, String), AppError> {
    match target {
        Target::Case(case_id) => {
            let (_, court) = svc::may_act(
                app,
                by,
                case_id,
                zhixing_domain::access::Action::HandleCases,
            )
            .await?;
            Ok((case_id, None, court.id))
        }
        Target::Complaint(id) => {
            let nf = || AppError::not_found("complaint_not_found", format!("no complaint {id}"));
            let c = app.store.complaint(id).await?.ok_or_else(nf)?;
            let (_, court) = svc::may_act(
                app,
                by,
                c.case_id,
                zhixing_domain::access::Action::HandleCases,
            )
            .await
            .map_err(|e| if e.is_not_found() { nf() } else { e })?;
            Ok((c.case_id, Some(id), court.id))
        }
    }
}

/// Checks the upload's parameters: the kind, and the sender's name for it.
fn check_params(kind: &str, name: Option<&str>) -> Result<(Kind, String), AppError> {
    let kind = Kind::parse(kind.trim()).ok_or_else(|| {
        AppError::from(Refusal::of_reasons(
            UNKNOWN_KIND,
            RefusalKind::Invalid,
            vec![Reason::new("unknown_recording_kind").with("kind", kind.trim())],
        ))
    })?;
    Ok((kind, recording::display_name(name.unwrap_or(""), kind)))
}

/// What the body stream gave: the bytes in a temporary file, measured.
struct Received {
    tmp: TempFile,
    content_type: &'static str,
    size: u64,
    sha256: String,
}

/// Streams the body to a temporary file in `dir`, judging its type by the first bytes and
/// counting its size against `max`.
async fn receive<S, E>(dir: &std::path::Path, max: u64, body: S) -> Result<Received, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut body = body;
    let interrupted = |e: E| {
        AppError::bad_request(
            "upload_interrupted",
            format!("the upload was interrupted: {e}"),
        )
    };
    // The first bytes, to judge the type before anything is written.
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut rest: Option<Bytes> = None;
    while head.len() < SNIFF_BYTES {
        match body.next().await {
            Some(chunk) => {
                let chunk = chunk.map_err(interrupted)?;
                let take = (SNIFF_BYTES - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
                if take < chunk.len() {
                    rest = Some(chunk.slice(take..));
                    break;
                }
            }
            None => break,
        }
    }
    if head.is_empty() {
        return Err(Refusal::invalid("empty_recording").into());
    }
    let content_type = recording::sniff(&head).ok_or_else(|| {
        AppError::unsupported(
            "not_audio_or_video",
            "a recording is audio or video (MP4, MOV, M4A, WebM, Matroska, Ogg, MP3, WAV, AMR, …), judged by its content",
        )
    })?;
    let mut size = u64::try_from(head.len()).unwrap_or(u64::MAX);
    if size > max {
        return Err(too_large(max));
    }
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| storage_error(&e))?;
    let tmp = TempFile {
        path: dir.join(format!(".upload-{}", uuid::Uuid::new_v4())),
        keep: false,
    };
    let mut file = tokio::fs::File::create(&tmp.path)
        .await
        .map_err(|e| storage_error(&e))?;
    let mut hash = Sha256::new();
    hash.update(&head);
    file.write_all(&head).await.map_err(|e| storage_error(&e))?;
    drop(head);
    let mut next = rest;
    loop {
        let chunk = match next.take() {
            Some(c) => c,
            None => match body.next().await {
                Some(c) => c.map_err(interrupted)?,
                None => break,
            },
        };
        size = size.saturating_add(u64::try_from(chunk.len()).unwrap_or(u64::MAX));
        if size > max {
            return Err(too_large(max));
        }
        hash.update(&chunk);
        file.write_all(&chunk)
            .await
            .map_err(|e| storage_error(&e))?;
    }
    // On disk before the row that vouches for it is committed.
    file.sync_all().await.map_err(|e| storage_error(&e))?;
    drop(file);
    Ok(Received {
        tmp,
        content_type,
        size,
        sha256: hex::encode(hash.finalize()),
    })
}

/// Receives a recording for `target` (authorized with [`authorize_upload`]) and stores it:
/// the file renamed into place, the row and its event, in one transaction.
#[allow(clippy::too_many_arguments)] // the upload's parts, each named at the one call site
async fn upload<S, E>(
    app: &App,
    by: &Principal,
    (case_id, complaint_id, court_id): (i64, Option<i64>, String),
    kind: Kind,
    name: &str,
    declared_len: Option<u64>,
    body: S,
) -> Result<RecordingView, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let max = app.config.recording_max_bytes;
    // A declared length over the limit is refused before a byte is read.
    if declared_len.is_some_and(|n| n > max) {
        return Err(too_large(max));
    }
    let dir = app.config.recordings_dir.clone();
    let mut got = receive(&dir, max, body).await?;
    let key = uuid::Uuid::new_v4().to_string();
    let path = dir.join(&key);
    let size = i64::try_from(got.size).map_err(|_| too_large(max))?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let id = tx
        .insert_recording(&NewRecording {
            case_id,
            complaint_id,
            court_id: &court_id,
            kind: kind.as_str(),
            name,
            content_type: got.content_type,
            size,
            sha256: &got.sha256,
            storage_key: &key,
            uploaded_by: by.user_id,
            at_us: now_us,
        })
        .await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(court_id.clone()),
            kind: "recording.uploaded".into(),
            subject: format!("case:{case_id}"),
            payload: json!({
                "recording": id,
                "complaint": complaint_id,
                "kind": kind.as_str(),
                "name": name,
                "content_type": got.content_type,
                "size": size,
                "sha256": got.sha256,
            }),
        }],
    )
    .await?;
    // The rename is atomic within the directory: the file appears whole or not at all.
    tokio::fs::rename(&got.tmp.path, &path)
        .await
        .map_err(|e| storage_error(&e))?;
    // Until the commit, the guard owns the file in place: should the commit fail, or this
    // future be dropped before it ends, no file is left without its row.
    got.tmp.path = path;
    tx.commit().await?;
    got.tmp.keep = true;
    let row = app
        .store
        .recording(id)
        .await?
        .or_internal("recording(id)")?;
    Ok(RecordingView::from(row))
}

/// A recording's metadata, for whoever may read its case (404 otherwise).
pub async fn show(app: &App, by: &Principal, id: i64) -> Result<RecordingRow, AppError> {
    let row = app
        .store
        .recording(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    svc::readable(app, by, row.case_id)
        .await
        .map_err(|e| if e.is_not_found() { not_found(id) } else { e })?;
    Ok(row)
}

/// A case's recordings (its complaints' included), oldest first.
pub async fn of_case(
    app: &App,
    by: &Principal,
    case_id: i64,
) -> Result<Vec<RecordingView>, AppError> {
    svc::readable(app, by, case_id).await?;
    Ok(app
        .store
        .recordings_of_case(case_id)
        .await?
        .into_iter()
        .map(RecordingView::from)
        .collect())
}

/// Where a stored recording's file is.
pub fn path_of(app: &App, row: &RecordingRow) -> PathBuf {
    app.config.recordings_dir.join(&row.storage_key)
}

/// The stored file of a recording, opened, and its length. A file missing, unreadable or of
/// another size than its row says is a fault of ours, logged with its cause.
pub async fn open(app: &App, row: &RecordingRow) -> Result<(tokio::fs::File, u64), AppError> {
    let path = path_of(app, row);
    let unreadable = |e: std::io::Error| {
        AppError::internal(format_args!(
            "recording {} file {} unreadable: {e}",
            row.id,
            path.display()
        ))
    };
    let file = tokio::fs::File::open(&path).await.map_err(unreadable)?;
    let len = file.metadata().await.map_err(unreadable)?.len();
    if i64::try_from(len).ok() != Some(row.size) {
        return Err(AppError::internal(format_args!(
            "recording {} file size {len} differs from its row ({})",
            row.id, row.size
        )));
    }
    Ok((file, len))
}

/// Records that `by` played `range` (`bytes a-b/len`) of a recording: one event per request.
pub async fn record_playback(
    app: &App,
    by: &Principal,
    row: &RecordingRow,
    range: &str,
    bytes: u64,
) -> Result<(), AppError> {
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(row.court_id.clone()),
            kind: "recording.played".into(),
            subject: format!("case:{}", row.case_id),
            payload: json!({
                "recording": row.id,
                "complaint": row.complaint_id,
                "range": range,
                "bytes": bytes,
            }),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
