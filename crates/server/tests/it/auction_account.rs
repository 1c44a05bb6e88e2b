//! An auction's money in the case account (一案一账号): each bidder's deposit (保证金) is booked
//! once as a receipt held for the bidder, the losers' deposits are refunded out of the account
//! at the close, the winner's counts toward the price (never twice), and a defaulter's is
//! forfeited to the case.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_testkit::{TestApp, assert_problem};

use crate::auction::{advance_to, announce, bid, bidder, close_at_end, ok, plan, priced_house};

async fn account(t: &TestApp, officer: &str, case_id: i64) -> Value {
    t.get_value(&format!("/api/v1/cases/{case_id}/account"), Some(officer))
        .await
}

async fn paid(t: &TestApp, officer: &str, case_id: i64) -> i64 {
    t.get_value(&format!("/api/v1/cases/{case_id}"), Some(officer))
        .await["case"]["paid"]
        .as_i64()
        .unwrap()
}

/// The receipts of `source`: (amount, reference).
fn receipts(account: &Value, source: &str) -> Vec<(i64, String)> {
    account["receipts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["source"] == source)
        .map(|r| {
            (
                r["amount_fen"].as_i64().unwrap(),
                r["reference"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The journal entries moving a deposit: `refunded` (a transfer out to the bidder) or
/// `applied` (the case's from then on).
fn deposit_entries(account: &Value, what: &str) -> usize {
    let (kind, memo) = match what {
        "refunded" => ("transfer", " refunded"),
        _ => ("receipt", " applied"),
    };
    account["journal"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            let m = e["memo"].as_str().unwrap_or_default();
            e["kind"] == kind && m.starts_with("auction_deposit ") && m.ends_with(memo)
        })
        .count()
}

#[tokio::test]
async fn deposits_are_held_in_the_case_account_refunded_to_losers_and_counted_once_toward_the_price()
 {
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id = a["id"].as_i64().unwrap();
    let start = a["start_price_fen"].as_i64().unwrap();
    let inc = a["increment_fen"].as_i64().unwrap();
    let deposit = a["deposit_fen"].as_i64().unwrap();
    let paid_before = paid(t, &f.officer, f.case_id).await;

    let (p1, t1) = bidder(&f, id, 1).await;
    let (p2, t2) = bidder(&f, id, 2).await;
    let acc = account(t, &f.officer, f.case_id).await;
    let mut held = receipts(&acc, "auction_deposit");
    held.sort();
    let mut expected = vec![
        (deposit, format!("auction:{id}:deposit:{p1}")),
        (deposit, format!("auction:{id}:deposit:{p2}")),
    ];
    expected.sort();
    assert_eq!(held, expected, "both deposits, as 保证金: {acc}");
    assert_eq!(acc["balance_fen"], 2 * deposit, "{acc}");
    // Held for the bidders: not the case's to pay out, not on the payout clock, and no
    // performance of the debtor.
    assert_eq!(
        (
            acc["undistributed_fen"].as_i64(),
            acc["available_fen"].as_i64()
        ),
        (Some(0), Some(0)),
        "{acc}"
    );
    assert_eq!(acc["overdue"], false);
    assert_eq!(paid(t, &f.officer, f.case_id).await, paid_before);

    // The bank reports the same deposit again: refused, and nothing is booked twice.
    let again = t
        .post_json(
            &format!("/api/v1/auctions/{id}/deposits"),
            Some(&f.officer),
            &json!({"paddle": p1, "amount_fen": deposit, "reference": "BANK-1"}),
        )
        .await;
    assert_problem(
        again,
        StatusCode::UNPROCESSABLE_ENTITY,
        "deposit_already_paid",
    )
    .await;
    let acc = account(t, &f.officer, f.case_id).await;
    assert_eq!(receipts(&acc, "auction_deposit").len(), 2, "{acc}");
    assert_eq!(acc["balance_fen"], 2 * deposit);

    // The page labels the receipts as 保证金.
    let cookie = t.page_login("officer1").await;
    let (status, page) = t.html(&format!("/cases/{}", f.case_id), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<td>保证金</td>"), "{page}");

    // Bidder 2 wins; the close refunds bidder 1's deposit out of the account.
    advance_to(t, a["starts_at"].as_str().unwrap());
    ok(bid(t, id, &t1, "a", start).await, StatusCode::CREATED).await;
    let top = start + inc;
    ok(bid(t, id, &t2, "b", top).await, StatusCode::CREATED).await;
    let closed = close_at_end(t, id).await;
    assert_eq!(closed["status"], "sold", "{closed}");
    let acc = account(t, &f.officer, f.case_id).await;
    assert_eq!(
        acc["balance_fen"], deposit,
        "only the winner's deposit: {acc}"
    );
    assert_eq!(acc["undistributed_fen"], 0, "{acc}");
    assert_eq!(deposit_entries(&acc, "refunded"), 1, "{acc}");
    assert_eq!(paid(t, &f.officer, f.case_id).await, paid_before);

    // The balance: the price is in the account once — the deposit plus the rest.
    ok(
        t.post_json(
            &format!("/api/v1/auctions/{id}/balance"),
            Some(&f.officer),
            &json!({"amount_fen": top - deposit, "reference": "BANK-BAL"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let acc = account(t, &f.officer, f.case_id).await;
    assert_eq!(
        (
            acc["balance_fen"].as_i64(),
            acc["undistributed_fen"].as_i64()
        ),
        (Some(top), Some(top)),
        "the price, all the case's to pay out: {acc}"
    );
    assert_eq!(
        receipts(&acc, "auction"),
        vec![(top - deposit, format!("auction:{id}"))],
        "{acc}"
    );
    assert_eq!(deposit_entries(&acc, "applied"), 1, "{acc}");
    assert_eq!(paid(t, &f.officer, f.case_id).await, paid_before + top);
    // Audited: the deposits, the release and the balance, as before.
    for (kind, n) in [
        ("auction.deposit_paid", "2"),
        ("auction.deposit_released", "1"),
        ("auction.balance_paid", "1"),
    ] {
        let count = t
            .raw_text(&format!(
                "SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE kind = '{kind}'"
            ))
            .await;
        assert_eq!(count, n, "{kind}");
    }
}

#[tokio::test]
async fn a_defaulters_deposit_is_forfeited_to_the_case_and_a_failed_auction_refunds_every_deposit()
{
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id = a["id"].as_i64().unwrap();
    let start = a["start_price_fen"].as_i64().unwrap();
    let deposit = a["deposit_fen"].as_i64().unwrap();
    let paid_before = paid(t, &f.officer, f.case_id).await;
    let (_, t1) = bidder(&f, id, 1).await;
    advance_to(t, a["starts_at"].as_str().unwrap());
    ok(bid(t, id, &t1, "x", start).await, StatusCode::CREATED).await;
    assert_eq!(close_at_end(t, id).await["status"], "sold");
    t.clock.advance(Duration::from_secs(11 * 86_400));
    let d = ok(
        t.post_json(
            &format!("/api/v1/auctions/{id}/default"),
            Some(&f.officer),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["status"], "defaulted");
    let acc = account(t, &f.officer, f.case_id).await;
    assert_eq!(
        (
            acc["balance_fen"].as_i64(),
            acc["undistributed_fen"].as_i64()
        ),
        (Some(deposit), Some(deposit)),
        "the forfeited deposit is the case's, once: {acc}"
    );
    assert!(receipts(&acc, "auction").is_empty(), "{acc}");
    assert_eq!(deposit_entries(&acc, "applied"), 1, "{acc}");
    assert_eq!(paid(t, &f.officer, f.case_id).await, paid_before + deposit);

    // The re-auction fails with no bid: the one deposit paid is refunded in full.
    let again = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id2 = again["id"].as_i64().unwrap();
    bidder(&f, id2, 2).await;
    let acc = account(t, &f.officer, f.case_id).await;
    assert_eq!(acc["balance_fen"], 2 * deposit, "{acc}");
    assert_eq!(close_at_end(t, id2).await["status"], "failed");
    let acc = account(t, &f.officer, f.case_id).await;
    assert_eq!(
        (
            acc["balance_fen"].as_i64(),
            acc["undistributed_fen"].as_i64()
        ),
        (Some(deposit), Some(deposit)),
        "{acc}"
    );
    assert_eq!(deposit_entries(&acc, "refunded"), 1, "{acc}");
}
