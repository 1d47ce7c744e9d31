//! The `daihoi` binary: parses the command line once and hands each subcommand to its module.
//!
//! Exit codes (documented in README.md and `--help`): 0 success, 1 an internal or environment
//! failure, 2 bad input (the message names the file, line or JSON path), 3 an exact tie that
//! only people may break (`apportion`).

mod cmd;
mod exit;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use exit::{BadInput, Tie};

/// daihoi: the congress campaign and the congress hall.
#[derive(Debug, Parser)]
#[command(name = "daihoi", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web application and the JSON API.
    Serve(cmd::serve::Args),
    /// Load the Điện Biên Phủ 2020 demo campaign into an empty database and serve it.
    Demo(cmd::demo::Args),
    /// Count one election round from an election file (daihoi.election/1).
    Tally(cmd::tally::Args),
    /// Print names in Vietnamese ballot order (given name, family name, middle names).
    BallotOrder(cmd::ballot_order::Args),
    /// Allocate seats among units in proportion to their members.
    Apportion(cmd::apportion::Args),
    /// List and show the election rule packs.
    #[command(subcommand)]
    Rules(cmd::rules::Command),
    /// Manage user accounts (the first administrator is made here).
    #[command(subcommand)]
    User(cmd::user::Command),
    /// Create API tokens for scripts.
    #[command(subcommand)]
    Token(cmd::token::Command),
    /// Import units or members from CSV or XLSX (all or nothing).
    #[command(subcommand)]
    Import(cmd::import::Command),
    /// Export units or members as CSV or XLSX.
    #[command(subcommand)]
    Export(cmd::export::Command),
    /// Write a synthetic unit tree of any size into the database (deterministic per seed).
    Generate(cmd::generate::Args),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(cmd::audit::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => cmd::serve::run(args),
        Command::Demo(args) => cmd::demo::run(args),
        Command::Tally(args) => cmd::tally::run(args),
        Command::BallotOrder(args) => cmd::ballot_order::run(args),
        Command::Apportion(args) => cmd::apportion::run(args),
        Command::Rules(command) => cmd::rules::run(command),
        Command::User(command) => cmd::user::run(command),
        Command::Token(command) => cmd::token::run(command),
        Command::Import(command) => cmd::import::run(command),
        Command::Export(command) => cmd::export::run(command),
        Command::Generate(args) => cmd::generate::run(args),
        Command::Audit(command) => cmd::audit::run(command),
    };
    exit::report(result)
}
