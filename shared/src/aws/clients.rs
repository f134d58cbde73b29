//! Builds every AWS client from the environment, once per cold start.
//!
//! - `AWS_ENDPOINT_URL` (honoured by the SDK) points all clients at an
//!   emulator: moto or LocalStack on http://127.0.0.1:4566.
//! - With an overridden endpoint S3 uses path-style addressing
//!   (`host/bucket/key`): emulators do not resolve `bucket.host`.
//! - Request checksums are computed and validated only "when required":
//!   emulators do not all support the newer default CRC checksums.
//! - No attempt waits forever: a connection gets 5 s, an attempt 30 s, then
//!   the SDK's standard retries try again (a stalled endpoint once hung an
//!   API request past its caller's timeout).

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_types::checksum_config::{RequestChecksumCalculation, ResponseChecksumValidation};
use std::time::Duration;

/// The region the platform runs in (data hosted in France).
pub const DEFAULT_REGION: &str = "eu-west-3";

/// The overridden endpoint, if any.
pub fn endpoint_override() -> Option<String> {
    crate::env::Env::process().optional("AWS_ENDPOINT_URL")
}

#[derive(Clone, Debug)]
pub struct AwsClients {
    pub s3: aws_sdk_s3::Client,
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub cognito: aws_sdk_cognitoidentityprovider::Client,
    pub ses: aws_sdk_ses::Client,
    pub kms: aws_sdk_kms::Client,
    pub config: SdkConfig,
}

impl AwsClients {
    pub async fn from_env() -> AwsClients {
        let config = aws_config::defaults(BehaviorVersion::latest())
            .region(
                aws_config::meta::region::RegionProviderChain::default_provider()
                    .or_else(Region::new(DEFAULT_REGION)),
            )
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(30))
                    .build(),
            )
            .load()
            .await;
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(endpoint_override().is_some())
            .build();
        AwsClients {
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            dynamodb: aws_sdk_dynamodb::Client::new(&config),
            sqs: aws_sdk_sqs::Client::new(&config),
            cognito: aws_sdk_cognitoidentityprovider::Client::new(&config),
            ses: aws_sdk_ses::Client::new(&config),
            kms: aws_sdk_kms::Client::new(&config),
            config,
        }
    }
}
