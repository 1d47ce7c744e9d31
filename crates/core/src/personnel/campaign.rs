//! The two campaigns' personnel rules as data: reference dates, months of working time
//! required, retirement table, surplus band and structure targets per level.
//!
//! Sources: congress-process §1.1 (CT 35-CT/TW of 2019 and HD 26-HD/BTCTW) and §1.2 with
//! forms-and-2025-targets §B.4–B.5 (CT 45-CT/TW of 2025). Figures no source confirmed for
//! CT 45 are carried over from CT 35 and marked `confirmed: false`.

use serde::Serialize;
use time::{Date, Month};

use super::age::RetirementSchedule;
use super::targets::{Bound, Metric, Ratio, Target};

/// A congress campaign (one Politburo directive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Campaign {
    /// Directive 35-CT/TW of 30/5/2019, term 2020–2025.
    Ct35Of2019,
    /// Directive 45-CT/TW of 14/4/2025, term 2025–2030.
    Ct45Of2025,
}

/// The level of the committee being elected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Directly under the Central Committee (tỉnh, thành phố trực thuộc TW and equivalents).
    CentralDirect,
    /// Directly above grassroots (huyện, quận, thị xã, thành phố thuộc tỉnh and equivalents).
    UpperGrassroots,
    /// Communes, wards and special zones under a province (2025).
    Commune,
    /// Grassroots (đảng bộ cơ sở, chi bộ cơ sở).
    Grassroots,
}

impl Level {
    /// Every level, top first.
    pub const ALL: [Level; 4] =
        [Level::CentralDirect, Level::UpperGrassroots, Level::Commune, Level::Grassroots];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Level::CentralDirect => "central_direct",
            Level::UpperGrassroots => "upper_grassroots",
            Level::Commune => "commune",
            Level::Grassroots => "grassroots",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.code() == code)
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Level::CentralDirect => "Trực thuộc Trung ương (cấp tỉnh)",
            Level::UpperGrassroots => "Cấp trên trực tiếp cơ sở (cấp huyện)",
            Level::Commune => "Xã, phường, đặc khu",
            Level::Grassroots => "Cơ sở",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Level::CentralDirect => "Directly under the Central Committee (province)",
            Level::UpperGrassroots => "Directly above grassroots (district)",
            Level::Commune => "Commune, ward, special zone",
            Level::Grassroots => "Grassroots",
        }
    }
}

fn first_of(year: i32, month: Month) -> Date {
    Date::from_calendar_date(year, month, 1).unwrap_or(Date::MIN)
}

const fn share(min: u64) -> Bound {
    Bound::ShareAtLeast { min: Ratio::new(min, 100) }
}

impl Campaign {
    /// Every campaign, oldest first.
    pub const ALL: [Campaign; 2] = [Campaign::Ct35Of2019, Campaign::Ct45Of2025];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Campaign::Ct35Of2019 => "ct35-2019",
            Campaign::Ct45Of2025 => "ct45-2025",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Campaign> {
        Campaign::ALL.into_iter().find(|campaign| campaign.code() == code)
    }

    /// The campaign of a term starting in this year (2020 → CT 35; 2025 and later → CT 45).
    pub fn for_term_start(year: i64) -> Campaign {
        if year >= 2025 { Campaign::Ct45Of2025 } else { Campaign::Ct35Of2019 }
    }

    /// The directive as printed.
    pub fn label(self) -> &'static str {
        match self {
            Campaign::Ct35Of2019 => "Chỉ thị 35-CT/TW ngày 30/5/2019 (nhiệm kỳ 2020–2025)",
            Campaign::Ct45Of2025 => "Chỉ thị 45-CT/TW ngày 14/4/2025 (nhiệm kỳ 2025–2030)",
        }
    }

    /// The retirement table the campaign's age rules were computed on. CT 35's thresholds
    /// (HD 26, 2019) predate the 2019 Labour Code and use 60/55; CT 45 falls under the roadmap.
    pub fn retirement(self) -> RetirementSchedule {
        match self {
            Campaign::Ct35Of2019 => RetirementSchedule::LABOUR_CODE_2012,
            Campaign::Ct45Of2025 => RetirementSchedule::LABOUR_CODE_2019,
        }
    }

    /// Months a first-time member needs: one full term.
    pub fn first_time_months(self) -> u32 {
        60
    }

    /// Months a re-elected member needs: half a term (30) in 2020, 48 in 2025.
    pub fn reelection_months(self) -> u32 {
        match self {
            Campaign::Ct35Of2019 => 30,
            Campaign::Ct45Of2025 => 48,
        }
    }

    /// The reference month for age (thời điểm tính tuổi) of a level, as its first day.
    ///
    /// 2025: CT 45 names the months. 2020: the provincial and district months are the ones
    /// HD 26's birth-date thresholds imply (09/2020 and 06/2020); for communes and grassroots
    /// units the provincial standing committee decided, and April 2020 (the start of the
    /// grassroots window) is the default.
    pub fn reference_date(self, level: Level) -> Date {
        match (self, level) {
            (Campaign::Ct35Of2019, Level::CentralDirect) => first_of(2020, Month::September),
            (Campaign::Ct35Of2019, Level::UpperGrassroots) => first_of(2020, Month::June),
            (Campaign::Ct35Of2019, Level::Commune | Level::Grassroots) => {
                first_of(2020, Month::April)
            }
            (Campaign::Ct45Of2025, Level::CentralDirect) => first_of(2025, Month::September),
            (Campaign::Ct45Of2025, Level::UpperGrassroots) => first_of(2025, Month::June),
            (Campaign::Ct45Of2025, Level::Commune) => first_of(2025, Month::July),
            (Campaign::Ct45Of2025, Level::Grassroots) => first_of(2025, Month::April),
        }
    }

    /// The surplus band of the candidate list over the planned committee: 10% to 15%.
    pub fn surplus(self) -> (Ratio, Ratio) {
        (Ratio::new(10, 100), Ratio::new(15, 100))
    }

    /// The structure targets for a level.
    pub fn targets(self, level: Level) -> Vec<Target> {
        let upper = matches!(level, Level::CentralDirect | Level::UpperGrassroots);
        let confirmed = self == Campaign::Ct35Of2019;
        let t = |metric, bound, confirmed| Target { metric, bound, confirmed };
        // HD 26 (2019): three age bands for provincial and district committees; for communes
        // the provincial standing committee sets them.
        let band = |bound: Bound| if upper { bound } else { Bound::Unset };
        let mut targets = Vec::new();
        if self == Campaign::Ct45Of2025 && level == Level::Commune {
            // CT 45: commune-level committees of 27–33, standing committees of 9–11.
            targets.push(t(Metric::CommitteeSize, Bound::CountBetween { min: 27, max: 33 }, true));
            targets.push(t(Metric::StandingSize, Bound::CountBetween { min: 9, max: 11 }, true));
        } else {
            targets.push(t(Metric::CommitteeSize, Bound::Unset, true));
            targets.push(t(Metric::StandingSize, Bound::Unset, true));
        }
        targets.extend([
            t(Metric::AgeUnder { age: 40 }, band(share(10)), confirmed),
            t(
                Metric::AgeBetween { from: 40, to: 50 },
                band(Bound::ShareBetween { min: Ratio::new(40, 100), max: Ratio::new(50, 100) }),
                confirmed,
            ),
            t(Metric::AgeOver { age: 50 }, Bound::Unset, confirmed),
            t(Metric::Women, share(15), confirmed),
            t(Metric::WomenOnStanding, Bound::CountAtLeast { min: 1 }, confirmed),
            t(Metric::Young { under: 40 }, band(share(10)), confirmed),
            // "Suited to the ethnic make-up of each locality": no national figure.
            t(Metric::EthnicMinorities, Bound::Unset, true),
            // About one third new members: a long-standing convention, not confirmed.
            t(Metric::Renewal, Bound::ShareAtLeast { min: Ratio::new(1, 3) }, false),
        ]);
        if self == Campaign::Ct45Of2025 {
            targets.push(t(Metric::ScienceTech, share(5), true));
        }
        targets
    }
}
