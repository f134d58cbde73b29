//! What a workbook may weigh once unzipped, checked before calamine reads
//! it: an .xlsx is a zip, and 1 MB of it can inflate to 1 GiB (or hold
//! millions of tiny rows) and take the API's memory and time. The parts are
//! inflated into nothing, counting, and the count stops at the limit, so a
//! bomb is refused in the time of its limit, not of its content.

use super::WorkbookError;
use std::io::{Cursor, Read};

/// What a workbook may hold once unzipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Every part, unzipped.
    pub inflated_bytes: u64,
    /// The shared strings (every distinct text of the workbook).
    pub shared_strings_bytes: u64,
    /// Rows of all worksheets.
    pub rows: usize,
}

/// Any workbook the platform reads: far above a national fleet's matrix,
/// far below the memory of the Lambdas that read it.
pub const WORKBOOK: Limits = Limits {
    inflated_bytes: 256 * 1024 * 1024,
    shared_strings_bytes: 64 * 1024 * 1024,
    rows: 200_000,
};

/// What the workbook holds, measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkbookSize {
    pub inflated_bytes: u64,
    /// `<row>` elements of the worksheets (rows with content, blank ones
    /// included when Excel wrote them).
    pub rows: usize,
}

/// Measures the workbook, refusing it as soon as a limit is passed. A file
/// that is no zip is left for calamine to refuse.
pub fn inspect(bytes: &[u8], limits: Limits) -> Result<WorkbookSize, WorkbookError> {
    let mut size = WorkbookSize {
        inflated_bytes: 0,
        rows: 0,
    };
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(size);
    };
    for i in 0..archive.len() {
        let Ok(mut part) = archive.by_index(i) else {
            continue;
        };
        let name = part.name().map(|n| n.to_string()).unwrap_or_default();
        let budget = limits.inflated_bytes - size.inflated_bytes;
        // calamine reads `<workbook folder>sharedStrings.xml`.
        let strings = name.to_ascii_lowercase().ends_with("sharedstrings.xml");
        let cap = if strings {
            budget.min(limits.shared_strings_bytes)
        } else {
            budget
        };
        let kind = if strings {
            PartKind::SharedStrings
        } else if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            PartKind::Worksheet
        } else {
            PartKind::Other
        };
        let (read, rows, declared) = inflate_counting(&mut part, cap + 1, kind);
        size.inflated_bytes += read;
        size.rows += rows;
        if strings {
            honest_string_count(declared, read)?;
        }
        if read > cap {
            return Err(if strings && cap < budget {
                WorkbookError::TooBig(limits.shared_strings_bytes)
            } else {
                WorkbookError::TooBig(limits.inflated_bytes)
            });
        }
        if size.rows > limits.rows {
            return Err(WorkbookError::TooManyRows(limits.rows));
        }
    }
    Ok(size)
}

/// The fewest bytes a shared string takes: `<si/>`.
const MIN_SHARED_STRING_BYTES: u64 = 5;

/// calamine reserves room for as many strings as the shared strings'
/// `uniqueCount` declares before reading one (fuzzing found a 3 KB file
/// declaring 10^16, an allocation failure that aborts the process): the
/// count must fit in the part's bytes.
fn honest_string_count(declared: Option<u64>, part_bytes: u64) -> Result<(), WorkbookError> {
    match declared {
        Some(count) if count > part_bytes / MIN_SHARED_STRING_BYTES => Err(WorkbookError::NotXlsx(
            format!("the shared strings declare {count} strings in {part_bytes} bytes"),
        )),
        _ => Ok(()),
    }
}

/// The largest `uniqueCount` declared anywhere in a part, fed chunk by
/// chunk. Anywhere, not only in the first `<sst>` tag: calamine reads the
/// first `<sst>` *start* tag's, which a crafted part hides behind others.
#[derive(Default)]
struct DeclaredCounts {
    carry: Vec<u8>,
    largest: Option<u64>,
}

impl DeclaredCounts {
    const ATTRIBUTE: &'static [u8] = b"uniqueCount";
    /// Enough for `="` and any count that fits in memory.
    const VALUE_BYTES: usize = 32;

    fn feed(&mut self, chunk: &[u8]) {
        self.carry.extend_from_slice(chunk);
        self.scan(false);
        // An occurrence cut by the chunk's end is read again, whole, next time.
        let keep = self
            .carry
            .len()
            .min(Self::ATTRIBUTE.len() + Self::VALUE_BYTES);
        self.carry.drain(..self.carry.len() - keep);
    }

    /// The largest count, once the part has been read whole.
    fn finish(mut self) -> Option<u64> {
        self.scan(true);
        self.largest
    }

    fn scan(&mut self, at_end: bool) {
        let name = Self::ATTRIBUTE;
        let mut from = 0;
        while let Some(i) = self.carry[from..]
            .windows(name.len())
            .position(|w| w == name)
        {
            let start = from + i + name.len();
            let end = self.carry.len().min(start + Self::VALUE_BYTES);
            let whole = at_end || end - start == Self::VALUE_BYTES;
            let count = leading_count(&self.carry[start..end], whole);
            self.largest = self.largest.max(count);
            from = start;
        }
    }
}

/// The count after `uniqueCount` (`="12"`, `= '12'`), leading zeros
/// skipped as calamine's parser does. `None` when there is none, or when
/// the window ends before the count does and more bytes may follow. A
/// `whole` window that ends before the count does (blanks or zeros that
/// fill it: fuzzing found both) counts as `u64::MAX`: no honest count is
/// written so.
fn leading_count(value: &[u8], whole: bool) -> Option<u64> {
    let unseen = || whole.then_some(u64::MAX);
    let value = value.trim_ascii_start();
    if value.is_empty() {
        return unseen();
    }
    let value = value.strip_prefix(b"=")?.trim_ascii_start();
    if value.is_empty() {
        return unseen();
    }
    let value = value.strip_prefix(b"\"").or(value.strip_prefix(b"'"))?;
    let digits = value.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == value.len() {
        return unseen();
    }
    let text = std::str::from_utf8(&value[..digits]).ok()?;
    let significant = text.trim_start_matches('0');
    match (digits, significant) {
        (0, _) => None,
        (_, "") => Some(0),
        _ => Some(significant.parse().unwrap_or(u64::MAX)),
    }
}

/// Inflates at most `limit` bytes of a part into nothing; counts `<row`
/// openings of a worksheet on the way (across chunk boundaries too), and
/// the shared strings' declared count.
fn inflate_counting(part: &mut impl Read, limit: u64, kind: PartKind) -> (u64, usize, Option<u64>) {
    const TAG: &[u8] = b"<row";
    let mut reader = part.take(limit);
    let mut chunk = vec![0u8; 64 * 1024];
    let (mut read, mut rows) = (0u64, 0usize);
    let mut carry: Vec<u8> = Vec::new();
    let mut declared = DeclaredCounts::default();
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        read += n as u64;
        if kind == PartKind::SharedStrings {
            declared.feed(&chunk[..n]);
        }
        if kind == PartKind::Worksheet {
            carry.extend_from_slice(&chunk[..n]);
            // `<row` and `<row ` or `<row>`: not `<rowBreaks`.
            rows += carry
                .windows(TAG.len() + 1)
                .filter(|w| w.starts_with(TAG) && matches!(w[TAG.len()], b' ' | b'>'))
                .count();
            let keep = carry.len().min(TAG.len());
            carry.drain(..carry.len() - keep);
        }
    }
    (read, rows, declared.finish())
}

/// What `inspect` looks for in a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    Worksheet,
    SharedStrings,
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    /// A zip of one part filled with `len` bytes of `fill`: an inflation bomb.
    fn zip_of(name: &str, len: usize, fill: u8) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(name, options).unwrap();
        let block = vec![fill; 1024 * 1024];
        for _ in 0..len / block.len() {
            zip.write_all(&block).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// `WORKBOOK` scaled down 32 times, so the bombs stay quick to build.
    const SMALL: Limits = Limits {
        inflated_bytes: 8 * 1024 * 1024,
        shared_strings_bytes: 2 * 1024 * 1024,
        rows: 6_250,
    };

    #[test]
    fn an_ordinary_matrix_passes_with_its_rows_counted() {
        let rows: Vec<[String; 2]> = (0..1200)
            .map(|i| [format!("AB-{:03}-CD", i % 1000), "Renault".into()])
            .collect();
        let bytes = super::super::text_workbook(&["Immatriculation", "Marque"], &rows).unwrap();
        let size = inspect(&bytes, SMALL).unwrap();
        assert_eq!(size.rows, 1201, "the header and every row");
        assert!(size.inflated_bytes < 1024 * 1024);
    }

    #[test]
    fn an_inflation_bomb_is_refused_at_its_limit() {
        // 32 MiB of blanks zip into a few kilobytes.
        let bomb = zip_of("xl/worksheets/sheet1.xml", 32 * 1024 * 1024, b' ');
        assert!(bomb.len() < 256 * 1024, "{} bytes zipped", bomb.len());
        assert_eq!(
            inspect(&bomb, SMALL),
            Err(WorkbookError::TooBig(SMALL.inflated_bytes))
        );
        let strings = zip_of("xl/sharedStrings.xml", 4 * 1024 * 1024, b'a');
        assert_eq!(
            inspect(&strings, SMALL),
            Err(WorkbookError::TooBig(SMALL.shared_strings_bytes))
        );
    }

    #[test]
    fn millions_of_tiny_rows_are_refused() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        for _ in 0..SMALL.rows + 10 {
            zip.write_all(b"<row r=\"1\"/>").unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert_eq!(
            inspect(&bytes, SMALL),
            Err(WorkbookError::TooManyRows(SMALL.rows))
        );
    }

    /// A zip of one stored part.
    fn stored(name: &str, content: &[u8]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file(name, options).unwrap();
        zip.write_all(content).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn shared_strings_that_declare_more_strings_than_their_bytes_hold_are_refused() {
        let sst = |count: &str| {
            // A comment first, so that the tag straddles two 64 KiB chunks.
            let padding = "x".repeat(64 * 1024 - 30);
            format!("<?xml version=\"1.0\"?><!--{padding}--><sst count=\"1\" uniqueCount=\"{count}\"><si><t>a</t></si></sst>")
        };
        let honest = stored("xl/sharedStrings.xml", sst("1").as_bytes());
        assert!(inspect(&honest, SMALL).is_ok());
        let lying = stored("xl/sharedStrings.xml", sst("9000000000000000").as_bytes());
        let refused = inspect(&lying, SMALL).unwrap_err();
        assert!(matches!(refused, WorkbookError::NotXlsx(_)), "{refused:?}");
        let zeros = format!("{}123939061", "0".repeat(50));
        let padded = stored("xl/sharedStrings.xml", sst(&zeros).as_bytes());
        assert!(
            inspect(&padded, SMALL).is_err(),
            "leading zeros hide nothing"
        );
        let blanks = format!("uniqueCount={}", " ".repeat(99));
        let spaced = sst("0004306466688").replace("uniqueCount=", &blanks);
        assert!(inspect(&stored("xl/sharedStrings.xml", spaced.as_bytes()), SMALL).is_err());
        let hidden = format!("<sst count=\"1\"/>{}", sst("9000000000000000"));
        assert!(inspect(&stored("xl/sharedStrings.xml", hidden.as_bytes()), SMALL).is_err());
        let elsewhere = stored("doc/sharedStrings.xml", sst("9000000000000000").as_bytes());
        assert!(
            inspect(&elsewhere, SMALL).is_err(),
            "wherever the workbook lives"
        );
    }
}
