//! The list rules (T5–T8 of `domain/election-rules.md` §10) and the base D computed from the
//! roll (§6.1, §7).

use daihoi_core::counting::{
    BallotBox, Candidate, CandidateId, CandidateList, CongressType, CountError, ElectionKind,
    ElectionSetup, ElectionSpec, Electorate, Exclusion, Roll, RollError, RollPerson, RollStatus,
    RoundType, RulePackId, SeatCount, tally,
};
use daihoi_core::lists::{
    ListError, check_surplus, floor_nominee, narrow_list, single_office_ballot,
};
use daihoi_core::rules::{QD190_2024, QD244_2014};

fn seats(n: u32) -> SeatCount {
    SeatCount::new(n).expect("seats ≥ 1")
}

fn ids(names: &[&str]) -> Vec<CandidateId> {
    names.iter().map(|name| CandidateId::new(*name).expect("non-empty")).collect()
}

// T7: a BCH/BTV of 3–5 members may have a surplus of at most 1.
#[test]
fn t7_small_committee_surplus_is_at_most_one() {
    for kind in [ElectionKind::Committee, ElectionKind::StandingCommittee] {
        assert_eq!(
            check_surplus(&QD190_2024, kind, seats(5), 7),
            Err(ListError::SurplusOverCap { seats: 5, surplus: 2, cap: 1 })
        );
        let six = check_surplus(&QD190_2024, kind, seats(5), 6).expect("6 for 5 is allowed");
        assert_eq!((six.surplus, six.cap), (1, Some(1)));
        assert_eq!(
            check_surplus(&QD190_2024, kind, seats(5), 5),
            Err(ListError::NoSurplus { kind, seats: 5 })
        );
    }
    assert_eq!(
        check_surplus(&QD190_2024, ElectionKind::Committee, seats(3), 4).map(|c| c.cap),
        Ok(Some(1))
    );
    assert_eq!(
        check_surplus(&QD190_2024, ElectionKind::Committee, seats(3), 5),
        Err(ListError::SurplusOverCap { seats: 3, surplus: 2, cap: 1 })
    );
}

#[test]
fn surplus_cap_grows_with_the_body_and_is_not_required_for_single_posts() {
    // 30% of 45 is 13.5 → 13.
    assert!(check_surplus(&QD190_2024, ElectionKind::Committee, seats(45), 58).is_ok());
    assert!(check_surplus(&QD190_2024, ElectionKind::Committee, seats(45), 59).is_err());
    // A secretary may be elected from one name; a surplus is allowed but not required.
    let one = check_surplus(&QD190_2024, ElectionKind::Secretary, seats(1), 1).expect("allowed");
    assert_eq!((one.required, one.cap), (false, None));
    assert!(check_surplus(&QD190_2024, ElectionKind::Secretary, seats(1), 2).is_ok());
    assert_eq!(
        check_surplus(&QD190_2024, ElectionKind::Delegates, seats(4), 3),
        Err(ListError::TooFewNames { names: 3, seats: 4 })
    );
}

// 190 Art. 14 cl. 2–3: a floor nominee needs the agreement of more than 30% of those present.
#[test]
fn floor_nominee_needs_strictly_more_than_thirty_percent_of_present() {
    let exactly = floor_nominee(&QD190_2024, 30, 100).expect("190 has the test");
    assert!(!exactly.admitted, "30 of 100 is not more than 30%");
    assert_eq!(exactly.needed, 31);
    assert!(floor_nominee(&QD190_2024, 31, 100).expect("ok").admitted);
    // 30% of 37 is 11.1: 11 fails, 12 passes.
    assert!(!floor_nominee(&QD190_2024, 11, 37).expect("ok").admitted);
    assert!(floor_nominee(&QD190_2024, 12, 37).expect("ok").admitted);
    assert_eq!(floor_nominee(&QD190_2024, 0, 37).expect("ok").needed, 12);
    assert_eq!(
        floor_nominee(&QD190_2024, 38, 37),
        Err(ListError::AgreeAbovePresent { agree: 38, present: 37 })
    );
    assert_eq!(
        floor_nominee(&QD244_2014, 20, 30),
        Err(ListError::NoFloorNominationRule { rules: RulePackId::Qd244_2014 })
    );
}

// T8 (XII Congress): an over-long list is narrowed from the most opinion-ballot votes
// downward until the surplus is within the cap.
#[test]
fn t8_narrowing_keeps_the_top_within_the_cap() {
    let names = ids(&["a", "b", "c", "d", "e", "f", "g", "h", "i"]);
    let votes = [90, 40, 85, 70, 60, 95, 30, 75, 50];
    let opinion: Vec<(CandidateId, u64)> = names.iter().cloned().zip(votes).collect();
    // 5 seats: cap 1, so at most 6 names.
    let narrowed = narrow_list(&QD190_2024, seats(5), &opinion).expect("valid input");
    assert_eq!(narrowed.max_names, 6);
    assert_eq!(narrowed.kept, ids(&["f", "a", "c", "h", "d", "e"]));
    assert_eq!(narrowed.dropped, ids(&["i", "b", "g"]));
    assert_eq!(narrowed.tie, None);
}

#[test]
fn t8_a_tie_at_the_narrowing_cut_off_is_reported_not_chosen() {
    let names = ids(&["a", "b", "c", "d", "e", "f", "g", "h"]);
    let votes = [90, 80, 70, 60, 50, 40, 40, 10];
    let opinion: Vec<(CandidateId, u64)> = names.iter().cloned().zip(votes).collect();
    let narrowed = narrow_list(&QD190_2024, seats(5), &opinion).expect("valid input");
    assert_eq!(narrowed.kept, ids(&["a", "b", "c", "d", "e"]));
    let tie = narrowed.tie.expect("f and g tie for the sixth place");
    assert_eq!((tie.candidates, tie.places, tie.votes), (ids(&["f", "g"]), 1, 40));
    assert_eq!(narrowed.dropped, ids(&["h"]));
}

#[test]
fn narrowing_a_list_already_within_the_cap_keeps_everyone() {
    let opinion: Vec<(CandidateId, u64)> =
        ids(&["a", "b", "c"]).into_iter().zip([1, 3, 2]).collect();
    let narrowed = narrow_list(&QD190_2024, seats(2), &opinion).expect("valid input");
    assert_eq!(narrowed.kept, ids(&["b", "c", "a"]));
    assert!(narrowed.dropped.is_empty() && narrowed.tie.is_none());
    let repeated: Vec<(CandidateId, u64)> = ids(&["a", "a"]).into_iter().zip([1, 2]).collect();
    assert!(matches!(
        narrow_list(&QD190_2024, seats(1), &repeated),
        Err(ListError::RepeatedCandidate { .. })
    ));
}

// T6: chi ủy, bí thư and phó bí thư may not be elected on one ballot.
#[test]
fn t6_one_ballot_carries_one_office() {
    let combined =
        [ElectionKind::Committee, ElectionKind::Secretary, ElectionKind::DeputySecretary];
    assert_eq!(
        single_office_ballot(&combined),
        Err(ListError::CombinedBallot { offices: combined.to_vec() })
    );
    assert_eq!(single_office_ballot(&[ElectionKind::Secretary]), Ok(ElectionKind::Secretary));
    assert_eq!(single_office_ballot(&[]), Err(ListError::NoOffice));
}

fn one_name_election(base: u32, agree: u32, disagree: u32) -> daihoi_core::counting::TallyReport {
    let id = CandidateId::new("c2").expect("non-empty");
    let candidates =
        CandidateList::new(vec![Candidate::new(id, "Lê Thị Ánh").expect("named")]).expect("ok");
    let spec = ElectionSpec {
        rules: RulePackId::Qd190_2024,
        title: "Bầu Bí thư Chi bộ".to_owned(),
        kind: ElectionKind::Secretary,
        round_type: RoundType::Regular,
        seats: seats(1),
        alternate_seats: 0,
        candidates,
        electorate: Electorate::new(&QD190_2024, CongressType::Conference, base, base, &[])
            .expect("base ≥ 1"),
    };
    let collected = agree + disagree;
    let mut ballots: BallotBox =
        ElectionSetup::new(spec).expect("ok").open(collected, collected).expect("ok");
    if agree > 0 {
        ballots.push_marks([("c2", daihoi_core::counting::Mark::Agree)], agree).expect("ok");
    }
    if disagree > 0 {
        ballots.push_marks([("c2", daihoi_core::counting::Mark::Disagree)], disagree).expect("ok");
    }
    tally(&ballots.close().expect("adds up"))
}

// T5: the committee's top vote-getter does not become secretary; the secretary has a ballot
// of their own. The API offers no way to derive one election's winner from another's
// ranking: a result comes only from its own ballots.
#[test]
fn t5_secretary_comes_from_its_own_ballot_not_from_the_committee_ranking() {
    // The chi bộ elects a chi ủy of 3 from 4; c1 tops the count.
    let names = ["c1", "c2", "c3", "c4"];
    let candidates = names
        .iter()
        .map(|id| Candidate::new(CandidateId::new(*id).expect("id"), format!("Đảng viên {id}")))
        .collect::<Result<Vec<_>, _>>()
        .expect("named");
    let committee_spec = ElectionSpec {
        rules: RulePackId::Qd190_2024,
        title: "Bầu Chi ủy".to_owned(),
        kind: ElectionKind::Committee,
        round_type: RoundType::Regular,
        seats: seats(3),
        alternate_seats: 0,
        candidates: CandidateList::new(candidates).expect("unique"),
        electorate: Electorate::new(&QD190_2024, CongressType::Members, 12, 12, &[])
            .expect("base ≥ 1"),
    };
    let mut ballots = ElectionSetup::new(committee_spec).expect("ok").open(12, 12).expect("ok");
    ballots.push_crossed(["c4"], 8).expect("ok");
    ballots.push_crossed(["c2"], 4).expect("ok");
    let committee = tally(&ballots.close().expect("adds up"));
    assert_eq!(committee.elected, ids(&["c1", "c3", "c2"]));

    // The new chi ủy (3 members) then elects its secretary on its own ballot: c2 stands alone
    // and is elected by that ballot, whatever the committee ranking said.
    let secretary = one_name_election(3, 2, 1);
    assert_eq!(secretary.elected, ids(&["c2"]));
    assert_ne!(secretary.elected.first(), committee.elected.first());
    // With no ballots cast, nobody is secretary: there is no fallback to any ranking.
    let no_ballots = one_name_election(3, 0, 0);
    assert!(no_ballots.elected.is_empty());
    assert_eq!(no_ballots.unfilled_seats, 1);
}

fn people(statuses: &[(RollStatus, usize)]) -> Vec<RollPerson> {
    statuses
        .iter()
        .flat_map(|&(status, n)| {
            std::iter::repeat_n(RollPerson { status, convening_committee: false }, n)
        })
        .collect()
}

// T2 and 190 Art. 30 cl. 2: exempt members count only if they attend; only absences with an
// accepted reason are subtracted.
#[test]
fn members_congress_base_from_the_roll() {
    let absent = Roll::from_people(
        &QD190_2024,
        CongressType::Members,
        &people(&[(RollStatus::Present, 7), (RollStatus::ExemptAbsent, 2)]),
    )
    .expect("a base");
    assert_eq!((absent.summoned, absent.present, absent.base().value()), (9, 7, 7));
    assert_eq!(absent.excluded, vec![(Exclusion::ExemptAbsent, 2)]);

    let attending = Roll::from_people(
        &QD190_2024,
        CongressType::Members,
        &people(&[(RollStatus::Present, 7), (RollStatus::ExemptPresent, 2)]),
    )
    .expect("a base");
    assert_eq!((attending.present, attending.base().value()), (9, 9));

    let mixed = Roll::from_people(
        &QD190_2024,
        CongressType::Members,
        &people(&[
            (RollStatus::Present, 30),
            (RollStatus::LeftBeforeVote, 2),
            (RollStatus::AbsentApproved, 3),
            (RollStatus::AbsentUnexcused, 1),
            (RollStatus::TransferredAbsent, 1),
            (RollStatus::TransferredPresent, 1),
            (RollStatus::Suspended, 1),
            (RollStatus::Prosecuted, 1),
            (RollStatus::NotSummoned, 4),
        ]),
    )
    .expect("a base");
    // Summoned 40 (the 4 not summoned are not counted at all); excluded 3 + 1 + 1 + 1.
    assert_eq!((mixed.summoned, mixed.present, mixed.base().value()), (40, 31, 34));
    assert_eq!(
        mixed.excluded,
        vec![
            (Exclusion::TemporarilyTransferredAbsent, 1),
            (Exclusion::Suspended, 1),
            (Exclusion::Prosecuted, 1),
            (Exclusion::AbsentApproved, 3),
        ]
    );
}

// 190 Art. 30 cl. 3: at a delegates' congress absent convening-committee members and absent
// delegates with no alternate seated are subtracted; a seat an alternate took still counts.
#[test]
fn delegates_congress_base_from_the_roll() {
    let mut roll = people(&[
        (RollStatus::Present, 95),
        (RollStatus::ReplacedByAlternate, 2),
        (RollStatus::AbsentApproved, 1),
        (RollStatus::AbsentUnexcused, 1),
    ]);
    roll.push(RollPerson { status: RollStatus::AbsentApproved, convening_committee: true });
    roll.push(RollPerson { status: RollStatus::Present, convening_committee: true });
    let base = Roll::from_people(&QD190_2024, CongressType::Delegates, &roll).expect("a base");
    assert_eq!((base.summoned, base.present, base.base().value()), (101, 98, 98));
    assert_eq!(
        base.excluded,
        vec![(Exclusion::CommitteeAbsent, 1), (Exclusion::DelegateAbsentUnreplaced, 2)]
    );

    let ex_officio_replaced =
        [RollPerson { status: RollStatus::ReplacedByAlternate, convening_committee: true }];
    assert_eq!(
        Roll::from_people(&QD190_2024, CongressType::Delegates, &ex_officio_replaced),
        Err(RollError::ExOfficioReplaced { person: 0 })
    );
}

#[test]
fn conference_base_from_the_roll_and_statuses_that_do_not_apply() {
    let conference = Roll::from_people(
        &QD190_2024,
        CongressType::Conference,
        &people(&[
            (RollStatus::Present, 12),
            (RollStatus::AbsentUnexcused, 2),
            (RollStatus::Suspended, 1),
        ]),
    )
    .expect("a base");
    assert_eq!((conference.summoned, conference.present, conference.base().value()), (15, 12, 14));

    assert_eq!(
        Roll::from_people(
            &QD190_2024,
            CongressType::Members,
            &people(&[(RollStatus::Present, 3), (RollStatus::ReplacedByAlternate, 1)])
        ),
        Err(RollError::StatusNotForCongress {
            person: 3,
            status: RollStatus::ReplacedByAlternate,
            congress: CongressType::Members
        })
    );
    assert_eq!(
        Roll::from_people(
            &QD190_2024,
            CongressType::Members,
            &people(&[(RollStatus::NotSummoned, 2)])
        ),
        Err(RollError::Base(CountError::NobodySummoned))
    );
}
