//! The administrators' page of training mode's clock (演练模式): the time now, and the two
//! ways to move it forward — one day on, or to a chosen moment. On a real clock the page says
//! so and offers nothing to move.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use zhixing_app::platform::clock;
use zhixing_app::state::App;

use super::i18n::Lang;
use super::i18n::zh_en;
use super::{PageError, Viewer, layout, page, refusal_words};
use crate::error::ApiError;

fn forbidden() -> PageError {
    ApiError::forbidden(
        zh_en("只有最高人民法院的系统管理员可以调整演练时钟 / only an administrator of the SPC may set the training clock", "Only an administrator of the SPC may set the training clock"),
    )
    .into()
}

/// The page, with a refusal beside the form it answers (and what was typed in it).
fn render(app: &App, v: &Viewer, refused: Option<(&str, String)>, typed: &str) -> Markup {
    let lang = v.lang;
    let c = clock::view(app);
    let zh = lang == Lang::Zh;
    let refusal = |form: &str| {
        refused
            .as_ref()
            .filter(|(f, _)| *f == form)
            .map(|(_, words)| words.clone())
    };
    let body = html! {
        section.card #clock {
            h1 { (if zh { "演练时钟" } else { "Training clock" }) }
            p #clock-now {
                (if zh { "系统时间：" } else { "System time: " })
                strong { (c.now_beijing) }
                (if zh { "（北京时间）" } else { " (Beijing time)" })
            }
            @if c.simulated {
                p.small {
                    (if zh {
                        "演练模式下时钟从设定的起点开始按真实时间走动，可由管理员拨快（不能回拨）；拨快后系统立即按新时间处理到期措施、预警、期限和拍卖结束。"
                    } else {
                        "In training mode the clock runs on in real time from its starting point, and an administrator may move it forward (never back); at the new time the platform at once expires measures, raises alerts and deadlines and closes auctions."
                    })
                }
                form.advance-day method="post" action="/admin/clock" {
                    (v.csrf)
                    input type="hidden" name="days" value="1";
                    button type="submit" { (if zh { "+1 天" } else { "+1 day" }) }
                    @if let Some(w) = refusal("days") { p.error.refusal role="alert" { (w) } }
                }
                form.advance-to method="post" action="/admin/clock" {
                    (v.csrf)
                    label {
                        (if zh { "拨到（北京时间）" } else { "Move to (Beijing time)" })
                        input type="datetime-local" name="to" value=(typed) required;
                    }
                    button type="submit" { (if zh { "拨到此时" } else { "Move the clock" }) }
                    @if let Some(w) = refusal("to") { p.error.refusal role="alert" { (w) } }
                }
            } @else {
                p #clock-real {
                    (if zh {
                        "系统时间为真实时间，不能调整。演练时钟只在演练模式（zhixing demo --simulated-clock）中提供。"
                    } else {
                        "The system time is the real time and cannot be changed. The training clock exists only in training mode (zhixing demo --simulated-clock)."
                    })
                }
            }
        }
    };
    layout(
        lang,
        if zh { "演练时钟" } else { "Training clock" },
        Some(v),
        body,
    )
}

pub async fn show(State(app): State<App>, v: Viewer) -> Result<Response, PageError> {
    if !clock::may_advance(&v.principal) {
        return Err(forbidden());
    }
    Ok(page(StatusCode::OK, render(&app, &v, None, "")))
}

#[derive(Deserialize)]
pub struct AdvanceForm {
    #[serde(default)]
    days: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

/// One of the two forms: back to the page at the new time, or the refusal beside the form.
pub async fn submit(
    State(app): State<App>,
    v: Viewer,
    axum::Form(f): axum::Form<AdvanceForm>,
) -> Result<Response, PageError> {
    if !clock::may_advance(&v.principal) {
        return Err(forbidden());
    }
    let form = if f.to.is_some() { "to" } else { "days" };
    // A number of days that does not parse is refused like one out of range.
    let days = f
        .days
        .as_deref()
        .map(|d| d.trim().parse::<i64>().unwrap_or(0));
    let done = match clock::advance_of(days, f.to.as_deref()) {
        Ok(how) => clock::advance(&app, &v.principal, how).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Ok(Redirect::to("/admin/clock").into_response()),
        Err(e) if e.is_refusal() => {
            let status = ApiError::from(e.clone()).status;
            let words = refusal_words(v.lang, &e);
            let typed = f.to.clone().unwrap_or_default();
            Ok(page(status, render(&app, &v, Some((form, words)), &typed)))
        }
        Err(e) => Err(e.into()),
    }
}
