//! Traditional investigation (传统查控): what an officer establishes offline — a field visit
//! (实地调查), a search (搜查), a reward notice (悬赏公告), an audit (审计) — for places and
//! property that online investigation does not reach. Recording one is the "traditional
//! measure" the 终本 checklist asks for (DOMAIN.md §4, item 3).
//!
//! Its evidence files are checked here too: their kind is told by their first bytes, never by
//! the name or the content type a browser sends, both of which the sender chooses freely.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::case::{ActionKind, CaseEvent, CaseState};
use crate::refusal::{Reason, Refusal, RefusalKind};

/// At most this many files per record. Technical limits of the upload, not legal ones, so
/// they are constants rather than rules of the rule book.
pub const MAX_ATTACHMENTS: usize = 5;
/// At most 10 MiB per file: scans, photos and short clips, not whole archives.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_FINDINGS_CHARS: usize = 4000;
pub const MAX_PLACE_CHARS: usize = 200;

/// How the investigation was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldMethod {
    /// 实地调查: officers visit the debtor's home, business or property.
    FieldVisit,
    /// 搜查: a search of premises under a search order.
    Search,
    /// 悬赏公告: a public reward for information on the debtor's property.
    RewardNotice,
    /// 审计: an audit of a debtor company's books.
    Audit,
}

impl FieldMethod {
    pub const ALL: [FieldMethod; 4] = [
        FieldMethod::FieldVisit,
        FieldMethod::Search,
        FieldMethod::RewardNotice,
        FieldMethod::Audit,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            FieldMethod::FieldVisit => "field_visit",
            FieldMethod::Search => "search",
            FieldMethod::RewardNotice => "reward_notice",
            FieldMethod::Audit => "audit",
        }
    }
    pub fn parse(s: &str) -> Option<FieldMethod> {
        FieldMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub fn name_zh(self) -> &'static str {
        match self {
            FieldMethod::FieldVisit => "实地调查",
            FieldMethod::Search => "搜查",
            FieldMethod::RewardNotice => "悬赏公告",
            FieldMethod::Audit => "审计",
        }
    }
    /// The English name, for pages in English.
    pub fn name_en(self) -> &'static str {
        match self {
            FieldMethod::FieldVisit => "Site visit",
            FieldMethod::Search => "Search",
            FieldMethod::RewardNotice => "Reward notice",
            FieldMethod::Audit => "Audit",
        }
    }
    /// A visit and a search happen somewhere, and the record must say where.
    pub fn needs_place(self) -> bool {
        matches!(self, FieldMethod::FieldVisit | FieldMethod::Search)
    }
}

/// What the officer reports, as typed.
#[derive(Debug, Clone, Copy)]
pub struct FieldReport<'a> {
    pub method: FieldMethod,
    pub on: Date,
    pub place: &'a str,
    pub findings: &'a str,
    pub attachments: usize,
}

/// Decides a traditional investigation: the case event to record (the 终本 checklist reads it),
/// or every problem with the report at once. A closed case takes none.
pub fn decide_field_investigation(
    state: &CaseState,
    r: &FieldReport<'_>,
    today: Date,
) -> Result<CaseEvent, Refusal> {
    state.ensure_open()?;
    let place = r.place.trim();
    let findings = r.findings.trim();
    // Each problem under its code (what the API answers when it is the only one) and its own
    // reason (the words, with the figures as parameters).
    let mut problems: Vec<(&'static str, Reason)> = Vec::new();
    if r.on > today {
        problems.push((
            "date_in_future",
            Reason::new("field_date_in_future")
                .with("on", r.on)
                .with("today", today),
        ));
    }
    if r.on < state.filed_on {
        problems.push((
            "date_before_filing",
            Reason::new("field_date_before_filing")
                .with("on", r.on)
                .with("filed_on", state.filed_on),
        ));
    }
    if r.method.needs_place() && place.is_empty() {
        problems.push((
            "place_required",
            Reason::new("field_place_required").with("method", r.method.as_str()),
        ));
    }
    if place.chars().count() > MAX_PLACE_CHARS {
        problems.push((
            "invalid_place",
            Reason::new("field_place_too_long").with("max", MAX_PLACE_CHARS),
        ));
    }
    let n = findings.chars().count();
    if n == 0 || n > MAX_FINDINGS_CHARS {
        problems.push((
            "invalid_findings",
            Reason::new("field_findings_length").with("max", MAX_FINDINGS_CHARS),
        ));
    }
    if r.attachments > MAX_ATTACHMENTS {
        problems.push((
            "too_many_attachments",
            Reason::new("field_too_many_attachments").with("max", MAX_ATTACHMENTS),
        ));
    }
    match problems.len() {
        0 => {}
        1 => {
            let (code, reason) = problems.remove(0);
            return Err(Refusal::of_reasons(
                code,
                RefusalKind::Invalid,
                vec![reason],
            ));
        }
        _ => {
            return Err(Refusal::of_reasons(
                "invalid_field_investigation",
                RefusalKind::Invalid,
                problems.into_iter().map(|p| p.1).collect(),
            ));
        }
    }
    let mut note = r.method.name_zh().to_owned();
    if !place.is_empty() {
        note.push('：');
        note.push_str(place);
    }
    if r.attachments > 0 {
        note.push_str(&format!("（附件 {} 件）", r.attachments));
    }
    Ok(CaseEvent::ActionRecorded {
        action: ActionKind::TraditionalInvestigation,
        on: r.on,
        note,
        terms: None,
    })
}

/// The kinds of evidence file accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
    Mp4,
}

/// ISO base media major brands that are MP4. QuickTime (`qt  `), HEIF/AVIF stills and 3GP
/// share the container but are not MP4, and are refused.
const MP4_BRANDS: [&[u8; 4]; 14] = [
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9", b"mp41",
    b"mp42", b"avc1", b"dash", b"mmp4",
];

impl FileKind {
    pub const ALL: [FileKind; 4] = [FileKind::Pdf, FileKind::Jpeg, FileKind::Png, FileKind::Mp4];

    /// The kind of a file by its magic bytes, or `None` for anything else.
    ///
    /// Written out rather than taken from a detection crate: four formats need a few exact
    /// comparisons, each readable here against its specification, while a general detector
    /// recognises hundreds of kinds (with heuristics) that we would then filter down again,
    /// and adds a dependency to what decides which bytes we store and serve.
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(b"%PDF-") {
            return Some(FileKind::Pdf);
        }
        // JPEG: SOI marker, then the first segment's marker byte.
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Some(FileKind::Jpeg);
        }
        if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            return Some(FileKind::Png);
        }
        // MP4: the first box is `ftyp` (size, type, major brand, minor version, ...).
        if let (Some(size), Some(b"ftyp"), Some(brand)) =
            (bytes.get(0..4), bytes.get(4..8), bytes.get(8..12))
        {
            let size = u32::from_be_bytes([size[0], size[1], size[2], size[3]]);
            if size >= 16 && MP4_BRANDS.iter().any(|b| b.as_slice() == brand) {
                return Some(FileKind::Mp4);
            }
        }
        None
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Mp4 => "video/mp4",
        }
    }

    pub fn from_content_type(s: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.content_type() == s)
    }

    /// The file name endings that fit the kind; the first is the one added when none fits.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Png => &["png"],
            FileKind::Mp4 => &["mp4"],
        }
    }
}

/// At most this many characters of a display name.
const MAX_NAME_CHARS: usize = 100;

/// The name a file is shown and downloaded under: the sender's name reduced to a plain last
/// path component — no directories, control or bidirectional-override characters (which can
/// make `gpj.exe` read as `exe.jpg`), nor characters that file systems or the
/// `Content-Disposition` header treat specially — ending in an extension that fits its kind.
pub fn display_name(raw: &str, kind: FileKind) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let mut name = String::new();
    for c in last.chars() {
        let bidi = matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || bidi || matches!(c, '"' | '*' | ':' | '<' | '>' | '?' | '|' | ';') {
            continue;
        }
        if c.is_whitespace() {
            if !name.ends_with(' ') {
                name.push(' ');
            }
        } else {
            name.push(c);
        }
    }
    let trimmed: String = name
        .trim_matches(|c: char| c == ' ' || c == '.')
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    let mut name = trimmed.trim_end_matches([' ', '.']).to_owned();
    if name.is_empty() {
        name = "附件".to_owned();
    }
    let lower = name.to_lowercase();
    let fits = kind
        .extensions()
        .iter()
        .any(|e| lower.ends_with(&format!(".{e}")));
    if !fits && let Some(ext) = kind.extensions().first() {
        name.push('.');
        name.push_str(ext);
    }
    name
}

#[cfg(test)]
mod tests;
