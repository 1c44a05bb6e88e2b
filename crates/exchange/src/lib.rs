//! The investigation-and-control exchange protocol (网络查控交换协议), version 1.
//!
//! One JSON envelope for every message between the platform and an institution (bank,
//! registry, platform): a unique id, the case number and the officer it is for, a timestamp,
//! a typed body, and an Ed25519 signature over the canonical JSON of everything else. The
//! receiver refuses a bad signature, a stale or future timestamp, and a message id it has seen
//! (replay). The specification is `docs/exchange-protocol.md`; the JSON Schemas in
//! `docs/exchange/` are tested against this code.

pub mod protocol;
pub mod signing;
#[cfg(feature = "sim")]
pub mod sim;

pub use protocol::{
    Asset, AssetKind, Body, Envelope, MeasureStatus, MessageKind, Officer, PROTOCOL, ProtocolError,
    Subject,
};
pub use signing::{KeyPair, SignatureError, parse_public_key, verify};
