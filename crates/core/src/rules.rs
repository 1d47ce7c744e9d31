//! placeholder: rules
