//! Authentication: Argon2id passwords, opaque session tokens, and the login throttle.

use std::time::Duration;

use serde_json::json;
use zhixing_domain::access::{Principal, Role};
use zhixing_store::NewEvent;

use zhixing_domain::refusal::Refusal;

use crate::error::AppError;
pub use crate::identity::password::{hash_password, new_token, token_hash, verify_password};
use crate::state::App;

/// Checks a password against the policy.
pub fn check_password_policy(password: &str) -> Result<(), AppError> {
    const MIN: usize = 12;
    const MAX: usize = 256;
    let n = password.chars().count();
    if !(MIN..=MAX).contains(&n) {
        return Err(Refusal::invalid("weak_password")
            .with("min", MIN)
            .with("max", MAX)
            .into());
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
pub async fn login(app: &App, username: &str, password: &str) -> Result<Session, AppError> {
    let invalid = || AppError::Unauthenticated {
        code: "invalid_credentials",
        message: "wrong username or password".into(),
    };
    let now_us = app.now_us();
    let name: String = username.chars().take(64).collect();

    if let Some(locked_until) = app.store.login_locked_until(&name, now_us).await? {
        let secs = ((locked_until - now_us) / 1_000_000).max(1) as u64;
        return Err(AppError::throttled(
            "login_locked",
            "too many failed sign-ins for this account name; try again later",
            secs,
        ));
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
pub async fn logout(app: &App, principal: &Principal, token_hash: &str) -> Result<(), AppError> {
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    if tx.revoke_session(token_hash, now_us).await? {
        tx.append_events(
            now_us,
            &[NewEvent {
                actor: crate::actor_of(principal),
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
pub async fn authenticate(app: &App, token: &str) -> Result<Option<(Principal, String)>, AppError> {
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
