//! What the user typed into a refused form, kept for the page that answers it. The case page
//! is rendered again by `cases::answer`, which knows nothing of the oversight forms; a handler
//! runs that answer inside [`keeping`], and the section's renderer reads the values back with
//! [`value`] — so a refused 督办 or 信访 form shows what was typed without the case page's
//! renderer carrying every form's fields.

use std::future::Future;

tokio::task_local! {
    static KEPT: Kept;
}

struct Kept {
    form: String,
    fields: Vec<(String, String)>,
}

/// Runs `answer` with the fields of form `form` at hand for the page it renders.
pub(super) async fn keeping<F: Future>(
    form: impl Into<String>,
    fields: Vec<(String, String)>,
    answer: F,
) -> F::Output {
    let form = form.into();
    KEPT.scope(Kept { form, fields }, answer).await
}

/// What was typed into field `name` of form `form`, if that form was just refused; else empty.
pub(super) fn value(form: &str, name: &str) -> String {
    KEPT.try_with(|k| {
        if k.form == form {
            field(&k.fields, name).to_owned()
        } else {
            String::new()
        }
    })
    .unwrap_or_default()
}

/// The value of field `name` of a posted form, empty if absent.
pub(super) fn field<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}
