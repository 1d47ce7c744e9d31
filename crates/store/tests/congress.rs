//! Congress rosters, statuses, check-in and round locks, on every backend.

use daihoi_core::member::{MemberStatus, Membership, Sex};
use daihoi_core::unit::UnitKind;
use daihoi_store::congress::{
    Absence, CongressContent, CongressKind, Credentials, NewCongress, SessionKind, Standing,
    StatusDecision,
};
use daihoi_store::testing::every_backend;
use daihoi_store::{Actor, MemberInput, NewUnit, Page, Store, StoreError};

async fn ward_with_members(store: &Store, n: usize) -> i64 {
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
        .create_unit(&mut tx, unit(Some(root.id), "Tỉnh", UnitKind::Province, 100))
        .await
        .unwrap();
    let (ward, _) = store
        .create_unit(
            &mut tx,
            unit(Some(province.id), "Đảng bộ phường Him Lam", UnitKind::GrassrootsCommittee, 40),
        )
        .await
        .unwrap();
    let (cell, _) = store
        .create_unit(&mut tx, unit(Some(ward.id), "Chi bộ 1", UnitKind::Cell, 10))
        .await
        .unwrap();
    for index in 0..n {
        let membership =
            if index % 10 == 9 { Membership::Probationary } else { Membership::Official };
        let status = if index == 3 { MemberStatus::Exempt } else { MemberStatus::Active };
        store
            .create_member(
                &mut tx,
                cell.id,
                &MemberInput {
                    full_name: format!("Lò Văn Thành {index}"),
                    birth_date: None,
                    sex: Some(Sex::Male),
                    ethnicity: Some("Thái".into()),
                    joined_date: None,
                    membership,
                    status,
                    education: None,
                    theory_level: None,
                    note: None,
                },
            )
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    ward.id
}

fn new_congress(unit_id: i64) -> NewCongress {
    NewCongress {
        unit_id,
        ordinal: Some(13),
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
    }
}

#[tokio::test]
async fn a_members_congress_summons_the_roster_and_counts_attendance() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let ward = ward_with_members(store, 20).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let congress = store.create_congress(&mut tx, new_congress(ward)).await.unwrap();
        assert_eq!(
            congress.title, "Đại hội Đảng bộ phường Him Lam lần thứ XIII, nhiệm kỳ 2020 - 2025",
            "{label}"
        );
        let added = store.summon_members(&mut tx, congress.id).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(added, 20, "{label}");
        let roster = store.people(congress.id, None, None, Page::new(1, 100)).await.unwrap();
        assert_eq!(roster.total, 20, "{label}");
        let badges: std::collections::BTreeSet<i64> =
            roster.items.iter().map(|p| p.badge_no).collect();
        assert_eq!(badges.len(), 20, "{label}: badge numbers are unique");
        let voters = roster.items.iter().filter(|p| p.holds_vote()).count();
        assert_eq!(voters, 18, "{label}: probationary members do not vote");
        let exempt = roster.items.iter().find(|p| p.full_name == "Lò Văn Thành 3").unwrap();
        assert_eq!(exempt.standing, Standing::Exempt, "{label}");

        // Summoning again adds nobody.
        let mut tx = store.begin_write(&actor).await.unwrap();
        assert_eq!(store.summon_members(&mut tx, congress.id).await.unwrap(), 0, "{label}");
        tx.commit().await.unwrap();

        // Check in twelve voters; a repeated badge changes nothing; an unknown badge is refused.
        let voter_badges: Vec<i64> =
            roster.items.iter().filter(|p| p.holds_vote()).map(|p| p.badge_no).take(12).collect();
        for badge in &voter_badges {
            let mut tx = store.begin_write(&actor).await.unwrap();
            let outcome = store.check_in(&mut tx, congress.id, *badge, "cửa 1").await.unwrap();
            tx.commit().await.unwrap();
            assert!(!outcome.already, "{label}");
        }
        let mut tx = store.begin_write(&actor).await.unwrap();
        assert!(
            store.check_in(&mut tx, congress.id, voter_badges[0], "cửa 2").await.unwrap().already,
            "{label}"
        );
        let unknown = store.check_in(&mut tx, congress.id, 9999, "cửa 2").await;
        assert!(matches!(unknown, Err(StoreError::Rule { code: "unknown_badge", .. })), "{label}");
        tx.commit().await.unwrap();

        // One absent voter's absence is approved.
        let absent = roster
            .items
            .iter()
            .find(|p| p.holds_vote() && !voter_badges.contains(&p.badge_no))
            .unwrap();
        let mut tx = store.begin_write(&Actor::system("credentials")).await.unwrap();
        let decided = store
            .decide_status(
                &mut tx,
                absent.id,
                absent.version,
                &StatusDecision {
                    standing: Standing::Active,
                    absence: Absence::Approved,
                    reason: Some("Ốm, có giấy của bệnh viện".into()),
                    credentials: Credentials::Accepted,
                    credentials_note: None,
                },
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(decided.decided_by.as_deref(), Some("credentials"), "{label}");
        assert!(decided.decided_at.is_some(), "{label}");

        let attendance = store.attendance(congress.id).await.unwrap();
        assert_eq!((attendance.summoned, attendance.present), (18, 12), "{label}");
        assert_eq!(attendance.absent_by_reason.get("approved"), Some(&1), "{label}");
        assert!(attendance.quorum_met, "{label}: 12 of 18 is two thirds");
        assert!(store.verify_audit().await.unwrap().is_ok(), "{label}");
    }
}

#[tokio::test]
async fn four_stations_checking_in_at_once_never_lose_or_double_a_check_in() {
    for db in every_backend().await {
        let store = db.store.clone();
        let label = db.label;
        let ward = ward_with_members(&store, 120).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let congress = store.create_congress(&mut tx, new_congress(ward)).await.unwrap();
        store.summon_members(&mut tx, congress.id).await.unwrap();
        tx.commit().await.unwrap();
        let mut stations = Vec::new();
        for station in 0..4_i64 {
            let store = store.clone();
            // Each station scans an overlapping share of the badges, in its own order.
            stations.push(tokio::spawn(async move {
                let mut fresh = 0;
                for step in 0..120_i64 {
                    let badge = (step * 7 + station * 31) % 120 + 1;
                    if (badge + station) % 2 == 0 && station != 0 {
                        continue;
                    }
                    let actor = Actor::system(&format!("station-{station}"));
                    let mut tx = store.begin_write(&actor).await.unwrap();
                    let outcome =
                        store.check_in(&mut tx, congress.id, badge, "station").await.unwrap();
                    tx.commit().await.unwrap();
                    if !outcome.already {
                        fresh += 1;
                    }
                }
                fresh
            }));
        }
        let mut fresh_total = 0;
        for station in stations {
            fresh_total += station.await.unwrap();
        }
        let roll = store.roll(congress.id).await.unwrap();
        let present = roll.iter().filter(|entry| entry.present_now).count();
        assert_eq!(present, 120, "{label}: station 0 scans every badge");
        assert_eq!(fresh_total, 120, "{label}: exactly one acknowledged check-in per person");
    }
}

#[tokio::test]
async fn a_locked_round_refuses_every_change_in_the_database_itself() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let ward = ward_with_members(store, 5).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let congress = store.create_congress(&mut tx, new_congress(ward)).await.unwrap();
        tx.commit().await.unwrap();
        // Raw SQL on purpose: the triggers must hold even if the application forgets to check.
        let pool =
            sqlx::AnyPool::connect(&daihoi_store::normalise_url(&db.url).unwrap().1).await.unwrap();
        sqlx::query(
            "INSERT INTO elections (id, congress_id, kind, title, seats, alternate_seats, electorate, status, \
             position, created_at, updated_at) VALUES (1, $1, 'committee', 'x', 3, 0, 'congress', 'list', 1, 0, 0)",
        )
        .bind(congress.id)
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO rounds (id, election_id, number, round_type, seats, status, code, created_at, updated_at) \
             VALUES (1, 1, 1, 'regular', 3, 'entry', 'R1', 0, 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO ballot_entries (id, round_id, team, seq, action, payload, entered_at) \
             VALUES (1, 1, 1, 1, 'ballot', 'x:1', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        let edit = sqlx::query("UPDATE ballot_entries SET payload = 'x:2' WHERE id = 1")
            .execute(&pool)
            .await;
        assert!(edit.is_err(), "{label}: entries are append-only");
        sqlx::query("UPDATE rounds SET status = 'locked' WHERE id = 1")
            .execute(&pool)
            .await
            .unwrap();
        for statement in [
            "INSERT INTO ballot_entries (id, round_id, team, seq, action, payload, entered_at) VALUES (2, 1, 1, 2, 'ballot', 'x:3', 0)",
            "UPDATE rounds SET ballots_issued = 99 WHERE id = 1",
            "UPDATE rounds SET status = 'entry' WHERE id = 1",
            "DELETE FROM rounds WHERE id = 1",
            "INSERT INTO ballot_decisions (round_id, ballot_index, kind, payload, decided_by, decided_at) VALUES (1, 0, 'ruling', 'x', 'a', 0)",
        ] {
            let outcome = sqlx::query(statement).execute(&pool).await;
            let message = outcome.expect_err(statement).to_string();
            assert!(message.contains("locked"), "{label}: {statement}: {message}");
        }
        pool.close().await;
    }
}
