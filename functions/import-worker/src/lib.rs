//! The import worker: a workbook lands under `imports/<tenant>/<id>.xlsx`
//! through a presigned upload; S3 tells the import queue; this handler runs
//! the same `Importer` as the API's inline imports and keeps the import
//! record's status and progress up to date. Deliveries of an import already
//! processed (or being processed) are acknowledged without work.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use designa::app::imports::{process_upload, ImportSettings, Importer};
use designa::app::AppError;
use designa::aws::batch::{sqs_batch, MessageError};
use designa::aws::s3_events::{objects_from_message, NotAnS3Event};
use designa::ports::{BlobStore, Clock, Storage};
use tracing::info;

/// Why a message was not handled; it comes back, then goes to the
/// dead-letter queue.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    NotAnS3Event(#[from] NotAnS3Event),
    #[error("{}", designa::error::error_chain(.0))]
    Import(#[from] AppError),
}

impl MessageError for ImportError {}

pub struct ImportWorker<S, B, C> {
    pub storage: S,
    pub blobs: B,
    pub clock: C,
    pub settings: ImportSettings,
}

impl<S: Storage, B: BlobStore, C: Clock> ImportWorker<S, B, C> {
    /// One SQS batch; failed messages come back, then go to the dead-letter queue.
    pub async fn handle_event(&self, event: SqsEvent) -> SqsBatchResponse {
        sqs_batch(event, |message| async move {
            self.handle_message(&message.body, &message.id).await
        })
        .await
    }

    pub async fn handle_message(&self, body: &str, message_id: &str) -> Result<(), ImportError> {
        let importer = Importer {
            storage: &self.storage,
            blobs: &self.blobs,
            clock: &self.clock,
            settings: &self.settings,
        };
        for object in objects_from_message(body)? {
            match process_upload(&importer, &object.key, message_id).await? {
                Some(record) => info!(
                    import_id = %record.import_id,
                    status = ?record.status,
                    rows = record.rows_total,
                    errors = record.errors_total,
                    "import processed"
                ),
                None => info!("nothing to do for this object (unknown, or already processed)"),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
