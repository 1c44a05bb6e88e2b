//! Smart filing (从执行依据填写): the draft of a filing read from the enforcement basis the
//! applicant brought (`zhixing_domain::filing_draft`). Nothing is stored and nothing is filed:
//! the officer reads the draft beside the document, corrects it and files through
//! [`super::file`], the ordinary command with its validation. The document names people (ID
//! numbers, addresses), so each draft made is recorded as a sensitive read, naming the
//! document by its hash only.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::filing_draft::{self, Draft, DraftError, Wording};
use zhixing_domain::refusal::Refusal;

use crate::error::AppError;
use crate::state::App;

/// The shipped wording, parsed once.
fn wording() -> Result<&'static Wording, AppError> {
    static WORDING: OnceLock<Result<Wording, String>> = OnceLock::new();
    WORDING
        .get_or_init(|| Wording::shipped().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AppError::internal(format!("the filing-draft wording: {e}")))
}

/// Why a document gives no draft, as a refusal the catalogue words.
pub fn refusal_of(e: &DraftError) -> Refusal {
    match e {
        DraftError::Empty => Refusal::invalid("draft_document_empty"),
        DraftError::TooLong { max } => {
            Refusal::invalid("draft_document_too_long").with("max", *max)
        }
        DraftError::Binary => Refusal::invalid("draft_document_binary"),
        DraftError::NotLegal => Refusal::invalid("draft_document_not_legal"),
    }
}

/// A PDF whose pages hold no text (a scan): out of scope, said so.
pub fn scanned() -> AppError {
    Refusal::invalid("draft_document_scanned").into()
}

/// A file that says it is a PDF but cannot be read as one.
pub fn unreadable_pdf() -> AppError {
    Refusal::invalid("draft_document_unreadable").into()
}

/// Reads a draft filing from the text of an enforcement basis, for a handler of the caller's
/// court (who may file). The read is audited; the text is not kept.
pub async fn read_basis(app: &App, by: &Principal, text: String) -> Result<Draft, AppError> {
    if !by.may(Action::HandleCases, &by.court_path) {
        return Err(AppError::forbidden(
            "only the court's handlers file cases, and so draft filings",
        ));
    }
    let w = wording()?;
    let digest = hex::encode(Sha256::digest(text.as_bytes()));
    // The rules are fast (a 20-page judgment in milliseconds) but run off the async workers
    // all the same: a document of the largest size takes longer.
    let drafted = tokio::task::spawn_blocking(move || filing_draft::extract(&text, w))
        .await
        .map_err(AppError::internal)?;
    let draft = drafted.map_err(|e| AppError::from(refusal_of(&e)))?;
    crate::platform::audit::record_sensitive_read(
        app,
        by,
        &by.court_id,
        &format!("filing_draft:{}", digest.get(..16).unwrap_or(&digest)),
        &["parties", "identifiers", "addresses", "amounts"],
    )
    .await?;
    Ok(draft)
}
