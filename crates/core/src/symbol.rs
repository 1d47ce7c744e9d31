//! Party document numbers and symbols (số và ký hiệu, congress-process §6): parsing what people
//! type (`Số 35-CT/TW`, `03-HD/TU`), the abbreviations of document types and issuers, and the
//! numbering rules that say which register sequence the next number of a unit's own document
//! comes from.
//!
//! A symbol does not identify a document on its own: Party numbers do not reset each calendar
//! year and the year is not in the symbol, and every province signs `/TU` (§6.1, §6.3). The
//! register identifies a document by its symbol, its issue date and its issuer's full identity;
//! this module only deals with the symbol.

use std::fmt;

use time::Date;
use unicode_normalization::UnicodeNormalization;

/// A document type abbreviation with its Vietnamese and English names (§6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abbreviation {
    /// As printed in symbols (`CT`, `QĐ`, `CTr`).
    pub code: &'static str,
    /// Vietnamese name.
    pub vi: &'static str,
    /// English name.
    pub en: &'static str,
    /// Whether a public source shows it in use ([C] in the domain notes), not only convention.
    pub confirmed: bool,
}

const fn abbreviation(
    code: &'static str,
    vi: &'static str,
    en: &'static str,
    confirmed: bool,
) -> Abbreviation {
    Abbreviation { code, vi, en, confirmed }
}

/// Document types (§6.2). `QĐ` stands for both quyết định and quy định.
pub const DOCUMENT_TYPES: &[Abbreviation] = &[
    abbreviation("NQ", "Nghị quyết", "Resolution", true),
    abbreviation("QĐ", "Quyết định, Quy định", "Decision, Regulation", true),
    abbreviation("CT", "Chỉ thị", "Directive", true),
    abbreviation("KL", "Kết luận", "Conclusion", true),
    abbreviation("HD", "Hướng dẫn", "Guideline", true),
    abbreviation("KH", "Kế hoạch", "Plan", true),
    abbreviation("TB", "Thông báo", "Notice", true),
    abbreviation("BC", "Báo cáo", "Report", true),
    abbreviation("TT", "Thông tri", "Circular", true),
    abbreviation("BS", "Bản sao", "Copy", true),
    abbreviation("CV", "Công văn", "Official letter", true),
    abbreviation("QC", "Quy chế", "Rules of procedure", false),
    abbreviation("CTr", "Chương trình", "Programme", false),
    abbreviation("ĐA", "Đề án", "Scheme", false),
    abbreviation("PA", "Phương án", "Option", false),
    abbreviation("TTr", "Tờ trình", "Submission", false),
    abbreviation("BB", "Biên bản", "Minutes", false),
];

/// Issuers (§6.3). The code is not unique nationally: every province signs `/TU`.
pub const ISSUERS: &[Abbreviation] = &[
    abbreviation(
        "TW",
        "Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư",
        "Central Committee, Politburo, Secretariat",
        true,
    ),
    abbreviation("BTCTW", "Ban Tổ chức Trung ương", "Central Organization Commission", true),
    abbreviation("VPTW", "Văn phòng Trung ương Đảng", "Central Party Office", true),
    abbreviation("BTGTW", "Ban Tuyên giáo Trung ương", "Central Propaganda Commission", true),
    abbreviation("TU", "Tỉnh ủy, Thành ủy", "Provincial or city party committee", true),
    abbreviation("UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy", "Provincial inspection committee", true),
    abbreviation("UBKTTW", "Ủy ban Kiểm tra Trung ương", "Central Inspection Commission", false),
    abbreviation("HU", "Huyện ủy", "District party committee", false),
    abbreviation("QU", "Quận ủy", "Urban district party committee", false),
    abbreviation("ĐU", "Đảng ủy", "Party committee", false),
    abbreviation("ĐUK", "Đảng ủy khối", "Bloc party committee", false),
    abbreviation("CB", "Chi bộ", "Party cell", false),
    abbreviation("BTCTU", "Ban Tổ chức Tỉnh ủy", "Provincial organisation board", false),
    abbreviation("VPTU", "Văn phòng Tỉnh ủy", "Provincial party office", false),
    abbreviation("BTGTU", "Ban Tuyên giáo Tỉnh ủy", "Provincial propaganda board", false),
    abbreviation("BTCHU", "Ban Tổ chức Huyện ủy", "District organisation board", false),
    abbreviation("ĐH", "Đại hội", "Congress", false),
];

/// The known document type spelled `code` (case-insensitive; `Đ` and `đ` alike).
pub fn document_type(code: &str) -> Option<&'static Abbreviation> {
    let upper = code.to_uppercase();
    DOCUMENT_TYPES.iter().find(|known| known.code.to_uppercase() == upper)
}

/// The known issuer spelled `code` (case-insensitive).
pub fn issuer(code: &str) -> Option<&'static Abbreviation> {
    let upper = code.to_uppercase();
    ISSUERS.iter().find(|known| known.code.to_uppercase() == upper)
}

/// The largest number a register hands out: far above any real register, small enough that no
/// typing slip (a date pasted into the number) passes.
pub const MAX_NUMBER: u32 = 99_999;

/// A valid document number and symbol: `35-CT/TW`. Made only by [`DocumentSymbol::parse`] or
/// [`DocumentSymbol::from_parts`], so after the edge only valid symbols exist.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentSymbol {
    number: u32,
    doc_type: String,
    issuer: String,
}

/// What is wrong with a typed symbol; each variant says where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SymbolError {
    /// Nothing was typed.
    Empty,
    /// The text does not start with the number (`CT/TW`).
    MissingNumber,
    /// The number is 0 (registers start at 01).
    ZeroNumber,
    /// The number is above [`MAX_NUMBER`].
    NumberTooLarge,
    /// No hyphen between the number and the type (`35CT/TW`).
    MissingHyphen,
    /// Nothing between the hyphen and the slash (`35-/TW`).
    MissingType,
    /// The type holds something other than letters (`35-C1/TW`).
    BadType(String),
    /// No slash between the type and the issuer (`35-CT`).
    MissingSlash,
    /// Nothing after the slash (`35-CT/`).
    MissingIssuer,
    /// The issuer holds something other than letters, digits and inner hyphens.
    BadIssuer(String),
}

impl SymbolError {
    /// Stable code (used by the reference cases).
    pub fn code(&self) -> &'static str {
        match self {
            SymbolError::Empty => "empty",
            SymbolError::MissingNumber => "missing_number",
            SymbolError::ZeroNumber => "zero_number",
            SymbolError::NumberTooLarge => "number_too_large",
            SymbolError::MissingHyphen => "missing_hyphen",
            SymbolError::MissingType => "missing_type",
            SymbolError::BadType(_) => "bad_type",
            SymbolError::MissingSlash => "missing_slash",
            SymbolError::MissingIssuer => "missing_issuer",
            SymbolError::BadIssuer(_) => "bad_issuer",
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        let pattern = "Số và ký hiệu viết theo mẫu số-LOẠI/CƠ QUAN, ví dụ 35-CT/TW";
        match self {
            SymbolError::Empty => format!("Chưa nhập số và ký hiệu. {pattern}."),
            SymbolError::MissingNumber => {
                format!("Số và ký hiệu phải bắt đầu bằng số văn bản. {pattern}.")
            }
            SymbolError::ZeroNumber => "Số văn bản bắt đầu từ 01, không thể là 0.".into(),
            SymbolError::NumberTooLarge => format!("Số văn bản quá lớn (tối đa {MAX_NUMBER})."),
            SymbolError::MissingHyphen => {
                format!("Thiếu dấu gạch nối (-) sau số văn bản. {pattern}.")
            }
            SymbolError::MissingType => {
                format!("Thiếu chữ viết tắt loại văn bản sau dấu gạch nối. {pattern}.")
            }
            SymbolError::BadType(found) => {
                format!("Loại văn bản “{found}” chỉ được gồm chữ cái (ví dụ CT, HD, KH).")
            }
            SymbolError::MissingSlash => {
                format!("Thiếu dấu gạch chéo (/) trước cơ quan ban hành. {pattern}.")
            }
            SymbolError::MissingIssuer => {
                format!("Thiếu chữ viết tắt cơ quan ban hành sau dấu gạch chéo. {pattern}.")
            }
            SymbolError::BadIssuer(found) => format!(
                "Cơ quan ban hành “{found}” chỉ được gồm chữ cái và chữ số (ví dụ TW, BTCTW, TU)."
            ),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        let pattern = "Write the number and symbol as number-TYPE/ISSUER, for example 35-CT/TW";
        match self {
            SymbolError::Empty => format!("No number and symbol was entered. {pattern}."),
            SymbolError::MissingNumber => {
                format!("The symbol must start with the document number. {pattern}.")
            }
            SymbolError::ZeroNumber => "Document numbers start at 01; 0 is not a number.".into(),
            SymbolError::NumberTooLarge => {
                format!("The document number is too large (at most {MAX_NUMBER}).")
            }
            SymbolError::MissingHyphen => {
                format!("The hyphen (-) after the number is missing. {pattern}.")
            }
            SymbolError::MissingType => {
                format!("The document type abbreviation after the hyphen is missing. {pattern}.")
            }
            SymbolError::BadType(found) => format!(
                "The document type “{found}” may hold letters only (for example CT, HD, KH)."
            ),
            SymbolError::MissingSlash => {
                format!("The slash (/) before the issuer is missing. {pattern}.")
            }
            SymbolError::MissingIssuer => {
                format!("The issuer abbreviation after the slash is missing. {pattern}.")
            }
            SymbolError::BadIssuer(found) => format!(
                "The issuer “{found}” may hold letters and digits only (for example TW, BTCTW, TU)."
            ),
        }
    }
}

impl fmt::Display for SymbolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for SymbolError {}

/// Something accepted but worth a second look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SymbolWarning {
    /// The type abbreviation is not in the known list (§6.2); it is kept as typed, upper-cased.
    UnknownType(String),
    /// The issuer abbreviation is not in the known list (§6.3).
    UnknownIssuer(String),
}

impl SymbolWarning {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            SymbolWarning::UnknownType(_) => "unknown_type",
            SymbolWarning::UnknownIssuer(_) => "unknown_issuer",
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            SymbolWarning::UnknownType(code) => format!(
                "Loại văn bản “{code}” không có trong danh mục chữ viết tắt; hãy kiểm tra lại."
            ),
            SymbolWarning::UnknownIssuer(code) => format!(
                "Cơ quan ban hành “{code}” không có trong danh mục chữ viết tắt; hãy kiểm tra lại."
            ),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            SymbolWarning::UnknownType(code) => {
                format!("The document type “{code}” is not a known abbreviation; check it.")
            }
            SymbolWarning::UnknownIssuer(code) => {
                format!("The issuer “{code}” is not a known abbreviation; check it.")
            }
        }
    }
}

/// A parsed symbol with the warnings met on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSymbol {
    /// The symbol.
    pub symbol: DocumentSymbol,
    /// What deserves a second look.
    pub warnings: Vec<SymbolWarning>,
}

/// Hyphen-like characters people paste from word processors.
fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '−')
}

/// A known abbreviation's spelling, or the typed one upper-cased.
fn canonical(code: &str, known: Option<&'static Abbreviation>) -> String {
    known.map(|known| known.code.to_string()).unwrap_or_else(|| code.to_uppercase())
}

impl DocumentSymbol {
    /// Parses what a person typed: an optional `Số` prefix, the number, a hyphen, the type, a
    /// slash and the issuer, with spaces around the separators tolerated. Abbreviations are
    /// matched without regard to case and written in their usual spelling (`ctr` → `CTr`).
    pub fn parse(input: &str) -> Result<ParsedSymbol, SymbolError> {
        let text: String = input.nfc().collect();
        let mut rest = text.trim();
        for prefix in ["Số", "số", "SỐ", "So", "so", "No.", "no."] {
            if let Some(after) = rest.strip_prefix(prefix)
                && (after.is_empty()
                    || after
                        .starts_with(|c: char| c.is_whitespace() || c == ':' || c.is_ascii_digit()))
            {
                rest = after.trim_start_matches(|c: char| c.is_whitespace() || c == ':');
                break;
            }
        }
        if rest.is_empty() {
            return Err(SymbolError::Empty);
        }
        let digits_end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits_end == 0 {
            return Err(SymbolError::MissingNumber);
        }
        let digits = &rest[..digits_end];
        let number: u32 = match digits.trim_start_matches('0') {
            "" => return Err(SymbolError::ZeroNumber),
            significant if significant.len() > 5 => return Err(SymbolError::NumberTooLarge),
            significant => significant.parse().map_err(|_| SymbolError::NumberTooLarge)?,
        };
        if number > MAX_NUMBER {
            return Err(SymbolError::NumberTooLarge);
        }
        let after_number = rest[digits_end..].trim_start();
        let mut chars = after_number.chars();
        match chars.next() {
            Some(c) if is_hyphen(c) => {}
            _ => return Err(SymbolError::MissingHyphen),
        }
        let after_hyphen = chars.as_str();
        let (type_part, issuer_part) = match after_hyphen.split_once('/') {
            Some((type_part, issuer_part)) => (type_part.trim(), Some(issuer_part.trim())),
            None => (after_hyphen.trim(), None),
        };
        if type_part.is_empty() {
            return Err(SymbolError::MissingType);
        }
        if !type_part.chars().all(char::is_alphabetic) {
            return Err(SymbolError::BadType(type_part.to_string()));
        }
        let issuer_part = issuer_part.ok_or(SymbolError::MissingSlash)?;
        if issuer_part.is_empty() {
            return Err(SymbolError::MissingIssuer);
        }
        let issuer_ok = issuer_part.chars().all(|c| c.is_alphanumeric() || c == '-')
            && issuer_part.chars().any(char::is_alphabetic)
            && !issuer_part.starts_with('-')
            && !issuer_part.ends_with('-')
            && !issuer_part.contains("--");
        if !issuer_ok {
            return Err(SymbolError::BadIssuer(issuer_part.to_string()));
        }
        let mut warnings = Vec::new();
        let known_type = document_type(type_part);
        let doc_type = canonical(type_part, known_type);
        if known_type.is_none() {
            warnings.push(SymbolWarning::UnknownType(doc_type.clone()));
        }
        let known_issuer = issuer(issuer_part);
        let issuer_code = canonical(issuer_part, known_issuer);
        if known_issuer.is_none() {
            warnings.push(SymbolWarning::UnknownIssuer(issuer_code.clone()));
        }
        Ok(ParsedSymbol {
            symbol: DocumentSymbol { number, doc_type, issuer: issuer_code },
            warnings,
        })
    }

    /// A symbol from its parts, checked as [`DocumentSymbol::parse`] checks typed text.
    pub fn from_parts(
        number: u32,
        doc_type: &str,
        issuer: &str,
    ) -> Result<ParsedSymbol, SymbolError> {
        DocumentSymbol::parse(&format!("{number}-{doc_type}/{issuer}"))
    }

    /// The number.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The type abbreviation (`CT`).
    pub fn doc_type(&self) -> &str {
        &self.doc_type
    }

    /// The issuer abbreviation (`TW`).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// `Số 35-CT/TW`, as printed under the issuer block (§6.4).
    pub fn with_prefix(&self) -> String {
        format!("Số {self}")
    }
}

/// `35-CT/TW`; numbers below 10 take a leading zero (`03-HD/TU`), as registers write them.
impl fmt::Display for DocumentSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{}/{}", self.number, self.doc_type, self.issuer)
    }
}

// ---------------------------------------------------------------------------------------------
// Numbering (§6.1)

/// Which register sequence a unit's own document takes its number from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sequence {
    /// Committee and agency documents: one sequence per type in each committee term, starting
    /// at 01. `term_start` is the first day of the term (`None`: the term before the first
    /// congress the register knows of).
    CommitteeTerm {
        /// First day of the committee term.
        term_start: Option<Date>,
        /// The type abbreviation.
        doc_type: String,
    },
    /// Congress documents: one sequence for every type issued by the congress, its presidium,
    /// secretariat, credentials committee and counting board.
    Congress {
        /// The congress.
        congress_id: i64,
    },
}

impl Sequence {
    /// The stored key of the sequence: `(scope, type)`, e.g. `("term:2020-08-16", "HD")`,
    /// `("term:initial", "KH")` or `("congress:7", "*")`.
    pub fn key(&self) -> (String, String) {
        match self {
            Sequence::CommitteeTerm { term_start, doc_type } => {
                let scope = match term_start {
                    Some(day) => format!(
                        "term:{:04}-{:02}-{:02}",
                        day.year(),
                        u8::from(day.month()),
                        day.day()
                    ),
                    None => "term:initial".to_string(),
                };
                (scope, doc_type.clone())
            }
            Sequence::Congress { congress_id } => (format!("congress:{congress_id}"), "*".into()),
        }
    }
}

/// The next number of a sequence whose last number is `last` (`None` for a fresh sequence):
/// registers start at 01 and never reuse a number.
pub fn next_number(last: Option<u32>) -> u32 {
    last.map_or(1, |last| last.saturating_add(1))
}

/// The first day of the committee term elected at a congress that closed on `closing_day`: the
/// day after the closing, or the day of the new committee's first meeting when it met during
/// the congress (§6.1).
pub fn term_start_after(closing_day: Date, first_meeting: Option<Date>) -> Date {
    match first_meeting {
        Some(meeting) if meeting <= closing_day => meeting,
        _ => closing_day.next_day().unwrap_or(closing_day),
    }
}

/// The first day of the committee term that `day` falls in, given the first days of every term
/// the register knows (in any order); `None` when `day` is before all of them.
pub fn term_start_of(day: Date, term_starts: &[Date]) -> Option<Date> {
    term_starts.iter().copied().filter(|start| *start <= day).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_seed_chain_parses() {
        for (text, shown) in [
            ("35-CT/TW", "35-CT/TW"),
            ("Số 26-HD/BTCTW", "26-HD/BTCTW"),
            ("79-KH/TU", "79-KH/TU"),
            ("03-HD/TU", "03-HD/TU"),
            ("3-HD/TU", "03-HD/TU"),
        ] {
            let parsed = DocumentSymbol::parse(text).unwrap();
            assert!(parsed.warnings.is_empty(), "{text}");
            assert_eq!(parsed.symbol.to_string(), shown);
        }
    }

    #[test]
    fn terms_start_the_day_after_the_closing() {
        assert_eq!(term_start_after(date!(2020 - 08 - 15), None), date!(2020 - 08 - 16));
        assert_eq!(
            term_start_after(date!(2020 - 08 - 15), Some(date!(2020 - 08 - 15))),
            date!(2020 - 08 - 15)
        );
        let starts = [date!(2020 - 08 - 16), date!(2015 - 07 - 20)];
        assert_eq!(term_start_of(date!(2020 - 01 - 07), &starts), Some(date!(2015 - 07 - 20)));
        assert_eq!(term_start_of(date!(2020 - 08 - 16), &starts), Some(date!(2020 - 08 - 16)));
        assert_eq!(term_start_of(date!(2010 - 01 - 01), &starts), None);
    }
}
