//! The ingest pipeline on the local emulator: S3 → SQS → handler → DynamoDB.

use aws_lambda_events::event::sqs::SqsEvent;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_s3::primitives::ByteStream;
use chrono::{Days, Utc};
use designa::aws::{AwsClients, DynamoStorage, S3BlobStore, SqsQueue};
use designa::domain::time::paris_date;
use designa::domain::Plate;
use designa::ports::{Storage, SystemClock};
use designa::store::Vehicle;
use designa_integration_tests::{clients, exclusive, local_stack};
use designa_tools::runner::{drain_queue, DrainStats};
use designa_tools::simulator::{
    generate_notices, notice_file, synthetic_fleet, NoticeBatch, SimulatedVehicle,
};
use ingest::{Config, Ingest};
use std::collections::BTreeMap;
use std::sync::Mutex;

struct World {
    aws: AwsClients,
    bucket: String,
    ingest_queue: String,
    notifications_queue: String,
    dead_letter_queue: String,
    config: Config,
    tenant: String,
}

async fn world() -> World {
    let stack = local_stack();
    let aws = clients().await;
    World {
        bucket: stack.resource("ExchangeBucket").unwrap().into(),
        ingest_queue: stack.resource("IngestQueue").unwrap().into(),
        notifications_queue: stack.resource("NotificationsQueue").unwrap().into(),
        dead_letter_queue: stack.resource("IngestDeadLetterQueue").unwrap().into(),
        config: Config::from_env().unwrap(),
        tenant: format!("t-{}", uuid::Uuid::new_v4().simple()),
        aws,
    }
}

impl World {
    fn handler(&self) -> Ingest<S3BlobStore, DynamoStorage, SqsQueue, SystemClock> {
        Ingest {
            blobs: S3BlobStore::new(self.aws.s3.clone()),
            storage: DynamoStorage::new(self.aws.dynamodb.clone(), &self.config.table_name),
            queue: SqsQueue::new(self.aws.sqs.clone()),
            clock: SystemClock,
            config: self.config.clone(),
        }
    }

    fn storage(&self) -> DynamoStorage {
        DynamoStorage::new(self.aws.dynamodb.clone(), &self.config.table_name)
    }

    /// A fleet of `n` vehicles with plates unique to this test.
    async fn seed_fleet(&self, n: usize) -> Vec<SimulatedVehicle> {
        let today = paris_date(Utc::now());
        let seed = self
            .tenant
            .bytes()
            .fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(b as u64));
        let fleet = synthetic_fleet(n, seed);
        let storage = self.storage();
        for (i, v) in fleet.iter().enumerate() {
            storage
                .put_vehicle(&Vehicle {
                    tenant_id: self.tenant.as_str().into(),
                    entity_id: if i % 2 == 0 { "e-north" } else { "e-south" }.into(),
                    vehicle_id: format!("v{i}"),
                    plate: v.plate.clone(),
                    make: v.make.clone(),
                    model: v.model.clone(),
                    entry_on: today - Days::new(365),
                    exit_on: None,
                })
                .await
                .unwrap();
        }
        fleet
    }

    async fn drop_file(&self, name: &str, bytes: Vec<u8>) -> String {
        let key = format!("{}{name}", self.config.inbound_prefix);
        self.aws
            .s3
            .put_object()
            .bucket(&self.bucket)
            .key(&key)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .unwrap();
        key
    }

    /// Feeds the ingest queue to the handler; returns the stats and every message body seen.
    async fn run_ingest(&self) -> (DrainStats, Vec<String>) {
        let handler = self.handler();
        let bodies = Mutex::new(Vec::new());
        let stats = drain_queue(
            &self.aws.sqs,
            &self.ingest_queue,
            "arn:aws:sqs:eu-west-3:123456789012:ingest",
            50,
            |event: SqsEvent| {
                bodies
                    .lock()
                    .unwrap()
                    .extend(event.records.iter().filter_map(|m| m.body.clone()));
                handler.handle_event(event)
            },
        )
        .await
        .unwrap();
        (stats, bodies.into_inner().unwrap())
    }

    async fn object(&self, key: &str) -> Option<Vec<u8>> {
        match self
            .aws
            .s3
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(o) => Some(o.body.collect().await.unwrap().into_bytes().to_vec()),
            Err(_) => None,
        }
    }

    async fn report(&self, key: &str) -> serde_json::Value {
        let bytes = self
            .object(key)
            .await
            .unwrap_or_else(|| panic!("no report at {key}"));
        serde_json::from_slice(&bytes).unwrap()
    }

    /// Every item of the table and every object of the bucket, for comparisons.
    async fn snapshot(&self) -> (Vec<String>, BTreeMap<String, String>) {
        let items = self
            .aws
            .dynamodb
            .scan()
            .table_name(&self.config.table_name)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await;
        let mut items: Vec<String> = items
            .into_iter()
            .map(|i| {
                let item: BTreeMap<String, AttributeValue> = i.unwrap().into_iter().collect();
                format!("{item:?}")
            })
            .collect();
        items.sort();
        let mut objects = BTreeMap::new();
        let listed = self
            .aws
            .s3
            .list_objects_v2()
            .bucket(&self.bucket)
            .into_paginator()
            .send()
            .collect::<Vec<_>>()
            .await;
        for page in listed {
            for o in page.unwrap().contents() {
                objects.insert(
                    o.key().unwrap().to_string(),
                    o.e_tag().unwrap_or_default().to_string(),
                );
            }
        }
        (items, objects)
    }

    /// Takes this tenant's messages off the notifications queue.
    async fn notifications(&self) -> Vec<serde_json::Value> {
        let mut mine = Vec::new();
        loop {
            let out = self
                .aws
                .sqs
                .receive_message()
                .queue_url(&self.notifications_queue)
                .max_number_of_messages(10)
                .wait_time_seconds(0)
                .send()
                .await
                .unwrap();
            let messages = out.messages.unwrap_or_default();
            if messages.is_empty() {
                return mine;
            }
            for m in messages {
                let body: serde_json::Value = serde_json::from_str(m.body().unwrap()).unwrap();
                self.aws
                    .sqs
                    .delete_message()
                    .queue_url(&self.notifications_queue)
                    .receipt_handle(m.receipt_handle().unwrap())
                    .send()
                    .await
                    .unwrap();
                if body["tenant_id"] == self.tenant.as_str() {
                    mine.push(body);
                }
            }
        }
    }
}

fn batch(count: usize, first_number: u64) -> NoticeBatch {
    NoticeBatch {
        count,
        offence_window_days: 20,
        issued_on: paris_date(Utc::now()) - Days::new(1),
        first_number,
        seed: first_number,
    }
}

fn unique_number() -> u64 {
    1_000_000_000 + (uuid::Uuid::new_v4().as_u128() % 8_000_000_000) as u64 / 100_000 * 100_000
}

#[tokio::test]
async fn a_notice_file_dropped_in_s3_reaches_its_tenant() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let fleet = w.seed_fleet(4).await;
    let first = unique_number();
    let mut notices = generate_notices(&fleet, &batch(9, first));
    let stranger = SimulatedVehicle {
        plate: Plate::parse("ZY-001-XW", "FRA").unwrap(),
        make: "FIAT".into(),
        model: "DUCATO".into(),
    };
    notices.extend(generate_notices(&[stranger], &batch(1, first + 500)));
    let file = notice_file("IT-ROUTE", Utc::now(), &notices);
    let key = w
        .drop_file(&format!("{}-{}", w.tenant, file.name), file.bytes)
        .await;

    let (stats, _) = w.run_ingest().await;
    assert_eq!((stats.messages, stats.failed), (1, 0));

    let stored = w.storage().tenant_notices(&w.tenant).await.unwrap();
    assert_eq!(stored.len(), 9);
    assert!(
        stored.windows(2).all(|p| p[0].deadline <= p[1].deadline),
        "sorted by deadline"
    );
    assert!(stored
        .iter()
        .all(|n| n.deadline == n.notice.issued_on + Days::new(45)));

    let report = w
        .report(&format!(
            "reports/{}.report.json",
            key.trim_start_matches("inbound/")
        ))
        .await;
    assert_eq!(
        report["counts"],
        serde_json::json!({"read": 10, "routed": 9, "unrouted": 1, "rejected": 0, "duplicate": 0})
    );
    assert_eq!(report["unrouted"][0]["reason"], "UNKNOWN_PLATE");

    let messages = w.notifications().await;
    let total: u64 = messages
        .iter()
        .map(|m| m["notice_count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 9);
    assert!(messages.iter().all(|m| m["type"] == "NOTICES_RECEIVED"));
}

#[tokio::test]
async fn replaying_the_same_s3_event_three_times_leaves_exactly_the_same_data() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let fleet = w.seed_fleet(3).await;
    let file = notice_file(
        "IT-REPLAY",
        Utc::now(),
        &generate_notices(&fleet, &batch(6, unique_number())),
    );
    w.drop_file(&format!("{}-{}", w.tenant, file.name), file.bytes)
        .await;
    let (_, bodies) = w.run_ingest().await;
    assert_eq!(bodies.len(), 1, "one S3 event for one file");
    w.notifications().await;
    let before = w.snapshot().await;

    for _ in 0..3 {
        w.aws
            .sqs
            .send_message()
            .queue_url(&w.ingest_queue)
            .message_body(&bodies[0])
            .send()
            .await
            .unwrap();
    }
    let (stats, _) = w.run_ingest().await;
    assert_eq!((stats.messages, stats.failed), (3, 0));
    assert_eq!(w.snapshot().await, before, "table and bucket unchanged");
    assert!(
        w.notifications().await.is_empty(),
        "no second 'notices received'"
    );
    assert_eq!(
        w.storage().tenant_notices(&w.tenant).await.unwrap().len(),
        6
    );
}

#[tokio::test]
async fn a_damaged_file_is_moved_to_quarantine_with_its_report() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let fleet = w.seed_fleet(2).await;
    let file = notice_file(
        "IT-DAMAGED",
        Utc::now(),
        &generate_notices(&fleet, &batch(3, unique_number())),
    );
    let damaged = String::from_utf8(file.bytes)
        .unwrap()
        .replacen("TRAFIC", "TRAFFIC", 1)
        .into_bytes();
    let name = format!("{}-{}", w.tenant, file.name);
    let key = w.drop_file(&name, damaged.clone()).await;

    let (stats, _) = w.run_ingest().await;
    assert_eq!(stats.failed, 0);
    assert!(w.object(&key).await.is_none(), "removed from inbound");
    assert_eq!(
        w.object(&format!("quarantine/{name}")).await.unwrap(),
        damaged,
        "kept intact aside"
    );
    let report = w.report(&format!("quarantine/{name}.report.json")).await;
    assert_eq!(report["status"], "QUARANTINED");
    assert!(report["file_error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("checksum mismatch"));
    assert!(w
        .storage()
        .tenant_notices(&w.tenant)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_message_that_keeps_failing_ends_in_the_dead_letter_queue() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let poison = format!("not an S3 event {}", w.tenant);
    w.aws
        .sqs
        .send_message()
        .queue_url(&w.ingest_queue)
        .message_body(&poison)
        .send()
        .await
        .unwrap();
    let (stats, _) = w.run_ingest().await;
    assert!(
        stats.failed >= 5,
        "retried up to the redrive count, saw {stats:?}"
    );
    let out = w
        .aws
        .sqs
        .receive_message()
        .queue_url(&w.dead_letter_queue)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    let dead: Vec<&str> = out.messages().iter().filter_map(|m| m.body()).collect();
    assert!(
        dead.contains(&poison.as_str()),
        "poison message kept in the DLQ: {dead:?}"
    );
    for m in out.messages() {
        w.aws
            .sqs
            .delete_message()
            .queue_url(&w.dead_letter_queue)
            .receipt_handle(m.receipt_handle().unwrap())
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn ten_thousand_notices_are_ingested_in_one_invocation() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let fleet = w.seed_fleet(500).await;
    let notices = generate_notices(&fleet, &batch(10_000, unique_number()));
    let file = notice_file("IT-10K", Utc::now(), &notices);
    let name = format!("{}-{}", w.tenant, file.name);
    w.drop_file(&name, file.bytes).await;

    let (stats, _) = w.run_ingest().await;
    assert_eq!(
        (stats.batches, stats.messages, stats.failed),
        (1, 1, 0),
        "one invocation"
    );
    let report = w.report(&format!("reports/{name}.report.json")).await;
    assert_eq!(report["counts"]["routed"], 10_000);
    assert_eq!(
        w.storage().tenant_notices(&w.tenant).await.unwrap().len(),
        10_000
    );
    w.notifications().await;
}
