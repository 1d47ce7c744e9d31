//! `daihoi import`, `export` and `generate` through the real binary: exit codes, messages that
//! name the row and column, nothing stored on a bad file, and round trips.

mod common;

use common::{TempDir, UNITS_CSV, daihoi, database, stderr, stdout, write};
use daihoi_format::table::{Cell, TableFormat, read_table};

/// The rows of an exported units file with ids replaced by names, so exports of two databases
/// compare: (name, kind, parent name, official, probationary, valid from).
fn units_by_name(csv: &str) -> Vec<Vec<String>> {
    let table = read_table(csv.as_bytes(), TableFormat::Csv).expect("read the export");
    let text = |cell: &Cell| cell.text().unwrap_or_default();
    let names: std::collections::HashMap<String, String> =
        table.rows.iter().map(|row| (text(&row.cells[0]), text(&row.cells[1]))).collect();
    let mut rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| {
            let parent = names.get(&text(&row.cells[3])).cloned().unwrap_or_default();
            vec![
                text(&row.cells[1]),
                text(&row.cells[2]),
                parent,
                text(&row.cells[5]),
                text(&row.cells[6]),
                text(&row.cells[7]),
            ]
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn a_units_file_with_bad_rows_is_refused_whole_then_imported_and_round_trips() {
    let dir = TempDir::new("daihoi-cli");
    let db = database(&dir.0, "a.db");
    let bad = UNITS_CSV
        .replace(
            "c2;Chi bộ tổ dân phố 5;Chi bộ;hl;12;",
            "c2;Chi bộ tổ dân phố 5;Chi bộ;hl;mười hai;",
        )
        .replace("7/1/2020", "31/02/2020");
    let bad_file = write(&dir.0, "bad.csv", bad.as_bytes());
    let bad_path = bad_file.to_str().unwrap();
    let output = daihoi(&["import", "units", bad_path, "--database-url", &db]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("2 lỗi; chưa nhập gì"), "{message}");
    assert!(
        message.contains(
            "Dòng 7, cột “Số đảng viên chính thức”: “mười hai” không phải số nguyên không âm."
        ),
        "{message}"
    );
    assert!(
        message.contains("Dòng 8, cột “Hiệu lực từ”: “31/02/2020” không phải ngày hợp lệ"),
        "{message}"
    );
    let output = daihoi(&["import", "units", bad_path, "--database-url", &db, "--lang", "en"]);
    assert!(
        stderr(&output).contains("Row 7, column “Số đảng viên chính thức”: “mười hai” is not a whole number of zero or more."),
        "{}",
        stderr(&output)
    );
    let output = daihoi(&["export", "units", "--database-url", &db]);
    assert_eq!(output.status.code(), Some(2), "nothing was stored: {}", stderr(&output));

    let good = write(&dir.0, "good.csv", UNITS_CSV.as_bytes());
    let output =
        daihoi(&["import", "units", good.to_str().unwrap(), "--database-url", &db, "--dry-run"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("7 dòng hợp lệ"));
    assert_eq!(daihoi(&["export", "units", "--database-url", &db]).status.code(), Some(2));
    let output = daihoi(&["import", "units", good.to_str().unwrap(), "--database-url", &db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("đã nhập 7 đơn vị (1–7)"), "{}", stderr(&output));

    let exported = daihoi(&["export", "units", "--database-url", &db]);
    assert_eq!(exported.status.code(), Some(0));
    let first = stdout(&exported);
    assert!(first.starts_with("Mã,Tên đơn vị,Loại,Đơn vị cấp trên,"), "{first}");
    assert!(first.contains("\"Đảng bộ tỉnh, thành phố\""));
    let export_file = write(&dir.0, "export.csv", first.as_bytes());
    let db2 = database(&dir.0, "b.db");
    let output =
        daihoi(&["import", "units", export_file.to_str().unwrap(), "--database-url", &db2]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let second = stdout(&daihoi(&["export", "units", "--database-url", &db2]));
    assert_eq!(units_by_name(&second), units_by_name(&first));
    assert_eq!(units_by_name(&first).len(), 7);
    for url in [&db, &db2] {
        let verify = daihoi(&["audit", "verify", "--database-url", url]);
        assert_eq!(verify.status.code(), Some(0));
        assert!(stdout(&verify).starts_with("ok: 1 entries"), "{}", stdout(&verify));
    }
}

const MEMBERS_CSV: &str = "Họ và tên,Ngày sinh,Giới tính,Dân tộc,Ngày vào Đảng,Chính thức/Dự bị,Tình trạng,Trình độ chuyên môn,Lý luận chính trị,Đơn vị\n\
Lò Văn Pâng,12/03/1975,Nam,Thái,01/05/2000,Chính thức,,Đại học,Trung cấp,Chi bộ bản Him Lam 1\n\
Nguyễn Thị Hà,1980-07-01,Nữ,Kinh,2004-09-02,Dự bị,Sinh hoạt bình thường,Thạc sĩ,Sơ cấp,6\n\
Giàng A Páo,05/05/1990,Nam,Mông,20/10/2015,,Miễn sinh hoạt,,,Chi bộ tổ dân phố 6\n";

#[test]
fn a_members_file_is_checked_row_by_row_and_round_trips_through_csv_and_xlsx() {
    let dir = TempDir::new("daihoi-cli");
    let db = database(&dir.0, "m.db");
    let units = write(&dir.0, "units.csv", UNITS_CSV.as_bytes());
    assert_eq!(
        daihoi(&["import", "units", units.to_str().unwrap(), "--database-url", &db]).status.code(),
        Some(0)
    );
    let bad = MEMBERS_CSV
        .replace("1980-07-01,Nữ,Kinh,2004-09-02", "1980-07-01,Nữ,Kinh,1979-09-02")
        .replace("Chi bộ tổ dân phố 6\n", "4\n");
    let bad_file = write(&dir.0, "bad.csv", bad.as_bytes());
    let output = daihoi(&["import", "members", bad_file.to_str().unwrap(), "--database-url", &db]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("Dòng 3, cột “Ngày vào Đảng”: Ngày vào Đảng phải sau ngày sinh."),
        "{message}"
    );
    assert!(
        message.contains(
            "Dòng 4, cột “Đơn vị”: “Đảng bộ phường Him Lam” là đảng bộ cơ sở, không phải chi bộ"
        ),
        "{message}"
    );
    let empty = stdout(&daihoi(&["export", "members", "--database-url", &db]));
    assert_eq!(empty.lines().count(), 1, "only the header: {empty}");

    let good = write(&dir.0, "members.csv", MEMBERS_CSV.as_bytes());
    let output = daihoi(&["import", "members", good.to_str().unwrap(), "--database-url", &db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let first = stdout(&daihoi(&["export", "members", "--database-url", &db]));
    assert_eq!(first.lines().count(), 4, "{first}");
    assert!(first.contains("Nguyễn Thị Hà,01/07/1980,Nữ,Kinh,02/09/2004,Dự bị,Sinh hoạt bình thường,Thạc sĩ,Sơ cấp,6,Chi bộ tổ dân phố 5,"), "{first}");

    // The export reads back: importing it again doubles every line.
    let again = write(&dir.0, "again.csv", first.as_bytes());
    let output = daihoi(&["import", "members", again.to_str().unwrap(), "--database-url", &db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let xlsx = dir.0.join("members.xlsx");
    let output = daihoi(&[
        "export",
        "members",
        "--format",
        "xlsx",
        "-o",
        xlsx.to_str().unwrap(),
        "--database-url",
        &db,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = daihoi(&[
        "import",
        "members",
        xlsx.to_str().unwrap(),
        "--database-url",
        &db,
        "--lang",
        "en",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("imported 6 members"), "{}", stderr(&output));
    let last = stdout(&daihoi(&["export", "members", "--database-url", &db]));
    let mut lines: Vec<&str> = last.lines().skip(1).collect();
    lines.sort();
    let mut expected: Vec<&str> = first.lines().skip(1).flat_map(|line| [line; 4]).collect();
    expected.sort();
    assert_eq!(lines, expected);
    assert_eq!(daihoi(&["audit", "verify", "--database-url", &db]).status.code(), Some(0));
}

#[test]
fn generate_writes_a_tree_once_and_export_refuses_xlsx_to_a_terminal() {
    let dir = TempDir::new("daihoi-cli");
    let db = database(&dir.0, "g.db");
    let output = daihoi(&[
        "generate",
        "--units",
        "400",
        "--members-per-unit",
        "3",
        "--seed",
        "9",
        "--database-url",
        &db,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("generated 400 units"), "{}", stderr(&output));
    let units = stdout(&daihoi(&["export", "units", "--database-url", &db]));
    assert_eq!(units.lines().count(), 401);
    let output = daihoi(&["generate", "--units", "400", "--database-url", &db]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("already holds units"));
    let output = daihoi(&["export", "units", "--format", "xlsx", "--database-url", &db]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("-o FILE.xlsx"));
}
