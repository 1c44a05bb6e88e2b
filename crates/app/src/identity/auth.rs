//! Authentication: signing in under the sign-in throttle, opaque session tokens.

use std::net::IpAddr;

use serde_json::json;
use zhixing_domain::access::{Principal, Role};
use zhixing_store::NewEvent;
use zhixing_store::users::ALL_ADDRESSES;

use zhixing_domain::refusal::Refusal;

use crate::error::AppError;
use crate::identity::password::Lane;
pub use crate::identity::password::{new_token, token_hash};
use crate::identity::throttle;
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
    /// An administrator reset the password: the session reaches only the change of it.
    pub must_change_password: bool,
}

/// Signs a user in from the client address `client`, under the sign-in throttle
/// (`identity::throttle`; the policy is in the README), in this order:
///
/// 1. unless `client` is the account's usual address (one it signed in from successfully
///    lately), the attempt counts against the limits per address and overall — refused 429
///    `login_rate_limited` / `login_busy` before any password is hashed;
/// 2. failures of this name from this address, and — unless the address is usual — from
///    everywhere, back off exponentially: refused 429 `login_locked` until the wait is over,
///    again without hashing;
/// 3. the password is verified on the hashing pool (an unknown name against a dummy hash, so
///    that it takes as long); a failure is counted and audited, a success forgets this
///    address's failures and remembers the address as usual.
///
/// A wrong name and a wrong password give the same answer, and a name backs off whether or
/// not it exists, so the throttle reveals nothing either.
pub async fn login(
    app: &App,
    username: &str,
    password: &str,
    client: IpAddr,
) -> Result<Session, AppError> {
    let invalid = || AppError::Unauthenticated {
        code: "invalid_credentials",
        message: "wrong username or password".into(),
    };
    let config = &app.config;
    let now_us = app.now_us();
    let micros = |d: std::time::Duration| i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
    let name: String = username.chars().take(64).collect();
    let address_key = throttle::address_key(client);
    let address = address_key.to_string();

    let usual = app
        .store
        .is_usual_sign_in_address(
            &name,
            &address,
            now_us.saturating_sub(micros(config.login_usual_address_for)),
        )
        .await?;
    if !usual {
        app.sign_in.admit(address_key)?;
    }
    let waits_until = app
        .store
        .sign_in_failures(&name, &address)
        .await?
        .into_iter()
        .filter(|f| f.address == address || !usual)
        .filter_map(|f| throttle::backoff(config, f.failures, f.last_failure_at))
        .max()
        .filter(|until| *until > now_us);
    if let Some(until) = waits_until {
        return Err(AppError::throttled(
            "login_locked",
            "too many failed sign-ins for this account name; try again later",
            throttle::seconds_until(now_us, until),
        ));
    }

    let user = app.store.user_by_username(&name).await?;
    let hash = user
        .as_ref()
        .map_or_else(|| app.dummy_hash.clone(), |u| u.password_hash.clone());
    let lane = if usual { Lane::Usual } else { Lane::Other };
    let ok = app.hasher.verify(lane, password.to_owned(), hash).await?
        && user.as_ref().is_some_and(|u| u.active);

    let mut tx = app.store.begin().await?;
    match (ok, user) {
        (true, Some(u)) => {
            tx.clear_sign_in_failures(&name, &address).await?;
            tx.remember_sign_in_address(
                u.id,
                &address,
                now_us,
                now_us.saturating_sub(micros(config.login_usual_address_for)),
            )
            .await?;
            let token = new_token();
            let expires_us = now_us.saturating_add(micros(config.session_ttl));
            tx.insert_session(&token_hash(&token), u.id, now_us, expires_us)
                .await?;
            tx.append_events(
                now_us,
                &[NewEvent {
                    actor: format!("user:{}", u.id),
                    court_id: Some(u.court_id.clone()),
                    kind: "session.created".into(),
                    subject: format!("user:{}", u.id),
                    payload: json!({"expires_at_us": expires_us, "address": address, "usual_address": usual}),
                }],
            )
            .await?;
            tx.commit().await?;
            let expires_at = zhixing_store::from_micros(expires_us)?;
            Ok(Session {
                token,
                expires_at,
                must_change_password: u.must_change_password,
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
            let window = micros(config.login_failure_window.max(config.login_backoff_cap));
            let window_start = now_us.saturating_sub(window);
            // The account's count first, then the address's: every sign-in takes the rows
            // in the same order.
            let failures = tx
                .record_sign_in_failure(&name, ALL_ADDRESSES, now_us, window_start)
                .await?;
            let from_here = tx
                .record_sign_in_failure(&name, &address, now_us, window_start)
                .await?;
            let mut payload = json!({"username": name, "address": address,
                "failures": failures, "failures_from_address": from_here});
            if let Some(until) = [failures, from_here]
                .into_iter()
                .filter_map(|n| throttle::backoff(config, n, now_us))
                .max()
            {
                payload["backoff_until_us"] = until.into();
            }
            tx.append_events(
                now_us,
                &[NewEvent {
                    actor: "anonymous".into(),
                    court_id: None,
                    kind: "auth.login_failed".into(),
                    subject: format!("username:{name}"),
                    payload,
                }],
            )
            .await?;
            tx.commit().await?;
            // A new count began: a moment to forget the counts nobody added to for a while.
            if failures == 1 {
                let mut tx = app.store.begin().await?;
                tx.forget_sign_in_failures(window_start).await?;
                tx.commit().await?;
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

/// A live session: who it is, the hash of its token, and whether an administrator's
/// password reset still waits for the user to choose a new password.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub principal: Principal,
    pub token_hash: String,
    pub must_change_password: bool,
}

/// The principal of a live session token, if any: from the in-process cache when it still
/// serves (`identity::session_cache`: unexpired, and no session ended nor account changed
/// since, here or in another process), else from the store, then cached.
pub async fn authenticate(app: &App, token: &str) -> Result<Option<Authenticated>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let th = token_hash(token);
    let now_us = app.now_us();
    // Taken before the session is read: a change committed meanwhile leaves the entry stale.
    let stamp = app.sessions.stamp(&app.store).await?;
    if let Some(stamp) = stamp
        && let Some(hit) = app.sessions.get(&th, stamp, now_us)
    {
        return Ok(Some(hit));
    }
    let Some(s) = app.store.live_session(&th, now_us).await? else {
        return Ok(None);
    };
    let auth = Authenticated {
        principal: Principal {
            user_id: s.user_id,
            username: s.username,
            court_id: s.court_id,
            court_path: s.court_path,
            roles: parse_roles(&s.roles),
        },
        token_hash: th,
        must_change_password: s.must_change_password,
    };
    if let Some(stamp) = stamp {
        app.sessions.put(auth.clone(), s.expires_at, stamp, now_us);
    }
    Ok(Some(auth))
}
