//! Document numbers and symbols against the reference cases in `tests/data/symbols/`:
//! `symbols.txt` (typed text → the register's spelling, warnings, or the error) and
//! `numbering.txt` (sequence keys, next numbers, committee terms). The files are their own
//! expectations, written by hand from congress-process §6.

use std::path::Path;

use daihoi_core::symbol::{DocumentSymbol, Sequence, next_number, term_start_after, term_start_of};
use time::Date;
use time::macros::format_description;
use unicode_normalization::UnicodeNormalization;

fn data(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/symbols").join(name);
    std::fs::read_to_string(path).expect("reference cases")
}

fn cases(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line))
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
}

/// What parsing `input` gives, written as the reference file writes it.
fn outcome(input: &str) -> String {
    match DocumentSymbol::parse(input) {
        Ok(parsed) => {
            let mut out = parsed.symbol.to_string();
            for warning in &parsed.warnings {
                out.push_str(" !");
                out.push_str(warning.code());
            }
            out
        }
        Err(error) => format!("error {}", error.code()),
    }
}

#[test]
fn symbols_match_the_reference_cases() {
    let text = data("symbols.txt");
    let mut n_cases = 0;
    for (line_no, line) in cases(&text) {
        let (input, expected) = line.split_once("=>").expect("each case has =>");
        let expected = expected.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(outcome(input), expected, "symbols.txt line {line_no}: {input:?}");
        // The same text decomposed (NFD) reads the same.
        let decomposed: String = input.nfd().collect();
        assert_eq!(outcome(&decomposed), expected, "symbols.txt line {line_no} in NFD");
        // A symbol the register wrote reads back to itself, without warnings it did not have.
        if !expected.starts_with("error") {
            let written = expected.split(' ').next().unwrap();
            assert_eq!(outcome(written), expected, "symbols.txt line {line_no}: round trip");
        }
        n_cases += 1;
    }
    assert!(n_cases >= 50, "only {n_cases} symbol cases read");
}

#[test]
fn every_error_and_warning_has_both_messages() {
    for input in [
        "",
        "CT/TW",
        "0-CT/TW",
        "100000-CT/TW",
        "35CT/TW",
        "35-/TW",
        "35-C1/TW",
        "35-CT",
        "35-CT/",
        "35-CT/T W",
    ] {
        let error = DocumentSymbol::parse(input).unwrap_err();
        assert!(error.message_vi().len() > 20 && error.message_en().len() > 20, "{input:?}");
        assert_ne!(error.message_vi(), error.message_en());
    }
    let parsed = DocumentSymbol::parse("05-XYZ/ABC").unwrap();
    assert_eq!(parsed.warnings.len(), 2);
    for warning in parsed.warnings {
        assert!(warning.message_vi().contains("XYZ") || warning.message_vi().contains("ABC"));
        assert!(warning.message_en().contains("XYZ") || warning.message_en().contains("ABC"));
    }
}

fn day(text: &str) -> Date {
    Date::parse(text, format_description!("[year]-[month]-[day]")).expect("a date")
}

fn optional_day(text: &str) -> Option<Date> {
    (text != "none" && text != "-").then(|| day(text))
}

fn show(day: Option<Date>) -> String {
    day.map(|d| d.to_string()).unwrap_or_else(|| "none".into())
}

#[test]
fn numbering_matches_the_reference_cases() {
    let text = data("numbering.txt");
    let mut n_cases = 0;
    for (line_no, line) in cases(&text) {
        let (query, expected) = line.split_once("=>").expect("each case has =>");
        let words: Vec<&str> = query.split_whitespace().collect();
        let expected = expected.trim();
        let got = match words.as_slice() {
            ["next", last] => {
                next_number(if *last == "none" { None } else { Some(last.parse().unwrap()) })
                    .to_string()
            }
            ["after", closing, meeting] => {
                term_start_after(day(closing), optional_day(meeting)).to_string()
            }
            ["term", on, "in", starts] => {
                let starts: Vec<Date> =
                    if *starts == "-" { Vec::new() } else { starts.split(',').map(day).collect() };
                show(term_start_of(day(on), &starts))
            }
            ["key", "term", start, doc_type] => {
                let (scope, doc_type) = Sequence::CommitteeTerm {
                    term_start: optional_day(start),
                    doc_type: doc_type.to_string(),
                }
                .key();
                format!("{scope} {doc_type}")
            }
            ["key", "congress", id] => {
                let (scope, doc_type) =
                    Sequence::Congress { congress_id: id.parse().unwrap() }.key();
                format!("{scope} {doc_type}")
            }
            _ => panic!("numbering.txt line {line_no}: unknown case {query:?}"),
        };
        assert_eq!(got, expected, "numbering.txt line {line_no}: {query}");
        n_cases += 1;
    }
    assert!(n_cases >= 18, "only {n_cases} numbering cases read");
}
