//! Member rosters: one row per party member, the unit counts derived from them, and search
//! by name with Vietnamese-aware matching.

use daihoi_core::access::{path_ids, subtree_end};
use daihoi_core::member::{Education, MemberStatus, Membership, Sex, TheoryLevel};
use daihoi_core::vn;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::Date;

use crate::audit::AuditRecord;
use crate::rows::{date_text, parse_date};
use crate::units::{add_to_totals, next_id, prefix_end, unit_on};
use crate::{Page, Paged, Store, StoreError, WriteTx};

/// A member on a unit's roster.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    /// Id.
    pub id: i64,
    /// The unit (cell or grassroots unit) the member belongs to.
    pub unit_id: i64,
    /// That unit's path.
    pub unit_path: String,
    /// Full name as written.
    pub full_name: String,
    /// Birth date.
    pub birth_date: Option<Date>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Ethnicity (Kinh, Thái, Mông, …).
    pub ethnicity: Option<String>,
    /// Date joined the Party.
    pub joined_date: Option<Date>,
    /// Official or probationary.
    pub membership: Membership,
    /// Standing in party activity.
    pub status: MemberStatus,
    /// Professional education.
    pub education: Option<Education>,
    /// Political theory level.
    pub theory_level: Option<TheoryLevel>,
    /// Note.
    pub note: Option<String>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// The fields of a member as entered.
#[derive(Debug, Clone, Serialize)]
pub struct MemberInput {
    /// Full name.
    pub full_name: String,
    /// Birth date.
    pub birth_date: Option<Date>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Ethnicity.
    pub ethnicity: Option<String>,
    /// Date joined.
    pub joined_date: Option<Date>,
    /// Official or probationary.
    pub membership: Membership,
    /// Status.
    pub status: MemberStatus,
    /// Education.
    pub education: Option<Education>,
    /// Theory level.
    pub theory_level: Option<TheoryLevel>,
    /// Note.
    pub note: Option<String>,
}

/// Which members to list.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Only members of this unit itself.
    pub unit_id: Option<i64>,
    /// Only members inside these subtrees (paths).
    pub subtree_paths: Vec<String>,
    /// Name search, Vietnamese-aware ("ha" finds "Hà").
    pub query: Option<String>,
    /// Only official or only probationary members.
    pub membership: Option<Membership>,
    /// Only this status.
    pub status: Option<MemberStatus>,
    /// Only this sex.
    pub sex: Option<Sex>,
    /// Only this ethnicity (folded comparison).
    pub ethnicity: Option<String>,
}

/// How to sort members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MemberSort {
    /// Vietnamese name order.
    #[default]
    Name,
    /// Oldest first.
    BirthDate,
    /// Earliest joined first.
    Joined,
}

impl MemberSort {
    /// Parses the `sort` query parameter.
    pub fn parse(text: &str) -> MemberSort {
        match text {
            "birth_date" => MemberSort::BirthDate,
            "joined" => MemberSort::Joined,
            _ => MemberSort::Name,
        }
    }

    fn order_by(self, descending: bool) -> &'static str {
        match (self, descending) {
            (MemberSort::Name, false) => "name_key ASC, id ASC",
            (MemberSort::Name, true) => "name_key DESC, id DESC",
            (MemberSort::BirthDate, false) => "birth_date ASC, name_key ASC, id ASC",
            (MemberSort::BirthDate, true) => "birth_date DESC, name_key ASC, id ASC",
            (MemberSort::Joined, false) => "joined_date ASC, name_key ASC, id ASC",
            (MemberSort::Joined, true) => "joined_date DESC, name_key ASC, id ASC",
        }
    }
}

pub(crate) const MEMBER_COLUMNS: &str = "id, unit_id, unit_path, full_name, birth_date, sex, \
    ethnicity, joined_date, membership, status, education, theory_level, note, version";

pub(crate) fn member_from_row(row: &AnyRow) -> Result<Member, sqlx::Error> {
    let text = |name: &str| -> Result<Option<String>, sqlx::Error> { row.try_get(name) };
    let membership: String = row.try_get("membership")?;
    let status: String = row.try_get("status")?;
    Ok(Member {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        unit_path: row.try_get("unit_path")?,
        full_name: row.try_get("full_name")?,
        birth_date: parse_date(text("birth_date")?),
        sex: text("sex")?.and_then(|s| Sex::parse(&s)),
        ethnicity: text("ethnicity")?,
        joined_date: parse_date(text("joined_date")?),
        membership: Membership::parse(&membership).unwrap_or(Membership::Official),
        status: MemberStatus::parse(&status).unwrap_or(MemberStatus::Active),
        education: text("education")?.and_then(|s| Education::parse(&s)),
        theory_level: text("theory_level")?.and_then(|s| TheoryLevel::parse(&s)),
        note: text("note")?,
        version: row.try_get("version")?,
    })
}

/// The folded full name and the folded given name (the last word) of a name.
pub(crate) fn name_folds(full_name: &str) -> (String, String) {
    let folded = vn::fold(full_name);
    let given = folded.rsplit(' ').next().unwrap_or("").to_string();
    (folded, given)
}

/// Validates and normalises a member's fields.
pub fn validate_member(input: &MemberInput) -> Result<MemberInput, StoreError> {
    let mut clean = input.clone();
    clean.full_name =
        vn::nfc(input.full_name.split_whitespace().collect::<Vec<_>>().join(" ").as_str());
    if clean.full_name.is_empty() {
        return Err(StoreError::rule(
            "name_required",
            "full_name",
            "Họ và tên không được để trống.",
            "The full name is required.",
        ));
    }
    if clean.full_name.chars().count() > 120 {
        return Err(StoreError::rule(
            "name_too_long",
            "full_name",
            "Họ và tên dài quá 120 ký tự.",
            "The full name is longer than 120 characters.",
        ));
    }
    if let (Some(birth), Some(joined)) = (clean.birth_date, clean.joined_date)
        && joined <= birth
    {
        return Err(StoreError::rule(
            "joined_before_birth",
            "joined_date",
            "Ngày vào Đảng phải sau ngày sinh.",
            "The date joined must be after the birth date.",
        ));
    }
    clean.ethnicity = clean.ethnicity.map(|e| vn::nfc(e.trim())).filter(|e| !e.is_empty());
    clean.note = clean.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    Ok(clean)
}

/// Recounts a unit's roster and moves the difference into its and its ancestors' totals.
pub(crate) async fn recount_roster(
    conn: &mut AnyConnection,
    unit_id: i64,
) -> Result<(), StoreError> {
    let unit = unit_on(conn, unit_id).await?;
    let (size, official): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN membership = 'official' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM members WHERE unit_path = $1",
    )
    .bind(&unit.path)
    .fetch_one(&mut *conn)
    .await?;
    let (new_official, new_probationary) = if size > 0 {
        (official, size - official)
    } else {
        (unit.declared_official, unit.declared_probationary)
    };
    sqlx::query(
        "UPDATE units SET roster_size = $1, official_count = $2, probationary_count = $3 WHERE id = $4",
    )
    .bind(size)
    .bind(new_official)
    .bind(new_probationary)
    .bind(unit_id)
    .execute(&mut *conn)
    .await?;
    if !unit.retired {
        add_to_totals(
            conn,
            &path_ids(&unit.path),
            0,
            new_official - unit.official,
            new_probationary - unit.probationary,
        )
        .await?;
    }
    Ok(())
}

async fn member_on(conn: &mut AnyConnection, id: i64) -> Result<Member, StoreError> {
    let row = sqlx::query(sqlf!("SELECT {MEMBER_COLUMNS} FROM members WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(member_from_row(&row)?)
}

/// Adds the name-search conditions for `query` to a statement being built.
pub(crate) fn name_search_condition(query: &str, binds: &mut Vec<String>) -> Option<String> {
    let folded = vn::fold(query);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return None;
    }
    // Index-friendly matching: the typed text as the start of the full name ("nguyen van a"),
    // or a typed word as the start of the given name ("ha" finds every "Hà", "Hải") with any
    // other typed words as the start of the family name ("nguyen ha").
    binds.push(folded.clone());
    binds.push(prefix_end(&folded));
    let full = format!("(name_fold >= ${} AND name_fold < ${})", binds.len() - 1, binds.len());
    let last = words[words.len() - 1];
    binds.push(last.to_string());
    binds.push(prefix_end(last));
    let mut given =
        format!("(given_fold >= ${} AND given_fold < ${}", binds.len() - 1, binds.len());
    if words.len() > 1 {
        let first = words[0];
        binds.push(first.to_string());
        binds.push(prefix_end(first));
        given.push_str(&format!(
            " AND name_fold >= ${} AND name_fold < ${}",
            binds.len() - 1,
            binds.len()
        ));
    }
    // Words typed between the family and the given name must each start a word of the name
    // too: "nguyen van a" finds "Nguyễn Văn An" but not "Nguyễn Đức An". Checked on the rows
    // the index ranges above already chose; only letters and digits reach the LIKE pattern.
    for middle in words.iter().take(words.len().saturating_sub(1)).skip(1) {
        let middle: String = middle.chars().filter(char::is_ascii_alphanumeric).collect();
        if !middle.is_empty() {
            binds.push(format!("% {middle}%"));
            given.push_str(&format!(" AND (' ' || name_fold) LIKE ${}", binds.len()));
        }
    }
    given.push(')');
    Some(format!("({full} OR {given})"))
}

impl Store {
    /// One member.
    pub async fn member(&self, id: i64) -> Result<Member, StoreError> {
        let mut conn = self.pool().acquire().await?;
        member_on(&mut conn, id).await
    }

    /// Members matching a filter, one page, sorted server-side.
    pub async fn members(
        &self,
        filter: &MemberFilter,
        sort: MemberSort,
        descending: bool,
        page: Page,
    ) -> Result<Paged<Member>, StoreError> {
        let mut binds: Vec<String> = Vec::new();
        let mut conditions: Vec<String> = Vec::new();
        if let Some(unit_id) = filter.unit_id {
            // An integer, not user text: inlining it is safe and keeps every bind a string. A
            // unit's roster is read by its path (the `members_path` index), which every member
            // row of the unit carries.
            conditions.push(format!(
                "unit_path = (SELECT u.path FROM units u WHERE u.id = {unit_id}) AND unit_id = {unit_id}"
            ));
        }
        if !filter.subtree_paths.is_empty() {
            let mut alternatives = Vec::new();
            for path in &filter.subtree_paths {
                binds.push(path.clone());
                binds.push(subtree_end(path));
                alternatives.push(format!(
                    "(unit_path >= ${} AND unit_path < ${})",
                    binds.len() - 1,
                    binds.len()
                ));
            }
            conditions.push(format!("({})", alternatives.join(" OR ")));
        }
        if let Some(query) = &filter.query
            && let Some(condition) = name_search_condition(query, &mut binds)
        {
            conditions.push(condition);
        }
        if let Some(membership) = filter.membership {
            binds.push(membership.code().into());
            conditions.push(format!("membership = ${}", binds.len()));
        }
        if let Some(status) = filter.status {
            binds.push(status.code().into());
            conditions.push(format!("status = ${}", binds.len()));
        }
        if let Some(sex) = filter.sex {
            binds.push(sex.code().into());
            conditions.push(format!("sex = ${}", binds.len()));
        }
        if let Some(ethnicity) = &filter.ethnicity {
            binds.push(vn::nfc(ethnicity.trim()));
            conditions.push(format!("ethnicity = ${}", binds.len()));
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let count_sql = sqlf!("SELECT COUNT(*) FROM members {where_clause}");
        let list_sql = sqlf!(
            "SELECT {MEMBER_COLUMNS} FROM members {where_clause} ORDER BY {} LIMIT {} OFFSET {}",
            sort.order_by(descending),
            page.limit(),
            page.offset()
        );
        let mut count = sqlx::query_scalar::<_, i64>(count_sql);
        let mut list = sqlx::query(list_sql);
        for bind in &binds {
            count = count.bind(bind);
            list = list.bind(bind);
        }
        let total = count.fetch_one(self.pool()).await?;
        let rows = list.fetch_all(self.pool()).await?;
        let items = rows.iter().map(member_from_row).collect::<Result<_, _>>()?;
        Ok(Paged { items, total, page: page.number, page_size: page.size })
    }

    /// Adds a member to a unit's roster.
    pub async fn create_member(
        &self,
        tx: &mut WriteTx,
        unit_id: i64,
        input: &MemberInput,
    ) -> Result<Member, StoreError> {
        let input = validate_member(input)?;
        let at = tx.at();
        let conn = tx.conn();
        let unit = unit_on(conn, unit_id).await?;
        if unit.retired {
            return Err(StoreError::rule(
                "unit_retired",
                "unit",
                format!("Đơn vị “{}” đã giải thể.", unit.name),
                format!("The unit “{}” has been retired.", unit.name),
            ));
        }
        let id = next_id(conn, "members").await?;
        insert_member(conn, id, &unit.path, unit_id, &input, at).await?;
        recount_roster(conn, unit_id).await?;
        let member = member_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("member.create", "member", id)
                .in_unit(unit_id, &unit.path)
                .after(&member),
        )
        .await?;
        Ok(member)
    }

    /// Edits a member. `version` must be the version the user saw.
    pub async fn update_member(
        &self,
        tx: &mut WriteTx,
        id: i64,
        version: i64,
        input: &MemberInput,
    ) -> Result<Member, StoreError> {
        let input = validate_member(input)?;
        let at = tx.at();
        let conn = tx.conn();
        let before = member_on(conn, id).await?;
        if before.version != version {
            return Err(StoreError::Stale);
        }
        let (folded, given) = name_folds(&input.full_name);
        sqlx::query(
            "UPDATE members SET full_name = $1, name_fold = $2, given_fold = $3, name_key = $4, \
             birth_date = $5, sex = $6, ethnicity = $7, joined_date = $8, membership = $9, \
             status = $10, education = $11, theory_level = $12, note = $13, updated_at = $14, \
             version = version + 1 WHERE id = $15",
        )
        .bind(&input.full_name)
        .bind(&folded)
        .bind(&given)
        .bind(vn::person_name_key(&input.full_name))
        .bind(date_text(input.birth_date))
        .bind(input.sex.map(Sex::code))
        .bind(&input.ethnicity)
        .bind(date_text(input.joined_date))
        .bind(input.membership.code())
        .bind(input.status.code())
        .bind(input.education.map(Education::code))
        .bind(input.theory_level.map(TheoryLevel::code))
        .bind(&input.note)
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        recount_roster(conn, before.unit_id).await?;
        let after = member_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("member.update", "member", id)
                .in_unit(before.unit_id, &before.unit_path)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(after)
    }

    /// Removes a member from the roster (transferred out, deceased, expelled).
    pub async fn remove_member(
        &self,
        tx: &mut WriteTx,
        id: i64,
        version: i64,
        reason: &str,
    ) -> Result<(), StoreError> {
        let conn = tx.conn();
        let before = member_on(conn, id).await?;
        if before.version != version {
            return Err(StoreError::Stale);
        }
        sqlx::query("DELETE FROM members WHERE id = $1").bind(id).execute(&mut *conn).await?;
        recount_roster(conn, before.unit_id).await?;
        tx.audit(
            AuditRecord::new("member.remove", "member", id)
                .in_unit(before.unit_id, &before.unit_path)
                .before(&before)
                .after(serde_json::json!({ "reason": reason })),
        )
        .await?;
        Ok(())
    }
}

/// Inserts one member row (no recount, no audit): for single creates and bulk imports alike.
pub(crate) async fn insert_member(
    conn: &mut AnyConnection,
    id: i64,
    unit_path: &str,
    unit_id: i64,
    input: &MemberInput,
    at: i64,
) -> Result<(), StoreError> {
    let (folded, given) = name_folds(&input.full_name);
    sqlx::query(
        "INSERT INTO members (id, unit_id, unit_path, full_name, name_fold, given_fold, name_key, \
         birth_date, sex, ethnicity, joined_date, membership, status, education, theory_level, \
         note, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, 1)",
    )
    .bind(id)
    .bind(unit_id)
    .bind(unit_path)
    .bind(&input.full_name)
    .bind(&folded)
    .bind(&given)
    .bind(vn::person_name_key(&input.full_name))
    .bind(date_text(input.birth_date))
    .bind(input.sex.map(Sex::code))
    .bind(&input.ethnicity)
    .bind(date_text(input.joined_date))
    .bind(input.membership.code())
    .bind(input.status.code())
    .bind(input.education.map(Education::code))
    .bind(input.theory_level.map(TheoryLevel::code))
    .bind(&input.note)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_name_is_the_last_word_folded() {
        assert_eq!(name_folds("Nguyễn  Thị Hà"), ("nguyen thi ha".to_string(), "ha".to_string()));
    }
}
