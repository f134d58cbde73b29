//! Ingest: an ANTAI notice file lands under the inbound prefix, S3 tells the
//! ingest queue, and this handler reads the file as a stream, checks its
//! framing, routes each notice to its tenant and stores it once.
//!
//! Idempotent at two levels: the file (a claim keyed by bucket, key and
//! version, with a lease so a crashed invocation's work is taken over) and the
//! notice (keyed by its number, checked before writing). Nothing is dropped
//! silently: refused files go to quarantine with a report, refused lines,
//! unrouted notices and duplicates are listed in the file's report.

mod acks;
mod auto_designation;
pub mod config;
pub mod report;

pub use config::Config;
use report::{DuplicateLine, EntityCount, FileErrorReport, FileReport, UnroutedLine};

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use chrono::{DateTime, Utc};
use designa::aws::batch::{sqs_batch, MessageError};
use designa::aws::s3_events::objects_from_message;
pub use designa::aws::s3_events::{decode_event_key, InboundObject};
use designa::domain::answer::AnswerBody;
use designa::domain::{
    route_by_tenant, Holding, Notice, NoticeStatus, PlateKey, Route, RoutingPolicy, TenantId,
};
use designa::exchange::{parse_async, AckRecord, FileError, Kind, RecordError, MAX_LINE_BYTES};
use designa::notifications::Notification;
use designa::ports::{
    AnswerStore, BlobStore, Clock, Mailer, PortError, Queue, QueueMessage, Storage, MAX_BATCH_GET,
    MAX_BATCH_WRITE, MAX_QUEUE_BATCH,
};
use designa::store::{
    FileClaim, FileCounts, FileOutcome, FileStatus, StoredNotice, UnroutedNotice,
};
use futures::{StreamExt, TryStreamExt};
use std::collections::{BTreeMap, HashMap, HashSet};
use tokio::io::{AsyncBufReadExt, AsyncReadExt};
use tracing::{error, info, warn};

/// Batch requests in flight at once for one file.
const CONCURRENT_REQUESTS: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("message body is not an S3 event notification: {0}")]
    NotAnS3Event(String),
    #[error("object s3://{bucket}/{key} does not exist")]
    Missing { bucket: String, key: String },
    #[error("file is being processed by another invocation until {lease_until}")]
    Busy { lease_until: DateTime<Utc> },
    #[error(transparent)]
    Port(#[from] PortError),
}

impl MessageError for IngestError {
    fn expected(&self) -> bool {
        matches!(self, IngestError::Busy { .. })
    }
}

/// What became of one object.
#[derive(Debug)]
pub enum Outcome {
    Processed(Box<FileReport>),
    Quarantined(Box<FileReport>),
    /// Already handled by an earlier delivery.
    AlreadyDone(FileOutcome),
    /// Not under the inbound prefix.
    Ignored,
}

/// The handler, generic over its ports.
pub struct Ingest<B, S, Q, C, M> {
    pub blobs: B,
    pub storage: S,
    pub queue: Q,
    pub clock: C,
    /// Tells designated drivers once their designation is acknowledged.
    pub mailer: M,
    pub config: Config,
}

/// The kind a header line names (`ENTETE;DESIGNA-ANTAI;1;<kind>;…`), if any;
/// the parser then checks the header in full.
fn kind_of_header(line: &[u8]) -> Option<Kind> {
    let text = std::str::from_utf8(line).ok()?;
    let text = text.trim_start_matches('\u{feff}');
    text.split(';').nth(3).and_then(Kind::from_code)
}

impl<B: BlobStore, S: Storage + AnswerStore, Q: Queue, C: Clock, M: Mailer> Ingest<B, S, Q, C, M> {
    /// One SQS batch: failed messages are reported so only they come back.
    pub async fn handle_event(&self, event: SqsEvent) -> SqsBatchResponse {
        sqs_batch(event, |message| async move {
            if message.body.is_empty() {
                return Err(IngestError::NotAnS3Event("empty body".into()));
            }
            self.handle_message(&message.body).await.map(|_| ())
        })
        .await
    }

    pub async fn handle_message(&self, body: &str) -> Result<Vec<Outcome>, IngestError> {
        let mut outcomes = Vec::new();
        for object in objects_from_message(body).map_err(|e| IngestError::NotAnS3Event(e.0))? {
            outcomes.push(self.ingest_object(&object).await?);
        }
        Ok(outcomes)
    }

    pub async fn ingest_object(&self, object: &InboundObject) -> Result<Outcome, IngestError> {
        let Some(relative) = object.key.strip_prefix(&self.config.inbound_prefix) else {
            warn!(key = %object.key, "object outside the inbound prefix ignored");
            return Ok(Outcome::Ignored);
        };
        let file_key = object.file_key();
        let started_at = self.clock.now();
        let lease_until = started_at
            + chrono::Duration::from_std(self.config.lease).unwrap_or(chrono::Duration::minutes(5));
        let taken_over = match self
            .storage
            .claim_file(&file_key, started_at, lease_until)
            .await?
        {
            FileClaim::Acquired { taken_over } => taken_over,
            FileClaim::AlreadyFinished(outcome) => {
                info!(file_key = %file_key, status = ?outcome.status, "file already processed; delivery ignored");
                if outcome.status == FileStatus::Quarantined {
                    // The delete comes after the record and may have failed:
                    // the redelivery finishes it (absent is fine).
                    self.blobs.delete(&object.bucket, &object.key).await?;
                }
                return Ok(Outcome::AlreadyDone(outcome));
            }
            FileClaim::Busy { lease_until } => return Err(IngestError::Busy { lease_until }),
        };
        let mut reader = self
            .blobs
            .open(&object.bucket, &object.key)
            .await?
            .ok_or_else(|| IngestError::Missing {
                bucket: object.bucket.clone(),
                key: object.key.clone(),
            })?;
        // The header names the kind: notices or acknowledgements. It is read
        // first, then put back in front of the stream for the parser.
        let mut first_line = Vec::new();
        (&mut reader)
            .take((MAX_LINE_BYTES + 1) as u64)
            .read_until(b'\n', &mut first_line)
            .await
            .map_err(|e| PortError::new("read inbound file", e))?;
        let kind = kind_of_header(&first_line);
        let reader = std::io::Cursor::new(first_line).chain(reader);
        let mut report = new_report(object, file_key.clone(), started_at);
        if kind == Some(Kind::Acknowledgements) {
            let mut acks = Vec::new();
            let parsed =
                parse_async::<AckRecord, _>(reader, |line, ack| acks.push((line, ack))).await;
            return match parsed {
                Err(FileError::Io { message }) => {
                    Err(PortError::new("read inbound file", message).into())
                }
                Err(file_error) => self.quarantine(object, relative, report, file_error).await,
                Ok((header, rejected)) => {
                    report.header = Some(header);
                    self.store_acks(object, relative, report, (acks, rejected), taken_over)
                        .await
                }
            };
        }
        let mut notices = Vec::new();
        let parsed =
            parse_async::<Notice, _>(reader, |line, notice| notices.push((line, notice))).await;
        match parsed {
            Err(FileError::Io { message }) => {
                Err(PortError::new("read inbound file", message).into())
            }
            Err(file_error) => self.quarantine(object, relative, report, file_error).await,
            Ok((header, rejected)) => {
                report.header = Some(header);
                self.store_notices(object, relative, report, notices, rejected)
                    .await
            }
        }
    }

    async fn quarantine(
        &self,
        object: &InboundObject,
        relative: &str,
        mut report: FileReport,
        file_error: FileError,
    ) -> Result<Outcome, IngestError> {
        let target = format!("{}{}", self.config.quarantine_prefix, relative);
        warn!(file_key = %report.file_key, error = %file_error, quarantined_to = %target, "file refused");
        report.status = FileStatus::Quarantined;
        report.file_error = Some(FileErrorReport {
            message: file_error.to_string(),
            detail: file_error,
        });
        report.quarantined_to = Some(target.clone());
        report.finished_at = self.clock.now();
        // Copy, report, record, then delete: a crash at any point replays to
        // the same end (after the record, the redelivery does the delete).
        self.blobs
            .copy(&object.bucket, &object.key, &target)
            .await?;
        let report_key = format!("{target}.report.json");
        self.put_report(&object.bucket, &report_key, &report)
            .await?;
        self.storage
            .finish_file(&report.file_key, &outcome_of(&report, report_key))
            .await?;
        self.blobs.delete(&object.bucket, &object.key).await?;
        Ok(Outcome::Quarantined(Box::new(report)))
    }

    async fn store_notices(
        &self,
        object: &InboundObject,
        relative: &str,
        mut report: FileReport,
        notices: Vec<(usize, Notice)>,
        rejected: Vec<RecordError>,
    ) -> Result<Outcome, IngestError> {
        report.counts.read = notices.len() + rejected.len();
        report.counts.rejected = rejected.len();
        report.rejected = rejected;
        let mut candidates = drop_repeats(&mut report, notices);
        let already_ours = self
            .drop_stored_elsewhere(&mut report, &mut candidates)
            .await?;
        let mut routing = self
            .route_all(&mut report, candidates, &already_ours)
            .await?;
        report.counts.unrouted = report.unrouted.len();
        report.counts.duplicate = report.duplicates.len();
        report.auto_designated = self
            .designate_automatically(&mut routing.to_store, report.started_at)
            .await?;
        self.batched_writes(&routing.to_store, |chunk| self.storage.put_notices(chunk))
            .await?;
        self.batched_writes(&routing.unrouted, |chunk| self.storage.put_unrouted(chunk))
            .await?;
        report.routed_by_entity = routing
            .by_entity
            .iter()
            .map(|((tenant_id, entity_id), (notices, _))| EntityCount {
                tenant_id: tenant_id.clone(),
                entity_id: entity_id.clone(),
                notices: *notices,
            })
            .collect();
        self.notify(&report.file_key, &routing.by_entity).await?;
        self.finish_processed(object, relative, report).await
    }

    /// Drops the notices stored before by another file (duplicates); keeps
    /// those an earlier, interrupted attempt on this very file stored, and
    /// returns their numbers (they are not written again).
    async fn drop_stored_elsewhere(
        &self,
        report: &mut FileReport,
        candidates: &mut Vec<(usize, Notice)>,
    ) -> Result<HashSet<String>, IngestError> {
        let numbers: Vec<String> = candidates
            .iter()
            .map(|(_, n)| n.notice_number.clone())
            .collect();
        let existing: HashMap<String, String> = self
            .batched_reads(&numbers, |chunk| self.storage.existing_notices(chunk))
            .await?;
        let mut already_ours = HashSet::new();
        candidates.retain(|(line, notice)| match existing.get(&notice.notice_number) {
            Some(source) if *source == report.file_key => {
                already_ours.insert(notice.notice_number.clone());
                true
            }
            Some(source) => {
                report.duplicates.push(DuplicateLine {
                    line: *line,
                    notice_number: notice.notice_number.clone(),
                    first_seen_in: source.clone(),
                });
                false
            }
            None => true,
        });
        Ok(already_ours)
    }

    /// Routes each notice from every holding of its plate (read 100 plates
    /// per request).
    async fn route_all(
        &self,
        report: &mut FileReport,
        candidates: Vec<(usize, Notice)>,
        already_ours: &HashSet<String>,
    ) -> Result<Routing, IngestError> {
        let plates: Vec<PlateKey> = candidates
            .iter()
            .map(|(_, n)| n.plate.key())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let holdings = self
            .batched_reads(&plates, |chunk| self.storage.holdings(chunk))
            .await?;
        let policies = self.tenant_policies(holdings.values().flatten()).await?;
        let policy_of =
            |tenant: &TenantId| policies.get(tenant).copied().unwrap_or(self.config.routing);
        let (received_at, file_key) = (report.started_at, report.file_key.clone());
        let mut routing = Routing::default();
        for (line, notice) in candidates {
            let plate_holdings = holdings
                .get(&notice.plate.key().0)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            match route_by_tenant(&notice, plate_holdings, received_at, policy_of) {
                Route::Routed {
                    tenant_id,
                    entity_id,
                    vehicle_id,
                } => {
                    let deadline = notice.deadline().last_day;
                    let entry = routing
                        .by_entity
                        .entry((tenant_id.0.clone(), entity_id.0.clone()))
                        .or_insert((0, deadline));
                    entry.0 += 1;
                    entry.1 = entry.1.min(deadline);
                    report.counts.routed += 1;
                    if !already_ours.contains(&notice.notice_number) {
                        routing.to_store.push(StoredNotice::routed(
                            notice,
                            tenant_id,
                            entity_id,
                            vehicle_id,
                            received_at,
                            file_key.clone(),
                        ));
                    }
                }
                Route::Unrouted(reason) => {
                    report.unrouted.push(UnroutedLine {
                        line,
                        notice_number: notice.notice_number.clone(),
                        reason,
                        explanation: reason.describe(),
                    });
                    routing.unrouted.push(UnroutedNotice {
                        offence_at: notice.offence_at_utc(),
                        plate: notice.plate.key(),
                        notice_number: notice.notice_number,
                        reason,
                        received_at,
                        source_file: file_key.clone(),
                        line,
                    });
                }
            }
        }
        Ok(routing)
    }

    /// The routing policy of each tenant holding one of the plates: its
    /// smart-exit grace, read once per file.
    async fn tenant_policies(
        &self,
        holdings: impl Iterator<Item = &Holding>,
    ) -> Result<HashMap<TenantId, RoutingPolicy>, IngestError> {
        let tenants: HashSet<&TenantId> = holdings.map(|h| &h.tenant_id).collect();
        let mut policies = HashMap::new();
        for tenant in tenants {
            if let Some(t) = self.storage.tenant(tenant).await? {
                let policy = RoutingPolicy {
                    smart_exit_grace_days: t.settings.smart_exit_grace_days,
                };
                policies.insert(tenant.clone(), policy);
            }
        }
        Ok(policies)
    }

    /// Writes the report, then records the file as processed: a crash
    /// before the record replays the whole file to the same end.
    async fn finish_processed(
        &self,
        object: &InboundObject,
        relative: &str,
        mut report: FileReport,
    ) -> Result<Outcome, IngestError> {
        let file_key = report.file_key.clone();
        report.finished_at = self.clock.now();
        let report_key = format!("{}{}.report.json", self.config.reports_prefix, relative);
        self.put_report(&object.bucket, &report_key, &report)
            .await?;
        self.storage
            .finish_file(&file_key, &outcome_of(&report, report_key))
            .await?;
        for entity in &report.routed_by_entity {
            info!(tenant_id = %entity.tenant_id, entity_id = %entity.entity_id, notices = entity.notices, file_key = %file_key, "notices routed");
        }
        info!(
            file_key = %file_key,
            read = report.counts.read,
            routed = report.counts.routed,
            unrouted = report.counts.unrouted,
            rejected = report.counts.rejected,
            duplicate = report.counts.duplicate,
            "file processed"
        );
        Ok(Outcome::Processed(Box::new(report)))
    }

    async fn notify(
        &self,
        file_key: &str,
        by_entity: &BTreeMap<(String, String), (usize, chrono::NaiveDate)>,
    ) -> Result<(), IngestError> {
        let messages: Vec<QueueMessage> = by_entity
            .iter()
            .enumerate()
            .map(|(i, ((tenant_id, entity_id), (count, earliest)))| {
                let body = Notification::NoticesReceived {
                    idempotency_key: format!("{file_key}|{tenant_id}|{entity_id}"),
                    tenant_id: tenant_id.clone(),
                    entity_id: entity_id.clone(),
                    notice_count: *count,
                    earliest_deadline: *earliest,
                    source_file: file_key.to_string(),
                };
                QueueMessage {
                    id: format!("m{}", i % MAX_QUEUE_BATCH),
                    body: serde_json::to_string(&body).expect("serializable message"),
                }
            })
            .collect();
        for chunk in messages.chunks(MAX_QUEUE_BATCH) {
            self.queue
                .send(&self.config.notifications_queue_url, chunk)
                .await?;
        }
        Ok(())
    }

    async fn put_report(
        &self,
        bucket: &str,
        key: &str,
        report: &FileReport,
    ) -> Result<(), IngestError> {
        let body = serde_json::to_vec_pretty(report).expect("serializable report");
        self.blobs
            .put(bucket, key, body, "application/json")
            .await?;
        Ok(())
    }

    /// Runs batch reads of at most `MAX_BATCH_GET` keys, a few at a time, and merges the answers.
    async fn batched_reads<'a, K, V, F, Fut>(
        &self,
        keys: &'a [K],
        read: F,
    ) -> Result<HashMap<String, V>, PortError>
    where
        F: Fn(&'a [K]) -> Fut,
        Fut: std::future::Future<Output = Result<HashMap<K, V>, PortError>>,
        K: 'a + ToString + std::hash::Hash + Eq,
    {
        futures::stream::iter(keys.chunks(MAX_BATCH_GET).map(read))
            .buffer_unordered(CONCURRENT_REQUESTS)
            .map_ok(|part| {
                part.into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect::<Vec<_>>()
            })
            .try_concat()
            .await
            .map(|pairs| pairs.into_iter().collect())
    }

    async fn batched_writes<'a, T: 'a, F, Fut>(
        &self,
        items: &'a [T],
        write: F,
    ) -> Result<(), PortError>
    where
        F: Fn(&'a [T]) -> Fut,
        Fut: std::future::Future<Output = Result<(), PortError>>,
    {
        futures::stream::iter(items.chunks(MAX_BATCH_WRITE).map(write))
            .buffer_unordered(CONCURRENT_REQUESTS)
            .try_collect()
            .await
    }
}

fn outcome_of(report: &FileReport, report_key: String) -> FileOutcome {
    FileOutcome {
        status: report.status,
        counts: report.counts.clone(),
        report_key,
        finished_at: report.finished_at,
    }
}

/// The report of a file not read yet.
fn new_report(object: &InboundObject, file_key: String, started_at: DateTime<Utc>) -> FileReport {
    FileReport {
        bucket: object.bucket.clone(),
        key: object.key.clone(),
        file_key,
        status: FileStatus::Processed,
        header: None,
        started_at,
        finished_at: started_at,
        counts: FileCounts::default(),
        file_error: None,
        quarantined_to: None,
        rejected: Vec::new(),
        unrouted: Vec::new(),
        duplicates: Vec::new(),
        routed_by_entity: Vec::new(),
        acknowledgements: None,
        auto_designated: 0,
    }
}

/// Where a file's notices go: stored for a tenant, kept as unrouted, and
/// the count and earliest deadline per (tenant, entity) to notify.
#[derive(Default)]
struct Routing {
    to_store: Vec<StoredNotice>,
    unrouted: Vec<UnroutedNotice>,
    by_entity: BTreeMap<(String, String), (usize, chrono::NaiveDate)>,
}

/// Keeps the first of each notice number in the file; reports the repeats.
fn drop_repeats(report: &mut FileReport, notices: Vec<(usize, Notice)>) -> Vec<(usize, Notice)> {
    let mut seen = HashSet::new();
    let mut candidates = Vec::with_capacity(notices.len());
    for (line, notice) in notices {
        if seen.insert(notice.notice_number.clone()) {
            candidates.push((line, notice));
        } else {
            report.duplicates.push(DuplicateLine {
                line,
                notice_number: notice.notice_number,
                first_seen_in: "this file".into(),
            });
        }
    }
    candidates
}

#[cfg(test)]
mod tests;
