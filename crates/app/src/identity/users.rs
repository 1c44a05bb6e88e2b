//! User accounts: created by administrators (or bootstrapped from the CLI), bound to one court.

use serde_json::json;
use zhixing_domain::access::{Action, Principal, Role};
use zhixing_store::NewEvent;
use zhixing_store::users::NewUser;

use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};

use crate::error::AppError;
use crate::identity::auth::{check_password_policy, roles_to_string};
use crate::state::App;

/// What a new account needs.
#[derive(Debug, Clone)]
pub struct UserSpec {
    pub username: String,
    pub display_name: String,
    pub court_id: String,
    pub roles: Vec<Role>,
    pub password: String,
}

fn check_username(u: &str) -> Result<(), AppError> {
    let ok = (3..=64).contains(&u.len())
        && u.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(Refusal::invalid("invalid_username")
            .with("min", 3)
            .with("max", 64)
            .into())
    }
}

/// A change to the accounts a user can make (an administrator, in their courts). Executed by
/// [`execute`]; the CLI's bootstrap, which has no signed-in user, calls [`create_user`].
#[derive(Debug, Clone)]
pub enum AccountCommand {
    /// Creates an account; answers its id.
    Create(UserSpec),
}

/// Carries out an account command for `by`; the id of the account it concerns.
pub async fn execute(app: &App, by: &Principal, cmd: AccountCommand) -> Result<i64, AppError> {
    match cmd {
        AccountCommand::Create(spec) => create_user(app, Some(by), spec).await,
    }
}

/// Creates an account. `by` is `None` for the CLI bootstrap (the operator of the machine).
pub async fn create_user(
    app: &App,
    by: Option<&Principal>,
    spec: UserSpec,
) -> Result<i64, AppError> {
    check_username(&spec.username)?;
    if spec.display_name.trim().is_empty() || spec.display_name.chars().count() > 100 {
        return Err(Refusal::invalid("invalid_display_name")
            .with("min", 1)
            .with("max", 100)
            .into());
    }
    if spec.roles.is_empty() {
        return Err(Refusal::of_reasons(
            "invalid_roles",
            RefusalKind::Invalid,
            vec![Reason::new("no_role")],
        )
        .into());
    }
    check_password_policy(&spec.password)?;
    let court = app.store.court(&spec.court_id).await?;
    let court = match (court, by) {
        (Some(c), None) => c,
        (Some(c), Some(p)) if p.may(Action::ManageUsers, &c.path) => c,
        _ => {
            return Err(AppError::not_found(
                "court_not_found",
                format!("no court {:?}", spec.court_id),
            ));
        }
    };
    let hash = app.hasher.hash(spec.password.clone()).await?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let id = tx
        .insert_user(&NewUser {
            username: &spec.username,
            display_name: spec.display_name.trim(),
            court_id: &court.id,
            roles: &roles_to_string(&spec.roles),
            password_hash: &hash,
            at_us: now_us,
        })
        .await
        .map_err(|e| match e {
            zhixing_store::StoreError::Conflict(_) => AppError::from(
                Refusal::conflict("username_taken").with("username", spec.username.as_str()),
            ),
            other => other.into(),
        })?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: by.map_or_else(|| "cli".to_owned(), crate::actor_of),
            court_id: Some(court.id.clone()),
            kind: "user.created".into(),
            subject: format!("user:{id}"),
            payload: json!({
                "username": spec.username,
                "display_name": spec.display_name.trim(),
                "court_id": court.id,
                "roles": spec.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            }),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets a new password and revokes the user's sessions (CLI and demo).
pub async fn reset_password(
    app: &App,
    username: &str,
    password: &str,
    actor: &str,
) -> Result<(), AppError> {
    check_password_policy(password)?;
    let user =
        app.store.user_by_username(username).await?.ok_or_else(|| {
            AppError::not_found("user_not_found", format!("no user {username:?}"))
        })?;
    let hash = app.hasher.hash(password.to_owned()).await?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    tx.set_password(user.id, &hash).await?;
    let revoked = tx.revoke_user_sessions(user.id, now_us).await?;
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: actor.to_owned(),
            court_id: Some(user.court_id.clone()),
            kind: "user.password_reset".into(),
            subject: format!("user:{}", user.id),
            payload: json!({"sessions_revoked": revoked}),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Accounts of the administrator's court and the courts below it, at most `limit`.
pub async fn list(
    app: &App,
    by: &Principal,
    limit: i64,
) -> Result<Vec<zhixing_store::users::UserWithCourt>, AppError> {
    if !by.may(Action::ManageUsers, &by.court_path) {
        return Err(AppError::forbidden(
            "only an administrator may list accounts",
        ));
    }
    Ok(app.store.users_under(&by.court_path, limit).await?)
}
