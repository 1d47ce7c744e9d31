//! Tables people keep in spreadsheets: CSV (UTF-8, with or without BOM, comma, semicolon or tab)
//! and XLSX, read into typed cells with spreadsheet row numbers, and written back the same way.
//!
//! Row numbers are the ones a spreadsheet shows: the header is row 1. Dates are read from
//! `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy` and `yyyy-mm-dd` text and from XLSX date
//! cells; they are written as `dd/mm/yyyy` in CSV and as date cells in XLSX.

use std::io::{Cursor, Write};

use daihoi_core::records::RowProblem;
use time::{Date, Month};

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing in the cell (or only spaces).
    Empty,
    /// Text, trimmed.
    Text(String),
    /// A whole number (XLSX numeric cells that are whole).
    Int(i64),
    /// A date (XLSX date cells; text dates stay text until a field asks for a date).
    Date(Date),
}

impl Cell {
    /// The cell as text, as a person would read it (whole numbers without decimals, dates as
    /// `dd/mm/yyyy`); `None` when empty.
    pub fn text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(text) => Some(text.clone()),
            Cell::Int(value) => Some(value.to_string()),
            Cell::Date(date) => Some(format_date(*date)),
        }
    }

    /// Whether the cell is empty.
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    fn from_text(text: &str) -> Cell {
        let trimmed = text.trim();
        if trimmed.is_empty() { Cell::Empty } else { Cell::Text(trimmed.to_string()) }
    }

    /// A cell holding optional text.
    pub fn opt_text(text: Option<&str>) -> Cell {
        text.map(Cell::from_text).unwrap_or(Cell::Empty)
    }
}

/// A table read from a file: the header row and the record rows, empty rows left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Header texts, trimmed, in column order.
    pub headers: Vec<String>,
    /// The record rows.
    pub rows: Vec<Row>,
}

/// One record row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Spreadsheet row number (the header is row 1).
    pub number: u32,
    /// Cells in column order, as many as there are headers.
    pub cells: Vec<Cell>,
}

/// The two spreadsheet formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// Comma-, semicolon- or tab-separated text in UTF-8.
    Csv,
    /// Office Open XML workbook; the first sheet is read.
    Xlsx,
}

impl TableFormat {
    /// Parses `csv` / `xlsx`.
    pub fn parse(text: &str) -> Option<TableFormat> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(TableFormat::Csv),
            "xlsx" => Some(TableFormat::Xlsx),
            _ => None,
        }
    }

    /// The format of a file: XLSX when it is a ZIP archive or named `.xlsx`, CSV otherwise.
    pub fn detect(file_name: &str, bytes: &[u8]) -> TableFormat {
        let lower = file_name.to_ascii_lowercase();
        if bytes.starts_with(b"PK\x03\x04") || lower.ends_with(".xlsx") || lower.ends_with(".xlsm")
        {
            TableFormat::Xlsx
        } else {
            TableFormat::Csv
        }
    }
}

/// The largest number of rows an XLSX sheet holds (with the header).
pub const XLSX_MAX_ROWS: usize = 1_048_576;

fn file_problem(vi: impl Into<String>, en: impl Into<String>) -> RowProblem {
    RowProblem::new(0, "", vi, en)
}

/// Reads a table. Problems with the file as a whole come back with row 0.
pub fn read_table(bytes: &[u8], format: TableFormat) -> Result<Table, RowProblem> {
    let table = match format {
        TableFormat::Csv => read_csv(bytes)?,
        TableFormat::Xlsx => read_xlsx(bytes)?,
    };
    if table.headers.iter().all(|header| header.is_empty()) {
        return Err(file_problem(
            "Tệp trống hoặc thiếu dòng tiêu đề (dòng 1 phải là tên các cột).",
            "The file is empty or has no header row (row 1 must name the columns).",
        ));
    }
    Ok(table)
}

/// The delimiter of a CSV file: whichever of `,`, `;` and tab appears most in the header line
/// outside quotes (Excel in Vietnamese locales saves with semicolons).
fn sniff_delimiter(text: &str) -> u8 {
    let mut in_quotes = false;
    let (mut commas, mut semicolons, mut tabs) = (0, 0, 0);
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' | '\r' if !in_quotes => break,
            ',' if !in_quotes => commas += 1,
            ';' if !in_quotes => semicolons += 1,
            '\t' if !in_quotes => tabs += 1,
            _ => {}
        }
    }
    if semicolons > commas && semicolons >= tabs {
        b';'
    } else if tabs > commas && tabs > semicolons {
        b'\t'
    } else {
        b','
    }
}

fn read_csv(bytes: &[u8]) -> Result<Table, RowProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let line = bytes[..error.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
            return Err(file_problem(
                format!(
                    "Tệp không phải văn bản UTF-8 (lỗi ở dòng {line}). Hãy lưu lại dưới dạng “CSV UTF-8”."
                ),
                format!(
                    "The file is not UTF-8 text (first bad byte on line {line}). Save it as “CSV UTF-8”."
                ),
            ));
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let record = record.map_err(|error| {
            RowProblem::new(
                number,
                "",
                format!("Không đọc được dòng CSV: {error}."),
                format!("Cannot read this CSV row: {error}."),
            )
        })?;
        let cells: Vec<&str> = record.iter().collect();
        match &headers {
            None => headers = Some(cells.iter().map(|c| c.trim().to_string()).collect()),
            Some(headers) => {
                let mut cells: Vec<Cell> = cells.iter().map(|c| Cell::from_text(c)).collect();
                if cells.iter().all(Cell::is_empty) {
                    continue;
                }
                if cells.len() > headers.len()
                    && cells[headers.len()..].iter().any(|c| !c.is_empty())
                {
                    return Err(RowProblem::new(
                        number,
                        "",
                        format!(
                            "Dòng có {} ô nhưng tiêu đề chỉ có {} cột.",
                            cells.len(),
                            headers.len()
                        ),
                        format!(
                            "The row has {} cells but the header has only {} columns.",
                            cells.len(),
                            headers.len()
                        ),
                    ));
                }
                cells.resize(headers.len(), Cell::Empty);
                rows.push(Row { number, cells });
            }
        }
    }
    Ok(Table { headers: headers.unwrap_or_default(), rows })
}

fn excel_date(value: &calamine::ExcelDateTime) -> Option<Date> {
    let (year, month, day, ..) = value.to_ymd_hms_milli();
    Date::from_calendar_date(i32::from(year), Month::try_from(month).ok()?, day).ok()
}

fn xlsx_cell(data: &calamine::Data) -> Cell {
    use calamine::Data;
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) => Cell::from_text(text),
        Data::Int(value) => Cell::Int(*value),
        // A whole float is a whole number; anything else stays as written so that a field
        // expecting a whole number can say exactly what it found.
        Data::Float(value) if value.fract() == 0.0 && value.abs() < 9.0e15 => {
            Cell::Int(*value as i64)
        }
        Data::Float(value) => Cell::Text(value.to_string()),
        Data::Bool(value) => Cell::Text(if *value { "TRUE".into() } else { "FALSE".into() }),
        Data::DateTime(value) if value.is_datetime() => excel_date(value)
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::Text(value.as_f64().to_string())),
        Data::DateTime(value) => Cell::Text(value.as_f64().to_string()),
        Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::from_text(text),
        Data::Error(error) => Cell::Text(format!("#{error:?}")),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, RowProblem> {
    use calamine::Reader;
    let not_xlsx = |error: &dyn std::fmt::Display| {
        file_problem(
            format!("Không đọc được tệp Excel (.xlsx): {error}."),
            format!("Cannot read the Excel (.xlsx) file: {error}."),
        )
    };
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| not_xlsx(&e))?;
    let range = match workbook.worksheet_range_at(0) {
        Some(range) => range.map_err(|e| not_xlsx(&e))?,
        None => {
            return Err(file_problem(
                "Tệp Excel không có trang tính nào.",
                "The workbook has no sheet.",
            ));
        }
    };
    // Rows are numbered from the sheet's row 1 even when the used range starts lower down.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (offset, cells) in range.rows().enumerate() {
        let number = first_row + offset as u32 + 1;
        let mut cells: Vec<Cell> = cells.iter().map(xlsx_cell).collect();
        if first_col > 0 {
            let mut padded = vec![Cell::Empty; first_col as usize];
            padded.append(&mut cells);
            cells = padded;
        }
        match &headers {
            None => {
                if cells.iter().all(Cell::is_empty) {
                    continue;
                }
                let mut names: Vec<String> =
                    cells.iter().map(|c| c.text().unwrap_or_default()).collect();
                while names.last().is_some_and(String::is_empty) {
                    names.pop();
                }
                headers = Some(names);
            }
            Some(headers) => {
                if cells.iter().all(Cell::is_empty) {
                    continue;
                }
                if cells.len() > headers.len()
                    && cells[headers.len()..].iter().any(|c| !c.is_empty())
                {
                    return Err(RowProblem::new(
                        number,
                        "",
                        "Dòng có ô dữ liệu nằm ngoài các cột có tiêu đề.",
                        "The row has data in a column without a header.",
                    ));
                }
                cells.resize(headers.len(), Cell::Empty);
                rows.push(Row { number, cells });
            }
        }
    }
    Ok(Table { headers: headers.unwrap_or_default(), rows })
}

/// Parses a date as people write them: `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`, or
/// ISO `yyyy-mm-dd`.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    if !(a.chars().chain(b.chars()).chain(c.chars()).all(|ch| ch.is_ascii_digit())) {
        return None;
    }
    let (year, month, day) = if a.len() == 4 && !text.contains('/') {
        (a, b, c)
    } else if c.len() == 4 {
        (c, b, a)
    } else {
        return None;
    };
    if month.is_empty() || month.len() > 2 || day.is_empty() || day.len() > 2 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let month: u8 = month.parse().ok()?;
    let day: u8 = day.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// A whole number of zero or more, plain (`1234`) or with Vietnamese thousands dots (`1.234`).
pub fn parse_count(text: &str) -> Option<i64> {
    let text = text.trim();
    let groups: Vec<&str> = text.split('.').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|group| group.len() == 3);
    if groups.len() > 1 && !grouped {
        return None;
    }
    let digits: String = groups.concat();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `dd/mm/yyyy`.
pub fn format_date(date: Date) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), u8::from(date.month()), date.year())
}

/// Writes CSV rows one by one (exports of millions of members stream through it).
pub struct CsvWriter<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> std::fmt::Debug for CsvWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvWriter").finish_non_exhaustive()
    }
}

impl<W: Write> CsvWriter<W> {
    /// Starts a CSV file with its header row. `bom` puts the UTF-8 byte-order mark first, which
    /// spreadsheet programs need to recognise UTF-8.
    pub fn new(mut out: W, headers: &[&str], bom: bool) -> std::io::Result<CsvWriter<W>> {
        if bom {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(headers).map_err(std::io::Error::other)?;
        Ok(CsvWriter { writer })
    }

    /// Writes one row.
    pub fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        let texts: Vec<String> = cells.iter().map(|c| c.text().unwrap_or_default()).collect();
        self.writer.write_record(&texts).map_err(std::io::Error::other)
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.writer.into_inner().map_err(|error| std::io::Error::other(error.to_string()))
    }
}

/// Writes an XLSX workbook with one sheet: a bold header row, dates as date cells.
pub fn write_xlsx(
    sheet_name: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold)?;
    }
    for (index, cells) in rows.into_iter().enumerate() {
        let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
        for (col, cell) in cells.iter().enumerate() {
            let col_u16 = col as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(text) => {
                    sheet.write_string(row, col_u16, text)?;
                    if let Some(width) = widths.get_mut(col) {
                        *width = (*width).max(text.chars().count().min(60));
                    }
                }
                Cell::Int(value) => {
                    sheet.write_number(row, col_u16, *value as f64)?;
                }
                Cell::Date(date) => {
                    let value = ExcelDateTime::from_ymd(
                        u16::try_from(date.year()).unwrap_or(1900),
                        u8::from(date.month()),
                        date.day(),
                    )?;
                    sheet.write_datetime_with_format(row, col_u16, &value, &date_format)?;
                    if let Some(width) = widths.get_mut(col) {
                        *width = (*width).max(10);
                    }
                }
            }
        }
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*width as f64 + 2.0).min(62.0))?;
    }
    workbook.save_to_buffer()
}

/// Folds a header for matching: no diacritics, lowercase, every run of punctuation or spaces
/// one space (`Chính thức/Dự bị` → `chinh thuc du bi`).
pub fn fold_header(header: &str) -> String {
    let folded = daihoi_core::vn::fold(header);
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Columns people add to every spreadsheet that carry no data of their own (`STT`, the row
/// number).
pub fn is_ignored_header(folded: &str) -> bool {
    matches!(folded, "stt" | "so thu tu" | "tt" | "no" | "#" | "")
}

/// A field of a record file and the headers it may be read from (folded with [`fold_header`]).
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Field code, as used in messages and [`daihoi_core::records::Columns`].
    pub field: &'static str,
    /// Accepted headers, folded; the first is the Vietnamese header written on export.
    pub aliases: &'static [&'static str],
    /// Whether the column must be there.
    pub required: bool,
    /// The header written on export.
    pub export_header: &'static str,
}

/// Which column holds which field, and the header it had.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    found: Vec<(&'static str, usize, String)>,
}

impl ColumnMap {
    /// The index of `field`'s column, if the file has one.
    pub fn index(&self, field: &str) -> Option<usize> {
        self.found.iter().find(|(name, ..)| *name == field).map(|(_, index, _)| *index)
    }

    /// The header of `field`'s column as written, or the export header if absent.
    pub fn header(&self, field: &str, specs: &[FieldSpec]) -> String {
        self.found
            .iter()
            .find(|(name, ..)| *name == field)
            .map(|(.., header)| header.clone())
            .or_else(|| specs.iter().find(|s| s.field == field).map(|s| s.export_header.into()))
            .unwrap_or_else(|| field.to_string())
    }

    /// The cell of `field` in a row (empty when the file has no such column).
    pub fn cell<'a>(&self, row: &'a Row, field: &str) -> &'a Cell {
        static EMPTY: Cell = Cell::Empty;
        self.index(field).and_then(|index| row.cells.get(index)).unwrap_or(&EMPTY)
    }

    /// Field → header, for later checks to name columns.
    pub fn columns(&self) -> daihoi_core::records::Columns {
        let mut columns = daihoi_core::records::Columns::default();
        for (field, _, header) in &self.found {
            columns.insert(field, header.clone());
        }
        columns
    }
}

/// Matches the header row against the fields. Unknown and repeated columns and missing
/// required ones are problems on row 1: an unknown column would otherwise be dropped silently.
pub fn map_columns(headers: &[String], specs: &[FieldSpec]) -> Result<ColumnMap, Vec<RowProblem>> {
    let mut map = ColumnMap::default();
    let mut problems = Vec::new();
    for (index, header) in headers.iter().enumerate() {
        let folded = fold_header(header);
        if is_ignored_header(&folded) {
            continue;
        }
        match specs.iter().find(|spec| spec.aliases.contains(&folded.as_str())) {
            Some(spec) if map.index(spec.field).is_some() => problems.push(RowProblem::new(
                1,
                header.clone(),
                format!("Cột này trùng với cột “{}”.", map.header(spec.field, specs)),
                format!("This column repeats the column “{}”.", map.header(spec.field, specs)),
            )),
            Some(spec) => map.found.push((spec.field, index, header.clone())),
            None => {
                let known: Vec<&str> = specs.iter().map(|spec| spec.export_header).collect();
                problems.push(RowProblem::new(
                    1,
                    header.clone(),
                    format!("Không rõ cột này. Các cột được chấp nhận: {}.", known.join(", ")),
                    format!("Unknown column. Accepted columns: {}.", known.join(", ")),
                ));
            }
        }
    }
    for spec in specs.iter().filter(|spec| spec.required) {
        if map.index(spec.field).is_none() {
            problems.push(RowProblem::new(
                1,
                spec.export_header,
                format!("Thiếu cột bắt buộc “{}”.", spec.export_header),
                format!("The required column “{}” is missing.", spec.export_header),
            ));
        }
    }
    if problems.is_empty() { Ok(map) } else { Err(problems) }
}

/// Reads typed values out of cells, collecting a problem for each bad one.
#[derive(Debug)]
pub struct CellReader<'a> {
    /// The column map.
    pub map: &'a ColumnMap,
    /// The field specs (for column names).
    pub specs: &'a [FieldSpec],
    /// Problems found so far.
    pub problems: Vec<RowProblem>,
}

impl<'a> CellReader<'a> {
    /// A reader over a mapped file.
    pub fn new(map: &'a ColumnMap, specs: &'a [FieldSpec]) -> CellReader<'a> {
        CellReader { map, specs, problems: Vec::new() }
    }

    /// Records a problem with `field` in `row`.
    pub fn problem(
        &mut self,
        row: &Row,
        field: &str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) {
        let header = self.map.header(field, self.specs);
        self.problems.push(RowProblem::new(row.number, header, vi, en));
    }

    /// Text of a field, trimmed; `None` when empty.
    pub fn text(&self, row: &Row, field: &str) -> Option<String> {
        self.map.cell(row, field).text()
    }

    /// A whole number ≥ 0; empty is 0.
    pub fn count(&mut self, row: &Row, field: &str) -> i64 {
        match self.map.cell(row, field) {
            Cell::Empty => 0,
            Cell::Int(value) if *value >= 0 => *value,
            cell => {
                let text = cell.text().unwrap_or_default();
                match parse_count(&text) {
                    Some(value) => value,
                    None => {
                        self.problem(
                            row,
                            field,
                            format!("“{text}” không phải số nguyên không âm."),
                            format!("“{text}” is not a whole number of zero or more."),
                        );
                        0
                    }
                }
            }
        }
    }

    /// A date; `None` when empty (or bad, with a problem recorded).
    pub fn date(&mut self, row: &Row, field: &str) -> Option<Date> {
        match self.map.cell(row, field) {
            Cell::Empty => None,
            Cell::Date(date) => Some(*date),
            cell => {
                let text = cell.text().unwrap_or_default();
                let parsed = parse_date(&text);
                if parsed.is_none() {
                    self.problem(
                        row,
                        field,
                        format!(
                            "“{text}” không phải ngày hợp lệ (viết dd/mm/yyyy, ví dụ 07/01/2020)."
                        ),
                        format!(
                            "“{text}” is not a valid date (write dd/mm/yyyy, e.g. 07/01/2020)."
                        ),
                    );
                }
                parsed
            }
        }
    }

    /// A coded value parsed by `parse`; `None` when empty (or bad, with a problem naming the
    /// accepted values).
    pub fn coded<T>(
        &mut self,
        row: &Row,
        field: &str,
        parse: impl Fn(&str) -> Option<T>,
        accepted: &[&str],
    ) -> Option<T> {
        let text = self.text(row, field)?;
        let value = parse(&text);
        if value.is_none() {
            self.problem(
                row,
                field,
                format!("Không rõ giá trị “{text}”. Dùng một trong: {}.", accepted.join(", ")),
                format!("Unknown value “{text}”. Use one of: {}.", accepted.join(", ")),
            );
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_in_the_usual_spellings() {
        assert_eq!(parse_date("07/01/2020"), Some(date!(2020 - 01 - 07)));
        assert_eq!(parse_date("7/1/2020"), Some(date!(2020 - 01 - 07)));
        assert_eq!(parse_date("07-01-2020"), Some(date!(2020 - 01 - 07)));
        assert_eq!(parse_date("07.01.2020"), Some(date!(2020 - 01 - 07)));
        assert_eq!(parse_date("2020-01-07"), Some(date!(2020 - 01 - 07)));
        assert_eq!(parse_date("31/02/2020"), None);
        assert_eq!(parse_date("2020/01/07"), None);
        assert_eq!(parse_date("01/07/20"), None);
        assert_eq!(parse_date("hôm qua"), None);
        assert_eq!(format_date(date!(2020 - 01 - 07)), "07/01/2020");
    }

    #[test]
    fn counts_accept_thousands_dots_only_in_groups_of_three() {
        assert_eq!(parse_count("1234"), Some(1234));
        assert_eq!(parse_count("1.234"), Some(1234));
        assert_eq!(parse_count("12.5"), None);
        assert_eq!(parse_count("-3"), None);
        assert_eq!(parse_count(""), None);
    }

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter("a;b;c\n1,2;3"), b';');
        assert_eq!(sniff_delimiter("a,b,c"), b',');
        assert_eq!(sniff_delimiter("\"a;b\",c"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
    }

    #[test]
    fn headers_fold_to_plain_words() {
        assert_eq!(fold_header("Chính thức/Dự bị"), "chinh thuc du bi");
        assert_eq!(fold_header(" Đơn vị cấp trên *"), "don vi cap tren");
        assert_eq!(fold_header("parent_id"), "parent id");
    }
}
