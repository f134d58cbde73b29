//! Lambda entry point: build config and clients once, then serve SQS batches.

use aws_lambda_events::event::sqs::SqsEvent;
use designa::app::imports::{ImportSettings, DEFAULT_WRITE_CONCURRENCY};
use designa::app::layout::IMPORTS_PREFIX;
use designa::aws::{sealed_storage, AwsClients, S3BlobStore};
use designa::ports::SystemClock;
use import_worker::ImportWorker;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use tracing::Instrument;

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let table = designa::env::required("TABLE_NAME")?;
    let bucket = designa::env::required("EXCHANGE_BUCKET")?;
    let aws = AwsClients::from_env().await;
    let worker = ImportWorker {
        storage: sealed_storage(&aws, &table)?,
        blobs: S3BlobStore::new(aws.s3().clone()),
        clock: SystemClock,
        settings: ImportSettings {
            bucket,
            imports_prefix: designa::env::Env::process().or("IMPORTS_PREFIX", IMPORTS_PREFIX),
            write_concurrency: DEFAULT_WRITE_CONCURRENCY,
        },
    };
    let worker = &worker;
    run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        let span = tracing::info_span!("import", request_id = %event.context.request_id);
        Ok::<_, Error>(worker.handle_event(event.payload).instrument(span).await)
    }))
    .await
}
