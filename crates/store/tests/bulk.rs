//! Bulk writes and imports, run on every backend: all or nothing, counts and totals equal to a
//! recomputation, one audit entry per operation, scope respected.

use daihoi_core::access::{Access, Grant, Role};
use daihoi_core::member::{MemberStatus, Membership, Sex};
use daihoi_core::records::{
    Columns, MemberFile, MemberRecord, ParentRef, UnitFile, UnitRecord, UnitTarget,
};
use daihoi_core::unit::UnitKind;
use daihoi_store::testing::every_backend;
use daihoi_store::{
    Actor, AuditFilter, BulkSource, BulkUnit, ImportError, ImportScope, ImportSource, MemberInput,
    Page, Store, UnitSort,
};

fn member(name: &str, membership: Membership) -> MemberInput {
    MemberInput {
        full_name: name.into(),
        birth_date: None,
        sex: Some(Sex::Male),
        ethnicity: Some("Kinh".into()),
        joined_date: None,
        membership,
        status: MemberStatus::Active,
        education: None,
        theory_level: None,
        note: None,
    }
}

fn cell(name: &str, official: i64) -> BulkUnit {
    BulkUnit { declared_official: official, ..BulkUnit::new(name, UnitKind::Cell) }
}

/// Central → province → city → ward committee → two cells (one with a roster of 3).
async fn bulk_tree(store: &Store) -> Vec<i64> {
    let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
    let mut bulk = store.begin_bulk(&mut tx, true).await.unwrap();
    let central =
        bulk.add_unit(&mut tx, None, BulkUnit::new("Trung ương", UnitKind::Central)).await.unwrap();
    let province = bulk
        .add_unit(
            &mut tx,
            Some(central),
            BulkUnit::new("Đảng bộ tỉnh Điện Biên", UnitKind::Province),
        )
        .await
        .unwrap();
    let city = bulk
        .add_unit(
            &mut tx,
            Some(province),
            BulkUnit::new("Đảng bộ thành phố Điện Biên Phủ", UnitKind::District),
        )
        .await
        .unwrap();
    let ward = bulk
        .add_unit(
            &mut tx,
            Some(city),
            BulkUnit::new("Đảng bộ phường Him Lam", UnitKind::GrassrootsCommittee),
        )
        .await
        .unwrap();
    let cell_a = bulk.add_unit(&mut tx, Some(ward), cell("Chi bộ tổ dân phố 1", 0)).await.unwrap();
    let cell_b = bulk.add_unit(&mut tx, Some(ward), cell("Chi bộ tổ dân phố 2", 25)).await.unwrap();
    for (name, membership) in [
        ("Lò Văn Pâng", Membership::Official),
        ("Nguyễn Thị Hà", Membership::Official),
        ("Giàng A Páo", Membership::Probationary),
    ] {
        bulk.add_member(&mut tx, cell_a, member(name, membership)).await.unwrap();
    }
    let summary = bulk
        .finish(
            &mut tx,
            BulkSource {
                action: "tree.generate",
                file_name: "test".into(),
                sha256: None,
                rows: 9,
                unit_id: None,
            },
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(summary.units, 6);
    assert_eq!(summary.members, 3);
    assert_eq!(summary.unit_ids, Some((central, cell_b)));
    vec![central, province, city, ward, cell_a, cell_b]
}

#[tokio::test]
async fn a_bulk_tree_has_the_totals_of_a_recomputation() {
    for db in every_backend().await {
        let store = &db.store;
        let ids = bulk_tree(store).await;
        assert_eq!(
            store.consistency_problems().await.unwrap(),
            Vec::<String>::new(),
            "{}",
            db.label
        );
        let central = store.unit(ids[0]).await.unwrap();
        assert_eq!((central.sub_units, central.sub_official, central.sub_probationary), (5, 27, 1));
        let cell_a = store.unit(ids[4]).await.unwrap();
        assert_eq!((cell_a.roster_size, cell_a.official, cell_a.probationary), (3, 2, 1));
        assert_eq!(
            cell_a.path,
            format!("/{}/{}/{}/{}/{}/", ids[0], ids[1], ids[2], ids[3], ids[4])
        );
        // Word search rows and the rebuilt indexes work.
        let found = store.search_units("him lam", &[], false, 10).await.unwrap();
        assert_eq!(found.iter().map(|u| u.id).collect::<Vec<_>>(), vec![ids[3]], "{}", db.label);
        let children =
            store.children(ids[3], UnitSort::Name, false, false, Page::default()).await.unwrap();
        assert_eq!(children.total, 2);
        // One audit entry for the whole operation, and the chain holds.
        let entries = store.audit_entries(&AuditFilter::default(), Page::default()).await.unwrap();
        assert_eq!(entries.total, 1);
        assert_eq!(entries.items[0].action, "tree.generate");
        assert_eq!(entries.items[0].unit_id, Some(ids[0]));
        assert!(store.verify_audit().await.unwrap().is_ok());
        // A second bulk write adds to the rosters and totals by differences.
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let mut bulk = store.begin_bulk(&mut tx, true).await.unwrap();
        bulk.add_member(&mut tx, ids[5], member("Cầm Văn Chung", Membership::Official))
            .await
            .unwrap();
        let new_cell =
            bulk.add_unit(&mut tx, Some(ids[3]), cell("Chi bộ tổ dân phố 3", 4)).await.unwrap();
        bulk.add_member(&mut tx, new_cell, member("Tòng Thị Ơn", Membership::Probationary))
            .await
            .unwrap();
        let summary = bulk
            .finish(
                &mut tx,
                BulkSource {
                    action: "member.import",
                    file_name: "more.csv".into(),
                    sha256: Some("ab".into()),
                    rows: 3,
                    unit_id: None,
                },
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(summary.member_ids, Some((4, 5)));
        assert_eq!(
            store.consistency_problems().await.unwrap(),
            Vec::<String>::new(),
            "{}",
            db.label
        );
        let cell_b = store.unit(ids[5]).await.unwrap();
        assert_eq!(
            (cell_b.roster_size, cell_b.official),
            (1, 1),
            "the roster replaces 25 declared"
        );
        let central = store.unit(ids[0]).await.unwrap();
        assert_eq!((central.sub_units, central.sub_official, central.sub_probationary), (6, 3, 2));
        let entries = store.audit_entries(&AuditFilter::default(), Page::default()).await.unwrap();
        assert_eq!(entries.items[0].unit_id, Some(ids[3]), "placed at the deepest common unit");
    }
}

#[tokio::test]
async fn a_rolled_back_bulk_write_leaves_nothing() {
    for db in every_backend().await {
        let store = &db.store;
        let ids = bulk_tree(store).await;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let mut bulk = store.begin_bulk(&mut tx, true).await.unwrap();
        for index in 0..5_000 {
            bulk.add_member(
                &mut tx,
                ids[4],
                member(&format!("Người {index}"), Membership::Official),
            )
            .await
            .unwrap();
        }
        drop(bulk);
        drop(tx);
        let cell_a = store.unit(ids[4]).await.unwrap();
        assert_eq!(cell_a.roster_size, 3, "{}", db.label);
        assert_eq!(store.consistency_problems().await.unwrap(), Vec::<String>::new());
        let entries = store.audit_entries(&AuditFilter::default(), Page::default()).await.unwrap();
        assert_eq!(entries.total, 1);
    }
}

fn unit_record(
    row: u32,
    key: &str,
    parent: ParentRef,
    name: &str,
    kind: UnitKind,
    official: i64,
) -> UnitRecord {
    UnitRecord {
        row,
        key: Some(key.into()),
        parent,
        name: name.into(),
        kind,
        issuer_abbrev: None,
        declared_official: official,
        declared_probationary: 0,
        valid_from: None,
        valid_to: None,
        note: None,
    }
}

fn unit_columns() -> Columns {
    let mut columns = Columns::default();
    for (field, header) in [
        ("key", "Mã"),
        ("name", "Tên đơn vị"),
        ("kind", "Loại"),
        ("parent", "Đơn vị cấp trên"),
        ("official", "Số đảng viên chính thức"),
    ] {
        columns.insert(field, header);
    }
    columns
}

fn source(name: &str) -> ImportSource {
    ImportSource { file_name: name.into(), sha256: "00".into() }
}

#[tokio::test]
async fn a_units_import_with_one_bad_row_writes_nothing_then_the_fixed_file_writes_all() {
    for db in every_backend().await {
        let store = &db.store;
        let ids = bulk_tree(store).await;
        let city = ids[2];
        // Children before their committee, in any order; the last row breaks the Statute.
        let mut file = UnitFile {
            records: vec![
                unit_record(
                    2,
                    "c1",
                    ParentRef::Record(2),
                    "Chi bộ bản Noong Bua 1",
                    UnitKind::Cell,
                    20,
                ),
                unit_record(
                    3,
                    "c2",
                    ParentRef::Record(2),
                    "Chi bộ bản Noong Bua 2",
                    UnitKind::Cell,
                    15,
                ),
                unit_record(
                    4,
                    "nb",
                    ParentRef::Existing(city),
                    "Đảng bộ phường Noong Bua",
                    UnitKind::GrassrootsCommittee,
                    0,
                ),
                unit_record(5, "x", ParentRef::Record(0), "Chi bộ con", UnitKind::Cell, 5),
            ],
            columns: unit_columns(),
        };
        let scope = ImportScope::default();
        let check = store.check_unit_import(&file, &scope).await.unwrap();
        let problems: Vec<String> = check.problems.iter().map(|p| p.describe(false)).collect();
        assert_eq!(
            problems,
            [
                "Dòng 2, cột “Loại”: Chi bộ không có đơn vị trực thuộc, nhưng đơn vị này đang có 1 đơn vị trực thuộc.",
                "Dòng 5, cột “Đơn vị cấp trên”: Loại “Chi bộ” không thể trực thuộc “Chi bộ”.",
            ],
            "{}",
            db.label
        );
        let before = store.unit(city).await.unwrap();
        let outcome = store
            .import_units(&Actor::system("test"), &file, &scope, &source("u.csv"), &|_| {})
            .await;
        assert!(matches!(outcome, Err(ImportError::Rejected(ref p)) if p.len() == 2));
        assert_eq!(store.unit(city).await.unwrap().sub_units, before.sub_units);
        file.records.pop();
        let check = store.check_unit_import(&file, &scope).await.unwrap();
        assert!(check.problems.is_empty());
        let summary = store
            .import_units(&Actor::system("test"), &file, &scope, &source("u.csv"), &|_| {})
            .await
            .unwrap();
        assert_eq!(summary.units, 3);
        let after = store.unit(city).await.unwrap();
        assert_eq!(after.sub_units, before.sub_units + 3);
        assert_eq!(after.sub_official, before.sub_official + 35);
        assert_eq!(store.consistency_problems().await.unwrap(), Vec::<String>::new());
        let found = store.search_units("noong bua", &[], false, 10).await.unwrap();
        assert_eq!(found.len(), 3, "{}", db.label);
        let entries = store.audit_entries(&AuditFilter::default(), Page::default()).await.unwrap();
        assert_eq!(entries.items[0].action, "unit.import");
        assert_eq!(entries.items[0].unit_id, Some(city));
        assert!(entries.items[0].after_json.as_deref().unwrap_or("").contains("u.csv"));
    }
}

#[tokio::test]
async fn a_units_import_outside_the_importers_subtree_is_refused_without_revealing_it() {
    for db in every_backend().await {
        let store = &db.store;
        let ids = bulk_tree(store).await;
        let ward = store.unit(ids[3]).await.unwrap();
        let city = store.unit(ids[2]).await.unwrap();
        let access = Access::new(vec![Grant {
            role: Role::OrgBoard,
            unit_id: ward.id,
            unit_path: ward.path.clone(),
        }]);
        let file = UnitFile {
            records: vec![unit_record(
                2,
                "a",
                ParentRef::Existing(city.id),
                "Chi bộ A",
                UnitKind::GrassrootsCell,
                5,
            )],
            columns: unit_columns(),
        };
        let scope = ImportScope { access: Some(&access), under: Some(ward.id) };
        let check = store.check_unit_import(&file, &scope).await.unwrap();
        assert_eq!(
            check.problems[0].describe(true),
            format!(
                "Row 2, column “Đơn vị cấp trên”: There is no unit {} among the units you may edit.",
                city.id
            )
        );
        // Without a parent the row hangs under the unit imported under.
        let file = UnitFile {
            records: vec![unit_record(
                2,
                "a",
                ParentRef::Default,
                "Chi bộ tổ dân phố 9",
                UnitKind::Cell,
                5,
            )],
            columns: unit_columns(),
        };
        let actor = Actor::user(1, "bantochuc");
        store.import_units(&actor, &file, &scope, &source("a.xlsx"), &|_| {}).await.unwrap();
        assert_eq!(
            store.unit(ward.id).await.unwrap().sub_units,
            ward.sub_units + 1,
            "{}",
            db.label
        );
        let viewer = Access::new(vec![Grant {
            role: Role::Viewer,
            unit_id: ward.id,
            unit_path: ward.path.clone(),
        }]);
        let scope = ImportScope { access: Some(&viewer), under: Some(ward.id) };
        assert!(store.check_unit_import(&file, &scope).await.is_err(), "a viewer may not import");
    }
}

fn member_record(row: u32, unit: UnitTarget, name: &str, membership: Membership) -> MemberRecord {
    MemberRecord {
        row,
        unit,
        full_name: name.into(),
        birth_date: None,
        sex: Some(Sex::Female),
        ethnicity: None,
        joined_date: None,
        membership,
        status: MemberStatus::Active,
        education: None,
        theory_level: None,
        note: None,
    }
}

#[tokio::test]
async fn a_members_import_finds_cells_by_id_or_name_and_refuses_committees() {
    for db in every_backend().await {
        let store = &db.store;
        let ids = bulk_tree(store).await;
        let mut columns = Columns::default();
        columns.insert("full_name", "Họ và tên");
        columns.insert("unit", "Đơn vị");
        let mut file = MemberFile {
            records: vec![
                member_record(2, UnitTarget::Id(ids[5]), "Lường Thị Hiên", Membership::Official),
                member_record(
                    3,
                    UnitTarget::Name("Chi bộ tổ dân phố 1".into()),
                    "Vàng Thị Sông",
                    Membership::Probationary,
                ),
                member_record(4, UnitTarget::Id(ids[3]), "Quàng Văn Hặc", Membership::Official),
                member_record(
                    5,
                    UnitTarget::Name("Chi bộ không có".into()),
                    "Lò Văn Muôn",
                    Membership::Official,
                ),
                member_record(6, UnitTarget::Id(ids[5]), " ", Membership::Official),
            ],
            columns,
        };
        let scope = ImportScope::default();
        let check = store.check_member_import(&file, &scope).await.unwrap();
        let problems: Vec<String> = check.problems.iter().map(|p| p.describe(true)).collect();
        assert_eq!(
            problems,
            [
                "Row 4, column “Đơn vị”: “Đảng bộ phường Him Lam” is a grassroots committee, not a cell: members belong to cells.".to_string(),
                "Row 5, column “Đơn vị”: There is no unit named “Chi bộ không có” among the units you may edit.".to_string(),
                "Row 6, column “Họ và tên”: The full name is required.".to_string(),
            ],
            "{}",
            db.label
        );
        let outcome = store
            .import_members(&Actor::system("test"), &file, &scope, &source("m.csv"), &|_| {})
            .await;
        assert!(matches!(outcome, Err(ImportError::Rejected(_))));
        file.records.truncate(2);
        let summary = store
            .import_members(&Actor::system("test"), &file, &scope, &source("m.csv"), &|_| {})
            .await
            .unwrap();
        assert_eq!(summary.members, 2);
        assert_eq!(
            store.consistency_problems().await.unwrap(),
            Vec::<String>::new(),
            "{}",
            db.label
        );
        let cell_a = store.unit(ids[4]).await.unwrap();
        assert_eq!((cell_a.roster_size, cell_a.probationary), (4, 2));
        // Export pages walk the whole subtree in roster order, whatever the page size.
        let central = store.unit(ids[0]).await.unwrap();
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let (page, next) =
                store.subtree_members_page(&central.path, cursor.as_ref(), 2).await.unwrap();
            if page.is_empty() {
                break;
            }
            seen.extend(page.into_iter().map(|(member, unit)| (member.full_name, unit)));
            cursor = next;
        }
        assert_eq!(seen.len(), 5, "{}", db.label);
        assert_eq!(seen[0].1, "Chi bộ tổ dân phố 1");
        assert_eq!(seen[4], ("Lường Thị Hiên".to_string(), "Chi bộ tổ dân phố 2".to_string()));
        let units = store.subtree_units(ids[2]).await.unwrap();
        assert_eq!(units.iter().map(|u| u.id).collect::<Vec<_>>(), ids[2..].to_vec());
    }
}

/// On SQLite a bulk write's commit leaves the copy into the database file to a background
/// checkpoint: the rows are readable at once, and closing the store folds the WAL into the
/// file, so a fresh open finds them with no WAL left.
#[tokio::test]
async fn an_imported_file_is_in_the_database_file_once_the_store_closes() {
    let db = daihoi_store::testing::sqlite().await;
    let store = &db.store;
    let ids = bulk_tree(store).await;
    let mut columns = Columns::default();
    columns.insert("full_name", "Họ và tên");
    columns.insert("unit", "Đơn vị");
    let records: Vec<MemberRecord> = (0..500)
        .map(|i| {
            member_record(
                i + 2,
                UnitTarget::Id(ids[5]),
                &format!("Lò Văn Pắn {i}"),
                Membership::Official,
            )
        })
        .collect();
    let file = MemberFile { records, columns };
    let summary = store
        .import_members(
            &Actor::system("test"),
            &file,
            &ImportScope::default(),
            &source("m.csv"),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(summary.members, 500);
    // The cell had only declared figures (25 official): its roster replaces them.
    let cell = store.unit(ids[5]).await.unwrap();
    assert_eq!((cell.roster_size, cell.official), (500, 500));
    store.close().await;
    let path = db.url.strip_prefix("sqlite://").unwrap().to_string();
    let wal = std::fs::metadata(format!("{path}-wal")).map(|m| m.len()).unwrap_or(0);
    assert_eq!(wal, 0, "the WAL was not folded into the database file on close");
    let reopened = Store::connect(&db.url).await.unwrap();
    assert_eq!(reopened.unit(ids[5]).await.unwrap().roster_size, 500);
    assert_eq!(reopened.consistency_problems().await.unwrap(), Vec::<String>::new());
    reopened.close().await;
}
