//! Member name search on every backend: accents optional, the given name found by its start,
//! and every typed word counted ("nguyen van a" is not "Nguyễn Đức An").

use daihoi_core::member::{MemberStatus, Membership};
use daihoi_core::unit::UnitKind;
use daihoi_store::testing::every_backend;
use daihoi_store::{Actor, MemberFilter, MemberInput, MemberSort, NewUnit, Page};

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

#[tokio::test]
async fn names_are_found_with_or_without_accents_and_every_word_counts() {
    for db in every_backend().await {
        let store = &db.store;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let (root, _) = store
            .create_unit(&mut tx, new_unit(None, "Trung ương", UnitKind::Central, 0))
            .await
            .unwrap();
        let (province, _) = store
            .create_unit(&mut tx, new_unit(Some(root.id), "Tỉnh", UnitKind::Province, 100))
            .await
            .unwrap();
        let (cell, _) = store
            .create_unit(
                &mut tx,
                new_unit(Some(province.id), "Chi bộ", UnitKind::GrassrootsCell, 5),
            )
            .await
            .unwrap();
        for name in [
            "Nguyễn Văn An",
            "Nguyễn Đức An",
            "Nguyễn Văn Anh",
            "Lò Thị Hà",
            "Quàng Văn Hải",
            "Nguyễn Thị Hà",
        ] {
            let input = MemberInput {
                full_name: name.into(),
                birth_date: None,
                sex: None,
                ethnicity: None,
                joined_date: None,
                membership: Membership::Official,
                status: MemberStatus::Active,
                education: None,
                theory_level: None,
                note: None,
            };
            store.create_member(&mut tx, cell.id, &input).await.unwrap();
        }
        tx.commit().await.unwrap();
        let find = |query: &'static str| async move {
            let filter = MemberFilter { query: Some(query.into()), ..MemberFilter::default() };
            let mut names: Vec<String> = store
                .members(&filter, MemberSort::Name, false, Page::default())
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|m| m.full_name)
                .collect();
            names.sort();
            names
        };
        assert_eq!(
            find("nguyen van a").await,
            vec!["Nguyễn Văn An", "Nguyễn Văn Anh"],
            "[{}]",
            db.label
        );
        assert_eq!(
            find("Nguyễn Văn An").await,
            vec!["Nguyễn Văn An", "Nguyễn Văn Anh"],
            "[{}]",
            db.label
        );
        assert_eq!(
            find("ha").await,
            vec!["Lò Thị Hà", "Nguyễn Thị Hà", "Quàng Văn Hải"],
            "[{}]",
            db.label
        );
        assert_eq!(find("nguyen ha").await, vec!["Nguyễn Thị Hà"], "[{}]", db.label);
        // (Sorted by code point here: "Đ" comes after "V".)
        assert_eq!(
            find("nguyen an").await,
            vec!["Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Đức An"],
            "[{}]",
            db.label
        );
        assert_eq!(find("nguyen duc an").await, vec!["Nguyễn Đức An"], "[{}]", db.label);
        assert_eq!(
            find("nguyen v% an").await,
            vec!["Nguyễn Văn An", "Nguyễn Văn Anh"],
            "[{}] % is no wildcard",
            db.label
        );
        assert_eq!(
            find("nguyen _ an").await,
            vec!["Nguyễn Văn An", "Nguyễn Văn Anh", "Nguyễn Đức An"],
            "[{}]",
            db.label
        );
    }
}
