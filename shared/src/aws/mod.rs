//! AWS adapters of the ports, and the one place AWS clients are built.

pub mod batch;
mod clients;
mod cognito;
mod dynamo;
mod kms_signer;
mod kms_vault;
mod s3;
pub mod s3_events;
mod ses;
mod sqs;

pub use clients::{endpoint_override, AwsClients};
pub use cognito::{CognitoIdentity, TENANT_ATTRIBUTE};
pub use dynamo::DynamoStorage;
pub use kms_signer::KmsSigner;
pub use kms_vault::KmsKeyVault;
pub use s3::S3BlobStore;
pub use ses::SesMailer;
pub use sqs::SqsQueue;

/// The table with drivers' personal data sealed under their data keys: what
/// every function that reads or writes drivers or designations uses.
pub type SealedDynamoStorage =
    crate::privacy::sealing::Sealing<DynamoStorage, std::sync::Arc<KmsKeyVault>>;

/// Builds the sealed table from the environment (`SUBJECT_KEYS_TABLE`,
/// `DATA_KEY_ID`) for the table `table`.
pub fn sealed_storage(
    clients: &AwsClients,
    table: &str,
) -> Result<SealedDynamoStorage, crate::env::EnvError> {
    Ok(crate::privacy::sealing::Sealing::new(
        DynamoStorage::new(clients.dynamodb().clone(), table),
        std::sync::Arc::new(KmsKeyVault::from_env(clients)?),
    ))
}
