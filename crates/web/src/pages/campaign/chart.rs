//! The campaign timeline as an SVG drawn on the server: one lane per level with its window,
//! its deadline, and the congresses closing each week (held in green, planned in grey), and a
//! line for the day the page judges on. No script, no chart library.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use daihoi_core::campaign::Level;
use daihoi_store::campaign::{Campaign, TimelinePoint};
use time::{Date, Duration};

use crate::Lang;

const WIDTH: f64 = 960.0;
const LEFT: f64 = 215.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const LANE: f64 = 56.0;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The Monday on or before a day.
fn week_of(day: Date) -> Date {
    day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

/// The timeline of a subtree.
pub fn timeline_svg(
    lang: Lang,
    campaign: &Campaign,
    points: &[TimelinePoint],
    today: Date,
) -> String {
    let levels: Vec<Level> = Level::ALL
        .into_iter()
        .filter(|level| {
            points.iter().any(|point| point.level == *level)
                || campaign.rule(*level).is_some_and(|rule| rule.deadline.is_some())
        })
        .collect();
    let mut days: Vec<Date> = points.iter().map(|point| point.day).collect();
    for rule in &campaign.levels {
        days.extend([rule.window_start, rule.deadline, rule.pilot_start].into_iter().flatten());
    }
    let (Some(first), Some(last)) = (days.iter().min().copied(), days.iter().max().copied()) else {
        return String::new();
    };
    let first = week_of(first);
    let last = last + Duration::days(7);
    let span = ((last - first).whole_days().max(1)) as f64;
    let x = |day: Date| LEFT + (WIDTH - LEFT - RIGHT) * ((day - first).whole_days() as f64 / span);
    let height = TOP + LANE * levels.len() as f64 + 24.0;
    let mut svg = String::new();
    let title = lang.pick("Tiến độ đại hội theo tuần", "Congresses per week");
    let _ = write!(
        svg,
        r#"<svg class="timeline" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="timeline-title" xmlns="http://www.w3.org/2000/svg"><title id="timeline-title">{}</title>"#,
        escape(title)
    );
    // Month ticks.
    let mut month = Date::from_calendar_date(first.year(), first.month(), 1).unwrap_or(first);
    while month <= last {
        if month >= first {
            let mx = x(month);
            let _ = write!(
                svg,
                r#"<line x1="{mx:.1}" y1="{top:.1}" x2="{mx:.1}" y2="{bottom:.1}" class="tick"/><text x="{tx:.1}" y="{ty:.1}" class="tick-label">{m:02}/{y}</text>"#,
                top = TOP - 6.0,
                bottom = height - 20.0,
                tx = mx + 2.0,
                ty = height - 6.0,
                m = u8::from(month.month()),
                y = month.year()
            );
        }
        let next_month = month.month().next();
        let year = if next_month == time::Month::January { month.year() + 1 } else { month.year() };
        month = match Date::from_calendar_date(year, next_month, 1) {
            Ok(next) => next,
            Err(_) => break,
        };
    }
    for (index, level) in levels.iter().enumerate() {
        let lane_top = TOP + LANE * index as f64;
        let lane_bottom = lane_top + LANE - 8.0;
        let _ = write!(
            svg,
            r#"<text x="4" y="{:.1}" class="lane-label">{}</text>"#,
            lane_top + LANE / 2.0,
            escape(lang.pick(level.label_vi(), level.label_en()))
        );
        if let Some(rule) = campaign.rule(*level) {
            if let (Some(start), Some(end)) = (rule.window_start, rule.window_end.or(rule.deadline))
            {
                let _ = write!(
                    svg,
                    r#"<rect x="{:.1}" y="{lane_top:.1}" width="{:.1}" height="{:.1}" class="window"/>"#,
                    x(start),
                    (x(end) - x(start)).max(1.0),
                    LANE - 8.0
                );
            }
            if let (Some(start), Some(end)) = (rule.pilot_start, rule.pilot_end) {
                let _ = write!(
                    svg,
                    r#"<rect x="{:.1}" y="{lane_top:.1}" width="{:.1}" height="6" class="pilot-window"/>"#,
                    x(start),
                    (x(end) - x(start)).max(1.0)
                );
            }
            if let Some(deadline) = rule.deadline {
                let dx = x(deadline);
                let _ = write!(
                    svg,
                    r#"<line x1="{dx:.1}" y1="{lane_top:.1}" x2="{dx:.1}" y2="{lane_bottom:.1}" class="deadline"><title>{} {}</title></line>"#,
                    escape(lang.pick("Hạn chót", "Deadline")),
                    daihoi_core::date::dd_mm_yyyy(deadline)
                );
            }
        }
        let mut weeks: BTreeMap<Date, (i64, i64)> = BTreeMap::new();
        for point in points.iter().filter(|point| point.level == *level) {
            let entry = weeks.entry(week_of(point.day)).or_default();
            if point.held {
                entry.0 += point.count;
            } else {
                entry.1 += point.count;
            }
        }
        let max =
            weeks.values().map(|(held, planned)| held + planned).max().unwrap_or(1).max(1) as f64;
        let bar_width = ((x(first + Duration::days(7)) - x(first)) - 1.0).max(1.0);
        for (week, (held, planned)) in &weeks {
            let full = LANE - 12.0;
            let held_height = full * (*held as f64) / max;
            let planned_height = full * (*planned as f64) / max;
            let bx = x(*week);
            let label = format!(
                "{} {}: {} {}, {} {}",
                lang.pick("Tuần", "Week of"),
                daihoi_core::date::dd_mm_yyyy(*week),
                held,
                lang.pick("đã tổ chức", "held"),
                planned,
                lang.pick("dự kiến", "planned")
            );
            let _ = write!(
                svg,
                r#"<g><title>{}</title><rect x="{bx:.1}" y="{:.1}" width="{bar_width:.1}" height="{held_height:.1}" class="held"/><rect x="{bx:.1}" y="{:.1}" width="{bar_width:.1}" height="{planned_height:.1}" class="planned"/></g>"#,
                escape(&label),
                lane_bottom - held_height,
                lane_bottom - held_height - planned_height
            );
        }
    }
    if today >= first && today <= last {
        let tx = x(today);
        let _ = write!(
            svg,
            r#"<line x1="{tx:.1}" y1="{:.1}" x2="{tx:.1}" y2="{:.1}" class="today"/><text x="{:.1}" y="{:.1}" class="today-label">{}</text>"#,
            TOP - 10.0,
            height - 20.0,
            tx + 3.0,
            TOP - 12.0,
            escape(&format!(
                "{} {}",
                lang.pick("Ngày xem", "As of"),
                daihoi_core::date::dd_mm_yyyy(today)
            ))
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use daihoi_core::campaign::template;
    use time::macros::date;

    use super::*;

    #[test]
    fn the_timeline_draws_each_level_and_escapes_text() {
        let template = template("ct35-2020").unwrap();
        let campaign = Campaign {
            id: 1,
            name: "x".into(),
            term_start: 2020,
            term_end: 2025,
            directive: String::new(),
            guidance: String::new(),
            template: None,
            root_unit_id: 1,
            root_path: "/1/".into(),
            statuses_on: None,
            statuses_at: None,
            levels: template.levels,
            version: 1,
        };
        let points = vec![
            TimelinePoint { level: Level::Cell, day: date!(2020 - 03 - 10), held: true, count: 3 },
            TimelinePoint { level: Level::Cell, day: date!(2020 - 03 - 11), held: false, count: 2 },
        ];
        let svg = timeline_svg(Lang::Vi, &campaign, &points, date!(2020 - 03 - 12));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("class=\"deadline\"").count(), 5);
        assert!(svg.contains("3 đã tổ chức, 2 dự kiến"));
        assert!(svg.contains("class=\"today\""));
    }
}
