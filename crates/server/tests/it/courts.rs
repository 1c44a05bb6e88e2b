//! The court directory over HTTP: real names and codes, the tree, paging.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::Value;
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;

#[tokio::test]
async fn courts_carry_real_names_codes_and_parents() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("sup-spc", "spc", Role::Supervisor).await;
    let c: Value = t
        .get("/api/v1/courts/b110105", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c["name"], "北京市朝阳区人民法院");
    assert_eq!(c["code"], "京0105");
    assert_eq!(c["level"], "basic");
    assert_eq!(c["division_code"], "110105");
    let parent: Value = t
        .get(
            &format!("/api/v1/courts/{}", c["parent_id"].as_str().unwrap()),
            Some(&token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(parent["level"], "intermediate");
    let high: Value = t
        .get("/api/v1/courts/h13", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            high["name"].as_str().unwrap(),
            high["code"].as_str().unwrap()
        ),
        ("河北省高级人民法院", "冀")
    );
    let spc_children: Value = t
        .get("/api/v1/courts/spc/children", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = spc_children
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["h11", "h13"]);
}

#[tokio::test]
async fn paging_walks_every_visible_court_once() {
    let t = TestApp::spawn().await;
    let token = t.signed_in("sup-spc", "spc", Role::Supervisor).await;
    let total = t.app.store.count_courts().await.unwrap() as usize;
    let mut seen = HashSet::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/courts?limit=37&cursor={c}"),
            None => "/api/v1/courts?limit=37".to_owned(),
        };
        let r = t.get(&path, Some(&token)).await;
        assert_eq!(r.status(), StatusCode::OK);
        let page: Value = r.json().await.unwrap();
        for c in page["items"].as_array().unwrap() {
            assert!(
                seen.insert(c["id"].as_str().unwrap().to_owned()),
                "duplicate {c}"
            );
        }
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), total);
    assert!(pages > 1);
    let basics: Value = t
        .get("/api/v1/courts?limit=1000&level=high", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(basics["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn regenerating_is_idempotent_and_audited() {
    let t = TestApp::spawn().await;
    let before = t.app.store.count_courts().await.unwrap();
    let (n, created) = zhixing_app::platform::courts::generate(
        &t.app,
        &zhixing_domain::court::Scope::Province("冀".into()),
        "test",
    )
    .await
    .unwrap();
    assert_eq!(created, 0);
    assert!(n > 150);
    assert_eq!(t.app.store.count_courts().await.unwrap(), before);
    let gens = t
        .app
        .store
        .list_events(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "courts.generated")
        .count();
    assert_eq!(gens, 3);
    let bad = zhixing_app::platform::courts::generate(
        &t.app,
        &zhixing_domain::court::Scope::Province("atlantis".into()),
        "test",
    )
    .await
    .unwrap_err();
    assert_eq!(bad.code(), "invalid_scope");
}

#[tokio::test]
async fn courts_are_found_by_case_number_code() {
    let t = TestApp::spawn().await;
    let sup = t.signed_in("sup-bj", "h11", Role::Supervisor).await;
    let page: Value = t
        .get("/api/v1/courts?code=%E4%BA%AC0105", Some(&sup))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["id"], "b110105");
    // A court outside the caller's reach is simply not found.
    let page: Value = t
        .get("/api/v1/courts?code=%E5%86%800102", Some(&sup))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 0);
    for bad in ["X0105", "%E4%BA%AC01a5", "%E4%BA%AC010"] {
        zhixing_testkit::assert_problem(
            t.get(&format!("/api/v1/courts?code={bad}"), Some(&sup))
                .await,
            StatusCode::BAD_REQUEST,
            "invalid_court_code",
        )
        .await;
    }
}
