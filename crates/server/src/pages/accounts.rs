//! The administrators' accounts page (账号管理): the accounts of their court and the courts
//! below it, with the forms to create, disable and enable, reset a password and change roles;
//! and the page where any signed-in user changes their own password (the only page a session
//! reaches after an administrator's reset). The forms build the same commands as the API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use zhixing_app::AppError;
use zhixing_app::identity::auth::parse_roles;
use zhixing_app::identity::users::{self, AccountCommand, UserSpec};
use zhixing_app::state::App;
use zhixing_domain::access::{Action, Role};
use zhixing_domain::refusal::Refusal;

use super::i18n::Lang;
use super::i18n::{Label, zh_en};
use super::{PageError, Viewer, layout, page, refusal_words};
use crate::error::{ApiError, Path};

/// What the page says beside one form: a refusal, or the temporary password of a reset.
enum Note {
    Refused { form: String, words: String },
    Temporary { user_id: i64, password: String },
}

fn role_label(lang: Lang, r: Role) -> &'static str {
    if lang == Lang::Zh {
        r.label()
    } else {
        r.name_en()
    }
}

fn forbidden() -> PageError {
    ApiError::forbidden(zh_en(
        "只有系统管理员可以查看账号、管理账号 / only an administrator may list and manage accounts",
        "Only an administrator may list and manage accounts",
    ))
    .into()
}

fn check(v: &Viewer) -> Result<(), PageError> {
    if v.principal
        .may(Action::ManageUsers, &v.principal.court_path)
    {
        Ok(())
    } else {
        Err(forbidden())
    }
}

async fn render(app: &App, v: &Viewer, note: Option<Note>) -> Result<Markup, PageError> {
    let lang = v.lang;
    let zh = lang == Lang::Zh;
    let list = users::list(app, &v.principal, 1000).await?;
    let refusal = |form: &str| match &note {
        Some(Note::Refused { form: f, words }) if f == form => Some(words.clone()),
        _ => None,
    };
    let role_boxes = |have: &[Role]| {
        html! {
            @for r in Role::ALL {
                label.role {
                    input type="checkbox" name="roles" value=(r.as_str()) checked[have.contains(&r)];
                    (role_label(lang, r))
                }
            }
        }
    };
    let body = html! {
        section.card #accounts {
            h1 { (lang.t("accounts")) }
            @if let Some(Note::Temporary { user_id, password }) = &note {
                p.ok #temporary-password role="status" {
                    (if zh { "临时密码（仅显示这一次，请当面或电话告知本人；其下次登录时须设置新密码）：" } else { "Temporary password (shown this once only; give it to the user, who must choose a new one at the next sign-in): " })
                    code data-user=(user_id) { (password) }
                }
            }
            table #users {
                tr {
                    th { (lang.t("username")) } th { (lang.t("display_name")) } th { (lang.t("court")) }
                    th { (lang.t("your_roles")) } th { (if zh { "状态" } else { "Status" }) }
                    th { (if zh { "最近登录（北京时间）" } else { "Last sign-in (Beijing time)" }) }
                    th { (if zh { "操作" } else { "Actions" }) }
                }
                @for u in &list {
                    @let roles = parse_roles(&u.roles);
                    @let id = u.id;
                    tr id=(format!("user-{id}")) {
                        td { code { (u.username) } }
                        td { (u.display_name) }
                        td { (u.court_name) }
                        td.roles { (roles.iter().map(|r| role_label(lang, *r)).collect::<Vec<_>>().join(zh_en("、", ", "))) }
                        td.status {
                            @if u.active { (if zh { "启用" } else { "Enabled" }) } @else { (if zh { "停用" } else { "Disabled" }) }
                            @if u.must_change_password { br; span.small { (if zh { "待改密码" } else { "must change password" }) } }
                        }
                        td.small {
                            (u.last_sign_in_at.and_then(|us| zhixing_store::from_micros(us).ok()).map(zhixing_app::platform::clock::beijing_minutes).unwrap_or_default())
                        }
                        td {
                            @if u.active {
                                form.disable method="post" action=(format!("/users/{id}/disable")) {
                                    (v.csrf)
                                    button type="submit" { (if zh { "停用" } else { "Disable" }) }
                                    @if let Some(w) = refusal(&format!("disable-{id}")) { p.error.refusal role="alert" { (w) } }
                                }
                            } @else {
                                form.enable method="post" action=(format!("/users/{id}/enable")) {
                                    (v.csrf)
                                    button type="submit" { (if zh { "启用" } else { "Enable" }) }
                                    @if let Some(w) = refusal(&format!("enable-{id}")) { p.error.refusal role="alert" { (w) } }
                                }
                            }
                            form.reset method="post" action=(format!("/users/{id}/password-reset")) {
                                (v.csrf)
                                button type="submit" { (if zh { "重置密码" } else { "Reset password" }) }
                                @if let Some(w) = refusal(&format!("reset-{id}")) { p.error.refusal role="alert" { (w) } }
                            }
                            form.identity method="post" action=(format!("/users/{id}/identity")) {
                                (v.csrf)
                                label {
                                    (if u.identity_recorded { zh_en("身份证号码（已登记；留空则删除）", "ID number (recorded; blank removes it)") } else { zh_en("身份证号码（未登记）", "ID number (not recorded)") })
                                    input type="text" name="id_number" maxlength="18" autocomplete="off" inputmode="text";
                                }
                                button type="submit" { (zh_en("保存身份证号码", "Save ID number")) }
                                @if let Some(w) = refusal(&format!("identity-{id}")) { p.error.refusal role="alert" { (w) } }
                            }
                            form.roles method="post" action=(format!("/users/{id}/roles")) {
                                (v.csrf)
                                (role_boxes(&roles))
                                button type="submit" { (if zh { "保存角色" } else { "Save roles" }) }
                                @if let Some(w) = refusal(&format!("roles-{id}")) { p.error.refusal role="alert" { (w) } }
                            }
                        }
                    }
                }
            }
        }
        section.card #new-account {
            h2 { (if zh { "新建账号" } else { "New account" }) }
            form.create method="post" action="/users" {
                (v.csrf)
                label { (lang.t("username")) input type="text" name="username" required; }
                label { (lang.t("display_name")) input type="text" name="display_name" required; }
                label { (if zh { "法院代号" } else { "Court id" }) input type="text" name="court_id" value=(v.principal.court_id) required; }
                label { (if zh { "初始密码（至少 12 个字符）" } else { "Initial password (at least 12 characters)" }) input type="password" name="password" required autocomplete="new-password"; }
                label {
                    (zh_en("身份证号码（选填；只保存检索索引，用于拒绝本院工作人员竞买本院拍卖）", "ID number (optional; only its blind index is kept, to refuse the court's staff as bidders in its auctions)"))
                    input type="text" name="id_number" maxlength="18" autocomplete="off";
                }
                fieldset { legend { (lang.t("your_roles")) } (role_boxes(&[])) }
                button type="submit" { (if zh { "新建" } else { "Create" }) }
                @if let Some(w) = refusal("create") { p.error.refusal role="alert" { (w) } }
            }
        }
    };
    Ok(layout(
        lang,
        if zh { "账号管理" } else { "Accounts" },
        Some(v),
        body,
    ))
}

pub async fn show(State(app): State<App>, v: Viewer) -> Result<Response, PageError> {
    check(&v)?;
    Ok(page(StatusCode::OK, render(&app, &v, None).await?))
}

/// The values of a form post; a field may repeat (the role boxes).
type Fields = axum::Form<Vec<(String, String)>>;

fn field<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn roles_of(f: &[(String, String)]) -> Vec<String> {
    f.iter()
        .filter(|(k, _)| k == "roles")
        .map(|(_, v)| v.clone())
        .collect()
}

/// Runs one form's command: back to the page, the temporary password shown once, or the
/// refusal beside the form it answers.
async fn answer(
    app: &App,
    v: &Viewer,
    form: String,
    cmd: Result<AccountCommand, Refusal>,
) -> Result<Response, PageError> {
    let done = match cmd {
        Ok(cmd) => users::execute(app, &v.principal, cmd).await,
        Err(r) => Err(AppError::Refused(r)),
    };
    match done {
        Ok(out) => match out.temporary_password {
            Some(password) => {
                let note = Note::Temporary {
                    user_id: out.user_id,
                    password,
                };
                Ok(page(StatusCode::OK, render(app, v, Some(note)).await?))
            }
            None => Ok(Redirect::to("/users").into_response()),
        },
        // A refusal, or an account or court outside the administrator's: beside the form.
        Err(e) if e.is_refusal() || e.is_not_found() => {
            let words = refusal_words(v.lang, &e);
            let status = ApiError::from(e).status;
            let note = Note::Refused { form, words };
            Ok(page(status, render(app, v, Some(note)).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(app): State<App>,
    v: Viewer,
    axum::Form(f): Fields,
) -> Result<Response, PageError> {
    check(&v)?;
    let cmd = crate::api::users::parse_role_names(&roles_of(&f)).map(|roles| {
        AccountCommand::Create(UserSpec {
            username: field(&f, "username").trim().to_owned(),
            display_name: field(&f, "display_name").to_owned(),
            court_id: field(&f, "court_id").trim().to_owned(),
            roles,
            password: field(&f, "password").to_owned(),
            id_number: Some(field(&f, "id_number").to_owned()),
        })
    });
    answer(&app, &v, "create".into(), cmd).await
}

pub async fn disable(
    State(app): State<App>,
    v: Viewer,
    Path(user_id): Path<i64>,
) -> Result<Response, PageError> {
    check(&v)?;
    let cmd = Ok(AccountCommand::Disable { user_id });
    answer(&app, &v, format!("disable-{user_id}"), cmd).await
}

pub async fn enable(
    State(app): State<App>,
    v: Viewer,
    Path(user_id): Path<i64>,
) -> Result<Response, PageError> {
    check(&v)?;
    let cmd = Ok(AccountCommand::Enable { user_id });
    answer(&app, &v, format!("enable-{user_id}"), cmd).await
}

pub async fn password_reset(
    State(app): State<App>,
    v: Viewer,
    Path(user_id): Path<i64>,
) -> Result<Response, PageError> {
    check(&v)?;
    let cmd = Ok(AccountCommand::ResetPassword { user_id });
    answer(&app, &v, format!("reset-{user_id}"), cmd).await
}

pub async fn set_roles(
    State(app): State<App>,
    v: Viewer,
    Path(user_id): Path<i64>,
    axum::Form(f): Fields,
) -> Result<Response, PageError> {
    check(&v)?;
    let cmd = crate::api::users::parse_role_names(&roles_of(&f))
        .map(|roles| AccountCommand::SetRoles { user_id, roles });
    answer(&app, &v, format!("roles-{user_id}"), cmd).await
}

pub async fn set_identity(
    State(app): State<App>,
    v: Viewer,
    Path(user_id): Path<i64>,
    axum::Form(f): Fields,
) -> Result<Response, PageError> {
    check(&v)?;
    let cmd = Ok(AccountCommand::SetIdentity {
        user_id,
        id_number: Some(field(&f, "id_number").to_owned()),
    });
    answer(&app, &v, format!("identity-{user_id}"), cmd).await
}

fn password_page(v: &Viewer, must: bool, refused: Option<String>) -> Markup {
    let lang = v.lang;
    let zh = lang == Lang::Zh;
    let body = html! {
        section.card #change-password {
            h1 { (if zh { "修改密码" } else { "Change password" }) }
            @if must {
                p.error #must-change role="alert" { (if zh { "管理员已重置您的密码：请先设置新密码，然后才能继续使用系统。" } else { "An administrator reset your password: choose a new one before you go on." }) }
            }
            form method="post" action="/account/password" {
                (v.csrf)
                label { (if zh { "当前密码" } else { "Current password" }) input type="password" name="current_password" required autocomplete="current-password"; }
                label { (if zh { "新密码（至少 12 个字符）" } else { "New password (at least 12 characters)" }) input type="password" name="new_password" required autocomplete="new-password"; }
                button type="submit" { (if zh { "保存新密码" } else { "Save the new password" }) }
                @if let Some(w) = refused { p.error.refusal role="alert" { (w) } }
            }
        }
    };
    layout(
        lang,
        if zh {
            "修改密码"
        } else {
            "Change password"
        },
        Some(v),
        body,
    )
}

async fn must_change(app: &App, v: &Viewer) -> Result<bool, PageError> {
    Ok(app
        .store
        .user(v.principal.user_id)
        .await?
        .is_some_and(|u| u.must_change_password))
}

pub async fn password_form(State(app): State<App>, v: Viewer) -> Result<Response, PageError> {
    let must = must_change(&app, &v).await?;
    Ok(page(StatusCode::OK, password_page(&v, must, None)))
}

pub async fn password_submit(
    State(app): State<App>,
    v: Viewer,
    ctx: crate::api::Ctx,
    axum::Form(f): Fields,
) -> Result<Response, PageError> {
    let done = users::change_own_password(
        &app,
        &v.principal,
        &ctx.token_hash,
        field(&f, "current_password"),
        field(&f, "new_password"),
    )
    .await;
    match done {
        Ok(()) => Ok(Redirect::to("/home").into_response()),
        Err(e) if e.is_refusal() => {
            let status = ApiError::from(e.clone()).status;
            let words = refusal_words(v.lang, &e);
            let must = must_change(&app, &v).await?;
            Ok(page(status, password_page(&v, must, Some(words))))
        }
        Err(e) => Err(e.into()),
    }
}
