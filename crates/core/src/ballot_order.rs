//! The order of names on a ballot: Vietnamese A-B-C order by given name, then family name,
//! then middle names, then earlier birth date, then the order the names were given in.
//!
//! Election rules §3.4 (sample counting minutes, 244 era): the list is "sorted by the person's
//! given name in A, B, C order", and the results table follows the ballot order. The tie-breaks
//! after the given name follow the State election guidance, the default the rules reference
//! recommends for Party elections too. The order the congress approved is authoritative: this
//! computes the proposal, screens may let people override it.

use std::cmp::Ordering;

use time::Date;

use crate::vn::{PersonName, name_order_key};

/// One name on a candidate list, with the birth date printed beside it when names coincide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotEntry {
    /// The parsed name; title and aside are printed but not ordered on.
    pub name: PersonName,
    /// Date of birth, if known. Among identical names the earlier date comes first; names
    /// without a date come after those with one.
    pub birth_date: Option<Date>,
}

/// The ballot order of `entries`: a permutation of `0..entries.len()`, where `order[k]` is the
/// index of the entry printed in position `k`.
///
/// The sort is stable: entries with the same name and birth date keep their input order.
pub fn ballot_order(entries: &[BallotEntry]) -> Vec<usize> {
    let keys: Vec<Vec<u8>> = entries.iter().map(|entry| name_order_key(&entry.name)).collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        keys[a]
            .cmp(&keys[b])
            .then_with(|| birth_order(entries[a].birth_date, entries[b].birth_date))
    });
    order
}

/// Earlier birth date first; a missing date last.
fn birth_order(a: Option<Date>, b: Option<Date>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn entry(name: &str, birth_date: Option<Date>) -> BallotEntry {
        BallotEntry { name: PersonName::parse(name).unwrap(), birth_date }
    }

    #[test]
    fn identical_names_go_by_birth_date_then_input_order() {
        let entries = [
            entry("Nguyễn Văn An", None),
            entry("Nguyễn Văn An", Some(date!(1970 - 01 - 01))),
            entry("Nguyễn Văn An", Some(date!(1965 - 05 - 19))),
            entry("Nguyễn Văn An", None),
        ];
        assert_eq!(ballot_order(&entries), vec![2, 1, 0, 3]);
    }

    #[test]
    fn given_name_decides_first() {
        let entries = [entry("Trần Văn Út", None), entry("Nguyễn Văn Ẩn", None)];
        assert_eq!(ballot_order(&entries), vec![1, 0]);
    }
}
