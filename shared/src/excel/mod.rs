//! Excel workbooks fleet managers exchange with the platform: read with
//! calamine, written with rust_xlsxwriter. Every refused cell is reported by
//! row and column; nothing is applied from a workbook that has errors unless
//! the caller asks for a partial apply. The notices export (`export`) is
//! written only, never read back by the platform.

pub mod assignments;
pub mod csv;
pub mod drivers;
pub mod export;
pub mod fleet;
pub mod limits;

pub(crate) use crate::domain::address::REQUIRED as REQUIRED_SENTENCE;
use crate::domain::time::{parse_french_date, TimeError};
use crate::domain::ReasonCode;
use calamine::{open_workbook_from_rs, Data, DataType, Range, Reader, Xlsx};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Cursor;

/// A refused cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// Excel's row number (the header is row 1).
    pub row: usize,
    pub column: &'static str,
    pub code: ReasonCode,
    /// In French, for the person who filled the workbook.
    pub reason: String,
}

impl RowError {
    pub fn new(
        row: usize,
        column: &'static str,
        code: ReasonCode,
        reason: impl Into<String>,
    ) -> Self {
        RowError {
            row,
            column,
            code,
            reason: reason.into(),
        }
    }
}

/// Problems with the workbook as a whole.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WorkbookError {
    /// calamine's reason (English, for the logs) is not in the sentence.
    #[error("Le fichier n'est pas un classeur Excel .xlsx : enregistrez-le dans ce format (Excel, LibreOffice : « Enregistrer sous… ») et recommencez.")]
    NotXlsx(String),
    #[error("Le classeur n'a aucune feuille.")]
    NoSheet,
    #[error("Le classeur décompressé dépasse {} Mo : découpez-le en plusieurs fichiers.", .0 / (1024 * 1024))]
    TooBig(u64),
    #[error("Le classeur dépasse {0} lignes : découpez-le en plusieurs fichiers.")]
    TooManyRows(usize),
    #[error("Ligne 1 : la colonne « {column} » manque (colonnes attendues : {expected}).")]
    MissingColumn {
        column: &'static str,
        expected: String,
    },
}

/// Lower-case, without accents or separators: how headers are compared.
fn header_key(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'é' | 'è' | 'ê' | 'É' | 'È' => Some('e'),
            'à' | 'â' => Some('a'),
            c if c.is_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// A cell as trimmed text; whole numbers without their ".0".
pub(crate) fn cell_text(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::Float(f)) if f.fract() == 0.0 => format!("{}", *f as i64),
        Some(other) => other
            .as_string()
            .unwrap_or_else(|| other.to_string())
            .trim()
            .to_string(),
    }
}

/// A date cell, or a `JJ/MM/AAAA` text; `None` when empty.
pub(crate) fn cell_date(cell: Option<&Data>) -> Result<Option<NaiveDate>, TimeError> {
    match cell {
        None | Some(Data::Empty) => Ok(None),
        Some(Data::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Data::String(s)) => parse_french_date(s.trim()).map(Some),
        Some(d) => d
            .as_date()
            .map(Some)
            .ok_or_else(|| TimeError::BadDate(d.to_string())),
    }
}

/// A required date cell: the day, or the refusal of its column.
pub(crate) fn required_date(
    cell: Option<&Data>,
    reject: &mut impl FnMut(ReasonCode, String),
) -> Option<NaiveDate> {
    match cell_date(cell) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            reject(ReasonCode::Required, REQUIRED_SENTENCE.into());
            None
        }
        Err(e) => {
            reject(e.code(), e.to_string());
            None
        }
    }
}

/// An optional date cell: the day if any, or the refusal of its column.
pub(crate) fn optional_date(
    cell: Option<&Data>,
    reject: &mut impl FnMut(ReasonCode, String),
) -> Option<NaiveDate> {
    cell_date(cell).unwrap_or_else(|e| {
        reject(e.code(), e.to_string());
        None
    })
}

pub(crate) fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// Adds the named worksheet with the matrix's header row in bold, frozen.
pub(crate) fn sheet_with_header<'a>(
    workbook: &'a mut Workbook,
    name: &str,
    columns: &[&str],
) -> Result<&'a mut Worksheet, XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let bold = Format::new().set_bold();
    for (col, title) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
        sheet.set_column_width(col as u16, 20)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

/// A workbook whose sheet has `columns` as header and `rows` below, every
/// cell as text (as hand-typed matrices often are): for tests, benchmarks
/// and samples.
pub fn text_workbook<R, C>(columns: &[&str], rows: R) -> Result<Vec<u8>, XlsxError>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut workbook = Workbook::new();
    let sheet = sheet_with_header(&mut workbook, "Feuil1", columns)?;
    for (r, row) in rows.into_iter().enumerate() {
        for (c, value) in row.into_iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, value.as_ref())?;
        }
    }
    workbook.save_to_buffer()
}

/// The first worksheet of a workbook, its columns found by header name.
pub(crate) struct Sheet {
    range: Range<Data>,
    columns: HashMap<&'static str, usize>,
}

impl Sheet {
    /// Opens the workbook; every `required` column must be in row 1.
    pub(crate) fn read(
        bytes: &[u8],
        columns: &[&'static str],
        required: &[&'static str],
    ) -> Result<Sheet, WorkbookError> {
        limits::inspect(bytes, limits::WORKBOOK)?;
        let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
            .map_err(|e: calamine::XlsxError| WorkbookError::NotXlsx(e.to_string()))?;
        let name = workbook
            .sheet_names()
            .first()
            .cloned()
            .ok_or(WorkbookError::NoSheet)?;
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| WorkbookError::NotXlsx(e.to_string()))?;
        let header: Vec<String> = range
            .rows()
            .next()
            .map(|r| r.iter().map(|c| header_key(&cell_text(Some(c)))).collect())
            .unwrap_or_default();
        let mut found = HashMap::new();
        for column in columns {
            match header.iter().position(|h| *h == header_key(column)) {
                Some(i) => {
                    found.insert(*column, i);
                }
                None if required.contains(column) => {
                    return Err(WorkbookError::MissingColumn {
                        column,
                        expected: columns.join(", "),
                    })
                }
                None => {}
            }
        }
        Ok(Sheet {
            range,
            columns: found,
        })
    }

    /// Data rows with their Excel row numbers; blank rows are skipped
    /// (hand-kept sheets often have them between blocks).
    pub(crate) fn rows(&self) -> impl Iterator<Item = (usize, &[Data])> {
        let first_row = self.range.start().map(|(r, _)| r as usize + 1).unwrap_or(1);
        self.range
            .rows()
            .enumerate()
            .skip(1)
            .map(move |(offset, cells)| (first_row + offset, cells))
            .filter(|(_, cells)| cells.iter().any(|c| !cell_text(Some(c)).is_empty()))
    }

    pub(crate) fn cell<'a>(&self, cells: &'a [Data], column: &'static str) -> Option<&'a Data> {
        self.columns.get(column).and_then(|&i| cells.get(i))
    }
}
