//! The pages over plain HTTP: login, a home page per role, language, the court tree, assets.

use reqwest::StatusCode;
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;

#[tokio::test]
async fn login_page_is_chinese_and_refuses_wrong_passwords() {
    let t = TestApp::spawn().await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let r = t.get("/login", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("lang=\"zh-CN\"") && body.contains("登录"),
        "{body}"
    );
    let r = t
        .client
        .post(t.url("/login"))
        .form(&[("username", "officer1"), ("password", "nope-nope-nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("用户名或密码错误"));
}

#[tokio::test]
async fn each_role_gets_its_home_page() {
    let t = TestApp::spawn().await;
    let cases = [
        (Role::Officer, "b110105", "panel-deadlines"),
        (Role::Judge, "b110105", "panel-deadlines"),
        (Role::DivisionHead, "b110105", "panel-supervision"),
        (Role::Supervisor, "h13", "panel-supervision"),
        (Role::Auditor, "h13", "panel-audit"),
        (Role::Administrator, "h13", "panel-accounts"),
    ];
    for (role, court, panel) in cases {
        let name = format!("u-{}", role.as_str().replace('_', "-"));
        t.user(&name, court, &[role]).await;
        let cookie = t.page_login(&name).await;
        let (status, body) = t.html("/home", &cookie).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            body.contains(&format!("{name} 测试")),
            "{role:?} sees their name"
        );
        assert!(body.contains(role.name_zh()), "{role:?} sees their role");
        assert!(
            body.contains(&format!("id=\"{panel}\"")),
            "{role:?} has {panel}"
        );
        if role == Role::Officer {
            assert!(
                body.contains("6 个月"),
                "the officer sees the 6-month limit from the rule book"
            );
            assert!(!body.contains("panel-audit") && !body.contains("panel-accounts"));
        }
    }
}

#[tokio::test]
async fn english_on_request_tree_and_sign_out() {
    let t = TestApp::spawn().await;
    t.user("sup13", "h13", &[Role::Supervisor]).await;
    let cookie = t.page_login("sup13").await;
    let r = t
        .client
        .get(t.url("/lang/en"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let lang = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let both = format!("{cookie}; {lang}");
    let (_, body) = t.html("/home", &both).await;
    assert!(
        body.contains("lang=\"en\"") && body.contains("Welcome"),
        "{body}"
    );

    let (status, tree) = t.html("/courts", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(tree.contains("河北省高级人民法院") && tree.contains("河北省石家庄市中级人民法院"));
    assert!(
        tree.contains("hx-get=\"/courts/i1301/children\""),
        "children load lazily"
    );
    let (status, frag) = t.html("/courts/i1301/children", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        frag.contains("石家庄市长安区人民法院") && !frag.contains("<html"),
        "{frag}"
    );

    let r = t
        .client
        .post(t.url("/logout"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = t
        .client
        .get(t.url("/home"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "the old cookie no longer works"
    );
}

#[tokio::test]
async fn static_assets_are_served_by_the_binary() {
    let t = TestApp::spawn().await;
    let css = t.get("/static/app.css", None).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let js = t.get("/static/vendor/htmx.min.js", None).await;
    assert_eq!(js.status(), StatusCode::OK);
    assert!(js.text().await.unwrap().contains("htmx"));
    let (_, login) = (
        StatusCode::OK,
        t.get("/login", None).await.text().await.unwrap(),
    );
    assert!(
        !login.contains("http://") && !login.contains("https://"),
        "no external assets"
    );
}

#[tokio::test]
async fn page_errors_are_pages() {
    let t = TestApp::spawn().await;
    t.user("officer1", "b110105", &[Role::Officer]).await;
    let cookie = t.page_login("officer1").await;
    let r = t
        .client
        .get(t.url("/users"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let body = r.text().await.unwrap();
    assert!(
        body.contains("只有系统管理员可以查看账号") && body.contains("forbidden"),
        "{body}"
    );
    let r = t
        .client
        .get(t.url("/courts/h13/children"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "another court's subtree is not found"
    );
}
