//! daihoi-format: the public file formats, read and written at the edge.
//!
//! Wire-shaped structs (serde) live here; one `resolve` step per format turns them into
//! `daihoi_core` types and reports every problem with the JSON path, file line or cell where it
//! is. Nothing here guesses: input that cannot be read exactly is an error.

pub mod apportion_csv;
pub mod election;
pub mod members_file;
pub mod names;
pub mod rule_pack;
pub mod table;
pub mod units_file;
