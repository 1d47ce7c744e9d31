//! A unit's move carries everything stored under its path, on every backend: the congress, its
//! dossiers and its search words follow the unit, and every `*_path` column of the migrations is
//! one the move rewrites.

use daihoi_core::member::Sex;
use daihoi_core::personnel::Birth;
use daihoi_core::unit::UnitKind;
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
use daihoi_store::personnel::DossierInput;
use daihoi_store::testing::every_backend;
use daihoi_store::{Actor, NewUnit, SUBTREE_PATHS};

fn unit(parent: Option<i64>, name: &str, kind: UnitKind, official: i64) -> NewUnit {
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
async fn a_moved_unit_takes_its_congress_and_dossiers_along() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let (root, _) = store
            .create_unit(&mut tx, unit(None, "Trung ương", UnitKind::Central, 0))
            .await
            .unwrap();
        let mut provinces = Vec::new();
        for name in ["Tỉnh Điện Biên", "Tỉnh Lai Châu"] {
            let (province, _) = store
                .create_unit(&mut tx, unit(Some(root.id), name, UnitKind::Province, 100))
                .await
                .unwrap();
            provinces.push(province);
        }
        let (ward, _) = store
            .create_unit(
                &mut tx,
                unit(
                    Some(provinces[0].id),
                    "Đảng bộ phường Him Lam",
                    UnitKind::GrassrootsCommittee,
                    40,
                ),
            )
            .await
            .unwrap();
        let congress = store
            .create_congress(
                &mut tx,
                NewCongress {
                    unit_id: ward.id,
                    ordinal: Some(12),
                    term_start: 2020,
                    term_end: 2025,
                    kind: CongressKind::Members,
                    content: CongressContent::FourItems,
                    rules: "qd190-2024".into(),
                    title: String::new(),
                    place: None,
                    venue: None,
                    pilot: false,
                    sessions: vec![(SessionKind::Official, None, None)],
                },
            )
            .await
            .unwrap();
        let dossier = store
            .create_dossier(
                &mut tx,
                congress.id,
                &DossierInput {
                    full_name: "Lò Văn Thành".into(),
                    birth: Some(Birth::Year(1975)),
                    sex: Some(Sex::Male),
                    ..DossierInput::default()
                },
            )
            .await
            .unwrap();
        store.move_unit(&mut tx, ward.id, ward.version, provinces[1].id).await.unwrap();
        tx.commit().await.unwrap();
        let moved = store.unit(ward.id).await.unwrap();
        assert!(moved.path.starts_with(&provinces[1].path), "{label}");
        assert_eq!(store.congress(congress.id).await.unwrap().unit_path, moved.path, "{label}");
        assert_eq!(store.dossier(dossier.id).await.unwrap().unit_path, moved.path, "{label}");
        // The new province's users find the congress in their subtree, the old one's do not.
        let page = daihoi_store::Page::new(1, 50);
        let in_new =
            store.congresses(std::slice::from_ref(&provinces[1].path), page).await.unwrap();
        assert!(in_new.items.iter().any(|c| c.id == congress.id), "{label}");
        let in_old =
            store.congresses(std::slice::from_ref(&provinces[0].path), page).await.unwrap();
        assert!(in_old.items.iter().all(|c| c.id != congress.id), "{label}");
        assert_eq!(store.consistency_problems().await.unwrap(), Vec::<String>::new(), "{label}");
    }
}

#[test]
fn every_path_column_of_the_migrations_follows_a_move() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut table = String::new();
        for line in text.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
                table = rest.split_whitespace().next().unwrap_or_default().to_string();
            } else if let Some(column) = line.split_whitespace().next()
                && column.ends_with("_path")
                && line.contains(" TEXT")
            {
                found.push((table.clone(), column.to_string()));
            }
        }
    }
    found.retain(|(table, _)| table != "audit_log");
    found.sort();
    let mut expected: Vec<(String, String)> =
        SUBTREE_PATHS.iter().map(|(t, c)| (t.to_string(), c.to_string())).collect();
    expected.sort();
    assert_eq!(found, expected, "a table stores a unit path the move does not rewrite");
}
