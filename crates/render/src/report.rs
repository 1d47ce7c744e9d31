//! A simple report document (header, headings, paragraphs, tables, signature blocks) written as
//! PDF or DOCX from one description. Minutes and the credentials report are built on it, so
//! their PDF and DOCX cannot say different things.

use crate::canvas::{Paper, PdfInfo, line_height, write_pdf};
use crate::error::RenderError;
use crate::flow::{Flow, FlowCell, FlowTable, Margins};
use crate::fonts::{FontStyle, fonts};
use crate::header::{DocumentHeader, draw_header};
use crate::text::{Align, Span};

/// A document: optional Party header, then blocks in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Paper size.
    pub paper: Paper,
    /// Title stored in the file's metadata.
    pub title: String,
    /// The Party document header (top of the first page).
    pub header: Option<DocumentHeader>,
    /// The body.
    pub blocks: Vec<Block>,
    /// Print "Trang i/n" at the foot of every page.
    pub page_numbers: bool,
}

/// One element of a report body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A bold heading kept with what follows.
    Heading(String),
    /// A paragraph.
    Paragraph(Paragraph),
    /// A table with a header row.
    Table(Table),
    /// Signature blocks side by side (e.g. members left, the head right).
    Signatures(Vec<Signature>),
    /// Vertical space in points.
    Space(f32),
    /// Continue on a new page.
    PageBreak,
}

/// A paragraph of styled spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// The text.
    pub spans: Vec<Span>,
    /// Alignment.
    pub align: Align,
    /// Left indent in points.
    pub indent: f32,
}

impl Paragraph {
    /// A justified paragraph of the given spans.
    pub fn new(spans: Vec<Span>) -> Self {
        Self { spans, align: Align::Justify, indent: 0.0 }
    }

    /// A justified paragraph of regular text.
    pub fn text(text: impl Into<String>) -> Self {
        Self::new(vec![Span::regular(text)])
    }

    /// The same paragraph with another alignment.
    pub fn aligned(mut self, align: Align) -> Self {
        self.align = align;
        self
    }

    /// The same paragraph indented by `points`.
    pub fn indented(mut self, points: f32) -> Self {
        self.indent = points;
        self
    }
}

/// A table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text.
    pub title: String,
    /// Relative width (the columns share the text width in proportion).
    pub weight: u16,
    /// Alignment of the cells (the header is centred).
    pub align: Align,
}

impl Column {
    /// A column.
    pub fn new(title: impl Into<String>, weight: u16, align: Align) -> Self {
        Self { title: title.into(), weight, align }
    }
}

/// A table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// One text per column (missing cells are blank).
    pub cells: Vec<String>,
    /// Print the row in bold (totals).
    pub bold: bool,
}

impl Row {
    /// A regular row.
    pub fn new(cells: Vec<String>) -> Self {
        Self { cells, bold: false }
    }

    /// A bold row.
    pub fn bold(cells: Vec<String>) -> Self {
        Self { cells, bold: true }
    }
}

/// A table: columns, rows, and the font size in points.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows; the header row repeats on every page.
    pub rows: Vec<Row>,
    /// Font size in points.
    pub size: f32,
}

/// A signature block: bold heading lines, an italic note, space to sign, then the names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// E.g. `T/M BAN KIỂM PHIẾU`, `TRƯỞNG BAN`.
    pub heading: Vec<String>,
    /// E.g. `(Ký, ghi rõ họ tên)`.
    pub note: Option<String>,
    /// The signers; each gets room to sign above the name.
    pub names: Vec<String>,
}

/// Body font size for a paper size (HD 36: 13–14 pt on A4).
pub(crate) fn body_size(paper: Paper) -> f32 {
    match paper {
        Paper::A4 => 13.0,
        Paper::A5 => 11.0,
    }
}

/// Space left for a handwritten signature.
const SIGNING_SPACE: f32 = 54.0;

/// Write a report as PDF.
pub fn report_pdf(report: &Report) -> Result<Vec<u8>, RenderError> {
    let pages = layout_report(report)?;
    write_pdf(&pages, &PdfInfo { title: report.title.clone() })
}

pub(crate) fn layout_report(report: &Report) -> Result<Vec<crate::canvas::Page>, RenderError> {
    let fonts = fonts()?;
    let paper = report.paper;
    let size = body_size(paper);
    let mut flow = Flow::new(fonts, paper, Margins::document(paper));
    if let Some(header) = &report.header {
        // Measure on a scratch page first so the block knows its height.
        let mut scratch = crate::canvas::Page::new(paper);
        let height = draw_header(&mut scratch, fonts, header, paper, 0.0, 0.0, flow.width());
        flow.block(height, |page, fonts, x, y, width| {
            draw_header(page, fonts, header, paper, x, y, width);
        });
    }
    for (index, block) in report.blocks.iter().enumerate() {
        // A line that introduces a table stays with the table's header and first rows; a
        // heading stays with two lines of what follows.
        let next = report.blocks.get(index + 1);
        let before_table = match next {
            Some(Block::Table(table)) => line_height(table.size) * 4.0 + 8.0,
            _ => 0.0,
        };
        match block {
            Block::Heading(text) => {
                flow.space(size * 0.4);
                let keep = before_table.max(line_height(size) * 2.0);
                flow.paragraph(&[Span::bold(text.clone())], size, Align::Left, 0.0, keep);
            }
            Block::Paragraph(paragraph) => {
                let (spans, align, indent) = (&paragraph.spans, paragraph.align, paragraph.indent);
                flow.paragraph(spans, size, align, indent, before_table);
                flow.space(size * 0.25);
            }
            Block::Table(table) => {
                flow.table(&flow_table(table, flow.width()));
                flow.space(size * 0.6);
            }
            Block::Signatures(signatures) => signatures_block(&mut flow, signatures, size),
            Block::Space(points) => flow.space(*points),
            Block::PageBreak => flow.new_page(),
        }
    }
    Ok(flow.finish(report.page_numbers))
}

pub(crate) fn column_widths(columns: &[Column], total: f32) -> Vec<f32> {
    let sum: u32 = columns.iter().map(|c| u32::from(c.weight.max(1))).sum();
    columns.iter().map(|c| total * f32::from(c.weight.max(1)) / sum as f32).collect()
}

fn flow_table(table: &Table, width: f32) -> FlowTable {
    let header = table
        .columns
        .iter()
        .map(|c| FlowCell { spans: vec![Span::bold(c.title.clone())], align: Align::Center })
        .collect();
    let rows = table
        .rows
        .iter()
        .map(|row| {
            table
                .columns
                .iter()
                .enumerate()
                .map(|(index, column)| {
                    let text = row.cells.get(index).cloned().unwrap_or_default();
                    let style = if row.bold { FontStyle::Bold } else { FontStyle::Regular };
                    FlowCell { spans: vec![Span { text, style }], align: column.align }
                })
                .collect()
        })
        .collect();
    FlowTable {
        widths: column_widths(&table.columns, width),
        header: Some(header),
        rows,
        size: table.size,
    }
}

fn signatures_block(flow: &mut Flow<'_>, signatures: &[Signature], size: f32) {
    if signatures.is_empty() {
        return;
    }
    let step = line_height(size);
    let height_of = |s: &Signature| {
        let mut h = s.heading.len() as f32 * step;
        if s.note.is_some() {
            h += step;
        }
        h + s.names.len() as f32 * (SIGNING_SPACE + step)
    };
    let height = signatures.iter().map(height_of).fold(0.0, f32::max) + step;
    flow.space(step * 0.5);
    flow.block(height, |page, fonts, x, top, width| {
        let column = width / signatures.len() as f32;
        for (index, signature) in signatures.iter().enumerate() {
            let cx = x + column * index as f32;
            let mut y = top;
            for line in &signature.heading {
                y += page.paragraph(
                    fonts,
                    &[Span::bold(line.clone())],
                    cx,
                    column,
                    y,
                    Align::Center,
                    size,
                );
            }
            if let Some(note) = &signature.note {
                y += page.paragraph(
                    fonts,
                    &[Span::italic(note.clone())],
                    cx,
                    column,
                    y,
                    Align::Center,
                    size,
                );
            }
            for name in &signature.names {
                y += SIGNING_SPACE;
                y += page.paragraph(
                    fonts,
                    &[Span::bold(name.clone())],
                    cx,
                    column,
                    y,
                    Align::Center,
                    size,
                );
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_widths_share_the_total() {
        let columns = [
            Column::new("TT", 1, Align::Center),
            Column::new("Họ và tên", 6, Align::Left),
            Column::new("Số phiếu", 3, Align::Right),
        ];
        let widths = column_widths(&columns, 400.0);
        assert!((widths.iter().sum::<f32>() - 400.0).abs() < 0.01);
        assert!((widths[1] - 240.0).abs() < 0.01);
    }

    #[test]
    fn report_pages_hold_every_block() {
        let report = Report {
            paper: Paper::A4,
            title: "Báo cáo".into(),
            header: None,
            blocks: vec![
                Block::Heading("I. TÌNH HÌNH".into()),
                Block::Paragraph(Paragraph::text("Đã tổ chức đại hội ở 12/14 chi bộ.")),
                Block::PageBreak,
                Block::Signatures(vec![Signature {
                    heading: vec!["T/M BAN CHẤP HÀNH".into(), "BÍ THƯ".into()],
                    note: None,
                    names: vec!["Lò Văn Muôn".into()],
                }]),
            ],
            page_numbers: true,
        };
        let pages = layout_report(&report).unwrap();
        assert_eq!(pages.len(), 2);
        assert!(pages[0].all_text().contains("I. TÌNH HÌNH"));
        assert!(pages[1].all_text().contains("Lò Văn Muôn"));
        assert!(pages[1].all_text().contains("Trang 2/2"));
    }
}
