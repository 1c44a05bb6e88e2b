//! The rate limit on the public routes (限流): a GCRA per client address (the `governor`
//! crate), so that anonymous callers cannot flood the database or try access codes fast.
//! Authenticated routes are not limited here: they have sessions; sign-in has its own
//! throttle in the application (`zhixing_app::identity::throttle`), keyed on [`ClientAddr`].

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;
use zhixing_app::state::Config;

/// Above this many tracked clients, the ones whose buckets are full again are forgotten.
const MAX_TRACKED: usize = 100_000;

pub struct PublicLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
    trust_forwarded_for: bool,
}

impl PublicLimiter {
    pub fn new(config: &Config) -> Arc<PublicLimiter> {
        let rate = NonZeroU32::new(config.public_rate_per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(config.public_burst).unwrap_or(NonZeroU32::MIN);
        Arc::new(PublicLimiter {
            limiter: RateLimiter::keyed(Quota::per_minute(rate).allow_burst(burst)),
            clock: DefaultClock::default(),
            trust_forwarded_for: config.trust_forwarded_for,
        })
    }

    /// The client a request counts against.
    fn client(&self, req: &Request) -> IpAddr {
        client_of(req, self.trust_forwarded_for)
    }

    /// `Ok` if the client may go on, else how many seconds it should wait.
    fn check(&self, ip: IpAddr) -> Result<(), u64> {
        if self.limiter.len() > MAX_TRACKED {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
        })
    }
}

/// Middleware: 429 `rate_limited` with `Retry-After` once a client's bucket is empty; a page
/// in the reader's language on the pages, the problem document on the JSON routes.
pub async fn limit(
    State(limiter): State<Arc<PublicLimiter>>,
    req: Request,
    next: Next,
) -> Response {
    match limiter.check(limiter.client(&req)) {
        Ok(()) => next.run(req).await,
        Err(secs) if req.uri().path().starts_with("/public/v1") => ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests from this address; slow down",
        )
        .with_retry_after(secs)
        .into_response(),
        Err(secs) => too_many_page(secs),
    }
}

/// What a citizen's browser shows when it has asked too fast: how long to wait, and a way on.
fn too_many_page(secs: u64) -> Response {
    use crate::pages::i18n::{Lang, zh_en};
    use maud::html;
    let lang = Lang::current();
    let wait = match lang {
        Lang::Zh => format!("访问过于频繁，请 {secs} 秒后再试。"),
        Lang::En => format!("Too many requests from this address; try again in {secs} s."),
    };
    let body = html! {
        section.card #rate-limited {
            h1 { (zh_en("请稍后再试", "Please wait a moment")) }
            p.error role="alert" { (wait) }
            p.small { (zh_en("错误代码：", "Code: ")) code { "rate_limited" } }
            p { a href="/public" { (zh_en("返回执行公开服务", "Back to the public services")) } }
        }
    };
    let mut r = crate::pages::page(
        StatusCode::TOO_MANY_REQUESTS,
        crate::pages::layout(
            lang,
            zh_en("请稍后再试", "Please wait a moment"),
            None,
            body,
        ),
    );
    r.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from(secs),
    );
    r
}

/// The client's address: the last `X-Forwarded-For` entry (the one a trusted proxy added) when
/// `trust_forwarded_for`, else the connection's.
pub fn client_of(req: &Request, trust_forwarded_for: bool) -> IpAddr {
    client_of_parts(req.headers(), req.extensions(), trust_forwarded_for)
}

fn client_of_parts(
    headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
    trust_forwarded_for: bool,
) -> IpAddr {
    if trust_forwarded_for
        && let Some(ip) = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .next_back()
    {
        return ip;
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// The client's address as a handler's argument (see [`client_of`]).
pub struct ClientAddr(pub IpAddr);

impl axum::extract::FromRequestParts<zhixing_app::App> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        app: &zhixing_app::App,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_of_parts(
            &parts.headers,
            &parts.extensions,
            app.config.trust_forwarded_for,
        )))
    }
}
