//! The roll of a new committee's first plenum (hội nghị lần thứ nhất): one status per member
//! just elected, recorded by the congress's staff with who and when. The base D of every
//! election the plenum holds (standing committee, secretary, deputies, inspection committee)
//! is derived from it by the core's `Roll`, as the congress roll gives D for the congress's
//! own elections; nobody types a "present" figure.
//!
//! A member with no recorded status is present. The statuses a conference knows are those of
//! [`PLENUM_STATUSES`]; which of them are subtracted from D is the rule pack's conference base
//! rule (QĐ 190: the suspended and the prosecuted; absentees stay in D).

use std::collections::BTreeMap;

use daihoi_core::counting::{CongressType, ElectionKind, RollPerson, RollStatus};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::audit::AuditRecord;
use crate::congress::congress_on;
use crate::elections::{BaseFigures, base_from_people, election_on, pack_of};
use crate::{Store, StoreError, WriteTx};

/// The statuses a member may have on the plenum roll, in the order a form offers them.
pub const PLENUM_STATUSES: [RollStatus; 6] = [
    RollStatus::Present,
    RollStatus::LeftBeforeVote,
    RollStatus::AbsentApproved,
    RollStatus::AbsentUnexcused,
    RollStatus::Suspended,
    RollStatus::Prosecuted,
];

/// Vietnamese label of a plenum status.
pub fn status_label_vi(status: RollStatus) -> &'static str {
    match status {
        RollStatus::Present => "Có mặt",
        RollStatus::LeftBeforeVote => "Đã dự, vắng lúc bỏ phiếu",
        RollStatus::AbsentApproved => "Vắng mặt có lý do",
        RollStatus::AbsentUnexcused => "Vắng mặt không có lý do",
        RollStatus::Suspended => "Bị đình chỉ sinh hoạt",
        RollStatus::Prosecuted => "Bị khởi tố, truy tố, tạm giam",
        _ => "Khác",
    }
}

/// English label of a plenum status.
pub fn status_label_en(status: RollStatus) -> &'static str {
    match status {
        RollStatus::Present => "Present",
        RollStatus::LeftBeforeVote => "Attended, not in the hall for the vote",
        RollStatus::AbsentApproved => "Absent with an accepted reason",
        RollStatus::AbsentUnexcused => "Absent without a reason",
        RollStatus::Suspended => "Suspended from activity",
        RollStatus::Prosecuted => "Prosecuted, indicted or detained",
        _ => "Other",
    }
}

/// A plenum status from its code, if the plenum knows it.
pub fn plenum_status(code: &str) -> Option<RollStatus> {
    PLENUM_STATUSES.into_iter().find(|s| s.code() == code)
}

/// One member of the new committee on the plenum roll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlenumMember {
    /// The candidate (of the committee election) who was elected.
    pub candidate_id: i64,
    /// Full name.
    pub full_name: String,
    /// Status on the roll (present when nothing was recorded).
    #[serde(serialize_with = "status_code")]
    pub status: RollStatus,
    /// The staff's note (the reason given, …).
    pub note: Option<String>,
    /// Who recorded the status, if anyone did.
    pub decided_by: Option<String>,
    /// When (unix seconds).
    pub decided_at: Option<i64>,
}

fn status_code<S: serde::Serializer>(status: &RollStatus, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(status.code())
}

/// The plenum roll of a committee election, in the order the members were elected.
pub(crate) async fn plenum_roll_on(
    conn: &mut AnyConnection,
    committee_election_id: i64,
) -> Result<Vec<PlenumMember>, StoreError> {
    let elected = Store::outcome_on(conn, committee_election_id).await?.elected;
    let rows = sqlx::query(
        "SELECT candidate_id, status, note, decided_by, decided_at FROM plenum_roll \
         WHERE election_id = $1",
    )
    .bind(committee_election_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut recorded: BTreeMap<i64, (String, Option<String>, String, i64)> = BTreeMap::new();
    for row in &rows {
        recorded.insert(
            row.try_get("candidate_id")?,
            (
                row.try_get("status")?,
                row.try_get("note")?,
                row.try_get("decided_by")?,
                row.try_get("decided_at")?,
            ),
        );
    }
    Ok(elected
        .into_iter()
        .map(|(candidate_id, full_name, _, _)| match recorded.remove(&candidate_id) {
            Some((code, note, by, at)) => PlenumMember {
                candidate_id,
                full_name,
                status: plenum_status(&code).unwrap_or(RollStatus::Present),
                note,
                decided_by: Some(by),
                decided_at: Some(at),
            },
            None => PlenumMember {
                candidate_id,
                full_name,
                status: RollStatus::Present,
                note: None,
                decided_by: None,
                decided_at: None,
            },
        })
        .collect())
}

/// The base D of a plenum election, from the roll of the committee it belongs to.
pub(crate) async fn plenum_base_on(
    conn: &mut AnyConnection,
    committee_election_id: i64,
    pack: &daihoi_core::rules::RulePack,
) -> Result<BaseFigures, StoreError> {
    let members = plenum_roll_on(conn, committee_election_id).await?;
    if members.is_empty() {
        return Err(StoreError::rule(
            "no_committee_yet",
            "conference_of",
            "Ban Chấp hành chưa có kết quả bầu: chưa thể bầu tại hội nghị lần thứ nhất.",
            "The committee has no signed-off result yet.",
        ));
    }
    let people: Vec<RollPerson> = members
        .iter()
        .map(|m| RollPerson { status: m.status, convening_committee: false })
        .collect();
    base_from_people(pack, CongressType::Conference, &people)
}

impl Store {
    /// The roll of the first plenum of the committee elected by `committee_election_id`: the
    /// members elected so far (signed-off rounds), each with the status recorded for them.
    pub async fn plenum_roll(
        &self,
        committee_election_id: i64,
    ) -> Result<Vec<PlenumMember>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let election = election_on(&mut conn, committee_election_id).await?;
        if election.kind != ElectionKind::Committee {
            return Err(not_a_committee());
        }
        plenum_roll_on(&mut conn, committee_election_id).await
    }

    /// Records one member's status on the plenum roll (audited with the status before and
    /// after). Refused for someone the committee election did not elect, and for a status a
    /// conference does not know. Rounds already given their ballot figures keep the base they
    /// froze then.
    pub async fn set_plenum_status(
        &self,
        tx: &mut WriteTx,
        committee_election_id: i64,
        candidate_id: i64,
        status: RollStatus,
        note: Option<&str>,
    ) -> Result<PlenumMember, StoreError> {
        let election = election_on(tx.conn(), committee_election_id).await?;
        if election.kind != ElectionKind::Committee {
            return Err(not_a_committee());
        }
        if !PLENUM_STATUSES.contains(&status) {
            return Err(StoreError::rule(
                "bad_plenum_status",
                "status",
                format!("Trạng thái “{}” không dùng cho hội nghị Ban Chấp hành.", status.code()),
                format!("The status “{}” does not apply to a committee plenum.", status.code()),
            ));
        }
        let roll = plenum_roll_on(tx.conn(), committee_election_id).await?;
        let Some(before) = roll.into_iter().find(|m| m.candidate_id == candidate_id) else {
            return Err(StoreError::rule(
                "not_elected",
                "candidate",
                "Người này không có trong danh sách trúng cử Ban Chấp hành.",
                "This person is not among the members elected to the committee.",
            ));
        };
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let actor = tx.actor().name.clone();
        let at = tx.at();
        sqlx::query("DELETE FROM plenum_roll WHERE election_id = $1 AND candidate_id = $2")
            .bind(committee_election_id)
            .bind(candidate_id)
            .execute(tx.conn())
            .await?;
        sqlx::query(
            "INSERT INTO plenum_roll (election_id, candidate_id, status, note, decided_by, \
             decided_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(committee_election_id)
        .bind(candidate_id)
        .bind(status.code())
        .bind(note)
        .bind(&actor)
        .bind(at)
        .execute(tx.conn())
        .await?;
        let congress = congress_on(tx.conn(), election.congress_id).await?;
        let after = PlenumMember {
            status,
            note: note.map(str::to_string),
            decided_by: Some(actor),
            decided_at: Some(at),
            ..before.clone()
        };
        tx.audit(
            AuditRecord::new("election.plenum_roll", "candidate", candidate_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .before(serde_json::json!({ "status": before.status.code(), "note": before.note }))
                .after(serde_json::json!({
                    "election": committee_election_id,
                    "status": status.code(),
                    "note": after.note,
                })),
        )
        .await?;
        Ok(after)
    }

    /// The base D the plenum's elections would get now (for the committee election).
    pub async fn plenum_base(&self, committee_election_id: i64) -> Result<BaseFigures, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let election = election_on(&mut conn, committee_election_id).await?;
        let congress = congress_on(&mut conn, election.congress_id).await?;
        plenum_base_on(&mut conn, committee_election_id, pack_of(&congress)).await
    }
}

fn not_a_committee() -> StoreError {
    StoreError::rule(
        "not_a_committee_election",
        "election",
        "Điểm danh hội nghị lần thứ nhất thuộc về cuộc bầu Ban Chấp hành của đại hội.",
        "The first plenum's roll belongs to the congress's committee election.",
    )
}
