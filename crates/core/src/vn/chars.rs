//! Decoding text into Latin base letters and the marks they carry, shared by `fold` and the
//! collation keys.
//!
//! Every character is taken apart by its full canonical decomposition, and marks are kept as a
//! *set* on the letter they follow. That makes NFC, NFD and any other canonically equivalent
//! spelling (`ê` + dot below, `ẹ` + circumflex, `ệ`) decode to the same letter, without
//! normalising whole strings first. The characters Vietnamese text is made of (ASCII, Latin-1,
//! Latin Extended-A/B and Latin Extended Additional) are decoded through a table built once.

use std::sync::OnceLock;

use unicode_normalization::char::{canonical_combining_class, decompose_canonical};

/// A set of combining marks, as bits.
pub(crate) type Marks = u16;

// Tone marks (dấu thanh). The names are the Vietnamese tones they write.
pub(crate) const HUYEN: Marks = 1 << 0; // U+0300 grave
pub(crate) const HOI: Marks = 1 << 1; // U+0309 hook above
pub(crate) const NGA: Marks = 1 << 2; // U+0303 tilde
pub(crate) const SAC: Marks = 1 << 3; // U+0301 acute
pub(crate) const NANG: Marks = 1 << 4; // U+0323 dot below
pub(crate) const TONE_MARKS: Marks = HUYEN | HOI | NGA | SAC | NANG;

// Marks that make a letter of the Vietnamese alphabet (ă â ê ô ơ ư đ).
pub(crate) const BREVE: Marks = 1 << 5; // U+0306
pub(crate) const CIRCUMFLEX: Marks = 1 << 6; // U+0302
pub(crate) const HORN: Marks = 1 << 7; // U+031B
pub(crate) const STROKE: Marks = 1 << 8; // đ has no decomposition; the table gives it this bit

// Marks foreign to Vietnamese. They never change the primary letter; they only separate
// otherwise equal strings at the last level. The bit order is part of the key format.
pub(crate) const DIAERESIS: Marks = 1 << 9; // U+0308
pub(crate) const RING: Marks = 1 << 10; // U+030A
pub(crate) const CARON: Marks = 1 << 11; // U+030C
pub(crate) const CEDILLA: Marks = 1 << 12; // U+0327
pub(crate) const MACRON: Marks = 1 << 13; // U+0304
pub(crate) const OTHER_MARK: Marks = 1 << 14; // any other combining mark
pub(crate) const FOREIGN_SHIFT: u32 = 9;

/// One decoded piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece {
    /// A Latin letter: its lowercase ASCII base, whether it was upper case, and its marks.
    Latin { base: u8, upper: bool, marks: Marks },
    /// A combining mark that belongs to the previous base character.
    Mark(Marks),
    /// Any white space.
    Space,
    /// An ASCII digit (the byte `b'0'..=b'9'`).
    Digit(u8),
    /// ASCII punctuation or symbol (the byte itself).
    Punct(u8),
    /// A letter or number of another script (Greek, Cyrillic, Han …), after decomposition.
    OtherLetter(char),
    /// A symbol or punctuation mark outside ASCII (dashes, quotes …).
    OtherSymbol(char),
}

/// Calls `emit` with the pieces of `c`, in order.
#[inline]
pub(crate) fn decode_char(c: char, emit: &mut impl FnMut(Piece)) {
    if c.is_ascii() {
        emit(decode_ascii(c as u8));
        return;
    }
    if let Some(piece) = table_lookup(c) {
        emit(piece);
        return;
    }
    decode_slow(c, emit);
}

/// The piece for one ASCII byte.
#[inline]
pub(crate) fn decode_ascii(byte: u8) -> Piece {
    match byte {
        b'a'..=b'z' => Piece::Latin { base: byte, upper: false, marks: 0 },
        b'A'..=b'Z' => Piece::Latin { base: byte.to_ascii_lowercase(), upper: true, marks: 0 },
        b'0'..=b'9' => Piece::Digit(byte),
        b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => Piece::Space,
        // Control characters other than white space carry nothing; treat them as space so that
        // they never glue two words together.
        0x00..=0x1f | 0x7f => Piece::Space,
        _ => Piece::Punct(byte),
    }
}

/// The mark bits of a combining character, or `None` if `c` is not a combining mark.
fn mark_bits(c: char) -> Option<Marks> {
    let bits = match c {
        '\u{0300}' => HUYEN,
        '\u{0309}' => HOI,
        '\u{0303}' => NGA,
        '\u{0301}' => SAC,
        '\u{0323}' => NANG,
        '\u{0306}' => BREVE,
        '\u{0302}' => CIRCUMFLEX,
        '\u{031B}' => HORN,
        '\u{0308}' => DIAERESIS,
        '\u{030A}' => RING,
        '\u{030C}' => CARON,
        '\u{0327}' => CEDILLA,
        '\u{0304}' => MACRON,
        _ if canonical_combining_class(c) != 0
            || unicode_normalization::char::is_combining_mark(c) =>
        {
            OTHER_MARK
        }
        _ => return None,
    };
    Some(bits)
}

/// Decodes a character outside ASCII and outside the table: full canonical decomposition.
#[cold]
fn decode_slow(c: char, emit: &mut impl FnMut(Piece)) {
    decompose_canonical(c, |part| {
        if part.is_ascii() {
            emit(decode_ascii(part as u8));
        } else if let Some(bits) = mark_bits(part) {
            emit(Piece::Mark(bits));
        } else if part.is_whitespace() {
            emit(Piece::Space);
        } else if part.is_alphanumeric() {
            emit(Piece::OtherLetter(part));
        } else {
            emit(Piece::OtherSymbol(part));
        }
    });
}

// The table covers U+00C0..U+0250 (Latin-1 letters, Latin Extended-A and -B, where ơ ư đ
// live), the combining marks U+0300..U+0370 and U+1E00..U+1F00 (Latin Extended Additional,
// where most precomposed Vietnamese letters live).
const RANGES: [(u32, u32); 3] = [(0x00C0, 0x0250), (0x0300, 0x0370), (0x1E00, 0x1F00)];

/// Packed table entry: 0 = decode the slow way; otherwise bit 31 marks a combining mark (bits
/// 0..16 are its marks), or bits 0..8 the lowercase base, bit 8 upper case, bits 16..32 marks.
fn table() -> &'static [u32] {
    static TABLE: OnceLock<Box<[u32]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let len: u32 = RANGES.iter().map(|(start, end)| end - start).sum();
        let mut table = Vec::with_capacity(len as usize);
        for (start, end) in RANGES {
            for code in start..end {
                table.push(char::from_u32(code).map_or(0, pack));
            }
        }
        table.into_boxed_slice()
    })
}

/// The packed entry for `c` (see [`table`]).
fn pack(c: char) -> u32 {
    if c == 'đ' || c == 'Đ' {
        let upper = u32::from(c == 'Đ');
        return u32::from(b'd') | (upper << 8) | (u32::from(STROKE) << 16);
    }
    let mut pieces = Vec::with_capacity(4);
    decode_slow(c, &mut |piece| pieces.push(piece));
    match pieces.as_slice() {
        [Piece::Mark(bits)] => (1 << 31) | u32::from(*bits),
        [Piece::Latin { base, upper, marks: 0 }, rest @ ..] => {
            let mut marks: Marks = 0;
            for piece in rest {
                match piece {
                    Piece::Mark(bits) => marks |= bits,
                    _ => return 0,
                }
            }
            u32::from(*base) | (u32::from(*upper) << 8) | (u32::from(marks) << 16)
        }
        _ => 0,
    }
}

#[inline]
fn table_lookup(c: char) -> Option<Piece> {
    let code = c as u32;
    let mut offset = 0;
    for (start, end) in RANGES {
        if code < start {
            return None;
        }
        if code < end {
            let entry = table()[(offset + code - start) as usize];
            return unpack(entry);
        }
        offset += end - start;
    }
    None
}

#[inline]
fn unpack(entry: u32) -> Option<Piece> {
    if entry == 0 {
        None
    } else if entry & (1 << 31) != 0 {
        Some(Piece::Mark(entry as Marks))
    } else {
        Some(Piece::Latin {
            base: entry as u8,
            upper: entry & (1 << 8) != 0,
            marks: (entry >> 16) as Marks,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(s: &str) -> Vec<Piece> {
        let mut out = Vec::new();
        for c in s.chars() {
            decode_char(c, &mut |p| out.push(p));
        }
        out
    }

    #[test]
    fn precomposed_letters_decode_to_base_and_marks() {
        assert_eq!(
            pieces("Ệ"),
            vec![Piece::Latin { base: b'e', upper: true, marks: CIRCUMFLEX | NANG }]
        );
        assert_eq!(pieces("ư"), vec![Piece::Latin { base: b'u', upper: false, marks: HORN }]);
        assert_eq!(pieces("Đ"), vec![Piece::Latin { base: b'd', upper: true, marks: STROKE }]);
    }

    #[test]
    fn decomposed_letters_give_the_same_marks() {
        let nfd = pieces("e\u{0323}\u{0302}");
        assert_eq!(nfd[0], Piece::Latin { base: b'e', upper: false, marks: 0 });
        assert_eq!(nfd[1..], [Piece::Mark(NANG), Piece::Mark(CIRCUMFLEX)]);
    }

    #[test]
    fn other_scripts_and_symbols_are_kept_apart() {
        assert_eq!(pieces("ж–"), vec![Piece::OtherLetter('ж'), Piece::OtherSymbol('–')]);
        assert_eq!(pieces("\u{00A0}"), vec![Piece::Space]);
    }
}
