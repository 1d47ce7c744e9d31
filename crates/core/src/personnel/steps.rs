//! The 5-step personnel procedure (quy trình 5 bước, congress-process §4.1): the steps, and the
//! rule that a person advances only with more than half of the votes of those summoned.

use serde::Serialize;

/// The five steps, in order (the same bodies for re-election and first-time candidates).
pub const STEPS: [(u8, &str, &str); 5] = [
    (1, "Ban thường vụ (lần 1)", "Standing committee (1st meeting)"),
    (2, "Hội nghị cán bộ chủ chốt", "Conference of key cadres"),
    (3, "Ban chấp hành (lần 1)", "Executive committee (1st meeting)"),
    (4, "Ban thường vụ (lần 2)", "Standing committee (2nd meeting)"),
    (5, "Ban chấp hành (lần 2)", "Executive committee (2nd meeting)"),
];

/// Whether `votes` is more than half of `summoned`: `2 × votes > summoned`, in integers.
pub fn passes(votes: u64, summoned: u64) -> bool {
    u128::from(votes) * 2 > u128::from(summoned)
}

/// The fewest votes that pass: `⌊summoned / 2⌋ + 1`.
pub fn threshold(summoned: u64) -> u64 {
    summoned / 2 + 1
}

/// Who is carried to the next step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepOutcome {
    /// Keys of those with more than half, in the input order.
    pub passed: Vec<i64>,
    /// Keys carried to the next step: those passing, or the best of them when the step has
    /// fewer places; empty if a tie must be decided first.
    pub carried: Vec<i64>,
    /// Keys tied with equal votes for the last place(s), to be decided by the level above.
    pub tied: Vec<i64>,
    /// How many of the tied are to be carried.
    pub tied_places: usize,
}

/// Applies the threshold to `(key, votes)` and, when `places` is given, keeps the best
/// `places` of those passing. A tie across the last place is reported, never broken silently
/// (congress-process §4.1: equal votes go to the level above).
pub fn carry(votes: &[(i64, u64)], summoned: u64, places: Option<usize>) -> StepOutcome {
    let passed: Vec<(i64, u64)> =
        votes.iter().copied().filter(|&(_, count)| passes(count, summoned)).collect();
    let keys = |list: &[(i64, u64)]| list.iter().map(|&(key, _)| key).collect::<Vec<_>>();
    let Some(places) = places.filter(|&places| places < passed.len()) else {
        let all = keys(&passed);
        return StepOutcome { carried: all.clone(), passed: all, tied: Vec::new(), tied_places: 0 };
    };
    let mut ranked = passed.clone();
    ranked.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
    let last = ranked[places - 1].1;
    let above: Vec<(i64, u64)> = ranked.iter().copied().filter(|&(_, c)| c > last).collect();
    let at_last: Vec<(i64, u64)> = ranked.iter().copied().filter(|&(_, c)| c == last).collect();
    let open = places - above.len();
    if at_last.len() == open {
        let chosen: Vec<i64> = keys(&above).into_iter().chain(keys(&at_last)).collect();
        let carried =
            passed.iter().map(|&(key, _)| key).filter(|key| chosen.contains(key)).collect();
        return StepOutcome { passed: keys(&passed), carried, tied: Vec::new(), tied_places: 0 };
    }
    StepOutcome {
        passed: keys(&passed),
        carried: Vec::new(),
        tied: keys(&at_last),
        tied_places: open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_than_half_of_the_summoned() {
        assert!(!passes(10, 20));
        assert!(passes(11, 20));
        assert!(!passes(10, 21));
        assert!(passes(11, 21));
        assert_eq!((threshold(20), threshold(21), threshold(0)), (11, 11, 1));
    }

    #[test]
    fn ties_at_the_last_place_are_reported() {
        let votes = [(1, 15), (2, 12), (3, 12), (4, 9), (5, 14)];
        let open = carry(&votes, 20, None);
        assert_eq!(open.carried, vec![1, 2, 3, 5]);
        let two = carry(&votes, 20, Some(2));
        assert_eq!(two.carried, vec![1, 5]);
        let three = carry(&votes, 20, Some(3));
        assert!(three.carried.is_empty());
        assert_eq!((three.tied, three.tied_places), (vec![2, 3], 1));
        assert_eq!(carry(&votes, 20, Some(4)).carried, vec![1, 2, 3, 5]);
    }
}
