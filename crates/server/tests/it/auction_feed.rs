//! The live feed under concurrent bids, over real HTTP: every listener receives every
//! accepted bid once and in the log's order — whether it listened from the start, joined
//! late (from the log's start), or reconnected with Last-Event-ID — and a bid another
//! process took reaches this process's listeners too.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use zhixing_testkit::TestApp;

use crate::auction::{advance_to, announce, bid, bidder, ok, plan, priced_house};

/// One listener of the feed and the bids it received: (event id, the bid's number).
struct Listener {
    resp: reqwest::Response,
    buf: String,
    got: Vec<(i64, u64)>,
}

impl Listener {
    async fn open(t: &TestApp, id: i64, last_event_id: Option<i64>) -> Listener {
        let mut req = t
            .client
            .get(t.url(&format!("/public/v1/auctions/{id}/events")));
        if let Some(last) = last_event_id {
            req = req.header("last-event-id", last.to_string());
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        Listener {
            resp,
            buf: String::new(),
            got: Vec::new(),
        }
    }

    /// Reads until `n` bids have come, and then what else is already there.
    async fn until(&mut self, n: usize) -> &[(i64, u64)] {
        // A guard against hanging only: the feed sends a comment line every few seconds
        // when quiet, so this counts reads, not seconds.
        let mut reads = 0;
        while self.got.len() < n {
            reads += 1;
            assert!(reads < 10_000, "still {} of {n} bids", self.got.len());
            let chunk = tokio::time::timeout(Duration::from_secs(30), self.resp.chunk())
                .await
                .expect("the feed went silent")
                .unwrap()
                .expect("the feed ended");
            self.buf.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let field = |name: &str| {
                    block
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .map(str::trim)
                };
                if field("event:") == Some("bid") {
                    let id: i64 = field("id:").unwrap().parse().unwrap();
                    let data: Value = serde_json::from_str(field("data:").unwrap()).unwrap();
                    self.got.push((id, data["seq"].as_u64().unwrap()));
                }
            }
        }
        &self.got
    }
}

/// The bid numbers of the log, in order.
async fn log(t: &TestApp, id: i64) -> Vec<u64> {
    t.get_value(&format!("/public/v1/auctions/{id}"), None)
        .await["bids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["seq"].as_u64().unwrap())
        .collect()
}

/// `n` bids sent at once by the bidders in turn, each above every one sent before it (a bid
/// that arrives after a higher one is refused); how many were accepted.
async fn burst(t: &TestApp, id: i64, tokens: &[String], from: i64, n: i64, inc: i64) -> usize {
    let mut tasks = Vec::new();
    for k in 0..n {
        let (client, url, token) = (
            t.client.clone(),
            t.url(&format!("/api/v1/auctions/{id}/bids")),
            tokens[k as usize % tokens.len()].clone(),
        );
        tasks.push(tokio::spawn(async move {
            let amount = from + inc * k;
            let r = client
                .post(url)
                .bearer_auth(token)
                .header("idempotency-key", format!("burst-{amount}"))
                .json(&serde_json::json!({"amount_fen": amount}))
                .send()
                .await
                .unwrap();
            let status = r.status();
            assert!(
                status == StatusCode::CREATED || status == StatusCode::UNPROCESSABLE_ENTITY,
                "{status}: {}",
                r.text().await.unwrap()
            );
            status == StatusCode::CREATED
        }));
    }
    let mut accepted = 0;
    for task in tasks {
        accepted += usize::from(task.await.unwrap());
    }
    accepted
}

fn numbers(got: &[(i64, u64)]) -> Vec<u64> {
    got.iter().map(|(_, n)| *n).collect()
}

fn ids_rise(got: &[(i64, u64)]) -> bool {
    got.windows(2).all(|w| w[0].0 < w[1].0)
}

#[tokio::test]
async fn every_listener_receives_every_accepted_bid_once_and_in_order() {
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id = a["id"].as_i64().unwrap();
    let start = a["start_price_fen"].as_i64().unwrap();
    let inc = a["increment_fen"].as_i64().unwrap();
    let mut tokens = Vec::new();
    for n in 0..12 {
        tokens.push(bidder(&f, id, 300 + n).await.1);
    }
    advance_to(t, a["starts_at"].as_str().unwrap());

    let mut early = Vec::new();
    for _ in 0..4 {
        early.push(Listener::open(t, id, None).await);
    }
    let first = burst(t, id, &tokens, start, 40, inc).await;
    assert!(first > 0);
    let after_first = log(t, id).await;
    assert_eq!(
        after_first.len(),
        first,
        "each accepted bid is in the log once"
    );

    // One joins now from the log's start; one reconnects after the third bid it received.
    let mut late = Listener::open(t, id, None).await;
    let cut = first.min(3);
    let resume_at = early[0].until(first).await[cut - 1].0;
    let mut resumed = Listener::open(t, id, Some(resume_at)).await;
    let second = burst(t, id, &tokens, start + inc * 40, 30, inc).await;
    let all = log(t, id).await;
    assert_eq!(all.len(), first + second);

    for l in early.iter_mut().chain([&mut late]) {
        let got = l.until(all.len()).await;
        assert_eq!(numbers(got), all, "every bid once, in order");
        assert!(ids_rise(got), "{got:?}");
    }
    let got = resumed.until(all.len() - cut).await;
    assert_eq!(
        numbers(got),
        all[cut..],
        "after the last event id, nothing again"
    );
    assert!(ids_rise(got), "{got:?}");

    // Another process on the same database takes a bid: this process's listeners are told
    // of it by the stored log, and then of this process's next bid, in order.
    let other = zhixing_server::App::new(
        t.app.store.clone(),
        // The same data key: the bidders' tokens are stored hashed with it.
        zhixing_server::Config {
            cipher: Some(t.app.cipher.clone()),
            ..t.app.config.clone()
        },
        t.clock.clone(),
        zhixing_server::courier(),
    )
    .unwrap();
    let top = t
        .get_value(&format!("/public/v1/auctions/{id}"), None)
        .await["current_price_fen"]
        .as_i64()
        .unwrap();
    use zhixing_app::disposal::auction::{AuctionCommand, Caller, execute};
    execute(
        &other,
        Caller::Bidder { token: &tokens[0] },
        AuctionCommand::Bid {
            auction_id: id,
            key: Some("elsewhere".into()),
            amount_fen: top + inc,
        },
    )
    .await
    .unwrap();
    let all = log(t, id).await;
    assert_eq!(all.len(), first + second + 1);
    for l in early.iter_mut().chain([&mut late]) {
        let got = l.until(all.len()).await;
        assert_eq!(numbers(got), all, "the other process's bid, once, in order");
    }
    // And this process's next bid, written after the other's.
    ok(
        bid(t, id, &tokens[1], "here-again", top + 2 * inc).await,
        StatusCode::CREATED,
    )
    .await;
    let all = log(t, id).await;
    assert_eq!(all.len(), first + second + 2);
    for l in early.iter_mut().chain([&mut late]) {
        let got = l.until(all.len()).await;
        assert!(ids_rise(got), "{got:?}");
    }
    let got = resumed.until(all.len() - cut).await;
    assert!(ids_rise(got), "{got:?}");
    for l in early.iter().chain([&late]) {
        assert_eq!(numbers(&l.got), all, "every bid once, in order");
    }
    assert_eq!(numbers(&resumed.got), all[cut..]);
}
