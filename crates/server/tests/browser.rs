//! A real browser (Debian's headless Chromium over WebDriver) signs in and uses the pages.
//! Runs when chromedriver is installed; `ZHIXING_REQUIRE_BROWSER=1` (set by CI) makes a
//! missing browser a failure instead of a skip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{PASSWORD, TestApp};
use fantoccini::{ClientBuilder, Locator};
use zhixing_domain::access::Role;

struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromedriver() -> Option<&'static str> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

async fn start_browser() -> Option<(Driver, fantoccini::Client, tempfile::TempDir)> {
    let Some(bin) = chromedriver() else {
        assert!(
            std::env::var("ZHIXING_REQUIRE_BROWSER").is_err(),
            "chromedriver is required (apt-get install chromium chromium-driver)"
        );
        eprintln!("SKIP: chromedriver not installed");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child);
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,900", format!("--user-data-dir={}", profile.path().display())]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(c) = ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            return Some((driver, c, profile));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {url}");
}

#[tokio::test]
async fn a_supervisor_signs_in_sees_home_and_opens_the_court_tree() {
    let Some((_driver, b, _profile)) = start_browser().await else {
        return;
    };
    let t = TestApp::spawn().await;
    t.user("browser-sup", "h13", &[Role::Supervisor]).await;

    b.goto(&t.url("/home")).await.unwrap();
    assert!(
        b.current_url().await.unwrap().path().ends_with("/login"),
        "strangers land on the login page"
    );
    b.find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys("browser-sup")
        .await
        .unwrap();
    b.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    b.find(Locator::Css("form[action='/login'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let court = b
        .wait()
        .for_element(Locator::Id("home-court"))
        .await
        .unwrap();
    assert_eq!(court.text().await.unwrap(), "河北省高级人民法院");
    let who = b
        .find(Locator::Id("who-name"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(who, "browser-sup 测试");
    assert!(b.find(Locator::Id("panel-supervision")).await.is_ok());

    // The tree loads children through htmx, served by the binary itself.
    b.goto(&t.url("/courts")).await.unwrap();
    let node = b
        .wait()
        .for_element(Locator::Css("li[data-court='i1301'] > details > summary"))
        .await
        .unwrap();
    node.click().await.unwrap();
    let leaf = b
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("li[data-court='b130102']"))
        .await
        .unwrap();
    assert!(
        leaf.text()
            .await
            .unwrap()
            .contains("石家庄市长安区人民法院")
    );

    let png = b.screenshot().await.unwrap();
    assert!(
        png.len() > 5_000,
        "a rendered page, not a blank one ({} bytes)",
        png.len()
    );
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("court-tree.png");
    std::fs::write(&out, &png).unwrap();
    b.close().await.unwrap();
}
