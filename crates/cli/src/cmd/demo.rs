//! `daihoi demo`: the Điện Biên Phủ 2020 campaign, ready in the browser.

use std::net::SocketAddr;

use super::{DatabaseArgs, init_logging, open_store, runtime};

/// Arguments of `daihoi demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The database for the demo (created and loaded if empty).
    #[arg(long, env = "DAIHOI_DEMO_DATABASE_URL", default_value = "sqlite://daihoi-demo.db")]
    pub database_url: String,
    /// Load the data and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    init_logging();
    runtime()?.block_on(async {
        let database = DatabaseArgs { database_url: args.database_url.clone() };
        let store = open_store(&database).await?;
        if store.is_empty().await? {
            eprintln!(
                "daihoi: loading the Điện Biên Phủ demo campaign into {} …",
                daihoi_store::redact(&args.database_url)
            );
            let summary = daihoi_demo::load_demo(&store).await?;
            eprintln!(
                "daihoi: {} units and {} members loaded.",
                summary.n_units, summary.n_members
            );
        } else {
            eprintln!(
                "daihoi: {} already holds data; serving it as it is.",
                daihoi_store::redact(&args.database_url)
            );
        }
        eprintln!();
        eprintln!("  Mở trình duyệt / open:  http://{}/", display_addr(args.bind));
        eprintln!(
            "  Tài khoản demo / demo logins (mật khẩu / password: {}):",
            daihoi_demo::DEMO_PASSWORD
        );
        for login in daihoi_demo::demo_logins() {
            eprintln!("    {:<20} {} — {}", login.username, login.role_vi, login.unit);
        }
        eprintln!();
        if args.no_serve {
            return Ok(());
        }
        super::serve::serve(store, args.bind, false).await
    })
}

fn display_addr(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() { format!("127.0.0.1:{}", addr.port()) } else { addr.to_string() }
}
