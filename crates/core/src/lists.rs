//! placeholder: lists
