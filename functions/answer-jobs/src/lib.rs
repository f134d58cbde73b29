//! The two scheduled jobs of the answer side.
//!
//! **Outbound batch** (`outbound_batch`): answers whose grace window ended
//! go to ANTAI in `REPONSES_DESIGNATION` files under the outbound prefix, for
//! the relay. Each transmission of an answer is written into exactly one
//! file, even if the job crashes anywhere or runs twice at once. The protocol
//! (docs/antai-exchange.md, "Exactly once"):
//!
//! 1. *Open*: at most one batch is open at a time (a conditional put of the
//!    `OUTBOUND/OPEN` item). It fixes its id, its creation time (also the
//!    file's) and the due candidates, read consistently.
//! 2. *Claim*: each candidate is taken into the batch by a conditional write
//!    of its notice (`batch_id`); from then on users can no longer edit it.
//! 3. *Fix members*: the claimed ones are written into the open batch (phase
//!    `CLAIMED`, conditional on phase `CLAIMING`): the file's content can no
//!    longer change, and a stray claim is given back.
//! 4. *Write* the file, named by the batch id and creation time, unless it
//!    already exists; the same batch always produces the same bytes.
//! 5. *Mark* each member sent, then *close* the batch.
//!
//! Every run first resumes the open batch, from the phase it reached; every
//! step is idempotent, so a crash replays to the same end.
//!
//! **Deadline sweep** (`deadline_sweep`): notices still unanswered (or whose
//! answer ANTAI refused and nobody corrected) after the 45 days are marked as
//! gone to paper; answers can no longer be given on them. The entity's
//! designation users are told first ("l'avis papier va arriver"), on the
//! notifications queue with an idempotency key, so a crash between the two
//! repeats the message (dropped by the notifier) rather than losing it.

use chrono::{DateTime, SecondsFormat, Utc};
use designa::answering::{self, Claim};
use designa::app::{journal, AppError};
use designa::domain::answer::transmission_id;
use designa::domain::time::paris_date;
use designa::domain::TenantId;
use designa::env::{Env, EnvError};
use designa::exchange::{self, AnswerRecord, Header, Kind};
use designa::notifications::Notification;
use designa::ports::{
    update_notice, AnswerStore, BlobStore, Clock, PortError, RecordStore, WorkList,
};
use designa::ports::{Queue, QueueMessage, MAX_QUEUE_BATCH};
use designa::store::{BatchCandidate, BatchPhase, OutboundBatch, StoredNotice};
use futures::{stream, StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use tracing::{info, warn};

/// What the schedule sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "job", rename_all = "snake_case")]
pub enum JobRequest {
    OutboundBatch,
    DeadlineSweep,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub exchange_bucket: String,
    pub outbound_prefix: String,
    /// Most answers in one file (the open batch item must stay far below
    /// DynamoDB's 400 KB: about 80 bytes per answer).
    pub max_batch_answers: usize,
    /// Most batches one invocation writes.
    pub max_batches_per_run: usize,
    /// Table requests in flight at once.
    pub concurrency: usize,
    /// Where notices gone to paper are told (the notification function's queue).
    pub notifications_queue_url: String,
}

impl Config {
    pub fn from_env() -> Result<Config, EnvError> {
        Config::read(&Env::process())
    }

    pub fn read(env: &Env<impl Fn(&str) -> Option<String>>) -> Result<Config, EnvError> {
        Ok(Config {
            exchange_bucket: env.required("EXCHANGE_BUCKET")?,
            outbound_prefix: env.or("OUTBOUND_PREFIX", designa::app::layout::OUTBOUND_PREFIX),
            max_batch_answers: env.positive("MAX_BATCH_ANSWERS", 2000)?,
            max_batches_per_run: env.positive("MAX_BATCHES_PER_RUN", 20)?,
            concurrency: env.positive("TABLE_CONCURRENCY", 8)?,
            notifications_queue_url: env.required("NOTIFICATIONS_QUEUE_URL")?,
        })
    }

    pub fn for_tests() -> Config {
        Config {
            exchange_bucket: "exchange".into(),
            outbound_prefix: designa::app::layout::OUTBOUND_PREFIX.into(),
            max_batch_answers: 2000,
            max_batches_per_run: 20,
            concurrency: 8,
            notifications_queue_url: "memory://notifications".into(),
        }
    }
}

/// One outbound file written (or finished after a crash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchReport {
    pub batch_id: String,
    pub file_key: String,
    pub answers: usize,
    /// Begun by an earlier run that did not finish it.
    pub resumed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub gone_to_paper: Vec<String>,
}

pub struct AnswerJobs<S, B, C, Q> {
    pub store: S,
    pub blobs: B,
    pub clock: C,
    /// The notifications queue (notices gone to paper).
    pub queue: Q,
    pub config: Config,
}

/// The work-index bound of answers due at `at`: every key sorting before
/// `<at>#~` has a window that ended at or before `at`.
fn due_before(at: DateTime<Utc>) -> String {
    format!("{}#~", at.format("%Y-%m-%dT%H:%M:%S%.3fZ"))
}

fn new_batch_id(at: DateTime<Utc>) -> String {
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("REP-{}-{}", at.format("%Y%m%d%H%M%S"), &random[..12])
}

/// The tenant and transmission of a notice whose answer went out in `file_id`.
fn sent_in(notice: &StoredNotice, file_id: &str) -> Option<(TenantId, String)> {
    let answer = notice.answer.as_ref()?;
    let sent = answer.history.iter().any(|h| {
        matches!(&h.event, designa::domain::answer::AnswerEvent::Sent { file_id: f, .. } if f == file_id)
    });
    let number = &notice.notice.notice_number;
    sent.then(|| (notice.tenant_id.clone(), answer.transmission_id(number)))
}

fn notice_of(member: &str) -> &str {
    member.rsplit_once('-').map_or(member, |(number, _)| number)
}

impl<S: AnswerStore + RecordStore, B: BlobStore, C: Clock, Q: Queue> AnswerJobs<S, B, C, Q> {
    pub async fn run(&self, job: JobRequest) -> Result<serde_json::Value, PortError> {
        Ok(match job {
            JobRequest::OutboundBatch => {
                serde_json::json!({ "batches": self.send_due_answers().await? })
            }
            JobRequest::DeadlineSweep => {
                serde_json::to_value(self.sweep_deadlines().await?).expect("reports serialize")
            }
        })
    }

    /// Resumes the open batch if any, then writes batches of due answers
    /// until none is left (or `max_batches_per_run`).
    pub async fn send_due_answers(&self) -> Result<Vec<BatchReport>, PortError> {
        let mut reports = Vec::new();
        while reports.len() < self.config.max_batches_per_run {
            let (batch, resumed) = match self.store.open_batch().await? {
                Some(open) => (open, true),
                None => match self.open_new_batch().await? {
                    Some(opened) => opened,
                    None => break,
                },
            };
            reports.push(self.finish(batch, resumed).await?);
        }
        Ok(reports)
    }

    /// Step 1. `None` when nothing is due; `(batch, true)` when another run
    /// opened one first (this run then helps finish it).
    async fn open_new_batch(&self) -> Result<Option<(OutboundBatch, bool)>, PortError> {
        let now = self.clock.now();
        let numbers = self
            .store
            .work_list(
                WorkList::Outbox,
                &due_before(now),
                self.config.max_batch_answers,
            )
            .await?;
        if numbers.is_empty() {
            return Ok(None);
        }
        // The index lags: only answers due on a consistent read are candidates.
        let notices = self.load_all(&numbers).await?;
        let candidates: Vec<BatchCandidate> = notices
            .iter()
            .filter_map(|n| {
                let a = n.answer.as_ref()?;
                answering::is_due(n, a.transmission, now).then(|| BatchCandidate {
                    notice_number: n.notice.notice_number.clone(),
                    transmission: a.transmission,
                })
            })
            .collect();
        if candidates.is_empty() {
            return Ok(None);
        }
        let batch_id = new_batch_id(now);
        let header = Header {
            version: exchange::CURRENT_VERSION,
            kind: Kind::Answers,
            file_id: batch_id.clone(),
            created_at: now,
        };
        let batch = OutboundBatch {
            file_key: format!(
                "{}{}",
                self.config.outbound_prefix,
                exchange::file_name(&header)
            ),
            batch_id,
            created_at: now,
            phase: BatchPhase::Claiming,
            candidates,
            members: Vec::new(),
        };
        if self.store.put_open_batch(&batch, None).await? {
            info!(batch_id = %batch.batch_id, candidates = batch.candidates.len(), "outbound batch opened");
            return Ok(Some((batch, false)));
        }
        // Another run opened one between our read and our write: finish that one.
        Ok(self.store.open_batch().await?.map(|b| (b, true)))
    }

    async fn load_all(&self, numbers: &[String]) -> Result<Vec<StoredNotice>, PortError> {
        let loaded: Vec<Option<StoredNotice>> = stream::iter(numbers)
            .map(|n| self.store.load_notice(n))
            .buffered(self.config.concurrency)
            .try_collect()
            .await?;
        Ok(loaded.into_iter().flatten().collect())
    }

    /// Steps 2 to 5, from whatever phase the batch reached.
    async fn finish(
        &self,
        mut batch: OutboundBatch,
        resumed: bool,
    ) -> Result<BatchReport, PortError> {
        if batch.phase == BatchPhase::Claiming {
            batch = self.claim_members(batch).await?;
        }
        if batch.phase == BatchPhase::Claimed {
            self.release_strays(&batch).await?;
            self.write_file(&batch).await?;
            self.mark_sent(&batch).await?;
            batch.phase = BatchPhase::Done;
        }
        self.store.close_batch(&batch).await?;
        info!(batch_id = %batch.batch_id, answers = batch.members.len(), file_key = %batch.file_key, resumed, "outbound batch closed");
        Ok(BatchReport {
            batch_id: batch.batch_id,
            file_key: batch.file_key,
            answers: batch.members.len(),
            resumed,
        })
    }

    /// Steps 2 and 3.
    async fn claim_members(&self, batch: OutboundBatch) -> Result<OutboundBatch, PortError> {
        let id = batch.batch_id.clone();
        let created_at = batch.created_at;
        let claimed: Vec<Option<String>> = stream::iter(batch.candidates.clone())
            .map(|c| {
                let id = id.clone();
                async move {
                    let result = update_notice(&self.store, &c.notice_number, |n| {
                        answering::claim(n, c.transmission, &id, created_at) == Claim::Taken
                    })
                    .await?;
                    let ours = result.is_some_and(|(_, n)| {
                        n.answer.as_ref().is_some_and(|a| {
                            a.batch_id.as_deref() == Some(id.as_str())
                                && a.transmission == c.transmission
                        })
                    });
                    Ok::<_, PortError>(
                        ours.then(|| transmission_id(&c.notice_number, c.transmission)),
                    )
                }
            })
            .buffered(self.config.concurrency)
            .try_collect()
            .await?;
        let claimed_batch = OutboundBatch {
            phase: BatchPhase::Claimed,
            members: claimed.into_iter().flatten().collect(),
            ..batch
        };
        if self
            .store
            .put_open_batch(&claimed_batch, Some(BatchPhase::Claiming))
            .await?
        {
            return Ok(claimed_batch);
        }
        // A concurrent run fixed the members first: its list is the one.
        match self.store.open_batch().await? {
            Some(open) if open.batch_id == claimed_batch.batch_id => Ok(open),
            _ => Ok(self
                .store
                .closed_batch(&claimed_batch.batch_id)
                .await?
                .unwrap_or(OutboundBatch {
                    phase: BatchPhase::Done,
                    ..claimed_batch
                })),
        }
    }

    /// A candidate claimed after the members were fixed goes back to the outbox.
    async fn release_strays(&self, batch: &OutboundBatch) -> Result<(), PortError> {
        let members: HashSet<&str> = batch.members.iter().map(|m| notice_of(m)).collect();
        for c in batch
            .candidates
            .iter()
            .filter(|c| !members.contains(c.notice_number.as_str()))
        {
            if let Some((true, _)) = update_notice(&self.store, &c.notice_number, |n| {
                answering::release(n, &batch.batch_id)
            })
            .await?
            {
                warn!(batch_id = %batch.batch_id, "a late claim was given back to the outbox");
            }
        }
        Ok(())
    }

    /// Step 4.
    async fn write_file(&self, batch: &OutboundBatch) -> Result<(), PortError> {
        if self
            .blobs
            .open(&self.config.exchange_bucket, &batch.file_key)
            .await?
            .is_some()
        {
            return Ok(());
        }
        let numbers: Vec<String> = batch
            .members
            .iter()
            .map(|m| notice_of(m).to_string())
            .collect();
        let notices = self.load_all(&numbers).await?;
        let mut records = Vec::with_capacity(batch.members.len());
        for member in &batch.members {
            let number = notice_of(member);
            let answer = notices
                .iter()
                .find(|n| n.notice.notice_number == number)
                .and_then(|n| n.answer.as_ref())
                .filter(|a| a.batch_id.as_deref() == Some(batch.batch_id.as_str()))
                .ok_or_else(|| {
                    PortError::new(
                        "outbound batch",
                        format!(
                            "member {member} of batch {} is no longer held by it",
                            batch.batch_id
                        ),
                    )
                })?;
            records.push(AnswerRecord {
                answer_id: member.clone(),
                notice_number: number.to_string(),
                body: answer.body.clone(),
                answered_at: answer.answered_at,
            });
        }
        let body = exchange::write_file(&batch.batch_id, batch.created_at, &records);
        self.blobs
            .put(
                &self.config.exchange_bucket,
                &batch.file_key,
                body,
                "text/plain; charset=utf-8",
            )
            .await
    }

    /// Step 5 (before closing): every member marked sent, then journaled
    /// by tenant (a few entries a batch). A run cut short marks and
    /// journals again, before the batch closes: at least once.
    async fn mark_sent(&self, batch: &OutboundBatch) -> Result<(), PortError> {
        let now = self.clock.now();
        let mark = |n: &mut StoredNotice| {
            answering::mark_sent(n, &batch.batch_id, &batch.batch_id, &batch.file_key, now)
        };
        let marked: Vec<Option<(TenantId, String)>> = stream::iter(&batch.members)
            .map(|member| async move {
                let updated = update_notice(&self.store, notice_of(member), mark).await?;
                Ok::<_, PortError>(updated.and_then(|(_, n)| sent_in(&n, &batch.batch_id)))
            })
            .buffer_unordered(self.config.concurrency)
            .try_collect()
            .await?;
        let mut by_tenant: BTreeMap<TenantId, Vec<String>> = BTreeMap::new();
        for (tenant, transmission) in marked.into_iter().flatten() {
            by_tenant.entry(tenant).or_default().push(transmission);
        }
        for (tenant, mut transmissions) in by_tenant {
            transmissions.sort();
            journal::record_answers(
                &self.store,
                &tenant,
                now,
                "transmit",
                &transmissions,
                &batch.batch_id,
            )
            .await
            .map_err(|e| match e {
                AppError::Port(e) => e,
                other => PortError::new("journal", other.to_string()),
            })?;
        }
        Ok(())
    }

    /// Marks unanswered notices past their deadline as gone to paper.
    pub async fn sweep_deadlines(&self) -> Result<SweepReport, PortError> {
        let now = self.clock.now();
        // Keys sort by last day: every key before today's date has passed.
        let before = paris_date(now).to_string();
        let mut report = SweepReport::default();
        loop {
            let numbers = self
                .store
                .work_list(WorkList::Deadlines, &before, 500)
                .await?;
            self.tell_gone_to_paper(&numbers, now).await?;
            let mut changed = 0;
            for number in &numbers {
                if let Some((true, _)) =
                    update_notice(&self.store, number, |n| answering::go_to_paper(n, now)).await?
                {
                    changed += 1;
                    report.gone_to_paper.push(number.clone());
                }
            }
            // The index lags behind writes: stop when a page changed nothing.
            if numbers.len() < 500 || changed == 0 {
                break;
            }
        }
        info!(
            gone_to_paper = report.gone_to_paper.len(),
            at = %now.to_rfc3339_opts(SecondsFormat::Secs, true),
            "deadline sweep done"
        );
        Ok(report)
    }

    /// Tells the designation users of each notice the sweep is about to
    /// send to paper (before the write: see the module's comment).
    async fn tell_gone_to_paper(
        &self,
        numbers: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), PortError> {
        let mut messages = Vec::new();
        for number in numbers {
            let Some(mut notice) = self.store.load_notice(number).await? else {
                continue;
            };
            let deadline = notice.deadline;
            if !answering::go_to_paper(&mut notice, now) {
                continue;
            }
            let told = Notification::GoneToPaper {
                idempotency_key: format!("{number}|gone_to_paper"),
                tenant_id: notice.tenant_id.0.clone(),
                entity_id: notice.entity_id.0.clone(),
                notice_number: number.clone(),
                plate: notice.notice.plate.display(),
                deadline,
            };
            messages.push(QueueMessage {
                id: format!("p{}", messages.len() % MAX_QUEUE_BATCH),
                body: serde_json::to_string(&told).expect("messages serialize"),
            });
        }
        for chunk in messages.chunks(MAX_QUEUE_BATCH) {
            self.queue
                .send(&self.config.notifications_queue_url, chunk)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
