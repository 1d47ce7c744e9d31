//! The majority base D: those summoned minus the exclusions the congress type allows, kept
//! with its derivation so the minutes can show every step.

use serde::Serialize;

use super::CountError;
use crate::rules::{Citation, CongressType, Exclusion, RulePack};

/// One line of the base's derivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BaseItem {
    /// Those summoned (official members, official delegates, or incumbent members).
    Summoned,
    /// A count subtracted.
    Excluded(Exclusion),
}

impl BaseItem {
    /// The key used in result files: `summoned` or the exclusion's key.
    pub fn code(self) -> &'static str {
        match self {
            BaseItem::Summoned => "summoned",
            BaseItem::Excluded(exclusion) => exclusion.code(),
        }
    }
}

/// One step: `summoned` with a positive amount, each exclusion with a negative one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BaseStep {
    /// What the step counts.
    pub item: BaseItem,
    /// The amount added (negative for exclusions).
    pub delta: i64,
}

/// The majority base D (at least 1) with how it was derived and the clause that defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    value: u32,
    derivation: Vec<BaseStep>,
    cites: Citation,
}

impl Base {
    /// Derives D for `congress` under `pack`: `summoned` minus each exclusion, in the order
    /// given. An exclusion the congress type does not allow, a repeated one, exclusions above
    /// `summoned`, or a base of zero are errors.
    pub fn derive(
        pack: &RulePack,
        congress: CongressType,
        summoned: u32,
        excluded: &[(Exclusion, u32)],
    ) -> Result<Base, CountError> {
        if summoned == 0 {
            return Err(CountError::NobodySummoned);
        }
        let rule = pack.base_rule(congress);
        let mut derivation = Vec::with_capacity(excluded.len() + 1);
        derivation.push(BaseStep { item: BaseItem::Summoned, delta: i64::from(summoned) });
        let mut total_excluded: u64 = 0;
        for (position, &(exclusion, amount)) in excluded.iter().enumerate() {
            // 190 Art. 30 cl. 2–3 (244 Art. 32 cl. 2–3): each congress type has its own list of
            // who is subtracted; anything else stays in D.
            if !rule.exclusions.contains(&exclusion) {
                return Err(CountError::ExclusionNotForCongress { exclusion, congress });
            }
            if excluded[..position].iter().any(|&(earlier, _)| earlier == exclusion) {
                return Err(CountError::RepeatedExclusion { exclusion });
            }
            total_excluded += u64::from(amount);
            derivation
                .push(BaseStep { item: BaseItem::Excluded(exclusion), delta: -i64::from(amount) });
        }
        if total_excluded > u64::from(summoned) {
            return Err(CountError::ExclusionsExceedSummoned {
                excluded: total_excluded,
                summoned,
            });
        }
        let value = u64::from(summoned) - total_excluded;
        let value = u32::try_from(value).unwrap_or(u32::MAX);
        if value == 0 {
            return Err(CountError::ZeroBase);
        }
        Ok(Base { value, derivation, cites: rule.cites })
    }

    /// D.
    pub fn value(&self) -> u32 {
        self.value
    }

    /// The steps: `summoned` first, then each exclusion as a negative amount.
    pub fn derivation(&self) -> &[BaseStep] {
        &self.derivation
    }

    /// The clause that defines this base.
    pub fn cites(&self) -> Citation {
        self.cites
    }
}

/// Who votes in a round: the congress type, those summoned and present, and the base D.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Electorate {
    congress: CongressType,
    summoned: u32,
    present: u32,
    base: Base,
}

impl Electorate {
    /// An electorate; the base is derived with [`Base::derive`].
    pub fn new(
        pack: &RulePack,
        congress: CongressType,
        summoned: u32,
        present: u32,
        excluded: &[(Exclusion, u32)],
    ) -> Result<Electorate, CountError> {
        let base = Base::derive(pack, congress, summoned, excluded)?;
        Ok(Electorate { congress, summoned, present, base })
    }

    /// The congress type.
    pub fn congress(&self) -> CongressType {
        self.congress
    }

    /// Those summoned.
    pub fn summoned(&self) -> u32 {
        self.summoned
    }

    /// Those present when voting.
    pub fn present(&self) -> u32 {
        self.present
    }

    /// The base D.
    pub fn base(&self) -> &Base {
        &self.base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::QD190_2024;

    #[test]
    fn members_base_subtracts_allowed_exclusions_in_order() {
        let base = Base::derive(
            &QD190_2024,
            CongressType::Members,
            40,
            &[(Exclusion::AbsentApproved, 1), (Exclusion::ExemptAbsent, 1)],
        );
        let base = base.ok();
        assert_eq!(base.as_ref().map(Base::value), Some(38));
        let steps: Vec<_> =
            base.iter().flat_map(|b| b.derivation()).map(|s| (s.item.code(), s.delta)).collect();
        assert_eq!(steps, [("summoned", 40), ("absent_approved", -1), ("exempt_absent", -1)]);
    }

    #[test]
    fn exclusion_of_another_congress_type_is_an_error() {
        let result = Base::derive(
            &QD190_2024,
            CongressType::Members,
            40,
            &[(Exclusion::CommitteeAbsent, 1)],
        );
        assert_eq!(
            result,
            Err(CountError::ExclusionNotForCongress {
                exclusion: Exclusion::CommitteeAbsent,
                congress: CongressType::Members
            })
        );
    }

    #[test]
    fn base_must_be_positive() {
        let all_out =
            Base::derive(&QD190_2024, CongressType::Conference, 3, &[(Exclusion::Suspended, 3)]);
        assert_eq!(all_out, Err(CountError::ZeroBase));
        let too_many =
            Base::derive(&QD190_2024, CongressType::Conference, 3, &[(Exclusion::Suspended, 4)]);
        assert_eq!(
            too_many,
            Err(CountError::ExclusionsExceedSummoned { excluded: 4, summoned: 3 })
        );
    }
}
