//! Pages as display lists (text runs, lines, boxes, circles, filled squares) and their painting
//! into a PDF with krilla.
//!
//! Layout code only appends plain operations to a [`Page`]; nothing touches krilla until
//! [`write_pdf`]. That split keeps layout testable without a PDF and lets a page be painted once
//! into a reusable PDF form (see `ballot.rs`).

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point};
use krilla::graphic::Graphic;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineCap, Stroke, StrokeDash};
use krilla::surface::Surface;
use serde::{Deserialize, Serialize};

use crate::error::RenderError;
use crate::fonts::{FontStyle, Fonts, ShapedGlyph, fonts};
use crate::text::{Align, Line, Span, align_line, wrap};

/// One millimetre in PDF points.
pub const MM: f32 = 72.0 / 25.4;

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Paper {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// 148 × 210 mm.
    A5,
}

impl Paper {
    /// Width and height in points, portrait.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0 * MM, 297.0 * MM),
            Paper::A5 => (148.0 * MM, 210.0 * MM),
        }
    }
}

/// A rectangle in PDF points with the origin at the top-left corner of the page and y growing
/// downwards (the way a scanned image is addressed).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Rect {
    /// A rectangle from its left, top, width and height.
    pub fn new(x: f32, y: f32, width: f32, height: f32) -> Self {
        Self { x, y, width, height }
    }

    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.width
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }

    /// Whether `other` lies inside this rectangle (edges may touch).
    pub fn contains(&self, other: &Rect) -> bool {
        const EPS: f32 = 1e-3;
        other.x >= self.x - EPS
            && other.y >= self.y - EPS
            && other.right() <= self.right() + EPS
            && other.bottom() <= self.bottom() + EPS
    }

    /// Whether the interiors of the two rectangles overlap (shared edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        const EPS: f32 = 1e-3;
        self.x < other.right() - EPS
            && other.x < self.right() - EPS
            && self.y < other.bottom() - EPS
            && other.y < self.bottom() - EPS
    }
}

/// How a line or an outline is stroked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pen {
    pub(crate) width: f32,
    /// Dash length (gap of the same length); `None` for a solid line.
    pub(crate) dash: Option<f32>,
    /// 0 = black, 255 = white.
    pub(crate) gray: u8,
}

impl Pen {
    pub(crate) const THIN: Pen = Pen { width: 0.5, dash: None, gray: 0 };

    pub(crate) fn dashed(width: f32, dash: f32, gray: u8) -> Pen {
        Pen { width, dash: Some(dash), gray }
    }
}

/// A run of shaped glyphs in one face.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextRun {
    pub(crate) x: f32,
    pub(crate) baseline: f32,
    pub(crate) style: FontStyle,
    pub(crate) size: f32,
    pub(crate) gray: u8,
    pub(crate) text: String,
    pub(crate) glyphs: Vec<ShapedGlyph>,
}

/// One drawing operation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    Text(TextRun),
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        pen: Pen,
    },
    Rect {
        rect: Rect,
        pen: Option<Pen>,
        fill: Option<u8>,
    },
    Ellipse {
        cx: f32,
        cy: f32,
        rx: f32,
        ry: f32,
        pen: Pen,
    },
    /// Filled black squares drawn as one path (QR modules, registration marks).
    Squares(Vec<Rect>),
}

/// A page: its size and what is drawn on it, in drawing order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page {
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) ops: Vec<Op>,
}

/// Typographic metrics for a line of text at a size.
pub(crate) fn line_height(size: f32) -> f32 {
    size * 1.2
}

/// Distance from the top of a line box to its baseline.
pub(crate) fn baseline_offset(fonts: &Fonts, size: f32) -> f32 {
    let content = (fonts.ascender - fonts.descender) * size;
    (line_height(size) - content) / 2.0 + fonts.ascender * size
}

impl Page {
    pub(crate) fn new(paper: Paper) -> Self {
        let (width, height) = paper.size();
        Self { width, height, ops: Vec::new() }
    }

    /// Draw single-line text with its left end at `x`; returns its width.
    pub(crate) fn text(
        &mut self,
        fonts: &Fonts,
        x: f32,
        baseline: f32,
        style: FontStyle,
        size: f32,
        text: &str,
    ) -> f32 {
        let glyphs = fonts.shape(style, text);
        let width = glyphs.iter().map(|g| g.advance).sum::<f32>() * size;
        self.ops.push(Op::Text(TextRun {
            x,
            baseline,
            style,
            size,
            gray: 0,
            text: text.to_owned(),
            glyphs,
        }));
        width
    }

    /// Draw single-line text aligned inside `[x, x + width]`; returns the left end and width.
    pub(crate) fn text_aligned(
        &mut self,
        fonts: &Fonts,
        x: f32,
        width: f32,
        baseline: f32,
        align: Align,
        style: FontStyle,
        size: f32,
        text: &str,
    ) -> (f32, f32) {
        let glyphs = fonts.shape(style, text);
        let text_width = glyphs.iter().map(|g| g.advance).sum::<f32>() * size;
        let left = match align {
            Align::Left | Align::Justify => x,
            Align::Center => x + (width - text_width) / 2.0,
            Align::Right => x + width - text_width,
        };
        self.ops.push(Op::Text(TextRun {
            x: left,
            baseline,
            style,
            size,
            gray: 0,
            text: text.to_owned(),
            glyphs,
        }));
        (left, text_width)
    }

    /// Draw wrapped lines (already laid out) with their tops starting at `top`; returns the
    /// height used.
    pub(crate) fn lines(
        &mut self,
        fonts: &Fonts,
        lines: Vec<Line>,
        x: f32,
        width: f32,
        top: f32,
        align: Align,
        size: f32,
    ) -> f32 {
        let step = line_height(size);
        let ascent = baseline_offset(fonts, size);
        let mut y = top;
        for mut line in lines {
            let offset = align_line(&mut line, align, width, size);
            for piece in line.pieces {
                self.ops.push(Op::Text(TextRun {
                    x: x + offset + piece.x,
                    baseline: y + ascent,
                    style: piece.style,
                    size,
                    gray: 0,
                    text: piece.text,
                    glyphs: piece.glyphs,
                }));
            }
            y += step;
        }
        y - top
    }

    /// Wrap and draw a paragraph inside `[x, x + width]` from `top`; returns the height used.
    pub(crate) fn paragraph(
        &mut self,
        fonts: &Fonts,
        spans: &[Span],
        x: f32,
        width: f32,
        top: f32,
        align: Align,
        size: f32,
    ) -> f32 {
        let lines = wrap(fonts, spans, size, width);
        self.lines(fonts, lines, x, width, top, align, size)
    }

    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, pen: Pen) {
        self.ops.push(Op::Line { x1, y1, x2, y2, pen });
    }

    pub(crate) fn rect(&mut self, rect: Rect, pen: Pen) {
        self.ops.push(Op::Rect { rect, pen: Some(pen), fill: None });
    }

    pub(crate) fn fill_rect(&mut self, rect: Rect, gray: u8) {
        self.ops.push(Op::Rect { rect, pen: None, fill: Some(gray) });
    }

    pub(crate) fn ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, pen: Pen) {
        self.ops.push(Op::Ellipse { cx, cy, rx, ry, pen });
    }

    pub(crate) fn squares(&mut self, squares: Vec<Rect>) {
        if !squares.is_empty() {
            self.ops.push(Op::Squares(squares));
        }
    }

    /// All text on the page in drawing order, for tests.
    #[cfg(test)]
    pub(crate) fn all_text(&self) -> String {
        self.ops
            .iter()
            .filter_map(|op| match op {
                Op::Text(run) => Some(run.text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Document-level information written into the PDF.
#[derive(Debug, Clone, Default)]
pub(crate) struct PdfInfo {
    pub(crate) title: String,
}

fn new_document(info: &PdfInfo) -> Document {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(info.title.clone())
            .language("vi".to_owned())
            .creator("daihoi".to_owned()),
    );
    document
}

fn finish_document(document: Document) -> Result<Vec<u8>, RenderError> {
    document.finish().map_err(|err| RenderError::Pdf(format!("{err:?}")))
}

fn page_settings(width: f32, height: f32) -> Result<PageSettings, RenderError> {
    PageSettings::from_wh(width, height)
        .ok_or_else(|| RenderError::Pdf(format!("kích thước trang {width}×{height} không hợp lệ")))
}

/// Paint every page into one PDF.
pub(crate) fn write_pdf(pages: &[Page], info: &PdfInfo) -> Result<Vec<u8>, RenderError> {
    let fonts = fonts()?;
    let mut document = new_document(info);
    for page in pages {
        let mut pdf_page = document.start_page_with(page_settings(page.width, page.height)?);
        let mut surface = pdf_page.surface();
        paint(&mut surface, fonts, &page.ops);
        surface.finish();
        pdf_page.finish();
    }
    finish_document(document)
}

/// Paint a sequence of pages `copies` times, building each page's content once as a PDF form
/// (XObject) and placing that form on every copy: the file holds one content stream per
/// distinct page however many copies are printed.
pub(crate) fn write_pdf_copies(
    pages: &[Page],
    copies: u32,
    info: &PdfInfo,
) -> Result<Vec<u8>, RenderError> {
    let fonts = fonts()?;
    let mut document = new_document(info);
    let Some(first) = pages.first() else {
        return finish_document(document);
    };
    if copies == 0 {
        return finish_document(document);
    }
    let mut pdf_page = document.start_page_with(page_settings(first.width, first.height)?);
    let mut surface = pdf_page.surface();
    let graphics: Vec<Graphic> = pages
        .iter()
        .map(|page| {
            let mut builder = surface.stream_builder();
            let mut inner = builder.surface();
            paint(&mut inner, fonts, &page.ops);
            inner.finish();
            Graphic::new(builder.finish(), false)
        })
        .collect();
    surface.draw_graphic(graphics[0].clone());
    surface.finish();
    pdf_page.finish();
    for copy in 0..copies {
        for (index, (page, graphic)) in pages.iter().zip(&graphics).enumerate() {
            if copy == 0 && index == 0 {
                continue;
            }
            let mut pdf_page = document.start_page_with(page_settings(page.width, page.height)?);
            let mut surface = pdf_page.surface();
            surface.draw_graphic(graphic.clone());
            surface.finish();
            pdf_page.finish();
        }
    }
    finish_document(document)
}

fn stroke(pen: Pen) -> Stroke {
    Stroke {
        paint: luma::Color::new(pen.gray).into(),
        width: pen.width,
        line_cap: LineCap::Butt,
        dash: pen.dash.map(|d| StrokeDash { array: vec![d, d], offset: 0.0 }),
        ..Stroke::default()
    }
}

fn fill(gray: u8) -> Fill {
    Fill { paint: luma::Color::new(gray).into(), ..Fill::default() }
}

fn rect_path(rects: &[Rect]) -> Option<krilla::geom::Path> {
    let mut builder = PathBuilder::new();
    for rect in rects {
        if let Some(r) = krilla::geom::Rect::from_xywh(rect.x, rect.y, rect.width, rect.height) {
            builder.push_rect(r);
        }
    }
    builder.finish()
}

fn ellipse_path(cx: f32, cy: f32, rx: f32, ry: f32) -> Option<krilla::geom::Path> {
    // Four cubic Béziers; 0.5523 is the usual control-point ratio for a quarter circle.
    const K: f32 = 0.552_284_8;
    let (kx, ky) = (rx * K, ry * K);
    let mut b = PathBuilder::new();
    b.move_to(cx + rx, cy);
    b.cubic_to(cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry);
    b.cubic_to(cx - kx, cy + ry, cx - rx, cy + ky, cx - rx, cy);
    b.cubic_to(cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry);
    b.cubic_to(cx + kx, cy - ry, cx + rx, cy - ky, cx + rx, cy);
    b.close();
    b.finish()
}

fn paint(surface: &mut Surface<'_>, fonts: &Fonts, ops: &[Op]) {
    for op in ops {
        match op {
            Op::Text(run) => {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(run.gray)));
                surface.draw_glyphs(
                    Point::from_xy(run.x, run.baseline),
                    &run.glyphs,
                    fonts.krilla(run.style),
                    &run.text,
                    run.size,
                    false,
                );
            }
            Op::Line { x1, y1, x2, y2, pen } => {
                let mut b = PathBuilder::new();
                b.move_to(*x1, *y1);
                b.line_to(*x2, *y2);
                if let Some(path) = b.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(stroke(*pen)));
                    surface.draw_path(&path);
                }
            }
            Op::Rect { rect, pen, fill: fill_gray } => {
                if let Some(path) = rect_path(std::slice::from_ref(rect)) {
                    surface.set_fill(fill_gray.map(fill));
                    surface.set_stroke(pen.map(stroke));
                    surface.draw_path(&path);
                }
            }
            Op::Ellipse { cx, cy, rx, ry, pen } => {
                if let Some(path) = ellipse_path(*cx, *cy, *rx, *ry) {
                    surface.set_fill(None);
                    surface.set_stroke(Some(stroke(*pen)));
                    surface.draw_path(&path);
                }
            }
            Op::Squares(rects) => {
                if let Some(path) = rect_path(rects) {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(0)));
                    surface.draw_path(&path);
                }
            }
        }
    }
    surface.set_fill(None);
    surface.set_stroke(None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_sizes_in_points() {
        let (w, h) = Paper::A4.size();
        assert!((w - 595.28).abs() < 0.01 && (h - 841.89).abs() < 0.01);
        let (w, h) = Paper::A5.size();
        assert!((w - 419.53).abs() < 0.01 && (h - 595.28).abs() < 0.01);
    }

    #[test]
    fn rect_containment_and_overlap() {
        let outer = Rect::new(0.0, 0.0, 100.0, 100.0);
        let inner = Rect::new(10.0, 10.0, 20.0, 20.0);
        assert!(outer.contains(&inner));
        assert!(!inner.contains(&outer));
        let below = Rect::new(10.0, 30.0, 20.0, 20.0);
        assert!(!inner.overlaps(&below), "shared edge is not an overlap");
        let shifted = Rect::new(15.0, 25.0, 20.0, 20.0);
        assert!(inner.overlaps(&shifted));
    }

    #[test]
    fn an_empty_page_list_still_makes_a_pdf() {
        let pdf = write_pdf(&[], &PdfInfo::default()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
