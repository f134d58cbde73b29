//! The processing report stored for every inbound file.

use chrono::{DateTime, Utc};
use designa::domain::UnroutedReason;
use designa::exchange::{FileError, Header, RecordError};
use designa::store::{FileCounts, FileStatus};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub bucket: String,
    pub key: String,
    /// Identity of this delivery of the file (bucket, key and version).
    pub file_key: String,
    pub status: FileStatus,
    pub header: Option<Header>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub counts: FileCounts,
    /// Why the whole file was refused, when it was.
    pub file_error: Option<FileErrorReport>,
    /// Where the refused file was moved.
    pub quarantined_to: Option<String>,
    pub rejected: Vec<RecordError>,
    pub unrouted: Vec<UnroutedLine>,
    pub duplicates: Vec<DuplicateLine>,
    pub routed_by_entity: Vec<EntityCount>,
    /// For an acknowledgements file: what its lines did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledgements: Option<AckCounts>,
    /// New notices stored with an automatic designation prepared.
    pub auto_designated: usize,
}

/// What the lines of an acknowledgements file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AckCounts {
    /// Answers now acknowledged.
    pub acknowledged: usize,
    /// Answers ANTAI refused: the entity's designation users are told.
    pub refused: usize,
    pub in_progress: usize,
    /// Lines already applied by an earlier delivery.
    pub already_applied: usize,
    /// About an earlier transmission: kept in the history only.
    pub stale: usize,
    /// Designated drivers told by e-mail.
    pub drivers_told: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileErrorReport {
    pub message: String,
    pub detail: FileError,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnroutedLine {
    pub line: usize,
    pub notice_number: String,
    pub reason: UnroutedReason,
    pub explanation: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct DuplicateLine {
    pub line: usize,
    pub notice_number: String,
    /// The file the notice was first stored from ("this file" for a repeat inside it).
    pub first_seen_in: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EntityCount {
    pub tenant_id: String,
    pub entity_id: String,
    pub notices: usize,
}
