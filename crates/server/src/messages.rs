//! The message catalogue (zh-CN and English): every refusal and error code the platform
//! answers with, as a sentence with the refusal's parameters put in. The problem+json `detail`
//! of the API and the messages the pages show where the user acted both come from here, so a
//! figure changed in the rule book reaches both at once: no figure of the law is written in a
//! message, only a `{ $param }` the refusal carries.
//!
//! The catalogue is Project Fluent (`messages/<lang>/*.ftl`, compiled into the binary): one
//! file per context, a message per code. Parameters are formatted by their type — money as
//! yuan (`¥1,234.50`), dates as `YYYY-MM-DD`, a rule's unit through the shared `unit` message.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use include_dir::{Dir, include_dir};
use unic_langid::LanguageIdentifier;
use zhixing_app::AppError;
use zhixing_domain::refusal::{Param, Params, Reason, Refusal};

static MESSAGES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/messages");

pub use crate::pages::i18n::Lang;

struct Catalogue {
    zh: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = match lang {
        Lang::Zh => unic_langid::langid!("zh-CN"),
        Lang::En => unic_langid::langid!("en"),
    };
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // Plain text: the isolation marks Fluent puts around parameters would end up in JSON.
    b.set_use_isolating(false);
    if let Some(dir) = MESSAGES.get_dir(lang.code()) {
        let mut files: Vec<_> = dir.files().collect();
        files.sort_by_key(|f| f.path());
        for f in files {
            let Some(text) = f.contents_utf8() else {
                tracing::error!(file = %f.path().display(), "message file is not UTF-8");
                continue;
            };
            let res = match FluentResource::try_new(text.to_owned()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    tracing::error!(file = %f.path().display(), ?errors, "message file has errors");
                    r
                }
            };
            if let Err(errors) = b.add_resource(res) {
                tracing::error!(file = %f.path().display(), ?errors, "message file repeats an id");
            }
        }
    }
    b
}

fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(|| Catalogue {
        zh: bundle(Lang::Zh),
        en: bundle(Lang::En),
    })
}

fn of(lang: Lang) -> &'static FluentBundle<FluentResource> {
    let c = catalogue();
    match lang {
        Lang::Zh => &c.zh,
        Lang::En => &c.en,
    }
}

fn value(p: &Param) -> FluentValue<'static> {
    match p {
        Param::Int(v) => FluentValue::from(*v),
        Param::Text(t) => FluentValue::from(t.clone()),
        Param::Date(d) => FluentValue::from(d.to_string()),
        Param::Money(f) => FluentValue::from(f.to_string()),
    }
}

/// The message of `code` with `params`, if the catalogue has one in `lang`, and whether every
/// parameter it names was given.
fn format(lang: Lang, code: &str, params: &Params) -> Option<(String, bool)> {
    let b = of(lang);
    let pattern = b.get_message(code)?.value()?;
    let mut args = FluentArgs::new();
    for (k, v) in params.iter() {
        // A refusal names a domain value (a review's kind, a service's method, a document's
        // title) by its Chinese name, which the API's `params` carry as they are: in English
        // the sentence takes the value's English name where the name is one of the known words.
        match (lang, v) {
            (Lang::En, Param::Text(t)) => match crate::pages::i18n::english_of(t) {
                Some(en) => args.set(k, FluentValue::from(en)),
                None => args.set(k, value(v)),
            },
            _ => args.set(k, value(v)),
        }
    }
    let mut errors = Vec::new();
    let text = b.format_pattern(pattern, Some(&args), &mut errors);
    Some((text.into_owned(), errors.is_empty()))
}

/// The message of `code` with text arguments (an alert's stored words, a step of the party's
/// view), if the catalogue has one in `lang` and every parameter it names was given: else the
/// caller's own words serve.
pub fn worded(lang: Lang, code: &str, args: &[(&str, String)]) -> Option<String> {
    let b = of(lang);
    let pattern = b.get_message(code)?.value()?;
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        fargs.set(*k, FluentValue::from(v.clone()));
    }
    let mut errors = Vec::new();
    let text = b.format_pattern(pattern, Some(&fargs), &mut errors);
    if !errors.is_empty() {
        tracing::warn!(
            code,
            lang = lang.code(),
            ?errors,
            "message parameters missing"
        );
        return None;
    }
    Some(text.into_owned())
}

/// The message of `code` with `params`, if the catalogue has one in `lang`.
pub fn message(lang: Lang, code: &str, params: &Params) -> Option<String> {
    let (text, complete) = format(lang, code, params)?;
    if !complete {
        tracing::warn!(code, lang = lang.code(), "message parameters missing");
    }
    Some(text)
}

/// The catalogue's words for an error that carries no parameters, if its message needs none:
/// a code shared with a refusal (`unknown_case_type`) may name parameters this error lacks,
/// and then the error's own sentence is better than a hole.
fn plain(lang: Lang, code: &str) -> Option<String> {
    format(lang, code, &Params::default()).and_then(|(text, complete)| complete.then_some(text))
}

/// The name of an event kind (`case.filed` → 立案) in `lang`, from the catalogue's `event_*`
/// messages; the kind itself where the catalogue has none.
pub fn event_label(lang: Lang, kind: &str) -> String {
    plain(lang, &format!("event_{}", kind.replace('.', "_"))).unwrap_or_else(|| kind.to_owned())
}

/// Whether the catalogue has a message for `code` in `lang`.
pub fn has(lang: Lang, code: &str) -> bool {
    of(lang).get_message(code).and_then(|m| m.value()).is_some()
}

/// One problem as a sentence: the catalogue's, else the sentence the refusal still carries,
/// else its code.
fn reason(lang: Lang, r: &Reason) -> String {
    message(lang, r.code, &r.params)
        .or_else(|| r.params.get("message").map(ToString::to_string))
        .unwrap_or_else(|| fallback(lang, r.code))
}

fn fallback(lang: Lang, code: &str) -> String {
    match lang {
        Lang::Zh => format!("未能办理（{code}）。"),
        Lang::En => format!("refused ({code})"),
    }
}

/// A refusal in words: the whole (`detail`) and each problem (`errors`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    pub detail: String,
    pub errors: Vec<String>,
}

/// A refusal in `lang`.
pub fn refusal(lang: Lang, r: &Refusal) -> Words {
    let errors: Vec<String> = r.problems().iter().map(|p| reason(lang, p)).collect();
    let detail = if r.reasons.len() > 1 {
        let params = r
            .params
            .clone()
            .with("count", r.reasons.len())
            .with("problems", errors.join(separator(lang)));
        message(lang, "problems", &params).unwrap_or_else(|| errors.join(separator(lang)))
    } else if r.reasons.len() == 1 {
        errors.first().cloned().unwrap_or_default()
    } else {
        errors
            .first()
            .cloned()
            .unwrap_or_else(|| fallback(lang, r.code))
    };
    Words { detail, errors }
}

fn separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    }
}

/// Any answer other than success, in `lang`: a refusal through the catalogue; another error
/// by the catalogue's message for its code if there is one, else the sentence it carries.
pub fn error(lang: Lang, e: &AppError) -> Words {
    match e {
        AppError::Refused(r) => refusal(lang, r),
        AppError::Conflict {
            code,
            message: m,
            details,
        } => Words {
            detail: plain(lang, code).unwrap_or_else(|| m.clone()),
            errors: details.clone(),
        },
        AppError::NotFound { code, message: m }
        | AppError::Malformed { code, message: m }
        | AppError::Forbidden { code, message: m }
        | AppError::Unauthenticated { code, message: m }
        | AppError::Throttled {
            code, message: m, ..
        }
        | AppError::TooLarge { code, message: m }
        | AppError::UnsupportedContent { code, message: m } => Words {
            detail: plain(lang, code).unwrap_or_else(|| m.clone()),
            errors: Vec::new(),
        },
        AppError::RangeNotSatisfiable { length } => Words {
            detail: format!("the content has {length} bytes"),
            errors: Vec::new(),
        },
        AppError::Unavailable { message: m, .. } => Words {
            detail: plain(lang, "unavailable").unwrap_or_else(|| m.clone()),
            errors: Vec::new(),
        },
        AppError::Internal { .. } => Words {
            detail: plain(lang, "internal")
                .unwrap_or_else(|| "an internal error occurred; it has been logged".into()),
            errors: Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use std::path::{Path, PathBuf};

    fn sources(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                sources(&p, ext, out);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }

    fn crate_dir(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name)
    }

    /// Every alert and every step of the party's page the application words by a code
    /// (`command_centre::alerts::words`, `portal::public_step`) has a sentence in both
    /// languages: the codes are read from the source, where they are given.
    #[test]
    fn every_alert_and_step_code_has_a_message_in_both_languages() {
        let mut files = Vec::new();
        sources(&crate_dir("app/src"), "rs", &mut files);
        let given = regex::Regex::new(r#""((?:alert|step)_[a-z_]+)""#).unwrap();
        let mut codes = std::collections::BTreeSet::new();
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            for c in given.captures_iter(&text) {
                codes.insert(c[1].to_owned());
            }
        }
        assert!(codes.len() > 30, "codes found: {codes:?}");
        let missing: Vec<_> = codes
            .iter()
            .filter(|c| !has(Lang::Zh, c) || !has(Lang::En, c))
            .collect();
        assert!(missing.is_empty(), "without a message: {missing:?}");
    }

    /// A refusal that names a domain value passes its Chinese name (the API's `params` keep
    /// it); the English sentence names it in English.
    #[test]
    fn a_domain_value_named_in_a_refusal_is_english_in_english() {
        let r = Refusal::invalid("review_target_mismatch").with("kind", "案外人异议");
        assert!(
            refusal(Lang::En, &r)
                .detail
                .contains("Outsider's objection"),
            "{:?}",
            refusal(Lang::En, &r)
        );
        assert!(refusal(Lang::Zh, &r).detail.contains("案外人异议"));
        let r = Refusal::invalid("service_date_required").with("method", "留置送达");
        assert!(
            refusal(Lang::En, &r)
                .detail
                .contains("Left at the domicile"),
            "{:?}",
            refusal(Lang::En, &r)
        );
    }

    /// Every refusal the domain and the application can give has a sentence in both
    /// languages: the codes are read from the source, where the refusals are made.
    #[test]
    fn every_refusal_code_has_a_message_in_both_languages() {
        let mut files = Vec::new();
        sources(&crate_dir("domain/src"), "rs", &mut files);
        sources(&crate_dir("app/src"), "rs", &mut files);
        assert!(files.len() > 20, "sources found: {}", files.len());
        let made = regex::Regex::new(
            r#"(?:Refusal::(?:invalid|conflict|of_reasons)|Reason::new)\(\s*"([a-z0-9_]+)""#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut missing = std::collections::BTreeSet::new();
        let mut seen = 0;
        for f in &files {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if name == "tests.rs" || name == "testing.rs" {
                continue;
            }
            let text = std::fs::read_to_string(f).unwrap_or_default();
            // Only the code, not its unit tests.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for c in made.captures_iter(code) {
                seen += 1;
                let code = &c[1];
                for lang in [Lang::Zh, Lang::En] {
                    if !has(lang, code) {
                        missing.insert(format!("{code} ({})", lang.code()));
                    }
                }
            }
        }
        assert!(seen > 50, "refusals found in the source: {seen}");
        assert!(missing.is_empty(), "no message for: {missing:?}");
    }

    /// A figure of the rule book with its unit, as Chinese or English text would write it.
    fn spellings(value: i64, unit: &str) -> Vec<String> {
        let zh = chinese(value);
        let both = |zh_units: &[&str], en_units: &[&str]| -> Vec<String> {
            let mut v = Vec::new();
            for u in zh_units {
                v.push(format!("{value}{u}"));
                v.push(format!("{value} {u}"));
                v.push(format!("{zh}{u}"));
            }
            for u in en_units {
                v.push(format!("{value} {u}"));
                v.push(format!("{value}-{u}"));
            }
            v
        };
        match unit {
            "days" => both(&["日", "天"], &["day"]),
            "working_days" => both(&["个工作日"], &["working day"]),
            "hours" => both(&["小时"], &["hour"]),
            "minutes" => both(&["分钟"], &["minute"]),
            "months" => both(&["个月"], &["month"]),
            "years" => both(&["年"], &["year"]),
            "percent" => {
                let mut v = both(&["%", "％"], &["percent", "per cent"]);
                v.push(format!("百分之{zh}"));
                v
            }
            _ => Vec::new(),
        }
    }

    fn chinese(n: i64) -> String {
        const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        let digit = |d: i64| D[usize::try_from(d).unwrap_or(0) % 10];
        match n {
            0..=9 => digit(n).to_owned(),
            10..=19 => format!("十{}", if n == 10 { "" } else { digit(n - 10) }),
            20..=99 => format!(
                "{}十{}",
                digit(n / 10),
                if n % 10 == 0 { "" } else { digit(n % 10) }
            ),
            _ => n.to_string(),
        }
    }

    /// What precedes a match must not be a digit or a Chinese numeral (so that "5日" is not
    /// found inside "15日" or "2025年").
    fn found_alone(text: &str, needle: &str) -> bool {
        text.match_indices(needle).any(|(i, _)| {
            text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_ascii_digit() && !"零一二三四五六七八九十百".contains(c))
        })
    }

    /// No statutory figure is written in the pages or the catalogue: each comes from the rule
    /// book as a parameter, so a new version of a rule changes what every page says.
    #[test]
    fn no_figure_of_the_rule_book_is_written_in_pages_or_messages() {
        let rules_dir = crate_dir("../rules");
        let mut rule_files = Vec::new();
        sources(&rules_dir, "toml", &mut rule_files);
        let mut figures = std::collections::BTreeSet::new();
        for f in rule_files
            .iter()
            .filter(|f| !f.to_string_lossy().contains("calendar"))
        {
            let doc: toml::Value = std::fs::read_to_string(f)
                .ok()
                .and_then(|t| toml::from_str(&t).ok())
                .unwrap_or(toml::Value::Boolean(false));
            for r in doc
                .get("rule")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
            {
                if let (Some(v), Some(u)) = (
                    r.get("value").and_then(toml::Value::as_integer),
                    r.get("unit").and_then(toml::Value::as_str),
                ) {
                    figures.insert((v, u.to_owned()));
                }
            }
        }
        assert!(figures.len() > 10, "rule figures read: {figures:?}");
        let mut texts = Vec::new();
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages"),
            "rs",
            &mut texts,
        );
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("messages"),
            "ftl",
            &mut texts,
        );
        let mut written = Vec::new();
        for f in &texts {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            for (v, u) in &figures {
                for s in spellings(*v, u) {
                    if found_alone(&text, &s) {
                        written.push(format!("{}: {s:?}", f.display()));
                    }
                }
            }
        }
        assert!(
            written.is_empty(),
            "figures of the rule book written out: {written:#?}"
        );
    }

    #[test]
    fn figures_are_found_where_they_are_written_and_only_there() {
        assert!(found_alone(
            "起拍价不得低于参考价的百分之七十",
            "百分之七十"
        ));
        assert!(found_alone("十五日前公告", "十五日"));
        assert!(!found_alone("二十五日前公告", "五日"));
        assert!(!found_alone("2025年", "5年"));
        assert!(spellings(70, "percent").contains(&"70%".to_owned()));
        assert_eq!(chinese(24), "二十四");
        assert_eq!(chinese(15), "十五");
    }

    #[test]
    fn every_file_parses_and_both_languages_have_the_same_messages() {
        for lang in [Lang::Zh, Lang::En] {
            let dir = MESSAGES.get_dir(lang.code());
            assert!(dir.is_some(), "messages/{}", lang.code());
            for f in dir
                .map(|d| d.files().collect::<Vec<_>>())
                .unwrap_or_default()
            {
                let text = f.contents_utf8().unwrap_or_default().to_owned();
                assert!(
                    FluentResource::try_new(text).is_ok(),
                    "{} does not parse",
                    f.path().display()
                );
            }
        }
        let ids = |lang: Lang| -> std::collections::BTreeSet<String> {
            let mut ids = std::collections::BTreeSet::new();
            if let Some(dir) = MESSAGES.get_dir(lang.code()) {
                for f in dir.files() {
                    if let Ok(r) =
                        FluentResource::try_new(f.contents_utf8().unwrap_or_default().to_owned())
                    {
                        for e in r.entries() {
                            let id = match e {
                                fluent_syntax::ast::Entry::Message(m) => m.id.name.to_owned(),
                                fluent_syntax::ast::Entry::Term(t) => format!("-{}", t.id.name),
                                _ => continue,
                            };
                            assert!(
                                ids.insert(id.clone()),
                                "{id} is defined twice in messages/{}",
                                lang.code()
                            );
                        }
                    }
                }
            }
            ids
        };
        let (zh, en) = (ids(Lang::Zh), ids(Lang::En));
        assert_eq!(
            zh.symmetric_difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "every message in both languages"
        );
    }
}
