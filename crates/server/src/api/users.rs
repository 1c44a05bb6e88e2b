//! User accounts (administrators).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zhixing_domain::access::{Action, Role};

use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};

use super::Ctx;
use crate::error::{ApiError, Json, Path};
use zhixing_app::identity::users::{AccountCommand, UserSpec};
use zhixing_app::state::App;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    pub username: String,
    pub display_name: String,
    pub court_id: String,
    /// officer, judge, division_head, supervisor, auditor, administrator, president
    #[schema(value_type = Vec<crate::openapi::vocab::RoleName>, min_items = 1)]
    pub roles: Vec<String>,
    /// At least 12 characters.
    pub password: String,
    /// The user's resident ID number, optional: kept only as its blind index, so that the
    /// court's own staff are refused as bidders in its auctions however they register.
    #[serde(default)]
    pub id_number: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityRequest {
    /// The user's resident ID number; `null` or blank forgets the one recorded.
    #[serde(default)]
    pub id_number: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UserOut {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub court_id: String,
    pub court_name: String,
    pub roles: Vec<String>,
    pub active: bool,
    /// The user must choose a new password at the next sign-in (after a reset).
    pub must_change_password: bool,
    /// The last successful sign-in, if remembered.
    pub last_sign_in_at: Option<String>,
    /// An ID number is recorded for the user (the number itself is never kept or shown).
    pub identity_recorded: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Accounts of the administrator's court and the courts below it.
#[utoipa::path(get, path = "/api/v1/users", responses((status = 200, body = [UserOut]), (status = 403, body = crate::error::Problem)))]
pub async fn list(State(app): State<App>, ctx: Ctx) -> Result<Json<Vec<UserOut>>, ApiError> {
    let users = zhixing_app::identity::users::list(&app, &ctx.principal, 1000).await?;
    Ok(Json(
        users
            .into_iter()
            .map(|u| UserOut {
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                court_id: u.court_id,
                court_name: u.court_name,
                roles: zhixing_app::identity::auth::parse_roles(&u.roles)
                    .iter()
                    .map(|r| r.as_str().to_owned())
                    .collect(),
                active: u.active,
                must_change_password: u.must_change_password,
                last_sign_in_at: u
                    .last_sign_in_at
                    .and_then(|us| zhixing_store::from_micros(us).ok())
                    .map(|t| t.to_string()),
                identity_recorded: u.identity_recorded,
            })
            .collect(),
    ))
}

/// Creates an account at the administrator's court or a court below it.
#[utoipa::path(post, path = "/api/v1/users", request_body = NewUserRequest,
    responses((status = 201, body = Created), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(app): State<App>,
    ctx: Ctx,
    Json(req): Json<NewUserRequest>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    if !ctx
        .principal
        .may(Action::ManageUsers, &ctx.principal.court_path)
    {
        return Err(ApiError::forbidden(
            "only an administrator may create accounts",
        ));
    }
    let roles = parse_role_names(&req.roles)?;
    let cmd = AccountCommand::Create(UserSpec {
        username: req.username,
        display_name: req.display_name,
        court_id: req.court_id,
        roles,
        password: req.password,
        id_number: req.id_number,
    });
    let id = zhixing_app::identity::users::execute(&app, &ctx.principal, cmd)
        .await?
        .user_id;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Role names as sent (API and page form alike): each must be known.
pub fn parse_role_names(names: &[String]) -> Result<Vec<Role>, Refusal> {
    let mut roles = Vec::new();
    for r in names {
        roles.push(Role::parse(r).ok_or_else(|| {
            Refusal::of_reasons(
                "invalid_roles",
                RefusalKind::Invalid,
                vec![Reason::new("unknown_role").with("role", r.as_str())],
            )
        })?);
    }
    roles.sort();
    roles.dedup();
    Ok(roles)
}

#[derive(Serialize, ToSchema)]
pub struct AccountChanged {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PasswordReset {
    pub id: i64,
    /// The one-time temporary password: shown here once, never again. The user must
    /// replace it at the next sign-in.
    pub temporary_password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesRequest {
    /// At least one of: officer, judge, division_head, supervisor, auditor, administrator, president
    #[schema(value_type = Vec<crate::openapi::vocab::RoleName>, min_items = 1)]
    pub roles: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeRequest {
    pub current_password: String,
    /// At least 12 characters.
    pub new_password: String,
}

async fn run(app: &App, ctx: &Ctx, cmd: AccountCommand) -> Result<Json<AccountChanged>, ApiError> {
    let out = zhixing_app::identity::users::execute(app, &ctx.principal, cmd).await?;
    Ok(Json(AccountChanged { id: out.user_id }))
}

/// Disables an account of the administrator's courts: its sessions end at once. An
/// administrator may not disable their own account (409 `own_account_disable`).
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", params(("id" = i64, Path, description = "account id")),
    responses((status = 200, body = AccountChanged), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn disable(
    State(app): State<App>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
) -> Result<Json<AccountChanged>, ApiError> {
    run(&app, &ctx, AccountCommand::Disable { user_id }).await
}

/// Enables a disabled account again.
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", params(("id" = i64, Path, description = "account id")),
    responses((status = 200, body = AccountChanged), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn enable(
    State(app): State<App>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
) -> Result<Json<AccountChanged>, ApiError> {
    run(&app, &ctx, AccountCommand::Enable { user_id }).await
}

/// Resets an account's password: answers a one-time temporary password, ends the account's
/// sessions; at the next sign-in the user must choose a new password (until then every
/// other route answers 403 `password_change_required`).
#[utoipa::path(post, path = "/api/v1/users/{id}/password-reset", params(("id" = i64, Path, description = "account id")),
    responses((status = 200, body = PasswordReset), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn password_reset(
    State(app): State<App>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
) -> Result<Json<PasswordReset>, ApiError> {
    let out = zhixing_app::identity::users::execute(
        &app,
        &ctx.principal,
        AccountCommand::ResetPassword { user_id },
    )
    .await?;
    let temporary_password = out.temporary_password.ok_or_else(ApiError::internal)?;
    Ok(Json(PasswordReset {
        id: out.user_id,
        temporary_password,
    }))
}

/// Replaces an account's roles (at least one). An administrator may not remove their own
/// Administrator role (409 `own_administrator_role`). Takes effect on the next request.
#[utoipa::path(put, path = "/api/v1/users/{id}/roles", params(("id" = i64, Path, description = "account id")), request_body = RolesRequest,
    responses((status = 200, body = AccountChanged), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn set_roles(
    State(app): State<App>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
    Json(req): Json<RolesRequest>,
) -> Result<Json<AccountChanged>, ApiError> {
    let roles = parse_role_names(&req.roles)?;
    run(&app, &ctx, AccountCommand::SetRoles { user_id, roles }).await
}

/// Records an account's ID number (only its blind index is kept), or forgets it: the court's
/// own staff are then refused as bidders in its auctions even when they register as members
/// of the public. An invalid number is 422 `invalid_identity`.
#[utoipa::path(put, path = "/api/v1/users/{id}/identity", params(("id" = i64, Path, description = "account id")), request_body = IdentityRequest,
    responses((status = 200, body = AccountChanged), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn set_identity(
    State(app): State<App>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
    Json(req): Json<IdentityRequest>,
) -> Result<Json<AccountChanged>, ApiError> {
    let cmd = AccountCommand::SetIdentity {
        user_id,
        id_number: req.id_number,
    };
    run(&app, &ctx, cmd).await
}

/// Changes the caller's own password; required after an administrator's reset. The
/// caller's other sessions end; this one stays.
#[utoipa::path(post, path = "/api/v1/me/password", request_body = PasswordChangeRequest,
    responses((status = 204), (status = 422, body = crate::error::Problem)))]
pub async fn change_password(
    State(app): State<App>,
    ctx: Ctx,
    Json(req): Json<PasswordChangeRequest>,
) -> Result<StatusCode, ApiError> {
    zhixing_app::identity::users::change_own_password(
        &app,
        &ctx.principal,
        &ctx.token_hash,
        &req.current_password,
        &req.new_password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
