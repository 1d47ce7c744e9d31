//! Vietnamese text: normalisation, search folding and sort keys.

use unicode_normalization::UnicodeNormalization;

/// Canonical composition (NFC).
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// The search key: lowercase, diacritics removed, đ → d, whitespace collapsed, ASCII only.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if ('\u{0300}'..='\u{036f}').contains(&c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A byte sort key for Vietnamese text.
pub fn collation_key(s: &str) -> Vec<u8> {
    let mut key = fold(s).into_bytes();
    key.push(0);
    key.extend(nfc(&s.to_lowercase()).into_bytes());
    key
}

/// The sort key of a person's name in Vietnamese list order: given name, family name, middle.
pub fn person_name_key(full_name: &str) -> Vec<u8> {
    let folded = fold(full_name);
    let words: Vec<&str> = folded.split(' ').collect();
    let mut reordered: Vec<&str> = Vec::new();
    if let Some((given, rest)) = words.split_last() {
        reordered.push(given);
        reordered.extend(rest);
    }
    collation_key(&reordered.join(" "))
}
