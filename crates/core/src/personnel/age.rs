//! Age at a reference date, retirement age by sex and birth date, and the months of working
//! time left before retirement, counted the way the directives count them.
//!
//! Months are whole calendar months: a man born in 09/1965 retiring at 60 reaches that age in
//! 09/2025, and at a reference month of 09/2020 he has exactly 60 months (one full term) left.
//! This is the reading that reproduces the birth-date thresholds printed in HD 26-HD/BTCTW
//! (2019): "first time, born on or after 09/1965" at a 09/2020 provincial congress.

use serde::Serialize;
use time::{Date, Month};

use crate::member::Sex;

/// A birth date, or only a year when the file records no more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Birth {
    /// The full date.
    Date(Date),
    /// Only the year: HD 26 (2019) takes the birth date as 1 January of that year.
    Year(i32),
}

impl Birth {
    /// The date the rules use (1 January when only the year is known).
    pub fn date(self) -> Date {
        match self {
            Birth::Date(date) => date,
            Birth::Year(year) => {
                Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN)
            }
        }
    }

    /// Parses `YYYY-MM-DD`, `DD/MM/YYYY`, `MM/YYYY` or `YYYY-MM` (first of the month), or `YYYY`.
    pub fn parse(text: &str) -> Option<Birth> {
        let text = text.trim();
        let number = |s: &str| s.parse::<i32>().ok();
        let make = |y: i32, m: i32, d: i32| {
            let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
            Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()
        };
        let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
        let date = match parts.as_slice() {
            [y] if y.len() == 4 => {
                return number(y).filter(|y| (1900..=2100).contains(y)).map(Birth::Year);
            }
            [y, m, d] if y.len() == 4 => make(number(y)?, number(m)?, number(d)?)?,
            [d, m, y] if y.len() == 4 => make(number(y)?, number(m)?, number(d)?)?,
            [m, y] if y.len() == 4 => make(number(y)?, number(m)?, 1)?,
            [y, m] if y.len() == 4 => make(number(y)?, number(m)?, 1)?,
            _ => return None,
        };
        (1900..=2100).contains(&date.year()).then_some(Birth::Date(date))
    }

    /// `YYYY-MM-DD`, or `YYYY` when only the year is known (the stored form).
    pub fn to_text(self) -> String {
        match self {
            Birth::Date(date) => {
                format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
            }
            Birth::Year(year) => format!("{year:04}"),
        }
    }

    /// `DD/MM/YYYY`, or the year alone, as printed on Vietnamese forms.
    pub fn display(self) -> String {
        match self {
            Birth::Date(date) => {
                format!("{:02}/{:02}/{:04}", date.day(), u8::from(date.month()), date.year())
            }
            Birth::Year(year) => year.to_string(),
        }
    }
}

/// Full years of age at `at`.
pub fn age_at(birth: Birth, at: Date) -> i32 {
    let birth = birth.date();
    let mut years = at.year() - birth.year();
    if (at.month() as u8, at.day()) < (birth.month() as u8, birth.day()) {
        years -= 1;
    }
    years
}

fn month_index(date: Date) -> i64 {
    i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1
}

/// Retirement age for one sex: a base age, and optionally the yearly roadmap that raises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Track {
    /// Retirement age in months for whoever reaches it before the roadmap starts.
    pub base_months: u32,
    /// The roadmap, if any.
    pub roadmap: Option<Roadmap>,
}

/// A retirement age raised by a fixed step every year up to a cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Roadmap {
    /// First year of the roadmap.
    pub first_year: i32,
    /// Retirement age in that year, in months.
    pub first_months: u32,
    /// Months added each following year.
    pub step_months: u32,
    /// The age it stops at, in months.
    pub cap_months: u32,
}

/// A versioned table of retirement ages (the base of "working time left").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RetirementSchedule {
    /// Stable code.
    pub code: &'static str,
    /// The law it comes from, as printed.
    pub source: &'static str,
    /// Men.
    pub male: Track,
    /// Women.
    pub female: Track,
}

impl RetirementSchedule {
    /// Labour Code 2012 (Art. 187): men 60, women 55. The 2020 campaign's birth-date thresholds
    /// (HD 26-HD/BTCTW, 2019) were computed on these ages.
    pub const LABOUR_CODE_2012: RetirementSchedule = RetirementSchedule {
        code: "blld-2012",
        source: "Bộ luật Lao động 2012, Điều 187",
        male: Track { base_months: 60 * 12, roadmap: None },
        female: Track { base_months: 55 * 12, roadmap: None },
    };

    /// Labour Code 2019 (Art. 169) and Decree 135/2020/NĐ-CP: from 2021 men retire at 60 years
    /// 3 months, then 3 months more each year up to 62 (2028); women at 55 years 4 months, then
    /// 4 months more each year up to 60 (2035).
    pub const LABOUR_CODE_2019: RetirementSchedule = RetirementSchedule {
        code: "blld-2019",
        source: "Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP",
        male: Track {
            base_months: 60 * 12,
            roadmap: Some(Roadmap {
                first_year: 2021,
                first_months: 60 * 12 + 3,
                step_months: 3,
                cap_months: 62 * 12,
            }),
        },
        female: Track {
            base_months: 55 * 12,
            roadmap: Some(Roadmap {
                first_year: 2021,
                first_months: 55 * 12 + 4,
                step_months: 4,
                cap_months: 60 * 12,
            }),
        },
    };

    /// Every schedule, oldest first.
    pub const ALL: [RetirementSchedule; 2] =
        [RetirementSchedule::LABOUR_CODE_2012, RetirementSchedule::LABOUR_CODE_2019];

    /// The track for a sex.
    pub fn track(&self, sex: Sex) -> Track {
        match sex {
            Sex::Male => self.male,
            Sex::Female => self.female,
        }
    }
}

/// Retirement age in months for a person of this sex born then.
///
/// Under a roadmap the age is the one of the calendar year in which the person reaches it
/// (Decree 135/2020, Appendix I: a man born 09/1961 reaches 60 years 3 months in 12/2021 and
/// retires then; one born 10/1961 would reach it in 01/2022, when the age is 60 years 6 months).
pub fn retirement_age_months(schedule: &RetirementSchedule, sex: Sex, birth: Birth) -> u32 {
    let track = schedule.track(sex);
    let born = month_index(birth.date());
    let reached_in = |months: u32| (born + i64::from(months)).div_euclid(12);
    let Some(roadmap) = track.roadmap else {
        return track.base_months;
    };
    if reached_in(track.base_months) < i64::from(roadmap.first_year) {
        return track.base_months;
    }
    let mut year = i64::from(roadmap.first_year);
    loop {
        let steps = u32::try_from(year - i64::from(roadmap.first_year)).unwrap_or(u32::MAX);
        let age = roadmap
            .first_months
            .saturating_add(roadmap.step_months.saturating_mul(steps))
            .min(roadmap.cap_months);
        // Ages grow by less than 12 months a year, so the year of reaching catches up.
        if reached_in(age) <= year {
            return age;
        }
        year += 1;
    }
}

/// The month (its first day) in which the person reaches retirement age.
pub fn retirement_month(schedule: &RetirementSchedule, sex: Sex, birth: Birth) -> Date {
    let index = month_index(birth.date()) + i64::from(retirement_age_months(schedule, sex, birth));
    let year = i32::try_from(index.div_euclid(12)).unwrap_or(i32::MAX);
    let month = u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1);
    Date::from_calendar_date(year, Month::try_from(month).unwrap_or(Month::January), 1)
        .unwrap_or(Date::MAX)
}

/// Whole months of working time left at the reference date (negative once past retirement).
pub fn months_left(schedule: &RetirementSchedule, sex: Sex, birth: Birth, reference: Date) -> i64 {
    month_index(retirement_month(schedule, sex, birth)) - month_index(reference)
}

/// The months-left test for one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    /// Months left at the reference date.
    pub months_left: i64,
    /// Months the rule requires.
    pub required: u32,
    /// The retirement month.
    pub retires: Date,
    /// Whether `months_left >= required`.
    pub eligible: bool,
}

/// Whether a candidate has `required` months left at `reference` (a full term of 60 months for
/// a first-time member; 30 in 2020 and 48 in 2025 for re-election).
pub fn eligibility(
    schedule: &RetirementSchedule,
    sex: Sex,
    birth: Birth,
    reference: Date,
    required: u32,
) -> Eligibility {
    let left = months_left(schedule, sex, birth, reference);
    Eligibility {
        months_left: left,
        required,
        retires: retirement_month(schedule, sex, birth),
        eligible: left >= i64::from(required),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(year: i32, month: u8) -> Birth {
        Birth::Date(Date::from_calendar_date(year, Month::try_from(month).unwrap(), 1).unwrap())
    }

    #[test]
    fn year_only_means_first_of_january() {
        assert_eq!(Birth::parse("1970"), Some(Birth::Year(1970)));
        assert_eq!(
            Birth::Year(1970).date(),
            Date::from_calendar_date(1970, Month::January, 1).unwrap()
        );
        assert_eq!(Birth::parse("05/1970"), Some(ym(1970, 5)));
        assert_eq!(Birth::parse("31/12/1970").map(Birth::to_text).as_deref(), Some("1970-12-31"));
        assert_eq!(Birth::parse("31/02/1970"), None);
        let at = Date::from_calendar_date(2020, Month::June, 30).unwrap();
        assert_eq!(age_at(Birth::parse("1980-06-30").unwrap(), at), 40);
        assert_eq!(age_at(Birth::parse("1980-07-01").unwrap(), at), 39);
    }

    #[test]
    fn roadmap_steps_at_the_year_boundary() {
        let law = RetirementSchedule::LABOUR_CODE_2019;
        assert_eq!(retirement_age_months(&law, Sex::Male, ym(1960, 12)), 720);
        assert_eq!(retirement_age_months(&law, Sex::Male, ym(1961, 9)), 723);
        assert_eq!(retirement_age_months(&law, Sex::Male, ym(1961, 10)), 726);
        assert_eq!(retirement_age_months(&law, Sex::Female, ym(1966, 9)), 668);
        assert_eq!(retirement_age_months(&law, Sex::Male, ym(1970, 1)), 744);
        assert_eq!(retirement_age_months(&law, Sex::Female, ym(1980, 1)), 720);
    }
}
