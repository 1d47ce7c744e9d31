//! Badges: text of the PDF and page images (`target/tmp/render/badges-*.png`).

mod common;

use daihoi_core::date::Term;
use daihoi_render::*;

fn badges(n: usize) -> Vec<Badge> {
    let people = [
        ("Nguyễn Thị Thanh Hương", BadgeRole::Official, "Đoàn đại biểu Chi bộ Tổ dân phố 5"),
        ("Lò Văn Muôn", BadgeRole::Official, "Đoàn đại biểu Đảng bộ Công an phường"),
        ("Lường Thị Ỷ", BadgeRole::Alternate, "Đoàn đại biểu Chi bộ Trường Tiểu học Him Lam"),
        ("Trần Đức Thắng", BadgeRole::Guest, "Thành ủy Điện Biên Phủ"),
        ("Hoàng Quốc Việt", BadgeRole::Other("Phóng viên".into()), "Báo Điện Biên Phủ"),
    ];
    (0..n)
        .map(|i| {
            let (name, role, unit) = &people[i % people.len()];
            Badge {
                number: format!("{:03}", i + 1),
                name: name.to_string(),
                role: role.clone(),
                unit: unit.to_string(),
            }
        })
        .collect()
}

fn sheet() -> BadgeSheet {
    BadgeSheet {
        congress: "Đại hội đại biểu Đảng bộ phường Him Lam lần thứ XII".into(),
        term: Some(Term::new(2020, 2025).unwrap()),
    }
}

#[test]
fn badges_sheet_has_every_badge() {
    let pdf = badges_pdf(&badges(11), &sheet()).unwrap();
    let text = common::squash(&common::pdf_text("badges", &pdf));
    for expected in [
        "ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ PHƯỜNG HIM LAM LẦN THỨ XII",
        "Nhiệm kỳ 2020 - 2025",
        "ĐẠI BIỂU CHÍNH THỨC",
        "ĐẠI BIỂU DỰ KHUYẾT",
        "KHÁCH MỜI",
        "PHÓNG VIÊN",
        "Nguyễn Thị Thanh Hương",
        "Lường Thị Ỷ",
        "Đoàn đại biểu Chi bộ Trường Tiểu học Him Lam",
        "001",
        "011",
    ] {
        assert!(text.contains(expected), "{expected} missing");
    }
    assert_eq!(common::pdf_pages("badges", &pdf), 2);
    common::clear_pngs("badges");
    assert_eq!(common::pdf_pngs("badges", &pdf, 60, 1, 2).len(), 2);
}

#[test]
fn no_badges_is_an_empty_document_not_an_error() {
    let pdf = badges_pdf(&[], &sheet()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}
