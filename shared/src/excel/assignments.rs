//! The planning workbook: one assignment per row (plate, driver, first and
//! last day). Drivers are named as in the drivers workbook; the e-mail
//! column tells homonyms apart.

use super::{cell_text, optional_date, required_date, RowError, Sheet, WorkbookError};
use crate::domain::time::end_of_paris_day;
use crate::domain::Plate;
use crate::domain::ReasonCode;
use chrono::{DateTime, Utc};
use serde::Serialize;

pub const PLATE: &str = "Immatriculation";
pub const COUNTRY: &str = "Pays";
pub const LAST_NAME: &str = "Nom";
pub const FIRST_NAME: &str = "Prénom";
pub const EMAIL: &str = "E-mail";
pub const FROM: &str = "Du";
pub const UNTIL: &str = "Au";

pub const COLUMNS: [&str; 7] = [PLATE, COUNTRY, LAST_NAME, FIRST_NAME, EMAIL, FROM, UNTIL];
const REQUIRED: [&str; 4] = [PLATE, LAST_NAME, FIRST_NAME, FROM];

/// A row whose vehicle and driver were found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentRow {
    pub row: usize,
    pub vehicle_id: String,
    pub driver_id: String,
    /// The first day's start, Paris time.
    pub from: DateTime<Utc>,
    /// The day after the last day, Paris time (periods are half-open).
    pub until: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Serialize)]
pub struct AssignmentsImport {
    pub rows: Vec<AssignmentRow>,
    pub errors: Vec<RowError>,
}

/// Why a typed vehicle or driver does not resolve: the code and the French sentence.
pub type Refused = (ReasonCode, String);

/// Reads a planning workbook; `vehicle_of` and `driver_of` resolve the
/// typed plate and driver (last name, first name, e-mail) or say why not.
pub fn read_assignments(
    bytes: &[u8],
    vehicle_of: impl Fn(&Plate) -> Result<String, Refused>,
    driver_of: impl Fn(&str, &str, &str) -> Result<String, Refused>,
) -> Result<AssignmentsImport, WorkbookError> {
    let sheet = Sheet::read(bytes, &COLUMNS, &REQUIRED)?;
    let mut import = AssignmentsImport::default();
    for (row, cells) in sheet.rows() {
        let get = |column: &'static str| sheet.cell(cells, column);
        let mut errors = Vec::new();
        let mut reject = |column: &'static str, code: ReasonCode, reason: String| {
            errors.push(RowError::new(row, column, code, reason))
        };
        let country = cell_text(get(COUNTRY));
        let vehicle = match Plate::parse(
            &cell_text(get(PLATE)),
            if country.is_empty() { "FRA" } else { &country },
        ) {
            Ok(plate) => vehicle_of(&plate)
                .map_err(|(code, reason)| reject(PLATE, code, reason))
                .ok(),
            Err(e) => {
                reject(PLATE, e.code(), e.to_string());
                None
            }
        };
        let (last, first) = (cell_text(get(LAST_NAME)), cell_text(get(FIRST_NAME)));
        let driver = if last.is_empty() || first.is_empty() {
            reject(
                LAST_NAME,
                ReasonCode::Required,
                "Le nom et le prénom du conducteur sont obligatoires.".into(),
            );
            None
        } else {
            driver_of(&last, &first, &cell_text(get(EMAIL)))
                .map_err(|(code, reason)| reject(LAST_NAME, code, reason))
                .ok()
        };
        let from = required_date(get(FROM), &mut |code, reason| reject(FROM, code, reason));
        let until = optional_date(get(UNTIL), &mut |code, reason| reject(UNTIL, code, reason));
        if let (Some(f), Some(u)) = (from, until) {
            if u < f {
                reject(
                    UNTIL,
                    ReasonCode::BeforeStart,
                    format!(
                        "Le dernier jour ({}) précède le premier ({}).",
                        u.format("%d/%m/%Y"),
                        f.format("%d/%m/%Y")
                    ),
                );
            }
        }
        match (errors.is_empty(), vehicle, driver, from) {
            (true, Some(vehicle_id), Some(driver_id), Some(from)) => {
                import.rows.push(AssignmentRow {
                    row,
                    vehicle_id,
                    driver_id,
                    // The day before's end is the first day's start.
                    from: end_of_paris_day(from.pred_opt().unwrap_or(from))
                        + chrono::Duration::seconds(1),
                    until: until.map(|u| end_of_paris_day(u) + chrono::Duration::seconds(1)),
                })
            }
            _ => import.errors.extend(errors),
        }
    }
    Ok(import)
}

/// The empty planning workbook.
pub fn assignments_template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    super::sheet_with_header(&mut workbook, "Planning", &COLUMNS)?;
    workbook.save_to_buffer()
}
