//! The purge against the records the real producers leave: the reminder run
//! and the notification function write reminder records, digest entries and
//! delivery records in memory, and the purge of one expired notice takes
//! exactly that notice's along. Three functions at once, so it lives here
//! rather than in any one of them.

use aws_lambda_events::event::dynamodb::{Event, EventRecord};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::notice::Notice;
use designa::domain::plate::Plate;
use designa::domain::tenant::{Tenant, TenantSettings, User};
use designa::domain::TenantId;
use designa::memory::{FixedClock, MemoryBlobStore, MemoryMailer, MemoryQueue, MemoryStorage};
use designa::notifications::{Delivery, Notification, Preferences, PLATFORM};
use designa::ports::{NoticeStore, RecordStore, TenantStore};
use designa::store::{epoch_after, Record, RecordKind, StoredNotice};
use designa::table::NoticeItem;
use purge::*;
use serde::Serialize;

const BUCKET: &str = "exchange-test";
const TENANT: &str = "transports-exemple";
const EXPIRING: &str = "7400000001";
const STAYING: &str = "7400000002";

type TestPurge = Purge<MemoryStorage, MemoryBlobStore, FixedClock, designa::memory::MemoryKeyVault>;

/// When the purge runs (a TTL removal arrives within seconds to days).
fn purge_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 12, 20, 3, 15, 0).unwrap()
}

fn removal_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 12, 20, 3, 14, 7).unwrap()
}

fn purge_on(storage: MemoryStorage) -> TestPurge {
    Purge {
        storage,
        blobs: MemoryBlobStore::default(),
        clock: FixedClock::at(purge_time()),
        vault: designa::memory::MemoryKeyVault::default(),
        config: Config {
            bucket: BUCKET.into(),
            imports_prefix: "imports/".into(),
        },
    }
}

fn tenant() -> TenantId {
    TENANT.into()
}

fn batch(records: Vec<EventRecord>) -> Event {
    let mut event = Event::default();
    event.records = records;
    event
}

fn image<T: Serialize>(item: &T) -> serde_dynamo::Item {
    serde_dynamo::to_item(item).unwrap()
}

async fn purge_record(p: &TestPurge, partition: &str, pk: &str, sk: &str) -> Option<Record> {
    p.storage
        .record(&partition.into(), RecordKind::Purge, &purge_id(pk, sk))
        .await
        .unwrap()
}

fn decoded(record: &Record) -> PurgeRecord {
    record.decode().unwrap()
}

/// Every record the purge may read or write, to compare before and after.
async fn snapshot(storage: &MemoryStorage) -> Vec<(String, RecordKind, Record)> {
    let mut all = Vec::new();
    for partition in [TENANT, "_digest-daily", "_digest-weekly", PLATFORM] {
        for kind in [
            RecordKind::Reminder,
            RecordKind::DigestEntry,
            RecordKind::Export,
            RecordKind::Import,
            RecordKind::Purge,
        ] {
            for r in storage.records(&partition.into(), kind).await.unwrap() {
                all.push((partition.to_string(), kind, r));
            }
        }
    }
    all
}

async fn ids(storage: &MemoryStorage, partition: &str, kind: RecordKind) -> Vec<String> {
    storage
        .records(&partition.into(), kind)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

fn notice(number: &str) -> StoredNotice {
    StoredNotice::routed(
        Notice::sample(
            number,
            Plate::parse("AB-123-CD", "FRA").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        ),
        tenant(),
        "e-lyon".into(),
        "v1".into(),
        Utc.with_ymd_and_hms(2026, 11, 4, 7, 0, 0).unwrap(),
        "inbound/f.txt".into(),
    )
}

/// Two open notices (last day 17/12/2026) of one tenant whose designation
/// user gets reminders in the daily digest and the rest at once; the real
/// reminder run (10/11: still open; 10/12: deadline in 7 days) and the real
/// notification function leave reminder records, digest entries and
/// delivery records; ANTAI also refused an answer to the expiring notice.
async fn notices_with_reminders() -> MemoryStorage {
    let storage = MemoryStorage::default();
    storage
        .create_tenant(&Tenant {
            tenant_id: tenant(),
            name: "Transports Exemple".into(),
            settings: TenantSettings {
                remind_open_after_days: 5,
                ..TenantSettings::default()
            },
            ended_on: None,
        })
        .await
        .unwrap();
    storage
        .put_user(&User {
            tenant_id: tenant(),
            user_id: "sub-lyon".into(),
            email: "camille.exemple@transports-exemple.example".into(),
            first_name: "Camille".into(),
            last_name: "Exemple".into(),
            active: true,
            grants: vec![Grant {
                role: Role::Designation,
                scope: Scope::AllEntities,
                until: None,
            }],
            sealed: None,
        })
        .await
        .unwrap();
    let preferences = Preferences {
        new_notices: Delivery::Never,
        reminders: Delivery::DailyDigest,
        deadline_approaching: Delivery::Immediately,
        answer_in_error: Delivery::Immediately,
        ..Preferences::default()
    };
    storage
        .put_record(
            &tenant(),
            RecordKind::NotificationPreferences,
            &Record::new("sub-lyon", 1, &preferences),
            None,
        )
        .await
        .unwrap();
    storage
        .put_notices(&[notice(EXPIRING), notice(STAYING)])
        .await
        .unwrap();

    let reminders = reminders::Reminders {
        storage,
        queue: MemoryQueue::default(),
        clock: FixedClock::at(Utc.with_ymd_and_hms(2026, 11, 10, 8, 0, 0).unwrap()),
        config: reminders::Config {
            notifications_queue_url: "https://sqs.test/notifications".into(),
        },
    };
    reminders.run().await.unwrap();
    reminders
        .clock
        .set(Utc.with_ymd_and_hms(2026, 12, 10, 8, 0, 0).unwrap());
    reminders.run().await.unwrap();
    let messages = reminders.queue.bodies();
    assert_eq!(messages.len(), 4, "two steps for each notice: {messages:?}");

    let notifier = notifier::Notifier {
        storage: reminders.storage,
        mailer: MemoryMailer::default(),
        clock: FixedClock::at(Utc.with_ymd_and_hms(2026, 12, 10, 8, 5, 0).unwrap()),
        config: notifier::Config::for_tests(),
    };
    for message in messages {
        notifier.handle_message(&message.to_string()).await.unwrap();
    }
    notifier
        .notify(&Notification::AnswerRefused {
            idempotency_key: format!("{EXPIRING}-1|refused"),
            tenant_id: TENANT.into(),
            entity_id: "e-lyon".into(),
            notice_number: EXPIRING.into(),
            transmission_id: format!("{EXPIRING}-1"),
            code: "E017".into(),
            field: Some("code_postal".into()),
            label: "Code postal inconnu".into(),
            deadline: NaiveDate::from_ymd_opt(2026, 12, 17).unwrap(),
        })
        .await
        .unwrap();
    notifier.storage
}

fn notice_removal(number: &str, sequence: &str) -> EventRecord {
    ttl_removal(
        image(&NoticeItem::from(&notice(number))),
        sequence,
        removal_time(),
    )
}

#[tokio::test]
async fn an_expired_notice_takes_its_reminders_digest_entries_and_deliveries_along() {
    let storage = notices_with_reminders().await;
    // What the producers wrote, as the purge expects to find it.
    assert_eq!(
        ids(&storage, TENANT, RecordKind::Reminder).await,
        [
            format!("{EXPIRING}#deadline_in_7_days"),
            format!("{EXPIRING}#still_open"),
            format!("{STAYING}#deadline_in_7_days"),
            format!("{STAYING}#still_open"),
        ]
    );
    assert_eq!(
        ids(&storage, "_digest-daily", RecordKind::DigestEntry).await,
        [
            format!("{TENANT}#sub-lyon#{EXPIRING}#still_open"),
            format!("{TENANT}#sub-lyon#{STAYING}#still_open"),
        ]
    );
    assert_eq!(
        ids(&storage, TENANT, RecordKind::DigestEntry).await,
        [
            format!("~delivery#{EXPIRING}#deadline_in_7_days#sub-lyon"),
            format!("~delivery#{EXPIRING}-1|refused#sub-lyon"),
            format!("~delivery#{STAYING}#deadline_in_7_days#sub-lyon"),
        ]
    );
    let p = purge_on(storage);
    // Both notices had a driver typed into their answer: a data key each.
    use designa::privacy::{KeyVault, Subject};
    let tenant = TenantId(TENANT.into());
    for number in [EXPIRING, STAYING] {
        p.vault
            .key_for_sealing(&Subject::designee(&tenant, number))
            .await
            .unwrap();
    }

    let report = p
        .handle_event(batch(vec![notice_removal(EXPIRING, "100")]))
        .await;

    assert_eq!(report.purged, 1, "{report:?}");
    let key_of = |number: &str| Subject::designee(&tenant, number);
    assert!(
        p.vault.key(&key_of(EXPIRING)).await.unwrap().is_none(),
        "crypto-shredded"
    );
    assert!(p.vault.key(&key_of(STAYING)).await.unwrap().is_some());
    assert_eq!(report.failed_at, None);
    // Only the other notice's records are left.
    assert_eq!(
        ids(&p.storage, TENANT, RecordKind::Reminder).await,
        [
            format!("{STAYING}#deadline_in_7_days"),
            format!("{STAYING}#still_open"),
        ]
    );
    assert_eq!(
        ids(&p.storage, "_digest-daily", RecordKind::DigestEntry).await,
        [format!("{TENANT}#sub-lyon#{STAYING}#still_open")]
    );
    assert_eq!(
        ids(&p.storage, TENANT, RecordKind::DigestEntry).await,
        [format!("~delivery#{STAYING}#deadline_in_7_days#sub-lyon")]
    );
    assert!(p.blobs.deleted().is_empty());

    let stored = purge_record(&p, TENANT, &format!("NOTICE#{EXPIRING}"), "NOTICE")
        .await
        .expect("a purge record in the tenant's partition");
    assert_eq!(
        stored.expires_at,
        Some(epoch_after(purge_time(), PURGE_RECORD_DAYS))
    );
    let proof = decoded(&stored);
    assert_eq!(
        proof,
        PurgeRecord {
            item_type: "NOTICE".into(),
            tenant_id: Some(TENANT.into()),
            removed_at: removal_time(),
            expired_at: Some(NoticeItem::from(&notice(EXPIRING)).expires_at),
            sequence_number: Some("100".into()),
            purged_at: purge_time(),
            deleted: Deleted {
                reminder_records: 2,
                digest_entries: 1,
                delivery_records: 2,
                objects: vec![],
                designee_key_erased: true,
                plate_holding: false,
            },
        }
    );
    // No personal data, not even the notice's number or the plate.
    let text = serde_json::to_string(&stored).unwrap();
    for personal in [EXPIRING, "AB-123-CD", "AB123CD", "Camille", "Exemple", "@"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
}

#[tokio::test]
async fn a_replayed_batch_changes_nothing() {
    let p = purge_on(notices_with_reminders().await);
    let event = || batch(vec![notice_removal(EXPIRING, "100")]);
    assert_eq!(p.handle_event(event()).await.purged, 1);
    let before = snapshot(&p.storage).await;

    // Any write would fail the replay: none is made.
    for write in ["put_record", "delete_record"] {
        p.storage.fail_next(write);
        p.clock.set(purge_time() + chrono::Duration::hours(2));
        let report = p.handle_event(event()).await;
        assert_eq!(
            report,
            BatchReport {
                already_purged: 1,
                ..BatchReport::default()
            },
            "replay with {write} failing"
        );
        assert_eq!(snapshot(&p.storage).await, before);
    }
}
