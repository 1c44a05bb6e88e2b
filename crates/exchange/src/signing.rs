//! Ed25519 signatures: one key pair per institution (its public key registered on the
//! platform) and one for the platform (its public key given to every institution).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use crate::protocol::Envelope;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("the message is not signed")]
    Missing,
    #[error("the signature is not valid base64 Ed25519")]
    Malformed,
    #[error("the signature does not match the sender's registered key")]
    Mismatch,
    #[error("the public key is not a valid base64 Ed25519 key")]
    BadKey,
}

/// A signing key with its public half.
#[derive(Clone)]
pub struct KeyPair {
    key: SigningKey,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyPair(public {})", self.public_base64())
    }
}

impl KeyPair {
    pub fn generate() -> KeyPair {
        KeyPair {
            key: SigningKey::generate(&mut rand::rngs::OsRng),
        }
    }

    /// A key pair derived from 32 seed bytes (deterministic simulators and tests).
    pub fn from_seed(seed: [u8; 32]) -> KeyPair {
        KeyPair {
            key: SigningKey::from_bytes(&seed),
        }
    }

    pub fn from_secret_base64(s: &str) -> Option<KeyPair> {
        let bytes: [u8; 32] = B64.decode(s.trim()).ok()?.try_into().ok()?;
        Some(KeyPair::from_seed(bytes))
    }

    pub fn secret_base64(&self) -> String {
        B64.encode(self.key.to_bytes())
    }

    pub fn public_base64(&self) -> String {
        B64.encode(self.key.verifying_key().to_bytes())
    }

    /// Signs the envelope in place.
    pub fn sign(&self, env: &mut Envelope) {
        env.signature = None;
        let sig = self.key.sign(&env.signing_bytes());
        env.signature = Some(B64.encode(sig.to_bytes()));
    }
}

/// Parses a registered public key (base64 Ed25519).
pub fn parse_public_key(public_key_base64: &str) -> Result<VerifyingKey, SignatureError> {
    let key_bytes: [u8; 32] = B64
        .decode(public_key_base64.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(SignatureError::BadKey)?;
    VerifyingKey::from_bytes(&key_bytes).map_err(|_| SignatureError::BadKey)
}

/// Checks an envelope's signature against the sender's registered public key (base64).
pub fn verify(env: &Envelope, public_key_base64: &str) -> Result<(), SignatureError> {
    let key = parse_public_key(public_key_base64)?;
    let sig_text = env.signature.as_deref().ok_or(SignatureError::Missing)?;
    let sig_bytes: [u8; 64] = B64
        .decode(sig_text)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(SignatureError::Malformed)?;
    key.verify(&env.signing_bytes(), &Signature::from_bytes(&sig_bytes))
        .map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::protocol::*;

    pub(crate) fn query() -> Envelope {
        Envelope {
            protocol: PROTOCOL.into(),
            message_id: new_message_id(),
            kind: MessageKind::Query,
            sent_at: "2026-11-28T08:00:00Z".parse().unwrap(), // allow-panic: test code
            sender: "court:b110105".into(),
            recipient: "institution:icbc".into(),
            case_number: "(2026)京0105执1号".into(),
            officer: Officer {
                id: "7".into(),
                name: "王执行".into(),
            },
            in_reply_to: None,
            body: Body::Query {
                subject: Subject {
                    name: "李四".into(),
                    id_kind: "resident_id".into(),
                    id_number: "110101198001010010".into(),
                },
            },
            signature: None,
        }
    }

    #[test]
    fn signed_messages_verify_and_any_change_breaks_them() {
        let k = KeyPair::generate();
        let mut m = query();
        assert_eq!(verify(&m, &k.public_base64()), Err(SignatureError::Missing));
        k.sign(&mut m);
        assert_eq!(verify(&m, &k.public_base64()), Ok(()));
        let json = serde_json::to_string(&m).unwrap(); // allow-panic: test code
        let back: Envelope = serde_json::from_str(&json).unwrap(); // allow-panic: test code
        assert_eq!(
            verify(&back, &k.public_base64()),
            Ok(()),
            "survives the wire"
        );
        let mut changed = m.clone();
        changed.case_number = "(2026)京0105执2号".into();
        assert_eq!(
            verify(&changed, &k.public_base64()),
            Err(SignatureError::Mismatch)
        );
        let other = KeyPair::generate();
        assert_eq!(
            verify(&m, &other.public_base64()),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(verify(&m, "not a key"), Err(SignatureError::BadKey));
        let mut garbled = m.clone();
        garbled.signature = Some("!!".into());
        assert_eq!(
            verify(&garbled, &k.public_base64()),
            Err(SignatureError::Malformed)
        );
        let restored = KeyPair::from_secret_base64(&k.secret_base64()).unwrap(); // allow-panic: test code
        assert_eq!(restored.public_base64(), k.public_base64());
    }

    #[test]
    fn shape_and_freshness_are_checked() {
        let m = query();
        assert_eq!(m.validate(), Ok(()));
        let mut v = m.clone();
        v.protocol = "zhixing-exchange/2".into();
        assert!(matches!(v.validate(), Err(ProtocolError::Version(_))));
        let mut v = m.clone();
        v.message_id = "x".into();
        assert_eq!(v.validate(), Err(ProtocolError::MessageId));
        let mut v = m.clone();
        v.kind = MessageKind::Freeze;
        assert!(matches!(
            v.validate(),
            Err(ProtocolError::BodyMismatch { .. })
        ));
        let mut v = m.clone();
        v.kind = MessageKind::Reply;
        v.body = Body::QueryResult {
            outcome: "none".into(),
            assets: vec![],
        };
        assert_eq!(v.validate(), Err(ProtocolError::MissingInReplyTo));
        let mut v = m.clone();
        v.case_number = "case 1".into();
        assert!(matches!(v.validate(), Err(ProtocolError::CaseNumber(_))));
        let now: jiff::Timestamp = "2026-11-28T08:04:00Z".parse().unwrap(); // allow-panic: test code
        assert!(m.check_fresh(now, 300).is_ok());
        assert!(
            m.check_fresh("2026-11-28T08:06:00Z".parse().unwrap(), 300) // allow-panic: test code
                .is_err(),
            "stale"
        );
        assert!(
            m.check_fresh("2026-11-28T07:54:00Z".parse().unwrap(), 300) // allow-panic: test code
                .is_err(),
            "from the future"
        );
    }
}
