//! Inbound files' leases in memory: a claim is refused while another lease is
//! live, as the table's conditional write refuses it.

use super::MemoryStorage;
use crate::ports::{FileStore, PortError};
use crate::store::{FileClaim, FileOutcome, FileStatus};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
impl FileStore for MemoryStorage {
    async fn claim_file(
        &self,
        file_key: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<FileClaim, PortError> {
        self.request("claim_file").await?;
        let mut t = self.tables.lock().unwrap();
        match t.files.get(file_key) {
            Some((FileStatus::Processing, Some(lease), _)) if *lease >= now => {
                return Ok(FileClaim::Busy {
                    lease_until: *lease,
                })
            }
            Some((status, _, Some(outcome))) if *status != FileStatus::Processing => {
                return Ok(FileClaim::AlreadyFinished(outcome.clone()))
            }
            _ => {}
        }
        let old = t.files.insert(
            file_key.to_string(),
            (FileStatus::Processing, Some(lease_until), None),
        );
        Ok(FileClaim::Acquired {
            taken_over: old.is_some(),
        })
    }

    async fn finish_file(&self, file_key: &str, outcome: &FileOutcome) -> Result<(), PortError> {
        self.request("finish_file").await?;
        self.tables.lock().unwrap().files.insert(
            file_key.to_string(),
            (outcome.status, None, Some(outcome.clone())),
        );
        Ok(())
    }
}
