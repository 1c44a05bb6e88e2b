//! What the browser tests share: chromedriver started beside the test, a headless Chromium
//! with the flags that work on these machines, and signing in through the login form.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use zhixing_testkit::{PASSWORD, TestApp};

pub struct Driver(Child);
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

/// A browser in a 1280 × 900 window.
pub async fn start_browser() -> Option<(Driver, fantoccini::Client, tempfile::TempDir)> {
    start_browser_sized(1280, 900).await
}

/// A browser in a `width` × `height` window; none (a skip) without chromedriver, unless
/// `ZHIXING_REQUIRE_BROWSER` is set, when that is a failure.
pub async fn start_browser_sized(
    width: u32,
    height: u32,
) -> Option<(Driver, fantoccini::Client, tempfile::TempDir)> {
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
                     format!("--window-size={width},{height}"), format!("--user-data-dir={}", profile.path().display())]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(c) = ClientBuilder::new(HttpConnector::new())
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

/// Signs in through the login form and waits for the home page.
pub async fn sign_in(b: &fantoccini::Client, t: &TestApp, user: &str) {
    b.goto(&t.url("/login")).await.unwrap();
    b.find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys(user)
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
    b.wait()
        .for_element(Locator::Id("home-court"))
        .await
        .unwrap();
}
