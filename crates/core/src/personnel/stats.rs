//! Composition statistics of a list of people (a committee, a delegation) and their roll-up:
//! every figure is a count, so the roll-up of a tree is the sum of its parts.

use std::ops::AddAssign;

use serde::{Deserialize, Serialize};
use time::Date;

use super::age::age_at;
use super::targets::Profile;
use crate::member::{Education, Sex, TheoryLevel};

/// The counts of one list, or of many summed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Composition {
    /// Lists summed (1 for one committee).
    pub lists: u64,
    /// People.
    pub total: u64,
    /// Women.
    pub women: u64,
    /// Ethnic minorities.
    pub minorities: u64,
    /// Under 40 at the reference date.
    pub under_40: u64,
    /// From 40 to 50.
    pub from_40_to_50: u64,
    /// Over 50.
    pub over_50: u64,
    /// Age unknown.
    pub age_unknown: u64,
    /// By professional education, indexed as [`Education::ALL`], then unknown.
    pub education: [u64; 8],
    /// By political theory level, indexed as [`TheoryLevel::ALL`], then unknown.
    pub theory: [u64; 6],
    /// Re-elected (on the outgoing committee).
    pub reelected: u64,
    /// New members.
    pub new_members: u64,
    /// Lists whose secretary was elected directly by the congress.
    pub secretary_direct: u64,
    /// Lists whose secretary is not a local person.
    pub secretary_non_local: u64,
}

impl AddAssign<&Composition> for Composition {
    fn add_assign(&mut self, other: &Composition) {
        self.lists += other.lists;
        self.total += other.total;
        self.women += other.women;
        self.minorities += other.minorities;
        self.under_40 += other.under_40;
        self.from_40_to_50 += other.from_40_to_50;
        self.over_50 += other.over_50;
        self.age_unknown += other.age_unknown;
        for (mine, theirs) in self.education.iter_mut().zip(other.education) {
            *mine += theirs;
        }
        for (mine, theirs) in self.theory.iter_mut().zip(other.theory) {
            *mine += theirs;
        }
        self.reelected += other.reelected;
        self.new_members += other.new_members;
        self.secretary_direct += other.secretary_direct;
        self.secretary_non_local += other.secretary_non_local;
    }
}

impl Composition {
    /// The sum of many.
    pub fn sum<'a>(parts: impl IntoIterator<Item = &'a Composition>) -> Composition {
        let mut total = Composition::default();
        for part in parts {
            total += part;
        }
        total
    }

    /// `part` as a percentage of the total with one decimal, e.g. `16,7`; `—` if empty.
    pub fn percent(&self, part: u64) -> String {
        if self.total == 0 {
            return "—".into();
        }
        let tenths =
            (u128::from(part) * 1000 + u128::from(self.total) / 2) / u128::from(self.total);
        format!("{},{}", tenths / 10, tenths % 10)
    }
}

/// The composition of one list at the reference date.
pub fn compose(people: &[Profile], reference: Date) -> Composition {
    let mut stats = Composition { lists: 1, ..Composition::default() };
    for person in people {
        stats.total += 1;
        stats.women += u64::from(person.sex == Some(Sex::Female));
        stats.minorities += u64::from(person.minority);
        match person.birth.map(|birth| age_at(birth, reference)) {
            None => stats.age_unknown += 1,
            Some(age) if age < 40 => stats.under_40 += 1,
            Some(age) if age <= 50 => stats.from_40_to_50 += 1,
            Some(_) => stats.over_50 += 1,
        }
        let education = person
            .education
            .and_then(|e| Education::ALL.iter().position(|x| *x == e))
            .unwrap_or(Education::ALL.len());
        stats.education[education] += 1;
        let theory = person
            .theory
            .and_then(|t| TheoryLevel::ALL.iter().position(|x| *x == t))
            .unwrap_or(TheoryLevel::ALL.len());
        stats.theory[theory] += 1;
        if person.incumbent {
            stats.reelected += 1;
        } else {
            stats.new_members += 1;
        }
        if person.secretary {
            stats.secretary_direct += u64::from(person.elected_directly);
            stats.secretary_non_local += u64::from(person.non_local);
        }
    }
    stats
}
