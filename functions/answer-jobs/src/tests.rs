//! The outbound protocol under crashes and concurrent runs, on in-memory
//! adapters; the deadline sweep with a controllable clock.

use super::*;
use chrono::{Duration, NaiveDate, TimeZone};
use designa::answering::{submit, Refusal, Submission};
use designa::domain::address::PostalAddress;
use designa::domain::answer::{AnswerBody, AnswerState, DesignatedDriver, OtherAnswer};
use designa::domain::notice::Notice;
use designa::domain::plate::sample_siv_plate;
use designa::domain::tenant::TenantSettings;
use designa::domain::NoticeStatus;
use designa::exchange::{parse_bytes, AckOutcome, AckRecord};
use designa::memory::faults::{self, Faults, Faulty, Injected};
use designa::memory::{FixedClock, MemoryBlobStore, MemoryKeyVault, MemoryQueue, MemoryStorage};
use designa::ports::NoticeStore;
use designa::privacy::sealing::Sealing;
use designa::store::StoredNotice;
use std::collections::{BTreeMap, HashMap};
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

/// Notice `i` with `body` given at `answered_at()` (grace window 4 hours).
fn answered(i: usize, body: AnswerBody) -> StoredNotice {
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
    submit(
        &mut n,
        by_manager(body),
        &TenantSettings::default(),
        answered_at(),
    )
    .unwrap();
    n
}

/// An answer other than a designation, one of two kinds.
fn other_answer(i: usize) -> AnswerBody {
    if i.is_multiple_of(3) {
        AnswerBody::Other(OtherAnswer::VehicleUnknown)
    } else {
        AnswerBody::Other(OtherAnswer::Error {
            justification: format!("Véhicule au garage ; réparation n°{i}"),
        })
    }
}

/// A driver typed into the answer: sealed under their own data key.
fn designation(i: usize) -> AnswerBody {
    AnswerBody::Designation(DesignatedDriver {
        last_name: format!("Fictif-{i}"),
        first_name: "Dominique".into(),
        address: PostalAddress {
            line1: format!("{i} rue de l'Exemple"),
            line2: None,
            postcode: "69003".into(),
            city: "Lyon".into(),
            country: "FRA".into(),
        },
        personal_email: None,
        professional_email: None,
    })
}

/// `count` notices, each with a pending answer other than a designation.
async fn world(count: usize) -> Arc<MemoryStorage> {
    let storage = Arc::new(MemoryStorage::default());
    let notices: Vec<StoredNotice> = (0..count).map(|i| answered(i, other_answer(i))).collect();
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

/// The table as production has it (drivers sealed under their keys), the
/// bucket and the notifications queue.
#[derive(Clone, Default)]
struct World {
    storage: Arc<MemoryStorage>,
    vault: Arc<MemoryKeyVault>,
    blobs: Arc<MemoryBlobStore>,
    queue: Arc<MemoryQueue>,
}

type Sealed = Sealing<Faulty<Arc<MemoryStorage>>, Faulty<Arc<MemoryKeyVault>>>;

/// The world's ports for one run, failing as `faults` says (they yield
/// before every call, so concurrent runs interleave).
#[derive(Clone)]
struct Ports {
    store: Sealed,
    blobs: Faulty<Arc<MemoryBlobStore>>,
    queue: Faulty<Arc<MemoryQueue>>,
}

impl Ports {
    fn on(faults: &Faults, world: &World) -> Ports {
        Ports {
            store: Sealing::new(
                faults.wrap(world.storage.clone()),
                faults.wrap(world.vault.clone()),
            ),
            blobs: faults.wrap(world.blobs.clone()),
            queue: faults.wrap(world.queue.clone()),
        }
    }

    /// Ports over `storage` and `blobs` (a vault and a queue of their own).
    fn over(faults: &Faults, storage: &Arc<MemoryStorage>, blobs: &Arc<MemoryBlobStore>) -> Ports {
        let world = World {
            storage: storage.clone(),
            blobs: blobs.clone(),
            ..World::default()
        };
        Ports::on(faults, &world)
    }

    fn healthy(storage: &Arc<MemoryStorage>, blobs: &Arc<MemoryBlobStore>) -> Ports {
        Ports::over(&Faults::new(), storage, blobs)
    }
}

type Jobs = AnswerJobs<Sealed, Faulty<Arc<MemoryBlobStore>>, FixedClock, Faulty<Arc<MemoryQueue>>>;

fn jobs(ports: &Ports, at: DateTime<Utc>) -> Jobs {
    AnswerJobs {
        store: ports.store.clone(),
        blobs: ports.blobs.clone(),
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
    let ports = Ports::healthy(&storage, &blobs);

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
    let ports = Ports::healthy(&storage, &blobs);
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

/// A scheduled job as Lambda runs it until one run gets through: a failed
/// run is retried (an asynchronous invocation, twice, a minute or two
/// later), then run again by its schedule.
async fn until_a_run_gets_through<F, Fut>(from: DateTime<Utc>, run: F) -> usize
where
    F: Fn(DateTime<Utc>) -> Fut,
    Fut: std::future::Future<Output = Result<(), PortError>>,
{
    const RUNS: usize = 20;
    for attempt in 0..RUNS {
        if run(from + Duration::minutes(attempt as i64)).await.is_ok() {
            return attempt + 1;
        }
    }
    panic!("the job still fails after {RUNS} runs");
}

/// What ANTAI receives and users see once the outbound batch is through.
#[derive(Debug, PartialEq)]
struct Outbound {
    /// Each transmission sent: how many outbound files carry it, and its line.
    transmitted: BTreeMap<String, (usize, String)>,
    files: usize,
    /// The notices as users read them (drivers opened), instants and
    /// batch ids left out.
    notices: Vec<serde_json::Value>,
    /// Transmissions the system journaled (at least once each).
    journaled: Vec<String>,
    batch_left_open: bool,
}

impl Outbound {
    async fn seen_in(world: &World) -> Outbound {
        let store = Ports::on(&Faults::new(), world).store;
        let mut notices = Vec::new();
        for n in world.storage.notices() {
            let opened = store.load_notice(&n.notice.notice_number).await.unwrap();
            let json = serde_json::to_value(opened.unwrap()).unwrap();
            notices.push(faults::normalised(
                json,
                &["version", "batch_id", "file_id", "file_key"],
            ));
        }
        let mut transmitted = BTreeMap::new();
        for (id, files) in sent_ids(&world.blobs) {
            transmitted.insert(id, (files.len(), String::new()));
        }
        for (id, line) in sent_lines(&world.blobs) {
            transmitted.entry(id).or_default().1 = line;
        }
        Outbound {
            transmitted,
            files: outbound_files(&world.blobs).len(),
            notices,
            journaled: journaled_transmissions(&world.storage).await,
            batch_left_open: world.storage.open_batch().await.unwrap().is_some(),
        }
    }
}

fn outbound_files(blobs: &MemoryBlobStore) -> Vec<String> {
    let keys = blobs.keys().into_iter();
    keys.filter(|k| k.starts_with("outbound/")).collect()
}

/// Each transmission's record in the outbound files, as ANTAI reads it.
fn sent_lines(blobs: &MemoryBlobStore) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    for key in outbound_files(blobs) {
        let parsed = parse_bytes::<AnswerRecord>(&blobs.get("exchange", &key).unwrap()).unwrap();
        for (_, record) in parsed.records {
            lines.push((record.answer_id.clone(), format!("{record:?}")));
        }
    }
    lines
}

/// Six answers, half of them designating a driver typed in: the outbound
/// batch, with a fault at any of its calls, until a run gets through.
async fn outbound_through(faults: Faults, count: usize) -> Outbound {
    let world = World::default();
    let notices: Vec<StoredNotice> = (0..count)
        .map(|i| {
            answered(
                i,
                if i.is_multiple_of(2) {
                    designation(i)
                } else {
                    other_answer(i)
                },
            )
        })
        .collect();
    let healthy = Ports::on(&Faults::new(), &world);
    for chunk in notices.chunks(25) {
        healthy.store.put_notices(chunk).await.unwrap();
    }
    let ports = &Ports::on(&faults, &world);
    until_a_run_gets_through(after_window(), |at| async move {
        jobs(ports, at).send_due_answers().await.map(drop)
    })
    .await;
    Outbound::seen_in(&world).await
}

/// Exactly once, whatever failed: every answer in one file, the same
/// lines, the same notices; the journal at least once.
fn assert_outbound_as_without_faults(expected: &Outbound, actual: &Outbound, faults: &[Injected]) {
    let context = faults.iter().map(ToString::to_string).collect::<Vec<_>>();
    assert!(
        actual.transmitted.values().all(|(files, _)| *files == 1),
        "{context:?}: {:?}",
        actual.transmitted
    );
    assert_eq!(actual, expected, "{context:?}");
}

/// Every call of the outbound batch (table, KMS, bucket) fails in turn,
/// before the call and with its response lost: the answers go out exactly
/// once, as in a run without faults.
#[tokio::test]
async fn a_fault_at_any_call_of_the_outbound_batch_neither_loses_nor_repeats_an_answer() {
    let matrix = faults::each_call_failing_once(
        |faults| outbound_through(faults, 6),
        assert_outbound_as_without_faults,
    )
    .await;
    eprintln!("outbound batch: {matrix}");
    assert!(matrix.sites.contains_key("KeyVault::key"), "{matrix}");
    assert!(matrix.sites.contains_key("BlobStore::put"), "{matrix}");
}

/// Then 5 calls in 1,000 failing at random, redeliveries included, over 60
/// answers: the same end.
#[tokio::test]
async fn the_outbound_batch_through_random_faults_sends_each_answer_exactly_once() {
    let matrix = faults::seeded_random_failures(
        0..12,
        5,
        |faults| outbound_through(faults, 60),
        assert_outbound_as_without_faults,
    )
    .await;
    eprintln!("outbound batch, random: {matrix}");
    assert!(matrix.injected >= 12, "{matrix}");
}

/// Unanswered notices past their deadline and one answered in time.
async fn overdue(world: &World) -> DateTime<Utc> {
    let open = |i: usize| {
        StoredNotice::routed(
            Notice::sample(
                &format!("88000000{i:02}"),
                designa::domain::Plate::parse(&sample_siv_plate(i), "FRA").unwrap(),
                issued_on(),
            ),
            "t-exemple".into(),
            if i.is_multiple_of(2) {
                "e-lyon"
            } else {
                "e-nord"
            }
            .into(),
            format!("v{i}"),
            answered_at(),
            "inbound/f.txt".into(),
        )
    };
    let mut notices: Vec<StoredNotice> = (1..=3).map(open).collect();
    let mut answered = open(4);
    let paper = AnswerBody::Other(OtherAnswer::PaperNoticeRequested);
    submit(
        &mut answered,
        by_manager(paper),
        &TenantSettings::default(),
        answered_at(),
    )
    .unwrap();
    notices.push(answered);
    world.storage.put_notices(&notices).await.unwrap();
    designa::domain::time::end_of_paris_day(notices[0].deadline) + Duration::hours(1)
}

/// What users see once the sweep is through: the notices, and what their
/// designation users were told (at least once, by idempotency key).
#[derive(Debug, PartialEq)]
struct Swept {
    notices: Vec<serde_json::Value>,
    told: BTreeMap<String, serde_json::Value>,
}

async fn sweep_through(faults: Faults) -> Swept {
    let world = World::default();
    let night = overdue(&world).await;
    let ports = &Ports::on(&faults, &world);
    until_a_run_gets_through(night, |at| async move {
        jobs(ports, at).sweep_deadlines().await.map(drop)
    })
    .await;
    let notices = world.storage.notices().into_iter();
    let notices =
        notices.map(|n| faults::normalised(serde_json::to_value(n).unwrap(), &["version"]));
    let mut told = BTreeMap::new();
    for body in world.queue.bodies() {
        let key = body["idempotency_key"].as_str().unwrap().to_string();
        let first = told.entry(key).or_insert_with(|| body.clone());
        assert_eq!(*first, body, "a repeat is the same message");
    }
    Swept {
        notices: notices.collect(),
        told,
    }
}

/// Every call of the deadline sweep fails in turn: the notices go to paper
/// once, and their users are told (again after some faults: the notifier
/// drops the repeat by its idempotency key).
#[tokio::test]
async fn a_fault_at_any_call_of_the_deadline_sweep_leaves_what_a_fault_free_sweep_leaves() {
    let matrix = faults::each_call_failing_once(sweep_through, |expected, actual, faults| {
        assert_eq!(actual, expected, "{faults:?}");
    })
    .await;
    eprintln!("deadline sweep: {matrix}");
    assert!(matrix.sites.contains_key("Queue::send"), "{matrix}");
}

/// The transmissions the journal proves: entries of the system actor,
/// once each (twice at worst, after a crash).
async fn journaled_transmissions(storage: &MemoryStorage) -> Vec<String> {
    let entries = designa::app::journal::entries(storage, &"t-exemple".into())
        .await
        .unwrap();
    let mut ids: Vec<String> = entries
        .iter()
        .filter(|e| e.user_id == designa::app::journal::SYSTEM && e.action == "transmit")
        .flat_map(|e| e.target.strip_prefix("answers:").unwrap().split(','))
        .map(str::to_string)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Two runs at once, interleaving at every call: still exactly once.
#[tokio::test]
async fn concurrent_runs_send_each_answer_once() {
    let storage = world(200).await;
    let blobs = Arc::new(MemoryBlobStore::default());
    let a = Ports::healthy(&storage, &blobs);
    let b = Ports::healthy(&storage, &blobs);
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
        let runs = [1u64, 2, 3].map(|run| {
            let faults = Faults::new();
            faults.fail_randomly(5, 0x2545_F491_4F6C_DD1D ^ (round * 7919 + run));
            let ports = Ports::over(&faults, &storage, &blobs);
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
    let files = outbound_files(&blobs).len();
    assert!(
        files >= 7,
        "1,000 answers in files of at most 150: {files} files"
    );
}

#[tokio::test]
async fn a_refused_answer_corrected_goes_out_again_as_a_new_transmission() {
    let storage = world(1).await;
    let blobs = Arc::new(MemoryBlobStore::default());
    let ports = Ports::healthy(&storage, &blobs);
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
    let ports = Ports::healthy(&storage, &blobs);
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
    let ports = Ports::healthy(&storage, &blobs);
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
    let job = jobs(&Ports::healthy(&storage, &blobs), after_window());
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
