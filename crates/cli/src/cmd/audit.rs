//! `daihoi audit`.

/// Subcommands of `daihoi audit`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {}
}
