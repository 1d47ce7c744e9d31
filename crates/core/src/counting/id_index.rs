//! Candidate id → ballot position, looked up once per name on every ballot while the box is
//! filled, so it is built for speed: an open-addressing table with a small FNV-1a hash.
//!
//! A fixed hash lets a crafted file pile ids into one cluster; if the table ends up with a
//! long run of occupied slots, lookups switch to binary search over the sorted ids, whose cost
//! no input can inflate. Both ways are deterministic.

/// Longest run of occupied slots the table accepts before falling back to binary search.
const MAX_RUN: usize = 32;

/// Marks an empty slot.
const EMPTY: u16 = u16::MAX;

#[derive(Debug, Clone)]
pub(super) struct IdIndex {
    /// Positions by hash slot, or the sorted `(id, position)` list when the table was refused.
    lookup: Lookup,
}

#[derive(Debug, Clone)]
enum Lookup {
    Table { slots: Vec<u16>, ids: Vec<String>, mask: usize },
    Sorted(Vec<(String, u16)>),
}

/// FNV-1a, 64-bit: a few instructions per byte, fine for short ids.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // Fold the high bits in: the table uses the low ones.
    hash ^ (hash >> 29)
}

impl IdIndex {
    /// Builds the index of `ids` (unique; their positions are their order, below `u16::MAX`).
    pub(super) fn new(ids: Vec<String>) -> IdIndex {
        let capacity = (ids.len() * 2).next_power_of_two().max(8);
        let mask = capacity - 1;
        let mut slots = vec![EMPTY; capacity];
        for (position, id) in ids.iter().enumerate() {
            let mut slot = usize::try_from(fnv1a(id.as_bytes())).unwrap_or(0) & mask;
            while slots[slot] != EMPTY {
                slot = (slot + 1) & mask;
            }
            slots[slot] = u16::try_from(position).unwrap_or(EMPTY);
        }
        if longest_run(&slots) > MAX_RUN {
            let mut sorted: Vec<(String, u16)> = ids
                .into_iter()
                .enumerate()
                .map(|(position, id)| (id, u16::try_from(position).unwrap_or(EMPTY)))
                .collect();
            sorted.sort_unstable();
            return IdIndex { lookup: Lookup::Sorted(sorted) };
        }
        IdIndex { lookup: Lookup::Table { slots, ids, mask } }
    }

    /// The position of `id`, if it is on the list.
    pub(super) fn get(&self, id: &str) -> Option<u16> {
        match &self.lookup {
            Lookup::Table { slots, ids, mask } => {
                let mut slot = usize::try_from(fnv1a(id.as_bytes())).unwrap_or(0) & mask;
                loop {
                    let position = slots[slot];
                    if position == EMPTY {
                        return None;
                    }
                    if ids[usize::from(position)] == id {
                        return Some(position);
                    }
                    slot = (slot + 1) & mask;
                }
            }
            Lookup::Sorted(sorted) => sorted
                .binary_search_by(|(known, _)| known.as_str().cmp(id))
                .ok()
                .map(|found| sorted[found].1),
        }
    }
}

/// The longest run of occupied slots, wrapping around the end of the table.
fn longest_run(slots: &[u16]) -> usize {
    let mut longest = 0;
    let mut run = 0;
    // Two passes over the table cover a run that wraps around; the table always has an empty
    // slot (capacity ≥ 2 × ids), so runs are finite.
    for &slot in slots.iter().chain(slots) {
        if slot == EMPTY {
            run = 0;
        } else {
            run += 1;
            longest = longest.max(run);
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::{IdIndex, Lookup};

    #[test]
    fn finds_every_id_and_nothing_else() {
        let ids: Vec<String> = (0..300).map(|n| format!("c{n}")).collect();
        let index = IdIndex::new(ids.clone());
        assert!(matches!(index.lookup, Lookup::Table { .. }));
        for (position, id) in ids.iter().enumerate() {
            assert_eq!(index.get(id), u16::try_from(position).ok());
        }
        assert_eq!(index.get("c300"), None);
        assert_eq!(index.get(""), None);
    }

    #[test]
    fn a_clustered_table_falls_back_to_binary_search() {
        // Ids chosen to land in one run of slots: the table is refused.
        let mut ids = Vec::new();
        let mut n = 0u32;
        while ids.len() < 40 {
            let id = format!("x{n}");
            // Same home slot in a table of 128 (40 ids → capacity 128).
            if super::fnv1a(id.as_bytes()) & 127 == 0 {
                ids.push(id);
            }
            n += 1;
        }
        let index = IdIndex::new(ids.clone());
        assert!(matches!(index.lookup, Lookup::Sorted(_)));
        for (position, id) in ids.iter().enumerate() {
            assert_eq!(index.get(id), u16::try_from(position).ok());
        }
        assert_eq!(index.get("x-1"), None);
    }
}
