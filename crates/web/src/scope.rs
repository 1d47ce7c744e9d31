//! The access rule of every route, in one place: a record outside the caller's subtrees is
//! "not found" (its existence is not revealed), a record the caller may see but not change is
//! "forbidden".

use daihoi_core::access::{Access, Action};
use daihoi_store::{Member, Unit};

use crate::{AppError, AppState};

/// Checks that `access` allows `action` on the unit at `path`: 404 when the unit is outside
/// every subtree the caller may view, 403 when the caller may view it but not do `action`.
pub fn require(access: &Access, action: Action, path: &str) -> Result<(), AppError> {
    if !access.can(Action::View, path) {
        return Err(AppError::NotFound);
    }
    if !access.can(action, path) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// The unit `id`, if the caller may do `action` on it (see [`require`]).
pub async fn unit_for(
    state: &AppState,
    access: &Access,
    id: i64,
    action: Action,
) -> Result<Unit, AppError> {
    let unit = state.store.unit(id).await?;
    require(access, action, &unit.path)?;
    Ok(unit)
}

/// The member `id`, if the caller may do `action` on the member's unit.
pub async fn member_for(
    state: &AppState,
    access: &Access,
    id: i64,
    action: Action,
) -> Result<Member, AppError> {
    let member = state.store.member(id).await?;
    require(access, action, &member.unit_path)?;
    Ok(member)
}

/// The subtrees where a caller may do something: never empty, because the store reads an
/// empty list of paths as "no restriction".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subtrees(Vec<String>);

impl Subtrees {
    /// The roots of the subtrees where `access` allows `action`, none inside another; `None`
    /// when there is no such subtree (the caller must then show nothing).
    pub fn of(access: &Access, action: Action) -> Option<Subtrees> {
        let paths: Vec<String> =
            access.roots(action).iter().map(|grant| grant.unit_path.clone()).collect();
        (!paths.is_empty()).then_some(Subtrees(paths))
    }

    /// One subtree.
    pub fn single(path: &str) -> Subtrees {
        Subtrees(vec![path.to_string()])
    }

    /// The root paths.
    pub fn paths(&self) -> &[String] {
        &self.0
    }
}
