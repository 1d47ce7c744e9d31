//! Line breaking: styled spans wrapped to a width, with left, centre, right or justified lines.
//!
//! Words are shaped one at a time and joined by the face's own space glyph, so a line carries
//! real space characters (text extraction and copy-paste see words) and its measured width is
//! the width drawn.

use crate::fonts::{FontStyle, Fonts, ShapedGlyph};

/// Horizontal alignment of a line or a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Align {
    /// Flush left.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Both edges flush, except the last line of a paragraph.
    Justify,
}

/// A piece of text in one face.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text; `\n` forces a line break.
    pub text: String,
    /// The face.
    pub style: FontStyle,
}

impl Span {
    /// Regular text.
    pub fn regular(text: impl Into<String>) -> Self {
        Self { text: text.into(), style: FontStyle::Regular }
    }

    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Self {
        Self { text: text.into(), style: FontStyle::Bold }
    }

    /// Italic text.
    pub fn italic(text: impl Into<String>) -> Self {
        Self { text: text.into(), style: FontStyle::Italic }
    }

    /// Bold italic text.
    pub fn bold_italic(text: impl Into<String>) -> Self {
        Self { text: text.into(), style: FontStyle::BoldItalic }
    }
}

/// A run of glyphs in one face, placed at `x` (points from the line start).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Piece {
    pub(crate) x: f32,
    pub(crate) style: FontStyle,
    pub(crate) text: String,
    pub(crate) glyphs: Vec<ShapedGlyph>,
    pub(crate) width: f32,
    /// A space separates this piece from the next one (the style changes at a space).
    pub(crate) gap_after: bool,
}

/// One laid-out line: pieces positioned from 0, and the natural width.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub(crate) pieces: Vec<Piece>,
    pub(crate) width: f32,
    /// Whether the line ends its paragraph (or a forced break); such lines are not justified.
    pub(crate) ends_paragraph: bool,
}

#[derive(Debug)]
struct Word {
    style: FontStyle,
    text: String,
    glyphs: Vec<ShapedGlyph>,
    width: f32,
    space_before: bool,
    break_before: bool,
}

/// Wrap `spans` at `size` points into lines no wider than `max_width` (a word longer than the
/// width is broken between characters).
pub(crate) fn wrap(fonts: &Fonts, spans: &[Span], size: f32, max_width: f32) -> Vec<Line> {
    let words = split_words(fonts, spans, size, max_width);
    let mut lines = Vec::new();
    let mut current: Vec<Word> = Vec::new();
    let mut current_width = 0.0f32;
    for word in words {
        let space = if word.space_before && !current.is_empty() {
            space_width(fonts, word.style, size)
        } else {
            0.0
        };
        let fits = current_width + space + word.width <= max_width + 0.01;
        if word.break_before || (!current.is_empty() && !fits) {
            if !current.is_empty() || word.break_before {
                lines.push(build_line(
                    fonts,
                    std::mem::take(&mut current),
                    size,
                    word.break_before,
                ));
            }
            current_width = word.width;
            current.push(word);
        } else {
            current_width += space + word.width;
            current.push(word);
        }
    }
    lines.push(build_line(fonts, current, size, true));
    // A paragraph that starts with a forced break would make an empty first line: keep it, it
    // is what the text asked for.
    lines
}

/// Apply alignment: returns the x offset of the line inside `[0, width]` and, for justified
/// lines, stretches the spaces.
pub(crate) fn align_line(line: &mut Line, align: Align, width: f32, size: f32) -> f32 {
    let slack = (width - line.width).max(0.0);
    match align {
        Align::Left => 0.0,
        Align::Center => slack / 2.0,
        Align::Right => slack,
        Align::Justify => {
            if line.ends_paragraph {
                return 0.0;
            }
            let gaps = count_gaps(line);
            if gaps == 0 {
                return 0.0;
            }
            let extra = slack / gaps as f32;
            let mut shift = 0.0;
            for piece in &mut line.pieces {
                piece.x += shift;
                for glyph in &mut piece.glyphs {
                    if piece.text[glyph.range.clone()].trim().is_empty() {
                        glyph.advance += extra / size;
                        shift += extra;
                        piece.width += extra;
                    }
                }
                // The gap between two pieces (a style change at a space) also stretches.
                if piece.gap_after {
                    shift += extra;
                }
            }
            line.width = width;
            0.0
        }
    }
}

fn count_gaps(line: &Line) -> usize {
    line.pieces
        .iter()
        .map(|p| p.text.chars().filter(|c| *c == ' ').count() + usize::from(p.gap_after))
        .sum()
}

fn space_width(fonts: &Fonts, style: FontStyle, size: f32) -> f32 {
    fonts.measure(style, size, " ")
}

/// A word before shaping.
#[derive(Debug)]
struct Token {
    style: FontStyle,
    text: String,
    space_before: bool,
    break_before: bool,
}

/// A dash standing alone between two words ("2020 - 2025") never starts or ends a line.
fn is_lone_dash(token: &Token) -> bool {
    matches!(token.text.as_str(), "-" | "\u{2013}" | "\u{2014}")
}

fn glue_dashes(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut iter = tokens.into_iter().peekable();
    while let Some(token) = iter.next() {
        let glue = is_lone_dash(&token)
            && !token.break_before
            && out.last().is_some_and(|prev| prev.style == token.style)
            && iter.peek().is_some_and(|next| next.style == token.style && !next.break_before);
        if glue {
            let (Some(prev), Some(next)) = (out.last_mut(), iter.next()) else { continue };
            prev.text.push_str(if token.space_before { " " } else { "" });
            prev.text.push_str(&token.text);
            prev.text.push_str(if next.space_before { " " } else { "" });
            prev.text.push_str(&next.text);
        } else {
            out.push(token);
        }
    }
    out
}

fn split_words(fonts: &Fonts, spans: &[Span], size: f32, max_width: f32) -> Vec<Word> {
    let mut tokens = Vec::new();
    let mut pending_space = false;
    let mut pending_break = false;
    for span in spans {
        let mut rest = span.text.as_str();
        while !rest.is_empty() {
            let Some(c) = rest.chars().next() else { break };
            if c == '\n' {
                pending_break = true;
                pending_space = false;
                rest = &rest[1..];
            } else if c.is_whitespace() {
                pending_space = true;
                rest = &rest[c.len_utf8()..];
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                tokens.push(Token {
                    style: span.style,
                    text: rest[..end].to_owned(),
                    space_before: pending_space,
                    break_before: pending_break,
                });
                rest = &rest[end..];
                pending_space = false;
                pending_break = false;
            }
        }
    }
    let mut words = Vec::with_capacity(tokens.len());
    for token in glue_dashes(tokens) {
        let glyphs = fonts.shape(token.style, &token.text);
        let width = glyphs.iter().map(|g| g.advance).sum::<f32>() * size;
        let word = Word {
            style: token.style,
            text: token.text,
            glyphs,
            width,
            space_before: token.space_before,
            break_before: token.break_before,
        };
        if word.width > max_width {
            words.extend(break_long_word(word, size, max_width));
        } else {
            words.push(word);
        }
    }
    if pending_break {
        // A trailing newline asks for an empty last line.
        words.push(Word {
            style: FontStyle::Regular,
            text: String::new(),
            glyphs: Vec::new(),
            width: 0.0,
            space_before: false,
            break_before: true,
        });
    }
    words
}

/// Split a word wider than the line between clusters.
fn break_long_word(word: Word, size: f32, max_width: f32) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start_glyph = 0;
    let mut width = 0.0f32;
    let mut first = true;
    let glyphs = &word.glyphs;
    let mut i = 0;
    while i < glyphs.len() {
        // Keep glyphs of one cluster together.
        let cluster_start = glyphs[i].range.start;
        let mut j = i;
        let mut cluster_width = 0.0;
        while j < glyphs.len() && glyphs[j].range.start == cluster_start {
            cluster_width += glyphs[j].advance * size;
            j += 1;
        }
        if width + cluster_width > max_width && i > start_glyph {
            out.push(sub_word(&word, start_glyph, i, width, first));
            first = false;
            start_glyph = i;
            width = 0.0;
        }
        width += cluster_width;
        i = j;
    }
    out.push(sub_word(&word, start_glyph, glyphs.len(), width, first));
    out
}

fn sub_word(word: &Word, from: usize, to: usize, width: f32, first: bool) -> Word {
    let glyphs = &word.glyphs[from..to];
    let start = glyphs.first().map_or(0, |g| g.range.start);
    let end = glyphs.last().map_or(0, |g| g.range.end);
    Word {
        style: word.style,
        text: word.text[start..end].to_owned(),
        glyphs: glyphs
            .iter()
            .map(|g| ShapedGlyph { range: g.range.start - start..g.range.end - start, ..g.clone() })
            .collect(),
        width,
        space_before: first && word.space_before,
        // Continuation chunks start new lines.
        break_before: if first { word.break_before } else { true },
    }
}

fn build_line(fonts: &Fonts, words: Vec<Word>, size: f32, ends_paragraph: bool) -> Line {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut x = 0.0f32;
    for (index, word) in words.into_iter().enumerate() {
        let gap = index > 0 && word.space_before;
        let same_style = pieces.last().is_some_and(|p| p.style == word.style);
        if same_style {
            let Some(piece) = pieces.last_mut() else { continue };
            if gap {
                let space = fonts.shape(word.style, " ");
                let offset = piece.text.len();
                piece.text.push(' ');
                for glyph in space {
                    piece.width += glyph.advance * size;
                    piece.glyphs.push(ShapedGlyph {
                        range: glyph.range.start + offset..glyph.range.end + offset,
                        ..glyph
                    });
                }
            }
            let offset = piece.text.len();
            piece.text.push_str(&word.text);
            piece.width += word.width;
            piece.glyphs.extend(
                word.glyphs.into_iter().map(|g| ShapedGlyph {
                    range: g.range.start + offset..g.range.end + offset,
                    ..g
                }),
            );
            x = piece.x + piece.width;
        } else {
            if gap {
                // Style changes at a space: leave the space as a gap, remembered on the
                // previous piece so justification can stretch it.
                let space = space_width(fonts, word.style, size);
                if let Some(previous) = pieces.last_mut() {
                    previous.gap_after = true;
                }
                x += space;
            }
            let width = word.width;
            pieces.push(Piece {
                x,
                style: word.style,
                text: word.text,
                glyphs: word.glyphs,
                width,
                gap_after: false,
            });
            x += width;
        }
    }
    Line { pieces, width: x, ends_paragraph }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::fonts;

    fn line_text(line: &Line) -> String {
        line.pieces.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let fonts = fonts().unwrap();
        let text = "Đại hội đã thông qua Danh sách bầu cử gồm mười lăm đồng chí có tên dưới đây";
        let lines = wrap(fonts, &[Span::regular(text)], 12.0, 150.0);
        assert!(lines.len() >= 3, "{}", lines.len());
        for line in &lines {
            assert!(line.width <= 150.01, "{}", line.width);
        }
        let joined = lines.iter().map(line_text).collect::<Vec<_>>().join(" ");
        assert_eq!(joined, text);
        assert!(lines.last().unwrap().ends_paragraph);
        assert!(!lines[0].ends_paragraph);
    }

    #[test]
    fn long_word_breaks_between_characters() {
        let fonts = fonts().unwrap();
        let hash = "a3f1".repeat(16);
        let lines = wrap(fonts, &[Span::regular(hash.clone())], 10.0, 60.0);
        assert!(lines.len() > 1);
        let joined: String = lines.iter().map(line_text).collect();
        assert_eq!(joined, hash);
        for line in &lines {
            assert!(line.width <= 60.01);
        }
    }

    #[test]
    fn forced_breaks_and_styles() {
        let fonts = fonts().unwrap();
        let spans = [Span::regular("Số phiếu phát ra: "), Span::bold("120\nSố phiếu thu về: 118")];
        let lines = wrap(fonts, &spans, 12.0, 400.0);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].pieces.len(), 2);
        assert_eq!(lines[0].pieces[1].style, FontStyle::Bold);
        assert_eq!(line_text(&lines[1]), "Số phiếu thu về: 118");
        assert!(lines[0].ends_paragraph, "a forced break is not justified");
    }

    #[test]
    fn justified_lines_fill_the_width_except_the_last() {
        let fonts = fonts().unwrap();
        let text = "Những đồng chí sau đây trúng cử Ban Chấp hành Đảng bộ phường Him Lam khóa mới";
        let mut lines = wrap(fonts, &[Span::regular(text)], 12.0, 200.0);
        let n = lines.len();
        for line in &mut lines {
            align_line(line, Align::Justify, 200.0, 12.0);
        }
        for line in &lines[..n - 1] {
            let drawn: f32 =
                line.pieces.iter().flat_map(|p| &p.glyphs).map(|g| g.advance * 12.0).sum();
            assert!((drawn - 200.0).abs() < 0.05, "{drawn}");
        }
        assert!(lines[n - 1].width < 200.0);
    }

    #[test]
    fn a_term_is_never_split_at_its_dash() {
        let fonts = fonts().unwrap();
        let text = "Ban Chấp hành Đảng bộ phường Him Lam khóa mới, nhiệm kỳ 2020 - 2025";
        for width in [120.0, 150.0, 200.0, 250.0, 300.0, 330.0, 360.0, 400.0] {
            let lines = wrap(fonts, &[Span::bold(text)], 12.0, width);
            let texts: Vec<String> = lines.iter().map(line_text).collect();
            assert!(texts.iter().any(|t| t.contains("2020 - 2025")), "{width}: {texts:?}");
            assert_eq!(texts.join(" "), text);
        }
    }

    #[test]
    fn centre_and_right_offsets() {
        let fonts = fonts().unwrap();
        let mut lines = wrap(fonts, &[Span::bold("BIÊN BẢN KIỂM PHIẾU")], 15.0, 400.0);
        let width = lines[0].width;
        assert!(
            (align_line(&mut lines[0], Align::Center, 400.0, 15.0) - (400.0 - width) / 2.0).abs()
                < 0.01
        );
        assert!(
            (align_line(&mut lines[0], Align::Right, 400.0, 15.0) - (400.0 - width)).abs() < 0.01
        );
        assert_eq!(align_line(&mut lines[0], Align::Left, 400.0, 15.0), 0.0);
    }
}
