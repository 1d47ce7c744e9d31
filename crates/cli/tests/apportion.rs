//! Apportionment cases: every line of `tests/data/apportionment/cases.txt` (published
//! examples) and `crafted-cases.txt` is a command line and its expected result, run by `check`
//! through the `daihoi` binary and through the library (`daihoi_format::apportion_csv` +
//! `daihoi_core::apportion`).
//!
//! An expectation `NAME.expected.csv` is the output CSV; `NAME.expected.txt` is a failure, its
//! first line `exit N`, the rest the message on standard error.
//!
//! Regenerate the expectations from the binary (then review the diff):
//!
//! ```sh
//! UPDATE_EXPECT=1 cargo test -p daihoi --test apportion
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

use daihoi_core::apportion::{ApportionError, Method, Rules, apportion};
use daihoi_format::apportion_csv::{read_units, write_seats};

#[test]
fn published_cases() {
    let cases = read_cases("cases.txt");
    assert_eq!(cases.len(), 4);
    for case in cases {
        check(&case);
    }
}

#[test]
fn crafted_cases() {
    let cases = read_cases("crafted-cases.txt");
    assert!(cases.len() >= 13);
    for case in cases {
        check(&case);
    }
}

/// One line of a cases file.
#[derive(Debug)]
struct Case {
    /// Arguments after `daihoi`.
    args: Vec<String>,
    /// The expectation file, relative to the data directory.
    expected: String,
}

/// Runs `case` through the binary and the library and compares both with the expectation.
fn check(case: &Case) {
    let expected_path = data_dir().join(&case.expected);
    let output = Command::new(env!("CARGO_BIN_EXE_daihoi"))
        .args(&case.args)
        .current_dir(data_dir())
        .output()
        .expect("daihoi runs");
    let code = output.status.code().expect("exit code");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 stdout");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
    let actual = if code == 0 { stdout.clone() } else { format!("exit {code}\n{stderr}") };

    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, &actual).expect("write expectation");
    }
    let expected = std::fs::read_to_string(&expected_path)
        .unwrap_or_else(|error| panic!("{}: {error}", expected_path.display()));
    assert_eq!(actual, expected, "binary: {:?}", case.args);
    if code != 0 {
        assert!(stdout.is_empty(), "nothing on stdout after a failure: {:?}", case.args);
    }

    // The same case through the library.
    let library = run_library(case);
    match (&library, code) {
        (Ok(csv), 0) => assert_eq!(csv, &expected, "library: {:?}", case.args),
        (Err(LibraryFailure::Tie(units)), 3) => {
            for unit in units {
                assert!(stderr.contains(unit.as_str()), "tie message names {unit}: {stderr}");
            }
        }
        (Err(LibraryFailure::BadInput), 2) => {}
        (other, code) => panic!("library gave {other:?}, binary exit {code}: {:?}", case.args),
    }
}

#[derive(Debug)]
enum LibraryFailure {
    /// The tied units' names.
    Tie(Vec<String>),
    BadInput,
}

fn run_library(case: &Case) -> Result<String, LibraryFailure> {
    let mut seats = None;
    let mut method = None;
    let mut min_per_unit = 0;
    let mut file = None;
    let mut args = case.args.iter().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().expect("option value").clone();
        match arg.as_str() {
            "--seats" => seats = Some(value().parse::<u64>().expect("seats")),
            "--method" => method = Some(value().parse::<Method>().expect("method")),
            "--min-per-unit" => min_per_unit = value().parse::<u64>().expect("minimum"),
            "--lang" => drop(value()),
            other => file = Some(other.to_owned()),
        }
    }
    let input = std::fs::read(data_dir().join(file.expect("input file"))).expect("input");
    let table = read_units(&input).map_err(|_| LibraryFailure::BadInput)?;
    let rules = Rules { method: method.expect("--method"), min_per_unit };
    match apportion(table.members(), seats.expect("--seats"), rules) {
        Ok(result) => {
            let mut csv = Vec::new();
            write_seats(&table, &result, &mut csv).expect("write CSV");
            Ok(String::from_utf8(csv).expect("UTF-8 CSV"))
        }
        Err(ApportionError::Tie(tie)) => Err(LibraryFailure::Tie(
            tie.units.iter().map(|&unit| table.units()[unit].clone()).collect(),
        )),
        Err(_) => Err(LibraryFailure::BadInput),
    }
}

/// Reads `daihoi apportion ARGS FILE => EXPECTED` lines; blank lines and `#` comments skipped.
fn read_cases(name: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(data_dir().join(name)).expect("cases file");
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .map(|line| {
            let (command, expected) = line.split_once("=>").expect("`=>` in a case line");
            let mut words = command.split_whitespace();
            assert_eq!(words.next(), Some("daihoi"), "{line}");
            Case { args: words.map(str::to_owned).collect(), expected: expected.trim().to_owned() }
        })
        .collect()
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/apportionment")
}
