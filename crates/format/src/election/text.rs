//! The text a counting committee reads out (`daihoi tally --format text`): base and its
//! derivation, ballot figures with reasons, the table in ballot order, the elected in vote
//! order, alternates, ties and what the congress does next, each decision with its article.
//! Vietnamese by default, English with [`Lang::En`].

use daihoi_core::counting::{
    BallotForm, CandidateId, CandidateResult, CongressType, Decision, ElectionKind, NextStep,
    RoundType, TallyReport,
};
use daihoi_core::rules::Citation;

use super::Lang;
use super::result::{base_item_text, citation_text, reason_text, warning_text};

/// Renders the report as text.
pub fn render(report: &TallyReport, lang: Lang) -> String {
    let words = Words::of(lang);
    let pack = report.pack();
    let decisions = report.decisions();
    let cite = |decision: Decision| cite_of(&decisions, decision, lang);
    let names = |ids: &[CandidateId]| -> String {
        ids.iter().map(|id| name_of(report, id)).collect::<Vec<_>>().join(", ")
    };
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(text.trim_end());
        out.push('\n');
    };

    line(words.heading.to_owned());
    if !report.title.is_empty() {
        line(report.title.clone());
    }
    let (title, issuer) = match lang {
        Lang::Vi => (pack.title_vi, pack.issuer_vi),
        Lang::En => (pack.title_en, pack.issuer_en),
    };
    line(format!(
        "{}: {title} ({} {}, {}; {issuer})",
        words.rules,
        words.decision,
        pack.document,
        date_text(pack.issued, lang)
    ));
    line(format!(
        "{}: {} — {}: {} — {}: {}",
        words.election,
        kind_text(report.kind, lang),
        words.congress,
        congress_text(report.congress, lang),
        words.seats,
        report.seats
    ));
    if report.alternate_seats > 0 {
        line(format!("{}: {}", words.alternate_seats, report.alternate_seats));
    }
    line(format!("{}: {}", words.round, round_text(report.round_type, lang)));
    line(format!(
        "{}: {} ({} {} {} {}, {})",
        words.form,
        form_text(report.form, lang),
        report.candidates.len(),
        words.names_for,
        report.seats,
        words.places,
        surplus_text(report.form, lang)
    ));
    line(String::new());

    // Base D and its derivation.
    line(format!("{}: {}{}", words.base, report.base.value(), cite(Decision::Base)));
    let rule = pack.base_rule(report.congress);
    let steps: Vec<(String, String)> = report
        .base
        .derivation()
        .iter()
        .map(|step| {
            (
                base_item_text(step.item, rule.summoned_vi, rule.summoned_en, lang),
                if step.delta < 0 { format!("−{}", -step.delta) } else { step.delta.to_string() },
            )
        })
        .collect();
    let label_width = steps.iter().map(|(label, _)| width(label)).max().unwrap_or(0);
    for (label, amount) in &steps {
        line(format!("  {}  {:>6}", pad(label, label_width), amount));
    }
    line(format!("  {}: {}", words.present, report.present));
    match report.threshold {
        Some(threshold) => line(format!(
            "{}: {threshold} {}{}",
            words.threshold,
            words.votes_unit,
            cite(Decision::Threshold)
        )),
        None => line(format!("{}{}", words.no_threshold, cite(Decision::TieBreakRound))),
    }
    line(String::new());

    // Ballot figures.
    let figures = [
        (words.issued, report.ballots.issued.to_string()),
        (words.collected, report.ballots.collected.to_string()),
        (words.valid, report.ballots.valid.to_string()),
        (words.invalid, report.ballots.invalid.to_string()),
    ];
    let figure_width = figures.iter().map(|(label, _)| width(label)).max().unwrap_or(0);
    for (position, (label, value)) in figures.iter().enumerate() {
        let cites = if position == 3 { cite(Decision::BallotValidity) } else { String::new() };
        line(format!("{} {:>6}{cites}", pad(&format!("{label}:"), figure_width + 1), value));
    }
    for (reason, count) in &report.ballots.invalid_by_reason {
        line(format!("  - {}: {count}", reason_text(*reason, lang)));
    }
    for ruling in &report.ballots.ruling_notes {
        line(format!(
            "  {} ({}, {}): {}",
            words.committee_note,
            reason_text(daihoi_core::counting::InvalidReason::Committee(ruling.reason), lang),
            ruling.count,
            ruling.note
        ));
    }
    if report
        .ballots
        .invalid_by_reason
        .iter()
        .any(|(reason, _)| matches!(reason, daihoi_core::counting::InvalidReason::Committee(_)))
    {
        line(format!("  {}{}", words.committee_ruled, cite(Decision::CommitteeRulings)));
    }
    line(String::new());

    // The table, in ballot order.
    line(words.table_heading.to_owned());
    let marks_form = report.form == BallotForm::AgreeDisagree;
    let mut header = vec![words.col_no.to_owned(), words.col_name.to_owned()];
    if marks_form {
        header.extend([
            words.col_agree.to_owned(),
            words.col_disagree.to_owned(),
            words.col_no_mark.to_owned(),
        ]);
    }
    header.extend([
        words.col_votes.to_owned(),
        words.col_percent.to_owned(),
        words.col_status.to_owned(),
    ]);
    let separator = match lang {
        Lang::Vi => ',',
        Lang::En => '.',
    };
    let rows: Vec<Vec<String>> = report
        .candidates
        .iter()
        .enumerate()
        .map(|(position, row)| {
            let mut cells = vec![(position + 1).to_string(), row.name.clone()];
            if let Some(marks) = row.marks {
                cells.extend([
                    marks.agree.to_string(),
                    marks.disagree.to_string(),
                    marks.no_mark.to_string(),
                ]);
            }
            cells.extend([
                row.votes.to_string(),
                format!("{}%", row.percent_of_base.with_separator(separator)),
                status_text(report, row, lang),
            ]);
            cells
        })
        .collect();
    let n_columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|cell| width(cell)).collect();
    for row in &rows {
        for (column, cell) in row.iter().enumerate() {
            widths[column] = widths[column].max(width(cell));
        }
    }
    let render_row = |cells: &[String]| -> String {
        let mut text = String::from(" ");
        for (column, cell) in cells.iter().enumerate() {
            // Names and statuses read left to right; numbers line up on the right.
            let left = column == 1 || column == n_columns - 1;
            text.push(' ');
            if left {
                text.push_str(&pad(cell, widths[column]));
            } else {
                text.push_str(&pad_left(cell, widths[column]));
            }
            text.push(' ');
        }
        text
    };
    line(render_row(&header));
    for row in &rows {
        line(render_row(row));
    }
    line(String::new());

    // The elected, in vote order.
    line(format!("{}{}", words.elected_heading, cite(Decision::Elected)));
    if report.elected.is_empty() {
        line(format!("  {}", words.nobody));
    }
    for (rank, id) in report.elected.iter().enumerate() {
        if let Some(row) = row_of(report, id) {
            line(format!(
                "  {}. {} — {} {} ({}%)",
                rank + 1,
                row.name,
                row.votes,
                words.votes_unit,
                row.percent_of_base.with_separator(separator)
            ));
        }
    }
    if report.alternate_seats > 0 {
        line(String::new());
        line(format!("{}{}", words.alternates_heading, cite(Decision::Alternates)));
        if report.alternates.is_empty() {
            line(format!("  {}", words.nobody));
        }
        for (rank, id) in report.alternates.iter().enumerate() {
            if let Some(row) = row_of(report, id) {
                line(format!(
                    "  {}. {} — {} {} ({}%)",
                    rank + 1,
                    row.name,
                    row.votes,
                    words.votes_unit,
                    row.percent_of_base.with_separator(separator)
                ));
            }
        }
    }
    if let Some(tie) = &report.tie {
        line(String::new());
        line(format!(
            "{}: {} — {} {} {} {} {}{}",
            words.tie_heading,
            names(&tie.candidates),
            tie.votes,
            words.votes_unit,
            words.tie_for,
            tie.seats,
            words.tie_places,
            cite(Decision::Tie)
        ));
    }
    if let Some(tie) = &report.alternate_tie {
        line(String::new());
        line(format!(
            "{}: {} — {} {} {} {} {}",
            words.alternate_tie_heading,
            names(&tie.candidates),
            tie.votes,
            words.votes_unit,
            words.tie_for,
            tie.seats,
            words.alternate_places,
        ));
    }
    line(String::new());

    // What the congress does next.
    line(words.next_heading.to_owned());
    for step in report.next_steps() {
        let text = match step {
            NextStep::Complete => {
                format!("{} ({}/{})", words.complete, report.elected.len(), report.seats)
            }
            NextStep::TieBreakRound { candidates, seats } => match lang {
                Lang::Vi => format!(
                    "Bầu lại giữa {} cho {seats} chỗ; người nhiều phiếu hơn trúng cử, không cần quá một nửa.",
                    names(&candidates)
                ),
                Lang::En => format!(
                    "A tie-break round among {} for {seats} seat(s); the highest votes win without needing more than half.",
                    names(&candidates)
                ),
            },
            NextStep::FurtherRound { seats } => {
                let further = cite_of(&decisions, Decision::FurtherRound, lang);
                match lang {
                    Lang::Vi => format!(
                        "Còn thiếu {seats} chỗ: đại hội quyết định có bầu tiếp (vòng sau) cho {seats} chỗ hay không, và có bổ sung người ngoài danh sách hay không.{further}"
                    ),
                    Lang::En => format!(
                        "{seats} seat(s) unfilled: the congress decides whether to hold another round for {seats} seat(s), and whether names may be added to the list.{further}"
                    ),
                }
            }
            NextStep::ApproveAlternates { alternates } => match lang {
                Lang::Vi => format!(
                    "Đại hội biểu quyết công nhận đại biểu dự khuyết theo thứ tự số phiếu: {}.",
                    names(&alternates)
                ),
                Lang::En => format!(
                    "The congress votes to approve the alternates, in order of votes: {}.",
                    names(&alternates)
                ),
            },
            NextStep::AlternateTie { candidates, seats } => match lang {
                Lang::Vi => format!(
                    "{} bằng phiếu cho {seats} vị trí dự khuyết cuối: đại hội quyết định (bầu lại hoặc biểu quyết).",
                    names(&candidates)
                ),
                Lang::En => format!(
                    "{} are tied for the last {seats} alternate place(s): the congress decides (a further ballot or a vote).",
                    names(&candidates)
                ),
            },
            NextStep::AlternatesAfterTieBreak => match lang {
                Lang::Vi => {
                    "Đại biểu dự khuyết được xác định sau khi bầu lại giữa những người bằng phiếu."
                        .to_owned()
                }
                Lang::En => {
                    "Alternates are taken once the tie-break round has settled the official seats."
                        .to_owned()
                }
            },
        };
        line(format!("  - {text}"));
    }
    if !report.warnings.is_empty() {
        line(String::new());
        line(words.warnings_heading.to_owned());
        for warning in &report.warnings {
            line(format!(
                "  - {}  [{}]",
                warning_text(warning, lang),
                citation_text(&warning.cites(pack, report.congress), lang)
            ));
        }
    }
    out
}

fn cite_of(decisions: &[(Decision, Citation)], decision: Decision, lang: Lang) -> String {
    decisions
        .iter()
        .find(|(d, _)| *d == decision)
        .map(|(_, cites)| format!("  [{}]", citation_text(cites, lang)))
        .unwrap_or_default()
}

fn row_of<'a>(report: &'a TallyReport, id: &CandidateId) -> Option<&'a CandidateResult> {
    report.candidates.iter().find(|row| &row.id == id)
}

fn name_of(report: &TallyReport, id: &CandidateId) -> String {
    row_of(report, id).map_or_else(|| id.as_str().to_owned(), |row| row.name.clone())
}

fn status_text(report: &TallyReport, row: &CandidateResult, lang: Lang) -> String {
    let in_tie = |tie: &Option<daihoi_core::counting::Tie>| {
        tie.as_ref().is_some_and(|tie| tie.candidates.contains(&row.id))
    };
    let text = match lang {
        Lang::Vi => {
            if row.elected {
                "trúng cử"
            } else if in_tie(&report.tie) {
                "bằng phiếu, chờ bầu lại"
            } else if row.alternate {
                "dự khuyết"
            } else if in_tie(&report.alternate_tie) {
                "bằng phiếu (dự khuyết)"
            } else if report.round_type == RoundType::TieBreak {
                "không trúng cử"
            } else if row.qualified {
                "quá một nửa, ngoài số lượng"
            } else {
                "không quá một nửa"
            }
        }
        Lang::En => {
            if row.elected {
                "elected"
            } else if in_tie(&report.tie) {
                "tied, tie-break needed"
            } else if row.alternate {
                "alternate"
            } else if in_tie(&report.alternate_tie) {
                "tied (alternate)"
            } else if report.round_type == RoundType::TieBreak {
                "not elected"
            } else if row.qualified {
                "over half, beyond the seats"
            } else {
                "not over half"
            }
        }
    };
    text.to_owned()
}

fn kind_text(kind: ElectionKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (ElectionKind::Committee, Lang::Vi) => "Ban Chấp hành (cấp ủy)",
        (ElectionKind::Committee, Lang::En) => "executive committee",
        (ElectionKind::StandingCommittee, Lang::Vi) => "Ban Thường vụ",
        (ElectionKind::StandingCommittee, Lang::En) => "standing committee",
        (ElectionKind::Secretary, Lang::Vi) => "Bí thư",
        (ElectionKind::Secretary, Lang::En) => "secretary",
        (ElectionKind::DeputySecretary, Lang::Vi) => "Phó Bí thư",
        (ElectionKind::DeputySecretary, Lang::En) => "deputy secretary",
        (ElectionKind::InspectionCommittee, Lang::Vi) => "Ủy ban Kiểm tra",
        (ElectionKind::InspectionCommittee, Lang::En) => "inspection committee",
        (ElectionKind::InspectionChair, Lang::Vi) => "Chủ nhiệm Ủy ban Kiểm tra",
        (ElectionKind::InspectionChair, Lang::En) => "chair of the inspection committee",
        (ElectionKind::Delegates, Lang::Vi) => "đại biểu chính thức dự đại hội cấp trên",
        (ElectionKind::Delegates, Lang::En) => "official delegates to the higher congress",
        (ElectionKind::AlternateDelegates, Lang::Vi) => "đại biểu dự khuyết dự đại hội cấp trên",
        (ElectionKind::AlternateDelegates, Lang::En) => {
            "alternate delegates to the higher congress"
        }
        (ElectionKind::Other, Lang::Vi) => "khác",
        (ElectionKind::Other, Lang::En) => "other",
    }
}

fn congress_text(congress: CongressType, lang: Lang) -> &'static str {
    match (congress, lang) {
        (CongressType::Members, Lang::Vi) => "đại hội đảng viên",
        (CongressType::Members, Lang::En) => "members' congress",
        (CongressType::Delegates, Lang::Vi) => "đại hội đại biểu",
        (CongressType::Delegates, Lang::En) => "delegates' congress",
        (CongressType::Conference, Lang::Vi) => "hội nghị",
        (CongressType::Conference, Lang::En) => "conference of the body",
    }
}

fn round_text(round: RoundType, lang: Lang) -> &'static str {
    match (round, lang) {
        (RoundType::Regular, Lang::Vi) => "bầu theo danh sách (trúng cử phải quá một nửa D)",
        (RoundType::Regular, Lang::En) => "regular (the elected need more than half of D)",
        (RoundType::TieBreak, Lang::Vi) => {
            "bầu lại giữa những người bằng phiếu (nhiều phiếu hơn trúng cử, không cần quá một nửa)"
        }
        (RoundType::TieBreak, Lang::En) => {
            "tie-break among the tied (highest votes win, no majority needed)"
        }
    }
}

fn form_text(form: BallotForm, lang: Lang) -> &'static str {
    match (form, lang) {
        (BallotForm::StrikeThrough, Lang::Vi) => "phiếu gạch tên",
        (BallotForm::StrikeThrough, Lang::En) => "strike-through",
        (BallotForm::AgreeDisagree, Lang::Vi) => "phiếu đồng ý / không đồng ý",
        (BallotForm::AgreeDisagree, Lang::En) => "agree / disagree",
    }
}

fn surplus_text(form: BallotForm, lang: Lang) -> &'static str {
    match (form, lang) {
        (BallotForm::StrikeThrough, Lang::Vi) => "có số dư",
        (BallotForm::StrikeThrough, Lang::En) => "with a surplus",
        (BallotForm::AgreeDisagree, Lang::Vi) => "không có số dư",
        (BallotForm::AgreeDisagree, Lang::En) => "no surplus",
    }
}

/// `2024-10-10` → `10/10/2024` in Vietnamese, unchanged in English.
fn date_text(iso: &str, lang: Lang) -> String {
    match lang {
        Lang::En => iso.to_owned(),
        Lang::Vi => {
            let parts: Vec<&str> = iso.split('-').collect();
            match parts.as_slice() {
                [year, month, day] => format!("{day}/{month}/{year}"),
                _ => iso.to_owned(),
            }
        }
    }
}

fn width(text: &str) -> usize {
    text.chars().count()
}

fn pad(text: &str, to: usize) -> String {
    let mut padded = text.to_owned();
    for _ in width(text)..to {
        padded.push(' ');
    }
    padded
}

fn pad_left(text: &str, to: usize) -> String {
    let mut padded = String::new();
    for _ in width(text)..to {
        padded.push(' ');
    }
    padded.push_str(text);
    padded
}

/// The fixed words of the report in one language.
struct Words {
    heading: &'static str,
    rules: &'static str,
    decision: &'static str,
    election: &'static str,
    congress: &'static str,
    seats: &'static str,
    alternate_seats: &'static str,
    round: &'static str,
    form: &'static str,
    names_for: &'static str,
    places: &'static str,
    base: &'static str,
    present: &'static str,
    threshold: &'static str,
    no_threshold: &'static str,
    votes_unit: &'static str,
    issued: &'static str,
    collected: &'static str,
    valid: &'static str,
    invalid: &'static str,
    committee_note: &'static str,
    committee_ruled: &'static str,
    table_heading: &'static str,
    col_no: &'static str,
    col_name: &'static str,
    col_agree: &'static str,
    col_disagree: &'static str,
    col_no_mark: &'static str,
    col_votes: &'static str,
    col_percent: &'static str,
    col_status: &'static str,
    elected_heading: &'static str,
    nobody: &'static str,
    alternates_heading: &'static str,
    tie_heading: &'static str,
    tie_for: &'static str,
    tie_places: &'static str,
    alternate_tie_heading: &'static str,
    alternate_places: &'static str,
    next_heading: &'static str,
    complete: &'static str,
    warnings_heading: &'static str,
}

impl Words {
    fn of(lang: Lang) -> Words {
        match lang {
            Lang::Vi => Words {
                heading: "KẾT QUẢ KIỂM PHIẾU",
                rules: "Quy chế",
                decision: "ban hành kèm Quyết định",
                election: "Bầu",
                congress: "Bầu tại",
                seats: "Số lượng cần bầu",
                alternate_seats: "Số đại biểu dự khuyết",
                round: "Vòng bầu",
                form: "Phiếu bầu",
                names_for: "người trong danh sách cho",
                places: "chỗ",
                base: "Cơ sở tính kết quả (D, số được triệu tập sau khi trừ)",
                present: "Số có mặt lúc bầu cử",
                threshold: "Trúng cử phải được quá một nửa D, tức ít nhất",
                no_threshold: "Bầu lại giữa những người bằng phiếu: người nhiều phiếu hơn trúng cử, không cần quá một nửa D",
                votes_unit: "phiếu",
                issued: "Số phiếu phát ra",
                collected: "Số phiếu thu về",
                valid: "Số phiếu hợp lệ",
                invalid: "Số phiếu không hợp lệ",
                committee_note: "Ghi chú của ban kiểm phiếu",
                committee_ruled: "Phiếu không hợp lệ do ban kiểm phiếu xem xét, kết luận",
                table_heading: "Kết quả theo thứ tự trong danh sách bầu cử",
                col_no: "TT",
                col_name: "Họ và tên",
                col_agree: "Đồng ý",
                col_disagree: "Không đồng ý",
                col_no_mark: "Dòng không tính",
                col_votes: "Số phiếu",
                col_percent: "Tỷ lệ so với D",
                col_status: "Kết quả",
                elected_heading: "Những người trúng cử (theo số phiếu từ cao xuống thấp)",
                nobody: "(không có)",
                alternates_heading: "Đại biểu dự khuyết đề nghị đại hội công nhận (theo số phiếu từ cao xuống thấp)",
                tie_heading: "Bằng phiếu ở vị trí cuối (không ai trong số này trúng cử)",
                tie_for: "cho",
                tie_places: "chỗ còn lại",
                alternate_tie_heading: "Bằng phiếu ở vị trí dự khuyết cuối",
                alternate_places: "vị trí dự khuyết còn lại",
                next_heading: "Bước tiếp theo",
                complete: "Hoàn thành: đã bầu đủ số lượng",
                warnings_heading: "Lưu ý",
            },
            Lang::En => Words {
                heading: "COUNTING RESULT",
                rules: "Regulation",
                decision: "issued with Decision",
                election: "Election",
                congress: "Voting body",
                seats: "Seats",
                alternate_seats: "Alternate places",
                round: "Round",
                form: "Ballot",
                names_for: "names for",
                places: "seats",
                base: "Base D (summoned less exclusions)",
                present: "Present when voting",
                threshold: "Elected need more than half of D, i.e. at least",
                no_threshold: "Tie-break round: the highest votes win; more than half of D is not needed",
                votes_unit: "votes",
                issued: "Ballots issued",
                collected: "Ballots collected",
                valid: "Valid ballots",
                invalid: "Invalid ballots",
                committee_note: "Counting committee's note",
                committee_ruled: "Invalid ballots examined and ruled on by the counting committee",
                table_heading: "Results in ballot order",
                col_no: "No.",
                col_name: "Full name",
                col_agree: "Agree",
                col_disagree: "Disagree",
                col_no_mark: "No valid mark",
                col_votes: "Votes",
                col_percent: "% of D",
                col_status: "Result",
                elected_heading: "Elected (highest votes first)",
                nobody: "(none)",
                alternates_heading: "Alternates proposed to the congress (highest votes first)",
                tie_heading: "Tie at the last seat (none of them is elected)",
                tie_for: "for",
                tie_places: "seat(s) left",
                alternate_tie_heading: "Tie at the last alternate place",
                alternate_places: "alternate place(s) left",
                next_heading: "Next step",
                complete: "Complete: every seat is filled",
                warnings_heading: "Notes",
            },
        }
    }
}
