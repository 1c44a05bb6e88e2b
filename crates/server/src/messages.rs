//! The message catalogue (zh-CN and English): every refusal and error code the platform
//! answers with, as a sentence with the refusal's parameters put in. The problem+json `detail`
//! of the API and the messages the pages show where the user acted both come from here, so a
//! figure changed in the rule book reaches both at once: no figure of the law is written in a
//! message, only a `{ $param }` the refusal carries.
//!
//! The catalogue is Project Fluent (`messages/<lang>/*.ftl`, compiled into the binary): one
//! file per context, a message per code. Parameters are formatted by their type — money as
//! yuan (`¥1,234.50`), dates as `YYYY-MM-DD`, a rule's unit through the `-unit` term.

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

/// The message of `code` with `params`, if the catalogue has one in `lang`.
pub fn message(lang: Lang, code: &str, params: &Params) -> Option<String> {
    let b = of(lang);
    let pattern = b.get_message(code)?.value()?;
    let mut args = FluentArgs::new();
    for (k, v) in params.iter() {
        args.set(k, value(v));
    }
    let mut errors = Vec::new();
    let text = b.format_pattern(pattern, Some(&args), &mut errors);
    if !errors.is_empty() {
        tracing::warn!(
            code,
            ?errors,
            lang = lang.code(),
            "message parameters missing"
        );
    }
    Some(text.into_owned())
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
            detail: message(lang, code, &Params::default()).unwrap_or_else(|| m.clone()),
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
            detail: message(lang, code, &Params::default()).unwrap_or_else(|| m.clone()),
            errors: Vec::new(),
        },
        AppError::RangeNotSatisfiable { length } => Words {
            detail: format!("the content has {length} bytes"),
            errors: Vec::new(),
        },
        AppError::Unavailable { message: m, .. } => Words {
            detail: message(lang, "unavailable", &Params::default()).unwrap_or_else(|| m.clone()),
            errors: Vec::new(),
        },
        AppError::Internal { .. } => Words {
            detail: message(lang, "internal", &Params::default())
                .unwrap_or_else(|| "an internal error occurred; it has been logged".into()),
            errors: Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                            if let fluent_syntax::ast::Entry::Message(m) = e {
                                ids.insert(m.id.name.to_owned());
                            }
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
