//! Why an election cannot be counted at all: the typed errors of the counting core.
//!
//! These are setups that would make any result a guess (ballots that do not add up, a name
//! nobody nominated, a base that does not exist). Ballots the voters spoiled are *not* errors:
//! they are invalid ballots in the report. The wire-format crate turns each variant into a
//! message that names the JSON path.

use thiserror::Error;

use super::{BallotForm, CongressType, ElectionKind, Exclusion};

/// An election that cannot be counted, and exactly why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CountError {
    /// The seat count is zero: there is nothing to elect.
    #[error("must be at least 1")]
    ZeroSeats,
    /// A candidate id is empty.
    #[error("empty candidate id")]
    EmptyCandidateId,
    /// A candidate's name is empty or only spaces.
    #[error("empty candidate name")]
    EmptyCandidateName,
    /// Two candidates on the list share an id.
    #[error("repeated candidate id \"{id}\" (also candidate {first})")]
    RepeatedCandidateId {
        /// Position (0-based) of the second occurrence.
        candidate: usize,
        /// Position (0-based) of the first occurrence.
        first: usize,
        /// The id.
        id: String,
    },
    /// More names than a ballot can carry.
    #[error("{names} names; a ballot carries at most {max}")]
    TooManyCandidates {
        /// Names on the list.
        names: usize,
        /// The most this engine accepts.
        max: usize,
    },
    /// Fewer names on the list than seats to fill.
    #[error("{names} names for {seats} seats; a list needs at least as many names as seats")]
    TooFewCandidates {
        /// Names on the list.
        names: usize,
        /// Seats to fill.
        seats: u32,
    },
    /// A tie-break round whose list has no more names than seats: there is no tie to break.
    #[error(
        "a tie-break round is held among more tied candidates than seats; {names} names for {seats} seats"
    )]
    TieBreakWithoutTie {
        /// Names on the list.
        names: usize,
        /// Seats to fill.
        seats: u32,
    },
    /// Alternate seats asked for in an election that does not take alternates.
    #[error("only a regular round of a delegates election takes alternates (kind is {})", .kind.code())]
    AlternatesNotTaken {
        /// The election's kind.
        kind: ElectionKind,
    },
    /// Nobody was summoned.
    #[error("must be at least 1")]
    NobodySummoned,
    /// An exclusion that does not belong to the congress type (e.g. `committee_absent` at a
    /// members' congress).
    #[error("{} is not an exclusion for a {} congress", .exclusion.code(), .congress.code())]
    ExclusionNotForCongress {
        /// The exclusion given.
        exclusion: Exclusion,
        /// The congress type.
        congress: CongressType,
    },
    /// The same exclusion given twice.
    #[error("exclusion {} given twice", .exclusion.code())]
    RepeatedExclusion {
        /// The exclusion.
        exclusion: Exclusion,
    },
    /// The exclusions add up to more than those summoned.
    #[error("exclusions ({excluded}) exceed those summoned ({summoned})")]
    ExclusionsExceedSummoned {
        /// Sum of the exclusions.
        excluded: u64,
        /// Those summoned.
        summoned: u32,
    },
    /// Summoned minus exclusions is zero: nobody could be elected.
    #[error("the base is 0 (everyone summoned is excluded); nobody can be elected")]
    ZeroBase,
    /// More ballots collected than issued: the committee must decide (typically a new vote).
    #[error("ballots collected ({collected}) exceed ballots issued ({issued})")]
    CollectedExceedsIssued {
        /// Ballots in the box.
        collected: u32,
        /// Ballots handed out.
        issued: u32,
    },
    /// The cast entries do not add up to the ballots collected.
    #[error("counts add up to {counted} but {collected} ballots were collected")]
    CastCountMismatch {
        /// Sum of the entries' counts.
        counted: u64,
        /// Ballots collected.
        collected: u32,
    },
    /// One cast entry is wrong.
    #[error("cast entry {entry}: {problem}")]
    Cast {
        /// Position (0-based) of the entry among those pushed.
        entry: usize,
        /// What is wrong with it.
        problem: CastProblem,
    },
}

/// What is wrong with one cast entry.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CastProblem {
    /// A count of zero ballots.
    #[error("must be at least 1")]
    ZeroCount,
    /// An id that is not on the list.
    #[error("unknown candidate \"{id}\"")]
    UnknownCandidate {
        /// The id as given.
        id: String,
    },
    /// The same id twice on one ballot.
    #[error("candidate \"{id}\" given twice")]
    RepeatedCandidate {
        /// The id as given.
        id: String,
    },
    /// A ballot of the other form: crossed names on an agree/disagree list or marks on a
    /// strike-through list.
    #[error("{}", wrong_form_message(*list_form))]
    WrongForm {
        /// The form the list calls for.
        list_form: BallotForm,
    },
}

fn wrong_form_message(list_form: BallotForm) -> &'static str {
    match list_form {
        BallotForm::StrikeThrough => {
            "the list has more names than seats, so ballots are strike-through (\"crossed\")"
        }
        BallotForm::AgreeDisagree => {
            "the list has as many names as seats, so ballots are agree/disagree (\"marks\")"
        }
    }
}
