//! Congress preparation: the subcommittees of a congress with their members and task
//! checklists (prefilled from the core's templates), overdue tasks across a subtree, draft
//! documents with their versions and the comments collected on them, and the budget.
//!
//! Everything hangs from a congress of the `congresses` table and is scoped by its unit's path.

use daihoi_core::prep::{SubcommitteeKind, due_date, is_overdue, templates_for};
use daihoi_core::vn;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::Date;

use crate::audit::AuditRecord;
use crate::congress::{Congress, congress_on};
use crate::documents::subtree_condition;
use crate::rows::{date_text, parse_date};
use crate::units::{next_id, unit_on};
use crate::{Store, StoreError, WriteTx};

/// A coded value with its stable code and labels (as in `congress.rs`).
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $vi:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// Stable code.
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),* } }
            /// Vietnamese label.
            pub fn label_vi(self) -> &'static str { match self { $($name::$variant => $vi),* } }
            /// English label.
            pub fn label_en(self) -> &'static str { match self { $($name::$variant => $en),* } }
            /// Parses a stable code.
            pub fn parse(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|value| value.code() == code)
            }
        }
    };
}

code_enum!(
    /// A member's place in a subcommittee.
    SubRole {
        /// Trưởng tiểu ban.
        Head => "head", "Trưởng Tiểu ban", "Head";
        /// Phó Trưởng tiểu ban.
        Deputy => "deputy", "Phó Trưởng Tiểu ban", "Deputy head";
        /// Thành viên.
        Member => "member", "Thành viên", "Member";
    }
);

code_enum!(
    /// Where a task stands.
    TaskStatus {
        /// Not started.
        Todo => "todo", "Chưa thực hiện", "Not started";
        /// Under way.
        InProgress => "in_progress", "Đang thực hiện", "In progress";
        /// Done.
        Done => "done", "Hoàn thành", "Done";
    }
);

code_enum!(
    /// What a draft is (§4.2).
    DraftKind {
        /// Báo cáo chính trị.
        PoliticalReport => "political_report", "Báo cáo chính trị", "Political report";
        /// Báo cáo kiểm điểm sự lãnh đạo, chỉ đạo của cấp ủy.
        ReviewReport => "review_report", "Báo cáo kiểm điểm của Ban Chấp hành", "Review report";
        /// Dự thảo nghị quyết.
        Resolution => "resolution", "Nghị quyết đại hội", "Congress resolution";
        /// Anything else.
        Other => "other", "Văn kiện khác", "Other document";
    }
);

/// A subcommittee of a congress.
#[derive(Debug, Clone, Serialize)]
pub struct Subcommittee {
    /// Id.
    pub id: i64,
    /// Congress.
    pub congress_id: i64,
    /// The congress's unit path (scope).
    pub unit_path: String,
    /// Kind.
    pub kind: SubcommitteeKind,
    /// Name.
    pub name: String,
    /// The decision that set it up ("Quyết định số 215-QĐ/TU").
    pub decision: Option<String>,
    /// Members, head first.
    pub members: Vec<SubMember>,
    /// Tasks in order.
    pub tasks: Vec<Task>,
}

/// A member of a subcommittee.
#[derive(Debug, Clone, Serialize)]
pub struct SubMember {
    /// Id.
    pub id: i64,
    /// Name.
    pub full_name: String,
    /// Post.
    pub title: Option<String>,
    /// Role.
    pub role: SubRole,
}

/// A task of a checklist.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    /// Id.
    pub id: i64,
    /// Subcommittee.
    pub subcommittee_id: i64,
    /// Congress.
    pub congress_id: i64,
    /// Unit path (scope).
    pub unit_path: String,
    /// Template code, when prefilled.
    pub template: Option<String>,
    /// Title.
    pub title: String,
    /// Who does it.
    pub owner: Option<String>,
    /// Due.
    pub due_on: Option<Date>,
    /// Status.
    pub status: TaskStatus,
    /// Finished on.
    pub done_on: Option<Date>,
    /// Version.
    pub version: i64,
}

impl Task {
    /// Whether the task is overdue on `today`.
    pub fn overdue(&self, today: Date) -> bool {
        is_overdue(self.due_on, self.status == TaskStatus::Done, today)
    }
}

/// An overdue task with where it belongs.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueTask {
    /// The task.
    pub task: Task,
    /// Its subcommittee's name.
    pub subcommittee: String,
    /// Its congress's title.
    pub congress_title: String,
}

/// A subcommittee to set up.
#[derive(Debug, Clone)]
pub struct NewSubcommittee {
    /// Congress.
    pub congress_id: i64,
    /// Kind.
    pub kind: SubcommitteeKind,
    /// Decision reference.
    pub decision: Option<String>,
    /// Members: name, post, role.
    pub members: Vec<(String, Option<String>, SubRole)>,
    /// Prefill the checklist from the templates.
    pub prefill: bool,
}

/// A change to a task.
#[derive(Debug, Clone)]
pub struct TaskEdit {
    /// Status.
    pub status: TaskStatus,
    /// Owner.
    pub owner: Option<String>,
    /// Due.
    pub due_on: Option<Date>,
    /// The version read.
    pub version: i64,
}

const TASK_COLUMNS: &str = "id, subcommittee_id, congress_id, unit_path, template, title, owner, \
    due_on, status, done_on, version";

fn task_from_row(row: &AnyRow) -> Result<Task, sqlx::Error> {
    let status: String = row.try_get("status")?;
    Ok(Task {
        id: row.try_get("id")?,
        subcommittee_id: row.try_get("subcommittee_id")?,
        congress_id: row.try_get("congress_id")?,
        unit_path: row.try_get("unit_path")?,
        template: row.try_get("template")?,
        title: row.try_get("title")?,
        owner: row.try_get("owner")?,
        due_on: parse_date(row.try_get("due_on")?),
        status: TaskStatus::parse(&status).unwrap_or(TaskStatus::Todo),
        done_on: parse_date(row.try_get("done_on")?),
        version: row.try_get("version")?,
    })
}

fn trimmed(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|text| !text.is_empty()).map(vn::nfc)
}

/// The congress's first day: the earliest session start.
async fn congress_start(
    conn: &mut AnyConnection,
    congress_id: i64,
) -> Result<Option<Date>, StoreError> {
    let first: Option<String> =
        sqlx::query_scalar("SELECT MIN(starts_on) FROM congress_sessions WHERE congress_id = $1")
            .bind(congress_id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(parse_date(first))
}

async fn task_on(conn: &mut AnyConnection, id: i64) -> Result<Task, StoreError> {
    let row = sqlx::query(sqlf!("SELECT {TASK_COLUMNS} FROM prep_tasks WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(task_from_row(&row)?)
}

async fn subcommittee_on(conn: &mut AnyConnection, id: i64) -> Result<Subcommittee, StoreError> {
    let (id, congress_id, unit_path, kind, name, decision): (
        i64,
        i64,
        String,
        String,
        String,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT id, congress_id, unit_path, kind, name, decision FROM subcommittees WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let members: Vec<(i64, String, Option<String>, String)> = sqlx::query_as(
        "SELECT id, full_name, title, role FROM subcommittee_members WHERE subcommittee_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let rows = sqlx::query(sqlf!(
        "SELECT {TASK_COLUMNS} FROM prep_tasks WHERE subcommittee_id = $1 ORDER BY position, id"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Subcommittee {
        id,
        congress_id,
        unit_path,
        kind: SubcommitteeKind::parse(&kind).unwrap_or(SubcommitteeKind::Documents),
        name,
        decision,
        members: members
            .into_iter()
            .map(|(id, full_name, title, role)| SubMember {
                id,
                full_name,
                title,
                role: SubRole::parse(&role).unwrap_or(SubRole::Member),
            })
            .collect(),
        tasks: rows.iter().map(task_from_row).collect::<Result<_, _>>()?,
    })
}

/// A draft document of a congress.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    /// Id.
    pub id: i64,
    /// Congress.
    pub congress_id: i64,
    /// Unit path.
    pub unit_path: String,
    /// Kind.
    pub kind: DraftKind,
    /// Title.
    pub title: String,
}

/// A version of a draft.
#[derive(Debug, Clone, Serialize)]
pub struct DraftVersion {
    /// Id.
    pub id: i64,
    /// 1, 2, …
    pub number: i64,
    /// Label ("Dự thảo lần 2").
    pub label: String,
    /// Prepared on.
    pub prepared_on: Date,
    /// Note.
    pub note: Option<String>,
}

/// A comment on a draft.
#[derive(Debug, Clone, Serialize)]
pub struct DraftComment {
    /// Id.
    pub id: i64,
    /// The version commented on.
    pub version_id: i64,
    /// The version's number.
    pub version_number: i64,
    /// The commenting unit, if a unit.
    pub from_unit_id: Option<i64>,
    /// Its name.
    pub from_unit_name: Option<String>,
    /// Who (a member, a retired leader, the unit's committee).
    pub author: String,
    /// Section ("Phần I, mục 2").
    pub section: Option<String>,
    /// The comment.
    pub body: String,
    /// Received on.
    pub received_on: Date,
}

/// A draft with its versions and comments.
#[derive(Debug, Clone, Serialize)]
pub struct DraftRecord {
    /// The draft.
    pub draft: Draft,
    /// Versions, oldest first.
    pub versions: Vec<DraftVersion>,
    /// Comments, by version then arrival.
    pub comments: Vec<DraftComment>,
}

/// A comment to record.
#[derive(Debug, Clone)]
pub struct NewComment {
    /// The version.
    pub version_id: i64,
    /// Commenting unit.
    pub from_unit_id: Option<i64>,
    /// Author.
    pub author: String,
    /// Section.
    pub section: Option<String>,
    /// Text.
    pub body: String,
    /// Received on.
    pub received_on: Date,
}

/// A budget line in whole đồng.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetLine {
    /// Id.
    pub id: i64,
    /// Congress.
    pub congress_id: i64,
    /// Item.
    pub item: String,
    /// Planned cost.
    pub planned: i64,
    /// Actual cost, once known.
    pub actual: Option<i64>,
    /// Note.
    pub note: Option<String>,
    /// Version.
    pub version: i64,
}

fn draft_from_tuple(
    (id, congress_id, unit_path, kind, title): (i64, i64, String, String, String),
) -> Draft {
    Draft {
        id,
        congress_id,
        unit_path,
        kind: DraftKind::parse(&kind).unwrap_or(DraftKind::Other),
        title,
    }
}

fn money_rule(field: &'static str) -> StoreError {
    StoreError::rule(
        "bad_amount",
        field,
        "Số tiền phải là số đồng không âm.",
        "The amount must be a whole number of đồng, not negative.",
    )
}

impl Store {
    /// Sets up a subcommittee of a congress with its members and, when asked, the checklist of
    /// its kind with due dates counted back from the congress's first day.
    pub async fn create_subcommittee(
        &self,
        tx: &mut WriteTx,
        new: NewSubcommittee,
    ) -> Result<Subcommittee, StoreError> {
        let at = tx.at();
        let conn = tx.conn();
        let congress = congress_on(conn, new.congress_id).await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM subcommittees WHERE congress_id = $1 AND kind = $2")
                .bind(congress.id)
                .bind(new.kind.code())
                .fetch_optional(&mut *conn)
                .await?;
        if exists.is_some() {
            return Err(StoreError::rule(
                "duplicate_subcommittee",
                "kind",
                format!("Đại hội đã có {}.", new.kind.label_vi()),
                format!("The congress already has a {}.", new.kind.label_en().to_lowercase()),
            ));
        }
        let heads = new.members.iter().filter(|(_, _, role)| *role == SubRole::Head).count();
        if heads > 1 {
            return Err(StoreError::rule(
                "two_heads",
                "members",
                "Mỗi tiểu ban chỉ có một Trưởng Tiểu ban.",
                "A subcommittee has one head.",
            ));
        }
        let id = next_id(conn, "subcommittees").await?;
        sqlx::query(
            "INSERT INTO subcommittees (id, congress_id, unit_id, unit_path, kind, name, decision, created_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)",
        )
        .bind(id)
        .bind(congress.id)
        .bind(congress.unit_id)
        .bind(&congress.unit_path)
        .bind(new.kind.code())
        .bind(new.kind.label_vi())
        .bind(trimmed(new.decision.as_deref()))
        .bind(at)
        .execute(&mut *conn)
        .await?;
        // Head first, then deputies, then members, each in the order given.
        let mut members = new.members.clone();
        members.sort_by_key(|(_, _, role)| match role {
            SubRole::Head => 0,
            SubRole::Deputy => 1,
            SubRole::Member => 2,
        });
        for (position, (name, title, role)) in members.iter().enumerate() {
            let name = vn::nfc(name.trim());
            if name.is_empty() {
                continue;
            }
            let member_id = next_id(conn, "subcommittee_members").await?;
            sqlx::query(
                "INSERT INTO subcommittee_members (id, subcommittee_id, position, full_name, title, role) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(member_id)
            .bind(id)
            .bind(position as i64 + 1)
            .bind(&name)
            .bind(trimmed(title.as_deref()))
            .bind(role.code())
            .execute(&mut *conn)
            .await?;
        }
        if new.prefill {
            let start = congress_start(conn, congress.id).await?;
            for (position, template) in templates_for(new.kind).enumerate() {
                let task_id = next_id(conn, "prep_tasks").await?;
                sqlx::query(
                    "INSERT INTO prep_tasks (id, subcommittee_id, congress_id, unit_path, position, template, \
                     title, owner, due_on, status, done_on, updated_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, 'todo', NULL, $9, 1)",
                )
                .bind(task_id)
                .bind(id)
                .bind(congress.id)
                .bind(&congress.unit_path)
                .bind(position as i64 + 1)
                .bind(template.code)
                .bind(template.vi)
                .bind(date_text(start.map(|start| due_date(template, start))))
                .bind(at)
                .execute(&mut *conn)
                .await?;
            }
        }
        let subcommittee = subcommittee_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("subcommittee.create", "subcommittee", id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(&subcommittee),
        )
        .await?;
        Ok(subcommittee)
    }

    /// The subcommittees of a congress, with members and tasks.
    pub async fn subcommittees(&self, congress_id: i64) -> Result<Vec<Subcommittee>, StoreError> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM subcommittees WHERE congress_id = $1 ORDER BY id")
                .bind(congress_id)
                .fetch_all(self.pool())
                .await?;
        let mut conn = self.pool().acquire().await?;
        let mut out = Vec::new();
        for id in ids {
            out.push(subcommittee_on(&mut conn, id).await?);
        }
        Ok(out)
    }

    /// One subcommittee.
    pub async fn subcommittee(&self, id: i64) -> Result<Subcommittee, StoreError> {
        let mut conn = self.pool().acquire().await?;
        subcommittee_on(&mut conn, id).await
    }

    /// Adds a task to a subcommittee's checklist.
    pub async fn add_task(
        &self,
        tx: &mut WriteTx,
        subcommittee_id: i64,
        title: &str,
        owner: Option<&str>,
        due_on: Option<Date>,
    ) -> Result<Task, StoreError> {
        let title = vn::nfc(title.trim());
        if title.is_empty() {
            return Err(StoreError::rule(
                "empty_title",
                "title",
                "Hãy nhập nội dung công việc.",
                "Enter the task.",
            ));
        }
        let at = tx.at();
        let conn = tx.conn();
        let subcommittee = subcommittee_on(conn, subcommittee_id).await?;
        let position: Option<i64> =
            sqlx::query_scalar("SELECT MAX(position) FROM prep_tasks WHERE subcommittee_id = $1")
                .bind(subcommittee.id)
                .fetch_one(&mut *conn)
                .await?;
        let id = next_id(conn, "prep_tasks").await?;
        sqlx::query(
            "INSERT INTO prep_tasks (id, subcommittee_id, congress_id, unit_path, position, template, \
             title, owner, due_on, status, done_on, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, 'todo', NULL, $9, 1)",
        )
        .bind(id)
        .bind(subcommittee.id)
        .bind(subcommittee.congress_id)
        .bind(&subcommittee.unit_path)
        .bind(position.unwrap_or(0) + 1)
        .bind(&title)
        .bind(trimmed(owner))
        .bind(date_text(due_on))
        .bind(at)
        .execute(&mut *conn)
        .await?;
        let task = task_on(conn, id).await?;
        let unit_id: i64 = sqlx::query_scalar("SELECT unit_id FROM subcommittees WHERE id = $1")
            .bind(subcommittee.id)
            .fetch_one(&mut *conn)
            .await?;
        tx.audit(
            AuditRecord::new("task.create", "task", id)
                .in_unit(unit_id, &subcommittee.unit_path)
                .after(&task),
        )
        .await?;
        Ok(task)
    }

    /// One task.
    pub async fn task(&self, id: i64) -> Result<Task, StoreError> {
        let mut conn = self.pool().acquire().await?;
        task_on(&mut conn, id).await
    }

    /// Changes a task's status, owner and due date; `today` stamps completion.
    pub async fn update_task(
        &self,
        tx: &mut WriteTx,
        id: i64,
        edit: TaskEdit,
        today: Date,
    ) -> Result<Task, StoreError> {
        let at = tx.at();
        let conn = tx.conn();
        let before = task_on(conn, id).await?;
        if before.version != edit.version {
            return Err(StoreError::Stale);
        }
        let done_on = match (edit.status, before.done_on) {
            (TaskStatus::Done, Some(day)) => Some(day),
            (TaskStatus::Done, None) => Some(today),
            _ => None,
        };
        sqlx::query(
            "UPDATE prep_tasks SET status = $1, owner = $2, due_on = $3, done_on = $4, updated_at = $5, \
             version = version + 1 WHERE id = $6 AND version = $7",
        )
        .bind(edit.status.code())
        .bind(trimmed(edit.owner.as_deref()))
        .bind(date_text(edit.due_on))
        .bind(date_text(done_on))
        .bind(at)
        .bind(id)
        .bind(edit.version)
        .execute(&mut *conn)
        .await?;
        let after = task_on(conn, id).await?;
        let unit_id: i64 = sqlx::query_scalar("SELECT unit_id FROM congresses WHERE id = $1")
            .bind(after.congress_id)
            .fetch_one(&mut *conn)
            .await?;
        tx.audit(
            AuditRecord::new("task.update", "task", id)
                .in_unit(unit_id, &after.unit_path)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(after)
    }

    /// Tasks not done whose due date is before `today`, in these subtrees (all when empty),
    /// the longest overdue first.
    pub async fn overdue_tasks(
        &self,
        subtree_paths: &[String],
        today: Date,
        limit: i64,
    ) -> Result<Vec<OverdueTask>, StoreError> {
        let mut binds = vec![date_text(Some(today)).unwrap_or_default()];
        let mut where_clause =
            "t.status <> 'done' AND t.due_on IS NOT NULL AND t.due_on < $1".to_string();
        if let Some(condition) = subtree_condition("t.unit_path", subtree_paths, &mut binds) {
            where_clause.push_str(" AND ");
            where_clause.push_str(&condition);
        }
        let columns: String =
            TASK_COLUMNS.split(", ").map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", ");
        let mut query = sqlx::query(sqlf!(
            "SELECT {columns}, s.name AS sub_name, c.title AS congress_title FROM prep_tasks t \
             JOIN subcommittees s ON s.id = t.subcommittee_id JOIN congresses c ON c.id = t.congress_id \
             WHERE {where_clause} ORDER BY t.due_on, t.id LIMIT {}",
            limit.clamp(1, 1000)
        ));
        for bind in &binds {
            query = query.bind(bind);
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|row| {
                Ok(OverdueTask {
                    task: task_from_row(row)?,
                    subcommittee: row.try_get("sub_name")?,
                    congress_title: row.try_get("congress_title")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    // -----------------------------------------------------------------------------------------
    // Drafts

    /// Starts a draft with its first version.
    pub async fn create_draft(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        kind: DraftKind,
        title: &str,
        prepared_on: Date,
    ) -> Result<DraftRecord, StoreError> {
        let title = vn::nfc(title.trim());
        let title = if title.is_empty() { kind.label_vi().to_string() } else { title };
        let at = tx.at();
        let conn = tx.conn();
        let congress = congress_on(conn, congress_id).await?;
        let id = next_id(conn, "drafts").await?;
        sqlx::query(
            "INSERT INTO drafts (id, congress_id, unit_id, unit_path, kind, title, created_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1)",
        )
        .bind(id)
        .bind(congress.id)
        .bind(congress.unit_id)
        .bind(&congress.unit_path)
        .bind(kind.code())
        .bind(&title)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        insert_version(conn, id, "Dự thảo lần 1", prepared_on, None, at).await?;
        let record = draft_record_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("draft.create", "draft", id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(&record.draft),
        )
        .await?;
        Ok(record)
    }

    /// Adds the next version of a draft.
    pub async fn add_draft_version(
        &self,
        tx: &mut WriteTx,
        draft_id: i64,
        label: &str,
        prepared_on: Date,
        note: Option<&str>,
    ) -> Result<DraftVersion, StoreError> {
        let at = tx.at();
        let conn = tx.conn();
        let record = draft_record_on(conn, draft_id).await?;
        let label = vn::nfc(label.trim());
        let label = if label.is_empty() {
            format!("Dự thảo lần {}", record.versions.len() + 1)
        } else {
            label
        };
        if record.versions.last().is_some_and(|last| prepared_on < last.prepared_on) {
            return Err(StoreError::rule(
                "version_date",
                "prepared_on",
                "Ngày của bản dự thảo mới không được trước bản trước.",
                "A new version cannot be dated before the previous one.",
            ));
        }
        let version =
            insert_version(conn, draft_id, &label, prepared_on, trimmed(note), at).await?;
        let unit_id: i64 = sqlx::query_scalar("SELECT unit_id FROM drafts WHERE id = $1")
            .bind(draft_id)
            .fetch_one(&mut *conn)
            .await?;
        tx.audit(
            AuditRecord::new("draft.version", "draft", draft_id)
                .in_unit(unit_id, &record.draft.unit_path)
                .after(&version),
        )
        .await?;
        Ok(version)
    }

    /// Records a comment on a version of a draft. A commenting unit must be in the subtree of
    /// the congress's unit.
    pub async fn add_draft_comment(
        &self,
        tx: &mut WriteTx,
        draft_id: i64,
        comment: NewComment,
    ) -> Result<DraftComment, StoreError> {
        let body = vn::nfc(comment.body.trim());
        if body.is_empty() {
            return Err(StoreError::rule(
                "empty_body",
                "body",
                "Hãy nhập nội dung góp ý.",
                "Enter the comment.",
            ));
        }
        let author = vn::nfc(comment.author.trim());
        let at = tx.at();
        let conn = tx.conn();
        let record = draft_record_on(conn, draft_id).await?;
        if !record.versions.iter().any(|v| v.id == comment.version_id) {
            return Err(StoreError::rule(
                "bad_version",
                "version_id",
                "Hãy chọn bản dự thảo được góp ý.",
                "Choose the version commented on.",
            ));
        }
        let author = match comment.from_unit_id {
            Some(unit_id) => {
                let unit = unit_on(conn, unit_id).await?;
                if !unit.path.starts_with(&record.draft.unit_path) {
                    return Err(StoreError::rule(
                        "outside_subtree",
                        "from_unit_id",
                        "Đơn vị góp ý phải trực thuộc đơn vị tổ chức đại hội.",
                        "The commenting unit must be under the congress's unit.",
                    ));
                }
                if author.is_empty() { unit.name.clone() } else { author }
            }
            None if author.is_empty() => {
                return Err(StoreError::rule(
                    "empty_author",
                    "author",
                    "Hãy nhập người hoặc đơn vị góp ý.",
                    "Enter who commented.",
                ));
            }
            None => author,
        };
        let id = next_id(conn, "draft_comments").await?;
        sqlx::query(
            "INSERT INTO draft_comments (id, draft_id, version_id, from_unit_id, author, section, body, \
             received_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(draft_id)
        .bind(comment.version_id)
        .bind(comment.from_unit_id)
        .bind(&author)
        .bind(trimmed(comment.section.as_deref()))
        .bind(&body)
        .bind(date_text(Some(comment.received_on)))
        .bind(at)
        .execute(&mut *conn)
        .await?;
        let record = draft_record_on(conn, draft_id).await?;
        let stored =
            record.comments.into_iter().find(|c| c.id == id).ok_or(StoreError::NotFound)?;
        let unit_id: i64 = sqlx::query_scalar("SELECT unit_id FROM drafts WHERE id = $1")
            .bind(draft_id)
            .fetch_one(&mut *conn)
            .await?;
        tx.audit(
            AuditRecord::new("draft.comment", "draft", draft_id)
                .in_unit(unit_id, &record.draft.unit_path)
                .after(&stored),
        )
        .await?;
        Ok(stored)
    }

    /// The drafts of a congress.
    pub async fn drafts(&self, congress_id: i64) -> Result<Vec<Draft>, StoreError> {
        let rows: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
            "SELECT id, congress_id, unit_path, kind, title FROM drafts WHERE congress_id = $1 ORDER BY id",
        )
        .bind(congress_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(draft_from_tuple).collect())
    }

    /// A draft with its versions and comments.
    pub async fn draft(&self, id: i64) -> Result<DraftRecord, StoreError> {
        let mut conn = self.pool().acquire().await?;
        draft_record_on(&mut conn, id).await
    }

    // -----------------------------------------------------------------------------------------
    // Budget

    /// Adds a budget line.
    pub async fn add_budget_line(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        item: &str,
        planned: i64,
        actual: Option<i64>,
        note: Option<&str>,
    ) -> Result<BudgetLine, StoreError> {
        let item = vn::nfc(item.trim());
        if item.is_empty() {
            return Err(StoreError::rule(
                "empty_item",
                "item",
                "Hãy nhập khoản chi.",
                "Enter the cost item.",
            ));
        }
        if planned < 0 {
            return Err(money_rule("planned"));
        }
        if actual.is_some_and(|a| a < 0) {
            return Err(money_rule("actual"));
        }
        let at = tx.at();
        let conn = tx.conn();
        let congress = congress_on(conn, congress_id).await?;
        let position: Option<i64> =
            sqlx::query_scalar("SELECT MAX(position) FROM budget_lines WHERE congress_id = $1")
                .bind(congress.id)
                .fetch_one(&mut *conn)
                .await?;
        let id = next_id(conn, "budget_lines").await?;
        sqlx::query(
            "INSERT INTO budget_lines (id, congress_id, unit_path, position, item, planned, actual, note, \
             updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)",
        )
        .bind(id)
        .bind(congress.id)
        .bind(&congress.unit_path)
        .bind(position.unwrap_or(0) + 1)
        .bind(&item)
        .bind(planned)
        .bind(actual)
        .bind(trimmed(note))
        .bind(at)
        .execute(&mut *conn)
        .await?;
        let line = budget_line_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("budget.add", "budget_line", id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(&line),
        )
        .await?;
        Ok(line)
    }

    /// Records the actual cost of a budget line (`None`: not known yet).
    pub async fn set_budget_actual(
        &self,
        tx: &mut WriteTx,
        line_id: i64,
        actual: Option<i64>,
        version: i64,
    ) -> Result<BudgetLine, StoreError> {
        if actual.is_some_and(|a| a < 0) {
            return Err(money_rule("actual"));
        }
        let at = tx.at();
        let conn = tx.conn();
        let before = budget_line_on(conn, line_id).await?;
        if before.version != version {
            return Err(StoreError::Stale);
        }
        sqlx::query(
            "UPDATE budget_lines SET actual = $1, updated_at = $2, version = version + 1 \
             WHERE id = $3 AND version = $4",
        )
        .bind(actual)
        .bind(at)
        .bind(line_id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
        let after = budget_line_on(conn, line_id).await?;
        let congress = congress_on(conn, after.congress_id).await?;
        tx.audit(
            AuditRecord::new("budget.update", "budget_line", line_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(after)
    }

    /// One budget line.
    pub async fn budget_line(&self, id: i64) -> Result<BudgetLine, StoreError> {
        let mut conn = self.pool().acquire().await?;
        budget_line_on(&mut conn, id).await
    }

    /// The budget of a congress, in order.
    pub async fn budget(&self, congress_id: i64) -> Result<Vec<BudgetLine>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM budget_lines WHERE congress_id = $1 ORDER BY position, id",
        )
        .bind(congress_id)
        .fetch_all(self.pool())
        .await?;
        let mut conn = self.pool().acquire().await?;
        let mut out = Vec::new();
        for id in ids {
            out.push(budget_line_on(&mut conn, id).await?);
        }
        Ok(out)
    }

    /// The congress a preparation record belongs to, for scope checks.
    pub async fn prep_congress(&self, congress_id: i64) -> Result<Congress, StoreError> {
        self.congress(congress_id).await
    }

    /// Pins the day tasks are judged against (a demo or a training copy of a past campaign);
    /// `None` returns to the real date.
    pub async fn set_preparation_as_of(
        &self,
        tx: &mut WriteTx,
        day: Option<Date>,
    ) -> Result<(), StoreError> {
        let conn = tx.conn();
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(AS_OF_SETTING)
            .execute(&mut *conn)
            .await?;
        if let Some(text) = date_text(day) {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
                .bind(AS_OF_SETTING)
                .bind(&text)
                .execute(&mut *conn)
                .await?;
        }
        tx.audit(
            AuditRecord::new("settings.update", "setting", AS_OF_SETTING)
                .after(serde_json::json!({ "value": date_text(day) })),
        )
        .await?;
        Ok(())
    }

    /// The congress of `unit_id` for the term starting in `term_start`, read inside a write
    /// (the demo finds a congress an earlier step of the same load may have written).
    pub async fn congress_for_term(
        &self,
        tx: &mut WriteTx,
        unit_id: i64,
        term_start: i64,
    ) -> Result<Option<Congress>, StoreError> {
        let conn = tx.conn();
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(id) FROM congresses WHERE unit_id = $1 AND term_start = $2",
        )
        .bind(unit_id)
        .bind(term_start)
        .fetch_one(&mut *conn)
        .await?;
        match id {
            Some(id) => Ok(Some(congress_on(conn, id).await?)),
            None => Ok(None),
        }
    }

    /// The pinned day tasks are judged against, if any.
    pub async fn preparation_as_of(&self) -> Result<Option<Date>, StoreError> {
        Ok(parse_date(self.setting(AS_OF_SETTING).await?))
    }
}

/// The settings key of the day preparation tasks are judged against.
pub const AS_OF_SETTING: &str = "preparation.as_of";

async fn insert_version(
    conn: &mut AnyConnection,
    draft_id: i64,
    label: &str,
    prepared_on: Date,
    note: Option<String>,
    at: i64,
) -> Result<DraftVersion, StoreError> {
    let number: Option<i64> =
        sqlx::query_scalar("SELECT MAX(number) FROM draft_versions WHERE draft_id = $1")
            .bind(draft_id)
            .fetch_one(&mut *conn)
            .await?;
    let number = number.unwrap_or(0) + 1;
    let id = next_id(conn, "draft_versions").await?;
    sqlx::query(
        "INSERT INTO draft_versions (id, draft_id, number, label, prepared_on, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(draft_id)
    .bind(number)
    .bind(label)
    .bind(date_text(Some(prepared_on)))
    .bind(&note)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(DraftVersion { id, number, label: label.to_string(), prepared_on, note })
}

async fn draft_record_on(conn: &mut AnyConnection, id: i64) -> Result<DraftRecord, StoreError> {
    let draft: (i64, i64, String, String, String) =
        sqlx::query_as("SELECT id, congress_id, unit_path, kind, title FROM drafts WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    type VersionRow = (i64, i64, String, Option<String>, Option<String>);
    let versions: Vec<VersionRow> = sqlx::query_as(
        "SELECT id, number, label, prepared_on, note FROM draft_versions WHERE draft_id = $1 ORDER BY number",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let versions: Vec<DraftVersion> = versions
        .into_iter()
        .map(|(id, number, label, prepared_on, note)| DraftVersion {
            id,
            number,
            label,
            prepared_on: parse_date(prepared_on).unwrap_or(Date::MIN),
            note,
        })
        .collect();
    let rows = sqlx::query(
        "SELECT c.id, c.version_id, v.number, c.from_unit_id, u.name AS unit_name, c.author, c.section, \
         c.body, c.received_on FROM draft_comments c JOIN draft_versions v ON v.id = c.version_id \
         LEFT JOIN units u ON u.id = c.from_unit_id WHERE c.draft_id = $1 ORDER BY v.number, c.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let comments = rows
        .iter()
        .map(|row| {
            Ok(DraftComment {
                id: row.try_get("id")?,
                version_id: row.try_get("version_id")?,
                version_number: row.try_get("number")?,
                from_unit_id: row.try_get("from_unit_id")?,
                from_unit_name: row.try_get("unit_name")?,
                author: row.try_get("author")?,
                section: row.try_get("section")?,
                body: row.try_get("body")?,
                received_on: parse_date(row.try_get("received_on")?).unwrap_or(Date::MIN),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(DraftRecord { draft: draft_from_tuple(draft), versions, comments })
}

async fn budget_line_on(conn: &mut AnyConnection, id: i64) -> Result<BudgetLine, StoreError> {
    let (id, congress_id, item, planned, actual, note, version): (
        i64,
        i64,
        String,
        i64,
        Option<i64>,
        Option<String>,
        i64,
    ) = sqlx::query_as(
        "SELECT id, congress_id, item, planned, actual, note, version FROM budget_lines WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(BudgetLine { id, congress_id, item, planned, actual, note, version })
}
