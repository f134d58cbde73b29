//! The exchange reader: bytes as ingest receives them from S3, through the
//! streaming parser (`parse_async`, lines cut at the read buffer's edges),
//! checked against the whole-file parser, then every accepted record
//! written back and read again.

use designa::domain::Notice;
use designa::exchange::{
    parse_async, parse_bytes, write_file, AckRecord, AnswerRecord, FleetRecord, Record,
};
use std::fmt::Debug;

/// The first byte picks the kind (low two bits) and the read buffer's
/// size (the rest: 1 to 64 bytes); the others are the file.
pub fn exchange_file(data: &[u8]) {
    let Some((&selector, file)) = data.split_first() else {
        return;
    };
    let buffer = usize::from(selector >> 2) + 1;
    match selector & 3 {
        0 => check::<Notice>(file, buffer),
        1 => check::<AnswerRecord>(file, buffer),
        2 => check::<AckRecord>(file, buffer),
        _ => check::<FleetRecord>(file, buffer),
    }
}

fn check<T: Record + PartialEq + Debug>(file: &[u8], buffer: usize) {
    let whole = parse_bytes::<T>(file);
    let streamed = streamed::<T>(file, buffer);
    match (&whole, &streamed) {
        (Ok(w), Ok((header, records, rejected))) => {
            assert_eq!(&w.header, header, "the streamed header");
            assert_eq!(&w.records, records, "the streamed records");
            assert_eq!(&w.rejected, rejected, "the streamed rejections");
            written_back_reads_the_same(&w.records);
        }
        (Err(w), Err(s)) => assert_eq!(w, s, "the streamed error"),
        _ => panic!("whole {whole:?} but streamed {streamed:?}"),
    }
}

type Streamed<T> = (
    designa::exchange::Header,
    Vec<(usize, T)>,
    Vec<designa::exchange::RecordError>,
);

fn streamed<T: Record>(
    file: &[u8],
    buffer: usize,
) -> Result<Streamed<T>, designa::exchange::FileError> {
    let reader = tokio::io::BufReader::with_capacity(buffer, file);
    let mut records = Vec::new();
    let run = parse_async::<T, _>(reader, |line, r| records.push((line, r)));
    let (header, rejected) = crate::block_on(run)?;
    Ok((header, records, rejected))
}

/// What the parser accepted, written by the writer, parses to itself.
fn written_back_reads_the_same<T: Record + PartialEq + Debug>(records: &[(usize, T)]) {
    let values: Vec<&T> = records.iter().map(|(_, r)| r).collect();
    let created = chrono::DateTime::from_timestamp(1_790_000_000, 0).expect("a valid time");
    let bytes = write_file("FUZZ-000001", created, values.iter().copied());
    let again = parse_bytes::<T>(&bytes).expect("a file the writer wrote reads back");
    assert!(again.rejected.is_empty(), "{:?}", again.rejected);
    let reread: Vec<&T> = again.records.iter().map(|(_, r)| r).collect();
    assert_eq!(reread, values, "written back and read again");
}
