//! Throughput of the Vietnamese text keys over synthetic names: `fold` (search key),
//! `collation_key`, `PersonName::parse` + `name_order_key`, and ordering a ballot.
//! Figures in BENCHMARKS.md, "Ballot order and apportionment".

use daihoi_core::ballot_order::{BallotEntry, ballot_order};
use daihoi_core::vn::{PersonName, collation_key, fold, name_order_key};
use divan::counter::ItemsCount;

fn main() {
    divan::main();
}

const FAMILIES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Lò", "Quàng", "Giàng", "Mùa",
];
const MIDDLES: &[&str] =
    &["Văn", "Thị", "Minh", "Thanh", "Thành", "Hữu", "Đức", "Quốc", "Ngọc", "Hồng", "Xuân", "Thu"];
const GIVENS: &[&str] = &[
    "An",
    "Ẩn",
    "Anh",
    "Ánh",
    "Bình",
    "Châu",
    "Cường",
    "Dũng",
    "Đức",
    "Hà",
    "Hạnh",
    "Hòa",
    "Hùng",
    "Hương",
    "Lan",
    "Linh",
    "Nga",
    "Nhàn",
    "Phượng",
    "Quyết",
    "Thủy",
    "Tuấn",
    "Út",
    "Xuyến",
];

/// `n` names, deterministic.
fn names(n: usize) -> Vec<String> {
    let mut state: u64 = 0x5eed;
    let mut next = move |len: usize| {
        state =
            state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % len
    };
    (0..n)
        .map(|_| {
            let family = FAMILIES[next(FAMILIES.len())];
            let middle = MIDDLES[next(MIDDLES.len())];
            let given = GIVENS[next(GIVENS.len())];
            format!("{family} {middle} {given}")
        })
        .collect()
}

const N: usize = 100_000;

#[divan::bench]
fn fold_names(bencher: divan::Bencher<'_, '_>) {
    let names = names(N);
    bencher
        .counter(ItemsCount::new(N))
        .bench(|| names.iter().map(|name| fold(divan::black_box(name)).len()).sum::<usize>());
}

#[divan::bench]
fn collation_key_names(bencher: divan::Bencher<'_, '_>) {
    let names = names(N);
    bencher.counter(ItemsCount::new(N)).bench(|| {
        names.iter().map(|name| collation_key(divan::black_box(name)).len()).sum::<usize>()
    });
}

#[divan::bench]
fn parse_and_name_order_key(bencher: divan::Bencher<'_, '_>) {
    let names = names(N);
    bencher.counter(ItemsCount::new(N)).bench(|| {
        names
            .iter()
            .filter_map(|name| PersonName::parse(divan::black_box(name)).ok())
            .map(|name| name_order_key(&name).len())
            .sum::<usize>()
    });
}

#[divan::bench]
fn ballot_order_of_1000_candidates(bencher: divan::Bencher<'_, '_>) {
    let entries: Vec<BallotEntry> = names(1_000)
        .iter()
        .filter_map(|name| PersonName::parse(name).ok())
        .map(|name| BallotEntry { name, birth_date: None })
        .collect();
    bencher
        .counter(ItemsCount::new(entries.len()))
        .bench(|| ballot_order(divan::black_box(&entries)));
}
