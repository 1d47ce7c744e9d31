//! `daihoi ballot-order`: prints a name list in Vietnamese ballot order.
//!
//! Each output line is the input line byte for byte (NFC stays NFC, NFD stays NFD); only the
//! order changes. Blank lines are dropped.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use daihoi_core::ballot_order::{BallotEntry, ballot_order};
use daihoi_core::vn::NameError;
use daihoi_format::names::{NamesError, parse_names};

use crate::BadInput;

/// Arguments of `daihoi ballot-order`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Name list, one name per line, optionally `NAME<TAB>YYYY-MM-DD` (birth date); `-` or
    /// nothing reads standard input.
    pub file: Option<PathBuf>,
    /// Language of messages: vi (Vietnamese) or en (English).
    #[arg(long, value_enum, default_value_t = Lang::Vi)]
    pub lang: Lang,
}

/// Language of the messages of this command and of `apportion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Tiếng Việt.
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Picks the text for this language.
    pub(crate) fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (source, input) = read_input(args.file.as_deref(), args.lang)?;
    let lines = parse_names(&input).map_err(|error| {
        BadInput(format!("{source}:{}: {}", error.line(), message(&error, args.lang)))
    })?;
    let entries: Vec<BallotEntry> = lines.iter().map(|line| line.entry.clone()).collect();
    let mut out = io::BufWriter::new(io::stdout().lock());
    for index in ballot_order(&entries) {
        writeln!(out, "{}", lines[index].text).context("writing to standard output")?;
    }
    out.flush().context("writing to standard output")?;
    Ok(())
}

/// Reads `path` (`-` or none: standard input); returns a name for messages and the bytes.
pub(crate) fn read_input(path: Option<&Path>, lang: Lang) -> anyhow::Result<(String, Vec<u8>)> {
    let mut input = Vec::new();
    match path {
        None => {
            io::stdin().lock().read_to_end(&mut input).context("reading standard input")?;
            Ok(("<stdin>".to_owned(), input))
        }
        Some(path) if path == Path::new("-") => {
            io::stdin().lock().read_to_end(&mut input).context("reading standard input")?;
            Ok(("<stdin>".to_owned(), input))
        }
        Some(path) => {
            let source = path.display().to_string();
            let input = std::fs::read(path).map_err(|error| {
                let what = lang.pick("không đọc được tệp", "cannot read");
                BadInput(format!("{what} {source}: {error}"))
            })?;
            Ok((source, input))
        }
    }
}

/// The message for a bad line, without the `file:line:` prefix.
fn message(error: &NamesError, lang: Lang) -> String {
    match (error, lang) {
        (NamesError::NotUtf8 { .. }, Lang::Vi) => "không phải văn bản UTF-8".to_owned(),
        (NamesError::NotUtf8 { .. }, Lang::En) => "not valid UTF-8 text".to_owned(),
        (NamesError::Name { error: NameError::Empty, .. }, Lang::Vi) => "thiếu họ tên".to_owned(),
        (NamesError::Name { error: NameError::Empty, .. }, Lang::En) => "no name".to_owned(),
        (NamesError::Name { error: NameError::UnbalancedParentheses, .. }, Lang::Vi) => {
            "dấu ngoặc đơn trong họ tên không khớp".to_owned()
        }
        (NamesError::Name { error: NameError::UnbalancedParentheses, .. }, Lang::En) => {
            "unbalanced parentheses in the name".to_owned()
        }
        (NamesError::BirthDate { text, .. }, Lang::Vi) => {
            format!("ngày sinh {text:?} không phải một ngày có thật viết dạng YYYY-MM-DD")
        }
        (NamesError::BirthDate { text, .. }, Lang::En) => {
            format!("birth date {text:?} is not a real date written YYYY-MM-DD")
        }
        (NamesError::ExtraField { .. }, Lang::Vi) => {
            "có hơn một dấu tab; mỗi dòng là HỌ TÊN hoặc HỌ TÊN<TAB>YYYY-MM-DD".to_owned()
        }
        (NamesError::ExtraField { .. }, Lang::En) => {
            "more than one tab; each line is NAME or NAME<TAB>YYYY-MM-DD".to_owned()
        }
    }
}
