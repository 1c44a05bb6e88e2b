//! English mode is complete: every page family, fetched over HTTP by the role that uses it
//! with the `zx_lang=en` cookie, shows no Chinese once the data is taken out (court and party
//! names, case and document numbers, addresses — what the test and the fixtures wrote); and
//! the same pages without the cookie still speak Chinese. The watch worker runs, and the case
//! carries the alerts it raises (deadlines, an untouched case, a measure ending, a document
//! unserved, a complaint, a review, a supervision order and an entrusted task overdue): an
//! alert is worded on the page from its code and parameters. The party's own page shows a
//! timeline, a measure and a review.

use regex::Regex;
use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;

const COURT: &str = "b110105";

/// The visible words of a page: its text (outside scripts and styles) and the attributes a
/// reader meets (title, aria-label, placeholder, alt), entities left as they are.
fn visible(html: &str) -> String {
    let scripts = Regex::new(r"(?s)<(script|style)[^>]*>.*?</(script|style)>").unwrap();
    let html = scripts.replace_all(html, " ");
    let attrs = Regex::new(r#"\s(?:title|aria-label|placeholder|alt)="([^"]*)""#).unwrap();
    let tags = Regex::new(r"(?s)<[^>]*>").unwrap();
    let mut out = String::new();
    for tag in tags.find_iter(&html) {
        for c in attrs.captures_iter(tag.as_str()) {
            out.push_str(&c[1]);
            out.push('\n');
        }
    }
    out.push_str(&tags.replace_all(&html, "\n"));
    out
}

/// What is left of `text` once the data is taken out: names of courts (…法院), case and
/// document numbers, and the strings the test wrote.
fn without_data(text: &str, data: &[&str], rules: &[String]) -> String {
    let mut text = text.to_owned();
    for d in data {
        text = text.replace(d, " ");
    }
    for d in rules {
        text = text.replace(d.as_str(), " ");
    }
    let numbers = Regex::new(r"[(（]\d{4}[)）][\p{Han}\d]*号").unwrap();
    let text = numbers.replace_all(&text, " ");
    // Court codes such as (京0105), and the case types (执, 执恢…), which are Chinese by law.
    let codes = Regex::new(r"[(（]?\p{Han}\d{4}[)）]?").unwrap();
    let text = codes.replace_all(&text, " ");
    let types = Regex::new(r"(?m)(^|\s)执[恢保异复监协他]?(\s|$)").unwrap();
    let text = types.replace_all(&text, " ");
    let text = types.replace_all(&text, " ");
    let courts = Regex::new(r"\p{Han}*法院").unwrap();
    let numbers = Regex::new(r"[(（]\d{4}[)）][\p{Han}\d]*号").unwrap();
    let text = numbers.replace_all(&text, " ");
    courts.replace_all(&text, " ").into_owned()
}

/// Each run of Chinese left, with a little of what surrounds it.
fn chinese_left(text: &str) -> Vec<String> {
    let han = Regex::new(r"[\p{Han}][\p{Han}\p{P}\s\d]*").unwrap();
    han.find_iter(text)
        .map(|m| {
            let from = text[..m.start()]
                .char_indices()
                .rev()
                .nth(20)
                .map_or(0, |(i, _)| i);
            let to = text[m.end()..]
                .char_indices()
                .nth(20)
                .map_or(text.len(), |(i, _)| m.end() + i);
            text[from..to]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The data this test files: the parties, the judgment, the property.
const DATA: &[&str] = &[
    "张三",
    "李四",
    "北京某某贸易有限公司",
    "王五",
    "朝阳区某小区1号楼101室",
    "京(2020)朝阳区不动产权第0001号",
    // What the test typed: a payment's note, a review's grounds, a complaint, a supervision
    // order, an entrusted task.
    "被执行人部分履行",
    "查封的房屋为唯一住房",
    "申请执行人反映执行款迟迟未发放",
    "财产处置迟缓",
    "请于期限内查明未处置原因并报送处置计划",
    "名下石家庄某银行账户",
    "冻结金额以",
    "元为限",
    // The testkit's proof of service (a file name), and the tail of the certificate number
    // the party view shows.
    "送达回证.pdf",
    "001号",
    // The case account's name as the bank holds it (the court's name and 执行款专户): a
    // payer types it exactly, so it stays Chinese in English too.
    "执行款专户",
    // Fixtures: the demo regional rule's note, the real-estate registry, the example case
    // number of the search box, the notice of acceptance the filing makes.
    "演示规则，非真实条文：仅用于展示地区规则覆盖全国规则的机制",
    "北京市不动产登记中心",
    "执50",
    "受理案件通知书",
    // The testkit's users' display names.
    "测试",
    // The link back to Chinese is named in Chinese.
    "中文",
];

/// The rule book's own words (citations, sources, terms in titles): data the fixtures hold.
fn rule_book_words() -> Vec<String> {
    fn strings(v: &toml::Value, out: &mut Vec<String>) {
        match v {
            toml::Value::String(s) if s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) => {
                out.push(s.clone());
            }
            toml::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            toml::Value::Table(t) => t.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules");
    let mut out = Vec::new();
    for dir in [root.to_owned(), format!("{root}/calendar")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                strings(&text.parse::<toml::Value>().unwrap(), &mut out);
            }
        }
    }
    // Longest first, so that a citation goes before a term it contains.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

async fn file(t: &TestApp, token: &str) -> (i64, String, Vec<String>) {
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(token),
            &json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"},
                    {"role": "respondent", "kind": "organisation", "name": "北京某某贸易有限公司", "credit_code": "91350100M000100Y43", "legal_representative": "王五"}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初31号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 150_000_000}
            }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let codes = v["access_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect();
    (
        v["id"].as_i64().unwrap(),
        v["number"].as_str().unwrap().to_owned(),
        codes,
    )
}

/// A page in English and in Chinese: the English has no Chinese but the data; the Chinese
/// has `zh` (one of its labels).
async fn check(t: &TestApp, cookie: &str, path: &str, zh: &str, failures: &mut Vec<String>) {
    let english = format!("{cookie}; zx_lang=en");
    let (status, html) = t.html(path, &english).await;
    assert!(
        status == StatusCode::OK,
        "{path} in English: {status}\n{html}"
    );
    assert!(html.contains("lang=\"en\""), "{path}: not marked English");
    let left = chinese_left(&without_data(&visible(&html), DATA, &rule_book_words()));
    if !left.is_empty() {
        failures.push(format!("{path}:\n    {}", left.join("\n    ")));
    }
    let (status, html) = t.html(path, cookie).await;
    assert_eq!(status, StatusCode::OK, "{path} in Chinese");
    if !html.contains(zh) {
        failures.push(format!("{path} in Chinese lacks {zh}"));
    }
}

/// The open alerts of a case, by kind.
async fn alert_kinds(t: &TestApp, token: &str, id: i64) -> Vec<String> {
    let v = t
        .get_value(&format!("/api/v1/cases/{id}/alerts"), Some(token))
        .await;
    let mut kinds: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|a| a["kind"].as_str().unwrap_or_default().to_owned())
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

async fn created(r: reqwest::Response) -> Value {
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert!(status.is_success(), "{status}: {v}");
    v
}

#[tokio::test]
async fn every_page_family_is_english_when_english_is_picked_and_chinese_otherwise() {
    // With the watch worker: the alerts it raises are worded on the page in its language.
    let t = TestApp::spawn().await;
    let token = t.signed_in("officer1", COURT, Role::Officer).await;
    let (id, number, codes) = file(&t, &token).await;
    let asset = t
        .seized_asset(
            id,
            COURT,
            "real_estate",
            "京(2020)朝阳区不动产权第0001号",
            "朝阳区某小区1号楼101室",
            120_000_000,
        )
        .await;
    assert!(asset > 0);
    let today = t.app.today();
    let in_days = |n: i64| today.saturating_add(jiff::Span::new().days(n)).to_string();

    // The party's timeline: the notice issued, the enforcement notice served (the order to
    // report property left unserved: an alert), a payment.
    let r = t
        .post_json(
            &format!("/api/v1/cases/{id}/actions"),
            Some(&token),
            &json!({"action": "notice_issued", "perform_days": 7, "report_days": 10}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    t.serve_documents(&token, id, &["enforcement_notice"]).await;
    created(
        t.post_json(
            &format!("/api/v1/cases/{id}/payments"),
            Some(&token),
            &json!({"amount": 10_000_000, "note": "被执行人部分履行"}),
        )
        .await,
    )
    .await;
    // A review of the seizure, a complaint, a supervision order from the intermediate court
    // and a task entrusted to a court in Hebei: each overdue once the clock has moved on.
    let seizure: i64 = t
        .raw_text(&format!(
            "SELECT CAST(id AS TEXT) FROM measures WHERE case_id = {id}"
        ))
        .await
        .parse()
        .unwrap();
    created(
        t.post_json(
            &format!("/api/v1/cases/{id}/reviews"),
            Some(&token),
            &json!({"kind": "act_objection", "challenged": "measure", "challenged_id": seizure,
                    "applicant": "李四", "grounds": "查封的房屋为唯一住房"}),
        )
        .await,
    )
    .await;
    created(
        t.post_json(
            &format!("/api/v1/cases/{id}/complaints"),
            Some(&token),
            &json!({"channel": "hotline", "complainant": "张三",
                    "summary": "申请执行人反映执行款迟迟未发放", "received_on": today.to_string()}),
        )
        .await,
    )
    .await;
    let issuer = t.signed_in("sup_i", "i1103", Role::Supervisor).await;
    created(
        t.post_json(
            "/api/v1/supervisions",
            Some(&issuer),
            &json!({"court": COURT, "case_id": id, "title": "财产处置迟缓",
                    "instructions": "请于期限内查明未处置原因并报送处置计划", "deadline": in_days(5)}),
        )
        .await,
    )
    .await;
    created(
        t.post_json(
            &format!("/api/v1/cases/{id}/entrusted-tasks"),
            Some(&token),
            &json!({"to_court": "b130102", "act": "freeze",
                    "target": "李四名下石家庄某银行账户 6222****1234", "instructions": "冻结金额以 10,000 元为限"}),
        )
        .await,
    )
    .await;

    // Sixty days on, the seizure ending in three days.
    t.clock.advance(std::time::Duration::from_secs(60 * 86_400));
    let later = t
        .app
        .today()
        .saturating_add(jiff::Span::new().days(3))
        .to_string();
    t.raw_exec(&format!(
        "UPDATE measures SET until = '{later}' WHERE id = {seizure}"
    ))
    .await;
    zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    let token = t.login("officer1").await;
    let raised = alert_kinds(&t, &token, id).await;
    for kind in [
        "case_untouched",
        "complaint_overdue",
        "document_unserved",
        "entrusted_overdue",
        "measure_expiring",
        "node_overdue",
        "review_overdue",
        "supervision_overdue",
    ] {
        assert!(
            raised.iter().any(|k| k == kind),
            "no {kind} among {raised:?}"
        );
    }

    for (user, court, role) in [
        ("head1", COURT, Role::DivisionHead),
        ("sup1", COURT, Role::Supervisor),
        ("admin1", COURT, Role::Administrator),
        ("audit1", COURT, Role::Auditor),
        // The court the task was entrusted to: its alert names the task it received.
        ("sup_hebei", "b130102", Role::Supervisor),
    ] {
        t.user(user, court, &[role]).await;
    }
    let officer = t.page_login("officer1").await;
    let head = t.page_login("head1").await;
    let sup = t.page_login("sup1").await;
    let admin = t.page_login("admin1").await;
    let auditor = t.page_login("audit1").await;
    let issuer = t.page_login("sup_i").await;
    let hebei = t.page_login("sup_hebei").await;
    let none = "";

    let mut failures = Vec::new();
    let case = format!("/cases/{id}");
    let closure = format!("/cases/{id}/closure?mode=fully_performed");
    let pages: Vec<(&str, &str, &str)> = vec![
        (&officer, "/home", "我承办的案件"),
        (&head, "/home", "待审批"),
        (&sup, "/home", "预警"),
        (&admin, "/home", "待办"),
        (&auditor, "/home", "首页"),
        (&officer, "/cases", "立案日期"),
        (&officer, &case, "流程记录"),
        (&officer, &case, "到期，剩"),
        (&officer, "/cases/new", "申请执行人"),
        (&officer, &closure, "结案理由"),
        (&sup, "/command", "考核指标"),
        (&sup, "/alerts", "预警类型"),
        (&sup, "/alerts", "已逾期"),
        (&sup, "/alerts?kind=node_overdue", "尚未完成"),
        (&issuer, "/alerts", "未回复"),
        (&hebei, "/alerts", "受托"),
        (&officer, "/supervisions", "督办"),
        (&officer, "/entrusted", "委托"),
        (&officer, "/complaints", "执行信访"),
        (&officer, "/listings", "失信"),
        (&officer, "/auctions", "司法拍卖"),
        (&admin, "/users", "新建账号"),
        (&officer, "/account/password", "修改密码"),
        (&officer, "/rules", "规则"),
        (&admin, "/rules", "规则库变更"),
        (&auditor, "/audit", "审计"),
        (&admin, "/sharing", "数据共享协议"),
        (&admin, "/institutions", "协助执行机构"),
        (&officer, "/announcements/new", "发布法院公告"),
        (&officer, "/courts", "法院"),
        (none, "/public", "执行公开服务"),
        (none, "/public/case", "当事人查询"),
        (none, "/public/dishonest", "失信被执行人"),
        (none, "/public/restricted", "限制消费"),
        (none, "/public/announcements", "公告"),
        (none, "/public/zhongben", "终结本次执行"),
        (none, "/public/auctions", "网络司法拍卖"),
        (none, "/public/case/receipt", "回执号"),
    ];
    for (cookie, path, zh) in pages {
        check(&t, cookie, path, zh, &mut failures).await;
    }

    // The alerts are worded in English, not merely stripped of Chinese.
    let english = format!("{sup}; zx_lang=en");
    let (_, alerts) = t.html("/alerts", &english).await;
    for words in [
        "and is not done",
        "Nothing has been done on the case since",
        "Measure “Seal” ends on",
        "Complaint (Hotline, received",
        "Objection to an enforcement act case",
        "is still not served on",
    ] {
        if !alerts.contains(words) {
            failures.push(format!("/alerts in English lacks {words}"));
        }
    }
    let (_, received) = t.html("/alerts", &format!("{hebei}; zx_lang=en")).await;
    if !received.contains("entrusted to this court") {
        failures.push("the receiving court's alert is not in English".into());
    }

    // The party's own view of the case, opened with the case number and the code: the
    // applicant's (the measure, the payment), then a respondent's (the service).
    for (code, cookie, zh) in [
        (&codes[0], "zx_lang=en", None),
        (&codes[1], "zx_lang=en", None),
        (&codes[0], "", Some("履行 ¥100,000.00 元")),
        (&codes[1], "", Some("送达：执行通知书（直接送达）")),
    ] {
        let r = t
            .client
            .post(t.url("/public/case"))
            .header("cookie", cookie)
            .form(&[("case_number", number.as_str()), ("code", code.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let html = r.text().await.unwrap();
        match zh {
            None => {
                let shown: &[&str] = if code == &codes[0] {
                    &[
                        "Payment of ¥100,000.00",
                        "Real estate (",
                        "Objection to an enforcement act",
                    ]
                } else {
                    &["Served: Enforcement notice ("]
                };
                for shown in shown {
                    if !html.contains(shown) {
                        failures.push(format!("the party view in English lacks {shown}"));
                    }
                }
                let left = chinese_left(&without_data(&visible(&html), DATA, &rule_book_words()));
                if !left.is_empty() {
                    failures.push(format!("party view:\n    {}", left.join("\n    ")));
                }
            }
            Some(zh) => assert!(html.contains(zh), "the party view in Chinese lacks {zh}"),
        }
    }
    assert!(
        failures.is_empty(),
        "Chinese left in English mode:\n{}",
        failures.join("\n")
    );
}
