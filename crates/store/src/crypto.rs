//! Field encryption at rest for personal identifiers: AES-256-GCM for the value, and a blind
//! index (HMAC-SHA256 under a separate key) so that an ID number can be searched for by
//! equality without decrypting anything. Both keys derive from one 256-bit master key that
//! never enters the database; the database keeps only its fingerprint, to refuse a wrong key.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::{Result, Store, StoreError, on_pool};

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct FieldCipher {
    enc: Key<Aes256Gcm>,
    idx: [u8; 32],
    code: [u8; 32],
    share: [u8; 32],
    form: [u8; 32],
    fingerprint: String,
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FieldCipher({})", self.fingerprint)
    }
}

fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    // HMAC as a KDF: one master key, independent subkeys per purpose.
    let mut out = [0u8; 32];
    if let Ok(mut m) = <HmacSha256 as Mac>::new_from_slice(master) {
        m.update(label);
        out.copy_from_slice(&m.finalize().into_bytes());
    }
    out
}

impl FieldCipher {
    pub fn new(master: [u8; 32]) -> FieldCipher {
        let enc = derive(&master, b"zhixing/field-encryption/v1");
        let idx = derive(&master, b"zhixing/blind-index/v1");
        let fp = derive(&master, b"zhixing/key-fingerprint/v1");
        let code = derive(&master, b"zhixing/access-code/v1");
        let share = derive(&master, b"zhixing/sharing-key/v1");
        let form = derive(&master, b"zhixing/form-token/v1");
        FieldCipher {
            enc: *Key::<Aes256Gcm>::from_slice(&enc),
            idx,
            code,
            share,
            form,
            fingerprint: hex::encode(&fp[..16]),
        }
    }

    /// A new random master key.
    pub fn generate_master() -> [u8; 32] {
        let mut k = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut k);
        k
    }

    /// Parses a master key from 64 hex characters.
    pub fn master_from_hex(s: &str) -> Option<[u8; 32]> {
        let bytes = hex::decode(s.trim()).ok()?;
        bytes.try_into().ok()
    }

    pub fn seal(&self, plain: &str) -> Result<String> {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ct = Aes256Gcm::new(&self.enc)
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .map_err(|_| StoreError::Corrupt("encryption failed".into()))?;
        Ok(format!("{}{}", hex::encode(nonce), hex::encode(ct)))
    }

    pub fn open(&self, sealed: &str) -> Result<String> {
        let bytes = hex::decode(sealed)
            .map_err(|_| StoreError::Corrupt("sealed field is not hex".into()))?;
        if bytes.len() < 12 {
            return Err(StoreError::Corrupt("sealed field too short".into()));
        }
        let (nonce, ct) = bytes.split_at(12);
        let pt = Aes256Gcm::new(&self.enc)
            .decrypt(Nonce::from_slice(nonce), ct)
            .map_err(|_| {
                StoreError::Corrupt("sealed field does not decrypt with this key".into())
            })?;
        String::from_utf8(pt).map_err(|_| StoreError::Corrupt("sealed field is not text".into()))
    }

    /// The blind index of a normalised identifier.
    pub fn index(&self, normalized: &str) -> String {
        let mut out = String::new();
        if let Ok(mut m) = <HmacSha256 as Mac>::new_from_slice(&self.idx) {
            m.update(normalized.trim().to_ascii_uppercase().as_bytes());
            out = hex::encode(m.finalize().into_bytes());
        }
        out
    }

    /// The keyed hash a party access code (当事人查询码) is stored as. HMAC rather than
    /// Argon2: the key never enters the database, so a leaked table cannot be searched
    /// offline whatever the cost factor, and a public route must not spend a slow hash on
    /// every guess (the guesses themselves are throttled per case number and per client).
    pub fn access_code_hash(&self, case_id: i64, code: &str) -> String {
        let mut out = String::new();
        if let Ok(mut m) = <HmacSha256 as Mac>::new_from_slice(&self.code) {
            // Bound to the case: the same code on two cases hashes differently.
            m.update(&case_id.to_be_bytes());
            m.update(code.trim().to_ascii_uppercase().as_bytes());
            out = hex::encode(m.finalize().into_bytes());
        }
        out
    }

    /// The keyed hash a partner agency's API key (数据共享密钥) is stored and looked up as.
    /// HMAC for the same reasons as [`FieldCipher::access_code_hash`]; the key is 256 random
    /// bits, so no slow hash is needed against guessing, and its own subkey keeps the two
    /// hash spaces apart. Exact bytes: a key is machine-handled, never retyped.
    pub fn sharing_key_hash(&self, key: &str) -> String {
        let mut out = String::new();
        if let Ok(mut m) = <HmacSha256 as Mac>::new_from_slice(&self.share) {
            m.update(key.as_bytes());
            out = hex::encode(m.finalize().into_bytes());
        }
        out
    }

    /// A bidder's token, hashed like a sharing key; the label keeps the two spaces apart.
    pub fn bidder_token_hash(&self, token: &str) -> String {
        self.sharing_key_hash(&format!("auction-bidder\0{token}"))
    }

    /// The token a page form carries against cross-site posts (CSRF), bound to `binding`
    /// (a session's token hash, or the nonce of a sign-in form). Keyed by the master key, not
    /// by a key of the process: a form outlives a restart and may be sent to another
    /// instance behind the same balancer.
    pub fn form_token(&self, binding: &str) -> String {
        self.form_mac(binding)
            .map(|m| hex::encode(m.finalize().into_bytes()))
            .unwrap_or_default()
    }

    /// Whether `token` is the form token of `binding`, compared in constant time.
    pub fn form_token_matches(&self, binding: &str, token: &str) -> bool {
        match (self.form_mac(binding), hex::decode(token)) {
            (Some(m), Ok(given)) => m.verify_slice(&given).is_ok(),
            _ => false,
        }
    }

    fn form_mac(&self, binding: &str) -> Option<HmacSha256> {
        let mut m = <HmacSha256 as Mac>::new_from_slice(&self.form).ok()?;
        m.update(binding.as_bytes());
        Some(m)
    }

    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

impl Store {
    /// Records the key's fingerprint on first use, and refuses a different key afterwards:
    /// data written under two keys would be half unreadable.
    pub async fn check_data_key(&self, cipher: &FieldCipher) -> Result<()> {
        let stored: Option<(String,)> = on_pool!(self, p => sqlx::query_as("SELECT value FROM meta WHERE key = 'data_key_fingerprint'").fetch_optional(p).await)?;
        match stored {
            Some((fp,)) if fp == cipher.fingerprint() => Ok(()),
            Some(_) => Err(StoreError::Corrupt(
                "the data key does not match the one this database was written with (check ZHIXING_DATA_KEY / the key file)".into(),
            )),
            None => {
                let mut tx = self.begin().await?;
                crate::on_tx!(tx, c => sqlx::query("INSERT INTO meta (key, value) VALUES ('data_key_fingerprint', $1) ON CONFLICT (key) DO NOTHING")
                    .bind(cipher.fingerprint()).execute(c).await.map(|r| r.rows_affected()))?;
                tx.commit().await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_opens_and_indexes() -> Result<()> {
        let c = FieldCipher::new([7u8; 32]);
        let s1 = c.seal("11010519491231002X")?;
        let s2 = c.seal("11010519491231002X")?;
        assert_ne!(s1, s2, "random nonces");
        assert!(!s1.contains("19491231"));
        assert_eq!(c.open(&s1)?, "11010519491231002X");
        assert_eq!(c.index("11010519491231002x"), c.index("11010519491231002X"));
        let other = FieldCipher::new([8u8; 32]);
        assert!(other.open(&s1).is_err());
        assert_ne!(other.index("A"), c.index("A"));
        Ok(())
    }

    #[test]
    fn form_tokens_are_bound_to_their_session_and_key() {
        let c = FieldCipher::new([7u8; 32]);
        let t = c.form_token("session\0abc");
        assert_eq!(t.len(), 64);
        assert!(c.form_token_matches("session\0abc", &t));
        assert!(!c.form_token_matches("session\0abd", &t), "another session");
        assert!(!c.form_token_matches("session\0abc", &t[..62]), "cut short");
        assert!(!c.form_token_matches("session\0abc", ""), "none");
        assert!(!c.form_token_matches("session\0abc", "not hex"));
        let other = FieldCipher::new([8u8; 32]);
        assert!(!other.form_token_matches("session\0abc", &t), "another key");
    }
}
