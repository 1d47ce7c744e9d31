//! Elections on every backend: list building, keyed entry with undo, team comparison and
//! committee decisions, the count, sign-off refused to any later change (raw SQL included),
//! next rounds, alternates and the upward approval that seats delegates upstairs.

use daihoi_core::counting::{ElectionKind, RollStatus, RoundType};
use daihoi_core::keyed::{KeyedBallot, Resolution};
use daihoi_core::member::{MemberStatus, Membership, Sex};
use daihoi_core::unit::UnitKind;
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, PersonRole, SessionKind};
use daihoi_store::elections::{
    CandidateSource, ElectionStatus, NewCandidate, NewElection, Voters, Votes,
};
use daihoi_store::testing::every_backend;
use daihoi_store::{Actor, MemberInput, NewUnit, Page, Store, StoreError};

/// A province with a ward of `n` official members (all active), returning (province, ward).
async fn ward(store: &Store, n: usize) -> (i64, i64) {
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
    let (city, _) = store
        .create_unit(&mut tx, unit(Some(root.id), "Đảng bộ thành phố", UnitKind::Province, 100))
        .await
        .unwrap();
    let (ward, _) = store
        .create_unit(
            &mut tx,
            unit(Some(city.id), "Đảng bộ phường Him Lam", UnitKind::GrassrootsCommittee, 40),
        )
        .await
        .unwrap();
    let (cell, _) = store
        .create_unit(&mut tx, unit(Some(ward.id), "Chi bộ 1", UnitKind::Cell, 10))
        .await
        .unwrap();
    let given = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nam"];
    let family = ["Lò", "Quàng", "Cầm", "Lường", "Tòng"];
    for index in 0..n {
        store
            .create_member(
                &mut tx,
                cell.id,
                &MemberInput {
                    full_name: format!(
                        "{} Văn {}",
                        family[(index / given.len()) % family.len()],
                        given[index % given.len()]
                    ),
                    birth_date: None,
                    sex: Some(Sex::Male),
                    ethnicity: Some("Thái".into()),
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
    tx.commit().await.unwrap();
    (city.id, ward.id)
}

fn new_congress(unit_id: i64, kind: CongressKind) -> NewCongress {
    NewCongress {
        unit_id,
        ordinal: Some(13),
        term_start: 2020,
        term_end: 2025,
        kind,
        content: CongressContent::FourItems,
        rules: "qd190-2024".into(),
        title: String::new(),
        place: Some("Điện Biên Phủ".into()),
        venue: None,
        pilot: false,
        sessions: vec![(SessionKind::Official, None, None)],
    }
}

/// A members' congress of `n` members, all checked in; returns (city, congress id).
async fn congress_in_session(store: &Store, n: usize) -> (i64, i64) {
    let (city, ward) = ward(store, n).await;
    let actor = Actor::system("test");
    let mut tx = store.begin_write(&actor).await.unwrap();
    let congress =
        store.create_congress(&mut tx, new_congress(ward, CongressKind::Members)).await.unwrap();
    store.summon_members(&mut tx, congress.id).await.unwrap();
    tx.commit().await.unwrap();
    for badge in 1..=n as i64 {
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.check_in(&mut tx, congress.id, badge, "cửa 1").await.unwrap();
        tx.commit().await.unwrap();
    }
    (city, congress.id)
}

fn votes(votes_for: i64, present: i64) -> Votes {
    Votes { votes_for, against: present - votes_for, abstain: 0, present }
}

async fn committee_election(store: &Store, congress: i64, seats: i64, names: usize) -> i64 {
    let actor = Actor::system("test");
    let mut tx = store.begin_write(&actor).await.unwrap();
    let election = store
        .create_election(
            &mut tx,
            congress,
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
    let people = store.people(congress, None, None, Page::new(1, 100)).await.unwrap().items;
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
    tx.commit().await.unwrap();
    election.id
}

async fn enter(store: &Store, round: i64, team: i64, keys: &str) -> Result<usize, StoreError> {
    let mut tx = store.begin_write(&Actor::system(&format!("team-{team}"))).await?;
    let entered = store.enter_ballot(&mut tx, round, team, keys).await?;
    tx.commit().await?;
    Ok(entered.ballot_no)
}

#[tokio::test]
async fn the_list_is_built_checked_and_frozen_by_the_congress() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let (_, congress) = congress_in_session(store, 10).await;
        let actor = Actor::system("test");

        // One ballot, one office.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let combined = store
            .create_election(
                &mut tx,
                congress,
                NewElection {
                    offices: vec![ElectionKind::Committee, ElectionKind::Secretary],
                    title: String::new(),
                    seats: 3,
                    alternate_seats: 0,
                    voters: Voters::Congress,
                    conference_of: None,
                },
            )
            .await;
        assert!(matches!(combined, Err(StoreError::Rule { code: "one_office", .. })), "{label}");
        drop(tx);

        // Three committee names for three seats: no surplus, refused.
        let election = committee_election(store, congress, 3, 3).await;
        let mut tx = store.begin_write(&actor).await.unwrap();
        let refused = store.approve_list(&mut tx, election, &votes(10, 10)).await;
        assert!(matches!(refused, Err(StoreError::Rule { code: "surplus", .. })), "{label}");
        drop(tx);

        // A floor nominee: 3 of 10 is not more than 30%, 4 of 10 is.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let nominee = store
            .add_candidate(
                &mut tx,
                election,
                NewCandidate {
                    person_id: None,
                    full_name: "Quàng Thị  Xuân".into(),
                    source: CandidateSource::Floor,
                    note: Some("Đại hội đề cử".into()),
                },
            )
            .await
            .unwrap();
        assert!(!nominee.admitted, "{label}");
        assert_eq!(nominee.full_name, "Quàng Thị Xuân", "{label}");
        let nominee = store.record_opinion(&mut tx, nominee.id, 3, 10).await.unwrap();
        assert!(!nominee.admitted, "{label}: 30% is not more than 30%");
        let nominee = store.record_opinion(&mut tx, nominee.id, 4, 10).await.unwrap();
        assert!(nominee.admitted, "{label}");
        let bad = store.record_opinion(&mut tx, nominee.id, 11, 10).await;
        assert!(matches!(bad, Err(StoreError::Rule { .. })), "{label}");
        tx.commit().await.unwrap();

        // A self-nominee asks to withdraw; the congress refuses, then a second asks and agrees.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let first = store.candidates(election).await.unwrap()[0].clone();
        let (still, vote) =
            store.decide_withdrawal(&mut tx, first.id, &votes(4, 10)).await.unwrap();
        assert!(!vote.passed && !still.withdrawn, "{label}");
        let bad = store
            .decide_withdrawal(
                &mut tx,
                first.id,
                &Votes { votes_for: 8, against: 3, abstain: 0, present: 10 },
            )
            .await;
        assert!(
            matches!(bad, Err(StoreError::Rule { code: "votes_above_present", .. })),
            "{label}"
        );
        tx.commit().await.unwrap();

        // Four names for three seats: approved, frozen, round 1 opened in A-B-C order.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let (vote, round) = store.approve_list(&mut tx, election, &votes(10, 10)).await.unwrap();
        tx.commit().await.unwrap();
        assert!(vote.passed, "{label}");
        let round = round.expect("round 1");
        let names = store.round_names(round.id).await.unwrap();
        assert_eq!(names.len(), 4, "{label}");
        assert_eq!(names[0].name, "Lò Văn An", "{label}: ballot order by given name");
        assert_eq!(names[3].name, "Quàng Thị Xuân", "{label}");
        assert_eq!(store.election(election).await.unwrap().status, ElectionStatus::Voting);
        let mut tx = store.begin_write(&actor).await.unwrap();
        let frozen = store
            .add_candidate(
                &mut tx,
                election,
                NewCandidate {
                    person_id: None,
                    full_name: "Người Mới".into(),
                    source: CandidateSource::SelfNominated,
                    note: None,
                },
            )
            .await;
        assert!(matches!(frozen, Err(StoreError::Rule { code: "list_frozen", .. })), "{label}");
        drop(tx);
        assert_eq!(
            store.hand_votes(congress).await.unwrap().len(),
            2,
            "{label}: a refused count is not a vote"
        );
        assert!(store.verify_audit().await.unwrap().is_ok(), "{label}");
    }
}

#[tokio::test]
async fn teams_key_ballots_undo_compare_and_the_committee_decides_then_the_lock_holds() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let (_, congress) = congress_in_session(store, 10).await;
        let election = committee_election(store, congress, 3, 4).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let round = store.approve_list(&mut tx, election, &votes(10, 10)).await.unwrap().1.unwrap();
        tx.commit().await.unwrap();

        // Team 1: ten ballots, one mistyped and undone, one doubtful.
        let pile1 = ["1", "2", "0", "1 2", "4", "3", "?", "1", "2", "x1"];
        for (index, keys) in pile1.iter().enumerate() {
            if index == 4 {
                assert_eq!(enter(store, round.id, 1, "3").await.unwrap(), 5, "{label}");
                let mut tx = store.begin_write(&actor).await.unwrap();
                let undone = store.undo_ballot(&mut tx, round.id, 1).await.unwrap();
                tx.commit().await.unwrap();
                assert_eq!(undone.ballot_no, 4, "{label}");
            }
            assert_eq!(enter(store, round.id, 1, keys).await.unwrap(), index + 1, "{label}");
        }
        // Bad input: nothing stored.
        for keys in ["", "7", "2 2", "b1"] {
            let refused = enter(store, round.id, 1, keys).await;
            assert!(
                matches!(refused, Err(StoreError::Rule { code: "bad_keys", .. })),
                "{label}: {keys:?}"
            );
        }
        assert!(matches!(
            enter(store, round.id, 3, "1").await,
            Err(StoreError::Rule { code: "bad_team", .. })
        ));
        // Team 2: the same pile, except ballot 2 read differently.
        for (index, keys) in pile1.iter().enumerate() {
            let keys = if index == 1 { "2 3" } else { keys };
            enter(store, round.id, 2, keys).await.unwrap();
        }
        let state = store.round_state(round.id).await.unwrap();
        assert_eq!(state.piles[0].1.len(), 10, "{label}");
        assert_eq!(
            state.discrepancies.iter().map(|d| d.ballot).collect::<Vec<_>>(),
            vec![2],
            "{label}"
        );
        assert_eq!(state.pending.doubtful, vec![7], "{label}");
        // Undo entries are rows: nothing was deleted.
        let entries = store.round_entries(round.id).await.unwrap();
        assert_eq!(entries.iter().filter(|e| e.action == "undo").count(), 1, "{label}");

        // Not countable yet.
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.set_round_figures(&mut tx, round.id, 10, 10).await.unwrap();
        tx.commit().await.unwrap();
        assert!(
            matches!(
                store.count_round(round.id).await,
                Err(StoreError::Rule { code: "pending", .. })
            ),
            "{label}"
        );

        // The committee decides: ballot 2 reads "2", ballot 7 is valid crossing 4.
        let mut tx = store.begin_write(&Actor::system("ban-kiem-phieu")).await.unwrap();
        let no_note = store
            .decide_ballot(
                &mut tx,
                round.id,
                7,
                "ruling",
                &Resolution::Ballot { ballot: KeyedBallot::Crossed { n: vec![4] } },
                None,
            )
            .await;
        assert!(matches!(no_note, Err(StoreError::Rule { code: "note_required", .. })), "{label}");
        let out = store
            .decide_ballot(&mut tx, round.id, 99, "discrepancy", &Resolution::NoBallot, None)
            .await;
        assert!(matches!(out, Err(StoreError::Rule { code: "bad_ballot_no", .. })), "{label}");
        store
            .decide_ballot(
                &mut tx,
                round.id,
                2,
                "discrepancy",
                &Resolution::Ballot { ballot: KeyedBallot::Crossed { n: vec![2] } },
                Some("Xem lại phiếu gốc"),
            )
            .await
            .unwrap();
        store
            .decide_ballot(
                &mut tx,
                round.id,
                7,
                "ruling",
                &Resolution::Ballot { ballot: KeyedBallot::Crossed { n: vec![4] } },
                Some("Gạch gần hết tên số 4: coi là gạch"),
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let count = store.count_round(round.id).await.unwrap();
        let report = &count.report;
        assert_eq!(report.base.value(), 10, "{label}");
        // Ballot 3 ("0") keeps four names for three seats: invalid; ballot 10 set aside (x1).
        assert_eq!((report.ballots.valid, report.ballots.invalid), (8, 2), "{label}");
        // Valid ballots 1,2,4,5,6,7,8,9 cross: name 1 three times, 2 three, 3 once, 4 twice.
        let votes_of: Vec<u64> = report.candidates.iter().map(|c| c.votes).collect();
        assert_eq!(votes_of, vec![5, 5, 7, 6], "{label}");
        assert_eq!(report.elected.len(), 2, "{label}: 6 of D = 10 is the threshold");
        assert_eq!(report.unfilled_seats, 1, "{label}");

        let mut tx = store.begin_write(&Actor::system("truong-ban")).await.unwrap();
        let locked = store.lock_round(&mut tx, round.id).await.unwrap();
        tx.commit().await.unwrap();
        let hash = locked.lock_hash.clone().unwrap();
        assert_eq!(hash.len(), 64, "{label}");
        let audit = store.audit_entries(&Default::default(), Page::new(1, 5)).await.unwrap();
        assert!(
            audit.items.iter().any(|e| e.action == "election.round.lock"
                && e.after_json.as_deref().unwrap_or("").contains(&hash)),
            "{label}"
        );

        // Every change refused, by the store and by the database itself.
        assert!(
            matches!(enter(store, round.id, 1, "1").await, Err(StoreError::Locked(_))),
            "{label}"
        );
        let mut tx = store.begin_write(&actor).await.unwrap();
        assert!(matches!(
            store.undo_ballot(&mut tx, round.id, 1).await,
            Err(StoreError::Locked(_))
        ));
        assert!(matches!(
            store.set_round_figures(&mut tx, round.id, 9, 9).await,
            Err(StoreError::Locked(_))
        ));
        assert!(matches!(
            store
                .decide_ballot(&mut tx, round.id, 1, "discrepancy", &Resolution::NoBallot, None)
                .await,
            Err(StoreError::Locked(_))
        ));
        drop(tx);
        let pool =
            sqlx::AnyPool::connect(&daihoi_store::normalise_url(&db.url).unwrap().1).await.unwrap();
        for statement in [
            format!("UPDATE rounds SET ballots_collected = 11 WHERE id = {}", round.id),
            format!("UPDATE rounds SET status = 'counting' WHERE id = {}", round.id),
            format!("UPDATE ballot_entries SET payload = '{{}}' WHERE round_id = {}", round.id),
            format!("DELETE FROM ballot_entries WHERE round_id = {}", round.id),
            format!(
                "UPDATE round_candidates SET position = position + 10 WHERE round_id = {}",
                round.id
            ),
            format!(
                "INSERT INTO ballot_entries (id, round_id, team, seq, action, payload, entered_at) VALUES (99999, {}, 1, 999, 'ballot', '{{}}', 0)",
                round.id
            ),
        ] {
            let outcome = sqlx::query(sqlx::AssertSqlSafe(statement.clone())).execute(&pool).await;
            let message = outcome.expect_err(&statement).to_string();
            assert!(
                message.contains("locked") || message.contains("append-only"),
                "{label}: {statement}: {message}"
            );
        }
        pool.close().await;
        let again = store.round(round.id).await.unwrap();
        assert_eq!(again.lock_hash.as_deref(), Some(hash.as_str()), "{label}");
        // One seat is left: the congress votes another round with the two not elected.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let next = store.next_round(&mut tx, round.id, &votes(10, 10)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            (next.round_type, next.seats, next.number),
            (RoundType::Regular, 1, 2),
            "{label}"
        );
        let names = store.round_names(next.id).await.unwrap();
        assert_eq!(names.len(), 2, "{label}");
        assert_eq!(names[0].name, state.names[0].name, "{label}");
        assert!(store.verify_audit().await.unwrap().is_ok(), "{label}");
    }
}

#[tokio::test]
async fn a_tie_opens_a_tie_break_round_among_the_tied_and_unfilled_seats_another_round() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let (_, congress) = congress_in_session(store, 10).await;
        let election = committee_election(store, congress, 3, 4).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let round = store.approve_list(&mut tx, election, &votes(10, 10)).await.unwrap().1.unwrap();
        store.set_round_teams(&mut tx, round.id, 1).await.unwrap();
        store.set_round_figures(&mut tx, round.id, 10, 10).await.unwrap();
        tx.commit().await.unwrap();
        // Names 3 and 4 kept on 8 ballots, names 1 and 2 on 7: a tie for the last seat.
        for keys in ["1", "1", "1", "2", "2", "2", "3", "3", "4", "4"] {
            enter(store, round.id, 1, keys).await.unwrap();
        }
        let mut tx = store.begin_write(&actor).await.unwrap();
        let round = store.lock_round(&mut tx, round.id).await.unwrap();
        tx.commit().await.unwrap();
        let result = round.result.clone().unwrap();
        assert_eq!(result.elected.len(), 2, "{label}");
        let (tied, seats) = result.tie.clone().expect("a tie");
        assert_eq!((tied.len(), seats), (2, 1), "{label}");

        let mut tx = store.begin_write(&actor).await.unwrap();
        let tie_break = store.next_round(&mut tx, round.id, &votes(10, 10)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(tie_break.round_type, RoundType::TieBreak, "{label}");
        assert_eq!(tie_break.seats, 1, "{label}");
        assert_eq!(tie_break.number, 2, "{label}");
        let names = store.round_names(tie_break.id).await.unwrap();
        assert_eq!(names.iter().map(|n| n.candidate_id).collect::<Vec<_>>(), tied, "{label}");
        // A second next round from round 1 is refused.
        let mut tx = store.begin_write(&actor).await.unwrap();
        assert!(matches!(
            store.next_round(&mut tx, round.id, &votes(10, 10)).await,
            Err(StoreError::Rule { code: "not_latest", .. })
        ));
        store.set_round_teams(&mut tx, tie_break.id, 1).await.unwrap();
        store.set_round_figures(&mut tx, tie_break.id, 10, 10).await.unwrap();
        tx.commit().await.unwrap();
        for keys in ["1", "2", "2", "2", "1", "2", "2", "1", "2", "2"] {
            enter(store, tie_break.id, 1, keys).await.unwrap();
        }
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.lock_round(&mut tx, tie_break.id).await.unwrap();
        tx.commit().await.unwrap();
        let outcome = store.election_outcome(election).await.unwrap();
        assert_eq!(outcome.elected.len(), 3, "{label}");
        assert_eq!(outcome.elected[2].0, tied[0], "{label}: name 2 crossed 7 times, name 1 kept 7");
        assert_eq!(
            store.election(election).await.unwrap().status,
            ElectionStatus::Complete,
            "{label}"
        );
    }
}

#[tokio::test]
async fn delegates_with_alternates_go_up_for_approval_and_onto_the_parent_roster() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let (city, congress) = congress_in_session(store, 10).await;
        let actor = Actor::system("test");
        // The city's own congress (a delegates' congress) exists already.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let upper = store
            .create_congress(&mut tx, new_congress(city, CongressKind::Delegates))
            .await
            .unwrap();
        let bad = store
            .create_election(
                &mut tx,
                congress,
                NewElection {
                    offices: vec![ElectionKind::Committee],
                    title: String::new(),
                    seats: 3,
                    alternate_seats: 1,
                    voters: Voters::Congress,
                    conference_of: None,
                },
            )
            .await;
        assert!(matches!(bad, Err(StoreError::Rule { code: "bad_alternates", .. })), "{label}");
        let election = store
            .create_election(
                &mut tx,
                congress,
                NewElection {
                    offices: vec![ElectionKind::Delegates],
                    title: "Bầu đại biểu dự Đại hội Đảng bộ thành phố".into(),
                    seats: 2,
                    alternate_seats: 1,
                    voters: Voters::Congress,
                    conference_of: None,
                },
            )
            .await
            .unwrap();
        let people = store.people(congress, None, None, Page::new(1, 100)).await.unwrap().items;
        for person in people.iter().take(4) {
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
        let round =
            store.approve_list(&mut tx, election.id, &votes(10, 10)).await.unwrap().1.unwrap();
        store.set_round_teams(&mut tx, round.id, 1).await.unwrap();
        store.set_round_figures(&mut tx, round.id, 10, 10).await.unwrap();
        tx.commit().await.unwrap();
        // Kept: names 1 and 2 on 7 ballots, name 3 on 6 (qualified: an alternate), name 4 none.
        for keys in ["1 4", "1 4", "1 4", "2 4", "2 4", "2 4", "3 4", "3 4", "3 4", "3 4"] {
            enter(store, round.id, 1, keys).await.unwrap();
        }
        let mut tx = store.begin_write(&actor).await.unwrap();
        let locked = store.lock_round(&mut tx, round.id).await.unwrap();
        let result = locked.result.clone().unwrap();
        assert_eq!(result.elected.len(), 2, "{label}");
        assert_eq!(result.alternates.len(), 1, "{label}");
        assert_eq!(
            store.election(election.id).await.unwrap().status,
            ElectionStatus::Voting,
            "{label}: alternates await the congress"
        );
        tx.commit().await.unwrap();
        let mut tx = store.begin_write(&actor).await.unwrap();
        let vote = store.approve_alternates(&mut tx, round.id, &votes(9, 10)).await.unwrap();
        assert!(vote.passed, "{label}");
        tx.commit().await.unwrap();
        assert_eq!(
            store.election(election.id).await.unwrap().status,
            ElectionStatus::Complete,
            "{label}"
        );

        let mut tx = store.begin_write(&Actor::system("van-phong")).await.unwrap();
        let approval = store.report_results(&mut tx, congress).await.unwrap();
        assert!(matches!(
            store.report_results(&mut tx, congress).await,
            Err(StoreError::Rule { code: "already_reported", .. })
        ));
        tx.commit().await.unwrap();
        let city_unit = store.unit(city).await.unwrap();
        let waiting = store.approvals_for(std::slice::from_ref(&city_unit.path)).await.unwrap();
        assert_eq!(waiting.len(), 1, "{label}");
        assert_eq!(waiting[0].status, "pending", "{label}");
        let mut tx = store.begin_write(&Actor::system("cap-tren")).await.unwrap();
        let no_reason = store.decide_approval(&mut tx, approval.id, false, None).await;
        assert!(
            matches!(no_reason, Err(StoreError::Rule { code: "note_required", .. })),
            "{label}"
        );
        let decided = store.decide_approval(&mut tx, approval.id, true, None).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(decided.status, "approved", "{label}");
        let roster = store.people(upper.id, None, None, Page::new(1, 100)).await.unwrap().items;
        let elected: Vec<_> = roster.iter().filter(|p| p.role == PersonRole::Elected).collect();
        let alternates: Vec<_> =
            roster.iter().filter(|p| p.role == PersonRole::Alternate).collect();
        assert_eq!((elected.len(), alternates.len()), (2, 1), "{label}");
        assert_eq!(alternates[0].alternate_rank, Some(1), "{label}");
        assert!(
            elected.iter().all(|p| p.delegation.as_deref() == Some("Đảng bộ phường Him Lam")),
            "{label}"
        );
        assert!(
            elected.iter().all(|p| p.member_id.is_some()),
            "{label}: linked to the member record"
        );
        assert!(store.verify_audit().await.unwrap().is_ok(), "{label}");
    }
}

#[tokio::test]
async fn the_first_plenum_elects_the_standing_committee_with_the_new_committee_as_its_base() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let (_, congress) = congress_in_session(store, 10).await;
        let committee = committee_election(store, congress, 3, 4).await;
        let actor = Actor::system("test");
        // Before the committee is elected, the plenum has no base.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let plenum_first = store
            .create_election(
                &mut tx,
                congress,
                NewElection {
                    offices: vec![ElectionKind::StandingCommittee],
                    title: String::new(),
                    seats: 1,
                    alternate_seats: 0,
                    voters: Voters::Congress,
                    conference_of: None,
                },
            )
            .await;
        assert!(
            matches!(plenum_first, Err(StoreError::Rule { code: "plenum_only", .. })),
            "{label}"
        );
        let round =
            store.approve_list(&mut tx, committee, &votes(10, 10)).await.unwrap().1.unwrap();
        store.set_round_teams(&mut tx, round.id, 1).await.unwrap();
        store.set_round_figures(&mut tx, round.id, 10, 10).await.unwrap();
        tx.commit().await.unwrap();
        for keys in ["4", "4", "4", "3", "4", "4", "2", "4", "1", "4"] {
            enter(store, round.id, 1, keys).await.unwrap();
        }
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.lock_round(&mut tx, round.id).await.unwrap();
        let standing = store
            .create_election(
                &mut tx,
                congress,
                NewElection {
                    offices: vec![ElectionKind::Secretary],
                    title: String::new(),
                    seats: 1,
                    alternate_seats: 0,
                    voters: Voters::Plenum,
                    conference_of: Some(committee),
                },
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let elected = store.election_outcome(committee).await.unwrap().elected;
        assert_eq!(elected.len(), 3, "{label}");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let name = elected[0].1.clone();
        store
            .add_candidate(
                &mut tx,
                standing.id,
                NewCandidate {
                    person_id: None,
                    full_name: name.clone(),
                    source: CandidateSource::Committee,
                    note: None,
                },
            )
            .await
            .unwrap();
        let round =
            store.approve_list(&mut tx, standing.id, &votes(3, 3)).await.unwrap().1.unwrap();
        store.set_round_teams(&mut tx, round.id, 1).await.unwrap();
        // The plenum roll: nobody recorded yet, everyone present.
        let roll = store.plenum_roll(committee).await.unwrap();
        assert_eq!(roll.len(), 3, "{label}");
        assert!(roll.iter().all(|m| m.status == RollStatus::Present && m.decided_by.is_none()));
        let base = store.election_base(standing.id).await.unwrap();
        assert_eq!((base.summoned, base.present), (3, 3), "{label}");
        // One member absent with a reason: still in D, not in the hall.
        store
            .set_plenum_status(
                &mut tx,
                committee,
                elected[2].0,
                RollStatus::AbsentApproved,
                Some("ốm"),
            )
            .await
            .unwrap();
        // Refused: a status the plenum does not know, someone not elected, the plenum's own
        // election instead of the committee's.
        let bad = store
            .set_plenum_status(
                &mut tx,
                committee,
                elected[0].0,
                RollStatus::ReplacedByAlternate,
                None,
            )
            .await;
        assert!(matches!(bad, Err(StoreError::Rule { code: "bad_plenum_status", .. })), "{label}");
        let not_elected = store
            .set_plenum_status(&mut tx, committee, elected[0].0 + 1000, RollStatus::Present, None)
            .await;
        assert!(matches!(not_elected, Err(StoreError::Rule { code: "not_elected", .. })));
        let wrong = store
            .set_plenum_status(&mut tx, standing.id, elected[0].0, RollStatus::Present, None)
            .await;
        assert!(matches!(wrong, Err(StoreError::Rule { code: "not_a_committee_election", .. })));
        // Three committee members, two in the hall: more ballots than that is refused.
        let over = store.set_round_figures(&mut tx, round.id, 3, 3).await;
        assert!(
            matches!(over, Err(StoreError::Rule { code: "issued_above_present", .. })),
            "{label}"
        );
        store.set_round_figures(&mut tx, round.id, 2, 2).await.unwrap();
        tx.commit().await.unwrap();
        let roll = store.plenum_roll(committee).await.unwrap();
        assert_eq!(roll[2].status, RollStatus::AbsentApproved, "{label}");
        assert_eq!(roll[2].note.as_deref(), Some("ốm"), "{label}");
        assert!(roll[2].decided_by.is_some(), "{label}");
        // A suspended member leaves D (the rule pack's conference base); a later change of the
        // roll does not move the base the round froze.
        let mut tx = store.begin_write(&actor).await.unwrap();
        store
            .set_plenum_status(&mut tx, committee, elected[1].0, RollStatus::Suspended, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let now = store.plenum_base(committee).await.unwrap();
        assert_eq!((now.summoned, now.present), (3, 1), "{label}");
        assert_eq!(now.excluded, vec![("suspended".to_string(), 1)], "{label}");
        let mut tx = store.begin_write(&actor).await.unwrap();
        store
            .set_plenum_status(&mut tx, committee, elected[1].0, RollStatus::Present, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // One name for one seat: agree/disagree; one agrees, one disagrees.
        enter(store, round.id, 1, "0").await.unwrap();
        enter(store, round.id, 1, "1").await.unwrap();
        let count = store.count_round(round.id).await.unwrap();
        assert_eq!(count.report.base.value(), 3, "{label}: D is the new committee");
        assert_eq!(count.report.candidates[0].votes, 1, "{label}");
        assert!(count.report.elected.is_empty(), "{label}: 1 of 3 is not more than half");
        // A show-of-hands vote on any question: more than half of those present.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let vote = store
            .record_hand_vote(
                &mut tx,
                congress,
                "Thông qua Nghị quyết Đại hội",
                &Votes { votes_for: 6, against: 3, abstain: 1, present: 10 },
            )
            .await
            .unwrap();
        assert!(vote.passed, "{label}");
        let empty = store.record_hand_vote(&mut tx, congress, "  ", &votes(6, 10)).await;
        assert!(matches!(empty, Err(StoreError::Rule { code: "title_required", .. })), "{label}");
        tx.commit().await.unwrap();
    }
}
