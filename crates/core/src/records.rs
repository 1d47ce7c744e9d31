//! Unit and member records as read from an import file: typed values with the row they came
//! from, before they are placed in the tree, and the problems found in them.
//!
//! The file formats (`daihoi-format`) produce these; the store checks them against the tree
//! (parents that exist, scope, the registry rules) and writes them. Both sides speak these types
//! so neither depends on the other.

use serde::Serialize;
use time::Date;

use crate::member::{Education, MemberStatus, Membership, Sex, TheoryLevel};
use crate::unit::UnitKind;

/// A problem in one cell or row of an import file, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// Row number as a spreadsheet shows it: the header is row 1, the first record row 2.
    /// Zero for a problem with the file as a whole.
    pub row: u32,
    /// The column's header as written in the file (empty for a problem with the whole row).
    pub column: String,
    /// Vietnamese message.
    pub message_vi: String,
    /// English message.
    pub message_en: String,
}

impl RowProblem {
    /// A problem at `row`, `column`.
    pub fn new(
        row: u32,
        column: impl Into<String>,
        message_vi: impl Into<String>,
        message_en: impl Into<String>,
    ) -> RowProblem {
        RowProblem {
            row,
            column: column.into(),
            message_vi: message_vi.into(),
            message_en: message_en.into(),
        }
    }

    /// The full message, naming row and column, in Vietnamese (`english == false`) or English.
    pub fn describe(&self, english: bool) -> String {
        match (english, self.row, self.column.is_empty()) {
            (false, 0, _) => format!("Tệp: {}", self.message_vi),
            (true, 0, _) => format!("File: {}", self.message_en),
            (false, row, true) => format!("Dòng {row}: {}", self.message_vi),
            (true, row, true) => format!("Row {row}: {}", self.message_en),
            (false, row, false) => {
                format!("Dòng {row}, cột “{}”: {}", self.column, self.message_vi)
            }
            (true, row, false) => {
                format!("Row {row}, column “{}”: {}", self.column, self.message_en)
            }
        }
    }
}

/// Where a unit of an import file hangs in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ParentRef {
    /// No parent given: the importer's default parent (the unit imported under), or the root.
    Default,
    /// Another record of the same file, by its index in [`UnitFile::records`].
    Record(usize),
    /// A unit already in the tree, by id.
    Existing(i64),
}

/// One unit read from a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRecord {
    /// Spreadsheet row number.
    pub row: u32,
    /// The file-local key (`Mã`), if given: other rows name it as their parent.
    pub key: Option<String>,
    /// The parent.
    pub parent: ParentRef,
    /// Full name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Issuer abbreviation (`Ký hiệu`).
    pub issuer_abbrev: Option<String>,
    /// Declared official members of the unit itself.
    pub declared_official: i64,
    /// Declared probationary members of the unit itself.
    pub declared_probationary: i64,
    /// First day.
    pub valid_from: Option<Date>,
    /// Last day.
    pub valid_to: Option<Date>,
    /// Note.
    pub note: Option<String>,
}

/// Which unit a member of an import file belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum UnitTarget {
    /// Not given: the importer's default unit (the unit imported under).
    Default,
    /// A unit by id.
    Id(i64),
    /// A unit by its exact name, which must be unique where the import goes.
    Name(String),
}

/// One member read from a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberRecord {
    /// Spreadsheet row number.
    pub row: u32,
    /// The member's cell.
    pub unit: UnitTarget,
    /// Full name.
    pub full_name: String,
    /// Birth date.
    pub birth_date: Option<Date>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Ethnicity.
    pub ethnicity: Option<String>,
    /// Date joined the Party.
    pub joined_date: Option<Date>,
    /// Official or probationary.
    pub membership: Membership,
    /// Standing in party activity.
    pub status: MemberStatus,
    /// Professional education.
    pub education: Option<Education>,
    /// Political theory level.
    pub theory_level: Option<TheoryLevel>,
    /// Note.
    pub note: Option<String>,
}

/// The header each field was read from, so later checks can name the column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Columns {
    fields: Vec<(&'static str, String)>,
}

impl Columns {
    /// Records that `field` was read from the column headed `header`.
    pub fn insert(&mut self, field: &'static str, header: impl Into<String>) {
        self.fields.push((field, header.into()));
    }

    /// The header of `field`, or the field's own name when the file has no such column.
    pub fn header(&self, field: &str) -> String {
        self.fields
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, header)| header.clone())
            .unwrap_or_else(|| field.to_string())
    }

    /// Whether the file has a column for `field`.
    pub fn has(&self, field: &str) -> bool {
        self.fields.iter().any(|(name, _)| *name == field)
    }
}

/// A units file, read and checked on its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UnitFile {
    /// The records, in file order.
    pub records: Vec<UnitRecord>,
    /// Field → header.
    pub columns: Columns,
}

/// A members file, read and checked on its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MemberFile {
    /// The records, in file order.
    pub records: Vec<MemberRecord>,
    /// Field → header.
    pub columns: Columns,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_name_row_and_column_in_both_languages() {
        let problem = RowProblem::new(5, "Loại", "Không rõ loại.", "Unknown kind.");
        assert_eq!(problem.describe(false), "Dòng 5, cột “Loại”: Không rõ loại.");
        assert_eq!(problem.describe(true), "Row 5, column “Loại”: Unknown kind.");
        assert_eq!(RowProblem::new(3, "", "a", "b").describe(true), "Row 3: b");
        assert_eq!(RowProblem::new(0, "", "a", "b").describe(false), "Tệp: a");
    }

    #[test]
    fn columns_fall_back_to_the_field_name() {
        let mut columns = Columns::default();
        columns.insert("name", "Tên đơn vị");
        assert_eq!(columns.header("name"), "Tên đơn vị");
        assert_eq!(columns.header("kind"), "kind");
        assert!(columns.has("name"));
        assert!(!columns.has("kind"));
    }
}
