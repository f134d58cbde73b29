//! The journal's anchors on the local stack: entries appended to the table
//! (each with its head, in one transaction), the head's item read as the
//! stream carries it, the anchor function writing it to the bucket
//! template.yaml declares under Object Lock (moto keeps the configuration
//! and the checksum it demands; it does not enforce retention, so nothing
//! here relies on it), and the check reading it back.

use aws_lambda_events::event::dynamodb::{Event, EventRecord};
use chrono::Utc;
use designa::app::journal::{append, entries, head, verify, Evidence};
use designa::app::journal_anchors::anchors_to_check;
use designa::aws::S3BlobStore;
use designa::domain::TenantId;
use designa::ports::{RecordStore, SystemClock};
use designa::store::RecordKind;
use designa_integration_tests::world::world;
use designa_integration_tests::{exclusive, local_stack};
use journal_anchor::JournalAnchor;
use serde_json::json;

#[tokio::test]
async fn the_head_is_anchored_under_object_lock_and_a_cut_journal_shows_against_it() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let storage = w.raw_storage();
    let tenant = TenantId(w.tenant.clone());
    for i in 0..6 {
        append(
            &storage,
            &tenant,
            Utc::now(),
            "admin",
            "read",
            format!("driver:d{i}"),
            "req",
        )
        .await
        .unwrap();
    }
    let current = head(&storage, &tenant)
        .await
        .unwrap()
        .expect("written with the entries");
    assert_eq!(current.seq, 6);

    let bucket = local_stack()
        .resource("JournalAnchorBucket")
        .unwrap()
        .to_string();
    let lock = w
        .aws
        .s3()
        .get_object_lock_configuration()
        .bucket(&bucket)
        .send()
        .await
        .unwrap();
    let rule = lock
        .object_lock_configuration()
        .and_then(|c| c.rule())
        .and_then(|r| r.default_retention());
    assert_eq!(
        rule.and_then(|r| r.days()),
        Some(400),
        "compliance retention from the template"
    );

    let function = JournalAnchor {
        blobs: S3BlobStore::new(w.aws.s3().clone()),
        clock: SystemClock,
        bucket: bucket.clone(),
    };
    let report = function.handle_event(stream_of_the_head(&w).await).await;
    assert_eq!((report.anchored, report.failed_at), (1, None));
    let again = function.handle_event(stream_of_the_head(&w).await).await;
    assert_eq!(again.day_already_anchored, 1, "a replay changes nothing");

    let blobs = S3BlobStore::new(w.aws.s3().clone());
    let anchors = anchors_to_check(&blobs, &bucket, &tenant, Utc::now())
        .await
        .unwrap();
    assert_eq!(anchors.iter().map(|a| a.seq).collect::<Vec<_>>(), vec![6]);
    // The two newest entries deleted and the head forged to the fourth.
    for seq in [5, 6] {
        storage
            .delete_record(&tenant, RecordKind::Journal, &format!("{seq:012}"))
            .await
            .unwrap();
    }
    let kept = entries(&storage, &tenant).await.unwrap();
    let stored = storage
        .record(&tenant, RecordKind::Journal, "~head")
        .await
        .unwrap()
        .unwrap();
    let forged = designa::store::Record {
        data: json!({ "seq": 4, "hash": kept[3].hash, "at": kept[3].at }),
        version: stored.version + 1,
        ..stored.clone()
    };
    assert!(storage
        .put_record(&tenant, RecordKind::Journal, &forged, Some(stored.version))
        .await
        .unwrap());
    let forged_head = head(&storage, &tenant).await.unwrap();
    let evidence = Evidence {
        head: forged_head.as_ref(),
        anchors: &anchors,
        now: Utc::now(),
    };
    let found = verify(&kept, &evidence);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0]
        .problem
        .starts_with("les entrées 5 à 6 manquent alors qu'elles ont été ancrées le"));
}

/// The head's item as the stream's NewImage carries it.
async fn stream_of_the_head(w: &designa_integration_tests::world::World) -> Event {
    let key = serde_dynamo::aws_sdk_dynamodb_1::to_item(json!({
        "pk": format!("TENANT#{}", w.tenant),
        "sk": journal_anchor::HEAD_SORT_KEY,
    }))
    .unwrap();
    let item = w
        .aws
        .dynamodb()
        .get_item()
        .table_name(&w.config.table_name)
        .set_key(Some(key))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .expect("the head is stored");
    let mut record = EventRecord::default();
    record.event_name = "MODIFY".into();
    record.change.new_image = serde_dynamo::Item::from(item);
    record.change.sequence_number = Some("1".into());
    let mut event = Event::default();
    event.records = vec![record];
    event
}
