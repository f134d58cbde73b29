//! Writer: header, records, trailer with line count and SHA-256.

use super::fields::escape_field;
use super::{Header, Record, CURRENT_VERSION, FORMAT_NAME};
use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::marker::PhantomData;

/// Writes one file of kind `T::KIND` to any `Write`.
pub struct FileWriter<W: Write, T: Record> {
    out: W,
    hasher: Sha256,
    lines: usize,
    header: Header,
    _record: PhantomData<T>,
}

impl<W: Write, T: Record> FileWriter<W, T> {
    pub fn new(out: W, file_id: &str, created_at: DateTime<Utc>) -> std::io::Result<Self> {
        assert!(
            super::is_valid_file_id(file_id),
            "invalid file id {file_id:?}"
        );
        let header = Header {
            version: CURRENT_VERSION,
            kind: T::KIND,
            file_id: file_id.to_string(),
            created_at,
        };
        let mut w = FileWriter {
            out,
            hasher: Sha256::new(),
            lines: 0,
            header,
            _record: PhantomData,
        };
        let line = format!(
            "ENTETE;{FORMAT_NAME};{CURRENT_VERSION};{};{file_id};{}\n",
            T::KIND.code(),
            created_at.to_rfc3339_opts(SecondsFormat::Secs, true)
        );
        w.emit(line.as_bytes())?;
        Ok(w)
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    fn emit(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.hasher.update(bytes);
        self.out.write_all(bytes)
    }

    pub fn write(&mut self, record: &T) -> std::io::Result<()> {
        let mut line = String::from("DETAIL");
        for field in record.to_fields() {
            line.push(';');
            line.push_str(&escape_field(&field));
        }
        line.push('\n');
        self.lines += 1;
        self.emit(line.as_bytes())
    }

    /// Writes the trailer and gives the output back.
    pub fn finish(mut self) -> std::io::Result<W> {
        let checksum = hex::encode(self.hasher.finalize());
        writeln!(self.out, "FIN;{};{checksum}", self.lines)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes a whole file into memory.
pub fn write_file<'a, T: Record + 'a>(
    file_id: &str,
    created_at: DateTime<Utc>,
    records: impl IntoIterator<Item = &'a T>,
) -> Vec<u8> {
    let mut w =
        FileWriter::<Vec<u8>, T>::new(Vec::new(), file_id, created_at).expect("writing to memory");
    for r in records {
        w.write(r).expect("writing to memory");
    }
    w.finish().expect("writing to memory")
}
