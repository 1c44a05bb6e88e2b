//! Authentication: Argon2id passwords, opaque session tokens, and the login throttle.

use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use axum::http::StatusCode;
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use zhixing_domain::access::{Principal, Role};
use zhixing_store::NewEvent;

use crate::error::ApiError;
use crate::state::App;

/// Argon2id with the crate's defaults (OWASP's m=19 MiB, t=2, p=1).
pub fn hash_password_blocking(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            ApiError::internal()
        })
}

/// Hashes off the async runtime: Argon2 is deliberately slow.
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || hash_password_blocking(&password))
        .await
        .map_err(|_| ApiError::internal())?
}

async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A new random session token (256 bits, hex).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Tokens are stored only as their SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Checks a password against the policy.
pub fn check_password_policy(password: &str) -> Result<(), ApiError> {
    let n = password.chars().count();
    if n < 12 {
        return Err(ApiError::unprocessable(
            "weak_password",
            "a password needs at least 12 characters",
        ));
    }
    if n > 256 {
        return Err(ApiError::unprocessable(
            "weak_password",
            "a password has at most 256 characters",
        ));
    }
    Ok(())
}

/// Parses the stored comma-separated role list.
pub fn parse_roles(s: &str) -> Vec<Role> {
    s.split(',').filter_map(|r| Role::parse(r.trim())).collect()
}

pub fn roles_to_string(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A new session.
pub struct Session {
    pub token: String,
    pub expires_at: jiff::Timestamp,
    pub principal: Principal,
}

/// Signs a user in. A wrong username and a wrong password give the same answer; repeated
/// failures for one username slow down and then lock that username for a while, whether or
/// not it exists, so the lock reveals nothing either.
pub async fn login(app: &App, username: &str, password: &str) -> Result<Session, ApiError> {
    let invalid = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "wrong username or password",
        )
    };
    let now_us = app.now_us();
    let name: String = username.chars().take(64).collect();

    if let Some(locked_until) = app.store.login_locked_until(&name, now_us).await? {
        let secs = ((locked_until - now_us) / 1_000_000).max(1) as u64;
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "login_locked",
            "too many failed sign-ins for this account name; try again later",
        )
        .with_retry_after(secs));
    }

    let user = app.store.user_by_username(&name).await?;
    let hash = user
        .as_ref()
        .map_or_else(|| app.dummy_hash.clone(), |u| u.password_hash.clone());
    let ok =
        verify_password(password.to_owned(), hash).await && user.as_ref().is_some_and(|u| u.active);

    let mut tx = app.store.begin().await?;
    match (ok, user) {
        (true, Some(u)) => {
            tx.clear_throttle(&name).await?;
            let token = new_token();
            let ttl = i64::try_from(app.config.session_ttl.as_micros()).unwrap_or(i64::MAX);
            let expires_us = now_us.saturating_add(ttl);
            tx.insert_session(&token_hash(&token), u.id, now_us, expires_us)
                .await?;
            tx.append_events(
                now_us,
                &[NewEvent {
                    actor: format!("user:{}", u.id),
                    court_id: Some(u.court_id.clone()),
                    kind: "session.created".into(),
                    subject: format!("user:{}", u.id),
                    payload: json!({"expires_at_us": expires_us}),
                }],
            )
            .await?;
            tx.commit().await?;
            let expires_at = zhixing_store::from_micros(expires_us)?;
            Ok(Session {
                token,
                expires_at,
                principal: Principal {
                    user_id: u.id,
                    username: u.username,
                    court_id: u.court_id,
                    court_path: u.court_path,
                    roles: parse_roles(&u.roles),
                },
            })
        }
        _ => {
            let window_start = now_us
                .saturating_sub(i64::try_from(app.config.login_lock.as_micros()).unwrap_or(0));
            let failures = tx.record_login_failure(&name, now_us, window_start).await?;
            let mut payload = json!({"username": name, "failures": failures});
            let locked = failures >= app.config.login_max_failures;
            if locked {
                let until = now_us
                    .saturating_add(i64::try_from(app.config.login_lock.as_micros()).unwrap_or(0));
                tx.lock_login(&name, until).await?;
                payload["locked_until_us"] = until.into();
            }
            tx.append_events(
                now_us,
                &[NewEvent {
                    actor: "anonymous".into(),
                    court_id: None,
                    kind: if locked {
                        "auth.locked".into()
                    } else {
                        "auth.login_failed".into()
                    },
                    subject: format!("username:{name}"),
                    payload,
                }],
            )
            .await?;
            tx.commit().await?;
            if failures >= app.config.login_slow_after {
                let steps = u32::try_from(failures - app.config.login_slow_after + 1)
                    .unwrap_or(4)
                    .min(4);
                tokio::time::sleep(app.config.login_slow_step * steps).await;
            }
            Err(invalid())
        }
    }
}

/// Revokes the session with this token.
pub async fn logout(app: &App, principal: &Principal, token_hash: &str) -> Result<(), ApiError> {
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    if tx.revoke_session(token_hash, now_us).await? {
        tx.append_events(
            now_us,
            &[NewEvent {
                actor: super::actor_of(principal),
                court_id: Some(principal.court_id.clone()),
                kind: "session.revoked".into(),
                subject: format!("user:{}", principal.user_id),
                payload: json!({}),
            }],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The principal of a live session token, if any.
pub async fn authenticate(app: &App, token: &str) -> Result<Option<(Principal, String)>, ApiError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let th = token_hash(token);
    let Some(s) = app.store.live_session(&th, app.now_us()).await? else {
        return Ok(None);
    };
    Ok(Some((
        Principal {
            user_id: s.user_id,
            username: s.username,
            court_id: s.court_id,
            court_path: s.court_path,
            roles: parse_roles(&s.roles),
        },
        th,
    )))
}

/// Time left until a lock expires, for tests and pages.
pub fn lock_duration(app: &App) -> Duration {
    app.config.login_lock
}
