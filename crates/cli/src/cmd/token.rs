//! `daihoi token`: API tokens for scripts.

use daihoi_store::{Actor, StoreError};

use super::{DatabaseArgs, open_store, runtime};
use crate::BadInput;

/// Subcommands of `daihoi token`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an API token for a user; prints it once on standard output.
    Create(CreateArgs),
}

/// Arguments of `daihoi token create`.
#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The user the token acts as.
    #[arg(long)]
    pub user: String,
    /// A name to recognise the token by.
    #[arg(long, default_value = "script")]
    pub name: String,
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Create(args) => runtime()?.block_on(async {
            let store = open_store(&args.database).await?;
            let user = match store.user_by_username(&args.user).await {
                Ok(user) => user,
                Err(StoreError::NotFound) => {
                    return Err(BadInput(format!("--user {:?}: no such user", args.user)).into());
                }
                Err(error) => return Err(error.into()),
            };
            let mut tx = store.begin_write(&Actor::system("cli")).await?;
            let (_, secret) = store.create_api_token(&mut tx, user.id, &args.name).await?;
            tx.commit().await?;
            println!("{secret}");
            eprintln!("daihoi: token created for {}; use it as `Authorization: Bearer …`. It is shown only once.", user.username);
            Ok(())
        }),
    }
}
