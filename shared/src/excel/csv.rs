//! The one CSV writer of the product (notices export, journal export): `;`
//! between fields, UTF-8 with a BOM and CRLF line ends, as Excel opens them
//! in France; quoting by the `csv` crate; and one guard against formula
//! injection for every cell.

use std::borrow::Cow;

/// Characters that make Excel or LibreOffice read a cell as a formula (or
/// hide what follows them).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as a spreadsheet shows it: a leading formula character is
/// neutralised by a quote, so `=HYPERLINK(…)` stays text.
pub fn guard(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A CSV file written row by row in memory.
pub struct CsvSheet {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvSheet {
    /// Starts the file: the BOM, then the header row.
    pub fn new<'a>(header: impl IntoIterator<Item = &'a str>) -> CsvSheet {
        let writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer("\u{feff}".as_bytes().to_vec());
        let mut sheet = CsvSheet { writer };
        sheet.row(header);
        sheet
    }

    /// Appends one row, each cell guarded.
    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) {
        let guarded: Vec<Cow<str>> = cells.into_iter().map(guard).collect();
        // Writing to a Vec cannot fail.
        self.writer
            .write_record(guarded.iter().map(|c| c.as_bytes()))
            .expect("CSV into memory");
    }

    /// The finished file.
    pub fn finish(self) -> Vec<u8> {
        self.writer
            .into_inner()
            .map_err(|e| e.to_string())
            .expect("CSV into memory")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_semicolons_crlf_quotes_and_no_formula() {
        let mut sheet = CsvSheet::new(["a", "b"]);
        sheet.row(["=HYPERLINK(\"x\")", "un; deux"]);
        sheet.row(["\tcaché", "+33 1 23"]);
        sheet.row(["-1", "@SUM(A1)"]);
        let text = String::from_utf8(sheet.finish()).unwrap();
        assert_eq!(
            text,
            "\u{feff}a;b\r\n\"'=HYPERLINK(\"\"x\"\")\";\"un; deux\"\r\n'\tcaché;'+33 1 23\r\n'-1;'@SUM(A1)\r\n"
        );
    }
}
