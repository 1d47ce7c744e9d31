//! The CSV tables of `daihoi apportion`: input `unit,members`, output `unit,members,seats`, and
//! the explanation table of a delegate allocation.

use std::io;

use daihoi_core::apportion::{Allocation, EXPLANATION_COLUMNS, MAX_MEMBERS};
use daihoi_core::vn::nfc;

/// The units to apportion among, as read: names as written (trimmed) and member counts, each
/// at least 1 and at most [`MAX_MEMBERS`], names distinct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTable {
    units: Vec<String>,
    members: Vec<u64>,
    lines: Vec<u64>,
}

impl UnitTable {
    /// Unit names, in input order.
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// Member counts, in input order.
    pub fn members(&self) -> &[u64] {
        &self.members
    }

    /// The input line of each unit.
    pub fn lines(&self) -> &[u64] {
        &self.lines
    }
}

/// Why an apportionment table cannot be read. Variants name the line, and the column where
/// one is at fault (1 = `unit`, 2 = `members`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitTableError {
    /// The CSV itself is malformed (an unclosed quote …).
    #[error("line {line}: malformed CSV: {message}")]
    Csv {
        /// Line number.
        line: u64,
        /// The CSV reader's message.
        message: String,
    },
    /// A line that is not UTF-8 text.
    #[error("line {line}: not valid UTF-8 text")]
    NotUtf8 {
        /// Line number.
        line: u64,
    },
    /// The first line is not the header `unit,members`.
    #[error("line 1: expected the header \"unit,members\", found {found:?}")]
    Header {
        /// The first line as read.
        found: String,
    },
    /// A row without exactly two fields.
    #[error("line {line}: expected 2 fields (unit,members), found {found}")]
    FieldCount {
        /// Line number.
        line: u64,
        /// Fields found.
        found: usize,
    },
    /// An empty unit name.
    #[error("line {line}, column 1 (unit): empty unit name")]
    EmptyUnit {
        /// Line number.
        line: u64,
    },
    /// A unit named twice.
    #[error("line {line}, column 1 (unit): unit {unit:?} already given on line {first_line}")]
    DuplicateUnit {
        /// Line number.
        line: u64,
        /// The name.
        unit: String,
        /// Where it first appeared.
        first_line: u64,
    },
    /// Members that are not a whole number of digits.
    #[error("line {line}, column 2 (members): {text:?} is not a whole number")]
    NotANumber {
        /// Line number.
        line: u64,
        /// The text found.
        text: String,
    },
    /// Negative members.
    #[error("line {line}, column 2 (members): {text} is negative")]
    Negative {
        /// Line number.
        line: u64,
        /// The text found.
        text: String,
    },
    /// Zero members: a unit with no members cannot be given seats in proportion.
    #[error("line {line}, column 2 (members): a unit must have at least 1 member")]
    Zero {
        /// Line number.
        line: u64,
    },
    /// More than [`MAX_MEMBERS`].
    #[error("line {line}, column 2 (members): {text} is more than the limit {MAX_MEMBERS}")]
    TooLarge {
        /// Line number.
        line: u64,
        /// The text found.
        text: String,
    },
    /// A header and no units.
    #[error("no units after the header")]
    NoUnits,
}

/// Reads `unit,members` CSV (header required, a leading byte-order mark and surrounding
/// spaces ignored). Unit names are compared in NFC to find duplicates.
pub fn read_units(input: &[u8]) -> Result<UnitTable, UnitTableError> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let mut table = UnitTable { units: Vec::new(), members: Vec::new(), lines: Vec::new() };
    let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let mut header_seen = false;
    let mut record = csv::ByteRecord::new();
    loop {
        let more = reader.read_byte_record(&mut record).map_err(|error| UnitTableError::Csv {
            line: error.position().map_or(0, csv::Position::line),
            message: error.to_string(),
        })?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, csv::Position::line);
        let fields: Vec<&str> = record
            .iter()
            .map(std::str::from_utf8)
            .collect::<Result<_, _>>()
            .map_err(|_| UnitTableError::NotUtf8 { line })?;
        if !header_seen {
            header_seen = true;
            let is_header = fields.len() == 2
                && fields[0].eq_ignore_ascii_case("unit")
                && fields[1].eq_ignore_ascii_case("members");
            if !is_header {
                return Err(UnitTableError::Header { found: fields.join(",") });
            }
            continue;
        }
        if fields.len() != 2 {
            return Err(UnitTableError::FieldCount { line, found: fields.len() });
        }
        let unit = fields[0];
        if unit.is_empty() {
            return Err(UnitTableError::EmptyUnit { line });
        }
        let members = parse_members(line, fields[1])?;
        if let Some(&first_line) = seen.get(&nfc(unit)) {
            return Err(UnitTableError::DuplicateUnit { line, unit: unit.to_owned(), first_line });
        }
        seen.insert(nfc(unit), line);
        table.units.push(unit.to_owned());
        table.members.push(members);
        table.lines.push(line);
    }
    if !header_seen {
        return Err(UnitTableError::Header { found: String::new() });
    }
    if table.units.is_empty() {
        return Err(UnitTableError::NoUnits);
    }
    Ok(table)
}

fn parse_members(line: u64, text: &str) -> Result<u64, UnitTableError> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if let Some(rest) = text.strip_prefix('-')
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(UnitTableError::Negative { line, text: text.to_owned() });
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(UnitTableError::NotANumber { line, text: text.to_owned() });
    }
    let too_large = || UnitTableError::TooLarge { line, text: text.to_owned() };
    let members: u64 = digits.parse().map_err(|_| too_large())?;
    if members == 0 {
        return Err(UnitTableError::Zero { line });
    }
    if members > MAX_MEMBERS {
        return Err(too_large());
    }
    Ok(members)
}

/// Writes `unit,members,seats`, one row per unit in input order.
pub fn write_seats(table: &UnitTable, seats: &[u64], out: impl io::Write) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["unit", "members", "seats"])?;
    for ((unit, members), seats) in table.units.iter().zip(&table.members).zip(seats) {
        writer.write_record([unit.as_str(), &members.to_string(), &seats.to_string()])?;
    }
    writer.flush()
}

/// Writes the explanation table of a delegate allocation as CSV, with the column keys of
/// [`EXPLANATION_COLUMNS`] as header and the totals row last.
pub fn write_allocation(allocation: &Allocation, out: impl io::Write) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(EXPLANATION_COLUMNS.iter().map(|(key, _, _)| *key))?;
    for row in allocation.explanation() {
        writer.write_record(&row)?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_table() {
        let table =
            read_units("\u{feff}unit,members\nA, 47000\n\"B, C\",16000\n".as_bytes()).unwrap();
        assert_eq!(table.units(), ["A", "B, C"]);
        assert_eq!(table.members(), [47_000, 16_000]);
        assert_eq!(table.lines(), [2, 3]);
        let mut out = Vec::new();
        write_seats(&table, &[7, 3], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "unit,members,seats\nA,47000,7\n\"B, C\",16000,3\n"
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let cases: [(&str, UnitTableError); 8] = [
            ("name,count\n", UnitTableError::Header { found: "name,count".into() }),
            ("unit,members\n", UnitTableError::NoUnits),
            ("unit,members\nA,1,2\n", UnitTableError::FieldCount { line: 2, found: 3 }),
            ("unit,members\n,5\n", UnitTableError::EmptyUnit { line: 2 }),
            ("unit,members\nA,x\n", UnitTableError::NotANumber { line: 2, text: "x".into() }),
            ("unit,members\nA,-3\n", UnitTableError::Negative { line: 2, text: "-3".into() }),
            ("unit,members\nA,1\nB,0\n", UnitTableError::Zero { line: 3 }),
            (
                "unit,members\nHà Nội,1\nHa\u{300} Nội,2\n",
                UnitTableError::DuplicateUnit {
                    line: 3,
                    unit: "Ha\u{300} Nội".into(),
                    first_line: 2,
                },
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(read_units(input.as_bytes()), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn writes_the_allocation_table() {
        use daihoi_core::apportion::{AllocationInput, AllocationUnit, allocate_delegates};
        let unit = |name: &str, members, ex_officio| AllocationUnit {
            name: name.to_owned(),
            members,
            ex_officio,
            adjustment: 0,
        };
        let input = AllocationInput::new(10, vec![unit("Chi bộ 1", 35, 2), unit("Chi bộ 2", 5, 0)]);
        let allocation = allocate_delegates(&input).unwrap();
        let mut out = Vec::new();
        write_allocation(&allocation, &mut out).unwrap();
        // 10 − 2 ex officio − 2 bases = 6 seats for 35:5 members: quotas 5 1/4 and 3/4; the
        // seat left goes to the larger remainder 3/4.
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "unit,members,ex_officio,base,quota,proportional,adjustment,elected,total,alternates\n\
             Chi bộ 1,35,2,1,5 1/4,5,0,6,8,0\n\
             Chi bộ 2,5,0,1,3/4,1,0,2,2,0\n\
             Σ,40,2,2,6,6,0,8,10,0\n"
        );
    }

    #[test]
    fn members_beyond_the_limit_are_refused() {
        let input = "unit,members\nA,99999999999999999999999\n";
        assert!(matches!(
            read_units(input.as_bytes()),
            Err(UnitTableError::TooLarge { line: 2, .. })
        ));
    }
}
