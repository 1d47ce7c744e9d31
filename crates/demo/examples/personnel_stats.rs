//! Measures the composition statistics of elected committees rolled up to the top of a large
//! generated tree: once cold (computed from the database) and again with nothing changed
//! (answered from the cache). Figures in BENCHMARKS.md, "Personnel".
//!
//! ```sh
//! cargo run --release -p daihoi-demo --example personnel_stats -- 20000
//! ```

use std::time::Instant;

use daihoi_core::member::Sex;
use daihoi_core::personnel::Birth;
use daihoi_core::unit::UnitKind;
use daihoi_demo::generate::{GenerateOptions, generate};
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
use daihoi_store::personnel::DossierInput;
use daihoi_store::testing::TempDir;
use daihoi_store::{Actor, Store};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let units: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let dir = TempDir::new("daihoi-personnel-bench");
    let url = format!("sqlite://{}", dir.0.join("bench.db").display());
    let store = Store::connect(&url).await.expect("open");
    generate(&store, GenerateOptions { units, members_per_unit: 3, seed: 7 }, &|_| {})
        .await
        .expect("generate");
    let root = store.root_units().await.expect("root").remove(0);
    let committees: Vec<_> = store
        .subtree_units(root.id)
        .await
        .expect("units")
        .into_iter()
        .filter(|u| {
            !matches!(
                u.kind,
                UnitKind::Cell
                    | UnitKind::GrassrootsCell
                    | UnitKind::SubCommittee
                    | UnitKind::Central
            )
        })
        .collect();
    let started = Instant::now();
    let mut tx = store.begin_write(&Actor::system("bench")).await.expect("begin");
    let mut people = 0;
    for (index, unit) in committees.iter().enumerate() {
        let congress = store
            .create_congress(
                &mut tx,
                NewCongress {
                    unit_id: unit.id,
                    ordinal: Some(1),
                    term_start: 2025,
                    term_end: 2030,
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
            .expect("congress");
        let size = 9 + index % 7;
        let inputs: Vec<DossierInput> = (0..size)
            .map(|k| DossierInput {
                full_name: format!("Cấp ủy viên {index} {k}"),
                birth: Birth::parse(&format!("{}", 1965 + (index + k) % 30)),
                sex: Some(if (index + k) % 4 == 0 { Sex::Female } else { Sex::Male }),
                ethnicity: Some(if k % 5 == 0 { "Thái" } else { "Kinh" }.into()),
                incumbent: k % 3 != 0,
                ..DossierInput::default()
            })
            .collect();
        store.import_dossiers(&mut tx, congress.id, &inputs).await.expect("dossiers");
        let ids: Vec<i64> = store.dossiers_in(&mut tx, congress.id).await.expect("ids");
        store
            .record_elected(&mut tx, congress.id, &ids, Some((ids[0], k_direct(index), false)))
            .await
            .expect("elected");
        people += size;
    }
    tx.commit().await.expect("commit");
    println!(
        "tree: {units} units, {} committees, {people} elected members (written in {:.1} s)",
        committees.len(),
        started.elapsed().as_secs_f64()
    );
    for round in 0..3 {
        // A fresh handle has an empty cache: the first call is cold.
        let fresh = Store::connect(&url).await.expect("open");
        let cold = Instant::now();
        let tree = fresh.composition_tree(root.id).await.expect("cold");
        let cold = cold.elapsed();
        let warm = Instant::now();
        let again = fresh.composition_tree(root.id).await.expect("warm");
        let warm = warm.elapsed();
        assert_eq!(tree.total, again.total);
        println!(
            "round {round}: cold {:.0} ms, unchanged {:.2} ms ({} lists, {} people)",
            cold.as_secs_f64() * 1000.0,
            warm.as_secs_f64() * 1000.0,
            tree.total.lists,
            tree.total.total
        );
        fresh.close().await;
    }
}

fn k_direct(index: usize) -> bool {
    index.is_multiple_of(2)
}
