//! Message types of protocol version 1.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use zhixing_domain::case_number::CaseNumber;

/// The protocol name and version every envelope carries. A new incompatible version gets a
/// new name; receivers refuse versions they do not speak.
pub const PROTOCOL: &str = "zhixing-exchange/1";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProtocolError {
    #[error("unsupported protocol {0:?}; this endpoint speaks {PROTOCOL}")]
    Version(String),
    #[error("message_id must be 32 lowercase hex characters")]
    MessageId,
    #[error("case_number: {0}")]
    CaseNumber(String),
    #[error("a {kind} message cannot carry a {body} body")]
    BodyMismatch {
        kind: &'static str,
        body: &'static str,
    },
    #[error("a reply must name the message it answers (in_reply_to)")]
    MissingInReplyTo,
    #[error("{0}")]
    Invalid(String),
    #[error(
        "the message was sent at {sent_at}, outside the accepted window of {window_secs} s around {now}"
    )]
    Stale {
        sent_at: Timestamp,
        now: Timestamp,
        window_secs: i64,
    },
}

/// What a message asks or answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// 查询 — what does the subject hold here?
    Query,
    /// 冻结 — deposits and account balances.
    Freeze,
    /// 查封 — real estate, registered rights, movables left in place.
    Seize,
    /// 扣押 — movables taken into custody.
    Detain,
    /// 扣划 — transfer to the court's case account.
    Deduct,
    /// 续行 — extend a measure before it expires.
    Renew,
    /// 解除 — lift a measure.
    Release,
    /// An institution's answer to any of the above.
    Reply,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Query => "query",
            MessageKind::Freeze => "freeze",
            MessageKind::Seize => "seize",
            MessageKind::Detain => "detain",
            MessageKind::Deduct => "deduct",
            MessageKind::Renew => "renew",
            MessageKind::Release => "release",
            MessageKind::Reply => "reply",
        }
    }
}

/// The identified officer a request is made for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Officer {
    pub id: String,
    pub name: String,
}

/// Whom a query is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    pub name: String,
    /// `resident_id` or `credit_code`.
    pub id_kind: String,
    pub id_number: String,
}

/// The kinds of property (DOMAIN.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    BankDeposit,
    WealthProduct,
    Securities,
    FundShares,
    RealEstate,
    Vehicle,
    Ship,
    Equity,
    HousingFund,
    SocialInsurance,
    TaxRefund,
    OnlinePayment,
    InternetBank,
    OnlineLending,
    VirtualProperty,
    IntellectualProperty,
}

/// One piece of property an institution reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    pub kind: AssetKind,
    /// Account, certificate, plate or registry number, as the institution knows it.
    pub reference: String,
    pub description: String,
    /// Balance or assessed value, in fen, where the institution knows it.
    pub value_fen: Option<i64>,
    /// Measures other courts already hold on it (case numbers), in their order.
    #[serde(default)]
    pub encumbrances: Vec<String>,
}

/// The outcome of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    /// In effect.
    Done,
    /// In effect for less than asked (e.g. a freeze above the balance).
    Partial,
    /// Waiting behind another court's measure (轮候).
    Queued,
    Refused,
}

/// The typed content of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Body {
    Query {
        subject: Subject,
    },
    /// freeze, seize, detain or deduct.
    Measure {
        asset_kind: AssetKind,
        asset_reference: String,
        /// For freezes and deductions: at most this much, in fen.
        amount_fen: Option<i64>,
        /// For freezes, seizures and detentions: the last day in effect.
        until: Option<Date>,
    },
    Renew {
        measure_reference: String,
        until: Date,
    },
    Release {
        measure_reference: String,
        reason: String,
    },
    QueryResult {
        /// `found`, `none` or `error`.
        outcome: String,
        assets: Vec<Asset>,
    },
    MeasureResult {
        status: MeasureStatus,
        /// The institution's reference for the measure (renewal and release name it).
        measure_reference: Option<String>,
        amount_fen: Option<i64>,
        until: Option<Date>,
        /// Position on the waiting list when queued (1 = next).
        queue_position: Option<u32>,
        reason: Option<String>,
    },
}

impl Body {
    fn name(&self) -> &'static str {
        match self {
            Body::Query { .. } => "query",
            Body::Measure { .. } => "measure",
            Body::Renew { .. } => "renew",
            Body::Release { .. } => "release",
            Body::QueryResult { .. } => "query_result",
            Body::MeasureResult { .. } => "measure_result",
        }
    }
}

/// Every message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub protocol: String,
    /// 128 random bits, hex: the idempotency key on both ends.
    pub message_id: String,
    pub kind: MessageKind,
    pub sent_at: Timestamp,
    /// `court:<court id>` or `institution:<institution id>`.
    pub sender: String,
    pub recipient: String,
    pub case_number: String,
    pub officer: Officer,
    /// For replies: the message answered.
    #[serde(default)]
    pub in_reply_to: Option<String>,
    pub body: Body,
    /// Base64 Ed25519 signature over the canonical JSON of the envelope without this field.
    #[serde(default)]
    pub signature: Option<String>,
}

/// A new random message id.
pub fn new_message_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

impl Envelope {
    /// Checks everything but the signature and freshness.
    pub fn validate(&self) -> Result<(), ProtocolError> {
        if self.protocol != PROTOCOL {
            return Err(ProtocolError::Version(self.protocol.clone()));
        }
        if self.message_id.len() != 32
            || !self
                .message_id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(ProtocolError::MessageId);
        }
        CaseNumber::parse(&self.case_number)
            .map_err(|e| ProtocolError::CaseNumber(e.to_string()))?;
        if self.officer.id.trim().is_empty() || self.officer.name.trim().is_empty() {
            return Err(ProtocolError::Invalid(
                "officer id and name are required".into(),
            ));
        }
        for (field, v) in [("sender", &self.sender), ("recipient", &self.recipient)] {
            let ok = v
                .strip_prefix("court:")
                .or_else(|| v.strip_prefix("institution:"))
                .is_some_and(|id| !id.is_empty() && id.len() <= 64);
            if !ok {
                return Err(ProtocolError::Invalid(format!(
                    "{field} must be court:<id> or institution:<id>"
                )));
            }
        }
        let fits = matches!(
            (&self.kind, &self.body),
            (MessageKind::Query, Body::Query { .. })
                | (
                    MessageKind::Freeze
                        | MessageKind::Seize
                        | MessageKind::Detain
                        | MessageKind::Deduct,
                    Body::Measure { .. }
                )
                | (MessageKind::Renew, Body::Renew { .. })
                | (MessageKind::Release, Body::Release { .. })
                | (
                    MessageKind::Reply,
                    Body::QueryResult { .. } | Body::MeasureResult { .. }
                )
        );
        if !fits {
            return Err(ProtocolError::BodyMismatch {
                kind: self.kind.as_str(),
                body: self.body.name(),
            });
        }
        if self.kind == MessageKind::Reply && self.in_reply_to.is_none() {
            return Err(ProtocolError::MissingInReplyTo);
        }
        let negative = match &self.body {
            Body::Measure { amount_fen, .. } | Body::MeasureResult { amount_fen, .. } => {
                amount_fen.is_some_and(|a| a < 0)
            }
            Body::QueryResult { assets, .. } => {
                assets.iter().any(|a| a.value_fen.is_some_and(|v| v < 0))
            }
            _ => false,
        };
        if negative {
            return Err(ProtocolError::Invalid(
                "amounts are non-negative fen".into(),
            ));
        }
        if let Body::Query { subject } = &self.body
            && !matches!(subject.id_kind.as_str(), "resident_id" | "credit_code")
        {
            return Err(ProtocolError::Invalid(
                "subject.id_kind is resident_id or credit_code".into(),
            ));
        }
        Ok(())
    }

    /// Refuses a message sent more than `window_secs` before or after `now`.
    pub fn check_fresh(&self, now: Timestamp, window_secs: i64) -> Result<(), ProtocolError> {
        let skew = now.duration_since(self.sent_at).as_secs().abs();
        if skew > window_secs {
            return Err(ProtocolError::Stale {
                sent_at: self.sent_at,
                now,
                window_secs,
            });
        }
        Ok(())
    }

    /// The bytes that are signed: the canonical JSON of the envelope without its signature.
    pub fn signing_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        if let Some(o) = v.as_object_mut() {
            o.remove("signature");
        }
        zhixing_domain::audit::canonical_json(&v).into_bytes()
    }
}
