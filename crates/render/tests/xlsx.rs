//! XLSX export read back with calamine.

use calamine::{Data, Reader, Xlsx};
use daihoi_render::*;
use time::macros::date;

fn workbook() -> Vec<u8> {
    let sheets = [
        Sheet {
            name: "Tiến độ".into(),
            columns: vec![
                SheetColumn::new("TT", 5.0),
                SheetColumn::new("Đơn vị", 40.0),
                SheetColumn::new("Ngày đại hội", 14.0),
                SheetColumn::new("Đảng viên", 10.0),
                SheetColumn::new("Tỷ lệ có mặt", 12.0),
            ],
            rows: vec![
                vec![
                    Cell::Int(1),
                    "Chi bộ Tổ dân phố 5".into(),
                    Cell::Date(date!(2020 - 04 - 03)),
                    Cell::Int(11),
                    Cell::Percent { part: 10, whole: 11 },
                ],
                vec![
                    Cell::Int(2),
                    "Đảng bộ Công an phường Him Lam".into(),
                    Cell::Empty,
                    Cell::Int(0),
                    Cell::Percent { part: 0, whole: 0 },
                ],
            ],
        },
        Sheet { name: "Trống".into(), columns: vec![], rows: vec![] },
    ];
    xlsx_table(&sheets).unwrap()
}

#[test]
fn cells_read_back_typed() {
    let bytes = workbook();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Tiến độ", "Trống"]);
    let range = book.worksheet_range("Tiến độ").unwrap();
    assert_eq!(range.get_value((0, 1)), Some(&Data::String("Đơn vị".into())));
    assert_eq!(range.get_value((1, 0)), Some(&Data::Float(1.0)));
    assert_eq!(range.get_value((1, 1)), Some(&Data::String("Chi bộ Tổ dân phố 5".into())));
    match range.get_value((1, 2)) {
        // 3 April 2020 is Excel serial 43924.
        Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 43924.0),
        other => panic!("date cell read as {other:?}"),
    }
    match range.get_value((1, 4)) {
        Some(Data::Float(v)) => assert!((v - 10.0 / 11.0).abs() < 1e-12),
        other => panic!("percent cell read as {other:?}"),
    }
    assert_eq!(
        range.get_value((2, 1)),
        Some(&Data::String("Đảng bộ Công an phường Him Lam".into()))
    );
    assert!(matches!(range.get_value((2, 2)), None | Some(Data::Empty)));
    assert!(matches!(range.get_value((2, 4)), None | Some(Data::Empty)), "no base, no percentage");
}

#[test]
fn header_is_bold_and_frozen() {
    let bytes = workbook();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(
        xml.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "{xml}"
    );
    assert!(xml.contains("<autoFilter"));
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/styles.xml").unwrap(), &mut styles)
        .unwrap();
    assert!(styles.contains("<b/>"));
    assert!(styles.contains("dd/mm/yyyy") && styles.contains("0.00%"));
}

#[test]
fn bad_sheet_names_are_errors() {
    let sheets = [Sheet { name: "Báo cáo [tháng 8]".into(), columns: vec![], rows: vec![] }];
    assert!(matches!(xlsx_table(&sheets), Err(RenderError::Xlsx(_))));
    let sheets = [Sheet { name: "x".repeat(32), columns: vec![], rows: vec![] }];
    assert!(matches!(xlsx_table(&sheets), Err(RenderError::Xlsx(_))));
}
