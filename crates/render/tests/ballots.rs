//! Ballots: text and pages of the PDF (poppler-utils), and the exported row geometry.
//!
//! Page images are written to `target/tmp/render/ballot-*.png` for a person to look at.

mod common;

use daihoi_core::date::Term;
use daihoi_render::*;

/// Realistic names with every kind of Vietnamese diacritic.
const NAMES: [&str; 12] = [
    "Nguyễn Thị Thanh Hương",
    "Lò Văn Muôn",
    "Trần Đức Thắng",
    "Phạm Thị Ngọc Ánh",
    "Hoàng Quốc Việt",
    "Lường Thị Ỷ",
    "Vũ Ngọc Ẩn",
    "Đặng Thùy Dương",
    "Bùi Xuân Trường",
    "Quàng Văn Ửng",
    "Giàng A Sử",
    "Mùa Thị Dợ",
];

fn names(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            if i < NAMES.len() {
                NAMES[i].to_string()
            } else {
                format!("{} {}", NAMES[i % NAMES.len()], i + 1)
            }
        })
        .collect()
}

fn spec(n: usize, form: BallotForm, paper: Paper) -> BallotSpec {
    BallotSpec {
        issuer: Issuer::Congress {
            organisation: "Đảng bộ phường Him Lam".into(),
            congress: congress_line(CongressKind::Delegates, 12).unwrap(),
            term: Some(Term::new(2020, 2025).unwrap()),
        },
        title: "Phiếu bầu cử".into(),
        subtitle: "Ban Chấp hành Đảng bộ phường Him Lam khóa mới, nhiệm kỳ 2020 - 2025".into(),
        instructions: form.default_instructions().into(),
        names: names(n),
        form,
        paper,
        copies: 1,
        code: BallotCode::new("DH-12-R1").unwrap(),
        seal_label: "Nơi đóng dấu".into(),
    }
}

fn label(n: usize, form: BallotForm, paper: Paper) -> String {
    let form = match form {
        BallotForm::StrikeThrough => "strike",
        BallotForm::AgreeDisagree => "agree",
    };
    format!("ballot-{paper:?}-{form}-{n}").to_lowercase()
}

#[test]
fn ballots_print_every_name_and_the_code() {
    for paper in [Paper::A4, Paper::A5] {
        for form in [BallotForm::StrikeThrough, BallotForm::AgreeDisagree] {
            for n in [5, 60, 250] {
                let spec = spec(n, form, paper);
                let layout = ballot_layout(&spec);
                let pdf = ballots_pdf(&spec).unwrap();
                let name = label(n, form, paper);
                let text = common::squash(&common::pdf_text(&name, &pdf));
                for expected in [
                    "ĐẢNG BỘ PHƯỜNG HIM LAM",
                    "ĐẠI HỘI ĐẠI BIỂU LẦN THỨ XII",
                    "Nhiệm kỳ 2020 - 2025",
                    "ĐẢNG CỘNG SẢN VIỆT NAM",
                    "PHIẾU BẦU CỬ",
                    "Nơi đóng dấu",
                    "Mã phiếu: DH-12-R1",
                ] {
                    assert!(text.contains(expected), "{name}: {expected} missing");
                }
                for person in &spec.names {
                    assert!(text.contains(person.as_str()), "{name}: {person} missing");
                }
                if form == BallotForm::AgreeDisagree {
                    assert!(text.contains("Không đồng ý"), "{name}");
                }
                let pages = common::pdf_pages(&name, &pdf);
                assert_eq!(pages, layout.sheets as usize, "{name}");
                if layout.sheets > 1 {
                    assert!(text.contains(&format!("Tờ {0}/{0}", layout.sheets)), "{name}");
                }
                common::clear_pngs(&name);
                let pngs = common::pdf_pngs(&name, &pdf, 60, 1, pages);
                assert_eq!(pngs.len(), pages, "{name}");
            }
        }
    }
}

#[test]
fn copies_repeat_the_ballot() {
    let mut spec = spec(60, BallotForm::StrikeThrough, Paper::A4);
    spec.copies = 3;
    let layout = ballot_layout(&spec);
    let pdf = ballots_pdf(&spec).unwrap();
    assert_eq!(common::pdf_pages("ballot-copies", &pdf), 3 * layout.sheets as usize);
    let text = common::pdf_text("ballot-copies", &pdf);
    assert_eq!(text.matches("Tờ 1/2").count(), 3);
    assert_eq!(text.matches("Tờ 2/2").count(), 3);
    // One copy's drawing is shared: three copies are far from three times the size.
    let single = ballots_pdf(&BallotSpec { copies: 1, ..spec.clone() }).unwrap();
    assert!(pdf.len() < single.len() + 4_000, "{} vs {}", pdf.len(), single.len());
}

#[test]
fn rows_lie_inside_the_marks_without_overlap_for_every_list_length() {
    for paper in [Paper::A4, Paper::A5] {
        for form in [BallotForm::StrikeThrough, BallotForm::AgreeDisagree] {
            for n in 1..=250 {
                let layout = ballot_layout(&spec(n, form, paper));
                check_layout(&layout, n, form);
            }
        }
    }
}

fn check_layout(layout: &BallotLayout, n: usize, form: BallotForm) {
    let page = Rect::new(0.0, 0.0, layout.page_width, layout.page_height);
    assert_eq!(layout.rows.len(), n);
    assert_eq!(layout.sheet_codes.len(), layout.sheets as usize);
    for mark in &layout.registration_marks {
        assert!(page.contains(mark));
        assert!(!layout.mark_frame.overlaps(mark));
    }
    assert!(layout.mark_frame.contains(&layout.qr));
    assert!(layout.mark_frame.contains(&layout.seal));
    for (index, row) in layout.rows.iter().enumerate() {
        assert_eq!(row.number as usize, index + 1);
        assert!(row.sheet >= 1 && row.sheet <= layout.sheets);
        for rect in [row.row, row.number_cell, row.name_cell] {
            assert!(page.contains(&rect), "{n}: {rect:?}");
            assert!(layout.mark_frame.contains(&rect), "{n}: {rect:?}");
            assert!(!rect.overlaps(&layout.qr), "{n}: row over the QR code");
            assert!(!rect.overlaps(&layout.seal), "{n}: row over the seal");
        }
        assert!(row.row.contains(&row.name_cell) && row.row.contains(&row.number_cell));
        match form {
            BallotForm::StrikeThrough => {
                assert!(row.agree_box.is_none() && row.disagree_box.is_none())
            }
            BallotForm::AgreeDisagree => {
                let (agree, disagree) = (row.agree_box.unwrap(), row.disagree_box.unwrap());
                assert!(row.row.contains(&agree) && row.row.contains(&disagree));
                assert!(!agree.overlaps(&disagree) && !agree.overlaps(&row.name_cell));
                assert!(agree.x < disagree.x);
            }
        }
        // Sensible sizes for a pen stroke.
        assert!(row.row.height >= 16.0 && row.name_cell.width >= 120.0, "{n}: {row:?}");
    }
    for (i, a) in layout.rows.iter().enumerate() {
        for b in &layout.rows[i + 1..] {
            if a.sheet == b.sheet {
                assert!(!a.row.overlaps(&b.row), "{n}: rows {} and {} overlap", a.number, b.number);
            }
        }
    }
}

#[test]
fn layout_exports_as_json_and_back() {
    let layout = ballot_layout(&spec(7, BallotForm::AgreeDisagree, Paper::A5));
    let json = serde_json::to_string(&layout).unwrap();
    let back: BallotLayout = serde_json::from_str(&json).unwrap();
    assert_eq!(back, layout);
}

#[test]
fn the_same_spec_gives_the_same_bytes() {
    // No clock, no random ids: a ballot file can be reproduced and checked by hash.
    let spec = spec(12, BallotForm::AgreeDisagree, Paper::A5);
    assert_eq!(ballots_pdf(&spec).unwrap(), ballots_pdf(&spec).unwrap());
}
