//! `daihoi tally` and `daihoi rules` run as a user runs them: the built binary, its exit code,
//! what it prints on standard output and standard error.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// Runs `daihoi ARGS`, feeding `stdin` if given.
fn daihoi(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_daihoi"))
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the daihoi binary starts");
    if let Some(bytes) = stdin {
        child.stdin.take().expect("piped stdin").write_all(bytes).expect("stdin written");
    }
    child.wait_with_output().expect("daihoi finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("standard output is JSON")
}

#[test]
fn tally_prints_the_result_document() {
    let file = data("tally-complete.election.json");
    let output = daihoi(&["tally", file.to_str().expect("UTF-8 path")], None);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", text(&output.stderr));
    assert!(output.stderr.is_empty());
    let result = json(&output);
    assert_eq!(result["format"], "daihoi.result/1");
    assert_eq!(result["base"], 38);
    assert_eq!(result["threshold"], 20);
    assert_eq!(result["outcome"], "complete");
    assert_eq!(result["elected"], serde_json::json!(["c1", "c2", "c3", "c4", "c5"]));
    assert_eq!(result["candidates"][0]["percent_of_base"], "78.95");
}

#[test]
fn tally_reads_standard_input() {
    let bytes = std::fs::read(data("tally-tie.election.json")).expect("test data");
    let output = daihoi(&["tally", "-"], Some(&bytes));
    assert_eq!(output.status.code(), Some(0), "stderr: {}", text(&output.stderr));
    let result = json(&output);
    // A tie is a result, not a failure: the congress holds a tie-break round.
    assert_eq!(result["outcome"], "tie_break_needed");
    assert_eq!(
        result["tie"],
        serde_json::json!({"candidates": ["c3", "c4"], "seats": 1, "votes": 25})
    );
}

#[test]
fn tally_text_is_vietnamese_by_default_and_english_on_request() {
    let file = data("tally-complete.election.json");
    let path = file.to_str().expect("UTF-8 path");
    let vi = daihoi(&["tally", path, "--format", "text"], None);
    assert_eq!(vi.status.code(), Some(0));
    let vi = text(&vi.stdout);
    for expected in [
        "KẾT QUẢ KIỂM PHIẾU",
        "Cơ sở tính kết quả (D, số được triệu tập sau khi trừ): 38",
        "Số phiếu phát ra:",
        "Số phiếu thu về:",
        "Số phiếu hợp lệ:",
        "Số phiếu không hợp lệ:",
        "78,95%",
        "trúng cử",
        "QĐ 190-QĐ/TW, Điều 30 khoản 2",
    ] {
        assert!(vi.contains(expected), "missing {expected:?} in:\n{vi}");
    }

    let en = daihoi(&["tally", path, "--format", "text", "--lang", "en"], None);
    assert_eq!(en.status.code(), Some(0));
    let en = text(&en.stdout);
    for expected in
        ["COUNTING RESULT", "Base D", "Ballots issued:", "78.95%", "elected", "Art. 30 cl. 2"]
    {
        assert!(en.contains(expected), "missing {expected:?} in:\n{en}");
    }
}

#[test]
fn tally_error_names_the_file_and_the_json_path_and_exits_2() {
    let file = data("tally-unknown-candidate.election.json");
    let path = file.to_str().expect("UTF-8 path");
    let output = daihoi(&["tally", path], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "nothing on standard output");
    assert_eq!(
        text(&output.stderr),
        format!("daihoi: {path}: ballots.cast[4].crossed: unknown candidate \"c9\"\n")
    );
}

#[test]
fn tally_bad_json_and_missing_files_exit_2() {
    let output = daihoi(&["tally", "-"], Some(b"{\"format\": \"daihoi.election/1\",\n}"));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stderr), "daihoi: <stdin>: line 2 column 1: trailing comma\n");

    let output = daihoi(&["tally", "-"], Some(b"\xff\xfe not json"));
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).starts_with("daihoi: <stdin>: line 1 column 1:"));

    let missing = data("no-such-file.election.json");
    let output = daihoi(&["tally", missing.to_str().expect("UTF-8 path")], None);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(&format!("daihoi: {}: cannot read:", missing.display())),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one message");
}

#[test]
fn rules_list_and_show() {
    let list = daihoi(&["rules", "list"], None);
    assert_eq!(list.status.code(), Some(0));
    let list = text(&list.stdout);
    assert!(list.contains("qd190-2024") && list.contains("mặc định"), "{list}");
    assert!(list.contains("qd244-2014") && list.contains("đã được thay thế"), "{list}");

    let show = daihoi(&["rules", "show", "qd190-2024"], None);
    assert_eq!(show.status.code(), Some(0));
    let show = text(&show.stdout);
    for expected in
        ["Điều 15", "Điều 30 khoản 2", "Điều 18", "Điều 8", "Điều 14 khoản 1", "Không xét tuổi"]
    {
        assert!(show.contains(expected), "missing {expected:?} in:\n{show}");
    }

    let english = daihoi(&["rules", "show", "qd244-2014", "--lang", "en"], None);
    assert_eq!(english.status.code(), Some(0));
    let english = text(&english.stdout);
    for expected in ["Art. 17", "Art. 32 cl. 2", "Art. 20", "Art. 7", "Never by age"] {
        assert!(english.contains(expected), "missing {expected:?} in:\n{english}");
    }

    let as_json = daihoi(&["rules", "show", "qd190-2024", "--format", "json"], None);
    assert_eq!(as_json.status.code(), Some(0));
    let pack = json(&as_json);
    assert_eq!(pack["code"], "qd190-2024");
    assert_eq!(pack["surplus"]["cap_percent"], 30);
    assert_eq!(pack["tie"]["tie_break"], "revote_among_tied");
    let listed = json(&daihoi(&["rules", "list", "--format", "json"], None));
    assert_eq!(listed.as_array().map(Vec::len), Some(2));

    let unknown = daihoi(&["rules", "show", "qd999"], None);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        text(&unknown.stderr),
        "daihoi: unknown rule pack \"qd999\"; known: qd190-2024, qd244-2014\n"
    );
}
