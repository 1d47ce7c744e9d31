//! Delegate badges (thẻ đại biểu): A4 sheets of cut-out badges, 2 × 4 per page, each with the
//! congress, the person, the role, the delegation, the badge number in large type and a QR code
//! of the number for check-in.

use daihoi_core::date::Term;

use crate::canvas::{MM, Page, Paper, PdfInfo, Pen, Rect, baseline_offset, line_height, write_pdf};
use crate::error::RenderError;
use crate::fonts::{FontStyle, Fonts, fonts};
use crate::header::{PARTY_NAME, fit_size};
use crate::qr::qr_squares;
use crate::text::{Align, Span, wrap};

/// What a badge holder is at the congress.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BadgeRole {
    /// Đại biểu chính thức.
    Official,
    /// Đại biểu dự khuyết.
    Alternate,
    /// Khách mời.
    Guest,
    /// Another role printed as given (e.g. "Phục vụ", "Phóng viên").
    Other(String),
}

impl BadgeRole {
    /// The label printed on the badge.
    pub fn label(&self) -> String {
        match self {
            BadgeRole::Official => "ĐẠI BIỂU CHÍNH THỨC".into(),
            BadgeRole::Alternate => "ĐẠI BIỂU DỰ KHUYẾT".into(),
            BadgeRole::Guest => "KHÁCH MỜI".into(),
            BadgeRole::Other(text) => text.trim().to_uppercase(),
        }
    }
}

/// One badge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    /// Badge number, printed large and encoded in the QR code, e.g. `027`.
    pub number: String,
    /// Full name.
    pub name: String,
    /// Role at the congress.
    pub role: BadgeRole,
    /// Delegation or unit, e.g. `Đoàn đại biểu Chi bộ Tổ dân phố 5`.
    pub unit: String,
}

/// What every badge of a print run shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadgeSheet {
    /// The congress, e.g. `Đại hội đại biểu Đảng bộ phường Him Lam lần thứ XII` (printed in
    /// capitals).
    pub congress: String,
    /// The term, printed as `Nhiệm kỳ 2020 - 2025`.
    pub term: Option<Term>,
}

/// Badges per row and per column of an A4 sheet.
pub const BADGE_COLUMNS: usize = 2;
/// Rows of badges on an A4 sheet.
pub const BADGE_ROWS: usize = 4;

/// The badges, 8 to an A4 page, with dashed cutting lines.
pub fn badges_pdf(badges: &[Badge], sheet: &BadgeSheet) -> Result<Vec<u8>, RenderError> {
    let pages = badge_pages(badges, sheet)?;
    write_pdf(&pages, &PdfInfo { title: format!("Thẻ đại biểu - {}", sheet.congress.trim()) })
}

/// The rectangle of badge `index` on its page.
pub(crate) fn badge_cell(index: usize) -> Rect {
    let (width, height) = Paper::A4.size();
    let margin = 10.0 * MM;
    let cell_w = (width - 2.0 * margin) / BADGE_COLUMNS as f32;
    let cell_h = (height - 2.0 * margin) / BADGE_ROWS as f32;
    let slot = index % (BADGE_COLUMNS * BADGE_ROWS);
    let (col, row) = (slot % BADGE_COLUMNS, slot / BADGE_COLUMNS);
    Rect::new(margin + col as f32 * cell_w, margin + row as f32 * cell_h, cell_w, cell_h)
}

pub(crate) fn badge_pages(badges: &[Badge], sheet: &BadgeSheet) -> Result<Vec<Page>, RenderError> {
    let fonts = fonts()?;
    let per_page = BADGE_COLUMNS * BADGE_ROWS;
    let mut pages = Vec::with_capacity(badges.len().div_ceil(per_page));
    for (index, badge) in badges.iter().enumerate() {
        if index % per_page == 0 {
            pages.push(Page::new(Paper::A4));
        }
        let Some(page) = pages.last_mut() else { continue };
        for text in [&badge.name, &badge.unit, &badge.number] {
            if !fonts.covers(FontStyle::Bold, text) || !fonts.covers(FontStyle::Italic, text) {
                return Err(RenderError::Unprintable(format!(
                    "thẻ số {} có ký tự phông chữ không in được: {text}",
                    badge.number
                )));
            }
        }
        draw_badge(page, fonts, sheet, badge, badge_cell(index))?;
    }
    Ok(pages)
}

fn draw_badge(
    page: &mut Page,
    fonts: &Fonts,
    sheet: &BadgeSheet,
    badge: &Badge,
    cell: Rect,
) -> Result<(), RenderError> {
    // Cutting guide on the cell edges.
    page.rect(cell, Pen::dashed(0.4, 3.0, 160));
    let pad = 5.0 * MM;
    let x = cell.x + pad;
    let width = cell.width - 2.0 * pad;
    let mut y = cell.y + pad * 0.8;

    // Party name, congress and term.
    page.text_aligned(
        fonts,
        x,
        width,
        y + baseline_offset(fonts, 8.0),
        Align::Center,
        FontStyle::Bold,
        8.0,
        PARTY_NAME,
    );
    y += line_height(8.0);
    let congress = [Span::bold(sheet.congress.trim().to_uppercase())];
    let lines = wrap(fonts, &congress, 10.0, width);
    let lines: Vec<_> = lines.into_iter().take(3).collect();
    y += page.lines(fonts, lines, x, width, y, Align::Center, 10.0);
    if let Some(term) = sheet.term {
        page.text_aligned(
            fonts,
            x,
            width,
            y + baseline_offset(fonts, 9.0),
            Align::Center,
            FontStyle::Italic,
            9.0,
            &term.header_line(),
        );
        y += line_height(9.0);
    }
    y += 3.0;
    page.line(x + width * 0.3, y, x + width * 0.7, y, Pen::THIN);
    y += 4.0;

    // Role band: black for official delegates, grey for alternates, outlined for the rest, so
    // roles tell apart at a glance even on a black-and-white printer.
    let band = Rect::new(x, y, width, 17.0);
    let role_size = fit_size(fonts, FontStyle::Bold, 11.0, width - 6.0, &badge.role.label());
    let text_gray = match badge.role {
        BadgeRole::Official => {
            page.fill_rect(band, 0);
            255
        }
        BadgeRole::Alternate => {
            page.fill_rect(band, 100);
            255
        }
        BadgeRole::Guest | BadgeRole::Other(_) => {
            page.rect(band, Pen { width: 1.0, dash: None, gray: 0 });
            0
        }
    };
    page.text_aligned(
        fonts,
        band.x,
        band.width,
        band.y + (band.height - line_height(role_size)) / 2.0 + baseline_offset(fonts, role_size),
        Align::Center,
        FontStyle::Bold,
        role_size,
        &badge.role.label(),
    );
    if let Some(crate::canvas::Op::Text(run)) = page.ops.last_mut() {
        run.gray = text_gray;
    }
    y = band.bottom() + 6.0;

    // Bottom strip: the number large on the left, the QR code on the right.
    let qr_side = 21.0 * MM;
    let bottom = cell.bottom() - pad * 0.6;
    let qr = Rect::new(x + width - qr_side, bottom - qr_side, qr_side, qr_side);
    page.squares(qr_squares(badge.number.trim(), qr.x, qr.y, qr.width)?);
    let number_width = width - qr_side - 4.0;
    let number_size = fit_size(fonts, FontStyle::Bold, 30.0, number_width, badge.number.trim());
    let number_baseline = bottom - 0.2 * qr_side;
    page.text_aligned(
        fonts,
        x,
        number_width,
        number_baseline - number_size * 0.95,
        Align::Left,
        FontStyle::Italic,
        8.0,
        "Số thẻ",
    );
    page.text_aligned(
        fonts,
        x,
        number_width,
        number_baseline,
        Align::Left,
        FontStyle::Bold,
        number_size,
        badge.number.trim(),
    );

    // Name and unit centred between the band and the bottom strip.
    let name_size = fit_size(fonts, FontStyle::Bold, 18.0, width, badge.name.trim());
    let unit_lines = wrap(fonts, &[Span::italic(badge.unit.trim())], 10.0, width);
    let unit_lines: Vec<_> = unit_lines.into_iter().take(2).collect();
    let block = line_height(name_size) + unit_lines.len() as f32 * line_height(10.0);
    let room = qr.y - y;
    let top = y + ((room - block) / 2.0).max(0.0);
    page.text_aligned(
        fonts,
        x,
        width,
        top + baseline_offset(fonts, name_size),
        Align::Center,
        FontStyle::Bold,
        name_size,
        badge.name.trim(),
    );
    page.lines(fonts, unit_lines, x, width, top + line_height(name_size), Align::Center, 10.0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_tile_the_page_without_overlap() {
        let page = Rect::new(0.0, 0.0, Paper::A4.size().0, Paper::A4.size().1);
        let cells: Vec<Rect> = (0..8).map(badge_cell).collect();
        for (i, a) in cells.iter().enumerate() {
            assert!(page.contains(a));
            for b in &cells[i + 1..] {
                assert!(!a.overlaps(b));
            }
        }
        assert_eq!(badge_cell(8), badge_cell(0));
        // About 95 × 69 mm each.
        assert!(
            (cells[0].width / MM - 95.0).abs() < 0.5 && (cells[0].height / MM - 69.25).abs() < 0.5
        );
    }

    #[test]
    fn pages_hold_eight_badges() {
        let sheet = BadgeSheet { congress: "Đại hội".into(), term: None };
        let badges: Vec<Badge> = (1..=17)
            .map(|i| Badge {
                number: format!("{i:03}"),
                name: format!("Người {i}"),
                role: BadgeRole::Guest,
                unit: "Khách mời".into(),
            })
            .collect();
        let pages = badge_pages(&badges, &sheet).unwrap();
        assert_eq!(pages.len(), 3);
        assert!(pages[2].all_text().contains("017"));
        let bad = Badge { name: "王".into(), ..badges[0].clone() };
        assert!(matches!(badge_pages(&[bad], &sheet), Err(RenderError::Unprintable(_))));
    }
}
