//! Benchmarks of document generation (figures in BENCHMARKS.md, section "Documents").
//!
//! Run with `cargo bench -p daihoi-render --bench documents`.

use daihoi_core::date::Term;
use daihoi_render::*;
use time::macros::{date, datetime};

fn main() {
    divan::main();
}

const GIVEN: [&str; 10] =
    ["Hương", "Muôn", "Thắng", "Ánh", "Việt", "Ỷ", "Ẩn", "Dương", "Trường", "Ửng"];
const FAMILY: [&str; 8] = [
    "Nguyễn Thị",
    "Lò Văn",
    "Trần Đức",
    "Phạm Ngọc",
    "Hoàng Quốc",
    "Lường Thị",
    "Vũ Ngọc",
    "Đặng Thùy",
];

fn name(i: usize) -> String {
    format!("{} {} {}", FAMILY[i % FAMILY.len()], GIVEN[(i / 8) % GIVEN.len()], i + 1)
}

fn issuer() -> Issuer {
    Issuer::Congress {
        organisation: "Đảng bộ thành phố Điện Biên Phủ".into(),
        congress: congress_line(CongressKind::Delegates, 15).unwrap_or_default(),
        term: Term::new(2020, 2025).ok(),
    }
}

fn ballot_spec(copies: u32) -> BallotSpec {
    BallotSpec {
        issuer: issuer(),
        title: "Phiếu bầu cử".into(),
        subtitle: "Ban Chấp hành Đảng bộ thành phố Điện Biên Phủ khóa mới, nhiệm kỳ 2020 - 2025"
            .into(),
        instructions: BallotForm::StrikeThrough.default_instructions().into(),
        names: (0..250).map(name).collect(),
        form: BallotForm::StrikeThrough,
        paper: Paper::A4,
        copies,
        code: BallotCode::new("DH-15-R1").expect("valid code"),
        seal_label: "Nơi đóng dấu".into(),
    }
}

/// 1,600 copies of a 250-name ballot (5 sheets each: 8,000 pages).
#[divan::bench(sample_count = 3)]
fn ballots_1600_copies_250_names(bencher: divan::Bencher<'_, '_>) {
    let spec = ballot_spec(1600);
    bencher.bench(|| ballots_pdf(divan::black_box(&spec)).expect("ballots"));
}

/// One copy, for the fixed cost of laying out and subsetting fonts.
#[divan::bench(sample_count = 5)]
fn ballots_1_copy_250_names(bencher: divan::Bencher<'_, '_>) {
    let spec = ballot_spec(1);
    bencher.bench(|| ballots_pdf(divan::black_box(&spec)).expect("ballots"));
}

fn minutes() -> CountingMinutes {
    let n = 250u32;
    let d = 1600u32;
    let candidates: Vec<CandidateResult> = (0..n as usize)
        .map(|i| CandidateResult {
            name: name(i),
            note: None,
            votes: 400 + (i as u32 * 37) % 1100,
            disagree: None,
        })
        .collect();
    let mut winners: Vec<Ranked> = candidates
        .iter()
        .filter(|c| 2 * c.votes > d)
        .map(|c| Ranked { name: c.name.clone(), votes: c.votes })
        .collect();
    winners.sort_by_key(|r| std::cmp::Reverse(r.votes));
    winners.truncate(200);
    CountingMinutes {
        paper: Paper::A4,
        issuer: issuer(),
        number: Some("40-BB/ĐH".into()),
        place: "Điện Biên Phủ".into(),
        date: date!(2020 - 08 - 14),
        election: "Bầu Ban Chấp hành khóa mới, nhiệm kỳ 2020 - 2025".into(),
        round: 1,
        congress_name: "Đại hội đại biểu Đảng bộ thành phố Điện Biên Phủ lần thứ XV".into(),
        congress_kind: CongressKind::Delegates,
        venue: None,
        regulation: "Quy chế bầu cử trong Đảng".into(),
        elected_as: "Ban Chấp hành khóa mới".into(),
        seats: 200,
        seats_basis: SeatsBasis::VotedByCongress,
        form: BallotForm::StrikeThrough,
        candidates,
        counting_committee: vec![
            CommitteeMember { name: name(1000), role: CommitteeRole::Head },
            CommitteeMember { name: name(1001), role: CommitteeRole::Member },
        ],
        attendance: Attendance { summoned: d, present: d, absences: vec![] },
        base: Base { value: d, steps: vec![] },
        ballots: BallotCounts {
            issued: d,
            collected: d,
            valid: d,
            invalid: 0,
            invalid_reasons: vec![],
        },
        winners,
        alternates: vec![],
        remarks: vec![],
        seal_hash: Some("9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8".into()),
        completed_at: datetime!(2020-08-14 17:00),
        entry_log: (0..1600)
            .map(|i| EntryLogRow {
                at: datetime!(2020-08-14 14:00) + time::Duration::seconds(i),
                team: format!("Tổ {}", 1 + i % 3),
                ballot: (i + 1).to_string(),
                entry: format!(
                    "Gạch: {}, {}, {}; hợp lệ",
                    name(i as usize % 250),
                    name((i as usize + 7) % 250),
                    name((i as usize + 13) % 250)
                ),
            })
            .collect(),
    }
}

/// Minutes for 250 candidates with a 1,600-row entry log, as PDF.
#[divan::bench(sample_count = 5)]
fn minutes_pdf_250_candidates_1600_log_rows(bencher: divan::Bencher<'_, '_>) {
    let m = minutes();
    bencher.bench(|| counting_minutes_pdf(divan::black_box(&m)).expect("minutes"));
}

/// The same minutes as DOCX.
#[divan::bench(sample_count = 5)]
fn minutes_docx_250_candidates_1600_log_rows(bencher: divan::Bencher<'_, '_>) {
    let m = minutes();
    bencher.bench(|| counting_minutes_docx(divan::black_box(&m)).expect("minutes"));
}

/// Badges for 1,600 people (200 A4 pages).
#[divan::bench(sample_count = 5)]
fn badges_1600(bencher: divan::Bencher<'_, '_>) {
    let roles = [BadgeRole::Official, BadgeRole::Alternate, BadgeRole::Guest];
    let badges: Vec<Badge> = (0..1600)
        .map(|i| Badge {
            number: format!("{:04}", i + 1),
            name: name(i),
            role: roles[i % 3].clone(),
            unit: format!("Đoàn đại biểu Đảng bộ phường số {}", i % 40 + 1),
        })
        .collect();
    let sheet = BadgeSheet {
        congress: "Đại hội đại biểu Đảng bộ thành phố Điện Biên Phủ lần thứ XV".into(),
        term: Term::new(2020, 2025).ok(),
    };
    bencher.bench(|| badges_pdf(divan::black_box(&badges), &sheet).expect("badges"));
}
