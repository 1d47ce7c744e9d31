//! Election-list rules checked before ballots are printed: the surplus of a list, the
//! floor-nomination test, narrowing an over-long list by opinion ballot, and one office per
//! ballot.
//!
//! There is deliberately no helper that derives a secretary (or any post) from another
//! election's ranking: the top vote-getter for the committee does not become secretary; every
//! post has its own ballot (dangcongsan.vn Q&A 76136; test T5).

use std::collections::HashSet;

use serde::Serialize;
use thiserror::Error;

use crate::counting::{CandidateId, SeatCount};
use crate::rules::{Citation, ElectionKind, RulePack, RulePackId};

/// A list that breaks a list rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ListError {
    /// Fewer names than seats.
    #[error("{names} names for {seats} seats; a list needs at least as many names as seats")]
    TooFewNames {
        /// Names.
        names: usize,
        /// Seats.
        seats: u32,
    },
    /// A body that must be elected with a surplus has none.
    #[error("the list for {} needs more names than seats ({seats})", .kind.code())]
    NoSurplus {
        /// The body.
        kind: ElectionKind,
        /// Seats.
        seats: u32,
    },
    /// The surplus is above the cap.
    #[error("a surplus of {surplus} is above the cap of {cap} for {seats} seats")]
    SurplusOverCap {
        /// Seats.
        seats: u32,
        /// Names minus seats.
        surplus: usize,
        /// The cap.
        cap: u32,
    },
    /// The rule pack has no floor-nomination test.
    #[error("rule pack {} has no floor-nomination test", .rules.code())]
    NoFloorNominationRule {
        /// The pack.
        rules: RulePackId,
    },
    /// More agreeing than present.
    #[error("{agree} agreeing is more than the {present} present")]
    AgreeAbovePresent {
        /// Agreeing.
        agree: u32,
        /// Present.
        present: u32,
    },
    /// A name twice in the opinion-ballot results.
    #[error("candidate \"{id}\" given twice")]
    RepeatedCandidate {
        /// The id.
        id: CandidateId,
    },
    /// One ballot for several offices (e.g. chi ủy, bí thư and phó bí thư together).
    #[error("one ballot may carry one office only; got {}", offices_text(.offices))]
    CombinedBallot {
        /// The offices asked for.
        offices: Vec<ElectionKind>,
    },
    /// A ballot for no office.
    #[error("a ballot needs an office")]
    NoOffice,
}

fn offices_text(offices: &[ElectionKind]) -> String {
    offices.iter().map(|kind| kind.code()).collect::<Vec<_>>().join(", ")
}

/// A list whose surplus passed the check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurplusCheck {
    /// Seats.
    pub seats: u32,
    /// Names.
    pub names: usize,
    /// Names minus seats.
    pub surplus: usize,
    /// Whether the body must have a surplus (and so the cap applies).
    pub required: bool,
    /// The cap, where it applies.
    pub cap: Option<u32>,
    /// The rule.
    pub cites: Citation,
}

/// Checks the surplus of a list of `names` for `seats` of `kind` (190 Art. 14 cl. 1): the
/// executive and standing committees need more names than seats, at most 30% of the seats
/// more (rounded down, at least 1). For other posts a surplus is allowed but not required.
pub fn check_surplus(
    pack: &RulePack,
    kind: ElectionKind,
    seats: SeatCount,
    names: usize,
) -> Result<SurplusCheck, ListError> {
    let seats_count = seats.get();
    let seats_usize = usize::try_from(seats_count).unwrap_or(usize::MAX);
    if names < seats_usize {
        return Err(ListError::TooFewNames { names, seats: seats_count });
    }
    let surplus = names - seats_usize;
    let rule = &pack.surplus;
    let required = rule.is_required(kind);
    if !required {
        return Ok(SurplusCheck {
            seats: seats_count,
            names,
            surplus,
            required,
            cap: None,
            cites: rule.cites,
        });
    }
    let cap = rule.cap(seats_count);
    if surplus == 0 {
        return Err(ListError::NoSurplus { kind, seats: seats_count });
    }
    if surplus > usize::try_from(cap).unwrap_or(usize::MAX) {
        return Err(ListError::SurplusOverCap { seats: seats_count, surplus, cap });
    }
    Ok(SurplusCheck {
        seats: seats_count,
        names,
        surplus,
        required,
        cap: Some(cap),
        cites: rule.cites,
    })
}

/// The opinion-ballot test of a person nominated at the congress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FloorNomination {
    /// Whether the congress may consider adding the person to the list.
    pub admitted: bool,
    /// Opinion-ballot votes agreeing.
    pub agree: u32,
    /// Present at the congress.
    pub present: u32,
    /// The fewest agreeing votes that pass.
    pub needed: u32,
    /// The rule.
    pub cites: Citation,
}

/// The floor-nomination test (190 Art. 14 cl. 2–3): more than 30% of those present must agree,
/// strictly (`agree × 100 > 30 × present`).
pub fn floor_nominee(
    pack: &RulePack,
    agree: u32,
    present: u32,
) -> Result<FloorNomination, ListError> {
    let Some(rule) = &pack.floor_nomination else {
        return Err(ListError::NoFloorNominationRule { rules: pack.id });
    };
    if agree > present {
        return Err(ListError::AgreeAbovePresent { agree, present });
    }
    let product = u64::from(rule.percent) * u64::from(present);
    let needed = if rule.strict { product / 100 + 1 } else { product.div_ceil(100) };
    Ok(FloorNomination {
        admitted: rule.passes(agree, present),
        agree,
        present,
        needed: u32::try_from(needed).unwrap_or(u32::MAX),
        cites: rule.cites,
    })
}

/// The result of narrowing a list by opinion ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Narrowing {
    /// The most names the list may keep: seats plus the surplus cap.
    pub max_names: usize,
    /// Names kept, highest votes first (all names when no narrowing is needed).
    pub kept: Vec<CandidateId>,
    /// Names dropped, highest votes first (tied names are in neither list).
    pub dropped: Vec<CandidateId>,
    /// Names with equal votes straddling the last place: the congress decides.
    pub tie: Option<NarrowingTie>,
    /// The rule.
    pub cites: Citation,
}

/// Equal votes at the narrowing cut-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NarrowingTie {
    /// The tied names, in input order.
    pub candidates: Vec<CandidateId>,
    /// Places left for them.
    pub places: usize,
    /// Their votes.
    pub votes: u64,
}

/// Narrows an over-long list: names are taken from the most opinion-ballot votes downward
/// until the surplus is at most the cap (the XII National Congress practice, T8; 190 Art. 14).
/// Equal votes straddling the last place are reported, never chosen among.
pub fn narrow_list(
    pack: &RulePack,
    seats: SeatCount,
    opinion: &[(CandidateId, u64)],
) -> Result<Narrowing, ListError> {
    let mut seen = HashSet::with_capacity(opinion.len());
    for (id, _) in opinion {
        if !seen.insert(id) {
            return Err(ListError::RepeatedCandidate { id: id.clone() });
        }
    }
    let seats_count = seats.get();
    let seats_usize = usize::try_from(seats_count).unwrap_or(usize::MAX);
    if opinion.len() < seats_usize {
        return Err(ListError::TooFewNames { names: opinion.len(), seats: seats_count });
    }
    let cap = usize::try_from(pack.surplus.cap(seats_count)).unwrap_or(usize::MAX);
    let max_names = seats_usize.saturating_add(cap);
    let mut ranked: Vec<usize> = (0..opinion.len()).collect();
    ranked.sort_by(|&a, &b| opinion[b].1.cmp(&opinion[a].1).then(a.cmp(&b)));
    let id = |position: &usize| opinion[*position].0.clone();
    if ranked.len() <= max_names {
        return Ok(Narrowing {
            max_names,
            kept: ranked.iter().map(id).collect(),
            dropped: Vec::new(),
            tie: None,
            cites: pack.surplus.cites,
        });
    }
    let last_votes = opinion[ranked[max_names - 1]].1;
    let (taken, tie_end) = if opinion[ranked[max_names]].1 == last_votes {
        let first = ranked.iter().position(|&p| opinion[p].1 == last_votes).unwrap_or(0);
        let end = ranked.iter().rposition(|&p| opinion[p].1 == last_votes).map_or(0, |i| i + 1);
        (first, end)
    } else {
        (max_names, max_names)
    };
    let tie = (tie_end > taken).then(|| {
        let mut tied = ranked[taken..tie_end].to_vec();
        tied.sort_unstable();
        NarrowingTie {
            candidates: tied.iter().map(id).collect(),
            places: max_names - taken,
            votes: last_votes,
        }
    });
    Ok(Narrowing {
        max_names,
        kept: ranked[..taken].iter().map(id).collect(),
        dropped: ranked[tie_end.max(taken)..].iter().map(id).collect(),
        tie,
        cites: pack.surplus.cites,
    })
}

/// Checks that a ballot carries one office: chi ủy, bí thư and phó bí thư are elected on
/// separate ballots (244 Art. 19 cl. 9; camau.dcs.vn Q&A 23; test T6).
pub fn single_office_ballot(offices: &[ElectionKind]) -> Result<ElectionKind, ListError> {
    let mut distinct: Vec<ElectionKind> = Vec::new();
    for &office in offices {
        if !distinct.contains(&office) {
            distinct.push(office);
        }
    }
    match distinct.as_slice() {
        [] => Err(ListError::NoOffice),
        [office] => Ok(*office),
        _ => Err(ListError::CombinedBallot { offices: distinct }),
    }
}
