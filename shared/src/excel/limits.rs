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
        let strings = name == "xl/sharedStrings.xml";
        let cap = if strings {
            budget.min(limits.shared_strings_bytes)
        } else {
            budget
        };
        let worksheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        let (read, rows) = inflate_counting(&mut part, cap + 1, worksheet);
        size.inflated_bytes += read;
        size.rows += rows;
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

/// Inflates at most `limit` bytes of a part into nothing; counts `<row`
/// openings of a worksheet on the way (across chunk boundaries too).
fn inflate_counting(part: &mut impl Read, limit: u64, count_rows: bool) -> (u64, usize) {
    const TAG: &[u8] = b"<row";
    let mut reader = part.take(limit);
    let mut chunk = vec![0u8; 64 * 1024];
    let (mut read, mut rows) = (0u64, 0usize);
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        read += n as u64;
        if count_rows {
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
    (read, rows)
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
}
