//! The notifier through faults: a refusal, new notices, a reminder and an
//! SES complaint arrive on their queues, then the daily digest runs; each
//! call fails in turn (table, KMS through the sealed users, SES), and the
//! queues redeliver and the schedule retries as Lambda does. The e-mails
//! are the fault-free run's: at least once, and twice only when the failure
//! fell between an e-mail and its `sent` record (the protocol's promise).

use super::*;
use designa::memory::faults::{self, Faults, Faulty, Injected, SqsSource};
use designa::memory::MemoryKeyVault;
use designa::privacy::sealing::Sealing;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// `maxReceiveCount` of `NotificationsQueue` and `EmailFeedbackQueue`.
const MAX_RECEIVES: u32 = 5;

/// Their visibility timeout: a failed message comes back after it.
fn visibility() -> chrono::Duration {
    chrono::Duration::seconds(180)
}

/// The next morning's daily digest (07:30 Paris).
fn digest_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 6, 30, 0).unwrap()
}

#[derive(Default)]
struct World {
    storage: Arc<MemoryStorage>,
    vault: Arc<MemoryKeyVault>,
    mailer: Arc<MemoryMailer>,
}

type Sealed = Sealing<Faulty<Arc<MemoryStorage>>, Faulty<Arc<MemoryKeyVault>>>;
type FaultyNotifier = Notifier<Sealed, Faulty<Arc<MemoryMailer>>, FixedClock>;

impl World {
    /// Acme's users (sealed), boss's reminders in the daily digest, and an
    /// open notice to be reminded of.
    async fn new() -> World {
        let world = World::default();
        let storage = world.notifier(&Faults::new()).storage;
        team(&storage).await;
        let digest = Preferences {
            reminders: Delivery::DailyDigest,
            ..Preferences::default()
        };
        set_preferences(&storage, "boss", digest).await;
        open_notice(&storage, "7300000001").await;
        world
    }

    fn notifier(&self, faults: &Faults) -> FaultyNotifier {
        Notifier {
            storage: Sealing::new(
                faults.wrap(self.storage.clone()),
                faults.wrap(self.vault.clone()),
            ),
            mailer: faults.wrap(self.mailer.clone()),
            clock: FixedClock::at(now()),
            config: Config::for_tests(),
        }
    }
}

/// A queue's messages, delivered until handled or dead-lettered.
async fn deliver(notifier: &FaultyNotifier, bodies: &[String]) -> Vec<String> {
    let mut queue = SqsSource::new(MAX_RECEIVES);
    for body in bodies {
        queue.send(body.clone());
    }
    queue
        .drain(10, |round, event| async move {
            notifier.clock.set(now() + visibility() * round as i32);
            notifier.handle_event(event).await
        })
        .await;
    queue.dead_letters
}

/// The daily digest's run, retried (asynchronous invocation) until it
/// gets through.
async fn daily_digest(notifier: &FaultyNotifier) {
    for retry in 0..20 {
        notifier
            .clock
            .set(digest_time() + chrono::Duration::minutes(retry));
        if notifier.send_digests(DigestPeriod::Daily).await.is_ok() {
            return;
        }
    }
    panic!("the digest still fails after 20 runs");
}

/// What users see, and what the notifier keeps.
#[derive(Debug, PartialEq, serde::Serialize)]
struct State {
    /// E-mails sent: recipient, template and data, each at least once.
    emails: BTreeSet<String>,
    /// Delivery records by id: their state (`sent`).
    deliveries: BTreeMap<String, String>,
    /// Entries still waiting in the digests.
    waiting: Vec<String>,
    suppressed: Vec<String>,
    dead_letters: Vec<String>,
}

struct Seen {
    state: State,
    email_repeats: usize,
}

async fn seen(world: &World, dead_letters: Vec<String>) -> Seen {
    let sent: Vec<String> = world
        .mailer
        .templated
        .lock()
        .unwrap()
        .iter()
        .map(|m| format!("{} {} {}", m.to, m.template, m.data))
        .collect();
    let ids = |partition: &str, kind| {
        let storage = world.storage.clone();
        let partition = TenantId(partition.into());
        async move { storage.records(&partition, kind).await.unwrap() }
    };
    let deliveries = ids("acme", RecordKind::DigestEntry).await.into_iter();
    let deliveries = deliveries.map(|r| {
        let state = r.decode::<Value>().unwrap()["state"].to_string();
        (r.id, state)
    });
    let mut waiting = ids(DAILY_DIGESTS, RecordKind::DigestEntry).await;
    waiting.extend(ids(WEEKLY_DIGESTS, RecordKind::DigestEntry).await);
    let suppressed = ids(designa::notifications::PLATFORM, RecordKind::Suppression).await;
    let emails: BTreeSet<String> = sent.iter().cloned().collect();
    Seen {
        email_repeats: sent.len() - emails.len(),
        state: State {
            emails,
            deliveries: deliveries.collect(),
            waiting: waiting.into_iter().map(|r| r.id).collect(),
            suppressed: suppressed.into_iter().map(|r| r.id).collect(),
            dead_letters,
        },
    }
}

/// A refusal, new notices, a reminder (then the digest), and a complaint.
async fn notified_through(faults: Faults) -> Seen {
    let world = World::new().await;
    let notifier = &world.notifier(&faults);
    let complaint = json!({ "eventType": "Complaint", "complaint": {
        "complainedRecipients": [ { "emailAddress": "paris@transports-exemple.example" } ] } });
    let sns = json!({ "Type": "Notification", "Message": complaint.to_string() });
    let mut dead_letters = deliver(notifier, &[sns.to_string()]).await;
    let notifications = [
        refused("7100000002-1|refused"),
        received("inbound/f.txt#v1|acme|e-lyon", 3),
        reminder("7300000001", ReminderStep::StillOpen),
    ];
    let bodies: Vec<String> = notifications
        .iter()
        .map(|n| serde_json::to_string(n).unwrap())
        .collect();
    dead_letters.extend(deliver(notifier, &bodies).await);
    daily_digest(notifier).await;
    seen(&world, dead_letters).await
}

/// The fault-free run's state; each e-mail at least once, and a repeat
/// only for a fault between an e-mail and its `sent` record.
fn as_without_faults(expected: &Seen, actual: &Seen, faults: &[Injected]) {
    assert!(expected.state.dead_letters.is_empty());
    assert_eq!(expected.email_repeats, 0);
    faults::assert_state_equal_and_repeats_owed(
        &expected.state,
        &actual.state,
        actual.email_repeats,
        faults,
        &["Mailer::send_templated", "RecordStore::put_record"],
    );
}

#[tokio::test]
async fn a_fault_at_any_call_of_the_notifier_loses_no_email_and_repeats_one_only_between_sending_and_recording_it(
) {
    let matrix = faults::each_call_failing_once(notified_through, as_without_faults).await;
    eprintln!("notifier: {matrix}");
    assert!(matrix.sites.contains_key("KeyVault::key"), "{matrix}");
    assert!(
        matrix.sites.contains_key("RecordStore::delete_record"),
        "{matrix}"
    );
}

#[tokio::test]
async fn the_notifier_through_random_faults_ends_as_without_faults() {
    let matrix =
        faults::seeded_random_failures(0..40, 5, notified_through, as_without_faults).await;
    eprintln!("notifier, random: {matrix}");
    assert!(matrix.injected >= 5, "{matrix}");
}
