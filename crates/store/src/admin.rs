//! Account administration: accounts page by page within a manager's scope, their grants with
//! unit names in one query, revoking a role and disabling or enabling an account — each change
//! audited like any other.

use daihoi_core::access::{Role, subtree_end};
use serde::Serialize;
use sqlx::Row;

use crate::audit::AuditRecord;
use crate::units::unit_on;
use crate::users::User;
use crate::{Page, Paged, Store, StoreError, WriteTx};

/// A grant with the name of its unit, for the accounts pages.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UserGrant {
    /// The account.
    pub user_id: i64,
    /// The role.
    pub role: Role,
    /// The root unit of the subtree.
    pub unit_id: i64,
    /// Its path.
    pub unit_path: String,
    /// Its name.
    pub unit_name: String,
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.lang, u.disabled";

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        lang: row.try_get("lang")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
    })
}

/// The condition "the user holds a grant on a unit inside one of these subtrees", with binds.
fn scope_condition(scope: &[String], binds: &mut Vec<String>) -> String {
    let mut alternatives = Vec::new();
    for path in scope {
        binds.push(path.clone());
        binds.push(subtree_end(path));
        alternatives.push(format!(
            "(n.path >= ${} AND n.path < ${})",
            binds.len() - 1,
            binds.len()
        ));
    }
    format!(
        "EXISTS (SELECT 1 FROM user_roles r JOIN units n ON n.id = r.unit_id \
         WHERE r.user_id = u.id AND ({}))",
        alternatives.join(" OR ")
    )
}

impl Store {
    /// One account by id.
    pub async fn user(&self, id: i64) -> Result<User, StoreError> {
        let row = sqlx::query(sqlf!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(user_from_row(&row)?)
    }

    /// Accounts by username, one page. With an empty `scope` every account; otherwise the
    /// accounts holding at least one grant inside these subtrees (paths).
    pub async fn users_page(
        &self,
        scope: &[String],
        page: Page,
    ) -> Result<Paged<User>, StoreError> {
        let mut binds = Vec::new();
        let where_clause = if scope.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", scope_condition(scope, &mut binds))
        };
        let mut count =
            sqlx::query_scalar::<_, i64>(sqlf!("SELECT COUNT(*) FROM users u {where_clause}"));
        let mut list = sqlx::query(sqlf!(
            "SELECT {USER_COLUMNS} FROM users u {where_clause} ORDER BY u.username LIMIT {} OFFSET {}",
            page.limit(),
            page.offset()
        ));
        for bind in &binds {
            count = count.bind(bind);
            list = list.bind(bind);
        }
        let total = count.fetch_one(self.pool()).await?;
        let rows = list.fetch_all(self.pool()).await?;
        let items = rows.iter().map(user_from_row).collect::<Result<_, _>>()?;
        Ok(Paged { items, total, page: page.number, page_size: page.size })
    }

    /// The grants of several accounts with their units' names, in one query.
    pub async fn grants_of_users(&self, user_ids: &[i64]) -> Result<Vec<UserGrant>, StoreError> {
        if user_ids.is_empty() {
            return Ok(Vec::new());
        }
        // Integers only: safe to inline.
        let list = user_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let rows = sqlx::query(sqlf!(
            "SELECT r.user_id, r.role, r.unit_id, n.path, n.name FROM user_roles r \
             JOIN units n ON n.id = r.unit_id WHERE r.user_id IN ({list}) \
             ORDER BY r.user_id, n.depth, n.name_key, r.role"
        ))
        .fetch_all(self.pool())
        .await?;
        let mut grants = Vec::new();
        for row in rows {
            let role: String = row.try_get("role")?;
            let Some(role) = Role::parse(&role) else { continue };
            grants.push(UserGrant {
                user_id: row.try_get("user_id")?,
                role,
                unit_id: row.try_get("unit_id")?,
                unit_path: row.try_get("path")?,
                unit_name: row.try_get("name")?,
            });
        }
        Ok(grants)
    }

    /// Takes a role over a unit's subtree away from an account.
    pub async fn revoke_role(
        &self,
        tx: &mut WriteTx,
        user_id: i64,
        role: Role,
        unit_id: i64,
    ) -> Result<(), StoreError> {
        let unit = unit_on(tx.conn(), unit_id).await?;
        let removed =
            sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2 AND unit_id = $3")
                .bind(user_id)
                .bind(role.code())
                .bind(unit_id)
                .execute(tx.conn())
                .await?
                .rows_affected();
        if removed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(
            AuditRecord::new("user.revoke", "user", user_id)
                .in_unit(unit_id, &unit.path)
                .before(serde_json::json!({ "role": role.code(), "unit_id": unit_id })),
        )
        .await?;
        Ok(())
    }

    /// Disables or enables an account. Disabling ends its sessions at once; its API tokens stop
    /// working too (they are refused while the account is disabled).
    pub async fn set_user_disabled(
        &self,
        tx: &mut WriteTx,
        user_id: i64,
        disabled: bool,
    ) -> Result<User, StoreError> {
        let row = sqlx::query(sqlf!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"))
            .bind(user_id)
            .fetch_optional(tx.conn())
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = user_from_row(&row)?;
        sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(user_id)
            .execute(tx.conn())
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(tx.conn())
                .await?;
        }
        let after = User { disabled, ..before.clone() };
        let action = if disabled { "user.disable" } else { "user.enable" };
        tx.audit(AuditRecord::new(action, "user", user_id).before(&before).after(&after)).await?;
        Ok(after)
    }
}
