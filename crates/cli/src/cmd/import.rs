//! `daihoi import units|members FILE`: all or nothing. Every row is read and checked first;
//! if any is wrong, every problem is printed with its row and column and nothing is written
//! (exit 2).

use std::path::{Path, PathBuf};

use anyhow::Context;
use daihoi_core::records::RowProblem;
use daihoi_format::table::{TableFormat, read_table};
use daihoi_store::{Actor, ImportCheck, ImportError, ImportScope, ImportSource, StoreError};
use sha2::{Digest, Sha256};

use super::{DatabaseArgs, open_store, progress, runtime};
use crate::BadInput;

/// Subcommands of `daihoi import`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Import units (CSV or XLSX). Columns: Mã, Tên đơn vị, Loại, Đơn vị cấp trên (a Mã of the
    /// file or the id of a unit), Ký hiệu, Số đảng viên chính thức, Số đảng viên dự bị, Hiệu lực
    /// từ, Hiệu lực đến, Ghi chú (English names accepted too).
    Units(Args),
    /// Import members (CSV or XLSX). Columns: Họ và tên, Ngày sinh, Giới tính, Dân tộc, Ngày vào
    /// Đảng, Chính thức/Dự bị, Tình trạng, Trình độ chuyên môn, Lý luận chính trị, Đơn vị (id or
    /// exact name of the cell), Ghi chú.
    Members(Args),
}

/// Arguments of `daihoi import units|members`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The file: `.csv` (UTF-8, comma or semicolon) or `.xlsx` (first sheet).
    pub file: PathBuf,
    /// Check every row against the tree and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import under this unit (id): rows without a parent or unit go there, and everything
    /// must be inside its subtree.
    #[arg(long)]
    pub under: Option<i64>,
    /// Language of the messages: vi (default) or en.
    #[arg(long, default_value = "vi")]
    pub lang: String,
}

enum What {
    Units,
    Members,
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Units(args) => import(args, What::Units),
        Command::Members(args) => import(args, What::Members),
    }
}

fn english(lang: &str) -> bool {
    lang.trim().eq_ignore_ascii_case("en")
}

/// The message for a rejected file: the file, how many problems, then one line per problem.
fn rejection(file: &Path, problems: &[RowProblem], english: bool) -> BadInput {
    let header = if english {
        format!("{}: {} problem(s); nothing was imported:", file.display(), problems.len())
    } else {
        format!("{}: {} lỗi; chưa nhập gì:", file.display(), problems.len())
    };
    let lines: Vec<String> =
        problems.iter().map(|problem| format!("  {}", problem.describe(english))).collect();
    BadInput(format!("{header}\n{}", lines.join("\n")))
}

fn print_warnings(check: &ImportCheck, english: bool) {
    for warning in &check.warnings {
        let label = if english { "warning" } else { "lưu ý" };
        eprintln!("daihoi: {label}: {}", warning.describe(english));
    }
}

fn import(args: Args, what: What) -> anyhow::Result<()> {
    let english = english(&args.lang);
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let file_name = args
        .file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.file.display().to_string());
    let format = TableFormat::detect(&file_name, &bytes);
    let table =
        read_table(&bytes, format).map_err(|problem| rejection(&args.file, &[problem], english))?;
    let source = ImportSource { file_name, sha256: hex::encode(Sha256::digest(&bytes)) };
    runtime()?.block_on(async {
        let store = open_store(&args.database).await?;
        let scope = ImportScope { access: None, under: args.under };
        let not_found = |error: StoreError| -> anyhow::Error {
            match error {
                StoreError::NotFound => BadInput(format!(
                    "--under {}: {}",
                    args.under.unwrap_or_default(),
                    if english { "no such unit" } else { "không có đơn vị này" }
                ))
                .into(),
                other => other.into(),
            }
        };
        let actor = Actor::system("cli");
        let (check, rows) = match what {
            What::Units => {
                let file = daihoi_format::units_file::read_units(&table)
                    .map_err(|problems| rejection(&args.file, &problems, english))?;
                let check = store.check_unit_import(&file, &scope).await.map_err(not_found)?;
                (check, Rows::Units(file))
            }
            What::Members => {
                let file = daihoi_format::members_file::read_members(&table)
                    .map_err(|problems| rejection(&args.file, &problems, english))?;
                // A members file brings no warnings, and the import checks every row again
                // inside its transaction: outside a dry run the rows are checked once, there.
                let check = if args.dry_run {
                    store.check_member_import(&file, &scope).await.map_err(not_found)?
                } else {
                    ImportCheck::default()
                };
                (check, Rows::Members(file))
            }
        };
        if !check.problems.is_empty() {
            return Err(rejection(&args.file, &check.problems, english).into());
        }
        print_warnings(&check, english);
        let n_rows = table.rows.len() as u64;
        if args.dry_run {
            if english {
                eprintln!(
                    "daihoi: {}: {n_rows} rows are valid (dry run: nothing written).",
                    args.file.display()
                );
            } else {
                eprintln!(
                    "daihoi: {}: {n_rows} dòng hợp lệ (chạy thử: chưa ghi gì).",
                    args.file.display()
                );
            }
            return Ok(());
        }
        let bar = progress::rows_bar(n_rows, if english { "importing" } else { "đang nhập" });
        let report = |done: u64| bar.set_position(done);
        let outcome = match &rows {
            Rows::Units(file) => store.import_units(&actor, file, &scope, &source, &report).await,
            Rows::Members(file) => {
                store.import_members(&actor, file, &scope, &source, &report).await
            }
        };
        bar.finish_and_clear();
        let summary = match outcome {
            Ok(summary) => summary,
            // The tree changed between the check and the write: the same report.
            Err(ImportError::Rejected(problems)) => {
                return Err(rejection(&args.file, &problems, english).into());
            }
            Err(ImportError::Store(error)) => return Err(not_found(error)),
        };
        let (count, ids, noun_vi, noun_en) = match rows {
            Rows::Units(_) => (summary.units, summary.unit_ids, "đơn vị", "units"),
            Rows::Members(_) => (summary.members, summary.member_ids, "đảng viên", "members"),
        };
        let range = ids.map(|(a, b)| format!(" ({a}–{b})")).unwrap_or_default();
        if english {
            eprintln!("daihoi: imported {count} {noun_en}{range} from {}.", args.file.display());
        } else {
            eprintln!("daihoi: đã nhập {count} {noun_vi}{range} từ {}.", args.file.display());
        }
        // The rows are committed; closing lets the checkpoint copy them into the file.
        store.close().await;
        Ok(())
    })
}

enum Rows {
    Units(daihoi_core::records::UnitFile),
    Members(daihoi_core::records::MemberFile),
}
