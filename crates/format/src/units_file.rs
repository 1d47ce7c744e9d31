//! The units file: one party unit per row, CSV or XLSX, Vietnamese or English headers. A row
//! names its parent by the file-local key (`Mã`) of another row, in any order, or by the id of a
//! unit already in the tree, so a whole subtree travels in one file.
//!
//! This module checks the file on its own (types, keys, cycles); the store then checks it
//! against the tree (parents exist, scope, the Statute's registry rules) before writing it.

use std::collections::HashMap;

use daihoi_core::records::{ParentRef, RowProblem, UnitFile, UnitRecord};
use daihoi_core::unit::UnitKind;

use crate::table::{Cell, CellReader, FieldSpec, Table, map_columns};

/// The columns of a units file. The first alias of each is its folded Vietnamese header.
pub const UNIT_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        field: "key",
        aliases: &["ma", "ma don vi", "key", "code", "id"],
        required: false,
        export_header: "Mã",
    },
    FieldSpec {
        field: "name",
        aliases: &["ten don vi", "ten", "ten to chuc dang", "name", "unit name", "unit"],
        required: true,
        export_header: "Tên đơn vị",
    },
    FieldSpec {
        field: "kind",
        aliases: &["loai", "loai don vi", "loai hinh", "kind", "type"],
        required: true,
        export_header: "Loại",
    },
    FieldSpec {
        field: "parent",
        aliases: &[
            "don vi cap tren",
            "ma don vi cap tren",
            "cap tren",
            "truc thuoc",
            "parent",
            "parent id",
            "parent key",
        ],
        required: false,
        export_header: "Đơn vị cấp trên",
    },
    FieldSpec {
        field: "issuer_abbrev",
        aliases: &["ky hieu", "ky hieu van ban", "issuer", "issuer abbrev", "abbrev"],
        required: false,
        export_header: "Ký hiệu",
    },
    FieldSpec {
        field: "official",
        aliases: &[
            "so dang vien chinh thuc",
            "dang vien chinh thuc",
            "chinh thuc",
            "official",
            "declared official",
            "official members",
        ],
        required: false,
        export_header: "Số đảng viên chính thức",
    },
    FieldSpec {
        field: "probationary",
        aliases: &[
            "so dang vien du bi",
            "dang vien du bi",
            "du bi",
            "probationary",
            "declared probationary",
            "probationary members",
        ],
        required: false,
        export_header: "Số đảng viên dự bị",
    },
    FieldSpec {
        field: "valid_from",
        aliases: &["hieu luc tu", "tu ngay", "ngay thanh lap", "valid from"],
        required: false,
        export_header: "Hiệu lực từ",
    },
    FieldSpec {
        field: "valid_to",
        aliases: &["hieu luc den", "den ngay", "valid to"],
        required: false,
        export_header: "Hiệu lực đến",
    },
    FieldSpec {
        field: "note",
        aliases: &["ghi chu", "note", "notes"],
        required: false,
        export_header: "Ghi chú",
    },
];

/// The headers of an exported units file, in order.
pub fn export_headers() -> Vec<&'static str> {
    UNIT_FIELDS.iter().map(|spec| spec.export_header).collect()
}

/// A unit as written to a file (the export side).
#[derive(Debug, Clone)]
pub struct UnitLine {
    /// Its id, written as the key.
    pub id: i64,
    /// Its parent's id.
    pub parent_id: Option<i64>,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Issuer abbreviation.
    pub issuer_abbrev: Option<String>,
    /// Official members of the unit itself.
    pub official: i64,
    /// Probationary members of the unit itself.
    pub probationary: i64,
    /// First day.
    pub valid_from: Option<time::Date>,
    /// Last day.
    pub valid_to: Option<time::Date>,
    /// Note.
    pub note: Option<String>,
}

impl UnitLine {
    /// The cells of this unit, in [`export_headers`] order (the order of [`UNIT_FIELDS`]).
    pub fn cells(&self) -> Vec<Cell> {
        vec![
            Cell::Int(self.id),
            Cell::Text(self.name.clone()),
            Cell::Text(self.kind.label_vi().to_string()),
            self.parent_id.map(Cell::Int).unwrap_or(Cell::Empty),
            Cell::opt_text(self.issuer_abbrev.as_deref()),
            Cell::Int(self.official),
            Cell::Int(self.probationary),
            self.valid_from.map(Cell::Date).unwrap_or(Cell::Empty),
            self.valid_to.map(Cell::Date).unwrap_or(Cell::Empty),
            Cell::opt_text(self.note.as_deref()),
        ]
    }
}

fn kind_names() -> Vec<&'static str> {
    UnitKind::ALL.iter().map(|kind| kind.label_vi()).collect()
}

/// Reads a units file. Returns every problem found, or the records with their parents
/// resolved within the file.
pub fn read_units(table: &Table) -> Result<UnitFile, Vec<RowProblem>> {
    let map = map_columns(&table.headers, UNIT_FIELDS)?;
    let mut reader = CellReader::new(&map, UNIT_FIELDS);
    let mut records = Vec::with_capacity(table.rows.len());
    let mut parent_texts: Vec<Option<String>> = Vec::with_capacity(table.rows.len());
    let kinds = kind_names();
    for row in &table.rows {
        let name = reader.text(row, "name").unwrap_or_default();
        if name.is_empty() {
            reader.problem(
                row,
                "name",
                "Tên đơn vị không được để trống.",
                "The unit name is required.",
            );
        } else if name.chars().count() > 300 {
            reader.problem(
                row,
                "name",
                "Tên đơn vị dài quá 300 ký tự.",
                "The unit name is longer than 300 characters.",
            );
        }
        let kind = match reader.text(row, "kind") {
            None => {
                reader.problem(
                    row,
                    "kind",
                    format!("Thiếu loại đơn vị. Dùng một trong: {}.", kinds.join(", ")),
                    format!("The kind is missing. Use one of: {}.", kinds.join(", ")),
                );
                None
            }
            Some(_) => reader.coded(row, "kind", UnitKind::parse, &kinds),
        };
        let official = reader.count(row, "official");
        let probationary = reader.count(row, "probationary");
        let valid_from = reader.date(row, "valid_from");
        let valid_to = reader.date(row, "valid_to");
        if let (Some(from), Some(to)) = (valid_from, valid_to)
            && to < from
        {
            reader.problem(
                row,
                "valid_to",
                "Ngày kết thúc hiệu lực phải sau ngày bắt đầu.",
                "The end date must not be before the start date.",
            );
        }
        parent_texts.push(reader.text(row, "parent"));
        records.push(UnitRecord {
            row: row.number,
            key: reader.text(row, "key"),
            parent: ParentRef::Default,
            name,
            kind: kind.unwrap_or(UnitKind::Cell),
            issuer_abbrev: reader.text(row, "issuer_abbrev"),
            declared_official: official,
            declared_probationary: probationary,
            valid_from,
            valid_to,
            note: reader.text(row, "note"),
        });
    }
    // Keys: unique within the file. A parent names a key of this file first, then an id.
    let mut keys: HashMap<String, usize> = HashMap::new();
    for (index, record) in records.iter().enumerate() {
        if let Some(key) = &record.key {
            if let Some(first) = keys.get(key) {
                let first_row = records[*first].row;
                reader.problems.push(RowProblem::new(
                    record.row,
                    map.header("key", UNIT_FIELDS),
                    format!("Mã “{key}” trùng với dòng {first_row}."),
                    format!("The key “{key}” is already used on row {first_row}."),
                ));
            } else {
                keys.insert(key.clone(), index);
            }
        }
    }
    for (index, text) in parent_texts.iter().enumerate() {
        let Some(text) = text else { continue };
        let parent = if let Some(parent_index) = keys.get(text) {
            ParentRef::Record(*parent_index)
        } else if let Ok(id) = text.parse::<i64>()
            && id > 0
        {
            ParentRef::Existing(id)
        } else {
            reader.problems.push(RowProblem::new(
                records[index].row,
                map.header("parent", UNIT_FIELDS),
                format!("Không có đơn vị nào mang mã “{text}” trong tệp, và đây không phải mã số của một đơn vị đã có."),
                format!("No row of the file has the key “{text}”, and it is not the id of an existing unit."),
            ));
            continue;
        };
        records[index].parent = parent;
    }
    reader.problems.extend(cycle_problems(&records, &map.header("parent", UNIT_FIELDS)));
    if !reader.problems.is_empty() {
        let mut problems = reader.problems;
        problems.sort_by_key(|problem| problem.row);
        return Err(problems);
    }
    Ok(UnitFile { records, columns: map.columns() })
}

/// Rows whose parent chain within the file comes back to them: one problem per row on a cycle.
pub fn cycle_problems(records: &[UnitRecord], parent_header: &str) -> Vec<RowProblem> {
    // 0 = not visited, 1 = on the current path, 2 = done (reaches outside the file).
    let mut state = vec![0u8; records.len()];
    let mut problems = Vec::new();
    for start in 0..records.len() {
        let mut path = Vec::new();
        let mut current = start;
        loop {
            if state[current] == 2 {
                break;
            }
            if state[current] == 1 {
                let cycle_start = path.iter().position(|index| *index == current).unwrap_or(0);
                let cycle: Vec<usize> = path[cycle_start..].to_vec();
                let rows: Vec<String> =
                    cycle.iter().map(|index| records[*index].row.to_string()).collect();
                for index in &cycle {
                    problems.push(RowProblem::new(
                        records[*index].row,
                        parent_header,
                        format!("Vòng lặp đơn vị cấp trên giữa các dòng {}.", rows.join(", ")),
                        format!("The parents form a cycle through rows {}.", rows.join(", ")),
                    ));
                }
                break;
            }
            state[current] = 1;
            path.push(current);
            match records[current].parent {
                ParentRef::Record(parent) => current = parent,
                _ => break,
            }
        }
        for index in path {
            state[index] = 2;
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Row;

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(index, cells)| Row {
                    number: index as u32 + 2,
                    cells: cells
                        .iter()
                        .map(|c| if c.is_empty() { Cell::Empty } else { Cell::Text(c.to_string()) })
                        .collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn parents_resolve_to_keys_in_any_order_then_to_ids() {
        let file = read_units(&table(
            &["Mã", "Tên đơn vị", "Loại", "Đơn vị cấp trên"],
            &[
                &["c1", "Chi bộ 1", "Chi bộ", "dbcs"],
                &["dbcs", "Đảng bộ phường Him Lam", "Đảng bộ cơ sở", "12"],
            ],
        ))
        .unwrap();
        assert_eq!(file.records[0].parent, ParentRef::Record(1));
        assert_eq!(file.records[1].parent, ParentRef::Existing(12));
        assert_eq!(file.records[1].kind, UnitKind::GrassrootsCommittee);
    }

    #[test]
    fn cycles_and_unknown_parents_are_named() {
        let problems = read_units(&table(
            &["Mã", "Tên đơn vị", "Loại", "Đơn vị cấp trên"],
            &[&["a", "A", "Chi bộ", "b"], &["b", "B", "Chi bộ", "a"], &["c", "C", "Chi bộ", "zz"]],
        ))
        .unwrap_err();
        let texts: Vec<String> = problems.iter().map(|p| p.describe(true)).collect();
        assert_eq!(
            texts,
            [
                "Row 2, column “Đơn vị cấp trên”: The parents form a cycle through rows 2, 3.",
                "Row 3, column “Đơn vị cấp trên”: The parents form a cycle through rows 2, 3.",
                "Row 4, column “Đơn vị cấp trên”: No row of the file has the key “zz”, and it is not the id of an existing unit.",
            ]
        );
    }

    #[test]
    fn export_cells_follow_the_header_order() {
        let line = UnitLine {
            id: 7,
            parent_id: Some(3),
            name: "Chi bộ bản Him Lam 1".into(),
            kind: UnitKind::Cell,
            issuer_abbrev: Some("CB".into()),
            official: 20,
            probationary: 1,
            valid_from: None,
            valid_to: None,
            note: None,
        };
        let cells = line.cells();
        let headers = export_headers();
        let at = |header: &str| &cells[headers.iter().position(|h| *h == header).unwrap()];
        assert_eq!(at("Mã"), &Cell::Int(7));
        assert_eq!(at("Đơn vị cấp trên"), &Cell::Int(3));
        assert_eq!(at("Tên đơn vị"), &Cell::Text("Chi bộ bản Him Lam 1".into()));
        assert_eq!(at("Loại"), &Cell::Text("Chi bộ".into()));
        assert_eq!(at("Số đảng viên dự bị"), &Cell::Int(1));
    }
}
