//! placeholder: election
