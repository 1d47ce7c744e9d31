//! Name search on every backend: member names with accents optional, the given name found by
//! its start, every typed word counted ("nguyen van a" is not "Nguyễn Đức An"); unit search
//! giving the same answer whichever plan (rare word, small scope, walk in answer order) runs.

use daihoi_core::member::{MemberStatus, Membership};
use daihoi_core::unit::UnitKind;
use daihoi_store::testing::every_backend;
use daihoi_store::{Actor, MemberFilter, MemberInput, MemberSort, NewUnit, Page, SearchTuning};

const NOT_RANKED: SearchTuning =
    SearchTuning { driver_max: 0, scope_max: 0, ranked_words: 0, ranked_batch: 1 };

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

#[tokio::test]
async fn unit_search_answers_the_same_whichever_plan_runs() {
    for db in every_backend().await {
        let store = &db.store;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let (root, _) = store
            .create_unit(&mut tx, new_unit(None, "Trung ương", UnitKind::Central, 0))
            .await
            .unwrap();
        let mut provinces = Vec::new();
        for name in ["Tỉnh Điện Biên", "Tỉnh Lai Châu"] {
            let (province, _) = store
                .create_unit(&mut tx, new_unit(Some(root.id), name, UnitKind::Province, 100))
                .await
                .unwrap();
            provinces.push(province);
        }
        // Names sharing the common words "chi bộ" and "thôn", a few with rarer ones.
        for (p, province) in provinces.iter().enumerate() {
            for i in 0..12 {
                let name = match i % 4 {
                    0 => format!("Chi bộ thôn Hà {p}{i}"),
                    1 => format!("Chi bộ bản Nà {p}{i}"),
                    2 => format!("Chi bộ thôn Hồng {p}{i}"),
                    _ => format!("Chi bộ trường Hải {p}{i}"),
                };
                store
                    .create_unit(
                        &mut tx,
                        new_unit(Some(province.id), &name, UnitKind::GrassrootsCell, 5),
                    )
                    .await
                    .unwrap();
            }
        }
        tx.commit().await.unwrap();
        let plans = [
            ("postings", SearchTuning { driver_max: 1_000, scope_max: 0, ..NOT_RANKED }),
            ("scope", SearchTuning { driver_max: 0, scope_max: 1_000, ..NOT_RANKED }),
            ("walk", SearchTuning { driver_max: 0, scope_max: 0, ..NOT_RANKED }),
            // Batches of one and two rows: the merge of several words' streams and the
            // cursor are exercised on a small tree.
            ("ranked", SearchTuning { ranked_words: 8, ranked_batch: 1, ..NOT_RANKED }),
            ("ranked-2", SearchTuning { ranked_words: 8, ranked_batch: 2, ..NOT_RANKED }),
        ];
        let scopes = [Vec::new(), vec![provinces[1].path.clone()]];
        for query in ["chi bo", "thon h", "chi bo thon ha", "tinh", "ha", "xyz"] {
            for scope in &scopes {
                for limit in [3, 50] {
                    let mut answers = Vec::new();
                    for (plan, tuning) in plans {
                        let found: Vec<(i64, String)> = store
                            .search_units_tuned(query, scope, false, limit, tuning)
                            .await
                            .unwrap()
                            .into_iter()
                            .map(|unit| (unit.depth, unit.name))
                            .collect();
                        answers.push((plan, found));
                    }
                    let (_, expected) = &answers[0];
                    assert!(expected.len() <= limit as usize);
                    assert!(expected.windows(2).all(|w| w[0].0 <= w[1].0), "shallowest first");
                    for (plan, found) in &answers[1..] {
                        assert_eq!(
                            found, expected,
                            "{}: {query:?} in {scope:?} (limit {limit}) by {plan}",
                            db.label
                        );
                    }
                    if query == "chi bo" && limit == 50 {
                        assert_eq!(expected.len(), if scope.is_empty() { 24 } else { 12 });
                    }
                    if query == "thon h" && limit == 50 && scope.is_empty() {
                        assert_eq!(expected.len(), 12, "{expected:?}");
                    }
                }
            }
        }
        // A move changes the depth, a rename the name: the ranked words follow both.
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let (commune, _) = store
            .create_unit(
                &mut tx,
                new_unit(Some(provinces[0].id), "Đảng bộ xã Thanh Hà", UnitKind::Commune, 40),
            )
            .await
            .unwrap();
        let moved = store.search_units("thon ha 00", &[], false, 1).await.unwrap().remove(0);
        store.move_unit(&mut tx, moved.id, moved.version, commune.id).await.unwrap();
        let renamed = store.search_units("ban na 01", &[], false, 1).await.unwrap().remove(0);
        let edit = daihoi_store::UnitEdit {
            name: "Chi bộ thôn Hà Mới".into(),
            kind: renamed.kind,
            issuer_abbrev: renamed.issuer_abbrev.clone(),
            declared_official: 5,
            declared_probationary: 0,
            valid_from: None,
            valid_to: None,
            note: None,
        };
        store.update_unit(&mut tx, renamed.id, renamed.version, edit).await.unwrap();
        tx.commit().await.unwrap();
        for query in ["chi bo thon ha", "ha", "ban na", "moi", "thanh ha"] {
            let walk = SearchTuning { ranked_words: 0, ..NOT_RANKED };
            let ranked = SearchTuning { ranked_words: 8, ranked_batch: 2, ..NOT_RANKED };
            let by_walk = store.search_units_tuned(query, &[], false, 50, walk).await.unwrap();
            let by_rank = store.search_units_tuned(query, &[], false, 50, ranked).await.unwrap();
            let ids = |units: &[daihoi_store::Unit]| units.iter().map(|u| u.id).collect::<Vec<_>>();
            assert_eq!(ids(&by_rank), ids(&by_walk), "{}: {query:?} after the move", db.label);
            if query == "moi" {
                assert_eq!(by_rank.len(), 1, "{}: the new name is found", db.label);
            }
            if query == "ban na" {
                assert_eq!(by_rank.len(), 5, "{}: the old name is gone", db.label);
            }
        }
        let found = store.search_units("thon ha 00", &[], false, 1).await.unwrap().remove(0);
        assert_eq!(found.depth, commune.depth + 1, "{}", db.label);
        assert_eq!(
            store.consistency_problems().await.unwrap(),
            Vec::<String>::new(),
            "{}",
            db.label
        );
    }
}
