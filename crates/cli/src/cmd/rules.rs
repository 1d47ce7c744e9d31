//! `daihoi rules`: lists the election rule packs and shows one, as text or JSON.

use std::io::Write;

use anyhow::Context;
use daihoi_core::rules::{RULE_PACKS, RulePackId};
use daihoi_format::election::Lang;
use daihoi_format::rule_pack;

use super::tally::LangArg;
use crate::BadInput;

/// Subcommands of `daihoi rules`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List the rule packs.
    List(ListArgs),
    /// Show every rule of one pack with its article.
    Show(ShowArgs),
}

/// Arguments of `daihoi rules list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of the text.
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
}

/// Arguments of `daihoi rules show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The pack's code, e.g. `qd190-2024`.
    pub code: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of the text.
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
}

/// Text for people or JSON for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Text.
    Text,
    /// JSON.
    Json,
}

pub fn run(command: Command) -> anyhow::Result<()> {
    let output = match command {
        Command::List(args) => match args.format {
            Format::Text => rule_pack::list_text(Lang::from(args.lang)),
            Format::Json => rule_pack::list_json(),
        },
        Command::Show(args) => {
            let Some(id) = RulePackId::from_code(&args.code) else {
                let known: Vec<&str> = RULE_PACKS.iter().map(|pack| pack.code).collect();
                return Err(BadInput(format!(
                    "unknown rule pack \"{}\"; known: {}",
                    args.code,
                    known.join(", ")
                ))
                .into());
            };
            match args.format {
                Format::Text => rule_pack::show_text(id.pack(), Lang::from(args.lang)),
                Format::Json => rule_pack::show_json(id.pack()),
            }
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(output.as_bytes()).context("writing to standard output")?;
    stdout.flush().context("writing to standard output")?;
    Ok(())
}
