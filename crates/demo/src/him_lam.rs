//! The Him Lam ward party congress of 2020 (đại hội đại biểu, term 2020–2025): 120 delegates
//! checked in, the counting committee, the new executive committee counted by two entry teams
//! (a few invalid ballots, one discrepancy and one doubtful ballot decided by the committee),
//! the delegates to the city congress with alternates, approved by the congress and reported to
//! the city for approval, and the standing committee's election at the first plenum, its list
//! approved and ready to count, its roll with one member absent with leave. Every step goes
//! through the store like a user's would, dated on the congress's two days (11–12 June 2020),
//! so the minutes and the report upward bear them.

use daihoi_core::counting::ElectionKind;
use daihoi_core::keyed::{KeyedBallot, Resolution};
use daihoi_core::member::{MemberStatus, Membership};
use daihoi_store::congress::{
    Absence, CongressContent, CongressKind, Credentials, NewCongress, NewPerson, PersonRole,
    SessionKind, Standing, StatusDecision,
};
use daihoi_store::elections::{CandidateSource, NewCandidate, NewElection, Voters, Votes};
use daihoi_store::{Actor, MemberFilter, MemberSort, Page, Store, StoreError};

use crate::DemoTree;
use crate::rng::Rng;

/// The ward.
pub const WARD: &str = "Đảng bộ phường Him Lam";
const CITY: &str = "Đảng bộ thành phố Điện Biên Phủ";
const DELEGATES: usize = 120;
const OUTGOING_COMMITTEE: usize = 13;

pub(crate) fn congress(unit_id: i64, ordinal: i64, place: &str) -> NewCongress {
    NewCongress {
        unit_id,
        ordinal: Some(ordinal),
        term_start: 2020,
        term_end: 2025,
        kind: CongressKind::Delegates,
        content: CongressContent::FourItems,
        rules: "qd244-2014".into(),
        title: String::new(),
        place: Some(place.into()),
        venue: Some("Hội trường Ủy ban nhân dân phường Him Lam".into()),
        pilot: false,
        sessions: vec![(SessionKind::Official, None, None)],
    }
}

/// The first day of the Him Lam congress (two days, a delegates' congress), 11 June 2020.
pub const FIRST_DAY: time::Date = time::macros::date!(2020 - 06 - 11);
/// Its second and last day.
pub const SECOND_DAY: time::Date = time::macros::date!(2020 - 06 - 12);

/// Milliseconds since the epoch of `hour:minute` on `day` in Vietnam (UTC+7).
pub(crate) fn at(day: time::Date, hour: u8, minute: u8) -> i64 {
    let time = time::Time::from_hms(hour, minute, 0).unwrap_or(time::Time::MIDNIGHT);
    let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let moment = time::PrimitiveDateTime::new(day, time).assume_offset(offset);
    (moment.unix_timestamp_nanos() / 1_000_000) as i64
}

pub(crate) fn votes(votes_for: i64, present: i64) -> Votes {
    Votes { votes_for, against: present - votes_for, abstain: 0, present }
}

/// Three distinct positions (1-based) drawn by weight.
pub(crate) fn cross(rng: &mut Rng, weights: &[u32], n: usize) -> Vec<u32> {
    let items: Vec<(u32, u32)> =
        weights.iter().enumerate().map(|(i, w)| (i as u32 + 1, *w)).collect();
    let mut out: Vec<u32> = Vec::new();
    while out.len() < n {
        let pick = *rng.weighted(&items);
        if !out.contains(&pick) {
            out.push(pick);
        }
    }
    out.sort_unstable();
    out
}

pub(crate) fn keys(crossed: &[u32]) -> String {
    if crossed.is_empty() {
        "0".into()
    } else {
        crossed.iter().map(u32::to_string).collect::<Vec<_>>().join(" ")
    }
}

/// A delegates' congress roster drawn from a ward's active official members: `delegates`
/// people spread over its cells, every `delegates / outgoing`-th of the first ones ex officio
/// (the outgoing committee).
pub(crate) async fn roster_of(
    store: &Store,
    ward: &daihoi_store::Unit,
    delegates: usize,
    outgoing: usize,
) -> Result<Vec<NewPerson>, StoreError> {
    let members = store
        .members(
            &MemberFilter {
                subtree_paths: vec![ward.path.clone()],
                membership: Some(Membership::Official),
                status: Some(MemberStatus::Active),
                ..MemberFilter::default()
            },
            MemberSort::Name,
            false,
            Page::new(1, 500),
        )
        .await?
        .items;
    let step = (members.len() / delegates).max(1);
    let chosen: Vec<_> = members.iter().step_by(step).take(delegates).collect();
    let mut people = Vec::with_capacity(chosen.len());
    for (index, member) in chosen.iter().enumerate() {
        let unit = store.unit(member.unit_id).await?;
        people.push(NewPerson {
            member_id: Some(member.id),
            full_name: member.full_name.clone(),
            birth_date: member.birth_date,
            sex: member.sex,
            ethnicity: member.ethnicity.clone(),
            delegation: Some(unit.name.clone()),
            source_unit_id: Some(unit.id),
            role: if index % (delegates / outgoing) == 0
                && index / (delegates / outgoing) < outgoing
            {
                PersonRole::ExOfficio
            } else {
                PersonRole::Elected
            },
            alternate_rank: None,
            standing: Standing::Active,
        });
    }
    Ok(people)
}

/// A delegates' election to the city congress, as the demo's wards hold it.
pub(crate) struct DelegateElection<'a> {
    /// Official delegates to elect.
    pub seats: i64,
    /// Alternates.
    pub alternates: i64,
    /// Roster people on the list, in the order they are added.
    pub candidates: &'a [i64],
    /// Delegates present (ballots issued, collected and entered).
    pub present: i64,
}

/// How the demo's ballots are marked: names crossed out by weight (1-based positions).
#[derive(Clone, Copy)]
pub(crate) struct Ballots<'a> {
    /// Weight of each position on the ballot.
    pub weights: &'a [u32],
    /// Names crossed out on each ballot.
    pub crossed: usize,
}

/// Creates the delegates' election, approves its list, enters one ballot per delegate present
/// with one team, signs the round off (at `times.0`) and has the congress approve the
/// alternates (at `times.1`).
pub(crate) async fn elect_delegates(
    store: &Store,
    actor: &Actor,
    times: (i64, i64),
    congress_id: i64,
    election: &DelegateElection<'_>,
    ballots: Ballots<'_>,
    rng: &mut Rng,
) -> Result<(), StoreError> {
    let present = election.present;
    let mut tx = store.begin_write_at(actor, times.0).await?;
    let delegates = store
        .create_election(
            &mut tx,
            congress_id,
            NewElection {
                offices: vec![ElectionKind::Delegates],
                title:
                    "Bầu đại biểu dự Đại hội đại biểu Đảng bộ thành phố Điện Biên Phủ lần thứ XIII"
                        .into(),
                seats: election.seats,
                alternate_seats: election.alternates,
                voters: Voters::Congress,
                conference_of: None,
            },
        )
        .await?;
    for person in election.candidates {
        store
            .add_candidate(
                &mut tx,
                delegates.id,
                NewCandidate {
                    person_id: Some(*person),
                    full_name: String::new(),
                    source: CandidateSource::Committee,
                    note: None,
                },
            )
            .await?;
    }
    let round = store.approve_list(&mut tx, delegates.id, &votes(present, present)).await?.1;
    let round = round.ok_or(StoreError::NotFound)?;
    store.set_round_teams(&mut tx, round.id, 1).await?;
    store.set_round_figures(&mut tx, round.id, present, present).await?;
    for _ in 0..present {
        let crossed = cross(rng, ballots.weights, ballots.crossed);
        store.enter_ballot(&mut tx, round.id, 1, &keys(&crossed)).await?;
    }
    store.lock_round(&mut tx, round.id).await?;
    tx.commit().await?;
    let mut tx = store.begin_write_at(actor, times.1).await?;
    let alternates_proposed =
        store.round(round.id).await?.result.is_some_and(|r| !r.alternates.is_empty());
    if alternates_proposed {
        let against = election.alternates.min(present);
        store.approve_alternates(&mut tx, round.id, &votes(present - against, present)).await?;
    }
    tx.commit().await
}

/// Loads the Him Lam congress; the tree and accounts must be committed already.
pub async fn load(store: &Store, tree: &DemoTree) -> Result<(), StoreError> {
    let ward = store.unit(tree.id(WARD)?).await?;
    let city = tree.id(CITY)?;
    let actor = Actor::system("demo");
    let mut rng = Rng::new(crate::DEMO_SEED).fork(0x4849_4d4c);

    // The roster: 120 official delegates, the outgoing committee's 13 ex officio.
    let people = roster_of(store, &ward, DELEGATES, OUTGOING_COMMITTEE).await?;

    let mut tx = store.begin_write_at(&actor, at(FIRST_DAY, 7, 30)).await?;
    // The city's 7th congress of delegates, 14–15 August 2020 (300 delegates).
    let mut city_congress = congress(city, 7, "Điện Biên Phủ");
    city_congress.venue = Some("Hội trường Thành ủy Điện Biên Phủ".into());
    city_congress.sessions = vec![(
        SessionKind::Official,
        Some(time::macros::date!(2020 - 08 - 14)),
        Some(time::macros::date!(2020 - 08 - 15)),
    )];
    store.create_congress(&mut tx, city_congress).await?;
    let mut ward_congress = congress(ward.id, 12, "Điện Biên Phủ");
    ward_congress.sessions = vec![(SessionKind::Official, Some(FIRST_DAY), Some(SECOND_DAY))];
    let him_lam = store.create_congress(&mut tx, ward_congress).await?;
    let roster = store.add_people(&mut tx, him_lam.id, &people).await?;
    store
        .set_counting_committee(
            &mut tx,
            him_lam.id,
            &[
                ("Lò Văn Khánh".into(), "head".into()),
                ("Vì Thị Hằng".into(), "member".into()),
                ("Quàng Văn Dũng".into(), "member".into()),
                ("Cà Thị Thu".into(), "member".into()),
                ("Lường Văn Tiến".into(), "member".into()),
            ],
        )
        .await?;
    // Two delegates absent for the whole congress with an accepted reason, one not arrived.
    let absent: Vec<i64> = roster.iter().rev().take(3).map(|p| p.id).collect();
    for person in roster.iter().filter(|p| absent.contains(&p.id)).take(2) {
        store
            .decide_status(
                &mut tx,
                person.id,
                person.version,
                &StatusDecision {
                    standing: Standing::Active,
                    absence: Absence::Approved,
                    reason: Some("Đi công tác theo quyết định của cấp trên".into()),
                    credentials: Credentials::Accepted,
                    credentials_note: None,
                },
            )
            .await?;
    }
    for person in &roster {
        if !absent.contains(&person.id) {
            store.check_in(&mut tx, him_lam.id, person.badge_no, "Cửa chính").await?;
        }
    }
    tx.commit().await?;
    let present = (roster.len() - absent.len()) as i64;

    // The executive committee: 15 seats, 17 names (the outgoing committee's 13 and 4 more).
    let mut tx = store.begin_write_at(&actor, at(FIRST_DAY, 9, 15)).await?;
    let committee = store
        .create_election(
            &mut tx,
            him_lam.id,
            NewElection {
                offices: vec![ElectionKind::Committee],
                title: "Bầu Ban Chấp hành Đảng bộ phường Him Lam khóa XII, nhiệm kỳ 2020 - 2025"
                    .into(),
                seats: 15,
                alternate_seats: 0,
                voters: Voters::Congress,
                conference_of: None,
            },
        )
        .await?;
    let ex_officio: Vec<_> = roster.iter().filter(|p| p.role == PersonRole::ExOfficio).collect();
    let others: Vec<_> = roster
        .iter()
        .filter(|p| p.role == PersonRole::Elected && !absent.contains(&p.id))
        .collect();
    let mut names = Vec::new();
    for person in ex_officio
        .iter()
        .copied()
        .chain(others.iter().step_by(9).copied().take(17 - ex_officio.len()))
    {
        names.push(person.id);
        store
            .add_candidate(
                &mut tx,
                committee.id,
                NewCandidate {
                    person_id: Some(person.id),
                    full_name: String::new(),
                    source: CandidateSource::Committee,
                    note: None,
                },
            )
            .await?;
    }
    let round = store.approve_list(&mut tx, committee.id, &votes(present, present)).await?.1;
    let round = round.ok_or(StoreError::NotFound)?;
    store.set_round_figures(&mut tx, round.id, present, present).await?;
    tx.commit().await?;

    // Each ballot crosses two to four names, the less popular more often.
    let weights: Vec<u32> = (0..17).map(|i| 20 + (i * 37 % 17) * 6).collect();
    let mut pile: Vec<String> = Vec::new();
    for index in 0..present {
        let ballot = match index {
            12 | 80 => "0".to_string(), // keeps 17 names for 15 seats: invalid
            95 => "x3".to_string(),     // an identifying mark
            51 => "?".to_string(),      // doubtful: the committee rules
            _ => {
                let n = 2 + rng.below(3) as usize;
                keys(&cross(&mut rng, &weights, n))
            }
        };
        pile.push(ballot);
    }
    let mut tx =
        store.begin_write_at(&Actor::system("kiemphieu.himlam"), at(FIRST_DAY, 11, 40)).await?;
    for team in 1..=2 {
        for (index, ballot) in pile.iter().enumerate() {
            // Team 2 misreads ballot 37.
            let keys = if team == 2 && index == 36 { "1 2 3".to_string() } else { ballot.clone() };
            store.enter_ballot(&mut tx, round.id, team, &keys).await?;
        }
    }
    let decided = keyed_ballot(&pile[36], 17);
    store
        .decide_ballot(
            &mut tx,
            round.id,
            37,
            "discrepancy",
            &Resolution::Ballot { ballot: decided },
            Some("Kiểm tra lại phiếu gốc: tổ 1 nhập đúng"),
        )
        .await?;
    store
        .decide_ballot(
            &mut tx,
            round.id,
            52,
            "ruling",
            &Resolution::Ballot { ballot: KeyedBallot::Crossed { n: vec![16, 17] } },
            Some(
                "Gạch chéo qua tên số 16 và 17, không hết họ tên: Ban kiểm phiếu kết luận là gạch",
            ),
        )
        .await?;
    store.lock_round(&mut tx, round.id).await?;
    tx.commit().await?;

    // Delegates to the city congress: 6 official, 2 alternates, 9 names, one team.
    let candidates: Vec<i64> = others.iter().skip(3).step_by(7).take(9).map(|p| p.id).collect();
    let ballots = Ballots { weights: &[20, 20, 20, 20, 20, 20, 32, 32, 90], crossed: 3 };
    let delegates = DelegateElection { seats: 6, alternates: 2, candidates: &candidates, present };
    let times = (at(SECOND_DAY, 9, 0), at(SECOND_DAY, 10, 30));
    elect_delegates(store, &actor, times, him_lam.id, &delegates, ballots, &mut rng).await?;

    // The first plenum of the new committee: the standing committee, ready to count.
    let mut tx = store.begin_write_at(&actor, at(SECOND_DAY, 14, 0)).await?;
    let standing = store
        .create_election(
            &mut tx,
            him_lam.id,
            NewElection {
                offices: vec![ElectionKind::StandingCommittee],
                title: "Bầu Ban Thường vụ Đảng ủy phường Him Lam khóa XII".into(),
                seats: 5,
                alternate_seats: 0,
                voters: Voters::Plenum,
                conference_of: Some(committee.id),
            },
        )
        .await?;
    tx.commit().await?;
    let outcome = store.election_outcome(committee.id).await?;
    let mut tx = store.begin_write_at(&actor, at(SECOND_DAY, 14, 20)).await?;
    for (candidate_id, _, _, _) in outcome.elected.iter().take(6) {
        let candidate = store.candidate(*candidate_id).await?;
        store
            .add_candidate(
                &mut tx,
                standing.id,
                NewCandidate {
                    person_id: candidate.person_id,
                    full_name: candidate.full_name.clone(),
                    source: CandidateSource::Committee,
                    note: None,
                },
            )
            .await?;
    }
    let members = outcome.elected.len() as i64;
    // The plenum's roll: one new member called away before the plenum, with leave.
    if let Some((candidate_id, _, _, _)) = outcome.elected.last() {
        store
            .set_plenum_status(
                &mut tx,
                committee.id,
                *candidate_id,
                daihoi_core::counting::RollStatus::AbsentApproved,
                Some("Có việc gia đình đột xuất, đã báo cáo Đoàn Chủ tịch"),
            )
            .await?;
    }
    // The list is approved by those present at the plenum.
    store.approve_list(&mut tx, standing.id, &votes(members - 1, members - 1)).await?;
    store.report_results(&mut tx, him_lam.id).await?;
    tx.commit().await?;
    Ok(())
}

fn keyed_ballot(keys: &str, names: u32) -> KeyedBallot {
    daihoi_core::keyed::parse_keys(keys, names, daihoi_core::counting::BallotForm::StrikeThrough)
        .unwrap_or(KeyedBallot::Doubtful)
}
