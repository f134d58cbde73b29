//! Builds every AWS client from the environment, once per cold start.
//!
//! - `AWS_ENDPOINT_URL` (honoured by the SDK) points all clients at an
//!   emulator: moto or LocalStack on http://127.0.0.1:4566.
//! - With an overridden endpoint S3 uses path-style addressing
//!   (`host/bucket/key`): emulators do not resolve `bucket.host`.
//! - Request checksums are computed and validated only "when required":
//!   emulators do not all support the newer default CRC checksums.
//! - No attempt waits forever: a connection gets 5 s, an attempt 30 s (two
//!   minutes on an emulator, whose Query reads the whole table in Python and
//!   takes longer than that on a loaded test machine), then the SDK's
//!   standard retries try again (a stalled endpoint once hung an API request
//!   past its caller's timeout): 3 attempts in all, throttling
//!   and transient errors retried after an exponential backoff with full
//!   jitter (docs/operations.md, "After the last retry").
//! - TLS trusts only the roots AWS endpoints chain to (Amazon Trust Services
//!   and Starfield Services G2, compiled in from `trust/`): nothing else is
//!   ever called, and reading the system's store from disk at every cold
//!   start cost more than the rest of the start together. An overridden
//!   `https://` endpoint (an emulator behind its own certificate) adds the
//!   system's store; `http://` needs none.
//! - Credentials: Lambda puts its role's credentials in the environment, so
//!   a function reads them there without building the default chain's STS
//!   and SSO clients; elsewhere (an operator's profile) the default chain.

use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, ConfigLoader, Region, SdkConfig};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
use aws_smithy_http_client::{proxy::ProxyConfig, ConnectorBuilder};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::checksum_config::{RequestChecksumCalculation, ResponseChecksumValidation};
use std::sync::OnceLock;
use std::time::Duration;

/// The region the platform runs in (data hosted in France).
pub const DEFAULT_REGION: &str = "eu-west-3";

/// The overridden endpoint, if any.
pub fn endpoint_override() -> Option<String> {
    crate::env::Env::process().optional("AWS_ENDPOINT_URL")
}

/// How long one attempt may take before the SDK retries it.
fn attempt_timeout() -> Duration {
    match endpoint_override() {
        Some(_) => Duration::from_secs(120),
        None => Duration::from_secs(30),
    }
}

/// The environment's AWS configuration and the clients built from it. Each
/// client is built when first asked for, then shared: a function asks at
/// init for the ones it uses and never pays for the others (a client's
/// construction parses its service's endpoint rules, the largest part of a
/// cold start once TLS roots were compiled in).
#[derive(Clone, Debug)]
pub struct AwsClients {
    pub config: SdkConfig,
    s3: OnceLock<aws_sdk_s3::Client>,
    dynamodb: OnceLock<aws_sdk_dynamodb::Client>,
    sqs: OnceLock<aws_sdk_sqs::Client>,
    cognito: OnceLock<aws_sdk_cognitoidentityprovider::Client>,
    ses: OnceLock<aws_sdk_ses::Client>,
    kms: OnceLock<aws_sdk_kms::Client>,
}

impl AwsClients {
    pub async fn from_env() -> AwsClients {
        let loader = aws_config::defaults(BehaviorVersion::latest())
            .region(
                aws_config::meta::region::RegionProviderChain::default_provider()
                    .or_else(Region::new(DEFAULT_REGION)),
            )
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(attempt_timeout())
                    .build(),
            )
            .retry_config(RetryConfig::standard());
        AwsClients {
            config: with_lambda_transport(loader).load().await,
            s3: OnceLock::new(),
            dynamodb: OnceLock::new(),
            sqs: OnceLock::new(),
            cognito: OnceLock::new(),
            ses: OnceLock::new(),
            kms: OnceLock::new(),
        }
    }

    /// S3, path-style when the endpoint is overridden.
    pub fn s3(&self) -> &aws_sdk_s3::Client {
        self.s3.get_or_init(|| {
            let config = aws_sdk_s3::config::Builder::from(&self.config)
                .force_path_style(endpoint_override().is_some())
                .build();
            aws_sdk_s3::Client::from_conf(config)
        })
    }

    pub fn dynamodb(&self) -> &aws_sdk_dynamodb::Client {
        self.dynamodb
            .get_or_init(|| aws_sdk_dynamodb::Client::new(&self.config))
    }

    pub fn sqs(&self) -> &aws_sdk_sqs::Client {
        self.sqs
            .get_or_init(|| aws_sdk_sqs::Client::new(&self.config))
    }

    pub fn cognito(&self) -> &aws_sdk_cognitoidentityprovider::Client {
        self.cognito
            .get_or_init(|| aws_sdk_cognitoidentityprovider::Client::new(&self.config))
    }

    pub fn ses(&self) -> &aws_sdk_ses::Client {
        self.ses
            .get_or_init(|| aws_sdk_ses::Client::new(&self.config))
    }

    pub fn kms(&self) -> &aws_sdk_kms::Client {
        self.kms
            .get_or_init(|| aws_sdk_kms::Client::new(&self.config))
    }
}

/// The roots AWS service endpoints chain to (docs.aws.amazon.com: "Amazon
/// Trust Services"): Amazon Root CA 1 to 4 and Starfield Services Root CA G2.
const AWS_TRUST_ROOTS: [&[u8]; 5] = [
    include_bytes!("trust/amazon-root-ca-1.pem"),
    include_bytes!("trust/amazon-root-ca-2.pem"),
    include_bytes!("trust/amazon-root-ca-3.pem"),
    include_bytes!("trust/amazon-root-ca-4.pem"),
    include_bytes!("trust/starfield-services-root-ca-g2.pem"),
];

/// The HTTPS client and credentials of a function on AWS; an emulator's or an
/// operator's set-up keeps the SDK's defaults (see the module's doc).
fn with_lambda_transport(loader: ConfigLoader) -> ConfigLoader {
    let system_roots = endpoint_override().is_some_and(|url| url.starts_with("https://"));
    let loader = loader.http_client(aws_endpoints_client(system_roots));
    match crate::env::Env::process().optional("AWS_ACCESS_KEY_ID") {
        Some(_) => loader.credentials_provider(EnvironmentVariableCredentialsProvider::new()),
        None => loader,
    }
}

/// The SDK's default HTTPS client (rustls on aws-lc, proxy from the
/// environment), trusting `AWS_TRUST_ROOTS` (and the system's roots if asked).
fn aws_endpoints_client(system_roots: bool) -> SharedHttpClient {
    let context = aws_trust_context(system_roots);
    aws_smithy_http_client::Builder::new().build_with_connector_fn(move |settings, components| {
        let mut connector = ConnectorBuilder::default()
            .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
            .tls_context(context.clone())
            .proxy_config(ProxyConfig::from_env());
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.build()
    })
}

fn aws_trust_context(system_roots: bool) -> TlsContext {
    let trust = AWS_TRUST_ROOTS.iter().fold(
        TrustStore::empty().with_native_roots(system_roots),
        |store, pem| store.with_pem_certificate(*pem),
    );
    TlsContext::builder()
        .with_trust_store(trust)
        .build()
        .expect("a TLS context of known roots")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_compiled_in_root_is_one_certificate() {
        for pem in AWS_TRUST_ROOTS {
            let text = std::str::from_utf8(pem).expect("PEM is text");
            assert_eq!(text.matches("-----BEGIN CERTIFICATE-----").count(), 1);
        }
        // Building a connector parses them into rustls' root store: a
        // certificate that is not one panics here.
        let _ = ConnectorBuilder::default()
            .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
            .tls_context(aws_trust_context(false))
            .build();
    }
}
