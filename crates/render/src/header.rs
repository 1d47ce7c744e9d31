//! The Party document header (HD 36-HD/VPTW; forms of HD 04-HD/TW Phụ lục 2): issuer block top
//! left, "ĐẢNG CỘNG SẢN VIỆT NAM" top right with the italic place-date line, then the centred
//! document type and summary. One description, drawn into PDFs and written into DOCX files.

use daihoi_core::date::{Term, place_date};
use docx_rs::{AlignmentType, Paragraph, Run, Table, TableCell, TableRow, WidthType};
use time::Date;

use crate::canvas::{Page, Paper, Pen, baseline_offset, line_height};
use crate::fonts::{FontStyle, Fonts};
use crate::text::{Align, Span, wrap};

/// Who issues the document: the top-left block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    /// A committee or body: its direct superior (regular) above its own name (bold), e.g.
    /// `ĐẢNG BỘ TỈNH ĐIỆN BIÊN` / `THÀNH ỦY ĐIỆN BIÊN PHỦ`.
    Body {
        /// The direct superior, if any.
        superior: Option<String>,
        /// The issuing body.
        name: String,
    },
    /// A congress: the organisation (regular), the congress (bold) and optionally the term, e.g.
    /// `ĐẢNG BỘ PHƯỜNG HIM LAM` / `ĐẠI HỘI ĐẠI BIỂU LẦN THỨ XII` / `Nhiệm kỳ 2020 - 2025`.
    Congress {
        /// The party organisation holding the congress.
        organisation: String,
        /// The congress line; see [`congress_line`].
        congress: String,
        /// The term, printed as `Nhiệm kỳ 2020 - 2025`.
        term: Option<Term>,
    },
}

/// Whether a congress is of delegates or of all members (congress-process.md §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CongressKind {
    /// Đại hội đại biểu.
    Delegates,
    /// Đại hội đảng viên (all members).
    Members,
}

/// `ĐẠI HỘI ĐẠI BIỂU LẦN THỨ XII` or `ĐẠI HỘI ĐẢNG VIÊN LẦN THỨ XII` (ordinal in Roman
/// numerals, HD 36); `None` for ordinal 0.
pub fn congress_line(kind: CongressKind, ordinal: u32) -> Option<String> {
    let numeral = daihoi_core::date::roman(ordinal)?;
    Some(match kind {
        CongressKind::Delegates => format!("ĐẠI HỘI ĐẠI BIỂU LẦN THỨ {numeral}"),
        CongressKind::Members => format!("ĐẠI HỘI ĐẢNG VIÊN LẦN THỨ {numeral}"),
    })
}

/// Place and date of issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceDate {
    /// The place, e.g. `Điện Biên Phủ`.
    pub place: String,
    /// The date of issue.
    pub date: Date,
}

/// A Party document header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentHeader {
    /// The issuer block (top left).
    pub issuer: Issuer,
    /// Number and symbol without the `Số` prefix, e.g. `12-BB/ĐH`.
    pub number: Option<String>,
    /// The italic place-date line under "ĐẢNG CỘNG SẢN VIỆT NAM"; ballots have none.
    pub place_date: Option<PlaceDate>,
    /// Document type, centred in bold capitals, e.g. `BIÊN BẢN KIỂM PHIẾU`.
    pub document_type: String,
    /// Summary (trích yếu) lines centred under the type, e.g. `Bầu Ban Chấp hành … nhiệm kỳ
    /// 2020 - 2025`.
    pub summary: Vec<String>,
}

/// One line of the issuer block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IssuerLine {
    pub(crate) text: String,
    pub(crate) style: FontStyle,
}

impl Issuer {
    /// The lines of the block as printed: names in capitals (HD 36), the term as given.
    pub(crate) fn lines(&self) -> Vec<IssuerLine> {
        let mut lines = Vec::new();
        match self {
            Issuer::Body { superior, name } => {
                if let Some(superior) = superior {
                    lines.push(IssuerLine {
                        text: superior.trim().to_uppercase(),
                        style: FontStyle::Regular,
                    });
                }
                lines.push(IssuerLine { text: name.trim().to_uppercase(), style: FontStyle::Bold });
            }
            Issuer::Congress { organisation, congress, term } => {
                lines.push(IssuerLine {
                    text: organisation.trim().to_uppercase(),
                    style: FontStyle::Regular,
                });
                lines.push(IssuerLine {
                    text: congress.trim().to_uppercase(),
                    style: FontStyle::Bold,
                });
                if let Some(term) = term {
                    lines.push(IssuerLine { text: term.header_line(), style: FontStyle::Regular });
                }
            }
        }
        lines
    }
}

pub(crate) const PARTY_NAME: &str = "ĐẢNG CỘNG SẢN VIỆT NAM";

/// Font sizes of the header for a paper size. HD 36 gives 14–15 pt on A4; the issuer block is
/// set at 13 pt so common names fit its column; A5 scales down.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeaderSizes {
    pub(crate) issuer: f32,
    pub(crate) party: f32,
    pub(crate) place_date: f32,
    pub(crate) document_type: f32,
    pub(crate) summary: f32,
}

impl HeaderSizes {
    pub(crate) fn for_paper(paper: Paper) -> Self {
        match paper {
            Paper::A4 => Self {
                issuer: 13.0,
                party: 14.0,
                place_date: 13.0,
                document_type: 15.0,
                summary: 14.0,
            },
            Paper::A5 => Self {
                issuer: 10.5,
                party: 11.5,
                place_date: 10.5,
                document_type: 13.0,
                summary: 11.5,
            },
        }
    }
}

/// Share of the width given to the issuer column.
const LEFT_SHARE: f32 = 0.45;

/// Draw the two top blocks (issuer; party name and place-date) in `[x, x + width]` from `top`.
/// Returns the height used. The block is reused by ballots, which add their own title.
pub(crate) fn draw_top_blocks(
    page: &mut Page,
    fonts: &Fonts,
    header: &DocumentHeader,
    sizes: HeaderSizes,
    x: f32,
    top: f32,
    width: f32,
) -> f32 {
    let left_width = width * LEFT_SHARE;
    let right_x = x + left_width;
    let right_width = width - left_width;

    // Left: issuer lines, then "*", then the number.
    let mut y = top;
    for line in header.issuer.lines() {
        let spans = [Span { text: line.text, style: line.style }];
        let lines = wrap(fonts, &spans, sizes.issuer, left_width);
        y += page.lines(fonts, lines, x, left_width, y, Align::Center, sizes.issuer);
    }
    y +=
        page.paragraph(fonts, &[Span::regular("*")], x, left_width, y, Align::Center, sizes.issuer);
    let number_top = y;
    if let Some(number) = &header.number {
        let text = format!("Số {}", number.trim());
        y += page.paragraph(
            fonts,
            &[Span::regular(text)],
            x,
            left_width,
            y,
            Align::Center,
            sizes.issuer,
        );
    }
    let left_bottom = y;

    // Right: party name in bold with a rule of the same length under it (HD 36).
    let party_baseline = top + baseline_offset(fonts, sizes.party);
    let (party_x, party_width) = page.text_aligned(
        fonts,
        right_x,
        right_width,
        party_baseline,
        Align::Center,
        FontStyle::Bold,
        sizes.party,
        PARTY_NAME,
    );
    let rule_y = party_baseline + sizes.party * 0.22;
    page.line(
        party_x,
        rule_y,
        party_x + party_width,
        rule_y,
        Pen { width: 0.7, dash: None, gray: 0 },
    );
    let mut right_bottom = top + line_height(sizes.party);
    if let Some(pd) = &header.place_date {
        let text = place_date(&pd.place, pd.date);
        // Level with the number line when there is one, and never on top of the rule.
        let line_top = number_top.max(rule_y + 4.0);
        let size = fit_size(fonts, FontStyle::Italic, sizes.place_date, right_width, &text);
        let baseline = line_top + baseline_offset(fonts, size);
        page.text_aligned(
            fonts,
            right_x,
            right_width,
            baseline,
            Align::Center,
            FontStyle::Italic,
            size,
            &text,
        );
        right_bottom = line_top + line_height(size);
    }
    left_bottom.max(right_bottom) - top
}

/// The largest size not above `size` (down to 70 % of it) at which `text` fits `width`.
pub(crate) fn fit_size(fonts: &Fonts, style: FontStyle, size: f32, width: f32, text: &str) -> f32 {
    let natural = fonts.measure(style, size, text);
    if natural <= width { size } else { (size * width / natural).max(size * 0.7) }
}

/// Draw the whole header (top blocks, document type, summary); returns the height used.
pub(crate) fn draw_header(
    page: &mut Page,
    fonts: &Fonts,
    header: &DocumentHeader,
    paper: Paper,
    x: f32,
    top: f32,
    width: f32,
) -> f32 {
    let sizes = HeaderSizes::for_paper(paper);
    let mut y = top + draw_top_blocks(page, fonts, header, sizes, x, top, width);
    y += sizes.document_type * 1.2;
    if !header.document_type.trim().is_empty() {
        let spans = [Span::bold(header.document_type.trim().to_uppercase())];
        y += page.paragraph(fonts, &spans, x, width, y, Align::Center, sizes.document_type);
    }
    for line in &header.summary {
        let spans = [Span::bold(line.trim())];
        y += page.paragraph(fonts, &spans, x, width, y, Align::Center, sizes.summary);
    }
    y + sizes.summary * 0.8 - top
}

/// DOCX: widths of the two header columns in twentieths of a point, for a text width.
fn docx_columns(text_width_twips: usize) -> (usize, usize) {
    let left = (text_width_twips as f32 * LEFT_SHARE) as usize;
    (left, text_width_twips - left)
}

fn docx_run(text: &str, style: FontStyle, half_points: usize) -> Run {
    let mut run = Run::new().add_text(text).size(half_points);
    if style.is_bold() {
        run = run.bold();
    }
    if style.is_italic() {
        run = run.italic();
    }
    run
}

fn docx_centered(text: &str, style: FontStyle, half_points: usize) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).add_run(docx_run(text, style, half_points))
}

/// DOCX: the header as a borderless two-column table followed by the centred type and summary.
pub(crate) fn header_docx(
    header: &DocumentHeader,
    paper: Paper,
    text_width_twips: usize,
) -> (Table, Vec<Paragraph>) {
    let sizes = HeaderSizes::for_paper(paper);
    let half = |pt: f32| (pt * 2.0).round() as usize;
    let (left_w, right_w) = docx_columns(text_width_twips);

    let mut left = TableCell::new().width(left_w, WidthType::Dxa);
    for line in header.issuer.lines() {
        left = left.add_paragraph(docx_centered(&line.text, line.style, half(sizes.issuer)));
    }
    left = left.add_paragraph(docx_centered("*", FontStyle::Regular, half(sizes.issuer)));
    if let Some(number) = &header.number {
        left = left.add_paragraph(docx_centered(
            &format!("Số {}", number.trim()),
            FontStyle::Regular,
            half(sizes.issuer),
        ));
    }

    let mut right = TableCell::new().width(right_w, WidthType::Dxa).add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(docx_run(PARTY_NAME, FontStyle::Bold, half(sizes.party)).underline("single")),
    );
    if let Some(pd) = &header.place_date {
        right = right.add_paragraph(Paragraph::new());
        right = right.add_paragraph(docx_centered(
            &place_date(&pd.place, pd.date),
            FontStyle::Italic,
            half(sizes.place_date),
        ));
    }
    let table = Table::without_borders(vec![TableRow::new(vec![left, right])])
        .set_grid(vec![left_w, right_w])
        .width(text_width_twips, WidthType::Dxa);

    let mut paragraphs = vec![Paragraph::new()];
    if !header.document_type.trim().is_empty() {
        paragraphs.push(docx_centered(
            &header.document_type.trim().to_uppercase(),
            FontStyle::Bold,
            half(sizes.document_type),
        ));
    }
    for line in &header.summary {
        paragraphs.push(docx_centered(line.trim(), FontStyle::Bold, half(sizes.summary)));
    }
    paragraphs.push(Paragraph::new());
    (table, paragraphs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::fonts;
    use time::macros::date;

    fn congress_header() -> DocumentHeader {
        DocumentHeader {
            issuer: Issuer::Congress {
                organisation: "Đảng bộ phường Him Lam".into(),
                congress: congress_line(CongressKind::Delegates, 12).unwrap(),
                term: Some(Term::new(2020, 2025).unwrap()),
            },
            number: Some("12-BB/ĐH".into()),
            place_date: Some(PlaceDate {
                place: "Điện Biên Phủ".into(),
                date: date!(2020 - 08 - 14),
            }),
            document_type: "Biên bản kiểm phiếu".into(),
            summary: vec!["Bầu Ban Chấp hành Đảng bộ phường Him Lam khóa mới".into()],
        }
    }

    #[test]
    fn issuer_lines_are_capitalised_and_styled() {
        let lines = congress_header().issuer.lines();
        let texts: Vec<_> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            ["ĐẢNG BỘ PHƯỜNG HIM LAM", "ĐẠI HỘI ĐẠI BIỂU LẦN THỨ XII", "Nhiệm kỳ 2020 - 2025"]
        );
        assert_eq!(lines[1].style, FontStyle::Bold);
        assert_eq!(lines[0].style, FontStyle::Regular);
        let body = Issuer::Body {
            superior: Some("Đảng bộ tỉnh Điện Biên".into()),
            name: "Thành ủy Điện Biên Phủ".into(),
        };
        let lines = body.lines();
        assert_eq!(lines[0].text, "ĐẢNG BỘ TỈNH ĐIỆN BIÊN");
        assert_eq!(
            (lines[1].text.as_str(), lines[1].style),
            ("THÀNH ỦY ĐIỆN BIÊN PHỦ", FontStyle::Bold)
        );
    }

    #[test]
    fn congress_lines() {
        assert_eq!(
            congress_line(CongressKind::Members, 7).unwrap(),
            "ĐẠI HỘI ĐẢNG VIÊN LẦN THỨ VII"
        );
        assert_eq!(congress_line(CongressKind::Delegates, 0), None);
    }

    #[test]
    fn pdf_header_has_every_part_in_reading_order() {
        let fonts = fonts().unwrap();
        let mut page = Page::new(Paper::A4);
        let height =
            draw_header(&mut page, fonts, &congress_header(), Paper::A4, 85.0, 57.0, 467.0);
        assert!(height > 100.0 && height < 260.0, "{height}");
        let text = page.all_text();
        for part in [
            "ĐẢNG BỘ PHƯỜNG HIM LAM",
            "Nhiệm kỳ 2020 - 2025",
            "Số 12-BB/ĐH",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Điện Biên Phủ, ngày 14 tháng 8 năm 2020",
            "BIÊN BẢN KIỂM PHIẾU",
            "Bầu Ban Chấp hành Đảng bộ phường Him Lam khóa mới",
        ] {
            assert!(text.contains(part), "{part} missing from {text}");
        }
    }
}
