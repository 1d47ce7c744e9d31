//! `daihoi audit`: checks on the audit log.

use super::{DatabaseArgs, open_store, runtime};

/// Subcommands of `daihoi audit`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Verify the hash chain; names the first broken entry (exit 1 if broken).
    Verify(VerifyArgs),
}

/// Arguments of `daihoi audit verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Verify(args) => runtime()?.block_on(async {
            let store = open_store(&args.database).await?;
            match store.verify_audit().await? {
                Ok((n, hash)) => {
                    println!("ok: {n} entries, last hash {hash}");
                    Ok(())
                }
                Err(problem) => {
                    anyhow::bail!("audit chain broken at entry {}: {}", problem.seq, problem.reason)
                }
            }
        }),
    }
}
