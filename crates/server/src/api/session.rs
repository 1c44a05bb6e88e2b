//! Signing in and out.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Ctx, SESSION_COOKIE};
use crate::error::{ApiError, Json};
use crate::ratelimit::ClientAddr;
use zhixing_app::state::App;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: String,
    pub user: Me,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub court_id: String,
    pub roles: Vec<String>,
    /// An administrator reset the password: until `POST /api/v1/me/password` every other
    /// route answers 403 `password_change_required`.
    pub must_change_password: bool,
}

impl Me {
    fn of(p: &zhixing_domain::access::Principal, must_change_password: bool) -> Self {
        Me {
            id: p.user_id,
            username: p.username.clone(),
            court_id: p.court_id.clone(),
            roles: p.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            must_change_password,
        }
    }
}

/// The `Set-Cookie` value for a session.
pub fn session_cookie(app: &App, token: &str, max_age_secs: u64) -> Option<HeaderValue> {
    let secure = if app.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{secure}")).ok()
}

/// Sign in.
#[utoipa::path(post, path = "/api/v1/session", request_body = LoginRequest, security(()),
    responses((status = 201, body = LoginResponse), (status = 401, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn create(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    Json(req): Json<LoginRequest>,
) -> Result<Response, ApiError> {
    let s = zhixing_app::identity::auth::login(&app, &req.username, &req.password, client).await?;
    let mut headers = HeaderMap::new();
    if let Some(c) = session_cookie(&app, &s.token, app.config.session_ttl.as_secs()) {
        headers.insert(header::SET_COOKIE, c);
    }
    let body = LoginResponse {
        token: s.token,
        expires_at: s.expires_at.to_string(),
        user: Me::of(&s.principal, s.must_change_password),
    };
    Ok((StatusCode::CREATED, headers, Json(body)).into_response())
}

/// Sign out: the token stops working at once.
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204), (status = 401, body = crate::error::Problem)))]
pub async fn delete(State(app): State<App>, ctx: Ctx) -> Result<Response, ApiError> {
    zhixing_app::identity::auth::logout(&app, &ctx.principal, &ctx.token_hash).await?;
    let mut headers = HeaderMap::new();
    if let Some(c) = session_cookie(&app, "", 0) {
        headers.insert(header::SET_COOKIE, c);
    }
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

/// Who am I.
#[utoipa::path(get, path = "/api/v1/session", responses((status = 200, body = Me), (status = 401, body = crate::error::Problem)))]
pub async fn current(ctx: Ctx) -> Json<Me> {
    Json(Me::of(&ctx.principal, ctx.must_change_password))
}
