//! Ballot order against reference lists: every file in `tests/data/ballot-order/` is a list in
//! ballot order; `check` shuffles it with several seeds and expects the file order back, both
//! through the library (`daihoi_format::names` + `daihoi_core::ballot_order`) and through the
//! `daihoi ballot-order` binary.
//!
//! The lists are their own expectations, written by hand from published ballots and the rule;
//! there is nothing to regenerate. Add a list by adding a `.txt` file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use daihoi_core::ballot_order::{BallotEntry, ballot_order};
use daihoi_format::names::parse_names;

const SEEDS: [u64; 5] = [1, 2, 3, 0x5eed, 0xdead_beef];

#[test]
fn reference_lists_come_back_in_ballot_order() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .expect("test data directory")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    // Nine published lists and six crafted ones.
    assert!(files.len() >= 15, "found only {} lists", files.len());
    for file in files {
        check(&file);
    }
}

/// Shuffles (and reverses) the list in `file` and expects the ballot order to restore it.
fn check(file: &Path) {
    let text = std::fs::read_to_string(file).expect("readable list");
    let expected: Vec<&str> = text.lines().filter(|line| !line.trim().is_empty()).collect();
    assert!(expected.len() >= 2, "{}: a list needs two names", file.display());
    // The reversed list guarantees one permutation that moves every name of a short list.
    let reversed: Vec<&str> = expected.iter().rev().copied().collect();
    let permutations = SEEDS.map(|seed| (seed, shuffle(&expected, seed)));
    for (seed, shuffled) in permutations.into_iter().chain([(0, reversed)]) {
        let input = shuffled.join("\n");

        let lines = parse_names(input.as_bytes()).expect("list parses");
        let entries: Vec<BallotEntry> = lines.iter().map(|line| line.entry.clone()).collect();
        let by_library: Vec<&str> =
            ballot_order(&entries).into_iter().map(|index| lines[index].text.as_str()).collect();
        assert_eq!(by_library, expected, "{} (library, seed {seed})", file.display());

        let output = daihoi(&["ballot-order", "-"], input.as_bytes());
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        let by_binary = String::from_utf8(output.stdout).expect("UTF-8 output");
        assert_eq!(
            by_binary.lines().collect::<Vec<_>>(),
            expected,
            "{} (binary, seed {seed})",
            file.display()
        );
    }
}

#[test]
fn output_keeps_each_line_byte_for_byte() {
    // The NFD list must come out as the same NFD bytes, dates and all.
    let nfd = std::fs::read(data_dir().join("crafted-nfd.txt")).expect("NFD list");
    let output = daihoi(&["ballot-order"], &nfd);
    assert_eq!(output.stdout, nfd);
    let dated = "Lê Thị Ẩn \t 1980-05-05\r\n\r\nNguyễn Văn An\t1970-01-01\n";
    let output = daihoi(&["ballot-order", "-"], dated.as_bytes());
    assert_eq!(
        String::from_utf8(output.stdout).expect("UTF-8"),
        "Nguyễn Văn An\t1970-01-01\nLê Thị Ẩn \t 1980-05-05\n"
    );
}

#[test]
fn same_names_without_dates_keep_input_order() {
    // Titles and asides are ignored, so these are the same name for the order.
    let input = "Ông Nguyễn Văn An\nNguyễn Văn An (Ba An)\nĐ/c Nguyễn Văn An\n";
    let output = daihoi(&["ballot-order"], input.as_bytes());
    assert_eq!(String::from_utf8(output.stdout).expect("UTF-8"), input);
    let reversed = "Đ/c Nguyễn Văn An\nNguyễn Văn An (Ba An)\nÔng Nguyễn Văn An\n";
    let output = daihoi(&["ballot-order"], reversed.as_bytes());
    assert_eq!(String::from_utf8(output.stdout).expect("UTF-8"), reversed);
}

#[test]
fn bad_date_exits_2_naming_file_and_line() {
    let file = temp_file("names.txt", "Nguyễn Văn An\nLê Văn Tư\n\nTrần Thị Mai\t1970-02-30\n");
    let output = daihoi(&["ballot-order", path_str(&file)], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "nothing half-done on stdout");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(stderr.contains("names.txt:4: "), "{stderr}");
    assert!(stderr.contains("1970-02-30"), "{stderr}");
    assert!(stderr.contains("ngày sinh"), "Vietnamese by default: {stderr}");

    let output = daihoi(&["ballot-order", "--lang", "en", path_str(&file)], b"");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(stderr.contains("names.txt:4: birth date"), "{stderr}");
}

#[test]
fn other_bad_lines_exit_2() {
    for (input, line) in [("An\n\tx\n", 2), ("Lê (Tư\n", 1), ("A\nB\t1970-01-01\tC\n", 2)] {
        let output = daihoi(&["ballot-order", "--lang", "en"], input.as_bytes());
        assert_eq!(output.status.code(), Some(2), "{input:?}");
        let stderr = String::from_utf8(output.stderr).expect("UTF-8");
        assert!(stderr.contains(&format!("<stdin>:{line}: ")), "{input:?}: {stderr}");
    }
    let missing = daihoi(&["ballot-order", "no/such/names.txt"], b"");
    assert_eq!(missing.status.code(), Some(2));
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ballot-order")
}

/// Runs the binary with `stdin` as standard input.
fn daihoi(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_daihoi"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("daihoi starts");
    let mut child_stdin = child.stdin.take().expect("stdin pipe");
    child_stdin.write_all(stdin).expect("write stdin");
    drop(child_stdin);
    child.wait_with_output().expect("daihoi finishes")
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ballot-order");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("temp file");
    path
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// A deterministic Fisher–Yates shuffle (splitmix64), so failures replay exactly.
fn shuffle<'a>(items: &[&'a str], seed: u64) -> Vec<&'a str> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut shuffled = items.to_vec();
    for i in (1..shuffled.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        shuffled.swap(i, j);
    }
    shuffled
}
