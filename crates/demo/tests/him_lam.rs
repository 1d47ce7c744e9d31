//! The Him Lam congress of the demo: counted, decided, signed off and reported, on every backend.

use daihoi_core::counting::{ElectionKind, RollStatus};
use daihoi_store::elections::ElectionStatus;
use daihoi_store::testing::every_backend;

#[tokio::test]
async fn the_him_lam_congress_has_counted_elections_and_one_ready_to_count() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        daihoi_demo::load_demo(store).await.unwrap();
        let ward = store.search_units("phuong him lam", &[], false, 5).await.unwrap();
        let ward = ward.iter().find(|u| u.name == daihoi_demo::him_lam::WARD).expect("the ward");
        let congress = store.congresses_of_unit(ward.id).await.unwrap().remove(0);
        let elections = store.elections(congress.id).await.unwrap();
        let kinds: Vec<_> = elections.iter().map(|e| (e.kind, e.status)).collect();
        assert_eq!(
            kinds,
            vec![
                (ElectionKind::Committee, ElectionStatus::Complete),
                (ElectionKind::Delegates, ElectionStatus::Complete),
                (ElectionKind::StandingCommittee, ElectionStatus::Voting),
            ],
            "{label}"
        );
        let committee = store.rounds(elections[0].id).await.unwrap().remove(0);
        assert!(committee.is_locked() && committee.lock_hash.is_some(), "{label}");
        let count = store.count_round(committee.id).await.unwrap();
        assert_eq!(count.report.ballots.invalid, 3, "{label}: two over-kept, one marked");
        assert_eq!(count.report.elected.len(), 15, "{label}");
        let state = store.round_state(committee.id).await.unwrap();
        assert_eq!(state.discrepancies.iter().map(|d| d.ballot).collect::<Vec<_>>(), vec![37]);
        assert_eq!(state.decisions.len(), 2, "{label}: the discrepancy and the doubtful ballot");
        let outcome = store.election_outcome(elections[1].id).await.unwrap();
        assert_eq!((outcome.elected.len(), outcome.alternates.len()), (6, 2), "{label}");
        // Signed off on the congress's first day (Vietnam time), not on the day of the load.
        let locked = time::OffsetDateTime::from_unix_timestamp(committee.locked_at.unwrap() / 1000)
            .unwrap()
            .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap());
        assert_eq!(locked.date(), daihoi_demo::him_lam::FIRST_DAY, "{label}");
        // The plenum's roll: fifteen members, one absent with leave; D stays 15, 14 present.
        let roll = store.plenum_roll(elections[0].id).await.unwrap();
        assert_eq!(roll.len(), 15, "{label}");
        assert_eq!(
            roll.iter().filter(|m| m.status == RollStatus::AbsentApproved).count(),
            1,
            "{label}"
        );
        let base = store.election_base(elections[2].id).await.unwrap();
        assert_eq!((base.summoned, base.present), (15, 14), "{label}");
        let ready = store.rounds(elections[2].id).await.unwrap().remove(0);
        assert!(!ready.is_locked() && ready.ballots_issued.is_none(), "{label}");
        assert_eq!(store.round_names(ready.id).await.unwrap().len(), 6, "{label}");
        let city = store.unit(ward.parent_id.unwrap()).await.unwrap();
        let waiting: Vec<_> = store
            .approvals_for(std::slice::from_ref(&city.path))
            .await
            .unwrap()
            .into_iter()
            .filter(|approval| approval.congress_id == congress.id)
            .collect();
        assert_eq!(waiting.len(), 1, "{label}");
        assert_eq!(waiting[0].status, "pending", "{label}");
        assert!(store.verify_audit().await.unwrap().is_ok(), "{label}");
    }
}

#[tokio::test]
async fn two_wards_wait_for_the_city_and_their_delegations_join_its_roster() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        daihoi_demo::load_demo(store).await.unwrap();
        let ward = store.search_units("phuong muong thanh", &[], false, 5).await.unwrap();
        let ward =
            ward.iter().find(|u| u.name == daihoi_demo::muong_thanh::WARD).expect("the ward");
        let congress = store.congresses_of_unit(ward.id).await.unwrap().remove(0);
        let delegates = store.elections(congress.id).await.unwrap().remove(0);
        let outcome = store.election_outcome(delegates.id).await.unwrap();
        assert_eq!((outcome.elected.len(), outcome.alternates.len()), (4, 1), "{label}");
        let city = store.unit(ward.parent_id.unwrap()).await.unwrap();
        let him_lam_ward = store.search_units("phuong him lam", &[], false, 5).await.unwrap();
        let him_lam_ward =
            him_lam_ward.iter().find(|u| u.name == daihoi_demo::him_lam::WARD).expect("Him Lam");
        let him_lam_congress = store.congresses_of_unit(him_lam_ward.id).await.unwrap().remove(0);
        let pending: Vec<_> = store
            .approvals_for(std::slice::from_ref(&city.path))
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.status == "pending")
            .filter(|a| a.congress_id == congress.id || a.congress_id == him_lam_congress.id)
            .collect();
        assert_eq!(pending.len(), 2, "{label}: Him Lam and Mường Thanh");
        let mut tx = store.begin_write(&daihoi_store::Actor::system("bantochuc")).await.unwrap();
        for approval in &pending {
            store.decide_approval(&mut tx, approval.id, true, None).await.unwrap();
        }
        tx.commit().await.unwrap();
        let city_congress = store.congresses_of_unit(city.id).await.unwrap().remove(0);
        let roster = store
            .people(city_congress.id, None, None, daihoi_store::Page::new(1, 500))
            .await
            .unwrap();
        let from = |ward: &str| -> Vec<_> {
            roster.items.iter().filter(|p| p.delegation.as_deref() == Some(ward)).collect()
        };
        let muong_thanh = from(daihoi_demo::muong_thanh::WARD);
        let him_lam = from(daihoi_demo::him_lam::WARD);
        assert_eq!(muong_thanh.len(), 5, "{label}: four delegates and one alternate");
        assert_eq!(him_lam.len(), 8, "{label}: six delegates and two alternates");
        let ranks: Vec<_> = him_lam.iter().filter_map(|p| p.alternate_rank).collect();
        assert_eq!(ranks.len(), 2, "{label}");
        assert!(ranks.contains(&1) && ranks.contains(&2), "{label}: alternates in order");
        assert!(muong_thanh.iter().all(|p| p.member_id.is_some()), "{label}");
        // Their composition: two delegations, education and theory from the member records.
        let (_, delegations) = store.delegations(city_congress.id).await.unwrap();
        let names: Vec<_> = delegations.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, [daihoi_demo::him_lam::WARD, daihoi_demo::muong_thanh::WARD], "{label}");
        assert_eq!(delegations[0].composition.total, 8, "{label}");
        assert_eq!(delegations[0].alternates, 2, "{label}");
        let unknown: u64 = delegations.iter().map(|d| d.composition.education[7]).sum();
        assert_eq!(unknown, 0, "{label}: every delegate's education is on record");
    }
}
