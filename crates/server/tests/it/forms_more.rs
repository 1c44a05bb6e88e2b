//! The pages of the operations that had only an API (issue 12, part 2), over plain HTTP with
//! the session cookie and form token as a browser sends them: a party's objection to a price
//! report and the court's ruling on the case page; data-sharing agreements (`/sharing`) with
//! the approver's queue on the home page and the key shown once; institutions
//! (`/institutions`); court announcements (`/announcements/new`). Each effect is read back
//! through the API; each refusal comes back on the same page, beside its form, in Chinese,
//! with a 4xx status and what was typed kept.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_testkit::TestApp;

/// The part of a page from the element with `id` to the end of its section.
fn part<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {page}"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

// ---------------------------------------------------------------------------------------
// Valuation objections and rulings

const COURT: &str = "b110105";

/// A case with a seized house whose price is set by an appraisal report today (the
/// objection period open), all through the case page's forms; (app, officer's cookie, case,
/// valuation).
async fn appraised_house() -> (TestApp, String, String, i64, i64) {
    let t = TestApp::spawn().await;
    let token = t.signed_in("officer1", COURT, Role::Officer).await;
    let cookie = t.page_login("officer1").await;
    let r = t
        .post_json(
            "/api/v1/cases",
            Some(&token),
            &json!({
                "case_type": "执",
                "parties": [
                    {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
                    {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
                ],
                "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初41号",
                          "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
                "amounts": {"principal": 150_000_000}
            }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let asset = t
        .seized_asset(
            id,
            COURT,
            "real_estate",
            "京(2020)朝阳区不动产权第0041号",
            "朝阳区某小区4号楼401室",
            120_000_000,
        )
        .await;
    let (s, _, body) = t
        .form(
            &format!("/cases/{id}/assets/{asset}/valuation"),
            &cookie,
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let vid: i64 = t
        .raw_text(&format!(
            "SELECT CAST(id AS TEXT) FROM valuations WHERE asset_id = {asset}"
        ))
        .await
        .parse()
        .unwrap();
    let base = format!("/cases/{id}/valuations/{vid}");
    for (step, fields) in [
        (
            "move",
            vec![("to", "appraisal"), ("reason", "parties_request")],
        ),
        ("appraisal", vec![("appraiser", "北京某资产评估有限公司")]),
        (
            "appraisal-report",
            vec![("price", "1,200,000.00"), ("valid_until", "")],
        ),
    ] {
        let (s, _, body) = t.form(&format!("{base}/{step}"), &cookie, &fields).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{step}: {body}");
    }
    (t, token, cookie, id, vid)
}

#[tokio::test]
async fn an_officer_records_an_objection_to_the_report_and_the_ruling_from_the_case_page() {
    let (t, token, cookie, id, vid) = appraised_house().await;
    let valuation = || async {
        t.get_value(&format!("/api/v1/valuations/{vid}"), Some(&token))
            .await
    };
    let v = valuation().await;
    assert_eq!(v["status"], "determined", "{v}");
    assert_eq!(v["unusable"]["code"], "objection_period_open");

    // The objection form, inside the period.
    let (s, page) = t.html(&format!("/cases/{id}"), &cookie).await;
    assert_eq!(s, StatusCode::OK);
    let section = part(&page, "auctions");
    assert!(
        section.contains("class=\"objection\"") && section.contains("登记异议"),
        "{section}"
    );
    assert!(
        section.contains("<label>异议人"),
        "a visible label: {section}"
    );

    // Nobody named: refused beside the form, in Chinese; nothing recorded.
    let objections = format!("/cases/{id}/valuations/{vid}/objections");
    let (s, _, body) = t.form(&objections, &cookie, &[("by", "")]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let section = part(&body, "auctions");
    assert!(section.contains("role=\"alert\""), "{section}");
    assert!(section.contains("请填写异议人。"), "{section}");
    assert!(
        valuation().await["objections"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The party's objection, recorded by the officer: the price is held.
    let (s, location, body) = t
        .form(&objections, &cookie, &[("by", "被执行人李四")])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert!(location.ends_with("#auctions"), "{location}");
    let v = valuation().await;
    assert_eq!(v["objections"][0]["no"], 1);
    assert_eq!(v["objections"][0]["by"], "被执行人李四");
    assert_eq!(v["unusable"]["code"], "objection_pending");

    // The page now offers the ruling on objection 1 instead.
    let (_, page) = t.html(&format!("/cases/{id}"), &cookie).await;
    let section = part(&page, "auctions");
    assert!(
        section.contains(&format!("/valuations/{vid}/objections/1/ruling")),
        "{section}"
    );
    assert!(section.contains("第 1 号异议"), "{section}");
    assert!(!section.contains("class=\"objection\""), "{section}");

    // A price that is no amount: refused beside the form.
    let ruling = format!("/cases/{id}/valuations/{vid}/objections/1/ruling");
    let (s, _, body) = t
        .form(&ruling, &cookie, &[("corrected_price", "一百万")])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        part(&body, "auctions").contains("请填写价格（元），须大于零，最多两位小数。"),
        "{body}"
    );
    assert_eq!(valuation().await["unusable"]["code"], "objection_pending");

    // The ruling corrects the price; the reference price is usable at once.
    let (s, _, body) = t
        .form(&ruling, &cookie, &[("corrected_price", "1,100,000.00")])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let v = valuation().await;
    assert_eq!(
        v["objections"][0]["corrected_price_fen"], 110_000_000,
        "{v}"
    );
    assert_eq!(v["reference_price"]["price"], 110_000_000, "{v}");
    let (_, page) = t.html(&format!("/cases/{id}"), &cookie).await;
    assert!(
        part(&page, "auctions").contains("裁定更正参考价为 ¥1,100,000.00"),
        "{page}"
    );

    // The same form again (a stale page): refused as already ruled, 409.
    let (s, _, body) = t.form(&ruling, &cookie, &[("corrected_price", "")]).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert!(
        part(&body, "auctions").contains("第 1 号异议已经裁定。"),
        "{body}"
    );

    // A reader who may not handle the case sees no such form and may not post it.
    t.user("auditor1", COURT, &[Role::Auditor]).await;
    let auditor = t.page_login("auditor1").await;
    let (s, page) = t.html(&format!("/cases/{id}"), &auditor).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!page.contains("/objections"), "{page}");
    let (s, _, _) = t.form(&objections, &auditor, &[("by", "张三")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(valuation().await["objections"].as_array().unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------
// Data-sharing agreements

/// 石家庄市中级人民法院.
const SHARING_COURT: &str = "i1301";

fn plus_days(t: &TestApp, days: i64) -> String {
    t.app
        .today()
        .checked_add(jiff::Span::new().days(days))
        .unwrap()
        .to_string()
}

async fn agreements(t: &TestApp, token: &str) -> Vec<Value> {
    t.get_value("/api/v1/sharing/agreements", Some(token))
        .await
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn an_agreement_is_drafted_approved_keyed_and_revoked_from_the_sharing_page() {
    let t = TestApp::spawn().await;
    let admin_token = t
        .signed_in("admin1", SHARING_COURT, Role::Administrator)
        .await;
    t.user("head1", SHARING_COURT, &[Role::DivisionHead]).await;
    t.user("officer1", SHARING_COURT, &[Role::Officer]).await;
    t.user("auditor1", SHARING_COURT, &[Role::Auditor]).await;
    let admin = t.page_login("admin1").await;
    let head = t.page_login("head1").await;
    let officer = t.page_login("officer1").await;
    let auditor = t.page_login("auditor1").await;

    // The navigation leads there only those who may see agreements; an officer may not.
    let (_, home) = t.html("/home", &admin).await;
    assert!(home.contains("href=\"/sharing\""), "{home}");
    let (_, home) = t.html("/home", &officer).await;
    assert!(!home.contains("href=\"/sharing\""), "{home}");
    let (s, _) = t.html("/sharing", &officer).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (s, page) = t.html("/sharing", &admin).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("id=\"agreement-form\""), "{page}");
    assert!(page.contains("<label>共享单位名称"), "{page}");

    // A draft without any field: refused beside the form, in Chinese, what was typed kept.
    let from = t.app.today().to_string();
    let to = plus_days(&t, 365);
    let mut draft = vec![
        ("agency_name", "中国民用航空局"),
        ("agency_code", "CAAC"),
        ("court_id", SHARING_COURT),
        (
            "legal_basis",
            "《关于对失信被执行人实施联合惩戒的合作备忘录》",
        ),
        ("valid_from", from.as_str()),
        ("valid_to", to.as_str()),
    ];
    let (s, _, body) = t.form("/sharing", &admin, &draft).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let form = part(&body, "new-agreement");
    assert!(form.contains("role=\"alert\""), "{form}");
    assert!(form.contains("请至少选择一个共享字段。"), "{form}");
    assert!(form.contains("value=\"中国民用航空局\""), "kept: {form}");
    assert!(agreements(&t, &admin_token).await.is_empty());

    draft.extend([("fields", "name"), ("fields", "id_masked")]);
    let (s, location, body) = t.form("/sharing", &admin, &draft).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location, "/sharing");
    let list = agreements(&t, &admin_token).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["status"], "draft");
    assert_eq!(list[0]["fields"], json!(["name", "id_masked"]));
    let id = list[0]["id"].as_i64().unwrap();
    let (_, page) = t.html("/sharing", &admin).await;
    let row = part(&page, &format!("agreement-{id}"));
    assert!(
        row.contains("草案，待审批") && row.contains("姓名或名称"),
        "{row}"
    );
    assert!(
        !row.contains("data-approve"),
        "the drafter is not offered approval: {row}"
    );

    // The drafter may not approve it, even holding both roles: refused beside the row, 403.
    t.user(
        "boss1",
        SHARING_COURT,
        &[Role::Administrator, Role::DivisionHead],
    )
    .await;
    let boss = t.page_login("boss1").await;
    let (s, _, _) = t.form("/sharing", &boss, &draft).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let own = agreements(&t, &admin_token).await[1]["id"]
        .as_i64()
        .unwrap();
    let (s, _, body) = t
        .form(&format!("/sharing/{own}/approval"), &boss, &[])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert!(
        part(&body, &format!("agreement-{own}")).contains("须由拟定人以外的执行局长批准"),
        "{body}"
    );
    assert_eq!(agreements(&t, &admin_token).await[1]["status"], "draft");

    // The division head finds both drafts in the 待审批 queue of the home page.
    let (_, home) = t.html("/home", &head).await;
    let queue = part(&home, "queue-sharing");
    assert!(
        queue.contains(&format!("data-agreement=\"{id}\"")) && queue.contains("中国民用航空局"),
        "{queue}"
    );
    assert!(
        queue.contains("admin1 测试"),
        "the drafter by name: {queue}"
    );
    assert!(queue.contains("（2）"), "{queue}");
    let (_, home) = t.html("/home", &officer).await;
    assert!(!home.contains("queue-sharing"), "{home}");

    let (s, _, body) = t.form(&format!("/sharing/{id}/approval"), &head, &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(agreements(&t, &admin_token).await[0]["status"], "active");
    let (_, home) = t.html("/home", &head).await;
    assert!(
        !part(&home, "queue-sharing").contains(&format!("data-agreement=\"{id}\"")),
        "approved, out of the queue"
    );
    // Approved twice (a stale page): 409, in Chinese.
    let (s, _, body) = t.form(&format!("/sharing/{id}/approval"), &head, &[]).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("该协议已不是待审批的草案"), "{body}");

    // The key, shown on the answer this once, and it opens the feed.
    let (s, _, body) = t.form(&format!("/sharing/{id}/keys"), &admin, &[]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let shown = part(&body, "sharing");
    let key = shown
        .split("id=\"api-key\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or_else(|| panic!("no key in {shown}"))
        .to_owned();
    assert!(key.starts_with("zxs_"), "{key}");
    assert_eq!(
        t.get("/api/v1/sharing/feed", Some(&key)).await.status(),
        StatusCode::OK
    );
    let (_, page) = t.html("/sharing", &admin).await;
    assert!(!page.contains(&key), "shown once only");
    assert!(page.contains(&key[..12]), "its prefix is listed: {page}");
    // No key for a draft: 409 beside the row.
    let (s, _, body) = t.form(&format!("/sharing/{own}/keys"), &admin, &[]).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("尚未批准或已撤销，不能签发密钥"), "{body}");

    // The auditor reads the list, with no form to act on it.
    let (s, page) = t.html("/sharing", &auditor).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(&format!("agreement-{id}")), "{page}");
    assert!(
        !page.contains("<form class=\"revoke\"") && !page.contains("agreement-form"),
        "{page}"
    );

    // Revoked without a reason: refused, nothing changes; with one, the feed stops.
    let (s, _, body) = t
        .form(
            &format!("/sharing/{id}/revocation"),
            &head,
            &[("reason", " ")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("请填写撤销理由"), "{body}");
    assert_eq!(agreements(&t, &admin_token).await[0]["status"], "active");
    let (s, _, body) = t
        .form(
            &format!("/sharing/{id}/revocation"),
            &head,
            &[("reason", "合作备忘录已废止")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let a = &agreements(&t, &admin_token).await[0];
    assert_eq!(a["status"], "revoked");
    assert_eq!(a["revoke_reason"], "合作备忘录已废止");
    assert_ne!(
        t.get("/api/v1/sharing/feed", Some(&key)).await.status(),
        StatusCode::OK
    );
    let (_, page) = t.html("/sharing", &head).await;
    assert!(
        part(&page, &format!("agreement-{id}")).contains("已撤销"),
        "{page}"
    );
}

// ---------------------------------------------------------------------------------------
// Institutions

async fn institution_ids(t: &TestApp, token: &str) -> Vec<String> {
    t.get_value("/api/v1/institutions", Some(token))
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_administrator_registers_an_institution_of_the_region_from_the_page() {
    let t = TestApp::spawn().await;
    // 河北省高级人民法院: its region is 13.
    let token = t.signed_in("admin13", "h13", Role::Administrator).await;
    t.user("officer1", COURT, &[Role::Officer]).await;
    let admin = t.page_login("admin13").await;
    let officer = t.page_login("officer1").await;

    let (_, home) = t.html("/home", &admin).await;
    assert!(home.contains("href=\"/institutions\""), "{home}");
    let (s, page) = t.html("/institutions", &admin).await;
    assert_eq!(s, StatusCode::OK);
    let form = part(&page, "register-institution");
    assert!(form.contains("id=\"institution-form\""), "{form}");
    assert!(
        !form.contains("value=\"national\""),
        "national institutions are the SPC's: {form}"
    );
    assert!(
        form.contains("value=\"13\""),
        "the region prefilled: {form}"
    );

    let key = zhixing_exchange::KeyPair::generate().public_base64();
    let fields = |region: &'static str, public_key: String| {
        vec![
            ("id", "hb-land".to_owned()),
            ("name", "河北省不动产登记中心".to_owned()),
            ("kind", "real_estate_registry".to_owned()),
            ("measures", "query".to_owned()),
            ("measures", "seize".to_owned()),
            ("channel", "local".to_owned()),
            ("region", region.to_owned()),
            ("endpoint", "http://127.0.0.1:9/x".to_owned()),
            ("public_key", public_key),
            ("concurrency", "4".to_owned()),
        ]
    };
    let post = |f: Vec<(&'static str, String)>, cookie: String| {
        let t = &t;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            t.form("/institutions", &cookie, &pairs).await
        }
    };

    // Another region's institution: refused beside the form, what was typed kept.
    let (s, _, body) = post(fields("11", key.clone()), admin.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    let form = part(&body, "register-institution");
    assert!(form.contains("role=\"alert\""), "{form}");
    assert!(
        form.contains("点对点机构的地区代码须在本院所辖地区之内"),
        "{form}"
    );
    assert!(form.contains("value=\"河北省不动产登记中心\""), "{form}");
    // A key that is none: the catalogue's words.
    let (s, _, body) = post(fields("13", "nope".into()), admin.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        part(&body, "register-institution").contains("公钥不是 base64 编码的 Ed25519 公钥。"),
        "{body}"
    );
    assert!(
        !institution_ids(&t, &token)
            .await
            .contains(&"hb-land".into())
    );

    let (s, location, body) = post(fields("1301", key.clone()), admin.clone()).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location, "/institutions");
    assert!(
        institution_ids(&t, &token)
            .await
            .contains(&"hb-land".into())
    );
    let (_, page) = t.html("/institutions", &admin).await;
    let row = part(&page, "institution-list");
    assert!(
        row.contains("河北省不动产登记中心")
            && row.contains("不动产登记机构")
            && row.contains("查询、查封"),
        "{row}"
    );

    // An officer reads the list but registers nothing, and is not led there.
    let (_, home) = t.html("/home", &officer).await;
    assert!(!home.contains("href=\"/institutions\""), "{home}");
    let (s, page) = t.html("/institutions", &officer).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("hb-land") && !page.contains("institution-form"));
    let (s, _, _) = post(fields("13", key), officer.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

// ---------------------------------------------------------------------------------------
// Announcements

#[tokio::test]
async fn an_officer_publishes_an_announcement_that_appears_on_the_public_page() {
    let t = TestApp::spawn().await;
    t.user("officer1", COURT, &[Role::Officer]).await;
    t.user("admin1", COURT, &[Role::Administrator]).await;
    t.user("auditor1", COURT, &[Role::Auditor]).await;
    let officer = t.page_login("officer1").await;
    let admin = t.page_login("admin1").await;
    let auditor = t.page_login("auditor1").await;

    let (_, home) = t.html("/home", &officer).await;
    assert!(home.contains("href=\"/announcements/new\""), "{home}");
    let (s, page) = t.html("/announcements/new", &officer).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("id=\"announcement-form\""), "{page}");
    assert!(
        !page.contains("name=\"court_id\""),
        "an officer posts for their own court: {page}"
    );

    // No title: refused beside the form, the body typed kept.
    let text = "定于2027年1月10日在本院执行局公开拍卖被执行人李四名下房产，特此公告。";
    let (s, _, body) = t
        .form(
            "/announcements",
            &officer,
            &[("title", " "), ("body", text)],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let form = part(&body, "new-announcement");
    assert!(form.contains("role=\"alert\""), "{form}");
    assert!(form.contains("请填写公告标题"), "{form}");
    assert!(form.contains(text), "kept: {form}");
    let public = t.get_value("/public/v1/announcements", None).await;
    assert!(public["items"].as_array().unwrap().is_empty());

    let (s, location, body) = t
        .form(
            "/announcements",
            &officer,
            &[("title", "关于公开拍卖房产的公告"), ("body", text)],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let public = t.get_value("/public/v1/announcements", None).await;
    let item = &public["items"][0];
    assert_eq!(item["title"], "关于公开拍卖房产的公告");
    assert_eq!(item["court_id"], COURT);
    let id = item["id"].as_i64().unwrap();
    assert_eq!(location, format!("/announcements/new?posted={id}"));
    let (_, page) = t.html(&location, &officer).await;
    assert!(
        page.contains(&format!("href=\"/public/announcements/{id}\"")),
        "{page}"
    );
    let r = t.get("/public/announcements", None).await;
    assert!(r.text().await.unwrap().contains("关于公开拍卖房产的公告"));

    // An administrator names the court; one outside their reach is refused beside the form.
    let (s, page) = t.html("/announcements/new", &admin).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("name=\"court_id\""), "{page}");
    let (s, _, body) = t
        .form(
            "/announcements",
            &admin,
            &[("court_id", "b110101"), ("title", "通知"), ("body", "正文")],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert!(
        part(&body, "new-announcement").contains("只能以本院的名义发布公告"),
        "{body}"
    );
    let (s, _, body) = t
        .form(
            "/announcements",
            &admin,
            &[("court_id", "nowhere"), ("title", "通知"), ("body", "正文")],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
    assert!(
        part(&body, "new-announcement").contains("没有该法院"),
        "{body}"
    );
    let public = t.get_value("/public/v1/announcements", None).await;
    assert_eq!(public["items"].as_array().unwrap().len(), 1);

    // An auditor does not post announcements: no link, no form.
    let (_, home) = t.html("/home", &auditor).await;
    assert!(!home.contains("href=\"/announcements/new\""), "{home}");
    let (s, _) = t.html("/announcements/new", &auditor).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = t
        .form(
            "/announcements",
            &auditor,
            &[("title", "通知"), ("body", "正文")],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
