//! Online judicial auctions over HTTP: the statutory plan, real-name bidders and deposits,
//! bidding by the server's (injected) clock with the 5-minute rule and idempotency keys, the
//! close by the worker, the buyer's balance into the case account, 500 bidders at once, a
//! restart during bidding, and the live feed with Last-Event-ID.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem};

const COURT: &str = "b110105";
const DEBTOR: &str = "110101198001010010";
/// The agreed reference price of the house: 1,000,000.00 yuan.
const REFERENCE: i64 = 100_000_000;

/// A valid resident ID number for bidder `n` (a real check digit).
pub(crate) fn person_id(n: u32) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let body = format!(
        "110102{}{:02}{:02}{:03}",
        1970 + n % 30,
        1 + n % 12,
        1 + n % 28,
        n % 1000
    );
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{body}{}", C[(sum % 11) as usize])
}

pub(crate) async fn ok(r: reqwest::Response, status: StatusCode) -> Value {
    let got = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap()
}

pub(crate) struct Fixture {
    pub(crate) t: TestApp,
    pub(crate) officer: String,
    pub(crate) case_id: i64,
    pub(crate) asset_id: i64,
}

/// A case against DEBTOR with a seized house whose reference price the parties agreed.
pub(crate) async fn priced_house() -> Fixture {
    let t = TestApp::spawn_with(zhixing_server::Config {
        sweep_interval: Duration::from_secs(3600),
        // 500 bidders register from this one test client; the limit is tested in public.rs.
        public_rate_per_minute: 1_000_000,
        public_burst: 1_000_000,
        ..zhixing_testkit::test_config()
    })
    .await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": DEBTOR}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初31号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 150_000_000}
            }),
        )
        .await;
    let case_id = ok(r, StatusCode::CREATED).await["id"].as_i64().unwrap();
    let asset_id = t
        .seized_asset(
            case_id,
            COURT,
            "real_estate",
            "京(2020)朝阳区不动产权第0001号",
            "朝阳区某小区1号楼101室",
            120_000_000,
        )
        .await;
    agree_price(&t, &officer, asset_id).await;
    Fixture {
        t,
        officer,
        case_id,
        asset_id,
    }
}

/// 议价: the parties agree the reference price.
async fn agree_price(t: &TestApp, officer: &str, asset_id: i64) {
    let v = ok(
        t.post_json(
            &format!("/api/v1/assets/{asset_id}/valuation"),
            Some(officer),
            &json!({}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let vid = v["id"].as_i64().unwrap();
    ok(
        t.post_json(
            &format!("/api/v1/valuations/{vid}/agreement"),
            Some(officer),
            &json!({"price_fen": REFERENCE}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
}

fn at(t: &TestApp, days: i64, hours: i64) -> String {
    t.app
        .now()
        .checked_add(jiff::SignedDuration::from_hours(days * 24 + hours))
        .unwrap()
        .to_string()
}

pub(crate) fn plan(t: &TestApp) -> Value {
    json!({"title": "朝阳区某小区1号楼101室", "start_price_fen": REFERENCE * 7 / 10,
           "increment_fen": 1_000_000, "deposit_fen": REFERENCE * 7 / 100,
           "starts_at": at(t, 31, 0), "ends_at": at(t, 32, 0), "balance_days": 10})
}

pub(crate) async fn announce(f: &Fixture, body: &Value) -> reqwest::Response {
    f.t.post_json(
        &format!("/api/v1/assets/{}/auctions", f.asset_id),
        Some(&f.officer),
        body,
    )
    .await
}

async fn register(t: &TestApp, id: i64, name: &str, idn: &str) -> reqwest::Response {
    t.post_json(
        &format!("/public/v1/auctions/{id}/bidders"),
        None,
        &json!({"real_name": name, "id_number": idn}),
    )
    .await
}

/// A registration's outcome, as the holder of its token reads it.
pub(crate) async fn registration(t: &TestApp, id: i64, token: &str) -> Value {
    ok(
        t.get(
            &format!("/public/v1/auctions/{id}/registration"),
            Some(token),
        )
        .await,
        StatusCode::OK,
    )
    .await
}

/// Registers and returns the answer and the outcome its token reads.
async fn register_and_read(t: &TestApp, id: i64, name: &str, idn: &str) -> (Value, Value) {
    let c = ok(register(t, id, name, idn).await, StatusCode::CREATED).await;
    let outcome = registration(t, id, c["token"].as_str().unwrap()).await;
    (c, outcome)
}

/// Registers a bidder and pays the deposit: (paddle, token).
pub(crate) async fn bidder(f: &Fixture, id: i64, n: u32) -> (u32, String) {
    let c = ok(
        register(&f.t, id, &format!("竞买人{n}"), &person_id(n)).await,
        StatusCode::CREATED,
    )
    .await;
    let outcome = registration(&f.t, id, c["token"].as_str().unwrap()).await;
    assert_eq!(outcome["status"], "registered", "{outcome}");
    let paddle = u32::try_from(outcome["paddle"].as_u64().unwrap()).unwrap();
    ok(
        f.t.post_json(
            &format!("/api/v1/auctions/{id}/deposits"),
            Some(&f.officer),
            &json!({"paddle": paddle, "amount_fen": c["deposit_fen"], "reference": format!("BANK-{n}")}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    (paddle, c["token"].as_str().unwrap().to_owned())
}

pub(crate) async fn bid(
    t: &TestApp,
    id: i64,
    token: &str,
    key: &str,
    amount: i64,
) -> reqwest::Response {
    t.client
        .post(t.url(&format!("/api/v1/auctions/{id}/bids")))
        .bearer_auth(token)
        .header("idempotency-key", key)
        .json(&json!({"amount_fen": amount}))
        .send()
        .await
        .unwrap()
}

pub(crate) fn advance_to(t: &TestApp, rfc3339: &str) {
    t.clock.set(rfc3339.parse().unwrap());
}

#[tokio::test]
async fn the_plan_follows_the_rule_book_and_one_sale_runs_at_a_time() {
    let f = priced_house().await;
    let t = &f.t;
    let mut low = plan(t);
    low["start_price_fen"] = json!(REFERENCE * 69 / 100);
    assert_problem(
        announce(&f, &low).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "start_price_too_low",
    )
    .await;
    let mut deposit = plan(t);
    deposit["deposit_fen"] = json!(REFERENCE * 7 / 10 / 4);
    let p = assert_problem(
        announce(&f, &deposit).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "deposit_out_of_range",
    )
    .await;
    // The refusal carries the rule's figures and citation, and says them.
    assert_eq!(
        (&p["params"]["min_percent"], &p["params"]["max_percent"]),
        (&json!(5), &json!(20)),
        "{p}"
    );
    assert_eq!(p["params"]["rule"], "auction.deposit.max");
    let citation = p["params"]["citation"].as_str().unwrap();
    assert!(citation.contains("第十七条"), "{p}");
    assert!(
        p["detail"].as_str().unwrap().contains(citation),
        "the detail names the citation: {p}"
    );
    let mut short = plan(t);
    short["starts_at"] = json!(at(t, 20, 0));
    short["ends_at"] = json!(at(t, 21, 0));
    let p = assert_problem(
        announce(&f, &short).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "announcement_too_short",
    )
    .await;
    assert_eq!(p["params"]["days"], 30, "real estate: {p}");
    assert_eq!(p["params"]["rule"], "auction.announcement.immovable");
    let mut brief = plan(t);
    brief["ends_at"] = json!(at(t, 31, 12));
    let p = assert_problem(
        announce(&f, &brief).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bidding_too_short",
    )
    .await;
    assert_eq!(
        (&p["params"]["value"], &p["params"]["unit"]),
        (&json!(24), &json!("hours")),
        "{p}"
    );
    assert!(p["detail"].as_str().unwrap().contains("24 hours"), "{p}");
    // Several problems at once: each reason with its own code and parameters.
    let mut both = plan(t);
    both["deposit_fen"] = json!(REFERENCE * 7 / 10 / 4);
    both["ends_at"] = json!(at(t, 31, 12));
    let p = assert_problem(
        announce(&f, &both).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "deposit_out_of_range",
    )
    .await;
    assert_eq!(p["reasons"][1]["code"], "bidding_too_short", "{p}");
    assert_eq!(p["reasons"][1]["params"]["value"], 24);
    assert_eq!(p["errors"].as_array().unwrap().len(), 2);
    assert_eq!(
        t.raw_text("SELECT CAST(COUNT(*) AS TEXT) FROM auctions")
            .await,
        "0"
    );

    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    assert_eq!(a["round"], "first");
    assert_eq!(a["phase"], "announced");
    assert_eq!(a["reference_price_fen"], REFERENCE);
    assert_problem(
        announce(&f, &plan(t)).await,
        StatusCode::CONFLICT,
        "already_auctioned",
    )
    .await;
    // Another court's officer does not see the case.
    let other = t.signed_in("officer-x", "b110108", Role::Officer).await;
    let r = t
        .post_json(
            &format!("/api/v1/assets/{}/auctions", f.asset_id),
            Some(&other),
            &plan(t),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // The public sees it in the list.
    let list = t.get_value("/public/v1/auctions", None).await;
    assert_eq!(list["items"][0]["id"], a["id"]);
}

#[tokio::test]
async fn bidding_by_the_server_clock_with_deposits_increments_extension_and_idempotency() {
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id = a["id"].as_i64().unwrap();
    let start = a["start_price_fen"].as_i64().unwrap();
    let inc = a["increment_fen"].as_i64().unwrap();

    // The debtor may not bid for its own house — but the answer says so only to the holder of
    // the registration's token: to anyone else it looks like every other registration.
    let (debtor, debtor_outcome) = register_and_read(t, id, "李四", DEBTOR).await;
    assert_eq!(
        (
            debtor_outcome["status"].as_str(),
            debtor_outcome["refused"].as_str()
        ),
        (Some("refused"), Some("debtor_may_not_bid")),
        "{debtor_outcome}"
    );
    assert_eq!(debtor_outcome["paddle"], Value::Null);
    // Someone using the debtor's ID number under another name is refused as well, privately.
    let (_, stranger) = register_and_read(t, id, "赵六", DEBTOR).await;
    assert_eq!(stranger["refused"], "identity_name_mismatch", "{stranger}");
    // An invalid ID number says nothing of anyone: refused in the open.
    assert_problem(
        register(t, id, "王五", "110101198001010011").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_identity",
    )
    .await;
    let (p1, t1) = bidder(&f, id, 1).await;
    let (_p2, t2) = bidder(&f, id, 2).await;
    let c3 = ok(
        register(t, id, "竞买人3", &person_id(3)).await,
        StatusCode::CREATED,
    )
    .await;
    let t3 = c3["token"].as_str().unwrap().to_owned();
    let (twice, twice_outcome) = register_and_read(t, id, "竞买人1", &person_id(1)).await;
    assert_eq!(
        twice_outcome["refused"], "already_registered",
        "{twice_outcome}"
    );
    // The three answers — new, the debtor's, registered twice — have the same shape and the
    // same figures; only the tokens differ.
    let shape = |v: &Value| {
        let mut v = v.clone();
        v["token"] = Value::from("…");
        v
    };
    assert_eq!(shape(&debtor), shape(&c3));
    assert_eq!(shape(&twice), shape(&c3));
    // A refused registration's token does not bid.
    let refused_token = debtor["token"].as_str().unwrap().to_owned();

    assert_problem(
        bid(t, id, &t1, "k1", start).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bidding_not_started",
    )
    .await;
    advance_to(t, a["starts_at"].as_str().unwrap());
    t.clock.advance(Duration::from_secs(60));
    assert_problem(
        bid(t, id, &t3, "k3", start).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "deposit_not_paid",
    )
    .await;
    assert_problem(
        bid(t, id, &refused_token, "kd", start).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_registered",
    )
    .await;
    assert_problem(
        bid(t, id, "zxb_nonsense", "k0", start).await,
        StatusCode::UNAUTHORIZED,
        "invalid_bidder_token",
    )
    .await;
    assert_problem(
        bid(t, id, &t1, "k1", start - 1).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bid_below_minimum",
    )
    .await;
    let b1 = ok(bid(t, id, &t1, "k1", start).await, StatusCode::CREATED).await;
    assert_eq!(b1["seq"], 1);
    // The same key and bid again: the same answer, nothing recorded.
    let again = ok(bid(t, id, &t1, "k1", start).await, StatusCode::OK).await;
    assert_eq!(again["seq"], 1);
    assert_eq!(again["new"], false);
    assert_problem(
        bid(t, id, &t1, "k1", start + inc).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;
    assert_problem(
        bid(t, id, &t2, "k2", start + inc - 1).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bid_below_increment",
    )
    .await;
    let r = t
        .client
        .post(t.url(&format!("/api/v1/auctions/{id}/bids")))
        .bearer_auth(&t2)
        .json(&json!({"amount_fen": start + inc}))
        .send()
        .await
        .unwrap();
    assert_problem(r, StatusCode::BAD_REQUEST, "idempotency_key_required").await;
    ok(
        bid(t, id, &t2, "k2", start + inc).await,
        StatusCode::CREATED,
    )
    .await;

    // Two minutes before the end, a bid moves the end to that bid + 5 minutes.
    let scheduled: jiff::Timestamp = a["ends_at"].as_str().unwrap().parse().unwrap();
    t.clock.set(
        scheduled
            .checked_sub(jiff::SignedDuration::from_mins(2))
            .unwrap(),
    );
    let late = ok(
        bid(t, id, &t1, "k1b", start + 2 * inc).await,
        StatusCode::CREATED,
    )
    .await;
    let extended: jiff::Timestamp = late["ends_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        extended,
        t.app
            .now()
            .checked_add(jiff::SignedDuration::from_mins(5))
            .unwrap()
    );
    assert!(extended > scheduled);
    // Past the scheduled end but before the extended one: still open.
    t.clock.set(
        scheduled
            .checked_add(jiff::SignedDuration::from_mins(1))
            .unwrap(),
    );
    let top = start + 3 * inc;
    ok(bid(t, id, &t2, "k2b", top).await, StatusCode::CREATED).await;
    let view = t
        .get_value(&format!("/public/v1/auctions/{id}"), None)
        .await;
    let ends: jiff::Timestamp = view["ends_at"].as_str().unwrap().parse().unwrap();
    t.clock.set(ends);
    assert_problem(
        bid(t, id, &t1, "k1c", top + inc).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bidding_closed",
    )
    .await;

    // The worker closes it: sold to the top bid, the ruling issued, the loser's deposit released.
    let s = zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert_eq!(s.auctions_closed, 1);
    let view = t
        .get_value(&format!("/public/v1/auctions/{id}"), None)
        .await;
    assert_eq!(view["status"], "sold");
    assert_eq!(view["outcome"]["price_fen"], top);
    assert_eq!(view["bids"].as_array().unwrap().len(), 4);
    let public = view.to_string();
    assert!(
        !public.contains("竞买人") && !public.contains(&person_id(1)),
        "pseudonymous: {public}"
    );
    assert!(
        view["bids"][0]["bidder_code"]
            .as_str()
            .unwrap()
            .starts_with('P')
    );
    let kinds = t
        .raw_text(&format!(
            "SELECT kind FROM documents WHERE case_id = {} AND kind = 'sale_ruling'",
            f.case_id
        ))
        .await;
    assert_eq!(kinds, "sale_ruling");
    let case = t
        .get_value(&format!("/api/v1/cases/{}", f.case_id), Some(&f.officer))
        .await;
    assert!(
        case["case"]["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["kind"] == "sale_ruling"),
        "the ruling is among the case's documents: {}",
        case["case"]["documents"]
    );
    let released = t
        .raw_text(
            "SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE kind = 'auction.deposit_released'",
        )
        .await;
    assert_eq!(released, "1", "bidder {p1} lost and gets the deposit back");

    // The balance: the wrong amount is refused; the right one books the price in the account.
    let deposit = a["deposit_fen"].as_i64().unwrap();
    let path = format!("/api/v1/auctions/{id}/balance");
    let pay = |amount: i64| {
        let (path, officer) = (path.clone(), f.officer.clone());
        async move {
            t.post_json(
                &path,
                Some(&officer),
                &json!({"amount_fen": amount, "reference": "BANK-BAL"}),
            )
            .await
        }
    };
    assert_problem(
        pay(top).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "wrong_amount",
    )
    .await;
    let paid = ok(pay(top - deposit).await, StatusCode::OK).await;
    assert_eq!(paid["status"], "paid");
    let account = t
        .get_value(
            &format!("/api/v1/cases/{}/account", f.case_id),
            Some(&f.officer),
        )
        .await;
    let receipts = account["receipts"].as_array().unwrap();
    assert!(
        receipts
            .iter()
            .any(|r| r["source"] == "auction" && r["amount_fen"] == top - deposit),
        "the rest of the price; the deposit is in the account already: {account}"
    );
    assert_eq!(account["balance_fen"], top, "{account}");
}

#[tokio::test]
async fn five_hundred_bidders_at_once_end_with_one_winner_and_a_log_that_replays_after_restart() {
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id = a["id"].as_i64().unwrap();
    let start = a["start_price_fen"].as_i64().unwrap();
    let inc = a["increment_fen"].as_i64().unwrap();
    let mut tokens = Vec::new();
    for n in 0..500 {
        tokens.push(bidder(&f, id, 100 + n).await.1);
    }
    advance_to(t, a["starts_at"].as_str().unwrap());
    // Everyone bids at once, several times, for prices around the same levels.
    let mut tasks = Vec::new();
    for (n, token) in tokens.iter().enumerate() {
        let (client, url, token) = (
            t.client.clone(),
            t.url(&format!("/api/v1/auctions/{id}/bids")),
            token.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut accepted = Vec::new();
            for round in 0..3i64 {
                let amount = start + inc * ((n as i64 * 7 + round * 13) % 40);
                let r = client
                    .post(&url)
                    .bearer_auth(&token)
                    .header("idempotency-key", format!("{n}-{round}"))
                    .json(&json!({"amount_fen": amount}))
                    .send()
                    .await
                    .unwrap();
                let status = r.status();
                assert!(
                    status == StatusCode::CREATED
                        || status == StatusCode::UNPROCESSABLE_ENTITY
                        || status == StatusCode::CONFLICT,
                    "{status}: {}",
                    r.text().await.unwrap()
                );
                if status == StatusCode::CREATED {
                    accepted.push(amount);
                }
            }
            accepted
        }));
    }
    let mut accepted = Vec::new();
    for task in tasks {
        accepted.extend(task.await.unwrap());
    }
    assert!(!accepted.is_empty());
    let view = t
        .get_value(&format!("/public/v1/auctions/{id}"), None)
        .await;
    let log: Vec<i64> = view["bids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["amount_fen"].as_i64().unwrap())
        .collect();
    assert_eq!(
        log.len(),
        accepted.len(),
        "every accepted bid is in the log once"
    );
    assert!(
        log.windows(2).all(|w| w[1] >= w[0] + inc),
        "each bid beats the last by the increment: {log:?}"
    );
    let top = *accepted.iter().max().unwrap();
    assert_eq!(view["current_price_fen"], top);

    // A restart: a new process on the same database replays the log to the same state.
    let restarted = zhixing_server::App::new(
        t.app.store.clone(),
        zhixing_testkit::test_config(),
        t.clock.clone(),
        zhixing_server::courier(),
    )
    .unwrap();
    let (_, replayed) = zhixing_app::disposal::auction::state(&restarted, id)
        .await
        .unwrap();
    let (_, live) = zhixing_app::disposal::auction::state(&t.app, id)
        .await
        .unwrap();
    assert_eq!(*replayed, *live);
    assert_eq!(replayed.ends_at.to_string(), view["ends_at"]);

    let ends: jiff::Timestamp = view["ends_at"].as_str().unwrap().parse().unwrap();
    t.clock.set(ends);
    zhixing_app::command_centre::watch::sweep(&restarted)
        .await
        .unwrap();
    let done = t
        .get_value(&format!("/public/v1/auctions/{id}"), None)
        .await;
    assert_eq!(done["status"], "sold");
    assert_eq!(done["outcome"]["price_fen"], top);
    let released: usize = t
        .raw_text(
            "SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE kind = 'auction.deposit_released'",
        )
        .await
        .parse()
        .unwrap();
    assert_eq!(released, 499, "every loser's deposit");
}

#[tokio::test]
async fn the_live_feed_sends_each_bid_and_resumes_after_the_last_event_id() {
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id = a["id"].as_i64().unwrap();
    let start = a["start_price_fen"].as_i64().unwrap();
    let inc = a["increment_fen"].as_i64().unwrap();
    let (_, t1) = bidder(&f, id, 1).await;
    let (_, t2) = bidder(&f, id, 2).await;
    advance_to(t, a["starts_at"].as_str().unwrap());

    let mut feed = t
        .client
        .get(t.url(&format!("/public/v1/auctions/{id}/events")))
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    ok(bid(t, id, &t1, "a", start).await, StatusCode::CREATED).await;
    ok(bid(t, id, &t2, "b", start + inc).await, StatusCode::CREATED).await;
    let mut text = String::new();
    while text.matches("event: bid").count() < 2 {
        let chunk = tokio::time::timeout(Duration::from_secs(10), feed.chunk())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(
        text.contains(&format!("\"amount_fen\":{}", start + inc)),
        "{text}"
    );
    assert!(text.contains("\"ends_at\""), "{text}");
    let ids: Vec<i64> = text
        .lines()
        .filter_map(|l| l.strip_prefix("id: ").or_else(|| l.strip_prefix("id:")))
        .map(|v| v.trim().parse().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{text}");
    drop(feed);

    // Reconnect after the first bid: only the second, then what comes next.
    let mut again = t
        .client
        .get(t.url(&format!("/public/v1/auctions/{id}/events")))
        .header("last-event-id", ids[0].to_string())
        .send()
        .await
        .unwrap();
    ok(
        bid(t, id, &t1, "c", start + 2 * inc).await,
        StatusCode::CREATED,
    )
    .await;
    let mut text = String::new();
    while text.matches("event: bid").count() < 2 {
        let chunk = tokio::time::timeout(Duration::from_secs(10), again.chunk())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(
        !text.contains(&format!("\"amount_fen\":{start},")),
        "the first bid is not sent again: {text}"
    );
    assert!(
        text.contains(&format!("\"amount_fen\":{}", start + 2 * inc)),
        "{text}"
    );
    assert_problem(
        t.get("/public/v1/auctions/999999/events", None).await,
        StatusCode::NOT_FOUND,
        "auction_not_found",
    )
    .await;
}

#[tokio::test]
async fn no_bid_fails_then_a_second_auction_cuts_at_most_twenty_percent() {
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id = a["id"].as_i64().unwrap();
    let start = a["start_price_fen"].as_i64().unwrap();
    let ends: jiff::Timestamp = a["ends_at"].as_str().unwrap().parse().unwrap();
    t.clock.set(ends);
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    let v = t
        .get_value(&format!("/public/v1/auctions/{id}"), None)
        .await;
    assert_eq!(v["status"], "failed");
    let second = |price: i64| {
        json!({"round": "second", "title": "朝阳区某小区1号楼101室（二拍）", "start_price_fen": price,
               "increment_fen": 1_000_000, "deposit_fen": price / 10,
               "starts_at": at(t, 16, 0), "ends_at": at(t, 17, 0), "balance_days": 10})
    };
    assert_problem(
        announce(&f, &second(start * 79 / 100)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "price_cut_too_large",
    )
    .await;
    let b = ok(
        announce(&f, &second(start * 8 / 10)).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(b["round"], "second");
    assert_eq!(b["round_zh"], "二拍");
}

/// Moves the clock to an auction's current end and lets the worker close it.
pub(crate) async fn close_at_end(t: &TestApp, id: i64) -> Value {
    let v = t
        .get_value(&format!("/public/v1/auctions/{id}"), None)
        .await;
    t.clock.set(v["ends_at"].as_str().unwrap().parse().unwrap());
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    t.get_value(&format!("/public/v1/auctions/{id}"), None)
        .await
}

#[tokio::test]
async fn a_buyer_who_does_not_pay_forfeits_the_deposit_and_may_not_bid_again() {
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id = a["id"].as_i64().unwrap();
    let start = a["start_price_fen"].as_i64().unwrap();
    let deposit = a["deposit_fen"].as_i64().unwrap();
    let (_, t1) = bidder(&f, id, 1).await;
    advance_to(t, a["starts_at"].as_str().unwrap());
    ok(bid(t, id, &t1, "x", start).await, StatusCode::CREATED).await;
    let closed = close_at_end(t, id).await;
    assert_eq!(
        closed["status"], "sold",
        "a single bid at the starting price wins"
    );
    let path = format!("/api/v1/auctions/{id}/default");
    let default = || async { t.post_json(&path, Some(&f.officer), &json!({})).await };
    assert_problem(
        default().await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "balance_not_yet_due",
    )
    .await;
    t.clock.advance(Duration::from_secs(11 * 86_400));
    let d = ok(default().await, StatusCode::OK).await;
    assert_eq!(d["status"], "defaulted");
    let account = t
        .get_value(
            &format!("/api/v1/cases/{}/account", f.case_id),
            Some(&f.officer),
        )
        .await;
    assert_eq!(
        (
            account["balance_fen"].as_i64(),
            account["undistributed_fen"].as_i64()
        ),
        (Some(deposit), Some(deposit)),
        "the forfeited deposit, the case's: {account}"
    );
    // The re-auction: the defaulter is barred, others may register.
    let again = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id2 = again["id"].as_i64().unwrap();
    let (_, barred) = register_and_read(t, id2, "竞买人1", &person_id(1)).await;
    assert_eq!(
        (barred["status"].as_str(), barred["refused"].as_str()),
        (Some("refused"), Some("bidder_barred")),
        "told to the defaulter only: {barred}"
    );
    ok(
        register(t, id2, "竞买人2", &person_id(2)).await,
        StatusCode::CREATED,
    )
    .await;
}

#[tokio::test]
async fn a_preemptive_right_holder_may_match_the_price_and_then_leads() {
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id = a["id"].as_i64().unwrap();
    let start = a["start_price_fen"].as_i64().unwrap();
    let (_, t1) = bidder(&f, id, 1).await;
    let (holder, th) = bidder(&f, id, 2).await;
    ok(
        f.t.post_json(
            &format!("/api/v1/auctions/{id}/preemptive-holders"),
            Some(&f.officer),
            &json!({"paddle": holder, "rank": 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    advance_to(t, a["starts_at"].as_str().unwrap());
    ok(bid(t, id, &t1, "a", start).await, StatusCode::CREATED).await;
    // The holder matches the same price and takes the lead …
    ok(bid(t, id, &th, "b", start).await, StatusCode::CREATED).await;
    // … so the other bidder must go higher.
    assert_problem(
        bid(t, id, &t1, "c", start).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bid_below_increment",
    )
    .await;
    let v = t
        .get_value(&format!("/public/v1/auctions/{id}"), None)
        .await;
    assert_eq!(v["bids"][1]["preemptive"], true);
    assert_eq!(v["current_price_fen"], start);
    let closed = close_at_end(t, id).await;
    assert_eq!(closed["outcome"]["winner_code"], format!("P{holder:04}"));
}

#[tokio::test]
async fn after_two_failed_auctions_the_sell_off_opens_24_hours_on_the_first_offer() {
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let first = a["start_price_fen"].as_i64().unwrap();
    assert_eq!(
        close_at_end(t, a["id"].as_i64().unwrap()).await["status"],
        "failed"
    );
    let second_price = first * 8 / 10;
    let b = ok(
        announce(
            &f,
            &json!({"round": "second", "title": "二拍", "start_price_fen": second_price,
                    "increment_fen": 1_000_000, "deposit_fen": second_price / 10,
                    "starts_at": at(t, 16, 0), "ends_at": at(t, 17, 0), "balance_days": 10}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        close_at_end(t, b["id"].as_i64().unwrap()).await["status"],
        "failed"
    );
    let s = ok(
        announce(
            &f,
            &json!({"round": "sell_off", "title": "变卖", "start_price_fen": second_price,
                    "increment_fen": 1_000_000, "deposit_fen": second_price / 10,
                    "starts_at": at(t, 0, 0), "ends_at": at(t, 60, 0), "balance_days": 10}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(s["round"], "sell_off");
    assert_eq!(
        s["start_price_fen"], second_price,
        "at the second starting price"
    );
    let id = s["id"].as_i64().unwrap();
    let period_end: jiff::Timestamp = s["ends_at"].as_str().unwrap().parse().unwrap();
    assert!(
        period_end
            >= t.app
                .now()
                .checked_add(jiff::SignedDuration::from_hours(24 * 59))
                .unwrap()
    );
    let (_, t1) = bidder(&f, id, 1).await;
    t.clock.advance(Duration::from_secs(3 * 86_400));
    let offer = ok(
        bid(t, id, &t1, "offer", second_price).await,
        StatusCode::CREATED,
    )
    .await;
    let ends: jiff::Timestamp = offer["ends_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        ends,
        t.app
            .now()
            .checked_add(jiff::SignedDuration::from_hours(24))
            .unwrap(),
        "the first offer opens 24 hours of bidding"
    );
    assert_eq!(close_at_end(t, id).await["status"], "sold");
}
