//! The demo campaign on every backend: bottom-up dates, congresses held up to the demo's day,
//! approvals, and exactly one late unit on the dashboard.

use daihoi_core::calendar::WorkCalendar;
use daihoi_core::campaign::{Level, ProblemKind, Severity, Status};
use daihoi_demo::campaign::{DEMO_TODAY, LATE_UNIT, count_status};
use daihoi_store::testing::every_backend;

#[tokio::test]
async fn the_demo_campaign_tells_the_story_of_june_2020() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        daihoi_demo::load_demo(store).await.unwrap();
        let campaign = store.campaigns(&[]).await.unwrap().remove(0);
        assert_eq!(campaign.statuses_on, Some(DEMO_TODAY), "{label}");
        let plans = store.campaign_plan_rows(campaign.id, &campaign.root_path).await.unwrap();
        assert!(plans.iter().all(|plan| plan.starts_on.is_some()), "{label}: everyone scheduled");
        // Bottom-up: the last cell closes before the first general grassroots congress, the
        // last grassroots congress before the city's.
        let last = |level: Level| {
            plans
                .iter()
                .filter(|p| p.level == level && !p.pilot)
                .filter_map(|p| p.ends_on)
                .max()
                .unwrap()
        };
        let first = |level: Level| {
            plans
                .iter()
                .filter(|p| p.level == level && !p.pilot)
                .filter_map(|p| p.starts_on)
                .min()
                .unwrap()
        };
        assert!(last(Level::Cell) < first(Level::Grassroots), "{label}");
        assert!(last(Level::Grassroots) < first(Level::Upper), "{label}");
        assert!(
            plans.iter().filter(|p| p.level == Level::Cell).all(|p| p.status.is_held()),
            "{label}"
        );
        assert!(count_status(&plans, Status::Approved) > 200, "{label}");
        assert!(count_status(&plans, Status::Reported) > 0, "{label}");
        assert_eq!(plans.iter().filter(|p| p.pilot).count(), 2, "{label}");
        let city = plans.iter().find(|p| p.level == Level::Upper).unwrap();
        // The city's congress has its record (subcommittees, delegate allocation): preparing.
        assert_eq!(city.status, Status::Preparing, "{label}");
        let problems = store
            .campaign_problems(
                &campaign,
                &WorkCalendar::vietnam(),
                &campaign.root_path,
                DEMO_TODAY,
                0,
                100_000,
            )
            .await
            .unwrap();
        let late: Vec<_> =
            problems.iter().filter(|row| row.problem.kind.severity() == Severity::Late).collect();
        assert_eq!(late.len(), 1, "{label}: {late:?}");
        assert_eq!(
            (late[0].plan.unit_name.as_str(), late[0].problem.kind),
            (LATE_UNIT, ProblemKind::NotHeld)
        );
        let counts = store
            .campaign_problem_counts(
                &campaign,
                &WorkCalendar::vietnam(),
                &campaign.root_path,
                DEMO_TODAY,
            )
            .await
            .unwrap();
        assert_eq!(counts.late, 1, "{label}");
        assert!(store.verify_audit().await.unwrap().is_ok(), "{label}");
    }
}
