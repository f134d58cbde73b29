//! Ingest through faults: a notices file and an acknowledgements file, with
//! each call of their processing failing in turn (table, KMS, bucket,
//! queue, SES), then redelivered as the ingest queue does until the file is
//! done. Users and ANTAI must see what a run without faults leaves.

use super::acknowledgements::{ack, refused, sent_notice};
use super::*;
use designa::exchange::AckOutcome;
use designa::memory::faults::{self, Faults, Faulty, Injected, SqsSource};
use designa::memory::MemoryKeyVault;
use designa::privacy::sealing::Sealing;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// `IngestQueue`'s `maxReceiveCount` (template.yaml).
const MAX_RECEIVES: u32 = 5;

/// `IngestQueue`'s visibility timeout: a failed message comes back after it.
fn visibility() -> chrono::Duration {
    chrono::Duration::seconds(720)
}

/// The table (drivers sealed, as in production), the bucket, the
/// notifications queue and SES.
#[derive(Default)]
struct World {
    storage: Arc<MemoryStorage>,
    vault: Arc<MemoryKeyVault>,
    blobs: Arc<MemoryBlobStore>,
    queue: Arc<MemoryQueue>,
    mailer: Arc<MemoryMailer>,
}

type Sealed = Sealing<Faulty<Arc<MemoryStorage>>, Faulty<Arc<MemoryKeyVault>>>;
type FaultyIngest = Ingest<
    Faulty<Arc<MemoryBlobStore>>,
    Sealed,
    Faulty<Arc<MemoryQueue>>,
    FixedClock,
    Faulty<Arc<MemoryMailer>>,
>;

impl World {
    /// The fleet, acme designating automatically (Camille, sealed), and
    /// three of acme's answers sent to ANTAI.
    async fn new() -> World {
        let world = World::default();
        let storage = world.ingest(&Faults::new()).storage;
        fleet(&storage).await;
        acme_designating_automatically(&storage).await;
        for (number, notify_driver) in [("7100000001", true), ("7100000002", false)] {
            sent_notice(&storage, number, notify_driver).await;
        }
        sent_notice(&storage, "7100000003", true).await;
        world
    }

    fn ingest(&self, faults: &Faults) -> FaultyIngest {
        Ingest {
            blobs: faults.wrap(self.blobs.clone()),
            storage: Sealing::new(
                faults.wrap(self.storage.clone()),
                faults.wrap(self.vault.clone()),
            ),
            queue: faults.wrap(self.queue.clone()),
            clock: FixedClock::at(now()),
            mailer: faults.wrap(self.mailer.clone()),
            config: Config::for_tests(),
        }
    }

    fn drop_file(&self, name: &str, bytes: Vec<u8>) -> String {
        let key = format!("inbound/{name}");
        self.blobs.insert(BUCKET, &key, bytes);
        key
    }
}

/// A notices file: routed, unrouted, one designated automatically.
fn notices_file(world: &World, count: usize) -> String {
    let mut notices = standard_notices();
    for i in 0..count.saturating_sub(notices.len()) {
        let plate = ["AB-123-CD", "123 ABC 75", "ZZ-999-ZZ"][i % 3];
        notices.push(notice(&format!("70100{i:05}"), plate, (11, 6, 7)));
    }
    world.drop_file("DEMANDES_DESIGNATION_1.txt", file(&notices))
}

/// ANTAI's answers to the three transmissions: one in progress then
/// acknowledged (its driver asked to be told), one refused, one
/// acknowledged (told too), and a line naming no answer of ours.
fn acknowledgements_file(world: &World) -> String {
    let records = [
        ack("7100000001", 1, AckOutcome::InProgress),
        ack("7100000001", 1, AckOutcome::Acknowledged),
        ack("7100000002", 1, refused()),
        ack("7100000003", 1, AckOutcome::Acknowledged),
        ack("7100000003", 9, AckOutcome::Acknowledged),
    ];
    let bytes = write_file("ANTAI-ACK-01", now(), &records);
    world.drop_file("ACCUSES_RECEPTION_1.txt", bytes)
}

/// One S3 event per file on the ingest queue, delivered (in one batch)
/// until handled or dead-lettered; the dead letters.
async fn deliver(world: &World, faults: &Faults, keys: &[String]) -> Vec<String> {
    let handler = &world.ingest(faults);
    let mut queue = SqsSource::new(MAX_RECEIVES);
    for key in keys {
        queue.send(s3_event_body(key));
    }
    queue
        .drain(10, |round, event| async move {
            handler.clock.set(now() + visibility() * round as i32);
            handler.handle_event(event).await
        })
        .await;
    queue.dead_letters
}

/// What users and ANTAI see, without instants and versions.
#[derive(Debug, PartialEq, serde::Serialize)]
struct State {
    /// The notices, designations opened.
    notices: Vec<Value>,
    unrouted: Vec<Value>,
    /// Every object of the bucket: the files, and their reports.
    objects: BTreeMap<String, Value>,
    file_statuses: Vec<Option<FileStatus>>,
    /// Notifications by idempotency key (at least once: a repeat is the
    /// same message, which the notifier drops).
    told: BTreeMap<String, Value>,
    /// Driver e-mails, each at least once.
    emails: BTreeSet<String>,
    /// What the system journaled, each at least once.
    journal: BTreeSet<(String, String)>,
    dead_letters: Vec<String>,
}

/// The state, and how many e-mails went more than once.
struct Seen {
    state: State,
    email_repeats: usize,
}

impl Seen {
    async fn of(world: &World, keys: &[String], dead_letters: Vec<String>) -> Seen {
        let storage = world.ingest(&Faults::new()).storage;
        let mut notices = Vec::new();
        for n in world.storage.notices() {
            let opened = storage.load_notice(&n.notice.notice_number).await;
            notices.push(normalised(&opened.unwrap().unwrap()));
        }
        let sent: Vec<String> = world
            .mailer
            .templated
            .lock()
            .unwrap()
            .iter()
            .map(|m| format!("{} {} {}", m.to, m.template, m.data))
            .collect();
        let emails: BTreeSet<String> = sent.iter().cloned().collect();
        let state = State {
            notices,
            unrouted: world.storage.unrouted().iter().map(normalised).collect(),
            objects: objects(&world.blobs),
            file_statuses: keys
                .iter()
                .map(|k| world.storage.file_status(&format!("{BUCKET}/{k}#v1")))
                .collect(),
            told: told(&world.queue),
            journal: system_journal(&world.storage).await,
            emails,
            dead_letters,
        };
        Seen {
            email_repeats: sent.len() - state.emails.len(),
            state,
        }
    }
}

fn normalised(value: &impl serde::Serialize) -> Value {
    faults::normalised(serde_json::to_value(value).unwrap(), &["version"])
}

/// The bucket's objects. A report counts what the delivery that finished
/// the file did: after a takeover, lines an interrupted delivery applied
/// count as already applied and its automatic designations are not counted
/// again; those counts are left out.
fn objects(blobs: &MemoryBlobStore) -> BTreeMap<String, Value> {
    let per_delivery = ["auto_designated", "acknowledgements"];
    let objects = blobs.objects.lock().unwrap();
    objects
        .iter()
        .map(|((_, key), body)| {
            let body = serde_json::from_slice(body)
                .map(|json| faults::normalised(json, &per_delivery))
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into()));
            (key.clone(), body)
        })
        .collect()
}

fn told(queue: &MemoryQueue) -> BTreeMap<String, Value> {
    let mut told = BTreeMap::new();
    for body in queue.bodies() {
        let key = body["idempotency_key"].as_str().unwrap().to_string();
        let first = told.entry(key).or_insert_with(|| body.clone());
        assert_eq!(*first, body, "a repeat is the same message");
    }
    told
}

/// What the system journaled: (action, transmission) pairs, whatever
/// entries grouped them.
async fn system_journal(storage: &MemoryStorage) -> BTreeSet<(String, String)> {
    let entries = designa::app::journal::entries(storage, &"acme".into()).await;
    let entries = entries.unwrap().into_iter();
    let by_system = entries.filter(|e| e.user_id == designa::app::journal::SYSTEM);
    let pairs = by_system.flat_map(|e| {
        let ids = e
            .target
            .strip_prefix("answers:")
            .unwrap_or_default()
            .to_string();
        let ids: Vec<String> = ids.split(',').map(str::to_string).collect();
        ids.into_iter().map(move |id| (e.action.clone(), id))
    });
    pairs.collect()
}

/// As without faults; an e-mail goes twice at most once per fault: the
/// driver e-mail is at least once (module `acks`), a failure between the
/// e-mail and its record sends it again.
fn as_without_faults(expected: &Seen, actual: &Seen, faults: &[Injected]) {
    assert!(expected.state.dead_letters.is_empty());
    let json = |state: &State| serde_json::to_value(state).unwrap();
    let differences = faults::differences(&json(&expected.state), &json(&actual.state));
    assert!(differences.is_empty(), "{faults:#?}\n{differences:#?}");
    assert!(
        actual.email_repeats <= faults.len(),
        "{} repeats: {faults:#?}",
        actual.email_repeats
    );
}

async fn notices_through(faults: Faults, count: usize) -> Seen {
    let world = World::new().await;
    let keys = [notices_file(&world, count)];
    let dead_letters = deliver(&world, &faults, &keys).await;
    Seen::of(&world, &keys, dead_letters).await
}

async fn acknowledgements_through(faults: Faults) -> Seen {
    let world = World::new().await;
    let keys = [acknowledgements_file(&world)];
    let dead_letters = deliver(&world, &faults, &keys).await;
    Seen::of(&world, &keys, dead_letters).await
}

/// A file whose checksum does not match: quarantined with its report.
async fn refused_file_through(faults: Faults) -> Seen {
    let world = World::new().await;
    let damaged = String::from_utf8(file(&standard_notices())).unwrap();
    let damaged = damaged.replace("KANGOO", "MASTER").into_bytes();
    let keys = [world.drop_file("DEMANDES_DESIGNATION_2.txt", damaged)];
    let dead_letters = deliver(&world, &faults, &keys).await;
    Seen::of(&world, &keys, dead_letters).await
}

/// Both files in one batch, the notices file `count` notices long.
async fn both_through(faults: Faults, count: usize) -> Seen {
    let world = World::new().await;
    let keys = [notices_file(&world, count), acknowledgements_file(&world)];
    let dead_letters = deliver(&world, &faults, &keys).await;
    Seen::of(&world, &keys, dead_letters).await
}

#[tokio::test]
async fn a_fault_at_any_call_of_a_notices_file_leaves_what_a_fault_free_ingest_leaves() {
    let matrix = faults::each_call_failing_once(|f| notices_through(f, 5), as_without_faults).await;
    eprintln!("ingest, notices file: {matrix}");
    assert!(
        matrix.sites.contains_key("KeyVault::key_for_sealing"),
        "{matrix}"
    );
}

#[tokio::test]
async fn a_fault_at_any_call_of_an_acknowledgements_file_loses_nothing_and_repeats_only_the_driver_email(
) {
    let matrix = faults::each_call_failing_once(acknowledgements_through, as_without_faults).await;
    eprintln!("ingest, acknowledgements file: {matrix}");
    assert!(
        matrix.sites.contains_key("Mailer::send_templated"),
        "{matrix}"
    );
}

#[tokio::test]
async fn a_fault_at_any_call_of_a_refused_file_quarantines_it_as_without_faults() {
    let matrix = faults::each_call_failing_once(refused_file_through, as_without_faults).await;
    eprintln!("ingest, refused file: {matrix}");
    assert!(matrix.sites.contains_key("BlobStore::copy"), "{matrix}");
}

#[tokio::test]
async fn files_through_random_faults_end_as_without_faults() {
    let matrix =
        faults::seeded_random_failures(0..12, 5, |f| both_through(f, 60), as_without_faults).await;
    eprintln!("ingest, random: {matrix}");
    assert!(matrix.injected >= 6, "{matrix}");
}
