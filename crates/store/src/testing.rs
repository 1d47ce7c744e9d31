//! Fresh databases for tests, on every backend the machine offers.
//!
//! SQLite always; PostgreSQL when `DAIHOI_TEST_POSTGRES_URL` points at a server (the test
//! command of the README starts one). With `DAIHOI_REQUIRE_POSTGRES=1` a missing server is a
//! failure, not a skip, so CI cannot silently test one backend.

use std::path::PathBuf;

use crate::{Backend, Store};

/// A fresh, migrated store and what to call it in assertion messages.
#[derive(Debug)]
pub struct TestDb {
    /// The store.
    pub store: Store,
    /// `sqlite` or `postgres`.
    pub label: &'static str,
    /// The URL it was opened with (for starting a binary against the same database).
    pub url: String,
    _dir: Option<TempDir>,
}

/// A temporary directory removed on drop.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new empty directory under the system temporary directory.
    pub fn new(prefix: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("{prefix}-{}", crate::users::random_secret()));
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The PostgreSQL admin URL for tests, if any; panics if required but missing.
pub fn postgres_admin_url() -> Option<String> {
    let url = std::env::var("DAIHOI_TEST_POSTGRES_URL").ok().filter(|url| !url.is_empty());
    if url.is_none() && std::env::var("DAIHOI_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!("DAIHOI_REQUIRE_POSTGRES=1 but DAIHOI_TEST_POSTGRES_URL is not set");
    }
    url
}

/// A fresh SQLite store in its own temporary directory.
pub async fn sqlite() -> TestDb {
    let dir = TempDir::new("daihoi-test");
    let url = format!("sqlite://{}", dir.0.join("test.db").display());
    let store = Store::connect(&url).await.expect("open a fresh SQLite database");
    assert_eq!(store.backend(), Backend::Sqlite);
    TestDb { store, label: "sqlite", url, _dir: Some(dir) }
}

/// A fresh PostgreSQL database on the test server, if there is one.
pub async fn postgres() -> Option<TestDb> {
    let admin_url = postgres_admin_url()?;
    sqlx::any::install_default_drivers();
    let name = format!("daihoi_test_{}", &crate::users::random_secret()[..16]);
    let admin =
        sqlx::AnyPool::connect(&admin_url).await.expect("connect to the test PostgreSQL server");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .expect("create a test database");
    admin.close().await;
    let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap_or(&admin_url);
    let url = format!("{base}/{name}");
    let store = Store::connect(&url).await.expect("open the fresh PostgreSQL database");
    assert_eq!(store.backend(), Backend::Postgres);
    Some(TestDb { store, label: "postgres", url, _dir: None })
}

/// One fresh store per available backend: SQLite, then PostgreSQL if configured.
pub async fn every_backend() -> Vec<TestDb> {
    let mut dbs = vec![sqlite().await];
    if let Some(pg) = postgres().await {
        dbs.push(pg);
    }
    dbs
}
