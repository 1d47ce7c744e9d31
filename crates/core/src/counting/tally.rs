//! The count: validity of each ballot, votes per candidate, the majority test, the cut-off at
//! the last seat, ties, alternates and the round's outcome.

use super::ballots::CastBallots;
use super::report::{
    BallotSummary, CandidateResult, MarkTally, Outcome, Percent, RulingNote, TallyReport, Tie,
    Warning,
};
use super::{BallotForm, CandidateId, Election, ElectionKind, InvalidReason, Mark, RoundType};

/// Counts one round. Cannot fail: an [`Election`] is consistent by construction, and spoiled
/// ballots are reported as invalid, with their reasons.
pub fn tally(election: &Election) -> TallyReport {
    let spec = election.spec();
    let pack = election.pack();
    let n_candidates = spec.candidates.len();
    let seats = spec.seats.get();
    let base = spec.electorate.base().value();

    let counted = match election.form() {
        BallotForm::StrikeThrough => count_strike_through(election.cast(), n_candidates, seats),
        BallotForm::AgreeDisagree => count_agree_disagree(election.cast(), n_candidates),
    };
    let mut invalid_by_reason = counted.invalid;
    for ruling in &election.cast().rulings {
        add_reason(
            &mut invalid_by_reason,
            InvalidReason::Committee(ruling.reason),
            u64::from(ruling.count),
        );
    }
    invalid_by_reason.retain(|&(_, count)| count > 0);
    invalid_by_reason.sort_by_key(|&(reason, _)| reason_rank(reason));
    let invalid: u64 = invalid_by_reason.iter().map(|&(_, count)| count).sum();
    let ruling_notes = election
        .cast()
        .rulings
        .iter()
        .filter_map(|ruling| {
            ruling.note.as_ref().map(|note| RulingNote {
                reason: ruling.reason,
                note: note.clone(),
                count: ruling.count,
            })
        })
        .collect();

    // 190 Art. 30 cl. 2–3 (244 Art. 32 cl. 2–3): elected with more than half of D, in integers.
    let majority = pack.majority;
    let qualified: Vec<bool> =
        counted.votes.iter().map(|&votes| majority.is_met(votes, u64::from(base))).collect();
    // A tie-break round is decided by the highest votes alone (tie rule of the pack).
    let needs_majority = spec.round_type == RoundType::Regular || pack.tie.tie_break_needs_majority;
    let eligible: Vec<usize> =
        (0..n_candidates).filter(|&position| !needs_majority || qualified[position]).collect();

    let by_votes = rank(&eligible, &counted.votes);
    let seats_usize = usize::try_from(seats).unwrap_or(usize::MAX);
    let cut = cut_off(&by_votes, &counted.votes, seats_usize);
    let elected_positions: Vec<usize> = by_votes[..cut.taken].to_vec();
    let tie = cut.tie.map(|(tied, places)| Tie {
        candidates: ids(spec, &sorted(tied)),
        seats: u32::try_from(places).unwrap_or(u32::MAX),
        votes: counted.votes[by_votes[cut.taken]],
    });
    let filled_or_held = cut.taken + cut.tie.map_or(0, |(_, places)| places);
    let unfilled_seats = u32::try_from(seats_usize.saturating_sub(filled_or_held)).unwrap_or(0);

    // 190 Art. 18 (244 Art. 20): officials first; qualified candidates left over may be taken
    // as alternates, highest votes first. While the official seats are tied the order of the
    // left-over candidates is not known, so no alternates are proposed until the tie-break.
    let mut alternate_positions = Vec::new();
    let mut alternate_tie = None;
    if spec.alternate_seats > 0 && tie.is_none() {
        let rest = &by_votes[cut.taken..];
        let places = usize::try_from(spec.alternate_seats).unwrap_or(usize::MAX);
        let alternate_cut = cut_off(rest, &counted.votes, places);
        alternate_positions = rest[..alternate_cut.taken].to_vec();
        alternate_tie = alternate_cut.tie.map(|(tied, places)| Tie {
            candidates: ids(spec, &sorted(tied)),
            seats: u32::try_from(places).unwrap_or(u32::MAX),
            votes: counted.votes[rest[alternate_cut.taken]],
        });
    }

    let outcome = if tie.is_some() {
        Outcome::TieBreakNeeded
    } else if unfilled_seats > 0 {
        Outcome::SeatsUnfilled
    } else {
        Outcome::Complete
    };

    let mut is_elected = vec![false; n_candidates];
    for &position in &elected_positions {
        is_elected[position] = true;
    }
    let mut is_alternate = vec![false; n_candidates];
    for &position in &alternate_positions {
        is_alternate[position] = true;
    }
    let decimals = pack.percent_decimals;
    let candidates = spec
        .candidates
        .iter()
        .enumerate()
        .map(|(position, candidate)| CandidateResult {
            id: candidate.id().clone(),
            name: candidate.name().to_owned(),
            votes: counted.votes[position],
            percent_of_base: Percent::of(counted.votes[position], u64::from(base), decimals),
            qualified: qualified[position],
            elected: is_elected[position],
            alternate: is_alternate[position],
            marks: counted.marks.as_ref().map(|marks| marks[position]),
        })
        .collect();

    let warnings = warnings(election, &alternate_positions, &counted.votes);
    TallyReport {
        rules: spec.rules,
        title: spec.title.clone(),
        kind: spec.kind,
        round_type: spec.round_type,
        form: election.form(),
        seats,
        alternate_seats: spec.alternate_seats,
        congress: spec.electorate.congress(),
        summoned: spec.electorate.summoned(),
        present: spec.electorate.present(),
        base: spec.electorate.base().clone(),
        threshold: (spec.round_type == RoundType::Regular)
            .then(|| majority.threshold(u64::from(base))),
        ballots: BallotSummary {
            issued: election.issued(),
            collected: election.collected(),
            valid: counted.valid,
            invalid,
            invalid_by_reason,
            ruling_notes,
        },
        candidates,
        elected: ids(spec, &elected_positions),
        alternates: ids(spec, &alternate_positions),
        unfilled_seats,
        tie,
        alternate_tie,
        outcome,
        warnings,
    }
}

/// Votes and invalid ballots from the marked (non-ruled) entries.
struct Counted {
    votes: Vec<u64>,
    marks: Option<Vec<MarkTally>>,
    valid: u64,
    invalid: Vec<(InvalidReason, u64)>,
}

/// Strike-through ballots (190 Art. 15, 244 Art. 17): with `k` names left uncrossed, the
/// ballot is valid when `1 ≤ k ≤ seats` and gives one vote to each uncrossed name.
///
/// A ballot stored by its crossed names adds to a per-candidate "crossed" counter (votes =
/// valid ballots counted that way minus crossings); one stored by its kept names adds to a
/// "kept" counter directly. Either way a ballot costs the shorter of its two lists.
fn count_strike_through(cast: &CastBallots, n_candidates: usize, seats: u32) -> Counted {
    let seats = usize::try_from(seats).unwrap_or(usize::MAX);
    let mut crossed_on_valid = vec![0u64; n_candidates];
    let mut kept_directly = vec![0u64; n_candidates];
    let mut valid_by_crossed: u64 = 0;
    let mut valid: u64 = 0;
    let mut too_many_kept: u64 = 0;
    let mut none_kept: u64 = 0;
    let mut start = 0;
    for ((&end, &count), &lists_kept) in cast.ends.iter().zip(&cast.counts).zip(&cast.lists_kept) {
        let listed = &cast.positions[start..end];
        start = end;
        let count = u64::from(count);
        let kept = if lists_kept { listed.len() } else { n_candidates - listed.len() };
        if kept > seats {
            too_many_kept += count;
            continue;
        }
        if kept == 0 {
            none_kept += count;
            continue;
        }
        valid += count;
        if lists_kept {
            for &position in listed {
                kept_directly[usize::from(position)] += count;
            }
        } else {
            valid_by_crossed += count;
            for &position in listed {
                crossed_on_valid[usize::from(position)] += count;
            }
        }
    }
    let votes = kept_directly
        .iter()
        .zip(&crossed_on_valid)
        .map(|(&kept, &crossed)| kept + (valid_by_crossed - crossed))
        .collect();
    Counted {
        votes,
        marks: None,
        valid,
        invalid: vec![
            (InvalidReason::TooManyKept, too_many_kept),
            (InvalidReason::NoneKept, none_kept),
        ],
    }
}

/// Agree/disagree ballots (190 Art. 15 and Art. 30 cl. 1): a row with exactly one box is
/// usable; a ballot with no usable row is invalid; on a valid ballot a row with both boxes or
/// none gives no vote, and the ballot still counts for the other rows.
fn count_agree_disagree(cast: &CastBallots, n_candidates: usize) -> Counted {
    let mut agree = vec![0u64; n_candidates];
    let mut disagree = vec![0u64; n_candidates];
    let mut valid: u64 = 0;
    let mut no_usable_mark: u64 = 0;
    let mut start = 0;
    for (&end, &count) in cast.ends.iter().zip(&cast.counts) {
        let positions = &cast.positions[start..end];
        let marks = &cast.marks[start..end];
        start = end;
        let count = u64::from(count);
        if !marks.iter().any(|&mark| matches!(mark, Mark::Agree | Mark::Disagree)) {
            no_usable_mark += count;
            continue;
        }
        valid += count;
        for (&position, &mark) in positions.iter().zip(marks) {
            match mark {
                Mark::Agree => agree[usize::from(position)] += count,
                Mark::Disagree => disagree[usize::from(position)] += count,
                Mark::Both | Mark::None => {}
            }
        }
    }
    let marks: Vec<MarkTally> = agree
        .iter()
        .zip(&disagree)
        .map(|(&agree, &disagree)| MarkTally { agree, disagree, no_mark: valid - agree - disagree })
        .collect();
    Counted {
        votes: agree,
        marks: Some(marks),
        valid,
        invalid: vec![(InvalidReason::NoUsableMark, no_usable_mark)],
    }
}

fn add_reason(reasons: &mut Vec<(InvalidReason, u64)>, reason: InvalidReason, count: u64) {
    match reasons.iter_mut().find(|(existing, _)| *existing == reason) {
        Some((_, total)) => *total += count,
        None => reasons.push((reason, count)),
    }
}

fn reason_rank(reason: InvalidReason) -> usize {
    InvalidReason::ALL.iter().position(|&known| known == reason).unwrap_or(usize::MAX)
}

/// Positions sorted by votes, highest first; equal votes keep ballot order.
fn rank(positions: &[usize], votes: &[u64]) -> Vec<usize> {
    let mut ranked = positions.to_vec();
    ranked.sort_by(|&a, &b| votes[b].cmp(&votes[a]).then(a.cmp(&b)));
    ranked
}

/// Where the last place falls in a ranking.
#[derive(Debug, Clone, Copy)]
struct Cut<'a> {
    /// How many at the top are taken outright.
    taken: usize,
    /// When equal votes straddle the last place: the tied candidates and the places they
    /// compete for. None of them is taken.
    tie: Option<(&'a [usize], usize)>,
}

/// Takes up to `places` from `ranked` (highest first). If the candidates with the votes of the
/// last place are more than the places left for them, none of them is taken and the tie is
/// reported (190 Art. 30, 244 Art. 32: a further ballot among the tied, never age or lot).
fn cut_off<'a>(ranked: &'a [usize], votes: &[u64], places: usize) -> Cut<'a> {
    if ranked.len() <= places {
        return Cut { taken: ranked.len(), tie: None };
    }
    if places == 0 {
        return Cut { taken: 0, tie: None };
    }
    let last_votes = votes[ranked[places - 1]];
    if votes[ranked[places]] != last_votes {
        return Cut { taken: places, tie: None };
    }
    let first_tied = ranked.iter().position(|&p| votes[p] == last_votes).unwrap_or(places - 1);
    let end_tied = ranked.iter().rposition(|&p| votes[p] == last_votes).map_or(places, |i| i + 1);
    Cut { taken: first_tied, tie: Some((&ranked[first_tied..end_tied], places - first_tied)) }
}

fn sorted(positions: &[usize]) -> Vec<usize> {
    let mut positions = positions.to_vec();
    positions.sort_unstable();
    positions
}

fn ids(spec: &super::ElectionSpec, positions: &[usize]) -> Vec<CandidateId> {
    let list = spec.candidates.as_slice();
    positions.iter().map(|&position| list[position].id().clone()).collect()
}

fn warnings(election: &Election, alternates: &[usize], votes: &[u64]) -> Vec<Warning> {
    let spec = election.spec();
    let pack = election.pack();
    let seats = spec.seats.get();
    let names = spec.candidates.len();
    let mut warnings = Vec::new();
    // 190 Art. 14 cl. 1: the executive and standing committees are elected from a list with a
    // surplus of at most 30% of the seats. A tie-break list is the tied, not a new list.
    if spec.round_type == RoundType::Regular && pack.surplus.is_required(spec.kind) {
        let surplus = u64::try_from(names).unwrap_or(u64::MAX).saturating_sub(u64::from(seats));
        let cap = pack.surplus.cap(seats);
        if surplus == 0 {
            warnings.push(Warning::NoSurplus { seats, names });
        } else if surplus > u64::from(cap) {
            warnings.push(Warning::SurplusOverCap { seats, names, surplus, cap });
        }
    }
    let present = spec.electorate.present();
    let base = spec.electorate.base().value();
    if present > base {
        warnings.push(Warning::PresentAboveBase { present, base });
    }
    if election.issued() > present {
        warnings.push(Warning::IssuedAbovePresent { issued: election.issued(), present });
    }
    // The order of alternates decides who replaces an absent delegate first; equal votes
    // leave that order open.
    if spec.kind == ElectionKind::Delegates {
        let mut start = 0;
        while start < alternates.len() {
            let group_votes = votes[alternates[start]];
            let end = alternates[start..]
                .iter()
                .position(|&p| votes[p] != group_votes)
                .map_or(alternates.len(), |offset| start + offset);
            if end - start > 1 {
                warnings.push(Warning::AlternatesEqualVotes {
                    candidates: ids(spec, &sorted(&alternates[start..end])),
                    votes: group_votes,
                });
            }
            start = end;
        }
    }
    warnings
}
