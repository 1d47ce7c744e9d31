//! placeholder: vn
