//! Zhixing's edge: the JSON API under `/api/v1` and the server-rendered pages, two doors to
//! the application's commands (`zhixing-app`), with what only HTTP needs — sessions and
//! cookies, problem+json, the message catalogue, rate limits, metrics, the router.

pub mod api;
pub mod courier;
pub mod csrf;
pub mod error;
pub mod export;
pub mod forms;
pub mod headers;
pub mod messages;
pub mod metrics;
pub mod multipart;
pub mod openapi;
pub mod pages;
pub mod ratelimit;

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use courier::courier;
pub use error::ApiError;
pub use zhixing_app::{App, Clock, Config, ManualClock, SimulatedClock, SystemClock};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub use zhixing_app::prepare;

/// The whole application.
pub fn router(app: App) -> Router {
    metrics::install();
    let timeout = app.config.request_timeout;
    let body_limit = app.config.body_limit;
    // Everything a caller reaches without a session goes through one rate limit per client.
    let limiter = ratelimit::PublicLimiter::new(&app.config);
    let public = Router::new()
        .nest("/public/v1", api::public_router())
        .merge(
            pages::public_router().route_layer(axum::middleware::from_fn_with_state(
                app.clone(),
                csrf::guard_public,
            )),
        )
        .layer(axum::middleware::from_fn_with_state(
            limiter,
            ratelimit::limit,
        ));
    Router::new()
        .nest("/api/v1", api::router())
        .merge(pages::router().route_layer(axum::middleware::from_fn_with_state(
            app.clone(),
            csrf::guard,
        )))
        .merge(public)
        .route("/exchange/v1/replies", axum::routing::post(api::investigation::reply))
        .route("/healthz", get(api::health::healthz))
        .route("/readyz", get(api::health::readyz))
        .route("/metrics", get(api::health::metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(body_limit, forms::checked))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            pages::training_mode,
        ))
        .layer(axum::middleware::from_fn(pages::i18n::scoped))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(DefaultBodyLimit::max(body_limit))
        // The general request timeout, and a longer one for recording uploads.
        .layer(axum::middleware::from_fn_with_state(
            (timeout, app.config.recording_upload_timeout),
            api::recordings::timeout,
        ))
        .layer(CatchPanicLayer::custom(panicked))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            // The path only: query strings may carry names or ID numbers.
            let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(axum::middleware::from_fn_with_state(
            app.config.secure_cookies,
            headers::secure,
        ))
        .with_state(app)
}

/// A handler that panicked: logged with what it said, answered as an internal error.
fn panicked(payload: Box<dyn std::any::Any + Send>) -> axum::response::Response {
    let said = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    ApiError::from(zhixing_app::AppError::internal(format_args!(
        "a handler panicked: {said}"
    )))
    .into_response()
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found("route_not_found", format!("no route {}", uri.path()))
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not accept that method",
    )
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The outbox worker lives as long as the server, also when the server's task is dropped.
    let _worker = AbortOnDrop(tokio::spawn(
        zhixing_app::control::investigation::dispatch_forever(app.clone()),
    ));
    let _notices = AbortOnDrop(tokio::spawn(
        zhixing_app::case::service::send_notices_forever(app.clone()),
    ));
    // PostgreSQL: other processes' revocations reach this one's session cache.
    let _revocations = AbortOnDrop(tokio::spawn(
        zhixing_app::identity::session_cache::listen_forever(app.clone()),
    ));
    let _watch = app.config.watch_worker.then(|| {
        AbortOnDrop(tokio::spawn(
            zhixing_app::command_centre::watch::watch_forever(app.clone()),
        ))
    });
    // The connection's address is the rate limit's key on the public routes.
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down; finishing requests in flight");
    tokio::time::sleep(Duration::from_millis(10)).await;
}
