//! Reference cases of the counting engine, read through the election file.
//!
//! Every `tests/data/elections/NAME.election.json` is read, resolved and counted by one
//! `check` function and compared with `NAME.result.json` (the result document, Vietnamese
//! words) or `NAME.error.txt` (the exact error message). Cases named in `TEXT_CASES` are also
//! compared with `NAME.text.vi.txt` and `NAME.text.en.txt` (the counting committee's read-out).
//! Each election file's `note` says what the case shows and where it comes from
//! (`domain/election-rules.md` §5.2 and §10).
//!
//! Regenerate the expectations after a deliberate change with
//! `UPDATE_EXPECT=1 cargo test -p daihoi-format --test elections`, then review every changed
//! file by eye against the rules before committing it.

use std::fs;
use std::path::{Path, PathBuf};

use daihoi_format::election::{self, Lang, ResultFile, text};

/// Cases whose text report is checked too.
const TEXT_CASES: &[&str] = &[
    "him-lam-committee-complete",
    "d2-tie-at-cut-off",
    "d2-tie-break-round",
    "d4-agree-disagree-row-with-both-boxes",
    "d10-delegates-and-alternates",
    "alternate-tie",
    "s4-committee-rulings",
    "warnings-no-surplus-and-attendance",
];

#[test]
fn reference_elections() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/elections");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("reading {}: {error}", dir.display()))
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            entry.file_name().to_str()?.strip_suffix(".election.json").map(str::to_owned)
        })
        .collect();
    names.sort();
    // The §10 and §5.2 cases, the outcomes and the error cases are all here.
    assert!(names.len() >= 80, "only {} cases found in {}", names.len(), dir.display());
    let failures: Vec<String> = names.iter().filter_map(|name| check(&dir, name).err()).collect();
    assert!(failures.is_empty(), "{} case(s) differ:\n\n{}", failures.len(), failures.join("\n\n"));
    for name in TEXT_CASES {
        assert!(names.iter().any(|known| known == name), "text case {name} has no election file");
    }
}

/// Counts one case and compares every output with its expectation file.
fn check(dir: &Path, name: &str) -> Result<(), String> {
    let input_path = dir.join(format!("{name}.election.json"));
    let input = fs::read(&input_path).map_err(|error| format!("{name}: {error}"))?;
    let result_path = dir.join(format!("{name}.result.json"));
    let error_path = dir.join(format!("{name}.error.txt"));
    let mut outputs: Vec<(PathBuf, String)> = Vec::new();
    match election::count(&input) {
        Ok(report) => {
            if error_path.exists() {
                return Err(format!(
                    "{name}: counted, but {} expects an error",
                    error_path.display()
                ));
            }
            outputs.push((result_path, ResultFile::from_report(&report, Lang::Vi).to_json()));
            if TEXT_CASES.contains(&name) {
                for (lang, code) in [(Lang::Vi, "vi"), (Lang::En, "en")] {
                    outputs.push((
                        dir.join(format!("{name}.text.{code}.txt")),
                        text::render(&report, lang),
                    ));
                }
            }
        }
        Err(error) => {
            if result_path.exists() {
                return Err(format!(
                    "{name}: error \"{error}\", but {} expects a result",
                    result_path.display()
                ));
            }
            outputs.push((error_path, format!("{error}\n")));
        }
    }
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut problems = Vec::new();
    for (path, actual) in outputs {
        if update {
            fs::write(&path, &actual).map_err(|error| format!("{}: {error}", path.display()))?;
            continue;
        }
        match fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => problems
                .push(format!("{}\n--- expected\n{expected}--- actual\n{actual}", path.display())),
            Err(_) => problems.push(format!(
                "{} is missing; run with UPDATE_EXPECT=1 and review it\n--- actual\n{actual}",
                path.display()
            )),
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}
