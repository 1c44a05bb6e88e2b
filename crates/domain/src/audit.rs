//! The audit chain (审计链): every event is linked to the one before it by a SHA-256 hash, so a
//! row that is changed, removed or moved breaks the chain at that point.
//!
//! `hash(n) = SHA-256(hash(n-1) ‖ "\n" ‖ canonical(n))`, where `canonical(n)` is the JSON array
//! `[seq, at_us, actor, court, kind, subject, payload]` and the payload is itself canonical JSON
//! (object keys sorted, no insignificant whitespace). The first entry links to [`GENESIS`].

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The hash the first entry links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the chain as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainEntry {
    pub seq: i64,
    pub at_us: i64,
    pub actor: String,
    pub court: Option<String>,
    pub kind: String,
    pub subject: String,
    /// Canonical JSON text.
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Where and why a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit chain broken at entry {seq}: {reason}")]
pub struct ChainBreak {
    pub seq: i64,
    pub reason: String,
}

/// Serialises a JSON value canonically: keys sorted at every level, compact. Written here
/// rather than relying on serde_json's map order, which a dependency's feature flag can change.
pub fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                if let Some(val) = map.get(*k) {
                    write_canonical(val, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The hashed fields of an entry.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    pub seq: i64,
    pub at_us: i64,
    pub actor: &'a str,
    pub court: Option<&'a str>,
    pub kind: &'a str,
    pub subject: &'a str,
    /// Canonical JSON text.
    pub payload: &'a str,
}

impl ChainEntry {
    pub fn fields(&self) -> Fields<'_> {
        Fields {
            seq: self.seq,
            at_us: self.at_us,
            actor: &self.actor,
            court: self.court.as_deref(),
            kind: &self.kind,
            subject: &self.subject,
            payload: &self.payload,
        }
    }
}

/// The hash of an entry given the hash of the one before it.
pub fn entry_hash(prev_hash: &str, f: Fields<'_>) -> String {
    let canonical = Value::Array(vec![
        f.seq.into(),
        f.at_us.into(),
        f.actor.into(),
        f.court.map_or(Value::Null, Value::from),
        f.kind.into(),
        f.subject.into(),
        f.payload.into(),
    ])
    .to_string();
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// Incremental verifier: feed entries in stored order, then call [`Verifier::finish`] with the
/// recorded head so that entries removed from the end are caught too.
#[derive(Debug)]
pub struct Verifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier {
            expected_seq: 1,
            prev_hash: GENESIS.to_owned(),
        }
    }
}

impl Verifier {
    pub fn check(&mut self, e: &ChainEntry) -> Result<(), ChainBreak> {
        let brk = |reason: String| ChainBreak { seq: e.seq, reason };
        if e.seq != self.expected_seq {
            return Err(ChainBreak {
                seq: self.expected_seq,
                reason: format!(
                    "expected entry {} but found {} (removed or reordered)",
                    self.expected_seq, e.seq
                ),
            });
        }
        if e.prev_hash != self.prev_hash {
            return Err(brk("does not link to the entry before it (an entry before it was removed or reordered)".into()));
        }
        let h = entry_hash(&e.prev_hash, e.fields());
        if h != e.hash {
            return Err(brk(
                "content does not match its hash (the entry was changed)".into(),
            ));
        }
        self.expected_seq += 1;
        self.prev_hash = h;
        Ok(())
    }

    /// Compares the end of the chain with the recorded head (`seq`, `hash`).
    pub fn finish(self, head: Option<(i64, &str)>) -> Result<i64, ChainBreak> {
        let last = self.expected_seq - 1;
        match head {
            None if last == 0 => Ok(0),
            None => Err(ChainBreak {
                seq: 1,
                reason: "entries exist but the chain head is missing".into(),
            }),
            Some((seq, hash)) if seq == last && hash == self.prev_hash => Ok(last),
            Some((seq, _)) if seq > last => Err(ChainBreak {
                seq: last + 1,
                reason: format!(
                    "the head records {seq} entries but only {last} remain (entries removed from the end)"
                ),
            }),
            Some((seq, _)) => Err(ChainBreak {
                seq,
                reason: "the chain head does not match the last entry".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn chain(n: i64) -> Vec<ChainEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let payload = canonical_json(&json!({"n": seq, "a": "x"}));
                let hash = entry_hash(
                    &prev,
                    Fields {
                        seq,
                        at_us: seq * 10,
                        actor: "u1",
                        court: Some("b110105"),
                        kind: "k",
                        subject: "s",
                        payload: &payload,
                    },
                );
                let e = ChainEntry {
                    seq,
                    at_us: seq * 10,
                    actor: "u1".into(),
                    court: Some("b110105".into()),
                    kind: "k".into(),
                    subject: "s".into(),
                    payload,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(entries: &[ChainEntry], head: Option<(i64, &str)>) -> Result<i64, ChainBreak> {
        let mut v = Verifier::default();
        for e in entries {
            v.check(e)?;
        }
        v.finish(head)
    }

    #[test]
    fn canonical_json_sorts_keys_deeply() {
        let v = json!({"b": 1, "a": {"d": [1, {"z": 1, "y": 2}], "c": "中"}});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":"中","d":[1,{"y":2,"z":1}]},"b":1}"#
        );
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        let last = &c[4];
        assert_eq!(verify(&c, Some((5, &last.hash))), Ok(5));
        assert_eq!(verify(&[], None), Ok(0));
    }

    #[test]
    fn change_delete_reorder_and_truncate_are_caught() {
        let c = chain(5);
        let head = (5, c[4].hash.clone());
        let mut changed = c.clone();
        changed[2].payload = canonical_json(&json!({"n": 99}));
        assert_eq!(
            verify(&changed, Some((5, &head.1))).map_err(|b| b.seq),
            Err(3)
        );

        let mut deleted = c.clone();
        deleted.remove(1);
        assert_eq!(
            verify(&deleted, Some((5, &head.1))).map_err(|b| b.seq),
            Err(2)
        );

        let mut reordered = c.clone();
        reordered.swap(1, 2);
        assert_eq!(
            verify(&reordered, Some((5, &head.1))).map_err(|b| b.seq),
            Err(2)
        );

        let truncated = &c[..4];
        assert_eq!(
            verify(truncated, Some((5, &head.1))).map_err(|b| b.seq),
            Err(5)
        );
    }
}
