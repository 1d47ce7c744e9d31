//! Structure targets (cơ cấu) as data, and the evaluator that says for a list of people which
//! targets are met or missed, naming the people each one counts.
//!
//! Every share is compared exactly: `count × den ≥ num × base`, never a rounded percentage.

use serde::Serialize;
use time::Date;

use super::age::{Birth, age_at};
use crate::member::{Education, Sex, TheoryLevel};

/// A share `num / den`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ratio {
    /// Numerator.
    pub num: u64,
    /// Denominator (never 0).
    pub den: u64,
}

impl Ratio {
    /// `num / den`; a zero denominator is taken as 1.
    pub const fn new(num: u64, den: u64) -> Ratio {
        Ratio { num, den: if den == 0 { 1 } else { den } }
    }

    /// Whether `count / base ≥ self`.
    pub fn is_reached_by(self, count: u64, base: u64) -> bool {
        u128::from(count) * u128::from(self.den) >= u128::from(self.num) * u128::from(base)
    }

    /// Whether `count / base ≤ self`.
    pub fn is_not_exceeded_by(self, count: u64, base: u64) -> bool {
        u128::from(count) * u128::from(self.den) <= u128::from(self.num) * u128::from(base)
    }

    /// As a percentage for display, e.g. `15%` or `33,3%`.
    pub fn percent(self) -> String {
        let tenths =
            (u128::from(self.num) * 1000 + u128::from(self.den) / 2) / u128::from(self.den);
        if tenths % 10 == 0 {
            format!("{}%", tenths / 10)
        } else {
            format!("{},{}%", tenths / 10, tenths % 10)
        }
    }
}

/// What a target measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Metric {
    /// The planned number of executive committee members (ban chấp hành).
    CommitteeSize,
    /// The planned number of standing committee members (ban thường vụ).
    StandingSize,
    /// Share under an age (dưới 40 tuổi).
    AgeUnder {
        /// The age.
        age: u8,
    },
    /// Share from one age to another, both included (từ 40 đến 50 tuổi).
    AgeBetween {
        /// Lowest age.
        from: u8,
        /// Highest age.
        to: u8,
    },
    /// Share over an age (trên 50 tuổi).
    AgeOver {
        /// The age.
        age: u8,
    },
    /// Share of women (cán bộ nữ).
    Women,
    /// Women planned for the standing committee (count).
    WomenOnStanding,
    /// Share of young cadres (cán bộ trẻ), under an age the campaign sets.
    Young {
        /// Under this age.
        under: u8,
    },
    /// Share of ethnic-minority cadres (cán bộ người dân tộc thiểu số).
    EthnicMinorities,
    /// Share of first-time members (tỷ lệ đổi mới).
    Renewal,
    /// Share with a science-and-technology background (cán bộ khoa học, công nghệ).
    ScienceTech,
}

impl Metric {
    /// Stable code.
    pub fn code(self) -> String {
        match self {
            Metric::CommitteeSize => "committee_size".into(),
            Metric::StandingSize => "standing_size".into(),
            Metric::AgeUnder { age } => format!("age_under_{age}"),
            Metric::AgeBetween { from, to } => format!("age_{from}_{to}"),
            Metric::AgeOver { age } => format!("age_over_{age}"),
            Metric::Women => "women".into(),
            Metric::WomenOnStanding => "women_on_standing".into(),
            Metric::Young { under } => format!("young_under_{under}"),
            Metric::EthnicMinorities => "ethnic_minorities".into(),
            Metric::Renewal => "renewal".into(),
            Metric::ScienceTech => "science_tech".into(),
        }
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> String {
        match self {
            Metric::CommitteeSize => "Số lượng cấp ủy viên".into(),
            Metric::StandingSize => "Số lượng ủy viên ban thường vụ".into(),
            Metric::AgeUnder { age } => format!("Dưới {age} tuổi"),
            Metric::AgeBetween { from, to } => format!("Từ {from} đến {to} tuổi"),
            Metric::AgeOver { age } => format!("Trên {age} tuổi"),
            Metric::Women => "Cán bộ nữ".into(),
            Metric::WomenOnStanding => "Nữ trong ban thường vụ".into(),
            Metric::Young { under } => format!("Cán bộ trẻ (dưới {under} tuổi)"),
            Metric::EthnicMinorities => "Cán bộ người dân tộc thiểu số".into(),
            Metric::Renewal => "Tỷ lệ đổi mới (tham gia lần đầu)".into(),
            Metric::ScienceTech => "Cán bộ khoa học, công nghệ".into(),
        }
    }

    /// English label.
    pub fn label_en(self) -> String {
        match self {
            Metric::CommitteeSize => "Committee members".into(),
            Metric::StandingSize => "Standing committee members".into(),
            Metric::AgeUnder { age } => format!("Under {age}"),
            Metric::AgeBetween { from, to } => format!("{from} to {to}"),
            Metric::AgeOver { age } => format!("Over {age}"),
            Metric::Women => "Women".into(),
            Metric::WomenOnStanding => "Women on the standing committee".into(),
            Metric::Young { under } => format!("Young cadres (under {under})"),
            Metric::EthnicMinorities => "Ethnic minorities".into(),
            Metric::Renewal => "Renewal (first-time members)".into(),
            Metric::ScienceTech => "Science and technology".into(),
        }
    }
}

/// The bound a target sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Bound {
    /// Share at least.
    ShareAtLeast {
        /// The share.
        min: Ratio,
    },
    /// Share between two values, both included ("khoảng 40–50%").
    ShareBetween {
        /// Lowest share.
        min: Ratio,
        /// Highest share.
        max: Ratio,
    },
    /// A count at least.
    CountAtLeast {
        /// The count.
        min: u64,
    },
    /// A count between two values, both included.
    CountBetween {
        /// Lowest count.
        min: u64,
        /// Highest count.
        max: u64,
    },
    /// No figure set by the directive: the level above decides ("phù hợp với địa phương").
    /// The people are still counted.
    Unset,
}

impl Bound {
    /// The bound as printed, e.g. `≥ 15%`, `40%–50%`, `27–33`.
    pub fn text(self) -> String {
        match self {
            Bound::ShareAtLeast { min } => format!("≥ {}", min.percent()),
            Bound::ShareBetween { min, max } => format!("{}–{}", min.percent(), max.percent()),
            Bound::CountAtLeast { min } => format!("≥ {min}"),
            Bound::CountBetween { min, max } => format!("{min}–{max}"),
            Bound::Unset => "—".into(),
        }
    }
}

/// One structure target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Target {
    /// What it measures.
    pub metric: Metric,
    /// The bound.
    pub bound: Bound,
    /// Whether a public source confirms the figure for this campaign (false: a default carried
    /// over from the previous campaign; see forms-and-2025-targets §B.5).
    pub confirmed: bool,
}

/// One person of a list, with the facts the targets look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// The caller's identifier (a dossier id), returned in the people counted.
    pub key: i64,
    /// Full name.
    pub name: String,
    /// Birth date or year.
    pub birth: Option<Birth>,
    /// Sex.
    pub sex: Option<Sex>,
    /// An ethnic minority (not Kinh).
    pub minority: bool,
    /// Already on the outgoing committee (tái cử); false for a first-time member.
    pub incumbent: bool,
    /// Planned for the standing committee (secretary and deputies included).
    pub standing: bool,
    /// Planned (or elected) secretary.
    pub secretary: bool,
    /// A science-and-technology background.
    pub science_tech: bool,
    /// Highest professional education.
    pub education: Option<Education>,
    /// Political theory level.
    pub theory: Option<TheoryLevel>,
    /// For a secretary: elected directly by the congress (bầu trực tiếp).
    pub elected_directly: bool,
    /// For a secretary: not a local person (không là người địa phương).
    pub non_local: bool,
}

impl Profile {
    /// A profile with only a key and a name; the rest empty.
    pub fn new(key: i64, name: &str) -> Profile {
        Profile {
            key,
            name: name.to_owned(),
            birth: None,
            sex: None,
            minority: false,
            incumbent: false,
            standing: false,
            secretary: false,
            science_tech: false,
            education: None,
            theory: None,
            elected_directly: false,
            non_local: false,
        }
    }
}

/// Met, missed, or nothing to judge against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The bound holds.
    Met,
    /// The bound does not hold.
    Missed,
    /// No bound set; counted for information.
    NotSet,
}

/// One target's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetOutcome {
    /// The target.
    pub target: Target,
    /// Who counts (keys, in list order); empty for the size targets.
    pub counted: Vec<i64>,
    /// How many count (for the size targets: the planned size).
    pub count: u64,
    /// Out of how many (the list's length; 0 for the size targets).
    pub base: u64,
    /// Verdict.
    pub status: Status,
}

/// The planned sizes of the new committee, set by the convening committee.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// Executive committee members.
    pub committee: Option<u64>,
    /// Standing committee members.
    pub standing: Option<u64>,
}

fn judge(bound: Bound, count: u64, base: u64) -> Status {
    let met = match bound {
        Bound::Unset => return Status::NotSet,
        Bound::ShareAtLeast { min } => base > 0 && min.is_reached_by(count, base),
        Bound::ShareBetween { min, max } => {
            base > 0 && min.is_reached_by(count, base) && max.is_not_exceeded_by(count, base)
        }
        Bound::CountAtLeast { min } => count >= min,
        Bound::CountBetween { min, max } => (min..=max).contains(&count),
    };
    if met { Status::Met } else { Status::Missed }
}

/// Evaluates every target on a list of people at the reference date. People whose age is
/// unknown count in no age band (and so may make an age target missed).
pub fn evaluate(
    targets: &[Target],
    people: &[Profile],
    plan: Plan,
    reference: Date,
) -> Vec<TargetOutcome> {
    let base = people.len() as u64;
    let age = |person: &Profile| person.birth.map(|birth| age_at(birth, reference));
    targets
        .iter()
        .map(|target| {
            let size = |planned: Option<u64>| TargetOutcome {
                target: *target,
                counted: Vec::new(),
                count: planned.unwrap_or(0),
                base: 0,
                status: match (planned, target.bound) {
                    (_, Bound::Unset) => Status::NotSet,
                    (Some(planned), bound) => judge(bound, planned, 0),
                    (None, _) => Status::Missed,
                },
            };
            let rule: Box<dyn Fn(&Profile) -> bool> = match target.metric {
                Metric::CommitteeSize => return size(plan.committee),
                Metric::StandingSize => return size(plan.standing),
                Metric::AgeUnder { age: limit } | Metric::Young { under: limit } => {
                    Box::new(move |p| age(p).is_some_and(|a| a < i32::from(limit)))
                }
                Metric::AgeBetween { from, to } => Box::new(move |p| {
                    age(p).is_some_and(|a| (i32::from(from)..=i32::from(to)).contains(&a))
                }),
                Metric::AgeOver { age: limit } => {
                    Box::new(move |p| age(p).is_some_and(|a| a > i32::from(limit)))
                }
                Metric::Women => Box::new(|p| p.sex == Some(Sex::Female)),
                Metric::WomenOnStanding => Box::new(|p| p.standing && p.sex == Some(Sex::Female)),
                Metric::EthnicMinorities => Box::new(|p| p.minority),
                Metric::Renewal => Box::new(|p| !p.incumbent),
                Metric::ScienceTech => Box::new(|p| p.science_tech),
            };
            let counted: Vec<i64> =
                people.iter().filter(|person| rule(person)).map(|person| person.key).collect();
            let count = counted.len() as u64;
            TargetOutcome {
                target: *target,
                counted,
                count,
                base,
                status: judge(target.bound, count, base),
            }
        })
        .collect()
}

/// The candidate list's surplus over the planned committee (số dư), e.g. 10–15%.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SurplusCheck {
    /// Planned committee size.
    pub planned: u64,
    /// People on the list.
    pub listed: u64,
    /// Fewest people the list may have: `⌈planned × (1 + min)⌉`.
    pub min_listed: u64,
    /// Most people the list may have: `⌊planned × (1 + max)⌋`.
    pub max_listed: u64,
    /// Whether `min_listed ≤ listed ≤ max_listed`.
    pub status: Status,
}

/// Checks the list's length against the planned size and the surplus band.
pub fn surplus_check(planned: u64, listed: u64, min: Ratio, max: Ratio) -> SurplusCheck {
    let planned128 = u128::from(planned);
    let low = planned128 * u128::from(min.den + min.num);
    let min_listed = low.div_ceil(u128::from(min.den));
    let max_listed = planned128 * u128::from(max.den + max.num) / u128::from(max.den);
    let min_listed = u64::try_from(min_listed).unwrap_or(u64::MAX);
    let max_listed = u64::try_from(max_listed).unwrap_or(u64::MAX);
    let status = if planned > 0 && (min_listed..=max_listed).contains(&listed) {
        Status::Met
    } else {
        Status::Missed
    };
    SurplusCheck { planned, listed, min_listed, max_listed, status }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_exact() {
        let fifteen = Ratio::new(15, 100);
        assert!(fifteen.is_reached_by(3, 20));
        assert!(!fifteen.is_reached_by(2, 14)); // 14.28…%
        assert!(fifteen.is_reached_by(3, 20));
        assert_eq!(Ratio::new(1, 3).percent(), "33,3%");
        assert_eq!(fifteen.percent(), "15%");
    }

    #[test]
    fn surplus_band_in_integers() {
        let check = surplus_check(27, 30, Ratio::new(10, 100), Ratio::new(15, 100));
        // 27 × 1.10 = 29.7 → 30; 27 × 1.15 = 31.05 → 31.
        assert_eq!((check.min_listed, check.max_listed, check.status), (30, 31, Status::Met));
        assert_eq!(
            surplus_check(27, 29, Ratio::new(10, 100), Ratio::new(15, 100)).status,
            Status::Missed
        );
        assert_eq!(
            surplus_check(27, 32, Ratio::new(10, 100), Ratio::new(15, 100)).status,
            Status::Missed
        );
    }
}
