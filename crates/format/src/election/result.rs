//! The result file (`daihoi.result/1`): what `daihoi tally` prints and the API returns.
//!
//! Field order is part of the contract: the fields of `spec/election-file.md` first, in the
//! spec's order, then the fields this implementation adds (`alternate_tie`, the round's
//! description, `citations`).

use serde::{Deserialize, Serialize};

use daihoi_core::counting::{BaseItem, Decision, InvalidReason, TallyReport, Tie, Warning};
use daihoi_core::rules::Citation;

use super::maps::Counts;
use super::whole;
use super::{Lang, RESULT_FORMAT};

/// A result document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultFile {
    /// Always `daihoi.result/1`.
    pub format: String,
    /// The rule pack the count followed.
    pub rules: String,
    /// The majority base D.
    #[serde(deserialize_with = "whole::u32_field")]
    pub base: u32,
    /// `[["summoned", 40], ["absent_approved", -1], …]`.
    pub base_derivation: Vec<(String, i64)>,
    /// `floor(D / 2) + 1`; `null` in a tie-break round.
    pub threshold: Option<u64>,
    /// Ballot figures.
    pub ballots: ResultBallots,
    /// One row per candidate, in ballot order.
    pub candidates: Vec<ResultCandidate>,
    /// Elected ids, highest votes first.
    pub elected: Vec<String>,
    /// Proposed alternates, highest votes first.
    pub alternates: Vec<String>,
    /// Seats left empty (seats held for a tie-break are in `tie.seats`).
    #[serde(deserialize_with = "whole::u32_field")]
    pub unfilled_seats: u32,
    /// A tie at the last seat.
    pub tie: Option<ResultTie>,
    /// `complete`, `tie_break_needed` or `seats_unfilled`.
    pub outcome: String,
    /// Concerns that did not stop the count.
    pub warnings: Vec<ResultWarning>,
    /// A tie at the last alternate place (added field).
    #[serde(default)]
    pub alternate_tie: Option<ResultTie>,
    /// The election's title (added field).
    #[serde(default)]
    pub title: String,
    /// The election's kind (added field).
    #[serde(default)]
    pub kind: String,
    /// `regular` or `tie_break` (added field).
    #[serde(default)]
    pub round_type: String,
    /// `strike_through` or `agree_disagree` (added field).
    #[serde(default)]
    pub ballot_form: String,
    /// Seats to fill in the round (added field).
    #[serde(default)]
    pub seats: u32,
    /// Alternate places of the round (added field).
    #[serde(default)]
    pub alternate_seats: u32,
    /// `members`, `delegates` or `conference` (added field).
    #[serde(default)]
    pub congress: String,
    /// Present when voting (added field).
    #[serde(default)]
    pub present: u32,
    /// The article behind each decision in this result (added field).
    #[serde(default)]
    pub citations: Vec<ResultCitation>,
}

/// `ballots` of a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultBallots {
    /// Handed out.
    pub issued: u32,
    /// In the box.
    pub collected: u32,
    /// Valid.
    pub valid: u64,
    /// Invalid.
    pub invalid: u64,
    /// Invalid ballots per reason (only reasons that occur).
    pub invalid_by_reason: Counts,
    /// Committee rulings that came with a note (added field).
    #[serde(default)]
    pub ruling_notes: Vec<ResultRulingNote>,
}

/// A committee ruling with its note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultRulingNote {
    /// The committee's reason.
    pub reason: String,
    /// The note.
    pub note: String,
    /// Ballots it covers.
    pub count: u32,
}

/// One candidate's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultCandidate {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Votes from valid ballots.
    pub votes: u64,
    /// Votes / D × 100, two decimals, rounded half up (display only).
    pub percent_of_base: String,
    /// `2 × votes > D`.
    pub qualified: bool,
    /// Elected in this round.
    pub elected: bool,
    /// Agree (agree/disagree ballots only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agree: Option<u64>,
    /// Disagree (agree/disagree ballots only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disagree: Option<u64>,
    /// Both boxes or neither, on valid ballots (agree/disagree ballots only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_mark: Option<u64>,
    /// Proposed as an alternate (added field).
    #[serde(default)]
    pub alternate: bool,
}

/// A tie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultTie {
    /// The tied ids, in ballot order.
    pub candidates: Vec<String>,
    /// Places they compete for.
    pub seats: u32,
    /// Their votes.
    pub votes: u64,
}

/// A warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultWarning {
    /// A stable code (`surplus_over_cap`, …).
    pub code: String,
    /// The concern in words.
    pub message: String,
    /// The article it rests on.
    pub cites: String,
}

/// The article behind one decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultCitation {
    /// The decision: `base`, `threshold`, `ballot_validity`, `elected`, `tie`, …
    pub about: String,
    /// The issuing decision (`190-QĐ/TW`).
    pub document: String,
    /// Article (Điều), when located.
    pub article: Option<u16>,
    /// Clause (khoản), when known.
    pub clause: Option<u16>,
    /// `confirmed`, `partial`, `memory` or `unknown` (how sure the reference material is).
    pub confidence: String,
    /// The citation in words.
    pub text: String,
}

impl ResultFile {
    /// The result document of a report; words (warnings, citation text) in `lang`.
    pub fn from_report(report: &TallyReport, lang: Lang) -> ResultFile {
        let pack = report.pack();
        let ids = |ids: &[daihoi_core::counting::CandidateId]| {
            ids.iter().map(|id| id.as_str().to_owned()).collect::<Vec<_>>()
        };
        let tie = |tie: &Tie| ResultTie {
            candidates: ids(&tie.candidates),
            seats: tie.seats,
            votes: tie.votes,
        };
        ResultFile {
            format: RESULT_FORMAT.to_owned(),
            rules: report.rules.code().to_owned(),
            base: report.base.value(),
            base_derivation: report
                .base
                .derivation()
                .iter()
                .map(|step| (step.item.code().to_owned(), step.delta))
                .collect(),
            threshold: report.threshold,
            ballots: ResultBallots {
                issued: report.ballots.issued,
                collected: report.ballots.collected,
                valid: report.ballots.valid,
                invalid: report.ballots.invalid,
                invalid_by_reason: Counts(
                    report
                        .ballots
                        .invalid_by_reason
                        .iter()
                        .map(|(reason, count)| (reason.code().to_owned(), *count))
                        .collect(),
                ),
                ruling_notes: report
                    .ballots
                    .ruling_notes
                    .iter()
                    .map(|ruling| ResultRulingNote {
                        reason: ruling.reason.code().to_owned(),
                        note: ruling.note.clone(),
                        count: ruling.count,
                    })
                    .collect(),
            },
            candidates: report
                .candidates
                .iter()
                .map(|row| ResultCandidate {
                    id: row.id.as_str().to_owned(),
                    name: row.name.clone(),
                    votes: row.votes,
                    percent_of_base: row.percent_of_base.to_string(),
                    qualified: row.qualified,
                    elected: row.elected,
                    agree: row.marks.map(|marks| marks.agree),
                    disagree: row.marks.map(|marks| marks.disagree),
                    no_mark: row.marks.map(|marks| marks.no_mark),
                    alternate: row.alternate,
                })
                .collect(),
            elected: ids(&report.elected),
            alternates: ids(&report.alternates),
            unfilled_seats: report.unfilled_seats,
            tie: report.tie.as_ref().map(tie),
            outcome: report.outcome.code().to_owned(),
            warnings: report
                .warnings
                .iter()
                .map(|warning| ResultWarning {
                    code: warning.code().to_owned(),
                    message: warning_text(warning, lang),
                    cites: citation_text(&warning.cites(pack, report.congress), lang),
                })
                .collect(),
            alternate_tie: report.alternate_tie.as_ref().map(tie),
            title: report.title.clone(),
            kind: report.kind.code().to_owned(),
            round_type: report.round_type.code().to_owned(),
            ballot_form: report.form.code().to_owned(),
            seats: report.seats,
            alternate_seats: report.alternate_seats,
            congress: report.congress.code().to_owned(),
            present: report.present,
            citations: report
                .decisions()
                .into_iter()
                .map(|(decision, cites)| citation_entry(decision, &cites, lang))
                .collect(),
        }
    }

    /// The document as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        // Serializing these plain structs (strings, integers, vectors) cannot fail.
        let mut text = super::layout::relayout(&serde_json::to_string(self).unwrap_or_default());
        text.push('\n');
        text
    }
}

fn citation_entry(decision: Decision, cites: &Citation, lang: Lang) -> ResultCitation {
    ResultCitation {
        about: decision.code().to_owned(),
        document: cites.document.to_owned(),
        article: cites.article,
        clause: cites.clause,
        confidence: confidence_code(cites).to_owned(),
        text: citation_text(cites, lang),
    }
}

fn confidence_code(cites: &Citation) -> &'static str {
    use daihoi_core::rules::Confidence;
    match cites.confidence {
        Confidence::Confirmed => "confirmed",
        Confidence::Partial => "partial",
        Confidence::Memory => "memory",
        Confidence::Unknown => "unknown",
    }
}

/// A citation in `lang`.
pub fn citation_text(cites: &Citation, lang: Lang) -> String {
    match lang {
        Lang::Vi => cites.vi(),
        Lang::En => cites.en(),
    }
}

/// A warning in words.
pub fn warning_text(warning: &Warning, lang: Lang) -> String {
    let list = |ids: &[daihoi_core::counting::CandidateId]| {
        ids.iter().map(|id| id.as_str()).collect::<Vec<_>>().join(", ")
    };
    match (warning, lang) {
        (Warning::NoSurplus { seats, names }, Lang::Vi) => format!(
            "Danh sách bầu cử không có số dư ({names} người cho {seats} chỗ); cấp ủy và ban thường vụ phải bầu với số dư"
        ),
        (Warning::NoSurplus { seats, names }, Lang::En) => format!(
            "The list has no surplus ({names} names for {seats} seats); an executive or standing committee must be elected with a surplus"
        ),
        (Warning::SurplusOverCap { seats, names, surplus, cap }, Lang::Vi) => format!(
            "Số dư {surplus} ({names} người cho {seats} chỗ) vượt mức tối đa {cap} (30% số lượng, làm tròn xuống)"
        ),
        (Warning::SurplusOverCap { seats, names, surplus, cap }, Lang::En) => format!(
            "The surplus of {surplus} ({names} names for {seats} seats) is above the cap of {cap} (30% of the seats, rounded down)"
        ),
        (Warning::PresentAboveBase { present, base }, Lang::Vi) => format!(
            "Số có mặt ({present}) lớn hơn cơ sở tính kết quả D ({base}); kiểm tra lại số triệu tập và các trường hợp được trừ"
        ),
        (Warning::PresentAboveBase { present, base }, Lang::En) => format!(
            "More present ({present}) than the base D ({base}); check those summoned and the exclusions"
        ),
        (Warning::IssuedAbovePresent { issued, present }, Lang::Vi) => {
            format!("Số phiếu phát ra ({issued}) nhiều hơn số có mặt ({present})")
        }
        (Warning::IssuedAbovePresent { issued, present }, Lang::En) => {
            format!("More ballots issued ({issued}) than voters present ({present})")
        }
        (Warning::AlternatesEqualVotes { candidates, votes }, Lang::Vi) => format!(
            "Các đại biểu dự khuyết {} bằng phiếu ({votes}); thứ tự thay thế do đại hội quyết định",
            list(candidates)
        ),
        (Warning::AlternatesEqualVotes { candidates, votes }, Lang::En) => format!(
            "Alternates {} have equal votes ({votes}); their order of replacement is for the congress to decide",
            list(candidates)
        ),
    }
}

/// The words for an invalid-ballot reason.
pub fn reason_text(reason: InvalidReason, lang: Lang) -> &'static str {
    use daihoi_core::counting::CommitteeReason;
    match (reason, lang) {
        (InvalidReason::TooManyKept, Lang::Vi) => "để lại nhiều hơn số lượng cần bầu",
        (InvalidReason::TooManyKept, Lang::En) => "more names kept than seats",
        (InvalidReason::NoneKept, Lang::Vi) => "gạch hết tên trong danh sách",
        (InvalidReason::NoneKept, Lang::En) => "every name crossed out",
        (InvalidReason::NoUsableMark, Lang::Vi) => {
            "không có dòng nào đánh dấu đúng một ô (đồng ý hoặc không đồng ý)"
        }
        (InvalidReason::NoUsableMark, Lang::En) => "no row marked in exactly one box",
        (InvalidReason::Committee(CommitteeReason::NotIssued), Lang::Vi) => {
            "không phải phiếu do ban kiểm phiếu phát ra (không có dấu)"
        }
        (InvalidReason::Committee(CommitteeReason::NotIssued), Lang::En) => {
            "not issued by the counting committee (no seal)"
        }
        (InvalidReason::Committee(CommitteeReason::AddedName), Lang::Vi) => {
            "ghi thêm tên người ngoài danh sách"
        }
        (InvalidReason::Committee(CommitteeReason::AddedName), Lang::En) => {
            "a name added from outside the list"
        }
        (InvalidReason::Committee(CommitteeReason::IdentifyingMark), Lang::Vi) => {
            "có ký hiệu riêng hoặc ghi tên người bầu"
        }
        (InvalidReason::Committee(CommitteeReason::IdentifyingMark), Lang::En) => {
            "an identifying mark or the voter's name"
        }
        (InvalidReason::Committee(CommitteeReason::Other), Lang::Vi) => {
            "lý do khác theo kết luận của ban kiểm phiếu"
        }
        (InvalidReason::Committee(CommitteeReason::Other), Lang::En) => {
            "another reason ruled by the counting committee"
        }
    }
}

/// The words for a step of the base's derivation.
pub fn base_item_text(item: BaseItem, summoned_vi: &str, summoned_en: &str, lang: Lang) -> String {
    use daihoi_core::counting::Exclusion;
    let text = match (item, lang) {
        (BaseItem::Summoned, Lang::Vi) => return format!("Số {summoned_vi}"),
        (BaseItem::Summoned, Lang::En) => {
            let mut text = summoned_en.to_owned();
            if let Some(first) = text.get(..1) {
                text = first.to_uppercase() + &text[1..];
            }
            return text;
        }
        (BaseItem::Excluded(Exclusion::TemporarilyTransferredAbsent), Lang::Vi) => {
            "Trừ đảng viên sinh hoạt tạm thời ở đảng bộ khác không có mặt"
        }
        (BaseItem::Excluded(Exclusion::TemporarilyTransferredAbsent), Lang::En) => {
            "Less members on temporary transfer who did not attend"
        }
        (BaseItem::Excluded(Exclusion::ExemptAbsent), Lang::Vi) => {
            "Trừ đảng viên được miễn công tác và sinh hoạt đảng không có mặt"
        }
        (BaseItem::Excluded(Exclusion::ExemptAbsent), Lang::En) => {
            "Less members exempted from party activity who did not attend"
        }
        (BaseItem::Excluded(Exclusion::Suspended), Lang::Vi) => "Trừ người bị đình chỉ sinh hoạt",
        (BaseItem::Excluded(Exclusion::Suspended), Lang::En) => "Less those suspended",
        (BaseItem::Excluded(Exclusion::Prosecuted), Lang::Vi) => {
            "Trừ người bị khởi tố, truy tố, tạm giam"
        }
        (BaseItem::Excluded(Exclusion::Prosecuted), Lang::En) => {
            "Less those prosecuted, indicted or detained"
        }
        (BaseItem::Excluded(Exclusion::AbsentApproved), Lang::Vi) => {
            "Trừ đảng viên vắng mặt suốt thời gian đại hội có lý do chính đáng được cấp ủy triệu tập đồng ý"
        }
        (BaseItem::Excluded(Exclusion::AbsentApproved), Lang::En) => {
            "Less members absent for the whole congress with an accepted reason"
        }
        (BaseItem::Excluded(Exclusion::CommitteeAbsent), Lang::Vi) => {
            "Trừ cấp ủy viên cấp triệu tập vắng mặt suốt thời gian đại hội"
        }
        (BaseItem::Excluded(Exclusion::CommitteeAbsent), Lang::En) => {
            "Less convening-committee members absent for the whole congress"
        }
        (BaseItem::Excluded(Exclusion::DelegateAbsentUnreplaced), Lang::Vi) => {
            "Trừ đại biểu chính thức vắng mặt suốt thời gian đại hội không có đại biểu dự khuyết thay thế"
        }
        (BaseItem::Excluded(Exclusion::DelegateAbsentUnreplaced), Lang::En) => {
            "Less official delegates absent for the whole congress with no alternate seated"
        }
    };
    text.to_owned()
}
