//! The working-day calendar of the public sector: Monday to Friday, minus the official days
//! off, plus the Saturdays made working days by a swap (hoán đổi).
//!
//! The campaign's deadlines are counted in working days (QĐ 24-QĐ/TW 2021, item 16.1: report
//! within 7 working days of closing, approval within 15 working days of receipt; the congress
//! date announced 30 working days ahead). The days off cannot be derived from rules alone —
//! the five Tết days and every swap are fixed each year by the Prime Minister — so they are
//! data: the Government's schedule for 2019–2026 is embedded (`data/vn-public-holidays.csv`),
//! and any calendar can be extended with more days off or working Saturdays. For a year the
//! data does not list, only the fixed solar holidays of the Labour Code (Art. 112: 1/1, 30/4,
//! 1/5, 2/9) with the next-working-day compensation of Art. 111(3) are applied; configure the
//! lunar holidays of such a year with [`WorkCalendar::add_day_off`].

use std::collections::BTreeSet;
use std::fmt;

use time::{Date, Duration, Month, Weekday};

/// The official schedule of days off, 2019–2026 (`date,kind,name,source`).
const VIETNAM_DAYS_OFF: &str = include_str!("../data/vn-public-holidays.csv");

/// A working-day calendar.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkCalendar {
    days_off: BTreeSet<Date>,
    working_saturdays: BTreeSet<Date>,
    /// Years whose schedule is given in full; other years fall back on the fixed holidays.
    listed_years: BTreeSet<i32>,
}

/// A line of a calendar file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CalendarError {}

impl WorkCalendar {
    /// The public sector's calendar with the Government's days off for 2019–2026.
    pub fn vietnam() -> WorkCalendar {
        WorkCalendar::from_csv(VIETNAM_DAYS_OFF).expect("the embedded calendar is well formed")
    }

    /// A calendar from a `date,kind,…` file (`kind` is `holiday` or `workday`). Every year
    /// with a listed day counts as fully listed; late-December rows of the next year's New
    /// Year break do not make their own year listed.
    pub fn from_csv(text: &str) -> Result<WorkCalendar, CalendarError> {
        let mut calendar = WorkCalendar::default();
        for (index, line) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = line.trim();
            if line.is_empty() || (index == 0 && line.starts_with("date,")) {
                continue;
            }
            let mut fields = line.splitn(3, ',');
            let date_text = fields.next().unwrap_or_default();
            let kind = fields.next().unwrap_or_default();
            let date = parse_iso(date_text).ok_or_else(|| CalendarError {
                line: line_no,
                message: format!("“{date_text}” is not a date (YYYY-MM-DD)"),
            })?;
            match kind {
                "holiday" => calendar.add_day_off(date),
                "workday" => calendar.add_working_saturday(date),
                other => {
                    return Err(CalendarError {
                        line: line_no,
                        message: format!("kind “{other}” is neither holiday nor workday"),
                    });
                }
            }
            // 29–31 December belong to the following year's New Year break.
            if !(date.month() == Month::December && date.day() >= 29) {
                calendar.listed_years.insert(date.year());
            }
        }
        Ok(calendar)
    }

    /// Adds a day off (a holiday, a compensatory or swapped day).
    pub fn add_day_off(&mut self, date: Date) {
        self.working_saturdays.remove(&date);
        self.days_off.insert(date);
    }

    /// Makes a weekend day a working day (the Saturday worked back for a swap).
    pub fn add_working_saturday(&mut self, date: Date) {
        self.days_off.remove(&date);
        self.working_saturdays.insert(date);
    }

    /// Marks a year as fully configured: the fixed-holiday fallback no longer applies to it.
    pub fn mark_year_listed(&mut self, year: i32) {
        self.listed_years.insert(year);
    }

    /// Whether the year's schedule is given in full (otherwise only fixed holidays apply).
    pub fn lists_year(&self, year: i32) -> bool {
        self.listed_years.contains(&year)
    }

    /// Whether public bodies work on this day.
    pub fn is_working_day(&self, date: Date) -> bool {
        if self.working_saturdays.contains(&date) {
            return true;
        }
        if is_weekend(date) || self.days_off.contains(&date) {
            return false;
        }
        if self.listed_years.contains(&date.year()) {
            return true;
        }
        !fixed_holiday_or_compensation(date)
    }

    /// The day `n` working days after `date` (`date` itself is not counted; with `n == 0` the
    /// first working day on or after `date`). "Within 7 working days of the closing day" ends
    /// on `add_working_days(closing, 7)`.
    pub fn add_working_days(&self, date: Date, n: u32) -> Date {
        let mut day = date;
        if n == 0 {
            while !self.is_working_day(day) {
                day = day.next_day().unwrap_or(day);
            }
            return day;
        }
        let mut left = n;
        while left > 0 {
            day = match day.next_day() {
                Some(next) => next,
                None => return day,
            };
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The day `n` working days before `date` (`date` itself not counted).
    pub fn sub_working_days(&self, date: Date, n: u32) -> Date {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = match day.previous_day() {
                Some(previous) => previous,
                None => return day,
            };
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days after `from` up to and including `to`; negative when `to` is earlier.
    /// `working_days_between(d, add_working_days(d, n)) == n`.
    pub fn working_days_between(&self, from: Date, to: Date) -> i64 {
        let (start, end, sign) = if from <= to { (from, to, 1) } else { (to, from, -1) };
        let mut count = 0i64;
        let mut day = start;
        while day < end {
            day = match day.next_day() {
                Some(next) => next,
                None => break,
            };
            if self.is_working_day(day) {
                count += 1;
            }
        }
        sign * count
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Labour Code 2019 Art. 112 (fixed solar dates) and Art. 111(3) (a holiday on the weekend
/// moves to the next working day), for years whose schedule was not configured.
fn fixed_holiday_or_compensation(date: Date) -> bool {
    let year = date.year();
    let fixed: Vec<Date> =
        [(Month::January, 1), (Month::April, 30), (Month::May, 1), (Month::September, 2)]
            .into_iter()
            .filter_map(|(month, day)| Date::from_calendar_date(year, month, day).ok())
            .collect();
    if fixed.contains(&date) {
        return true;
    }
    // Compensation: each weekend holiday pushes one day off to the next weekday that is not
    // itself a holiday or already taken (two weekend holidays in a row give two days).
    let mut taken: BTreeSet<Date> = fixed.iter().copied().collect();
    for holiday in fixed.iter().filter(|day| is_weekend(**day)) {
        let mut day = *holiday;
        loop {
            day += Duration::days(1);
            if !is_weekend(day) && !taken.contains(&day) {
                break;
            }
        }
        taken.insert(day);
        if day == date {
            return true;
        }
    }
    false
}

/// Parses `YYYY-MM-DD`.
pub fn parse_iso(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// Formats `YYYY-MM-DD`.
pub fn iso(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_embedded_schedule_lists_2019_to_2026() {
        let calendar = WorkCalendar::vietnam();
        for year in 2019..=2026 {
            assert!(calendar.lists_year(year), "{year}");
        }
        assert!(!calendar.lists_year(2018));
        assert!(!calendar.lists_year(2027));
    }

    #[test]
    fn swapped_saturdays_work_and_swapped_weekdays_rest() {
        let calendar = WorkCalendar::vietnam();
        assert!(calendar.is_working_day(date!(2024 - 05 - 04)), "Saturday 4/5/2024 was worked");
        assert!(!calendar.is_working_day(date!(2024 - 04 - 29)), "Monday 29/4/2024 was off");
        assert!(!calendar.is_working_day(date!(2025 - 05 - 02)));
        assert!(calendar.is_working_day(date!(2025 - 04 - 26)));
    }

    #[test]
    fn unlisted_years_fall_back_on_fixed_holidays_with_compensation() {
        let calendar = WorkCalendar::vietnam();
        assert!(!calendar.is_working_day(date!(2027 - 01 - 01)), "Friday New Year");
        assert!(!calendar.is_working_day(date!(2027 - 04 - 30)));
        // 1/5/2027 is a Saturday: Monday 3/5 is the compensatory day (Art. 111(3)).
        assert!(!calendar.is_working_day(date!(2027 - 05 - 03)));
        assert!(calendar.is_working_day(date!(2027 - 05 - 04)));
        let mut extended = calendar.clone();
        extended.add_day_off(date!(2027 - 04 - 16));
        assert!(!extended.is_working_day(date!(2027 - 04 - 16)), "Giỗ Tổ configured");
        assert!(calendar.is_working_day(date!(2027 - 04 - 16)));
    }

    #[test]
    fn adding_and_counting_agree() {
        let calendar = WorkCalendar::vietnam();
        let mut day = date!(2019 - 12 - 20);
        while day < date!(2026 - 12 - 31) {
            for n in [0u32, 1, 7, 15, 30] {
                let later = calendar.add_working_days(day, n);
                if n > 0 {
                    assert_eq!(
                        calendar.working_days_between(day, later),
                        i64::from(n),
                        "{day} + {n}"
                    );
                    assert!(calendar.sub_working_days(later, n) <= day, "{day} - {n}");
                }
                assert!(calendar.is_working_day(later));
            }
            day += Duration::days(5);
        }
    }

    #[test]
    fn bad_lines_are_named() {
        let error = WorkCalendar::from_csv("date,kind\n2020-13-01,holiday\n").unwrap_err();
        assert_eq!(error.line, 2);
        let error = WorkCalendar::from_csv("2020-01-01,feast\n").unwrap_err();
        assert!(error.message.contains("feast"));
    }
}
