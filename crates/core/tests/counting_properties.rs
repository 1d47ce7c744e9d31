//! Invariants of the count, stated as properties over random elections: ballot order does
//! not matter, grouping ballots does not matter, a kept name never loses its candidate votes,
//! seats are never over-filled, the elected are qualified and strictly ahead of everyone
//! qualified and not elected, and the fast count agrees with a naive one.

use proptest::prelude::*;

use daihoi_core::counting::{
    Candidate, CandidateId, CandidateList, CongressType, ElectionKind, ElectionSetup, ElectionSpec,
    Electorate, Mark, RoundType, RulePackId, SeatCount, TallyReport, tally,
};

/// A strike-through election as plain numbers: `entries` are (crossed positions, count).
#[derive(Debug, Clone)]
struct Plain {
    n_candidates: usize,
    seats: u32,
    alternate_seats: u32,
    base: u32,
    round_type: RoundType,
    entries: Vec<(Vec<usize>, u32)>,
}

fn id(position: usize) -> String {
    format!("c{position}")
}

fn setup(plain: &Plain, marks_form: bool) -> ElectionSetup {
    let pack = RulePackId::Qd190_2024.pack();
    let candidates = (0..plain.n_candidates)
        .map(|position| {
            let id = CandidateId::new(id(position)).expect("non-empty id");
            Candidate::new(id, format!("Ứng cử viên {position}")).expect("non-empty name")
        })
        .collect();
    let seats =
        if marks_form { u32::try_from(plain.n_candidates).expect("small") } else { plain.seats };
    let kind =
        if plain.alternate_seats > 0 { ElectionKind::Delegates } else { ElectionKind::Other };
    ElectionSetup::new(ElectionSpec {
        rules: RulePackId::Qd190_2024,
        title: String::new(),
        kind,
        round_type: plain.round_type,
        seats: SeatCount::new(seats).expect("seats ≥ 1"),
        alternate_seats: plain.alternate_seats,
        candidates: CandidateList::new(candidates).expect("unique ids"),
        electorate: Electorate::new(pack, CongressType::Members, plain.base, plain.base, &[])
            .expect("base ≥ 1"),
    })
    .expect("a consistent setup")
}

fn count(plain: &Plain) -> TallyReport {
    let collected: u32 = plain.entries.iter().map(|(_, count)| count).sum();
    let mut ballots = setup(plain, false).open(collected, collected).expect("collected = issued");
    for (crossed, n) in &plain.entries {
        let ids: Vec<String> = crossed.iter().map(|&p| id(p)).collect();
        ballots.push_crossed(ids.iter().map(String::as_str), *n).expect("known ids");
    }
    tally(&ballots.close().expect("counts add up"))
}

fn plain_election(round_type: RoundType) -> impl Strategy<Value = Plain> {
    (2usize..12)
        .prop_flat_map(move |n_candidates| {
            let seats = 1..u32::try_from(n_candidates).expect("small");
            let entry = (proptest::collection::vec(any::<bool>(), n_candidates), 1u32..4).prop_map(
                |(crossed, count)| {
                    let positions = crossed
                        .iter()
                        .enumerate()
                        .filter_map(|(p, &c)| c.then_some(p))
                        .collect::<Vec<_>>();
                    (positions, count)
                },
            );
            (Just(n_candidates), seats, 0u32..3, 1u32..60, proptest::collection::vec(entry, 0..40))
        })
        .prop_map(move |(n_candidates, seats, alternate_seats, base, entries)| Plain {
            n_candidates,
            seats,
            alternate_seats: if round_type == RoundType::Regular { alternate_seats } else { 0 },
            base,
            round_type,
            entries,
        })
}

/// Votes counted the slow, obvious way: every ballot, every kept name.
fn naive_votes(plain: &Plain) -> (Vec<u64>, u64) {
    let mut votes = vec![0u64; plain.n_candidates];
    let mut valid = 0;
    for (crossed, count) in &plain.entries {
        let kept: Vec<usize> = (0..plain.n_candidates).filter(|p| !crossed.contains(p)).collect();
        if kept.is_empty() || kept.len() > plain.seats as usize {
            continue;
        }
        valid += u64::from(*count);
        for p in kept {
            votes[p] += u64::from(*count);
        }
    }
    (votes, valid)
}

fn votes_of(report: &TallyReport) -> Vec<u64> {
    report.candidates.iter().map(|row| row.votes).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn fast_count_agrees_with_naive_count(plain in plain_election(RoundType::Regular)) {
        let report = count(&plain);
        let (votes, valid) = naive_votes(&plain);
        prop_assert_eq!(votes_of(&report), votes);
        prop_assert_eq!(report.ballots.valid, valid);
        prop_assert_eq!(report.ballots.valid + report.ballots.invalid, u64::from(report.ballots.collected));
    }

    #[test]
    fn ballot_order_does_not_change_the_result(
        plain in plain_election(RoundType::Regular),
        keys in proptest::collection::vec(any::<u32>(), 40),
    ) {
        let mut shuffled = plain.clone();
        let mut keyed: Vec<(u32, (Vec<usize>, u32))> =
            keys.iter().copied().zip(plain.entries.iter().cloned()).collect();
        keyed.sort_by_key(|(key, _)| *key);
        shuffled.entries = keyed.into_iter().map(|(_, entry)| entry).collect();
        prop_assert_eq!(count(&plain), count(&shuffled));
    }

    #[test]
    fn splitting_grouped_ballots_changes_nothing(plain in plain_election(RoundType::Regular)) {
        let mut split = plain.clone();
        split.entries = plain
            .entries
            .iter()
            .flat_map(|(crossed, n)| (0..*n).map(move |_| (crossed.clone(), 1)))
            .collect();
        prop_assert_eq!(count(&plain), count(&split));
    }

    #[test]
    fn keeping_a_name_never_costs_its_candidate(
        plain in plain_election(RoundType::Regular),
        pick in any::<prop::sample::Index>(),
    ) {
        // Take one ballot off a valid entry and uncross one of its crossed names.
        let before = count(&plain);
        let candidates: Vec<usize> = plain
            .entries
            .iter()
            .enumerate()
            .filter(|(_, (crossed, _))| {
                let kept = plain.n_candidates - crossed.len();
                kept >= 1 && kept <= plain.seats as usize && !crossed.is_empty()
            })
            .map(|(index, _)| index)
            .collect();
        prop_assume!(!candidates.is_empty());
        let entry_index = candidates[pick.index(candidates.len())];
        let (crossed, n) = plain.entries[entry_index].clone();
        let uncrossed = crossed[pick.index(crossed.len())];
        let mut after_plain = plain.clone();
        after_plain.entries[entry_index].1 = n - 1;
        if n == 1 {
            after_plain.entries.remove(entry_index);
        }
        let changed: Vec<usize> = crossed.iter().copied().filter(|&p| p != uncrossed).collect();
        after_plain.entries.push((changed, 1));
        let after = count(&after_plain);
        prop_assert!(after.candidates[uncrossed].votes >= before.candidates[uncrossed].votes);
        // Nobody else gains, so an elected candidate stays elected.
        for (p, row) in after.candidates.iter().enumerate() {
            if p != uncrossed {
                prop_assert!(row.votes <= before.candidates[p].votes);
            }
        }
        if before.candidates[uncrossed].elected {
            prop_assert!(after.candidates[uncrossed].elected);
        }
    }

    #[test]
    fn seats_are_accounted_for_and_never_over_filled(plain in plain_election(RoundType::Regular)) {
        let report = count(&plain);
        prop_assert!(report.elected.len() <= plain.seats as usize);
        prop_assert!(report.alternates.len() <= plain.alternate_seats as usize);
        let held = report.tie.as_ref().map_or(0, |tie| tie.seats);
        prop_assert_eq!(report.elected.len() as u32 + report.unfilled_seats + held, plain.seats);
    }

    #[test]
    fn the_elected_are_qualified_and_strictly_ahead(plain in plain_election(RoundType::Regular)) {
        let report = count(&plain);
        let base = u64::from(plain.base);
        for row in &report.candidates {
            prop_assert_eq!(row.qualified, 2 * row.votes > base);
            if row.elected || row.alternate {
                prop_assert!(row.qualified);
            }
        }
        for elected in report.candidates.iter().filter(|row| row.elected) {
            for other in report.candidates.iter().filter(|row| row.qualified && !row.elected) {
                // Equal votes straddling the last seat make a tie in which nobody is elected,
                // so every elected candidate is strictly ahead.
                prop_assert!(elected.votes > other.votes);
            }
        }
        if let Some(tie) = &report.tie {
            prop_assert!(tie.candidates.len() > tie.seats as usize);
            for row in report.candidates.iter().filter(|row| tie.candidates.contains(&row.id)) {
                prop_assert_eq!(row.votes, tie.votes);
                prop_assert!(!row.elected);
            }
        }
        for alternate in report.candidates.iter().filter(|row| row.alternate) {
            for other in report.candidates.iter().filter(|row| row.qualified && !row.elected && !row.alternate) {
                prop_assert!(alternate.votes > other.votes);
            }
        }
    }

    #[test]
    fn a_tie_break_round_fills_every_seat_or_reports_a_tie(plain in plain_election(RoundType::TieBreak)) {
        let report = count(&plain);
        prop_assert_eq!(report.threshold, None);
        prop_assert_eq!(report.unfilled_seats, 0);
        let held = report.tie.as_ref().map_or(0, |tie| tie.seats);
        prop_assert_eq!(report.elected.len() as u32 + held, plain.seats);
    }

    #[test]
    fn agree_disagree_rows_add_up(
        n_candidates in 1usize..6,
        ballots in proptest::collection::vec(proptest::collection::vec(0u8..4, 6), 0..30),
        base in 1u32..40,
    ) {
        let plain = Plain {
            n_candidates,
            seats: 1,
            alternate_seats: 0,
            base,
            round_type: RoundType::Regular,
            entries: Vec::new(),
        };
        let collected = u32::try_from(ballots.len()).expect("small");
        let mut ballot_box = setup(&plain, true).open(collected, collected).expect("ok");
        let ids: Vec<String> = (0..n_candidates).map(id).collect();
        for marks in &ballots {
            let row_marks = ids.iter().zip(marks).map(|(id, &code)| {
                let mark = [Mark::Agree, Mark::Disagree, Mark::Both, Mark::None][usize::from(code)];
                (id.as_str(), mark)
            });
            ballot_box.push_marks(row_marks, 1).expect("known ids");
        }
        let report = tally(&ballot_box.close().expect("counts add up"));
        let usable = |marks: &Vec<u8>| marks[..n_candidates].iter().any(|&code| code < 2);
        let valid = ballots.iter().filter(|marks| usable(marks)).count() as u64;
        prop_assert_eq!(report.ballots.valid, valid);
        for (position, row) in report.candidates.iter().enumerate() {
            let marks = row.marks.expect("agree/disagree rows");
            prop_assert_eq!(marks.agree + marks.disagree + marks.no_mark, valid);
            prop_assert_eq!(row.votes, marks.agree);
            let agree = ballots.iter().filter(|m| usable(m) && m[position] == 0).count() as u64;
            prop_assert_eq!(marks.agree, agree);
        }
    }
}
