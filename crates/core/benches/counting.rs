//! Counting speed in-process: strike-through ballots per second, and a whole large congress.
//!
//! Targets (BENCHMARKS.md, "Counting"): at least 10 million 60-name strike-through ballots per
//! second on one core; a congress of 1,600 ballots × 250 names in under 1 ms.
//! Run with `cargo bench -p daihoi-core --bench counting`.

use divan::Bencher;
use divan::counter::ItemsCount;

use daihoi_core::counting::{
    Candidate, CandidateId, CandidateList, CongressType, Election, ElectionKind, ElectionSetup,
    ElectionSpec, Electorate, Mark, RoundType, RulePackId, SeatCount, tally,
};

fn main() {
    divan::main();
}

/// A small deterministic generator (xorshift), so every run counts the same ballots.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn ids(n_candidates: usize) -> Vec<String> {
    (0..n_candidates).map(|p| format!("c{p}")).collect()
}

fn setup(n_candidates: usize, seats: u32, base: u32) -> ElectionSetup {
    let pack = RulePackId::Qd190_2024.pack();
    let candidates = ids(n_candidates)
        .into_iter()
        .map(|id| {
            let name = format!("Ứng cử viên {id}");
            Candidate::new(CandidateId::new(id).expect("id"), name).expect("name")
        })
        .collect();
    ElectionSetup::new(ElectionSpec {
        rules: RulePackId::Qd190_2024,
        title: String::new(),
        kind: ElectionKind::Committee,
        round_type: RoundType::Regular,
        seats: SeatCount::new(seats).expect("seats"),
        alternate_seats: 0,
        candidates: CandidateList::new(candidates).expect("list"),
        electorate: Electorate::new(pack, CongressType::Delegates, base, base, &[]).expect("base"),
    })
    .expect("setup")
}

/// Crossed-out positions of `n_ballots` strike-through ballots, each crossing between
/// `min_crossed` and `max_crossed` distinct names, plus a few invalid ones.
fn random_ballots(
    n_ballots: usize,
    n_candidates: usize,
    min_crossed: usize,
    max_crossed: usize,
    seed: u64,
) -> Vec<Vec<usize>> {
    let mut random = Xorshift(seed);
    let mut order: Vec<usize> = (0..n_candidates).collect();
    (0..n_ballots)
        .map(|_| {
            let n_crossed = min_crossed + random.below(max_crossed - min_crossed + 1);
            // Partial Fisher–Yates: the first n_crossed of a shuffled list.
            for i in 0..n_crossed {
                let j = i + random.below(n_candidates - i);
                order.swap(i, j);
            }
            order[..n_crossed].to_vec()
        })
        .collect()
}

fn strike_through_election(
    n_ballots: usize,
    n_candidates: usize,
    seats: u32,
    min_crossed: usize,
    max_crossed: usize,
) -> Election {
    let ballots = random_ballots(n_ballots, n_candidates, min_crossed, max_crossed, 0x5eed);
    let names = ids(n_candidates);
    let n = u32::try_from(n_ballots).expect("fits");
    let mut ballot_box = setup(n_candidates, seats, n).open(n, n).expect("open");
    for crossed in &ballots {
        ballot_box.push_crossed(crossed.iter().map(|&p| names[p].as_str()), 1).expect("known ids");
    }
    ballot_box.close().expect("adds up")
}

/// One million 60-name ballots for 50 seats, each crossing 5–20 names (a few keep too many).
#[divan::bench]
fn strike_through_60_names_per_ballot(bencher: Bencher<'_, '_>) {
    let n_ballots = 1_000_000;
    let election = strike_through_election(n_ballots, 60, 50, 5, 20);
    bencher.counter(ItemsCount::new(n_ballots)).bench(|| tally(divan::black_box(&election)));
}

/// The same with ballots that keep few names (40–59 crossed): the count walks the kept names.
#[divan::bench]
fn strike_through_60_names_few_kept(bencher: Bencher<'_, '_>) {
    let n_ballots = 1_000_000;
    let election = strike_through_election(n_ballots, 60, 50, 40, 59);
    bencher.counter(ItemsCount::new(n_ballots)).bench(|| tally(divan::black_box(&election)));
}

/// A national-congress-sized election: 1,600 ballots, 250 names, 200 seats; each ballot crosses
/// 50–125 names.
#[divan::bench]
fn congress_1600_ballots_250_names(bencher: Bencher<'_, '_>) {
    let election = strike_through_election(1_600, 250, 200, 50, 125);
    bencher.counter(ItemsCount::new(1_600usize)).bench(|| tally(divan::black_box(&election)));
}

/// The same congress from ids: opening the box, resolving every id, closing, counting.
#[divan::bench]
fn congress_1600_ballots_250_names_from_ids(bencher: Bencher<'_, '_>) {
    let ballots = random_ballots(1_600, 250, 50, 125, 0x5eed);
    let names = ids(250);
    let setup = setup(250, 200, 1_600);
    bencher.counter(ItemsCount::new(1_600usize)).bench(|| {
        let mut ballot_box = setup.clone().open(1_600, 1_600).expect("open");
        for crossed in &ballots {
            ballot_box
                .push_crossed(crossed.iter().map(|&p| names[p].as_str()), 1)
                .expect("known ids");
        }
        tally(&ballot_box.close().expect("adds up"))
    });
}

/// Agree/disagree ballots: 1,600 ballots for a list of 200 with no surplus.
#[divan::bench]
fn agree_disagree_1600_ballots_200_names(bencher: Bencher<'_, '_>) {
    let names = ids(200);
    let mut random = Xorshift(0xa9ee);
    let mut ballot_box = setup(200, 200, 1_600).open(1_600, 1_600).expect("open");
    for _ in 0..1_600 {
        let marks = names.iter().map(|id| {
            let mark = match random.below(10) {
                0 => Mark::Disagree,
                1 => Mark::Both,
                2 => Mark::None,
                _ => Mark::Agree,
            };
            (id.as_str(), mark)
        });
        ballot_box.push_marks(marks, 1).expect("known ids");
    }
    let election = ballot_box.close().expect("adds up");
    bencher.counter(ItemsCount::new(1_600usize)).bench(|| tally(divan::black_box(&election)));
}
