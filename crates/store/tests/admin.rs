//! Account administration and the registry's small reads, on every backend: accounts listed by
//! scope with their grants, revoking a role and disabling an account (both audited; a disabled
//! account's sessions and tokens stop at once), and child counts.

use daihoi_core::access::Role;
use daihoi_core::unit::UnitKind;
use daihoi_store::testing::every_backend;
use daihoi_store::{Actor, AuditFilter, NewUnit, Page, Store, StoreError};

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

/// Central → province → two districts; returns the districts' ids and paths.
async fn tree(store: &Store) -> ((i64, String), (i64, String)) {
    let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
    let (central, _) = store
        .create_unit(&mut tx, new_unit(None, "Trung ương", UnitKind::Central, 0))
        .await
        .unwrap();
    let (province, _) = store
        .create_unit(&mut tx, new_unit(Some(central.id), "Tỉnh", UnitKind::Province, 100))
        .await
        .unwrap();
    let (a, _) = store
        .create_unit(&mut tx, new_unit(Some(province.id), "Huyện A", UnitKind::District, 30))
        .await
        .unwrap();
    let (b, _) = store
        .create_unit(&mut tx, new_unit(Some(province.id), "Huyện B", UnitKind::District, 30))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    ((a.id, a.path), (b.id, b.path))
}

#[tokio::test]
async fn accounts_are_listed_by_scope_with_their_grants() {
    for db in every_backend().await {
        let store = &db.store;
        let ((a, a_path), (b, _)) = tree(store).await;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let in_a = store.create_user(&mut tx, "in.a", "", "a-long-password", "vi").await.unwrap();
        let in_b = store.create_user(&mut tx, "in.b", "", "a-long-password", "vi").await.unwrap();
        let both = store.create_user(&mut tx, "both", "", "a-long-password", "vi").await.unwrap();
        store.create_user(&mut tx, "none", "", "a-long-password", "vi").await.unwrap();
        store.grant_role(&mut tx, in_a.id, Role::Clerk, a).await.unwrap();
        store.grant_role(&mut tx, in_b.id, Role::Viewer, b).await.unwrap();
        store.grant_role(&mut tx, both.id, Role::Viewer, a).await.unwrap();
        store.grant_role(&mut tx, both.id, Role::Counter, b).await.unwrap();
        tx.commit().await.unwrap();
        let all = store.users_page(&[], Page::new(1, 10)).await.unwrap();
        assert_eq!(all.total, 4, "[{}]", db.label);
        let scoped =
            store.users_page(std::slice::from_ref(&a_path), Page::new(1, 10)).await.unwrap();
        let names: Vec<&str> = scoped.items.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(names, vec!["both", "in.a"], "[{}]", db.label);
        let second =
            store.users_page(std::slice::from_ref(&a_path), Page::new(2, 1)).await.unwrap();
        assert_eq!(
            (second.total, second.items[0].username.as_str()),
            (2, "in.a"),
            "[{}]",
            db.label
        );
        let grants = store.grants_of_users(&[both.id, in_a.id]).await.unwrap();
        assert_eq!(grants.len(), 3, "[{}]", db.label);
        let of_both: Vec<(&str, &str)> = grants
            .iter()
            .filter(|g| g.user_id == both.id)
            .map(|g| (g.role.code(), g.unit_name.as_str()))
            .collect();
        assert_eq!(of_both, vec![("viewer", "Huyện A"), ("counter", "Huyện B")], "[{}]", db.label);
        assert!(store.grants_of_users(&[]).await.unwrap().is_empty());
        assert_eq!(store.user(in_b.id).await.unwrap().username, "in.b");
        assert!(matches!(store.user(9999).await, Err(StoreError::NotFound)));
    }
}

#[tokio::test]
async fn revoking_and_disabling_are_audited_and_take_effect_at_once() {
    for db in every_backend().await {
        let store = &db.store;
        let ((a, a_path), _) = tree(store).await;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let user = store.create_user(&mut tx, "clerk", "", "a-long-password", "vi").await.unwrap();
        store.grant_role(&mut tx, user.id, Role::Clerk, a).await.unwrap();
        store.grant_role(&mut tx, user.id, Role::Viewer, a).await.unwrap();
        let (_, token) = store.create_api_token(&mut tx, user.id, "script").await.unwrap();
        tx.commit().await.unwrap();
        let admin = Actor::system("admin");
        let mut tx = store.begin_write(&admin).await.unwrap();
        store.revoke_role(&mut tx, user.id, Role::Clerk, a).await.unwrap();
        let again = store.revoke_role(&mut tx, user.id, Role::Clerk, a).await;
        assert!(matches!(again, Err(StoreError::NotFound)), "[{}]", db.label);
        tx.commit().await.unwrap();
        let grants = store.grants(user.id).await.unwrap();
        assert_eq!(grants.len(), 1);
        assert_eq!(grants[0].role, Role::Viewer);
        let secret = store.create_session(user.id).await.unwrap();
        assert!(store.session(&secret).await.unwrap().is_some());
        assert!(store.api_token_user(&token).await.unwrap().is_some());
        let mut tx = store.begin_write(&admin).await.unwrap();
        let disabled = store.set_user_disabled(&mut tx, user.id, true).await.unwrap();
        tx.commit().await.unwrap();
        assert!(disabled.disabled);
        assert!(
            store.session(&secret).await.unwrap().is_none(),
            "[{}] the session ended",
            db.label
        );
        assert!(
            store.api_token_user(&token).await.unwrap().is_none(),
            "[{}] tokens refused",
            db.label
        );
        assert!(store.check_login("clerk", "a-long-password").await.unwrap().is_none());
        let mut tx = store.begin_write(&admin).await.unwrap();
        store.set_user_disabled(&mut tx, user.id, false).await.unwrap();
        tx.commit().await.unwrap();
        assert!(store.check_login("clerk", "a-long-password").await.unwrap().is_some());
        assert!(store.api_token_user(&token).await.unwrap().is_some());
        let entries = store.audit_entries(&AuditFilter::default(), Page::new(1, 3)).await.unwrap();
        let actions: Vec<&str> = entries.items.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, vec!["user.enable", "user.disable", "user.revoke"], "[{}]", db.label);
        assert_eq!(entries.items[2].unit_path.as_deref(), Some(a_path.as_str()));
        assert!(entries.items[1].after_json.as_deref().unwrap_or("").contains("\"disabled\":true"));
        assert_eq!(store.verify_audit().await.unwrap().map(|(n, _)| n).ok(), Some(entries.total));
    }
}

#[tokio::test]
async fn child_counts_separate_active_and_retired_units() {
    for db in every_backend().await {
        let store = &db.store;
        let ((a, _), _) = tree(store).await;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        for name in ["Xã 1", "Xã 2", "Xã 3"] {
            store
                .create_unit(&mut tx, new_unit(Some(a), name, UnitKind::GrassrootsCell, 10))
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        let first = store.search_units("xa 1", &[], false, 1).await.unwrap().remove(0);
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let date = time::Date::from_calendar_date(2025, time::Month::June, 30).unwrap();
        store.retire_unit(&mut tx, first.id, first.version, date).await.unwrap();
        tx.commit().await.unwrap();
        let counts = store.child_counts(a).await.unwrap();
        assert_eq!((counts.active, counts.retired), (2, 1), "[{}]", db.label);
        let leaf = store.child_counts(first.id).await.unwrap();
        assert_eq!((leaf.active, leaf.retired), (0, 0), "[{}]", db.label);
    }
}
