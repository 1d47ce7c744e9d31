//! Elections over HTTP on every backend: building the list, two teams keying ballots with bad
//! input refused, a discrepancy resolved by the committee, the result, sign-off after which every
//! page and API change is refused, the minutes (DOCX opened and its figures checked, PDF text
//! through pdftotext) and the ballots PDF.

mod common;

use std::io::Read;

use axum::http::{Method, StatusCode};
use common::{App, Payload, Session, account, apps, get, post, send, session, unit};
use daihoi_core::access::Role;
use daihoi_core::member::Membership;
use daihoi_core::unit::UnitKind;
use daihoi_store::Actor;
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};

const NAMES: [&str; 6] =
    ["Lò Văn Bình", "Quàng Thị Lan", "Cầm Văn Minh", "Lường Thị Hoa", "Tòng Văn Sơn", "Lò Thị An"];

struct Arranged {
    admin: Session,
    counter: Session,
    congress: i64,
}

/// A ward with six official members (all checked in) and its congress, a counting committee.
async fn arrange(app: &App) -> Arranged {
    let store = &app.store;
    let central = unit(store, None, "Trung ương", UnitKind::Central, 0).await;
    let province =
        unit(store, Some(central.id), "Đảng bộ tỉnh Điện Biên", UnitKind::Province, 1000).await;
    let city =
        unit(store, Some(province.id), "Đảng bộ thành phố Điện Biên Phủ", UnitKind::District, 300)
            .await;
    let ward =
        unit(store, Some(city.id), "Đảng bộ phường Him Lam", UnitKind::GrassrootsCommittee, 40)
            .await;
    let cell = unit(store, Some(ward.id), "Chi bộ tổ dân phố 1", UnitKind::Cell, 12).await;
    for name in NAMES {
        common::member(store, cell.id, name, Membership::Official).await;
    }
    let admin = account(store, "admin.himlam", Role::Admin, ward.id).await;
    let counter = account(store, "kiemphieu.himlam", Role::Counter, ward.id).await;
    let actor = Actor::system("test");
    let mut tx = store.begin_write(&actor).await.unwrap();
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
    for badge in 1..=6 {
        store.check_in(&mut tx, congress.id, badge, "cửa").await.unwrap();
    }
    tx.commit().await.unwrap();
    Arranged {
        admin: session(store, admin.id).await,
        counter: session(store, counter.id).await,
        congress: congress.id,
    }
}

fn id_from(location: &str, prefix: &str) -> i64 {
    location
        .strip_prefix(prefix)
        .and_then(|rest| rest.split(['/', '#', '?']).next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location} does not start with {prefix}<id>"))
}

async fn key(app: &App, session: &Session, round: i64, team: u32, keys: &str) -> common::Answer {
    let mut answer = send(
        app,
        Method::POST,
        &format!("/rounds/{round}/count/{team}"),
        Some(session),
        Payload::Form(vec![("keys".into(), keys.into())]),
    )
    .await;
    // The counting screen asks for JSON; the helper cannot set Accept, so read the redirect.
    if answer.status == StatusCode::SEE_OTHER {
        answer.body = String::new();
    }
    answer
}

fn docx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX is a zip");
    let mut xml = String::new();
    archive.by_name("word/document.xml").expect("document.xml").read_to_string(&mut xml).unwrap();
    // Text runs only, one space between them.
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<w:t") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</w:t>") else { break };
        if !after[..open_end].ends_with('/') {
            text.push_str(&body[..close]);
            text.push(' ');
        }
        rest = &body[close..];
    }
    text
}

fn pdf_text(bytes: &[u8]) -> String {
    let dir = daihoi_store::testing::TempDir::new("daihoi-pdf");
    let path = dir.0.join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    let output = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is installed");
    assert!(output.status.success(), "pdftotext: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn bytes(app: &App, uri: &str, session: &Session) -> (StatusCode, Vec<u8>) {
    use axum::body::{Body, to_bytes};
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .uri(uri)
        .header("host", "localhost")
        .header("cookie", &session.cookie)
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    (status, to_bytes(response.into_body(), 64 * 1024 * 1024).await.unwrap().to_vec())
}

#[tokio::test]
async fn a_committee_election_from_list_to_locked_minutes() {
    for app in apps().await {
        let label = app.label;
        let a = arrange(&app).await;
        let c = a.congress;

        // Bad input: two offices on one ballot, seats not a number.
        let answer = post(
            &app,
            &format!("/congresses/{c}/elections"),
            &a.admin,
            &[("kind", "committee"), ("kind", "secretary"), ("seats", "3")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(answer.text().contains("một chức danh"), "[{label}] {}", answer.text());
        let answer = post(
            &app,
            &format!("/congresses/{c}/elections"),
            &a.admin,
            &[("kind", "committee"), ("seats", "ba")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(answer.text().contains("phải là số"), "[{label}]");
        assert!(app.store.elections(c).await.unwrap().is_empty(), "[{label}] nothing stored");

        // The committee's counting committee, then a 3-seat committee election with 4 names.
        let answer = post(
            &app,
            &format!("/congresses/{c}/counting-committee"),
            &a.admin,
            &[("members", "Lò Văn Khánh\nVì Thị Hằng")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);
        let answer = post(
            &app,
            &format!("/congresses/{c}/elections"),
            &a.admin,
            &[("kind", "committee"), ("seats", "3"), ("voters", "congress")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);
        let election = id_from(answer.location(), "/elections/");
        let index = get(&app, "/elections", &a.admin).await;
        assert!(
            index.text().contains(&format!("/elections/{election}")),
            "[{label}] the index lists it"
        );
        let people =
            app.store.people(c, None, None, daihoi_store::Page::new(1, 10)).await.unwrap().items;
        for person in people.iter().take(4) {
            let answer = post(
                &app,
                &format!("/elections/{election}/candidates"),
                &a.admin,
                &[("person_id", &person.id.to_string()), ("source", "committee")],
            )
            .await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);
        }
        let page = get(&app, &format!("/elections/{election}"), &a.admin).await;
        assert_eq!(page.status, StatusCode::OK, "[{label}]");
        assert!(page.text().contains(&people[0].full_name), "[{label}]");
        // More for than present: refused with a message, nothing stored.
        let answer = post(
            &app,
            &format!("/elections/{election}/approve"),
            &a.admin,
            &[("votes_for", "7"), ("present", "6")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(answer.text().contains("vượt số có mặt"), "[{label}]");
        let answer = post(
            &app,
            &format!("/elections/{election}/approve"),
            &a.admin,
            &[("votes_for", "6"), ("present", "6")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);
        let round = id_from(answer.location(), "/rounds/");

        // The counter records the ballot counts; a viewer-free check: more collected than issued.
        let answer = post(
            &app,
            &format!("/rounds/{round}/figures"),
            &a.counter,
            &[("issued", "6"), ("collected", "7")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let answer = post(
            &app,
            &format!("/rounds/{round}/figures"),
            &a.counter,
            &[("issued", "6"), ("collected", "6")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);

        // Two teams key the six ballots; team 2 reads ballot 3 differently.
        let pile = ["1", "2", "3", "4", "0", "x3"];
        for (team, pile) in [(1, pile), (2, ["1", "2", "4", "4", "0", "x3"])] {
            for keys in pile {
                let answer = key(&app, &a.counter, round, team, keys).await;
                assert_eq!(
                    answer.status,
                    StatusCode::SEE_OTHER,
                    "[{label}] {keys}: {}",
                    answer.body
                );
            }
        }
        for bad in ["", "9", "1 1", "abc"] {
            let answer = key(&app, &a.counter, round, 1, bad).await;
            assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {bad:?}");
        }
        assert_eq!(
            app.store.round_state(round).await.unwrap().piles[0].1.len(),
            6,
            "[{label}] bad input stored nothing"
        );
        // A mistyped ballot, then undone.
        key(&app, &a.counter, round, 1, "2").await;
        let answer = post(&app, &format!("/rounds/{round}/count/1/undo"), &a.counter, &[]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}]");
        let screen = get(&app, &format!("/rounds/{round}/count/1"), &a.counter).await;
        assert_eq!(screen.status, StatusCode::OK, "[{label}]");
        assert!(screen.text().contains("id=\"total\">6<"), "[{label}] six ballots after the undo");

        // Not countable with a discrepancy; the reconciliation page shows both readings.
        let result = get(&app, &format!("/rounds/{round}/result"), &a.admin).await;
        assert!(result.text().contains("chênh lệch"), "[{label}]");
        let reconcile = get(&app, &format!("/rounds/{round}/reconcile"), &a.counter).await;
        assert!(reconcile.text().contains("id=\"ballot-3\""), "[{label}]");
        let answer = post(
            &app,
            &format!("/rounds/{round}/decisions"),
            &a.counter,
            &[("ballot", "3"), ("kind", "discrepancy"), ("keys", "7")],
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{label}] a reading outside the list"
        );
        let answer = post(
            &app,
            &format!("/rounds/{round}/decisions"),
            &a.counter,
            &[
                ("ballot", "3"),
                ("kind", "discrepancy"),
                ("keys", "3"),
                ("note", "Xem lại phiếu gốc"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);

        // The result: D = 6, threshold 4; ballot 5 keeps 4 names (invalid), ballot 6 ruled out.
        let result = get(&app, &format!("/rounds/{round}/result"), &a.admin).await;
        let text = result.text();
        assert!(text.contains("id=\"r-base\">6<"), "[{label}]");
        assert!(text.contains("id=\"r-valid\">4<"), "[{label}]");
        assert!(text.contains("id=\"r-invalid\">2"), "[{label}]");
        let projector = get(&app, &format!("/rounds/{round}/projector"), &a.admin).await;
        assert!(projector.text().contains("class=\"projector\""), "[{label}]");
        assert!(!projector.text().contains("<form"), "[{label}] no controls on the projector");
        let answer = post(&app, &format!("/rounds/{round}/lock"), &a.counter, &[]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);
        let locked = app.store.round(round).await.unwrap();
        let hash = locked.lock_hash.clone().unwrap();

        // After sign-off every change is refused, pages and API alike.
        for (uri, pairs) in [
            (format!("/rounds/{round}/count/1"), vec![("keys", "1")]),
            (format!("/rounds/{round}/count/1/undo"), vec![]),
            (format!("/rounds/{round}/figures"), vec![("issued", "6"), ("collected", "6")]),
            (format!("/rounds/{round}/teams"), vec![("teams", "3")]),
            (
                format!("/rounds/{round}/decisions"),
                vec![("ballot", "1"), ("kind", "discrepancy"), ("keys", "2")],
            ),
            (format!("/rounds/{round}/lock"), vec![]),
        ] {
            let answer = post(&app, &uri, &a.counter, &pairs).await;
            assert!(
                answer.status == StatusCode::CONFLICT
                    || answer.status == StatusCode::UNPROCESSABLE_ENTITY,
                "[{label}] {uri} answered {}",
                answer.status
            );
        }
        let answer = post(
            &app,
            &format!("/elections/{election}/candidates"),
            &a.admin,
            &[("full_name", "Người Mới")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] the list is frozen");
        let after = app.store.round(round).await.unwrap();
        assert_eq!(after.lock_hash.as_deref(), Some(hash.as_str()), "[{label}]");
        assert_eq!(
            app.store.round_entries(round).await.unwrap().len(),
            14,
            "[{label}] 12 ballots, 1 mistyped, 1 undo"
        );

        // The result document.
        let answer = get(&app, &format!("/api/v1/elections/{election}/result"), &a.admin).await;
        assert_eq!(answer.status, StatusCode::OK, "[{label}] {}", answer.body);
        let json = answer.json();
        assert_eq!(json["format"], "daihoi.result/1", "[{label}]");
        assert_eq!(json["base"], 6, "[{label}]");
        assert_eq!(json["ballots"]["valid"], 4, "[{label}]");
        assert_eq!(json["ballots"]["invalid_by_reason"]["identifying_mark"], 1, "[{label}]");

        // The minutes: DOCX and PDF carry the figures, the committee, the seal and the log.
        let (status, docx) =
            bytes(&app, &format!("/api/v1/elections/{election}/minutes.docx"), &a.admin).await;
        assert_eq!(status, StatusCode::OK, "[{label}] {}", String::from_utf8_lossy(&docx));
        let text = docx_text(&docx);
        for needle in [
            "BIÊN BẢN KIỂM PHIẾU",
            "Lò Văn Khánh",
            "Vì Thị Hằng",
            &hash[..16],
            &people[0].full_name,
            "Tổ 2",
            "Xem lại phiếu gốc",
        ] {
            assert!(text.contains(needle), "[{label}] the DOCX lacks {needle}: {text}");
        }
        let (status, pdf) =
            bytes(&app, &format!("/api/v1/elections/{election}/minutes.pdf"), &a.admin).await;
        assert_eq!(status, StatusCode::OK, "[{label}]");
        let text = pdf_text(&pdf);
        assert!(text.contains("BIÊN BẢN KIỂM PHIẾU"), "[{label}] {text}");
        assert!(text.contains("Lò Văn Khánh"), "[{label}]");

        // Ballots: names in ballot order and the round's code.
        let (status, pdf) = bytes(
            &app,
            &format!("/api/v1/elections/{election}/ballots.pdf?paper=a5&copies=2"),
            &a.admin,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{label}]");
        let text = pdf_text(&pdf);
        assert!(text.contains("PHIẾU BẦU CỬ"), "[{label}] {text}");
        assert!(text.contains(&locked.code), "[{label}] the ballot code");
        let (status, _) =
            bytes(&app, &format!("/api/v1/elections/{election}/ballots.pdf?paper=a3"), &a.admin)
                .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let (status, _) =
            bytes(&app, &format!("/api/v1/elections/{election}/ballots.pdf?copies=0"), &a.admin)
                .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");

        // Nobody elected: the first plenum has no roll yet.
        let page = get(&app, &format!("/elections/{election}/plenum"), &a.admin).await;
        assert_eq!(page.status, StatusCode::OK, "[{label}]");
        assert!(page.text().contains("chưa có kết quả"), "[{label}]");
        assert!(app.store.verify_audit().await.unwrap().is_ok(), "[{label}]");
    }
}

#[tokio::test]
async fn the_first_plenum_roll_gives_the_base_of_the_plenum_elections() {
    use daihoi_core::counting::ElectionKind;
    use daihoi_store::elections::{CandidateSource, NewCandidate, NewElection, Voters, Votes};
    for app in apps().await {
        let label = app.label;
        let a = arrange(&app).await;
        let store = &app.store;
        // A two-seat committee election with three names, every ballot striking the third.
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let election = store
            .create_election(
                &mut tx,
                a.congress,
                NewElection {
                    offices: vec![ElectionKind::Committee],
                    title: String::new(),
                    seats: 2,
                    alternate_seats: 0,
                    voters: Voters::Congress,
                    conference_of: None,
                },
            )
            .await
            .unwrap()
            .id;
        for name in &NAMES[..3] {
            let candidate = NewCandidate {
                person_id: None,
                full_name: (*name).into(),
                source: CandidateSource::Committee,
                note: None,
            };
            store.add_candidate(&mut tx, election, candidate).await.unwrap();
        }
        let list = Votes { votes_for: 6, against: 0, abstain: 0, present: 6 };
        let round = store.approve_list(&mut tx, election, &list).await.unwrap().1.unwrap();
        store.set_round_teams(&mut tx, round.id, 1).await.unwrap();
        store.set_round_figures(&mut tx, round.id, 6, 6).await.unwrap();
        tx.commit().await.unwrap();
        for _ in 0..6 {
            let mut tx = store.begin_write(&actor).await.unwrap();
            store.enter_ballot(&mut tx, round.id, 1, "3").await.unwrap();
            tx.commit().await.unwrap();
        }
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.lock_round(&mut tx, round.id).await.unwrap();
        tx.commit().await.unwrap();

        // The first plenum's roll: the new committee's members, present unless recorded
        // otherwise; D of the plenum's elections is derived from it.
        let elected = app.store.election_outcome(election).await.unwrap().elected;
        assert_eq!(elected.len(), 2, "[{label}]");
        let page = get(&app, &format!("/elections/{election}/plenum"), &a.admin).await;
        assert_eq!(page.status, StatusCode::OK, "[{label}]");
        assert!(page.text().contains(&elected[0].1), "[{label}] the roll names the elected");
        let first = elected[0].0;
        let bad = post(
            &app,
            &format!("/elections/{election}/plenum"),
            &a.admin,
            &[(&format!("status-{first}"), "replaced_by_alternate")],
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(bad.text().contains("không hợp lệ"), "[{label}] {}", bad.text());
        let counter = post(
            &app,
            &format!("/elections/{election}/plenum"),
            &a.counter,
            &[(&format!("status-{first}"), "absent_approved")],
        )
        .await;
        assert_eq!(counter.status, StatusCode::FORBIDDEN, "[{label}] the counting committee");
        let roll = app.store.plenum_roll(election).await.unwrap();
        assert!(roll.iter().all(|m| m.decided_by.is_none()), "[{label}] nothing stored");
        let saved = post(
            &app,
            &format!("/elections/{election}/plenum"),
            &a.admin,
            &[
                (&format!("status-{first}"), "absent_approved"),
                (&format!("note-{first}"), "Đi công tác"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "[{label}] {}", saved.body);
        let page = get(&app, &format!("/elections/{election}/plenum"), &a.admin).await;
        assert!(page.text().contains("Đi công tác"), "[{label}]");
        let base = app.store.plenum_base(election).await.unwrap();
        assert_eq!(base.summoned as usize, elected.len(), "[{label}]");
        assert_eq!(base.present as usize, elected.len() - 1, "[{label}]");
        // The election page links to the roll.
        let page = get(&app, &format!("/elections/{election}"), &a.admin).await;
        assert!(page.text().contains(&format!("/elections/{election}/plenum")), "[{label}]");
        assert!(app.store.verify_audit().await.unwrap().is_ok(), "[{label}]");
    }
}
