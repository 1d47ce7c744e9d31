//! Flowing layout: paragraphs, tables and fixed blocks placed down the page, breaking to a new
//! page when the next item does not fit; table header rows repeat on every page; pages are
//! numbered "Trang 1/3" once the total is known.

use crate::canvas::{MM, Page, Paper, Pen, Rect, line_height};
use crate::fonts::{FontStyle, Fonts};
use crate::text::{Align, Span, wrap};

/// Page margins in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Margins {
    pub(crate) top: f32,
    pub(crate) right: f32,
    pub(crate) bottom: f32,
    pub(crate) left: f32,
}

impl Margins {
    /// HD 36-HD/VPTW (2018): top and bottom 20–25 mm, left 30–35 mm (the binding side), right
    /// 15–20 mm. A5 keeps the proportions.
    pub(crate) fn document(paper: Paper) -> Self {
        match paper {
            Paper::A4 => {
                Self { top: 20.0 * MM, right: 15.0 * MM, bottom: 20.0 * MM, left: 30.0 * MM }
            }
            Paper::A5 => {
                Self { top: 14.0 * MM, right: 11.0 * MM, bottom: 14.0 * MM, left: 20.0 * MM }
            }
        }
    }
}

/// One table cell's content for the flow: spans, alignment.
#[derive(Debug, Clone)]
pub(crate) struct FlowCell {
    pub(crate) spans: Vec<Span>,
    pub(crate) align: Align,
}

/// A table ready for the flow: column widths in points, an optional header row repeated on
/// every page, and the rows.
#[derive(Debug, Clone)]
pub(crate) struct FlowTable {
    pub(crate) widths: Vec<f32>,
    pub(crate) header: Option<Vec<FlowCell>>,
    pub(crate) rows: Vec<Vec<FlowCell>>,
    pub(crate) size: f32,
}

const CELL_PAD_X: f32 = 3.0;
const CELL_PAD_Y: f32 = 2.0;

/// The flow: pages laid out so far and the cursor on the last one.
pub(crate) struct Flow<'f> {
    fonts: &'f Fonts,
    paper: Paper,
    margins: Margins,
    pages: Vec<Page>,
    y: f32,
}

impl<'f> Flow<'f> {
    pub(crate) fn new(fonts: &'f Fonts, paper: Paper, margins: Margins) -> Self {
        Self { fonts, paper, margins, pages: vec![Page::new(paper)], y: margins.top }
    }

    pub(crate) fn left(&self) -> f32 {
        self.margins.left
    }

    pub(crate) fn width(&self) -> f32 {
        self.paper.size().0 - self.margins.left - self.margins.right
    }

    fn bottom(&self) -> f32 {
        self.paper.size().1 - self.margins.bottom
    }

    fn at_top(&self) -> bool {
        (self.y - self.margins.top).abs() < 0.01
    }

    fn page(&mut self) -> &mut Page {
        // `pages` always holds at least the first page.
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(Page::new(self.paper));
        self.y = self.margins.top;
    }

    /// Start a new page unless `height` still fits below the cursor (or the page is empty).
    pub(crate) fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() + 0.01 && !self.at_top() {
            self.new_page();
        }
    }

    /// Vertical space; at the top of a page it is dropped.
    pub(crate) fn space(&mut self, height: f32) {
        if self.at_top() {
            return;
        }
        if self.y + height > self.bottom() {
            self.new_page();
        } else {
            self.y += height;
        }
    }

    /// A wrapped paragraph, breaking between lines across pages. `keep_with_next` reserves
    /// room for that many more points so a heading is not left alone at a page foot.
    pub(crate) fn paragraph(
        &mut self,
        spans: &[Span],
        size: f32,
        align: Align,
        indent: f32,
        keep_with_next: f32,
    ) {
        let width = self.width() - indent;
        let lines = wrap(self.fonts, spans, size, width);
        let step = line_height(size);
        let x = self.left() + indent;
        let count = lines.len();
        let fonts = self.fonts;
        // Keep at least two lines (or the whole short paragraph) together.
        self.ensure(step * count.min(2) as f32 + keep_with_next);
        for (index, line) in lines.into_iter().enumerate() {
            let reserve = if index + 1 == count { keep_with_next } else { 0.0 };
            self.ensure(step + reserve);
            let y = self.y;
            self.page().lines(fonts, vec![line], x, width, y, align, size);
            self.y += step;
        }
    }

    /// A block of fixed height drawn by `draw(page, fonts, left, top, width)`, kept on one page.
    pub(crate) fn block(
        &mut self,
        height: f32,
        draw: impl FnOnce(&mut Page, &Fonts, f32, f32, f32),
    ) {
        self.ensure(height);
        let (x, y, width, fonts) = (self.left(), self.y, self.width(), self.fonts);
        draw(self.page(), fonts, x, y, width);
        self.y += height;
    }

    /// A table; rows never split, the header row repeats after each page break.
    pub(crate) fn table(&mut self, table: &FlowTable) {
        let fonts = self.fonts;
        let total: f32 = table.widths.iter().sum();
        let scale = if total > self.width() { self.width() / total } else { 1.0 };
        let widths: Vec<f32> = table.widths.iter().map(|w| w * scale).collect();
        let header =
            table.header.as_ref().map(|cells| layout_row(fonts, cells, &widths, table.size));
        let header_height = header.as_ref().map_or(0.0, |h| h.height);
        let mut need_header = true;
        for cells in &table.rows {
            let row = layout_row(fonts, cells, &widths, table.size);
            // Keep the header with the first row.
            let before = self.pages.len();
            self.ensure(row.height + if need_header { header_height } else { 0.0 });
            if self.pages.len() != before {
                need_header = true;
            }
            if need_header {
                if let Some(header) = &header {
                    self.draw_row(header, &widths, table.size);
                }
                need_header = false;
            }
            self.draw_row(&row, &widths, table.size);
        }
        if table.rows.is_empty()
            && let Some(header) = &header
        {
            self.ensure(header_height);
            self.draw_row(header, &widths, table.size);
        }
    }

    fn draw_row(&mut self, row: &LaidRow, widths: &[f32], size: f32) {
        let fonts = self.fonts;
        let top = self.y;
        let mut x = self.left();
        let page = {
            let last = self.pages.len() - 1;
            &mut self.pages[last]
        };
        for (cell, width) in row.cells.iter().zip(widths) {
            page.rect(Rect::new(x, top, *width, row.height), Pen::THIN);
            page.lines(
                fonts,
                cell.lines.clone(),
                x + CELL_PAD_X,
                width - 2.0 * CELL_PAD_X,
                top + CELL_PAD_Y,
                cell.align,
                size,
            );
            x += width;
        }
        self.y += row.height;
    }

    /// Finish: number the pages "Trang i/n" at the foot when asked.
    pub(crate) fn finish(mut self, page_numbers: bool) -> Vec<Page> {
        if page_numbers {
            let total = self.pages.len();
            let fonts = self.fonts;
            let (width, height) = self.paper.size();
            let size = 10.0;
            let baseline = height - self.margins.bottom / 2.0;
            for (index, page) in self.pages.iter_mut().enumerate() {
                let label = format!("Trang {}/{}", index + 1, total);
                page.text_aligned(
                    fonts,
                    0.0,
                    width,
                    baseline,
                    Align::Center,
                    FontStyle::Italic,
                    size,
                    &label,
                );
            }
        }
        self.pages
    }
}

#[derive(Debug, Clone)]
struct LaidCell {
    lines: Vec<crate::text::Line>,
    align: Align,
}

#[derive(Debug, Clone)]
struct LaidRow {
    cells: Vec<LaidCell>,
    height: f32,
}

fn layout_row(fonts: &Fonts, cells: &[FlowCell], widths: &[f32], size: f32) -> LaidRow {
    let mut laid = Vec::with_capacity(widths.len());
    let mut max_lines = 1usize;
    for (index, width) in widths.iter().enumerate() {
        let (lines, align) = match cells.get(index) {
            Some(cell) => (wrap(fonts, &cell.spans, size, width - 2.0 * CELL_PAD_X), cell.align),
            None => (Vec::new(), Align::Left),
        };
        max_lines = max_lines.max(lines.len());
        laid.push(LaidCell { lines, align });
    }
    LaidRow { cells: laid, height: max_lines as f32 * line_height(size) + 2.0 * CELL_PAD_Y }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canvas::Op;
    use crate::fonts::fonts;

    fn cell(text: &str) -> FlowCell {
        FlowCell { spans: vec![Span::regular(text)], align: Align::Left }
    }

    #[test]
    fn long_table_breaks_across_pages_and_repeats_the_header() {
        let fonts = fonts().unwrap();
        let mut flow = Flow::new(fonts, Paper::A4, Margins::document(Paper::A4));
        let rows = (1..=200)
            .map(|i| vec![cell(&i.to_string()), cell(&format!("Nguyễn Văn Thứ {i}"))])
            .collect();
        let table = FlowTable {
            widths: vec![40.0, 300.0],
            header: Some(vec![cell("TT"), cell("Họ và tên")]),
            rows,
            size: 12.0,
        };
        flow.table(&table);
        let pages = flow.finish(true);
        assert!(pages.len() >= 4, "{}", pages.len());
        for (index, page) in pages.iter().enumerate() {
            let text = page.all_text();
            assert!(text.starts_with("TT Họ và tên"), "page {index}: {}", &text[..40]);
            assert!(text.ends_with(&format!("Trang {}/{}", index + 1, pages.len())));
            // Nothing drawn below the bottom margin except the page number.
            for op in &page.ops {
                if let Op::Rect { rect, .. } = op {
                    assert!(rect.bottom() <= page.height - 20.0 * MM + 0.01);
                }
            }
        }
        let all: String = pages.iter().map(Page::all_text).collect();
        assert!(all.contains("Nguyễn Văn Thứ 1 ") && all.contains("Nguyễn Văn Thứ 200"));
    }

    #[test]
    fn paragraph_lines_continue_on_the_next_page() {
        let fonts = fonts().unwrap();
        let mut flow = Flow::new(fonts, Paper::A5, Margins::document(Paper::A5));
        let text = "Biên bản kiểm phiếu. ".repeat(400);
        flow.paragraph(&[Span::regular(text)], 12.0, Align::Justify, 0.0, 0.0);
        let pages = flow.finish(false);
        assert!(pages.len() > 2);
        for page in &pages {
            for op in &page.ops {
                if let Op::Text(run) = op {
                    assert!(run.baseline < page.height - 14.0 * MM);
                    assert!(run.baseline > 14.0 * MM);
                }
            }
        }
    }
}
