//! The three Excel readers (fleet matrix, drivers, planning), on any bytes.
//! Fuzzed zips rarely inflate, so half of the inputs are the fuzzed XML of
//! the worksheet and of the shared strings, zipped without compression
//! into the skeleton of the reader's own template: calamine and our rows
//! then see every mutation.

use designa::domain::{Plate, ReasonCode};
use designa::excel::{assignments, drivers, fleet, WorkbookError};
use std::io::{Cursor, Read, Write};
use std::sync::OnceLock;

pub const SHEET: &str = "xl/worksheets/sheet1.xml";
pub const STRINGS: &str = "xl/sharedStrings.xml";

pub fn fleet_matrix(data: &[u8]) {
    static SKELETON: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    let template = || fleet::fleet_template().expect("the template");
    let bytes = workbook_from(data, SKELETON.get_or_init(|| parts(&template())));
    settled(fleet::read_fleet(&bytes, |e| e == "Siège").map(|i| (i.rows.len(), i.errors)));
}

pub fn drivers_workbook(data: &[u8]) {
    static SKELETON: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    let template = || drivers::write_drivers(&[]).expect("the template");
    let bytes = workbook_from(data, SKELETON.get_or_init(|| parts(&template())));
    settled(drivers::read_drivers(&bytes, |e| e == "Siège").map(|i| (i.rows.len(), i.errors)));
}

pub fn planning_workbook(data: &[u8]) {
    static SKELETON: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    let template = || assignments::assignments_template().expect("the template");
    let bytes = workbook_from(data, SKELETON.get_or_init(|| parts(&template())));
    let vehicle_of = |p: &Plate| match p.normalized.as_str() {
        "AB123CD" => Ok("v-1".to_string()),
        _ => Err((ReasonCode::UnknownVehicle, "Véhicule inconnu.".to_string())),
    };
    let driver_of = |last: &str, _: &str, _: &str| match last {
        "FICTIF" | "Fictif" => Ok("d-1".to_string()),
        _ => Err((ReasonCode::UnknownDriver, "Conducteur inconnu.".to_string())),
    };
    let read = assignments::read_assignments(&bytes, vehicle_of, driver_of);
    settled(read.map(|i| (i.rows.len(), i.errors)));
}

/// A read ends in rows and row errors or in a workbook error, each with a
/// stable code and a sentence for the fleet manager.
fn settled(read: Result<(usize, Vec<designa::excel::RowError>), WorkbookError>) {
    match read {
        Ok((_, errors)) => {
            for e in errors {
                assert!(e.row >= 2, "a row error below the header: {e:?}");
                assert!(!e.reason.trim().is_empty(), "a reason for {e:?}");
            }
        }
        Err(e) => assert!(!e.to_string().trim().is_empty(), "a sentence for {e:?}"),
    }
}

/// Even first byte: the rest is the file as uploaded. Odd: the worksheet's
/// XML, a NUL, the shared strings' XML, zipped into `skeleton`.
pub fn workbook_from(data: &[u8], skeleton: &[(String, Vec<u8>)]) -> Vec<u8> {
    let Some((&mode, rest)) = data.split_first() else {
        return Vec::new();
    };
    if mode % 2 == 0 {
        return rest.to_vec();
    }
    let (sheet, strings) = match rest.iter().position(|b| *b == 0) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in skeleton {
        let content = match name.as_str() {
            SHEET => sheet,
            STRINGS => strings,
            _ => content,
        };
        zip.start_file(name.as_str(), stored).expect("in memory");
        zip.write_all(content).expect("in memory");
    }
    zip.finish().expect("in memory").into_inner()
}

/// What calamine reads of a workbook; the theme and document properties
/// are left out of the skeleton: zipping them would only slow each run.
const READ_PARTS: [&str; 7] = [
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    SHEET,
    STRINGS,
];

/// The parts calamine reads, in the workbook's order; the shared strings
/// always among them.
pub fn parts(workbook: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(workbook)).expect("a template is a zip");
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).expect("a template's part");
        let mut content = Vec::new();
        part.read_to_end(&mut content)
            .expect("a template's part inflates");
        let name = part.name().expect("a template names its parts").to_string();
        if READ_PARTS.contains(&name.as_str()) {
            parts.push((name, content));
        }
    }
    if !parts.iter().any(|(name, _)| name == STRINGS) {
        parts.push((STRINGS.to_string(), Vec::new()));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_made_of_its_xml_parts_reads_as_the_workbook_does() {
        let [as_uploaded, as_parts] = crate::seeds::seeds("fleet_matrix")
            .try_into()
            .expect("two seeds");
        let skeleton = parts(&fleet::fleet_template().unwrap());
        let read = |seed: &[u8]| {
            let import = fleet::read_fleet(&workbook_from(seed, &skeleton), |e| e == "Siège");
            let import = import.expect("the seed reads");
            (import.rows, import.errors)
        };
        let (rows, errors) = read(&as_uploaded);
        assert!(
            !rows.is_empty() && !errors.is_empty(),
            "{rows:?} {errors:?}"
        );
        assert_eq!(read(&as_parts), (rows, errors));
    }
}
