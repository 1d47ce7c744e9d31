//! The name list read by `daihoi ballot-order`: one name per line, optionally followed by a tab
//! and a birth date `YYYY-MM-DD`; blank lines are ignored.
//!
//! Each line's text is kept byte for byte, so the ordered list prints exactly what was given
//! (NFC stays NFC, NFD stays NFD).

use daihoi_core::ballot_order::BallotEntry;
use daihoi_core::vn::{NameError, PersonName};
use time::{Date, Month};

/// One non-blank line of a name list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameLine {
    /// 1-based line number in the input.
    pub line: usize,
    /// The line exactly as given, without its line ending (and without a leading byte-order
    /// mark on the first line).
    pub text: String,
    /// The parsed name and birth date.
    pub entry: BallotEntry,
}

/// Why a name list cannot be read. Every variant names its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NamesError {
    /// The line is not valid UTF-8.
    #[error("line {line}: not valid UTF-8 text")]
    NotUtf8 {
        /// Line number.
        line: usize,
    },
    /// The name part cannot be parsed.
    #[error("line {line}: {error}")]
    Name {
        /// Line number.
        line: usize,
        /// What is wrong with the name.
        error: NameError,
    },
    /// The text after the tab is not a date `YYYY-MM-DD` that exists.
    #[error("line {line}: birth date {text:?} is not a date YYYY-MM-DD")]
    BirthDate {
        /// Line number.
        line: usize,
        /// The text found.
        text: String,
    },
    /// More than one tab: only `NAME<TAB>YYYY-MM-DD` is allowed.
    #[error("line {line}: more than one tab; expected NAME or NAME<TAB>YYYY-MM-DD")]
    ExtraField {
        /// Line number.
        line: usize,
    },
}

impl NamesError {
    /// The 1-based line the error is on.
    pub fn line(&self) -> usize {
        match self {
            NamesError::NotUtf8 { line }
            | NamesError::Name { line, .. }
            | NamesError::BirthDate { line, .. }
            | NamesError::ExtraField { line } => *line,
        }
    }
}

/// Reads a name list. Stops at the first bad line.
pub fn parse_names(input: &[u8]) -> Result<Vec<NameLine>, NamesError> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut lines = Vec::new();
    for (index, raw) in input.split(|&byte| byte == b'\n').enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let text = std::str::from_utf8(raw).map_err(|_| NamesError::NotUtf8 { line })?;
        if text.trim().is_empty() {
            continue;
        }
        let mut fields = text.split('\t');
        let name_text = fields.next().unwrap_or_default();
        let date_text = fields.next().map(str::trim).filter(|date| !date.is_empty());
        if fields.next().is_some() {
            return Err(NamesError::ExtraField { line });
        }
        let name =
            PersonName::parse(name_text).map_err(|error| NamesError::Name { line, error })?;
        let birth_date = match date_text {
            None => None,
            Some(date) => Some(
                parse_date(date)
                    .ok_or_else(|| NamesError::BirthDate { line, text: date.to_owned() })?,
            ),
        };
        lines.push(NameLine {
            line,
            text: text.to_owned(),
            entry: BallotEntry { name, birth_date },
        });
    }
    Ok(lines)
}

/// `YYYY-MM-DD`, exactly four, two and two digits, of a day that exists.
pub fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let well_formed = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !well_formed {
        return None;
    }
    let year: i32 = text[0..4].parse().ok()?;
    let month: u8 = text[5..7].parse().ok()?;
    let day: u8 = text[8..10].parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn reads_names_dates_and_skips_blank_lines() {
        let input = "\u{feff}Nguyễn Văn An\t1970-02-03\r\n\n  \nLê Thị Bình\n";
        let lines = parse_names(input.as_bytes()).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].line, 1);
        assert_eq!(lines[0].text, "Nguyễn Văn An\t1970-02-03");
        assert_eq!(lines[0].entry.birth_date, Some(date!(1970 - 02 - 03)));
        assert_eq!(lines[1].line, 4);
        assert_eq!(lines[1].entry.birth_date, None);
    }

    #[test]
    fn bad_dates_name_their_line() {
        for bad in ["1970-2-3", "1970-02-30", "03/02/1970", "1970-13-01", "197O-01-01"] {
            let input = format!("Nguyễn Văn An\n\nLê Văn Tư\t{bad}\n");
            let error = parse_names(input.as_bytes()).unwrap_err();
            assert_eq!(error, NamesError::BirthDate { line: 3, text: bad.to_owned() });
        }
    }

    #[test]
    fn other_errors_name_their_line() {
        assert_eq!(parse_names(b"An\n\xff\n"), Err(NamesError::NotUtf8 { line: 2 }));
        assert_eq!(
            parse_names("Lê Văn Tư\t1970-01-01\tx".as_bytes()),
            Err(NamesError::ExtraField { line: 1 })
        );
        assert_eq!(
            parse_names("\t1970-01-01".as_bytes()),
            Err(NamesError::Name { line: 1, error: NameError::Empty })
        );
    }
}
