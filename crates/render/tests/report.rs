//! The simple report helper: the same content as PDF and DOCX.

mod common;

use daihoi_core::date::Term;
use daihoi_render::*;
use time::macros::date;

fn sample() -> Report {
    Report {
        paper: Paper::A4,
        title: "Báo cáo tiến độ đại hội".into(),
        header: Some(DocumentHeader {
            issuer: Issuer::Body {
                superior: Some("Đảng bộ tỉnh Điện Biên".into()),
                name: "Thành ủy Điện Biên Phủ".into(),
            },
            number: Some("79-BC/TU".into()),
            place_date: Some(PlaceDate {
                place: "Điện Biên Phủ".into(),
                date: date!(2020 - 01 - 07),
            }),
            document_type: "Báo cáo".into(),
            summary: vec![
                "tiến độ tổ chức đại hội chi bộ, đảng bộ cơ sở".into(),
                format!("nhiệm kỳ {}", Term::new(2020, 2025).unwrap()),
            ],
        }),
        blocks: vec![
            Block::Heading("I. TÌNH HÌNH CHUNG".into()),
            Block::Paragraph(Paragraph::text(
                "Thực hiện Chỉ thị số 35-CT/TW ngày 30/5/2019 của Bộ Chính trị, Ban Thường vụ Thành ủy đã chỉ đạo các chi bộ, đảng bộ cơ sở tổ chức đại hội bảo đảm đúng tiến độ. Đến nay đã có 12/14 đảng bộ cơ sở hoàn thành đại hội.",
            )),
            Block::Table(Table {
                columns: vec![
                    Column::new("TT", 1, Align::Center),
                    Column::new("Đơn vị", 6, Align::Left),
                    Column::new("Ngày đại hội", 3, Align::Center),
                    Column::new("Tỷ lệ", 2, Align::Right),
                ],
                rows: (1..=40)
                    .map(|i| {
                        Row::new(vec![
                            i.to_string(),
                            format!("Đảng bộ phường Mường Thanh số {i}"),
                            "14/8/2020".into(),
                            "85,71%".into(),
                        ])
                    })
                    .chain([Row::bold(vec![
                        String::new(),
                        "Cộng".into(),
                        String::new(),
                        "100%".into(),
                    ])])
                    .collect(),
                size: 12.0,
            }),
            Block::Signatures(vec![
                Signature { heading: vec!["Nơi nhận:".into()], note: None, names: vec![] },
                Signature {
                    heading: vec!["T/M BAN THƯỜNG VỤ".into(), "BÍ THƯ".into()],
                    note: None,
                    names: vec!["Lò Văn Muôn".into()],
                },
            ]),
        ],
        page_numbers: true,
    }
}

#[test]
fn report_pdf_has_the_text_and_pages() {
    let pdf = report_pdf(&sample()).unwrap();
    let text = common::pdf_text("report", &pdf);
    let flat = common::squash(&text);
    for part in [
        "ĐẢNG BỘ TỈNH ĐIỆN BIÊN",
        "THÀNH ỦY ĐIỆN BIÊN PHỦ",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 79-BC/TU",
        "Điện Biên Phủ, ngày 07 tháng 01 năm 2020",
        "BÁO CÁO",
        "Đảng bộ phường Mường Thanh số 40",
        "T/M BAN THƯỜNG VỤ",
        "Lò Văn Muôn",
    ] {
        assert!(flat.contains(part), "{part} missing");
    }
    let pages = common::pdf_pages("report", &pdf);
    assert!(pages >= 2);
    assert!(flat.contains(&format!("Trang {pages}/{pages}")));
    common::clear_pngs("report");
    let pngs = common::pdf_pngs("report", &pdf, 60, 1, pages);
    assert_eq!(pngs.len(), pages);
}

#[test]
fn report_docx_has_the_same_content() {
    let docx = report_docx(&sample()).unwrap();
    let text = common::docx_text(&docx);
    for part in [
        "ĐẢNG BỘ TỈNH ĐIỆN BIÊN",
        "Số 79-BC/TU",
        "Điện Biên Phủ, ngày 07 tháng 01 năm 2020",
        "BÁO CÁO",
        "Đảng bộ phường Mường Thanh số 40",
        "85,71%",
        "Lò Văn Muôn",
    ] {
        assert!(text.contains(part), "{part} missing");
    }
    let xml = common::docx_xml(&docx);
    assert!(xml.contains("<w:tblHeader />"), "header rows repeat on each page");
    assert!(!xml.contains(r#"w:val="1" w:hRule"#), "marker replaced");
    common::save("report.docx", &docx);
}

#[test]
fn every_vietnamese_letter_survives_the_round_trip_in_every_face() {
    let letters = "aàảãáạ ăằẳẵắặ âầẩẫấậ eèẻẽéẹ êềểễếệ iìỉĩíị oòỏõóọ ôồổỗốộ ơờởỡớợ uùủũúụ ưừửữứự \
                   yỳỷỹýỵ đ AÀẢÃÁẠ ĂẰẲẴẮẶ ÂẦẨẪẤẬ EÈẺẼÉẸ ÊỀỂỄẾỆ IÌỈĨÍỊ OÒỎÕÓỌ ÔỒỔỖỐỘ ƠỜỞỠỚỢ \
                   UÙỦŨÚỤ ƯỪỬỮỨỰ YỲỶỸÝỴ Đ";
    let report = Report {
        paper: Paper::A4,
        title: "Chữ Việt".into(),
        header: None,
        blocks: vec![
            Block::Paragraph(Paragraph::new(vec![Span::regular(letters)]).aligned(Align::Left)),
            Block::Paragraph(Paragraph::new(vec![Span::bold(letters)]).aligned(Align::Left)),
            Block::Paragraph(Paragraph::new(vec![Span::italic(letters)]).aligned(Align::Left)),
            Block::Paragraph(Paragraph::new(vec![Span::bold_italic(letters)]).aligned(Align::Left)),
        ],
        page_numbers: false,
    };
    let pdf = report_pdf(&report).unwrap();
    let text = common::squash(&common::pdf_text("letters", &pdf));
    assert_eq!(text.matches(&common::squash(letters)).count(), 4, "{text}");
    common::clear_pngs("letters");
    assert_eq!(common::pdf_pngs("letters", &pdf, 100, 1, 1).len(), 1);
}
