//! The campaign checks on crafted plans: deadlines, lengths, windows and pilots, bottom-up
//! order with approval delays across Tết and 30/4–1/5, notice, reporting and approval.

use daihoi_core::calendar::WorkCalendar;
use daihoi_core::campaign::{
    Level, PlanRow, Problem, ProblemKind, Severity, Status, check_plan, template,
};
use time::Date;
use time::macros::date;

fn row(unit_id: i64, parent_id: Option<i64>, level: Level) -> PlanRow {
    PlanRow {
        unit_id,
        parent_id,
        level,
        delegates_congress: false,
        four_items: true,
        pilot: false,
        starts_on: None,
        ends_on: None,
        notice_on: None,
        status: Status::NotPlanned,
        reported_on: None,
        decided_on: None,
    }
}

fn planned(mut row: PlanRow, start: Date, end: Date) -> PlanRow {
    row.starts_on = Some(start);
    row.ends_on = Some(end);
    row.status = Status::Planned;
    row
}

fn kinds(problems: &[Problem], unit_id: i64) -> Vec<ProblemKind> {
    problems.iter().filter(|p| p.unit_id == unit_id).map(|p| p.kind).collect()
}

fn rules_2020() -> Vec<daihoi_core::campaign::LevelRule> {
    template("ct35-2020").expect("the 2020 template").levels
}

#[test]
fn deadline_length_and_window_of_each_level() {
    let calendar = WorkCalendar::vietnam();
    let today = date!(2019 - 12 - 01);
    let rows = vec![
        // District level closes 1 Sep 2020: one day after the 31 Aug deadline, 4 days long.
        planned(row(1, None, Level::Upper), date!(2020 - 08 - 29), date!(2020 - 09 - 01)),
        // Grassroots on time, 2 days.
        planned(row(2, Some(1), Level::Grassroots), date!(2020 - 05 - 14), date!(2020 - 05 - 15)),
        // Grassroots in March: before its window unless a pilot.
        planned(row(3, Some(1), Level::Grassroots), date!(2020 - 03 - 10), date!(2020 - 03 - 10)),
        {
            let mut pilot = planned(
                row(4, Some(1), Level::Grassroots),
                date!(2020 - 03 - 10),
                date!(2020 - 03 - 10),
            );
            pilot.pilot = true;
            pilot
        },
    ];
    let problems = check_plan(&rules_2020(), &calendar, &rows, today);
    assert_eq!(kinds(&problems, 1), vec![ProblemKind::AfterDeadline, ProblemKind::TooLong]);
    assert_eq!(kinds(&problems, 2), vec![]);
    assert_eq!(kinds(&problems, 3), vec![ProblemKind::BeforeWindow]);
    assert_eq!(kinds(&problems, 4), vec![], "a pilot in the pilot window");
    let deadline = problems.iter().find(|p| p.kind == ProblemKind::AfterDeadline).unwrap();
    assert_eq!(deadline.due, Some(date!(2020 - 08 - 31)));
}

#[test]
fn a_delegates_congress_waits_for_its_children_and_their_approval() {
    let calendar = WorkCalendar::vietnam();
    let today = date!(2019 - 12 - 01);
    let mut parent =
        planned(row(10, None, Level::Grassroots), date!(2020 - 04 - 20), date!(2020 - 04 - 21));
    parent.delegates_congress = true;
    let rows = vec![
        parent,
        // Closed Wed 22/1/2020, just before Tết: report by 7/2, approval by 15 working days
        // later (28/2); the parent opens 20/4: fine.
        planned(row(11, Some(10), Level::Cell), date!(2020 - 01 - 22), date!(2020 - 01 - 22)),
        // Closes Tue 31/3: report by 10/4 (Giỗ Tổ 2/4 off), approval by 5/5 (30/4–1/5 off).
        planned(row(12, Some(10), Level::Cell), date!(2020 - 03 - 31), date!(2020 - 03 - 31)),
        // No date at all.
        row(13, Some(10), Level::Cell),
        // After the parent.
        planned(row(14, Some(10), Level::Cell), date!(2020 - 04 - 22), date!(2020 - 04 - 22)),
        // A 2-item congress elects nobody: no constraint.
        {
            let mut two = row(15, Some(10), Level::Cell);
            two.four_items = false;
            two
        },
    ];
    let problems = check_plan(&rules_2020(), &calendar, &rows, today);
    let order: Vec<(ProblemKind, Option<i64>)> =
        problems.iter().filter(|p| p.unit_id == 10).map(|p| (p.kind, p.other_unit)).collect();
    assert_eq!(
        order,
        vec![
            (ProblemKind::BeforeChildren, Some(13)),
            (ProblemKind::BeforeChildren, Some(14)),
            (ProblemKind::BeforeChildApproval, Some(12)),
        ]
    );
    let approval = problems.iter().find(|p| p.kind == ProblemKind::BeforeChildApproval).unwrap();
    assert_eq!(approval.due, Some(date!(2020 - 05 - 05)));
}

#[test]
fn an_approved_child_no_longer_holds_the_parent_back() {
    let calendar = WorkCalendar::vietnam();
    let mut parent =
        planned(row(10, None, Level::Grassroots), date!(2020 - 04 - 20), date!(2020 - 04 - 21));
    parent.delegates_congress = true;
    let mut child =
        planned(row(11, Some(10), Level::Cell), date!(2020 - 03 - 31), date!(2020 - 03 - 31));
    child.status = Status::Approved;
    child.decided_on = Some(date!(2020 - 04 - 10));
    let problems = check_plan(&rules_2020(), &calendar, &[parent, child], date!(2020 - 04 - 15));
    assert!(kinds(&problems, 10).iter().all(|kind| *kind != ProblemKind::BeforeChildApproval));
}

#[test]
fn notice_is_thirty_working_days_across_tet() {
    let calendar = WorkCalendar::vietnam();
    let mut short =
        planned(row(1, None, Level::Cell), date!(2020 - 03 - 02), date!(2020 - 03 - 02));
    short.notice_on = Some(date!(2020 - 01 - 14));
    let mut enough =
        planned(row(2, None, Level::Cell), date!(2020 - 03 - 02), date!(2020 - 03 - 02));
    enough.notice_on = Some(date!(2020 - 01 - 13));
    let silent = planned(row(3, None, Level::Cell), date!(2020 - 03 - 02), date!(2020 - 03 - 02));
    let today = date!(2020 - 01 - 15);
    let problems = check_plan(&rules_2020(), &calendar, &[short, enough, silent], today);
    assert_eq!(kinds(&problems, 1), vec![ProblemKind::ShortNotice]);
    assert_eq!(kinds(&problems, 2), vec![]);
    assert_eq!(kinds(&problems, 3), vec![ProblemKind::NoticeOverdue]);
    let notice = problems.iter().find(|p| p.unit_id == 3).unwrap();
    assert_eq!(notice.due, Some(date!(2020 - 01 - 13)));
    assert_eq!(notice.kind.severity(), Severity::Late);
}

#[test]
fn late_congress_report_and_approval() {
    let calendar = WorkCalendar::vietnam();
    // Not held although its date has passed.
    let not_held =
        planned(row(1, None, Level::Grassroots), date!(2020 - 04 - 28), date!(2020 - 04 - 28));
    // Held Tue 28/4/2020: report due Mon 11/5 (30/4–1/5 off).
    let mut held =
        planned(row(2, None, Level::Grassroots), date!(2020 - 04 - 28), date!(2020 - 04 - 28));
    held.status = Status::Held;
    held.notice_on = Some(date!(2020 - 03 - 01));
    // Held 22/4, reported Thu 23/4/2020: approval due 15 working days later, Mon 18/5.
    let mut reported = held.clone();
    reported.unit_id = 3;
    reported.starts_on = Some(date!(2020 - 04 - 22));
    reported.ends_on = Some(date!(2020 - 04 - 22));
    reported.status = Status::Reported;
    reported.reported_on = Some(date!(2020 - 04 - 23));
    let rows = [not_held, held, reported];
    let on_11_may = check_plan(&rules_2020(), &calendar, &rows, date!(2020 - 05 - 11));
    assert!(kinds(&on_11_may, 1).contains(&ProblemKind::NotHeld));
    assert_eq!(kinds(&on_11_may, 2), vec![], "the last day to report is not late");
    let on_12_may = check_plan(&rules_2020(), &calendar, &rows, date!(2020 - 05 - 12));
    assert_eq!(kinds(&on_12_may, 2), vec![ProblemKind::ReportOverdue]);
    assert_eq!(on_12_may.iter().find(|p| p.unit_id == 2).unwrap().due, Some(date!(2020 - 05 - 11)));
    assert_eq!(kinds(&on_12_may, 3), vec![]);
    let on_18_may = check_plan(&rules_2020(), &calendar, &rows, date!(2020 - 05 - 18));
    assert_eq!(kinds(&on_18_may, 3), vec![]);
    let on_19_may = check_plan(&rules_2020(), &calendar, &rows, date!(2020 - 05 - 19));
    assert_eq!(kinds(&on_19_may, 3), vec![ProblemKind::ApprovalOverdue]);
    assert_eq!(on_19_may.iter().find(|p| p.unit_id == 3).unwrap().due, Some(date!(2020 - 05 - 18)));
}

#[test]
fn unscheduled_units_become_at_risk_near_the_deadline() {
    let calendar = WorkCalendar::vietnam();
    let rows = [row(1, None, Level::Grassroots)];
    assert!(check_plan(&rules_2020(), &calendar, &rows, date!(2020 - 04 - 01)).is_empty());
    let near = check_plan(&rules_2020(), &calendar, &rows, date!(2020 - 05 - 20));
    assert_eq!(kinds(&near, 1), vec![ProblemKind::NotScheduled]);
}
