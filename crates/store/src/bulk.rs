//! Bulk writes: thousands to millions of units and members in one all-or-nothing transaction,
//! for imports, the demo and synthetic trees; and the checks that come before an import.
//!
//! Rows go in as multi-row `INSERT … VALUES (…), (…)` batches sized under the parameter limits
//! (SQLite 32,766, PostgreSQL 65,535), with ids assigned here (`MAX(id) + 1` onwards: every
//! writer holds the audit-head lock, so nobody else takes ids meanwhile; the PostgreSQL identity
//! sequences of `units` and `members` are never used, as every insert of those tables names its
//! id, so there is no sequence to move on). Member counts and subtree totals are settled once
//! at the end from what was added, by differences, exactly as single changes do it.
//!
//! Audit: one entry per bulk operation (`unit.import`, `member.import`, `tree.generate`) naming
//! the file, its SHA-256, the row count and the id range, not one entry per row. The file's hash
//! identifies the exact content written, and the ids are consecutive, so the entry says
//! precisely what changed; a row-by-row trail would multiply the audit log (5.6 million entries
//! for a national tree) and the time to verify it without saying more.

use std::collections::HashMap;

use daihoi_core::access::{Access, Action, path_ids, subtree_end};
use daihoi_core::member::{Education, Membership, Sex, TheoryLevel};
use daihoi_core::records::{
    MemberFile, MemberRecord, ParentRef, RowProblem, UnitFile, UnitRecord, UnitTarget,
};
use daihoi_core::unit::{UnitFacts, UnitKind, check_unit};
use daihoi_core::vn;
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use time::Date;

use crate::audit::AuditRecord;
use crate::members::{MemberInput, name_folds, validate_member};
use crate::rows::date_text;
use crate::units::{next_id, search_words, unit_on};
use crate::{Actor, Backend, Member, Store, StoreError, Unit, WriteTx};

/// A unit to write in bulk; its id, path and depth are assigned by [`Bulk::add_unit`].
#[derive(Debug, Clone)]
pub struct BulkUnit {
    /// Full name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Issuer abbreviation; the kind's usual one when `None`.
    pub issuer_abbrev: Option<String>,
    /// Declared official members (used while the unit has no roster).
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

impl BulkUnit {
    /// A unit with a name and kind and nothing else declared.
    pub fn new(name: impl Into<String>, kind: UnitKind) -> BulkUnit {
        BulkUnit {
            name: name.into(),
            kind,
            issuer_abbrev: None,
            declared_official: 0,
            declared_probationary: 0,
            valid_from: None,
            valid_to: None,
            note: None,
        }
    }
}

/// What the audit entry of a bulk write says about where the rows came from.
#[derive(Debug, Clone)]
pub struct BulkSource {
    /// `unit.import`, `member.import` or `tree.generate`.
    pub action: &'static str,
    /// The file name (or a description such as `generate --units 1000 --seed 1`).
    pub file_name: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: Option<String>,
    /// Rows in the file.
    pub rows: u64,
    /// The unit the entry belongs to (decides who may read it); by default the deepest unit
    /// above everything written.
    pub unit_id: Option<i64>,
}

/// What a bulk write wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BulkSummary {
    /// Units written.
    pub units: u64,
    /// Members written.
    pub members: u64,
    /// First and last unit id written.
    pub unit_ids: Option<(i64, i64)>,
    /// First and last member id written.
    pub member_ids: Option<(i64, i64)>,
}

#[derive(Debug, Clone)]
struct KnownUnit {
    path: String,
    depth: i64,
    kind: UnitKind,
    retired: bool,
    /// Roster size, official and probationary counts as stored before this bulk write.
    counts: (i64, i64, i64),
}

impl KnownUnit {
    fn of(unit: &Unit) -> KnownUnit {
        KnownUnit {
            path: unit.path.clone(),
            depth: unit.depth,
            kind: unit.kind,
            retired: unit.retired,
            counts: (unit.roster_size, unit.official, unit.probationary),
        }
    }
}

#[derive(Debug)]
struct PendingUnit {
    id: i64,
    parent_id: Option<i64>,
    path: String,
    depth: i64,
    name: String,
    kind: UnitKind,
    issuer_abbrev: String,
    declared_official: i64,
    declared_probationary: i64,
    valid_from: Option<String>,
    valid_to: Option<String>,
    note: Option<String>,
}

#[derive(Debug)]
struct PendingMember {
    id: i64,
    unit_id: i64,
    unit_path: String,
    input: MemberInput,
}

/// Counts added to one unit's roster during a bulk write.
#[derive(Debug, Clone, Copy, Default)]
struct RosterAdded {
    members: i64,
    official: i64,
    probationary: i64,
}

/// Secondary indexes that a load into an empty database drops first and builds at the end:
/// building an index from sorted data is several times faster than growing it row by row.
/// Each statement is the migration's own (a test checks they match both migration sets).
const DEFERRED_INDEXES: &[(&str, &str)] = &[
    ("units_parent", "CREATE INDEX units_parent ON units (parent_id, name_key);"),
    ("units_name_fold", "CREATE INDEX units_name_fold ON units (name_fold);"),
    ("units_depth_name", "CREATE INDEX units_depth_name ON units (depth, name_key);"),
    ("unit_words_unit", "CREATE INDEX unit_words_unit ON unit_words (unit_id, word);"),
    (
        "unit_words_rank",
        "CREATE INDEX unit_words_rank ON unit_words (word, depth, name_key, unit_id);",
    ),
    ("members_path", "CREATE INDEX members_path ON members (unit_path, name_key);"),
    ("members_name_fold", "CREATE INDEX members_name_fold ON members (name_fold);"),
    ("members_given_fold", "CREATE INDEX members_given_fold ON members (given_fold, name_fold);"),
];

/// Foreign keys of `units`, `members` and `unit_words` in the migrations (units.parent_id,
/// members.unit_id, unit_words.unit_id).
const TREE_FOREIGN_KEYS: i64 = 3;

/// Bound parameters per unit row and per member row.
const UNIT_BINDS: usize = 18;
const MEMBER_BINDS: usize = 18;

/// A bulk write in progress inside one [`WriteTx`]. Rows are buffered and written by batches;
/// [`Bulk::finish`] settles counts and totals and writes the audit entry. Dropping the
/// transaction without committing leaves nothing behind.
#[derive(Debug)]
pub struct Bulk {
    backend: Backend,
    at: i64,
    first_unit_id: i64,
    next_unit_id: i64,
    first_member_id: i64,
    next_member_id: i64,
    unit_batch: usize,
    member_batch: usize,
    update_batch: usize,
    word_batch: usize,
    units: Vec<PendingUnit>,
    members: Vec<PendingMember>,
    words: Vec<(String, i64, i64, Vec<u8>)>,
    known: HashMap<i64, KnownUnit>,
    new_units: HashMap<i64, (i64, i64)>,
    roster: HashMap<i64, RosterAdded>,
    has_root: bool,
    deferred_indexes: bool,
    /// Foreign keys (table, name, definition) dropped for the load, restored at the end.
    deferred_keys: Vec<(String, String, String)>,
    name_cache: HashMap<String, (String, String, Vec<u8>)>,
    sql_cache: HashMap<(&'static str, usize), String>,
}

/// `rows` copies of `template` (a parenthesised row whose `?` mark parameters), joined by
/// commas. On PostgreSQL each `?` becomes `$1`, `$2`, … in order. SQLite keeps the anonymous
/// `?`: the SQLite driver looks every *named* parameter up by a linear scan of the statement's
/// names, which makes a 30,000-parameter statement quadratic, while anonymous ones bind
/// directly.
pub(crate) fn placeholders(backend: Backend, rows: usize, template: &str) -> String {
    let mut out = String::with_capacity(rows * (template.len() + 64));
    let mut next = 1;
    for row in 0..rows {
        if row > 0 {
            out.push_str(", ");
        }
        for c in template.chars() {
            if c == '?' && backend == Backend::Postgres {
                out.push_str(&format!("${next}"));
                next += 1;
            } else {
                out.push(c);
            }
        }
    }
    out
}

impl Store {
    /// Starts a bulk write in `tx`. With `defer_indexes`, a load into a database without units
    /// drops the secondary indexes of the tree and roster tables and builds them at the end.
    pub async fn begin_bulk(
        &self,
        tx: &mut WriteTx,
        defer_indexes: bool,
    ) -> Result<Bulk, StoreError> {
        let at = tx.at();
        let conn = tx.conn();
        let next_unit_id = next_id(conn, "units").await?;
        let next_member_id = next_id(conn, "members").await?;
        let (n_roots,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM units WHERE parent_id IS NULL")
                .fetch_one(&mut *conn)
                .await?;
        if self.backend() == Backend::Sqlite {
            // Every index page the load dirties stays in memory until the commit and is written
            // to the WAL once, instead of spilling and being written again and again (a 1 GiB
            // ceiling, only used as needed; `finish` puts the usual size back).
            sqlx::query("PRAGMA cache_size = -1048576").execute(&mut *conn).await?;
            // No statement journal: SQLite keeps one per statement that might fail half-way
            // (an immediate foreign key, a NOT NULL), copying every page the statement touches
            // so the statement alone can be undone. A bulk write is undone whole or not at
            // all: its statements say `OR FAIL` (see `Bulk::sql`), its connection does not
            // enforce foreign keys (`Store::begin_bulk_write`) and `Bulk::finish` checks the
            // references of every row it wrote. Inside another write transaction the keys are
            // at least deferred to the commit.
            sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *conn).await?;
        }
        let empty = next_unit_id == 1 && next_member_id == 1;
        let deferred_indexes = defer_indexes && empty;
        let mut deferred_keys = Vec::new();
        if deferred_indexes {
            for (name, _) in DEFERRED_INDEXES {
                sqlx::query(sqlf!("DROP INDEX {name}")).execute(&mut *conn).await?;
            }
            if self.backend() == Backend::Postgres {
                // PostgreSQL checks a foreign key with a trigger per inserted row; into empty
                // tables the keys go and come back whole at the end (one validating join
                // each), as defined in the catalogue, so nothing about them can drift. A
                // bigger sort memory for the index builds, for this transaction only.
                let rows = sqlx::query(
                    "SELECT c.conrelid::regclass::text AS tab, c.conname::text AS name, \
                     pg_get_constraintdef(c.oid) AS def FROM pg_constraint c \
                     WHERE c.contype = 'f' AND c.conrelid::regclass::text IN \
                     ('members', 'unit_words', 'units') ORDER BY 1, 2",
                )
                .fetch_all(&mut *conn)
                .await?;
                for row in &rows {
                    let key: (String, String, String) =
                        (row.try_get("tab")?, row.try_get("name")?, row.try_get("def")?);
                    sqlx::query(sqlf!("ALTER TABLE {} DROP CONSTRAINT {}", key.0, key.1))
                        .execute(&mut *conn)
                        .await?;
                    deferred_keys.push(key);
                }
                sqlx::query("SET LOCAL maintenance_work_mem = '512MB'").execute(&mut *conn).await?;
            }
        }
        // Batches as large as the parameter limit allows: fewer statements, fewer round trips.
        let limit = match self.backend() {
            Backend::Sqlite => 32_766,
            Backend::Postgres => 65_535,
        };
        let rows_for = |per_row: usize| (limit / per_row).min(4_000);
        Ok(Bulk {
            backend: self.backend(),
            at,
            first_unit_id: next_unit_id,
            next_unit_id,
            first_member_id: next_member_id,
            next_member_id,
            unit_batch: rows_for(UNIT_BINDS),
            member_batch: rows_for(MEMBER_BINDS),
            update_batch: rows_for(8),
            word_batch: rows_for(4).min(8_000),
            units: Vec::new(),
            members: Vec::new(),
            words: Vec::new(),
            known: HashMap::new(),
            new_units: HashMap::new(),
            roster: HashMap::new(),
            has_root: n_roots > 0,
            deferred_indexes,
            deferred_keys,
            name_cache: HashMap::new(),
            sql_cache: HashMap::new(),
        })
    }
}

impl Bulk {
    /// Units added so far.
    pub fn n_units(&self) -> u64 {
        (self.next_unit_id - self.first_unit_id) as u64
    }

    /// Members added so far.
    pub fn n_members(&self) -> u64 {
        (self.next_member_id - self.first_member_id) as u64
    }

    /// Remembers a unit read in the same transaction, so adding to it reads nothing.
    fn know(&mut self, unit: &Unit) {
        self.known.insert(unit.id, KnownUnit::of(unit));
    }

    async fn known(&mut self, conn: &mut AnyConnection, id: i64) -> Result<KnownUnit, StoreError> {
        if let Some(known) = self.known.get(&id) {
            return Ok(known.clone());
        }
        let known = KnownUnit::of(&unit_on(conn, id).await?);
        self.known.insert(id, known.clone());
        Ok(known)
    }

    /// Adds a unit under `parent` (a unit already in the tree or one added earlier in this
    /// bulk write; `None` for the root of an empty tree) and returns its id.
    ///
    /// The caller has checked the unit against the registry rules (imports do so row by row
    /// before writing; the demo and generator build valid trees); this only refuses what would
    /// break the tree itself.
    pub async fn add_unit(
        &mut self,
        tx: &mut WriteTx,
        parent: Option<i64>,
        unit: BulkUnit,
    ) -> Result<i64, StoreError> {
        let id = self.next_unit_id;
        let (path, depth) = match parent {
            None => {
                if self.has_root {
                    return Err(StoreError::rule(
                        "second_root",
                        "parent",
                        "Cây tổ chức đã có đơn vị gốc; hãy chọn đơn vị cấp trên.",
                        "The tree already has a root; choose a parent unit.",
                    ));
                }
                self.has_root = true;
                (format!("/{id}/"), 1)
            }
            Some(parent_id) => {
                let parent =
                    self.known(tx.conn(), parent_id).await.map_err(|error| match error {
                        StoreError::NotFound => StoreError::rule(
                            "parent_not_found",
                            "parent",
                            format!("Không có đơn vị cấp trên mã {parent_id}."),
                            format!("There is no parent unit with id {parent_id}."),
                        ),
                        other => other,
                    })?;
                if parent.retired {
                    return Err(StoreError::rule(
                        "parent_retired",
                        "parent",
                        format!("Đơn vị cấp trên mã {parent_id} đã giải thể hoặc sáp nhập."),
                        format!("The parent unit {parent_id} has been retired."),
                    ));
                }
                if !parent.kind.may_have_children() || !unit.kind.may_sit_under(parent.kind) {
                    return Err(StoreError::rule(
                        "kind_not_allowed_under_parent",
                        "parent",
                        format!(
                            "Loại “{}” không thể trực thuộc “{}”.",
                            unit.kind.label_vi(),
                            parent.kind.label_vi()
                        ),
                        format!(
                            "A unit of kind “{}” cannot sit under a “{}”.",
                            unit.kind.label_en(),
                            parent.kind.label_en()
                        ),
                    ));
                }
                (format!("{}{id}/", parent.path), parent.depth + 1)
            }
        };
        self.next_unit_id += 1;
        let name = vn::nfc(unit.name.trim());
        let issuer = unit
            .issuer_abbrev
            .map(|abbrev| abbrev.trim().to_string())
            .filter(|abbrev| !abbrev.is_empty())
            .unwrap_or_else(|| unit.kind.default_issuer_abbrev().to_string());
        self.known.insert(
            id,
            KnownUnit {
                path: path.clone(),
                depth,
                kind: unit.kind,
                retired: false,
                counts: (0, 0, 0),
            },
        );
        self.new_units.insert(id, (unit.declared_official, unit.declared_probationary));
        self.units.push(PendingUnit {
            id,
            parent_id: parent,
            path,
            depth,
            name,
            kind: unit.kind,
            issuer_abbrev: issuer,
            declared_official: unit.declared_official,
            declared_probationary: unit.declared_probationary,
            valid_from: date_text(unit.valid_from),
            valid_to: date_text(unit.valid_to),
            note: unit.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
        });
        if self.units.len() >= self.unit_batch {
            self.flush_units(tx.conn()).await?;
        }
        Ok(id)
    }

    /// Adds a member to the roster of `unit_id` (already in the tree, or added in this bulk
    /// write) and returns its id. The input must have passed [`validate_member`].
    pub async fn add_member(
        &mut self,
        tx: &mut WriteTx,
        unit_id: i64,
        input: MemberInput,
    ) -> Result<i64, StoreError> {
        let unit = self.known(tx.conn(), unit_id).await?;
        if unit.retired {
            return Err(StoreError::rule(
                "unit_retired",
                "unit",
                format!("Đơn vị mã {unit_id} đã giải thể."),
                format!("The unit {unit_id} has been retired."),
            ));
        }
        let id = self.next_member_id;
        self.next_member_id += 1;
        let added = self.roster.entry(unit_id).or_default();
        added.members += 1;
        match input.membership {
            Membership::Official => added.official += 1,
            Membership::Probationary => added.probationary += 1,
        }
        self.members.push(PendingMember { id, unit_id, unit_path: unit.path, input });
        if self.members.len() >= self.member_batch {
            self.flush_members(tx.conn()).await?;
        }
        Ok(id)
    }

    fn sql(&mut self, kind: &'static str, rows: usize) -> String {
        let backend = self.backend;
        // SQLite: a statement that fails ends the whole bulk write, so it needs no journal of
        // its own (see `Store::begin_bulk`).
        let (insert, update) = match backend {
            Backend::Sqlite => ("INSERT OR FAIL INTO", "UPDATE OR FAIL"),
            Backend::Postgres => ("INSERT INTO", "UPDATE"),
        };
        self.sql_cache
            .entry((kind, rows))
            .or_insert_with(|| match kind {
                "units" => format!(
                    "{insert} units (id, parent_id, path, depth, name, name_fold, name_key, kind, \
                     issuer_abbrev, declared_official, declared_probationary, roster_size, \
                     official_count, probationary_count, sub_units, sub_official, sub_probationary, \
                     valid_from, valid_to, retired, note, created_at, updated_at, version) VALUES {}",
                    placeholders(
                        backend,
                        rows,
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, 0, 0, ?, ?, 0, ?, ?, ?, 1)"
                    )
                ),
                "members" => format!(
                    "{insert} members (id, unit_id, unit_path, full_name, name_fold, given_fold, \
                     name_key, birth_date, sex, ethnicity, joined_date, membership, status, \
                     education, theory_level, note, created_at, updated_at, version) VALUES {}",
                    placeholders(
                        backend,
                        rows,
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
                    )
                ),
                "words" => format!(
                    "{insert} unit_words (word, unit_id, depth, name_key) VALUES {}",
                    placeholders(backend, rows, "(?, ?, ?, ?)")
                ),
                // One row per unit whose counts change, so each unit is rewritten once:
                // column2 = 1 sets its own roster counts (columns 3–5), columns 6–8 are added
                // to its subtree totals.
                _ => format!(
                    "{update} units SET \
                     roster_size = CASE WHEN v.column2 = 1 THEN v.column3 ELSE roster_size END, \
                     official_count = CASE WHEN v.column2 = 1 THEN v.column4 ELSE official_count END, \
                     probationary_count = CASE WHEN v.column2 = 1 THEN v.column5 \
                     ELSE probationary_count END, \
                     sub_units = sub_units + v.column6, sub_official = sub_official + v.column7, \
                     sub_probationary = sub_probationary + v.column8 \
                     FROM (VALUES {}) AS v WHERE units.id = v.column1",
                    placeholders(backend, rows, "(?, ?, ?, ?, ?, ?, ?, ?)")
                ),
            })
            .clone()
    }

    async fn flush_units(&mut self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        let units = std::mem::take(&mut self.units);
        for chunk in units.chunks(self.unit_batch) {
            let sql = self.sql("units", chunk.len());
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for unit in chunk {
                let folded = vn::fold(&unit.name);
                let key = vn::collation_key(&unit.name);
                for word in search_words(&folded) {
                    self.words.push((word, unit.id, unit.depth, key.clone()));
                }
                query = query
                    .bind(unit.id)
                    .bind(unit.parent_id)
                    .bind(unit.path.clone())
                    .bind(unit.depth)
                    .bind(unit.name.clone())
                    .bind(folded)
                    .bind(key)
                    .bind(unit.kind.code())
                    .bind(unit.issuer_abbrev.clone())
                    .bind(unit.declared_official)
                    .bind(unit.declared_probationary)
                    .bind(unit.declared_official)
                    .bind(unit.declared_probationary)
                    .bind(unit.valid_from.clone())
                    .bind(unit.valid_to.clone())
                    .bind(unit.note.clone())
                    .bind(self.at)
                    .bind(self.at);
            }
            query.execute(&mut *conn).await?;
        }
        let words = std::mem::take(&mut self.words);
        for chunk in words.chunks(self.word_batch) {
            let sql = self.sql("words", chunk.len());
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (word, unit_id, depth, key) in chunk {
                query = query.bind(word.clone()).bind(*unit_id).bind(*depth).bind(key.clone());
            }
            query.execute(&mut *conn).await?;
        }
        Ok(())
    }

    async fn flush_members(&mut self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        // Members refer to units by foreign key: units first.
        self.flush_units(conn).await?;
        let members = std::mem::take(&mut self.members);
        for chunk in members.chunks(self.member_batch) {
            let sql = self.sql("members", chunk.len());
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for member in chunk {
                let input = &member.input;
                if self.name_cache.len() > 200_000 {
                    self.name_cache.clear();
                }
                let (folded, given, key) = self
                    .name_cache
                    .entry(input.full_name.clone())
                    .or_insert_with(|| {
                        let (folded, given) = name_folds(&input.full_name);
                        (folded, given, vn::person_name_key(&input.full_name))
                    })
                    .clone();
                query = query
                    .bind(member.id)
                    .bind(member.unit_id)
                    .bind(member.unit_path.clone())
                    .bind(input.full_name.clone())
                    .bind(folded)
                    .bind(given)
                    .bind(key)
                    .bind(date_text(input.birth_date))
                    .bind(input.sex.map(Sex::code))
                    .bind(input.ethnicity.clone())
                    .bind(date_text(input.joined_date))
                    .bind(input.membership.code())
                    .bind(input.status.code())
                    .bind(input.education.map(Education::code))
                    .bind(input.theory_level.map(TheoryLevel::code))
                    .bind(input.note.clone())
                    .bind(self.at)
                    .bind(self.at);
            }
            query.execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// The references of the rows this bulk write added (parents, units of members and of
    /// search words), checked in three index probes per row rather than by the connection.
    async fn check_references(&self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        let broken: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM units c WHERE c.id >= $1 AND c.parent_id IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM units p WHERE p.id = c.parent_id)) \
             + (SELECT COUNT(*) FROM members m WHERE m.id >= $2 \
             AND NOT EXISTS (SELECT 1 FROM units u WHERE u.id = m.unit_id)) \
             + (SELECT COUNT(*) FROM unit_words w WHERE w.unit_id >= $1 \
             AND NOT EXISTS (SELECT 1 FROM units u WHERE u.id = w.unit_id))",
        )
        .bind(self.first_unit_id)
        .bind(self.first_member_id)
        .fetch_one(&mut *conn)
        .await?;
        if broken > 0 {
            return Err(StoreError::Conflict { constraint: "FOREIGN KEY (bulk write)".into() });
        }
        Ok(())
    }

    /// Writes the new counts of units: (id, [roster set?, roster, official, probationary,
    /// Δ units, Δ official, Δ probationary]), in id order.
    async fn update_counts(
        &mut self,
        conn: &mut AnyConnection,
        rows: &[(i64, [i64; 7])],
    ) -> Result<(), StoreError> {
        for chunk in rows.chunks(self.update_batch) {
            let sql = self.sql("counts", chunk.len());
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (id, values) in chunk {
                query = query.bind(*id);
                for value in values {
                    query = query.bind(*value);
                }
            }
            query.execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Writes what is buffered, settles roster counts and subtree totals by differences,
    /// rebuilds deferred indexes and appends the one audit entry of this bulk write.
    pub async fn finish(
        mut self,
        tx: &mut WriteTx,
        source: BulkSource,
    ) -> Result<BulkSummary, StoreError> {
        let conn = tx.conn();
        self.flush_members(conn).await?;
        self.flush_units(conn).await?;
        if self.backend == Backend::Sqlite {
            self.check_references(conn).await?;
        }
        // The units whose rosters grew, before and after: (roster, official, probationary).
        // Every unit a member was added to was read in this transaction (`Bulk::known`).
        let mut before: HashMap<i64, (i64, i64, i64)> = HashMap::new();
        let mut existing: Vec<i64> = Vec::new();
        for id in self.roster.keys().filter(|id| !self.new_units.contains_key(id)) {
            match self.known.get(id) {
                Some(known) => {
                    before.insert(*id, known.counts);
                }
                None => existing.push(*id),
            }
        }
        for chunk in existing.chunks(1_000) {
            let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let rows = sqlx::query(sqlf!(
                "SELECT id, roster_size, official_count, probationary_count FROM units \
                 WHERE id IN ({list})"
            ))
            .fetch_all(&mut *conn)
            .await?;
            for row in rows {
                before.insert(
                    row.try_get("id")?,
                    (
                        row.try_get("roster_size")?,
                        row.try_get("official_count")?,
                        row.try_get("probationary_count")?,
                    ),
                );
            }
        }
        for (id, (official, probationary)) in &self.new_units {
            before.insert(*id, (0, *official, *probationary));
        }
        // Per unit: [roster set?, roster, official, probationary, Δ units, Δ official,
        // Δ probationary].
        let mut updates: HashMap<i64, [i64; 7]> = HashMap::new();
        let mut add = |ids: &[i64], units: i64, official: i64, probationary: i64| {
            for id in ids {
                let entry = updates.entry(*id).or_default();
                entry[4] += units;
                entry[5] += official;
                entry[6] += probationary;
            }
        };
        // A unit's counts come from its roster once it has one, from the declared figures
        // before that (the rule of `recount_roster`).
        let mut after: HashMap<i64, (i64, i64)> = HashMap::new();
        let mut rosters: Vec<(i64, (i64, i64, i64))> = Vec::with_capacity(self.roster.len());
        for (id, added) in &self.roster {
            let (roster, official, probationary) = before.get(id).copied().unwrap_or_default();
            let (base_official, base_probationary) =
                if roster > 0 { (official, probationary) } else { (0, 0) };
            let new = (
                roster + added.members,
                base_official + added.official,
                base_probationary + added.probationary,
            );
            rosters.push((*id, new));
            after.insert(*id, (new.1, new.2));
            if !self.new_units.contains_key(id) {
                let path = self.known.get(id).map(|k| k.path.clone()).unwrap_or_default();
                add(&path_ids(&path), 0, new.1 - official, new.2 - probationary);
            }
        }
        for (id, declared) in &self.new_units {
            let (official, probationary) = after.get(id).copied().unwrap_or(*declared);
            let path = self.known.get(id).map(|k| k.path.clone()).unwrap_or_default();
            for ancestor in path_ids(&path) {
                let units = i64::from(ancestor != *id);
                add(&[ancestor], units, official, probationary);
            }
        }
        for (id, (roster, official, probationary)) in rosters {
            let entry = updates.entry(id).or_default();
            entry[..4].copy_from_slice(&[1, roster, official, probationary]);
        }
        let mut updates: Vec<(i64, [i64; 7])> =
            updates.into_iter().filter(|(_, values)| values.iter().any(|v| *v != 0)).collect();
        updates.sort_unstable();
        self.update_counts(conn, &updates).await?;
        if self.deferred_indexes {
            for (_, statement) in DEFERRED_INDEXES {
                sqlx::query(*statement).execute(&mut *conn).await?;
            }
            for (table, name, definition) in &self.deferred_keys {
                sqlx::query(sqlf!("ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"))
                    .execute(&mut *conn)
                    .await?;
            }
            if self.backend == Backend::Postgres {
                // Fresh statistics, so the first queries on the new tree plan well.
                sqlx::query("ANALYZE units").execute(&mut *conn).await?;
                sqlx::query("ANALYZE unit_words").execute(&mut *conn).await?;
                sqlx::query("ANALYZE members").execute(&mut *conn).await?;
            }
        }
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA cache_size = -65536").execute(&mut *conn).await?;
        }
        let summary = BulkSummary {
            units: self.n_units(),
            members: self.n_members(),
            unit_ids: (self.next_unit_id > self.first_unit_id)
                .then_some((self.first_unit_id, self.next_unit_id - 1)),
            member_ids: (self.next_member_id > self.first_member_id)
                .then_some((self.first_member_id, self.next_member_id - 1)),
        };
        let place = match source.unit_id {
            Some(id) => Some((id, self.known(conn, id).await?.path)),
            None => self.common_ancestor(),
        };
        let entity = if source.action.starts_with("member") { "member" } else { "unit" };
        let ids = if entity == "member" { summary.member_ids } else { summary.unit_ids };
        let range = ids.map(|(first, last)| format!("{first}-{last}")).unwrap_or_default();
        let mut record = AuditRecord::new(source.action, entity, range).after(serde_json::json!({
            "file": source.file_name,
            "sha256": source.sha256,
            "rows": source.rows,
            "units": summary.units,
            "members": summary.members,
            "unit_ids": summary.unit_ids.map(|(a, b)| [a, b]),
            "member_ids": summary.member_ids.map(|(a, b)| [a, b]),
        }));
        if let Some((id, path)) = place {
            record = record.in_unit(id, &path);
        }
        tx.audit(record).await?;
        Ok(summary)
    }

    /// The deepest unit above (or at) everything this bulk write touched.
    fn common_ancestor(&self) -> Option<(i64, String)> {
        let mut paths = Vec::new();
        for id in self.new_units.keys().chain(self.roster.keys()) {
            let Some(known) = self.known.get(id) else { continue };
            let ids = path_ids(&known.path);
            // A new unit hangs under its parent; the parent is what the import touched.
            let cut = if self.new_units.contains_key(id) && ids.len() > 1 {
                let parent = ids[ids.len() - 2];
                if self.new_units.contains_key(&parent) { ids.len() } else { ids.len() - 1 }
            } else {
                ids.len()
            };
            paths.push(ids[..cut].to_vec());
        }
        let mut common: Option<Vec<i64>> = None;
        for ids in paths {
            common = Some(match common {
                None => ids,
                Some(prefix) => {
                    prefix.iter().zip(&ids).take_while(|(a, b)| a == b).map(|(a, _)| *a).collect()
                }
            });
        }
        let ids = common?;
        let id = *ids.last()?;
        let path = format!("/{}/", ids.iter().map(i64::to_string).collect::<Vec<_>>().join("/"));
        Some((id, path))
    }
}

/// Who is importing, and under which unit.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportScope<'a> {
    /// The importer's access; `None` for the command line, which acts for the whole tree.
    pub access: Option<&'a Access>,
    /// The unit imported under: units without a parent in the file hang under it, members
    /// without a unit join it, and everything imported must be inside its subtree.
    pub under: Option<i64>,
}

/// The outcome of checking an import file against the tree.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportCheck {
    /// Problems that refuse the import (nothing is written while there is one).
    pub problems: Vec<RowProblem>,
    /// Things worth a look that do not stop the import (the 30-member rule, …).
    pub warnings: Vec<RowProblem>,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Some rows are wrong (each problem names its row and column); nothing was written.
    #[error("{} problems in the file; nothing was imported", .0.len())]
    Rejected(Vec<RowProblem>),
    /// The database failed; nothing was written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A file being imported, for the audit entry.
#[derive(Debug, Clone)]
pub struct ImportSource {
    /// The file's name as uploaded or given.
    pub file_name: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
}

/// Reports progress: rows written so far.
pub type Progress<'a> = &'a (dyn Fn(u64) + Send + Sync);

struct Resolved<T> {
    check: ImportCheck,
    items: Vec<T>,
    under: Option<Unit>,
    /// The units the check read (for a members file: the cells), so the write need not
    /// read them again one by one.
    units: Vec<Unit>,
}

/// A unit of the tree as an import sees it: found, or not (also when outside the scope, so
/// that an import does not reveal which units exist elsewhere).
async fn visible_unit(
    conn: &mut AnyConnection,
    cache: &mut HashMap<i64, Option<Unit>>,
    id: i64,
    scope: &ImportScope<'_>,
    under: Option<&Unit>,
    action: Action,
) -> Result<Option<Unit>, StoreError> {
    if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(id) {
        let unit = match unit_on(conn, id).await {
            Ok(unit) => Some(unit),
            Err(StoreError::NotFound) => None,
            Err(error) => return Err(error),
        };
        let visible = unit.filter(|unit| {
            scope.access.is_none_or(|access| access.can(action, &unit.path))
                && under.is_none_or(|under| unit.path.starts_with(&under.path))
        });
        slot.insert(visible);
    }
    Ok(cache.get(&id).cloned().flatten())
}

async fn resolve_under(
    conn: &mut AnyConnection,
    scope: &ImportScope<'_>,
    action: Action,
) -> Result<Option<Unit>, StoreError> {
    let Some(id) = scope.under else { return Ok(None) };
    let unit = unit_on(conn, id).await?;
    if scope.access.is_some_and(|access| !access.can(action, &unit.path)) {
        return Err(StoreError::NotFound);
    }
    Ok(Some(unit))
}

/// Checks a units file against the tree; returns the problems and the order to write in
/// (parents before children) with each record's parent.
async fn check_units_on(
    conn: &mut AnyConnection,
    file: &UnitFile,
    scope: &ImportScope<'_>,
) -> Result<Resolved<(usize, Option<ParentOf>)>, StoreError> {
    let records = &file.records;
    let columns = &file.columns;
    let under = resolve_under(conn, scope, Action::EditUnits).await?;
    let mut check = ImportCheck::default();
    if let Some(unit) = under.as_ref().filter(|unit| unit.retired) {
        check.problems.push(RowProblem::new(
            0,
            "",
            format!("Đơn vị “{}” đã giải thể; không thể nhập đơn vị vào đó.", unit.name),
            format!("The unit “{}” has been retired; nothing can be imported under it.", unit.name),
        ));
        return Ok(Resolved { check, items: Vec::new(), under, units: Vec::new() });
    }
    let (n_roots,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM units WHERE parent_id IS NULL")
        .fetch_one(&mut *conn)
        .await?;
    // Depth within the file (cycles were refused when reading; refuse them here too, as a
    // file may come from elsewhere).
    let cycles = cycles(records);
    for row in &cycles {
        check.problems.push(RowProblem::new(
            *row,
            columns.header("parent"),
            "Vòng lặp đơn vị cấp trên.",
            "The parents form a cycle.",
        ));
    }
    if !check.problems.is_empty() {
        return Ok(Resolved { check, items: Vec::new(), under, units: Vec::new() });
    }
    let depth = file_depths(records);
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by_key(|index| (depth[*index], *index));
    // Subtree figures within the file: the registry rules judge a committee by the members
    // under it (Điều lệ Đảng Art. 21: 30 members make a grassroots committee), not by the
    // members it declares for itself, which are usually none.
    let mut sub_official: Vec<i64> = records.iter().map(|r| r.declared_official).collect();
    let mut sub_probationary: Vec<i64> = records.iter().map(|r| r.declared_probationary).collect();
    let mut n_children = vec![0_i64; records.len()];
    for index in order.iter().rev() {
        if let ParentRef::Record(parent) = records[*index].parent {
            sub_official[parent] += sub_official[*index];
            sub_probationary[parent] += sub_probationary[*index];
            n_children[parent] += 1;
        }
    }
    let mut cache: HashMap<i64, Option<Unit>> = HashMap::new();
    let mut roots_in_file = 0;
    let mut items = Vec::with_capacity(records.len());
    for index in &order {
        let record: &UnitRecord = &records[*index];
        let parent_header = columns.header("parent");
        let (parent_kind, parent_of) = match &record.parent {
            ParentRef::Record(parent) => {
                (Some(records[*parent].kind), Some(ParentOf::Record(*parent)))
            }
            ParentRef::Existing(id) => {
                match visible_unit(conn, &mut cache, *id, scope, under.as_ref(), Action::EditUnits)
                    .await?
                {
                    None => {
                        check.problems.push(RowProblem::new(
                            record.row,
                            parent_header,
                            format!("Không có đơn vị mã {id} trong phạm vi bạn được quyền sửa."),
                            format!("There is no unit {id} among the units you may edit."),
                        ));
                        continue;
                    }
                    Some(parent) if parent.retired => {
                        check.problems.push(RowProblem::new(
                            record.row,
                            parent_header,
                            format!("Đơn vị cấp trên “{}” đã giải thể hoặc sáp nhập.", parent.name),
                            format!("The parent unit “{}” has been retired.", parent.name),
                        ));
                        continue;
                    }
                    Some(parent) => (Some(parent.kind), Some(ParentOf::Existing(parent.id))),
                }
            }
            ParentRef::Default => match &under {
                Some(parent) => (Some(parent.kind), Some(ParentOf::Existing(parent.id))),
                None => {
                    roots_in_file += 1;
                    if n_roots > 0 || roots_in_file > 1 {
                        check.problems.push(RowProblem::new(
                            record.row,
                            parent_header,
                            "Thiếu đơn vị cấp trên: cây tổ chức đã có đơn vị gốc.",
                            "The parent is missing: the tree already has a root.",
                        ));
                        continue;
                    }
                    (None, None)
                }
            },
        };
        let facts = UnitFacts {
            kind: record.kind,
            parent_kind,
            official: sub_official[*index],
            probationary: sub_probationary[*index],
            counted_from_roster: false,
            n_children: n_children[*index],
        };
        let mut blocked = false;
        for finding in check_unit(&facts) {
            let problem = RowProblem::new(
                record.row,
                columns.header(finding.field),
                finding.message_vi,
                finding.message_en,
            );
            if finding.blocking {
                blocked = true;
                check.problems.push(problem);
            } else {
                check.warnings.push(problem);
            }
        }
        if !blocked {
            items.push((*index, parent_of));
        }
    }
    check.problems.sort_by_key(|p| p.row);
    check.warnings.sort_by_key(|p| p.row);
    Ok(Resolved { check, items, under, units: Vec::new() })
}

/// Where a unit of the file goes.
#[derive(Debug, Clone, Copy)]
enum ParentOf {
    Record(usize),
    Existing(i64),
}

/// Rows on a cycle of parents within the file.
fn cycles(records: &[UnitRecord]) -> Vec<u32> {
    let mut rows = Vec::new();
    for start in 0..records.len() {
        let mut current = start;
        for _ in 0..=records.len() {
            match records[current].parent {
                ParentRef::Record(parent) => current = parent,
                _ => break,
            }
            if current == start {
                rows.push(records[start].row);
                break;
            }
        }
    }
    rows
}

fn file_depths(records: &[UnitRecord]) -> Vec<usize> {
    let mut depth = vec![usize::MAX; records.len()];
    for start in 0..records.len() {
        let mut chain = Vec::new();
        let mut current = start;
        while depth[current] == usize::MAX {
            chain.push(current);
            match records[current].parent {
                ParentRef::Record(parent) if chain.len() <= records.len() => current = parent,
                _ => break,
            }
        }
        let mut base = if depth[current] == usize::MAX { 0 } else { depth[current] + 1 };
        for index in chain.iter().rev() {
            if depth[*index] == usize::MAX {
                depth[*index] = base;
                base += 1;
            }
        }
    }
    depth
}

fn member_input(record: &MemberRecord) -> MemberInput {
    MemberInput {
        full_name: record.full_name.clone(),
        birth_date: record.birth_date,
        sex: record.sex,
        ethnicity: record.ethnicity.clone(),
        joined_date: record.joined_date,
        membership: record.membership,
        status: record.status,
        education: record.education,
        theory_level: record.theory_level,
        note: record.note.clone(),
    }
}

/// Checks a members file against the tree; returns the problems and each valid member with
/// its unit.
async fn check_members_on(
    conn: &mut AnyConnection,
    file: &MemberFile,
    scope: &ImportScope<'_>,
) -> Result<Resolved<(i64, MemberInput)>, StoreError> {
    let columns = &file.columns;
    let under = resolve_under(conn, scope, Action::EditMembers).await?;
    let mut check = ImportCheck::default();
    let mut cache: HashMap<i64, Option<Unit>> = HashMap::new();
    let mut by_name: HashMap<String, Result<i64, (String, String)>> = HashMap::new();
    let mut items = Vec::with_capacity(file.records.len());
    // The cells named by id, read a thousand at a time rather than one query per cell.
    let mut wanted: Vec<i64> = file
        .records
        .iter()
        .filter_map(|record| match record.unit {
            UnitTarget::Id(id) => Some(id),
            _ => None,
        })
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    for chunk in wanted.chunks(1_000) {
        let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let rows = sqlx::query(sqlf!(
            "SELECT {} FROM units WHERE id IN ({list})",
            crate::units::UNIT_COLUMNS
        ))
        .fetch_all(&mut *conn)
        .await?;
        for id in chunk {
            cache.insert(*id, None);
        }
        for row in &rows {
            let unit = crate::units::unit_from_row(row)?;
            let visible =
                scope.access.is_none_or(|access| access.can(Action::EditMembers, &unit.path))
                    && under.as_ref().is_none_or(|under| unit.path.starts_with(&under.path));
            if visible {
                cache.insert(unit.id, Some(unit));
            }
        }
    }
    for record in &file.records {
        let unit_header = columns.header("unit");
        let input = match validate_member(&member_input(record)) {
            Ok(input) => Some(input),
            Err(StoreError::Rule { field, message_vi, message_en, .. }) => {
                check.problems.push(RowProblem::new(
                    record.row,
                    columns.header(field),
                    message_vi,
                    message_en,
                ));
                None
            }
            Err(other) => return Err(other),
        };
        let unit_id = match &record.unit {
            UnitTarget::Default => match &under {
                Some(unit) => Some(unit.id),
                None => {
                    check.problems.push(RowProblem::new(
                        record.row,
                        unit_header.clone(),
                        "Thiếu đơn vị (chi bộ) của đảng viên.",
                        "The member's unit (cell) is missing.",
                    ));
                    None
                }
            },
            UnitTarget::Id(id) => Some(*id),
            UnitTarget::Name(name) => {
                if !by_name.contains_key(name) {
                    let found = units_named(conn, name, scope, under.as_ref()).await?;
                    let outcome = match found.as_slice() {
                        [id] => Ok(*id),
                        [] => Err((
                            format!(
                                "Không có chi bộ tên “{name}” trong phạm vi bạn được quyền sửa."
                            ),
                            format!(
                                "There is no unit named “{name}” among the units you may edit."
                            ),
                        )),
                        many => {
                            let ids: Vec<String> = many.iter().map(i64::to_string).collect();
                            Err((
                                format!(
                                    "Có {} đơn vị cùng tên “{name}” (mã {}): hãy ghi mã đơn vị.",
                                    many.len(),
                                    ids.join(", ")
                                ),
                                format!(
                                    "{} units are named “{name}” (ids {}): give the unit id.",
                                    many.len(),
                                    ids.join(", ")
                                ),
                            ))
                        }
                    };
                    by_name.insert(name.clone(), outcome);
                }
                match by_name.get(name) {
                    Some(Ok(id)) => Some(*id),
                    Some(Err((vi, en))) => {
                        check.problems.push(RowProblem::new(
                            record.row,
                            unit_header.clone(),
                            vi.clone(),
                            en.clone(),
                        ));
                        None
                    }
                    None => None,
                }
            }
        };
        let Some(unit_id) = unit_id else { continue };
        let unit =
            visible_unit(conn, &mut cache, unit_id, scope, under.as_ref(), Action::EditMembers)
                .await?;
        let problem = match &unit {
            None => Some((
                format!("Không có đơn vị mã {unit_id} trong phạm vi bạn được quyền sửa."),
                format!("There is no unit {unit_id} among the units you may edit."),
            )),
            Some(unit) if unit.retired => Some((
                format!("Đơn vị “{}” đã giải thể.", unit.name),
                format!("The unit “{}” has been retired.", unit.name),
            )),
            // Điều lệ Đảng Art. 24: every member is on the roll of a cell.
            Some(unit) if !unit.kind.is_cell() => Some((
                format!(
                    "“{}” là {}, không phải chi bộ: đảng viên sinh hoạt ở chi bộ.",
                    unit.name,
                    unit.kind.label_vi().to_lowercase()
                ),
                format!(
                    "“{}” is a {}, not a cell: members belong to cells.",
                    unit.name,
                    unit.kind.label_en().to_lowercase()
                ),
            )),
            Some(_) => None,
        };
        if let Some((vi, en)) = problem {
            check.problems.push(RowProblem::new(record.row, unit_header, vi, en));
            continue;
        }
        if let Some(input) = input {
            items.push((unit_id, input));
        }
    }
    check.problems.sort_by_key(|p| p.row);
    let units = cache.into_values().flatten().collect();
    Ok(Resolved { check, items, under, units })
}

/// Active units with exactly this name where the import may put members.
async fn units_named(
    conn: &mut AnyConnection,
    name: &str,
    scope: &ImportScope<'_>,
    under: Option<&Unit>,
) -> Result<Vec<i64>, StoreError> {
    let wanted = vn::nfc(name.trim());
    let rows = sqlx::query("SELECT id, name, path FROM units WHERE name_fold = $1 AND retired = 0")
        .bind(vn::fold(&wanted))
        .fetch_all(&mut *conn)
        .await?;
    let mut ids = Vec::new();
    for row in rows {
        let unit_name: String = row.try_get("name")?;
        let path: String = row.try_get("path")?;
        let allowed = scope.access.is_none_or(|access| access.can(Action::EditMembers, &path))
            && under.is_none_or(|under| path.starts_with(&under.path));
        if allowed && unit_name == wanted {
            ids.push(row.try_get("id")?);
        }
    }
    ids.sort_unstable();
    Ok(ids)
}

impl Store {
    /// Checks a units file against the tree without writing (preview, `--dry-run`).
    pub async fn check_unit_import(
        &self,
        file: &UnitFile,
        scope: &ImportScope<'_>,
    ) -> Result<ImportCheck, StoreError> {
        let mut conn = self.pool().acquire().await?;
        Ok(check_units_on(&mut conn, file, scope).await?.check)
    }

    /// Imports a units file, all or nothing: checks every row again inside the write
    /// transaction, then writes every unit and one audit entry.
    pub async fn import_units(
        &self,
        actor: &Actor,
        file: &UnitFile,
        scope: &ImportScope<'_>,
        source: &ImportSource,
        progress: Progress<'_>,
    ) -> Result<BulkSummary, ImportError> {
        let mut tx = self.begin_bulk_write(actor).await?;
        let resolved = check_units_on(tx.conn(), file, scope).await?;
        if !resolved.check.problems.is_empty() {
            return Err(ImportError::Rejected(resolved.check.problems));
        }
        let mut bulk = self.begin_bulk(&mut tx, true).await?;
        let mut ids: HashMap<usize, i64> = HashMap::new();
        for (done, (index, parent)) in resolved.items.iter().enumerate() {
            let record = &file.records[*index];
            let parent_id = match parent {
                Some(ParentOf::Record(parent)) => ids.get(parent).copied(),
                Some(ParentOf::Existing(id)) => Some(*id),
                None => None,
            };
            let unit = BulkUnit {
                name: record.name.clone(),
                kind: record.kind,
                issuer_abbrev: record.issuer_abbrev.clone(),
                declared_official: record.declared_official,
                declared_probationary: record.declared_probationary,
                valid_from: record.valid_from,
                valid_to: record.valid_to,
                note: record.note.clone(),
            };
            let id = bulk.add_unit(&mut tx, parent_id, unit).await?;
            ids.insert(*index, id);
            if done % 1_000 == 999 {
                progress(done as u64 + 1);
            }
        }
        let summary = bulk
            .finish(
                &mut tx,
                BulkSource {
                    action: "unit.import",
                    file_name: source.file_name.clone(),
                    sha256: Some(source.sha256.clone()),
                    rows: file.records.len() as u64,
                    unit_id: resolved.under.map(|unit| unit.id),
                },
            )
            .await?;
        tx.commit().await?;
        progress(file.records.len() as u64);
        Ok(summary)
    }

    /// Checks a members file against the tree without writing (preview, `--dry-run`).
    pub async fn check_member_import(
        &self,
        file: &MemberFile,
        scope: &ImportScope<'_>,
    ) -> Result<ImportCheck, StoreError> {
        let mut conn = self.pool().acquire().await?;
        Ok(check_members_on(&mut conn, file, scope).await?.check)
    }

    /// Imports a members file, all or nothing: checks every row again inside the write
    /// transaction, then writes every member, the new counts and one audit entry.
    pub async fn import_members(
        &self,
        actor: &Actor,
        file: &MemberFile,
        scope: &ImportScope<'_>,
        source: &ImportSource,
        progress: Progress<'_>,
    ) -> Result<BulkSummary, ImportError> {
        let mut tx = self.begin_bulk_write(actor).await?;
        let resolved = check_members_on(tx.conn(), file, scope).await?;
        if !resolved.check.problems.is_empty() {
            return Err(ImportError::Rejected(resolved.check.problems));
        }
        let mut bulk = self.begin_bulk(&mut tx, false).await?;
        for unit in &resolved.units {
            bulk.know(unit);
        }
        let mut items = resolved.items;
        // Cell by cell: rows of one roster land next to each other in the roster indexes.
        items.sort_by_key(|(unit_id, _)| *unit_id);
        for (done, (unit_id, input)) in items.into_iter().enumerate() {
            bulk.add_member(&mut tx, unit_id, input).await?;
            if done % 1_000 == 999 {
                progress(done as u64 + 1);
            }
        }
        let summary = bulk
            .finish(
                &mut tx,
                BulkSource {
                    action: "member.import",
                    file_name: source.file_name.clone(),
                    sha256: Some(source.sha256.clone()),
                    rows: file.records.len() as u64,
                    unit_id: resolved.under.map(|unit| unit.id),
                },
            )
            .await?;
        tx.commit().await?;
        progress(file.records.len() as u64);
        Ok(summary)
    }

    /// The active units of a subtree, parents before children (path order), for export.
    pub async fn subtree_units(&self, root_id: i64) -> Result<Vec<Unit>, StoreError> {
        let root = self.unit(root_id).await?;
        let rows = sqlx::query(sqlf!(
            "SELECT {} FROM units WHERE path >= $1 AND path < $2 AND retired = 0 ORDER BY path",
            crate::units::UNIT_COLUMNS
        ))
        .bind(&root.path)
        .bind(subtree_end(&root.path))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(crate::units::unit_from_row).collect::<Result<_, _>>()?)
    }

    /// One page of the members of a subtree with their unit's name, in roster order (unit
    /// path, then name), continuing after `after`; for exports of any size.
    pub async fn subtree_members_page(
        &self,
        root_path: &str,
        after: Option<&MemberCursor>,
        limit: i64,
    ) -> Result<(Vec<(Member, String)>, Option<MemberCursor>), StoreError> {
        let columns = crate::members::MEMBER_COLUMNS
            .split(", ")
            .map(|c| format!("m.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut sql = format!(
            "SELECT {columns}, m.name_key AS cursor_key, u.name AS unit_name FROM members m \
             JOIN units u ON u.id = m.unit_id WHERE m.unit_path >= $1 AND m.unit_path < $2"
        );
        if after.is_some() {
            sql.push_str(
                " AND (m.unit_path > $3 OR (m.unit_path = $3 AND (m.name_key > $4 OR \
                 (m.name_key = $4 AND m.id > $5))))",
            );
        }
        sql.push_str(&format!(
            " ORDER BY m.unit_path, m.name_key, m.id LIMIT {}",
            limit.clamp(1, 100_000)
        ));
        let mut query =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(root_path).bind(subtree_end(root_path));
        if let Some(cursor) = after {
            query =
                query.bind(cursor.unit_path.clone()).bind(cursor.name_key.clone()).bind(cursor.id);
        }
        let rows = query.fetch_all(self.pool()).await?;
        let mut members = Vec::with_capacity(rows.len());
        let mut cursor = None;
        for row in &rows {
            let member = crate::members::member_from_row(row)?;
            cursor = Some(MemberCursor {
                unit_path: member.unit_path.clone(),
                name_key: row.try_get("cursor_key")?,
                id: member.id,
            });
            members.push((member, row.try_get("unit_name")?));
        }
        Ok((members, cursor))
    }

    /// Compares every stored count with a recomputation from the rows: each roster's size and
    /// counts against its members, each subtree total against the units under it. Returns one
    /// line per disagreement (empty when the database is consistent).
    pub async fn consistency_problems(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        // Search words carry their unit's depth and name key (the order search answers in).
        let rows = sqlx::query(
            "SELECT w.unit_id, w.word FROM unit_words w JOIN units u ON u.id = w.unit_id \
             WHERE w.depth <> u.depth OR w.name_key <> u.name_key ORDER BY 1, 2 LIMIT 20",
        )
        .fetch_all(self.pool())
        .await?;
        for row in &rows {
            let (unit, word): (i64, String) = (row.try_get("unit_id")?, row.try_get("word")?);
            problems.push(format!("unit {unit}: search word {word:?} has a stale depth or name"));
        }
        if self.backend() == Backend::Postgres {
            // A load into an empty database drops the tree tables' foreign keys and restores them.
            let keys: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND \
                 conrelid::regclass::text IN ('members', 'unit_words', 'units')",
            )
            .fetch_one(self.pool())
            .await?;
            if keys != TREE_FOREIGN_KEYS {
                problems.push(format!(
                    "the tree tables have {keys} foreign keys, the migrations {TREE_FOREIGN_KEYS}"
                ));
            }
        }
        // A roster is read by path: every member row carries its unit's path.
        let rows = sqlx::query(
            "SELECT m.id, m.unit_id FROM members m JOIN units u ON u.id = m.unit_id \
             WHERE m.unit_path <> u.path ORDER BY m.id LIMIT 20",
        )
        .fetch_all(self.pool())
        .await?;
        for row in &rows {
            let (member, unit): (i64, i64) = (row.try_get("id")?, row.try_get("unit_id")?);
            problems.push(format!("member {member}: unit path differs from unit {unit}'s"));
        }
        let rows = sqlx::query(
            "SELECT unit_id, COUNT(*) AS n, CAST(COALESCE(SUM(CASE WHEN membership = 'official' \
             THEN 1 ELSE 0 END), 0) AS BIGINT) AS official FROM members GROUP BY unit_id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut rosters: HashMap<i64, (i64, i64)> = HashMap::new();
        for row in rows {
            rosters.insert(row.try_get("unit_id")?, (row.try_get("n")?, row.try_get("official")?));
        }
        let rows = sqlx::query(
            "SELECT id, parent_id, retired, roster_size, official_count, probationary_count, \
             declared_official, declared_probationary, sub_units, sub_official, sub_probationary, \
             depth FROM units ORDER BY depth DESC",
        )
        .fetch_all(self.pool())
        .await?;
        struct Counts {
            parent: Option<i64>,
            retired: bool,
            stored: (i64, i64, i64),
            computed: (i64, i64, i64),
        }
        let mut units: HashMap<i64, Counts> = HashMap::new();
        let mut order = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let roster: i64 = row.try_get("roster_size")?;
            let official: i64 = row.try_get("official_count")?;
            let probationary: i64 = row.try_get("probationary_count")?;
            let (n, n_official) = rosters.get(&id).copied().unwrap_or((0, 0));
            let expected = if n > 0 {
                (n, n_official, n - n_official)
            } else {
                (0, row.try_get("declared_official")?, row.try_get("declared_probationary")?)
            };
            if (roster, official, probationary) != expected {
                problems.push(format!(
                    "unit {id}: roster (size, official, probationary) stored {:?}, recomputed {:?}",
                    (roster, official, probationary),
                    expected
                ));
            }
            let retired = row.try_get::<i64, _>("retired")? != 0;
            let own = if retired { (0, 0, 0) } else { (0, official, probationary) };
            units.insert(
                id,
                Counts {
                    parent: row.try_get("parent_id")?,
                    retired,
                    stored: (
                        row.try_get("sub_units")?,
                        row.try_get("sub_official")?,
                        row.try_get("sub_probationary")?,
                    ),
                    computed: own,
                },
            );
            order.push(id);
        }
        // Deepest first: each unit hands its finished totals to its parent.
        for id in &order {
            let (parent, retired, computed) = match units.get(id) {
                Some(counts) => (counts.parent, counts.retired, counts.computed),
                None => continue,
            };
            if retired {
                continue;
            }
            if let Some(parent) = parent.and_then(|p| units.get_mut(&p)) {
                parent.computed.0 += 1 + computed.0;
                parent.computed.1 += computed.1;
                parent.computed.2 += computed.2;
            }
        }
        let mut ids: Vec<&i64> = units.keys().collect();
        ids.sort();
        for id in ids {
            let counts = &units[id];
            if counts.stored != counts.computed {
                problems.push(format!(
                    "unit {id}: subtree totals (units, official, probationary) stored {:?}, recomputed {:?}",
                    counts.stored, counts.computed
                ));
            }
        }
        Ok(problems)
    }
}

/// Where a page of [`Store::subtree_members_page`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberCursor {
    unit_path: String,
    name_key: Vec<u8>,
    id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_on_postgres_and_anonymous_on_sqlite() {
        assert_eq!(placeholders(Backend::Postgres, 2, "(?, ?, 1)"), "($1, $2, 1), ($3, $4, 1)");
        assert_eq!(placeholders(Backend::Sqlite, 2, "(?, ?, 1)"), "(?, ?, 1), (?, ?, 1)");
    }

    #[test]
    fn deferred_indexes_are_the_migrations_own() {
        let sqlite = [
            include_str!("../migrations/sqlite/0001_foundation.sql"),
            include_str!("../migrations/sqlite/0008_unit_search_order.sql"),
            include_str!("../migrations/sqlite/0012_unit_search_rank.sql"),
        ]
        .concat();
        let postgres = [
            include_str!("../migrations/postgres/0001_foundation.sql"),
            include_str!("../migrations/postgres/0008_unit_search_order.sql"),
            include_str!("../migrations/postgres/0012_unit_search_rank.sql"),
        ]
        .concat();
        for (name, statement) in DEFERRED_INDEXES {
            assert!(statement.contains(name));
            assert!(sqlite.contains(statement), "{statement} is not in the SQLite migration");
            assert!(postgres.contains(statement), "{statement} is not in the PostgreSQL migration");
        }
    }

    #[test]
    fn file_depths_follow_parents_in_any_order() {
        let record = |row: u32, parent: ParentRef| UnitRecord {
            row,
            key: None,
            parent,
            name: String::new(),
            kind: UnitKind::Cell,
            issuer_abbrev: None,
            declared_official: 0,
            declared_probationary: 0,
            valid_from: None,
            valid_to: None,
            note: None,
        };
        let records = vec![
            record(2, ParentRef::Record(2)),
            record(3, ParentRef::Default),
            record(4, ParentRef::Record(1)),
        ];
        assert_eq!(file_depths(&records), vec![2, 0, 1]);
        assert!(cycles(&records).is_empty());
        let looped = vec![record(2, ParentRef::Record(1)), record(3, ParentRef::Record(0))];
        assert_eq!(cycles(&looped), vec![2, 3]);
    }
}
