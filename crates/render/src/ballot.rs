//! Ballots (phiếu bầu cử) as print-ready PDF, with a fixed, exportable geometry for scanning.
//!
//! Form (QĐ 190-QĐ/TW Art. 15; election-rules.md §4): with a surplus the voter strikes through
//! the whole name of each person not chosen ([`BallotForm::StrikeThrough`]); without a surplus
//! every row has "Đồng ý" and "Không đồng ý" boxes ([`BallotForm::AgreeDisagree`]). The convening
//! committee's seal goes at the top left, so a dashed circle marks where it is stamped.
//!
//! Layout decisions, for 1–250 names:
//! - Every sheet has the same fixed header band (issuer block with the seal circle, party name,
//!   title, subtitle, instructions): texts shrink rather than push the rows down, so the row
//!   positions depend only on the paper, the form and the number of names.
//! - Names run down one column; when a sheet holds more names than one column has rows, the
//!   sheet uses two columns (filled top to bottom, left column first) if the form fits in half
//!   the width (strike-through only: with its two box columns an agree/disagree row needs the
//!   full width to keep names at full size). Longer lists continue on
//!   further sheets ("Tờ 2/5"); each sheet repeats the header so each can be stamped.
//! - Four solid squares in the page corners are registration marks; every row lies inside the
//!   rectangle their inner edges bound. A QR code at the bottom right and the same text printed
//!   beside it identify the election round and the sheet (`DH-12-R1 2/5`), never the voter: all
//!   copies are identical.
//! - All copies share one drawing of each sheet (a PDF form object), so 1,600 copies cost little
//!   more than one.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::canvas::{
    MM, Page, Paper, PdfInfo, Pen, Rect, baseline_offset, line_height, write_pdf_copies,
};
use crate::error::RenderError;
use crate::fonts::{FontStyle, Fonts, fonts};
use crate::header::{Issuer, PARTY_NAME, fit_size};
use crate::qr::qr_squares;
use crate::text::{Align, Line, Span, wrap};

/// The most names a ballot is laid out for.
pub const MAX_BALLOT_NAMES: usize = 250;
/// The most copies one PDF holds.
pub const MAX_BALLOT_COPIES: u32 = 10_000;

/// The code printed and encoded on a ballot to identify the election and round, e.g.
/// `DH-12-R1`: 1–24 characters, ASCII capital letters, digits and hyphens, not starting or
/// ending with a hyphen. It never identifies a voter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BallotCode(String);

/// Why a ballot code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BallotCodeError {
    /// The code is empty.
    #[error("mã phiếu trống")]
    Empty,
    /// The code is longer than 24 characters.
    #[error("mã phiếu dài {0} ký tự, tối đa 24")]
    TooLong(usize),
    /// The code has a character other than A–Z, 0–9 and `-`, or starts or ends with `-`.
    #[error("mã phiếu chỉ gồm chữ in hoa A–Z, chữ số và dấu '-' ở giữa: {0:?}")]
    BadCharacter(String),
}

impl BallotCode {
    /// Parse a code such as `DH-12-R1`.
    pub fn new(code: &str) -> Result<Self, BallotCodeError> {
        if code.is_empty() {
            return Err(BallotCodeError::Empty);
        }
        if code.len() > 24 {
            return Err(BallotCodeError::TooLong(code.chars().count()));
        }
        let allowed =
            code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
        if !allowed || code.starts_with('-') || code.ends_with('-') {
            return Err(BallotCodeError::BadCharacter(code.to_owned()));
        }
        Ok(Self(code.to_owned()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BallotCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for BallotCode {
    type Error = BallotCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<BallotCode> for String {
    fn from(code: BallotCode) -> Self {
        code.0
    }
}

/// The two ballot forms (QĐ 190-QĐ/TW Art. 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BallotForm {
    /// List with a surplus: the voter strikes through the names not chosen.
    StrikeThrough,
    /// No surplus: "Số TT | Họ và tên | Đồng ý | Không đồng ý", an X in one box per row.
    AgreeDisagree,
}

impl BallotForm {
    /// The usual instruction line for the form.
    pub fn default_instructions(self) -> &'static str {
        match self {
            BallotForm::StrikeThrough => {
                "Đồng ý bầu đồng chí nào thì để nguyên họ và tên; không đồng ý bầu đồng chí nào \
                 thì gạch ngang cả họ và tên đồng chí đó."
            }
            BallotForm::AgreeDisagree => {
                "Đánh dấu X vào ô \u{201c}Đồng ý\u{201d} hoặc ô \u{201c}Không đồng ý\u{201d} ở \
                 từng dòng họ và tên."
            }
        }
    }
}

/// Everything printed on a ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotSpec {
    /// The top-left block, e.g. `ĐẢNG BỘ PHƯỜNG HIM LAM` / `ĐẠI HỘI ĐẠI BIỂU LẦN THỨ XII` /
    /// `Nhiệm kỳ 2020 - 2025`.
    pub issuer: Issuer,
    /// Title, normally `PHIẾU BẦU CỬ`.
    pub title: String,
    /// The body and term, e.g. `Ban Chấp hành Đảng bộ phường Him Lam nhiệm kỳ 2020 - 2025`.
    pub subtitle: String,
    /// The instruction line; see [`BallotForm::default_instructions`].
    pub instructions: String,
    /// The names in ballot order, exactly as approved (the caller orders them).
    pub names: Vec<String>,
    /// Strike-through or agree/disagree.
    pub form: BallotForm,
    /// A4 or A5.
    pub paper: Paper,
    /// Number of identical ballots in the PDF (1 to [`MAX_BALLOT_COPIES`]).
    pub copies: u32,
    /// Election and round, printed and in the QR code.
    pub code: BallotCode,
    /// Label of the seal area, e.g. `Nơi đóng dấu`.
    pub seal_label: String,
}

/// Where everything is on a ballot, in points from the top-left corner of the page (y down).
/// The same on every copy; sheets of one ballot share the marks, QR and header positions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BallotLayout {
    /// Paper size.
    pub paper: Paper,
    /// Page width in points.
    pub page_width: f32,
    /// Page height in points.
    pub page_height: f32,
    /// Sheets (pages) per ballot.
    pub sheets: u32,
    /// The four registration marks (solid squares): top-left, top-right, bottom-left,
    /// bottom-right.
    pub registration_marks: [Rect; 4],
    /// The rectangle bounded by the inner edges of the marks; every row lies inside it.
    pub mark_frame: Rect,
    /// The QR code including its quiet zone.
    pub qr: Rect,
    /// The QR text of each sheet, e.g. `DH-12-R1 1/5`.
    pub sheet_codes: Vec<String>,
    /// The seal area (the square around the dashed circle).
    pub seal: Rect,
    /// One row per name, in ballot order.
    pub rows: Vec<NameRow>,
}

/// The geometry of one name on the ballot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameRow {
    /// Number printed in the "Số TT" column (1-based ballot order).
    pub number: u32,
    /// Sheet of the ballot, from 1.
    pub sheet: u32,
    /// The whole row.
    pub row: Rect,
    /// The "Số TT" cell.
    pub number_cell: Rect,
    /// The name cell, where a strike-through line is drawn.
    pub name_cell: Rect,
    /// The "Đồng ý" box (agree/disagree form).
    pub agree_box: Option<Rect>,
    /// The "Không đồng ý" box (agree/disagree form).
    pub disagree_box: Option<Rect>,
}

/// Fixed measures for a paper size and form.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    page_width: f32,
    page_height: f32,
    mark_inset: f32,
    mark_size: f32,
    content: Rect,
    seal_radius: f32,
    top_block: f32,
    issuer_size: f32,
    party_size: f32,
    title_size: f32,
    subtitle_size: f32,
    instructions_size: f32,
    band: f32,
    table_header: f32,
    header_size: f32,
    row_height: f32,
    number_width: f32,
    box_column: f32,
    box_side: f32,
    name_size: f32,
    qr_side: f32,
    footer: f32,
    code_size: f32,
    column_gap: f32,
    two_columns: bool,
}

impl Geometry {
    fn new(paper: Paper, form: BallotForm) -> Self {
        let (page_width, page_height) = paper.size();
        let a4 = paper == Paper::A4;
        let mark_inset = if a4 { 8.0 * MM } else { 7.0 * MM };
        let mark_size = if a4 { 6.0 * MM } else { 5.0 * MM };
        let gap = if a4 { 4.0 } else { 3.0 };
        let edge = mark_inset + mark_size + gap;
        let content = Rect::new(edge, edge, page_width - 2.0 * edge, page_height - 2.0 * edge);
        let seal_radius = if a4 { 15.0 * MM } else { 12.0 * MM };
        let issuer_size = if a4 { 12.0 } else { 9.5 };
        let top_block = (2.0 * seal_radius).max(4.0 * line_height(issuer_size));
        let title_size = if a4 { 16.0 } else { 13.0 };
        let subtitle_size = if a4 { 13.0 } else { 11.0 };
        let instructions_size = if a4 { 11.0 } else { 9.5 };
        let small_gap = if a4 { 6.0 } else { 4.0 };
        let band = top_block
            + small_gap
            + line_height(title_size)
            + 2.0 * line_height(subtitle_size)
            + small_gap / 2.0
            + 2.0 * line_height(instructions_size)
            + small_gap;
        let header_size = if a4 { 10.5 } else { 9.0 };
        let table_header = match form {
            BallotForm::StrikeThrough => line_height(header_size) + 6.0,
            // "Không đồng ý" may take two lines in its narrow column.
            BallotForm::AgreeDisagree => 2.0 * line_height(header_size) + 4.0,
        };
        let qr_side = if a4 { 60.0 } else { 48.0 };
        let column_gap = if a4 { 10.0 } else { 6.0 };
        let half = (content.width - column_gap) / 2.0;
        // Half the width must leave a name cell of about 150 pt (a long name at full size);
        // with two box columns that only happens for the strike-through form.
        let min_column = match form {
            BallotForm::StrikeThrough => 160.0,
            BallotForm::AgreeDisagree => 300.0,
        };
        Self {
            page_width,
            page_height,
            mark_inset,
            mark_size,
            content,
            seal_radius,
            top_block,
            issuer_size,
            party_size: if a4 { 13.0 } else { 10.5 },
            title_size,
            subtitle_size,
            instructions_size,
            band,
            table_header,
            header_size,
            row_height: if a4 { 19.0 } else { 17.0 },
            number_width: if a4 { 32.0 } else { 30.0 },
            box_column: if a4 { 56.0 } else { 50.0 },
            box_side: if a4 { 11.0 } else { 10.0 },
            name_size: if a4 { 13.0 } else { 11.0 },
            qr_side,
            footer: qr_side + if a4 { 4.0 } else { 3.0 },
            code_size: if a4 { 9.0 } else { 8.0 },
            column_gap,
            two_columns: half >= min_column,
        }
    }

    fn table_top(&self) -> f32 {
        self.content.y + self.band
    }

    fn rows_top(&self) -> f32 {
        self.table_top() + self.table_header
    }

    fn rows_space(&self) -> f32 {
        self.content.bottom() - self.footer - self.rows_top()
    }

    fn rows_per_column(&self) -> usize {
        (self.rows_space() / self.row_height).floor().max(1.0) as usize
    }

    /// Row pitch for a list of `n_names`: a short list that fits one column gets taller rows
    /// (up to 1.5 times), easier to strike through or mark.
    fn row_pitch(&self, n_names: usize) -> f32 {
        if n_names > 0 && n_names <= self.rows_per_column() {
            (self.rows_space() / n_names as f32).min(self.row_height * 1.5).max(self.row_height)
        } else {
            self.row_height
        }
    }

    fn columns(&self) -> usize {
        if self.two_columns { 2 } else { 1 }
    }

    fn marks(&self) -> [Rect; 4] {
        let (w, h, i, s) = (self.page_width, self.page_height, self.mark_inset, self.mark_size);
        [
            Rect::new(i, i, s, s),
            Rect::new(w - i - s, i, s, s),
            Rect::new(i, h - i - s, s, s),
            Rect::new(w - i - s, h - i - s, s, s),
        ]
    }

    fn mark_frame(&self) -> Rect {
        let edge = self.mark_inset + self.mark_size;
        Rect::new(edge, edge, self.page_width - 2.0 * edge, self.page_height - 2.0 * edge)
    }

    fn qr(&self) -> Rect {
        let c = self.content;
        Rect::new(c.right() - self.qr_side, c.bottom() - self.qr_side, self.qr_side, self.qr_side)
    }

    fn seal(&self) -> Rect {
        let left_width = self.content.width * 0.45;
        let cx = self.content.x + left_width / 2.0;
        let r = self.seal_radius;
        Rect::new(cx - r, self.content.y + self.top_block / 2.0 - r, 2.0 * r, 2.0 * r)
    }
}

/// One column of names on a sheet.
#[derive(Debug, Clone)]
struct ColumnPlan {
    x: f32,
    width: f32,
    /// Indices into the name list.
    first: usize,
    count: usize,
}

#[derive(Debug, Clone)]
struct SheetPlan {
    columns: Vec<ColumnPlan>,
}

fn plan(geometry: &Geometry, n_names: usize) -> Vec<SheetPlan> {
    let rows = geometry.rows_per_column();
    let per_sheet = rows * geometry.columns();
    let n_sheets = n_names.div_ceil(per_sheet).max(1);
    let content = geometry.content;
    let mut sheets = Vec::with_capacity(n_sheets);
    for sheet in 0..n_sheets {
        let first = sheet * per_sheet;
        let count = n_names.saturating_sub(first).min(per_sheet);
        let columns = if count > rows && geometry.two_columns {
            // Balance the two columns; the left one takes the odd name.
            let left = count.div_ceil(2);
            let width = (content.width - geometry.column_gap) / 2.0;
            vec![
                ColumnPlan { x: content.x, width, first, count: left },
                ColumnPlan {
                    x: content.x + width + geometry.column_gap,
                    width,
                    first: first + left,
                    count: count - left,
                },
            ]
        } else {
            vec![ColumnPlan { x: content.x, width: content.width, first, count }]
        };
        sheets.push(SheetPlan { columns });
    }
    sheets
}

fn row_geometry(
    geometry: &Geometry,
    form: BallotForm,
    column: &ColumnPlan,
    row: usize,
    pitch: f32,
) -> NameRow {
    let y = geometry.rows_top() + row as f32 * pitch;
    let h = pitch;
    let whole = Rect::new(column.x, y, column.width, h);
    let number_cell = Rect::new(column.x, y, geometry.number_width, h);
    let (name_cell, agree_box, disagree_box) = match form {
        BallotForm::StrikeThrough => (
            Rect::new(column.x + geometry.number_width, y, column.width - geometry.number_width, h),
            None,
            None,
        ),
        BallotForm::AgreeDisagree => {
            let name_width = column.width - geometry.number_width - 2.0 * geometry.box_column;
            let name_cell = Rect::new(column.x + geometry.number_width, y, name_width, h);
            let side = geometry.box_side;
            let agree_x = name_cell.right();
            let boxed = |cell_x: f32| {
                Rect::new(
                    cell_x + (geometry.box_column - side) / 2.0,
                    y + (h - side) / 2.0,
                    side,
                    side,
                )
            };
            (name_cell, Some(boxed(agree_x)), Some(boxed(agree_x + geometry.box_column)))
        }
    };
    NameRow { number: 0, sheet: 0, row: whole, number_cell, name_cell, agree_box, disagree_box }
}

fn sheet_code(code: &BallotCode, sheet: usize, sheets: usize) -> String {
    format!("{} {}/{}", code.as_str(), sheet, sheets)
}

/// The geometry of a ballot: sheets, marks, QR, and the row, name cell and boxes of each name.
/// Depends only on the paper, the form, the number of names and the code.
pub fn ballot_layout(spec: &BallotSpec) -> BallotLayout {
    let geometry = Geometry::new(spec.paper, spec.form);
    let sheets = plan(&geometry, spec.names.len());
    let pitch = geometry.row_pitch(spec.names.len());
    let mut rows = Vec::with_capacity(spec.names.len());
    for (sheet_index, sheet) in sheets.iter().enumerate() {
        for column in &sheet.columns {
            for row in 0..column.count {
                let mut name_row = row_geometry(&geometry, spec.form, column, row, pitch);
                name_row.number = (column.first + row + 1) as u32;
                name_row.sheet = sheet_index as u32 + 1;
                rows.push(name_row);
            }
        }
    }
    BallotLayout {
        paper: spec.paper,
        page_width: geometry.page_width,
        page_height: geometry.page_height,
        sheets: sheets.len() as u32,
        registration_marks: geometry.marks(),
        mark_frame: geometry.mark_frame(),
        qr: geometry.qr(),
        sheet_codes: (1..=sheets.len()).map(|s| sheet_code(&spec.code, s, sheets.len())).collect(),
        seal: geometry.seal(),
        rows,
    }
}

/// The ballots: `spec.copies` identical ballots of `ballot_layout(spec).sheets` pages each.
pub fn ballots_pdf(spec: &BallotSpec) -> Result<Vec<u8>, RenderError> {
    let pages = ballot_pages(spec)?;
    if spec.copies == 0 || spec.copies > MAX_BALLOT_COPIES {
        return Err(RenderError::Unprintable(format!(
            "số bản in phải từ 1 đến {MAX_BALLOT_COPIES}, nhận được {}",
            spec.copies
        )));
    }
    let title = format!("{} - {}", spec.title.trim(), spec.code);
    write_pdf_copies(&pages, spec.copies, &PdfInfo { title })
}

/// The sheets of one ballot as display lists.
pub(crate) fn ballot_pages(spec: &BallotSpec) -> Result<Vec<Page>, RenderError> {
    let fonts = fonts()?;
    check_names(fonts, &spec.names)?;
    let geometry = Geometry::new(spec.paper, spec.form);
    let layout = ballot_layout(spec);
    let sheets = layout.sheets as usize;
    let mut pages = Vec::with_capacity(sheets);
    for sheet in 1..=sheets {
        let mut page = Page::new(spec.paper);
        draw_furniture(&mut page, fonts, spec, &geometry, &layout, sheet)?;
        let rows: Vec<&NameRow> =
            layout.rows.iter().filter(|r| r.sheet as usize == sheet).collect();
        draw_rows(&mut page, fonts, spec, &geometry, &rows)?;
        pages.push(page);
    }
    Ok(pages)
}

fn check_names(fonts: &Fonts, names: &[String]) -> Result<(), RenderError> {
    if names.is_empty() {
        return Err(RenderError::Unprintable("danh sách bầu cử trống".into()));
    }
    if names.len() > MAX_BALLOT_NAMES {
        return Err(RenderError::Unprintable(format!(
            "phiếu bầu có {} tên, tối đa {MAX_BALLOT_NAMES}",
            names.len()
        )));
    }
    for (index, name) in names.iter().enumerate() {
        if name.trim().is_empty() {
            return Err(RenderError::Unprintable(format!("tên thứ {} trống", index + 1)));
        }
        if !fonts.covers(FontStyle::Regular, name.trim()) {
            return Err(RenderError::Unprintable(format!(
                "tên thứ {} có ký tự phông chữ không in được: {name}",
                index + 1
            )));
        }
    }
    Ok(())
}

/// Wrap into at most `max_lines`, shrinking the size (down to 70 %) when needed.
fn fit_lines(
    fonts: &Fonts,
    spans: &[Span],
    size: f32,
    width: f32,
    max_lines: usize,
) -> (f32, Vec<Line>) {
    let mut current = size;
    loop {
        let lines = wrap(fonts, spans, current, width);
        if lines.len() <= max_lines || current <= size * 0.7 {
            return (current, lines);
        }
        current -= 0.25;
    }
}

fn draw_furniture(
    page: &mut Page,
    fonts: &Fonts,
    spec: &BallotSpec,
    g: &Geometry,
    layout: &BallotLayout,
    sheet: usize,
) -> Result<(), RenderError> {
    let c = g.content;
    page.squares(layout.registration_marks.to_vec());

    // Seal area: a dashed grey circle the stamp goes over (QĐ 190 Art. 15: the convening
    // committee's seal at the top left), labelled at its foot.
    let seal = layout.seal;
    let (cx, cy, r) = (seal.x + seal.width / 2.0, seal.y + seal.height / 2.0, seal.width / 2.0);
    page.ellipse(cx, cy, r, r, Pen::dashed(0.6, 2.5, 170));
    let label_size = g.issuer_size * 0.62;
    page.text_aligned(
        fonts,
        seal.x,
        seal.width,
        seal.bottom() - label_size * 0.9,
        Align::Center,
        FontStyle::Italic,
        label_size,
        spec.seal_label.trim(),
    );
    if let Some(crate::canvas::Op::Text(run)) = page.ops.last_mut() {
        run.gray = 120;
    }

    // Issuer block, centred in the left column and vertically in the seal circle; each line is
    // shrunk to one line so the band never grows.
    let left_width = c.width * 0.45;
    let mut lines = spec.issuer.lines();
    lines.push(crate::header::IssuerLine { text: "*".into(), style: FontStyle::Regular });
    let step = line_height(g.issuer_size);
    let mut y = c.y + (g.top_block - step * lines.len() as f32) / 2.0;
    for line in &lines {
        let size = fit_size(fonts, line.style, g.issuer_size, left_width, &line.text);
        page.text_aligned(
            fonts,
            c.x,
            left_width,
            y + baseline_offset(fonts, size),
            Align::Center,
            line.style,
            size,
            &line.text,
        );
        y += step;
    }

    // Party name top right, underlined.
    let right_x = c.x + left_width;
    let right_width = c.width - left_width;
    let baseline = c.y + baseline_offset(fonts, g.party_size);
    let (px, pw) = page.text_aligned(
        fonts,
        right_x,
        right_width,
        baseline,
        Align::Center,
        FontStyle::Bold,
        g.party_size,
        PARTY_NAME,
    );
    let rule = baseline + g.party_size * 0.22;
    page.line(px, rule, px + pw, rule, Pen { width: 0.7, dash: None, gray: 0 });

    // Title, subtitle (two lines at most), instructions (two lines at most).
    let mut y = c.y + g.top_block + if spec.paper == Paper::A4 { 6.0 } else { 4.0 };
    let title = spec.title.trim().to_uppercase();
    let title_size = fit_size(fonts, FontStyle::Bold, g.title_size, c.width, &title);
    page.text_aligned(
        fonts,
        c.x,
        c.width,
        y + baseline_offset(fonts, title_size),
        Align::Center,
        FontStyle::Bold,
        title_size,
        &title,
    );
    y += line_height(g.title_size);
    let (size, lines) =
        fit_lines(fonts, &[Span::bold(spec.subtitle.trim())], g.subtitle_size, c.width, 2);
    let block = 2.0 * line_height(g.subtitle_size);
    let used = lines.len().min(2) as f32 * line_height(size);
    page.lines(
        fonts,
        lines.into_iter().take(2).collect(),
        c.x,
        c.width,
        y + (block - used) / 2.0,
        Align::Center,
        size,
    );
    y += block + if spec.paper == Paper::A4 { 3.0 } else { 2.0 };
    let (size, lines) = fit_lines(
        fonts,
        &[Span::italic(spec.instructions.trim())],
        g.instructions_size,
        c.width,
        2,
    );
    page.lines(fonts, lines.into_iter().take(2).collect(), c.x, c.width, y, Align::Center, size);

    // Footer: the code beside the QR; "Tờ" counts the sheets of one ballot.
    let qr = layout.qr;
    let payload = &layout.sheet_codes[sheet - 1];
    page.squares(qr_squares(payload, qr.x, qr.y, qr.width)?);
    let label = if layout.sheets > 1 {
        format!("Mã phiếu: {} \u{2014} Tờ {}/{}", spec.code, sheet, layout.sheets)
    } else {
        format!("Mã phiếu: {}", spec.code)
    };
    // Baseline level with the foot of the symbol (inside the quiet zone).
    page.text_aligned(
        fonts,
        c.x,
        qr.x - c.x - 2.0,
        qr.bottom() - qr.height * 0.14,
        Align::Right,
        FontStyle::Regular,
        g.code_size,
        &label,
    );
    Ok(())
}

fn draw_rows(
    page: &mut Page,
    fonts: &Fonts,
    spec: &BallotSpec,
    g: &Geometry,
    rows: &[&NameRow],
) -> Result<(), RenderError> {
    // Column headers above each column that has rows.
    let mut headed: Vec<f32> = Vec::new();
    for row in rows {
        if headed.iter().any(|x| (x - row.row.x).abs() < 0.01) {
            continue;
        }
        headed.push(row.row.x);
        draw_column_header(page, fonts, spec.form, g, row);
    }
    let pad = 5.0;
    for row in rows {
        let name = spec.names[row.number as usize - 1].trim();
        page.rect(row.number_cell, Pen::THIN);
        page.rect(row.name_cell, Pen::THIN);
        let middle = |size: f32| {
            row.row.y + (row.row.height - line_height(size)) / 2.0 + baseline_offset(fonts, size)
        };
        let number_size = g.name_size * 0.85;
        page.text_aligned(
            fonts,
            row.number_cell.x,
            row.number_cell.width,
            middle(number_size),
            Align::Center,
            FontStyle::Regular,
            number_size,
            &row.number.to_string(),
        );
        let room = row.name_cell.width - 2.0 * pad;
        let natural = fonts.measure(FontStyle::Regular, g.name_size, name);
        let size = if natural <= room { g.name_size } else { g.name_size * room / natural };
        if size < 6.0 {
            return Err(RenderError::Unprintable(format!(
                "tên thứ {} quá dài để in trên một dòng: {name}",
                row.number
            )));
        }
        page.text(fonts, row.name_cell.x + pad, middle(size), FontStyle::Regular, size, name);
        if let (Some(agree), Some(disagree)) = (row.agree_box, row.disagree_box) {
            let cell = |b: Rect| {
                Rect::new(
                    b.x - (g.box_column - b.width) / 2.0,
                    row.row.y,
                    g.box_column,
                    row.row.height,
                )
            };
            page.rect(cell(agree), Pen::THIN);
            page.rect(cell(disagree), Pen::THIN);
            page.rect(agree, Pen { width: 0.8, dash: None, gray: 0 });
            page.rect(disagree, Pen { width: 0.8, dash: None, gray: 0 });
        }
    }
    Ok(())
}

fn draw_column_header(
    page: &mut Page,
    fonts: &Fonts,
    form: BallotForm,
    g: &Geometry,
    first: &NameRow,
) {
    let top = g.table_top();
    let height = g.table_header;
    let size = g.header_size;
    let mut cell = |x: f32, width: f32, text: &str| {
        page.rect(Rect::new(x, top, width, height), Pen::THIN);
        let lines = wrap(fonts, &[Span::bold(text)], size, width - 4.0);
        let used = lines.len() as f32 * line_height(size);
        page.lines(
            fonts,
            lines,
            x + 2.0,
            width - 4.0,
            top + (height - used) / 2.0,
            Align::Center,
            size,
        );
    };
    cell(first.number_cell.x, first.number_cell.width, "Số TT");
    cell(first.name_cell.x, first.name_cell.width, "Họ và tên");
    if form == BallotForm::AgreeDisagree {
        cell(first.name_cell.right(), g.box_column, "Đồng ý");
        cell(first.name_cell.right() + g.box_column, g.box_column, "Không đồng ý");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::{CongressKind, congress_line};
    use daihoi_core::date::Term;

    pub(crate) fn spec(n: usize, form: BallotForm, paper: Paper) -> BallotSpec {
        BallotSpec {
            issuer: Issuer::Congress {
                organisation: "Đảng bộ phường Him Lam".into(),
                congress: congress_line(CongressKind::Delegates, 12).unwrap_or_default(),
                term: Term::new(2020, 2025).ok(),
            },
            title: "Phiếu bầu cử".into(),
            subtitle: "Ban Chấp hành Đảng bộ phường Him Lam nhiệm kỳ 2020 - 2025".into(),
            instructions: form.default_instructions().into(),
            names: (1..=n).map(|i| format!("Nguyễn Thị Thanh Hương {i}")).collect(),
            form,
            paper,
            copies: 1,
            code: BallotCode::new("DH-12-R1").unwrap(),
            seal_label: "Nơi đóng dấu".into(),
        }
    }

    #[test]
    fn ballot_codes() {
        assert_eq!(BallotCode::new("DH-12-R1").unwrap().as_str(), "DH-12-R1");
        assert_eq!(BallotCode::new(""), Err(BallotCodeError::Empty));
        assert!(matches!(BallotCode::new("dh-12"), Err(BallotCodeError::BadCharacter(_))));
        assert!(matches!(BallotCode::new("-DH"), Err(BallotCodeError::BadCharacter(_))));
        assert!(matches!(BallotCode::new("DH 12"), Err(BallotCodeError::BadCharacter(_))));
        assert_eq!(BallotCode::new(&"A".repeat(25)), Err(BallotCodeError::TooLong(25)));
    }

    #[test]
    fn capacities_per_sheet() {
        let per_sheet = |paper, form| {
            let g = Geometry::new(paper, form);
            g.rows_per_column() * g.columns()
        };
        // Recorded so a change of geometry is a conscious one.
        assert_eq!(per_sheet(Paper::A4, BallotForm::StrikeThrough), 52);
        assert_eq!(per_sheet(Paper::A4, BallotForm::AgreeDisagree), 25);
        assert_eq!(per_sheet(Paper::A5, BallotForm::StrikeThrough), 36);
        assert_eq!(per_sheet(Paper::A5, BallotForm::AgreeDisagree), 17);
    }

    #[test]
    fn names_are_numbered_in_order_and_columns_balance() {
        let layout = ballot_layout(&spec(60, BallotForm::StrikeThrough, Paper::A4));
        assert_eq!(layout.sheets, 2);
        let numbers: Vec<u32> = layout.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, (1..=60).collect::<Vec<_>>());
        let first_sheet: Vec<_> = layout.rows.iter().filter(|r| r.sheet == 1).collect();
        assert_eq!(first_sheet.len(), 52);
        // Second sheet: 8 names fit one column.
        let second: Vec<_> = layout.rows.iter().filter(|r| r.sheet == 2).collect();
        assert!(second.iter().all(|r| (r.row.x - second[0].row.x).abs() < 0.01));
        assert_eq!(layout.sheet_codes, ["DH-12-R1 1/2", "DH-12-R1 2/2"]);
    }

    #[test]
    fn refuses_what_it_cannot_print() {
        let mut s = spec(0, BallotForm::StrikeThrough, Paper::A4);
        assert!(matches!(ballots_pdf(&s), Err(RenderError::Unprintable(_))));
        s.names = vec!["Nguyễn Văn A".into()];
        s.copies = 0;
        assert!(matches!(ballots_pdf(&s), Err(RenderError::Unprintable(_))));
        s.copies = 1;
        s.names = vec!["   ".into()];
        assert!(matches!(ballots_pdf(&s), Err(RenderError::Unprintable(_))));
        s.names = vec!["王小明".into()];
        assert!(matches!(ballots_pdf(&s), Err(RenderError::Unprintable(_))));
        s.names = vec!["Nguyễn Văn A".into(); 251];
        assert!(matches!(ballots_pdf(&s), Err(RenderError::Unprintable(_))));
        s.names = vec!["Nguyễn Văn A".into()];
        assert!(ballots_pdf(&s).is_ok());
    }
}
