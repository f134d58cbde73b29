//! The ANTAI exchange format, version 1 (see docs/antai-exchange.md).
//!
//! This is designa's own documented format, pending ANTAI's official
//! specification: everything that knows its shape lives in this module, so
//! the real one can replace it without touching the rest.
//!
//! A file is UTF-8 text, one record per line:
//! `ENTETE` header, `DETAIL` records, `FIN` trailer with the line count and a
//! SHA-256 of every byte before the trailer.

mod fields;
mod reader;
mod records;
mod writer;

pub use fields::{escape_field, split_fields, FieldError, Fields};
pub use reader::{parse_async, parse_bytes, FileError, FileParser, ParsedFile, RecordError};
pub use records::{AckOutcome, AckRecord, AnswerRecord, FleetOperation, FleetRecord};
pub use writer::{write_file, FileWriter};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Name of the format in the header.
pub const FORMAT_NAME: &str = "DESIGNA-ANTAI";
/// The version this code writes.
pub const CURRENT_VERSION: u32 = 1;
/// Versions this code reads.
pub const SUPPORTED_VERSIONS: &[u32] = &[1];
/// Longest accepted line, in bytes: a longer one means a broken file.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// The four kinds of files exchanged through the relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    /// Inbound: notices awaiting designation (demandes de désignation).
    Notices,
    /// Outbound: our answers (désignations and other answers).
    Answers,
    /// Inbound: ANTAI's acknowledgements of our answers (accusés de réception).
    Acknowledgements,
    /// Outbound: the fleet declaration (full or daily changes).
    FleetDeclaration,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Notices,
        Kind::Answers,
        Kind::Acknowledgements,
        Kind::FleetDeclaration,
    ];

    /// The code written in headers and file names.
    pub fn code(&self) -> &'static str {
        match self {
            Kind::Notices => "DEMANDES_DESIGNATION",
            Kind::Answers => "REPONSES_DESIGNATION",
            Kind::Acknowledgements => "ACCUSES_RECEPTION",
            Kind::FleetDeclaration => "DECLARATION_FLOTTE",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The header line's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub version: u32,
    pub kind: Kind,
    /// Sender's identifier of the file, unique per sender and kind.
    pub file_id: String,
    pub created_at: DateTime<Utc>,
}

/// A record type carried by one kind of file.
pub trait Record: Sized {
    const KIND: Kind;
    /// Field names in order, after the `DETAIL` marker (ANTAI vocabulary where it exists).
    const FIELDS: &'static [&'static str];
    fn to_fields(&self) -> Vec<String>;
    fn from_fields(fields: &Fields) -> Result<Self, FieldError>;
}

/// A file identifier: 1 to 64 ASCII letters, digits or dashes.
pub fn is_valid_file_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The conventional file name: `<KIND>_<YYYYMMDDTHHMMSSZ>_<file_id>.v<version>.txt`.
pub fn file_name(header: &Header) -> String {
    format!(
        "{}_{}_{}.v{}.txt",
        header.kind.code(),
        header.created_at.format("%Y%m%dT%H%M%SZ"),
        header.file_id,
        header.version
    )
}

#[cfg(test)]
mod tests;
