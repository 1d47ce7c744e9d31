//! The personnel demo on every backend: Him Lam's plan, dossiers and 5-step record, and the
//! city's delegate allocation handing out exactly its 200 seats.

use daihoi_store::Page;
use daihoi_store::personnel::StepTrack;
use daihoi_store::testing::every_backend;

#[tokio::test]
async fn him_lam_personnel_and_the_city_allocation() {
    for db in every_backend().await {
        let store = &db.store;
        daihoi_demo::load_demo(store).await.unwrap();
        let mut congresses = Vec::new();
        for page in 1..=20 {
            let items = store.congresses(&[], Page::new(page, 500)).await.unwrap().items;
            if items.is_empty() {
                break;
            }
            congresses.extend(items);
        }
        // The congress day's demo holds the ward's and the city's congresses of 2020.
        congresses.retain(|c| c.term_start == 2020);
        let ward_path = store
            .search_units("phuong him lam", &[], false, 20)
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.name == "Đảng bộ phường Him Lam")
            .expect("the ward")
            .path;
        assert_eq!(
            congresses.iter().filter(|c| c.unit_path == ward_path).count(),
            1,
            "{}",
            db.label
        );
        let ward = congresses.iter().find(|c| c.unit_path == ward_path).expect("Him Lam congress");
        let city_path = store
            .search_units("thanh pho dien bien phu", &[], false, 20)
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.name == "Đảng bộ thành phố Điện Biên Phủ")
            .expect("the city")
            .path;
        // The newest of the city's 2020 congresses, as the demo takes it.
        let city = congresses
            .iter()
            .filter(|c| c.unit_path == city_path)
            .max_by_key(|c| c.id)
            .expect("city congress");
        let plan = store.personnel_plan(ward.id).await.unwrap();
        assert_eq!((plan.committee_size, plan.standing_size), (Some(15), Some(5)), "{}", db.label);
        assert_eq!(store.dossiers(ward.id).await.unwrap().len(), 17, "{}", db.label);
        let re = store.steps(ward.id, StepTrack::Reelection).await.unwrap();
        assert_eq!(re.len(), 5, "{}", db.label);
        // Lường Văn Hải falls at step 1: 3 of 7 is not more than half.
        let falls = re[0].votes.iter().find(|v| v.full_name == "Lường Văn Hải").unwrap();
        assert!(!falls.passed && !falls.carried, "{}", db.label);
        let final_re = store.step_candidates(ward.id, StepTrack::Reelection, 6).await.unwrap();
        let final_first = store.step_candidates(ward.id, StepTrack::FirstTime, 6).await.unwrap();
        assert_eq!((final_re.len(), final_first.len()), (8, 7), "{}", db.label);
        let allocation = store.allocation(city.id).await.unwrap().expect("allocation");
        assert_eq!(allocation.rows.iter().map(|r| r.total).sum::<i64>(), 200, "{}", db.label);
        assert!(allocation.rows.len() > 10, "{}", db.label);
        assert!(store.verify_audit().await.unwrap().is_ok(), "{}", db.label);
    }
}
