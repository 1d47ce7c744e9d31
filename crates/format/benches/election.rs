//! Reading and counting an election file in-process: parse, resolve, tally, write the result.
//! The end-to-end figure for `daihoi tally` on the same file is measured with hyperfine
//! (BENCHMARKS.md, "Counting"). Run with `cargo bench -p daihoi-format --bench election`.

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};

use daihoi_format::election::{self, Lang, ResultFile};

fn main() {
    divan::main();
}

/// The same shape of file `examples/gen_election.rs` writes: each ballot on its own entry,
/// crossing 10–20 of 60 names for 50 seats.
fn election_file(n_ballots: usize) -> String {
    let mut state: u64 = 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let candidates: Vec<String> =
        (0..60).map(|p| format!("{{\"id\":\"c{p}\",\"name\":\"Ứng cử viên số {p}\"}}")).collect();
    let mut order: Vec<u64> = (0..60).collect();
    let cast: Vec<String> = (0..n_ballots)
        .map(|_| {
            let n_crossed = 10 + next() % 11;
            for i in 0..n_crossed {
                let j = i + next() % (60 - i);
                order.swap(i as usize, j as usize);
            }
            let crossed: Vec<String> =
                order[..n_crossed as usize].iter().map(|p| format!("\"c{p}\"")).collect();
            format!("{{\"crossed\":[{}]}}", crossed.join(","))
        })
        .collect();
    format!(
        "{{\"format\":\"daihoi.election/1\",\"kind\":\"delegates\",\"seats\":50,\"candidates\":[{}],\
         \"electorate\":{{\"congress\":\"delegates\",\"summoned\":{n_ballots},\"present\":{n_ballots}}},\
         \"ballots\":{{\"issued\":{n_ballots},\"collected\":{n_ballots},\"cast\":[{}]}}}}",
        candidates.join(","),
        cast.join(",")
    )
}

#[divan::bench]
fn read_and_count_100k_ballots(bencher: Bencher<'_, '_>) {
    let file = election_file(100_000);
    bencher
        .counter(ItemsCount::new(100_000usize))
        .counter(BytesCount::of_str(&file))
        .bench(|| election::count(divan::black_box(file.as_bytes())).expect("a valid file"));
}

#[divan::bench]
fn read_count_and_write_result_100k_ballots(bencher: Bencher<'_, '_>) {
    let file = election_file(100_000);
    bencher.counter(ItemsCount::new(100_000usize)).bench(|| {
        let report = election::count(divan::black_box(file.as_bytes())).expect("a valid file");
        ResultFile::from_report(&report, Lang::Vi).to_json()
    });
}
