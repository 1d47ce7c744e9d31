//! The ballot box: cast ballots resolved from candidate ids to dense 16-bit indices once, at
//! the edge, and stored flat so the count is a tight loop over integers.

use super::{BallotForm, CastProblem, CommitteeReason, CountError, Election, ElectionSetup, Mark};

/// The ballots of one round in compact form.
///
/// A strike-through ballot is stored as the list of its crossed names or of its kept names,
/// whichever is shorter, so that counting it costs the smaller of the two. An agree/disagree
/// ballot is stored as the rows with a mark other than `none`, with their marks. Identical
/// ballots may share one entry with a count. Committee rulings are kept with their notes. The
/// order of entries carries no meaning.
#[derive(Debug, Clone, Default)]
pub struct CastBallots {
    /// Ballot positions of every entry, one after the other.
    pub(super) positions: Vec<u16>,
    /// Agree/disagree: the mark of each stored position.
    pub(super) marks: Vec<Mark>,
    /// End of each entry in `positions`.
    pub(super) ends: Vec<usize>,
    /// Number of identical ballots of each entry.
    pub(super) counts: Vec<u32>,
    /// Strike-through: whether the entry lists its kept names (else its crossed names).
    pub(super) lists_kept: Vec<bool>,
    pub(super) rulings: Vec<Ruling>,
}

/// A committee ruling as entered: reason, optional note, number of ballots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Ruling {
    pub(super) reason: CommitteeReason,
    pub(super) note: Option<String>,
    pub(super) count: u32,
}

impl CastBallots {
    /// Number of stored entries (marked ballots and rulings).
    pub fn n_entries(&self) -> usize {
        self.counts.len() + self.rulings.len()
    }
}

/// The open ballot box of one round: push each cast entry, then [`BallotBox::close`].
#[derive(Debug)]
pub struct BallotBox {
    setup: ElectionSetup,
    issued: u32,
    collected: u32,
    cast: CastBallots,
    n_pushed: usize,
    /// Scratch: which positions the entry being pushed already named.
    seen: Vec<bool>,
}

impl BallotBox {
    pub(super) fn open(
        setup: ElectionSetup,
        issued: u32,
        collected: u32,
    ) -> Result<BallotBox, CountError> {
        // Not covered by the Party texts; a count with more ballots than were handed out would
        // be a guess, so the committee must decide first (typically a new vote).
        if collected > issued {
            return Err(CountError::CollectedExceedsIssued { collected, issued });
        }
        let n_candidates = setup.spec().candidates.len();
        let cast = CastBallots::default();
        Ok(BallotBox {
            setup,
            issued,
            collected,
            cast,
            n_pushed: 0,
            seen: vec![false; n_candidates],
        })
    }

    /// The setup the box was opened for.
    pub fn setup(&self) -> &ElectionSetup {
        &self.setup
    }

    /// Pushes `count` identical strike-through ballots on which the names `crossed` are
    /// crossed out (every other name is kept, i.e. voted for).
    pub fn push_crossed<'i>(
        &mut self,
        crossed: impl IntoIterator<Item = &'i str>,
        count: u32,
    ) -> Result<(), CountError> {
        let entry = self.n_pushed;
        if self.setup.form() != BallotForm::StrikeThrough {
            return Err(self.problem(CastProblem::WrongForm { list_form: self.setup.form() }));
        }
        let start = self.cast.positions.len();
        for id in crossed {
            if let Err(problem) = self.resolve(id) {
                self.rollback(start);
                return Err(CountError::Cast { entry, problem });
            }
        }
        if count == 0 {
            self.rollback(start);
            return Err(self.problem(CastProblem::ZeroCount));
        }
        let n_candidates = self.seen.len();
        let n_crossed = self.cast.positions.len() - start;
        let lists_kept = n_candidates - n_crossed < n_crossed;
        if lists_kept {
            // Fewer names kept than crossed: store the kept ones. One pass over the list both
            // collects them and clears the scratch marks.
            self.cast.positions.truncate(start);
            for (position, seen) in self.seen.iter_mut().enumerate() {
                if *seen {
                    *seen = false;
                } else {
                    // position < MAX_CANDIDATES, so it fits in 16 bits.
                    self.cast.positions.push(u16::try_from(position).unwrap_or(u16::MAX));
                }
            }
        } else {
            self.clear_seen(start);
        }
        self.cast.ends.push(self.cast.positions.len());
        self.cast.counts.push(count);
        self.cast.lists_kept.push(lists_kept);
        self.n_pushed += 1;
        Ok(())
    }

    /// Pushes `count` identical agree/disagree ballots with these row marks (rows not given
    /// are `none`).
    pub fn push_marks<'i>(
        &mut self,
        marks: impl IntoIterator<Item = (&'i str, Mark)>,
        count: u32,
    ) -> Result<(), CountError> {
        let entry = self.n_pushed;
        if self.setup.form() != BallotForm::AgreeDisagree {
            return Err(self.problem(CastProblem::WrongForm { list_form: self.setup.form() }));
        }
        let start = self.cast.positions.len();
        for (id, mark) in marks {
            if let Err(problem) = self.resolve(id) {
                self.rollback(start);
                return Err(CountError::Cast { entry, problem });
            }
            self.cast.marks.push(mark);
        }
        self.clear_seen(start);
        // `none` rows carry nothing; dropping them keeps the stored ballot minimal.
        let mut kept = start;
        for read in start..self.cast.positions.len() {
            if self.cast.marks[read] != Mark::None {
                self.cast.positions[kept] = self.cast.positions[read];
                self.cast.marks[kept] = self.cast.marks[read];
                kept += 1;
            }
        }
        self.cast.positions.truncate(kept);
        self.cast.marks.truncate(kept);
        if count == 0 {
            self.cast.positions.truncate(start);
            self.cast.marks.truncate(start);
            return Err(self.problem(CastProblem::ZeroCount));
        }
        self.cast.ends.push(self.cast.positions.len());
        self.cast.counts.push(count);
        self.n_pushed += 1;
        Ok(())
    }

    /// Pushes `count` ballots the counting committee ruled invalid.
    pub fn push_invalid(
        &mut self,
        reason: CommitteeReason,
        note: Option<String>,
        count: u32,
    ) -> Result<(), CountError> {
        if count == 0 {
            return Err(self.problem(CastProblem::ZeroCount));
        }
        self.cast.rulings.push(Ruling { reason, note, count });
        self.n_pushed += 1;
        Ok(())
    }

    /// Closes the box: the entries' counts must add up to the ballots collected.
    pub fn close(self) -> Result<Election, CountError> {
        let marked: u64 = self.cast.counts.iter().map(|&count| u64::from(count)).sum();
        let ruled: u64 = self.cast.rulings.iter().map(|ruling| u64::from(ruling.count)).sum();
        let counted = marked + ruled;
        if counted != u64::from(self.collected) {
            return Err(CountError::CastCountMismatch { counted, collected: self.collected });
        }
        Ok(Election {
            setup: self.setup,
            issued: self.issued,
            collected: self.collected,
            cast: self.cast,
        })
    }

    fn problem(&self, problem: CastProblem) -> CountError {
        CountError::Cast { entry: self.n_pushed, problem }
    }

    /// Appends the dense index of `id`, refusing unknown and repeated ids.
    fn resolve(&mut self, id: &str) -> Result<(), CastProblem> {
        let Some(position) = self.setup.spec().candidates.dense_index(id) else {
            return Err(CastProblem::UnknownCandidate { id: id.to_owned() });
        };
        let seen = &mut self.seen[usize::from(position)];
        if *seen {
            return Err(CastProblem::RepeatedCandidate { id: id.to_owned() });
        }
        *seen = true;
        self.cast.positions.push(position);
        Ok(())
    }

    /// Resets the scratch marks of the entry that started at `start`, touching only the
    /// positions it named, so a long list costs nothing per short ballot.
    fn clear_seen(&mut self, start: usize) {
        for &position in &self.cast.positions[start..] {
            self.seen[usize::from(position)] = false;
        }
    }

    fn rollback(&mut self, start: usize) {
        self.clear_seen(start);
        self.cast.positions.truncate(start);
        self.cast.marks.truncate(start.min(self.cast.marks.len()));
    }
}
