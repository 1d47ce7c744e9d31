//! Seat apportionment: handing out a number of seats among units in proportion to their
//! members, by a largest-remainder or a divisor method, with exact arithmetic and no silent
//! tie-breaking. The Vietnamese delegate allocation built on it is in [`allocation`].
//!
//! All decisions are integer comparisons: quotas and priorities are fractions compared by
//! cross-multiplication in `u128`. The limits [`MAX_SEATS`] and [`MAX_MEMBERS`] keep every
//! product in range (the largest is a Huntington–Hill comparison, `p² · n(n+1)` ≤ 10²⁴ · 10¹²).

pub mod allocation;
mod divisor;
mod fraction;
mod hamilton;

use std::fmt;
use std::str::FromStr;

pub use allocation::{
    Allocation, AllocationError, AllocationInput, AllocationRow, AllocationUnit, AlternateRule,
    EXPLANATION_COLUMNS, Rounding, allocate_delegates,
};
pub use fraction::Fraction;

/// The most seats one apportionment may hand out.
pub const MAX_SEATS: u64 = 1_000_000;
/// The most members one unit may have (a thousand times the whole Party).
pub const MAX_MEMBERS: u64 = 1_000_000_000_000;

/// How seats are apportioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Largest remainder with the Hare quota (Hamilton): each unit gets the whole part of its
    /// quota `members × seats / total`, and the seats left go to the largest remainders.
    Hamilton,
    /// D'Hondt (Jefferson): divisors 1, 2, 3, …
    DHondt,
    /// Sainte-Laguë (Webster): divisors 1, 3, 5, …
    SainteLague,
    /// Huntington–Hill (equal proportions): divisors √(n(n+1)); every unit gets at least one
    /// seat, because its first divisor is 0.
    HuntingtonHill,
}

impl Method {
    /// Every method, in the order the command line lists them.
    pub const ALL: [Method; 4] =
        [Method::Hamilton, Method::DHondt, Method::SainteLague, Method::HuntingtonHill];

    /// The method's name on the command line and in files.
    pub fn name(self) -> &'static str {
        match self {
            Method::Hamilton => "hamilton",
            Method::DHondt => "dhondt",
            Method::SainteLague => "sainte-lague",
            Method::HuntingtonHill => "huntington-hill",
        }
    }

    /// The fewest seats the method itself gives every unit.
    fn own_minimum(self) -> u64 {
        match self {
            Method::HuntingtonHill => 1,
            Method::Hamilton | Method::DHondt | Method::SainteLague => 0,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A method name that is not one of [`Method::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMethod(pub String);

impl fmt::Display for UnknownMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown method {:?} (expected hamilton, dhondt, sainte-lague or huntington-hill)",
            self.0
        )
    }
}

impl std::error::Error for UnknownMethod {}

impl FromStr for Method {
    type Err = UnknownMethod;

    fn from_str(s: &str) -> Result<Method, UnknownMethod> {
        Method::ALL
            .into_iter()
            .find(|method| method.name() == s)
            .ok_or_else(|| UnknownMethod(s.to_owned()))
    }
}

/// The method and the minimum every unit receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// The apportionment method.
    pub method: Method,
    /// Seats every unit receives before the rest is apportioned (Huntington–Hill always gives
    /// at least 1).
    ///
    /// For Hamilton the minimum is handed out first and the remaining seats are apportioned by
    /// largest remainder. For the divisor methods the minimum is the units' starting point and
    /// the divisor sequence continues from there (a unit holding `k` seats bids for its next
    /// one with the divisor of `k`); this is the usual meaning of a minimum for a divisor
    /// method and keeps them house-monotone.
    pub min_per_unit: u64,
}

/// Seats that cannot be handed out because units are exactly tied for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    /// The tied units (indices into the input), ascending.
    pub units: Vec<usize>,
    /// How many seats are contested among them (fewer than `units.len()`).
    pub seats: u64,
}

/// Why seats could not be apportioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApportionError {
    /// No units to apportion among.
    NoUnits,
    /// A unit with no members: it cannot be given seats in proportion to nothing.
    ZeroMembers {
        /// Index of the unit.
        unit: usize,
    },
    /// A unit with more than [`MAX_MEMBERS`] members.
    TooManyMembers {
        /// Index of the unit.
        unit: usize,
        /// Its member count.
        members: u64,
    },
    /// More than [`MAX_SEATS`] seats.
    TooManySeats {
        /// The seats asked for.
        seats: u64,
    },
    /// Fewer seats than the minimum per unit needs.
    TooFewSeats {
        /// The seats asked for.
        seats: u64,
        /// Units × minimum per unit (at least 1 for Huntington–Hill).
        needed: u64,
    },
    /// The last seat(s) fall into an exact tie; people must decide (see [`apportion_with`]).
    Tie(Tie),
    /// The decision given for a tie does not name exactly `tie.seats` distinct tied units.
    DecisionDoesNotFit {
        /// The tie that arose.
        tie: Tie,
        /// The units the decision named.
        decision: Vec<usize>,
    },
}

impl fmt::Display for ApportionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApportionError::NoUnits => f.write_str("no units to apportion among"),
            ApportionError::ZeroMembers { unit } => write!(f, "unit #{} has no members", unit + 1),
            ApportionError::TooManyMembers { unit, members } => write!(
                f,
                "unit #{} has {members} members, more than the limit {MAX_MEMBERS}",
                unit + 1
            ),
            ApportionError::TooManySeats { seats } => {
                write!(f, "{seats} seats is more than the limit {MAX_SEATS}")
            }
            ApportionError::TooFewSeats { seats, needed } => {
                write!(f, "{seats} seats are fewer than the {needed} the minimum per unit needs")
            }
            ApportionError::Tie(tie) => write!(
                f,
                "exact tie for the last {} seat(s) among {} units",
                tie.seats,
                tie.units.len()
            ),
            ApportionError::DecisionDoesNotFit { tie, .. } => write!(
                f,
                "the tie decision must name exactly {} of the {} tied units",
                tie.seats,
                tie.units.len()
            ),
        }
    }
}

impl std::error::Error for ApportionError {}

/// Apportions `seats` among units with `members[i]` members each; returns the seats per unit.
///
/// Exactly `seats` seats are handed out, or an error says why not. An exact tie for the last
/// seat(s) is [`ApportionError::Tie`]; it is never broken here.
pub fn apportion(members: &[u64], seats: u64, rules: Rules) -> Result<Vec<u64>, ApportionError> {
    apportion_with(members, seats, rules, &[])
}

/// As [`apportion`], with a decision taken by people for a tie: if the last seats are tied,
/// `decision` names the tied units that take them (exactly as many as there are contested
/// seats). An empty decision decides nothing; a decision is ignored when no tie arises.
pub fn apportion_with(
    members: &[u64],
    seats: u64,
    rules: Rules,
    decision: &[usize],
) -> Result<Vec<u64>, ApportionError> {
    let start = check(members, seats, rules)?;
    let (mut result, tie) = match rules.method {
        Method::Hamilton => {
            // The minimum first, then the remaining seats by largest remainder.
            let pool = seats - start * members.len() as u64;
            let (extra, tie) = hamilton::apportion(members, pool);
            (extra.into_iter().map(|extra| start + extra).collect(), tie)
        }
        divisor_method => divisor::apportion(divisor_method, members, seats, start),
    };
    if let Some(tie) = tie {
        apply_decision(&mut result, tie, decision)?;
    }
    Ok(result)
}

/// Validates the input; returns the seats every unit starts with.
fn check(members: &[u64], seats: u64, rules: Rules) -> Result<u64, ApportionError> {
    if members.is_empty() {
        return Err(ApportionError::NoUnits);
    }
    if seats > MAX_SEATS {
        return Err(ApportionError::TooManySeats { seats });
    }
    for (unit, &count) in members.iter().enumerate() {
        if count == 0 {
            return Err(ApportionError::ZeroMembers { unit });
        }
        if count > MAX_MEMBERS {
            return Err(ApportionError::TooManyMembers { unit, members: count });
        }
    }
    let start = rules.min_per_unit.max(rules.method.own_minimum());
    let needed = u128::from(start) * members.len() as u128;
    if needed > u128::from(seats) {
        return Err(ApportionError::TooFewSeats {
            seats,
            needed: u64::try_from(needed).unwrap_or(u64::MAX),
        });
    }
    Ok(start)
}

/// Gives the contested seats of `tie` to the units of `decision`, or reports the tie.
fn apply_decision(result: &mut [u64], tie: Tie, decision: &[usize]) -> Result<(), ApportionError> {
    if decision.is_empty() {
        return Err(ApportionError::Tie(tie));
    }
    let mut chosen = decision.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    let fits = chosen.len() == decision.len()
        && chosen.len() as u64 == tie.seats
        && chosen.iter().all(|unit| tie.units.binary_search(unit).is_ok());
    if !fits {
        return Err(ApportionError::DecisionDoesNotFit { tie, decision: decision.to_vec() });
    }
    for unit in chosen {
        result[unit] += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(method: Method) -> Rules {
        Rules { method, min_per_unit: 0 }
    }

    #[test]
    fn method_names_round_trip() {
        for method in Method::ALL {
            assert_eq!(method.name().parse::<Method>(), Ok(method));
        }
        assert!("webster".parse::<Method>().is_err());
    }

    #[test]
    fn tie_is_reported_not_broken() {
        for method in Method::ALL {
            let result = apportion(&[100, 100, 100], 4, rules(method));
            assert_eq!(
                result,
                Err(ApportionError::Tie(Tie { units: vec![0, 1, 2], seats: 1 })),
                "{method}"
            );
        }
    }

    #[test]
    fn decision_settles_a_tie() {
        let result = apportion_with(&[100, 100, 100], 4, rules(Method::DHondt), &[2]);
        assert_eq!(result, Ok(vec![1, 1, 2]));
        let wrong = apportion_with(&[100, 100, 100], 4, rules(Method::DHondt), &[1, 2]);
        assert!(matches!(wrong, Err(ApportionError::DecisionDoesNotFit { .. })));
    }

    #[test]
    fn huntington_hill_needs_a_seat_per_unit() {
        assert_eq!(
            apportion(&[5, 5, 5], 2, rules(Method::HuntingtonHill)),
            Err(ApportionError::TooFewSeats { seats: 2, needed: 3 })
        );
    }
}
