//! Congress settings and sessions, the roster with statuses, roster import and the majority
//! base D computed from the roll, on every backend.

use daihoi_core::member::{MemberStatus, Membership, Sex};
use daihoi_core::unit::UnitKind;
use daihoi_store::congress::{
    Absence, CongressContent, CongressKind, Credentials, NewCongress, NewPerson, PersonRole,
    SessionKind, Standing, StatusDecision,
};
use daihoi_store::congress_day::{CongressEdit, RosterFilter, RosterStatus, SessionEdit};
use daihoi_store::testing::every_backend;
use daihoi_store::{Actor, MemberInput, NewUnit, Page, Store, StoreError};

fn new_unit(parent: Option<i64>, name: &str, kind: UnitKind, official: i64) -> NewUnit {
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

/// A ward with one cell of `names` (the last one probationary).
async fn ward(store: &Store, names: &[&str]) -> i64 {
    let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
    let (root, _) = store
        .create_unit(&mut tx, new_unit(None, "Trung ương", UnitKind::Central, 0))
        .await
        .unwrap();
    let (province, _) = store
        .create_unit(&mut tx, new_unit(Some(root.id), "Tỉnh", UnitKind::Province, 100))
        .await
        .unwrap();
    let (ward, _) = store
        .create_unit(
            &mut tx,
            new_unit(
                Some(province.id),
                "Đảng bộ phường Him Lam",
                UnitKind::GrassrootsCommittee,
                40,
            ),
        )
        .await
        .unwrap();
    let (cell, _) = store
        .create_unit(&mut tx, new_unit(Some(ward.id), "Chi bộ 1", UnitKind::Cell, 10))
        .await
        .unwrap();
    for (index, name) in names.iter().enumerate() {
        let membership =
            if index + 1 == names.len() { Membership::Probationary } else { Membership::Official };
        store
            .create_member(
                &mut tx,
                cell.id,
                &MemberInput {
                    full_name: (*name).into(),
                    birth_date: None,
                    sex: Some(Sex::Female),
                    ethnicity: Some("Thái".into()),
                    joined_date: None,
                    membership,
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
    ward.id
}

fn congress(unit_id: i64, kind: CongressKind) -> NewCongress {
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

fn edit() -> CongressEdit {
    CongressEdit {
        ordinal: Some(14),
        term_start: 2025,
        term_end: 2030,
        kind: CongressKind::Members,
        content: CongressContent::TwoItems,
        rules: "qd244-2014".into(),
        title: String::new(),
        place: Some("Điện Biên Phủ".into()),
        quorum_num: 1,
        quorum_den: 2,
        sessions: vec![
            SessionEdit {
                kind: SessionKind::Preparatory,
                starts_on: time::Date::from_calendar_date(2025, time::Month::June, 9).ok(),
                ends_on: None,
                venue: Some("Hội trường Thành ủy".into()),
            },
            SessionEdit {
                kind: SessionKind::Official,
                starts_on: time::Date::from_calendar_date(2025, time::Month::June, 10).ok(),
                ends_on: time::Date::from_calendar_date(2025, time::Month::June, 11).ok(),
                venue: Some("Hội trường Thành ủy".into()),
            },
        ],
    }
}

fn decision(standing: Standing, absence: Absence) -> StatusDecision {
    StatusDecision {
        standing,
        absence,
        reason: None,
        credentials: Credentials::Accepted,
        credentials_note: None,
    }
}

#[tokio::test]
async fn a_congress_is_edited_with_its_sessions_and_bad_settings_change_nothing() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let unit = ward(store, &["Lò Thị Hoa", "Quàng Văn Minh"]).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let created =
            store.create_congress(&mut tx, congress(unit, CongressKind::Members)).await.unwrap();
        tx.commit().await.unwrap();

        let mut bad = edit();
        bad.quorum_num = 4;
        bad.quorum_den = 3;
        let mut tx = store.begin_write(&actor).await.unwrap();
        let refused = store.update_congress(&mut tx, created.id, created.version, &bad).await;
        assert!(
            matches!(refused, Err(StoreError::Rule { code: "bad_quorum", .. })),
            "{label}: {refused:?}"
        );
        drop(tx);
        assert_eq!(store.congress(created.id).await.unwrap().version, 1, "{label}");

        let mut tx = store.begin_write(&actor).await.unwrap();
        let updated = store.update_congress(&mut tx, created.id, 1, &edit()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!((updated.quorum_num, updated.quorum_den), (1, 2), "{label}");
        assert_eq!(updated.content, CongressContent::TwoItems, "{label}");
        assert_eq!(updated.rules, "qd244-2014", "{label}");
        let sessions = store.sessions(created.id).await.unwrap();
        assert_eq!(sessions.len(), 2, "{label}");
        assert_eq!(sessions[0].kind, SessionKind::Preparatory, "{label}");
        assert_eq!(sessions[1].venue.as_deref(), Some("Hội trường Thành ủy"), "{label}");
        assert_eq!(sessions.iter().filter(|s| s.is_current).count(), 1, "{label}");

        // A second edit from the same version is stale.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let stale = store.update_congress(&mut tx, created.id, 1, &edit()).await;
        assert!(matches!(stale, Err(StoreError::Stale)), "{label}");
        drop(tx);

        // A session with check-ins cannot be dropped.
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.summon_members(&mut tx, created.id).await.unwrap();
        let current = sessions.iter().find(|s| s.is_current).unwrap().id;
        store.set_current_session(&mut tx, created.id, sessions[1].id).await.unwrap();
        store.check_in(&mut tx, created.id, 1, "cửa 1").await.unwrap();
        tx.commit().await.unwrap();
        assert_ne!(current, 0);
        let mut one = edit();
        one.sessions.remove(0);
        let mut tx = store.begin_write(&actor).await.unwrap();
        let refused = store.update_congress(&mut tx, created.id, 2, &one).await;
        assert!(
            matches!(refused, Err(StoreError::Rule { code: "session_has_checkins", .. })),
            "{label}: {refused:?}"
        );
        drop(tx);
        assert_eq!(store.sessions(created.id).await.unwrap().len(), 2, "{label}");
        // With a roster drawn up, the kind of congress is fixed.
        let mut delegates = edit();
        delegates.kind = CongressKind::Delegates;
        let mut tx = store.begin_write(&actor).await.unwrap();
        let refused = store.update_congress(&mut tx, created.id, 2, &delegates).await;
        assert!(
            matches!(refused, Err(StoreError::Rule { code: "kind_locked", .. })),
            "{label}: {refused:?}"
        );
        drop(tx);
        assert!(store.verify_audit().await.unwrap().is_ok(), "{label}");
    }
}

#[tokio::test]
async fn the_roster_filters_by_status_in_vietnamese_name_order() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        // Vietnamese order sorts by given name first: Anh < Ánh < Bình < Đức < Minh.
        let unit = ward(
            store,
            &["Trần Văn Đức", "Lò Thị Ánh", "Nguyễn Văn Bình", "Lò Văn Anh", "Quàng Văn Minh"],
        )
        .await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let created =
            store.create_congress(&mut tx, congress(unit, CongressKind::Members)).await.unwrap();
        store.summon_members(&mut tx, created.id).await.unwrap();
        tx.commit().await.unwrap();
        let all =
            store.roster(created.id, &RosterFilter::default(), Page::new(1, 50)).await.unwrap();
        let names: Vec<&str> = all.items.iter().map(|r| r.person.full_name.as_str()).collect();
        assert_eq!(
            names,
            ["Lò Văn Anh", "Lò Thị Ánh", "Nguyễn Văn Bình", "Trần Văn Đức", "Quàng Văn Minh"],
            "{label}"
        );
        let binh = all.items[2].person.clone();
        let duc = all.items[3].person.clone();
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.check_in(&mut tx, created.id, binh.badge_no, "cửa 1").await.unwrap();
        store
            .decide_status(
                &mut tx,
                duc.id,
                duc.version,
                &decision(Standing::Active, Absence::Approved),
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let filter = |status| RosterFilter { status: Some(status), ..RosterFilter::default() };
        let present = store
            .roster(created.id, &filter(RosterStatus::Present), Page::new(1, 50))
            .await
            .unwrap();
        assert_eq!(present.total, 1, "{label}");
        assert_eq!(present.items[0].person.id, binh.id, "{label}");
        assert_eq!(present.items[0].status(), RosterStatus::Present, "{label}");
        let approved = store
            .roster(created.id, &filter(RosterStatus::AbsentApproved), Page::new(1, 50))
            .await
            .unwrap();
        assert_eq!(approved.items.len(), 1, "{label}");
        assert_eq!(approved.items[0].status(), RosterStatus::AbsentApproved, "{label}");
        assert_eq!(approved.items[0].person.decided_by.as_deref(), Some("test"), "{label}");
        let waiting = store
            .roster(created.id, &filter(RosterStatus::NotArrived), Page::new(1, 50))
            .await
            .unwrap();
        assert_eq!(waiting.total, 3, "{label}");
        let by_name = store
            .roster(
                created.id,
                &RosterFilter { query: Some("lo thi".into()), ..RosterFilter::default() },
                Page::new(1, 50),
            )
            .await
            .unwrap();
        assert_eq!(by_name.total, 1, "{label}");
    }
}

#[tokio::test]
async fn the_majority_base_of_a_members_congress_follows_the_statuses() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let names: Vec<String> = (0..11).map(|i| format!("Lò Văn Thành {i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let unit = ward(store, &refs).await; // 10 official, 1 probationary
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let created =
            store.create_congress(&mut tx, congress(unit, CongressKind::Members)).await.unwrap();
        store.summon_members(&mut tx, created.id).await.unwrap();
        tx.commit().await.unwrap();
        let roster =
            store.roster(created.id, &RosterFilter::default(), Page::new(1, 50)).await.unwrap();
        let official: Vec<_> = roster
            .items
            .iter()
            .filter(|r| r.person.role == PersonRole::OfficialMember)
            .map(|r| r.person.clone())
            .collect();
        assert_eq!(official.len(), 10, "{label}");
        let mut tx = store.begin_write(&actor).await.unwrap();
        // 0: approved absence (out of D); 1: exempt, absent (out); 2: exempt, present (in);
        // 3: suspended (out); 4: unexcused (in); 5..9 present.
        let set = [
            (0, Standing::Active, Absence::Approved),
            (1, Standing::Exempt, Absence::None),
            (2, Standing::Exempt, Absence::None),
            (3, Standing::Suspended, Absence::None),
            (4, Standing::Active, Absence::Unexcused),
        ];
        for (index, standing, absence) in set {
            let person = &official[index];
            store
                .decide_status(&mut tx, person.id, person.version, &decision(standing, absence))
                .await
                .unwrap();
        }
        for person in official.iter().skip(5).chain(std::iter::once(&official[2])) {
            store.check_in(&mut tx, created.id, person.badge_no, "cửa 1").await.unwrap();
        }
        tx.commit().await.unwrap();
        let base = store.majority_base(created.id).await.unwrap();
        let steps: Vec<(&str, i64)> = base.derivation.iter().map(|l| (l.code, l.delta)).collect();
        assert_eq!(base.summoned, 10, "{label}");
        assert_eq!(base.present, 6, "{label}");
        assert_eq!(base.value, 7, "{label}: {steps:?}");
        assert_eq!(base.votes_needed, 4, "{label}");
        assert!(steps.contains(&("absent_approved", -1)), "{label}: {steps:?}");
        assert!(steps.contains(&("exempt_absent", -1)), "{label}: {steps:?}");
        assert!(steps.contains(&("suspended", -1)), "{label}: {steps:?}");
        assert!(base.cites_vi.contains("190"), "{label}: {}", base.cites_vi);

        // Someone present leaves the hall: D is unchanged, present drops.
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.mark_left(&mut tx, created.id, official[9].id, true).await.unwrap();
        tx.commit().await.unwrap();
        let later = store.majority_base(created.id).await.unwrap();
        assert_eq!((later.value, later.present), (7, 5), "{label}");
    }
}

#[tokio::test]
async fn an_alternate_seated_in_the_hall_keeps_the_delegates_seat_in_the_base() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let unit = ward(store, &["Lò Văn Anh"]).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let created =
            store.create_congress(&mut tx, congress(unit, CongressKind::Delegates)).await.unwrap();
        let person = |name: &str, role, rank| NewPerson {
            member_id: None,
            full_name: name.into(),
            birth_date: None,
            sex: None,
            ethnicity: None,
            delegation: Some("Đoàn đại biểu Chi bộ 1".into()),
            source_unit_id: None,
            role,
            alternate_rank: rank,
            standing: Standing::Active,
        };
        let people = store
            .import_roster(
                &mut tx,
                created.id,
                &[
                    person("Bí Thư Một", PersonRole::ExOfficio, None),
                    person("Bí Thư Hai", PersonRole::ExOfficio, None),
                    person("Đại Biểu Ba", PersonRole::Elected, None),
                    person("Đại Biểu Bốn", PersonRole::Elected, None),
                    person("Đại Biểu Năm", PersonRole::Appointed, None),
                    person("Dự Khuyết Sáu", PersonRole::Alternate, Some(1)),
                ],
                "roster.xlsx",
                "00",
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin_write(&actor).await.unwrap();
        // Ex officio 2 absent all congress; elected 4 absent, replaced by the alternate.
        for index in [1, 3] {
            let p = &people[index];
            store
                .decide_status(
                    &mut tx,
                    p.id,
                    p.version,
                    &decision(Standing::Active, Absence::Approved),
                )
                .await
                .unwrap();
        }
        store.seat_alternate(&mut tx, people[5].id, Some(people[3].id)).await.unwrap();
        for index in [0, 2, 4, 5] {
            store.check_in(&mut tx, created.id, people[index].badge_no, "cửa 1").await.unwrap();
        }
        tx.commit().await.unwrap();
        let base = store.majority_base(created.id).await.unwrap();
        let steps: Vec<(&str, i64)> = base.derivation.iter().map(|l| (l.code, l.delta)).collect();
        assert_eq!(steps, [("summoned", 5), ("committee_absent", -1)], "{label}");
        assert_eq!((base.value, base.present), (4, 4), "{label}");
        let replaced = store
            .roster(
                created.id,
                &RosterFilter {
                    status: Some(RosterStatus::ReplacedByAlternate),
                    ..RosterFilter::default()
                },
                Page::new(1, 10),
            )
            .await
            .unwrap();
        assert_eq!(replaced.total, 1, "{label}");
        assert_eq!(
            replaced.items[0].replaced_by.as_ref().map(|(_, name)| name.as_str()),
            Some("Dự Khuyết Sáu"),
            "{label}"
        );

        // An import with a bad row adds nobody.
        let before = store.roster(created.id, &RosterFilter::default(), Page::new(1, 1)).await;
        let mut tx = store.begin_write(&actor).await.unwrap();
        let refused = store
            .import_roster(
                &mut tx,
                created.id,
                &[
                    person("Người Mới", PersonRole::Elected, None),
                    person("  ", PersonRole::Elected, None),
                ],
                "bad.xlsx",
                "01",
            )
            .await;
        assert!(refused.is_err(), "{label}");
        drop(tx);
        let after = store.roster(created.id, &RosterFilter::default(), Page::new(1, 1)).await;
        assert_eq!(before.unwrap().total, after.unwrap().total, "{label}");
    }
}
