//! Election benchmarks against the real HTTP server on a loopback socket:
//! ballot entry round trips with three teams keying at once, and for a congress of 1,600
//! members with a 250-name list and 1,600 ballots: the results page, the ballots PDF of 1,600
//! copies and the counting minutes.
//!
//! `cargo run --release -p daihoi-web --example elections_bench [DATABASE_URL]`
//! (default: a fresh SQLite file in a temporary directory).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use daihoi_core::counting::ElectionKind;
use daihoi_core::member::{MemberStatus, Membership};
use daihoi_core::unit::UnitKind;
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
use daihoi_store::elections::{CandidateSource, NewCandidate, NewElection, Voters, Votes};
use daihoi_store::{Actor, MemberInput, NewUnit, Page, Store};
use daihoi_web::{AppState, Config};

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

const GIVEN: [&str; 20] = [
    "An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hòa", "Khánh", "Lan", "Linh", "Minh",
    "Nam", "Ngọc", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn",
];
const FAMILY: [&str; 10] =
    ["Lò", "Quàng", "Cầm", "Lường", "Tòng", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Hữu", "Thanh"];

/// A congress of `n` checked-in members and an election of `names` names for `seats` seats;
/// returns (congress id, election id, round id).
async fn congress(store: &Store, n: usize, names: usize, seats: i64) -> (i64, i64, i64) {
    let actor = Actor::system("bench");
    let mut tx = store.begin_write(&actor).await.unwrap();
    let province = if store.is_empty().await.unwrap() {
        let (root, _) = store
            .create_unit(&mut tx, unit(None, "Trung ương", UnitKind::Central, 0))
            .await
            .unwrap();
        let (province, _) = store
            .create_unit(
                &mut tx,
                unit(Some(root.id), "Đảng bộ tỉnh Điện Biên", UnitKind::Province, 5000),
            )
            .await
            .unwrap();
        province.id
    } else {
        2
    };
    let (ward, _) = store
        .create_unit(
            &mut tx,
            unit(
                Some(province),
                &format!("Đảng bộ phường Him Lam {n}"),
                UnitKind::GrassrootsCommittee,
                n as i64,
            ),
        )
        .await
        .unwrap();
    let (cell, _) = store
        .create_unit(&mut tx, unit(Some(ward.id), "Chi bộ 1", UnitKind::Cell, n as i64))
        .await
        .unwrap();
    for index in 0..n {
        let name = format!(
            "{} {} {} {}",
            FAMILY[index % 10],
            MIDDLE[(index / 10) % 8],
            GIVEN[(index / 80) % 20],
            GIVEN[index % 20]
        );
        store
            .create_member(
                &mut tx,
                cell.id,
                &MemberInput {
                    full_name: name,
                    birth_date: None,
                    sex: None,
                    ethnicity: None,
                    joined_date: None,
                    membership: Membership::Official,
                    status: MemberStatus::Active,
                    education: None,
                    theory_level: None,
                    note: None,
                },
            )
            .await
            .unwrap();
    }
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
                place: Some("Điện Biên Phủ".into()),
                venue: None,
                pilot: false,
                sessions: vec![(SessionKind::Official, None, None)],
            },
        )
        .await
        .unwrap();
    store.summon_members(&mut tx, congress.id).await.unwrap();
    for badge in 1..=n as i64 {
        store.check_in(&mut tx, congress.id, badge, "cửa").await.unwrap();
    }
    store
        .set_counting_committee(
            &mut tx,
            congress.id,
            &[("Lò Văn Khánh".into(), "head".into()), ("Vì Thị Hằng".into(), "member".into())],
        )
        .await
        .unwrap();
    let election = store
        .create_election(
            &mut tx,
            congress.id,
            NewElection {
                offices: vec![ElectionKind::Committee],
                title: String::new(),
                seats,
                alternate_seats: 0,
                voters: Voters::Congress,
                conference_of: None,
            },
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let people = store.people(congress.id, None, None, Page::new(1, 500)).await.unwrap().items;
    let mut tx = store.begin_write(&actor).await.unwrap();
    for person in people.iter().take(names) {
        store
            .add_candidate(
                &mut tx,
                election.id,
                NewCandidate {
                    person_id: Some(person.id),
                    full_name: String::new(),
                    source: CandidateSource::Committee,
                    note: None,
                },
            )
            .await
            .unwrap();
    }
    let present = n as i64;
    let round = store
        .approve_list(
            &mut tx,
            election.id,
            &Votes { votes_for: present, against: 0, abstain: 0, present },
        )
        .await
        .unwrap()
        .1
        .unwrap();
    tx.commit().await.unwrap();
    (congress.id, election.id, round.id)
}

/// One HTTP/1.1 request over a fresh connection; returns the status and the body length.
fn http(addr: &str, method: &str, path: &str, headers: &str, body: &[u8]) -> (u16, usize) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_nodelay(true).ok();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let status =
        std::str::from_utf8(&response[9..12]).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, response.len())
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = daihoi_store::testing::TempDir::new("daihoi-elections-bench");
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("sqlite://{}", dir.0.join("bench.db").display()));
    let (store, addr, session, small_round, big) = runtime.block_on(async {
        let store = Store::connect(&url).await.unwrap();
        eprintln!("arranging a congress of 1,600 members, 250 names, 1,600 ballots …");
        let started = Instant::now();
        let big = congress(&store, 1600, 250, 200).await;
        let actor = Actor::system("bench");
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.set_round_teams(&mut tx, big.2, 1).await.unwrap();
        store.set_round_figures(&mut tx, big.2, 1600, 1600).await.unwrap();
        for index in 0..1600_u32 {
            // Each ballot crosses 50 to 60 names.
            let crossed: std::collections::BTreeSet<u32> =
                (0..50 + index % 11).map(|k| 1 + (index * 7 + k * 13) % 250).collect();
            let keys = crossed.iter().map(u32::to_string).collect::<Vec<_>>().join(" ");
            store.enter_ballot(&mut tx, big.2, 1, &keys).await.unwrap();
        }
        store.lock_round(&mut tx, big.2).await.unwrap();
        tx.commit().await.unwrap();
        eprintln!("arranged in {:.1} s", started.elapsed().as_secs_f64());
        // A second congress for the entry round trips: 17 names, 3 teams.
        let small = congress(&store, 400, 17, 15).await;
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.set_round_teams(&mut tx, small.2, 3).await.unwrap();
        let user = store
            .create_user(&mut tx, "bench", "bench", "a-long-bench-password", "vi")
            .await
            .unwrap();
        let root: i64 = 1;
        store.grant_role(&mut tx, user.id, daihoi_core::access::Role::Admin, root).await.unwrap();
        tx.commit().await.unwrap();
        let secret = store.create_session(user.id).await.unwrap();
        let info = store.session(&secret).await.unwrap().unwrap();
        let session =
            format!("Cookie: daihoi_session={secret}\r\nX-CSRF-Token: {}\r\n", info.csrf_token);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let state = AppState::new(store.clone(), Config::default()).unwrap();
        tokio::spawn(daihoi_web::serve_on(state, listener));
        (store, addr, session, small.2, big)
    });

    // Ballot entry: three teams keying at once, 300 ballots each.
    let mut threads = Vec::new();
    for team in 1..=3 {
        let addr = addr.clone();
        let session = session.clone();
        threads.push(std::thread::spawn(move || {
            let mut samples = Vec::with_capacity(300);
            let headers = format!("{session}Accept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\n");
            for index in 0..300_u32 {
                let first = index % 17;
                let second = (first + 1 + (index / 17) % 16) % 17;
                let body = format!("keys={}+{}", 1 + first, 1 + second);
                let started = Instant::now();
                let (status, _) = http(&addr, "POST", &format!("/rounds/{small_round}/count/{team}"), &headers, body.as_bytes());
                samples.push(started.elapsed());
                assert_eq!(status, 200, "ballot entry");
            }
            samples
        }));
    }
    let mut entry: Vec<Duration> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let n = entry.len();
    println!(
        "ballot entry, 3 teams at once, {n} ballots: p50 {} p95 {} max {}",
        ms(percentile(&mut entry, 0.5)),
        ms(percentile(&mut entry, 0.95)),
        ms(percentile(&mut entry, 1.0))
    );

    let (_, election, round) = big;
    let timed = |path: &str, runs: usize| {
        let mut samples = Vec::new();
        let mut size = 0;
        for _ in 0..runs {
            let started = Instant::now();
            let (status, bytes) = http(&addr, "GET", path, &session, b"");
            samples.push(started.elapsed());
            assert_eq!(status, 200, "{path}");
            size = bytes;
        }
        (percentile(&mut samples, 0.5), percentile(&mut samples, 0.95), size)
    };
    for (label, path, runs) in [
        ("results page, 1,600 ballots × 250 names", format!("/rounds/{round}/result"), 20),
        ("round page (piles, pending, result)", format!("/rounds/{round}"), 10),
        ("result document (JSON)", format!("/api/v1/elections/{election}/result"), 10),
        (
            "ballots PDF, 1,600 copies × 250 names",
            format!("/api/v1/elections/{election}/ballots.pdf?copies=1600"),
            3,
        ),
        (
            "counting minutes PDF (+1,600-row entry log)",
            format!("/api/v1/elections/{election}/minutes.pdf"),
            3,
        ),
        ("counting minutes DOCX", format!("/api/v1/elections/{election}/minutes.docx"), 3),
    ] {
        let (p50, p95, size) = timed(&path, runs);
        println!("{label}: p50 {} p95 {} ({} kB)", ms(p50), ms(p95), size / 1024);
    }
    runtime.block_on(store.close());
}
