//! Counting minutes: the PDF and the DOCX carry the same figures and wording.
//!
//! The DOCX text of each case is compared with `tests/data/minutes-<case>.txt` through
//! [`check`]. After an intended change of wording, regenerate the expectations with
//!
//! ```text
//! UPDATE_EXPECT=1 cargo test -p daihoi-render --test minutes
//! ```
//!
//! and review the diff. Page images go to `target/tmp/render/minutes-*.png`.

mod common;

use daihoi_core::date::Term;
use daihoi_render::*;
use time::macros::{date, datetime};

const NAMES: [&str; 17] = [
    "Phạm Thị Ngọc Ánh",
    "Vũ Ngọc Ẩn",
    "Lò Văn Cường",
    "Đặng Thùy Dương",
    "Mùa Thị Dợ",
    "Nguyễn Thị Thanh Hương",
    "Trần Văn Hùng",
    "Lò Văn Muôn",
    "Lường Văn Nam",
    "Giàng A Sử",
    "Trần Đức Thắng",
    "Bùi Xuân Trường",
    "Quàng Văn Ửng",
    "Hoàng Quốc Việt",
    "Lê Thị Xuân",
    "Lường Thị Ỷ",
    "Cầm Thị Yến",
];

fn committee_minutes() -> CountingMinutes {
    // 17 candidates for 15 seats; D = 148 of 150 summoned.
    let votes = [140, 98, 132, 120, 70, 145, 111, 139, 75, 101, 128, 117, 96, 136, 88, 109, 123];
    let candidates: Vec<CandidateResult> = NAMES
        .iter()
        .zip(votes)
        .map(|(name, votes)| CandidateResult {
            name: name.to_string(),
            note: (*name == "Lê Thị Xuân").then(|| "Đề cử tại Đại hội".to_string()),
            votes,
            disagree: None,
        })
        .collect();
    let mut winners: Vec<Ranked> = candidates
        .iter()
        .filter(|c| 2 * c.votes > 148)
        .map(|c| Ranked { name: c.name.clone(), votes: c.votes })
        .collect();
    winners.sort_by_key(|r| std::cmp::Reverse(r.votes));
    winners.truncate(15);
    CountingMinutes {
        paper: Paper::A4,
        issuer: Issuer::Congress {
            organisation: "Đảng bộ phường Him Lam".into(),
            congress: congress_line(CongressKind::Delegates, 12).unwrap(),
            term: Some(Term::new(2020, 2025).unwrap()),
        },
        number: Some("12-BB/ĐH".into()),
        place: "Điện Biên Phủ".into(),
        date: date!(2020 - 08 - 14),
        election: "Bầu Ban Chấp hành Đảng bộ phường Him Lam khóa mới, nhiệm kỳ 2020 - 2025".into(),
        round: 1,
        congress_name: "Đại hội đại biểu Đảng bộ phường Him Lam lần thứ XII".into(),
        congress_kind: CongressKind::Delegates,
        venue: Some("Hội trường Ủy ban nhân dân phường Him Lam".into()),
        regulation: "Điều lệ Đảng và Quy chế bầu cử trong Đảng ban hành kèm theo Quyết định số \
                     190-QĐ/TW ngày 10/10/2024 của Bộ Chính trị"
            .into(),
        elected_as: "Ban Chấp hành Đảng bộ phường Him Lam khóa mới".into(),
        seats: 15,
        seats_basis: SeatsBasis::VotedByCongress,
        form: BallotForm::StrikeThrough,
        candidates,
        counting_committee: vec![
            CommitteeMember { name: "Lê Văn Bình".into(), role: CommitteeRole::Head },
            CommitteeMember { name: "Cà Thị Hoa".into(), role: CommitteeRole::Member },
            CommitteeMember { name: "Vì Văn Khánh".into(), role: CommitteeRole::Member },
        ],
        attendance: Attendance {
            summoned: 150,
            present: 147,
            absences: vec![ReasonCount::new("có lý do", 2), ReasonCount::new("không có lý do", 1)],
        },
        base: Base {
            value: 148,
            steps: vec![
                BaseStep {
                    label: "Đại biểu chính thức được triệu tập".into(), change: 150
                },
                BaseStep {
                    label: "vắng mặt suốt thời gian đại hội, không có đại biểu dự khuyết thay thế"
                        .into(),
                    change: -2,
                },
            ],
        },
        ballots: BallotCounts {
            issued: 147,
            collected: 147,
            valid: 145,
            invalid: 2,
            invalid_reasons: vec![
                ReasonCount::new("để lại quá số lượng cần bầu", 1),
                ReasonCount::new("có ký hiệu riêng", 1),
            ],
        },
        winners,
        alternates: vec![],
        remarks: vec!["Đại hội bầu đủ 15 đồng chí; không phải bầu lần thứ hai.".into()],
        seal_hash: Some("9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8".into()),
        completed_at: datetime!(2020-08-14 15:40),
        entry_log: (1..=147)
            .map(|i| EntryLogRow {
                at: datetime!(2020-08-14 14:00) + time::Duration::seconds(i * 17),
                team: format!("Tổ {}", 1 + i % 3),
                ballot: i.to_string(),
                entry: if i % 2 == 0 {
                    "Gạch: Mùa Thị Dợ, Lường Văn Nam; hợp lệ".into()
                } else {
                    "Gạch: Lê Thị Xuân, Vũ Ngọc Ẩn; hợp lệ".into()
                },
            })
            .collect(),
    }
}

fn secretary_minutes() -> CountingMinutes {
    CountingMinutes {
        paper: Paper::A5,
        issuer: Issuer::Congress {
            organisation: "Chi bộ Tổ dân phố 5".into(),
            congress: "Đại hội lần thứ VII".into(),
            term: Some(Term::new(2025, 2027).unwrap()),
        },
        number: None,
        place: "Him Lam".into(),
        date: date!(2025 - 04 - 03),
        election: "Bầu Bí thư Chi bộ nhiệm kỳ 2025 - 2027".into(),
        round: 1,
        congress_name: "Đại hội Chi bộ Tổ dân phố 5 lần thứ VII".into(),
        congress_kind: CongressKind::Members,
        venue: None,
        regulation: "Quy chế bầu cử trong Đảng ban hành kèm theo Quyết định số 190-QĐ/TW".into(),
        elected_as: "Bí thư Chi bộ".into(),
        seats: 1,
        seats_basis: SeatsBasis::VotedByCongress,
        form: BallotForm::AgreeDisagree,
        candidates: vec![CandidateResult {
            name: "Nguyễn Thị Thanh Hương".into(),
            note: None,
            votes: 6,
            disagree: Some(4),
        }],
        counting_committee: vec![CommitteeMember {
            name: "Quàng Văn Ửng".into(),
            role: CommitteeRole::Head,
        }],
        attendance: Attendance { summoned: 11, present: 11, absences: vec![] },
        base: Base { value: 11, steps: vec![] },
        ballots: BallotCounts {
            issued: 11,
            collected: 11,
            valid: 10,
            invalid: 1,
            invalid_reasons: vec![],
        },
        winners: vec![Ranked { name: "Nguyễn Thị Thanh Hương".into(), votes: 6 }],
        alternates: vec![],
        remarks: vec![],
        seal_hash: None,
        completed_at: datetime!(2025-04-03 10:05),
        entry_log: vec![],
    }
}

fn delegates_minutes() -> CountingMinutes {
    let mut m = committee_minutes();
    m.election = "Bầu đại biểu chính thức dự Đại hội đại biểu Đảng bộ thành phố Điện Biên Phủ lần \
                  thứ XV, nhiệm kỳ 2020 - 2025"
        .into();
    m.elected_as =
        "đại biểu chính thức dự Đại hội đại biểu Đảng bộ thành phố Điện Biên Phủ lần thứ XV".into();
    m.seats = 14;
    m.seats_basis = SeatsBasis::AllocatedByHigherCommittee;
    let mut ranked: Vec<Ranked> = m
        .candidates
        .iter()
        .filter(|c| 2 * c.votes > 148)
        .map(|c| Ranked { name: c.name.clone(), votes: c.votes })
        .collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.votes));
    m.alternates = ranked.split_off(14);
    m.winners = ranked;
    m.remarks = vec!["Đại hội biểu quyết công nhận các đồng chí trúng cử đại biểu dự khuyết theo thứ tự số phiếu.".into()];
    m.entry_log.clear();
    m
}

/// Compare `actual` with `tests/data/<name>.txt`; `UPDATE_EXPECT=1` rewrites the file.
fn check(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_EXPECT=1", path.display()));
    assert!(
        expected == actual,
        "{name} differs from {}; run with UPDATE_EXPECT=1 and review the diff.\n--- actual ---\n{actual}",
        path.display()
    );
}

#[test]
fn committee_minutes_docx_wording() {
    let docx = counting_minutes_docx(&committee_minutes()).unwrap();
    common::save("minutes-committee.docx", &docx);
    check("minutes-committee", &common::docx_text(&docx));
}

#[test]
fn secretary_minutes_docx_wording() {
    let docx = counting_minutes_docx(&secretary_minutes()).unwrap();
    common::save("minutes-secretary.docx", &docx);
    check("minutes-secretary", &common::docx_text(&docx));
}

#[test]
fn delegates_minutes_docx_wording() {
    let docx = counting_minutes_docx(&delegates_minutes()).unwrap();
    check("minutes-delegates", &common::docx_text(&docx));
}

#[test]
fn committee_minutes_pdf_has_the_figures() {
    let minutes = committee_minutes();
    let pdf = counting_minutes_pdf(&minutes).unwrap();
    let text = common::squash(&common::pdf_text("minutes-committee", &pdf));
    for expected in [
        "ĐẢNG BỘ PHƯỜNG HIM LAM",
        "ĐẠI HỘI ĐẠI BIỂU LẦN THỨ XII",
        "Số 12-BB/ĐH",
        "Điện Biên Phủ, ngày 14 tháng 8 năm 2020",
        "BIÊN BẢN KIỂM PHIẾU",
        "Bầu Ban Chấp hành Đảng bộ phường Him Lam khóa mới, nhiệm kỳ 2020 - 2025",
        "Quyết định số 190-QĐ/TW",
        "Đại hội đã biểu quyết số lượng Ban Chấp hành Đảng bộ phường Him Lam khóa mới là 15 đồng chí",
        "Đ/c Lê Văn Bình, Trưởng ban",
        "Tổng số đại biểu chính thức được triệu tập: 150 đồng chí",
        "có lý do: 2; không có lý do: 1",
        "(D): 148 đồng chí",
        "Số phiếu phát ra: 147 phiếu",
        "Số phiếu hợp lệ: 145 phiếu",
        "để lại quá số lượng cần bầu: 1 phiếu",
        "Những đồng chí sau đây trúng cử Ban Chấp hành Đảng bộ phường Him Lam khóa mới",
        "Nguyễn Thị Thanh Hương 145 97,97%",
        "Mùa Thị Dợ 70 47,30%",
        "Mã niêm phong kết quả: 9f2c4e7a1b3d5f60718293a4b5c6d7e8",
        "15 giờ 40 phút",
        "T/M BAN KIỂM PHIẾU",
        "TRƯỞNG BAN",
        "NHẬT KÝ NHẬP PHIẾU",
        "14:41:39",
    ] {
        assert!(text.contains(expected), "{expected} missing");
    }
    let pages = common::pdf_pages("minutes-committee", &pdf);
    assert!(text.contains(&format!("Trang {pages}/{pages}")));
    common::clear_pngs("minutes-committee");
    assert_eq!(common::pdf_pngs("minutes-committee", &pdf, 60, 1, pages).len(), pages);
}

#[test]
fn secretary_minutes_use_office_wording_and_agree_columns() {
    let minutes = secretary_minutes();
    let pdf = counting_minutes_pdf(&minutes).unwrap();
    let text = common::squash(&common::pdf_text("minutes-secretary", &pdf));
    for expected in [
        "Đồng chí sau đây trúng cử Bí thư Chi bộ",
        "đảng viên chính thức",
        "không đồng ý",
        "54,55%",
    ] {
        assert!(text.contains(expected), "{expected} missing");
    }
    assert!(!text.contains("cấp ủy"), "no committee wording on an office election");
    let docx = common::docx_text(&counting_minutes_docx(&minutes).unwrap());
    assert!(docx.contains("Số phiếu không đồng ý") && docx.contains("Số phiếu đồng ý"));
    let pages = common::pdf_pages("minutes-secretary", &pdf);
    common::clear_pngs("minutes-secretary");
    assert_eq!(common::pdf_pngs("minutes-secretary", &pdf, 60, 1, pages).len(), pages);
}

#[test]
fn delegates_minutes_list_alternates_in_vote_order() {
    let docx = counting_minutes_docx(&delegates_minutes()).unwrap();
    let text = common::docx_text(&docx);
    assert!(text.contains("được cấp ủy cấp trên phân bổ là 14 đồng chí"));
    let alternates = text.find("đại biểu dự khuyết (xếp theo").unwrap();
    let tail = &text[alternates..];
    // 88 then 75 votes: ranks 15 and 16 in vote order.
    let (a, b) = (tail.find("Lê Thị Xuân").unwrap(), tail.find("Lường Văn Nam").unwrap());
    assert!(a < b);
    assert!(!tail.contains("Mùa Thị Dợ"), "70 of 148 is not more than half");
}

#[test]
fn contradictory_figures_are_refused() {
    let mut m = committee_minutes();
    m.ballots.valid = 146;
    assert!(matches!(counting_minutes_pdf(&m), Err(RenderError::Inconsistent(_))));
    let mut m = committee_minutes();
    m.attendance.absences.push(ReasonCount::new("ốm", 1));
    assert!(matches!(counting_minutes_docx(&m), Err(RenderError::Inconsistent(_))));
    let mut m = committee_minutes();
    m.base.value = 147;
    assert!(matches!(counting_minutes_pdf(&m), Err(RenderError::Inconsistent(_))));
    let mut m = committee_minutes();
    m.winners.swap(0, 1);
    assert!(matches!(counting_minutes_pdf(&m), Err(RenderError::Inconsistent(_))));
    let mut m = committee_minutes();
    m.winners[0].votes += 1;
    assert!(matches!(counting_minutes_pdf(&m), Err(RenderError::Inconsistent(_))));
    let mut m = committee_minutes();
    m.counting_committee[1].role = CommitteeRole::Head;
    assert!(matches!(counting_minutes_pdf(&m), Err(RenderError::Inconsistent(_))));
    let mut m = committee_minutes();
    m.ballots.issued = 148;
    assert!(matches!(counting_minutes_pdf(&m), Err(RenderError::Inconsistent(_))));
    assert!(counting_minutes_pdf(&committee_minutes()).is_ok());
}
