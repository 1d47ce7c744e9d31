//! placeholder: counting
