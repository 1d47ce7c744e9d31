//! Largest remainder with the Hare quota (Hamilton's method), in exact integers.

use super::Tie;

/// Apportions `pool` seats: each unit gets `⌊members × pool / total⌋`, and the seats left go
/// one each to the largest remainders `members × pool mod total`. Returns the seats per unit
/// and, when equal remainders straddle the last seat, the tie (those seats left unassigned).
pub(super) fn apportion(members: &[u64], pool: u64) -> (Vec<u64>, Option<Tie>) {
    let total: u128 = members.iter().map(|&count| u128::from(count)).sum();
    let mut seats = Vec::with_capacity(members.len());
    let mut remainders = Vec::with_capacity(members.len());
    let mut handed_out: u64 = 0;
    for &count in members {
        let scaled = u128::from(count) * u128::from(pool);
        // The whole part of a quota is at most `pool`, which is a u64.
        let whole = u64::try_from(scaled / total).unwrap_or(u64::MAX);
        seats.push(whole);
        remainders.push(scaled % total);
        handed_out += whole;
    }
    // Fewer than one seat per unit is left: the remainders sum to `left × total`, each < total.
    let left = usize::try_from(pool - handed_out).unwrap_or(usize::MAX);
    if left == 0 {
        return (seats, None);
    }
    let mut by_remainder: Vec<usize> = (0..members.len()).collect();
    by_remainder.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]).then(a.cmp(&b)));
    let boundary = remainders[by_remainder[left - 1]];
    let straddles = by_remainder.get(left).is_some_and(|&next| remainders[next] == boundary);
    if !straddles {
        for &unit in &by_remainder[..left] {
            seats[unit] += 1;
        }
        return (seats, None);
    }
    let mut tied = Vec::new();
    let mut contested = left as u64;
    for &unit in &by_remainder {
        if remainders[unit] > boundary {
            seats[unit] += 1;
            contested -= 1;
        } else if remainders[unit] == boundary {
            tied.push(unit);
        } else {
            break;
        }
    }
    tied.sort_unstable();
    (seats, Some(Tie { units: tied, seats: contested }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_hare_example() {
        let (seats, tie) = apportion(&[47_000, 16_000, 15_800, 12_000, 6_100, 3_100], 10);
        assert_eq!(seats, vec![5, 2, 1, 1, 1, 0]);
        assert_eq!(tie, None);
    }

    #[test]
    fn equal_remainders_at_the_boundary_are_a_tie() {
        // Quotas 1.5, 1.5, 1: one seat left for two equal remainders.
        let (seats, tie) = apportion(&[3, 3, 2], 4);
        assert_eq!(seats, vec![1, 1, 1]);
        assert_eq!(tie, Some(Tie { units: vec![0, 1], seats: 1 }));
    }
}
