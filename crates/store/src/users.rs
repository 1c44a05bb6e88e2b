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
}

const USER_WITH_COURT: &str = "SELECT u.id, u.username, u.display_name, u.court_id, c.path AS court_path, \
     c.name AS court_name, u.roles, u.password_hash, u.active FROM users u JOIN courts c ON c.id = u.court_id";

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

    pub async fn user_by_username_tx(&mut self, username: &str) -> Result<Option<UserWithCourt>> {
        let sql = format!("{USER_WITH_COURT} WHERE u.username = $1");
        Ok(
            on_tx!(self, c => sqlx::query_as::<_, UserWithCourt>(sqlx::AssertSqlSafe(sql.clone())).bind(username).fetch_optional(c).await)?,
        )
    }

    pub async fn clear_throttle(&mut self, username: &str) -> Result<()> {
        on_tx!(self, c => sqlx::query("DELETE FROM login_throttle WHERE username = $1").bind(username).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
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
                   c.path AS court_path, c.name AS court_name, u.roles \
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

impl Tx {
    /// Counts a failed login for `username` (restarting the count if the last failure is
    /// older than `window_start`); returns the failures so far. One statement, so concurrent
    /// attempts cannot lose a count.
    pub async fn record_login_failure(
        &mut self,
        username: &str,
        now_us: i64,
        window_start: i64,
    ) -> Result<i64> {
        let sql = "INSERT INTO login_throttle (username, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, NULL) \
                   ON CONFLICT (username) DO UPDATE SET \
                     failures = CASE WHEN login_throttle.last_failure_at < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
                     last_failure_at = $2 \
                   RETURNING failures";
        let n: (i64,) = on_tx!(self, c => sqlx::query_as(sql).bind(username).bind(now_us).bind(window_start).fetch_one(c).await)?;
        Ok(n.0)
    }

    /// Locks a username until `until_us` and restarts its count.
    pub async fn lock_login(&mut self, username: &str, until_us: i64) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE login_throttle SET locked_until = $1, failures = 0 WHERE username = $2")
            .bind(until_us).bind(username).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Store {
    /// When a username's lock ends, if it is locked at `now_us`.
    pub async fn login_locked_until(&self, username: &str, now_us: i64) -> Result<Option<i64>> {
        let row: Option<(Option<i64>,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT locked_until FROM login_throttle WHERE username = $1").bind(username).fetch_optional(p).await)?;
        Ok(row.and_then(|r| r.0).filter(|until| *until > now_us))
    }
}
