//! Data sharing for joint discipline (联合惩戒, DOMAIN §7): data-sharing agreements
//! (数据共享协议) with partner agencies and the incremental feed they pull.
//!
//! An administrator drafts an agreement for a court's subtree; a division head of that court
//! or above — not the drafter — approves it; an administrator issues its API key, shown once.
//! The agency then pulls `GET /api/v1/sharing/feed` with that key only. Every pull re-reads the
//! key and the agreement inside its own transaction (nothing is cached), so a revocation stops
//! the very next pull. Every state change and every successful pull is an audited event; no
//! event holds a key or any personal data.

use rand::RngCore;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value, json};
use zhixing_domain::access::{Action, Principal};
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};
use zhixing_domain::sharing::{self, Closed, DraftInput, Field, Status};
use zhixing_store::NewEvent;
use zhixing_store::sharing::{AgreementRow, FeedRow, KeyRow, NewAgreement};

use crate::error::{AppError, OrInternal};
use crate::state::App;

/// The prefix that marks a sharing key (and tells it apart from a session token at a glance).
pub const KEY_PREFIX: &str = "zxs_";
pub const FEED_DEFAULT_LIMIT: i64 = 100;
pub const FEED_MAX_LIMIT: i64 = 500;

/// A key as listed: its id, the non-secret prefix, and when it was issued and revoked.
#[derive(Debug, Serialize, JsonSchema)]
pub struct KeyInfo {
    pub id: i64,
    /// The key's first characters (`zxs_` and 8 more), to tell keys apart; not secret.
    pub prefix: String,
    pub issued_by: i64,
    pub issued_at: String,
    pub revoked_at: Option<String>,
}

/// An agreement as administrators, division heads and auditors see it. No key material.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Agreement {
    pub id: i64,
    pub agency_name: String,
    pub agency_code: String,
    /// The agreement covers the listings of this court and every court below it.
    pub court_id: String,
    pub court_name: String,
    pub fields: Vec<String>,
    pub legal_basis: String,
    pub valid_from: String,
    pub valid_to: String,
    /// draft, active or revoked
    pub status: String,
    pub created_by: i64,
    pub created_at: String,
    pub approved_by: Option<i64>,
    pub approved_at: Option<String>,
    pub revoked_by: Option<i64>,
    pub revoked_at: Option<String>,
    pub revoke_reason: Option<String>,
    pub keys: Vec<KeyInfo>,
}

/// A newly issued key: the only time the key itself is shown.
#[derive(Debug, Serialize, JsonSchema)]
pub struct IssuedKey {
    pub id: i64,
    pub agreement_id: i64,
    /// Send as `Authorization: Bearer <api_key>` or `X-Api-Key: <api_key>`. Not stored: lost
    /// means issue a new one.
    pub api_key: String,
    pub prefix: String,
    /// Earlier keys of the agreement, revoked by this issue.
    pub revoked_keys: Vec<i64>,
}

/// One page of the feed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FeedPage {
    pub agreement_id: i64,
    /// Each item carries `cursor`, `change` (listed, extended, amended, removed), `listing`
    /// and `on`, and the agreed fields only.
    #[schemars(with = "Vec<serde_json::Value>")]
    pub items: Vec<Map<String, Value>>,
    /// The cursor to send next (the last item's, or the one sent when there is nothing new).
    pub next: i64,
}

/// What a draft is made of (a request body or a form, checked in the domain).
#[derive(Debug, Clone)]
pub struct DraftIn {
    pub agency_name: String,
    pub agency_code: String,
    /// The court whose subtree the agreement covers; the caller's own if none.
    pub court_id: Option<String>,
    pub fields: Vec<String>,
    pub legal_basis: String,
    pub valid_from: String,
    pub valid_to: String,
}

/// A change to a data-sharing agreement (数据共享协议): drafted by an administrator, approved
/// by a division head who did not draft it, revoked with a reason. Executed by [`execute`].
/// Issuing a key is [`issue_key`]: its answer is a secret shown once, not an agreement.
#[derive(Debug, Clone)]
pub enum SharingCommand {
    Draft(DraftIn),
    Approve { id: i64 },
    Revoke { id: i64, reason: String },
}

/// Carries out a sharing command for `by`; the agreement as it now stands.
pub async fn execute(
    app: &App,
    by: &Principal,
    cmd: SharingCommand,
) -> Result<Agreement, AppError> {
    match cmd {
        SharingCommand::Draft(d) => create(app, by, &d).await,
        SharingCommand::Approve { id } => approve(app, by, id).await,
        SharingCommand::Revoke { id, reason } => revoke(app, by, id, &reason).await,
    }
}

fn time_of(us: i64) -> String {
    jiff::Timestamp::from_microsecond(us)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

fn not_found(id: i64) -> AppError {
    AppError::not_found("agreement_not_found", format!("no agreement {id}"))
}

fn fields_of(a: &AgreementRow) -> Result<Vec<Field>, AppError> {
    let names: Vec<String> =
        serde_json::from_str(&a.fields).or_internal("serde_json::from_str(a.fields)")?;
    names
        .iter()
        .map(|n| Field::parse(n).or_internal("map(|n| Field::parse(n)"))
        .collect()
}

fn status_of(a: &AgreementRow) -> Result<Status, AppError> {
    Status::parse(&a.status).or_internal("Status::parse(a.status)")
}

fn view(a: AgreementRow, keys: Vec<KeyRow>) -> Result<Agreement, AppError> {
    let fields = fields_of(&a)?
        .into_iter()
        .map(|f| f.as_str().to_owned())
        .collect();
    Ok(Agreement {
        id: a.id,
        agency_name: a.agency_name,
        agency_code: a.agency_code,
        court_id: a.court_id,
        court_name: a.court_name,
        fields,
        legal_basis: a.legal_basis,
        valid_from: a.valid_from,
        valid_to: a.valid_to,
        status: a.status,
        created_by: a.created_by,
        created_at: time_of(a.created_at),
        approved_by: a.approved_by,
        approved_at: a.approved_at.map(time_of),
        revoked_by: a.revoked_by,
        revoked_at: a.revoked_at.map(time_of),
        revoke_reason: a.revoke_reason,
        keys: keys
            .into_iter()
            .map(|k| KeyInfo {
                id: k.id,
                prefix: k.prefix,
                issued_by: k.issued_by,
                issued_at: time_of(k.issued_at),
                revoked_at: k.revoked_at.map(time_of),
            })
            .collect(),
    })
}

/// Whether the caller may see this agreement at all; one who may not gets 404, as for
/// courts, so that its existence is not revealed.
fn visible(by: &Principal, a: &AgreementRow) -> bool {
    by.may(Action::ReadSharing, &a.court_path)
}

fn event(by: &Principal, a_court: &str, kind: &str, id: i64, payload: Value) -> NewEvent {
    NewEvent {
        actor: crate::actor_of(by),
        court_id: Some(a_court.to_owned()),
        kind: kind.to_owned(),
        subject: format!("sharing_agreement:{id}"),
        payload,
    }
}

/// Drafts an agreement for a court's subtree (the caller's court unless named).
async fn create(app: &App, by: &Principal, d: &DraftIn) -> Result<Agreement, AppError> {
    let court_id = d.court_id.as_deref().unwrap_or(&by.court_id);
    let court = app.store.court(court_id).await?;
    let court = match court {
        Some(c) if by.relation_to(&c.path) != zhixing_domain::access::Relation::Unrelated => c,
        // A court outside the caller's reach is answered like one that does not exist.
        _ if by.may(Action::ManageSharing, &by.court_path) => {
            return Err(AppError::not_found(
                "court_not_found",
                format!("no court {court_id}"),
            ));
        }
        _ => {
            return Err(AppError::forbidden(
                "only administrators draft data-sharing agreements",
            ));
        }
    };
    if !by.may(Action::ManageSharing, &court.path) {
        return Err(AppError::forbidden(
            "only administrators draft data-sharing agreements",
        ));
    }
    let draft = sharing::validate_draft(
        &DraftInput {
            agency_name: &d.agency_name,
            agency_code: &d.agency_code,
            fields: &d.fields,
            legal_basis: &d.legal_basis,
            valid_from: &d.valid_from,
            valid_to: &d.valid_to,
        },
        app.today(),
    )
    .map_err(AppError::from)?;
    let names: Vec<&str> = draft.fields.iter().map(|f| f.as_str()).collect();
    let fields = serde_json::to_string(&names).or_internal("serde_json::to_string(names)")?;
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let id = tx
        .insert_agreement(&NewAgreement {
            agency_name: &draft.agency_name,
            agency_code: &draft.agency_code,
            court_id: &court.id,
            fields: &fields,
            legal_basis: &draft.legal_basis,
            valid_from: &draft.valid_from.to_string(),
            valid_to: &draft.valid_to.to_string(),
            created_by: by.user_id,
            at_us: now_us,
        })
        .await?;
    tx.append_events(
        now_us,
        &[event(
            by,
            &court.id,
            "sharing.agreement_created",
            id,
            json!({"agency_name": draft.agency_name, "agency_code": draft.agency_code, "fields": names,
                   "legal_basis": draft.legal_basis, "valid_from": draft.valid_from, "valid_to": draft.valid_to}),
        )],
    )
    .await?;
    tx.commit().await?;
    show(app, by, id).await
}

pub async fn show(app: &App, by: &Principal, id: i64) -> Result<Agreement, AppError> {
    let a = app
        .store
        .agreement(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    if !visible(by, &a) {
        return Err(not_found(id));
    }
    let keys = app.store.sharing_keys_of(id).await?;
    view(a, keys)
}

/// The agreements of the caller's court and below, by id after `after`.
pub async fn list(
    app: &App,
    by: &Principal,
    after: i64,
    limit: i64,
) -> Result<Vec<Agreement>, AppError> {
    if !by.may(Action::ReadSharing, &by.court_path) {
        return Err(AppError::forbidden(
            "only administrators, division heads and auditors see data-sharing agreements",
        ));
    }
    let rows = app
        .store
        .agreements_under(&by.court_path, after, limit.clamp(1, 200))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for a in rows {
        let keys = app.store.sharing_keys_of(a.id).await?;
        out.push(view(a, keys)?);
    }
    Ok(out)
}

/// The drafts of the caller's court and below that wait for the caller's approval: none for
/// one who may not approve, and never the caller's own drafts (someone else approves them).
pub async fn awaiting_approval(app: &App, by: &Principal) -> Result<Vec<Agreement>, AppError> {
    if !by.may(Action::ApproveSharing, &by.court_path) {
        return Ok(Vec::new());
    }
    const PAGE: i64 = 200;
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let rows = app
            .store
            .agreements_under(&by.court_path, after, PAGE)
            .await?;
        let full = i64::try_from(rows.len()).unwrap_or(PAGE) == PAGE;
        after = rows.last().map_or(after, |a| a.id);
        for a in rows {
            if a.created_by != by.user_id && status_of(&a)? == Status::Draft {
                let keys = app.store.sharing_keys_of(a.id).await?;
                out.push(view(a, keys)?);
            }
        }
        if !full {
            return Ok(out);
        }
    }
}

/// Loads and locks an agreement for a command; 404 if the caller may not see it.
async fn locked(
    tx: &mut zhixing_store::Tx,
    by: &Principal,
    id: i64,
) -> Result<AgreementRow, AppError> {
    let a = tx
        .agreement_for_update(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    if !visible(by, &a) {
        return Err(not_found(id));
    }
    Ok(a)
}

/// Approves a draft: a division head of the agreement's court or above, not its drafter.
async fn approve(app: &App, by: &Principal, id: i64) -> Result<Agreement, AppError> {
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let a = locked(&mut tx, by, id).await?;
    if !by.may(Action::ApproveSharing, &a.court_path) {
        return Err(AppError::forbidden(
            "only a division head of the agreement's court or above approves it",
        ));
    }
    if a.created_by == by.user_id {
        return Err(AppError::forbidden_as(
            "own_agreement",
            "the drafter of an agreement cannot approve it",
        ));
    }
    if status_of(&a)? != Status::Draft {
        return Err(AppError::conflict(
            "agreement_not_draft",
            format!("agreement {id} is {}; only a draft is approved", a.status),
        ));
    }
    let to = a
        .valid_to
        .parse::<jiff::civil::Date>()
        .or_internal("a.valid_to.parse::<jiff::civil::Date>()")?;
    if to < app.today() {
        return Err(AppError::conflict(
            "agreement_expired",
            format!("agreement {id} ended on {to}: draft a new one"),
        ));
    }
    tx.approve_agreement(id, by.user_id, now_us).await?;
    tx.append_events(
        now_us,
        &[event(
            by,
            &a.court_id,
            "sharing.agreement_approved",
            id,
            json!({}),
        )],
    )
    .await?;
    tx.commit().await?;
    show(app, by, id).await
}

/// A new random key: `zxs_` and 64 hex digits (256 bits from the operating system).
fn new_key() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    format!("{KEY_PREFIX}{}", hex::encode(b))
}

/// Issues the agreement's API key, shown once. One live key per agreement: issuing a new key
/// revokes the older ones in the same transaction, so that there is never doubt about which
/// key an agency holds, and a leaked key is replaced by one call. (An overlap for a smooth
/// rotation would need a key list to manage; the agency simply switches at once.)
pub async fn issue_key(app: &App, by: &Principal, id: i64) -> Result<IssuedKey, AppError> {
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let a = locked(&mut tx, by, id).await?;
    if !by.may(Action::ManageSharing, &a.court_path) {
        return Err(AppError::forbidden(
            "only an administrator of the agreement's court or above issues its keys",
        ));
    }
    if status_of(&a)? != Status::Active {
        return Err(AppError::conflict(
            "agreement_not_active",
            format!(
                "agreement {id} is {}; keys are issued for approved agreements only",
                a.status
            ),
        ));
    }
    let to = a
        .valid_to
        .parse::<jiff::civil::Date>()
        .or_internal("a.valid_to.parse::<jiff::civil::Date>()")?;
    if to < app.today() {
        return Err(AppError::conflict(
            "agreement_expired",
            format!("agreement {id} ended on {to}"),
        ));
    }
    let key = new_key();
    let prefix: String = key.chars().take(KEY_PREFIX.len() + 8).collect();
    let revoked = tx.revoke_keys_of(id, now_us).await?;
    let key_id = tx
        .insert_sharing_key(
            id,
            &app.cipher.sharing_key_hash(&key),
            &prefix,
            by.user_id,
            now_us,
        )
        .await?;
    tx.append_events(
        now_us,
        &[event(
            by,
            &a.court_id,
            "sharing.key_issued",
            id,
            // The prefix identifies the key without revealing it.
            json!({"key_id": key_id, "prefix": prefix, "revoked_keys": revoked}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(IssuedKey {
        id: key_id,
        agreement_id: id,
        api_key: key,
        prefix,
        revoked_keys: revoked,
    })
}

/// Revokes an agreement (and its keys), with a reason: its feed stops at the next pull. An
/// administrator or a division head of the agreement's court or above.
async fn revoke(app: &App, by: &Principal, id: i64, reason: &str) -> Result<Agreement, AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > sharing::MAX_REASON {
        return Err(AppError::from(Refusal::of_reasons(
            "invalid_reason",
            RefusalKind::Invalid,
            vec![Reason::new("revocation_reason_invalid").with("max", sharing::MAX_REASON)],
        )));
    }
    let now_us = app.now_us();
    let mut tx = app.store.begin().await?;
    let a = locked(&mut tx, by, id).await?;
    if !(by.may(Action::ManageSharing, &a.court_path)
        || by.may(Action::ApproveSharing, &a.court_path))
    {
        return Err(AppError::forbidden(
            "only an administrator or a division head of the agreement's court or above revokes it",
        ));
    }
    if status_of(&a)? == Status::Revoked {
        return Err(AppError::conflict(
            "already_revoked",
            format!("agreement {id} is already revoked"),
        ));
    }
    tx.revoke_agreement(id, by.user_id, reason, now_us).await?;
    let keys = tx.revoke_keys_of(id, now_us).await?;
    tx.append_events(
        now_us,
        &[event(
            by,
            &a.court_id,
            "sharing.agreement_revoked",
            id,
            json!({"reason": reason, "revoked_keys": keys}),
        )],
    )
    .await?;
    tx.commit().await?;
    show(app, by, id).await
}

/// One feed item: the fixed part, then each agreed field.
fn item(app: &App, r: &FeedRow, fields: &[Field]) -> Result<Map<String, Value>, AppError> {
    let change = r
        .kind
        .strip_prefix("case.dishonest_")
        .or_internal("r.kind.strip_prefix('case.dishonest_')")?;
    let payload: Value =
        serde_json::from_str(&r.payload).or_internal("serde_json::from_str(r.payload)")?;
    let mut m = Map::new();
    m.insert("cursor".into(), json!(r.seq));
    m.insert("change".into(), json!(change));
    m.insert("listing".into(), json!(r.listing_id));
    m.insert(
        "on".into(),
        payload.get("on").cloned().unwrap_or(Value::Null),
    );
    // Everything else is the listing as it stands now: a corrected conduct or a later end
    // date is never sent in its superseded form again, even to an agency catching up.
    for f in fields {
        let v = match f {
            Field::Name => json!(r.name),
            Field::IdNumber => json!(app.cipher.open(&r.id_cipher)?),
            Field::IdMasked => json!(r.id_shown),
            Field::PartyKind => json!(r.party_kind),
            Field::LegalRep => json!(r.legal_rep),
            Field::Court => json!({"id": r.court_id, "name": r.court_name}),
            Field::CaseNumber => json!(r.case_number),
            Field::Basis => json!(r.basis),
            Field::Duty => json!({"text": r.duty, "total_due_fen": r.total_due_fen}),
            Field::Performed => json!({"performed_fen": r.performed_fen}),
            Field::Grounds => serde_json::from_str::<Value>(&r.grounds)
                .or_internal("serde_json::from_str::<Value>(r.grounds)")?,
            Field::Conduct => json!(r.conduct),
            Field::ListedOn => json!(r.listed_on),
            Field::EndsOn => json!(r.ends_on),
        };
        m.insert(f.as_str().into(), v);
    }
    Ok(m)
}

/// One pull of the feed with an API key: the listing changes after `cursor` in the
/// agreement's subtree, with the agreed fields. Refusals change nothing; a successful pull is
/// audited (agreement, key, cursor, count — never the data) in the transaction that read it.
pub async fn pull(app: &App, key: &str, cursor: i64, limit: i64) -> Result<FeedPage, AppError> {
    if cursor < 0 {
        return Err(AppError::bad_request(
            "invalid_cursor",
            "cursor: 0 or a cursor from an earlier page",
        ));
    }
    if !(1..=FEED_MAX_LIMIT).contains(&limit) {
        return Err(AppError::bad_request(
            "invalid_limit",
            format!("limit: 1 to {FEED_MAX_LIMIT}"),
        ));
    }
    let invalid = || AppError::Unauthenticated {
        code: "invalid_api_key",
        message: "the API key is not a valid sharing key".into(),
    };
    if !key.starts_with(KEY_PREFIX) {
        return Err(invalid());
    }
    let hash = app.cipher.sharing_key_hash(key);
    let now_us = app.now_us();
    let today = app.today();
    let mut tx = app.store.begin().await?;
    let (k, a) = tx.key_for_pull(&hash).await?.ok_or_else(invalid)?;
    if k.revoked_at.is_some() {
        return Err(AppError::Unauthenticated {
            code: "api_key_revoked",
            message: "this API key has been revoked; ask the court for the current one".into(),
        });
    }
    let from = a
        .valid_from
        .parse::<jiff::civil::Date>()
        .or_internal("a.valid_from.parse::<jiff::civil::Date>()")?;
    let to = a
        .valid_to
        .parse::<jiff::civil::Date>()
        .or_internal("a.valid_to.parse::<jiff::civil::Date>()")?;
    if let Err(closed) = sharing::serves(status_of(&a)?, from, to, today) {
        let message = match closed {
            Closed::Revoked => format!("agreement {} has been revoked", a.id),
            Closed::NotApproved => format!("agreement {} is not approved", a.id),
            Closed::NotYetValid => format!("agreement {} is valid from {from}", a.id),
            Closed::Expired => format!("agreement {} ended on {to}", a.id),
        };
        return Err(AppError::forbidden_as(closed.code(), message));
    }
    let fields = fields_of(&a)?;
    let rows = tx.feed_page(cursor, &a.court_path, limit).await?;
    let items = rows
        .iter()
        .map(|r| item(app, r, &fields))
        .collect::<Result<Vec<_>, _>>()?;
    let next = rows.last().map_or(cursor, |r| r.seq);
    tx.append_events(
        now_us,
        &[NewEvent {
            actor: format!("sharing_key:{}", k.id),
            court_id: Some(a.court_id.clone()),
            kind: "sharing.feed_pulled".into(),
            subject: format!("sharing_agreement:{}", a.id),
            payload: json!({"key_id": k.id, "cursor": cursor, "next": next, "count": items.len(),
                            "id_number": fields.contains(&Field::IdNumber) && !items.is_empty()}),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(FeedPage {
        agreement_id: a.id,
        items,
        next,
    })
}
