//! Lambda entry point: build config and clients once, then serve SQS batches.

use aws_lambda_events::event::sqs::SqsEvent;
use designa::aws::{sealed_storage, AwsClients, S3BlobStore, SesMailer, SqsQueue};
use designa::ports::SystemClock;
use ingest::{Config, Ingest};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use tracing::Instrument;

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let config = Config::from_env()?;
    let aws = AwsClients::from_env().await;
    let handler = Ingest {
        blobs: S3BlobStore::new(aws.s3().clone()),
        storage: sealed_storage(&aws, &config.table_name)?,
        queue: SqsQueue::new(aws.sqs().clone()),
        clock: SystemClock,
        mailer: SesMailer::new(aws.ses().clone(), &config.sender_address),
        config,
    };
    let handler = &handler;
    run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        // The Lambda request id is the correlation id of every log line of this batch.
        let span = tracing::info_span!("ingest", request_id = %event.context.request_id);
        Ok::<_, Error>(handler.handle_event(event.payload).instrument(span).await)
    }))
    .await
}
