//! Counting minutes (biên bản kiểm phiếu) as PDF and DOCX from one plain-data description.
//!
//! Field order follows the sample minutes of HD 04-HD/TW Phụ lục 2 and its QĐ 244-era
//! predecessor (forms-and-2025-targets.md §A.2–A.4; election-rules.md §8.2): header, title and
//! the election, opening sentence citing the regulation, seats, the election list, the counting
//! committee, attendance, the base D with its derivation, ballot counts with the reasons for
//! invalid ballots, results in ballot order, winners in vote order, alternates, remarks, the
//! result seal, closing time, signatures, and the entry log as an appendix.
//!
//! Wording is specific to what is elected ("trúng cử Bí thư Chi bộ"), not the copy-pasted
//! committee wording of the old sample (forms doc §A.3).

use daihoi_core::date::{clock_time, dd_mm_yyyy, hh_mm_ss, long_date};
use time::{Date, PrimitiveDateTime};

use crate::ballot::BallotForm;
use crate::canvas::Paper;
use crate::error::RenderError;
use crate::figures::{ReasonCount, percent_cell, reasons_in_brackets, sum};
use crate::header::{CongressKind, DocumentHeader, Issuer, PlaceDate};
use crate::report::{Block, Column, Paragraph, Report, Row, Signature, Table, report_pdf};
use crate::text::{Align, Span};

/// How the number of seats was fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeatsBasis {
    /// Voted by the congress (committees, secretary, deputies).
    VotedByCongress,
    /// Allocated by the higher committee (delegates to the higher congress; the congress does
    /// not vote on it, congress-process.md §3.3).
    AllocatedByHigherCommittee,
}

/// A counting-committee role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommitteeRole {
    /// Trưởng ban: signs for the committee.
    Head,
    /// Phó Trưởng ban.
    Deputy,
    /// Ủy viên.
    Member,
}

impl CommitteeRole {
    fn label(self) -> &'static str {
        match self {
            CommitteeRole::Head => "Trưởng ban",
            CommitteeRole::Deputy => "Phó Trưởng ban",
            CommitteeRole::Member => "Ủy viên",
        }
    }
}

/// A member of the counting committee (QĐ 190-QĐ/TW Art. 8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteeMember {
    /// Full name.
    pub name: String,
    /// Role.
    pub role: CommitteeRole,
}

/// One step of the derivation of the base D, e.g. `("Đại biểu chính thức được triệu tập",
/// +150)`, `("Vắng mặt suốt thời gian đại hội, không có đại biểu dự khuyết thay thế", -2)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseStep {
    /// What is added or taken away.
    pub label: String,
    /// Signed amount.
    pub change: i64,
}

/// The base D against which "more than half" is measured (QĐ 190-QĐ/TW Art. 30), with how it
/// was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    /// D.
    pub value: u32,
    /// The derivation; its changes add up to `value`.
    pub steps: Vec<BaseStep>,
}

/// One name on the election list, in ballot order, with its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateResult {
    /// Full name as on the ballot.
    pub name: String,
    /// The "Ghi chú" of the election list (e.g. a nominee from the floor).
    pub note: Option<String>,
    /// Votes for (strike-through: ballots keeping the name; agree/disagree: "đồng ý").
    pub votes: u32,
    /// "Không đồng ý" votes (agree/disagree form only).
    pub disagree: Option<u32>,
}

/// A winner or alternate with the votes received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    /// Full name.
    pub name: String,
    /// Votes received.
    pub votes: u32,
}

/// Ballot counts (QĐ 190-QĐ/TW Art. 8 cl. 1: the committee counts ballots issued and
/// collected).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotCounts {
    /// Số phiếu phát ra.
    pub issued: u32,
    /// Số phiếu thu về.
    pub collected: u32,
    /// Số phiếu hợp lệ.
    pub valid: u32,
    /// Số phiếu không hợp lệ.
    pub invalid: u32,
    /// Invalid ballots by reason; when given, they add up to `invalid`.
    pub invalid_reasons: Vec<ReasonCount>,
}

/// Attendance at the time of voting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    /// Official members or delegates summoned.
    pub summoned: u32,
    /// Present when voting.
    pub present: u32,
    /// Absent, by reason; when given, they add up to `summoned - present`.
    pub absences: Vec<ReasonCount>,
}

/// A row of the entry log (nhật ký nhập phiếu), printed as the appendix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryLogRow {
    /// When the entry was made, Vietnam wall-clock time.
    pub at: PrimitiveDateTime,
    /// The entry team (tổ nhập phiếu).
    pub team: String,
    /// Ballot number in the count.
    pub ballot: String,
    /// What was entered, e.g. `Gạch: Lò Văn Muôn; hợp lệ`.
    pub entry: String,
}

/// Everything the counting minutes show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountingMinutes {
    /// Paper size.
    pub paper: Paper,
    /// The issuer block, e.g. the congress.
    pub issuer: Issuer,
    /// Number and symbol, e.g. `12-BB/ĐH`.
    pub number: Option<String>,
    /// Place of the congress, for the place-date line.
    pub place: String,
    /// Date of the vote.
    pub date: Date,
    /// The subtitle naming the election, e.g. `Bầu Ban Chấp hành Đảng bộ phường Him Lam khóa
    /// mới, nhiệm kỳ 2020 - 2025`.
    pub election: String,
    /// Round of voting in this election, from 1 (a later round is named in the subtitle).
    pub round: u32,
    /// The congress, e.g. `Đại hội đại biểu Đảng bộ phường Him Lam lần thứ XII`.
    pub congress_name: String,
    /// Delegates' or members' congress: decides "đại biểu chính thức" or "đảng viên chính
    /// thức".
    pub congress_kind: CongressKind,
    /// Where the vote took place, if it is to be named.
    pub venue: Option<String>,
    /// The rules cited in the opening sentence, e.g. `Điều lệ Đảng và Quy chế bầu cử trong
    /// Đảng ban hành kèm theo Quyết định số 190-QĐ/TW ngày 10/10/2024 của Bộ Chính trị`.
    pub regulation: String,
    /// What the winners become, e.g. `Ban Chấp hành Đảng bộ phường Him Lam khóa mới`,
    /// `Bí thư Chi bộ`, `đại biểu chính thức dự Đại hội đại biểu Đảng bộ thành phố Điện Biên
    /// Phủ lần thứ XV`.
    pub elected_as: String,
    /// Seats to fill.
    pub seats: u32,
    /// Voted by the congress or allocated from above.
    pub seats_basis: SeatsBasis,
    /// The ballot form used.
    pub form: BallotForm,
    /// The election list in ballot order, with results.
    pub candidates: Vec<CandidateResult>,
    /// The counting committee; exactly one head signs.
    pub counting_committee: Vec<CommitteeMember>,
    /// Attendance when voting.
    pub attendance: Attendance,
    /// The base D.
    pub base: Base,
    /// Ballot counts.
    pub ballots: BallotCounts,
    /// Winners, highest votes first.
    pub winners: Vec<Ranked>,
    /// Alternates, highest votes first (their order decides who replaces an absent delegate).
    pub alternates: Vec<Ranked>,
    /// Remarks: ties at the cut-off, unfilled seats, the next step.
    pub remarks: Vec<String>,
    /// The hash sealing the stored result (`Mã niêm phong kết quả`).
    pub seal_hash: Option<String>,
    /// When the minutes were completed, Vietnam wall-clock time.
    pub completed_at: PrimitiveDateTime,
    /// The entry log, printed as an appendix when not empty.
    pub entry_log: Vec<EntryLogRow>,
}

impl CountingMinutes {
    fn voters(&self) -> &'static str {
        match self.congress_kind {
            CongressKind::Delegates => "đại biểu chính thức",
            CongressKind::Members => "đảng viên chính thức",
        }
    }

    /// Check that the figures agree with each other (election-rules.md §8.2 "engineering
    /// checks"): minutes with contradictory numbers must not be printed.
    pub fn check(&self) -> Result<(), RenderError> {
        let bad = |what: String| Err(RenderError::Inconsistent(what));
        let a = &self.attendance;
        if a.present > a.summoned {
            return bad(format!("có mặt {} nhiều hơn triệu tập {}", a.present, a.summoned));
        }
        if !a.absences.is_empty() && sum(&a.absences) != u64::from(a.summoned - a.present) {
            return bad(format!(
                "tổng số vắng mặt theo lý do {} khác {} - {}",
                sum(&a.absences),
                a.summoned,
                a.present
            ));
        }
        let steps: i64 = self.base.steps.iter().map(|s| s.change).sum();
        if !self.base.steps.is_empty() && steps != i64::from(self.base.value) {
            return bad(format!("các bước tính D cộng lại {steps}, khác D = {}", self.base.value));
        }
        let b = &self.ballots;
        if b.collected > b.issued {
            return bad(format!(
                "phiếu thu về {} nhiều hơn phiếu phát ra {}",
                b.collected, b.issued
            ));
        }
        if b.issued > a.present {
            return bad(format!("phiếu phát ra {} nhiều hơn số có mặt {}", b.issued, a.present));
        }
        if u64::from(b.valid) + u64::from(b.invalid) != u64::from(b.collected) {
            return bad(format!(
                "phiếu hợp lệ {} + không hợp lệ {} khác phiếu thu về {}",
                b.valid, b.invalid, b.collected
            ));
        }
        if !b.invalid_reasons.is_empty() && sum(&b.invalid_reasons) != u64::from(b.invalid) {
            return bad(format!(
                "phiếu không hợp lệ theo lý do {} khác {}",
                sum(&b.invalid_reasons),
                b.invalid
            ));
        }
        if self.candidates.is_empty() {
            return bad("danh sách bầu cử trống".into());
        }
        for c in &self.candidates {
            let marked = u64::from(c.votes) + u64::from(c.disagree.unwrap_or(0));
            if marked > u64::from(b.valid) {
                return bad(format!(
                    "{}: {marked} phiếu, nhiều hơn {} phiếu hợp lệ",
                    c.name, b.valid
                ));
            }
        }
        let total: u64 = self.candidates.iter().map(|c| u64::from(c.votes)).sum();
        if total > u64::from(b.valid) * u64::from(self.seats) {
            return bad(format!(
                "tổng số phiếu bầu {total} vượt {} phiếu hợp lệ × {} người được bầu",
                b.valid, self.seats
            ));
        }
        if self.winners.len() > self.seats as usize {
            return bad(format!(
                "{} người trúng cử, nhiều hơn {} số lượng",
                self.winners.len(),
                self.seats
            ));
        }
        for (list, what) in [(&self.winners, "trúng cử"), (&self.alternates, "dự khuyết")] {
            for r in list.iter() {
                if !self.candidates.iter().any(|c| c.name == r.name && c.votes == r.votes) {
                    return bad(format!(
                        "{} ({what}, {} phiếu) không khớp kết quả kiểm phiếu",
                        r.name, r.votes
                    ));
                }
            }
            if list.windows(2).any(|w| w[0].votes < w[1].votes) {
                return bad(format!("danh sách {what} chưa xếp theo số phiếu từ cao đến thấp"));
            }
        }
        let heads =
            self.counting_committee.iter().filter(|m| m.role == CommitteeRole::Head).count();
        if heads != 1 {
            return bad(format!("Ban kiểm phiếu phải có đúng một Trưởng ban, có {heads}"));
        }
        Ok(())
    }
}

/// The minutes as a report (the description both files are written from).
pub fn counting_minutes_report(m: &CountingMinutes) -> Result<Report, RenderError> {
    m.check()?;
    let voters = m.voters();
    let d = m.base.value;
    let mut blocks = Vec::new();
    let para = |text: String| Block::Paragraph(Paragraph::text(text));
    let figure = |label: &str, value: String, tail: &str| {
        Block::Paragraph(
            Paragraph::new(vec![
                Span::regular(format!("- {label}: ")),
                Span::bold(value),
                Span::regular(tail.to_owned()),
            ])
            .aligned(Align::Left)
            .indented(14.0),
        )
    };

    let venue = m.venue.as_ref().map(|v| format!(", tại {}", v.trim())).unwrap_or_default();
    blocks.push(para(format!(
        "Hôm nay, {}{venue}, {} đã tiến hành bầu cử theo {}.",
        long_date(m.date),
        m.congress_name.trim(),
        m.regulation.trim()
    )));
    if m.round > 1 {
        blocks.push(para(format!("Đây là lần bầu thứ {} của cuộc bầu cử này.", m.round)));
    }

    // 1. Seats.
    blocks.push(match m.seats_basis {
        SeatsBasis::VotedByCongress => para(format!(
            "1. Đại hội đã biểu quyết số lượng {} là {} đồng chí.",
            m.elected_as.trim(),
            m.seats
        )),
        SeatsBasis::AllocatedByHigherCommittee => para(format!(
            "1. Số lượng {} được cấp ủy cấp trên phân bổ là {} đồng chí.",
            m.elected_as.trim(),
            m.seats
        )),
    });

    // 2. Election list.
    blocks.push(para(format!(
        "2. Đại hội đã thông qua Danh sách bầu cử gồm {} đồng chí có tên dưới đây (xếp theo thứ \
         tự tên người theo vần A, B, C):",
        m.candidates.len()
    )));
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new("TT", 1, Align::Center),
            Column::new("Họ và tên", 7, Align::Left),
            Column::new("Ghi chú", 4, Align::Left),
        ],
        rows: m
            .candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Row::new(vec![
                    (i + 1).to_string(),
                    c.name.clone(),
                    c.note.clone().unwrap_or_default(),
                ])
            })
            .collect(),
        size: table_size(m.paper),
    }));

    // 3. Counting committee.
    blocks.push(para("3. Đại hội đã cử Ban kiểm phiếu gồm các đồng chí:".into()));
    for (i, member) in m.counting_committee.iter().enumerate() {
        blocks.push(Block::Paragraph(
            Paragraph::text(format!(
                "{}. Đ/c {}, {}",
                i + 1,
                member.name.trim(),
                member.role.label()
            ))
            .aligned(Align::Left)
            .indented(14.0),
        ));
    }

    // 4. Attendance and the base.
    let a = &m.attendance;
    let people = match m.congress_kind {
        CongressKind::Delegates => "đại biểu",
        CongressKind::Members => "đảng viên",
    };
    blocks.push(para(format!("4. Tình hình {people} tham gia bầu cử:")));
    blocks.push(figure(
        &format!("Tổng số {voters} được triệu tập"),
        a.summoned.to_string(),
        " đồng chí.",
    ));
    blocks.push(figure(
        &format!("Số {voters} có mặt lúc bầu cử"),
        a.present.to_string(),
        " đồng chí.",
    ));
    blocks.push(figure(
        &format!("Số {voters} vắng mặt lúc bầu cử"),
        (a.summoned - a.present).to_string(),
        &format!(" đồng chí{}.", reasons_in_brackets(&a.absences)),
    ));
    blocks.push(figure(
        &format!("Số {voters} làm căn cứ tính kết quả bầu cử (D)"),
        d.to_string(),
        if m.base.steps.is_empty() {
            " đồng chí."
        } else {
            " đồng chí, xác định như sau:"
        },
    ));
    for (index, step) in m.base.steps.iter().enumerate() {
        let label = step.label.trim();
        let text = if index == 0 {
            format!("{label}: {}", step.change)
        } else if step.change < 0 {
            format!("trừ {label}: {}", step.change.unsigned_abs())
        } else {
            format!("cộng {label}: {}", step.change)
        };
        blocks.push(sub_item(text));
    }

    // 5. Ballots.
    let b = &m.ballots;
    blocks.push(para("5. Kết quả kiểm phiếu:".into()));
    blocks.push(figure("Số phiếu phát ra", b.issued.to_string(), " phiếu."));
    blocks.push(figure("Số phiếu thu về", b.collected.to_string(), " phiếu."));
    blocks.push(figure("Số phiếu hợp lệ", b.valid.to_string(), " phiếu."));
    blocks.push(figure(
        "Số phiếu không hợp lệ",
        b.invalid.to_string(),
        if b.invalid_reasons.is_empty() { " phiếu." } else { " phiếu, lý do:" },
    ));
    for reason in &b.invalid_reasons {
        blocks.push(sub_item(format!("{}: {} phiếu", reason.reason.trim(), reason.count)));
    }

    // 6. Results in ballot order.
    blocks.push(para(
        "6. Kết quả kiểm phiếu cụ thể như sau (xếp theo thứ tự như trong phiếu bầu):".into(),
    ));
    blocks.push(Block::Table(results_table(m)));
    blocks.push(Block::Paragraph(
        Paragraph::new(vec![Span::italic(format!(
            "Tỷ lệ % tính so với số {voters} làm căn cứ tính kết quả bầu cử (D = {d})."
        ))])
        .aligned(Align::Left),
    ));

    // 7. Winners in vote order.
    let elected_as = m.elected_as.trim();
    if m.winners.is_empty() {
        blocks.push(para(format!(
            "7. Không có đồng chí nào có số phiếu bầu quá một nửa so với số {voters} làm căn cứ \
             (D = {d}), nên chưa có đồng chí nào trúng cử {elected_as}."
        )));
    } else {
        let full = m.winners.len() == m.seats as usize;
        let lead = if m.winners.len() == 1 {
            format!(
                "7. Đồng chí sau đây trúng cử {elected_as} (có số phiếu bầu quá một nửa so với số {voters} làm căn cứ):"
            )
        } else if full {
            format!(
                "7. Những đồng chí sau đây trúng cử {elected_as} (xếp theo thứ tự số phiếu bầu từ \
                 cao đến thấp, vừa đủ số lượng {} đồng chí và có số phiếu bầu quá một nửa so với \
                 số {voters} làm căn cứ):",
                m.seats
            )
        } else {
            format!(
                "7. Những đồng chí sau đây trúng cử {elected_as} (xếp theo thứ tự số phiếu bầu từ \
                 cao đến thấp, có số phiếu bầu quá một nửa so với số {voters} làm căn cứ):"
            )
        };
        blocks.push(para(lead));
        blocks.push(Block::Table(ranked_table(&m.winners, d, m.paper, m.form)));
        if !full {
            blocks.push(para(format!(
                "Số đồng chí trúng cử ({}) chưa đủ số lượng {} đồng chí.",
                m.winners.len(),
                m.seats
            )));
        }
    }
    if !m.alternates.is_empty() {
        blocks.push(para(
            "Những đồng chí sau đây là đại biểu dự khuyết (xếp theo thứ tự số phiếu bầu từ cao đến \
             thấp; thứ tự này là thứ tự thay thế đại biểu chính thức):"
                .into(),
        ));
        blocks.push(Block::Table(ranked_table(&m.alternates, d, m.paper, m.form)));
    }
    if !m.remarks.is_empty() {
        blocks.push(Block::Heading("Ghi chú:".into()));
        for remark in &m.remarks {
            blocks.push(Block::Paragraph(
                Paragraph::text(format!("- {}", remark.trim())).indented(14.0),
            ));
        }
    }
    if let Some(hash) = &m.seal_hash {
        blocks.push(Block::Paragraph(
            Paragraph::new(vec![Span::regular("Mã niêm phong kết quả: "), Span::bold(hash.trim())])
                .aligned(Align::Left),
        ));
    }
    blocks.push(para(format!(
        "Biên bản được lập xong hồi {}, {}. Ban kiểm phiếu báo cáo Đoàn Chủ tịch và công bố \
         kết quả trước Đại hội.",
        clock_time(m.completed_at.time()),
        long_date(m.completed_at.date())
    )));
    blocks.push(Block::Signatures(signatures(m)));

    if !m.entry_log.is_empty() {
        blocks.push(Block::PageBreak);
        blocks.push(Block::Paragraph(
            Paragraph::new(vec![Span::bold("PHỤ LỤC")]).aligned(Align::Center),
        ));
        blocks.push(Block::Paragraph(
            Paragraph::new(vec![Span::bold("NHẬT KÝ NHẬP PHIẾU")]).aligned(Align::Center),
        ));
        blocks.push(Block::Paragraph(
            Paragraph::new(vec![Span::italic(format!(
                "Kèm theo Biên bản kiểm phiếu: {}; {} lượt nhập.",
                m.election.trim(),
                m.entry_log.len()
            ))])
            .aligned(Align::Center),
        ));
        blocks.push(Block::Table(entry_log_table(m)));
    }

    Ok(Report {
        paper: m.paper,
        title: format!("Biên bản kiểm phiếu - {}", m.election.trim()),
        header: Some(DocumentHeader {
            issuer: m.issuer.clone(),
            number: m.number.clone(),
            place_date: Some(PlaceDate { place: m.place.clone(), date: m.date }),
            document_type: "BIÊN BẢN KIỂM PHIẾU".into(),
            summary: vec![m.election.trim().to_owned()],
        }),
        blocks,
        page_numbers: true,
    })
}

fn sub_item(text: String) -> Block {
    Block::Paragraph(Paragraph::text(format!("+ {text}")).aligned(Align::Left).indented(28.0))
}

fn table_size(paper: Paper) -> f32 {
    match paper {
        Paper::A4 => 12.0,
        Paper::A5 => 10.0,
    }
}

fn results_table(m: &CountingMinutes) -> Table {
    let d = u64::from(m.base.value);
    match m.form {
        BallotForm::StrikeThrough => Table {
            columns: vec![
                Column::new("TT", 1, Align::Center),
                Column::new("Họ và tên", 6, Align::Left),
                Column::new("Số phiếu bầu", 3, Align::Right),
                Column::new("Tỷ lệ % (so với D)", 3, Align::Right),
            ],
            rows: m
                .candidates
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    Row::new(vec![
                        (i + 1).to_string(),
                        c.name.clone(),
                        c.votes.to_string(),
                        percent_cell(u64::from(c.votes), d),
                    ])
                })
                .collect(),
            size: table_size(m.paper),
        },
        BallotForm::AgreeDisagree => Table {
            columns: vec![
                Column::new("TT", 1, Align::Center),
                Column::new("Họ và tên", 7, Align::Left),
                Column::new("Số phiếu đồng ý", 3, Align::Right),
                Column::new("Tỷ lệ % (so với D)", 3, Align::Right),
                Column::new("Số phiếu không đồng ý", 3, Align::Right),
            ],
            rows: m
                .candidates
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    Row::new(vec![
                        (i + 1).to_string(),
                        c.name.clone(),
                        c.votes.to_string(),
                        percent_cell(u64::from(c.votes), d),
                        c.disagree.map(|n| n.to_string()).unwrap_or_default(),
                    ])
                })
                .collect(),
            size: table_size(m.paper),
        },
    }
}

fn ranked_table(list: &[Ranked], d: u32, paper: Paper, form: BallotForm) -> Table {
    let votes = match form {
        BallotForm::StrikeThrough => "Số phiếu bầu",
        BallotForm::AgreeDisagree => "Số phiếu đồng ý",
    };
    Table {
        columns: vec![
            Column::new("TT", 1, Align::Center),
            Column::new("Họ và tên", 6, Align::Left),
            Column::new(votes, 3, Align::Right),
            Column::new("Tỷ lệ % (so với D)", 3, Align::Right),
        ],
        rows: list
            .iter()
            .enumerate()
            .map(|(i, r)| {
                Row::new(vec![
                    (i + 1).to_string(),
                    r.name.clone(),
                    r.votes.to_string(),
                    percent_cell(u64::from(r.votes), u64::from(d)),
                ])
            })
            .collect(),
        size: table_size(paper),
    }
}

fn signatures(m: &CountingMinutes) -> Vec<Signature> {
    let head = m.counting_committee.iter().find(|c| c.role == CommitteeRole::Head);
    let others: Vec<String> = m
        .counting_committee
        .iter()
        .filter(|c| c.role != CommitteeRole::Head)
        .map(|c| c.name.trim().to_owned())
        .collect();
    let mut out = Vec::new();
    if !others.is_empty() {
        out.push(Signature {
            heading: vec!["CÁC ỦY VIÊN BAN KIỂM PHIẾU".into()],
            note: None,
            names: others,
        });
    }
    out.push(Signature {
        heading: vec!["T/M BAN KIỂM PHIẾU".into(), "TRƯỞNG BAN".into()],
        note: None,
        names: head.map(|h| vec![h.name.trim().to_owned()]).unwrap_or_default(),
    });
    out
}

fn entry_log_table(m: &CountingMinutes) -> Table {
    // Times only, unless the log runs past the day of the minutes.
    let same_day = m.entry_log.iter().all(|row| row.at.date() == m.date);
    Table {
        columns: vec![
            Column::new("TT", 2, Align::Right),
            Column::new("Thời gian", if same_day { 3 } else { 5 }, Align::Center),
            Column::new("Tổ nhập", 3, Align::Left),
            Column::new("Số phiếu", 2, Align::Right),
            Column::new("Nội dung nhập", 10, Align::Left),
        ],
        rows: m
            .entry_log
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let at = if same_day {
                    hh_mm_ss(row.at.time())
                } else {
                    format!("{} {}", dd_mm_yyyy(row.at.date()), hh_mm_ss(row.at.time()))
                };
                Row::new(vec![
                    (i + 1).to_string(),
                    at,
                    row.team.clone(),
                    row.ballot.clone(),
                    row.entry.clone(),
                ])
            })
            .collect(),
        size: table_size(m.paper) - 2.0,
    }
}

/// The counting minutes as PDF.
pub fn counting_minutes_pdf(minutes: &CountingMinutes) -> Result<Vec<u8>, RenderError> {
    report_pdf(&counting_minutes_report(minutes)?)
}

/// The counting minutes as DOCX.
pub fn counting_minutes_docx(minutes: &CountingMinutes) -> Result<Vec<u8>, RenderError> {
    crate::docx::report_docx(&counting_minutes_report(minutes)?)
}
