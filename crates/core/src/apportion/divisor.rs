//! Divisor methods (D'Hondt, Sainte-Laguë, Huntington–Hill) by a priority queue: each seat goes
//! to the unit with the highest priority `members / divisor(seats held)`, compared exactly.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::{Method, Tie};

/// Apportions `seats` with every unit starting at `start` seats. Returns the seats per unit
/// and, if the last seats fall to units with exactly equal priority, the tie (those seats left
/// unassigned). Runs in O((seats + units) log units).
pub(super) fn apportion(
    method: Method,
    members: &[u64],
    seats: u64,
    start: u64,
) -> (Vec<u64>, Option<Tie>) {
    let mut held = vec![start; members.len()];
    let mut left = seats - start * members.len() as u64;
    let mut queue: BinaryHeap<Bid> = members
        .iter()
        .enumerate()
        .map(|(unit, &count)| Bid::new(method, unit, count, start))
        .collect();
    let mut group: Vec<Bid> = Vec::new();
    while left > 0 {
        // Take every bid equal to the best one: if they are more than the seats left, no seat
        // among them can be given without breaking a tie.
        let Some(best) = queue.pop() else { break };
        group.clear();
        group.push(best);
        while queue.peek().is_some_and(|next| next.priority_cmp(&best) == Ordering::Equal) {
            if let Some(next) = queue.pop() {
                group.push(next);
            }
        }
        if group.len() as u64 > left {
            let mut units: Vec<usize> = group.iter().map(|bid| bid.unit).collect();
            units.sort_unstable();
            return (held, Some(Tie { units, seats: left }));
        }
        for bid in &group {
            held[bid.unit] += 1;
            left -= 1;
            queue.push(Bid::new(method, bid.unit, members[bid.unit], held[bid.unit]));
        }
    }
    (held, None)
}

/// A unit's claim on its next seat: priority `numerator / denominator`.
#[derive(Debug, Clone, Copy)]
struct Bid {
    numerator: u128,
    denominator: u128,
    unit: usize,
}

impl Bid {
    /// The bid of a unit with `members` members that holds `held` seats.
    fn new(method: Method, unit: usize, members: u64, held: u64) -> Bid {
        let members = u128::from(members);
        let held = u128::from(held);
        let (numerator, denominator) = match method {
            // Divisor n + 1.
            Method::DHondt | Method::Hamilton => (members, held + 1),
            // Divisor n + 1/2: members / (n + 1/2) = 2 × members / (2n + 1), and the factor 2
            // is common to every unit, so members / (2n + 1) orders the same.
            Method::SainteLague => (members, 2 * held + 1),
            // Divisor √(n(n+1)); compared squared: p² / (n(n+1)). `held` is at least 1 here.
            Method::HuntingtonHill => (members * members, held * (held + 1)),
        };
        Bid { numerator, denominator, unit }
    }

    /// Compares priorities exactly: a/b against c/d as a·d against c·b.
    fn priority_cmp(&self, other: &Bid) -> Ordering {
        (self.numerator * other.denominator).cmp(&(other.numerator * self.denominator))
    }
}

impl PartialEq for Bid {
    fn eq(&self, other: &Bid) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Bid {}

impl PartialOrd for Bid {
    fn partial_cmp(&self, other: &Bid) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Bid {
    fn cmp(&self, other: &Bid) -> Ordering {
        // The unit order only makes the heap deterministic; equal priorities are always taken
        // together as a group, so it never decides a seat.
        self.priority_cmp(other).then_with(|| other.unit.cmp(&self.unit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dhondt_textbook_example() {
        let (seats, tie) = apportion(Method::DHondt, &[4160, 3380, 2460], 10, 0);
        assert_eq!((seats, tie), (vec![4, 4, 2], None));
    }

    #[test]
    fn sainte_lague_textbook_example() {
        let (seats, tie) = apportion(Method::SainteLague, &[4160, 3380, 2460], 10, 0);
        assert_eq!((seats, tie), (vec![4, 3, 3], None));
    }

    #[test]
    fn huntington_hill_compares_squares() {
        // Priorities after one seat each: 100/√2 ≈ 70.7 and 80/√2 ≈ 56.6, then 100/√6 ≈ 40.8.
        let (seats, tie) = apportion(Method::HuntingtonHill, &[100, 80], 4, 1);
        assert_eq!((seats, tie), (vec![2, 2], None));
    }
}
