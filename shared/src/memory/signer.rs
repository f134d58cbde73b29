//! A proof signer in memory: a real ECDSA P-256 key, made for the test,
//! standing for the KMS key.

use crate::ports::{PortError, ProofSigner};
use async_trait::async_trait;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Signs as KMS does with an `ECC_NIST_P256` key and `ECDSA_SHA_256`:
/// DER signatures, the public key as `SubjectPublicKeyInfo`.
pub struct MemorySigner {
    key: EcdsaKeyPair,
    /// Signatures made, so a test can tell a proof was signed once.
    pub signed: AtomicUsize,
    /// Set by a test: the next signature fails, as KMS unavailable would.
    pub fail_next: AtomicBool,
}

impl Default for MemorySigner {
    fn default() -> Self {
        MemorySigner {
            key: EcdsaKeyPair::generate(&ECDSA_P256_SHA256_ASN1_SIGNING)
                .expect("a P-256 key is generated"),
            signed: AtomicUsize::new(0),
            fail_next: AtomicBool::new(false),
        }
    }
}

#[async_trait]
impl ProofSigner for MemorySigner {
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, PortError> {
        if self.fail_next.swap(false, Ordering::Relaxed) {
            return Err(PortError::new(
                "sign proof",
                "the signing key is unavailable",
            ));
        }
        let signature = self
            .key
            .sign(&SystemRandom::new(), message)
            .map_err(|e| PortError::new("sign proof", e))?;
        self.signed.fetch_add(1, Ordering::Relaxed);
        Ok(signature.as_ref().to_vec())
    }

    async fn public_key(&self) -> Result<Vec<u8>, PortError> {
        let der = self
            .key
            .public_key()
            .as_der()
            .map_err(|e| PortError::new("public key", e))?;
        Ok(der.as_ref().to_vec())
    }
}
