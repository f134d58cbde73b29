//! The export worker: `POST /exports` records a job and sends its id to the
//! export queue; this handler writes the notices of the last 12 months the
//! requester may export (as the job's filters narrow them) into
//! `exports/<tenant>/<export id>.<xlsx|csv>`, keeps the job's status and
//! progress up to date, then e-mails the requester a download link through
//! the `ExportReadyTemplate` SES template.
//!
//! Deliveries are at least once: the job record is the lease. A queued job is
//! claimed by taking it to `running` (a conditional write: of two deliveries
//! one wins); a running job whose worker went silent for `LEASE_MINUTES` is
//! taken over; a done job only has its e-mail sent, if that step did not
//! finish; a failed job is left alone.
//!
//! Logs carry tenant and export ids and counts, never personal data; the
//! e-mail carries the requester's own first name and the link, nothing of
//! any driver.

#[cfg(any(test, feature = "test-support"))]
pub mod fixtures;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use chrono::Duration;
use designa::app::caller::{for_user, Caller};
use designa::app::exports::{
    export_key, load_job, save_job, ExportJob, ExportMessage, ExportStatus,
};
use designa::app::exports::{FILE_DAYS, LEASE_MINUTES};
use designa::app::AppError;
use designa::aws::batch::{sqs_batch, MessageError};
use designa::domain::access::Action;
use designa::domain::time::{format_french_date, paris_date};
use designa::domain::{EntityId, TenantId};
use designa::env::{Env, EnvError};
use designa::excel::export::{ExportFormat, ExportWriter};
use designa::ports::{BlobStore, Clock, Mailer, Storage, TemplatedEmail};
use designa::store::StoredNotice;
use serde_json::json;
use std::collections::HashMap;
use tracing::{error, info, warn, Instrument};

/// Rows written between two progress updates of the job record.
pub const PROGRESS_EVERY: usize = 1000;
/// How long the e-mailed link works at most (a link signed by the Lambda
/// role stops earlier if its session ends; the e-mail says where to get a
/// fresh one).
pub const EMAIL_LINK_HOURS: u64 = 24;
/// template.yaml's `maxReceiveCount` of `ExportQueue`: the last delivery
/// marks the job failed before the message goes to the dead-letter queue.
pub const MAX_RECEIVES: u32 = 3;

/// The function's settings, read once from its environment (template.yaml).
#[derive(Debug, Clone)]
pub struct Config {
    pub table_name: String,
    pub bucket: String,
    pub sender_address: String,
    /// The SES template of the "export ready" e-mail.
    pub email_template: String,
    /// The web app, for the export page's link.
    pub app_url: String,
}

impl Config {
    pub fn from_env() -> Result<Config, EnvError> {
        Config::read(&Env::process())
    }

    pub fn read(env: &Env<impl Fn(&str) -> Option<String>>) -> Result<Config, EnvError> {
        Ok(Config {
            table_name: env.required("TABLE_NAME")?,
            bucket: env.required("EXCHANGE_BUCKET")?,
            sender_address: env.required("SENDER_ADDRESS")?,
            email_template: env.required("EXPORT_EMAIL_TEMPLATE")?,
            app_url: env.required("APP_URL")?,
        })
    }

    pub fn for_tests() -> Config {
        Config {
            table_name: "designa".into(),
            bucket: "exchange".into(),
            sender_address: "no-reply@designa.example".into(),
            email_template: "designa-export-ready".into(),
            app_url: "https://app.designa.example".into(),
        }
    }
}

/// What one delivery did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The file was written and the requester told.
    Exported { rows: usize },
    /// The file was there already; only the e-mail was left to send.
    Emailed,
    /// The job cannot run (the requester left); its record says why.
    Failed,
    /// Nothing to do: unknown, done or failed job.
    Nothing,
}

pub struct ExportWorker<S, B, M, C> {
    pub storage: S,
    pub blobs: B,
    pub mailer: M,
    pub clock: C,
    pub config: Config,
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

/// Why a message was not handled; it comes back, then goes to the
/// dead-letter queue.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("not an export message: {0}")]
    NotAMessage(String),
    /// Shown without e-mail addresses: SES names the address it refused.
    #[error("{}", without_addresses(&designa::error::error_chain(.0)))]
    Job(#[source] AppError),
}

impl MessageError for ExportError {
    /// Another delivery holds the job's lease: it comes back later.
    fn expected(&self) -> bool {
        matches!(self, ExportError::Job(AppError::Conflict { .. }))
    }
}

/// An error's text fit for the logs: SES names the address it refused.
fn without_addresses(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            if word.contains('@') {
                "<address>"
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `20 000`: counts as French readers write them.
fn french_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

impl<S: Storage, B: BlobStore, M: Mailer, C: Clock> ExportWorker<S, B, M, C> {
    /// One SQS batch; failed messages come back, then go to the dead-letter queue.
    pub async fn handle_event(&self, event: SqsEvent) -> SqsBatchResponse {
        sqs_batch(event, |message| async move {
            let outcome = self.handle_message(&message.body, &message.id).await;
            match &outcome {
                Ok(outcome) => info!(message_id = %message.id, ?outcome, "export message handled"),
                // The last delivery marks the job failed before the dead-letter queue.
                Err(_) if message.receives >= MAX_RECEIVES => self.give_up(&message.body).await,
                Err(_) => {}
            }
            outcome.map(|_| ())
        })
        .await
    }

    /// Runs (or finishes) the job a message names.
    pub async fn handle_message(
        &self,
        body: &str,
        request_id: &str,
    ) -> Result<Outcome, ExportError> {
        let message: ExportMessage =
            serde_json::from_str(body).map_err(|e| ExportError::NotAMessage(e.to_string()))?;
        let span = tracing::info_span!("job", tenant_id = %message.tenant_id, export_id = %message.export_id);
        self.handle_job(&message, request_id)
            .instrument(span)
            .await
            .map_err(ExportError::Job)
    }

    async fn handle_job(
        &self,
        message: &ExportMessage,
        request_id: &str,
    ) -> Result<Outcome, AppError> {
        let tenant = &message.tenant_id;
        let Some((job, version)) = load_job(&self.storage, tenant, &message.export_id).await?
        else {
            return Ok(Outcome::Nothing);
        };
        let now = self.clock.now();
        match job.status {
            ExportStatus::Done if job.emailed => Ok(Outcome::Nothing),
            ExportStatus::Done => {
                self.email(tenant, job, version).await?;
                Ok(Outcome::Emailed)
            }
            ExportStatus::Failed => Ok(Outcome::Nothing),
            ExportStatus::Running if now - job.updated_at <= Duration::minutes(LEASE_MINUTES) => {
                // Another delivery is at work (or crashed lately): come back after its lease.
                Err(AppError::Conflict {
                    message: "this export is being written; retry after its lease".into(),
                    current: serde_json::Value::Null,
                })
            }
            ExportStatus::Queued | ExportStatus::Running => {
                self.run(tenant, job, version, request_id).await
            }
        }
    }

    async fn run(
        &self,
        tenant: &TenantId,
        mut job: ExportJob,
        version: u64,
        request_id: &str,
    ) -> Result<Outcome, AppError> {
        // The requester's grants as they are now, not as they were when asking.
        let today = designa::domain::time::paris_date(self.clock.now());
        let caller = match for_user(&self.storage, tenant, &job.created_by, request_id, today).await
        {
            Ok(caller) => caller,
            Err(AppError::Forbidden(reason)) => {
                job.status = ExportStatus::Failed;
                job.message = Some(reason);
                job.updated_at = self.clock.now();
                save_job(&self.storage, tenant, &job, Some(version)).await?;
                warn!("export refused: its requester may no longer export");
                return Ok(Outcome::Failed);
            }
            Err(e) => return Err(e),
        };
        // Taking the job to running is the claim: a concurrent delivery loses here.
        job.status = ExportStatus::Running;
        job.rows_done = 0;
        job.updated_at = self.clock.now();
        let version = save_job(&self.storage, tenant, &job, Some(version)).await?;
        let notices = self.notices_to_export(tenant, &job, &caller).await?;
        job.rows_total = notices.len();
        job.updated_at = self.clock.now();
        let version = save_job(&self.storage, tenant, &job, Some(version)).await?;
        let (body, version) = self.write(tenant, &mut job, version, notices).await?;
        let size = body.len() as u64;
        let key = export_key(tenant, &job.export_id, job.format);
        self.blobs
            .put(&self.config.bucket, &key, body, job.format.content_type())
            .await?;
        designa::app::journal::record_with(
            &self.storage,
            &self.clock,
            &caller,
            "export",
            format!("export:{}({} notices)", job.export_id, job.rows_total),
        )
        .await?;
        let now = self.clock.now();
        job.status = ExportStatus::Done;
        job.rows_done = job.rows_total;
        job.file_key = Some(key);
        job.file_size = Some(size);
        job.finished_at = Some(now);
        job.expires_at = Some(now + Duration::days(FILE_DAYS as i64));
        job.updated_at = now;
        let version = save_job(&self.storage, tenant, &job, Some(version)).await?;
        info!(
            rows = job.rows_total,
            bytes = size,
            format = ?job.format,
            "export written"
        );
        let rows = job.rows_total;
        self.email(tenant, job, version).await?;
        Ok(Outcome::Exported { rows })
    }

    /// The notices the job covers that the requester may still export,
    /// oldest first.
    async fn notices_to_export(
        &self,
        tenant: &TenantId,
        job: &ExportJob,
        caller: &Caller,
    ) -> Result<Vec<StoredNotice>, AppError> {
        let mut notices: Vec<StoredNotice> = self
            .storage
            .tenant_notices(&tenant.0)
            .await?
            .into_iter()
            .filter(|n| {
                job.covers(n)
                    && caller
                        .principal
                        .can(Action::ExportNotices, tenant, &n.entity_id)
            })
            .collect();
        notices.sort_by(|a, b| {
            (a.received_at, &a.notice.notice_number).cmp(&(b.received_at, &b.notice.notice_number))
        });
        Ok(notices)
    }

    /// Writes the file, saving the progress every `PROGRESS_EVERY` rows; a
    /// conflict on a save means another delivery took the job over: stop.
    async fn write(
        &self,
        tenant: &TenantId,
        job: &mut ExportJob,
        mut version: u64,
        notices: Vec<StoredNotice>,
    ) -> Result<(Vec<u8>, u64), AppError> {
        let names: HashMap<EntityId, String> = designa::app::entities::all(&self.storage, tenant)
            .await?
            .into_iter()
            .map(|e| (e.entity_id, e.name))
            .collect();
        let mut writer = ExportWriter::new(job.format).map_err(internal)?;
        for (i, notice) in notices.iter().enumerate() {
            let entity = names
                .get(&notice.entity_id)
                .map_or(notice.entity_id.0.as_str(), String::as_str);
            writer.write(notice, entity).map_err(internal)?;
            let done = i + 1;
            if done.is_multiple_of(PROGRESS_EVERY) && done < job.rows_total {
                job.rows_done = done;
                job.updated_at = self.clock.now();
                version = save_job(&self.storage, tenant, job, Some(version)).await?;
            }
        }
        drop(notices);
        Ok((writer.finish().map_err(internal)?, version))
    }

    /// Tells the requester the file is ready, once.
    async fn email(
        &self,
        tenant: &TenantId,
        mut job: ExportJob,
        version: u64,
    ) -> Result<(), AppError> {
        let requester = self
            .storage
            .user(tenant, &job.created_by)
            .await?
            .filter(|u| u.active);
        let suppressed = match &requester {
            Some(u) => designa::notifications::is_suppressed(&self.storage, &u.email).await?,
            None => false,
        };
        if suppressed {
            warn!("the requester's address is suppressed after a bounce or complaint: no e-mail; the link is in the export's status");
        }
        if let Some(user) = requester.filter(|_| !suppressed) {
            let key = job
                .file_key
                .as_deref()
                .ok_or_else(|| internal("a done export has no file"))?;
            let url = self
                .blobs
                .presign_get(
                    &self.config.bucket,
                    key,
                    &job.download_name(),
                    std::time::Duration::from_secs(EMAIL_LINK_HOURS * 3600),
                )
                .await?;
            let expires_at = job
                .expires_at
                .unwrap_or_else(|| self.clock.now() + Duration::days(FILE_DAYS as i64));
            self.mailer
                .send_templated(&TemplatedEmail {
                    to: user.email.clone(),
                    template: self.config.email_template.clone(),
                    data: json!({
                        "first_name": user.first_name,
                        "row_count": french_count(job.rows_total),
                        "format": match job.format {
                            ExportFormat::Xlsx => "Excel (.xlsx)",
                            ExportFormat::Csv => "CSV",
                        },
                        "download_url": url,
                        "link_hours": EMAIL_LINK_HOURS,
                        "expires_on": format_french_date(paris_date(expires_at)),
                        "export_page_url": format!(
                            "{}/exports/{}",
                            self.config.app_url.trim_end_matches('/'),
                            job.export_id
                        ),
                    }),
                })
                .await?;
            info!("requester told");
        } else {
            warn!("the requester is no longer active: no e-mail");
        }
        job.emailed = true;
        job.updated_at = self.clock.now();
        save_job(&self.storage, tenant, &job, Some(version)).await?;
        Ok(())
    }

    /// The last delivery failed: the job says so, rather than "running" forever.
    async fn give_up(&self, body: &str) {
        let Ok(message) = serde_json::from_str::<ExportMessage>(body) else {
            return;
        };
        let tenant = &message.tenant_id;
        let Ok(Some((mut job, version))) =
            load_job(&self.storage, tenant, &message.export_id).await
        else {
            return;
        };
        if !matches!(job.status, ExportStatus::Queued | ExportStatus::Running) {
            return;
        }
        job.status = ExportStatus::Failed;
        job.message = Some(format!(
            "L'export a échoué {MAX_RECEIVES} fois : demandez-le à nouveau."
        ));
        job.updated_at = self.clock.now();
        if let Err(e) = save_job(&self.storage, tenant, &job, Some(version)).await {
            error!(tenant_id = %tenant, export_id = %job.export_id, error = %e, "could not mark the export failed");
        }
    }
}

#[cfg(test)]
mod tests;
