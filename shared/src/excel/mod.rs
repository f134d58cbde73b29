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
use calamine::{open_workbook_from_rs, Data, DataRef, DataType, Reader, Xlsx};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
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
    #[error("Le classeur dépasse {0} cellules remplies : découpez-le en plusieurs fichiers, ou retirez les colonnes qui ne sont pas à importer.")]
    TooManyCells(usize),
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
    rows: SparseRows,
    columns: HashMap<&'static str, u32>,
}

/// A worksheet's filled cells, row by row: each row's number (0-based) and
/// its cells by column, both in order. Memory follows what is filled, not
/// how far apart it is: calamine's `Range` is dense, and a cell at A1 with
/// one at XFD1048576 asks it for 17 billion cells (fuzzing found it).
type SparseRows = Vec<(u32, Vec<(u32, Data)>)>;

/// Filled cells a workbook may hold: a 200,000-row matrix of 20 columns,
/// about 160 MB once read, a third of the Lambdas' memory.
pub const MAX_FILLED_CELLS: usize = 4_000_000;

/// The first worksheet's filled cells. calamine reads bytes from outside
/// and may panic on some (fuzzing found a worksheet dimension ending before
/// it starts, an overflow where overflow checks are on): that is a
/// workbook it cannot read, said as such, not a crashed import.
fn first_sheet(bytes: &[u8]) -> Result<SparseRows, WorkbookError> {
    std::panic::catch_unwind(|| {
        let unreadable = |e: calamine::XlsxError| WorkbookError::NotXlsx(e.to_string());
        let mut workbook: Xlsx<_> =
            open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
        let name = workbook
            .sheet_names()
            .first()
            .cloned()
            .ok_or(WorkbookError::NoSheet)?;
        let mut reader = match workbook.worksheet_cells_reader(&name) {
            Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
            reader => reader.map_err(unreadable)?,
        };
        let mut rows: BTreeMap<u32, Vec<(u32, Data)>> = BTreeMap::new();
        let mut filled = 0;
        while let Some(cell) = reader.next_cell().map_err(unreadable)? {
            if matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            filled += 1;
            if filled > MAX_FILLED_CELLS {
                return Err(WorkbookError::TooManyCells(MAX_FILLED_CELLS));
            }
            let (row, column) = cell.get_position();
            let value = Data::from(cell.get_value().clone());
            rows.entry(row).or_default().push((column, value));
        }
        let in_order = |(row, mut cells): (u32, Vec<(u32, Data)>)| {
            cells.sort_by_key(|(column, _)| *column);
            (row, cells)
        };
        Ok(rows.into_iter().map(in_order).collect())
    })
    .unwrap_or_else(|_| Err(WorkbookError::NotXlsx("calamine panicked".into())))
}

impl Sheet {
    /// Opens the workbook; every `required` column must be in its first
    /// filled row.
    pub(crate) fn read(
        bytes: &[u8],
        columns: &[&'static str],
        required: &[&'static str],
    ) -> Result<Sheet, WorkbookError> {
        limits::inspect(bytes, limits::WORKBOOK)?;
        let rows = first_sheet(bytes)?;
        let header: Vec<(u32, String)> = rows
            .first()
            .map(|(_, cells)| {
                let key = |(column, c): &(u32, Data)| (*column, header_key(&cell_text(Some(c))));
                cells.iter().map(key).collect()
            })
            .unwrap_or_default();
        let mut found = HashMap::new();
        for column in columns {
            match header.iter().find(|(_, h)| *h == header_key(column)) {
                Some((position, _)) => {
                    found.insert(*column, *position);
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
            rows,
            columns: found,
        })
    }

    /// Data rows with their Excel row numbers; blank rows are skipped
    /// (hand-kept sheets often have them between blocks).
    pub(crate) fn rows(&self) -> impl Iterator<Item = (usize, &[(u32, Data)])> {
        self.rows
            .iter()
            .skip(1)
            .map(|(row, cells)| (*row as usize + 1, cells.as_slice()))
            .filter(|(_, cells)| cells.iter().any(|(_, c)| !cell_text(Some(c)).is_empty()))
    }

    pub(crate) fn cell<'a>(
        &self,
        cells: &'a [(u32, Data)],
        column: &'static str,
    ) -> Option<&'a Data> {
        let position = *self.columns.get(column)?;
        let at = cells.binary_search_by_key(&position, |(c, _)| *c).ok()?;
        Some(&cells[at].1)
    }
}
