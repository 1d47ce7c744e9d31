//! The congress roster as a spreadsheet: one person per row, Vietnamese or English headers,
//! every bad cell reported with its row and column; written back with the same headers so an
//! exported file imports again.

use daihoi_core::member::Sex;
use daihoi_core::records::RowProblem;
use daihoi_format::table::{CellReader, FieldSpec, Table, map_columns};
use daihoi_render::{Cell, Sheet, SheetColumn};
use daihoi_store::congress::{NewPerson, PersonRole, Standing};
use daihoi_store::congress_day::RosterRow;

/// The columns of a roster file. The first alias of each is its folded Vietnamese header.
pub(super) const ROSTER_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        field: "badge_no",
        aliases: &["so the", "so the dai bieu", "badge", "badge no", "badge number"],
        required: false,
        export_header: "Số thẻ",
    },
    FieldSpec {
        field: "full_name",
        aliases: &["ho va ten", "ho ten", "full name", "name"],
        required: true,
        export_header: "Họ và tên",
    },
    FieldSpec {
        field: "birth_date",
        aliases: &["ngay sinh", "birth date", "date of birth"],
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
        field: "delegation",
        aliases: &["doan", "doan dai bieu", "don vi", "delegation", "unit"],
        required: false,
        export_header: "Đoàn đại biểu",
    },
    FieldSpec {
        field: "role",
        aliases: &["loai", "loai dai bieu", "tu cach", "role"],
        required: true,
        export_header: "Loại đại biểu",
    },
    FieldSpec {
        field: "alternate_rank",
        aliases: &["thu tu du khuyet", "thu tu thay the", "alternate rank"],
        required: false,
        export_header: "Thứ tự dự khuyết",
    },
    FieldSpec {
        field: "standing",
        aliases: &["tinh trang", "standing", "status"],
        required: false,
        export_header: "Tình trạng",
    },
];

fn role_from(text: &str) -> Option<PersonRole> {
    let folded = daihoi_core::vn::fold(text);
    PersonRole::ALL.iter().copied().find(|role| {
        role.code() == text
            || daihoi_core::vn::fold(role.label_vi()) == folded
            || role.label_en().eq_ignore_ascii_case(text)
    })
}

fn standing_from(text: &str) -> Option<Standing> {
    let folded = daihoi_core::vn::fold(text);
    Standing::ALL.iter().copied().find(|standing| {
        standing.code() == text
            || daihoi_core::vn::fold(standing.label_vi()) == folded
            || standing.label_en().eq_ignore_ascii_case(text)
    })
}

fn sex_from(text: &str) -> Option<Sex> {
    let folded = daihoi_core::vn::fold(text);
    Sex::ALL.iter().copied().find(|sex| {
        sex.code() == text
            || daihoi_core::vn::fold(sex.label_vi()) == folded
            || sex.label_en().eq_ignore_ascii_case(text)
    })
}

/// Reads a roster table into people to add, or every problem found.
pub(super) fn read_roster(table: &Table) -> Result<Vec<NewPerson>, Vec<RowProblem>> {
    let map = map_columns(&table.headers, ROSTER_FIELDS)?;
    let mut reader = CellReader::new(&map, ROSTER_FIELDS);
    let roles: Vec<&str> = PersonRole::ALL.iter().map(|r| r.label_vi()).collect();
    let standings: Vec<&str> = Standing::ALL.iter().map(|s| s.label_vi()).collect();
    let sexes: Vec<&str> = Sex::ALL.iter().map(|s| s.label_vi()).collect();
    let mut people = Vec::with_capacity(table.rows.len());
    let mut alternate_ranks: Vec<(i64, u32)> = Vec::new();
    for row in &table.rows {
        let full_name = reader.text(row, "full_name").unwrap_or_default();
        if full_name.trim().is_empty() {
            reader.problem(row, "full_name", "Thiếu họ và tên.", "The full name is missing.");
        }
        let birth_date = reader.date(row, "birth_date");
        let sex = reader.coded(row, "sex", sex_from, &sexes);
        let role = match reader.text(row, "role") {
            None => {
                reader.problem(
                    row,
                    "role",
                    format!("Thiếu loại đại biểu. Dùng một trong: {}.", roles.join(", ")),
                    "The role is missing.",
                );
                None
            }
            Some(_) => reader.coded(row, "role", role_from, &roles),
        };
        let standing = reader.coded(row, "standing", standing_from, &standings);
        let rank = match reader.text(row, "alternate_rank") {
            None => None,
            Some(_) => Some(reader.count(row, "alternate_rank")).filter(|rank| *rank > 0),
        };
        if let Some(rank) = rank {
            if role != Some(PersonRole::Alternate) {
                reader.problem(
                    row,
                    "alternate_rank",
                    "Chỉ đại biểu dự khuyết mới có thứ tự dự khuyết.",
                    "Only alternates have an alternate rank.",
                );
            } else if let Some((_, first)) = alternate_ranks.iter().find(|(r, _)| *r == rank) {
                reader.problem(
                    row,
                    "alternate_rank",
                    format!("Thứ tự dự khuyết {rank} trùng với dòng {first}."),
                    format!("Alternate rank {rank} repeats row {first}."),
                );
            } else {
                alternate_ranks.push((rank, row.number));
            }
        }
        people.push(NewPerson {
            member_id: None,
            full_name,
            birth_date,
            sex,
            ethnicity: reader.text(row, "ethnicity"),
            delegation: reader.text(row, "delegation"),
            source_unit_id: None,
            role: role.unwrap_or(PersonRole::Guest),
            alternate_rank: rank,
            standing: standing.unwrap_or(Standing::Active),
        });
    }
    if table.rows.is_empty() {
        reader.problems.push(RowProblem::new(
            0,
            "",
            "Tệp không có dòng nào ngoài dòng tiêu đề.",
            "The file has no rows besides the header.",
        ));
    }
    if reader.problems.is_empty() { Ok(people) } else { Err(reader.problems) }
}

/// The roster as one worksheet with the import headers.
pub(super) fn roster_sheet(rows: &[RosterRow]) -> Sheet {
    let widths = [8.0, 28.0, 12.0, 9.0, 10.0, 30.0, 22.0, 10.0, 24.0];
    Sheet {
        name: "Danh sách đại biểu".into(),
        columns: ROSTER_FIELDS
            .iter()
            .zip(widths)
            .map(|(spec, width)| SheetColumn::new(spec.export_header, width))
            .collect(),
        rows: rows
            .iter()
            .map(|row| {
                let person = &row.person;
                let text =
                    |value: &Option<String>| value.clone().map(Cell::Text).unwrap_or(Cell::Empty);
                vec![
                    Cell::Int(person.badge_no),
                    Cell::Text(person.full_name.clone()),
                    person.birth_date.map(Cell::Date).unwrap_or(Cell::Empty),
                    person.sex.map(|s| Cell::Text(s.label_vi().into())).unwrap_or(Cell::Empty),
                    text(&person.ethnicity),
                    text(&person.delegation),
                    Cell::Text(person.role.label_vi().into()),
                    person.alternate_rank.map(Cell::Int).unwrap_or(Cell::Empty),
                    Cell::Text(person.standing.label_vi().into()),
                ]
            })
            .collect(),
    }
}
