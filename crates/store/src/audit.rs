//! The append-only, hash-chained audit log: who changed what, when, before and after.
//!
//! Architecture Invariant: audit rows are only ever inserted. Database triggers refuse UPDATE
//! and DELETE on both backends, and each row carries the SHA-256 of its content and of the
//! previous row, so `daihoi audit verify` finds the first entry that was altered or removed.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Page, Paged, Store, StoreError};

/// What a change wants recorded.
#[derive(Debug, Clone, Default)]
pub struct AuditRecord {
    /// Verb: `unit.create`, `member.update`, `election.lock`, …
    pub action: String,
    /// Kind of record: `unit`, `member`, `user`, …
    pub entity: String,
    /// Its id.
    pub entity_id: String,
    /// The unit whose subtree the change belongs to (decides who may read the entry).
    pub unit_id: Option<i64>,
    /// That unit's path.
    pub unit_path: Option<String>,
    /// The record before the change, if it existed.
    pub before: Option<serde_json::Value>,
    /// The record after the change, if it still exists.
    pub after: Option<serde_json::Value>,
}

impl AuditRecord {
    /// A record of `action` on `entity` `entity_id`.
    pub fn new(action: &str, entity: &str, entity_id: impl ToString) -> AuditRecord {
        AuditRecord {
            action: action.to_string(),
            entity: entity.to_string(),
            entity_id: entity_id.to_string(),
            ..AuditRecord::default()
        }
    }

    /// Places the entry in a unit's subtree.
    pub fn in_unit(mut self, unit_id: i64, unit_path: &str) -> AuditRecord {
        self.unit_id = Some(unit_id);
        self.unit_path = Some(unit_path.to_string());
        self
    }

    /// The state before.
    pub fn before(mut self, value: impl Serialize) -> AuditRecord {
        self.before = serde_json::to_value(value).ok();
        self
    }

    /// The state after.
    pub fn after(mut self, value: impl Serialize) -> AuditRecord {
        self.after = serde_json::to_value(value).ok();
        self
    }
}

/// One stored audit entry.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// Milliseconds since the epoch.
    pub at: i64,
    /// The acting account, if any.
    pub actor_user_id: Option<i64>,
    /// Readable actor name.
    pub actor: String,
    /// Verb.
    pub action: String,
    /// Kind of record.
    pub entity: String,
    /// Its id.
    pub entity_id: String,
    /// Unit scope.
    pub unit_id: Option<i64>,
    /// Unit path.
    pub unit_path: Option<String>,
    /// JSON before.
    pub before_json: Option<String>,
    /// JSON after.
    pub after_json: Option<String>,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// Hash of this entry.
    pub hash: String,
}

/// The first problem found in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditProblem {
    /// Sequence number of the first broken entry.
    pub seq: i64,
    /// What is wrong with it.
    pub reason: String,
}

/// Which audit entries to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only entries in these subtrees (paths); empty means everything.
    pub unit_paths: Vec<String>,
    /// Only entries about this entity kind.
    pub entity: Option<String>,
    /// Only entries about this id.
    pub entity_id: Option<String>,
}

/// The hash of one entry, over every stored field and the previous hash.
#[allow(clippy::too_many_arguments)]
pub(crate) fn chain_hash(
    seq: i64,
    at: i64,
    actor_user_id: Option<i64>,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    unit_id: Option<i64>,
    unit_path: Option<&str>,
    before: Option<&str>,
    after: Option<&str>,
    prev_hash: &str,
) -> String {
    let mut hasher = Sha256::new();
    // Length-prefixed fields: no two different entries can serialise to the same bytes.
    let mut field = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_be_bytes());
        hasher.update(bytes);
    };
    field(b"daihoi.audit/1");
    field(seq.to_string().as_bytes());
    field(at.to_string().as_bytes());
    field(actor_user_id.map(|id| id.to_string()).unwrap_or_default().as_bytes());
    field(actor.as_bytes());
    field(action.as_bytes());
    field(entity.as_bytes());
    field(entity_id.as_bytes());
    field(unit_id.map(|id| id.to_string()).unwrap_or_default().as_bytes());
    field(unit_path.unwrap_or("").as_bytes());
    field(before.map(|s| format!("+{s}")).unwrap_or_default().as_bytes());
    field(after.map(|s| format!("+{s}")).unwrap_or_default().as_bytes());
    field(prev_hash.as_bytes());
    hex::encode(hasher.finalize())
}

/// Checks one entry against the chain so far: its position, its link and its own hash.
fn check_entry(entry: &AuditEntry, expected_seq: i64, prev_hash: &str) -> Result<(), AuditProblem> {
    if entry.seq != expected_seq {
        return Err(AuditProblem {
            seq: expected_seq,
            reason: format!("entry {expected_seq} is missing (next entry is {})", entry.seq),
        });
    }
    if entry.prev_hash != prev_hash {
        return Err(AuditProblem {
            seq: entry.seq,
            reason: "its link to the previous entry does not match".into(),
        });
    }
    let recomputed = chain_hash(
        entry.seq,
        entry.at,
        entry.actor_user_id,
        &entry.actor,
        &entry.action,
        &entry.entity,
        &entry.entity_id,
        entry.unit_id,
        entry.unit_path.as_deref(),
        entry.before_json.as_deref(),
        entry.after_json.as_deref(),
        &entry.prev_hash,
    );
    if recomputed != entry.hash {
        return Err(AuditProblem {
            seq: entry.seq,
            reason: "its content does not match its hash (altered)".into(),
        });
    }
    Ok(())
}

/// Checks a sequence of entries, in order from the first: each links to the previous and its
/// hash matches its content. Returns the count and last hash, or the first problem.
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = &'a AuditEntry>,
    genesis_hash: &str,
) -> Result<(i64, String), AuditProblem> {
    let mut last_seq = 0;
    let mut prev = genesis_hash.to_string();
    for entry in entries {
        check_entry(entry, last_seq + 1, &prev)?;
        prev = entry.hash.clone();
        last_seq = entry.seq;
    }
    Ok((last_seq, prev))
}

/// The hash before the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn entry_from_row(row: &sqlx::any::AnyRow) -> Result<AuditEntry, sqlx::Error> {
    Ok(AuditEntry {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        actor_user_id: row.try_get("actor_user_id")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        entity: row.try_get("entity")?,
        entity_id: row.try_get("entity_id")?,
        unit_id: row.try_get("unit_id")?,
        unit_path: row.try_get("unit_path")?,
        before_json: row.try_get("before_json")?,
        after_json: row.try_get("after_json")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

const ENTRY_COLUMNS: &str = "seq, at, actor_user_id, actor, action, entity, entity_id, unit_id, \
                             unit_path, before_json, after_json, prev_hash, hash";

impl Store {
    /// Verifies the whole chain and the head. Returns the number of entries and the last hash,
    /// or the first broken entry.
    pub async fn verify_audit(&self) -> Result<Result<(i64, String), AuditProblem>, StoreError> {
        let mut last_seq = 0_i64;
        let mut prev = GENESIS_HASH.to_string();
        loop {
            // Batches keep memory flat on long chains.
            let rows = sqlx::query(sqlf!(
                "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000"
            ))
            .bind(last_seq)
            .fetch_all(self.pool())
            .await?;
            if rows.is_empty() {
                break;
            }
            let entries: Vec<AuditEntry> =
                rows.iter().map(entry_from_row).collect::<Result<_, _>>()?;
            for entry in &entries {
                if let Err(problem) = check_entry(entry, last_seq + 1, &prev) {
                    return Ok(Err(problem));
                }
                prev = entry.hash.clone();
                last_seq = entry.seq;
            }
        }
        let (head_seq, head_hash): (i64, String) =
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(self.pool())
                .await?;
        if head_seq != last_seq || head_hash != prev {
            return Ok(Err(AuditProblem {
                seq: last_seq + 1,
                reason: format!(
                    "the chain ends at entry {last_seq} but the head records entry {head_seq}: \
                     entries after {last_seq} were removed"
                ),
            }));
        }
        Ok(Ok((last_seq, prev)))
    }

    /// Lists audit entries, newest first, filtered by subtree and entity.
    pub async fn audit_entries(
        &self,
        filter: &AuditFilter,
        page: Page,
    ) -> Result<Paged<AuditEntry>, StoreError> {
        let mut conditions: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        if !filter.unit_paths.is_empty() {
            let mut alternatives = Vec::new();
            for path in &filter.unit_paths {
                binds.push(path.clone());
                let low = binds.len();
                binds.push(daihoi_core::access::subtree_end(path));
                let high = binds.len();
                alternatives.push(format!("(unit_path >= ${low} AND unit_path < ${high})"));
            }
            conditions.push(format!("({})", alternatives.join(" OR ")));
        }
        if let Some(entity) = &filter.entity {
            binds.push(entity.clone());
            conditions.push(format!("entity = ${}", binds.len()));
        }
        if let Some(entity_id) = &filter.entity_id {
            binds.push(entity_id.clone());
            conditions.push(format!("entity_id = ${}", binds.len()));
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let count_sql = sqlf!("SELECT COUNT(*) FROM audit_log {where_clause}");
        let mut count = sqlx::query_scalar::<_, i64>(count_sql);
        for bind in &binds {
            count = count.bind(bind);
        }
        let total = count.fetch_one(self.pool()).await?;
        let list_sql = sqlf!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log {where_clause} ORDER BY seq DESC LIMIT {} OFFSET {}",
            page.limit(),
            page.offset()
        );
        let mut list = sqlx::query(list_sql);
        for bind in &binds {
            list = list.bind(bind);
        }
        let rows = list.fetch_all(self.pool()).await?;
        let items = rows.iter().map(entry_from_row).collect::<Result<_, _>>()?;
        Ok(Paged { items, total, page: page.number, page_size: page.size })
    }
}
