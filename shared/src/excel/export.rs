//! The notices export (12 months of a tenant or of some entities): one row
//! per notice with its answer, status and acknowledgement, as an .xlsx
//! workbook (written row by row in rust_xlsxwriter's constant-memory mode)
//! or a `;`-separated CSV (UTF-8 with BOM, as Excel opens it).
//!
//! What it never holds: the designated driver (names, addresses, e-mails),
//! the free texts of other answers (they may name people), and the penalty
//! scale of a notice that has an answer (art. L.223-7: the employer does not
//! collect the points of a designated driver). Only the kind of answer is shown.

use super::csv::CsvSheet;
use super::excel_date;
use crate::domain::answer::{AnswerBody, AnswerEvent, AnswerState, OtherAnswer};
use crate::domain::time::PARIS;
use crate::domain::NoticeStatus;
use crate::store::StoredNotice;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};

pub const NOTICE_NUMBER: &str = "Numéro d'avis";
pub const ENTITY: &str = "Entité";
pub const PLATE: &str = "Immatriculation";
pub const COUNTRY: &str = "Pays";
pub const MAKE: &str = "Marque";
pub const MODEL: &str = "Modèle";
pub const OFFENCE_AT: &str = "Date et heure de l'infraction (Paris)";
pub const NATINF: &str = "Code NATINF";
pub const OFFENCE: &str = "Infraction";
pub const ISSUED_ON: &str = "Date d'avis";
pub const RECEIVED_ON: &str = "Reçu le";
pub const DEADLINE: &str = "Date limite";
pub const STATUS: &str = "Statut";
pub const ANSWER_KIND: &str = "Type de réponse";
pub const ANSWERED_AT: &str = "Réponse donnée le";
pub const SENT_AT: &str = "Envoyée le";
pub const ACKNOWLEDGED_AT: &str = "Accusé de réception le";
pub const ANTAI_ERROR: &str = "Erreur ANTAI";
pub const CLASS: &str = "Classe";
pub const FIXED_AMOUNT: &str = "Montant forfaitaire (€)";
pub const REDUCED_AMOUNT: &str = "Montant minoré (€)";
pub const POINTS: &str = "Points";

/// The export's columns, in order.
pub const COLUMNS: [&str; 22] = [
    NOTICE_NUMBER,
    ENTITY,
    PLATE,
    COUNTRY,
    MAKE,
    MODEL,
    OFFENCE_AT,
    NATINF,
    OFFENCE,
    ISSUED_ON,
    RECEIVED_ON,
    DEADLINE,
    STATUS,
    ANSWER_KIND,
    ANSWERED_AT,
    SENT_AT,
    ACKNOWLEDGED_AT,
    ANTAI_ERROR,
    CLASS,
    FIXED_AMOUNT,
    REDUCED_AMOUNT,
    POINTS,
];

/// The columns of the penalty scale, empty once the notice has an answer.
pub const SCALE_COLUMNS: [&str; 4] = [CLASS, FIXED_AMOUNT, REDUCED_AMOUNT, POINTS];

/// The file the export is written as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    #[default]
    Xlsx,
    Csv,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Csv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ExportFormat::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// One cell of a row, typed so the workbook gets numbers and dates, and the
/// CSV their French spelling.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Number(u32),
    /// Euro cents, shown in euros.
    Money(u32),
    Date(NaiveDate),
    /// Europe/Paris local time.
    DateTime(NaiveDateTime),
}

/// Has the notice an answer (given, sent, acknowledged or refused)? Then
/// its scale is never shown. A withdrawn answer is no answer.
pub fn has_answer(n: &StoredNotice) -> bool {
    let active = n
        .answer
        .as_ref()
        .is_some_and(|a| a.state != AnswerState::Cancelled);
    active || !matches!(n.status, NoticeStatus::Open | NoticeStatus::GoneToPaper)
}

pub fn status_label(status: NoticeStatus) -> &'static str {
    match status {
        NoticeStatus::Open => "À traiter",
        NoticeStatus::AnswerPending => "Réponse en attente d'envoi",
        NoticeStatus::AnswerSent => "Réponse envoyée",
        NoticeStatus::Acknowledged => "Réponse acceptée par l'ANTAI",
        NoticeStatus::AnswerInError => "Réponse refusée par l'ANTAI",
        NoticeStatus::GoneToPaper => "Délai dépassé (avis papier)",
    }
}

/// The kind of answer, never its content.
pub fn answer_label(body: &AnswerBody) -> &'static str {
    match body {
        AnswerBody::Designation(_) => "Désignation du conducteur",
        AnswerBody::Other(other) => match other {
            OtherAnswer::VehicleSold { .. } => "Véhicule cédé",
            OtherAnswer::VehicleReturned { .. } => "Véhicule restitué",
            OtherAnswer::VehicleStolen { .. } => "Véhicule volé",
            OtherAnswer::VehicleUnknown => "Véhicule inconnu",
            OtherAnswer::Error { .. } => "Erreur sur l'avis",
            OtherAnswer::PlateUsurpation { .. } => "Usurpation de plaque",
            OtherAnswer::PaperNoticeRequested => "Avis papier demandé",
        },
    }
}

fn paris(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&PARIS).naive_local()
}

fn opt<T>(value: Option<T>, cell: impl FnOnce(T) -> Cell) -> Cell {
    value.map_or(Cell::Empty, cell)
}

/// The cells of a notice's row, in `COLUMNS` order.
fn cells(n: &StoredNotice, entity_name: &str) -> [Cell; COLUMNS.len()] {
    let notice = &n.notice;
    let answer = n
        .answer
        .as_ref()
        .filter(|a| a.state != AnswerState::Cancelled);
    let history = answer.map_or(&[][..], |a| a.history.as_slice());
    let sent_at = history
        .iter()
        .rev()
        .find(|h| matches!(h.event, AnswerEvent::Sent { .. }))
        .map(|h| h.at);
    // ANTAI's processing time, as its acknowledgement file states it.
    let acknowledged_at = history.iter().rev().find_map(|h| match h.event {
        AnswerEvent::Acknowledged { processed_at } => Some(processed_at),
        _ => None,
    });
    let error = answer
        .filter(|a| a.state == AnswerState::InError)
        .and_then(|_| {
            history.iter().rev().find_map(|h| match &h.event {
                AnswerEvent::Rejected { code, label, .. } => Some(format!("{code} : {label}")),
                _ => None,
            })
        });
    let scale = (!has_answer(n)).then_some(&notice.scale);
    [
        Cell::Text(notice.notice_number.clone()),
        Cell::Text(entity_name.to_string()),
        Cell::Text(notice.plate.display()),
        Cell::Text(notice.plate.country.clone()),
        Cell::Text(notice.make.clone()),
        Cell::Text(notice.model.clone()),
        Cell::DateTime(notice.offence_at.naive_local()),
        Cell::Number(notice.offence.natinf_code),
        Cell::Text(notice.offence.label.clone()),
        Cell::Date(notice.issued_on),
        Cell::Date(crate::domain::time::paris_date(n.received_at)),
        Cell::Date(n.deadline),
        Cell::Text(status_label(n.status).to_string()),
        opt(answer, |a| Cell::Text(answer_label(&a.body).to_string())),
        opt(answer, |a| Cell::DateTime(paris(a.answered_at))),
        opt(sent_at, |t| Cell::DateTime(paris(t))),
        opt(acknowledged_at, |t| Cell::DateTime(paris(t))),
        opt(error, Cell::Text),
        opt(scale, |s| Cell::Number(s.class.into())),
        opt(scale, |s| Cell::Money(s.fixed_amount_cents)),
        opt(scale.and_then(|s| s.reduced_amount_cents), Cell::Money),
        opt(scale.and_then(|s| s.points), |p| Cell::Number(p.into())),
    ]
}

fn excel_datetime(t: NaiveDateTime) -> Result<ExcelDateTime, XlsxError> {
    excel_date(t.date())?.and_hms(t.hour() as u16, t.minute() as u8, t.second())
}

struct XlsxSheet {
    workbook: Workbook,
    date: Format,
    datetime: Format,
    money: Format,
}

enum Output {
    Xlsx(Box<XlsxSheet>),
    Csv(Box<CsvSheet>),
}

/// Writes an export row by row, so a caller can report progress between rows.
pub struct ExportWriter {
    output: Output,
    rows: u32,
}

const SHEET: &str = "Avis";
/// Excel's last row, header included.
const MAX_ROWS: u32 = 1_048_575;

impl ExportWriter {
    /// Starts the file with its header row. An .xlsx keeps its rows in a
    /// temporary file (constant-memory mode), not in memory.
    pub fn new(format: ExportFormat) -> Result<ExportWriter, XlsxError> {
        let output = match format {
            ExportFormat::Xlsx => {
                let mut workbook = Workbook::new();
                let sheet = workbook.add_worksheet_with_constant_memory()?;
                sheet.set_name(SHEET)?;
                let bold = Format::new().set_bold();
                for (col, title) in COLUMNS.iter().enumerate() {
                    let width = match *title {
                        OFFENCE => 40,
                        OFFENCE_AT | ANTAI_ERROR => 30,
                        _ => 20,
                    };
                    sheet.set_column_width(col as u16, width)?;
                    sheet.write_string_with_format(0, col as u16, *title, &bold)?;
                }
                sheet.set_freeze_panes(1, 0)?;
                Output::Xlsx(Box::new(XlsxSheet {
                    workbook,
                    date: Format::new().set_num_format("dd/mm/yyyy"),
                    datetime: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
                    money: Format::new().set_num_format("#,##0.00"),
                }))
            }
            ExportFormat::Csv => Output::Csv(Box::new(CsvSheet::new(COLUMNS))),
        };
        Ok(ExportWriter { output, rows: 0 })
    }

    /// Rows written so far (the header not counted).
    pub fn rows(&self) -> usize {
        self.rows as usize
    }

    /// Appends the notice's row; `entity_name` is its entity as users know it.
    pub fn write(&mut self, notice: &StoredNotice, entity_name: &str) -> Result<(), XlsxError> {
        if self.rows >= MAX_ROWS {
            return Err(XlsxError::RowColumnLimitError);
        }
        let row = cells(notice, entity_name);
        self.rows += 1;
        match &mut self.output {
            Output::Xlsx(x) => {
                let r = self.rows;
                let sheet = x.workbook.worksheet_from_index(0)?;
                for (col, cell) in row.into_iter().enumerate() {
                    let col = col as u16;
                    match cell {
                        Cell::Empty => {}
                        Cell::Text(text) => {
                            sheet.write_string(r, col, text)?;
                        }
                        Cell::Number(n) => {
                            sheet.write_number(r, col, n)?;
                        }
                        Cell::Money(cents) => {
                            sheet.write_number_with_format(
                                r,
                                col,
                                f64::from(cents) / 100.0,
                                &x.money,
                            )?;
                        }
                        Cell::Date(d) => {
                            sheet.write_datetime_with_format(r, col, excel_date(d)?, &x.date)?;
                        }
                        Cell::DateTime(t) => {
                            sheet.write_datetime_with_format(
                                r,
                                col,
                                excel_datetime(t)?,
                                &x.datetime,
                            )?;
                        }
                    }
                }
            }
            Output::Csv(sheet) => {
                let texts: Vec<String> = row.into_iter().map(csv_cell).collect();
                sheet.row(texts.iter().map(String::as_str));
            }
        }
        Ok(())
    }

    /// The finished file.
    pub fn finish(self) -> Result<Vec<u8>, XlsxError> {
        match self.output {
            Output::Xlsx(mut x) => {
                let last_col = COLUMNS.len() as u16 - 1;
                x.workbook
                    .worksheet_from_index(0)?
                    .autofilter(0, 0, self.rows, last_col)?;
                x.workbook.save_to_buffer()
            }
            Output::Csv(sheet) => Ok(sheet.finish()),
        }
    }
}

/// Writes a whole export: each notice with its entity's name.
pub fn write_export<'a>(
    format: ExportFormat,
    notices: impl IntoIterator<Item = (&'a StoredNotice, &'a str)>,
) -> Result<Vec<u8>, XlsxError> {
    let mut writer = ExportWriter::new(format)?;
    for (notice, entity) in notices {
        writer.write(notice, entity)?;
    }
    writer.finish()
}

/// A cell as CSV text (`CsvSheet` quotes and guards it).
fn csv_cell(cell: Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => text,
        Cell::Number(n) => n.to_string(),
        Cell::Money(cents) => format!("{},{:02}", cents / 100, cents % 100),
        Cell::Date(d) => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Cell::DateTime(t) => t.format("%d/%m/%Y %H:%M").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::address::PostalAddress;
    use crate::domain::answer::{Answer, AnswerHistoryEntry, DesignatedDriver, AUTOMATIC};
    use crate::domain::{Notice, Plate};
    use calamine::{open_workbook_from_rs, Data, DataType, Reader, Xlsx};
    use chrono::TimeZone;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
    }

    fn notice(number: &str, status: NoticeStatus) -> StoredNotice {
        let issued = NaiveDate::from_ymd_opt(2026, 11, 6).unwrap();
        let mut n = StoredNotice::routed(
            Notice::sample(number, Plate::parse("AB-123-CD", "FRA").unwrap(), issued),
            "t-demo".into(),
            "e-lyon".into(),
            "v-1".into(),
            at(7, 8),
            "inbound/f.txt#1".into(),
        );
        n.status = status;
        n
    }

    fn designated(number: &str) -> StoredNotice {
        let mut n = notice(number, NoticeStatus::Acknowledged);
        let entry = |at, event| AnswerHistoryEntry {
            at,
            transmission_id: format!("{number}-1"),
            event,
        };
        n.answer = Some(Answer {
            body: AnswerBody::Designation(DesignatedDriver {
                last_name: "Fictif".into(),
                first_name: "Dominique".into(),
                address: PostalAddress {
                    line1: "9 impasse Imaginaire".into(),
                    line2: None,
                    postcode: "69003".into(),
                    city: "Lyon".into(),
                    country: "FRA".into(),
                },
                personal_email: Some("dominique.fictif@example.com".into()),
                professional_email: None,
            }),
            driver_id: Some("d-1".into()),
            state: AnswerState::Acknowledged,
            answered_by: AUTOMATIC.into(),
            answered_at: at(8, 9),
            window_ends_at: at(8, 13),
            notify_driver: false,
            transmission: 1,
            batch_id: Some("b-1".into()),
            history: vec![
                entry(
                    at(8, 9),
                    AnswerEvent::Submitted {
                        by: AUTOMATIC.into(),
                        automatic: true,
                    },
                ),
                entry(
                    at(8, 14),
                    AnswerEvent::Sent {
                        file_id: "F1".into(),
                        file_key: "outbound/F1".into(),
                    },
                ),
                entry(
                    at(10, 6),
                    AnswerEvent::Acknowledged {
                        processed_at: at(9, 23),
                    },
                ),
            ],
            sealed: None,
        });
        n
    }

    fn rows(bytes: &[u8]) -> Vec<Vec<Data>> {
        let mut workbook: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(workbook.sheet_names(), ["Avis"]);
        let range = workbook.worksheet_range("Avis").unwrap();
        range.rows().map(|r| r.to_vec()).collect()
    }

    fn col(name: &str) -> usize {
        COLUMNS.iter().position(|c| *c == name).unwrap()
    }

    #[test]
    fn the_workbook_reads_back_with_typed_cells_and_no_scale_once_answered() {
        let open = notice("N-OPEN", NoticeStatus::Open);
        let done = designated("N-DESIGNATED");
        let bytes = write_export(
            ExportFormat::Xlsx,
            [(&open, "Agence de Lyon"), (&done, "Agence de Lyon")],
        )
        .unwrap();
        let rows = rows(&bytes);
        assert_eq!(rows.len(), 3);
        let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
        assert_eq!(header, COLUMNS);

        let open_row = &rows[1];
        assert_eq!(open_row[col(NOTICE_NUMBER)].to_string(), "N-OPEN");
        assert_eq!(open_row[col(ENTITY)].to_string(), "Agence de Lyon");
        assert_eq!(open_row[col(PLATE)].to_string(), "AB-123-CD");
        assert_eq!(open_row[col(NATINF)].as_i64(), Some(11300));
        assert_eq!(open_row[col(STATUS)].to_string(), "À traiter");
        assert_eq!(
            open_row[col(OFFENCE_AT)].as_datetime().unwrap().to_string(),
            "2026-11-02 08:30:00"
        );
        assert_eq!(
            open_row[col(DEADLINE)].as_date(),
            NaiveDate::from_ymd_opt(2026, 12, 21)
        );
        assert_eq!(open_row[col(CLASS)].as_i64(), Some(4));
        assert_eq!(open_row[col(FIXED_AMOUNT)].as_f64(), Some(135.0));
        assert_eq!(open_row[col(REDUCED_AMOUNT)].as_f64(), Some(90.0));
        assert_eq!(open_row[col(POINTS)].as_i64(), Some(1));
        assert!(open_row[col(ANSWER_KIND)].is_empty());

        let done_row = &rows[2];
        assert_eq!(
            done_row[col(ANSWER_KIND)].to_string(),
            "Désignation du conducteur"
        );
        // Paris times: 09:00 UTC is 10:00 in November.
        assert_eq!(
            done_row[col(ANSWERED_AT)]
                .as_datetime()
                .unwrap()
                .to_string(),
            "2026-11-08 10:00:00"
        );
        assert_eq!(
            done_row[col(SENT_AT)].as_datetime().unwrap().to_string(),
            "2026-11-08 15:00:00"
        );
        assert_eq!(
            done_row[col(ACKNOWLEDGED_AT)]
                .as_datetime()
                .unwrap()
                .to_string(),
            "2026-11-10 00:00:00"
        );
        for scale in SCALE_COLUMNS {
            let cell = done_row.get(col(scale)).cloned().unwrap_or(Data::Empty);
            assert!(
                cell.is_empty(),
                "{scale} shows {cell:?} on a designated notice"
            );
        }
        // Nothing of the designated driver, anywhere.
        let text = format!("{rows:?}");
        for personal in ["Fictif", "Dominique", "Imaginaire", "69003", "example.com"] {
            assert!(!text.contains(personal), "the export shows {personal}");
        }
    }

    #[test]
    fn a_refused_answer_shows_antai_error_and_a_withdrawn_one_shows_nothing() {
        let mut refused = designated("N-REFUSED");
        refused.status = NoticeStatus::AnswerInError;
        let answer = refused.answer.as_mut().unwrap();
        answer.state = AnswerState::InError;
        answer.history.pop();
        answer.history.push(AnswerHistoryEntry {
            at: at(10, 6),
            transmission_id: "N-REFUSED-1".into(),
            event: AnswerEvent::Rejected {
                processed_at: at(9, 23),
                code: "E12".into(),
                field: Some("adresse".into()),
                label: "Adresse incomplète".into(),
            },
        });
        let mut withdrawn = designated("N-WITHDRAWN");
        withdrawn.status = NoticeStatus::Open;
        withdrawn.answer.as_mut().unwrap().state = AnswerState::Cancelled;
        let bytes = write_export(
            ExportFormat::Xlsx,
            [(&refused, "Lyon"), (&withdrawn, "Lyon")],
        )
        .unwrap();
        let rows = rows(&bytes);
        assert_eq!(
            rows[1][col(ANTAI_ERROR)].to_string(),
            "E12 : Adresse incomplète"
        );
        assert!(rows[1][col(ACKNOWLEDGED_AT)].is_empty());
        assert!(rows[1].get(col(CLASS)).is_none_or(|c| c.is_empty()));
        assert!(rows[2][col(ANSWER_KIND)].is_empty());
        assert_eq!(rows[2][col(CLASS)].as_i64(), Some(4));
    }

    #[test]
    fn the_csv_has_the_same_columns_for_excel() {
        let open = notice("N-OPEN", NoticeStatus::Open);
        let mut odd = designated("=N;2");
        odd.notice.offence.label = "Vitesse \"excessive\"; récidive".into();
        let bytes = write_export(ExportFormat::Csv, [(&open, "Lyon"), (&odd, "Nord")]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let text = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.len(), 4, "header, two rows, final line break");
        assert_eq!(lines[0], COLUMNS.join(";"));
        let open_fields: Vec<&str> = lines[1].split(';').collect();
        assert_eq!(open_fields.len(), COLUMNS.len());
        assert_eq!(open_fields[col(OFFENCE_AT)], "02/11/2026 08:30");
        assert_eq!(open_fields[col(FIXED_AMOUNT)], "135,00");
        assert_eq!(open_fields[col(ISSUED_ON)], "06/11/2026");
        assert!(lines[2].starts_with("\"'=N;2\";Nord;"));
        assert!(lines[2].contains("\"Vitesse \"\"excessive\"\"; récidive\""));
        assert!(
            lines[2].ends_with(";;;;"),
            "no scale once answered: {}",
            lines[2]
        );
    }
}
