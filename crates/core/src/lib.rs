//! daihoi-core: the rules of the congress campaign and the congress hall, as pure functions.
//!
//! Architecture Invariant: this crate does no I/O, reads no clock and draws no random numbers.
//! "Now", the working-day calendar and anything drawn by lot are parameters. A tidy test keeps
//! sqlx, tokio, axum and template engines out of its dependency tree.

pub mod access;
pub mod apportion;
pub mod attachment;
pub mod ballot_order;
pub mod calendar;
pub mod campaign;
pub mod counting;
pub mod date;
pub mod keyed;
pub mod lists;
pub mod member;
pub mod personnel;
pub mod prep;
pub mod records;
pub mod rules;
pub mod symbol;
pub mod unit;
pub mod vn;
