//! `daihoi user`: accounts from the shell (the first administrator is made here).

use std::io::Read;

use anyhow::Context;
use daihoi_core::access::Role;
use daihoi_store::Actor;

use super::{DatabaseArgs, open_store, runtime};
use crate::BadInput;

/// Subcommands of `daihoi user`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an account. The password is read from standard input (one line).
    Add(AddArgs),
    /// List accounts.
    List(ListArgs),
}

/// Arguments of `daihoi user add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Login name (ASCII letters, digits, . _ -).
    pub username: String,
    /// Role: admin, org_board, clerk, counter, viewer.
    #[arg(long, default_value = "admin")]
    pub role: String,
    /// Id of the unit whose subtree the role covers (default: the root of the tree).
    #[arg(long)]
    pub unit: Option<i64>,
    /// Name shown on pages.
    #[arg(long, default_value = "")]
    pub display_name: String,
    /// Preferred language (vi or en).
    #[arg(long, default_value = "vi")]
    pub lang: String,
}

/// Arguments of `daihoi user list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Add(args) => add(args),
        Command::List(args) => list(args),
    }
}

fn add(args: AddArgs) -> anyhow::Result<()> {
    let role = Role::parse(&args.role).ok_or_else(|| {
        BadInput(format!(
            "--role {:?}: unknown role (use admin, org_board, clerk, counter or viewer)",
            args.role
        ))
    })?;
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("reading the password from standard input")?;
    let password = password.lines().next().unwrap_or("").to_string();
    runtime()?.block_on(async {
        let store = open_store(&args.database).await?;
        let unit_id = match args.unit {
            Some(id) => id,
            None => match store.root_units().await?.first() {
                Some(root) => root.id,
                None => {
                    // A fresh database: create the root so the first administrator has a place.
                    let mut tx = store.begin_write(&Actor::system("cli")).await?;
                    let (root, _) = store
                        .create_unit(
                            &mut tx,
                            daihoi_store::NewUnit {
                                parent_id: None,
                                name: "Ban Chấp hành Trung ương".into(),
                                kind: daihoi_core::unit::UnitKind::Central,
                                issuer_abbrev: Some("TW".into()),
                                declared_official: 0,
                                declared_probationary: 0,
                                valid_from: None,
                                valid_to: None,
                                note: None,
                                lineage: Vec::new(),
                            },
                        )
                        .await?;
                    tx.commit().await?;
                    root.id
                }
            },
        };
        let mut tx = store.begin_write(&Actor::system("cli")).await?;
        let user = match store
            .create_user(&mut tx, &args.username, &args.display_name, &password, &args.lang)
            .await
        {
            Ok(user) => user,
            Err(daihoi_store::StoreError::Rule { message_en, message_vi, .. }) => {
                return Err(BadInput(format!("{message_vi} ({message_en})")).into());
            }
            Err(error) => return Err(error.into()),
        };
        match store.grant_role(&mut tx, user.id, role, unit_id).await {
            Ok(()) => {}
            Err(daihoi_store::StoreError::NotFound) => {
                return Err(BadInput(format!("--unit {unit_id}: no such unit")).into());
            }
            Err(error) => return Err(error.into()),
        }
        tx.commit().await?;
        eprintln!("daihoi: created user {} ({}) over unit {unit_id}", user.username, role.code());
        Ok(())
    })
}

fn list(args: ListArgs) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let store = open_store(&args.database).await?;
        for user in store.users().await? {
            let grants = store.grants(user.id).await?;
            let grants: Vec<String> =
                grants.iter().map(|g| format!("{}@{}", g.role.code(), g.unit_id)).collect();
            println!("{}\t{}\t{}", user.username, user.display_name, grants.join(","));
        }
        Ok(())
    })
}
