//! `daihoi tally`: counts one election round from an election file (`daihoi.election/1`) and
//! prints the result (`daihoi.result/1`) or the text a counting committee reads out.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use daihoi_format::election::{self, Lang, ResultFile};

use crate::BadInput;

/// Arguments of `daihoi tally`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The election file, or `-` for standard input.
    pub file: PathBuf,
    /// Output: the JSON result document, or the text the counting committee reads out.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
    /// Language of the text (and of warnings in the JSON).
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
}

/// What `tally` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// The result document (daihoi.result/1).
    Json,
    /// The counting committee's read-out.
    Text,
}

/// The language of text for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// Tiếng Việt.
    Vi,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::Vi => Lang::Vi,
            LangArg::En => Lang::En,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (name, bytes) = read_input(&args.file)?;
    let report = election::count(&bytes).map_err(|error| BadInput(format!("{name}: {error}")))?;
    let lang = Lang::from(args.lang);
    let output = match args.format {
        OutputFormat::Json => ResultFile::from_report(&report, lang).to_json(),
        OutputFormat::Text => election::text::render(&report, lang),
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(output.as_bytes()).context("writing the result to standard output")?;
    stdout.flush().context("writing the result to standard output")?;
    Ok(())
}

/// Reads FILE, or standard input for `-`; returns the name to use in messages.
fn read_input(file: &PathBuf) -> anyhow::Result<(String, Vec<u8>)> {
    if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|error| BadInput(format!("<stdin>: cannot read: {error}")))?;
        return Ok(("<stdin>".to_owned(), bytes));
    }
    let name = file.display().to_string();
    let bytes =
        std::fs::read(file).map_err(|error| BadInput(format!("{name}: cannot read: {error}")))?;
    Ok((name, bytes))
}
