//! Helpers shared by the command-line tests: run the real binary, temporary files, a units
//! file with a small tree.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub use daihoi_store::testing::TempDir;

/// Runs `daihoi` with these arguments and returns what it did.
pub fn daihoi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_daihoi"))
        .args(args)
        .env_remove("DAIHOI_DATABASE_URL")
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .output()
        .expect("run daihoi")
}

/// Runs `daihoi` with `input` on standard input.
pub fn daihoi_with_input(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_daihoi"))
        .args(args)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run daihoi");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("wait for daihoi")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes `content` to `name` in `dir`.
pub fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write a test file");
    path
}

/// A small tree, Central down to three cells, as Excel saves a Vietnamese CSV: a byte-order
/// mark, semicolons, CRLF, dates in both spellings, rows in no particular order.
pub const UNITS_CSV: &str = "\u{feff}Mã;Tên đơn vị;Loại;Đơn vị cấp trên;Số đảng viên chính thức;Hiệu lực từ\r\n\
c1;Chi bộ bản Him Lam 1;Chi bộ;hl;25;\r\n\
tw;Ban Chấp hành Trung ương;Trung ương;;0;\r\n\
db;Đảng bộ tỉnh Điện Biên;Đảng bộ tỉnh, thành phố;tw;0;01/01/2020\r\n\
tp;Đảng bộ thành phố Điện Biên Phủ;Thành ủy;db;0;2020-01-01\r\n\
hl;Đảng bộ phường Him Lam;Đảng bộ cơ sở;tp;0;\r\n\
c2;Chi bộ tổ dân phố 5;Chi bộ;hl;12;\r\n\
c3;Chi bộ tổ dân phố 6;Chi bộ;hl;9;7/1/2020\r\n";

/// A fresh SQLite database URL in `dir`.
pub fn database(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}
