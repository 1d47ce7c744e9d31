//! `daihoi apportion`: allocates seats among units in proportion to their members.
//!
//! Input CSV `unit,members`, output CSV `unit,members,seats` in input order on standard
//! output. An exact tie for the last seat(s) exits 3 naming the tied units: the software never
//! breaks a tie.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use daihoi_core::apportion::{ApportionError, MAX_SEATS, Method, Rules, apportion};
use daihoi_format::apportion_csv::{UnitTable, UnitTableError, read_units, write_seats};

// Both commands print their messages in the same two languages; the choice lives with
// ballot-order, the first of them.
use super::ballot_order::{Lang, read_input};
use crate::{BadInput, Tie};

/// Arguments of `daihoi apportion`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Seats to hand out.
    #[arg(long)]
    pub seats: u64,
    /// Apportionment method.
    #[arg(long, value_enum)]
    pub method: MethodArg,
    /// Seats every unit receives first (huntington-hill always gives at least 1).
    #[arg(long, default_value_t = 0)]
    pub min_per_unit: u64,
    /// CSV with header `unit,members`; `-` reads standard input.
    pub file: PathBuf,
    /// Language of messages: vi (Vietnamese) or en (English).
    #[arg(long, value_enum, default_value_t = Lang::Vi)]
    pub lang: Lang,
}

/// The methods as the command line spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// Largest remainder with the Hare quota.
    Hamilton,
    /// D'Hondt (divisors 1, 2, 3, …).
    #[value(name = "dhondt")]
    DHondt,
    /// Sainte-Laguë (divisors 1, 3, 5, …).
    SainteLague,
    /// Huntington–Hill (divisors √(n(n+1)); at least 1 seat per unit).
    HuntingtonHill,
}

impl From<MethodArg> for Method {
    fn from(method: MethodArg) -> Method {
        match method {
            MethodArg::Hamilton => Method::Hamilton,
            MethodArg::DHondt => Method::DHondt,
            MethodArg::SainteLague => Method::SainteLague,
            MethodArg::HuntingtonHill => Method::HuntingtonHill,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let lang = args.lang;
    let (source, input) = read_input(Some(&args.file), lang)?;
    let table =
        read_units(&input).map_err(|error| BadInput(table_message(&source, &error, lang)))?;
    let rules = Rules { method: args.method.into(), min_per_unit: args.min_per_unit };
    let seats = match apportion(table.members(), args.seats, rules) {
        Ok(seats) => seats,
        Err(ApportionError::Tie(tie)) => {
            let names: Vec<&str> =
                tie.units.iter().map(|&unit| table.units()[unit].as_str()).collect();
            let names = names.join(", ");
            let message = match lang {
                Lang::Vi => format!(
                    "bằng nhau tuyệt đối khi chia {} ghế cuối cùng giữa các đơn vị: {names}; \
                     cần tập thể quyết định, phần mềm không tự phân định",
                    tie.seats
                ),
                Lang::En => format!(
                    "exact tie for the last {} seat(s) among the units: {names}; \
                     people must decide, the software does not break ties",
                    tie.seats
                ),
            };
            return Err(Tie(message).into());
        }
        Err(error) => return Err(BadInput(apportion_message(&error, &args, &table)).into()),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    write_seats(&table, &seats, &mut out).context("writing to standard output")?;
    out.flush().context("writing to standard output")?;
    Ok(())
}

fn apportion_message(error: &ApportionError, args: &Args, table: &UnitTable) -> String {
    let lang = args.lang;
    match error {
        ApportionError::TooFewSeats { seats, needed } => {
            let minimum =
                args.min_per_unit.max(u64::from(args.method == MethodArg::HuntingtonHill));
            let units = table.units().len();
            match lang {
                Lang::Vi => format!(
                    "--seats {seats} ít hơn {needed} ghế cần để mỗi đơn vị trong {units} đơn vị \
                     có tối thiểu {minimum} ghế"
                ),
                Lang::En => format!(
                    "--seats {seats} is fewer than the {needed} seats needed to give each of the \
                     {units} units at least {minimum}"
                ),
            }
        }
        ApportionError::TooManySeats { seats } => match lang {
            Lang::Vi => format!("--seats {seats} vượt quá giới hạn {MAX_SEATS}"),
            Lang::En => format!("--seats {seats} is more than the limit {MAX_SEATS}"),
        },
        // The table reader refuses empty tables and out-of-range members with their line;
        // anything else is reported as the core describes it.
        other => other.to_string(),
    }
}

fn table_message(source: &str, error: &UnitTableError, lang: Lang) -> String {
    let en = || {
        // The English messages of the reader already name line and column.
        format!("{source}: {error}")
    };
    if lang == Lang::En {
        return en();
    }
    match error {
        UnitTableError::Csv { line, message } => {
            format!("{source}: dòng {line}: CSV không hợp lệ: {message}")
        }
        UnitTableError::NotUtf8 { line } => {
            format!("{source}: dòng {line}: không phải văn bản UTF-8")
        }
        UnitTableError::Header { found } => {
            format!("{source}: dòng 1: cần dòng tiêu đề \"unit,members\", gặp {found:?}")
        }
        UnitTableError::FieldCount { line, found } => {
            format!("{source}: dòng {line}: cần 2 cột (unit,members), gặp {found}")
        }
        UnitTableError::EmptyUnit { line } => {
            format!("{source}: dòng {line}, cột 1 (unit): thiếu tên đơn vị")
        }
        UnitTableError::DuplicateUnit { line, unit, first_line } => format!(
            "{source}: dòng {line}, cột 1 (unit): đơn vị {unit:?} đã có ở dòng {first_line}"
        ),
        UnitTableError::NotANumber { line, text } => {
            format!("{source}: dòng {line}, cột 2 (members): {text:?} không phải số nguyên")
        }
        UnitTableError::Negative { line, text } => {
            format!("{source}: dòng {line}, cột 2 (members): {text} là số âm")
        }
        UnitTableError::Zero { line } => format!(
            "{source}: dòng {line}, cột 2 (members): mỗi đơn vị phải có ít nhất 1 đảng viên"
        ),
        UnitTableError::TooLarge { line, text } => {
            format!("{source}: dòng {line}, cột 2 (members): {text} vượt quá giới hạn")
        }
        UnitTableError::NoUnits => format!("{source}: không có đơn vị nào sau dòng tiêu đề"),
    }
}
