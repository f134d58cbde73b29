//! Lambda entry point: build config and clients once, then run the job the
//! schedule names (`{"job": "outbound_batch"}` or `{"job": "deadline_sweep"}`).

use answer_jobs::{AnswerJobs, Config, JobRequest};
use designa::aws::{sealed_storage, AwsClients, S3BlobStore, SqsQueue};
use designa::ports::SystemClock;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    designa::logging::init();
    let config = Config::from_env()?;
    let table = designa::env::required("TABLE_NAME")?;
    let aws = AwsClients::from_env().await;
    let jobs = AnswerJobs {
        store: sealed_storage(&aws, &table)?,
        blobs: S3BlobStore::new(aws.s3().clone()),
        clock: SystemClock,
        queue: SqsQueue::new(aws.sqs().clone()),
        config,
    };
    let jobs = &jobs;
    run(service_fn(
        move |event: LambdaEvent<JobRequest>| async move {
            Ok::<_, Error>(jobs.run(event.payload).await?)
        },
    ))
    .await
}
