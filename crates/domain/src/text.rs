//! Human text (当事人名称、地址、理由、备注…): the one validation every text a person types
//! goes through before it is stored, hashed into a document or shown to someone else.
//!
//! A name with a NUL in it ends up inside an immutable, hashed document; a right-to-left
//! override (U+202E) makes "张三" + U+202E + "cod.exe" read differently from what is stored; a name of
//! zero-width spaces looks empty on every page yet counts as filled. So: control characters
//! and bidirectional controls are refused, input of invisible characters only is refused,
//! the text is normalised to NFC (so that "é" typed two ways is one name, for search and
//! for the hash) and its length is bounded in characters after normalisation.

use unicode_normalization::UnicodeNormalization;

use crate::refusal::{Reason, Refusal, RefusalKind};

/// Whether a text may span lines (a reason, facts, a note) or is one line (a name, an
/// address, a title).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// What is wrong with a text's characters, before its length is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharFault {
    /// A control character (C0, DEL, C1), other than a line break or tab where lines are allowed.
    Control(char),
    /// A bidirectional control: embeddings, overrides, isolates and marks.
    Bidi(char),
}

impl CharFault {
    /// The offending character as `U+XXXX`, for the message.
    pub fn code_point(&self) -> String {
        let (CharFault::Control(c) | CharFault::Bidi(c)) = *self;
        format!("U+{:04X}", u32::from(c))
    }
}

/// The bidirectional formatting characters of Unicode (UAX #9): ALM, LRM, RLM, the embeddings
/// and overrides LRE…RLO and the isolates LRI…PDI.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that draw nothing: Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties)
/// and the fillers that render blank. Written out rather than taken from a crate: the set is
/// small and stable, and the crates that carry it bring whole property tables for one range list.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// The first character of `s` that no human text may hold: used at the edge on every string a
/// request carries, and by [`human`] on every text field.
pub fn first_fault(s: &str, lines: Lines) -> Option<CharFault> {
    s.chars().find_map(|c| {
        if is_bidi_control(c) {
            Some(CharFault::Bidi(c))
        } else if c.is_control() && !(lines == Lines::Many && matches!(c, '\n' | '\r' | '\t')) {
            Some(CharFault::Control(c))
        } else {
            None
        }
    })
}

/// Why a text was refused: the reason's code and parameters name the field, the figure and
/// the character, so that the message can say which and why.
pub fn fault_reason(field: &str, fault: CharFault) -> Reason {
    match fault {
        CharFault::Control(_) => Reason::new("text_control_character"),
        CharFault::Bidi(_) => Reason::new("text_bidi_control"),
    }
    .with("field", field)
    .with("char", fault.code_point())
}

/// A text field's bounds, in characters after normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub min: usize,
    pub max: usize,
    pub lines: Lines,
}

impl Bounds {
    /// A required one-line text of at most `max` characters.
    pub const fn line(max: usize) -> Bounds {
        Bounds {
            min: 1,
            max,
            lines: Lines::One,
        }
    }
    /// A required text of at most `max` characters that may span lines.
    pub const fn block(max: usize) -> Bounds {
        Bounds {
            min: 1,
            max,
            lines: Lines::Many,
        }
    }
    pub const fn at_least(self, min: usize) -> Bounds {
        Bounds { min, ..self }
    }
}

/// How a text's length failed its bounds, for callers that word it their own way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    Chars(CharFault),
    /// Nothing visible: empty, blank or only invisible characters.
    Invisible,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
}

/// Checks a human text and returns it as it is to be stored: NFC, line breaks as `\n`,
/// trimmed.
pub fn clean(s: &str, b: Bounds) -> Result<String, TextProblem> {
    if let Some(f) = first_fault(s, b.lines) {
        return Err(TextProblem::Chars(f));
    }
    let normal: String = s.replace("\r\n", "\n").replace('\r', "\n").nfc().collect();
    let t = normal.trim();
    if t.chars().all(is_invisible) {
        return if b.min == 0 && t.is_empty() {
            Ok(String::new())
        } else {
            Err(TextProblem::Invisible)
        };
    }
    let n = t.chars().count();
    if n < b.min {
        return Err(TextProblem::TooShort { min: b.min });
    }
    if n > b.max {
        return Err(TextProblem::TooLong { max: b.max });
    }
    Ok(t.to_owned())
}

/// [`clean`], refused under the shared codes: `text_control_character`, `text_bidi_control`,
/// `text_invisible`, `text_too_short`, `text_too_long`, each naming the field.
pub fn human(field: &str, s: &str, b: Bounds) -> Result<String, Reason> {
    clean(s, b).map_err(|p| problem_reason(field, p))
}

/// The reason for a [`TextProblem`] of `field`.
pub fn problem_reason(field: &str, p: TextProblem) -> Reason {
    match p {
        TextProblem::Chars(f) => fault_reason(field, f),
        TextProblem::Invisible => Reason::new("text_invisible").with("field", field),
        TextProblem::TooShort { min } => Reason::new("text_too_short")
            .with("field", field)
            .with("min", min),
        TextProblem::TooLong { max } => Reason::new("text_too_long")
            .with("field", field)
            .with("max", max),
    }
}

/// [`human`] as a refusal of its own (422), for a command with one text to check.
pub fn required(field: &str, s: &str, b: Bounds) -> Result<String, Refusal> {
    human(field, s, b).map_err(|r| Refusal {
        code: r.code,
        kind: RefusalKind::Invalid,
        params: r.params,
        reasons: Vec::new(),
    })
}

/// An optional text: absent or blank is `None`; anything else must pass [`required`].
pub fn optional(field: &str, s: Option<&str>, b: Bounds) -> Result<Option<String>, Refusal> {
    match s {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(None),
        Some(v) => required(field, v, b).map(Some),
    }
}

/// The edge's net under every request body: each string (and key) of a JSON document is
/// checked for the characters no text may hold — line breaks allowed, since which fields are
/// one line is the domain's to say — and normalised to NFC in place. Refused as
/// `text_control_character` / `text_bidi_control` naming the field's path (`parties[0].name`).
pub fn scrub_json(v: &mut serde_json::Value) -> Result<(), Refusal> {
    scrub_at(v, &mut String::new())
}

fn scrub_at(v: &mut serde_json::Value, path: &mut String) -> Result<(), Refusal> {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            scrub_str(s, path)?;
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                scrub_at(item, path)?;
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            let mut renamed = Vec::new();
            for (k, item) in map.iter_mut() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                if let Some(f) = first_fault(k, Lines::One) {
                    return Err(refused_at(path, f));
                }
                scrub_at(item, path)?;
                path.truncate(len);
                if !unicode_normalization::is_nfc(k) {
                    renamed.push(k.clone());
                }
            }
            for k in renamed {
                if let Some(item) = map.remove(&k) {
                    map.insert(k.nfc().collect(), item);
                }
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
    Ok(())
}

/// [`scrub_json`] for one named value of a form.
pub fn scrub_field(name: &str, value: &mut String) -> Result<(), Refusal> {
    scrub_str(value, name)
}

fn scrub_str(s: &mut String, path: &str) -> Result<(), Refusal> {
    if let Some(f) = first_fault(s, Lines::Many) {
        return Err(refused_at(path, f));
    }
    // Blank stays blank (an optional field left empty); something that is there but draws
    // nothing is never what anyone meant to send, whatever the field.
    if !s.trim().is_empty() && s.chars().all(is_invisible) {
        let field = path.rsplit(['.', '[']).next().unwrap_or(path);
        let r = problem_reason(field, TextProblem::Invisible).with("path", path);
        return Err(Refusal {
            code: r.code,
            kind: RefusalKind::Invalid,
            params: r.params,
            reasons: Vec::new(),
        });
    }
    if !unicode_normalization::is_nfc(s) {
        *s = s.nfc().collect();
    }
    Ok(())
}

fn refused_at(path: &str, f: CharFault) -> Refusal {
    let field = path.rsplit(['.', '[']).next().unwrap_or(path);
    let r = fault_reason(field, f).with("path", path);
    Refusal {
        code: r.code,
        kind: RefusalKind::Invalid,
        params: r.params,
        reasons: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_attacks_of_the_report_are_refused() {
        let b = Bounds::line(100);
        assert_eq!(
            clean("张\u{0}三", b),
            Err(TextProblem::Chars(CharFault::Control('\u{0}')))
        );
        assert_eq!(
            clean("张三\u{202E}exe.doc", b),
            Err(TextProblem::Chars(CharFault::Bidi('\u{202E}')))
        );
        assert_eq!(clean("\u{200B}\u{200B}", b), Err(TextProblem::Invisible));
        assert_eq!(clean("\u{3000} \u{FEFF}", b), Err(TextProblem::Invisible));
        assert_eq!(clean("", b), Err(TextProblem::Invisible));
    }

    #[test]
    fn lines_are_kept_only_where_allowed_and_made_plain() {
        assert_eq!(
            clean("一\r\n二", Bounds::line(10)),
            Err(TextProblem::Chars(CharFault::Control('\r')))
        );
        assert_eq!(
            clean(" 一\r\n二\r三\t ", Bounds::block(10)),
            Ok("一\n二\n三".to_owned())
        );
    }

    #[test]
    fn normalised_to_nfc_and_counted_after() {
        // "é" as e + combining acute is one character once composed.
        assert_eq!(clean("Jose\u{301}", Bounds::line(4)), Ok("José".to_owned()));
        assert_eq!(
            clean("字字字", Bounds::line(2)),
            Err(TextProblem::TooLong { max: 2 })
        );
        assert_eq!(
            clean("字", Bounds::line(9).at_least(2)),
            Err(TextProblem::TooShort { min: 2 })
        );
    }

    #[test]
    fn visible_text_with_inner_joiners_stays() {
        // A zero-width joiner inside an emoji sequence or a name is not the whole of it.
        assert_eq!(
            clean("李\u{200D}四", Bounds::line(9)),
            Ok("李\u{200D}四".to_owned())
        );
    }

    #[test]
    fn the_refusal_names_field_and_character() {
        let r = human("name", "a\u{7}", Bounds::line(9)).err();
        assert_eq!(r.as_ref().map(|r| r.code), Some("text_control_character"));
        let r = required("reason", "a\u{202D}", Bounds::block(9)).err();
        assert_eq!(r.as_ref().map(|r| r.code), Some("text_bidi_control"));
        assert_eq!(
            r.as_ref().and_then(|r| r.params.get("char")),
            Some(&crate::refusal::Param::Text("U+202D".to_owned()))
        );
        assert_eq!(optional("note", Some("  "), Bounds::block(9)), Ok(None));
    }

    #[test]
    fn every_string_of_a_body_is_checked_and_composed() {
        let mut v = serde_json::json!({"parties": [{"name": "ok"}, {"name": "a\u{0}b"}]});
        let r = scrub_json(&mut v).err();
        assert_eq!(r.as_ref().map(|r| r.code), Some("text_control_character"));
        let param =
            |r: &Option<Refusal>, k: &str| r.as_ref().and_then(|r| r.params.get(k)).cloned();
        assert_eq!(
            param(&r, "path"),
            Some(crate::refusal::Param::Text("parties[1].name".into()))
        );
        assert_eq!(
            param(&r, "field"),
            Some(crate::refusal::Param::Text("name".into()))
        );
        let mut v = serde_json::json!({"note": "一\n二", "n": 3, "who": ["Jose\u{301}"]});
        assert_eq!(scrub_json(&mut v), Ok(()));
        assert_eq!(v["who"][0], "José");
        assert_eq!(v["note"], "一\n二");
        let mut v = serde_json::json!({"name": "\u{200B}\u{200C}"});
        assert_eq!(
            scrub_json(&mut v).err().map(|r| r.code),
            Some("text_invisible")
        );
        let mut v = serde_json::json!({"note": "  "});
        assert_eq!(scrub_json(&mut v), Ok(()));
        let mut v = serde_json::json!({"a\u{202E}": 1});
        assert_eq!(
            scrub_json(&mut v).err().map(|r| r.code),
            Some("text_bidi_control")
        );
    }

    proptest! {
        /// Whatever is typed, an accepted text holds no control or bidi character (line
        /// breaks only where lines are allowed), is NFC, trimmed, not invisible, within its
        /// bounds, and cleaning it again changes nothing.
        #[test]
        fn accepted_text_is_clean_and_stable(s in "\\PC*|[\\x00-\\x1f\\u{200B}-\\u{206F}a-z字 ]{0,40}", many in any::<bool>(), max in 1usize..60) {
            let b = if many { Bounds::block(max) } else { Bounds::line(max) };
            if let Ok(t) = clean(&s, b) {
                prop_assert!(first_fault(&t, b.lines).is_none());
                prop_assert!(!t.contains('\r'));
                prop_assert!(many || !t.contains('\n'));
                prop_assert_eq!(t.nfc().collect::<String>(), t.clone());
                prop_assert_eq!(t.trim(), t.as_str());
                prop_assert!(!t.chars().all(is_invisible));
                let n = t.chars().count();
                prop_assert!(n >= 1 && n <= max);
                prop_assert_eq!(clean(&t, b), Ok(t.clone()));
            }
        }

        /// Any text holding a control or bidirectional character is refused, wherever it sits.
        #[test]
        fn a_forbidden_character_anywhere_is_refused(pre in "[a-z字]{0,10}", post in "[a-z字]{0,10}", bad in prop::sample::select(vec!['\u{0}', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}', '\u{202E}', '\u{2066}', '\u{200F}', '\u{61C}'])) {
            let s = format!("{pre}{bad}{post}");
            prop_assert!(matches!(clean(&s, Bounds::block(100)), Err(TextProblem::Chars(_))));
        }
    }
}
