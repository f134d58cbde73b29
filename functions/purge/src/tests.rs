//! TTL removals against the in-memory ports: what each kind of item leaves
//! behind is written by the real producers (reminders, notifier, API
//! types), then purged; replays, other stream records and failures.

use super::*;
use chrono::{NaiveDate, TimeZone};
use designa::app::exports::{export_key, ExportFilters, ExportJob, ExportStatus};
use designa::app::imports::{ImportKind, ImportRecord, ImportStatus};
use designa::domain::access::Scope;
use designa::domain::notice::Notice;
use designa::domain::plate::Plate;
use designa::memory::{FixedClock, MemoryBlobStore, MemoryStorage};

use designa::ports::{AnswerStore, NoticeStore, RecordStore};
use designa::store::StoredNotice;
use designa::table::NoticeItem;

const BUCKET: &str = "exchange-test";
const TENANT: &str = "transports-exemple";
const SAMPLE_EVENT: &str = include_str!("../../../events/purge-ttl-removal.json");

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

fn record_image(kind: RecordKind, record: &Record) -> serde_dynamo::Item {
    image(&RecordItem::new(&tenant(), kind, record))
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

// ---------------------------------------------------------------- notices

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

#[test]
fn only_this_notices_events_match() {
    for (key, about) in [
        ("7400000001#still_open", true),
        ("7400000001#deadline_in_2_days", true),
        ("7400000001-1|refused", true),
        ("7400000001-12|refused", true),
        ("74000000012#still_open", false),
        ("74000000012-1|refused", false),
        ("7400000001-|refused", false),
        ("7400000001-1|sent", false),
        ("digest-2026-12-10", false),
        ("inbound/f.txt|transports-exemple|e-lyon", false),
    ] {
        assert_eq!(event_about_notice(key, "7400000001"), about, "{key}");
    }
    assert!(!digest_entry_about(
        "other-tenant#sub-1#7400000001#still_open",
        &tenant(),
        "7400000001"
    ));
    assert!(!delivery_about(
        "~delivery#digest-2026-W50#sub-lyon",
        "7400000001"
    ));
}

// ---------------------------------------------------------------- exports and imports

fn export_job(id: &str, status: ExportStatus, format: ExportFormat) -> ExportJob {
    let created_at = Utc.with_ymd_and_hms(2027, 11, 20, 9, 0, 0).unwrap();
    let done = status == ExportStatus::Done;
    ExportJob {
        export_id: id.into(),
        status,
        format,
        filters: ExportFilters::default(),
        scope: Scope::AllEntities,
        created_by: "sub-lyon".into(),
        created_at,
        updated_at: created_at,
        period_from: created_at - chrono::Duration::days(365),
        rows_total: 12,
        rows_done: if done { 12 } else { 3 },
        file_key: done.then(|| export_key(&tenant(), id, format)),
        file_size: done.then_some(4096),
        finished_at: done.then_some(created_at),
        expires_at: done.then(|| created_at + chrono::Duration::days(7)),
        emailed: done,
        message: None,
    }
}

fn export_record(job: &ExportJob) -> Record {
    let mut record = Record::new(&job.export_id, 4, job);
    record.expires_at = Some(epoch_after(job.created_at, 30));
    record
}

#[tokio::test]
async fn an_expired_export_takes_its_file_along() {
    let p = purge_on(MemoryStorage::default());
    let done = export_job(
        "e0000000000000000000000000000001",
        ExportStatus::Done,
        ExportFormat::Xlsx,
    );
    // Its worker wrote part of the file, then the job expired.
    let running = export_job(
        "e0000000000000000000000000000002",
        ExportStatus::Running,
        ExportFormat::Csv,
    );
    let queued = export_job(
        "e0000000000000000000000000000003",
        ExportStatus::Queued,
        ExportFormat::Xlsx,
    );
    let kept = export_job(
        "e0000000000000000000000000000004",
        ExportStatus::Done,
        ExportFormat::Csv,
    );
    for job in [&done, &running, &kept] {
        p.blobs.insert(
            BUCKET,
            &export_key(&tenant(), &job.export_id, job.format),
            "rows",
        );
    }
    let removals = export_removals(&[&done, &running, &queued]);

    let report = p.handle_event(batch(removals)).await;

    assert_eq!(report.purged, 3, "{report:?}");
    assert_eq!(
        p.blobs.keys(),
        [format!("exports/{TENANT}/{}.csv", kept.export_id)]
    );
    assert_eq!(
        p.blobs.deleted(),
        [
            format!("exports/{TENANT}/{}.xlsx", done.export_id),
            format!("exports/{TENANT}/{}.csv", running.export_id),
        ]
    );
    for (job, objects) in [
        (
            &done,
            vec![format!("exports/{TENANT}/{}.xlsx", done.export_id)],
        ),
        (
            &running,
            vec![format!("exports/{TENANT}/{}.csv", running.export_id)],
        ),
        (&queued, vec![]),
    ] {
        assert_export_purge_proof(&p, job, objects).await;
    }
}

/// The TTL removals of these export jobs' records, one stream record each.
fn export_removals(jobs: &[&ExportJob]) -> Vec<EventRecord> {
    jobs.iter()
        .enumerate()
        .map(|(i, job)| {
            ttl_removal(
                record_image(RecordKind::Export, &export_record(job)),
                &format!("20{i}"),
                removal_time(),
            )
        })
        .collect()
}

/// The purge's proof for `job`: an export of the tenant, when it expired,
/// the `objects` deleted with it, and nothing of who asked for it.
async fn assert_export_purge_proof(p: &TestPurge, job: &ExportJob, objects: Vec<String>) {
    let stored = purge_record(
        p,
        TENANT,
        &format!("TENANT#{TENANT}"),
        &format!("EXPORT#{}", job.export_id),
    )
    .await
    .unwrap();
    let proof = decoded(&stored);
    assert_eq!(proof.item_type, "EXPORT");
    assert_eq!(proof.tenant_id.as_deref(), Some(TENANT));
    assert_eq!(proof.expired_at, Some(epoch_after(job.created_at, 30)));
    assert_eq!(proof.deleted.objects, objects);
    let text = serde_json::to_string(&stored).unwrap();
    assert!(!text.contains("sub-lyon"), "{text}");
}

fn import_record(id: &str, kind: ImportKind, upload: bool) -> Record {
    let at = Utc.with_ymd_and_hms(2027, 11, 20, 9, 0, 0).unwrap();
    let import = ImportRecord {
        import_id: id.into(),
        kind,
        status: ImportStatus::AwaitingApply,
        partial: false,
        created_by: "sub-lyon".into(),
        created_at: at,
        updated_at: at,
        rows_total: 3,
        rows_done: 0,
        errors: vec![],
        errors_total: 0,
        message: None,
        diff: None,
        upload_key: upload.then(|| format!("imports/{TENANT}/{id}.xlsx")),
    };
    let mut record = Record::new(id, 3, &import);
    record.expires_at = Some(epoch_after(at, 30));
    record
}

#[tokio::test]
async fn an_expired_import_takes_its_workbook_and_its_diff_along() {
    let p = purge_on(MemoryStorage::default());
    let refresh = "10000000000000000000000000000001";
    let inline = "10000000000000000000000000000002";
    let other = "10000000000000000000000000000003";
    for key in [
        format!("imports/{TENANT}/{refresh}.xlsx"),
        format!("import-results/{TENANT}/{refresh}.json"),
        format!("imports/{TENANT}/{other}.xlsx"),
        format!("import-results/{TENANT}/{other}.json"),
    ] {
        p.blobs.insert(BUCKET, &key, "bytes");
    }

    let report = p
        .handle_event(batch(vec![
            ttl_removal(
                record_image(
                    RecordKind::Import,
                    &import_record(refresh, ImportKind::FleetRefresh, true),
                ),
                "300",
                removal_time(),
            ),
            // An inline vehicles import: no upload, no diff.
            ttl_removal(
                record_image(
                    RecordKind::Import,
                    &import_record(inline, ImportKind::Vehicles, false),
                ),
                "301",
                removal_time(),
            ),
        ]))
        .await;

    assert_eq!(report.purged, 2, "{report:?}");
    assert_eq!(
        p.blobs.keys(),
        [
            format!("import-results/{TENANT}/{other}.json"),
            format!("imports/{TENANT}/{other}.xlsx"),
        ]
    );
    let proof = decoded(
        &purge_record(
            &p,
            TENANT,
            &format!("TENANT#{TENANT}"),
            &format!("IMPORT#{refresh}"),
        )
        .await
        .unwrap(),
    );
    assert_eq!(proof.item_type, "IMPORT");
    assert_eq!(
        proof.deleted.objects,
        [
            format!("import-results/{TENANT}/{refresh}.json"),
            format!("imports/{TENANT}/{refresh}.xlsx"),
        ]
    );
    let proof = decoded(
        &purge_record(
            &p,
            TENANT,
            &format!("TENANT#{TENANT}"),
            &format!("IMPORT#{inline}"),
        )
        .await
        .unwrap(),
    );
    assert_eq!(proof.deleted, Deleted::default());
}

#[tokio::test]
async fn an_object_outside_the_tenants_prefixes_is_left_alone() {
    let p = purge_on(MemoryStorage::default());
    let mut removals = Vec::new();
    for (i, key) in ["inbound/ANTAI.txt", "exports/other-tenant/x.xlsx"]
        .into_iter()
        .enumerate()
    {
        p.blobs.insert(BUCKET, key, "keep");
        let mut job = export_job(
            &format!("e000000000000000000000000000002{i}"),
            ExportStatus::Done,
            ExportFormat::Xlsx,
        );
        job.file_key = Some(key.into());
        removals.push(ttl_removal(
            record_image(RecordKind::Export, &export_record(&job)),
            &format!("80{i}"),
            removal_time(),
        ));
    }
    let report = p.handle_event(batch(removals)).await;
    assert_eq!(report.purged, 2, "{report:?}");
    assert!(p.blobs.deleted().is_empty());
    assert_eq!(p.blobs.keys().len(), 2);
}

// ---------------------------------------------------------------- other stream records

#[tokio::test]
async fn removals_by_a_function_and_other_changes_are_ignored() {
    let p = purge_on(MemoryStorage::default());
    let job = export_job(
        "e0000000000000000000000000000005",
        ExportStatus::Done,
        ExportFormat::Xlsx,
    );
    let key = export_key(&tenant(), &job.export_id, job.format);
    p.blobs.insert(BUCKET, &key, "rows");
    let removal = || {
        ttl_removal(
            record_image(RecordKind::Export, &export_record(&job)),
            "400",
            removal_time(),
        )
    };

    // A DeleteItem by a function: no service identity.
    let mut deleted_by_code = removal();
    deleted_by_code.user_identity = None;
    // Some other service (not the TTL).
    let mut other_service = removal();
    other_service.user_identity.as_mut().unwrap().principal_id = "backup.amazonaws.com".into();
    let mut modified = removal();
    modified.event_name = "MODIFY".into();
    let mut inserted = removal();
    inserted.event_name = "INSERT".into();

    let report = p
        .handle_event(batch(vec![
            deleted_by_code,
            other_service,
            modified,
            inserted,
        ]))
        .await;

    assert_eq!(
        report,
        BatchReport {
            ignored: 4,
            ..BatchReport::default()
        }
    );
    assert_eq!(p.blobs.keys(), [key]);
    assert!(snapshot(&p.storage).await.is_empty());
}

#[tokio::test]
async fn items_without_dependents_get_a_purge_record_and_purge_records_none() {
    let p = purge_on(MemoryStorage::default());
    // A journal entry (tenant partition) and an inbound file record (no tenant).
    let mut entry = Record::new("000000000042", 1, &serde_json::json!({ "action": "read" }));
    entry.expires_at = Some(1_800_000_000);
    let file: serde_dynamo::Item = image(&designa::table::FileItem {
        pk: "FILE#exchange/inbound/f.txt#v1".into(),
        sk: "FILE".into(),
        item_type: "FILE".into(),
        status: designa::store::FileStatus::Processed,
        lease_until: None,
        outcome: None,
        expires_at: 1_800_000_000,
    });
    let report = p
        .handle_event(batch(vec![
            ttl_removal(
                record_image(RecordKind::Journal, &entry),
                "500",
                removal_time(),
            ),
            ttl_removal(file, "501", removal_time()),
        ]))
        .await;
    assert_eq!(report.purged, 2, "{report:?}");
    let journal = decoded(
        &purge_record(
            &p,
            TENANT,
            &format!("TENANT#{TENANT}"),
            "JOURNAL#000000000042",
        )
        .await
        .unwrap(),
    );
    assert_eq!(journal.item_type, "JOURNAL");
    assert_eq!(journal.deleted, Deleted::default());
    let file = decoded(
        &purge_record(&p, PLATFORM, "FILE#exchange/inbound/f.txt#v1", "FILE")
            .await
            .unwrap(),
    );
    assert_eq!((file.item_type.as_str(), file.tenant_id), ("FILE", None));

    // The journal entry's purge record expires in its turn: nothing more.
    let proof = p
        .storage
        .record(
            &tenant(),
            RecordKind::Purge,
            &purge_id(&format!("TENANT#{TENANT}"), "JOURNAL#000000000042"),
        )
        .await
        .unwrap()
        .unwrap();
    let before = snapshot(&p.storage).await;
    let report = p
        .handle_event(batch(vec![ttl_removal(
            record_image(RecordKind::Purge, &proof),
            "502",
            removal_time(),
        )]))
        .await;
    assert_eq!(report.purge_records_expired, 1, "{report:?}");
    assert_eq!(snapshot(&p.storage).await, before);
}

/// A kept response that expires erases the replay key of the day before
/// (all of that day's responses are gone), keeps the key of its own day
/// (later ones of it may still be replayed), and leaves no purge record.
#[tokio::test]
async fn an_expired_idempotency_key_erases_the_replay_key_of_the_day_before_and_leaves_no_proof() {
    use designa::privacy::{KeyVault, Subject};
    let p = purge_on(MemoryStorage::default());
    let day = chrono::NaiveDate::from_ymd_opt(2027, 12, 19).unwrap();
    let [before, kept_on] =
        [day - chrono::Duration::days(1), day].map(|d| Subject::replay(&tenant(), d));
    for subject in [&before, &kept_on] {
        p.vault.key_for_sealing(subject).await.unwrap();
    }
    let mut key = Record::new(
        "admin#9f86d081884c7d65",
        2,
        &serde_json::json!({ "fingerprint": "ab12", "created_on": day,
            "response": { "status": 201, "headers": [], "body": "", "body_kept": true } }),
    );
    key.expires_at = Some(1_800_000_000);
    let removal = ttl_removal(
        record_image(RecordKind::Idempotency, &key),
        "600",
        removal_time(),
    );
    for replayed in [false, true] {
        let report = p.handle_event(batch(vec![removal.clone()])).await;
        assert_eq!(
            report.replays_expired, 1,
            "replayed: {replayed}, {report:?}"
        );
    }
    assert_eq!(p.vault.key(&before).await.unwrap(), None);
    assert!(p.vault.key(&kept_on).await.unwrap().is_some());
    assert!(snapshot(&p.storage).await.is_empty(), "no purge record");
}

// ---------------------------------------------------------------- failures

async fn export_purged(p: &TestPurge, job: &ExportJob) -> Option<Record> {
    purge_record(
        p,
        TENANT,
        &format!("TENANT#{TENANT}"),
        &format!("EXPORT#{}", job.export_id),
    )
    .await
}

#[tokio::test]
async fn a_failure_stops_the_batch_and_names_the_first_failed_record() {
    let p = purge_on(MemoryStorage::default());
    let jobs: Vec<ExportJob> = (1..=3)
        .map(|i| {
            export_job(
                &format!("e000000000000000000000000000001{i}"),
                ExportStatus::Done,
                ExportFormat::Xlsx,
            )
        })
        .collect();
    for job in &jobs {
        p.blobs
            .insert(BUCKET, job.file_key.as_deref().unwrap(), "rows");
    }
    let event = || {
        batch(
            jobs.iter()
                .enumerate()
                .map(|(i, job)| {
                    ttl_removal(
                        record_image(RecordKind::Export, &export_record(job)),
                        &format!("6000000000000000000000{i}"),
                        removal_time(),
                    )
                })
                .collect(),
        )
    };
    p.blobs.refuse_delete_of(jobs[1].file_key.clone());

    let report = p.handle_event(event()).await;

    assert_eq!(report.purged, 1);
    assert_eq!(report.failed_at.as_deref(), Some("60000000000000000000001"));
    assert_eq!(
        serde_json::to_value(report.response()).unwrap(),
        serde_json::json!({ "batchItemFailures": [{ "itemIdentifier": "60000000000000000000001" }] })
    );
    // The first is done; the failed one and the one after it are untouched.
    assert!(export_purged(&p, &jobs[0]).await.is_some());
    assert!(export_purged(&p, &jobs[1]).await.is_none());
    assert!(export_purged(&p, &jobs[2]).await.is_none());
    assert_eq!(p.blobs.keys().len(), 2);

    // Lambda retries the batch: the first is recognised, the rest purged.
    p.blobs.refuse_delete_of(None);
    let report = p.handle_event(event()).await;
    assert_eq!((report.already_purged, report.purged), (1, 2));
    assert!(report.response().batch_item_failures.is_empty());
    assert!(p.blobs.keys().is_empty());
}

#[tokio::test]
async fn an_item_that_cannot_be_read_fails_its_record() {
    let p = purge_on(MemoryStorage::default());
    let report = p
        .handle_event(batch(vec![ttl_removal(
            serde_dynamo::Item::from(HashMap::<String, serde_dynamo::AttributeValue>::new()),
            "700",
            removal_time(),
        )]))
        .await;
    assert_eq!(report.failed_at.as_deref(), Some("700"));
}

// ---------------------------------------------------------------- the sample event and the producers' names

#[tokio::test]
async fn the_sample_event_purges_what_it_names() {
    let event: Event = serde_json::from_str(SAMPLE_EVENT).unwrap();
    let images: Vec<&serde_dynamo::Item> =
        event.records.iter().map(|r| &r.change.old_image).collect();
    // Its items are the real ones.
    let notice: NoticeItem = serde_dynamo::from_item(images[0].clone()).unwrap();
    let export: RecordItem = serde_dynamo::from_item(images[1].clone()).unwrap();
    let export: ExportJob = export.record.decode().unwrap();
    let import: RecordItem = serde_dynamo::from_item(images[2].clone()).unwrap();
    let import: ImportRecord = import.record.decode().unwrap();

    let storage = MemoryStorage::default();
    let reminder = format!("{}#still_open", notice.data.notice.notice_number);
    storage
        .put_record(
            &notice.data.tenant_id,
            RecordKind::Reminder,
            &Record::new(&reminder, 1, &serde_json::json!({})),
            None,
        )
        .await
        .unwrap();
    let p = purge_on(storage);
    let export_file = export.file_key.clone().unwrap();
    let upload = import.upload_key.clone().unwrap();
    for key in [&export_file, &upload] {
        p.blobs.insert(BUCKET, key, "bytes");
    }

    let report = p.handle_event(event).await;

    assert_eq!(
        report,
        BatchReport {
            purged: 3,
            ignored: 1,
            ..BatchReport::default()
        }
    );
    assert!(p
        .storage
        .record(&notice.data.tenant_id, RecordKind::Reminder, &reminder)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        p.blobs.deleted(),
        [
            export_file,
            format!(
                "import-results/{}/{}.json",
                notice.data.tenant_id, import.import_id
            ),
            upload,
        ]
    );
    assert!(p.blobs.keys().is_empty());
}

#[test]
fn names_agree_with_their_producers() {
    assert_eq!(
        RecordKind::Purge.prefix(),
        "PURGE",
        "docs/data-model.md names it"
    );
    assert_ne!(
        purge_id("NOTICE#7400000001", "NOTICE"),
        purge_id("NOTICE#7400000002", "NOTICE")
    );
    assert_ne!(purge_id("A#B", "C"), purge_id("A", "B#C"));
}

/// A notice whose answer went out in `batch_id`'s file `file_key`.
fn sent_notice(number: &str, batch_id: &str, file_key: &str) -> StoredNotice {
    use designa::answering::{claim, mark_sent, submit, Claim, Submission};
    use designa::domain::answer::{AnswerBody, OtherAnswer};
    let mut n = notice(number);
    let at = Utc.with_ymd_and_hms(2026, 11, 5, 9, 0, 0).unwrap();
    let submission = Submission {
        body: AnswerBody::Other(OtherAnswer::VehicleUnknown),
        driver_id: None,
        by: "u1".into(),
        notify_driver: None,
    };
    submit(&mut n, submission, &Default::default(), at).unwrap();
    let later = at + chrono::Duration::hours(5);
    assert_eq!(claim(&mut n, 1, batch_id, later), Claim::Taken);
    assert!(mark_sent(&mut n, batch_id, "f-1", file_key, later));
    n
}

/// Two notices, `N-FIRST` and `N-SECOND`, sent together in batch `b-1`'s
/// `file`, its batch closed: what the answer jobs leave behind.
async fn two_notices_sent_in_one_file<S: NoticeStore + AnswerStore>(
    storage: &S,
    file: &str,
) -> (StoredNotice, StoredNotice) {
    use designa::store::{BatchPhase, OutboundBatch};
    let first = sent_notice("N-FIRST", "b-1", file);
    let second = sent_notice("N-SECOND", "b-1", file);
    storage
        .put_notices(&[first.clone(), second.clone()])
        .await
        .unwrap();
    let batch_record = OutboundBatch {
        batch_id: "b-1".into(),
        created_at: Utc.with_ymd_and_hms(2026, 11, 5, 14, 0, 0).unwrap(),
        phase: BatchPhase::Done,
        candidates: vec![],
        members: vec!["N-FIRST-1".into(), "N-SECOND-1".into()],
        file_key: file.into(),
    };
    assert!(storage.put_open_batch(&batch_record, None).await.unwrap());
    storage.close_batch(&batch_record).await.unwrap();
    (first, second)
}

#[tokio::test]
async fn the_last_notice_of_an_outbound_file_to_expire_takes_the_file_along() {
    let file = "outbound/REPONSES_DESIGNATION_f-1.txt";
    let storage = MemoryStorage::default();
    let (first, second) = two_notices_sent_in_one_file(&storage, file).await;
    let p = purge_on(storage);
    p.blobs.insert(BUCKET, file, "DETAIL;fictional");

    // The first expires: the file still carries the second.
    p.storage.remove_notice("N-FIRST");
    let image_of =
        |n: &StoredNotice, seq: &str| ttl_removal(image(&NoticeItem::from(n)), seq, removal_time());
    let report = p.handle_event(batch(vec![image_of(&first, "200")])).await;
    assert_eq!(report.purged, 1, "{report:?}");
    assert!(p.blobs.get(BUCKET, file).is_some());

    // The second expires: nothing the file carried is left.
    p.storage.remove_notice("N-SECOND");
    let report = p.handle_event(batch(vec![image_of(&second, "201")])).await;
    assert_eq!(report.purged, 1, "{report:?}");
    assert!(p.blobs.get(BUCKET, file).is_none());
    let stored = purge_record(&p, TENANT, "NOTICE#N-SECOND", "NOTICE")
        .await
        .unwrap();
    assert_eq!(decoded(&stored).deleted.objects, vec![file.to_string()]);
}

/// A removed vehicle's TTL ends its smart-exit grace: its holding goes, so
/// later notices of the plate are unrouted, and the plate may be taken.
#[tokio::test]
async fn a_removed_vehicle_gone_by_ttl_frees_its_plate() {
    use designa::ports::FleetStore;
    use designa::store::Vehicle;
    use designa::table::VehicleItem;
    let storage = MemoryStorage::default();
    let plate = Plate::parse("AB-123-CD", "FRA").unwrap();
    let removed = Vehicle {
        tenant_id: tenant(),
        entity_id: "e-north".into(),
        vehicle_id: "v1".into(),
        plate: plate.clone(),
        make: "RENAULT".into(),
        model: "CLIO".into(),
        entry_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        exit_on: Some(NaiveDate::from_ymd_opt(2027, 10, 1).unwrap()),
        pool: false,
        removed_on: Some(NaiveDate::from_ymd_opt(2027, 10, 1).unwrap()),
    };
    storage
        .remove_vehicle(&removed, removal_time(), removal_time())
        .await
        .unwrap();
    let mut item = VehicleItem::new(&removed, removal_time());
    item.expires_at = Some(removal_time().timestamp());
    let p = purge_on(storage);
    let report = p
        .handle_event(batch(vec![ttl_removal(
            image(&item),
            "700",
            removal_time(),
        )]))
        .await;
    assert_eq!(report.purged, 1, "{report:?}");
    let holdings = p.storage.holdings(&[plate.key()]).await.unwrap();
    assert!(
        holdings.get(&plate.key()).is_none_or(|h| h.is_empty()),
        "{holdings:?}"
    );
    let proof = decoded(
        &purge_record(&p, TENANT, &format!("TENANT#{TENANT}"), "VEHICLE#v1")
            .await
            .unwrap(),
    );
    assert_eq!(
        (proof.item_type.as_str(), proof.deleted.plate_holding),
        ("VEHICLE", true)
    );
}

// Every call failing in turn, then the stream retrying from the failed record.
mod fault_matrix;
