//! Register and preparation speed: searching the document register of a whole tree by symbol
//! or summary words, a unit's register page, and the overdue tasks of a whole tree.
//!
//! Run with `cargo bench -p daihoi-demo --bench documents`. It generates a tree of
//! `DAIHOI_BENCH_UNITS` units (default 2,000, 2 members per cell) into a temporary SQLite file,
//! registers `DAIHOI_BENCH_DOCUMENTS` documents (default 50,000) spread over its units, sets up
//! a congress with three prefilled subcommittees in 300 of them, then prints percentiles of many
//! timed calls. Figures and the machine are in BENCHMARKS.md ("Documents and preparation").

use std::time::{Duration, Instant};

use daihoi_core::prep::SubcommitteeKind;
use daihoi_core::symbol::DocumentSymbol;
use daihoi_demo::generate::{GenerateOptions, generate};
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
use daihoi_store::documents::{DocumentFilter, Issuer, NewDocument, Origin};
use daihoi_store::prep::NewSubcommittee;
use daihoi_store::{Actor, Page, Store};
use time::macros::date;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

const WORDS: &[&str] = &[
    "kế hoạch",
    "hướng dẫn",
    "đại hội",
    "nhân sự",
    "văn kiện",
    "kiểm tra",
    "tuyên truyền",
    "quy chế",
];
const TYPES: &[&str] = &["KH", "HD", "BC", "TB", "CV", "QĐ", "NQ", "CT"];

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let pick = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<44} n={:<5} p50 {:>8.2} ms  p95 {:>8.2} ms  max {:>8.2} ms",
        times.len(),
        pick(0.5).as_secs_f64() * 1e3,
        pick(0.95).as_secs_f64() * 1e3,
        pick(1.0).as_secs_f64() * 1e3
    );
}

fn main() {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let dir = daihoi_store::testing::TempDir::new("daihoi-bench-documents");
        let url = format!("sqlite://{}", dir.0.join("bench.db").display());
        let store = Store::connect(&url).await.expect("create");
        let units = env("DAIHOI_BENCH_UNITS", 2_000) as u64;
        generate(&store, GenerateOptions { units, members_per_unit: 2, seed: 1 }, &|_| {})
            .await
            .expect("generate");
        let root = store.root_units().await.expect("root").remove(0);
        let all = store.subtree_units(root.id).await.expect("units");
        let n_documents = env("DAIHOI_BENCH_DOCUMENTS", 50_000);
        let started = Instant::now();
        let actor = Actor::system("bench");
        let mut tx = store.begin_write(&actor).await.expect("begin");
        for index in 0..n_documents {
            let unit = &all[index % all.len()];
            let doc_type = TYPES[index % TYPES.len()];
            let word = WORDS[(index / 7) % WORDS.len()];
            let symbol = DocumentSymbol::parse(&format!("{}-{doc_type}/TW", index / all.len() + 1))
                .expect("symbol")
                .symbol;
            let new = NewDocument {
                unit_id: unit.id,
                symbol,
                issued_on: date!(2019 - 01 - 01)
                    .saturating_add(time::Duration::days((index % 700) as i64)),
                issuer: Issuer::Named("Ban Chấp hành Trung ương".into()),
                origin: Origin::Received,
                summary: format!("Văn bản số {index} về {word} của đảng bộ"),
                signer: None,
                congress_id: None,
                note: None,
            };
            store.create_document(&mut tx, new, date!(2026 - 01 - 01)).await.expect("document");
        }
        for unit in all.iter().take(300) {
            let congress = store
                .create_congress(
                    &mut tx,
                    NewCongress {
                        unit_id: unit.id,
                        ordinal: Some(1),
                        term_start: 2020,
                        term_end: 2025,
                        kind: CongressKind::Delegates,
                        content: CongressContent::FourItems,
                        rules: "qd190-2024".into(),
                        title: String::new(),
                        place: None,
                        venue: None,
                        pilot: false,
                        sessions: vec![(
                            SessionKind::Official,
                            Some(date!(2020 - 08 - 14)),
                            Some(date!(2020 - 08 - 15)),
                        )],
                    },
                )
                .await
                .expect("congress");
            for kind in SubcommitteeKind::ALL {
                store
                    .create_subcommittee(
                        &mut tx,
                        NewSubcommittee {
                            congress_id: congress.id,
                            kind,
                            decision: None,
                            members: Vec::new(),
                            prefill: true,
                        },
                    )
                    .await
                    .expect("subcommittee");
            }
        }
        tx.commit().await.expect("commit");
        println!(
            "{} units, {n_documents} documents and 300 congresses written in {:.1} s",
            all.len(),
            started.elapsed().as_secs_f64()
        );

        let everywhere = vec![root.path.clone()];
        let mut times = Vec::new();
        for (index, query) in
            ["ke hoach", "35-kh", "nhan su dang bo", "7-tb/tw", "van kien", "quy che"]
                .iter()
                .cycle()
                .take(120)
                .enumerate()
        {
            let filter = DocumentFilter {
                subtree_paths: everywhere.clone(),
                query: Some((*query).into()),
                ..Default::default()
            };
            let t = Instant::now();
            let page = store
                .documents(&filter, Page::new(1 + (index % 3) as u32, 50))
                .await
                .expect("search");
            times.push(t.elapsed());
            std::hint::black_box(page);
        }
        report("register search, whole tree, 50 a page", times);
        let mut times = Vec::new();
        for unit in all.iter().step_by((all.len() / 200).max(1)).take(200) {
            let filter =
                DocumentFilter { subtree_paths: vec![unit.path.clone()], ..Default::default() };
            let t = Instant::now();
            let page = store.documents(&filter, Page::new(1, 50)).await.expect("list");
            times.push(t.elapsed());
            std::hint::black_box(page);
        }
        report("a unit's register, first page", times);
        let mut times = Vec::new();
        for _ in 0..100 {
            let t = Instant::now();
            let overdue =
                store.overdue_tasks(&everywhere, date!(2020 - 07 - 01), 8).await.expect("overdue");
            times.push(t.elapsed());
            std::hint::black_box(overdue);
        }
        report("overdue tasks of the whole tree (home box)", times);
    });
}
