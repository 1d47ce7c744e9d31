//! The embedded Liberation Serif faces and text shaping, so every PDF carries its own fonts and
//! text can be measured (for wrapping and alignment) exactly as it will be drawn.
//!
//! Liberation Serif 2.x (SIL OFL, `fonts/OFL.txt`) has every Vietnamese letter and the metrics of
//! Times New Roman, the face Party documents are set in (HD 36-HD/VPTW). Version 1 lacks most
//! Vietnamese letters, which is why the 2.x files are vendored.

use std::ops::Range;
use std::sync::OnceLock;

use krilla::text::GlyphId;

use crate::error::RenderError;

static REGULAR: &[u8] = include_bytes!("../fonts/LiberationSerif-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/LiberationSerif-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-Italic.ttf");
static BOLD_ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf");

/// One of the four faces of the document font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FontStyle {
    /// Upright, normal weight.
    #[default]
    Regular,
    /// Upright, bold.
    Bold,
    /// Italic, normal weight.
    Italic,
    /// Italic, bold.
    BoldItalic,
}

impl FontStyle {
    fn index(self) -> usize {
        match self {
            FontStyle::Regular => 0,
            FontStyle::Bold => 1,
            FontStyle::Italic => 2,
            FontStyle::BoldItalic => 3,
        }
    }

    /// Whether the face is bold.
    pub fn is_bold(self) -> bool {
        matches!(self, FontStyle::Bold | FontStyle::BoldItalic)
    }

    /// Whether the face is italic.
    pub fn is_italic(self) -> bool {
        matches!(self, FontStyle::Italic | FontStyle::BoldItalic)
    }
}

/// The four faces, parsed once per process.
pub(crate) struct Fonts {
    krilla: [krilla::text::Font; 4],
    faces: [rustybuzz::Face<'static>; 4],
    /// Ascender and descender of the regular face, in em (descender negative).
    pub(crate) ascender: f32,
    pub(crate) descender: f32,
}

static FONTS: OnceLock<Result<Fonts, RenderError>> = OnceLock::new();

/// The embedded fonts. Parsing happens on first use; an error means the vendored files are
/// damaged, which a test catches before release.
pub(crate) fn fonts() -> Result<&'static Fonts, RenderError> {
    FONTS.get_or_init(load).as_ref().map_err(Clone::clone)
}

fn load() -> Result<Fonts, RenderError> {
    let data = [REGULAR, BOLD, ITALIC, BOLD_ITALIC];
    let krilla_font = |bytes: &'static [u8]| {
        krilla::text::Font::new(bytes.into(), 0).ok_or(RenderError::Font("krilla cannot read"))
    };
    let face = |bytes: &'static [u8]| {
        rustybuzz::Face::from_slice(bytes, 0).ok_or(RenderError::Font("rustybuzz cannot read"))
    };
    let krilla = [
        krilla_font(data[0])?,
        krilla_font(data[1])?,
        krilla_font(data[2])?,
        krilla_font(data[3])?,
    ];
    let faces = [face(data[0])?, face(data[1])?, face(data[2])?, face(data[3])?];
    let units_per_em = faces[0].units_per_em() as f32;
    let ascender = f32::from(faces[0].ascender()) / units_per_em;
    let descender = f32::from(faces[0].descender()) / units_per_em;
    Ok(Fonts { krilla, faces, ascender, descender })
}

impl Fonts {
    pub(crate) fn krilla(&self, style: FontStyle) -> krilla::text::Font {
        self.krilla[style.index()].clone()
    }

    /// Shape `text` in one face. Advances and offsets are in em; multiply by the size.
    pub(crate) fn shape(&self, style: FontStyle, text: &str) -> Vec<ShapedGlyph> {
        let face = &self.faces[style.index()];
        let units_per_em = face.units_per_em() as f32;
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let output = rustybuzz::shape(face, &[], buffer);
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            // A cluster runs to the start of the next different cluster (left to right).
            let end = infos[i + 1..]
                .iter()
                .map(|next| next.cluster as usize)
                .find(|&cluster| cluster != start)
                .unwrap_or(text.len());
            glyphs.push(ShapedGlyph {
                id: info.glyph_id,
                advance: pos.x_advance as f32 / units_per_em,
                x_offset: pos.x_offset as f32 / units_per_em,
                y_offset: pos.y_offset as f32 / units_per_em,
                range: start..end,
            });
        }
        glyphs
    }

    /// Width of `text` in points at `size`.
    pub(crate) fn measure(&self, style: FontStyle, size: f32, text: &str) -> f32 {
        self.shape(style, text).iter().map(|g| g.advance).sum::<f32>() * size
    }

    /// Whether every character of `text` has a glyph in `style` (no .notdef boxes).
    pub(crate) fn covers(&self, style: FontStyle, text: &str) -> bool {
        self.shape(style, text).iter().all(|g| g.id != 0)
    }
}

/// A positioned glyph; all lengths in em.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShapedGlyph {
    pub(crate) id: u32,
    pub(crate) advance: f32,
    pub(crate) x_offset: f32,
    pub(crate) y_offset: f32,
    /// Byte range of the cluster in the text the glyph run belongs to.
    pub(crate) range: Range<usize>,
}

impl krilla::text::Glyph for ShapedGlyph {
    fn glyph_id(&self) -> GlyphId {
        GlyphId::new(self.id)
    }

    fn text_range(&self) -> Range<usize> {
        self.range.clone()
    }

    fn x_advance(&self, size: f32) -> f32 {
        self.advance * size
    }

    fn x_offset(&self, size: f32) -> f32 {
        self.x_offset * size
    }

    fn y_offset(&self, size: f32) -> f32 {
        self.y_offset * size
    }

    fn y_advance(&self, _size: f32) -> f32 {
        0.0
    }

    fn location(&self) -> Option<krilla::surface::Location> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Vietnamese letter with every tone, lower and upper case.
    pub(crate) const ALL_VIETNAMESE: &str = "aàảãáạ ăằẳẵắặ âầẩẫấậ eèẻẽéẹ êềểễếệ iìỉĩíị oòỏõóọ ôồổỗốộ \
        ơờởỡớợ uùủũúụ ưừửữứự yỳỷỹýỵ đ AÀẢÃÁẠ ĂẰẲẴẮẶ ÂẦẨẪẤẬ EÈẺẼÉẸ ÊỀỂỄẾỆ IÌỈĨÍỊ OÒỎÕÓỌ \
        ÔỒỔỖỐỘ ƠỜỞỠỚỢ UÙỦŨÚỤ ƯỪỬỮỨỰ YỲỶỸÝỴ Đ";

    #[test]
    fn every_face_has_every_vietnamese_letter() {
        let fonts = fonts().unwrap();
        for style in [FontStyle::Regular, FontStyle::Bold, FontStyle::Italic, FontStyle::BoldItalic]
        {
            assert!(fonts.covers(style, ALL_VIETNAMESE), "{style:?}");
        }
        // A character the font lacks is reported.
        assert!(!fonts.covers(FontStyle::Regular, "文"));
    }

    #[test]
    fn measuring_is_additive_and_scales_with_size() {
        let fonts = fonts().unwrap();
        let a = fonts.measure(FontStyle::Regular, 12.0, "Nguyễn");
        let b = fonts.measure(FontStyle::Regular, 12.0, "Văn");
        let space = fonts.measure(FontStyle::Regular, 12.0, " ");
        let whole = fonts.measure(FontStyle::Regular, 12.0, "Nguyễn Văn");
        assert!((a + space + b - whole).abs() < 0.5, "{a} {space} {b} {whole}");
        let double = fonts.measure(FontStyle::Regular, 24.0, "Nguyễn Văn");
        assert!((double - 2.0 * whole).abs() < 0.01);
        assert!(fonts.measure(FontStyle::Bold, 12.0, "Nguyễn Văn") > whole);
    }

    #[test]
    fn clusters_cover_the_text() {
        let fonts = fonts().unwrap();
        // Decomposed input (e + combining marks) still maps back to the whole text.
        let text = "Hu\u{0065}\u{0302}\u{0301} Thị";
        let glyphs = fonts.shape(FontStyle::Regular, text);
        assert_eq!(glyphs.first().unwrap().range.start, 0);
        assert_eq!(glyphs.last().unwrap().range.end, text.len());
        assert!(glyphs.iter().all(|g| g.id != 0));
    }
}
