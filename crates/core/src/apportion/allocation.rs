//! Allocating a congress's delegate seats among the subordinate units, step by step, with every
//! step kept for the explanation table the convening committee publishes.
//!
//! Regulation 29-QĐ/TW (2016) item 11.2, carried into 24-QĐ/TW (2021): the convening
//! committee allocates by the units' member counts, their subordinate committees and their
//! importance. No official formula exists; this follows the suggested algorithm of
//! congress-process §3.3:
//!
//! 1. ex-officio delegates (members of the outgoing committee) sit in the units where they are
//!    active;
//! 2. the seats left are the total minus the ex-officio delegates;
//! 3. every unit gets a base (1 by default);
//! 4. after the fixed importance adjustments are set aside, the rest is split in proportion to
//!    official members (largest remainder by default);
//! 5. the importance adjustments are added;
//! 6. alternates are set per unit by a rule.
//!
//! An exact tie for the last proportional seat stops the allocation until people decide it.

use std::fmt;
use std::num::NonZeroU64;

use super::{ApportionError, Fraction, Method, Rules, Tie, apportion, apportion_with};
use crate::vn::nfc;

/// One subordinate unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationUnit {
    /// The unit's name as printed.
    pub name: String,
    /// Official members (đảng viên chính thức), the measure of the proportional split.
    pub members: u64,
    /// Members of the outgoing committee active in this unit (đại biểu đương nhiên).
    pub ex_officio: u64,
    /// Extra seats for the unit's importance (vị trí quan trọng), fixed by the committee.
    pub adjustment: u64,
}

/// How many alternates (đại biểu dự khuyết) each unit elects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlternateRule {
    /// No alternates.
    None,
    /// The same number for every unit.
    PerUnit(u64),
    /// A share of the unit's elected delegates (ex-officio delegates have no alternates),
    /// `numerator / denominator`, rounded as given.
    Share {
        /// Numerator of the share (10 with denominator 100 for "10%").
        numerator: u64,
        /// Denominator of the share.
        denominator: NonZeroU64,
        /// How a fractional number of alternates is rounded.
        rounding: Rounding,
    },
}

/// Rounding of a fractional count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Down to the whole number below.
    Down,
    /// Up to the whole number above.
    Up,
    /// To the nearest whole number, halves up.
    HalfUp,
}

/// What the convening committee decided: the total and how to split it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationInput {
    /// Delegates of the congress, ex officio included (set by the upper committee).
    pub total_seats: u64,
    /// The units, in the order the table lists them.
    pub units: Vec<AllocationUnit>,
    /// Seats every unit receives before the proportional split.
    pub base_per_unit: u64,
    /// Method of the proportional split.
    pub method: Method,
    /// Alternates per unit.
    pub alternates: AlternateRule,
    /// If the last proportional seat(s) were tied, the units (indices into `units`) the
    /// committee decided should take them; empty until a tie has been decided.
    pub tie_decision: Vec<usize>,
}

impl AllocationInput {
    /// The usual set-up: a base of 1 per unit, largest remainder, no alternates, no decision.
    pub fn new(total_seats: u64, units: Vec<AllocationUnit>) -> AllocationInput {
        AllocationInput {
            total_seats,
            units,
            base_per_unit: 1,
            method: Method::Hamilton,
            alternates: AlternateRule::None,
            tie_decision: Vec::new(),
        }
    }
}

/// One unit's line of the explanation table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationRow {
    /// The unit's name.
    pub unit: String,
    /// Official members.
    pub members: u64,
    /// Ex-officio delegates (step 1).
    pub ex_officio: u64,
    /// Base seats (step 3).
    pub base: u64,
    /// The unit's exact share of the proportional pool, `members × pool / all members`.
    pub quota: Fraction,
    /// Seats from the proportional split (step 4).
    pub proportional: u64,
    /// Importance adjustment (step 5).
    pub adjustment: u64,
    /// Delegates the unit's congress elects: base + proportional + adjustment.
    pub elected: u64,
    /// The unit's delegation: ex officio + elected.
    pub total: u64,
    /// Alternates the unit's congress elects (step 6).
    pub alternates: u64,
}

/// The allocation, one row per unit in input order, with the figures of every step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    /// One row per unit, in input order.
    pub rows: Vec<AllocationRow>,
    /// Seats split in proportion to members (step 4).
    pub pool: u64,
    /// All official members of all units.
    pub total_members: u64,
    /// The tie the committee decided through [`AllocationInput::tie_decision`], if one arose.
    pub decided_tie: Option<Tie>,
}

/// Column keys and headings of the explanation table, Vietnamese and English:
/// `(key, vi, en)`.
pub const EXPLANATION_COLUMNS: [(&str, &str, &str); 10] = [
    ("unit", "Đơn vị", "Unit"),
    ("members", "Đảng viên chính thức", "Official members"),
    ("ex_officio", "Đại biểu đương nhiên", "Ex-officio delegates"),
    ("base", "Suất cơ bản", "Base seats"),
    ("quota", "Hạn ngạch theo tỷ lệ", "Proportional quota"),
    ("proportional", "Phân bổ theo tỷ lệ", "Proportional seats"),
    ("adjustment", "Điều chỉnh (vị trí quan trọng)", "Importance adjustment"),
    ("elected", "Đại biểu được bầu", "Elected delegates"),
    ("total", "Tổng số đại biểu", "Total delegates"),
    ("alternates", "Đại biểu dự khuyết", "Alternates"),
];

impl Allocation {
    /// The explanation table as text cells, columns as [`EXPLANATION_COLUMNS`]: one row per
    /// unit, then a totals row whose first cell is `Σ` (the quota cell holds the pool).
    pub fn explanation(&self) -> Vec<[String; 10]> {
        let mut table: Vec<[String; 10]> = self
            .rows
            .iter()
            .map(|row| {
                [
                    row.unit.clone(),
                    row.members.to_string(),
                    row.ex_officio.to_string(),
                    row.base.to_string(),
                    row.quota.to_string(),
                    row.proportional.to_string(),
                    row.adjustment.to_string(),
                    row.elected.to_string(),
                    row.total.to_string(),
                    row.alternates.to_string(),
                ]
            })
            .collect();
        let sum = |field: fn(&AllocationRow) -> u64| -> String {
            self.rows.iter().map(field).sum::<u64>().to_string()
        };
        table.push([
            "Σ".to_owned(),
            self.total_members.to_string(),
            sum(|row| row.ex_officio),
            sum(|row| row.base),
            self.pool.to_string(),
            sum(|row| row.proportional),
            sum(|row| row.adjustment),
            sum(|row| row.elected),
            sum(|row| row.total),
            sum(|row| row.alternates),
        ]);
        table
    }
}

/// Why the delegates could not be allocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllocationError {
    /// No units.
    NoUnits,
    /// A unit without a name.
    EmptyName {
        /// Index of the unit.
        unit: usize,
    },
    /// Two units with the same name (compared in NFC, surrounding space ignored).
    DuplicateUnit {
        /// Index of the second occurrence.
        unit: usize,
        /// Index of the first.
        first: usize,
    },
    /// A unit with no official members.
    ZeroMembers {
        /// Index of the unit.
        unit: usize,
    },
    /// The total does not cover the ex-officio delegates, the bases and the adjustments.
    TooFewSeats {
        /// The total asked for.
        total: u64,
        /// Seats fixed before the proportional split: ex officio + bases + adjustments.
        fixed: u64,
    },
    /// The last proportional seat(s) are exactly tied: the committee must decide, and pass
    /// its decision in [`AllocationInput::tie_decision`].
    Tie(Tie),
    /// The decision does not name exactly `tie.seats` distinct units of the tie.
    DecisionDoesNotFit {
        /// The tie that arose.
        tie: Tie,
        /// The decision given.
        decision: Vec<usize>,
    },
    /// The proportional split itself failed (limits, or too few seats for Huntington–Hill's
    /// one seat per unit).
    Proportional(ApportionError),
}

impl fmt::Display for AllocationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AllocationError::NoUnits => f.write_str("no units to allocate delegates to"),
            AllocationError::EmptyName { unit } => write!(f, "unit #{} has no name", unit + 1),
            AllocationError::DuplicateUnit { unit, first } => {
                write!(f, "unit #{} has the same name as unit #{}", unit + 1, first + 1)
            }
            AllocationError::ZeroMembers { unit } => {
                write!(f, "unit #{} has no official members", unit + 1)
            }
            AllocationError::TooFewSeats { total, fixed } => write!(
                f,
                "{total} delegates do not cover the {fixed} fixed before the proportional split"
            ),
            AllocationError::Tie(tie) => write!(
                f,
                "exact tie for the last {} proportional seat(s) among {} units",
                tie.seats,
                tie.units.len()
            ),
            AllocationError::DecisionDoesNotFit { tie, .. } => write!(
                f,
                "the tie decision must name exactly {} of the {} tied units",
                tie.seats,
                tie.units.len()
            ),
            AllocationError::Proportional(error) => write!(f, "proportional split: {error}"),
        }
    }
}

impl std::error::Error for AllocationError {}

/// Allocates the delegates of a congress among its subordinate units (steps above).
pub fn allocate_delegates(input: &AllocationInput) -> Result<Allocation, AllocationError> {
    check_units(&input.units)?;
    let units = &input.units;
    let n_units = units.len() as u128;
    let ex_officio: u128 = units.iter().map(|unit| u128::from(unit.ex_officio)).sum();
    let adjustments: u128 = units.iter().map(|unit| u128::from(unit.adjustment)).sum();
    let fixed = ex_officio + n_units * u128::from(input.base_per_unit) + adjustments;
    let Some(pool) = u128::from(input.total_seats).checked_sub(fixed) else {
        return Err(AllocationError::TooFewSeats {
            total: input.total_seats,
            fixed: u64::try_from(fixed).unwrap_or(u64::MAX),
        });
    };
    // `pool` ≤ total_seats, a u64.
    let pool = u64::try_from(pool).unwrap_or(u64::MAX);

    let members: Vec<u64> = units.iter().map(|unit| unit.members).collect();
    let rules = Rules { method: input.method, min_per_unit: 0 };
    let (proportional, decided_tie) = match apportion(&members, pool, rules) {
        Ok(seats) => (seats, None),
        Err(ApportionError::Tie(tie)) if !input.tie_decision.is_empty() => {
            let seats = apportion_with(&members, pool, rules, &input.tie_decision)
                .map_err(proportional_error)?;
            (seats, Some(tie))
        }
        Err(error) => return Err(proportional_error(error)),
    };

    let total_members: u64 = members.iter().sum();
    let rows = units
        .iter()
        .zip(proportional)
        .map(|(unit, proportional)| {
            let elected = input.base_per_unit + proportional + unit.adjustment;
            AllocationRow {
                unit: unit.name.clone(),
                members: unit.members,
                ex_officio: unit.ex_officio,
                base: input.base_per_unit,
                quota: Fraction::new(
                    u128::from(unit.members) * u128::from(pool),
                    u128::from(total_members),
                )
                // Every unit has members (checked), so the denominator is never 0.
                .unwrap_or(Fraction::ZERO),
                proportional,
                adjustment: unit.adjustment,
                elected,
                total: unit.ex_officio + elected,
                alternates: alternates(input.alternates, elected),
            }
        })
        .collect();
    Ok(Allocation { rows, pool, total_members, decided_tie })
}

fn check_units(units: &[AllocationUnit]) -> Result<(), AllocationError> {
    if units.is_empty() {
        return Err(AllocationError::NoUnits);
    }
    let mut names: Vec<(String, usize)> = Vec::with_capacity(units.len());
    for (index, unit) in units.iter().enumerate() {
        let name = nfc(unit.name.trim());
        if name.is_empty() {
            return Err(AllocationError::EmptyName { unit: index });
        }
        if unit.members == 0 {
            return Err(AllocationError::ZeroMembers { unit: index });
        }
        names.push((name, index));
    }
    names.sort();
    for pair in names.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(AllocationError::DuplicateUnit { unit: pair[1].1, first: pair[0].1 });
        }
    }
    Ok(())
}

fn proportional_error(error: ApportionError) -> AllocationError {
    match error {
        ApportionError::Tie(tie) => AllocationError::Tie(tie),
        ApportionError::DecisionDoesNotFit { tie, decision } => {
            AllocationError::DecisionDoesNotFit { tie, decision }
        }
        other => AllocationError::Proportional(other),
    }
}

/// Alternates for a unit electing `elected` delegates.
fn alternates(rule: AlternateRule, elected: u64) -> u64 {
    match rule {
        AlternateRule::None => 0,
        AlternateRule::PerUnit(count) => count,
        AlternateRule::Share { numerator, denominator, rounding } => {
            let scaled = u128::from(elected) * u128::from(numerator);
            let denominator = u128::from(denominator.get());
            let count = match rounding {
                Rounding::Down => scaled / denominator,
                Rounding::Up => scaled.div_ceil(denominator),
                Rounding::HalfUp => (2 * scaled + denominator) / (2 * denominator),
            };
            u64::try_from(count).unwrap_or(u64::MAX)
        }
    }
}
