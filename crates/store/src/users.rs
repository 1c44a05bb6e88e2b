//! Users, sessions and the login throttle.

use sqlx::FromRow;

use crate::{Db, Result, Store, StoreError, Tx, TxConn, on_pool, on_tx};

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
    /// The administrator recorded the user's ID number (only its blind index is kept).
    pub identity_recorded: bool,
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
     (SELECT MAX(a.last_success_at) FROM sign_in_addresses a WHERE a.user_id = u.id) AS last_sign_in_at, \
     (u.identity_key IS NOT NULL) AS identity_recorded \
     FROM users u JOIN courts c ON c.id = u.court_id";

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub court_id: &'a str,
    pub roles: &'a str,
    pub password_hash: &'a str,
    /// The blind index of the user's ID number, if the administrator gave it.
    pub identity_key: Option<&'a str>,
    pub at_us: i64,
}

impl Tx {
    pub async fn insert_user(&mut self, u: &NewUser<'_>) -> Result<i64> {
        let sql = "INSERT INTO users (username, display_name, court_id, roles, password_hash, active, created_at, identity_key) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
        let id: (i64,) = on_tx!(self, c => sqlx::query_as(sql)
            .bind(u.username)
            .bind(u.display_name)
            .bind(u.court_id)
            .bind(u.roles)
            .bind(u.password_hash)
            .bind(true)
            .bind(u.at_us)
            .bind(u.identity_key)
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
        self.auth_changed(Some(user_id)).await?;
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
        self.auth_changed(Some(user_id)).await?;
        Ok(())
    }

    /// Replaces an account's roles (comma-separated role names).
    pub async fn set_user_roles(&mut self, user_id: i64, roles: &str) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE users SET roles = $1 WHERE id = $2")
            .bind(roles).bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
        self.auth_changed(Some(user_id)).await?;
        Ok(())
    }

    /// Records (or, with `None`, forgets) the blind index of an account's ID number.
    pub async fn set_user_identity(&mut self, user_id: i64, key: Option<&str>) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE users SET identity_key = $1 WHERE id = $2")
            .bind(key).bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The paths of the courts where an active account carries this identity's blind index:
    /// whom the court's own staff rule concerns.
    pub async fn staff_court_paths(&mut self, key: &str) -> Result<Vec<String>> {
        let sql = "SELECT c.path FROM users u JOIN courts c ON c.id = u.court_id \
                   WHERE u.identity_key = $1 AND u.active = $2";
        Ok(on_tx!(self, c => sqlx::query_scalar(sql).bind(key).bind(true).fetch_all(c).await)?)
    }

    /// Sets whether the user must choose a new password at the next sign-in.
    pub async fn set_must_change_password(&mut self, user_id: i64, must: bool) -> Result<()> {
        on_tx!(self, c => sqlx::query("UPDATE users SET must_change_password = $1 WHERE id = $2")
            .bind(must).bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
        self.auth_changed(Some(user_id)).await?;
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
        let r = on_tx!(self, c => sqlx::query(sql).bind(at_us).bind(user_id).bind(keep).execute(c).await.map(|r| r.rows_affected()))?;
        if r > 0 {
            self.auth_changed(Some(user_id)).await?;
        }
        Ok(r)
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
        let sql = "UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL RETURNING user_id";
        let user: Option<i64> = on_tx!(self, c => sqlx::query_scalar(sql).bind(at_us).bind(token_hash).fetch_optional(c).await)?;
        if let Some(user_id) = user {
            self.auth_changed(Some(user_id)).await?;
        }
        Ok(user.is_some())
    }

    /// Revokes every live session of a user (password change, deactivation).
    pub async fn revoke_user_sessions(&mut self, user_id: i64, at_us: i64) -> Result<u64> {
        let sql = "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL";
        let r = on_tx!(self, c => sqlx::query(sql).bind(at_us).bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
        if r > 0 {
            self.auth_changed(Some(user_id)).await?;
        }
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

/// The PostgreSQL channel on which auth changes are announced, with the schema's name in it:
/// several deployments (or test schemas) in one database do not hear each other's.
const AUTH_CHANNEL_SQL: &str = "'zhixing_auth_' || COALESCE(CAST(current_schema() AS TEXT), '')";

/// What changed, as announced: whose sessions to read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthChange {
    User(i64),
    Everyone,
}

impl Tx {
    /// Records, in this transaction, that what the sessions of `user` (`None`: of anyone)
    /// may do changed — a session ended, an account was disabled, its roles or password
    /// changed — so that no process keeps serving its cached principal:
    ///
    /// - in this process, the store's auth epoch moves on when the transaction commits;
    /// - on PostgreSQL, a `NOTIFY` in the transaction, delivered to every process's listener
    ///   ([`Store::listen_auth_changes`]) when — and only if — it commits;
    /// - on SQLite, which has no notifications, the `auth_generation` row is bumped: every
    ///   process reads it (one row, by key) before it trusts a cached session. Not
    ///   `PRAGMA data_version`: it counts every commit of anything (each write would empty
    ///   the cache) and its value is per connection, so a pool's connections disagree.
    pub async fn auth_changed(&mut self, user: Option<i64>) -> Result<()> {
        self.auth_changed = true;
        let payload = user.map_or_else(|| "*".to_owned(), |id| id.to_string());
        match self.conn() {
            TxConn::Sqlite(c) => {
                sqlx::query("UPDATE auth_generation SET generation = generation + 1 WHERE id = 1")
                    .execute(c)
                    .await?;
            }
            TxConn::Postgres(c) => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT CAST(pg_notify({AUTH_CHANNEL_SQL}, $1) AS TEXT)"
                )))
                .bind(payload)
                .execute(c)
                .await?;
            }
        }
        Ok(())
    }
}

impl Store {
    /// The in-process auth epoch: moves on after every commit here that changed what a
    /// session may do, and whenever [`Store::auth_changed_elsewhere`] is called.
    pub fn auth_epoch(&self) -> u64 {
        self.auth_epoch.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Another process changed what a session may do (or its announcements may have been
    /// missed): whatever was cached before is stale.
    pub fn auth_changed_elsewhere(&self) {
        self.auth_epoch
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// SQLite: the generation of auth changes, bumped by every [`Tx::auth_changed`] of any
    /// process on the file. `None` on PostgreSQL, whose changes arrive by notification.
    pub async fn auth_generation(&self) -> Result<Option<i64>> {
        match self.pools() {
            crate::Pools::Sqlite(p) => Ok(Some(
                sqlx::query_scalar("SELECT generation FROM auth_generation WHERE id = 1")
                    .fetch_one(p)
                    .await?,
            )),
            crate::Pools::Postgres(_) => Ok(None),
        }
    }

    /// PostgreSQL: a connection of its own listening for the auth changes every process
    /// announces ([`Tx::auth_changed`]); `None` on SQLite.
    pub async fn listen_auth_changes(&self) -> Result<Option<AuthChanges>> {
        let Db::Postgres(pool) = &self.db else {
            return Ok(None);
        };
        // Not a connection of the pool: it is held for as long as the process runs.
        let own = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_with((*pool.connect_options()).clone())
            .await?;
        let channel: String =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT {AUTH_CHANNEL_SQL}")))
                .fetch_one(&own)
                .await?;
        let mut listener = sqlx::postgres::PgListener::connect_with(&own).await?;
        // A lost connection is reported, not mended behind our back: what was announced
        // meanwhile is lost, and the caller must forget what it cached.
        listener.eager_reconnect(false);
        listener.ignore_pool_close_event(true);
        listener.listen(&channel).await?;
        Ok(Some(AuthChanges { listener }))
    }
}

/// A listening connection ([`Store::listen_auth_changes`]).
pub struct AuthChanges {
    listener: sqlx::postgres::PgListener,
}

impl AuthChanges {
    /// The next change announced; `None` when the connection was lost (announcements may
    /// have been missed: listen again on a new one).
    pub async fn next(&mut self) -> Result<Option<AuthChange>> {
        Ok(self.listener.try_recv().await?.map(|n| {
            n.payload()
                .parse()
                .map_or(AuthChange::Everyone, AuthChange::User)
        }))
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
