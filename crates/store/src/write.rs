//! Write transactions: every change runs inside one, together with its audit entries.

use sqlx::{Any, AnyConnection, AnyPool, Transaction};

use crate::audit::{AuditRecord, chain_hash};
use crate::{Backend, Store, StoreError, clock};

/// Who is making a change, as recorded in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The account, if a person is acting.
    pub user_id: Option<i64>,
    /// A readable name: the username, or `cli`, `system`, `demo`.
    pub name: String,
}

impl Actor {
    /// A user acting through the web or the API.
    pub fn user(user_id: i64, username: &str) -> Actor {
        Actor { user_id: Some(user_id), name: username.to_string() }
    }

    /// A process acting on its own (the CLI, the demo loader).
    pub fn system(name: &str) -> Actor {
        Actor { user_id: None, name: name.to_string() }
    }
}

/// An open write transaction. Dropping it without [`WriteTx::commit`] rolls everything back.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    /// For a bulk write on SQLite: the pool whose connection checkpoints after the commit.
    checkpoint_after: Option<AnyPool>,
    actor: Actor,
    at: i64,
    head_seq: i64,
    head_hash: String,
    n_audited: usize,
}

impl std::fmt::Debug for WriteTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTx").field("actor", &self.actor).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens a write transaction for `actor`.
    ///
    /// The first statement locks the audit head: on SQLite it takes the write lock at once (so
    /// a deferred transaction never has to upgrade and fail with SQLITE_BUSY), on PostgreSQL it
    /// locks the head row. Either way writers queue, and the audit chain stays a chain.
    pub async fn begin_write(&self, actor: &Actor) -> Result<WriteTx, StoreError> {
        self.begin_write_at(actor, clock::now_ms()).await
    }

    /// Opens a write transaction whose rows and audit entries carry the time `at` (ms since
    /// the epoch) instead of now: for records of a past day entered afterwards, such as the
    /// demo's 2020 congress, so its minutes and approvals bear the congress's own dates. Not
    /// reachable from the web or the API, where every change is dated by the clock.
    pub async fn begin_write_at(&self, actor: &Actor, at: i64) -> Result<WriteTx, StoreError> {
        begin_on(self.pool(), None, actor, at).await
    }

    /// Opens a write transaction for a bulk write (an import, a generated tree): the same
    /// guarantees as [`Store::begin_write`]; on SQLite its commit returns once the pages are in
    /// the WAL (synced), and copying them into the database file (the checkpoint, as long
    /// again for a write that touched every page of an index) runs afterwards in the
    /// background, where it blocks neither readers nor writers.
    pub async fn begin_bulk_write(&self, actor: &Actor) -> Result<WriteTx, StoreError> {
        let checkpoint_after = (self.backend() == Backend::Sqlite).then(|| self.bulk_pool.clone());
        begin_on(&self.bulk_pool, checkpoint_after, actor, clock::now_ms()).await
    }
}

async fn begin_on(
    pool: &AnyPool,
    checkpoint_after: Option<AnyPool>,
    actor: &Actor,
    at: i64,
) -> Result<WriteTx, StoreError> {
    let mut tx = pool.begin().await?;
    let (head_seq, head_hash): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *tx)
            .await?;
    Ok(WriteTx {
        tx,
        checkpoint_after,
        actor: actor.clone(),
        at,
        head_seq,
        head_hash,
        n_audited: 0,
    })
}

impl WriteTx {
    /// The connection, for statements inside the transaction.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// Who is acting.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The instant of this transaction (milliseconds since the epoch), used for every row it
    /// stamps so one change has one time.
    pub fn at(&self) -> i64 {
        self.at
    }

    /// Appends an entry to the audit chain, inside this transaction.
    pub async fn audit(&mut self, record: AuditRecord) -> Result<(), StoreError> {
        let seq = self.head_seq + 1;
        let before = record.before.as_ref().map(|v| v.to_string());
        let after = record.after.as_ref().map(|v| v.to_string());
        let hash = chain_hash(
            seq,
            self.at,
            self.actor.user_id,
            &self.actor.name,
            &record.action,
            &record.entity,
            &record.entity_id,
            record.unit_id,
            record.unit_path.as_deref(),
            before.as_deref(),
            after.as_deref(),
            &self.head_hash,
        );
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_user_id, actor, action, entity, entity_id, \
             unit_id, unit_path, before_json, after_json, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(seq)
        .bind(self.at)
        .bind(self.actor.user_id)
        .bind(&self.actor.name)
        .bind(&record.action)
        .bind(&record.entity)
        .bind(&record.entity_id)
        .bind(record.unit_id)
        .bind(&record.unit_path)
        .bind(&before)
        .bind(&after)
        .bind(&self.head_hash)
        .bind(&hash)
        .execute(&mut *self.tx)
        .await?;
        self.head_seq = seq;
        self.head_hash = hash;
        self.n_audited += 1;
        Ok(())
    }

    /// The hash of the last audit entry written so far (to print on minutes after a lock).
    pub fn head_hash(&self) -> &str {
        &self.head_hash
    }

    /// Commits the change and its audit entries together.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        if self.n_audited > 0 {
            sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                .bind(self.head_seq)
                .bind(&self.head_hash)
                .execute(&mut *self.tx)
                .await?;
        }
        self.tx.commit().await?;
        if let Some(pool) = self.checkpoint_after {
            // PASSIVE: copies what no reader still needs, waits for nobody. If the process
            // ends first, the pages stay safe in the WAL and a later checkpoint (or the last
            // connection to close) copies them.
            tokio::spawn(async move {
                if let Err(error) =
                    sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await
                {
                    tracing::warn!(%error, "checkpoint after a bulk write failed");
                }
            });
        }
        Ok(())
    }
}
