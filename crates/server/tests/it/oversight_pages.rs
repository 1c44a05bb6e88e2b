//! The oversight operations as page forms, over plain HTTP with the session cookie as a
//! browser sends it: 督办 issued, replied, sent back and closed from the case page; 事项委托
//! entrusted from the case page and accepted, declined and returned with documents at the
//! receiving court's /entrusted page; 信访 registered and resolved and a recording uploaded from
//! the case page. Each effect is checked through the API; each refusal is shown in place, in
//! Chinese, as 422 or 409, with what was typed kept.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use zhixing_domain::access::Role;
use zhixing_server::Config;
use zhixing_testkit::{TestApp, test_config};

/// 朝阳 (a basic court under i1103) and a Hebei court.
const BASIC: &str = "b110105";
const INTERMEDIATE: &str = "i1103";
const HEBEI: &str = "b130102";

async fn file_case(t: &TestApp, token: &str) -> i64 {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": "(2026)京0105民初31号",
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(token), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

fn day(t: &TestApp, n: i64) -> String {
    t.app
        .today()
        .checked_add(jiff::Span::new().days(n))
        .unwrap()
        .to_string()
}

/// Asserts a form answered in place: `status`, the page holding each of `words`.
fn refused_in_place(answer: &(StatusCode, String, String), status: StatusCode, words: &[&str]) {
    let (s, location, page) = answer;
    assert_eq!(*s, status, "{location} {page}");
    assert!(location.is_empty(), "no redirect: {location}");
    assert!(page.contains("role=\"alert\""), "{page}");
    for w in words {
        assert!(page.contains(w), "{w:?} not in the page: {page}");
    }
}

fn done(answer: &(StatusCode, String, String), to: &str) {
    assert_eq!(answer.0, StatusCode::SEE_OTHER, "{}", answer.2);
    assert_eq!(answer.1, to);
}

async fn order_status(t: &TestApp, token: &str, id: i64) -> String {
    t.get_value(&format!("/api/v1/supervisions/{id}"), Some(token))
        .await["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn supervision_is_issued_replied_sent_back_and_closed_from_the_case_page() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", BASIC, Role::Officer).await;
    let sup_token = t.signed_in("sup1", INTERMEDIATE, Role::Supervisor).await;
    let case = file_case(&t, &officer).await;
    let officer_page = t.page_login("officer1").await;
    let sup = t.page_login("sup1").await;
    let back = format!("/cases/{case}#command");

    // The supervisor sees the issue form; the officer of the case's own court does not.
    let (_, page) = t.html(&format!("/cases/{case}"), &sup).await;
    assert!(page.contains("id=\"supervision-issue\""), "{page}");
    let (_, page) = t.html(&format!("/cases/{case}"), &officer_page).await;
    assert!(!page.contains("id=\"supervision-issue\""));

    // A deadline in the past: refused beside the form, the title kept.
    let issue = format!("/cases/{case}/supervisions");
    let yesterday = day(&t, -1);
    let a = t
        .form(
            &issue,
            &sup,
            &[
                ("title", "财产处置迟缓"),
                ("instructions", "请查明未处置原因并报送处置计划"),
                ("deadline", &yesterday),
            ],
        )
        .await;
    refused_in_place(
        &a,
        StatusCode::UNPROCESSABLE_ENTITY,
        &[
            "不能早于今天",
            "value=\"财产处置迟缓\"",
            "id=\"command-refused\"",
        ],
    );
    let none = t
        .get_value("/api/v1/supervisions?direction=received", Some(&officer))
        .await;
    assert!(none.as_array().unwrap().is_empty(), "{none}");

    let deadline = day(&t, 5);
    let a = t
        .form(
            &issue,
            &sup,
            &[
                ("title", "财产处置迟缓"),
                ("instructions", "请查明未处置原因并报送处置计划"),
                ("deadline", &deadline),
            ],
        )
        .await;
    done(&a, &back);
    let orders = t
        .get_value("/api/v1/supervisions?direction=received", Some(&officer))
        .await;
    let id = orders[0]["id"].as_i64().unwrap();
    assert_eq!(orders[0]["case_id"], case);
    assert_eq!(orders[0]["status"], "open");
    assert_eq!(orders[0]["issuer_court_id"], INTERMEDIATE);

    // Closing before any reply: 409, in Chinese, beside the section's forms.
    let a = t
        .form(
            &format!("/cases/{case}/supervisions/{id}/close"),
            &sup,
            &[("text", "")],
        )
        .await;
    refused_in_place(&a, StatusCode::CONFLICT, &["下级法院尚未回复"]);
    assert_eq!(order_status(&t, &sup_token, id).await, "open");

    // The officer replies from the case page: an empty reply is refused, then the reply.
    let reply = format!("/cases/{case}/supervisions/{id}/reply");
    let a = t.form(&reply, &officer_page, &[("text", "  ")]).await;
    refused_in_place(&a, StatusCode::UNPROCESSABLE_ENTITY, &["内容不能为空"]);
    let a = t
        .form(
            &reply,
            &officer_page,
            &[("text", "已查明原因，拟于下周启动评估")],
        )
        .await;
    done(&a, &back);
    assert_eq!(order_status(&t, &sup_token, id).await, "replied");

    // Sent back without a reason: refused; with one: returned; the reason kept on refusal.
    let ret = format!("/cases/{case}/supervisions/{id}/return");
    let a = t.form(&ret, &sup, &[("text", "")]).await;
    refused_in_place(&a, StatusCode::UNPROCESSABLE_ENTITY, &["内容不能为空"]);
    let a = t.form(&ret, &sup, &[("text", "请附评估委托书")]).await;
    done(&a, &back);
    assert_eq!(order_status(&t, &sup_token, id).await, "returned");

    // Replied again, then closed; the page shows the notes and the status in Chinese.
    done(
        &t.form(&reply, &officer_page, &[("text", "评估委托书已附")])
            .await,
        &back,
    );
    let a = t
        .form(
            &format!("/cases/{case}/supervisions/{id}/close"),
            &sup,
            &[("text", "同意办结")],
        )
        .await;
    done(&a, &back);
    assert_eq!(order_status(&t, &sup_token, id).await, "closed");
    let (_, page) = t.html(&format!("/cases/{case}"), &officer_page).await;
    assert!(page.contains("请附评估委托书"), "{page}");
    assert!(page.contains("同意办结"));
    assert!(page.contains("已办结"));
    // A closed order takes no reply.
    let a = t.form(&reply, &officer_page, &[("text", "补充说明")]).await;
    refused_in_place(&a, StatusCode::CONFLICT, &["督办事项已办结"]);

    // The officer may not issue: the authorization rule answers, not a form.
    let a = t
        .form(
            &issue,
            &officer_page,
            &[
                ("title", "x"),
                ("instructions", "y"),
                ("deadline", &deadline),
            ],
        )
        .await;
    assert_eq!(a.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_order_about_a_problem_is_issued_from_the_command_centre_and_answered_on_the_supervisions_page()
 {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", BASIC, Role::Officer).await;
    t.user("sup1", INTERMEDIATE, &[Role::Supervisor]).await;
    let sup = t.page_login("sup1").await;
    let officer_page = t.page_login("officer1").await;

    // The command centre's page of a court below leads to the form, the court filled in.
    let (status, page) = t.html(&format!("/command/courts/{BASIC}"), &sup).await;
    assert_eq!(status, StatusCode::OK);
    let link = format!("/supervisions?court={BASIC}");
    assert!(page.contains(&link), "{page}");
    let (status, page) = t.html(&link, &sup).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("name=\"court\" required value=\"{BASIC}\"")),
        "{page}"
    );

    // A deadline that is no date: refused beside the form, what was typed kept.
    let fields = |deadline: &str| {
        vec![
            ("court".to_owned(), BASIC.to_owned()),
            ("title".to_owned(), "执行信访积案清理".to_owned()),
            (
                "instructions".to_owned(),
                "请于期限内清理信访积案并报送清单".to_owned(),
            ),
            ("deadline".to_owned(), deadline.to_owned()),
        ]
    };
    let post = |fields: Vec<(String, String)>| {
        let sup = sup.clone();
        let t = &t;
        async move {
            let f: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            t.form("/supervisions", &sup, &f).await
        }
    };
    let a = post(fields("下周五")).await;
    refused_in_place(
        &a,
        StatusCode::UNPROCESSABLE_ENTITY,
        &[
            "不是有效日期",
            "value=\"执行信访积案清理\"",
            "请于期限内清理信访积案并报送清单",
        ],
    );
    let a = post(fields(&day(&t, 7))).await;
    assert_eq!(a.0, StatusCode::SEE_OTHER, "{}", a.2);
    let orders = t
        .get_value("/api/v1/supervisions?direction=received", Some(&officer))
        .await;
    let id = orders[0]["id"].as_i64().unwrap();
    assert_eq!(a.1, format!("/supervisions#order-{id}"));
    assert_eq!(orders[0]["case_id"], Value::Null);
    assert_eq!(orders[0]["status"], "open");

    // To its own court: the authorization rule refuses (403), not a form.
    let mut own = fields(&day(&t, 7));
    own[0].1 = INTERMEDIATE.to_owned();
    assert_eq!(post(own).await.0, StatusCode::FORBIDDEN);

    // The lower court's officer finds it under 督办 and replies there.
    let (_, page) = t.html("/supervisions", &officer_page).await;
    assert!(page.contains("href=\"/supervisions\""));
    assert!(page.contains("执行信访积案清理"));
    assert!(
        !page.contains("id=\"supervision-issue\""),
        "no issue form for an officer"
    );
    let reply = format!("/supervisions/{id}/reply");
    let a = t.form(&reply, &officer_page, &[("text", "")]).await;
    refused_in_place(&a, StatusCode::UNPROCESSABLE_ENTITY, &["内容不能为空"]);
    let a = t
        .form(&reply, &officer_page, &[("text", "已清理积案 12 件")])
        .await;
    assert_eq!(a.1, format!("/supervisions#order-{id}"));
    assert_eq!(order_status(&t, &officer, id).await, "replied");

    // The issuing court sends it back, then closes it after the second reply.
    let ret = format!("/supervisions/{id}/return");
    let a = t.form(&ret, &sup, &[("text", "")]).await;
    refused_in_place(&a, StatusCode::UNPROCESSABLE_ENTITY, &["内容不能为空"]);
    t.form(&ret, &sup, &[("text", "请附清单")]).await;
    assert_eq!(order_status(&t, &officer, id).await, "returned");
    let close = format!("/supervisions/{id}/close");
    let a = t.form(&close, &sup, &[("text", "")]).await;
    refused_in_place(&a, StatusCode::CONFLICT, &["下级法院尚未回复"]);
    t.form(&reply, &officer_page, &[("text", "清单已附")]).await;
    let a = t.form(&close, &sup, &[("text", "")]).await;
    assert_eq!(a.0, StatusCode::SEE_OTHER, "{}", a.2);
    assert_eq!(order_status(&t, &officer, id).await, "closed");
    let (_, page) = t.html("/supervisions", &sup).await;
    assert!(page.contains("请附清单") && page.contains("清单已附") && page.contains("已办结"));
}

fn pdf() -> Vec<u8> {
    let mut b = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    b.extend((0..2000u32).map(|i| (i * 7 % 251) as u8));
    b.extend_from_slice(b"\n%%EOF\n");
    b
}

async fn task(t: &TestApp, token: &str, id: i64) -> Value {
    t.get_value(&format!("/api/v1/entrusted-tasks/{id}"), Some(token))
        .await
}

/// Posts the result form of task `id` as the page's multipart form, token first.
async fn post_result(
    t: &TestApp,
    cookie: &str,
    id: i64,
    text: &str,
    docs: &[(&str, Vec<u8>)],
) -> (StatusCode, String, String) {
    let mut form = Form::new()
        .text("csrf_token", t.form_token(cookie).await)
        .text("result", text.to_owned());
    for (name, bytes) in docs {
        form = form.part(
            "document",
            Part::bytes(bytes.clone())
                .file_name((*name).to_owned())
                .mime_str("application/pdf")
                .unwrap(),
        );
    }
    let r = t
        .client
        .post(t.url(&format!("/entrusted/{id}/result")))
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, r.text().await.unwrap())
}

#[tokio::test]
async fn an_entrusted_task_is_requested_from_the_case_page_and_answered_at_the_receiving_court() {
    let t = TestApp::spawn().await;
    let officer = t.signed_in("officer1", BASIC, Role::Officer).await;
    let hb_token = t.signed_in("officer-hb", HEBEI, Role::Officer).await;
    let case = file_case(&t, &officer).await;
    let cookie = t.page_login("officer1").await;
    let hb = t.page_login("officer-hb").await;
    let request = format!("/cases/{case}/entrusted-tasks");
    let fields = |to: &'static str, act: &'static str| {
        vec![
            ("to_court", to),
            ("act", act),
            ("target", "李四名下石家庄某银行账户 6222****1234"),
            ("instructions", "冻结金额以 10,000 元为限"),
        ]
    };

    // To its own court: refused beside the form, the target kept.
    let a = t.form(&request, &cookie, &fields(BASIC, "freeze")).await;
    refused_in_place(
        &a,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["不能委托本院", "6222****1234"],
    );
    let a = t.form(&request, &cookie, &fields(HEBEI, "freeze")).await;
    done(&a, &format!("/cases/{case}#command"));
    let a = t
        .form(&request, &cookie, &fields(HEBEI, "investigate"))
        .await;
    done(&a, &format!("/cases/{case}#command"));
    let tasks = t
        .get_value(
            &format!("/api/v1/cases/{case}/entrusted-tasks"),
            Some(&officer),
        )
        .await;
    let tasks = tasks.as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    let (freeze, investigate) = {
        let id = |act: &str| {
            tasks.iter().find(|x| x["act"] == act).unwrap()["id"]
                .as_i64()
                .unwrap()
        };
        (id("freeze"), id("investigate"))
    };
    assert_eq!(task(&t, &hb_token, freeze).await["status"], "requested");

    // The receiving court's officer finds them on /entrusted, linked from the navigation.
    let (status, page) = t.html("/entrusted", &hb).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("href=\"/entrusted\""));
    assert!(
        page.contains(&format!("data-entrusted-task=\"{freeze}\"")),
        "{page}"
    );
    assert!(page.contains("待接收"));
    assert!(page.contains(&format!("action=\"/entrusted/{freeze}/acceptance\"")));

    // The result before accepting (a page left open elsewhere): 409 beside the task.
    let a = post_result(&t, &hb, freeze, "已冻结 10,000 元", &[("回执.pdf", pdf())]).await;
    refused_in_place(&a, StatusCode::CONFLICT, &["请先接收委托事项"]);

    // Accepted; accepted again is refused.
    let accept = format!("/entrusted/{freeze}/acceptance");
    done(
        &t.form(&accept, &hb, &[]).await,
        &format!("/entrusted#task-{freeze}"),
    );
    assert_eq!(task(&t, &hb_token, freeze).await["status"], "accepted");
    let a = t.form(&accept, &hb, &[]).await;
    refused_in_place(&a, StatusCode::CONFLICT, &["不能再次答复"]);

    // No document: refused; with one: completed, the document kept with its hash.
    let a = post_result(&t, &hb, freeze, "已冻结 10,000 元", &[]).await;
    refused_in_place(
        &a,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["须附至少一份文书", ">已冻结 10,000 元</textarea>"],
    );
    let a = post_result(&t, &hb, freeze, "已冻结 10,000 元", &[("回执.pdf", pdf())]).await;
    done(&a, &format!("/entrusted#task-{freeze}"));
    let done_task = task(&t, &officer, freeze).await;
    assert_eq!(done_task["status"], "completed");
    assert_eq!(done_task["result"], "已冻结 10,000 元");
    assert_eq!(done_task["documents"].as_array().unwrap().len(), 1);

    // The other declined: without a reason refused, the reason required; then declined.
    let decline = format!("/entrusted/{investigate}/decline");
    let a = t.form(&decline, &hb, &[("reason", "")]).await;
    refused_in_place(&a, StatusCode::UNPROCESSABLE_ENTITY, &["内容不能为空"]);
    done(
        &t.form(&decline, &hb, &[("reason", "该账户不在本辖区")])
            .await,
        &format!("/entrusted#task-{investigate}"),
    );
    let declined = task(&t, &officer, investigate).await;
    assert_eq!(declined["status"], "declined");
    assert_eq!(declined["decline_reason"], "该账户不在本辖区");

    // The entrusting court sees both on the case page.
    let (_, page) = t.html(&format!("/cases/{case}"), &cookie).await;
    assert!(page.contains("回执.pdf"), "{page}");
    assert!(page.contains("拒收：该账户不在本辖区"));
    // And a court that was not asked cannot answer: not found.
    t.user("officer-other", "b130104", &[Role::Officer]).await;
    let other = t.page_login("officer-other").await;
    let (status, _, _) = t
        .form(&format!("/entrusted/{freeze}/acceptance"), &other, &[])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A WAV file: the RIFF/WAVE header of 8 kHz mono 16-bit PCM, then `samples` samples.
fn wav(samples: usize) -> Vec<u8> {
    let data_len = u32::try_from(samples * 2).unwrap();
    let mut b = Vec::with_capacity(44 + samples * 2);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&8000u32.to_le_bytes());
    b.extend_from_slice(&16000u32.to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..samples {
        let s = ((i * 37 % 2000) as i16 - 1000).to_le_bytes();
        b.extend_from_slice(&s);
    }
    b
}

/// Posts the case page's recording form, token first, then kind, complaint and the file.
async fn post_recording(
    t: &TestApp,
    cookie: &str,
    case: i64,
    kind: &str,
    complaint: &str,
    bytes: Vec<u8>,
) -> (StatusCode, String, String) {
    let form = Form::new()
        .text("csrf_token", t.form_token(cookie).await)
        .text("kind", kind.to_owned())
        .text("complaint", complaint.to_owned())
        .part(
            "recording",
            Part::bytes(bytes)
                .file_name("热线录音.wav")
                .mime_str("audio/wav")
                .unwrap(),
        );
    let r = t
        .client
        .post(t.url(&format!("/cases/{case}/recordings")))
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, r.text().await.unwrap())
}

#[tokio::test]
async fn a_complaint_is_registered_resolved_and_recorded_from_the_case_page() {
    let dir = tempfile::tempdir().unwrap();
    let t = TestApp::spawn_with(Config {
        recordings_dir: dir.path().to_path_buf(),
        ..test_config()
    })
    .await;
    let officer = t.signed_in("officer1", BASIC, Role::Officer).await;
    let case = file_case(&t, &officer).await;
    let cookie = t.page_login("officer1").await;
    let back = format!("/cases/{case}#complaints");
    let register = format!("/cases/{case}/complaints");
    let (_, page) = t.html(&format!("/cases/{case}"), &cookie).await;
    assert!(page.contains("id=\"complaint-form\""));
    assert!(page.contains("id=\"recording-form\""));

    // Received tomorrow, or on no day at all: refused in Chinese, the complainant kept.
    let tomorrow = day(&t, 1);
    for (on, words) in [
        (tomorrow.as_str(), "不能晚于今天"),
        ("上周五", "不是有效日期"),
    ] {
        let a = t
            .form(
                &register,
                &cookie,
                &[
                    ("channel", "hotline"),
                    ("complainant", "张三"),
                    ("summary", "反映案件长期未执行到位"),
                    ("received_on", on),
                ],
            )
            .await;
        refused_in_place(
            &a,
            StatusCode::UNPROCESSABLE_ENTITY,
            &[words, "value=\"张三\"", "id=\"complaints-refused\""],
        );
    }
    let path = format!("/api/v1/cases/{case}/complaints");
    let list = || t.get_value(&path, Some(&officer));
    assert!(list().await.as_array().unwrap().is_empty());

    let today = t.app.today().to_string();
    let a = t
        .form(
            &register,
            &cookie,
            &[
                ("channel", "hotline"),
                ("complainant", "张三"),
                ("summary", "反映案件长期未执行到位"),
                ("received_on", &today),
            ],
        )
        .await;
    done(&a, &back);
    let complaints = list().await;
    let id = complaints[0]["id"].as_i64().unwrap();
    assert_eq!(complaints[0]["status"], "registered");
    assert_eq!(complaints[0]["channel"], "hotline");

    // A hotline recording for it: an unknown kind and an empty file are refused in place.
    let a = post_recording(&t, &cookie, case, "tape", &id.to_string(), wav(800)).await;
    refused_in_place(
        &a,
        StatusCode::UNPROCESSABLE_ENTITY,
        &["记录类别“tape”不明"],
    );
    let a = post_recording(&t, &cookie, case, "hotline", &id.to_string(), Vec::new()).await;
    refused_in_place(&a, StatusCode::UNPROCESSABLE_ENTITY, &["上传的内容为空"]);
    let a = post_recording(&t, &cookie, case, "hotline", &id.to_string(), wav(800)).await;
    done(&a, &back);
    let recs = t
        .get_value(&format!("/api/v1/cases/{case}/recordings"), Some(&officer))
        .await;
    assert_eq!(recs.as_array().unwrap().len(), 1, "{recs}");
    assert_eq!(recs[0]["complaint_id"], id);
    assert_eq!(recs[0]["kind"], "hotline");
    assert_eq!(recs[0]["name"], "热线录音.wav");

    // The court's list shows it open, leading to the case's section.
    let (status, page) = t.html("/complaints?status=registered", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("href=\"/complaints\""), "in the navigation");
    assert!(page.contains(&format!("data-complaint=\"{id}\"")), "{page}");
    assert!(page.contains(&format!("href=\"/cases/{case}#complaints\"")));

    // Resolved: an empty result refused, then resolved; resolving again is a conflict.
    let resolve = format!("/cases/{case}/complaints/{id}/resolution");
    let a = t.form(&resolve, &cookie, &[("result", "")]).await;
    refused_in_place(&a, StatusCode::UNPROCESSABLE_ENTITY, &["办理结果须为"]);
    let a = t
        .form(
            &resolve,
            &cookie,
            &[("result", "已电话答复信访人，案件正在评估拍卖")],
        )
        .await;
    done(&a, &back);
    let complaints = list().await;
    assert_eq!(complaints[0]["status"], "resolved");
    assert_eq!(
        complaints[0]["result"],
        "已电话答复信访人，案件正在评估拍卖"
    );
    let a = t.form(&resolve, &cookie, &[("result", "再次答复")]).await;
    refused_in_place(&a, StatusCode::CONFLICT, &["该信访已办结"]);
    let (_, page) = t.html("/complaints?status=registered", &cookie).await;
    assert!(
        !page.contains(&format!("data-complaint=\"{id}\"")),
        "resolved: not open"
    );
    let (_, page) = t.html("/complaints?status=resolved", &cookie).await;
    assert!(page.contains(&format!("data-complaint=\"{id}\"")));

    // Someone who only reads the case (a supervisor above) sees no form and may not post one.
    t.user("sup1", INTERMEDIATE, &[Role::Supervisor]).await;
    let sup = t.page_login("sup1").await;
    let (_, page) = t.html(&format!("/cases/{case}"), &sup).await;
    assert!(page.contains("已电话答复信访人"));
    assert!(!page.contains("id=\"complaint-form\""));
    let a = t
        .form(
            &register,
            &sup,
            &[
                ("channel", "visit"),
                ("complainant", "李四"),
                ("summary", "反映问题"),
                ("received_on", &today),
            ],
        )
        .await;
    assert_eq!(a.0, StatusCode::FORBIDDEN);
}
