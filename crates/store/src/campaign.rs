//! The congress campaign: campaigns and their per-level timetable, one planned congress per
//! unit per campaign, bulk scheduling, the set-based status recomputation, roll-ups by level
//! over a subtree, and the plan checks of `daihoi_core::campaign` applied to a subtree.
//!
//! A campaign covers the subtree of its root unit; every unit of that subtree has one row in
//! `campaign_plans` (added by [`Store::recompute_campaign`] for units created later). A row's
//! status is never set by hand: the recomputation derives it, in two statements for the whole
//! subtree, from the plan's dates and the `congresses`, `congress_sessions` and `approvals`
//! rows, exactly as `daihoi_core::campaign::derive_status` does (a test compares the two).

use std::collections::{BTreeMap, HashMap, HashSet};

use daihoi_core::calendar::WorkCalendar;
use daihoi_core::campaign::{
    APPROVAL_WORKING_DAYS, Cutoffs, Level, LevelRule, PlanRow, Problem, REPORT_WORKING_DAYS,
    Status, Template, check_plan, length_in_days, suggested_delegates_congress,
};
use daihoi_core::unit::UnitKind;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::{Date, OffsetDateTime, UtcOffset};

use crate::audit::AuditRecord;
use crate::congress::{CongressContent, CongressKind};
use crate::rows::{date_text, parse_date};
use crate::tallies::{
    TallyScope, child_status_tallies, day_tallies, problem_counts, status_tallies, sync_tallies,
    unit_of_path,
};
use crate::units::{next_id, prefix_end, unit_on};
use crate::{Store, StoreError, WriteTx};

/// A campaign.
#[derive(Debug, Clone, Serialize)]
pub struct Campaign {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// First year of the term.
    pub term_start: i64,
    /// Last year of the term.
    pub term_end: i64,
    /// The directive (number, symbol and date).
    pub directive: String,
    /// Guidelines, conclusions and plans under it.
    pub guidance: String,
    /// The template it was made from.
    pub template: Option<String>,
    /// The unit whose subtree the campaign covers.
    pub root_unit_id: i64,
    /// That unit's path.
    pub root_path: String,
    /// The day statuses were last derived for.
    pub statuses_on: Option<Date>,
    /// When statuses were last derived (ms).
    pub statuses_at: Option<i64>,
    /// Per-level timetable, bottom level first.
    pub levels: Vec<LevelRule>,
    /// Version.
    pub version: i64,
}

impl Campaign {
    /// The rule of a level.
    pub fn rule(&self, level: Level) -> Option<&LevelRule> {
        self.levels.iter().find(|rule| rule.level == level)
    }
}

/// A campaign to create or the new values of one.
#[derive(Debug, Clone)]
pub struct CampaignInput {
    /// Name.
    pub name: String,
    /// First year of the term.
    pub term_start: i64,
    /// Last year of the term.
    pub term_end: i64,
    /// Directive.
    pub directive: String,
    /// Guidance.
    pub guidance: String,
    /// Template key.
    pub template: Option<String>,
    /// Root unit.
    pub root_unit_id: i64,
    /// Per-level timetable.
    pub levels: Vec<LevelRule>,
}

impl CampaignInput {
    /// The input of a directive's template over the subtree of `root_unit_id`.
    pub fn from_template(template: &Template, root_unit_id: i64) -> CampaignInput {
        CampaignInput {
            name: template.name.to_string(),
            term_start: i64::from(template.term_start),
            term_end: i64::from(template.term_end),
            directive: template.directive.to_string(),
            guidance: template.guidance.to_string(),
            template: Some(template.key.to_string()),
            root_unit_id,
            levels: template.levels.clone(),
        }
    }
}

/// A unit's planned congress with what is known of it.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Row id.
    pub id: i64,
    /// Campaign.
    pub campaign_id: i64,
    /// Unit.
    pub unit_id: i64,
    /// Unit's path.
    pub unit_path: String,
    /// Unit's name.
    pub unit_name: String,
    /// Unit's kind.
    pub unit_kind: UnitKind,
    /// Depth of the unit in the tree.
    pub depth: i64,
    /// Parent unit.
    pub parent_id: Option<i64>,
    /// Campaign level.
    pub level: Level,
    /// Members of the unit's subtree (official + probationary).
    pub members: i64,
    /// Planned opening day.
    pub starts_on: Option<Date>,
    /// Planned closing day.
    pub ends_on: Option<Date>,
    /// Day the date was announced.
    pub notice_on: Option<Date>,
    /// Members' or delegates' congress.
    pub kind: CongressKind,
    /// 4 or 2 items.
    pub content: CongressContent,
    /// Pilot congress.
    pub pilot: bool,
    /// Delegates sent to the parent's congress.
    pub delegates_up: i64,
    /// Derived status.
    pub status: Status,
    /// The congress record, once there is one.
    pub congress_id: Option<i64>,
    /// Actual first day (from the congress sessions).
    pub held_start: Option<Date>,
    /// Actual last day.
    pub held_end: Option<Date>,
    /// When the results were reported (ms).
    pub reported_at: Option<i64>,
    /// When the upper committee decided (ms).
    pub decided_at: Option<i64>,
    /// Version.
    pub version: i64,
}

impl Plan {
    /// The dates the checks use: the actual ones once held, the planned ones before.
    pub fn effective_dates(&self) -> (Option<Date>, Option<Date>) {
        (self.held_start.or(self.starts_on), self.held_end.or(self.ends_on))
    }

    /// The core's view of this row.
    pub fn plan_row(&self) -> PlanRow {
        let (starts_on, ends_on) = self.effective_dates();
        PlanRow {
            unit_id: self.unit_id,
            parent_id: self.parent_id,
            level: self.level,
            delegates_congress: self.kind == CongressKind::Delegates,
            four_items: self.content == CongressContent::FourItems,
            pilot: self.pilot,
            starts_on,
            ends_on,
            notice_on: self.notice_on,
            status: self.status,
            reported_on: self.reported_at.map(vietnam_date),
            decided_on: self.decided_at.map(vietnam_date),
        }
    }
}

/// New values for one unit's plan (a row of the scheduling table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanEdit {
    /// The unit.
    pub unit_id: i64,
    /// Opening day.
    pub starts_on: Option<Date>,
    /// Closing day (the opening day when absent).
    pub ends_on: Option<Date>,
    /// Announcement day.
    pub notice_on: Option<Date>,
    /// Members' or delegates' congress.
    pub kind: CongressKind,
    /// 4 or 2 items.
    pub content: CongressContent,
    /// Pilot.
    pub pilot: bool,
    /// Delegates to send upward.
    pub delegates_up: i64,
}

/// A refused cell of the scheduling table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellError {
    /// Index of the edit in the batch.
    pub row: usize,
    /// The unit.
    pub unit_id: i64,
    /// Field (`starts_on`, `ends_on`, `notice_on`, `delegates_up`, `unit`).
    pub field: &'static str,
    /// Vietnamese message.
    pub message_vi: String,
    /// English message.
    pub message_en: String,
}

/// Units by level and status in a subtree.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Rollup {
    /// `(level, status) → units`.
    pub counts: BTreeMap<(Level, Status), i64>,
    /// Held units per level whose congress closed after the level's deadline.
    pub held_late: BTreeMap<Level, i64>,
    /// Pilot congresses held, per level.
    pub pilots_held: BTreeMap<Level, i64>,
}

impl Rollup {
    /// Units of a level.
    pub fn total(&self, level: Level) -> i64 {
        self.counts.iter().filter(|((l, _), _)| *l == level).map(|(_, n)| n).sum()
    }

    /// Units of a level that have held their congress.
    pub fn held(&self, level: Level) -> i64 {
        self.counts.iter().filter(|((l, s), _)| *l == level && s.is_held()).map(|(_, n)| n).sum()
    }

    /// Units with a status, all levels.
    pub fn with_status(&self, status: Status) -> i64 {
        self.counts.iter().filter(|((_, s), _)| *s == status).map(|(_, n)| n).sum()
    }

    /// Every unit.
    pub fn all(&self) -> i64 {
        self.counts.values().sum()
    }
}

/// The statuses of the subtree of one child unit (drill-down).
#[derive(Debug, Clone, Serialize)]
pub struct ChildRollup {
    /// The child unit.
    pub unit_id: i64,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: UnitKind,
    /// Units in its subtree, by status.
    pub counts: BTreeMap<Status, i64>,
}

/// Congresses closing per day and level (the timeline).
#[derive(Debug, Clone, Serialize)]
pub struct TimelinePoint {
    /// Level.
    pub level: Level,
    /// Closing day (actual or planned).
    pub day: Date,
    /// Whether held.
    pub held: bool,
    /// Congresses.
    pub count: i64,
}

/// A problem found in a subtree, with the unit's name.
#[derive(Debug, Clone, Serialize)]
pub struct ProblemRow {
    /// The problem.
    pub problem: Problem,
    /// The unit's plan.
    pub plan: Plan,
    /// The other unit's name (order checks).
    pub other_name: Option<String>,
}

const PLAN_COLUMNS: &str = "p.id, p.campaign_id, p.unit_id, p.unit_path, u.name AS unit_name, \
    u.kind AS unit_kind, u.depth, p.parent_id, p.level, \
    (CASE WHEN u.sub_official + u.sub_probationary > 0 THEN u.sub_official + u.sub_probationary \
    ELSE u.declared_official + u.declared_probationary END) AS members, p.starts_on, p.ends_on, \
    p.notice_on, p.kind, p.content, p.pilot, p.delegates_up, p.status, p.congress_id, \
    p.held_start, p.held_end, p.reported_at, p.decided_at, p.version";

fn plan_from_row(row: &AnyRow) -> Result<Plan, StoreError> {
    let text = |name: &str| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(name)?) };
    let date = |name: &str| -> Result<Option<Date>, StoreError> {
        Ok(parse_date(row.try_get::<Option<String>, _>(name)?))
    };
    Ok(Plan {
        id: row.try_get("id")?,
        campaign_id: row.try_get("campaign_id")?,
        unit_id: row.try_get("unit_id")?,
        unit_path: text("unit_path")?,
        unit_name: text("unit_name")?,
        unit_kind: UnitKind::parse(&text("unit_kind")?).unwrap_or(UnitKind::Cell),
        depth: row.try_get("depth")?,
        parent_id: row.try_get("parent_id")?,
        level: Level::parse(&text("level")?).unwrap_or(Level::Cell),
        members: row.try_get("members")?,
        starts_on: date("starts_on")?,
        ends_on: date("ends_on")?,
        notice_on: date("notice_on")?,
        kind: CongressKind::parse(&text("kind")?).unwrap_or(CongressKind::Members),
        content: CongressContent::parse(&text("content")?).unwrap_or(CongressContent::FourItems),
        pilot: row.try_get::<i64, _>("pilot")? != 0,
        delegates_up: row.try_get("delegates_up")?,
        status: Status::parse(&text("status")?).unwrap_or(Status::NotPlanned),
        congress_id: row.try_get("congress_id")?,
        held_start: date("held_start")?,
        held_end: date("held_end")?,
        reported_at: row.try_get("reported_at")?,
        decided_at: row.try_get("decided_at")?,
        version: row.try_get("version")?,
    })
}

const VIETNAM: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The date in Vietnam of an instant in milliseconds.
pub fn vietnam_date(ms: i64) -> Date {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(|instant| instant.to_offset(VIETNAM).date())
        .unwrap_or(Date::MIN)
}

/// Milliseconds at midnight in Vietnam at the start of `date`.
pub fn vietnam_midnight_ms(date: Date) -> i64 {
    let instant = date.midnight().assume_offset(VIETNAM);
    (instant.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The bounds of a subtree's paths.
fn subtree(path: &str) -> (String, String) {
    (path.to_string(), prefix_end(path))
}

async fn campaign_on(conn: &mut AnyConnection, id: i64) -> Result<Campaign, StoreError> {
    let row = sqlx::query(
        "SELECT id, name, term_start, term_end, directive, guidance, template, root_unit_id, \
         root_path, statuses_on, statuses_at, version FROM campaigns WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let levels = sqlx::query(
        "SELECT level, window_start, window_end, deadline, max_days, age_reference, pilot_start, \
         pilot_end FROM campaign_levels WHERE campaign_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut rules = Vec::new();
    for level_row in &levels {
        let date = |name: &str| -> Result<Option<Date>, StoreError> {
            Ok(parse_date(level_row.try_get::<Option<String>, _>(name)?))
        };
        let Some(level) = Level::parse(&level_row.try_get::<String, _>("level")?) else {
            continue;
        };
        rules.push(LevelRule {
            level,
            window_start: date("window_start")?,
            window_end: date("window_end")?,
            deadline: date("deadline")?,
            max_days: level_row
                .try_get::<Option<i64>, _>("max_days")?
                .and_then(|days| u32::try_from(days).ok()),
            age_reference: date("age_reference")?,
            pilot_start: date("pilot_start")?,
            pilot_end: date("pilot_end")?,
        });
    }
    rules.sort_by_key(|rule| rule.level);
    Ok(Campaign {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        term_start: row.try_get("term_start")?,
        term_end: row.try_get("term_end")?,
        directive: row.try_get("directive")?,
        guidance: row.try_get("guidance")?,
        template: row.try_get("template")?,
        root_unit_id: row.try_get("root_unit_id")?,
        root_path: row.try_get("root_path")?,
        statuses_on: parse_date(row.try_get::<Option<String>, _>("statuses_on")?),
        statuses_at: row.try_get("statuses_at")?,
        levels: rules,
        version: row.try_get("version")?,
    })
}

fn validate_campaign(input: &CampaignInput) -> Result<(), StoreError> {
    if input.name.trim().is_empty() {
        return Err(StoreError::rule(
            "name_required",
            "name",
            "Tên đợt đại hội không được để trống.",
            "The campaign name is required.",
        ));
    }
    if input.term_end <= input.term_start || input.term_start < 1930 || input.term_end > 2200 {
        return Err(StoreError::rule(
            "bad_term",
            "term_start",
            "Nhiệm kỳ không hợp lệ: năm kết thúc phải sau năm bắt đầu.",
            "The term is not valid: the last year must come after the first.",
        ));
    }
    for rule in &input.levels {
        let level_vi = rule.level.label_vi();
        let level_en = rule.level.label_en();
        if let (Some(start), Some(end)) = (rule.window_start, rule.window_end)
            && end < start
        {
            return Err(StoreError::rule(
                "bad_window",
                "window_end",
                format!("{level_vi}: ngày kết thúc đợt trước ngày bắt đầu."),
                format!("{level_en}: the window ends before it starts."),
            ));
        }
        if let (Some(start), Some(end)) = (rule.pilot_start, rule.pilot_end)
            && end < start
        {
            return Err(StoreError::rule(
                "bad_pilot_window",
                "pilot_end",
                format!("{level_vi}: đợt đại hội điểm kết thúc trước khi bắt đầu."),
                format!("{level_en}: the pilot window ends before it starts."),
            ));
        }
        if rule.max_days == Some(0) || rule.max_days.is_some_and(|days| days > 30) {
            return Err(StoreError::rule(
                "bad_max_days",
                "max_days",
                format!("{level_vi}: số ngày tối đa phải từ 1 đến 30."),
                format!("{level_en}: the longest congress must be 1 to 30 days."),
            ));
        }
    }
    Ok(())
}

async fn write_levels(
    conn: &mut AnyConnection,
    campaign_id: i64,
    levels: &[LevelRule],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM campaign_levels WHERE campaign_id = $1")
        .bind(campaign_id)
        .execute(&mut *conn)
        .await?;
    for rule in levels {
        sqlx::query(
            "INSERT INTO campaign_levels (campaign_id, level, window_start, window_end, deadline, \
             max_days, age_reference, pilot_start, pilot_end) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(campaign_id)
        .bind(rule.level.code())
        .bind(date_text(rule.window_start))
        .bind(date_text(rule.window_end))
        .bind(date_text(rule.deadline))
        .bind(rule.max_days.map(i64::from))
        .bind(date_text(rule.age_reference))
        .bind(date_text(rule.pilot_start))
        .bind(date_text(rule.pilot_end))
        .execute(&mut *conn)
        .await?;
    }
    // A deadline decides which held congresses count as late.
    sync_tallies(conn, campaign_id, TallyScope::Campaign).await?;
    Ok(())
}

/// Adds a plan row for every unit of the campaign's subtree that has none, with the congress
/// format suggested by its member count. One statement.
async fn ensure_plans(
    conn: &mut AnyConnection,
    campaign: &Campaign,
    at: i64,
) -> Result<u64, StoreError> {
    let (low, high) = subtree(&campaign.root_path);
    let level = Level::sql_case("u.kind");
    let members = "(CASE WHEN u.sub_official + u.sub_probationary > 0 THEN u.sub_official + \
                   u.sub_probationary ELSE u.declared_official + u.declared_probationary END)";
    let threshold = daihoi_core::campaign::DELEGATES_CONGRESS_FROM;
    let base = next_id(conn, "campaign_plans").await? - 1;
    let done = sqlx::query(sqlf!(
        "INSERT INTO campaign_plans (id, campaign_id, unit_id, unit_path, parent_id, level, kind, \
         content, pilot, delegates_up, status, updated_at, version) \
         SELECT $1 + ROW_NUMBER() OVER (ORDER BY u.id), $2, u.id, u.path, u.parent_id, {level}, \
         CASE WHEN {members} >= {threshold} THEN 'delegates' ELSE 'members' END, 'four_items', 0, \
         0, 'not_planned', $3, 1 FROM units u WHERE u.path >= $4 AND u.path < $5 \
         AND u.retired = 0 AND NOT EXISTS (SELECT 1 FROM campaign_plans p \
         WHERE p.campaign_id = $2 AND p.unit_id = u.id)"
    ))
    .bind(base)
    .bind(campaign.id)
    .bind(at)
    .bind(&low)
    .bind(&high)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() > 0 {
        sync_tallies(conn, campaign.id, TallyScope::Uncounted).await?;
    }
    Ok(done.rows_affected())
}

/// Which plan rows a recomputation touches.
#[derive(Clone, Copy)]
enum RecomputeScope<'a> {
    /// Every row under a path.
    Subtree(&'a str),
    /// These units' rows (a statement per 500).
    Units(&'a [i64]),
}

/// Derives the statuses of the campaign's rows in `scope` from the facts, in two statements
/// per batch. The same rule as `daihoi_core::campaign::derive_status`.
async fn recompute_on(
    conn: &mut AnyConnection,
    campaign: &Campaign,
    scope: RecomputeScope<'_>,
    today: Date,
) -> Result<u64, StoreError> {
    let tally_scope = match scope {
        // The whole campaign: also its rows whose units moved out of the root's subtree.
        RecomputeScope::Subtree(path) if path == campaign.root_path => TallyScope::Campaign,
        RecomputeScope::Subtree(path) => TallyScope::Subtree(path),
        RecomputeScope::Units(ids) => TallyScope::Units(ids),
    };
    let batches: Vec<(String, Vec<String>)> = match scope {
        RecomputeScope::Subtree(path) => {
            let (low, high) = subtree(path);
            vec![("unit_path >= $3 AND unit_path < $4".to_string(), vec![low, high])]
        }
        RecomputeScope::Units(ids) => ids
            .chunks(500)
            .map(|chunk| {
                let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
                (format!("unit_id IN ({list}) AND $3 = $4"), vec![String::new(), String::new()])
            })
            .collect(),
    };
    let latest = "(SELECT a.{col} FROM approvals a WHERE a.congress_id = campaign_plans.congress_id \
                  ORDER BY a.id DESC LIMIT 1)";
    let approval_status = latest.replace("{col}", "status");
    let reported_at = latest.replace("{col}", "reported_at");
    let decided_at = latest.replace("{col}", "decided_at");
    let mut derived = 0;
    for (filter, binds) in batches {
        // The congress of the campaign: tagged with it, or (written by the congress pages
        // without a campaign) the unit's congress of the same term.
        // Only rows that have or had a congress are probed: most rows of a campaign in
        // progress have none, and their status needs no subquery (the next statement).
        sqlx::query(sqlf!(
            "UPDATE campaign_plans SET congress_id = (SELECT MAX(c.id) FROM congresses c \
             WHERE c.unit_id = campaign_plans.unit_id AND (c.campaign_id = $1 \
             OR (c.campaign_id IS NULL AND c.term_start = $2))) \
             WHERE campaign_id = $1 AND {filter} AND (congress_id IS NOT NULL OR unit_id IN \
             (SELECT c.unit_id FROM congresses c WHERE c.campaign_id = $1 \
             OR (c.campaign_id IS NULL AND c.term_start = $2)))"
        ))
        .bind(campaign.id)
        .bind(campaign.term_start)
        .bind(&binds[0])
        .bind(&binds[1])
        .execute(&mut *conn)
        .await?;
        // Rows without a congress: only those whose status changes are written.
        let without = sqlx::query(sqlf!(
            "UPDATE campaign_plans SET held_start = NULL, held_end = NULL, reported_at = NULL, \
             decided_at = NULL, status = CASE \
               WHEN notice_on IS NOT NULL AND notice_on <= $2 THEN 'preparing' \
               WHEN starts_on IS NOT NULL THEN 'planned' ELSE 'not_planned' END \
             WHERE campaign_id = $1 AND {filter} AND congress_id IS NULL AND (status <> CASE \
               WHEN notice_on IS NOT NULL AND notice_on <= $2 THEN 'preparing' \
               WHEN starts_on IS NOT NULL THEN 'planned' ELSE 'not_planned' END \
             OR held_start IS NOT NULL OR held_end IS NOT NULL OR reported_at IS NOT NULL \
             OR decided_at IS NOT NULL)"
        ))
        .bind(campaign.id)
        .bind(date_text(Some(today)))
        .bind(&binds[0])
        .bind(&binds[1])
        .execute(&mut *conn)
        .await?;
        derived += without.rows_affected();
        let done = sqlx::query(sqlf!(
            "UPDATE campaign_plans SET \
             held_start = (SELECT MIN(s.starts_on) FROM congress_sessions s \
               WHERE s.congress_id = campaign_plans.congress_id), \
             held_end = (SELECT MAX(COALESCE(s.ends_on, s.starts_on)) FROM congress_sessions s \
               WHERE s.congress_id = campaign_plans.congress_id), \
             reported_at = {reported_at}, decided_at = {decided_at}, \
             status = CASE \
               WHEN {approval_status} = 'approved' THEN 'approved' \
               WHEN {approval_status} IN ('returned', 'annulled', 'rejected') THEN 'returned' \
               WHEN {approval_status} IS NOT NULL THEN 'reported' \
               WHEN (SELECT c.status FROM congresses c WHERE c.id = campaign_plans.congress_id) \
                 = 'closed' THEN 'held' \
               ELSE 'preparing' END \
             WHERE campaign_id = $1 AND {filter} AND congress_id IS NOT NULL AND $2 = $2"
        ))
        .bind(campaign.id)
        .bind(date_text(Some(today)))
        .bind(&binds[0])
        .bind(&binds[1])
        .execute(&mut *conn)
        .await?;
        derived += done.rows_affected();
    }
    sync_tallies(conn, campaign.id, tally_scope).await?;
    Ok(derived)
}

impl Store {
    /// Creates a campaign over a unit's subtree, with a plan row for every unit in it.
    pub async fn create_campaign(
        &self,
        tx: &mut WriteTx,
        input: CampaignInput,
    ) -> Result<Campaign, StoreError> {
        validate_campaign(&input)?;
        let at = tx.at();
        let conn = tx.conn();
        let root = unit_on(conn, input.root_unit_id).await?;
        let id = next_id(conn, "campaigns").await?;
        sqlx::query(
            "INSERT INTO campaigns (id, name, term_start, term_end, directive, guidance, template, \
             root_unit_id, root_path, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1)",
        )
        .bind(id)
        .bind(daihoi_core::vn::nfc(input.name.trim()))
        .bind(input.term_start)
        .bind(input.term_end)
        .bind(daihoi_core::vn::nfc(input.directive.trim()))
        .bind(daihoi_core::vn::nfc(input.guidance.trim()))
        .bind(&input.template)
        .bind(root.id)
        .bind(&root.path)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        write_levels(conn, id, &input.levels).await?;
        let campaign = campaign_on(conn, id).await?;
        let n_plans = ensure_plans(conn, &campaign, at).await?;
        tx.audit(
            AuditRecord::new("campaign.create", "campaign", id)
                .in_unit(root.id, &root.path)
                .after(serde_json::json!({ "campaign": &campaign, "plans": n_plans })),
        )
        .await?;
        Ok(campaign)
    }

    /// Changes a campaign's name, references and timetable (not its root).
    pub async fn update_campaign(
        &self,
        tx: &mut WriteTx,
        id: i64,
        version: i64,
        input: CampaignInput,
    ) -> Result<Campaign, StoreError> {
        validate_campaign(&input)?;
        let at = tx.at();
        let conn = tx.conn();
        let before = campaign_on(conn, id).await?;
        if before.version != version {
            return Err(StoreError::Stale);
        }
        sqlx::query(
            "UPDATE campaigns SET name = $1, term_start = $2, term_end = $3, directive = $4, \
             guidance = $5, updated_at = $6, version = version + 1 WHERE id = $7",
        )
        .bind(daihoi_core::vn::nfc(input.name.trim()))
        .bind(input.term_start)
        .bind(input.term_end)
        .bind(daihoi_core::vn::nfc(input.directive.trim()))
        .bind(daihoi_core::vn::nfc(input.guidance.trim()))
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        write_levels(conn, id, &input.levels).await?;
        let after = campaign_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("campaign.update", "campaign", id)
                .in_unit(after.root_unit_id, &after.root_path)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(after)
    }

    /// One campaign.
    pub async fn campaign(&self, id: i64) -> Result<Campaign, StoreError> {
        let mut conn = self.pool().acquire().await?;
        campaign_on(&mut conn, id).await
    }

    /// Campaigns that concern any of these subtrees (their root above, at or under one of
    /// the paths); every campaign when `paths` is empty. Newest term first.
    pub async fn campaigns(&self, paths: &[String]) -> Result<Vec<Campaign>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let ids: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, root_path FROM campaigns ORDER BY term_start DESC, id DESC")
                .fetch_all(&mut *conn)
                .await?;
        let mut campaigns = Vec::new();
        for (id, root_path) in ids {
            let concerns = paths.is_empty()
                || paths
                    .iter()
                    .any(|path| path.starts_with(&root_path) || root_path.starts_with(path));
            if concerns {
                campaigns.push(campaign_on(&mut conn, id).await?);
            }
        }
        Ok(campaigns)
    }

    /// Plans of a subtree in tree order (parents before children), `limit` rows from `offset`,
    /// optionally only one level; and the number of rows in all.
    pub async fn plans(
        &self,
        campaign_id: i64,
        path: &str,
        level: Option<Level>,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Plan>, i64), StoreError> {
        let (low, high) = subtree(path);
        let mut conn = self.pool().acquire().await?;
        let level_clause = if level.is_some() { "AND p.level = $4" } else { "AND $4 = $4" };
        let level_code = level.map(Level::code).unwrap_or("");
        let total: i64 = sqlx::query_scalar(sqlf!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM campaign_plans p WHERE p.campaign_id = $1 \
             AND p.unit_path >= $2 AND p.unit_path < $3 {level_clause}"
        ))
        .bind(campaign_id)
        .bind(&low)
        .bind(&high)
        .bind(level_code)
        .fetch_one(&mut *conn)
        .await?;
        let rows = sqlx::query(sqlf!(
            "SELECT {PLAN_COLUMNS} FROM campaign_plans p JOIN units u ON u.id = p.unit_id \
             WHERE p.campaign_id = $1 AND p.unit_path >= $2 AND p.unit_path < $3 {level_clause} \
             ORDER BY p.unit_path LIMIT $5 OFFSET $6"
        ))
        .bind(campaign_id)
        .bind(&low)
        .bind(&high)
        .bind(level_code)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?;
        let plans = rows.iter().map(plan_from_row).collect::<Result<Vec<_>, _>>()?;
        Ok((plans, total))
    }

    /// The plan of one unit.
    pub async fn plan_of_unit(&self, campaign_id: i64, unit_id: i64) -> Result<Plan, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let row = sqlx::query(sqlf!(
            "SELECT {PLAN_COLUMNS} FROM campaign_plans p JOIN units u ON u.id = p.unit_id \
             WHERE p.campaign_id = $1 AND p.unit_id = $2"
        ))
        .bind(campaign_id)
        .bind(unit_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
        plan_from_row(&row)
    }

    /// What is wrong with each edit, cell by cell; nothing when the batch can be saved.
    pub async fn check_plan_edits(
        &self,
        campaign: &Campaign,
        edits: &[PlanEdit],
    ) -> Result<Vec<CellError>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let mut errors = Vec::new();
        let first_year = i32::try_from(campaign.term_start - 1).unwrap_or(i32::MIN);
        let last_year = i32::try_from(campaign.term_end + 1).unwrap_or(i32::MAX);
        for (row, edit) in edits.iter().enumerate() {
            let mut refuse = |field, vi: String, en: String| {
                errors.push(CellError {
                    row,
                    unit_id: edit.unit_id,
                    field,
                    message_vi: vi,
                    message_en: en,
                })
            };
            let exists: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM campaign_plans WHERE campaign_id = $1 AND unit_id = $2",
            )
            .bind(campaign.id)
            .bind(edit.unit_id)
            .fetch_optional(&mut *conn)
            .await?;
            if exists.is_none() {
                refuse(
                    "unit",
                    "Đơn vị không thuộc đợt đại hội này.".into(),
                    "The unit is not in this campaign.".into(),
                );
                continue;
            }
            for (field, date) in [
                ("starts_on", edit.starts_on),
                ("ends_on", edit.ends_on),
                ("notice_on", edit.notice_on),
            ] {
                if let Some(date) = date
                    && !(first_year..=last_year).contains(&date.year())
                {
                    refuse(
                        field,
                        format!(
                            "Ngày {} nằm ngoài nhiệm kỳ {} - {}.",
                            daihoi_core::date::dd_mm_yyyy(date),
                            campaign.term_start,
                            campaign.term_end
                        ),
                        format!(
                            "{} is outside the term {}–{}.",
                            date, campaign.term_start, campaign.term_end
                        ),
                    );
                }
            }
            if edit.starts_on.is_none() && (edit.ends_on.is_some() || edit.notice_on.is_some()) {
                refuse(
                    "starts_on",
                    "Cần ngày khai mạc.".into(),
                    "The opening day is required.".into(),
                );
            }
            if let (Some(start), Some(end)) = (edit.starts_on, edit.ends_on)
                && end < start
            {
                refuse(
                    "ends_on",
                    "Ngày bế mạc trước ngày khai mạc.".into(),
                    "The closing day is before the opening day.".into(),
                );
            }
            if let (Some(start), Some(notice)) = (edit.starts_on, edit.notice_on)
                && notice > start
            {
                refuse(
                    "notice_on",
                    "Ngày thông báo sau ngày khai mạc.".into(),
                    "The announcement is after the opening day.".into(),
                );
            }
            if !(0..=2000).contains(&edit.delegates_up) {
                refuse(
                    "delegates_up",
                    "Số đại biểu phải từ 0 đến 2000.".into(),
                    "Delegates must be 0 to 2000.".into(),
                );
            }
        }
        Ok(errors)
    }

    /// Saves a batch of plan edits (the scheduling table, an import) in one transaction with
    /// one audit entry, then derives the statuses of the rows touched. Refuses the whole batch
    /// if any cell is wrong.
    pub async fn schedule_plans(
        &self,
        tx: &mut WriteTx,
        campaign: &Campaign,
        calendar: &WorkCalendar,
        edits: &[PlanEdit],
        today: Date,
    ) -> Result<u64, StoreError> {
        if let Some(error) = self.check_plan_edits(campaign, edits).await?.into_iter().next() {
            return Err(StoreError::Rule {
                code: "bad_plan",
                field: error.field,
                message_vi: format!("Dòng {}: {}", error.row + 1, error.message_vi),
                message_en: format!("Row {}: {}", error.row + 1, error.message_en),
            });
        }
        let at = tx.at();
        let conn = tx.conn();
        let mut changed = 0u64;
        for edit in edits {
            let ends_on = edit.ends_on.or(edit.starts_on);
            let length_days =
                edit.starts_on.zip(ends_on).map(|(start, end)| length_in_days(start, end));
            let notice_days = edit
                .starts_on
                .zip(edit.notice_on)
                .map(|(start, notice)| calendar.working_days_between(notice, start));
            let approval_due = ends_on.map(|end| {
                let report = calendar.add_working_days(end, REPORT_WORKING_DAYS);
                calendar.add_working_days(report, APPROVAL_WORKING_DAYS)
            });
            let done = sqlx::query(
                "UPDATE campaign_plans SET starts_on = $1, ends_on = $2, notice_on = $3, \
                 notice_days = $4, length_days = $5, approval_due = $6, kind = $7, content = $8, \
                 pilot = $9, delegates_up = $10, updated_at = $11, version = version + 1 \
                 WHERE campaign_id = $12 AND unit_id = $13 AND (\
                 COALESCE(starts_on, '') <> COALESCE($1, '') OR COALESCE(ends_on, '') <> COALESCE($2, '') \
                 OR COALESCE(notice_on, '') <> COALESCE($3, '') OR kind <> $7 OR content <> $8 \
                 OR pilot <> $9 OR delegates_up <> $10)",
            )
            .bind(date_text(edit.starts_on))
            .bind(date_text(ends_on))
            .bind(date_text(edit.notice_on))
            .bind(notice_days)
            .bind(length_days)
            .bind(date_text(approval_due))
            .bind(edit.kind.code())
            .bind(edit.content.code())
            .bind(i64::from(edit.pilot))
            .bind(edit.delegates_up)
            .bind(at)
            .bind(campaign.id)
            .bind(edit.unit_id)
            .execute(&mut *conn)
            .await?;
            changed += done.rows_affected();
        }
        // A status depends only on its own row's facts: a small batch recomputes its rows, a
        // large one (an import) the whole campaign in two statements.
        if edits.len() <= 2_000 {
            let ids: Vec<i64> = edits.iter().map(|edit| edit.unit_id).collect();
            recompute_on(conn, campaign, RecomputeScope::Units(&ids), today).await?;
        } else {
            recompute_on(conn, campaign, RecomputeScope::Subtree(&campaign.root_path), today)
                .await?;
        }
        let summary: Vec<serde_json::Value> = edits
            .iter()
            .take(200)
            .map(|edit| {
                serde_json::json!({
                    "unit_id": edit.unit_id,
                    "starts_on": date_text(edit.starts_on),
                    "ends_on": date_text(edit.ends_on.or(edit.starts_on)),
                    "notice_on": date_text(edit.notice_on),
                    "kind": edit.kind.code(),
                    "content": edit.content.code(),
                    "pilot": edit.pilot,
                    "delegates_up": edit.delegates_up,
                })
            })
            .collect();
        tx.audit(
            AuditRecord::new("campaign.schedule", "campaign", campaign.id)
                .in_unit(campaign.root_unit_id, &campaign.root_path)
                .after(serde_json::json!({
                    "rows": edits.len(),
                    "changed": changed,
                    "edits": summary,
                })),
        )
        .await?;
        Ok(changed)
    }

    /// Adds the missing plan rows and derives every status of the campaign for `today`, set
    /// based, with one audit entry. Returns the rows written: those with a congress, and the
    /// others whose status changed.
    pub async fn recompute_campaign(
        &self,
        tx: &mut WriteTx,
        campaign_id: i64,
        today: Date,
    ) -> Result<u64, StoreError> {
        let at = tx.at();
        let conn = tx.conn();
        let campaign = campaign_on(conn, campaign_id).await?;
        let added = ensure_plans(conn, &campaign, at).await?;
        let derived =
            recompute_on(conn, &campaign, RecomputeScope::Subtree(&campaign.root_path), today)
                .await?;
        sqlx::query("UPDATE campaigns SET statuses_on = $1, statuses_at = $2 WHERE id = $3")
            .bind(date_text(Some(today)))
            .bind(at)
            .bind(campaign_id)
            .execute(&mut *conn)
            .await?;
        tx.audit(
            AuditRecord::new("campaign.recompute", "campaign", campaign_id)
                .in_unit(campaign.root_unit_id, &campaign.root_path)
                .after(serde_json::json!({
                    "today": date_text(Some(today)),
                    "added": added,
                    "derived": derived,
                })),
        )
        .await?;
        Ok(derived)
    }

    /// Units by level and status in a subtree, and those held after their level's deadline:
    /// the tally rows of the unit `path` ends with (maintained by every write of plan rows).
    pub async fn campaign_rollup(
        &self,
        campaign_id: i64,
        path: &str,
    ) -> Result<Rollup, StoreError> {
        let mut rollup = Rollup::default();
        let Some(unit_id) = unit_of_path(path) else {
            return Ok(rollup);
        };
        let mut conn = self.pool().acquire().await?;
        for (level, status, late, pilot, count) in
            status_tallies(&mut conn, campaign_id, unit_id).await?
        {
            let (Some(level), Some(status)) = (Level::parse(&level), Status::parse(&status)) else {
                continue;
            };
            *rollup.counts.entry((level, status)).or_default() += count;
            if status.is_held() {
                *rollup.held_late.entry(level).or_default() += late * count;
                *rollup.pilots_held.entry(level).or_default() += pilot * count;
            }
        }
        Ok(rollup)
    }

    /// For each child of `unit_id`, the statuses of its subtree (the children's tally rows).
    pub async fn campaign_children(
        &self,
        campaign_id: i64,
        unit_id: i64,
    ) -> Result<Vec<ChildRollup>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let units: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, name, kind FROM units WHERE parent_id = $1 AND retired = 0 \
             ORDER BY name, id",
        )
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await?;
        // The children by id: a join on `parent_id` lets SQLite walk every tally row of the
        // campaign (374,000 at national size) looking for the children's.
        let ids: Vec<i64> = units.iter().map(|(id, ..)| *id).collect();
        let mut by_child: HashMap<i64, BTreeMap<Status, i64>> = HashMap::new();
        for (child, status, count) in child_status_tallies(&mut conn, campaign_id, &ids).await? {
            if let Some(status) = Status::parse(&status) {
                *by_child.entry(child).or_default().entry(status).or_default() += count;
            }
        }
        Ok(units
            .into_iter()
            .filter_map(|(id, name, kind)| {
                let counts = by_child.remove(&id)?;
                Some(ChildRollup {
                    unit_id: id,
                    name,
                    kind: UnitKind::parse(&kind).unwrap_or(UnitKind::Cell),
                    counts,
                })
            })
            .collect())
    }

    /// Congresses closing per day and level in a subtree (the tally rows of the unit `path`
    /// ends with).
    pub async fn campaign_timeline(
        &self,
        campaign_id: i64,
        path: &str,
    ) -> Result<Vec<TimelinePoint>, StoreError> {
        let Some(unit_id) = unit_of_path(path) else {
            return Ok(Vec::new());
        };
        let mut conn = self.pool().acquire().await?;
        let rows = day_tallies(&mut conn, campaign_id, unit_id).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(level, day, held, count)| {
                Some(TimelinePoint {
                    level: Level::parse(&level)?,
                    day: parse_date(Some(day))?,
                    held: held != 0,
                    count,
                })
            })
            .collect())
    }

    /// The problems of a subtree on `today`, a page of units at a time in path order (only the
    /// late units when `only_late`): the rows that may have one are found in SQL with the day's
    /// cut-offs, then judged by `daihoi_core::campaign::check_plan` with their children.
    pub async fn campaign_problems(
        &self,
        campaign: &Campaign,
        calendar: &WorkCalendar,
        path: &str,
        today: Date,
        only_late: bool,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<ProblemRow>, StoreError> {
        let (low, high) = subtree(path);
        // In path order, so a page stops reading as soon as it is full.
        let filter = if only_late { LATE_SQL } else { CANDIDATE_SQL };
        let cutoffs = Cutoffs::new(calendar, today);
        let mut conn = self.pool().acquire().await?;
        let day = |date: Date| date_text(Some(date));
        let rows = sqlx::query(sqlf!(
            "SELECT {PLAN_COLUMNS} FROM campaign_plans p JOIN units u ON u.id = p.unit_id \
             LEFT JOIN campaign_levels l ON l.campaign_id = p.campaign_id AND l.level = p.level \
             WHERE p.campaign_id = $1 AND p.unit_path >= $2 AND p.unit_path < $3 AND ({filter}) \
             ORDER BY p.unit_path LIMIT $10 OFFSET $11"
        ))
        .bind(campaign.id)
        .bind(&low)
        .bind(&high)
        .bind(day(cutoffs.schedule_deadline_by))
        .bind(i64::from(daihoi_core::campaign::NOTICE_WORKING_DAYS))
        .bind(day(cutoffs.notice_opening_by))
        .bind(day(today))
        .bind(day(cutoffs.report_closed_before))
        .bind(vietnam_midnight_ms(cutoffs.approval_received_before))
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?;
        let candidates = rows.iter().map(plan_from_row).collect::<Result<Vec<_>, _>>()?;
        // The children of delegates' congresses among the candidates, for the order checks.
        let parents: Vec<i64> = candidates
            .iter()
            .filter(|plan| plan.kind == CongressKind::Delegates)
            .map(|plan| plan.unit_id)
            .collect();
        let mut children = Vec::new();
        for chunk in parents.chunks(500) {
            let placeholders: Vec<String> =
                (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let mut query = sqlx::query(sqlf!(
                "SELECT {PLAN_COLUMNS} FROM campaign_plans p JOIN units u ON u.id = p.unit_id \
                 WHERE p.campaign_id = $1 AND p.parent_id IN ({})",
                placeholders.join(", ")
            ))
            .bind(campaign.id);
            for id in chunk {
                query = query.bind(*id);
            }
            for row in query.fetch_all(&mut *conn).await? {
                children.push(plan_from_row(&row)?);
            }
        }
        let candidate_ids: HashSet<i64> = candidates.iter().map(|plan| plan.unit_id).collect();
        let by_unit: HashMap<i64, &Plan> =
            candidates.iter().chain(children.iter()).map(|plan| (plan.unit_id, plan)).collect();
        let mut plan_rows: Vec<PlanRow> = candidates.iter().map(Plan::plan_row).collect();
        plan_rows.extend(
            children
                .iter()
                .filter(|plan| !candidate_ids.contains(&plan.unit_id))
                .map(Plan::plan_row),
        );
        let problems = check_plan(&campaign.levels, calendar, &plan_rows, today);
        let mut found: Vec<ProblemRow> = problems
            .into_iter()
            .filter(|problem| candidate_ids.contains(&problem.unit_id))
            .filter_map(|problem| {
                let plan = (*by_unit.get(&problem.unit_id)?).clone();
                let other_name = problem
                    .other_unit
                    .and_then(|id| by_unit.get(&id))
                    .map(|other| other.unit_name.clone());
                Some(ProblemRow { problem, plan, other_name })
            })
            .collect();
        found.sort_by(|a, b| {
            (a.problem.kind.severity(), &a.plan.unit_path, a.problem.kind).cmp(&(
                b.problem.kind.severity(),
                &b.plan.unit_path,
                b.problem.kind,
            ))
        });
        Ok(found)
    }

    /// Every plan row of a subtree as the core sees it (for tests and reports).
    pub async fn campaign_plan_rows(
        &self,
        campaign_id: i64,
        path: &str,
    ) -> Result<Vec<Plan>, StoreError> {
        let (plans, _) = self.plans(campaign_id, path, None, 0, i64::MAX / 2).await?;
        Ok(plans)
    }
}

/// Rows with a problem that is late (a date has passed): exact in SQL, one row at a time.
/// Binds: $6 the notice cut-off, $7 today, $8 the report cut-off, $9 the approval cut-off (ms).
pub(crate) const LATE_SQL: &str = "((p.status IN ('not_planned', 'planned', 'preparing') \
    AND p.starts_on IS NOT NULL AND ((p.notice_on IS NULL AND p.starts_on <= $6) \
    OR p.ends_on < $7)) \
    OR (p.status = 'held' AND COALESCE(p.held_end, p.ends_on) < $8) \
    OR (p.status = 'reported' AND p.reported_at < $9))";

/// Rows that may have a problem (the core decides): the late ones and the plan checks. Binds
/// as [`LATE_SQL`], plus $4 the scheduling cut-off and $5 the notice in working days.
pub(crate) const CANDIDATE_SQL: &str = "(p.starts_on IS NULL AND p.congress_id IS NULL AND l.deadline <= $4) \
    OR COALESCE(p.held_end, p.ends_on) > l.deadline \
    OR p.length_days > l.max_days \
    OR (COALESCE(p.held_start, p.starts_on) < l.window_start AND (p.pilot = 0 \
        OR l.pilot_start IS NULL OR COALESCE(p.held_start, p.starts_on) < l.pilot_start)) \
    OR (p.status IN ('not_planned', 'planned', 'preparing') AND ( \
        p.notice_days < $5 OR (p.notice_on IS NULL AND p.starts_on <= $6) \
        OR p.ends_on < $7)) \
    OR (p.status = 'held' AND COALESCE(p.held_end, p.ends_on) < $8) \
    OR (p.status = 'reported' AND p.reported_at < $9) \
    OR (p.kind = 'delegates' AND p.starts_on IS NOT NULL AND EXISTS ( \
        SELECT 1 FROM campaign_plans c WHERE c.campaign_id = p.campaign_id \
        AND c.parent_id = p.unit_id AND c.content = 'four_items' \
        AND (COALESCE(c.held_end, c.ends_on) IS NULL \
          OR COALESCE(c.held_end, c.ends_on) >= COALESCE(p.held_start, p.starts_on) \
          OR (c.status <> 'approved' AND c.approval_due >= COALESCE(p.held_start, p.starts_on)))))";

/// How many units of a subtree have a problem, and how many are late.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ProblemCounts {
    /// Units that may have a problem (late or at risk).
    pub units: i64,
    /// Units late: a date has passed.
    pub late: i64,
}

impl Store {
    /// The units of a subtree with a problem on `today`, and the late ones: the day's
    /// cut-offs applied to the tally rows of the unit `path` ends with, a few hundred rows
    /// however large the subtree. The same answer as [`Store::campaign_problem_counts_from_rows`].
    pub async fn campaign_problem_counts(
        &self,
        campaign: &Campaign,
        calendar: &WorkCalendar,
        path: &str,
        today: Date,
    ) -> Result<ProblemCounts, StoreError> {
        let Some(unit_id) = unit_of_path(path) else {
            return Ok(ProblemCounts::default());
        };
        let cutoffs = Cutoffs::new(calendar, today);
        let mut conn = self.pool().acquire().await?;
        let (units, late) = problem_counts(&mut conn, campaign.id, unit_id, &cutoffs).await?;
        Ok(ProblemCounts { units, late })
    }

    /// The units of a subtree with a problem on `today`, and the late ones, counted in SQL
    /// over every plan row of the subtree (the reference the tallies are tested against).
    pub async fn campaign_problem_counts_from_rows(
        &self,
        campaign: &Campaign,
        calendar: &WorkCalendar,
        path: &str,
        today: Date,
    ) -> Result<ProblemCounts, StoreError> {
        let (low, high) = subtree(path);
        let cutoffs = Cutoffs::new(calendar, today);
        let day = |date: Date| date_text(Some(date));
        let mut conn = self.pool().acquire().await?;
        let (units, late): (i64, i64) = sqlx::query_as(sqlf!(
            "SELECT CAST(COUNT(*) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN {LATE_SQL} THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM campaign_plans p LEFT JOIN campaign_levels l \
             ON l.campaign_id = p.campaign_id AND l.level = p.level \
             WHERE p.campaign_id = $1 AND p.unit_path >= $2 AND p.unit_path < $3 AND ({CANDIDATE_SQL})"
        ))
        .bind(campaign.id)
        .bind(&low)
        .bind(&high)
        .bind(day(cutoffs.schedule_deadline_by))
        .bind(i64::from(daihoi_core::campaign::NOTICE_WORKING_DAYS))
        .bind(day(cutoffs.notice_opening_by))
        .bind(day(today))
        .bind(day(cutoffs.report_closed_before))
        .bind(vietnam_midnight_ms(cutoffs.approval_received_before))
        .fetch_one(&mut *conn)
        .await?;
        Ok(ProblemCounts { units, late })
    }
}

/// The congress format a unit's member count suggests.
pub fn suggested_kind(members: i64) -> CongressKind {
    if suggested_delegates_congress(members) {
        CongressKind::Delegates
    } else {
        CongressKind::Members
    }
}

impl Store {
    /// Records that a congress's results (election minutes, lists, CVs) reached the upper
    /// committee on `received_on` (QĐ 24-QĐ/TW item 16.1), for a report made outside the
    /// counting pages (`Store::report_results` is the report from a counted congress). Returns
    /// the approval row's id; the report waits for a decision (`pending`).
    pub async fn report_results_received(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        received_on: Date,
    ) -> Result<i64, StoreError> {
        let conn = tx.conn();
        let congress = crate::congress::congress_on(conn, congress_id).await?;
        let unit = unit_on(conn, congress.unit_id).await?;
        let parent = match unit.parent_id {
            Some(parent) => unit_on(conn, parent).await?,
            None => unit.clone(),
        };
        let id = next_id(conn, "approvals").await?;
        // 9:00 in Vietnam on the day of receipt.
        let reported_at = vietnam_midnight_ms(received_on) + 9 * 3_600_000;
        let reported_by = tx.actor().name.clone();
        sqlx::query(
            "INSERT INTO approvals (id, congress_id, parent_unit_id, parent_unit_path, status, \
             summary_json, reported_at, reported_by) VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7)",
        )
        .bind(id)
        .bind(congress_id)
        .bind(parent.id)
        .bind(&parent.path)
        // The shape of the counting report's summary, without its elections.
        .bind(serde_json::json!({ "congress": congress.title, "elections": [] }).to_string())
        .bind(reported_at)
        .bind(&reported_by)
        .execute(tx.conn())
        .await?;
        tx.audit(
            AuditRecord::new("approval.report", "approval", id)
                .in_unit(parent.id, &parent.path)
                .after(serde_json::json!({
                    "congress_id": congress_id,
                    "received_on": date_text(Some(received_on)),
                })),
        )
        .await?;
        Ok(id)
    }

    /// The upper committee approves (chuẩn y) or returns reported results on `decided_on`.
    pub async fn decide_results(
        &self,
        tx: &mut WriteTx,
        approval_id: i64,
        approve: bool,
        decided_on: Date,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        let decided_by = tx.actor().name.clone();
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT status, parent_unit_path FROM approvals WHERE id = $1")
                .bind(approval_id)
                .fetch_optional(tx.conn())
                .await?;
        let Some((status, parent_path)) = row else {
            return Err(StoreError::NotFound);
        };
        if status != "pending" {
            return Err(StoreError::rule(
                "already_decided",
                "status",
                "Kết quả này đã được quyết định.",
                "These results were already decided.",
            ));
        }
        let new_status = if approve { "approved" } else { "returned" };
        sqlx::query(
            "UPDATE approvals SET status = $1, decided_at = $2, decided_by = $3, note = $4 WHERE id = $5",
        )
        .bind(new_status)
        .bind(vietnam_midnight_ms(decided_on) + 9 * 3_600_000)
        .bind(&decided_by)
        .bind(note)
        .bind(approval_id)
        .execute(tx.conn())
        .await?;
        let mut record = AuditRecord::new("approval.decide", "approval", approval_id)
            .before(serde_json::json!({ "status": status }))
            .after(serde_json::json!({ "status": new_status, "decided_on": date_text(Some(decided_on)) }));
        record.unit_path = Some(parent_path);
        tx.audit(record).await?;
        Ok(())
    }
}
