//! Passwords and tokens as the platform keeps them: Argon2id hashes of passwords, random
//! session tokens stored only as their SHA-256.
//!
//! Every hash and every verification runs on [`HashPool`]: a few threads of its own (as many
//! as the machine has cores, by default), each with one Argon2 working memory (19 MiB with
//! OWASP's parameters) allocated once and reused. So however many sign-ins arrive at once, at
//! most `threads × 19 MiB` of Argon2 memory exists — Tokio's blocking pool would start up to
//! 512 threads, each with its own allocation (and, with glibc, often an arena of its own that
//! keeps the memory after the burst). The pool is the semaphore: a job waits in a bounded
//! queue for a thread, and a full queue is refused at once (`login_busy`) instead of piling
//! up. Sign-ins from an account's usual address have a queue of their own, served first.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use argon2::password_hash::{Output, PasswordHash, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::{AppError, OrInternal};

/// The largest Argon2 memory a stored hash may ask for (256 MiB): a hash we did not make is
/// refused rather than allowed to size the pool's memory.
const MAX_BLOCKS: usize = 256 * 1024;

type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// Which queue a job waits in. A sign-in from the account's usual address goes ahead of
/// everything else, so that a flood of attempts from elsewhere — each within the limits —
/// delays the account's owner by one hash at most, not by the whole queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    Usual,
    Other,
}

#[derive(Default)]
struct Waiting {
    usual: VecDeque<Job>,
    other: VecDeque<Job>,
    closed: bool,
}

struct Queue {
    waiting: Mutex<Waiting>,
    ready: Condvar,
    /// Jobs each lane may hold waiting.
    room: usize,
}

/// The threads every Argon2 computation runs on; see the module comment.
pub struct HashPool {
    queue: Arc<Queue>,
    threads: usize,
    performed: Arc<AtomicU64>,
}

impl HashPool {
    /// `threads` hashing threads (0: one per core) and room for `queue` waiting jobs in each
    /// lane.
    pub fn new(threads: usize, queue: usize) -> Result<HashPool, AppError> {
        let threads = if threads == 0 {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        } else {
            threads
        };
        let queue = Arc::new(Queue {
            waiting: Mutex::new(Waiting::default()),
            ready: Condvar::new(),
            room: queue.max(1),
        });
        for i in 0..threads {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || work(&queue))
                .or_internal("starting a password-hashing thread")?;
        }
        Ok(HashPool {
            queue,
            threads,
            performed: Arc::new(AtomicU64::new(0)),
        })
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// How many Argon2 computations (hashes and verifications) this pool has run: what the
    /// tests read to prove that a refused sign-in hashed nothing.
    pub fn performed(&self) -> u64 {
        self.performed.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(
        &self,
        lane: Lane,
        f: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let performed = self.performed.clone();
        let job: Job = Box::new(move |memory| {
            performed.fetch_add(1, Ordering::Relaxed);
            metrics::counter!("password_hashes_total").increment(1);
            let _ = tx.send(f(memory));
        });
        {
            let mut w = self
                .queue
                .waiting
                .lock()
                .map_err(|_| AppError::internal("the password-hashing queue is poisoned"))?;
            let q = match lane {
                Lane::Usual => &mut w.usual,
                Lane::Other => &mut w.other,
            };
            if q.len() >= self.queue.room {
                return Err(AppError::throttled(
                    "login_busy",
                    "too many sign-ins at once; try again shortly",
                    1,
                ));
            }
            q.push_back(job);
        }
        self.queue.ready.notify_one();
        rx.await.or_internal("a password-hashing job was lost")
    }

    /// An Argon2id hash of `password` (PHC string) with OWASP's parameters.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(Lane::Other, move |memory| hash_with(&password, memory))
            .await?
    }

    /// Whether `password` matches the stored `hash`. A malformed hash matches nothing.
    pub async fn verify(
        &self,
        lane: Lane,
        password: String,
        hash: String,
    ) -> Result<bool, AppError> {
        self.run(lane, move |memory| verify_with(&password, &hash, memory))
            .await
    }
}

impl Drop for HashPool {
    /// The threads end with the pool; jobs still waiting are dropped, and their callers told.
    fn drop(&mut self) {
        if let Ok(mut w) = self.queue.waiting.lock() {
            w.closed = true;
            w.usual.clear();
            w.other.clear();
        }
        self.queue.ready.notify_all();
    }
}

/// A hashing thread: takes the next job, the usual lane's first, until the pool is dropped.
/// A job that panics loses only its own answer (its caller sees an internal error), not the
/// thread.
fn work(queue: &Queue) {
    let mut memory: Vec<Block> = Vec::new();
    loop {
        let job = {
            let Ok(mut w) = queue.waiting.lock() else {
                return;
            };
            loop {
                if w.closed {
                    return;
                }
                if let Some(job) = w.usual.pop_front().or_else(|| w.other.pop_front()) {
                    break job;
                }
                w = match queue.ready.wait(w) {
                    Ok(w) => w,
                    Err(_) => return,
                };
            }
        };
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut memory)));
    }
}

fn hash_with(password: &str, memory: &mut Vec<Block>) -> Result<String, AppError> {
    let params = Params::default();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .or_internal("decoding a fresh salt")?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, &mut *memory)
        .or_internal("password hashing failed")?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params).try_into().or_internal("argon2 parameters")?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).or_internal("argon2 output")?),
    };
    Ok(phc.to_string())
}

fn verify_with(password: &str, hash: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(phc) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(phc.algorithm),
        Params::try_from(&phc),
        phc.salt,
        phc.hash,
    ) else {
        return false;
    };
    let version = match phc.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    if params.block_count() > MAX_BLOCKS {
        return false;
    }
    let mut salt_buf = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, &mut *memory)
        .is_ok()
        // `Output`'s equality is constant-time.
        && Output::new(&out).is_ok_and(|o| o == expected)
}

/// Hashes on the calling thread with memory of its own: only for start-up (the dummy hash
/// unknown names are verified against), never on a request's path.
pub fn hash_password_blocking(password: &str) -> Result<String, AppError> {
    hash_with(password, &mut Vec::new())
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use argon2::{PasswordHasher, PasswordVerifier};

    /// The pool's hashes are ordinary PHC strings: the argon2 crate's own verifier accepts
    /// them, and the pool accepts the crate's — stored hashes stay valid either way.
    #[test]
    fn hashes_agree_with_the_argon2_crate() {
        let mut memory = Vec::new();
        let ours = hash_with("correct-horse-battery", &mut memory).unwrap();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct-horse-battery", &parsed)
                .is_ok()
        );
        assert!(
            Argon2::default()
                .verify_password(b"wrong-horse-battery", &parsed)
                .is_err()
        );

        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"another-password", &salt)
            .unwrap()
            .to_string();
        assert!(verify_with("another-password", &theirs, &mut memory));
        assert!(!verify_with("another-passwore", &theirs, &mut memory));
        assert!(!verify_with("another-password", "not a hash", &mut memory));
        assert_eq!(
            memory.len(),
            Params::default().block_count(),
            "one reused memory"
        );
    }

    #[tokio::test]
    async fn the_pool_hashes_verifies_and_counts() {
        let pool = HashPool::new(2, 8).unwrap();
        let h = pool.hash("a-long-password".into()).await.unwrap();
        assert!(
            pool.verify(Lane::Other, "a-long-password".into(), h.clone())
                .await
                .unwrap()
        );
        assert!(
            !pool
                .verify(Lane::Usual, "a-wrong-password".into(), h)
                .await
                .unwrap()
        );
        assert_eq!(pool.performed(), 3);
        assert_eq!(pool.threads(), 2);
    }

    /// A full queue is refused at once, not waited on.
    #[tokio::test]
    async fn a_full_queue_is_refused() {
        let pool = Arc::new(HashPool::new(1, 1).unwrap());
        let h = hash_password_blocking("a-long-password").unwrap();
        let attempts: Vec<_> = (0..8)
            .map(|_| {
                let (pool, h) = (pool.clone(), h.clone());
                tokio::spawn(async move { pool.verify(Lane::Other, "x".into(), h).await })
            })
            .collect();
        let mut busy = 0;
        for a in attempts {
            if let Err(AppError::Throttled { code, .. }) = a.await.unwrap() {
                assert_eq!(code, "login_busy");
                busy += 1;
            }
        }
        assert!(
            busy >= 1,
            "with one thread and room for one job, some are refused"
        );
    }

    /// The usual lane goes first: with the only thread busy and the other lane holding a
    /// job, a usual-lane job queued later is done before it.
    #[tokio::test]
    async fn the_usual_lane_goes_first() {
        let pool = Arc::new(HashPool::new(1, 8).unwrap());
        let h = hash_password_blocking("a-long-password").unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        let spawn = |lane: Lane, tag: &'static str| {
            let (pool, h, order) = (pool.clone(), h.clone(), order.clone());
            tokio::spawn(async move {
                pool.verify(lane, "x".into(), h).await.unwrap();
                order.lock().unwrap().push(tag);
            })
        };
        // Queued in this order; the thread takes the first before or after the others.
        let jobs = vec![
            spawn(Lane::Other, "first"),
            spawn(Lane::Other, "other"),
            spawn(Lane::Usual, "usual"),
        ];
        for j in jobs {
            j.await.unwrap();
        }
        let order = order.lock().unwrap().clone();
        assert_eq!(order.len(), 3);
        assert_eq!(order.last(), Some(&"other"), "{order:?}");
    }
}
