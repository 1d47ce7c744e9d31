//! An exact non-negative fraction, for showing quotas as they are, not as rounded decimals.

use std::cmp::Ordering;
use std::fmt;

/// A non-negative fraction in lowest terms with a positive denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fraction {
    numerator: u128,
    denominator: u128,
}

impl Fraction {
    /// Zero, `0/1`.
    pub const ZERO: Fraction = Fraction { numerator: 0, denominator: 1 };

    /// `numerator / denominator` in lowest terms; `None` if the denominator is 0.
    pub fn new(numerator: u128, denominator: u128) -> Option<Fraction> {
        if denominator == 0 {
            return None;
        }
        let divisor = gcd(numerator, denominator);
        Some(Fraction { numerator: numerator / divisor, denominator: denominator / divisor })
    }

    /// The numerator, in lowest terms.
    pub fn numerator(self) -> u128 {
        self.numerator
    }

    /// The denominator, in lowest terms (at least 1).
    pub fn denominator(self) -> u128 {
        self.denominator
    }

    /// The whole part.
    pub fn floor(self) -> u128 {
        self.numerator / self.denominator
    }

    /// The fractional part's numerator over [`Fraction::denominator`].
    pub fn remainder(self) -> u128 {
        self.numerator % self.denominator
    }
}

impl Ord for Fraction {
    fn cmp(&self, other: &Fraction) -> Ordering {
        // Lowest terms keep both products within u128 for the quotas made here
        // (numerators ≤ 10¹² × 10⁶, denominators ≤ units × 10¹²).
        (self.numerator * other.denominator).cmp(&(other.numerator * self.denominator))
    }
}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Fraction) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// `7`, or `7 3/8` for a whole part and a proper fraction, or `3/8` below one.
impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, rest) = (self.floor(), self.remainder());
        match (whole, rest) {
            (whole, 0) => write!(f, "{whole}"),
            (0, rest) => write!(f, "{rest}/{}", self.denominator),
            (whole, rest) => write!(f, "{whole} {rest}/{}", self.denominator),
        }
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduces_and_prints_mixed() {
        let quota = Fraction::new(47_000 * 10, 100_000).unwrap();
        assert_eq!((quota.numerator(), quota.denominator()), (47, 10));
        assert_eq!(quota.to_string(), "4 7/10");
        assert_eq!(Fraction::new(6, 3).unwrap().to_string(), "2");
        assert_eq!(Fraction::new(3, 8).unwrap().to_string(), "3/8");
        assert_eq!(Fraction::new(0, 8).unwrap().to_string(), "0");
        assert!(Fraction::new(1, 0).is_none());
    }

    #[test]
    fn compares_exactly() {
        let third = Fraction::new(1, 3).unwrap();
        let close = Fraction::new(333_333_333, 1_000_000_000).unwrap();
        assert!(close < third);
    }
}
