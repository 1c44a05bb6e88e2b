//! Synthetic but realistic cases for demos and benchmarks, reproducible from a seed: filed
//! over the past two years across a set of courts, carried through the real services to every
//! state (open, suspended, awaiting approval, closed in each mode, resumed), in time order, so
//! that deadlines, documents, events and the audit chain are exactly what real use produces.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use zhixing_domain::access::{Principal, Role};
use zhixing_domain::case::{
    ActionKind, BasisKind, CaseEvent, ClosureMode, PartyRole, decide_approval, decide_closure,
};
use zhixing_domain::filing::{FilingInput, PartyInput};
use zhixing_domain::money::Fen;

use super::cases::{self as svc, Need};
use crate::error::ApiError;
use crate::state::{App, Clock, Config, ManualClock};

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "建华", "志强", "海燕", "国庆", "春梅", "晓东",
];
const FIRM_WORDS: &[&str] = &[
    "华信", "中联", "鑫源", "恒达", "京华", "博远", "瑞丰", "宏图", "金鼎", "天成", "众合", "盛世",
];
const FIRM_KINDS: &[&str] = &[
    "科技有限公司",
    "贸易有限公司",
    "建筑工程有限公司",
    "商贸有限公司",
    "房地产开发有限公司",
    "餐饮管理有限公司",
];

/// What was generated.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Report {
    pub cases: usize,
    pub by_state: BTreeMap<String, usize>,
    /// Respondents put on the dishonest-debtor list (most also under a restriction order).
    pub listed: usize,
    /// One listed respondent (name, identifier) to try the public search with. The data is
    /// synthetic; the identifier is printed by the demo, never logged.
    #[serde(skip)]
    pub example_listing: Option<(String, String)>,
}

fn id_number(rng: &mut ChaCha8Rng, region: &str, birth_year: i32) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let body = format!(
        "{region:0<6}{birth_year:04}{:02}{:02}{:03}",
        rng.gen_range(1..=12),
        rng.gen_range(1..=28),
        rng.gen_range(1..999)
    );
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{body}{}", C[(sum % 11) as usize])
}

fn credit_code(rng: &mut ChaCha8Rng, region: &str) -> String {
    const CH: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let mut s = format!("91{region:0<6}");
    for _ in 0..9 {
        s.push(char::from(CH[rng.gen_range(0..CH.len())]));
    }
    let sum: usize = s
        .bytes()
        .zip(W)
        .map(|(b, w)| CH.iter().position(|c| *c == b).unwrap_or(0) * w)
        .sum();
    s.push(char::from(CH[(31 - sum % 31) % 31]));
    s
}

fn person(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{}{}",
        SURNAMES[rng.gen_range(0..SURNAMES.len())],
        GIVEN[rng.gen_range(0..GIVEN.len())]
    )
}

fn party(rng: &mut ChaCha8Rng, role: PartyRole, region: &str, org_share: f64) -> PartyInput {
    if rng.gen_bool(org_share) {
        PartyInput {
            role,
            kind: "organisation".into(),
            name: format!(
                "北京{}{}",
                FIRM_WORDS[rng.gen_range(0..FIRM_WORDS.len())],
                FIRM_KINDS[rng.gen_range(0..FIRM_KINDS.len())]
            ),
            id_number: None,
            credit_code: Some(credit_code(rng, region)),
            legal_representative: Some(person(rng)),
        }
    } else {
        let year = rng.gen_range(1955..2000);
        PartyInput {
            role,
            kind: "person".into(),
            name: person(rng),
            id_number: Some(id_number(rng, region, year)),
            credit_code: None,
            legal_representative: None,
        }
    }
}

/// What happens to one case, and when (seconds after the start of the simulation).
#[derive(Debug, Clone)]
enum Step {
    File(Box<FilingInput>),
    Assign,
    Act(ActionKind, &'static str),
    Pay(i64),
    Suspend,
    Close(ClosureMode, &'static str),
    Approve,
    Resume,
    /// Put the respondent on the dishonest list (statutory ground numbers); the listing
    /// brings its restriction order. Where the domain refuses, the officer records the
    /// restriction and why the list does not apply, as the 终本 checklist asks.
    List(&'static [u8]),
}

/// Generates `count` cases across `courts` (basic court ids), reproducibly from `seed`.
pub async fn cases(
    app: &App,
    courts: &[String],
    count: usize,
    seed: u64,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Report, ApiError> {
    if courts.is_empty() {
        return Err(ApiError::unprocessable(
            "no_courts",
            "no basic courts to file cases at: generate courts first",
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let now = app.now();
    let span_days = 720i64;
    let start = now
        .checked_sub(jiff::SignedDuration::from_hours(24 * span_days))
        .map_err(|_| ApiError::internal())?;
    let clock = Arc::new(ManualClock::new(start));
    let sim = App::new(
        app.store.clone(),
        Config {
            cipher: Some(app.cipher.clone()),
            ..Config::default()
        },
        clock.clone(),
    )?;

    // Plan every case as timed steps, then run all steps in time order.
    let day = 86_400i64;
    let mut plan: Vec<(i64, usize, Step)> = Vec::new();
    let mut case_court: Vec<String> = Vec::new();
    let mut plan_inputs: Vec<(String, String)> = Vec::new();
    for i in 0..count {
        let court = courts[rng.gen_range(0..courts.len())].clone();
        let region = court.trim_start_matches('b').to_owned();
        let filed = rng.gen_range(0..span_days * day - day) / 60 * 60;
        let age = span_days * day - filed;
        let effective = rng.gen_range(20..300);
        let filed_date = crate::state::china_date(
            start
                .checked_add(jiff::SignedDuration::from_secs(filed))
                .map_err(|_| ApiError::internal())?,
        );
        let eff = filed_date
            .checked_sub(jiff::Span::new().days(effective))
            .map_err(|_| ApiError::internal())?;
        let deadline = eff
            .checked_add(jiff::Span::new().days(15))
            .map_err(|_| ApiError::internal())?;
        let basis_kind = *[
            BasisKind::Judgment,
            BasisKind::Judgment,
            BasisKind::Mediation,
            BasisKind::Ruling,
            BasisKind::ArbitrationAward,
            BasisKind::NotarizedDebt,
        ]
        .get(rng.gen_range(0..6))
        .unwrap_or(&BasisKind::Judgment);
        let principal = (10f64.powf(rng.gen_range(5.0..8.7)) as i64) / 100 * 100;
        let costs = rng.gen_range(50..5000) * 100;
        let input = FilingInput {
            case_type: if rng.gen_bool(0.07) {
                "执保".into()
            } else {
                "执".into()
            },
            parties: {
                let applicant = party(&mut rng, PartyRole::Applicant, &region, 0.35);
                let respondent = party(&mut rng, PartyRole::Respondent, &region, 0.3);
                plan_inputs.push((
                    respondent.name.clone(),
                    respondent
                        .id_number
                        .clone()
                        .or_else(|| respondent.credit_code.clone())
                        .unwrap_or_default(),
                ));
                vec![applicant, respondent]
            },
            basis: zhixing_domain::case::Basis {
                kind: basis_kind,
                issuing_body: if basis_kind.non_litigation() {
                    "北京仲裁委员会".into()
                } else {
                    "本院".into()
                },
                document_number: format!("({}){}民初{}号", eff.year(), court, i + 1),
                effective_date: eff,
                performance_deadline: deadline.min(filed_date),
            },
            amounts: [principal, principal / 20, 0, costs],
            duties: String::new(),
            late_reason: None,
        };
        let total = principal + principal / 20 + costs;
        let mut steps = vec![(filed, Step::File(Box::new(input)))];
        let at = |d: i64, rng: &mut ChaCha8Rng| filed + d * day + rng.gen_range(0..8 * 3600);
        if age > 6 * day || rng.gen_bool(0.5) {
            steps.push((at(rng.gen_range(0..5), &mut rng), Step::Assign));
        }
        if age > 9 * day {
            steps.push((
                at(rng.gen_range(1..8), &mut rng),
                Step::Act(ActionKind::NoticeIssued, ""),
            ));
            steps.push((
                at(rng.gen_range(2..10), &mut rng),
                Step::Act(
                    ActionKind::OnlineInvestigation,
                    "总对总查询：存款、车辆、不动产、证券",
                ),
            ));
        }
        let roll: f64 = rng.gen_range(0.0..1.0);
        if age > 200 * day && roll < 0.35 {
            let d = rng.gen_range(20..150);
            steps.push((at(d, &mut rng), Step::Pay(total)));
            steps.push((
                at(d + 1, &mut rng),
                Step::Close(ClosureMode::FullyPerformed, "被执行人已全部履行"),
            ));
        } else if age > 120 * day && roll < 0.65 {
            let grounds: &'static [u8] = match rng.gen_range(0..10) {
                0..=4 => &[1],
                5..=7 => &[4],
                _ => &[2, 4],
            };
            steps.push((at(15, &mut rng), Step::List(grounds)));
            for (d, a, note) in [
                (
                    30,
                    ActionKind::TraditionalInvestigation,
                    "实地调查被执行人住所",
                ),
                (40, ActionKind::DebtorSearch, "查找被执行人下落"),
                (60, ActionKind::NoEnforceableProperty, "未发现可供执行财产"),
                (92, ActionKind::Interview, "申请执行人同意终结本次执行程序"),
            ] {
                steps.push((at(d, &mut rng), Step::Act(a, note)));
            }
            // Recent requests may still await the division head: those stay pending.
            let d = rng.gen_range(95..170.min(age / day).max(96));
            steps.push((
                at(d, &mut rng),
                Step::Close(
                    ClosureMode::Zhongben,
                    "经穷尽财产调查措施，未发现可供执行的财产",
                ),
            ));
            let wait = rng.gen_range(2..30);
            steps.push((at(d + wait, &mut rng), Step::Approve));
            if age > 400 * day && rng.gen_bool(0.12) {
                steps.push((at(d + rng.gen_range(100..200), &mut rng), Step::Resume));
            }
        } else if age > 60 * day && roll < 0.72 {
            steps.push((
                at(rng.gen_range(10..50), &mut rng),
                Step::Close(ClosureMode::Withdrawn, "申请执行人撤回执行申请"),
            ));
        } else if age > 60 * day && roll < 0.76 {
            steps.push((
                at(rng.gen_range(20..50), &mut rng),
                Step::Close(ClosureMode::Terminated, "据以执行的法律文书被撤销"),
            ));
            steps.push((at(rng.gen_range(51..60), &mut rng), Step::Approve));
        } else if age > 40 * day && roll < 0.82 {
            steps.push((at(rng.gen_range(12..35), &mut rng), Step::Suspend));
        } else if age > 20 * day && roll < 0.86 {
            steps.push((at(rng.gen_range(5..15), &mut rng), Step::Pay(total / 3)));
        } else if age > 45 * day && roll < 0.92 {
            // Open cases where the debtor did not report property (ground 4).
            steps.push((at(rng.gen_range(30..45), &mut rng), Step::List(&[4])));
        }
        for (t, s) in steps {
            if t < span_days * day {
                plan.push((t, i, s));
            }
        }
        case_court.push(court);
    }
    plan.sort_by_key(|(t, i, _)| (*t, *i));

    let mut ids: Vec<Option<i64>> = vec![None; count];
    let mut done = 0usize;
    let mut listed = 0usize;
    // One synthetic handler (officer and division head) per court that got a case, created
    // once: at national scale most of 3,000 courts may get none, and each account costs an
    // Argon2 hash. Names come from their own generator so that the plan does not depend on
    // which courts were drawn.
    let mut names = ChaCha8Rng::seed_from_u64(seed ^ 0x6e61_6d65);
    let used: std::collections::BTreeSet<&String> = case_court.iter().collect();
    let mut handlers: BTreeMap<String, Principal> = BTreeMap::new();
    for court in used {
        let username = format!("gen-{court}");
        let user = match sim.store.user_by_username(&username).await? {
            Some(u) => u,
            None => {
                let password = super::auth::new_token();
                super::users::create_user(
                    &sim,
                    None,
                    super::users::UserSpec {
                        username: username.clone(),
                        display_name: format!("{}（演示承办人）", person(&mut names)),
                        court_id: court.clone(),
                        roles: vec![Role::Officer, Role::DivisionHead],
                        password,
                    },
                )
                .await?;
                sim.store
                    .user_by_username(&username)
                    .await?
                    .ok_or_else(ApiError::internal)?
            }
        };
        handlers.insert(
            court.clone(),
            Principal {
                user_id: user.id,
                username: user.username,
                court_id: user.court_id,
                court_path: user.court_path,
                roles: vec![Role::Officer, Role::DivisionHead],
            },
        );
    }

    let mut example_listing = None;
    let total_steps = plan.len();
    for (n, (t, i, step)) in plan.into_iter().enumerate() {
        let when = start
            .checked_add(jiff::SignedDuration::from_secs(t))
            .map_err(|_| ApiError::internal())?;
        let delta = when.duration_since(clock.now());
        if delta.is_positive() {
            clock.advance(Duration::from_secs(delta.as_secs().unsigned_abs()));
        }
        let by = handlers
            .get(&case_court[i])
            .ok_or_else(ApiError::internal)?;
        let result = match (&step, ids[i]) {
            (Step::File(input), _) => {
                svc::file(&sim, by, (**input).clone(), None)
                    .await
                    .map(|(id, _)| {
                        ids[i] = Some(id);
                        done += 1;
                    })
            }
            (_, None) => Ok(()),
            (Step::Assign, Some(id)) => {
                let (uid, name) = (by.user_id, by.username.clone());
                svc::change(&sim, by, id, None, Need::Handler, |_, c| {
                    Ok(vec![CaseEvent::OfficerAssigned {
                        officer_id: uid,
                        officer_name: name,
                        on: c.today,
                    }])
                })
                .await
                .map(|_| ())
            }
            (Step::Act(a, note), Some(id)) => {
                svc::change(&sim, by, id, None, Need::Handler, |s, c| {
                    zhixing_domain::case::decide_action(s, *a, note, c.today).map(|e| vec![e])
                })
                .await
                .map(|_| ())
            }
            (Step::Pay(amount), Some(id)) => {
                let fen = Fen::new(*amount)
                    .map_err(|e| ApiError::unprocessable("invalid_amount", e.to_string()))?;
                svc::change(&sim, by, id, None, Need::Handler, |_, c| {
                    Ok(vec![CaseEvent::PaymentRecorded {
                        amount: fen,
                        on: c.today,
                        note: "被执行人履行".into(),
                    }])
                })
                .await
                .map(|_| ())
            }
            (Step::Suspend, Some(id)) => svc::change(&sim, by, id, None, Need::Handler, |s, c| {
                zhixing_domain::case::decide_suspension(
                    s,
                    true,
                    "案外人对执行标的提出异议",
                    c.today,
                )
                .map(|e| vec![e])
            })
            .await
            .map(|_| ()),
            (Step::Close(mode, reason), Some(id)) => {
                svc::change(&sim, by, id, None, Need::Handler, |s, c| {
                    decide_closure(s, *mode, reason, c).map(|e| vec![e])
                })
                .await
                .map(|_| ())
            }
            (Step::Approve, Some(id)) => {
                svc::change(&sim, by, id, None, Need::DivisionHead, |s, c| {
                    decide_approval(s, true, "", c).map(|e| vec![e])
                })
                .await
                .map(|_| ())
            }
            (Step::Resume, Some(id)) => svc::resume(&sim, by, id, "申请执行人提供了新的财产线索")
                .await
                .map(|_| ()),
            (Step::List(grounds), Some(id)) => match list(&sim, by, id, grounds).await {
                Ok(()) => {
                    listed += 1;
                    if example_listing.is_none() {
                        example_listing = respondent_of(&plan_inputs, i);
                    }
                    Ok(())
                }
                Err(e) if e.status.is_client_error() => record_not_listed(&sim, by, id).await,
                Err(e) => Err(e),
            },
        };
        // A step the domain refuses (a case that moved on) is skipped, as an officer would.
        if let Err(e) = result
            && e.status.is_server_error()
        {
            return Err(e);
        }
        if n % 500 == 0 {
            progress(n, total_steps);
        }
    }
    let mut report = Report {
        cases: done,
        by_state: BTreeMap::new(),
        listed,
        example_listing,
    };
    for id in ids.into_iter().flatten() {
        if let Some(row) = sim.store.case(id).await? {
            let key = row
                .closure_mode
                .clone()
                .map_or_else(|| row.status.clone(), |m| format!("closed:{m}"));
            *report.by_state.entry(key).or_default() += 1;
        }
    }
    Ok(report)
}

/// The respondent's name and identifier as filed.
fn respondent_of(inputs: &[(String, String)], i: usize) -> Option<(String, String)> {
    inputs.get(i).filter(|(n, _)| !n.is_empty()).cloned()
}

async fn list(sim: &App, by: &Principal, id: i64, grounds: &[u8]) -> Result<(), ApiError> {
    let request = zhixing_domain::credit::ListingRequest {
        party_no: 2,
        grounds: super::credit::grounds(grounds)?,
        facts: match grounds {
            [1] => "有履行能力而拒不履行生效法律文书确定的给付义务".into(),
            [4] => "收到执行通知后拒不申报财产".into(),
            _ => "以威胁方法阻碍执行人员执行职务，且拒不申报财产".into(),
        },
        bound_persons: Vec::new(),
    };
    super::credit::list(sim, by, id, request, None)
        .await
        .map(|_| ())
}

async fn record_not_listed(sim: &App, by: &Principal, id: i64) -> Result<(), ApiError> {
    for (a, note) in [
        (ActionKind::ConsumptionRestriction, ""),
        (
            ActionKind::DishonestNotApplicable,
            "被执行人不符合纳入失信被执行人名单的条件",
        ),
    ] {
        svc::change(sim, by, id, None, Need::Handler, |s, c| {
            zhixing_domain::case::decide_action(s, a, note, c.today).map(|e| vec![e])
        })
        .await
        .map(|_| ())
        .or_else(|e| {
            if e.status.is_client_error() {
                Ok(())
            } else {
                Err(e)
            }
        })?;
    }
    Ok(())
}

/// Demo auctions at `court_id`, one in each stage, on the cars of five cases it files: sold
/// and paid; sold with the balance still due; failed, then a second auction bidding now; a
/// first auction bidding now; and one announced, bidding later. Everything goes through the
/// real services on a simulated clock that runs from 60 days ago to now; the cars and their
/// seizures are recorded as a vehicle registry would have answered (`found_by` says so).
/// Returns the auctions created (none if there are auctions already).
pub async fn auctions(app: &App, court_id: &str, seed: u64) -> Result<usize, ApiError> {
    use super::auction as auc;
    use zhixing_domain::auction::Round;

    let by = {
        let username = format!("gen-{court_id}");
        let u = app
            .store
            .user_by_username(&username)
            .await?
            .ok_or_else(|| ApiError::unprocessable("no_cases", "generate cases first"))?;
        Principal {
            user_id: u.id,
            username: u.username,
            court_id: u.court_id,
            court_path: u.court_path,
            roles: vec![Role::Officer, Role::DivisionHead],
        }
    };
    if !app.store.public_auctions(1).await?.is_empty() {
        return Ok(0);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let people: Vec<(String, String)> = (0..7)
        .map(|_| {
            let year = rng.gen_range(1960..1995);
            (person(&mut rng), id_number(&mut rng, "110105", year))
        })
        .collect();
    let now = app.now();
    let days = |d: i64| {
        now.checked_add(jiff::SignedDuration::from_hours(24 * d))
            .map_err(|_| ApiError::internal())
    };
    let clock = Arc::new(ManualClock::new(days(-40)?));
    let sim = App::new(
        app.store.clone(),
        Config {
            cipher: Some(app.cipher.clone()),
            ..Config::default()
        },
        clock.clone(),
    )?;
    // Five cases filed two months ago, each against a debtor with a car.
    clock.set(days(-60)?);
    let mut cases = Vec::new();
    for i in 0..5 {
        let eff = sim.today().saturating_sub(jiff::Span::new().days(40));
        let input = FilingInput {
            case_type: "执".into(),
            parties: vec![
                party(&mut rng, PartyRole::Applicant, "110105", 0.3),
                party(&mut rng, PartyRole::Respondent, "110105", 0.0),
            ],
            basis: zhixing_domain::case::Basis {
                kind: BasisKind::Judgment,
                issuing_body: "本院".into(),
                document_number: format!("({}){court_id}民初拍{}号", eff.year(), i + 1),
                effective_date: eff,
                performance_deadline: eff.saturating_add(jiff::Span::new().days(15)),
            },
            amounts: [rng.gen_range(200..900) * 100_000, 0, 0, 50_000],
            duties: String::new(),
            late_reason: None,
        };
        cases.push(svc::file(&sim, &by, input, None).await?.0);
    }
    clock.set(days(-40)?);
    let now_us = sim.now_us();
    let mut tx = sim.store.begin().await?;
    tx.put_institution(&zhixing_store::investigation::InstitutionRow {
        id: "demo-vehicle-registry".into(),
        name: "北京市公安局交通管理局车辆管理所（演示）".into(),
        kind: "vehicle_administration".into(),
        measures: "query,seize,release".into(),
        channel: "local".into(),
        region: "11".into(),
        endpoint: "http://127.0.0.1:9/demo".into(),
        public_key: String::new(),
        concurrency: 1,
        active: false,
        created_at: now_us,
    })
    .await?;
    tx.commit().await?;
    let mut assets = Vec::new();
    for (i, case_id) in cases.iter().enumerate() {
        let plate = format!(
            "京{}{:05}",
            ["A", "B", "C", "E", "N"][i],
            rng.gen_range(10_000..99_999)
        );
        let value = rng.gen_range(80..400) * 100_000;
        let mut tx = sim.store.begin().await?;
        tx.insert_asset(&zhixing_store::investigation::NewAsset {
            case_id: *case_id,
            court_id,
            institution_id: "demo-vehicle-registry",
            kind: "vehicle",
            reference: &plate,
            description: &format!("小型轿车 {plate}"),
            value_fen: Some(value),
            encumbrances: "[]",
            found_by: "demo: as a vehicle registry answers",
            at_us: now_us,
        })
        .await?;
        tx.commit().await?;
        let asset = sim
            .store
            .assets_of(*case_id)
            .await?
            .into_iter()
            .find(|a| a.reference == plate)
            .ok_or_else(ApiError::internal)?;
        let mut tx = sim.store.begin().await?;
        let m = tx
            .insert_measure(&zhixing_store::measures::NewMeasure {
                case_id: *case_id,
                court_id,
                asset_id: asset.id,
                institution_id: "demo-vehicle-registry",
                kind: "seize",
                amount_fen: None,
                requested_until: None,
                request_id: &format!("demo-seize-{}", asset.id),
                requested_by: by.user_id,
                at_us: now_us,
            })
            .await?;
        tx.update_measure(
            m,
            &zhixing_store::measures::MeasureUpdate {
                status: "active".into(),
                until: Some(
                    sim.today()
                        .saturating_add(jiff::Span::new().years(2))
                        .to_string(),
                ),
                reference: Some(format!("查封登记 {plate}")),
                ..Default::default()
            },
            now_us,
        )
        .await?;
        tx.commit().await?;
        assets.push((asset.id, plate, value));
    }

    // Prices agreed by the parties (议价), then the first rounds.
    for (asset, _, value) in &assets {
        let v = super::valuation::start(&sim, &by, *asset).await?;
        super::valuation::command(
            &sim,
            &by,
            v.id,
            None,
            super::valuation::Command::Agreement {
                price: Fen::new(*value).map_err(|_| ApiError::internal())?,
                valid_until: None,
            },
        )
        .await?;
    }
    let plan = |title: &str,
                value: i64,
                start: jiff::Timestamp,
                cut: i64|
     -> Result<auc::PlanIn, ApiError> {
        let price = value * 7 / 10 * (100 - cut) / 100 / 100 * 100;
        Ok(auc::PlanIn {
            title: title.to_owned(),
            start_price: Fen::new(price).map_err(|_| ApiError::internal())?,
            increment: Fen::new((price / 100).max(100) / 100 * 100)
                .map_err(|_| ApiError::internal())?,
            deposit: Fen::new(price / 10).map_err(|_| ApiError::internal())?,
            starts_at: start,
            ends_at: start
                .checked_add(jiff::SignedDuration::from_hours(26))
                .map_err(|_| ApiError::internal())?,
            balance_days: 30,
        })
    };
    let title = |i: usize| format!("小型轿车 {}", assets[i].1);
    let mut ids = Vec::new();
    for (asset, plate, value) in &assets[..3] {
        let a = auc::announce(
            &sim,
            &by,
            *asset,
            Round::First,
            &plan(&format!("小型轿车 {plate}"), *value, days(-24)?, 0)?,
        )
        .await?;
        ids.push(a.id);
    }
    // Bidders register and pay deposits; bidding on the first rounds.
    clock.set(days(-30)?);
    let mut bidders: Vec<Vec<String>> = Vec::new();
    for &id in &ids[..2] {
        bidders.push(demo_bidders(&sim, &by, id, &people[..3]).await?);
    }
    clock.set(
        days(-24)?
            .checked_add(jiff::SignedDuration::from_hours(2))
            .map_err(|_| ApiError::internal())?,
    );
    for (k, &id) in ids[..2].iter().enumerate() {
        let v = auc::public_view(&sim, id).await?;
        for (n, amount) in [0, 1, 3, 4, 6].iter().enumerate() {
            let who = &bidders[k][n % bidders[k].len()];
            let bidder = auc::bidder_of(&sim, id, who).await?;
            let amount = v.start_price_fen + amount * v.increment_fen;
            auc::bid(
                &sim,
                id,
                &bidder,
                &format!("demo-{n}"),
                Fen::new(amount).map_err(|_| ApiError::internal())?,
            )
            .await?;
            clock.advance(Duration::from_secs(rng.gen_range(600..3600)));
        }
    }
    clock.set(days(-22)?);
    auc::sweep(&sim).await?;
    // The first buyer pays; the second still has until its deadline; the third failed.
    let sold = auc::public_view(&sim, ids[0]).await?;
    if let Some(price) = sold.current_price_fen {
        auc::balance(
            &sim,
            &by,
            ids[0],
            Fen::new(price - sold.deposit_fen).map_err(|_| ApiError::internal())?,
            "DEMO-BALANCE",
        )
        .await?;
    }
    // The second round of the failed one, and a first round, both bidding now; one announced.
    clock.set(days(-17)?);
    let live = auc::announce(
        &sim,
        &by,
        assets[3].0,
        Round::First,
        &plan(
            &title(3),
            assets[3].2,
            days(0)?
                .checked_sub(jiff::SignedDuration::from_hours(3))
                .map_err(|_| ApiError::internal())?,
            0,
        )?,
    )
    .await?;
    clock.set(days(-10)?);
    let second = auc::announce(
        &sim,
        &by,
        assets[2].0,
        Round::Second,
        &plan(
            &format!("{}（二拍）", title(2)),
            assets[2].2,
            days(0)?
                .checked_sub(jiff::SignedDuration::from_hours(2))
                .map_err(|_| ApiError::internal())?,
            20,
        )?,
    )
    .await?;
    clock.set(days(-5)?);
    for (k, id) in [live.id, second.id].into_iter().enumerate() {
        let tokens = demo_bidders(&sim, &by, id, &people[3 + 2 * k..5 + 2 * k]).await?;
        clock.set(
            days(0)?
                .checked_sub(jiff::SignedDuration::from_mins(50))
                .map_err(|_| ApiError::internal())?,
        );
        let v = auc::public_view(&sim, id).await?;
        for (n, token) in tokens.iter().enumerate() {
            let bidder = auc::bidder_of(&sim, id, token).await?;
            let amount = v.start_price_fen + i64::try_from(n).unwrap_or(0) * v.increment_fen;
            auc::bid(
                &sim,
                id,
                &bidder,
                &format!("demo-live-{n}"),
                Fen::new(amount).map_err(|_| ApiError::internal())?,
            )
            .await?;
            clock.advance(Duration::from_secs(300));
        }
        clock.set(days(-5)?);
    }
    clock.set(now);
    let upcoming = auc::announce(
        &sim,
        &by,
        assets[4].0,
        Round::First,
        &plan(&title(4), assets[4].2, days(16)?, 0)?,
    )
    .await?;
    let _ = upcoming;
    Ok(6)
}

/// Registers demo bidders for auction `id` and records their deposits; their tokens.
async fn demo_bidders(
    sim: &App,
    by: &Principal,
    id: i64,
    people: &[(String, String)],
) -> Result<Vec<String>, ApiError> {
    let deposit = Fen::new(super::auction::public_view(sim, id).await?.deposit_fen)
        .map_err(|_| ApiError::internal())?;
    let mut tokens = Vec::new();
    for (name, idn) in people {
        let c = super::auction::register(sim, id, name, idn).await?;
        super::auction::deposit(
            sim,
            by,
            id,
            c.paddle,
            deposit,
            &format!("DEMO-{id}-{}", c.paddle),
        )
        .await?;
        tokens.push(c.token);
    }
    Ok(tokens)
}
