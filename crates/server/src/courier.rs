//! The outbox's messages to institutions, carried over HTTP: the application's [`Courier`]
//! with the edge's HTTP client.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use zhixing_app::runtime::Courier;

/// Posts JSON with `reqwest`, 15 seconds at most per message.
pub struct HttpCourier(reqwest::Client);

impl Courier for HttpCourier {
    fn post_json<'a>(
        &'a self,
        url: &'a str,
        body: String,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async move {
            let r = self
                .0
                .post(url)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .map_err(|e| format!("delivery failed: {}", e.without_url()))?;
            if r.status().is_success() {
                Ok(())
            } else {
                Err(format!("institution answered {}", r.status()))
            }
        })
    }
}

/// The courier a server uses.
pub fn courier() -> Arc<dyn Courier> {
    // A client without a timeout only fails to build if the TLS backend cannot start; then
    // every send fails with the reason, and the outbox retries, rather than the process.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "HTTP client with a timeout; using the default client");
            reqwest::Client::new()
        });
    Arc::new(HttpCourier(client))
}
