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
#[derive(Clone)]
pub struct UserSpec {
    pub username: String,
    pub display_name: String,
    pub court_id: String,
    pub roles: Vec<Role>,
    pub password: String,
    /// The user's ID number (居民身份证号码), if the administrator records it: kept only as
    /// its blind index, so that the court's own staff are refused as bidders in its auctions.
    pub id_number: Option<String>,
}

/// Written by hand so that no debug print or log line ever carries the password.
impl std::fmt::Debug for UserSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserSpec")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("court_id", &self.court_id)
            .field("roles", &self.roles)
            .field("password", &"<hidden>")
            .field("id_number", &self.id_number.as_ref().map(|_| "<hidden>"))
            .finish()
    }
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
    /// Disables an account: it cannot sign in, and its sessions end at once.
    Disable { user_id: i64 },
    /// Enables a disabled account again (its ended sessions stay ended).
    Enable { user_id: i64 },
    /// Gives the account a one-time temporary password, ends its sessions and makes the
    /// user choose a new password at the next sign-in.
    ResetPassword { user_id: i64 },
    /// Replaces the account's roles.
    SetRoles { user_id: i64, roles: Vec<Role> },
    /// Records the user's ID number (its blind index only), or forgets it with `None`.
    SetIdentity {
        user_id: i64,
        id_number: Option<String>,
    },
}

/// What an account command did.
#[derive(Clone)]
pub struct AccountOutcome {
    /// The account it concerns.
    pub user_id: i64,
    /// A password reset's temporary password: shown once to the administrator, stored only
    /// as its hash, never logged nor audited.
    pub temporary_password: Option<String>,
}

// By hand, so that no debug print shows a temporary password.
impl std::fmt::Debug for AccountOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountOutcome")
            .field("user_id", &self.user_id)
            .field(
                "temporary_password",
                &self.temporary_password.as_ref().map(|_| "…"),
            )
            .finish()
    }
}

/// Carries out an account command for `by`.
pub async fn execute(
    app: &App,
    by: &Principal,
    cmd: AccountCommand,
) -> Result<AccountOutcome, AppError> {
    let done = |user_id| AccountOutcome {
        user_id,
        temporary_password: None,
    };
    match cmd {
        AccountCommand::Create(spec) => create_user(app, Some(by), spec).await.map(done),
        AccountCommand::Disable { user_id } => set_active(app, by, user_id, false).await.map(done),
        AccountCommand::Enable { user_id } => set_active(app, by, user_id, true).await.map(done),
        AccountCommand::ResetPassword { user_id } => {
            let temporary = temporary_password();
            administrator_reset(app, by, user_id, &temporary).await?;
            Ok(AccountOutcome {
                user_id,
                temporary_password: Some(temporary),
            })
        }
        AccountCommand::SetRoles { user_id, roles } => {
            set_roles(app, by, user_id, roles).await.map(done)
        }
        AccountCommand::SetIdentity { user_id, id_number } => {
            set_identity(app, by, user_id, id_number.as_deref())
                .await
                .map(done)
        }
    }
}

/// Sixteen hex digits (64 random bits): within the password policy, short enough to pass
/// on by telephone, and used once only.
fn temporary_password() -> String {
    crate::identity::auth::new_token()
        .chars()
        .take(16)
        .collect()
}

fn may_manage(by: &Principal) -> Result<(), AppError> {
    if by.may(Action::ManageUsers, &by.court_path) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only an administrator may manage accounts",
        ))
    }
}

/// The account `user_id`, read in the transaction that changes it, if `by` administers its
/// court; an account outside the administrator's courts answers as if it did not exist.
async fn managed_account(
    tx: &mut zhixing_store::Tx,
    by: &Principal,
    user_id: i64,
) -> Result<zhixing_store::users::UserWithCourt, AppError> {
    match tx.user_tx(user_id).await? {
        Some(u) if by.may(Action::ManageUsers, &u.court_path) => Ok(u),
        _ => Err(AppError::not_found(
            "user_not_found",
            format!("no account {user_id}"),
        )),
    }
}

fn account_event(
    by: &Principal,
    u: &zhixing_store::users::UserWithCourt,
    kind: &str,
    payload: serde_json::Value,
) -> NewEvent {
    NewEvent {
        actor: crate::actor_of(by),
        court_id: Some(u.court_id.clone()),
        kind: kind.into(),
        subject: format!("user:{}", u.id),
        payload,
    }
}

async fn set_active(
    app: &App,
    by: &Principal,
    user_id: i64,
    active: bool,
) -> Result<i64, AppError> {
    may_manage(by)?;
    // An administrator who disabled their own account would leave the court without one.
    if !active && user_id == by.user_id {
        return Err(Refusal::conflict("own_account_disable").into());
    }
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let u = managed_account(&mut tx, by, user_id).await?;
    if u.active == active {
        return Err(Refusal::conflict(if active {
            "account_already_enabled"
        } else {
            "account_already_disabled"
        })
        .with("username", u.username.as_str())
        .into());
    }
    tx.set_user_active(u.id, active).await?;
    let event = if active {
        account_event(by, &u, "user.enabled", json!({"username": u.username}))
    } else {
        // The sessions end in the same transaction: none outlives the disable.
        let revoked = tx.revoke_user_sessions(u.id, now_us).await?;
        account_event(
            by,
            &u,
            "user.disabled",
            json!({"username": u.username, "sessions_revoked": revoked}),
        )
    };
    tx.append_events(now_us, &[event]).await?;
    tx.commit().await?;
    Ok(u.id)
}

async fn administrator_reset(
    app: &App,
    by: &Principal,
    user_id: i64,
    temporary: &str,
) -> Result<(), AppError> {
    may_manage(by)?;
    check_password_policy(temporary)?;
    let hash = app.hasher.hash(temporary.to_owned()).await?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let u = managed_account(&mut tx, by, user_id).await?;
    tx.set_password(u.id, &hash).await?;
    tx.set_must_change_password(u.id, true).await?;
    let revoked = tx.revoke_user_sessions(u.id, now_us).await?;
    let event = account_event(
        by,
        &u,
        "user.password_reset",
        json!({"username": u.username, "sessions_revoked": revoked, "must_change_password": true}),
    );
    tx.append_events(now_us, &[event]).await?;
    tx.commit().await?;
    Ok(())
}

async fn set_roles(
    app: &App,
    by: &Principal,
    user_id: i64,
    mut roles: Vec<Role>,
) -> Result<i64, AppError> {
    may_manage(by)?;
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(Refusal::of_reasons(
            "invalid_roles",
            RefusalKind::Invalid,
            vec![Reason::new("no_role")],
        )
        .into());
    }
    // Without their own Administrator role nobody could give it back to them.
    if user_id == by.user_id && !roles.contains(&Role::Administrator) {
        return Err(Refusal::conflict("own_administrator_role").into());
    }
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let u = managed_account(&mut tx, by, user_id).await?;
    let before = crate::identity::auth::parse_roles(&u.roles);
    tx.set_user_roles(u.id, &roles_to_string(&roles)).await?;
    let names = |rs: &[Role]| rs.iter().map(|r| r.as_str()).collect::<Vec<_>>();
    let event = account_event(
        by,
        &u,
        "user.roles_changed",
        json!({"username": u.username, "before": names(&before), "after": names(&roles)}),
    );
    tx.append_events(now_us, &[event]).await?;
    tx.commit().await?;
    Ok(u.id)
}

/// The blind index of a staff member's ID number as given (blank: none); a number that is not
/// a valid resident ID number is refused, naming the field.
fn identity_key(app: &App, id_number: Option<&str>) -> Result<Option<String>, AppError> {
    match id_number.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(n) => zhixing_domain::identity::IdNumber::parse(n)
            .map(|n| Some(app.cipher.index(n.reveal())))
            .map_err(|_| {
                Refusal::invalid("invalid_identity")
                    .with("field", "staff_id_number")
                    .into()
            }),
    }
}

async fn set_identity(
    app: &App,
    by: &Principal,
    user_id: i64,
    id_number: Option<&str>,
) -> Result<i64, AppError> {
    may_manage(by)?;
    let key = identity_key(app, id_number)?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let u = managed_account(&mut tx, by, user_id).await?;
    tx.set_user_identity(u.id, key.as_deref()).await?;
    // The event says that the number was recorded or removed, never the number.
    let event = account_event(
        by,
        &u,
        "user.identity_recorded",
        json!({"username": u.username, "recorded": key.is_some()}),
    );
    tx.append_events(now_us, &[event]).await?;
    tx.commit().await?;
    Ok(u.id)
}

/// A signed-in user chooses a new password (required after an administrator's reset): the
/// current one must be right; the sessions but this one (`keep`, its token hash) end.
pub async fn change_own_password(
    app: &App,
    by: &Principal,
    keep: &str,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    let user = app
        .store
        .user(by.user_id)
        .await?
        .ok_or_else(|| AppError::not_found("user_not_found", "no such account"))?;
    let right = app
        .hasher
        .verify(
            crate::identity::password::Lane::Usual,
            current.to_owned(),
            user.password_hash.clone(),
        )
        .await?;
    if !right {
        return Err(Refusal::invalid("current_password_wrong").into());
    }
    check_password_policy(new)?;
    if new == current {
        return Err(Refusal::invalid("password_unchanged").into());
    }
    let hash = app.hasher.hash(new.to_owned()).await?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    tx.set_password(user.id, &hash).await?;
    tx.set_must_change_password(user.id, false).await?;
    let revoked = tx.revoke_other_sessions(user.id, keep, now_us).await?;
    let event = account_event(
        by,
        &user,
        "user.password_changed",
        json!({"sessions_revoked": revoked, "after_reset": user.must_change_password}),
    );
    tx.append_events(now_us, &[event]).await?;
    tx.commit().await?;
    Ok(())
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
    let identity_key = identity_key(app, spec.id_number.as_deref())?;
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
            identity_key: identity_key.as_deref(),
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
                "identity_recorded": identity_key.is_some(),
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

#[cfg(test)]
mod debug_tests {
    use super::*;

    #[test]
    fn a_debug_print_of_a_new_account_hides_its_password() {
        let spec = UserSpec {
            username: "officer9".into(),
            display_name: "赵九".into(),
            court_id: "b110105".into(),
            roles: vec![Role::Officer],
            password: "correct horse battery staple".into(),
            id_number: None,
        };
        let shown = format!("{spec:?}");
        assert!(shown.contains("officer9"), "{shown}");
        assert!(!shown.contains("correct horse"), "{shown}");
    }
}
