//! The count of one election round under a rule pack: who is elected, who ties, what is left.
//!
//! The pipeline is: describe the round ([`ElectionSpec`] → [`ElectionSetup`], which checks the
//! list against the seats and derives the base D), put the ballots in a [`BallotBox`] (ids are
//! resolved to dense indices there, once), close it into an [`Election`] (the ballots add up),
//! and [`tally`] it into a [`TallyReport`]. Every value after a constructor is valid, so
//! `tally` cannot fail: spoiled ballots are invalid ballots in the report, not errors.
//!
//! Architecture Invariant: the winner test is `votes × 2 > D` in integers; percentages are for
//! display only. No age, seniority or lot ever decides a tie: ties are reported.

mod ballots;
mod base;
mod error;
mod id_index;
mod report;
mod roll;
mod tally;

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

pub use crate::rules::{CongressType, ElectionKind, Exclusion, RulePackId};
pub use ballots::{BallotBox, CastBallots};
pub use base::{Base, BaseItem, BaseStep, Electorate};
pub use error::{CastProblem, CountError};
pub use report::{
    BallotSummary, CandidateResult, Decision, MarkTally, NextStep, Outcome, Percent, RulingNote,
    TallyReport, Tie, Warning,
};
pub use roll::{Roll, RollError, RollPerson, RollStatus};
pub use tally::tally;

use crate::rules::RulePack;

/// The most names one ballot may carry. Real ballots carry up to about 250; candidate indices
/// are 16-bit to keep stored ballots compact.
pub const MAX_CANDIDATES: usize = u16::MAX as usize;

/// The number of seats to fill in a round: at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SeatCount(u32);

impl SeatCount {
    /// A seat count; zero seats is [`CountError::ZeroSeats`].
    pub fn new(seats: u32) -> Result<SeatCount, CountError> {
        if seats == 0 { Err(CountError::ZeroSeats) } else { Ok(SeatCount(seats)) }
    }

    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// A candidate's id on the list (`"c1"`): non-empty, unique within the list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CandidateId(String);

impl CandidateId {
    /// An id; the empty string is [`CountError::EmptyCandidateId`].
    pub fn new(id: impl Into<String>) -> Result<CandidateId, CountError> {
        let id = id.into();
        if id.is_empty() { Err(CountError::EmptyCandidateId) } else { Ok(CandidateId(id)) }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CandidateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One name on the election list.
///
/// Deliberately no birth date: nothing in a Party count may depend on age (the State
/// elections' "older wins a tie" rule does not apply), so the engine never sees one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    id: CandidateId,
    name: String,
}

impl Candidate {
    /// A candidate; a name that is empty or only spaces is [`CountError::EmptyCandidateName`].
    pub fn new(id: CandidateId, name: impl Into<String>) -> Result<Candidate, CountError> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(CountError::EmptyCandidateName);
        }
        Ok(Candidate { id, name })
    }

    /// The id.
    pub fn id(&self) -> &CandidateId {
        &self.id
    }

    /// The full name as printed on the ballot.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// The approved election list in ballot order; ids are unique.
#[derive(Debug, Clone)]
pub struct CandidateList {
    candidates: Vec<Candidate>,
    /// id → ballot position.
    index: id_index::IdIndex,
}

impl CandidateList {
    /// A list; repeated ids are [`CountError::RepeatedCandidateId`], more than
    /// [`MAX_CANDIDATES`] names [`CountError::TooManyCandidates`].
    pub fn new(candidates: Vec<Candidate>) -> Result<CandidateList, CountError> {
        if candidates.len() > MAX_CANDIDATES {
            return Err(CountError::TooManyCandidates {
                names: candidates.len(),
                max: MAX_CANDIDATES,
            });
        }
        let mut first_seen: HashMap<&str, usize> = HashMap::with_capacity(candidates.len());
        for (position, candidate) in candidates.iter().enumerate() {
            if let Some(&first) = first_seen.get(candidate.id.as_str()) {
                return Err(CountError::RepeatedCandidateId {
                    candidate: position,
                    first,
                    id: candidate.id.0.clone(),
                });
            }
            first_seen.insert(candidate.id.as_str(), position);
        }
        let index = id_index::IdIndex::new(candidates.iter().map(|c| c.id.0.clone()).collect());
        Ok(CandidateList { candidates, index })
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.candidates.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }

    /// The candidates in ballot order.
    pub fn iter(&self) -> std::slice::Iter<'_, Candidate> {
        self.candidates.iter()
    }

    /// The candidates in ballot order.
    pub fn as_slice(&self) -> &[Candidate] {
        &self.candidates
    }

    /// The ballot position (0-based) of an id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.dense_index(id).map(usize::from)
    }

    fn dense_index(&self, id: &str) -> Option<u16> {
        self.index.get(id)
    }
}

/// Which round of an election this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RoundType {
    /// A normal round: elected candidates need more than half of D.
    #[default]
    Regular,
    /// A further ballot among candidates tied at the last seat: the highest votes win without
    /// needing more than half (a tie again is reported again).
    TieBreak,
}

impl RoundType {
    /// The code written in files.
    pub fn code(self) -> &'static str {
        match self {
            RoundType::Regular => "regular",
            RoundType::TieBreak => "tie_break",
        }
    }

    /// Reads a code written in files.
    pub fn from_code(code: &str) -> Option<RoundType> {
        [RoundType::Regular, RoundType::TieBreak].into_iter().find(|round| round.code() == code)
    }
}

/// The form of the ballot, decided by the list: more names than seats → strike-through;
/// as many as seats → agree/disagree (190 Art. 15, 244 Art. 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotForm {
    /// Phiếu gạch tên: the voter crosses out whole names; uncrossed names are votes.
    StrikeThrough,
    /// Phiếu đồng ý / không đồng ý: one Agree or Disagree box per name.
    AgreeDisagree,
}

impl BallotForm {
    /// The form for a list of `names` for `seats`; fewer names than seats is an error.
    pub fn for_list(names: usize, seats: SeatCount) -> Result<BallotForm, CountError> {
        let seats_usize = usize::try_from(seats.get()).unwrap_or(usize::MAX);
        match names.cmp(&seats_usize) {
            std::cmp::Ordering::Greater => Ok(BallotForm::StrikeThrough),
            std::cmp::Ordering::Equal => Ok(BallotForm::AgreeDisagree),
            std::cmp::Ordering::Less => {
                Err(CountError::TooFewCandidates { names, seats: seats.get() })
            }
        }
    }

    /// The code used in result files.
    pub fn code(self) -> &'static str {
        match self {
            BallotForm::StrikeThrough => "strike_through",
            BallotForm::AgreeDisagree => "agree_disagree",
        }
    }
}

/// What the voter put in one row of an agree/disagree ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// An X in the Agree box only: a vote.
    Agree,
    /// An X in the Disagree box only.
    Disagree,
    /// Both boxes: the row gives no vote (190 Art. 30 cl. 1).
    Both,
    /// Neither box: the row gives no vote.
    None,
}

impl Mark {
    /// The code written in files.
    pub fn code(self) -> &'static str {
        match self {
            Mark::Agree => "agree",
            Mark::Disagree => "disagree",
            Mark::Both => "both",
            Mark::None => "none",
        }
    }

    /// Reads a code written in files.
    pub fn from_code(code: &str) -> Option<Mark> {
        [Mark::Agree, Mark::Disagree, Mark::Both, Mark::None]
            .into_iter()
            .find(|mark| mark.code() == code)
    }
}

/// Why the counting committee ruled a ballot invalid, for what the engine cannot see on the
/// keyed ballot (190 Art. 8: the committee examines and rules on invalid ballots).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitteeReason {
    /// Not issued by the counting committee: no seal, not the official form.
    NotIssued,
    /// A name written in from outside the list.
    AddedName,
    /// A mark, signature or name that identifies the voter.
    IdentifyingMark,
    /// Any other ruling (an ambiguous crossing ruled invalid, …); say why in the note.
    Other,
}

impl CommitteeReason {
    /// Every reason, in the order reports list them.
    pub const ALL: [CommitteeReason; 4] = [
        CommitteeReason::NotIssued,
        CommitteeReason::AddedName,
        CommitteeReason::IdentifyingMark,
        CommitteeReason::Other,
    ];

    /// The code written in files.
    pub fn code(self) -> &'static str {
        match self {
            CommitteeReason::NotIssued => "not_issued",
            CommitteeReason::AddedName => "added_name",
            CommitteeReason::IdentifyingMark => "identifying_mark",
            CommitteeReason::Other => "other",
        }
    }

    /// Reads a code written in files.
    pub fn from_code(code: &str) -> Option<CommitteeReason> {
        CommitteeReason::ALL.into_iter().find(|reason| reason.code() == code)
    }
}

/// Why a ballot is invalid: the engine's own reasons or the committee's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvalidReason {
    /// Strike-through: more names left uncrossed than seats.
    TooManyKept,
    /// Strike-through: every name crossed out.
    NoneKept,
    /// Agree/disagree: no row marked exactly once.
    NoUsableMark,
    /// The counting committee's ruling.
    Committee(CommitteeReason),
}

impl InvalidReason {
    /// Every reason, in the order reports list them.
    pub const ALL: [InvalidReason; 7] = [
        InvalidReason::TooManyKept,
        InvalidReason::NoneKept,
        InvalidReason::NoUsableMark,
        InvalidReason::Committee(CommitteeReason::NotIssued),
        InvalidReason::Committee(CommitteeReason::AddedName),
        InvalidReason::Committee(CommitteeReason::IdentifyingMark),
        InvalidReason::Committee(CommitteeReason::Other),
    ];

    /// The code used in result files (`too_many_kept`, …, or the committee's reason).
    pub fn code(self) -> &'static str {
        match self {
            InvalidReason::TooManyKept => "too_many_kept",
            InvalidReason::NoneKept => "none_kept",
            InvalidReason::NoUsableMark => "no_usable_mark",
            InvalidReason::Committee(reason) => reason.code(),
        }
    }
}

/// The description of one election round, from already-valid parts.
#[derive(Debug, Clone)]
pub struct ElectionSpec {
    /// The rule pack.
    pub rules: RulePackId,
    /// What is being elected, as the minutes say it.
    pub title: String,
    /// The body or post.
    pub kind: ElectionKind,
    /// Regular or tie-break.
    pub round_type: RoundType,
    /// Seats to fill in this round (official delegates for `delegates`).
    pub seats: SeatCount,
    /// For a regular `delegates` round: how many alternates the congress may take from it.
    pub alternate_seats: u32,
    /// The approved list in ballot order.
    pub candidates: CandidateList,
    /// Who votes, and the base D.
    pub electorate: Electorate,
}

/// A round whose list fits its seats and whose base exists: ready to receive ballots.
#[derive(Debug, Clone)]
pub struct ElectionSetup {
    spec: ElectionSpec,
    form: BallotForm,
}

impl ElectionSetup {
    /// Checks the list against the seats (fewer names than seats, a tie-break round with no
    /// tie, alternates outside a regular delegates round) and fixes the ballot form.
    pub fn new(spec: ElectionSpec) -> Result<ElectionSetup, CountError> {
        if spec.alternate_seats > 0
            && (spec.kind != ElectionKind::Delegates || spec.round_type != RoundType::Regular)
        {
            return Err(CountError::AlternatesNotTaken { kind: spec.kind });
        }
        let form = BallotForm::for_list(spec.candidates.len(), spec.seats)?;
        if spec.round_type == RoundType::TieBreak && form != BallotForm::StrikeThrough {
            return Err(CountError::TieBreakWithoutTie {
                names: spec.candidates.len(),
                seats: spec.seats.get(),
            });
        }
        Ok(ElectionSetup { spec, form })
    }

    /// The description.
    pub fn spec(&self) -> &ElectionSpec {
        &self.spec
    }

    /// The ballot form the list calls for.
    pub fn form(&self) -> BallotForm {
        self.form
    }

    /// The rule pack.
    pub fn pack(&self) -> &'static RulePack {
        self.spec.rules.pack()
    }

    /// Opens the ballot box with the committee's ballot counts; more collected than issued is
    /// [`CountError::CollectedExceedsIssued`].
    pub fn open(self, issued: u32, collected: u32) -> Result<BallotBox, CountError> {
        BallotBox::open(self, issued, collected)
    }
}

/// A round with its ballots, all consistent: the input of [`tally`].
#[derive(Debug, Clone)]
pub struct Election {
    setup: ElectionSetup,
    issued: u32,
    collected: u32,
    cast: CastBallots,
}

impl Election {
    /// The description.
    pub fn spec(&self) -> &ElectionSpec {
        &self.setup.spec
    }

    /// The ballot form.
    pub fn form(&self) -> BallotForm {
        self.setup.form
    }

    /// The rule pack.
    pub fn pack(&self) -> &'static RulePack {
        self.setup.pack()
    }

    /// Ballots handed out.
    pub fn issued(&self) -> u32 {
        self.issued
    }

    /// Ballots in the box.
    pub fn collected(&self) -> u32 {
        self.collected
    }

    /// The ballots, resolved to dense indices.
    pub fn cast(&self) -> &CastBallots {
        &self.cast
    }
}
