//! The purge through faults: one stream batch of TTL removals (two notices
//! of one outbound file, with a reminder, a digest entry, a delivery record
//! and a typed-in driver's key; an export; a fleet refresh; a removed
//! vehicle; a purge record; a deletion by code), each call failing in turn
//! (table, bucket, the key vault), then retried from the failed record as
//! Lambda does. What is left, and the purge records, end as without faults.

use super::*;
use designa::app::layout::delivery_id;
use designa::memory::faults::{self, Faults, Faulty, Injected};
use designa::memory::MemoryKeyVault;
use designa::ports::FleetStore;
use serde_json::Value;
use std::sync::Arc;

/// The event source mapping's `MaximumRetryAttempts` (template.yaml).
const MAX_RETRIES: u32 = 5;
const FILE: &str = "outbound/REPONSES_DESIGNATION_f-1.txt";

#[derive(Default)]
struct World {
    storage: Arc<MemoryStorage>,
    vault: Arc<MemoryKeyVault>,
    blobs: Arc<MemoryBlobStore>,
}

type FaultyPurge = Purge<
    Faulty<Arc<MemoryStorage>>,
    Faulty<Arc<MemoryBlobStore>>,
    FixedClock,
    Faulty<Arc<MemoryKeyVault>>,
>;

impl World {
    fn purge(&self, faults: &Faults) -> FaultyPurge {
        Purge {
            storage: faults.wrap(self.storage.clone()),
            blobs: faults.wrap(self.blobs.clone()),
            clock: FixedClock::at(purge_time()),
            vault: faults.wrap(self.vault.clone()),
            config: Config {
                bucket: BUCKET.into(),
                imports_prefix: "imports/".into(),
            },
        }
    }
}

/// Two notices sent in one file, already removed by the TTL; what the
/// first left behind (reminder, digest entry, delivery record, designee
/// key). Their removals, in expiry order.
async fn expired_notices(world: &World) -> Vec<EventRecord> {
    let storage = &world.storage;
    let (first, second) = two_notices_sent_in_one_file(&**storage, FILE).await;
    world.blobs.insert(BUCKET, FILE, "DETAIL;fictional");
    let event = "N-FIRST#still_open";
    for (partition, kind, id) in [
        (TENANT.to_string(), RecordKind::Reminder, event.to_string()),
        (
            DIGEST_PARTITIONS[0].into(),
            RecordKind::DigestEntry,
            format!("{TENANT}#sub-lyon#{event}"),
        ),
        (
            TENANT.into(),
            RecordKind::DigestEntry,
            delivery_id(event, "sub-lyon"),
        ),
    ] {
        let record = Record::new(&id, 1, &serde_json::json!({ "state": "sent" }));
        let partition = TenantId(partition);
        let written = storage.put_record(&partition, kind, &record, None).await;
        assert!(written.unwrap());
    }
    let designee = Subject::designee(&tenant(), "N-FIRST");
    world.vault.key_for_sealing(&designee).await.unwrap();
    storage.remove_notice("N-FIRST");
    storage.remove_notice("N-SECOND");
    let removal =
        |n: &StoredNotice, seq| ttl_removal(image(&NoticeItem::from(n)), seq, removal_time());
    vec![removal(&first, "100"), removal(&second, "103")]
}

/// An export, a fleet refresh, a removed vehicle, a purge record: their
/// removals, and a deletion by code (ignored).
async fn other_expired_items(world: &World) -> Vec<EventRecord> {
    let job = export_job(
        "e0000000000000000000000000000001",
        ExportStatus::Done,
        ExportFormat::Csv,
    );
    let refresh = "10000000000000000000000000000001";
    for key in [
        job.file_key.clone().unwrap(),
        format!("imports/{TENANT}/{refresh}.xlsx"),
        format!("import-results/{TENANT}/{refresh}.json"),
    ] {
        world.blobs.insert(BUCKET, &key, "bytes");
    }
    let vehicle = removed_vehicle();
    let storage = &world.storage;
    storage
        .remove_vehicle(&vehicle, removal_time(), removal_time())
        .await
        .unwrap();
    let mut vehicle_item = VehicleItem::new(&vehicle, removal_time());
    vehicle_item.expires_at = Some(removal_time().timestamp());
    let refresh = import_record(refresh, ImportKind::FleetRefresh, true);
    let proof = Record::new("0f0f", 1, &serde_json::json!({}));
    let export = record_image(RecordKind::Export, &export_record(&job));
    let mut by_code = ttl_removal(export.clone(), "102", removal_time());
    by_code.user_identity = None;
    vec![
        ttl_removal(export, "101", removal_time()),
        by_code,
        ttl_removal(
            record_image(RecordKind::Import, &refresh),
            "104",
            removal_time(),
        ),
        ttl_removal(image(&vehicle_item), "105", removal_time()),
        ttl_removal(
            record_image(RecordKind::Purge, &proof),
            "106",
            removal_time(),
        ),
    ]
}

fn removed_vehicle() -> Vehicle {
    let exit = NaiveDate::from_ymd_opt(2027, 10, 1).unwrap();
    Vehicle {
        tenant_id: tenant(),
        entity_id: "e-north".into(),
        vehicle_id: "v1".into(),
        plate: Plate::parse("EF-456-GH", "FRA").unwrap(),
        make: "RENAULT".into(),
        model: "CLIO".into(),
        entry_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        exit_on: Some(exit),
        pool: false,
        removed_on: Some(exit),
    }
}

/// What is left after the purge, and its proofs.
#[derive(Debug, PartialEq, serde::Serialize)]
struct State {
    /// Every record the purge may touch, purge records included.
    records: Vec<Value>,
    objects: Vec<String>,
    /// Data keys left in the vault.
    keys: Vec<String>,
    plate_held: bool,
    /// Records Lambda gave up on (the on-failure destination).
    given_up: Vec<String>,
}

/// A purge record counts what the attempt that wrote it deleted: after a
/// retry, the dependents an earlier attempt deleted are not counted again
/// (they are gone all the same); those counts are left out, and its expiry,
/// a year after the attempt.
async fn state(world: &World, given_up: Vec<EventRecord>) -> State {
    let per_attempt = [
        "reminder_records",
        "digest_entries",
        "delivery_records",
        "expires_at",
    ];
    let records = snapshot(&world.storage)
        .await
        .into_iter()
        .map(|(partition, kind, r)| {
            let json =
                serde_json::json!({ "partition": partition, "kind": kind.prefix(), "record": r });
            faults::normalised(json, &per_attempt)
        });
    let plate = removed_vehicle().plate.key();
    let holdings = world
        .storage
        .holdings(std::slice::from_ref(&plate))
        .await
        .unwrap();
    State {
        records: records.collect(),
        objects: world.blobs.keys(),
        keys: world
            .vault
            .wrapped
            .lock()
            .unwrap()
            .keys()
            .cloned()
            .collect(),
        plate_held: holdings.get(&plate).is_some_and(|h| !h.is_empty()),
        given_up: given_up
            .into_iter()
            .filter_map(|r| r.change.sequence_number)
            .collect(),
    }
}

async fn purged_through(faults: Faults) -> State {
    let world = World::default();
    let mut records = expired_notices(&world).await;
    records.extend(other_expired_items(&world).await);
    records.sort_by_key(|r| r.change.sequence_number.clone());
    let purge = &world.purge(&faults);
    let given_up = faults::retry_stream(records, MAX_RETRIES, |attempt, event| async move {
        purge
            .clock
            .set(purge_time() + chrono::Duration::seconds(attempt as i64));
        purge.handle(event).await
    })
    .await;
    state(&world, given_up).await
}

fn as_without_faults(expected: &State, actual: &State, faults: &[Injected]) {
    assert!(expected.given_up.is_empty() && !expected.plate_held);
    assert!(expected.objects.is_empty(), "{:?}", expected.objects);
    let json = |state: &State| serde_json::to_value(state).unwrap();
    let differences = faults::differences(&json(expected), &json(actual));
    assert!(differences.is_empty(), "{faults:#?}\n{differences:#?}");
}

#[tokio::test]
async fn a_fault_at_any_call_of_the_purge_leaves_nothing_behind_and_one_proof_per_item() {
    let matrix = faults::each_call_failing_once(purged_through, as_without_faults).await;
    eprintln!("purge: {matrix}");
    assert!(matrix.sites.contains_key("KeyVault::erase"), "{matrix}");
    assert!(
        matrix.sites.contains_key("FleetStore::delete_vehicle"),
        "{matrix}"
    );
}

#[tokio::test]
async fn the_purge_through_random_faults_ends_as_without_faults() {
    let matrix = faults::seeded_random_failures(0..200, 5, purged_through, as_without_faults).await;
    eprintln!("purge, random: {matrix}");
    assert!(matrix.injected >= 15, "{matrix}");
}
