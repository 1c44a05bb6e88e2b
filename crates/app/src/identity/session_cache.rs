//! Sessions held in memory: a bounded map from a token's hash to its authenticated
//! principal, so that an authenticated request need not read its session, user and court
//! from the database each time.
//!
//! A cached session is served only while nothing that could make it wrong has happened:
//!
//! - it has not expired (checked against the clock on every request);
//! - the store's auth epoch ([`zhixing_store::Store::auth_epoch`]) is the one it was cached
//!   at. The epoch moves on after every commit in this process that ends a session or
//!   changes what one may do (logout, disable, roles, password reset or change — the store
//!   marks each in its transaction, `Tx::auth_changed`), and for every such change another
//!   process announces on PostgreSQL ([`listen_forever`]);
//! - on PostgreSQL, the listener is connected: until it is, and from the moment it drops
//!   until it listens again, nothing is cached and what was is forgotten — a notification
//!   missed meanwhile cannot leave a revoked session served;
//! - on SQLite, which has no notifications, the `auth_generation` row — bumped in the
//!   revoking transaction of whichever process on the file — still holds the generation
//!   the session was cached at. Each request reads it (one row by key) after it arrived;
//!   requests that wait at the same moment share one read ([`GenerationReads`]).
//!
//! Any change empties the whole cache rather than one user's entries: changes are rare
//! beside reads, and one rule is easier to trust.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use zhixing_store::Store;

use crate::error::AppError;
use crate::identity::auth::Authenticated;
use crate::state::App;

/// How many sessions one process keeps in memory at most.
pub const CAPACITY: usize = 10_000;

/// What a cached session was cached under; it is served only while both still hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    epoch: u64,
    /// SQLite only: the `auth_generation` read after the request arrived.
    generation: Option<i64>,
}

struct Entry {
    auth: Authenticated,
    expires_us: i64,
    stamp: Stamp,
}

impl Entry {
    fn serves(&self, stamp: Stamp, now_us: i64) -> bool {
        self.stamp == stamp && now_us < self.expires_us
    }
}

pub struct SessionCache {
    entries: Mutex<HashMap<String, Entry>>,
    capacity: usize,
    /// PostgreSQL: whether this process's listener is connected and listening.
    listening: AtomicBool,
    generation: GenerationReads,
}

impl Default for SessionCache {
    fn default() -> Self {
        Self::with_capacity(CAPACITY)
    }
}

impl SessionCache {
    pub fn with_capacity(capacity: usize) -> Self {
        SessionCache {
            entries: Mutex::default(),
            capacity: capacity.max(1),
            listening: AtomicBool::new(false),
            generation: GenerationReads::default(),
        }
    }

    /// What a session read now from the store would be cached under; `None` when nothing
    /// may be cached (PostgreSQL without its listener). Read before the session itself, so
    /// that a change committed in between makes the entry stale, never the reverse.
    pub async fn stamp(&self, store: &Store) -> Result<Option<Stamp>, AppError> {
        // The epoch before the flag: the listener lowers the flag before it moves the epoch
        // on, so a stamp taken across a lost connection is already stale.
        let epoch = store.auth_epoch();
        match store.backend() {
            zhixing_store::Backend::Postgres => {
                Ok(self.listening.load(Ordering::SeqCst).then_some(Stamp {
                    epoch,
                    generation: None,
                }))
            }
            zhixing_store::Backend::Sqlite => Ok(Some(Stamp {
                epoch,
                generation: Some(self.generation.read(store).await?),
            })),
        }
    }

    /// The cached session of this token hash, if it still serves under `stamp` at `now_us`.
    pub fn get(&self, token_hash: &str, stamp: Stamp, now_us: i64) -> Option<Authenticated> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get(token_hash) {
            Some(e) if e.serves(stamp, now_us) => Some(e.auth.clone()),
            Some(_) => {
                entries.remove(token_hash);
                None
            }
            None => None,
        }
    }

    /// Caches a session read from the store under `stamp`, until `expires_us`.
    pub fn put(&self, auth: Authenticated, expires_us: i64, stamp: Stamp, now_us: i64) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity && !entries.contains_key(&auth.token_hash) {
            entries.retain(|_, e| e.serves(stamp, now_us));
            if entries.len() >= self.capacity {
                // Full of live sessions: start again rather than track which is oldest.
                entries.clear();
            }
        }
        entries.insert(
            auth.token_hash.clone(),
            Entry {
                auth,
                expires_us,
                stamp,
            },
        );
    }

    /// How many sessions are held (stale ones included until they are next looked at).
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether this process's listener for other processes' changes is connected
    /// (PostgreSQL; always false on SQLite, which needs none).
    pub fn is_listening(&self) -> bool {
        self.listening.load(Ordering::SeqCst)
    }

    fn listening_started(&self) {
        self.listening.store(true, Ordering::SeqCst);
    }

    /// The listener dropped: stop caching, then forget everything cached (notifications may
    /// have been missed).
    fn listening_stopped(&self, store: &Store) {
        self.listening.store(false, Ordering::SeqCst);
        store.auth_changed_elsewhere();
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// Shares reads of SQLite's `auth_generation` among the requests waiting at the same
/// moment. A request may use only a read that began after it arrived (else it could miss a
/// change committed just before): it joins the waiting list, and one task reads the row for
/// everyone on the list, then for those who came meanwhile, until nobody waits.
#[derive(Default, Clone)]
struct GenerationReads {
    waiting: Arc<Mutex<Waiting>>,
}

#[derive(Default)]
struct Waiting {
    reading: bool,
    list: Vec<tokio::sync::oneshot::Sender<Option<i64>>>,
}

impl GenerationReads {
    async fn read(&self, store: &Store) -> Result<i64, AppError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let start = {
            let mut w = self.waiting.lock().unwrap_or_else(|p| p.into_inner());
            w.list.push(tx);
            !std::mem::replace(&mut w.reading, true)
        };
        if start {
            let (waiting, store) = (self.waiting.clone(), store.clone());
            tokio::spawn(async move {
                loop {
                    let batch = {
                        let mut w = waiting.lock().unwrap_or_else(|p| p.into_inner());
                        if w.list.is_empty() {
                            w.reading = false;
                            return;
                        }
                        std::mem::take(&mut w.list)
                    };
                    let generation = store.auth_generation().await.ok().flatten();
                    for waiter in batch {
                        let _ = waiter.send(generation);
                    }
                }
            });
        }
        match rx.await {
            Ok(Some(g)) => Ok(g),
            // The shared read failed (or its task was stopped): read alone, for the error.
            _ => store
                .auth_generation()
                .await?
                .ok_or_else(|| AppError::internal("auth_generation on SQLite")),
        }
    }
}

/// PostgreSQL: listens, as long as the process runs, for the auth changes other processes
/// announce, and makes every session cached before one stale. When the connection drops,
/// the cache stops serving and is emptied until a new connection listens again. Returns at
/// once on SQLite.
pub async fn listen_forever(app: App) {
    loop {
        match app.store.listen_auth_changes().await {
            Ok(None) => return,
            Ok(Some(mut changes)) => {
                app.sessions.listening_started();
                loop {
                    match changes.next().await {
                        Ok(Some(_)) => app.store.auth_changed_elsewhere(),
                        Ok(None) => break,
                        Err(e) => {
                            tracing::warn!(error = %e, "the auth-change listener failed");
                            break;
                        }
                    }
                }
                app.sessions.listening_stopped(&app.store);
                tracing::warn!(
                    "lost the auth-change listener: sessions are read from the database until it listens again"
                );
            }
            Err(e) => {
                app.sessions.listening_stopped(&app.store);
                tracing::warn!(error = %e, "cannot listen for auth changes; retrying");
            }
        }
        // Before connecting again (the cache does not serve meanwhile).
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhixing_domain::access::{Principal, Role};

    fn auth(th: &str) -> Authenticated {
        Authenticated {
            principal: Principal {
                user_id: 1,
                username: "u".into(),
                court_id: "b110105".into(),
                court_path: "/b/".into(),
                roles: vec![Role::Officer],
            },
            token_hash: th.into(),
            must_change_password: false,
        }
    }

    const AT: Stamp = Stamp {
        epoch: 1,
        generation: Some(7),
    };

    #[test]
    fn serves_only_under_its_stamp_and_before_expiry() {
        let c = SessionCache::with_capacity(10);
        c.put(auth("a"), 100, AT, 0);
        assert!(c.get("a", AT, 99).is_some());
        assert!(c.get("a", AT, 100).is_none(), "expired");
        c.put(auth("a"), 100, AT, 0);
        let later = Stamp { epoch: 2, ..AT };
        assert!(c.get("a", later, 0).is_none(), "epoch moved on");
        c.put(auth("a"), 100, AT, 0);
        let bumped = Stamp {
            generation: Some(8),
            ..AT
        };
        assert!(c.get("a", bumped, 0).is_none(), "generation moved on");
        assert!(c.is_empty(), "a stale entry is dropped when looked at");
    }

    #[test]
    fn stays_within_its_capacity() {
        let c = SessionCache::with_capacity(3);
        for i in 0..10 {
            c.put(auth(&format!("t{i}")), 100, AT, 0);
            assert!(c.len() <= 3);
        }
        assert!(c.get("t9", AT, 0).is_some(), "the newest is kept");
    }
}
