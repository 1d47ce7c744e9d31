//! daihoi-store: every byte daihoi keeps, on SQLite (the default, one file, no set-up) or on a
//! PostgreSQL server, through one `Store` and one set of SQL statements.
//!
//! Architecture Invariant: the same SQL text runs on both backends (sqlx's `Any` driver with
//! `$1` placeholders). Each backend has its own migration set under `migrations/`, kept in step
//! (a tidy test compares them). Where a backend needs its own statement it is chosen by
//! `Store::backend()` in one place, with a comment.
//!
//! Architecture Invariant: every change goes through a [`WriteTx`], which locks the audit head
//! first and appends to the hash-chained audit log in the same transaction as the change: a
//! change without its audit entry cannot be committed, and writers are serialised.

/// Builds dynamic SQL from trusted pieces only: column lists, numbered placeholders and
/// integer ids. User text is never formatted in; it is always bound.
macro_rules! sqlf {
    ($($arg:tt)*) => { sqlx::AssertSqlSafe(format!($($arg)*)) };
}

mod admin;
mod audit;
mod bulk;
pub mod campaign;
mod clock;
pub mod congress;
pub mod congress_day;
pub mod documents;
pub mod elections;
mod error;
mod members;
pub mod personnel;
pub mod plenum;
pub mod prep;
mod registry;
mod rows;
mod tallies;
pub mod testing;
mod units;
pub mod users;
mod write;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use admin::UserGrant;
pub use audit::{AuditEntry, AuditFilter, AuditProblem, AuditRecord, verify_chain};
pub use bulk::{
    Bulk, BulkSource, BulkSummary, BulkUnit, ImportCheck, ImportError, ImportScope, ImportSource,
    MemberCursor, Progress,
};
pub use clock::{now_ms, today};
pub use error::StoreError;
pub use members::{Member, MemberFilter, MemberInput, MemberSort, validate_member};
pub use registry::ChildCounts;
pub use rows::{Page, Paged};
pub use units::{NewUnit, SUBTREE_PATHS, SearchTuning, Unit, UnitEdit, UnitRef, UnitSort};
pub use users::{ApiTokenInfo, SessionInfo, User};
pub use write::{Actor, WriteTx};

/// Which database server holds the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (WAL mode, foreign keys on).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The handle to the database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// Where bulk writes run (imports, generation). On SQLite a pool of its own, whose
    /// connections never checkpoint at commit (the commit of a bulk write returns once its pages
    /// are safely in the WAL, and a background task copies them into the database afterwards)
    /// and leave reference checks to the bulk write itself. On PostgreSQL the same pool as
    /// `pool`.
    bulk_pool: AnyPool,
    backend: Backend,
    personnel_cache: personnel::CompositionCache,
}

impl std::fmt::Debug for Store {
    // The URL may carry a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend).finish_non_exhaustive()
    }
}

/// The default database: an SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://daihoi.db";

/// Turns what the user typed (`daihoi.db`, `sqlite://x.db`, `postgres://…`) into a URL.
pub fn normalise_url(input: &str) -> Result<(Backend, String), StoreError> {
    let input = input.trim();
    if input.starts_with("postgres://") || input.starts_with("postgresql://") {
        return Ok((Backend::Postgres, input.to_string()));
    }
    let path = input.strip_prefix("sqlite://").or_else(|| input.strip_prefix("sqlite:"));
    let path = match path {
        Some(path) => path,
        None if input.contains("://") => {
            return Err(StoreError::Config(format!(
                "unsupported database URL scheme in {:?}: use sqlite://FILE or postgres://…",
                redact(input)
            )));
        }
        None => input,
    };
    let (file, query) = path.split_once('?').unwrap_or((path, ""));
    if file.is_empty() {
        return Err(StoreError::Config("the SQLite file name is empty".into()));
    }
    let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    if !params.iter().any(|p| p.starts_with("mode=")) {
        params.push("mode=rwc");
    }
    Ok((Backend::Sqlite, format!("sqlite://{file}?{}", params.join("&"))))
}

/// A database URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

static MIGRATE_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static MIGRATE_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Connects, creating the SQLite file if needed, and applies pending migrations.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, 8).await
    }

    /// Like [`Store::connect`] with a chosen pool size.
    pub async fn connect_with(url: &str, max_connections: u32) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalise_url(url)?;
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|error| StoreError::Config(format!("{}: {error}", redact(&url))))?;
        let pool_options = |max_connections: u32, bulk: bool| {
            AnyPoolOptions::new()
                .max_connections(max_connections)
                .min_connections(0)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(move |conn, _meta| {
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            // WAL lets readers run beside the one writer; FULL makes a
                            // committed transaction survive a power cut, not only a killed
                            // process: an acknowledged ballot is never lost. busy_timeout makes
                            // writers queue. mmap: reads of a large tree come straight from the
                            // OS page cache instead of one read() call per page (SQLite caps it
                            // at 2 GB).
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; \
                                 PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; \
                                 PRAGMA mmap_size = 2147418112;",
                            )
                            .await?;
                            if bulk {
                                // Bulk writes check their references themselves, once, at the
                                // end (`Bulk::finish`): SQLite keeps a statement journal for
                                // every multi-row insert into a table with an immediate foreign
                                // key, copying each page the statement touches.
                                conn.execute(
                                    "PRAGMA wal_autocheckpoint = 0; PRAGMA foreign_keys = OFF;",
                                )
                                .await?;
                            }
                        }
                        Ok(())
                    })
                })
        };
        let connect_error = |error: sqlx::Error| StoreError::Connect {
            url: redact(&url),
            message: error.to_string(),
        };
        let pool = pool_options(max_connections, false)
            .connect_with(options.clone())
            .await
            .map_err(connect_error)?;
        let bulk_pool = match backend {
            // Opened on first use and closed when idle: most processes never import.
            Backend::Sqlite => pool_options(2, true)
                .idle_timeout(Duration::from_secs(60))
                .connect_lazy_with(options),
            Backend::Postgres => pool.clone(),
        };
        let store = Store { pool, bulk_pool, backend, personnel_cache: Default::default() };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the migrations of this backend that have not run yet.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &MIGRATE_SQLITE,
            Backend::Postgres => &MIGRATE_POSTGRES,
        };
        migrator.run(&self.pool).await.map_err(|error| StoreError::Migrate(error.to_string()))?;
        // Plans stored before the campaign tallies existed (migration 0014) are counted once.
        self.count_uncounted_plans().await
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for the store's own modules.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes the store: waits for a background checkpoint, then closes every connection (on
    /// SQLite the last one to close copies what is left in the WAL into the database file).
    pub async fn close(&self) {
        self.bulk_pool.close().await;
        self.pool.close().await;
    }

    /// Answers when the database answers (`GET /healthz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Reads a setting.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let value: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(value.map(|(value,)| value))
    }

    /// Whether the database holds no unit yet (a fresh install).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM units").fetch_one(&self.pool).await?;
        Ok(n == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_normalised_and_passwords_hidden() {
        assert_eq!(normalise_url("daihoi.db").unwrap().1, "sqlite://daihoi.db?mode=rwc");
        assert_eq!(normalise_url("sqlite://x/y.db").unwrap().1, "sqlite://x/y.db?mode=rwc");
        assert_eq!(normalise_url("sqlite://y.db?mode=ro").unwrap().1, "sqlite://y.db?mode=ro");
        assert_eq!(normalise_url("postgres://u:p@h/db").unwrap().0, Backend::Postgres);
        assert!(normalise_url("mysql://h/db").is_err());
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact("sqlite://a.db"), "sqlite://a.db");
    }
}
