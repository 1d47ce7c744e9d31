//! Registry speed on a large tree: what opening a unit page costs in the store (the unit, one
//! page of its children, its ancestors), unit search, and importing 100,000 members from CSV.
//!
//! Targets (BENCHMARKS.md, "Registry"), on the national tree (350,000 units, 5.6 million
//! members): unit page p95 < 100 ms, unit search p95 < 100 ms, 100,000 member rows from CSV
//! in < 10 s.
//!
//! Run with `cargo bench -p daihoi-demo --bench registry`. With `DAIHOI_BENCH_DATABASE_URL`
//! it measures that database (e.g. one made by `daihoi generate --units 350000
//! --members-per-unit 17`); otherwise it generates a tree of `DAIHOI_BENCH_UNITS` units
//! (default 20,000, 17 members per cell) into a temporary SQLite file. It first prints
//! percentiles of many timed calls, then runs the divan benchmarks. The import adds 200,000
//! members to the database it measures, 100,000 spread over the country and 100,000 in the
//! largest top-level unit (set `DAIHOI_BENCH_IMPORT=0` to skip it).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use daihoi_demo::generate::{GenerateOptions, generate};
use daihoi_demo::rng::Rng;
use daihoi_format::table::{TableFormat, read_table};
use daihoi_store::{Actor, ImportScope, ImportSource, Page, Store, UnitSort};

struct Bench {
    runtime: tokio::runtime::Runtime,
    store: Store,
    max_id: i64,
    _dir: Option<daihoi_store::testing::TempDir>,
}

static BENCH: OnceLock<Bench> = OnceLock::new();

fn bench() -> &'static Bench {
    BENCH.get_or_init(|| {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
        let (store, dir) = runtime.block_on(async {
            match std::env::var("DAIHOI_BENCH_DATABASE_URL") {
                Ok(url) if !url.is_empty() => (Store::connect(&url).await.expect("open"), None),
                _ => {
                    let dir = daihoi_store::testing::TempDir::new("daihoi-bench");
                    let url = format!("sqlite://{}", dir.0.join("bench.db").display());
                    let store = Store::connect(&url).await.expect("create");
                    let units = std::env::var("DAIHOI_BENCH_UNITS")
                        .ok()
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(20_000);
                    let options = GenerateOptions { units, members_per_unit: 17, seed: 1 };
                    generate(&store, options, &|_| {}).await.expect("generate");
                    (store, Some(dir))
                }
            }
        });
        let max_id = runtime.block_on(async {
            let root = store.root_units().await.expect("root").remove(0);
            root.sub_units + root.id
        });
        Bench { runtime, store, max_id, _dir: dir }
    })
}

/// What a unit page reads: the unit, the first page of its children, its ancestors.
async fn unit_page(store: &Store, id: i64) {
    let unit = store.unit(id).await.expect("unit");
    let children =
        store.children(id, UnitSort::Name, false, false, Page::new(1, 50)).await.expect("children");
    let ancestors = store.ancestors(&unit).await.expect("ancestors");
    divan::black_box((unit, children, ancestors));
}

const QUERIES: &[&str] = &[
    "tan phu",
    "hoa binh",
    "an",
    "thanh",
    "xa minh",
    "chi bo thon",
    "phuong long",
    "truong thpt",
    "dang bo",
    "vinh",
    "cong ty",
    "quang ninh",
    "dien bien",
    "ha noi",
    "tan lap",
    "khoa noi",
];

async fn search(store: &Store, query: &str) {
    let found = store.search_units(query, &[], false, 20).await.expect("search");
    divan::black_box(found);
}

fn percentiles(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    println!(
        "{name:<32} n={:<6} p50={:>8.2?} p95={:>8.2?} p99={:>8.2?} max={:>8.2?}",
        times.len(),
        at(50),
        at(95),
        at(99),
        times[times.len() - 1]
    );
}

fn measure() {
    let bench = bench();
    let store = &bench.store;
    let mut rng = Rng::new(42);
    bench.runtime.block_on(async {
        let mut times = Vec::new();
        for _ in 0..2_000 {
            let id = 1 + rng.below(bench.max_id as u64) as i64;
            let started = Instant::now();
            unit_page(store, id).await;
            times.push(started.elapsed());
        }
        percentiles("unit page (store calls)", times);
        let mut times = Vec::new();
        for index in 0..(QUERIES.len() * 20) {
            let started = Instant::now();
            search(store, QUERIES[index % QUERIES.len()]).await;
            times.push(started.elapsed());
        }
        percentiles("unit search (20 results)", times);
        // The same queries by a user whose scope is one province (the first top-level unit).
        let root = store.root_units().await.expect("root").remove(0);
        let province = store
            .children(root.id, UnitSort::Name, false, false, Page::default())
            .await
            .expect("children")
            .items
            .remove(0);
        let scope = [province.path.clone()];
        let mut times = Vec::new();
        let mut by_query = vec![Vec::new(); QUERIES.len()];
        for index in 0..(QUERIES.len() * 20) {
            let started = Instant::now();
            let found = store
                .search_units(QUERIES[index % QUERIES.len()], &scope, false, 20)
                .await
                .expect("search");
            divan::black_box(found);
            times.push(started.elapsed());
            by_query[index % QUERIES.len()].push(started.elapsed());
        }
        percentiles(&format!("unit search in {}", province.name), times);
        for (query, mut times) in QUERIES.iter().zip(by_query) {
            times.sort();
            println!("  in the province: {query:<14} median {:>8.2?}", times[times.len() / 2]);
        }
        if std::env::var("DAIHOI_BENCH_SEARCH_ONLY").is_ok_and(|v| v == "1") {
            std::process::exit(0);
        }
        if std::env::var("DAIHOI_BENCH_IMPORT").is_ok_and(|v| v == "0") {
            return;
        }
        // 100,000 members as a CSV file, twice: spread over cells drawn from the whole tree
        // (every leaf page of the roster indexes is touched), then over the cells of the
        // largest top-level unit (a province's file, the usual case).
        let root = store.root_units().await.expect("root").remove(0);
        let cells: Vec<(i64, String)> = store
            .subtree_units(root.id)
            .await
            .expect("units")
            .into_iter()
            .filter(|unit| unit.kind.is_cell())
            .map(|unit| (unit.id, unit.path))
            .collect();
        let (largest, _) = store
            .children(root.id, UnitSort::Name, false, false, Page::new(1, 200))
            .await
            .expect("children")
            .items
            .into_iter()
            .map(|child| (child.path.clone(), child.sub_official))
            .fold((String::new(), -1), |best, next| if next.1 > best.1 { next } else { best });
        let province: Vec<i64> =
            cells.iter().filter(|(_, path)| path.starts_with(&largest)).map(|(id, _)| *id).collect();
        let country: Vec<i64> = cells.iter().map(|(id, _)| *id).collect();
        for (label, cells) in [("over the whole country", country), ("in the largest province", province)] {
            let csv = members_csv(&mut rng, &cells, 100_000);
            let started = Instant::now();
            let table = read_table(csv.as_bytes(), TableFormat::Csv).expect("read");
            let file = daihoi_format::members_file::read_members(&table).expect("parse");
            let parsed = started.elapsed();
            let scope = ImportScope::default();
            let check = store.check_member_import(&file, &scope).await.expect("check");
            assert!(
                check.problems.is_empty(),
                "{:?}",
                &check.problems[..check.problems.len().min(3)]
            );
            let checked = started.elapsed();
            let source = ImportSource { file_name: "bench.csv".into(), sha256: String::new() };
            store
                .import_members(&Actor::system("bench"), &file, &scope, &source, &|_| {})
                .await
                .expect("import");
            println!(
                "import 100,000 members from CSV {label} ({} cells): read {:.2?}, preview check {:.2?}, \
                 import (check, write, commit) {:.2?}",
                cells.len(),
                parsed,
                checked - parsed,
                started.elapsed() - checked
            );
        }
    });
}

/// `n` members in the columns of a members file, each in a cell drawn from `cells`.
fn members_csv(rng: &mut Rng, cells: &[i64], n: usize) -> String {
    let mut csv = String::from(
        "Họ và tên,Ngày sinh,Giới tính,Dân tộc,Ngày vào Đảng,Chính thức/Dự bị,Tình trạng,Trình độ chuyên môn,Lý luận chính trị,Đơn vị\n",
    );
    let date = |d: Option<time::Date>| d.map(daihoi_format::table::format_date).unwrap_or_default();
    for index in 0..n {
        let member = daihoi_demo::people::member(
            rng,
            daihoi_demo::people::MIX_NATIONAL,
            daihoi_demo::people::Profile::Agency,
        );
        csv.push_str(&format!(
            "{} {index},{},{},{},{},{},,Đại học,Sơ cấp,{}\n",
            member.full_name,
            date(member.birth_date),
            member.sex.map(|s| s.label_vi()).unwrap_or(""),
            member.ethnicity.unwrap_or_default(),
            date(member.joined_date),
            member.membership.label_vi(),
            cells[rng.below(cells.len() as u64) as usize],
        ));
    }
    csv
}

fn main() {
    measure();
    divan::main();
}

#[divan::bench(sample_count = 200)]
fn unit_page_store_calls(bencher: divan::Bencher<'_, '_>) {
    let bench = bench();
    let mut rng = Rng::new(7);
    bencher.bench_local(|| {
        let id = 1 + rng.below(bench.max_id as u64) as i64;
        bench.runtime.block_on(unit_page(&bench.store, id));
    });
}

#[divan::bench(sample_count = 20, args = QUERIES)]
fn unit_search(bencher: divan::Bencher<'_, '_>, query: &str) {
    let bench = bench();
    bencher.bench_local(|| bench.runtime.block_on(search(&bench.store, query)));
}
