//! The institutions on the investigation network (查控网络): registered by administrators —
//! national ones (总对总) at the SPC, local ones (点对点) within the administrator's region —
//! audited, and read by everyone who sends them queries.

use serde::Serialize;
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};
use zhixing_store::NewEvent;
use zhixing_store::investigation::InstitutionRow;

use crate::error::{AppError, OrInternal};
use crate::state::App;

pub const KINDS: [&str; 12] = [
    "bank",
    "securities",
    "real_estate_registry",
    "vehicle_administration",
    "housing_fund",
    "social_insurance",
    "tax",
    "online_payment",
    "internet_bank",
    "online_lending",
    "virtual_property",
    "ip_office",
];
pub const MEASURES: [&str; 7] = [
    "query", "freeze", "seize", "detain", "deduct", "renew", "release",
];
const MAX_ID: usize = 64;
const MAX_CONCURRENCY: i64 = 1024;

/// An institution as the administrator describes it (recorded as it is in the audit event).
#[derive(Debug, Clone, Serialize)]
pub struct InstitutionSpec {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub measures: String,
    pub channel: String,
    pub region: String,
    pub endpoint: String,
    pub public_key: String,
    pub concurrency: i64,
}

/// Institutions on the network.
pub async fn list(app: &App) -> Result<Vec<InstitutionRow>, AppError> {
    Ok(app.store.institutions().await?)
}

fn bad(reason: Reason) -> AppError {
    AppError::from(Refusal::of_reasons(
        "invalid_institution",
        RefusalKind::Invalid,
        vec![reason],
    ))
}

/// Registers or updates an institution; answers whether it is new. Audited.
pub async fn register(app: &App, by: &Principal, i: InstitutionSpec) -> Result<bool, AppError> {
    if !by.may(Action::ManageInstitutions, &by.court_path) {
        return Err(AppError::forbidden(
            "only an administrator registers institutions",
        ));
    }
    let court = app
        .store
        .court(&by.court_id)
        .await?
        .or_internal("court(by.court_id)")?;
    let own_region =
        crate::platform::rules::region_of(&court.level, court.division_code.as_deref());
    if i.id.is_empty()
        || i.id.len() > MAX_ID
        || !i
            .id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
    {
        return Err(bad(
            Reason::new("institution_id_invalid").with("max", MAX_ID)
        ));
    }
    if i.name.trim().is_empty() {
        return Err(bad(Reason::new("institution_name_required")));
    }
    if !KINDS.contains(&i.kind.as_str()) {
        return Err(bad(
            Reason::new("institution_kind_unknown").with("kind", i.kind.as_str())
        ));
    }
    if let Some(m) = i
        .measures
        .split(',')
        .find(|m| !MEASURES.contains(&m.trim()))
    {
        return Err(bad(
            Reason::new("institution_measure_unknown").with("measure", m.trim())
        ));
    }
    match i.channel.as_str() {
        "national" if own_region.is_empty() => {}
        "national" => {
            return Err(AppError::forbidden_as(
                "national_institution_at_spc",
                "national (总对总) institutions are registered at the SPC",
            ));
        }
        "local"
            if !i.region.is_empty()
                && i.region.bytes().all(|b| b.is_ascii_digit())
                && i.region.starts_with(&own_region) => {}
        "local" => {
            return Err(AppError::forbidden_as(
                "institution_region_outside",
                "a local institution's region must lie within the administrator's",
            ));
        }
        _ => {
            return Err(bad(
                Reason::new("institution_channel_unknown").with("channel", i.channel.as_str())
            ));
        }
    }
    if !(i.endpoint.starts_with("http://") || i.endpoint.starts_with("https://")) {
        return Err(bad(Reason::new("institution_endpoint_invalid")));
    }
    zhixing_exchange::parse_public_key(&i.public_key)
        .map_err(|_| bad(Reason::new("institution_key_invalid")))?;
    if !(1..=MAX_CONCURRENCY).contains(&i.concurrency) {
        return Err(bad(Reason::new("institution_concurrency")
            .with("min", 1)
            .with("max", MAX_CONCURRENCY)));
    }
    let now = app.now_us();
    let row = InstitutionRow {
        id: i.id.clone(),
        name: i.name.trim().to_owned(),
        kind: i.kind.clone(),
        measures: i.measures.clone(),
        channel: i.channel.clone(),
        region: i.region.clone(),
        endpoint: i.endpoint.clone(),
        public_key: i.public_key.trim().to_owned(),
        concurrency: i.concurrency,
        active: true,
        created_at: now,
    };
    let mut tx = app.store.begin().await?;
    let new = tx.put_institution(&row).await?;
    tx.append_events(
        now,
        &[NewEvent {
            actor: crate::actor_of(by),
            court_id: Some(by.court_id.clone()),
            kind: if new {
                "institution.registered".into()
            } else {
                "institution.updated".into()
            },
            subject: format!("institution:{}", row.id),
            payload: serde_json::to_value(&i).unwrap_or_default(),
        }],
    )
    .await?;
    tx.commit().await?;
    app.institutions.invalidate();
    Ok(new)
}
