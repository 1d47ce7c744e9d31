//! The campaign dashboard's figures kept per unit (migration `0014_campaign_tallies.sql`):
//! for every unit, the plan rows below it counted by level, status, "held after the level's
//! deadline" and "pilot held" (`campaign_tallies`), and the congresses closing per
//! level and day (`campaign_day_tallies`), so a dashboard reads the unit's and its children's
//! tally rows instead of every plan row of the subtree; and the facts the problem counts of a
//! day compare with that day's cut-offs (`campaign_problem_tallies`), so the counts of any day
//! are a sum over the unit's tally rows, exact without a calendar in the store. A unit's own
//! plan row is read beside its tallies rather than counted in them: 94% of the units of the
//! national tree have no children, and their own tally rows would be most of the rows written.
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

use crate::bulk::placeholders;
use crate::campaign::vietnam_date;
use crate::rows::date_text;
use crate::{Backend, Store, StoreError};

/// The statuses of a congress that took place.
const HELD_SQL: &str = "p.status IN ('held', 'reported', 'approved', 'returned')";

/// The statuses of a congress that took place, as the core's codes.
const HELD_CODES: [&str; 4] = ["held", "reported", "approved", "returned"];

/// The statuses of a congress not yet held.
const OPEN_SQL: &str = "p.status IN ('not_planned', 'planned', 'preparing')";

/// What a plan row `p` (joined with its level `l`) counts for, as one text of 13 fields
/// separated by `|` (see [`Counted`]), computed from the row's columns.
fn key_sql() -> String {
    let closes = "COALESCE(p.held_end, p.ends_on)";
    // The checks of the problem query that do not depend on the day: the query itself with
    // cut-offs no row passes.
    let always = crate::campaign::CANDIDATE_SQL
        .replace("$4", "''")
        .replace("$5", &daihoi_core::campaign::NOTICE_WORKING_DAYS.to_string())
        .replace("$6", "''")
        .replace("$7", "''")
        .replace("$8", "''")
        .replace("$9", &(i64::MIN + 1).to_string());
    format!(
        "(p.level || '|' || p.status || '|' \
         || CASE WHEN {HELD_SQL} AND {closes} > l.deadline THEN '1' ELSE '0' END || '|' \
         || CASE WHEN {HELD_SQL} AND p.pilot = 1 THEN '1' ELSE '0' END || '|' \
         || CASE WHEN p.status <> 'not_planned' AND {closes} IS NOT NULL \
            THEN {closes} || CASE WHEN {HELD_SQL} THEN '|1' ELSE '|0' END ELSE '|' END || '|' \
         || CASE WHEN {always} THEN '1' ELSE '0' END || '|' \
         || CASE WHEN p.starts_on IS NOT NULL THEN '1' ELSE '0' END || '|' \
         || CASE WHEN p.starts_on IS NULL AND p.congress_id IS NULL \
            THEN COALESCE(l.deadline, '') ELSE '' END || '|' \
         || CASE WHEN {OPEN_SQL} AND p.notice_on IS NULL THEN COALESCE(p.starts_on, '') \
            ELSE '' END || '|' \
         || CASE WHEN {OPEN_SQL} THEN COALESCE(p.ends_on, '') ELSE '' END || '|' \
         || CASE WHEN p.status = 'held' THEN COALESCE({closes}, '') ELSE '' END || '|' \
         || CASE WHEN p.status = 'reported' AND p.reported_at IS NOT NULL \
            THEN CAST(p.reported_at AS TEXT) ELSE '' END)"
    )
}

/// The facts of a plan row the problem counts compare with a day's cut-offs (empty text when
/// a comparison does not apply to the row).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
struct ProblemFacts {
    /// A check that does not depend on the day finds a possible problem.
    always: i64,
    /// The opening day is set.
    started: i64,
    /// No dates and no congress: the level's deadline.
    unscheduled_deadline: String,
    /// Not held, no announcement: the opening day.
    unannounced_start: String,
    /// Not held: the closing day.
    open_end: String,
    /// Held, not reported: the closing day.
    held_end: String,
    /// Reported, not decided: the instant the results were received (ms), as text.
    reported_at: String,
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
    problems: ProblemFacts,
}

impl Counted {
    fn parse(key: &str) -> Option<Counted> {
        let parts: Vec<&str> = key.split('|').collect();
        let [
            level,
            status,
            late,
            pilot,
            day,
            held,
            always,
            started,
            deadline,
            start,
            end,
            held_end,
            reported,
        ] = parts.as_slice()
        else {
            return None;
        };
        let day = if day.is_empty() { None } else { Some((day.to_string(), held.parse().ok()?)) };
        Some(Counted {
            level: level.to_string(),
            status: status.to_string(),
            late: late.parse().ok()?,
            pilot: pilot.parse().ok()?,
            day,
            problems: ProblemFacts {
                always: always.parse().ok()?,
                started: started.parse().ok()?,
                unscheduled_deadline: deadline.to_string(),
                unannounced_start: start.to_string(),
                open_end: end.to_string(),
                held_end: held_end.to_string(),
                reported_at: reported.to_string(),
            },
        })
    }

    /// The dashboard's part of the key (the first six fields).
    fn dashboard_key(&self) -> String {
        let (day, held) = match &self.day {
            Some((day, held)) => (day.clone(), held.to_string()),
            None => (String::new(), String::new()),
        };
        format!("{}|{}|{}|{}|{day}|{held}", self.level, self.status, self.late, self.pilot)
    }

    /// The problem tally row's facts: the receipt instant becomes its day in Vietnam, the
    /// unit the approval cut-off is compared in.
    fn problem_row(&self) -> ProblemRowKey {
        let facts = &self.problems;
        let reported_on = facts
            .reported_at
            .parse::<i64>()
            .ok()
            .map(|ms| date_text(Some(vietnam_date(ms))).unwrap_or_default())
            .unwrap_or_default();
        (
            facts.always,
            facts.started,
            facts.unscheduled_deadline.clone(),
            facts.unannounced_start.clone(),
            facts.open_end.clone(),
            facts.held_end.clone(),
            reported_on,
        )
    }
}

/// `(always, started, unscheduled deadline, unannounced start, open end, held end, reported on)`.
type ProblemRowKey = (i64, i64, String, String, String, String, String);
/// `(unit, facts) → units`.
type ProblemTallies = BTreeMap<(i64, ProblemRowKey), i64>;

/// `(unit, level, status, late, pilot) → units`.
type StatusTallies = BTreeMap<(i64, String, String, i64, i64), i64>;
/// `(unit, level, closing day, held) → units`.
type DayTallies = BTreeMap<(i64, String, String, i64), i64>;

#[derive(Default)]
struct Differences {
    statuses: StatusTallies,
    days: DayTallies,
    problems: ProblemTallies,
}

impl Differences {
    /// Counts a row under the ancestors its path names, not under its own unit (read with
    /// the tallies instead): most units have no children, and their own tally rows would be
    /// most of the rows written.
    fn add(&mut self, path: &str, counted: &Counted, sign: i64) {
        let problem_row = counted.problem_row();
        let mut ids = path_ids(path);
        ids.pop();
        for unit in ids {
            *self.problems.entry((unit, problem_row.clone())).or_default() += sign;
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

/// Rows per upsert statement (at most 10 parameters each, under both backends' limits).
const UPSERT_ROWS: usize = 500;

/// The filter of a scope on `p`, with its two text binds ($2, $3).
fn scope_filters(scope: &TallyScope<'_>) -> Vec<(String, [String; 2])> {
    let none = || [String::new(), String::new()];
    match scope {
        TallyScope::Campaign => vec![("$2 = $3".to_string(), none())],
        TallyScope::Uncounted => vec![("p.counted_under IS NULL AND $2 = $3".to_string(), none())],
        TallyScope::Subtree(path) => vec![(
            "p.unit_path >= $2 AND p.unit_path < $3".to_string(),
            [path.to_string(), crate::units::prefix_end(path)],
        )],
        TallyScope::Units(ids) => ids
            .chunks(500)
            .map(|chunk| {
                let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
                (format!("p.unit_id IN ({list}) AND $2 = $3"), none())
            })
            .collect(),
    }
}

/// The parents of a scope's rows outside it: a delegates' congress may be at risk because of
/// its children's rows (the order checks), so a change to a child re-examines its parent.
async fn parents_outside(
    conn: &mut AnyConnection,
    campaign_id: i64,
    scope: &TallyScope<'_>,
) -> Result<Vec<i64>, StoreError> {
    if matches!(scope, TallyScope::Campaign) {
        return Ok(Vec::new());
    }
    let mut inside = BTreeSet::new();
    let mut parents = BTreeSet::new();
    for (filter, binds) in scope_filters(scope) {
        let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(sqlf!(
            "SELECT p.unit_id, p.parent_id FROM campaign_plans p \
             WHERE p.campaign_id = $1 AND {filter}"
        ))
        .bind(campaign_id)
        .bind(&binds[0])
        .bind(&binds[1])
        .fetch_all(&mut *conn)
        .await?;
        for (unit, parent) in rows {
            inside.insert(unit);
            parents.extend(parent);
        }
    }
    Ok(parents.difference(&inside).copied().collect())
}

/// Brings the tallies of `campaign_id` in line with its plan rows in `scope` (and the parents
/// of those rows): the rows whose path or facts differ from what was counted for them are
/// taken back from the ancestors they were counted under and added under their current
/// ancestors. Returns the rows re-counted.
pub(crate) async fn sync_tallies(
    conn: &mut AnyConnection,
    campaign_id: i64,
    scope: TallyScope<'_>,
) -> Result<u64, StoreError> {
    let parents = parents_outside(conn, campaign_id, &scope).await?;
    let mut differences = Differences::default();
    let mut recounted = recount(conn, campaign_id, &scope, &mut differences).await?;
    if !parents.is_empty() {
        recounted +=
            recount(conn, campaign_id, &TallyScope::Units(&parents), &mut differences).await?;
    }
    let changed = differences.statuses.len() + differences.days.len() + differences.problems.len();
    apply_differences(conn, campaign_id, differences).await?;
    // After a large change PostgreSQL's planner must see the tables' new size (the loads of
    // `Bulk` do the same for the tree), or it reads a unit's few tally rows by scanning the
    // table.
    if changed > 10_000 && backend(conn) == Backend::Postgres {
        for table in ["campaign_tallies", "campaign_day_tallies", "campaign_problem_tallies"] {
            sqlx::query(sqlf!("ANALYZE {table}")).execute(&mut *conn).await?;
        }
    }
    Ok(recounted)
}

/// Finds the rows of `scope` counted differently from what they are now, adds their
/// differences and records what they are now counted as.
async fn recount(
    conn: &mut AnyConnection,
    campaign_id: i64,
    scope: &TallyScope<'_>,
    differences: &mut Differences,
) -> Result<u64, StoreError> {
    let key = key_sql();
    let mut recounted = 0;
    for (filter, binds) in scope_filters(scope) {
        let rows = sqlx::query(sqlf!(
            "SELECT p.id, p.unit_path, p.counted_under, p.counted_as, {key} AS tally_key \
             FROM campaign_plans p LEFT JOIN campaign_levels l \
             ON l.campaign_id = p.campaign_id AND l.level = p.level \
             WHERE p.campaign_id = $1 AND {filter} AND (p.counted_under IS NULL \
             OR p.counted_under <> p.unit_path OR p.counted_as <> {key})"
        ))
        .bind(campaign_id)
        .bind(&binds[0])
        .bind(&binds[1])
        .fetch_all(&mut *conn)
        .await?;
        let mut written = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let path: String = row.try_get("unit_path")?;
            let under: Option<String> = row.try_get("counted_under")?;
            let was: Option<String> = row.try_get("counted_as")?;
            let now: String = row.try_get("tally_key")?;
            if let (Some(under), Some(was)) = (under, was.as_deref().and_then(Counted::parse)) {
                differences.add(&under, &was, -1);
            }
            let counted = Counted::parse(&now).ok_or_else(|| {
                StoreError::Other(format!("campaign {campaign_id}: bad tally key {now:?}"))
            })?;
            differences.add(&path, &counted, 1);
            written.push((id, path, now));
        }
        // With the statistics of a `campaign_plans` analysed before a large change (the
        // creation of a campaign adds every row), PostgreSQL joins each batch below by reading
        // the whole table (5.4 s for 100,000 rows instead of about 1 s), and later reads a
        // national problems page by sorting the whole subtree (0.96 s instead of 3 ms).
        if written.len() > 10_000 && backend(conn) == Backend::Postgres {
            sqlx::query("ANALYZE campaign_plans").execute(&mut *conn).await?;
        }
        for chunk in written.chunks(UPSERT_ROWS) {
            let values = placeholders(backend(conn), chunk.len(), &row_of(3));
            let mut query = sqlx::query(sqlf!(
                "UPDATE campaign_plans SET counted_under = v.column2, counted_as = v.column3 \
                 FROM (VALUES {values}) AS v WHERE campaign_plans.id = v.column1"
            ));
            for (id, path, key) in chunk {
                query = query.bind(*id).bind(path.as_str()).bind(key.as_str());
            }
            recounted += query.execute(&mut *conn).await?.rows_affected();
        }
    }
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
            backend(conn),
            "campaign_tallies",
            "level, status, late, pilot",
            chunk.len(),
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
            backend(conn),
            "campaign_day_tallies",
            "level, closes_on, held",
            chunk.len(),
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
    let problems: Vec<_> = differences.problems.into_iter().filter(|(_, n)| *n != 0).collect();
    let facts = "always, started, unscheduled_deadline, unannounced_start, open_end, held_end, \
                 reported_on";
    for chunk in problems.chunks(UPSERT_ROWS) {
        let sql = upsert_sql(backend(conn), "campaign_problem_tallies", facts, chunk.len());
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ((unit, (always, started, deadline, start, end, held_end, reported_on)), n) in chunk {
            if *n < 0 {
                emptied.insert(*unit);
            }
            query = query
                .bind(campaign_id)
                .bind(*unit)
                .bind(*always)
                .bind(*started)
                .bind(deadline.as_str())
                .bind(start.as_str())
                .bind(end.as_str())
                .bind(held_end.as_str())
                .bind(reported_on.as_str())
                .bind(*n);
        }
        query.execute(&mut *conn).await?;
    }
    // Counts that fell to zero are removed, so a unit's rows are what its subtree holds.
    let emptied: Vec<i64> = emptied.into_iter().collect();
    for chunk in emptied.chunks(500) {
        let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        for table in ["campaign_tallies", "campaign_day_tallies", "campaign_problem_tallies"] {
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
/// (campaign, unit, the facts, units); the facts are the key.
fn upsert_sql(backend: Backend, table: &str, facts: &str, rows: usize) -> String {
    let values = placeholders(backend, rows, &row_of(facts.split(',').count() + 3));
    format!(
        "INSERT INTO {table} (campaign_id, unit_id, {facts}, units) VALUES {values} \
         ON CONFLICT (campaign_id, unit_id, {facts}) DO UPDATE SET units = {table}.units + excluded.units"
    )
}

/// The backend of a connection (parameters are numbered on PostgreSQL, anonymous on SQLite:
/// see `bulk::placeholders`).
fn backend(conn: &AnyConnection) -> Backend {
    if conn.backend_name() == "SQLite" { Backend::Sqlite } else { Backend::Postgres }
}

/// `(?, ?, ?)` for a row of width 3.
fn row_of(width: usize) -> String {
    format!("({})", vec!["?"; width].join(", "))
}

/// The unit id a path ends with (`/1/23/456/` → 456).
pub(crate) fn unit_of_path(path: &str) -> Option<i64> {
    path_ids(path).last().copied()
}

/// What the plan rows of these units count for now (each unit's own row, which its tallies
/// leave out), by unit.
async fn own_rows(
    conn: &mut AnyConnection,
    campaign_id: i64,
    unit_ids: &[i64],
) -> Result<Vec<(i64, Counted)>, StoreError> {
    let key = key_sql();
    let mut own = Vec::new();
    for chunk in unit_ids.chunks(500) {
        let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let rows: Vec<(i64, String)> = sqlx::query_as(sqlf!(
            "SELECT p.unit_id, {key} FROM campaign_plans p LEFT JOIN campaign_levels l \
             ON l.campaign_id = p.campaign_id AND l.level = p.level \
             WHERE p.campaign_id = $1 AND p.unit_id IN ({list})"
        ))
        .bind(campaign_id)
        .fetch_all(&mut *conn)
        .await?;
        for (unit, key) in rows {
            let counted = Counted::parse(&key).ok_or_else(|| {
                StoreError::Other(format!("campaign {campaign_id}: bad tally key {key:?}"))
            })?;
            own.push((unit, counted));
        }
    }
    Ok(own)
}

/// A unit's subtree counted by `(level, status, late, pilot)`: its tally rows and its own row.
pub(crate) async fn status_tallies(
    conn: &mut AnyConnection,
    campaign_id: i64,
    unit_id: i64,
) -> Result<Vec<(String, String, i64, i64, i64)>, StoreError> {
    let mut rows: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT level, status, late, pilot, units FROM campaign_tallies \
         WHERE campaign_id = $1 AND unit_id = $2 ORDER BY level, status, late, pilot",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?;
    for (_, own) in own_rows(conn, campaign_id, &[unit_id]).await? {
        rows.push((own.level, own.status, own.late, own.pilot, 1));
    }
    Ok(rows)
}

/// The subtrees of these units (children of one unit) counted by status: `(unit, status,
/// units)`, their tally rows and their own rows.
pub(crate) async fn child_status_tallies(
    conn: &mut AnyConnection,
    campaign_id: i64,
    unit_ids: &[i64],
) -> Result<Vec<(i64, String, i64)>, StoreError> {
    let mut counts = Vec::new();
    for chunk in unit_ids.chunks(500) {
        let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(sqlf!(
            "SELECT unit_id, status, CAST(SUM(units) AS BIGINT) FROM campaign_tallies \
             WHERE campaign_id = $1 AND unit_id IN ({list}) GROUP BY unit_id, status"
        ))
        .bind(campaign_id)
        .fetch_all(&mut *conn)
        .await?;
        counts.extend(rows);
    }
    for (unit, own) in own_rows(conn, campaign_id, unit_ids).await? {
        counts.push((unit, own.status, 1));
    }
    Ok(counts)
}

/// A unit's subtree's congresses closing per `(level, day, held)`: its tally rows and its own
/// row.
pub(crate) async fn day_tallies(
    conn: &mut AnyConnection,
    campaign_id: i64,
    unit_id: i64,
) -> Result<Vec<(String, String, i64, i64)>, StoreError> {
    let mut rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT level, closes_on, held, units FROM campaign_day_tallies \
         WHERE campaign_id = $1 AND unit_id = $2 ORDER BY level, closes_on, held",
    )
    .bind(campaign_id)
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?;
    for (_, own) in own_rows(conn, campaign_id, &[unit_id]).await? {
        if let Some((day, held)) = own.day {
            rows.push((own.level, day, held, 1));
        }
    }
    Ok(rows)
}

/// The units of a unit's subtree that may have a problem on the day of `cutoffs`, and the
/// late ones: the sum of its problem tally rows whose facts pass the day's cut-offs, the same
/// tests as the problem query's (`CANDIDATE_SQL`, `LATE_SQL`), and its own row judged by that
/// query.
pub(crate) async fn problem_counts(
    conn: &mut AnyConnection,
    campaign_id: i64,
    unit_id: i64,
    cutoffs: &daihoi_core::campaign::Cutoffs,
) -> Result<(i64, i64), StoreError> {
    let late = "((started = 1 AND ((unannounced_start <> '' AND unannounced_start <= $3) \
                OR (open_end <> '' AND open_end < $4))) \
                OR (held_end <> '' AND held_end < $5) OR (reported_on <> '' AND reported_on < $6))";
    let candidate = "(always = 1 OR (unscheduled_deadline <> '' AND unscheduled_deadline <= $7) \
                     OR (unannounced_start <> '' AND unannounced_start <= $3) \
                     OR (open_end <> '' AND open_end < $4) \
                     OR (held_end <> '' AND held_end < $5) OR (reported_on <> '' AND reported_on < $6))";
    let day = |date| date_text(Some(date)).unwrap_or_default();
    let (units, late): (i64, i64) = sqlx::query_as(sqlf!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN {candidate} THEN units ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN {late} THEN units ELSE 0 END), 0) AS BIGINT) \
         FROM campaign_problem_tallies WHERE campaign_id = $1 AND unit_id = $2"
    ))
    .bind(campaign_id)
    .bind(unit_id)
    .bind(day(cutoffs.notice_opening_by))
    .bind(day(cutoffs.today))
    .bind(day(cutoffs.report_closed_before))
    .bind(day(cutoffs.approval_received_before))
    .bind(day(cutoffs.schedule_deadline_by))
    .fetch_one(&mut *conn)
    .await?;
    let (own_units, own_late): (i64, i64) = sqlx::query_as(sqlf!(
        "SELECT CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM campaign_plans p LEFT JOIN campaign_levels l \
         ON l.campaign_id = p.campaign_id AND l.level = p.level \
         WHERE p.campaign_id = $1 AND p.unit_id = $2 AND $3 = $3 AND ({})",
        crate::campaign::LATE_SQL,
        crate::campaign::CANDIDATE_SQL
    ))
    .bind(campaign_id)
    .bind(unit_id)
    .bind("")
    .bind(day(cutoffs.schedule_deadline_by))
    .bind(i64::from(daihoi_core::campaign::NOTICE_WORKING_DAYS))
    .bind(day(cutoffs.notice_opening_by))
    .bind(day(cutoffs.today))
    .bind(day(cutoffs.report_closed_before))
    .bind(crate::campaign::vietnam_midnight_ms(cutoffs.approval_received_before))
    .fetch_one(&mut *conn)
    .await?;
    Ok((units + own_units, late + own_late))
}

impl Store {
    /// Counts the plan rows no tally holds yet (plans stored before the tallies existed), in
    /// one transaction with an audit entry per campaign. Called when the store opens a
    /// database; nothing to do afterwards, since every write keeps the tallies.
    pub(crate) async fn count_uncounted_plans(&self) -> Result<(), StoreError> {
        let campaigns: Vec<i64> = sqlx::query_scalar(
            "SELECT c.id FROM campaigns c WHERE EXISTS (SELECT 1 FROM campaign_plans p \
             WHERE p.campaign_id = c.id AND p.counted_under IS NULL) ORDER BY c.id",
        )
        .fetch_all(self.pool())
        .await?;
        if campaigns.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write(&crate::Actor::system("tallies")).await?;
        for campaign_id in campaigns {
            let counted = sync_tallies(tx.conn(), campaign_id, TallyScope::Uncounted).await?;
            tx.audit(
                crate::AuditRecord::new("campaign.tally", "campaign", campaign_id)
                    .after(serde_json::json!({ "counted": counted })),
            )
            .await?;
        }
        tx.commit().await
    }

    /// Every disagreement between the stored campaign tallies and a recomputation from the
    /// plan rows (with their levels), and every plan row whose remembered count is not its
    /// current one. Empty when the tallies are right; the tests call it after writes.
    pub async fn campaign_tally_problems(&self) -> Result<Vec<String>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let mut problems = Vec::new();
        let rows = sqlx::query(sqlf!(
            "SELECT p.campaign_id, p.unit_id, p.unit_path, p.level, p.status, p.pilot, \
             p.held_end, p.ends_on, l.deadline, p.counted_under, p.counted_as, \
             {} AS tally_key FROM campaign_plans p LEFT JOIN campaign_levels l \
             ON l.campaign_id = p.campaign_id AND l.level = p.level ORDER BY p.campaign_id, p.id",
            key_sql()
        ))
        .fetch_all(&mut *conn)
        .await?;
        let mut expected: BTreeMap<i64, Differences> = BTreeMap::new();
        for row in &rows {
            let campaign_id: i64 = row.try_get("campaign_id")?;
            let unit_id: i64 = row.try_get("unit_id")?;
            let path: String = row.try_get("unit_path")?;
            let key: String = row.try_get("tally_key")?;
            let Some(counted) = Counted::parse(&key) else {
                problems.push(format!("campaign {campaign_id}, unit {unit_id}: bad key {key:?}"));
                continue;
            };
            // The dashboard's facts again, from the row's columns in Rust.
            let status: String = row.try_get("status")?;
            let held = HELD_CODES.contains(&status.as_str());
            let closes: Option<String> =
                row.try_get::<Option<String>, _>("held_end")?
                    .or(row.try_get::<Option<String>, _>("ends_on")?);
            let deadline: Option<String> = row.try_get("deadline")?;
            let late = held
                && matches!((&closes, &deadline), (Some(closes), Some(deadline)) if closes > deadline);
            let pilot = held && row.try_get::<i64, _>("pilot")? == 1;
            let dashboard = Counted {
                level: row.try_get("level")?,
                status: status.clone(),
                late: i64::from(late),
                pilot: i64::from(pilot),
                day: closes.filter(|_| status != "not_planned").map(|day| (day, i64::from(held))),
                problems: counted.problems.clone(),
            };
            if dashboard != counted {
                problems.push(format!(
                    "campaign {campaign_id}, unit {unit_id}: the key says {key:?}, the columns {:?}",
                    dashboard.dashboard_key()
                ));
            }
            let under: Option<String> = row.try_get("counted_under")?;
            let counted_as: Option<String> = row.try_get("counted_as")?;
            if under.as_deref() != Some(path.as_str())
                || counted_as.as_deref() != Some(key.as_str())
            {
                problems.push(format!(
                    "campaign {campaign_id}, unit {unit_id}: counted as {counted_as:?} under \
                     {under:?}, is {key:?} under {path:?}"
                ));
            }
            expected.entry(campaign_id).or_default().add(&path, &counted, 1);
        }
        let mut stored: BTreeMap<i64, Differences> = BTreeMap::new();
        let statuses: Vec<(i64, i64, String, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT campaign_id, unit_id, level, status, late, pilot, units FROM campaign_tallies",
        )
        .fetch_all(&mut *conn)
        .await?;
        for (campaign_id, unit, level, status, late, pilot, n) in statuses {
            let tallies = &mut stored.entry(campaign_id).or_default().statuses;
            tallies.insert((unit, level, status, late, pilot), n);
        }
        let days: Vec<(i64, i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT campaign_id, unit_id, level, closes_on, held, units FROM campaign_day_tallies",
        )
        .fetch_all(&mut *conn)
        .await?;
        for (campaign_id, unit, level, day, held, n) in days {
            stored.entry(campaign_id).or_default().days.insert((unit, level, day, held), n);
        }
        let facts = sqlx::query(
            "SELECT campaign_id, unit_id, always, started, unscheduled_deadline, \
             unannounced_start, open_end, held_end, reported_on, units \
             FROM campaign_problem_tallies",
        )
        .fetch_all(&mut *conn)
        .await?;
        for row in &facts {
            let key = (
                row.try_get::<i64, _>("always")?,
                row.try_get::<i64, _>("started")?,
                row.try_get::<String, _>("unscheduled_deadline")?,
                row.try_get::<String, _>("unannounced_start")?,
                row.try_get::<String, _>("open_end")?,
                row.try_get::<String, _>("held_end")?,
                row.try_get::<String, _>("reported_on")?,
            );
            let campaign_id: i64 = row.try_get("campaign_id")?;
            let unit: i64 = row.try_get("unit_id")?;
            stored
                .entry(campaign_id)
                .or_default()
                .problems
                .insert((unit, key), row.try_get("units")?);
        }
        let campaigns: BTreeSet<i64> = expected.keys().chain(stored.keys()).copied().collect();
        for campaign_id in campaigns {
            let empty = Differences::default();
            let want = expected.get(&campaign_id).unwrap_or(&empty);
            let have = stored.get(&campaign_id).unwrap_or(&empty);
            compare(&mut problems, campaign_id, "status", &want.statuses, &have.statuses);
            compare(&mut problems, campaign_id, "day", &want.days, &have.days);
            compare(&mut problems, campaign_id, "problem", &want.problems, &have.problems);
        }
        Ok(problems)
    }
}

/// Lists the keys whose recomputed and stored counts differ (a zero count is never stored).
fn compare<K: Ord + std::fmt::Debug>(
    problems: &mut Vec<String>,
    campaign_id: i64,
    table: &str,
    want: &BTreeMap<K, i64>,
    have: &BTreeMap<K, i64>,
) {
    let keys: BTreeSet<&K> = want.keys().chain(have.keys()).collect();
    for key in keys {
        let (a, b) = (want.get(key).filter(|n| **n != 0), have.get(key));
        if a != b {
            problems.push(format!(
                "campaign {campaign_id}, {table} tally {key:?}: recomputed {a:?}, stored {b:?}"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_what_was_counted() {
        let key = "cell|held|1|0|2025-03-10|1|0|1|||||";
        let counted = Counted::parse(key).unwrap();
        assert_eq!(counted.dashboard_key(), "cell|held|1|0|2025-03-10|1");
        let key = "grassroots|reported|0|0|2025-03-10|1|0|1|||||1741572000000";
        // Received at 9:00 on 10 March 2025 in Vietnam.
        assert_eq!(Counted::parse(key).unwrap().problem_row().6, "2025-03-10");
        assert!(Counted::parse("cell|held|1|0|2025-03-10|1").is_none());
        assert_eq!(unit_of_path("/1/23/456/"), Some(456));
    }

    #[test]
    fn upserts_number_their_parameters() {
        let sql = upsert_sql(Backend::Postgres, "t", "a, b", 2);
        assert!(sql.contains("VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)"), "{sql}");
    }
}
