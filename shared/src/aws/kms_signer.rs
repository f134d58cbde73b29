//! The proof signer on AWS: an asymmetric KMS key (`ECC_NIST_P256`,
//! `SIGN_VERIFY`) signs each certificate's proof; its private half never
//! leaves KMS. The public key is read once per Lambda instance.

use crate::ports::{PortError, ProofSigner};
use async_trait::async_trait;
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::{MessageType, SigningAlgorithmSpec};
use tokio::sync::OnceCell;

pub struct KmsSigner {
    kms: aws_sdk_kms::Client,
    key_id: String,
    public_key: OnceCell<Vec<u8>>,
}

impl std::fmt::Debug for KmsSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KmsSigner")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

fn failed(operation: &'static str, e: impl std::error::Error) -> PortError {
    PortError::new(
        operation,
        aws_smithy_types::error::display::DisplayErrorContext(e),
    )
}

impl KmsSigner {
    pub fn new(kms: aws_sdk_kms::Client, key_id: impl Into<String>) -> Self {
        KmsSigner {
            kms,
            key_id: key_id.into(),
            public_key: OnceCell::new(),
        }
    }

    /// Reads `CERTIFICATE_KEY_ID` (the signing key's ARN, id or alias).
    pub fn from_env(clients: &super::AwsClients) -> Result<KmsSigner, crate::env::EnvError> {
        Ok(KmsSigner::new(
            clients.kms().clone(),
            crate::env::required("CERTIFICATE_KEY_ID")?,
        ))
    }
}

#[async_trait]
impl ProofSigner for KmsSigner {
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, PortError> {
        // RAW: KMS hashes the message itself (up to 4 KB; a proof is smaller).
        let signed = self
            .kms
            .sign()
            .key_id(&self.key_id)
            .message(Blob::new(message))
            .message_type(MessageType::Raw)
            .signing_algorithm(SigningAlgorithmSpec::EcdsaSha256)
            .send()
            .await
            .map_err(|e| failed("kms sign", e))?;
        let signature = signed
            .signature()
            .ok_or_else(|| PortError::new("kms sign", "no signature returned"))?;
        Ok(signature.as_ref().to_vec())
    }

    async fn public_key(&self) -> Result<Vec<u8>, PortError> {
        let key = self
            .public_key
            .get_or_try_init(|| async {
                let answer = self
                    .kms
                    .get_public_key()
                    .key_id(&self.key_id)
                    .send()
                    .await
                    .map_err(|e| failed("kms get public key", e))?;
                answer
                    .public_key()
                    .map(|key| key.as_ref().to_vec())
                    .ok_or_else(|| PortError::new("kms get public key", "no key returned"))
            })
            .await?;
        Ok(key.clone())
    }
}
