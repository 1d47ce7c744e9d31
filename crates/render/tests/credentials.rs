//! The credentials report as PDF and DOCX.

mod common;

use daihoi_core::date::Term;
use daihoi_render::*;
use time::macros::date;

fn report() -> CredentialsReport {
    CredentialsReport {
        paper: Paper::A4,
        issuer: Issuer::Congress {
            organisation: "Đảng bộ phường Him Lam".into(),
            congress: congress_line(CongressKind::Delegates, 12).unwrap(),
            term: Some(Term::new(2020, 2025).unwrap()),
        },
        number: Some("05-BC/ĐH".into()),
        place: "Điện Biên Phủ".into(),
        date: date!(2020 - 08 - 13),
        congress_name: "Đại hội đại biểu Đảng bộ phường Him Lam lần thứ XII, nhiệm kỳ 2020 - 2025"
            .into(),
        basis: vec!["Điều lệ Đảng".into(), "Quy chế làm việc của Đại hội".into()],
        summoned: DelegateKinds { ex_officio: 21, elected: 125, appointed: 4 },
        present: 147,
        absent: vec![
            ReasonCount::new("ốm, có đơn xin vắng", 2),
            ReasonCount::new("đi công tác", 1),
        ],
        alternates_seated: 1,
        composition: vec![
            CompositionLine { label: "Đại biểu nữ".into(), count: 45 },
            CompositionLine { label: "Đại biểu dân tộc thiểu số".into(), count: 62 },
            CompositionLine { label: "Đại biểu dưới 40 tuổi".into(), count: 30 },
        ],
        problems: vec![],
        conclusion: "Tất cả 148 đại biểu có mặt đều đủ tư cách đại biểu dự Đại hội.".into(),
        chair: "Cà Thị Hoa".into(),
    }
}

#[test]
fn credentials_pdf_and_docx_have_the_figures() {
    let r = report();
    let pdf = credentials_report_pdf(&r).unwrap();
    let text = common::squash(&common::pdf_text("credentials", &pdf));
    let docx = common::docx_text(&credentials_report_docx(&r).unwrap());
    for expected in [
        "BÁO CÁO",
        "Thẩm tra tư cách đại biểu dự Đại hội đại biểu Đảng bộ phường Him Lam lần thứ XII",
        "Tổng số đại biểu chính thức được triệu tập: 150 đồng chí",
        "ốm, có đơn xin vắng: 2 đồng chí",
        "Số đại biểu dự khuyết được triệu tập thay thế: 1 đồng chí",
        "Tổng số đại biểu tham dự Đại hội: 148 đồng chí",
        "không nhận được đơn thư",
        "T/M BAN THẨM TRA TƯ CÁCH ĐẠI BIỂU",
        "Cà Thị Hoa",
    ] {
        assert!(text.contains(expected), "PDF: {expected} missing");
        assert!(docx.contains(expected), "DOCX: {expected} missing");
    }
    // Percentages against the 150 summoned.
    assert!(text.contains("Đại biểu dân tộc thiểu số 62 41,33%"), "{text}");
    assert!(docx.contains("Đại biểu dân tộc thiểu số | 62 | 41,33%"));
    assert!(docx.contains("Đại biểu do đại hội các đảng bộ, chi bộ trực thuộc bầu | 125 | 83,33%"));
    let pages = common::pdf_pages("credentials", &pdf);
    common::clear_pngs("credentials");
    assert_eq!(common::pdf_pngs("credentials", &pdf, 60, 1, pages).len(), pages);
}

#[test]
fn problems_replace_the_no_complaints_line() {
    let mut r = report();
    r.problems = vec![
        "Đồng chí Lò Văn Muôn chuyển sinh hoạt đảng trước ngày khai mạc, không triệu tập.".into(),
    ];
    let docx = common::docx_text(&credentials_report_docx(&r).unwrap());
    assert!(docx.contains("chuyển sinh hoạt đảng trước ngày khai mạc"));
    assert!(!docx.contains("không nhận được đơn thư"));
}

#[test]
fn figures_that_do_not_add_up_are_refused() {
    let mut r = report();
    r.present = 148;
    assert!(matches!(credentials_report_pdf(&r), Err(RenderError::Inconsistent(_))));
    let mut r = report();
    r.alternates_seated = 4;
    assert!(matches!(credentials_report_docx(&r), Err(RenderError::Inconsistent(_))));
    let mut r = report();
    r.composition[0].count = 151;
    assert!(matches!(credentials_report_docx(&r), Err(RenderError::Inconsistent(_))));
}
