//! Vietnamese dates, times, congress ordinals and terms as Party documents print them.
//!
//! Pure formatting: nothing here reads a clock. Callers pass the date or instant; instants are
//! shown in Vietnam time through the fixed [`VIETNAM_OFFSET`] (UTC+7, no daylight saving).

use std::fmt;

use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Vietnam's offset from UTC. Vietnam keeps UTC+7 all year (no daylight saving time), so a fixed
/// offset is exact and documents never depend on the host's time zone.
pub const VIETNAM_OFFSET: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("UTC+7 is a valid offset"),
};

/// The same instant, expressed in Vietnam time (UTC+7).
pub fn to_vietnam_time(instant: OffsetDateTime) -> OffsetDateTime {
    instant.to_offset(VIETNAM_OFFSET)
}

/// The Vietnam wall-clock date and time of an instant.
pub fn vietnam_wall_clock(instant: OffsetDateTime) -> PrimitiveDateTime {
    let local = to_vietnam_time(instant);
    PrimitiveDateTime::new(local.date(), local.time())
}

/// Day with the leading zero Party documents use for days 1–9: `07`, `14`.
///
/// HD 36-HD/VPTW (2018): "ngày 07 tháng 01 năm 2020" — days below 10 take a leading zero.
pub fn day_padded(date: Date) -> String {
    format!("{:02}", date.day())
}

/// Month as printed in the long date: January and February take a leading zero (`01`, `02`),
/// the other months do not (`4`, `12`).
///
/// HD 36-HD/VPTW (2018): the zero on months 1 and 2 stops "tháng 1" being read as the start of
/// "tháng 10"–"tháng 12" on a hand-filled form; months 3–9 need no such guard.
pub fn month_for_long_date(date: Date) -> String {
    let month = u8::from(date.month());
    if month <= 2 { format!("{month:02}") } else { month.to_string() }
}

/// The long date: `ngày 07 tháng 01 năm 2020`, `ngày 14 tháng 8 năm 2020`.
pub fn long_date(date: Date) -> String {
    format!("ngày {} tháng {} năm {}", day_padded(date), month_for_long_date(date), date.year())
}

/// The place-and-date line under "ĐẢNG CỘNG SẢN VIỆT NAM":
/// `Điện Biên Phủ, ngày 14 tháng 8 năm 2020`.
pub fn place_date(place: &str, date: Date) -> String {
    format!("{}, {}", place.trim(), long_date(date))
}

/// The short date without padding: `14/8/2020`, `7/1/2020`.
pub fn short_date(date: Date) -> String {
    format!("{}/{}/{}", date.day(), u8::from(date.month()), date.year())
}

/// The fixed-width date `dd/mm/yyyy`: `07/01/2020`, used in tables and logs.
pub fn dd_mm_yyyy(date: Date) -> String {
    format!("{:02}/{:02}/{}", date.day(), u8::from(date.month()), date.year())
}

/// Clock time as written in minutes: `14 giờ 05 phút`.
pub fn clock_time(time: Time) -> String {
    format!("{} giờ {:02} phút", time.hour(), time.minute())
}

/// Clock time `14:05`.
pub fn hh_mm(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// Clock time `14:05:09`.
pub fn hh_mm_ss(time: Time) -> String {
    format!("{:02}:{:02}:{:02}", time.hour(), time.minute(), time.second())
}

/// An instant in Vietnam time as `dd/mm/yyyy hh:mm:ss`, for logs and footers.
pub fn timestamp(instant: OffsetDateTime) -> String {
    let local = vietnam_wall_clock(instant);
    format!("{} {}", dd_mm_yyyy(local.date()), hh_mm_ss(local.time()))
}

/// Roman numeral for a congress ordinal (`7` → `VII`). `None` for 0 or above 3999, which have
/// no standard Roman form; no Party congress is numbered so.
pub fn roman(n: u32) -> Option<String> {
    if n == 0 || n > 3999 {
        return None;
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut rest = n;
    let mut out = String::new();
    for (value, letters) in TABLE {
        while rest >= value {
            out.push_str(letters);
            rest -= value;
        }
    }
    Some(out)
}

/// `lần thứ VII` for the 7th congress.
pub fn congress_ordinal(n: u32) -> Option<String> {
    roman(n).map(|numeral| format!("lần thứ {numeral}"))
}

/// A committee term (nhiệm kỳ): a start year strictly before the end year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Term {
    start_year: i32,
    end_year: i32,
}

/// Why a [`Term`] could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermError {
    /// The start year given.
    pub start_year: i32,
    /// The end year given.
    pub end_year: i32,
}

impl fmt::Display for TermError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "nhiệm kỳ {} - {} không hợp lệ: năm kết thúc phải sau năm bắt đầu",
            self.start_year, self.end_year
        )
    }
}

impl std::error::Error for TermError {}

impl Term {
    /// A term from `start_year` to `end_year`; the end must come after the start.
    pub fn new(start_year: i32, end_year: i32) -> Result<Self, TermError> {
        if end_year > start_year {
            Ok(Self { start_year, end_year })
        } else {
            Err(TermError { start_year, end_year })
        }
    }

    /// First year of the term.
    pub fn start_year(self) -> i32 {
        self.start_year
    }

    /// Last year of the term.
    pub fn end_year(self) -> i32 {
        self.end_year
    }

    /// `Nhiệm kỳ 2020 - 2025`, as the third line of a congress header.
    pub fn header_line(self) -> String {
        format!("Nhiệm kỳ {self}")
    }
}

/// `2020 - 2025`: the years joined by a spaced hyphen, as the forms print them.
impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} - {}", self.start_year, self.end_year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Month;
    use time::macros::{date, datetime, time};

    #[test]
    fn long_date_pads_days_below_ten_and_january_february() {
        assert_eq!(long_date(date!(2020 - 01 - 07)), "ngày 07 tháng 01 năm 2020");
        assert_eq!(long_date(date!(2018 - 02 - 20)), "ngày 20 tháng 02 năm 2018");
        assert_eq!(long_date(date!(2018 - 04 - 03)), "ngày 03 tháng 4 năm 2018");
        assert_eq!(long_date(date!(2020 - 08 - 14)), "ngày 14 tháng 8 năm 2020");
        assert_eq!(long_date(date!(2025 - 12 - 31)), "ngày 31 tháng 12 năm 2025");
        assert_eq!(long_date(date!(2025 - 10 - 10)), "ngày 10 tháng 10 năm 2025");
        assert_eq!(long_date(date!(2026 - 01 - 09)), "ngày 09 tháng 01 năm 2026");
    }

    #[test]
    fn months_three_to_nine_have_no_leading_zero() {
        for month in 3..=9u8 {
            let d = Date::from_calendar_date(2025, Month::try_from(month).unwrap(), 15).unwrap();
            assert_eq!(month_for_long_date(d), month.to_string());
        }
    }

    #[test]
    fn place_date_line() {
        assert_eq!(
            place_date("Điện Biên Phủ", date!(2020 - 08 - 14)),
            "Điện Biên Phủ, ngày 14 tháng 8 năm 2020"
        );
        assert_eq!(
            place_date("  Hà Nội ", date!(2026 - 01 - 09)),
            "Hà Nội, ngày 09 tháng 01 năm 2026"
        );
    }

    #[test]
    fn short_and_padded_dates() {
        assert_eq!(short_date(date!(2020 - 08 - 14)), "14/8/2020");
        assert_eq!(short_date(date!(2020 - 01 - 07)), "7/1/2020");
        assert_eq!(dd_mm_yyyy(date!(2020 - 01 - 07)), "07/01/2020");
        assert_eq!(dd_mm_yyyy(date!(2020 - 12 - 25)), "25/12/2020");
    }

    #[test]
    fn times() {
        assert_eq!(clock_time(time!(14:05)), "14 giờ 05 phút");
        assert_eq!(clock_time(time!(8:30)), "8 giờ 30 phút");
        assert_eq!(hh_mm(time!(8:05)), "08:05");
        assert_eq!(hh_mm_ss(time!(8:05:09)), "08:05:09");
    }

    #[test]
    fn vietnam_time_is_utc_plus_seven_all_year() {
        // 17:30 UTC on 31 Dec is already 1 Jan in Vietnam.
        let instant = datetime!(2025-12-31 17:30 UTC);
        let wall = vietnam_wall_clock(instant);
        assert_eq!(wall.date(), date!(2026 - 01 - 01));
        assert_eq!(wall.time(), time!(0:30));
        // Mid-year gives the same offset: no daylight saving.
        let summer = to_vietnam_time(datetime!(2025-07-01 00:00 UTC));
        assert_eq!(summer.offset().whole_hours(), 7);
        assert_eq!(timestamp(datetime!(2020-08-14 02:03:04 UTC)), "14/08/2020 09:03:04");
        // An instant given in another offset lands on the same wall clock.
        assert_eq!(timestamp(datetime!(2020-08-14 04:03:04 +2)), "14/08/2020 09:03:04");
    }

    #[test]
    fn roman_numerals() {
        let cases = [
            (1, "I"),
            (4, "IV"),
            (7, "VII"),
            (9, "IX"),
            (13, "XIII"),
            (14, "XIV"),
            (19, "XIX"),
            (24, "XXIV"),
            (40, "XL"),
            (49, "XLIX"),
            (90, "XC"),
            (400, "CD"),
            (1994, "MCMXCIV"),
            (3999, "MMMCMXCIX"),
        ];
        for (n, expected) in cases {
            assert_eq!(roman(n).as_deref(), Some(expected), "{n}");
        }
        assert_eq!(roman(0), None);
        assert_eq!(roman(4000), None);
        assert_eq!(congress_ordinal(7).as_deref(), Some("lần thứ VII"));
    }

    #[test]
    fn terms() {
        let term = Term::new(2020, 2025).unwrap();
        assert_eq!(term.to_string(), "2020 - 2025");
        assert_eq!(term.header_line(), "Nhiệm kỳ 2020 - 2025");
        assert_eq!((term.start_year(), term.end_year()), (2020, 2025));
        assert_eq!(Term::new(2025, 2025), Err(TermError { start_year: 2025, end_year: 2025 }));
        assert!(Term::new(2027, 2025).is_err());
    }

    proptest::proptest! {
        #[test]
        fn roman_numerals_are_distinct_and_use_roman_letters(a in 1u32..4000, b in 1u32..4000) {
            let ra = roman(a).unwrap();
            proptest::prop_assert!(ra.chars().all(|c| "IVXLCDM".contains(c)));
            proptest::prop_assert_eq!(ra == roman(b).unwrap(), a == b);
        }

        #[test]
        fn long_date_always_has_two_digit_day(julian in 2_400_000i32..2_500_000) {
            let d = Date::from_julian_day(julian).unwrap();
            let text = long_date(d);
            let day = &text["ngày ".len().."ngày ".len() + 2];
            proptest::prop_assert!(day.chars().all(|c| c.is_ascii_digit()));
            let year_suffix = format!("năm {}", d.year());
            proptest::prop_assert!(text.ends_with(&year_suffix));
        }
    }
}
