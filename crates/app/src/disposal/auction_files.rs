//! The photos and documents the court attaches to an auction (标的物照片、评估报告、现状说明):
//! what a bidder sees of the item before registering. Checked as every evidence file is
//! (kind by content, size, hash) and numbered within the auction; the auction room lists them
//! and serves them to anyone, for the item is public once announced.

use serde::Serialize;
use serde_json::json;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::field::FileKind;
use zhixing_domain::refusal::Refusal;
use zhixing_store::NewEvent;
use zhixing_store::auction::NewAuctionFile;

use crate::case as svc;
use crate::control::field::{self, Upload};
use crate::error::AppError;
use crate::state::App;

/// At most this many files per auction: enough for the photos of a house and its reports.
pub const MAX_FILES: i64 = 12;

/// A file as the room lists it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AuctionFileView {
    pub no: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// Where the public fetches it.
    pub href: String,
}

fn view(auction_id: i64, f: zhixing_store::auction::AuctionFile) -> AuctionFileView {
    AuctionFileView {
        href: format!("/public/v1/auctions/{auction_id}/files/{}", f.no),
        no: f.no,
        name: f.name,
        content_type: f.content_type,
        size: f.size,
        sha256: f.sha256,
    }
}

fn not_found(id: i64) -> AppError {
    AppError::not_found("auction_not_found", format!("no auction {id}"))
}

/// Whether `by` may attach files to auction `auction_id`: an officer of its case's court.
/// Settled before an upload is read, so that a stranger's files are never buffered.
pub async fn may_attach(app: &App, by: &Principal, auction_id: i64) -> Result<(), AppError> {
    let row = app
        .store
        .auction(auction_id)
        .await?
        .ok_or_else(|| not_found(auction_id))?;
    let (_, court) = svc::readable(app, by, row.case_id).await?;
    svc::authorise(by, &court, row.case_id, Action::HandleCases)
}

/// Attaches files to auction `auction_id` for an officer of its case's court: each checked
/// (PDF, JPEG or PNG by content; size), then all stored with one audited event naming each
/// file's hash, in one transaction. Refused once the auction is over.
pub async fn attach(
    app: &App,
    by: &Principal,
    auction_id: i64,
    uploads: Vec<Upload>,
) -> Result<Vec<AuctionFileView>, AppError> {
    may_attach(app, by, auction_id).await?;
    if uploads.is_empty() {
        return Err(Refusal::invalid("no_file").into());
    }
    let mut files = Vec::with_capacity(uploads.len());
    for (i, u) in uploads.into_iter().enumerate() {
        let f = field::check(i + 1, u)?;
        if f.kind == FileKind::Mp4 {
            return Err(AppError::unsupported(
                "unsupported_attachment",
                format!(
                    "file {} ({:?}) is a video: an auction shows photos (JPEG, PNG) and PDF documents",
                    i + 1,
                    f.name
                ),
            ));
        }
        files.push(f);
    }
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let row = tx
        .lock_auction(auction_id)
        .await?
        .ok_or_else(|| not_found(auction_id))?;
    if row.status != "open" {
        return Err(Refusal::conflict("auction_over_files").into());
    }
    let have = tx.auction_file_count(auction_id).await?;
    let n = i64::try_from(files.len()).unwrap_or(i64::MAX);
    if have.saturating_add(n) > MAX_FILES {
        return Err(Refusal::invalid("too_many_auction_files")
            .with("max", MAX_FILES)
            .with("have", have)
            .into());
    }
    let mut named = Vec::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        let no = have + i64::try_from(i).unwrap_or(i64::MAX) + 1;
        tx.insert_auction_file(&NewAuctionFile {
            auction_id,
            no,
            name: &f.name,
            content_type: f.kind.content_type(),
            sha256: &f.sha256,
            content: &f.bytes,
            uploaded_by: by.user_id,
            at_us: now_us,
        })
        .await?;
        named.push(
            json!({"no": no, "name": f.name, "content_type": f.kind.content_type(),
                          "size": f.bytes.len(), "sha256": f.sha256}),
        );
    }
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(row.court_id.clone()),
            kind: "auction.files_attached".into(),
            subject: format!("case:{}", row.case_id),
            payload: json!({"auction_id": auction_id, "files": named}),
        }],
    )
    .await?;
    tx.commit().await?;
    files_of(app, auction_id).await
}

/// The files of an auction, for anyone.
pub async fn files_of(app: &App, auction_id: i64) -> Result<Vec<AuctionFileView>, AppError> {
    Ok(app
        .store
        .auction_files(auction_id)
        .await?
        .into_iter()
        .map(|f| view(auction_id, f))
        .collect())
}

/// One file with its bytes, for anyone.
pub async fn file(
    app: &App,
    auction_id: i64,
    no: i64,
) -> Result<(AuctionFileView, Vec<u8>), AppError> {
    app.store
        .auction_file(auction_id, no)
        .await?
        .map(|(f, bytes)| (view(auction_id, f), bytes))
        .ok_or_else(|| {
            AppError::not_found(
                "file_not_found",
                format!("auction {auction_id} has no file {no}"),
            )
        })
}
