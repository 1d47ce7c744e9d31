//! The campaign dashboard's figures kept per unit (migration `0014_campaign_tallies.sql`):
//! for every unit, the plan rows of its subtree counted by level, status, "held after the
//! level's deadline" and "pilot held" (`campaign_tallies`), and the congresses closing per
//! level and day (`campaign_day_tallies`), so a dashboard reads the unit's and its children's
//! tally rows instead of every plan row of the subtree.
//!
//! Each plan row remembers the path it was counted under and what was counted for it
//! (`counted_under`, `counted_as`). [`sync_tallies`], called at the end of every write of plan
//! rows or level deadlines, finds the rows whose path or facts differ from what was counted,
//! takes the old count back from the old path's ancestors and adds the new one to the new
//! path's ancestors, in batched upserts. [`Store::campaign_tally_problems`] recomputes the
//! tallies from the plan rows and lists every disagreement; the tests call it after their writes.

use std::collections::{BTreeMap, BTreeSet};

use daihoi_core::access::path_ids;
use sqlx::{AnyConnection, Row};

use crate::{Store, StoreError};

/// The statuses of a congress that took place.
const HELD_SQL: &str = "status IN ('held', 'reported', 'approved', 'returned')";

/// The statuses of a congress that took place, as the core's codes.
const HELD_CODES: [&str; 4] = ["held", "reported", "approved", "returned"];

/// What a plan row counts for, as one text (`level|status|late|pilot|closing day|held`, the
/// last two empty when the row is not on the timeline), computed from the row's columns. The
/// same expression as the backfill of the migration.
fn key_sql() -> String {
    let closes = "COALESCE(held_end, ends_on)";
    format!(
        "(level || '|' || status || '|' \
         || CASE WHEN {HELD_SQL} AND {closes} > (SELECT l.deadline FROM campaign_levels l \
            WHERE l.campaign_id = campaign_plans.campaign_id AND l.level = campaign_plans.level) \
            THEN '1' ELSE '0' END || '|' \
         || CASE WHEN {HELD_SQL} AND pilot = 1 THEN '1' ELSE '0' END || '|' \
         || CASE WHEN status <> 'not_planned' AND {closes} IS NOT NULL \
            THEN {closes} || CASE WHEN {HELD_SQL} THEN '|1' ELSE '|0' END ELSE '|' END)"
    )
}

/// One plan row's contribution, parsed from its key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Counted {
    level: String,
    status: String,
    late: i64,
    pilot: i64,
    /// Closing day and held flag, when the row is on the timeline.
    day: Option<(String, i64)>,
}

impl Counted {
    fn parse(key: &str) -> Option<Counted> {
        let mut parts = key.split('|');
        let level = parts.next()?.to_string();
        let status = parts.next()?.to_string();
        let late = parts.next()?.parse().ok()?;
        let pilot = parts.next()?.parse().ok()?;
        let day = parts.next()?;
        let held = parts.next()?;
        let day = if day.is_empty() { None } else { Some((day.to_string(), held.parse().ok()?)) };
        Some(Counted { level, status, late, pilot, day })
    }

    fn key(&self) -> String {
        let (day, held) = match &self.day {
            Some((day, held)) => (day.clone(), held.to_string()),
            None => (String::new(), String::new()),
        };
        format!("{}|{}|{}|{}|{day}|{held}", self.level, self.status, self.late, self.pilot)
    }
}

/// `(unit, level, status, late, pilot) → units`.
type StatusTallies = BTreeMap<(i64, String, String, i64, i64), i64>;
/// `(unit, level, closing day, held) → units`.
type DayTallies = BTreeMap<(i64, String, String, i64), i64>;

#[derive(Default)]
struct Differences {
    statuses: StatusTallies,
    days: DayTallies,
}

impl Differences {
    fn add(&mut self, path: &str, counted: &Counted, sign: i64) {
        for unit in path_ids(path) {
            *self
                .statuses
                .entry((
                    unit,
                    counted.level.clone(),
                    counted.status.clone(),
                    counted.late,
                    counted.pilot,
                ))
                .or_default() += sign;
            if let Some((day, held)) = &counted.day {
                *self.days.entry((unit, counted.level.clone(), day.clone(), *held)).or_default() +=
                    sign;
            }
        }
    }
}

/// Which plan rows of a campaign a sync looks at.
pub(crate) enum TallyScope<'a> {
    /// Every row of the campaign.
    Campaign,
    /// The rows never counted (added since the last sync).
    Uncounted,
    /// Every row under a path.
    Subtree(&'a str),
    /// These units' rows.
    Units(&'a [i64]),
}

/// Rows per upsert statement (7 parameters each, under both backends' limits).
const UPSERT_ROWS: usize = 500;

/// Brings the tallies of `campaign_id` in line with its plan rows in `scope`: the rows whose
/// path or facts differ from what was counted for them are taken back from the ancestors they
/// were counted under and added under their current ancestors. Returns the rows re-counted.
pub(crate) async fn sync_tallies(
    conn: &mut AnyConnection,
    campaign_id: i64,
    scope: TallyScope<'_>,
) -> Result<u64, StoreError> {
    let batches: Vec<(String, [String; 2])> = match scope {
        TallyScope::Campaign => vec![("$2 = $3".to_string(), [String::new(), String::new()])],
        TallyScope::Uncounted => {
            vec![("counted_under IS NULL AND $2 = $3".to_string(), [String::new(), String::new()])]
        }
        TallyScope::Subtree(path) => vec![(
            "unit_path >= $2 AND unit_path < $3".to_string(),
            [path.to_string(), crate::units::prefix_end(path)],
        )],
        TallyScope::Units(ids) => ids
            .chunks(500)
            .map(|chunk| {
                let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
                (format!("unit_id IN ({list}) AND $2 = $3"), [String::new(), String::new()])
            })
            .collect(),
    };
    let key = key_sql();
    let mut differences = Differences::default();
    let mut recounted = 0;
    for (filter, binds) in &batches {
        let stale = format!(
            "campaign_id = $1 AND {filter} AND (counted_under IS NULL \
             OR counted_under <> unit_path OR counted_as <> {key})"
        );
        let rows = sqlx::query(sqlf!(
            "SELECT unit_path, counted_under, counted_as, {key} AS tally_key \
             FROM campaign_plans WHERE {stale}"
        ))
        .bind(campaign_id)
        .bind(&binds[0])
        .bind(&binds[1])
        .fetch_all(&mut *conn)
        .await?;
        for row in &rows {
            let path: String = row.try_get("unit_path")?;
            let under: Option<String> = row.try_get("counted_under")?;
            let was: Option<String> = row.try_get("counted_as")?;
            let now: String = row.try_get("tally_key")?;
            if let (Some(under), Some(was)) = (under, was.as_deref().and_then(Counted::parse)) {
                differences.add(&under, &was, -1);
            }
            let now = Counted::parse(&now).ok_or_else(|| {
                StoreError::Other(format!("campaign {campaign_id}: bad tally key {now:?}"))
            })?;
            differences.add(&path, &now, 1);
        }
        if rows.is_empty() {
            continue;
        }
        let done = sqlx::query(sqlf!(
            "UPDATE campaign_plans SET counted_under = unit_path, counted_as = {key} WHERE {stale}"
        ))
        .bind(campaign_id)
        .bind(&binds[0])
        .bind(&binds[1])
        .execute(&mut *conn)
        .await?;
        recounted += done.rows_affected();
    }
    apply_differences(conn, campaign_id, differences).await?;
    Ok(recounted)
}

/// Re-counts the rows of every campaign under `path` (after a move rewrote their paths).
pub(crate) async fn sync_subtree_everywhere(
    conn: &mut AnyConnection,
    path: &str,
) -> Result<(), StoreError> {
    let campaigns: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM campaigns ORDER BY id").fetch_all(&mut *conn).await?;
    for campaign_id in campaigns {
        sync_tallies(conn, campaign_id, TallyScope::Subtree(path)).await?;
    }
    Ok(())
}

async fn apply_differences(
    conn: &mut AnyConnection,
    campaign_id: i64,
    differences: Differences,
) -> Result<(), StoreError> {
    let mut emptied: BTreeSet<i64> = BTreeSet::new();
    let statuses: Vec<_> = differences.statuses.into_iter().filter(|(_, n)| *n != 0).collect();
    for chunk in statuses.chunks(UPSERT_ROWS) {
        let sql = upsert_sql(
            "campaign_tallies",
            "level, status, late, pilot",
            chunk.len(),
            "level, status, late, pilot",
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ((unit, level, status, late, pilot), n) in chunk {
            if *n < 0 {
                emptied.insert(*unit);
            }
            query = query
                .bind(campaign_id)
                .bind(*unit)
                .bind(level.as_str())
                .bind(status.as_str())
                .bind(*late)
                .bind(*pilot)
                .bind(*n);
        }
        query.execute(&mut *conn).await?;
    }
    let days: Vec<_> = differences.days.into_iter().filter(|(_, n)| *n != 0).collect();
    for chunk in days.chunks(UPSERT_ROWS) {
        let sql = upsert_sql(
            "campaign_day_tallies",
            "level, closes_on, held",
            chunk.len(),
            "level, closes_on, held",
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ((unit, level, day, held), n) in chunk {
            if *n < 0 {
                emptied.insert(*unit);
            }
            query = query
                .bind(campaign_id)
                .bind(*unit)
                .bind(level.as_str())
                .bind(day.as_str())
                .bind(*held)
                .bind(*n);
        }
        query.execute(&mut *conn).await?;
    }
    // Counts that fell to zero are removed, so a unit's rows are what its subtree holds.
    let emptied: Vec<i64> = emptied.into_iter().collect();
    for chunk in emptied.chunks(500) {
        let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        for table in ["campaign_tallies", "campaign_day_tallies"] {
            sqlx::query(sqlf!(
                "DELETE FROM {table} WHERE campaign_id = $1 AND unit_id IN ({list}) AND units = 0"
            ))
            .bind(campaign_id)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// `INSERT … ON CONFLICT … DO UPDATE` adding `units` to the stored count, for `rows` rows of
/// (campaign, unit, the facts, units).
fn upsert_sql(table: &str, facts: &str, rows: usize, key: &str) -> String {
    let width = facts.split(',').count() + 3;
    let mut values = String::with_capacity(rows * width * 6);
    let mut next = 1;
    for row in 0..rows {
        if row > 0 {
            values.push_str(", ");
        }
        values.push('(');
        for column in 0..width {
            if column > 0 {
                values.push_str(", ");
            }
            values.push_str(&format!("${next}"));
            next += 1;
        }
        values.push(')');
    }
    format!(
        "INSERT INTO {table} (campaign_id, unit_id, {facts}, units) VALUES {values} \
         ON CONFLICT (campaign_id, unit_id, {key}) DO UPDATE SET units = {table}.units + excluded.units"
    )
}

/// The unit id a path ends with (`/1/23/456/` → 456).
pub(crate) fn unit_of_path(path: &str) -> Option<i64> {
    path_ids(path).last().copied()
}

/// A unit's counts by `(level, status, late, pilot)`.
pub(crate) async fn status_tallies(
    conn: &mut AnyConnection,
    campaign_id: i64,
    unit_id: i64,
) -> Result<Vec<(String, String, i64, i64, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT level, status, late, pilot, units FROM campaign_tallies \
         WHERE campaign_id = $1 AND unit_id = $2 ORDER BY level, status, late, pilot",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// A unit's congresses closing per `(level, day, held)`.
pub(crate) async fn day_tallies(
    conn: &mut AnyConnection,
    campaign_id: i64,
    unit_id: i64,
) -> Result<Vec<(String, String, i64, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT level, closes_on, held, units FROM campaign_day_tallies \
         WHERE campaign_id = $1 AND unit_id = $2 ORDER BY level, closes_on, held",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?)
}

impl Store {
    /// Every disagreement between the stored campaign tallies and a recomputation from the
    /// plan rows (with the levels' deadlines), and every plan row whose remembered count is
    /// not its current one. Empty when the tallies are right; the tests call it after writes.
    pub async fn campaign_tally_problems(&self) -> Result<Vec<String>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let mut problems = Vec::new();
        let rows = sqlx::query(
            "SELECT p.campaign_id, p.unit_id, p.unit_path, p.level, p.status, p.pilot, \
             p.held_end, p.ends_on, l.deadline, p.counted_under, p.counted_as \
             FROM campaign_plans p LEFT JOIN campaign_levels l \
             ON l.campaign_id = p.campaign_id AND l.level = p.level ORDER BY p.campaign_id, p.id",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut expected: BTreeMap<i64, Differences> = BTreeMap::new();
        for row in &rows {
            let campaign_id: i64 = row.try_get("campaign_id")?;
            let unit_id: i64 = row.try_get("unit_id")?;
            let path: String = row.try_get("unit_path")?;
            let status: String = row.try_get("status")?;
            let held = HELD_CODES.contains(&status.as_str());
            let closes: Option<String> =
                row.try_get::<Option<String>, _>("held_end")?
                    .or(row.try_get::<Option<String>, _>("ends_on")?);
            let deadline: Option<String> = row.try_get("deadline")?;
            let late = held
                && matches!((&closes, &deadline), (Some(closes), Some(deadline)) if closes > deadline);
            let pilot = held && row.try_get::<i64, _>("pilot")? == 1;
            let counted = Counted {
                level: row.try_get("level")?,
                status: status.clone(),
                late: i64::from(late),
                pilot: i64::from(pilot),
                day: closes.filter(|_| status != "not_planned").map(|day| (day, i64::from(held))),
            };
            let under: Option<String> = row.try_get("counted_under")?;
            let counted_as: Option<String> = row.try_get("counted_as")?;
            if under.as_deref() != Some(path.as_str())
                || counted_as.as_deref() != Some(counted.key().as_str())
            {
                problems.push(format!(
                    "campaign {campaign_id}, unit {unit_id}: counted as {counted_as:?} under \
                     {under:?}, is {:?} under {path:?}",
                    counted.key()
                ));
            }
            expected.entry(campaign_id).or_default().add(&path, &counted, 1);
        }
        let stored_statuses: Vec<(i64, i64, String, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT campaign_id, unit_id, level, status, late, pilot, units FROM campaign_tallies",
        )
        .fetch_all(&mut *conn)
        .await?;
        let stored_days: Vec<(i64, i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT campaign_id, unit_id, level, closes_on, held, units FROM campaign_day_tallies",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut stored: BTreeMap<i64, Differences> = BTreeMap::new();
        for (campaign_id, unit, level, status, late, pilot, n) in stored_statuses {
            stored
                .entry(campaign_id)
                .or_default()
                .statuses
                .insert((unit, level, status, late, pilot), n);
        }
        for (campaign_id, unit, level, day, held, n) in stored_days {
            stored.entry(campaign_id).or_default().days.insert((unit, level, day, held), n);
        }
        let campaigns: BTreeSet<i64> = expected.keys().chain(stored.keys()).copied().collect();
        for campaign_id in campaigns {
            let empty = Differences::default();
            let want = expected.get(&campaign_id).unwrap_or(&empty);
            let have = stored.get(&campaign_id).unwrap_or(&empty);
            let keys: BTreeSet<_> = want.statuses.keys().chain(have.statuses.keys()).collect();
            for key in keys {
                let (a, b) = (want.statuses.get(key), have.statuses.get(key));
                if a != b {
                    problems.push(format!(
                        "campaign {campaign_id}, tally {key:?}: recomputed {a:?}, stored {b:?}"
                    ));
                }
            }
            let keys: BTreeSet<_> = want.days.keys().chain(have.days.keys()).collect();
            for key in keys {
                let (a, b) = (want.days.get(key), have.days.get(key));
                if a != b {
                    problems.push(format!(
                        "campaign {campaign_id}, day tally {key:?}: recomputed {a:?}, stored {b:?}"
                    ));
                }
            }
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_what_was_counted() {
        for key in ["cell|held|1|0|2025-03-10|1", "grassroots|not_planned|0|0||"] {
            assert_eq!(Counted::parse(key).unwrap().key(), key);
        }
        assert_eq!(unit_of_path("/1/23/456/"), Some(456));
    }

    #[test]
    fn upserts_number_their_parameters() {
        let sql = upsert_sql("t", "a, b", 2, "a, b");
        assert!(sql.contains("VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)"), "{sql}");
    }
}
