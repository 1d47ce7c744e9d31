//! The summary of comments on a draft (báo cáo tổng hợp ý kiến góp ý dự thảo văn kiện, congress
//! process §4.2 step 3): the Party header of the document subcommittee, one table row per
//! comment, the head's signature. Written as DOCX (and PDF) from one description.

use time::Date;

use crate::canvas::Paper;
use crate::error::RenderError;
use crate::header::{DocumentHeader, Issuer, PlaceDate};
use crate::report::{Block, Column, Paragraph, Report, Row, Signature, Table};
use crate::text::Align;

/// One comment of the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentLine {
    /// The version commented on ("Dự thảo lần 1").
    pub version: String,
    /// Who commented (a unit or a person).
    pub author: String,
    /// Section ("Phần I, mục 2").
    pub section: String,
    /// The comment.
    pub body: String,
    /// Received on.
    pub received_on: Date,
}

/// The summary to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentsSummary {
    /// The party organisation, as its header line reads (`ĐẢNG BỘ THÀNH PHỐ ĐIỆN BIÊN PHỦ`).
    pub organisation: String,
    /// The body issuing the summary (`TIỂU BAN VĂN KIỆN`).
    pub issuer: String,
    /// Place for the date line.
    pub place: String,
    /// Date of the summary.
    pub date: Date,
    /// The draft's title.
    pub draft_title: String,
    /// The comments, in order.
    pub comments: Vec<CommentLine>,
    /// The head of the subcommittee, who signs.
    pub head: Option<String>,
}

fn dd_mm_yyyy(date: Date) -> String {
    format!("{:02}/{:02}/{}", date.day(), u8::from(date.month()), date.year())
}

/// The summary as a report description.
pub fn comments_summary(summary: &CommentsSummary) -> Report {
    let mut blocks = vec![Block::Paragraph(Paragraph::text(format!(
        "Tiểu ban đã nhận {} ý kiến góp ý vào {}. Các ý kiến được tổng hợp dưới đây theo bản dự thảo và thứ tự nhận.",
        summary.comments.len(),
        summary.draft_title.trim()
    )))];
    let rows = summary
        .comments
        .iter()
        .enumerate()
        .map(|(index, comment)| {
            Row::new(vec![
                (index + 1).to_string(),
                comment.version.clone(),
                comment.author.clone(),
                comment.section.clone(),
                comment.body.clone(),
                dd_mm_yyyy(comment.received_on),
            ])
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![
            Column::new("TT", 4, Align::Center),
            Column::new("Bản dự thảo", 10, Align::Left),
            Column::new("Đơn vị, người góp ý", 16, Align::Left),
            Column::new("Phần, mục", 9, Align::Left),
            Column::new("Nội dung góp ý", 34, Align::Left),
            Column::new("Ngày nhận", 10, Align::Center),
        ],
        rows,
        size: 11.0,
    }));
    blocks.push(Block::Signatures(vec![
        Signature { heading: vec![], note: None, names: vec![] },
        Signature {
            heading: vec![
                format!("T/M {}", summary.issuer.to_uppercase()),
                "TRƯỞNG TIỂU BAN".into(),
            ],
            note: None,
            names: summary.head.iter().cloned().collect(),
        },
    ]));
    Report {
        paper: Paper::A4,
        title: format!("Tổng hợp ý kiến góp ý - {}", summary.draft_title.trim()),
        header: Some(DocumentHeader {
            issuer: Issuer::Body {
                superior: Some(summary.organisation.to_uppercase()),
                name: summary.issuer.to_uppercase(),
            },
            number: None,
            place_date: Some(PlaceDate { place: summary.place.clone(), date: summary.date }),
            document_type: "BÁO CÁO".into(),
            summary: vec![format!("Tổng hợp ý kiến góp ý {}", summary.draft_title.trim())],
        }),
        blocks,
        page_numbers: true,
    }
}

/// The summary as DOCX.
pub fn comments_summary_docx(summary: &CommentsSummary) -> Result<Vec<u8>, RenderError> {
    crate::docx::report_docx(&comments_summary(summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_summary_carries_the_party_header_and_every_comment() {
        let summary = CommentsSummary {
            organisation: "Đảng bộ thành phố Điện Biên Phủ".into(),
            issuer: "Tiểu ban Văn kiện".into(),
            place: "Điện Biên Phủ".into(),
            date: date!(2020 - 05 - 20),
            draft_title: "Báo cáo chính trị".into(),
            comments: vec![CommentLine {
                version: "Dự thảo lần 1".into(),
                author: "Đảng bộ phường Him Lam".into(),
                section: "Phần I".into(),
                body: "Bổ sung số liệu".into(),
                received_on: date!(2020 - 04 - 24),
            }],
            head: Some("Trần Văn Thắng".into()),
        };
        let report = comments_summary(&summary);
        let header = report.header.as_ref().unwrap();
        assert_eq!(
            header.issuer,
            Issuer::Body {
                superior: Some("ĐẢNG BỘ THÀNH PHỐ ĐIỆN BIÊN PHỦ".into()),
                name: "TIỂU BAN VĂN KIỆN".into()
            }
        );
        let Some(Block::Table(table)) = report.blocks.get(1) else { panic!("a table") };
        assert_eq!(table.rows[0].cells[5], "24/04/2020");
        let bytes = comments_summary_docx(&summary).unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
    }
}
