//! `daihoi serve`: the web application and JSON API.

use std::net::SocketAddr;

use anyhow::Context;

use super::{DatabaseArgs, init_logging, open_store, runtime};

/// Arguments of `daihoi serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Mark cookies Secure (when served behind TLS).
    #[arg(long)]
    pub secure_cookies: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    init_logging();
    runtime()?.block_on(async {
        let store = open_store(&args.database).await?;
        serve(store, args.bind, args.secure_cookies).await
    })
}

/// Serves a store until stopped; prints the address first.
pub async fn serve(
    store: daihoi_store::Store,
    bind: SocketAddr,
    secure_cookies: bool,
) -> anyhow::Result<()> {
    let config = daihoi_web::Config { secure_cookies, ..daihoi_web::Config::default() };
    let state = daihoi_web::AppState::new(store, config).map_err(|e| anyhow::anyhow!("{e}"))?;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    eprintln!("daihoi: serving on http://{addr}/");
    daihoi_web::serve_on(state, listener).await?;
    Ok(())
}
