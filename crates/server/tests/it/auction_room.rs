//! The auction room (拍卖厅) over plain HTTP, as a browser uses it: Beijing time and yuan,
//! each bid once, the announcement and special notices; real-name registration from the
//! page (the debtor refused privately, the court's staff and a bad ID number openly, at both
//! doors), the public form token on every post, the deposit recorded by the court, then
//! bids from the page with an idempotency key, refused with the catalogue's words and the
//! figures of the auction, and the preemptive-right holder told they may match.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, assert_problem, form_token_in, set_cookie};

use super::auction::{advance_to, announce, bid, bidder, ok, person_id, plan, priced_house};

const DEBTOR: &str = "110101198001010010";

fn beijing(rfc3339: &str) -> String {
    zhixing_domain::auction::beijing_time(rfc3339.parse().unwrap())
}

/// The room as a browser without cookies gets it: status, body, and the public form's
/// cookie and token.
async fn room(t: &TestApp, id: i64, cookies: &str) -> (StatusCode, String) {
    let r = t
        .client
        .get(t.url(&format!("/public/auctions/{id}")))
        .header("cookie", cookies)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// A fresh browser's public form cookie and the token its room page carries.
async fn public_form(t: &TestApp, id: i64) -> (String, String) {
    let r = t
        .client
        .get(t.url(&format!("/public/auctions/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = set_cookie(&r, "zx_public_form").expect("the room sets the public form cookie");
    let token = form_token_in(&r.text().await.unwrap()).expect("a form token in the room");
    (cookie, token)
}

/// Posts the room's registration form: status, the bidder cookie it set, body.
async fn register_on_page(
    t: &TestApp,
    id: i64,
    cookies: &str,
    token: Option<&str>,
    name: &str,
    idn: &str,
) -> (StatusCode, Option<String>, String) {
    let mut fields = vec![("real_name", name), ("id_number", idn)];
    if let Some(tok) = token {
        fields.push(("csrf_token", tok));
    }
    let r = t
        .client
        .post(t.url(&format!("/public/auctions/{id}/register")))
        .header("cookie", cookies)
        .form(&fields)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let bidder = set_cookie(&r, &format!("zx_bidder_{id}"));
    (status, bidder, r.text().await.unwrap())
}

/// Sends a bid as the room's script does: JSON answer.
async fn bid_on_page(
    t: &TestApp,
    id: i64,
    cookies: &str,
    token: &str,
    key: &str,
    amount: &str,
) -> (StatusCode, Value) {
    let r = t
        .client
        .post(t.url(&format!("/public/auctions/{id}/bid")))
        .header("cookie", cookies)
        .header("accept", "application/json")
        .header("x-csrf-token", token)
        .header("idempotency-key", key)
        .form(&[("amount", amount)])
        .send()
        .await
        .unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| json!({"raw": text})),
    )
}

/// The bid log's rows, newest first, as the page lists them.
fn log_rows(page: &str) -> Vec<&str> {
    let start = page.find("id=\"bid-log-body\"").expect("a bid log");
    let body = &page[start..page[start..].find("</tbody>").unwrap() + start];
    body.split("<tr class=\"bid\"").skip(1).collect()
}

#[tokio::test]
async fn the_room_shows_beijing_time_yuan_the_notices_and_each_bid_once() {
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id = a["id"].as_i64().unwrap();
    let (_, t1) = bidder(&f, id, 1).await;
    let (_, t2) = bidder(&f, id, 2).await;
    advance_to(t, a["starts_at"].as_str().unwrap());
    ok(bid(t, id, &t1, "a", 70_000_000).await, StatusCode::CREATED).await;
    ok(bid(t, id, &t2, "b", 71_000_000).await, StatusCode::CREATED).await;

    let (s, page) = room(t, id, "").await;
    assert_eq!(s, StatusCode::OK);
    // Money as ¥1,234.50, never with 元 as well.
    for figure in [
        "¥1,000,000.00",
        "¥700,000.00",
        "¥10,000.00",
        "¥70,000.00",
        "¥710,000.00",
    ] {
        assert!(page.contains(figure), "{figure} in the room");
    }
    assert!(!page.contains(" 元"), "no ¥ … 元");
    // Times in Beijing time to the second; no RFC 3339, no fractions of a second.
    assert!(page.contains(&beijing(a["starts_at"].as_str().unwrap())));
    assert!(page.contains(&beijing(a["ends_at"].as_str().unwrap())));
    let rfc = regex_lite(&page);
    assert!(rfc.is_none(), "an RFC 3339 time in the page: {rfc:?}");
    // The round once.
    let h1 = &page[page.find("id=\"auction-title\"").unwrap()..];
    let h1 = &h1[..h1.find("</h1>").unwrap()];
    assert_eq!(h1.matches("一拍").count(), 1, "{h1}");
    // Each bid once, newest first, bidders by number only.
    let rows = log_rows(&page);
    assert_eq!(rows.len(), 2);
    assert!(rows[0].contains("¥710,000.00") && rows[0].contains("P0002"));
    assert!(rows[1].contains("¥700,000.00") && rows[1].contains("P0001"));
    assert!(!page.contains("竞买人1") && !page.contains(&person_id(1)));
    // The feed opens after the log position the page shows.
    let after = {
        let at = page.find("data-after=\"").unwrap() + "data-after=\"".len();
        page[at..at + page[at..].find('"').unwrap()]
            .parse::<i64>()
            .unwrap()
    };
    assert!(after >= 2);
    // What is sold, the announcement and the special notices; no files, said so.
    assert!(page.contains("朝阳区某小区1号楼101室"));
    assert!(page.contains("id=\"announcement\"") && page.contains("拍卖公告"));
    assert!(page.contains("标的物瑕疵") && page.contains("优先购买权"));
    assert!(page.contains("法院未上传标的物照片或文件"));
    // The extension rule with its citation from the rule book.
    assert!(
        page.contains("法释〔2016〕18号"),
        "the extension rule's citation"
    );
    // The list shows Beijing time too.
    let (_, list) = room_list(t).await;
    assert!(regex_lite(&list).is_none());
    assert!(list.contains("¥700,000.00"));

    // The feed from the page's position sends only what comes after.
    let mut feed = t
        .client
        .get(t.url(&format!("/public/v1/auctions/{id}/events?after={after}")))
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    ok(bid(t, id, &t1, "c", 72_000_000).await, StatusCode::CREATED).await;
    let mut text = String::new();
    while !text.contains("event: bid") || !text.contains("\n\n") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), feed.chunk())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(text.contains("\"amount_fen\":72000000"), "{text}");
    assert!(!text.contains("\"amount_fen\":70000000"), "{text}");
    assert!(!text.contains("\"amount_fen\":71000000"), "{text}");
}

async fn room_list(t: &TestApp) -> (StatusCode, String) {
    let r = t
        .client
        .get(t.url("/public/auctions"))
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The first RFC 3339 time (`2026-12-03T05:41:19…`) in a page, if any.
fn regex_lite(page: &str) -> Option<String> {
    let b = page.as_bytes();
    (0..b.len().saturating_sub(13)).find_map(|i| {
        let w = &b[i..i + 13];
        let digits = |r: std::ops::Range<usize>| w[r].iter().all(u8::is_ascii_digit);
        (digits(0..4)
            && w[4] == b'-'
            && digits(5..7)
            && w[7] == b'-'
            && digits(8..10)
            && w[10] == b'T'
            && digits(11..13))
        .then(|| String::from_utf8_lossy(w).into_owned())
    })
}

#[tokio::test]
async fn a_bidder_registers_pays_and_bids_from_the_page() {
    let f = priced_house().await;
    let t = &f.t;
    let a = ok(announce(&f, &plan(t)).await, StatusCode::CREATED).await;
    let id = a["id"].as_i64().unwrap();
    let (form_cookie, token) = public_form(t, id).await;

    // Every post carries the public form token, and comes from the platform's own page.
    let (s, _, _) = register_on_page(t, id, &form_cookie, None, "王五", &person_id(5)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no token");
    let (s, _, _) = register_on_page(t, id, "", Some(&token), "王五", &person_id(5)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a token without its cookie");
    let r = t
        .client
        .post(t.url(&format!("/public/auctions/{id}/register")))
        .header("cookie", &form_cookie)
        .header("origin", "http://evil.example")
        .form(&[
            ("real_name", "王五"),
            ("id_number", &person_id(5)),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "another site");

    // A bad ID number: refused beside the form, which keeps what was typed.
    let (s, cookie, page) = register_on_page(
        t,
        id,
        &form_cookie,
        Some(&token),
        "王五",
        "110102197001010011",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(cookie.is_none());
    assert!(
        page.contains("请填写有效的居民身份证号码或统一社会信用代码"),
        "{page}"
    );
    assert!(page.contains("value=\"王五\""));

    // The court's own staff, signed in: refused openly at both doors.
    t.user("officer9", "b110105", &[Role::Officer]).await;
    let session = t.page_login("officer9").await;
    let (s, cookie, page) = register_on_page(
        t,
        id,
        &format!("{form_cookie}; {session}"),
        Some(&token),
        "王执行",
        &person_id(9),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(cookie.is_none());
    assert!(
        page.contains("法院工作人员不得竞买本院拍卖的财产"),
        "{page}"
    );
    assert_problem(
        t.post_json(
            &format!("/public/v1/auctions/{id}/bidders"),
            Some(&f.officer),
            &json!({"real_name": "王执行", "id_number": person_id(9)}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "court_staff_may_not_bid",
    )
    .await;

    // The same member of staff, not signed in, from the public portal: known by the ID
    // number their administrator recorded, and refused as privately as the debtor.
    let admin = t.signed_in("admin9", "b110105", Role::Administrator).await;
    let staff_id: i64 = t
        .raw_text("SELECT CAST(id AS TEXT) FROM users WHERE username = 'officer9'")
        .await
        .parse()
        .unwrap();
    let r = t
        .req(
            reqwest::Method::PUT,
            &format!("/api/v1/users/{staff_id}/identity"),
            Some(&admin),
            Some(&json!({"id_number": person_id(9)})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (s, staff, _) =
        register_on_page(t, id, &form_cookie, Some(&token), "王执行", &person_id(9)).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "the answer looks like any other");
    let (_, page) = room(t, id, &format!("{form_cookie}; {}", staff.unwrap())).await;
    assert!(
        page.contains("报名未通过：法院工作人员不得竞买本院拍卖的财产。"),
        "{page}"
    );

    // The debtor: the answer looks like any other, the refusal is told to this browser only.
    let (s, debtor, _) = register_on_page(t, id, &form_cookie, Some(&token), "李四", DEBTOR).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let debtor = debtor.expect("a bidder cookie");
    let (_, page) = room(t, id, &format!("{form_cookie}; {debtor}")).await;
    assert!(
        page.contains("报名未通过：被执行人不得竞买本案财产。"),
        "{page}"
    );
    let (_, stranger) = room(t, id, "").await;
    assert!(!stranger.contains("被执行人不得竞买本案财产"));

    // A citizen registers; the deposit waits for the court's confirmation.
    let (s, mine, _) =
        register_on_page(t, id, &form_cookie, Some(&token), "王五", &person_id(5)).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let cookies = format!("{form_cookie}; {}", mine.unwrap());
    let (_, page) = room(t, id, &cookies).await;
    assert!(page.contains("您的竞买号"), "{page}");
    assert!(page.contains("尚未确认到账"));
    assert!(!page.contains("id=\"bid-form\""));
    let paddle: u64 = {
        let at = page.find("data-paddle=\"").unwrap() + "data-paddle=\"".len();
        page[at..at + page[at..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    // Where to pay it: the case's own account, with a reference that names the bidder number.
    let account = t
        .get_value(
            &format!("/api/v1/cases/{}/account", f.case_id),
            Some(&f.officer),
        )
        .await;
    let number = account["payment_account"]["account_number"]
        .as_str()
        .unwrap();
    assert!(
        page.contains(&format!("id=\"deposit-account-number\">{number}<")),
        "{page}"
    );
    assert!(page.contains(&format!("拍卖保证金 P{paddle:04}")), "{page}");
    ok(
        t.post_json(
            &format!("/api/v1/auctions/{id}/deposits"),
            Some(&f.officer),
            &json!({"paddle": paddle, "amount_fen": 7_000_000, "reference": "BANK-5"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    // The room's script reads this browser's registration, and only with its cookie.
    let me = |c: String| {
        let t = &t;
        async move {
            t.client
                .get(t.url(&format!("/public/auctions/{id}/me")))
                .header("cookie", c)
                .send()
                .await
                .unwrap()
        }
    };
    let v = ok(me(cookies.clone()).await, StatusCode::OK).await;
    assert_eq!(v["deposit_paid"], true, "{v}");
    assert_eq!(v["next_min_fen"], 70_000_000);
    assert_problem(
        me(form_cookie.clone()).await,
        StatusCode::UNAUTHORIZED,
        "invalid_bidder_token",
    )
    .await;
    let (_, other) = bidder(&f, id, 1).await;

    // Before bidding opens: refused with the start time in Beijing time.
    let (s, v) = bid_on_page(t, id, &cookies, &token, "k0", "700000").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["accepted"], false);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains(&beijing(a["starts_at"].as_str().unwrap())),
        "{v}"
    );

    advance_to(t, a["starts_at"].as_str().unwrap());
    let (_, page) = room(t, id, &cookies).await;
    assert!(page.contains("id=\"bid-form\""));
    assert!(
        page.contains("最低可出价 <strong id=\"next-min\">¥700,000.00</strong>"),
        "{page}"
    );

    // A bid without the token is refused; with it, accepted once for its key.
    let (s, _) = bid_on_page(t, id, &cookies, "", "k1", "700000").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = bid_on_page(t, id, &cookies, &token, "k1", "700000").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["accepted"], true);
    assert!(v["message"].as_str().unwrap().contains("¥700,000.00"));
    let (s, _) = bid_on_page(t, id, &cookies, &token, "k1", "700000").await;
    assert_eq!(s, StatusCode::OK, "the same key is answered once");
    // Through the API door, the same log.
    let view = t
        .get_value(&format!("/public/v1/auctions/{id}"), None)
        .await;
    assert_eq!(view["bids"].as_array().unwrap().len(), 1);

    // Outbid; a bid under the increment is refused with the figures of this auction.
    ok(
        bid(t, id, &other, "o1", 71_000_000).await,
        StatusCode::CREATED,
    )
    .await;
    let (s, v) = bid_on_page(t, id, &cookies, &token, "k2", "715000").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["code"], "bid_below_increment");
    assert_eq!(
        v["message"],
        "出价未被接受：出价不得低于 ¥720,000.00（当前价 ¥710,000.00 加加价幅度 ¥10,000.00）。"
    );
    let (s, v) = bid_on_page(t, id, &cookies, &token, "k2", "七十万").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    // The court confirms this bidder's preemptive right: the room says they may match.
    ok(
        t.post_json(
            &format!("/api/v1/auctions/{id}/preemptive-holders"),
            Some(&f.officer),
            &json!({"paddle": paddle, "rank": 1}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let (_, page) = room(t, id, &cookies).await;
    assert!(page.contains("优先购买权人，第 1 顺位"), "{page}");
    let matching = &page[page.find("id=\"may-match\"").unwrap()..];
    assert!(
        !matching[..matching.find('>').unwrap()].contains("hidden"),
        "{matching}"
    );
    assert!(matching.contains("¥710,000.00"));
    let (s, v) = bid_on_page(t, id, &cookies, &token, "k3", "710000").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let view = t
        .get_value(&format!("/public/v1/auctions/{id}"), None)
        .await;
    assert_eq!(view["bids"][2]["preemptive"], true);

    // Without the script, the form posts and the room answers beside the bid box.
    let r = t
        .client
        .post(t.url(&format!("/public/auctions/{id}/bid")))
        .header("cookie", &cookies)
        .form(&[("amount", "700000"), ("key", "k4"), ("csrf_token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("出价未被接受"), "{page}");
}
