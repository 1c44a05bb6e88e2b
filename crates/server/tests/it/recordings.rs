//! Recordings over real HTTP: uploads streamed to the recordings directory with their SHA-256,
//! only audio or video accepted (by content), the size limit, interrupted uploads leaving
//! nothing, playback with single range requests, every playback audited, other courts 404.

use std::path::Path;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use zhixing_domain::access::Role;
use zhixing_server::Config;
use zhixing_testkit::{TestApp, assert_problem, test_config};

const COURT: &str = "b110105";
/// The limit the tests run with: small, so that "too large" costs little.
const MAX: u64 = 256 * 1024;

async fn app(dir: &Path) -> TestApp {
    TestApp::spawn_with(Config {
        recordings_dir: dir.to_path_buf(),
        recording_max_bytes: MAX,
        watch_worker: false,
        ..test_config()
    })
    .await
}

async fn file_case(t: &TestApp, token: &str, doc: &str) -> i64 {
    let body = json!({
        "case_type": "执",
        "parties": [
            {"role": "applicant", "kind": "person", "name": "张三", "id_number": "11010519491231002X"},
            {"role": "respondent", "kind": "person", "name": "李四", "id_number": "110101198001010010"}
        ],
        "basis": {"kind": "judgment", "issuing_body": "北京市朝阳区人民法院", "document_number": doc,
                  "effective_date": "2026-05-01", "performance_deadline": "2026-05-15"},
        "amounts": {"principal": 1_000_000}
    });
    let r = t.post_json("/api/v1/cases", Some(token), &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// A WAV file: the RIFF/WAVE header of 8 kHz mono 16-bit PCM, then `samples` samples.
fn wav(samples: usize) -> Vec<u8> {
    let data_len = u32::try_from(samples * 2).unwrap();
    let mut b = Vec::with_capacity(44 + samples * 2);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // PCM
    b.extend_from_slice(&1u16.to_le_bytes()); // mono
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

/// An MP4 file's `ftyp` box followed by payload bytes.
fn mp4(payload: usize) -> Vec<u8> {
    let mut b = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2".to_vec();
    b.extend((0..payload).map(|i| (i * 31 % 251) as u8));
    b
}

async fn upload(t: &TestApp, token: &str, path: &str, body: Vec<u8>) -> reqwest::Response {
    t.client
        .post(t.url(path))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn count(t: &TestApp, sql: &str) -> i64 {
    t.raw_text(&format!("SELECT CAST(COUNT(*) AS TEXT) FROM {sql}"))
        .await
        .parse()
        .unwrap()
}

/// The files in the recordings directory (temporary ones included).
fn files(dir: &Path) -> Vec<String> {
    match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

async fn get_range(t: &TestApp, token: &str, id: i64, range: Option<&str>) -> reqwest::Response {
    let mut r = t
        .client
        .get(t.url(&format!("/api/v1/recordings/{id}/content")))
        .bearer_auth(token);
    if let Some(range) = range {
        r = r.header("range", range);
    }
    r.send().await.unwrap()
}

fn header<'a>(r: &'a reqwest::Response, name: &str) -> &'a str {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

#[tokio::test]
async fn upload_stores_the_hash_and_plays_ranges_audited() {
    let dir = tempfile::tempdir().unwrap();
    let t = app(dir.path()).await;
    let officer = t.signed_in("officer", COURT, Role::Officer).await;
    let officer_id = t
        .raw_text("SELECT CAST(id AS TEXT) FROM users WHERE username = 'officer'")
        .await;
    let case = file_case(&t, &officer, "（2026）京0105民初11号").await;
    let audio = wav(20_000);
    let len = audio.len();
    let r = upload(
        &t,
        &officer,
        &format!("/api/v1/cases/{case}/recordings?kind=hotline&name=%E6%9D%A5%E7%94%B5.wav"),
        audio.clone(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let id = v["id"].as_i64().unwrap();
    assert_eq!(v["sha256"], hex::encode(Sha256::digest(&audio)));
    assert_eq!(v["size"], len as i64);
    assert_eq!(v["content_type"], "audio/x-wav");
    assert_eq!(v["kind"], "hotline");
    assert_eq!(v["name"], "来电.wav");
    assert_eq!(v["case_id"], case);
    // One file, whole, and no temporary one left.
    let stored = files(dir.path());
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(std::fs::read(dir.path().join(&stored[0])).unwrap(), audio);
    let meta = t
        .get_value(&format!("/api/v1/recordings/{id}"), Some(&officer))
        .await;
    assert_eq!(meta["sha256"], v["sha256"]);
    assert_eq!(meta["url"], format!("/api/v1/recordings/{id}/content"));
    let listed = t
        .get_value(&format!("/api/v1/cases/{case}/recordings"), Some(&officer))
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // The whole file.
    let r = get_range(&t, &officer, id, None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "accept-ranges"), "bytes");
    assert_eq!(header(&r, "content-type"), "audio/x-wav");
    assert_eq!(r.bytes().await.unwrap().to_vec(), audio);
    // The first bytes.
    let r = get_range(&t, &officer, id, Some("bytes=0-99")).await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(header(&r, "content-range"), format!("bytes 0-99/{len}"));
    assert_eq!(header(&r, "content-length"), "100");
    assert_eq!(r.bytes().await.unwrap().to_vec(), audio[..100].to_vec());
    // The middle.
    let r = get_range(&t, &officer, id, Some("bytes=1000-1999")).await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        header(&r, "content-range"),
        format!("bytes 1000-1999/{len}")
    );
    assert_eq!(
        r.bytes().await.unwrap().to_vec(),
        audio[1000..2000].to_vec()
    );
    // The last 100 bytes.
    let r = get_range(&t, &officer, id, Some("bytes=-100")).await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        header(&r, "content-range"),
        format!("bytes {}-{}/{len}", len - 100, len - 1)
    );
    assert_eq!(
        r.bytes().await.unwrap().to_vec(),
        audio[len - 100..].to_vec()
    );
    // From an offset to the end, the end past the file clipped.
    let r = get_range(
        &t,
        &officer,
        id,
        Some(&format!("bytes={}-{}", len - 10, len + 500)),
    )
    .await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        r.bytes().await.unwrap().to_vec(),
        audio[len - 10..].to_vec()
    );
    // Past the end.
    let r = get_range(&t, &officer, id, Some(&format!("bytes={len}-"))).await;
    assert_eq!(header(&r, "content-range"), format!("bytes */{len}"));
    assert_problem(
        r,
        StatusCode::RANGE_NOT_SATISFIABLE,
        "range_not_satisfiable",
    )
    .await;
    let r = get_range(&t, &officer, id, Some("bytes=0-9,20-29")).await;
    assert_problem(
        r,
        StatusCode::RANGE_NOT_SATISFIABLE,
        "range_not_satisfiable",
    )
    .await;

    // Every playback is on the audit chain with who and which bytes; refusals read nothing.
    let events = t
        .app
        .store
        .list_events(&zhixing_store::events::EventFilter {
            after_seq: 0,
            limit: 1000,
            subject: Some(format!("case:{case}")),
            court_path_prefix: None,
            newest_first: false,
            ..Default::default()
        })
        .await
        .unwrap();
    let played: Vec<Value> = events
        .iter()
        .filter(|e| e.kind == "recording.played")
        .map(|e| {
            assert_eq!(e.actor, format!("user:{officer_id}"));
            serde_json::from_str(&e.payload).unwrap()
        })
        .collect();
    let ranges: Vec<&str> = played
        .iter()
        .map(|p| p["range"].as_str().unwrap())
        .collect();
    assert_eq!(
        ranges,
        vec![
            format!("bytes 0-{}/{len}", len - 1),
            format!("bytes 0-99/{len}"),
            format!("bytes 1000-1999/{len}"),
            format!("bytes {}-{}/{len}", len - 100, len - 1),
            format!("bytes {}-{}/{len}", len - 10, len - 1),
        ]
    );
    assert!(played.iter().all(|p| p["recording"] == id));
    assert_eq!(played[1]["bytes"], 100);
    let uploaded = events
        .iter()
        .find(|e| e.kind == "recording.uploaded")
        .unwrap();
    let payload: Value = serde_json::from_str(&uploaded.payload).unwrap();
    assert_eq!(payload["sha256"], v["sha256"]);
    // The upload is on the case timeline.
    let timeline = t
        .get_value(&format!("/api/v1/cases/{case}/timeline"), Some(&officer))
        .await;
    assert!(
        timeline
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "recording.uploaded")
    );
}

#[tokio::test]
async fn not_audio_or_video_and_too_large_leave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let t = app(dir.path()).await;
    let officer = t.signed_in("officer", COURT, Role::Officer).await;
    let case = file_case(&t, &officer, "（2026）京0105民初12号").await;
    let path = format!("/api/v1/cases/{case}/recordings?kind=body_camera");

    // A text file, whatever it calls itself.
    let r = t
        .client
        .post(t.url(&path))
        .bearer_auth(&officer)
        .header("content-type", "video/mp4")
        .body("这不是录像，只是一段文字。\n".repeat(50))
        .send()
        .await
        .unwrap();
    assert_problem(r, StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_audio_or_video").await;
    let r = upload(&t, &officer, &path, b"%PDF-1.7\n".repeat(100)).await;
    assert_problem(r, StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_audio_or_video").await;
    let r = upload(&t, &officer, &path, Vec::new()).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "empty_recording").await;
    let r = upload(
        &t,
        &officer,
        &format!("/api/v1/cases/{case}/recordings?kind=cctv"),
        mp4(1000),
    )
    .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, "unknown_kind").await;

    // Over the limit, declared by Content-Length: refused before reading.
    let r = upload(&t, &officer, &path, mp4(MAX as usize)).await;
    assert_problem(r, StatusCode::PAYLOAD_TOO_LARGE, "recording_too_large").await;
    // Over the limit without a declared length: refused once the count passes it.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = std::iter::once(Ok(mp4(1000)))
        .chain((0..10).map(|_| Ok(vec![7u8; 32 * 1024])))
        .collect();
    let r = t
        .client
        .post(t.url(&path))
        .bearer_auth(&officer)
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_problem(r, StatusCode::PAYLOAD_TOO_LARGE, "recording_too_large").await;

    assert_eq!(count(&t, "recordings").await, 0);
    assert_eq!(
        count(&t, "events WHERE kind = 'recording.uploaded'").await,
        0
    );
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));

    // Exactly at the limit is accepted.
    let at_limit = mp4(MAX as usize - 24);
    let r = upload(&t, &officer, &path, at_limit.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["content_type"], "video/mp4");
    assert_eq!(v["sha256"], hex::encode(Sha256::digest(&at_limit)));
}

#[tokio::test]
async fn an_interrupted_upload_leaves_no_file_and_no_row() {
    let dir = tempfile::tempdir().unwrap();
    let t = app(dir.path()).await;
    let officer = t.signed_in("officer", COURT, Role::Officer).await;
    let case = file_case(&t, &officer, "（2026）京0105民初13号").await;
    // A real beginning (so the type passes and the file is started), then the sender fails.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(wav(10_000)),
        Ok(vec![1u8; 16 * 1024]),
        Err(std::io::Error::other("camera disconnected")),
    ];
    let sent = t
        .client
        .post(t.url(&format!("/api/v1/cases/{case}/recordings?kind=body_camera")))
        .bearer_auth(&officer)
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await;
    if let Ok(r) = sent {
        assert!(r.status().is_client_error(), "{}", r.status());
    }
    // The server notices the broken body on its own task: wait for its cleanup (a bounded
    // wait for an effect, not a stand-in for legal time).
    for _ in 0..200 {
        if files(dir.path()).is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
    assert_eq!(count(&t, "recordings").await, 0);
    assert_eq!(
        count(&t, "events WHERE kind = 'recording.uploaded'").await,
        0
    );

    // The server is none the worse: the next upload works.
    let r = upload(
        &t,
        &officer,
        &format!("/api/v1/cases/{case}/recordings?kind=body_camera"),
        mp4(5000),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(files(dir.path()).len(), 1);
}

#[tokio::test]
async fn complaint_recordings_and_other_courts() {
    let dir = tempfile::tempdir().unwrap();
    let t = app(dir.path()).await;
    let officer = t.signed_in("officer", COURT, Role::Officer).await;
    let stranger = t.signed_in("stranger", "b110101", Role::Officer).await;
    let supervisor = t.signed_in("super", "h11", Role::Supervisor).await;
    let case = file_case(&t, &officer, "（2026）京0105民初14号").await;
    let today = t.app.today().to_string();
    let c: Value = t
        .post_json(
            &format!("/api/v1/cases/{case}/complaints"),
            Some(&officer),
            &json!({"channel": "hotline", "complainant": "张三", "summary": "热线反映执行进度", "received_on": today}),
        )
        .await
        .json()
        .await
        .unwrap();
    let complaint = c["id"].as_i64().unwrap();
    let call = wav(4000);
    let r = upload(
        &t,
        &officer,
        &format!("/api/v1/complaints/{complaint}/recordings?kind=hotline"),
        call.clone(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let rec: Value = r.json().await.unwrap();
    let id = rec["id"].as_i64().unwrap();
    assert_eq!(rec["complaint_id"], complaint);
    assert_eq!(rec["case_id"], case);
    let shown = t
        .get_value(&format!("/api/v1/complaints/{complaint}"), Some(&officer))
        .await;
    assert_eq!(shown["recordings"][0]["id"], id);
    assert_eq!(
        shown["recordings"][0]["sha256"],
        hex::encode(Sha256::digest(&call))
    );

    // Another court's officer: nothing is revealed, nothing is played, nothing is stored.
    for path in [
        format!("/api/v1/recordings/{id}"),
        format!("/api/v1/recordings/{id}/content"),
        format!("/api/v1/cases/{case}/recordings"),
    ] {
        let r = t.get(&path, Some(&stranger)).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let r = get_range(&t, &stranger, id, Some("bytes=0-9")).await;
    assert_problem(r, StatusCode::NOT_FOUND, "recording_not_found").await;
    let r = upload(
        &t,
        &stranger,
        &format!("/api/v1/cases/{case}/recordings?kind=other"),
        mp4(100),
    )
    .await;
    assert_problem(r, StatusCode::NOT_FOUND, "case_not_found").await;
    let r = upload(
        &t,
        &stranger,
        &format!("/api/v1/complaints/{complaint}/recordings?kind=other"),
        mp4(100),
    )
    .await;
    assert_problem(r, StatusCode::NOT_FOUND, "complaint_not_found").await;
    // The supervisor above plays it (and is audited) but does not upload.
    let r = get_range(&t, &supervisor, id, Some("bytes=0-9")).await;
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    let r = upload(
        &t,
        &supervisor,
        &format!("/api/v1/cases/{case}/recordings?kind=other"),
        mp4(100),
    )
    .await;
    assert_problem(r, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(count(&t, "recordings").await, 1);
    assert_eq!(count(&t, "events WHERE kind = 'recording.played'").await, 1);
    assert_eq!(files(dir.path()).len(), 1);

    // The case page lists the complaint and plays the call in the browser, with the session
    // cookie, in ranges.
    let cookie = t.page_login("officer").await;
    let (status, page) = t.html(&format!("/cases/{case}"), &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("data-complaint=\"{complaint}\"")),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "<audio controls preload=\"metadata\" data-recording=\"{id}\" src=\"/api/v1/recordings/{id}/content\">"
        )),
        "{page}"
    );
    let r = t
        .client
        .get(t.url(&format!("/api/v1/recordings/{id}/content")))
        .header("cookie", &cookie)
        .header("range", "bytes=0-")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes().await.unwrap().to_vec(), call);
    assert_eq!(count(&t, "events WHERE kind = 'recording.played'").await, 2);
}
