//! Roles and what each may do. Scope (which subtree) is checked by the store; this module says
//! which actions a role allows inside its subtree.

use serde::{Deserialize, Serialize};

/// A role held over a subtree of units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị: everything, including accounts.
    Admin,
    /// Ban tổ chức: the unit tree, members, campaign and personnel.
    OrgBoard,
    /// Văn phòng cấp ủy: congress records, rosters, documents.
    Clerk,
    /// Ban kiểm phiếu: counting screens and rulings.
    Counter,
    /// Xem: read only.
    Viewer,
}

/// Something a user may want to do inside a subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See units, members and records.
    View,
    /// Create, edit, move and retire units; import units.
    EditUnits,
    /// Edit the member roster; import members.
    EditMembers,
    /// Prepare congresses: rosters, attendance, lists, ballots, documents.
    RunCongress,
    /// Enter ballots and rule on doubtful ballots.
    Count,
    /// Approve or return results of subordinate units (chuẩn y).
    Approve,
    /// Manage accounts and roles.
    ManageUsers,
    /// Read the audit log.
    ReadAudit,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 5] =
        [Role::Admin, Role::OrgBoard, Role::Clerk, Role::Counter, Role::Viewer];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::OrgBoard => "org_board",
            Role::Clerk => "clerk",
            Role::Counter => "counter",
            Role::Viewer => "viewer",
        }
    }

    /// Parses a stable code.
    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    /// Vietnamese name.
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::OrgBoard => "Ban tổ chức",
            Role::Clerk => "Văn phòng cấp ủy",
            Role::Counter => "Ban kiểm phiếu",
            Role::Viewer => "Người xem",
        }
    }

    /// English name.
    pub fn label_en(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::OrgBoard => "Organisation board",
            Role::Clerk => "Committee office",
            Role::Counter => "Counting committee",
            Role::Viewer => "Viewer",
        }
    }

    /// Whether this role allows `action` inside its subtree.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::OrgBoard => !matches!(action, ManageUsers),
            Role::Clerk => matches!(action, View | EditMembers | RunCongress | ReadAudit),
            // The counting committee sees the congress it counts and enters ballots; it does not
            // edit the roster (the credentials committee's decisions come through the clerk).
            Role::Counter => matches!(action, View | Count),
            Role::Viewer => matches!(action, View),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_viewers_only_view() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
            assert!(role.allows(Action::View));
        }
        assert!(!Role::Viewer.allows(Action::EditUnits));
        assert!(!Role::Counter.allows(Action::EditMembers));
        assert!(Role::Counter.allows(Action::Count));
        assert!(!Role::OrgBoard.allows(Action::ManageUsers));
        assert!(Role::Admin.allows(Action::ManageUsers));
    }
}

/// One role held over the subtree rooted at a unit, identified by the unit's path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// The root unit of the subtree.
    pub unit_id: i64,
    /// The root unit's materialised path (`/1/5/`): every unit in the subtree has a path that
    /// starts with it.
    pub unit_path: String,
}

/// What one user may do, and where. Built once per request from the user's grants.
#[derive(Debug, Clone, Default)]
pub struct Access {
    grants: Vec<Grant>,
}

impl Access {
    /// The access given by these grants.
    pub fn new(grants: Vec<Grant>) -> Access {
        Access { grants }
    }

    /// The grants, as given.
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    /// Whether the user may do `action` on the unit with this path.
    pub fn can(&self, action: Action, unit_path: &str) -> bool {
        self.grants
            .iter()
            .any(|grant| grant.role.allows(action) && unit_path.starts_with(&grant.unit_path))
    }

    /// Whether the user may do `action` anywhere at all (for menus).
    pub fn can_anywhere(&self, action: Action) -> bool {
        self.grants.iter().any(|grant| grant.role.allows(action))
    }

    /// The roots of the subtrees where the user may do `action`, with no root inside another.
    pub fn roots(&self, action: Action) -> Vec<&Grant> {
        let mut roots: Vec<&Grant> =
            self.grants.iter().filter(|grant| grant.role.allows(action)).collect();
        roots.sort_by_key(|grant| grant.unit_path.len());
        let mut kept: Vec<&Grant> = Vec::new();
        for grant in roots {
            if !kept.iter().any(|root| grant.unit_path.starts_with(&root.unit_path)) {
                kept.push(grant);
            }
        }
        kept
    }

    /// Whether this access holds the administrator role at the root of the tree.
    pub fn is_global_admin(&self) -> bool {
        self.grants
            .iter()
            .any(|grant| grant.role == Role::Admin && path_depth(&grant.unit_path) == 1)
    }
}

/// Depth of a materialised path: `/1/` is 1, `/1/5/` is 2.
pub fn path_depth(path: &str) -> usize {
    path.matches('/').count().saturating_sub(1)
}

/// The ids along a materialised path, root first: `/1/5/77/` gives `[1, 5, 77]`.
pub fn path_ids(path: &str) -> Vec<i64> {
    path.split('/').filter(|part| !part.is_empty()).filter_map(|part| part.parse().ok()).collect()
}

/// The exclusive upper bound of the paths in the subtree of `path` in byte order:
/// every descendant path `p` satisfies `path <= p < subtree_end(path)`.
pub fn subtree_end(path: &str) -> String {
    // Paths end with '/', and the byte after '/' is '0': replacing the final '/' by '0' bounds
    // every extension of the prefix, so subtree queries are index range scans on both backends.
    let mut end = path.trim_end_matches('/').to_string();
    end.push('0');
    end
}

#[cfg(test)]
mod scope_tests {
    use super::*;

    fn grant(role: Role, path: &str) -> Grant {
        Grant { role, unit_id: *path_ids(path).last().unwrap_or(&0), unit_path: path.into() }
    }

    #[test]
    fn a_grant_covers_its_subtree_only() {
        let access = Access::new(vec![grant(Role::OrgBoard, "/1/5/")]);
        assert!(access.can(Action::EditUnits, "/1/5/"));
        assert!(access.can(Action::EditUnits, "/1/5/77/"));
        assert!(!access.can(Action::View, "/1/"));
        assert!(!access.can(Action::View, "/1/55/"));
        assert!(!access.can(Action::View, "/1/6/"));
    }

    #[test]
    fn subtree_bounds_and_paths() {
        assert_eq!(path_ids("/1/5/77/"), vec![1, 5, 77]);
        assert_eq!(path_depth("/1/5/"), 2);
        let end = subtree_end("/1/5/");
        for inside in ["/1/5/", "/1/5/7/", "/1/5/999/3/"] {
            assert!(inside >= "/1/5/" && inside < end.as_str(), "{inside}");
        }
        for outside in ["/1/55/", "/1/6/", "/1/4/", "/1/50/"] {
            assert!(!(outside >= "/1/5/" && outside < end.as_str()), "{outside}");
        }
    }

    #[test]
    fn roots_drop_nested_grants() {
        let access =
            Access::new(vec![grant(Role::Viewer, "/1/5/77/"), grant(Role::Viewer, "/1/5/")]);
        let roots = access.roots(Action::View);
        assert_eq!(roots.len(), 1);
        assert_eq!(roots[0].unit_path, "/1/5/");
    }
}
