//! The institution simulator beside a test server, over real HTTP.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_exchange::sim::SimConfig;

use super::TestApp;

pub struct Sim {
    pub base: String,
    _task: tokio::task::JoinHandle<()>,
}

pub async fn sim(t: &TestApp, institutions: usize, error_rate: f64) -> Sim {
    sim_with_latency(t, institutions, error_rate, Duration::from_millis(5)).await
}

/// [`sim`] answering each request after `latency`: long enough, a test can see a request
/// still open however loaded the machine is.
pub async fn sim_with_latency(
    t: &TestApp,
    institutions: usize,
    error_rate: f64,
    latency: Duration,
) -> Sim {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let cfg = SimConfig {
        seed: 11,
        institutions,
        latency,
        error_rate,
        platform_public_key: Some(t.app.platform_key.public_base64()),
        reply_to: Some(t.base.clone()),
        base_url: base.clone(),
        // In training mode the institutions keep the platform's simulated calendar.
        today: t.app.simulated_now().map(|_| {
            let app = t.app.clone();
            zhixing_exchange::sim::SimToday(std::sync::Arc::new(move || app.today()))
        }),
    };
    let router = zhixing_exchange::sim::router(cfg);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Sim { base, _task: task }
}

pub async fn register_all(t: &TestApp, sim: &Sim, admin: &str) {
    let list: Value = t
        .client
        .get(format!("{}/institutions", sim.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for i in list.as_array().unwrap() {
        let body = json!({"id": i["id"], "name": i["name"], "kind": i["kind"], "measures": i["measures"], "channel": "national",
                          "endpoint": i["endpoint"], "public_key": i["public_key"], "concurrency": i["concurrency"]});
        let r = t
            .post_json("/api/v1/institutions", Some(admin), &body)
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
}

pub async fn wait_until_answered(
    t: &TestApp,
    token: &str,
    case: i64,
    inv: i64,
    limit: Duration,
) -> Value {
    let start = Instant::now();
    loop {
        let v: Value = t
            .get(
                &format!("/api/v1/cases/{case}/investigations/{inv}"),
                Some(token),
            )
            .await
            .json()
            .await
            .unwrap();
        if v["pending"] == 0 {
            return v;
        }
        assert!(
            start.elapsed() < limit,
            "still pending after {limit:?}: {v}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The simulator's counters.
pub async fn stats(t: &TestApp, s: &Sim) -> Value {
    t.client
        .get(format!("{}/stats", s.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
