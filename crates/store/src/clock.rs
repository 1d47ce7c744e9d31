//! The only place the store reads the clock.

use time::{Date, OffsetDateTime, UtcOffset};

/// Milliseconds since the Unix epoch, now.
#[allow(clippy::disallowed_methods)] // this is the one sanctioned clock read
pub fn now_ms() -> i64 {
    let now = OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

/// Today's date in Vietnam (UTC+7, no daylight saving).
#[allow(clippy::disallowed_methods)]
pub fn today() -> Date {
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::now_utc().to_offset(offset).date()
}
