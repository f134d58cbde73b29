//! The worker with in-memory ports, fed the sample event of `events/`.

use super::*;
use calamine::{open_workbook_from_rs, Data, DataType, Reader, Xlsx};
use chrono::{DateTime, TimeZone, Utc};
use designa::app::exports::ExportFilters;
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::tenant::{Tenant, TenantSettings, User};
use designa::domain::NoticeStatus;
use designa::excel::export::{COLUMNS, SCALE_COLUMNS};
use designa::memory::faults::{Faults, Faulty, Mode};
use designa::memory::{FixedClock, MemoryBlobStore, MemoryMailer, MemoryStorage};
use designa::ports::{NoticeStore, TenantStore};
use designa::store::{Record, RecordKind};

const EVENT: &str = include_str!("../../../events/export-sqs-event.json");
const TENANT: &str = "t-demo";
const EXPORT_ID: &str = "8e7d6c5b4a3928170f1e2d3c4b5a6978";
const REQUESTER: &str = "u-requester";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
}

type Worker = ExportWorker<MemoryStorage, MemoryBlobStore, Faulty<MemoryMailer>, FixedClock>;

async fn put_user(storage: &impl TenantStore, grants: Vec<Grant>, active: bool) {
    storage
        .put_user(&User {
            tenant_id: TENANT.into(),
            user_id: REQUESTER.into(),
            email: "gestionnaire@transports-exemple.example".into(),
            first_name: "Alex".into(),
            last_name: "Fictif".into(),
            active,
            grants,
            sealed: None,
        })
        .await
        .unwrap();
}

fn designation(entities: &[&str]) -> Grant {
    Grant {
        role: Role::Designation,
        scope: if entities.is_empty() {
            Scope::AllEntities
        } else {
            Scope::Entities(entities.iter().map(|e| EntityId((*e).into())).collect())
        },
        until: None,
    }
}

/// A tenant with two entities, the requester (designation on every entity)
/// and a queued job asked now, of `format` with `filters` over `scope`.
async fn worker(format: ExportFormat, filters: ExportFilters, scope: Scope) -> Worker {
    let worker = ExportWorker {
        storage: MemoryStorage::default(),
        blobs: MemoryBlobStore::default(),
        mailer: Faults::new().wrap(MemoryMailer::default()),
        clock: FixedClock::at(now()),
        config: Config::for_tests(),
    };
    tenant_with_a_queued_job(&worker.storage, format, filters, scope).await;
    worker
}

async fn tenant_with_a_queued_job(
    storage: &impl Storage,
    format: ExportFormat,
    filters: ExportFilters,
    scope: Scope,
) {
    storage
        .create_tenant(&Tenant {
            tenant_id: TENANT.into(),
            name: "Transports Exemple".into(),
            settings: TenantSettings::default(),
            ended_on: None,
        })
        .await
        .unwrap();
    put_user(storage, vec![designation(&[])], true).await;
    for (id, name) in [("e-lyon", "Agence de Lyon"), ("e-nord", "Agence du Nord")] {
        let entity = json!({ "entity_id": id, "kind": "internal", "name": name,
                             "address": null, "siren": null, "siret": null });
        let record = Record::new(id, 1, &entity);
        storage
            .put_record(&TENANT.into(), RecordKind::Entity, &record, None)
            .await
            .unwrap();
    }
    let job = ExportJob {
        export_id: EXPORT_ID.into(),
        status: ExportStatus::Queued,
        format,
        filters,
        scope,
        created_by: REQUESTER.into(),
        created_at: now(),
        updated_at: now(),
        period_from: now() - chrono::Months::new(12),
        rows_total: 0,
        rows_done: 0,
        file_key: None,
        file_size: None,
        finished_at: None,
        expires_at: None,
        emailed: false,
        message: None,
    };
    save_job(storage, &TENANT.into(), &job, None).await.unwrap();
}

async fn job(worker: &Worker) -> ExportJob {
    load_job(&worker.storage, &TENANT.into(), EXPORT_ID)
        .await
        .unwrap()
        .unwrap()
        .0
}

fn event(receives: u32) -> SqsEvent {
    let event = EVENT.replace(
        "\"ApproximateReceiveCount\": \"1\"",
        &format!("\"ApproximateReceiveCount\": \"{receives}\""),
    );
    serde_json::from_str(&event).expect("the sample event parses")
}

fn sheet_rows(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range("Avis").unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

fn col(name: &str) -> usize {
    COLUMNS.iter().position(|c| *c == name).unwrap()
}

#[test]
fn the_sample_event_names_a_job() {
    let event = event(1);
    let body = event.records[0].body.as_deref().unwrap();
    let message: ExportMessage = serde_json::from_str(body).unwrap();
    assert_eq!(message.tenant_id, TENANT.into());
    assert_eq!(message.export_id, EXPORT_ID);
    assert_eq!(event.records[0].attributes["ApproximateReceiveCount"], "1");
}

#[test]
fn errors_are_logged_without_addresses() {
    assert_eq!(
        without_addresses("ses:SendTemplatedEmail: Email address is not verified: a.b@example.com"),
        "ses:SendTemplatedEmail: Email address is not verified: <address>"
    );
}

#[test]
fn counts_are_grouped_by_thousands() {
    assert_eq!(french_count(7), "7");
    assert_eq!(french_count(20_000), "20\u{a0}000");
    assert_eq!(french_count(1_234_567), "1\u{a0}234\u{a0}567");
}

/// The tenant's 20,000 notices of the period, numbered `88…`, and some not
/// in the export: received more than 12 months ago, or after the request, or
/// another tenant's.
async fn store_twenty_thousand_notices_and_some_outside_the_export(worker: &Worker) {
    let mut all = fixtures::notices("88", 20_000, TENANT, &["e-lyon", "e-nord"], now());
    let mut old = fixtures::notices("77", 30, TENANT, &["e-lyon"], now());
    for n in &mut old {
        n.received_at = now() - chrono::Duration::days(370);
    }
    let mut later = fixtures::notices("66", 10, TENANT, &["e-lyon"], now());
    for n in &mut later {
        n.received_at = now() + chrono::Duration::minutes(5);
    }
    all.extend(old);
    all.extend(later);
    all.extend(fixtures::notices("55", 30, "t-other", &["e-lyon"], now()));
    for chunk in all.chunks(designa::ports::MAX_BATCH_WRITE) {
        worker.storage.put_notices(chunk).await.unwrap();
    }
}

/// The workbook read back: the header and the 20,000 notices of the period,
/// each under its entity's name, the scale shown only where nothing was
/// answered, the acknowledged ones dated, and nothing of any driver.
fn assert_the_sheet_holds_the_twenty_thousand_without_driver_data(bytes: &[u8]) {
    let rows = sheet_rows(bytes);
    assert_eq!(rows.len(), 20_001, "the header and 20,000 notices");
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, COLUMNS);
    let numbers: std::collections::BTreeSet<String> = rows[1..]
        .iter()
        .map(|r| r[col(designa::excel::export::NOTICE_NUMBER)].to_string())
        .collect();
    assert_eq!(numbers.len(), 20_000);
    assert!(
        numbers.iter().all(|n| n.starts_with("88")),
        "only the period's and tenant's"
    );
    let mut with_scale = 0;
    for row in &rows[1..] {
        let cell = |name: &str| row.get(col(name)).cloned().unwrap_or(Data::Empty);
        let answered = !cell(designa::excel::export::ANSWER_KIND).is_empty();
        let scale_shown = SCALE_COLUMNS.iter().any(|c| !cell(c).is_empty());
        assert!(
            !(answered && scale_shown),
            "a notice with an answer shows its scale: {row:?}"
        );
        with_scale += usize::from(scale_shown);
        assert!(matches!(
            cell(designa::excel::export::ENTITY).to_string().as_str(),
            "Agence de Lyon" | "Agence du Nord"
        ));
        for text in row.iter().filter_map(|c| c.get_string()) {
            assert!(
                !text.contains(fixtures::DRIVER_LAST_NAME) && !text.contains("example.com"),
                "driver data in the export: {text}"
            );
        }
    }
    assert_eq!(with_scale, 8_000, "open and gone-to-paper notices only");
    let acknowledged = rows[1..]
        .iter()
        .filter(|r| {
            r.get(col(designa::excel::export::ACKNOWLEDGED_AT))
                .is_some_and(|c| c.as_datetime().is_some())
        })
        .count();
    assert_eq!(acknowledged, 4_000);
}

#[tokio::test]
async fn twenty_thousand_notices_are_exported_in_one_invocation_and_read_back() {
    let worker = worker(
        ExportFormat::Xlsx,
        ExportFilters::default(),
        Scope::AllEntities,
    )
    .await;
    store_twenty_thousand_notices_and_some_outside_the_export(&worker).await;

    let response = worker.handle_event(event(1)).await;
    assert!(response.batch_item_failures.is_empty());
    let job = job(&worker).await;
    assert_eq!(job.status, ExportStatus::Done);
    assert_eq!((job.rows_total, job.rows_done), (20_000, 20_000));
    assert_eq!(job.expires_at, Some(now() + chrono::Duration::days(7)));
    let key = format!("exports/{TENANT}/{EXPORT_ID}.xlsx");
    assert_eq!(job.file_key.as_deref(), Some(key.as_str()));
    let bytes = worker.blobs.get("exchange", &key).expect("the file");
    assert_eq!(job.file_size, Some(bytes.len() as u64));
    assert_the_sheet_holds_the_twenty_thousand_without_driver_data(&bytes);

    // The requester is told once, with nothing of any driver.
    let sent = worker.mailer.templated.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "gestionnaire@transports-exemple.example");
    assert_eq!(sent[0].template, "designa-export-ready");
    assert_eq!(sent[0].data["first_name"], "Alex");
    assert_eq!(sent[0].data["row_count"], "20\u{a0}000");
    assert_eq!(sent[0].data["expires_on"], "27/11/2026");
    let url = sent[0].data["download_url"].as_str().unwrap();
    let (file, saved_as) = url.split_once("?download=designa-avis-").unwrap();
    assert_eq!(file, format!("memory://exchange/{key}"));
    assert!(saved_as.ends_with("&expires=86400"), "{url}");
    assert_eq!(
        sent[0].data["export_page_url"],
        format!("https://app.designa.example/exports/{EXPORT_ID}")
    );
    let mail = sent[0].data.to_string();
    assert!(!mail.contains(fixtures::DRIVER_LAST_NAME) && !mail.contains(fixtures::DRIVER_EMAIL));
    assert!(job.emailed);
    // Journaled as the requester's export.
    let journal = designa::app::journal::entries(&worker.storage, &TENANT.into())
        .await
        .unwrap();
    assert_eq!(journal.len(), 1);
    assert_eq!(journal[0].user_id, REQUESTER);
    assert_eq!(journal[0].action, "export");
}

#[tokio::test]
async fn a_redelivery_of_a_done_job_changes_nothing() {
    let worker = worker(
        ExportFormat::Xlsx,
        ExportFilters::default(),
        Scope::AllEntities,
    )
    .await;
    let notices = fixtures::notices("88", 12, TENANT, &["e-lyon"], now());
    worker.storage.put_notices(&notices).await.unwrap();
    assert!(worker
        .handle_event(event(1))
        .await
        .batch_item_failures
        .is_empty());
    let done = job(&worker).await;
    let file = worker
        .blobs
        .get("exchange", done.file_key.as_ref().unwrap());
    let requests = worker.storage.requests();
    assert_eq!(
        worker
            .handle_message(&event(2).records[0].body.clone().unwrap(), "m-2")
            .await
            .ok(),
        Some(Outcome::Nothing)
    );
    assert_eq!(
        worker.storage.requests() - requests,
        1,
        "only the job is read"
    );
    assert_eq!(job(&worker).await, done);
    assert_eq!(
        worker
            .blobs
            .get("exchange", done.file_key.as_ref().unwrap()),
        file
    );
    assert_eq!(worker.mailer.templated.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_email_that_failed_is_sent_on_the_redelivery_without_writing_again() {
    let worker = worker(
        ExportFormat::Csv,
        ExportFilters::default(),
        Scope::AllEntities,
    )
    .await;
    let mailer = worker.mailer.faults();
    mailer.fail_call_of("Mailer::send_templated", 0, Mode::Before);
    let notices = fixtures::notices("88", 5, TENANT, &["e-lyon"], now());
    worker.storage.put_notices(&notices).await.unwrap();
    assert_eq!(
        worker
            .handle_event(event(1))
            .await
            .batch_item_failures
            .len(),
        1
    );
    let done = job(&worker).await;
    assert_eq!(
        done.status,
        ExportStatus::Done,
        "the file is there and downloadable"
    );
    assert!(!done.emailed);
    assert_eq!(
        done.file_key.as_deref(),
        Some(format!("exports/{TENANT}/{EXPORT_ID}.csv").as_str())
    );
    let body = event(2).records[0].body.clone().unwrap();
    assert_eq!(
        worker.handle_message(&body, "m-2").await.ok(),
        Some(Outcome::Emailed)
    );
    assert_eq!(
        worker.handle_message(&body, "m-3").await.ok(),
        Some(Outcome::Nothing)
    );
    assert_eq!(worker.mailer.templated.lock().unwrap().len(), 1);
    let journal = designa::app::journal::entries(&worker.storage, &TENANT.into())
        .await
        .unwrap();
    assert_eq!(journal.len(), 1, "written once, so journaled once");
}

#[tokio::test]
async fn a_crashed_delivery_is_retried_after_its_lease_and_the_last_one_fails_the_job() {
    let worker = worker(
        ExportFormat::Xlsx,
        ExportFilters::default(),
        Scope::AllEntities,
    )
    .await;
    let notices = fixtures::notices("88", 5, TENANT, &["e-lyon"], now());
    worker.storage.put_notices(&notices).await.unwrap();
    worker.storage.fail_next("tenant_notices");
    assert_eq!(
        worker
            .handle_event(event(1))
            .await
            .batch_item_failures
            .len(),
        1
    );
    assert_eq!(job(&worker).await.status, ExportStatus::Running);
    // Within the lease, another delivery comes back later rather than writing twice.
    assert_eq!(
        worker
            .handle_event(event(2))
            .await
            .batch_item_failures
            .len(),
        1
    );
    assert_eq!(job(&worker).await.status, ExportStatus::Running);
    // After it (the queue's visibility timeout is longer), it is taken over.
    worker.clock.set(now() + chrono::Duration::minutes(17));
    assert!(worker
        .handle_event(event(2))
        .await
        .batch_item_failures
        .is_empty());
    assert_eq!(job(&worker).await.status, ExportStatus::Done);

    // Another job whose last delivery fails says so instead of running forever.
    let worker = worker_with_failed_last_delivery().await;
    let failed = job(&worker).await;
    assert_eq!(failed.status, ExportStatus::Failed);
    assert!(failed.message.unwrap().contains("demandez-le à nouveau"));
}

async fn worker_with_failed_last_delivery() -> Worker {
    let worker = worker(
        ExportFormat::Xlsx,
        ExportFilters::default(),
        Scope::AllEntities,
    )
    .await;
    worker.storage.fail_next("tenant_notices");
    let response = worker.handle_event(event(MAX_RECEIVES)).await;
    assert_eq!(
        response.batch_item_failures.len(),
        1,
        "still dead-lettered, for the alarm"
    );
    worker
}

#[tokio::test]
async fn grants_are_checked_again_when_the_job_runs_and_filters_apply() {
    // Asked over every entity; since then the requester designates for Lyon only.
    let filters = ExportFilters {
        entity_id: None,
        status: Some(NoticeStatus::Acknowledged),
        plate: None,
    };
    let worker = worker(ExportFormat::Csv, filters, Scope::AllEntities).await;
    put_user(&worker.storage, vec![designation(&["e-lyon"])], true).await;
    let notices = fixtures::notices("88", 20, TENANT, &["e-lyon", "e-nord"], now());
    worker.storage.put_notices(&notices).await.unwrap();
    assert!(worker
        .handle_event(event(1))
        .await
        .batch_item_failures
        .is_empty());
    let job = job(&worker).await;
    let text = String::from_utf8(
        worker
            .blobs
            .get("exchange", job.file_key.as_ref().unwrap())
            .unwrap(),
    )
    .unwrap();
    let lines: Vec<&str> = text.trim_end().split("\r\n").skip(1).collect();
    // i % 5 == 1 are acknowledged; even i are Lyon's: i = 6 and 16.
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines.iter().all(|l| l.contains(";Agence de Lyon;")));
    assert_eq!(job.rows_total, 2);

    // A plate filter keeps that plate's notices only.
    let plate = notices[6].notice.plate.normalized.clone();
    let worker = self::worker(
        ExportFormat::Csv,
        ExportFilters {
            entity_id: Some("e-lyon".into()),
            status: None,
            plate: Some(plate.clone()),
        },
        Scope::Entities(["e-lyon".into()].into()),
    )
    .await;
    worker.storage.put_notices(&notices).await.unwrap();
    assert!(worker
        .handle_event(event(1))
        .await
        .batch_item_failures
        .is_empty());
    assert_eq!(self::job(&worker).await.rows_total, 1);
}

#[tokio::test]
async fn a_requester_who_left_fails_the_job_without_file_or_email() {
    let worker = worker(
        ExportFormat::Xlsx,
        ExportFilters::default(),
        Scope::AllEntities,
    )
    .await;
    put_user(&worker.storage, vec![designation(&[])], false).await;
    worker
        .storage
        .put_notices(&fixtures::notices("88", 5, TENANT, &["e-lyon"], now()))
        .await
        .unwrap();
    assert!(worker
        .handle_event(event(1))
        .await
        .batch_item_failures
        .is_empty());
    let job = job(&worker).await;
    assert_eq!(job.status, ExportStatus::Failed);
    assert!(job.message.unwrap().contains("n'est plus actif"));
    assert!(worker.blobs.keys().is_empty());
    assert!(worker.mailer.templated.lock().unwrap().is_empty());
}

#[tokio::test]
async fn unknown_jobs_are_acknowledged_and_bad_messages_retried() {
    let worker = worker(
        ExportFormat::Xlsx,
        ExportFilters::default(),
        Scope::AllEntities,
    )
    .await;
    let other = json!({ "tenant_id": TENANT, "export_id": "ffffffffffffffffffffffffffffffff" });
    assert_eq!(
        worker.handle_message(&other.to_string(), "m-1").await.ok(),
        Some(Outcome::Nothing)
    );
    assert!(worker.handle_message("{}", "m-2").await.is_err());
    assert_eq!(job(&worker).await.status, ExportStatus::Queued);
}

// Every call failing in turn, then the export queue's redeliveries.
mod fault_matrix;
