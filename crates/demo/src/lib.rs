//! daihoi-demo: data to try the product with. `load_demo` writes the Điện Biên Phủ city party
//! organisation of early 2020 (about 300 units and 7,000 members) and one account per role;
//! `generate` writes synthetic trees of any size, up to the national one. Both are
//! deterministic: the same seed gives the same data on every machine.

pub mod campaign;
pub mod dien_bien_phu;
pub mod documents;
pub mod generate;
pub mod him_lam;
pub mod muong_thanh;
pub mod people;
pub mod personnel;
pub mod rng;

use std::collections::HashMap;

use daihoi_core::access::Role;
use daihoi_core::unit::UnitKind;
use daihoi_store::{Actor, Bulk, BulkSource, BulkUnit, Store, StoreError, WriteTx};

use crate::dien_bien_phu::Node;
use crate::rng::Rng;

/// The password of every demo account (printed by `daihoi demo`).
pub const DEMO_PASSWORD: &str = "daihoi-demo-2020";

/// The seed of the demo's random choices. Changing it changes every demo member.
pub const DEMO_SEED: u64 = 2020;

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

/// The demo's units by name, for the steps that come after the tree (accounts, campaigns,
/// congresses) to find where they belong.
#[derive(Debug, Clone, Default)]
pub struct DemoTree {
    ids: HashMap<String, i64>,
    /// Units written.
    pub n_units: u64,
    /// Members written.
    pub n_members: u64,
}

impl DemoTree {
    /// The id of the demo unit with this exact name (names in the demo are unique).
    pub fn id(&self, name: &str) -> Result<i64, StoreError> {
        self.ids.get(name).copied().ok_or(StoreError::NotFound)
    }
}

/// Loads the demo into an empty database, in one transaction: the tree and rosters, then the
/// accounts. Later steps (the campaign, congresses) append here, each taking the tree.
pub async fn load_demo(store: &Store) -> Result<DemoSummary, StoreError> {
    let mut tx = store.begin_write(&Actor::system("demo")).await?;
    let tree = write_tree(store, &mut tx).await?;
    write_accounts(store, &mut tx, &tree).await?;
    tx.commit().await?;
    // The congresses of the city and of the Him Lam and Mường Thanh wards are written once, by
    // the congress day; the documents, personnel and campaign steps find them and add their part.
    him_lam::load(store, &tree).await?;
    muong_thanh::load(store, &tree).await?;
    let mut tx = store.begin_write(&Actor::system("demo")).await?;
    documents::write_documents(store, &mut tx, &tree).await?;
    personnel::load(store, &mut tx, &tree).await?;
    tx.commit().await?;
    campaign::write_campaign(store).await?;
    Ok(DemoSummary {
        n_units: tree.n_units as i64,
        n_members: tree.n_members as i64,
        logins: demo_logins(),
    })
}

async fn add_node(
    bulk: &mut Bulk,
    tx: &mut WriteTx,
    parent: i64,
    node: &Node,
    rng: &Rng,
    tree: &mut DemoTree,
) -> Result<(), StoreError> {
    // Depth-first with an explicit stack: async recursion would need boxing.
    let mut stack: Vec<(i64, &Node)> = vec![(parent, node)];
    while let Some((parent, node)) = stack.pop() {
        let unit = BulkUnit {
            issuer_abbrev: Some(node.issuer.to_string()),
            ..BulkUnit::new(node.name.clone(), node.kind)
        };
        let id = bulk.add_unit(tx, Some(parent), unit).await?;
        tree.ids.insert(node.name.clone(), id);
        for member in &node.named {
            bulk.add_member(tx, id, member.clone()).await?;
        }
        // One stream per unit, keyed by its place in the tree: adding a unit elsewhere does
        // not change anyone here.
        let mut unit_rng = rng.fork(id as u64);
        for _ in 0..node.size {
            let member = people::member(&mut unit_rng, node.mix, node.profile);
            bulk.add_member(tx, id, member).await?;
        }
        for child in node.children.iter().rev() {
            stack.push((id, child));
        }
    }
    Ok(())
}

/// Writes the tree and rosters: Central → Điện Biên province → the city and everything under it.
pub async fn write_tree(store: &Store, tx: &mut WriteTx) -> Result<DemoTree, StoreError> {
    let mut bulk = store.begin_bulk(tx, true).await?;
    let mut tree = DemoTree::default();
    let central_name = "Ban Chấp hành Trung ương";
    let central = bulk
        .add_unit(
            tx,
            None,
            BulkUnit {
                issuer_abbrev: Some("TW".into()),
                ..BulkUnit::new(central_name, UnitKind::Central)
            },
        )
        .await?;
    tree.ids.insert(central_name.into(), central);
    let province_name = "Đảng bộ tỉnh Điện Biên";
    let province = bulk
        .add_unit(
            tx,
            Some(central),
            BulkUnit {
                issuer_abbrev: Some("TU".into()),
                note: Some(
                    "Chỉ thành phố Điện Biên Phủ được nhập trong dữ liệu mẫu. \
                     (Only Điện Biên Phủ city is in the demo data.)"
                        .into(),
                ),
                ..BulkUnit::new(province_name, UnitKind::Province)
            },
        )
        .await?;
    tree.ids.insert(province_name.into(), province);
    let city = dien_bien_phu::city(DEMO_SEED);
    add_node(&mut bulk, tx, province, &city, &Rng::new(DEMO_SEED), &mut tree).await?;
    let summary = bulk
        .finish(
            tx,
            BulkSource {
                action: "tree.generate",
                file_name: "demo: Đảng bộ thành phố Điện Biên Phủ 2020".into(),
                sha256: None,
                rows: 0,
                unit_id: Some(central),
            },
        )
        .await?;
    tree.n_units = summary.units;
    tree.n_members = summary.members;
    Ok(tree)
}

/// Writes one account per role (password [`DEMO_PASSWORD`]) with its scope.
pub async fn write_accounts(
    store: &Store,
    tx: &mut WriteTx,
    tree: &DemoTree,
) -> Result<(), StoreError> {
    for (username, display, role, unit_name) in DEMO_ACCOUNTS {
        let unit_id = tree.id(unit_name)?;
        let user = store.create_user(tx, username, display, DEMO_PASSWORD, "vi").await?;
        store.grant_role(tx, user.id, role, unit_id).await?;
    }
    Ok(())
}
