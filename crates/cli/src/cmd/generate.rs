//! `daihoi generate`: a synthetic tree of any size, straight into an empty database,
//! deterministic for a seed (`--units 350000 --members-per-unit 17` is the national tree).

use std::time::Instant;

use daihoi_demo::generate::{GenerateError, GenerateOptions, generate};

use super::{DatabaseArgs, open_store, progress, runtime};
use crate::BadInput;

/// Arguments of `daihoi generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Units in the tree, the root included.
    #[arg(long)]
    pub units: u64,
    /// Average members per cell and grassroots cell (±⅓, at least 3; 0 for none).
    #[arg(long, default_value_t = 0)]
    pub members_per_unit: u64,
    /// Seed of every random choice: the same seed gives the same tree.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let options = GenerateOptions {
        units: args.units,
        members_per_unit: args.members_per_unit,
        seed: args.seed,
    };
    runtime()?.block_on(async {
        let store = open_store(&args.database).await?;
        let started = Instant::now();
        let bar = progress::rows_bar(0, "generating");
        let report = |p: daihoi_demo::generate::GenerateProgress| {
            bar.set_length(p.expected_rows.max(p.units + p.members));
            bar.set_position(p.units + p.members);
            if p.finishing {
                bar.set_message("totals and indexes");
            }
        };
        let outcome = generate(&store, options, &report).await;
        bar.finish_and_clear();
        let summary = match outcome {
            Ok(summary) => summary,
            Err(error @ (GenerateError::NotEmpty | GenerateError::BadOptions(_))) => {
                return Err(BadInput(error.to_string()).into());
            }
            Err(GenerateError::Store(error)) => return Err(error.into()),
        };
        eprintln!(
            "daihoi: generated {} units and {} members in {:.1} s",
            summary.units,
            summary.members,
            started.elapsed().as_secs_f64()
        );
        // The tree is committed; closing lets the checkpoint copy it into the file.
        store.close().await;
        Ok(())
    })
}
