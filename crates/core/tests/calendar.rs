//! Reference cases of the working-day calendar around Tết, 30/4–1/5 and the other breaks,
//! read from `tests/data/calendar/working-days.csv`.

use daihoi_core::calendar::{WorkCalendar, iso, parse_iso};

#[test]
fn working_day_reference_cases() {
    let calendar = WorkCalendar::vietnam();
    let text = include_str!("data/calendar/working-days.csv");
    let mut n_cases = 0;
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), 4, "line {}: {line}", index + 1);
        let a = parse_iso(fields[1]).expect("a date");
        let got = match fields[0] {
            "add" => iso(calendar.add_working_days(a, fields[2].parse().expect("n"))),
            "sub" => iso(calendar.sub_working_days(a, fields[2].parse().expect("n"))),
            "between" => {
                calendar.working_days_between(a, parse_iso(fields[2]).expect("b")).to_string()
            }
            other => panic!("line {}: unknown op {other}", index + 1),
        };
        assert_eq!(got, fields[3], "line {}: {line}", index + 1);
        n_cases += 1;
    }
    assert!(n_cases >= 15);
}
