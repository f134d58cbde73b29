//! The outbound protocol under crashes and concurrent runs, on in-memory
//! adapters; the deadline sweep with a controllable clock.

use super::*;
use async_trait::async_trait;
use chrono::{Duration, NaiveDate, TimeZone};
use designa::answering::{submit, Refusal, Submission};
use designa::domain::answer::{AnswerBody, AnswerState, OtherAnswer};
use designa::domain::notice::Notice;
use designa::domain::plate::sample_siv_plate;
use designa::domain::tenant::TenantSettings;
use designa::domain::NoticeStatus;
use designa::domain::TenantId;
use designa::exchange::{parse_bytes, AckOutcome, AckRecord};
use designa::memory::{FixedClock, MemoryBlobStore, MemoryQueue, MemoryStorage};
use designa::ports::{BlobReader, NoticeStore};
use designa::store::{Record, RecordKind, StoredNotice};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

fn issued_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
}

/// When the answers were given: well inside the 45 days.
fn answered_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 10, 9, 0, 0).unwrap()
}

fn number(i: usize) -> String {
    format!("{:010}", 7_700_000_000u64 + i as u64)
}

/// `count` notices, each with a pending answer given at `answered_at()`
/// (grace window 4 hours).
async fn world(count: usize) -> Arc<MemoryStorage> {
    let storage = Arc::new(MemoryStorage::default());
    let mut notices = Vec::new();
    for i in 0..count {
        let mut n = StoredNotice::routed(
            Notice::sample(
                &number(i),
                designa::domain::Plate::parse(&sample_siv_plate(i), "FRA").unwrap(),
                issued_on(),
            ),
            "t-exemple".into(),
            "e-lyon".into(),
            format!("v{i}"),
            answered_at() - Duration::days(3),
            "inbound/f.txt".into(),
        );
        let body = if i % 3 == 0 {
            AnswerBody::Other(OtherAnswer::VehicleUnknown)
        } else {
            AnswerBody::Other(OtherAnswer::Error {
                justification: format!("Véhicule au garage ; réparation n°{i}"),
            })
        };
        submit(
            &mut n,
            by_manager(body),
            &TenantSettings::default(),
            answered_at(),
        )
        .unwrap();
        notices.push(n);
    }
    for chunk in notices.chunks(25) {
        storage.put_notices(chunk).await.unwrap();
    }
    storage
}

fn by_manager(body: AnswerBody) -> Submission {
    Submission {
        body,
        driver_id: None,
        by: "u-manager".into(),
        notify_driver: None,
    }
}

fn after_window() -> DateTime<Utc> {
    answered_at() + Duration::hours(4) + Duration::minutes(1)
}

/// How an injected fault behaves: the call never happens, or it happens
/// and its answer is lost (the worst case for writes).
#[derive(Clone, Copy, Debug)]
enum Fault {
    Before,
    AfterLostResponse,
}

/// Ports that fail one chosen call (or a pseudo-random share of calls),
/// and yield before every call so concurrent runs interleave.
#[derive(Clone)]
struct Faulty {
    storage: Arc<MemoryStorage>,
    blobs: Arc<MemoryBlobStore>,
    /// The notifications queue (never failed: the sweep's messages are checked).
    queue: Arc<MemoryQueue>,
    calls: Arc<AtomicUsize>,
    fail_at: Option<usize>,
    /// Per mille of calls that fail, from a deterministic sequence.
    random_per_mille: u64,
    seed: Arc<AtomicU64>,
    fault: Fault,
}

impl Faulty {
    fn new(storage: Arc<MemoryStorage>, blobs: Arc<MemoryBlobStore>) -> Faulty {
        Faulty {
            storage,
            blobs,
            queue: Arc::default(),
            calls: Arc::new(AtomicUsize::new(0)),
            fail_at: None,
            random_per_mille: 0,
            seed: Arc::new(AtomicU64::new(0x9E37_79B9_7F4A_7C15)),
            fault: Fault::Before,
        }
    }

    fn failing(&self) -> bool {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        if self.fail_at == Some(call) {
            return true;
        }
        if self.random_per_mille > 0 {
            // xorshift: reproducible, no dependency.
            let mut x = self.seed.load(Ordering::SeqCst);
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.seed.store(x, Ordering::SeqCst);
            return x % 1000 < self.random_per_mille;
        }
        false
    }

    async fn call<T>(
        &self,
        operation: &'static str,
        f: impl std::future::Future<Output = Result<T, PortError>>,
    ) -> Result<T, PortError> {
        tokio::task::yield_now().await;
        if !self.failing() {
            return f.await;
        }
        match self.fault {
            Fault::Before => Err(PortError::new(operation, "injected crash before the call")),
            Fault::AfterLostResponse => {
                let _ = f.await;
                Err(PortError::new(operation, "injected crash after the call"))
            }
        }
    }
}

#[async_trait]
impl AnswerStore for Faulty {
    async fn load_notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        self.call("load_notice", self.storage.load_notice(number))
            .await
    }
    async fn put_notice_if(&self, notice: &StoredNotice, expected: u64) -> Result<bool, PortError> {
        self.call(
            "put_notice_if",
            self.storage.put_notice_if(notice, expected),
        )
        .await
    }
    async fn work_list(
        &self,
        list: WorkList,
        before: &str,
        limit: usize,
    ) -> Result<Vec<String>, PortError> {
        self.call("work_list", self.storage.work_list(list, before, limit))
            .await
    }
    async fn open_batch(&self) -> Result<Option<OutboundBatch>, PortError> {
        self.call("open_batch", self.storage.open_batch()).await
    }
    async fn put_open_batch(
        &self,
        batch: &OutboundBatch,
        expected: Option<BatchPhase>,
    ) -> Result<bool, PortError> {
        self.call(
            "put_open_batch",
            self.storage.put_open_batch(batch, expected),
        )
        .await
    }
    async fn close_batch(&self, batch: &OutboundBatch) -> Result<(), PortError> {
        self.call("close_batch", self.storage.close_batch(batch))
            .await
    }
    async fn closed_batch(&self, batch_id: &str) -> Result<Option<OutboundBatch>, PortError> {
        self.call("closed_batch", self.storage.closed_batch(batch_id))
            .await
    }
}

#[async_trait]
impl RecordStore for Faulty {
    async fn record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<Record>, PortError> {
        self.call("record", self.storage.record(tenant_id, kind, id))
            .await
    }
    async fn records_before(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        before: &str,
        limit: usize,
    ) -> Result<Vec<Record>, PortError> {
        let read = self.storage.records_before(tenant_id, kind, before, limit);
        self.call("records_before", read).await
    }
    async fn records(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
    ) -> Result<Vec<Record>, PortError> {
        self.call("records", self.storage.records(tenant_id, kind))
            .await
    }
    async fn put_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        record: &Record,
        expected: Option<u64>,
    ) -> Result<bool, PortError> {
        let write = self.storage.put_record(tenant_id, kind, record, expected);
        self.call("put_record", write).await
    }
    async fn delete_record(
        &self,
        tenant_id: &TenantId,
        kind: RecordKind,
        id: &str,
    ) -> Result<(), PortError> {
        self.call(
            "delete_record",
            self.storage.delete_record(tenant_id, kind, id),
        )
        .await
    }
}

#[async_trait]
impl BlobStore for Faulty {
    async fn open(&self, bucket: &str, key: &str) -> Result<Option<BlobReader>, PortError> {
        self.call("open", self.blobs.open(bucket, key)).await
    }
    async fn put(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<(), PortError> {
        self.call("put", self.blobs.put(bucket, key, body, content_type))
            .await
    }
    async fn copy(&self, bucket: &str, from_key: &str, to_key: &str) -> Result<(), PortError> {
        self.call("copy", self.blobs.copy(bucket, from_key, to_key))
            .await
    }
    async fn delete(&self, bucket: &str, key: &str) -> Result<(), PortError> {
        self.call("delete", self.blobs.delete(bucket, key)).await
    }
    async fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<String>, PortError> {
        self.call("list", self.blobs.list(bucket, prefix)).await
    }
    async fn presign_put(
        &self,
        bucket: &str,
        key: &str,
        content_type: &str,
        expires: std::time::Duration,
    ) -> Result<String, PortError> {
        self.blobs
            .presign_put(bucket, key, content_type, expires)
            .await
    }
    async fn presign_get(
        &self,
        bucket: &str,
        key: &str,
        download_name: &str,
        expires: std::time::Duration,
    ) -> Result<String, PortError> {
        self.blobs
            .presign_get(bucket, key, download_name, expires)
            .await
    }
}

fn jobs(
    ports: &Faulty,
    at: DateTime<Utc>,
) -> AnswerJobs<Faulty, Faulty, FixedClock, Arc<MemoryQueue>> {
    AnswerJobs {
        store: ports.clone(),
        blobs: ports.clone(),
        clock: FixedClock::at(at),
        queue: ports.queue.clone(),
        config: Config::for_tests(),
    }
}

/// Every transmission id in the outbound files, with the files it is in.
fn sent_ids(blobs: &MemoryBlobStore) -> HashMap<String, Vec<String>> {
    let mut ids: HashMap<String, Vec<String>> = HashMap::new();
    for key in blobs.keys() {
        if !key.starts_with("outbound/") {
            continue;
        }
        let parsed = parse_bytes::<AnswerRecord>(&blobs.get("exchange", &key).unwrap())
            .unwrap_or_else(|e| panic!("{key} is not a valid answers file: {e}"));
        assert!(parsed.rejected.is_empty(), "{key}: {:?}", parsed.rejected);
        for (_, record) in parsed.records {
            ids.entry(record.answer_id).or_default().push(key.clone());
        }
    }
    ids
}

/// Exactly once: every answer in exactly one file, every notice marked
/// sent, nothing left open.
async fn assert_exactly_once(storage: &MemoryStorage, blobs: &MemoryBlobStore, count: usize) {
    let ids = sent_ids(blobs);
    for i in 0..count {
        let id = format!("{}-1", number(i));
        let files = ids.get(&id).map(Vec::len).unwrap_or(0);
        assert_eq!(
            files,
            1,
            "answer {id} is in {files} files: {:?}",
            ids.get(&id)
        );
    }
    assert_eq!(ids.len(), count, "no other answer was sent");
    for n in storage.notices() {
        assert_eq!(
            n.status,
            NoticeStatus::AnswerSent,
            "{}",
            n.notice.notice_number
        );
        let a = n.answer.unwrap();
        assert_eq!(a.state, AnswerState::Sent);
        let sent = a
            .history
            .iter()
            .filter(|h| matches!(h.event, designa::domain::answer::AnswerEvent::Sent { .. }))
            .count();
        assert_eq!(
            sent, 1,
            "{} marked sent {sent} times",
            n.notice.notice_number
        );
    }
    assert!(
        storage.open_batch().await.unwrap().is_none(),
        "no batch left open"
    );
}

#[tokio::test]
async fn answers_wait_for_their_window_then_go_out_once() {
    let storage = world(5).await;
    let blobs = Arc::new(MemoryBlobStore::default());
    let ports = Faulty::new(storage.clone(), blobs.clone());

    let early = jobs(&ports, answered_at() + Duration::hours(3));
    assert!(early.send_due_answers().await.unwrap().is_empty());
    assert!(
        sent_ids(&blobs).is_empty(),
        "nothing leaves during the grace window"
    );

    let reports = jobs(&ports, after_window())
        .send_due_answers()
        .await
        .unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].answers, 5);
    assert!(reports[0]
        .file_key
        .starts_with("outbound/REPONSES_DESIGNATION_20261110T130100Z_REP-"));
    assert_exactly_once(&storage, &blobs, 5).await;

    // The next run finds nothing to send.
    assert!(jobs(&ports, after_window() + Duration::hours(1))
        .send_due_answers()
        .await
        .unwrap()
        .is_empty());
    assert_exactly_once(&storage, &blobs, 5).await;
}

#[tokio::test]
async fn a_batched_answer_can_no_longer_be_edited() {
    let storage = world(1).await;
    let blobs = Arc::new(MemoryBlobStore::default());
    let ports = Faulty::new(storage.clone(), blobs.clone());
    jobs(&ports, after_window())
        .send_due_answers()
        .await
        .unwrap();
    let mut n = storage.load_notice(&number(0)).await.unwrap().unwrap();
    let refused = submit(
        &mut n,
        Submission {
            body: AnswerBody::Other(OtherAnswer::VehicleUnknown),
            driver_id: None,
            by: "u-other".into(),
            notify_driver: None,
        },
        &TenantSettings::default(),
        after_window(),
    );
    assert_eq!(
        refused,
        Err(Refusal::AlreadyAnswered {
            status: NoticeStatus::AnswerSent
        })
    );
}

/// Crash at every call of a run, in both fault modes, then run again: the
/// answers go out exactly once whichever call failed.
#[tokio::test]
async fn a_crash_at_any_step_neither_loses_nor_repeats_an_answer() {
    for fault in [Fault::Before, Fault::AfterLostResponse] {
        let mut crash_at = 0;
        loop {
            let storage = world(12).await;
            let blobs = Arc::new(MemoryBlobStore::default());
            let mut ports = Faulty::new(storage.clone(), blobs.clone());
            ports.fail_at = Some(crash_at);
            ports.fault = fault;
            let crashed = jobs(&ports, after_window())
                .send_due_answers()
                .await
                .is_err();
            // The next scheduled run, healthy.
            let healthy = Faulty::new(storage.clone(), blobs.clone());
            jobs(&healthy, after_window() + Duration::minutes(15))
                .send_due_answers()
                .await
                .unwrap();
            assert_exactly_once(&storage, &blobs, 12).await;
            assert_transmissions_journaled(&storage, 12).await;
            if !crashed {
                // Past the last call: every step was crashed once.
                assert!(crash_at > 40, "a run makes more calls than {crash_at}");
                break;
            }
            crash_at += 1;
        }
    }
}

/// The journal alone proves each transmission: an entry of the system
/// actor per answer sent (twice at worst, after a crash).
async fn assert_transmissions_journaled(storage: &MemoryStorage, count: usize) {
    let entries = designa::app::journal::entries(storage, &"t-exemple".into())
        .await
        .unwrap();
    let mut ids: Vec<&str> = entries
        .iter()
        .filter(|e| e.user_id == designa::app::journal::SYSTEM && e.action == "transmit")
        .flat_map(|e| e.target.strip_prefix("answers:").unwrap().split(','))
        .collect();
    ids.sort();
    ids.dedup();
    let expected: Vec<String> = (0..count).map(|i| format!("{}-1", number(i))).collect();
    assert_eq!(ids, expected.iter().map(String::as_str).collect::<Vec<_>>());
}

/// Two runs at once, interleaving at every call: still exactly once.
#[tokio::test]
async fn concurrent_runs_send_each_answer_once() {
    let storage = world(200).await;
    let blobs = Arc::new(MemoryBlobStore::default());
    let a = Faulty::new(storage.clone(), blobs.clone());
    let b = Faulty::new(storage.clone(), blobs.clone());
    let (ra, rb) = tokio::join!(
        async { jobs(&a, after_window()).send_due_answers().await },
        async { jobs(&b, after_window()).send_due_answers().await }
    );
    ra.unwrap();
    rb.unwrap();
    assert_exactly_once(&storage, &blobs, 200).await;
}

/// The acceptance run: 1,000 answers, files of at most 150, three runs at
/// once with 0.5 % of calls crashing (both kinds), repeated until the outbox is
/// empty: every answer in exactly one file.
#[tokio::test]
async fn a_thousand_answers_through_crashes_and_concurrency_go_out_exactly_once() {
    let storage = world(1000).await;
    let blobs = Arc::new(MemoryBlobStore::default());
    let crashes = Arc::new(Mutex::new(0usize));
    let mut rounds = 0;
    for round in 0..200u64 {
        rounds += 1;
        let runs = [Fault::Before, Fault::AfterLostResponse, Fault::Before].map(|fault| {
            let mut ports = Faulty::new(storage.clone(), blobs.clone());
            ports.random_per_mille = 5;
            ports.fault = fault;
            ports.seed = Arc::new(AtomicU64::new(
                0x2545_F491_4F6C_DD1D ^ (round * 7919 + fault as u64),
            ));
            let mut job = jobs(&ports, after_window() + Duration::minutes(round as i64));
            job.config.max_batch_answers = 150;
            let crashes = crashes.clone();
            async move {
                if job.send_due_answers().await.is_err() {
                    *crashes.lock().unwrap() += 1;
                }
            }
        });
        let [r1, r2, r3] = runs;
        tokio::join!(r1, r2, r3);
        let outbox_empty = storage
            .work_list(WorkList::Outbox, "~", 1)
            .await
            .unwrap()
            .is_empty();
        if outbox_empty && storage.open_batch().await.unwrap().is_none() {
            break;
        }
    }
    let crashed = *crashes.lock().unwrap();
    eprintln!("{rounds} rounds of 3 concurrent runs, {crashed} runs crashed");
    assert!(crashed >= 5, "runs did crash: {crashed}");
    assert_exactly_once(&storage, &blobs, 1000).await;
    let files = blobs
        .keys()
        .iter()
        .filter(|k| k.starts_with("outbound/"))
        .count();
    assert!(
        files >= 7,
        "1,000 answers in files of at most 150: {files} files"
    );
}

#[tokio::test]
async fn a_refused_answer_corrected_goes_out_again_as_a_new_transmission() {
    let storage = world(1).await;
    let blobs = Arc::new(MemoryBlobStore::default());
    let ports = Faulty::new(storage.clone(), blobs.clone());
    jobs(&ports, after_window())
        .send_due_answers()
        .await
        .unwrap();
    let ack_at = after_window() + Duration::hours(2);
    update_notice(&*storage, &number(0), |n| {
        matches!(
            answering::apply_ack(
                n,
                &AckRecord {
                    answer_id: format!("{}-1", number(0)),
                    notice_number: number(0),
                    outcome: AckOutcome::Error {
                        code: "E042".into(),
                        field: Some("commentaire".into()),
                        message: "Justification insuffisante".into(),
                    },
                    processed_at: ack_at,
                },
            ),
            answering::AckEffect::Applied { .. }
        )
    })
    .await
    .unwrap();
    let mut n = storage.load_notice(&number(0)).await.unwrap().unwrap();
    assert_eq!(n.status, NoticeStatus::AnswerInError);
    let expected = n.version;
    submit(
        &mut n,
        by_manager(AnswerBody::Other(OtherAnswer::Error {
            justification: "Le véhicule était immobilisé au garage (facture jointe au dossier)"
                .into(),
        })),
        &TenantSettings::default(),
        ack_at,
    )
    .unwrap();
    n.version = expected + 1;
    assert!(storage.put_notice_if(&n, expected).await.unwrap());

    let later = ack_at + Duration::hours(5);
    let reports = jobs(&ports, later).send_due_answers().await.unwrap();
    assert_eq!(reports.len(), 1);
    let ids = sent_ids(&blobs);
    assert_eq!(
        ids.len(),
        2,
        "first transmission and the correction: {ids:?}"
    );
    assert!(ids.contains_key(&format!("{}-2", number(0))));
    let n = storage.load_notice(&number(0)).await.unwrap().unwrap();
    assert_eq!(n.status, NoticeStatus::AnswerSent);
    assert_eq!(n.answer.unwrap().transmission, 2);
}

#[tokio::test]
async fn the_sweep_sends_unanswered_notices_to_paper_after_45_days() {
    let storage = Arc::new(MemoryStorage::default());
    let open = StoredNotice::routed(
        Notice::sample(
            "8800000001",
            designa::domain::Plate::parse(&sample_siv_plate(1), "FRA").unwrap(),
            issued_on(),
        ),
        "t-exemple".into(),
        "e-lyon".into(),
        "v1".into(),
        answered_at(),
        "inbound/f.txt".into(),
    );
    let mut answered = open.clone();
    answered.notice.notice_number = "8800000002".into();
    submit(
        &mut answered,
        by_manager(AnswerBody::Other(OtherAnswer::PaperNoticeRequested)),
        &TenantSettings::default(),
        answered_at(),
    )
    .unwrap();
    storage
        .put_notices(&[open.clone(), answered])
        .await
        .unwrap();
    let blobs = Arc::new(MemoryBlobStore::default());
    let ports = Faulty::new(storage.clone(), blobs);
    let last_day = open.deadline;
    // On the last day, 23:59 Paris: still in time.
    let last_minute = designa::domain::time::end_of_paris_day(last_day) - Duration::seconds(30);
    assert!(jobs(&ports, last_minute)
        .sweep_deadlines()
        .await
        .unwrap()
        .gone_to_paper
        .is_empty());
    // The next morning: gone to paper; the answered one is untouched.
    let next_morning = last_minute + Duration::hours(8);
    assert!(
        ports.queue.bodies().is_empty(),
        "nothing told while in time"
    );
    let report = jobs(&ports, next_morning).sweep_deadlines().await.unwrap();
    assert_eq!(report.gone_to_paper, ["8800000001"]);
    // Its entity's designation users are told the paper notice is coming.
    let told = ports.queue.bodies();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["type"], "GONE_TO_PAPER");
    assert_eq!(told[0]["notice_number"], "8800000001");
    assert_eq!(told[0]["entity_id"], "e-lyon");
    assert_eq!(told[0]["idempotency_key"], "8800000001|gone_to_paper");
    let n = storage.load_notice("8800000001").await.unwrap().unwrap();
    assert_eq!(n.status, NoticeStatus::GoneToPaper);
    assert_eq!(
        storage
            .load_notice("8800000002")
            .await
            .unwrap()
            .unwrap()
            .status,
        NoticeStatus::AnswerPending
    );
    // Repeating the sweep changes nothing; no answer can be given any more.
    assert!(jobs(&ports, next_morning)
        .sweep_deadlines()
        .await
        .unwrap()
        .gone_to_paper
        .is_empty());
    assert_eq!(ports.queue.bodies().len(), 1, "told once");
    let mut n = n;
    assert_eq!(
        submit(
            &mut n,
            by_manager(AnswerBody::Other(OtherAnswer::VehicleUnknown)),
            &TenantSettings::default(),
            next_morning,
        ),
        Err(Refusal::DeadlinePassed)
    );
}

#[test]
fn the_schedules_sample_events_name_the_jobs() {
    let outbound: JobRequest = serde_json::from_str(include_str!(
        "../../../events/answer-jobs-outbound-batch.json"
    ))
    .unwrap();
    assert_eq!(outbound, JobRequest::OutboundBatch);
    let sweep: JobRequest = serde_json::from_str(include_str!(
        "../../../events/answer-jobs-deadline-sweep.json"
    ))
    .unwrap();
    assert_eq!(sweep, JobRequest::DeadlineSweep);
    // The template's schedules send the same inputs.
    let template = include_str!("../../../template.yaml");
    assert!(template.contains(r#"Input: '{"job": "outbound_batch"}'"#));
    assert!(template.contains(r#"Input: '{"job": "deadline_sweep"}'"#));
}

/// Retention, by time travel: an unanswered notice leaves the active base
/// with its 45 days (plus the sweep's margin); once swept (gone to paper) or
/// answered it is archived 12 months; reads never return an expired item,
/// even before DynamoDB deletes it.
#[tokio::test]
async fn notices_leave_the_base_when_their_retention_ends() {
    let storage = world(2).await;
    let unanswered = StoredNotice::routed(
        Notice::sample(
            "8800000009",
            designa::domain::Plate::parse(&sample_siv_plate(9), "FRA").unwrap(),
            issued_on(),
        ),
        "t-exemple".into(),
        "e-lyon".into(),
        "v9".into(),
        answered_at(),
        "inbound/f.txt".into(),
    );
    let forgotten = StoredNotice {
        notice: Notice {
            notice_number: "8800000010".into(),
            ..unanswered.notice.clone()
        },
        ..unanswered.clone()
    };
    storage
        .put_notices(&[unanswered.clone(), forgotten])
        .await
        .unwrap();
    let blobs = Arc::new(MemoryBlobStore::default());
    let ports = Faulty::new(storage.clone(), blobs);
    let closes = unanswered.notice.deadline().closes_at();
    // The answered ones go out; the sweep runs the night after the deadline,
    // but only over the first notice (the second stands for one it missed).
    jobs(&ports, after_window())
        .send_due_answers()
        .await
        .unwrap();
    let night = closes + Duration::hours(1);
    let mut n = storage.load_notice("8800000009").await.unwrap().unwrap();
    assert!(designa::answering::go_to_paper(&mut n, night));
    let expected = n.version;
    n.version += 1;
    assert!(storage.put_notice_if(&n, expected).await.unwrap());

    let visible = |number: String| {
        let storage = storage.clone();
        async move { storage.load_notice(&number).await.unwrap().is_some() }
    };
    storage.set_now(closes + Duration::days(1));
    assert!(
        visible("8800000010".into()).await,
        "still there the day after"
    );
    storage.set_now(closes + Duration::days(3));
    assert!(
        !visible("8800000010".into()).await,
        "unhandled: gone after 45 days + margin"
    );
    assert!(
        visible("8800000009".into()).await,
        "gone to paper: archived"
    );
    assert!(visible(number(0)).await, "answered: archived");
    storage.set_now(closes + Duration::days(364));
    assert!(visible("8800000009".into()).await);
    storage.set_now(closes + Duration::days(366));
    assert!(
        !visible("8800000009".into()).await,
        "12 months after the deadline: gone"
    );
    assert!(!visible(number(0)).await);
    assert!(storage
        .tenant_notices("t-exemple")
        .await
        .unwrap()
        .is_empty());
}

/// The outbox is spread over `WORK_SHARDS` index partitions: 20,000 due
/// answers are found with one Query per shard, and sending them in files of
/// 2,000 reads each shard once per file (and once more to see it empty).
#[tokio::test]
async fn twenty_thousand_due_answers_read_each_outbox_shard_once_per_batch() {
    let storage = world(20_000).await;
    let outbox = designa::table::keys::work_partitions(designa::table::keys::OUTBOX);
    let due = storage
        .work_list(WorkList::Outbox, &due_before(after_window()), 20_000)
        .await
        .unwrap();
    assert_eq!(due.len(), 20_000);
    assert_queried_times(&storage, &outbox, 1);
    assert_eq!(storage.items_read(), 20_000, "each entry read once");

    let blobs = Arc::new(MemoryBlobStore::default());
    let job = jobs(&Faulty::new(storage.clone(), blobs.clone()), after_window());
    let reports = job.send_due_answers().await.unwrap();
    assert_eq!(reports.len(), 10, "files of at most 2,000 answers");
    assert_queried_times(&storage, &outbox, 1 + 10 + 1);
    assert_exactly_once(&storage, &blobs, 20_000).await;
}

fn assert_queried_times(storage: &MemoryStorage, partitions: &[String], times: usize) {
    let queries = storage.queries_by_partition();
    for partition in partitions {
        assert_eq!(
            queries.get(partition),
            Some(&times),
            "{partition}: {queries:?}"
        );
    }
}
