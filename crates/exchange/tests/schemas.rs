//! The published JSON Schemas (docs/exchange/) describe exactly what the code sends.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use zhixing_exchange::protocol::new_message_id;
use zhixing_exchange::*;

fn schema(name: &str) -> jsonschema::Validator {
    let path = format!(
        "{}/../../docs/exchange/{name}.schema.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&s).unwrap()
}

fn envelope(kind: MessageKind, body: Body, in_reply_to: Option<String>) -> Value {
    let mut e = Envelope {
        protocol: PROTOCOL.into(),
        message_id: new_message_id(),
        kind,
        sent_at: jiff::Timestamp::now(),
        sender: "court:b110105".into(),
        recipient: "institution:icbc-bj".into(),
        case_number: "(2026)京0105执12号".into(),
        officer: Officer {
            id: "7".into(),
            name: "王执行".into(),
        },
        in_reply_to,
        body,
        signature: None,
    };
    assert_eq!(e.validate(), Ok(()));
    KeyPair::generate().sign(&mut e);
    serde_json::to_value(&e).unwrap()
}

#[test]
fn every_message_the_code_sends_matches_its_schema() {
    let until = Some(jiff::civil::date(2027, 11, 27));
    let cases: Vec<(&str, Value)> = vec![
        (
            "query",
            envelope(
                MessageKind::Query,
                Body::Query {
                    subject: Subject {
                        name: "李四".into(),
                        id_kind: "resident_id".into(),
                        id_number: "110101198001010010".into(),
                    },
                },
                None,
            ),
        ),
        (
            "measure",
            envelope(
                MessageKind::Freeze,
                Body::Measure {
                    asset_kind: AssetKind::BankDeposit,
                    asset_reference: "6222020200001234567".into(),
                    amount_fen: Some(1_000_000),
                    until,
                },
                None,
            ),
        ),
        (
            "measure",
            envelope(
                MessageKind::Seize,
                Body::Measure {
                    asset_kind: AssetKind::RealEstate,
                    asset_reference: "京(2020)朝阳区不动产权第0001号".into(),
                    amount_fen: None,
                    until,
                },
                None,
            ),
        ),
        (
            "renew",
            envelope(
                MessageKind::Renew,
                Body::Renew {
                    measure_reference: "F-1".into(),
                    until: jiff::civil::date(2028, 11, 27),
                },
                None,
            ),
        ),
        (
            "release",
            envelope(
                MessageKind::Release,
                Body::Release {
                    measure_reference: "F-1".into(),
                    reason: "已履行完毕".into(),
                },
                None,
            ),
        ),
        (
            "reply",
            envelope(
                MessageKind::Reply,
                Body::QueryResult {
                    outcome: "found".into(),
                    assets: vec![Asset {
                        kind: AssetKind::BankDeposit,
                        reference: "6222".into(),
                        description: "活期".into(),
                        value_fen: Some(52_000),
                        encumbrances: vec!["(2025)京0101执9号".into()],
                    }],
                },
                Some(new_message_id()),
            ),
        ),
        (
            "reply",
            envelope(
                MessageKind::Reply,
                Body::MeasureResult {
                    status: MeasureStatus::Queued,
                    measure_reference: Some("F-2".into()),
                    amount_fen: None,
                    until: None,
                    queue_position: Some(2),
                    reason: None,
                },
                Some(new_message_id()),
            ),
        ),
    ];
    for (name, msg) in &cases {
        let v = schema(name);
        let errors: Vec<String> = v.iter_errors(msg).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}\n{msg:#}");
    }
    // And the schemas refuse what the code refuses.
    let (_, good) = &cases[0];
    let mut extra = good.clone();
    extra["admin"] = json!(true);
    assert!(!schema("query").is_valid(&extra), "unknown fields");
    let mut unsigned = good.clone();
    unsigned.as_object_mut().unwrap().remove("signature");
    assert!(!schema("query").is_valid(&unsigned), "unsigned");
    let mut wrong_kind = good.clone();
    wrong_kind["kind"] = json!("freeze");
    assert!(!schema("query").is_valid(&wrong_kind));
    let mut negative = cases[1].1.clone();
    negative["body"]["amount_fen"] = json!(-1);
    assert!(!schema("measure").is_valid(&negative));
    let mut no_reply_to = cases[5].1.clone();
    no_reply_to.as_object_mut().unwrap().remove("in_reply_to");
    assert!(!schema("reply").is_valid(&no_reply_to));
    let parsed: Result<Envelope, _> = serde_json::from_value(extra);
    assert!(parsed.is_err(), "the code refuses unknown fields too");
}
