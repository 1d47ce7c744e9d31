//! Keyed counting: what a counting team types for one paper ballot, each team's pile as the
//! replay of its append-only entries (an undo is an entry too), and the ballot-by-ballot
//! comparison of two or three teams' piles.
//!
//! The clerk types only the numbers of the names crossed out (strike-through form) or marked
//! "không đồng ý" (agree/disagree form), then Enter. `0` is a ballot with nothing crossed;
//! `b3` / `n3` mark row 3 as both boxes / no box; `x1`…`x4` set a ballot aside as invalid for
//! a committee reason; `?` sets it aside as doubtful, for the counting committee to rule.
//! Nothing here decides anything the committee decides: discrepancies and doubtful ballots
//! stay open until a decision resolves them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::counting::{BallotForm, CommitteeReason};

/// One paper ballot as a team read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub enum KeyedBallot {
    /// Strike-through: the ballot positions (1-based) crossed out, ascending.
    Crossed {
        /// Crossed positions.
        n: Vec<u32>,
    },
    /// Agree/disagree: rows other than those listed are "đồng ý".
    Marks {
        /// Rows marked "không đồng ý".
        disagree: Vec<u32>,
        /// Rows with both boxes marked.
        both: Vec<u32>,
        /// Rows with no box marked.
        none: Vec<u32>,
    },
    /// Set aside as invalid for a reason only the committee can see (no seal, added name, …).
    Invalid {
        /// The committee reason code.
        reason: String,
        /// The committee's note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Set aside for the counting committee to rule.
    Doubtful,
}

impl KeyedBallot {
    /// The keys that would produce this ballot (shown back to the clerk and in the entry log).
    pub fn keys(&self) -> String {
        let join = |prefix: &str, list: &[u32]| {
            list.iter().map(|n| format!("{prefix}{n}")).collect::<Vec<_>>().join(" ")
        };
        match self {
            KeyedBallot::Crossed { n } if n.is_empty() => "0".into(),
            KeyedBallot::Crossed { n } => join("", n),
            KeyedBallot::Marks { disagree, both, none } => {
                let parts: Vec<String> = [join("", disagree), join("b", both), join("n", none)]
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .collect();
                if parts.is_empty() { "0".into() } else { parts.join(" ") }
            }
            KeyedBallot::Invalid { reason, .. } => {
                let index = CommitteeReason::ALL
                    .iter()
                    .position(|r| r.code() == reason)
                    .map_or(4, |i| i + 1);
                format!("x{index}")
            }
            KeyedBallot::Doubtful => "?".into(),
        }
    }

    /// Whether the committee still has to rule on this ballot.
    pub fn is_doubtful(&self) -> bool {
        matches!(self, KeyedBallot::Doubtful)
    }
}

/// Why typed keys are not a ballot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Nothing typed: Enter alone never records a ballot.
    #[error("nothing typed; type 0 for a ballot with nothing crossed out")]
    Empty,
    /// A token that is not a number, `b`/`n` + number, `x1`–`x4`, `0` or `?`.
    #[error("cannot read \"{0}\"")]
    Unreadable(String),
    /// A number outside the list.
    #[error("there is no name number {number}; the list has {names}")]
    OutOfList {
        /// The number typed.
        number: u32,
        /// Names on the list.
        names: u32,
    },
    /// The same row twice.
    #[error("name number {0} typed twice")]
    Repeated(u32),
    /// `b`/`n` on a strike-through ballot.
    #[error("\"{0}\" is for agree/disagree ballots only")]
    NotThisForm(String),
    /// `x…` or `?` mixed with names.
    #[error("x and ? stand alone on a ballot")]
    Mixed,
}

impl KeyError {
    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            KeyError::Empty => "Chưa nhập gì; phiếu không gạch tên nào thì gõ 0.".into(),
            KeyError::Unreadable(token) => format!("Không đọc được “{token}”."),
            KeyError::OutOfList { number, names } => {
                format!("Không có tên số {number}; danh sách có {names} người.")
            }
            KeyError::Repeated(number) => format!("Số {number} được gõ hai lần."),
            KeyError::NotThisForm(token) => {
                format!("“{token}” chỉ dùng cho phiếu đồng ý / không đồng ý.")
            }
            KeyError::Mixed => "x và ? phải đứng riêng, không kèm số thứ tự tên.".into(),
        }
    }
}

/// Reads what a clerk typed for one ballot of a list of `names` in `form`.
pub fn parse_keys(input: &str, names: u32, form: BallotForm) -> Result<KeyedBallot, KeyError> {
    let tokens: Vec<String> = input
        .split(|c: char| c.is_whitespace() || c == ',' || c == '+' || c == ';')
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect();
    if tokens.is_empty() {
        return Err(KeyError::Empty);
    }
    if tokens.len() == 1 {
        let token = tokens[0].as_str();
        if token == "?" {
            return Ok(KeyedBallot::Doubtful);
        }
        if let Some(rest) = token.strip_prefix('x') {
            let index: usize = if rest.is_empty() {
                4
            } else {
                rest.parse().map_err(|_| KeyError::Unreadable(token.to_string()))?
            };
            let reason = CommitteeReason::ALL
                .get(index.wrapping_sub(1))
                .ok_or_else(|| KeyError::Unreadable(token.to_string()))?;
            return Ok(KeyedBallot::Invalid { reason: reason.code().to_string(), note: None });
        }
        if token == "0" || token == "-" {
            return Ok(match form {
                BallotForm::StrikeThrough => KeyedBallot::Crossed { n: Vec::new() },
                BallotForm::AgreeDisagree => {
                    KeyedBallot::Marks { disagree: Vec::new(), both: Vec::new(), none: Vec::new() }
                }
            });
        }
    }
    let mut rows: BTreeMap<u32, char> = BTreeMap::new();
    for token in &tokens {
        if token == "?" || token.starts_with('x') || token == "0" || token == "-" {
            return Err(KeyError::Mixed);
        }
        let (kind, digits) = match token.chars().next() {
            Some(c @ ('b' | 'n')) => (c, &token[1..]),
            _ => ('d', token.as_str()),
        };
        if kind != 'd' && form == BallotForm::StrikeThrough {
            return Err(KeyError::NotThisForm(token.clone()));
        }
        let number: u32 = digits.parse().map_err(|_| KeyError::Unreadable(token.clone()))?;
        if number == 0 || number > names {
            return Err(KeyError::OutOfList { number, names });
        }
        if rows.insert(number, kind).is_some() {
            return Err(KeyError::Repeated(number));
        }
    }
    let of = |kind: char| rows.iter().filter(|(_, k)| **k == kind).map(|(n, _)| *n).collect();
    Ok(match form {
        BallotForm::StrikeThrough => KeyedBallot::Crossed { n: of('d') },
        BallotForm::AgreeDisagree => {
            KeyedBallot::Marks { disagree: of('d'), both: of('b'), none: of('n') }
        }
    })
}

/// One stored entry of a team: a ballot, or the undo of the team's last ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PileEntry {
    /// A ballot.
    Ballot(KeyedBallot),
    /// Takes back the last ballot still in the pile.
    Undo,
}

/// A team's pile: its entries replayed in order.
pub fn replay<'a>(entries: impl IntoIterator<Item = &'a PileEntry>) -> Vec<KeyedBallot> {
    let mut pile = Vec::new();
    for entry in entries {
        match entry {
            PileEntry::Ballot(ballot) => pile.push(ballot.clone()),
            PileEntry::Undo => {
                pile.pop();
            }
        }
    }
    pile
}

/// A ballot on which the teams' readings differ (or one team has no ballot at that place).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Discrepancy {
    /// Ballot number in the piles, from 1.
    pub ballot: u32,
    /// Each team's reading, `None` where its pile is shorter.
    pub readings: Vec<(u32, Option<KeyedBallot>)>,
}

/// The ballots where the piles (team number, pile) disagree, in ballot order.
pub fn compare(piles: &[(u32, Vec<KeyedBallot>)]) -> Vec<Discrepancy> {
    let longest = piles.iter().map(|(_, pile)| pile.len()).max().unwrap_or(0);
    let mut out = Vec::new();
    for index in 0..longest {
        let readings: Vec<(u32, Option<KeyedBallot>)> =
            piles.iter().map(|(team, pile)| (*team, pile.get(index).cloned())).collect();
        if readings.windows(2).any(|pair| pair[0].1 != pair[1].1) {
            out.push(Discrepancy { ballot: index as u32 + 1, readings });
        }
    }
    out
}

/// A committee decision on one ballot: its reading, or that there is no such ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "d", rename_all = "snake_case")]
pub enum Resolution {
    /// The ballot reads so.
    Ballot {
        /// The reading.
        ballot: KeyedBallot,
    },
    /// No ballot at this place (a team keyed one too many).
    NoBallot,
}

/// What stops the final pile from being counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pending {
    /// Ballots (from 1) where the teams disagree and no decision was taken.
    pub discrepancies: Vec<u32>,
    /// Ballots (from 1) set aside as doubtful and not ruled yet.
    pub doubtful: Vec<u32>,
}

impl Pending {
    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.discrepancies.is_empty() && self.doubtful.is_empty()
    }
}

/// The final pile: the teams' common reading where they agree, the committee's decision
/// where it took one (a later decision on a ballot supersedes an earlier one), and what is
/// still pending. Returned ballots are in order, with their number (from 1).
pub fn final_pile(
    piles: &[(u32, Vec<KeyedBallot>)],
    decisions: &BTreeMap<u32, Resolution>,
) -> (Vec<(u32, KeyedBallot)>, Pending) {
    let longest = piles.iter().map(|(_, pile)| pile.len()).max().unwrap_or(0);
    let longest = longest.max(decisions.keys().last().map_or(0, |&n| n as usize));
    let mut ballots = Vec::with_capacity(longest);
    let mut pending = Pending { discrepancies: Vec::new(), doubtful: Vec::new() };
    for index in 0..longest {
        let number = index as u32 + 1;
        if let Some(resolution) = decisions.get(&number) {
            if let Resolution::Ballot { ballot } = resolution {
                if ballot.is_doubtful() {
                    pending.doubtful.push(number);
                }
                ballots.push((number, ballot.clone()));
            }
            continue;
        }
        let first = piles.first().and_then(|(_, pile)| pile.get(index));
        let agreed = piles.iter().all(|(_, pile)| pile.get(index) == first);
        match (agreed, first) {
            (true, Some(ballot)) => {
                if ballot.is_doubtful() {
                    pending.doubtful.push(number);
                }
                ballots.push((number, ballot.clone()));
            }
            _ => pending.discrepancies.push(number),
        }
    }
    (ballots, pending)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ST: BallotForm = BallotForm::StrikeThrough;
    const AD: BallotForm = BallotForm::AgreeDisagree;

    #[test]
    fn keys_read_as_ballots() {
        assert_eq!(parse_keys("3 1", 5, ST), Ok(KeyedBallot::Crossed { n: vec![1, 3] }));
        assert_eq!(parse_keys("0", 5, ST), Ok(KeyedBallot::Crossed { n: vec![] }));
        assert_eq!(parse_keys("  ", 5, ST), Err(KeyError::Empty));
        assert_eq!(parse_keys("6", 5, ST), Err(KeyError::OutOfList { number: 6, names: 5 }));
        assert_eq!(parse_keys("2,2", 5, ST), Err(KeyError::Repeated(2)));
        assert_eq!(parse_keys("b2", 5, ST), Err(KeyError::NotThisForm("b2".into())));
        assert_eq!(parse_keys("2 ?", 5, ST), Err(KeyError::Mixed));
        assert_eq!(parse_keys("?", 5, ST), Ok(KeyedBallot::Doubtful));
        assert_eq!(
            parse_keys("x1", 5, ST),
            Ok(KeyedBallot::Invalid { reason: "not_issued".into(), note: None })
        );
        assert_eq!(parse_keys("x9", 5, ST), Err(KeyError::Unreadable("x9".into())));
        assert_eq!(
            parse_keys("2 B1 n3", 3, AD),
            Ok(KeyedBallot::Marks { disagree: vec![2], both: vec![1], none: vec![3] })
        );
        assert_eq!(parse_keys("2 B1 n3", 3, AD).map(|b| b.keys()), Ok("2 b1 n3".into()));
        assert_eq!(parse_keys("abc", 3, AD), Err(KeyError::Unreadable("abc".into())));
    }

    #[test]
    fn undo_takes_back_the_last_ballot() {
        let a = KeyedBallot::Crossed { n: vec![1] };
        let b = KeyedBallot::Crossed { n: vec![2] };
        let entries = [
            PileEntry::Ballot(a.clone()),
            PileEntry::Ballot(b.clone()),
            PileEntry::Undo,
            PileEntry::Ballot(a.clone()),
        ];
        assert_eq!(replay(&entries), vec![a.clone(), a]);
        assert_eq!(replay(&[PileEntry::Undo]), Vec::<KeyedBallot>::new());
    }

    #[test]
    fn piles_compare_ballot_by_ballot_and_decisions_resolve() {
        let a = KeyedBallot::Crossed { n: vec![1] };
        let b = KeyedBallot::Crossed { n: vec![2] };
        let piles = vec![
            (1, vec![a.clone(), a.clone(), KeyedBallot::Doubtful]),
            (2, vec![a.clone(), b.clone(), KeyedBallot::Doubtful, b.clone()]),
        ];
        let found = compare(&piles);
        assert_eq!(found.iter().map(|d| d.ballot).collect::<Vec<_>>(), vec![2, 4]);
        let (pile, pending) = final_pile(&piles, &BTreeMap::new());
        assert_eq!(pending.discrepancies, vec![2, 4]);
        assert_eq!(pending.doubtful, vec![3]);
        assert_eq!(pile.len(), 2);
        let mut decisions = BTreeMap::new();
        decisions.insert(2, Resolution::Ballot { ballot: b.clone() });
        decisions.insert(4, Resolution::NoBallot);
        decisions.insert(3, Resolution::Ballot { ballot: a.clone() });
        let (pile, pending) = final_pile(&piles, &decisions);
        assert!(pending.is_empty());
        assert_eq!(pile, vec![(1, a.clone()), (2, b), (3, a)]);
    }
}
