//! Progress bars on standard error (hidden when standard error is not a terminal, so logs and
//! tests stay clean).

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `total` rows with a message in front.
pub fn rows_bar(total: u64, message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template(
        "{msg} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} ({per_sec}, ~{eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(message);
    bar
}
