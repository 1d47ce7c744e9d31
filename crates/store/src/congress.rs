//! Congresses, their sessions, the roster of people summoned with their statuses, and
//! check-in: everything the majority base D of an election is computed from.
//!
//! Statuses follow the regulation's words (election-rules §6.1, §7): a person's *standing*
//! (exempt, temporarily transferred, suspended, prosecuted, not summoned) and a declared
//! *absence* for the whole congress (approved reason or not) are decisions, recorded with who
//! decided and when; *presence* comes from check-ins per session.

use std::collections::BTreeMap;

use daihoi_core::member::{MemberStatus, Membership, Sex};
use daihoi_core::vn;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::Date;

use crate::audit::AuditRecord;
use crate::rows::{date_text, parse_date};
use crate::units::{next_id, unit_on};
use crate::{Page, Paged, Store, StoreError, WriteTx};

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $vi:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// Stable code.
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),* } }
            /// Vietnamese label.
            pub fn label_vi(self) -> &'static str { match self { $($name::$variant => $vi),* } }
            /// English label.
            pub fn label_en(self) -> &'static str { match self { $($name::$variant => $en),* } }
            /// Parses a stable code.
            pub fn parse(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|value| value.code() == code)
            }
        }
    };
}

code_enum!(
    /// Đại hội đảng viên or đại hội đại biểu.
    CongressKind {
        /// All official members vote.
        Members => "members", "Đại hội đảng viên", "Members' congress";
        /// Delegates vote.
        Delegates => "delegates", "Đại hội đại biểu", "Delegates' congress";
    }
);

code_enum!(
    /// What the congress does (2025: merged units hold a 2-item congress without elections).
    CongressContent {
        /// Review, documents, elect the committee, elect delegates upward.
        FourItems => "four_items", "4 nội dung", "4 items";
        /// Review and documents only; committee and delegates are appointed.
        TwoItems => "two_items", "2 nội dung (không bầu cử)", "2 items (no elections)";
    }
);

code_enum!(
    /// Where the congress stands.
    CongressStatus {
        /// Being prepared.
        Preparing => "preparing", "Đang chuẩn bị", "Preparing";
        /// In session.
        InSession => "in_session", "Đang họp", "In session";
        /// Closed.
        Closed => "closed", "Đã bế mạc", "Closed";
    }
);

code_enum!(
    /// The preparatory or the official session (HD 01-HD/TW 2021, item 14).
    SessionKind {
        /// Phiên trù bị.
        Preparatory => "preparatory", "Phiên trù bị", "Preparatory session";
        /// Phiên chính thức.
        Official => "official", "Phiên chính thức", "Official session";
    }
);

code_enum!(
    /// Why a person is on the roster.
    PersonRole {
        /// Đảng viên chính thức (members' congress): votes.
        OfficialMember => "official_member", "Đảng viên chính thức", "Official member";
        /// Đảng viên dự bị (members' congress): attends without voting.
        ProbationaryMember => "probationary_member", "Đảng viên dự bị", "Probationary member";
        /// Đại biểu đương nhiên: a member of the convening (outgoing) committee.
        ExOfficio => "ex_officio", "Đại biểu đương nhiên", "Ex-officio delegate";
        /// Đại biểu được bầu by a subordinate congress.
        Elected => "elected", "Đại biểu được bầu", "Elected delegate";
        /// Đại biểu chỉ định.
        Appointed => "appointed", "Đại biểu chỉ định", "Appointed delegate";
        /// Đại biểu dự khuyết: votes only when seated in place of an absent delegate.
        Alternate => "alternate", "Đại biểu dự khuyết", "Alternate delegate";
        /// Khách mời: no vote.
        Guest => "guest", "Khách mời", "Guest";
    }
);

code_enum!(
    /// A person's standing, decided before or during the congress.
    Standing {
        /// Normal.
        Active => "active", "Bình thường", "Active";
        /// Miễn công tác và sinh hoạt đảng: in D only if attending.
        Exempt => "exempt", "Miễn sinh hoạt", "Exempt from activity";
        /// Sinh hoạt tạm thời ở đảng bộ khác: in D only if attending.
        TemporarilyTransferred => "temporarily_transferred", "Sinh hoạt tạm thời nơi khác", "Temporarily transferred";
        /// Đình chỉ sinh hoạt: not in D.
        Suspended => "suspended", "Đình chỉ sinh hoạt", "Suspended";
        /// Bị khởi tố, truy tố, tạm giam: not in D.
        Prosecuted => "prosecuted", "Bị khởi tố, truy tố, tạm giam", "Prosecuted or detained";
        /// Không triệu tập (HD 04-HD/TW 2024): not summoned at all.
        NotSummoned => "not_summoned", "Không triệu tập", "Not summoned";
    }
);

code_enum!(
    /// A declared absence for the whole congress.
    Absence {
        /// Not declared absent.
        None => "none", "Không", "None";
        /// Vắng mặt cả kỳ đại hội có lý do được cấp ủy triệu tập đồng ý: out of D.
        Approved => "approved", "Vắng có lý do được chấp thuận", "Absent, reason approved";
        /// Vắng không có lý do được chấp thuận: stays in D.
        Unexcused => "unexcused", "Vắng không lý do", "Absent without approved reason";
    }
);

code_enum!(
    /// The credentials committee's decision on a delegate (190 Art. 7).
    Credentials {
        /// Not reviewed yet.
        Pending => "pending", "Chưa thẩm tra", "Not reviewed";
        /// Đủ tư cách.
        Accepted => "accepted", "Đủ tư cách đại biểu", "Credentials accepted";
        /// Không đủ tư cách.
        Rejected => "rejected", "Không đủ tư cách", "Credentials rejected";
    }
);

/// A congress of a unit.
#[derive(Debug, Clone, Serialize)]
pub struct Congress {
    /// Id.
    pub id: i64,
    /// The unit holding it.
    pub unit_id: i64,
    /// The unit's path (scope checks).
    pub unit_path: String,
    /// Lần thứ (None for a newly founded unit's first congress written without a number).
    pub ordinal: Option<i64>,
    /// First year of the term.
    pub term_start: i64,
    /// Last year of the term.
    pub term_end: i64,
    /// Members' or delegates' congress.
    pub kind: CongressKind,
    /// 4 items or 2 items.
    pub content: CongressContent,
    /// Rule pack id (`qd190-2024`).
    pub rules: String,
    /// Full title.
    pub title: String,
    /// Place name for dated documents ("Điện Biên Phủ").
    pub place: Option<String>,
    /// Venue.
    pub venue: Option<String>,
    /// Minimum attendance share, numerator (default 2/3; unconfirmed in the regulation).
    pub quorum_num: i64,
    /// Minimum attendance share, denominator.
    pub quorum_den: i64,
    /// Pilot congress (đại hội điểm).
    pub pilot: bool,
    /// Preparing, in session, closed.
    pub status: CongressStatus,
    /// Campaign it belongs to.
    pub campaign_id: Option<i64>,
    /// Version.
    pub version: i64,
}

/// A congress to create.
#[derive(Debug, Clone)]
pub struct NewCongress {
    /// The unit.
    pub unit_id: i64,
    /// Lần thứ.
    pub ordinal: Option<i64>,
    /// First year of the term.
    pub term_start: i64,
    /// Last year of the term.
    pub term_end: i64,
    /// Members' or delegates'.
    pub kind: CongressKind,
    /// 4 or 2 items.
    pub content: CongressContent,
    /// Rule pack.
    pub rules: String,
    /// Title; generated from the unit when empty.
    pub title: String,
    /// Place for dates.
    pub place: Option<String>,
    /// Venue.
    pub venue: Option<String>,
    /// Pilot.
    pub pilot: bool,
    /// Sessions: kind, label, first day, last day.
    pub sessions: Vec<(SessionKind, Option<Date>, Option<Date>)>,
}

/// A session of a congress.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    /// Id.
    pub id: i64,
    /// Congress.
    pub congress_id: i64,
    /// Preparatory or official.
    pub kind: SessionKind,
    /// 1, 2, …
    pub number: i64,
    /// Label.
    pub label: String,
    /// First day.
    pub starts_on: Option<Date>,
    /// Last day.
    pub ends_on: Option<Date>,
    /// Venue.
    pub venue: Option<String>,
    /// The session check-in currently applies to.
    pub is_current: bool,
}

/// A person on a congress roster.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    /// Id.
    pub id: i64,
    /// Congress.
    pub congress_id: i64,
    /// The member record, when taken from a roster.
    pub member_id: Option<i64>,
    /// Full name.
    pub full_name: String,
    /// Birth date.
    pub birth_date: Option<Date>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Ethnicity.
    pub ethnicity: Option<String>,
    /// Delegation or unit of origin, as printed.
    pub delegation: Option<String>,
    /// The unit they come from.
    pub source_unit_id: Option<i64>,
    /// Why they are on the roster.
    pub role: PersonRole,
    /// For alternates: their order of replacement (1 first).
    pub alternate_rank: Option<i64>,
    /// Badge number (unique in the congress).
    pub badge_no: i64,
    /// Standing.
    pub standing: Standing,
    /// Declared absence for the whole congress.
    pub absence: Absence,
    /// The reason given.
    pub absence_reason: Option<String>,
    /// For a seated alternate: the delegate whose seat they took.
    pub seated_for: Option<i64>,
    /// Credentials decision.
    pub credentials: Credentials,
    /// Credentials note.
    pub credentials_note: Option<String>,
    /// Who made the last status decision.
    pub decided_by: Option<String>,
    /// When (ms since the epoch).
    pub decided_at: Option<i64>,
    /// Version.
    pub version: i64,
}

impl Person {
    /// Whether this person holds a vote at the congress: official members, official delegates
    /// (ex officio, elected, appointed), and alternates seated in an absent delegate's place.
    pub fn holds_vote(&self) -> bool {
        match self.role {
            PersonRole::OfficialMember
            | PersonRole::ExOfficio
            | PersonRole::Elected
            | PersonRole::Appointed => true,
            PersonRole::Alternate => self.seated_for.is_some(),
            PersonRole::ProbationaryMember | PersonRole::Guest => false,
        }
    }
}

/// A person to add.
#[derive(Debug, Clone)]
pub struct NewPerson {
    /// Member record.
    pub member_id: Option<i64>,
    /// Full name.
    pub full_name: String,
    /// Birth date.
    pub birth_date: Option<Date>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Ethnicity.
    pub ethnicity: Option<String>,
    /// Delegation label.
    pub delegation: Option<String>,
    /// Unit of origin.
    pub source_unit_id: Option<i64>,
    /// Role.
    pub role: PersonRole,
    /// Alternate rank.
    pub alternate_rank: Option<i64>,
    /// Standing.
    pub standing: Standing,
}

/// A decision on a person's status.
#[derive(Debug, Clone)]
pub struct StatusDecision {
    /// New standing.
    pub standing: Standing,
    /// New declared absence.
    pub absence: Absence,
    /// Reason for the absence or standing.
    pub reason: Option<String>,
    /// Credentials.
    pub credentials: Credentials,
    /// Credentials note.
    pub credentials_note: Option<String>,
}

/// How a check-in went.
#[derive(Debug, Clone, Serialize)]
pub struct CheckIn {
    /// The person.
    pub person: Person,
    /// Whether they were already checked in for this session (nothing changed).
    pub already: bool,
}

/// The attendance figures of a session.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Attendance {
    /// People holding a vote and summoned (the official members or delegates called).
    pub summoned: i64,
    /// Of those, checked in this session.
    pub present: i64,
    /// Of those, not checked in, by reason (`absence`/`standing` code, or `not_arrived`).
    pub absent_by_reason: BTreeMap<String, i64>,
    /// Non-voting people checked in (probationary members, guests, unseated alternates).
    pub others_present: i64,
    /// Whether present × quorum_den ≥ summoned × quorum_num.
    pub quorum_met: bool,
    /// Present share of summoned in basis points (for display only).
    pub share_bp: i64,
}

/// One voter's facts for computing D for an election: role, standing, absence, presence.
#[derive(Debug, Clone, Serialize)]
pub struct RollEntry {
    /// Person id.
    pub person_id: i64,
    /// Role.
    pub role: PersonRole,
    /// Holds a vote.
    pub holds_vote: bool,
    /// Standing.
    pub standing: Standing,
    /// Declared absence.
    pub absence: Absence,
    /// Checked in at any session.
    pub attended: bool,
    /// Checked in at the current session and not marked as left.
    pub present_now: bool,
    /// For a seated alternate, the delegate replaced.
    pub seated_for: Option<i64>,
}

const CONGRESS_COLUMNS: &str = "id, unit_id, unit_path, ordinal, term_start, term_end, kind, \
    content, rules, title, place, venue, quorum_num, quorum_den, pilot, status, campaign_id, version";

fn congress_from_row(row: &AnyRow) -> Result<Congress, sqlx::Error> {
    let code = |name: &str| -> Result<String, sqlx::Error> { row.try_get(name) };
    Ok(Congress {
        id: row.try_get("id")?,
        unit_id: row.try_get("unit_id")?,
        unit_path: row.try_get("unit_path")?,
        ordinal: row.try_get("ordinal")?,
        term_start: row.try_get("term_start")?,
        term_end: row.try_get("term_end")?,
        kind: CongressKind::parse(&code("kind")?).unwrap_or(CongressKind::Members),
        content: CongressContent::parse(&code("content")?).unwrap_or(CongressContent::FourItems),
        rules: row.try_get("rules")?,
        title: row.try_get("title")?,
        place: row.try_get("place")?,
        venue: row.try_get("venue")?,
        quorum_num: row.try_get("quorum_num")?,
        quorum_den: row.try_get("quorum_den")?,
        pilot: row.try_get::<i64, _>("pilot")? != 0,
        status: CongressStatus::parse(&code("status")?).unwrap_or(CongressStatus::Preparing),
        campaign_id: row.try_get("campaign_id")?,
        version: row.try_get("version")?,
    })
}

const SESSION_COLUMNS: &str =
    "id, congress_id, kind, number, label, starts_on, ends_on, venue, is_current";

fn session_from_row(row: &AnyRow) -> Result<Session, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    Ok(Session {
        id: row.try_get("id")?,
        congress_id: row.try_get("congress_id")?,
        kind: SessionKind::parse(&kind).unwrap_or(SessionKind::Official),
        number: row.try_get("number")?,
        label: row.try_get("label")?,
        starts_on: parse_date(row.try_get("starts_on")?),
        ends_on: parse_date(row.try_get("ends_on")?),
        venue: row.try_get("venue")?,
        is_current: row.try_get::<i64, _>("is_current")? != 0,
    })
}

pub(crate) const PERSON_COLUMNS: &str = "id, congress_id, member_id, full_name, birth_date, sex, \
    ethnicity, delegation, source_unit_id, role, alternate_rank, badge_no, standing, absence, \
    absence_reason, seated_for, credentials, credentials_note, decided_by, decided_at, version";

pub(crate) fn person_from_row(row: &AnyRow) -> Result<Person, sqlx::Error> {
    let code = |name: &str| -> Result<String, sqlx::Error> { row.try_get(name) };
    let sex: Option<String> = row.try_get("sex")?;
    Ok(Person {
        id: row.try_get("id")?,
        congress_id: row.try_get("congress_id")?,
        member_id: row.try_get("member_id")?,
        full_name: row.try_get("full_name")?,
        birth_date: parse_date(row.try_get("birth_date")?),
        sex: sex.and_then(|s| Sex::parse(&s)),
        ethnicity: row.try_get("ethnicity")?,
        delegation: row.try_get("delegation")?,
        source_unit_id: row.try_get("source_unit_id")?,
        role: PersonRole::parse(&code("role")?).unwrap_or(PersonRole::Guest),
        alternate_rank: row.try_get("alternate_rank")?,
        badge_no: row.try_get("badge_no")?,
        standing: Standing::parse(&code("standing")?).unwrap_or(Standing::Active),
        absence: Absence::parse(&code("absence")?).unwrap_or(Absence::None),
        absence_reason: row.try_get("absence_reason")?,
        seated_for: row.try_get("seated_for")?,
        credentials: Credentials::parse(&code("credentials")?).unwrap_or(Credentials::Pending),
        credentials_note: row.try_get("credentials_note")?,
        decided_by: row.try_get("decided_by")?,
        decided_at: row.try_get("decided_at")?,
        version: row.try_get("version")?,
    })
}

pub(crate) async fn congress_on(conn: &mut AnyConnection, id: i64) -> Result<Congress, StoreError> {
    let row = sqlx::query(sqlf!("SELECT {CONGRESS_COLUMNS} FROM congresses WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(congress_from_row(&row)?)
}

pub(crate) async fn person_on(conn: &mut AnyConnection, id: i64) -> Result<Person, StoreError> {
    let row = sqlx::query(sqlf!("SELECT {PERSON_COLUMNS} FROM congress_people WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(person_from_row(&row)?)
}

impl Store {
    /// Creates a congress with its sessions.
    pub async fn create_congress(
        &self,
        tx: &mut WriteTx,
        new: NewCongress,
    ) -> Result<Congress, StoreError> {
        if new.term_end <= new.term_start || new.term_start < 1930 || new.term_end > 2200 {
            return Err(StoreError::rule(
                "bad_term",
                "term_start",
                "Nhiệm kỳ không hợp lệ: năm kết thúc phải sau năm bắt đầu.",
                "The term is not valid: the last year must come after the first.",
            ));
        }
        if new.ordinal.is_some_and(|n| !(1..=100).contains(&n)) {
            return Err(StoreError::rule(
                "bad_ordinal",
                "ordinal",
                "Số thứ tự đại hội (lần thứ) phải từ 1 đến 100.",
                "The congress ordinal must be between 1 and 100.",
            ));
        }
        if daihoi_core::rules::RulePackId::from_code(&new.rules).is_none() {
            return Err(StoreError::rule(
                "unknown_rules",
                "rules",
                format!("Không có bộ quy tắc “{}”.", new.rules),
                format!("There is no rule pack “{}”.", new.rules),
            ));
        }
        let at = tx.at();
        let conn = tx.conn();
        let unit = unit_on(conn, new.unit_id).await?;
        let title = if new.title.trim().is_empty() {
            let kind = match new.kind {
                CongressKind::Members => "Đại hội",
                CongressKind::Delegates => "Đại hội đại biểu",
            };
            let ordinal = new
                .ordinal
                .and_then(|n| u32::try_from(n).ok())
                .and_then(daihoi_core::date::congress_ordinal)
                .map(|ordinal| format!(" {ordinal}"))
                .unwrap_or_default();
            format!("{kind} {}{ordinal}, nhiệm kỳ {} - {}", unit.name, new.term_start, new.term_end)
        } else {
            vn::nfc(new.title.trim())
        };
        let id = next_id(conn, "congresses").await?;
        sqlx::query(
            "INSERT INTO congresses (id, unit_id, unit_path, ordinal, term_start, term_end, kind, \
             content, rules, title, place, venue, quorum_num, quorum_den, pilot, status, \
             created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, 2, 3, $13, 'preparing', $14, $14, 1)",
        )
        .bind(id)
        .bind(unit.id)
        .bind(&unit.path)
        .bind(new.ordinal)
        .bind(new.term_start)
        .bind(new.term_end)
        .bind(new.kind.code())
        .bind(new.content.code())
        .bind(&new.rules)
        .bind(&title)
        .bind(new.place.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .bind(new.venue.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .bind(i64::from(new.pilot))
        .bind(at)
        .execute(&mut *conn)
        .await?;
        let sessions = if new.sessions.is_empty() {
            vec![(SessionKind::Official, None, None)]
        } else {
            new.sessions.clone()
        };
        for (index, (kind, starts_on, ends_on)) in sessions.iter().enumerate() {
            let session_id = next_id(conn, "congress_sessions").await?;
            sqlx::query(
                "INSERT INTO congress_sessions (id, congress_id, kind, number, label, starts_on, \
                 ends_on, venue, is_current) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)",
            )
            .bind(session_id)
            .bind(id)
            .bind(kind.code())
            .bind(index as i64 + 1)
            .bind(kind.label_vi())
            .bind(date_text(*starts_on))
            .bind(date_text(*ends_on))
            .bind(i64::from(index == 0))
            .execute(&mut *conn)
            .await?;
        }
        let congress = congress_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("congress.create", "congress", id)
                .in_unit(unit.id, &unit.path)
                .after(&congress),
        )
        .await?;
        Ok(congress)
    }

    /// One congress.
    pub async fn congress(&self, id: i64) -> Result<Congress, StoreError> {
        let mut conn = self.pool().acquire().await?;
        congress_on(&mut conn, id).await
    }

    /// Congresses inside these subtrees (all when empty), newest term first.
    pub async fn congresses(
        &self,
        scope: &[String],
        page: Page,
    ) -> Result<Paged<Congress>, StoreError> {
        let mut conditions = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        for path in scope {
            binds.push(path.clone());
            binds.push(daihoi_core::access::subtree_end(path));
            conditions.push(format!(
                "(unit_path >= ${} AND unit_path < ${})",
                binds.len() - 1,
                binds.len()
            ));
        }
        let where_clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" OR "))
        };
        let mut count =
            sqlx::query_scalar::<_, i64>(sqlf!("SELECT COUNT(*) FROM congresses {where_clause}"));
        let mut list = sqlx::query(sqlf!(
            "SELECT {CONGRESS_COLUMNS} FROM congresses {where_clause} ORDER BY term_start DESC, unit_path, id \
             LIMIT {} OFFSET {}",
            page.limit(),
            page.offset()
        ));
        for bind in &binds {
            count = count.bind(bind);
            list = list.bind(bind);
        }
        let total = count.fetch_one(self.pool()).await?;
        let rows = list.fetch_all(self.pool()).await?;
        let items = rows.iter().map(congress_from_row).collect::<Result<_, _>>()?;
        Ok(Paged { items, total, page: page.number, page_size: page.size })
    }

    /// The congresses of one unit.
    pub async fn congresses_of_unit(&self, unit_id: i64) -> Result<Vec<Congress>, StoreError> {
        let rows = sqlx::query(sqlf!(
            "SELECT {CONGRESS_COLUMNS} FROM congresses WHERE unit_id = $1 ORDER BY term_start DESC, id DESC"
        ))
        .bind(unit_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(congress_from_row).collect::<Result<_, _>>()?)
    }

    /// Changes a congress's status (preparing → in session → closed).
    pub async fn set_congress_status(
        &self,
        tx: &mut WriteTx,
        id: i64,
        status: CongressStatus,
    ) -> Result<Congress, StoreError> {
        let at = tx.at();
        let before = congress_on(tx.conn(), id).await?;
        sqlx::query("UPDATE congresses SET status = $1, updated_at = $2, version = version + 1 WHERE id = $3")
            .bind(status.code())
            .bind(at)
            .bind(id)
            .execute(tx.conn())
            .await?;
        let after = congress_on(tx.conn(), id).await?;
        tx.audit(
            AuditRecord::new("congress.status", "congress", id)
                .in_unit(after.unit_id, &after.unit_path)
                .before(serde_json::json!({ "status": before.status.code() }))
                .after(serde_json::json!({ "status": after.status.code() })),
        )
        .await?;
        Ok(after)
    }

    /// The sessions of a congress, in order.
    pub async fn sessions(&self, congress_id: i64) -> Result<Vec<Session>, StoreError> {
        let rows = sqlx::query(sqlf!(
            "SELECT {SESSION_COLUMNS} FROM congress_sessions WHERE congress_id = $1 ORDER BY number"
        ))
        .bind(congress_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(session_from_row).collect::<Result<_, _>>()?)
    }

    /// Makes `session_id` the session check-ins apply to.
    pub async fn set_current_session(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        session_id: i64,
    ) -> Result<(), StoreError> {
        let congress = congress_on(tx.conn(), congress_id).await?;
        let updated = sqlx::query(
            "UPDATE congress_sessions SET is_current = CASE WHEN id = $1 THEN 1 ELSE 0 END \
             WHERE congress_id = $2",
        )
        .bind(session_id)
        .bind(congress_id)
        .execute(tx.conn())
        .await?;
        let exists: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM congress_sessions WHERE id = $1 AND congress_id = $2",
        )
        .bind(session_id)
        .bind(congress_id)
        .fetch_one(tx.conn())
        .await?;
        if exists == 0 || updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(
            AuditRecord::new("congress.session", "congress", congress_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(serde_json::json!({ "current_session": session_id })),
        )
        .await?;
        Ok(())
    }

    /// Adds people to a roster; badge numbers continue from the highest one.
    pub async fn add_people(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        people: &[NewPerson],
    ) -> Result<Vec<Person>, StoreError> {
        let at = tx.at();
        let congress = congress_on(tx.conn(), congress_id).await?;
        let conn = tx.conn();
        let mut next_badge: i64 = sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MAX(badge_no) FROM congress_people WHERE congress_id = $1",
        )
        .bind(congress_id)
        .fetch_one(&mut *conn)
        .await?
        .unwrap_or(0)
            + 1;
        let mut id = next_id(conn, "congress_people").await?;
        let first_id = id;
        for person in people {
            let name =
                vn::nfc(person.full_name.split_whitespace().collect::<Vec<_>>().join(" ").as_str());
            if name.is_empty() {
                return Err(StoreError::rule(
                    "name_required",
                    "full_name",
                    "Họ và tên không được để trống.",
                    "The full name is required.",
                ));
            }
            sqlx::query(
                "INSERT INTO congress_people (id, congress_id, member_id, full_name, name_fold, \
                 name_key, birth_date, sex, ethnicity, delegation, source_unit_id, role, \
                 alternate_rank, badge_no, standing, absence, credentials, created_at, updated_at, \
                 version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
                 'none', 'pending', $16, $16, 1)",
            )
            .bind(id)
            .bind(congress_id)
            .bind(person.member_id)
            .bind(&name)
            .bind(vn::fold(&name))
            .bind(vn::person_name_key(&name))
            .bind(date_text(person.birth_date))
            .bind(person.sex.map(Sex::code))
            .bind(&person.ethnicity)
            .bind(&person.delegation)
            .bind(person.source_unit_id)
            .bind(person.role.code())
            .bind(person.alternate_rank)
            .bind(next_badge)
            .bind(person.standing.code())
            .bind(at)
            .execute(&mut *conn)
            .await
            .map_err(|error| match StoreError::from(error) {
                StoreError::Conflict { .. } => StoreError::rule(
                    "already_on_roster",
                    "member_id",
                    format!("“{name}” đã có trong danh sách đại hội."),
                    format!("“{name}” is already on the congress roster."),
                ),
                other => other,
            })?;
            id += 1;
            next_badge += 1;
        }
        tx.audit(
            AuditRecord::new("congress.people.add", "congress", congress_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(serde_json::json!({ "count": people.len(), "first_person_id": first_id })),
        )
        .await?;
        let rows = sqlx::query(sqlf!(
            "SELECT {PERSON_COLUMNS} FROM congress_people WHERE congress_id = $1 AND id >= $2 ORDER BY id"
        ))
        .bind(congress_id)
        .bind(first_id)
        .fetch_all(tx.conn())
        .await?;
        Ok(rows.iter().map(person_from_row).collect::<Result<_, _>>()?)
    }

    /// For a members' congress: puts every member on the rosters of the unit's subtree on the
    /// congress roster (official members vote, probationary members attend), with standings
    /// from their member status. Returns how many were added.
    pub async fn summon_members(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
    ) -> Result<usize, StoreError> {
        let congress = congress_on(tx.conn(), congress_id).await?;
        let end = daihoi_core::access::subtree_end(&congress.unit_path);
        let rows = sqlx::query(
            "SELECT m.id, m.full_name, m.birth_date, m.sex, m.ethnicity, m.membership, m.status, \
             m.unit_id, u.name AS unit_name FROM members m JOIN units u ON u.id = m.unit_id \
             WHERE m.unit_path >= $1 AND m.unit_path < $2 AND u.retired = 0 \
             AND NOT EXISTS (SELECT 1 FROM congress_people p WHERE p.congress_id = $3 AND p.member_id = m.id) \
             ORDER BY m.name_key, m.id",
        )
        .bind(&congress.unit_path)
        .bind(&end)
        .bind(congress_id)
        .fetch_all(tx.conn())
        .await?;
        let mut people = Vec::with_capacity(rows.len());
        for row in &rows {
            let membership: String = row.try_get("membership")?;
            let status: String = row.try_get("status")?;
            let sex: Option<String> = row.try_get("sex")?;
            let role = match Membership::parse(&membership) {
                Some(Membership::Probationary) => PersonRole::ProbationaryMember,
                _ => PersonRole::OfficialMember,
            };
            let standing = match MemberStatus::parse(&status) {
                Some(MemberStatus::Exempt) => Standing::Exempt,
                Some(MemberStatus::TemporarilyTransferred) => Standing::TemporarilyTransferred,
                Some(MemberStatus::Suspended) => Standing::Suspended,
                _ => Standing::Active,
            };
            people.push(NewPerson {
                member_id: Some(row.try_get("id")?),
                full_name: row.try_get("full_name")?,
                birth_date: parse_date(row.try_get("birth_date")?),
                sex: sex.and_then(|s| Sex::parse(&s)),
                ethnicity: row.try_get("ethnicity")?,
                delegation: row.try_get("unit_name")?,
                source_unit_id: row.try_get("unit_id")?,
                role,
                alternate_rank: None,
                standing,
            });
        }
        let n = people.len();
        if n > 0 {
            self.add_people(tx, congress_id, &people).await?;
        }
        Ok(n)
    }

    /// The roster, in Vietnamese name order, optionally filtered by a name query or role.
    pub async fn people(
        &self,
        congress_id: i64,
        query: Option<&str>,
        role: Option<PersonRole>,
        page: Page,
    ) -> Result<Paged<Person>, StoreError> {
        let mut conditions = vec!["congress_id = $1".to_string()];
        let mut binds: Vec<String> = Vec::new();
        if let Some(query) = query.map(vn::fold).filter(|q| !q.trim().is_empty()) {
            // Substring match is fine here: a roster has at most a few thousand rows.
            binds.push(format!("%{}%", query.replace(['%', '_'], "")));
            conditions.push(format!("name_fold LIKE ${}", binds.len() + 1));
        }
        if let Some(role) = role {
            binds.push(role.code().to_string());
            conditions.push(format!("role = ${}", binds.len() + 1));
        }
        let where_clause = conditions.join(" AND ");
        let mut count = sqlx::query_scalar::<_, i64>(sqlf!(
            "SELECT COUNT(*) FROM congress_people WHERE {where_clause}"
        ))
        .bind(congress_id);
        let mut list = sqlx::query(sqlf!(
            "SELECT {PERSON_COLUMNS} FROM congress_people WHERE {where_clause} ORDER BY name_key, id \
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
        let items = rows.iter().map(person_from_row).collect::<Result<_, _>>()?;
        Ok(Paged { items, total, page: page.number, page_size: page.size })
    }

    /// One person on a roster.
    pub async fn person(&self, id: i64) -> Result<Person, StoreError> {
        let mut conn = self.pool().acquire().await?;
        person_on(&mut conn, id).await
    }

    /// A person by badge number.
    pub async fn person_by_badge(
        &self,
        congress_id: i64,
        badge_no: i64,
    ) -> Result<Person, StoreError> {
        let row = sqlx::query(sqlf!(
            "SELECT {PERSON_COLUMNS} FROM congress_people WHERE congress_id = $1 AND badge_no = $2"
        ))
        .bind(congress_id)
        .bind(badge_no)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(person_from_row(&row)?)
    }

    /// Records a decision on a person's standing, absence and credentials, with who and when.
    pub async fn decide_status(
        &self,
        tx: &mut WriteTx,
        person_id: i64,
        version: i64,
        decision: &StatusDecision,
    ) -> Result<Person, StoreError> {
        let at = tx.at();
        let actor = tx.actor().name.clone();
        let before = person_on(tx.conn(), person_id).await?;
        if before.version != version {
            return Err(StoreError::Stale);
        }
        let congress = congress_on(tx.conn(), before.congress_id).await?;
        sqlx::query(
            "UPDATE congress_people SET standing = $1, absence = $2, absence_reason = $3, \
             credentials = $4, credentials_note = $5, decided_by = $6, decided_at = $7, \
             updated_at = $7, version = version + 1 WHERE id = $8",
        )
        .bind(decision.standing.code())
        .bind(decision.absence.code())
        .bind(decision.reason.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .bind(decision.credentials.code())
        .bind(decision.credentials_note.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .bind(&actor)
        .bind(at)
        .bind(person_id)
        .execute(tx.conn())
        .await?;
        let after = person_on(tx.conn(), person_id).await?;
        tx.audit(
            AuditRecord::new("congress.person.status", "congress_person", person_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(after)
    }

    /// Seats an alternate in place of an absent delegate (or unseats with `None`).
    pub async fn seat_alternate(
        &self,
        tx: &mut WriteTx,
        alternate_id: i64,
        delegate_id: Option<i64>,
    ) -> Result<Person, StoreError> {
        let at = tx.at();
        let actor = tx.actor().name.clone();
        let alternate = person_on(tx.conn(), alternate_id).await?;
        if alternate.role != PersonRole::Alternate {
            return Err(StoreError::rule(
                "not_an_alternate",
                "alternate",
                "Chỉ đại biểu dự khuyết mới được thay thế đại biểu chính thức.",
                "Only an alternate delegate can take an official delegate's seat.",
            ));
        }
        if let Some(delegate_id) = delegate_id {
            let delegate = person_on(tx.conn(), delegate_id).await?;
            if delegate.congress_id != alternate.congress_id
                || !matches!(delegate.role, PersonRole::Elected | PersonRole::Appointed)
            {
                return Err(StoreError::rule(
                    "not_a_delegate",
                    "delegate",
                    "Dự khuyết chỉ thay thế đại biểu chính thức được bầu hoặc chỉ định của cùng đại hội.",
                    "An alternate replaces an elected or appointed delegate of the same congress.",
                ));
            }
            let taken: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM congress_people WHERE seated_for = $1 AND id <> $2",
            )
            .bind(delegate_id)
            .bind(alternate_id)
            .fetch_one(tx.conn())
            .await?;
            if taken > 0 {
                return Err(StoreError::rule(
                    "seat_taken",
                    "delegate",
                    format!("Đã có dự khuyết thay thế đồng chí {}.", delegate.full_name),
                    format!("An alternate already replaces {}.", delegate.full_name),
                ));
            }
        }
        let congress = congress_on(tx.conn(), alternate.congress_id).await?;
        sqlx::query(
            "UPDATE congress_people SET seated_for = $1, decided_by = $2, decided_at = $3, \
             updated_at = $3, version = version + 1 WHERE id = $4",
        )
        .bind(delegate_id)
        .bind(&actor)
        .bind(at)
        .bind(alternate_id)
        .execute(tx.conn())
        .await?;
        let after = person_on(tx.conn(), alternate_id).await?;
        tx.audit(
            AuditRecord::new("congress.alternate.seat", "congress_person", alternate_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .before(serde_json::json!({ "seated_for": alternate.seated_for }))
                .after(serde_json::json!({ "seated_for": delegate_id })),
        )
        .await?;
        Ok(after)
    }

    /// Checks a person in for the current session by badge number. A second check-in of the
    /// same person for the same session changes nothing (`already` is true): concurrent
    /// stations can never double a check-in, because the unique index decides.
    pub async fn check_in(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        badge_no: i64,
        station: &str,
    ) -> Result<CheckIn, StoreError> {
        let at = tx.at();
        let user = tx.actor().user_id;
        let row = sqlx::query(sqlf!(
            "SELECT {PERSON_COLUMNS} FROM congress_people WHERE congress_id = $1 AND badge_no = $2"
        ))
        .bind(congress_id)
        .bind(badge_no)
        .fetch_optional(tx.conn())
        .await?;
        let Some(row) = row else {
            return Err(StoreError::rule(
                "unknown_badge",
                "badge_no",
                format!("Không có thẻ đại biểu số {badge_no} trong đại hội này."),
                format!("There is no badge number {badge_no} at this congress."),
            ));
        };
        let person = person_from_row(&row)?;
        let session_id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM congress_sessions WHERE congress_id = $1 AND is_current = 1",
        )
        .bind(congress_id)
        .fetch_optional(tx.conn())
        .await?;
        let Some(session_id) = session_id else {
            return Err(StoreError::rule(
                "no_current_session",
                "session",
                "Chưa chọn phiên họp hiện tại để điểm danh.",
                "No current session is chosen for check-in.",
            ));
        };
        let id = next_id(tx.conn(), "checkins").await?;
        let inserted = sqlx::query(
            "INSERT INTO checkins (id, congress_id, person_id, session_id, at, station, by_user) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (person_id, session_id) DO NOTHING",
        )
        .bind(id)
        .bind(congress_id)
        .bind(person.id)
        .bind(session_id)
        .bind(at)
        .bind(station)
        .bind(user)
        .execute(tx.conn())
        .await?;
        let already = inserted.rows_affected() == 0;
        if !already {
            let congress = congress_on(tx.conn(), congress_id).await?;
            tx.audit(
                AuditRecord::new("congress.checkin", "congress_person", person.id)
                    .in_unit(congress.unit_id, &congress.unit_path)
                    .after(serde_json::json!({ "session_id": session_id, "badge_no": badge_no, "station": station })),
            )
            .await?;
        }
        Ok(CheckIn { person, already })
    }

    /// Marks a checked-in person as having left the hall (they stay in D; they are no longer
    /// counted as present for later votes), or back in with `left = false`.
    pub async fn mark_left(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        person_id: i64,
        left: bool,
    ) -> Result<(), StoreError> {
        let at = tx.at();
        let congress = congress_on(tx.conn(), congress_id).await?;
        let updated = sqlx::query(
            "UPDATE checkins SET left_at = $1 WHERE person_id = $2 AND session_id = \
             (SELECT id FROM congress_sessions WHERE congress_id = $3 AND is_current = 1)",
        )
        .bind(if left { Some(at) } else { None })
        .bind(person_id)
        .bind(congress_id)
        .execute(tx.conn())
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::rule(
                "not_checked_in",
                "person",
                "Đại biểu chưa điểm danh ở phiên này.",
                "This person has not checked in at this session.",
            ));
        }
        tx.audit(
            AuditRecord::new(
                if left { "congress.left" } else { "congress.returned" },
                "congress_person",
                person_id,
            )
            .in_unit(congress.unit_id, &congress.unit_path),
        )
        .await?;
        Ok(())
    }

    /// Everyone on the roster with what D needs: role, standing, absence, attendance.
    pub async fn roll(&self, congress_id: i64) -> Result<Vec<RollEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.id, p.role, p.standing, p.absence, p.seated_for, \
             (SELECT COUNT(*) FROM checkins c WHERE c.person_id = p.id) AS n_checkins, \
             (SELECT COUNT(*) FROM checkins c JOIN congress_sessions s ON s.id = c.session_id \
               WHERE c.person_id = p.id AND s.is_current = 1 AND c.left_at IS NULL) AS here_now \
             FROM congress_people p WHERE p.congress_id = $1 ORDER BY p.id",
        )
        .bind(congress_id)
        .fetch_all(self.pool())
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
            out.push(RollEntry {
                person_id: row.try_get("id")?,
                role,
                holds_vote,
                standing: Standing::parse(&row.try_get::<String, _>("standing")?)
                    .unwrap_or(Standing::Active),
                absence: Absence::parse(&row.try_get::<String, _>("absence")?)
                    .unwrap_or(Absence::None),
                attended: row.try_get::<i64, _>("n_checkins")? > 0,
                present_now: row.try_get::<i64, _>("here_now")? > 0,
                seated_for,
            });
        }
        Ok(out)
    }

    /// Attendance of the current session: summoned voters, present, absent by reason.
    pub async fn attendance(&self, congress_id: i64) -> Result<Attendance, StoreError> {
        let congress = self.congress(congress_id).await?;
        let roll = self.roll(congress_id).await?;
        Ok(attendance_from_roll(&roll, congress.quorum_num, congress.quorum_den))
    }
}

/// The attendance figures from a roll (pure, so the live panel and its tests agree).
pub fn attendance_from_roll(roll: &[RollEntry], quorum_num: i64, quorum_den: i64) -> Attendance {
    let mut attendance = Attendance::default();
    for entry in roll {
        if !entry.holds_vote {
            if entry.present_now {
                attendance.others_present += 1;
            }
            continue;
        }
        if entry.standing == Standing::NotSummoned {
            continue;
        }
        attendance.summoned += 1;
        if entry.present_now {
            attendance.present += 1;
        } else {
            let reason = if entry.absence != Absence::None {
                entry.absence.code()
            } else if entry.standing != Standing::Active {
                entry.standing.code()
            } else if entry.attended {
                "left"
            } else {
                "not_arrived"
            };
            *attendance.absent_by_reason.entry(reason.to_string()).or_insert(0) += 1;
        }
    }
    attendance.quorum_met = attendance.summoned > 0
        && attendance.present * quorum_den >= attendance.summoned * quorum_num;
    attendance.share_bp =
        if attendance.summoned > 0 { attendance.present * 10_000 / attendance.summoned } else { 0 };
    attendance
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(role: PersonRole, standing: Standing, absence: Absence, present: bool) -> RollEntry {
        RollEntry {
            person_id: 0,
            role,
            holds_vote: !matches!(
                role,
                PersonRole::ProbationaryMember | PersonRole::Guest | PersonRole::Alternate
            ),
            standing,
            absence,
            attended: present,
            present_now: present,
            seated_for: None,
        }
    }

    #[test]
    fn attendance_counts_voters_and_quorum() {
        let roll = vec![
            entry(PersonRole::OfficialMember, Standing::Active, Absence::None, true),
            entry(PersonRole::OfficialMember, Standing::Active, Absence::None, true),
            entry(PersonRole::OfficialMember, Standing::Active, Absence::Approved, false),
            entry(PersonRole::ProbationaryMember, Standing::Active, Absence::None, true),
            entry(PersonRole::OfficialMember, Standing::NotSummoned, Absence::None, false),
        ];
        let attendance = attendance_from_roll(&roll, 2, 3);
        assert_eq!(attendance.summoned, 3);
        assert_eq!(attendance.present, 2);
        assert_eq!(attendance.others_present, 1);
        assert_eq!(attendance.absent_by_reason.get("approved"), Some(&1));
        assert!(attendance.quorum_met, "2 of 3 meets two thirds exactly");
        assert_eq!(attendance.share_bp, 6666);
    }
}
