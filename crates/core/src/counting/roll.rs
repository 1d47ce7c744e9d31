//! The base D computed from the roll: one status per person, as the credentials committee
//! records it, turned into `summoned`, `present` and the exclusions of an election file.

use thiserror::Error;

use super::{Base, CountError, Electorate};
use crate::rules::{CongressType, Exclusion, RulePack};

/// A person's status on the roll for one election.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RollStatus {
    /// In the hall for this vote: counts in D and as present.
    Present,
    /// Attended the congress but is not in the hall for this vote: still counts in D (only
    /// absence for the whole congress is subtracted), not as present.
    LeftBeforeVote,
    /// Absent for the whole congress with a reason the convening committee accepted.
    AbsentApproved,
    /// Absent for the whole congress without an accepted reason.
    AbsentUnexcused,
    /// Exempted from work and party activity, attending and in the hall: counts in D.
    ExemptPresent,
    /// Exempted from work and party activity, not attending: not in D.
    ExemptAbsent,
    /// On temporary transfer to another đảng bộ, attending and in the hall: counts in D.
    TransferredPresent,
    /// On temporary transfer to another đảng bộ, not attending: not in D.
    TransferredAbsent,
    /// Suspended from party (or committee) activity.
    Suspended,
    /// Prosecuted, indicted or detained.
    Prosecuted,
    /// Not summoned at all (HD 04-HD/TW 2024: suspended or prosecuted before the opening,
    /// elected in breach of procedure, retired or transferred out before the opening).
    NotSummoned,
    /// An official delegate absent for the whole congress whose seat an alternate took: the
    /// seat still counts in D, and the alternate is present in it.
    ReplacedByAlternate,
}

impl RollStatus {
    /// Every status, in a fixed order.
    pub const ALL: [RollStatus; 12] = [
        RollStatus::Present,
        RollStatus::LeftBeforeVote,
        RollStatus::AbsentApproved,
        RollStatus::AbsentUnexcused,
        RollStatus::ExemptPresent,
        RollStatus::ExemptAbsent,
        RollStatus::TransferredPresent,
        RollStatus::TransferredAbsent,
        RollStatus::Suspended,
        RollStatus::Prosecuted,
        RollStatus::NotSummoned,
        RollStatus::ReplacedByAlternate,
    ];

    /// A stable code (`absent_approved`, …).
    pub fn code(self) -> &'static str {
        match self {
            RollStatus::Present => "present",
            RollStatus::LeftBeforeVote => "left_before_vote",
            RollStatus::AbsentApproved => "absent_approved",
            RollStatus::AbsentUnexcused => "absent_unexcused",
            RollStatus::ExemptPresent => "exempt_present",
            RollStatus::ExemptAbsent => "exempt_absent",
            RollStatus::TransferredPresent => "temporarily_transferred_present",
            RollStatus::TransferredAbsent => "temporarily_transferred_absent",
            RollStatus::Suspended => "suspended",
            RollStatus::Prosecuted => "prosecuted",
            RollStatus::NotSummoned => "not_summoned",
            RollStatus::ReplacedByAlternate => "replaced_by_alternate",
        }
    }
}

/// One person on the roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollPerson {
    /// The status for this election.
    pub status: RollStatus,
    /// A member of the convening committee (at a delegates' congress: an ex officio delegate).
    pub convening_committee: bool,
}

/// A status that has no meaning for the congress type (e.g. an alternate replacing someone at
/// a members' congress), so the base would be a guess.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RollError {
    /// A status that does not apply to this congress type.
    #[error("person {person}: status {} does not apply to a {} congress", .status.code(), .congress.code())]
    StatusNotForCongress {
        /// Position (0-based) on the roll.
        person: usize,
        /// The status.
        status: RollStatus,
        /// The congress type.
        congress: CongressType,
    },
    /// An ex officio delegate cannot be replaced by an alternate.
    #[error("person {person}: a convening-committee member cannot be replaced by an alternate")]
    ExOfficioReplaced {
        /// Position (0-based) on the roll.
        person: usize,
    },
    /// The figures do not give a base (nobody summoned, everyone excluded).
    #[error("{0}")]
    Base(#[from] CountError),
}

/// The figures of an election file's `electorate`, computed from the roll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roll {
    /// Summoned: everyone on the roll except those not summoned.
    pub summoned: u32,
    /// Present when voting (an alternate sitting in for an absent delegate counts).
    pub present: u32,
    /// Exclusions, in the rule pack's order, only those that occur.
    pub excluded: Vec<(Exclusion, u32)>,
    /// The electorate with its base D.
    pub electorate: Electorate,
}

impl Roll {
    /// Computes `summoned`, `present`, the exclusions and D for `congress` under `pack`.
    ///
    /// Members' congress (190 Art. 30 cl. 2): exempted and transferred members count only
    /// if they attend (HD 01-HD/TW 2021 point 13.2); only absences with an accepted reason
    /// are subtracted. Delegates' congress (cl. 3): convening-committee members absent for the
    /// whole congress, and official delegates absent with no alternate seated, are
    /// subtracted; the reason does not matter. Conference: incumbent members minus the
    /// suspended and prosecuted; absentees stay in D.
    pub fn from_people(
        pack: &RulePack,
        congress: CongressType,
        people: &[RollPerson],
    ) -> Result<Roll, RollError> {
        let mut summoned: u64 = 0;
        let mut present: u64 = 0;
        let mut excluded: Vec<(Exclusion, u64)> = Vec::new();
        let mut exclude = |exclusion: Exclusion| match excluded
            .iter_mut()
            .find(|(existing, _)| *existing == exclusion)
        {
            Some((_, count)) => *count += 1,
            None => excluded.push((exclusion, 1)),
        };
        for (position, person) in people.iter().enumerate() {
            let not_for = || RollError::StatusNotForCongress {
                person: position,
                status: person.status,
                congress,
            };
            if person.status == RollStatus::NotSummoned {
                continue;
            }
            summoned += 1;
            match (congress, person.status) {
                (_, RollStatus::Present) => present += 1,
                (_, RollStatus::LeftBeforeVote) => {}
                (CongressType::Members, RollStatus::ExemptPresent)
                | (CongressType::Members, RollStatus::TransferredPresent) => present += 1,
                (CongressType::Members, RollStatus::AbsentApproved) => {
                    exclude(Exclusion::AbsentApproved)
                }
                (CongressType::Members | CongressType::Conference, RollStatus::AbsentUnexcused) => {
                }
                (CongressType::Conference, RollStatus::AbsentApproved) => {}
                (CongressType::Members, RollStatus::ExemptAbsent) => {
                    exclude(Exclusion::ExemptAbsent)
                }
                (CongressType::Members, RollStatus::TransferredAbsent) => {
                    exclude(Exclusion::TemporarilyTransferredAbsent)
                }
                (CongressType::Members | CongressType::Conference, RollStatus::Suspended) => {
                    exclude(Exclusion::Suspended)
                }
                (CongressType::Members | CongressType::Conference, RollStatus::Prosecuted) => {
                    exclude(Exclusion::Prosecuted)
                }
                (
                    CongressType::Delegates,
                    RollStatus::AbsentApproved | RollStatus::AbsentUnexcused,
                ) => {
                    if person.convening_committee {
                        exclude(Exclusion::CommitteeAbsent)
                    } else {
                        exclude(Exclusion::DelegateAbsentUnreplaced)
                    }
                }
                (CongressType::Delegates, RollStatus::ReplacedByAlternate) => {
                    if person.convening_committee {
                        return Err(RollError::ExOfficioReplaced { person: position });
                    }
                    present += 1;
                }
                _ => return Err(not_for()),
            }
        }
        let rule = pack.base_rule(congress);
        let mut ordered: Vec<(Exclusion, u32)> = Vec::new();
        for &exclusion in rule.exclusions {
            if let Some(&(_, count)) = excluded.iter().find(|(e, _)| *e == exclusion) {
                ordered.push((exclusion, saturate(count)));
            }
        }
        let summoned = saturate(summoned);
        let present = saturate(present);
        let electorate = Electorate::new(pack, congress, summoned, present, &ordered)?;
        Ok(Roll { summoned, present, excluded: ordered, electorate })
    }

    /// The base D.
    pub fn base(&self) -> &Base {
        self.electorate.base()
    }
}

fn saturate(count: u64) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}
