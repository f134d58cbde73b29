//! Lambda entry point: build config and clients once, then serve the
//! table's stream batches (TTL removals).

use aws_lambda_events::event::dynamodb::Event;
use designa::aws::{AwsClients, DynamoStorage, KmsKeyVault, S3BlobStore};
use designa::ports::SystemClock;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use purge::{Config, Purge};
use tracing::Instrument;

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let config = Config::from_env()?;
    let table = designa::env::required("TABLE_NAME")?;
    let aws = AwsClients::from_env().await;
    let purge = Purge {
        storage: DynamoStorage::new(aws.dynamodb().clone(), table),
        blobs: S3BlobStore::new(aws.s3().clone()),
        clock: SystemClock,
        vault: KmsKeyVault::from_env(&aws)?,
        config,
    };
    let purge = &purge;
    run(service_fn(move |event: LambdaEvent<Event>| async move {
        let span = tracing::info_span!("purge", request_id = %event.context.request_id);
        Ok::<_, Error>(purge.handle(event.payload).instrument(span).await)
    }))
    .await
}
