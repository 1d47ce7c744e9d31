//! The Vietnamese delegate allocation (congress-process §3.3): a crafted commune congress with
//! ex-officio delegates, checked figure by figure and as the whole explanation table against
//! `tests/data/allocation/*.expected.csv`; ties reported and decided; errors; and the total
//! always handed out exactly.
//!
//! Regenerate the expected tables (then review the diff):
//!
//! ```sh
//! UPDATE_EXPECT=1 cargo test -p daihoi-core --test allocation
//! ```

use std::num::NonZeroU64;
use std::path::Path;

use daihoi_core::apportion::{
    AllocationError, AllocationInput, AllocationUnit, AlternateRule, EXPLANATION_COLUMNS, Method,
    Rounding, Tie, allocate_delegates,
};
use proptest::prelude::*;

fn unit(name: &str, members: u64, ex_officio: u64, adjustment: u64) -> AllocationUnit {
    AllocationUnit { name: name.to_owned(), members, ex_officio, adjustment }
}

/// A commune party committee of 329 members electing 80 delegates; 15 members of the outgoing
/// committee are delegates ex officio; the police and military cells get one seat more.
fn commune() -> AllocationInput {
    let mut input = AllocationInput::new(
        80,
        vec![
            unit("Chi bộ Cơ quan Đảng ủy", 45, 6, 0),
            unit("Chi bộ Cơ quan UBND", 38, 4, 0),
            unit("Chi bộ Công an xã", 22, 1, 1),
            unit("Chi bộ Quân sự xã", 15, 1, 1),
            unit("Chi bộ Trường THCS", 27, 0, 0),
            unit("Chi bộ Trạm Y tế", 12, 1, 0),
            unit("Chi bộ Bản Him Lam 1", 64, 1, 0),
            unit("Chi bộ Bản Him Lam 2", 57, 1, 0),
            unit("Chi bộ Bản Noong Bua", 49, 0, 0),
        ],
    );
    input.alternates = AlternateRule::Share {
        numerator: 1,
        denominator: NonZeroU64::new(10).expect("10 is not zero"),
        rounding: Rounding::Up,
    };
    input
}

#[test]
fn commune_allocation_step_by_step() {
    let allocation = allocate_delegates(&commune()).expect("allocates");
    // 80 − 15 ex officio − 9 bases − 2 adjustments = 54 seats in proportion to 329 members.
    assert_eq!((allocation.pool, allocation.total_members), (54, 329));
    // Quotas 45 × 54/329 = 7 127/329 …; the floors make 50, and the 4 largest remainders
    // (319, 201, 166 and 152 /329: Trạm Y tế, Công an xã, Him Lam 1, Quân sự xã) take one
    // seat each.
    let proportional: Vec<u64> = allocation.rows.iter().map(|row| row.proportional).collect();
    assert_eq!(proportional, [7, 6, 4, 3, 4, 2, 11, 9, 8]);
    assert_eq!(allocation.rows[0].quota.to_string(), "7 127/329");
    let totals: Vec<u64> = allocation.rows.iter().map(|row| row.total).collect();
    assert_eq!(totals, [14, 11, 7, 6, 5, 4, 13, 11, 9]);
    assert_eq!(totals.iter().sum::<u64>(), 80);
    // 10% of the elected delegates, rounded up: Him Lam 1 elects 12, so 2 alternates.
    let alternates: Vec<u64> = allocation.rows.iter().map(|row| row.alternates).collect();
    assert_eq!(alternates, [1, 1, 1, 1, 1, 1, 2, 1, 1]);
    assert_eq!(allocation.decided_tie, None);
    check("commune", &allocation.explanation());
}

#[test]
fn tie_for_the_last_seat_waits_for_a_decision() {
    // 8 delegates − 3 bases = 5 in proportion to 20:20:30 members: quotas 10/7, 10/7, 15/7,
    // floors 1, 1, 2, and one seat left for the two equal remainders 3/7.
    let mut input = AllocationInput::new(
        8,
        vec![unit("Chi bộ A", 20, 0, 0), unit("Chi bộ B", 20, 0, 0), unit("Chi bộ C", 30, 0, 0)],
    );
    let tie = Tie { units: vec![0, 1], seats: 1 };
    assert_eq!(allocate_delegates(&input), Err(AllocationError::Tie(tie.clone())));

    input.tie_decision = vec![1];
    let allocation = allocate_delegates(&input).expect("decided");
    let elected: Vec<u64> = allocation.rows.iter().map(|row| row.elected).collect();
    assert_eq!(elected, [2, 3, 3]);
    assert_eq!(allocation.decided_tie, Some(tie.clone()));

    input.tie_decision = vec![2];
    assert_eq!(
        allocate_delegates(&input),
        Err(AllocationError::DecisionDoesNotFit { tie, decision: vec![2] })
    );
}

#[test]
fn divisor_method_for_the_proportional_split() {
    let mut input = commune();
    input.method = Method::DHondt;
    let allocation = allocate_delegates(&input).expect("allocates");
    assert_eq!(allocation.rows.iter().map(|row| row.total).sum::<u64>(), 80);
    // D'Hondt favours the largest unit: Him Lam 1 gets at least its Hamilton share.
    assert!(allocation.rows[6].proportional >= 11);
}

#[test]
fn errors_say_what_is_wrong() {
    let mut input = commune();
    input.total_seats = 25;
    assert_eq!(
        allocate_delegates(&input),
        Err(AllocationError::TooFewSeats { total: 25, fixed: 26 })
    );

    let mut input = commune();
    input.units[3].name = "Chi bo\u{0323}\u{0302} Co\u{0302}ng an xa\u{0303}".to_owned();
    assert_eq!(
        allocate_delegates(&input),
        Err(AllocationError::DuplicateUnit { unit: 3, first: 2 })
    );

    let mut input = commune();
    input.units[4].members = 0;
    assert_eq!(allocate_delegates(&input), Err(AllocationError::ZeroMembers { unit: 4 }));

    let mut input = commune();
    input.units[4].name = "  ".to_owned();
    assert_eq!(allocate_delegates(&input), Err(AllocationError::EmptyName { unit: 4 }));

    assert_eq!(
        allocate_delegates(&AllocationInput::new(10, Vec::new())),
        Err(AllocationError::NoUnits)
    );
}

/// Compares the explanation table, rendered as CSV (the names here hold no commas), with
/// `tests/data/allocation/NAME.expected.csv`.
fn check(name: &str, table: &[[String; 10]]) {
    let header: Vec<&str> = EXPLANATION_COLUMNS.iter().map(|(key, _, _)| *key).collect();
    let mut actual = header.join(",") + "\n";
    for row in table {
        actual.push_str(&row.join(","));
        actual.push('\n');
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/allocation")
        .join(format!("{name}.expected.csv"));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &actual).expect("write expectation");
    }
    let expected = std::fs::read_to_string(&path).expect("expected table");
    assert_eq!(actual, expected);
}

proptest! {
    #[test]
    fn every_seat_is_allocated(
        units in prop::collection::vec((1u64..500, 0u64..4, 0u64..2), 1..12),
        extra in 0u64..100,
        method in prop::sample::select(vec![Method::Hamilton, Method::DHondt, Method::SainteLague]),
    ) {
        let fixed: u64 = units.iter().map(|(_, ex, adj)| ex + adj + 1).sum();
        let mut input = AllocationInput::new(
            fixed + extra,
            units
                .iter()
                .enumerate()
                .map(|(i, &(members, ex, adj))| unit(&format!("Chi bộ {i}"), members, ex, adj))
                .collect(),
        );
        input.method = method;
        let allocation = match allocate_delegates(&input) {
            Ok(allocation) => allocation,
            Err(AllocationError::Tie(tie)) => {
                input.tie_decision = tie.units[..tie.seats as usize].to_vec();
                allocate_delegates(&input)
                    .map_err(|e| TestCaseError::fail(format!("decision did not settle: {e:?}")))?
            }
            Err(other) => return Err(TestCaseError::fail(format!("unexpected {other:?}"))),
        };
        prop_assert_eq!(allocation.pool, extra);
        prop_assert_eq!(allocation.rows.iter().map(|row| row.total).sum::<u64>(), fixed + extra);
        for (row, (_, ex, adj)) in allocation.rows.iter().zip(&units) {
            prop_assert_eq!(row.total, ex + row.base + row.proportional + adj);
            prop_assert!(row.elected >= 1);
        }
    }
}
