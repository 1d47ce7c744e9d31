//! placeholder: apportion_csv
