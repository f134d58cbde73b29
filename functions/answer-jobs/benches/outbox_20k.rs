//! The outbound batch over 20,000 due answers (a bench binary, not a test):
//! the real job on the in-memory table, which counts Queries per partition
//! key and pages them at 1 MB as DynamoDB does. Prints how the answers
//! spread over the outbox shards, the Queries each shard took, the entries
//! read, the files written and the time. Run with `make bench`.

use answer_jobs::{AnswerJobs, Config};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use designa::answering::{submit, Submission};
use designa::domain::answer::{AnswerBody, OtherAnswer};
use designa::domain::plate::sample_siv_plate;
use designa::domain::tenant::TenantSettings;
use designa::domain::{Notice, Plate};
use designa::memory::{FixedClock, MemoryBlobStore, MemoryQueue, MemoryStorage};
use designa::ports::{NoticeStore, MAX_BATCH_WRITE};
use designa::store::StoredNotice;
use designa::table::keys;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

const ANSWERS: usize = 20_000;

fn answered_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 10, 9, 0, 0).unwrap()
}

/// Notice `i`, answered "véhicule inconnu" at `answered_at()`.
fn answered(i: usize) -> StoredNotice {
    let number = format!("{:010}", 7_700_000_000u64 + i as u64);
    let plate = Plate::parse(&sample_siv_plate(i), "FRA").expect("a sample plate");
    let issued_on = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let mut notice = StoredNotice::routed(
        Notice::sample(&number, plate, issued_on),
        "t-bench".into(),
        "e-lyon".into(),
        format!("v{i}"),
        answered_at() - Duration::days(3),
        "inbound/bench.txt".into(),
    );
    let answer = Submission {
        body: AnswerBody::Other(OtherAnswer::VehicleUnknown),
        driver_id: None,
        by: "u-bench".into(),
        notify_driver: None,
    };
    submit(
        &mut notice,
        answer,
        &TenantSettings::default(),
        answered_at(),
    )
    .expect("an answer");
    notice
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let storage = Arc::new(MemoryStorage::default());
    let notices: Vec<StoredNotice> = (0..ANSWERS).map(answered).collect();
    for chunk in notices.chunks(MAX_BATCH_WRITE) {
        storage.put_notices(chunk).await.expect("stored");
    }
    let mut per_shard: BTreeMap<String, usize> = BTreeMap::new();
    for n in &notices {
        let (shard, _) = keys::work(n).expect("a pending answer is in the outbox");
        *per_shard.entry(shard).or_default() += 1;
    }
    let (requests, read) = (storage.requests(), storage.items_read());
    let job = AnswerJobs {
        store: storage.clone(),
        blobs: MemoryBlobStore::default(),
        clock: FixedClock::at(answered_at() + Duration::hours(5)),
        queue: Arc::new(MemoryQueue::default()),
        config: Config::for_tests(),
    };
    let started = Instant::now();
    let reports = job.send_due_answers().await.expect("the batches");
    let elapsed = started.elapsed();
    let queries = storage.queries_by_partition();
    let sent: usize = reports.iter().map(|r| r.answers).sum();
    println!("outbound batch, {ANSWERS} due answers, files of at most 2,000:");
    println!(
        "  {} outbox shards hold {} to {} answers each",
        per_shard.len(),
        per_shard.values().min().unwrap_or(&0),
        per_shard.values().max().unwrap_or(&0)
    );
    println!(
        "  {} files, {sent} answers sent in {:.2} s (in memory)",
        reports.len(),
        elapsed.as_secs_f64()
    );
    println!(
        "  Queries per outbox partition: {} to {} (one per file, and one to find it empty), on {} partitions",
        queries.values().min().unwrap_or(&0),
        queries.values().max().unwrap_or(&0),
        queries.len()
    );
    println!(
        "  work-index entries read: {} ({:.1} per answer sent); table requests: {}",
        storage.items_read() - read,
        (storage.items_read() - read) as f64 / sent.max(1) as f64,
        storage.requests() - requests
    );
}
