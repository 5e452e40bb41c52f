//! Spreadsheets (XLSX): one sheet with a block of facts above a table with a frozen header row
//! and an autofilter. User text is written as strings (`write_string`), never as formulas, and
//! without the `'` that CSV cells get (a string cell is never evaluated); annexa's own numbers
//! (risk ratings and scores) are written as numbers. The workbook's creation date is the
//! project's `today`, so that the same input gives the same bytes.

use jiff::civil::Date;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::error::Fatal;

/// A cell of an export's table: user text, or one of annexa's own numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text (user text or annexa's own words); empty for an absent value.
    Text(String),
    /// A number annexa computed or checked (a rating, a score).
    Number(u32),
}

impl Cell {
    /// Text, or an empty cell when absent.
    pub fn text(value: Option<impl Into<String>>) -> Cell {
        Cell::Text(value.map(Into::into).unwrap_or_default())
    }

    /// A number, or an empty cell when absent.
    pub fn number(value: Option<impl Into<u32>>) -> Cell {
        value.map_or(Cell::Text(String::new()), |n| Cell::Number(n.into()))
    }

    fn width(&self) -> usize {
        match self {
            Cell::Text(text) => text.lines().map(|l| l.chars().count()).max().unwrap_or(0),
            Cell::Number(n) => n.to_string().len(),
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

/// A sheet to write: its name, the facts above the table (label and value), the table's
/// column headings and its rows.
pub struct Sheet<'a> {
    /// The worksheet's name (at most 31 characters, no `[]:*?/\`).
    pub name: &'a str,
    /// The document title in the workbook's properties.
    pub title: &'a str,
    /// Label and value of each line of the block above the table.
    pub facts: &'a [(&'a str, String)],
    /// The table's column headings.
    pub columns: &'a [&'a str],
    /// The table's rows, each as wide as `columns`.
    pub rows: &'a [Vec<Cell>],
}

/// The narrowest and widest a column is made, in characters.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// The longest text a cell holds, in UTF-16 units (Excel's limit).
const MAX_CELL: usize = 32_767;

/// The workbook of one sheet, created on `today`.
pub fn workbook(sheet: &Sheet<'_>, today: Date) -> Result<Vec<u8>, Fatal> {
    build(sheet, today).map_err(|e| Fatal::new(format!("cannot write a spreadsheet: {e}")))
}

fn build(sheet: &Sheet<'_>, today: Date) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        u16::try_from(today.year()).unwrap_or(1900),
        today.month() as u8,
        today.day() as u8,
    )?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(sheet.title)
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let ws = workbook.add_worksheet();
    ws.set_name(sheet.name)?;
    let mut widths = vec![MIN_WIDTH; sheet.columns.len().max(2)];
    let mut fit = |col: usize, width: usize| {
        widths[col] = widths[col].max(width + 2);
    };
    for (row, (label, value)) in sheet.facts.iter().enumerate() {
        let row = row as u32;
        ws.write_string_with_format(row, 0, *label, &bold)?;
        ws.write_string(row, 1, cell_text(value))?;
        fit(0, label.chars().count());
        fit(1, value.chars().count());
    }
    let header = if sheet.facts.is_empty() {
        0
    } else {
        sheet.facts.len() as u32 + 1
    };
    for (col, name) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(header, col as u16, *name, &bold)?;
        fit(col, name.chars().count() + 2); // room for the filter button
    }
    for (r, cells) in sheet.rows.iter().enumerate() {
        let row = header + 1 + r as u32;
        for (col, cell) in cells.iter().enumerate() {
            match cell {
                Cell::Text(text) if text.is_empty() => {}
                Cell::Text(text) => {
                    ws.write_string(row, col as u16, cell_text(text))?;
                }
                Cell::Number(n) => {
                    ws.write_number(row, col as u16, f64::from(*n))?;
                }
            }
            fit(col, cell.width());
        }
    }
    for (col, width) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, (*width).min(MAX_WIDTH) as f64)?;
    }
    ws.set_freeze_panes(header + 1, 0)?;
    let last_row = header + sheet.rows.len() as u32;
    let last_col = sheet.columns.len().saturating_sub(1) as u16;
    ws.autofilter(header, 0, last_row, last_col)?;
    workbook.save_to_buffer()
}

/// `text` cut to what a cell can hold.
fn cell_text(text: &str) -> &str {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL {
            return &text[..at];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_what_a_cell_holds() {
        let long = "é".repeat(MAX_CELL + 5);
        assert_eq!(cell_text(&long).chars().count(), MAX_CELL);
        assert_eq!(cell_text("short"), "short");
    }

    #[test]
    fn the_same_sheet_gives_the_same_bytes() {
        let rows = vec![vec![Cell::from("=1+1"), Cell::Number(3)]];
        let sheet = Sheet {
            name: "Test",
            title: "Test",
            facts: &[("Generated on", "2026-11-01".to_string())],
            columns: &["a", "b"],
            rows: &rows,
        };
        let today = jiff::civil::date(2026, 11, 1);
        assert_eq!(
            workbook(&sheet, today).unwrap(),
            workbook(&sheet, today).unwrap()
        );
    }
}
