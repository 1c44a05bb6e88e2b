//! Publishing a court announcement (法院公告, `/announcements/new`): the staff form behind the
//! public page `/public/announcements`, for the officers, judges and division heads of the
//! court and for administrators (of the court or one above it). The form builds the same
//! command as `POST /api/v1/announcements` and calls the same app function; a refusal comes
//! back beside it in the viewer's language, with what was typed kept. Below the form, the
//! court's latest announcements as the public reads them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use zhixing_app::portal::{self as svc, AnnouncementCommand, MAX_BODY, MAX_TITLE};
use zhixing_app::state::App;
use zhixing_domain::access::{Action, Principal};

use super::i18n::zh_en;
use super::{PageError, Viewer, beijing_at, layout, page};
use crate::error::ApiError;

/// Whether the viewer posts announcements of their own court: the roles the app allows.
pub(super) fn may_announce(p: &Principal) -> bool {
    p.may(Action::HandleCases, &p.court_path) || p.may(Action::ManageUsers, &p.court_path)
}

/// The announcements of the court shown below the form.
const RECENT: i64 = 10;

#[derive(Deserialize, Default)]
pub struct Typed {
    #[serde(default)]
    court_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

#[derive(Deserialize, Default)]
pub struct Posted {
    posted: Option<i64>,
}

async fn render(
    app: &App,
    v: &Viewer,
    posted: Option<i64>,
    refused: Option<(&str, &Typed)>,
) -> Result<maud::Markup, PageError> {
    let p = &v.principal;
    // An administrator may post for a court below theirs; the others for their own court.
    let admin = p.may(Action::ManageUsers, &p.court_path);
    let blank = Typed::default();
    let typed = refused.map_or(&blank, |(_, t)| t);
    let court = if typed.court_id.is_empty() {
        p.court_id.clone()
    } else {
        typed.court_id.clone()
    };
    let (recent, _) = svc::announcements(
        app,
        &svc::AnnouncementQuery {
            before: None,
            limit: RECENT,
            court_id: Some(p.court_id.clone()),
            title: None,
        },
    )
    .await?;
    let body = html! {
        section.card #new-announcement {
            h1 { (zh_en("发布法院公告", "Post a court announcement")) }
            p.small.muted { (zh_en("发布后即在本院执行公开网站的", "Once posted it appears at once in the ")) a href="/public/announcements" { (zh_en("法院公告", "Court announcements")) } (zh_en("栏目公开，任何人无需登录即可查看，请勿写入不应公开的个人信息。", " section of the court's public enforcement site, open to anyone without signing in: do not write personal information that must not be public.")) }
            @if let Some(id) = posted {
                p.ok #posted role="status" { (zh_en("公告已发布：", "Announcement posted: ")) a href=(format!("/public/announcements/{id}")) { (zh_en("查看公开页面", "View the public page")) } }
            }
            @if let Some((w, _)) = refused { p.error.refusal role="alert" { (w) } }
            form #announcement-form method="post" action="/announcements" {
                (v.csrf)
                @if admin {
                    label { (zh_en("发布法院代号（本院或下级法院）", "Posting court code (this court or one below)")) input name="court_id" required value=(court); }
                }
                label { (zh_en("标题", "Title")) input name="title" required maxlength=(MAX_TITLE) value=(typed.title); }
                label { (zh_en("正文", "Text")) textarea name="body" required rows="10" maxlength=(MAX_BODY) { (typed.body) } }
                button type="submit" { (zh_en("发布公告", "Post")) }
            }
        }
        section.card #recent-announcements {
            h2 { (zh_en("本院最近的公告", "This court's latest announcements")) }
            @if recent.is_empty() { p { (zh_en("本院尚未发布公告。", "This court has posted no announcements yet.")) } }
            @else {
                div.scroll { table {
                    tr { th { (zh_en("发布时间", "Posted")) } th { (zh_en("标题", "Title")) } }
                    @for a in &recent {
                        tr data-announcement=(a.id) {
                            td.small { (beijing_at(&a.posted_at)) }
                            td { a href=(format!("/public/announcements/{}", a.id)) { (a.title) } }
                        }
                    }
                } }
            }
        }
    };
    Ok(layout(
        v.lang,
        zh_en("发布法院公告", "Post a court announcement"),
        Some(v),
        body,
    ))
}

fn check(v: &Viewer) -> Result<(), PageError> {
    if may_announce(&v.principal) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            zh_en("只有本院的执行人员和系统管理员可以发布公告 / only officers and administrators of a court post its announcements", "Only officers and administrators of a court post its announcements"),
        )
        .into())
    }
}

pub async fn new_form(
    State(app): State<App>,
    v: Viewer,
    axum::extract::Query(q): axum::extract::Query<Posted>,
) -> Result<Response, PageError> {
    check(&v)?;
    Ok(page(
        StatusCode::OK,
        render(&app, &v, q.posted, None).await?,
    ))
}

/// Posts the announcement, as `POST /api/v1/announcements` does.
pub async fn post(
    State(app): State<App>,
    v: Viewer,
    axum::Form(f): axum::Form<Typed>,
) -> Result<Response, PageError> {
    let court_id = f.court_id.trim();
    let cmd = AnnouncementCommand::Post {
        court_id: (!court_id.is_empty()).then(|| court_id.to_owned()),
        title: f.title.clone(),
        body: f.body.clone(),
    };
    match svc::post_announcement(&app, &v.principal, cmd).await {
        Ok(id) => Ok(Redirect::to(&format!("/announcements/new?posted={id}")).into_response()),
        Err(e) if super::shown_beside_form(&e) => {
            let words = super::refusal_words(v.lang, &e);
            let status = ApiError::from(e).status;
            Ok(page(
                status,
                render(&app, &v, None, Some((&words, &f))).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
