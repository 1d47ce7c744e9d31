//! `daihoi export units|members`: the same columns the import reads, as CSV (standard output
//! by default) or XLSX (`-o FILE`), for a whole subtree.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use daihoi_format::members_file::{self, MemberLine};
use daihoi_format::table::{Cell, CsvWriter, TableFormat, XLSX_MAX_ROWS, write_xlsx};
use daihoi_format::units_file::{self, UnitLine};
use daihoi_store::{Store, StoreError, Unit};

use super::{DatabaseArgs, open_store, runtime};
use crate::BadInput;

/// Subcommands of `daihoi export`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Export the active units of a subtree, parents first.
    Units(Args),
    /// Export the members of a subtree, cell by cell in name order.
    Members(Args),
}

/// Arguments of `daihoi export units|members`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// csv (default) or xlsx.
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// The unit whose subtree to export (default: the root of the tree).
    #[arg(long)]
    pub unit: Option<i64>,
    /// Write to this file instead of standard output (required for xlsx).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Units(args) => export(args, false),
        Command::Members(args) => export(args, true),
    }
}

/// A unit as an export line.
pub fn unit_line(unit: &Unit) -> UnitLine {
    UnitLine {
        id: unit.id,
        parent_id: unit.parent_id,
        name: unit.name.clone(),
        kind: unit.kind,
        issuer_abbrev: unit.issuer_abbrev.clone(),
        official: unit.official,
        probationary: unit.probationary,
        valid_from: unit.valid_from,
        valid_to: unit.valid_to,
        note: unit.note.clone(),
    }
}

/// A member as an export line.
pub fn member_line(member: &daihoi_store::Member, unit_name: String) -> MemberLine {
    MemberLine {
        full_name: member.full_name.clone(),
        birth_date: member.birth_date,
        sex: member.sex,
        ethnicity: member.ethnicity.clone(),
        joined_date: member.joined_date,
        membership: member.membership,
        status: member.status,
        education: member.education,
        theory_level: member.theory_level,
        unit_id: member.unit_id,
        unit_name,
        note: member.note.clone(),
    }
}

async fn root(store: &Store, unit: Option<i64>) -> anyhow::Result<Unit> {
    match unit {
        Some(id) => match store.unit(id).await {
            Ok(unit) => Ok(unit),
            Err(StoreError::NotFound) => Err(BadInput(format!("--unit {id}: no such unit")).into()),
            Err(error) => Err(error.into()),
        },
        None => match store.root_units().await?.into_iter().next() {
            Some(unit) => Ok(unit),
            None => Err(BadInput("the database holds no unit yet".into()).into()),
        },
    }
}

/// Every row of the export, page by page, handed to `row`.
async fn rows(
    store: &Store,
    root: &Unit,
    members: bool,
    mut row: impl FnMut(Vec<Cell>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    if !members {
        for unit in store.subtree_units(root.id).await? {
            row(unit_line(&unit).cells())?;
        }
        return Ok(());
    }
    let mut cursor = None;
    loop {
        let (page, next) = store.subtree_members_page(&root.path, cursor.as_ref(), 10_000).await?;
        if page.is_empty() {
            return Ok(());
        }
        for (member, unit_name) in page {
            row(member_line(&member, unit_name).cells())?;
        }
        cursor = next;
    }
}

fn export(args: Args, members: bool) -> anyhow::Result<()> {
    let format = TableFormat::parse(&args.format)
        .ok_or_else(|| BadInput(format!("--format {:?}: use csv or xlsx", args.format)))?;
    if format == TableFormat::Xlsx && args.output.is_none() {
        return Err(BadInput("--format xlsx writes a file: give -o FILE.xlsx".into()).into());
    }
    let headers =
        if members { members_file::export_headers() } else { units_file::export_headers() };
    runtime()?.block_on(async {
        let store = open_store(&args.database).await?;
        let root = root(&store, args.unit).await?;
        match format {
            TableFormat::Csv => {
                let out: Box<dyn Write> = match &args.output {
                    Some(path) => Box::new(std::io::BufWriter::new(
                        std::fs::File::create(path)
                            .with_context(|| format!("cannot write {}", path.display()))?,
                    )),
                    None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
                };
                // A file gets the byte-order mark spreadsheets need; standard output is for
                // programs and gets none.
                let mut writer = CsvWriter::new(out, &headers, args.output.is_some())?;
                rows(&store, &root, members, |cells| Ok(writer.row(&cells)?)).await?;
                writer.finish()?.flush()?;
            }
            TableFormat::Xlsx => {
                let mut all = Vec::new();
                rows(&store, &root, members, |cells| {
                    if all.len() + 1 >= XLSX_MAX_ROWS {
                        return Err(BadInput(format!(
                            "more than {} rows do not fit in an XLSX sheet: use --format csv",
                            XLSX_MAX_ROWS - 1
                        ))
                        .into());
                    }
                    all.push(cells);
                    Ok(())
                })
                .await?;
                let sheet = if members { "Đảng viên" } else { "Đơn vị" };
                let bytes = write_xlsx(sheet, &headers, all)?;
                if let Some(path) = &args.output {
                    std::fs::write(path, bytes)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                }
            }
        }
        Ok(())
    })
}
