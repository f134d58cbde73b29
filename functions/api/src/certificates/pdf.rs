//! A one-page A4 PDF of headings, labelled fields and paragraphs, written
//! with krilla. The text is set in DejaVu Sans, embedded as a subset with
//! its Unicode mapping, so that accents, « » and foreign names read back
//! exactly as written (`pdftotext`, copy and paste, screen readers).
//!
//! The fonts (`functions/api/fonts/`) are DejaVu Sans and Sans Bold cut to
//! Latin scripts and punctuation; their licence and how they were cut are
//! in that folder's README.

use chrono::{DateTime, Utc};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::{Data, Document};
use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;
use std::sync::OnceLock;

const REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// A4, in points.
const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const MARGIN: f32 = 50.0;
/// Where a field's value starts, right of its label.
const VALUE_X: f32 = MARGIN + 165.0;
/// Lines a field's value or a paragraph takes at most; the rest is cut
/// with an ellipsis, so that every document fits on its one page.
pub const MAX_LINES: usize = 6;
const LEADING: f32 = 1.32;
const INK: (u8, u8, u8) = (20, 20, 20);
const MUTED: (u8, u8, u8) = (90, 90, 90);
const ACCENT: (u8, u8, u8) = (0, 70, 140);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    Regular,
    Bold,
}

/// One line of text where it is drawn (its baseline).
#[derive(Debug, Clone, PartialEq)]
struct Run {
    x: f32,
    y: f32,
    size: f32,
    weight: Weight,
    color: (u8, u8, u8),
    text: String,
}

/// The page being laid out, top to bottom.
#[derive(Debug, Default)]
pub struct Page {
    runs: Vec<Run>,
    rules: Vec<f32>,
    /// The top of the next block, from the top of the page.
    y: f32,
}

/// Why a page could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the content does not fit on one page ({0:.0} points too long)")]
    TooLong(f32),
    #[error("the PDF was not written: {0}")]
    Writer(String),
}

impl Page {
    pub fn new() -> Page {
        Page {
            y: MARGIN,
            ..Page::default()
        }
    }

    pub fn title(&mut self, text: &str) {
        self.block(
            MARGIN,
            WIDTH - 2.0 * MARGIN,
            text,
            18.0,
            Weight::Bold,
            ACCENT,
        );
        self.y += 2.0;
    }

    /// A small line in grey, under a title or at the foot.
    pub fn note(&mut self, text: &str) {
        self.block(
            MARGIN,
            WIDTH - 2.0 * MARGIN,
            text,
            8.0,
            Weight::Regular,
            MUTED,
        );
    }

    /// A section's heading, with a rule under it.
    pub fn heading(&mut self, text: &str) {
        self.y += 9.0;
        self.block(
            MARGIN,
            WIDTH - 2.0 * MARGIN,
            text,
            11.0,
            Weight::Bold,
            ACCENT,
        );
        self.rules.push(self.y + 1.0);
        self.y += 5.0;
    }

    /// A label and its value, the value wrapped in its column.
    pub fn field(&mut self, label: &str, value: &str) {
        self.labelled(label, value, 9.0);
    }

    /// A label and a hexadecimal digest, set smaller so that SHA-256's 64
    /// digits hold on one line.
    pub fn digest(&mut self, label: &str, hex: &str) {
        self.labelled(label, hex, 8.0);
    }

    fn labelled(&mut self, label: &str, value: &str, value_size: f32) {
        let top = self.y;
        self.block(
            MARGIN,
            VALUE_X - MARGIN - 8.0,
            label,
            9.0,
            Weight::Regular,
            MUTED,
        );
        let below_label = self.y;
        self.y = top;
        self.block(
            VALUE_X,
            WIDTH - MARGIN - VALUE_X,
            value,
            value_size,
            Weight::Regular,
            INK,
        );
        self.y = self.y.max(below_label) + 1.5;
    }

    pub fn paragraph(&mut self, text: &str) {
        self.y += 3.0;
        self.block(
            MARGIN,
            WIDTH - 2.0 * MARGIN,
            text,
            9.0,
            Weight::Regular,
            INK,
        );
    }

    /// `text` wrapped to `width` from `x`, at most `MAX_LINES` lines.
    fn block(
        &mut self,
        x: f32,
        width: f32,
        text: &str,
        size: f32,
        weight: Weight,
        color: (u8, u8, u8),
    ) {
        for line in wrap(text, width, size, weight) {
            self.y += size * LEADING;
            let (y, text) = (self.y - size * (LEADING - 1.0), line);
            self.runs.push(Run {
                x,
                y,
                size,
                weight,
                color,
                text,
            });
        }
    }

    /// The PDF: one A4 page, titled, in French, dated `created`.
    pub fn finish(self, title: &str, created: DateTime<Utc>) -> Result<Vec<u8>, PdfError> {
        let overflow = self.y - (HEIGHT - MARGIN);
        if overflow > 0.0 {
            return Err(PdfError::TooLong(overflow));
        }
        let mut document = Document::new();
        document.set_metadata(metadata(title, created));
        let settings = PageSettings::from_wh(WIDTH, HEIGHT).expect("A4 is a page size");
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for run in &self.runs {
            surface.set_fill(Some(Fill {
                paint: rgb::Color::new(run.color.0, run.color.1, run.color.2).into(),
                ..Fill::default()
            }));
            let font = fonts(run.weight).0.clone();
            let at = Point::from_xy(run.x, run.y);
            surface.draw_text(at, font, run.size, &run.text, false, TextDirection::Auto);
        }
        surface.set_fill(None);
        for y in &self.rules {
            let mut path = PathBuilder::new();
            path.move_to(MARGIN, *y);
            path.line_to(WIDTH - MARGIN, *y);
            if let Some(path) = path.finish() {
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(ACCENT.0, ACCENT.1, ACCENT.2).into(),
                    width: 0.6,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
            }
        }
        surface.finish();
        page.finish();
        document
            .finish()
            .map_err(|e| PdfError::Writer(format!("{e:?}")))
    }
}

fn metadata(title: &str, created: DateTime<Utc>) -> Metadata {
    use chrono::{Datelike, Timelike};
    let date = krilla::metadata::DateTime::new(created.year() as u16)
        .month(created.month() as u8)
        .day(created.day() as u8)
        .hour(created.hour() as u8)
        .minute(created.minute() as u8)
        .second(created.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    Metadata::new()
        .title(title.into())
        .language("fr".into())
        .creator("designa".into())
        .creation_date(date)
}

/// Each weight's font, to draw with (krilla) and to measure with (skrifa),
/// read once.
fn fonts(weight: Weight) -> &'static (Font, skrifa::FontRef<'static>) {
    static REGULAR_FONT: OnceLock<(Font, skrifa::FontRef<'static>)> = OnceLock::new();
    static BOLD_FONT: OnceLock<(Font, skrifa::FontRef<'static>)> = OnceLock::new();
    let (cell, bytes) = match weight {
        Weight::Regular => (&REGULAR_FONT, REGULAR),
        Weight::Bold => (&BOLD_FONT, BOLD),
    };
    cell.get_or_init(|| {
        let font = Font::new(Data::from(bytes.to_vec()), 0).expect("the embedded font parses");
        let measured = skrifa::FontRef::new(bytes).expect("the embedded font parses");
        (font, measured)
    })
}

/// How wide `text` is at `size` points.
fn width(text: &str, size: f32, weight: Weight) -> f32 {
    let font = &fonts(weight).1;
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .filter_map(|c| charmap.map(c).or_else(|| charmap.map('?')))
        .filter_map(|glyph| metrics.advance_width(glyph))
        .sum()
}

/// `text` in lines no wider than `max`: words kept whole where they fit,
/// a longer one (a hash) cut where it must; at most `MAX_LINES`, the last
/// one ending in an ellipsis when text was left out.
fn wrap(text: &str, max: f32, size: f32, weight: Weight) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, weight) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            if !line.is_empty() && width(&format!("{line}{c}"), size, weight) > max {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        let last = &mut lines[MAX_LINES - 1];
        while !last.is_empty() && width(&format!("{last} …"), size, weight) > max {
            last.pop();
        }
        last.push_str(" …");
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_their_width_and_long_words_are_cut() {
        let hash = "a".repeat(120);
        let lines = wrap(
            &format!("Empreinte : {hash} fin"),
            200.0,
            9.0,
            Weight::Regular,
        );
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert!(width(line, 9.0, Weight::Regular) <= 200.0, "{line}");
        }
        assert_eq!(
            lines.concat().replace(' ', ""),
            format!("Empreinte:{hash}fin")
        );
    }

    #[test]
    fn a_text_too_long_is_cut_with_an_ellipsis() {
        let lines = wrap(&"mot ".repeat(2000), 300.0, 9.0, Weight::Regular);
        assert_eq!(lines.len(), MAX_LINES);
        assert!(lines[MAX_LINES - 1].ends_with(" …"));
    }

    #[test]
    fn a_page_too_long_is_refused_rather_than_cut() {
        let mut page = Page::new();
        for _ in 0..200 {
            page.paragraph("Une ligne.");
        }
        assert!(matches!(
            page.finish("Essai", Utc::now()),
            Err(PdfError::TooLong(_))
        ));
    }
}
