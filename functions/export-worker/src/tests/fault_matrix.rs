//! The export worker through faults: a queued job's delivery, with each
//! call failing in turn (table, KMS through the sealed requester and
//! designations, bucket, SES), then redelivered as the export queue does
//! (after its visibility timeout, longer than the job's lease). The job,
//! its file and the requester's e-mail end as without faults; the e-mail
//! goes twice only for a failure between sending it and recording it.

use super::*;
use designa::memory::faults::{self, Injected, SqsSource};
use designa::memory::MemoryKeyVault;
use designa::privacy::sealing::Sealing;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// `ExportQueue`'s visibility timeout (template.yaml): 90 minutes.
fn visibility() -> chrono::Duration {
    chrono::Duration::seconds(5400)
}

#[derive(Default)]
struct World {
    storage: Arc<MemoryStorage>,
    vault: Arc<MemoryKeyVault>,
    blobs: Arc<MemoryBlobStore>,
    mailer: Arc<MemoryMailer>,
}

type Sealed = Sealing<Faulty<Arc<MemoryStorage>>, Faulty<Arc<MemoryKeyVault>>>;
type FaultyWorker =
    ExportWorker<Sealed, Faulty<Arc<MemoryBlobStore>>, Faulty<Arc<MemoryMailer>>, FixedClock>;

impl World {
    /// A queued CSV export over `count` notices of every kind (designated
    /// drivers sealed, as in production).
    async fn new(count: usize) -> World {
        let world = World::default();
        let storage = world.worker(&Faults::new()).storage;
        let filters = ExportFilters::default();
        tenant_with_a_queued_job(&storage, ExportFormat::Csv, filters, Scope::AllEntities).await;
        let notices = fixtures::notices("88", count, TENANT, &["e-lyon", "e-nord"], now());
        for chunk in notices.chunks(25) {
            storage.put_notices(chunk).await.unwrap();
        }
        world
    }

    fn worker(&self, faults: &Faults) -> FaultyWorker {
        ExportWorker {
            storage: Sealing::new(
                faults.wrap(self.storage.clone()),
                faults.wrap(self.vault.clone()),
            ),
            blobs: faults.wrap(self.blobs.clone()),
            mailer: faults.wrap(self.mailer.clone()),
            clock: FixedClock::at(now()),
            config: Config::for_tests(),
        }
    }
}

/// What the requester sees, and what the journal proves.
#[derive(Debug, PartialEq, serde::Serialize)]
struct State {
    job: Value,
    files: BTreeMap<String, String>,
    /// E-mails sent, each at least once.
    emails: BTreeSet<String>,
    /// (user, action, target) journaled, each at least once.
    journal: BTreeSet<(String, String, String)>,
    dead_letters: Vec<String>,
}

struct Seen {
    state: State,
    email_repeats: usize,
}

async fn seen(world: &World, dead_letters: Vec<String>) -> Seen {
    let (job, _) = load_job(&*world.storage, &TENANT.into(), EXPORT_ID)
        .await
        .unwrap()
        .unwrap();
    let job = faults::normalised(serde_json::to_value(job).unwrap(), &[]);
    let files = world.blobs.objects.lock().unwrap().clone().into_iter();
    let files = files.map(|((_, key), body)| (key, String::from_utf8_lossy(&body).into()));
    let sent: Vec<String> = world
        .mailer
        .templated
        .lock()
        .unwrap()
        .iter()
        .map(|m| format!("{} {} {}", m.to, m.template, m.data))
        .collect();
    let entries = designa::app::journal::entries(&*world.storage, &TENANT.into()).await;
    let journal = entries.unwrap().into_iter();
    let journal = journal.map(|e| (e.user_id, e.action, e.target));
    let emails: BTreeSet<String> = sent.iter().cloned().collect();
    Seen {
        email_repeats: sent.len() - emails.len(),
        state: State {
            job,
            files: files.collect(),
            emails,
            journal: journal.collect(),
            dead_letters,
        },
    }
}

/// The job's message, delivered until handled or dead-lettered.
async fn exported_through(faults: Faults, count: usize) -> Seen {
    let world = World::new(count).await;
    let worker = &world.worker(&faults);
    let mut queue = SqsSource::new(MAX_RECEIVES);
    queue.send(json!({ "tenant_id": TENANT, "export_id": EXPORT_ID }).to_string());
    queue
        .drain(1, |round, event| async move {
            worker.clock.set(now() + visibility() * round as i32);
            worker.handle_event(event).await
        })
        .await;
    seen(&world, queue.dead_letters).await
}

/// The fault-free run's state; a repeat e-mail only for a fault between
/// sending it and recording the job as e-mailed.
fn as_without_faults(expected: &Seen, actual: &Seen, faults: &[Injected]) {
    assert!(expected.state.dead_letters.is_empty());
    assert_eq!(expected.state.job["status"], "done");
    faults::assert_state_equal_and_repeats_owed(
        &expected.state,
        &actual.state,
        actual.email_repeats,
        faults,
        &["Mailer::send_templated", "RecordStore::put_record"],
    );
}

#[tokio::test]
async fn a_fault_at_any_call_of_an_export_leaves_one_file_one_job_done_and_the_email_at_least_once()
{
    let matrix =
        faults::each_call_failing_once(|f| exported_through(f, 6), as_without_faults).await;
    eprintln!("export worker: {matrix}");
    assert!(matrix.sites.contains_key("KeyVault::key"), "{matrix}");
    assert!(matrix.sites.contains_key("BlobStore::put"), "{matrix}");
}

#[tokio::test]
async fn an_export_through_random_faults_ends_as_without_faults() {
    // A job makes few calls, however many notices: many runs, to meet faults.
    let matrix =
        faults::seeded_random_failures(0..300, 5, |f| exported_through(f, 6), as_without_faults)
            .await;
    eprintln!("export worker, random: {matrix}");
    assert!(matrix.injected >= 15, "{matrix}");
}
