//! Personnel rules against reference cases: ages, retirement around the roadmap's year
//! boundaries, the months-left tests of both campaigns around their printed cut-off dates
//! (`tests/data/personnel/*.csv`), structure targets on crafted lists, the 5-step threshold and
//! composition roll-ups.

use std::path::Path;

use daihoi_core::member::{Education, Sex, TheoryLevel};
use daihoi_core::personnel::{
    Birth, Campaign, Composition, Level, Metric, Plan, Profile, RetirementSchedule, Status, age_at,
    carry, compose, eligibility, evaluate, passes, retirement_age_months, retirement_month,
    surplus_check, threshold,
};
use time::{Date, Month};

fn rows(name: &str) -> Vec<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/personnel").join(name);
    let text = std::fs::read_to_string(&path).expect("reference file");
    let rows: Vec<Vec<String>> = text
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect();
    assert!(rows.len() >= 8, "{name} has its cases");
    rows
}

fn date(text: &str) -> Date {
    match Birth::parse(text).expect("a date") {
        Birth::Date(date) => date,
        Birth::Year(year) => Date::from_calendar_date(year, Month::January, 1).unwrap(),
    }
}

fn sex(text: &str) -> Sex {
    Sex::parse(text).expect("a sex")
}

#[test]
fn ages_at_a_reference_date() {
    for row in rows("ages.csv") {
        let birth = Birth::parse(&row[0]).expect("birth");
        assert_eq!(age_at(birth, date(&row[1])).to_string(), row[2], "{row:?}");
    }
}

#[test]
fn retirement_ages_follow_the_tables() {
    for row in rows("retirement.csv") {
        let schedule =
            RetirementSchedule::ALL.into_iter().find(|s| s.code == row[0]).expect("known schedule");
        let birth = Birth::parse(&row[2]).expect("birth month");
        let months = retirement_age_months(&schedule, sex(&row[1]), birth);
        let retires = retirement_month(&schedule, sex(&row[1]), birth);
        let got = format!("{months},{:04}-{:02}", retires.year(), u8::from(retires.month()));
        assert_eq!(got, format!("{},{}", row[3], row[4]), "{row:?}");
    }
}

#[test]
fn months_left_around_the_cut_off_dates() {
    for row in rows("eligibility.csv") {
        let campaign = Campaign::parse(&row[0]).expect("campaign");
        let level = Level::parse(&row[1]).expect("level");
        let birth = Birth::parse(&row[3]).expect("birth");
        let required = match row[4].as_str() {
            "first" => campaign.first_time_months(),
            "re" => campaign.reelection_months(),
            other => panic!("track {other}"),
        };
        let verdict = eligibility(
            &campaign.retirement(),
            sex(&row[2]),
            birth,
            campaign.reference_date(level),
            required,
        );
        let got =
            format!("{},{}", verdict.months_left, if verdict.eligible { "yes" } else { "no" });
        assert_eq!(got, format!("{},{}", row[5], row[6]), "{row:?}");
    }
}

fn person(key: i64, born: &str, female: bool, incumbent: bool) -> Profile {
    let mut profile = Profile::new(key, &format!("Người {key}"));
    profile.birth = Birth::parse(born);
    profile.sex = Some(if female { Sex::Female } else { Sex::Male });
    profile.incumbent = incumbent;
    profile
}

/// A ward committee list of 20 at a 2020 district congress (reference 06/2020): two under 40,
/// eight from 40 to 50, three women (one planned for the standing committee), seven new.
fn crafted_list() -> Vec<Profile> {
    let mut list = Vec::new();
    for key in 0..20 {
        let born = match key {
            0 => "1981-01-01",     // 39
            1 => "1980-07-01",     // 39 (40 on 1 July 2020)
            2..=9 => "1975-05-05", // 45
            _ => "1965-01-01",     // 55
        };
        list.push(person(key, born, matches!(key, 3 | 12 | 15), key >= 13));
    }
    list[12].standing = true;
    list[5].minority = true;
    list
}

#[test]
fn targets_on_a_crafted_list() {
    let campaign = Campaign::Ct35Of2019;
    let reference = campaign.reference_date(Level::UpperGrassroots);
    let outcomes = evaluate(
        &campaign.targets(Level::UpperGrassroots),
        &crafted_list(),
        Plan { committee: Some(18), standing: Some(5) },
        reference,
    );
    let find = |metric: Metric| outcomes.iter().find(|o| o.target.metric == metric).unwrap();
    let under = find(Metric::AgeUnder { age: 40 });
    assert_eq!((under.counted.clone(), under.status), (vec![0, 1], Status::Met)); // 2/20 = 10%
    let middle = find(Metric::AgeBetween { from: 40, to: 50 });
    assert_eq!((middle.count, middle.status), (8, Status::Met)); // 40%
    let women = find(Metric::Women);
    assert_eq!((women.counted.clone(), women.status), (vec![3, 12, 15], Status::Met)); // 15%
    let standing = find(Metric::WomenOnStanding);
    assert_eq!((standing.counted.clone(), standing.status), (vec![12], Status::Met));
    let renewal = find(Metric::Renewal);
    assert_eq!((renewal.count, renewal.status), (13, Status::Met));
    let minorities = find(Metric::EthnicMinorities);
    assert_eq!((minorities.counted.clone(), minorities.status), (vec![5], Status::NotSet));
    assert!(outcomes.iter().all(|o| o.target.metric != Metric::ScienceTech));

    // One woman fewer: 2/20 = 10% < 15%; nobody on the standing committee.
    let mut fewer = crafted_list();
    fewer[12].sex = Some(Sex::Male);
    let outcomes =
        evaluate(&campaign.targets(Level::UpperGrassroots), &fewer, Plan::default(), reference);
    let find = |metric: Metric| outcomes.iter().find(|o| o.target.metric == metric).unwrap();
    assert_eq!(find(Metric::Women).status, Status::Missed);
    assert_eq!(find(Metric::WomenOnStanding).status, Status::Missed);
    // No planned size: the size target cannot be met.
    assert_eq!(find(Metric::CommitteeSize).status, Status::NotSet);
    // One day later the 1980-07-01 person is 40: the under-40 band drops to 5%.
    let later = Date::from_calendar_date(2020, Month::July, 1).unwrap();
    let outcomes = evaluate(
        &campaign.targets(Level::UpperGrassroots),
        &crafted_list(),
        Plan::default(),
        later,
    );
    let under = outcomes.iter().find(|o| o.target.metric == Metric::AgeUnder { age: 40 }).unwrap();
    assert_eq!((under.count, under.status), (1, Status::Missed));
}

#[test]
fn commune_sizes_and_science_in_2025() {
    let campaign = Campaign::Ct45Of2025;
    let targets = campaign.targets(Level::Commune);
    let mut list = crafted_list();
    list[4].science_tech = true;
    let reference = campaign.reference_date(Level::Commune);
    let outcomes =
        evaluate(&targets, &list, Plan { committee: Some(27), standing: Some(12) }, reference);
    let find = |metric: Metric| outcomes.iter().find(|o| o.target.metric == metric).unwrap();
    assert_eq!(find(Metric::CommitteeSize).status, Status::Met);
    assert_eq!(find(Metric::StandingSize).status, Status::Missed); // 9–11
    let science = find(Metric::ScienceTech);
    assert_eq!((science.counted.clone(), science.status), (vec![4], Status::Met)); // 1/20 = 5%
    // Commune age bands are set by the province: counted, not judged.
    assert_eq!(find(Metric::AgeUnder { age: 40 }).status, Status::NotSet);
    let (low, high) = campaign.surplus();
    assert_eq!(surplus_check(27, 30, low, high).status, Status::Met);
    assert_eq!(surplus_check(27, 29, low, high).status, Status::Missed);
}

#[test]
fn five_step_threshold_in_integers() {
    for (votes, summoned, pass) in
        [(0, 0, false), (1, 1, true), (5, 10, false), (6, 10, true), (6, 11, true), (5, 11, false)]
    {
        assert_eq!(passes(votes, summoned), pass, "{votes}/{summoned}");
        assert_eq!(votes >= threshold(summoned), pass, "threshold {summoned}");
    }
    let outcome = carry(&[(7, 30), (8, 31), (9, 20), (10, 31)], 60, Some(1));
    assert_eq!(outcome.passed, vec![8, 10]);
    assert_eq!((outcome.tied, outcome.tied_places), (vec![8, 10], 1));
}

#[test]
fn composition_rolls_up_by_sums() {
    let reference = Campaign::Ct35Of2019.reference_date(Level::UpperGrassroots);
    let mut list = crafted_list();
    list[0].education = Some(Education::Master);
    list[0].theory = Some(TheoryLevel::Advanced);
    list[13].secretary = true;
    list[13].elected_directly = true;
    list[13].non_local = true;
    let one = compose(&list, reference);
    assert_eq!((one.total, one.women, one.minorities), (20, 3, 1));
    assert_eq!((one.under_40, one.from_40_to_50, one.over_50, one.age_unknown), (2, 8, 10, 0));
    assert_eq!((one.reelected, one.new_members), (7, 13));
    assert_eq!((one.education[5], one.education[7]), (1, 19));
    assert_eq!((one.theory[3], one.theory[5]), (1, 19));
    assert_eq!((one.secretary_direct, one.secretary_non_local), (1, 1));
    let two = compose(&list[..5], reference);
    let sum = Composition::sum([&one, &two]);
    assert_eq!((sum.lists, sum.total, sum.women, sum.under_40), (2, 25, 4, 4));
    assert_eq!(sum.percent(sum.women), "16,0");
}
