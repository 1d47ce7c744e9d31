//! One module per subcommand: its `Args` (or `Command`) and its `run`.

pub mod apportion;
pub mod audit;
pub mod ballot_order;
pub mod demo;
pub mod export;
pub mod generate;
pub mod import;
pub mod rules;
pub mod serve;
pub mod tally;
pub mod token;
pub mod user;
