//! The ingest pipeline: S3 → SQS → handler → DynamoDB.

use chrono::{Days, Utc};
use designa::domain::{NoticeStatus, Plate};
use designa::ports::NoticeStore;
use designa_integration_tests::exclusive;
use designa_integration_tests::world::{batch, unique_number, world};
use designa_tools::simulator::{generate_notices, notice_file, SimulatedVehicle};

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
            .sqs()
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
    // One byte changed in transit (the header's file id): the checksum no longer matches.
    let damaged = String::from_utf8(file.bytes)
        .unwrap()
        .replacen("IT-DAMAGED", "IT-DAMAGES", 1)
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
        .sqs()
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
        .sqs()
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
            .sqs()
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

/// The dashboard's query reads, in every status, only the notices whose
/// deadline is on or after its first day (gsi1's sort keys, not a filter).
#[tokio::test]
async fn the_dashboard_reads_only_the_notices_due_from_its_first_day() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let fleet = w.seed_fleet(2).await;
    let notices = generate_notices(&fleet, &batch(3, unique_number()));
    let file = notice_file("IT-STATS", Utc::now(), &notices);
    w.drop_file(&format!("{}-{}", w.tenant, file.name), file.bytes)
        .await;
    w.run_ingest().await;
    let mut stored = w.storage().tenant_notices(&w.tenant).await.unwrap();
    assert_eq!(stored.len(), 3);
    // A notice of 400 days ago gone to paper, and one acknowledged (another status's keys).
    stored[0].deadline = stored[0].deadline - Days::new(400);
    stored[0].status = NoticeStatus::GoneToPaper;
    stored[1].status = NoticeStatus::Acknowledged;
    w.storage().put_notices(&stored[..2]).await.unwrap();
    let first_day = stored[2].deadline - Days::new(30);
    let read = w
        .storage()
        .tenant_notices_due_from(&w.tenant, first_day)
        .await
        .unwrap();
    let mut numbers: Vec<&str> = read
        .iter()
        .map(|n| n.notice.notice_number.as_str())
        .collect();
    numbers.sort();
    let mut expected = vec![
        stored[1].notice.notice_number.as_str(),
        stored[2].notice.notice_number.as_str(),
    ];
    expected.sort();
    assert_eq!(numbers, expected);
}
