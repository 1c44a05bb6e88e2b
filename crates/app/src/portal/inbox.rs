//! The party's inbox (当事人收件箱) for electronic service (电子送达, DOMAIN §4c): with their
//! case number and access code a party consents (or revokes consent) to being served here,
//! gives an address for notices if they wish, sees the documents addressed to them with their
//! service, and opens them — the first opening is recorded on the case.

use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;
use zhixing_domain::case::CaseState;
use zhixing_domain::refusal::{Reason, Refusal, RefusalKind};
use zhixing_domain::service::{self, ServiceMethod};
use zhixing_store::NewEvent;

use super::{authenticate, party_actor};
use crate::case::{self as svc, Actor, change_in_tx};
use crate::error::{AppError, OrInternal};
use crate::state::App;

/// A document addressed to the party, as their view lists it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PublicDocument {
    pub document_id: i64,
    pub title: String,
    pub issued_on: Option<String>,
    /// `served`, `announced` (deemed served on `served_on`, still to come) or `unserved`.
    pub status: String,
    pub status_zh: String,
    pub served_on: Option<String>,
    pub method_zh: Option<String>,
    pub opened_on: Option<String>,
    /// The document's SHA-256, once served: what the download must hash to.
    pub sha256: Option<String>,
    /// Whether the party can open it here (it was served on them).
    pub openable: bool,
}

/// The party's consent to electronic service.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PublicConsent {
    pub given_on: String,
    /// Where notices go, masked (`短信 138****5678`), if an address was given.
    pub notify: Option<String>,
}

/// A served document as the party downloads it.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PartyDocument {
    pub document_id: i64,
    pub title: String,
    pub html: String,
    pub sha256: String,
    pub served_on: String,
    pub method_zh: String,
}

/// The documents addressed to `party_no`, oldest first; unserved ones say so.
pub fn documents_for(state: &CaseState, party_no: u32, today: Date) -> Vec<PublicDocument> {
    service::deliveries(state, today)
        .into_iter()
        .filter(|d| d.party_no == party_no)
        .filter_map(|d| {
            let doc = state
                .documents
                .iter()
                .find(|x| x.document_id == d.document_id)?;
            let s = d.service.as_ref();
            Some(PublicDocument {
                document_id: d.document_id,
                title: doc.title.clone(),
                issued_on: doc.issued_on.map(|x| x.to_string()),
                status: d.status.into(),
                status_zh: svc::service::status_zh(d.status).into(),
                served_on: s.map(|s| s.served_on.to_string()),
                method_zh: s.map(|s| s.method.name_zh().into()),
                opened_on: d.opened_on.map(|x| x.to_string()),
                sha256: s.map(|_| doc.sha256.clone()),
                openable: service::decide_opening(state, d.document_id, party_no, today).is_ok(),
            })
        })
        .collect()
}

pub fn consent_of(state: &CaseState, party_no: u32) -> Option<PublicConsent> {
    state.service.consent(party_no).map(|c| PublicConsent {
        given_on: c.given_on.to_string(),
        notify: c.notify.clone(),
    })
}

/// Where a party asks to be told of a new document: a mainland mobile number for SMS or an
/// e-mail address.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    /// `sms`, `email`, or empty for none.
    pub channel: String,
    pub address: String,
}

fn contact_refused(reason: &'static str) -> AppError {
    AppError::from(Refusal::of_reasons(
        "contact_invalid",
        RefusalKind::Invalid,
        vec![Reason::new(reason)],
    ))
}

/// The contact checked: (channel, address, masked for the record), or none.
fn checked_contact(c: &ContactInput) -> Result<Option<(&'static str, String, String)>, AppError> {
    let address: String = c.address.chars().filter(|ch| !ch.is_whitespace()).collect();
    match c.channel.trim() {
        "" | "none" if address.is_empty() => Ok(None),
        "sms" => {
            let ok = address.len() == 11
                && address.starts_with('1')
                && address.bytes().all(|b| b.is_ascii_digit());
            if !ok {
                return Err(contact_refused("contact_phone_invalid"));
            }
            let masked = format!("短信 {}****{}", &address[..3], &address[7..]);
            Ok(Some(("sms", address, masked)))
        }
        "email" => {
            let parts: Vec<&str> = address.split('@').collect();
            let ok = address.len() <= 254
                && parts.len() == 2
                && !parts[0].is_empty()
                && parts[1].contains('.')
                && !parts[1].starts_with('.')
                && !parts[1].ends_with('.')
                && address.is_ascii();
            if !ok {
                return Err(contact_refused("contact_email_invalid"));
            }
            let first = parts[0].chars().next().unwrap_or('*');
            let masked = format!("邮件 {first}***@{}", parts[1]);
            Ok(Some(("email", address, masked)))
        }
        _ => Err(contact_refused("contact_channel_unknown")),
    }
}

/// A party gives (with an optional address for notices) or revokes their consent to
/// electronic service. The address is sealed; the case records only its masked form.
pub async fn consent(
    app: &App,
    number: &str,
    code: &str,
    give: bool,
    contact: &ContactInput,
) -> Result<Option<PublicConsent>, AppError> {
    let (row, party_no) = authenticate(app, number, code).await?;
    let contact = if give {
        checked_contact(contact)?
    } else {
        None
    };
    let no = u32::try_from(party_no).or_internal("party no")?;
    let actor = party_actor(row.id, party_no);
    let mut tx = app.store.begin().await?;
    let notify = contact.as_ref().map(|c| c.2.clone());
    let changed = change_in_tx(&mut tx, app, Actor::System(&actor), row.id, None, |s, c| {
        service::decide_consent(s, no, give, notify.clone(), c.today).map(|e| vec![e])
    })
    .await?;
    let sealed = match &contact {
        Some((channel, address, _)) => Some((*channel, app.cipher.seal(address)?)),
        None => None,
    };
    tx.put_service_contact(
        row.id,
        party_no,
        sealed.as_ref().map(|(ch, c)| (*ch, c.as_str())),
        app.now_us(),
    )
    .await?;
    tx.commit().await?;
    let mut state = changed.before;
    for e in &changed.decided {
        state.apply(e);
    }
    Ok(consent_of(&state, no))
}

/// A document served on the party, opened in their inbox: the first opening is recorded on the
/// case, every download on the audit chain. Documents not served on them are not found.
pub async fn open_document(
    app: &App,
    number: &str,
    code: &str,
    document_id: i64,
) -> Result<PartyDocument, AppError> {
    let (row, party_no) = authenticate(app, number, code).await?;
    let no = u32::try_from(party_no).or_internal("party no")?;
    let actor = party_actor(row.id, party_no);
    let mut tx = app.store.begin().await?;
    let changed = change_in_tx(&mut tx, app, Actor::System(&actor), row.id, None, |s, c| {
        service::decide_opening(s, document_id, no, c.today).map(|e| e.into_iter().collect())
    })
    .await?;
    let record = changed
        .before
        .service
        .effective(document_id, no)
        .cloned()
        .or_internal("the service of an opened document")?;
    let doc = app
        .store
        .document(document_id)
        .await?
        .filter(|d| d.case_id == row.id)
        .or_internal("an opened document")?;
    tx.append_events(
        app.now_us(),
        &[NewEvent {
            actor,
            court_id: Some(changed.court.id.clone()),
            kind: "public.party_document".into(),
            subject: format!("case:{}", row.id),
            payload: json!({"party_no": party_no, "document_id": document_id}),
        }],
    )
    .await?;
    tx.commit().await?;
    Ok(PartyDocument {
        document_id,
        title: doc.title,
        html: doc.html,
        sha256: doc.sha256,
        served_on: record.served_on.to_string(),
        method_zh: ServiceMethod::name_zh(record.method).into(),
    })
}
