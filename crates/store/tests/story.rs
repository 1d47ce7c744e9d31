//! The storage story, run on every backend: the same calls must give the same results on
//! SQLite and on PostgreSQL.

use daihoi_core::access::Role;
use daihoi_core::member::{MemberStatus, Membership, Sex};
use daihoi_core::unit::UnitKind;
use daihoi_store::testing::every_backend;
use daihoi_store::{
    Actor, AuditFilter, MemberFilter, MemberInput, MemberSort, NewUnit, Page, Store, StoreError,
    UnitEdit, UnitSort,
};

fn new_unit(parent: Option<i64>, name: &str, kind: UnitKind, official: i64) -> NewUnit {
    NewUnit {
        parent_id: parent,
        name: name.into(),
        kind,
        issuer_abbrev: None,
        declared_official: official,
        declared_probationary: 0,
        valid_from: None,
        valid_to: None,
        note: None,
        lineage: Vec::new(),
    }
}

fn member(name: &str, membership: Membership) -> MemberInput {
    MemberInput {
        full_name: name.into(),
        birth_date: None,
        sex: Some(Sex::Female),
        ethnicity: Some("Thái".into()),
        joined_date: None,
        membership,
        status: MemberStatus::Active,
        education: None,
        theory_level: None,
        note: None,
    }
}

async fn build_tree(store: &Store) -> (i64, i64, i64, i64) {
    let actor = Actor::system("test");
    let mut tx = store.begin_write(&actor).await.unwrap();
    let (central, _) = store
        .create_unit(&mut tx, new_unit(None, "Trung ương", UnitKind::Central, 0))
        .await
        .unwrap();
    let (province, _) = store
        .create_unit(
            &mut tx,
            new_unit(Some(central.id), "Đảng bộ tỉnh Điện Biên", UnitKind::Province, 1000),
        )
        .await
        .unwrap();
    let (ward, _) = store
        .create_unit(
            &mut tx,
            new_unit(
                Some(province.id),
                "Đảng bộ phường Him Lam",
                UnitKind::GrassrootsCommittee,
                40,
            ),
        )
        .await
        .unwrap();
    let (cell, _) = store
        .create_unit(&mut tx, new_unit(Some(ward.id), "Chi bộ tổ dân phố 1", UnitKind::Cell, 12))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (central.id, province.id, ward.id, cell.id)
}

#[tokio::test]
async fn the_tree_keeps_subtree_totals_through_create_edit_move_and_retire() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let (central, province, ward, cell) = build_tree(store).await;
        let top = store.unit(central).await.unwrap();
        assert_eq!((top.sub_units, top.sub_official), (3, 1052), "{label}");

        // Editing a declared count moves the difference up the tree.
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let before = store.unit(cell).await.unwrap();
        let edit = UnitEdit {
            name: before.name.clone(),
            kind: before.kind,
            issuer_abbrev: before.issuer_abbrev.clone(),
            declared_official: 20,
            declared_probationary: 2,
            valid_from: None,
            valid_to: None,
            note: None,
        };
        store.update_unit(&mut tx, cell, before.version, edit.clone()).await.unwrap();
        tx.commit().await.unwrap();
        let province_now = store.unit(province).await.unwrap();
        assert_eq!(
            (province_now.sub_official, province_now.sub_probationary),
            (1060, 2),
            "{label}"
        );

        // A stale version is refused.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let stale = store.update_unit(&mut tx, cell, before.version, edit).await;
        assert!(matches!(stale, Err(StoreError::Stale)), "{label}");
        drop(tx);

        // A unit cannot move under itself.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let ward_now = store.unit(ward).await.unwrap();
        let cycle = store.move_unit(&mut tx, ward, ward_now.version, cell).await;
        assert!(
            matches!(
                cycle,
                Err(StoreError::Rule { code: "kind_not_allowed_under_parent" | "cycle", .. })
            ),
            "{label}: {cycle:?}"
        );
        drop(tx);

        // Nothing sits under a cell.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let under_cell =
            store.create_unit(&mut tx, new_unit(Some(cell), "X", UnitKind::Cell, 5)).await;
        match under_cell {
            Err(StoreError::Rule { code, message_vi, .. }) => {
                assert_eq!(code, "kind_not_allowed_under_parent", "{label}");
                assert!(message_vi.contains("Chi bộ"), "{label}: {message_vi}");
            }
            other => panic!("{label}: expected a rule error, got {other:?}"),
        }
        drop(tx);
        // The refused change left nothing behind.
        let cell_now = store.unit(cell).await.unwrap();
        assert_eq!(cell_now.sub_units, 0, "{label}");

        // Move the ward to a second province: totals follow it.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let (other, _) = store
            .create_unit(
                &mut tx,
                new_unit(Some(central), "Đảng bộ tỉnh Lai Châu", UnitKind::Province, 500),
            )
            .await
            .unwrap();
        let ward_now = store.unit(ward).await.unwrap();
        let moved = store.move_unit(&mut tx, ward, ward_now.version, other.id).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(moved.path, format!("/{central}/{}/{ward}/", other.id), "{label}");
        let cell_now = store.unit(cell).await.unwrap();
        assert!(cell_now.path.starts_with(&moved.path), "{label}");
        let first = store.unit(province).await.unwrap();
        let second = store.unit(other.id).await.unwrap();
        assert_eq!((first.sub_units, first.sub_official), (0, 1000), "{label}");
        assert_eq!((second.sub_units, second.sub_official), (2, 560), "{label}");

        // Retiring needs an empty subtree; then the totals drop.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let ward_now = store.unit(ward).await.unwrap();
        let refused = store
            .retire_unit(&mut tx, ward, ward_now.version, time::macros::date!(2025 - 06 - 30))
            .await;
        assert!(
            matches!(refused, Err(StoreError::Rule { code: "has_active_children", .. })),
            "{label}"
        );
        drop(tx);
        let mut tx = store.begin_write(&actor).await.unwrap();
        let cell_now = store.unit(cell).await.unwrap();
        store
            .retire_unit(&mut tx, cell, cell_now.version, time::macros::date!(2025 - 06 - 30))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let second = store.unit(other.id).await.unwrap();
        assert_eq!((second.sub_units, second.sub_official), (1, 540), "{label}");

        // Recomputing from scratch agrees with the incremental totals.
        let snapshot: Vec<_> =
            futures_snapshot(store, &[central, province, other.id, ward, cell]).await;
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.recompute_totals(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            snapshot,
            futures_snapshot(store, &[central, province, other.id, ward, cell]).await,
            "{label}"
        );

        // Children are paged and sorted server-side.
        let children =
            store.children(central, UnitSort::Name, false, false, Page::new(1, 1)).await.unwrap();
        assert_eq!((children.total, children.items.len()), (2, 1), "{label}");
        assert_eq!(children.items[0].name, "Đảng bộ tỉnh Điện Biên", "{label}");
        let by_members = store
            .children(central, UnitSort::Members, false, false, Page::new(1, 10))
            .await
            .unwrap();
        assert_eq!(by_members.items[0].name, "Đảng bộ tỉnh Điện Biên", "{label}");

        // The audit chain holds every change and verifies.
        let verified = store.verify_audit().await.unwrap();
        let (n, _) = verified.unwrap_or_else(|p| panic!("{label}: {p:?}"));
        assert_eq!(n, 8, "{label}: 4 creates, an edit, a create, a move, a retire");
    }
}

async fn futures_snapshot(store: &Store, ids: &[i64]) -> Vec<(i64, i64, i64, i64)> {
    let mut out = Vec::new();
    for id in ids {
        let unit = store.unit(*id).await.unwrap();
        out.push((unit.id, unit.sub_units, unit.sub_official, unit.sub_probationary));
    }
    out
}

#[tokio::test]
async fn rosters_drive_counts_and_search_ignores_diacritics() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let (central, province, ward, cell) = build_tree(store).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        for (name, membership) in [
            ("Lò Thị Hà", Membership::Official),
            ("Nguyễn Văn Hải", Membership::Official),
            ("Quàng Văn Hà", Membership::Probationary),
            ("Đỗ Quang Khải", Membership::Official),
        ] {
            store.create_member(&mut tx, cell, &member(name, membership)).await.unwrap();
        }
        tx.commit().await.unwrap();
        let cell_now = store.unit(cell).await.unwrap();
        assert_eq!(
            (cell_now.roster_size, cell_now.official, cell_now.probationary),
            (4, 3, 1),
            "{label}"
        );
        let ward_now = store.unit(ward).await.unwrap();
        // 40 declared for the ward itself + 3 official on the cell's roster.
        assert_eq!((ward_now.sub_official, ward_now.sub_probationary), (43, 1), "{label}");
        let top = store.unit(central).await.unwrap();
        assert_eq!(top.sub_official, 1043, "{label}");

        let search = |query: &'static str, scope: Vec<String>| {
            let filter = MemberFilter {
                query: Some(query.into()),
                subtree_paths: scope,
                ..MemberFilter::default()
            };
            async move {
                store.members(&filter, MemberSort::Name, false, Page::default()).await.unwrap()
            }
        };
        let names = |paged: daihoi_store::Paged<daihoi_store::Member>| {
            paged.items.into_iter().map(|m| m.full_name).collect::<Vec<_>>()
        };
        assert_eq!(
            names(search("ha", vec![]).await),
            ["Lò Thị Hà", "Quàng Văn Hà", "Nguyễn Văn Hải"],
            "{label}"
        );
        assert_eq!(
            names(search("Hà", vec![]).await),
            ["Lò Thị Hà", "Quàng Văn Hà", "Nguyễn Văn Hải"],
            "{label}"
        );
        assert_eq!(names(search("do quang", vec![]).await), ["Đỗ Quang Khải"], "{label}");
        assert_eq!(names(search("lo ha", vec![]).await), ["Lò Thị Hà"], "{label}");
        let province_path = store.unit(province).await.unwrap().path;
        assert_eq!(search("ha", vec![province_path]).await.total, 3, "{label}");
        assert_eq!(search("ha", vec!["/999/".into()]).await.total, 0, "{label}");

        let official_only = MemberFilter {
            unit_id: Some(cell),
            membership: Some(Membership::Official),
            ..MemberFilter::default()
        };
        assert_eq!(
            store
                .members(&official_only, MemberSort::Name, false, Page::default())
                .await
                .unwrap()
                .total,
            3,
            "{label}"
        );

        let units = store.search_units("him lam", &[], false, 20).await.unwrap();
        assert_eq!(units.iter().map(|u| u.id).collect::<Vec<_>>(), vec![ward], "{label}");
        let units = store.search_units("dang bo", &[], false, 20).await.unwrap();
        assert_eq!(units.len(), 2, "{label}");

        // Audit entries are scoped to subtrees.
        let cell_path = store.unit(cell).await.unwrap().path;
        let scoped = store
            .audit_entries(
                &AuditFilter { unit_paths: vec![cell_path], ..AuditFilter::default() },
                Page::default(),
            )
            .await
            .unwrap();
        assert_eq!(scoped.total, 5, "{label}: the cell's creation and its four members");
    }
}

#[tokio::test]
async fn accounts_sessions_tokens_and_throttling() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let (_, province, ward, _) = build_tree(store).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let user = store
            .create_user(&mut tx, "HimLam.Clerk", "Văn phòng Him Lam", "mật-khẩu-dài-1", "vi")
            .await
            .unwrap();
        store.grant_role(&mut tx, user.id, Role::Clerk, ward).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(user.username, "himlam.clerk", "{label}");

        let mut tx = store.begin_write(&actor).await.unwrap();
        let duplicate =
            store.create_user(&mut tx, "himlam.clerk", "x", "another-long-pass", "vi").await;
        assert!(
            matches!(duplicate, Err(StoreError::Rule { code: "username_taken", .. })),
            "{label}"
        );
        drop(tx);
        let mut tx = store.begin_write(&actor).await.unwrap();
        let short = store.create_user(&mut tx, "short", "x", "short", "vi").await;
        assert!(
            matches!(short, Err(StoreError::Rule { code: "password_too_short", .. })),
            "{label}"
        );
        drop(tx);

        assert!(
            store.check_login("himlam.clerk", "wrong password").await.unwrap().is_none(),
            "{label}"
        );
        assert!(store.check_login("nobody", "mật-khẩu-dài-1").await.unwrap().is_none(), "{label}");
        let logged = store.check_login("HIMLAM.CLERK", "mật-khẩu-dài-1").await.unwrap().unwrap();
        assert_eq!(logged.id, user.id, "{label}");

        let secret = store.create_session(user.id).await.unwrap();
        let session = store.session(&secret).await.unwrap().unwrap();
        let ward_path = store.unit(ward).await.unwrap().path;
        let province_path = store.unit(province).await.unwrap().path;
        assert!(
            session.access.can(daihoi_core::access::Action::EditMembers, &ward_path),
            "{label}"
        );
        assert!(!session.access.can(daihoi_core::access::Action::View, &province_path), "{label}");
        assert_eq!(session.csrf_token.len(), 64, "{label}");
        store.end_session(&secret).await.unwrap();
        assert!(store.session(&secret).await.unwrap().is_none(), "{label}");
        assert!(store.session("forged").await.unwrap().is_none(), "{label}");

        let mut tx = store.begin_write(&actor).await.unwrap();
        let (_, token) = store.create_api_token(&mut tx, user.id, "script").await.unwrap();
        tx.commit().await.unwrap();
        let (token_user, _) = store.api_token_user(&token).await.unwrap().unwrap();
        assert_eq!(token_user.id, user.id, "{label}");
        assert!(store.api_token_user("dh_nope").await.unwrap().is_none(), "{label}");

        let key = "himlam.clerk|127.0.0.1";
        for _ in 0..4 {
            store.login_failed(key).await.unwrap();
        }
        assert!(!store.login_locked(key).await.unwrap(), "{label}");
        store.login_failed(key).await.unwrap();
        assert!(store.login_locked(key).await.unwrap(), "{label}");
        store.login_succeeded(key).await.unwrap();
        assert!(!store.login_locked(key).await.unwrap(), "{label}");
    }
}

#[tokio::test]
async fn the_audit_log_is_append_only_and_tampering_is_found() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        build_tree(store).await;
        // Triggers refuse changes to the log on both backends.
        let pool =
            sqlx::AnyPool::connect(&daihoi_store::normalise_url(&db.url).unwrap().1).await.unwrap();
        let update = sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
            .execute(&pool)
            .await;
        assert!(update.is_err(), "{label}: update must be refused");
        let delete = sqlx::query("DELETE FROM audit_log WHERE seq = 4").execute(&pool).await;
        assert!(delete.is_err(), "{label}: delete must be refused");
        assert!(store.verify_audit().await.unwrap().is_ok(), "{label}");

        // Someone who drops the trigger and edits an entry is still caught by the chain.
        match db.label {
            "sqlite" => {
                sqlx::query("DROP TRIGGER audit_log_no_update").execute(&pool).await.unwrap();
            }
            _ => {
                sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update")
                    .execute(&pool)
                    .await
                    .unwrap();
            }
        }
        sqlx::query("UPDATE audit_log SET after_json = '{}' WHERE seq = 2")
            .execute(&pool)
            .await
            .unwrap();
        let problem = store.verify_audit().await.unwrap().unwrap_err();
        assert_eq!(problem.seq, 2, "{label}: {problem:?}");
        pool.close().await;
    }
}
