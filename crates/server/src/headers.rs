//! Security headers on every answer, set in one place (the outermost layer), so that no route,
//! error or fallback goes without them.
//!
//! - A strict Content-Security-Policy: scripts and styles only from this origin (the pages have
//!   no inline script or event-handler attribute; the data a page hands its script travels in
//!   a `type="application/json"` element, which is not executed), no plugins, no `<base>`,
//!   forms post only here, and no other site may frame a page (`frame-ancestors 'none'`, and
//!   `X-Frame-Options` for older browsers).
//! - `X-Content-Type-Options: nosniff` and a `Referrer-Policy` that keeps case addresses to
//!   this origin.
//! - `Cache-Control: no-store` unless the route chose its own caching (static files; stored
//!   evidence already says `private, no-store`): answers carry personal data by default.
//! - HSTS when the cookies are marked Secure, i.e. when the platform is served over HTTPS.
//!
//! A route that sets a stricter policy of its own (evidence files: `sandbox`) keeps it.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The policy of every answer that does not set its own.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; \
font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'";

/// A year, once the platform is known to be served over HTTPS.
const HSTS: &str = "max-age=31536000";

fn set_if_absent(h: &mut HeaderMap, name: HeaderName, value: &'static str) {
    if !h.contains_key(&name) {
        h.insert(name, HeaderValue::from_static(value));
    }
}

/// The layer: `secure_cookies` says whether the platform runs behind HTTPS.
pub async fn secure(State(secure_cookies): State<bool>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    set_if_absent(h, header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    set_if_absent(h, header::CACHE_CONTROL, "no-store");
    if secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    resp
}
