//! No statement slower than 100 ms in the demo (issue 15, item 6): the demo's data is made
//! (2,000 cases at Beijing's courts, its auctions), then what the running demo does on its own
//! and for the command centre is run once each, in order, with the store's slow-statement
//! threshold at 100 ms — the watch worker's full pass and a pass over what changed since, the
//! dashboards of a basic court, a high court and the nation, their alert lists and indicator
//! API. Any `slow statement` warning fails the test, naming the statement.
//!
//! Its own test program: the warnings are caught by a process-wide log subscriber (sqlx logs
//! SQLite's statements from the connection's own thread), which must see no other test's
//! statements. Nothing runs in the background (no watch worker; the outbox worker sends
//! nothing), so every statement is one the workload asked for, in the same order every run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use zhixing_domain::access::Role;
use zhixing_testkit::{TestApp, test_config};

/// The slowest a statement of the demo may be.
const THRESHOLD: Duration = Duration::from_millis(100);

/// The slow-statement warnings sqlx logged (target `sqlx::query`, level WARN).
#[derive(Clone, Default)]
struct SlowStatements(Arc<Mutex<Vec<String>>>);

#[derive(Default)]
struct Fields(Vec<String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push(format!("{}={value:?}", field.name()));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for SlowStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let m = event.metadata();
        if m.target() == "sqlx::query" && *m.level() == tracing::Level::WARN {
            let mut f = Fields::default();
            event.record(&mut f);
            let said = f.0.join(" ");
            if said.contains("slow statement") {
                self.0.lock().unwrap().push(said);
            }
        }
    }
}

impl SlowStatements {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// Transaction control is left out: a COMMIT's time is the disk's flush (PostgreSQL logs it
/// as a statement, SQLite does not), not something a statement reads.
fn is_transaction_control(said: &str) -> bool {
    ["\"COMMIT\"", "\"ROLLBACK\"", "\"BEGIN"]
        .iter()
        .any(|s| said.contains(&format!("summary={s}")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_workload_runs_no_statement_slower_than_100_ms() {
    let slow = SlowStatements::default();
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry()
            .with(tracing_subscriber::filter::LevelFilter::WARN)
            .with(slow.clone()),
    )
    .expect("the first subscriber of this test program");

    let t = TestApp::spawn_with_store(
        zhixing_server::Config {
            watch_worker: false,
            // The outbox worker looks once, at the start, when there is nothing to send: the
            // re-investigations the workload starts stay queued, sent by no one.
            outbox_poll: Duration::from_secs(86_400),
            ..test_config()
        },
        zhixing_store::StoreOptions {
            slow_statement: THRESHOLD,
        },
    )
    .await;

    // The demo's data, as `zhixing demo` makes it.
    let courts: Vec<String> = t
        .app
        .store
        .courts_under("/spc/h11/", "", 100_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.level == "basic")
        .map(|c| c.id)
        .collect();
    let report = zhixing_fixtures::cases(&t.app, &courts, 2000, 1, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(report.cases, 2000);
    zhixing_fixtures::auctions(&t.app, "b110105", 1)
        .await
        .unwrap();
    // Debtors with cases in several courts, as `generate_cases` adds them.
    zhixing_fixtures::debtors_across_courts(&t.app, &courts, 12, 1)
        .await
        .unwrap();
    // The demo's institutions (banks, registries, platforms), which re-investigations ask.
    let admin = t.signed_in("admin", "spc", Role::Administrator).await;
    let institutions = zhixing_testkit::sim::sim(&t, 24, 0.0).await;
    zhixing_testkit::sim::register_all(&t, &institutions, &admin).await;
    t.user("officer", "b110105", &[Role::Officer]).await;
    t.user("supervisor", "h11", &[Role::Supervisor]).await;
    t.user("national", "spc", &[Role::Supervisor]).await;
    // What making the data took is not the workload (bulk generation, another engineer's).
    let during_generation = slow.take();

    // The watch worker: its first pass reads everything due, the next only what changed.
    let before = t.app.now_us();
    let first = zhixing_app::command_centre::watch::sweep(&t.app)
        .await
        .unwrap();
    assert!(
        first.rechecks_started > 0,
        "the demo has 终本 cases due for re-investigation: {first:?}"
    );
    zhixing_app::command_centre::watch::sweep_changed(&t.app, Some(before))
        .await
        .unwrap();

    // The command centre of a basic court, its high court and the nation.
    for (user, court) in [
        ("officer", "b110105"),
        ("supervisor", "h11"),
        ("national", "spc"),
    ] {
        let cookie = t.page_login(user).await;
        for page in ["/home".to_owned(), format!("/command/courts/{court}")] {
            let (status, _) = t.html(&page, &cookie).await;
            assert_eq!(status, 200, "{page} as {user}");
        }
        let token = t.login(user).await;
        for api in [
            format!("/api/v1/indicators?court={court}"),
            format!("/api/v1/indicators/ranking?court={court}"),
            format!("/api/v1/alerts?court={court}"),
            format!("/api/v1/alerts/summary?court={court}"),
        ] {
            let r = t.get(&api, Some(&token)).await;
            assert_eq!(r.status(), 200, "{api} as {user}");
        }
    }

    // One debtor across courts: among the newest cases at 朝阳, the first debtor's with
    // cases elsewhere (the generator files those last); its related cases and web through the
    // API, the case page, the command centre's view.
    let token = t.login("officer").await;
    let mut newest = None;
    for c in t
        .app
        .store
        .list_cases(&zhixing_store::cases::CaseFilter {
            court_id: "b110105".into(),
            order: zhixing_store::cases::CaseOrder::Newest,
            limit: 40,
            ..Default::default()
        })
        .await
        .unwrap()
    {
        let api = format!("/api/v1/cases/{}/parties/2/related-cases", c.id);
        let v = t.get_value(&api, Some(&token)).await;
        if !v["cases"].as_array().unwrap().is_empty() {
            newest = Some(c);
            break;
        }
    }
    let newest = newest.expect("a debtor with cases in several courts at 朝阳");
    let r = t
        .get(
            &format!("/api/v1/cases/{}/related-parties", newest.id),
            Some(&token),
        )
        .await;
    assert_eq!(r.status(), 200);
    let cookie = t.page_login("officer").await;
    let (status, _) = t.html(&format!("/cases/{}", newest.id), &cookie).await;
    assert_eq!(status, 200);
    let cookie = t.page_login("national").await;
    let (status, html) = t
        .html(&format!("/command/debtors?case={}", newest.number), &cookie)
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("related-count"), "the debtor has other cases");

    let found: Vec<String> = slow
        .take()
        .into_iter()
        .filter(|s| !is_transaction_control(s))
        .collect();
    assert!(
        found.is_empty(),
        "{} statements slower than {THRESHOLD:?} in the demo workload:\n{}\n(while generating: {})",
        found.len(),
        found.join("\n"),
        during_generation.len()
    );
}
