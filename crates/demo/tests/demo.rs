//! The demo and the generator on every backend: the data is what the documents describe,
//! consistent, and the same for the same seed.

use daihoi_demo::generate::{GenerateOptions, generate};
use daihoi_store::testing::every_backend;
use daihoi_store::{AuditFilter, MemberFilter, MemberSort, Page, Store, UnitSort};

async fn unit_names(store: &Store) -> Vec<(i64, String, i64)> {
    let root = store.root_units().await.unwrap().remove(0);
    store
        .subtree_units(root.id)
        .await
        .unwrap()
        .into_iter()
        .map(|unit| (unit.id, unit.name, unit.roster_size))
        .collect()
}

#[tokio::test]
async fn the_demo_is_the_dien_bien_phu_city_organisation_of_2020() {
    for db in every_backend().await {
        let store = &db.store;
        let summary = daihoi_demo::load_demo(store).await.unwrap();
        assert!((6_500..7_500).contains(&summary.n_members), "{}", summary.n_members);
        assert_eq!(
            store.consistency_problems().await.unwrap(),
            Vec::<String>::new(),
            "{}",
            db.label
        );
        let found = store.search_units("thanh pho dien bien phu", &[], false, 5).await.unwrap();
        let city = found.iter().find(|u| u.name == "Đảng bộ thành phố Điện Biên Phủ").unwrap();
        assert_eq!(city.issuer_abbrev.as_deref(), Some("TU"));
        assert_eq!(city.sub_official + city.sub_probationary, summary.n_members);
        let direct =
            store.children(city.id, UnitSort::Name, false, false, Page::new(1, 100)).await.unwrap();
        assert_eq!(direct.total, 48);
        let him_lam = store.search_units("him lam", &[], false, 50).await.unwrap();
        assert!(him_lam.iter().any(|u| u.name == "Chi bộ bản Him Lam 1"));
        let filter =
            MemberFilter { query: Some("Lê Tiến Dũng".into()), ..MemberFilter::default() };
        let people =
            store.members(&filter, MemberSort::Name, false, Page::default()).await.unwrap();
        let dung: Vec<_> = people
            .items
            .iter()
            .filter(|m| m.note.is_some() && m.full_name == "Lê Tiến Dũng")
            .collect();
        assert_eq!(dung.len(), 1, "{}", db.label);
        assert_eq!(dung[0].note.as_deref(), Some("Phó Bí thư Thường trực Thành ủy"));
        let all = MemberFilter::default();
        let women = MemberFilter { sex: Some(daihoi_core::member::Sex::Female), ..all.clone() };
        let n_women =
            store.members(&women, MemberSort::Name, false, Page::new(1, 1)).await.unwrap().total;
        let share = n_women * 100 / summary.n_members;
        assert!((33..=42).contains(&share), "{share} % women");
        assert!(store.user_by_username("kiemphieu.himlam").await.is_ok());
        // The congress day that follows writes its own entries: look among the unit entries.
        let units = AuditFilter { entity: Some("unit".into()), ..AuditFilter::default() };
        let entries = store.audit_entries(&units, Page::default()).await.unwrap();
        assert!(entries.items.iter().any(|e| e.action == "tree.generate"));
        assert!(store.verify_audit().await.unwrap().is_ok());
    }
}

#[tokio::test]
async fn a_generated_tree_is_consistent_and_the_same_for_the_same_seed() {
    let options = GenerateOptions { units: 2_000, members_per_unit: 4, seed: 7 };
    let mut trees = Vec::new();
    for db in every_backend().await.into_iter().chain(every_backend().await.into_iter().take(1)) {
        let store = &db.store;
        let summary = generate(store, options, &|_| {}).await.unwrap();
        assert_eq!(summary.units, 2_000);
        assert_eq!(
            store.consistency_problems().await.unwrap(),
            Vec::<String>::new(),
            "{}",
            db.label
        );
        let again = generate(store, options, &|_| {}).await;
        assert!(again.is_err(), "a second tree is refused");
        trees.push((db.label, unit_names(store).await, summary.members));
    }
    let (_, first, members) = &trees[0];
    for (label, tree, n) in &trees[1..] {
        assert_eq!(tree, first, "{label}");
        assert_eq!(n, members);
    }
}
