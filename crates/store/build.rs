//! Rebuilds the crate when a migration is added or changed: `sqlx::migrate!` embeds the
//! migration files, and cargo only watches them when told to.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
