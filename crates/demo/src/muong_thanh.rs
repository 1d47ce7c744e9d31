//! The Mường Thanh ward party congress of 2020 (đại hội đại biểu, 80 delegates, 9–10 June 2020):
//! the delegates it elects to the city congress, with an alternate, counted and reported to the
//! city for approval beside Him Lam's, so the city's organisation board has two wards' results
//! to approve and sees both delegations arrive on its congress roster, each marked by its ward.
//! Written through the store like a user's steps, dated on the congress's days.

use daihoi_store::congress::SessionKind;
use daihoi_store::{Actor, Store, StoreError};

use crate::DemoTree;
use crate::him_lam::{Ballots, DelegateElection, at, congress, elect_delegates, roster_of};
use crate::rng::Rng;

/// The ward.
pub const WARD: &str = "Đảng bộ phường Mường Thanh";
/// The first day of its congress.
pub const FIRST_DAY: time::Date = time::macros::date!(2020 - 06 - 09);
/// Its second and last day.
pub const SECOND_DAY: time::Date = time::macros::date!(2020 - 06 - 10);
const DELEGATES: usize = 80;
const OUTGOING_COMMITTEE: usize = 11;

/// Loads the Mường Thanh congress; the tree, the accounts and the city's congress (written by
/// the Him Lam step) must be there already.
pub async fn load(store: &Store, tree: &DemoTree) -> Result<(), StoreError> {
    let ward = store.unit(tree.id(WARD)?).await?;
    let actor = Actor::system("demo");
    let mut rng = Rng::new(crate::DEMO_SEED).fork(0x4d54_4841);
    let people = roster_of(store, &ward, DELEGATES, OUTGOING_COMMITTEE).await?;

    let mut tx = store.begin_write_at(&actor, at(FIRST_DAY, 7, 30)).await?;
    let mut new = congress(ward.id, 13, "Điện Biên Phủ");
    new.venue = Some("Hội trường Ủy ban nhân dân phường Mường Thanh".into());
    new.sessions = vec![(SessionKind::Official, Some(FIRST_DAY), Some(SECOND_DAY))];
    let muong_thanh = store.create_congress(&mut tx, new).await?;
    let roster = store.add_people(&mut tx, muong_thanh.id, &people).await?;
    store
        .set_counting_committee(
            &mut tx,
            muong_thanh.id,
            &[
                ("Đặng Văn Hùng".into(), "head".into()),
                ("Lò Thị Mai".into(), "member".into()),
                ("Nguyễn Văn Toàn".into(), "member".into()),
            ],
        )
        .await?;
    for person in &roster {
        store.check_in(&mut tx, muong_thanh.id, person.badge_no, "Cửa chính").await?;
    }
    tx.commit().await?;
    let present = roster.len() as i64;

    // Delegates to the city congress: 4 official and 1 alternate, 6 names, one team; two
    // names crossed on each ballot, the last two most often: four clear winners, one alternate.
    let candidates: Vec<i64> = roster.iter().skip(5).step_by(11).take(6).map(|p| p.id).collect();
    let ballots = Ballots { weights: &[8, 10, 12, 14, 30, 90], crossed: 2 };
    let delegates = DelegateElection { seats: 4, alternates: 1, candidates: &candidates, present };
    let times = (at(SECOND_DAY, 9, 0), at(SECOND_DAY, 10, 0));
    elect_delegates(store, &actor, times, muong_thanh.id, &delegates, ballots, &mut rng).await?;
    let mut tx = store.begin_write_at(&actor, at(SECOND_DAY, 10, 30)).await?;
    store.report_results(&mut tx, muong_thanh.id).await?;
    tx.commit().await?;
    Ok(())
}
