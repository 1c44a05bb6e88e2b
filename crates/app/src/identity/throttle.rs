//! The sign-in throttle's figures and its in-memory limits (OWASP Authentication Cheat Sheet,
//! "Login Throttling" and "Account Lockout"):
//!
//! - per client address and overall, a GCRA (the `governor` crate) counts every attempt
//!   *before* any password is hashed: spraying many names from one address, or flooding from
//!   many, is answered 429 without costing a hash;
//! - per account name and per (account name, address), failures stored in the database back
//!   off exponentially instead of locking (see [`backoff`]); an address the account signed
//!   in from successfully lately (its usual address) is held back only by its own failures,
//!   so a stranger's failures elsewhere do not keep the owner out.
//!
//! The limits follow the application's clock, so tests move time instead of sleeping.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::Clock as GovernorClock;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

type NoOp = NoOpMiddleware<Duration>;

use crate::error::AppError;
use crate::state::{Clock, Config};

/// Above this many tracked addresses, the ones whose buckets are full again are forgotten.
const MAX_TRACKED: usize = 100_000;

/// The application's clock, as the rate limiters read it.
#[derive(Clone)]
pub struct AppClock(pub Arc<dyn Clock>);

impl GovernorClock for AppClock {
    type Instant = Duration;
    fn now(&self) -> Duration {
        let us = self.0.now().as_microsecond();
        Duration::from_micros(u64::try_from(us).unwrap_or(0))
    }
}

/// The address a sign-in counts against: an IPv4 address as it is, an IPv6 address by its
/// /64 (one host commonly holds a whole /64, and could otherwise pick a fresh address per
/// attempt); an IPv4 address mapped into IPv6 as the IPv4 address.
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The attempt limits kept in memory, checked before anything else.
pub struct SignInLimits {
    per_address: RateLimiter<IpAddr, DashMapStateStore<IpAddr>, AppClock, NoOp>,
    overall: RateLimiter<NotKeyed, InMemoryState, AppClock, NoOp>,
    clock: AppClock,
}

fn quota(per_minute: u32, burst: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
}

fn seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

impl SignInLimits {
    pub fn new(config: &Config, clock: Arc<dyn Clock>) -> SignInLimits {
        let clock = AppClock(clock);
        SignInLimits {
            per_address: RateLimiter::dashmap_with_clock(
                quota(
                    config.login_per_address_per_minute,
                    config.login_per_address_burst,
                ),
                clock.clone(),
            ),
            overall: RateLimiter::direct_with_clock(
                quota(config.login_overall_per_minute, config.login_overall_burst),
                clock.clone(),
            ),
            clock,
        }
    }

    /// Counts an attempt from `address` (a key of [`address_key`]): refused with how long to
    /// wait if this address, or everyone together, has made too many lately. The address is
    /// checked first, so that one address's flood does not use up everyone's allowance.
    pub fn admit(&self, address: IpAddr) -> Result<(), AppError> {
        if self.per_address.len() > MAX_TRACKED {
            self.per_address.retain_recent();
        }
        let now = self.clock.now();
        self.per_address.check_key(&address).map_err(|nu| {
            AppError::throttled(
                "login_rate_limited",
                "too many sign-in attempts from this address; try again later",
                seconds(nu.wait_time_from(now)),
            )
        })?;
        self.overall.check().map_err(|nu| {
            AppError::throttled(
                "login_busy",
                "too many sign-ins at once; try again shortly",
                seconds(nu.wait_time_from(now)),
            )
        })
    }
}

/// When the failures counted so far allow the next attempt: `failures` beyond the first
/// `login_free_failures` wait `login_backoff_base`, doubled for each further failure, never
/// more than `login_backoff_cap`, counted from the last failure.
pub fn backoff(config: &Config, failures: i64, last_failure_us: i64) -> Option<i64> {
    let over = failures.saturating_sub(config.login_free_failures);
    if over <= 0 {
        return None;
    }
    let base = i64::try_from(config.login_backoff_base.as_micros()).unwrap_or(i64::MAX);
    let cap = i64::try_from(config.login_backoff_cap.as_micros()).unwrap_or(i64::MAX);
    let factor = 1i64.checked_shl(u32::try_from(over - 1).unwrap_or(u32::MAX).min(62));
    let wait = factor.map_or(cap, |f| base.saturating_mul(f)).min(cap);
    Some(last_failure_us.saturating_add(wait))
}

/// Whole seconds from `now_us` to `until_us`, at least one.
pub fn seconds_until(now_us: i64, until_us: i64) -> u64 {
    let us = u64::try_from(until_us.saturating_sub(now_us)).unwrap_or(0);
    seconds(Duration::from_micros(us))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::state::ManualClock;

    #[test]
    fn backoff_doubles_from_the_base_up_to_the_cap() {
        let c = Config::default();
        let free = c.login_free_failures;
        let base = i64::try_from(c.login_backoff_base.as_micros()).unwrap();
        let cap = i64::try_from(c.login_backoff_cap.as_micros()).unwrap();
        assert_eq!(
            backoff(&c, free, 1_000),
            None,
            "the first failures are free"
        );
        assert_eq!(backoff(&c, free + 1, 1_000), Some(1_000 + base));
        assert_eq!(backoff(&c, free + 2, 1_000), Some(1_000 + 2 * base));
        assert_eq!(backoff(&c, free + 3, 1_000), Some(1_000 + 4 * base));
        assert_eq!(backoff(&c, free + 500, 1_000), Some(1_000 + cap));
        assert_eq!(backoff(&c, i64::MAX, 1_000), Some(1_000 + cap));
    }

    #[test]
    fn ipv6_counts_by_its_64() {
        let a: IpAddr = "2001:db8:1:2:3:4:5:6".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:4:5:7".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_eq!(address_key(a).to_string(), "2001:db8:1:2::");
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(address_key(mapped).to_string(), "10.0.0.1");
    }

    #[test]
    fn an_address_runs_out_before_everyone_does_and_time_refills_it() {
        let clock = Arc::new(ManualClock::new(jiff::Timestamp::now()));
        let config = Config {
            login_per_address_per_minute: 6,
            login_per_address_burst: 3,
            login_overall_per_minute: 60,
            login_overall_burst: 5,
            ..Config::default()
        };
        let limits = SignInLimits::new(&config, clock.clone());
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..3 {
            limits.admit(a).unwrap();
        }
        match limits.admit(a) {
            Err(AppError::Throttled {
                code, retry_after, ..
            }) => assert_eq!((code, retry_after), ("login_rate_limited", 10)),
            other => panic!("{other:?}"),
        }
        // The refused attempt did not use up everyone's allowance: two more for b.
        limits.admit(b).unwrap();
        limits.admit(b).unwrap();
        assert!(matches!(
            limits.admit(b),
            Err(AppError::Throttled {
                code: "login_busy",
                ..
            })
        ));
        clock.advance(Duration::from_secs(10));
        limits.admit(a).unwrap();
    }
}
