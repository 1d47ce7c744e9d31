//! Vietnamese text keys: collation order against lists in `tests/data/collation/` (each file is
//! in Vietnamese alphabetical order, one entry a line; `check` shuffles it, sorts by
//! `collation_key` and expects the file back), and properties of `fold`, `collation_key` and
//! `name_order_key`.
//!
//! The lists are their own expectations, written by hand; there is nothing to regenerate.

use std::path::{Path, PathBuf};

use daihoi_core::vn::{PersonName, collation_key, fold, name_order_key, nfc};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

#[test]
fn collation_lists() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/collation");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("collation data")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 3);
    for file in files {
        check(&file);
    }
}

/// Sorts the (reversed and rotated) lines of `file` by key and expects the file order; each
/// key strictly above the one before, and the same in NFD.
fn check(file: &Path) {
    let text = std::fs::read_to_string(file).expect("list");
    let expected: Vec<&str> = text.lines().collect();
    for (a, b) in expected.iter().zip(expected.iter().skip(1)) {
        assert!(collation_key(a) < collation_key(b), "{}: {a:?} < {b:?}", file.display());
        let (a_nfd, b_nfd): (String, String) = (a.nfd().collect(), b.nfd().collect());
        assert!(collation_key(&a_nfd) < collation_key(&b_nfd), "NFD {a:?} < {b:?}");
    }
    let mut reversed = expected.clone();
    reversed.reverse();
    let mut rotated = expected.clone();
    rotated.rotate_left(expected.len() / 2);
    for mut lines in [reversed, rotated] {
        lines.sort_by_cached_key(|line| collation_key(line));
        assert_eq!(lines, expected, "{}", file.display());
    }
}

#[test]
fn known_orders() {
    let ordered = [
        // Letters first, then tones, then case.
        ("an", "An"),
        ("An", "àn"),
        ("hoa", "hòa"),
        ("hòa", "hoan"),
        // Tones in the order ngang, huyền, hỏi, ngã, sắc, nặng.
        ("ma", "mà"),
        ("mà", "mả"),
        ("mả", "mã"),
        ("mã", "má"),
        ("má", "mạ"),
        ("mạ", "mă"),
        // Numbers by value, before letters.
        ("Chi bộ 9", "Chi bộ 10"),
        ("Chi bộ 10", "Chi bộ A"),
        ("Tổ 007", "Tổ 8"),
        // Punctuation before digits, which come before letters.
        ("A-1", "A1"),
        ("A 1", "A-1"),
        // Foreign letters in their Latin places.
        ("Email", "Fanpage"),
        ("Fanpage", "Gia"),
        ("Iran", "Jakarta"),
        ("Jakarta", "Kon Tum"),
        ("Vũng Tàu", "Washington"),
        ("Yên Bái", "Zambia"),
    ];
    for (a, b) in ordered {
        assert!(collation_key(a) < collation_key(b), "{a:?} < {b:?}");
    }
    // Same key: white space runs, leading and trailing space, and tone placement.
    for (a, b) in [("Hà  Nội ", " Hà Nội"), ("Khoẻ", "Khỏe"), ("Hoà Bình", "Hòa Bình")]
    {
        assert_eq!(collation_key(a), collation_key(b), "{a:?} = {b:?}");
    }
    assert_ne!(collation_key("Tổ 007"), collation_key("Tổ 7"), "leading zeros count last");
}

/// Text of Vietnamese letters, digits and spaces, upper and lower case.
fn vietnamese_text() -> impl Strategy<Value = String> {
    "[a-zA-ZàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĐÀÁẢÃẠĂẰẮÂẦẤÊỀẾÔỒỐƠỜỚƯỪỨ 0-9-]{0,24}"
}

/// Text with loose combining marks, other scripts and symbols, to stress normalisation.
fn mixed_text() -> impl Strategy<Value = String> {
    prop_oneof![
        vietnamese_text(),
        "[aeouyAEOUdĐđ \u{0300}\u{0301}\u{0302}\u{0303}\u{0306}\u{0308}\u{0309}\u{031B}\u{0323}\u{0327}]{0,16}",
        any::<String>(),
    ]
}

/// Removes the five tone marks, keeping letters (ă, â, ê, ô, ơ, ư, đ).
fn strip_tones(s: &str) -> String {
    let tones = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];
    s.nfd().filter(|c| !tones.contains(c)).nfc().collect()
}

/// The key up to the tertiary level (primary, separator, secondary).
fn without_case(key: &[u8]) -> &[u8] {
    let last_separator = key.iter().rposition(|&b| b == 0x01).expect("separator");
    &key[..last_separator]
}

proptest! {
    #[test]
    fn nfc_and_nfd_give_the_same_keys(text in mixed_text()) {
        let composed = nfc(&text);
        let decomposed: String = text.nfd().collect();
        prop_assert_eq!(fold(&composed), fold(&decomposed));
        prop_assert_eq!(collation_key(&composed), collation_key(&decomposed));
        prop_assert_eq!(collation_key(&text), collation_key(&composed));
    }

    #[test]
    fn fold_is_lowercase_ascii_with_single_spaces(text in mixed_text()) {
        let folded = fold(&text);
        prop_assert!(folded.is_ascii());
        prop_assert!(!folded.bytes().any(|b| b.is_ascii_uppercase()));
        prop_assert!(!folded.starts_with(' ') && !folded.ends_with(' '));
        prop_assert!(!folded.contains("  "));
        prop_assert_eq!(fold(&folded), folded.clone(), "folding twice changes nothing");
    }

    #[test]
    fn fold_strips_every_vietnamese_mark(text in vietnamese_text()) {
        // An independent spelling of the same rule: decompose, drop the marks, đ → d.
        let expected: String = text
            .nfd()
            .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
            .map(|c| match c { 'đ' | 'Đ' => 'd', c => c.to_ascii_lowercase() })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        prop_assert_eq!(fold(&text), expected);
    }

    #[test]
    fn tones_only_break_ties_between_equal_letters(a in vietnamese_text(), b in vietnamese_text()) {
        let (a_plain, b_plain) = (collation_key(&strip_tones(&a)), collation_key(&strip_tones(&b)));
        let (a_primary, b_primary) = (primary(&a_plain), primary(&b_plain));
        if a_primary != b_primary {
            prop_assert_eq!(collation_key(&a).cmp(&collation_key(&b)), a_primary.cmp(b_primary));
        }
    }

    #[test]
    fn case_only_counts_at_the_last_level(text in vietnamese_text()) {
        let lower = collation_key(&text.to_lowercase());
        let upper = collation_key(&text.to_uppercase());
        prop_assert_eq!(without_case(&lower), without_case(&upper));
        prop_assert!(lower <= upper);
    }

    #[test]
    fn name_keys_ignore_normal_form_case_and_title(
        family in "[A-ZĐ][a-zàáảãạăâđèéêìíòóôơùúưỳý]{1,6}",
        given in "[A-ZĐ][a-zàáảãạăâđèéêìíòóôơùúưỳý]{1,6}",
    ) {
        let text = format!("{family} Văn {given}");
        let plain = PersonName::parse(&text).expect("name");
        let decomposed = PersonName::parse(&text.nfd().collect::<String>()).expect("NFD name");
        let titled = PersonName::parse(&format!("Ông {text} (Tư)")).expect("titled name");
        let shouting = PersonName::parse(&text.to_uppercase()).expect("upper-case name");
        prop_assert_eq!(name_order_key(&plain), name_order_key(&decomposed));
        prop_assert_eq!(name_order_key(&plain), name_order_key(&titled));
        prop_assert_eq!(name_order_key(&plain), name_order_key(&shouting));
    }
}

/// The primary level of a key (up to the first separator outside a multi-byte weight is what
/// matters for these texts, which have no other-script letters or symbols).
fn primary(key: &[u8]) -> &[u8] {
    // Vietnamese letters, digits, spaces and '-' only: the first 0x01 that is not inside a
    // number weight ends the primary level. Walk the weights to find it.
    let mut i = 0;
    while i < key.len() {
        match key[i] {
            0x01 => return &key[..i],
            0x28 => i += 2 + usize::from(key[i + 1]),
            _ => i += 1,
        }
    }
    key
}
