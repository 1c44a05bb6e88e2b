//! Smart filing (从执行依据填写): a draft of the filing form read from the enforcement basis
//! itself — a civil judgment, a mediation statement, an arbitral award or a notarised debt
//! instrument, as text.
//!
//! The extractor is rules over the standard structure of these documents: a heading (issuer,
//! title, number), the parties' paragraphs (one per party, its role first), the operative
//! part (判决如下 … 如不服本判决) with numbered items, the costs sentence, the date. The
//! wording that varies by court is data (`filing_draft/wording.toml`), not code. It is
//! deterministic and explainable: every field carries the span of the normalised text it was
//! read from and a confidence, and a field the officer must confirm says so (`confirm`) with
//! the reasons (`flags`). Nothing here guesses silently: a party or duty that cannot be found
//! is a `problem` of the draft, never an invented value. The draft is a proposal; only the
//! ordinary filing command files a case.

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::case::{BasisKind, PartyRole};
use crate::case_number::CourtDocumentNumber;
use crate::identity::{CreditCode, IdNumber, IdentityError};
use crate::money::Fen;

/// The most characters of a document the extractor reads (a 20-page judgment is ~30,000).
pub const MAX_CHARS: usize = 300_000;
/// Below this confidence (in percent) a field is marked to be confirmed.
pub const CONFIRM_BELOW: u8 = 80;

/// Why a text cannot be drafted from at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DraftError {
    #[error("the document holds no text")]
    Empty,
    #[error("the document has more than {max} characters")]
    TooLong { max: usize },
    #[error("the document is not text")]
    Binary,
    #[error(
        "the document is not a judgment, mediation statement, arbitral award or notarised debt instrument"
    )]
    NotLegal,
}

impl DraftError {
    pub fn code(&self) -> &'static str {
        match self {
            DraftError::Empty => "draft_document_empty",
            DraftError::TooLong { .. } => "draft_document_too_long",
            DraftError::Binary => "draft_document_binary",
            DraftError::NotLegal => "draft_document_not_legal",
        }
    }
}

/// Where a field was read: character offsets `[start, end)` into [`Draft::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One value read from the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field<T> {
    pub value: T,
    pub span: Span,
    /// 0–100.
    pub confidence: u8,
    /// Why the value is doubtful (`checksum_failed`, `amounts_disagree`, …).
    pub flags: Vec<&'static str>,
    /// The officer must confirm it before filing.
    pub confirm: bool,
}

impl<T> Field<T> {
    fn new(value: T, span: Span, confidence: u8) -> Field<T> {
        Field {
            value,
            span,
            confidence,
            flags: Vec::new(),
            confirm: confidence < CONFIRM_BELOW,
        }
    }
    /// Marks the field doubtful for `why`, its confidence at most `cap`.
    fn flag(mut self, why: &'static str, cap: u8) -> Field<T> {
        if !self.flags.contains(&why) {
            self.flags.push(why);
        }
        self.confidence = self.confidence.min(cap);
        self.confirm = true;
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    Person,
    Organisation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasisDraft {
    pub kind: Option<Field<BasisKind>>,
    pub issuing_body: Option<Field<String>>,
    pub document_number: Option<Field<String>>,
    /// The number read as a court's document number, when it is one.
    pub parsed_number: Option<CourtDocumentNumber>,
    /// The date the document was made (its last line).
    pub document_date: Option<Field<Date>>,
    /// The date it took effect, where the document states it.
    pub effective_date: Option<Field<Date>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyDraft {
    /// The role as the document's heading names it (原告, 被告, 第三人, 申请人, …).
    pub heading_role: Field<String>,
    /// Applicant or respondent of the enforcement as the operative part makes it; `None`
    /// for a party the operative part does not concern (a third party named in no duty).
    pub role: Option<Field<PartyRole>>,
    pub kind: Field<PartyKind>,
    pub name: Field<String>,
    pub id_number: Option<Field<String>>,
    pub credit_code: Option<Field<String>>,
    pub birth_date: Option<Field<Date>>,
    pub address: Option<Field<String>>,
    pub legal_representative: Option<Field<String>>,
}

/// When the duty is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Period {
    /// Within so many days of the document taking effect (于本判决生效之日起十日内).
    DaysFromEffect { days: u32 },
    /// By a date (于2024年6月30日前).
    ByDate { date: Date },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InterestDraft {
    /// As canonical text: `年6%`, `月1.5%`, `日0.05%`, `LPR`, `LPR×1.5`, `LPR+50%`, `人行同期贷款利率`.
    pub rate: Option<Field<String>>,
    pub base: Option<Field<Fen>>,
    pub start: Option<Field<Date>>,
    /// Runs until the day it is paid (至实际清偿之日止).
    pub until_paid: bool,
    /// Interest stated as a sum.
    pub amount: Option<Field<Fen>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DutyDraft {
    /// The item of the operative part (1-based; 1 for an unnumbered one).
    pub item: u32,
    pub span: Span,
    pub payers: Vec<Field<String>>,
    pub payees: Vec<Field<String>>,
    pub principal: Option<Field<Fen>>,
    /// The payers owe it jointly and severally (连带).
    pub joint_and_several: bool,
    /// Parties the operative part makes jointly liable for this duty (保证人, 连带清偿责任).
    pub guarantors: Vec<Field<String>>,
    pub interest: Option<InterestDraft>,
    pub period: Option<Field<Period>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostDraft {
    /// `acceptance_fee`, `preservation_fee`, `arbitration_fee`, `notary_fee`.
    pub kind: String,
    pub amount: Field<Fen>,
    pub borne_by: Vec<Field<String>>,
}

/// Something the officer must know about the draft as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: &'static str,
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    /// The normalised text every span points into.
    pub text: String,
    pub basis: BasisDraft,
    pub parties: Vec<PartyDraft>,
    pub duties: Vec<DutyDraft>,
    pub costs: Vec<CostDraft>,
    /// The performance period most duties state.
    pub performance_period: Option<Field<Period>>,
    pub problems: Vec<Problem>,
}

/// The wording the extractor reads by (`filing_draft/wording.toml`).
#[derive(Debug, Clone, Deserialize)]
pub struct Wording {
    kind: Vec<KindTitle>,
    issuers: Vec<String>,
    role: Vec<RoleMarker>,
    representatives: Vec<String>,
    ignored: Vec<String>,
    person_id_keys: Vec<String>,
    credit_code_keys: Vec<String>,
    address_keys: Vec<String>,
    birth_suffixes: Vec<String>,
    organisation_suffixes: Vec<String>,
    operative_start: Vec<String>,
    operative_end: Vec<String>,
    payment_verbs: Vec<String>,
    joint: Vec<String>,
    cost: Vec<CostLabels>,
    period_from_effect: Vec<String>,
    lpr: Vec<String>,
    interest_until_paid: Vec<String>,
    effective: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct KindTitle {
    title: String,
    kind: BasisKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Side {
    Applicant,
    Respondent,
    None,
}

#[derive(Debug, Clone, Deserialize)]
struct RoleMarker {
    marker: String,
    side: Side,
}

#[derive(Debug, Clone, Deserialize)]
struct CostLabels {
    kind: String,
    labels: Vec<String>,
}

/// The shipped wording.
pub const SHIPPED_WORDING: &str = include_str!("filing_draft/wording.toml");

impl Wording {
    pub fn parse(toml_text: &str) -> Result<Wording, toml::de::Error> {
        let mut w: Wording = toml::from_str(toml_text)?;
        // Longest first, so that 被申请人 is tried before 申请人 and 案件受理费 before 受理费.
        let by_len = |v: &mut Vec<String>| v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        w.kind
            .sort_by_key(|k| std::cmp::Reverse(k.title.chars().count()));
        w.role
            .sort_by_key(|r| std::cmp::Reverse(r.marker.chars().count()));
        for v in [
            &mut w.issuers,
            &mut w.representatives,
            &mut w.ignored,
            &mut w.person_id_keys,
            &mut w.credit_code_keys,
            &mut w.address_keys,
            &mut w.birth_suffixes,
            &mut w.organisation_suffixes,
            &mut w.operative_start,
            &mut w.operative_end,
            &mut w.payment_verbs,
            &mut w.joint,
            &mut w.period_from_effect,
            &mut w.lpr,
            &mut w.interest_until_paid,
            &mut w.effective,
        ] {
            by_len(v);
        }
        for c in &mut w.cost {
            by_len(&mut c.labels);
        }
        Ok(w)
    }
    pub fn shipped() -> Result<Wording, toml::de::Error> {
        Wording::parse(SHIPPED_WORDING)
    }
}

// ---------------------------------------------------------------------------------------
// Text: normalisation and views

/// Full-width digits, letters and brackets to their ASCII forms, the ideographic space to a
/// space, line ends to `\n`, invisible and control characters dropped. Chinese punctuation
/// (，：；。) is kept: it is what the officer reads beside the form.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let m = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    continue;
                }
                '\n'
            }
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '（' => '(',
            '）' => ')',
            '％' => '%',
            '．' => '.',
            '\u{3000}' | '\u{A0}' | '\t' => ' ',
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {
                continue;
            }
            c if c.is_control() && c != '\n' => continue,
            c => c,
        };
        out.push(m);
    }
    out
}

/// A run of the normalised text with its line breaks (and the spaces around them) removed,
/// so that a name a line break cut in two reads whole; `map` leads back to the text.
struct View {
    s: String,
    /// For each byte of `s`, the byte of the normalised text it came from.
    map: Vec<usize>,
}

impl View {
    fn joined(t: &str, start: usize, end: usize) -> View {
        let mut s = String::with_capacity(end.saturating_sub(start));
        let mut map = Vec::with_capacity(end.saturating_sub(start));
        let part = t.get(start..end).unwrap_or("");
        let mut skip_spaces = false;
        for (i, c) in part.char_indices() {
            if c == '\n' {
                // Trailing spaces before a break go too.
                while s.ends_with(' ') {
                    s.pop();
                    map.pop();
                }
                skip_spaces = true;
                continue;
            }
            if skip_spaces && c == ' ' {
                continue;
            }
            skip_spaces = false;
            for _ in 0..c.len_utf8() {
                map.push(start + i);
            }
            s.push(c);
        }
        View { s, map }
    }

    /// The byte range of the normalised text a range of the view came from.
    fn orig(&self, a: usize, b: usize) -> (usize, usize) {
        let start = self.map.get(a).copied().unwrap_or(0);
        let last = self
            .s
            .get(..b)
            .and_then(|p| p.char_indices().next_back())
            .map(|(i, c)| self.map.get(i).copied().unwrap_or(0) + c.len_utf8());
        (start, last.unwrap_or(start).max(start))
    }
}

struct Text<'a> {
    t: &'a str,
    /// Character index of each byte offset (valid at char boundaries).
    chars_at: Vec<u32>,
}

impl<'a> Text<'a> {
    fn new(t: &'a str) -> Text<'a> {
        let mut chars_at = vec![0u32; t.len() + 1];
        let mut n = 0u32;
        for (i, c) in t.char_indices() {
            for k in 0..c.len_utf8() {
                if let Some(x) = chars_at.get_mut(i + k) {
                    *x = n;
                }
            }
            n += 1;
        }
        if let Some(x) = chars_at.last_mut() {
            *x = n;
        }
        Text { t, chars_at }
    }
    fn span(&self, a: usize, b: usize) -> Span {
        let c = |x: usize| self.chars_at.get(x).copied().unwrap_or(0) as usize;
        Span {
            start: c(a),
            end: c(b),
        }
    }
    fn vspan(&self, v: &View, a: usize, b: usize) -> Span {
        let (x, y) = v.orig(a, b);
        self.span(x, y)
    }
}

// ---------------------------------------------------------------------------------------
// Numbers, amounts, dates

fn cn_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' | '○' | 'О' => 0,
        '一' | '壹' => 1,
        '二' | '贰' | '两' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn cn_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

fn is_cn_numeral(c: char) -> bool {
    cn_digit(c).is_some() || cn_unit(c).is_some() || matches!(c, '万' | '萬' | '亿')
}

/// A number in Chinese numerals (壹拾万, 三十, 一百零五).
fn cn_number(s: &str) -> Option<u64> {
    let (mut total, mut section, mut digit) = (0u64, 0u64, None::<u64>);
    let mut any = false;
    for c in s.chars() {
        any = true;
        if let Some(d) = cn_digit(c) {
            digit = Some(d);
        } else if let Some(u) = cn_unit(c) {
            section = section.checked_add(digit.unwrap_or(1).checked_mul(u)?)?;
            digit = None;
        } else if c == '万' || c == '萬' {
            let v = section.checked_add(digit.unwrap_or(0))?;
            total = total.checked_add(v.checked_mul(10_000)?)?;
            section = 0;
            digit = None;
        } else if c == '亿' {
            let v = total
                .checked_add(section)?
                .checked_add(digit.unwrap_or(0))?;
            total = v.checked_mul(100_000_000)?;
            section = 0;
            digit = None;
        } else {
            return None;
        }
    }
    if !any {
        return None;
    }
    total.checked_add(section)?.checked_add(digit.unwrap_or(0))
}

/// A whole number of days or months as written: `10`, `十`, `十五`.
fn small_number(s: &str) -> Option<(u32, usize)> {
    let n_ascii = s.bytes().take_while(u8::is_ascii_digit).count();
    if n_ascii > 0 {
        return s.get(..n_ascii)?.parse().ok().map(|v| (v, n_ascii));
    }
    let end: usize = s
        .chars()
        .take_while(|&c| cn_digit(c).is_some() || cn_unit(c).is_some())
        .map(char::len_utf8)
        .sum();
    let v = cn_number(s.get(..end)?)?;
    Some((u32::try_from(v).ok()?, end))
}

/// An amount of money beginning at byte `at` of `s`: Arabic (`100,000.50元`, `12.5万元`) or
/// Chinese numerals (`壹拾万元整`, `伍佰元伍角`). Returns fen and the end.
fn amount_at(s: &str, at: usize) -> Option<(i64, usize)> {
    let rest = s.get(at..)?;
    let first = rest.chars().next()?;
    if first.is_ascii_digit() {
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b',' || *b == b'.')
            .count();
        let num = rest.get(..len)?.trim_end_matches([',', '.']);
        let len = num.len();
        let after = rest.get(len..)?;
        let (wan, after) = match after.strip_prefix('万') {
            Some(a) => (true, a),
            None => (false, after),
        };
        let after = after.strip_prefix(['元', '圆'])?;
        let plain: String = num.chars().filter(|&c| c != ',').collect();
        let (int, frac) = match plain.split_once('.') {
            Some((i, f)) => (i, f),
            None => (plain.as_str(), ""),
        };
        if int.is_empty() || frac.contains('.') {
            return None;
        }
        // Fen, with the fraction scaled: 2 places for yuan, 6 for 万元.
        let places = if wan { 6 } else { 2 };
        if frac.len() > places {
            return None;
        }
        let mut digits = format!("{int}{frac}");
        for _ in frac.len()..places {
            digits.push('0');
        }
        let fen: i64 = digits.parse().ok()?;
        return Some((fen, s.len() - after.len()));
    }
    if !is_cn_numeral(first) {
        return None;
    }
    let len: usize = rest
        .chars()
        .take_while(|&c| is_cn_numeral(c))
        .map(char::len_utf8)
        .sum();
    let yuan = cn_number(rest.get(..len)?)?;
    let mut after = rest.get(len..)?.strip_prefix(['元', '圆'])?;
    let mut fen = i64::try_from(yuan).ok()?.checked_mul(100)?;
    for (unit, mult) in [('角', 10), ('分', 1)] {
        let mut cs = after.chars();
        if let (Some(d), Some(u)) = (cs.next(), cs.next())
            && u == unit
            && let Some(d) = cn_digit(d)
        {
            fen = fen.checked_add(i64::try_from(d).ok()? * mult)?;
            after = cs.as_str();
        }
    }
    let after = after.strip_prefix('整').unwrap_or(after);
    Some((fen, s.len() - after.len()))
}

/// An amount found in a text, with the alternative written beside it in brackets.
struct Amount {
    fen: i64,
    start: usize,
    end: usize,
    /// The bracketed alternative said another figure.
    disagrees: bool,
    /// A bracketed alternative said the same figure.
    confirmed: bool,
}

/// Every amount of `s`, in order.
fn amounts(s: &str) -> Vec<Amount> {
    let mut out: Vec<Amount> = Vec::new();
    let mut prev: Option<char> = None;
    let mut skip_to = 0usize;
    for (i, c) in s.char_indices() {
        let starts = (c.is_ascii_digit() || is_cn_numeral(c))
            && !prev
                .is_some_and(|p| p.is_ascii_digit() || is_cn_numeral(p) || p == ',' || p == '.');
        prev = Some(c);
        if i < skip_to || !starts {
            continue;
        }
        let Some((fen, end)) = amount_at(s, i) else {
            continue;
        };
        skip_to = end;
        // 100,000元(壹拾万元整) — the bracket restates the figure.
        let mut a = Amount {
            fen,
            start: i,
            end,
            disagrees: false,
            confirmed: false,
        };
        if let Some(inner) = s.get(end..).and_then(|r| r.strip_prefix('(')) {
            let inner_at = s.len() - inner.len();
            let skip = if inner.starts_with("人民币") {
                "人民币".len()
            } else {
                0
            };
            if let Some((alt, alt_end)) = amount_at(s, inner_at + skip) {
                if alt == fen {
                    a.confirmed = true;
                } else {
                    a.disagrees = true;
                }
                let close = s.get(alt_end..).and_then(|r| r.strip_prefix(')'));
                skip_to = close.map_or(alt_end, |r| s.len() - r.len());
                a.end = skip_to;
            }
        }
        out.push(a);
    }
    out
}

/// A date beginning at byte `at`: `2024年3月1日` or `二〇二四年三月十五日`.
fn date_at(s: &str, at: usize) -> Option<(Date, usize)> {
    let rest = s.get(at..)?;
    let (year, used) = if rest.starts_with(|c: char| c.is_ascii_digit()) {
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if n != 4 {
            return None;
        }
        (rest.get(..4)?.parse::<i16>().ok()?, 4)
    } else {
        let mut y = 0i16;
        let mut used = 0usize;
        for c in rest.chars().take(4) {
            y = y * 10 + i16::try_from(cn_digit(c)?).ok()?;
            used += c.len_utf8();
        }
        (y, used)
    };
    let r = rest.get(used..)?.strip_prefix('年')?;
    let (m, mu) = small_number(r)?;
    let r = r.get(mu..)?.strip_prefix('月')?;
    let (d, du) = small_number(r)?;
    let r = r.get(du..)?.strip_prefix('日')?;
    let date = Date::new(year, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
    Some((date, s.len() - r.len()))
}

/// Every date of `s`, in order.
fn dates(s: &str) -> Vec<(Date, usize, usize)> {
    let mut out = Vec::new();
    let mut skip_to = 0;
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        let starts = (c.is_ascii_digit() || cn_digit(c).is_some())
            && !prev.is_some_and(|p| p.is_ascii_digit() || cn_digit(p).is_some());
        prev = Some(c);
        if i < skip_to || !starts {
            continue;
        }
        if let Some((d, end)) = date_at(s, i) {
            out.push((d, i, end));
            skip_to = end;
        }
    }
    out
}

fn find_any<'w>(s: &str, from: usize, words: &'w [String]) -> Option<(usize, &'w str)> {
    let hay = s.get(from..)?;
    words
        .iter()
        .filter_map(|w| hay.find(w.as_str()).map(|i| (from + i, w.as_str())))
        .min_by_key(|(i, w)| (*i, std::cmp::Reverse(w.len())))
}

fn strip_colon(s: &str) -> &str {
    s.trim_start_matches([' ', ':', '：'])
}

const SEPARATORS: [char; 6] = ['，', ',', '。', '；', ';', '、'];

// ---------------------------------------------------------------------------------------
// Parties

struct Party {
    draft: PartyDraft,
    side: Side,
    /// Names the operative part may use for it (its name, 以下简称 …).
    aliases: Vec<String>,
    /// Its heading role's marker (原告), to match a bare 原告 when it is the only one.
    marker: String,
}

fn looks_like_organisation(name: &str, w: &Wording) -> bool {
    w.organisation_suffixes
        .iter()
        .any(|s| name.ends_with(s.as_str()))
}

/// The eighteen identifier characters after a key, or `None`.
fn identifier_after(s: &str, key_end: usize) -> Option<(usize, usize, String)> {
    let rest = s.get(key_end..)?;
    let skipped = rest.len() - strip_colon(rest).len();
    let start = key_end + skipped;
    let body = s.get(start..)?;
    let len = body
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if len == 0 {
        return None;
    }
    Some((start, start + len, body.get(..len)?.to_ascii_uppercase()))
}

fn parse_party(
    tx: &Text,
    v: &View,
    marker: &RoleMarker,
    w: &Wording,
    problems: &mut Vec<Problem>,
) -> Option<Party> {
    let s = v.s.as_str();
    let mut at = s.find(marker.marker.as_str())? + marker.marker.len();
    let role_span = tx.vspan(v, 0, at);
    let mut side = marker.side;
    let mut heading = marker.marker.clone();
    // 被告一 / 原告2 — an ordinal after the marker.
    let ord: usize = s
        .get(at..)?
        .chars()
        .take_while(|&c| c.is_ascii_digit() || cn_digit(c).is_some())
        .map(char::len_utf8)
        .sum();
    at += ord;
    // 上诉人(原审被告) / 原告(反诉被告) — the bracket names the role the enforcement follows
    // when the heading is an appeal's.
    if let Some(inner) = s.get(at..).and_then(|r| r.strip_prefix('('))
        && let Some(close) = inner.find(')')
    {
        let inside = inner.get(..close).unwrap_or("");
        if marker.side == Side::None
            && let Some(r) = w
                .role
                .iter()
                .find(|r| inside.contains(r.marker.as_str()) && r.side != Side::None)
        {
            side = r.side;
            heading = format!("{}({})", marker.marker, inside);
        }
        at = s.len() - inner.len() + close + 1;
    }
    let had_colon = s.get(at..).is_some_and(|r| r.starts_with([':', '：']));
    let rest = s.get(at..)?;
    let name_start = at + (rest.len() - strip_colon(rest).len());
    let body = s.get(name_start..)?;
    let name_len = body.find(SEPARATORS).unwrap_or(body.len());
    let mut raw_name = body.get(..name_len)?.to_owned();
    let mut name_end = name_start + name_len;
    // A trailing (以下简称…) or (曾用名…) is not the name.
    let mut aliases = Vec::new();
    if let Some(open) = raw_name.find('(') {
        let inner = raw_name.get(open + 1..).unwrap_or("").trim_end_matches(')');
        if inner.contains("简称") || inner.contains("曾用名") || inner.contains("反诉") {
            if let Some(a) = inner.split("简称").nth(1) {
                let a = a.trim_matches(['"', '“', '”', ':', '：', ' ', ')']);
                if !a.is_empty() {
                    aliases.push(a.to_owned());
                }
            }
            name_end = name_start + open;
            raw_name.truncate(open);
        }
    }
    let name: String = raw_name.chars().filter(|c| !c.is_whitespace()).collect();
    if name.is_empty() || name.chars().count() > 100 {
        problems.push(Problem {
            code: "party_name_not_found",
            span: Some(tx.vspan(v, 0, s.len())),
        });
        return None;
    }
    let mut name_f = Field::new(name.clone(), tx.vspan(v, name_start, name_end), 95);
    if !had_colon {
        name_f = name_f.flag("no_colon_after_role", 75);
    }
    aliases.insert(0, name.clone());
    // Also 以下简称 in the rest of the paragraph.
    if let Some(i) = s.find("简称") {
        let a: String = s
            .get(i + "简称".len()..)
            .unwrap_or("")
            .trim_start_matches(['"', '“', ':', '：', ' '])
            .chars()
            .take_while(|c| !matches!(c, '"' | '”' | ')' | '，' | ',' | '。'))
            .collect();
        if !a.is_empty() && !aliases.contains(&a) {
            aliases.push(a);
        }
    }

    let mut person_signs = 0;
    let mut id_number = None;
    let mut credit_code = None;
    let mut birth_date: Option<Field<Date>> = None;
    let mut address = None;
    let mut legal_representative = None;
    // The fields after the name, one per separated fragment.
    let mut frag_start = name_end;
    let tail = s.get(name_end..).unwrap_or("");
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for (i, c) in tail.char_indices() {
        if SEPARATORS.contains(&c) && c != '、' {
            pieces.push((frag_start, name_end + i));
            frag_start = name_end + i + c.len_utf8();
        }
    }
    pieces.push((frag_start, s.len()));
    for (a, b) in pieces {
        let frag = s.get(a..b).unwrap_or("").trim();
        let lead = s.get(a..b).map_or(0, |f| f.len() - f.trim_start().len());
        let a = a + lead;
        if frag.is_empty() {
            continue;
        }
        if frag == "男" || frag == "女" {
            person_signs += 1;
            continue;
        }
        if let Some(k) = w.person_id_keys.iter().find(|k| frag.contains(k.as_str())) {
            person_signs += 1;
            let key_end = a + frag.find(k.as_str()).unwrap_or(0) + k.len();
            if let Some((x, y, id)) = identifier_after(s, key_end) {
                let span = tx.vspan(v, x, y);
                id_number = Some(match IdNumber::parse(&id) {
                    Ok(ok) => Field::new(ok.reveal().to_owned(), span, 98),
                    Err(IdentityError::IdChecksum) => {
                        Field::new(id, span, 40).flag("checksum_failed", 40)
                    }
                    Err(_) => Field::new(id, span, 30).flag("malformed_identifier", 30),
                });
            }
            continue;
        }
        if let Some(k) = w
            .credit_code_keys
            .iter()
            .find(|k| frag.contains(k.as_str()))
        {
            let key_end = a + frag.find(k.as_str()).unwrap_or(0) + k.len();
            if let Some((x, y, code)) = identifier_after(s, key_end) {
                let span = tx.vspan(v, x, y);
                credit_code = Some(match CreditCode::parse(&code) {
                    Ok(ok) => Field::new(ok.as_str().to_owned(), span, 98),
                    Err(IdentityError::CreditChecksum) => {
                        Field::new(code, span, 40).flag("checksum_failed", 40)
                    }
                    Err(_) => Field::new(code, span, 30).flag("malformed_identifier", 30),
                });
            }
            continue;
        }
        if let Some(k) = w
            .representatives
            .iter()
            .find(|k| frag.starts_with(k.as_str()))
        {
            let x = a + k.len();
            let r = strip_colon(s.get(x..b).unwrap_or(""));
            let x = b - r.len();
            let r: String = r.chars().filter(|c| !c.is_whitespace()).collect();
            if !r.is_empty() {
                legal_representative = Some(Field::new(r, tx.vspan(v, x, b), 90));
            }
            continue;
        }
        if address.is_none()
            && let Some(k) = w.address_keys.iter().find(|k| frag.starts_with(k.as_str()))
        {
            let x = a + k.len();
            let r = strip_colon(s.get(x..b).unwrap_or(""));
            let x = b - r.len();
            let text: String = r.chars().filter(|c| !c.is_whitespace()).collect();
            if text.chars().count() >= 4 {
                address = Some(Field::new(text, tx.vspan(v, x, b), 90));
            }
            continue;
        }
        if birth_date.is_none()
            && w.birth_suffixes.iter().any(|k| frag.ends_with(k.as_str()))
            && let Some((d, x, y)) = dates(frag).first().copied()
        {
            person_signs += 1;
            birth_date = Some(Field::new(d, tx.vspan(v, a + x, a + y), 95));
        }
    }
    // The ID number's birth date stands for a missing stated one, and must agree with it.
    if let Some(id) = id_number.as_ref().filter(|f| f.flags.is_empty())
        && let Ok(parsed) = IdNumber::parse(&id.value)
        && let Ok(from_id) = parsed.birth_date()
    {
        birth_date = match birth_date {
            None => Some(Field::new(from_id, id.span, 90)),
            Some(b) if b.value != from_id => Some(b.flag("birth_date_disagrees_with_id", 50)),
            b => b,
        };
    }
    let org_name = looks_like_organisation(&name, w);
    let span = name_f.span;
    let kind = match (credit_code.is_some(), person_signs > 0, org_name) {
        (true, false, _) => Field::new(PartyKind::Organisation, span, 97),
        (false, true, false) => Field::new(PartyKind::Person, span, 97),
        (false, false, true) => Field::new(PartyKind::Organisation, span, 80),
        (true, true, _) | (false, true, true) => {
            Field::new(PartyKind::Organisation, span, 50).flag("kind_signs_disagree", 50)
        }
        (false, false, false) => {
            // A short name with no identifier: most likely a person, but say so.
            let k = if name.chars().count() <= 4 {
                PartyKind::Person
            } else {
                PartyKind::Organisation
            };
            Field::new(k, span, 50).flag("kind_guessed", 50)
        }
    };
    Some(Party {
        draft: PartyDraft {
            heading_role: Field::new(heading, role_span, 95),
            role: None,
            kind,
            name: name_f,
            id_number,
            credit_code,
            birth_date,
            address,
            legal_representative,
        },
        side,
        aliases,
        marker: marker.marker.clone(),
    })
}

fn starts_with_marker<'w>(line: &str, w: &'w Wording) -> Option<&'w RoleMarker> {
    w.role.iter().find(|r| line.starts_with(r.marker.as_str()))
}

/// Reads the parties' paragraphs from line `from` on; returns them and the byte offset where
/// the paragraphs end.
fn parties(
    tx: &Text,
    lines: &[(usize, usize)],
    from: usize,
    w: &Wording,
    problems: &mut Vec<Problem>,
) -> (Vec<Party>, usize) {
    enum Entry<'w> {
        Party(&'w RoleMarker),
        Representative,
        Ignored,
    }
    let t = tx.t;
    let mut out: Vec<Party> = Vec::new();
    let mut current: Option<(Entry, usize, usize)> = None;
    let mut end = lines.get(from).map_or(t.len(), |l| l.0);
    let finish = |cur: Option<(Entry, usize, usize)>,
                  out: &mut Vec<Party>,
                  problems: &mut Vec<Problem>| {
        let Some((e, a, b)) = cur else { return };
        let v = View::joined(t, a, b);
        match e {
            Entry::Party(m) => {
                if let Some(p) = parse_party(tx, &v, m, w, problems) {
                    out.push(p);
                }
            }
            Entry::Representative => {
                let s = v.s.as_str();
                let key_len = w
                    .representatives
                    .iter()
                    .find(|k| s.starts_with(k.as_str()))
                    .map_or(0, |k| k.len());
                let r = strip_colon(s.get(key_len..).unwrap_or(""));
                let x = s.len() - r.len();
                let n = r.find(SEPARATORS).unwrap_or(r.len());
                let name: String = r
                    .get(..n)
                    .unwrap_or("")
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                if let Some(p) = out.last_mut()
                    && !name.is_empty()
                {
                    let f = Field::new(name, tx.vspan(&v, x, x + n), 92);
                    let f = if p.draft.kind.value == PartyKind::Person {
                        f.flag("representative_of_person", 60)
                    } else {
                        f
                    };
                    p.draft.legal_representative = Some(f);
                    if p.draft.kind.value != PartyKind::Organisation || p.draft.kind.confidence < 80
                    {
                        p.draft.kind = Field::new(PartyKind::Organisation, p.draft.kind.span, 90);
                    }
                }
            }
            Entry::Ignored => {}
        }
    };
    for &(a, b) in lines.iter().skip(from) {
        let line = t.get(a..b).unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let kind = if w.ignored.iter().any(|k| line.starts_with(k.as_str())) {
            Some(Entry::Ignored)
        } else if w
            .representatives
            .iter()
            .any(|k| line.starts_with(k.as_str()))
        {
            Some(Entry::Representative)
        } else {
            starts_with_marker(line, w).and_then(|m| {
                // "原告张三与被告李四…一案", "申请执行人与被申请执行人于…" begin the
                // narrative, not a party's paragraph: a paragraph's role is followed by a
                // colon, or by the name and its comma.
                let after = line.get(m.marker.len()..).unwrap_or("");
                let after =
                    after.trim_start_matches(|c: char| c.is_ascii_digit() || cn_digit(c).is_some());
                let colon = after.starts_with([':', '：', '('])
                    || after.find([':', '：']).is_some_and(|c| {
                        after
                            .get(..c)
                            .is_some_and(|h| h.starts_with('(') && h.chars().count() < 12)
                    });
                let narrative = !colon
                    && (after.starts_with(['与', '诉', '对', '于', '向', '和', '及'])
                        || ["与被", "诉被", "与原", "与申请", "与第三人", "与上诉"]
                            .iter()
                            .any(|k| line.contains(k))
                        || line.contains("一案")
                        || line.contains("纠纷")
                        || line.contains("诉称"));
                (!narrative).then_some(Entry::Party(m))
            })
        };
        match kind {
            Some(k) => {
                finish(current.take(), &mut out, problems);
                current = Some((k, a, b));
                end = b;
            }
            None => match current.as_mut() {
                // A paragraph a line break cut: it goes on until its full stop.
                Some((_, _, e)) if !t.get(..*e).unwrap_or("").trim_end().ends_with('。') => {
                    *e = b;
                    end = b;
                }
                // Before the first party's paragraph, a line of the heading we did not
                // recognise is passed over.
                None if out.is_empty() => {}
                _ => break,
            },
        }
    }
    finish(current.take(), &mut out, problems);
    (out, end)
}

// ---------------------------------------------------------------------------------------
// The operative part

/// Where in an item each party is named: (start, end, party indexes).
fn mentions(s: &str, parties: &[Party]) -> Vec<(usize, usize, Vec<usize>)> {
    let mut found: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    for (i, p) in parties.iter().enumerate() {
        for a in &p.aliases {
            for (at, _) in s.match_indices(a.as_str()) {
                found.push((at, at + a.len(), vec![i]));
            }
        }
    }
    // A bare role (被告) stands for every party of that role when no name follows it.
    let mut markers: Vec<&str> = parties.iter().map(|p| p.marker.as_str()).collect();
    markers.sort_by_key(|m| std::cmp::Reverse(m.len()));
    markers.dedup();
    for m in markers {
        for (at, _) in s.match_indices(m) {
            let end = at + m.len();
            // Part of a longer marker (申请人 in 被申请人) or followed by a name already found.
            if s.get(..at)
                .is_some_and(|p| p.ends_with('被') || p.ends_with("原审"))
                && !m.starts_with('被')
            {
                continue;
            }
            if found.iter().any(|f| f.0 <= at && at < f.1) {
                continue;
            }
            // 原告(反诉被告)宋涛: the role in brackets describes, it does not name.
            let before = s.get(..at).unwrap_or("");
            if before
                .rfind('(')
                .is_some_and(|o| !before.get(o..).unwrap_or("").contains(')'))
            {
                continue;
            }
            let named_after = found.iter().any(|f| {
                f.0 == end
                    || (f.0 > end
                        && f.0 <= end + 30
                        && s.get(end..f.0).is_some_and(|g| {
                            g.chars()
                                .all(|c| c.is_ascii_digit() || cn_digit(c).is_some())
                                || g.starts_with('(')
                                    && g.ends_with(')')
                                    && !g.get(1..).unwrap_or("").contains('(')
                        }))
            });
            if named_after {
                continue;
            }
            let of_role: Vec<usize> = parties
                .iter()
                .enumerate()
                .filter(|(_, p)| p.marker == m)
                .map(|(i, _)| i)
                .collect();
            if !of_role.is_empty() {
                found.push((at, end, of_role));
            }
        }
    }
    found.sort_by_key(|f| (f.0, std::cmp::Reverse(f.1)));
    // Drop a match inside a longer one.
    let mut out: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    for f in found {
        if out.last().is_some_and(|l| f.0 < l.1) {
            continue;
        }
        out.push(f);
    }
    out
}

fn name_fields(
    tx: &Text,
    v: &View,
    ms: &[(usize, usize, Vec<usize>)],
    parties: &[Party],
    conf: u8,
) -> Vec<Field<String>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (a, b, who) in ms {
        let c = if who.len() > 1 { conf.min(70) } else { conf };
        for &i in who {
            if seen.insert(i)
                && let Some(p) = parties.get(i)
            {
                let f = Field::new(p.draft.name.value.clone(), tx.vspan(v, *a, *b), c);
                out.push(if who.len() > 1 {
                    f.flag("role_stands_for_several", 70)
                } else {
                    f
                });
            }
        }
    }
    out
}

fn period_in(tx: &Text, v: &View, s: &str, w: &Wording) -> Option<Field<Period>> {
    if let Some((at, p)) = find_any(s, 0, &w.period_from_effect) {
        let after = s.get(at + p.len()..)?;
        let (days, used) = small_number(after)?;
        let tail = after.get(used..)?;
        if tail.starts_with("日内") || tail.starts_with("天内") || tail.starts_with("个工作日内")
        {
            let end = at + p.len() + used + "日内".len();
            let start = s.get(..at).map_or(at, |b| {
                if b.ends_with('于') {
                    at - '于'.len_utf8()
                } else {
                    at
                }
            });
            return Some(Field::new(
                Period::DaysFromEffect { days },
                tx.vspan(v, start, end.min(s.len())),
                92,
            ));
        }
    }
    for (d, a, b) in dates(s) {
        let tail = s.get(b..).unwrap_or("");
        let before = s.get(..a).unwrap_or("");
        if (tail.starts_with('前') || tail.starts_with("之前"))
            && (before.ends_with('于') || before.ends_with('在'))
        {
            return Some(Field::new(
                Period::ByDate { date: d },
                tx.vspan(v, a, b),
                88,
            ));
        }
    }
    None
}

fn interest_in(
    tx: &Text,
    v: &View,
    s: &str,
    from: usize,
    principal: Option<&Field<Fen>>,
    all: &[Amount],
    w: &Wording,
) -> Option<InterestDraft> {
    const TRIGGERS: [&str; 5] = ["利息", "资金占用", "逾期付款损失", "罚息", "逾期付款违约金"];
    // Or a sum computed on a base (违约金(以…为基数…按年利率…)): its bracket or its 以.
    let base_clause = s.get(from..).and_then(|r| r.find("为基数")).and_then(|j| {
        let head = s.get(from..from + j)?;
        head.rfind(['(', '，', ','])
            .map(|o| from + o)
            .or_else(|| head.rfind('以').map(|o| from + o))
    });
    let at = TRIGGERS
        .iter()
        .filter_map(|t| s.get(from..).and_then(|r| r.find(t)).map(|i| from + i))
        .chain(base_clause)
        .min()?;
    let part = s.get(at..)?;
    let end_rel = part.find('。').unwrap_or(part.len());
    let part_end = at + end_rel;
    let clause = s.get(at..part_end)?;
    // The rate.
    let mut rate = None;
    if let Some((i, l)) = find_any(clause, 0, &w.lpr) {
        let after = clause.get(i + l.len()..).unwrap_or("");
        let after = after
            .trim_start_matches([')', '('])
            .trim_start_matches("LPR")
            .trim_start_matches([')', '(']);
        let rel = clause.len() - after.len();
        let (text, end) = if let Some(r) = after.strip_prefix("的") {
            let n = r
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'.')
                .count();
            let (num, used) = if n > 0 {
                (r.get(..n).unwrap_or("").to_owned(), n)
            } else {
                small_number(r).map_or((String::new(), 0), |(v, u)| (v.to_string(), u))
            };
            if !num.is_empty() && r.get(used..).is_some_and(|x| x.starts_with('倍')) {
                (
                    format!("LPR×{num}"),
                    rel + "的".len() + used + '倍'.len_utf8(),
                )
            } else {
                ("LPR".to_owned(), i + l.len())
            }
        } else if let Some(r) = after.strip_prefix("上浮") {
            let n = r
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'.')
                .count();
            if n > 0 && r.get(n..).is_some_and(|x| x.starts_with('%')) {
                (
                    format!("LPR+{}%", r.get(..n).unwrap_or("")),
                    rel + "上浮".len() + n + 1,
                )
            } else {
                ("LPR".to_owned(), i + l.len())
            }
        } else {
            ("LPR".to_owned(), i + l.len())
        };
        rate = Some(Field::new(text, tx.vspan(v, at + i, at + end), 88));
    } else if let Some(i) = clause.find("中国人民银行同期") {
        rate = Some(Field::new(
            "人行同期贷款利率".to_owned(),
            tx.vspan(v, at + i, at + i + "中国人民银行同期".len()),
            80,
        ));
    } else if let Some(i) = clause.find("利率") {
        let per = clause.get(..i).and_then(|b| b.chars().next_back());
        let unit = match per {
            Some('年') => "年",
            Some('月') => "月",
            Some('日') => "日",
            _ => "年",
        };
        let after = strip_colon(clause.get(i + "利率".len()..).unwrap_or(""));
        let after = after.strip_prefix("为").unwrap_or(after);
        let rel = clause.len() - after.len();
        let n = after
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let per_mille = |r: &str, div: u32| -> Option<(String, usize)> {
            let len: usize = r
                .chars()
                .take_while(|&c| cn_digit(c).is_some() || cn_unit(c).is_some())
                .map(char::len_utf8)
                .sum();
            let n = cn_number(r.get(..len)?)?;
            // 万分之五 = 0.05%, 千分之三 = 0.3%.
            let pct = format!("{}", n as f64 / f64::from(div));
            Some((pct, len))
        };
        let parsed = if let Some(r) = after.strip_prefix("万分之") {
            per_mille(r, 100).map(|(x, l)| (x, "万分之".len() + l))
        } else if let Some(r) = after.strip_prefix("千分之") {
            per_mille(r, 10).map(|(x, l)| (x, "千分之".len() + l))
        } else if n > 0 && after.get(n..).is_some_and(|x| x.starts_with('%')) {
            Some((after.get(..n).unwrap_or("").to_owned(), n + 1))
        } else if let Some(r) = after.strip_prefix("百分之") {
            let len: usize = r
                .chars()
                .take_while(|&c| cn_digit(c).is_some() || cn_unit(c).is_some() || c == '点')
                .map(char::len_utf8)
                .sum();
            let txt = r.get(..len).unwrap_or("");
            let val = match txt.split_once('点') {
                Some((a, b)) => cn_number(a).map(|a| {
                    format!(
                        "{a}.{}",
                        b.chars()
                            .filter_map(cn_digit)
                            .map(|d| d.to_string())
                            .collect::<String>()
                    )
                }),
                None => cn_number(txt).map(|a| a.to_string()),
            };
            val.map(|x| (x, "百分之".len() + len))
        } else {
            None
        };
        if let Some((num, used)) = parsed {
            let start = clause
                .get(..i)
                .map_or(i, |b| b.len() - per.map_or(0, char::len_utf8));
            rate = Some(Field::new(
                format!("{unit}{num}%"),
                tx.vspan(v, at + start, at + rel + used),
                90,
            ));
        }
    } else if let Some(i) = clause.find("中国人民银行同期") {
        rate = Some(Field::new(
            "人行同期贷款利率".to_owned(),
            tx.vspan(v, at + i, at + i + "中国人民银行同期".len()),
            80,
        ));
    }
    // The base: 以100,000元为基数.
    let mut base = None;
    if let Some(j) = clause.find("为基数") {
        let before_at = clause.get(..j).and_then(|b| b.rfind('以')).unwrap_or(0);
        let inside = all
            .iter()
            .rfind(|a| a.start >= at + before_at && a.end <= at + j);
        base = match inside {
            Some(a) => {
                let f = Field::new(Fen::new(a.fen).ok()?, tx.vspan(v, a.start, a.end), 92);
                Some(if a.disagrees {
                    f.flag("amounts_disagree", 40)
                } else {
                    f
                })
            }
            // 以上述欠款为基数: the principal.
            None => principal.map(|p| Field::new(p.value, tx.vspan(v, at + before_at, at + j), 80)),
        };
    }
    // The start: 自2024年1月1日起.
    let start = dates(clause)
        .into_iter()
        .find(|(_, a, b)| {
            clause
                .get(..*a)
                .is_some_and(|p| p.ends_with('自') || p.ends_with("从"))
                && clause.get(*b..).is_some_and(|r| r.starts_with('起'))
        })
        .map(|(d, a, b)| Field::new(d, tx.vspan(v, at + a, at + b), 90));
    let until_paid = w
        .interest_until_paid
        .iter()
        .any(|p| clause.contains(p.as_str()));
    // Interest as a sum: 利息8,000元.
    let amount = all
        .iter()
        .find(|a| {
            a.start >= at
                && a.end <= part_end
                && s.get(..a.start).is_some_and(|g| {
                    let g = g.trim_end_matches(['为', ':', '：', ' ']);
                    let g = g.strip_suffix("人民币").unwrap_or(g);
                    let g = g.trim_end_matches(['为', ':', '：', ' ']);
                    g.ends_with("利息")
                })
                && !s.get(a.end..).is_some_and(|r| r.starts_with("为基数"))
        })
        .and_then(|a| {
            Fen::new(a.fen)
                .ok()
                .map(|f| Field::new(f, tx.vspan(v, a.start, a.end), 90))
        });
    if rate.is_none() && amount.is_none() && base.is_none() && start.is_none() {
        return None;
    }
    Some(InterestDraft {
        rate,
        base,
        start,
        until_paid,
        amount,
        span: tx.vspan(v, at, part_end),
    })
}

/// The first verb of payment that is one: not the 清偿 of 至实际清偿之日 (the end of an
/// interest period).
fn payment_verb<'w>(s: &str, w: &'w Wording) -> Option<(usize, &'w str)> {
    let mut from = 0;
    while let Some((i, v)) = find_any(s, from, &w.payment_verbs) {
        let before = s.get(..i).unwrap_or("");
        let after = s.get(i + v.len()..).unwrap_or("");
        if !(before.ends_with("实际")
            || before.ends_with("全部") && after.starts_with("之日")
            || after.starts_with("之日")
            // 补充赔偿责任, 连带清偿责任: a liability, not the payment itself.
            || after.starts_with("责任"))
        {
            return Some((i, v));
        }
        from = i + v.len();
    }
    None
}

/// Item numbers of the operative part referred to: 第一项 → [1], 第一、二项 → [1, 2].
fn referenced_items(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find('第') {
        let after = rest.get(i + '第'.len_utf8()..).unwrap_or("");
        let Some(j) = after.find('项') else { break };
        let inner = after.get(..j).unwrap_or("");
        if inner.chars().count() <= 12 {
            for part in inner.split(['、', ',', '，', '至']) {
                if let Some((n, _)) = small_number(part) {
                    out.push(n);
                }
            }
        }
        rest = after.get(j..).unwrap_or("");
    }
    out
}

/// The numbered items of the operative part: byte ranges of the text.
fn items(t: &str, start: usize, end: usize) -> Vec<(u32, usize, usize)> {
    let part = t.get(start..end).unwrap_or("");
    let mut heads: Vec<(u32, usize, usize)> = Vec::new();
    let mut expect = 1u32;
    for (i, c) in part.char_indices() {
        if cn_digit(c).is_none() && cn_unit(c).is_none() && !c.is_ascii_digit() {
            continue;
        }
        let before = part.get(..i).unwrap_or("");
        let at_head = before.trim_end_matches(' ').is_empty()
            || before
                .trim_end_matches(' ')
                .ends_with(['\n', '：', ':', '。', '；', ';']);
        let Some((n, used)) = small_number(part.get(i..).unwrap_or("")) else {
            continue;
        };
        let mark = part.get(i + used..).unwrap_or("");
        let bracketed = before.ends_with('(');
        let at_head = at_head
            || bracketed && {
                let b = before.trim_end_matches('(').trim_end_matches(' ');
                b.is_empty() || b.ends_with(['\n', '：', ':', '。', '；', ';'])
            };
        if !at_head {
            continue;
        }
        let mark_len = if bracketed && mark.starts_with(')') {
            1
        } else if mark.starts_with('、') {
            '、'.len_utf8()
        } else if mark.starts_with('.')
            && !mark
                .get(1..)
                .is_some_and(|m| m.starts_with(|c: char| c.is_ascii_digit()))
        {
            1
        } else {
            continue;
        };
        if n == expect {
            heads.push((n, start + i, start + i + used + mark_len));
            expect += 1;
        }
    }
    let mut out = Vec::new();
    for (k, &(n, _, body)) in heads.iter().enumerate() {
        let next = heads.get(k + 1).map_or(end, |h| h.1);
        // An item is its first sentence: the costs and the warning on late payment that follow
        // the last item are not part of it.
        let text = t.get(body..next).unwrap_or("");
        let stop = text.find('。').map_or(next, |p| body + p + '。'.len_utf8());
        out.push((n, body, stop.min(next)));
    }
    if out.is_empty() {
        let lead = part.len() - part.trim_start_matches([':', '：', '\n', ' ']).len();
        let body = start + lead;
        let stop = t
            .get(body..end)
            .and_then(|x| x.find('。'))
            .map_or(end, |p| body + p + '。'.len_utf8());
        out.push((1, body, stop));
    }
    out
}

struct Operative {
    duties: Vec<DutyDraft>,
    costs: Vec<CostDraft>,
}

fn operative(
    tx: &Text,
    start: usize,
    end: usize,
    parties: &mut [Party],
    w: &Wording,
    problems: &mut Vec<Problem>,
) -> Operative {
    let t = tx.t;
    let mut duties: Vec<DutyDraft> = Vec::new();
    // Guarantees found in an item, applied to the items they name once all are read.
    let mut guarantees: Vec<(Vec<u32>, Vec<Field<String>>)> = Vec::new();
    let mut listed: Option<(u32, Span, Field<Fen>)> = None;
    let mut listed_interest: Option<InterestDraft> = None;
    for (n, a, b) in items(t, start, end) {
        let v = View::joined(t, a, b);
        let s = v.s.as_str();
        let ms = mentions(s, parties);
        let joint = find_any(s, 0, &w.joint);
        // 被告丙对上述第一项债务承担连带清偿责任 — a guarantee of another item's duty.
        if let Some((j, _)) = joint {
            let dui = s.get(..j).and_then(|p| p.find('对'));
            let own_payment =
                payment_verb(s, w).is_some_and(|(p, _)| p < j && dui.is_none_or(|d| p < d));
            if let Some(d) = dui
                && !own_payment
            {
                let who: Vec<_> = ms.iter().filter(|m| m.0 < d).cloned().collect();
                let names = name_fields(tx, &v, &who, parties, 90);
                let refs = referenced_items(s);
                if !names.is_empty() {
                    guarantees.push((refs, names));
                }
                continue;
            }
        }
        let all = amounts(s);
        // 被告丙对上述第一项债务不能清偿的部分承担补充赔偿责任: a liability for another
        // item's duty that is not joint and several — not a duty of its own, and not drafted.
        if joint.is_none()
            && let Some(c) = s.find("承担")
            && s.get(..c).is_some_and(|h| h.contains('对'))
            && s.get(c..).is_some_and(|r| r.contains("责任"))
        {
            problems.push(Problem {
                code: "liability_not_drafted",
                span: Some(tx.vspan(&v, 0, s.len())),
            });
            continue;
        }
        let Some((verb, verb_word)) = payment_verb(s, w) else {
            // An execution certificate lists what is owed without a verb: 1.借款本金…元；
            // 2.利息…元.
            if let Some(k) = s.find("本金")
                && listed.is_none()
                && let Some(a) = all.iter().find(|a| a.start > k)
                && let Ok(fen) = Fen::new(a.fen)
            {
                let f = Field::new(fen, tx.vspan(&v, a.start, a.end), 70)
                    .flag("listed_without_verb", 70);
                listed = Some((n, tx.vspan(&v, 0, s.len()), f));
            } else if s.contains("利息") && listed_interest.is_none() {
                listed_interest = interest_in(tx, &v, s, 0, None, &all, w);
            }
            continue;
        };
        let after_verb: Vec<&Amount> = all.iter().filter(|x| x.start > verb).collect();
        if all.is_empty() {
            continue;
        }
        // Payers are named before the verb, payees after 向 or right after the verb.
        let mut payers_m = Vec::new();
        let mut payees_m = Vec::new();
        let first_amount = after_verb.first().map_or(s.len(), |x| x.start);
        for m in &ms {
            let mut before = s.get(..m.0).unwrap_or("");
            // 向原告张三 — the role before the name does not hide the 向.
            if let Some(r) = w.role.iter().find(|r| before.ends_with(r.marker.as_str())) {
                before = before.get(..before.len() - r.marker.len()).unwrap_or("");
            }
            if m.0 < verb {
                // 向原告 / 给原告 / 尚欠原告: the one paid.
                if before.ends_with('向') || before.ends_with('给') || before.ends_with('欠') {
                    payees_m.push(m.clone());
                } else {
                    payers_m.push(m.clone());
                }
            } else if m.0 < first_amount {
                payees_m.push(m.clone());
            }
        }
        let mut payers = name_fields(tx, &v, &payers_m, parties, 92);
        let mut payees = name_fields(tx, &v, &payees_m, parties, 90);
        if payers.is_empty() {
            for p in parties.iter().filter(|p| p.side == Side::Respondent) {
                payers.push(
                    Field::new(
                        p.draft.name.value.clone(),
                        tx.vspan(&v, verb, verb + verb_word.len()),
                        55,
                    )
                    .flag("payer_inferred", 55),
                );
            }
        }
        if payees.is_empty() {
            for p in parties.iter().filter(|p| p.side == Side::Applicant) {
                payees.push(
                    Field::new(
                        p.draft.name.value.clone(),
                        tx.vspan(&v, verb, verb + verb_word.len()),
                        60,
                    )
                    .flag("payee_inferred", 60),
                );
            }
        }
        // The principal: a stated total, else the debt acknowledged, else the first sum paid.
        let interest_at = ["利息", "资金占用", "逾期付款损失", "罚息"]
            .iter()
            .filter_map(|k| s.find(k))
            .min()
            .unwrap_or(s.len());
        let total = ["共计", "合计", "总计"]
            .iter()
            .filter_map(|k| s.find(k).map(|i| i + k.len()))
            .min();
        let owed = s.find('欠').filter(|&i| i < verb);
        let pick = |from: usize| all.iter().find(|x| x.start >= from);
        let (chosen, conf) = if let Some(tot) = total.and_then(pick) {
            (Some(tot), 88)
        } else if let Some(o) = owed.and_then(|o| pick(o).filter(|x| x.start < verb)) {
            (Some(o), 85)
        } else {
            let principal_like: Vec<&&Amount> = after_verb
                .iter()
                .filter(|x| x.start < interest_at)
                .collect();
            (
                after_verb.first().copied().filter(|x| {
                    x.start < interest_at
                        || principal_like.is_empty()
                            && s.get(verb..x.start).is_some_and(|g| !g.contains("利息"))
                }),
                if principal_like.len() > 1 { 70 } else { 92 },
            )
        };
        let principal = chosen.and_then(|x| {
            let f = Field::new(
                Fen::new(x.fen).ok()?,
                tx.vspan(&v, x.start, x.end),
                if x.confirmed { conf.max(95) } else { conf },
            );
            let f = if x.disagrees {
                f.flag("amounts_disagree", 40)
            } else {
                f
            };
            Some(if conf < 80 {
                f.flag("several_amounts", conf)
            } else {
                f
            })
        });
        let interest = interest_in(tx, &v, s, verb, principal.as_ref(), &all, w);
        let joint_and_several = joint.is_some() && payers.len() > 1;
        let period = period_in(tx, &v, s, w);
        duties.push(DutyDraft {
            item: n,
            span: tx.vspan(&v, 0, s.len()),
            payers,
            payees,
            principal,
            joint_and_several,
            guarantors: Vec::new(),
            interest,
            period,
        });
    }
    if duties.is_empty()
        && let Some((item, span, principal)) = listed
    {
        let inferred = |side: Side, why: &'static str| -> Vec<Field<String>> {
            parties
                .iter()
                .filter(|p| p.side == side)
                .map(|p| {
                    Field::new(p.draft.name.value.clone(), p.draft.name.span, 55).flag(why, 55)
                })
                .collect()
        };
        duties.push(DutyDraft {
            item,
            span,
            payers: inferred(Side::Respondent, "payer_inferred"),
            payees: inferred(Side::Applicant, "payee_inferred"),
            principal: Some(principal),
            joint_and_several: false,
            guarantors: Vec::new(),
            interest: listed_interest,
            period: None,
        });
    }
    // A period stated once for all the items (上述裁决应自本裁决书送达之日起十五日内履行).
    if duties.iter().all(|d| d.period.is_none()) {
        let v = View::joined(t, start, end);
        if let Some(p) = period_in(tx, &v, &v.s, w) {
            for d in &mut duties {
                d.period = Some(p.clone());
            }
        }
    }
    let guarantor_names: BTreeSet<String> = guarantees
        .iter()
        .flat_map(|(_, n)| n.iter().map(|f| f.value.clone()))
        .collect();
    for d in &mut duties {
        // A payer inferred from its side is not the one who guarantees the duty.
        d.payers.retain(|p| {
            !(p.flags.contains(&"payer_inferred") && guarantor_names.contains(&p.value))
        });
    }
    for (refs, names) in guarantees {
        let targets: Vec<usize> = if refs.is_empty() {
            // 上述债务: the duties before it.
            (0..duties.len()).collect()
        } else {
            duties
                .iter()
                .enumerate()
                .filter(|(_, d)| refs.contains(&d.item))
                .map(|(i, _)| i)
                .collect()
        };
        if targets.is_empty() {
            problems.push(Problem {
                code: "guarantee_without_duty",
                span: names.first().map(|n| n.span),
            });
        }
        for i in targets {
            if let Some(d) = duties.get_mut(i) {
                for nm in &names {
                    if !d.guarantors.iter().any(|g| g.value == nm.value) {
                        d.guarantors.push(nm.clone());
                    }
                }
            }
        }
    }
    let costs = costs(tx, start, end, parties, w);
    Operative { duties, costs }
}

fn costs(tx: &Text, start: usize, end: usize, parties: &[Party], w: &Wording) -> Vec<CostDraft> {
    let t = tx.t;
    let v = View::joined(t, start, end);
    let s = v.s.as_str();
    let mut out = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let all = amounts(s);
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    for c in &w.cost {
        for l in &c.labels {
            for (i, _) in s.match_indices(l.as_str()) {
                let e = i + l.len();
                if taken.iter().any(|&(a, b)| i < b && a < e) {
                    continue;
                }
                taken.push((i, e));
                found.push((i, e, c.kind.as_str()));
            }
        }
    }
    found.sort_by_key(|f| f.0);
    for (i, e, kind) in found {
        // The sentence the label is in.
        let sentence_end = s
            .get(e..)
            .and_then(|r| r.find('。'))
            .map_or(s.len(), |p| e + p);
        let Some(first) = all.iter().find(|a| a.start >= e && a.end <= sentence_end) else {
            continue;
        };
        // Only the figure that follows the label closely is its amount.
        if s.get(e..first.start)
            .is_none_or(|g| g.chars().count() > 12 || g.contains(['，', ',']))
        {
            continue;
        }
        let mut chosen = first;
        let tail = s.get(first.end..sentence_end).unwrap_or("");
        if let Some(h) = tail.find("减半收取") {
            let from = first.end + h;
            if let Some(half) = all.iter().find(|a| a.start > from && a.start < from + 30) {
                chosen = half;
            }
        }
        // The bearers: 由…负担.
        let mut borne_by = Vec::new();
        if let Some(you) = s.get(chosen.end..sentence_end).and_then(|r| r.find('由')) {
            let from = chosen.end + you;
            // 由原告负担200元，被告负担2,000元: every bearer up to the last 负担.
            let stop = s
                .get(from..sentence_end)
                .and_then(|r| ["负担", "承担"].iter().filter_map(|k| r.rfind(k)).max());
            if let Some(stop) = stop {
                let seg_end = from + stop;
                let ms: Vec<_> = mentions(s, parties)
                    .into_iter()
                    .filter(|m| m.0 >= from && m.1 <= seg_end)
                    .collect();
                borne_by = name_fields(tx, &v, &ms, parties, 90);
            }
        }
        if borne_by.is_empty() {
            // A fee listed as owed (执行标的) without a 由…负担: the respondents', to confirm.
            borne_by = parties
                .iter()
                .filter(|p| p.side == Side::Respondent)
                .map(|p| {
                    Field::new(p.draft.name.value.clone(), tx.vspan(&v, i, e), 50)
                        .flag("bearer_inferred", 50)
                })
                .collect();
        }
        if let Ok(fen) = Fen::new(chosen.fen) {
            let f = Field::new(fen, tx.vspan(&v, chosen.start, chosen.end), 92);
            let f = if chosen.disagrees {
                f.flag("amounts_disagree", 40)
            } else {
                f
            };
            if let Some(same) = out
                .iter_mut()
                .find(|c: &&mut CostDraft| c.kind == kind && c.amount.span != f.span)
            {
                // 一审/二审, 本诉/反诉: two fees of one kind are one sum to enforce.
                if let Ok(sum) = same.amount.value.checked_add(f.value) {
                    let span = Span {
                        start: same.amount.span.start.min(f.span.start),
                        end: same.amount.span.end.max(f.span.end),
                    };
                    same.amount = Field::new(sum, span, 85).flag("summed", 75);
                    for b in borne_by.drain(..) {
                        if !same.borne_by.iter().any(|x| x.value == b.value) {
                            same.borne_by.push(b);
                        }
                    }
                }
            } else if !out
                .iter()
                .any(|c: &CostDraft| c.kind == kind && c.amount.span == f.span)
            {
                out.push(CostDraft {
                    kind: kind.to_owned(),
                    amount: f,
                    borne_by,
                });
            }
        }
        let _ = i;
    }
    out
}

// ---------------------------------------------------------------------------------------
// The document

/// Reads a draft filing from the text of an enforcement basis.
pub fn extract(text: &str, w: &Wording) -> Result<Draft, DraftError> {
    if text.trim().is_empty() {
        return Err(DraftError::Empty);
    }
    let n = text.chars().count();
    if n > MAX_CHARS {
        return Err(DraftError::TooLong { max: MAX_CHARS });
    }
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    if controls > 0 && controls * 50 > n
        || text.contains('\u{FFFD}') && text.matches('\u{FFFD}').count() * 20 > n
    {
        return Err(DraftError::Binary);
    }
    let t = normalise(text);
    let tx = Text::new(&t);
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    for l in t.split('\n') {
        lines.push((at, at + l.len()));
        at += l.len() + 1;
    }
    let mut problems = Vec::new();
    let line_text = |i: usize| lines.get(i).and_then(|&(a, b)| t.get(a..b)).unwrap_or("");
    let compact = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let line_span = |i: usize| {
        let (a, b) = lines.get(i).copied().unwrap_or((0, 0));
        let l = t.get(a..b).unwrap_or("");
        let lead = l.len() - l.trim_start().len();
        tx.span(a + lead, a + l.trim_end().len())
    };

    // The heading: issuer, title, number — within the first lines.
    let head = lines.len().min(25);
    let mut issuing_body = None;
    let mut kind = None;
    let mut number = None;
    let mut parsed_number = None;
    let mut after_head = 0usize;
    for i in 0..head {
        let c = compact(line_text(i));
        if c.is_empty() {
            continue;
        }
        if issuing_body.is_none()
            && c.chars().count() <= 40
            && w.issuers.iter().any(|s| c.ends_with(s.as_str()))
        {
            issuing_body = Some(Field::new(c.clone(), line_span(i), 95));
            after_head = after_head.max(i + 1);
            continue;
        }
        if kind.is_none()
            && c.chars().count() <= 30
            && let Some(k) = w.kind.iter().find(|k| c.ends_with(k.title.as_str()))
        {
            kind = Some(Field::new(k.kind, line_span(i), 95));
            after_head = after_head.max(i + 1);
            continue;
        }
        // (2024)京0105民初1234号, or an arbitration commission's 渝中劳人仲案字〔2024〕第215号.
        let year_in_brackets = c.find(['(', '〔', '[']).is_some_and(|o| {
            c.get(o..)
                .and_then(|r| {
                    r.char_indices()
                        .nth(1)
                        .map(|(i, _)| i)
                        .and_then(|i| r.get(i..))
                })
                .is_some_and(|r| r.len() > 4 && r.bytes().take(4).all(|b| b.is_ascii_digit()))
        });
        if number.is_none()
            && year_in_brackets
            && (c.starts_with(['(', '〔', '[']) || !c.contains(['，', ',', '。']))
            && c.ends_with('号')
            && c.chars().count() <= 40
        {
            let f = Field::new(c.clone(), line_span(i), 95);
            match CourtDocumentNumber::parse(&c) {
                Ok(p) => {
                    parsed_number = Some(p);
                    number = Some(f);
                }
                Err(_) => {
                    // An arbitration commission's or a notary's number is not a court's.
                    let courtish = issuing_body
                        .as_ref()
                        .is_some_and(|b: &Field<String>| b.value.ends_with("人民法院"));
                    number = Some(if courtish {
                        f.flag("number_not_parsed", 50)
                    } else {
                        f
                    });
                }
            }
            after_head = after_head.max(i + 1);
        }
    }
    let op_start = find_any(&t, 0, &w.operative_start);
    if kind.is_none() && (issuing_body.is_none() || op_start.is_none()) {
        return Err(DraftError::NotLegal);
    }
    if kind.is_none() {
        problems.push(Problem {
            code: "document_kind_not_found",
            span: None,
        });
    }
    if issuing_body.is_none() {
        problems.push(Problem {
            code: "issuer_not_found",
            span: None,
        });
    }
    if number.is_none() {
        problems.push(Problem {
            code: "number_not_found",
            span: None,
        });
    }

    let (mut ps, parties_end) = parties(&tx, &lines, after_head, w, &mut problems);

    let mut duties = Vec::new();
    let mut costs = Vec::new();
    let mut op_end_at = t.len();
    match op_start
        .filter(|(i, _)| *i >= parties_end.min(t.len()))
        .or(op_start)
    {
        Some((s0, word)) => {
            let from = s0 + word.len();
            let end = find_any(&t, from, &w.operative_end).map_or(t.len(), |(i, _)| i);
            op_end_at = end;
            let op = operative(&tx, from, end, &mut ps, w, &mut problems);
            duties = op.duties;
            costs = op.costs;
        }
        None => problems.push(Problem {
            code: "operative_part_not_found",
            span: None,
        }),
    }
    if duties.is_empty() {
        problems.push(Problem {
            code: "no_payment_duty_found",
            span: None,
        });
    }

    // Roles: the operative part decides. A payer is a respondent, a payee an applicant.
    let payer_names: BTreeSet<&str> = duties
        .iter()
        .flat_map(|d| d.payers.iter().chain(d.guarantors.iter()))
        .filter(|f| !f.flags.contains(&"payer_inferred"))
        .map(|f| f.value.as_str())
        .collect();
    let payee_names: BTreeSet<&str> = duties
        .iter()
        .flat_map(|d| d.payees.iter())
        .filter(|f| !f.flags.contains(&"payee_inferred"))
        .map(|f| f.value.as_str())
        .collect();
    let mut parties_out = Vec::new();
    for p in ps {
        let mut d = p.draft;
        let name = d.name.value.as_str();
        let span = d.heading_role.span;
        let role = match (
            payer_names.contains(name),
            payee_names.contains(name),
            p.side,
        ) {
            (true, false, Side::Respondent) => Some(Field::new(PartyRole::Respondent, span, 95)),
            (false, true, Side::Applicant) => Some(Field::new(PartyRole::Applicant, span, 95)),
            (true, false, _) => Some(
                Field::new(PartyRole::Respondent, span, 75).flag("role_from_operative_part", 75),
            ),
            (false, true, _) => Some(
                Field::new(PartyRole::Applicant, span, 75).flag("role_from_operative_part", 75),
            ),
            (true, true, _) => Some(
                Field::new(
                    if p.side == Side::Applicant {
                        PartyRole::Applicant
                    } else {
                        PartyRole::Respondent
                    },
                    span,
                    40,
                )
                .flag("pays_and_is_paid", 40),
            ),
            (false, false, Side::Applicant) => Some(Field::new(PartyRole::Applicant, span, 85)),
            (false, false, Side::Respondent) => {
                let f = Field::new(PartyRole::Respondent, span, 85);
                Some(if duties.is_empty() {
                    f
                } else {
                    f.flag("not_named_in_operative_part", 60)
                })
            }
            (false, false, Side::None) => None,
        };
        d.role = role;
        parties_out.push(d);
    }
    if parties_out.is_empty() {
        problems.push(Problem {
            code: "parties_not_found",
            span: None,
        });
    } else {
        if !parties_out.iter().any(|p| {
            p.role
                .as_ref()
                .is_some_and(|r| r.value == PartyRole::Applicant)
        }) {
            problems.push(Problem {
                code: "no_applicant_found",
                span: None,
            });
        }
        if !parties_out.iter().any(|p| {
            p.role
                .as_ref()
                .is_some_and(|r| r.value == PartyRole::Respondent)
        }) {
            problems.push(Problem {
                code: "no_respondent_found",
                span: None,
            });
        }
    }

    // The performance period: the one the duties state; several different ones are flagged.
    let periods: Vec<&Field<Period>> = duties.iter().filter_map(|d| d.period.as_ref()).collect();
    let performance_period = periods.first().map(|&p| {
        if periods.iter().any(|q| q.value != p.value) {
            p.clone().flag("periods_differ", 60)
        } else {
            p.clone()
        }
    });

    // Dates: the document's (its last date standing alone on a line), and the effective date
    // where stated.
    let document_date = lines.iter().rev().find_map(|&(a, b)| {
        let l = t.get(a..b)?;
        let c = compact(l);
        if a < op_end_at.min(t.len()) && op_start.is_some() {
            return None;
        }
        let (d, _) = date_at(&c, 0)?;
        let lead = l.len() - l.trim_start().len();
        (date_at(&c, 0)?.1 == c.len())
            .then(|| Field::new(d, tx.span(a + lead, a + l.trim_end().len()), 90))
    });
    let mut effective_date = None;
    for e in &w.effective {
        if let Some(i) = t.find(e.as_str()) {
            let window_start = t
                .get(..i)
                .map_or(0, |p| p.char_indices().rev().nth(30).map_or(0, |(x, _)| x));
            let window = t.get(window_start..i).unwrap_or("");
            if let Some((d, a, b)) = dates(window).last().copied() {
                effective_date = Some(Field::new(
                    d,
                    tx.span(window_start + a, window_start + b),
                    90,
                ));
                break;
            }
            if t.get(window_start..i)
                .is_some_and(|w| w.contains("作出之日"))
            {
                effective_date = document_date
                    .clone()
                    .map(|d| Field::new(d.value, d.span, 82));
                break;
            }
        }
    }
    if effective_date.is_none() {
        problems.push(Problem {
            code: "effective_date_not_stated",
            span: None,
        });
    }

    Ok(Draft {
        basis: BasisDraft {
            kind,
            issuing_body,
            document_number: number,
            parsed_number,
            document_date,
            effective_date,
        },
        parties: parties_out,
        duties,
        costs,
        performance_period,
        problems,
        text: t.clone(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn wording() -> Wording {
        Wording::shipped().unwrap()
    }

    fn text_of(d: &Draft, s: Span) -> String {
        d.text.chars().skip(s.start).take(s.end - s.start).collect()
    }

    #[test]
    fn the_shipped_wording_parses() {
        let w = wording();
        assert!(w.role.iter().any(|r| r.marker == "被申请人"));
        // Longest first: 被申请人 is tried before 申请人.
        let i = w.role.iter().position(|r| r.marker == "被申请人").unwrap();
        let j = w.role.iter().position(|r| r.marker == "申请人").unwrap();
        assert!(i < j);
    }

    #[test]
    fn amounts_in_every_notation() {
        let fen = |s: &str| amount_at(s, 0).map(|(f, _)| f);
        assert_eq!(fen("100,000元"), Some(10_000_000));
        assert_eq!(fen("1,234.5元"), Some(123_450));
        assert_eq!(fen("12.5万元"), Some(12_500_000));
        assert_eq!(fen("壹拾万元整"), Some(10_000_000));
        assert_eq!(fen("壹拾贰万叁仟肆佰伍拾陆元柒角捌分"), Some(12_345_678));
        assert_eq!(fen("叁拾贰万伍仟元整"), Some(32_500_000));
        assert_eq!(fen("一千五百五十元"), Some(155_000));
        assert_eq!(fen("一亿二千万元"), Some(12_000_000_000));
        assert_eq!(fen("100,000"), None, "no unit, no amount");
        assert_eq!(fen("1.234元"), None, "three places of yuan is not money");
        let normalised = normalise("８０，０００元");
        assert_eq!(
            normalised, "80，000元",
            "full-width digits become ASCII, the comma stays"
        );
        let a = amounts(&normalise("借款８０,０００元（捌万元整）"));
        assert_eq!((a.len(), a[0].fen, a[0].confirmed), (1, 8_000_000, true));
        let b = amounts("120,000元(壹拾贰万伍仟元整)");
        assert!(b[0].disagrees);
    }

    #[test]
    fn dates_in_both_numerals() {
        assert_eq!(
            date_at("2024年3月1日", 0).map(|d| d.0),
            Some(jiff::civil::date(2024, 3, 1))
        );
        assert_eq!(
            date_at("二〇二四年十二月三十一日", 0).map(|d| d.0),
            Some(jiff::civil::date(2024, 12, 31))
        );
        assert_eq!(date_at("2024年2月30日", 0), None);
    }

    const JUDGMENT: &str = "北京市朝阳区人民法院\n民事判决书\n(2024)京0105民初1234号\n原告：张三，男，1980年1月2日出生，住北京市朝阳区建国路88号，公民身份号码110105198001020011。\n被告：北京某某科技有\n限公司，住所地北京市海淀区中关村大街1号，统一社会信用代码91110105MA01ABCD13。\n法定代表人：李四，经理。\n本院认为，被告应付货款。\n判决如下：\n一、被告北京某某科技有限公司于本判决生效之日起十日内支付原告张三货款100,000元（壹拾万元整）；\n二、驳回原告的其他诉讼请求。\n案件受理费2,300元，由被告北京某某科技有限公司负担。\n如不服本判决，可在判决书送达之日起十五日内上诉。\n审判员  刘明\n二〇二四年三月十五日\n";

    #[test]
    fn every_field_points_at_its_source() {
        let d = extract(JUDGMENT, &wording()).unwrap();
        let b = &d.basis;
        assert_eq!(b.kind.as_ref().unwrap().value, BasisKind::Judgment);
        let n = b.parsed_number.as_ref().unwrap();
        assert_eq!(
            (n.year, n.court.as_str(), n.type_code.as_str(), n.seq),
            (2024, "京0105", "民初", 1234)
        );
        assert_eq!(
            b.document_date.as_ref().unwrap().value,
            jiff::civil::date(2024, 3, 15)
        );
        let [plaintiff, company] = d.parties.as_slice() else {
            panic!("{:?}", d.parties)
        };
        assert_eq!(text_of(&d, plaintiff.name.span), "张三");
        assert_eq!(plaintiff.role.as_ref().unwrap().value, PartyRole::Applicant);
        assert_eq!(plaintiff.kind.value, PartyKind::Person);
        let id = plaintiff.id_number.as_ref().unwrap();
        assert_eq!(
            (id.value.as_str(), id.confirm),
            ("110105198001020011", false)
        );
        assert_eq!(text_of(&d, id.span), "110105198001020011");
        assert_eq!(
            plaintiff.birth_date.as_ref().unwrap().value,
            jiff::civil::date(1980, 1, 2)
        );
        // A name a line break cut reads whole; its span covers both lines.
        assert_eq!(company.name.value, "北京某某科技有限公司");
        assert_eq!(text_of(&d, company.name.span), "北京某某科技有\n限公司");
        assert_eq!(company.legal_representative.as_ref().unwrap().value, "李四");
        assert_eq!(company.role.as_ref().unwrap().value, PartyRole::Respondent);
        let [duty] = d.duties.as_slice() else {
            panic!("{:?}", d.duties)
        };
        let p = duty.principal.as_ref().unwrap();
        assert_eq!(p.value.get(), 10_000_000);
        assert_eq!(
            text_of(&d, p.span),
            "100,000元（壹拾万元整）"
                .replace('（', "(")
                .replace('）', ")")
        );
        assert!(p.confidence >= 95, "the capitals confirm the figure");
        assert_eq!(
            duty.period.as_ref().unwrap().value,
            Period::DaysFromEffect { days: 10 }
        );
        assert_eq!(
            text_of(&d, duty.period.as_ref().unwrap().span),
            "于本判决生效之日起十日内"
        );
        let [cost] = d.costs.as_slice() else { panic!() };
        assert_eq!(
            (cost.kind.as_str(), cost.amount.value.get()),
            ("acceptance_fee", 230_000)
        );
        assert_eq!(cost.borne_by[0].value, "北京某某科技有限公司");
        // Not stated in a judgment: said, not guessed.
        assert!(d.basis.effective_date.is_none());
        assert!(
            d.problems
                .iter()
                .any(|p| p.code == "effective_date_not_stated")
        );
    }

    #[test]
    fn a_wrong_check_digit_is_kept_and_flagged() {
        let t = JUDGMENT.replace("110105198001020011", "110105198001020012");
        let d = extract(&t, &wording()).unwrap();
        let id = d.parties[0].id_number.as_ref().unwrap();
        assert_eq!(id.value, "110105198001020012");
        assert!(
            id.confirm && id.flags.contains(&"checksum_failed") && id.confidence < CONFIRM_BELOW
        );
    }

    #[test]
    fn disagreeing_figures_are_flagged() {
        let t = JUDGMENT.replace("壹拾万元整", "壹拾贰万元整");
        let d = extract(&t, &wording()).unwrap();
        let p = d.duties[0].principal.as_ref().unwrap();
        assert!(p.confirm && p.flags.contains(&"amounts_disagree"));
    }

    #[test]
    fn parties_not_found_is_a_problem_not_a_guess() {
        let t = "北京市朝阳区人民法院\n民事判决书\n(2024)京0105民初1234号\n当事人信息详见附件。\n判决如下：\n一、被告于本判决生效之日起十日内支付原告货款100,000元。\n审判员  刘明\n";
        let d = extract(t, &wording()).unwrap();
        assert!(d.parties.is_empty());
        assert!(d.problems.iter().any(|p| p.code == "parties_not_found"));
        // The duty is drafted, its payers left for the officer.
        assert!(d.duties.iter().all(|x| x.payers.is_empty()));
    }

    #[test]
    fn bad_documents_are_refused() {
        let w = wording();
        assert_eq!(extract("  \n ", &w), Err(DraftError::Empty));
        assert_eq!(
            extract(&"判".repeat(MAX_CHARS + 1), &w),
            Err(DraftError::TooLong { max: MAX_CHARS })
        );
        let binary: String = (0u8..200).map(|b| char::from(b % 32)).collect();
        assert_eq!(extract(&binary, &w), Err(DraftError::Binary));
        assert_eq!(
            extract("今天天气很好，我们去公园散步，然后吃了午饭。", &w),
            Err(DraftError::NotLegal)
        );
    }

    #[test]
    fn the_draft_is_the_same_every_time() {
        let w = wording();
        assert_eq!(
            extract(JUDGMENT, &w).unwrap(),
            extract(JUDGMENT, &w).unwrap()
        );
    }
}
