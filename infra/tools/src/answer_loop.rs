//! The answer loop on the local stack, as `make demo` and the end-to-end
//! test drive it: the outbound batch job as its schedule would run it, and
//! the ANTAI simulator answering an outbound file with acknowledgements
//! dropped into the inbound prefix, as the relay would.

use crate::simulator::acknowledge;
use answer_jobs::{AnswerJobs, BatchReport};
use anyhow::{Context, Result};
use aws_sdk_s3::primitives::ByteStream;
use chrono::{DateTime, Utc};
use designa::aws::{sealed_storage, AwsClients, S3BlobStore};
use designa::memory::FixedClock;

/// Runs the outbound batch job with its clock at `at` (past the grace window).
pub async fn send_due_answers(
    aws: &AwsClients,
    table: &str,
    bucket: &str,
    at: DateTime<Utc>,
) -> Result<Vec<BatchReport>> {
    let jobs = AnswerJobs {
        store: sealed_storage(aws, table).map_err(anyhow::Error::msg)?,
        blobs: S3BlobStore::new(aws.s3().clone()),
        clock: FixedClock::at(at),
        // The batch job sends nothing to the notifications queue.
        queue: designa::memory::MemoryQueue::default(),
        config: answer_jobs::Config {
            exchange_bucket: bucket.into(),
            ..answer_jobs::Config::for_tests()
        },
    };
    Ok(jobs.send_due_answers().await?)
}

/// Reads an outbound answers file, has the simulator acknowledge it (a
/// share refused), and drops the acknowledgements into `inbound/`; returns
/// the new object's key and the file's text.
pub async fn acknowledge_outbound(
    aws: &AwsClients,
    bucket: &str,
    outbound_key: &str,
    error_share: f64,
    seed: u64,
) -> Result<(String, String)> {
    let answers = aws
        .s3()
        .get_object()
        .bucket(bucket)
        .key(outbound_key)
        .send()
        .await
        .with_context(|| format!("reading s3://{bucket}/{outbound_key}"))?
        .body
        .collect()
        .await?
        .into_bytes();
    let file = acknowledge(&answers, error_share, Utc::now(), seed)
        .with_context(|| format!("{outbound_key} is not a valid answers file"))?;
    let key = format!("inbound/{}", file.name);
    aws.s3()
        .put_object()
        .bucket(bucket)
        .key(&key)
        .body(ByteStream::from(file.bytes.clone()))
        .send()
        .await
        .with_context(|| format!("writing s3://{bucket}/{key}"))?;
    Ok((key, String::from_utf8_lossy(&file.bytes).into_owned()))
}
