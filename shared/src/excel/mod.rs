//! Excel workbooks fleet managers exchange with the platform: read with
//! calamine, written with rust_xlsxwriter. Every refused cell is reported by
//! row and column; nothing is applied from a workbook that has errors unless
//! the caller asks for a partial apply.

pub mod fleet;
