//! The drivers workbook: one driver per row. No licence column, ever.

use super::{cell_text, sheet_with_header, RowError, Sheet, WorkbookError, REQUIRED_SENTENCE};
use crate::domain::address::PostalAddress;
use crate::domain::driver::Driver;
use crate::domain::plate::normalize_country;
use crate::domain::ReasonCode;
use rust_xlsxwriter::{Workbook, XlsxError};
use serde::Serialize;

pub const LAST_NAME: &str = "Nom";
pub const FIRST_NAME: &str = "Prénom";
pub const LINE1: &str = "Adresse";
pub const LINE2: &str = "Complément d'adresse";
pub const POSTCODE: &str = "Code postal";
pub const CITY: &str = "Ville";
pub const COUNTRY: &str = "Pays";
pub const PERSONAL_EMAIL: &str = "E-mail personnel";
pub const PROFESSIONAL_EMAIL: &str = "E-mail professionnel";
pub const ENTITY: &str = "Entité";

pub const COLUMNS: [&str; 10] = [
    LAST_NAME,
    FIRST_NAME,
    LINE1,
    LINE2,
    POSTCODE,
    CITY,
    COUNTRY,
    PERSONAL_EMAIL,
    PROFESSIONAL_EMAIL,
    ENTITY,
];
const REQUIRED: [&str; 6] = [LAST_NAME, FIRST_NAME, LINE1, POSTCODE, CITY, ENTITY];

/// A valid row: the driver's fields and the entity as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DriverRow {
    pub row: usize,
    pub entity: String,
    pub last_name: String,
    pub first_name: String,
    pub address: PostalAddress,
    pub personal_email: Option<String>,
    pub professional_email: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct DriversImport {
    pub rows: Vec<DriverRow>,
    pub errors: Vec<RowError>,
}

/// Which column a driver field is shown in.
fn column_of(field: &str) -> &'static str {
    match field {
        "last_name" => LAST_NAME,
        "first_name" => FIRST_NAME,
        "address.line1" => LINE1,
        "address.postcode" => POSTCODE,
        "address.city" => CITY,
        "address.country" => COUNTRY,
        "personal_email" => PERSONAL_EMAIL,
        _ => PROFESSIONAL_EMAIL,
    }
}

pub fn read_drivers(
    bytes: &[u8],
    entity_exists: impl Fn(&str) -> bool,
) -> Result<DriversImport, WorkbookError> {
    let sheet = Sheet::read(bytes, &COLUMNS, &REQUIRED)?;
    let mut import = DriversImport::default();
    for (row, cells) in sheet.rows() {
        let text = |column| cell_text(sheet.cell(cells, column));
        let optional = |column| Some(text(column)).filter(|v| !v.is_empty());
        let country = text(COUNTRY);
        let candidate = Driver {
            tenant_id: "".into(),
            entity_id: "".into(),
            driver_id: String::new(),
            last_name: text(LAST_NAME),
            first_name: text(FIRST_NAME),
            address: PostalAddress {
                line1: text(LINE1),
                line2: optional(LINE2),
                postcode: text(POSTCODE),
                city: text(CITY),
                country: normalize_country(&country),
            },
            personal_email: optional(PERSONAL_EMAIL),
            professional_email: optional(PROFESSIONAL_EMAIL),
            restricted: false,
            objected: false,
        };
        let mut errors: Vec<RowError> = candidate
            .check()
            .into_iter()
            .map(|e| RowError::new(row, column_of(e.field), e.code, e.reason))
            .collect();
        let entity = text(ENTITY);
        if entity.is_empty() {
            errors.push(RowError::new(
                row,
                ENTITY,
                ReasonCode::Required,
                REQUIRED_SENTENCE,
            ));
        } else if !entity_exists(&entity) {
            errors.push(RowError::new(
                row,
                ENTITY,
                ReasonCode::UnknownEntity,
                format!("« {entity} » n'est pas l'une de vos entités."),
            ));
        }
        if errors.is_empty() {
            import.rows.push(DriverRow {
                row,
                entity,
                last_name: candidate.last_name,
                first_name: candidate.first_name,
                address: candidate.address,
                personal_email: candidate.personal_email,
                professional_email: candidate.professional_email,
            });
        } else {
            import.errors.extend(errors);
        }
    }
    Ok(import)
}

/// The drivers as a workbook (export), or the empty template.
pub fn write_drivers(rows: &[DriverRow]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = sheet_with_header(&mut workbook, "Conducteurs", &COLUMNS)?;
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        let values = [
            r.last_name.as_str(),
            r.first_name.as_str(),
            r.address.line1.as_str(),
            r.address.line2.as_deref().unwrap_or(""),
            r.address.postcode.as_str(),
            r.address.city.as_str(),
            r.address.country.as_str(),
            r.personal_email.as_deref().unwrap_or(""),
            r.professional_email.as_deref().unwrap_or(""),
            r.entity.as_str(),
        ];
        for (col, value) in values.iter().enumerate() {
            // Text cells: a postcode like 01000 must keep its leading zero.
            sheet.write_string(row, col as u16, *value)?;
        }
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entities(name: &str) -> bool {
        name == "Siège"
    }

    fn row(i: usize) -> DriverRow {
        DriverRow {
            row: i + 2,
            entity: "Siège".into(),
            last_name: ["Exemple", "Modèle", "Fictif"][i % 3].into(),
            first_name: "Dominique".into(),
            address: PostalAddress {
                line1: format!("{} avenue Imaginaire", i + 1),
                line2: (i % 2 == 1).then(|| "Bâtiment B".to_string()),
                postcode: if i % 4 == 3 {
                    "1000".into()
                } else {
                    "01000".into()
                },
                city: if i % 4 == 3 {
                    "Bruxelles".into()
                } else {
                    "Bourg-en-Bresse".into()
                },
                country: if i % 4 == 3 {
                    "BEL".into()
                } else {
                    "FRA".into()
                },
            },
            personal_email: None,
            professional_email: Some(format!("d{i}@exemple.example")),
        }
    }

    #[test]
    fn an_export_reads_back_identically_with_leading_zeros() {
        let rows: Vec<DriverRow> = (0..8).map(row).collect();
        let import = read_drivers(&write_drivers(&rows).unwrap(), entities).unwrap();
        assert_eq!(import.errors, vec![]);
        assert_eq!(import.rows, rows);
        assert_eq!(import.rows[0].address.postcode, "01000");
    }

    #[test]
    fn bad_cells_are_reported_by_row_and_column() {
        let mut rows: Vec<DriverRow> = (0..4).map(row).collect();
        rows[1].address.postcode = "75".into();
        rows[2].professional_email = Some("not-an-address".into());
        rows[3].entity = "Filiale".into();
        let import = read_drivers(&write_drivers(&rows).unwrap(), entities).unwrap();
        let got: Vec<(usize, &str)> = import.errors.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(
            got,
            vec![(3, POSTCODE), (4, PROFESSIONAL_EMAIL), (5, ENTITY)]
        );
        assert_eq!(import.rows.len(), 1);
    }

    #[test]
    fn there_is_no_licence_column() {
        assert!(!COLUMNS.iter().any(|c| c.to_lowercase().contains("permis")));
    }
}
