//! placeholder: ballot_order
