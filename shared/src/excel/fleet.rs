//! The fleet matrix: one vehicle per row, the columns of `COLUMNS`.

use super::{
    cell_text, excel_date, optional_date, required_date, sheet_with_header, RowError, Sheet,
    WorkbookError, REQUIRED_SENTENCE,
};
use crate::domain::Plate;
use crate::domain::ReasonCode;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;
use std::collections::HashMap;

pub const PLATE: &str = "Immatriculation";
pub const COUNTRY: &str = "Pays";
pub const MAKE: &str = "Marque";
pub const MODEL: &str = "Modèle";
pub const ENTITY: &str = "Entité";
pub const ENTRY: &str = "Date d'entrée";
pub const EXIT: &str = "Date de sortie";

/// The matrix's columns, in the template's order.
pub const COLUMNS: [&str; 7] = [PLATE, COUNTRY, MAKE, MODEL, ENTITY, ENTRY, EXIT];
const REQUIRED: [&str; 5] = [PLATE, MAKE, MODEL, ENTITY, ENTRY];

/// One valid row of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FleetRow {
    /// Excel's row number (the header is row 1).
    pub row: usize,
    pub plate: Plate,
    pub make: String,
    pub model: String,
    /// The entity's name as typed; the caller resolves it.
    pub entity: String,
    pub entry_on: NaiveDate,
    pub exit_on: Option<NaiveDate>,
}

#[derive(Debug, Default, Serialize)]
pub struct FleetImport {
    pub rows: Vec<FleetRow>,
    pub errors: Vec<RowError>,
}

/// Reads a fleet matrix. `entity_exists` says whether a typed entity is one
/// of the tenant's.
pub fn read_fleet(
    bytes: &[u8],
    entity_exists: impl Fn(&str) -> bool,
) -> Result<FleetImport, WorkbookError> {
    let sheet = Sheet::read(bytes, &COLUMNS, &REQUIRED)?;
    let mut import = FleetImport::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (row, cells) in sheet.rows() {
        let get = |column: &'static str| sheet.cell(cells, column);
        let mut errors = Vec::new();
        let mut reject = |column: &'static str, code: ReasonCode, reason: String| {
            errors.push(RowError::new(row, column, code, reason))
        };
        let country = cell_text(get(COUNTRY));
        let plate = match Plate::parse(
            &cell_text(get(PLATE)),
            if country.is_empty() { "FRA" } else { &country },
        ) {
            Ok(p) => Some(p),
            Err(e) => {
                let column = if matches!(e, crate::domain::plate::PlateError::BadCountry(_)) {
                    COUNTRY
                } else {
                    PLATE
                };
                reject(column, e.code(), e.to_string());
                None
            }
        };
        let mut text = |column: &'static str| {
            let v = cell_text(get(column));
            if v.is_empty() {
                reject(column, ReasonCode::Required, REQUIRED_SENTENCE.into());
            }
            v
        };
        let make = text(MAKE);
        let model = text(MODEL);
        let entity = text(ENTITY);
        if !entity.is_empty() && !entity_exists(&entity) {
            reject(
                ENTITY,
                ReasonCode::UnknownEntity,
                format!("« {entity} » n'est pas l'une de vos entités."),
            );
        }
        let entry_on = required_date(get(ENTRY), &mut |code, reason| reject(ENTRY, code, reason));
        let exit_on = optional_date(get(EXIT), &mut |code, reason| reject(EXIT, code, reason));
        if let (Some(entry), Some(exit)) = (entry_on, exit_on) {
            if exit < entry {
                reject(
                    EXIT,
                    ReasonCode::BeforeStart,
                    format!(
                        "La sortie ({}) précède l'entrée ({}).",
                        exit.format("%d/%m/%Y"),
                        entry.format("%d/%m/%Y")
                    ),
                );
            }
        }
        if let Some(p) = &plate {
            if let Some(first) = seen.insert(p.key().0, row) {
                reject(
                    PLATE,
                    ReasonCode::DuplicateInFile,
                    format!("{} figure déjà ligne {first}.", p.display()),
                );
            }
        }
        match (errors.is_empty(), plate, entry_on) {
            (true, Some(plate), Some(entry_on)) => import.rows.push(FleetRow {
                row,
                plate,
                make,
                model,
                entity,
                entry_on,
                exit_on,
            }),
            _ => import.errors.extend(errors),
        }
    }
    Ok(import)
}

/// A workbook with the matrix's header (the downloadable template), and the given rows.
pub fn write_fleet(rows: &[FleetRow]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = sheet_with_header(&mut workbook, "Flotte", &COLUMNS)?;
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        sheet.write_string(row, 0, r.plate.display())?;
        sheet.write_string(row, 1, &r.plate.country)?;
        sheet.write_string(row, 2, &r.make)?;
        sheet.write_string(row, 3, &r.model)?;
        sheet.write_string(row, 4, &r.entity)?;
        sheet.write_datetime_with_format(row, 5, excel_date(r.entry_on)?, &date)?;
        if let Some(exit) = r.exit_on {
            sheet.write_datetime_with_format(row, 6, excel_date(exit)?, &date)?;
        }
    }
    workbook.save_to_buffer()
}

/// The empty matrix fleet managers download and fill in.
pub fn fleet_template() -> Result<Vec<u8>, XlsxError> {
    write_fleet(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entities(name: &str) -> bool {
        matches!(name, "Agence de Lyon" | "Siège")
    }

    fn row(i: usize) -> FleetRow {
        let letters = b"ABCDEFGHJKLMNPQRSTVWXYZ";
        let l = |k: usize| letters[k % letters.len()] as char;
        FleetRow {
            row: i + 2,
            plate: Plate::parse(
                &format!(
                    "{}{}-{:03}-{}{}",
                    l(i / 23 / 23),
                    l(i / 23),
                    1 + i % 999,
                    l(i),
                    l(i / 7)
                ),
                "FRA",
            )
            .unwrap(),
            make: "RENAULT".into(),
            model: "CLIO".into(),
            entity: if i.is_multiple_of(2) {
                "Agence de Lyon"
            } else {
                "Siège"
            }
            .into(),
            entry_on: NaiveDate::from_ymd_opt(2025, 1 + (i % 12) as u32, 1 + (i % 28) as u32)
                .unwrap(),
            exit_on: i
                .is_multiple_of(10)
                .then(|| NaiveDate::from_ymd_opt(2027, 6, 30).unwrap()),
        }
    }

    #[test]
    fn the_template_reads_back_as_an_empty_fleet() {
        let import = read_fleet(&fleet_template().unwrap(), entities).unwrap();
        assert!(import.rows.is_empty() && import.errors.is_empty());
    }

    #[test]
    fn an_export_reads_back_identically() {
        let rows: Vec<FleetRow> = (0..50).map(row).collect();
        let import = read_fleet(&write_fleet(&rows).unwrap(), entities).unwrap();
        assert_eq!(import.errors, vec![]);
        assert_eq!(import.rows, rows);
    }

    #[test]
    fn five_thousand_rows_with_three_bad_ones_report_exactly_those_three() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (col, name) in COLUMNS.iter().enumerate() {
            sheet.write_string(0, col as u16, *name).unwrap();
        }
        let mut plates = std::collections::HashSet::new();
        let mut written = 0u32;
        let mut i = 0;
        while written < 5_000 {
            let r = row(i);
            i += 1;
            if !plates.insert(r.plate.key()) {
                continue;
            }
            written += 1;
            let n = written;
            let plate = match n {
                1200 => "AB-12-CD".to_string(), // bad plate
                _ => r.plate.display(),
            };
            sheet.write_string(n, 0, plate).unwrap();
            sheet.write_string(n, 1, "FRA").unwrap();
            sheet.write_string(n, 2, &r.make).unwrap();
            sheet.write_string(n, 3, &r.model).unwrap();
            sheet
                .write_string(
                    n,
                    4,
                    if n == 2500 {
                        "Agence de Brest"
                    } else {
                        r.entity.as_str()
                    },
                )
                .unwrap();
            if n == 4999 {
                sheet.write_string(n, 5, "31/02/2026").unwrap();
            } else {
                sheet
                    .write_datetime(n, 5, excel_date(r.entry_on).unwrap())
                    .unwrap();
            }
        }
        let bytes = workbook.save_to_buffer().unwrap();
        let import = read_fleet(&bytes, entities).unwrap();
        let errors: Vec<(usize, &str)> = import.errors.iter().map(|e| (e.row, e.column)).collect();
        // Excel rows are 1-based and row 1 is the header.
        assert_eq!(errors, vec![(1201, PLATE), (2501, ENTITY), (5000, ENTRY)]);
        assert!(import.errors[1]
            .reason
            .contains("« Agence de Brest » n'est pas l'une de vos entités"));
        assert!(import.errors[2].reason.contains("31/02/2026"));
        assert_eq!(import.errors[2].code, ReasonCode::InvalidDate);
        assert_eq!(import.rows.len(), 4_997);
    }

    #[test]
    fn cell_level_problems_are_named() {
        let mut bad = vec![row(0), row(1), row(2)];
        bad[1].exit_on = Some(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
        bad[2].plate = bad[0].plate.clone();
        let import = read_fleet(&write_fleet(&bad).unwrap(), entities).unwrap();
        let got: Vec<(usize, &str)> = import.errors.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(got, vec![(3, EXIT), (4, PLATE)]);
        assert!(import.errors[1].reason.contains("déjà ligne 2"));
        assert_eq!(import.errors[1].code, ReasonCode::DuplicateInFile);
    }

    #[test]
    fn workbook_level_problems() {
        assert!(matches!(
            read_fleet(b"not a workbook", entities),
            Err(WorkbookError::NotXlsx(_))
        ));
        let mut workbook = Workbook::new();
        workbook.add_worksheet().write_string(0, 0, PLATE).unwrap();
        let err = read_fleet(&workbook.save_to_buffer().unwrap(), entities).unwrap_err();
        assert!(
            matches!(err, WorkbookError::MissingColumn { column: MAKE, .. }),
            "{err}"
        );
    }

    #[test]
    fn a_cell_at_the_far_corner_of_the_sheet_costs_one_cell_not_the_whole_grid() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (c, name) in COLUMNS.iter().enumerate() {
            sheet.write_string(0, c as u16, *name).unwrap();
        }
        // Excel's last cell, XFD1048576: a dense grid would be 17 billion cells.
        sheet.write_string(1_048_575, 16_383, "loin").unwrap();
        let read = read_fleet(&workbook.save_to_buffer().unwrap(), entities).unwrap();
        assert!(read.rows.is_empty());
        assert!(
            read.errors.iter().all(|e| e.row == 1_048_576),
            "{:?}",
            read.errors
        );
        assert!(!read.errors.is_empty());
    }
}
