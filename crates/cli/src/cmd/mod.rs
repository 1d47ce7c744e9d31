//! One module per subcommand: its `Args` (or `Command`) and its `run`.

pub mod apportion;
pub mod audit;
pub mod ballot_order;
pub mod demo;
pub mod export;
pub mod generate;
pub mod import;
pub mod progress;
pub mod rules;
pub mod serve;
pub mod tally;
pub mod token;
pub mod user;

use daihoi_store::Store;

/// The database option shared by every subcommand that opens the database.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArgs {
    /// The database: an SQLite file (`daihoi.db`, `sqlite://path`) or `postgres://user:pass@host/db`.
    #[arg(long, env = "DAIHOI_DATABASE_URL", default_value = daihoi_store::DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

/// A runtime for the async parts.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// Opens (and migrates) the database.
pub async fn open_store(database: &DatabaseArgs) -> anyhow::Result<Store> {
    Store::connect(&database.database_url).await.map_err(|error| {
        anyhow::anyhow!(
            "cannot open the database {}: {error}",
            daihoi_store::redact(&database.database_url)
        )
    })
}

/// Log output for server commands (`RUST_LOG` overrides).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=error,tower_http=warn"));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
