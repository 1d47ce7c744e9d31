//! Vietnamese personal names, parsed once: title, family name, middle names, given name, and a
//! parenthesised aside; and the key that puts names in ballot order.

use std::fmt;
use std::sync::OnceLock;

use super::collate::push_part_key;
use super::{fold, nfc};

/// Titles that may stand before a name on a list and are not part of it (data, not logic).
///
/// Matching ignores case and tone placement ("Hoà thượng" = "Hòa thượng"). Longer titles are
/// tried first, and several may follow each other ("Đồng chí GS.TS. Nguyễn Văn An").
pub const TITLES: &[&str] = &[
    // Civil forms of address.
    "Ông",
    "Bà",
    "Đồng chí",
    "Đ/c",
    // Academic and professional titles as lists print them.
    "GS.",
    "PGS.",
    "TS.",
    "ThS.",
    "BS.",
    "GS.TS.",
    "PGS.TS.",
    "GS.TSKH.",
    // Buddhist clergy.
    "Hòa thượng",
    "Thượng tọa",
    "Đại đức",
    "Ni trưởng",
    "Ni sư",
    "Sư cô",
    "Sư thầy",
    // Catholic clergy and religious.
    "Hồng y",
    "Tổng giám mục",
    "Giám mục",
    "Linh mục",
    "Nữ tu",
    // Protestant clergy.
    "Mục sư",
    "Truyền đạo",
    // Cao Đài and other faiths' dignitaries.
    "Giáo hữu",
    "Lễ sanh",
    "Chánh trị sự",
];

/// Why a line is not a person's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// Nothing but white space (or only a parenthesised aside) where a name should be.
    Empty,
    /// A `)` without its `(`, or a `(` never closed.
    UnbalancedParentheses,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => f.write_str("empty name"),
            NameError::UnbalancedParentheses => f.write_str("unbalanced parentheses in the name"),
        }
    }
}

impl std::error::Error for NameError {}

/// A person's name, parsed once.
///
/// Vietnamese names are written family name (họ), middle names (tên đệm), given name (tên, the
/// last word). A leading title and anything in parentheses after the name (another name, a
/// religious name) are kept for printing and ignored for ordering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName {
    text: String,
    title: Option<String>,
    family: String,
    middle: Vec<String>,
    given: String,
    aside: Option<String>,
}

impl PersonName {
    /// Parses `text` (NFC or NFD). The original text is kept byte for byte for printing.
    ///
    /// A single word is taken as the given name, with no family name. A title is only taken
    /// off when at least two words remain, so "Bà Hồng" stays a two-word name; in the other
    /// direction "Ông" is also a (rare) family name, and "Ông Văn Dũng" is read as the title
    /// "Ông" before "Văn Dũng": the given name, which decides the order, is the same either way.
    pub fn parse(text: &str) -> Result<PersonName, NameError> {
        let normal = nfc(text);
        let (name_part, aside) = split_aside(&normal)?;
        let mut words: Vec<&str> = name_part.split_whitespace().collect();
        if words.is_empty() {
            return Err(NameError::Empty);
        }
        let title_len = title_words(&words);
        let title = (title_len > 0).then(|| words[..title_len].join(" "));
        words.drain(..title_len);
        let (family, middle, given) = match words.as_slice() {
            [given] => (String::new(), Vec::new(), (*given).to_owned()),
            [family, middle @ .., given] => (
                (*family).to_owned(),
                middle.iter().map(|word| (*word).to_owned()).collect(),
                (*given).to_owned(),
            ),
            [] => return Err(NameError::Empty),
        };
        Ok(PersonName { text: text.to_owned(), title, family, middle, given, aside })
    }

    /// The text exactly as given.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The leading title(s), NFC, words joined by single spaces.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The family name (họ), NFC; empty for a one-word name.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// The middle names (tên đệm), NFC, possibly none.
    pub fn middle(&self) -> &[String] {
        &self.middle
    }

    /// The given name (tên), the last word, NFC.
    pub fn given(&self) -> &str {
        &self.given
    }

    /// The text in parentheses after the name, with its parentheses, NFC.
    pub fn aside(&self) -> Option<&str> {
        self.aside.as_deref()
    }

    /// The name without title and aside: family, middle and given names, NFC.
    pub fn full_name(&self) -> String {
        let mut words: Vec<&str> = Vec::with_capacity(self.middle.len() + 2);
        if !self.family.is_empty() {
            words.push(&self.family);
        }
        words.extend(self.middle.iter().map(String::as_str));
        words.push(&self.given);
        words.join(" ")
    }
}

/// The byte key that puts names in ballot order: given name, then family name, then the
/// middle names, each compared letters first and then tones.
///
/// Election rules §3.4: the list is "sorted by the given name in A, B, C order"; the State
/// election guidance breaks ties by family name, then middle name (then birth date, which is
/// the caller's business).
///
/// Decision, tones *per part*: each part is compared in full — letters, then tones — before
/// the next part is looked at, so "Nguyễn Ha" comes before "Lê Hà" (Ha before Hà), where a
/// letters-across-all-parts rule would put "Lê Hà" first (Le before Nguyen). Evidence: the
/// reference lists (tests/data/ballot-order) are consistent with both rules — the only pairs
/// whose given names share their letters are "Nguyễn Thị Hà Tuyên" / "Nguyễn Thị Hồng
/// Tuyến" (both rules put Tuyên first: the tones say so, and so do the middle names "Hà" <
/// "Hồng") and the identical "Cường" / "Cường" — so the lists cannot decide. The wording of
/// the rule can: the family name is consulted only for the *same* given name, and Hà and Ha
/// are different given names. It is also what list makers do in practice, sorting a
/// spreadsheet by the columns Tên, Họ, Tên đệm, each compared fully.
///
/// Case and the tone's placement ("Hoà"/"Hòa") do not count: such names are the same name
/// and go to the birth date. Title and aside are ignored.
pub fn name_order_key(name: &PersonName) -> Vec<u8> {
    // Each part is `PRIMARY 0x01 SECONDARY 0x00`; the terminator 0x00 sorts below every weight,
    // so a part that ends first sorts first and the next part starts aligned.
    const PART_END: u8 = 0x00;
    let middle = name.middle.join(" ");
    let mut key = Vec::with_capacity(2 * (name.given.len() + name.family.len() + middle.len()));
    for part in [name.given.as_str(), name.family.as_str(), middle.as_str()] {
        push_part_key(part, &mut key);
        key.push(PART_END);
    }
    key
}

/// Splits off a parenthesised aside: the name is what comes before the first `(`.
fn split_aside(text: &str) -> Result<(&str, Option<String>), NameError> {
    let Some(open) = text.find('(') else {
        if text.contains(')') {
            return Err(NameError::UnbalancedParentheses);
        }
        return Ok((text, None));
    };
    let (name_part, aside) = text.split_at(open);
    let mut depth = 0usize;
    for c in aside.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.checked_sub(1).ok_or(NameError::UnbalancedParentheses)?,
            _ => {}
        }
    }
    if depth != 0 || name_part.contains(')') {
        return Err(NameError::UnbalancedParentheses);
    }
    Ok((name_part, Some(aside.trim().to_owned())))
}

/// How many leading words of `words` are titles (leaving at least two words of name).
fn title_words(words: &[&str]) -> usize {
    let titles = title_keys();
    let mut taken = 0;
    'outer: loop {
        // Most names start with no title: a cheap look at the first word's search key rules
        // them out before any collation key is made.
        let Some(first) = words.get(taken) else { return taken };
        if !titles.first_words.contains(&fold(first)) {
            return taken;
        }
        // One key per candidate length, longest first; each compared with the titles of
        // that many words.
        for (title_len, keys) in &titles.by_length {
            if words.len() < taken + title_len + 2 {
                continue;
            }
            let candidate = loose_key(&words[taken..taken + title_len].join(" "));
            if keys.contains(&candidate) {
                taken += title_len;
                continue 'outer;
            }
        }
        return taken;
    }
}

/// The titles prepared for matching.
struct TitleKeys {
    /// Search keys of the titles' first words.
    first_words: Vec<String>,
    /// Title keys grouped by word count, longest first.
    by_length: Vec<(usize, Vec<Vec<u8>>)>,
}

fn title_keys() -> &'static TitleKeys {
    static KEYS: OnceLock<TitleKeys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut by_length: Vec<(usize, Vec<Vec<u8>>)> = Vec::new();
        let mut first_words = Vec::new();
        for title in TITLES {
            let len = title.split_whitespace().count();
            match by_length.iter_mut().find(|(group_len, _)| *group_len == len) {
                Some((_, keys)) => keys.push(loose_key(title)),
                None => by_length.push((len, vec![loose_key(title)])),
            }
            first_words.extend(title.split_whitespace().next().map(fold));
        }
        by_length.sort_by_key(|(len, _)| std::cmp::Reverse(*len));
        first_words.sort();
        first_words.dedup();
        TitleKeys { first_words, by_length }
    })
}

/// Letters and tones without case, for matching titles.
fn loose_key(text: &str) -> Vec<u8> {
    let mut key = Vec::new();
    push_part_key(text, &mut key);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parts() {
        let name = PersonName::parse("Nguyễn Thị Hồng Tuyến").unwrap();
        assert_eq!(name.family(), "Nguyễn");
        assert_eq!(name.middle(), ["Thị", "Hồng"]);
        assert_eq!(name.given(), "Tuyến");
        assert_eq!(name.title(), None);
    }

    #[test]
    fn parses_titles_and_asides() {
        let name = PersonName::parse("Hoà thượng Thích Trí  Quảng (Lê Văn Khéo)").unwrap();
        assert_eq!(name.title(), Some("Hoà thượng"));
        assert_eq!(name.family(), "Thích");
        assert_eq!(name.given(), "Quảng");
        assert_eq!(name.aside(), Some("(Lê Văn Khéo)"));
        assert_eq!(name.text(), "Hoà thượng Thích Trí  Quảng (Lê Văn Khéo)");
        assert_eq!(name.full_name(), "Thích Trí Quảng");
    }

    #[test]
    fn chained_titles_come_off_together() {
        let name = PersonName::parse("Đồng chí GS.TS. Nguyễn Văn An").unwrap();
        assert_eq!(name.title(), Some("Đồng chí GS.TS."));
        assert_eq!(name.family(), "Nguyễn");
    }

    #[test]
    fn title_stays_when_only_one_word_would_remain() {
        let name = PersonName::parse("Bà Hồng").unwrap();
        assert_eq!(name.title(), None);
        assert_eq!(name.family(), "Bà");
        assert_eq!(name.given(), "Hồng");
    }

    #[test]
    fn rejects_empty_and_unbalanced() {
        assert_eq!(PersonName::parse("   "), Err(NameError::Empty));
        assert_eq!(PersonName::parse("(Tư)"), Err(NameError::Empty));
        assert_eq!(PersonName::parse("Lê Văn (Tư"), Err(NameError::UnbalancedParentheses));
        assert_eq!(PersonName::parse("Lê Văn Tư)"), Err(NameError::UnbalancedParentheses));
    }

    #[test]
    fn one_word_is_a_given_name() {
        let name = PersonName::parse("Hồng").unwrap();
        assert_eq!((name.family(), name.given()), ("", "Hồng"));
    }
}
