//! User accounts (administrators).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zhixing_domain::access::{Action, Role};
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};

use super::Ctx;
use crate::error::{ApiError, Json};
use zhixing_app::identity::users::{AccountCommand, UserSpec};
use zhixing_app::state::App;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    pub username: String,
    pub display_name: String,
    pub court_id: String,
    /// officer, judge, division_head, supervisor, auditor, administrator, president
    pub roles: Vec<String>,
    /// At least 12 characters.
    pub password: String,
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
    let mut roles = Vec::new();
    for r in &req.roles {
        roles.push(Role::parse(r).ok_or_else(|| {
            ApiError::from(Refusal::of_reasons(
                "invalid_roles",
                RefusalKind::Invalid,
                vec![Reason::new("unknown_role").with("role", r.as_str())],
            ))
        })?);
    }
    roles.sort();
    roles.dedup();
    let cmd = AccountCommand::Create(UserSpec {
        username: req.username,
        display_name: req.display_name,
        court_id: req.court_id,
        roles,
        password: req.password,
    });
    let id = zhixing_app::identity::users::execute(&app, &ctx.principal, cmd).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
