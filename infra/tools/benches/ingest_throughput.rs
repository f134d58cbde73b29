//! Ingest benchmark (a bench binary, not a test): prints
//! - parse + route throughput, in notices per second,
//! - the whole handler's throughput with in-memory ports,
//! - DynamoDB requests per notice (the in-memory table counts requests the
//!   way DynamoDB receives them: one per batch of at most 100 reads or 25 writes),
//! - the process's peak resident memory after a 10,000-notice file.
//!
//! Run with `make bench` (or `cargo bench -p designa-tools`).

use chrono::{Days, NaiveDate, TimeZone, Utc};
use designa::domain::{route, Notice, RoutingPolicy};
use designa::exchange::parse_bytes;
use designa::memory::{FixedClock, MemoryBlobStore, MemoryMailer, MemoryQueue, MemoryStorage};
use designa::ports::FleetStore;

use designa::store::Vehicle;
use designa_tools::simulator::{generate_notices, notice_file, synthetic_fleet, NoticeBatch};
use ingest::{Config, InboundObject, Ingest, Outcome};
use std::collections::HashMap;
use std::time::Instant;

const NOTICES: usize = 10_000;
const VEHICLES: usize = 2_000;
const ROUNDS: usize = 5;

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let fleet = synthetic_fleet(VEHICLES, 7);
    let issued_on = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    let notices = generate_notices(
        &fleet,
        &NoticeBatch {
            count: NOTICES,
            offence_window_days: 30,
            issued_on,
            first_number: 3_000_000_000,
            seed: 42,
        },
    );
    let now = Utc.with_ymd_and_hms(2026, 11, 18, 8, 0, 0).unwrap();
    let file = notice_file("BENCH-10K", now, &notices);
    println!(
        "file: {} notices, {:.1} MiB",
        NOTICES,
        file.bytes.len() as f64 / 1_048_576.0
    );

    // Holdings as routing reads them, keyed by plate.
    let mut holdings: HashMap<String, Vec<designa::domain::Holding>> = HashMap::new();
    let vehicles: Vec<Vehicle> = fleet
        .iter()
        .enumerate()
        .map(|(i, v)| Vehicle {
            tenant_id: format!("t{}", i % 20).as_str().into(),
            entity_id: "e1".into(),
            vehicle_id: format!("v{i}"),
            plate: v.plate.clone(),
            make: v.make.clone(),
            model: v.model.clone(),
            entry_on: issued_on - Days::new(700),
            exit_on: None,
            pool: false,
            removed_on: None,
        })
        .collect();
    for v in &vehicles {
        holdings
            .entry(v.plate.key().0)
            .or_default()
            .push(v.holding());
    }

    // 1. Parse + route, pure CPU.
    let mut best = f64::MAX;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let parsed = parse_bytes::<Notice>(&file.bytes).expect("valid file");
        let routed = parsed
            .records
            .iter()
            .filter(|(_, n)| {
                matches!(
                    route(
                        n,
                        holdings
                            .get(&n.plate.key().0)
                            .map(Vec::as_slice)
                            .unwrap_or(&[]),
                        now,
                        RoutingPolicy::default()
                    ),
                    designa::domain::Route::Routed { .. }
                )
            })
            .count();
        assert_eq!(routed, NOTICES);
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "parse + route:            {:>10.0} notices/s (best of {ROUNDS}: {:.1} ms for {NOTICES})",
        NOTICES as f64 / best,
        best * 1000.0
    );

    // 2. The whole handler with in-memory ports.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut best = f64::MAX;
    let mut requests_per_notice = 0.0;
    for round in 0..ROUNDS {
        let handler = Ingest {
            blobs: MemoryBlobStore::default(),
            storage: MemoryStorage::default(),
            queue: MemoryQueue::default(),
            clock: FixedClock::at(now),
            mailer: MemoryMailer::default(),
            config: Config::for_tests(),
        };
        runtime.block_on(async {
            for v in &vehicles {
                handler.storage.put_vehicle(v, now).await.unwrap().unwrap();
            }
        });
        let before = handler.storage.requests();
        handler
            .blobs
            .insert("exchange", "inbound/bench.txt", file.bytes.clone());
        let object = InboundObject {
            bucket: "exchange".into(),
            key: "inbound/bench.txt".into(),
            version: format!("r{round}"),
        };
        let start = Instant::now();
        let outcome = runtime
            .block_on(handler.ingest_object(&object))
            .expect("ingest");
        best = best.min(start.elapsed().as_secs_f64());
        let Outcome::Processed(report) = outcome else {
            panic!("not processed")
        };
        assert_eq!(report.counts.routed, NOTICES);
        requests_per_notice = (handler.storage.requests() - before) as f64 / NOTICES as f64;
    }
    println!(
        "ingest handler (memory):  {:>10.0} notices/s (best of {ROUNDS}: {:.1} ms)",
        NOTICES as f64 / best,
        best * 1000.0
    );
    println!("DynamoDB requests/notice: {:>10.4} ({} requests for {NOTICES} notices on {VEHICLES} plates)", requests_per_notice, (requests_per_notice * NOTICES as f64).round());
    if let Some(mib) = peak_rss_mib() {
        println!("peak RSS of this process: {mib:>10.1} MiB (file, parsed notices, in-memory table and fleet included; Lambda limit 128 MiB)");
    }
}
