//! The members file: one party member per row, CSV or XLSX, Vietnamese or English headers,
//! each naming the cell (`Đơn vị`) by id or by exact name.
//!
//! This module reads and types the values; the store then validates each member
//! (`validate_member`), finds the cells and checks the importer's scope before writing.

use daihoi_core::member::{Education, MemberStatus, Membership, Sex, TheoryLevel};
use daihoi_core::records::{MemberFile, MemberRecord, RowProblem, UnitTarget};

use crate::table::{Cell, CellReader, FieldSpec, Table, map_columns};

/// The columns of a members file. The first alias of each is its folded Vietnamese header.
pub const MEMBER_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        field: "full_name",
        aliases: &["ho va ten", "ho ten", "ho va ten dang vien", "full name", "name"],
        required: true,
        export_header: "Họ và tên",
    },
    FieldSpec {
        field: "birth_date",
        aliases: &["ngay sinh", "ngay thang nam sinh", "sinh ngay", "birth date", "date of birth"],
        required: false,
        export_header: "Ngày sinh",
    },
    FieldSpec {
        field: "sex",
        aliases: &["gioi tinh", "sex", "gender"],
        required: false,
        export_header: "Giới tính",
    },
    FieldSpec {
        field: "ethnicity",
        aliases: &["dan toc", "ethnicity"],
        required: false,
        export_header: "Dân tộc",
    },
    FieldSpec {
        field: "joined_date",
        aliases: &["ngay vao dang", "ngay ket nap", "joined", "joined date", "date joined"],
        required: false,
        export_header: "Ngày vào Đảng",
    },
    FieldSpec {
        field: "membership",
        aliases: &["chinh thuc du bi", "dang vien", "loai dang vien", "membership"],
        required: false,
        export_header: "Chính thức/Dự bị",
    },
    FieldSpec {
        field: "status",
        aliases: &["tinh trang", "tinh trang sinh hoat", "trang thai", "status"],
        required: false,
        export_header: "Tình trạng",
    },
    FieldSpec {
        field: "education",
        aliases: &["trinh do chuyen mon", "chuyen mon", "education"],
        required: false,
        export_header: "Trình độ chuyên môn",
    },
    FieldSpec {
        field: "theory_level",
        aliases: &[
            "ly luan chinh tri",
            "trinh do ly luan chinh tri",
            "llct",
            "theory level",
            "political theory",
        ],
        required: false,
        export_header: "Lý luận chính trị",
    },
    FieldSpec {
        field: "unit",
        aliases: &["don vi", "chi bo", "ma don vi", "ma chi bo", "unit", "unit id", "cell"],
        required: false,
        export_header: "Đơn vị",
    },
    FieldSpec {
        field: "unit_name",
        aliases: &["ten don vi", "ten chi bo", "unit name"],
        required: false,
        export_header: "Tên đơn vị",
    },
    FieldSpec {
        field: "note",
        aliases: &["ghi chu", "note", "notes"],
        required: false,
        export_header: "Ghi chú",
    },
];

/// The headers of an exported members file, in order.
pub fn export_headers() -> Vec<&'static str> {
    MEMBER_FIELDS.iter().map(|spec| spec.export_header).collect()
}

/// A member as written to a file (the export side).
#[derive(Debug, Clone)]
pub struct MemberLine {
    /// Full name.
    pub full_name: String,
    /// Birth date.
    pub birth_date: Option<time::Date>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Ethnicity.
    pub ethnicity: Option<String>,
    /// Date joined.
    pub joined_date: Option<time::Date>,
    /// Official or probationary.
    pub membership: Membership,
    /// Status.
    pub status: MemberStatus,
    /// Education.
    pub education: Option<Education>,
    /// Theory level.
    pub theory_level: Option<TheoryLevel>,
    /// The cell's id.
    pub unit_id: i64,
    /// The cell's name (read back for people; ignored on import in favour of the id).
    pub unit_name: String,
    /// Note.
    pub note: Option<String>,
}

impl MemberLine {
    /// The cells of this member, in [`export_headers`] order (the order of [`MEMBER_FIELDS`]).
    pub fn cells(&self) -> Vec<Cell> {
        let date = |d: Option<time::Date>| d.map(Cell::Date).unwrap_or(Cell::Empty);
        vec![
            Cell::Text(self.full_name.clone()),
            date(self.birth_date),
            Cell::opt_text(self.sex.map(Sex::label_vi)),
            Cell::opt_text(self.ethnicity.as_deref()),
            date(self.joined_date),
            Cell::Text(self.membership.label_vi().to_string()),
            Cell::Text(self.status.label_vi().to_string()),
            Cell::opt_text(self.education.map(Education::label_vi)),
            Cell::opt_text(self.theory_level.map(TheoryLevel::label_vi)),
            Cell::Int(self.unit_id),
            Cell::Text(self.unit_name.clone()),
            Cell::opt_text(self.note.as_deref()),
        ]
    }
}

fn labels<T: Copy>(all: &[T], label: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|value| label(*value)).collect()
}

/// Reads a members file. Returns every problem found, or the records.
pub fn read_members(table: &Table) -> Result<MemberFile, Vec<RowProblem>> {
    let map = map_columns(&table.headers, MEMBER_FIELDS)?;
    let mut reader = CellReader::new(&map, MEMBER_FIELDS);
    let sexes = labels(Sex::ALL, Sex::label_vi);
    let memberships = labels(Membership::ALL, Membership::label_vi);
    let statuses = labels(MemberStatus::ALL, MemberStatus::label_vi);
    let educations = labels(Education::ALL, Education::label_vi);
    let theory_levels = labels(TheoryLevel::ALL, TheoryLevel::label_vi);
    let mut records = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let full_name = reader.text(row, "full_name").unwrap_or_default();
        if full_name.is_empty() {
            reader.problem(
                row,
                "full_name",
                "Họ và tên không được để trống.",
                "The full name is required.",
            );
        }
        let unit = match map.cell(row, "unit") {
            Cell::Empty => UnitTarget::Default,
            Cell::Int(id) => UnitTarget::Id(*id),
            cell => {
                let text = cell.text().unwrap_or_default();
                match text.parse::<i64>() {
                    Ok(id) => UnitTarget::Id(id),
                    Err(_) => UnitTarget::Name(text),
                }
            }
        };
        let record = MemberRecord {
            row: row.number,
            unit,
            full_name,
            birth_date: reader.date(row, "birth_date"),
            sex: reader.coded(row, "sex", Sex::parse, &sexes),
            ethnicity: reader.text(row, "ethnicity"),
            joined_date: reader.date(row, "joined_date"),
            // An empty cell means the usual case: official, active.
            membership: reader
                .coded(row, "membership", Membership::parse, &memberships)
                .unwrap_or(Membership::Official),
            status: reader
                .coded(row, "status", MemberStatus::parse, &statuses)
                .unwrap_or(MemberStatus::Active),
            education: reader.coded(row, "education", Education::parse, &educations),
            theory_level: reader.coded(row, "theory_level", TheoryLevel::parse, &theory_levels),
            note: reader.text(row, "note"),
        };
        records.push(record);
    }
    if !reader.problems.is_empty() {
        let mut problems = reader.problems;
        problems.sort_by_key(|problem| problem.row);
        return Err(problems);
    }
    Ok(MemberFile { records, columns: map.columns() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Row;

    #[test]
    fn values_parse_from_vietnamese_labels_and_bad_ones_are_named() {
        let table = Table {
            headers: ["Họ và tên", "Giới tính", "Chính thức/Dự bị", "Đơn vị"]
                .iter()
                .map(|h| h.to_string())
                .collect(),
            rows: vec![
                Row {
                    number: 2,
                    cells: vec![
                        Cell::Text("Lò Thị Ơn".into()),
                        Cell::Text("Nữ".into()),
                        Cell::Text("Dự bị".into()),
                        Cell::Int(12),
                    ],
                },
                Row {
                    number: 3,
                    cells: vec![
                        Cell::Text("Giàng A Páo".into()),
                        Cell::Text("X".into()),
                        Cell::Empty,
                        Cell::Text("Chi bộ bản Him Lam 1".into()),
                    ],
                },
            ],
        };
        let problems = read_members(&table).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].describe(false),
            "Dòng 3, cột “Giới tính”: Không rõ giá trị “X”. Dùng một trong: Nam, Nữ."
        );
        let mut fixed = table.clone();
        fixed.rows[1].cells[1] = Cell::Text("nam".into());
        let file = read_members(&fixed).unwrap();
        assert_eq!(file.records[0].sex, Some(Sex::Female));
        assert_eq!(file.records[0].membership, Membership::Probationary);
        assert_eq!(file.records[0].unit, UnitTarget::Id(12));
        assert_eq!(file.records[1].membership, Membership::Official);
        assert_eq!(file.records[1].unit, UnitTarget::Name("Chi bộ bản Him Lam 1".into()));
    }
}
