//! Vietnamese collation keys: byte strings whose plain byte order (`memcmp`, SQLite BLOB,
//! PostgreSQL `bytea`) is Vietnamese alphabetical order.
//!
//! # Key format, version 1 ([`COLLATION_KEY_VERSION`])
//!
//! A key has three levels, `PRIMARY 0x01 SECONDARY 0x01 TERTIARY`, compared one after the
//! other, as in the Unicode Collation Algorithm:
//!
//! 1. **Primary: the letters.** One weight per element, in text order:
//!    - white space (any run, leading and trailing space ignored): `0x02`;
//!    - ASCII punctuation and symbols: `0x03 + n`, `n` the rank of the byte among the 32 ASCII
//!      punctuation bytes in ASCII order (so `!` = `0x03`, `~` = `0x22`);
//!    - other symbols (dashes, quotes …): `0x24` then the code point in 3 bytes;
//!    - a run of ASCII digits is one number, compared by value: `0x28`, the count of digits
//!      without leading zeros (one byte if below 255, else `0xFF` and 4 bytes), then the
//!      digits (`b'0'..=b'9'`); "Chi bộ 2" sorts before "Chi bộ 10";
//!    - Latin letters: `0x40 + n`, `n` the rank in the Vietnamese alphabet extended with the
//!      foreign letters in Latin order: a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u
//!      ư v w x y z (`a` = `0x40`, `z` = `0x60`). Upper and lower case weigh the same.
//!      Each letter is one weight: `nh`, `ch`, `th`, `ng`, `gi`, `qu` are two letters each, as
//!      in Vietnamese dictionaries;
//!    - letters and numbers of other scripts: `0xF0` then the code point in 3 bytes.
//! 2. **Secondary: the tones.** One weight per word (a run of Latin letters), the word's tone:
//!    ngang `0x02`, huyền `0x03`, hỏi `0x04`, ngã `0x05`, sắc `0x06`, nặng `0x07`. The tone
//!    belongs to the syllable, not to the vowel that carries it, so the old and new placements
//!    ("Hoà" and "Hòa", "Thuý" and "Thúy") weigh the same.
//! 3. **Tertiary: case and foreign marks.** One weight per Latin letter: `0x02`, `+1` for upper
//!    case, `+2 × m` where `m` is the set of marks foreign to Vietnamese (ü, ç, å …) as bits;
//!    one weight per other-script letter (`0x02 +` its mark count) and per number
//!    (`0x02 +` its leading zeros).
//!
//! Trailing `0x02` weights are dropped from levels 2 and 3 (`0x02` is the lowest weight and the
//! separator `0x01` sorts below it, so order is unchanged). The separator never occurs where a
//! weight could start; bytes that follow a lead byte (`0x24`, `0x28`, `0xF0`) have a fixed
//! length, so two keys that agree up to some byte are always at the same place in their parse.
//!
//! Keys are stored in the database: any change to this format must bump
//! [`COLLATION_KEY_VERSION`] and recompute every stored key.

use super::chars::{
    BREVE, CIRCUMFLEX, FOREIGN_SHIFT, HOI, HORN, HUYEN, Marks, NANG, NGA, OTHER_MARK, Piece, SAC,
    STROKE, TONE_MARKS, decode_char,
};

/// Version of the key format written by [`collation_key`] and `name_order_key`. Stored keys
/// made with another version must be recomputed.
pub const COLLATION_KEY_VERSION: u32 = 1;

/// Separates the levels of a key; lower than every weight.
pub(crate) const LEVEL_SEPARATOR: u8 = 0x01;
const LOWEST_WEIGHT: u8 = 0x02;

const SPACE: u8 = 0x02;
const PUNCT_BASE: u8 = 0x03;
const OTHER_SYMBOL: u8 = 0x24;
const NUMBER: u8 = 0x28;
const LETTER_BASE: u8 = 0x40;
const OTHER_LETTER: u8 = 0xF0;

/// The Vietnamese alphabet with the foreign letters f j w z in their Latin places.
/// `(base, modifier)`: the rank of a letter is its position in this list.
const ALPHABET: [(u8, Marks); 33] = [
    (b'a', 0),
    (b'a', BREVE),
    (b'a', CIRCUMFLEX),
    (b'b', 0),
    (b'c', 0),
    (b'd', 0),
    (b'd', STROKE),
    (b'e', 0),
    (b'e', CIRCUMFLEX),
    (b'f', 0),
    (b'g', 0),
    (b'h', 0),
    (b'i', 0),
    (b'j', 0),
    (b'k', 0),
    (b'l', 0),
    (b'm', 0),
    (b'n', 0),
    (b'o', 0),
    (b'o', CIRCUMFLEX),
    (b'o', HORN),
    (b'p', 0),
    (b'q', 0),
    (b'r', 0),
    (b's', 0),
    (b't', 0),
    (b'u', 0),
    (b'u', HORN),
    (b'v', 0),
    (b'w', 0),
    (b'x', 0),
    (b'y', 0),
    (b'z', 0),
];

/// A Vietnamese tone (thanh điệu), in collation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Tone {
    /// Level tone, no mark ("a").
    Ngang,
    /// Grave ("à").
    Huyen,
    /// Hook above ("ả").
    Hoi,
    /// Tilde ("ã").
    Nga,
    /// Acute ("á").
    Sac,
    /// Dot below ("ạ").
    Nang,
}

impl Tone {
    fn weight(self) -> u8 {
        LOWEST_WEIGHT + self as u8
    }

    /// The tone written by the lowest tone bit of `marks`, if any.
    fn from_marks(marks: Marks) -> Option<Tone> {
        // Bit order HUYEN, HOI, NGA, SAC, NANG is the tone order, so the lowest bit wins.
        let tone_bits = marks & TONE_MARKS;
        if tone_bits == 0 {
            return None;
        }
        Some(match tone_bits & tone_bits.wrapping_neg() {
            HUYEN => Tone::Huyen,
            HOI => Tone::Hoi,
            NGA => Tone::Nga,
            SAC => Tone::Sac,
            NANG => Tone::Nang,
            _ => return None,
        })
    }
}

/// The byte sort key of `text` in Vietnamese alphabetical order (format above).
///
/// NFC and NFD spellings give the same key. Comparing two keys with `<` on byte strings gives
/// the order of a Vietnamese dictionary: letters first (case-insensitive), then tones, then
/// case.
pub fn collation_key(text: &str) -> Vec<u8> {
    let mut levels = Levels::with_capacity(text.len());
    levels.push_text(text);
    let mut key = levels.primary;
    key.push(LEVEL_SEPARATOR);
    key.extend_from_slice(trim_lowest(&levels.secondary));
    key.push(LEVEL_SEPARATOR);
    key.extend_from_slice(trim_lowest(&levels.tertiary));
    key
}

/// The key of one part of a name for name order: `PRIMARY 0x01 SECONDARY`, no case level.
pub(crate) fn push_part_key(part: &str, key: &mut Vec<u8>) {
    let mut levels = Levels::with_capacity(part.len());
    levels.push_text(part);
    key.extend_from_slice(&levels.primary);
    key.push(LEVEL_SEPARATOR);
    key.extend_from_slice(trim_lowest(&levels.secondary));
}

fn trim_lowest(level: &[u8]) -> &[u8] {
    let end = level.iter().rposition(|&weight| weight != LOWEST_WEIGHT).map_or(0, |i| i + 1);
    &level[..end]
}

/// An element waiting for the marks that may follow it.
#[derive(Clone, Copy)]
enum Pending {
    Nothing,
    Latin { base: u8, upper: bool, marks: Marks },
    OtherLetter { code: char, marks: Marks },
}

/// The three levels being built, with the state of the current word and number.
struct Levels {
    primary: Vec<u8>,
    secondary: Vec<u8>,
    tertiary: Vec<u8>,
    pending: Pending,
    /// Inside a word of Latin letters; `Some(tone)` once a letter of the word carried a tone.
    word: Option<Option<Tone>>,
    digits: Vec<u8>,
    space_pending: bool,
}

impl Levels {
    fn with_capacity(len: usize) -> Levels {
        Levels {
            // Room for all three levels, so that the key is built without reallocating.
            primary: Vec::with_capacity(2 * len + 4),
            secondary: Vec::with_capacity(len / 3 + 2),
            tertiary: Vec::with_capacity(len + 2),
            pending: Pending::Nothing,
            word: None,
            digits: Vec::new(),
            space_pending: false,
        }
    }

    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            decode_char(c, &mut |piece| self.push_piece(piece));
        }
        self.flush_pending();
        self.end_number();
        self.end_word();
    }

    fn push_piece(&mut self, piece: Piece) {
        if let Piece::Mark(bits) = piece {
            match &mut self.pending {
                Pending::Latin { marks, .. } | Pending::OtherLetter { marks, .. } => {
                    *marks |= bits;
                }
                // A mark with no letter to sit on (after a space, digit or symbol) is the same
                // in every normal form; it adds nothing to the order.
                Pending::Nothing => {}
            }
            return;
        }
        self.flush_pending();
        match piece {
            Piece::Latin { base, upper, marks } => {
                self.end_number();
                self.pending = Pending::Latin { base, upper, marks };
            }
            Piece::OtherLetter(code) => {
                self.end_number();
                self.end_word();
                self.pending = Pending::OtherLetter { code, marks: 0 };
            }
            Piece::Digit(digit) => {
                self.end_word();
                if self.digits.is_empty() {
                    self.start_element();
                }
                self.digits.push(digit);
            }
            Piece::Space => {
                self.end_number();
                self.end_word();
                if !self.primary.is_empty() {
                    self.space_pending = true;
                }
            }
            Piece::Punct(byte) => {
                self.end_number();
                self.end_word();
                self.start_element();
                self.primary.push(PUNCT_BASE + punct_rank(byte));
            }
            Piece::OtherSymbol(code) => {
                self.end_number();
                self.end_word();
                self.start_element();
                self.primary.push(OTHER_SYMBOL);
                push_code_point(&mut self.primary, code);
            }
            Piece::Mark(_) => {}
        }
    }

    /// Writes the collapsed space before a new element, if one is owed.
    fn start_element(&mut self) {
        if self.space_pending {
            self.primary.push(SPACE);
            self.space_pending = false;
        }
    }

    fn flush_pending(&mut self) {
        match std::mem::replace(&mut self.pending, Pending::Nothing) {
            Pending::Nothing => {}
            Pending::Latin { base, upper, marks } => self.push_latin(base, upper, marks),
            Pending::OtherLetter { code, marks } => {
                self.start_element();
                self.primary.push(OTHER_LETTER);
                push_code_point(&mut self.primary, code);
                let mark_count = marks.count_ones() as u8;
                self.tertiary.push(LOWEST_WEIGHT + mark_count);
            }
        }
    }

    fn push_latin(&mut self, base: u8, upper: bool, marks: Marks) {
        if self.word.is_none() {
            self.start_element();
            self.word = Some(None);
        }
        let (rank, used) = letter_rank(base, marks);
        let mut foreign = marks & !(used | TONE_MARKS);
        // Letter-forming marks on a letter that does not take them (ĕ, ŭ …) are foreign here.
        if foreign & (BREVE | CIRCUMFLEX | HORN | STROKE) != 0 {
            foreign = (foreign & !(BREVE | CIRCUMFLEX | HORN | STROKE)) | OTHER_MARK;
        }
        if let Some(tone) = Tone::from_marks(marks) {
            // A second tone mark on one letter is not Vietnamese.
            if (marks & TONE_MARKS).count_ones() > 1 {
                foreign |= OTHER_MARK;
            }
            match &mut self.word {
                Some(word_tone @ None) => *word_tone = Some(tone),
                // A second toned letter in one syllable: not Vietnamese, keep it apart.
                _ => foreign |= OTHER_MARK,
            }
        }
        self.primary.push(LETTER_BASE + rank);
        let foreign_index = (foreign >> FOREIGN_SHIFT) as u8;
        self.tertiary.push(LOWEST_WEIGHT + u8::from(upper) + 2 * foreign_index);
    }

    fn end_word(&mut self) {
        if let Some(tone) = self.word.take() {
            self.secondary.push(tone.unwrap_or(Tone::Ngang).weight());
        }
    }

    fn end_number(&mut self) {
        if self.digits.is_empty() {
            return;
        }
        let first_significant = self.digits.iter().position(|&d| d != b'0');
        let (leading_zeros, significant) = match first_significant {
            Some(i) => (i, &self.digits[i..]),
            // All zeros: the number 0, written with one significant digit.
            None => (self.digits.len() - 1, &self.digits[self.digits.len() - 1..]),
        };
        self.primary.push(NUMBER);
        match u8::try_from(significant.len()) {
            Ok(len) if len < 0xFF => self.primary.push(len),
            _ => {
                self.primary.push(0xFF);
                let len = u32::try_from(significant.len()).unwrap_or(u32::MAX);
                self.primary.extend_from_slice(&len.to_be_bytes());
            }
        }
        self.primary.extend_from_slice(significant);
        let zeros = u8::try_from(leading_zeros).unwrap_or(u8::MAX).min(0xFD);
        self.tertiary.push(LOWEST_WEIGHT + zeros);
        self.digits.clear();
    }
}

/// Rank in [`ALPHABET`] of each plain ASCII letter `a..=z`, computed from the alphabet.
const PLAIN_RANK: [u8; 26] = {
    let mut ranks = [0u8; 26];
    let mut rank = 0;
    while rank < ALPHABET.len() {
        let (letter, modifier) = ALPHABET[rank];
        if modifier == 0 {
            ranks[(letter - b'a') as usize] = rank as u8;
        }
        rank += 1;
    }
    ranks
};

/// Rank of a Latin letter in [`ALPHABET`] and the letter-forming mark it used.
#[inline]
fn letter_rank(base: u8, marks: Marks) -> (u8, Marks) {
    let plain = PLAIN_RANK[usize::from(base.wrapping_sub(b'a')).min(25)];
    if marks & (BREVE | CIRCUMFLEX | HORN | STROKE) == 0 {
        return (plain, 0);
    }
    // The letters that follow a base letter in the alphabet, in order: ă â after a, đ after d,
    // ê after e, ô ơ after o, ư after u.
    let modifiers: &[Marks] = match base {
        b'a' => &[BREVE, CIRCUMFLEX],
        b'd' => &[STROKE],
        b'e' => &[CIRCUMFLEX],
        b'o' => &[CIRCUMFLEX, HORN],
        b'u' => &[HORN],
        _ => &[],
    };
    for (offset, &modifier) in modifiers.iter().enumerate() {
        if marks & modifier != 0 {
            return (plain + 1 + offset as u8, modifier);
        }
    }
    (plain, 0)
}

/// Rank of an ASCII punctuation byte among the 32 punctuation bytes, in ASCII order.
fn punct_rank(byte: u8) -> u8 {
    match byte {
        b'!'..=b'/' => byte - b'!',
        b':'..=b'@' => 15 + byte - b':',
        b'['..=b'`' => 22 + byte - b'[',
        b'{'..=b'~' => 28 + byte - b'{',
        _ => 31,
    }
}

fn push_code_point(key: &mut Vec<u8>, code: char) {
    let bytes = (code as u32).to_be_bytes();
    key.extend_from_slice(&bytes[1..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_weights_follow_the_vietnamese_order() {
        let letters = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z";
        let keys: Vec<Vec<u8>> = letters.split(' ').map(collation_key).collect();
        for pair in keys.windows(2) {
            assert!(pair[0] < pair[1], "{pair:?}");
        }
    }

    #[test]
    fn letter_ranks_match_the_alphabet_table() {
        for (rank, &(letter, modifier)) in ALPHABET.iter().enumerate() {
            assert_eq!(letter_rank(letter, modifier | SAC), (rank as u8, modifier));
        }
        assert_eq!(letter_rank(b'e', BREVE), (7, 0), "ĕ is e with a foreign mark");
    }

    #[test]
    fn punctuation_ranks_cover_ascii_punctuation_in_order() {
        let punct: Vec<u8> = (0x21u8..0x7f).filter(|b| b.is_ascii_punctuation()).collect();
        assert_eq!(punct.len(), 32);
        let ranks: Vec<u8> = punct.iter().map(|&b| punct_rank(b)).collect();
        assert_eq!(ranks, (0..32).collect::<Vec<u8>>());
    }

    #[test]
    fn tone_follows_the_syllable_not_the_vowel() {
        assert_eq!(collation_key("Hoà"), collation_key("Hòa"));
        assert_eq!(collation_key("Thuý"), collation_key("Thúy"));
    }

    #[test]
    fn key_of_plain_lowercase_word_has_empty_lower_levels() {
        assert_eq!(collation_key("an"), vec![0x40, 0x51, 0x01, 0x01]);
    }
}
