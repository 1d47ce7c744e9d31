//! Elections at a congress and at the new committee's first plenum: one election is one body,
//! one list, one ballot form. The list is built (the outgoing committee's names, floor and
//! self-nominations admitted by opinion ballot, withdrawals decided by the congress), checked
//! for its surplus and frozen by a show-of-hands vote; rounds are counted by teams keying
//! ballots (append-only entries, undo as an entry), compared ballot by ballot, resolved by the
//! counting committee, tallied by the core, signed off (storage triggers refuse any change
//! after) with a SHA-256 of the round's ballots and result in the audit chain; results go up
//! to the parent unit for approval, which adds the elected delegates to its congress roster.

use std::collections::BTreeMap;

use daihoi_core::counting::{
    BallotForm, Candidate as CoreCandidate, CandidateId, CandidateList, CommitteeReason,
    CongressType, ElectionKind, ElectionSetup, ElectionSpec, Electorate, Exclusion, Mark,
    RollStatus, RoundType, SeatCount, TallyReport, tally,
};
use daihoi_core::keyed::{self, KeyedBallot, Pending, PileEntry, Resolution};
use daihoi_core::rules::{RulePack, RulePackId};
use daihoi_core::vn;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::AuditRecord;
use crate::congress::{
    Absence, Congress, CongressKind, NewPerson, PersonRole, Standing, congress_on,
};
use crate::units::{next_id, unit_on};
use crate::{Store, StoreError, WriteTx};

/// Who votes in an election: the congress, or the new committee at its first plenum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Voters {
    /// The congress (its roll gives D).
    Congress,
    /// The newly elected committee at its first plenum (D is its membership).
    Plenum,
}

impl Voters {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Voters::Congress => "congress",
            Voters::Plenum => "plenum",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Voters> {
        [Voters::Congress, Voters::Plenum].into_iter().find(|v| v.code() == code)
    }
}

/// Where an election stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectionStatus {
    /// The list is being built.
    Preparing,
    /// The list is approved and frozen; rounds are being voted.
    Voting,
    /// Every seat is settled (or the congress stopped).
    Complete,
}

impl ElectionStatus {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            ElectionStatus::Preparing => "preparing",
            ElectionStatus::Voting => "voting",
            ElectionStatus::Complete => "complete",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<ElectionStatus> {
        [ElectionStatus::Preparing, ElectionStatus::Voting, ElectionStatus::Complete]
            .into_iter()
            .find(|v| v.code() == code)
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            ElectionStatus::Preparing => "Đang lập danh sách",
            ElectionStatus::Voting => "Đang bầu",
            ElectionStatus::Complete => "Đã xong",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            ElectionStatus::Preparing => "Building the list",
            ElectionStatus::Voting => "Voting",
            ElectionStatus::Complete => "Complete",
        }
    }
}

/// Vietnamese name of what is elected.
pub fn kind_label_vi(kind: ElectionKind) -> &'static str {
    match kind {
        ElectionKind::Committee => "Ban Chấp hành",
        ElectionKind::StandingCommittee => "Ban Thường vụ",
        ElectionKind::Secretary => "Bí thư",
        ElectionKind::DeputySecretary => "Phó Bí thư",
        ElectionKind::InspectionCommittee => "Ủy ban Kiểm tra",
        ElectionKind::InspectionChair => "Chủ nhiệm Ủy ban Kiểm tra",
        ElectionKind::Delegates => "Đại biểu dự đại hội cấp trên",
        ElectionKind::AlternateDelegates => "Đại biểu dự khuyết",
        ElectionKind::Other => "Bầu cử khác",
    }
}

/// English name of what is elected.
pub fn kind_label_en(kind: ElectionKind) -> &'static str {
    match kind {
        ElectionKind::Committee => "Executive committee",
        ElectionKind::StandingCommittee => "Standing committee",
        ElectionKind::Secretary => "Secretary",
        ElectionKind::DeputySecretary => "Deputy secretary",
        ElectionKind::InspectionCommittee => "Inspection committee",
        ElectionKind::InspectionChair => "Inspection committee chair",
        ElectionKind::Delegates => "Delegates to the higher congress",
        ElectionKind::AlternateDelegates => "Alternate delegates",
        ElectionKind::Other => "Other election",
    }
}

/// An election.
#[derive(Debug, Clone, Serialize)]
pub struct Election {
    /// Id.
    pub id: i64,
    /// Congress.
    pub congress_id: i64,
    /// What is elected.
    pub kind: ElectionKind,
    /// Title, as the minutes say it.
    pub title: String,
    /// Seats (official delegates for `delegates`).
    pub seats: i64,
    /// Alternates the congress may take (delegates only).
    pub alternate_seats: i64,
    /// Who votes.
    pub voters: Voters,
    /// For a plenum election: the committee election whose winners vote.
    pub conference_of: Option<i64>,
    /// Status.
    pub status: ElectionStatus,
    /// Order in the congress.
    pub position: i64,
    /// Version.
    pub version: i64,
}

/// An election to create.
#[derive(Debug, Clone)]
pub struct NewElection {
    /// The offices the ballot would carry: exactly one is accepted.
    pub offices: Vec<ElectionKind>,
    /// Title; generated when empty.
    pub title: String,
    /// Seats.
    pub seats: i64,
    /// Alternates (delegates only).
    pub alternate_seats: i64,
    /// Who votes.
    pub voters: Voters,
    /// For a plenum election: the committee election.
    pub conference_of: Option<i64>,
}

/// How a name came onto the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateSource {
    /// The outgoing (convening) committee's list.
    Committee,
    /// Nominated from the floor.
    Floor,
    /// Self-nominated.
    SelfNominated,
}

impl CandidateSource {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            CandidateSource::Committee => "committee",
            CandidateSource::Floor => "floor",
            CandidateSource::SelfNominated => "self",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<CandidateSource> {
        [CandidateSource::Committee, CandidateSource::Floor, CandidateSource::SelfNominated]
            .into_iter()
            .find(|v| v.code() == code)
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            CandidateSource::Committee => "Cấp ủy giới thiệu",
            CandidateSource::Floor => "Đại hội đề cử",
            CandidateSource::SelfNominated => "Ứng cử",
        }
    }
}

/// A name proposed for an election.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// Id.
    pub id: i64,
    /// Election.
    pub election_id: i64,
    /// The roster person, if any.
    pub person_id: Option<i64>,
    /// Full name.
    pub full_name: String,
    /// How they came onto the list.
    pub source: CandidateSource,
    /// Opinion ballot: agreeing.
    pub opinion_agree: Option<i64>,
    /// Opinion ballot: present.
    pub opinion_present: Option<i64>,
    /// On the list (committee names at once; nominees after the opinion ballot).
    pub admitted: bool,
    /// Withdrawn by decision of the congress.
    pub withdrawn: bool,
    /// Note printed on the list.
    pub note: Option<String>,
}

/// A name to add.
#[derive(Debug, Clone)]
pub struct NewCandidate {
    /// Roster person.
    pub person_id: Option<i64>,
    /// Full name (taken from the person when empty).
    pub full_name: String,
    /// Source.
    pub source: CandidateSource,
    /// Note.
    pub note: Option<String>,
}

/// A show-of-hands count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Votes {
    /// For.
    pub votes_for: i64,
    /// Against.
    pub against: i64,
    /// Abstaining.
    pub abstain: i64,
    /// Present.
    pub present: i64,
}

/// A recorded show-of-hands vote.
#[derive(Debug, Clone, Serialize)]
pub struct HandVote {
    /// Id.
    pub id: i64,
    /// Congress.
    pub congress_id: i64,
    /// `list`, `withdrawal`, `alternates`, `further_round`, `other`.
    pub subject: String,
    /// What was voted.
    pub title: String,
    /// Election.
    pub election_id: Option<i64>,
    /// Round.
    pub round_id: Option<i64>,
    /// The count.
    pub votes: Votes,
    /// The base it needed more than half of.
    pub base: i64,
    /// Passed.
    pub passed: bool,
    /// When.
    pub decided_at: i64,
    /// Who recorded it.
    pub decided_by: String,
}

/// Counting (open) or signed off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundStatus {
    /// Ballots are being entered.
    Counting,
    /// Signed off: nothing can change.
    Locked,
}

/// A round of voting.
#[derive(Debug, Clone, Serialize)]
pub struct Round {
    /// Id.
    pub id: i64,
    /// Election.
    pub election_id: i64,
    /// 1, 2, …
    pub number: i64,
    /// Regular or tie-break.
    pub round_type: RoundType,
    /// Seats to fill in this round.
    pub seats: i64,
    /// Alternates that may be taken from it.
    pub alternate_seats: i64,
    /// Status.
    pub status: RoundStatus,
    /// Number of entry teams.
    pub teams: i64,
    /// Code printed on the ballots (`E3-V1`).
    pub code: String,
    /// Ballots issued.
    pub ballots_issued: Option<i64>,
    /// Ballots collected.
    pub ballots_collected: Option<i64>,
    /// Present when voting.
    pub present: Option<i64>,
    /// The base, frozen with the figures.
    pub base: Option<BaseFigures>,
    /// SHA-256 of the ballots and the result, set at sign-off.
    pub lock_hash: Option<String>,
    /// When signed off.
    pub locked_at: Option<i64>,
    /// Who signed off.
    pub locked_by: Option<String>,
    /// The stored result summary, set at sign-off.
    pub result: Option<RoundResult>,
}

impl Round {
    /// Whether signed off.
    pub fn is_locked(&self) -> bool {
        self.status == RoundStatus::Locked
    }
}

/// The figures D is derived from, frozen when the committee records the ballot counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct BaseFigures {
    /// `members`, `delegates` or `conference`.
    pub congress: String,
    /// Summoned.
    pub summoned: u32,
    /// Present.
    pub present: u32,
    /// Exclusions (code, count).
    pub excluded: Vec<(String, u32)>,
    /// Absent, by reason code (for the minutes).
    #[serde(default)]
    pub absent_by_reason: Vec<(String, u32)>,
}

/// A round's result as stored at sign-off: enough to plan the next round without recounting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RoundResult {
    /// Candidate ids elected, highest votes first.
    pub elected: Vec<i64>,
    /// Candidate ids proposed as alternates, highest votes first.
    pub alternates: Vec<i64>,
    /// Votes per candidate id, in ballot order.
    pub votes: Vec<(i64, u64)>,
    /// Tied candidates for the last seats, and the seats.
    pub tie: Option<(Vec<i64>, u32)>,
    /// Seats left empty.
    pub unfilled: u32,
    /// Outcome code.
    pub outcome: String,
}

/// A name on a round's ballot.
#[derive(Debug, Clone, Serialize)]
pub struct RoundName {
    /// Candidate id.
    pub candidate_id: i64,
    /// Ballot position from 1.
    pub position: i64,
    /// Id in election files (`c12`).
    pub code: String,
    /// Full name.
    pub name: String,
}

/// One stored keyed entry.
#[derive(Debug, Clone, Serialize)]
pub struct EntryRow {
    /// Team.
    pub team: i64,
    /// Sequence in the team.
    pub seq: i64,
    /// `ballot` or `undo`.
    pub action: String,
    /// The ballot, for `ballot`.
    pub ballot: Option<KeyedBallot>,
    /// Who.
    pub entered_by: Option<i64>,
    /// When.
    pub entered_at: i64,
}

/// A committee decision on one ballot.
#[derive(Debug, Clone, Serialize)]
pub struct BallotDecision {
    /// Ballot number from 1.
    pub ballot: u32,
    /// `discrepancy` or `ruling`.
    pub kind: String,
    /// The decision.
    pub resolution: Resolution,
    /// Note.
    pub note: Option<String>,
    /// Who.
    pub decided_by: String,
    /// When.
    pub decided_at: i64,
}

/// A round with its piles, discrepancies, decisions and the final pile.
#[derive(Debug, Clone, Serialize)]
pub struct RoundState {
    /// The round.
    pub round: Round,
    /// The names in ballot order.
    pub names: Vec<RoundName>,
    /// The ballot form.
    pub form: BallotForm,
    /// Each team's pile.
    pub piles: Vec<(u32, Vec<KeyedBallot>)>,
    /// Discrepancies between teams.
    pub discrepancies: Vec<keyed::Discrepancy>,
    /// Latest decision per ballot.
    pub decisions: BTreeMap<u32, BallotDecision>,
    /// The final pile (ballot number, reading).
    pub final_pile: Vec<(u32, KeyedBallot)>,
    /// What is still pending.
    pub pending: Pending,
}

/// What one keyed ballot did.
#[derive(Debug, Clone, Serialize)]
pub struct Entered {
    /// The team.
    pub team: i64,
    /// The entry's sequence.
    pub seq: i64,
    /// The ballot number in the team's pile.
    pub ballot_no: usize,
    /// What was recorded.
    pub ballot: Option<KeyedBallot>,
}

/// A counted round: the core's report and the ids behind its candidate codes.
#[derive(Debug, Clone)]
pub struct RoundCount {
    /// The round.
    pub round: Round,
    /// The election.
    pub election: Election,
    /// The congress.
    pub congress: Congress,
    /// Names in ballot order.
    pub names: Vec<RoundName>,
    /// The core's report.
    pub report: TallyReport,
    /// The final pile that was counted.
    pub final_pile: Vec<(u32, KeyedBallot)>,
}

/// An upward report waiting for, or given, approval.
#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    /// Id.
    pub id: i64,
    /// The congress reported.
    pub congress_id: i64,
    /// The parent unit.
    pub parent_unit_id: i64,
    /// Its path.
    pub parent_unit_path: String,
    /// `pending`, `approved`, `returned`.
    pub status: String,
    /// What was reported.
    pub summary: serde_json::Value,
    /// When.
    pub reported_at: i64,
    /// Who.
    pub reported_by: String,
    /// When decided.
    pub decided_at: Option<i64>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// Note (reason for a return).
    pub note: Option<String>,
}

/// Elected and alternates of an election over its signed-off rounds.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ElectionOutcome {
    /// (candidate id, name, votes, round number), in order of rounds then votes.
    pub elected: Vec<(i64, String, u64, i64)>,
    /// Alternates approved by the congress, in order.
    pub alternates: Vec<(i64, String, u64)>,
}

const ELECTION_COLUMNS: &str = "id, congress_id, kind, title, seats, alternate_seats, electorate, \
    conference_of, status, position, version";

fn election_from_row(row: &AnyRow) -> Result<Election, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    let voters: String = row.try_get("electorate")?;
    let status: String = row.try_get("status")?;
    Ok(Election {
        id: row.try_get("id")?,
        congress_id: row.try_get("congress_id")?,
        kind: ElectionKind::from_code(&kind).unwrap_or(ElectionKind::Other),
        title: row.try_get("title")?,
        seats: row.try_get("seats")?,
        alternate_seats: row.try_get("alternate_seats")?,
        voters: Voters::parse(&voters).unwrap_or(Voters::Congress),
        conference_of: row.try_get("conference_of")?,
        status: ElectionStatus::parse(&status).unwrap_or(ElectionStatus::Preparing),
        position: row.try_get("position")?,
        version: row.try_get("version")?,
    })
}

const CANDIDATE_COLUMNS: &str = "id, election_id, person_id, full_name, source, opinion_agree, \
    opinion_present, admitted, withdrawn, note";

fn candidate_from_row(row: &AnyRow) -> Result<Candidate, sqlx::Error> {
    let source: String = row.try_get("source")?;
    Ok(Candidate {
        id: row.try_get("id")?,
        election_id: row.try_get("election_id")?,
        person_id: row.try_get("person_id")?,
        full_name: row.try_get("full_name")?,
        source: CandidateSource::parse(&source).unwrap_or(CandidateSource::Committee),
        opinion_agree: row.try_get("opinion_agree")?,
        opinion_present: row.try_get("opinion_present")?,
        admitted: row.try_get::<i64, _>("admitted")? != 0,
        withdrawn: row.try_get::<i64, _>("withdrawn")? != 0,
        note: row.try_get("note")?,
    })
}

const ROUND_COLUMNS: &str = "id, election_id, number, round_type, seats, alternate_seats, status, \
    teams, code, ballots_issued, ballots_collected, present, base_json, result_json, lock_hash, \
    locked_at, locked_by";

fn round_from_row(row: &AnyRow) -> Result<Round, sqlx::Error> {
    let round_type: String = row.try_get("round_type")?;
    let status: String = row.try_get("status")?;
    let base: Option<String> = row.try_get("base_json")?;
    let result: Option<String> = row.try_get("result_json")?;
    Ok(Round {
        id: row.try_get("id")?,
        election_id: row.try_get("election_id")?,
        number: row.try_get("number")?,
        round_type: RoundType::from_code(&round_type).unwrap_or_default(),
        seats: row.try_get("seats")?,
        alternate_seats: row.try_get("alternate_seats")?,
        status: if status == "locked" { RoundStatus::Locked } else { RoundStatus::Counting },
        teams: row.try_get("teams")?,
        code: row.try_get("code")?,
        ballots_issued: row.try_get("ballots_issued")?,
        ballots_collected: row.try_get("ballots_collected")?,
        present: row.try_get("present")?,
        base: base.and_then(|text| serde_json::from_str(&text).ok()),
        lock_hash: row.try_get("lock_hash")?,
        locked_at: row.try_get("locked_at")?,
        locked_by: row.try_get("locked_by")?,
        result: result.and_then(|text| serde_json::from_str(&text).ok()),
    })
}

fn hand_vote_from_row(row: &AnyRow) -> Result<HandVote, sqlx::Error> {
    Ok(HandVote {
        id: row.try_get("id")?,
        congress_id: row.try_get("congress_id")?,
        subject: row.try_get("subject")?,
        title: row.try_get("title")?,
        election_id: row.try_get("election_id")?,
        round_id: row.try_get("round_id")?,
        votes: Votes {
            votes_for: row.try_get("votes_for")?,
            against: row.try_get("votes_against")?,
            abstain: row.try_get("votes_abstain")?,
            present: row.try_get("present")?,
        },
        base: row.try_get("base")?,
        passed: row.try_get::<i64, _>("passed")? != 0,
        decided_at: row.try_get("decided_at")?,
        decided_by: row.try_get("decided_by")?,
    })
}

fn approval_from_row(row: &AnyRow) -> Result<Approval, sqlx::Error> {
    let summary: String = row.try_get("summary_json")?;
    Ok(Approval {
        id: row.try_get("id")?,
        congress_id: row.try_get("congress_id")?,
        parent_unit_id: row.try_get("parent_unit_id")?,
        parent_unit_path: row.try_get("parent_unit_path")?,
        status: row.try_get("status")?,
        summary: serde_json::from_str(&summary).unwrap_or(serde_json::Value::Null),
        reported_at: row.try_get("reported_at")?,
        reported_by: row.try_get("reported_by")?,
        decided_at: row.try_get("decided_at")?,
        decided_by: row.try_get("decided_by")?,
        note: row.try_get("note")?,
    })
}

const APPROVAL_COLUMNS: &str = "id, congress_id, parent_unit_id, parent_unit_path, status, \
    summary_json, reported_at, reported_by, decided_at, decided_by, note";

pub(crate) async fn election_on(conn: &mut AnyConnection, id: i64) -> Result<Election, StoreError> {
    let row = sqlx::query(sqlf!("SELECT {ELECTION_COLUMNS} FROM elections WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(election_from_row(&row)?)
}

async fn candidate_on(conn: &mut AnyConnection, id: i64) -> Result<Candidate, StoreError> {
    let row = sqlx::query(sqlf!("SELECT {CANDIDATE_COLUMNS} FROM candidates WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(candidate_from_row(&row)?)
}

async fn round_on(conn: &mut AnyConnection, id: i64) -> Result<Round, StoreError> {
    let row = sqlx::query(sqlf!("SELECT {ROUND_COLUMNS} FROM rounds WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(round_from_row(&row)?)
}

async fn candidates_on(
    conn: &mut AnyConnection,
    election_id: i64,
) -> Result<Vec<Candidate>, StoreError> {
    let rows = sqlx::query(sqlf!(
        "SELECT {CANDIDATE_COLUMNS} FROM candidates WHERE election_id = $1 \
         ORDER BY COALESCE(manual_position, 0), name_key, id"
    ))
    .bind(election_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(candidate_from_row).collect::<Result<_, _>>()?)
}

async fn round_names_on(
    conn: &mut AnyConnection,
    round_id: i64,
) -> Result<Vec<RoundName>, StoreError> {
    let rows = sqlx::query(
        "SELECT rc.candidate_id, rc.position, rc.code, c.full_name FROM round_candidates rc \
         JOIN candidates c ON c.id = rc.candidate_id WHERE rc.round_id = $1 ORDER BY rc.position",
    )
    .bind(round_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RoundName {
                candidate_id: row.try_get("candidate_id")?,
                position: row.try_get("position")?,
                code: row.try_get("code")?,
                name: row.try_get("full_name")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(StoreError::from)
}

fn locked_error() -> StoreError {
    StoreError::Locked("the round is signed off".into())
}

pub(crate) fn pack_of(congress: &Congress) -> &'static RulePack {
    RulePackId::from_code(&congress.rules).unwrap_or(RulePackId::Qd190_2024).pack()
}

fn congress_type(congress: &Congress, voters: Voters) -> CongressType {
    match (voters, congress.kind) {
        (Voters::Plenum, _) => CongressType::Conference,
        (Voters::Congress, CongressKind::Members) => CongressType::Members,
        (Voters::Congress, CongressKind::Delegates) => CongressType::Delegates,
    }
}

fn form_of(names: usize, seats: i64) -> BallotForm {
    if names as i64 > seats { BallotForm::StrikeThrough } else { BallotForm::AgreeDisagree }
}

fn rule_from_count(error: impl std::fmt::Display) -> StoreError {
    let text = error.to_string();
    StoreError::rule(
        "count",
        "round",
        format!("Không kiểm phiếu được: {text}"),
        format!("The round cannot be counted: {text}"),
    )
}

fn check_votes(votes: &Votes) -> Result<(), StoreError> {
    if votes.votes_for < 0 || votes.against < 0 || votes.abstain < 0 || votes.present < 1 {
        return Err(StoreError::rule(
            "bad_votes",
            "votes_for",
            "Số biểu quyết phải là số không âm và số có mặt ít nhất là 1.",
            "Vote counts must not be negative and at least one person must be present.",
        ));
    }
    if votes.votes_for + votes.against + votes.abstain > votes.present {
        return Err(StoreError::rule(
            "votes_above_present",
            "votes_for",
            format!(
                "Tán thành {} + không tán thành {} + không biểu quyết {} vượt số có mặt {}.",
                votes.votes_for, votes.against, votes.abstain, votes.present
            ),
            format!(
                "For {} + against {} + abstaining {} exceed the {} present.",
                votes.votes_for, votes.against, votes.abstain, votes.present
            ),
        ));
    }
    Ok(())
}

/// The roll of a congress turned into the base D, each person's status read by the congress
/// store's `roll_people` (the same reading as the attendance panel's `majority_base`).
pub fn roll_base(
    pack: &RulePack,
    congress: CongressType,
    roll: &[crate::congress::RollEntry],
) -> Result<BaseFigures, StoreError> {
    let kind = if congress == CongressType::Members {
        crate::congress::CongressKind::Members
    } else {
        crate::congress::CongressKind::Delegates
    };
    base_from_people(pack, congress, &crate::congress_day::roll_people(kind, roll))
}

/// The base figures of one roll of people (a congress's or a plenum's): the core's `Roll`,
/// with the absentees counted by reason for the minutes.
pub(crate) fn base_from_people(
    pack: &RulePack,
    congress: CongressType,
    people: &[daihoi_core::counting::RollPerson],
) -> Result<BaseFigures, StoreError> {
    let mut absent: BTreeMap<String, u32> = BTreeMap::new();
    for person in people {
        if !matches!(
            person.status,
            RollStatus::Present
                | RollStatus::ExemptPresent
                | RollStatus::TransferredPresent
                | RollStatus::NotSummoned
                | RollStatus::ReplacedByAlternate
        ) {
            *absent.entry(person.status.code().to_string()).or_insert(0) += 1;
        }
    }
    let roll = daihoi_core::counting::Roll::from_people(pack, congress, people)
        .map_err(rule_from_count)?;
    Ok(BaseFigures {
        congress: congress.code().to_string(),
        summoned: roll.summoned,
        present: roll.present,
        excluded: roll.excluded.iter().map(|(e, n)| (e.code().to_string(), *n)).collect(),
        absent_by_reason: absent.into_iter().collect(),
    })
}

/// The roll of a congress on a connection (the same figures as `Store::roll`, read inside the
/// caller's transaction).
async fn roll_on(
    conn: &mut AnyConnection,
    congress_id: i64,
) -> Result<Vec<crate::congress::RollEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.id, p.role, p.standing, p.absence, p.seated_for, \
         (SELECT COUNT(*) FROM checkins c WHERE c.person_id = p.id) AS n_checkins, \
         (SELECT COUNT(*) FROM checkins c JOIN congress_sessions s ON s.id = c.session_id \
           WHERE c.person_id = p.id AND s.is_current = 1 AND c.left_at IS NULL) AS here_now \
         FROM congress_people p WHERE p.congress_id = $1 ORDER BY p.id",
    )
    .bind(congress_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let role =
            PersonRole::parse(&row.try_get::<String, _>("role")?).unwrap_or(PersonRole::Guest);
        let seated_for: Option<i64> = row.try_get("seated_for")?;
        let holds_vote = match role {
            PersonRole::OfficialMember
            | PersonRole::ExOfficio
            | PersonRole::Elected
            | PersonRole::Appointed => true,
            PersonRole::Alternate => seated_for.is_some(),
            _ => false,
        };
        out.push(crate::congress::RollEntry {
            person_id: row.try_get("id")?,
            role,
            holds_vote,
            standing: Standing::parse(&row.try_get::<String, _>("standing")?)
                .unwrap_or(Standing::Active),
            absence: Absence::parse(&row.try_get::<String, _>("absence")?).unwrap_or(Absence::None),
            attended: row.try_get::<i64, _>("n_checkins")? > 0,
            present_now: row.try_get::<i64, _>("here_now")? > 0,
            seated_for,
        });
    }
    Ok(out)
}

fn hash_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Store {
    /// Creates an election: one body, one list, one ballot form.
    pub async fn create_election(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        new: NewElection,
    ) -> Result<Election, StoreError> {
        let kind = daihoi_core::lists::single_office_ballot(&new.offices).map_err(|error| {
            StoreError::rule(
                "one_office",
                "kind",
                "Mỗi cuộc bầu chỉ bầu một chức danh hoặc một cơ quan trên một phiếu (ví dụ chi ủy, bí thư, phó bí thư bầu riêng).",
                format!("One election fills one office on one ballot: {error}."),
            )
        })?;
        if !(1..=1000).contains(&new.seats) {
            return Err(StoreError::rule(
                "bad_seats",
                "seats",
                "Số lượng cần bầu phải từ 1 đến 1000.",
                "The number of seats must be between 1 and 1000.",
            ));
        }
        if new.alternate_seats < 0 || (new.alternate_seats > 0 && kind != ElectionKind::Delegates) {
            return Err(StoreError::rule(
                "bad_alternates",
                "alternate_seats",
                "Chỉ bầu đại biểu dự đại hội cấp trên mới có đại biểu dự khuyết.",
                "Only a delegate election takes alternates.",
            ));
        }
        let plenum_kind = matches!(
            kind,
            ElectionKind::StandingCommittee
                | ElectionKind::DeputySecretary
                | ElectionKind::InspectionCommittee
                | ElectionKind::InspectionChair
                | ElectionKind::Secretary
                | ElectionKind::Other
        );
        let congress = congress_on(tx.conn(), congress_id).await?;
        match new.voters {
            Voters::Plenum => {
                if !plenum_kind {
                    return Err(StoreError::rule(
                        "not_a_plenum_election",
                        "kind",
                        "Ban Chấp hành và đại biểu dự đại hội cấp trên do đại hội bầu, không do hội nghị lần thứ nhất.",
                        "The committee and the delegates are elected by the congress, not the first plenum.",
                    ));
                }
                let Some(of) = new.conference_of else {
                    return Err(StoreError::rule(
                        "plenum_needs_committee",
                        "conference_of",
                        "Chọn cuộc bầu Ban Chấp hành mà các ủy viên trúng cử sẽ bầu.",
                        "Choose the committee election whose winners vote.",
                    ));
                };
                let committee = election_on(tx.conn(), of).await?;
                if committee.congress_id != congress_id || committee.kind != ElectionKind::Committee
                {
                    return Err(StoreError::rule(
                        "plenum_needs_committee",
                        "conference_of",
                        "Hội nghị lần thứ nhất phải thuộc cuộc bầu Ban Chấp hành của cùng đại hội.",
                        "The first plenum must belong to a committee election of the same congress.",
                    ));
                }
            }
            Voters::Congress => {
                if matches!(
                    kind,
                    ElectionKind::StandingCommittee
                        | ElectionKind::DeputySecretary
                        | ElectionKind::InspectionChair
                ) {
                    return Err(StoreError::rule(
                        "plenum_only",
                        "kind",
                        "Ban Thường vụ, Phó Bí thư, Chủ nhiệm Ủy ban Kiểm tra do hội nghị lần thứ nhất của Ban Chấp hành bầu.",
                        "The standing committee, deputies and the inspection chair are elected by the committee's first plenum.",
                    ));
                }
            }
        }
        let title = if new.title.trim().is_empty() {
            format!("Bầu {} {}", kind_label_vi(kind), congress.title)
        } else {
            vn::nfc(new.title.trim())
        };
        let at = tx.at();
        let id = next_id(tx.conn(), "elections").await?;
        let position: i64 = sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MAX(position) FROM elections WHERE congress_id = $1",
        )
        .bind(congress_id)
        .fetch_one(tx.conn())
        .await?
        .unwrap_or(0)
            + 1;
        sqlx::query(
            "INSERT INTO elections (id, congress_id, kind, title, seats, alternate_seats, \
             electorate, conference_of, max_surplus, status, position, created_at, updated_at, \
             version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, 'preparing', $9, $10, $10, 1)",
        )
        .bind(id)
        .bind(congress_id)
        .bind(kind.code())
        .bind(&title)
        .bind(new.seats)
        .bind(new.alternate_seats)
        .bind(new.voters.code())
        .bind(if new.voters == Voters::Plenum { new.conference_of } else { None })
        .bind(position)
        .bind(at)
        .execute(tx.conn())
        .await?;
        let election = election_on(tx.conn(), id).await?;
        tx.audit(
            AuditRecord::new("election.create", "election", id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(&election),
        )
        .await?;
        Ok(election)
    }

    /// One election.
    pub async fn election(&self, id: i64) -> Result<Election, StoreError> {
        let mut conn = self.pool().acquire().await?;
        election_on(&mut conn, id).await
    }

    /// The elections of a congress, in order.
    pub async fn elections(&self, congress_id: i64) -> Result<Vec<Election>, StoreError> {
        let rows = sqlx::query(sqlf!(
            "SELECT {ELECTION_COLUMNS} FROM elections WHERE congress_id = $1 ORDER BY position, id"
        ))
        .bind(congress_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(election_from_row).collect::<Result<_, _>>()?)
    }

    /// The elections of the congresses inside these subtrees, newest congress first, with the
    /// congress's title (the entry point of the elections pages).
    pub async fn elections_in(
        &self,
        scope: &[String],
    ) -> Result<Vec<(Election, String)>, StoreError> {
        let mut out = Vec::new();
        for path in scope {
            let rows = sqlx::query(sqlf!(
                "SELECT e.id, e.congress_id, e.kind, e.title, e.seats, e.alternate_seats, \
                 e.electorate, e.conference_of, e.status, e.position, e.version, \
                 c.title AS congress_title FROM elections e JOIN congresses c ON c.id = e.congress_id \
                 WHERE c.unit_path >= $1 AND c.unit_path < $2 \
                 ORDER BY c.term_start DESC, c.id DESC, e.position LIMIT 500"
            ))
            .bind(path)
            .bind(daihoi_core::access::subtree_end(path))
            .fetch_all(self.pool())
            .await?;
            for row in &rows {
                out.push((election_from_row(row)?, row.try_get("congress_title")?));
            }
        }
        Ok(out)
    }

    /// The names proposed for an election, in ballot order.
    pub async fn candidates(&self, election_id: i64) -> Result<Vec<Candidate>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        candidates_on(&mut conn, election_id).await
    }

    /// One candidate.
    pub async fn candidate(&self, id: i64) -> Result<Candidate, StoreError> {
        let mut conn = self.pool().acquire().await?;
        candidate_on(&mut conn, id).await
    }

    async fn preparing(
        &self,
        tx: &mut WriteTx,
        election_id: i64,
    ) -> Result<(Election, Congress), StoreError> {
        let election = election_on(tx.conn(), election_id).await?;
        if election.status != ElectionStatus::Preparing {
            return Err(StoreError::rule(
                "list_frozen",
                "list",
                "Danh sách bầu cử đã được đại hội biểu quyết thông qua, không sửa được nữa.",
                "The election list was approved by the congress and is frozen.",
            ));
        }
        let congress = congress_on(tx.conn(), election.congress_id).await?;
        Ok((election, congress))
    }

    /// Adds a name to the list being built. Names from the committee's list are on it at once;
    /// floor and self-nominations wait for the opinion ballot.
    pub async fn add_candidate(
        &self,
        tx: &mut WriteTx,
        election_id: i64,
        new: NewCandidate,
    ) -> Result<Candidate, StoreError> {
        let (election, congress) = self.preparing(tx, election_id).await?;
        let mut name =
            vn::nfc(new.full_name.split_whitespace().collect::<Vec<_>>().join(" ").as_str());
        if let Some(person_id) = new.person_id {
            let person = crate::congress::person_on(tx.conn(), person_id).await?;
            if person.congress_id != congress.id {
                return Err(StoreError::NotFound);
            }
            if name.is_empty() {
                name = person.full_name;
            }
        }
        if name.is_empty() {
            return Err(StoreError::rule(
                "name_required",
                "full_name",
                "Họ và tên không được để trống.",
                "The full name is required.",
            ));
        }
        let existing = candidates_on(tx.conn(), election_id).await?;
        if existing.iter().any(|c| {
            (new.person_id.is_some() && c.person_id == new.person_id)
                || (new.person_id.is_none() && c.full_name == name)
        }) {
            return Err(StoreError::rule(
                "already_on_list",
                "full_name",
                format!("Đồng chí {name} đã có trong danh sách."),
                format!("{name} is already on the list."),
            ));
        }
        let at = tx.at();
        let id = next_id(tx.conn(), "candidates").await?;
        sqlx::query(
            "INSERT INTO candidates (id, election_id, person_id, member_id, full_name, name_key, \
             source, admitted, withdrawn, note, created_at, version) VALUES ($1, $2, $3, NULL, $4, \
             $5, $6, $7, 0, $8, $9, 1)",
        )
        .bind(id)
        .bind(election_id)
        .bind(new.person_id)
        .bind(&name)
        .bind(vn::person_name_key(&name))
        .bind(new.source.code())
        .bind(i64::from(new.source == CandidateSource::Committee))
        .bind(new.note.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .bind(at)
        .execute(tx.conn())
        .await?;
        let candidate = candidate_on(tx.conn(), id).await?;
        tx.audit(
            AuditRecord::new("election.candidate.add", "election", election.id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(&candidate),
        )
        .await?;
        Ok(candidate)
    }

    /// Records the opinion ballot on a floor or self-nominee: more than 30% of those present
    /// must agree for the congress to consider the name (190 Art. 14 cl. 2–3).
    pub async fn record_opinion(
        &self,
        tx: &mut WriteTx,
        candidate_id: i64,
        agree: i64,
        present: i64,
    ) -> Result<Candidate, StoreError> {
        let before = candidate_on(tx.conn(), candidate_id).await?;
        let (_, congress) = self.preparing(tx, before.election_id).await?;
        if before.source == CandidateSource::Committee {
            return Err(StoreError::rule(
                "no_opinion_needed",
                "agree",
                "Người do cấp ủy giới thiệu không cần lấy phiếu xin ý kiến.",
                "A name on the committee's list needs no opinion ballot.",
            ));
        }
        let (Ok(agree_u), Ok(present_u)) = (u32::try_from(agree), u32::try_from(present)) else {
            return Err(StoreError::rule(
                "bad_opinion",
                "agree",
                "Số phiếu phải là số không âm.",
                "Counts must not be negative.",
            ));
        };
        let test = daihoi_core::lists::floor_nominee(pack_of(&congress), agree_u, present_u)
            .map_err(|error| {
                StoreError::rule(
                    "bad_opinion",
                    "agree",
                    format!("Số đồng ý {agree} lớn hơn số có mặt {present}."),
                    format!("Opinion ballot: {error}."),
                )
            })?;
        sqlx::query(
            "UPDATE candidates SET opinion_agree = $1, opinion_present = $2, admitted = $3, \
             version = version + 1 WHERE id = $4",
        )
        .bind(agree)
        .bind(present)
        .bind(i64::from(test.admitted))
        .bind(candidate_id)
        .execute(tx.conn())
        .await?;
        let after = candidate_on(tx.conn(), candidate_id).await?;
        tx.audit(
            AuditRecord::new("election.candidate.opinion", "election", after.election_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .before(&before)
                .after(serde_json::json!({ "candidate": after, "needed": test.needed })),
        )
        .await?;
        Ok(after)
    }

    /// Records a show-of-hands vote; it passes with more than half of `base`.
    #[allow(clippy::too_many_arguments)]
    async fn hand_vote_in(
        &self,
        tx: &mut WriteTx,
        congress: &Congress,
        subject: &str,
        title: &str,
        election_id: Option<i64>,
        round_id: Option<i64>,
        votes: &Votes,
        base: i64,
    ) -> Result<HandVote, StoreError> {
        check_votes(votes)?;
        let passed = 2 * votes.votes_for > base;
        let at = tx.at();
        let actor = tx.actor().name.clone();
        let id = next_id(tx.conn(), "hand_votes").await?;
        sqlx::query(
            "INSERT INTO hand_votes (id, congress_id, subject, title, election_id, round_id, \
             votes_for, votes_against, votes_abstain, present, base, passed, payload, decided_at, \
             decided_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $14)",
        )
        .bind(id)
        .bind(congress.id)
        .bind(subject)
        .bind(title)
        .bind(election_id)
        .bind(round_id)
        .bind(votes.votes_for)
        .bind(votes.against)
        .bind(votes.abstain)
        .bind(votes.present)
        .bind(base)
        .bind(i64::from(passed))
        .bind(at)
        .bind(&actor)
        .execute(tx.conn())
        .await?;
        let row = sqlx::query("SELECT * FROM hand_votes WHERE id = $1")
            .bind(id)
            .fetch_one(tx.conn())
            .await?;
        let vote = hand_vote_from_row(&row)?;
        tx.audit(
            AuditRecord::new("congress.hand_vote", "hand_vote", id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(&vote),
        )
        .await?;
        Ok(vote)
    }

    /// Records a show-of-hands vote of the congress on any question (more than half of those
    /// present passes it).
    pub async fn record_hand_vote(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        title: &str,
        votes: &Votes,
    ) -> Result<HandVote, StoreError> {
        let congress = congress_on(tx.conn(), congress_id).await?;
        let title = title.trim();
        if title.is_empty() {
            return Err(StoreError::rule(
                "title_required",
                "title",
                "Ghi nội dung biểu quyết.",
                "Say what is being voted on.",
            ));
        }
        self.hand_vote_in(tx, &congress, "other", title, None, None, votes, votes.present).await
    }

    /// The show-of-hands votes of a congress, in order.
    pub async fn hand_votes(&self, congress_id: i64) -> Result<Vec<HandVote>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM hand_votes WHERE congress_id = $1 ORDER BY decided_at, id")
                .bind(congress_id)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.iter().map(hand_vote_from_row).collect::<Result<_, _>>()?)
    }

    /// The congress decides a request to withdraw from the list (190 Art. 26 cl. 5): the name
    /// leaves the list only if the vote passes.
    pub async fn decide_withdrawal(
        &self,
        tx: &mut WriteTx,
        candidate_id: i64,
        votes: &Votes,
    ) -> Result<(Candidate, HandVote), StoreError> {
        let before = candidate_on(tx.conn(), candidate_id).await?;
        let (election, congress) = self.preparing(tx, before.election_id).await?;
        let title = format!("Đồng ý để đồng chí {} rút khỏi danh sách bầu cử", before.full_name);
        let vote = self
            .hand_vote_in(
                tx,
                &congress,
                "withdrawal",
                &title,
                Some(election.id),
                None,
                votes,
                votes.present,
            )
            .await?;
        if vote.passed {
            sqlx::query("UPDATE candidates SET withdrawn = 1, version = version + 1 WHERE id = $1")
                .bind(candidate_id)
                .execute(tx.conn())
                .await?;
        }
        let after = candidate_on(tx.conn(), candidate_id).await?;
        Ok((after, vote))
    }

    /// The congress votes the list: the surplus is checked (committees and standing
    /// committees need one, at most 30% of the seats); if the vote passes the list is frozen
    /// and round 1 is opened with the names in ballot order.
    pub async fn approve_list(
        &self,
        tx: &mut WriteTx,
        election_id: i64,
        votes: &Votes,
    ) -> Result<(HandVote, Option<Round>), StoreError> {
        let (election, congress) = self.preparing(tx, election_id).await?;
        let names: Vec<Candidate> = candidates_on(tx.conn(), election_id)
            .await?
            .into_iter()
            .filter(|c| c.admitted && !c.withdrawn)
            .collect();
        let seats =
            SeatCount::new(u32::try_from(election.seats).unwrap_or(1)).map_err(rule_from_count)?;
        daihoi_core::lists::check_surplus(pack_of(&congress), election.kind, seats, names.len())
            .map_err(|error| {
                let vi = match &error {
                    daihoi_core::lists::ListError::TooFewNames { names, seats } => {
                        format!("Danh sách có {names} người, ít hơn số lượng cần bầu {seats}.")
                    }
                    daihoi_core::lists::ListError::NoSurplus { seats, .. } => format!(
                        "Danh sách bầu {} phải có số dư (nhiều hơn {seats} người).",
                        kind_label_vi(election.kind)
                    ),
                    daihoi_core::lists::ListError::SurplusOverCap { surplus, cap, .. } => {
                        format!("Số dư {surplus} vượt quá mức tối đa {cap} (30% số lượng cần bầu).")
                    }
                    other => other.to_string(),
                };
                StoreError::rule(
                    "surplus",
                    "list",
                    vi,
                    format!("The list breaks the surplus rule: {error}."),
                )
            })?;
        let title = format!("Thông qua số lượng và danh sách bầu cử: {}", election.title);
        let vote = self
            .hand_vote_in(
                tx,
                &congress,
                "list",
                &title,
                Some(election.id),
                None,
                votes,
                votes.present,
            )
            .await?;
        if !vote.passed {
            return Ok((vote, None));
        }
        let at = tx.at();
        sqlx::query(
            "UPDATE elections SET status = 'voting', updated_at = $1, version = version + 1 WHERE id = $2",
        )
        .bind(at)
        .bind(election_id)
        .execute(tx.conn())
        .await?;
        let ids: Vec<i64> = names.iter().map(|c| c.id).collect();
        let round = self
            .open_round(
                tx,
                &election,
                &congress,
                RoundType::Regular,
                election.seats,
                election.alternate_seats,
                &ids,
            )
            .await?;
        Ok((vote, Some(round)))
    }

    #[allow(clippy::too_many_arguments)]
    async fn open_round(
        &self,
        tx: &mut WriteTx,
        election: &Election,
        congress: &Congress,
        round_type: RoundType,
        seats: i64,
        alternate_seats: i64,
        candidate_ids: &[i64],
    ) -> Result<Round, StoreError> {
        let at = tx.at();
        let number: i64 = sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MAX(number) FROM rounds WHERE election_id = $1",
        )
        .bind(election.id)
        .fetch_one(tx.conn())
        .await?
        .unwrap_or(0)
            + 1;
        let id = next_id(tx.conn(), "rounds").await?;
        let code = format!("E{}-V{number}", election.id);
        sqlx::query(
            "INSERT INTO rounds (id, election_id, number, round_type, seats, alternate_seats, \
             status, teams, code, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, \
             'counting', 2, $7, $8, $8, 1)",
        )
        .bind(id)
        .bind(election.id)
        .bind(number)
        .bind(round_type.code())
        .bind(seats)
        .bind(alternate_seats)
        .bind(&code)
        .bind(at)
        .execute(tx.conn())
        .await?;
        // Ballot order: the list's order (A-B-C by given name unless the congress set one).
        let ordered: Vec<i64> = candidates_on(tx.conn(), election.id)
            .await?
            .into_iter()
            .map(|c| c.id)
            .filter(|id| candidate_ids.contains(id))
            .collect();
        for (index, candidate_id) in ordered.iter().enumerate() {
            sqlx::query(
                "INSERT INTO round_candidates (round_id, candidate_id, position, code) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(candidate_id)
            .bind(index as i64 + 1)
            .bind(format!("c{candidate_id}"))
            .execute(tx.conn())
            .await?;
        }
        let round = round_on(tx.conn(), id).await?;
        tx.audit(
            AuditRecord::new("election.round.open", "round", id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(serde_json::json!({ "round": round, "candidates": ordered })),
        )
        .await?;
        Ok(round)
    }

    /// The rounds of an election.
    pub async fn rounds(&self, election_id: i64) -> Result<Vec<Round>, StoreError> {
        let rows = sqlx::query(sqlf!(
            "SELECT {ROUND_COLUMNS} FROM rounds WHERE election_id = $1 ORDER BY number"
        ))
        .bind(election_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(round_from_row).collect::<Result<_, _>>()?)
    }

    /// One round.
    pub async fn round(&self, id: i64) -> Result<Round, StoreError> {
        let mut conn = self.pool().acquire().await?;
        round_on(&mut conn, id).await
    }

    /// The names on a round's ballot.
    pub async fn round_names(&self, round_id: i64) -> Result<Vec<RoundName>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        round_names_on(&mut conn, round_id).await
    }

    /// Sets how many teams key the round (1 to 3) while nothing is entered yet.
    pub async fn set_round_teams(
        &self,
        tx: &mut WriteTx,
        round_id: i64,
        teams: i64,
    ) -> Result<Round, StoreError> {
        let round = round_on(tx.conn(), round_id).await?;
        if round.is_locked() {
            return Err(locked_error());
        }
        if !(1..=3).contains(&teams) {
            return Err(StoreError::rule(
                "bad_teams",
                "teams",
                "Số tổ nhập phiếu từ 1 đến 3.",
                "One to three entry teams.",
            ));
        }
        sqlx::query("UPDATE rounds SET teams = $1, version = version + 1 WHERE id = $2")
            .bind(teams)
            .bind(round_id)
            .execute(tx.conn())
            .await?;
        let (_, congress) = self.round_context(tx.conn(), &round).await?;
        tx.audit(
            AuditRecord::new("election.round.teams", "round", round_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(serde_json::json!({ "teams": teams })),
        )
        .await?;
        round_on(tx.conn(), round_id).await
    }

    async fn round_context(
        &self,
        conn: &mut AnyConnection,
        round: &Round,
    ) -> Result<(Election, Congress), StoreError> {
        let election = election_on(conn, round.election_id).await?;
        let congress = congress_on(conn, election.congress_id).await?;
        Ok((election, congress))
    }

    async fn entries_on(
        conn: &mut AnyConnection,
        round_id: i64,
    ) -> Result<Vec<EntryRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT team, seq, action, payload, entered_by, entered_at FROM ballot_entries \
             WHERE round_id = $1 ORDER BY team, seq",
        )
        .bind(round_id)
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|row| {
                let action: String = row.try_get("action")?;
                let payload: String = row.try_get("payload")?;
                Ok(EntryRow {
                    team: row.try_get("team")?,
                    seq: row.try_get("seq")?,
                    ballot: if action == "ballot" {
                        serde_json::from_str(&payload).ok()
                    } else {
                        None
                    },
                    action,
                    entered_by: row.try_get("entered_by")?,
                    entered_at: row.try_get("entered_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Every keyed entry of a round, by team then sequence (the entry log of the minutes).
    pub async fn round_entries(&self, round_id: i64) -> Result<Vec<EntryRow>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        Self::entries_on(&mut conn, round_id).await
    }

    fn team_pile(entries: &[EntryRow], team: i64) -> Vec<KeyedBallot> {
        let replay: Vec<PileEntry> = entries
            .iter()
            .filter(|e| e.team == team)
            .map(|e| match &e.ballot {
                Some(ballot) if e.action == "ballot" => PileEntry::Ballot(ballot.clone()),
                _ => PileEntry::Undo,
            })
            .collect();
        keyed::replay(&replay)
    }

    async fn append_entry(
        tx: &mut WriteTx,
        round: &Round,
        team: i64,
        action: &str,
        payload: &str,
    ) -> Result<i64, StoreError> {
        let at = tx.at();
        let user = tx.actor().user_id;
        let seq: i64 = sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MAX(seq) FROM ballot_entries WHERE round_id = $1 AND team = $2",
        )
        .bind(round.id)
        .bind(team)
        .fetch_one(tx.conn())
        .await?
        .unwrap_or(0)
            + 1;
        let id = next_id(tx.conn(), "ballot_entries").await?;
        sqlx::query(
            "INSERT INTO ballot_entries (id, round_id, team, seq, action, payload, entered_by, \
             entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(round.id)
        .bind(team)
        .bind(seq)
        .bind(action)
        .bind(payload)
        .bind(user)
        .bind(at)
        .execute(tx.conn())
        .await?;
        Ok(seq)
    }

    fn check_team(round: &Round, team: i64) -> Result<(), StoreError> {
        if round.is_locked() {
            return Err(locked_error());
        }
        if !(1..=round.teams).contains(&team) {
            return Err(StoreError::rule(
                "bad_team",
                "team",
                format!("Vòng bầu này có {} tổ nhập phiếu; không có tổ {team}.", round.teams),
                format!("This round has {} entry teams; there is no team {team}.", round.teams),
            ));
        }
        Ok(())
    }

    /// Records one keyed ballot for a team. The entry is in the database when this returns
    /// (the caller commits before answering).
    pub async fn enter_ballot(
        &self,
        tx: &mut WriteTx,
        round_id: i64,
        team: i64,
        keys: &str,
    ) -> Result<Entered, StoreError> {
        let round = round_on(tx.conn(), round_id).await?;
        Self::check_team(&round, team)?;
        let names = round_names_on(tx.conn(), round_id).await?;
        let form = form_of(names.len(), round.seats);
        let ballot = keyed::parse_keys(keys, names.len() as u32, form).map_err(|error| {
            StoreError::rule("bad_keys", "keys", error.message_vi(), format!("{error}."))
        })?;
        let payload = serde_json::to_string(&ballot).unwrap_or_default();
        let seq = Self::append_entry(tx, &round, team, "ballot", &payload).await?;
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM ballot_entries WHERE round_id = $1 AND team = $2 AND action = 'ballot'",
        )
        .bind(round_id)
        .bind(team)
        .fetch_one(tx.conn())
        .await?;
        let undos: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM ballot_entries WHERE round_id = $1 AND team = $2 AND action = 'undo'",
        )
        .bind(round_id)
        .bind(team)
        .fetch_one(tx.conn())
        .await?;
        // The audit chain records the entry (who, when, what) in the same transaction.
        let (_, congress) = self.round_context(tx.conn(), &round).await?;
        tx.audit(
            AuditRecord::new("election.ballot.enter", "round", round_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(serde_json::json!({ "team": team, "seq": seq, "ballot": ballot })),
        )
        .await?;
        Ok(Entered { team, seq, ballot_no: (n - undos).max(0) as usize, ballot: Some(ballot) })
    }

    /// Takes back a team's last ballot by appending an undo entry (nothing is deleted).
    pub async fn undo_ballot(
        &self,
        tx: &mut WriteTx,
        round_id: i64,
        team: i64,
    ) -> Result<Entered, StoreError> {
        let round = round_on(tx.conn(), round_id).await?;
        Self::check_team(&round, team)?;
        let entries = Self::entries_on(tx.conn(), round_id).await?;
        let pile = Self::team_pile(&entries, team);
        let Some(last) = pile.last().cloned() else {
            return Err(StoreError::rule(
                "nothing_to_undo",
                "team",
                "Tổ này chưa nhập phiếu nào để hủy.",
                "This team has no ballot to take back.",
            ));
        };
        let seq = Self::append_entry(tx, &round, team, "undo", "{}").await?;
        let (_, congress) = self.round_context(tx.conn(), &round).await?;
        tx.audit(
            AuditRecord::new("election.ballot.undo", "round", round_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .before(
                    serde_json::json!({ "team": team, "ballot_no": pile.len(), "ballot": last }),
                )
                .after(serde_json::json!({ "team": team, "seq": seq })),
        )
        .await?;
        Ok(Entered { team, seq, ballot_no: pile.len() - 1, ballot: None })
    }

    /// A round with its piles compared and its final pile.
    pub async fn round_state(&self, round_id: i64) -> Result<RoundState, StoreError> {
        let mut conn = self.pool().acquire().await?;
        Self::state_on(&mut conn, round_id).await
    }

    async fn state_on(conn: &mut AnyConnection, round_id: i64) -> Result<RoundState, StoreError> {
        let round = round_on(conn, round_id).await?;
        let names = round_names_on(conn, round_id).await?;
        let entries = Self::entries_on(conn, round_id).await?;
        let piles: Vec<(u32, Vec<KeyedBallot>)> =
            (1..=round.teams).map(|team| (team as u32, Self::team_pile(&entries, team))).collect();
        let rows = sqlx::query(
            "SELECT ballot_index, kind, payload, note, decided_by, decided_at FROM \
             ballot_decisions WHERE round_id = $1 ORDER BY id",
        )
        .bind(round_id)
        .fetch_all(&mut *conn)
        .await?;
        let mut decisions = BTreeMap::new();
        for row in rows {
            let payload: String = row.try_get("payload")?;
            let Ok(resolution) = serde_json::from_str::<Resolution>(&payload) else { continue };
            let ballot = u32::try_from(row.try_get::<i64, _>("ballot_index")?).unwrap_or(0);
            decisions.insert(
                ballot,
                BallotDecision {
                    ballot,
                    kind: row.try_get("kind")?,
                    resolution,
                    note: row.try_get("note")?,
                    decided_by: row.try_get("decided_by")?,
                    decided_at: row.try_get("decided_at")?,
                },
            );
        }
        let resolutions: BTreeMap<u32, Resolution> =
            decisions.iter().map(|(n, d)| (*n, d.resolution.clone())).collect();
        // Every team keys the whole pile: a team that has not finished shows as discrepancies.
        let discrepancies = keyed::compare(&piles);
        let (final_pile, pending) = keyed::final_pile(&piles, &resolutions);
        let form = form_of(names.len(), round.seats);
        Ok(RoundState { round, names, form, piles, discrepancies, decisions, final_pile, pending })
    }

    /// The counting committee decides one ballot: which reading stands where the teams
    /// differ (`discrepancy`), or how a doubtful ballot is ruled (`ruling`: valid with the
    /// interpretation written in the note, or invalid with its reason). Appended; a later
    /// decision on the same ballot supersedes.
    pub async fn decide_ballot(
        &self,
        tx: &mut WriteTx,
        round_id: i64,
        ballot_no: u32,
        kind: &str,
        resolution: &Resolution,
        note: Option<&str>,
    ) -> Result<BallotDecision, StoreError> {
        let round = round_on(tx.conn(), round_id).await?;
        if round.is_locked() {
            return Err(locked_error());
        }
        if !matches!(kind, "discrepancy" | "ruling") {
            return Err(StoreError::rule(
                "bad_kind",
                "kind",
                "Loại quyết định không hợp lệ.",
                "Unknown decision kind.",
            ));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if let Resolution::Ballot { ballot } = resolution {
            if ballot.is_doubtful() {
                return Err(StoreError::rule(
                    "ruling_required",
                    "keys",
                    "Quyết định phải ghi rõ phiếu hợp lệ đọc thế nào, hoặc không hợp lệ vì lý do gì.",
                    "The decision must say how the ballot reads or why it is invalid.",
                ));
            }
            if let KeyedBallot::Invalid { reason, .. } = ballot
                && CommitteeReason::from_code(reason).is_none()
            {
                return Err(StoreError::rule(
                    "bad_reason",
                    "reason",
                    "Lý do không hợp lệ không đúng.",
                    "Unknown invalidity reason.",
                ));
            }
        }
        if kind == "ruling" && note.is_none() {
            return Err(StoreError::rule(
                "note_required",
                "note",
                "Ghi lý do hoặc cách hiểu của Ban kiểm phiếu.",
                "Write the committee's reason or interpretation.",
            ));
        }
        let state = Self::state_on(tx.conn(), round_id).await?;
        let longest = state.piles.iter().map(|(_, p)| p.len()).max().unwrap_or(0) as u32;
        if ballot_no == 0 || ballot_no > longest {
            return Err(StoreError::rule(
                "bad_ballot_no",
                "ballot",
                format!("Không có phiếu số {ballot_no}; các tổ đã nhập tối đa {longest} phiếu."),
                format!("There is no ballot {ballot_no}; the teams entered at most {longest}."),
            ));
        }
        let names = state.names.len() as u32;
        if let Resolution::Ballot { ballot } = resolution {
            let keys = ballot.keys();
            if !matches!(ballot, KeyedBallot::Invalid { .. }) {
                keyed::parse_keys(&keys, names, state.form).map_err(|error| {
                    StoreError::rule("bad_keys", "keys", error.message_vi(), format!("{error}."))
                })?;
            }
        }
        let at = tx.at();
        let actor = tx.actor().name.clone();
        let id = next_id(tx.conn(), "ballot_decisions").await?;
        let payload = serde_json::to_string(resolution).unwrap_or_default();
        sqlx::query(
            "INSERT INTO ballot_decisions (id, round_id, ballot_index, kind, payload, note, \
             decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(round_id)
        .bind(i64::from(ballot_no))
        .bind(kind)
        .bind(&payload)
        .bind(note)
        .bind(&actor)
        .bind(at)
        .execute(tx.conn())
        .await?;
        let (_, congress) = self.round_context(tx.conn(), &round).await?;
        tx.audit(
            AuditRecord::new("election.ballot.decide", "round", round_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(serde_json::json!({ "ballot": ballot_no, "kind": kind, "resolution": resolution, "note": note })),
        )
        .await?;
        Ok(BallotDecision {
            ballot: ballot_no,
            kind: kind.to_string(),
            resolution: resolution.clone(),
            note: note.map(str::to_string),
            decided_by: actor,
            decided_at: at,
        })
    }

    /// The base figures of an election now: from the congress roll, or for a plenum from the
    /// plenum roll of the committee it belongs to (`crate::plenum`).
    pub async fn election_base(&self, election_id: i64) -> Result<BaseFigures, StoreError> {
        let mut conn = self.pool().acquire().await?;
        Self::base_on(&mut conn, election_id).await
    }

    async fn base_on(
        conn: &mut AnyConnection,
        election_id: i64,
    ) -> Result<BaseFigures, StoreError> {
        let election = election_on(conn, election_id).await?;
        let congress = congress_on(conn, election.congress_id).await?;
        let pack = pack_of(&congress);
        match election.voters {
            Voters::Congress => {
                let roll = roll_on(conn, congress.id).await?;
                roll_base(pack, congress_type(&congress, Voters::Congress), &roll)
            }
            Voters::Plenum => {
                let of = election.conference_of.ok_or(StoreError::NotFound)?;
                crate::plenum::plenum_base_on(conn, of, pack).await
            }
        }
    }

    /// Records the ballots issued and collected and freezes the base D of the round.
    pub async fn set_round_figures(
        &self,
        tx: &mut WriteTx,
        round_id: i64,
        issued: i64,
        collected: i64,
    ) -> Result<Round, StoreError> {
        let round = round_on(tx.conn(), round_id).await?;
        if round.is_locked() {
            return Err(locked_error());
        }
        if issued < 0 || collected < 0 || collected > issued {
            return Err(StoreError::rule(
                "bad_figures",
                "ballots_collected",
                format!(
                    "Phiếu thu về ({collected}) không được nhiều hơn phiếu phát ra ({issued})."
                ),
                format!("Ballots collected ({collected}) cannot exceed ballots issued ({issued})."),
            ));
        }
        let base = Self::base_on(tx.conn(), round.election_id).await?;
        if issued > i64::from(base.present) {
            return Err(StoreError::rule(
                "issued_above_present",
                "ballots_issued",
                format!("Phiếu phát ra ({issued}) nhiều hơn số có mặt ({}).", base.present),
                format!("Ballots issued ({issued}) exceed those present ({}).", base.present),
            ));
        }
        sqlx::query(
            "UPDATE rounds SET ballots_issued = $1, ballots_collected = $2, present = $3, \
             base_json = $4, updated_at = $5, version = version + 1 WHERE id = $6",
        )
        .bind(issued)
        .bind(collected)
        .bind(i64::from(base.present))
        .bind(serde_json::to_string(&base).unwrap_or_default())
        .bind(tx.at())
        .bind(round_id)
        .execute(tx.conn())
        .await?;
        let (_, congress) = self.round_context(tx.conn(), &round).await?;
        tx.audit(
            AuditRecord::new("election.round.figures", "round", round_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(
                    serde_json::json!({ "issued": issued, "collected": collected, "base": base }),
                ),
        )
        .await?;
        round_on(tx.conn(), round_id).await
    }

    /// Counts a round with the core: figures recorded, no discrepancy or doubtful ballot
    /// pending, the final pile as many as the ballots collected.
    pub async fn count_round(&self, round_id: i64) -> Result<RoundCount, StoreError> {
        let mut conn = self.pool().acquire().await?;
        Self::count_on(&mut conn, round_id).await
    }

    async fn count_on(conn: &mut AnyConnection, round_id: i64) -> Result<RoundCount, StoreError> {
        let state = Self::state_on(conn, round_id).await?;
        let round = state.round.clone();
        let election = election_on(conn, round.election_id).await?;
        let congress = congress_on(conn, election.congress_id).await?;
        let (Some(issued), Some(collected), Some(base)) =
            (round.ballots_issued, round.ballots_collected, round.base.clone())
        else {
            return Err(StoreError::rule(
                "figures_missing",
                "ballots_issued",
                "Ban kiểm phiếu chưa ghi số phiếu phát ra và thu về.",
                "The committee has not recorded the ballots issued and collected.",
            ));
        };
        if !state.pending.is_empty() {
            return Err(StoreError::rule(
                "pending",
                "round",
                format!(
                    "Còn {} phiếu chênh lệch giữa các tổ và {} phiếu chưa được Ban kiểm phiếu quyết định.",
                    state.pending.discrepancies.len(),
                    state.pending.doubtful.len()
                ),
                format!(
                    "{} discrepancies between teams and {} doubtful ballots await the committee.",
                    state.pending.discrepancies.len(),
                    state.pending.doubtful.len()
                ),
            ));
        }
        if state.final_pile.len() as i64 != collected {
            return Err(StoreError::rule(
                "pile_mismatch",
                "ballots_collected",
                format!(
                    "Đã nhập {} phiếu nhưng số phiếu thu về là {collected}.",
                    state.final_pile.len()
                ),
                format!("{} ballots entered but {collected} collected.", state.final_pile.len()),
            ));
        }
        let pack = pack_of(&congress);
        let ctype = CongressType::from_code(&base.congress).unwrap_or(CongressType::Members);
        let excluded: Vec<(Exclusion, u32)> = base
            .excluded
            .iter()
            .filter_map(|(code, n)| Exclusion::from_code(code).map(|e| (e, *n)))
            .collect();
        let electorate = Electorate::new(pack, ctype, base.summoned, base.present, &excluded)
            .map_err(rule_from_count)?;
        let candidates = state
            .names
            .iter()
            .map(|n| {
                CoreCandidate::new(
                    CandidateId::new(n.code.clone()).map_err(rule_from_count)?,
                    n.name.clone(),
                )
                .map_err(rule_from_count)
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let spec = ElectionSpec {
            rules: pack.id,
            title: election.title.clone(),
            kind: election.kind,
            round_type: round.round_type,
            seats: SeatCount::new(u32::try_from(round.seats).unwrap_or(1))
                .map_err(rule_from_count)?,
            alternate_seats: u32::try_from(round.alternate_seats).unwrap_or(0),
            candidates: CandidateList::new(candidates).map_err(rule_from_count)?,
            electorate,
        };
        let setup = ElectionSetup::new(spec).map_err(rule_from_count)?;
        let mut ballot_box = setup
            .open(u32::try_from(issued).unwrap_or(0), u32::try_from(collected).unwrap_or(0))
            .map_err(rule_from_count)?;
        let code = |position: u32| state.names[(position - 1) as usize].code.as_str();
        for (_, ballot) in &state.final_pile {
            match ballot {
                KeyedBallot::Crossed { n } => {
                    ballot_box.push_crossed(n.iter().map(|&p| code(p)), 1)
                }
                KeyedBallot::Marks { disagree, both, none } => {
                    let mut marks: Vec<(&str, Mark)> = Vec::new();
                    for (index, name) in state.names.iter().enumerate() {
                        let p = index as u32 + 1;
                        let mark = if disagree.contains(&p) {
                            Mark::Disagree
                        } else if both.contains(&p) {
                            Mark::Both
                        } else if none.contains(&p) {
                            Mark::None
                        } else {
                            Mark::Agree
                        };
                        marks.push((name.code.as_str(), mark));
                    }
                    ballot_box.push_marks(marks, 1)
                }
                KeyedBallot::Invalid { reason, note } => ballot_box.push_invalid(
                    CommitteeReason::from_code(reason).unwrap_or(CommitteeReason::Other),
                    note.clone(),
                    1,
                ),
                KeyedBallot::Doubtful => Ok(()),
            }
            .map_err(rule_from_count)?;
        }
        let core_election = ballot_box.close().map_err(rule_from_count)?;
        let report = tally(&core_election);
        Ok(RoundCount {
            round,
            election,
            congress,
            names: state.names,
            report,
            final_pile: state.final_pile,
        })
    }

    /// Signs the round off: it must count; the result summary and the SHA-256 of the ballots
    /// and result are stored, the audit chain records the lock with the hash, and from then on
    /// the storage triggers refuse any change to the round, its names, entries and decisions.
    pub async fn lock_round(&self, tx: &mut WriteTx, round_id: i64) -> Result<Round, StoreError> {
        let round = round_on(tx.conn(), round_id).await?;
        if round.is_locked() {
            return Err(locked_error());
        }
        let count = Self::count_on(tx.conn(), round_id).await?;
        let result = round_result(&count);
        let hash = lock_hash(&count, &result);
        let at = tx.at();
        let actor = tx.actor().name.clone();
        sqlx::query(
            "UPDATE rounds SET status = 'locked', result_json = $1, lock_hash = $2, locked_at = $3, \
             locked_by = $4, updated_at = $3, version = version + 1 WHERE id = $5",
        )
        .bind(serde_json::to_string(&result).unwrap_or_default())
        .bind(&hash)
        .bind(at)
        .bind(&actor)
        .bind(round_id)
        .execute(tx.conn())
        .await?;
        let complete = result.outcome == "complete"
            && (count.round.alternate_seats == 0 || result.alternates.is_empty());
        if complete {
            sqlx::query("UPDATE elections SET status = 'complete', updated_at = $1, version = version + 1 WHERE id = $2")
                .bind(at)
                .bind(count.election.id)
                .execute(tx.conn())
                .await?;
        }
        tx.audit(
            AuditRecord::new("election.round.lock", "round", round_id)
                .in_unit(count.congress.unit_id, &count.congress.unit_path)
                .after(serde_json::json!({ "code": count.round.code, "sha256": hash, "result": result })),
        )
        .await?;
        round_on(tx.conn(), round_id).await
    }

    /// Opens the round a signed-off round calls for: a tie-break among the tied for the seats
    /// they compete for, or another regular round for the seats left empty with the names not
    /// elected. The congress's vote to hold it is recorded with it.
    pub async fn next_round(
        &self,
        tx: &mut WriteTx,
        round_id: i64,
        votes: &Votes,
    ) -> Result<Round, StoreError> {
        let round = round_on(tx.conn(), round_id).await?;
        let (election, congress) = self.round_context(tx.conn(), &round).await?;
        let Some(result) = round.result.clone().filter(|_| round.is_locked()) else {
            return Err(StoreError::rule(
                "not_locked",
                "round",
                "Vòng bầu chưa được Ban kiểm phiếu ký xác nhận.",
                "The round is not signed off yet.",
            ));
        };
        let latest: i64 =
            sqlx::query_scalar("SELECT MAX(number) FROM rounds WHERE election_id = $1")
                .bind(election.id)
                .fetch_one(tx.conn())
                .await?;
        if latest != round.number {
            return Err(StoreError::rule(
                "not_latest",
                "round",
                "Đã có vòng bầu sau vòng này.",
                "A later round exists already.",
            ));
        }
        let (round_type, seats, ids, subject) = if let Some((tied, seats)) = &result.tie {
            (RoundType::TieBreak, i64::from(*seats), tied.clone(), "tie_break")
        } else if result.unfilled > 0 {
            let ids: Vec<i64> = result
                .votes
                .iter()
                .map(|(id, _)| *id)
                .filter(|id| !result.elected.contains(id))
                .collect();
            (RoundType::Regular, i64::from(result.unfilled), ids, "further_round")
        } else {
            return Err(StoreError::rule(
                "no_next_round",
                "round",
                "Đã bầu đủ số lượng: không cần bầu thêm vòng.",
                "Every seat is filled: no further round is needed.",
            ));
        };
        if (ids.len() as i64) < seats {
            return Err(StoreError::rule(
                "too_few_names",
                "round",
                "Không còn đủ người trong danh sách cho vòng bầu tiếp theo.",
                "Too few names remain for another round.",
            ));
        }
        let title =
            format!("Bầu tiếp vòng {} ({} người): {}", round.number + 1, seats, election.title);
        let vote = self
            .hand_vote_in(
                tx,
                &congress,
                subject,
                &title,
                Some(election.id),
                Some(round.id),
                votes,
                votes.present,
            )
            .await?;
        if !vote.passed {
            let at = tx.at();
            sqlx::query("UPDATE elections SET status = 'complete', updated_at = $1, version = version + 1 WHERE id = $2")
                .bind(at)
                .bind(election.id)
                .execute(tx.conn())
                .await?;
            return Err(StoreError::rule(
                "congress_declined",
                "votes_for",
                "Đại hội không biểu quyết bầu tiếp; cuộc bầu kết thúc với số đã trúng cử.",
                "The congress voted not to hold another round; the election ends with those elected.",
            ));
        }
        let alternates =
            if round_type == RoundType::Regular && election.kind == ElectionKind::Delegates {
                round.alternate_seats
            } else {
                0
            };
        self.open_round(tx, &election, &congress, round_type, seats, alternates, &ids).await
    }

    /// The congress approves the alternates a signed-off delegates round proposed, in order.
    pub async fn approve_alternates(
        &self,
        tx: &mut WriteTx,
        round_id: i64,
        votes: &Votes,
    ) -> Result<HandVote, StoreError> {
        let round = round_on(tx.conn(), round_id).await?;
        let (election, congress) = self.round_context(tx.conn(), &round).await?;
        let Some(result) = round.result.clone().filter(|r| !r.alternates.is_empty()) else {
            return Err(StoreError::rule(
                "no_alternates",
                "round",
                "Vòng bầu này không có người được đề nghị làm đại biểu dự khuyết.",
                "This round proposes no alternates.",
            ));
        };
        let title = format!(
            "Công nhận {} đại biểu dự khuyết theo thứ tự số phiếu: {}",
            result.alternates.len(),
            election.title
        );
        let vote = self
            .hand_vote_in(
                tx,
                &congress,
                "alternates",
                &title,
                Some(election.id),
                Some(round.id),
                votes,
                votes.present,
            )
            .await?;
        if vote.passed && result.tie.is_none() && result.unfilled == 0 {
            let at = tx.at();
            sqlx::query("UPDATE elections SET status = 'complete', updated_at = $1, version = version + 1 WHERE id = $2")
                .bind(at)
                .bind(election.id)
                .execute(tx.conn())
                .await?;
        }
        Ok(vote)
    }

    /// The elected and approved alternates of an election over its signed-off rounds.
    pub async fn election_outcome(&self, election_id: i64) -> Result<ElectionOutcome, StoreError> {
        let mut conn = self.pool().acquire().await?;
        Self::outcome_on(&mut conn, election_id).await
    }

    pub(crate) async fn outcome_on(
        conn: &mut AnyConnection,
        election_id: i64,
    ) -> Result<ElectionOutcome, StoreError> {
        let rows = sqlx::query(sqlf!(
            "SELECT {ROUND_COLUMNS} FROM rounds WHERE election_id = $1 ORDER BY number"
        ))
        .bind(election_id)
        .fetch_all(&mut *conn)
        .await?;
        let rounds: Vec<Round> = rows.iter().map(round_from_row).collect::<Result<_, _>>()?;
        let names: BTreeMap<i64, String> = candidates_on(conn, election_id)
            .await?
            .into_iter()
            .map(|c| (c.id, c.full_name))
            .collect();
        let rows = sqlx::query("SELECT * FROM hand_votes WHERE election_id = $1 ORDER BY id")
            .bind(election_id)
            .fetch_all(&mut *conn)
            .await?;
        let votes: Vec<HandVote> = rows.iter().map(hand_vote_from_row).collect::<Result<_, _>>()?;
        let mut outcome = ElectionOutcome::default();
        for round in rounds.iter().filter(|r| r.is_locked()) {
            let Some(result) = &round.result else { continue };
            let votes_of = |id: i64| result.votes.iter().find(|(c, _)| *c == id).map_or(0, |v| v.1);
            for id in &result.elected {
                outcome.elected.push((
                    *id,
                    names.get(id).cloned().unwrap_or_default(),
                    votes_of(*id),
                    round.number,
                ));
            }
            let approved = votes
                .iter()
                .any(|v| v.subject == "alternates" && v.round_id == Some(round.id) && v.passed);
            if approved {
                for id in &result.alternates {
                    outcome.alternates.push((
                        *id,
                        names.get(id).cloned().unwrap_or_default(),
                        votes_of(*id),
                    ));
                }
            }
        }
        Ok(outcome)
    }

    /// Reports the congress's results to the parent unit for approval (chuẩn y).
    pub async fn report_results(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
    ) -> Result<Approval, StoreError> {
        let congress = congress_on(tx.conn(), congress_id).await?;
        let unit = unit_on(tx.conn(), congress.unit_id).await?;
        let Some(parent_id) = unit.parent_id else {
            return Err(StoreError::rule(
                "no_parent",
                "congress",
                "Đơn vị này không có cấp trên để báo cáo.",
                "This unit has no parent unit to report to.",
            ));
        };
        let parent = unit_on(tx.conn(), parent_id).await?;
        let pending: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM approvals WHERE congress_id = $1 AND status = 'pending'",
        )
        .bind(congress_id)
        .fetch_one(tx.conn())
        .await?;
        if pending > 0 {
            return Err(StoreError::rule(
                "already_reported",
                "congress",
                "Kết quả đã được báo cáo và đang chờ cấp trên chuẩn y.",
                "The results are already waiting for approval.",
            ));
        }
        let mut elections = Vec::new();
        let rows = sqlx::query(sqlf!(
            "SELECT {ELECTION_COLUMNS} FROM elections WHERE congress_id = $1 ORDER BY position, id"
        ))
        .bind(congress_id)
        .fetch_all(tx.conn())
        .await?;
        let list: Vec<Election> = rows.iter().map(election_from_row).collect::<Result<_, _>>()?;
        for election in list {
            let outcome = Self::outcome_on(tx.conn(), election.id).await?;
            if outcome.elected.is_empty() {
                continue;
            }
            let locks: Vec<String> = sqlx::query_scalar(
                "SELECT lock_hash FROM rounds WHERE election_id = $1 AND lock_hash IS NOT NULL ORDER BY number",
            )
            .bind(election.id)
            .fetch_all(tx.conn())
            .await?;
            elections.push(serde_json::json!({
                "election_id": election.id,
                "kind": election.kind.code(),
                "title": election.title,
                "seats": election.seats,
                "elected": outcome.elected.iter().map(|(id, name, votes, _)| serde_json::json!({"candidate_id": id, "name": name, "votes": votes})).collect::<Vec<_>>(),
                "alternates": outcome.alternates.iter().map(|(id, name, votes)| serde_json::json!({"candidate_id": id, "name": name, "votes": votes})).collect::<Vec<_>>(),
                "lock_hashes": locks,
            }));
        }
        if elections.is_empty() {
            return Err(StoreError::rule(
                "nothing_to_report",
                "congress",
                "Chưa có cuộc bầu nào được ký xác nhận kết quả.",
                "No election has a signed-off result yet.",
            ));
        }
        let summary = serde_json::json!({
            "congress": congress.title,
            "unit": unit.name,
            "unit_id": unit.id,
            "elections": elections,
        });
        let at = tx.at();
        let actor = tx.actor().name.clone();
        let id = next_id(tx.conn(), "approvals").await?;
        sqlx::query(
            "INSERT INTO approvals (id, congress_id, parent_unit_id, parent_unit_path, status, \
             summary_json, reported_at, reported_by) VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7)",
        )
        .bind(id)
        .bind(congress_id)
        .bind(parent.id)
        .bind(&parent.path)
        .bind(summary.to_string())
        .bind(at)
        .bind(&actor)
        .execute(tx.conn())
        .await?;
        let approval = self.approval_on(tx.conn(), id).await?;
        tx.audit(
            AuditRecord::new("election.report", "approval", id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(&approval),
        )
        .await?;
        Ok(approval)
    }

    async fn approval_on(&self, conn: &mut AnyConnection, id: i64) -> Result<Approval, StoreError> {
        let row = sqlx::query(sqlf!("SELECT {APPROVAL_COLUMNS} FROM approvals WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(approval_from_row(&row)?)
    }

    /// One approval.
    pub async fn approval(&self, id: i64) -> Result<Approval, StoreError> {
        let mut conn = self.pool().acquire().await?;
        self.approval_on(&mut conn, id).await
    }

    /// Approvals addressed to units inside these subtrees, pending first.
    pub async fn approvals_for(&self, scope: &[String]) -> Result<Vec<Approval>, StoreError> {
        let mut out = Vec::new();
        for path in scope {
            let rows = sqlx::query(sqlf!(
                "SELECT {APPROVAL_COLUMNS} FROM approvals WHERE parent_unit_path >= $1 AND \
                 parent_unit_path < $2 ORDER BY CASE WHEN status = 'pending' THEN 0 ELSE 1 END, id DESC"
            ))
            .bind(path)
            .bind(daihoi_core::access::subtree_end(path))
            .fetch_all(self.pool())
            .await?;
            for row in &rows {
                out.push(approval_from_row(row)?);
            }
        }
        Ok(out)
    }

    /// The approvals of one congress.
    pub async fn approvals_of_congress(
        &self,
        congress_id: i64,
    ) -> Result<Vec<Approval>, StoreError> {
        let rows = sqlx::query(sqlf!(
            "SELECT {APPROVAL_COLUMNS} FROM approvals WHERE congress_id = $1 ORDER BY id DESC"
        ))
        .bind(congress_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(approval_from_row).collect::<Result<_, _>>()?)
    }

    /// The parent unit approves (chuẩn y) or returns the reported results. On approval, the
    /// delegates and alternates (in order) of delegate elections are added to the parent
    /// unit's newest congress roster, marked with the unit they come from.
    pub async fn decide_approval(
        &self,
        tx: &mut WriteTx,
        approval_id: i64,
        approve: bool,
        note: Option<&str>,
    ) -> Result<Approval, StoreError> {
        let before = self.approval_on(tx.conn(), approval_id).await?;
        if before.status != "pending" {
            return Err(StoreError::rule(
                "already_decided",
                "approval",
                "Báo cáo này đã được quyết định.",
                "This report was decided already.",
            ));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if !approve && note.is_none() {
            return Err(StoreError::rule(
                "note_required",
                "note",
                "Ghi lý do trả lại.",
                "Give the reason for returning the results.",
            ));
        }
        let at = tx.at();
        let actor = tx.actor().name.clone();
        sqlx::query(
            "UPDATE approvals SET status = $1, decided_at = $2, decided_by = $3, note = $4 WHERE id = $5",
        )
        .bind(if approve { "approved" } else { "returned" })
        .bind(at)
        .bind(&actor)
        .bind(note)
        .bind(approval_id)
        .execute(tx.conn())
        .await?;
        let mut added = 0usize;
        if approve {
            let congress = congress_on(tx.conn(), before.congress_id).await?;
            let unit = unit_on(tx.conn(), congress.unit_id).await?;
            let delegates: Vec<&serde_json::Value> = before.summary["elections"]
                .as_array()
                .map(|list| list.iter().filter(|e| e["kind"] == "delegates").collect())
                .unwrap_or_default();
            if !delegates.is_empty() {
                let target: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM congresses WHERE unit_id = $1 ORDER BY term_start DESC, id DESC LIMIT 1",
                )
                .bind(before.parent_unit_id)
                .fetch_optional(tx.conn())
                .await?;
                let Some(target) = target else {
                    return Err(StoreError::rule(
                        "no_parent_congress",
                        "approval",
                        "Cấp trên chưa có đại hội để đưa đại biểu vào danh sách.",
                        "The parent unit has no congress to add the delegates to.",
                    ));
                };
                let mut people = Vec::new();
                for election in delegates {
                    let candidate_person = |list: &str| -> Vec<i64> {
                        election[list]
                            .as_array()
                            .map(|l| l.iter().filter_map(|c| c["candidate_id"].as_i64()).collect())
                            .unwrap_or_default()
                    };
                    for (list, role) in
                        [("elected", PersonRole::Elected), ("alternates", PersonRole::Alternate)]
                    {
                        for (rank, candidate_id) in candidate_person(list).into_iter().enumerate() {
                            let candidate = candidate_on(tx.conn(), candidate_id).await?;
                            let person = match candidate.person_id {
                                Some(id) => Some(crate::congress::person_on(tx.conn(), id).await?),
                                None => None,
                            };
                            people.push(NewPerson {
                                member_id: person.as_ref().and_then(|p| p.member_id),
                                full_name: candidate.full_name.clone(),
                                birth_date: person.as_ref().and_then(|p| p.birth_date),
                                sex: person.as_ref().and_then(|p| p.sex),
                                ethnicity: person.as_ref().and_then(|p| p.ethnicity.clone()),
                                delegation: Some(unit.name.clone()),
                                source_unit_id: Some(unit.id),
                                role,
                                alternate_rank: (role == PersonRole::Alternate)
                                    .then_some(rank as i64 + 1),
                                standing: Standing::Active,
                            });
                        }
                    }
                }
                added = people.len();
                self.add_people(tx, target, &people).await?;
            }
        }
        let after = self.approval_on(tx.conn(), approval_id).await?;
        tx.audit(
            AuditRecord::new(if approve { "election.approve" } else { "election.return" }, "approval", approval_id)
                .in_unit(before.parent_unit_id, &before.parent_unit_path)
                .before(serde_json::json!({ "status": before.status }))
                .after(serde_json::json!({ "status": after.status, "note": note, "delegates_added": added })),
        )
        .await?;
        Ok(after)
    }

    /// The counting committee of a congress (body `counting_committee`), head first.
    pub async fn counting_committee(
        &self,
        congress_id: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT full_name, position FROM congress_bodies WHERE congress_id = $1 AND \
             body = 'counting_committee' ORDER BY rank, id",
        )
        .bind(congress_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("full_name")?, row.try_get("position")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Sets the counting committee approved by the congress: (name, `head`/`deputy`/`member`).
    pub async fn set_counting_committee(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        members: &[(String, String)],
    ) -> Result<(), StoreError> {
        let congress = congress_on(tx.conn(), congress_id).await?;
        if members.iter().filter(|(_, p)| p == "head").count() != 1 {
            return Err(StoreError::rule(
                "one_head",
                "counting_committee",
                "Ban kiểm phiếu phải có đúng một Trưởng ban.",
                "The counting committee needs exactly one head.",
            ));
        }
        sqlx::query(
            "DELETE FROM congress_bodies WHERE congress_id = $1 AND body = 'counting_committee'",
        )
        .bind(congress_id)
        .execute(tx.conn())
        .await?;
        for (rank, (name, position)) in members.iter().enumerate() {
            let id = next_id(tx.conn(), "congress_bodies").await?;
            sqlx::query(
                "INSERT INTO congress_bodies (id, congress_id, body, person_id, full_name, position, rank) \
                 VALUES ($1, $2, 'counting_committee', NULL, $3, $4, $5)",
            )
            .bind(id)
            .bind(congress_id)
            .bind(vn::nfc(name.trim()))
            .bind(position)
            .bind(rank as i64 + 1)
            .execute(tx.conn())
            .await?;
        }
        tx.audit(
            AuditRecord::new("congress.counting_committee", "congress", congress_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(serde_json::json!({ "members": members })),
        )
        .await?;
        Ok(())
    }
}

fn candidate_id_of(count: &RoundCount, code: &CandidateId) -> i64 {
    count.names.iter().find(|n| n.code == code.as_str()).map_or(0, |n| n.candidate_id)
}

fn round_result(count: &RoundCount) -> RoundResult {
    let report = &count.report;
    let ids = |list: &[CandidateId]| list.iter().map(|c| candidate_id_of(count, c)).collect();
    RoundResult {
        elected: ids(&report.elected),
        alternates: ids(&report.alternates),
        votes: report.candidates.iter().map(|c| (candidate_id_of(count, &c.id), c.votes)).collect(),
        tie: report.tie.as_ref().map(|t| (ids(&t.candidates), t.seats)),
        unfilled: report.unfilled_seats,
        outcome: report.outcome.code().to_string(),
    }
}

/// The SHA-256 (hex) of a round's names, figures, final ballots and result, in a fixed JSON
/// form: printed on the minutes, recorded in the audit chain at sign-off.
pub fn lock_hash(count: &RoundCount, result: &RoundResult) -> String {
    let content = serde_json::json!({
        "round": count.round.code,
        "names": count.names.iter().map(|n| (n.position, n.name.clone())).collect::<Vec<_>>(),
        "issued": count.round.ballots_issued,
        "collected": count.round.ballots_collected,
        "base": count.report.base.value(),
        "ballots": count.final_pile.iter().map(|(n, b)| (n, b.keys())).collect::<Vec<_>>(),
        "result": result,
    });
    hash_hex(content.to_string().as_bytes())
}
