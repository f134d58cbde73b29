//! Lambda entry point: build the client once, then serve the table's
//! stream batches (journal heads).

use aws_lambda_events::event::dynamodb::Event;
use designa::aws::{AwsClients, S3BlobStore};
use designa::ports::SystemClock;
use journal_anchor::JournalAnchor;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use tracing::Instrument;

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let aws = AwsClients::from_env().await;
    let anchor = JournalAnchor {
        blobs: S3BlobStore::new(aws.s3().clone()),
        clock: SystemClock,
        bucket: designa::env::required("JOURNAL_ANCHOR_BUCKET")?,
    };
    let anchor = &anchor;
    run(service_fn(move |event: LambdaEvent<Event>| async move {
        let span = tracing::info_span!("journal_anchor", request_id = %event.context.request_id);
        Ok::<_, Error>(anchor.handle(event.payload).instrument(span).await)
    }))
    .await
}
