//! Vietnamese text: normalisation, the search key, collation keys and personal names.
//!
//! Everything that sorts or searches Vietnamese text goes through this module, so that a name
//! typed on a phone (often NFD), pasted from a Word file (usually NFC) or written with the old
//! tone placement ("Hoà" for "Hòa") is found and ordered the same way.

mod chars;
mod collate;
mod name;

pub use collate::{COLLATION_KEY_VERSION, collation_key};
pub use name::{NameError, PersonName, TITLES, name_order_key};

use chars::{Piece, decode_ascii, decode_char};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// `s` in Unicode Normalization Form C, the form daihoi stores.
pub fn nfc(s: &str) -> String {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return s.to_owned();
    }
    s.nfc().collect()
}

/// The search key of `s`: lower case ASCII with the diacritics removed (`đ` → `d`), white space
/// collapsed to single spaces and trimmed.
///
/// Typing "ha" finds "Hà", "nguyen van an" finds "Nguyễn Văn An". ASCII punctuation is kept;
/// other symbols (dashes, quotes) become spaces so that they never glue two words; letters of
/// other scripts are dropped. NFC and NFD input give the same key.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space_pending = false;
    let mut push = |piece: Piece, out: &mut String| {
        let byte = match piece {
            Piece::Latin { base, .. } => base,
            Piece::Digit(byte) | Piece::Punct(byte) => byte,
            Piece::Space | Piece::OtherSymbol(_) => {
                space_pending = !out.is_empty();
                return;
            }
            Piece::Mark(_) | Piece::OtherLetter(_) => return,
        };
        if space_pending {
            out.push(' ');
            space_pending = false;
        }
        out.push(char::from(byte));
    };
    for c in s.chars() {
        if c.is_ascii() {
            // The common case, kept free of the table lookup.
            push(decode_ascii(c as u8), &mut out);
        } else {
            decode_char(c, &mut |piece| push(piece, &mut out));
        }
    }
    out
}

/// The sort key of a person's name in Vietnamese list order — given name, family name, middle
/// names — for rosters and member lists stored in the database. Text that does not parse as a
/// name (empty, unbalanced parentheses) sorts by its plain collation key.
pub fn person_name_key(full_name: &str) -> Vec<u8> {
    match PersonName::parse(full_name) {
        Ok(name) => name_order_key(&name),
        Err(_) => collation_key(full_name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_strips_marks_and_case() {
        assert_eq!(fold("  Nguyễn   Văn\tAn "), "nguyen van an");
        assert_eq!(fold("ĐẶNG Thị Ẩn"), "dang thi an");
        assert_eq!(fold("Đ/c Hà–Nội"), "d/c ha noi");
    }

    #[test]
    fn fold_is_the_same_for_nfc_and_nfd() {
        let nfc_text = "Nguyễn Thị Hồng Tuyến";
        let nfd_text: String = nfc_text.nfd().collect();
        assert_ne!(nfc_text, nfd_text);
        assert_eq!(fold(nfc_text), fold(&nfd_text));
    }

    #[test]
    fn nfc_composes_decomposed_text() {
        let nfd_text: String = "Trọng".nfd().collect();
        assert_eq!(nfc(&nfd_text), "Trọng");
        assert_eq!(nfc("Trọng"), "Trọng");
    }
}
