//! The institution simulator (机构模拟器): a separate process that plays any number of
//! institutions over the real protocol. Its world — who holds what where — is derived from
//! the seed and the subject's ID number, so the same query always finds the same property.
//! Latency, an error rate and outages are configurable; duplicate deliveries are counted.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::protocol::{
    Asset, AssetKind, Body, Envelope, MeasureStatus, MessageKind, Officer, PROTOCOL,
};
use crate::signing::{KeyPair, verify};

/// How the simulator behaves.
#[derive(Debug, Clone)]
pub struct SimConfig {
    pub seed: u64,
    pub institutions: usize,
    pub latency: Duration,
    /// Share of deliveries answered 503 (the sender must retry).
    pub error_rate: f64,
    /// The platform's public key; requests not signed with it are refused.
    pub platform_public_key: Option<String>,
    /// Base URL of the platform, replies go to `{reply_to}/exchange/v1/replies`.
    pub reply_to: Option<String>,
    /// The simulator's own base URL, for the endpoints it advertises.
    pub base_url: String,
    /// Where the institutions' calendar comes from: the platform's training clock in training
    /// mode (演练模式), so that a freeze's last day passes for the bank when it passes for
    /// the court; the real date when `None`.
    pub today: Option<SimToday>,
}

/// A source of today's date (Beijing time) for the simulated institutions.
#[derive(Clone)]
pub struct SimToday(pub std::sync::Arc<dyn Fn() -> jiff::civil::Date + Send + Sync>);

impl std::fmt::Debug for SimToday {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SimToday(..)")
    }
}

/// One simulated institution.
#[derive(Debug, Clone, Serialize)]
pub struct SimInstitution {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub measures: String,
    pub channel: String,
    pub region: String,
    pub endpoint: String,
    pub public_key: String,
    pub concurrency: i64,
    #[serde(skip)]
    key: KeyPair,
}

/// Counters the tests and the bench read.
#[derive(Debug, Default, Serialize, Clone)]
pub struct Stats {
    pub received: u64,
    pub duplicates: u64,
    pub refused: u64,
    pub injected_errors: u64,
    pub replies_sent: u64,
    /// Measures (freeze, seize, detain, deduct) carried out or queued.
    pub measures: u64,
    /// A measure asked again by the same case on the same property under a new message id:
    /// what a platform that loses track of its requests would do. Must stay 0.
    pub duplicate_measures: u64,
}

struct SimState {
    cfg: SimConfig,
    institutions: HashMap<String, SimInstitution>,
    seen: Mutex<HashMap<String, u32>>,
    received: AtomicU64,
    duplicates: AtomicU64,
    refused: AtomicU64,
    injected: AtomicU64,
    replies: AtomicU64,
    outage_until: Mutex<Option<Instant>>,
    client: reqwest::Client,
    /// The property each institution has reported, and who holds it.
    ledger: Mutex<Ledger>,
    measures: AtomicU64,
    duplicate_measures: AtomicU64,
}

/// What the simulated institutions remember between messages: the property they reported,
/// its balance, the measures on it in order (the first in effect, the rest waiting: 轮候),
/// and the body of every answer given, so a repeated delivery gets the same answer and
/// changes nothing.
#[derive(Default)]
struct Ledger {
    property: HashMap<(String, String), Property>,
    answers: HashMap<String, Body>,
}

struct Property {
    kind: AssetKind,
    balance: i64,
    holders: Vec<Holder>,
}

#[derive(Clone, Serialize)]
struct Holder {
    /// `court:<id>`, or `other` for a court outside the simulation.
    court: String,
    case_number: String,
    request_id: String,
    measure_reference: String,
    kind: String,
    amount_fen: Option<i64>,
    until: Option<jiff::civil::Date>,
    /// Days a waiting measure lasts once it takes effect.
    days: i64,
    #[serde(skip)]
    officer: Officer,
}

/// (kind, name, asset kind the institution holds, share of subjects holding something there)
const KINDS: [(&str, &str, AssetKind, u64); 12] = [
    ("bank", "银行", AssetKind::BankDeposit, 45),
    ("securities", "证券公司", AssetKind::Securities, 10),
    (
        "real_estate_registry",
        "不动产登记中心",
        AssetKind::RealEstate,
        20,
    ),
    (
        "vehicle_administration",
        "车辆管理所",
        AssetKind::Vehicle,
        25,
    ),
    (
        "housing_fund",
        "住房公积金管理中心",
        AssetKind::HousingFund,
        30,
    ),
    (
        "social_insurance",
        "社会保险经办机构",
        AssetKind::SocialInsurance,
        15,
    ),
    ("tax", "税务机关", AssetKind::TaxRefund, 5),
    (
        "online_payment",
        "网络支付平台",
        AssetKind::OnlinePayment,
        40,
    ),
    ("internet_bank", "互联网银行", AssetKind::InternetBank, 20),
    (
        "online_lending",
        "网络借贷平台",
        AssetKind::OnlineLending,
        5,
    ),
    (
        "virtual_property",
        "虚拟财产运营商",
        AssetKind::VirtualProperty,
        5,
    ),
    (
        "ip_office",
        "知识产权局",
        AssetKind::IntellectualProperty,
        3,
    ),
];

fn digest(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
        h.update([0u8]);
    }
    h.finalize().into()
}

impl SimConfig {
    /// The institutions this configuration plays, with keys derived from the seed.
    pub fn institutions(&self) -> Vec<SimInstitution> {
        (0..self.institutions)
            .map(|i| {
                let (kind, label, _, _) = KINDS[i % KINDS.len()];
                let id = format!("sim-{kind}-{i:04}").replace('_', "-");
                let key = KeyPair::from_seed(digest(&[
                    b"sim-key",
                    &self.seed.to_le_bytes(),
                    id.as_bytes(),
                ]));
                let measures =
                    if kind == "bank" || kind == "internet_bank" || kind == "online_payment" {
                        "query,freeze,deduct,renew,release"
                    } else {
                        "query,seize,detain,renew,release"
                    };
                SimInstitution {
                    name: format!("模拟{label}{i:04}"),
                    kind: kind.to_owned(),
                    measures: measures.to_owned(),
                    channel: "national".to_owned(),
                    region: String::new(),
                    endpoint: format!(
                        "{}/institutions/{id}/messages",
                        self.base_url.trim_end_matches('/')
                    ),
                    public_key: key.public_base64(),
                    concurrency: 8,
                    key,
                    id,
                }
            })
            .collect()
    }
}

/// What an institution holds for a subject: derived, never stored.
fn world(seed: u64, inst: &SimInstitution, id_number: &str) -> Vec<Asset> {
    let Some((_, _, asset_kind, share)) = KINDS.iter().find(|k| k.0 == inst.kind) else {
        return Vec::new();
    };
    let d = digest(&[
        b"world",
        &seed.to_le_bytes(),
        inst.id.as_bytes(),
        id_number.as_bytes(),
    ]);
    let roll = u64::from(d[0]) * 100 / 256;
    if roll >= *share {
        return Vec::new();
    }
    let n = 1 + usize::from(d[1] % 3);
    (0..n)
        .map(|k| {
            let v = u64::from_le_bytes([d[2 + k], d[3 + k], d[4 + k], d[5 + k], 0, 0, 0, 0]);
            Asset {
                kind: *asset_kind,
                reference: format!(
                    "{}-{}",
                    inst.id.rsplit('-').next().unwrap_or("0"),
                    hex::encode(&d[8 + k * 4..12 + k * 4])
                ),
                description: format!("{}（模拟）", inst.name),
                value_fen: Some(i64::try_from(v % 50_000_000).unwrap_or(0)),
                encumbrances: if d[20 + k].is_multiple_of(10) {
                    vec!["(2025)京0101执99号".to_owned()]
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

#[derive(Serialize)]
struct Ack {
    status: &'static str,
}

async fn receive(
    State(s): State<Arc<SimState>>,
    Path(id): Path<String>,
    Json(env): Json<Envelope>,
) -> (StatusCode, Json<Ack>) {
    s.received.fetch_add(1, Ordering::Relaxed);
    let Some(inst) = s.institutions.get(&id).cloned() else {
        return (
            StatusCode::NOT_FOUND,
            Json(Ack {
                status: "unknown_institution",
            }),
        );
    };
    let outage = s
        .outage_until
        .lock()
        .ok()
        .and_then(|g| *g)
        .is_some_and(|until| Instant::now() < until);
    if outage {
        s.injected.fetch_add(1, Ordering::Relaxed);
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Ack { status: "outage" }),
        );
    }
    let refuse = env.validate().is_err()
        || env.check_fresh(jiff::Timestamp::now(), 300).is_err()
        || env.recipient != format!("institution:{id}")
        || s.cfg
            .platform_public_key
            .as_deref()
            .is_some_and(|k| verify(&env, k).is_err());
    if refuse {
        s.refused.fetch_add(1, Ordering::Relaxed);
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(Ack { status: "refused" }),
        );
    }
    let d = digest(&[
        b"errors",
        env.message_id.as_bytes(),
        &s.received.load(Ordering::Relaxed).to_le_bytes(),
    ]);
    if f64::from(d[0]) / 256.0 < s.cfg.error_rate {
        s.injected.fetch_add(1, Ordering::Relaxed);
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Ack {
                status: "try_again",
            }),
        );
    }
    let first = match s.seen.lock() {
        Ok(mut seen) => {
            let n = seen.entry(env.message_id.clone()).or_insert(0);
            *n += 1;
            *n == 1
        }
        Err(_) => true,
    };
    if !first {
        s.duplicates.fetch_add(1, Ordering::Relaxed);
    }
    // Every delivery is answered (again): if the earlier reply was lost the platform needs
    // it; if not, the platform recognises its message id and applies nothing twice.
    let (reply, notices) = answer(&s, &inst, &env);
    let state = s.clone();
    tokio::spawn(async move {
        tokio::time::sleep(state.cfg.latency).await;
        deliver(&state, reply).await;
        for n in notices {
            deliver(&state, n).await;
        }
    });
    (
        if first {
            StatusCode::ACCEPTED
        } else {
            StatusCode::OK
        },
        Json(Ack {
            status: if first { "accepted" } else { "duplicate" },
        }),
    )
}

async fn deliver(state: &SimState, reply: Envelope) {
    let Some(base) = &state.cfg.reply_to else {
        return;
    };
    let url = format!("{}/exchange/v1/replies", base.trim_end_matches('/'));
    for attempt in 0..8u32 {
        match state.client.post(&url).json(&reply).send().await {
            Ok(r) if r.status().is_success() || r.status().is_client_error() => {
                state.replies.fetch_add(1, Ordering::Relaxed);
                break;
            }
            _ => tokio::time::sleep(Duration::from_millis(200 * 2u64.pow(attempt))).await,
        }
    }
}

fn signed(
    inst: &SimInstitution,
    id_parts: &[&[u8]],
    in_reply_to: &str,
    case_number: &str,
    officer: &Officer,
    recipient: &str,
    body: Body,
) -> Envelope {
    let mut env = Envelope {
        protocol: PROTOCOL.into(),
        message_id: hex::encode(&digest(id_parts)[..16]),
        kind: MessageKind::Reply,
        sent_at: jiff::Timestamp::now(),
        sender: format!("institution:{}", inst.id),
        recipient: recipient.to_owned(),
        case_number: case_number.to_owned(),
        officer: officer.clone(),
        in_reply_to: Some(in_reply_to.to_owned()),
        body,
        signature: None,
    };
    inst.key.sign(&mut env);
    env
}

fn measure_result(
    status: MeasureStatus,
    reference: Option<String>,
    amount_fen: Option<i64>,
    until: Option<jiff::civil::Date>,
    queue_position: Option<u32>,
    reason: Option<&str>,
) -> Body {
    Body::MeasureResult {
        status,
        measure_reference: reference,
        amount_fen,
        until,
        queue_position,
        reason: reason.map(str::to_owned),
    }
}

fn real_today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .date()
}

impl SimState {
    /// The institutions' today: the configured calendar's, else the real one.
    fn today(&self) -> jiff::civil::Date {
        self.cfg.today.as_ref().map_or_else(real_today, |t| (t.0)())
    }
}

/// The signed reply to a request, and any notices it causes (a lifted measure lets the next
/// one on the waiting list take effect: its court is told). The reply's id derives from the
/// request's, so a repeated delivery gets the very same reply and changes nothing.
fn answer(s: &SimState, inst: &SimInstitution, req: &Envelope) -> (Envelope, Vec<Envelope>) {
    let mut notices = Vec::new();
    let body = match s.ledger.lock() {
        Ok(mut ledger) => {
            if let Some(b) = ledger.answers.get(&req.message_id) {
                b.clone()
            } else {
                let b = decide(s, &mut ledger, inst, req, &mut notices);
                ledger.answers.insert(req.message_id.clone(), b.clone());
                b
            }
        }
        Err(_) => measure_result(
            MeasureStatus::Refused,
            None,
            None,
            None,
            None,
            Some("internal error"),
        ),
    };
    let reply = signed(
        inst,
        &[b"reply", req.message_id.as_bytes()],
        &req.message_id,
        &req.case_number,
        &req.officer,
        &req.sender,
        body,
    );
    (reply, notices)
}

fn decide(
    s: &SimState,
    ledger: &mut Ledger,
    inst: &SimInstitution,
    req: &Envelope,
    notices: &mut Vec<Envelope>,
) -> Body {
    let refused =
        |why: &str| measure_result(MeasureStatus::Refused, None, None, None, None, Some(why));
    match &req.body {
        Body::Query { subject } => {
            let assets = world(s.cfg.seed, inst, &subject.id_number);
            for a in &assets {
                ledger
                    .property
                    .entry((inst.id.clone(), a.reference.clone()))
                    .or_insert_with(|| Property {
                        kind: a.kind,
                        balance: a.value_fen.unwrap_or(0),
                        holders: a
                            .encumbrances
                            .iter()
                            .map(|c| Holder {
                                court: "other".into(),
                                case_number: c.clone(),
                                request_id: String::new(),
                                measure_reference: format!("other-{c}"),
                                kind: "freeze".into(),
                                amount_fen: None,
                                until: None,
                                days: 0,
                                officer: req.officer.clone(),
                            })
                            .collect(),
                    });
            }
            Body::QueryResult {
                outcome: if assets.is_empty() {
                    "none".into()
                } else {
                    "found".into()
                },
                assets,
            }
        }
        Body::Measure {
            asset_reference,
            amount_fen,
            until,
            ..
        } => {
            let Some(p) = ledger
                .property
                .get_mut(&(inst.id.clone(), asset_reference.clone()))
            else {
                return refused("no such property here");
            };
            let kind = req.kind.as_str();
            if p.holders.iter().any(|h| {
                h.case_number == req.case_number && h.kind == kind && h.court == req.sender
            }) {
                s.duplicate_measures.fetch_add(1, Ordering::Relaxed);
                return refused("this case already holds the property with this measure");
            }
            s.measures.fetch_add(1, Ordering::Relaxed);
            let reference = format!(
                "M{}",
                hex::encode(&digest(&[b"measure", req.message_id.as_bytes()])[..6])
            );
            if req.kind == MessageKind::Deduct {
                if p.holders.first().is_some_and(|h| h.court != req.sender) {
                    return refused("the property is frozen by another court");
                }
                let asked = amount_fen.unwrap_or(0);
                let taken = asked.min(p.balance).max(0);
                p.balance -= taken;
                let status = if taken < asked {
                    MeasureStatus::Partial
                } else {
                    MeasureStatus::Done
                };
                return measure_result(status, Some(reference), Some(taken), None, None, None);
            }
            let days = until
                .and_then(|u| u.since(s.today()).ok())
                .map_or(365, |sp| i64::from(sp.get_days()));
            let amount = amount_fen.map(|a| a.min(p.balance).max(0));
            let partial = matches!((amount_fen, amount), (Some(a), Some(b)) if b < *a);
            let holder = Holder {
                court: req.sender.clone(),
                case_number: req.case_number.clone(),
                request_id: req.message_id.clone(),
                measure_reference: reference.clone(),
                kind: kind.to_owned(),
                amount_fen: amount,
                until: *until,
                days,
                officer: req.officer.clone(),
            };
            let ahead = p.holders.len();
            p.holders.push(holder);
            if ahead == 0 {
                let status = if partial {
                    MeasureStatus::Partial
                } else {
                    MeasureStatus::Done
                };
                measure_result(status, Some(reference), amount, *until, None, None)
            } else {
                measure_result(
                    MeasureStatus::Queued,
                    Some(reference),
                    amount,
                    None,
                    u32::try_from(ahead).ok(),
                    Some("waiting behind an earlier measure (轮候)"),
                )
            }
        }
        Body::Renew {
            measure_reference,
            until,
        } => {
            let holder = ledger.property.values_mut().find_map(|p| {
                p.holders
                    .first_mut()
                    .filter(|h| &h.measure_reference == measure_reference && h.court == req.sender)
            });
            match holder {
                None => refused("no measure of yours in effect under this reference"),
                Some(h) if h.until.is_some_and(|u| u < s.today()) => {
                    refused("the measure has expired and can no longer be renewed")
                }
                Some(h) => {
                    h.until = Some(*until);
                    measure_result(
                        MeasureStatus::Done,
                        Some(measure_reference.clone()),
                        h.amount_fen,
                        Some(*until),
                        None,
                        None,
                    )
                }
            }
        }
        Body::Release {
            measure_reference, ..
        } => {
            let found = ledger.property.values_mut().find_map(|p| {
                p.holders
                    .iter()
                    .position(|h| {
                        &h.measure_reference == measure_reference && h.court == req.sender
                    })
                    .map(|i| (p, i))
            });
            let Some((p, i)) = found else {
                return refused("no measure of yours under this reference");
            };
            p.holders.remove(i);
            if i == 0
                && let Some(next) = p.holders.first_mut()
                && next.court != "other"
            {
                // The first on the waiting list takes effect now, for the period it asked.
                let until = s
                    .today()
                    .checked_add(jiff::Span::new().days(next.days))
                    .ok();
                next.until = until;
                notices.push(signed(
                    inst,
                    &[b"effective", next.request_id.as_bytes()],
                    &next.request_id,
                    &next.case_number,
                    &next.officer,
                    &next.court,
                    measure_result(
                        MeasureStatus::Done,
                        Some(next.measure_reference.clone()),
                        next.amount_fen,
                        until,
                        None,
                        Some("the earlier measure was lifted: this one is now in effect"),
                    ),
                ));
            }
            measure_result(
                MeasureStatus::Done,
                Some(measure_reference.clone()),
                None,
                None,
                None,
                None,
            )
        }
        _ => refused("not a request"),
    }
}

#[derive(Serialize)]
struct PropertyView {
    kind: AssetKind,
    balance_fen: i64,
    holders: Vec<Holder>,
}

/// What an institution knows of one property (for tests and demonstrations).
async fn property(
    State(s): State<Arc<SimState>>,
    Path((id, reference)): Path<(String, String)>,
) -> Result<Json<PropertyView>, StatusCode> {
    let ledger = s
        .ledger
        .lock()
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let p = ledger
        .property
        .get(&(id, reference))
        .ok_or(StatusCode::NOT_FOUND)?;
    Ok(Json(PropertyView {
        kind: p.kind,
        balance_fen: p.balance,
        holders: p.holders.clone(),
    }))
}

async fn list(State(s): State<Arc<SimState>>) -> Json<Vec<SimInstitution>> {
    let mut v: Vec<SimInstitution> = s.institutions.values().cloned().collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    Json(v)
}

async fn stats(State(s): State<Arc<SimState>>) -> Json<Stats> {
    Json(Stats {
        received: s.received.load(Ordering::Relaxed),
        duplicates: s.duplicates.load(Ordering::Relaxed),
        refused: s.refused.load(Ordering::Relaxed),
        injected_errors: s.injected.load(Ordering::Relaxed),
        replies_sent: s.replies.load(Ordering::Relaxed),
        measures: s.measures.load(Ordering::Relaxed),
        duplicate_measures: s.duplicate_measures.load(Ordering::Relaxed),
    })
}

#[derive(Deserialize)]
struct Outage {
    seconds: u64,
}

async fn outage(State(s): State<Arc<SimState>>, Json(o): Json<Outage>) -> StatusCode {
    if let Ok(mut g) = s.outage_until.lock() {
        *g = Some(Instant::now() + Duration::from_secs(o.seconds));
    }
    StatusCode::NO_CONTENT
}

/// The simulator's routes.
pub fn router(cfg: SimConfig) -> Router {
    let institutions = cfg
        .institutions()
        .into_iter()
        .map(|i| (i.id.clone(), i))
        .collect();
    let state = Arc::new(SimState {
        cfg,
        institutions,
        seen: Mutex::new(HashMap::new()),
        received: AtomicU64::new(0),
        duplicates: AtomicU64::new(0),
        refused: AtomicU64::new(0),
        injected: AtomicU64::new(0),
        replies: AtomicU64::new(0),
        outage_until: Mutex::new(None),
        client: reqwest::Client::new(),
        ledger: Mutex::new(Ledger::default()),
        measures: AtomicU64::new(0),
        duplicate_measures: AtomicU64::new(0),
    });
    Router::new()
        .route("/institutions", get(list))
        .route("/institutions/{id}/messages", post(receive))
        .route("/stats", get(stats))
        .route("/institutions/{id}/property/{reference}", get(property))
        .route("/control/outage", post(outage))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn cfg() -> SimConfig {
        SimConfig {
            seed: 7,
            institutions: 24,
            latency: Duration::ZERO,
            error_rate: 0.0,
            platform_public_key: None,
            reply_to: None,
            base_url: "http://sim".into(),
            today: None,
        }
    }

    #[test]
    fn the_world_is_deterministic_and_varied() {
        let insts = cfg().institutions();
        assert_eq!(insts.len(), 24);
        assert_eq!(
            insts[0].public_key,
            cfg().institutions()[0].public_key,
            "keys derive from the seed"
        );
        let found: usize = insts
            .iter()
            .map(|i| world(7, i, "110101198001010010").len())
            .sum();
        let again: usize = insts
            .iter()
            .map(|i| world(7, i, "110101198001010010").len())
            .sum();
        assert_eq!(found, again);
        let people = [
            "110101198001010010",
            "11010519491231002X",
            "110101199001010015",
        ];
        let total: usize = people
            .iter()
            .map(|p| insts.iter().map(|i| world(7, i, p).len()).sum::<usize>())
            .sum();
        assert!(total > 0, "somebody holds something somewhere");
    }
}
