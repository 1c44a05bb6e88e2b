//! Users, sessions and the login throttle.

use sqlx::FromRow;

use crate::{Result, Store, StoreError, Tx, on_pool, on_tx};

/// A user account as stored. `roles` is a comma-separated list of role names.
#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub court_id: String,
    pub roles: String,
    pub password_hash: String,
    pub active: bool,
    pub created_at: i64,
}

/// A user with the path of their court, as authentication needs it.
#[derive(Debug, Clone, FromRow)]
pub struct UserWithCourt {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub court_id: String,
    pub court_path: String,
    pub court_name: String,
    pub roles: String,
    pub password_hash: String,
    pub active: bool,
    /// Set by an administrator's password reset: the user must choose a new password.
    pub must_change_password: bool,
    /// The last successful sign-in (µs), if any is remembered.
    pub last_sign_in_at: Option<i64>,
}

/// A live session joined with its user.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub expires_at: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub court_id: String,
    pub court_path: String,
    pub court_name: String,
    pub roles: String,
    pub must_change_password: bool,
}

const USER_WITH_COURT: &str = "SELECT u.id, u.username, u.display_name, u.court_id, c.path AS court_path, \
     c.name AS court_name, u.roles, u.password_hash, u.active, u.must_change_password, \
     (SELECT MAX(a.last_success_at) FROM sign_in_addresses a WHERE a.user_id = u.id) AS last_sign_in_at \
     FROM users u JOIN courts c ON c.id = u.court_id";

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub court_id: &'a str,
    pub roles: &'a str,
    pub password_hash: &'a str,
    pub at_us: i64,
}

impl Tx {
    pub async fn insert_user(&mut self, u: &NewUser<'_>) -> Result<i64> {
        let sql = "INSERT INTO users (username, display_name, court_id, roles, password_hash, active, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(u.username)
            .bind(u.display_name)
            .bind(u.court_id)
            .bind(u.roles)
            .bind(u.password_hash)
            .bind(true)
            .bind(u.at_us)
            .fetch_one(c)
            .await)
        .map_err(|e| StoreError::conflict_on_unique(e, &format!("username {}", u.username)))?;
        Ok(id.0)
    }

    pub async fn set_password(&mut self, user_id: i64, hash: &str) -> Result<bool> {
        let r = on_tx!(self, c => sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(r == 1)
    }

    /// An account, read inside the transaction that changes it.
    pub async fn user_tx(&mut self, id: i64) -> Result<Option<UserWithCourt>> {
        let sql = format!("{USER_WITH_COURT} WHERE u.id = $1");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, UserWithCourt>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(c).await)?,
        )
    }

    /// Enables or disables an account.
    pub async fn set_user_active(&mut self, user_id: i64, active: bool) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
            .bind(active).bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Replaces an account's roles (comma-separated role names).
    pub async fn set_user_roles(&mut self, user_id: i64, roles: &str) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE users SET roles = $1 WHERE id = $2")
            .bind(roles).bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Sets whether the user must choose a new password at the next sign-in.
    pub async fn set_must_change_password(&mut self, user_id: i64, must: bool) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE users SET must_change_password = $1 WHERE id = $2")
            .bind(must).bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Revokes every live session of a user but the one with `keep` (a password change
    /// keeps the session it was made in).
    pub async fn revoke_other_sessions(
        &mut self,
        user_id: i64,
        keep: &str,
        at_us: i64,
    ) -> Result<u64> {
        let sql = "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND token_hash <> $3 AND revoked_at IS NULL";
        Ok(
            on_tx!(self, c => sqlx::query(sql).bind(at_us).bind(user_id).bind(keep).execute(c).await.map(|r| r.rows_affected()))?,
        )
    }

    pub async fn user_by_username_tx(&mut self, username: &str) -> Result<Option<UserWithCourt>> {
        let sql = format!("{USER_WITH_COURT} WHERE u.username = $1");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, UserWithCourt>(sqlx::AssertSqlSafe(sql.clone())).bind(username).fetch_optional(c).await)?,
        )
    }

    pub async fn insert_session(
        &mut self,
        token_hash: &str,
        user_id: i64,
        at_us: i64,
        expires_at: i64,
    ) -> Result<()> {
        let sql = "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
        on_tx!(self, c => sqlx::query(sql).bind(token_hash).bind(user_id).bind(at_us).bind(expires_at).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Revokes a live session; false if it was not live.
    pub async fn revoke_session(&mut self, token_hash: &str, at_us: i64) -> Result<bool> {
        let sql =
            "UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL";
        let r = on_tx!(self, c => sqlx::query(sql).bind(at_us).bind(token_hash).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(r == 1)
    }

    /// Revokes every live session of a user (password change, deactivation).
    pub async fn revoke_user_sessions(&mut self, user_id: i64, at_us: i64) -> Result<u64> {
        let sql = "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL";
        let r = on_tx!(self, c => sqlx::query(sql).bind(at_us).bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(r)
    }
}

impl Store {
    pub async fn user_by_username(&self, username: &str) -> Result<Option<UserWithCourt>> {
        let sql = format!("{USER_WITH_COURT} WHERE u.username = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, UserWithCourt>(sqlx::AssertSqlSafe(sql.clone())).bind(username).fetch_optional(p).await)?,
        )
    }

    pub async fn user(&self, id: i64) -> Result<Option<UserWithCourt>> {
        let sql = format!("{USER_WITH_COURT} WHERE u.id = $1");
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, UserWithCourt>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await)?,
        )
    }

    /// Users of the courts under a path, by username.
    pub async fn users_under(&self, path_prefix: &str, limit: i64) -> Result<Vec<UserWithCourt>> {
        let sql = format!(
            "{USER_WITH_COURT} WHERE substr(c.path, 1, length($1)) = $1 ORDER BY u.username LIMIT $2"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as::<_, UserWithCourt>(sqlx::AssertSqlSafe(sql.clone())).bind(path_prefix).bind(limit).fetch_all(p).await)?,
        )
    }

    /// The live session for a token hash at time `now_us`, with its user (active only).
    pub async fn live_session(&self, token_hash: &str, now_us: i64) -> Result<Option<SessionRow>> {
        let sql = "SELECT s.token_hash, s.expires_at, u.id AS user_id, u.username, u.display_name, u.court_id, \
                   c.path AS court_path, c.name AS court_name, u.roles, u.must_change_password \
                   FROM sessions s JOIN users u ON u.id = s.user_id JOIN courts c ON c.id = u.court_id \
                   WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.active = $3";
        Ok(on_pool!(self, p => sqlx::query_as::<_, SessionRow>(sql)
            .bind(token_hash)
            .bind(now_us)
            .bind(true)
            .fetch_optional(p)
            .await)?)
    }

    pub async fn count_users(&self) -> Result<i64> {
        let n: (i64,) =
            on_pool!(self, p => sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(p).await)?;
        Ok(n.0)
    }
}

/// The failures counted for an account name from one address, or from everywhere
/// ([`ALL_ADDRESSES`]).
#[derive(Debug, Clone, FromRow)]
pub struct SignInFailures {
    pub address: String,
    pub failures: i64,
    pub last_failure_at: i64,
}

/// The address under which an account name's failures from everywhere are counted.
pub const ALL_ADDRESSES: &str = "*";

impl Tx {
    /// Counts a failed sign-in for `username` from `address` (or [`ALL_ADDRESSES`]),
    /// restarting the count if the last failure is older than `window_start`; returns the
    /// failures so far. One statement, so concurrent attempts cannot lose a count.
    pub async fn record_sign_in_failure(
        &mut self,
        username: &str,
        address: &str,
        now_us: i64,
        window_start: i64,
    ) -> Result<i64> {
        let sql = "INSERT INTO sign_in_failures (username, address, failures, last_failure_at) VALUES ($1, $2, 1, $3) \
                   ON CONFLICT (username, address) DO UPDATE SET \
                     failures = CASE WHEN sign_in_failures.last_failure_at < $4 THEN 1 ELSE sign_in_failures.failures + 1 END, \
                     last_failure_at = $3 \
                   RETURNING failures";
        let n: (i64,) = on_tx!(self, c => sqlx::query_as(sql).bind(username).bind(address).bind(now_us).bind(window_start).fetch_one(c).await)?;
        Ok(n.0)
    }

    /// Forgets failures whose last one is older than `before_us`; returns how many counts.
    pub async fn forget_sign_in_failures(&mut self, before_us: i64) -> Result<u64> {
        Ok(
            on_tx!(self, c => sqlx::query("DELETE FROM sign_in_failures WHERE last_failure_at < $1")
            .bind(before_us).execute(c).await.map(|r| r.rows_affected()))?,
        )
    }

    /// Forgets the failures of `username` from `address` (after it signed in from there).
    pub async fn clear_sign_in_failures(&mut self, username: &str, address: &str) -> Result<()> {
        on_tx!(self, c => sqlx::query("DELETE FROM sign_in_failures WHERE username = $1 AND address = $2")
            .bind(username).bind(address).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Remembers that the user signed in from `address` at `now_us`, and forgets the
    /// addresses it last signed in from before `forget_before`.
    pub async fn remember_sign_in_address(
        &mut self,
        user_id: i64,
        address: &str,
        now_us: i64,
        forget_before: i64,
    ) -> Result<()> {
        let sql = "INSERT INTO sign_in_addresses (user_id, address, last_success_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (user_id, address) DO UPDATE SET last_success_at = $3";
        on_tx!(self, c => sqlx::query(sql).bind(user_id).bind(address).bind(now_us).execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(self, c => sqlx::query("DELETE FROM sign_in_addresses WHERE user_id = $1 AND last_success_at < $2")
            .bind(user_id).bind(forget_before).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Store {
    /// Whether the account named `username` signed in successfully from `address` at or
    /// after `since_us`.
    pub async fn is_usual_sign_in_address(
        &self,
        username: &str,
        address: &str,
        since_us: i64,
    ) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM sign_in_addresses a JOIN users u ON u.id = a.user_id \
                   WHERE u.username = $1 AND a.address = $2 AND a.last_success_at >= $3";
        let n: (i64,) = on_pool!(self, p => sqlx::query_as(sql).bind(username).bind(address).bind(since_us).fetch_one(p).await)?;
        Ok(n.0 > 0)
    }

    /// The failures counted for `username` from `address` and from everywhere.
    pub async fn sign_in_failures(
        &self,
        username: &str,
        address: &str,
    ) -> Result<Vec<SignInFailures>> {
        let sql = "SELECT address, failures, last_failure_at FROM sign_in_failures \
                   WHERE username = $1 AND (address = $2 OR address = $3)";
        Ok(on_pool!(self, p => sqlx::query_as::<_, SignInFailures>(sql)
            .bind(username).bind(address).bind(ALL_ADDRESSES).fetch_all(p).await)?)
    }
}
