//! Personal data of drivers, encrypted field by field under one data key per
//! data subject (envelope encryption).
//!
//! Each subject (a driver of the base, or a driver typed into one answer)
//! has a 256-bit data key; the key is stored only wrapped by the platform's
//! customer-managed KMS key, in a table of its own that has no backups and
//! no point-in-time recovery. Names, addresses and e-mails are sealed with
//! AES-256-GCM under that key before they reach the main table. Erasing a
//! subject deletes its wrapped key: every copy of its sealed fields, in the
//! table, its backups and its point-in-time recovery, becomes unreadable
//! (crypto-shredding). See `docs/privacy.md`.

pub mod key_cache;
mod replays;
pub mod sealing;

pub use crate::domain::subject::{SealedBox, Subject, SubjectKind};
use crate::ports::PortError;
use async_trait::async_trait;
use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

/// A data key in the clear. It lives in memory only; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey([u8; 32]);

impl DataKey {
    pub fn from_bytes(bytes: &[u8]) -> Result<DataKey, PortError> {
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| PortError::new("data key", format!("{} bytes, not 32", bytes.len())))?;
        Ok(DataKey(bytes))
    }

    pub fn random() -> DataKey {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the system's random source works");
        DataKey(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

/// Why a sealed box did not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("the subject's data key was erased")]
    Erased,
    #[error("the sealed fields do not open: {0}")]
    Corrupt(String),
}

fn aad(subject: &Subject, context: &str) -> Vec<u8> {
    format!("{}\n{context}", subject.key_id()).into_bytes()
}

fn cipher(key: &DataKey) -> LessSafeKey {
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key.as_bytes()).expect("a 32-byte AES key"))
}

/// Seals `plaintext` for `subject`; `context` names the item it belongs to.
pub fn seal(key: &DataKey, subject: &Subject, context: &str, plaintext: &[u8]) -> SealedBox {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).expect("the system's random source works");
    let mut in_out = plaintext.to_vec();
    cipher(key)
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad(subject, context)),
            &mut in_out,
        )
        .expect("AES-GCM seals any message under 64 GiB");
    SealedBox {
        subject: subject.clone(),
        nonce: BASE64.encode(nonce),
        ciphertext: BASE64.encode(in_out),
    }
}

/// Opens a box sealed by `seal` with the same key and context.
pub fn open(key: &DataKey, sealed: &SealedBox, context: &str) -> Result<Vec<u8>, OpenError> {
    let corrupt = |what: &str| OpenError::Corrupt(what.to_string());
    let nonce: [u8; NONCE_LEN] = BASE64
        .decode(&sealed.nonce)
        .ok()
        .and_then(|n| n.try_into().ok())
        .ok_or_else(|| corrupt("bad nonce"))?;
    let mut in_out = BASE64
        .decode(&sealed.ciphertext)
        .map_err(|_| corrupt("bad ciphertext encoding"))?;
    let plain = cipher(key)
        .open_in_place(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad(&sealed.subject, context)),
            &mut in_out,
        )
        .map_err(|_| corrupt("authentication failed (wrong key, item or tampering)"))?;
    Ok(plain.to_vec())
}

/// A secret of the key's subject for one `purpose`, derived from its data
/// key (HMAC-SHA256): nothing to store, and gone with the key when the
/// subject is erased. The key itself cannot be found from it.
pub fn derive_secret(key: &DataKey, purpose: &str) -> [u8; 32] {
    let hmac_key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, key.as_bytes());
    let tag = aws_lc_rs::hmac::sign(&hmac_key, purpose.as_bytes());
    tag.as_ref()
        .try_into()
        .expect("an HMAC-SHA256 tag has 32 bytes")
}

/// Where data keys live, wrapped by the KMS key (one per subject).
#[async_trait]
pub trait KeyVault: Send + Sync {
    /// The subject's data key, created on first use (concurrent first uses
    /// agree on one key).
    async fn key_for_sealing(&self, subject: &Subject) -> Result<DataKey, PortError>;
    /// The subject's data key; `None` once erased (or never created).
    async fn key(&self, subject: &Subject) -> Result<Option<DataKey>, PortError>;
    /// Deletes the subject's data key for good (already absent is fine).
    async fn erase(&self, subject: &Subject) -> Result<(), PortError>;
}

#[async_trait]
impl<V: KeyVault + ?Sized> KeyVault for std::sync::Arc<V> {
    async fn key_for_sealing(&self, subject: &Subject) -> Result<DataKey, PortError> {
        (**self).key_for_sealing(subject).await
    }
    async fn key(&self, subject: &Subject) -> Result<Option<DataKey>, PortError> {
        (**self).key(subject).await
    }
    async fn erase(&self, subject: &Subject) -> Result<(), PortError> {
        (**self).erase(subject).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TenantId;

    fn subject(id: &str) -> Subject {
        Subject::driver(&TenantId("t1".into()), id)
    }

    #[test]
    fn a_sealed_box_opens_with_its_key_and_context_only() {
        let key = DataKey::random();
        let sealed = seal(&key, &subject("d1"), "DRIVER#d1", b"DUPONT-FICTIF");
        assert!(!sealed.ciphertext.contains("DUPONT"));
        assert_eq!(open(&key, &sealed, "DRIVER#d1").unwrap(), b"DUPONT-FICTIF");
        assert!(matches!(
            open(&DataKey::random(), &sealed, "DRIVER#d1"),
            Err(OpenError::Corrupt(_))
        ));
        assert!(
            open(&key, &sealed, "DRIVER#d2").is_err(),
            "moved to another item"
        );
        let mut moved = sealed.clone();
        moved.subject = subject("d2");
        assert!(
            open(&key, &moved, "DRIVER#d1").is_err(),
            "moved to another subject"
        );
        let mut tampered = sealed;
        let mut bytes = BASE64.decode(&tampered.ciphertext).unwrap();
        bytes[0] ^= 1;
        tampered.ciphertext = BASE64.encode(bytes);
        assert!(open(&key, &tampered, "DRIVER#d1").is_err(), "tampered");
    }

    #[test]
    fn two_seals_of_the_same_text_differ() {
        let key = DataKey::random();
        let a = seal(&key, &subject("d1"), "c", b"same");
        let b = seal(&key, &subject("d1"), "c", b"same");
        assert_ne!(a.ciphertext, b.ciphertext, "fresh nonce each time");
    }

    #[test]
    fn a_derived_secret_is_stable_per_purpose_and_key() {
        let key = DataKey::random();
        let secret = derive_secret(&key, "certificate:N0001");
        assert_eq!(secret, derive_secret(&key, "certificate:N0001"));
        assert_ne!(secret, derive_secret(&key, "certificate:N0002"));
        assert_ne!(
            secret,
            derive_secret(&DataKey::random(), "certificate:N0001")
        );
        assert_ne!(&secret, key.as_bytes(), "not the key itself");
    }

    #[test]
    fn data_keys_never_print() {
        assert_eq!(format!("{:?}", DataKey::random()), "DataKey(..)");
    }
}
