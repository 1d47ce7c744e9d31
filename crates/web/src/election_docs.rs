//! The documents of an election round, built from the store's counted round: the result
//! document (`daihoi.result/1`), the counting minutes (PDF and DOCX) with the lock hash and
//! the entry log, and the ballots to print.

use daihoi_core::counting::{BallotForm as CoreForm, BaseItem, ElectionKind, NextStep};
use daihoi_core::keyed::{KeyedBallot, Resolution};
use daihoi_format::election::Lang as FormatLang;
use daihoi_format::election::result::{base_item_text, reason_text};
use daihoi_render::{
    Attendance, BallotCode, BallotCounts, BallotForm, BallotSpec, Base, BaseStep, CandidateResult,
    CommitteeMember, CommitteeRole, CongressKind, CountingMinutes, EntryLogRow, Issuer, Paper,
    Ranked, ReasonCount, SeatsBasis, congress_line,
};
use daihoi_store::Store;
use daihoi_store::congress::{Congress, CongressKind as StoreKind};
use daihoi_store::elections::{Election, EntryRow, RoundCount, RoundName};
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::AppError;

/// Vietnam wall-clock time of an instant in milliseconds.
pub fn vn_time(ms: i64) -> PrimitiveDateTime {
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    PrimitiveDateTime::new(at.date(), at.time())
}

fn render_kind(congress: &Congress) -> CongressKind {
    match congress.kind {
        StoreKind::Members => CongressKind::Members,
        StoreKind::Delegates => CongressKind::Delegates,
    }
}

fn issuer(store_unit_name: &str, congress: &Congress) -> Issuer {
    let line = congress
        .ordinal
        .and_then(|n| u32::try_from(n).ok())
        .and_then(|n| congress_line(render_kind(congress), n))
        .unwrap_or_else(|| "ĐẠI HỘI".to_string());
    Issuer::Congress {
        organisation: store_unit_name.to_string(),
        congress: line,
        term: daihoi_core::date::Term::new(congress.term_start as i32, congress.term_end as i32)
            .ok(),
    }
}

/// How a keyed ballot reads, in words, with the names (entry log and reconciliation page).
pub fn ballot_words(ballot: &KeyedBallot, names: &[RoundName]) -> String {
    let name = |n: &u32| {
        names.get((*n as usize).wrapping_sub(1)).map_or_else(|| n.to_string(), |r| r.name.clone())
    };
    let list = |ns: &[u32]| ns.iter().map(name).collect::<Vec<_>>().join(", ");
    match ballot {
        KeyedBallot::Crossed { n } if n.is_empty() => "Không gạch tên nào".into(),
        KeyedBallot::Crossed { n } => format!("Gạch: {}", list(n)),
        KeyedBallot::Marks { disagree, both, none } => {
            let mut parts = Vec::new();
            if !disagree.is_empty() {
                parts.push(format!("Không đồng ý: {}", list(disagree)));
            }
            if !both.is_empty() {
                parts.push(format!("Đánh cả hai ô: {}", list(both)));
            }
            if !none.is_empty() {
                parts.push(format!("Không đánh dấu: {}", list(none)));
            }
            if parts.is_empty() { "Đồng ý tất cả".into() } else { parts.join("; ") }
        }
        KeyedBallot::Invalid { reason, note } => {
            let reason = daihoi_core::counting::CommitteeReason::from_code(reason)
                .map(|r| {
                    reason_text(daihoi_core::counting::InvalidReason::Committee(r), FormatLang::Vi)
                })
                .unwrap_or("không hợp lệ");
            match note {
                Some(note) => format!("Không hợp lệ: {reason} ({note})"),
                None => format!("Không hợp lệ: {reason}"),
            }
        }
        KeyedBallot::Doubtful => "Phiếu cần Ban kiểm phiếu xem xét".into(),
    }
}

/// The next steps of a report in words.
pub fn next_step_words(step: &NextStep, names: &[RoundName], vi: bool) -> String {
    let list = |ids: &[daihoi_core::counting::CandidateId]| {
        ids.iter()
            .map(|id| {
                names
                    .iter()
                    .find(|n| n.code == id.as_str())
                    .map_or(id.as_str(), |n| n.name.as_str())
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (step, vi) {
        (NextStep::Complete, true) => "Đã bầu đủ số lượng.".into(),
        (NextStep::Complete, false) => "Every seat is filled.".into(),
        (NextStep::TieBreakRound { candidates, seats }, true) => format!(
            "Các đồng chí {} bằng phiếu nhau ở vị trí cuối: bầu tiếp {seats} người trong số các đồng chí này.",
            list(candidates)
        ),
        (NextStep::TieBreakRound { candidates, seats }, false) => format!(
            "{} tie for the last seat: a further ballot among them for {seats}.",
            list(candidates)
        ),
        (NextStep::FurtherRound { seats }, true) => {
            format!("Còn thiếu {seats} người: đại hội quyết định có bầu tiếp hay không.")
        }
        (NextStep::FurtherRound { seats }, false) => {
            format!("{seats} seats remain empty: the congress decides whether to vote again.")
        }
        (NextStep::ApproveAlternates { alternates }, true) => format!(
            "Đại hội biểu quyết công nhận đại biểu dự khuyết theo thứ tự: {}.",
            list(alternates)
        ),
        (NextStep::ApproveAlternates { alternates }, false) => {
            format!("The congress approves the alternates in order: {}.", list(alternates))
        }
        (NextStep::AlternateTie { candidates, seats }, true) => format!(
            "Các đồng chí {} bằng phiếu ở vị trí dự khuyết cuối ({seats} chỗ): đại hội quyết định.",
            list(candidates)
        ),
        (NextStep::AlternateTie { candidates, seats }, false) => format!(
            "{} tie for the last {seats} alternate places: the congress decides.",
            list(candidates)
        ),
        (NextStep::AlternatesAfterTieBreak, true) => {
            "Đại biểu dự khuyết được xác định sau vòng bầu phân định.".into()
        }
        (NextStep::AlternatesAfterTieBreak, false) => {
            "Alternates are settled after the tie-break round.".into()
        }
    }
}

/// The entry log of a round: every keyed entry (undo included) and every committee decision.
pub fn entry_log(
    entries: &[EntryRow],
    names: &[RoundName],
    decisions: &[(u32, String, Resolution, Option<String>, i64)],
) -> Vec<EntryLogRow> {
    let mut rows = Vec::with_capacity(entries.len() + decisions.len());
    let mut piles: std::collections::BTreeMap<i64, usize> = Default::default();
    for entry in entries {
        let pile = piles.entry(entry.team).or_insert(0);
        let (ballot, text) = match &entry.ballot {
            Some(ballot) => {
                *pile += 1;
                // Long ballots are logged by their numbers: the appendix stays printable.
                let text = match ballot {
                    KeyedBallot::Crossed { n } if n.len() > 5 => {
                        format!("Gạch số: {}", ballot.keys())
                    }
                    _ => ballot_words(ballot, names),
                };
                (pile.to_string(), text)
            }
            None => {
                let text = format!("Hủy phiếu số {} vừa nhập", *pile);
                *pile = pile.saturating_sub(1);
                (String::new(), text)
            }
        };
        rows.push(EntryLogRow {
            at: vn_time(entry.entered_at),
            team: format!("Tổ {}", entry.team),
            ballot,
            entry: text,
        });
    }
    for (ballot, kind, resolution, note, at) in decisions {
        let what = match resolution {
            Resolution::Ballot { ballot } => ballot_words(ballot, names),
            Resolution::NoBallot => "Không có phiếu này (nhập thừa)".into(),
        };
        let kind = if kind == "ruling" {
            "Kết luận phiếu cần xem xét"
        } else {
            "Quyết định chênh lệch"
        };
        rows.push(EntryLogRow {
            at: vn_time(*at),
            team: "Ban kiểm phiếu".into(),
            ballot: ballot.to_string(),
            entry: match note {
                Some(note) => format!("{kind}: {what} — {note}"),
                None => format!("{kind}: {what}"),
            },
        });
    }
    rows.sort_by_key(|row| row.at);
    rows
}

fn what_elected(election: &Election, unit_name: &str) -> String {
    match election.kind {
        ElectionKind::Committee => format!("Ban Chấp hành {unit_name} khóa mới"),
        ElectionKind::StandingCommittee => format!("Ban Thường vụ {unit_name}"),
        ElectionKind::Secretary => format!("Bí thư {unit_name}"),
        ElectionKind::DeputySecretary => format!("Phó Bí thư {unit_name}"),
        ElectionKind::InspectionCommittee => format!("Ủy ban Kiểm tra {unit_name}"),
        ElectionKind::InspectionChair => format!("Chủ nhiệm Ủy ban Kiểm tra {unit_name}"),
        ElectionKind::Delegates => "đại biểu chính thức dự đại hội cấp trên".into(),
        ElectionKind::AlternateDelegates => "đại biểu dự khuyết dự đại hội cấp trên".into(),
        ElectionKind::Other => election.title.clone(),
    }
}

/// The counting minutes of a counted round.
pub async fn minutes(store: &Store, count: &RoundCount) -> Result<CountingMinutes, AppError> {
    let report = &count.report;
    let congress = &count.congress;
    let unit = store.unit(congress.unit_id).await?;
    let vi = FormatLang::Vi;
    let voters_vi = match congress.kind {
        StoreKind::Members => "đảng viên chính thức được triệu tập",
        StoreKind::Delegates => "đại biểu chính thức được triệu tập",
    };
    let proposed = store.candidates(count.election.id).await?;
    let candidates = report
        .candidates
        .iter()
        .map(|c| {
            let note = count
                .names
                .iter()
                .find(|n| n.code == c.id.as_str())
                .and_then(|n| proposed.iter().find(|p| p.id == n.candidate_id))
                .and_then(|p| match (&p.note, p.source) {
                    (Some(note), _) => Some(note.clone()),
                    (None, daihoi_store::elections::CandidateSource::Committee) => None,
                    (None, source) => Some(source.label_vi().to_string()),
                });
            CandidateResult {
                name: c.name.clone(),
                note,
                votes: u32::try_from(c.votes).unwrap_or(u32::MAX),
                disagree: c.marks.map(|m| u32::try_from(m.disagree).unwrap_or(u32::MAX)),
            }
        })
        .collect();
    let ranked = |ids: &[daihoi_core::counting::CandidateId]| -> Vec<Ranked> {
        ids.iter()
            .filter_map(|id| report.candidates.iter().find(|c| &c.id == id))
            .map(|c| Ranked { name: c.name.clone(), votes: u32::try_from(c.votes).unwrap_or(0) })
            .collect()
    };
    let committee: Vec<CommitteeMember> = store
        .counting_committee(congress.id)
        .await?
        .into_iter()
        .map(|(name, position)| CommitteeMember {
            name,
            role: match position.as_str() {
                "head" => CommitteeRole::Head,
                "deputy" => CommitteeRole::Deputy,
                _ => CommitteeRole::Member,
            },
        })
        .collect();
    if !committee.iter().any(|m| m.role == CommitteeRole::Head) {
        return Err(AppError::bad_request(
            "Chưa ghi tên Ban kiểm phiếu (cần có Trưởng ban) nên chưa lập được biên bản.",
            "The counting committee (with its head) is not recorded, so there are no minutes yet.",
        ));
    }
    let base_figures =
        count.round.base.clone().unwrap_or_else(|| daihoi_store::elections::BaseFigures {
            congress: String::new(),
            summoned: report.summoned,
            present: report.present,
            excluded: Vec::new(),
            absent_by_reason: Vec::new(),
        });
    let absences: Vec<ReasonCount> = base_figures
        .absent_by_reason
        .iter()
        .map(|(code, n)| ReasonCount::new(absence_words(code), *n))
        .collect();
    let absences = if absences.iter().map(|a| u64::from(a.count)).sum::<u64>()
        == u64::from(report.summoned - report.present.min(report.summoned))
    {
        absences
    } else {
        Vec::new()
    };
    let entries = store.round_entries(count.round.id).await?;
    let state = store.round_state(count.round.id).await?;
    let decisions: Vec<_> = state
        .decisions
        .values()
        .map(|d| (d.ballot, d.kind.clone(), d.resolution.clone(), d.note.clone(), d.decided_at))
        .collect();
    let mut remarks: Vec<String> =
        report.next_steps().iter().map(|s| next_step_words(s, &count.names, true)).collect();
    for (ballot, kind, resolution, note, _) in &decisions {
        let what = match resolution {
            Resolution::Ballot { ballot } => ballot_words(ballot, &count.names),
            Resolution::NoBallot => "không tính (nhập thừa)".into(),
        };
        let kind = if kind == "ruling" {
            "kết luận phiếu cần xem xét"
        } else {
            "quyết định phiếu chênh lệch giữa các tổ nhập"
        };
        remarks.push(format!(
            "Ban kiểm phiếu {kind} số {ballot}: {what}{}.",
            note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
        ));
    }
    let locked_at = count.round.locked_at.unwrap_or_else(daihoi_store::now_ms);
    Ok(CountingMinutes {
        paper: Paper::A4,
        issuer: issuer(&unit.name, congress),
        number: None,
        place: congress.place.clone().unwrap_or_else(|| unit.name.clone()),
        date: vn_time(locked_at).date(),
        election: count.election.title.clone(),
        round: u32::try_from(count.round.number).unwrap_or(1),
        congress_name: congress.title.clone(),
        congress_kind: render_kind(congress),
        venue: congress.venue.clone(),
        regulation: match congress.rules.as_str() {
            "qd244-2014" => "Điều lệ Đảng và Quy chế bầu cử trong Đảng ban hành kèm theo Quyết định số 244-QĐ/TW ngày 09/6/2014 của Ban Chấp hành Trung ương".into(),
            _ => "Điều lệ Đảng và Quy chế bầu cử trong Đảng ban hành kèm theo Quyết định số 190-QĐ/TW ngày 10/10/2024 của Bộ Chính trị".into(),
        },
        elected_as: what_elected(&count.election, &unit.name),
        seats: report.seats,
        seats_basis: if count.election.kind == ElectionKind::Delegates {
            SeatsBasis::AllocatedByHigherCommittee
        } else {
            SeatsBasis::VotedByCongress
        },
        form: match report.form {
            CoreForm::StrikeThrough => BallotForm::StrikeThrough,
            CoreForm::AgreeDisagree => BallotForm::AgreeDisagree,
        },
        candidates,
        counting_committee: committee,
        attendance: Attendance { summoned: report.summoned, present: report.present, absences },
        base: Base {
            value: report.base.value(),
            steps: report
                .base
                .derivation()
                .iter()
                .map(|step| BaseStep {
                    label: match step.item {
                        BaseItem::Summoned => {
                            let mut text = voters_vi.to_string();
                            if let Some(first) = text.get(..1) {
                                text = first.to_uppercase() + &text[1..];
                            }
                            text
                        }
                        // The minutes print "trừ …" themselves.
                        item => {
                            let text = base_item_text(item, voters_vi, "", vi);
                            text.strip_prefix("Trừ ")
                                .or_else(|| text.strip_prefix("trừ "))
                                .map(str::to_string)
                                .unwrap_or(text)
                        }
                    },
                    change: step.delta,
                })
                .collect(),
        },
        ballots: BallotCounts {
            issued: report.ballots.issued,
            collected: report.ballots.collected,
            valid: u32::try_from(report.ballots.valid).unwrap_or(0),
            invalid: u32::try_from(report.ballots.invalid).unwrap_or(0),
            invalid_reasons: report
                .ballots
                .invalid_by_reason
                .iter()
                .map(|(reason, n)| ReasonCount::new(reason_text(*reason, vi), u32::try_from(*n).unwrap_or(0)))
                .collect(),
        },
        winners: ranked(&report.elected),
        alternates: ranked(&report.alternates),
        remarks,
        seal_hash: count.round.lock_hash.clone(),
        completed_at: vn_time(locked_at),
        entry_log: entry_log(&entries, &count.names, &decisions),
    })
}

fn absence_words(code: &str) -> &'static str {
    match code {
        "absent_approved" => "vắng mặt có lý do được chấp thuận",
        "absent_unexcused" => "vắng mặt không có lý do",
        "left_before_vote" => "không có mặt lúc bầu cử",
        "exempt_absent" => "miễn sinh hoạt, không dự",
        "temporarily_transferred_absent" => "sinh hoạt tạm thời nơi khác, không dự",
        "suspended" => "đình chỉ sinh hoạt",
        "prosecuted" => "bị khởi tố, truy tố, tạm giam",
        _ => "vắng mặt",
    }
}

/// The ballots of a round to print: names in ballot order, the form the list calls for, the
/// round's code, registration marks (the renderer draws them).
pub async fn ballots(
    store: &Store,
    round_id: i64,
    paper: Paper,
    copies: u32,
) -> Result<BallotSpec, AppError> {
    let round = store.round(round_id).await?;
    let election = store.election(round.election_id).await?;
    let congress = store.congress(election.congress_id).await?;
    let unit = store.unit(congress.unit_id).await?;
    let names = store.round_names(round_id).await?;
    if names.is_empty() {
        return Err(AppError::bad_request("Vòng bầu chưa có danh sách.", "The round has no list."));
    }
    let form = if names.len() as i64 > round.seats {
        BallotForm::StrikeThrough
    } else {
        BallotForm::AgreeDisagree
    };
    let code = BallotCode::new(&round.code)
        .map_err(|e| AppError::Internal(format!("ballot code {}: {e}", round.code)))?;
    let subtitle = if round.number > 1 {
        format!("{} (lần {})", election.title, round.number)
    } else {
        election.title.clone()
    };
    Ok(BallotSpec {
        issuer: issuer(&unit.name, &congress),
        title: "PHIẾU BẦU CỬ".into(),
        subtitle,
        instructions: form.default_instructions().into(),
        names: names.into_iter().map(|n| n.name).collect(),
        form,
        paper,
        copies,
        code,
        seal_label: "Nơi đóng dấu".into(),
    })
}
