//! The credentials report (báo cáo thẩm tra tư cách đại biểu) read at a delegates' congress
//! after the political report (congress-process.md §4.3): delegates summoned by kind, present,
//! absent with reasons, alternates seated, make-up, problems found and the conclusion.

use time::Date;

use crate::canvas::Paper;
use crate::error::RenderError;
use crate::figures::{ReasonCount, percent_cell, sum};
use crate::header::{DocumentHeader, Issuer, PlaceDate};
use crate::report::{Block, Column, Paragraph, Report, Row, Signature, Table, report_pdf};
use crate::text::{Align, Span};

/// Official delegates summoned, by kind (congress-process.md §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DelegateKinds {
    /// Đại biểu đương nhiên: members of the convening committee.
    pub ex_officio: u32,
    /// Đại biểu được bầu by the congresses of subordinate units.
    pub elected: u32,
    /// Đại biểu được chỉ định.
    pub appointed: u32,
}

impl DelegateKinds {
    /// All official delegates summoned.
    pub fn total(&self) -> u64 {
        u64::from(self.ex_officio) + u64::from(self.elected) + u64::from(self.appointed)
    }
}

/// A line of the delegates' make-up, e.g. `("Đại biểu nữ", 45)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompositionLine {
    /// What is counted.
    pub label: String,
    /// How many of the delegates summoned.
    pub count: u32,
}

/// Everything the credentials report states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsReport {
    /// Paper size.
    pub paper: Paper,
    /// The issuer block (the congress).
    pub issuer: Issuer,
    /// Number and symbol, e.g. `05-BC/ĐH`.
    pub number: Option<String>,
    /// Place, for the place-date line.
    pub place: String,
    /// Date of the report.
    pub date: Date,
    /// The congress, e.g. `Đại hội đại biểu Đảng bộ phường Him Lam lần thứ XII, nhiệm kỳ
    /// 2020 - 2025`.
    pub congress_name: String,
    /// What the committee relied on, cited in the opening sentence.
    pub basis: Vec<String>,
    /// Official delegates summoned by kind.
    pub summoned: DelegateKinds,
    /// Official delegates present.
    pub present: u32,
    /// Official delegates absent, by reason; they add up to summoned − present.
    pub absent: Vec<ReasonCount>,
    /// Alternates summoned to replace absent official delegates.
    pub alternates_seated: u32,
    /// Make-up of the delegates summoned (women, ethnic minorities, age, education…).
    pub composition: Vec<CompositionLine>,
    /// Problems found about individual credentials, one per item.
    pub problems: Vec<String>,
    /// The committee's conclusion.
    pub conclusion: String,
    /// The committee's head, who signs.
    pub chair: String,
}

impl CredentialsReport {
    /// Check that the figures add up.
    pub fn check(&self) -> Result<(), RenderError> {
        let total = self.summoned.total();
        let bad = |what: String| Err(RenderError::Inconsistent(what));
        if u64::from(self.present) > total {
            return bad(format!("có mặt {} nhiều hơn triệu tập {total}", self.present));
        }
        if u64::from(self.present) + sum(&self.absent) != total {
            return bad(format!(
                "có mặt {} + vắng mặt {} khác triệu tập {total}",
                self.present,
                sum(&self.absent)
            ));
        }
        if u64::from(self.alternates_seated) > sum(&self.absent) {
            return bad(format!(
                "{} đại biểu dự khuyết thay thế, nhiều hơn {} đại biểu vắng mặt",
                self.alternates_seated,
                sum(&self.absent)
            ));
        }
        for line in &self.composition {
            if u64::from(line.count) > total {
                return bad(format!("{}: {} nhiều hơn tổng số {total}", line.label, line.count));
            }
        }
        Ok(())
    }
}

/// The credentials report as a report description.
pub fn credentials_report(r: &CredentialsReport) -> Result<Report, RenderError> {
    r.check()?;
    let total = r.summoned.total();
    let attending = u64::from(r.present) + u64::from(r.alternates_seated);
    let mut blocks = Vec::new();
    let para = |text: String| Block::Paragraph(Paragraph::text(text));
    let figure = |label: String, value: String, tail: String| {
        Block::Paragraph(
            Paragraph::new(vec![
                Span::regular(format!("- {label}: ")),
                Span::bold(value),
                Span::regular(tail),
            ])
            .aligned(Align::Left)
            .indented(14.0),
        )
    };
    let size = match r.paper {
        Paper::A4 => 12.0,
        Paper::A5 => 10.0,
    };

    let basis = if r.basis.is_empty() {
        String::new()
    } else {
        format!("Căn cứ {}, ", r.basis.iter().map(|b| b.trim()).collect::<Vec<_>>().join("; "))
    };
    blocks.push(para(format!(
        "{basis}Ban Thẩm tra tư cách đại biểu {} báo cáo Đại hội kết quả thẩm tra tư cách đại \
         biểu như sau:",
        r.congress_name.trim()
    )));

    blocks.push(Block::Heading("I. SỐ LƯỢNG ĐẠI BIỂU ĐƯỢC TRIỆU TẬP".into()));
    blocks.push(para(format!(
        "Tổng số đại biểu chính thức được triệu tập: {total} đồng chí, trong đó:"
    )));
    let share = |n: u64| percent_cell(n, total);
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new("TT", 1, Align::Center),
            Column::new("Thành phần", 8, Align::Left),
            Column::new("Số lượng", 2, Align::Right),
            Column::new("Tỷ lệ %", 2, Align::Right),
        ],
        rows: vec![
            Row::new(vec![
                "1".into(),
                "Đại biểu đương nhiên (ủy viên Ban Chấp hành đảng bộ triệu tập đại hội)".into(),
                r.summoned.ex_officio.to_string(),
                share(r.summoned.ex_officio.into()),
            ]),
            Row::new(vec![
                "2".into(),
                "Đại biểu do đại hội các đảng bộ, chi bộ trực thuộc bầu".into(),
                r.summoned.elected.to_string(),
                share(r.summoned.elected.into()),
            ]),
            Row::new(vec![
                "3".into(),
                "Đại biểu được chỉ định".into(),
                r.summoned.appointed.to_string(),
                share(r.summoned.appointed.into()),
            ]),
            Row::bold(vec![String::new(), "Cộng".into(), total.to_string(), share(total)]),
        ],
        size,
    }));

    blocks.push(Block::Heading("II. SỐ ĐẠI BIỂU CÓ MẶT TẠI ĐẠI HỘI".into()));
    blocks.push(figure(
        "Số đại biểu chính thức có mặt".into(),
        r.present.to_string(),
        format!(" đồng chí ({}).", share(r.present.into())),
    ));
    blocks.push(figure(
        "Số đại biểu chính thức vắng mặt".into(),
        sum(&r.absent).to_string(),
        if r.absent.is_empty() { " đồng chí.".into() } else { " đồng chí, gồm:".into() },
    ));
    for reason in &r.absent {
        blocks.push(Block::Paragraph(
            Paragraph::text(format!("+ {}: {} đồng chí", reason.reason.trim(), reason.count))
                .aligned(Align::Left)
                .indented(28.0),
        ));
    }
    blocks.push(figure(
        "Số đại biểu dự khuyết được triệu tập thay thế".into(),
        r.alternates_seated.to_string(),
        " đồng chí.".into(),
    ));
    blocks.push(figure(
        "Tổng số đại biểu tham dự Đại hội".into(),
        attending.to_string(),
        " đồng chí.".into(),
    ));

    if !r.composition.is_empty() {
        blocks.push(Block::Heading("III. CƠ CẤU ĐẠI BIỂU".into()));
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::new("TT", 1, Align::Center),
                Column::new("Nội dung", 8, Align::Left),
                Column::new("Số lượng", 2, Align::Right),
                Column::new("Tỷ lệ % (so với số triệu tập)", 3, Align::Right),
            ],
            rows: r
                .composition
                .iter()
                .enumerate()
                .map(|(i, line)| {
                    Row::new(vec![
                        (i + 1).to_string(),
                        line.label.trim().to_owned(),
                        line.count.to_string(),
                        share(line.count.into()),
                    ])
                })
                .collect(),
            size,
        }));
    }

    let numeral = if r.composition.is_empty() { ["III", "IV"] } else { ["IV", "V"] };
    blocks.push(Block::Heading(format!("{}. VỀ TƯ CÁCH ĐẠI BIỂU", numeral[0])));
    if r.problems.is_empty() {
        blocks.push(para(
            "Ban Thẩm tra tư cách đại biểu không nhận được đơn thư, ý kiến nào liên quan đến tư cách \
             đại biểu."
                .into(),
        ));
    } else {
        for problem in &r.problems {
            blocks.push(Block::Paragraph(
                Paragraph::text(format!("- {}", problem.trim())).indented(14.0),
            ));
        }
    }
    blocks.push(Block::Heading(format!("{}. KẾT LUẬN", numeral[1])));
    blocks.push(para(r.conclusion.trim().to_owned()));
    blocks.push(Block::Signatures(vec![
        Signature { heading: vec![], note: None, names: vec![] },
        Signature {
            heading: vec!["T/M BAN THẨM TRA TƯ CÁCH ĐẠI BIỂU".into(), "TRƯỞNG BAN".into()],
            note: None,
            names: vec![r.chair.trim().to_owned()],
        },
    ]));

    Ok(Report {
        paper: r.paper,
        title: format!("Báo cáo thẩm tra tư cách đại biểu - {}", r.congress_name.trim()),
        header: Some(DocumentHeader {
            issuer: r.issuer.clone(),
            number: r.number.clone(),
            place_date: Some(PlaceDate { place: r.place.clone(), date: r.date }),
            document_type: "BÁO CÁO".into(),
            summary: vec![format!("Thẩm tra tư cách đại biểu dự {}", r.congress_name.trim())],
        }),
        blocks,
        page_numbers: true,
    })
}

/// The credentials report as PDF.
pub fn credentials_report_pdf(report: &CredentialsReport) -> Result<Vec<u8>, RenderError> {
    report_pdf(&credentials_report(report)?)
}

/// The credentials report as DOCX.
pub fn credentials_report_docx(report: &CredentialsReport) -> Result<Vec<u8>, RenderError> {
    crate::docx::report_docx(&credentials_report(report)?)
}
