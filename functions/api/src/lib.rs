//! The tenant API: one handler behind API Gateway's HTTP API (and the local
//! server), generic over the ports so it is unit-tested in memory.
//!
//! Tenant and identity come from the verified token only (`caller`); every
//! route then checks the caller's grants against the entity it touches, and
//! answers 404 for what the caller may not see, so ids of other tenants or
//! entities reveal nothing.

pub mod answers;
pub mod assignments;
pub mod drivers;
pub mod entities;
pub mod exports;
pub mod http;
pub mod imports;
pub mod journal;
pub mod lambda;
pub mod notices;
pub mod preferences;
pub mod privacy;
pub mod routes;
pub mod tenant;
pub mod users;
pub mod vehicles;

use designa::app::caller::Caller;
use designa::app::imports::{ImportSettings, DEFAULT_WRITE_CONCURRENCY};
use designa::app::layout::IMPORTS_PREFIX;
use designa::ports::{AnswerStore, BlobStore, Clock, IdentityProvider, Mailer, Queue, Storage};
use http::{ApiError, ApiRequest, ApiResponse, ApiResult};
use routes::Params;
use serde::de::DeserializeOwned;

/// Largest body accepted inline; larger workbooks go through `POST /uploads`.
pub const MAX_INLINE_BODY: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Config {
    /// The bucket, upload prefix and write concurrency of imports.
    pub imports: ImportSettings,
    /// The web app, for invitation links.
    pub app_url: String,
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let var = designa::env::required;
        Ok(Config {
            imports: ImportSettings {
                bucket: var("EXCHANGE_BUCKET")?,
                imports_prefix: var("IMPORTS_PREFIX").unwrap_or_else(|_| IMPORTS_PREFIX.into()),
                write_concurrency: match std::env::var("WRITE_CONCURRENCY") {
                    Ok(v) => v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        format!("WRITE_CONCURRENCY '{v}' is not a positive number")
                    })?,
                    Err(_) => DEFAULT_WRITE_CONCURRENCY,
                },
            },
            app_url: var("APP_URL")?,
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
        }
    }
}

/// A queue jobs are sent to, and its URL.
///
/// A trait object rather than a sixth type parameter of `Api`: every handler
/// is written against `Api<S, B, I, M, C>`, and only the export routes send
/// messages (one per request, so the dynamic call costs nothing). An `Arc`
/// lets tests keep a handle on the in-memory queue to read what was sent.
#[derive(Clone)]
pub struct JobQueue {
    pub queue: std::sync::Arc<dyn Queue>,
    pub url: String,
}

impl JobQueue {
    pub fn new(queue: std::sync::Arc<dyn Queue>, url: impl Into<String>) -> Self {
        JobQueue {
            queue,
            url: url.into(),
        }
    }
}

pub struct Api<S, B, I, M, C> {
    pub storage: S,
    pub blobs: B,
    pub identity: I,
    pub mailer: M,
    pub clock: C,
    pub config: Config,
    /// Export jobs (`POST /exports`), consumed by the export worker.
    pub export_queue: JobQueue,
}

/// The API on AWS adapters, as the Lambda and the local server build it.
pub type AwsApi = Api<
    designa::aws::SealedDynamoStorage,
    designa::aws::S3BlobStore,
    designa::aws::CognitoIdentity,
    designa::aws::SesMailer,
    designa::ports::SystemClock,
>;

impl AwsApi {
    /// Reads the function's environment and builds the clients once.
    pub async fn from_env() -> Result<AwsApi, String> {
        let config = Config::from_env()?;
        let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
        let clients = designa::aws::AwsClients::from_env().await;
        Ok(Api {
            storage: designa::aws::sealed_storage(&clients, &var("TABLE_NAME")?)?,
            blobs: designa::aws::S3BlobStore::new(clients.s3.clone()),
            identity: designa::aws::CognitoIdentity::new(
                clients.cognito.clone(),
                var("USER_POOL_ID")?,
            ),
            mailer: designa::aws::SesMailer::new(clients.ses.clone(), var("SENDER_ADDRESS")?),
            clock: designa::ports::SystemClock,
            config,
            export_queue: JobQueue::new(
                std::sync::Arc::new(designa::aws::SqsQueue::new(clients.sqs.clone())),
                var("EXPORT_QUEUE_URL")?,
            ),
        })
    }
}

/// Parses a JSON body into `T`, naming the field serde complains about.
pub fn json_body<T: DeserializeOwned>(request: &ApiRequest) -> Result<T, ApiError> {
    if request.body.is_empty() {
        return Err(ApiError::invalid("a JSON body is required", vec![]));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(&request.body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let field = e.path().to_string();
        let reason = e.inner().to_string();
        let field = if field == "." { "body".into() } else { field };
        ApiError::field(&field, reason)
    })
}

impl<S, B, I, M, C> Api<S, B, I, M, C>
where
    S: Storage + AnswerStore + designa::privacy::sealing::SubjectKeys,
    B: BlobStore,
    I: IdentityProvider,
    M: Mailer,
    C: Clock,
{
    /// Serves one request; never fails: errors become their responses.
    pub async fn handle(&self, request: ApiRequest) -> ApiResponse {
        let started = std::time::Instant::now();
        let result = self.serve(&request).await;
        let response = result.unwrap_or_else(|e| {
            if let ApiError::Internal(detail) = &e {
                tracing::error!(request_id = %request.request_id, error = %detail, "request failed");
            }
            e.into_response()
        });
        tracing::info!(
            request_id = %request.request_id,
            method = %request.method,
            status = response.status,
            duration_ms = started.elapsed().as_millis() as u64,
            "request"
        );
        response
    }

    async fn serve(&self, request: &ApiRequest) -> ApiResult {
        let (template, params) = routes::find(&request.method, &request.path)?;
        let method = request.method.to_ascii_uppercase();
        if routes::PUBLIC
            .iter()
            .any(|(m, t)| *m == method && *t == template)
        {
            return users::accept_invitation(self, request, &params).await;
        }
        let caller = designa::app::caller::authenticate(
            &self.storage,
            request.claims.as_ref(),
            &request.request_id,
        )
        .await?;
        tracing::Span::current().record("tenant_id", caller.tenant_id().0.as_str());
        self.dispatch(&method, template, &params, request, &caller)
            .await
    }

    async fn dispatch(
        &self,
        method: &str,
        template: &str,
        params: &Params,
        request: &ApiRequest,
        caller: &Caller,
    ) -> ApiResult {
        let r = request;
        let c = caller;
        match (method, template) {
            ("GET", "/me") => tenant::me(self, c).await,
            ("GET", "/me/notification-preferences") => preferences::get(self, c).await,
            ("PUT", "/me/notification-preferences") => preferences::put(self, r, c).await,
            ("GET", "/tenant") => tenant::get(self, c).await,
            ("PUT", "/tenant/settings") => tenant::put_settings(self, r, c).await,
            ("GET", "/entities") => entities::list(self, c).await,
            ("POST", "/entities") => entities::create(self, r, c).await,
            ("GET", "/entities/{entityId}") => entities::get(self, c, params.get("entityId")).await,
            ("PUT", "/entities/{entityId}") => {
                entities::update(self, r, c, params.get("entityId")).await
            }
            ("DELETE", "/entities/{entityId}") => {
                entities::delete(self, c, params.get("entityId")).await
            }
            ("GET", "/users") => users::list(self, c).await,
            ("POST", "/users") => users::invite(self, r, c).await,
            ("GET", "/users/{userId}") => users::get(self, c, params.get("userId")).await,
            ("PUT", "/users/{userId}") => users::update(self, r, c, params.get("userId")).await,
            ("DELETE", "/users/{userId}") => users::delete(self, r, c, params.get("userId")).await,
            ("POST", "/users/{userId}/deactivate") => {
                users::set_active(self, r, c, params.get("userId"), false).await
            }
            ("POST", "/users/{userId}/reactivate") => {
                users::set_active(self, r, c, params.get("userId"), true).await
            }
            ("GET", "/vehicles") => vehicles::list(self, r, c).await,
            ("POST", "/vehicles") => vehicles::create(self, r, c).await,
            ("GET", "/vehicles/{vehicleId}") => {
                vehicles::get(self, c, params.get("vehicleId")).await
            }
            ("PUT", "/vehicles/{vehicleId}") => {
                vehicles::update(self, r, c, params.get("vehicleId")).await
            }
            ("DELETE", "/vehicles/{vehicleId}") => {
                vehicles::delete(self, r, c, params.get("vehicleId")).await
            }
            ("GET", "/vehicles/{vehicleId}/drivers") => {
                assignments::drivers_of_vehicle(self, r, c, params.get("vehicleId")).await
            }
            ("GET", "/fleet/template") => vehicles::template(),
            ("GET", "/fleet/export") => vehicles::export(self, c).await,
            ("GET", "/drivers") => drivers::list(self, r, c).await,
            ("POST", "/drivers") => drivers::create(self, r, c).await,
            ("GET", "/drivers/export") => drivers::export(self, r, c).await,
            ("GET", "/drivers/template") => drivers::template(),
            ("GET", "/drivers/{driverId}") => {
                drivers::get(self, r, c, params.get("driverId")).await
            }
            ("PUT", "/drivers/{driverId}") => {
                drivers::update(self, r, c, params.get("driverId")).await
            }
            ("DELETE", "/drivers/{driverId}") => {
                drivers::delete(self, r, c, params.get("driverId")).await
            }
            ("GET", "/assignments") => assignments::list(self, r, c).await,
            ("GET", "/assignments/template") => assignments::template(),
            ("POST", "/assignments") => assignments::create(self, r, c).await,
            ("GET", "/assignments/{assignmentId}") => {
                assignments::get(self, c, params.get("assignmentId")).await
            }
            ("PUT", "/assignments/{assignmentId}") => {
                assignments::update(self, r, c, params.get("assignmentId")).await
            }
            ("DELETE", "/assignments/{assignmentId}") => {
                assignments::delete(self, r, c, params.get("assignmentId")).await
            }
            ("POST", "/imports") => imports::import_inline(self, r, c).await,
            ("GET", "/imports") => imports::list(self, c).await,
            ("POST", "/uploads") => imports::start_upload(self, r, c).await,
            ("GET", "/imports/{importId}") => imports::get(self, c, params.get("importId")).await,
            ("POST", "/imports/{importId}/apply") => {
                imports::apply(self, r, c, params.get("importId")).await
            }
            ("GET", "/notices") => notices::list(self, r, c).await,
            ("GET", "/notices/{noticeNumber}") => {
                notices::get(self, r, c, params.get("noticeNumber")).await
            }
            ("PUT", "/notices/{noticeNumber}/answer") => {
                answers::put(self, r, c, params.get("noticeNumber")).await
            }
            ("GET", "/notices/{noticeNumber}/answer") => {
                answers::get(self, c, params.get("noticeNumber")).await
            }
            ("DELETE", "/notices/{noticeNumber}/answer") => {
                answers::delete(self, c, params.get("noticeNumber")).await
            }
            ("POST", "/exports") => exports::create(self, r, c).await,
            ("GET", "/exports") => exports::list(self, c).await,
            ("GET", "/exports/{exportId}") => exports::get(self, c, params.get("exportId")).await,
            ("GET", "/journal") => journal::list(self, r, c).await,
            ("GET", "/journal/verify") => journal::check(self, c).await,
            ("GET", "/journal/export") => journal::export(self, c).await,
            ("POST", "/privacy/requests") => privacy::create(self, r, c).await,
            ("GET", "/privacy/requests") => privacy::list(self, c).await,
            ("GET", "/privacy/requests/{requestId}") => {
                privacy::get(self, c, params.get("requestId")).await
            }
            _ => Err(ApiError::Internal(format!(
                "route {method} {template} is declared but not wired"
            ))),
        }
    }
}

#[cfg(test)]
mod tests;
