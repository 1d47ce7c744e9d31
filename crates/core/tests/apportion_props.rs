//! Properties of seat apportionment: exactly the seats asked for, the minimum respected,
//! divisor methods house-monotone, Hamilton within one seat of the quota, results unchanged
//! when all member counts are scaled, and the divisor methods equal to a naive seat-by-seat
//! rescan (a second, independent spelling of the same rule).

use daihoi_core::apportion::{ApportionError, Method, Rules, Tie, apportion, apportion_with};
use proptest::prelude::*;

fn method() -> impl Strategy<Value = Method> {
    prop::sample::select(Method::ALL.to_vec())
}

fn divisor_method() -> impl Strategy<Value = Method> {
    prop::sample::select(vec![Method::DHondt, Method::SainteLague, Method::HuntingtonHill])
}

/// Member counts; small values make exact ties common enough to exercise.
fn members() -> impl Strategy<Value = Vec<u64>> {
    prop_oneof![prop::collection::vec(1u64..12, 1..8), prop::collection::vec(1u64..100_000, 1..30),]
}

fn start(method: Method, min_per_unit: u64) -> u64 {
    if method == Method::HuntingtonHill { min_per_unit.max(1) } else { min_per_unit }
}

/// The divisor methods, one seat at a time, scanning every unit for the best priority.
fn naive_divisor(method: Method, members: &[u64], seats: u64, first: u64) -> Result<Vec<u64>, Tie> {
    // Priority of a unit holding `n` seats as a fraction (numerator, denominator).
    let priority = |p: u64, n: u64| -> (u128, u128) {
        let (p, n) = (u128::from(p), u128::from(n));
        match method {
            Method::DHondt => (p, n + 1),
            Method::SainteLague => (2 * p, 2 * n + 1),
            Method::HuntingtonHill => (p * p, n * (n + 1)),
            Method::Hamilton => unreachable!("not a divisor method"),
        }
    };
    let greater = |a: (u128, u128), b: (u128, u128)| a.0 * b.1 > b.0 * a.1;
    let equal = |a: (u128, u128), b: (u128, u128)| a.0 * b.1 == b.0 * a.1;
    let mut held = vec![first; members.len()];
    let mut left = seats - first * members.len() as u64;
    while left > 0 {
        let mut best = priority(members[0], held[0]);
        for (i, &p) in members.iter().enumerate() {
            if greater(priority(p, held[i]), best) {
                best = priority(p, held[i]);
            }
        }
        let group: Vec<usize> =
            (0..members.len()).filter(|&i| equal(priority(members[i], held[i]), best)).collect();
        if group.len() as u64 > left {
            return Err(Tie { units: group, seats: left });
        }
        for i in group {
            held[i] += 1;
            left -= 1;
        }
    }
    Ok(held)
}

proptest! {
    #[test]
    fn exactly_the_seats_and_the_minimum(
        members in members(), seats in 0u64..200, min_per_unit in 0u64..4, method in method()
    ) {
        let rules = Rules { method, min_per_unit };
        let floor = start(method, min_per_unit);
        let needed = floor * members.len() as u64;
        let result = match apportion(&members, seats, rules) {
            Ok(result) => result,
            Err(ApportionError::TooFewSeats { seats: s, needed: n }) => {
                prop_assert_eq!((s, n), (seats, needed));
                prop_assert!(needed > seats);
                return Ok(());
            }
            Err(ApportionError::Tie(tie)) => {
                prop_assert!(tie.seats >= 1 && (tie.units.len() as u64) > tie.seats);
                prop_assert!(tie.units.windows(2).all(|w| w[0] < w[1]));
                // Any decision naming `tie.seats` of the tied units settles it.
                let decision: Vec<usize> = tie.units.iter().rev().take(tie.seats as usize).copied().collect();
                apportion_with(&members, seats, rules, &decision)
                    .map_err(|e| TestCaseError::fail(format!("decision did not settle: {e:?}")))?
            }
            Err(other) => return Err(TestCaseError::fail(format!("unexpected {other:?}"))),
        };
        prop_assert!(needed <= seats);
        prop_assert_eq!(result.iter().sum::<u64>(), seats);
        prop_assert!(result.iter().all(|&s| s >= floor));
    }

    #[test]
    fn divisor_methods_are_house_monotone(
        members in members(), seats in 0u64..150, min_per_unit in 0u64..3, method in divisor_method()
    ) {
        let rules = Rules { method, min_per_unit };
        if let (Ok(fewer), Ok(more)) =
            (apportion(&members, seats, rules), apportion(&members, seats + 1, rules))
        {
            for (unit, (a, b)) in fewer.iter().zip(&more).enumerate() {
                prop_assert!(b >= a, "unit {} lost a seat: {} -> {}", unit, a, b);
            }
        }
    }

    #[test]
    fn hamilton_stays_within_one_seat_of_the_quota(members in members(), seats in 0u64..300) {
        let rules = Rules { method: Method::Hamilton, min_per_unit: 0 };
        let total: u128 = members.iter().map(|&p| u128::from(p)).sum();
        if let Ok(result) = apportion(&members, seats, rules) {
            for (&p, &s) in members.iter().zip(&result) {
                let scaled = u128::from(p) * u128::from(seats);
                let floor = scaled / total;
                let ceil = scaled.div_ceil(total);
                prop_assert!(floor <= u128::from(s) && u128::from(s) <= ceil);
            }
        }
    }

    #[test]
    fn scaling_every_unit_changes_nothing(
        members in members(), seats in 0u64..150, factor in 2u64..1000, method in method()
    ) {
        let rules = Rules { method, min_per_unit: 0 };
        let scaled: Vec<u64> = members.iter().map(|&p| p * factor).collect();
        prop_assert_eq!(apportion(&members, seats, rules), apportion(&scaled, seats, rules));
    }

    #[test]
    fn divisor_methods_match_a_naive_rescan(
        members in members(), seats in 0u64..120, min_per_unit in 0u64..3, method in divisor_method()
    ) {
        let first = start(method, min_per_unit);
        prop_assume!(first * members.len() as u64 <= seats);
        let expected = naive_divisor(method, &members, seats, first).map_err(ApportionError::Tie);
        prop_assert_eq!(apportion(&members, seats, Rules { method, min_per_unit }), expected);
    }
}
