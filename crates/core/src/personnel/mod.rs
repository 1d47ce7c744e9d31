//! Personnel work for the new committee (congress-process §1, §4.1; forms-and-2025-targets
//! §B.4–B.5): ages and retirement, the age rules of each campaign, structure targets as data
//! with an evaluator, the 5-step procedure's threshold, and composition statistics.
//!
//! Everything here is a pure function of its inputs: the reference date ("thời điểm tính
//! tuổi") is always a parameter, never today.

pub mod age;
pub mod campaign;
pub mod stats;
pub mod steps;
pub mod targets;

pub use age::{
    Birth, Eligibility, RetirementSchedule, Track, age_at, eligibility, months_left,
    retirement_age_months, retirement_month,
};
pub use campaign::{Campaign, Level};
pub use stats::{Composition, compose};
pub use steps::{STEPS, StepOutcome, carry, passes, threshold};
pub use targets::{
    Bound, Metric, Plan, Profile, Ratio, Status, SurplusCheck, Target, TargetOutcome, evaluate,
    surplus_check,
};
