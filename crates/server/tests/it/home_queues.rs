//! The home page as a work queue for those who supervise (issue 12, item 1): a supervisor's
//! open alerts by kind, each opening the list behind it, and the 督办 their court issued —
//! awaiting a reply (overdue first) or replied and awaiting their decision; the court that
//! received an order sees it until it answers; the navigation counts what waits.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_app::command_centre::watch::sweep;
use zhixing_domain::access::Role;
use zhixing_server::Config;
use zhixing_testkit::TestApp;

const BASIC: &str = "b110105";
const INTERMEDIATE: &str = "i1103";

use super::alerts::at;

/// The text of the element with `id` in `html` (up to the next element of its kind's end).
fn section<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!("id=\"{id}\""))?;
    let rest = &html[start..];
    Some(rest.find("</section>").map_or(rest, |end| &rest[..end]))
}

/// The navigation's count `id` as the fragment the layout fetches gives it.
fn count(fragment: &str, id: &str) -> usize {
    let start = fragment
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id} in {fragment}"));
    let rest = &fragment[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest.find("</span>").unwrap();
    let text = rest[open..close].trim();
    if text.is_empty() {
        0
    } else {
        text.parse().unwrap()
    }
}

#[tokio::test]
async fn a_supervisor_and_the_court_below_see_what_waits_on_each_and_the_navigation_counts_it() {
    let t = TestApp::spawn_with(Config {
        watch_worker: false,
        ..zhixing_testkit::test_config()
    })
    .await;
    at(&t, "2026-03-02");
    let officer = t.signed_in("officer1", BASIC, Role::Officer).await;
    let sup_token = t.signed_in("sup1", INTERMEDIATE, Role::Supervisor).await;
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初301号",
                  "effective_date": "2026-01-05", "performance_deadline": "2026-01-20"},
        "amounts": {"principal": 1_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(&officer), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let case = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // Weeks later the case's first deadlines have passed: the watch raises its alerts.
    at(&t, "2026-04-20");
    sweep(&t.app).await.unwrap();
    let officer_page = t.page_login("officer1").await;
    let sup = t.page_login("sup1").await;

    // The supervisor's open alerts, by kind, the same figures as the API's summary, each a
    // link to the list behind it.
    let summary = t
        .get_value("/api/v1/alerts/summary", Some(&sup_token))
        .await;
    let total: i64 = summary["total"]["by_kind"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_i64().unwrap())
        .sum();
    assert!(total > 0, "the overdue case raised alerts: {summary}");
    let (_, home) = t.html("/home", &sup).await;
    let alerts = section(&home, "queue-alerts").expect("the supervisor's alert queue");
    assert!(alerts.contains(&format!("{total} 条")), "{alerts}");
    for (kind, n) in summary["total"]["by_kind"].as_object().unwrap() {
        assert!(
            alerts.contains(&format!("href=\"/alerts?kind={kind}\"")),
            "{kind} opens its list: {alerts}"
        );
        assert!(
            alerts.contains(&format!("<strong>{n}</strong>")),
            "{alerts}"
        );
    }
    assert!(alerts.contains("节点超期"), "kinds in Chinese: {alerts}");
    // An officer has no alert queue of the subtree.
    let (_, officer_home) = t.html("/home", &officer_page).await;
    assert!(section(&officer_home, "queue-alerts").is_none());
    let (_, nav) = t.html("/nav/counts", &sup).await;
    assert_eq!(
        count(&nav, "count-command"),
        usize::try_from(total).unwrap()
    );

    // An order issued about the case: the supervisor waits on the court below, which sees it.
    let deadline = "2026-04-27";
    let (status, _, _) = t
        .form(
            &format!("/cases/{case}/supervisions"),
            &sup,
            &[
                ("title", "长期未启动网络查控"),
                ("instructions", "请说明原因并于期限内查控"),
                ("deadline", deadline),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, home) = t.html("/home", &sup).await;
    let queue = section(&home, "queue-supervisions").unwrap();
    let waiting = queue.split("待下级法院回复").nth(1).unwrap();
    assert!(waiting.contains("长期未启动网络查控"), "{queue}");
    assert!(
        !queue
            .split("待下级法院回复")
            .next()
            .unwrap()
            .contains("长期未启动网络查控")
    );
    let (_, officer_home) = t.html("/home", &officer_page).await;
    let received = section(&officer_home, "queue-supervisions-received").unwrap();
    assert!(
        received.contains("长期未启动网络查控")
            && received.contains(&format!("/cases/{case}#command")),
        "{received}"
    );
    let (_, nav) = t.html("/nav/counts", &officer_page).await;
    assert_eq!(count(&nav, "count-supervisions"), 1);
    let (_, nav) = t.html("/nav/counts", &sup).await;
    assert_eq!(
        count(&nav, "count-supervisions"),
        0,
        "nothing to decide yet"
    );

    // The court below answers: the order moves to the supervisor's decision, off its queue.
    let orders = t
        .get_value("/api/v1/supervisions?direction=received", Some(&officer))
        .await;
    let id = orders[0]["id"].as_i64().unwrap();
    let (status, _, _) = t
        .form(
            &format!("/cases/{case}/supervisions/{id}/reply"),
            &officer_page,
            &[("text", "已于今日发起网络查控")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, home) = t.html("/home", &sup).await;
    let queue = section(&home, "queue-supervisions").unwrap();
    let (to_decide, waiting) = queue.split_once("待下级法院回复").unwrap();
    assert!(to_decide.contains("长期未启动网络查控"), "{queue}");
    assert!(!waiting.contains("长期未启动网络查控"), "{queue}");
    let (_, nav) = t.html("/nav/counts", &sup).await;
    assert_eq!(count(&nav, "count-supervisions"), 1);
    let (_, officer_home) = t.html("/home", &officer_page).await;
    assert!(section(&officer_home, "queue-supervisions-received").is_none());
    let (_, nav) = t.html("/nav/counts", &officer_page).await;
    assert_eq!(count(&nav, "count-supervisions"), 0);

    // The layout asks for the counts once the page has loaded, and the links carry them.
    assert!(home.contains("hx-get=\"/nav/counts\""));
    assert!(home.contains("id=\"count-supervisions\""));
}

#[tokio::test]
async fn the_navigation_counts_are_for_the_signed_in_only() {
    let t = TestApp::spawn().await;
    let r = t.client.get(t.url("/nav/counts")).send().await.unwrap();
    assert_ne!(r.status(), StatusCode::OK);
    assert!(!r.text().await.unwrap().contains("count-home"));
}
