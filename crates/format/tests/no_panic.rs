//! No input makes the election-file entry point panic: arbitrary bytes, arbitrary JSON, and
//! JSON shaped like an election file with wild values all end in a result or an error.
//! Whatever is counted also renders as JSON and text, and the JSON reads back.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use daihoi_format::election::{self, Lang, ResultFile, text};

/// Parse, resolve and count; then render everything that was counted.
fn run(bytes: &[u8]) {
    if let Ok(report) = election::count(bytes) {
        let result = ResultFile::from_report(&report, Lang::Vi);
        let written = result.to_json();
        let read_back = election::parse_result(written.as_bytes());
        assert_eq!(read_back.as_ref().ok(), Some(&result), "the result reads back");
        let _ = text::render(&report, Lang::En);
    }
}

const KEYS: &[&str] = &[
    "format",
    "rules",
    "title",
    "kind",
    "round_type",
    "seats",
    "alternate_seats",
    "candidates",
    "electorate",
    "ballots",
    "id",
    "name",
    "birth_date",
    "congress",
    "summoned",
    "present",
    "excluded",
    "issued",
    "collected",
    "cast",
    "crossed",
    "marks",
    "invalid",
    "note",
    "count",
];

const WORDS: &[&str] = &[
    "daihoi.election/1",
    "qd190-2024",
    "qd244-2014",
    "committee",
    "delegates",
    "secretary",
    "regular",
    "tie_break",
    "members",
    "conference",
    "c1",
    "c2",
    "c3",
    "agree",
    "disagree",
    "both",
    "none",
    "not_issued",
    "other",
    "absent_approved",
    "suspended",
    "",
    "1970-01-01",
];

fn arb_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        (0u64..12).prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        prop::sample::select(WORDS).prop_map(|word| json!(word)),
        ".{0,12}".prop_map(Value::String),
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    arb_scalar().prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|pairs| {
                Value::Object(
                    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

fn small_count() -> impl Strategy<Value = Value> {
    prop_oneof![
        30 => (1u64..8).prop_map(|n| json!(n)),
        1 => Just(json!(0)),
        1 => any::<i64>().prop_map(|n| json!(n)),
        1 => Just(json!(u64::MAX)),
        1 => Just(json!(u32::MAX)),
    ]
}

const IDS: [&str; 4] = ["c1", "c2", "c3", "c4"];

/// A cast entry in both forms (strike-through, agree/disagree); the document picks one.
fn cast_entry() -> impl Strategy<Value = (Value, Value)> {
    let crossed =
        prop::sample::subsequence(IDS.to_vec(), 0..=4).prop_map(|ids| json!({ "crossed": ids }));
    let marks = prop::collection::vec(
        (
            prop::sample::select(&IDS[..]),
            prop::sample::select(&["agree", "disagree", "both", "none"][..]),
        ),
        0..5,
    )
    .prop_map(|pairs| {
        let map: Map<String, Value> =
            pairs.into_iter().map(|(id, mark)| (id.to_owned(), json!(mark))).collect();
        json!({ "marks": map })
    });
    let invalid =
        prop::sample::select(&["not_issued", "added_name", "identifying_mark", "other"][..])
            .prop_map(|reason| json!({ "invalid": reason, "note": "ghi chú" }));
    let count =
        prop::option::of(prop_oneof![10 => (1u64..4).prop_map(|n| json!(n)), 1 => small_count()]);
    (prop_oneof![12 => Just(false), 1 => Just(true)], crossed, marks, invalid, count).prop_map(
        |(ruled, crossed, marks, invalid, count)| {
            let with_count = |mut entry: Value| {
                if let (Value::Object(map), Some(count)) = (&mut entry, &count) {
                    map.insert("count".to_owned(), count.clone());
                }
                entry
            };
            if ruled {
                (with_count(invalid.clone()), with_count(invalid))
            } else {
                (with_count(crossed), with_count(marks))
            }
        },
    )
}

/// Where a mutation lands: a top-level field, or one inside `electorate` or `ballots`.
const MUTATION_PATHS: &[&[&str]] = &[
    &["rules"],
    &["kind"],
    &["round_type"],
    &["seats"],
    &["alternate_seats"],
    &["candidates"],
    &["electorate", "congress"],
    &["electorate", "summoned"],
    &["electorate", "present"],
    &["electorate", "excluded"],
    &["ballots", "issued"],
    &["ballots", "collected"],
    &["ballots", "cast"],
    &["format"],
];

const EXCLUSIONS: [(&str, &[&str]); 3] = [
    ("members", &["absent_approved", "exempt_absent", "suspended"]),
    ("delegates", &["committee_absent", "delegate_absent_unreplaced"]),
    ("conference", &["suspended", "prosecuted"]),
];

/// A plausible election file, now and then with one field replaced by arbitrary JSON or one
/// consistency broken, so that every path through resolve and the count is taken.
fn election_like() -> impl Strategy<Value = Value> {
    (
        (
            prop::sample::select(&["qd190-2024", "qd244-2014"][..]),
            prop::sample::select(&["committee", "delegates", "secretary", "other"][..]),
            prop::sample::select(&["regular", "regular", "tie_break"][..]),
            0u64..8,
            prop_oneof![6 => Just(0u64), 1 => 1u64..3],
        ),
        prop::sample::subsequence(IDS.to_vec(), 1..=4),
        (0usize..3, 1u64..12, 1u64..12, prop::option::of((0usize..3, 0u64..3))),
        (0u64..3, prop_oneof![6 => Just(true), 1 => Just(false)], prop_oneof![9 => Just(true), 1 => Just(false)]),
        prop::collection::vec(cast_entry(), 0..8),
        prop::option::weighted(0.3, (prop::sample::select(MUTATION_PATHS), arb_json())),
    )
        .prop_map(
            |((rules, kind, round, seats, alternates), ids, (congress, summoned, present, excluded), (spare, consistent, right_form), cast, mutation)| {
                let names = ids.len() as u64;
                // Mostly a list that fits its seats; 0 stands for an arbitrary seat count.
                let seats = if seats == 0 { json!(names + 1) } else { json!(1 + seats % names) };
                let marks_form = seats.as_u64() == Some(names);
                let candidates: Vec<Value> =
                    ids.into_iter().map(|id| json!({ "id": id, "name": "Tên" })).collect();
                let (congress, allowed) = EXCLUSIONS[congress];
                let excluded: Map<String, Value> = excluded
                    .into_iter()
                    .map(|(key, n)| (allowed[key % allowed.len()].to_owned(), json!(n)))
                    .collect();
                let cast: Vec<Value> = cast
                    .into_iter()
                    .map(|(crossed, marks)| if marks_form == right_form { marks } else { crossed })
                    .collect();
                let sum: u64 = cast
                    .iter()
                    .map(|entry| entry.get("count").and_then(Value::as_u64).unwrap_or(1))
                    .fold(0u64, u64::saturating_add);
                // Usually the ballot counts add up, so the count itself is reached.
                let collected = if consistent { sum } else { sum.saturating_add(spare + 1) };
                let mut document = json!({
                    "format": "daihoi.election/1",
                    "rules": rules,
                    "kind": kind,
                    "round_type": round,
                    "seats": seats,
                    "alternate_seats": alternates,
                    "candidates": candidates,
                    "electorate": { "congress": congress, "summoned": summoned, "present": present, "excluded": excluded },
                    "ballots": { "issued": sum.saturating_add(spare), "collected": collected, "cast": cast },
                });
                if let Some((path, value)) = mutation {
                    let mut target = &mut document;
                    for key in &path[..path.len() - 1] {
                        target = &mut target[*key];
                    }
                    target[path[path.len() - 1]] = value;
                }
                document
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        run(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in arb_json()) {
        run(value.to_string().as_bytes());
    }

    #[test]
    fn election_shaped_json_never_panics(value in election_like()) {
        run(value.to_string().as_bytes());
    }
}

#[test]
fn deeply_nested_input_is_an_error_not_a_crash() {
    let deep = "[".repeat(100_000);
    assert!(election::count(deep.as_bytes()).is_err());
    let deep_in_field =
        format!("{{\"format\":\"daihoi.election/1\",\"title\":{}}}", "[".repeat(100_000));
    assert!(election::count(deep_in_field.as_bytes()).is_err());
}

#[test]
fn the_shaped_generator_reaches_counted_results() {
    // Guard against a generator that only ever produces errors: a plain valid file counts.
    let valid = json!({
        "format": "daihoi.election/1", "kind": "committee", "seats": 1,
        "candidates": [{"id": "c1", "name": "A"}, {"id": "c2", "name": "B"}],
        "electorate": {"congress": "members", "summoned": 3, "present": 3},
        "ballots": {"issued": 3, "collected": 3, "cast": [{"crossed": ["c2"], "count": 3}]}
    });
    let report = election::count(valid.to_string().as_bytes()).expect("a valid file counts");
    assert_eq!(report.elected.len(), 1);
}
