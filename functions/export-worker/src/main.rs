//! Lambda entry point: build config and clients once, then serve SQS batches.

use aws_lambda_events::event::sqs::SqsEvent;
use designa::aws::{sealed_storage, AwsClients, S3BlobStore, SesMailer};
use designa::ports::SystemClock;
use export_worker::{Config, ExportWorker};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use tracing::Instrument;

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let config = Config::from_env()?;
    let aws = AwsClients::from_env().await;
    let worker = ExportWorker {
        // The requester's e-mail is sealed.
        storage: sealed_storage(&aws, &config.table_name)?,
        blobs: S3BlobStore::new(aws.s3().clone()),
        mailer: SesMailer::new(aws.ses().clone(), &config.sender_address),
        clock: SystemClock,
        config,
    };
    let worker = &worker;
    run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        let span = tracing::info_span!("export", request_id = %event.context.request_id);
        Ok::<_, Error>(worker.handle_event(event.payload).instrument(span).await)
    }))
    .await
}
