//! Apportionment speed: 10,000 units and 10,000 seats for each method, and a delegate
//! allocation among 3,321 commune committees (the number of communes after the 2025 merger).
//! Figures in BENCHMARKS.md, "Ballot order and apportionment".

use daihoi_core::apportion::{
    AllocationError, AllocationInput, AllocationUnit, ApportionError, Method, Rules,
    allocate_delegates, apportion,
};

fn main() {
    divan::main();
}

/// Deterministic pseudo-random numbers (splitmix64), so every run measures the same input.
fn numbers(seed: u64) -> impl Iterator<Item = u64> {
    let mut state = seed;
    std::iter::repeat_with(move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    })
}

/// Member counts of `n` units, 20 to 20,000 each.
fn members(n: usize) -> Vec<u64> {
    numbers(7).take(n).map(|x| 20 + x % 19_981).collect()
}

#[divan::bench(args = Method::ALL)]
fn ten_thousand_units_ten_thousand_seats(bencher: divan::Bencher<'_, '_>, method: Method) {
    let members = members(10_000);
    let rules = Rules { method, min_per_unit: 0 };
    bencher.bench(|| {
        // A tie is a legitimate outcome; it is computed just as fast.
        match apportion(divan::black_box(&members), 10_000, rules) {
            Ok(seats) => seats.len(),
            Err(ApportionError::Tie(tie)) => tie.units.len(),
            Err(error) => panic!("benchmark input is valid: {error}"),
        }
    });
}

/// Huntington–Hill gives the 10,000 units one seat each and is done in the case above; this
/// one makes every method hand out many seats per unit.
#[divan::bench(args = Method::ALL)]
fn thousand_units_hundred_thousand_seats(bencher: divan::Bencher<'_, '_>, method: Method) {
    let members = members(1_000);
    let rules = Rules { method, min_per_unit: 0 };
    bencher.bench(|| match apportion(divan::black_box(&members), 100_000, rules) {
        Ok(seats) => seats.len(),
        Err(ApportionError::Tie(tie)) => tie.units.len(),
        Err(error) => panic!("benchmark input is valid: {error}"),
    });
}

#[divan::bench]
fn allocation_among_3321_communes(bencher: divan::Bencher<'_, '_>) {
    let units: Vec<AllocationUnit> = members(3_321)
        .into_iter()
        .zip(numbers(11))
        .enumerate()
        .map(|(i, (members, x))| AllocationUnit {
            name: format!("Đảng bộ xã {i}"),
            members,
            ex_officio: x % 3,
            adjustment: u64::from(x % 10 == 0),
        })
        .collect();
    let mut input = AllocationInput::new(40_000, units);
    // Units with equal member counts tie for the last seat, as they would in life; the
    // committee's decision is part of the input, and is checked on every run.
    if let Err(AllocationError::Tie(tie)) = allocate_delegates(&input) {
        input.tie_decision = tie.units[..tie.seats as usize].to_vec();
    }
    bencher.bench(|| match allocate_delegates(divan::black_box(&input)) {
        Ok(allocation) => allocation.rows.len(),
        Err(error) => panic!("benchmark input allocates: {error}"),
    });
}
