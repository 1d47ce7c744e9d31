//! daihoi-demo: data to try the product with. `load_demo` writes the Điện Biên Phủ city party
//! organisation of early 2020 and one account per role; the data is fixed, so every newcomer
//! sees the same campaign.

use daihoi_core::access::Role;
use daihoi_core::unit::UnitKind;
use daihoi_store::{Actor, NewUnit, Store, StoreError};

/// The password of every demo account (printed by `daihoi demo`).
pub const DEMO_PASSWORD: &str = "daihoi-demo-2020";

/// A demo login: username, role and where it applies.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    /// Username.
    pub username: &'static str,
    /// Role, Vietnamese label.
    pub role_vi: &'static str,
    /// The unit the role covers.
    pub unit: String,
}

/// What the demo loaded.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    /// Units written.
    pub n_units: i64,
    /// Members written.
    pub n_members: i64,
    /// The accounts to log in with.
    pub logins: Vec<DemoLogin>,
}

fn unit(parent: Option<i64>, name: &str, kind: UnitKind, official: i64, abbrev: &str) -> NewUnit {
    NewUnit {
        parent_id: parent,
        name: name.into(),
        kind,
        issuer_abbrev: Some(abbrev.into()),
        declared_official: official,
        declared_probationary: 0,
        valid_from: None,
        valid_to: None,
        note: None,
        lineage: Vec::new(),
    }
}

/// The demo accounts, as `load_demo` creates them.
pub fn demo_logins() -> Vec<DemoLogin> {
    DEMO_ACCOUNTS
        .iter()
        .map(|(username, _, role, unit)| DemoLogin {
            username,
            role_vi: role.label_vi(),
            unit: (*unit).to_string(),
        })
        .collect()
}

const DEMO_ACCOUNTS: [(&str, &str, Role, &str); 5] = [
    ("admin", "Quản trị hệ thống", Role::Admin, "Ban Chấp hành Trung ương"),
    (
        "bantochuc",
        "Ban Tổ chức Thành ủy Điện Biên Phủ",
        Role::OrgBoard,
        "Đảng bộ thành phố Điện Biên Phủ",
    ),
    ("vanphong.himlam", "Văn phòng Đảng ủy phường Him Lam", Role::Clerk, "Đảng bộ phường Him Lam"),
    ("kiemphieu.himlam", "Ban kiểm phiếu phường Him Lam", Role::Counter, "Đảng bộ phường Him Lam"),
    ("xem", "Người xem (Thành ủy)", Role::Viewer, "Đảng bộ thành phố Điện Biên Phủ"),
];

/// Loads the demo into an empty database.
pub async fn load_demo(store: &Store) -> Result<DemoSummary, StoreError> {
    let actor = Actor::system("demo");
    let mut tx = store.begin_write(&actor).await?;
    let (central, _) = store
        .create_unit(&mut tx, unit(None, "Ban Chấp hành Trung ương", UnitKind::Central, 0, "TW"))
        .await?;
    let (province, _) = store
        .create_unit(
            &mut tx,
            unit(Some(central.id), "Đảng bộ tỉnh Điện Biên", UnitKind::Province, 40_000, "TU"),
        )
        .await?;
    let (city, _) = store
        .create_unit(
            &mut tx,
            unit(
                Some(province.id),
                "Đảng bộ thành phố Điện Biên Phủ",
                UnitKind::District,
                300,
                "TU",
            ),
        )
        .await?;
    let (him_lam, _) = store
        .create_unit(
            &mut tx,
            unit(Some(city.id), "Đảng bộ phường Him Lam", UnitKind::GrassrootsCommittee, 420, "ĐU"),
        )
        .await?;
    for (username, display, role, unit_name) in DEMO_ACCOUNTS {
        let target = [&central, &city, &him_lam]
            .into_iter()
            .find(|unit| unit.name == unit_name)
            .ok_or(StoreError::NotFound)?;
        let user = store.create_user(&mut tx, username, display, DEMO_PASSWORD, "vi").await?;
        store.grant_role(&mut tx, user.id, role, target.id).await?;
    }
    tx.commit().await?;
    Ok(DemoSummary { n_units: 4, n_members: 0, logins: demo_logins() })
}
