//! The decorator itself: which calls fail, how, and with what.

use super::*;
use crate::memory::{MemoryBlobStore, MemoryKeyVault, MemoryMailer, MemoryQueue, MemoryStorage};
use crate::ports::{BlobStore, Mailer, Queue, QueueMessage, RecordStore, TemplatedEmail};
use crate::privacy::{KeyVault, Subject};
use crate::store::{Record, RecordKind};

fn record(id: &str) -> Record {
    Record::new(id, 1, &serde_json::json!({ "id": id }))
}

async fn put(storage: &impl RecordStore, id: &str) -> Result<bool, PortError> {
    storage
        .put_record(&"t1".into(), RecordKind::Entity, &record(id), None)
        .await
}

async fn stored(storage: &MemoryStorage, id: &str) -> bool {
    let found = storage.record(&"t1".into(), RecordKind::Entity, id).await;
    found.unwrap().is_some()
}

#[tokio::test]
async fn the_chosen_call_fails_before_it_happens_and_the_others_go_through() {
    let faults = Faults::new();
    let storage = faults.wrap(MemoryStorage::default());
    faults.fail_call(1, Mode::Before);
    assert!(put(&storage, "a").await.unwrap());
    let error = put(&storage, "b").await.unwrap_err();
    assert_eq!(error.operation, "dynamodb:PutItem");
    assert!(put(&storage, "c").await.unwrap());
    assert!(!stored(&storage, "b").await, "nothing was written");
    assert_eq!(faults.calls(), 3);
    assert_eq!(faults.trace(), ["RecordStore::put_record"; 3]);
    let injected = faults.injected();
    assert_eq!((injected[0].call, injected[0].mode), (1, Mode::Before));
}

#[tokio::test]
async fn a_lost_response_fails_a_write_that_happened() {
    let faults = Faults::new();
    let storage = faults.wrap(MemoryStorage::default());
    faults.fail_call_of("RecordStore::put_record", 0, Mode::ResponseLost);
    assert!(put(&storage, "a").await.is_err());
    assert!(stored(&storage, "a").await, "written all the same");
    // The caller's retry meets its own write: the conditional put refuses.
    assert!(!put(&storage, "a").await.unwrap());
}

#[tokio::test]
async fn calls_are_numbered_across_every_port_of_the_plan() {
    let faults = Faults::new();
    let blobs = faults.wrap(MemoryBlobStore::default());
    let queue = faults.wrap(MemoryQueue::default());
    let mailer = faults.wrap(MemoryMailer::default());
    faults.fail_call(2, Mode::Before);
    blobs
        .put("b", "k", b"x".to_vec(), "text/plain")
        .await
        .unwrap();
    let message = QueueMessage {
        id: "m0".into(),
        body: "{}".into(),
    };
    queue.send("q", &[message]).await.unwrap();
    let email = TemplatedEmail {
        to: "camille@exemple.example".into(),
        template: "t".into(),
        data: serde_json::json!({}),
    };
    let error = mailer.send_templated(&email).await.unwrap_err();
    assert_eq!(error.operation, "ses:SendTemplatedEmail");
    assert!(mailer.templated.lock().unwrap().is_empty());
    assert_eq!(
        faults.trace(),
        ["BlobStore::put", "Queue::send", "Mailer::send_templated"]
    );
}

/// The errors read in the logs as AWS's own: code, message, and what the
/// SDK says around them.
#[tokio::test]
async fn injected_errors_are_the_ones_aws_returns() {
    let cases: [(Site, Mode, usize, &str); 8] = [
        (
            Site::new("t", "dynamodb:PutItem", Service::DynamoDb),
            Mode::Before,
            0,
            "ProvisionedThroughputExceededException: The level of configured provisioned throughput",
        ),
        (
            Site::new("t", "dynamodb:PutItem", Service::DynamoDb),
            Mode::Before,
            1,
            "ThrottlingException: Throughput exceeds the current capacity",
        ),
        (
            Site::new("t", "dynamodb:TransactWriteItems", Service::DynamoDbTransaction),
            Mode::Before,
            0,
            "TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]",
        ),
        (
            Site::new("t", "s3:PutObject", Service::S3),
            Mode::Before,
            0,
            "unhandled error (SlowDown)",
        ),
        (
            Site::new("t", "ses:SendTemplatedEmail", Service::Ses),
            Mode::Before,
            0,
            "unhandled error (Throttling)",
        ),
        (
            Site::new("t", "kms:Decrypt", Service::Kms),
            Mode::Before,
            2,
            "KeyUnavailableException: The request was rejected because the specified KMS key was not available",
        ),
        (
            Site::new("t", "dynamodb:GetItem", Service::DynamoDb),
            Mode::ResponseLost,
            0,
            "InternalServerError: Internal server error",
        ),
        (
            Site::new("t", "sqs:SendMessageBatch", Service::Sqs),
            Mode::ResponseLost,
            0,
            "request has timed out: operation attempt timeout (single attempt) occurred after 30s",
        ),
    ];
    for (site, mode, call, expected) in cases {
        let error = aws_errors::error(site, mode, call);
        assert_eq!(error.operation, site.operation);
        let chain = error.chain();
        assert!(chain.contains(expected), "{chain}");
        assert!(
            std::error::Error::source(&error).is_some(),
            "the cause is kept"
        );
    }
}

#[tokio::test]
async fn the_status_and_code_are_those_of_the_service() {
    use aws_sdk_s3::error::ProvideErrorMetadata;
    let site = Site::new("t", "s3:GetObject", Service::S3);
    let error = aws_errors::error(site, Mode::Before, 0);
    let cause = std::error::Error::source(&error).unwrap();
    let sdk = cause
        .downcast_ref::<aws_sdk_s3::error::SdkError<aws_sdk_s3::Error>>()
        .expect("an SdkError of S3");
    assert_eq!(sdk.raw_response().unwrap().status().as_u16(), 503);
    assert_eq!(sdk.as_service_error().unwrap().code(), Some("SlowDown"));
}

#[tokio::test]
async fn a_seed_fails_the_same_calls_in_either_mode() {
    let run = |seed| async move {
        let faults = Faults::new();
        let vault = faults.wrap(MemoryKeyVault::default());
        faults.fail_randomly(100, seed);
        for i in 0..400 {
            let _ = vault
                .key(&Subject::driver(&"t1".into(), &format!("d{i}")))
                .await;
        }
        faults.injected()
    };
    let first = run(7).await;
    let again = run(7).await;
    let calls = |faults: &[Injected]| faults.iter().map(|f| f.call).collect::<Vec<_>>();
    assert_eq!(calls(&first), calls(&again), "reproducible");
    assert!(
        (20..=60).contains(&first.len()),
        "about 10 %: {}",
        first.len()
    );
    for mode in [Mode::Before, Mode::ResponseLost] {
        assert!(first.iter().any(|f| f.mode == mode), "{mode:?} happens");
    }
    assert_ne!(
        calls(&first),
        calls(&run(8).await),
        "another seed, other calls"
    );
}

#[tokio::test]
async fn healed_ports_stop_failing() {
    let faults = Faults::new();
    let blobs = faults.wrap(MemoryBlobStore::default());
    faults.fail_randomly(1000, 1);
    assert!(blobs.list("b", "").await.is_err());
    faults.heal();
    assert!(blobs.list("b", "").await.is_ok());
}
