//! Writes a synthetic election file (`daihoi.election/1`) for benchmarks: N strike-through
//! ballots, each on its own entry, deterministic for a given seed.
//!
//! `cargo run --release -p daihoi-format --example gen_election -- BALLOTS NAMES SEATS [SEED] > FILE`
//! (defaults: 100000 ballots, 60 names, 50 seats, seed 1).

use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let args: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n_ballots = args.first().copied().unwrap_or(100_000);
    let n_names = args.get(1).copied().unwrap_or(60).max(2);
    let seats = args.get(2).copied().unwrap_or(50).clamp(1, n_names - 1);
    let mut state = args.get(3).copied().unwrap_or(1).max(1);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    writeln!(out, "{{")?;
    writeln!(out, "  \"format\": \"daihoi.election/1\",")?;
    writeln!(out, "  \"title\": \"Synthetic election: {n_ballots} ballots, {n_names} names\",")?;
    writeln!(out, "  \"kind\": \"delegates\",")?;
    writeln!(out, "  \"seats\": {seats},")?;
    writeln!(out, "  \"candidates\": [")?;
    for p in 0..n_names {
        let comma = if p + 1 < n_names { "," } else { "" };
        writeln!(out, "    {{\"id\": \"c{p}\", \"name\": \"Ứng cử viên số {p}\"}}{comma}")?;
    }
    writeln!(out, "  ],")?;
    writeln!(
        out,
        "  \"electorate\": {{\"congress\": \"delegates\", \"summoned\": {n_ballots}, \"present\": {n_ballots}}},"
    )?;
    writeln!(out, "  \"ballots\": {{")?;
    writeln!(out, "    \"issued\": {n_ballots},")?;
    writeln!(out, "    \"collected\": {n_ballots},")?;
    writeln!(out, "    \"cast\": [")?;
    let min_crossed = n_names - seats;
    let mut order: Vec<u64> = (0..n_names).collect();
    for b in 0..n_ballots {
        // Cross at least enough names to keep at most `seats`, and up to 10 more.
        let extra = next() % 11;
        let n_crossed = (min_crossed + extra).min(n_names - 1);
        for i in 0..n_crossed {
            let j = i + next() % (n_names - i);
            order.swap(i as usize, j as usize);
        }
        let crossed: Vec<String> =
            order[..n_crossed as usize].iter().map(|p| format!("\"c{p}\"")).collect();
        let comma = if b + 1 < n_ballots { "," } else { "" };
        writeln!(out, "      {{\"crossed\": [{}]}}{comma}", crossed.join(", "))?;
    }
    writeln!(out, "    ]")?;
    writeln!(out, "  }}")?;
    writeln!(out, "}}")?;
    out.flush()
}
