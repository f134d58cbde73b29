//! The queue consumers the web app waits on, run beside the local API as
//! Lambda's event source mappings would run them in the cloud: the import
//! worker (a presigned upload lands, S3 tells the import queue) and the
//! export worker (POST /exports queues the job). Without them, `make app`
//! would leave large imports and every export waiting for ever.

use crate::runner::drain_queue;
use crate::stack::LocalStack;
use anyhow::{Context, Result};
use designa::app::imports::ImportSettings;
use designa::app::layout::IMPORTS_PREFIX;
use designa::aws::{sealed_storage, AwsClients, S3BlobStore, SesMailer};
use designa::env::Env;
use designa::ports::SystemClock;
use export_worker::ExportWorker;
use import_worker::ImportWorker;
use std::collections::BTreeMap;
use std::time::Duration;

/// How long the loop rests when both queues were empty.
const IDLE: Duration = Duration::from_millis(500);

/// A function's environment as template.yaml gives it.
fn env_of(vars: &BTreeMap<String, String>) -> Env<impl Fn(&str) -> Option<String> + '_> {
    Env::from_lookup(move |name: &str| vars.get(name).cloned())
}

fn import_worker(
    stack: &LocalStack,
    aws: &AwsClients,
) -> Result<ImportWorker<designa::aws::SealedDynamoStorage, S3BlobStore, SystemClock>> {
    let env = env_of(stack.function_env("ImportFunction")?);
    Ok(ImportWorker {
        storage: sealed_storage(aws, &env.required("TABLE_NAME")?)?,
        blobs: S3BlobStore::new(aws.s3().clone()),
        clock: SystemClock,
        settings: ImportSettings {
            bucket: env.required("EXCHANGE_BUCKET")?,
            imports_prefix: env.or("IMPORTS_PREFIX", IMPORTS_PREFIX),
            // moto is not safe with concurrent DynamoDB transactions.
            write_concurrency: 1,
        },
    })
}

type LocalExportWorker =
    ExportWorker<designa::aws::SealedDynamoStorage, S3BlobStore, SesMailer, SystemClock>;

fn export_worker(stack: &LocalStack, aws: &AwsClients) -> Result<LocalExportWorker> {
    let config = export_worker::Config::read(&env_of(stack.function_env("ExportFunction")?))?;
    Ok(ExportWorker {
        storage: sealed_storage(aws, &config.table_name)?,
        blobs: S3BlobStore::new(aws.s3().clone()),
        mailer: SesMailer::new(aws.ses().clone(), &config.sender_address),
        clock: SystemClock,
        config,
    })
}

/// Starts both consumers on the current runtime; they run until the process ends.
pub fn spawn(stack: &LocalStack, aws: &AwsClients) -> Result<()> {
    let imports = import_worker(stack, aws)?;
    let exports = export_worker(stack, aws)?;
    let import_queue = stack.resource("ImportQueue")?.to_string();
    let export_queue = stack.resource("ExportQueue")?.to_string();
    let sqs = aws.sqs().clone();
    tokio::spawn(async move {
        loop {
            let imported = drain_queue(&sqs, &import_queue, 10, |e| imports.handle_event(e)).await;
            let exported = drain_queue(&sqs, &export_queue, 10, |e| exports.handle_event(e)).await;
            let handled = [imported, exported]
                .into_iter()
                .map(|drained| {
                    drained
                        .context("local queue consumer")
                        .inspect_err(|e| tracing::warn!(error = %format!("{e:#}"), "drain failed"))
                        .map_or(0, |stats| stats.messages)
                })
                .sum::<usize>();
            if handled == 0 {
                tokio::time::sleep(IDLE).await;
            }
        }
    });
    Ok(())
}
