//! Streaming reader: lines are pushed one at a time, so a file is never held
//! whole in memory, and every problem names its line.

use super::fields::{split_fields, Fields};
use super::{Header, Kind, Record, FORMAT_NAME, MAX_LINE_BYTES, SUPPORTED_VERSIONS};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::marker::PhantomData;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// A problem that makes the whole file untrustworthy: it is quarantined.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "line {line}: not valid UTF-8 at byte {byte} of the line (files must be UTF-8 encoded)"
    )]
    WrongEncoding { line: usize, byte: usize },
    #[error("line 1: not a header: {reason}")]
    BadHeader { reason: String },
    #[error("line 1: unknown format version {found} (supported: {supported})")]
    UnknownVersion { found: String, supported: String },
    #[error("line 1: this is a {found} file, expected {expected}")]
    WrongKind { found: String, expected: String },
    #[error("line {line}: longer than {max} bytes")]
    LineTooLong { line: usize, max: usize },
    #[error("truncated: the file ends at line {last_line} without a FIN trailer")]
    MissingTrailer { last_line: usize },
    #[error("line {line}: bad trailer: {reason}")]
    BadTrailer { line: usize, reason: String },
    #[error("the trailer announces {declared} lines but the file has {found}")]
    CountMismatch { declared: usize, found: usize },
    #[error("checksum mismatch: the trailer says {declared}, the content hashes to {computed}")]
    ChecksumMismatch { declared: String, computed: String },
    #[error("line {line}: content after the FIN trailer")]
    DataAfterTrailer { line: usize },
    #[error("reading the file failed: {message}")]
    Io { message: String },
}

/// A rejected line; the rest of the file is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordError {
    pub line: usize,
    /// The faulty field, when one is to blame.
    pub field: Option<String>,
    pub reason: String,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "line {}: field '{}': {}", self.line, field, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

/// What one pushed line yields: nothing (header, trailer), a record with its
/// line number, or that line's rejection.
pub type LineResult<T> = Option<Result<(usize, T), RecordError>>;

enum State {
    ExpectHeader,
    InBody,
    AfterTrailer,
}

/// Push parser for one file of kind `T::KIND`.
pub struct FileParser<T: Record> {
    state: State,
    hasher: Sha256,
    line_no: usize,
    body_lines: usize,
    header: Option<Header>,
    last_line_unterminated: bool,
    _record: PhantomData<T>,
}

impl<T: Record> Default for FileParser<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Record> FileParser<T> {
    pub fn new() -> Self {
        FileParser {
            state: State::ExpectHeader,
            hasher: Sha256::new(),
            line_no: 0,
            body_lines: 0,
            header: None,
            last_line_unterminated: false,
            _record: PhantomData,
        }
    }

    pub fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }

    /// Feeds one raw line, line ending included when there is one. Returns a
    /// record (or its rejection) for `DETAIL` lines, `None` for the others.
    pub fn push_line(&mut self, raw: &[u8]) -> Result<LineResult<T>, FileError> {
        self.line_no += 1;
        let line_no = self.line_no;
        if raw.len() > MAX_LINE_BYTES {
            return Err(FileError::LineTooLong {
                line: line_no,
                max: MAX_LINE_BYTES,
            });
        }
        self.last_line_unterminated = !raw.ends_with(b"\n");
        let text = std::str::from_utf8(raw).map_err(|e| FileError::WrongEncoding {
            line: line_no,
            byte: e.valid_up_to() + 1,
        })?;
        let content = text.strip_suffix('\n').unwrap_or(text);
        let content = content.strip_suffix('\r').unwrap_or(content);
        match self.state {
            State::ExpectHeader => {
                let content = content.strip_prefix('\u{feff}').unwrap_or(content);
                self.header = Some(parse_header::<T>(content)?);
                self.hasher.update(raw);
                self.state = State::InBody;
                Ok(None)
            }
            State::InBody if content.starts_with("FIN;") || content == "FIN" => {
                self.check_trailer(content)?;
                self.state = State::AfterTrailer;
                Ok(None)
            }
            State::InBody => {
                self.hasher.update(raw);
                self.body_lines += 1;
                Ok(Some(parse_detail::<T>(line_no, content)))
            }
            State::AfterTrailer if content.is_empty() => Ok(None),
            State::AfterTrailer => Err(FileError::DataAfterTrailer { line: line_no }),
        }
    }

    fn check_trailer(&mut self, content: &str) -> Result<(), FileError> {
        let line = self.line_no;
        let bad = |reason: String| FileError::BadTrailer { line, reason };
        let parts: Vec<&str> = content.split(';').collect();
        if parts.len() != 3 {
            return Err(bad(format!(
                "expected FIN;<line count>;<sha256>, found {} fields",
                parts.len()
            )));
        }
        let declared: usize = parts[1]
            .parse()
            .map_err(|_| bad(format!("line count '{}' is not a number", parts[1])))?;
        let checksum = parts[2];
        if checksum.len() != 64 || !checksum.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad(format!(
                "checksum '{checksum}' is not 64 hexadecimal characters"
            )));
        }
        if declared != self.body_lines {
            return Err(FileError::CountMismatch {
                declared,
                found: self.body_lines,
            });
        }
        let computed = hex::encode(std::mem::take(&mut self.hasher).finalize());
        if !checksum.eq_ignore_ascii_case(&computed) {
            return Err(FileError::ChecksumMismatch {
                declared: checksum.to_string(),
                computed,
            });
        }
        Ok(())
    }

    /// Ends the file: it must have had a header and a trailer.
    pub fn finish(self) -> Result<Header, FileError> {
        match self.state {
            State::ExpectHeader => Err(FileError::Empty),
            State::InBody => Err(FileError::MissingTrailer {
                last_line: self.line_no,
            }),
            State::AfterTrailer => Ok(self.header.expect("header parsed before trailer")),
        }
    }

    pub fn lines_read(&self) -> usize {
        self.line_no
    }

    /// True when the last line pushed had no line ending (only fine for the trailer).
    pub fn last_line_unterminated(&self) -> bool {
        self.last_line_unterminated
    }
}

fn parse_header<T: Record>(content: &str) -> Result<Header, FileError> {
    let bad = |reason: &str| FileError::BadHeader {
        reason: reason.to_string(),
    };
    let parts: Vec<&str> = content.split(';').collect();
    if parts.first() != Some(&"ENTETE") {
        return Err(bad("the first line must start with ENTETE"));
    }
    if parts.len() != 6 {
        return Err(bad(&format!(
            "expected ENTETE;{FORMAT_NAME};<version>;<kind>;<file id>;<created at>, found {} fields",
            parts.len()
        )));
    }
    if parts[1] != FORMAT_NAME {
        return Err(bad(&format!("format '{}' is not {FORMAT_NAME}", parts[1])));
    }
    let version = parts[2]
        .parse::<u32>()
        .ok()
        .filter(|v| SUPPORTED_VERSIONS.contains(v))
        .ok_or_else(|| FileError::UnknownVersion {
            found: parts[2].to_string(),
            supported: SUPPORTED_VERSIONS
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let kind =
        Kind::from_code(parts[3]).ok_or_else(|| bad(&format!("unknown kind '{}'", parts[3])))?;
    if kind != T::KIND {
        return Err(FileError::WrongKind {
            found: kind.code().to_string(),
            expected: T::KIND.code().to_string(),
        });
    }
    if !super::is_valid_file_id(parts[4]) {
        return Err(bad(&format!(
            "file id '{}' must be 1 to 64 letters, digits or dashes",
            parts[4]
        )));
    }
    let created_at = DateTime::parse_from_rfc3339(parts[5])
        .map_err(|_| bad(&format!("creation time '{}' is not RFC 3339", parts[5])))?
        .with_timezone(&Utc);
    Ok(Header {
        version,
        kind,
        file_id: parts[4].to_string(),
        created_at,
    })
}

fn parse_detail<T: Record>(line: usize, content: &str) -> Result<(usize, T), RecordError> {
    let reject = |field: Option<&str>, reason: String| RecordError {
        line,
        field: field.map(str::to_string),
        reason,
    };
    let Some(body) = content.strip_prefix("DETAIL;") else {
        let shown: String = content.chars().take(20).collect();
        return Err(reject(
            None,
            if content.trim().is_empty() {
                "empty line".to_string()
            } else {
                format!("not a DETAIL record (starts with '{shown}')")
            },
        ));
    };
    let values = split_fields(body).map_err(|e| reject(None, e))?;
    if values.len() != T::FIELDS.len() {
        return Err(reject(
            None,
            format!(
                "expected {} fields after DETAIL, found {}",
                T::FIELDS.len(),
                values.len()
            ),
        ));
    }
    T::from_fields(&Fields::new::<T>(&values))
        .map(|r| (line, r))
        .map_err(|e| reject(Some(e.field), e.reason))
}

/// A whole file read into memory (tests, tools and small files).
#[derive(Debug)]
pub struct ParsedFile<T> {
    pub header: Header,
    pub records: Vec<(usize, T)>,
    pub rejected: Vec<RecordError>,
}

/// Parses a complete file held in memory.
pub fn parse_bytes<T: Record>(bytes: &[u8]) -> Result<ParsedFile<T>, FileError> {
    let mut parser = FileParser::<T>::new();
    let mut records = Vec::new();
    let mut rejected = Vec::new();
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        match parser.push_line(line)? {
            Some(Ok(r)) => records.push(r),
            Some(Err(e)) => rejected.push(e),
            None => {}
        }
    }
    let header = parser.finish()?;
    Ok(ParsedFile {
        header,
        records,
        rejected,
    })
}

/// Streams a file from an async reader, handing each record to `on_record`
/// as it is read; rejected lines are collected. Memory stays bounded by one line.
pub async fn parse_async<T: Record, R: AsyncBufRead + Unpin>(
    mut reader: R,
    mut on_record: impl FnMut(usize, T),
) -> Result<(Header, Vec<RecordError>), FileError> {
    let mut parser = FileParser::<T>::new();
    let mut rejected = Vec::new();
    let mut line = Vec::with_capacity(512);
    loop {
        line.clear();
        // Read at most one byte past the limit so a line-less blob cannot fill memory.
        let limit = (MAX_LINE_BYTES + 1) as u64;
        let n = (&mut reader)
            .take(limit)
            .read_until(b'\n', &mut line)
            .await
            .map_err(|e| FileError::Io {
                message: e.to_string(),
            })?;
        if n == 0 {
            break;
        }
        match parser.push_line(&line)? {
            Some(Ok((no, record))) => on_record(no, record),
            Some(Err(e)) => rejected.push(e),
            None => {}
        }
    }
    let header = parser.finish()?;
    Ok((header, rejected))
}

use tokio::io::AsyncReadExt as _;
