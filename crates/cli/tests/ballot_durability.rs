//! Ballot entry under SIGKILL: the real server is killed while two counting teams key ballots
//! as fast as the acknowledgements come back. After a restart every acknowledged ballot is in
//! its team's pile (at most one more, committed just before the kill, may be there too), the
//! piles replay, and the audit chain verifies. SQLite, and PostgreSQL when configured.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::{TempDir, daihoi, daihoi_with_input, stderr, stdout};
use daihoi_core::counting::ElectionKind;
use daihoi_core::member::{MemberStatus, Membership};
use daihoi_core::unit::UnitKind;
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
use daihoi_store::elections::{CandidateSource, NewCandidate, NewElection, Voters, Votes};
use daihoi_store::{Actor, MemberInput, NewUnit, Page, Store};

const PASSWORD: &str = "ballot-durability-password";

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(url: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_daihoi"))
            .args(["serve", "--bind", "127.0.0.1:0", "--database-url", url])
            .env("RUST_LOG", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start daihoi serve");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let addr = loop {
            let line = lines.next().expect("daihoi serve printed its address").expect("stderr");
            if let Some(rest) = line.strip_prefix("daihoi: serving on http://") {
                break rest.trim_end_matches('/').to_string();
            }
        };
        std::thread::spawn(move || for _ in lines.by_ref() {});
        Server { child, addr }
    }

    fn kill(mut self) {
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the server");
    }
}

/// An HTTP answer: status, headers, body.
type Answer = (u16, Vec<(String, String)>, String);

/// One HTTP/1.1 exchange; `None` when the server is gone.
fn http(addr: &str, method: &str, path: &str, headers: &str, body: &[u8]) -> Option<Answer> {
    let mut stream = TcpStream::connect(addr).ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    Some((status, headers, body.to_string()))
}

fn cookie(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .filter(|(header, _)| header == "set-cookie")
        .filter_map(|(_, value)| value.split(';').next())
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_string))
}

/// Logs in as `admin`; returns the header lines a session's requests carry.
fn login(addr: &str) -> String {
    let (_, headers, _) = http(addr, "GET", "/login", "", b"").expect("login form");
    let anon = cookie(&headers, "daihoi_csrf").expect("a CSRF cookie");
    let form = format!("_csrf={anon}&username=admin&password={PASSWORD}&next=%2F");
    let (status, headers, _) = http(
        addr,
        "POST",
        "/login",
        &format!(
            "Cookie: daihoi_csrf={anon}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        ),
        form.as_bytes(),
    )
    .expect("login");
    assert_eq!(status, 303, "login");
    let secret = cookie(&headers, "daihoi_session").expect("a session cookie");
    let (_, _, page) =
        http(addr, "GET", "/", &format!("Cookie: daihoi_session={secret}\r\n"), b"").expect("home");
    let marker = "name=\"csrf-token\" content=\"";
    let from = page.find(marker).expect("csrf meta") + marker.len();
    let csrf = &page[from..from + page[from..].find('"').expect("end of token")];
    format!("Cookie: daihoi_session={secret}\r\nX-CSRF-Token: {csrf}\r\n")
}

/// A ward congress of 300 checked-in members with a committee election open for counting.
async fn arrange(url: &str) -> i64 {
    let store = Store::connect(url).await.expect("open the database");
    let actor = Actor::system("test");
    let mut tx = store.begin_write(&actor).await.unwrap();
    let unit = |parent, name: &str, kind, official| NewUnit {
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
    };
    let (root, _) =
        store.create_unit(&mut tx, unit(None, "Trung ương", UnitKind::Central, 0)).await.unwrap();
    let (province, _) = store
        .create_unit(&mut tx, unit(Some(root.id), "Tỉnh", UnitKind::Province, 500))
        .await
        .unwrap();
    let (ward, _) = store
        .create_unit(
            &mut tx,
            unit(Some(province.id), "Đảng bộ phường Him Lam", UnitKind::GrassrootsCommittee, 300),
        )
        .await
        .unwrap();
    let (cell, _) = store
        .create_unit(&mut tx, unit(Some(ward.id), "Chi bộ 1", UnitKind::Cell, 300))
        .await
        .unwrap();
    for index in 0..300 {
        store
            .create_member(
                &mut tx,
                cell.id,
                &MemberInput {
                    full_name: format!("Lò Văn Thành {index:03}"),
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
                place: None,
                venue: None,
                pilot: false,
                sessions: vec![(SessionKind::Official, None, None)],
            },
        )
        .await
        .unwrap();
    store.summon_members(&mut tx, congress.id).await.unwrap();
    for badge in 1..=300 {
        store.check_in(&mut tx, congress.id, badge, "cửa").await.unwrap();
    }
    let election = store
        .create_election(
            &mut tx,
            congress.id,
            NewElection {
                offices: vec![ElectionKind::Committee],
                title: String::new(),
                seats: 9,
                alternate_seats: 0,
                voters: Voters::Congress,
                conference_of: None,
            },
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let people = store.people(congress.id, None, None, Page::new(1, 20)).await.unwrap().items;
    let mut tx = store.begin_write(&actor).await.unwrap();
    for person in people.iter().take(11) {
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
    let votes = Votes { votes_for: 300, against: 0, abstain: 0, present: 300 };
    let round = store.approve_list(&mut tx, election.id, &votes).await.unwrap().1.unwrap();
    tx.commit().await.unwrap();
    store.close().await;
    round.id
}

/// Two teams key ballots until the server dies; returns each team's acknowledged count.
fn story(url: &str, round: i64) -> [usize; 2] {
    let output = daihoi_with_input(&["user", "add", "admin", "--database-url", url], PASSWORD);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let server = Server::start(url);
    let session = login(&server.addr);
    let stop = Arc::new(AtomicBool::new(false));
    let mut teams = Vec::new();
    for team in 1..=2_u32 {
        let addr = server.addr.clone();
        let session = session.clone();
        let stop = stop.clone();
        teams.push(std::thread::spawn(move || {
            let mut acknowledged = 0usize;
            while !stop.load(Ordering::SeqCst) {
                let keys = format!("keys={}+{}", 1 + acknowledged % 11, 1 + (acknowledged + 3) % 11);
                let headers = format!(
                    "{session}Accept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                );
                match http(&addr, "POST", &format!("/rounds/{round}/count/{team}"), &headers, keys.as_bytes()) {
                    Some((200, _, body)) if body.contains("\"ok\":true") => acknowledged += 1,
                    Some((status, _, body)) if status != 200 => panic!("team {team}: {status} {body}"),
                    _ => break,
                }
            }
            acknowledged
        }));
    }
    // Let the teams key for a while, then kill the server mid-stream.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    server.kill();
    stop.store(true, Ordering::SeqCst);
    let counts: Vec<usize> = teams.into_iter().map(|t| t.join().expect("team thread")).collect();
    [counts[0], counts[1]]
}

async fn check(url: &str, round: i64, acknowledged: [usize; 2]) {
    let server = Server::start(url);
    let (status, _, _) = http(&server.addr, "GET", "/healthz", "", b"").expect("health");
    assert_eq!(status, 200, "the server starts again");
    server.kill();
    let verify = daihoi(&["audit", "verify", "--database-url", url]);
    assert_eq!(verify.status.code(), Some(0), "{}{}", stdout(&verify), stderr(&verify));
    let store = Store::connect(url).await.expect("open the database");
    let state = store.round_state(round).await.expect("the round");
    for (team, acked) in acknowledged.iter().enumerate() {
        let pile = state.piles[team].1.len();
        eprintln!("{url}: team {} acknowledged {acked}, pile holds {pile}", team + 1);
        assert!(*acked > 0, "team {} keyed something before the kill", team + 1);
        assert!(
            pile == *acked || pile == acked + 1,
            "team {}: {acked} acknowledged, {pile} stored",
            team + 1
        );
    }
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_acknowledged_ballot_survives_a_killed_server() {
    let dir = TempDir::new("daihoi-ballots");
    let sqlite = format!("sqlite://{}", dir.0.join("ballots.db").display());
    let round = arrange(&sqlite).await;
    let acknowledged = {
        let url = sqlite.clone();
        tokio::task::spawn_blocking(move || story(&url, round)).await.expect("the story")
    };
    check(&sqlite, round, acknowledged).await;
    if let Some(db) = daihoi_store::testing::postgres().await {
        let url = db.url.clone();
        db.store.close().await;
        let round = arrange(&url).await;
        let story_url = url.clone();
        let acknowledged =
            tokio::task::spawn_blocking(move || story(&story_url, round)).await.expect("the story");
        check(&url, round, acknowledged).await;
    }
}
