//! The tenant API: an axum router per resource, hosted by lambda_http in
//! the Lambda, served by `axum::serve` on the local server and driven by
//! `tower::ServiceExt::oneshot` in the tests.
//!
//! Tenant and identity come from the verified token only (the `Caller`
//! extractor); every route then checks the caller's grants against the
//! entity it touches, and answers 404 for what the caller may not see, so
//! ids of other tenants or entities reveal nothing.

pub mod answers;
pub mod assignments;
pub mod certificates;
pub mod decode_errors;
pub mod drivers;
pub mod entities;
pub mod exports;
pub mod extract;
pub mod http;
pub mod idempotency;
pub mod imports;
pub mod journal;
pub mod notices;
pub mod openapi;
pub mod preferences;
pub mod privacy;
pub mod router;
pub mod stats;
pub mod tenant;
pub mod testing;
pub mod users;
pub mod vehicles;

use designa::app::imports::{ImportSettings, DEFAULT_WRITE_CONCURRENCY};
use designa::app::layout::IMPORTS_PREFIX;
use designa::env::{Env, EnvError};
use designa::ports::{
    AnswerStore, BlobStore, Clock, IdentityProvider, Mailer, ProofSigner, Queue, Storage,
};
use designa::privacy::sealing::SubjectKeys;
use http::{ApiError, ApiRequest};
use serde::de::DeserializeOwned;
use std::sync::Arc;

pub use router::{router, service};

/// Largest body accepted inline; larger workbooks go through `POST /uploads`.
pub const MAX_INLINE_BODY: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Config {
    /// The bucket, upload prefix and write concurrency of imports.
    pub imports: ImportSettings,
    /// The web app, for invitation links.
    pub app_url: String,
    /// The bucket of the journal's anchors (S3 Object Lock).
    pub journal_anchors: String,
}

impl Config {
    pub fn from_env() -> Result<Config, EnvError> {
        Config::read(&Env::process())
    }

    pub fn read(env: &Env<impl Fn(&str) -> Option<String>>) -> Result<Config, EnvError> {
        Ok(Config {
            imports: ImportSettings {
                bucket: env.required("EXCHANGE_BUCKET")?,
                imports_prefix: env.or("IMPORTS_PREFIX", IMPORTS_PREFIX),
                write_concurrency: env.positive("WRITE_CONCURRENCY", DEFAULT_WRITE_CONCURRENCY)?,
            },
            app_url: env.required("APP_URL")?,
            journal_anchors: env.required("JOURNAL_ANCHOR_BUCKET")?,
        })
    }

    pub fn for_tests() -> Config {
        Config {
            imports: ImportSettings {
                bucket: "exchange".into(),
                imports_prefix: IMPORTS_PREFIX.into(),
                write_concurrency: DEFAULT_WRITE_CONCURRENCY,
            },
            app_url: "https://app.designa.example".into(),
            journal_anchors: "journal-anchors".into(),
        }
    }
}

/// A queue jobs are sent to, and its URL. An `Arc` lets tests keep a handle
/// on the in-memory queue to read what was sent.
#[derive(Clone)]
pub struct JobQueue {
    pub queue: Arc<dyn Queue>,
    pub url: String,
}

impl JobQueue {
    pub fn new(queue: Arc<dyn Queue>, url: impl Into<String>) -> Self {
        JobQueue {
            queue,
            url: url.into(),
        }
    }
}

/// What the API needs of the table: records, answers and subjects' keys.
pub trait ApiStorage: Storage + AnswerStore + SubjectKeys {}
impl<T: Storage + AnswerStore + SubjectKeys + ?Sized> ApiStorage for T {}

/// The API's ports and settings, built once per Lambda instance (or server,
/// or test). The ports are shared adapters: AWS in the Lambda, in memory in
/// the unit tests.
pub struct Api {
    pub storage: Arc<dyn ApiStorage>,
    pub blobs: Arc<dyn BlobStore>,
    pub identity: Arc<dyn IdentityProvider>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
    /// Signs the designation certificates' proofs (KMS in the Lambda).
    pub signer: Arc<dyn ProofSigner>,
    pub config: Config,
    /// Export jobs (`POST /exports`), consumed by the export worker.
    pub export_queue: JobQueue,
}

/// The router's state: the API, shared by every request.
#[derive(Clone)]
pub struct AppState(pub Arc<Api>);

impl std::ops::Deref for AppState {
    type Target = Api;
    fn deref(&self) -> &Api {
        &self.0
    }
}

impl From<Api> for AppState {
    fn from(api: Api) -> Self {
        AppState(Arc::new(api))
    }
}

impl Api {
    /// The API on AWS adapters: reads the function's environment and builds
    /// the clients once.
    pub async fn from_env() -> Result<Api, EnvError> {
        let config = Config::from_env()?;
        let var = designa::env::required;
        let clients = designa::aws::AwsClients::from_env().await;
        Ok(Api {
            storage: Arc::new(designa::aws::sealed_storage(&clients, &var("TABLE_NAME")?)?),
            blobs: Arc::new(designa::aws::S3BlobStore::new(clients.s3().clone())),
            identity: Arc::new(designa::aws::CognitoIdentity::new(
                clients.cognito().clone(),
                var("USER_POOL_ID")?,
            )),
            mailer: Arc::new(designa::aws::SesMailer::new(
                clients.ses().clone(),
                var("SENDER_ADDRESS")?,
            )),
            clock: Arc::new(designa::ports::SystemClock),
            signer: Arc::new(designa::aws::KmsSigner::from_env(&clients)?),
            config,
            export_queue: JobQueue::new(
                Arc::new(designa::aws::SqsQueue::new(clients.sqs().clone())),
                var("EXPORT_QUEUE_URL")?,
            ),
        })
    }
}

/// Parses a workbook-or-JSON route's body (`ApiRequest`) as JSON.
pub fn json_body<T: DeserializeOwned>(request: &ApiRequest) -> Result<T, ApiError> {
    extract::parse_json(&request.body)
}

#[cfg(test)]
mod tests;
