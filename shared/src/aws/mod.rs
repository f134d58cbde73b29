//! AWS adapters of the ports, and the one place AWS clients are built.

mod clients;
mod cognito;
mod dynamo;
mod dynamo_answers;
mod s3;
mod ses;
mod sqs;

pub use clients::{endpoint_override, AwsClients};
pub use cognito::{CognitoIdentity, TENANT_ATTRIBUTE};
pub use dynamo::DynamoStorage;
pub use s3::S3BlobStore;
pub use ses::SesMailer;
pub use sqs::SqsQueue;
