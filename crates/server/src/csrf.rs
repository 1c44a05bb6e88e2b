//! Cross-site request forgery (CSRF): no other site can make a signed-in browser change
//! anything, nor sign a browser in to an account of its choosing.
//!
//! Two checks on every state-changing request (any method but GET, HEAD, OPTIONS, TRACE) to a
//! page route, each enough to refuse it with 403 `csrf_rejected` before its handler runs:
//!
//! 1. **Where it comes from** (Fetch Metadata and `Origin`): `Sec-Fetch-Site: cross-site` or
//!    `same-site` — another system under the same registrable domain is *same-site*, and
//!    `SameSite` cookies do not keep it out — or an `Origin` other than the platform's own
//!    ([`Config::public_origin`], else the request's `Host`). A client that sends neither
//!    (not a browser) is judged by the token alone.
//! 2. **The form token** (synchronizer-token pattern): every form carries a hidden
//!    `csrf_token` that is an HMAC of the session's token hash under a key derived from the
//!    master key ([`zhixing_store::crypto::FieldCipher::form_token`]), so it is bound to the
//!    session, needs no storage, and survives a restart; it is compared in constant time.
//!    htmx sends it as `X-CSRF-Token` (from `hx-headers` on the page's `<body>`). The sign-in
//!    form has no session yet: it carries the HMAC of a random nonce that travels in its own
//!    cookie (a signed double-submit cookie, [`SignInForm`]), so a sign-in posted from
//!    elsewhere has no matching pair. The auction room's registration and bids, which act
//!    with a bidder's token kept in a cookie, use the same scheme ([`PublicForm`]).
//!
//! The token is only needed where the browser supplies the credential by itself, i.e. the
//! session cookie: a request with `Authorization: Bearer` cannot be forged by another page.
//! The same holds for the JSON API, which accepts the session cookie too (a recording plays
//! in the page through it): a cookie-authenticated API request that changes state needs the
//! origin check and the `X-CSRF-Token` header ([`cookie_request`], called by `Ctx`).
//!
//! Where the token is: the `csrf_token` field of a url-encoded form (taken out of the body
//! before the handler reads it); the first part of a multipart form (the hidden input is the
//! form's first element, and browsers send parts in document order, so the upload after it
//! is streamed on untouched, not buffered twice); or the `X-CSRF-Token` header.
//!
//! Why hand-written: the crates for axum either keep their own token cookie, unrelated to
//! the session, and leave the check to each handler (`axum_csrf`), or predate axum 0.8 and
//! read headers only (`axum-csrf-sync-pattern`); `tower-http`'s Fetch-Metadata check (the
//! scheme of Go 1.25, followed here) needs tower-http 0.7 and has no token. The parts that
//! matter are kept crates: HMAC-SHA256 (`hmac`, whose `verify_slice` is constant-time),
//! `multer` and `form_urlencoded`.

use std::task::Poll;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use maud::{Markup, Render, html};
use zhixing_app::state::App;
use zhixing_app::{AppError, Config};

use crate::api::{SESSION_COOKIE, cookie};
use crate::error::ApiError;
use crate::pages::i18n::Lang;

/// The form field that carries the token.
pub const FIELD: &str = "csrf_token";
/// The header that carries it (htmx, scripts, API clients using the session cookie).
pub const HEADER: &str = "x-csrf-token";
/// The cookie holding the sign-in form's nonce.
pub const SIGN_IN_COOKIE: &str = "zx_sign_in";
/// The refusal's code.
pub const CODE: &str = "csrf_rejected";

/// A form token, rendered as the hidden input every form that posts begins with.
#[derive(Debug, Clone)]
pub struct FormToken(String);

impl FormToken {
    /// The token of the session whose token hash is `token_hash`.
    pub fn of_session(app: &App, token_hash: &str) -> FormToken {
        FormToken(app.cipher.form_token(&session_binding(token_hash)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `hx-headers` value that makes htmx send the token with each request.
    pub fn htmx_headers(&self) -> String {
        serde_json::json!({ "X-CSRF-Token": self.0 }).to_string()
    }
}

impl Render for FormToken {
    fn render(&self) -> Markup {
        html! { input type="hidden" name=(FIELD) value=(self.0); }
    }
}

fn session_binding(token_hash: &str) -> String {
    format!("session\0{token_hash}")
}

fn sign_in_binding(nonce: &str) -> String {
    format!("sign-in\0{nonce}")
}

/// Marks a request whose token the page guard has checked, so that `Ctx` does not ask again.
#[derive(Debug, Clone, Copy)]
pub struct Checked;

/// Whether a request of this method may change something.
pub fn changes_state(m: &Method) -> bool {
    !matches!(
        *m,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Why a request was refused: for the log only, the answer is the same.
#[derive(Debug, Clone, Copy)]
enum Why {
    CrossSite,
    ForeignOrigin,
    NoToken,
    WrongToken,
}

/// The Fetch Metadata and `Origin` check.
fn same_origin(config: &Config, parts: &Parts) -> Result<(), Why> {
    if let Some(site) = parts.headers.get("sec-fetch-site")
        && matches!(site.as_bytes(), b"cross-site" | b"same-site")
    {
        return Err(Why::CrossSite);
    }
    match parts.headers.get(header::ORIGIN) {
        None => Ok(()),
        Some(origin) => match origin.to_str() {
            Ok(o) if is_own_origin(config, parts, o) => Ok(()),
            _ => Err(Why::ForeignOrigin),
        },
    }
}

fn is_own_origin(config: &Config, parts: &Parts, origin: &str) -> bool {
    if let Some(own) = &config.public_origin {
        return origin.eq_ignore_ascii_case(own.trim_end_matches('/'));
    }
    // No configured origin: the host the browser addressed (HTTP/2 carries it in the URI).
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| parts.uri.authority().map(|a| a.as_str()));
    let Some(host) = host else {
        return false;
    };
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    // Behind TLS (Secure cookies) a page served over plain HTTP is not the platform's.
    let scheme_ok = scheme.eq_ignore_ascii_case("https")
        || (!config.secure_cookies && scheme.eq_ignore_ascii_case("http"));
    scheme_ok && authority.eq_ignore_ascii_case(host)
}

/// The sign-in form's nonce and token. The extractor reuses the browser's nonce, so that
/// two open sign-in tabs both work, or makes one, which the form's answer must set as a
/// cookie ([`SignInForm::set_cookie`]).
pub struct SignInForm {
    nonce: String,
    fresh: bool,
    pub token: FormToken,
}

fn valid_nonce(n: &str) -> bool {
    n.len() == 64 && n.bytes().all(|b| b.is_ascii_hexdigit())
}

impl FromRequestParts<App> for SignInForm {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let (nonce, fresh) = match cookie(parts, SIGN_IN_COOKIE).filter(|n| valid_nonce(n)) {
            Some(n) => (n, false),
            None => (zhixing_app::identity::password::new_token(), true),
        };
        let token = FormToken(app.cipher.form_token(&sign_in_binding(&nonce)));
        Ok(SignInForm {
            nonce,
            fresh,
            token,
        })
    }
}

impl SignInForm {
    /// The `Set-Cookie` for a nonce the browser does not have yet. Only the sign-in route
    /// sees it; it lasts as long as the browser runs.
    pub fn set_cookie(&self, app: &App) -> Option<HeaderValue> {
        if !self.fresh {
            return None;
        }
        let secure = if app.config.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        HeaderValue::from_str(&format!(
            "{SIGN_IN_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/login{secure}",
            self.nonce
        ))
        .ok()
    }
}

/// The cookie holding the nonce of the public forms that act for someone without a session
/// (the auction room's registration and bids).
pub const PUBLIC_FORM_COOKIE: &str = "zx_public_form";

fn public_binding(nonce: &str) -> String {
    format!("public\0{nonce}")
}

/// The token of a public form: the sign-in form's scheme (a signed double-submit cookie)
/// under its own cookie and binding. The auction room keeps a bidder's token in a cookie,
/// which the browser sends by itself: a bid posted from elsewhere has no matching pair, and
/// the origin check of [`guard_public`] refuses it first.
pub struct PublicForm {
    nonce: String,
    fresh: bool,
    pub token: FormToken,
}

impl FromRequestParts<App> for PublicForm {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let (nonce, fresh) = match cookie(parts, PUBLIC_FORM_COOKIE).filter(|n| valid_nonce(n)) {
            Some(n) => (n, false),
            None => (zhixing_app::identity::password::new_token(), true),
        };
        let token = FormToken(app.cipher.form_token(&public_binding(&nonce)));
        Ok(PublicForm {
            nonce,
            fresh,
            token,
        })
    }
}

impl PublicForm {
    /// Whether `given` (the form's `csrf_token`, or `X-CSRF-Token`) is this browser's token:
    /// never for a nonce the browser did not send.
    pub fn matches(&self, app: &App, given: &str) -> bool {
        !self.fresh
            && app
                .cipher
                .form_token_matches(&public_binding(&self.nonce), given)
    }

    /// The `Set-Cookie` for a nonce the browser does not have yet, for the public pages only.
    pub fn set_cookie(&self, app: &App) -> Option<HeaderValue> {
        if !self.fresh {
            return None;
        }
        let secure = if app.config.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        HeaderValue::from_str(&format!(
            "{PUBLIC_FORM_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/public{secure}",
            self.nonce
        ))
        .ok()
    }
}

/// What the token of a request must be bound to, if anything.
enum Binding {
    /// A bearer token: no browser sends one by itself, nothing to check.
    Bearer,
    /// No credential: the handler refuses or signs in; nothing can be done as anyone.
    Nobody,
    Bound(String),
    /// A sign-in without its nonce cookie.
    Missing,
}

fn binding(parts: &Parts) -> Binding {
    if parts.uri.path() == "/login" {
        return match cookie(parts, SIGN_IN_COOKIE).filter(|n| valid_nonce(n)) {
            Some(n) => Binding::Bound(sign_in_binding(&n)),
            None => Binding::Missing,
        };
    }
    if parts.headers.contains_key(header::AUTHORIZATION) {
        return Binding::Bearer;
    }
    match cookie(parts, SESSION_COOKIE) {
        Some(t) => Binding::Bound(session_binding(
            &zhixing_app::identity::password::token_hash(&t),
        )),
        None => Binding::Nobody,
    }
}

/// The guard of the page routes (a route layer on `pages::router()`).
pub async fn guard(State(app): State<App>, req: Request, next: Next) -> Response {
    if !changes_state(req.method()) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    if let Err(why) = same_origin(&app.config, &parts) {
        return refused_page(&parts, why);
    }
    let bound = match binding(&parts) {
        Binding::Bearer | Binding::Nobody => {
            return next.run(Request::from_parts(parts, body)).await;
        }
        Binding::Missing => return refused_page(&parts, Why::NoToken),
        Binding::Bound(b) => b,
    };
    let (given, body) = match token_of(&app, &mut parts, body).await {
        Ok(found) => found,
        Err(resp) => return resp,
    };
    match given {
        None => refused_page(&parts, Why::NoToken),
        Some(t) if !app.cipher.form_token_matches(&bound, &t) => {
            refused_page(&parts, Why::WrongToken)
        }
        Some(_) => {
            parts.extensions.insert(Checked);
            next.run(Request::from_parts(parts, body)).await
        }
    }
}

/// The public pages take no session and set none: only where a post comes from is checked
/// (a form token would protect nothing another site could not do from its own machine).
/// Where a public page keeps a credential of its own in a cookie — the auction room's bidder
/// token — its forms carry a [`PublicForm`] token too, which their handlers check.
pub async fn guard_public(State(app): State<App>, req: Request, next: Next) -> Response {
    if changes_state(req.method()) {
        let (parts, body) = req.into_parts();
        if let Err(why) = same_origin(&app.config, &parts) {
            return refused_page(&parts, why);
        }
        return next.run(Request::from_parts(parts, body)).await;
    }
    next.run(req).await
}

/// The token a request carries, and its body as the handler should read it.
async fn token_of(
    app: &App,
    parts: &mut Parts,
    body: Body,
) -> Result<(Option<String>, Body), Response> {
    if let Some(h) = parts.headers.get(HEADER) {
        return Ok((h.to_str().ok().map(str::to_owned), body));
    }
    // Not lowercased: a multipart boundary is case-sensitive.
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let is = |media: &str| {
        content_type
            .get(..media.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(media))
    };
    if is("application/x-www-form-urlencoded") {
        let bytes = axum::body::to_bytes(body, app.config.body_limit)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    "the request body exceeds the size limit",
                )
                .into_response()
            })?;
        let (token, rest) = take_field(&bytes);
        // The body is shorter now.
        parts
            .headers
            .insert(header::CONTENT_LENGTH, rest.len().into());
        return Ok((token, Body::from(rest)));
    }
    if is("multipart/form-data") {
        return Ok(first_part(&content_type, body).await);
    }
    Ok((None, body))
}

/// The token of a url-encoded body, and the body without it. One token exactly: two are
/// refused rather than guessed between.
fn take_field(body: &[u8]) -> (Option<String>, Vec<u8>) {
    let mut tokens = Vec::new();
    let mut rest = Vec::with_capacity(body.len());
    for pair in body.split(|b| *b == b'&') {
        let is_token = form_urlencoded::parse(pair).next().is_some_and(|(k, v)| {
            let hit = k == FIELD;
            if hit {
                tokens.push(v.into_owned());
            }
            hit
        });
        if is_token {
            continue;
        }
        if !rest.is_empty() {
            rest.push(b'&');
        }
        rest.extend_from_slice(pair);
    }
    let token = if tokens.len() == 1 {
        tokens.pop()
    } else {
        None
    };
    (token, rest)
}

/// The token in the first part of a multipart body, read from the stream; the bytes read
/// are put back in front of the rest, so the handler reads the body whole.
async fn first_part(content_type: &str, body: Body) -> (Option<String>, Body) {
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return (None, body);
    };
    let mut stream = body.into_data_stream();
    let mut read: Vec<Bytes> = Vec::new();
    let token = {
        let tee = futures_util::stream::poll_fn(|cx| match stream.poll_next_unpin(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                read.push(chunk.clone());
                Poll::Ready(Some(Ok(chunk)))
            }
            other => other,
        });
        // A token is 64 characters: a first part any longer is not one.
        let limits =
            multer::Constraints::new().size_limit(multer::SizeLimit::new().per_field(1024));
        let mut form = multer::Multipart::with_constraints(tee, boundary, limits);
        match form.next_field().await {
            Ok(Some(f)) if f.name() == Some(FIELD) => f.text().await.ok(),
            _ => None,
        }
    };
    let replay = futures_util::stream::iter(read.into_iter().map(Ok::<_, axum::Error>));
    (token, Body::from_stream(replay.chain(stream)))
}

/// A cookie-authenticated request outside the pages (the JSON API) that changes state: the
/// same origin check, and the token in `X-CSRF-Token`.
pub fn cookie_request(app: &App, parts: &Parts, token_hash: &str) -> Result<(), ApiError> {
    if parts.extensions.get::<Checked>().is_some() {
        return Ok(());
    }
    let verdict = same_origin(&app.config, parts).and_then(|()| {
        match parts.headers.get(HEADER).and_then(|h| h.to_str().ok()) {
            None => Err(Why::NoToken),
            Some(t)
                if app
                    .cipher
                    .form_token_matches(&session_binding(token_hash), t) =>
            {
                Ok(())
            }
            Some(_) => Err(Why::WrongToken),
        }
    });
    verdict.map_err(|why| {
        log(parts, why);
        ApiError::from(refusal())
    })
}

fn refusal() -> AppError {
    AppError::forbidden_as(
        CODE,
        "refused: the request did not come from the platform's own page or lacks its form token",
    )
}

fn log(parts: &Parts, why: Why) {
    tracing::warn!(
        method = %parts.method,
        path = %parts.uri.path(),
        ?why,
        "cross-site request refused"
    );
}

/// The refusal as a page, in the viewer's language: nothing was done.
fn refused_page(parts: &Parts, why: Why) -> Response {
    log(parts, why);
    let lang = Lang::from_parts(parts);
    let words = crate::messages::error(lang, &refusal()).detail;
    let back = if parts.uri.path() == "/login" {
        "/login"
    } else {
        "/home"
    };
    let body = html! {
        section.card #csrf-rejected {
            h1 { (lang.t("not_done")) }
            p role="alert" { (words) }
            p.small { "code: " code { (CODE) } }
            p { a href=(back) { (lang.t("back")) } }
        }
    };
    let title = lang.t("not_done");
    crate::pages::page(
        StatusCode::FORBIDDEN,
        crate::pages::layout(lang, title, None, body),
    )
}

/// The headers of a request, for tests of the checks.
#[cfg(test)]
fn parts_of(headers: &[(&str, &str)]) -> Parts {
    let mut req = Request::builder().method(Method::POST).uri("/cases/1/act");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let (parts, ()) = req.body(()).unwrap_or_default().into_parts();
    parts
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn verdict(config: &Config, headers: &[(&str, &str)]) -> bool {
        same_origin(config, &parts_of(headers)).is_ok()
    }

    #[test]
    fn the_own_origin_passes_and_every_other_is_refused() {
        let c = Config::default();
        let host = ("host", "zx.example.cn:8080");
        assert!(verdict(&c, &[host]), "no Origin, no Fetch Metadata");
        assert!(verdict(
            &c,
            &[host, ("origin", "http://zx.example.cn:8080")]
        ));
        assert!(verdict(
            &c,
            &[host, ("origin", "HTTPS://ZX.example.cn:8080")]
        ));
        assert!(verdict(&c, &[host, ("sec-fetch-site", "same-origin")]));
        assert!(verdict(&c, &[host, ("sec-fetch-site", "none")]));
        for refused in [
            vec![host, ("origin", "http://evil.example")],
            vec![host, ("origin", "http://zx.example.cn")],
            vec![host, ("origin", "http://other.example.cn:8080")],
            vec![host, ("origin", "null")],
            vec![host, ("sec-fetch-site", "cross-site")],
            vec![host, ("sec-fetch-site", "same-site")],
            vec![
                host,
                ("sec-fetch-site", "same-site"),
                ("origin", "http://zx.example.cn:8080"),
            ],
            vec![("origin", "http://zx.example.cn:8080")],
        ] {
            assert!(!verdict(&c, &refused), "{refused:?}");
        }
        let tls = Config {
            secure_cookies: true,
            ..Config::default()
        };
        assert!(verdict(
            &tls,
            &[host, ("origin", "https://zx.example.cn:8080")]
        ));
        assert!(
            !verdict(&tls, &[host, ("origin", "http://zx.example.cn:8080")]),
            "plain HTTP is not the platform behind TLS"
        );
        let configured = Config {
            public_origin: Some("https://zx.court.example/".into()),
            ..Config::default()
        };
        let inner = ("host", "10.0.0.5:8080");
        assert!(verdict(
            &configured,
            &[inner, ("origin", "https://zx.court.example")]
        ));
        assert!(!verdict(
            &configured,
            &[inner, ("origin", "http://10.0.0.5:8080")]
        ));
    }

    #[test]
    fn the_token_is_taken_out_of_a_form_and_only_one_counts() {
        let (t, rest) = take_field(b"action=notice&csrf_token=ab12&note=%E8%AF%B4");
        assert_eq!(t.as_deref(), Some("ab12"));
        assert_eq!(rest, b"action=notice&note=%E8%AF%B4");
        let (t, rest) = take_field(b"csrf_token=ab12");
        assert_eq!(t.as_deref(), Some("ab12"));
        assert!(rest.is_empty());
        let (t, _) = take_field(b"csrf_token=ab12&csrf_token=cd34");
        assert_eq!(t, None, "two tokens");
        let (t, rest) = take_field(b"a=1&b=2");
        assert_eq!((t, rest.as_slice()), (None, b"a=1&b=2".as_slice()));
    }

    #[tokio::test]
    async fn the_first_part_of_a_multipart_body_is_read_and_put_back() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nab12\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"findings\"\r\n\r\n现场\r\n--XyZ--\r\n";
        let (t, back) = first_part("multipart/form-data; boundary=XyZ", Body::from(body)).await;
        assert_eq!(t.as_deref(), Some("ab12"));
        let whole = axum::body::to_bytes(back, usize::MAX).await.unwrap();
        assert_eq!(whole, body.as_bytes(), "the handler reads the body whole");
        let other =
            "--XyZ\r\nContent-Disposition: form-data; name=\"findings\"\r\n\r\nx\r\n--XyZ--\r\n";
        let (t, _) = first_part("multipart/form-data; boundary=XyZ", Body::from(other)).await;
        assert_eq!(t, None, "the token must come first");
    }
}
