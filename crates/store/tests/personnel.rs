//! Personnel records on every backend: the plan, dossiers, the 5-step procedure with its
//! threshold and tie decision, the list handed to an election, the delegate allocation with
//! appointed delegates and alternates, and the composition roll-up and its cache.

use daihoi_core::apportion::Method;
use daihoi_core::member::{Education, MemberStatus, Membership, Sex};
use daihoi_core::personnel::{Birth, Campaign, Level};
use daihoi_core::unit::UnitKind;
use daihoi_store::congress::{
    CongressContent, CongressKind, NewCongress, NewPerson, PersonRole, SessionKind, Standing,
};
use daihoi_store::personnel::{
    AllocationSetup, AllocationUnitInput, DossierInput, PlanInput, PlannedPost, StepInput,
    StepTrack,
};
use daihoi_store::testing::every_backend;
use daihoi_store::{Actor, AuditFilter, MemberInput, NewUnit, Store, StoreError};
use time::{Date, Month};

struct Tree {
    city: i64,
    wards: Vec<i64>,
}

/// A city committee with three wards of 30, 20 and 10 official members (one cell each).
async fn city(store: &Store) -> Tree {
    let actor = Actor::system("test");
    let mut tx = store.begin_write(&actor).await.unwrap();
    let unit = |parent, name: &str, kind| NewUnit {
        parent_id: parent,
        name: name.into(),
        kind,
        issuer_abbrev: None,
        declared_official: if kind == UnitKind::Cell { 10 } else { 0 },
        declared_probationary: 0,
        valid_from: None,
        valid_to: None,
        note: None,
        lineage: Vec::new(),
    };
    let (root, _) =
        store.create_unit(&mut tx, unit(None, "Trung ương", UnitKind::Central)).await.unwrap();
    let (province, _) = store
        .create_unit(&mut tx, unit(Some(root.id), "Tỉnh Điện Biên", UnitKind::Province))
        .await
        .unwrap();
    let (city, _) = store
        .create_unit(
            &mut tx,
            unit(Some(province.id), "Thành phố Điện Biên Phủ", UnitKind::District),
        )
        .await
        .unwrap();
    let mut wards = Vec::new();
    for (name, members) in
        [("Phường Him Lam", 30), ("Phường Mường Thanh", 20), ("Phường Tân Thanh", 10)]
    {
        let (ward, _) = store
            .create_unit(
                &mut tx,
                unit(Some(city.id), &format!("Đảng bộ {name}"), UnitKind::GrassrootsCommittee),
            )
            .await
            .unwrap();
        let (cell, _) = store
            .create_unit(&mut tx, unit(Some(ward.id), "Chi bộ 1", UnitKind::Cell))
            .await
            .unwrap();
        for index in 0..members {
            store
                .create_member(
                    &mut tx,
                    cell.id,
                    &MemberInput {
                        full_name: format!("Đảng viên {name} {index}"),
                        birth_date: None,
                        sex: Some(Sex::Female),
                        ethnicity: Some("Kinh".into()),
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
        wards.push(ward.id);
    }
    tx.commit().await.unwrap();
    Tree { city: city.id, wards }
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
        place: None,
        venue: None,
        pilot: false,
        sessions: vec![(SessionKind::Official, None, None)],
    }
}

fn dossier(name: &str, birth: &str, sex: Sex, incumbent: bool) -> DossierInput {
    DossierInput {
        full_name: name.into(),
        birth: Birth::parse(birth),
        sex: Some(sex),
        ethnicity: Some("Thái".into()),
        education: Some(Education::University),
        planned_post: Some(PlannedPost::Member),
        incumbent,
        ..DossierInput::default()
    }
}

#[tokio::test]
async fn plan_dossiers_and_the_five_steps() {
    for db in every_backend().await {
        let (store, label) = (&db.store, db.label);
        let tree = city(store).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let c = store
            .create_congress(&mut tx, congress(tree.wards[0], CongressKind::Members))
            .await
            .unwrap();
        tx.commit().await.unwrap();

        // Defaults before anything is saved: CT 35, grassroots, April 2020.
        let plan = store.personnel_plan(c.id).await.unwrap();
        assert_eq!(
            (plan.campaign, plan.level, plan.saved),
            (Campaign::Ct35Of2019, Level::Grassroots, false),
            "{label}"
        );
        let mut tx = store.begin_write(&actor).await.unwrap();
        let bad = store
            .set_personnel_plan(
                &mut tx,
                c.id,
                PlanInput {
                    campaign: Campaign::Ct35Of2019,
                    level: Level::Grassroots,
                    reference_date: Date::from_calendar_date(2020, Month::April, 1).unwrap(),
                    committee_size: Some(5),
                    standing_size: Some(5),
                },
            )
            .await;
        assert!(matches!(bad, Err(StoreError::Rule { code: "standing_too_large", .. })), "{label}");
        let plan = store
            .set_personnel_plan(
                &mut tx,
                c.id,
                PlanInput {
                    campaign: Campaign::Ct35Of2019,
                    level: Level::Grassroots,
                    reference_date: Date::from_calendar_date(2020, Month::April, 1).unwrap(),
                    committee_size: Some(3),
                    standing_size: None,
                },
            )
            .await
            .unwrap();
        assert_eq!((plan.committee_size, plan.saved), (Some(3), true), "{label}");

        // A dossier without a birth date is refused with the field named.
        let mut missing = dossier("Lò Văn A", "1970", Sex::Male, true);
        missing.birth = None;
        let refused = store.create_dossier(&mut tx, c.id, &missing).await;
        assert!(matches!(refused, Err(StoreError::Rule { field: "birth", .. })), "{label}");
        let a = store
            .create_dossier(&mut tx, c.id, &dossier("Lò Văn A", "1970", Sex::Male, true))
            .await
            .unwrap();
        let b = store
            .create_dossier(&mut tx, c.id, &dossier("Lò Thị B", "12/03/1978", Sex::Female, true))
            .await
            .unwrap();
        let d = store
            .create_dossier(&mut tx, c.id, &dossier("Cà Văn D", "1985-06-01", Sex::Male, true))
            .await
            .unwrap();
        let n = store
            .create_dossier(&mut tx, c.id, &dossier("Quàng Thị N", "1990", Sex::Female, false))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(b.birth, Birth::parse("1978-03-12"), "{label}");
        assert!(a.minority(), "{label}");
        let names: Vec<String> =
            store.dossiers(c.id).await.unwrap().into_iter().map(|d| d.full_name).collect();
        assert_eq!(
            names,
            ["Lò Văn A", "Lò Thị B", "Cà Văn D", "Quàng Thị N"],
            "{label}: Vietnamese name order"
        );

        // A stale update is refused; a current one works.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let mut edit = dossier("Lò Văn A", "1970", Sex::Male, true);
        edit.planned_post = Some(PlannedPost::Secretary);
        assert!(
            matches!(
                store.update_dossier(&mut tx, a.id, a.version + 5, &edit).await,
                Err(StoreError::Stale)
            ),
            "{label}"
        );
        let a = store.update_dossier(&mut tx, a.id, a.version, &edit).await.unwrap();
        assert_eq!(a.planned_post, PlannedPost::Secretary, "{label}");

        // Step 1, re-election: 9 summoned, so 5 votes pass and 4.5 would not: A 5, B 4, D 9.
        let step = |number, summoned, votes: Vec<(i64, i64)>, places, tie: Vec<i64>| StepInput {
            track: StepTrack::Reelection,
            step: number,
            held_on: None,
            summoned,
            attended: summoned,
            places,
            votes,
            tie_decision: tie,
            tie_note: Some("Ban Thường vụ Thành ủy quyết định".into()),
        };
        let one = store
            .record_step(
                &mut tx,
                c.id,
                &step(1, 9, vec![(a.id, 5), (b.id, 4), (d.id, 9)], None, vec![]),
            )
            .await
            .unwrap();
        assert_eq!(one.threshold, 5, "{label}");
        let carried: Vec<i64> =
            one.votes.iter().filter(|v| v.carried).map(|v| v.dossier_id).collect();
        assert_eq!(carried, [a.id, d.id], "{label}");
        // The first-time candidate is not on the re-election list.
        let stray =
            store.record_step(&mut tx, c.id, &step(1, 9, vec![(n.id, 9)], None, vec![])).await;
        assert!(matches!(stray, Err(StoreError::Rule { code: "not_a_candidate", .. })), "{label}");
        // More votes than attended are refused.
        let mut too_many = step(2, 40, vec![(a.id, 41)], None, vec![]);
        too_many.attended = 40;
        assert!(
            matches!(
                store.record_step(&mut tx, c.id, &too_many).await,
                Err(StoreError::Rule { code: "bad_votes", .. })
            ),
            "{label}"
        );
        // Step 2 with one place: A and D tie at 30 of 40 and the tie is pending.
        let two = store
            .record_step(&mut tx, c.id, &step(2, 40, vec![(a.id, 30), (d.id, 30)], Some(1), vec![]))
            .await
            .unwrap();
        assert!(two.tie_pending, "{label}");
        assert!(
            store.step_candidates(c.id, StepTrack::Reelection, 3).await.unwrap().is_empty(),
            "{label}"
        );
        // The level above decides for D.
        let two = store
            .record_step(
                &mut tx,
                c.id,
                &step(2, 40, vec![(a.id, 30), (d.id, 30)], Some(1), vec![d.id]),
            )
            .await
            .unwrap();
        assert!(!two.tie_pending, "{label}");
        assert!(
            two.votes.iter().any(|v| v.dossier_id == d.id && v.carried && v.tie_decided),
            "{label}"
        );
        for number in 3..=5 {
            store
                .record_step(&mut tx, c.id, &step(number, 9, vec![(d.id, 9)], None, vec![]))
                .await
                .unwrap();
        }
        // Step 1 cannot change once later steps exist.
        let late =
            store.record_step(&mut tx, c.id, &step(1, 9, vec![(a.id, 9)], None, vec![])).await;
        assert!(
            matches!(late, Err(StoreError::Rule { code: "later_step_recorded", .. })),
            "{label}"
        );
        tx.commit().await.unwrap();
        assert_eq!(store.steps(c.id, StepTrack::Reelection).await.unwrap().len(), 5, "{label}");
        let fin: Vec<i64> = store
            .step_candidates(c.id, StepTrack::Reelection, 6)
            .await
            .unwrap()
            .iter()
            .map(|d| d.id)
            .collect();
        assert_eq!(fin, [d.id], "{label}");

        // The final list goes onto the committee election as the outgoing committee's list.
        let pool =
            sqlx::AnyPool::connect(&daihoi_store::normalise_url(&db.url).unwrap().1).await.unwrap();
        sqlx::query(
            "INSERT INTO elections (id, congress_id, kind, title, seats, alternate_seats, electorate, status, \
             position, created_at, updated_at) VALUES (1, $1, 'committee', 'Bầu BCH', 3, 0, 'congress', 'preparing', 1, 0, 0), \
             (2, $1, 'delegates', 'Bầu đại biểu', 3, 0, 'congress', 'preparing', 2, 0, 0), \
             (3, $1, 'committee', 'Bầu BCH (vòng đã khóa danh sách)', 3, 0, 'congress', 'voting', 3, 0, 0)",
        )
        .bind(c.id)
        .execute(&pool)
        .await
        .unwrap();
        let mut tx = store.begin_write(&actor).await.unwrap();
        assert_eq!(store.present_to_congress(&mut tx, c.id, 1).await.unwrap(), 1, "{label}");
        assert_eq!(
            store.present_to_congress(&mut tx, c.id, 1).await.unwrap(),
            0,
            "{label}: inserted once"
        );
        // Not onto the delegates' election, nor onto a list the congress has approved.
        let delegates = store.present_to_congress(&mut tx, c.id, 2).await;
        assert!(
            matches!(delegates, Err(StoreError::Rule { code: "not_committee_election", .. })),
            "{label}"
        );
        let frozen = store.present_to_congress(&mut tx, c.id, 3).await;
        assert!(matches!(frozen, Err(StoreError::Rule { code: "list_frozen", .. })), "{label}");
        tx.commit().await.unwrap();
        let names: Vec<String> =
            sqlx::query_scalar("SELECT full_name FROM candidates WHERE election_id = 1")
                .fetch_all(&pool)
                .await
                .unwrap();
        assert_eq!(names, ["Cà Văn D"], "{label}");
        pool.close().await;
        let audit = store
            .audit_entries(&AuditFilter::default(), daihoi_store::Page::new(1, 200))
            .await
            .unwrap();
        assert!(
            audit.items.iter().filter(|e| e.action == "personnel.step").count() == 6,
            "{label}"
        );
    }
}

#[tokio::test]
async fn allocation_with_a_tie_appointed_units_and_alternates() {
    for db in every_backend().await {
        let (store, label) = (&db.store, db.label);
        let tree = city(store).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let c = store
            .create_congress(&mut tx, congress(tree.city, CongressKind::Delegates))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let candidates = store.allocation_candidates(c.id).await.unwrap();
        let members: Vec<i64> = candidates.iter().map(|c| c.members).collect();
        assert_eq!(members, [30, 20, 10], "{label}");
        let units = |appointed_last: bool| {
            candidates
                .iter()
                .enumerate()
                .map(|(i, c)| AllocationUnitInput {
                    unit_id: c.unit_id,
                    ex_officio: if i == 0 { 2 } else { 0 },
                    adjustment: 0,
                    appointed: appointed_last && i == 2,
                })
                .collect::<Vec<_>>()
        };
        // 11 seats − 2 ex officio − 3 bases = 6 in proportion 30:20:10 → 3, 2, 1 exactly.
        let mut setup = AllocationSetup {
            total_seats: 11,
            base_per_unit: 1,
            method: Method::Hamilton,
            alternates_per_unit: 1,
            units: units(true),
            tie_decision: vec![],
            tie_note: None,
        };
        let mut tx = store.begin_write(&actor).await.unwrap();
        let saved = store.save_allocation(&mut tx, c.id, &setup).await.unwrap();
        let totals: Vec<(i64, i64, i64)> =
            saved.rows.iter().map(|r| (r.elected, r.total, r.alternates)).collect();
        assert_eq!(
            totals,
            [(4, 6, 1), (3, 3, 1), (2, 2, 0)],
            "{label}: appointed units elect no alternates"
        );
        // D'Hondt, no base, 6 seats: pool 4 among 30:20:10 gives 30, 20, 15 and then 10 three
        // times (30/3, 20/2, 10/1) for the last seat: a tie the committee must decide.
        setup.total_seats = 6;
        setup.method = Method::DHondt;
        setup.base_per_unit = 0;
        match store.save_allocation(&mut tx, c.id, &setup).await {
            Err(StoreError::Rule { code: "allocation_tie", .. }) => {
                setup.tie_decision = vec![candidates[0].unit_id];
                setup.tie_note = Some("Ban Thường vụ quyết định".into());
                let saved = store.save_allocation(&mut tx, c.id, &setup).await.unwrap();
                assert_eq!(
                    saved.tie_decision.as_deref(),
                    Some("Đảng bộ Phường Him Lam"),
                    "{label}"
                );
                let seats: Vec<i64> = saved.rows.iter().map(|r| r.proportional).collect();
                assert_eq!(seats, [3, 1, 0], "{label}");
            }
            other => panic!("{label}: expected a tie, got {other:?}"),
        }
        // Back to the first allocation for the appointment checks.
        setup = AllocationSetup {
            total_seats: 11,
            base_per_unit: 1,
            method: Method::Hamilton,
            tie_decision: vec![],
            tie_note: None,
            ..setup
        };
        store.save_allocation(&mut tx, c.id, &setup).await.unwrap();
        let person = |name: &str| NewPerson {
            member_id: None,
            full_name: name.into(),
            birth_date: None,
            sex: None,
            ethnicity: None,
            delegation: None,
            source_unit_id: None,
            role: PersonRole::Appointed,
            alternate_rank: None,
            standing: Standing::Active,
        };
        let elects =
            store.appoint_delegates(&mut tx, c.id, candidates[0].unit_id, &[person("X")]).await;
        assert!(matches!(elects, Err(StoreError::Rule { code: "unit_elects", .. })), "{label}");
        let appointed = store
            .appoint_delegates(
                &mut tx,
                c.id,
                candidates[2].unit_id,
                &[person("Chỉ định 1"), person("Chỉ định 2")],
            )
            .await
            .unwrap();
        assert!(appointed.iter().all(|p| p.role == PersonRole::Appointed), "{label}");
        let over = store
            .appoint_delegates(&mut tx, c.id, candidates[2].unit_id, &[person("Chỉ định 3")])
            .await;
        assert!(
            matches!(over, Err(StoreError::Rule { code: "too_many_appointed", .. })),
            "{label}"
        );

        // Alternates replace delegates of their unit in rank order.
        let ward = candidates[1].unit_id;
        let mut people = vec![];
        for (name, role, rank) in [
            ("Đại biểu 1", PersonRole::Elected, None),
            ("Đại biểu 2", PersonRole::Elected, None),
            ("Dự khuyết 2", PersonRole::Alternate, Some(2)),
            ("Dự khuyết 1", PersonRole::Alternate, Some(1)),
        ] {
            people.push(NewPerson {
                source_unit_id: Some(ward),
                role,
                alternate_rank: rank,
                ..person(name)
            });
        }
        let added = store.add_people(&mut tx, c.id, &people).await.unwrap();
        let first = store.replace_with_next_alternate(&mut tx, added[0].id).await.unwrap();
        assert_eq!(
            (first.full_name.as_str(), first.seated_for),
            ("Dự khuyết 1", Some(added[0].id)),
            "{label}"
        );
        let second = store.replace_with_next_alternate(&mut tx, added[1].id).await.unwrap();
        assert_eq!(second.full_name, "Dự khuyết 2", "{label}");
        let none = store.replace_with_next_alternate(&mut tx, added[1].id).await;
        assert!(matches!(none, Err(StoreError::Rule { code: "no_alternate", .. })), "{label}");
        tx.commit().await.unwrap();
        assert_eq!(store.allocation(c.id).await.unwrap().unwrap().total_seats, 11, "{label}");
    }
}

#[tokio::test]
async fn composition_rolls_up_and_the_cache_follows_changes() {
    for db in every_backend().await {
        let (store, label) = (&db.store, db.label);
        let tree = city(store).await;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let mut congresses = Vec::new();
        for &unit in tree.wards.iter().chain([&tree.city]) {
            congresses.push(
                store
                    .create_congress(&mut tx, congress(unit, CongressKind::Members))
                    .await
                    .unwrap()
                    .id,
            );
        }
        // Each ward elects two people (one woman), the city three (re-elected, all men).
        for (index, &c) in congresses.iter().enumerate() {
            let mut ids = Vec::new();
            let city = index == 3;
            for k in 0..if city { 3 } else { 2 } {
                let sex = if !city && k == 0 { Sex::Female } else { Sex::Male };
                let d = store
                    .create_dossier(
                        &mut tx,
                        c,
                        &dossier(&format!("Người {index} {k}"), "1975", sex, city),
                    )
                    .await
                    .unwrap();
                ids.push(d.id);
            }
            store.record_elected(&mut tx, c, &ids, Some((ids[0], city, city))).await.unwrap();
        }
        tx.commit().await.unwrap();
        let top = store.composition_tree(tree.city).await.unwrap();
        assert_eq!((top.total.lists, top.total.total, top.total.women), (4, 9, 3), "{label}");
        assert_eq!(
            (top.own.total, top.own.reelected, top.own.secretary_direct),
            (3, 3, 1),
            "{label}"
        );
        // Every dossier is Thái with a university degree: all minorities, all in the column.
        assert_eq!(top.total.minorities, 9, "{label}");
        assert_eq!(top.total.education[4], 9, "{label}");
        assert_eq!(top.children.len(), 3, "{label}");
        assert!(top.children.iter().all(|(_, _, s)| s.total == 2 && s.women == 1), "{label}");
        // Unchanged: the same computation is returned.
        let again = store.composition_tree(tree.city).await.unwrap();
        assert!(std::sync::Arc::ptr_eq(&top, &again), "{label}: answered from the cache");
        // A change moves the counter and the figures.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let extra = store
            .create_dossier(
                &mut tx,
                congresses[0],
                &dossier("Người mới", "1990", Sex::Female, false),
            )
            .await
            .unwrap();
        let mut elected: Vec<i64> = store
            .dossiers(congresses[0])
            .await
            .unwrap()
            .iter()
            .filter(|d| d.elected)
            .map(|d| d.id)
            .collect();
        elected.push(extra.id);
        store.record_elected(&mut tx, congresses[0], &elected, None).await.unwrap();
        tx.commit().await.unwrap();
        let after = store.composition_tree(tree.city).await.unwrap();
        assert!(!std::sync::Arc::ptr_eq(&top, &after), "{label}");
        assert_eq!(
            (after.total.total, after.total.women, after.total.under_40),
            (10, 4, 1),
            "{label}"
        );
    }
}
