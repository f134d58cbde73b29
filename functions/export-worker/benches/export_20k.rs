//! The 12-month export of 20,000 notices (a bench binary, not a test): one
//! SQS delivery through the worker with the in-memory ports, as .xlsx then
//! as CSV. Prints the time of each, the file's size, and the process's peak
//! memory (VmHWM, which includes the 20,000 notices held by the in-memory
//! table, as the Lambda holds the notices it read). The function has
//! 512 MB. Run with `make bench`.

use aws_lambda_events::event::sqs::SqsEvent;
use chrono::{DateTime, TimeZone, Utc};
use designa::app::exports::{load_job, save_job, ExportFilters, ExportJob, ExportStatus};
use designa::domain::access::{Grant, Role, Scope};
use designa::domain::tenant::{Tenant, TenantSettings, User};
use designa::excel::export::ExportFormat;
use designa::memory::{FixedClock, MemoryBlobStore, MemoryMailer, MemoryStorage};
use designa::ports::{NoticeStore, RecordStore, TenantStore, MAX_BATCH_WRITE};
use designa::store::{Record, RecordKind};
use export_worker::{fixtures, Config, ExportWorker};
use std::time::Instant;

const NOTICES: usize = 20_000;
const TENANT: &str = "t-bench";

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn event(export_id: &str) -> SqsEvent {
    let body = serde_json::json!({ "tenant_id": TENANT, "export_id": export_id }).to_string();
    serde_json::from_value(serde_json::json!({ "Records": [{
        "messageId": format!("bench-{export_id}"),
        "body": body,
        "attributes": { "ApproximateReceiveCount": "1" },
        "messageAttributes": {},
        "eventSource": "aws:sqs",
    }] }))
    .expect("an SQS event")
}

/// A tenant with an admin, four entities and `NOTICES` notices.
async fn seeded_worker(
    now: DateTime<Utc>,
) -> ExportWorker<MemoryStorage, MemoryBlobStore, MemoryMailer, FixedClock> {
    let worker = ExportWorker {
        storage: MemoryStorage::default(),
        blobs: MemoryBlobStore::default(),
        mailer: MemoryMailer::default(),
        clock: FixedClock::at(now),
        config: Config::for_tests(),
    };
    let tenant = TENANT.into();
    worker
        .storage
        .create_tenant(&Tenant {
            tenant_id: TENANT.into(),
            name: "Transports Exemple".into(),
            settings: TenantSettings::default(),
            ended_on: None,
        })
        .await
        .unwrap();
    worker
        .storage
        .put_user(&User {
            tenant_id: TENANT.into(),
            user_id: "u-bench".into(),
            email: "gestionnaire@transports-exemple.example".into(),
            first_name: "Alex".into(),
            last_name: "Fictif".into(),
            active: true,
            grants: vec![Grant {
                role: Role::Admin,
                scope: Scope::AllEntities,
                until: None,
            }],
            sealed: None,
        })
        .await
        .unwrap();
    let entities = ["e-siege", "e-lyon", "e-nord", "e-sud"];
    for id in entities {
        let entity = serde_json::json!({ "entity_id": id, "kind": "internal", "name": format!("Agence {id}"),
                                         "address": null, "siren": null, "siret": null });
        worker
            .storage
            .put_record(
                &tenant,
                RecordKind::Entity,
                &Record::new(id, 1, &entity),
                None,
            )
            .await
            .unwrap();
    }
    let notices = fixtures::notices("88", NOTICES, TENANT, &entities, now);
    for chunk in notices.chunks(MAX_BATCH_WRITE) {
        worker.storage.put_notices(chunk).await.unwrap();
    }
    worker
}

/// A queued job of every notice in `format`.
fn job(export_id: &str, format: ExportFormat, now: DateTime<Utc>) -> ExportJob {
    ExportJob {
        export_id: export_id.into(),
        status: ExportStatus::Queued,
        format,
        filters: ExportFilters::default(),
        scope: Scope::AllEntities,
        created_by: "u-bench".into(),
        created_at: now,
        updated_at: now,
        period_from: now - chrono::Months::new(12),
        rows_total: 0,
        rows_done: 0,
        file_key: None,
        file_size: None,
        finished_at: None,
        expires_at: None,
        emailed: false,
        message: None,
    }
}

#[tokio::main]
async fn main() {
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let worker = seeded_worker(now).await;
    let tenant: designa::domain::TenantId = TENANT.into();
    println!(
        "export of {NOTICES} notices (one delivery, in-memory ports); peak before: {:.0} MiB",
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    for (export_id, format) in [
        ("b0000000000000000000000000000001", ExportFormat::Xlsx),
        ("b0000000000000000000000000000002", ExportFormat::Csv),
    ] {
        let job = job(export_id, format, now);
        save_job(&worker.storage, &tenant, &job, None)
            .await
            .unwrap();
        let started = Instant::now();
        let response = worker.handle_event(event(export_id)).await;
        let elapsed = started.elapsed();
        assert!(response.batch_item_failures.is_empty());
        let (job, _) = load_job(&worker.storage, &tenant, export_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(job.status, ExportStatus::Done);
        assert_eq!(job.rows_total, NOTICES);
        println!(
            "  {:<4}  {:>6.2} s  {:>6.0} rows/s  file {:>5.1} MiB  peak memory (VmHWM) {:.0} MiB",
            format.extension(),
            elapsed.as_secs_f64(),
            NOTICES as f64 / elapsed.as_secs_f64(),
            job.file_size.unwrap_or(0) as f64 / (1024.0 * 1024.0),
            peak_rss_mib().unwrap_or(f64::NAN),
        );
    }
}
