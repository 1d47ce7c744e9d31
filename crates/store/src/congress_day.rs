//! Congress day, the congress and its people: editing a congress and its sessions, the roster
//! read with each person's status for the current session, and the majority base D computed
//! from those statuses at the moment of voting, with its derivation.

use daihoi_core::counting::{BaseItem, Roll, RollPerson, RollStatus};
use daihoi_core::rules::{CongressType, Exclusion, RulePackId};
use serde::Serialize;
use sqlx::Row;
use time::Date;

use crate::audit::AuditRecord;
use crate::congress::{
    Absence, CongressContent, CongressKind, PERSON_COLUMNS, Person, PersonRole, RollEntry,
    SessionKind, Standing, congress_on, person_from_row,
};
use crate::rows::date_text;
use crate::units::next_id;
use crate::{Page, Paged, Store, StoreError, WriteTx};

/// The editable settings of a congress.
#[derive(Debug, Clone)]
pub struct CongressEdit {
    /// Lần thứ.
    pub ordinal: Option<i64>,
    /// First year of the term.
    pub term_start: i64,
    /// Last year of the term.
    pub term_end: i64,
    /// Members' or delegates' congress.
    pub kind: CongressKind,
    /// 4 items or 2 items.
    pub content: CongressContent,
    /// Rule pack code.
    pub rules: String,
    /// Title (kept as is when empty).
    pub title: String,
    /// Place name for dated documents.
    pub place: Option<String>,
    /// Minimum attendance share: numerator.
    pub quorum_num: i64,
    /// Minimum attendance share: denominator.
    pub quorum_den: i64,
    /// The sessions in order (a preparatory session first, if any; then the official one).
    pub sessions: Vec<SessionEdit>,
}

/// One session as edited.
#[derive(Debug, Clone)]
pub struct SessionEdit {
    /// Preparatory or official.
    pub kind: SessionKind,
    /// First day.
    pub starts_on: Option<Date>,
    /// Last day.
    pub ends_on: Option<Date>,
    /// Venue.
    pub venue: Option<String>,
}

/// A person's status for the roster's filters, derived from standing, absence, check-ins and
/// seated alternates (election-rules §6.1, §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RosterStatus {
    /// Checked in for the current session and in the hall.
    Present,
    /// Absent for the congress with a reason the convening committee approved.
    AbsentApproved,
    /// Absent without an approved reason.
    AbsentUnexcused,
    /// Not checked in yet, no decision recorded.
    NotArrived,
    /// Checked in earlier, not in the hall now.
    Left,
    /// Exempt from work and party activity.
    Exempt,
    /// Temporarily transferred elsewhere.
    TemporarilyTransferred,
    /// Suspended.
    Suspended,
    /// Prosecuted, indicted or detained.
    Prosecuted,
    /// Not summoned.
    NotSummoned,
    /// An official delegate whose seat an alternate took.
    ReplacedByAlternate,
}

impl RosterStatus {
    /// Every status, in the order the filter lists them.
    pub const ALL: [RosterStatus; 11] = [
        RosterStatus::Present,
        RosterStatus::NotArrived,
        RosterStatus::Left,
        RosterStatus::AbsentApproved,
        RosterStatus::AbsentUnexcused,
        RosterStatus::Exempt,
        RosterStatus::TemporarilyTransferred,
        RosterStatus::Suspended,
        RosterStatus::Prosecuted,
        RosterStatus::NotSummoned,
        RosterStatus::ReplacedByAlternate,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            RosterStatus::Present => "present",
            RosterStatus::AbsentApproved => "absent_approved",
            RosterStatus::AbsentUnexcused => "absent_unexcused",
            RosterStatus::NotArrived => "not_arrived",
            RosterStatus::Left => "left",
            RosterStatus::Exempt => "exempt",
            RosterStatus::TemporarilyTransferred => "temporarily_transferred",
            RosterStatus::Suspended => "suspended",
            RosterStatus::Prosecuted => "prosecuted",
            RosterStatus::NotSummoned => "not_summoned",
            RosterStatus::ReplacedByAlternate => "replaced_by_alternate",
        }
    }

    /// Reads a code.
    pub fn parse(code: &str) -> Option<RosterStatus> {
        RosterStatus::ALL.into_iter().find(|status| status.code() == code)
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            RosterStatus::Present => "Có mặt",
            RosterStatus::AbsentApproved => "Vắng có lý do được chấp thuận",
            RosterStatus::AbsentUnexcused => "Vắng không lý do",
            RosterStatus::NotArrived => "Chưa điểm danh",
            RosterStatus::Left => "Đã rời hội trường",
            RosterStatus::Exempt => "Miễn sinh hoạt",
            RosterStatus::TemporarilyTransferred => "Sinh hoạt tạm thời nơi khác",
            RosterStatus::Suspended => "Đình chỉ sinh hoạt",
            RosterStatus::Prosecuted => "Bị khởi tố, truy tố, tạm giam",
            RosterStatus::NotSummoned => "Không triệu tập",
            RosterStatus::ReplacedByAlternate => "Được dự khuyết thay thế",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            RosterStatus::Present => "Present",
            RosterStatus::AbsentApproved => "Absent, reason approved",
            RosterStatus::AbsentUnexcused => "Absent without approved reason",
            RosterStatus::NotArrived => "Not checked in",
            RosterStatus::Left => "Left the hall",
            RosterStatus::Exempt => "Exempt from activity",
            RosterStatus::TemporarilyTransferred => "Temporarily transferred",
            RosterStatus::Suspended => "Suspended",
            RosterStatus::Prosecuted => "Prosecuted or detained",
            RosterStatus::NotSummoned => "Not summoned",
            RosterStatus::ReplacedByAlternate => "Replaced by an alternate",
        }
    }

    /// The SQL condition selecting people with this status (`p` is `congress_people`).
    fn condition(self) -> &'static str {
        match self {
            RosterStatus::Present => {
                "EXISTS (SELECT 1 FROM checkins c JOIN congress_sessions s ON s.id = c.session_id \
                 WHERE c.person_id = p.id AND s.is_current = 1 AND c.left_at IS NULL)"
            }
            RosterStatus::Left => {
                "EXISTS (SELECT 1 FROM checkins c WHERE c.person_id = p.id) AND NOT EXISTS \
                 (SELECT 1 FROM checkins c JOIN congress_sessions s ON s.id = c.session_id \
                 WHERE c.person_id = p.id AND s.is_current = 1 AND c.left_at IS NULL)"
            }
            RosterStatus::NotArrived => {
                "NOT EXISTS (SELECT 1 FROM checkins c WHERE c.person_id = p.id) \
                 AND p.absence = 'none' AND p.standing = 'active'"
            }
            RosterStatus::AbsentApproved => "p.absence = 'approved'",
            RosterStatus::AbsentUnexcused => "p.absence = 'unexcused'",
            RosterStatus::Exempt => "p.standing = 'exempt'",
            RosterStatus::TemporarilyTransferred => "p.standing = 'temporarily_transferred'",
            RosterStatus::Suspended => "p.standing = 'suspended'",
            RosterStatus::Prosecuted => "p.standing = 'prosecuted'",
            RosterStatus::NotSummoned => "p.standing = 'not_summoned'",
            RosterStatus::ReplacedByAlternate => {
                "EXISTS (SELECT 1 FROM congress_people a WHERE a.seated_for = p.id)"
            }
        }
    }
}

/// What the roster page filters on.
#[derive(Debug, Clone, Default)]
pub struct RosterFilter {
    /// Part of a name (accents optional).
    pub query: Option<String>,
    /// Role.
    pub role: Option<PersonRole>,
    /// Status.
    pub status: Option<RosterStatus>,
}

/// A roster row: the person and their attendance now.
#[derive(Debug, Clone, Serialize)]
pub struct RosterRow {
    /// The person.
    pub person: Person,
    /// In the hall for the current session.
    pub present_now: bool,
    /// Checked in at any session.
    pub attended: bool,
    /// The alternate seated in this delegate's place, if any: (id, name).
    pub replaced_by: Option<(i64, String)>,
}

impl RosterRow {
    /// The one status shown for this person (decisions first, then attendance).
    pub fn status(&self) -> RosterStatus {
        let person = &self.person;
        if self.present_now {
            return RosterStatus::Present;
        }
        if self.replaced_by.is_some() {
            return RosterStatus::ReplacedByAlternate;
        }
        match person.standing {
            Standing::NotSummoned => return RosterStatus::NotSummoned,
            Standing::Suspended => return RosterStatus::Suspended,
            Standing::Prosecuted => return RosterStatus::Prosecuted,
            _ => {}
        }
        match person.absence {
            Absence::Approved => return RosterStatus::AbsentApproved,
            Absence::Unexcused => return RosterStatus::AbsentUnexcused,
            Absence::None => {}
        }
        match person.standing {
            Standing::Exempt => RosterStatus::Exempt,
            Standing::TemporarilyTransferred => RosterStatus::TemporarilyTransferred,
            _ if self.attended => RosterStatus::Left,
            _ => RosterStatus::NotArrived,
        }
    }
}

/// One line of D's derivation, labelled for people.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BaseLine {
    /// `summoned` or the exclusion's code.
    pub code: &'static str,
    /// Vietnamese label.
    pub label_vi: &'static str,
    /// English label.
    pub label_en: &'static str,
    /// Amount added (negative for exclusions).
    pub delta: i64,
}

/// The majority base D of an election held now, with how it was derived.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MajorityBase {
    /// D.
    pub value: u32,
    /// Those summoned.
    pub summoned: u32,
    /// Those present (an alternate in an absent delegate's seat counts).
    pub present: u32,
    /// Summoned first, then each exclusion that occurs.
    pub derivation: Vec<BaseLine>,
    /// The clause defining D, in Vietnamese.
    pub cites_vi: String,
    /// The clause defining D, in English.
    pub cites_en: String,
    /// The rule pack used.
    pub rules: &'static str,
    /// The congress type (`members`, `delegates`).
    pub congress_type: &'static str,
    /// More than half of D: the fewest votes that elect.
    pub votes_needed: u32,
}

/// Vietnamese and English labels of a line of D's derivation.
pub fn base_item_labels(item: BaseItem, congress: CongressType) -> (&'static str, &'static str) {
    match item {
        BaseItem::Summoned => match congress {
            CongressType::Members => {
                ("Đảng viên chính thức được triệu tập", "Official members summoned")
            }
            _ => ("Đại biểu chính thức được triệu tập", "Official delegates summoned"),
        },
        BaseItem::Excluded(exclusion) => match exclusion {
            Exclusion::TemporarilyTransferredAbsent => (
                "Sinh hoạt tạm thời ở đảng bộ khác, không dự đại hội",
                "On temporary transfer, not attending",
            ),
            Exclusion::ExemptAbsent => (
                "Miễn công tác và sinh hoạt đảng, không dự đại hội",
                "Exempt from activity, not attending",
            ),
            Exclusion::Suspended => ("Đình chỉ sinh hoạt đảng", "Suspended"),
            Exclusion::Prosecuted => ("Bị khởi tố, truy tố, tạm giam", "Prosecuted or detained"),
            Exclusion::AbsentApproved => (
                "Vắng mặt suốt thời gian đại hội có lý do được cấp ủy triệu tập đồng ý",
                "Absent for the whole congress with an approved reason",
            ),
            Exclusion::CommitteeAbsent => (
                "Cấp ủy viên cấp triệu tập vắng mặt suốt thời gian đại hội",
                "Convening-committee members absent for the whole congress",
            ),
            Exclusion::DelegateAbsentUnreplaced => (
                "Đại biểu chính thức vắng mặt suốt thời gian đại hội, không có dự khuyết thay thế",
                "Official delegates absent for the whole congress, not replaced",
            ),
        },
    }
}

/// The core's congress type for a congress kind.
pub fn congress_type(kind: CongressKind) -> CongressType {
    match kind {
        CongressKind::Members => CongressType::Members,
        CongressKind::Delegates => CongressType::Delegates,
    }
}

/// Turns the roll into one status per voter for D (pure, so it is tested without a database).
///
/// Members' congress (190 Art. 30 cl. 2): official members; the exempt and transferred count
/// only if they attended; a person who attended any session and is not in the hall now has
/// left before the vote and stays in D. Delegates' congress (cl. 3): ex officio, elected and
/// appointed delegates; a delegate whose seated alternate is in the hall is "replaced"; people
/// suspended or prosecuted before the opening are not summoned at all (HD 04-HD/TW 2024).
pub fn roll_people(kind: CongressKind, roll: &[RollEntry]) -> Vec<RollPerson> {
    let mut people = Vec::new();
    for entry in roll {
        let voter = matches!(
            (kind, entry.role),
            (CongressKind::Members, PersonRole::OfficialMember)
                | (
                    CongressKind::Delegates,
                    PersonRole::ExOfficio | PersonRole::Elected | PersonRole::Appointed
                )
        );
        if !voter {
            continue;
        }
        let alternate = roll.iter().find(|other| other.seated_for == Some(entry.person_id));
        let absent = || match entry.absence {
            Absence::Approved => RollStatus::AbsentApproved,
            _ => RollStatus::AbsentUnexcused,
        };
        let status = match (kind, entry.standing) {
            (_, Standing::NotSummoned) => RollStatus::NotSummoned,
            (CongressKind::Delegates, Standing::Suspended | Standing::Prosecuted) => {
                RollStatus::NotSummoned
            }
            (CongressKind::Members, Standing::Suspended) => RollStatus::Suspended,
            (CongressKind::Members, Standing::Prosecuted) => RollStatus::Prosecuted,
            _ if entry.present_now => match (kind, entry.standing) {
                (CongressKind::Members, Standing::Exempt) => RollStatus::ExemptPresent,
                (CongressKind::Members, Standing::TemporarilyTransferred) => {
                    RollStatus::TransferredPresent
                }
                _ => RollStatus::Present,
            },
            _ if entry.attended => RollStatus::LeftBeforeVote,
            (CongressKind::Members, Standing::Exempt) => RollStatus::ExemptAbsent,
            (CongressKind::Members, Standing::TemporarilyTransferred) => {
                RollStatus::TransferredAbsent
            }
            (CongressKind::Delegates, _) => match alternate {
                Some(alternate) if alternate.present_now => RollStatus::ReplacedByAlternate,
                // The alternate came but is out of the hall now: the seat stays in D.
                Some(alternate) if alternate.attended => RollStatus::LeftBeforeVote,
                _ => absent(),
            },
            (CongressKind::Members, _) => absent(),
        };
        people
            .push(RollPerson { status, convening_committee: entry.role == PersonRole::ExOfficio });
    }
    people
}

impl Store {
    /// Changes a congress's settings and sessions. A session that has check-ins cannot be
    /// removed.
    pub async fn update_congress(
        &self,
        tx: &mut WriteTx,
        id: i64,
        version: i64,
        edit: &CongressEdit,
    ) -> Result<crate::congress::Congress, StoreError> {
        check_edit(edit)?;
        let at = tx.at();
        let before = congress_on(tx.conn(), id).await?;
        if before.version != version {
            return Err(StoreError::Stale);
        }
        if edit.kind != before.kind {
            let people: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM congress_people WHERE congress_id = $1")
                    .bind(id)
                    .fetch_one(tx.conn())
                    .await?;
            if people > 0 {
                return Err(StoreError::rule(
                    "kind_locked",
                    "kind",
                    "Đã có danh sách triệu tập: không đổi được hình thức đại hội.",
                    "The roster is drawn up: the kind of congress can no longer change.",
                ));
            }
        }
        let title = if edit.title.trim().is_empty() {
            before.title.clone()
        } else {
            daihoi_core::vn::nfc(edit.title.trim())
        };
        sqlx::query(
            "UPDATE congresses SET ordinal = $1, term_start = $2, term_end = $3, kind = $4, \
             content = $5, rules = $6, title = $7, place = $8, quorum_num = $9, quorum_den = $10, \
             updated_at = $11, version = version + 1 WHERE id = $12",
        )
        .bind(edit.ordinal)
        .bind(edit.term_start)
        .bind(edit.term_end)
        .bind(edit.kind.code())
        .bind(edit.content.code())
        .bind(&edit.rules)
        .bind(&title)
        .bind(edit.place.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .bind(edit.quorum_num)
        .bind(edit.quorum_den)
        .bind(at)
        .bind(id)
        .execute(tx.conn())
        .await?;
        let existing: Vec<(i64, i64, bool)> = sqlx::query(
            "SELECT s.id, s.number, s.is_current, \
             (SELECT COUNT(*) FROM checkins c WHERE c.session_id = s.id) AS n \
             FROM congress_sessions s WHERE s.congress_id = $1 ORDER BY s.number",
        )
        .bind(id)
        .fetch_all(tx.conn())
        .await?
        .iter()
        .map(|row| -> Result<(i64, i64, bool), sqlx::Error> {
            Ok((row.try_get("id")?, row.try_get("number")?, row.try_get::<i64, _>("n")? > 0))
        })
        .collect::<Result<_, _>>()?;
        for (index, session) in edit.sessions.iter().enumerate() {
            let number = index as i64 + 1;
            let venue = session.venue.as_deref().map(str::trim).filter(|s| !s.is_empty());
            if let Some((session_id, ..)) = existing.iter().find(|(_, n, _)| *n == number) {
                sqlx::query(
                    "UPDATE congress_sessions SET kind = $1, label = $2, starts_on = $3, \
                     ends_on = $4, venue = $5 WHERE id = $6",
                )
                .bind(session.kind.code())
                .bind(session.kind.label_vi())
                .bind(date_text(session.starts_on))
                .bind(date_text(session.ends_on))
                .bind(venue)
                .bind(session_id)
                .execute(tx.conn())
                .await?;
            } else {
                let session_id = next_id(tx.conn(), "congress_sessions").await?;
                sqlx::query(
                    "INSERT INTO congress_sessions (id, congress_id, kind, number, label, \
                     starts_on, ends_on, venue, is_current) VALUES ($1, $2, $3, $4, $5, $6, $7, \
                     $8, 0)",
                )
                .bind(session_id)
                .bind(id)
                .bind(session.kind.code())
                .bind(number)
                .bind(session.kind.label_vi())
                .bind(date_text(session.starts_on))
                .bind(date_text(session.ends_on))
                .bind(venue)
                .execute(tx.conn())
                .await?;
            }
        }
        for (session_id, number, has_checkins) in &existing {
            if *number as usize > edit.sessions.len() {
                if *has_checkins {
                    return Err(StoreError::rule(
                        "session_has_checkins",
                        "sessions",
                        "Không bỏ được phiên họp đã có đại biểu điểm danh.",
                        "A session with check-ins cannot be removed.",
                    ));
                }
                sqlx::query("DELETE FROM congress_sessions WHERE id = $1")
                    .bind(session_id)
                    .execute(tx.conn())
                    .await?;
            }
        }
        // Exactly one session is current: keep the current one if it remains, else the first.
        let current: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM congress_sessions WHERE congress_id = $1 AND is_current = 1",
        )
        .bind(id)
        .fetch_one(tx.conn())
        .await?;
        if current == 0 {
            sqlx::query(
                "UPDATE congress_sessions SET is_current = 1 WHERE congress_id = $1 AND number = 1",
            )
            .bind(id)
            .execute(tx.conn())
            .await?;
        }
        let after = congress_on(tx.conn(), id).await?;
        tx.audit(
            AuditRecord::new("congress.update", "congress", id)
                .in_unit(after.unit_id, &after.unit_path)
                .before(&before)
                .after(serde_json::json!({ "congress": &after, "sessions": edit.sessions.len() })),
        )
        .await?;
        Ok(after)
    }

    /// The roster with each person's attendance now, filtered, in Vietnamese name order.
    pub async fn roster(
        &self,
        congress_id: i64,
        filter: &RosterFilter,
        page: Page,
    ) -> Result<Paged<RosterRow>, StoreError> {
        let mut conditions = vec!["p.congress_id = $1".to_string()];
        let mut binds: Vec<String> = Vec::new();
        if let Some(query) =
            filter.query.as_deref().map(daihoi_core::vn::fold).filter(|q| !q.trim().is_empty())
        {
            binds.push(format!("%{}%", query.replace(['%', '_'], "")));
            conditions.push(format!("p.name_fold LIKE ${}", binds.len() + 1));
        }
        if let Some(role) = filter.role {
            binds.push(role.code().to_string());
            conditions.push(format!("p.role = ${}", binds.len() + 1));
        }
        if let Some(status) = filter.status {
            conditions.push(format!("({})", status.condition()));
        }
        let where_clause = conditions.join(" AND ");
        let columns = PERSON_COLUMNS
            .split(", ")
            .map(|column| format!("p.{}", column.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut count = sqlx::query_scalar::<_, i64>(sqlf!(
            "SELECT COUNT(*) FROM congress_people p WHERE {where_clause}"
        ))
        .bind(congress_id);
        let mut list = sqlx::query(sqlf!(
            "SELECT {columns}, \
             (SELECT COUNT(*) FROM checkins c WHERE c.person_id = p.id) AS n_checkins, \
             (SELECT COUNT(*) FROM checkins c JOIN congress_sessions s ON s.id = c.session_id \
               WHERE c.person_id = p.id AND s.is_current = 1 AND c.left_at IS NULL) AS here_now, \
             (SELECT MIN(a.id) FROM congress_people a WHERE a.seated_for = p.id) AS alt_id \
             FROM congress_people p WHERE {where_clause} ORDER BY p.name_key, p.id \
             LIMIT {} OFFSET {}",
            page.limit(),
            page.offset()
        ))
        .bind(congress_id);
        for bind in &binds {
            count = count.bind(bind);
            list = list.bind(bind);
        }
        let total = count.fetch_one(self.pool()).await?;
        let rows = list.fetch_all(self.pool()).await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in &rows {
            let person = person_from_row(row)?;
            let alt_id: Option<i64> = row.try_get("alt_id")?;
            let replaced_by = match alt_id {
                Some(alt_id) => {
                    let name: String =
                        sqlx::query_scalar("SELECT full_name FROM congress_people WHERE id = $1")
                            .bind(alt_id)
                            .fetch_one(self.pool())
                            .await?;
                    Some((alt_id, name))
                }
                None => None,
            };
            items.push(RosterRow {
                person,
                present_now: row.try_get::<i64, _>("here_now")? > 0,
                attended: row.try_get::<i64, _>("n_checkins")? > 0,
                replaced_by,
            });
        }
        Ok(Paged { items, total, page: page.number, page_size: page.size })
    }

    /// Adds a roster read from a file: every person or none. Rows are added in file order, so
    /// badge numbers follow it.
    pub async fn import_roster(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        people: &[crate::congress::NewPerson],
        file_name: &str,
        sha256: &str,
    ) -> Result<Vec<Person>, StoreError> {
        let congress = congress_on(tx.conn(), congress_id).await?;
        let added = self.add_people(tx, congress_id, people).await?;
        tx.audit(
            AuditRecord::new("congress.people.import", "congress", congress_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(serde_json::json!({
                    "file": file_name,
                    "sha256": sha256,
                    "rows": people.len(),
                    "first_person_id": added.first().map(|p| p.id),
                    "last_person_id": added.last().map(|p| p.id),
                })),
        )
        .await?;
        Ok(added)
    }

    /// The majority base D of an election held now at this congress, from the statuses on the
    /// roll and the check-ins of the current session, under the congress's rule pack.
    pub async fn majority_base(&self, congress_id: i64) -> Result<MajorityBase, StoreError> {
        let congress = self.congress(congress_id).await?;
        let roll = self.roll(congress_id).await?;
        let pack_id = RulePackId::from_code(&congress.rules).unwrap_or_default();
        let pack = pack_id.pack();
        let congress_type = congress_type(congress.kind);
        let people = roll_people(congress.kind, &roll);
        let computed = Roll::from_people(pack, congress_type, &people).map_err(|error| {
            StoreError::rule(
                "no_base",
                "base",
                format!("Chưa tính được số đại biểu làm căn cứ (D): {error}."),
                format!("The majority base D cannot be computed: {error}."),
            )
        })?;
        let base = computed.base();
        let derivation = base
            .derivation()
            .iter()
            .map(|step| {
                let (label_vi, label_en) = base_item_labels(step.item, congress_type);
                BaseLine { code: step.item.code(), label_vi, label_en, delta: step.delta }
            })
            .collect();
        let value = base.value();
        Ok(MajorityBase {
            value,
            summoned: computed.summoned,
            present: computed.present,
            derivation,
            cites_vi: base.cites().vi(),
            cites_en: base.cites().en(),
            rules: pack_id.code(),
            congress_type: congress_type.code(),
            votes_needed: value / 2 + 1,
        })
    }
}

fn check_edit(edit: &CongressEdit) -> Result<(), StoreError> {
    if edit.term_end <= edit.term_start || edit.term_start < 1930 || edit.term_end > 2200 {
        return Err(StoreError::rule(
            "bad_term",
            "term_start",
            "Nhiệm kỳ không hợp lệ: năm kết thúc phải sau năm bắt đầu.",
            "The term is not valid: the last year must come after the first.",
        ));
    }
    if edit.ordinal.is_some_and(|n| !(1..=100).contains(&n)) {
        return Err(StoreError::rule(
            "bad_ordinal",
            "ordinal",
            "Số thứ tự đại hội (lần thứ) phải từ 1 đến 100.",
            "The congress ordinal must be between 1 and 100.",
        ));
    }
    if RulePackId::from_code(&edit.rules).is_none() {
        return Err(StoreError::rule(
            "unknown_rules",
            "rules",
            format!("Không có bộ quy tắc “{}”.", edit.rules),
            format!("There is no rule pack “{}”.", edit.rules),
        ));
    }
    if edit.quorum_den < 1 || edit.quorum_num < 1 || edit.quorum_num > edit.quorum_den {
        return Err(StoreError::rule(
            "bad_quorum",
            "quorum",
            "Tỷ lệ có mặt tối thiểu phải là một phân số từ 1/… đến 1 (ví dụ 2/3).",
            "The attendance minimum must be a fraction between 1/… and 1 (for example 2/3).",
        ));
    }
    if edit.sessions.is_empty() {
        return Err(StoreError::rule(
            "no_session",
            "sessions",
            "Đại hội cần ít nhất phiên chính thức.",
            "A congress needs at least its official session.",
        ));
    }
    for session in &edit.sessions {
        if let (Some(start), Some(end)) = (session.starts_on, session.ends_on)
            && end < start
        {
            return Err(StoreError::rule(
                "bad_session_dates",
                "sessions",
                "Ngày kết thúc phiên họp trước ngày bắt đầu.",
                "A session ends before it starts.",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, role: PersonRole, standing: Standing, absence: Absence) -> RollEntry {
        RollEntry {
            person_id: id,
            role,
            holds_vote: true,
            standing,
            absence,
            attended: false,
            present_now: false,
            seated_for: None,
        }
    }

    #[test]
    fn members_exempt_count_only_when_they_attend() {
        let mut here = entry(1, PersonRole::OfficialMember, Standing::Exempt, Absence::None);
        here.present_now = true;
        here.attended = true;
        let away = entry(2, PersonRole::OfficialMember, Standing::Exempt, Absence::None);
        let approved = entry(3, PersonRole::OfficialMember, Standing::Active, Absence::Approved);
        let unexcused = entry(4, PersonRole::OfficialMember, Standing::Active, Absence::None);
        let probationary =
            entry(5, PersonRole::ProbationaryMember, Standing::Active, Absence::None);
        let people =
            roll_people(CongressKind::Members, &[here, away, approved, unexcused, probationary]);
        let statuses: Vec<_> = people.iter().map(|p| p.status).collect();
        assert_eq!(
            statuses,
            [
                RollStatus::ExemptPresent,
                RollStatus::ExemptAbsent,
                RollStatus::AbsentApproved,
                RollStatus::AbsentUnexcused
            ]
        );
    }

    #[test]
    fn a_delegate_is_replaced_only_by_an_alternate_in_the_hall() {
        let delegate = entry(1, PersonRole::Elected, Standing::Active, Absence::Approved);
        let mut alternate = entry(2, PersonRole::Alternate, Standing::Active, Absence::None);
        alternate.seated_for = Some(1);
        alternate.present_now = true;
        alternate.attended = true;
        let committee = entry(3, PersonRole::ExOfficio, Standing::Active, Absence::Unexcused);
        let suspended = entry(4, PersonRole::Appointed, Standing::Suspended, Absence::None);
        let people = roll_people(
            CongressKind::Delegates,
            &[delegate.clone(), alternate.clone(), committee, suspended],
        );
        let statuses: Vec<_> = people.iter().map(|p| (p.status, p.convening_committee)).collect();
        assert_eq!(
            statuses,
            [
                (RollStatus::ReplacedByAlternate, false),
                (RollStatus::AbsentUnexcused, true),
                (RollStatus::NotSummoned, false)
            ]
        );
        alternate.present_now = false;
        alternate.attended = false;
        let people = roll_people(CongressKind::Delegates, &[delegate, alternate]);
        assert_eq!(people[0].status, RollStatus::AbsentApproved);
    }
}
