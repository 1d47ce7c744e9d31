//! The demo campaign: the 2020–2025 congresses under Directive 35-CT/TW over the whole demo tree
//! (the Central Committee, Điện Biên province and Điện Biên Phủ city), seen
//! on 22 June 2020. Cells met in January–March, two pilot grassroots congresses in March, the
//! other grassroots units from April to the end of June, the city congress is planned for
//! 14–15 August and the province's for 13–15 October. Everything held up to the day has its
//! congress record closed; results are reported three working days after closing and approved
//! ten working days later. One ward's congress, planned for 10 June, has not taken place: the
//! dashboard shows it late.

use daihoi_core::calendar::WorkCalendar;
use daihoi_core::campaign::{Level, Status, template};
use daihoi_store::campaign::{CampaignInput, Plan, PlanEdit};
use daihoi_store::congress::{
    CongressContent, CongressKind, CongressStatus, NewCongress, SessionKind,
};
use daihoi_store::{Actor, Store, StoreError};
use time::Date;
use time::macros::date;

/// The day the demo campaign is seen on.
pub const DEMO_TODAY: Date = date!(2020 - 06 - 22);

/// The grassroots unit whose congress is late in the demo.
pub const LATE_UNIT: &str = "Đảng bộ xã Pá Khoang";

/// Creates the campaign over the province, schedules every unit, records the congresses held
/// and their approvals, and derives the statuses for [`DEMO_TODAY`]. Returns the campaign id.
pub async fn write_campaign(store: &Store) -> Result<i64, StoreError> {
    let calendar = WorkCalendar::vietnam();
    let actor = Actor::system("demo");
    let root = store.root_units().await?.into_iter().next().ok_or(StoreError::NotFound)?;
    let template = template("ct35-2020").ok_or(StoreError::NotFound)?;
    let mut tx = store.begin_write(&actor).await?;
    let campaign =
        store.create_campaign(&mut tx, CampaignInput::from_template(&template, root.id)).await?;
    tx.commit().await?;

    let (plans, _) = store.plans(campaign.id, &campaign.root_path, None, 0, 100_000).await?;
    let mut edits = Vec::new();
    let of_level = |level: Level| plans.iter().filter(move |plan| plan.level == level);
    // Cells: six a working day from 6 January, Tết (23–29 January) skipped by the calendar.
    let mut day = date!(2020 - 01 - 06);
    for (index, plan) in of_level(Level::Cell).enumerate() {
        if index > 0 && index % 6 == 0 {
            day = calendar.add_working_days(day, 1);
        }
        edits.push(edit(&calendar, plan, day, day, false));
    }
    // Grassroots: the first two are pilots in late March, the rest one a working day from
    // 22 April.
    let mut day = date!(2020 - 04 - 22);
    for (index, plan) in of_level(Level::Grassroots).enumerate() {
        let delegates = plan.kind == CongressKind::Delegates;
        let (start, pilot) = match index {
            0 => (date!(2020 - 03 - 24), true),
            1 => (date!(2020 - 03 - 26), true),
            _ => {
                let start = day;
                day = calendar.add_working_days(day, 1);
                (start, false)
            }
        };
        let (start, end) = if plan.unit_name == crate::him_lam::WARD {
            // The congresses the demo's congress day holds.
            (crate::him_lam::FIRST_DAY, crate::him_lam::SECOND_DAY)
        } else if plan.unit_name == crate::muong_thanh::WARD {
            (crate::muong_thanh::FIRST_DAY, crate::muong_thanh::SECOND_DAY)
        } else if plan.unit_name == LATE_UNIT {
            (date!(2020 - 06 - 10), date!(2020 - 06 - 10))
        } else if delegates {
            // Two days, a Saturday included when the first is a Friday.
            (start, start + time::Duration::days(1))
        } else {
            (start, start)
        };
        edits.push(edit(&calendar, plan, start, end, pilot));
    }
    for plan in of_level(Level::Upper) {
        let mut city = edit(&calendar, plan, date!(2020 - 08 - 14), date!(2020 - 08 - 15), false);
        city.notice_on = None;
        city.kind = CongressKind::Delegates;
        edits.push(city);
    }
    for plan in of_level(Level::CentralDirect) {
        let mut congress =
            edit(&calendar, plan, date!(2020 - 10 - 13), date!(2020 - 10 - 15), false);
        congress.notice_on = None;
        congress.kind = CongressKind::Delegates;
        edits.push(congress);
    }
    for plan in of_level(Level::National) {
        let mut congress =
            edit(&calendar, plan, date!(2021 - 01 - 25), date!(2021 - 02 - 01), false);
        congress.notice_on = None;
        congress.kind = CongressKind::Delegates;
        edits.push(congress);
    }
    let mut tx = store.begin_write(&actor).await?;
    store.schedule_plans(&mut tx, &campaign, &calendar, &edits, DEMO_TODAY).await?;

    // What happened up to the day: every congress closed before it is held, except the late
    // ward's.
    for edit in &edits {
        let (Some(start), Some(end)) = (edit.starts_on, edit.ends_on) else { continue };
        let plan =
            plans.iter().find(|plan| plan.unit_id == edit.unit_id).ok_or(StoreError::NotFound)?;
        if end >= DEMO_TODAY || plan.unit_name == LATE_UNIT {
            continue;
        }
        // Congresses the demo's congress day wrote already tell their own story.
        if store.congress_for_term(&mut tx, edit.unit_id, campaign.term_start).await?.is_some() {
            continue;
        }
        let congress = store
            .create_congress(
                &mut tx,
                NewCongress {
                    unit_id: edit.unit_id,
                    ordinal: None,
                    term_start: campaign.term_start,
                    term_end: campaign.term_end,
                    kind: edit.kind,
                    content: edit.content,
                    rules: "qd244-2014".into(),
                    title: String::new(),
                    place: Some("Điện Biên Phủ".into()),
                    venue: None,
                    pilot: edit.pilot,
                    sessions: vec![(SessionKind::Official, Some(start), Some(end))],
                },
            )
            .await?;
        store.set_congress_status(&mut tx, congress.id, CongressStatus::Closed).await?;
        let received = calendar.add_working_days(end, 3);
        if received < DEMO_TODAY {
            let approval = store.report_results_received(&mut tx, congress.id, received).await?;
            let decided = calendar.add_working_days(received, 10);
            if decided < DEMO_TODAY {
                store.decide_results(&mut tx, approval, true, decided, None).await?;
            }
        }
    }
    store.recompute_campaign(&mut tx, campaign.id, DEMO_TODAY).await?;
    tx.commit().await?;
    Ok(campaign.id)
}

/// A plan edit announcing the congress 32 working days ahead, format kept as suggested.
fn edit(calendar: &WorkCalendar, plan: &Plan, start: Date, end: Date, pilot: bool) -> PlanEdit {
    PlanEdit {
        unit_id: plan.unit_id,
        starts_on: Some(start),
        ends_on: Some(end),
        notice_on: Some(calendar.sub_working_days(start, 32)),
        kind: plan.kind,
        content: CongressContent::FourItems,
        pilot,
        delegates_up: if plan.level == Level::National { 0 } else { 1 + plan.members / 50 },
    }
}

/// Units of the demo campaign in a status (for the demo's own tests).
pub fn count_status(plans: &[Plan], status: Status) -> usize {
    plans.iter().filter(|plan| plan.status == status).count()
}
