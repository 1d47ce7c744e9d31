//! The unit tree: reading subtrees fast, and creating, editing, moving and retiring units.
//!
//! Each unit stores its materialised path (`/1/5/77/`), so a subtree is one index range, and
//! its subtree totals (`sub_units`, `sub_official`, `sub_probationary`), kept current on every
//! change by adding the difference to the unit and its ancestors. Opening a unit page therefore
//! reads a handful of rows whatever the size of the tree.

use daihoi_core::access::{path_ids, subtree_end};
use daihoi_core::unit::{Lineage, UnitFacts, UnitFinding, UnitKind, check_unit};
use daihoi_core::vn;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::Date;

use crate::audit::AuditRecord;
use crate::rows::{date_text, parse_date};
use crate::{Page, Paged, Store, StoreError, WriteTx};

/// A unit as stored, with its own and its subtree's member counts.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// Id.
    pub id: i64,
    /// Parent unit, `None` for the root.
    pub parent_id: Option<i64>,
    /// Materialised path of ids, root first: `/1/5/77/`.
    pub path: String,
    /// 1 for the root.
    pub depth: i64,
    /// Full name, as printed.
    pub name: String,
    /// Kind per the Statute.
    pub kind: UnitKind,
    /// Issuer abbreviation for document symbols (TU, ĐU, …).
    pub issuer_abbrev: Option<String>,
    /// Official members as declared (used when there is no roster).
    pub declared_official: i64,
    /// Probationary members as declared.
    pub declared_probationary: i64,
    /// Members on the roster; when above zero the counts below come from the roster.
    pub roster_size: i64,
    /// Official members of this unit itself.
    pub official: i64,
    /// Probationary members of this unit itself.
    pub probationary: i64,
    /// Units under this one, at any depth (retired ones excluded).
    pub sub_units: i64,
    /// Official members in this unit and everything under it.
    pub sub_official: i64,
    /// Probationary members in this unit and everything under it.
    pub sub_probationary: i64,
    /// First day the unit exists.
    pub valid_from: Option<Date>,
    /// Last day the unit exists (set when retired).
    pub valid_to: Option<Date>,
    /// Whether the unit has been retired (merged away, dissolved).
    pub retired: bool,
    /// Free note.
    pub note: Option<String>,
    /// Optimistic-concurrency version, bumped on every change.
    pub version: i64,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    /// Milliseconds since the epoch.
    pub updated_at: i64,
}

impl Unit {
    /// Whether the counts come from the member roster.
    pub fn counted_from_roster(&self) -> bool {
        self.roster_size > 0
    }

    /// The rules engine's view of this unit.
    /// The counts are those of the whole subtree (`sub_official`), the figure the Statute's
    /// rules apply to.
    pub fn facts(&self, parent_kind: Option<UnitKind>, n_children: i64) -> UnitFacts {
        UnitFacts {
            kind: self.kind,
            parent_kind,
            official: if self.retired { self.official } else { self.sub_official },
            probationary: if self.retired { self.probationary } else { self.sub_probationary },
            counted_from_roster: self.counted_from_roster(),
            n_children,
        }
    }

    /// The audit snapshot of this unit.
    fn audit_view(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "parent_id": self.parent_id,
            "path": self.path,
            "name": self.name,
            "kind": self.kind.code(),
            "issuer_abbrev": self.issuer_abbrev,
            "declared_official": self.declared_official,
            "declared_probationary": self.declared_probationary,
            "valid_from": date_text(self.valid_from),
            "valid_to": date_text(self.valid_to),
            "retired": self.retired,
            "note": self.note,
            "version": self.version,
        })
    }
}

/// Just enough of a unit to link to it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitRef {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Path.
    pub path: String,
}

/// A unit to create.
#[derive(Debug, Clone)]
pub struct NewUnit {
    /// The parent; `None` only for the root (Central).
    pub parent_id: Option<i64>,
    /// Full name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Issuer abbreviation; the kind's usual one when `None`.
    pub issuer_abbrev: Option<String>,
    /// Declared official members.
    pub declared_official: i64,
    /// Declared probationary members.
    pub declared_probationary: i64,
    /// First day.
    pub valid_from: Option<Date>,
    /// Last day.
    pub valid_to: Option<Date>,
    /// Note.
    pub note: Option<String>,
    /// Units this one was merged or split from.
    pub lineage: Vec<(i64, Lineage)>,
}

/// The editable fields of a unit.
#[derive(Debug, Clone)]
pub struct UnitEdit {
    /// Full name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Issuer abbreviation.
    pub issuer_abbrev: Option<String>,
    /// Declared official members.
    pub declared_official: i64,
    /// Declared probationary members.
    pub declared_probationary: i64,
    /// First day.
    pub valid_from: Option<Date>,
    /// Last day.
    pub valid_to: Option<Date>,
    /// Note.
    pub note: Option<String>,
}

/// How to sort a list of units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnitSort {
    /// Vietnamese alphabetical order of the name.
    #[default]
    Name,
    /// Most official members in the subtree first.
    Members,
    /// By kind, then name.
    Kind,
}

impl UnitSort {
    /// Parses the `sort` query parameter.
    pub fn parse(text: &str) -> UnitSort {
        match text {
            "members" => UnitSort::Members,
            "kind" => UnitSort::Kind,
            _ => UnitSort::Name,
        }
    }

    fn order_by(self, descending: bool) -> &'static str {
        match (self, descending) {
            (UnitSort::Name, false) => "name_key ASC, id ASC",
            (UnitSort::Name, true) => "name_key DESC, id DESC",
            (UnitSort::Members, false) => "sub_official DESC, name_key ASC, id ASC",
            (UnitSort::Members, true) => "sub_official ASC, name_key ASC, id ASC",
            (UnitSort::Kind, false) => "kind ASC, name_key ASC, id ASC",
            (UnitSort::Kind, true) => "kind DESC, name_key ASC, id ASC",
        }
    }
}

pub(crate) const UNIT_COLUMNS: &str = "id, parent_id, path, depth, name, kind, issuer_abbrev, \
    declared_official, declared_probationary, roster_size, official_count, probationary_count, \
    sub_units, sub_official, sub_probationary, valid_from, valid_to, retired, note, version, \
    created_at, updated_at";

pub(crate) fn unit_from_row(row: &AnyRow) -> Result<Unit, sqlx::Error> {
    let kind_code: String = row.try_get("kind")?;
    let kind = UnitKind::parse(&kind_code).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: "kind".into(),
        source: format!("unknown unit kind {kind_code:?}").into(),
    })?;
    Ok(Unit {
        id: row.try_get("id")?,
        parent_id: row.try_get("parent_id")?,
        path: row.try_get("path")?,
        depth: row.try_get("depth")?,
        name: row.try_get("name")?,
        kind,
        issuer_abbrev: row.try_get("issuer_abbrev")?,
        declared_official: row.try_get("declared_official")?,
        declared_probationary: row.try_get("declared_probationary")?,
        roster_size: row.try_get("roster_size")?,
        official: row.try_get("official_count")?,
        probationary: row.try_get("probationary_count")?,
        sub_units: row.try_get("sub_units")?,
        sub_official: row.try_get("sub_official")?,
        sub_probationary: row.try_get("sub_probationary")?,
        valid_from: parse_date(row.try_get("valid_from")?),
        valid_to: parse_date(row.try_get("valid_to")?),
        retired: row.try_get::<i64, _>("retired")? != 0,
        note: row.try_get("note")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn unit_ref_from_row(row: &AnyRow) -> Result<UnitRef, sqlx::Error> {
    let kind_code: String = row.try_get("kind")?;
    Ok(UnitRef {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        kind: UnitKind::parse(&kind_code).unwrap_or(UnitKind::Cell),
        path: row.try_get("path")?,
    })
}

/// The distinct folded words of a name, for word-prefix search.
pub(crate) fn search_words(folded: &str) -> Vec<String> {
    let mut words: Vec<String> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Every stored copy of a unit's path outside `units` (table, column): a move rewrites them
/// all in its transaction, so access checks and subtree reads see the unit where it now is.
/// The audit log keeps the paths its entries were written with (it is append-only). A test
/// checks that every `*_path` column of the migrations is here.
pub const SUBTREE_PATHS: &[(&str, &str)] = &[
    ("members", "unit_path"),
    ("congresses", "unit_path"),
    ("approvals", "parent_unit_path"),
    ("documents", "unit_path"),
    ("conferences", "unit_path"),
    ("subcommittees", "unit_path"),
    ("prep_tasks", "unit_path"),
    ("drafts", "unit_path"),
    ("budget_lines", "unit_path"),
    ("campaigns", "root_path"),
    ("campaign_plans", "unit_path"),
    ("dossiers", "unit_path"),
];

/// The thresholds that choose how `Store::search_units` finds its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchTuning {
    /// A word with at most this many postings drives the search by its postings.
    pub driver_max: i64,
    /// When every word is more common, a scope of at most this many units is read whole;
    /// otherwise units are walked in answer order.
    pub scope_max: i64,
    /// Outside a small scope, the rarest word's matches are read in answer order from
    /// `unit_words_rank` when its prefix covers at most this many distinct words (0: never).
    pub ranked_words: usize,
    /// Rows read from each word's stream in the first batch of the ranked plan (doubling).
    pub ranked_batch: i64,
}

impl Default for SearchTuning {
    fn default() -> SearchTuning {
        SearchTuning { driver_max: 30_000, scope_max: 20_000, ranked_words: 8, ranked_batch: 64 }
    }
}

/// How `search_units` finds its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SearchPlan {
    /// From the postings of the rarest word.
    Postings,
    /// From the caller's (small) subtrees.
    Scope,
    /// Along `units (depth, name_key)`, stopping at the limit.
    Walk,
}

/// The exclusive upper bound of strings starting with `prefix` (ASCII): "ha" → "hb".
pub(crate) fn prefix_end(prefix: &str) -> String {
    let mut bytes = prefix.as_bytes().to_vec();
    while let Some(last) = bytes.pop() {
        if last < 0x7f {
            bytes.push(last + 1);
            return String::from_utf8(bytes).unwrap_or_else(|_| "\u{7f}".into());
        }
    }
    "\u{7f}".into()
}

fn blocking_to_error(findings: &[UnitFinding]) -> Result<(), StoreError> {
    match findings.iter().find(|finding| finding.blocking) {
        Some(finding) => Err(StoreError::rule(
            finding.code,
            finding.field,
            finding.message_vi.clone(),
            finding.message_en.clone(),
        )),
        None => Ok(()),
    }
}

fn validate_name(name: &str) -> Result<String, StoreError> {
    let name = vn::nfc(name.trim());
    if name.is_empty() {
        return Err(StoreError::rule(
            "name_required",
            "name",
            "Tên đơn vị không được để trống.",
            "The unit name is required.",
        ));
    }
    if name.chars().count() > 300 {
        return Err(StoreError::rule(
            "name_too_long",
            "name",
            "Tên đơn vị dài quá 300 ký tự.",
            "The unit name is longer than 300 characters.",
        ));
    }
    Ok(name)
}

fn validate_dates(from: Option<Date>, to: Option<Date>) -> Result<(), StoreError> {
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(StoreError::rule(
            "valid_to_before_valid_from",
            "valid_to",
            "Ngày kết thúc hiệu lực phải sau ngày bắt đầu.",
            "The end date must not be before the start date.",
        ));
    }
    Ok(())
}

/// Reads one unit on a connection.
pub(crate) async fn unit_on(conn: &mut AnyConnection, id: i64) -> Result<Unit, StoreError> {
    let row = sqlx::query(sqlf!("SELECT {UNIT_COLUMNS} FROM units WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(unit_from_row(&row)?)
}

async fn n_active_children(conn: &mut AnyConnection, id: i64) -> Result<i64, StoreError> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE parent_id = $1 AND retired = 0")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(n)
}

/// Adds to the subtree totals of the units with these ids (a unit and its ancestors).
pub(crate) async fn add_to_totals(
    conn: &mut AnyConnection,
    ids: &[i64],
    units: i64,
    official: i64,
    probationary: i64,
) -> Result<(), StoreError> {
    if ids.is_empty() || (units == 0 && official == 0 && probationary == 0) {
        return Ok(());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    sqlx::query(sqlf!(
        "UPDATE units SET sub_units = sub_units + $1, sub_official = sub_official + $2, \
         sub_probationary = sub_probationary + $3 WHERE id IN ({list})"
    ))
    .bind(units)
    .bind(official)
    .bind(probationary)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Rewrites the search words of a unit, each carrying the unit's depth and name key (the
/// order search answers in).
async fn replace_words(
    conn: &mut AnyConnection,
    id: i64,
    name: &str,
    depth: i64,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM unit_words WHERE unit_id = $1").bind(id).execute(&mut *conn).await?;
    let key = vn::collation_key(name);
    for word in search_words(&vn::fold(name)) {
        sqlx::query(
            "INSERT INTO unit_words (word, unit_id, depth, name_key) VALUES ($1, $2, $3, $4)",
        )
        .bind(word)
        .bind(id)
        .bind(depth)
        .bind(&key)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The next free id of a table. Safe because every writer holds the audit-head lock.
pub(crate) async fn next_id(conn: &mut AnyConnection, table: &str) -> Result<i64, StoreError> {
    let max: Option<i64> =
        sqlx::query_scalar(sqlf!("SELECT MAX(id) FROM {table}")).fetch_one(&mut *conn).await?;
    Ok(max.unwrap_or(0) + 1)
}

impl Store {
    /// One unit.
    pub async fn unit(&self, id: i64) -> Result<Unit, StoreError> {
        let mut conn = self.pool().acquire().await?;
        unit_on(&mut conn, id).await
    }

    /// The root units (normally just the Central Committee).
    pub async fn root_units(&self) -> Result<Vec<Unit>, StoreError> {
        let rows = sqlx::query(sqlf!(
            "SELECT {UNIT_COLUMNS} FROM units WHERE parent_id IS NULL ORDER BY name_key"
        ))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(unit_from_row).collect::<Result<_, _>>()?)
    }

    /// Several units by id, in no particular order (unknown ids are skipped).
    pub async fn units_by_ids(&self, ids: &[i64]) -> Result<Vec<Unit>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let rows = sqlx::query(sqlf!("SELECT {UNIT_COLUMNS} FROM units WHERE id IN ({list})"))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(unit_from_row).collect::<Result<_, _>>()?)
    }

    /// The units directly under `parent_id`, one page, sorted server-side.
    pub async fn children(
        &self,
        parent_id: i64,
        sort: UnitSort,
        descending: bool,
        include_retired: bool,
        page: Page,
    ) -> Result<Paged<Unit>, StoreError> {
        let retired = if include_retired { "" } else { " AND retired = 0" };
        let total: i64 =
            sqlx::query_scalar(sqlf!("SELECT COUNT(*) FROM units WHERE parent_id = $1{retired}"))
                .bind(parent_id)
                .fetch_one(self.pool())
                .await?;
        let rows = sqlx::query(sqlf!(
            "SELECT {UNIT_COLUMNS} FROM units WHERE parent_id = $1{retired} ORDER BY {} \
             LIMIT $2 OFFSET $3",
            sort.order_by(descending)
        ))
        .bind(parent_id)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(self.pool())
        .await?;
        let items = rows.iter().map(unit_from_row).collect::<Result<_, _>>()?;
        Ok(Paged { items, total, page: page.number, page_size: page.size })
    }

    /// The ancestors of a unit, root first, not including the unit itself (breadcrumbs).
    pub async fn ancestors(&self, unit: &Unit) -> Result<Vec<UnitRef>, StoreError> {
        let ids: Vec<i64> = path_ids(&unit.path).into_iter().filter(|id| *id != unit.id).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let rows = sqlx::query(sqlf!(
            "SELECT id, name, kind, path FROM units WHERE id IN ({list}) ORDER BY depth"
        ))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(unit_ref_from_row).collect::<Result<_, _>>()?)
    }

    /// Units whose name has words starting with each typed word ("ha" finds "Hà"), inside the
    /// given subtrees (all units when `scope` is empty), shallowest and then alphabetical first.
    ///
    /// The plan depends on how common the words are, so that no query reads much more than the
    /// answer: the rarest word's postings drive the search when they are few; otherwise a small
    /// scope is read whole; otherwise units are walked in answer order (`units_depth_name`) and
    /// the walk stops at the limit, which is quick precisely because the words are common.
    pub async fn search_units(
        &self,
        query: &str,
        scope: &[String],
        include_retired: bool,
        limit: i64,
    ) -> Result<Vec<Unit>, StoreError> {
        self.search_units_tuned(query, scope, include_retired, limit, SearchTuning::default()).await
    }

    /// `search_units` with the plan thresholds given, so tests can drive every plan on small
    /// trees; every plan gives the same answer.
    pub async fn search_units_tuned(
        &self,
        query: &str,
        scope: &[String],
        include_retired: bool,
        limit: i64,
        tuning: SearchTuning,
    ) -> Result<Vec<Unit>, StoreError> {
        let words = search_words(&vn::fold(query));
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let mut postings = Vec::with_capacity(words.len());
        for word in &words {
            postings.push((self.word_postings(word, tuning.driver_max).await?, word.clone()));
        }
        postings.sort();
        // Words past the count's cap are told apart by counting them again with the cap
        // doubled, twice at most, so the ranked plan reads the rarest word's postings; among
        // words still past the cap, the longest is taken as the rarest.
        let mut cap = tuning.driver_max.max(1);
        for _ in 0..2 {
            if postings.len() < 2 || postings[0].0 <= cap {
                break;
            }
            let capped = cap;
            cap *= 2;
            for (count, word) in postings.iter_mut() {
                if *count > capped {
                    *count = self.word_postings(word, cap).await?;
                }
            }
            postings.sort();
        }
        postings
            .sort_by_key(|(count, word)| ((*count).min(cap + 1), std::cmp::Reverse(word.len())));
        let scope_size = if scope.is_empty() { i64::MAX } else { self.scope_size(scope).await? };
        let small_scope = scope_size <= tuning.scope_max;
        if !small_scope && tuning.ranked_words > 0 {
            let driver = &postings[0].1;
            if let Some(variants) = self.word_variants(driver, tuning.ranked_words).await? {
                let others: Vec<String> = postings[1..].iter().map(|(_, w)| w.clone()).collect();
                return self
                    .search_ranked(
                        &variants,
                        &others,
                        scope,
                        include_retired,
                        limit,
                        tuning.ranked_batch,
                    )
                    .await;
            }
        }
        // A small scope with fewer units than the rarest word's postings is read whole.
        let plan = if small_scope && scope_size <= postings[0].0 {
            SearchPlan::Scope
        } else if postings[0].0 <= tuning.driver_max {
            SearchPlan::Postings
        } else if small_scope {
            SearchPlan::Scope
        } else {
            SearchPlan::Walk
        };
        let mut binds: Vec<String> = Vec::new();
        let mut conditions: Vec<String> = Vec::new();
        let mut from = "units u".to_string();
        for (index, (_, word)) in postings.iter().enumerate() {
            binds.push(word.clone());
            binds.push(prefix_end(word));
            let (low, high) = (binds.len() - 1, binds.len());
            if index == 0 && plan == SearchPlan::Postings {
                // The postings drive, as a derived table the planner cannot turn around: with
                // `u.id IN (…)` PostgreSQL misjudged both ranges at one row and scanned the
                // postings once per unit of the scope.
                from = format!(
                    "(SELECT DISTINCT unit_id FROM unit_words WHERE word >= ${low} \
                     AND word < ${high}) hits JOIN units u ON u.id = hits.unit_id"
                );
            } else {
                conditions.push(format!(
                    "EXISTS (SELECT 1 FROM unit_words w WHERE w.unit_id = u.id AND w.word >= ${low} \
                     AND w.word < ${high} LIMIT 1)"
                ));
            }
        }
        if !scope.is_empty() {
            let mut alternatives = Vec::new();
            for path in scope {
                if plan == SearchPlan::Postings {
                    // Tested on each posting's unit, never a range to scan: PostgreSQL
                    // estimates a subtree's range at one row and would scan it per posting.
                    binds.push(path.clone());
                    alternatives.push(format!(
                        "substr(u.path, 1, {}) = ${}",
                        path.chars().count(),
                        binds.len()
                    ));
                    continue;
                }
                binds.push(path.clone());
                binds.push(subtree_end(path));
                alternatives.push(format!(
                    "(u.path >= ${} AND u.path < ${})",
                    binds.len() - 1,
                    binds.len()
                ));
            }
            conditions.push(format!("({})", alternatives.join(" OR ")));
        }
        if !include_retired {
            conditions.push("u.retired = 0".into());
        }
        // `LIMIT 1` keeps each word test a probe of the covering index per unit: without it
        // PostgreSQL turns `EXISTS` into a semi-join that hashes every posting of a common word.
        // Sorting by `depth + 0` keeps the planner off the depth index when another access
        // path is meant to drive; the walk sorts by the indexed columns themselves.
        let order = match plan {
            SearchPlan::Walk => "u.depth, u.name_key, u.id",
            SearchPlan::Postings | SearchPlan::Scope => "u.depth + 0, u.name_key, u.id",
        };
        if conditions.is_empty() {
            conditions.push("1 = 1".into());
        }
        let sql = sqlf!(
            "SELECT {} FROM {from} WHERE {} ORDER BY {order} LIMIT {}",
            UNIT_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", "),
            conditions.join(" AND "),
            limit.clamp(1, 500)
        );
        let mut statement = sqlx::query(sql);
        for bind in &binds {
            statement = statement.bind(bind);
        }
        let rows = statement.fetch_all(self.pool()).await?;
        Ok(rows.iter().map(unit_from_row).collect::<Result<_, _>>()?)
    }

    /// The distinct words starting with `prefix`, if there are at most `max` (one index seek
    /// each).
    async fn word_variants(
        &self,
        prefix: &str,
        max: usize,
    ) -> Result<Option<Vec<String>>, StoreError> {
        let end = prefix_end(prefix);
        let mut variants: Vec<String> = Vec::new();
        let mut next: Option<String> = sqlx::query_scalar(
            "SELECT word FROM unit_words WHERE word >= $1 AND word < $2 ORDER BY word LIMIT 1",
        )
        .bind(prefix)
        .bind(&end)
        .fetch_optional(self.pool())
        .await?;
        while let Some(word) = next {
            if variants.len() == max {
                return Ok(None);
            }
            next = sqlx::query_scalar(
                "SELECT word FROM unit_words WHERE word > $1 AND word < $2 ORDER BY word LIMIT 1",
            )
            .bind(&word)
            .bind(&end)
            .fetch_optional(self.pool())
            .await?;
            variants.push(word);
        }
        Ok(Some(variants))
    }

    /// The ranked plan: each variant of the rarest word is a stream of its units in answer
    /// order (`unit_words_rank`: depth, name key, id); the streams are read a batch at a time
    /// (doubling), merged up to the lowest last row of a stream that may hold more, and the
    /// candidates checked for the other words, the scope and retirement, until `limit` units
    /// are found or the streams end. Common words stop after a batch or two; the cost of a
    /// rare combination is bounded by the rarest word's postings, read from the index alone.
    async fn search_ranked(
        &self,
        variants: &[String],
        others: &[String],
        scope: &[String],
        include_retired: bool,
        limit: i64,
        first_batch: i64,
    ) -> Result<Vec<Unit>, StoreError> {
        type Rank = (i64, Vec<u8>, i64);
        let limit = limit.clamp(1, 500) as usize;
        let mut found: Vec<Unit> = Vec::new();
        let mut cursor: Option<Rank> = None;
        let mut batch = first_batch.max(1);
        while !variants.is_empty() {
            let mut parts = Vec::with_capacity(variants.len());
            let mut n = 0;
            for (index, _) in variants.iter().enumerate() {
                n += 1;
                let mut sql = format!(
                    "SELECT * FROM (SELECT CAST({index} AS BIGINT) AS stream, unit_id, depth, \
                     name_key FROM unit_words WHERE word = ${n}"
                );
                if cursor.is_some() {
                    sql.push_str(&format!(
                        " AND (depth, name_key, unit_id) > (${}, ${}, ${})",
                        n + 1,
                        n + 2,
                        n + 3
                    ));
                    n += 3;
                }
                // The other words are tested in the stream itself (a probe of the covering
                // index per row, `LIMIT 1` keeping it a probe), so a batch holds matches only.
                for _ in others {
                    sql.push_str(&format!(
                        " AND EXISTS (SELECT 1 FROM unit_words o WHERE \
                         o.unit_id = unit_words.unit_id AND o.word >= ${} AND o.word < ${} \
                         LIMIT 1)",
                        n + 1,
                        n + 2
                    ));
                    n += 2;
                }
                sql.push_str(&format!(
                    " ORDER BY depth, name_key, unit_id LIMIT {batch}) s{index}"
                ));
                parts.push(sql);
            }
            let sql = parts.join(" UNION ALL ");
            let mut statement = sqlx::query(sqlx::AssertSqlSafe(sql));
            for word in variants {
                statement = statement.bind(word.clone());
                if let Some((depth, key, id)) = &cursor {
                    statement = statement.bind(*depth).bind(key.clone()).bind(*id);
                }
                for other in others {
                    statement = statement.bind(other.clone()).bind(prefix_end(other));
                }
            }
            let rows = statement.fetch_all(self.pool()).await?;
            let mut streams: Vec<Vec<Rank>> = vec![Vec::new(); variants.len()];
            for row in &rows {
                let stream: i64 = row.try_get("stream")?;
                let rank: Rank =
                    (row.try_get("depth")?, row.try_get("name_key")?, row.try_get("unit_id")?);
                if let Some(list) = usize::try_from(stream).ok().and_then(|s| streams.get_mut(s)) {
                    list.push(rank);
                }
            }
            // Rows past the last row of a stream that may hold more wait for the next batch.
            let bound: Option<Rank> = streams
                .iter()
                .filter(|list| list.len() as i64 == batch)
                .filter_map(|list| list.last().cloned())
                .min();
            let mut candidates: Vec<Rank> = streams
                .into_iter()
                .flatten()
                .filter(|rank| bound.as_ref().is_none_or(|b| rank <= b))
                .collect();
            candidates.sort();
            candidates.dedup_by_key(|rank| rank.2);
            if !candidates.is_empty() {
                let units = self.ranked_units(&candidates, scope, include_retired).await?;
                for (_, _, id) in &candidates {
                    if let Some(unit) = units.iter().find(|u| u.id == *id) {
                        found.push(unit.clone());
                        if found.len() == limit {
                            return Ok(found);
                        }
                    }
                }
            }
            match bound {
                Some(bound) => cursor = Some(bound),
                None => break,
            }
            batch = (batch * 2).min(4_096);
        }
        Ok(found)
    }

    /// The units of a ranked batch's candidates that lie in the scope and are not retired
    /// (in no particular order).
    async fn ranked_units(
        &self,
        candidates: &[(i64, Vec<u8>, i64)],
        scope: &[String],
        include_retired: bool,
    ) -> Result<Vec<Unit>, StoreError> {
        let ids = candidates.iter().map(|(_, _, id)| id.to_string()).collect::<Vec<_>>();
        let mut conditions = vec![format!("u.id IN ({})", ids.join(", "))];
        let mut binds: Vec<String> = Vec::new();
        if !scope.is_empty() {
            let mut alternatives = Vec::new();
            for path in scope {
                binds.push(path.clone());
                alternatives.push(format!(
                    "substr(u.path, 1, {}) = ${}",
                    path.chars().count(),
                    binds.len()
                ));
            }
            conditions.push(format!("({})", alternatives.join(" OR ")));
        }
        if !include_retired {
            conditions.push("u.retired = 0".into());
        }
        let sql = sqlf!(
            "SELECT {} FROM units u WHERE {}",
            UNIT_COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", "),
            conditions.join(" AND ")
        );
        let mut statement = sqlx::query(sql);
        for bind in &binds {
            statement = statement.bind(bind);
        }
        let rows = statement.fetch_all(self.pool()).await?;
        Ok(rows.iter().map(unit_from_row).collect::<Result<_, _>>()?)
    }

    /// How many unit names have a word starting with `word`, counted up to `cap + 1`.
    async fn word_postings(&self, word: &str, cap: i64) -> Result<i64, StoreError> {
        let sql = sqlf!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM unit_words \
             WHERE word >= $1 AND word < $2 LIMIT {}) hits",
            cap + 1
        );
        Ok(sqlx::query_scalar(sql).bind(word).bind(prefix_end(word)).fetch_one(self.pool()).await?)
    }

    /// The number of units in the given subtrees (their stored totals).
    async fn scope_size(&self, scope: &[String]) -> Result<i64, StoreError> {
        let mut total = 0;
        for path in scope {
            let size: Option<i64> =
                sqlx::query_scalar("SELECT sub_units + 1 FROM units WHERE path = $1")
                    .bind(path)
                    .fetch_optional(self.pool())
                    .await?;
            total += size.unwrap_or(0);
        }
        Ok(total)
    }

    /// The units this unit was merged or split from, and those formed from it.
    pub async fn lineage(
        &self,
        id: i64,
    ) -> Result<(Vec<(UnitRef, Lineage)>, Vec<(UnitRef, Lineage)>), StoreError> {
        let sources = sqlx::query(
            "SELECT u.id, u.name, u.kind, u.path, l.relation FROM unit_lineage l \
             JOIN units u ON u.id = l.source_unit_id WHERE l.unit_id = $1 ORDER BY u.name_key",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let successors = sqlx::query(
            "SELECT u.id, u.name, u.kind, u.path, l.relation FROM unit_lineage l \
             JOIN units u ON u.id = l.unit_id WHERE l.source_unit_id = $1 ORDER BY u.name_key",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let convert = |rows: Vec<AnyRow>| -> Result<Vec<(UnitRef, Lineage)>, StoreError> {
            rows.iter()
                .map(|row| {
                    let relation: String = row.try_get("relation")?;
                    let lineage = if relation == "split_from" {
                        Lineage::SplitFrom
                    } else {
                        Lineage::MergedFrom
                    };
                    Ok((unit_ref_from_row(row)?, lineage))
                })
                .collect()
        };
        Ok((convert(sources)?, convert(successors)?))
    }

    /// Creates a unit. Returns it with the warnings of the registry rules; blocking findings
    /// are refused with [`StoreError::Rule`].
    pub async fn create_unit(
        &self,
        tx: &mut WriteTx,
        new: NewUnit,
    ) -> Result<(Unit, Vec<UnitFinding>), StoreError> {
        let name = validate_name(&new.name)?;
        validate_dates(new.valid_from, new.valid_to)?;
        let conn = tx.conn();
        let parent = match new.parent_id {
            Some(parent_id) => {
                Some(unit_on(conn, parent_id).await.map_err(|error| match error {
                    StoreError::NotFound => StoreError::rule(
                        "parent_not_found",
                        "parent",
                        format!("Không có đơn vị cấp trên mã {parent_id}."),
                        format!("There is no parent unit with id {parent_id}."),
                    ),
                    other => other,
                })?)
            }
            None => None,
        };
        if let Some(parent) = &parent
            && parent.retired
        {
            return Err(StoreError::rule(
                "parent_retired",
                "parent",
                format!("Đơn vị cấp trên “{}” đã giải thể hoặc sáp nhập.", parent.name),
                format!("The parent unit “{}” has been retired.", parent.name),
            ));
        }
        if parent.is_none() {
            let roots: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE parent_id IS NULL")
                    .fetch_one(&mut *conn)
                    .await?;
            if roots > 0 {
                return Err(StoreError::rule(
                    "second_root",
                    "parent",
                    "Cây tổ chức đã có đơn vị gốc; hãy chọn đơn vị cấp trên.",
                    "The tree already has a root; choose a parent unit.",
                ));
            }
        }
        let facts = UnitFacts {
            kind: new.kind,
            parent_kind: parent.as_ref().map(|p| p.kind),
            official: new.declared_official,
            probationary: new.declared_probationary,
            counted_from_roster: false,
            n_children: 0,
        };
        let findings = check_unit(&facts);
        blocking_to_error(&findings)?;
        let id = next_id(conn, "units").await?;
        let path = match &parent {
            Some(parent) => format!("{}{id}/", parent.path),
            None => format!("/{id}/"),
        };
        let depth = parent.as_ref().map_or(1, |p| p.depth + 1);
        let folded = vn::fold(&name);
        let issuer = new
            .issuer_abbrev
            .map(|abbrev| abbrev.trim().to_string())
            .filter(|abbrev| !abbrev.is_empty())
            .unwrap_or_else(|| new.kind.default_issuer_abbrev().to_string());
        let at = tx.at();
        let conn = tx.conn();
        sqlx::query(
            "INSERT INTO units (id, parent_id, path, depth, name, name_fold, name_key, kind, \
             issuer_abbrev, declared_official, declared_probationary, official_count, \
             probationary_count, sub_units, sub_official, sub_probationary, valid_from, \
             valid_to, retired, note, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $11, 0, $10, $11, $12, \
             $13, 0, $14, $15, $15, 1)",
        )
        .bind(id)
        .bind(new.parent_id)
        .bind(&path)
        .bind(depth)
        .bind(&name)
        .bind(&folded)
        .bind(vn::collation_key(&name))
        .bind(new.kind.code())
        .bind(&issuer)
        .bind(new.declared_official)
        .bind(new.declared_probationary)
        .bind(date_text(new.valid_from))
        .bind(date_text(new.valid_to))
        .bind(new.note.as_deref().map(str::trim).filter(|n| !n.is_empty()))
        .bind(at)
        .execute(&mut *conn)
        .await?;
        replace_words(conn, id, &name, depth).await?;
        if let Some(parent) = &parent {
            add_to_totals(
                conn,
                &path_ids(&parent.path),
                1,
                new.declared_official,
                new.declared_probationary,
            )
            .await?;
        }
        for (source_id, relation) in &new.lineage {
            if *source_id == id {
                continue;
            }
            unit_on(conn, *source_id).await.map_err(|_| {
                StoreError::rule(
                    "lineage_unknown",
                    "lineage",
                    format!("Không có đơn vị mã {source_id} để ghi nguồn sáp nhập/chia tách."),
                    format!("There is no unit {source_id} to record as merged or split from."),
                )
            })?;
            sqlx::query(
                "INSERT INTO unit_lineage (unit_id, source_unit_id, relation, effective_date) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(source_id)
            .bind(relation.code())
            .bind(date_text(new.valid_from))
            .execute(&mut *conn)
            .await?;
        }
        let unit = unit_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("unit.create", "unit", id)
                .in_unit(id, &unit.path)
                .after(unit.audit_view()),
        )
        .await?;
        Ok((unit, findings))
    }

    /// Edits a unit's fields. `version` must be the version the user saw.
    pub async fn update_unit(
        &self,
        tx: &mut WriteTx,
        id: i64,
        version: i64,
        edit: UnitEdit,
    ) -> Result<(Unit, Vec<UnitFinding>), StoreError> {
        let name = validate_name(&edit.name)?;
        validate_dates(edit.valid_from, edit.valid_to)?;
        let at = tx.at();
        let conn = tx.conn();
        let before = unit_on(conn, id).await?;
        if before.version != version {
            return Err(StoreError::Stale);
        }
        let parent_kind = match before.parent_id {
            Some(parent_id) => Some(unit_on(conn, parent_id).await?.kind),
            None => None,
        };
        let n_children = n_active_children(conn, id).await?;
        let roster = before.roster_size > 0;
        let official = if roster { before.official } else { edit.declared_official };
        let probationary = if roster { before.probationary } else { edit.declared_probationary };
        // The rules judge an organisation by its whole subtree: a committee's members sit in
        // the cells under it.
        let facts = UnitFacts {
            kind: edit.kind,
            parent_kind,
            official: official + before.sub_official - before.official,
            probationary: probationary + before.sub_probationary - before.probationary,
            counted_from_roster: roster,
            n_children,
        };
        let mut findings = check_unit(&facts);
        // A root keeps its place: only the kind rule matters for it.
        if before.parent_id.is_none() {
            findings.retain(|finding| finding.code != "parent_required");
        }
        blocking_to_error(&findings)?;
        let folded = vn::fold(&name);
        let issuer = edit
            .issuer_abbrev
            .map(|abbrev| abbrev.trim().to_string())
            .filter(|abbrev| !abbrev.is_empty());
        sqlx::query(
            "UPDATE units SET name = $1, name_fold = $2, name_key = $3, kind = $4, \
             issuer_abbrev = $5, declared_official = $6, declared_probationary = $7, \
             official_count = $8, probationary_count = $9, valid_from = $10, valid_to = $11, \
             note = $12, updated_at = $13, version = version + 1 WHERE id = $14 AND version = $15",
        )
        .bind(&name)
        .bind(&folded)
        .bind(vn::collation_key(&name))
        .bind(edit.kind.code())
        .bind(&issuer)
        .bind(edit.declared_official)
        .bind(edit.declared_probationary)
        .bind(official)
        .bind(probationary)
        .bind(date_text(edit.valid_from))
        .bind(date_text(edit.valid_to))
        .bind(edit.note.as_deref().map(str::trim).filter(|n| !n.is_empty()))
        .bind(at)
        .bind(id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
        if before.name != name {
            replace_words(conn, id, &name, before.depth).await?;
        }
        if !before.retired {
            add_to_totals(
                conn,
                &path_ids(&before.path),
                0,
                official - before.official,
                probationary - before.probationary,
            )
            .await?;
        }
        let after = unit_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("unit.update", "unit", id)
                .in_unit(id, &after.path)
                .before(before.audit_view())
                .after(after.audit_view()),
        )
        .await?;
        Ok((after, findings))
    }

    /// Moves a unit (and its whole subtree) under another parent.
    pub async fn move_unit(
        &self,
        tx: &mut WriteTx,
        id: i64,
        version: i64,
        new_parent_id: i64,
    ) -> Result<Unit, StoreError> {
        let at = tx.at();
        let conn = tx.conn();
        let unit = unit_on(conn, id).await?;
        if unit.version != version {
            return Err(StoreError::Stale);
        }
        let new_parent = unit_on(conn, new_parent_id).await?;
        if new_parent.path.starts_with(&unit.path) {
            return Err(StoreError::rule(
                "cycle",
                "parent",
                "Không thể chuyển một đơn vị vào chính nó hoặc vào đơn vị trực thuộc của nó.",
                "A unit cannot be moved under itself or under one of its own units.",
            ));
        }
        if new_parent.retired || unit.retired {
            return Err(StoreError::rule(
                "retired",
                "parent",
                "Không thể chuyển đơn vị đã giải thể hoặc chuyển vào đơn vị đã giải thể.",
                "Retired units cannot be moved, and nothing can be moved under one.",
            ));
        }
        let n_children = n_active_children(conn, id).await?;
        let findings = check_unit(&unit.facts(Some(new_parent.kind), n_children));
        blocking_to_error(&findings)?;
        let old_path = unit.path.clone();
        let new_path = format!("{}{id}/", new_parent.path);
        let depth_change = new_parent.depth + 1 - unit.depth;
        let subtree_units = unit.sub_units + 1;
        // Take the subtree's totals out of the old ancestors and into the new ones.
        let old_ancestors: Vec<i64> =
            path_ids(&old_path).into_iter().filter(|ancestor| *ancestor != id).collect();
        add_to_totals(
            conn,
            &old_ancestors,
            -subtree_units,
            -unit.sub_official,
            -unit.sub_probationary,
        )
        .await?;
        add_to_totals(
            conn,
            &path_ids(&new_parent.path),
            subtree_units,
            unit.sub_official,
            unit.sub_probationary,
        )
        .await?;
        let old_len = old_path.len() as i64;
        let end = subtree_end(&old_path);
        sqlx::query(
            "UPDATE units SET path = $1 || substr(path, CAST($2 AS INTEGER)), depth = depth + $3 \
             WHERE path >= $4 AND path < $5",
        )
        .bind(&new_path)
        .bind(old_len + 1)
        .bind(depth_change)
        .bind(&old_path)
        .bind(&end)
        .execute(&mut *conn)
        .await?;
        if depth_change != 0 {
            sqlx::query(
                "UPDATE unit_words SET depth = depth + $1 WHERE unit_id IN \
                 (SELECT id FROM units WHERE path >= $2 AND path < $3)",
            )
            .bind(depth_change)
            .bind(&new_path)
            .bind(subtree_end(&new_path))
            .execute(&mut *conn)
            .await?;
        }
        crate::personnel::bump(conn).await?;
        for (table, column) in SUBTREE_PATHS {
            sqlx::query(sqlf!(
                "UPDATE {table} SET {column} = $1 || substr({column}, CAST($2 AS INTEGER)) \
                 WHERE {column} >= $3 AND {column} < $4"
            ))
            .bind(&new_path)
            .bind(old_len + 1)
            .bind(&old_path)
            .bind(&end)
            .execute(&mut *conn)
            .await?;
        }
        // The campaign tallies of the old ancestors lose the subtree's plan rows, the new
        // ancestors gain them.
        crate::tallies::sync_subtree_everywhere(conn, &new_path).await?;
        sqlx::query(
            "UPDATE units SET parent_id = $1, updated_at = $2, version = version + 1 WHERE id = $3",
        )
        .bind(new_parent_id)
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        let after = unit_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("unit.move", "unit", id)
                .in_unit(id, &after.path)
                .before(serde_json::json!({ "parent_id": unit.parent_id, "path": old_path }))
                .after(serde_json::json!({ "parent_id": new_parent_id, "path": after.path })),
        )
        .await?;
        Ok(after)
    }

    /// Retires a unit (dissolved, merged away) from `valid_to`. It must have no active units
    /// under it; its members stay on its roster as history and leave the totals above it.
    pub async fn retire_unit(
        &self,
        tx: &mut WriteTx,
        id: i64,
        version: i64,
        valid_to: Date,
    ) -> Result<Unit, StoreError> {
        let at = tx.at();
        let conn = tx.conn();
        let unit = unit_on(conn, id).await?;
        if unit.version != version {
            return Err(StoreError::Stale);
        }
        if unit.retired {
            return Err(StoreError::rule(
                "already_retired",
                "valid_to",
                "Đơn vị này đã giải thể.",
                "This unit is already retired.",
            ));
        }
        if unit.parent_id.is_none() {
            return Err(StoreError::rule(
                "root_retire",
                "valid_to",
                "Không thể giải thể đơn vị gốc.",
                "The root unit cannot be retired.",
            ));
        }
        let n_children = n_active_children(conn, id).await?;
        if n_children > 0 {
            return Err(StoreError::rule(
                "has_active_children",
                "valid_to",
                format!(
                    "Còn {n_children} đơn vị trực thuộc đang hoạt động: hãy chuyển hoặc giải thể các đơn vị đó trước."
                ),
                format!("{n_children} units under it are still active: move or retire them first."),
            ));
        }
        validate_dates(unit.valid_from, Some(valid_to))?;
        sqlx::query(
            "UPDATE units SET retired = 1, valid_to = $1, sub_units = 0, sub_official = 0, \
             sub_probationary = 0, updated_at = $2, version = version + 1 WHERE id = $3",
        )
        .bind(date_text(Some(valid_to)))
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        let ancestors: Vec<i64> =
            path_ids(&unit.path).into_iter().filter(|ancestor| *ancestor != id).collect();
        add_to_totals(conn, &ancestors, -1, -unit.sub_official, -unit.sub_probationary).await?;
        let after = unit_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("unit.retire", "unit", id)
                .in_unit(id, &after.path)
                .before(unit.audit_view())
                .after(after.audit_view()),
        )
        .await?;
        Ok(after)
    }

    /// Recomputes every unit's subtree totals from the units' own counts, bottom-up. Used after
    /// bulk loads; returns the number of units.
    pub async fn recompute_totals(&self, tx: &mut WriteTx) -> Result<i64, StoreError> {
        let conn = tx.conn();
        let max_depth: Option<i64> =
            sqlx::query_scalar("SELECT MAX(depth) FROM units").fetch_one(&mut *conn).await?;
        let Some(max_depth) = max_depth else { return Ok(0) };
        sqlx::query(
            "UPDATE units SET sub_units = 0, sub_official = CASE WHEN retired = 0 THEN \
             official_count ELSE 0 END, sub_probationary = CASE WHEN retired = 0 THEN \
             probationary_count ELSE 0 END",
        )
        .execute(&mut *conn)
        .await?;
        for depth in (2..=max_depth).rev() {
            // Children at `depth` pass their totals to their parents at `depth - 1`.
            sqlx::query(
                "UPDATE units SET \
                 sub_units = sub_units + (SELECT COUNT(*) + CAST(COALESCE(SUM(c.sub_units), 0) AS BIGINT) \
                   FROM units c WHERE c.parent_id = units.id AND c.retired = 0), \
                 sub_official = sub_official + (SELECT CAST(COALESCE(SUM(c.sub_official), 0) AS BIGINT) \
                   FROM units c WHERE c.parent_id = units.id AND c.retired = 0), \
                 sub_probationary = sub_probationary + (SELECT CAST(COALESCE(SUM(c.sub_probationary), 0) AS BIGINT) \
                   FROM units c WHERE c.parent_id = units.id AND c.retired = 0) \
                 WHERE depth = $1 AND retired = 0",
            )
            .bind(depth - 1)
            .execute(&mut *conn)
            .await?;
        }
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units").fetch_one(&mut *conn).await?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_distinct_ascii_words() {
        assert_eq!(
            search_words(&vn::fold("Đảng bộ phường Him Lam, Him Lam")),
            vec!["bo", "dang", "him", "lam", "phuong"]
        );
        assert_eq!(prefix_end("ha"), "hb");
        assert_eq!(prefix_end("a9"), "a:");
    }
}
