//! The anchor function on in-memory ports, fed stream records as DynamoDB
//! writes them.

use super::*;
use aws_lambda_events::event::dynamodb::StreamViewType;
use chrono::{DateTime, Duration, TimeZone, Utc};
use designa::app::journal::{append, head};
use designa::app::journal_anchors::{anchor_key, anchors_to_check};
use designa::domain::time::paris_date;
use designa::memory::{FixedClock, MemoryBlobStore, MemoryStorage};
use designa::ports::RecordStore;
use designa::store::RecordKind;

const BUCKET: &str = "journal-anchors";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
}

fn function(at: DateTime<Utc>) -> JournalAnchor<MemoryBlobStore, FixedClock> {
    JournalAnchor {
        blobs: MemoryBlobStore::default(),
        clock: FixedClock::at(at),
        bucket: BUCKET.into(),
    }
}

/// The stream record of a write of `item`, as DynamoDB sends it.
fn written(item: &RecordItem, sequence: &str) -> EventRecord {
    let mut record = EventRecord::default();
    record.event_name = "MODIFY".into();
    record.change.new_image = serde_dynamo::to_item(item).unwrap();
    record.change.sequence_number = Some(sequence.into());
    record.change.stream_view_type = Some(StreamViewType::NewAndOldImages);
    record
}

/// The head item after `count` entries, each written at `at`.
async fn head_after(storage: &MemoryStorage, count: usize, at: DateTime<Utc>) -> RecordItem {
    let tenant = TenantId("acme".into());
    for i in 0..count {
        append(
            storage,
            &tenant,
            at,
            "admin",
            "read",
            format!("driver:d{i}"),
            "req",
        )
        .await
        .unwrap();
    }
    let record = storage
        .record(&tenant, RecordKind::Journal, "~head")
        .await
        .unwrap()
        .expect("a head");
    RecordItem::new(&tenant, RecordKind::Journal, &record)
}

fn batch(records: Vec<EventRecord>) -> Event {
    let mut event = Event::default(); // non-exhaustive
    event.records = records;
    event
}

#[tokio::test]
async fn the_first_head_of_each_day_is_anchored_and_replays_change_nothing() {
    let storage = MemoryStorage::default();
    let f = function(now());
    let morning = head_after(&storage, 3, now()).await;
    let noon = head_after(&storage, 2, now() + Duration::hours(3)).await;
    let report = f
        .handle_event(batch(vec![
            written(&morning, "1"),
            written(&noon, "2"),
            written(&morning, "1"),
        ]))
        .await;
    assert_eq!((report.anchored, report.day_already_anchored), (1, 2));
    let key = anchor_key(&"acme".into(), paris_date(now()));
    let anchor: serde_json::Value =
        serde_json::from_slice(&f.blobs.get(BUCKET, &key).unwrap()).unwrap();
    assert_eq!(anchor["seq"], 3, "the day's first head stands");

    let tomorrow = head_after(&storage, 1, now() + Duration::days(1)).await;
    assert_eq!(
        f.handle_event(batch(vec![written(&tomorrow, "3")]))
            .await
            .anchored,
        1
    );
    let anchors = anchors_to_check(&f.blobs, BUCKET, &"acme".into(), now() + Duration::days(1))
        .await
        .unwrap();
    let seqs: Vec<u64> = anchors.iter().map(|a| a.seq).collect();
    assert_eq!(seqs, vec![3, 6], "the oldest of the year and the newest");
    let current = head(&storage, &"acme".into()).await.unwrap().unwrap();
    assert_eq!(current.seq, 6);
}

#[tokio::test]
async fn other_items_are_ignored_and_a_broken_head_stops_the_batch_where_it_is() {
    let storage = MemoryStorage::default();
    let f = function(now());
    let head = head_after(&storage, 1, now()).await;
    let entry = storage
        .record(&"acme".into(), RecordKind::Journal, "000000000001")
        .await
        .unwrap()
        .unwrap();
    let entry = RecordItem::new(&"acme".into(), RecordKind::Journal, &entry);
    let mut broken = head.clone();
    broken.record.data = serde_json::json!({ "seq": "not a number" });
    let mut removal = written(&head, "3");
    removal.event_name = "REMOVE".into();
    let report = f
        .handle_event(batch(vec![
            written(&entry, "1"),
            removal,
            written(&broken, "4"),
            written(&head, "5"),
        ]))
        .await;
    assert_eq!(report.ignored, 2);
    assert_eq!(report.anchored, 0);
    assert_eq!(
        report.failed_at.as_deref(),
        Some("4"),
        "Lambda resumes from it"
    );
    let response = f.handle(batch(vec![written(&broken, "4")])).await;
    assert_eq!(response.batch_item_failures.len(), 1);
}

#[tokio::test]
async fn the_sample_event_anchors_its_head() {
    let text = include_str!("../../../events/journal-anchor-head-written.json");
    let event: Event = serde_json::from_str(text).expect("the stream's shape");
    let f = function(now());
    assert_eq!(f.handle_event(event).await.anchored, 1);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let key = anchor_key(&"transports-exemple".into(), day);
    let anchor: serde_json::Value =
        serde_json::from_slice(&f.blobs.get(BUCKET, &key).unwrap()).unwrap();
    assert_eq!(anchor["seq"], 42);
}
