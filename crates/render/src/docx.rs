//! DOCX output of a [`Report`]: the same header, paragraphs, tables and signature blocks as the
//! PDF, as an editable Word file (Times New Roman, which Party documents use).

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, NumPages, PageMargin, PageNum,
    Paragraph as DocxParagraph, Run, RunFonts, Table as DocxTable, TableCell, TableRow, WidthType,
};

use crate::error::RenderError;
use crate::flow::Margins;
use crate::fonts::FontStyle;
use crate::header::header_docx;
use crate::report::{Block, Paragraph, Report, Signature, Table, body_size};
use crate::text::{Align, Span};

const FONT: &str = "Times New Roman";

/// Twentieths of a point.
fn twips(points: f32) -> i32 {
    (points * 20.0).round() as i32
}

fn half_points(points: f32) -> usize {
    (points * 2.0).round() as usize
}

fn alignment(align: Align) -> AlignmentType {
    match align {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Justify => AlignmentType::Both,
    }
}

fn run(span: &Span, size: f32) -> Run {
    // A `\n` inside a span is a line break, as in the PDF.
    let mut run = Run::new().size(half_points(size));
    for (index, part) in span.text.split('\n').enumerate() {
        if index > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(part);
    }
    if span.style.is_bold() {
        run = run.bold();
    }
    if span.style.is_italic() {
        run = run.italic();
    }
    run
}

fn paragraph(spans: &[Span], align: Align, size: f32) -> DocxParagraph {
    spans
        .iter()
        .fold(DocxParagraph::new().align(alignment(align)), |p, span| p.add_run(run(span, size)))
}

/// Marker height put on header rows; replaced by `<w:tblHeader/>` after building, because
/// docx-rs has no setter for the repeat-header-row property.
const HEADER_ROW_MARK: &str = r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#;
const HEADER_ROW_XML: &str = r#"<w:tblHeader />"#;

fn table(table: &Table, text_width: f32) -> DocxTable {
    let widths = crate::report::column_widths(&table.columns, text_width);
    let grid: Vec<usize> = widths.iter().map(|w| twips(*w).max(1) as usize).collect();
    let header_cells = table
        .columns
        .iter()
        .zip(&grid)
        .map(|(column, width)| {
            TableCell::new().width(*width, WidthType::Dxa).add_paragraph(paragraph(
                &[Span::bold(column.title.clone())],
                Align::Center,
                table.size,
            ))
        })
        .collect();
    let mut rows = vec![TableRow::new(header_cells).row_height(1.0).cant_split()];
    for row in &table.rows {
        let cells = table
            .columns
            .iter()
            .zip(&grid)
            .enumerate()
            .map(|(index, (column, width))| {
                let text = row.cells.get(index).cloned().unwrap_or_default();
                let style = if row.bold { FontStyle::Bold } else { FontStyle::Regular };
                TableCell::new().width(*width, WidthType::Dxa).add_paragraph(paragraph(
                    &[Span { text, style }],
                    column.align,
                    table.size,
                ))
            })
            .collect();
        rows.push(TableRow::new(cells).cant_split());
    }
    DocxTable::new(rows).set_grid(grid).width(twips(text_width) as usize, WidthType::Dxa)
}

fn signatures(signatures: &[Signature], text_width: f32, size: f32) -> DocxTable {
    let width = (twips(text_width) as usize) / signatures.len().max(1);
    let cells = signatures
        .iter()
        .map(|signature| {
            let mut cell = TableCell::new().width(width, WidthType::Dxa);
            for line in &signature.heading {
                cell =
                    cell.add_paragraph(paragraph(&[Span::bold(line.clone())], Align::Center, size));
            }
            if let Some(note) = &signature.note {
                cell = cell.add_paragraph(paragraph(
                    &[Span::italic(note.clone())],
                    Align::Center,
                    size,
                ));
            }
            for name in &signature.names {
                for _ in 0..3 {
                    cell = cell.add_paragraph(DocxParagraph::new());
                }
                cell =
                    cell.add_paragraph(paragraph(&[Span::bold(name.clone())], Align::Center, size));
            }
            // A cell must hold at least one paragraph (ECMA-376 §17.4.66).
            if signature.heading.is_empty()
                && signature.note.is_none()
                && signature.names.is_empty()
            {
                cell = cell.add_paragraph(DocxParagraph::new());
            }
            cell
        })
        .collect();
    DocxTable::without_borders(vec![TableRow::new(cells).cant_split()])
        .set_grid(vec![width; signatures.len().max(1)])
        .width(twips(text_width) as usize, WidthType::Dxa)
}

fn body_paragraph(p: &Paragraph, size: f32) -> DocxParagraph {
    let mut out = paragraph(&p.spans, p.align, size);
    if p.indent > 0.0 {
        out = out.indent(Some(twips(p.indent)), None, None, None);
    }
    out
}

/// Write a report as DOCX.
pub fn report_docx(report: &Report) -> Result<Vec<u8>, RenderError> {
    let paper = report.paper;
    let size = body_size(paper);
    let (page_width, page_height) = paper.size();
    let margins = Margins::document(paper);
    let text_width = page_width - margins.left - margins.right;

    let mut docx = Docx::new()
        .page_size(twips(page_width) as u32, twips(page_height) as u32)
        .page_margin(
            PageMargin::new()
                .top(twips(margins.top))
                .bottom(twips(margins.bottom))
                .left(twips(margins.left))
                .right(twips(margins.right))
                .footer(twips(margins.bottom / 2.0)),
        )
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT))
        .default_size(half_points(size))
        .default_line_spacing(LineSpacing::new().after(twips(size * 0.25) as u32));
    if report.page_numbers {
        let footer = Footer::new().add_paragraph(
            DocxParagraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text("Trang ").italic().size(20))
                .add_page_num(PageNum::new())
                .add_run(Run::new().add_text("/").italic().size(20))
                .add_num_pages(NumPages::new()),
        );
        docx = docx.footer(footer);
    }
    if let Some(header) = &report.header {
        let (top, paragraphs) = header_docx(header, paper, twips(text_width) as usize);
        docx = docx.add_table(top);
        for p in paragraphs {
            docx = docx.add_paragraph(p);
        }
    }
    for block in &report.blocks {
        docx = match block {
            Block::Heading(text) => docx.add_paragraph(
                paragraph(&[Span::bold(text.clone())], Align::Left, size).keep_next(true),
            ),
            Block::Paragraph(p) => docx.add_paragraph(body_paragraph(p, size)),
            Block::Table(t) => {
                docx.add_table(table(t, text_width)).add_paragraph(DocxParagraph::new())
            }
            Block::Signatures(list) => docx.add_table(signatures(list, text_width, size)),
            Block::Space(points) => docx.add_paragraph(
                DocxParagraph::new().line_spacing(LineSpacing::new().after(twips(*points) as u32)),
            ),
            Block::PageBreak => docx
                .add_paragraph(DocxParagraph::new().add_run(Run::new().add_break(BreakType::Page))),
        };
    }
    let mut xml = docx.build();
    let document = String::from_utf8(std::mem::take(&mut xml.document))
        .map_err(|err| RenderError::Docx(err.to_string()))?;
    xml.document = document.replace(HEADER_ROW_MARK, HEADER_ROW_XML).into_bytes();
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(|err| RenderError::Docx(err.to_string()))?;
    Ok(out.into_inner())
}
