//! The campaign on every backend: creation from a directive's template over a subtree, bulk
//! scheduling with refusals per cell, statuses derived from congress and approval records,
//! roll-ups over subtrees, and the subtree's problems compared with the core's checks.

use daihoi_core::calendar::WorkCalendar;
use daihoi_core::campaign::{Level, ProblemKind, Status, check_plan, template};
use daihoi_core::unit::UnitKind;
use daihoi_store::campaign::{CampaignInput, PlanEdit};
use daihoi_store::congress::{
    CongressContent, CongressKind, CongressStatus, NewCongress, SessionKind,
};
use daihoi_store::testing::every_backend;
use daihoi_store::{Actor, NewUnit, Store};
use time::Date;
use time::macros::date;

struct Tree {
    province: i64,
    district: i64,
    big: i64,
    small: i64,
    big_cells: [i64; 2],
    small_cell: i64,
}

async fn tree(store: &Store) -> Tree {
    let actor = Actor::system("test");
    let mut tx = store.begin_write(&actor).await.unwrap();
    let unit = |parent, name: &str, kind, official| NewUnit {
        parent_id: parent,
        name: name.into(),
        kind,
        issuer_abbrev: None,
        declared_official: official,
        declared_probationary: 0,
        valid_from: None,
        valid_to: None,
        note: None,
        lineage: Vec::new(),
    };
    let mut make = async |parent: Option<i64>, name: &str, kind, official| {
        store.create_unit(&mut tx, unit(parent, name, kind, official)).await.unwrap().0.id
    };
    let root = make(None, "Trung ương", UnitKind::Central, 0).await;
    let province = make(Some(root), "Đảng bộ tỉnh Điện Biên", UnitKind::Province, 0).await;
    let district =
        make(Some(province), "Đảng bộ thành phố Điện Biên Phủ", UnitKind::District, 0).await;
    let big =
        make(Some(district), "Đảng bộ phường Him Lam", UnitKind::GrassrootsCommittee, 0).await;
    let small =
        make(Some(district), "Đảng bộ xã Thanh Minh", UnitKind::GrassrootsCommittee, 0).await;
    let big_a = make(Some(big), "Chi bộ tổ dân phố 1", UnitKind::Cell, 120).await;
    let big_b = make(Some(big), "Chi bộ tổ dân phố 2", UnitKind::Cell, 110).await;
    let small_cell = make(Some(small), "Chi bộ bản Co Củ", UnitKind::Cell, 35).await;
    tx.commit().await.unwrap();
    Tree { province, district, big, small, big_cells: [big_a, big_b], small_cell }
}

fn delegates(edit: PlanEdit) -> PlanEdit {
    PlanEdit { kind: CongressKind::Delegates, ..edit }
}

/// A members' congress of the 2020–2025 term held on one day.
fn held(unit_id: i64, day: Date) -> NewCongress {
    NewCongress {
        unit_id,
        ordinal: Some(5),
        term_start: 2020,
        term_end: 2025,
        kind: CongressKind::Members,
        content: CongressContent::FourItems,
        rules: "qd190-2024".into(),
        title: String::new(),
        place: None,
        venue: None,
        pilot: false,
        sessions: vec![(SessionKind::Official, Some(day), Some(day))],
    }
}

fn edit(unit_id: i64, start: Date, end: Date, notice: Option<Date>) -> PlanEdit {
    PlanEdit {
        unit_id,
        starts_on: Some(start),
        ends_on: Some(end),
        notice_on: notice,
        kind: CongressKind::Members,
        content: CongressContent::FourItems,
        pilot: false,
        delegates_up: 0,
    }
}

#[tokio::test]
async fn a_campaign_is_scheduled_tracked_and_checked() {
    let calendar = WorkCalendar::vietnam();
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let t = tree(store).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let input = CampaignInput::from_template(&template("ct35-2020").unwrap(), t.province);
        let campaign = store.create_campaign(&mut tx, input).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(campaign.levels.len(), 5, "{label}");
        assert_eq!(campaign.rule(Level::Grassroots).unwrap().deadline, Some(date!(2020 - 06 - 30)));

        let (plans, total) =
            store.plans(campaign.id, &campaign.root_path, None, 0, 100).await.unwrap();
        assert_eq!(total, 7, "{label}: province, city, 2 grassroots, 3 cells");
        let by_unit = |id: i64| plans.iter().find(|plan| plan.unit_id == id).unwrap().clone();
        assert_eq!(by_unit(t.big).members, 230, "{label}");
        assert_eq!(by_unit(t.big).kind, CongressKind::Delegates, "{label}: 230 members");
        assert_eq!(by_unit(t.small).kind, CongressKind::Members, "{label}: 35 members");
        assert_eq!(by_unit(t.big_cells[0]).level, Level::Cell);
        assert_eq!(by_unit(t.district).level, Level::Upper);
        assert!(plans.iter().all(|plan| plan.status == Status::NotPlanned));

        // A batch with a closing day before its opening day is refused cell by cell, and
        // nothing of it is stored.
        let bad = vec![
            edit(t.big_cells[0], date!(2020 - 03 - 10), date!(2020 - 03 - 10), None),
            edit(t.small_cell, date!(2020 - 03 - 12), date!(2020 - 03 - 11), None),
        ];
        let errors = store.check_plan_edits(&campaign, &bad).await.unwrap();
        assert_eq!(errors.len(), 1, "{label}");
        assert_eq!((errors[0].row, errors[0].field), (1, "ends_on"));
        let mut tx = store.begin_write(&actor).await.unwrap();
        assert!(
            store
                .schedule_plans(&mut tx, &campaign, &calendar, &bad, date!(2020 - 01 - 01))
                .await
                .is_err()
        );
        drop(tx);
        assert_eq!(store.plan_of_unit(campaign.id, t.big_cells[0]).await.unwrap().starts_on, None);

        // The real schedule: cells first, grassroots, the city, the province.
        let mut big =
            edit(t.big, date!(2020 - 04 - 20), date!(2020 - 04 - 21), Some(date!(2020 - 03 - 02)));
        big.kind = CongressKind::Delegates;
        let batch = vec![
            edit(
                t.big_cells[0],
                date!(2020 - 03 - 10),
                date!(2020 - 03 - 10),
                Some(date!(2020 - 01 - 10)),
            ),
            // After its parent's congress and after the cells' deadline.
            edit(
                t.big_cells[1],
                date!(2020 - 04 - 25),
                date!(2020 - 04 - 25),
                Some(date!(2020 - 03 - 01)),
            ),
            edit(
                t.small_cell,
                date!(2020 - 03 - 12),
                date!(2020 - 03 - 12),
                Some(date!(2020 - 01 - 13)),
            ),
            big,
            edit(
                t.small,
                date!(2020 - 05 - 05),
                date!(2020 - 05 - 05),
                Some(date!(2020 - 03 - 20)),
            ),
            edit(t.district, date!(2020 - 08 - 14), date!(2020 - 08 - 15), None),
            // Five days where the province level allows four.
            edit(t.province, date!(2020 - 10 - 12), date!(2020 - 10 - 16), None),
        ];
        let mut tx = store.begin_write(&actor).await.unwrap();
        let changed = store
            .schedule_plans(&mut tx, &campaign, &calendar, &batch, date!(2020 - 02 - 01))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(changed, 7, "{label}");

        // Facts: the first cell's congress closed and its results approved, the small
        // grassroots cell's congress closed and not reported.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let first = store
            .create_congress(&mut tx, held(t.big_cells[0], date!(2020 - 03 - 10)))
            .await
            .unwrap();
        store.set_congress_status(&mut tx, first.id, CongressStatus::Closed).await.unwrap();
        let approval =
            store.report_results_received(&mut tx, first.id, date!(2020 - 03 - 16)).await.unwrap();
        store.decide_results(&mut tx, approval, true, date!(2020 - 03 - 30), None).await.unwrap();
        let other = store
            .create_congress(&mut tx, held(t.small_cell, date!(2020 - 03 - 12)))
            .await
            .unwrap();
        store.set_congress_status(&mut tx, other.id, CongressStatus::Closed).await.unwrap();
        let derived =
            store.recompute_campaign(&mut tx, campaign.id, date!(2020 - 04 - 01)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(derived, 5, "{label}: two congresses, three dates announced since");

        let status = async |id| store.plan_of_unit(campaign.id, id).await.unwrap().status;
        assert_eq!(status(t.big_cells[0]).await, Status::Approved, "{label}");
        assert_eq!(status(t.small_cell).await, Status::Held, "{label}");
        assert_eq!(status(t.big).await, Status::Preparing, "{label}: announced 2/3");
        assert_eq!(status(t.small).await, Status::Preparing, "{label}: announced 20/3");
        assert_eq!(status(t.district).await, Status::Planned, "{label}");
        assert_eq!(status(t.big_cells[1]).await, Status::Preparing, "{label}");

        // Roll-ups over the whole campaign and for the city's children.
        let rollup = store.campaign_rollup(campaign.id, &campaign.root_path).await.unwrap();
        assert_eq!(rollup.all(), 7, "{label}");
        assert_eq!(rollup.total(Level::Cell), 3);
        assert_eq!(rollup.held(Level::Cell), 2);
        assert_eq!(rollup.with_status(Status::Approved), 1);
        let district = store.unit(t.district).await.unwrap();
        let city_rollup = store.campaign_rollup(campaign.id, &district.path).await.unwrap();
        assert_eq!(city_rollup.all(), 6, "{label}");
        let children = store.campaign_children(campaign.id, t.district).await.unwrap();
        assert_eq!(children.len(), 2, "{label}");
        let big_child = children.iter().find(|child| child.unit_id == t.big).unwrap();
        assert_eq!(big_child.counts.values().sum::<i64>(), 3, "{label}: the ward and its 2 cells");
        let timeline = store.campaign_timeline(campaign.id, &campaign.root_path).await.unwrap();
        assert_eq!(timeline.iter().map(|point| point.count).sum::<i64>(), 7, "{label}");

        // Problems on 1 April 2020: the store's subtree query finds what the core finds on
        // every row.
        let today = date!(2020 - 04 - 01);
        let found = store
            .campaign_problems(&campaign, &calendar, &campaign.root_path, today, false, 0, 100_000)
            .await
            .unwrap();
        let all = store.campaign_plan_rows(campaign.id, &campaign.root_path).await.unwrap();
        let rows: Vec<_> = all.iter().map(|plan| plan.plan_row()).collect();
        let mut expected = check_plan(&campaign.levels, &calendar, &rows, today);
        let mut got: Vec<_> = found.iter().map(|row| row.problem.clone()).collect();
        expected.sort_by_key(|p| (p.unit_id, p.kind, p.other_unit));
        got.sort_by_key(|p| (p.unit_id, p.kind, p.other_unit));
        assert_eq!(got, expected, "{label}");
        let kinds_of =
            |id: i64| got.iter().filter(|p| p.unit_id == id).map(|p| p.kind).collect::<Vec<_>>();
        assert_eq!(kinds_of(t.big), vec![ProblemKind::BeforeChildren], "{label}");
        assert!(kinds_of(t.big_cells[1]).contains(&ProblemKind::AfterDeadline), "{label}");
        assert_eq!(kinds_of(t.province), vec![ProblemKind::TooLong], "{label}");
        assert_eq!(
            kinds_of(t.small_cell),
            vec![ProblemKind::ReportOverdue],
            "{label}: due 12/3 + 7 working days = 23/3"
        );

        let counts = store
            .campaign_problem_counts(&campaign, &calendar, &campaign.root_path, today)
            .await
            .unwrap();
        let late_units: std::collections::BTreeSet<i64> = expected
            .iter()
            .filter(|p| p.kind.severity() == daihoi_core::campaign::Severity::Late)
            .map(|p| p.unit_id)
            .collect();
        let problem_units: std::collections::BTreeSet<i64> =
            expected.iter().map(|p| p.unit_id).collect();
        assert_eq!(
            (counts.units, counts.late),
            (problem_units.len() as i64, late_units.len() as i64),
            "{label}"
        );
        // A page of one unit: the late one first.
        let first = store
            .campaign_problems(&campaign, &calendar, &campaign.root_path, today, true, 0, 1)
            .await
            .unwrap();
        assert_eq!(first[0].plan.unit_id, t.small_cell, "{label}: late first");
        // On 27 April the second cell's date has passed without a congress.
        let later = date!(2020 - 04 - 27);
        let found = store
            .campaign_problems(&campaign, &calendar, &campaign.root_path, later, false, 0, 100_000)
            .await
            .unwrap();
        let rows_later = check_plan(&campaign.levels, &calendar, &rows, later);
        assert_eq!(found.len(), rows_later.len(), "{label}");
        assert!(
            found.iter().any(|row| row.plan.unit_id == t.big_cells[1]
                && row.problem.kind == ProblemKind::NotHeld)
        );
        assert_eq!(store.campaign_tally_problems().await.unwrap(), Vec::<String>::new(), "{label}");
    }
}

#[tokio::test]
async fn editing_a_campaign_keeps_its_plans_and_checks_versions() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let t = tree(store).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let mut input = CampaignInput::from_template(&template("ct45-2025").unwrap(), t.district);
        let campaign = store.create_campaign(&mut tx, input.clone()).await.unwrap();
        input.name = "Đại hội nhiệm kỳ 2025 - 2030 (sửa)".into();
        input.levels[1].deadline = Some(date!(2025 - 06 - 15));
        let edited = store
            .update_campaign(&mut tx, campaign.id, campaign.version, input.clone())
            .await
            .unwrap();
        assert_eq!(
            edited.rule(Level::Grassroots).unwrap().deadline,
            Some(date!(2025 - 06 - 15)),
            "{label}"
        );
        assert!(
            store
                .update_campaign(&mut tx, campaign.id, campaign.version, input.clone())
                .await
                .is_err()
        );
        input.levels[0].window_end = Some(date!(2024 - 01 - 01));
        assert!(
            store.update_campaign(&mut tx, campaign.id, edited.version, input).await.is_err(),
            "{label}: window ends before it starts"
        );
        tx.commit().await.unwrap();
        let listed = store.campaigns(std::slice::from_ref(&campaign.root_path)).await.unwrap();
        assert_eq!(listed.len(), 1, "{label}");
        let (_, total) = store.plans(campaign.id, &campaign.root_path, None, 0, 10).await.unwrap();
        assert_eq!(total, 6, "{label}: the city's subtree");
        let (_, cells) =
            store.plans(campaign.id, &campaign.root_path, Some(Level::Cell), 0, 10).await.unwrap();
        assert_eq!(cells, 3, "{label}");
        assert!(store.campaigns(&["/999/".to_string()]).await.unwrap().is_empty());
        assert_eq!(store.campaign_tally_problems().await.unwrap(), Vec::<String>::new(), "{label}");
    }
}

/// The figures of every unit's subtree counted straight from the plan rows, compared with the
/// dashboard's reads (which come from the tallies).
async fn assert_figures_match_rows(store: &Store, campaign_id: i64, units: &[i64], label: &str) {
    assert_eq!(store.campaign_tally_problems().await.unwrap(), Vec::<String>::new(), "{label}");
    let campaign = store.campaign(campaign_id).await.unwrap();
    for &unit_id in units {
        let unit = store.unit(unit_id).await.unwrap();
        let rows = store.campaign_plan_rows(campaign_id, &unit.path).await.unwrap();
        let rollup = store.campaign_rollup(campaign_id, &unit.path).await.unwrap();
        let mut counts = std::collections::BTreeMap::new();
        let mut late = std::collections::BTreeMap::new();
        let mut days = std::collections::BTreeMap::new();
        for plan in &rows {
            *counts.entry((plan.level, plan.status)).or_insert(0i64) += 1;
            let closes = plan.held_end.or(plan.ends_on);
            if plan.status.is_held() {
                let deadline = campaign.rule(plan.level).and_then(|rule| rule.deadline);
                let is_late = matches!((closes, deadline), (Some(c), Some(d)) if c > d);
                *late.entry(plan.level).or_insert(0i64) += i64::from(is_late);
            }
            if let (Some(day), false) = (closes, plan.status == Status::NotPlanned) {
                *days.entry((plan.level, day, plan.status.is_held())).or_insert(0i64) += 1;
            }
        }
        assert_eq!(rollup.counts, counts, "{label}: unit {unit_id}");
        assert_eq!(rollup.held_late, late, "{label}: unit {unit_id}");
        let timeline: std::collections::BTreeMap<_, _> = store
            .campaign_timeline(campaign_id, &unit.path)
            .await
            .unwrap()
            .into_iter()
            .map(|point| ((point.level, point.day, point.held), point.count))
            .collect();
        assert_eq!(timeline, days, "{label}: unit {unit_id}");
        // The problem counts of many days, from the tallies and from the plan rows.
        let calendar = WorkCalendar::vietnam();
        let step = if unit_id == units[0] { 1 } else { 9 };
        let mut day = date!(2019 - 12 - 01);
        while day <= date!(2020 - 12 - 31) {
            let fast =
                store.campaign_problem_counts(&campaign, &calendar, &unit.path, day).await.unwrap();
            let slow = store
                .campaign_problem_counts_from_rows(&campaign, &calendar, &unit.path, day)
                .await
                .unwrap();
            assert_eq!(fast, slow, "{label}: unit {unit_id} on {day}");
            day = day.saturating_add(time::Duration::days(step));
        }
        let children = store.campaign_children(campaign_id, unit_id).await.unwrap();
        for child in children {
            let child_unit = store.unit(child.unit_id).await.unwrap();
            let n = store.campaign_plan_rows(campaign_id, &child_unit.path).await.unwrap().len();
            assert_eq!(
                child.counts.values().sum::<i64>(),
                n as i64,
                "{label}: child {}",
                child.unit_id
            );
        }
    }
}

#[tokio::test]
async fn the_dashboard_tallies_follow_every_kind_of_write() {
    let calendar = WorkCalendar::vietnam();
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let t = tree(store).await;
        let units =
            [t.province, t.district, t.big, t.small, t.big_cells[0], t.big_cells[1], t.small_cell];
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let input = CampaignInput::from_template(&template("ct35-2020").unwrap(), t.province);
        let campaign = store.create_campaign(&mut tx, input.clone()).await.unwrap();
        tx.commit().await.unwrap();
        assert_figures_match_rows(store, campaign.id, &units, &format!("{label}: created")).await;

        // Scheduling (a batch, as the table and the import save it).
        let mut pilot = edit(
            t.small_cell,
            date!(2020 - 02 - 20),
            date!(2020 - 02 - 20),
            Some(date!(2020 - 01 - 06)),
        );
        pilot.pilot = true;
        let batch = vec![
            edit(
                t.big_cells[0],
                date!(2020 - 03 - 10),
                date!(2020 - 03 - 10),
                Some(date!(2020 - 01 - 10)),
            ),
            edit(t.big_cells[1], date!(2020 - 03 - 20), date!(2020 - 03 - 20), None),
            pilot,
            delegates(edit(
                t.big,
                date!(2020 - 04 - 20),
                date!(2020 - 04 - 21),
                Some(date!(2020 - 03 - 02)),
            )),
        ];
        let mut tx = store.begin_write(&actor).await.unwrap();
        store
            .schedule_plans(&mut tx, &campaign, &calendar, &batch, date!(2020 - 02 - 01))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_figures_match_rows(store, campaign.id, &units, &format!("{label}: scheduled")).await;

        // A congress held and linked by the recomputation, then reported and approved.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let first = store
            .create_congress(&mut tx, held(t.big_cells[0], date!(2020 - 03 - 11)))
            .await
            .unwrap();
        store.set_congress_status(&mut tx, first.id, CongressStatus::Closed).await.unwrap();
        let pilot_congress = store
            .create_congress(&mut tx, held(t.small_cell, date!(2020 - 02 - 20)))
            .await
            .unwrap();
        store
            .set_congress_status(&mut tx, pilot_congress.id, CongressStatus::Closed)
            .await
            .unwrap();
        store.recompute_campaign(&mut tx, campaign.id, date!(2020 - 03 - 12)).await.unwrap();
        tx.commit().await.unwrap();
        assert_figures_match_rows(store, campaign.id, &units, &format!("{label}: linked")).await;
        let rollup = store.campaign_rollup(campaign.id, &campaign.root_path).await.unwrap();
        assert_eq!(rollup.held(Level::Cell), 2, "{label}");
        assert_eq!(rollup.pilots_held.get(&Level::Cell), Some(&1), "{label}");

        let mut tx = store.begin_write(&actor).await.unwrap();
        let approval =
            store.report_results_received(&mut tx, first.id, date!(2020 - 03 - 16)).await.unwrap();
        store.recompute_campaign(&mut tx, campaign.id, date!(2020 - 03 - 17)).await.unwrap();
        tx.commit().await.unwrap();
        assert_figures_match_rows(store, campaign.id, &units, &format!("{label}: reported")).await;
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.decide_results(&mut tx, approval, true, date!(2020 - 03 - 30), None).await.unwrap();
        store.recompute_campaign(&mut tx, campaign.id, date!(2020 - 03 - 31)).await.unwrap();
        tx.commit().await.unwrap();
        assert_figures_match_rows(store, campaign.id, &units, &format!("{label}: approved")).await;
        assert_eq!(
            store.plan_of_unit(campaign.id, t.big_cells[0]).await.unwrap().status,
            Status::Approved
        );

        // A held cell moves to the other ward: the old ancestors lose it, the new ones gain it.
        let moved = store.unit(t.big_cells[0]).await.unwrap();
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.move_unit(&mut tx, moved.id, moved.version, t.small).await.unwrap();
        tx.commit().await.unwrap();
        assert_figures_match_rows(store, campaign.id, &units, &format!("{label}: moved")).await;
        let small = store.unit(t.small).await.unwrap();
        let small_rollup = store.campaign_rollup(campaign.id, &small.path).await.unwrap();
        assert_eq!(small_rollup.all(), 3, "{label}: the ward and two cells now");

        // A deadline moved before the cells' congresses makes them late.
        let mut changed = input.clone();
        for rule in &mut changed.levels {
            if rule.level == Level::Cell {
                rule.deadline = Some(date!(2020 - 03 - 01));
            }
        }
        let current = store.campaign(campaign.id).await.unwrap();
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.update_campaign(&mut tx, campaign.id, current.version, changed).await.unwrap();
        tx.commit().await.unwrap();
        assert_figures_match_rows(store, campaign.id, &units, &format!("{label}: deadline")).await;
        let rollup = store.campaign_rollup(campaign.id, &campaign.root_path).await.unwrap();
        assert_eq!(rollup.held_late.get(&Level::Cell), Some(&1), "{label}: closed 11/3");

        // One cell rescheduled after its ward's delegates' congress, then only its content
        // changed (which decides whether the ward must wait for it), a cell created later
        // added by the recomputation.
        let campaign = store.campaign(campaign.id).await.unwrap();
        let mut tx = store.begin_write(&actor).await.unwrap();
        let one = [edit(t.big_cells[1], date!(2020 - 04 - 22), date!(2020 - 04 - 23), None)];
        store
            .schedule_plans(&mut tx, &campaign, &calendar, &one, date!(2020 - 04 - 01))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_figures_match_rows(store, campaign.id, &units, &format!("{label}: after parent"))
            .await;
        let mut tx = store.begin_write(&actor).await.unwrap();
        let mut one = one[0].clone();
        one.content = CongressContent::TwoItems;
        let one = [one];
        store
            .schedule_plans(&mut tx, &campaign, &calendar, &one, date!(2020 - 04 - 01))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_figures_match_rows(store, campaign.id, &units, &format!("{label}: rescheduled"))
            .await;
        let mut tx = store.begin_write(&actor).await.unwrap();
        let (late_cell, _) = store
            .create_unit(
                &mut tx,
                NewUnit {
                    parent_id: Some(t.small),
                    name: "Chi bộ bản Noong Bua".into(),
                    kind: UnitKind::Cell,
                    issuer_abbrev: None,
                    declared_official: 20,
                    declared_probationary: 0,
                    valid_from: None,
                    valid_to: None,
                    note: None,
                    lineage: Vec::new(),
                },
            )
            .await
            .unwrap();
        store.recompute_campaign(&mut tx, campaign.id, date!(2020 - 04 - 05)).await.unwrap();
        tx.commit().await.unwrap();
        let mut with_new = units.to_vec();
        with_new.push(late_cell.id);
        assert_figures_match_rows(store, campaign.id, &with_new, &format!("{label}: added")).await;
        let rollup = store.campaign_rollup(campaign.id, &campaign.root_path).await.unwrap();
        assert_eq!(rollup.all(), 8, "{label}");

        // A database whose plans were stored before the tallies existed: opening it counts them.
        let raw =
            sqlx::AnyPool::connect(&daihoi_store::normalise_url(&db.url).unwrap().1).await.unwrap();
        for statement in [
            "UPDATE campaign_plans SET counted_under = NULL, counted_as = NULL",
            "DELETE FROM campaign_tallies",
            "DELETE FROM campaign_day_tallies",
            "DELETE FROM campaign_problem_tallies",
        ] {
            sqlx::query(statement).execute(&raw).await.unwrap();
        }
        raw.close().await;
        assert!(!store.campaign_tally_problems().await.unwrap().is_empty(), "{label}");
        let reopened = Store::connect(&db.url).await.unwrap();
        assert_figures_match_rows(&reopened, campaign.id, &with_new, &format!("{label}: reopened"))
            .await;
    }
}
