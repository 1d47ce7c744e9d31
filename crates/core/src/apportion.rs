//! placeholder: apportion
