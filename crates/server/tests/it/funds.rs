//! The case account (一案一账号) over HTTP: receipts booked once, payouts approved by the division
//! head and never beyond the balance (also when two race), money held past the payout limit
//! shown overdue, distribution among applicants, and bad input answered as problems.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_app::disposal::funds::{self as funds, Receipt};
use zhixing_domain::access::Role;
use zhixing_domain::funds::Source;
use zhixing_domain::money::Fen;
use zhixing_testkit::{TestApp, assert_problem};

const COURT: &str = "b110105";

/// Party 1 and 2 are applicants, party 3 the respondent.
fn filing(doc: &str) -> Value {
    json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "applicant", "kind": "organisation", "name": "北京某某贸易有限公司", "credit_code": "91350100M000100Y43", "legal_representative": "王五"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000},
        "duties": ""
    })
}

struct Setup {
    t: TestApp,
    officer: String,
    head: String,
    case_id: i64,
}

async fn setup() -> Setup {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", COURT, Role::Officer).await;
    let head = t.signed_in("head1", COURT, Role::DivisionHead).await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&officer),
            &filing("(2026)京0105民初7号"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let case_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    Setup {
        t,
        officer,
        head,
        case_id,
    }
}

impl Setup {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/cases/{}/account{rest}", self.case_id)
    }
    async fn post(&self, token: &str, rest: &str, body: Value) -> reqwest::Response {
        self.t.post_json(&self.path(rest), Some(token), &body).await
    }
    async fn account(&self) -> Value {
        let r = self.t.get(&self.path(""), Some(&self.officer)).await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }
    async fn case(&self) -> Value {
        self.t
            .get(
                &format!("/api/v1/cases/{}", self.case_id),
                Some(&self.officer),
            )
            .await
            .json()
            .await
            .unwrap()
    }
    async fn receive(&self, amount: i64, reference: &str) -> Value {
        let r = self
            .post(
                &self.officer,
                "/receipts",
                json!({"amount_fen": amount, "reference": reference, "note": "被执行人自动履行"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "receipt {reference}");
        r.json().await.unwrap()
    }
    async fn propose(&self, token: &str, party_no: u32, amount: i64) -> reqwest::Response {
        self.post(
            token,
            "/payouts",
            json!({"party_no": party_no, "amount_fen": amount, "note": "发放执行款"}),
        )
        .await
    }
    async fn proposed(&self, party_no: u32, amount: i64) -> i64 {
        let r = self.propose(&self.officer, party_no, amount).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json::<Value>().await.unwrap()["no"].as_i64().unwrap()
    }
    async fn decide(&self, token: &str, no: i64, approve: bool, reason: &str) -> reqwest::Response {
        self.post(
            token,
            &format!("/payouts/{no}/decision"),
            json!({"approve": approve, "reason": reason}),
        )
        .await
    }
    async fn pay(&self, no: i64, reference: &str) -> reqwest::Response {
        self.post(
            &self.officer,
            &format!("/payouts/{no}/paid"),
            json!({"transfer_reference": reference}),
        )
        .await
    }
    async fn event_kinds(&self) -> Vec<String> {
        self.t
            .app
            .store
            .case_events(self.case_id, i64::MAX)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect()
    }
}

#[tokio::test]
async fn a_voluntary_payment_is_booked_once_and_counts_as_performance() {
    let s = setup().await;
    let today = s.t.app.today();
    let r = s.receive(300_000, "PAY-1").await;
    assert_eq!(r["amount_fen"], 300_000);
    assert_eq!(r["source"], "voluntary");
    assert_eq!(r["received_on"], today.to_string());
    let due: jiff::civil::Date = r["payout_due"].as_str().unwrap().parse().unwrap();
    let days = due.since(today).unwrap().get_days();
    assert!(
        (30..=40).contains(&days),
        "30 days, rolled to a working day: {days}"
    );
    assert!(s.t.app.calendar.last().is_working_day(due));

    let a = s.account().await;
    assert_eq!(a["balance_fen"], 300_000);
    assert_eq!(a["available_fen"], 300_000);
    assert_eq!(a["received_fen"], 300_000);
    assert_eq!(a["overdue"], false);
    assert_eq!(a["receipts"][0]["payout_due"], due.to_string());
    let entry = &a["journal"][0];
    assert_eq!(entry["kind"], "receipt");
    assert_eq!(
        entry["postings"],
        json!([
            {"account": "court_bank", "debit_fen": 300_000, "credit_fen": 0},
            {"account": "undistributed", "debit_fen": 0, "credit_fen": 300_000}
        ])
    );
    let c = s.case().await;
    assert_eq!(c["unpaid"], 700_000, "money received is performance");
    let version = c["version"].as_i64().unwrap();

    // The same payment reported again changes nothing; with another amount it is refused.
    let again = s
        .post(
            &s.officer,
            "/receipts",
            json!({"amount_fen": 300_000, "reference": " PAY-1 "}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Value>().await.unwrap()["id"], r["id"]);
    assert_problem(
        s.post(
            &s.officer,
            "/receipts",
            json!({"amount_fen": 1, "reference": "PAY-1"}),
        )
        .await,
        StatusCode::CONFLICT,
        "receipt_conflict",
    )
    .await;
    let c = s.case().await;
    assert_eq!(
        (c["unpaid"].as_i64(), c["version"].as_i64()),
        (Some(700_000), Some(version))
    );
    assert_eq!(s.account().await["receipts"].as_array().unwrap().len(), 1);
    let kinds = s.event_kinds().await;
    assert_eq!(
        kinds.iter().filter(|k| *k == "case.funds_received").count(),
        1
    );
    // A payment booked later is due 30 days from the day it arrived.
    s.t.clock.advance(Duration::from_secs(2 * 86400));
    let r = s
        .post(
            &s.officer,
            "/receipts",
            json!({"amount_fen": 5_000, "reference": "PAY-0", "received_on": today.to_string()}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        r.json::<Value>().await.unwrap()["payout_due"],
        due.to_string()
    );
    assert!(s.t.app.store.verify_chain().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_deduction_booked_inside_another_transaction_is_booked_once() {
    let s = setup().await;
    let app = &s.t.app;
    let receipt = Receipt {
        amount: Fen::new(250_000).unwrap(),
        source: Source::Deduction,
        reference: "ICBC-2026-0001",
        note: "扣划",
        on: app.today(),
    };
    let mut booked = Vec::new();
    for _ in 0..2 {
        let at_us = app.now_us();
        let mut tx = app.store.begin().await.unwrap();
        let events =
            funds::receive_in_tx(&mut tx, app, s.case_id, &receipt, "institution:icbc", at_us)
                .await
                .unwrap();
        if let Some(events) = &events {
            tx.append_events(at_us, events).await.unwrap();
        }
        tx.commit().await.unwrap();
        booked.push(events.is_some());
    }
    assert_eq!(booked, [true, false], "the second report books nothing");
    let a = s.account().await;
    assert_eq!(a["balance_fen"], 250_000);
    assert_eq!(a["receipts"].as_array().unwrap().len(), 1);
    assert_eq!(a["receipts"][0]["source"], "deduction");
    assert_eq!(s.case().await["unpaid"], 750_000, "unpaid reduced once");
    let kinds = s.event_kinds().await;
    assert_eq!(
        kinds.iter().filter(|k| *k == "case.funds_received").count(),
        1
    );
    // A voluntary payment may carry the same reference: the source tells them apart.
    s.receive(1_000, "ICBC-2026-0001").await;
    assert_eq!(s.account().await["balance_fen"], 251_000);

    // Refused inside the caller's transaction: nothing of it lands.
    let mut tx = app.store.begin().await.unwrap();
    let e = funds::receive_in_tx(&mut tx, app, 999_999, &receipt, "institution:icbc", 0)
        .await
        .err()
        .unwrap();
    assert_eq!(e.code(), "case_not_found");
}

#[tokio::test]
async fn a_payout_is_proposed_approved_by_the_head_and_paid() {
    let s = setup().await;
    s.receive(500_000, "PAY-1").await;
    let no = s.proposed(1, 200_000).await;
    assert_eq!(no, 1);
    let a = s.account().await;
    assert_eq!(
        (a["reserved_fen"].as_i64(), a["available_fen"].as_i64()),
        (Some(200_000), Some(300_000))
    );
    assert_eq!(a["payouts"][0]["status"], "proposed");
    assert_eq!(a["payouts"][0]["party_name"], "张三");

    // An officer does not approve; paying before approval is refused.
    assert_problem(
        s.decide(&s.officer, no, true, "").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        s.pay(no, "TR-1").await,
        StatusCode::CONFLICT,
        "payout_not_approved",
    )
    .await;

    let r = s.decide(&s.head, no, true, "").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "approved");
    assert_problem(
        s.decide(&s.head, no, false, "再议").await,
        StatusCode::CONFLICT,
        "payout_not_proposed",
    )
    .await;
    let a = s.account().await;
    assert_eq!(a["undistributed_fen"], 300_000);
    assert_eq!(a["reserved_fen"], 0);
    assert_eq!(
        a["payable"],
        json!([{"party_no": 1, "amount_fen": 200_000}])
    );
    assert_eq!(a["balance_fen"], 500_000, "approved, still in the account");

    assert_eq!(s.pay(no, "TR-1").await.status(), StatusCode::OK);
    assert_problem(
        s.pay(no, "TR-1").await,
        StatusCode::CONFLICT,
        "payout_not_approved",
    )
    .await;
    let a = s.account().await;
    assert_eq!(a["balance_fen"], 300_000);
    assert_eq!(a["paid_out_fen"], 200_000);
    assert_eq!(a["payable"], json!([]));
    assert_eq!(a["receipts"][0]["paid_out_fen"], 200_000);
    assert_eq!(a["payouts"][0]["status"], "paid");
    assert_eq!(a["payouts"][0]["transfer_reference"], "TR-1");
    let kinds: Vec<&str> = a["journal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["receipt", "allocation", "transfer"]);

    // Rejection needs a reason and frees the money; nobody approves their own proposal.
    let no2 = s.proposed(2, 100_000).await;
    assert_problem(
        s.decide(&s.head, no2, false, " ").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reason_required",
    )
    .await;
    assert_eq!(
        s.decide(&s.head, no2, false, "金额有误").await.status(),
        StatusCode::OK
    );
    let r = s.propose(&s.head, 2, 100_000).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let own = r.json::<Value>().await.unwrap()["no"].as_i64().unwrap();
    assert_problem(
        s.decide(&s.head, own, true, "").await,
        StatusCode::FORBIDDEN,
        "own_proposal",
    )
    .await;
    let a = s.account().await;
    assert_eq!(a["payouts"][1]["status"], "rejected");
    assert_eq!(a["payouts"][1]["decision_reason"], "金额有误");
    assert_eq!(a["available_fen"], 200_000);

    let kinds = s.event_kinds().await;
    for k in [
        "funds.payout_proposed",
        "funds.payout_approved",
        "funds.payout_rejected",
        "funds.payout_paid",
    ] {
        assert!(kinds.iter().any(|x| x == k), "{k} in {kinds:?}");
    }
    assert!(s.t.app.store.verify_chain().await.unwrap().is_ok());
}

#[tokio::test]
async fn the_balance_never_goes_below_zero() {
    let s = setup().await;
    assert_problem(
        s.propose(&s.officer, 1, 1).await,
        StatusCode::CONFLICT,
        "insufficient_funds",
    )
    .await;
    s.receive(100_000, "PAY-1").await;
    let p = assert_problem(
        s.propose(&s.officer, 1, 100_001).await,
        StatusCode::CONFLICT,
        "insufficient_funds",
    )
    .await;
    // The refusal names what is held and what was asked for, in fen.
    assert_eq!(
        (&p["params"]["held"], &p["params"]["needed"]),
        (&json!(100_000), &json!(100_001)),
        "{p}"
    );
    assert_eq!(
        p["detail"],
        "undistributed holds ¥1,000.00; ¥1,000.01 was asked for"
    );
    s.proposed(1, 60_000).await;
    // The proposal holds its money back even before it is approved.
    assert_problem(
        s.propose(&s.officer, 2, 40_001).await,
        StatusCode::CONFLICT,
        "insufficient_funds",
    )
    .await;
    s.proposed(2, 40_000).await;
    assert_eq!(s.account().await["available_fen"], 0);
    assert_problem(
        s.post(
            &s.officer,
            "/distribution",
            json!({"claims": [{"party_no": 1, "amount_fen": 5, "rank": "ordinary"}]}),
        )
        .await,
        StatusCode::CONFLICT,
        "insufficient_funds",
    )
    .await;
}

#[tokio::test]
async fn concurrent_payouts_cannot_spend_the_same_money_twice() {
    let s = setup().await;
    let officer2 = s.t.signed_in("officer2", COURT, Role::Officer).await;
    for round in 0..3 {
        s.receive(100_000, &format!("PAY-{round}")).await;
        let mut set = tokio::task::JoinSet::new();
        for i in 0..4 {
            let client = s.t.client.clone();
            let url = s.t.url(&s.path("/payouts"));
            let token = if i % 2 == 0 {
                s.officer.clone()
            } else {
                officer2.clone()
            };
            set.spawn(async move {
                client
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({"party_no": 1, "amount_fen": 60_000}))
                    .send()
                    .await
                    .unwrap()
                    .status()
            });
        }
        let mut statuses = Vec::new();
        while let Some(r) = set.join_next().await {
            statuses.push(r.unwrap());
        }
        statuses.sort();
        // Rejections free the reservations, so the round has every receipt so far to spend.
        let fits = ((round + 1) * 100_000 / 60_000).min(4);
        let created = statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count() as i64;
        assert_eq!(created, fits, "round {round}: {statuses:?}");
        assert!(
            statuses
                .iter()
                .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
            "{statuses:?}"
        );
        let a = s.account().await;
        assert!(a["available_fen"].as_i64().unwrap() >= 0);
        assert_eq!(
            a["reserved_fen"].as_i64().unwrap() + a["available_fen"].as_i64().unwrap(),
            a["undistributed_fen"].as_i64().unwrap()
        );
        // Free the reservations so each round starts from what the account holds.
        for p in a["payouts"].as_array().unwrap() {
            if p["status"] == "proposed" {
                let no = p["no"].as_i64().unwrap();
                assert_eq!(
                    s.decide(&s.head, no, false, "测试撤回").await.status(),
                    StatusCode::OK
                );
            }
        }
    }
    // Numbers are never shared.
    let a = s.account().await;
    let nos: Vec<i64> = a["payouts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["no"].as_i64().unwrap())
        .collect();
    assert_eq!(nos, (1..=nos.len() as i64).collect::<Vec<_>>());
}

#[tokio::test]
async fn money_held_past_the_payout_limit_is_overdue_and_a_late_payout_needs_a_reason() {
    let s = setup().await;
    let r = s.receive(80_000, "PAY-1").await;
    let due: jiff::civil::Date = r["payout_due"].as_str().unwrap().parse().unwrap();
    let today = s.t.app.today();
    assert!(
        funds::overdue_receipts(&s.t.app.store, today)
            .await
            .unwrap()
            .is_empty()
    );

    // On the due day itself it is not yet late.
    let to_due = due.since(today).unwrap().get_days();
    s.t.clock
        .advance(Duration::from_secs(to_due as u64 * 86400));
    assert_eq!(s.t.app.today(), due);
    assert_eq!(s.account().await["overdue"], false);
    s.t.clock.advance(Duration::from_secs(86400));
    let a = s.account().await;
    assert_eq!(a["overdue"], true);
    assert_eq!(a["receipts"][0]["overdue"], true);
    let late = funds::overdue_receipts(&s.t.app.store, s.t.app.today())
        .await
        .unwrap();
    assert_eq!(late.len(), 1);
    assert_eq!(
        (
            late[0].case_id,
            late[0].court_id.as_str(),
            late[0].payout_due,
            late[0].outstanding
        ),
        (s.case_id, COURT, due, Fen::new(80_000).unwrap())
    );

    let p = assert_problem(
        s.propose(&s.officer, 1, 50_000).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "delay_reason_required",
    )
    .await;
    // With the day it was due and the rule of the payout time limit.
    assert_eq!(p["params"]["due"], due.to_string(), "{p}");
    assert_eq!(p["params"]["rule"], "funds.payout");
    assert_eq!(
        (&p["params"]["value"], &p["params"]["unit"]),
        (&json!(30), &json!("days"))
    );
    let r = s
        .post(
            &s.officer,
            "/payouts",
            json!({"party_no": 1, "amount_fen": 50_000, "delay_reason": "申请执行人账户信息有误，待其更正"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let no = r.json::<Value>().await.unwrap()["no"].as_i64().unwrap();
    assert_eq!(
        s.decide(&s.head, no, true, "同意延期发放").await.status(),
        StatusCode::OK
    );
    assert_eq!(s.pay(no, "TR-9").await.status(), StatusCode::OK);
    let a = s.account().await;
    assert_eq!(
        a["payouts"][0]["delay_reason"],
        "申请执行人账户信息有误，待其更正"
    );
    assert_eq!(a["overdue"], true, "30,000 is still held");
    let late = funds::overdue_receipts(&s.t.app.store, s.t.app.today())
        .await
        .unwrap();
    assert_eq!(late[0].outstanding, Fen::new(30_000).unwrap());

    // A fresh receipt is not late; the old money still is, until paid out.
    s.receive(10_000, "PAY-2").await;
    let r = s
        .post(
            &s.officer,
            "/payouts",
            json!({"party_no": 2, "amount_fen": 40_000, "delay_reason": "分配方案异议期"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let no = r.json::<Value>().await.unwrap()["no"].as_i64().unwrap();
    s.decide(&s.head, no, true, "").await;
    assert_eq!(s.pay(no, "TR-10").await.status(), StatusCode::OK);
    let a = s.account().await;
    assert_eq!(a["overdue"], false);
    assert_eq!(a["balance_fen"], 0);
    assert!(
        funds::overdue_receipts(&s.t.app.store, s.t.app.today())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn distribution_pays_costs_first_then_shares_pro_rata() {
    let s = setup().await;
    s.receive(100_000, "AUC-1").await;
    let r = s
        .post(
            &s.officer,
            "/distribution",
            json!({"claims": [
                {"party_no": 1, "amount_fen": 120_000, "rank": "ordinary"},
                {"party_no": 2, "amount_fen": 10_000, "rank": "costs"},
                {"party_no": 2, "amount_fen": 60_000, "rank": "ordinary"}
            ], "note": "参与分配方案"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let plan: Value = r.json().await.unwrap();
    assert_eq!(plan["distributable_fen"], 100_000);
    assert_eq!(plan["left_fen"], 0);
    let shares: Vec<(i64, i64)> = plan["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["share_fen"].as_i64().unwrap(),
                x["payout_no"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(shares, [(60_000, 1), (10_000, 2), (30_000, 3)]);
    let a = s.account().await;
    assert_eq!(a["reserved_fen"], 100_000);
    assert_eq!(a["available_fen"], 0);
    let ranks: Vec<&str> = a["payouts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["claim_rank"].as_str().unwrap())
        .collect();
    assert_eq!(ranks, ["ordinary", "costs", "ordinary"]);
    assert!(
        s.event_kinds()
            .await
            .iter()
            .any(|k| k == "funds.distribution_planned")
    );

    // Three ways into 100 fen: the shares still add up to the fen.
    s.receive(100, "PAY-2").await;
    let plan: Value = s
        .post(
            &s.officer,
            "/distribution",
            json!({"claims": [
                {"party_no": 1, "amount_fen": 300, "rank": "ordinary"},
                {"party_no": 2, "amount_fen": 300, "rank": "ordinary"},
                {"party_no": 2, "amount_fen": 1, "rank": "priority"}
            ]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let shares: Vec<i64> = plan["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["share_fen"].as_i64().unwrap())
        .collect();
    assert_eq!(shares, [50, 49, 1]);
}

#[tokio::test]
async fn bad_input_is_answered_with_a_problem() {
    let s = setup().await;
    s.receive(10_000, "PAY-1").await;
    for (body, code) in [
        (json!({"amount_fen": 0, "reference": "X"}), "invalid_amount"),
        (
            json!({"amount_fen": -5, "reference": "X"}),
            "invalid_amount",
        ),
        (
            json!({"amount_fen": 1_000_000_000_000_000_001i64, "reference": "X"}),
            "invalid_amount",
        ),
        (
            json!({"amount_fen": 5, "reference": "  "}),
            "invalid_reference",
        ),
        (
            json!({"amount_fen": 5, "reference": "X", "received_on": "yesterday"}),
            "invalid_date",
        ),
        (
            json!({"amount_fen": 5, "reference": "X", "received_on": "2099-01-01"}),
            "invalid_date",
        ),
        (
            json!({"amount_fen": 5, "reference": "X", "received_on": "2020-01-01"}),
            "invalid_date",
        ),
        (
            json!({"amount_fen": 5, "reference": "X", "source": "auction"}),
            "invalid_body",
        ),
        (json!({"amount_fen": "5", "reference": "X"}), "invalid_body"),
    ] {
        assert_problem(
            s.post(&s.officer, "/receipts", body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
    }
    for (body, code) in [
        (json!({"party_no": 1, "amount_fen": 0}), "invalid_amount"),
        (json!({"party_no": 1, "amount_fen": -1}), "invalid_amount"),
        (json!({"party_no": 9, "amount_fen": 100}), "unknown_party"),
        (
            json!({"party_no": 3, "amount_fen": 100}),
            "not_an_applicant",
        ),
        (json!({"party_no": -1, "amount_fen": 100}), "invalid_body"),
        (
            json!({"party_no": 1, "amount_fen": 100, "note": "很".repeat(501)}),
            "invalid_note",
        ),
    ] {
        assert_problem(
            s.post(&s.officer, "/payouts", body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
    }
    for (body, code) in [
        (json!({"claims": []}), "no_claims"),
        (
            json!({"claims": [{"party_no": 1, "amount_fen": 100, "rank": "first"}]}),
            "invalid_rank",
        ),
        (
            json!({"claims": [{"party_no": 1, "amount_fen": 0, "rank": "ordinary"}]}),
            "invalid_amount",
        ),
        (
            json!({"claims": [{"party_no": 3, "amount_fen": 100, "rank": "ordinary"}]}),
            "not_an_applicant",
        ),
        (
            json!({"claims": [{"party_no": 1, "amount_fen": 1, "rank": "ordinary"}, {"party_no": 1, "amount_fen": 2, "rank": "ordinary"}]}),
            "duplicate_claim",
        ),
    ] {
        assert_problem(
            s.post(&s.officer, "/distribution", body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
    }
    assert_problem(
        s.decide(&s.head, 99, true, "").await,
        StatusCode::NOT_FOUND,
        "payout_not_found",
    )
    .await;
    assert_problem(
        s.pay(99, "TR").await,
        StatusCode::NOT_FOUND,
        "payout_not_found",
    )
    .await;
    let no = s.proposed(1, 1_000).await;
    assert_problem(
        s.decide(&s.officer, no, true, "").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    s.decide(&s.head, no, true, "").await;
    assert_problem(
        s.pay(no, "").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_reference",
    )
    .await;
    assert_problem(
        s.t.get("/api/v1/cases/999999/account", Some(&s.officer))
            .await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
    assert_problem(
        s.t.get("/api/v1/cases/x/account", Some(&s.officer)).await,
        StatusCode::BAD_REQUEST,
        "invalid_path",
    )
    .await;
    let r =
        s.t.client
            .post(s.t.url(&s.path("/payouts")))
            .bearer_auth(&s.officer)
            .header("content-type", "application/json")
            .body("{\"party_no\": 1,")
            .send()
            .await
            .unwrap();
    assert_problem(r, StatusCode::BAD_REQUEST, "malformed_json").await;
    // Another court's officer does not learn the case exists; a supervisor reads, never acts.
    let stranger = s.t.signed_in("stranger", "b110101", Role::Officer).await;
    assert_problem(
        s.t.get(&s.path(""), Some(&stranger)).await,
        StatusCode::NOT_FOUND,
        "case_not_found",
    )
    .await;
    let sup = s.t.signed_in("sup", COURT, Role::Supervisor).await;
    assert_eq!(
        s.t.get(&s.path(""), Some(&sup)).await.status(),
        StatusCode::OK
    );
    assert_problem(
        s.post(
            &sup,
            "/receipts",
            json!({"amount_fen": 5, "reference": "S"}),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // Nothing of the refused requests was booked.
    let a = s.account().await;
    assert_eq!(
        (
            a["balance_fen"].as_i64(),
            a["receipts"].as_array().unwrap().len()
        ),
        (Some(10_000), 1)
    );
}

#[tokio::test]
async fn a_closed_case_still_books_money_and_pays_it_out() {
    let s = setup().await;
    let r =
        s.t.post_json(
            &format!("/api/v1/cases/{}/closure", s.case_id),
            Some(&s.officer),
            &json!({"mode": "withdrawn", "reason": "申请执行人撤回执行申请"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(s.case().await["status"], "closed");
    // Money that reaches the bank after the closure must still be booked and paid on.
    s.receive(20_000, "LATE-1").await;
    let no = s.proposed(1, 20_000).await;
    assert_eq!(
        s.decide(&s.head, no, true, "").await.status(),
        StatusCode::OK
    );
    assert_eq!(s.pay(no, "TR-1").await.status(), StatusCode::OK);
    let a = s.account().await;
    assert_eq!(
        (a["balance_fen"].as_i64(), a["paid_out_fen"].as_i64()),
        (Some(0), Some(20_000))
    );
    assert_eq!(s.case().await["status"], "closed");
}

#[tokio::test]
async fn the_journal_is_append_only_and_the_routes_are_documented() {
    let s = setup().await;
    s.receive(1_000, "PAY-1").await;
    for sql in [
        "UPDATE fund_postings SET debit = debit + 1",
        "DELETE FROM fund_postings",
        "UPDATE fund_entries SET memo = 'x'",
        "DELETE FROM fund_entries",
    ] {
        let mut tx = s.t.app.store.begin().await.unwrap();
        let r = zhixing_store::on_tx!(tx, c => sqlx::query(sql).execute(c).await.map(|r| r.rows_affected()));
        assert!(r.is_err(), "{sql} must be refused");
    }
    assert_eq!(s.account().await["balance_fen"], 1_000);

    let doc: Value =
        s.t.get("/api/v1/openapi.json", None)
            .await
            .json()
            .await
            .unwrap();
    for path in [
        "/api/v1/cases/{id}/account",
        "/api/v1/cases/{id}/account/receipts",
        "/api/v1/cases/{id}/account/payouts",
        "/api/v1/cases/{id}/account/payouts/{no}/decision",
        "/api/v1/cases/{id}/account/payouts/{no}/paid",
        "/api/v1/cases/{id}/account/distribution",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
}

/// Four eyes on a distribution (参与分配): the plan proposes one payout per share, and none of
/// them is approved by whoever planned it — here a division head, who may both handle cases
/// and approve — but by another division head.
#[tokio::test]
async fn a_distribution_s_payouts_are_not_approved_by_who_planned_it() {
    let s = setup().await;
    s.receive(100_000, "AUC-9").await;
    let r = s
        .post(
            &s.head,
            "/distribution",
            json!({"claims": [
                {"party_no": 1, "amount_fen": 50_000, "rank": "ordinary"},
                {"party_no": 2, "amount_fen": 50_000, "rank": "ordinary"}
            ], "note": "参与分配方案"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let plan: Value = r.json().await.unwrap();
    let first = plan["shares"][0]["payout_no"].as_i64().unwrap();
    assert_problem(
        s.decide(&s.head, first, true, "").await,
        StatusCode::FORBIDDEN,
        "own_proposal",
    )
    .await;
    assert_problem(
        s.decide(&s.head, first, false, "金额有误").await,
        StatusCode::FORBIDDEN,
        "own_proposal",
    )
    .await;
    let other = s.t.signed_in("head2", COURT, Role::DivisionHead).await;
    assert_eq!(
        s.decide(&other, first, true, "").await.status(),
        StatusCode::OK
    );
    assert_eq!(s.account().await["payouts"][0]["status"], "approved");
}
