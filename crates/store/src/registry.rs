//! Small reads the registry pages need beyond `units.rs`: how many units sit directly under a
//! unit, active and retired, in one indexed query.

use crate::{Store, StoreError};

/// The units directly under a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChildCounts {
    /// Units still active.
    pub active: i64,
    /// Units retired (dissolved, merged away).
    pub retired: i64,
}

impl Store {
    /// How many units sit directly under `unit_id`, active and retired.
    pub async fn child_counts(&self, unit_id: i64) -> Result<ChildCounts, StoreError> {
        let (active, retired): (i64, i64) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN retired = 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN retired = 0 THEN 0 ELSE 1 END), 0) AS BIGINT) \
             FROM units WHERE parent_id = $1",
        )
        .bind(unit_id)
        .fetch_one(self.pool())
        .await?;
        Ok(ChildCounts { active, retired })
    }
}
