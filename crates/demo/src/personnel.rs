//! The demo's personnel work: the Him Lam ward congress (2020) with its plan, seventeen
//! candidate dossiers for a committee of fifteen and the 5-step record of both tracks, and the
//! city congress's delegate allocation among its subordinate units.

use daihoi_core::apportion::{AllocationError, Method, allocate_delegates};
use daihoi_core::member::{Education, Sex, TheoryLevel};
use daihoi_core::personnel::{Birth, Campaign, Level};
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
use daihoi_store::personnel::{
    AllocationSetup, AllocationUnitInput, DossierInput, PlanInput, PlannedPost, StepInput,
    StepTrack,
};
use daihoi_store::{Store, StoreError, WriteTx};
use time::{Date, Month};

use crate::DemoTree;

/// Him Lam's candidates: name, birth, sex, ethnicity, post now, planned post, incumbent,
/// education, theory level.
const CANDIDATES: [(&str, &str, Sex, &str, &str, PlannedPost, bool); 17] = [
    (
        "Lò Văn Thanh",
        "12/05/1968",
        Sex::Male,
        "Thái",
        "Bí thư Đảng ủy phường",
        PlannedPost::Secretary,
        true,
    ),
    (
        "Nguyễn Thị Hương",
        "03/09/1975",
        Sex::Female,
        "Kinh",
        "Phó Bí thư Thường trực",
        PlannedPost::DeputySecretary,
        true,
    ),
    (
        "Cà Văn Dũng",
        "20/11/1972",
        Sex::Male,
        "Thái",
        "Chủ tịch UBND phường",
        PlannedPost::DeputySecretary,
        true,
    ),
    (
        "Trần Văn Minh",
        "15/01/1970",
        Sex::Male,
        "Kinh",
        "Chủ tịch Ủy ban MTTQ phường",
        PlannedPost::Standing,
        true,
    ),
    (
        "Quàng Thị Mai",
        "08/08/1982",
        Sex::Female,
        "Thái",
        "Phó Chủ tịch HĐND phường",
        PlannedPost::Standing,
        true,
    ),
    (
        "Lường Văn Hải",
        "1966",
        Sex::Male,
        "Thái",
        "Chủ nhiệm Ủy ban Kiểm tra",
        PlannedPost::Member,
        true,
    ),
    (
        "Phạm Văn Tuấn",
        "27/04/1979",
        Sex::Male,
        "Kinh",
        "Trưởng Công an phường",
        PlannedPost::Member,
        true,
    ),
    (
        "Đỗ Văn Nam",
        "02/02/1977",
        Sex::Male,
        "Kinh",
        "Chỉ huy trưởng Quân sự phường",
        PlannedPost::Member,
        true,
    ),
    (
        "Lò Thị Xuân",
        "19/12/1985",
        Sex::Female,
        "Thái",
        "Bí thư Đoàn phường",
        PlannedPost::Member,
        true,
    ),
    (
        "Vũ Thị Lan",
        "10/10/1988",
        Sex::Female,
        "Kinh",
        "Công chức Văn phòng",
        PlannedPost::Member,
        false,
    ),
    (
        "Tòng Văn Bình",
        "05/06/1990",
        Sex::Male,
        "Thái",
        "Phó Chủ tịch UBND phường",
        PlannedPost::Member,
        false,
    ),
    (
        "Hoàng Văn Đức",
        "14/03/1983",
        Sex::Male,
        "Tày",
        "Bí thư Chi bộ tổ dân phố 1",
        PlannedPost::Member,
        false,
    ),
    (
        "Lê Thị Thu",
        "22/07/1987",
        Sex::Female,
        "Kinh",
        "Chủ tịch Hội Phụ nữ phường",
        PlannedPost::Member,
        false,
    ),
    (
        "Mùa A Sử",
        "30/09/1991",
        Sex::Male,
        "Mông",
        "Công chức Địa chính",
        PlannedPost::Member,
        false,
    ),
    (
        "Nguyễn Văn Khánh",
        "18/04/1981",
        Sex::Male,
        "Kinh",
        "Hiệu trưởng Trường THCS Him Lam",
        PlannedPost::Member,
        false,
    ),
    (
        "Điêu Chính Tuấn",
        "01/01/1984",
        Sex::Male,
        "Thái",
        "Trưởng Trạm Y tế phường",
        PlannedPost::Member,
        false,
    ),
    (
        "Bùi Văn Long",
        "1963",
        Sex::Male,
        "Mường",
        "Bí thư Chi bộ bản Him Lam 2",
        PlannedPost::Member,
        false,
    ),
];

async fn congress_of(
    store: &Store,
    tx: &mut WriteTx,
    unit_id: i64,
    kind: CongressKind,
    ordinal: i64,
) -> Result<i64, StoreError> {
    if let Some(congress) = store.congress_for_term(tx, unit_id, 2020).await? {
        return Ok(congress.id);
    }
    let congress = store
        .create_congress(
            tx,
            NewCongress {
                unit_id,
                ordinal: Some(ordinal),
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
            },
        )
        .await?;
    Ok(congress.id)
}

/// Writes the personnel demo into the demo's transaction.
pub async fn load(store: &Store, tx: &mut WriteTx, tree: &DemoTree) -> Result<(), StoreError> {
    let him_lam = tree.id("Đảng bộ phường Him Lam")?;
    let city = tree.id("Đảng bộ thành phố Điện Biên Phủ")?;
    let ward = congress_of(store, tx, him_lam, CongressKind::Members, 13).await?;
    store
        .set_personnel_plan(
            tx,
            ward,
            PlanInput {
                campaign: Campaign::Ct35Of2019,
                level: Level::Grassroots,
                reference_date: Date::from_calendar_date(2020, Month::April, 1)
                    .map_err(|e| StoreError::Other(e.to_string()))?,
                committee_size: Some(15),
                standing_size: Some(5),
            },
        )
        .await?;
    let mut ids = Vec::new();
    for (index, (name, birth, sex, ethnicity, post, planned, incumbent)) in
        CANDIDATES.iter().enumerate()
    {
        let dossier = store
            .create_dossier(
                tx,
                ward,
                &DossierInput {
                    full_name: (*name).into(),
                    birth: Birth::parse(birth),
                    sex: Some(*sex),
                    ethnicity: Some((*ethnicity).into()),
                    hometown: Some("Điện Biên".into()),
                    education: Some(if index % 4 == 0 {
                        Education::Master
                    } else {
                        Education::University
                    }),
                    theory_level: Some(if index < 5 {
                        TheoryLevel::Advanced
                    } else {
                        TheoryLevel::Intermediate
                    }),
                    current_post: Some((*post).into()),
                    planned_post: Some(*planned),
                    incumbent: *incumbent,
                    science_tech: index == 14,
                    origin: Some("Đảng bộ phường Him Lam".into()),
                    ..DossierInput::default()
                },
            )
            .await?;
        ids.push((dossier.id, *incumbent));
    }
    // The five meetings of each track. Standing committee 7, key cadres 45, executive committee
    // 15 summoned. Lường Văn Hải falls at step 1 of re-election (3 of 7 is not more than half).
    let bodies = [7, 45, 15, 7, 15];
    for track in [StepTrack::Reelection, StepTrack::FirstTime] {
        let mut list: Vec<i64> = ids
            .iter()
            .filter(|(_, incumbent)| *incumbent == (track == StepTrack::Reelection))
            .map(|(id, _)| *id)
            .collect();
        for (step, summoned) in (1..=5).zip(bodies) {
            let attended = summoned - i64::from(summoned > 10);
            let votes: Vec<(i64, i64)> = list
                .iter()
                .enumerate()
                .map(|(position, id)| {
                    let falls = (track == StepTrack::Reelection && step == 1 && position == 5)
                        || (track == StepTrack::FirstTime && step == 2 && position == 7);
                    let count = if falls { summoned / 2 } else { attended - (position as i64 % 3) };
                    (*id, count)
                })
                .collect();
            let meeting = store
                .record_step(
                    tx,
                    ward,
                    &StepInput {
                        track,
                        step,
                        held_on: None,
                        summoned,
                        attended,
                        places: None,
                        votes,
                        tie_decision: Vec::new(),
                        tie_note: None,
                    },
                )
                .await?;
            list = meeting.votes.iter().filter(|v| v.carried).map(|v| v.dossier_id).collect();
        }
    }

    // The city congress: 200 delegates among the units directly under the city committee; one
    // member of the outgoing committee sits in every third unit; the first unit's delegates are
    // appointed (a unit that cannot hold its congress).
    let congress = congress_of(store, tx, city, CongressKind::Delegates, 13).await?;
    let units = store.allocation_candidates_in(tx, congress).await?;
    let mut setup = AllocationSetup {
        total_seats: 200,
        base_per_unit: 1,
        method: Method::Hamilton,
        alternates_per_unit: 1,
        units: units
            .iter()
            .enumerate()
            .map(|(index, unit)| AllocationUnitInput {
                unit_id: unit.unit_id,
                ex_officio: u64::from(index % 3 == 0),
                adjustment: 0,
                appointed: false,
            })
            .collect(),
        tie_decision: Vec::new(),
        tie_note: None,
    };
    let input = daihoi_core::apportion::AllocationInput {
        total_seats: setup.total_seats,
        units: units
            .iter()
            .zip(&setup.units)
            .map(|(unit, set)| daihoi_core::apportion::AllocationUnit {
                name: unit.name.clone(),
                members: u64::try_from(unit.members).unwrap_or(0),
                ex_officio: set.ex_officio,
                adjustment: 0,
            })
            .collect(),
        base_per_unit: 1,
        method: Method::Hamilton,
        alternates: daihoi_core::apportion::AlternateRule::PerUnit(1),
        tie_decision: Vec::new(),
    };
    if let Err(AllocationError::Tie(tie)) = allocate_delegates(&input) {
        // Decided as the committee would: the tied units in table order.
        setup.tie_decision =
            tie.units.iter().take(tie.seats as usize).map(|&i| units[i].unit_id).collect();
        setup.tie_note = Some("Ban Thường vụ Thành ủy quyết định theo thứ tự trong bảng".into());
    }
    store.save_allocation(tx, congress, &setup).await?;
    Ok(())
}
