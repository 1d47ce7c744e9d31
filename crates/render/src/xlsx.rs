//! XLSX export of plain tables: one worksheet per [`Sheet`], a bold frozen header row with a
//! filter, typed cells (text, integer, date, percentage) and column widths.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use time::Date;

use crate::error::RenderError;

/// One typed cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A whole number. Spreadsheets store numbers as doubles, exact up to 2^53.
    Int(i64),
    /// A date, shown `dd/mm/yyyy`.
    Date(Date),
    /// `part / whole` shown as a percentage with two decimals (an empty cell when `whole` is
    /// 0). Stored as the ratio so a spreadsheet can compute with it.
    Percent {
        /// Numerator.
        part: u64,
        /// Denominator.
        whole: u64,
    },
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Self {
        Cell::Int(i64::from(n))
    }
}

impl From<Date> for Cell {
    fn from(date: Date) -> Self {
        Cell::Date(date)
    }
}

/// A column: header text and width in characters.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetColumn {
    /// Header text (bold, frozen).
    pub header: String,
    /// Width in characters of the default font.
    pub width: f64,
}

impl SheetColumn {
    /// A column.
    pub fn new(header: impl Into<String>, width: f64) -> Self {
        Self { header: header.into(), width }
    }
}

/// A worksheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Sheet name: at most 31 characters, none of `[ ] : * ? / \`.
    pub name: String,
    /// The columns.
    pub columns: Vec<SheetColumn>,
    /// The rows; a row may be shorter than the columns.
    pub rows: Vec<Vec<Cell>>,
}

fn xlsx_error(sheet: &str, err: XlsxError) -> RenderError {
    RenderError::Xlsx(format!("trang tính {sheet:?}: {err}"))
}

/// Write the sheets as one XLSX workbook.
pub fn xlsx_table(sheets: &[Sheet]) -> Result<Vec<u8>, RenderError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let percent = Format::new().set_num_format("0.00%");
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        fill(worksheet, sheet, &header, &date, &percent)
            .map_err(|err| xlsx_error(&sheet.name, err))?;
    }
    workbook.save_to_buffer().map_err(|err| RenderError::Xlsx(err.to_string()))
}

fn fill(
    worksheet: &mut Worksheet,
    sheet: &Sheet,
    header: &Format,
    date: &Format,
    percent: &Format,
) -> Result<(), XlsxError> {
    worksheet.set_name(sheet.name.as_str())?;
    for (col, column) in sheet.columns.iter().enumerate() {
        let col = column_index(col)?;
        worksheet.write_string_with_format(0, col, column.header.as_str(), header)?;
        worksheet.set_column_width(col, column.width)?;
    }
    for (index, row) in sheet.rows.iter().enumerate() {
        let r = u32::try_from(index + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, cell) in row.iter().enumerate() {
            let c = column_index(col)?;
            match cell {
                Cell::Empty => {}
                Cell::Text(text) => {
                    worksheet.write_string(r, c, text.as_str())?;
                }
                Cell::Int(n) => {
                    // i64 → f64 is exact for every count a congress produces (below 2^53).
                    worksheet.write_number(r, c, *n as f64)?;
                }
                Cell::Date(d) => {
                    let excel = ExcelDateTime::from_ymd(
                        u16::try_from(d.year())
                            .map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?,
                        u8::from(d.month()),
                        d.day(),
                    )?;
                    worksheet.write_datetime_with_format(r, c, &excel, date)?;
                }
                Cell::Percent { part, whole } => {
                    if *whole > 0 {
                        worksheet.write_number_with_format(
                            r,
                            c,
                            *part as f64 / *whole as f64,
                            percent,
                        )?;
                    }
                }
            }
        }
    }
    if !sheet.columns.is_empty() {
        worksheet.set_freeze_panes(1, 0)?;
        let last_row =
            u32::try_from(sheet.rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        worksheet.autofilter(0, 0, last_row, column_index(sheet.columns.len() - 1)?)?;
    }
    Ok(())
}

fn column_index(col: usize) -> Result<u16, XlsxError> {
    u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)
}
