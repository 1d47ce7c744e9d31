//! What a count produces: the figures the counting committee reads out, every decision with
//! the article it rests on, and what the congress has to decide next.

use std::fmt;

use serde::Serialize;

use super::{
    BallotForm, Base, CandidateId, CommitteeReason, ElectionKind, InvalidReason, RoundType,
};
use crate::rules::{Citation, CongressType, RulePack, RulePackId};

/// The result of counting one round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyReport {
    /// The rule pack the count followed.
    pub rules: RulePackId,
    /// What was elected, as the minutes say it.
    pub title: String,
    /// The body or post.
    pub kind: ElectionKind,
    /// Regular or tie-break.
    pub round_type: RoundType,
    /// The ballot form.
    pub form: BallotForm,
    /// Seats to fill in this round.
    pub seats: u32,
    /// Alternate places the congress may take from this round.
    pub alternate_seats: u32,
    /// The congress type.
    pub congress: CongressType,
    /// Those summoned.
    pub summoned: u32,
    /// Those present when voting.
    pub present: u32,
    /// The majority base D and its derivation.
    pub base: Base,
    /// The fewest votes that are more than half of D; `None` in a tie-break round.
    pub threshold: Option<u64>,
    /// Ballot figures.
    pub ballots: BallotSummary,
    /// One row per candidate, in ballot order.
    pub candidates: Vec<CandidateResult>,
    /// Elected, highest votes first (equal votes in ballot order). Never more than `seats`.
    pub elected: Vec<CandidateId>,
    /// Alternates proposed to the congress, highest votes first.
    pub alternates: Vec<CandidateId>,
    /// Seats left empty, not counting seats held for a tie-break (those are `tie.seats`).
    pub unfilled_seats: u32,
    /// Qualified candidates with equal votes competing for the last seats; none is elected.
    pub tie: Option<Tie>,
    /// Qualified candidates with equal votes competing for the last alternate places; none is
    /// proposed as an alternate.
    pub alternate_tie: Option<Tie>,
    /// How the round ended.
    pub outcome: Outcome,
    /// Concerns that did not stop the count.
    pub warnings: Vec<Warning>,
}

/// Ballot figures of a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotSummary {
    /// Handed out (phiếu phát ra).
    pub issued: u32,
    /// In the box (phiếu thu về).
    pub collected: u32,
    /// Valid (phiếu hợp lệ).
    pub valid: u64,
    /// Invalid (phiếu không hợp lệ).
    pub invalid: u64,
    /// Invalid ballots per reason, in [`InvalidReason::ALL`] order, only reasons that occur.
    pub invalid_by_reason: Vec<(InvalidReason, u64)>,
    /// Committee rulings that came with a note, as entered.
    pub ruling_notes: Vec<RulingNote>,
}

/// A committee ruling with its note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulingNote {
    /// The reason.
    pub reason: CommitteeReason,
    /// The note.
    pub note: String,
    /// Ballots it covers.
    pub count: u32,
}

/// One candidate's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateResult {
    /// The id.
    pub id: CandidateId,
    /// The name.
    pub name: String,
    /// Votes from valid ballots.
    pub votes: u64,
    /// Votes as a percentage of D (display only).
    pub percent_of_base: Percent,
    /// `2 × votes > D`.
    pub qualified: bool,
    /// Elected in this round.
    pub elected: bool,
    /// Proposed as an alternate.
    pub alternate: bool,
    /// Agree / disagree / no-mark counts, for agree/disagree ballots.
    pub marks: Option<MarkTally>,
}

/// Per-row counts of an agree/disagree ballot, over valid ballots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkTally {
    /// Agree (the votes).
    pub agree: u64,
    /// Disagree.
    pub disagree: u64,
    /// Both boxes or neither: no vote either way.
    pub no_mark: u64,
}

/// Candidates with equal votes competing for fewer places than they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    /// The tied candidates, in ballot order.
    pub candidates: Vec<CandidateId>,
    /// Places they compete for.
    pub seats: u32,
    /// Their votes.
    pub votes: u64,
}

/// How a round ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every seat is filled.
    Complete,
    /// A tie at the last seat: a tie-break round among the tied is needed.
    TieBreakNeeded,
    /// Seats are left empty: the congress decides whether to hold another round.
    SeatsUnfilled,
}

impl Outcome {
    /// The code used in result files.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Complete => "complete",
            Outcome::TieBreakNeeded => "tie_break_needed",
            Outcome::SeatsUnfilled => "seats_unfilled",
        }
    }
}

/// A concern that does not stop the count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A committee or standing-committee list with no surplus.
    NoSurplus {
        /// Seats.
        seats: u32,
        /// Names.
        names: usize,
    },
    /// A list whose surplus is above the cap.
    SurplusOverCap {
        /// Seats.
        seats: u32,
        /// Names.
        names: usize,
        /// Names minus seats.
        surplus: u64,
        /// The cap.
        cap: u32,
    },
    /// More present than the base D.
    PresentAboveBase {
        /// Present.
        present: u32,
        /// D.
        base: u32,
    },
    /// More ballots handed out than voters present.
    IssuedAbovePresent {
        /// Issued.
        issued: u32,
        /// Present.
        present: u32,
    },
    /// Alternates with equal votes: their order of replacement is for the congress.
    AlternatesEqualVotes {
        /// The alternates concerned, in ballot order.
        candidates: Vec<CandidateId>,
        /// Their votes.
        votes: u64,
    },
}

impl Warning {
    /// The code used in result files.
    pub fn code(&self) -> &'static str {
        match self {
            Warning::NoSurplus { .. } => "no_surplus",
            Warning::SurplusOverCap { .. } => "surplus_over_cap",
            Warning::PresentAboveBase { .. } => "present_above_base",
            Warning::IssuedAbovePresent { .. } => "issued_above_present",
            Warning::AlternatesEqualVotes { .. } => "alternates_equal_votes",
        }
    }

    /// The article the concern rests on.
    pub fn cites(&self, pack: &RulePack, congress: CongressType) -> Citation {
        match self {
            Warning::NoSurplus { .. } | Warning::SurplusOverCap { .. } => pack.surplus.cites,
            Warning::PresentAboveBase { .. } => pack.base_rule(congress).cites,
            Warning::IssuedAbovePresent { .. } => pack.articles.counting_committee,
            Warning::AlternatesEqualVotes { .. } => pack.articles.delegates,
        }
    }
}

/// A decision in the report, for which the report can name the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The base D and who is subtracted.
    Base,
    /// More than half of D.
    Threshold,
    /// Which ballots are valid.
    BallotValidity,
    /// The counting committee's rulings on ballots.
    CommitteeRulings,
    /// Who is elected: highest votes among those with more than half.
    Elected,
    /// A tie at the last seat.
    Tie,
    /// A tie-break round: highest votes win without more than half.
    TieBreakRound,
    /// Alternates from the delegates' list.
    Alternates,
    /// Seats left empty: another round is for the congress to decide.
    FurtherRound,
    /// The surplus on the list.
    Surplus,
}

impl Decision {
    /// The code used in result files.
    pub fn code(self) -> &'static str {
        match self {
            Decision::Base => "base",
            Decision::Threshold => "threshold",
            Decision::BallotValidity => "ballot_validity",
            Decision::CommitteeRulings => "committee_rulings",
            Decision::Elected => "elected",
            Decision::Tie => "tie",
            Decision::TieBreakRound => "tie_break_round",
            Decision::Alternates => "alternates",
            Decision::FurtherRound => "further_round",
            Decision::Surplus => "surplus",
        }
    }
}

/// What the congress does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// Nothing: every seat is filled.
    Complete,
    /// A tie-break round among these candidates for these seats.
    TieBreakRound {
        /// The tied candidates.
        candidates: Vec<CandidateId>,
        /// Seats they compete for.
        seats: u32,
    },
    /// The congress decides whether to hold another round for the empty seats (and whether
    /// names may be added to the list).
    FurtherRound {
        /// Seats left empty.
        seats: u32,
    },
    /// The congress approves the proposed alternates.
    ApproveAlternates {
        /// Proposed alternates, highest votes first.
        alternates: Vec<CandidateId>,
    },
    /// The congress decides the tie for the last alternate places.
    AlternateTie {
        /// The tied candidates.
        candidates: Vec<CandidateId>,
        /// Places they compete for.
        seats: u32,
    },
    /// Alternates are taken once the official seats are settled by the tie-break round.
    AlternatesAfterTieBreak,
}

impl TallyReport {
    /// The rule pack.
    pub fn pack(&self) -> &'static RulePack {
        self.rules.pack()
    }

    /// The decisions this report contains, each with the article it rests on.
    pub fn decisions(&self) -> Vec<(Decision, Citation)> {
        let pack = self.pack();
        let mut decisions = vec![
            (Decision::Base, self.base.cites()),
            (Decision::BallotValidity, pack.articles.ballot_validity),
        ];
        if self.round_type == RoundType::Regular {
            decisions.insert(1, (Decision::Threshold, self.base.cites()));
        }
        if self
            .ballots
            .invalid_by_reason
            .iter()
            .any(|(reason, _)| matches!(reason, InvalidReason::Committee(_)))
        {
            decisions.push((Decision::CommitteeRulings, pack.articles.counting_committee));
        }
        decisions.push((Decision::Elected, pack.articles.results));
        if self.round_type == RoundType::TieBreak {
            decisions.push((Decision::TieBreakRound, pack.tie.cites));
        }
        if self.tie.is_some() {
            decisions.push((Decision::Tie, pack.tie.cites));
        }
        if self.alternate_seats > 0 {
            decisions.push((Decision::Alternates, pack.articles.delegates));
        }
        if self.unfilled_seats > 0 {
            // 244 Art. 20 cl. 2 (190 Art. 18) covers delegates; other bodies follow the same
            // practice without a located article.
            let cites = match self.kind {
                ElectionKind::Delegates | ElectionKind::AlternateDelegates => {
                    pack.articles.further_rounds
                }
                _ => pack.articles.further_rounds_other,
            };
            decisions.push((Decision::FurtherRound, cites));
        }
        if self
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::NoSurplus { .. } | Warning::SurplusOverCap { .. }))
        {
            decisions.push((Decision::Surplus, pack.surplus.cites));
        }
        decisions
    }

    /// What the congress does next, most urgent first.
    pub fn next_steps(&self) -> Vec<NextStep> {
        let mut steps = Vec::new();
        if let Some(tie) = &self.tie {
            steps.push(NextStep::TieBreakRound {
                candidates: tie.candidates.clone(),
                seats: tie.seats,
            });
        }
        if self.unfilled_seats > 0 {
            steps.push(NextStep::FurtherRound { seats: self.unfilled_seats });
        }
        if self.alternate_seats > 0 {
            if self.tie.is_some() {
                steps.push(NextStep::AlternatesAfterTieBreak);
            } else {
                if !self.alternates.is_empty() {
                    steps.push(NextStep::ApproveAlternates { alternates: self.alternates.clone() });
                }
                if let Some(tie) = &self.alternate_tie {
                    steps.push(NextStep::AlternateTie {
                        candidates: tie.candidates.clone(),
                        seats: tie.seats,
                    });
                }
            }
        }
        if steps.is_empty() {
            steps.push(NextStep::Complete);
        }
        steps
    }
}

/// A percentage with a fixed number of decimals, rounded half up, computed in integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent {
    scaled: u64,
    decimals: u32,
}

impl Percent {
    /// `part / whole × 100` with `decimals` decimals, rounded half up; `whole` must be
    /// positive (D always is). Zero `whole` gives 0.
    pub fn of(part: u64, whole: u64, decimals: u32) -> Percent {
        if whole == 0 {
            return Percent { scaled: 0, decimals };
        }
        let scale = 10u128.pow(decimals.min(18)) * 100;
        // round half up: floor((2 · part · scale + whole) / (2 · whole))
        let numerator = 2 * u128::from(part) * scale + u128::from(whole);
        let scaled = numerator / (2 * u128::from(whole));
        Percent { scaled: u64::try_from(scaled).unwrap_or(u64::MAX), decimals: decimals.min(18) }
    }

    /// The value times 10^decimals (`7895` for 78.95).
    pub fn scaled(self) -> u64 {
        self.scaled
    }

    /// The text with a chosen decimal separator (`,` in Vietnamese).
    pub fn with_separator(self, separator: char) -> String {
        if self.decimals == 0 {
            return self.scaled.to_string();
        }
        let divisor = 10u64.pow(self.decimals);
        let width = usize::try_from(self.decimals).unwrap_or(0);
        format!(
            "{}{separator}{:0width$}",
            self.scaled / divisor,
            self.scaled % divisor,
            width = width
        )
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.with_separator('.'))
    }
}

#[cfg(test)]
mod tests {
    use super::Percent;

    #[test]
    fn percent_rounds_half_up_in_integers() {
        assert_eq!(Percent::of(6, 11, 2).to_string(), "54.55");
        assert_eq!(Percent::of(5, 10, 2).to_string(), "50.00");
        assert_eq!(Percent::of(501, 1001, 2).to_string(), "50.05");
        assert_eq!(Percent::of(1, 800, 2).to_string(), "0.13");
        assert_eq!(Percent::of(3, 800, 2).to_string(), "0.38");
        assert_eq!(Percent::of(1, 3, 2).to_string(), "33.33");
        assert_eq!(Percent::of(2, 3, 2).to_string(), "66.67");
        assert_eq!(Percent::of(30, 38, 2).with_separator(','), "78,95");
        assert_eq!(Percent::of(7, 7, 2).to_string(), "100.00");
    }
}
